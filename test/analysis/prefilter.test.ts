// The profile-aware byte prefilter (rules/index.ts ruleTriggers, analysis/prefilter.ts, the CLI's
// second tier in analysis/batch.ts): which patterns each profile set needs, the matcher's context
// conditions against a naive reference, and findings with the prefilter equal to findings without
// it (FAULTLINE_NO_PREFILTER=1 / noPrefilter) on every fixture and on a cross-file case.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzePaths, installsOneOf, type BatchResult } from '../../server/src/analysis/batch';
import { installCandidates } from '../../server/src/analysis/scanCore';
import { byteArena, compileMatcher, compilePlan, DEFER, DROP, KEEP, type Trigger } from '../../server/src/analysis/prefilter';
import { mustParseProfile } from '../../server/src/model';
import { workspaceIndexTriggers, INDEX_TRIGGERS, ruleTriggers } from '../../server/src/rules';
import { analyzeText } from '../../server/src/analysis/documentAnalysis';

const REPO = path.resolve(__dirname, '..', '..', '..');
const profiles = (...ids: string[]) => ids.map(mustParseProfile);
const has = (ts: Trigger[], word: string, shape: Partial<Trigger> = {}) => ts.some((t) => t.word === word && !!t.wholeWord === !!shape.wholeWord && !!t.memberWrite === !!shape.memberWrite);

test('rule triggers depend on the profiles (from the model, not a hand list)', () => {
  const t612 = ruleTriggers(profiles('6.12/x86_64', '6.12/arm64'));
  for (const w of ['vmf_insert_pfn_pmd', 'vmf_insert_pfn_pud', 'vmf_insert_folio_pmd', 'vmf_insert_folio_pud', 'huge_fault']) assert.ok(has(t612, w), w);
  assert.ok(!t612.some((t) => !t.wholeWord && t.word.endsWith('_prot')), 'vmf_insert_pfn_pmd covers vmf_insert_pfn_pmd_prot');
  assert.ok(has(t612, 'vmf_insert_mixed_prot', { wholeWord: true }), 'FL009: gone in 6.4');
  for (const w of ['vmf_insert_', 'vmf_insert_pfn', 'vmf_insert_mixed', 'remap_pfn_range']) assert.ok(!t612.some((t) => t.word === w), `${w}: no rule reports at PTE-level or range calls`);
  assert.ok(has(t612, 'page_entry_size', { wholeWord: true }), 'enum page_entry_size is gone in 6.12');
  assert.ok(has(t612, 'PE_SIZE_PMD', { wholeWord: true }));
  assert.ok(has(t612, 'vm_flags', { memberWrite: true }), 'direct vm_flags writes do not build from 6.3');
  assert.ok(!t612.some((t) => t.word === 'pfn_t' || t.word.startsWith('PFN_')), 'pfn_t and PFN_* still exist in 6.12');
  assert.ok(!t612.some((t) => t.word.startsWith('vm_flags_')), 'the accessors exist in 6.12');
  assert.ok(!t612.some((t) => t.word === 'vm_operations_struct' || t.word === 'vm_ops'), 'ops tables alone cannot make a rule fire');

  const t61 = ruleTriggers(profiles('6.1/x86_64'));
  assert.ok(has(t61, 'vm_flags_set', { wholeWord: true }));
  assert.ok(has(t61, 'follow_pfnmap_start', { wholeWord: true }));
  assert.ok(!t61.some((t) => t.memberWrite), 'direct writes are fine in 6.1');
  assert.ok(!t61.some((t) => t.word === 'page_entry_size'));

  const t617 = ruleTriggers(profiles('6.17/x86_64'));
  assert.ok(has(t617, 'pfn_t', { wholeWord: true }));
  assert.ok(has(t617, 'PFN_DEV', { wholeWord: true }));

  const all = ruleTriggers();
  for (const w of ['pfn_t', 'vm_flags_set', 'page_entry_size', 'follow_pfnmap_start', 'VM_ALLOW_ANY_UNCACHED']) assert.ok(has(all, w, { wholeWord: true }), w);
  assert.ok(has(all, 'vm_flags', { memberWrite: true }));
  assert.ok(!all.some((t) => !t.wholeWord && (t.word === 'remap_pfn_range' || t.word === 'vmf_insert_')), 'only as FL009 names (a tree of any version may be checked)');
  assert.deepEqual(INDEX_TRIGGERS.map((t) => t.word), ['vm_ops']);
  // The language server's index also keeps every insertion call (simulate's call graph).
  const index = workspaceIndexTriggers();
  for (const w of ['vmf_insert_', 'remap_pfn_range', 'vm_ops', 'huge_fault']) assert.ok(has(index, w), w);
});

test('the site rules report only at huge insertions: the PTE-level and range fixture fires once its call is a PMD one', () => {
  // test/fixtures/rules/pte_and_range_sites.c expects no finding (fixtures.test.ts); the same
  // shapes with one call made at PMD level draw several rules, so the fixture is not vacuous.
  const text = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'rules', 'pte_and_range_sites.c'), 'utf8');
  const run = (t: string) => analyzeText('/fixture/pte.c', t, { profiles: profiles('6.12/x86_64', '6.17/x86_64') }).findings.map((f) => f.rule);
  assert.deepEqual(run(text), []);
  const pmd = text
    .replace('vmf_insert_mixed(vmf->vma, vmf->address, page_to_pfn(pd->pages[vmf->pgoff]));', 'vmf_insert_pfn_pmd(vmf, page_to_pfn(pd->pages[vmf->pgoff]), false);')
    .replace('.pfn_mkwrite', '.huge_fault');
  assert.notEqual(pmd, text);
  const rules = new Set(run(pmd));
  for (const r of ['FL003', 'FL005', 'FL006', 'FL007', 'FL012']) assert.ok(rules.has(r), `${r} in ${[...rules].join(' ')}`);
});

test('whole-word and member-write patterns', () => {
  const m = compileMatcher([{ word: 'pfn_t', wholeWord: true }, { word: 'vm_flags', memberWrite: true }]);
  const yes = ['pfn_t pfn;', '(pfn_t)x', 'x\npfn_t', 'vma->vm_flags |= VM_IO;', 'vma -> vm_flags\n\t&= ~VM_MAYWRITE;', 'vmf->vma->vm_flags = f;', 'v->vm_flags ^= 1', 'a->vm_flags='];
  const no = ['pfn_to_page(p)', 'x_pfn_t', 'pfn_t_devmap', 'vma->vm_flags & VM_IO', 'vma->vm_flags == f', 'vm_flags |= 1', 'vma->vm_flags_set(', 'vma->vm_flags != 0', 'x.vm_flags = 1'];
  for (const s of yes) assert.equal(m.test(Buffer.from(s)), true, s);
  for (const s of no) assert.equal(m.test(Buffer.from(s)), false, s);
  // A plain substring wins over a context variant of the same word.
  assert.equal(compileMatcher([{ word: 'pfn_t', wholeWord: true }, 'pfn_t']).test(Buffer.from('pfn_to_page')), true);
});

test('the matcher agrees with a naive regex on random text', () => {
  const specs: Trigger[] = [...ruleTriggers(), ...INDEX_TRIGGERS];
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const res = specs.map((t) =>
    t.memberWrite ? new RegExp(`->\\s*${esc(t.word)}\\s*(?:[|&^]=|=(?!=))`) : t.wholeWord ? new RegExp(`(?<![A-Za-z0-9_])${esc(t.word)}(?![A-Za-z0-9_])`) : new RegExp(esc(t.word)),
  );
  const m = compileMatcher(specs);
  const pieces = ['vm_flags', 'pfn_t', '_', 'x', ' ', '\n', '->', '=', '|', '==', '&', 'vm_ops', 'huge_fault', 'PE_SIZE_PMD', 'vmf_insert_', 'page_entry_size', '(', 'vma'];
  let seed = 11;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let i = 0; i < 4000; i++) {
    let s = '';
    const len = rnd(12);
    for (let k = 0; k < len; k++) s += pieces[rnd(pieces.length)];
    assert.equal(m.test(Buffer.from(s)), res.some((r) => r.test(s)), JSON.stringify(s));
  }
});

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const naiveRe = (t: Trigger) =>
  t.memberWrite ? new RegExp(`->\\s*${esc(t.word)}\\s*(?:[|&^]=|=(?!=))`) : t.wholeWord ? new RegExp(`(?<![A-Za-z0-9_])${esc(t.word)}(?![A-Za-z0-9_])`) : new RegExp(esc(t.word));

test('two-tier plans (keep, then defer) agree with naive regexes, for every target set', () => {
  const pieces = ['vm_flags', 'pfn_t', '_', 'x', ' ', '\n', '->', '=', '|', '==', '&', 'vm_ops', 'vm_op', 'huge_fault', 'PE_SIZE_PMD', 'PE_SIZE_', 'vmf_insert_', 'page_entry_size', '(', 'vma', 'ge', 'remap_pfn_rang', 'remap_pfn_range', 'vm_flags_set', 'VM_ALLOW_ANY_UNCACHED', 'follow_pfnmap_start', 'PFN_DEV', 'pfn_to_pfn_t'];
  let seed = 5;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (const ids of TARGET_SETS) {
    const keep = ruleTriggers(ids.length ? profiles(...ids) : undefined);
    const defer = [...INDEX_TRIGGERS];
    const plan = compilePlan(keep, defer);
    const keepRes = keep.map(naiveRe);
    const deferRes = defer.map(naiveRe);
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const len = rnd(14);
      for (let k = 0; k < len; k++) s += pieces[rnd(pieces.length)];
      const want = keepRes.some((r) => r.test(s)) ? KEEP : deferRes.some((r) => r.test(s)) ? DEFER : DROP;
      assert.equal(plan.classify(Buffer.from(s)), want, `${ids.join(' ')}: ${JSON.stringify(s)}`);
      // A view inside a larger buffer: bytes outside [start, end) never count.
      const padded = Buffer.from(`vm_ops huge_fault${s}vmf_insert_`);
      assert.equal(plan.classify(padded, 17, 17 + Buffer.byteLength(s)), want, `view: ${JSON.stringify(s)}`);
    }
  }
});

test('the WebAssembly scanner (bytes in the arena) gives the verdicts of the indexOf passes', { skip: !byteArena() && 'no WebAssembly SIMD here' }, () => {
  const arena = byteArena()!;
  const pieces = ['vm_flags', 'pfn_t', '_', 'x', ' ', '\n', '->', '=', '|', '==', '&', 'vm_ops', 'vm_op', 'huge_fault', 'PE_SIZE_PMD', 'PE_SIZE_', 'vmf_insert_', 'page_entry_size', 'ge', 'remap_pfn_range', 'vm_flags_set', 'VM_ALLOW_ANY_UNCACHED', 'follow_pfnmap_start', 'PFN_DEV', 'pfn_to_pfn_t', 'ZE_P', 'vm', 'Z', 'abcdefghijklmnopq', 'vmf_insert_pfn_p', 'vmf_insert_folio_p', 'md', 'ud', 'vmf_insert_mixed_prot', 'ge_'];
  const plans = [...TARGET_SETS.map((ids) => compilePlan(ruleTriggers(ids.length ? profiles(...ids) : undefined), [...INDEX_TRIGGERS])), compilePlan(['x', 'abc', { word: 'abcdefghijklmnop', wholeWord: true }]), compilePlan([], ['vm_ops'])];
  let seed = 17;
  const rnd = (n: number) => {
    seed ^= seed << 13; // xorshift32: the low bits of an LCG repeat too soon for `% n`
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const verdicts = [0, 0, 0];
  for (let i = 0; i < 6000; i++) {
    let s = '';
    for (let k = rnd(40); k > 0; k--) s += pieces[rnd(pieces.length)];
    const bytes = Buffer.from(s, 'latin1');
    // Garbage around the view: what lies before `start` or after `end` never counts.
    const before = rnd(3) === 0 ? 0 : rnd(20);
    const junk = Buffer.from('vm_ops huge_fault remap_pfn_range ZE_PUD x abc ');
    const view = arena.data(before + bytes.length + junk.length);
    for (let k = 0; k < before; k++) view[k] = junk[k % junk.length]!;
    bytes.copy(view, before);
    junk.copy(view, before + bytes.length);
    for (const plan of plans) {
      const want = plan.classify(Buffer.from(bytes));
      verdicts[want]++;
      assert.equal(plan.classify(view, before, before + bytes.length), want, `${plan.anchors.join(',')}: ${JSON.stringify(s)} at ${before}`);
    }
  }
  assert.ok(verdicts.every((n) => n > 500), `all verdicts exercised: ${verdicts.join('/')}`);
  // Overlapping words whose context fails at one position and holds at the next.
  const tight = compilePlan([{ word: 'ab', wholeWord: true }, 'bc', { word: 'cd', memberWrite: true }, { word: 'abcdabcdab', wholeWord: true }], [{ word: 'da', wholeWord: true }]);
  for (let i = 0; i < 20000; i++) {
    let s = '';
    for (let k = rnd(12); k > 0; k--) s += ['a', 'b', 'c', 'd', 'x', '->', ' ', '=', '|', '-'][rnd(10)];
    const bytes = Buffer.from(s, 'latin1');
    const view = arena.data(bytes.length + 1);
    bytes.copy(view, 1);
    view[0] = 0x61;
    assert.equal(tight.classify(view, 1, 1 + bytes.length), tight.classify(Buffer.from(bytes)), JSON.stringify(s));
  }
  // Growing the arena keeps the bytes and the scanner working.
  const big = arena.data(3 << 20);
  big.fill(0x20, 0, 3 << 20);
  Buffer.from('vmf_insert_pfn_pud').copy(big, (3 << 20) - 18);
  assert.equal(plans[0]!.classify(arena.data(3 << 20), 0, 3 << 20), KEEP);
});

test('a word in both tiers counts as keep; a plain word makes its context variants redundant', () => {
  const p = compilePlan(['vm_ops', { word: 'huge', wholeWord: true }], ['vm_ops', 'huge']);
  assert.equal(p.classify(Buffer.from('x vm_ops y')), KEEP);
  assert.equal(p.classify(Buffer.from('hugely')), DEFER);
  assert.equal(p.classify(Buffer.from('huge(')), KEEP);
  assert.equal(p.classify(Buffer.from('nothing')), DROP);
  const q = compilePlan([{ word: 'vm_flags', memberWrite: true }], [{ word: 'vm_flags' }]);
  assert.equal(q.classify(Buffer.from('a->vm_flags |= 1')), KEEP);
  assert.equal(q.classify(Buffer.from('a->vm_flags & 1')), DEFER);
});

test('second tier: a needed file is not analysed when no first-tier file asks the index', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fl-held-'));
  try {
    // The fault handler and its own mmap handler in one file: its rules never need the index.
    fs.writeFileSync(
      path.join(tmp, 'self_mmap.c'),
      [
        'static vm_fault_t s_huge_fault(struct vm_fault *vmf, unsigned int order)',
        '{',
        '\tif (order != PMD_ORDER)',
        '\t\treturn VM_FAULT_FALLBACK;',
        '\treturn vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(vmf->pgoff, PFN_DEV), false);',
        '}',
        'static const struct vm_operations_struct s_vm_ops = {',
        '\t.huge_fault = s_huge_fault,',
        '};',
        'static int s_mmap(struct file *f, struct vm_area_struct *vma)',
        '{',
        '\tvma->vm_ops = &s_vm_ops;',
        '\tvm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND);',
        '\treturn 0;',
        '}',
        '',
      ].join('\n'),
    );
    // Installs the same table: needed by name, but nothing will ask the index about it.
    fs.writeFileSync(path.join(tmp, 'other.c'), 'int o_mmap(struct file *f, struct vm_area_struct *vma)\n{\n\tvma->vm_ops = &s_vm_ops;\n\treturn 0;\n}\n');
    for (const workers of [0, 2]) {
      const opts = { targets: profiles('6.12/x86_64'), maxFileSize: 1 << 22, workers };
      const narrow = analyzePaths([tmp], opts);
      const full = analyzePaths([tmp], { ...opts, noPrefilter: true });
      assert.deepEqual(findingsByFile(narrow), findingsByFile(full));
      assert.ok(Object.keys(findingsByFile(narrow)).length > 0, 'the fixture has findings');
      assert.equal(narrow.stats.deferred, 1);
      assert.equal(narrow.stats.indexOnly, 0, 'other.c is held back');
      assert.equal(narrow.stats.heldBack, 1);
      assert.ok(!narrow.results.some((r) => r.file.endsWith('other.c')));
      assert.deepEqual(narrow.problems, full.problems);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('second tier: installCandidates holds every name the regex can match (comments, continuations, lazy */)', () => {
  const names = ['foo', 'bar_ops', 'x1'];
  const pieces = ['=', '&', '==', ' ', '\t', '\n', '\\\n', '\\\r\n', '\\', '\r', '/*', '*/', '/', '*', '//', 'foo', 'bar_ops', 'x1', 'foox', '1foo', 'a', ';', '(', '\u00a0', 'é'];
  const skips = [' ', '\n', '\t', '\\\n', '\\\r\n', '/* c */', '/*', '*/', '// c\n', '//', '\u00a0', '='];
  let seed = 3;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  let matched = 0;
  for (let i = 0; i < 20000; i++) {
    let s = '';
    const len = rnd(10);
    for (let k = 0; k < len; k++) s += pieces[rnd(pieces.length)];
    if (rnd(2) === 0) {
      // Likely matches: an operator or a comment end, skip units, a name, more text.
      s += ['=', '&', '*/'][rnd(3)];
      for (let k = rnd(5); k > 0; k--) s += skips[rnd(skips.length)];
      s += names[rnd(names.length)];
      for (let k = rnd(4); k > 0; k--) s += pieces[rnd(pieces.length)];
    }
    const buf = Buffer.from(s, 'latin1');
    const cands = new Set(installCandidates(buf, buf.length));
    const text = buf.toString('latin1');
    for (const n of names) {
      if (!installsOneOf(text, [n])) continue;
      matched++;
      assert.ok(cands.has(n), `${n} in ${JSON.stringify(s)}`);
    }
    assert.equal(installsOneOf(text, names), names.some((n) => installsOneOf(text, [n])), 'alternation = union');
  }
  assert.ok(matched > 1000, `enough matching cases (${matched})`);
  // The lazy block comment may close at a later */: `name` follows the second one.
  const tricky = Buffer.from('x = /* a */ b; c */ foo;');
  assert.ok(installsOneOf(tricky.toString('latin1'), ['foo']));
  assert.ok(installCandidates(tricky, tricky.length).includes('foo'));
});

test('anchors for the 6.12 targets: three passes, vm_ops shares the vm pass', () => {
  const plan = compilePlan(ruleTriggers(profiles('6.12/x86_64', '6.12/arm64')), [...INDEX_TRIGGERS]);
  assert.deepEqual([...plan.anchors].sort(), ['ZE_P', 'ge_', 'vm']);
});

function findingsByFile(r: BatchResult): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of r.results) if (f.findings.length > 0) out[f.file] = f.findings;
  return out;
}

const TARGET_SETS = [['6.12/x86_64', '6.12/arm64'], ['6.1/x86_64'], ['6.17/x86_64'], ['5.15/x86_64', '6.6/arm64'], []];

test('prefiltered findings equal unfiltered findings on every fixture', () => {
  const dir = path.join(REPO, 'test', 'fixtures');
  for (const ids of TARGET_SETS) {
    const opts = { targets: profiles(...ids), maxFileSize: 1 << 22, workers: 0 };
    const narrow = analyzePaths([dir], opts);
    const full = analyzePaths([dir], { ...opts, noPrefilter: true });
    assert.ok(full.stats.parsed >= narrow.stats.parsed);
    assert.deepEqual(findingsByFile(narrow), findingsByFile(full), ids.join(' '));
  }
});

/** Runs `body` in a fresh temp directory holding the cross-file fixture pair (bo_fault.c, bo_mmap.c), removed afterwards. */
function withXfilePair(prefix: string, body: (dir: string) => void): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    for (const f of ['bo_fault.c', 'bo_mmap.c']) fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'workspace-xfile', f), path.join(tmp, f));
    body(tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test('second tier: an mmap file installing a first-tier ops table is indexed, others are not', () => {
  withXfilePair('fl-tier-', (tmp) => {
    // Installs an unrelated table: must not be parsed. Mentions the name only in a comparison: also not.
    fs.writeFileSync(path.join(tmp, 'other_mmap.c'), 'int o_mmap(struct file *f, struct vm_area_struct *vma)\n{\n\tvma->vm_ops = &other_vm_ops;\n\treturn 0;\n}\n');
    fs.writeFileSync(path.join(tmp, 'compare.c'), 'int c(struct vm_area_struct *vma)\n{\n\treturn vma->vm_ops == NULL || xbo_vm_ops_count;\n}\n');
    const opts = { targets: profiles('6.12/x86_64', '6.1/x86_64', '6.17/x86_64'), maxFileSize: 1 << 22, workers: 0 };
    const narrow = analyzePaths([tmp], opts);
    const full = analyzePaths([tmp], { ...opts, noPrefilter: true });
    assert.deepEqual(findingsByFile(narrow), findingsByFile(full));
    const only612 = analyzePaths([tmp], { ...opts, targets: profiles('6.12/x86_64') });
    assert.equal(only612.stats.deferred, 3, 'bo_mmap.c, other_mmap.c and compare.c only mention vm_ops under 6.12');
    assert.equal(only612.stats.indexOnly, 1, 'only bo_mmap.c installs xbo_vm_ops');
    assert.deepEqual(findingsByFile(only612), findingsByFile(analyzePaths([tmp], { ...opts, targets: profiles('6.12/x86_64'), noPrefilter: true })));
    assert.ok(only612.results.some((r) => r.file.endsWith('bo_mmap.c')) && !only612.results.some((r) => r.file.endsWith('other_mmap.c')));
  });
});

test('trigger words only in comments, strings or directives: not analysed, same findings, second tier kept', () => {
  withXfilePair('fl-codeless-', (tmp) => {
    // the insertion API named in a comment, a string and a macro body only
    fs.writeFileSync(path.join(tmp, 'mentions.c'), '/* see vmf_insert_pfn_pmd() */\n#define NOTE "remap_pfn_range"\n#define CALL(v, p) vmf_insert_pfn(v, p)\nint f(void) { return puts("huge_fault"); }\n');
    // the same words in code: analysed
    fs.writeFileSync(path.join(tmp, 'calls.c'), 'vm_fault_t g(struct vm_fault *vmf, unsigned long pfn) { return vmf_insert_pfn_pmd(vmf, pfn, false); }\n');
    // first-tier words only in a comment, plus an install of a table bo_fault.c defines: second tier
    fs.writeFileSync(path.join(tmp, 'commented_mmap.c'), '/* vmf_insert_pfn_pmd is not used here */\nint m(struct file *f, struct vm_area_struct *vma)\n{\n\tvma->vm_ops = &xbo_vm_ops;\n\treturn 0;\n}\n');
    const opts = { targets: profiles('6.12/x86_64'), maxFileSize: 1 << 22, workers: 0 };
    const narrow = analyzePaths([tmp], opts);
    const full = analyzePaths([tmp], { ...opts, noPrefilter: true });
    assert.deepEqual(findingsByFile(narrow), findingsByFile(full));
    assert.ok(narrow.results.some((r) => r.findings.length > 0), 'the fixture pair has findings');
    assert.ok(narrow.results.some((r) => r.file.endsWith('calls.c')), 'calls.c is analysed');
    assert.ok(!narrow.results.some((r) => r.file.endsWith('mentions.c')), 'mentions.c is not');
    assert.equal(narrow.stats.codeless, 2, 'mentions.c and commented_mmap.c');
    assert.ok(narrow.stats.deferred! >= 2, 'commented_mmap.c goes to the second tier with bo_mmap.c');
    assert.equal(full.stats.codeless, 0);
  });
});
