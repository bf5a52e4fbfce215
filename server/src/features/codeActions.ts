// Code actions for the findings in a range: each rule's own fixes (features/quickFixes), a
// suppression comment, and a link to the rule's page.

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { Range } from '../common/text';
import { quickFixesFor } from './quickFixes';
import { ruleDocPath } from './ruleDocs';
import type { CodeActionFact } from './types';
import { COMMANDS } from '../protocol/customMessages';

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function lineIndent(text: string, line: number): string {
  let start = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return '';
    start = nl + 1;
  }
  return /^[ \t]*/.exec(text.slice(start, start + 200))?.[0] ?? '';
}

export function codeActionsFor(analysis: DocumentAnalysis, text: string, range: Range, root: string): CodeActionFact[] {
  const out: CodeActionFact[] = [];
  const findings = analysis.findings.filter((f) => overlaps(f.range, range));
  for (const f of findings) {
    out.push(...quickFixesFor(f, analysis, text));
  }
  const seen = new Set<string>();
  for (const f of findings) {
    const key = `${f.rule}:${f.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const line = f.range.start.line;
    out.push({
      title: `Suppress ${f.rule} on this line (faultline-disable-next-line)`,
      kind: 'quickfix',
      rule: f.rule,
      findingRange: f.range,
      edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${lineIndent(text, line)}/* faultline-disable-next-line ${f.rule}: reason */\n` }],
    });
    out.push({
      title: `Open documentation for ${f.rule}`,
      kind: 'quickfix',
      rule: f.rule,
      findingRange: f.range,
      edits: [],
      command: { title: `Open ${f.rule}`, command: COMMANDS.openRuleDoc, arguments: [ruleDocPath(f.rule, root)] },
    });
  }
  return out;
}
