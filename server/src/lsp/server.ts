// The language server: LSP glue around the analysis pipeline. It owns the open documents (text +
// incrementally edited syntax tree), per-document settings, debounced analysis and the mapping
// of plain findings/features onto LSP. Every handler runs behind a catch: one bad file or one
// bad request must never take the server down.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type Connection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  ErrorCodes,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  MarkupKind,
  MessageType,
  ResponseError,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { analyzeTree, type DocumentAnalysis } from '../analysis/documentAnalysis';
import { checkText } from '../analysis/inputCheck';
import { findKernelTree } from '../analysis/kernelTree';
import { DEFAULT_SETTINGS, parseSettings, type FaultlineSettings } from '../analysis/settings';
import { resolveTargets, type ResolvedTargets } from '../analysis/targets';
import { WorkspaceIndex } from '../analysis/workspaceIndex';
import { summarizeForIndex } from '../extraction';
import { codeActionsFor } from '../features/codeActions';
import { codeLensesFor } from '../features/codeLens';
import { hoverAt } from '../features/hover';
import { ruleDocUri } from '../features/ruleDocs';
import { runSimulation } from '../features/simulateRequest';
import { projectRoot, projectVersion } from '../common/projectRoot';
import { IncrementalDocument } from '../parsing/incrementalDocument';
import { COMMANDS, SIMULATE_METHOD, STATUS_METHOD, type SimulateParams, type StatusParams } from '../protocol/customMessages';
import { toCodeAction, toDiagnostic, toLspRange } from './conversions';

interface OpenDocument {
  uri: string;
  file: string;
  version: number;
  doc?: IncrementalDocument;
  /** Why the document is not analysed (binary, too large), if it is not. */
  skipped?: string;
  analysis?: DocumentAnalysis;
  /** Version the analysis was computed for. */
  analysedVersion?: number;
  diagnostics: Diagnostic[];
  timer?: NodeJS.Timeout;
}

/** Server-side command ids (distinct from the VS Code client's own commands). */
const SERVER_COMMANDS = { simulate: 'faultline.server.simulate' } as const;

export function uriToFile(uri: string): string {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
  } catch {
    return uri;
  }
}

export function fileToUri(file: string): string {
  return file.includes('://') ? file : pathToFileURL(file).toString();
}

export class FaultlineServer {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly settingsCache = new Map<string, Promise<FaultlineSettings>>();
  private readonly index = new WorkspaceIndex();
  private pushedSettings: unknown;
  private configurationPull = false;
  private dynamicConfigRegistration = false;
  private vscodeClient = false;
  private shownProblems = new Set<string>();
  private readonly root = projectRoot();
  private lastStatus = '';

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => {
      if (this.dynamicConfigRegistration) void c.client.register(DidChangeConfigurationNotification.type, { section: 'faultline' }).catch(() => undefined);
    });
    c.onDidChangeConfiguration((p) => this.guard('didChangeConfiguration', () => this.configurationChanged(p.settings)));

    c.onDidOpenTextDocument((p) =>
      this.guard('didOpen', () => {
        const { uri, version, text } = p.textDocument;
        const entry: OpenDocument = { uri, file: uriToFile(uri), version, diagnostics: [] };
        this.docs.set(uri, entry);
        this.load(entry, text);
        this.schedule(entry, 0);
      }),
    );
    c.onDidChangeTextDocument((p) =>
      this.guard('didChange', () => {
        const entry = this.docs.get(p.textDocument.uri);
        if (!entry) return; // change for a document that was never opened: ignore, as the spec allows
        const version = p.textDocument.version;
        if (typeof version === 'number' && version <= entry.version && entry.version !== 0) {
          this.log(`Ignoring stale change for ${entry.uri} (version ${version} ≤ ${entry.version}).`);
          return;
        }
        if (typeof version === 'number') entry.version = version;
        if (entry.doc) {
          entry.doc.applyEdits(p.contentChanges.map((ch) => ('range' in ch && ch.range ? { range: ch.range, text: ch.text } : { text: ch.text })));
          this.recheckInput(entry);
        } else {
          // A skipped document still tracks its text so it can become analysable again.
          const last = p.contentChanges[p.contentChanges.length - 1];
          if (last && !('range' in last && last.range)) this.load(entry, last.text);
        }
        this.schedule(entry);
      }),
    );
    c.onDidCloseTextDocument((p) =>
      this.guard('didClose', () => {
        const entry = this.docs.get(p.textDocument.uri);
        if (entry?.timer) clearTimeout(entry.timer);
        this.docs.delete(p.textDocument.uri);
        this.settingsCache.delete(p.textDocument.uri);
        void c.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
      }),
    );

    c.onHover((p) => this.guardRequest('hover', () => this.hover(p.textDocument.uri, p.position)));
    c.onCodeAction((p) => this.guardRequest('codeAction', () => this.codeActions(p)));
    c.onCodeLens((p) => this.guardRequest('codeLens', () => this.codeLenses(p.textDocument.uri)));
    c.onExecuteCommand((p) =>
      this.guardRequest('executeCommand', async () => {
        if (p.command === SERVER_COMMANDS.simulate || p.command === COMMANDS.simulate) {
          const arg = (p.arguments?.[0] ?? {}) as SimulateParams;
          return this.simulate(arg);
        }
        throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command ${p.command}`);
      }),
    );
    c.onRequest(SIMULATE_METHOD, (p: SimulateParams) => this.guardRequest('simulate', () => this.simulate(p)));
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.configurationPull = !!caps.workspace?.configuration;
    this.dynamicConfigRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; vscodeClient?: boolean; faultline?: unknown };
    this.vscodeClient = init.vscodeClient === true;
    this.pushedSettings = init.settings ?? init.faultline;
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
        codeLensProvider: { resolveProvider: false },
        // The VS Code client registers its own command ids; other editors execute the server's.
        executeCommandProvider: { commands: this.vscodeClient ? [] : [SERVER_COMMANDS.simulate] },
      },
      serverInfo: { name: 'faultline', version: projectVersion() },
    };
    return result;
  }

  // ---- settings -------------------------------------------------------------------------

  private configurationChanged(pushed: unknown): void {
    const section = (pushed as { faultline?: unknown } | undefined)?.faultline;
    if (section !== undefined) this.pushedSettings = section;
    this.settingsCache.clear();
    this.shownProblems.clear();
    for (const entry of this.docs.values()) this.schedule(entry, 0);
  }

  private settingsFor(uri: string): Promise<FaultlineSettings> {
    let cached = this.settingsCache.get(uri);
    if (!cached) {
      cached = this.fetchSettings(uri);
      this.settingsCache.set(uri, cached);
    }
    return cached;
  }

  private async fetchSettings(uri: string): Promise<FaultlineSettings> {
    let raw: unknown = this.pushedSettings;
    if (this.configurationPull) {
      try {
        const pulled: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'faultline' });
        if (pulled !== null && pulled !== undefined) raw = pulled;
      } catch (err) {
        this.log(`workspace/configuration failed (${(err as Error).message}); using pushed settings or defaults.`);
      }
    }
    const { settings, problems } = parseSettings(raw);
    this.report(problems);
    return settings;
  }

  /** One clear message per distinct problem (window/showMessage once, plus the log). */
  private report(problems: readonly string[]): void {
    for (const problem of problems) {
      this.log(problem);
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      void this.connection.sendNotification('window/showMessage', { type: MessageType.Warning, message: `Faultline: ${problem}` });
    }
  }

  private targetsFor(entry: OpenDocument, settings: FaultlineSettings): ResolvedTargets {
    const tree = entry.file.includes('://') ? undefined : findKernelTree(entry.file);
    const resolved = resolveTargets(settings.targets, tree);
    this.report(resolved.problems);
    return resolved;
  }

  // ---- documents and analysis -----------------------------------------------------------

  private load(entry: OpenDocument, text: string): void {
    const verdict = checkText(text, DEFAULT_SETTINGS.maxFileSize);
    if (!verdict.ok) {
      delete entry.doc;
      entry.skipped = verdict.reason;
      return;
    }
    delete entry.skipped;
    entry.doc = new IncrementalDocument(text);
  }

  private recheckInput(entry: OpenDocument): void {
    if (!entry.doc) return;
    const verdict = checkText(entry.doc.text, DEFAULT_SETTINGS.maxFileSize);
    if (!verdict.ok) {
      delete entry.doc;
      entry.skipped = verdict.reason;
    }
  }

  private schedule(entry: OpenDocument, delay?: number): void {
    if (entry.timer) clearTimeout(entry.timer);
    const run = (): void => {
      delete entry.timer;
      void this.analyse(entry).catch((err: unknown) => this.log(`Analysis of ${entry.uri} failed: ${(err as Error).stack ?? String(err)}`));
    };
    if (delay === 0) {
      entry.timer = setTimeout(run, 0);
      return;
    }
    void this.settingsFor(entry.uri).then(
      (s) => {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = setTimeout(run, s.debounceMs);
      },
      () => {
        entry.timer = setTimeout(run, DEFAULT_SETTINGS.debounceMs);
      },
    );
  }

  private async analyse(entry: OpenDocument): Promise<void> {
    const settings = await this.settingsFor(entry.uri);
    if (this.docs.get(entry.uri) !== entry) return; // closed meanwhile
    const version = entry.version;
    const targets = this.targetsFor(entry, settings);
    if (!entry.doc) {
      entry.diagnostics = [];
      delete entry.analysis;
      this.log(`${entry.file}: ${entry.skipped ?? 'not analysed'}`);
      await this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics: [] });
      return;
    }
    if (entry.doc.text.length > settings.maxFileSize) {
      entry.diagnostics = [];
      delete entry.analysis;
      this.log(`${entry.file}: larger than faultline.maxFileSize (${settings.maxFileSize}); not analysed.`);
      await this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics: [] });
      return;
    }
    const started = performance.now();
    const analysis = analyzeTree(entry.file, entry.doc.text, entry.doc.tree, {
      profiles: targets.profiles,
      severities: settings.rules,
      workspace: this.index.viewExcluding(entry.file),
    });
    const elapsed = performance.now() - started;
    // Stale results never overwrite fresh ones: a newer version has its own analysis coming.
    if (entry.version !== version || this.docs.get(entry.uri) !== entry) return;
    try {
      this.index.update(entry.file, summarizeForIndex(analysis.facts));
    } catch (err) {
      this.log(`Indexing ${entry.file} failed: ${(err as Error).message}`);
    }
    entry.analysis = analysis;
    entry.analysedVersion = version;
    entry.diagnostics = analysis.findings.map((f) => toDiagnostic(f, entry.uri, fileToUri, (rule) => ruleDocUri(rule, this.root)));
    await this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics: entry.diagnostics });
    this.sendStatus({ targets: targets.profiles.map((p) => p.id), source: targets.source, lastAnalysisMs: Math.round(elapsed * 10) / 10, index: { state: 'ready', files: this.index.size } });
  }

  private sendStatus(status: StatusParams): void {
    const key = JSON.stringify({ ...status, lastAnalysisMs: undefined });
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    void this.connection.sendNotification(STATUS_METHOD, status);
  }

  /** The analysis for `uri`, computing it now if an edit is still pending. */
  private async current(uri: string): Promise<OpenDocument> {
    const entry = this.docs.get(uri);
    if (!entry) throw new ResponseError(ErrorCodes.InvalidParams, `Document ${uri} is not open.`);
    if (entry.doc && entry.analysedVersion !== entry.version) {
      if (entry.timer) clearTimeout(entry.timer);
      delete entry.timer;
      await this.analyse(entry);
    }
    return entry;
  }

  // ---- features ---------------------------------------------------------------------------

  private async hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    const entry = await this.current(uri);
    if (!entry.analysis || !entry.doc) return null;
    const fact = hoverAt(entry.analysis, entry.doc.text, position);
    if (!fact) return null;
    return { contents: { kind: MarkupKind.Markdown, value: fact.markdown }, range: toLspRange(fact.range) };
  }

  private async codeActions(p: CodeActionParams): Promise<CodeAction[]> {
    const entry = await this.current(p.textDocument.uri);
    if (!entry.analysis || !entry.doc) return [];
    return codeActionsFor(entry.analysis, entry.doc.text, p.range, this.root).map((a) => toCodeAction(a, entry.uri, entry.diagnostics));
  }

  private async codeLenses(uri: string): Promise<CodeLens[]> {
    const entry = await this.current(uri);
    if (!entry.analysis) return [];
    const command = this.vscodeClient ? COMMANDS.simulate : SERVER_COMMANDS.simulate;
    return codeLensesFor(entry.analysis).map((l) => ({
      range: toLspRange(l.range),
      command: { title: l.title, command, arguments: [{ textDocument: { uri }, ...(l.arguments[0] as object) }] },
    }));
  }

  private async simulate(p: SimulateParams): Promise<unknown> {
    if (!p || typeof p !== 'object' || !p.textDocument || typeof p.textDocument.uri !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, 'faultline/simulate needs { textDocument: { uri }, position | handler }.');
    }
    const entry = await this.current(p.textDocument.uri);
    if (!entry.analysis || !entry.doc) throw new ResponseError(ErrorCodes.InvalidRequest, `${entry.file} is not analysed: ${entry.skipped ?? 'unknown reason'}.`);
    const result = runSimulation(entry.analysis, entry.doc.text, p, this.index.viewExcluding(entry.file));
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result.value;
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log(`${what} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private async guardRequest<T>(what: string, fn: () => T | Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof ResponseError) throw err;
      this.log(`${what} failed: ${(err as Error).stack ?? String(err)}`);
      throw new ResponseError(ErrorCodes.InternalError, `Faultline ${what} failed: ${(err as Error).message}`);
    }
  }

  log(message: string): void {
    this.connection.console.log(`[${new Date().toISOString().slice(11, 23)}] ${message}`);
  }
}

export function basename(file: string): string {
  return path.basename(file);
}
