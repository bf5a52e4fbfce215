// Rule-specific quick fixes, one file each under fixes/: wrap an unguarded huge insertion in
// #ifdef (FL001/FL002/FL011), SIGBUS → FALLBACK (FL007), COW rejection in the mmap handler
// (FL004), range and pfn-alignment checks before the insertion (FL005/FL006), the ->huge_fault
// parameter (FL008, and FL009 on page_entry_size / PE_SIZE_*), `_prot` → plain API (FL009).
// Each returns concrete text edits and locates its facts from the finding's rule and range
// (finding.data is only a hint). The suppression comment and the rule-doc link are added by
// codeActions.ts for every finding.

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { Finding } from '../rules/types';
import { archGuardFixes } from './fixes/archGuard';
import { fixContext, type FixContext } from './fixes/context';
import { cowRejectionFixes } from './fixes/cowRejection';
import { dropProtFixes } from './fixes/dropProt';
import { hugeFaultSignatureFixes, pageEntrySizeFixes } from './fixes/hugeFaultSignature';
import { pfnAlignmentFixes } from './fixes/pfnAlignment';
import { rangeCheckFixes } from './fixes/rangeCheck';
import { sigbusToFallbackFixes } from './fixes/sigbusToFallback';
import type { CodeActionFact } from './types';

const FIXES: Record<string, (ctx: FixContext) => CodeActionFact[]> = {
  FL001: archGuardFixes,
  FL002: archGuardFixes,
  FL004: cowRejectionFixes,
  FL005: rangeCheckFixes,
  FL006: pfnAlignmentFixes,
  FL007: sigbusToFallbackFixes,
  FL008: hugeFaultSignatureFixes,
  FL009: (ctx) => [...dropProtFixes(ctx), ...pageEntrySizeFixes(ctx)],
  FL011: archGuardFixes,
};

export function quickFixesFor(finding: Finding, analysis: DocumentAnalysis, text: string): CodeActionFact[] {
  const fix = FIXES[finding.rule];
  if (!fix) return [];
  try {
    return fix(fixContext(finding, analysis, text));
  } catch (err) {
    // A fix bug must never break the code-action request.
    process.emitWarning?.(`Faultline quick fix for ${finding.rule} failed: ${(err as Error).message}`);
    return [];
  }
}
