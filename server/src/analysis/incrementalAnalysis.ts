// Per-keystroke analysis of an open document. The previous analysis is kept; when the last edit
// provably cannot change any fact except positions and the calls of one plain function, the
// previous facts are reused with positions after the edit shifted, that function's calls are
// re-scanned, and only the rules run again. Anything else falls back to the full extraction.
//
// The fast path is taken only when all of these hold (each keeps the facts equal to a full run):
// - the document changed by exactly one incremental reparse since the cached analysis, and the
//   cached analysis was complete (no time budget cut, no internal problems);
// - the edited text (removed and inserted) has no `{ } # " ' / \` and is ASCII; `*` only on lines
//   without `/`; the edited lines (and the line before) have no `#` or `\` (the guard map and
//   `#define`s are line-based text scans); a newline is added/removed only on lines without
//   `/ " '` (comments and strings stay what they were);
// - in the tree, the edit lies strictly inside either (A) the body of a top-level function
//   definition without syntax errors (before and after) whose fact was not walked in detail, or
//   (B) a top-level comment or the whitespace between top-level items; and every range the
//   reparse reports as changed lies inside that body/comment (so the rest of the tree, its
//   errors included, is the old one shifted);
// - (A) the extraction's own prefilter tokens give the same answers on the function's old and
//   new text, and the function calls the same set of this file's functions: so the set of
//   functions walked in detail, and everything derived from them, is unchanged.

import type { FileFacts, FunctionFact, Range } from '../extraction';
import { DETAIL_TOKEN, FLAG_TOKEN, INSERTION_TOKEN, MMAP_HELPER_TOKEN, scanCalls } from '../extraction';
import { rangeOf } from '../extraction/cst';
import { positionAt, type Position } from '../common/text';
import type { IncrementalDocument } from '../parsing/incrementalDocument';
import { countParseErrorsIn, type SyntaxNode } from '../parsing/parser';
import { analyzeFacts, analyzeTree, deadlineOf, type AnalysisOptions, type DocumentAnalysis } from './documentAnalysis';

interface Cached {
  doc: IncrementalDocument;
  file: string;
  revision: number;
  text: string;
  starts: number[];
  analysis: DocumentAnalysis;
}

const CONTAINERS = /^(?:translation_unit|preproc_if|preproc_ifdef|preproc_else|preproc_elif|preproc_elifdef|linkage_specification|declaration_list)$/;
const TOKENS = [INSERTION_TOKEN, FLAG_TOKEN, DETAIL_TOKEN, MMAP_HELPER_TOKEN];

export class IncrementalAnalyzer {
  private cached?: Cached;
  /** Counters (for tests and benchmarks). */
  fastRuns = 0;
  fullRuns = 0;
  /** Why the last analysis took the full path (undefined after a fast one). */
  lastFallback?: string;

  analyze(file: string, doc: IncrementalDocument, options: AnalysisOptions): DocumentAnalysis {
    const prev = this.cached;
    let result: DocumentAnalysis | undefined;
    this.lastFallback = 'no previous analysis';
    if (prev && prev.doc === doc && prev.file === file) {
      try {
        result = this.fast(prev, file, doc, options);
      } catch (e) {
        this.lastFallback = `fast path failed: ${e instanceof Error ? e.message : String(e)}`;
        result = undefined;
      }
    }
    if (result) {
      this.fastRuns++;
      this.lastFallback = undefined;
    } else {
      result = analyzeTree(file, doc.text, doc.tree, options);
      this.fullRuns++;
    }
    this.cached = { doc, file, revision: doc.revision, text: doc.text, starts: doc.lineOffsets, analysis: result };
    return result;
  }

  /** Forgets the cached analysis (e.g. when the document is dropped). */
  reset(): void {
    this.cached = undefined;
  }

  private fast(prev: Cached, file: string, doc: IncrementalDocument, options: AnalysisOptions): DocumentAnalysis | undefined {
    const no = (why: string): undefined => {
      this.lastFallback = why;
      return undefined;
    };
    const e = doc.lastEdit;
    if (!e || e.revision !== doc.revision || prev.revision !== doc.revision - 1) return no('not exactly one edit since the last analysis');
    const pa = prev.analysis;
    if (pa.partial || pa.facts.problems.length) return no('previous analysis partial');
    const oldText = prev.text;
    const newText = doc.text;
    const delta = newText.length - oldText.length;
    if (e.newEnd - e.oldEnd !== delta) return no('length mismatch');
    // the raw diff (blanking can differ from it), united with the prepared-text diff
    let p = 0;
    const maxP = Math.min(oldText.length, newText.length);
    while (p < maxP && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
    let s = 0;
    while (s < maxP - p && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++;
    const start = Math.min(p, e.start);
    const oldEnd = Math.max(oldText.length - s, e.oldEnd);
    const newEnd = oldEnd + delta;
    if (newEnd < start) return no('bad region');

    // ---- characters
    const removed = oldText.slice(start, oldEnd);
    const inserted = newText.slice(start, newEnd);
    const edited = removed + inserted;
    if (/[{}#"'/\\]|[^\x00-\x7f]/.test(edited)) return no('structural character');
    const oldLines = linesAround(oldText, start, oldEnd);
    const newLines = linesAround(newText, start, newEnd);
    const lines = oldLines + '\n' + newLines;
    if (/[#\\]|[^\x00-\x7f]/.test(lines)) return no('directive or non-ASCII line');
    if (edited.includes('*') && lines.includes('/')) return no('* next to a comment');
    // no comment delimiter (`/*`, `*/`, `//`) made or broken: every delimiter has a `/`, the edit
    // has none (and `*` only away from lines with `/`), so no `/` may touch the edit
    if ((oldText.charAt(start - 1) + oldText.charAt(oldEnd) + newText.charAt(newEnd)).includes('/')) return no('next to /');
    if (edited.includes('\n') && /[/"']/.test(lines)) return no('newline on a comment/string line');

    // ---- tree
    const tree = doc.tree;
    const changed = tree.getChangedRanges(e.oldTree);
    const root = tree.rootNode;
    let n: SyntaxNode | null = root.descendantForIndex(start, newEnd);
    let fnNode: SyntaxNode | null = null;
    let body: SyntaxNode | null = null;
    let lo: number;
    let hi: number;
    let errorDelta = 0;
    if ((n.type === 'comment' && allContainers(n.parent)) || CONTAINERS.test(n.type)) {
      // (B) a top-level comment, or whitespace between top-level items
      if (n.type === 'comment') {
        if (!(n.startIndex < start && newEnd < n.endIndex)) return no('comment edge');
        lo = n.startIndex;
        hi = n.endIndex;
        if (!allContainers(n.parent)) return no('comment not at top level');
        const oc = e.oldTree.rootNode.descendantForIndex(start, Math.max(start, Math.min(newEnd, oldEnd)));
        if (oc.type !== 'comment' || oc.startIndex !== n.startIndex || oc.endIndex !== n.endIndex) return no('comment changed extent');
      } else {
        if (!allContainers(n)) return no('not at top level');
        const child = n.firstChildForIndex(Math.max(0, start - 1));
        if (child && child.startIndex <= newEnd) return no('touches a top-level item');
        if (/\S/.test(edited)) return no('non-blank edit between items');
        lo = start;
        hi = newEnd;
        if (changed.length) return no('tree changed');
      }
    } else {
      // (A) inside the body of a function definition
      while (n && n.type !== 'function_definition') n = n.parent;
      if (!n) return no('not inside a function');
      fnNode = n;
      body = n.childForFieldName('body');
      if (!body || body.type !== 'compound_statement' || !(body.startIndex < start && newEnd < body.endIndex)) return no('not strictly inside a body');
      if (!allContainers(n.parent)) return no('function not at top level');
      const oldFn = e.oldTree.rootNode.descendantForIndex(start, Math.max(start, Math.min(newEnd, oldEnd)));
      let of: SyntaxNode | null = oldFn;
      while (of && of.type !== 'function_definition') of = of.parent;
      if (!of || of.startIndex !== n.startIndex || of.endIndex !== n.endIndex || !allContainers(of.parent)) return no('old function differs');
      const ob = of.childForFieldName('body');
      if (!ob || ob.startIndex !== body.startIndex || ob.endIndex !== body.endIndex) return no('old body differs');
      // the rest of the tree is unchanged, so only this function's ERROR/MISSING count can move
      errorDelta = countParseErrorsIn(n) - countParseErrorsIn(of);
      lo = body.startIndex;
      hi = body.endIndex;
    }
    for (const r of changed) if (r.startIndex < lo || r.endIndex > hi) return no('tree changed outside the edited item');
    // tree-sitter re-parses regions with syntax errors on every edit and may recover from them
    // differently without reporting a changed range: compare the top-level items (and the syntax
    // of every one with errors) of the old tree, already shifted by tree.edit, with the new one.
    if (!sameOutside(e.oldTree.rootNode, root, lo, hi)) return no('top-level items differ');

    // ---- facts
    const facts = pa.facts;
    let fnIndex = -1;
    let newFn: FunctionFact | undefined;
    if (fnNode && body) {
      const range = rangeOf(fnNode);
      for (let i = 0; i < facts.functions.length; i++) {
        const f = facts.functions[i]!;
        if (f.range.start.line === range.start.line && f.range.start.character === range.start.character) {
          if (fnIndex >= 0) return no('two functions at one position');
          fnIndex = i;
        }
      }
      const old = facts.functions[fnIndex];
      if (!old) return no('function has no fact');
      if (old.detailed || old.callsSource !== 'text' || old.insideError || old.body) return no('function walked in detail');
      const oldSlice = oldText.slice(fnNode.startIndex, fnNode.endIndex - delta);
      const newSlice = newText.slice(fnNode.startIndex, fnNode.endIndex);
      for (const t of TOKENS) if (t.test(oldSlice) !== t.test(newSlice)) return no('prefilter token changed');
      const calls = scanCalls(newText, body.startIndex, body.endIndex, doc.lineOffsets);
      const names = new Set(facts.functions.map((f) => f.name));
      const local = (cs: { callee: string }[]): string => [...new Set(cs.map((c) => c.callee).filter((c) => names.has(c)))].sort().join(',');
      if (local(old.calls) !== local(calls)) return no('calls of same-file functions changed');
      newFn = { ...old, range, calls };
    }
    const startPos = positionAt(prev.starts, start);
    const oldEndPos = positionAt(prev.starts, oldEnd);
    const newEndPos = positionAt(doc.lineOffsets, newEnd);
    const shifter = new Shifter(startPos, oldEndPos, newEndPos);
    const base: FileFacts = fnIndex >= 0 ? { ...facts, functions: facts.functions.map((f, i) => (i === fnIndex ? { ...f, calls: [] } : f)) } : facts;
    const shifted = shifter.shift(base) as FileFacts;
    if (shifter.inside) return no('a fact lies inside the edit');
    if (newFn) shifted.functions[fnIndex] = newFn;
    if (errorDelta) shifted.parseErrors += errorDelta;
    return analyzeFacts(file, newText, shifted, options, deadlineOf(options), 0);
  }
}


function sameOutside(a: SyntaxNode, b: SyntaxNode, lo: number, hi: number): boolean {
  if (!a.hasError && !b.hasError && a.namedChildCount !== b.namedChildCount) return false;
  const ac = a.namedChildren;
  const bc = b.namedChildren;
  if (ac.length !== bc.length) return false;
  for (let i = 0; i < ac.length; i++) {
    const x = ac[i]!;
    const y = bc[i]!;
    if (x.type !== y.type || x.startIndex !== y.startIndex || x.endIndex !== y.endIndex) return false;
    if (y.startIndex <= lo && hi <= y.endIndex) {
      // the item holding the edit: the body/comment itself was checked; descend through containers
      if (CONTAINERS.test(y.type) && !sameOutside(x, y, lo, hi)) return false;
      continue;
    }
    if ((x.hasError || y.hasError) && x.toString() !== y.toString()) return false;
  }
  return true;
}

function allContainers(n: SyntaxNode | null): boolean {
  for (; n; n = n.parent) if (!CONTAINERS.test(n.type)) return false;
  return true;
}

/** The lines from the one before `from` to the one holding `to`. */
function linesAround(text: string, from: number, to: number): string {
  let a = text.lastIndexOf('\n', from - 1);
  if (a > 0) a = text.lastIndexOf('\n', a - 1);
  let b = text.indexOf('\n', to);
  if (b < 0) b = text.length;
  return text.slice(a + 1, b);
}

/**
 * Copies a facts object with every `{line, character}` at or after the old end of the edit moved
 * to where that text is now; subtrees with nothing to move are shared, not copied.
 */
class Shifter {
  inside = false;
  constructor(private readonly start: Position, private readonly oldEnd: Position, private readonly newEnd: Position) {}

  shift(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        const y = this.shift(x);
        if (y !== x) {
          out ??= v.slice();
          out[i] = y;
        }
      }
      return out ?? v;
    }
    const o = v as Record<string, unknown>;
    if (typeof o['line'] === 'number' && typeof o['character'] === 'number' && Object.keys(o).length === 2) return this.pos(o as unknown as Position);
    let out: Record<string, unknown> | undefined;
    for (const k in o) {
      const x = o[k];
      const y = this.shift(x);
      if (y !== x) {
        out ??= { ...o };
        out[k] = y;
      }
    }
    return out ?? o;
  }

  private pos(p: Position): Position {
    if (before(p, this.start)) return p;
    if (before(p, this.oldEnd)) {
      if (!(p.line === this.start.line && p.character === this.start.character)) this.inside = true;
      return p;
    }
    if (p.line === this.oldEnd.line) return { line: this.newEnd.line, character: p.character - this.oldEnd.character + this.newEnd.character };
    const dl = this.newEnd.line - this.oldEnd.line;
    return dl === 0 ? p : { line: p.line + dl, character: p.character };
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export type { Range };
