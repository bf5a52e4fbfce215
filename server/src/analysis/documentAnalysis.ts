// The pipeline for one file: facts from the tree, then every rule under every profile. Pure and
// synchronous; the LSP server and the CLI both call this, so their findings are identical.

import { extractFileFacts, type FileFacts } from '../extraction';
import type { Profile } from '../model';
import { ALL_RULES } from '../rules';
import { runRules } from '../rules/engine';
import type { Finding, SeveritySetting } from '../rules/types';
import type { WorkspaceLookup } from '../rules/workspaceLookup';
import { parseC, type Tree } from '../parsing/parser';

export interface AnalysisOptions {
  profiles: readonly Profile[];
  severities?: Readonly<Record<string, SeveritySetting>>;
  workspace?: WorkspaceLookup;
}

export interface DocumentAnalysis {
  file: string;
  facts: FileFacts;
  findings: Finding[];
  profiles: readonly Profile[];
  timings: { extractMs: number; rulesMs: number };
}

export function analyzeTree(file: string, text: string, tree: Tree, options: AnalysisOptions): DocumentAnalysis {
  const t0 = performance.now();
  const facts = extractFileFacts(tree, text, { file });
  const t1 = performance.now();
  const ctx = { file, text, facts, profiles: options.profiles, ...(options.workspace ? { workspace: options.workspace } : {}) };
  const findings = runRules(ALL_RULES, ctx, options.severities ? { severities: options.severities } : {});
  const t2 = performance.now();
  return { file, facts, findings, profiles: options.profiles, timings: { extractMs: t1 - t0, rulesMs: t2 - t1 } };
}

export function analyzeText(file: string, text: string, options: AnalysisOptions): DocumentAnalysis {
  return analyzeTree(file, text, parseC(text), options);
}
