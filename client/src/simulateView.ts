// "Faultline: Simulate This Fault Path" (palette, editor context menu, CodeLens): asks the server
// (faultline/simulate) for a trace of the handler under the cursor (or the one a CodeLens names),
// with a scenario picked through quick-picks and remembered per handler in workspaceState, and
// shows it in a themed webview (clickable steps reveal the source line; a Matrix button asks for
// levels × backings × targets). "Open as text" shows the same trace as a .fltrace virtual document.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, SIMULATE_METHOD, type SimulateParams } from '../../server/src/protocol/customMessages';
import { buildMatrixHtml, buildTraceHtml, type MatrixLike, type TraceLike } from './simulateHtml';

const SCHEME = 'faultline-trace';
const MEMORY_PREFIX = 'faultline.simulate.scenario:';

type TraceResult = TraceLike & { text: string; targets: string[] };
type MatrixResult = MatrixLike & { text: string };

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

interface Remembered {
  scenario: Record<string, string>;
  target?: string;
}

interface PickSpec {
  key: string;
  title: string;
  items: { value: string; detail: string }[];
}

const PICKS: PickSpec[] = [
  { key: 'level', title: 'Fault level tried first', items: [
    { value: 'auto', detail: 'as the core does: PUD, then PMD, then PTE (PTE for a .fault handler)' },
    { value: 'pud', detail: 'force a PUD-level ->huge_fault' },
    { value: 'pmd', detail: 'force a PMD-level ->huge_fault' },
    { value: 'pte', detail: 'start at ->fault' },
  ] },
  { key: 'access', title: 'Access', items: [
    { value: 'write', detail: 'write fault' },
    { value: 'read', detail: 'read fault' },
  ] },
  { key: 'address', title: 'Fault address', items: [
    { value: 'aligned', detail: 'the huge range around the address lies inside the VMA' },
    { value: 'misaligned', detail: 'the VMA start is not huge-aligned' },
    { value: 'near-end', detail: 'the huge range crosses vm_end' },
  ] },
  { key: 'pfn', title: 'pfn alignment', items: [
    { value: 'aligned', detail: 'the driver’s pfn/physical base is huge-aligned' },
    { value: 'misaligned', detail: 'it is not' },
  ] },
  { key: 'backing', title: 'Backing memory', items: [
    { value: 'auto', detail: 'from the insertion API (iomem for pfn APIs)' },
    { value: 'iomem', detail: 'MMIO / VRAM without struct page' },
    { value: 'driver-pages', detail: 'system RAM pages owned by the driver' },
    { value: 'dev-pagemap', detail: 'device memory with a dev_pagemap (ZONE_DEVICE)' },
    { value: 'folio', detail: 'a refcounted folio' },
  ] },
  { key: 'gup', title: 'Then GUP by…', items: [
    { value: 'get_user_pages_fast', detail: 'GUP-fast, then slow GUP when it falls back' },
    { value: 'pin_user_pages_fast', detail: 'FOLL_PIN' },
    { value: 'pin_user_pages_fast_longterm', detail: 'FOLL_PIN | FOLL_LONGTERM' },
    { value: 'get_user_pages', detail: 'slow GUP only' },
    { value: 'follow_pfnmap', detail: 'follow_pfnmap_start() (KVM/vfio)' },
    { value: 'none', detail: 'no GUP' },
  ] },
];

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars.charAt(Math.floor(Math.random() * chars.length));
  return s;
}

async function pickScenario(previous: Remembered | undefined, targets: string[], current: string | undefined): Promise<Remembered | undefined> {
  const scenario: Record<string, string> = {};
  for (const spec of PICKS) {
    const last = previous?.scenario[spec.key] ?? spec.items[0]!.value;
    const items = spec.items.map((i) => ({ label: i.value, detail: i.detail, description: i.value === last ? '(last choice)' : '' }));
    items.sort((a, b) => (a.label === last ? -1 : b.label === last ? 1 : 0));
    const picked = await vscode.window.showQuickPick(items, { title: `Faultline scenario: ${spec.title}`, ignoreFocusOut: true });
    if (!picked) return undefined;
    scenario[spec.key] = picked.label;
  }
  let target = previous?.target ?? current;
  if (targets.length > 1) {
    const items = targets.map((t) => ({ label: t, description: t === target ? '(last choice)' : '' }));
    items.sort((a, b) => (a.label === target ? -1 : b.label === target ? 1 : 0));
    const picked = await vscode.window.showQuickPick(items, { title: 'Faultline scenario: target', ignoreFocusOut: true });
    if (!picked) return undefined;
    target = picked.label;
  }
  return target ? { scenario, target } : { scenario };
}

export function registerSimulateCommand(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): void {
  const docs = new TraceDocuments();
  let panel: vscode.WebviewPanel | undefined;
  let state: { uri: string; handler: string; remembered: Remembered | undefined; trace?: TraceResult; targets: string[] } | undefined;

  const request = async (params: SimulateParams): Promise<TraceResult | MatrixResult> => {
    const client = getClient();
    if (!client) throw new Error('the language server is not running');
    return (await client.sendRequest(SIMULATE_METHOD, params)) as TraceResult | MatrixResult;
  };

  const memoryKey = (uri: string, handler: string): string => `${MEMORY_PREFIX}${uri}#${handler}`;

  const ensurePanel = (): vscode.WebviewPanel => {
    if (panel) {
      panel.reveal(vscode.ViewColumn.Beside, true);
      return panel;
    }
    panel = vscode.window.createWebviewPanel('faultline.simulation', 'Faultline simulation', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false });
    panel.onDidDispose(() => (panel = undefined), undefined, context.subscriptions);
    panel.webview.onDidReceiveMessage((m: { type?: string; step?: number }) => void onMessage(m), undefined, context.subscriptions);
    return panel;
  };

  const showTrace = (t: TraceResult): void => {
    const p = ensurePanel();
    p.title = `Fault path: ${t.handler}`;
    p.webview.html = buildTraceHtml(t, nonce());
  };

  const run = async (mode: 'trace' | 'matrix'): Promise<void> => {
    if (!state) return;
    const r = state.remembered;
    const params: SimulateParams = { textDocument: { uri: state.uri }, handler: state.handler, mode, ...(r ? { scenario: r.scenario } : {}), ...(r?.target && mode === 'trace' ? { target: r.target } : {}) };
    const result = await request(params);
    if (result.mode === 'matrix') {
      const p = ensurePanel();
      p.title = `Fault matrix: ${result.handler}`;
      p.webview.html = buildMatrixHtml(result, nonce());
    } else {
      state.trace = result;
      state.targets = result.targets;
      showTrace(result);
    }
  };

  const changeScenario = async (): Promise<void> => {
    if (!state) return;
    const picked = await pickScenario(state.remembered, state.targets, state.trace?.target);
    if (!picked) return;
    state.remembered = picked;
    await context.workspaceState.update(memoryKey(state.uri, state.handler), picked);
    await run('trace');
  };

  const onMessage = async (m: { type?: string; step?: number }): Promise<void> => {
    try {
      if (m.type === 'reveal' && state?.trace && typeof m.step === 'number') {
        const src = state.trace.steps.find((s) => s.n === m.step)?.source;
        if (!src) return;
        const uri = src.uri ? vscode.Uri.parse(src.uri) : vscode.Uri.file(src.file);
        const doc = await vscode.workspace.openTextDocument(uri);
        const pos = new vscode.Position(src.line, src.character);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(pos, pos) });
      } else if (m.type === 'matrix') await run('matrix');
      else if (m.type === 'trace') await run('trace');
      else if (m.type === 'scenario') await changeScenario();
      else if (m.type === 'text' && state?.trace) {
        const uri = vscode.Uri.parse(`${SCHEME}:/${encodeURIComponent(state.trace.handler)}.fltrace`);
        docs.set(uri, state.trace.text);
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      }
    } catch (err) {
      void vscode.window.showErrorMessage(`Faultline: ${(err as Error).message}`);
    }
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.commands.registerCommand(COMMANDS.simulate, async (arg?: Partial<SimulateParams>) => {
      const editor = vscode.window.activeTextEditor;
      const uri = arg?.textDocument?.uri ?? editor?.document.uri.toString();
      if (!uri) {
        void vscode.window.showErrorMessage('Faultline: open a C file and put the cursor in a fault handler first.');
        return;
      }
      try {
        // Resolve the handler first (a position only names a function once the server has looked).
        let handler = arg?.handler;
        let first: TraceResult | undefined;
        if (!handler) {
          if (!editor) throw new Error('put the cursor in a fault handler first');
          const r = await request({ textDocument: { uri }, position: { line: editor.selection.active.line, character: editor.selection.active.character } });
          if (r.mode !== 'trace') throw new Error('unexpected matrix result');
          first = r;
          handler = r.handler;
        }
        const key = memoryKey(uri, handler);
        let remembered = context.workspaceState.get<Remembered>(key);
        if (arg?.scenario || arg?.target) remembered = { scenario: arg.scenario ?? remembered?.scenario ?? {}, ...(arg.target ? { target: arg.target } : {}) };
        // Runs at once with the handler's last scenario (or the defaults, the most revealing case);
        // "Change scenario…" in the view asks with quick-picks and remembers the choice.
        state = { uri, handler, remembered, targets: first?.targets ?? [] };
        if (!remembered && first && arg?.mode !== 'matrix') {
          state.trace = first;
          showTrace(first);
          return;
        }
        await run(arg?.mode === 'matrix' ? 'matrix' : 'trace');
      } catch (err) {
        void vscode.window.showErrorMessage(`Faultline: ${(err as Error).message}`);
      }
    }),
  );
}
