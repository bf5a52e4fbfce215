// The language server: LSP glue around the analysis pipeline. It owns the open documents (text +
// incrementally edited syntax tree), per-document settings, debounced analysis and the mapping
// of plain findings/features onto LSP. Every handler runs behind a catch: one bad file or one
// bad request must never take the server down.

import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  type CancellationToken,
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
  LSPErrorCodes,
  MarkupKind,
  MessageType,
  ResponseError,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { type DocumentAnalysis } from '../analysis/documentAnalysis';
import { IncrementalAnalyzer } from '../analysis/incrementalAnalysis';
import { checkText } from '../analysis/inputCheck';
import { findKernelTree } from '../analysis/kernelTree';
import { DEFAULT_SETTINGS, parseSettings, type FaultlineSettings } from '../analysis/settings';
import { resolveTargets, type ResolvedTargets } from '../analysis/targets';
import { WorkspaceIndex } from '../analysis/workspaceIndex';
import { scanWorkspace } from '../analysis/workspaceScan';
import { summarizeForIndex } from '../extraction';
import { codeActionsFor } from '../features/codeActions';
import { codeLensesFor } from '../features/codeLens';
import { hoverAt } from '../features/hover';
import { ruleDocUri } from '../features/ruleDocs';
import { runSimulation } from '../features/simulateRequest';
import { projectRoot, projectVersion } from '../common/projectRoot';
import { applyTextEdits, IncrementalDocument, ParseTimeoutError, type TextEdit } from '../parsing/incrementalDocument';
import { COMMANDS, SIMULATE_METHOD, STATUS_METHOD, type SimulateParams, type StatusParams } from '../protocol/customMessages';
import { toCodeAction, toDiagnostic, toLspRange } from './conversions';

interface OpenDocument {
  uri: string;
  file: string;
  version: number;
  doc?: IncrementalDocument;
  /** Why the document is not analysed (binary, too large, too slow to parse), if it is not. */
  skipped?: string;
  /** The text of a skipped document (kept in step with edits so it can become analysable). */
  skippedText?: string;
  analysis?: DocumentAnalysis;
  /** Keeps the last analysis to reuse its facts after small edits (incrementalAnalysis.ts). */
  analyzer?: IncrementalAnalyzer;
  /** Version the analysis was computed for. */
  analysedVersion?: number;
  diagnostics: Diagnostic[];
  timer?: NodeJS.Timeout;
}

/**
 * The workspace index starts once the open documents have been left alone this long (or at the
 * latest INDEX_MAX_WAIT_MS after it was asked for): on a machine with few cores its worker and
 * the summaries it sends back would otherwise compete with the analyses of a typing burst.
 */
const INDEX_IDLE_MS = 400;
const INDEX_MAX_WAIT_MS = 10_000;
/** An open document's index summary is refreshed this long after its last analysis (or before another document is analysed). */
const SUMMARY_DELAY_MS = 250;
/** After a full analysis, the next fast path's groundwork is laid this long after publishing (if nothing changed). */
const PREPARE_DELAY_MS = 20;

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
  private readonly settingsProblems = new WeakMap<FaultlineSettings, string[]>();
  /** Resolved targets per settings object and kernel tree (see targetsFor). */
  private readonly resolvedTargets = new WeakMap<FaultlineSettings, Map<string, ResolvedTargets>>();
  private readonly root = projectRoot();
  private lastStatus = '';
  private workspaceRoots: string[] = [];
  private indexState: NonNullable<StatusParams['index']>['state'] = 'idle';
  private indexScan: { cancelled: boolean } | undefined;
  private indexRun: Promise<void> | undefined;
  /** A pending request for an index run: started when the documents are idle (INDEX_IDLE_MS). */
  private indexRequest: { since: number; timer?: NodeJS.Timeout } | undefined;
  /** Analyses whose index summary is still to be computed (after their diagnostics went out). */
  private readonly pendingSummaries = new Map<OpenDocument, DocumentAnalysis>();
  private summaryTimer: NodeJS.Timeout | undefined;
  private lastTargets: { targets: string[]; source: StatusParams['source'] } = { targets: [], source: 'default' };
  /** After `shutdown`, requests get InvalidRequest and notifications are ignored (LSP spec). */
  private shuttingDown = false;
  /** Parse time limit for open documents: the last analysisTimeBudgetMs seen in any settings. */
  private parseBudgetMs = DEFAULT_SETTINGS.analysisTimeBudgetMs;

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => {
      if (this.dynamicConfigRegistration) void c.client.register(DidChangeConfigurationNotification.type, { section: 'faultline' }).catch(() => undefined);
      this.requestIndex();
    });
    // Workers must be idle before the process exits (see workerPool.close), so shutdown waits
    // for a running scan to stop.
    c.onShutdown(() => this.stopBackgroundWork());
    c.onDidChangeConfiguration((p) => this.guard('didChangeConfiguration', () => this.configurationChanged(p.settings)));

    c.onDidOpenTextDocument((p) =>
      this.guard('didOpen', () => {
        const td = (p as { textDocument?: { uri?: unknown; version?: unknown; text?: unknown } } | undefined)?.textDocument;
        if (!td || typeof td.uri !== 'string' || typeof td.text !== 'string') {
          this.log('Ignoring didOpen without textDocument.uri/text strings.');
          return;
        }
        const { uri, text } = td;
        const version = typeof td.version === 'number' ? td.version : 0;
        const entry: OpenDocument = { uri, file: uriToFile(uri), version, diagnostics: [] };
        this.docs.set(uri, entry);
        this.load(entry, text);
        this.schedule(entry, 0);
        this.armIndex();
      }),
    );
    c.onDidChangeTextDocument((p) =>
      this.guard('didChange', () => {
        const entry = this.docs.get(p?.textDocument?.uri);
        if (!entry) return; // change for a document that was never opened: ignore, as the spec allows
        const edits = validEdits(p.contentChanges);
        if (!edits) {
          this.log(`Ignoring malformed didChange for ${entry.uri}: contentChanges must be { text } or { range, text } with integer positions.`);
          return;
        }
        const version = p.textDocument.version;
        if (typeof version === 'number' && version <= entry.version && entry.version !== 0) {
          this.log(`Ignoring stale change for ${entry.uri} (version ${version} ≤ ${entry.version}).`);
          return;
        }
        if (typeof version === 'number') entry.version = version;
        if (entry.doc) {
          try {
            entry.doc.applyEdits(edits);
            this.recheckInput(entry);
          } catch (err) {
            if (!(err instanceof ParseTimeoutError)) throw err;
            this.skip(entry, applyTextEdits(entry.doc.text, edits), `parsing took longer than the time budget (${err.timeoutMs} ms); not analysed`);
          }
        } else {
          // A skipped document still tracks its text so it can become analysable again.
          this.load(entry, applyTextEdits(entry.skippedText ?? '', edits));
        }
        this.schedule(entry);
        this.armIndex();
      }),
    );
    c.onDidCloseTextDocument((p) =>
      this.guard('didClose', () => {
        const entry = this.docs.get(p.textDocument.uri);
        if (entry?.timer) clearTimeout(entry.timer);
        if (entry) this.pendingSummaries.delete(entry);
        this.docs.delete(p.textDocument.uri);
        this.settingsCache.delete(p.textDocument.uri);
        void c.sendDiagnostics({ uri: p.textDocument.uri, diagnostics: [] });
      }),
    );

    c.onHover((p, token) => this.guardRequest('hover', token, () => this.hover(requireUri(p), requirePosition(p?.position, 'position'), token)));
    c.onCodeAction((p, token) => this.guardRequest('codeAction', token, () => this.codeActions(p, token)));
    c.onCodeLens((p, token) => this.guardRequest('codeLens', token, () => this.codeLenses(requireUri(p), token)));
    c.onExecuteCommand((p, token) =>
      this.guardRequest('executeCommand', token, async () => {
        if (!p || typeof p.command !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'workspace/executeCommand needs a command.');
        if (p.command === SERVER_COMMANDS.simulate || p.command === COMMANDS.simulate) {
          const arg = (p.arguments?.[0] ?? {}) as SimulateParams;
          return this.simulate(arg, token);
        }
        throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command ${p.command}`);
      }),
    );
    c.onRequest(SIMULATE_METHOD, (p: SimulateParams, token: CancellationToken) => this.guardRequest('simulate', token, () => this.simulate(p, token)));
    c.onShutdown(() => {
      this.shuttingDown = true;
      for (const entry of this.docs.values()) if (entry.timer) clearTimeout(entry.timer);
    });
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.configurationPull = !!caps.workspace?.configuration;
    this.dynamicConfigRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    const init = (params.initializationOptions ?? {}) as { settings?: unknown; vscodeClient?: boolean; faultline?: unknown };
    this.vscodeClient = init.vscodeClient === true;
    this.pushedSettings = init.settings ?? init.faultline;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.workspaceRoots = folders.map(uriToFile).filter((f) => !f.includes('://'));
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
    this.requestIndex();
  }

  // ---- workspace index --------------------------------------------------------------------

  /** Asks for an index run, started once the open documents are idle (see INDEX_IDLE_MS). */
  private requestIndex(): void {
    this.indexRequest ??= { since: Date.now() };
    this.armIndex();
  }

  /** (Re)starts the idle wait of a pending index request: called on every document change. */
  private armIndex(): void {
    const req = this.indexRequest;
    if (!req || this.shuttingDown) return;
    if (req.timer) clearTimeout(req.timer);
    const wait = Math.max(0, Math.min(INDEX_IDLE_MS, req.since + INDEX_MAX_WAIT_MS - Date.now()));
    req.timer = setTimeout(() => {
      if (this.indexRequest !== req) return;
      this.indexRequest = undefined;
      const previous = this.indexRun ?? Promise.resolve();
      this.indexRun = previous.then(() => this.startIndex());
    }, wait);
  }

  /** Cancels the workspace scan and resolves once its worker threads are idle and gone. */
  async stopBackgroundWork(): Promise<void> {
    if (this.indexRequest?.timer) clearTimeout(this.indexRequest.timer);
    this.indexRequest = undefined;
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    if (this.indexScan) this.indexScan.cancelled = true;
    await this.indexRun?.catch(() => undefined);
  }

  /**
   * Builds the cross-file index in the background ($/progress, cancellable). Open documents keep
   * their own fresher summaries; when the scan ends they are analysed again with the full index.
   */
  private async startIndex(): Promise<void> {
    if (this.workspaceRoots.length === 0) return;
    const settings = await this.settingsFor(fileToUri(this.workspaceRoots[0]!));
    if (!settings.workspaceIndex) {
      if (this.indexScan) this.indexScan.cancelled = true;
      this.indexState = 'off';
      this.sendStatus({ ...this.lastTargets, index: { state: 'off', files: this.index.size } });
      return;
    }
    if (this.indexState === 'building' || this.indexState === 'ready') return;
    const scan = { cancelled: false };
    this.indexScan = scan;
    this.indexState = 'building';
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Faultline: indexing', 0, 'discovering files…', true);
    progress?.token.onCancellationRequested(() => (scan.cancelled = true));
    this.sendStatus({ ...this.lastTargets, index: { state: 'building', files: this.index.size } });
    try {
      const result = await scanWorkspace(this.workspaceRoots, this.index, {
        maxFiles: settings.indexMaxFiles,
        maxFileSize: settings.maxFileSize,
        prefer: [...this.docs.values()].map((d) => path.dirname(d.file)),
        // Open documents keep the summary of their current text, not of the file on disk.
        shouldIndex: (f) => ![...this.docs.values()].some((d) => d.file === f),
        isCancelled: () => scan.cancelled,
        onProgress: (done, total, message) => progress?.report(total > 0 ? Math.min(100, Math.floor((100 * done) / total)) : 0, message),
      });
      this.log(`Workspace index: ${result.indexed} of ${result.files} files indexed in ${Math.round(result.ms)} ms${result.partial ? ' (partial)' : ''}.`);
      if (result.partial && !scan.cancelled) this.report([`the workspace index is partial: more than faultline.indexMaxFiles (${settings.indexMaxFiles}) C files.`]);
      this.indexState = scan.cancelled ? 'idle' : 'ready';
    } catch (err) {
      this.indexState = 'idle';
      this.log(`Workspace index failed: ${(err as Error).stack ?? String(err)}`);
    } finally {
      progress?.done();
      if (this.indexScan === scan) this.indexScan = undefined;
    }
    this.sendStatus({ ...this.lastTargets, index: { state: this.indexState, files: this.index.size } });
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
    // Reported together with the target problems of the first analysis: one message per change.
    this.settingsProblems.set(settings, problems);
    return settings;
  }

  /** One clear message per distinct problem (window/showMessage once, plus the log). */
  /** Problems found together (one settings object, one target list) become one message. */
  private report(problems: readonly string[]): void {
    const fresh: string[] = [];
    for (const problem of problems) {
      this.log(problem);
      if (this.shownProblems.has(problem)) continue;
      this.shownProblems.add(problem);
      fresh.push(problem);
    }
    if (fresh.length === 0) return;
    void this.connection.sendNotification('window/showMessage', { type: MessageType.Warning, message: `Faultline: ${fresh.join(' ')}` });
  }

  private targetsFor(entry: OpenDocument, settings: FaultlineSettings): ResolvedTargets {
    const tree = entry.file.includes('://') ? undefined : findKernelTree(entry.file);
    // The same Profile objects for the same settings and tree: the model memoises per profile
    // object (capabilities, Kconfig facts), and fresh ones per keystroke recomputed them.
    let byTree = this.resolvedTargets.get(settings);
    if (!byTree) this.resolvedTargets.set(settings, (byTree = new Map()));
    const key = tree ? `${tree.root}|${tree.version ?? ''}|${tree.arch ?? ''}` : '';
    let resolved = byTree.get(key);
    if (!resolved) {
      resolved = resolveTargets(settings.targets, tree);
      byTree.set(key, resolved);
      this.report([...(this.settingsProblems.get(settings) ?? []), ...resolved.problems]);
    }
    return resolved;
  }

  // ---- documents and analysis -----------------------------------------------------------

  private load(entry: OpenDocument, text: string): void {
    const verdict = checkText(text, DEFAULT_SETTINGS.maxFileSize);
    if (!verdict.ok) return this.skip(entry, text, verdict.reason);
    try {
      entry.doc = new IncrementalDocument(text, this.parseBudgetMs);
    } catch (err) {
      if (!(err instanceof ParseTimeoutError)) throw err;
      return this.skip(entry, text, `parsing took longer than the time budget (${err.timeoutMs} ms); not analysed`);
    }
    delete entry.skipped;
    delete entry.skippedText;
  }

  /** Drops the tree of a document that is not analysed (binary, too large, parse too slow). */
  private skip(entry: OpenDocument, text: string, reason: string): void {
    delete entry.doc;
    delete entry.analysis;
    entry.skipped = reason;
    entry.skippedText = text;
  }

  private recheckInput(entry: OpenDocument): void {
    if (!entry.doc) return;
    const verdict = checkText(entry.doc.text, DEFAULT_SETTINGS.maxFileSize);
    if (!verdict.ok) this.skip(entry, entry.doc.text, verdict.reason);
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
    if (this.docs.get(entry.uri) !== entry || this.shuttingDown) return; // closed meanwhile
    this.parseBudgetMs = settings.analysisTimeBudgetMs;
    const version = entry.version;
    const targets = this.targetsFor(entry, settings);
    if (!entry.doc) {
      entry.diagnostics = [];
      delete entry.analysis;
      this.info(`${entry.file}: ${entry.skipped ?? 'not analysed'}`);
      await this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics: [] });
      return;
    }
    if (entry.doc.text.length > settings.maxFileSize) {
      entry.diagnostics = [];
      delete entry.analysis;
      this.info(`${entry.file}: larger than faultline.maxFileSize (${settings.maxFileSize}); not analysed.`);
      await this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics: [] });
      return;
    }
    // other documents' fresh summaries into the index first (this one's is not used for itself)
    this.flushSummaries(entry);
    const started = performance.now();
    entry.analyzer ??= new IncrementalAnalyzer();
    const analysis = entry.analyzer.analyze(entry.file, entry.doc, {
      profiles: targets.profiles,
      severities: settings.rules,
      workspace: this.index.viewExcluding(entry.file),
      timeBudgetMs: settings.analysisTimeBudgetMs,
    });
    const elapsed = performance.now() - started;
    if (analysis.partial) this.info(`${entry.file}: ${analysis.partial}.`);
    // Stale results never overwrite fresh ones: a newer version has its own analysis coming.
    if (entry.version !== version || this.docs.get(entry.uri) !== entry) return;
    entry.analysis = analysis;
    entry.analysedVersion = version;
    entry.diagnostics = analysis.findings.map((f) => toDiagnostic(f, entry.uri, fileToUri, (rule) => ruleDocUri(rule, this.root)));
    const published = this.connection.sendDiagnostics({ uri: entry.uri, version, diagnostics: entry.diagnostics });
    // the index summary later, once per burst of edits (it is not needed for these diagnostics)
    this.pendingSummaries.set(entry, analysis);
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = setTimeout(() => this.flushSummaries(), SUMMARY_DELAY_MS);
    // after a full analysis, what the next keystroke's fast path needs, computed while idle
    if (entry.analyzer.lastFallback !== undefined) {
      const { analyzer, doc } = entry;
      setTimeout(() => analyzer.prepare(doc), PREPARE_DELAY_MS);
    }
    await published;
    this.lastTargets = { targets: targets.profiles.map((p) => p.id), source: targets.source };
    this.sendStatus({ ...this.lastTargets, lastAnalysisMs: Math.round(elapsed * 10) / 10, index: { state: this.indexState, files: this.index.size } });
  }

  /** Index summaries of the documents analysed since the last flush (but `except`'s). */
  private flushSummaries(except?: OpenDocument): void {
    for (const [entry, analysis] of this.pendingSummaries) {
      if (entry === except) continue;
      this.pendingSummaries.delete(entry);
      if (this.docs.get(entry.uri) !== entry) continue;
      try {
        this.index.update(entry.file, summarizeForIndex(analysis.facts));
      } catch (err) {
        this.log(`Indexing ${entry.file} failed: ${(err as Error).message}`);
      }
    }
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

  private async hover(uri: string, position: { line: number; character: number }, token?: CancellationToken): Promise<Hover | null> {
    const entry = await this.current(uri);
    await yieldThenCheck(token);
    if (!entry.analysis || !entry.doc) return null;
    if (!insideDocument(entry.doc.lineOffsets, entry.doc.text.length, position)) return null; // past the end: nothing there
    const fact = hoverAt(entry.analysis, entry.doc.text, position);
    if (!fact) return null;
    return { contents: { kind: MarkupKind.Markdown, value: fact.markdown }, range: toLspRange(fact.range) };
  }

  private async codeActions(p: CodeActionParams, token?: CancellationToken): Promise<CodeAction[]> {
    const uri = requireUri(p);
    const range = { start: requirePosition(p.range?.start, 'range.start'), end: requirePosition(p.range?.end, 'range.end') };
    const entry = await this.current(uri);
    await yieldThenCheck(token);
    if (!entry.analysis || !entry.doc) return [];
    return codeActionsFor(entry.analysis, entry.doc.text, range, this.root).map((a) => toCodeAction(a, entry.uri, entry.diagnostics));
  }

  private async codeLenses(uri: string, token?: CancellationToken): Promise<CodeLens[]> {
    const entry = await this.current(uri);
    await yieldThenCheck(token);
    if (!entry.analysis) return [];
    const command = this.vscodeClient ? COMMANDS.simulate : SERVER_COMMANDS.simulate;
    return codeLensesFor(entry.analysis).map((l) => ({
      range: toLspRange(l.range),
      command: { title: l.title, command, arguments: [{ textDocument: { uri }, ...(l.arguments[0] as object) }] },
    }));
  }

  private async simulate(p: SimulateParams, token?: CancellationToken): Promise<unknown> {
    if (!p || typeof p !== 'object' || !p.textDocument || typeof p.textDocument.uri !== 'string') {
      throw new ResponseError(ErrorCodes.InvalidParams, 'faultline/simulate needs { textDocument: { uri }, position | handler }.');
    }
    if (p.position !== undefined) requirePosition(p.position, 'position');
    if (p.handler !== undefined && typeof p.handler !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'faultline/simulate: handler must be a function name.');
    const entry = await this.current(p.textDocument.uri);
    await yieldThenCheck(token);
    if (!entry.analysis || !entry.doc) throw new ResponseError(ErrorCodes.InvalidRequest, `${entry.file} is not analysed: ${entry.skipped ?? 'unknown reason'}.`);
    const result = runSimulation(entry.analysis, entry.doc.text, p, this.index.viewExcluding(entry.file));
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidParams, result.error);
    return result.value;
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private guard(what: string, fn: () => void): void {
    if (this.shuttingDown) {
      this.log(`Ignoring ${what} after shutdown.`);
      return;
    }
    try {
      fn();
    } catch (err) {
      this.log(`${what} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private async guardRequest<T>(what: string, token: CancellationToken | undefined, fn: () => T | Promise<T>): Promise<T> {
    if (this.shuttingDown) throw new ResponseError(ErrorCodes.InvalidRequest, `Faultline is shutting down; ${what} refused.`);
    try {
      checkCancelled(token);
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

  /** An information-level log line (skipped files, partial analyses). */
  private info(message: string): void {
    this.connection.console.info(`[${new Date().toISOString().slice(11, 23)}] ${message}`);
  }
}

// ---- request validation and cancellation (robustness; docs/robustness.md) -------------------

function checkCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled.');
}

/**
 * Lets pending messages (e.g. `$/cancelRequest`) in, then honours a cancellation. Two turns: a
 * message read in the next turn is handled by vscode-jsonrpc in a setImmediate of its own, queued
 * after ours.
 */
async function yieldThenCheck(token: CancellationToken | undefined): Promise<void> {
  if (!token) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
  checkCancelled(token);
}

function requireUri(p: unknown): string {
  const uri = (p as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'textDocument.uri must be a string.');
  return uri;
}

function isPosition(p: unknown): p is { line: number; character: number } {
  const q = p as { line?: unknown; character?: unknown } | null | undefined;
  return !!q && Number.isInteger(q.line) && Number.isInteger(q.character) && (q.line as number) >= 0 && (q.character as number) >= 0;
}

function requirePosition(p: unknown, what: string): { line: number; character: number } {
  if (!isPosition(p)) throw new ResponseError(ErrorCodes.InvalidParams, `${what} must be { line, character } with non-negative integers.`);
  return { line: p.line, character: p.character };
}

/** Whether `pos` names a place in the text (line exists, character within the line). */
function insideDocument(starts: readonly number[], textLength: number, pos: { line: number; character: number }): boolean {
  if (pos.line >= starts.length) return false;
  const end = pos.line + 1 < starts.length ? starts[pos.line + 1]! - 1 : textLength;
  return starts[pos.line]! + pos.character <= end;
}

/** contentChanges as edits, or undefined when any change is malformed (then none is applied). */
function validEdits(changes: unknown): TextEdit[] | undefined {
  if (!Array.isArray(changes)) return undefined;
  const out: TextEdit[] = [];
  for (const ch of changes as unknown[]) {
    const c = ch as { text?: unknown; range?: { start?: unknown; end?: unknown } | null } | null;
    if (!c || typeof c.text !== 'string') return undefined;
    if (c.range === undefined || c.range === null) {
      out.push({ text: c.text });
      continue;
    }
    if (!isPosition(c.range.start) || !isPosition(c.range.end)) return undefined;
    out.push({ range: { start: c.range.start, end: c.range.end }, text: c.text });
  }
  return out;
}

export function basename(file: string): string {
  return path.basename(file);
}
