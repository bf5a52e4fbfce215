// Per-analysis lookups shared by the hovers and the quick fixes: line access without rescanning
// the text, which ops-table fields reach a function, and the VMA flags an insertion site sees
// (from the mmap handler that installs the table reaching it). Computed once per analysis (the
// analysis object is replaced on every edit) and cached in a WeakMap.

import type { DocumentAnalysis } from '../../analysis/documentAnalysis';
import { resolveHandlerChains, type FileFacts, type FunctionFact, type HandlerChain, type InsertionSite, type MmapHandler } from '../../extraction';
import { lineStarts, type Position, type Range } from '../../common/text';
import { plainVma, unknownVma, type Tri, type VmaFlags } from '../../model';

export interface VmaFromFacts {
  vma: VmaFlags;
  /** The mmap handler the flags come from (absent: unknown). */
  handler?: string;
  /** Flags written there, for display. */
  flags: string[];
  cowRejected: boolean;
}

export interface AnalysisIndex {
  textLength: number;
  starts: number[];
  readonly chains: HandlerChain[];
  /** Function name → ops fields (`huge_fault`, `fault`, …) whose handler chains pass through it. */
  readonly reachedVia: Map<string, Set<string>>;
  /** Function name → ops fields it is the direct handler of. */
  handlerOf: Map<string, Set<string>>;
  siteVma: Map<number, VmaFromFacts>;
}

const CACHE = new WeakMap<object, AnalysisIndex>();

export function indexFor(analysis: Pick<DocumentAnalysis, 'facts'>, text: string): AnalysisIndex {
  const hit = CACHE.get(analysis);
  if (hit && hit.textLength === text.length) return hit;
  const facts = analysis.facts;
  const add = (m: Map<string, Set<string>>, k: string, v: string) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(v);
  };
  const handlerOf = new Map<string, Set<string>>();
  for (const t of facts.vmOpsTables) for (const m of t.members) if (m.value) add(handlerOf, m.value, m.field);
  for (const a of facts.vmOpsAssignments) if (a.value && a.field !== 'vm_ops') add(handlerOf, a.value, a.field);
  // Handler chains cost a walk of the call graph: computed on the first hover that needs them.
  let chains: HandlerChain[] | undefined;
  let reachedVia: Map<string, Set<string>> | undefined;
  const idx: AnalysisIndex = {
    textLength: text.length,
    starts: lineStarts(text),
    get chains() {
      return (chains ??= safeChains(facts));
    },
    get reachedVia() {
      if (!reachedVia) {
        reachedVia = new Map();
        for (const c of idx.chains) for (const st of c.steps) add(reachedVia, st.function, c.field);
        for (const [fn, fields] of handlerOf) for (const f of fields) add(reachedVia, fn, f);
      }
      return reachedVia;
    },
    handlerOf,
    siteVma: new Map(),
  };
  CACHE.set(analysis, idx);
  return idx;
}

function safeChains(facts: FileFacts): HandlerChain[] {
  try {
    return resolveHandlerChains(facts);
  } catch {
    return [];
  }
}

export function lineText(idx: AnalysisIndex, text: string, line: number): string {
  if (line < 0 || line >= idx.starts.length) return '';
  const start = idx.starts[line]!;
  const end = line + 1 < idx.starts.length ? idx.starts[line + 1]! - 1 : text.length;
  const s = text.slice(start, end);
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

export function samePos(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

export function sameRange(a: Range, b: Range): boolean {
  return samePos(a.start, b.start) && samePos(a.end, b.end);
}

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

export function enclosingFunction(facts: FileFacts, p: Position): FunctionFact | undefined {
  for (const f of facts.functions) if (contains(f.range, p)) return f;
  return undefined;
}

/** The ops tables whose handler chains reach the site. */
export function tablesReaching(idx: AnalysisIndex, facts: FileFacts, siteIndex: number): string[] {
  const site = facts.insertionSites[siteIndex];
  const out = new Set<string>();
  for (const c of idx.chains) {
    if (c.site.index === siteIndex || (site && c.site.range.start.line === site.range.start.line && c.site.range.start.character === site.range.start.character)) out.add(c.table.replace(/^&/, ''));
  }
  return [...out];
}

/** The mmap handlers installing a table that reaches the site (same file only). */
export function mmapHandlersFor(idx: AnalysisIndex, facts: FileFacts, siteIndex: number): MmapHandler[] {
  const tables = new Set(tablesReaching(idx, facts, siteIndex));
  return facts.mmapHandlers.filter((h) => h.installs.some((i) => tables.has(i.table.replace(/^&/, ''))));
}

const TRUE_FLAGS: Record<string, keyof VmaFlags> = { VM_PFNMAP: 'pfnmap', VM_MIXEDMAP: 'mixedmap', VM_IO: 'io', VM_HUGEPAGE: 'hugepage', VM_SHARED: 'shared', VM_MAYSHARE: 'shared' };

/** The VMA flags a site sees, folded from the flag writes of the mmap handler that installs its table. */
export function vmaForSite(idx: AnalysisIndex, facts: FileFacts, siteIndex: number): VmaFromFacts {
  const hit = idx.siteVma.get(siteIndex);
  if (hit) return hit;
  const handlers = mmapHandlersFor(idx, facts, siteIndex);
  let out: VmaFromFacts;
  if (handlers.length !== 1) out = { vma: unknownVma(), flags: [], cowRejected: false };
  else {
    const h = handlers[0]!;
    const vma: VmaFlags = plainVma({ shared: 'unknown', cowPossible: 'unknown', dax: 'unknown' });
    const flags: string[] = [];
    let unresolved = false;
    for (const e of h.flagEffects) {
      if (e.unresolved.length) unresolved = true;
      for (const fl of e.flags) {
        const key = TRUE_FLAGS[fl];
        const on = e.op === 'set' || e.op === 'assign' || e.op === 'mod-set';
        if (on && !flags.includes(fl)) flags.push(fl);
        if (key) (vma[key] as Tri) = on;
      }
    }
    if (unresolved) for (const k of ['pfnmap', 'mixedmap', 'io', 'hugepage'] as const) if (vma[k] === false) vma[k] = 'unknown';
    const cowRejected = h.cowRejections.length > 0;
    if (cowRejected) vma.cowPossible = false;
    if (h.cowRejections.some((c) => c.kind === 'requires-shared')) vma.shared = true;
    // DAX files never carry VM_PFNMAP/VM_MIXEDMAP/VM_IO (assumption, shown as such in hovers).
    if (vma.pfnmap === true || vma.mixedmap === true || vma.io === true) vma.dax = false;
    out = { vma, handler: h.name, flags, cowRejected };
  }
  idx.siteVma.set(siteIndex, out);
  return out;
}

/** The insertion site a finding is about: `data.site` when it matches, else by range. */
export function siteForRange(facts: FileFacts, range: Range, hint?: unknown): { site: InsertionSite; index: number } | undefined {
  const sites = facts.insertionSites;
  if (typeof hint === 'number' && sites[hint] && (sameRange(sites[hint]!.range, range) || sameRange(sites[hint]!.calleeRange, range))) return { site: sites[hint]!, index: hint };
  let i = sites.findIndex((s) => sameRange(s.range, range));
  if (i < 0) i = sites.findIndex((s) => sameRange(s.calleeRange, range));
  if (i < 0) i = sites.findIndex((s) => contains(s.range, range.start) && contains(s.range, range.end));
  return i < 0 ? undefined : { site: sites[i]!, index: i };
}
