// Extraction entry point: tree + text → FileFacts. One cursor pass over the top-level items
// (topLevel.ts), a text prefilter (tokenIndex.ts) decides which function bodies are walked in
// detail (insertions, VMA flags, ops assignments, handlers and the same-file functions between
// them) — on plain copies of their subtrees (liteTree.ts) — and everything else gets header facts
// and a text scan of its calls. Never throws: internal failures land in `problems`.

import type { Tree } from '../parsing/parser';
import { ALWAYS } from '../common/guardExpr';
import { escapeRegExp, lineStarts, positionAt } from '../common/text';
import { declaratorName, hasFunctionDeclarator, rangeOf, squash } from './cst';
import type {
  AlignmentFact, CallFact, FileFacts, FunctionFact, InsertionSite, MmapHandler, OpsAssignment, OpsTable, ParamFact, Stmt, WrapperFact,
} from './facts';
import { and, buildGuardMap, type GuardMap } from './guards';
import { walkBody, type BodyWalk, type PendingCall } from './controlFlow';
import { INSERTION, INSERTION_APIS, type KnownWrapper } from './insertionSites';
import { pfnProvenance, type ProvenanceEnv } from './pfnProvenance';
import { cowRejections, FLAG, flagEffects, readDefines } from './mmapHandlers';
import { OPS_ASSIGN_FIELDS, readOpsTables, TABLE } from './vmOps';
import { callToken, TokenIndex, type Token } from './tokenIndex';
import { LiteSource, type CNode } from './liteTree';
import { scanTopLevel, type TopFunction } from './topLevel';
import { scanCalls } from './textCalls';
import { labelExits, resolveExit } from './paths';
import type { Deadline } from '../common/deadline';

export * from './facts';
export { summarizeForIndex, SymbolIndex } from './symbolSummary';
export { resolveHandlerChains } from './callGraph';
export { INSERTION_APIS, HUGE_APIS, INSERTION_TOKEN, type KnownWrapper } from './insertionSites';
export { FLAG_TOKEN } from './mmapHandlers';
export { TABLE_TOKEN } from './vmOps';
export { scanCalls } from './textCalls';
export { parseCondition } from './guards';

export interface ExtractOptions {
  file?: string;
  /** Insertion wrappers defined in other files (from the workspace index). */
  knownWrappers?: Record<string, KnownWrapper>;
  /** Time budget: detailed walks and insertion sites stop once it is spent (partial facts). */
  deadline?: Deadline;
}

export const DETAIL_TOKEN = /\bvm_ops\s*=|->\s*(?:huge_fault|fault|page_mkwrite|pfn_mkwrite|map_pages|may_split|access)\s*=[^=]/;
export const DETAIL: Token = { re: DETAIL_TOKEN, anchors: ['vm_ops', 'fault', 'mkwrite', 'map_pages', 'may_split', 'access'] };
const MMAP_FIELDS = new Set(['mmap', 'fb_mmap', 'mmap_prepare']);
const HANDLER_FIELDS = new Set(['fault', 'huge_fault', 'page_mkwrite', 'pfn_mkwrite', 'map_pages']);
export const MMAP_HELPER_TOKEN = /\bvm_flags\b|\bis_cow_mapping\b|\bVM_(?:MAY)?SHARE|\bvm_ops\b|remap_pfn_range/;
export const MMAP_HELPER: Token = { re: MMAP_HELPER_TOKEN, anchors: ['vm_flags', 'is_cow_mapping', 'SHARE', 'vm_ops', 'remap_pfn_range'] };

/** The tokens every file is asked about (their anchors are found in one pass). */
const BATCH_TOKENS: readonly Token[] = [INSERTION, FLAG, TABLE, DETAIL, MMAP_HELPER];

interface FnItem {
  /**
   * Nodes: for a top-level definition none until the function is walked in detail (then a plain
   * copy, `uncopied` until then); inside ERROR nodes, copies made when the ERROR node was read.
   */
  node: CNode | null;
  body: CNode | null;
  uncopied?: boolean;
  /** Span of the body's text (the compound statement, or the statements recovered from ERROR). */
  bodyStart: number;
  bodyEnd: number;
  fact: FunctionFact;
  start: number;
  end: number;
  env?: ProvenanceEnv;
  walk?: BodyWalk;
  declarator: CNode | null;
  fdecl: CNode | null;
  hasBody: boolean;
  /** Body statements recovered from an ERROR node (no compound_statement). */
  bodyNodes?: CNode[];
}

export function extractFileFacts(tree: Tree, text: string, options: ExtractOptions = {}): FileFacts {
  const facts: FileFacts = {
    ...(options.file !== undefined ? { file: options.file } : {}),
    functions: [], vmOpsTables: [], fileOperationsTables: [], otherMmapTables: [], vmOpsAssignments: [],
    mmapHandlers: [], insertionSites: [], wrappers: [], defines: {}, problems: [],
  };
  try {
    run(tree, text, options, facts);
  } catch (e) {
    facts.problems.push(`extraction failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  return facts;
}

function run(tree: Tree, text: string, options: ExtractOptions, facts: FileFacts): void {
  const starts = lineStarts(text);
  const gm = buildGuardMap(text, starts);
  facts.defines = readDefines(gm);
  const fns: FnItem[] = [];
  const tables: OpsTable[] = [];
  const tokens = new TokenIndex(text, BATCH_TOKENS);
  const has = (t: Token | undefined, start: number, end: number): boolean => !!t && tokens.test(t, start, end);

  // ---- top-level items (descending into top-level #if blocks and ERROR nodes)
  const consumed = new Set<number>();
  const visitTop = (nodes: CNode[], inErr: boolean, depth: number): void => {
    let lastDeclarator: CNode | null = null;
    for (const n of nodes) {
      const t = n.type;
      if (t === 'function_definition') {
        const item = functionItem(n, n.childForFieldName('declarator'), n.childForFieldName('body'), inErr, gm, text);
        if (item) fns.push(item);
      } else if (t === 'declaration') {
        if (has(TABLE, n.startIndex, n.endIndex)) tables.push(...safe(facts, () => readOpsTables(n, gm), []));
        if (inErr) lastDeclarator = hasFunctionDeclarator(n.childForFieldName('declarator'));
      } else if (t.startsWith('preproc_if') || t === 'preproc_else' || t === 'preproc_elif' || t === 'preproc_elifdef' || t === 'linkage_specification' || t === 'declaration_list') {
        if (depth < 40) visitTop(n.namedChildren, inErr, depth + 1);
      } else if (t === 'ERROR') {
        const s = n.startIndex;
        const e = n.endIndex;
        if (depth < 40 && (has(INSERTION, s, e) || has(TABLE, s, e) || has(FLAG, s, e) || has(DETAIL, s, e))) visitTop(n.namedChildren, true, depth + 1);
      } else if (inErr && t === 'function_declarator') {
        lastDeclarator = n;
        // `static T name(args)` then body statements spilled into the ERROR node
        const rest = nodes.slice(nodes.indexOf(n) + 1);
        if (rest[0]?.type === 'compound_statement') continue;
        const body: CNode[] = [];
        for (const r of rest) {
          if (r.type === 'function_declarator' || r.type === 'function_definition') break;
          if (r.type === 'declaration' && /^\s*static\b|vm_operations_struct|file_operations/.test(text.slice(r.startIndex, Math.min(r.endIndex, r.startIndex + 200)))) break;
          body.push(r);
        }
        if (body.length) {
          const item = functionItem(n, n, null, true, gm, text);
          if (item) {
            item.bodyNodes = body;
            item.hasBody = true;
            item.bodyStart = body[0]!.startIndex;
            item.end = item.bodyEnd = body[body.length - 1]!.endIndex;
            item.fact.range = { start: item.fact.range.start, end: rangeOf(body[body.length - 1]!).end };
            fns.push(item);
          }
          lastDeclarator = null;
          for (const r of body) consumed.add(r.startIndex);
        }
      } else if (inErr && t === 'compound_statement' && !consumed.has(n.startIndex)) {
        const item = functionItem(n, lastDeclarator, n, true, gm, text);
        if (item) fns.push(item);
        lastDeclarator = null;
      }
    }
  };
  const source = LiteSource.of(tree, text, starts);
  scanTopLevel(tree, source, {
    onFunction: (tf) => {
      const item = topFunctionItem(tf, gm, text, starts);
      if (item) fns.push(item);
    },
    onDeclaration: (s, e, copy) => {
      if (has(TABLE, s, e)) tables.push(...safe(facts, () => readOpsTables(copy(), gm), []));
    },
    onError: (s, e, copy, depth) => {
      if (depth < 40 && (has(INSERTION, s, e) || has(TABLE, s, e) || has(FLAG, s, e) || has(DETAIL, s, e))) visitTop(copy().namedChildren, true, depth + 1);
    },
  });
  if (options.deadline?.expired('extraction')) {
    facts.problems.push('time budget spent before function bodies were walked; facts are partial');
  }

  for (const t of tables) {
    if (t.struct === 'vm_operations_struct') facts.vmOpsTables.push(t);
    else if (t.struct === 'file_operations') facts.fileOperationsTables.push(t);
    else if (t.members.some((m) => MMAP_FIELDS.has(m.field))) facts.otherMmapTables.push(t);
  }

  // ---- which bodies to walk in detail
  const byName = new Map<string, FnItem>();
  for (const f of fns) if (f.fact.name && !byName.has(f.fact.name)) byName.set(f.fact.name, f);
  const known = options.knownWrappers ?? {};
  const knownNames = Object.keys(known);
  const knownCall = callToken(knownNames);
  // Calls and writes are looked for in the body: a definition's own name (vmf_insert_pfn_prot in
  // mm/memory.c, vm_flags_set in mm.h) is not a call to it.
  const inBody = (t: Token | undefined, f: FnItem): boolean => f.hasBody && has(t, f.bodyStart, f.bodyEnd);
  const detailed = new Set<FnItem>();
  for (const f of fns) {
    if (inBody(INSERTION, f) || inBody(knownCall, f) || inBody(FLAG, f) || inBody(DETAIL, f)) detailed.add(f);
  }
  const textCalls = new Map<FnItem, CallFact[]>();
  const callsOf = (f: FnItem): CallFact[] => {
    let c = textCalls.get(f);
    if (!c) {
      c = f.hasBody ? scanCalls(text, f.bodyStart, f.bodyEnd, starts) : [];
      textCalls.set(f, c);
    }
    return c;
  };
  // Handlers named by vm_operations_struct tables, the same-file helpers between them and an
  // insertion (for the simulator), mmap handlers and their flag/COW helpers.
  const reaches = new Map<FnItem, boolean>();
  const reachesInsert = (f: FnItem, depth = 0): boolean => {
    const known = reaches.get(f);
    if (known !== undefined) return known;
    reaches.set(f, false); // cycles
    let r = inBody(INSERTION, f) || inBody(knownCall, f);
    if (!r && depth < 8) {
      for (const c of callsOf(f)) {
        const g = byName.get(c.callee);
        if (g && g !== f && reachesInsert(g, depth + 1)) {
          r = true;
          break;
        }
      }
    }
    reaches.set(f, r);
    return r;
  };
  const addClosure = (roots: Iterable<FnItem>, keep: (f: FnItem) => boolean, maxDepth: number): void => {
    let frontier = [...roots];
    const seen = new Set<FnItem>(frontier);
    for (const f of frontier) detailed.add(f);
    for (let d = 0; d < maxDepth && frontier.length; d++) {
      const next: FnItem[] = [];
      for (const f of frontier) for (const c of callsOf(f)) {
        const g = byName.get(c.callee);
        if (!g || seen.has(g) || !g.hasBody) continue;
        seen.add(g);
        if (!keep(g)) continue;
        detailed.add(g);
        next.push(g);
      }
      frontier = next;
    }
  };
  const items = (names: Iterable<string>): FnItem[] => [...names].map((n) => byName.get(n)).filter((x): x is FnItem => !!x && x.hasBody);
  const handlerNames = new Set<string>();
  const mmapRoots = new Set<string>();
  for (const t of tables) for (const m of t.members) {
    if (!m.value) continue;
    if (t.struct === 'vm_operations_struct' && HANDLER_FIELDS.has(m.field)) handlerNames.add(m.value);
    if (MMAP_FIELDS.has(m.field)) mmapRoots.add(m.value);
  }
  for (const f of detailed) if (inBody(DETAIL, f)) mmapRoots.add(f.fact.name);
  addClosure(items(handlerNames), (g) => reachesInsert(g), 8);
  addClosure(items(mmapRoots), (g) => has(MMAP_HELPER, g.start, g.end), 2);

  // ---- walk
  const walkOne = (f: FnItem): void => {
    if (f.walk || !f.hasBody) return;
    safe(facts, () => copyForWalk(f, source), undefined);
    const body = f.body ?? f.bodyNodes;
    if (!body) return;
    safe(facts, () => fillHeader(f), undefined);
    const w = safe(facts, () => walkBody(body, gm, f.fact.guard, options.deadline), undefined);
    // A walk cut short by the time budget is incomplete: no facts from it (precision first).
    if (!w || options.deadline?.exceeded) return;
    f.walk = w;
    f.env = { assigns: w.assigns, params: f.fact.params.map((p) => ({ name: p.name, type: p.type })), localTypes: w.localTypes, defines: facts.defines };
    f.fact.detailed = true;
  };
  const over = (): boolean => options.deadline?.expired('extraction') ?? false;
  for (const f of fns) {
    if (!detailed.has(f)) continue;
    if (over()) break;
    walkOne(f);
  }
  // handlers installed by assignment (`ops->huge_fault = f`) discovered while walking
  for (let round = 0; round < 3; round++) {
    const more: FnItem[] = [];
    for (const f of fns) for (const a of f.walk?.fieldAssigns ?? []) {
      if (!OPS_ASSIGN_FIELDS.has(a.field) || a.field === 'vm_ops' || !a.right) continue;
      const g = byName.get(a.right.text.replace(/^&/, ''));
      if (g && !g.walk) more.push(g);
    }
    if (!more.length) break;
    const before = new Set(detailed);
    addClosure(more, (g) => reachesInsert(g), 8);
    for (const f of fns) if (detailed.has(f) && !before.has(f) && !over()) walkOne(f);
    for (const f of more) if (!over()) walkOne(f);
  }

  // ---- insertion sites and wrappers
  const wrappers = new Map<string, KnownWrapper>(Object.entries(known));
  const siteCalls: { f: FnItem; call: PendingCall; wrapper: boolean }[] = [];
  const taken = new Set<PendingCall>();
  for (let round = 0; round < 4; round++) {
    let added = false;
    for (const f of fns) {
      if (!f.walk) continue;
      for (const call of f.walk.calls) {
        if (over()) break;
        if (taken.has(call)) continue;
        const api = INSERTION_APIS[call.callee];
        const w = wrappers.get(call.callee);
        if (!api && !w) continue;
        if (w && call.callee === f.fact.name) continue; // recursion
        taken.add(call);
        siteCalls.push({ f, call, wrapper: !api });
        added = true;
        // is f itself a wrapper? (passes one of its parameters as the pfn)
        if (INSERTION_APIS[f.fact.name] || wrappers.has(f.fact.name) || !f.fact.name) continue;
        const kind = api ? api.argKind : w!.argKind;
        const idx = api ? api.pfnArg : w!.pfnParam;
        const prov = pfnProvenance(call.args[idx], call.pos, { argKind: kind }, f.env!);
        let param: number | undefined;
        if (prov.kind === 'raw' && prov.base.source === 'parameter') param = prov.base.paramIndex;
        else if (prov.kind === 'pfn_t' && prov.base.source === 'parameter') param = prov.base.paramIndex;
        else if (prov.kind === 'unknown' && prov.paramIndex !== undefined) param = prov.paramIndex;
        else if ((prov.kind === 'folio' || prov.kind === 'page') && !prov.via) {
          const p = f.fact.params.findIndex((x) => x.name === prov.expr);
          if (p >= 0) param = p;
        }
        if (param !== undefined) wrappers.set(f.fact.name, { pfnParam: param, level: api ? api.level : w!.level, argKind: kind, api: call.callee });
      }
    }
    if (!added) break;
  }
  siteCalls.sort((a, b) => a.call.pos - b.call.pos);
  const siteIndex = new Map<PendingCall, number>();
  siteCalls.forEach((s, i) => siteIndex.set(s.call, i));
  const labelCache = new Map<FnItem, ReturnType<typeof labelExits>>();
  for (const { f, call, wrapper } of siteCalls) {
    if (over()) break;
    const site = safe(facts, () => buildSite(f, call, wrapper, wrappers, gm, siteIndex.get(call)!, labelCache), undefined);
    if (site) facts.insertionSites.push(site);
  }
  for (const [name, w] of wrappers) {
    if (known[name]) continue;
    const idx = facts.insertionSites.findIndex((s) => s.enclosingFunction === name && s.api === w.api);
    facts.wrappers.push({ name, calls: w.api, level: w.level, pfnParam: w.pfnParam, site: idx });
  }

  // ---- ops assignments, flag effects, mmap handlers
  const effectsOf = new Map<FnItem, ReturnType<typeof flagEffects>>();
  const cowOf = new Map<FnItem, ReturnType<typeof cowRejections>>();
  for (const f of fns) {
    if (!f.walk) continue;
    for (const a of f.walk.fieldAssigns) {
      if (!OPS_ASSIGN_FIELDS.has(a.field) || !a.right) continue;
      const r = a.right;
      const rt = squash(r.text);
      const addressOf = rt.startsWith('&');
      const name = rt.replace(/^&\s*/, '');
      const node = a.left.parent ?? a.left;
      const oa: OpsAssignment = {
        field: a.field, target: squash(a.target?.text ?? ''), valueText: rt, addressOf, range: rangeOf(node), valueRange: rangeOf(r),
        guard: and(gm.at(node.startPosition.row), a.codeGuard),
      };
      if (/^[A-Za-z_]\w*$/.test(name)) oa.value = name;
      if (f.fact.name) oa.enclosingFunction = f.fact.name;
      facts.vmOpsAssignments.push(oa);
    }
    const eff = safe(facts, () => flagEffects(f.walk!, f.fact.name, f.env!, gm), []);
    effectsOf.set(f, eff);
    cowOf.set(f, safe(facts, () => cowRejections(f.walk!, eff, f.fact.name), []));
  }
  const mmapNames = new Map<string, { fops: string[]; other: string[] }>();
  const noteMmap = (name: string, table: string, fops: boolean): void => {
    let e = mmapNames.get(name);
    if (!e) mmapNames.set(name, (e = { fops: [], other: [] }));
    (fops ? e.fops : e.other).push(table);
  };
  for (const t of facts.fileOperationsTables) for (const m of t.members) if (m.field === 'mmap' && m.value) noteMmap(m.value, t.name, true);
  for (const t of facts.otherMmapTables) for (const m of t.members) if (MMAP_FIELDS.has(m.field) && m.value) noteMmap(m.value, t.name, false);
  for (const a of facts.vmOpsAssignments) if (a.field === 'vm_ops' && a.enclosingFunction) noteMmap(a.enclosingFunction, '', false);
  for (const [name, refs] of mmapNames) {
    const f = byName.get(name);
    if (!f) continue;
    const reach = sameFileClosure(f, byName, 3);
    const h: MmapHandler = {
      name, range: f.fact.range, nameRange: f.fact.nameRange,
      installs: facts.vmOpsAssignments.filter((a) => a.field === 'vm_ops' && a.enclosingFunction && reach.has(a.enclosingFunction) && a.value)
        .map((a) => ({ table: a.value!, range: a.range, guard: a.guard })),
      flagEffects: [...reach].flatMap((n) => effectsOf.get(byName.get(n)!) ?? []),
      cowRejections: [...reach].flatMap((n) => cowOf.get(byName.get(n)!) ?? []),
      fileOperations: refs.fops, otherTables: refs.other.filter((x) => x), guard: f.fact.guard,
    };
    facts.mmapHandlers.push(h);
  }

  // ---- finish function facts
  for (const f of fns) {
    if (f.walk) {
      f.fact.calls = f.walk.calls.map((c) => {
        const fnNode = c.node.childForFieldName('function')!;
        return { callee: c.callee, range: rangeOf(c.node), calleeRange: rangeOf(fnNode), args: c.args.map((a) => ({ text: squash(a.text), range: rangeOf(a) })) };
      });
      f.fact.callsSource = 'tree';
      f.fact.body = f.walk.body;
    } else {
      f.fact.calls = callsOf(f);
    }
    if (f.fact.name) facts.functions.push(f.fact);
  }
}

function sameFileClosure(f: FnItem, byName: Map<string, FnItem>, maxDepth: number): Set<string> {
  const out = new Set<string>([f.fact.name]);
  let frontier = [f];
  for (let d = 0; d < maxDepth; d++) {
    const next: FnItem[] = [];
    for (const g of frontier) for (const c of g.walk?.calls ?? []) {
      const h = byName.get(c.callee);
      if (h && h.walk && !out.has(h.fact.name)) {
        out.add(h.fact.name);
        next.push(h);
      }
    }
    frontier = next;
  }
  return out;
}

function buildSite(
  f: FnItem, call: PendingCall, isWrapper: boolean, wrappers: Map<string, KnownWrapper>, gm: GuardMap, index: number,
  labelCache: Map<FnItem, ReturnType<typeof labelExits>>,
): InsertionSite {
  const api = INSERTION_APIS[call.callee];
  const w = wrappers.get(call.callee);
  const argKind = api ? api.argKind : w!.argKind;
  const pfnIdx = api ? api.pfnArg : w!.pfnParam;
  const rawOnly = /^(?:vmf_insert_pfn|vmf_insert_pfn_prot|remap_pfn_range|io_remap_pfn_range)$/.test(call.callee);
  const env = f.env!;
  const pfn = pfnProvenance(call.args[pfnIdx], call.pos, { argKind, rawOnly }, env);
  const node = call.node;
  let labels = labelCache.get(f);
  if (!labels) labelCache.set(f, (labels = labelExits(f.walk!.body)));
  const dominators = call.path.map((p) => (p.otherExit ? { ...p, otherExit: resolveExit(p.otherExit, labels!) } : p));
  const site: InsertionSite = {
    api: call.callee,
    level: api ? api.level : w!.level,
    isWrapperCall: isWrapper,
    range: rangeOf(node),
    calleeRange: rangeOf(node.childForFieldName('function')!),
    guard: and(gm.at(node.startPosition.row), call.codeGuard),
    args: call.args.map((a) => ({ text: squash(a.text), range: rangeOf(a) })),
    pfn,
    result: 'other',
    dominators,
    alignment: [],
    insideError: call.inError || f.fact.insideError,
  };
  if (f.fact.name) site.enclosingFunction = f.fact.name;
  if (api?.writeArg !== undefined && call.args[api.writeArg]) site.writeArg = squash(call.args[api.writeArg]!.text);
  // result
  let p = node.parent;
  let child = node;
  while (p && p.type === 'parenthesized_expression' && p.parent?.type !== 'if_statement') {
    child = p;
    p = p.parent;
  }
  if (p) {
    const t = p.type;
    if (t === 'return_statement') site.result = 'returned';
    else if (t === 'expression_statement') site.result = 'ignored';
    else if (t === 'assignment_expression' && p.childForFieldName('right')?.startIndex === child.startIndex) {
      site.result = 'assigned';
      site.resultVariable = squash(p.childForFieldName('left')?.text ?? '');
    } else if (t === 'init_declarator') {
      site.result = 'assigned';
      const n = declaratorName(p.childForFieldName('declarator'));
      if (n) site.resultVariable = n.text;
    } else if (t === 'binary_expression' || t === 'unary_expression' || (t === 'parenthesized_expression' && p.parent?.type === 'if_statement')) site.result = 'compared';
  }
  if (site.resultVariable !== undefined && (!/^[A-Za-z_][\w.\->\[\]]*$/.test(site.resultVariable) || /^(?:if|else|return|while|for|switch|case)$/.test(site.resultVariable))) {
    site.result = 'other';
    delete site.resultVariable;
  }
  if (site.resultVariable) {
    const v = site.resultVariable;
    const re = new RegExp(`\\b${escapeRegExp(v)}\\b`);
    site.resultReturned = f.walk!.returns.some((r) => r.pos > call.pos && r.value.kind === 'variable' && r.value.name === v);
    site.resultTested = f.walk!.conditions.some((c) => c.pos > call.pos && re.test(c.text));
  }
  // alignment: dominating checks and masks of the pfn variables before the call
  const align: AlignmentFact[] = [];
  for (const d of dominators) if (d.families.includes('pfn-alignment')) align.push({ kind: 'check', text: d.text, range: d.range });
  const vars = new Set<string>();
  const arg = call.args[pfnIdx];
  if (arg) for (const m of squash(arg.text).matchAll(/\b[a-z_]\w*\b/g)) vars.add(m[0]);
  for (const v of pfn.via ?? []) vars.add(v.variable);
  if (pfn.kind === 'pfn_t' && /^[A-Za-z_]\w*$/.test(pfn.base.text)) vars.add(pfn.base.text);
  for (const a of env.assigns) {
    if (a.pos >= call.pos || !vars.has(a.name)) continue;
    if (a.op === '&=' || (a.op === '=' && /\b(?:ALIGN_DOWN|round_down|ALIGN)\s*\(|&\s*~|&\s*\(\s*~|&\s*\w*MASK/.test(a.rhsText))) {
      align.push({ kind: 'mask', text: `${a.name} ${a.op} ${a.rhsText}`, range: a.range });
    }
  }
  site.alignment = align;
  // patch the body: the call statement becomes an insert; returned results become insertion-result
  const s = call.stmt;
  if (s) {
    if (s.kind === 'call') {
      const assignedTo = s.assignedTo;
      const m = s as unknown as Record<string, unknown>;
      delete m['callee'];
      delete m['args'];
      Object.assign(m, { kind: 'insert', site: index }, assignedTo ? { assignedTo } : {});
    } else if (s.kind === 'return') {
      const v = s.value as unknown as Record<string, unknown>;
      for (const k of Object.keys(v)) delete v[k];
      Object.assign(v, { kind: 'insertion-result', site: index });
    }
  }
  return site;
}

/** A top-level definition gets its plain copy before its detailed walk (items read from ERROR nodes are copies already). */
function copyForWalk(f: FnItem, source: LiteSource): void {
  if (!f.uncopied) return;
  const c = source.copyDefinition(f.start, f.end);
  f.uncopied = false;
  f.node = c;
  f.declarator = c.childForFieldName('declarator');
  f.body = c.childForFieldName('body');
  f.fdecl = hasFunctionDeclarator(f.declarator);
}

function functionItem(node: CNode, declarator: CNode | null, body: CNode | null, inErr: boolean, gm: GuardMap, text: string): FnItem | undefined {
  const fdecl = hasFunctionDeclarator(declarator);
  const nameNode = fdecl ? declaratorName(fdecl.childForFieldName('declarator')) : null;
  if (!nameNode && !inErr) return undefined;
  const isDef = node.type === 'function_definition';
  const head = isDef ? text.slice(node.startIndex, nameNode ? nameNode.startIndex : node.startIndex) : '';
  const guardLine = (isDef ? node : (fdecl ?? node)).startPosition.row;
  const fact: FunctionFact = {
    name: nameNode?.text ?? '',
    range: isDef ? rangeOf(node) : fdecl ? { start: rangeOf(fdecl).start, end: rangeOf(node).end } : rangeOf(node),
    nameRange: nameNode ? rangeOf(nameNode) : rangeOf(node),
    returnType: '',
    params: [],
    isStatic: /\bstatic\b/.test(head),
    calls: [],
    callsSource: 'text',
    guard: gm.at(guardLine) ?? ALWAYS,
    insideError: inErr,
    detailed: false,
  };
  const hasBody = !!body;
  return {
    node, body, fact, start: node.startIndex, end: node.endIndex, declarator, fdecl,
    hasBody, bodyStart: body ? body.startIndex : 0, bodyEnd: body ? body.endIndex : 0,
  };
}

/** Same facts as `functionItem` for a top-level definition read by the cursor (no nodes yet). */
function topFunctionItem(tf: TopFunction, gm: GuardMap, text: string, starts: number[]): FnItem | undefined {
  if (tf.nameStart === undefined) return undefined;
  const start = positionAt(starts, tf.start);
  const fact: FunctionFact = {
    name: text.slice(tf.nameStart, tf.nameEnd),
    range: { start, end: positionAt(starts, tf.end) },
    nameRange: { start: positionAt(starts, tf.nameStart), end: positionAt(starts, tf.nameEnd!) },
    returnType: '',
    params: [],
    isStatic: /\bstatic\b/.test(text.slice(tf.start, tf.nameStart)),
    calls: [],
    callsSource: 'text',
    guard: gm.at(start.line) ?? ALWAYS,
    insideError: false,
    detailed: false,
  };
  const hasBody = tf.bodyStart !== undefined;
  return {
    node: null, body: null, uncopied: true, fact, start: tf.start, end: tf.end, declarator: null, fdecl: null,
    hasBody, bodyStart: tf.bodyStart ?? 0, bodyEnd: tf.bodyEnd ?? 0,
  };
}

/** Return type and parameters (read for detailed functions only: node access is slow). */
function fillHeader(item: FnItem): void {
  const { node, declarator, fdecl } = item;
  const params: ParamFact[] = [];
  const plist = fdecl?.childForFieldName('parameters');
  if (plist) {
    for (const p of plist.namedChildren) {
      if (p.type !== 'parameter_declaration') continue;
      const d = p.childForFieldName('declarator');
      const pn = declaratorName(d);
      const typeNode = p.childForFieldName('type');
      const base = squash(typeNode?.text ?? '');
      const stars = d ? (squash(d.text).match(/^[*\s]*/)?.[0] ?? '').replace(/\s/g, '') : '';
      const qual = squash(p.text.slice(0, Math.max(0, (typeNode?.startIndex ?? p.startIndex) - p.startIndex)));
      params.push({ type: squash(`${qual} ${base} ${stars}`), name: pn?.text ?? '', range: rangeOf(p) });
    }
  }
  const typeNode = node?.type === 'function_definition' ? node.childForFieldName('type') : null;
  let returnType = squash(typeNode?.text ?? '');
  if (declarator && declarator.type === 'pointer_declarator') returnType += ' *';
  item.fact.params = params;
  item.fact.returnType = returnType;
}

function safe<T>(facts: FileFacts, f: () => T, fallback: T): T {
  try {
    return f();
  } catch (e) {
    facts.problems.push(e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 3).join(' | ') : String(e));
    return fallback;
  }
}

export type { Stmt, WrapperFact };
