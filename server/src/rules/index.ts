// The rule catalogue (product.md §4). Ids are stable and never reused.

import type { Rule } from './engine';

export const ALL_RULES: readonly Rule[] = [];

/**
 * Byte strings at least one of which appears in any file a rule can report on. The CLI skips
 * files without them before parsing, so this list must cover every rule's inputs.
 */
export const TRIGGER_WORDS: readonly string[] = [
  'vmf_insert_',
  'remap_pfn_range',
  'vm_operations_struct',
  'huge_fault',
  'vm_flags',
  'pfn_t',
  'insert_pfn',
];
