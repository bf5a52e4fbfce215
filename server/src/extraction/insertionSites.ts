// The insertion APIs the extractor recognises, by name, with the position of their pfn / folio /
// page argument and of their `write` argument. This is an idiom table (names and argument
// positions as declared in include/linux/mm.h and huge_mm.h), not MM semantics.

import type { Token } from './tokenIndex';
import type { InsertionSite } from './facts';

export interface InsertionApi {
  level: InsertionSite['level'];
  /** Index of the pfn / folio / page argument. */
  pfnArg: number;
  argKind: 'pfn' | 'folio' | 'page';
  writeArg?: number;
  /** remap_pfn_range-style calls also set VMA flags (see mmapHandlers.ts). */
  remap?: boolean;
}

export const INSERTION_APIS: Record<string, InsertionApi> = {
  vmf_insert_pfn_pmd: { level: 'pmd', pfnArg: 1, argKind: 'pfn', writeArg: 2 },
  vmf_insert_pfn_pmd_prot: { level: 'pmd', pfnArg: 1, argKind: 'pfn', writeArg: 3 },
  vmf_insert_pfn_pud: { level: 'pud', pfnArg: 1, argKind: 'pfn', writeArg: 2 },
  vmf_insert_pfn_pud_prot: { level: 'pud', pfnArg: 1, argKind: 'pfn', writeArg: 3 },
  vmf_insert_folio_pmd: { level: 'pmd', pfnArg: 1, argKind: 'folio', writeArg: 2 },
  vmf_insert_folio_pud: { level: 'pud', pfnArg: 1, argKind: 'folio', writeArg: 2 },
  vmf_insert_pfn: { level: 'pte', pfnArg: 2, argKind: 'pfn' },
  vmf_insert_pfn_prot: { level: 'pte', pfnArg: 2, argKind: 'pfn' },
  vmf_insert_mixed: { level: 'pte', pfnArg: 2, argKind: 'pfn' },
  vmf_insert_mixed_mkwrite: { level: 'pte', pfnArg: 2, argKind: 'pfn' },
  vmf_insert_mixed_prot: { level: 'pte', pfnArg: 2, argKind: 'pfn' },
  vmf_insert_page: { level: 'pte', pfnArg: 2, argKind: 'page' },
  vmf_insert_page_mkwrite: { level: 'pte', pfnArg: 2, argKind: 'page' },
  remap_pfn_range: { level: 'range', pfnArg: 2, argKind: 'pfn', remap: true },
  io_remap_pfn_range: { level: 'range', pfnArg: 2, argKind: 'pfn', remap: true },
};

/** The huge-level insertion APIs (what the real-tree measurement counts). */
export const HUGE_APIS = Object.keys(INSERTION_APIS).filter((k) => /_p[mu]d/.test(k));

/** Byte-level prefilter: a function whose text matches may contain an insertion. */
export const INSERTION_TOKEN = /\b(?:vmf_insert_\w+|remap_pfn_range|io_remap_pfn_range)\s*\(/;
export const INSERTION: Token = { re: INSERTION_TOKEN, anchors: ['vmf_insert_', 'remap_pfn_range'] };

export interface KnownWrapper {
  pfnParam: number;
  level: InsertionSite['level'];
  argKind: InsertionApi['argKind'];
  api: string;
}
