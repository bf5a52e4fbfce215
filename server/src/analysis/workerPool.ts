// A pool of scan workers (worker_threads, one tree-sitter parser each). Work is handed out in
// chunks of file paths; each worker holds at most a few chunks, so a slow file (mm/memory.c) does
// not idle the other thread. Two ways to drive it:
// - synchronously (the CLI, whose API is synchronous): replies are drained with
//   receiveMessageOnPort and the main thread sleeps in Atomics.wait on a counter the workers bump;
// - asynchronously (the language server's background index): replies arrive as port events and
//   the event loop stays free.
// When the worker script is absent (unusual builds) callers fall back to sequential scanning.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { FileRules, RulesRequest, ScanCounts, ScanItem, ScanOptions } from './scanCore';

export interface WorkerInit {
  port: MessagePort;
  signal: SharedArrayBuffer;
  /** The worker's slot in the pool. */
  index: number;
}

export interface ChunkRequest {
  id: number;
  files: string[];
  options: ScanOptions;
  /** A rules request (the CLI's last phase, to the worker holding the facts) instead of files to scan. */
  rules?: RulesRequest;
}

export interface ChunkReply {
  id: number;
  items: ScanItem[];
  counts: ScanCounts;
  /** The worker could not process the chunk (load failure, internal error). */
  fatal?: string;
  /** Answer to a rules request. */
  rules?: (FileRules & { ref: number })[];
  /** Slot of the worker that answered (set on receipt). */
  worker?: number;
}

/**
 * The worker script next to this module: dist/scanWorker.js for the bundles (dist/cli.js,
 * dist/server.js), out/server/src/analysis/scanWorker.js for the tsc output.
 */
export function workerScriptPath(): string | undefined {
  const candidate = path.join(__dirname, 'scanWorker.js');
  return fs.existsSync(candidate) ? candidate : undefined;
}

/** `FAULTLINE_WORKERS` if set (0 = no workers), else one worker per core, at most 8. */
export function defaultPoolSize(): number {
  const env = process.env['FAULTLINE_WORKERS'];
  if (env !== undefined && /^\d+$/.test(env)) return Math.min(Number(env), 64);
  return Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
}

interface Slot {
  worker: Worker;
  port: MessagePort;
  inFlight: number;
}

/**
 * Chunks a worker holds at most. A worker wakes a main thread blocked in Atomics.wait only when it
 * is down to WAKE_AT chunks (or for a rules reply): waking it for each of the 470 chunk replies of
 * the 6.12 tree cost ~0.3 s of the workers' wall (context switches, 2 cores, 3 threads).
 */
const MAX_IN_FLIGHT = 6;
export const WAKE_AT = 2;

export class ScanPool {
  private readonly slots: Slot[] = [];
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly queue: ChunkRequest[] = [];
  private nextId = 0;
  private closed = false;
  private listener: ((reply: ChunkReply) => void) | undefined;

  /** undefined when there is no worker script or size is 0. */
  static create(size = defaultPoolSize()): ScanPool | undefined {
    const script = workerScriptPath();
    if (!script || size <= 0) return undefined;
    return new ScanPool(script, size);
  }

  private constructor(script: string, size: number) {
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const init: WorkerInit = { port: port2, signal: this.signal.buffer as SharedArrayBuffer, index: i };
      const worker = new Worker(script, { workerData: init, transferList: [port2] });
      worker.unref();
      worker.on('error', () => undefined); // reported per chunk as `fatal`; never crash the host
      this.slots.push({ worker, port: port1, inFlight: 0 });
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Queues a chunk; returns its id (ids increase in submission order). */
  submit(files: string[], options: ScanOptions): number {
    const id = this.nextId++;
    this.queue.push({ id, files, options });
    this.dispatch();
    return id;
  }

  /** Sends a request to one worker now (no queue, no in-flight cap): the rules phase. */
  submitTo(slot: number, request: Omit<ChunkRequest, 'id'>): number {
    const id = this.nextId++;
    const s = this.slots[slot]!;
    s.inFlight++;
    s.port.postMessage({ ...request, id });
    return id;
  }

  get pending(): number {
    return this.queue.length + this.slots.reduce((n, s) => n + s.inFlight, 0);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // Near the end of the queue hand out chunks one or two at a time: chunks a worker holds
      // cannot move to an idle one (a 6-chunk hold left one worker alone for up to ~0.24 s).
      const cap = this.queue.length > this.slots.length * MAX_IN_FLIGHT ? MAX_IN_FLIGHT : WAKE_AT;
      let best: Slot | undefined;
      for (const s of this.slots) if (s.inFlight < cap && (!best || s.inFlight < best.inFlight)) best = s;
      if (!best) return;
      best.inFlight++;
      best.port.postMessage(this.queue.shift()!);
    }
  }

  // ---- synchronous driving ---------------------------------------------------------------

  /** Replies that have arrived, without blocking (`block`: wait until at least one, if any are pending). */
  poll(block: boolean): ChunkReply[] {
    if (this.listener) throw new Error('ScanPool: poll() on a pool driven asynchronously');
    const out: ChunkReply[] = [];
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      this.slots.forEach((s, slot) => {
        for (let m = receiveMessageOnPort(s.port); m; m = receiveMessageOnPort(s.port)) {
          s.inFlight--;
          const reply = m.message as ChunkReply;
          reply.worker = slot;
          out.push(reply);
        }
      });
      this.dispatch();
      if (out.length > 0 || !block || this.pending === 0) return out;
      Atomics.wait(this.signal, 0, seen, 1000);
    }
  }

  // ---- asynchronous driving --------------------------------------------------------------

  /**
   * Switches the pool to event-driven replies (port listeners; the event loop stays free). The
   * workers then keep the process alive until close().
   */
  onReply(listener: (reply: ChunkReply) => void): void {
    this.listener = listener;
    for (const [slot, s] of this.slots.entries()) {
      s.worker.ref();
      s.port.on('message', (reply: ChunkReply) => {
        s.inFlight--;
        reply.worker = slot;
        this.dispatch();
        this.listener?.(reply);
      });
    }
  }

  /** Drops queued (not yet dispatched) chunks; returns their ids. */
  cancelQueued(): number[] {
    return this.queue.splice(0).map((r) => r.id);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    // A worker terminated while tree-sitter's native code runs aborts the whole process
    // (node-addon-api turns the pending termination into an uncaught C++ exception), so let the
    // chunks already handed out finish first; each is bounded (a few hundred files).
    const deadline = Date.now() + 30_000;
    while (this.slots.some((s) => s.inFlight > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    for (const s of this.slots) s.port.close();
    await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}
