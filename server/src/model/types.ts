// Inputs and outputs shared by insertion, GUP and dispatch: what the extractor/simulator describes
// (pfn provenance, backing memory, VMA flags) and what the model says got installed.

import type { Step, Tri } from './citations';

/** How the inserted pfn was produced, as far as the extractor can tell. */
export type PfnKind =
  | { kind: 'pfn_t'; flags: string[] }
  | { kind: 'raw' }
  | { kind: 'folio' }
  | { kind: 'page' }
  | { kind: 'unknown' };

/**
 * What memory the pfn refers to.
 * iomem = no struct page; driver-pages = system RAM pages owned by the driver, not a THP;
 * dev-pagemap = ZONE_DEVICE memory with a dev_pagemap; folio = refcounted folio of the right order.
 */
export type Backing = 'iomem' | 'driver-pages' | 'dev-pagemap' | 'folio' | 'unknown';

export interface VmaFlags {
  pfnmap: Tri;
  mixedmap: Tri;
  io: Tri;
  /** is_cow_mapping(): private and may become writable (VM_MAYWRITE without VM_SHARED). */
  cowPossible: Tri;
  hugepage: Tri;
  /** VM_SHARED or VM_MAYSHARE. */
  shared: Tri;
  /** vma_is_dax(): fs-dax or device-dax file. */
  dax: Tri;
  /** vma_is_fsdax(): filesystem DAX (FOLL_LONGTERM is refused). Defaults to 'unknown' when dax is true. */
  fsdax?: Tri;
}

export type EntryLevel = 'pte' | 'pmd' | 'pud';

/** The page-table entry an insertion leaves behind, with the bits GUP looks at. */
export interface InstalledEntry {
  level: EntryLevel;
  /** The devmap bit is set (pXd_devmap). */
  devmap: Tri;
  /** The special bit is really set (pXd_special returns true). */
  special: Tri;
  /** The inserter took a reference on a folio/page (normal, rmap-accounted entry). */
  refcounted: Tri;
  backing: Backing;
  pfn: PfnKind;
}

export interface Check {
  condition: string;
  fires: Tri;
  steps: Step[];
}

/** Convenience: all-unknown VMA flags, to be overridden field by field. */
export function unknownVma(over: Partial<VmaFlags> = {}): VmaFlags {
  return { pfnmap: 'unknown', mixedmap: 'unknown', io: 'unknown', cowPossible: 'unknown', hugepage: 'unknown', shared: 'unknown', dax: 'unknown', ...over };
}

/** Convenience: a driver VMA with every flag false, to be overridden field by field. */
export function plainVma(over: Partial<VmaFlags> = {}): VmaFlags {
  return { pfnmap: false, mixedmap: false, io: false, cowPossible: false, hugepage: false, shared: false, dax: false, ...over };
}
