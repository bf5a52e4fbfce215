// `▶ Simulate fault path` above every function named as a fault handler in a
// vm_operations_struct of this file.

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { CodeLensFact } from './types';

const HANDLER_FIELDS = new Set(['fault', 'huge_fault', 'pfn_mkwrite', 'page_mkwrite']);

export function codeLensesFor(analysis: DocumentAnalysis): CodeLensFact[] {
  const handlers = new Map<string, string[]>();
  for (const table of analysis.facts.vmOpsTables) {
    for (const m of table.members) {
      if (!HANDLER_FIELDS.has(m.field) || !m.value) continue;
      handlers.set(m.value, [...(handlers.get(m.value) ?? []), `.${m.field}`]);
    }
  }
  for (const a of analysis.facts.vmOpsAssignments) {
    if (HANDLER_FIELDS.has(a.field) && a.value) handlers.set(a.value, [...(handlers.get(a.value) ?? []), `.${a.field}`]);
  }
  const out: CodeLensFact[] = [];
  for (const fn of analysis.facts.functions) {
    if (!handlers.has(fn.name)) continue;
    out.push({
      range: { start: fn.range.start, end: fn.range.start },
      title: '▶ Simulate fault path',
      command: 'faultline.simulate',
      arguments: [{ handler: fn.name }],
    });
  }
  return out;
}
