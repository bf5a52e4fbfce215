// A document's text and its syntax tree, kept in step under edits. Each edit is applied with
// tree.edit + an incremental reparse, so a keystroke in a 7,000-line file costs a few
// milliseconds instead of a full parse (../shared/design/toolchain.md §3).

import { lineStarts, offsetAt, positionAt, type Range } from '../common/text';
import { blankKernelAnnotations } from './kernelMacros';
import { bufferSizeFor, cParser, type Tree } from './parser';

export interface TextEdit {
  /** Range in the text before this edit; absent means "replace the whole document". */
  range?: Range;
  text: string;
}

export class IncrementalDocument {
  private rawText: string;
  private parsedText: string;
  private starts: number[];
  private currentTree: Tree;
  /** Number of incremental reparses done (for tests and benchmarks). */
  incrementalParses = 0;

  constructor(text: string) {
    this.rawText = text;
    this.parsedText = blankKernelAnnotations(text);
    this.starts = lineStarts(text);
    this.currentTree = cParser().parse(this.parsedText, undefined, { bufferSize: bufferSizeFor(this.parsedText) });
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
    for (const edit of edits) {
      if (!edit.range) {
        text = edit.text;
      } else {
        const from = offsetAt(starts, text.length, edit.range.start);
        const to = Math.max(from, offsetAt(starts, text.length, edit.range.end));
        text = text.slice(0, from) + edit.text + text.slice(to);
      }
      starts = lineStarts(text);
    }
    this.reparse(text, starts);
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
    this.currentTree = cParser().parse(newParsed, this.currentTree, { bufferSize: bufferSizeFor(newParsed) });
    this.incrementalParses++;
    this.rawText = newRaw;
    this.parsedText = newParsed;
    this.starts = newStarts;
  }
}

function toPoint(p: { line: number; character: number }): { row: number; column: number } {
  return { row: p.line, column: p.character };
}
