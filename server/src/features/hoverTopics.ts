// Hovers on the MM vocabulary itself (insertion calls, handlers, VM_FAULT_*, PFN_*, VM_* flags):
// owned by the rules/hover work. Returns undefined where it has nothing to say.

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { Position } from '../common/text';
import type { HoverFact } from './types';

export function topicHoverAt(_analysis: DocumentAnalysis, _text: string, _position: Position): HoverFact | undefined {
  return undefined;
}
