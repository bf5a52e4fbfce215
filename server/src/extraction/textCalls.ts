// A comment-, string- and directive-aware token scan that lists `name(` call sites in a span of
// text. Used for functions that are not walked in detail: reading tree nodes costs ~1 µs each
// through the Node binding, scanning the text costs almost nothing. Callee names and ranges are
// exact; arguments are not split (args: []).

import { positionAt } from '../common/text';
import type { CallFact } from './facts';

const NOT_CALLS = new Set([
  'if', 'for', 'while', 'switch', 'return', 'sizeof', 'typeof', '__typeof__', '__typeof', 'defined', 'do', 'case',
  '_Static_assert', 'static_assert', 'alignof', '_Alignof', '__alignof__', 'asm', '__asm__', 'else', 'goto',
]);

// Character classes for the scan loop (ASCII only; everything else is "other").
const OTHER = 0;
const IDENT = 1; // A-Z a-z _
const DIGIT = 2;
const SPACE = 3; // space, tab, CR
const NEWLINE = 4;
const HASH = 5;
const SLASH = 6;
const QUOTE = 7; // " and '
const CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLASS[c] = IDENT;
for (let c = 97; c <= 122; c++) CLASS[c] = IDENT;
CLASS[95] = IDENT;
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
CLASS[32] = CLASS[9] = CLASS[13] = SPACE;
CLASS[10] = NEWLINE;
CLASS[35] = HASH;
CLASS[47] = SLASH;
CLASS[34] = CLASS[39] = QUOTE;
void OTHER;

function isIdentChar(d: number): boolean {
  return d < 128 && (CLASS[d] === IDENT || CLASS[d] === DIGIT);
}

// Most names are not keywords: looking a fresh slice up in NOT_CALLS hashes it, so the set is
// asked only when some keyword has the name's first character and length.
const KEYWORD_SHAPE = new Uint8Array(128 * 16);
for (const k of NOT_CALLS) KEYWORD_SHAPE[k.charCodeAt(0) * 16 + k.length] = 1;

function isKeyword(text: string, start: number, end: number): boolean {
  const len = end - start;
  return len < 16 && KEYWORD_SHAPE[text.charCodeAt(start) * 16 + len] === 1 && NOT_CALLS.has(text.slice(start, end));
}

export function scanCalls(text: string, from: number, to: number, starts: number[]): CallFact[] {
  const out: CallFact[] = [];
  // calls come in text order: their line is found by walking forward from the previous one
  let line = positionAt(starts, from).line;
  let i = from;
  let lineStart = true;
  while (i < to) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? CLASS[c]! : OTHER;
    if (k === IDENT) {
      lineStart = false;
      let e = i + 1;
      while (e < to && isIdentChar(text.charCodeAt(e))) e++;
      let p = e;
      while (p < to && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (text.charCodeAt(p) === 40) {
        const b = prevIndex(text, i, from);
        const before = b < i ? text.charCodeAt(b) : 0;
        const member = before === 46 || (before === 62 && text.charCodeAt(b - 1) === 45);
        if (!member && !isKeyword(text, i, e)) {
          while (line + 1 < starts.length && starts[line + 1]! <= i) line++;
          const s = { line, character: i - starts[line]! };
          const end = { line, character: s.character + (e - i) };
          out.push({ callee: text.slice(i, e), range: { start: s, end }, calleeRange: { start: s, end }, args: [] });
        }
      }
      i = e;
      continue;
    }
    if (k === SPACE) {
      i++;
      continue;
    }
    if (k === NEWLINE) {
      lineStart = true;
      i++;
      continue;
    }
    if (k === HASH && lineStart) {
      for (;;) {
        const nl = text.indexOf('\n', i);
        if (nl < 0 || nl >= to) {
          i = to;
          break;
        }
        const prev = text.charCodeAt(nl - 1) === 13 ? nl - 2 : nl - 1;
        i = nl + 1;
        if (text.charCodeAt(prev) !== 92) break;
      }
      continue;
    }
    lineStart = false;
    if (k === SLASH) {
      const n = text.charCodeAt(i + 1);
      if (n === 42) {
        const e = text.indexOf('*/', i + 2);
        i = e < 0 ? to : e + 2;
        continue;
      }
      if (n === 47) {
        const e = text.indexOf('\n', i);
        i = e < 0 ? to : e;
        continue;
      }
      i++;
      continue;
    }
    if (k === QUOTE) {
      let q = i + 1;
      while (q < to) {
        const d = text.charCodeAt(q);
        if (d === 92) q += 2;
        else if (d === c || d === 10) break;
        else q++;
      }
      i = q + 1;
      continue;
    }
    if (k === DIGIT) {
      let q = i + 1;
      for (; q < to; q++) {
        const d = text.charCodeAt(q);
        if (!(isIdentChar(d) || d === 46)) break;
      }
      i = q;
      continue;
    }
    i++;
  }
  return out;
}

function prevIndex(text: string, i: number, from: number): number {
  for (let k = i - 1; k >= from; k--) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return k;
  }
  return i;
}
