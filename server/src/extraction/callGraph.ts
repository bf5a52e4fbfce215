// Handler chains: from each ops-table handler (.fault, .huge_fault, …) through calls to every
// insertion site it can reach — same-file functions from the facts, other files through an
// optional lookup into a workspace index (summaries only).

import type { ChainStep, FileFacts, FunctionSummary, HandlerChain, Range } from './facts';

const HANDLER_FIELDS = new Set(['fault', 'huge_fault', 'page_mkwrite', 'pfn_mkwrite', 'map_pages']);
const MAX_DEPTH = 8;
const MAX_CHAINS = 200;

/** Looks a function up in the workspace index; `fromFile` is the caller's file (static functions are visible only there). */
export type SummaryLookup = (name: string, fromFile?: string) => FunctionSummary | undefined;

interface Node {
  name: string;
  file?: string;
  callees: { name: string; range?: Range }[];
  sites: { api: string; level: HandlerChain['site']['level']; range: Range; index?: number }[];
}

export function resolveHandlerChains(facts: FileFacts, lookup?: SummaryLookup): HandlerChain[] {
  const local = new Map<string, Node>();
  for (const f of facts.functions) {
    if (!f.name || local.has(f.name)) continue;
    const n: Node = { name: f.name, callees: [], sites: [] };
    if (facts.file !== undefined) n.file = facts.file;
    const seen = new Set<string>();
    for (const c of f.calls) if (!seen.has(c.callee)) {
      seen.add(c.callee);
      n.callees.push({ name: c.callee, range: c.range });
    }
    local.set(f.name, n);
  }
  facts.insertionSites.forEach((s, index) => {
    const n = s.enclosingFunction ? local.get(s.enclosingFunction) : undefined;
    if (n) n.sites.push({ api: s.api, level: s.level, range: s.range, index });
  });
  const resolve = (name: string, fromLocal: boolean, fromFile: string | undefined): Node | undefined => {
    if (fromLocal) {
      const l = local.get(name);
      if (l) return l;
    }
    const s = lookup?.(name, fromFile);
    if (!s) return undefined;
    const n: Node = { name: s.name, callees: s.callees.map((c) => ({ name: c })), sites: s.sites.map((x) => ({ api: x.api, level: x.level, range: x.range })) };
    if (s.file !== undefined) n.file = s.file;
    return n;
  };

  const handlers: { table: string; field: string; handler: string }[] = [];
  for (const t of facts.vmOpsTables) for (const m of t.members) if (HANDLER_FIELDS.has(m.field) && m.value) handlers.push({ table: t.name, field: m.field, handler: m.value });
  for (const a of facts.vmOpsAssignments) if (HANDLER_FIELDS.has(a.field) && a.value) handlers.push({ table: a.target, field: a.field, handler: a.value });

  const out: HandlerChain[] = [];
  for (const h of handlers) {
    const root = resolve(h.handler, true, facts.file);
    if (!root) continue;
    const stack: ChainStep[] = [];
    const onPath = new Set<string>();
    const visit = (n: Node, isLocal: boolean, depth: number): void => {
      if (out.length >= MAX_CHAINS || depth > MAX_DEPTH || onPath.has(n.name)) return;
      onPath.add(n.name);
      const step: ChainStep = { function: n.name };
      if (n.file !== undefined) step.file = n.file;
      stack.push(step);
      for (const s of n.sites) {
        const site: HandlerChain['site'] = { api: s.api, level: s.level, range: s.range };
        if (n.file !== undefined) site.file = n.file;
        if (isLocal && s.index !== undefined) site.index = s.index;
        out.push({ ...h, steps: stack.map((x) => ({ ...x })), site });
      }
      for (const c of n.callees) {
        const next = resolve(c.name, isLocal, n.file);
        if (!next) continue;
        step.callRange = c.range;
        if (c.range === undefined) delete step.callRange;
        visit(next, isLocal && local.get(c.name) === next, depth + 1);
      }
      delete step.callRange;
      stack.pop();
      onPath.delete(n.name);
    };
    visit(root, true, 0);
  }
  return out;
}
