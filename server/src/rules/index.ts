// The rule catalogue (product.md §4). Ids are stable and never reused.

import type { Rule } from './engine';
import { apiInfo, knownApis, symbolInfo, vmFlagsWrite, type Profile } from '../model';
import type { Trigger } from '../analysis/prefilter';
import { HUGE_APIS } from '../extraction/insertionSites';
import { FL001 } from './FL001-gupFastTreatsAsThp';
import { FL002 } from './FL002-archGuardMissing';
import { FL003 } from './FL003-slowGupWalksMixedmap';
import { FL004 } from './FL004-insertBugOn';
import { FL005 } from './FL005-hugeRangeUnchecked';
import { FL006 } from './FL006-pfnAlignmentUnchecked';
import { FL007 } from './FL007-noFallback';
import { FL008 } from './FL008-hugeFaultSignature';
import { FL009, SYMBOLS as FL009_SYMBOLS } from './FL009-apiNotInVersion';
import { FL010 } from './FL010-hugeFaultUnreachable';
import { FL011 } from './FL011-pudConfigGuardMissing';
import { FL012 } from './FL012-refcountedMemoryAsPfn';

export const ALL_RULES: readonly Rule[] = [FL001, FL002, FL003, FL004, FL005, FL006, FL007, FL008, FL009, FL010, FL011, FL012];

/**
 * The round-1, profile-independent word list (superseded by ruleTriggers below, which the scanners
 * use; kept as a broad list for the matcher tests and external users). Byte strings at least one of
 * which appears in any file a rule can report on.
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

/**
 * The byte patterns that can make some rule fire on a file, for these profiles (docs/benchmarks.md,
 * "Prefilter"). A file containing none of them gets no finding from any rule, whatever the other
 * files say; `undefined` profiles (per-file defaults) means every profile.
 * - FL001–FL007, FL011, FL012 report only at huge insertion sites: a call whose API the extractor
 *   records at PMD or PUD level (`HUGE_APIS`: vmf_insert_pfn_pmd/pud[_prot], vmf_insert_folio_pmd/pud;
 *   liveHugeSite / userSite / FL011's `level === 'pud'`), or a same-file wrapper of one (whose body
 *   contains the call). PTE-level and range calls (vmf_insert_pfn, vmf_insert_mixed,
 *   remap_pfn_range, …) are facts too, but no rule reports on them; a file whose only insertion
 *   calls are those cannot get a finding (test/fixtures/rules/pte_and_range_sites.c);
 * - FL008, FL010: a `.huge_fault` member of an ops table;
 * - FL009: whole-word API / symbol names that some profile lacks (from the model, not a hand list),
 *   and `->vm_flags <op>=` when some profile has the accessors (≥ 6.3).
 * Cross-file input is a separate tier, see INDEX_TRIGGERS.
 */
export function ruleTriggers(profiles?: readonly Profile[]): Trigger[] {
  const out: Trigger[] = [{ word: 'huge_fault' }];
  // Shortest first: vmf_insert_pfn_pmd covers vmf_insert_pfn_pmd_prot.
  for (const api of [...HUGE_APIS].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))) {
    if (!out.some((t) => api.includes(t.word))) out.push({ word: api });
  }
  const names = [...new Set([...FL009_SYMBOLS, ...knownApis()])];
  const missing = (p: Profile, n: string): boolean => {
    try {
      const a = apiInfo(p, n);
      if (a) return !a.exists;
      const s = symbolInfo(p, n);
      return !!s && !s.exists;
    } catch {
      return true; // a version the tables do not cover: keep the word
    }
  };
  for (const n of names) {
    if (out.some((t) => !t.wholeWord && n.includes(t.word))) continue;
    if (!profiles || profiles.some((p) => missing(p, n))) out.push({ word: n, wholeWord: true });
  }
  if (!profiles || profiles.some((p) => vmFlagsWrite(p).value === 'accessors')) out.push({ word: 'vm_flags', memberWrite: true });
  return out;
}

/**
 * Second tier: files the rules read only through the workspace index (rules/workspaceLookup.ts:
 * `filesInstallingOps`, i.e. an mmap path doing `vma->vm_ops = &table`). The CLI indexes such a
 * file only when it names an ops table some first-tier file asks about (analysis/batch.ts).
 */
export const INDEX_TRIGGERS: readonly Trigger[] = [{ word: 'vm_ops' }];

/**
 * The language server's workspace index: files any rule may fire on, files that install ops
 * tables, and every file with an insertion call of any level. The last are there for the call
 * graph, not for the rules: simulate follows a fault path into helpers defined in other files
 * (WorkspaceLookup.fileDefining), and a helper that maps at PTE level or with remap_pfn_range is
 * part of that path.
 */
export function workspaceIndexTriggers(): Trigger[] {
  return [...ruleTriggers(), { word: 'vmf_insert_' }, { word: 'remap_pfn_range' }, ...INDEX_TRIGGERS];
}
