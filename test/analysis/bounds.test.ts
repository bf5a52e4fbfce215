// Bounded work (issue 9): the per-analysis time budget (parse, extraction and rules), the
// pathological inputs that used to run for minutes, and the workspace index's file cap.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/documentAnalysis';
import { WorkspaceIndex } from '../../server/src/analysis/workspaceIndex';
import { mustParseProfile } from '../../server/src/model';
import { IncrementalDocument, ParseTimeoutError, applyTextEdits } from '../../server/src/parsing/incrementalDocument';

const PROFILES = [mustParseProfile('6.12/x86_64'), mustParseProfile('6.12/arm64')];

function longHandler(lines: number): string {
  const out = ['static vm_fault_t h(struct vm_fault *vmf)', '{'];
  for (let i = 0; i < lines; i++) out.push(i % 10 === 0 ? `\tif (x) return vmf_insert_pfn_pmd(vmf, pfn + ${i}, true);` : `\tx = x + ${i};`);
  out.push('\treturn VM_FAULT_FALLBACK;', '}', 'static const struct vm_operations_struct o = { .huge_fault = h };');
  return out.join('\n');
}

test('a 100k-line handler stops at the time budget with a partial note instead of running for minutes', () => {
  const started = performance.now();
  const a = analyzeText('long.c', longHandler(100_000), { profiles: PROFILES, timeBudgetMs: 1000 });
  const ms = performance.now() - started;
  assert.ok(a.partial, 'reported as partial');
  assert.match(a.partial!, /time budget of 1000 ms/);
  assert.ok(ms < 10_000, `bounded: ${Math.round(ms)} ms`);
  assert.deepEqual(a.facts.insertionSites, [], 'no facts from a walk that was cut short');
});

test('10k nested #ifdef no longer costs O(depth²) in the guard map', () => {
  const text = `${'#ifdef CONFIG_A\n'.repeat(10_000)}int x;\n${'#endif\n'.repeat(10_000)}`;
  const started = performance.now();
  const a = analyzeText('deep.c', text, { profiles: PROFILES, timeBudgetMs: 20_000 });
  assert.equal(a.partial, undefined);
  assert.ok(performance.now() - started < 10_000, 'was ~13 s and 2.7 GB before the fix');
});

test('a document parse beyond its time limit throws ParseTimeoutError', () => {
  const big = 'int f(void) { return 1 + 2; }\n'.repeat(400_000);
  assert.throws(() => new IncrementalDocument(big, 5), ParseTimeoutError);
  // The shared parser is usable afterwards.
  const doc = new IncrementalDocument('int x;\n', 1000);
  assert.equal(doc.tree.rootNode.type, 'translation_unit');
});

test('out-of-range and reversed edit ranges are clamped, never garble into NaN slices', () => {
  assert.equal(applyTextEdits('abc\ndef', [{ range: { start: { line: 9, character: 0 }, end: { line: 99, character: 5 } }, text: '!' }]), 'abc\ndef!');
  assert.equal(applyTextEdits('abc\ndef', [{ range: { start: { line: 0, character: 2 }, end: { line: 0, character: 1 } }, text: 'X' }]), 'abXc\ndef');
  assert.equal(applyTextEdits('abc\ndef', [{ range: { start: { line: 0, character: 99 }, end: { line: 1, character: 1 } }, text: '' }]), 'abcef');
});

test('the workspace index holds its file cap', () => {
  const index = new WorkspaceIndex(3);
  const summary = { functions: [], installedOps: [] } as unknown as Parameters<WorkspaceIndex['update']>[1];
  for (let i = 0; i < 10; i++) index.update(`/f${i}.c`, summary);
  assert.equal(index.size, 3);
  index.update('/f0.c', summary); // updating a known file is still allowed when full
  assert.equal(index.size, 3);
});
