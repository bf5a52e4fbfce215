// Plain position types shared by every layer. Lines and characters are 0-based and count UTF-16
// code units, which is what tree-sitter's Node binding reports for string input and what LSP
// expects, so no layer has to convert.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export function rangeContains(range: Range, pos: Position): boolean {
  if (pos.line < range.start.line || pos.line > range.end.line) return false;
  if (pos.line === range.start.line && pos.character < range.start.character) return false;
  if (pos.line === range.end.line && pos.character > range.end.character) return false;
  return true;
}

/** Offsets of the first character of every line, for offset <-> position conversion. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function positionAt(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo]! };
}

export function offsetAt(starts: number[], textLength: number, pos: Position): number {
  if (pos.line < 0) return 0;
  if (pos.line >= starts.length) return textLength;
  const lineStart = starts[pos.line]!;
  const nextLineStart = pos.line + 1 < starts.length ? starts[pos.line + 1]! : textLength + 1;
  return Math.min(lineStart + Math.max(0, pos.character), nextLineStart - 1, textLength);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A fresh array of the UTF-16 code units of `text` (a native copy on little-endian machines). */
export function codeUnits(text: string): Uint16Array {
  if (LITTLE_ENDIAN) {
    const b = Buffer.from(text, 'utf16le');
    if (b.byteOffset % 2 === 0 && b.length === text.length * 2) return new Uint16Array(b.buffer, b.byteOffset, text.length);
  }
  const out = new Uint16Array(text.length);
  for (let k = 0; k < text.length; k++) out[k] = text.charCodeAt(k);
  return out;
}

/** The string of UTF-16 code units (the inverse of `codeUnits`). */
export function fromCodeUnits(units: Uint16Array): string {
  if (LITTLE_ENDIAN) return Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le');
  let r = '';
  for (let k = 0; k < units.length; k += 8192) r += String.fromCharCode(...units.subarray(k, k + 8192));
  return r;
}

/** `s` as a literal inside a regular expression. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
