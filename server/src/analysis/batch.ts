// Whole-file-set analysis for the CLI: read, prefilter, parse and extract every candidate file,
// run the rules on each with cross-file knowledge. Files that cannot hold anything a rule looks
// at are never parsed.
//
// Speed (issue 12, docs/benchmarks.md): the whole pipeline per file (read → input check → byte
// prefilter → parse → extract → summary → rules, scanCore.ts) runs in a pool of worker threads,
// one parser each, fed while the directory walk is still going (analyzePaths). A file's rules run
// where it was analysed, with a workspace lookup that notes whether it is asked; only files whose
// rules asked the index run again once every file is indexed (finishBatch), in the thread that
// kept their facts. The second tier (files that only install ops tables) is analysed only then.
// Results do not depend on the number of workers: the index is built in walk order, problems are
// merged in walk order, and results are sorted by file.

import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { INDEX_TRIGGERS, ruleTriggers } from '../rules';
import type { FileSymbolSummary } from '../extraction';
import type { Finding, SeveritySetting } from '../rules/types';
import type { Profile } from '../model';
import { forEachSource, missingPaths } from './fileWalk';
import { addCounts, emptyCounts, FileScanner, installCandidates, rulesForFile, rulesForRetained, tableNamesAsked, targetProblems, type FileRules, type IndexEntry, type RuleOptions, type RulesRequest, type ScanItem, type ScanOptions } from './scanCore';
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
  /** Files whose trigger words all sat in comments, strings or directives (not analysed). */
  codeless: number;
  /** Worker threads used (0: everything ran on the calling thread). */
  workers: number;
  /** Second-tier files (only `vm_ops`): seen, and analysed because they name a table a first-tier file uses. */
  deferred?: number;
  indexOnly?: number;
  /** Second-tier files that install a first-tier table but were not analysed: no file's rules asked the index. */
  heldBack?: number;
}

export interface BatchResult {
  results: FileResult[];
  problems: string[];
  stats: BatchStats;
}

/** Below this many files a pool costs more (worker start, parser load) than it saves. */
const MIN_FILES_FOR_POOL = 64;
const CHUNK = 128;
/**
 * A walk that has entered this many directories is a big tree: the pool starts then, not after the
 * first CHUNK files (the 6.12 tree's Documentation/ yields few C files: 50-60 ms later).
 */
const DIRS_FOR_POOL = 32;

let sharedPool: ScanPool | undefined;

/** FAULTLINE_TRACE=1: phase timestamps (ms since process start) on stderr, for tuning the scan. */
const TRACE = process.env['FAULTLINE_TRACE'] === '1';
if (TRACE) process.env['FL_T0'] = String(performance.timeOrigin);
export function trace(what: string): void {
  if (TRACE) process.stderr.write(`[trace ${performance.now().toFixed(0)} ms] ${what}\n`);
}

function poolOfSize(size: number): ScanPool | undefined {
  if (size <= 0) return undefined;
  if (sharedPool && sharedPool.size === size) return sharedPool;
  void sharedPool?.close();
  sharedPool = ScanPool.create(size);
  return sharedPool;
}

/**
 * Stops the workers once a batch is done (they are idle: every reply is in). The CLI runs one batch
 * and exits: tearing the workers down at process exit instead cost 50-70 ms of wall after the
 * output was written. A later batch in the same process starts a new pool.
 */
function releasePool(): void {
  if (!sharedPool) return;
  void sharedPool.close();
  sharedPool = undefined;
}

let batchIds = 0;

/**
 * Front half over a stream of files: sequential for small inputs, the worker pool otherwise. Every
 * analysed file gets its rules run right away by the thread that analysed it (ScanOptions.rules);
 * a file whose rules asked the workspace index keeps its facts there (ScanOptions.retain) and
 * runs again in the rules phase (finishBatch).
 */
class Scan {
  private readonly scanOptions: ScanOptions;
  readonly batch = batchIds++;
  private readonly workers: number;
  pool: ScanPool | undefined;
  private decided = false;
  private buffered: string[] = [];
  private readonly firstReplies: ChunkReply[] = [];
  private readonly chunkFiles = new Map<number, string[]>();
  private readonly sequentialItems: ScanItem[] = [];
  private readonly sequential: FileScanner;
  private readonly tier2 = new SecondTier((file) => this.needSecond(file));
  /**
   * Some first-tier file's rules asked the index (or may have: redone on this thread). Until then
   * the second tier cannot change any result that is reported, and needed files are held back.
   */
  private consulted = false;
  private readonly held: string[] = [];
  /** Second-tier chunks in flight (id → files) and their results. */
  private readonly secondChunks = new Map<number, string[]>();
  private readonly secondDone = new Map<string, ScanItem>();
  private readonly secondCounts = emptyCounts();

  constructor(options: BatchOptions) {
    this.scanOptions = { maxFileSize: options.maxFileSize, keepText: false, keepFacts: false, prefilter: prefilterPlan(options), retain: this.batch, rules: ruleOptionsOf(options) };
    this.workers = options.workers ?? defaultPoolSize();
    this.sequential = new FileScanner(this.scanOptions);
  }

  add(file: string): void {
    if (this.decided && !this.pool) {
      this.scanHere(file);
      return;
    }
    this.buffered.push(file);
    if (this.buffered.length >= CHUNK) {
      if (!this.decided) this.decide(this.buffered.length);
      this.flush();
    }
  }

  private scanHere(file: string): void {
    const item = this.sequential.scan(file);
    if (!item) return;
    this.sequentialItems.push(item);
    this.observe(item);
  }

  /** A first-tier item: second-tier bookkeeping. */
  private observe(item: ScanItem): void {
    if (item.ref !== undefined) this.markConsulted();
    this.tier2.observe(item);
  }

  private markConsulted(): void {
    if (this.consulted) return;
    this.consulted = true;
    for (const f of this.held.splice(0)) this.needSecond(f);
  }

  private dirs = 0;

  /** The walk entered a directory: many directories mean a big tree, start the pool now. */
  enterDir(): void {
    if (++this.dirs === DIRS_FOR_POOL && !this.decided) this.decide(this.buffered.length, true);
  }

  private decide(knownFiles: number, bigTree = false): void {
    trace(`decide (${knownFiles} files known, ${this.dirs} directories)`);
    this.decided = true;
    this.pool = bigTree || knownFiles >= MIN_FILES_FOR_POOL ? poolOfSize(this.workers) : undefined;
  }

  private flush(): void {
    const files = this.buffered;
    this.buffered = [];
    if (this.pool) {
      this.chunkFiles.set(this.pool.submit(files, this.scanOptions), files);
      this.receive(this.pool.poll(false));
    } else {
      for (const file of files) this.scanHere(file);
    }
  }

  /** A second-tier file is needed: held back until some file asked the index, then analysed (by a worker right away). */
  private needSecond(file: string): void {
    if (!this.consulted || !this.pool) this.held.push(file);
    else this.secondChunks.set(this.pool.submit([file], { ...this.scanOptions, prefilter: 'off' }), [file]);
  }

  private receive(replies: readonly ChunkReply[]): void {
    for (const r of replies) {
      const second = this.secondChunks.get(r.id);
      if (second) {
        this.secondChunks.delete(r.id);
        if (r.fatal === undefined) {
          for (const item of r.items) this.secondDone.set(item.file, withWorker(item, r.worker));
          addCounts(this.secondCounts, r.counts);
        } else this.analyseHere(second);
        continue;
      }
      this.firstReplies.push(r);
      if (r.fatal === undefined) for (const item of r.items) this.observe(withWorker(item, r.worker));
    }
  }

  /** Second-tier files analysed on this thread (no pool, or a worker failed them). */
  private analyseHere(files: readonly string[]): void {
    const scanner = new FileScanner({ ...this.scanOptions, prefilter: 'off' });
    for (const f of files) {
      const item = scanner.scan(f);
      if (item) this.secondDone.set(f, item);
    }
    addCounts(this.secondCounts, scanner.counts);
  }

  /** All items in input order (second tier resolved), and the counts. */
  finish(): { items: ScanItem[]; counts: ReturnType<typeof emptyCounts>; workers: number; deferred: number; indexOnly: number; heldBack: number } {
    trace('walk done');
    const first = this.finishFirst();
    if (this.consulted) this.analyseHere(this.held.splice(0)); // no pool (or needed at the very end)
    trace(`first and second tier done: ${first.items.length} items, ${this.tier2.needed.size} second-tier files needed, ${this.secondDone.size} analysed${this.consulted ? '' : ' (no file asked the index)'}`);
    const deferred = first.items.filter((i) => i.deferred).map((i) => i.file);
    first.counts.candidates += this.secondCounts.candidates;
    first.counts.parsed += this.secondCounts.parsed;
    if (deferred.length === 0) return { ...first, deferred: 0, indexOnly: 0, heldBack: 0 };
    const items: ScanItem[] = [];
    for (const item of first.items) {
      if (!item.deferred) items.push(item);
      else {
        const d = this.secondDone.get(item.file);
        if (d) items.push(d);
        else if (this.tier2.needed.has(item.file)) items.push({ file: item.file, heldBack: true });
      }
    }
    return { items, counts: first.counts, workers: first.workers, deferred: deferred.length, indexOnly: deferred.filter((f) => this.secondDone.has(f)).length, heldBack: items.filter((i) => i.heldBack).length };
  }

  private finishFirst(): { items: ScanItem[]; counts: ReturnType<typeof emptyCounts>; workers: number } {
    if (!this.decided) this.decide(this.buffered.length);
    if (this.buffered.length > 0) this.flush();
    const counts = emptyCounts();
    addCounts(counts, this.sequential.counts);
    if (!this.pool) return { items: this.sequentialItems, counts, workers: 0 };
    // Second-tier chunks can be submitted while the last first-tier replies come in.
    while (this.pool.pending > 0) this.receive(this.pool.poll(true));
    // Chunk ids follow submission (= walk) order; a chunk a worker could not process is redone here.
    const submitted = new Map<number, ChunkReply>();
    for (const r of this.firstReplies) submitted.set(r.id, r);
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
        if (item) {
          items.push(item);
          this.observe(item);
        }
      }
      addCounts(counts, redo.counts);
    }
    return { items, counts, workers: this.pool.size };
  }
}

/**
 * Second tier: a file matching only INDEX_TRIGGERS can change findings only through
 * `filesInstallingOps(table)`, i.e. by installing a table a first-tier file asks about:
 * extraction records `installedOps` only for `vm_ops = table` / `vm_ops = &table` with an
 * identifier right-hand side, so that identifier follows an `=` or `&` (whitespace, comments or
 * line continuations between) in its text. Those files are analysed; the others are dropped (the
 * equality with FAULTLINE_NO_PREFILTER=1 is tested and measured).
 *
 * Decided while the walk goes on (so the workers analyse them among the first-tier chunks, not in
 * a tail after it): a deferred file is needed as soon as one of the names asked so far follows
 * `=`/`&` in it. The union of per-name regex tests is the test of the alternation; a name can only
 * match where installCandidates (computed by the worker) allows, so those screen names first.
 *
 * A needed file matters only to a file whose rules ask the index; its own results are empty (it
 * has no rule trigger). So needed files are held back (Scan.needSecond) until the first file whose
 * rules asked the index comes back, and dropped if none did (6.12: 16 needed, none analysed). Only
 * what the CLI never prints differs: no empty result entry for them, stats.indexOnly counts the
 * files analysed (stats.heldBack the others); target problems (per-file defaults) are still
 * reported for them.
 */
class SecondTier {
  /** Ops-table names asked by first-tier files (identifiers only). */
  private readonly names = new Set<string>();
  /** Deferred files not needed so far: their installCandidates, and their text once read. */
  private readonly pending = new Map<string, { idents: Set<string>; text?: string }>();
  /** Deferred files that are needed, in the order found. */
  readonly needed = new Set<string>();
  private readonly seen = new Set<string>();

  constructor(private readonly onNeeded: (file: string) => void) {}

  observe(item: ScanItem): void {
    if (item.skipped !== undefined) return;
    if (item.deferred) {
      this.addDeferred(item);
      return;
    }
    const asked = new Set<string>();
    if (item.asked) for (const n of item.asked) asked.add(n);
    else if (item.facts) tableNamesAsked(item.facts, asked);
    const fresh = [...asked].filter((n) => !this.names.has(n) && IDENT.test(n));
    if (fresh.length === 0) return;
    for (const n of fresh) this.names.add(n);
    for (const [file, p] of this.pending) {
      const hits = fresh.filter((n) => p.idents.has(n));
      if (hits.length > 0) this.check(file, p, hits);
    }
  }

  private addDeferred(item: ScanItem): void {
    const file = item.file;
    if (this.seen.has(file)) return;
    this.seen.add(file);
    let idents = item.idents;
    if (!idents) {
      try {
        const buf = fs.readFileSync(file);
        idents = installCandidates(buf, buf.length);
      } catch {
        this.need(file); // let the scanner report it
        return;
      }
    }
    const p = { idents: new Set(idents) };
    this.pending.set(file, p);
    const hits = idents.filter((n) => this.names.has(n));
    if (hits.length > 0) this.check(file, p, hits);
  }

  /** The exact test (the regex on the latin1 text) for names the candidates allow. */
  private check(file: string, p: { idents: Set<string>; text?: string }, names: string[]): void {
    if (p.text === undefined) {
      try {
        p.text = fs.readFileSync(file, 'latin1');
      } catch {
        this.need(file);
        return;
      }
    }
    if (installsOneOf(p.text, names)) this.need(file);
  }

  private need(file: string): void {
    this.pending.delete(file);
    this.needed.add(file);
    this.onNeeded(file);
  }
}

const IDENT = /^[A-Za-z_]\w*$/;

/** Some name of `names` follows `=` or `&` (whitespace, comments, line continuations between). */
export function installsOneOf(text: string, names: readonly string[]): boolean {
  const re = new RegExp(`[=&](?:\\s|\\\\\\r?\\n|/\\*[\\s\\S]*?\\*/|//[^\\n]*\\n)*(?:${[...names].sort().join('|')})\\b`);
  return re.test(text);
}

function ruleOptionsOf(options: BatchOptions): RuleOptions {
  return { targets: options.targets, ...(options.severities ? { severities: options.severities } : {}) };
}

function withWorker(item: ScanItem, worker: number | undefined): ScanItem {
  if (item.ref !== undefined) item.worker = worker;
  return item;
}

/** The byte prefilter for these options: the rules' triggers for the targets, `vm_ops` as second tier. */
export function prefilterPlan(options: Pick<BatchOptions, 'targets' | 'noPrefilter'>): ScanOptions['prefilter'] {
  if (options.noPrefilter || process.env['FAULTLINE_NO_PREFILTER'] === '1') return 'off';
  return { triggers: ruleTriggers(options.targets.length > 0 ? options.targets : undefined), defer: [...INDEX_TRIGGERS], codeOnly: true };
}

/**
 * Back half: results per file, sorted by file. The rules of most files already ran where they
 * were analysed (their results do not depend on the index); files whose rules asked the index kept
 * their facts in that thread and run again here with the whole index: each worker gets every
 * summary in input order (the bytes they were serialised to) and builds the same WorkspaceIndex.
 */
function finishBatch(items: readonly ScanItem[], counts: ReturnType<typeof emptyCounts>, workers: number, options: BatchOptions, tiers?: { deferred: number; indexOnly: number; heldBack: number }, scan?: Scan): BatchResult {
  const results: FileResult[] = [];
  const problems: string[] = [];
  const analysed: ScanItem[] = [];
  for (const item of items) {
    if (item.heldBack) continue;
    if (item.skipped !== undefined || (item.ref === undefined && !item.rules)) {
      results.push({ file: item.file, findings: [], targets: [], skipped: item.skipped ?? 'not analysed' });
      continue;
    }
    analysed.push(item);
  }
  const ruleOptions = ruleOptionsOf(options);
  const perFile = new Map<ScanItem, FileRules & { skipped?: string }>();
  for (const i of analysed) if (i.rules) perFile.set(i, i.rules);
  const again = analysed.filter((i) => i.ref !== undefined);
  if (again.length > 0) {
    const entries: IndexEntry[] = analysed.map((i) => ({ file: i.file, worker: i.ref !== undefined ? (i.worker ?? -1) : -1, ref: i.ref ?? -1, summary: i.summaryBytes! }));
    const byWorker = new Map<number, ScanItem[]>();
    for (const i of again) {
      const w = i.worker ?? -1;
      let l = byWorker.get(w);
      if (!l) byWorker.set(w, (l = []));
      l.push(i);
    }
    const request = (mine: ScanItem[]): RulesRequest => ({ batch: scan!.batch, index: entries, refs: mine.map((i) => i.ref!), rules: ruleOptions });
    const take = (mine: ScanItem[], out: (FileRules & { ref: number })[]): void => {
      const byRef = new Map(mine.map((i) => [i.ref!, i]));
      for (const x of out) perFile.set(byRef.get(x.ref)!, { findings: x.findings, targets: x.targets, problems: x.problems });
    };
    const pool = scan?.pool;
    const asked = new Map<number, ScanItem[]>(); // request id → that worker's files
    for (const [w, mine] of byWorker) if (w >= 0 && pool) asked.set(pool.submitTo(w, { files: [], options: { maxFileSize: options.maxFileSize, keepText: false, keepFacts: false }, rules: request(mine) }), mine);
    const here = byWorker.get(-1);
    if (here) take(here, rulesForRetained(request(here), -1));
    while (pool && asked.size > 0 && pool.pending > 0) {
      for (const r of pool.poll(true)) {
        const mine = asked.get(r.id);
        if (!mine) continue;
        asked.delete(r.id);
        if (r.fatal === undefined) take(mine, r.rules ?? []);
      }
    }
    trace(`rules phase: ${again.length} files ran again with the index`);
  }
  // Any file a worker could not finish: re-analysed here (its facts are gone), rules with the index.
  const lost = analysed.filter((i) => !perFile.has(i));
  if (lost.length > 0) {
    const index = new WorkspaceIndex();
    for (const item of analysed) index.update(item.file, v8.deserialize(item.summaryBytes!) as FileSymbolSummary);
    const redo = new FileScanner({ maxFileSize: options.maxFileSize, keepText: true, keepFacts: true, prefilter: 'off' });
    for (const item of lost) {
      const source = redo.scan(item.file);
      if (!source?.facts || source.text === undefined) perFile.set(item, { findings: [], targets: [], problems: [], skipped: source?.skipped ?? 'not analysed' });
      else perFile.set(item, rulesForFile(item.file, source.text, source.facts, index, ruleOptions));
    }
  }
  // Problems in input order, as if every file ran its rules in turn (held-back second-tier files
  // included: their targets are resolved the same way, they just have no results to report).
  for (const item of items) {
    if (item.heldBack) {
      for (const p of targetProblems(item.file, ruleOptions)) if (!problems.includes(p)) problems.push(p);
      continue;
    }
    const r = perFile.get(item);
    if (!r) continue;
    for (const p of r.problems) if (!problems.includes(p)) problems.push(p);
    if (r.skipped !== undefined) results.push({ file: item.file, findings: [], targets: [], skipped: r.skipped });
    else results.push({ file: item.file, findings: r.findings, targets: r.targets });
  }
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  trace('rules done');
  const stats: BatchStats = { ...counts, workers };
  if (tiers && tiers.deferred > 0) {
    const { heldBack, ...rest } = tiers;
    Object.assign(stats, rest, heldBack > 0 ? { heldBack } : {});
  }
  return { results, problems, stats };
}

export function analyzeFiles(files: readonly string[], options: BatchOptions): BatchResult {
  const scan = new Scan(options);
  for (const file of files) scan.add(file);
  const { items, counts, workers, ...tiers } = scan.finish();
  const out = finishBatch(items, counts, workers, options, tiers, scan);
  releasePool();
  return out;
}

/**
 * Walks `paths` (files, or directories for *.c/*.h) and analyses what it finds, reading and parsing
 * in the worker pool while the walk continues. `missing` lists arguments that do not exist; when
 * there are any, nothing is analysed.
 */
export function analyzePaths(paths: readonly string[], options: BatchOptions): BatchResult & { missing: string[] } {
  trace('analyzePaths');
  const missing = missingPaths(paths);
  if (missing.length > 0) return { results: [], problems: [], stats: { ...emptyCounts(), workers: 0 }, missing };
  const scan = new Scan(options);
  trace('scan ready');
  forEachSource(
    paths,
    (file) => scan.add(file),
    () => scan.enterDir(),
  );
  const { items, counts, workers, ...tiers } = scan.finish();
  const out = { ...finishBatch(items, counts, workers, options, tiers, scan), missing };
  releasePool();
  return out;
}
