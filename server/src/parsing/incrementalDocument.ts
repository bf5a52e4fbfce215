// A document's text and its syntax tree, kept in step under edits. Each edit is applied with
// tree.edit + an incremental reparse, so a keystroke in a 7,000-line file costs a few
// milliseconds instead of a full parse (../shared/design/toolchain.md §3).

import { lineStarts, offsetAt, positionAt, type Range } from '../common/text';
import { commonPrefix, commonSuffix } from '../common/textDiff';
import { blankKernelAnnotations, CALL_ANNOTATION_NAMES } from './kernelMacros';
import { bufferSizeFor, cParser, parseWithin, type Tree } from './parser';

/** The parse did not finish within the time limit; the document should be treated as skipped. */
export class ParseTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`parsing took longer than ${timeoutMs} ms`);
  }
}

export interface TextEdit {
  /** Range in the text before this edit; absent means "replace the whole document". */
  range?: Range;
  text: string;
}

/**
 * Applies LSP content changes to a text, in order. Positions past the end of a line or of the
 * document are clamped to it, and a range whose end precedes its start is an insertion at its
 * start: a confused client can garble its own document, never crash the server.
 */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  let starts = lineStarts(out);
  for (const edit of edits) {
    if (!edit.range) {
      out = edit.text;
      starts = lineStarts(out);
    } else {
      const r = spliceText(out, starts, edit.range, edit.text);
      out = r.text;
      starts = r.starts;
    }
  }
  return out;
}

/** One ranged edit applied to `text` (line starts `starts`), with the line starts updated in place of a rescan. */
export function spliceText(text: string, starts: readonly number[], range: Range, insert: string): { text: string; starts: number[]; from: number; to: number } {
  const from = offsetAt(starts as number[], text.length, range.start);
  const to = Math.max(from, offsetAt(starts as number[], text.length, range.end));
  const out = text.slice(0, from) + insert + text.slice(to);
  // lines up to the one holding `from` keep their starts; those after `to` move by the delta
  const delta = insert.length - (to - from);
  const first = positionAt(starts as number[], from).line;
  let after = first + 1;
  while (after < starts.length && starts[after]! <= to) after++;
  const next: number[] = starts.slice(0, first + 1);
  for (let i = insert.indexOf('\n'); i !== -1; i = insert.indexOf('\n', i + 1)) next.push(from + i + 1);
  for (let i = after; i < starts.length; i++) next.push(starts[i]! + delta);
  return { text: out, starts: next, from, to };
}

/** The last reparse: offsets in the prepared (blanked) text, and the old tree after `tree.edit`. */
export interface LastEdit {
  /** `revision` after this edit. */
  revision: number;
  start: number;
  oldEnd: number;
  newEnd: number;
  oldTree: Tree;
  /** The same change in the raw (unblanked) texts: the smallest region outside which they agree. */
  raw: { start: number; oldEnd: number; newEnd: number };
}

export class IncrementalDocument {
  private rawText: string;
  private parsedText: string;
  private starts: number[];
  private currentTree: Tree;
  /** Number of incremental reparses done (for tests and benchmarks). */
  incrementalParses = 0;
  /** Bumped whenever the text changes (for caches keyed to one state of the document). */
  revision = 0;
  /** The most recent text change that went through an incremental reparse. */
  lastEdit?: LastEdit;

  /**
   * `parseTimeoutMs` bounds every parse of this document (tree-sitter's timeout); a parse that
   * runs past it throws ParseTimeoutError and the document must be dropped by its owner.
   */
  constructor(text: string, private readonly parseTimeoutMs?: number) {
    this.rawText = text;
    this.parsedText = blankKernelAnnotations(text);
    this.starts = lineStarts(text);
    this.currentTree = this.parse(this.parsedText);
  }

  private parse(prepared: string, oldTree?: Tree): Tree {
    if (this.parseTimeoutMs === undefined) return cParser().parse(prepared, oldTree, { bufferSize: bufferSizeFor(prepared) });
    const tree = parseWithin(prepared, this.parseTimeoutMs, oldTree);
    if (!tree) throw new ParseTimeoutError(this.parseTimeoutMs);
    return tree;
  }

  get text(): string {
    return this.rawText;
  }

  get tree(): Tree {
    return this.currentTree;
  }

  get lineOffsets(): number[] {
    return this.starts;
  }

  /** Applies edits in order (LSP semantics: each range refers to the text after the previous edit). */
  applyEdits(edits: readonly TextEdit[]): void {
    let text = this.rawText;
    let starts = this.starts;
    // the region where the raw text changed, in the coordinates of the original and the new text
    let region: { start: number; oldEnd: number; newEnd: number } | undefined;
    let whole = false;
    for (const edit of edits) {
      if (!edit.range) {
        text = edit.text;
        starts = lineStarts(text);
        whole = true;
        continue;
      }
      const r = spliceText(text, starts, edit.range, edit.text);
      const newEnd = r.from + edit.text.length;
      if (!region) region = { start: r.from, oldEnd: r.to, newEnd };
      else {
        // both regions in the coordinates of the text between the two edits, then united
        const start = Math.min(region.start, r.from);
        const end = Math.max(region.newEnd, r.to);
        region = { start, oldEnd: end - (text.length - this.rawText.length), newEnd: end + (r.text.length - text.length) };
      }
      text = r.text;
      starts = r.starts;
    }
    this.reparse(text, starts, whole ? undefined : region);
  }

  /** The text as parsed: kernel annotations blanked (kernelMacros.ts). */
  get preparedText(): string {
    return this.parsedText;
  }

  private reparse(newRaw: string, newStarts: number[], rawRegion?: { start: number; oldEnd: number; newEnd: number }): void {
    const oldRaw = this.rawText;
    const oldParsed = this.parsedText;
    const newParsed = (rawRegion && blankAround(oldRaw, oldParsed, newRaw, rawRegion)) ?? blankKernelAnnotations(newRaw);
    // Diff the prepared texts rather than trusting the edit ranges: blanking can change next to
    // an edit (typing the last letter of `__init`), and this keeps tree.edit exact.
    const oldLen = oldParsed.length;
    const newLen = newParsed.length;
    const prefix = commonPrefix(oldParsed, newParsed);
    const suffix = commonSuffix(oldParsed, newParsed, Math.min(oldLen, newLen) - prefix);
    if (prefix === oldLen && prefix === newLen) {
      if (newRaw !== oldRaw) this.revision++;
      this.rawText = newRaw;
      this.starts = newStarts;
      return;
    }
    // the raw change: from the edits when they are known, else by the same diff
    let raw = rawRegion;
    if (!raw || raw.oldEnd - raw.start !== raw.newEnd - raw.start - (newRaw.length - oldRaw.length) || raw.start < 0 || raw.oldEnd > oldRaw.length) {
      const p = commonPrefix(oldRaw, newRaw);
      const q = commonSuffix(oldRaw, newRaw, Math.min(oldRaw.length, newRaw.length) - p);
      raw = { start: p, oldEnd: oldRaw.length - q, newEnd: newRaw.length - q };
    }
    const oldEnd = oldLen - suffix;
    const newEnd = newLen - suffix;
    this.currentTree.edit({
      startIndex: prefix,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition: toPoint(positionAt(this.starts, prefix)),
      oldEndPosition: toPoint(positionAt(this.starts, oldEnd)),
      newEndPosition: toPoint(positionAt(newStarts, newEnd)),
    });
    const oldTree = this.currentTree;
    this.currentTree = this.parse(newParsed, oldTree);
    this.incrementalParses++;
    this.revision++;
    this.lastEdit = { revision: this.revision, start: prefix, oldEnd, newEnd, oldTree, raw };
    this.rawText = newRaw;
    this.parsedText = newParsed;
    this.starts = newStarts;
  }
}

let callNames: RegExp | undefined;

function isWordOrSpace(c: number): boolean {
  // JavaScript's \w and \s
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The prepared text after a change of the raw text, blanked only around the change; undefined
 * when that cannot be shown to equal blankKernelAnnotations(newRaw). The annotations without
 * arguments are words (`\b` on both sides, then no `\s*(`): a window from just after a
 * character that is neither a word character nor whitespace, before the change, to such a
 * character after it, included, decides every such word inside it as the whole text does, and
 * none outside it looks into it. Those with arguments blank up to 4096 characters of balanced
 * parentheses: the window is only used when none is named within 4200 characters before it, or
 * in it, in either text (and none could reach it across a longer run of whitespace).
 */
export function blankAround(oldRaw: string, oldPrepared: string, newRaw: string, ch: { start: number; oldEnd: number; newEnd: number }): string | undefined {
  const delta = newRaw.length - oldRaw.length;
  if (ch.newEnd - ch.oldEnd !== delta || oldPrepared.length !== oldRaw.length) return undefined;
  let a = ch.start;
  while (a > 0 && isWordOrSpace(newRaw.charCodeAt(a - 1))) if (ch.start - --a > 2048) return undefined;
  let b = ch.newEnd;
  while (b < newRaw.length && isWordOrSpace(newRaw.charCodeAt(b))) if (++b - ch.newEnd > 2048) return undefined;
  if (b < newRaw.length) b++;
  callNames ??= new RegExp(`\\b(?:${CALL_ANNOTATION_NAMES.join('|')})`);
  const from = Math.max(0, a - 4200);
  if (callNames.test(newRaw.slice(from, b)) || callNames.test(oldRaw.slice(from, b - delta))) return undefined;
  // a name further back reaches the window only across 64+ characters of whitespace before it
  if (a - 4160 > 0 && !/\S/.test(newRaw.slice(a - 4160, a - 4096))) return undefined;
  return oldPrepared.slice(0, a) + blankKernelAnnotations(newRaw.slice(a, b)) + oldPrepared.slice(b - delta);
}

function toPoint(p: { line: number; character: number }): { row: number; column: number } {
  return { row: p.line, column: p.character };
}
