// The simulator's engine, scenario parsing, JSON shape and CLI behaviour (golden traces are in
// golden.test.ts, the LSP request in lsp.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../../server/src/analysis/documentAnalysis';
import { main } from '../../server/src/cli/main';
import { buildScenario, DEFAULT_SCENARIO, parseScenarioStrings, simulate, type SimulationTrace, type SimulationMatrix } from '../../server/src/features/simulate';
import { evalText, type EvalEnv, type Val } from '../../server/src/features/simulate/expr';
import { mustParseProfile } from '../../server/src/model';
import { REPO } from '../support/lspClient';

const GPU = path.join(REPO, 'examples', 'gpu_bo_huge_fault.c');
const GPU_TEXT = fs.readFileSync(GPU, 'utf8');
const P511 = mustParseProfile('5.11/x86_64');
const P612 = mustParseProfile('6.12/x86_64');

function analysis(file = GPU, text = GPU_TEXT) {
  return analyzeText(file, text, { profiles: [P511, P612] });
}

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('scenario: defaults, aliases, exact VMA flag sets and clear errors', () => {
  const d = buildScenario({});
  assert.ok(d.ok);
  assert.deepEqual(d.scenario, DEFAULT_SCENARIO);
  const s = buildScenario({ gup: 'longterm', vma: 'VM_MIXEDMAP|io', level: 'pmd' });
  assert.ok(s.ok);
  assert.equal(s.scenario.gup, 'pin_user_pages_fast_longterm');
  assert.deepEqual(s.scenario.vma, ['MIXEDMAP', 'IO']);
  const bad = buildScenario({ colour: 'blue' });
  assert.ok(!bad.ok && /unknown scenario key "colour"/.test(bad.error));
  const badValue = buildScenario({ level: 'p4d' });
  assert.ok(!badValue.ok && /level=p4d: expected one of auto, pud, pmd, pte/.test(badValue.error));
  const badFlag = buildScenario({ vma: 'PFNMAP|LOCKED' });
  assert.ok(!badFlag.ok && /unknown flag LOCKED/.test(badFlag.error));
  const pairs = parseScenarioStrings(['level=pmd,backing=iomem', 'level=pud']);
  assert.ok(pairs.ok);
  assert.deepEqual(pairs.pairs, { level: 'pud', backing: 'iomem' });
  assert.ok(!parseScenarioStrings(['level']).ok);
});

test('expressions: concrete address arithmetic, driver values known modulo a huge alignment', () => {
  const vars: Record<string, Val> = { pfn: { k: 'sym', shift: 30, off: 0n }, bad: { k: 'sym', shift: 30, off: 0x1001n }, order: { k: 'num', v: 9n } };
  const env: EvalEnv = { pageShift: 12, ident: (n) => vars[n] ?? (n === 'PMD_SIZE' ? { k: 'num', v: 1n << 21n } : undefined), field: () => ({ k: 'unknown' }), call: () => ({ k: 'unknown' }) };
  assert.deepEqual(evalText('pfn & ((1 << order) - 1)', env), { k: 'num', v: 0n });
  assert.deepEqual(evalText('(bad & ((1UL << order) - 1)) != 0', env), { k: 'num', v: 1n });
  assert.deepEqual(evalText('IS_ALIGNED(pfn << 12, PMD_SIZE)', env), { k: 'num', v: 1n });
  assert.equal(evalText('pfn > 100', env).k, 'unknown');
  assert.deepEqual(evalText('(unsigned long)order == 9 ? 4 : 5', env), { k: 'num', v: 4n });
  assert.equal(evalText('this is not C', env).k, 'unknown');
});

test('the same input gives the same trace, and the JSON has the documented shape', () => {
  const a = analysis();
  const input = { facts: a.facts, file: GPU, uri: 'file:///x/gpu.c', profiles: a.profiles, handler: 'gbo_huge_fault', target: '5.11/x86_64', scenario: { level: 'pmd' } };
  const r1 = simulate(input);
  const r2 = simulate(input);
  assert.ok(r1.ok && r2.ok);
  assert.deepEqual(r1.value, r2.value);
  const t = r1.value as SimulationTrace;
  for (const k of ['handler', 'target', 'scenario', 'steps', 'verdict', 'forks', 'text']) assert.ok(k in t, k);
  assert.equal(t.handler, 'gbo_huge_fault');
  assert.equal(t.table, 'gbo_vm_ops');
  assert.deepEqual(t.targets, ['5.11/x86_64', '6.12/x86_64']);
  assert.equal(t.verdict.kind, 'GUP_DEREFS_MISSING_STRUCT_PAGE');
  assert.equal(t.scenario['level'], 'pmd');
  assert.equal(t.scenario['vma'], 'PFNMAP|IO|DONTEXPAND|DONTDUMP');
  t.steps.forEach((s, i) => assert.equal(s.n, i + 1));
  assert.ok(t.steps.some((s) => s.citation && /^mm\/[\w.]+\.c:\w+ @ v\d+\.\d+$/.test(s.citation)));
  const handlerSteps = t.steps.filter((s) => s.source);
  assert.ok(handlerSteps.length > 3);
  for (const s of handlerSteps) {
    assert.equal(s.source!.uri, 'file:///x/gpu.c');
    assert.ok(GPU_TEXT.split('\n')[s.source!.line] !== undefined);
  }
  const pfnCheck = handlerSteps.find((s) => s.text.startsWith('if ((pfn & (fault_pages - 1)) != 0)'))!;
  assert.ok(GPU_TEXT.split('\n')[pfnCheck.source!.line]!.includes('pfn & (fault_pages - 1)'));
  assert.equal(t.forks.length, 1);
  assert.equal(t.forks[0]!.question, 'if (page_offset + fault_pages > bo->num_pages)');
  assert.equal(t.forks[0]!.taken, 'false');
  assert.equal(t.forks[0]!.alternatives.find((x) => x.choice === 'true')!.verdict!.kind, 'SAFE');
  assert.match(t.text, /^Faultline fault-path simulation: gbo_huge_fault @ 5\.11\/x86_64\nScenario: level=pmd, /);
  assert.match(t.text, /\n {2}\d+\. gpu_bo_huge_fault\.c:\d+ — if \(\(pfn & \(fault_pages - 1\)\) != 0\) → false\n/);
  assert.match(t.text, /\nVerdict: GUP_DEREFS_MISSING_STRUCT_PAGE — .+\n$/);
  JSON.parse(JSON.stringify(t));
});

test('handler by position, .fault handlers start at PTE, helpers resolve to their table', () => {
  const a = analysis();
  const lines = GPU_TEXT.split('\n');
  const line = lines.findIndex((l) => l.includes('fault_pages = HPAGE_PUD_SIZE'));
  const byPos = simulate({ facts: a.facts, file: GPU, profiles: a.profiles, position: { line, character: 4 } });
  assert.ok(byPos.ok);
  assert.equal((byPos.value as SimulationTrace).handler, 'gbo_huge_fault');
  const pte = simulate({ facts: a.facts, file: GPU, profiles: a.profiles, handler: 'gbo_fault', target: '5.11/x86_64' });
  assert.ok(pte.ok);
  assert.ok((pte.value as SimulationTrace).steps.every((s) => !/create_huge_p[mu]d/.test(s.citation ?? '')));
  assert.equal((pte.value as SimulationTrace).verdict.kind, 'SAFE');
  const helper = simulate({ facts: a.facts, file: GPU, profiles: a.profiles, handler: 'gbo_insert_huge', target: '5.11/x86_64' });
  assert.ok(helper.ok && (helper.value as SimulationTrace).table === 'gbo_vm_ops');
  const notHandler = simulate({ facts: a.facts, file: GPU, profiles: a.profiles, handler: 'gbo_mmap' });
  assert.ok(!notHandler.ok && /not a fault handler/.test(notHandler.error));
  const outside = simulate({ facts: a.facts, file: GPU, profiles: a.profiles, position: { line: 0, character: 0 } });
  assert.ok(!outside.ok && /not inside a function/.test(outside.error));
});

test('scenario changes reach the verdict: special bit on 6.12, longterm pins, misaligned pfns, private mappings', () => {
  const file = path.join(REPO, 'test', 'fixtures', 'simulate', 'ttm_style_order.c');
  const a = analysis(file, fs.readFileSync(file, 'utf8'));
  const sim = (target: string, scenario: Record<string, string>): SimulationTrace => {
    const r = simulate({ facts: a.facts, file, profiles: a.profiles, handler: 'vbo_fault_huge', target, scenario });
    assert.ok(r.ok, r.ok ? '' : r.error);
    return r.value as SimulationTrace;
  };
  assert.equal(sim('6.12/x86_64', {}).verdict.kind, 'SAFE');
  assert.equal(sim('5.11/x86_64', {}).verdict.kind, 'GUP_DEREFS_MISSING_STRUCT_PAGE');
  assert.equal(sim('5.11/x86_64', { backing: 'driver-pages' }).verdict.kind, 'GUP_REFCOUNTS_DRIVER_PAGE');
  assert.equal(sim('5.11/x86_64', { gup: 'slow' }).verdict.kind, 'SAFE');
  assert.equal(sim('5.11/x86_64', { gup: 'none' }).verdict.kind, 'SAFE');
  // Misaligned pfn: the handler's own check falls back to PTEs.
  const mis = sim('5.11/x86_64', { pfn: 'misaligned' });
  assert.ok(mis.steps.some((s) => s.text === 'if (pfn & (nr - 1)) → true'));
  assert.equal(mis.verdict.kind, 'SAFE');
  assert.equal(sim('6.12/x86_64', { mapping: 'private' }).verdict.kind, 'MMAP_REFUSED');
  assert.equal(sim('6.12/x86_64', { vma: 'MIXEDMAP' }).verdict.kind, 'GUP_DEREFS_MISSING_STRUCT_PAGE');
  assert.equal(sim('6.12/x86_64', { vma: 'HUGEPAGE' }).verdict.kind, 'BUG_ON');
  assert.equal(sim('6.12/x86_64', { level: 'pte' }).steps.some((s) => /vbo_fault\(vmf\)/.test(s.text)), true);
});

test('matrix: levels × backings × targets of verdict kinds', () => {
  const a = analysis();
  const r = simulate({ facts: a.facts, file: GPU, profiles: a.profiles, handler: 'gbo_huge_fault', mode: 'matrix' });
  assert.ok(r.ok);
  const m = r.value as SimulationMatrix;
  assert.equal(m.mode, 'matrix');
  assert.deepEqual(m.targets, ['5.11/x86_64', '6.12/x86_64']);
  assert.equal(m.cells.length, 3 * 4 * 2);
  const cell = m.cells.find((c) => c.level === 'pmd' && c.backing === 'iomem' && c.target === '5.11/x86_64')!;
  assert.equal(cell.verdict, 'GUP_DEREFS_MISSING_STRUCT_PAGE');
  assert.match(m.text, /Target 5\.11\/x86_64/);
});

test('CLI: text and JSON, every handler without :FUNCTION, exit 2 with one line on errors', () => {
  const t = run('simulate', `${GPU}:gbo_huge_fault`, '--target', '5.11/x86_64', '--scenario', 'level=pmd');
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^Faultline fault-path simulation: gbo_huge_fault @ 5\.11\/x86_64\n/);
  const j = run('simulate', `${GPU}:gbo_huge_fault`, '--target', '5.11/x86_64', '--scenario', 'level=pmd', '--format', 'json');
  assert.equal(j.code, 0, j.err);
  const doc = JSON.parse(j.out) as SimulationTrace;
  assert.equal(doc.verdict.kind, 'GUP_DEREFS_MISSING_STRUCT_PAGE');
  assert.equal(doc.text, t.out);
  const all = run('simulate', GPU, '--target', '6.12/x86_64', '--format', 'json');
  assert.equal(all.code, 0, all.err);
  assert.deepEqual((JSON.parse(all.out) as SimulationTrace[]).map((x) => x.handler).sort(), ['gbo_fault', 'gbo_huge_fault']);
  const m = run('simulate', `${GPU}:gbo_huge_fault`, '--target', '5.11/x86_64,6.12/x86_64', '--matrix');
  assert.equal(m.code, 0, m.err);
  assert.match(m.out, /^Faultline fault-path matrix: gbo_huge_fault @ 5\.11\/x86_64, 6\.12\/x86_64\n/);
  for (const [argv, msg] of [
    [[`${GPU}:no_such_fn`], /no function no_such_fn/],
    [[`${GPU}:gbo_huge_fault`, '--scenario', 'colour=blue'], /unknown scenario key "colour"/],
    [[`${GPU}:gbo_huge_fault`, '--scenario', 'level'], /not key=value/],
    [[`${GPU}:gbo_huge_fault`, '--target', '9.99/vax'], /bad target/],
    [[path.join(REPO, 'no', 'such.c')], /cannot read/],
  ] as [string[], RegExp][]) {
    const r = run('simulate', ...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    assert.match(r.err, /^faultline: .+\n$/);
    assert.match(r.err, msg);
  }
});
