// Faultline's extensions to LSP, defined once and shared by the server and the VS Code client
// (docs/lsp-extensions.md documents them for other editors). Plain method names and JSON shapes:
// no dependency on vscode-languageserver here, so the analysis core can import the types.

/** Request `faultline/simulate`: play a fault through the model for one handler. */
export const SIMULATE_METHOD = 'faultline/simulate';

export interface SimulateParams {
  textDocument: { uri: string };
  /** The handler under this position, when `handler` is absent. */
  position?: { line: number; character: number };
  /** Handler function name; wins over `position`. */
  handler?: string;
  /** Scenario overrides as key=value pairs (see docs/simulate.md). */
  scenario?: Record<string, string>;
  /** One `VERSION/ARCH` target; the document's first target when absent. */
  target?: string;
  /** `trace` (default) or `matrix`. */
  mode?: 'trace' | 'matrix';
}

/** Notification `faultline/status` (server → client): what the status item shows. */
export const STATUS_METHOD = 'faultline/status';

export interface StatusParams {
  /** Targets of the active document (or the workspace defaults). */
  targets: string[];
  /** Where they came from: settings, the kernel tree's Makefile/.config, or built-in defaults. */
  source: 'settings' | 'kernel-tree' | 'default';
  /** Workspace index state. */
  index?: { state: 'idle' | 'building' | 'ready' | 'off'; files: number };
  /** Last analysis time of the active document (ms). */
  lastAnalysisMs?: number;
  message?: string;
}

/** Command ids shared by client and server. */
export const COMMANDS = {
  simulate: 'faultline.simulate',
  restartServer: 'faultline.restartServer',
  showOutput: 'faultline.showOutput',
  openRuleDoc: 'faultline.openRuleDoc',
} as const;
