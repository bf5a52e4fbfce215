// Every version boundary of mm-gup-facts.md, pinned on both sides (issue 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiInfo, capabilities, formatCitation, gupOnEntry, hugeFaultReached, hugeFaultSignature, inTreeHugeUsers, kconfig,
  simulateInsertion, splitZapFork, symbolInfo, vmFlagsWrite, writeFaultOnHugeEntry, type InstalledEntry,
} from '../../server/src/model';
import { P, PFNMAP_IO_VMA, TTM_VMA, DEVDAX_VMA } from './helpers';

const exists = (prof: string, name: string) => apiInfo(P(prof), name)!.exists;
const symExists = (prof: string, name: string) => symbolInfo(P(prof), name)!.exists;

interface Boundary {
  name: string;
  old: string;
  new: string;
  probe: (profile: string) => unknown;
  before: unknown;
  after: unknown;
}

const pfnDevOnly = { kind: 'pfn_t' as const, flags: ['PFN_DEV'] };
const devmapPfn = { kind: 'pfn_t' as const, flags: ['PFN_DEV', 'PFN_MAP'] };
const iomemPmd: InstalledEntry = { level: 'pmd', devmap: false, special: false, refcounted: false, backing: 'iomem', pfn: pfnDevOnly };

const BOUNDARIES: Boundary[] = [
  // 5.6/5.7: _prot variants and TTM huge faults arrive
  { name: 'vmf_insert_pfn_pmd_prot exists', old: '5.6', new: '5.7', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_pfn_pmd_prot'), before: false, after: true },
  { name: 'vmf_insert_pfn_pud_prot exists', old: '5.6', new: '5.7', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_pfn_pud_prot'), before: false, after: true },
  { name: 'TTM huge insertion present', old: '5.6', new: '5.7', probe: (v) => inTreeHugeUsers(P(`${v}/x86_64`)).find((u) => u.id === 'ttm')!.present, before: false, after: true },
  // 5.15/5.16: TTM huge insertion removed
  { name: 'TTM huge insertion present', old: '5.15', new: '5.16', probe: (v) => inTreeHugeUsers(P(`${v}/x86_64`)).find((u) => u.id === 'ttm')!.present, before: true, after: false },
  // 5.19/6.0: hugepage_vma_check regression
  { name: '->huge_fault reached for a PFNMAP driver VMA (THP=always)', old: '5.19', new: '6.0', probe: (v) => hugeFaultReached(P(`${v}/x86_64`), { level: 'pmd', vma: PFNMAP_IO_VMA, hasHugeFault: true, thpPolicy: 'always' }).value, before: true, after: false },
  // 6.2/6.3: vm_flags accessors
  { name: 'vm_flags write style', old: '6.2', new: '6.3', probe: (v) => vmFlagsWrite(P(`${v}/x86_64`)).value, before: 'direct', after: 'accessors' },
  { name: 'vm_flags_set exists', old: '6.2', new: '6.3', probe: (v) => symExists(`${v}/x86_64`, 'vm_flags_set'), before: false, after: true },
  // 6.3/6.4: _prot variants removed
  { name: 'vmf_insert_pfn_pmd_prot exists', old: '6.3', new: '6.4', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_pfn_pmd_prot'), before: true, after: false },
  { name: 'vmf_insert_pfn_pud_prot exists', old: '6.3', new: '6.4', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_pfn_pud_prot'), before: true, after: false },
  { name: 'vmf_insert_mixed_prot exists', old: '6.3', new: '6.4', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_mixed_prot'), before: true, after: false },
  { name: 'vmf_insert_pfn_pmd stays', old: '6.3', new: '6.4', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_pfn_pmd'), before: true, after: true },
  { name: 'vmf_insert_pfn_pud drops the PAT pgprot', old: '6.3', new: '6.4', probe: (v) => simulateInsertion({ api: 'vmf_insert_pfn_pud', pfn: pfnDevOnly, vma: PFNMAP_IO_VMA }, P(`${v}/x86_64`)).steps.some((s) => /does not forward the pgprot/.test(s.text)), before: false, after: true },
  // 6.5/6.6: ->huge_fault signature
  { name: '->huge_fault second parameter', old: '6.5', new: '6.6', probe: (v) => hugeFaultSignature(P(`${v}/x86_64`)).value, before: 'page_entry_size', after: 'order' },
  { name: 'PE_SIZE_PMD exists', old: '6.5', new: '6.6', probe: (v) => symExists(`${v}/x86_64`, 'PE_SIZE_PMD'), before: true, after: false },
  { name: 'enum page_entry_size exists', old: '6.5', new: '6.6', probe: (v) => symExists(`${v}/x86_64`, 'enum page_entry_size'), before: true, after: false },
  // 6.6/6.7: regression fixed (7a81751fcdeb)
  { name: '->huge_fault reached for a PFNMAP driver VMA (THP=always)', old: '6.6', new: '6.7', probe: (v) => hugeFaultReached(P(`${v}/x86_64`), { level: 'pmd', vma: PFNMAP_IO_VMA, hasHugeFault: true, thpPolicy: 'always' }).value, before: false, after: true },
  // 6.9/6.10: GUP-fast rename
  { name: 'fast GUP Kconfig symbol', old: '6.9', new: '6.10', probe: (v) => capabilities(P(`${v}/x86_64`)).fastGup.symbol, before: 'HAVE_FAST_GUP', after: 'HAVE_GUP_FAST' },
  { name: 'CONFIG_HAVE_GUP_FAST', old: '6.9', new: '6.10', probe: (v) => kconfig(P(`${v}/x86_64`), 'CONFIG_HAVE_GUP_FAST'), before: 'n', after: 'y' },
  { name: 'GUP-fast PMD leaf function cited', old: '6.9', new: '6.10', probe: (v) => gupOnEntry(iomemPmd, TTM_VMA, P(`${v}/x86_64`), 'get_user_pages_fast').steps.map((s) => (s.citation ? formatCitation(s.citation) : '')).some((c) => c.includes('gup_fast_pmd_leaf')), before: false, after: true },
  // 6.11/6.12: huge pfnmap (special bits)
  { name: 'PFN_DEV-only PMD on x86_64 is special', old: '6.11', new: '6.12', probe: (v) => simulateInsertion({ api: 'vmf_insert_pfn_pmd', pfn: pfnDevOnly, vma: PFNMAP_IO_VMA, backing: 'iomem' }, P(`${v}/x86_64`)).entry!.special, before: false, after: true },
  { name: 'GUP-fast on that entry', old: '6.11', new: '6.12', probe: (v) => { const p = P(`${v}/x86_64`); const e = simulateInsertion({ api: 'vmf_insert_pfn_pmd', pfn: pfnDevOnly, vma: PFNMAP_IO_VMA, backing: 'iomem' }, p).entry!; return gupOnEntry(e, PFNMAP_IO_VMA, p, 'get_user_pages_fast').outcome; }, before: 'derefs-missing-struct-page', after: 'bails-special' },
  { name: 'CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP', old: '6.11', new: '6.12', probe: (v) => kconfig(P(`${v}/x86_64`), 'CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP'), before: 'n', after: 'y' },
  { name: 'fork copies special PMD', old: '6.11', new: '6.12', probe: (v) => splitZapFork(P(`${v}/x86_64`), { ...iomemPmd, special: true }, PFNMAP_IO_VMA).forkCopies, before: false, after: true },
  { name: 'follow_pfnmap_start exists', old: '6.11', new: '6.12', probe: (v) => exists(`${v}/x86_64`, 'follow_pfnmap_start'), before: false, after: true },
  { name: 'wp_huge_pmd calls ->huge_fault for a private VMA', old: '6.11', new: '6.12', probe: (v) => writeFaultOnHugeEntry(P(`${v}/x86_64`), 'pmd', { ...PFNMAP_IO_VMA, shared: false }).callsHugeFault, before: 'unknown', after: false },
  // 6.14/6.15: folio insertion
  { name: 'vmf_insert_folio_pmd exists', old: '6.14', new: '6.15', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_folio_pmd'), before: false, after: true },
  { name: 'vmf_insert_folio_pud exists', old: '6.14', new: '6.15', probe: (v) => exists(`${v}/x86_64`, 'vmf_insert_folio_pud'), before: false, after: true },
  // 6.16/6.17: pfn_t and devmap removed
  { name: 'pfn_t exists', old: '6.16', new: '6.17', probe: (v) => symExists(`${v}/x86_64`, 'pfn_t'), before: true, after: false },
  { name: 'PFN_DEV exists', old: '6.16', new: '6.17', probe: (v) => symExists(`${v}/x86_64`, 'PFN_DEV'), before: true, after: false },
  { name: '__pfn_to_pfn_t exists', old: '6.16', new: '6.17', probe: (v) => symExists(`${v}/x86_64`, '__pfn_to_pfn_t'), before: true, after: false },
  { name: 'vmf_insert_pfn_pmd pfn argument', old: '6.16', new: '6.17', probe: (v) => apiInfo(P(`${v}/x86_64`), 'vmf_insert_pfn_pmd')!.pfnArg, before: 'pfn_t', after: 'raw' },
  { name: 'vmf_insert_mixed pfn argument', old: '6.16', new: '6.17', probe: (v) => apiInfo(P(`${v}/x86_64`), 'vmf_insert_mixed')!.pfnArg, before: 'pfn_t', after: 'raw' },
  { name: 'CONFIG_ARCH_HAS_PTE_DEVMAP', old: '6.16', new: '6.17', probe: (v) => kconfig(P(`${v}/x86_64`), 'CONFIG_ARCH_HAS_PTE_DEVMAP'), before: 'y', after: 'n' },
  { name: 'PFN_DEV|PFN_MAP-style PMD bits (devmap, special)', old: '6.16', new: '6.17', probe: (v) => { const e = simulateInsertion({ api: 'vmf_insert_pfn_pmd', pfn: v === '6.16' ? devmapPfn : { kind: 'raw' }, vma: v === '6.16' ? DEVDAX_VMA : { ...DEVDAX_VMA, mixedmap: true }, backing: 'dev-pagemap' }, P(`${v}/x86_64`)).entry!; return [e.devmap, e.special]; }, before: [true, false], after: [false, true] },
  { name: 'devmap pfn in a DAX VMA without PFNMAP/MIXEDMAP hits BUG_ON', old: '6.16', new: '6.17', probe: (v) => simulateInsertion({ api: 'vmf_insert_pfn_pmd', pfn: v === '6.16' ? devmapPfn : { kind: 'raw' }, vma: DEVDAX_VMA, backing: 'dev-pagemap' }, P(`${v}/x86_64`)).returnCode, before: 'VM_FAULT_NOPAGE', after: 'BUG' },
  { name: 'refcounted folio PMD marked special (6.15–6.16 bug)', old: '6.16', new: '6.17', probe: (v) => simulateInsertion({ api: 'vmf_insert_folio_pmd', pfn: { kind: 'folio' }, vma: DEVDAX_VMA, backing: 'folio', folioOrderMatches: true }, P(`${v}/x86_64`)).entry!.special, before: true, after: false },
];

for (const b of BOUNDARIES) {
  test(`${b.old}/${b.new}: ${b.name}`, () => {
    assert.deepEqual(b.probe(b.old), b.before, `at ${b.old}`);
    assert.deepEqual(b.probe(b.new), b.after, `at ${b.new}`);
  });
}

test('every boundary named by the issue is covered', () => {
  const pairs = new Set(BOUNDARIES.map((b) => `${b.old}/${b.new}`));
  for (const want of ['5.6/5.7', '5.15/5.16', '5.19/6.0', '6.3/6.4', '6.5/6.6', '6.6/6.7', '6.9/6.10', '6.11/6.12', '6.14/6.15', '6.16/6.17']) assert.ok(pairs.has(want), want);
});
