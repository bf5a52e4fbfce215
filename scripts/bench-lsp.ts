// LSP latency benchmark through the real stdio server (dist/server.js --stdio): server start →
// first diagnostics, one-character edits → publishDiagnostics of that version, hovers, RSS.
// Used by scripts/bench.ts; runnable alone:
//   node out/scripts/bench-lsp.js FILE [--edits N] [--no-index] [--node-args "--cpu-prof ..."]
//     [--stderr FILE] [--idle MS] [--in-process]
// --in-process replays the same edits through IncrementalDocument + IncrementalAnalyzer in this
// process (no LSP, no index): the reparse and analysis alone, a steadier figure on a busy machine.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { IncrementalAnalyzer } from '../server/src/analysis/incrementalAnalysis';
import { DEFAULT_SETTINGS } from '../server/src/analysis/settings';
import { mustParseProfile } from '../server/src/model';
import { IncrementalDocument } from '../server/src/parsing/incrementalDocument';

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
  /** faultline.workspaceIndex (default: the server's default, on). */
  workspaceIndex?: boolean;
  /** Extra node arguments for the server process (e.g. --cpu-prof; the server is let exit by itself). */
  nodeArgs?: string[];
  /** Where to write the server's stderr at the end. */
  stderrFile?: string;
  /** Idle time between the first diagnostics and the first edit (the server starts its index after 400 ms idle). */
  idleMs?: number;
}

export interface LspBenchResult {
  startToFirstDiagnosticsMs: number;
  firstDiagnostics: number;
  editMs: number[];
  hoverMs: number[];
  analysisMs: number[];
  rssKb: number;
  hwmKb: number;
  index: { progressSeen: boolean; ended: boolean; waitedMs: number; message?: string; endedAtMs?: number };
  /** When the edits started and ended, ms after spawn (to see whether the index overlapped them). */
  editWindowMs: [number, number];
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

/**
 * The benchmark's edits: a space inserted at column 0 of a comment or blank line, then deleted
 * (valid C throughout), the lines spread over the file.
 */
export function benchEdits(text: string, count: number): { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[] {
  const lines = editLines(text);
  const out = [];
  for (let i = 0; i < count; i++) {
    const line = lines[(Math.floor(i / 2) * 104729) % lines.length]!;
    out.push(
      i % 2 === 0
        ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }
        : { range: { start: { line, character: 0 }, end: { line, character: 1 } }, text: '' },
    );
  }
  return out;
}

export interface InProcessResult {
  /** Reparse + analysis per edit, and each part. */
  editMs: number[];
  reparseMs: number[];
  analysisMs: number[];
  rulesMs: number[];
  fast: number;
  full: number;
  fallbacks: Record<string, number>;
}

/** The same edits through IncrementalDocument + IncrementalAnalyzer in this process. */
export function benchInProcess(file: string, edits: number, targets: string[]): InProcessResult {
  const text = fs.readFileSync(file, 'utf8');
  const profiles = targets.map((t) => mustParseProfile(t));
  const options = { profiles, timeBudgetMs: DEFAULT_SETTINGS.analysisTimeBudgetMs };
  const doc = new IncrementalDocument(text, DEFAULT_SETTINGS.analysisTimeBudgetMs);
  const analyzer = new IncrementalAnalyzer();
  analyzer.analyze(file, doc, options);
  analyzer.prepare(doc);
  const r: InProcessResult = { editMs: [], reparseMs: [], analysisMs: [], rulesMs: [], fast: 0, full: 0, fallbacks: {} };
  for (const change of benchEdits(text, edits)) {
    const t0 = performance.now();
    doc.applyEdits([change]);
    const t1 = performance.now();
    const a = analyzer.analyze(file, doc, options);
    const t2 = performance.now();
    r.editMs.push(t2 - t0);
    r.reparseMs.push(t1 - t0);
    r.analysisMs.push(t2 - t1);
    r.rulesMs.push(a.timings.rulesMs);
    if (analyzer.lastFallback === undefined) r.fast++;
    else {
      r.full++;
      r.fallbacks[analyzer.lastFallback] = (r.fallbacks[analyzer.lastFallback] ?? 0) + 1;
    }
  }
  return r;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

/** p50 / p95 / max of a series, rounded to 0.1 ms. */
export function summary(xs: number[]): { p50: number; p95: number; max: number } {
  const r = (x: number): number => Math.round(x * 10) / 10;
  return { p50: r(percentile(xs, 50)), p95: r(percentile(xs, 95)), max: r(Math.max(...xs)) };
}

export async function benchLsp(o: LspBenchOptions): Promise<LspBenchResult> {
  const text = fs.readFileSync(o.file, 'utf8');
  const uri = pathToFileURL(o.file).toString();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), o.server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const settings = { targets: o.targets, debounceMs: o.debounceMs, ...(o.workspaceIndex !== undefined ? { workspaceIndex: o.workspaceIndex } : {}) };
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('client/registerCapability', () => null);
  const index = { progressSeen: false, ended: false, waitedMs: 0 } as LspBenchResult['index'];
  let onIndexEnd: (() => void) | undefined;
  let onIndexStart: (() => void) | undefined;
  conn.onNotification('$/progress', (p: { value?: { kind?: string; message?: string } }) => {
    if (!index.progressSeen) onIndexStart?.();
    index.progressSeen = true;
    if (p.value?.message) index.message = p.value.message;
    if (p.value?.kind === 'end') {
      index.ended = true;
      index.endedAtMs = Math.round(performance.now() - t0);
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
    if (o.idleMs) await new Promise((resolve) => setTimeout(resolve, o.idleMs));
    const editsFrom = Math.round(performance.now() - t0);

    const editMs: number[] = [];
    let version = 1;
    for (const change of benchEdits(text, o.edits)) {
      version++;
      const done = diagnosticsFor(version);
      const s = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      await done;
      editMs.push(performance.now() - s);
    }
    const editWindowMs: [number, number] = [editsFrom, Math.round(performance.now() - t0)];

    const hoverMs: number[] = [];
    for (const position of hoverPositions(text, o.hovers)) {
      const s = performance.now();
      await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position });
      hoverMs.push(performance.now() - s);
    }

    // RSS with the tree as the workspace: wait for the background index if the server runs one.
    const w0 = performance.now();
    if (!index.ended && o.indexWaitMs > 0) {
      // The server starts its index once the documents are idle (400 ms): give it 2 s to begin.
      await new Promise<void>((resolve) => {
        let timer = setTimeout(resolve, index.progressSeen ? o.indexWaitMs : Math.min(o.indexWaitMs, 2000));
        onIndexStart = () => {
          clearTimeout(timer);
          timer = setTimeout(resolve, o.indexWaitMs);
        };
        onIndexEnd = () => (clearTimeout(timer), resolve());
      });
    }
    index.waitedMs = Math.round(performance.now() - w0);
    const { rss, hwm } = procStatus(child.pid!);
    await conn.sendRequest('shutdown');
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await conn.sendNotification('exit');
    // the server ends by itself (a --cpu-prof run writes its profile then); killed after 3 s
    if (o.nodeArgs?.length) await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    return { startToFirstDiagnosticsMs, firstDiagnostics, editMs, hoverMs, analysisMs, rssKb: rss, hwmKb: hwm, index, editWindowMs };
  } finally {
    if (o.stderrFile) fs.writeFileSync(o.stderrFile, stderr);
    conn.dispose();
    child.kill();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args[0];
  if (!file || file.startsWith('--')) {
    process.stderr.write('usage: node out/scripts/bench-lsp.js FILE [--edits N] [--no-index] [--node-args "ARGS"] [--stderr FILE] [--idle MS] [--in-process]\n');
    process.exit(2);
  }
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i > 0 ? args[i + 1] : undefined;
  };
  const edits = Number(value('--edits') ?? 200);
  const targets = ['6.12/x86_64', '6.12/arm64'];
  if (args.includes('--in-process')) {
    const r = benchInProcess(path.resolve(file), edits, targets);
    const { fast, full, fallbacks } = r;
    process.stdout.write(JSON.stringify({ edit: summary(r.editMs), reparse: summary(r.reparseMs), analysis: summary(r.analysisMs), rules: summary(r.rulesMs), fast, full, fallbacks }, null, 1) + '\n');
  } else {
    const nodeArgs = value('--node-args');
    const stderrFile = value('--stderr');
    void benchLsp({
      server: path.join(__dirname, '..', '..', 'dist', 'server.js'),
      file: path.resolve(file),
      root: path.dirname(path.resolve(file)),
      edits,
      hovers: 200,
      targets,
      debounceMs: 1,
      indexWaitMs: 0,
      ...(args.includes('--no-index') ? { workspaceIndex: false } : {}),
      ...(nodeArgs ? { nodeArgs: nodeArgs.split(/\s+/).filter((x) => x) } : {}),
      ...(stderrFile ? { stderrFile } : {}),
      ...(value('--idle') ? { idleMs: Number(value('--idle')) } : {}),
    }).then((r) => process.stdout.write(JSON.stringify({ ...r, summary: { edit: summary(r.editMs), hover: summary(r.hoverMs) } }, null, 1) + '\n'));
  }
}
