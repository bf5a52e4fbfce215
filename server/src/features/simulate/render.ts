// Plain-text rendering of a trace and of a matrix (the `.fltrace` format highlighted by
// syntaxes/faultline-trace.tmLanguage.json). Kept stable: golden tests compare it byte for byte.
//
//   Faultline fault-path simulation: <handler> @ <target>
//   Scenario: k=v, k=v, …
//
//     1. <where> — <text> [confidence unless verified]
//        ├─ <choice>: <VERDICT> — <summary> (via: …)
//        └─ <choice>: followed below
//
//   Verdict: <KIND> — <summary>

import * as path from 'node:path';
import type { MatrixCell, TraceFork, TraceStep, Verdict, VerdictKind } from './trace';

export function stepWhere(s: TraceStep): string {
  if (s.source) return `${path.basename(s.source.file)}:${s.source.line + 1}`;
  if (s.citation) return s.citation;
  return s.origin === 'model' ? 'model' : 'simulation';
}

export function scenarioLine(scenario: Record<string, string>): string {
  return `Scenario: ${Object.entries(scenario).map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

export function renderTrace(t: {
  handler: string;
  target: string;
  scenario: Record<string, string>;
  steps: TraceStep[];
  forks: TraceFork[];
  verdict: Verdict;
  otherVerdicts: VerdictKind[];
  truncated: boolean;
}): string {
  const lines: string[] = [];
  lines.push(`Faultline fault-path simulation: ${t.handler} @ ${t.target}`);
  lines.push(scenarioLine(t.scenario));
  lines.push('');
  const width = String(t.steps.length).length;
  for (const s of t.steps) {
    const conf = s.confidence === 'verified' ? '' : ` [${s.confidence}]`;
    lines.push(`  ${String(s.n).padStart(width)}. ${stepWhere(s)} — ${s.text}${conf}`);
    if (s.fork !== undefined) {
      const f = t.forks[s.fork];
      if (!f) continue;
      const pad = ' '.repeat(width + 4);
      f.alternatives.forEach((a, i) => {
        const branch = i === f.alternatives.length - 1 ? '└─' : '├─';
        let what: string;
        if (a.choice === f.taken) what = 'followed below';
        else if (a.unexplored || !a.verdict) what = 'not explored (path bound reached)';
        else what = `${a.verdict.kind} — ${a.verdict.summary}${a.path ? ` (via: ${a.path})` : ''}`;
        lines.push(`${pad}${branch} ${a.choice}: ${what}`);
      });
    }
  }
  lines.push('');
  if (t.otherVerdicts.length) lines.push(`Other outcomes behind forks: ${t.otherVerdicts.join(', ')}${t.truncated ? ' (exploration bounded)' : ''}`);
  else if (t.truncated) lines.push('Other outcomes behind forks: none found (exploration bounded)');
  lines.push(`Verdict: ${t.verdict.kind} — ${t.verdict.summary}`);
  return lines.join('\n') + '\n';
}

export function renderMatrix(m: {
  handler: string;
  scenario: Record<string, string>;
  targets: string[];
  levels: string[];
  backings: string[];
  cells: MatrixCell[];
}): string {
  const lines: string[] = [];
  lines.push(`Faultline fault-path matrix: ${m.handler} @ ${m.targets.join(', ')}`);
  lines.push(scenarioLine(m.scenario));
  for (const target of m.targets) {
    lines.push('');
    lines.push(`Target ${target} (rows: level tried first, columns: backing memory; * = other outcomes behind forks)`);
    const header = ['level', ...m.backings];
    const rows = m.levels.map((level) => [
      level,
      ...m.backings.map((b) => {
        const c = m.cells.find((x) => x.level === level && x.backing === b && x.target === target);
        return c ? `${c.verdict}${c.other.length ? '*' : ''}` : '-';
      }),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]): string => `  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
    lines.push(fmt(header));
    for (const r of rows) lines.push(fmt(r));
  }
  return lines.join('\n') + '\n';
}
