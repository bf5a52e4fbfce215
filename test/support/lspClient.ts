// A real JSON-RPC client for the language server over stdio, for integration tests: spawns
// `node dist/server.js --stdio` and speaks LSP through vscode-languageserver-protocol.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import {
  createProtocolConnection,
  type ProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

export interface TestClient {
  connection: ProtocolConnection;
  child: ChildProcessWithoutNullStreams;
  stderr: () => string;
  initializeResult: InitializeResult;
  /** Resolves with the next diagnostics for `uri` matching `pred`. */
  diagnostics(uri: string, pred?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  notifications: { method: string; params: unknown }[];
  close(): Promise<void>;
}

export async function startServer(initializationOptions: unknown = {}, capabilities: Record<string, unknown> = {}, rootUri: string | null = null): Promise<TestClient> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  for (const method of ['window/showMessage', 'window/logMessage', 'faultline/status', '$/progress']) {
    connection.onNotification(method, (params: unknown) => {
      notifications.push({ method, params });
    });
  }
  connection.onRequest('workspace/configuration', () => [null]);
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  const initializeResult = (await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    capabilities,
    initializationOptions,
  })) as InitializeResult;
  await connection.sendNotification('initialized', {});
  return {
    connection,
    child,
    stderr: () => err,
    initializeResult,
    notifications,
    diagnostics(uri, pred = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(published.filter((p) => p.uri === uri).slice(-1))}`)), timeoutMs);
        waiters.push({
          uri,
          pred,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    async close() {
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await connection.sendNotification('exit');
      } catch {
        // already gone
      }
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
      connection.dispose();
    },
  };
}
