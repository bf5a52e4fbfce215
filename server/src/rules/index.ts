// The rule catalogue (product.md §4). Ids are stable and never reused.

import type { Rule } from './engine';
import { FL001 } from './FL001-gupFastTreatsAsThp';
import { FL002 } from './FL002-archGuardMissing';
import { FL003 } from './FL003-slowGupWalksMixedmap';
import { FL004 } from './FL004-insertBugOn';
import { FL005 } from './FL005-hugeRangeUnchecked';
import { FL006 } from './FL006-pfnAlignmentUnchecked';
import { FL007 } from './FL007-noFallback';
import { FL008 } from './FL008-hugeFaultSignature';
import { FL009 } from './FL009-apiNotInVersion';
import { FL010 } from './FL010-hugeFaultUnreachable';
import { FL011 } from './FL011-pudConfigGuardMissing';
import { FL012 } from './FL012-refcountedMemoryAsPfn';

export const ALL_RULES: readonly Rule[] = [FL001, FL002, FL003, FL004, FL005, FL006, FL007, FL008, FL009, FL010, FL011, FL012];

/**
 * Byte strings at least one of which appears in any file a rule can report on. The CLI skips
 * files without them before parsing, so this list must cover every rule's inputs.
 * (FL001–FL007, FL011, FL012: insertion calls; FL008/FL010: huge_fault; FL009: the API names,
 * pfn_t/PFN_* (all contain "pfn_t" or "PFN_"), page_entry_size/PE_SIZE_, vm_flags accessors.)
 */
export const TRIGGER_WORDS: readonly string[] = [
  'vmf_insert_',
  'remap_pfn_range',
  'vm_operations_struct',
  'huge_fault',
  'vm_flags',
  'pfn_t',
  'PFN_DEV',
  'PFN_MAP',
  'PFN_SPECIAL',
  'page_entry_size',
  'PE_SIZE_',
  'insert_pfn',
  'follow_pfnmap',
  'VM_ALLOW_ANY_UNCACHED',
];
