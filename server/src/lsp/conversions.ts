// Plain analysis data → LSP protocol objects. The only place findings meet LSP types.

import {
  CodeAction,
  CodeActionKind,
  Diagnostic,
  DiagnosticSeverity,
  type Range as LspRange,
} from 'vscode-languageserver/node';
import type { Range } from '../common/text';
import type { CodeActionFact } from '../features/types';
import type { Finding, Severity } from '../rules/types';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspRange(r: Range): LspRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

export function toDiagnostic(f: Finding, uri: string, fileToUri: (file: string) => string, ruleDocHref: (rule: string) => string): Diagnostic {
  const d: Diagnostic = {
    range: toLspRange(f.range),
    severity: SEVERITY[f.severity],
    source: 'faultline',
    code: f.rule,
    codeDescription: { href: ruleDocHref(f.rule) },
    message: `${f.message} [${f.rule}]`,
    data: { rule: f.rule, targets: f.targets },
  };
  if (f.related && f.related.length > 0) {
    d.relatedInformation = f.related.map((r) => ({
      location: { uri: r.file ? fileToUri(r.file) : uri, range: toLspRange(r.range) },
      message: r.message,
    }));
  }
  return d;
}

export function toCodeAction(fact: CodeActionFact, uri: string, diagnostics: Diagnostic[]): CodeAction {
  const kind = fact.kind === 'quickfix' ? CodeActionKind.QuickFix : fact.kind === 'source' ? CodeActionKind.Source : CodeActionKind.RefactorRewrite;
  const action: CodeAction = { title: fact.title, kind };
  if (fact.edits.length > 0) action.edit = { changes: { [uri]: fact.edits.map((e) => ({ range: toLspRange(e.range), newText: e.newText })) } };
  if (fact.command) action.command = fact.command;
  if (fact.isPreferred) action.isPreferred = true;
  if (fact.rule && fact.findingRange) {
    const fr = fact.findingRange;
    const attached = diagnostics.filter(
      (d) => d.code === fact.rule && d.range.start.line === fr.start.line && d.range.start.character === fr.start.character,
    );
    if (attached.length > 0) action.diagnostics = attached;
  }
  return action;
}
