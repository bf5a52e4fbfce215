// Entry point of the language server: `faultline-lsp --stdio` for any editor, `--node-ipc` when
// VS Code starts it. A crash in one request is caught in server.ts; an uncaught exception here is
// logged and the process keeps serving.

import { Console } from 'node:console';
import { setFlagsFromString } from 'node:v8';
import { AbstractMessageWriter, createConnection, type Message, type MessageReader, type MessageWriter, ProposedFeatures } from 'vscode-languageserver/node';
import { projectVersion } from '../common/projectRoot';
import { FaultlineServer } from './server';

const argv = process.argv.slice(2);
if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(`faultline-lsp ${projectVersion()}\n`);
  process.exit(0);
}
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(
    'Usage: faultline-lsp --stdio | --node-ipc | --socket=PORT\n' +
      'The Faultline language server for Linux kernel C (see README.md, "Other editors").\n',
  );
  process.exit(0);
}
if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stderr.write('faultline-lsp: choose a transport: --stdio (other editors) or --node-ipc (VS Code)\n');
  process.exit(2);
}

// The workspace index's worker threads run at a lower priority than the editor's requests (see
// analysis/scanWorker.ts): on a 2-core machine under load, edits while the index of mm/ was being
// built took p50 24-26 ms, p95 53-75 ms with equal priority and p50 10-11 ms, p95 24-33 ms with 19.
process.env['FAULTLINE_SCAN_NICE'] ??= '19';

// A long-lived server whose live heap is small (~35 MB with the 6.12 tree indexed) next to what
// V8's default sizing keeps around it: a 32 MB young generation and old-space garbage collected
// late. V8's memory-size mode keeps both small: RSS after indexing the 6.12 tree 188-205 → 147-176
// MB, one-character edits in mm/memory.c 2-5 ms slower at p95 (docs/benchmarks.md, round 6). The flag
// is read when the heap is sized and grown, so it takes effect when set here, before the server
// allocates; FAULTLINE_V8_OPTIMIZE_FOR_SIZE=0 leaves V8's defaults.
if (process.env['FAULTLINE_V8_OPTIMIZE_FOR_SIZE'] !== '0') setFlagsFromString('--optimize-for-size');

// stdout belongs to the protocol under --stdio: route stray console output to stderr, all of it
// (console.debug, dir, table, count, time… write to stdout too; the server gives the connection
// its own stdout writer, so vscode-languageserver does not patch the console itself).
globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

/**
 * stdout for --stdio, written in one call per message. vscode-jsonrpc's stream writer queues each
 * message behind a setImmediate and writes header and body separately, the body only once the
 * header's write callback has come back (a turn of the event loop later): ~1 ms per published
 * diagnostics set, more when a turn is long. Writes to a pipe are synchronous on Linux and in
 * order here, as the queue kept them.
 */
class StdoutWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly out: NodeJS.WriteStream) {
    super();
    out.on('error', (err: Error) => this.fireError(err));
    out.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    try {
      const json = JSON.stringify(msg);
      this.out.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
      return Promise.resolve();
    } catch (err) {
      this.fireError(err, msg);
      return Promise.reject(err);
    }
  }

  end(): void {
    this.out.end();
  }
}

const connection = argv.includes('--stdio') ? createConnection(ProposedFeatures.all, process.stdin as unknown as MessageReader, new StdoutWriter(process.stdout)) : createConnection(ProposedFeatures.all);
const server = new FaultlineServer(connection);
process.on('uncaughtException', (err) => server.log(`uncaught exception: ${err.stack ?? String(err)}`));
process.on('unhandledRejection', (err) => server.log(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}`));
// The `exit` notification ends the process synchronously, but a worker thread torn down inside
// tree-sitter's native code aborts it (SIGABRT), so exit waits (bounded) for the workspace scan's
// workers to finish their chunk.
const realExit = process.exit.bind(process);
let exiting = false;
process.exit = ((code?: number) => {
  if (exiting) return realExit(code);
  exiting = true;
  void Promise.race([server.stopBackgroundWork(), new Promise((resolve) => setTimeout(resolve, 5000))]).finally(() => realExit(code));
  return undefined as never;
}) as typeof process.exit;
server.listen();
