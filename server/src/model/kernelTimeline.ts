// The version table: every behaviour of the MM core that changes between 5.4 and the newest modelled
// release, one timeline per behaviour, written like the tables in mm-gup-facts.md §1–§5.
// To add a kernel version: append it in versions.ts, then add an era here only where behaviour changes.
// Citations name the tree actually read ([R5.10] = 5.10, [D6.1] = 6.1, [D6.12] = 6.12, [A6.6] =
// Android 6.6) or the posting; `verifiedIn` lists the versions whose code was read.

import { cite, posting, type Tri } from './citations';
import type { Timeline } from './versions';

const HM = 'mm/huge_memory.c';
const MEM = 'mm/memory.c';
const GUP = 'mm/gup.c';

// ---------------------------------------------------------------- §1 insertion APIs

/** `vmf_insert_pfn_pmd_prot` / `vmf_insert_pfn_pud_prot` exist (explicit pgprot). §1.1, §1.2 */
export const hugePfnProtVariants: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', text: 'No _prot variants of the huge PFN insertion helpers yet; they were added for TTM in v5.7 (9a9731b18c9b).', cite: posting('mm: Add vmf_insert_pfn_xxx_prot() for huge page-table entries', '5.7', 'git describe v5.6-rc5-1488') },
  { from: '5.7', value: true, confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'vmf_insert_pfn_pmd_prot/vmf_insert_pfn_pud_prot take an explicit pgprot; the plain variants are inline wrappers passing vma->vm_page_prot.', cite: cite(HM, 'vmf_insert_pfn_pmd_prot', '6.1') },
  { from: '6.4', value: false, confidence: 'posting', text: 'The _prot variants were removed (7b806d229ef1); vmf_insert_pfn_pmd/pud become real functions using vma->vm_page_prot.', cite: posting('mm: remove vmf_insert_pfn_xxx_prot() for huge page-table entries', '6.4', '7b806d229ef1') },
];

/** How the huge/mixed PFN helpers take their pfn. §1.1, §2 */
export const pfnArgument: Timeline<'pfn_t' | 'raw'> = [
  { from: '5.4', value: 'pfn_t', confidence: 'inferred', verifiedIn: ['5.10', '6.1', '6.12'], text: 'PMD/PUD PFN insertion and vmf_insert_mixed take a pfn_t (pfn plus PFN_* flags in the top bits).', cite: cite('include/linux/pfn_t.h', 'pfn_t', '6.12') },
  { from: '6.17', value: 'raw', confidence: 'posting', text: 'pfn_t and the PFN_* flags were removed; the helpers take a raw unsigned long pfn.', cite: posting('mm: Remove pXX_devmap page table bit and pfn_t type', '6.17', 'pulled in "MM updates for 6.17-rc1"') },
];

/** `vmf_insert_folio_pmd` / `vmf_insert_folio_pud` exist. §1.3 */
export const folioInsertion: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'No folio insertion helpers at PMD/PUD level.', cite: cite(HM, 'vmf_insert_pfn_pmd', '6.12') },
  { from: '6.15', value: true, confidence: 'posting', text: 'vmf_insert_folio_pmd (6c88f72691f8) and vmf_insert_folio_pud install refcounted folio entries.', cite: posting('fs/dax: Fix ZONE_DEVICE page reference counts', '6.15', '7851bf649d42') },
];

/** Which PFN-inserted huge entries get pmd_mkspecial/pud_mkspecial. §1.1, §1.2 */
export const hugePfnSpecialMarking: Timeline<'never' | 'non-devmap' | 'always'> = [
  { from: '5.4', value: 'never', confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'insert_pfn_pmd/pud make the entry huge and, for a devmap pfn, devmap; a huge PFN entry is never marked special.', cite: cite(HM, 'insert_pfn_pmd', '6.1') },
  { from: '6.12', value: 'non-devmap', confidence: 'posting', verifiedIn: ['6.12'], text: 'insert_pfn_pmd/pud mark non-devmap pfns special (huge pfnmap series); pXd_mkspecial is a no-op unless the arch has ARCH_SUPPORTS_PMD/PUD_PFNMAP.', cite: cite(HM, 'insert_pfn_pmd', '6.12', 'mm: mark special bits for huge pfn mappings when inject') },
  { from: '6.17', value: 'always', confidence: 'posting', text: 'With devmap gone, every PFN-inserted huge entry is marked special (still a no-op without ARCH_SUPPORTS_PMD/PUD_PFNMAP).', cite: posting('[PATCH v2 07/14] mm: Remove redundant pXd_devmap calls', '6.17') },
];

/** First BUG_ON of vmf_insert_pfn_pmd/pud: does a devmap pfn excuse a VMA without PFNMAP/MIXEDMAP? §1.2 */
export const insertDevmapEscape: Timeline<boolean> = [
  { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['5.10', '6.1', '6.12'], text: 'A VMA with neither VM_PFNMAP nor VM_MIXEDMAP may only receive devmap pfns (the DAX case); otherwise BUG.', cite: cite(HM, 'vmf_insert_pfn_pmd', '6.12') },
  { from: '6.17', value: false, confidence: 'posting', text: 'The devmap escape is gone: the VMA must have VM_PFNMAP or VM_MIXEDMAP, unconditionally.', cite: posting('[PATCH v2 07/14] mm: Remove redundant pXd_devmap calls', '6.17') },
];

/** Devmap page-table bit, pfn_t_devmap() and CONFIG_ARCH_HAS_PTE_DEVMAP exist. §2, §6 */
export const devmapExists: Timeline<boolean> = [
  { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'The devmap bit exists on ARCH_HAS_PTE_DEVMAP arches; pfn_t_devmap() needs both PFN_DEV and PFN_MAP.', cite: cite('include/linux/pfn_t.h', 'pfn_t_devmap', '6.12') },
  { from: '6.17', value: false, confidence: 'posting', text: 'The devmap page-table bit and ARCH_HAS_PTE_DEVMAP were removed (d438d2734170).', cite: posting('mm: remove devmap related functions and page table bits', '6.17', 'd438d2734170') },
];

/** `vmf_insert_mixed` on a VMA/pfn it may not map. §1.4 */
export const mixedMisuse: Timeline<'bug-on' | 'sigbus' | 'unknown'> = [
  { from: '5.4', value: 'bug-on', confidence: 'inferred', verifiedIn: ['6.1'], text: 'vmf_insert_mixed BUGs when vm_mixed_ok() fails (no VM_MIXEDMAP, pfn neither devmap nor special nor zero).', cite: cite(MEM, '__vm_insert_mixed', '6.1') },
  { from: '6.2', value: 'unknown', confidence: 'uncertain', text: 'Between 6.1 (BUG_ON) and 6.12 (VM_FAULT_SIGBUS) the commit that changed vmf_insert_mixed misuse handling is not identified.', cite: cite(MEM, '__vm_insert_mixed', '6.12', 'open uncertainty: vmf_insert_mixed BUG_ON → SIGBUS') },
  { from: '6.12', value: 'sigbus', confidence: 'inferred', verifiedIn: ['6.12'], text: 'vmf_insert_mixed returns VM_FAULT_SIGBUS when vm_mixed_ok() fails.', cite: cite(MEM, '__vm_insert_mixed', '6.12') },
];

/** vmf_insert_pfn_pud drops the pgprot computed by track_pfn_insert (PAT cache mode). §1.2 */
export const pudPgprotDropped: Timeline<Tri> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'The pgprot chosen by track_pfn_insert is passed to insert_pfn_pud.', cite: cite(HM, 'vmf_insert_pfn_pud_prot', '6.1') },
  { from: '6.4', value: true, confidence: 'posting', verifiedIn: ['6.12'], text: 'Since 7b806d229ef1 vmf_insert_pfn_pud does not forward the pgprot from track_pfn_insert (x86 PAT cache mode lost).', cite: cite(HM, 'vmf_insert_pfn_pud', '6.12') },
  { from: '6.17', value: 'unknown', confidence: 'uncertain', text: 'David Hildenbrand\'s fix (2025-06, series pulled for 6.17-rc1) forwards the pgprot again; merged tag and stable coverage not verified.', cite: posting('mm/huge_memory: vmf_insert_folio_*() and vmf_insert_pfn_pud() fixes', '6.17', 'open uncertainty') },
];

/** vmf_insert_folio_pmd marks the refcounted folio special (bug fixed for 6.17). §1.2, §3.3 */
export const folioInsertMarksSpecial: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', text: 'No folio insertion helper.', cite: cite(HM, 'vmf_insert_pfn_pmd', '6.12') },
  { from: '6.15', value: true, confidence: 'posting', text: 'vmf_insert_folio_pmd/pud go through insert_pfn_pmd with a flagless pfn_t, so the refcounted folio entry is marked special (a bug).', cite: posting("mm/huge_memory: don't mark refcounted folios special in vmf_insert_folio_pmd()", '6.15', 'Fixes 6c88f72691f8') },
  { from: '6.17', value: false, confidence: 'posting', text: 'Fixed: folio entries are built with folio_mk_pmd and are not special.', cite: posting("mm/huge_memory: don't mark refcounted folios special in vmf_insert_folio_pmd()", '6.17', 'pulled in MM updates for 6.17-rc1') },
];

/** Direct writes to vma->vm_flags vs the vm_flags_* accessors. §1.5 */
export const vmFlagsAccessors: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'vma->vm_flags is a plain unsigned long; drivers write it directly and vm_flags_set() does not exist.', cite: cite('include/linux/mm_types.h', 'vm_area_struct', '6.1') },
  { from: '6.3', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'vm_flags is const; drivers must use vm_flags_init/_set/_clear/_mod (direct writes do not compile).', cite: cite('include/linux/mm.h', 'vm_flags_set', '6.12', 'mm: introduce vma->vm_flags wrapper functions') },
];

// ---------------------------------------------------------------- §3 GUP-fast

export interface GupFastNames {
  config: 'HAVE_FAST_GUP' | 'HAVE_GUP_FAST';
  entry: string;
  pmdRange: string;
  pmdLeaf: string;
  pudLeaf: string;
  devmapLeaf: string;
  pteRange: string;
}

/** Names of the GUP-fast pieces (renamed in v6.10). §3.1 */
export const gupFastNames: Timeline<GupFastNames> = [
  { from: '5.4', value: { config: 'HAVE_FAST_GUP', entry: 'internal_get_user_pages_fast', pmdRange: 'gup_pmd_range', pmdLeaf: 'gup_huge_pmd', pudLeaf: 'gup_huge_pud', devmapLeaf: '__gup_device_huge_pmd', pteRange: 'gup_pte_range' }, confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'GUP-fast is compiled with CONFIG_HAVE_FAST_GUP; PMD leaves go to gup_huge_pmd, PUD leaves to gup_huge_pud.', cite: cite(GUP, 'gup_huge_pmd', '6.1') },
  { from: '6.10', value: { config: 'HAVE_GUP_FAST', entry: 'gup_fast_fallback', pmdRange: 'gup_fast_pmd_range', pmdLeaf: 'gup_fast_pmd_leaf', pudLeaf: 'gup_fast_pud_leaf', devmapLeaf: 'gup_fast_devmap_leaf', pteRange: 'gup_fast_pte_range' }, confidence: 'inferred', verifiedIn: ['6.12'], text: 'Renamed: CONFIG_HAVE_GUP_FAST, gup_fast_pmd_leaf/gup_fast_pud_leaf (tag inferred from mm-stable ordering).', cite: posting('mm/treewide: rename CONFIG_HAVE_FAST_GUP to CONFIG_HAVE_GUP_FAST', '6.10') },
];

/** How GUP-fast takes the reference on a non-devmap leaf. §3.1 */
export const gupFastGrab: Timeline<string> = [
  { from: '5.4', value: 'try_grab_compound_head', confidence: 'inferred', verifiedIn: ['5.10'], text: 'GUP-fast grabs the compound head of pmd_page() (try_grab_compound_head).', cite: cite(GUP, 'gup_huge_pmd', '5.10') },
  { from: '6.0', value: 'try_grab_folio', confidence: 'inferred', verifiedIn: ['6.1'], text: 'GUP-fast grabs the folio of pmd_page() (try_grab_folio).', cite: cite(GUP, 'gup_huge_pmd', '6.1') },
  { from: '6.6', value: 'try_grab_folio_fast', confidence: 'inferred', verifiedIn: ['6.12'], text: 'GUP-fast grabs the folio with try_grab_folio_fast.', cite: cite(GUP, 'gup_fast_pmd_leaf', '6.12', '[A6.6] has it in 6.6 (Android backport)') },
];

/** GUP-fast returns 0 (falls back) on pmd_special/pud_special leaves. §3.1, §3.2 */
export const gupFastHugeSpecialCheck: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'GUP-fast has no special check for PMD/PUD leaves: any non-devmap leaf is treated like a THP.', cite: cite(GUP, 'gup_huge_pmd', '6.1') },
  { from: '6.12', value: true, confidence: 'posting', verifiedIn: ['6.12'], text: 'GUP-fast gives up on a pmd_special/pud_special leaf so the slow path (which sees the VMA) decides.', cite: cite(GUP, 'gup_fast_pmd_leaf', '6.12', '[PATCH v2 05/19] mm/gup: Detect huge pfnmap entries in gup-fast') },
];

/** GUP-fast has a devmap branch (get_dev_pagemap per pfn). §3.1, §3.2 */
export const gupFastDevmapBranch: Timeline<boolean> = [
  { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['5.10', '6.1', '6.12'], text: 'A devmap leaf is refused for FOLL_LONGTERM, otherwise every pfn needs a dev_pagemap (get_dev_pagemap) or GUP-fast undoes and falls back.', cite: cite(GUP, 'gup_fast_devmap_leaf', '6.12') },
  { from: '6.17', value: false, confidence: 'posting', text: 'The devmap branch was deleted; leaves are special (bail) or refcounted folios.', cite: posting('[PATCH v2 05/14] mm/gup: Remove pXX_devmap usage from get_user_pages()', '6.17') },
];

/** The PUD leaf test of GUP-fast includes pud_devmap. §3.1 */
export const gupFastPudDevmapTest: Timeline<Tri> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['5.10'], text: 'GUP-fast recognises PUD leaves with pud_huge() only.', cite: cite(GUP, 'gup_pud_range', '5.10') },
  { from: '5.11', value: 'unknown', confidence: 'uncertain', text: 'pud_devmap was added to the PUD leaf test between v5.10.13 and v6.1; the commit is not identified.', cite: cite(GUP, 'gup_pud_range', '6.1', 'open uncertainty') },
  { from: '6.1', value: true, confidence: 'inferred', verifiedIn: ['6.1'], text: 'GUP-fast recognises PUD leaves with pud_huge() || pud_devmap() (pud_leaf() from 6.12).', cite: cite(GUP, 'gup_pud_range', '6.1') },
];

/** FOLL_LONGTERM pins of non-shmem file folios are refused in GUP-fast. §3.4 */
export const gupFastLongtermFileFilter: Timeline<Tri> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'No folio filter for long-term pins of file folios in GUP-fast (6.1 only checks secretmem at PTE level).', cite: cite(GUP, 'gup_pte_range', '6.1') },
  { from: '6.2', value: 'unknown', confidence: 'uncertain', text: 'The long-term pin filter for file folios appears between 6.1 and 6.6 (tag not pinned by the sheet).', cite: cite(GUP, 'folio_fast_pin_allowed', '6.6', '[A6.6] Android 6.6') },
  { from: '6.6', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'GUP-fast refuses FOLL_PIN|FOLL_LONGTERM|FOLL_WRITE on non-shmem file folios (folio_fast_pin_allowed / gup_fast_folio_allowed).', cite: cite(GUP, 'gup_fast_folio_allowed', '6.12') },
];

// ---------------------------------------------------------------- §4 slow GUP

/** Which function slow GUP uses for a non-devmap huge PMD leaf. §4.2 */
export const slowGupHugePmd: Timeline<'follow_trans_huge_pmd' | 'follow_huge_pmd'> = [
  { from: '5.4', value: 'follow_trans_huge_pmd', confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'follow_pmd_mask hands a huge leaf to follow_trans_huge_pmd, which takes pmd_page() and grabs a reference.', cite: cite(HM, 'follow_trans_huge_pmd', '6.1') },
  { from: '6.12', value: 'follow_huge_pmd', confidence: 'inferred', verifiedIn: ['6.12'], text: 'follow_pmd_mask hands a pmd_leaf to follow_huge_pmd (pmd_page + try_grab_folio) with no pmd_special check (exact release of the move not pinned).', cite: cite(GUP, 'follow_huge_pmd', '6.12') },
];

/** follow_pfnmap_start() exists (non-GUP pfn lookup for PFNMAP VMAs). §4.2 */
export const followPfnmapApi: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', text: 'No follow_pfnmap_start(); callers used older pfn lookup helpers (not modelled).', cite: cite(MEM, 'follow_pfnmap_start', '6.12') },
  { from: '6.12', value: true, confidence: 'posting', verifiedIn: ['6.12'], text: 'follow_pfnmap_start() translates addresses in VM_IO|VM_PFNMAP VMAs, accepts PMD/PUD leaves and reports whether they are special.', cite: cite(MEM, 'follow_pfnmap_start', '6.12', 'mm: new follow_pfnmap API') },
];

// ---------------------------------------------------------------- §5 fault dispatch

export type HugeFaultGate = 'thp-enabled-5x' | 'vma-check-regression' | 'sysfs-policy';

/** What decides whether create_huge_pud/pmd (and so ->huge_fault) is tried. §5.1 */
export const hugeFaultGate: Timeline<HugeFaultGate> = [
  { from: '5.4', value: 'thp-enabled-5x', confidence: 'inferred', verifiedIn: ['5.10'], text: '__transparent_hugepage_enabled(vma): DAX VMAs always; otherwise THP sysfs "always", or "madvise" with VM_HUGEPAGE; no VM_SPECIAL exclusion.', cite: cite('include/linux/huge_mm.h', '__transparent_hugepage_enabled', '5.10') },
  { from: '6.0', value: 'vma-check-regression', confidence: 'posting', verifiedIn: ['6.1'], text: 'hugepage_vma_check: after the DAX shortcut, VM_NO_KHUGEPAGED (VM_IO|VM_PFNMAP|VM_MIXEDMAP|VM_DONTEXPAND|VM_HUGETLB) and non-anonymous VMAs are refused, so ->huge_fault is never called for non-DAX driver VMAs.', cite: cite(HM, 'hugepage_vma_check', '6.1', "Zach O'Keefe: mm/thp: fix 'mm: thp: kill __transhuge_page_enabled()'") },
  { from: '6.7', value: 'sysfs-policy', confidence: 'inferred', verifiedIn: ['6.12'], text: 'Fixed by 7a81751fcdeb (tag v6.7 inferred): in the fault path DAX VMAs pass, other file VMAs need THP "always" or "madvise"+VM_HUGEPAGE and a ->huge_fault handler.', cite: cite(HM, '__thp_vma_allowable_orders', '6.12') },
];

/** VM_PFNMAP VMAs with ->huge_fault bypass the THP sysfs policy. §5.1, open uncertainties */
export const pfnmapBypassesThpPolicy: Timeline<Tri> = [
  { from: '5.4', value: false, confidence: 'inferred', text: 'No huge pfnmap support, no bypass of the THP policy.', cite: cite(HM, 'vma_file_bypass_thp_tuneables', '6.12') },
  { from: '6.12', value: 'unknown', confidence: 'uncertain', text: '"mm/huge_memory: bypass THP tuneables for huge pfnmap mappings" lets VM_PFNMAP VMAs with ->huge_fault ignore the THP policy; present in Debian 6.12.115+ (stable backport), absent from earlier point releases, mainline tag (~7.3-rc) not verified.', cite: cite(HM, 'vma_file_bypass_thp_tuneables', '6.12', 'open uncertainty: stable-only in the modelled range') },
];

/** ->huge_fault's second parameter. §5.1 */
export const hugeFaultArgument: Timeline<'page_entry_size' | 'order'> = [
  { from: '5.4', value: 'page_entry_size', confidence: 'inferred', verifiedIn: ['6.1'], text: '->huge_fault(struct vm_fault *, enum page_entry_size) with PE_SIZE_PTE/PMD/PUD.', cite: cite('include/linux/mm.h', 'vm_operations_struct', '6.1') },
  { from: '6.6', value: 'order', confidence: 'posting', verifiedIn: ['6.12'], text: '->huge_fault(struct vm_fault *, unsigned int order); enum page_entry_size removed (1d024e7a8dab).', cite: posting('mm: remove enum page_entry_size', '6.6', '1d024e7a8dab') },
];

/** ->huge_fault may run under the per-VMA lock instead of mmap_lock. §5.1 */
export const hugeFaultWithoutMmapLock: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: '->huge_fault runs with mmap_lock held for read.', cite: cite(MEM, '__handle_mm_fault', '6.1') },
  { from: '6.6', value: true, confidence: 'posting', text: '->huge_fault may be called without mmap_lock (per-VMA lock, 40d49a3c9e4a).', cite: posting('mm: allow ->huge_fault() to be called without the mmap_lock held', '6.6', '40d49a3c9e4a') },
];

/** wp_huge_pmd/pud call ->huge_fault only for VM_SHARED|VM_MAYSHARE VMAs. §5.1 */
export const wpHugeSharedOnly: Timeline<Tri> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'wp_huge_pmd/pud call ->huge_fault for any non-anonymous VMA.', cite: cite(MEM, 'wp_huge_pmd', '6.1') },
  { from: '6.2', value: 'unknown', confidence: 'uncertain', text: 'The VM_SHARED|VM_MAYSHARE condition in wp_huge_pmd appears between 6.1 and 6.12; the commit is not identified by the sheet.', cite: cite(MEM, 'wp_huge_pmd', '6.12') },
  { from: '6.12', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'wp_huge_pmd/pud call ->huge_fault only when the VMA has VM_SHARED or VM_MAYSHARE.', cite: cite(MEM, 'wp_huge_pmd', '6.12') },
];

/** A write fault on a huge entry falls back by splitting it. §5.1 */
export const splitOnWpFallback: Timeline<Tri> = [
  { from: '5.4', value: 'unknown', confidence: 'uncertain', text: 'Before "mm: Split huge pages on write-notify or COW" (v5.7) the non-anonymous fallback of wp_huge_pmd is not described by the sheet.', cite: posting('mm: Split huge pages on write-notify or COW', '5.7') },
  { from: '5.7', value: true, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'If ->huge_fault falls back (or is not called) the huge entry is split and VM_FAULT_FALLBACK retries at the smaller level.', cite: cite(MEM, 'wp_huge_pmd', '6.12') },
];

/** fork copies special huge PFN PMDs to the child instead of letting it refault. §5.3 */
export const forkCopiesSpecialPmd: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'copy_huge_pmd skips non-anonymous VMAs: the child re-faults the huge entry.', cite: cite(HM, 'copy_huge_pmd', '6.1') },
  { from: '6.12', value: true, confidence: 'posting', verifiedIn: ['6.12'], text: 'copy_huge_pmd copies a present special PMD to the child (warns if a COW mapping has it writable).', cite: cite(HM, 'copy_huge_pmd', '6.12', 'mm/fork: accept huge pfnmap entries') },
];

/** vm_normal_page_pmd returns NULL for special PMDs. §4.2 */
export const vmNormalPagePmdSpecial: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'vm_normal_page_pmd has no special bit to test and replicates the !pte_special rules (pfnmap linear rule, pfn_valid).', cite: cite(MEM, 'vm_normal_page_pmd', '6.1') },
  { from: '6.12', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'vm_normal_page_pmd returns NULL for a special PMD first.', cite: cite(MEM, 'vm_normal_page_pmd', '6.12') },
];

/** vma_is_special_huge() exists (PFNMAP/MIXEDMAP file VMAs and DAX). §5.3 */
export const vmaIsSpecialHuge: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', text: 'No vma_is_special_huge(); huge entries of driver VMAs are handled like DAX only.', cite: posting('mm: Introduce vma_is_special_huge', '5.7') },
  { from: '5.7', value: true, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'vma_is_special_huge(): DAX, or a file VMA with VM_PFNMAP/VM_MIXEDMAP; split and zap only clear such entries.', cite: cite('include/linux/mm.h', 'vma_is_special_huge', '6.12') },
];

// ---------------------------------------------------------------- §7 in-tree users

/** TTM's huge insertion (ttm_bo_vm_insert_huge, only vmwgfx wired it up). §7.1 */
export const ttmHugeInsertion: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', text: 'TTM has no huge page-table insertion yet.', cite: posting('drm/ttm, drm/vmwgfx: Support huge TTM pagefaults', '5.7', '314b6580adc5') },
  { from: '5.7', value: true, confidence: 'posting', text: 'ttm_bo_vm_insert_huge inserts PFN_DEV-only (not devmap) huge PMD/PUD entries via vmf_insert_pfn_pmd_prot/pud_prot.', cite: posting('drm/ttm, drm/vmwgfx: Support huge TTM pagefaults', '5.7', '314b6580adc5') },
  { from: '5.16', value: false, confidence: 'posting', text: 'Removed by 0d979509539e "drm/ttm: remove ttm_bo_vm_insert_huge()" (also backported to 5.15.3).', cite: posting('[PATCH v2] drm/ttm: Do not put non-struct page memory into PUD/PMDs', '5.16', '0d979509539e') },
];

/** vfio-pci huge faults (vfio_pci_mmap_huge_fault). §7.4 */
export const vfioPciHugeFault: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'vfio-pci maps BARs with PTEs only.', cite: cite('drivers/vfio/pci/vfio_pci_core.c', 'vfio_pci_mmap', '6.1') },
  { from: '6.12', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'vfio_pci_mmap_huge_fault inserts PFN_DEV-only PMD/PUD entries, guarded by ARCH_SUPPORTS_PMD/PUD_PFNMAP.', cite: cite('drivers/vfio/pci/vfio_pci_core.c', 'vfio_pci_mmap_huge_fault', '6.12') },
];
