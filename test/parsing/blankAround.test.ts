// Kernel annotations re-blanked only around an edit (parsing/incrementalDocument.ts blankAround)
// must equal blanking the whole new text: random edits near annotations with and without
// arguments, words, whitespace and parentheses; and an IncrementalDocument's prepared text after
// each edit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { blankAround, IncrementalDocument } from '../../server/src/parsing/incrementalDocument';
import { blankKernelAnnotations } from '../../server/src/parsing/kernelMacros';
import { positionAt } from '../../server/src/common/text';
import { prng } from '../prng';

const SEED = Number(process.env['FAULTLINE_TEST_SEED'] ?? 0xb1a4);
const MEMORY_C = '/work/kernels/linux-source-6.12/mm/memory.c';

const PIECES = [' ', '  ', '\n', '\t', 'a', '_', '(', ')', '((', '))', ';', '__init', '__user', '__initdata', 'noinline', '__must_check ', 'static ', 'int', ' (', '__', 'init', 'x', ' \n (', 'ata'];
/** Rarer: annotations with arguments (each one keeps the next 4200 characters on the full path). */
const CALLS = ['__aligned(8)', '__attribute__((packed))', '__printf(1, 2)', '__aligned', ')'];

/** Annotations with arguments in the first blocks only, so most of the text is far from them. */
function annotated(): string {
  const out: string[] = [];
  for (let i = 0; i < 120; i++) {
    if (i < 6) {
      out.push(`struct s${i} { int a; } __aligned(${i % 8}) __packed;`, `static void f${i}(void) __attribute__((section(".x${i}")));`, `void __printf(1, 2) log${i}(const char *f, ...);`);
    }
    out.push(`static int __init setup_${i}(char __user *buf) __must_check;`, `static noinline void g${i}(void);`, `int __initdata v${i} = ${i};`);
    out.push(`#define M${i} __init`, `int h${i}(int __user`, `\t*p);`, `__init`, `(void);`, `__user  `, '');
  }
  return out.join('\n');
}

test('blanking around an edit equals blanking the whole new text', () => {
  const rnd = prng(SEED);
  let text = annotated();
  let prepared = blankKernelAnnotations(text);
  let windowed = 0;
  for (let i = 0; i < 3000; i++) {
    const at = Math.floor(rnd() * (text.length + 1));
    const del = rnd() < 0.4 ? Math.floor(rnd() * 4) : 0;
    const ins = rnd() < 0.02 ? CALLS[Math.floor(rnd() * CALLS.length)]! : rnd() < 0.75 ? PIECES[Math.floor(rnd() * PIECES.length)]! : '';
    const end = Math.min(text.length, at + del);
    const next = text.slice(0, at) + ins + text.slice(end);
    const want = blankKernelAnnotations(next);
    const got = blankAround(text, prepared, next, { start: at, oldEnd: end, newEnd: at + ins.length });
    if (got !== undefined) {
      windowed++;
      assert.equal(got, want, `edit ${i}: ${JSON.stringify(text.slice(at, end))} → ${JSON.stringify(ins)} at ${at} (seed ${SEED})`);
    }
    text = next;
    prepared = want;
  }
  console.log(`blankAround: 3000 edits, ${windowed} windowed`);
  assert.ok(windowed > 500, `${windowed} windowed`);
});

test('an incrementally edited document keeps the prepared text of a full blanking', (t) => {
  if (!fs.existsSync(MEMORY_C)) {
    t.skip(`${MEMORY_C} not present`);
    return;
  }
  const rnd = prng(SEED ^ 0x55);
  const doc = new IncrementalDocument(fs.readFileSync(MEMORY_C, 'utf8'));
  for (let i = 0; i < 150; i++) {
    const text = doc.text;
    const at = Math.floor(rnd() * text.length);
    const del = rnd() < 0.4 ? 1 : 0;
    const ins = rnd() < 0.05 ? CALLS[Math.floor(rnd() * CALLS.length)]! : rnd() < 0.8 ? PIECES[Math.floor(rnd() * PIECES.length)]! : '';
    doc.applyEdits([{ range: { start: positionAt(doc.lineOffsets, at), end: positionAt(doc.lineOffsets, at + del) }, text: ins }]);
    assert.equal(doc.preparedText, blankKernelAnnotations(doc.text), `edit ${i} at ${at} (seed ${SEED})`);
  }
});
