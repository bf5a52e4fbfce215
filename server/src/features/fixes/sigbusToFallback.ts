// FL007: a huge path that gives up with VM_FAULT_SIGBUS should return VM_FAULT_FALLBACK so the
// core retries at the next smaller level. Replaces the code inside the reported return statement.

import type { CodeActionFact, TextEditFact } from '../types';
import type { FixContext } from './context';
import { identifierOffsets } from './text';

export function sigbusToFallbackFixes(ctx: FixContext): CodeActionFact[] {
  const { finding, lines } = ctx;
  const from = lines.offset(finding.range.start);
  const to = lines.offset(finding.range.end);
  const edits: TextEditFact[] = identifierOffsets(lines.text, 'VM_FAULT_SIGBUS', from, to).map((o) => ({
    range: { start: lines.position(o), end: lines.position(o + 'VM_FAULT_SIGBUS'.length) },
    newText: 'VM_FAULT_FALLBACK',
  }));
  if (!edits.length) return [];
  return [{ title: 'Return VM_FAULT_FALLBACK instead of VM_FAULT_SIGBUS (retry at the next smaller level)', kind: 'quickfix', rule: finding.rule, findingRange: finding.range, edits, isPreferred: true }];
}
