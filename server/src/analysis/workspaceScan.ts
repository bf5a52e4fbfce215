// Background workspace index for the language server: walks the workspace folders for *.c/*.h,
// reads and prefilters them in worker threads (scanCore.ts, one parser per worker), and feeds the
// summaries of the files that matter into the WorkspaceIndex. Bounded (file cap; VCS, hidden and
// node_modules folders skipped; only C sources read), cancellable, and polite: the walk yields to
// the event loop every few milliseconds and summaries are applied as they arrive, so the server
// answers requests and analyses open documents while the index is being built.
//
// Deterministic: chunks are applied in walk order whatever order the workers finish in.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileScanner, type ScanItem, type ScanOptions } from './scanCore';
import { ScanPool, type ChunkReply } from './workerPool';
import type { WorkspaceIndex } from './workspaceIndex';

export interface WorkspaceScanOptions {
  /** Stop discovering after this many C files (faultline.indexMaxFiles). */
  maxFiles: number;
  /** Called at most every ~100 ms and once at the end: files read so far, files discovered so far. */
  onProgress(done: number, total: number, message: string): void;
  /** Polled between slices of work; true stops the scan (the result is then `partial`). */
  isCancelled(): boolean;
  /** Files or folders to scan first (e.g. the folders of the open documents). */
  prefer?: readonly string[];
  /** Whether a file's on-disk summary may go into the index (false for open documents: theirs is fresher). */
  shouldIndex?: (file: string) => boolean;
  /** Worker threads (default: cores − 1, at least 1: one core stays with the editor; 0 = time-sliced on this thread). */
  workers?: number;
  maxFileSize?: number;
}

export interface WorkspaceScanResult {
  /** C files read. */
  files: number;
  /** Files whose summaries went into the index. */
  indexed: number;
  ms: number;
  /** Cancelled, or the file cap was reached. */
  partial: boolean;
}

const SKIP_DIRS = new Set(['node_modules', 'out', 'dist']);
const CHUNK = 256;
const SLICE_MS = 8;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function isCSource(name: string): boolean {
  return name.endsWith('.c') || name.endsWith('.h');
}

export async function scanWorkspace(roots: readonly string[], index: WorkspaceIndex, opts: WorkspaceScanOptions): Promise<WorkspaceScanResult> {
  const started = performance.now();
  const scanOptions: ScanOptions = { maxFileSize: opts.maxFileSize ?? 32 * 1024 * 1024, keepText: false, keepFacts: false };
  const workers = opts.workers ?? (process.env["FAULTLINE_INDEX_WORKERS"] !== undefined ? Number(process.env["FAULTLINE_INDEX_WORKERS"]) : Math.max(1, (os.availableParallelism?.() ?? os.cpus().length) - 1));
  const pool = workers > 0 ? ScanPool.create(workers) : undefined;
  const shouldIndex = opts.shouldIndex ?? (() => true);

  let discovered = 0;
  let done = 0;
  let indexed = 0;
  let capped = false;
  let cancelled = false;
  let walking = true;
  let lastProgress = 0;
  const progress = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    const msg = walking ? `${done}/${discovered}+ files (discovering)` : `${done}/${discovered} files`;
    opts.onProgress(done, Math.max(discovered, 1), msg);
  };
  const apply = (items: readonly ScanItem[]): void => {
    for (const item of items) {
      if (item.summary && shouldIndex(item.file)) {
        index.update(item.file, item.summary);
        indexed++;
      }
    }
  };

  // ---- in-order application of chunk replies ---------------------------------------------
  const early = new Map<number, ChunkReply>();
  let nextToApply = 0;
  let submitted = 0;
  let settle: (() => void) | undefined;
  const chunkFiles = new Map<number, string[]>();
  if (pool) {
    pool.onReply((reply) => {
      early.set(reply.id, reply);
      for (let r = early.get(nextToApply); r; r = early.get(nextToApply)) {
        early.delete(nextToApply);
        const files = chunkFiles.get(r.id) ?? [];
        chunkFiles.delete(r.id);
        if (r.fatal !== undefined) {
          // A worker could not handle it: do it here (rare; keeps the index complete).
          const s = new FileScanner(scanOptions);
          apply(files.map((f) => s.scan(f)).filter((x): x is ScanItem => !!x));
        } else if (!cancelled) apply(r.items);
        done += files.length;
        nextToApply++;
      }
      progress();
      if (!walking && nextToApply === submitted) settle?.();
    });
  }

  // ---- sequential fallback: time-sliced on this thread ------------------------------------
  const sequential = new FileScanner(scanOptions);
  const scanHere = async (files: string[]): Promise<void> => {
    let sliceStart = performance.now();
    for (const f of files) {
      if (opts.isCancelled()) {
        cancelled = true;
        return;
      }
      const item = sequential.scan(f);
      if (item) apply([item]);
      done++;
      if (performance.now() - sliceStart > SLICE_MS) {
        progress();
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
  };

  let buffered: string[] = [];
  const flush = async (): Promise<void> => {
    const files = buffered;
    buffered = [];
    if (files.length === 0) return;
    if (opts.isCancelled()) {
      cancelled = true;
      return;
    }
    if (pool) {
      const id = pool.submit(files, scanOptions);
      chunkFiles.set(id, files);
      submitted = id + 1;
    } else {
      await scanHere(files);
    }
  };

  // ---- discovery: preferred paths first, then the roots; bounded and time-sliced -----------
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  let sliceStart = performance.now();
  const walk = async (start: string): Promise<void> => {
    let st: fs.Stats;
    try {
      st = fs.statSync(start);
    } catch {
      return;
    }
    const stack = st.isDirectory() ? [start] : [];
    if (!st.isDirectory() && isCSource(start)) await addFile(start);
    while (stack.length > 0 && !capped && !cancelled) {
      const dir = stack.pop()!;
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // reversed: the stack pops in name order
      const subdirs: string[] = [];
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) subdirs.push(path.join(dir, e.name));
        } else if (e.isFile() && isCSource(e.name)) {
          await addFile(path.join(dir, e.name));
          if (capped || cancelled) return;
        }
      }
      stack.push(...subdirs);
      if (performance.now() - sliceStart > SLICE_MS) {
        if (opts.isCancelled()) cancelled = true;
        progress();
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
  };
  const addFile = async (file: string): Promise<void> => {
    if (seenFiles.has(file)) return;
    if (discovered >= opts.maxFiles) {
      capped = true;
      return;
    }
    seenFiles.add(file);
    discovered++;
    buffered.push(file);
    if (buffered.length >= CHUNK) await flush();
  };

  try {
    for (const p of [...(opts.prefer ?? []), ...roots]) {
      if (capped || cancelled) break;
      await walk(path.resolve(p));
    }
    if (!cancelled) await flush();
    walking = false;
    if (pool && !cancelled && nextToApply < submitted) {
      await new Promise<void>((resolve) => {
        settle = resolve;
        const poll = (): void => {
          if (opts.isCancelled()) {
            cancelled = true;
            resolve();
          } else if (nextToApply < submitted) setTimeout(poll, 50).unref?.();
        };
        poll();
      });
    }
  } finally {
    walking = false;
    if (pool) {
      pool.cancelQueued();
      await pool.close();
    }
  }
  progress(true);
  return { files: done, indexed, ms: Math.round(performance.now() - started), partial: cancelled || capped };
}
