// Whole-file-set analysis for the CLI: read, prefilter, parse and extract every candidate file,
// build the workspace index from their summaries, then run the rules on each with cross-file
// knowledge. Files that cannot hold anything a rule looks at are never parsed.

import * as fs from 'node:fs';
import { extractFileFacts, summarizeForIndex, type FileFacts } from '../extraction';
import type { Profile } from '../model';
import { parseC } from '../parsing/parser';
import { ALL_RULES, TRIGGER_WORDS } from '../rules';
import { runRules } from '../rules/engine';
import type { Finding, SeveritySetting } from '../rules/types';
import { checkBuffer } from './inputCheck';
import { findKernelTree } from './kernelTree';
import { resolveTargets } from './targets';
import { WorkspaceIndex } from './workspaceIndex';

export interface BatchOptions {
  /** Explicit `V/ARCH` targets; empty means per-file defaults (kernel tree, else built-in). */
  targets: readonly Profile[];
  severities?: Readonly<Record<string, SeveritySetting>>;
  maxFileSize: number;
}

export interface FileResult {
  file: string;
  findings: Finding[];
  targets: string[];
  /** Why the file was not analysed (unreadable, binary, too large). */
  skipped?: string;
}

export interface BatchStats {
  files: number;
  bytes: number;
  candidates: number;
  parsed: number;
}

export interface BatchResult {
  results: FileResult[];
  problems: string[];
  stats: BatchStats;
}

const triggers = TRIGGER_WORDS.map((w) => Buffer.from(w));

/** Cheap byte-level test: can this file matter to any rule? */
export function mayMatter(buf: Buffer): boolean {
  for (const t of triggers) if (buf.indexOf(t) !== -1) return true;
  return false;
}

interface Extracted {
  file: string;
  text: string;
  facts: FileFacts;
}

export function analyzeFiles(files: readonly string[], options: BatchOptions): BatchResult {
  const results: FileResult[] = [];
  const problems: string[] = [];
  const stats: BatchStats = { files: files.length, bytes: 0, candidates: 0, parsed: 0 };
  const extracted: Extracted[] = [];
  const index = new WorkspaceIndex();

  for (const file of files) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (err) {
      results.push({ file, findings: [], targets: [], skipped: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    stats.bytes += buf.length;
    const verdict = checkBuffer(buf, options.maxFileSize);
    if (!verdict.ok) {
      results.push({ file, findings: [], targets: [], skipped: verdict.reason });
      continue;
    }
    if (!mayMatter(buf)) continue;
    stats.candidates++;
    const text = buf.toString('utf8');
    const facts = extractFileFacts(parseC(text), text, { file });
    stats.parsed++;
    extracted.push({ file, text, facts });
    index.update(file, summarizeForIndex(facts));
  }

  for (const { file, text, facts } of extracted) {
    let profiles = options.targets;
    if (profiles.length === 0) {
      const resolved = resolveTargets([], findKernelTree(file));
      for (const p of resolved.problems) if (!problems.includes(p)) problems.push(p);
      profiles = resolved.profiles;
    }
    const findings = runRules(ALL_RULES, { file, text, facts, profiles, workspace: index.viewExcluding(file) }, options.severities ? { severities: options.severities } : {});
    results.push({ file, findings, targets: profiles.map((p) => p.id) });
  }
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { results, problems, stats };
}
