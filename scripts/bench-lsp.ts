// LSP latency benchmark through the real stdio server (dist/server.js --stdio): server start →
// first diagnostics, one-character edits → publishDiagnostics of that version, hovers, RSS.
// Used by scripts/bench.ts; runnable alone: node out/scripts/bench-lsp.js FILE [--edits N].

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export interface LspBenchOptions {
  server: string; // path to dist/server.js
  file: string; // the document to open (mm/memory.c)
  root: string; // workspace folder
  edits: number;
  hovers: number;
  targets: string[];
  debounceMs: number;
  /** How long to wait for a background index ($/progress end) before measuring RSS. */
  indexWaitMs: number;
}

export interface LspBenchResult {
  startToFirstDiagnosticsMs: number;
  firstDiagnostics: number;
  editMs: number[];
  hoverMs: number[];
  analysisMs: number[];
  rssKb: number;
  hwmKb: number;
  index: { progressSeen: boolean; ended: boolean; waitedMs: number; message?: string };
}

function procStatus(pid: number): { rss: number; hwm: number } {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const num = (k: string): number => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: num('VmRSS'), hwm: num('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** Positions (line, character) of identifiers to hover: function names at the start of lines. */
function hoverPositions(text: string, count: number): { line: number; character: number }[] {
  const lines = text.split('\n');
  const out: { line: number; character: number }[] = [];
  lines.forEach((l, i) => {
    const m = /^(?:static\s+)?(?:[a-z_][\w\s*]*?\s\**)?([a-z_]\w*)\(/.exec(l);
    if (m) out.push({ line: i, character: l.indexOf(m[1]!, m.index) + 1 });
    const call = /\b(vmf_insert_\w+|remap_pfn_range|vm_flags_set)\s*\(/.exec(l);
    if (call) out.push({ line: i, character: call.index + 2 });
  });
  const picked: { line: number; character: number }[] = [];
  for (let i = 0; picked.length < count && out.length > 0; i++) picked.push(out[(i * 7919) % out.length]!);
  return picked;
}

/** Lines that are comments or blank: a space inserted there keeps the C valid. */
function editLines(text: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*\*/.test(l) || /^\s*\/\//.test(l) || /^\s*$/.test(l)) out.push(i);
  });
  return out.length > 0 ? out : [0];
}

export async function benchLsp(o: LspBenchOptions): Promise<LspBenchResult> {
  const text = fs.readFileSync(o.file, 'utf8');
  const uri = pathToFileURL(o.file).toString();
  const t0 = performance.now();
  const child = spawn(process.execPath, [o.server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const settings = { targets: o.targets, debounceMs: o.debounceMs };
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  const index = { progressSeen: false, ended: false, waitedMs: 0 } as LspBenchResult['index'];
  let onIndexEnd: (() => void) | undefined;
  conn.onNotification('$/progress', (p: { value?: { kind?: string; message?: string } }) => {
    index.progressSeen = true;
    if (p.value?.message) index.message = p.value.message;
    if (p.value?.kind === 'end') {
      index.ended = true;
      onIndexEnd?.();
    }
  });
  const analysisMs: number[] = [];
  conn.onNotification('faultline/status', (p: { lastAnalysisMs?: number }) => {
    if (typeof p.lastAnalysisMs === 'number') analysisMs.push(p.lastAnalysisMs);
  });
  conn.onNotification(() => undefined);
  let waiter: { version: number; resolve: (n: number) => void } | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    if (p.uri !== uri || !waiter) return;
    if (p.version === undefined || p.version >= waiter.version) {
      const w = waiter;
      waiter = undefined;
      w.resolve(p.diagnostics.length);
    }
  });
  conn.listen();
  const diagnosticsFor = (version: number, timeoutMs = 30_000): Promise<number> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      waiter = { version, resolve: (n) => (clearTimeout(timer), resolve(n)) };
    });

  try {
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(o.root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(o.root).toString(), name: path.basename(o.root) }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, window: { workDoneProgress: true }, textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } } },
      initializationOptions: { settings },
    });
    await conn.sendNotification('initialized', {});
    const first = diagnosticsFor(1);
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    const firstDiagnostics = await first;
    const startToFirstDiagnosticsMs = performance.now() - t0;

    // One-character edits: insert a space on a comment/blank line, then delete it (valid C throughout).
    const lines = editLines(text);
    const editMs: number[] = [];
    let version = 1;
    for (let i = 0; i < o.edits; i++) {
      const line = lines[(Math.floor(i / 2) * 104729) % lines.length]!;
      const insert = i % 2 === 0;
      const change = insert
        ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }
        : { range: { start: { line, character: 0 }, end: { line, character: 1 } }, text: '' };
      version++;
      const done = diagnosticsFor(version);
      const s = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      await done;
      editMs.push(performance.now() - s);
    }

    const hoverMs: number[] = [];
    for (const position of hoverPositions(text, o.hovers)) {
      const s = performance.now();
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      hoverMs.push(performance.now() - s);
    }

    // RSS with the tree as the workspace: wait for the background index if the server runs one.
    const w0 = performance.now();
    if (!index.ended && o.indexWaitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, index.progressSeen ? o.indexWaitMs : Math.min(o.indexWaitMs, 1000));
        onIndexEnd = () => (clearTimeout(timer), resolve());
      });
    }
    index.waitedMs = Math.round(performance.now() - w0);
    const { rss, hwm } = procStatus(child.pid!);
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return { startToFirstDiagnosticsMs, firstDiagnostics, editMs, hoverMs, analysisMs, rssKb: rss, hwmKb: hwm, index };
  } finally {
    conn.dispose();
    child.kill();
  }
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node out/scripts/bench-lsp.js FILE [--edits N]\n');
    process.exit(2);
  }
  const ei = process.argv.indexOf('--edits');
  const edits = ei > 0 ? Number(process.argv[ei + 1]) : 200;
  void benchLsp({
    server: path.join(__dirname, '..', '..', 'dist', 'server.js'),
    file: path.resolve(file),
    root: path.dirname(path.resolve(file)),
    edits,
    hovers: 200,
    targets: ['6.12/x86_64', '6.12/arm64'],
    debounceMs: 1,
    indexWaitMs: 0,
  }).then((r) => process.stdout.write(JSON.stringify(r, null, 1) + '\n'));
}
