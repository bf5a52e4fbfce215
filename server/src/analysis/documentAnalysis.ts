// The pipeline for one file: facts from the tree, then every rule under every profile. Pure and
// synchronous; the LSP server and the CLI both call this, so their findings are identical.
// A time budget (`timeBudgetMs` or a shared `deadline`) bounds the whole run: the parse gets
// tree-sitter's timeout, extraction and rules stop between items, and the result says it is
// partial (`partial`) instead of blocking the caller.

import { extractFileFacts, type FileFacts } from '../extraction';
import type { Profile } from '../model';
import { ALL_RULES } from '../rules';
import { runRules } from '../rules/engine';
import type { Finding, SeveritySetting } from '../rules/types';
import type { WorkspaceLookup } from '../rules/workspaceLookup';
import { Deadline } from '../common/deadline';
import { parseC, parseCWithin, type Tree } from '../parsing/parser';

export interface AnalysisOptions {
  profiles: readonly Profile[];
  severities?: Readonly<Record<string, SeveritySetting>>;
  workspace?: WorkspaceLookup;
  /** Time budget for this analysis in ms (ignored when `deadline` is given). */
  timeBudgetMs?: number;
  /** A deadline shared with the caller (e.g. one that also covered the parse). */
  deadline?: Deadline;
}

export interface DocumentAnalysis {
  file: string;
  facts: FileFacts;
  findings: Finding[];
  profiles: readonly Profile[];
  timings: { extractMs: number; rulesMs: number };
  /** Set when the time budget ran out: what was cut short. Findings are then a subset. */
  partial?: string;
}

function deadlineOf(options: AnalysisOptions): Deadline {
  return options.deadline ?? (options.timeBudgetMs !== undefined ? new Deadline(options.timeBudgetMs) : Deadline.none());
}

function partialNote(deadline: Deadline): string {
  return `analysis stopped after the time budget of ${deadline.budgetMs} ms (during ${deadline.stage ?? 'analysis'}); results are partial`;
}

export function analyzeTree(file: string, text: string, tree: Tree, options: AnalysisOptions): DocumentAnalysis {
  const deadline = deadlineOf(options);
  const t0 = performance.now();
  const facts = extractFileFacts(tree, text, { file, deadline });
  return analyzeFacts(file, text, facts, options, deadline, performance.now() - t0);
}

/** The rules over facts already extracted (by `analyzeTree`, or reused by incrementalAnalysis.ts). */
export function analyzeFacts(file: string, text: string, facts: FileFacts, options: AnalysisOptions, deadline: Deadline, extractMs: number): DocumentAnalysis {
  const t1 = performance.now();
  const ctx = { file, text, facts, profiles: options.profiles, ...(options.workspace ? { workspace: options.workspace } : {}) };
  const findings = deadline.expired('extraction') ? [] : runRules(ALL_RULES, ctx, { ...(options.severities ? { severities: options.severities } : {}), deadline });
  const t2 = performance.now();
  const result: DocumentAnalysis = { file, facts, findings, profiles: options.profiles, timings: { extractMs, rulesMs: t2 - t1 } };
  if (deadline.exceeded) result.partial = partialNote(deadline);
  return result;
}

export { deadlineOf };

/** An analysis with no facts and no findings (the parse did not finish within the budget). */
export function emptyAnalysis(file: string, profiles: readonly Profile[], partial: string): DocumentAnalysis {
  const facts: FileFacts = {
    file, functions: [], vmOpsTables: [], fileOperationsTables: [], otherMmapTables: [], vmOpsAssignments: [],
    mmapHandlers: [], insertionSites: [], wrappers: [], defines: {}, problems: [partial],
  };
  return { file, facts, findings: [], profiles, timings: { extractMs: 0, rulesMs: 0 }, partial };
}

export function analyzeText(file: string, text: string, options: AnalysisOptions): DocumentAnalysis {
  const deadline = deadlineOf(options);
  if (!Number.isFinite(deadline.budgetMs)) return analyzeTree(file, text, parseC(text), options);
  const tree = parseCWithin(text, deadline.remainingMs());
  if (!tree) {
    deadline.markExceeded('parsing');
    return emptyAnalysis(file, options.profiles, partialNote(deadline));
  }
  return analyzeTree(file, text, tree, { ...options, deadline });
}
