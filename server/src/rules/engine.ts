// Runs every rule under every target profile and merges the per-profile results: a finding that
// holds under several profiles is reported once, listing them. Also applies per-rule severity
// settings and `faultline-disable-next-line` suppressions.

import type { Range } from '../common/text';
import type { FileFacts } from '../extraction';
import type { Profile } from '../model';
import { suppressedLines } from './suppression';
import type { Finding, RelatedLocation, RuleMeta, Severity, SeveritySetting } from './types';
import type { WorkspaceLookup } from './workspaceLookup';
import type { Deadline } from '../common/deadline';

export interface RuleContext {
  file: string;
  text: string;
  facts: FileFacts;
  /** Every profile being evaluated (portability rules look across them). */
  profiles: readonly Profile[];
  /** Cross-file knowledge (helpers, mmap handlers in other files); absent in single-file runs. */
  workspace?: WorkspaceLookup;
}

/** A rule's answer for one profile; the engine adds severity settings, targets and merging. */
export interface RuleHit {
  range: Range;
  /** Profile-independent sentence; the engine appends the profiles it holds under. */
  message: string;
  severity?: Severity;
  related?: RelatedLocation[];
  explanation?: string;
  data?: Record<string, unknown>;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext, profile: Profile): RuleHit[];
}

export interface EngineOptions {
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Time budget: once spent, the remaining rule × profile checks are skipped (partial findings). */
  deadline?: Deadline;
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

export function runRules(rules: readonly Rule[], ctx: RuleContext, options: EngineOptions = {}): Finding[] {
  const suppressed = suppressedLines(ctx.text);
  const merged = new Map<string, Finding & { explanations: Map<string, string> }>();
  for (const rule of rules) {
    const configured = options.severities?.[rule.id] ?? rule.defaultSeverity;
    if (configured === 'off') continue;
    for (const profile of ctx.profiles) {
      if (options.deadline?.expired('rules')) break;
      let hits: RuleHit[];
      try {
        hits = rule.check(ctx, profile);
      } catch (err) {
        // A rule bug must not take the other rules (or the server) down with it.
        hits = [];
        process.emitWarning?.(`Faultline rule ${rule.id} failed on ${ctx.file} (${profile.id}): ${(err as Error).message}`);
      }
      for (const hit of hits) {
        const rules = suppressed.get(hit.range.start.line);
        if (rules && (rules.has(rule.id) || rules.has('*'))) continue;
        const key = `${rule.id}|${rangeKey(hit.range)}|${hit.message}`;
        let finding = merged.get(key);
        if (!finding) {
          const severity: Severity = options.severities?.[rule.id] !== undefined ? (configured as Severity) : (hit.severity ?? (configured as Severity));
          finding = { rule: rule.id, severity, range: hit.range, message: hit.message, targets: [], explanations: new Map() };
          if (hit.related) finding.related = hit.related;
          if (hit.data) finding.data = hit.data;
          merged.set(key, finding);
        }
        finding.targets.push(profile.id);
        if (hit.explanation) finding.explanations.set(hit.explanation, profile.id);
      }
    }
  }
  const out: Finding[] = [];
  for (const f of merged.values()) {
    const { explanations, ...finding } = f;
    finding.message = `${finding.message} (${finding.targets.join(', ')})`;
    if (explanations.size > 0) finding.explanation = [...explanations.keys()].join('\n\n');
    out.push(finding);
  }
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.rule.localeCompare(b.rule));
  return out;
}
