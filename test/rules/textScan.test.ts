// FL009's text scans carried over from one version of a file to the next (server/src/rules/
// textScan.ts) must equal a fresh scan of the new text: code view, line starts, every pattern's
// matches and the guard of every line, after random edits of any character (structural ones
// included: comment and string delimiters, `#`, backslashes, newlines).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextScan, codeViewOf, type ScanPattern } from '../../server/src/rules/textScan';
import { fl009Patterns } from '../../server/src/rules/FL009-apiNotInVersion';
import { buildGuardMap } from '../../server/src/extraction/guards';
import { prng } from '../prng';
import { codeUnits, fromCodeUnits } from '../../server/src/common/text';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MEMORY_C = '/work/kernels/linux-source-6.12/mm/memory.c';
const SEED = Number(process.env['FAULTLINE_TEST_SEED'] ?? 0x7e57);

function cFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...cFiles(p));
    else if (e.name.endsWith('.c') || e.name.endsWith('.h')) out.push(p);
  }
  return out.sort();
}

const PIECES = [
  ' ', ' ', 'a', 'x', '_', '\n', '\t', '/', '*', '/*', '*/', '//', '"', "'", '\\', '#', '#define X 1\n', '#if A\n', '#endif\n', '#ifndef G\n',
  '(', ')', '{', '}', ';', '=', '|=', '->', 'vma->vm_flags |= 1;', 'vm_flags_set(', 'pfn_t', 'typedef u64 pfn_t;', 'enum page_entry_size {',
  'struct vm_area_struct {', 'vmf_insert_pfn_pmd_prot', 'PFN_DEV', '\u00a0', 'é', '\r\n',
];

const patterns = Object.values(fl009Patterns()) as ScanPattern[];

function compare(carried: TextScan, text: string, where: string): void {
  const fresh = new TextScan(text);
  assert.deepEqual(carried.starts, fresh.starts, `line starts differ ${where}`);
  assert.equal(carried.clean, fresh.clean, `code view differs ${where}`);
  for (const p of patterns) assert.deepEqual(carried.matches(p), fresh.matches(p), `matches of ${p.re.source.slice(0, 40)} differ ${where}`);
  for (let l = 0; l < fresh.starts.length; l++) assert.deepEqual(carried.guardAt(l), fresh.guardAt(l), `guard of line ${l} differs ${where}`);
}

/** Random edits of `text0`; every scan is carried over from the previous one. */
function run(name: string, text0: string, edits: number, rnd: () => number): number {
  let text = text0;
  let scan = new TextScan(text);
  // compute everything once, so that every part is carried over
  void scan.clean;
  for (const p of patterns) scan.matches(p);
  scan.guardAt(0);
  let carried = 0;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * (text.length + 1));
    const del = rnd() < 0.4 ? Math.floor(rnd() * 3) : 0;
    const ins = rnd() < 0.7 ? PIECES[Math.floor(rnd() * PIECES.length)]! : '';
    const next = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + del));
    const after = scan.after(next);
    const where = `after edit ${i} of ${path.basename(name)} (${JSON.stringify(text.slice(at, at + del))} → ${JSON.stringify(ins)} at ${at}), seed ${SEED}`;
    if (after) {
      carried++;
      compare(after, next, where);
      scan = after;
    } else {
      scan = new TextScan(next);
      void scan.clean;
      for (const p of patterns) scan.matches(p);
      scan.guardAt(0);
    }
    text = next;
  }
  return carried;
}

/** Dense in everything the patterns look for, behind an include guard. */
function dense(): string {
  const out = ['#ifndef DENSE_H', '', '#define DENSE_H', ''];
  for (let i = 0; i < 30; i++) {
    out.push(`#define F${i} (VM_PFNMAP | \\`, '\tVM_IO)', `#if defined(CONFIG_A${i % 3})`);
    out.push(`typedef struct { u64 v; }`, `\tpfn_t;`, `enum page_entry_size\t{ PE_${i} };`);
    out.push(`static int f${i}(struct vm_area_struct *vma, struct vm_fault *vmf)`, '{');
    out.push(`\tvm_flags_set (vma, F${i}); /* vm_flags_clear( */ vma->vm_flags |= VM_IO;`);
    out.push(`\tvmf -> vma ->  vm_flags = 0; vma->vm_flags == 1;`, `\treturn vmf_insert_pfn_pmd_prot(vmf, pfn_to_pfn_t(1),`, '\t\tPAGE_SHARED, true) + "vm_flags_set(" [0];');
    out.push('}', '#else', 'struct vm_area_struct {', '\tint x;', '};', '#endif', '');
  }
  out.push('#endif');
  return out.join('\n');
}

/**
 * Reference for the code view: a plain character loop (the incremental scanner in textScan.ts must
 * agree with it on every file).
 */
function blankNonCode(text: string): string {
  // One UTF-16 code unit per character, blanked in place, decoded once: far cheaper than slicing
  // and joining thousands of comment/string pieces of a 200 KB file on every edit.
  const out = codeUnits(text);
  let touched = false;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== 10) out[k] = 32;
    if (to > from) touched = true;
  };
  let i = 0;
  const n = text.length;
  let lineStart = true;
  while (i < n) {
    const c = out[i];
    if (c === 10) { lineStart = true; i++; continue; }
    if (lineStart && (c === 32 || c === 9)) { i++; continue; }
    if (lineStart && c === 35 /* # */) {
      // preprocessor line, with continuations: up to the first newline not preceded by a backslash
      let j = text.indexOf('\n', i);
      while (j !== -1 && j > i && out[j - 1] === 92) j = text.indexOf('\n', j + 1);
      const stop = j === -1 ? n : j;
      blank(i, stop);
      i = stop;
      continue;
    }
    lineStart = false;
    if (c === 47 /* / */ && out[i + 1] === 42 /* * */) {
      const e = text.indexOf('*/', i + 2);
      const stop = e === -1 ? n : e + 2;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === 47 && out[i + 1] === 47) {
      const e = text.indexOf('\n', i);
      const stop = e === -1 ? n : e;
      blank(i, stop);
      i = stop;
      continue;
    }
    if (c === 34 || c === 39) {
      const from = i++;
      while (i < n && out[i] !== c && out[i] !== 10) {
        if (out[i] === 92) i++;
        if (i < n && out[i] !== 10) i++;
      }
      if (i < n && out[i] === c) i++;
      blank(from, i);
      continue;
    }
    i++;
  }
  if (!touched) return text;
  return fromCodeUnits(out);
}

test('the code view equals the reference loop, the guards equal buildGuardMap', () => {
  const files = [...cFiles(path.join(ROOT, 'examples')), ...cFiles(path.join(ROOT, 'test', 'fixtures'))];
  if (fs.existsSync(MEMORY_C)) files.push(MEMORY_C);
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    assert.equal(codeViewOf(text).clean, blankNonCode(text), f);
    const s = new TextScan(text);
    const gm = buildGuardMap(text);
    for (let l = 0; l < s.starts.length; l++) assert.deepEqual(s.guardAt(l), gm.at(l), `${f}:${l}`);
  }
});

test('scans carried over an edit equal fresh scans (random edits, structural ones included)', () => {
  const rnd = prng(SEED);
  let edits = 0;
  let carried = 0;
  for (const f of [...cFiles(path.join(ROOT, 'examples')), ...cFiles(path.join(ROOT, 'test', 'fixtures', 'rules'))]) {
    carried += run(f, fs.readFileSync(f, 'utf8'), 40, rnd);
    edits += 40;
  }
  for (let r = 0; r < 4; r++) {
    carried += run(`dense${r}.h`, dense(), 200, rnd);
    edits += 200;
  }
  if (fs.existsSync(MEMORY_C)) {
    carried += run(MEMORY_C, fs.readFileSync(MEMORY_C, 'utf8'), 150, rnd);
    edits += 150;
  }
  console.log(`text scans: ${edits} edits, ${carried} carried over`);
  assert.ok(carried > 0.8 * edits, `${carried}/${edits} carried over`);
});

test('an edit between `#ifndef G` and `#define G` (the include-guard window) is not shifted past', () => {
  const text = ['/* header */', '#ifndef G', '', '#define G', 'static int f(void)', '{', '\treturn 0;', '}', '#endif', ''].join('\n');
  const blank = text.indexOf('\n\n') + 1;
  for (const ins of ['x', ' ', '\n', 'int a;\n']) {
    const scan = new TextScan(text);
    for (let l = 0; l < scan.starts.length; l++) scan.guardAt(l);
    const next = text.slice(0, blank) + ins + text.slice(blank);
    const after = scan.after(next)!;
    const fresh = new TextScan(next);
    for (let l = 0; l < fresh.starts.length; l++) assert.deepEqual(after.guardAt(l), fresh.guardAt(l), `line ${l} after inserting ${JSON.stringify(ins)}`);
  }
});

test('an edit that makes or breaks a comment delimiter around directives rebuilds the guards', () => {
  const cases: [string, number, number, string][] = [];
  const commented = ['int z;', '/*', '#if defined(CONFIG_A)', '*/', 'int a;', '#endif', 'int b;', ''].join('\n');
  const open = commented.indexOf('/*') + 1;
  cases.push([commented, open, open, ' ']); // `/ *`: the directive is no longer commented out
  const broken = commented.replace('/*', '/ *');
  const gap = broken.indexOf('/ *') + 1;
  cases.push([broken, gap, gap + 1, '']); // `/*` made again
  const close = commented.indexOf('*/') + 1;
  cases.push([commented, close, close, ' ']); // `* /`
  for (const [text, from, to, ins] of cases) {
    const scan = new TextScan(text);
    scan.guardAt(0);
    const next = text.slice(0, from) + ins + text.slice(to);
    const after = scan.after(next)!;
    const fresh = new TextScan(next);
    for (let l = 0; l < fresh.starts.length; l++) assert.deepEqual(after.guardAt(l), fresh.guardAt(l), `line ${l} of ${JSON.stringify(next)}`);
  }
});
