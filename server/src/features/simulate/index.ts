// Entry of the simulator: resolves the handler (by name or position), its vm_operations_struct,
// the VMA flags (mmap handler found by the extractor, in this file or through the workspace index),
// the target profile and the scenario; then produces a trace or a matrix. One implementation for
// the LSP request, the VS Code command and the CLI.

import type { FileFacts, FunctionFact, OpsTable } from '../../extraction';
import { evaluateGuard, parseProfile, plainVma, unknownVma, type Backing, type Profile } from '../../model';
import type { WorkspaceLookup } from '../../rules/workspaceLookup';
import { explore, numberTrace, type ResolvedVma, type SimContext } from './engine';
import { renderMatrix, renderTrace } from './render';
import { buildScenario, scenarioRecord, type Scenario } from './scenario';
import type { MatrixCell, SimulationMatrix, SimulationTrace } from './trace';

export * from './trace';
export { SCENARIO_KEYS, DEFAULT_SCENARIO, parseScenarioStrings, buildScenario } from './scenario';

export interface SimulateInput {
  facts: FileFacts;
  file: string;
  uri?: string;
  /** The document's targets (the first is the default). */
  profiles: readonly Profile[];
  handler?: string;
  position?: { line: number; character: number };
  scenario?: Readonly<Record<string, string>>;
  target?: string;
  mode?: 'trace' | 'matrix';
  workspace?: WorkspaceLookup;
}

export type SimulateOutput = { ok: true; value: SimulationTrace | SimulationMatrix } | { ok: false; error: string };

const HANDLER_FIELDS = ['huge_fault', 'fault', 'pfn_mkwrite', 'page_mkwrite'];

interface HandlerInfo {
  fn: FunctionFact;
  table?: OpsTable;
  role: SimContext['role'];
}

/** Names of the functions named as fault handlers in the file's vm_operations_struct tables (CLI default). */
export function handlersInFile(facts: FileFacts): string[] {
  const out: string[] = [];
  for (const t of facts.vmOpsTables) for (const m of t.members) if (HANDLER_FIELDS.includes(m.field) && m.value && !out.includes(m.value) && facts.functions.some((f) => f.name === m.value)) out.push(m.value);
  return out;
}

function contains(fn: FunctionFact, pos: { line: number; character: number }): boolean {
  const { start, end } = fn.range;
  if (pos.line < start.line || pos.line > end.line) return false;
  if (pos.line === start.line && pos.character < start.character) return false;
  if (pos.line === end.line && pos.character > end.character) return false;
  return true;
}

function resolveHandler(facts: FileFacts, name: string | undefined, pos: SimulateInput['position']): HandlerInfo | string {
  let fn: FunctionFact | undefined;
  if (name) {
    fn = facts.functions.find((f) => f.name === name);
    if (!fn) return `no function ${name} in this file`;
  } else if (pos) {
    fn = facts.functions.find((f) => contains(f, pos));
    if (!fn) return 'the cursor is not inside a function: put it in a fault handler';
  } else return 'give a handler name or a position';
  const direct = (field: string): { table: OpsTable } | undefined => {
    for (const t of facts.vmOpsTables) if (t.members.some((m) => m.field === field && m.value === fn!.name)) return { table: t };
    return undefined;
  };
  for (const field of HANDLER_FIELDS) {
    const d = direct(field);
    if (d) return { fn, table: d.table, role: field === 'huge_fault' ? 'huge_fault' : field === 'fault' ? 'fault' : 'other' };
  }
  // A helper reached from a handler of a table in this file.
  const byName = new Map(facts.functions.map((f) => [f.name, f] as const));
  for (const field of HANDLER_FIELDS) {
    for (const t of facts.vmOpsTables) {
      for (const m of t.members) {
        if (m.field !== field || !m.value) continue;
        const seen = new Set<string>([m.value]);
        const queue = [m.value];
        while (queue.length) {
          const cur = byName.get(queue.shift()!);
          if (!cur) continue;
          for (const c of cur.calls) {
            if (c.callee === fn.name) return { fn, table: t, role: field === 'huge_fault' ? 'huge_fault' : field === 'fault' ? 'fault' : 'other' };
            if (!seen.has(c.callee) && byName.has(c.callee)) {
              seen.add(c.callee);
              queue.push(c.callee);
            }
          }
        }
      }
    }
  }
  return `${fn.name} is not a fault handler named in a vm_operations_struct of this file (nor called by one)`;
}

function reachable(facts: FileFacts, roots: string[]): Set<string> {
  const byName = new Map(facts.functions.map((f) => [f.name, f] as const));
  const seen = new Set(roots);
  const queue = [...roots];
  while (queue.length) {
    const f = byName.get(queue.shift()!);
    for (const c of f?.calls ?? []) if (byName.has(c.callee) && !seen.has(c.callee)) (seen.add(c.callee), queue.push(c.callee));
  }
  return seen;
}

function resolveBacking(facts: FileFacts, table: OpsTable | undefined, s: Scenario): Exclude<Backing, 'unknown'> {
  if (s.backing !== 'auto') return s.backing;
  const roots = table ? table.members.filter((m) => HANDLER_FIELDS.includes(m.field) && m.value).map((m) => m.value!) : [];
  const fns = reachable(facts, roots);
  const sites = facts.insertionSites.filter((x) => x.enclosingFunction && fns.has(x.enclosingFunction));
  if (sites.some((x) => /folio_p[mu]d/.test(x.api))) return 'folio';
  if (sites.length && sites.every((x) => x.pfn.kind === 'page' || x.pfn.kind === 'folio')) return 'driver-pages';
  return 'iomem';
}

function resolveVma(facts: FileFacts, table: OpsTable | undefined, s: Scenario, p: Profile, workspace: WorkspaceLookup | undefined): ResolvedVma {
  const mk = (names: string[]): ResolvedVma['flags'] => {
    const has = (n: string): boolean => names.includes(n);
    return plainVma({
      pfnmap: has('PFNMAP'),
      mixedmap: has('MIXEDMAP'),
      io: has('IO'),
      hugepage: has('HUGEPAGE'),
      shared: s.mapping === 'shared' || has('SHARED') || has('MAYSHARE'),
      cowPossible: s.mapping === 'private' && !has('SHARED') && !has('MAYSHARE'),
      dax: false,
      fsdax: false,
    });
  };
  if (s.vma !== 'auto') return { names: [...s.vma], flags: mk(s.vma), source: 'from the scenario' };
  const apply = (names: string[], effects: { op: string; flags: string[]; guard?: Parameters<typeof evaluateGuard>[0] }[]): string[] => {
    let cur = [...names];
    for (const e of effects) {
      if (e.guard && evaluateGuard(e.guard, p) === false) continue;
      const fl = e.flags.map((f) => f.replace(/^VM_/, ''));
      if (e.op === 'set' || e.op === 'mod-set') for (const f of fl) if (!cur.includes(f)) cur.push(f);
      if (e.op === 'clear' || e.op === 'mod-clear') cur = cur.filter((f) => !fl.includes(f));
      if (e.op === 'assign') cur = [...fl];
    }
    return cur;
  };
  if (table) {
    const h = facts.mmapHandlers.find((m) => m.installs.some((i) => i.table === table.name));
    if (h) {
      const names = apply([], h.flagEffects);
      const out: ResolvedVma = { names, flags: mk(names), source: `set by ${h.name}()`, sourceRange: h.flagEffects.length ? h.flagEffects[h.flagEffects.length - 1]!.range : h.nameRange };
      if (s.mapping === 'private' && h.cowRejections.length) out.refused = `${h.name}() rejects private writable (COW) mappings (${h.cowRejections[0]!.text}): mmap fails with -EINVAL.`;
      return out;
    }
    for (const other of workspace?.filesInstallingOps(table.name) ?? []) {
      const m = other.summary.mmapHandlers.find((x) => x.installs.includes(table.name));
      if (!m) continue;
      const names = apply([], m.flagEffects);
      const out: ResolvedVma = { names, flags: mk(names), source: `set by ${m.name}() in ${other.file}` };
      if (s.mapping === 'private' && m.cowRejections.length) out.refused = `${m.name}() rejects private writable (COW) mappings: mmap fails with -EINVAL.`;
      return out;
    }
  }
  const flags = unknownVma({ shared: s.mapping === 'shared', cowPossible: s.mapping === 'private' ? 'unknown' : false, dax: false, fsdax: false });
  return { names: [], flags, source: 'unknown (no mmap handler installing the table was found; override with vma=FLAG|FLAG)' };
}

function targetsOf(input: SimulateInput): { profile: Profile; targets: string[]; chosen: string[] } | string {
  const targets = input.profiles.map((p) => p.id);
  if (input.target) {
    // One target for a trace; a comma-separated list selects the matrix columns.
    const chosen: string[] = [];
    for (const t of input.target.split(',').map((x) => x.trim()).filter(Boolean)) {
      const r = parseProfile(t);
      if (!r.ok) return `bad target: ${r.error}`;
      if (!chosen.includes(r.profile.id)) chosen.push(r.profile.id);
      if (!targets.includes(r.profile.id)) targets.push(r.profile.id);
    }
    if (!chosen.length) return 'bad target: empty';
    if (chosen.length > 1 && input.mode !== 'matrix') return 'several targets are only accepted with mode matrix';
    return { profile: parseProfile(chosen[0]!).ok ? (parseProfile(chosen[0]!) as { ok: true; profile: Profile }).profile : input.profiles[0]!, targets, chosen };
  }
  const first = input.profiles[0];
  if (!first) return 'no target: give one as VERSION/ARCH (e.g. 6.12/x86_64)';
  return { profile: first, targets, chosen: targets };
}

function context(input: SimulateInput, h: HandlerInfo, profile: Profile, scenario: Scenario): SimContext {
  const ctx: SimContext = {
    facts: input.facts,
    file: input.file,
    handler: h.fn.name,
    role: h.role,
    profile,
    scenario,
    backing: resolveBacking(input.facts, h.table, scenario),
    vma: resolveVma(input.facts, h.table, scenario, profile, input.workspace),
  };
  if (input.uri) ctx.uri = input.uri;
  if (h.table) ctx.table = h.table;
  if (input.workspace) ctx.workspace = input.workspace;
  return ctx;
}

function effective(ctx: SimContext): Record<string, string> {
  return scenarioRecord(ctx.scenario, { level: ctx.scenario.level, backing: ctx.backing, vma: ctx.scenario.vma === 'auto' ? (ctx.vma.names.length ? ctx.vma.names.join('|') : ctx.vma.source.startsWith('unknown') ? 'unknown' : 'none') : ctx.vma.names.join('|') || 'none' });
}

export function simulate(input: SimulateInput): SimulateOutput {
  const sc = buildScenario(input.scenario);
  if (!sc.ok) return sc;
  const h = resolveHandler(input.facts, input.handler, input.position);
  if (typeof h === 'string') return { ok: false, error: h };
  const t = targetsOf(input);
  if (typeof t === 'string') return { ok: false, error: t };
  if (input.mode === 'matrix') return { ok: true, value: matrix(input, h, sc.scenario, t.chosen) };
  const ctx = context(input, h, t.profile, sc.scenario);
  const ex = explore(ctx);
  const { steps, forks, otherVerdicts } = numberTrace(ex);
  const scenario = effective(ctx);
  const base = { handler: h.fn.name, target: t.profile.id, scenario, steps, forks, verdict: ex.main.verdict, otherVerdicts, truncated: ex.truncated };
  const value: SimulationTrace = {
    mode: 'trace',
    handler: h.fn.name,
    ...(h.table ? { table: h.table.name } : {}),
    file: input.file,
    target: t.profile.id,
    targets: t.targets,
    scenario,
    steps,
    forks,
    verdict: ex.main.verdict,
    otherVerdicts,
    paths: ex.all.length,
    truncated: ex.truncated,
    text: renderTrace(base),
  };
  return { ok: true, value };
}

const MATRIX_LEVELS = ['pud', 'pmd', 'pte'] as const;
const MATRIX_BACKINGS = ['iomem', 'driver-pages', 'dev-pagemap', 'folio'] as const;

function matrix(input: SimulateInput, h: HandlerInfo, scenario: Scenario, targets: string[]): SimulationMatrix {
  const cells: MatrixCell[] = [];
  const profiles = targets.map((id) => parseProfile(id)).filter((r): r is { ok: true; profile: Profile } => r.ok).map((r) => r.profile);
  for (const profile of profiles) {
    for (const level of MATRIX_LEVELS) {
      for (const backing of MATRIX_BACKINGS) {
        const ctx = context(input, h, profile, { ...scenario, level, backing });
        const ex = explore(ctx);
        const other = [...new Set(ex.all.map((r) => r.verdict.kind).filter((k) => k !== ex.main.verdict.kind))];
        cells.push({ level, backing, target: profile.id, verdict: ex.main.verdict.kind, summary: ex.main.verdict.summary, other });
      }
    }
  }
  const ctx0 = context(input, h, profiles[0]!, scenario);
  const shown = { ...effective(ctx0), level: 'varied', backing: 'varied' };
  const base = { handler: h.fn.name, scenario: shown, targets: profiles.map((p) => p.id), levels: [...MATRIX_LEVELS], backings: [...MATRIX_BACKINGS], cells };
  return {
    mode: 'matrix',
    handler: h.fn.name,
    ...(h.table ? { table: h.table.name } : {}),
    file: input.file,
    targets: base.targets,
    levels: base.levels,
    backings: base.backings,
    scenario: shown,
    cells,
    text: renderMatrix(base),
  };
}
