// Whole-file-set analysis for the CLI: read, prefilter, parse and extract every candidate file,
// build the workspace index from their summaries, then run the rules on each with cross-file
// knowledge. Files that cannot hold anything a rule looks at are never parsed.
//
// Speed (issue 12, docs/benchmarks.md): reading 60k kernel files is most of the cost, so the front
// half (read → input check → byte prefilter → parse → extract → summary, scanCore.ts) runs in a
// pool of worker threads, one parser each, fed while the directory walk is still going
// (analyzePaths). The back half (index, rules) runs on the main thread over the few hundred files
// that survive the prefilter. Results do not depend on the number of workers: items are put back
// in walk order before the index is built, and results are sorted by file.

import * as fs from 'node:fs';
import { ALL_RULES, INDEX_TRIGGERS, ruleTriggers } from '../rules';
import type { FileFacts } from '../extraction';
import { runRules } from '../rules/engine';
import type { Finding, SeveritySetting } from '../rules/types';
import type { Profile } from '../model';
import { forEachSource, missingPaths } from './fileWalk';
import { addCounts, emptyCounts, FileScanner, triggerMatcher, type ScanItem, type ScanOptions } from './scanCore';
import { findKernelTree } from './kernelTree';
import { resolveTargets } from './targets';
import { ScanPool, defaultPoolSize, type ChunkReply } from './workerPool';
import { WorkspaceIndex } from './workspaceIndex';

export interface BatchOptions {
  /** Explicit `V/ARCH` targets; empty means per-file defaults (kernel tree, else built-in). */
  targets: readonly Profile[];
  severities?: Readonly<Record<string, SeveritySetting>>;
  maxFileSize: number;
  /** Worker threads for reading/parsing (0 = all on this thread). Default: FAULTLINE_WORKERS, else one per core. */
  workers?: number;
  /** Analyse every file (no byte prefilter). Also FAULTLINE_NO_PREFILTER=1. For equality checks. */
  noPrefilter?: boolean;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  targets: string[];
  /** Why the file was not analysed (unreadable, binary, too large). */
  skipped?: string;
}

export interface BatchStats {
  files: number;
  bytes: number;
  candidates: number;
  parsed: number;
  /** Worker threads used (0: everything ran on the calling thread). */
  workers: number;
  /** Second-tier files (only `vm_ops`): seen, and analysed because they name a table a first-tier file uses. */
  deferred?: number;
  indexOnly?: number;
}

export interface BatchResult {
  results: FileResult[];
  problems: string[];
  stats: BatchStats;
}

/** Cheap byte-level test: can this file matter to any rule? (Any of the rules' TRIGGER_WORDS.) */
export function mayMatter(buf: Buffer): boolean {
  return triggerMatcher().test(buf);
}

/** Below this many files a pool costs more (worker start, parser load) than it saves. */
const MIN_FILES_FOR_POOL = 64;
const CHUNK = 128;

let sharedPool: ScanPool | undefined;

function poolOfSize(size: number): ScanPool | undefined {
  if (size <= 0) return undefined;
  if (sharedPool && sharedPool.size === size) return sharedPool;
  void sharedPool?.close();
  sharedPool = ScanPool.create(size);
  return sharedPool;
}

/** Front half over a stream of files: sequential for small inputs, the worker pool otherwise. */
class Scan {
  private readonly scanOptions: ScanOptions;
  private readonly workers: number;
  private pool: ScanPool | undefined;
  private decided = false;
  private buffered: string[] = [];
  private readonly replies: ChunkReply[] = [];
  private readonly chunkFiles = new Map<number, string[]>();
  private readonly sequentialItems: ScanItem[] = [];
  private readonly sequential: FileScanner;

  constructor(options: BatchOptions) {
    this.scanOptions = { maxFileSize: options.maxFileSize, keepText: true, keepFacts: true, prefilter: prefilterPlan(options) };
    this.workers = options.workers ?? defaultPoolSize();
    this.sequential = new FileScanner(this.scanOptions);
  }

  add(file: string): void {
    if (this.decided && !this.pool) {
      const item = this.sequential.scan(file);
      if (item) this.sequentialItems.push(item);
      return;
    }
    this.buffered.push(file);
    if (this.buffered.length >= CHUNK) {
      if (!this.decided) this.decide(this.buffered.length);
      this.flush();
    }
  }

  private decide(knownFiles: number): void {
    this.decided = true;
    this.pool = knownFiles >= MIN_FILES_FOR_POOL ? poolOfSize(this.workers) : undefined;
  }

  private flush(): void {
    const files = this.buffered;
    this.buffered = [];
    if (this.pool) {
      this.chunkFiles.set(this.pool.submit(files, this.scanOptions), files);
      this.replies.push(...this.pool.poll(false));
    } else {
      for (const file of files) {
        const item = this.sequential.scan(file);
        if (item) this.sequentialItems.push(item);
      }
    }
  }

  /** All items in input order (second tier resolved), and the counts. */
  finish(): { items: ScanItem[]; counts: ReturnType<typeof emptyCounts>; workers: number; deferred: number; indexOnly: number } {
    const first = this.finishFirst();
    const deferred = first.items.filter((i) => i.deferred).map((i) => i.file);
    if (deferred.length === 0) return { ...first, deferred: 0, indexOnly: 0 };
    const needed = neededSecondTier(first.items, deferred);
    const done = new Map<string, ScanItem>();
    const options: ScanOptions = { ...this.scanOptions, prefilter: 'off' };
    const take = (item: ScanItem, c: ReturnType<typeof emptyCounts>): void => {
      done.set(item.file, item);
      first.counts.candidates += c.candidates;
      first.counts.parsed += c.parsed;
    };
    if (this.pool && needed.length >= 8) {
      const ids = new Map<number, string[]>();
      for (let i = 0; i < needed.length; i += 8) {
        const files = needed.slice(i, i + 8);
        ids.set(this.pool.submit(files, options), files);
      }
      while (this.pool.pending > 0) {
        for (const r of this.pool.poll(true)) {
          if (!ids.has(r.id)) continue;
          if (r.fatal === undefined) {
            for (const item of r.items) take(item, emptyCounts());
            first.counts.candidates += r.counts.candidates;
            first.counts.parsed += r.counts.parsed;
          } else {
            const redo = new FileScanner(options);
            for (const f of ids.get(r.id)!) { const item = redo.scan(f); if (item) take(item, emptyCounts()); }
            first.counts.candidates += redo.counts.candidates;
            first.counts.parsed += redo.counts.parsed;
          }
        }
      }
    } else {
      const redo = new FileScanner(options);
      for (const f of needed) { const item = redo.scan(f); if (item) done.set(f, item); }
      first.counts.candidates += redo.counts.candidates;
      first.counts.parsed += redo.counts.parsed;
    }
    const items: ScanItem[] = [];
    for (const item of first.items) {
      if (!item.deferred) items.push(item);
      else {
        const d = done.get(item.file);
        if (d) items.push(d);
      }
    }
    return { items, counts: first.counts, workers: first.workers, deferred: deferred.length, indexOnly: needed.length };
  }

  private finishFirst(): { items: ScanItem[]; counts: ReturnType<typeof emptyCounts>; workers: number } {
    if (!this.decided) this.decide(this.buffered.length);
    if (this.buffered.length > 0) this.flush();
    const counts = emptyCounts();
    addCounts(counts, this.sequential.counts);
    if (!this.pool) return { items: this.sequentialItems, counts, workers: 0 };
    while (this.pool.pending > 0) this.replies.push(...this.pool.poll(true));
    // Chunk ids follow submission (= walk) order; a chunk a worker could not process is redone here.
    const submitted = new Map<number, ChunkReply>();
    for (const r of this.replies) submitted.set(r.id, r);
    const items: ScanItem[] = [];
    for (const r of [...submitted.values()].sort((a, b) => a.id - b.id)) {
      if (r.fatal === undefined) {
        addCounts(counts, r.counts);
        for (const item of r.items) items.push(item);
        continue;
      }
      const redo = new FileScanner(this.scanOptions);
      for (const file of this.chunkFiles.get(r.id) ?? []) {
        const item = redo.scan(file);
        if (item) items.push(item);
      }
      addCounts(counts, redo.counts);
    }
    return { items, counts, workers: this.pool.size };
  }
}

/** The byte prefilter for these options: the rules' triggers for the targets, `vm_ops` as second tier. */
export function prefilterPlan(options: Pick<BatchOptions, 'targets' | 'noPrefilter'>): ScanOptions['prefilter'] {
  if (options.noPrefilter || process.env['FAULTLINE_NO_PREFILTER'] === '1') return 'off';
  return { triggers: ruleTriggers(options.targets.length > 0 ? options.targets : undefined), defer: [...INDEX_TRIGGERS] };
}

/**
 * Ops-table names a first-tier file may ask the index about (rules/siteView.ts vmaForTables: the
 * names of its tables, or the target of a handler assignment such as `ops->fault = f`).
 */
function tableNamesAsked(facts: FileFacts, into: Set<string>): void {
  for (const t of [...facts.vmOpsTables, ...facts.fileOperationsTables, ...facts.otherMmapTables]) into.add(t.name);
  for (const a of facts.vmOpsAssignments) if (a.field !== 'vm_ops') into.add(a.target.replace(/^&\s*/, ''));
}

/**
 * Second tier: a file matching only INDEX_TRIGGERS can change findings only through
 * `filesInstallingOps(table)`, i.e. by installing a table a first-tier file asks about:
 * extraction records `installedOps` only for `vm_ops = table` / `vm_ops = &table` with an
 * identifier right-hand side, so that identifier follows an `=` or `&` (whitespace, comments or
 * line continuations between) in its text. Those files are re-read here and analysed; the others
 * are dropped (the equality with FAULTLINE_NO_PREFILTER=1 is tested and measured).
 */
function neededSecondTier(items: readonly ScanItem[], deferred: readonly string[]): string[] {
  const names = new Set<string>();
  for (const item of items) if (item.facts) tableNamesAsked(item.facts, names);
  const words = [...names].filter((n) => /^[A-Za-z_]\w*$/.test(n)).sort();
  if (words.length === 0) return [];
  const re = new RegExp(`[=&](?:\\s|\\\\\\r?\\n|/\\*[\\s\\S]*?\\*/|//[^\\n]*\\n)*(?:${words.join('|')})\\b`);
  const out: string[] = [];
  for (const f of deferred) {
    let text: string;
    try {
      text = fs.readFileSync(f, 'latin1');
    } catch {
      out.push(f); // let the scanner report it
      continue;
    }
    if (re.test(text)) out.push(f);
  }
  return out;
}

/** Back half: index in input order, then rules per analysed file; results sorted by file. */
function finishBatch(items: readonly ScanItem[], counts: ReturnType<typeof emptyCounts>, workers: number, options: BatchOptions, tiers?: { deferred: number; indexOnly: number }): BatchResult {
  const results: FileResult[] = [];
  const problems: string[] = [];
  const index = new WorkspaceIndex();
  const analysed: ScanItem[] = [];
  for (const item of items) {
    if (item.skipped !== undefined || !item.facts || !item.summary) {
      results.push({ file: item.file, findings: [], targets: [], skipped: item.skipped ?? 'not analysed' });
      continue;
    }
    analysed.push(item);
    index.update(item.file, item.summary);
  }
  for (const { file, text, facts } of analysed) {
    let profiles = options.targets;
    if (profiles.length === 0) {
      const resolved = resolveTargets([], findKernelTree(file));
      for (const p of resolved.problems) if (!problems.includes(p)) problems.push(p);
      profiles = resolved.profiles;
    }
    const findings = runRules(ALL_RULES, { file, text: text!, facts: facts!, profiles, workspace: index.viewExcluding(file) }, options.severities ? { severities: options.severities } : {});
    results.push({ file, findings, targets: profiles.map((p) => p.id) });
  }
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const stats: BatchStats = { ...counts, workers };
  if (tiers && tiers.deferred > 0) Object.assign(stats, tiers);
  return { results, problems, stats };
}

export function analyzeFiles(files: readonly string[], options: BatchOptions): BatchResult {
  const scan = new Scan(options);
  for (const file of files) scan.add(file);
  const { items, counts, workers, deferred, indexOnly } = scan.finish();
  return finishBatch(items, counts, workers, options, { deferred, indexOnly });
}

/**
 * Walks `paths` (files, or directories for *.c/*.h) and analyses what it finds, reading and parsing
 * in the worker pool while the walk continues. `missing` lists arguments that do not exist; when
 * there are any, nothing is analysed.
 */
export function analyzePaths(paths: readonly string[], options: BatchOptions): BatchResult & { missing: string[] } {
  const missing = missingPaths(paths);
  if (missing.length > 0) return { results: [], problems: [], stats: { ...emptyCounts(), workers: 0 }, missing };
  const scan = new Scan(options);
  forEachSource(paths, (file) => scan.add(file));
  const { items, counts, workers, deferred, indexOnly } = scan.finish();
  return { ...finishBatch(items, counts, workers, options, { deferred, indexOnly }), missing };
}
