// Faultline's settings: one schema, validated in one place. Bad values never throw: each yields
// a one-line problem for the user and the default for that key (vscode-eslint's approach).

import type { SeveritySetting } from '../rules/types';

export interface FaultlineSettings {
  /** Explicit targets as written by the user (`6.12/x86_64`); empty means "derive defaults". */
  targets: string[];
  rules: Record<string, SeveritySetting>;
  /** Files larger than this are not parsed (bytes). */
  maxFileSize: number;
  /** Delay between the last edit and re-analysis (ms). */
  debounceMs: number;
  /** Per-file analysis budget (ms); analysis stops and reports partial results beyond it. */
  analysisTimeBudgetMs: number;
  /** Whether to build the workspace symbol index in the background. */
  workspaceIndex: boolean;
  /** Upper bound on files the workspace index reads. */
  indexMaxFiles: number;
}

export const DEFAULT_SETTINGS: FaultlineSettings = {
  targets: [],
  rules: {},
  maxFileSize: 32 * 1024 * 1024,
  debounceMs: 120,
  analysisTimeBudgetMs: 2000,
  workspaceIndex: true,
  indexMaxFiles: 200_000,
};

const SEVERITIES: readonly string[] = ['off', 'hint', 'info', 'warning', 'error'];
const RULE_ID = /^FL\d{3}$/;

export interface SettingsResult {
  settings: FaultlineSettings;
  problems: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function positiveNumber(raw: unknown, key: string, fallback: number, problems: string[], max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0 || raw > max) {
    problems.push(`faultline.${key} must be a positive number; using ${fallback}.`);
    return fallback;
  }
  return raw;
}

/** Validates a raw `faultline` settings object as received from a client. */
export function parseSettings(raw: unknown): SettingsResult {
  const problems: string[] = [];
  const settings: FaultlineSettings = { ...DEFAULT_SETTINGS, rules: {} };
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isRecord(raw)) {
    problems.push('faultline settings must be an object; using defaults.');
    return { settings, problems };
  }

  const targets = raw['targets'];
  if (targets !== undefined && targets !== null) {
    if (typeof targets === 'string') settings.targets = [targets];
    else if (Array.isArray(targets) && targets.every((t) => typeof t === 'string')) settings.targets = targets.map((t) => t.trim()).filter((t) => t.length > 0);
    else problems.push('faultline.targets must be a list of "VERSION/ARCH" strings such as "6.12/x86_64"; using the defaults.');
  }

  const rules = raw['rules'];
  if (rules !== undefined && rules !== null) {
    if (!isRecord(rules)) {
      problems.push('faultline.rules must map rule ids (FL001…) to "off", "info", "warning" or "error"; ignoring it.');
    } else {
      for (const [id, value] of Object.entries(rules)) {
        if (value === 'default') continue; // VS Code's enum value for "the rule's own severity"
        if (!RULE_ID.test(id)) {
          problems.push(`faultline.rules: "${id}" is not a rule id (expected FL001…); ignoring it.`);
        } else if (typeof value !== 'string' || !SEVERITIES.includes(value)) {
          problems.push(`faultline.rules.${id} must be one of off, hint, info, warning, error; using the rule's default.`);
        } else {
          settings.rules[id] = value as SeveritySetting;
        }
      }
    }
  }

  settings.maxFileSize = positiveNumber(raw['maxFileSize'], 'maxFileSize', DEFAULT_SETTINGS.maxFileSize, problems);
  settings.debounceMs = positiveNumber(raw['debounceMs'], 'debounceMs', DEFAULT_SETTINGS.debounceMs, problems, 10_000);
  settings.analysisTimeBudgetMs = positiveNumber(raw['analysisTimeBudgetMs'], 'analysisTimeBudgetMs', DEFAULT_SETTINGS.analysisTimeBudgetMs, problems, 600_000);
  settings.indexMaxFiles = positiveNumber(raw['indexMaxFiles'], 'indexMaxFiles', DEFAULT_SETTINGS.indexMaxFiles, problems);
  const wi = raw['workspaceIndex'];
  if (wi !== undefined && wi !== null) {
    if (typeof wi === 'boolean') settings.workspaceIndex = wi;
    else problems.push('faultline.workspaceIndex must be true or false; using true.');
  }
  return { settings, problems };
}
