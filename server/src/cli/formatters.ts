// Output formats of `faultline check`: gcc-style text, a stable JSON document and SARIF 2.1.0.
// Positions are 1-based in every format (editors and CI systems expect that).

import { projectVersion } from '../common/projectRoot';
import { ALL_RULES } from '../rules';
import type { Finding, Severity } from '../rules/types';

export interface FileFindings {
  file: string;
  findings: Finding[];
}

const GCC_SEVERITY: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatText(files: readonly FileFindings[]): string {
  const lines: string[] = [];
  for (const { file, findings } of files) {
    for (const f of findings) {
      lines.push(`${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${GCC_SEVERITY[f.severity]}: ${f.message} [${f.rule}]`);
    }
  }
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  targets: string[];
}

export function toJsonFindings(files: readonly FileFindings[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const { file, findings } of files) {
    for (const f of findings) {
      out.push({
        file,
        line: f.range.start.line + 1,
        column: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        targets: f.targets,
      });
    }
  }
  return out;
}

export function formatJson(files: readonly FileFindings[]): string {
  return JSON.stringify({ version: 1, findings: toJsonFindings(files) }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(files: readonly FileFindings[], ruleDocBase: string): string {
  const rules = ALL_RULES.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.summary },
    helpUri: `${ruleDocBase}/${r.id}.md`,
    defaultConfiguration: { level: r.defaultSeverity === 'off' ? 'none' : SARIF_LEVEL[r.defaultSeverity] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = [];
  for (const { file, findings } of files) {
    for (const f of findings) {
      const result: Record<string, unknown> = {
        ruleId: f.rule,
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: file.split('\\').join('/') },
              region: {
                startLine: f.range.start.line + 1,
                startColumn: f.range.start.character + 1,
                endLine: f.range.end.line + 1,
                endColumn: f.range.end.character + 1,
              },
            },
          },
        ],
        properties: { targets: f.targets },
      };
      const idx = ruleIndex.get(f.rule);
      if (idx !== undefined) result['ruleIndex'] = idx;
      results.push(result);
    }
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'faultline', version: projectVersion(), informationUri: 'https://example.invalid/faultline', rules } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
