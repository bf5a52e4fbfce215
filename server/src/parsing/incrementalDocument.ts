// A document's text and its syntax tree, kept in step under edits. Each edit is applied with
// tree.edit + an incremental reparse, so a keystroke in a 7,000-line file costs a few
// milliseconds instead of a full parse (../shared/design/toolchain.md §3).

import { lineStarts, offsetAt, positionAt, type Range } from '../common/text';
import { blankKernelAnnotations } from './kernelMacros';
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
    } else {
      const from = offsetAt(starts, out.length, edit.range.start);
      const to = Math.max(from, offsetAt(starts, out.length, edit.range.end));
      out = out.slice(0, from) + edit.text + out.slice(to);
    }
    starts = lineStarts(out);
  }
  return out;
}

/** The last reparse: offsets in the prepared (blanked) text, and the old tree after `tree.edit`. */
export interface LastEdit {
  /** `revision` after this edit. */
  revision: number;
  start: number;
  oldEnd: number;
  newEnd: number;
  oldTree: Tree;
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
    const text = applyTextEdits(this.rawText, edits);
    this.reparse(text, lineStarts(text));
  }

  private reparse(newRaw: string, newStarts: number[]): void {
    const oldParsed = this.parsedText;
    const newParsed = blankKernelAnnotations(newRaw);
    // Diff the prepared texts rather than trusting the edit ranges: blanking can change next to
    // an edit (typing the last letter of `__init`), and this keeps tree.edit exact.
    const oldLen = oldParsed.length;
    const newLen = newParsed.length;
    let prefix = 0;
    const maxPrefix = Math.min(oldLen, newLen);
    while (prefix < maxPrefix && oldParsed.charCodeAt(prefix) === newParsed.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    const maxSuffix = maxPrefix - prefix;
    while (suffix < maxSuffix && oldParsed.charCodeAt(oldLen - 1 - suffix) === newParsed.charCodeAt(newLen - 1 - suffix)) suffix++;
    if (prefix === oldLen && prefix === newLen) {
      if (newRaw !== this.rawText) this.revision++;
      this.rawText = newRaw;
      this.starts = newStarts;
      return;
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
    this.lastEdit = { revision: this.revision, start: prefix, oldEnd, newEnd, oldTree };
    this.rawText = newRaw;
    this.parsedText = newParsed;
    this.starts = newStarts;
  }
}

function toPoint(p: { line: number; character: number }): { row: number; column: number } {
  return { row: p.line, column: p.character };
}
