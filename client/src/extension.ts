// The VS Code side of Faultline: a thin client. It starts the language server over IPC, shows
// the active targets in the status bar, and hosts the commands (restart, simulate, rule docs).
// All analysis happens in the server, so Neovim/Emacs users get the same results.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
import { COMMANDS, STATUS_METHOD, type StatusParams } from '../../server/src/protocol/customMessages';
import { registerSimulateCommand } from './simulateView';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
let statusItem: vscode.StatusBarItem | undefined;

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'c' },
      { scheme: 'untitled', language: 'c' },
    ],
    initializationOptions: { vscodeClient: true },
    outputChannel: output!,
    synchronize: { configurationSection: 'faultline' },
  };
  const c = new LanguageClient('faultline', 'Faultline', serverOptions, clientOptions);
  c.onDidChangeState((e) => {
    if (!statusItem) return;
    if (e.newState === State.Stopped) {
      statusItem.text = '$(error) Faultline';
      statusItem.tooltip = 'Faultline language server stopped. Click to see its output; run "Faultline: Restart Server" to start it again.';
    } else if (e.newState === State.Starting) {
      statusItem.text = '$(sync~spin) Faultline';
    }
  });
  return c;
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  await client.start();
  client.onNotification(STATUS_METHOD, (status: StatusParams) => updateStatus(status));
}

function updateStatus(status: StatusParams): void {
  if (!statusItem) return;
  const from = status.source === 'settings' ? 'faultline.targets' : status.source === 'kernel-tree' ? "the kernel tree's Makefile/.config" : 'built-in defaults';
  statusItem.text = `$(shield) Faultline: ${status.targets.join(', ')}`;
  const lines = [`Targets (from ${from}): ${status.targets.join(', ')}`];
  if (status.lastAnalysisMs !== undefined) lines.push(`Last analysis: ${status.lastAnalysisMs} ms`);
  if (status.index) lines.push(`Workspace index: ${status.index.state}, ${status.index.files} files`);
  if (status.message) lines.push(status.message);
  lines.push('', 'Click to show the Faultline output.');
  statusItem.tooltip = lines.join('\n');
  statusItem.show();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Faultline', { log: true });
  statusItem = vscode.window.createStatusBarItem('faultline.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'Faultline';
  statusItem.text = '$(sync~spin) Faultline';
  statusItem.command = COMMANDS.showOutput;
  statusItem.show();
  context.subscriptions.push(output, statusItem);

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.restartServer, async () => {
      output?.info('Restarting the Faultline language server.');
      try {
        if (client) await client.stop();
      } catch (err) {
        output?.warn(`Stopping the server failed: ${(err as Error).message}`);
      }
      await start(context);
    }),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output?.show(true)),
    vscode.commands.registerCommand(COMMANDS.openRuleDoc, async (file: string) => {
      await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
    }),
  );
  registerSimulateCommand(context, () => client);

  try {
    await start(context);
  } catch (err) {
    output.error(`The Faultline language server did not start: ${(err as Error).message}`);
    void vscode.window.showErrorMessage('Faultline: the language server did not start; see the Faultline output.');
  }
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
