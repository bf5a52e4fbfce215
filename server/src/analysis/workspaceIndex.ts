// Cross-file knowledge: per-file symbol summaries (functions, wrappers, ops tables, mmap
// handlers) keyed by file. Open documents feed it as they are analysed; a background scan
// (analysis/workspaceScan.ts) feeds it from disk. Summaries are small, so the memory cap is a
// cap on their number.

import type { FileSymbolSummary } from '../extraction';
import type { WorkspaceLookup } from '../rules/workspaceLookup';

export class WorkspaceIndex implements WorkspaceLookup {
  private readonly byFile = new Map<string, FileSymbolSummary>();
  private readonly definers = new Map<string, Set<string>>();
  private readonly installers = new Map<string, Set<string>>();

  constructor(private readonly maxFiles = 200_000) {}

  get size(): number {
    return this.byFile.size;
  }

  get full(): boolean {
    return this.byFile.size >= this.maxFiles;
  }

  update(file: string, summary: FileSymbolSummary): void {
    if (!this.byFile.has(file) && this.full) return;
    this.remove(file);
    this.byFile.set(file, summary);
    for (const name of summary.functions.map((f) => f.name)) addTo(this.definers, name, file);
    for (const table of summary.installedOps) addTo(this.installers, table, file);
  }

  remove(file: string): void {
    const old = this.byFile.get(file);
    if (!old) return;
    this.byFile.delete(file);
    for (const name of old.functions.map((f) => f.name)) this.definers.get(name)?.delete(file);
    for (const table of old.installedOps) this.installers.get(table)?.delete(file);
  }

  fileDefining(name: string, except?: string): { file: string; summary: FileSymbolSummary } | undefined {
    for (const file of this.definers.get(name) ?? []) {
      if (file === except) continue;
      const summary = this.byFile.get(file);
      if (summary) return { file, summary };
    }
    return undefined;
  }

  filesInstallingOps(opsTable: string): { file: string; summary: FileSymbolSummary }[] {
    const out: { file: string; summary: FileSymbolSummary }[] = [];
    for (const file of this.installers.get(opsTable) ?? []) {
      const summary = this.byFile.get(file);
      if (summary) out.push({ file, summary });
    }
    return out;
  }

  /** A view that never answers with `file` itself (the current document has its own facts). */
  viewExcluding(file: string): WorkspaceLookup {
    return {
      fileDefining: (name) => this.fileDefining(name, file),
      filesInstallingOps: (t) => this.filesInstallingOps(t).filter((e) => e.file !== file),
    };
  }
}

function addTo(map: Map<string, Set<string>>, key: string, file: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(file);
}
