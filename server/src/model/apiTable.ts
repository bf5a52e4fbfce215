// API surface table: insertion helpers (with signatures per era) and the types/macros/flags the hover
// layer explains. Eras read like mm-gup-facts.md §1.1 / §1.5 / §2 / §5.1. `null` = does not exist;
// 'unknown' = existence not pinned by the sheet (treated as existing, flagged uncertain).

import { cite, posting, type Citation, type Confidence } from './citations';
import type { Timeline } from './versions';

export type ApiLevel = 'pte' | 'pmd' | 'pud' | 'range' | 'page';
export type PfnArg = 'pfn_t' | 'raw' | 'folio' | 'page' | 'none';

export interface ApiShape {
  signature: string;
  pfnArg: PfnArg;
}

export interface ApiRow {
  name: string;
  level: ApiLevel;
  eras: Timeline<ApiShape | null | 'unknown'>;
  requiresKconfig?: readonly string[];
  replacement?: string;
}

const HM = 'mm/huge_memory.c';
const MEM = 'mm/memory.c';
const HMH = 'include/linux/huge_mm.h';

const sigHugePfn = (name: string, pfn: 'pfn_t' | 'raw', prot: boolean): ApiShape => ({
  signature: `vm_fault_t ${name}(struct vm_fault *vmf, ${pfn === 'pfn_t' ? 'pfn_t pfn' : 'unsigned long pfn'}${prot ? ', pgprot_t pgprot' : ''}, bool write)`,
  pfnArg: pfn,
});
const sigMixed = (name: string, pfn: 'pfn_t' | 'raw', prot = false): ApiShape => ({
  signature: `vm_fault_t ${name}(struct vm_area_struct *vma, unsigned long addr, ${pfn === 'pfn_t' ? 'pfn_t pfn' : 'unsigned long pfn'}${prot ? ', pgprot_t pgprot' : ''})`,
  pfnArg: pfn,
});

const PFN_T_GONE = posting('mm: Remove pXX_devmap page table bit and pfn_t type', '6.17');
const PROT_GONE = posting('mm: remove vmf_insert_pfn_xxx_prot() for huge page-table entries', '6.4', '7b806d229ef1');
const PROT_ADDED = posting('mm: Add vmf_insert_pfn_xxx_prot() for huge page-table entries', '5.7', '9a9731b18c9b');

function hugePfnRow(level: 'pmd' | 'pud'): ApiRow {
  const name = `vmf_insert_pfn_${level}`;
  return {
    name, level,
    requiresKconfig: level === 'pud' ? ['CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD'] : undefined,
    eras: [
      { from: '5.4', value: sigHugePfn(name, 'pfn_t', false), confidence: 'inferred', text: `${name}(vmf, pfn_t, write) (5.4–5.6 not read; assumed as in v5.10).`, cite: cite(HMH, name, '5.10') },
      { from: '5.7', value: sigHugePfn(name, 'pfn_t', false), confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: `${name} is an inline wrapper calling ${name}_prot with vma->vm_page_prot.`, cite: cite(HMH, name, '6.1') },
      { from: '6.4', value: sigHugePfn(name, 'pfn_t', false), confidence: 'inferred', verifiedIn: ['6.12'], text: `${name} is a real function taking a pfn_t.`, cite: cite(HM, name, '6.12') },
      { from: '6.17', value: sigHugePfn(name, 'raw', false), confidence: 'posting', text: `${name} takes a raw unsigned long pfn (pfn_t removed).`, cite: PFN_T_GONE },
    ],
  };
}

function hugePfnProtRow(level: 'pmd' | 'pud'): ApiRow {
  const name = `vmf_insert_pfn_${level}_prot`;
  return {
    name, level, replacement: `vmf_insert_pfn_${level} (pgprot comes from vma->vm_page_prot)`,
    requiresKconfig: level === 'pud' ? ['CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD'] : undefined,
    eras: [
      { from: '5.4', value: null, confidence: 'posting', text: `${name} does not exist before v5.7 (added for TTM by 9a9731b18c9b).`, cite: PROT_ADDED },
      { from: '5.7', value: sigHugePfn(name, 'pfn_t', true), confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: `${name}(vmf, pfn_t, pgprot, write) exists.`, cite: cite(HM, name, '6.1') },
      { from: '6.4', value: null, confidence: 'posting', text: `${name} was removed in v6.4 (7b806d229ef1).`, cite: PROT_GONE },
    ],
  };
}

function folioRow(level: 'pmd' | 'pud'): ApiRow {
  const name = `vmf_insert_folio_${level}`;
  return {
    name, level,
    requiresKconfig: level === 'pud' ? ['CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD'] : undefined,
    eras: [
      { from: '5.4', value: null, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: `${name} does not exist before v6.15.`, cite: cite(HM, 'vmf_insert_pfn_pmd', '6.12') },
      { from: '6.15', value: { signature: `vm_fault_t ${name}(struct vm_fault *vmf, struct folio *folio, bool write)`, pfnArg: 'folio' }, confidence: 'posting', text: `${name}(vmf, folio, write) installs a refcounted folio entry (EXPORT_SYMBOL_GPL).`, cite: posting('fs/dax: Fix ZONE_DEVICE page reference counts', '6.15', level === 'pmd' ? '6c88f72691f8' : undefined) },
    ],
  };
}

function mixedRow(name: string): ApiRow {
  return {
    name, level: 'pte',
    eras: [
      { from: '5.4', value: sigMixed(name, 'pfn_t'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: `${name}(vma, addr, pfn_t) exists.`, cite: cite(MEM, name, '6.12') },
      { from: '6.17', value: sigMixed(name, 'raw'), confidence: 'posting', text: `${name} takes a raw pfn; devmap pfns became special entries.`, cite: posting('mm: convert vmf_insert_mixed() from using pte_devmap to pte_special', '6.17') },
    ],
  };
}

const always = (name: string, level: ApiLevel, shape: ApiShape, citation: Citation, text: string): ApiRow => ({
  name, level,
  eras: [{ from: '5.4', value: shape, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text, cite: citation }],
});

export const API_TABLE: readonly ApiRow[] = [
  hugePfnRow('pmd'),
  hugePfnRow('pud'),
  hugePfnProtRow('pmd'),
  hugePfnProtRow('pud'),
  folioRow('pmd'),
  folioRow('pud'),
  always('vmf_insert_pfn', 'pte', { signature: 'vm_fault_t vmf_insert_pfn(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn)', pfnArg: 'raw' }, cite(MEM, 'vmf_insert_pfn', '6.12'), 'vmf_insert_pfn(vma, addr, pfn) = vmf_insert_pfn_prot with vma->vm_page_prot.'),
  always('vmf_insert_pfn_prot', 'pte', { signature: 'vm_fault_t vmf_insert_pfn_prot(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, pgprot_t pgprot)', pfnArg: 'raw' }, cite(MEM, 'vmf_insert_pfn_prot', '6.12'), 'vmf_insert_pfn_prot(vma, addr, pfn, pgprot) installs a special PTE.'),
  mixedRow('vmf_insert_mixed'),
  mixedRow('vmf_insert_mixed_mkwrite'),
  {
    name: 'vmf_insert_mixed_prot', level: 'pte', replacement: 'vmf_insert_mixed (pgprot comes from vma->vm_page_prot)',
    eras: [
      { from: '5.4', value: 'unknown', confidence: 'uncertain', text: 'Whether vmf_insert_mixed_prot exists before v5.10 is not recorded in the fact sheet.', cite: cite(MEM, 'vmf_insert_mixed_prot', '6.1') },
      { from: '5.10', value: sigMixed('vmf_insert_mixed_prot', 'pfn_t', true), confidence: 'inferred', verifiedIn: ['6.1'], text: 'vmf_insert_mixed_prot(vma, addr, pfn_t, pgprot) exists.', cite: cite(MEM, 'vmf_insert_mixed_prot', '6.1') },
      { from: '6.4', value: null, confidence: 'posting', text: 'vmf_insert_mixed_prot was removed in v6.4 (Lorenzo Stoakes).', cite: posting('mm: remove vmf_insert_mixed_prot()', '6.4') },
    ],
  },
  always('vmf_insert_page', 'pte', { signature: 'vm_fault_t vmf_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)', pfnArg: 'page' }, cite('include/linux/mm.h', 'vmf_insert_page', '6.1'), 'vmf_insert_page = vm_insert_page plus errno → vm_fault_t mapping.'),
  always('vm_insert_page', 'pte', { signature: 'int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)', pfnArg: 'page' }, cite(MEM, 'vm_insert_page', '6.12'), 'vm_insert_page installs a refcounted PTE for a driver page.'),
  always('remap_pfn_range', 'range', { signature: 'int remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, unsigned long size, pgprot_t prot)', pfnArg: 'raw' }, cite(MEM, 'remap_pfn_range', '6.12'), 'remap_pfn_range maps a pfn range with special PTEs at mmap time.'),
  always('io_remap_pfn_range', 'range', { signature: 'int io_remap_pfn_range(struct vm_area_struct *vma, unsigned long addr, unsigned long pfn, unsigned long size, pgprot_t prot)', pfnArg: 'raw' }, cite('include/linux/mm.h', 'io_remap_pfn_range', '6.1'), 'io_remap_pfn_range = remap_pfn_range with pgprot_decrypted (arch may override).'),
  {
    name: 'follow_pfnmap_start', level: 'range',
    eras: [
      { from: '5.4', value: null, confidence: 'inferred', text: 'follow_pfnmap_start does not exist before v6.12.', cite: cite(MEM, 'follow_pfnmap_start', '6.12') },
      { from: '6.12', value: { signature: 'int follow_pfnmap_start(struct follow_pfnmap_args *args)', pfnArg: 'none' }, confidence: 'posting', verifiedIn: ['6.12'], text: 'follow_pfnmap_start translates a VM_IO|VM_PFNMAP address, PMD/PUD leaves included.', cite: cite(MEM, 'follow_pfnmap_start', '6.12') },
    ],
  },
];

// ---------------------------------------------------------------- types, macros, flags

export type SymbolKind = 'type' | 'function' | 'macro' | 'pfn-flag' | 'enum' | 'enum-constant' | 'vm-flag' | 'vm-fault-code';

export interface SymbolRow {
  name: string;
  aliases?: readonly string[];
  kind: SymbolKind;
  meaning: string;
  /** Existence timeline; absent = exists in every modelled version. */
  exists?: Timeline<boolean | 'unknown'>;
  cite: Citation;
  confidence: Confidence;
  verifiedIn?: readonly string[];
}

const PFN_H = 'include/linux/pfn_t.h';
const untilPfnT: Timeline<boolean> = [
  { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'Part of pfn_t (include/linux/pfn_t.h).', cite: cite(PFN_H, 'pfn_t', '6.12') },
  { from: '6.17', value: false, confidence: 'posting', text: 'Removed with pfn_t in v6.17.', cite: posting('mm: remove PFN_DEV, PFN_MAP, PFN_SPECIAL, PFN_SG_CHAIN and PFN_SG_LAST', '6.17') },
];
const untilPageEntrySize: Timeline<boolean> = [
  { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['6.1'], text: 'enum page_entry_size exists.', cite: cite('include/linux/mm.h', 'page_entry_size', '6.1') },
  { from: '6.6', value: false, confidence: 'posting', text: 'enum page_entry_size was removed in v6.6 (1d024e7a8dab).', cite: posting('mm: remove enum page_entry_size', '6.6', '1d024e7a8dab') },
];
const fromVmFlagsAccessors: Timeline<boolean> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'No vm_flags_* accessors before v6.3; write vma->vm_flags directly.', cite: cite('include/linux/mm_types.h', 'vm_area_struct', '6.1') },
  { from: '6.3', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'vm_flags_* accessors exist (v6.3, inferred from the trees and the merge window).', cite: cite('include/linux/mm.h', 'vm_flags_set', '6.12', 'mm.h:884-912') },
];
const anyUncached: Timeline<boolean | 'unknown'> = [
  { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: 'VM_ALLOW_ANY_UNCACHED is absent in 6.1.', cite: cite('include/linux/mm.h', 'VM_ALLOW_ANY_UNCACHED', '6.1') },
  { from: '6.2', value: 'unknown', confidence: 'uncertain', text: 'VM_ALLOW_ANY_UNCACHED appears between 6.1 and 6.12; the release is not pinned.', cite: cite('include/linux/mm.h', 'VM_ALLOW_ANY_UNCACHED', '6.12') },
  { from: '6.12', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'VM_ALLOW_ANY_UNCACHED exists (bit 39 on 64-bit, VM_NONE on 32-bit).', cite: cite('include/linux/mm.h', 'VM_ALLOW_ANY_UNCACHED', '6.12') },
];

const MMH = (sym: string, v = '6.12') => cite('include/linux/mm.h', sym, v);
const MMT = (sym: string) => cite('include/linux/mm_types.h', sym, '6.12');

function pfnFlag(name: string, meaning: string): SymbolRow {
  return { name, kind: 'pfn-flag', meaning, exists: untilPfnT, cite: cite(PFN_H, name, '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] };
}
function vmFlag(name: string, meaning: string, exists?: Timeline<boolean | 'unknown'>): SymbolRow {
  return exists ? { name, kind: 'vm-flag', meaning, exists, cite: MMH(name), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] } : { name, kind: 'vm-flag', meaning, cite: MMH(name), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] };
}
function faultCode(name: string, meaning: string): SymbolRow {
  return { name, kind: 'vm-fault-code', meaning, cite: MMT('vm_fault_reason'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] };
}
function accessor(name: string, meaning: string): SymbolRow {
  return { name, kind: 'function', meaning, exists: fromVmFlagsAccessors, cite: MMH(name), confidence: 'inferred', verifiedIn: ['6.12'] };
}

export const SYMBOL_TABLE: readonly SymbolRow[] = [
  { name: 'pfn_t', kind: 'type', meaning: 'A pfn with PFN_* flag bits packed into the top bits of a u64; how huge/mixed insertion learned whether memory is devmap.', exists: untilPfnT, cite: cite(PFN_H, 'pfn_t', '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] },
  { name: '__pfn_to_pfn_t', kind: 'function', meaning: 'Builds a pfn_t from a raw pfn and PFN_* flags.', exists: untilPfnT, cite: cite(PFN_H, '__pfn_to_pfn_t', '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] },
  { name: 'phys_to_pfn_t', kind: 'function', meaning: 'Builds a pfn_t from a physical address and PFN_* flags (device-dax uses PFN_DEV|PFN_MAP).', exists: untilPfnT, cite: cite(PFN_H, 'phys_to_pfn_t', '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] },
  { name: 'pfn_to_pfn_t', kind: 'function', meaning: 'Wraps a raw pfn as a pfn_t with no flags (so: has a struct page, not devmap).', exists: untilPfnT, cite: cite(PFN_H, 'pfn_to_pfn_t', '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] },
  { name: 'pfn_t_devmap', kind: 'function', meaning: 'True only when both PFN_DEV and PFN_MAP are set and the arch has ARCH_HAS_PTE_DEVMAP; constant false otherwise.', exists: untilPfnT, cite: cite(PFN_H, 'pfn_t_devmap', '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] },
  { name: 'pfn_t_has_page', kind: 'function', meaning: 'True when PFN_MAP is set or PFN_DEV is clear.', exists: untilPfnT, cite: cite(PFN_H, 'pfn_t_has_page', '6.12'), confidence: 'inferred', verifiedIn: ['6.1', '6.12'] },
  pfnFlag('PFN_DEV', 'The pfn is not covered by the system memmap by default (device memory); alone it does NOT make an entry devmap.'),
  pfnFlag('PFN_MAP', 'A driver established a dynamic struct page mapping for the pfn; PFN_DEV|PFN_MAP makes the entry devmap where the arch supports it.'),
  pfnFlag('PFN_SPECIAL', 'For FS_DAX_LIMITED (s390 dcssblk) XIP: map, but keep get_user_pages away (needs ARCH_HAS_PTE_SPECIAL).'),
  pfnFlag('PFN_SG_CHAIN', 'Scatterlist chain marker bit of pfn_t; never appears to have been used.'),
  pfnFlag('PFN_SG_LAST', 'Scatterlist last-entry marker bit of pfn_t; never appears to have been used.'),
  { name: 'page_entry_size', aliases: ['enum page_entry_size'], kind: 'enum', meaning: 'Second argument of ->huge_fault before v6.6: which level the core wants (PTE/PMD/PUD).', exists: untilPageEntrySize, cite: MMH('page_entry_size', '6.1'), confidence: 'inferred', verifiedIn: ['6.1'] },
  { name: 'PE_SIZE_PTE', kind: 'enum-constant', meaning: 'page_entry_size value for a PTE-sized fault (order 0 from v6.6).', exists: untilPageEntrySize, cite: MMH('page_entry_size', '6.1'), confidence: 'inferred', verifiedIn: ['6.1'] },
  { name: 'PE_SIZE_PMD', kind: 'enum-constant', meaning: 'page_entry_size value for a PMD-sized fault (PMD_ORDER from v6.6).', exists: untilPageEntrySize, cite: MMH('page_entry_size', '6.1'), confidence: 'inferred', verifiedIn: ['6.1'] },
  { name: 'PE_SIZE_PUD', kind: 'enum-constant', meaning: 'page_entry_size value for a PUD-sized fault (PUD_ORDER from v6.6).', exists: untilPageEntrySize, cite: MMH('page_entry_size', '6.1'), confidence: 'inferred', verifiedIn: ['6.1'] },
  accessor('vm_flags_init', 'Sets vma->vm_flags on a VMA not yet visible to others (v6.3+; replaces direct assignment).'),
  accessor('vm_flags_set', 'ORs flags into vma->vm_flags under the write lock (v6.3+; replaces vma->vm_flags |= …).'),
  accessor('vm_flags_clear', 'Clears flags from vma->vm_flags (v6.3+; replaces vma->vm_flags &= ~…).'),
  accessor('vm_flags_mod', 'Sets and clears flags in one update (v6.3+).'),
  vmFlag('VM_PFNMAP', 'Pure PFN mapping: no struct page is assumed; slow GUP refuses the VMA with -EFAULT; must not be COW-able for PFN insertion.'),
  vmFlag('VM_MIXEDMAP', 'Mix of struct-page and raw-pfn entries; slow GUP walks it (only VM_IO/VM_PFNMAP keep it away).'),
  vmFlag('VM_IO', 'Memory-mapped I/O: slow GUP refuses the VMA with -EFAULT; set by remap_pfn_range.'),
  vmFlag('VM_HUGEPAGE', 'MADV_HUGEPAGE: with THP sysfs "madvise" the core tries ->huge_fault for this VMA (outside 6.0–6.6 for non-DAX VMAs).'),
  vmFlag('VM_SHARED', 'Shared mapping; from v6.12 write faults on huge entries reach ->huge_fault only with VM_SHARED/VM_MAYSHARE.'),
  vmFlag('VM_MAYSHARE', 'Mapping may be shared (MAP_SHARED); device-dax requires it; checked with VM_SHARED by wp_huge_pmd in v6.12.'),
  vmFlag('VM_DONTEXPAND', 'mremap may not grow the VMA; part of VM_SPECIAL (so of VM_NO_KHUGEPAGED in 6.0–6.6).'),
  vmFlag('VM_DONTDUMP', 'Excluded from core dumps; set by remap_pfn_range.'),
  vmFlag('VM_ALLOW_ANY_UNCACHED', 'Lets KVM map the memory with any uncached type (vfio-pci); VM_NONE on 32-bit.', anyUncached),
  faultCode('VM_FAULT_NOPAGE', 'The handler installed the entry itself; the core returns and the access is retried.'),
  faultCode('VM_FAULT_FALLBACK', 'The huge attempt failed: the core retries one level smaller (PUD → PMD → PTE).'),
  faultCode('VM_FAULT_SIGBUS', 'Bad access: returned to the arch handler, the task gets SIGBUS.'),
  faultCode('VM_FAULT_OOM', 'Out of memory (e.g. page-table allocation failed): returned to the arch handler, OOM handling runs.'),
  faultCode('VM_FAULT_RETRY', 'The handler dropped the lock and blocked; the arch handler retries the whole fault.'),
  faultCode('VM_FAULT_SIGSEGV', 'Segmentation fault: returned to the arch handler, the task gets SIGSEGV.'),
  faultCode('VM_FAULT_HWPOISON', 'Hit a poisoned small page.'),
  faultCode('VM_FAULT_LOCKED', 'The ->fault handler returned a locked page.'),
  faultCode('VM_FAULT_MAJOR', 'The page had to be read from storage (accounting).'),
  faultCode('VM_FAULT_DONE_COW', 'The ->fault handler fully handled the copy-on-write.'),
  faultCode('VM_FAULT_NEEDDSYNC', 'The handler did not touch the page tables and needs an fsync first (DAX synchronous faults).'),
  {
    ...faultCode('VM_FAULT_COMPLETED', 'The fault completed while the mmap lock was released.'),
    exists: [
      { from: '5.4', value: 'unknown', confidence: 'uncertain', text: 'VM_FAULT_COMPLETED is present in 6.1; when it was added is not recorded in the sheet.', cite: MMT('vm_fault_reason') },
      { from: '6.1', value: true, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'VM_FAULT_COMPLETED exists.', cite: MMT('vm_fault_reason') },
    ],
  },
];
