// Per-file summaries for a workspace index: enough to follow a call from a handler in one file to
// an insertion in another and to read another file's wrappers and VMA flags, without keeping
// trees. Summaries are plain JSON.

import type { FileFacts, FileSymbolSummary, FunctionSummary } from './facts';
import type { KnownWrapper } from './insertionSites';

export function summarizeForIndex(facts: FileFacts): FileSymbolSummary {
  const functions: Record<string, FunctionSummary> = {};
  const effects = new Map<string, FunctionSummary['flagEffects']>();
  for (const h of facts.mmapHandlers) for (const e of h.flagEffects) {
    let l = effects.get(e.inFunction);
    if (!l) effects.set(e.inFunction, (l = []));
    if (!l.some((x) => x.range.start.line === e.range.start.line && x.op === e.op && x.via === e.via)) l.push(e);
  }
  for (const f of facts.functions) {
    if (!f.name || functions[f.name]) continue;
    const s: FunctionSummary = {
      name: f.name,
      isStatic: f.isStatic,
      nameRange: f.nameRange,
      callees: [...new Set(f.calls.map((c) => c.callee))],
      sites: [],
    };
    if (facts.file !== undefined) s.file = facts.file;
    const eff = effects.get(f.name);
    if (eff?.length) s.flagEffects = eff;
    functions[f.name] = s;
  }
  for (const site of facts.insertionSites) {
    const s = site.enclosingFunction ? functions[site.enclosingFunction] : undefined;
    if (!s) continue;
    const entry: FunctionSummary['sites'][number] = { api: site.api, level: site.level, range: site.range, pfnKind: site.pfn.kind };
    const p = site.pfn;
    if (p.kind === 'raw' && p.base.paramIndex !== undefined) entry.pfnParam = p.base.paramIndex;
    else if (p.kind === 'pfn_t' && p.base.paramIndex !== undefined) entry.pfnParam = p.base.paramIndex;
    else if (p.kind === 'unknown' && p.paramIndex !== undefined) entry.pfnParam = p.paramIndex;
    s.sites.push(entry);
  }
  for (const w of facts.wrappers) {
    const s = functions[w.name];
    if (s) s.wrapper = { pfnParam: w.pfnParam, level: w.level, api: w.calls };
  }
  const summary: FileSymbolSummary = {
    functions: Object.values(functions),
    opsTables: [...facts.vmOpsTables, ...facts.fileOperationsTables, ...facts.otherMmapTables].map((t) => ({
      name: t.name,
      struct: t.struct,
      members: t.members.map((m) => (m.value !== undefined ? { field: m.field, value: m.value } : { field: m.field })),
    })),
    installedOps: [...new Set(facts.vmOpsAssignments.filter((a) => a.field === 'vm_ops' && a.value).map((a) => a.value!))],
    mmapHandlers: facts.mmapHandlers.map((h) => ({
      name: h.name, installs: h.installs.map((i) => i.table), fileOperations: h.fileOperations, flagEffects: h.flagEffects, cowRejections: h.cowRejections,
    })),
    fileOperations: facts.fileOperationsTables.map((t) => {
      const m = t.members.find((x) => x.field === 'mmap')?.value;
      return m !== undefined ? { name: t.name, mmap: m } : { name: t.name };
    }),
  };
  if (facts.file !== undefined) summary.file = facts.file;
  return summary;
}

/**
 * An in-memory workspace index of file summaries. Bounded: at most `maxFiles` files are kept
 * (least recently updated evicted first); building it in the background, with progress and open
 * files first, is the caller's job (see docs/extraction.md).
 */
export class SymbolIndex {
  private readonly files = new Map<string, FileSymbolSummary>();
  private readonly byName = new Map<string, Set<string>>();

  constructor(private readonly maxFiles = 5000) {}

  get size(): number {
    return this.files.size;
  }

  update(file: string, summary: FileSymbolSummary): void {
    this.remove(file);
    this.files.set(file, summary);
    for (const { name } of summary.functions) {
      let s = this.byName.get(name);
      if (!s) this.byName.set(name, (s = new Set()));
      s.add(file);
    }
    while (this.files.size > this.maxFiles) {
      const oldest = this.files.keys().next().value as string;
      this.remove(oldest);
    }
  }

  remove(file: string): void {
    const old = this.files.get(file);
    if (!old) return;
    this.files.delete(file);
    for (const { name } of old.functions) {
      const s = this.byName.get(name);
      s?.delete(file);
      if (s && s.size === 0) this.byName.delete(name);
    }
  }

  /** A function defined in the workspace; a non-static definition wins, `fromFile`'s own static next. */
  lookup(name: string, fromFile?: string): FunctionSummary | undefined {
    const files = this.byName.get(name);
    if (!files) return undefined;
    let staticHit: FunctionSummary | undefined;
    for (const f of files) {
      const s = this.files.get(f)!.functions.find((x) => x.name === name);
      if (!s) continue;
      if (!s.isStatic) return s;
      if (f === fromFile) staticHit = s;
    }
    return staticHit;
  }

  /** Wrappers defined anywhere in the index, for `extractFileFacts(..., { knownWrappers })`. */
  wrappers(): Record<string, KnownWrapper> {
    const out: Record<string, KnownWrapper> = {};
    for (const s of this.files.values()) for (const f of s.functions) {
      if (f.wrapper && !f.isStatic) out[f.name] = { pfnParam: f.wrapper.pfnParam, level: f.wrapper.level, argKind: 'pfn', api: f.wrapper.api };
    }
    return out;
  }
}
