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
import { firstDirectiveWindowEnd } from '../rules/textScan';
import type { IncrementalDocument } from '../parsing/incrementalDocument';
import type { SyntaxNode, Tree } from '../parsing/parser';
import { analyzeFacts, analyzeTree, deadlineOf, type AnalysisOptions, type DocumentAnalysis } from './documentAnalysis';

interface Cached {
  doc: IncrementalDocument;
  file: string;
  revision: number;
  text: string;
  starts: number[];
  analysis: DocumentAnalysis;
  /** The top-level items of `doc.tree` at `revision` (computed on demand, then carried along). */
  top?: TopItems;
}

/** Named children of the root: type ids and extents, and the syntax of those with errors. */
interface TopItems {
  types: number[];
  starts: number[];
  ends: number[];
  /** index → `toString()` of the items that contain ERROR/MISSING nodes. */
  errors: Map<number, string>;
}

const CONTAINERS = /^(?:translation_unit|preproc_if|preproc_ifdef|preproc_else|preproc_elif|preproc_elifdef|linkage_specification|declaration_list)$/;
const TOKENS = [INSERTION_TOKEN, FLAG_TOKEN, DETAIL_TOKEN, MMAP_HELPER_TOKEN];
/** Characters JavaScript regexes read as line breaks or whitespace beyond ASCII (`^`/`$`/`\s`). */
const UNICODE_SPACE = /[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

export class IncrementalAnalyzer {
  private cached?: Cached;
  /** Counters (for tests and benchmarks). */
  fastRuns = 0;
  fullRuns = 0;
  /** Analyses of an unchanged text (settings or index changed) that reused the facts. */
  reusedRuns = 0;
  /** Why the last analysis took the full path (undefined after a fast one). */
  lastFallback?: string;

  analyze(file: string, doc: IncrementalDocument, options: AnalysisOptions): DocumentAnalysis {
    const prev = this.cached;
    let result: DocumentAnalysis | undefined;
    let top: TopItems | undefined;
    this.lastFallback = 'no previous analysis';
    if (prev && prev.doc === doc && prev.file === file) {
      if (prev.revision === doc.revision && prev.text === doc.text && complete(prev.analysis)) {
        // same text (another profile set, severities or workspace index): same facts, rules again.
        // A fresh facts object: rule caches keyed by it may hold what the old index said.
        result = analyzeFacts(file, doc.text, { ...prev.analysis.facts }, options, deadlineOf(options), 0);
        this.reusedRuns++;
        this.lastFallback = undefined;
        this.cached = { ...prev, analysis: result };
        return result;
      }
      try {
        const fast = this.fast(prev, file, doc, options);
        if (fast) ({ analysis: result, top } = fast);
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
    this.cached = { doc, file, revision: doc.revision, text: doc.text, starts: doc.lineOffsets, analysis: result, ...(top ? { top } : {}) };
    return result;
  }

  /**
   * Work the next fast path would otherwise do on its first use, done while the editor is idle:
   * the top-level items of the current tree and the position bounds of every item of the facts.
   * Does nothing when the document changed since the last analysis.
   */
  prepare(doc: IncrementalDocument): void {
    const c = this.cached;
    if (!c || c.doc !== doc || c.revision !== doc.revision || !complete(c.analysis)) return;
    c.top ??= topItems(doc.tree.rootNode);
    const facts = c.analysis.facts as unknown as Record<string, unknown>;
    for (const k in facts) {
      const v = facts[k];
      if (typeof v !== 'object' || v === null) continue;
      for (const item of Array.isArray(v) ? v : Object.values(v)) if (typeof item === 'object' && item !== null) boundsOf(item);
    }
  }

  /** Forgets the cached analysis (e.g. when the document is dropped). */
  reset(): void {
    this.cached = undefined;
  }

  private fast(prev: Cached, file: string, doc: IncrementalDocument, options: AnalysisOptions): { analysis: DocumentAnalysis; top: TopItems } | undefined {
    const no = (why: string): undefined => {
      this.lastFallback = why;
      return undefined;
    };
    const e = doc.lastEdit;
    if (!e || e.revision !== doc.revision || prev.revision !== doc.revision - 1) return no('not exactly one edit since the last analysis');
    const pa = prev.analysis;
    if (!complete(pa)) return no('previous analysis partial');
    const oldText = prev.text;
    const newText = doc.text;
    const delta = newText.length - oldText.length;
    if (e.newEnd - e.oldEnd !== delta || e.raw.newEnd - e.raw.oldEnd !== delta) return no('length mismatch');
    // the raw change (blanking can differ from it), united with the prepared-text change
    const start = Math.min(e.raw.start, e.start);
    const oldEnd = Math.max(e.raw.oldEnd, e.oldEnd);
    const newEnd = oldEnd + delta;
    if (newEnd < start) return no('bad region');

    // ---- characters
    const removed = oldText.slice(start, oldEnd);
    const inserted = newText.slice(start, newEnd);
    const edited = removed + inserted;
    if (/[{}#"'/\\]|[^\x00-\x7f]/.test(edited)) return no('structural character');
    // The guard map and `#define`s are line scans: no directive on the edited lines, and none
    // continued into them (`\` on the line before).
    const oldLines = linesAround(oldText, start, oldEnd);
    const newLines = linesAround(newText, start, newEnd);
    if (/[#\\]/.test(oldLines.edited + newLines.edited) || oldLines.before.includes('\\')) return no('directive line');
    const lines = oldLines.before + '\n' + oldLines.edited + '\n' + newLines.edited;
    if (UNICODE_SPACE.test(lines)) return no('Unicode space or line separator');
    if (edited.includes('*') && lines.includes('/')) return no('* next to a comment');
    // no comment delimiter (`/*`, `*/`, `//`) made or broken: every delimiter has a `/`, the edit
    // has none (and `*` only away from lines with `/`), so no `/` may touch the edit
    if ((oldText.charAt(start - 1) + oldText.charAt(oldEnd) + newText.charAt(newEnd)).includes('/')) return no('next to /');
    if (edited.includes('\n') && /[/"']/.test(lines)) return no('newline on a comment/string line');
    // an include guard is `#ifndef X` as the first directive with `#define X` within the next
    // 300 characters (extraction/guards.ts): stay clear of that window
    if (start <= firstDirectiveWindowEnd(oldText)) return no('near the first directive');

    // ---- tree
    const tree = doc.tree;
    const changed = tree.getChangedRanges(e.oldTree);
    const root = tree.rootNode;
    let n: SyntaxNode | null = root.descendantForIndex(start, newEnd);
    let fnNode: SyntaxNode | null = null;
    let body: SyntaxNode | null = null;
    let lo: number;
    let hi: number;
    /** The items holding the edit, new and old (none for whitespace between items). */
    let hold: SyntaxNode | null = null;
    let oldHold: SyntaxNode | null = null;
    if ((n.type === 'comment' && allContainers(n.parent)) || CONTAINERS.test(n.type)) {
      // (B) a top-level comment, or whitespace between top-level items
      if (n.type === 'comment') {
        if (!(n.startIndex < start && newEnd < n.endIndex)) return no('comment edge');
        lo = n.startIndex;
        hi = n.endIndex;
        const oc = e.oldTree.rootNode.descendantForIndex(start, Math.max(start, Math.min(newEnd, oldEnd)));
        if (oc.type !== 'comment' || oc.startIndex !== n.startIndex || oc.endIndex !== n.endIndex) return no('comment changed extent');
        hold = n;
        oldHold = oc;
      } else {
        if (!allContainers(n)) return no('not at top level');
        if (/\S/.test(edited)) return no('non-blank edit between items');
        // an item may end where the edit starts (positions there are caught by the Shifter)
        // but none may reach into it or start right after it
        const child = n.firstChildForIndex(start);
        if (child && child.startIndex <= newEnd) return no('touches a top-level item');
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
      lo = body.startIndex;
      hi = body.endIndex;
      hold = n;
      oldHold = of;
    }
    for (const r of changed) if (r.startIndex < lo || r.endIndex > hi) return no('tree changed outside the edited item');

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
      // the extractor tests the body for most tokens and the whole function for MMAP_HELPER
      const oldBody = oldText.slice(body.startIndex, body.endIndex - delta);
      const newBody = newText.slice(body.startIndex, body.endIndex);
      for (const t of TOKENS) if (t.test(oldSlice) !== t.test(newSlice) || t.test(oldBody) !== t.test(newBody)) return no('prefilter token changed');
      const calls = scanCalls(newText, body.startIndex, body.endIndex, doc.lineOffsets);
      const names = new Set(facts.functions.map((f) => f.name));
      const local = (cs: { callee: string }[]): string => [...new Set(cs.map((c) => c.callee).filter((c) => names.has(c)))].sort().join(',');
      if (local(old.calls) !== local(calls)) return no('calls of same-file functions changed');
      newFn = { ...old, range, calls };
    }
    // tree-sitter re-parses regions with syntax errors on every edit and may recover from them
    // differently without reporting a changed range: compare the top-level items (and the syntax
    // of every one with errors) of the old tree with the new one. (Last: the costliest check.)
    const span = { start: e.start, oldEnd: e.oldEnd, newEnd: e.newEnd };
    // without items from the previous step, read them from the old tree (already edited)
    const before = prev.top ?? topItems(e.oldTree.rootNode, span);
    const top = sameOutside(before, e.oldTree, tree, span, lo, hi, hold, oldHold);
    if (typeof top === 'string') return no(top);

    const startPos = positionAt(prev.starts, start);
    const oldEndPos = positionAt(prev.starts, oldEnd);
    const newEndPos = positionAt(doc.lineOffsets, newEnd);
    const shifter = new Shifter(startPos, oldEndPos, newEndPos);
    const base: FileFacts = fnIndex >= 0 ? { ...facts, functions: facts.functions.map((f, i) => (i === fnIndex ? { ...f, calls: [] } : f)) } : facts;
    // always a new object: rule caches are keyed by it (and may hold an older workspace index)
    const shifted = { ...(shifter.shiftFacts(base) as FileFacts) };
    if (shifter.inside) return no('a fact lies inside the edit');
    if (newFn) shifted.functions[fnIndex] = newFn;
    return { analysis: analyzeFacts(file, newText, shifted, options, deadlineOf(options), 0), top };
  }
}

function complete(a: DocumentAnalysis): boolean {
  return !a.partial && a.facts.problems.length === 0;
}

interface TextEditSpan {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * Where a start (`end` false) or an end position of the old tree is after the edit: an insertion
 * point moves starts (the item follows the inserted text) and keeps ends (it precedes it).
 */
function moved(p: number, e: TextEditSpan, end: boolean): number {
  if (p < e.start || (p === e.start && (end || e.oldEnd > e.start))) return p;
  if (p < e.oldEnd) return e.newEnd;
  return p + (e.newEnd - e.oldEnd);
}

/** A position of a tree edited by `e`, taken back to before the edit (-1 inside the new text). */
function unedited(p: number, e: TextEditSpan): number {
  return p <= e.start ? p : p >= e.newEnd ? p - (e.newEnd - e.oldEnd) : -1;
}

/**
 * The named children of `root`: types, extents, and the syntax of those with errors. For a tree
 * already edited by `edited`, extents are taken back to before the edit (tree-sitter stretches a
 * node ending at an insertion point over the inserted text; one inside it is marked -1).
 */
function topItems(root: SyntaxNode, edited?: TextEditSpan): TopItems {
  const out: TopItems = { types: [], starts: [], ends: [], errors: new Map() };
  const back = (p: number): number => (edited ? unedited(p, edited) : p);
  const kids = root.namedChildren;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    out.types.push(k.typeId);
    out.starts.push(back(k.startIndex));
    out.ends.push(back(k.endIndex));
    if (k.hasError) out.errors.set(i, k.toString());
  }
  return out;
}

/**
 * Checks the new tree's top-level items against those of the old tree (`before`, positions
 * before the edit) outside the item holding [lo, hi]: same types and (shifted) extents, the same
 * syntax for every item with errors, and no node count moved outside the edited item. Returns
 * the new tree's TopItems, or why they differ.
 */
function sameOutside(before: TopItems, oldTree: Tree, tree: Tree, e: TextEditSpan, lo: number, hi: number, hold: SyntaxNode | null, oldHold: SyntaxNode | null): TopItems | string {
  const root = tree.rootNode;
  const oldRoot = oldTree.rootNode;
  // every node outside the edited item is accounted for: a recovery that added or dropped nodes
  // anywhere else changes the count
  const holdCount = hold ? hold.descendantCount : 0;
  const oldHoldCount = oldHold ? oldHold.descendantCount : 0;
  if (root.descendantCount - holdCount !== oldRoot.descendantCount - oldHoldCount) return 'node count changed outside the edited item';
  const after: TopItems = { types: [], starts: [], ends: [], errors: new Map() };
  const cursor = tree.walk();
  let i = 0;
  if (cursor.gotoFirstChild()) {
    do {
      if (!cursor.nodeIsNamed) continue;
      if (i >= before.types.length) return 'top-level items differ';
      const type = cursor.nodeTypeId;
      const s = cursor.startIndex;
      const end = cursor.endIndex;
      if (type !== before.types[i] || s !== moved(before.starts[i]!, e, false) || end !== moved(before.ends[i]!, e, true)) return 'top-level items differ';
      after.types.push(type);
      after.starts.push(s);
      after.ends.push(end);
      if (s <= lo && hi <= end) {
        // the item holding the edit: the body/comment itself was checked; descend through containers
        const node = cursor.currentNode;
        if (CONTAINERS.test(node.type)) {
          const old = oldRoot.namedChild(i);
          if (!old || !sameChildren(old, node, e, lo, hi)) return 'top-level items differ';
        }
        if (node.hasError) after.errors.set(i, node.toString());
      } else {
        const err = before.errors.get(i);
        if (err !== undefined) {
          const node = cursor.currentNode;
          const now = node.hasError ? node.toString() : undefined;
          if (now !== err) return 'an item with errors was re-parsed differently';
          after.errors.set(i, now);
        }
      }
      i++;
    } while (cursor.gotoNextSibling());
  }
  if (i !== before.types.length) return 'top-level items differ';
  return after;
}

/** The children of a container holding the edit, old (already edited) and new, compared as sameOutside does. */
function sameChildren(a: SyntaxNode, b: SyntaxNode, e: TextEditSpan, lo: number, hi: number): boolean {
  if (!a.hasError && !b.hasError && a.namedChildCount !== b.namedChildCount) return false;
  const ac = a.namedChildren;
  const bc = b.namedChildren;
  if (ac.length !== bc.length) return false;
  for (let i = 0; i < ac.length; i++) {
    const x = ac[i]!;
    const y = bc[i]!;
    if (x.type !== y.type || moved(unedited(x.startIndex, e), e, false) !== y.startIndex || moved(unedited(x.endIndex, e), e, true) !== y.endIndex) return false;
    if (y.startIndex <= lo && hi <= y.endIndex) {
      if (CONTAINERS.test(y.type) && !sameChildren(x, y, e, lo, hi)) return false;
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

/** The lines holding [from, to] (`edited`) and the line before them (`before`). */
function linesAround(text: string, from: number, to: number): { before: string; edited: string } {
  const a = text.lastIndexOf('\n', from - 1);
  const b0 = a > 0 ? text.lastIndexOf('\n', a - 1) : -1;
  let b = text.indexOf('\n', to);
  if (b < 0) b = text.length;
  return { before: a < 0 ? '' : text.slice(b0 + 1, a), edited: text.slice(a + 1, b) };
}

/**
 * Copies a facts object with every `{line, character}` at or after the old end of the edit moved
 * to where that text is now; subtrees with nothing to move are shared, not copied. A position
 * strictly inside the replaced text, or exactly at an insertion point (an item ending there stays,
 * one starting there moves: the facts do not say which), sets `inside`.
 */
class Shifter {
  inside = false;
  private readonly insertion: boolean;
  private readonly lines: number;
  constructor(private readonly start: Position, private readonly oldEnd: Position, private readonly newEnd: Position) {
    this.insertion = start.line === oldEnd.line && start.character === oldEnd.character;
    this.lines = newEnd.line - oldEnd.line;
  }

  /**
   * The facts object: each item of its arrays and records (a function, a site, a table …) is
   * taken as a whole when its first and last positions (cached per item) put it before the edit,
   * or after it on a later line with no line added or removed: then nothing in it moves.
   */
  shiftFacts(facts: object): unknown {
    let out: Record<string, unknown> | undefined;
    const o = facts as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (typeof x !== 'object' || x === null) continue;
      let y: unknown;
      if (Array.isArray(x)) {
        let arr: unknown[] | undefined;
        for (let i = 0; i < x.length; i++) {
          const a = x[i];
          const b = this.item(a);
          if (b !== a) {
            arr ??= x.slice();
            arr[i] = b;
          }
        }
        y = arr ?? x;
      } else {
        let rec: Record<string, unknown> | undefined;
        const r = x as Record<string, unknown>;
        for (const key in r) {
          const a = r[key];
          const b = this.item(a);
          if (b !== a) {
            rec ??= { ...r };
            rec[key] = b;
          }
        }
        y = rec ?? x;
      }
      if (y !== x) {
        out ??= { ...o };
        out[k] = y;
      }
    }
    return out ?? o;
  }

  private item(x: unknown): unknown {
    if (typeof x !== 'object' || x === null) return x;
    const b = boundsOf(x);
    if (!b) return x;
    if (before({ line: b[2], character: b[3] }, this.start)) return x;
    const min = { line: b[0], character: b[1] };
    const after = this.insertion ? before(this.start, min) : !before(min, this.oldEnd);
    if (after && this.lines === 0 && b[0] > this.oldEnd.line) return x;
    const y = this.shift(x);
    if (after && typeof y === 'object' && y !== null && y !== x) {
      const lo = this.pos(min);
      const hi = this.pos({ line: b[2], character: b[3] });
      BOUNDS.set(y, [lo.line, lo.character, hi.line, hi.character]);
    }
    return y;
  }

  shift(v: unknown): unknown {
    if (typeof v !== 'object' || v === null) return v;
    return Array.isArray(v) ? this.array(v) : this.object(v as Record<string, unknown>);
  }

  private array(v: unknown[]): unknown[] {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'object' || x === null) continue;
      const y = Array.isArray(x) ? this.array(x) : this.object(x as Record<string, unknown>);
      if (y !== x) {
        out ??= v.slice();
        out[i] = y;
      }
    }
    return out ?? v;
  }

  private object(o: Record<string, unknown>): unknown {
    if (typeof o['line'] === 'number' && typeof o['character'] === 'number' && keyCount(o) === 2) return this.pos(o as unknown as Position);
    let out: Record<string, unknown> | undefined;
    for (const k in o) {
      const x = o[k];
      if (typeof x !== 'object' || x === null) continue;
      const y = Array.isArray(x) ? this.array(x) : this.object(x as Record<string, unknown>);
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
    if (this.insertion && p.line === this.start.line && p.character === this.start.character) this.inside = true;
    if (p.line === this.oldEnd.line) return { line: this.newEnd.line, character: p.character - this.oldEnd.character + this.newEnd.character };
    const dl = this.newEnd.line - this.oldEnd.line;
    return dl === 0 ? p : { line: p.line + dl, character: p.character };
  }
}

/** First and last position anywhere in an item: [line, character, line, character], null without any. */
type Bounds = [number, number, number, number];
const BOUNDS = new WeakMap<object, Bounds | null>();

function boundsOf(x: object): Bounds | null {
  let b = BOUNDS.get(x);
  if (b === undefined) {
    const acc: Bounds = [Infinity, 0, -Infinity, 0];
    collectBounds(x, acc);
    b = acc[0] === Infinity ? null : acc;
    BOUNDS.set(x, b);
  }
  return b;
}

function collectBounds(v: unknown, acc: Bounds): void {
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) collectBounds(x, acc);
    return;
  }
  const o = v as Record<string, unknown>;
  const line = o['line'];
  const ch = o['character'];
  if (typeof line === 'number' && typeof ch === 'number' && keyCount(o) === 2) {
    if (line < acc[0] || (line === acc[0] && ch < acc[1])) {
      acc[0] = line;
      acc[1] = ch;
    }
    if (line > acc[2] || (line === acc[2] && ch > acc[3])) {
      acc[2] = line;
      acc[3] = ch;
    }
    return;
  }
  for (const k in o) collectBounds(o[k], acc);
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export type { Range };
