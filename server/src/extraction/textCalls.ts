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

export function scanCalls(text: string, from: number, to: number, starts: number[]): CallFact[] {
  const out: CallFact[] = [];
  let i = from;
  let lineStart = true;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    if (c === 35 /* # */ && lineStart) {
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
    if (c === 47 /* / */) {
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
    if (c === 34 || c === 39) {
      let k = i + 1;
      while (k < to) {
        const d = text.charCodeAt(k);
        if (d === 92) k += 2;
        else if (d === c || d === 10) break;
        else k++;
      }
      i = k + 1;
      continue;
    }
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      let k = i + 1;
      for (; k < to; k++) {
        const d = text.charCodeAt(k);
        if (!((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || (d >= 48 && d <= 57))) break;
      }
      let p = k;
      while (p < to && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
      if (text.charCodeAt(p) === 40) {
        const name = text.slice(i, k);
        const b = prevIndex(text, i, from);
        const before = b < i ? text.charCodeAt(b) : 0;
        const member = before === 46 || (before === 62 && text.charCodeAt(b - 1) === 45);
        if (!member && !NOT_CALLS.has(name)) {
          const s = positionAt(starts, i);
          const e = positionAt(starts, k);
          out.push({ callee: name, range: { start: s, end: e }, calleeRange: { start: s, end: e }, args: [] });
        }
      }
      i = k;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let k = i + 1;
      for (; k < to; k++) {
        const d = text.charCodeAt(k);
        if (!((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || d === 46 || (d >= 48 && d <= 57))) break;
      }
      i = k;
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
