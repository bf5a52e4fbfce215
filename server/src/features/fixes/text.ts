// Text helpers for the quick fixes: line access, the statement around an insertion call, the
// enclosing switch case, indentation, and a comment/string-aware identifier scanner. Fixes edit
// whole lines where they can (preprocessor lines must start a line) and keep kernel style (tabs).

import type { FileFacts, FunctionFact, InsertionSite, Stmt } from '../../extraction';
import { lineStarts, type Position, type Range } from '../../common/text';
import type { TextEditFact } from '../types';

export class Lines {
  readonly starts: number[];
  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }
  get count(): number {
    return this.starts.length;
  }
  line(n: number): string {
    if (n < 0 || n >= this.starts.length) return '';
    const end = n + 1 < this.starts.length ? this.starts[n + 1]! - 1 : this.text.length;
    const s = this.text.slice(this.starts[n]!, end);
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  }
  offset(p: Position): number {
    return Math.min(this.text.length, (this.starts[p.line] ?? this.text.length) + p.character);
  }
  slice(r: Range): string {
    return this.text.slice(this.offset(r.start), this.offset(r.end));
  }
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }
  /** The line's end-of-line character, for the line's end position. */
  endOf(n: number): Position {
    return { line: n, character: this.line(n).length };
  }
  /** The file's newline. */
  get eol(): string {
    return this.text.includes('\r\n') ? '\r\n' : '\n';
  }
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** One indentation step of the file: a tab in kernel style, else the smallest space run seen. */
export function indentUnit(lines: Lines): string {
  for (let i = 0; i < Math.min(lines.count, 400); i++) {
    const m = /^([ \t]+)\S/.exec(lines.line(i));
    if (m) return m[1]!.startsWith('\t') ? '\t' : ' '.repeat(Math.min(8, m[1]!.length));
  }
  return '\t';
}

export interface StatementSpan {
  startLine: number;
  endLine: number;
  indent: string;
  shape: 'return' | 'assign' | 'bare';
  lhs?: string;
}

/** The simple statement `[return | lhs =] call;` holding an insertion call, if it has that shape on its own lines. */
export function statementOfCall(lines: Lines, call: Range): StatementSpan | undefined {
  const first = lines.line(call.start.line);
  const prefix = first.slice(0, call.start.character);
  const m = /^([ \t]*)(?:(return)\s+|([A-Za-z_][\w>.\-[\]]*)\s*=\s*)?\(?\s*$/.exec(prefix);
  if (!m) return undefined;
  const last = lines.line(call.end.line);
  const rest = last.slice(call.end.character);
  if (!/^\s*\)?\s*;\s*(\/\/.*|\/\*.*\*\/\s*)?$/.test(rest)) return undefined;
  const span: StatementSpan = { startLine: call.start.line, endLine: call.end.line, indent: m[1]!, shape: m[2] ? 'return' : m[3] ? 'assign' : 'bare' };
  if (m[3]) span.lhs = m[3];
  return span;
}

export function functionNamed(facts: FileFacts, name: string | undefined): FunctionFact | undefined {
  return name ? facts.functions.find((f) => f.name === name) : undefined;
}

function containsRange(outer: Range, inner: Range): boolean {
  const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

export interface CaseSpan {
  labels: string[];
  range: Range;
  body: Stmt[];
}

/** The innermost switch case (not `default`) holding the site. */
export function caseOfSite(fn: FunctionFact | undefined, site: InsertionSite): CaseSpan | undefined {
  let found: CaseSpan | undefined;
  const walk = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (!containsRange(s.range, site.range)) continue;
      if (s.kind === 'switch') {
        for (const c of s.cases) if (containsRange(c.range, site.range)) {
          if (!c.labels.includes('default')) found = { labels: c.labels, range: c.range, body: c.body };
          walk(c.body);
        }
      } else if (s.kind === 'if') {
        walk(s.then);
        walk(s.else);
      } else if (s.kind === 'loop') walk(s.body);
    }
  };
  if (fn?.body) walk(fn.body);
  return found;
}

/** Whether the line before `line` (skipping blanks and preprocessor lines) is an unbraced control header. */
export function unbracedHeaderBefore(lines: Lines, line: number): number | undefined {
  for (let i = line - 1; i >= 0; i--) {
    const t = lines.line(i).trim();
    if (t === '' || t.startsWith('#')) continue;
    if (/^(\}\s*)?(else\b|if\s*\(|for\s*\(|while\s*\()/.test(t) && !/[;{]\s*$/.test(t) && !/\{\s*(\/\*.*\*\/)?\s*$/.test(t)) return i;
    return undefined;
  }
  return undefined;
}

/**
 * Edits putting whole lines `before` and `after` the statement; when the statement is the body of
 * an unbraced `if`/`else`/loop, braces that body so the added lines stay on its path (and so that
 * preprocessor lines never split an `if` from its `else`, which tree-sitter cannot parse).
 */
export function aroundStatement(lines: Lines, span: StatementSpan, before: string[], after: string[]): TextEditFact[] {
  const eol = lines.eol;
  const header = unbracedHeaderBefore(lines, span.startLine);
  const edits: TextEditFact[] = [];
  if (header !== undefined) edits.push({ range: { start: lines.endOf(header), end: lines.endOf(header) }, newText: ' {' });
  if (before.length) edits.push({ range: { start: { line: span.startLine, character: 0 }, end: { line: span.startLine, character: 0 } }, newText: before.map((l) => l + eol).join('') });
  const close = header !== undefined ? [`${indentOf(lines.line(header))}}`] : [];
  const tail = [...after, ...close];
  if (tail.length) edits.push({ range: { start: lines.endOf(span.endLine), end: lines.endOf(span.endLine) }, newText: tail.map((l) => eol + l).join('') });
  return edits;
}

/** Inserts `block` (whole lines) before the statement, bracing an unbraced control body. */
export function insertBeforeStatement(lines: Lines, span: StatementSpan, block: string[]): TextEditFact[] {
  return aroundStatement(lines, span, block, []);
}

/** Identifier occurrences of `name` in `[from, to)` offsets, outside comments, strings and char literals. */
export function identifierOffsets(text: string, name: string, from: number, to: number): number[] {
  const out: number[] = [];
  let i = from;
  const isW = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
  while (i < to) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      i = e < 0 ? to : e + 2;
    } else if (c === '/' && text[i + 1] === '/') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? to : e;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < to && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
    } else if (isW(c)) {
      let j = i;
      while (j < to && isW(text[j])) j++;
      if (text.slice(i, j) === name) out.push(i);
      i = j;
    } else i++;
  }
  return out;
}

/** Names declared as `struct vm_area_struct *x` (parameters or locals) in a function's text. */
export function vmaNameIn(lines: Lines, fn: FunctionFact | undefined): string | undefined {
  if (!fn) return undefined;
  const p = fn.params.find((x) => /\bvm_area_struct\b/.test(x.type));
  if (p) return p.name;
  const body = lines.slice(fn.range);
  return /struct\s+vm_area_struct\s*\*\s*(\w+)/.exec(body)?.[1];
}

/** The `{` that opens a function body (offset), or -1. */
export function bodyOpen(lines: Lines, fn: FunctionFact): number {
  const from = lines.offset(fn.nameRange.end);
  const to = lines.offset(fn.range.end);
  let depth = 0;
  for (let i = from; i < to; i++) {
    const c = lines.text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '{' && depth === 0) return i;
  }
  return -1;
}
