// What a rule produces. Plain data: no LSP or VS Code types, so the CLI, the language server and
// the tests all consume the same findings.

import type { Range } from '../common/text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface RelatedLocation {
  /** Absent means the same file as the finding. */
  file?: string;
  range: Range;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  range: Range;
  /** One sentence in kernel vocabulary; the transports append the rule id. */
  message: string;
  /** Canonical `V/ARCH` ids of the profiles under which the finding holds. */
  targets: string[];
  related?: RelatedLocation[];
  /** Markdown with the reasoning and citations, for hovers and rule pages. */
  explanation?: string;
  /** Opaque data a code action can use to build its fix (kept JSON-serialisable). */
  data?: Record<string, unknown>;
}

export interface RuleMeta {
  id: string;
  name: string;
  defaultSeverity: SeveritySetting;
  summary: string;
}
