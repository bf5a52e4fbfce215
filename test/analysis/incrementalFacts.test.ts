// The per-keystroke fast path (server/src/analysis/incrementalAnalysis.ts) must give exactly the
// facts and findings of a full re-analysis. Random single-character edits (plain and structural)
// at random positions, each followed by a comparison with a from-scratch analyzeText.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { analyzeText, analyzeTree } from '../../server/src/analysis/documentAnalysis';
import { parseC } from '../../server/src/parsing/parser';
import { IncrementalAnalyzer } from '../../server/src/analysis/incrementalAnalysis';
import { mustParseProfile } from '../../server/src/model';
import { IncrementalDocument } from '../../server/src/parsing/incrementalDocument';
import { positionAt } from '../../server/src/common/text';
import { WorkspaceIndex } from '../../server/src/analysis/workspaceIndex';
import { summarizeForIndex } from '../../server/src/extraction';
import { prng } from '../prng';

const PROFILES = [mustParseProfile('6.12/x86_64'), mustParseProfile('5.11/x86_64')];
const ROOT = path.resolve(__dirname, '..', '..', '..');
const MEMORY_C = '/work/kernels/linux-source-6.12/mm/memory.c';
const SEED = Number(process.env['FAULTLINE_TEST_SEED'] ?? 0x5eed1234);

const PLAIN = 'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789      ';
const STRUCTURAL = '{}();*/#"\'\\,=<>&|[]';

function cFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...cFiles(p));
    else if (e.name.endsWith('.c')) out.push(p);
  }
  return out.sort();
}

/** A large file of plain functions calling each other, plus one fault handler. */
function synthetic(): string {
  const out: string[] = ['#include <linux/mm.h>', '', '/* helpers */'];
  for (let i = 0; i < 120; i++) {
    out.push(`/*`, ` * helper ${i}`, ` */`, `static int helper_${i}(struct page *page, int n)`, '{', '\tint x = n * 2;', '', `\tif (x > ${i})`);
    out.push(`\t\tx = put_page_count(page, x + ${i});`, `\t// count ${i}`, i > 0 ? `\treturn helper_${i - 1}(page, x) + other_call(x);` : '\treturn x;', '}', '');
  }
  out.push('static vm_fault_t my_fault(struct vm_fault *vmf)', '{', '\treturn vmf_insert_pfn(vmf->vma, vmf->address, 1);', '}');
  out.push('static const struct vm_operations_struct my_ops = { .fault = my_fault };', '');
  return out.join('\n');
}

interface Stats {
  edits: number;
  fast: number;
  plainInBody: number;
  plainInBodyFast: number;
  /** Edits after which tree-sitter's incremental reparse differs from a fresh parse. */
  treeDivergences: number;
}

function run(name: string, text0: string, edits: number, rnd: () => number, stats: Stats, structuralRate = 0.1, restartEvery = Infinity): void {
  let doc = new IncrementalDocument(text0);
  const an = new IncrementalAnalyzer();
  const opts = { profiles: PROFILES };
  an.analyze(name, doc, opts);
  for (let i = 0; i < edits; i++) {
    if (i > 0 && i % restartEvery === 0) {
      // back to the pristine text (edits that break the syntax accumulate otherwise)
      doc = new IncrementalDocument(text0);
      an.analyze(name, doc, opts);
    }
    const text = doc.text;
    const at = Math.floor(rnd() * (text.length + 1));
    const structural = rnd() < structuralRate;
    const pick = (): string => (structural ? STRUCTURAL[Math.floor(rnd() * STRUCTURAL.length)]! : rnd() < 0.08 ? '\n' : PLAIN[Math.floor(rnd() * PLAIN.length)]!);
    const op = rnd();
    const starts = doc.lineOffsets;
    const from = positionAt(starts, at);
    let edit;
    let desc: string;
    if (op < 0.45 || at >= text.length) {
      const c = pick();
      edit = { range: { start: from, end: from }, text: c };
      desc = `insert ${JSON.stringify(c)} at ${at}`;
    } else if (op < 0.75) {
      edit = { range: { start: from, end: positionAt(starts, at + 1) }, text: '' };
      desc = `delete ${JSON.stringify(text[at])} at ${at}`;
    } else {
      const c = pick();
      edit = { range: { start: from, end: positionAt(starts, at + 1) }, text: c };
      desc = `replace ${JSON.stringify(text[at])} by ${JSON.stringify(c)} at ${at}`;
    }
    // plain edit inside a brace block (a rough "inside a function body")
    const plain = !structural && !/[{}#"'/\\*\n]/.test(text[at] ?? '') && text.lastIndexOf('\n{', at) > text.lastIndexOf('\n}', at);
    doc.applyEdits([edit]);
    const fastBefore = an.fastRuns;
    const got = an.analyze(name, doc, opts);
    const fast = an.fastRuns > fastBefore;
    stats.edits++;
    if (fast) stats.fast++;
    if (plain) {
      stats.plainInBody++;
      if (fast) stats.plainInBodyFast++;
      else if (process.env["FL_DEBUG"]) console.error("fallback:", an.lastFallback, desc);
    }
    check(name, doc, got, `${path.basename(name)} edit ${i} (${desc}, ${fast ? 'fast path' : `full: ${an.lastFallback}`}), seed ${SEED}`, stats, at);
  }
}

type Analysis = ReturnType<typeof analyzeText>;

/** Compares an incremental result with a full analysis of the same text (of the same tree when the trees diverged). */
function check(name: string, doc: IncrementalDocument, result: Analysis, where: string, stats: Stats, at = 0): void {
  const opts = { profiles: PROFILES };
  // internal-failure messages carry a stack excerpt whose depth varies between runs (stack
  // overflows in broken trees): compare their first line only
  const norm = (a: Analysis): Analysis => ({ ...a, facts: { ...a.facts, problems: a.facts.problems.map((x) => x.split(' | ')[0]!) } });
  const got = norm(result);
  let want = norm(analyzeText(name, doc.text, opts));
  if (!(isDeepStrictEqual(got.facts, want.facts) && isDeepStrictEqual(got.findings, want.findings))) {
    // tree-sitter's incremental reparse (after an edit that breaks the syntax) can recover
    // differently from a fresh parse; the server works on the incremental tree, so the reference
    // is then a full extraction of that same tree.
    stats.treeDivergences++;
    want = norm(analyzeTree(name, doc.text, doc.tree, opts));
  }
  if (process.env['FL_DEBUG'] && !isDeepStrictEqual(got.facts, want.facts)) {
    const names = (a: Analysis): string => a.facts.functions.map((f) => `${f.name}@${f.range.start.line}-${f.range.end.line}${f.detailed ? 'D' : ''}`).join(' ');
    const top = (t: import('../../server/src/parsing/parser').Tree): string => t.rootNode.namedChildren.map((c) => `${c.type}[${c.startIndex},${c.endIndex}]`).join(' ');
    console.error(`TREE ${top(doc.tree)}\nOLD ${top(doc.lastEdit!.oldTree)}\nFRESH ${top(parseC(doc.text))}\nCHANGED ${JSON.stringify(doc.tree.getChangedRanges(doc.lastEdit!.oldTree))}`);
    console.error(`GOT ${names(got)}\nWANT ${names(want)}\nTEXT ${JSON.stringify(doc.text.slice(at - 300, at + 300))}`);
  }
  assert.deepStrictEqual(got.facts, want.facts, `facts differ after ${where}`);
  assert.deepStrictEqual(got.findings, want.findings, `findings differ after ${where}`);
}

/**
 * The editor benchmark's edits (scripts/bench-lsp.ts): a space typed at column 0 of a line and
 * deleted again, on the given lines; returns how many took the fast path.
 */
function columnZero(name: string, text0: string, lines: number[], stats: Stats): number {
  const doc = new IncrementalDocument(text0);
  const an = new IncrementalAnalyzer();
  const opts = { profiles: PROFILES };
  an.analyze(name, doc, opts);
  let fast = 0;
  for (const line of lines) {
    for (const insert of [true, false]) {
      const edit = insert
        ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }
        : { range: { start: { line, character: 0 }, end: { line, character: 1 } }, text: '' };
      doc.applyEdits([edit]);
      const before = an.fastRuns;
      const got = an.analyze(name, doc, opts);
      if (an.fastRuns > before) fast++;
      else if (process.env['FL_DEBUG']) console.error(`full: ${an.lastFallback} (${insert ? 'insert' : 'delete'} at ${line}:0)`);
      stats.edits++;
      check(name, doc, got, `${path.basename(name)} ${insert ? 'insert' : 'delete'} at ${line}:0 (${an.fastRuns > before ? 'fast path' : `full: ${an.lastFallback}`})`, stats);
    }
  }
  return fast;
}

test('incrementally maintained facts and findings equal a full re-analysis after random edits', () => {
  const rnd = prng(SEED);
  const stats: Stats = { edits: 0, fast: 0, plainInBody: 0, plainInBodyFast: 0, treeDivergences: 0 };
  const files = [...cFiles(path.join(ROOT, 'examples')), ...cFiles(path.join(ROOT, 'test', 'fixtures'))];
  for (const f of files) run(f, fs.readFileSync(f, 'utf8'), 12, rnd, stats);
  const syn: Stats = { edits: 0, fast: 0, plainInBody: 0, plainInBodyFast: 0, treeDivergences: 0 };
  run('synthetic.c', synthetic(), 80, rnd, stats);
  // plain edits only (a structural one can break the rest of the file and force fallbacks)
  run('synthetic.c', synthetic(), 100, rnd, syn, 0, 10);
  stats.edits += syn.edits;
  stats.fast += syn.fast;
  stats.treeDivergences += syn.treeDivergences;
  assert.ok(stats.edits >= 300, `${stats.edits} edits`);
  const share = syn.plainInBodyFast / Math.max(1, syn.plainInBody);
  console.log(`all: ${stats.edits} edits, ${stats.fast} fast, ${stats.treeDivergences} incremental≠fresh trees; synthetic plain edits in bodies ${syn.plainInBodyFast}/${syn.plainInBody} fast`);
  assert.ok(share > 0.5, `fast path for ${syn.plainInBodyFast}/${syn.plainInBody} plain edits in function bodies (seed ${SEED})`);
});

test('mm/memory.c of the 6.12 tree: random edits stay equal, plain body edits mostly take the fast path', (t) => {
  if (!fs.existsSync(MEMORY_C)) {
    t.skip(`${MEMORY_C} not present`);
    return;
  }
  const rnd = prng(SEED ^ 0x9e3779b9);
  const stats: Stats = { edits: 0, fast: 0, plainInBody: 0, plainInBodyFast: 0, treeDivergences: 0 };
  const text = fs.readFileSync(MEMORY_C, 'utf8');
  const mixed: Stats = { edits: 0, fast: 0, plainInBody: 0, plainInBodyFast: 0, treeDivergences: 0 };
  run(MEMORY_C, text, 60, rnd, mixed);
  run(MEMORY_C, text, 80, rnd, stats, 0, 10);
  console.log(`memory.c mixed: ${mixed.edits} edits, ${mixed.fast} fast, ${mixed.treeDivergences} incremental≠fresh trees`);
  const share = stats.plainInBodyFast / Math.max(1, stats.plainInBody);
  console.log(`memory.c plain: ${stats.edits} edits, ${stats.fast} fast, ${stats.treeDivergences} incremental≠fresh trees; plain edits in bodies ${stats.plainInBodyFast}/${stats.plainInBody} fast`);
  assert.ok(share > 0.5, `fast path for ${stats.plainInBodyFast}/${stats.plainInBody} plain edits in function bodies (seed ${SEED})`);
});

/** Directives, include guards, continuations, non-ASCII comments and touching items around blank lines. */
function directiveFile(): string {
  return [
    '#ifndef _TEST_GUARD_H',
    '',
    '',
    '#define _TEST_GUARD_H',
    '/* déjà vu — comments with non-ASCII text */',
    '#include <linux/mm.h>',
    '',
    '#include <linux/pfn_t.h>',
    '#define MY_FLAGS (VM_PFNMAP | \\',
    '\t\t  VM_IO)',
    '',
    '#ifdef CONFIG_FOO',
    '',
    'static int helper(int x)',
    '{',
    '\t/* Straße: a comment with ß and — */',
    '',
    '\treturn x + 1;',
    '}',
    '',
    '#endif',
    '',
    '/*',
    ' * vm_flags_set() and vmf_insert_pfn_pmd_prot() in a comment, ünïcödé',
    ' */',
    'static vm_fault_t my_fault(struct vm_fault *vmf)',
    '{',
    '\tvm_flags_set(vmf->vma, MY_FLAGS);',
    '',
    '\treturn vmf_insert_pfn_pmd_prot(vmf, pfn_to_pfn_t(1), vmf->vma->vm_page_prot, true);',
    '}',
    '',
    'static const struct vm_operations_struct my_ops = { .huge_fault = my_fault };',
    '',
    '#endif /* _TEST_GUARD_H */',
    '',
  ].join('\n');
}

test('column-0 edits next to directives, include guards and non-ASCII comments stay equal', () => {
  const stats: Stats = { edits: 0, fast: 0, plainInBody: 0, plainInBodyFast: 0, treeDivergences: 0 };
  const text = directiveFile();
  const all = text.split('\n').map((_, i) => i);
  const fast = columnZero('directives.h', text, all, stats);
  // the same without the include guard (its 300-character window after `#ifndef` is avoided)
  const open = text.replace('#ifndef _TEST_GUARD_H', '#if defined(CONFIG_BAR)');
  const fastOpen = columnZero('directives.c', open, all, stats);
  // `#define G` ending exactly 300 characters after `#ifndef G`: one more space anywhere before it
  // and it is no include guard any more (the function's guard changes)
  const edge = ['#ifndef G', ...Array<string>(290).fill(''), '#define G', 'static int f(void)', '{', '\treturn 1;', '}', '#endif', ''].join('\n');
  assert.equal(edge.indexOf('#define G') + '#define G'.length, '#ifndef G'.length + 300);
  columnZero('edge.h', edge, [1, 2, 100, 289, 290, 292, 293, 296], stats);
  console.log(`directives: ${stats.edits} edits, ${fast + fastOpen} fast`);
  assert.ok(fastOpen > fast, `fewer fast edits outside an include guard window (${fastOpen} vs ${fast})`);
});

test('mm/memory.c: the benchmark edits (column 0 of comment and blank lines) stay equal and take the fast path', (t) => {
  if (!fs.existsSync(MEMORY_C)) {
    t.skip(`${MEMORY_C} not present`);
    return;
  }
  const text = fs.readFileSync(MEMORY_C, 'utf8');
  const lines = text.split('\n');
  // the benchmark's lines, and every blank line next to a directive
  const picked = new Set<number>();
  const bench: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*\*/.test(l) || /^\s*\/\//.test(l) || /^\s*$/.test(l)) bench.push(i);
  });
  for (let i = 0; i < 40; i++) picked.add(bench[(i * 104729) % bench.length]!);
  let near = 0;
  lines.forEach((l, i) => {
    if (near < 20 && /^\s*$/.test(l) && (/^#/.test(lines[i - 1] ?? '') || /^#/.test(lines[i + 1] ?? ''))) {
      picked.add(i);
      near++;
    }
  });
  const stats: Stats = { edits: 0, fast: 0, plainInBody: 0, plainInBodyFast: 0, treeDivergences: 0 };
  const fast = columnZero(MEMORY_C, text, [...picked].sort((a, b) => a - b), stats);
  console.log(`memory.c column 0: ${stats.edits} edits, ${fast} fast`);
  assert.ok(fast >= 0.9 * stats.edits, `fast path for ${fast}/${stats.edits} column-0 edits`);
});

test('re-analysis of an unchanged text reuses the facts and follows a changed workspace index', () => {
  const dir = path.join(ROOT, 'test', 'fixtures', 'workspace-xfile');
  const fault = path.join(dir, 'bo_fault.c');
  const mmap = path.join(dir, 'bo_mmap.c');
  const text = fs.readFileSync(fault, 'utf8');
  const doc = new IncrementalDocument(text);
  const an = new IncrementalAnalyzer();
  const index = new WorkspaceIndex();
  const opts = { profiles: [mustParseProfile('6.12/x86_64')], workspace: index.viewExcluding(fault) };
  const before = an.analyze(fault, doc, opts);
  assert.deepStrictEqual(before.findings, analyzeText(fault, text, opts).findings);
  // the other file arrives in the index: same text, so the facts are reused, the rules see it
  index.update(mmap, summarizeForIndex(analyzeText(mmap, fs.readFileSync(mmap, 'utf8'), { profiles: opts.profiles }).facts));
  const after = an.analyze(fault, doc, opts);
  assert.equal(an.reusedRuns, 1);
  assert.deepStrictEqual(after.facts, before.facts);
  assert.deepStrictEqual(after.findings, analyzeText(fault, text, opts).findings);
  assert.notDeepStrictEqual(after.findings, before.findings, 'the index changes the findings (FL004 names the other file)');
});
