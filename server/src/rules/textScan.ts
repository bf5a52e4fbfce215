// FL009's whole-text scans, kept per file and updated around an edit. FL009 reads the whole text
// (API names outside comments, strings and directives; `#define`d names; a few declarations;
// the preprocessor guard of a line); on mm/memory.c that was ~4 ms per keystroke. The scan of the
// previous version of the same file is kept, and a new version that differs from it in one region
// is rescanned only around that region:
//
// - the code view (comments, strings and directive lines blanked) is
//   rescanned from the last line start before the change where the scanner was in plain code to
//   the first line start after it where both scans are again in plain code;
// - a pattern's matches are re-read from the last character before the change that no match can
//   span (each pattern names the characters its matches are made of) until the new scan meets a
//   match of the old scan at the same place in the unchanged tail;
// - the guard of each line (extraction/guards.ts) is shifted when the change cannot touch a
//   directive (no `#`, `\`, comment delimiter on or next to the edited lines, and away from the
//   include-guard window after a first `#ifndef`), else rebuilt.
//
// Every result equals that of a fresh scan of the new text (test/rules/textScan.test.ts).

import type { GuardExpr } from '../common/guardExpr';
import { ALWAYS } from '../common/guardExpr';
import { codeUnits, fromCodeUnits, lineStarts, positionAt, type Position } from '../common/text';
import { textChange, type TextChange } from '../common/textDiff';
import { buildGuardMap } from '../extraction/guards';

/** A regular expression (global, no `$` or end-of-text test) over the code view or the raw text. */
export interface ScanPattern {
  re: RegExp;
  /** Matched against the text with comments, strings and directive lines blanked. */
  code: boolean;
  /**
   * Whether a match can contain this character (UTF-16 code unit). Also true for a character a
   * lookahead reads right after a match's last one when that last one is in the set. Returning
   * true for every character is always correct (updates are then whole-text scans).
   */
  spans(c: number): boolean;
}

/** JavaScript's `\s`. */
export function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** JavaScript's `\w` (without the u flag). */
export function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export interface Hit {
  /** Offset of the match. */
  at: number;
  /** The matched text and the first two groups. */
  text: string;
  g1: string | undefined;
  g2: string | undefined;
}

/** Beyond this many characters of rescanning, a fresh scan is as cheap. */
const MAX_RESCAN = 64 * 1024;

export class TextScan {
  readonly starts: number[];
  private code?: { clean: string; syncs: number[] };
  private readonly hits = new Map<ScanPattern, Hit[]>();
  private guards?: { lines: number[]; exprs: GuardExpr[] };

  constructor(readonly text: string, starts?: number[]) {
    this.starts = starts ?? lineStarts(text);
  }

  /** The text with comments, strings, character literals and directive lines blanked. */
  get clean(): string {
    this.code ??= codeViewOf(this.text);
    return this.code.clean;
  }

  /** Matches of `p` in order (as `re.exec` finds them from the start). */
  matches(p: ScanPattern): Hit[] {
    let h = this.hits.get(p);
    if (!h) {
      h = [];
      collect(p.code ? this.clean : this.text, p.re, 0, Infinity, h);
      this.hits.set(p, h);
    }
    return h;
  }

  position(offset: number): Position {
    return positionAt(this.starts, offset);
  }

  /** The preprocessor guard of a 0-based line (extraction/guards.ts's GuardMap.at). */
  guardAt(line: number): GuardExpr {
    if (!this.guards) {
      const gm = buildGuardMap(this.text);
      const lines: number[] = [];
      const exprs: GuardExpr[] = [];
      let last: GuardExpr | undefined;
      for (let l = 0; l < this.starts.length; l++) {
        const g = gm.at(l);
        if (g !== last) {
          lines.push(l);
          exprs.push(g);
          last = g;
        }
      }
      this.guards = { lines, exprs };
    }
    const { lines, exprs } = this.guards;
    let lo = 0;
    let hi = lines.length - 1;
    if (hi < 0 || line < lines[0]!) return ALWAYS;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return exprs[lo]!;
  }

  /**
   * This scan carried over to `text`: what was computed here is updated around the change, or
   * undefined when the change is too large (a fresh TextScan is then as cheap).
   */
  after(text: string): TextScan | undefined {
    const old = this.text;
    const ch = textChange(old, text);
    const delta = text.length - old.length;
    if (ch.oldEnd - ch.start > MAX_RESCAN || ch.newEnd - ch.start > MAX_RESCAN) return undefined;
    const next = new TextScan(text, spliceStarts(this.starts, text, ch));
    // code view
    let codeFrom = ch.start;
    let codeTo = ch.newEnd;
    if (this.code) {
      const r = updateCode(this.code, text, ch);
      if (!r) return undefined;
      next.code = r.view;
      codeFrom = r.from;
      codeTo = r.to;
    }
    for (const [p, hits] of this.hits) {
      if (p.code && !next.code) continue;
      const s = p.code ? next.code!.clean : text;
      const h = p.code ? rescan(hits, s, p, codeFrom, codeTo, delta) : rescan(hits, s, p, ch.start, ch.newEnd, delta);
      if (h) next.hits.set(p, h);
    }
    if (this.guards && directiveSafe(old, text, ch)) next.guards = shiftGuards(this.guards, old, text, ch, next.starts);
    return next;
  }
}

// ---- per-file cache ------------------------------------------------------------------------

const scans = new Map<string, TextScan>();
const MAX_FILES = 8;

/** The scan of `text`, carried over from the previous text of `file` when that is possible. */
export function textScanFor(file: string, text: string): TextScan {
  const last = scans.get(file);
  if (last && last.text === text) return last;
  const next = (last && last.text.length > 0 ? last.after(text) : undefined) ?? new TextScan(text);
  scans.delete(file);
  scans.set(file, next);
  if (scans.size > MAX_FILES) scans.delete(scans.keys().next().value as string);
  return next;
}

// ---- matches -------------------------------------------------------------------------------

function collect(s: string, re: RegExp, from: number, before: number, out: Hit[]): void {
  re.lastIndex = from;
  for (let m = re.exec(s); m && m.index < before; m = re.exec(s)) {
    out.push({ at: m.index, text: m[0], g1: m[1], g2: m[2] });
    if (m[0].length === 0) re.lastIndex++;
  }
}

/**
 * The matches of `p` in `s` (the new text) from those of the old text, which agrees with `s`
 * before `from` and from `to` on (`to - delta` in the old text). Between the nearest characters
 * no match can contain, left of `from` and right of `to`, the new text is matched afresh; no match
 * crosses them, and a scan goes on past them the same way in both texts.
 */
function rescan(old: Hit[], s: string, p: ScanPattern, from: number, to: number, delta: number): Hit[] | undefined {
  let left = from;
  while (left > 0 && p.spans(s.charCodeAt(left - 1))) {
    left--;
    if (from - left > MAX_RESCAN) return undefined;
  }
  let right = to;
  while (right < s.length && p.spans(s.charCodeAt(right))) {
    right++;
    if (right - to > MAX_RESCAN) return undefined;
  }
  const out: Hit[] = [];
  let k = 0;
  while (k < old.length && old[k]!.at < left) out.push(old[k++]!);
  // no match contains `right` and no attempt looks past it: the text up to it is enough
  collect(right < s.length ? s.slice(0, right + 1) : s, p.re, left, right, out);
  const tail = right - delta;
  while (k < old.length && old[k]!.at <= tail) k++;
  for (; k < old.length; k++) {
    const x = old[k]!;
    out.push(delta === 0 ? x : { at: x.at + delta, text: x.text, g1: x.g1, g2: x.g2 });
  }
  return out;
}

// ---- code view -----------------------------------------------------------------------------

/**
 * the code view's scanner from `from` (a line start where it is in plain code), recording
 * the blanked ranges and the line starts reached in plain code; stops at the first such line
 * start `q` with `stop(q)`. Returns where it stopped (the text length at the end).
 */
function scanCode(text: string, from: number, ranges: number[], syncs: number[], stop: (q: number) => boolean): number {
  const n = text.length;
  let i = from;
  let lineStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      i++;
      if (stop(i)) return i;
      syncs.push(i);
      continue;
    }
    if (lineStart && (c === 32 || c === 9)) {
      i++;
      continue;
    }
    if (lineStart && c === 35 /* # */) {
      // preprocessor line, with continuations: up to the first newline not preceded by a backslash
      let j = text.indexOf('\n', i);
      while (j !== -1 && j > i && text.charCodeAt(j - 1) === 92) j = text.indexOf('\n', j + 1);
      const end = j === -1 ? n : j;
      if (end > i) ranges.push(i, end);
      i = end;
      continue;
    }
    lineStart = false;
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const e = text.indexOf('*/', i + 2);
      const end = e === -1 ? n : e + 2;
      ranges.push(i, end);
      i = end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const e = text.indexOf('\n', i);
      const end = e === -1 ? n : e;
      ranges.push(i, end);
      i = end;
      continue;
    }
    if (c === 34 || c === 39) {
      const start = i++;
      while (i < n && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10) {
        if (text.charCodeAt(i) === 92) i++;
        if (i < n && text.charCodeAt(i) !== 10) i++;
      }
      if (i < n && text.charCodeAt(i) === c) i++;
      if (i > start) ranges.push(start, i);
      continue;
    }
    // plain code: on to the next character that can matter mid-line (a native search)
    SPECIAL.lastIndex = i + 1;
    i = SPECIAL.exec(text)?.index ?? n;
  }
  return n;
}

/** Past the start of a line, only these characters change the scanner's state. */
const SPECIAL = /[\n/"']/g;

/** `text[from, to)` with `ranges` (absolute, in order) blanked, newlines kept. */
function blanked(text: string, from: number, to: number, ranges: number[]): string {
  if (ranges.length === 0) return text.slice(from, to);
  const parts: string[] = [];
  let at = from;
  for (let r = 0; r < ranges.length; r += 2) {
    const a = Math.max(ranges[r]!, at);
    const b = Math.min(ranges[r + 1]!, to);
    if (b <= a) continue;
    if (a > at) parts.push(text.slice(at, a));
    parts.push(text.slice(a, b).replace(/[^\n]/g, ' '));
    at = b;
  }
  if (at < to) parts.push(text.slice(at, to));
  return parts.join('');
}

/** The last view made: the CLI's prefilter, the site view and FL009 ask for the same text's in turn. */
let lastView: { text: string; view: { clean: string; syncs: number[] } } | undefined;

/**
 * The code view of `text`: comments, strings, char literals and preprocessor lines blanked
 * (newlines and offsets kept), with the line starts where the scan is in plain code. Shared:
 * callers must not change it.
 */
export function codeViewOf(text: string): { clean: string; syncs: number[] } {
  if (lastView?.text === text) return lastView.view;
  const view = freshCodeView(text);
  lastView = { text, view };
  return view;
}

function freshCodeView(text: string): { clean: string; syncs: number[] } {
  const ranges: number[] = [];
  const syncs: number[] = [0];
  scanCode(text, 0, ranges, syncs, () => false);
  if (ranges.length === 0) return { clean: text, syncs };
  // blanked in place in one copy of the code units, decoded once (thousands of comment pieces
  // sliced and joined cost half again as much on mm/memory.c)
  const units = codeUnits(text);
  for (let r = 0; r < ranges.length; r += 2) {
    for (let k = ranges[r]!, end = ranges[r + 1]!; k < end; k++) if (units[k] !== 10) units[k] = 32;
  }
  return { clean: fromCodeUnits(units), syncs };
}



function updateCode(view: { clean: string; syncs: number[] }, text: string, ch: TextChange): { view: { clean: string; syncs: number[] }; from: number; to: number } | undefined {
  const delta = ch.newEnd - ch.oldEnd;
  const old = view.syncs;
  // last line start at or before the change where the old scan was in plain code (0 always is)
  let k = upperBound(old, ch.start) - 1;
  if (k < 0) k = 0;
  const from = old[k] ?? 0;
  if (ch.start - from > MAX_RESCAN) return undefined;
  const ranges: number[] = [];
  const found: number[] = [];
  // the first line start after the change where both scans are in plain code
  const to = scanCode(text, from, ranges, found, (q) => q >= ch.newEnd && has(old, q - delta));
  if (to - ch.newEnd > MAX_RESCAN) return undefined;
  const region = blanked(text, from, to, ranges);
  const clean = view.clean.slice(0, from) + region + view.clean.slice(to - delta);
  const syncs = old.slice(0, k + 1);
  for (const q of found) syncs.push(q);
  if (to < text.length) {
    syncs.push(to);
    for (let j = upperBound(old, to - delta); j < old.length; j++) syncs.push(old[j]! + delta);
  }
  return { view: { clean, syncs }, from, to };
}

/** First index with a[i] > x. */
function upperBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function has(a: number[], x: number): boolean {
  const i = upperBound(a, x) - 1;
  return i >= 0 && a[i] === x;
}

// ---- line starts and guards ----------------------------------------------------------------

function spliceStarts(starts: number[], text: string, ch: TextChange): number[] {
  const delta = ch.newEnd - ch.oldEnd;
  const first = upperBound(starts, ch.start) - 1; // the line holding the change start
  const out = starts.slice(0, first + 1);
  for (let i = text.indexOf('\n', ch.start); i !== -1 && i < ch.newEnd; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  for (let j = upperBound(starts, ch.oldEnd); j < starts.length; j++) out.push(starts[j]! + delta);
  return out;
}

/**
 * Whether a change leaves every directive, and which lines they govern, as they were: no `#` or
 * `\` on the edited lines, no continuation into them, no comment delimiter made or broken, and
 * clear of the include-guard window (the 300 characters after a first `#ifndef` line).
 */
function directiveSafe(old: string, text: string, ch: TextChange): boolean {
  const removed = old.slice(ch.start, ch.oldEnd);
  const inserted = text.slice(ch.start, ch.newEnd);
  if (/[#\\/*]/.test(removed + inserted)) return false;
  // no `/*`, `*/` or `//` made or broken where the edit meets the text around it
  const pair = (t: string, i: number): string => (i > 0 ? t.slice(i - 1, i + 1) : '');
  for (const p of [pair(old, ch.start), pair(old, ch.oldEnd), pair(text, ch.start), pair(text, ch.newEnd)]) if (p === '/*' || p === '*/' || p === '//') return false;
  const lineStart = old.lastIndexOf('\n', ch.start - 1) + 1;
  const before = lineStart > 0 ? old.slice(old.lastIndexOf('\n', lineStart - 2) + 1, lineStart) : '';
  const endOld = lineEnd(old, ch.oldEnd);
  const endNew = lineEnd(text, ch.newEnd);
  if (/[#\\]/.test(old.slice(lineStart, endOld)) || /[#\\]/.test(text.slice(lineStart, endNew)) || before.includes('\\')) return false;
  return ch.start > firstDirectiveWindowEnd(old);
}

function lineEnd(text: string, at: number): number {
  const e = text.indexOf('\n', at);
  return e === -1 ? text.length : e;
}

/**
 * End of the window after the first directive, when it is an `#ifndef`, in which
 * extraction/guards.ts looks for the `#define` of an include guard (its line, continuations
 * included, and 300 characters), or -1.
 */
export function firstDirectiveWindowEnd(text: string): number {
  const re = /^[ \t]*#[ \t]*(\w+)[^\n]*/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    // inside a block comment? (the same test as buildGuardMap's)
    const open = text.lastIndexOf('/*', at);
    if (open !== -1 && text.lastIndexOf('*/', at) < open) continue;
    if (m[1] !== 'ifndef') return -1;
    let end = at + m[0].length;
    while (text.charCodeAt(end - 1) === 92 || (text.charCodeAt(end - 1) === 13 && text.charCodeAt(end - 2) === 92)) {
      const nl = text.indexOf('\n', end + 1);
      if (nl === -1) return text.length;
      end = nl;
    }
    return end + 300 + 1;
  }
  return -1;
}

function shiftGuards(g: { lines: number[]; exprs: GuardExpr[] }, old: string, text: string, ch: TextChange, starts: number[]): { lines: number[]; exprs: GuardExpr[] } {
  const count = (s: string, a: number, b: number): number => {
    let n = 0;
    for (let i = s.indexOf('\n', a); i !== -1 && i < b; i = s.indexOf('\n', i + 1)) n++;
    return n;
  };
  const dl = count(text, ch.start, ch.newEnd) - count(old, ch.start, ch.oldEnd);
  if (dl === 0) return g;
  const startLine = upperBound(starts, ch.start) - 1;
  // no directive on the edited lines, so no transition inside them: later ones move by dl
  const lines = g.lines.map((l) => (l <= startLine ? l : l + dl));
  return { lines, exprs: g.exprs };
}
