// Shared helpers of the rules: what a site looks like under a profile (compiled? API present?),
// the model's view of its pfn (PfnKind, Backing), the VMA flags the mmap handlers in view give it,
// and small utilities (explanations, related locations, statement walks). The rules decide which
// model question to ask; the model holds the kernel facts.

import { resolveHandlerChains } from '../extraction';
import type { CondFact, FileFacts, FlagEffect, FunctionFact, HandlerChain, InsertionSite, MmapHandler, OpsMember, OpsTable, Stmt, CowRejection } from '../extraction';
import { buildGuardMap, type GuardMap } from '../extraction/guards';
import { lineStarts, type Range } from '../common/text';
import { codeViewOf } from './textScan';
import {
  allArchIds, apiInfo, knownApis, archRow, compareVersions, evaluateGuard, formatCitation, makeProfile, symbolInfo, triAnd, ver,
  type Backing, type GuardExpr, type PfnKind, type Profile, type Step, type Tri, type VmaFlags,
} from '../model';
import type { RuleContext } from './engine';
import type { RelatedLocation } from './types';

// ---------------------------------------------------------------- guards and existence

/** (a) false only when the guard is definitely false under the profile; 'unknown' counts as compiled. */
export function compiled(guard: GuardExpr | undefined, p: Profile): boolean {
  return guard === undefined || evaluateGuard(guard, p) !== false;
}

/** Definitely compiled (used by portability rules, which must not guess about driver options). */
export function surelyCompiled(guard: GuardExpr | undefined, p: Profile): boolean {
  return guard === undefined || evaluateGuard(guard, p) === true;
}

export function functionOf(facts: FileFacts, name: string | undefined): FunctionFact | undefined {
  if (!name) return undefined;
  return facts.functions.find((f) => f.name === name);
}

/** The guards that decide whether a site is compiled: its own and its function's. */
export function siteGuards(facts: FileFacts, site: InsertionSite): GuardExpr[] {
  const out: GuardExpr[] = [site.guard];
  const fn = functionOf(facts, site.enclosingFunction);
  if (fn) out.push(fn.guard);
  return out;
}

export function siteCompiled(facts: FileFacts, site: InsertionSite, p: Profile): boolean {
  return siteGuards(facts, site).every((g) => compiled(g, p));
}

export function siteSurelyCompiled(facts: FileFacts, site: InsertionSite, p: Profile): boolean {
  return siteGuards(facts, site).every((g) => surelyCompiled(g, p));
}

/** (b) the API exists in the profile's version (Kconfig-gated declarations are not considered here). */
export function apiExists(api: string, p: Profile): boolean {
  const info = apiInfo(p, api);
  return info !== undefined && info.exists;
}

export function symbolExists(name: string, p: Profile): boolean {
  const info = symbolInfo(p, name);
  return info === undefined || info.exists;
}

export const HUGE_PFN_APIS = new Set(['vmf_insert_pfn_pmd', 'vmf_insert_pfn_pud', 'vmf_insert_pfn_pmd_prot', 'vmf_insert_pfn_pud_prot']);
export const FOLIO_APIS = new Set(['vmf_insert_folio_pmd', 'vmf_insert_folio_pud']);

export function isHugeLevel(site: InsertionSite): site is InsertionSite & { level: 'pmd' | 'pud' } {
  return site.level === 'pmd' || site.level === 'pud';
}

/** A site the huge-entry rules look at under this profile: a known huge API, compiled, existing, and (pfn_t era) buildable. */
export function liveHugeSite(ctx: RuleContext, site: InsertionSite, p: Profile, apis: Set<string> = HUGE_PFN_APIS): boolean {
  if (!userSite(site) || !apis.has(site.api) || !isHugeLevel(site)) return false;
  if (!siteCompiled(ctx.facts, site, p) || !apiExists(site.api, p)) return false;
  // pfn_t gone (6.17+): FL009 speaks; the other rules stay silent on pfn_t code.
  if (site.pfn.kind === 'pfn_t' && !symbolExists('pfn_t', p)) return false;
  return true;
}

/** A call made by a user of the API (not a wrapper call, not inside the API's own definition). */
export function userSite(site: InsertionSite): boolean {
  if (site.isWrapperCall || site.insideError) return false;
  return !(site.enclosingFunction !== undefined && knownApis().includes(site.enclosingFunction));
}

const archProfiles = new WeakMap<Profile, Profile[]>();

/**
 * Profiles for every known arch at this profile's version (portability rules). The same objects
 * for the same profile: the model memoises per profile object.
 */
export function sameVersionAllArches(p: Profile): Profile[] {
  let out = archProfiles.get(p);
  if (out) return out;
  out = [];
  for (const a of allArchIds()) {
    if (compareVersions(p.version, ver(archRow(a).since)) < 0) continue;
    out.push(makeProfile(p.version, a, p.overrides));
  }
  archProfiles.set(p, out);
  return out;
}

// ---------------------------------------------------------------- pfn

/** (c) PfnProvenance → model PfnKind; null flags → unknown. */
export function pfnKindOf(site: InsertionSite): PfnKind {
  return pfnKindOfProvenance(site.pfn);
}

/** The model's view of a pfn argument as the extractor traced it (shared by rules, hovers, simulation). */
export function pfnKindOfProvenance(pfn: InsertionSite['pfn']): PfnKind {
  switch (pfn.kind) {
    case 'pfn_t':
      return pfn.flags === null ? { kind: 'unknown' } : { kind: 'pfn_t', flags: [...pfn.flags] };
    case 'raw':
      return { kind: 'raw' };
    case 'folio':
      return { kind: 'folio' };
    case 'page':
      return { kind: 'page' };
    default:
      return { kind: 'unknown' };
  }
}

/** The base the pfn was computed from, when the text says it. */
export function pfnBaseSource(site: InsertionSite): string | undefined {
  const pfn = site.pfn;
  if (pfn.kind === 'pfn_t' || pfn.kind === 'raw') return pfn.base.source;
  return undefined;
}

/** Likely backing: never more than the text says. */
export function backingOf(site: InsertionSite): Backing {
  const src = pfnBaseSource(site);
  if (site.pfn.kind === 'folio' || src === 'folio_pfn') return 'folio';
  if (site.pfn.kind === 'page' || src === 'page_to_pfn') return 'driver-pages';
  return 'unknown';
}

export function structPageBacked(site: InsertionSite): boolean {
  const src = pfnBaseSource(site);
  return src === 'page_to_pfn' || src === 'folio_pfn';
}

/** 'PFN_DEV' / 'PFN_DEV|PFN_MAP' / 'raw' — how the message names the pfn. */
export function pfnDescription(site: InsertionSite): string {
  const pfn = site.pfn;
  if (pfn.kind === 'pfn_t') return pfn.flags === null ? 'pfn_t with untraced flags' : pfn.flags.length ? `${pfn.flags.join('|')} pfn` : 'flagless pfn_t';
  if (pfn.kind === 'raw') return 'raw pfn';
  return `${pfn.kind} pfn`;
}

export function hasDevmapFlags(site: InsertionSite): boolean {
  return site.pfn.kind === 'pfn_t' && site.pfn.flags !== null && site.pfn.flags.includes('PFN_DEV') && site.pfn.flags.includes('PFN_MAP');
}

export function pfnFlagsKnown(site: InsertionSite): boolean {
  return site.pfn.kind === 'raw' || (site.pfn.kind === 'pfn_t' && site.pfn.flags !== null);
}

export function unknownPfnReason(site: InsertionSite): string {
  const pfn = site.pfn;
  if (pfn.kind === 'unknown') return `${pfn.text}: ${pfn.reason}`;
  if (pfn.kind === 'pfn_t' && pfn.flags === null) return `the flags '${pfn.flagsText}' could not be resolved`;
  return 'unknown';
}

// ---------------------------------------------------------------- chains and VMA flags

const chainCache = new WeakMap<FileFacts, HandlerChain[]>();

export function localChains(facts: FileFacts): HandlerChain[] {
  let c = chainCache.get(facts);
  if (!c) {
    // chains start at ops-table handlers: none without a table or an ops assignment (most
    // files, mm/memory.c among them), and the call graph of every function need not be built
    c = facts.vmOpsTables.length === 0 && facts.vmOpsAssignments.length === 0 ? [] : resolveHandlerChains(facts);
    chainCache.set(facts, c);
  }
  return c;
}

export function chainsToSite(facts: FileFacts, siteIndex: number): HandlerChain[] {
  return localChains(facts).filter((c) => c.site.index === siteIndex);
}

export function tableByName(facts: FileFacts, name: string): OpsTable | undefined {
  return facts.vmOpsTables.find((t) => t.name === name);
}

export function memberOf(table: OpsTable | undefined, field: string, value?: string): OpsMember | undefined {
  return table?.members.find((m) => m.field === field && (value === undefined || m.value === value));
}

/** Functions (API names included) that neither set VMA flags nor reject mappings: calls to them don't make flags unknown. */
const FLAG_NEUTRAL = /^(vm_flags_(set|clear|mod|init|reset)|remap_pfn_range|io_remap_pfn_range|pgprot_\w+|vm_get_page_prot|vma_pages|is_cow_mapping|vma_set_file|file_accessed|pr_\w+|dev_\w+|WARN\w*|BUG\w*|min|max|min_t|max_t|unlikely|likely|atomic_\w+|mutex_\w+|spin_\w+|kref_\w+|get_file|fput|round_down|round_up|IS_ALIGNED|PAGE_ALIGN|READ_ONCE|WRITE_ONCE|dma_\w+_attrs|trace_\w+)$/;

export interface VmaView {
  flags: VmaFlags;
  /** The mmap handlers whose effects were folded (same file or other files). */
  handlers: { name: string; file?: string; range?: Range; flagRange?: Range }[];
  /** True when at least one handler was found and its effects are fully resolved. */
  known: boolean;
  /** Why flags are unknown, for messages. */
  unknownWhy?: string;
  tables: string[];
}

type FlagName = 'pfnmap' | 'mixedmap' | 'io' | 'hugepage';
const FLAG_FIELDS: Record<string, FlagName> = { VM_PFNMAP: 'pfnmap', VM_MIXEDMAP: 'mixedmap', VM_IO: 'io', VM_HUGEPAGE: 'hugepage' };

interface HandlerInput {
  name: string;
  file?: string;
  range?: Range;
  effects: FlagEffect[];
  cow: CowRejection[];
  /** Calls with the VMA that may change flags elsewhere. */
  opaqueCalls: string[];
}

function foldHandler(h: HandlerInput, p: Profile): { flags: Record<FlagName, Tri>; cowPossible: Tri; shared: Tri; unresolved: boolean } {
  const f: Record<FlagName, Tri> = { pfnmap: false, mixedmap: false, io: false, hugepage: false };
  let unresolved = false;
  const apply = (flag: FlagName, v: Tri, certain: boolean): void => {
    if (certain) f[flag] = v;
    else if (f[flag] !== v) f[flag] = 'unknown';
  };
  for (const e of h.effects) {
    const g = evaluateGuard(e.guard, p);
    if (g === false) continue;
    const certain = g === true;
    const names = e.flags.map((x) => FLAG_FIELDS[x]).filter((x): x is FlagName => x !== undefined);
    switch (e.op) {
      case 'set':
      case 'mod-set':
        for (const n of names) apply(n, true, certain);
        break;
      case 'clear':
      case 'mod-clear':
        for (const n of names) apply(n, false, certain);
        break;
      case 'assign':
        for (const n of Object.keys(f) as FlagName[]) apply(n, names.includes(n), certain);
        break;
    }
    if (e.unresolved.length > 0) {
      unresolved = true;
      for (const n of Object.keys(f) as FlagName[]) if (f[n] !== true || e.op === 'assign' || e.op === 'clear' || e.op === 'mod-clear') f[n] = 'unknown';
    }
  }
  if (h.opaqueCalls.length > 0) {
    unresolved = true;
    for (const n of Object.keys(f) as FlagName[]) if (f[n] === false) f[n] = 'unknown';
  }
  const rejectsCow = h.cow.length > 0;
  const cowPossible: Tri = rejectsCow ? false : h.opaqueCalls.length > 0 ? 'unknown' : true;
  const shared: Tri = h.cow.some((c) => c.kind === 'requires-shared') ? true : 'unknown';
  return { flags: f, cowPossible, shared, unresolved };
}

function meet(a: Tri, b: Tri): Tri {
  return a === b ? a : 'unknown';
}

function opaqueCallsOf(facts: FileFacts, handler: MmapHandler): string[] {
  const fn = functionOf(facts, handler.name);
  if (!fn) return ['(body not read)'];
  const local = new Set(facts.functions.map((x) => x.name));
  const out: string[] = [];
  for (const c of fn.calls) {
    if (FLAG_NEUTRAL.test(c.callee) || local.has(c.callee)) continue;
    const withVma = fn.callsSource === 'text' || c.args.some((a) => /\bvma\b/.test(a.text));
    if (withVma) out.push(c.callee);
  }
  return out;
}

const vmaCache = new WeakMap<FileFacts, Map<string, VmaView>>();

/** (d) VMA flags for the VMAs that get one of these ops tables. */
export function vmaForTables(ctx: RuleContext, tables: string[], p: Profile): VmaView {
  const key = `${p.id}|${[...new Set(tables)].sort().join(',')}`;
  let cache = vmaCache.get(ctx.facts);
  if (!cache) vmaCache.set(ctx.facts, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const inputs: HandlerInput[] = [];
  const wanted = new Set(tables);
  for (const h of ctx.facts.mmapHandlers) {
    if (!compiled(h.guard, p)) continue;
    if (!h.installs.some((i) => wanted.has(i.table) && compiled(i.guard, p))) continue;
    inputs.push({ name: h.name, range: h.nameRange, effects: h.flagEffects, cow: h.cowRejections, opaqueCalls: opaqueCallsOf(ctx.facts, h) });
  }
  if (inputs.length === 0 && ctx.workspace) {
    for (const t of wanted) {
      for (const other of ctx.workspace.filesInstallingOps(t)) {
        for (const h of other.summary.mmapHandlers) {
          if (!h.installs.includes(t)) continue;
          const fn = other.summary.functions.find((x) => x.name === h.name);
          const defined = new Set(other.summary.functions.map((x) => x.name));
          const opaque = fn ? fn.callees.filter((c) => !FLAG_NEUTRAL.test(c) && !defined.has(c)) : ['(body not read)'];
          inputs.push({ name: h.name, file: other.file, ...(fn ? { range: fn.nameRange } : {}), effects: h.flagEffects, cow: h.cowRejections, opaqueCalls: opaque });
        }
      }
    }
  }
  let view: VmaView;
  if (inputs.length === 0) {
    view = { flags: unknownFlags(ctx), handlers: [], known: false, unknownWhy: 'no mmap handler installing the ops table is in view', tables };
  } else {
    let acc: ReturnType<typeof foldHandler> | undefined;
    for (const h of inputs) {
      const r = foldHandler(h, p);
      if (!acc) acc = r;
      else {
        for (const n of Object.keys(acc.flags) as FlagName[]) acc.flags[n] = meet(acc.flags[n], r.flags[n]);
        acc.cowPossible = meet(acc.cowPossible, r.cowPossible);
        acc.shared = meet(acc.shared, r.shared);
        acc.unresolved = acc.unresolved || r.unresolved;
      }
    }
    const a = acc!;
    const flags: VmaFlags = { pfnmap: a.flags.pfnmap, mixedmap: a.flags.mixedmap, io: a.flags.io, hugepage: a.flags.hugepage, cowPossible: a.cowPossible, shared: a.shared, dax: daxGuess(ctx) };
    const handlers = inputs.map((h) => {
      const setter = h.effects.find((e) => e.flags.some((x) => x in FLAG_FIELDS));
      return { name: h.name, ...(h.file ? { file: h.file } : {}), ...(h.range ? { range: h.range } : {}), ...(setter && !h.file ? { flagRange: setter.range } : {}) };
    });
    const opaque = inputs.flatMap((h) => h.opaqueCalls);
    view = { flags, handlers, known: !a.unresolved, tables };
    if (a.unresolved) view.unknownWhy = opaque.length ? `the mmap handler calls ${[...new Set(opaque)].slice(0, 3).join(', ')}, which may change the VMA flags` : 'some VMA flag operands could not be resolved';
  }
  cache.set(key, view);
  return view;
}

/** vma_is_dax(): a driver file that never mentions DAX is taken as non-DAX; otherwise unknown. */
export function daxGuess(ctx: RuleContext): Tri {
  return /dax/i.test(ctx.text) ? 'unknown' : false;
}

function unknownFlags(ctx: RuleContext): VmaFlags {
  return { pfnmap: 'unknown', mixedmap: 'unknown', io: 'unknown', cowPossible: 'unknown', hugepage: 'unknown', shared: 'unknown', dax: daxGuess(ctx) };
}

/** The ops tables (in this file) whose handlers reach the site. */
export function tablesForSite(ctx: RuleContext, siteIndex: number, p: Profile): string[] {
  const out = new Set<string>();
  for (const c of chainsToSite(ctx.facts, siteIndex)) {
    const t = tableByName(ctx.facts, c.table);
    if (t && !compiled(t.guard, p)) continue;
    const m = memberOf(t, c.field, c.handler);
    if (m && !compiled(m.guard, p)) continue;
    out.add(t ? t.name : c.table.replace(/^&/, ''));
  }
  return [...out];
}

export function vmaForSite(ctx: RuleContext, siteIndex: number, p: Profile): VmaView {
  const tables = tablesForSite(ctx, siteIndex, p);
  if (tables.length === 0) return { flags: unknownFlags(ctx), handlers: [], known: false, unknownWhy: 'no vm_operations_struct handler in this file reaches the call', tables };
  return vmaForTables(ctx, tables, p);
}

// ---------------------------------------------------------------- related locations, explanations

export function relatedForSite(ctx: RuleContext, siteIndex: number, p: Profile, opts: { vma?: VmaView; extra?: RelatedLocation[] } = {}): RelatedLocation[] {
  const out: RelatedLocation[] = [];
  const seen = new Set<string>();
  const push = (r: RelatedLocation): void => {
    const k = `${r.file ?? ''}:${r.range.start.line}:${r.range.start.character}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(r);
  };
  for (const c of chainsToSite(ctx.facts, siteIndex)) {
    const t = tableByName(ctx.facts, c.table);
    const m = memberOf(t, c.field, c.handler);
    if (m && compiled(m.guard, p)) push({ range: m.range, message: `.${c.field} = ${c.handler} in ${t!.name}` });
  }
  const vma = opts.vma;
  if (vma) for (const h of vma.handlers) {
    if (h.flagRange) push({ range: h.flagRange, message: `VMA flags set by ${h.name}` });
    else if (h.range) push({ ...(h.file ? { file: h.file } : {}), range: h.range, message: `mmap handler ${h.name}` });
  }
  for (const r of opts.extra ?? []) push(r);
  return out.slice(0, 8);
}

export function renderSteps(title: string, steps: readonly Step[]): string {
  const lines = [`**${title}**`, ''];
  const seen = new Set<string>();
  for (const s of steps) {
    const cite = s.citation ? ` — ${formatCitation(s.citation)}` : '';
    const conf = s.confidence === 'uncertain' ? ' *(uncertain)*' : ` *(${s.confidence})*`;
    const line = `- ${s.text}${cite}${conf}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  return lines.join('\n');
}

export function siteData(site: InsertionSite, index: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const d: Record<string, unknown> = { site: index, api: site.api, ...extra };
  if (site.level === 'pmd' || site.level === 'pud') d['level'] = site.level;
  return d;
}

export function archList(ids: string[]): string {
  if (ids.length <= 6) return ids.join(', ');
  return `${ids.slice(0, 6).join(', ')} and ${ids.length - 6} more`;
}

// ---------------------------------------------------------------- statement walks

export interface StmtVisit {
  stmt: Stmt;
  /** Enclosing decisions from the function root inwards. */
  path: { cond: CondFact | { text: string; family: string; families: string[] }; branch: 'then' | 'else' | 'case' | 'after'; labels?: string[] }[];
}

/** Walks a function body; `after` entries record earlier sibling ifs whose then-branch always exits. */
export function walkStmts(body: readonly Stmt[] | undefined, visit: (v: StmtVisit) => void): void {
  const rec = (list: readonly Stmt[], path: StmtVisit['path']): void => {
    let local = path;
    for (const s of list) {
      visit({ stmt: s, path: local });
      switch (s.kind) {
        case 'if':
          rec(s.then, [...local, { cond: s.cond, branch: 'then' }]);
          rec(s.else, [...local, { cond: s.cond, branch: 'else' }]);
          if (s.else.length === 0 && exits(s.then)) local = [...local, { cond: s.cond, branch: 'after' }];
          break;
        case 'switch':
          for (const c of s.cases) rec(c.body, [...local, { cond: { text: s.discriminant, family: s.family, families: [s.family] }, branch: 'case', labels: c.labels }]);
          break;
        case 'loop':
          rec(s.body, local);
          break;
        default:
          break;
      }
    }
  };
  rec(body ?? [], []);
}

export function exits(list: readonly Stmt[]): boolean {
  const last = list[list.length - 1];
  if (!last) return false;
  if (last.kind === 'return' || last.kind === 'goto') return true;
  if (last.kind === 'if') return exits(last.then) && exits(last.else);
  return false;
}

/** Every condition in a body (ifs, switches, loops). */
export function conditionsIn(body: readonly Stmt[] | undefined): { text: string; families: string[] }[] {
  const out: { text: string; families: string[] }[] = [];
  walkStmts(body, ({ stmt }) => {
    if (stmt.kind === 'if') out.push({ text: stmt.cond.text, families: stmt.cond.families });
    else if (stmt.kind === 'switch') out.push({ text: stmt.discriminant, families: [stmt.family] });
    else if (stmt.kind === 'loop' && stmt.cond) out.push({ text: stmt.cond.text, families: stmt.cond.families });
  });
  return out;
}

/** Same-file functions on handler chains that reach the site (excluding the site's own function). */
export function chainFunctions(facts: FileFacts, siteIndex: number): FunctionFact[] {
  const out = new Map<string, FunctionFact>();
  for (const c of chainsToSite(facts, siteIndex)) {
    for (const s of c.steps) {
      if (s.file !== undefined && s.file !== facts.file) continue;
      const fn = functionOf(facts, s.function);
      if (fn) out.set(fn.name, fn);
    }
  }
  return [...out.values()];
}

// ---------------------------------------------------------------- text scanning (FL009)

const guardMapCache = new WeakMap<FileFacts, GuardMap>();

export function guardMapOf(ctx: RuleContext): GuardMap {
  let g = guardMapCache.get(ctx.facts);
  if (!g) {
    g = buildGuardMap(ctx.text);
    guardMapCache.set(ctx.facts, g);
  }
  return g;
}

// The last few texts' code views (FL009 scans the same text twice per profile set; the LSP
// re-runs rules on an unchanged text when only settings change; the CLI's prefilter asks first).
const codeViews: { text: string; clean: string; starts: number[] }[] = [];

/** `text` with comments, strings and directive lines blanked, from the same cache as the rules' code tokens. */
export function codeOf(text: string): string {
  return codeView(text).clean;
}

function codeView(text: string): { clean: string; starts: number[] } {
  for (const v of codeViews) if (v.text === text) return v;
  const v = { text, clean: codeViewOf(text).clean, starts: lineStarts(text) };
  codeViews.unshift(v);
  if (codeViews.length > 2) codeViews.pop();
  return v;
}

/** Code tokens (not in comments, strings, or preprocessor lines) matching `re` (global). */
export function scanCode(text: string, re: RegExp, onMatch: (m: RegExpExecArray, line: number, character: number) => void): void {
  const { clean, starts } = codeView(text);
  re.lastIndex = 0;
  for (let m = re.exec(clean); m; m = re.exec(clean)) {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= m.index) lo = mid;
      else hi = mid - 1;
    }
    onMatch(m, lo, m.index - starts[lo]!);
  }
}

export function triIsTrue(t: Tri): boolean {
  return t === true;
}

export { triAnd };
