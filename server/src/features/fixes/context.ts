// What every fix receives: the finding, the analysis it came from and the document text.

import type { DocumentAnalysis } from '../../analysis/documentAnalysis';
import type { InsertionSite } from '../../extraction';
import type { Finding } from '../../rules/types';
import { siteForRange } from '../hover/context';
import { Lines } from './text';

export interface FixContext {
  finding: Finding;
  analysis: DocumentAnalysis;
  text: string;
  lines: Lines;
}

export function fixContext(finding: Finding, analysis: DocumentAnalysis, text: string): FixContext {
  return { finding, analysis, text, lines: new Lines(text) };
}

export function dataString(f: Finding, key: string): string | undefined {
  const v = f.data?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** The huge (PMD/PUD) insertion site a finding is about, with the level the rule reported. */
export function hugeSiteOf(ctx: FixContext): { site: InsertionSite; index: number; level: 'pmd' | 'pud' } | undefined {
  const found = siteForRange(ctx.analysis.facts, ctx.finding.range, ctx.finding.data?.['site']);
  if (!found) return undefined;
  const level = (ctx.finding.data?.['level'] as string | undefined) ?? found.site.level;
  if (level !== 'pmd' && level !== 'pud') return undefined;
  return { ...found, level };
}
