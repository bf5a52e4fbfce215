// Worker-thread entry (bundled to dist/scanWorker.js; tsc output out/server/src/analysis/scanWorker.js).
// One tree-sitter parser per worker. Receives chunks of file paths on its MessagePort, answers each
// chunk with the items that survived the prefilter plus byte/file counts, then bumps a shared
// counter so a main thread blocked in Atomics.wait (the synchronous CLI path) wakes up.

import * as os from 'node:os';
import { writeSync } from 'node:fs';
import { threadId, workerData, type MessagePort } from 'node:worker_threads';
import { WAKE_AT, type ChunkReply, type ChunkRequest, type WorkerInit } from './workerPool';

// The language server's background index gives way to the thread answering keystrokes: it asks
// for a nice value (FAULTLINE_SCAN_NICE, set by server/src/lsp/main.ts). On Linux a thread's
// nice value is its own (elsewhere it would be the whole process's, so it is left alone there).
const nice = Number(process.env['FAULTLINE_SCAN_NICE']);
if (process.platform === 'linux' && Number.isInteger(nice) && nice > 0) {
  try {
    os.setPriority(Math.min(nice, 19));
  } catch {
    // not permitted: keep the inherited priority
  }
}

const init = workerData as WorkerInit;
const port: MessagePort = init.port;
const signal = new Int32Array(init.signal);

/** Requests received and not answered yet. */
let pending = 0;

function post(msg: ChunkReply, wake = false): void {
  port.postMessage(msg);
  pending--;
  // The synchronous main thread only needs waking when this worker runs low on work (or to hear
  // about the last chunks and rules replies); the replies in between are drained when it wakes.
  if (wake || pending <= WAKE_AT) {
    Atomics.add(signal, 0, 1);
    Atomics.notify(signal, 0);
  }
}

let core: typeof import('./scanCore') | undefined;
try {
  // Loaded here (not as a top-level import) so a load failure becomes a reply, not a silent hang.
  core = require('./scanCore') as typeof import('./scanCore');
} catch (err) {
  const reason = `worker failed to load: ${(err as Error).message}`;
  port.on('message', (req: ChunkRequest) => (pending++, post({ id: req.id, fatal: reason, items: [], counts: { files: 0, bytes: 0, candidates: 0, parsed: 0, codeless: 0 } }, true)));
}

const loaded = core;
const turnEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

if (loaded) {
  // FAULTLINE_TRACE=1 (batch.ts): one line per chunk, in ms since the main thread started.
  const t0Main = process.env['FAULTLINE_TRACE'] === '1' ? Number(process.env['FL_T0'] ?? performance.timeOrigin) : undefined;
  const at = (t: number): string => (t + performance.timeOrigin - t0Main!).toFixed(0);
  const scanChunk = async (req: ChunkRequest): Promise<void> => {
    const t0 = performance.now();
    const scanner = new loaded.FileScanner(req.options);
    const items = [];
    try {
      for (const file of req.files) {
        const parsedBefore = scanner.counts.parsed;
        const item = scanner.scan(file);
        if (item) items.push(item);
        // tree-sitter frees a tree only when the event loop turns: without this a chunk keeps
        // every tree it parsed alive until it ends (hundreds of MB retained by the process).
        if (scanner.counts.parsed !== parsedBefore) await turnEventLoop();
      }
      const t1 = performance.now();
      post({ id: req.id, items, counts: scanner.counts });
      if (t0Main !== undefined) writeSync(2, `[trace worker ${threadId} chunk ${req.id}: ${at(t0)}..${at(t1)} ms, post ${(performance.now() - t1).toFixed(1)} ms, ${items.length} items]\n`);
    } catch (err) {
      post({ id: req.id, fatal: (err as Error).stack ?? String(err), items: [], counts: scanner.counts });
    }
  };
  const rulesPhase = (req: ChunkRequest): void => {
    try {
      post({ id: req.id, items: [], counts: { files: 0, bytes: 0, candidates: 0, parsed: 0, codeless: 0 }, rules: loaded.rulesForRetained(req.rules!, init.index) }, true);
    } catch (err) {
      post({ id: req.id, fatal: (err as Error).stack ?? String(err), items: [], counts: { files: 0, bytes: 0, candidates: 0, parsed: 0, codeless: 0 } }, true);
    }
  };
  port.on('message', (req: ChunkRequest) => {
    pending++;
    if (req.rules) rulesPhase(req);
    else void scanChunk(req);
  });
}
