// "Faultline: Simulate This Fault Path": asks the server (faultline/simulate) for a trace of the
// handler under the cursor (or the one a CodeLens names) and shows it in a read-only document.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, SIMULATE_METHOD, type SimulateParams } from '../../server/src/protocol/customMessages';

const SCHEME = 'faultline-trace';

class TraceDocuments implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.emitter.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

export function registerSimulateCommand(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const docs = new TraceDocuments();
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.commands.registerCommand(COMMANDS.simulate, async (arg?: Partial<SimulateParams>) => {
      const client = getClient();
      if (!client) {
        void vscode.window.showErrorMessage('Faultline: the language server is not running.');
        return;
      }
      const editor = vscode.window.activeTextEditor;
      const params: SimulateParams = {
        textDocument: arg?.textDocument ?? { uri: editor?.document.uri.toString() ?? '' },
        ...(arg?.handler ? { handler: arg.handler } : editor ? { position: { line: editor.selection.active.line, character: editor.selection.active.character } } : {}),
        ...(arg?.scenario ? { scenario: arg.scenario } : {}),
        ...(arg?.target ? { target: arg.target } : {}),
      };
      if (!params.textDocument.uri) {
        void vscode.window.showErrorMessage('Faultline: open a C file and put the cursor in a fault handler first.');
        return;
      }
      try {
        const result = (await client.sendRequest(SIMULATE_METHOD, params)) as { text?: string; handler?: string };
        const text = typeof result?.text === 'string' ? result.text : JSON.stringify(result, null, 2);
        const uri = vscode.Uri.parse(`${SCHEME}:/${result?.handler ?? 'trace'}.fltrace`);
        docs.set(uri, text);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      } catch (err) {
        void vscode.window.showErrorMessage(`Faultline: ${(err as Error).message}`);
      }
    }),
  );
}
