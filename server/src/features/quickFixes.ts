// Rule-specific fixes (wrap in #ifdef, SIGBUS → FALLBACK, COW rejection, checks): owned by the
// rules work. Each returns concrete text edits.

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { Finding } from '../rules/types';
import type { CodeActionFact } from './types';

export function quickFixesFor(_finding: Finding, _analysis: DocumentAnalysis, _text: string): CodeActionFact[] {
  return [];
}
