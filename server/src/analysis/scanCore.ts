// One file through the pipeline: read → input check → byte prefilter → parse → extract → index
// summary (→ rules, for the CLI: `retain` + `rules`). Shared by the worker threads (scanWorker.ts)
// and the sequential path, so both give identical results. Facts and summaries are plain data
// (summaries cross thread boundaries as v8-serialised bytes; facts stay where they were made).

import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { extractFileFacts, summarizeForIndex, type FileFacts, type FileSymbolSummary } from '../extraction';
import type { Profile } from '../model';
import { parseC } from '../parsing/parser';
import { ALL_RULES, workspaceIndexTriggers } from '../rules';
import { codeOf } from '../rules/siteView';
import { runRules } from '../rules/engine';
import type { Finding, SeveritySetting } from '../rules/types';
import { checkBuffer } from './inputCheck';
import { findKernelTree } from './kernelTree';
import { resolveTargets } from './targets';
import type { WorkspaceLookup } from '../rules/workspaceLookup';
import { WorkspaceIndex } from './workspaceIndex';
import { byteArena, compilePlan, DEFER, KEEP, type BytePlan, type Trigger } from './prefilter';

export interface ScanOptions {
  maxFileSize: number;
  /** Keep the source text of analysed files (the CLI's rules need it; the workspace index does not). */
  keepText: boolean;
  /** Keep the full facts (the CLI's rules need them; the workspace index needs only summaries). */
  keepFacts: boolean;
  /**
   * What the byte prefilter keeps. Default: the rules' triggers for every profile plus the index
   * tier (the language server's workspace index). `off` analyses every file (equality checks:
   * FAULTLINE_NO_PREFILTER=1). `defer`: files matching only these come back as `deferred` items
   * (neither parsed nor kept) for the caller to decide on (the CLI's second tier, batch.ts).
   */
  prefilter?: PrefilterPlan | 'off';
  /**
   * Worker threads of the CLI: keep the facts and text of analysed files in this thread (batch
   * id), answer with a reference, the serialised summary and the ops tables the file may ask
   * about; the rules run here later (`rulesForRetained`). Cloning the facts to the main thread
   * cost ~0.45 s of CPU on the 6.12 tree (9.5 MB serialised for 155 files).
   */
  retain?: number;
  /**
   * With `retain`: run the rules right after extraction, with a workspace lookup that answers
   * nothing and notes whether it was asked. A file whose rules never ask the index (all 155 files
   * analysed on 6.12) gets its final results there and nothing is retained; the others are
   * retained and run again, with the whole index, in the rules phase (`rulesForRetained`).
   */
  rules?: RuleOptions;
}

export interface PrefilterPlan {
  triggers: Trigger[];
  defer?: Trigger[];
  /**
   * A file is kept only if a trigger occurs in code: outside comments, string literals and
   * directive lines (siteView.codeOf, the rules' code view). The rules fire on code only
   * (facts come from function bodies and initialisers, FL009 scans the code view), so a file whose
   * triggers all sit in comments cannot produce a finding; it goes on as if it had none (second
   * tier if it mentions a defer word). The CLI sets this; the workspace index does not.
   */
  codeOnly?: boolean;
}

/** What happened to one file. Files the prefilter dropped produce no item at all. */
export interface ScanItem {
  file: string;
  /** Why the file was not analysed (unreadable, binary, too large, extraction crashed). */
  skipped?: string;
  facts?: FileFacts;
  summary?: FileSymbolSummary;
  text?: string;
  /** Matched only the plan's `defer` patterns: not analysed yet. */
  deferred?: true;
  /** `deferred`: the identifiers that may follow `=`/`&` in the file (installCandidates). */
  idents?: string[];
  /** `retain`: the facts stay in the worker under this reference. */
  ref?: number;
  /** `retain`: the worker's slot in the pool (set by the main thread on receipt). */
  worker?: number;
  /** `retain`: v8.serialize(summary), forwarded as is to the other workers for their index. */
  summaryBytes?: Uint8Array;
  /** `retain`: ops tables the file may ask the index about (second tier, batch.ts). */
  asked?: string[];
  /** `retain` + `rules`: the file's final rule results (its rules never asked the index). */
  rules?: FileRules;
  /** A needed second-tier file left unanalysed because no file's rules asked the index (batch.ts). */
  heldBack?: true;
}

export interface ScanCounts {
  files: number;
  bytes: number;
  candidates: number;
  parsed: number;
  /** Files whose trigger bytes all sat in comments, strings or directives (PrefilterPlan.codeOnly). */
  codeless: number;
}

export function emptyCounts(): ScanCounts {
  return { files: 0, bytes: 0, candidates: 0, parsed: 0, codeless: 0 };
}

export function addCounts(into: ScanCounts, c: ScanCounts): void {
  into.files += c.files;
  into.bytes += c.bytes;
  into.candidates += c.candidates;
  into.codeless += c.codeless;
  into.parsed += c.parsed;
}

const planCache = new Map<string, BytePlan>();

/**
 * The compiled two-tier byte plan of a prefilter setting, cached per thread by the plan's JSON.
 * No setting: the language server's workspace index (workspaceIndexTriggers).
 * Called once per FileScanner (a worker builds one per chunk), never per file: the JSON key of
 * the 6.12 plan cost ~0.25 s per worker when it was computed for each of 60k files.
 */
export function planMatcher(plan: PrefilterPlan | undefined): BytePlan {
  const key = plan === undefined ? '' : JSON.stringify(plan);
  let m = planCache.get(key);
  if (!m) {
    m = plan === undefined ? compilePlan(workspaceIndexTriggers()) : compilePlan(plan.triggers, plan.defer ?? []);
    planCache.set(key, m);
  }
  return m;
}

const NUL_PROBE = 64 * 1024;

/**
 * Files are read into one reused buffer per thread: allocating a fresh Buffer per file, as
 * readFileSync does, costs more than the read itself on 60k files. Where WebAssembly SIMD is
 * available that buffer is the thread's byteArena(), which the prefilter's SIMD scanner reads
 * in place.
 */
let readBuf: Buffer | undefined;
let readCapacity = 1 << 20;

/** The thread's read buffer with room for `capacity` bytes; the first `keep` bytes are preserved. */
function readBuffer(capacity: number, keep: number): Buffer {
  readCapacity = Math.max(readCapacity, capacity);
  const arena = byteArena();
  if (arena) return arena.data(readCapacity);
  if (!readBuf || readBuf.length < readCapacity) {
    const bigger = Buffer.allocUnsafe(readCapacity);
    readBuf?.copy(bigger, 0, 0, keep);
    readBuf = bigger;
  }
  return readBuf;
}

export class FileScanner {
  private buf = readBuffer(0, 0);
  readonly counts = emptyCounts();
  private readonly plan: BytePlan | undefined;
  /** With `codeOnly`: the defer words alone, for a file whose triggers were all outside code. */
  private readonly deferPlan: BytePlan | undefined;

  constructor(private readonly options: ScanOptions) {
    const p = options.prefilter;
    this.plan = p === 'off' ? undefined : planMatcher(p);
    if (p !== 'off' && p?.codeOnly) this.deferPlan = planMatcher({ triggers: p.defer ?? [] });
  }

  /** Processes one file; returns an item unless the prefilter dropped it. */
  scan(file: string): ScanItem | undefined {
    this.counts.files++;
    let n: number;
    try {
      n = this.read(file);
    } catch (err) {
      return { file, skipped: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
    this.counts.bytes += n;
    const buf = this.buf;
    // Fast path of checkBuffer (same verdicts): size cap, then a memchr for NUL in the first 64 KiB.
    if (n > this.options.maxFileSize || buf.subarray(0, Math.min(n, NUL_PROBE)).indexOf(0) !== -1) {
      const verdict = checkBuffer(buf.subarray(0, n), this.options.maxFileSize);
      if (!verdict.ok) return { file, skipped: verdict.reason };
    }
    if (this.plan) {
      const verdict = this.plan.classify(buf, 0, n);
      if (verdict !== KEEP) return verdict === DEFER ? { file, deferred: true, idents: installCandidates(buf, n) } : undefined;
    }
    const text = buf.toString('utf8', 0, n);
    if (this.plan && this.deferPlan && this.plan.classify(Buffer.from(codeOf(text), 'utf8')) !== KEEP) {
      // triggers only in comments, strings or directives (the raw bytes still decide the second tier)
      this.counts.codeless++;
      return this.deferPlan.classify(buf, 0, n) === KEEP ? { file, deferred: true, idents: installCandidates(buf, n) } : undefined;
    }
    this.counts.candidates++;
    return this.analyse(file, text);
  }

  /** Parse + extract + summarise a text already known to matter. */
  analyse(file: string, text: string): ScanItem {
    let facts: FileFacts;
    let summary: FileSymbolSummary;
    try {
      facts = extractFileFacts(parseC(text), text, { file });
      this.counts.parsed++;
      summary = summarizeForIndex(facts);
    } catch (err) {
      return { file, skipped: `analysis failed: ${(err as Error).message}` };
    }
    if (this.options.retain !== undefined) return retain(this.options.retain, file, text, facts, summary, this.options.rules);
    const item: ScanItem = { file, summary };
    if (this.options.keepFacts) item.facts = facts;
    if (this.options.keepText) item.text = text;
    return item;
  }

  private read(file: string): number {
    const fd = fs.openSync(file, 'r');
    try {
      let buf = readBuffer(0, 0);
      let n = fs.readSync(fd, buf, 0, buf.length, 0);
      if (n < buf.length) return n;
      // Large file: size it, grow the buffer, read the rest.
      for (;;) {
        const size = fs.fstatSync(fd).size;
        if (size >= buf.length) buf = readBuffer(Math.max(size + 1, buf.length * 2), n);
        const r = fs.readSync(fd, buf, n, buf.length - n, n);
        n += r;
        if (r === 0 || n < buf.length) return n;
      }
    } finally {
      this.buf = readBuffer(0, 0);
      fs.closeSync(fd);
    }
  }
}

/**
 * Ops-table names a file may ask the index about (rules/siteView.ts vmaForTables: the names of its
 * tables, or the target of a handler assignment such as `ops->fault = f`).
 */
export function tableNamesAsked(facts: FileFacts, into: Set<string>): void {
  for (const t of [...facts.vmOpsTables, ...facts.fileOperationsTables, ...facts.otherMmapTables]) into.add(t.name);
  for (const a of facts.vmOpsAssignments) if (a.field !== 'vm_ops') into.add(a.target.replace(/^&\s*/, ''));
}

const STAR_SLASH = Buffer.from('*/');

function isIdentByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || (b >= 0x30 && b <= 0x39));
}

/**
 * The identifiers that can be `name` in a match of the second tier's regex (batch.ts
 * installsOneOf: `[=&](?:\s|\\\r?\n|/\*[\s\S]*?\*\/|//[^\n]*\n)*name\b` on the latin1 text): a
 * superset, so that a name outside it cannot match and the regex runs only for names inside it.
 * In a match, after the last block comment (or after `[=&]` when there is none) come only
 * whitespace, line continuations and line comments, which parse one way; the lazy block comment
 * may end at any later `*\/`. So: from each `=`, `&` and `*\/`, skip those units (block comments
 * to their first `*\/`) and take the identifier there, if any. Costs ~50 µs per deferred file,
 * in the worker (the main thread tokenising whole files cost 0.3 s on 6.12).
 */
export function installCandidates(buf: Buffer, n: number): string[] {
  const view = buf.subarray(0, n);
  const out = new Set<string>();
  const after = (p: number): void => {
    let i = p;
    for (;;) {
      const c = view[i];
      if (c === 0x20 || (c !== undefined && c >= 0x09 && c <= 0x0d) || c === 0xa0) i++;
      else if (c === 0x5c) {
        let j = i + 1;
        if (view[j] === 0x0d) j++;
        if (view[j] !== 0x0a) break;
        i = j + 1;
      } else if (c === 0x2f && view[i + 1] === 0x2f) {
        const nl = view.indexOf(0x0a, i + 2);
        if (nl === -1) break;
        i = nl + 1;
      } else if (c === 0x2f && view[i + 1] === 0x2a) {
        const end = view.indexOf(STAR_SLASH, i + 2);
        if (end === -1) break;
        i = end + 2;
      } else break;
    }
    const c = view[i];
    if (c === undefined || !isIdentByte(c) || (c >= 0x30 && c <= 0x39)) return;
    let j = i + 1;
    while (j < n && isIdentByte(view[j])) j++;
    out.add(view.toString('latin1', i, j));
  };
  for (let p = view.indexOf(0x3d); p !== -1; p = view.indexOf(0x3d, p + 1)) after(p + 1);
  for (let p = view.indexOf(0x26); p !== -1; p = view.indexOf(0x26, p + 1)) after(p + 1);
  for (let p = view.indexOf(STAR_SLASH); p !== -1; p = view.indexOf(STAR_SLASH, p + 1)) after(p + 2);
  return [...out];
}

// ---- rules --------------------------------------------------------------------------------

export interface RuleOptions {
  /** Explicit profiles; empty means per-file defaults (kernel tree, else built-in). */
  targets: readonly Profile[];
  severities?: Readonly<Record<string, SeveritySetting>>;
}

export interface FileRules {
  findings: Finding[];
  targets: string[];
  /** Target-resolution problems met for this file (per-file defaults only). */
  problems: string[];
}

/** Target-resolution problems for a file (per-file defaults only), as rulesForFile reports them. */
export function targetProblems(file: string, options: RuleOptions): string[] {
  return options.targets.length === 0 ? resolveTargets([], findKernelTree(file)).problems : [];
}

/** The rules on one analysed file, with the workspace index of the whole batch. */
export function rulesForFile(file: string, text: string, facts: FileFacts, index: Pick<WorkspaceIndex, 'viewExcluding'>, options: RuleOptions): FileRules {
  let profiles = options.targets;
  let problems: string[] = [];
  if (profiles.length === 0) {
    const resolved = resolveTargets([], findKernelTree(file));
    problems = resolved.problems;
    profiles = resolved.profiles;
  }
  const findings = runRules(ALL_RULES, { file, text, facts, profiles, workspace: index.viewExcluding(file) }, options.severities ? { severities: options.severities } : {});
  return { findings, targets: profiles.map((p) => p.id), problems };
}

interface Retained {
  file: string;
  text: string;
  facts: FileFacts;
  summary: FileSymbolSummary;
}

const retained = new Map<number, Retained>();
let retainedBatch: number | undefined;
let nextRef = 0;

function retain(batch: number, file: string, text: string, facts: FileFacts, summary: FileSymbolSummary, rules: RuleOptions | undefined): ScanItem {
  if (retainedBatch !== batch) {
    // The synchronous CLI runs one batch at a time: a new batch means the old one is over.
    retained.clear();
    retainedBatch = batch;
  }
  const asked = new Set<string>();
  tableNamesAsked(facts, asked);
  const item: ScanItem = { file, summaryBytes: v8.serialize(summary), asked: [...asked] };
  if (rules) {
    let consulted = false;
    const blind: WorkspaceLookup = {
      fileDefining: () => ((consulted = true), undefined),
      filesInstallingOps: () => ((consulted = true), []),
    };
    const result = rulesForFile(file, text, facts, { viewExcluding: () => blind }, rules);
    if (!consulted) {
      item.rules = result;
      return item;
    }
  }
  item.ref = nextRef++;
  retained.set(item.ref, { file, text, facts, summary });
  return item;
}

/** One entry of the batch's index, in input order (all analysed files, wherever they live). */
export interface IndexEntry {
  file: string;
  /** Pool slot holding the facts, -1 for the main thread. */
  worker: number;
  ref: number;
  summary: Uint8Array;
}

export interface RulesRequest {
  batch: number;
  index: IndexEntry[];
  /** This worker's references to run the rules on, in input order. */
  refs: number[];
  rules: RuleOptions;
}

/** Worker side of the rules phase: the batch's index (same order as the main thread's), then the rules. */
export function rulesForRetained(req: RulesRequest, self: number): (FileRules & { ref: number })[] {
  const mine = retainedBatch === req.batch;
  const index = new WorkspaceIndex();
  for (const e of req.index) {
    const own = mine && e.worker === self ? retained.get(e.ref) : undefined;
    index.update(e.file, own ? own.summary : (v8.deserialize(e.summary) as FileSymbolSummary));
  }
  const out: (FileRules & { ref: number })[] = [];
  for (const ref of req.refs) {
    const r = mine ? retained.get(ref) : undefined;
    if (!r) throw new Error(`scan worker: no retained facts for reference ${ref} of batch ${req.batch}`);
    // A deep copy: the speculative run (retain) may have cached views built without the index on
    // the facts' objects (rules/siteView.ts caches per facts object).
    out.push({ ref, ...rulesForFile(r.file, r.text, structuredClone(r.facts), index, req.rules) });
  }
  retained.clear();
  retainedBatch = undefined;
  return out;
}
