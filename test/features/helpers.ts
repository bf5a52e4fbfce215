// Shared helpers for the feature tests: fixtures, analysis, hand-made findings that follow the
// rules' range contract, and applying LSP text edits.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText, type DocumentAnalysis } from '../../server/src/analysis/documentAnalysis';
import { countParseErrors, parseC } from '../../server/src/parsing/parser';
import { lineStarts, offsetAt, type Range } from '../../server/src/common/text';
import type { TextEditFact } from '../../server/src/features/types';
import { mustParseProfile } from '../../server/src/model';
import { ALL_RULES } from '../../server/src/rules';
import type { Finding } from '../../server/src/rules/types';

export const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'features');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The text each analysis was made from (assertFixedEndToEnd compares syntax errors). */
const analyzedText = new WeakMap<DocumentAnalysis, string>();

export function analyze(text: string, targets: string[] = ['6.12/x86_64', '6.12/arm64'], file = 'demo.c'): DocumentAnalysis {
  const a = analyzeText(file, text, { profiles: targets.map(mustParseProfile) });
  analyzedText.set(a, text);
  return a;
}

/** Applies LSP edits (all relative to the original text), last first; asserts they do not overlap. */
export function applyEdits(text: string, edits: readonly TextEditFact[]): string {
  const starts = lineStarts(text);
  const abs = edits.map((e) => ({ from: offsetAt(starts, text.length, e.range.start), to: offsetAt(starts, text.length, e.range.end), text: e.newText }));
  abs.sort((a, b) => b.from - a.from || b.to - a.to);
  for (let i = 1; i < abs.length; i++) assert.ok(abs[i]!.to <= abs[i - 1]!.from, 'edits overlap');
  let out = text;
  for (const e of abs) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

export const rulesLanded = (): boolean => ALL_RULES.length > 0;

/** The real finding when the rules produce it, else a hand-made one with the contract's range. */
export function findingFor(analysis: DocumentAnalysis, rule: string, range: Range, data?: Record<string, unknown>): Finding {
  const real = analysis.findings.find((f) => f.rule === rule && JSON.stringify(f.range) === JSON.stringify(range));
  if (real) return real;
  const f: Finding = { rule, severity: 'warning', range, message: `${rule} (hand-made for the test)`, targets: analysis.profiles.map((p) => p.id) };
  if (data) f.data = data;
  return f;
}

/** Line (0-based) of the first line containing `needle` (after `from`). */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i;
  throw new Error(`no line contains ${needle}`);
}

export function rangeOfText(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`not found: ${needle}`);
  const starts = lineStarts(text);
  const pos = (o: number) => {
    let l = 0;
    while (l + 1 < starts.length && starts[l + 1]! <= o) l++;
    return { line: l, character: o - starts[l]! };
  };
  return { start: pos(at), end: pos(at + needle.length) };
}

/**
 * End to end once the rules exist: the rule no longer fires on the fixed text (`stillThere`
 * decides which remaining findings would be the same one), and no new error-severity finding
 * appears. Without rules it checks only that the fixed text parses no worse.
 */
export function assertFixedEndToEnd(before: DocumentAnalysis, afterText: string, rule: string, stillThere: (f: Finding, after: DocumentAnalysis) => boolean, targets?: string[]): DocumentAnalysis {
  const after = analyze(afterText, targets ?? before.profiles.map((p) => p.id), before.file);
  const beforeText = analyzedText.get(before);
  assert.ok(beforeText !== undefined, 'assertFixedEndToEnd: `before` must come from analyze()');
  const [was, now] = [countParseErrors(parseC(beforeText)), countParseErrors(parseC(afterText))];
  assert.ok(now <= was, `syntax errors went from ${was} to ${now}`);
  assert.deepEqual(after.facts.problems, []);
  if (rulesLanded()) {
    assert.equal(after.findings.filter((f) => f.rule === rule && stillThere(f, after)).length, 0, `${rule} still fires: ${JSON.stringify(after.findings.filter((f) => f.rule === rule))}`);
    const key = (f: Finding) => `${f.rule}|${f.message.replace(/\(.*\)$/, '')}`;
    const old = new Set(before.findings.filter((f) => f.severity === 'error').map(key));
    const fresh = after.findings.filter((f) => f.severity === 'error' && !old.has(key(f)));
    assert.deepEqual(fresh.map((f) => `${f.rule}: ${f.message}`), [], 'the fix introduced new errors');
  }
  return after;
}

/** The finding sits on the nth insertion site of `api` (the contract range for site rules). */
export const atSite = (api: string, nth = 0) => (f: Finding, after: DocumentAnalysis): boolean => {
  const s = after.facts.insertionSites.filter((x) => x.api === api)[nth];
  return !!s && (JSON.stringify(s.range) === JSON.stringify(f.range) || JSON.stringify(s.calleeRange) === JSON.stringify(f.range));
};

/** The finding lies inside function `name`. */
export const inFunction = (name: string) => (f: Finding, after: DocumentAnalysis): boolean => {
  const fn = after.facts.functions.find((x) => x.name === name);
  return !!fn && fn.range.start.line <= f.range.start.line && f.range.end.line <= fn.range.end.line;
};
