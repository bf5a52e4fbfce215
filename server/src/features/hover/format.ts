// Markdown helpers for the vocabulary hovers: cited step bullets (uncertain ones marked), grouping
// of identical per-target answers, and the overall line budget.

import { formatCitation, type Profile, type Step } from '../../model';

export const MAX_LINES = 40;

export function stepLine(s: Step): string {
  const where = s.citation ? ` — \`${formatCitation(s.citation)}\`` : '';
  const mark = s.confidence === 'uncertain' ? ' *(uncertain)*' : '';
  return `- ${s.text}${where}${mark}`;
}

/** Picks the steps worth showing: every uncertain or build-breaking one, then the last `n` cited ones, in order, without duplicates. */
export function keySteps(steps: readonly Step[], n: number): Step[] {
  const picked = new Set<Step>();
  for (const s of steps) if (s.confidence === 'uncertain' || /does not build|not declared/.test(s.text)) picked.add(s);
  const cited = steps.filter((s) => s.citation && !picked.has(s));
  for (const s of cited.slice(Math.max(0, cited.length - n))) picked.add(s);
  const seen = new Set<string>();
  return steps.filter((s) => {
    if (!picked.has(s) || seen.has(s.text)) return false;
    seen.add(s.text);
    return true;
  });
}

export interface TargetBlock {
  /** Markdown for one target, without naming it. First line is the summary. */
  lines: string[];
}

/** Groups targets whose blocks are identical; renders `**t1, t2** — summary` then the details. */
export function groupByTarget(profiles: readonly Profile[], block: (p: Profile) => TargetBlock): string[][] {
  const groups = new Map<string, { ids: string[]; lines: string[] }>();
  for (const p of profiles) {
    const b = block(p);
    const key = b.lines.join('\n');
    const g = groups.get(key);
    if (g) g.ids.push(p.id);
    else groups.set(key, { ids: [p.id], lines: b.lines });
  }
  return [...groups.values()].map((g) => {
    const [first, ...rest] = g.lines;
    return [`**${g.ids.join(', ')}** — ${first ?? ''}`, ...rest];
  });
}

/** Joins sections and groups, trimming details (never summaries) to stay within MAX_LINES. */
export function assemble(head: string[], groups: string[][], tail: string[] = []): string {
  const budget = MAX_LINES - head.length - tail.length - 1;
  const summaries = groups.length;
  let detailBudget = Math.max(0, budget - 2 * summaries);
  const out = [...head, ''];
  let shown = 0;
  for (const g of groups) {
    if (out.length >= MAX_LINES - tail.length - 1) break;
    out.push(g[0]!);
    shown++;
    for (const l of g.slice(1)) {
      if (detailBudget <= 0) break;
      out.push(l);
      detailBudget--;
    }
    out.push('');
  }
  if (shown < groups.length) out.push(`*… ${groups.length - shown} more target group(s) not shown.*`, '');
  out.push(...tail);
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

export function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}
