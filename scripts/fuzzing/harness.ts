// One fuzz input through everything an editor or the CLI would do with it: the analysis under
// several targets, hovers at random (and past-the-end) positions, code actions over random
// ranges, code lenses, and a simulation per handler lens plus one at a random position. Checks
// the properties of docs/robustness.md: nothing throws, the file finishes within a time bound,
// and every range handed to a client lies inside the document.

import { analyzeText, type DocumentAnalysis } from '../../server/src/analysis/documentAnalysis';
import { checkText } from '../../server/src/analysis/inputCheck';
import { WorkspaceIndex } from '../../server/src/analysis/workspaceIndex';
import { lineStarts, type Position, type Range } from '../../server/src/common/text';
import { codeActionsFor } from '../../server/src/features/codeActions';
import { codeLensesFor } from '../../server/src/features/codeLens';
import { hoverAt } from '../../server/src/features/hover';
import { runSimulation } from '../../server/src/features/simulateRequest';
import { mustParseProfile, type Profile } from '../../server/src/model';
import type { Rng } from './prng';

/** Target sets used in turn (product.md §3 spread: old/new versions, several arches). */
export const TARGET_SETS: readonly (readonly string[])[] = [
  ['5.11/x86_64', '6.1/s390', '6.12/arm64', '7.2/riscv64'],
  ['6.12/x86_64'],
  ['5.4/arm64', '6.6/powerpc64', '6.17/x86_64'],
];

export interface CheckOptions {
  /** analysisTimeBudgetMs given to the analysis. */
  budgetMs: number;
  /** Property: the whole input (analysis + features) finishes within this. */
  timeLimitMs: number;
  /** Size cap, as faultline.maxFileSize (the input check runs first, as in the server). */
  maxFileSize: number;
  root: string;
}

export interface CheckResult {
  failures: string[];
  ms: number;
  skipped?: string;
  partial?: string;
  findings: number;
  hovers: number;
  actions: number;
  simulations: number;
}

let profileCache: Profile[][] | undefined;
function profileSets(): Profile[][] {
  profileCache ??= TARGET_SETS.map((set) => set.map((t) => mustParseProfile(t)));
  return profileCache;
}

class Doc {
  readonly starts: number[];
  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }
  get lines(): number {
    return this.starts.length;
  }
  /** Length of `line` in UTF-16 units, without its `\n`. */
  lineLength(line: number): number {
    const start = this.starts[line]!;
    const next = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return next - start;
  }
  validPosition(p: Position): boolean {
    return Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < this.lines && p.character >= 0 && p.character <= this.lineLength(p.line);
  }
  validRange(r: Range): boolean {
    if (!r || !this.validPosition(r.start) || !this.validPosition(r.end)) return false;
    return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  }
  randomPosition(rng: Rng): Position {
    const line = rng.int(this.lines);
    return { line, character: rng.int(this.lineLength(line) + 1) };
  }
  pastEnd(rng: Rng): Position {
    const op = rng.int(3);
    if (op === 0) return { line: this.lines + rng.int(1000), character: rng.int(100) };
    const line = rng.int(this.lines);
    return { line, character: this.lineLength(line) + 1 + rng.int(10_000) };
  }
}

function describe(r: Range | undefined): string {
  return r ? `${r.start?.line}:${r.start?.character}-${r.end?.line}:${r.end?.character}` : String(r);
}

function errText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message).split('\n').slice(0, 4).join(' | ') : String(err);
}

/** Runs one input through the pipeline and returns the property violations (empty: passed). */
export function checkInput(name: string, text: string, rng: Rng, options: CheckOptions, targetSet = 0): CheckResult {
  const failures: string[] = [];
  const result: CheckResult = { failures, ms: 0, findings: 0, hovers: 0, actions: 0, simulations: 0 };
  const t0 = performance.now();
  const stage = <T>(what: string, f: () => T): T | undefined => {
    try {
      return f();
    } catch (err) {
      failures.push(`${what} threw: ${errText(err)}`);
      return undefined;
    }
  };
  const verdict = stage('input check', () => checkText(text, options.maxFileSize));
  if (verdict && !verdict.ok) {
    result.skipped = verdict.reason;
    result.ms = performance.now() - t0;
    return result;
  }
  const doc = new Doc(text);
  const profiles = profileSets()[targetSet % profileSets().length]!;
  const analysis: DocumentAnalysis | undefined = stage('analysis', () => analyzeText(name, text, { profiles, timeBudgetMs: options.budgetMs }));
  if (!analysis) {
    result.ms = performance.now() - t0;
    return result;
  }
  if (analysis.partial) result.partial = analysis.partial;
  result.findings = analysis.findings.length;
  for (const f of analysis.findings) {
    if (!doc.validRange(f.range)) failures.push(`finding ${f.rule} has an invalid range ${describe(f.range)} (${doc.lines} lines)`);
    for (const rel of f.related ?? []) {
      if (rel.file === undefined && !doc.validRange(rel.range)) failures.push(`finding ${f.rule} has an invalid related range ${describe(rel.range)}`);
    }
    if (!f.targets.length) failures.push(`finding ${f.rule} names no target`);
  }
  const workspace = new WorkspaceIndex().viewExcluding(name);

  // Hovers: random valid positions, positions on findings, positions past the end.
  const positions: Position[] = [];
  for (let i = 0; i < 4; i++) positions.push(doc.randomPosition(rng));
  for (const f of analysis.findings.slice(0, 3)) positions.push(f.range.start);
  for (const s of analysis.facts.insertionSites.slice(0, 2)) positions.push(s.calleeRange.start);
  positions.push(doc.pastEnd(rng), doc.pastEnd(rng));
  for (const p of positions) {
    const h = stage(`hover at ${p.line}:${p.character}`, () => hoverAt(analysis, text, p));
    result.hovers++;
    if (h && !doc.validRange(h.range)) failures.push(`hover at ${p.line}:${p.character} has an invalid range ${describe(h.range)}`);
    if (h && typeof h.markdown !== 'string') failures.push(`hover at ${p.line}:${p.character} has no markdown`);
  }

  // Code actions over random ranges (some reversed or past the end) and over each finding.
  const ranges: Range[] = [];
  for (let i = 0; i < 2; i++) {
    const a = doc.randomPosition(rng);
    const b = doc.randomPosition(rng);
    ranges.push({ start: a, end: b });
  }
  ranges.push({ start: doc.randomPosition(rng), end: doc.pastEnd(rng) });
  for (const f of analysis.findings.slice(0, 4)) ranges.push(f.range);
  for (const r of ranges) {
    const actions = stage(`code actions over ${describe(r)}`, () => codeActionsFor(analysis, text, r, options.root)) ?? [];
    result.actions += actions.length;
    for (const a of actions) {
      for (const e of a.edits) if (!doc.validRange(e.range)) failures.push(`code action "${a.title}" edits an invalid range ${describe(e.range)}`);
      if (a.findingRange && !doc.validRange(a.findingRange)) failures.push(`code action "${a.title}" has an invalid finding range`);
    }
  }

  // Code lenses, then a simulation per handler lens and one at a random position.
  const lenses = stage('code lenses', () => codeLensesFor(analysis)) ?? [];
  for (const l of lenses) if (!doc.validRange(l.range)) failures.push(`code lens "${l.title}" has an invalid range ${describe(l.range)}`);
  const uri = `file:///fuzz/${encodeURIComponent(name)}`;
  const sims: { handler?: string; position?: Position; mode?: 'trace' | 'matrix' }[] = [];
  for (const l of lenses.slice(0, 4)) {
    const handler = (l.arguments[0] as { handler?: string } | undefined)?.handler;
    if (handler) sims.push({ handler, ...(rng.chance(0.2) ? { mode: 'matrix' as const } : {}) });
  }
  sims.push({ position: doc.randomPosition(rng) });
  for (const s of sims) {
    const r = stage(`simulation ${JSON.stringify(s)}`, () => runSimulation(analysis, text, { textDocument: { uri }, ...s }, workspace));
    result.simulations++;
    if (r) stage(`simulation ${JSON.stringify(s)} result serialisation`, () => JSON.stringify(r));
  }

  result.ms = performance.now() - t0;
  if (result.ms > options.timeLimitMs) failures.push(`took ${Math.round(result.ms)} ms, above the ${options.timeLimitMs} ms bound`);
  return result;
}
