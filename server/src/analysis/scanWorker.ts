// Worker-thread entry (bundled to dist/scanWorker.js; tsc output out/server/src/analysis/scanWorker.js).
// One tree-sitter parser per worker. Receives chunks of file paths on its MessagePort, answers each
// chunk with the items that survived the prefilter plus byte/file counts, then bumps a shared
// counter so a main thread blocked in Atomics.wait (the synchronous CLI path) wakes up.

import { workerData, type MessagePort } from 'node:worker_threads';
import type { ChunkReply, ChunkRequest, WorkerInit } from './workerPool';

const init = workerData as WorkerInit;
const port: MessagePort = init.port;
const signal = new Int32Array(init.signal);

function post(msg: ChunkReply): void {
  port.postMessage(msg);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

let core: typeof import('./scanCore') | undefined;
try {
  // Loaded here (not as a top-level import) so a load failure becomes a reply, not a silent hang.
  core = require('./scanCore') as typeof import('./scanCore');
} catch (err) {
  const reason = `worker failed to load: ${(err as Error).message}`;
  port.on('message', (req: ChunkRequest) => post({ id: req.id, fatal: reason, items: [], counts: { files: 0, bytes: 0, candidates: 0, parsed: 0 } }));
}

const loaded = core;
if (loaded) port.on('message', (req: ChunkRequest) => {
  const scanner = new loaded.FileScanner(req.options);
  const items = [];
  try {
    for (const file of req.files) {
      const item = scanner.scan(file);
      if (item) items.push(item);
    }
    post({ id: req.id, items, counts: scanner.counts });
  } catch (err) {
    post({ id: req.id, fatal: (err as Error).stack ?? String(err), items: [], counts: scanner.counts });
  }
});
