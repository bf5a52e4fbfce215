import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countParseErrors, parseC } from '../../server/src/parsing/parser';
import { IncrementalDocument } from '../../server/src/parsing/incrementalDocument';
import { blankKernelAnnotations } from '../../server/src/parsing/kernelMacros';

const KERNEL_STYLE = `// SPDX-License-Identifier: GPL-2.0
#include <linux/mm.h>
/* déjà vu: non-ASCII before code shifts byte offsets but not UTF-16 ones */
static vm_fault_t __maybe_unused demo_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	pfn_t pfn = __pfn_to_pfn_t(vmf->pgoff, PFN_DEV);
	if (order != PMD_ORDER)
		return VM_FAULT_FALLBACK;
	return vmf_insert_pfn_pmd(vmf, pfn, false);
}
static const struct vm_operations_struct demo_ops __maybe_unused = {
	.huge_fault = demo_huge_fault,
};
static int __init demo_init(void) { return 0; }
`;

test('the pinned tree-sitter-c grammar loads and parses kernel-style C', () => {
  const tree = parseC(KERNEL_STYLE);
  assert.equal(tree.rootNode.type, 'translation_unit');
  assert.equal(countParseErrors(tree), 0);
  const fns = tree.rootNode.descendantsOfType('function_definition');
  const names = fns.map((f) => f.childForFieldName('declarator')?.childForFieldName('declarator')?.text);
  assert.deepEqual(names, ['demo_huge_fault', 'demo_init']);
  const call = tree.rootNode.descendantsOfType('call_expression').find((c) => c.text.startsWith('vmf_insert_pfn_pmd'));
  assert.ok(call);
  // Columns are UTF-16 code units on the line, as LSP wants.
  assert.equal(call.startPosition.row, 8);
  assert.equal(call.startPosition.column, KERNEL_STYLE.split('\n')[8]!.indexOf('vmf_insert_pfn_pmd'));
});

test('annotation blanking keeps length and line structure', () => {
  const src = 'static int __init f(void) __must_hold(&x)\n{ char __user *p; }';
  const out = blankKernelAnnotations(src);
  assert.equal(out.length, src.length);
  assert.equal(out, 'static int ' + ' '.repeat(6) + ' f(void) ' + ' '.repeat(15) + '\n{ char ' + ' '.repeat(6) + ' *p; }');
});

test('incremental edits give the same tree as a full parse', () => {
  const doc = new IncrementalDocument(KERNEL_STYLE);
  doc.applyEdits([{ range: { start: { line: 6, character: 14 }, end: { line: 6, character: 23 } }, text: 'PUD_ORDER' }]);
  doc.applyEdits([{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 4 } }, text: 'ü' }]);
  doc.applyEdits([{ range: { start: { line: 12, character: 11 }, end: { line: 12, character: 17 } }, text: '__init' }]);
  assert.equal(doc.incrementalParses, 3);
  const full = parseC(doc.text);
  assert.equal(doc.tree.rootNode.toString(), full.rootNode.toString());
  assert.ok(doc.text.includes('order != PUD_ORDER'));
});

test('a multi-megabyte file parses (bufferSize)', () => {
  const big = Array.from({ length: 40000 }, (_, i) => `static int reg_${i} = ${i};`).join('\n');
  assert.ok(big.length > 1_000_000);
  const tree = parseC(big);
  assert.equal(tree.rootNode.namedChildCount, 40000);
});
