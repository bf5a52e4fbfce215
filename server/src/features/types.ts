// Editor features as plain data. The LSP transport turns these into protocol objects; the CLI
// and tests use them directly.

import type { Range } from '../common/text';

export interface TextEditFact {
  range: Range;
  newText: string;
}

export interface CodeActionFact {
  title: string;
  kind: 'quickfix' | 'refactor.rewrite' | 'source';
  /** The rule whose finding this fixes, if any. */
  rule?: string;
  /** Range of the finding it fixes (to attach the LSP diagnostic). */
  findingRange?: Range;
  edits: TextEditFact[];
  isPreferred?: boolean;
  /** A command instead of (or after) the edits, e.g. opening a rule page. */
  command?: { title: string; command: string; arguments: unknown[] };
}

export interface HoverFact {
  markdown: string;
  range: Range;
}

export interface CodeLensFact {
  range: Range;
  title: string;
  command: string;
  arguments: unknown[];
}
