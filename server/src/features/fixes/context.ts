// What every fix receives: the finding, the analysis it came from and the document text.

import type { DocumentAnalysis } from '../../analysis/documentAnalysis';
import type { Finding } from '../../rules/types';
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
