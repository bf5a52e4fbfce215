import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainVma, simulateInsertion, unknownVma, type InsertionInput, type Tri } from '../../server/src/model';
import { P, PFNMAP_IO_VMA, TTM_VMA } from './helpers';

const devOnly = { kind: 'pfn_t' as const, flags: ['PFN_DEV'] };

interface Row {
  name: string;
  profile: string;
  input: InsertionInput;
  returnCode: string;
  firing?: string[];
  entry?: { devmap: Tri; special: Tri; refcounted: Tri; level: string } | 'none';
}

const ROWS: Row[] = [
  { name: 'huge PFN into a plain VMA (no PFNMAP/MIXEDMAP, not devmap) BUGs', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn_pmd', pfn: devOnly, vma: plainVma() }, returnCode: 'BUG', firing: ['!(VM_PFNMAP|VM_MIXEDMAP) && !pfn_t_devmap(pfn)'], entry: 'none' },
  { name: 'PFNMAP and MIXEDMAP together BUG', profile: '6.1/x86_64', input: { api: 'vmf_insert_pfn_pmd', pfn: devOnly, vma: plainVma({ pfnmap: true, mixedmap: true }) }, returnCode: 'BUG', firing: ['VM_PFNMAP && VM_MIXEDMAP'] },
  { name: 'COW-able PFNMAP BUGs', profile: '6.1/x86_64', input: { api: 'vmf_insert_pfn_pmd', pfn: devOnly, vma: plainVma({ pfnmap: true, cowPossible: true }) }, returnCode: 'BUG', firing: ['VM_PFNMAP && is_cow_mapping()'] },
  { name: 'unknown VMA flags give an unknown outcome, not a guess', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn_pmd', pfn: devOnly, vma: unknownVma() }, returnCode: 'unknown', firing: [], entry: { level: 'pmd', devmap: false, special: true, refcounted: false } },
  { name: 'unknown pfn flags on a devmap arch: devmap and special unknown', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn_pmd', pfn: { kind: 'unknown' }, vma: PFNMAP_IO_VMA }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pmd', devmap: 'unknown', special: 'unknown', refcounted: false } },
  { name: 'aligned start outside the VMA → SIGBUS', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn_pmd', pfn: devOnly, vma: PFNMAP_IO_VMA, alignedStartInVma: false }, returnCode: 'VM_FAULT_SIGBUS', entry: 'none' },
  { name: 'PUD insertion on arm64 does not build (no THP_PUD)', profile: '6.12/arm64', input: { api: 'vmf_insert_pfn_pud', pfn: devOnly, vma: PFNMAP_IO_VMA }, returnCode: 'NOT_BUILT', entry: 'none' },
  { name: 'PUD insertion on x86_64 6.12 → special PUD', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn_pud', pfn: devOnly, vma: PFNMAP_IO_VMA }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pud', devmap: false, special: true, refcounted: false } },
  { name: 'PUD on arm64-like arch 6.17: x86 keeps the PUD special bit', profile: '6.17/x86_64', input: { api: 'vmf_insert_pfn_pud', pfn: { kind: 'raw' }, vma: PFNMAP_IO_VMA }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pud', devmap: false, special: true, refcounted: false } },
  { name: '_prot variant after 6.4 does not build', profile: '6.4/x86_64', input: { api: 'vmf_insert_pfn_pmd_prot', pfn: devOnly, vma: TTM_VMA }, returnCode: 'NOT_BUILT' },
  { name: 'folio of the wrong order → WARN + SIGBUS', profile: '6.15/x86_64', input: { api: 'vmf_insert_folio_pmd', pfn: { kind: 'folio' }, vma: plainVma({ shared: true }), folioOrderMatches: false }, returnCode: 'VM_FAULT_SIGBUS', entry: 'none' },
  { name: 'folio of unknown order → unknown', profile: '6.17/x86_64', input: { api: 'vmf_insert_folio_pmd', pfn: { kind: 'folio' }, vma: plainVma({ shared: true }) }, returnCode: 'unknown', entry: { level: 'pmd', devmap: false, special: false, refcounted: true } },
  { name: 'folio insertion before 6.15 does not build', profile: '6.14/x86_64', input: { api: 'vmf_insert_folio_pmd', pfn: { kind: 'folio' }, vma: plainVma() }, returnCode: 'NOT_BUILT' },
  { name: 'vmf_insert_pfn into MIXEDMAP with a struct-page pfn BUGs', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn', pfn: { kind: 'raw' }, vma: plainVma({ mixedmap: true }), backing: 'driver-pages' }, returnCode: 'BUG', firing: ['VM_MIXEDMAP && pfn_valid(pfn)'] },
  { name: 'vmf_insert_pfn into PFNMAP → special PTE', profile: '6.12/x86_64', input: { api: 'vmf_insert_pfn', pfn: { kind: 'raw' }, vma: PFNMAP_IO_VMA, backing: 'iomem' }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pte', devmap: false, special: true, refcounted: false } },
  { name: 'vmf_insert_pfn on arm (no pte_special) → not special', profile: '6.12/arm', input: { api: 'vmf_insert_pfn', pfn: { kind: 'raw' }, vma: PFNMAP_IO_VMA, backing: 'iomem' }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pte', devmap: false, special: false, refcounted: false } },
  { name: 'vmf_insert_mixed misuse BUGs on 6.1', profile: '6.1/x86_64', input: { api: 'vmf_insert_mixed', pfn: devOnly, vma: PFNMAP_IO_VMA, backing: 'iomem' }, returnCode: 'BUG', firing: ['!vm_mixed_ok()'] },
  { name: 'vmf_insert_mixed misuse returns SIGBUS on 6.12', profile: '6.12/x86_64', input: { api: 'vmf_insert_mixed', pfn: devOnly, vma: PFNMAP_IO_VMA, backing: 'iomem' }, returnCode: 'VM_FAULT_SIGBUS', entry: 'none' },
  { name: 'vmf_insert_mixed misuse between 6.1 and 6.12 is uncertain', profile: '6.6/x86_64', input: { api: 'vmf_insert_mixed', pfn: devOnly, vma: PFNMAP_IO_VMA, backing: 'iomem' }, returnCode: 'unknown' },
  { name: 'vmf_insert_mixed in MIXEDMAP → special PTE', profile: '6.12/x86_64', input: { api: 'vmf_insert_mixed', pfn: devOnly, vma: TTM_VMA, backing: 'iomem' }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pte', devmap: false, special: true, refcounted: false } },
  { name: 'vmf_insert_mixed devmap pfn → devmap PTE (fs/dax)', profile: '6.1/x86_64', input: { api: 'vmf_insert_mixed', pfn: { kind: 'pfn_t', flags: ['PFN_DEV', 'PFN_MAP'] }, vma: plainVma({ dax: true }), backing: 'dev-pagemap' }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pte', devmap: true, special: false, refcounted: false } },
  { name: 'vmf_insert_mixed without pte_special and a page → refcounted insert_page', profile: '6.1/arm', input: { api: 'vmf_insert_mixed', pfn: { kind: 'pfn_t', flags: [] }, vma: plainVma({ mixedmap: true }), backing: 'driver-pages' }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pte', devmap: false, special: false, refcounted: true } },
  { name: 'vmf_insert_page from a fault without MIXEDMAP BUGs', profile: '6.12/x86_64', input: { api: 'vmf_insert_page', pfn: { kind: 'page' }, vma: plainVma() }, returnCode: 'BUG', firing: ['!VM_MIXEDMAP && mmap_read_trylock() succeeds'] },
  { name: 'vmf_insert_page into MIXEDMAP → refcounted PTE', profile: '6.12/x86_64', input: { api: 'vmf_insert_page', pfn: { kind: 'page' }, vma: plainVma({ mixedmap: true }) }, returnCode: 'VM_FAULT_NOPAGE', entry: { level: 'pte', devmap: false, special: false, refcounted: true } },
  { name: 'remap_pfn_range → special PTEs, returns 0', profile: '6.12/x86_64', input: { api: 'remap_pfn_range', pfn: { kind: 'raw' }, vma: PFNMAP_IO_VMA, backing: 'iomem' }, returnCode: '0', entry: { level: 'pte', devmap: false, special: true, refcounted: false } },
];

for (const r of ROWS) {
  test(`insertion: ${r.name} (${r.profile})`, () => {
    const res = simulateInsertion(r.input, P(r.profile));
    assert.equal(res.returnCode, r.returnCode);
    if (r.firing) assert.deepEqual(res.bugOns.filter((b) => b.fires === true).map((b) => b.condition), r.firing);
    if (r.entry === 'none') assert.equal(res.entry, undefined);
    else if (r.entry) {
      assert.ok(res.entry);
      const { level, devmap, special, refcounted } = res.entry;
      assert.deepEqual({ level, devmap, special, refcounted }, r.entry);
    }
    assert.ok(res.steps.length > 0);
  });
}

test('unknown API names are reported, not guessed', () => {
  const r = simulateInsertion({ api: 'vmf_insert_banana', pfn: { kind: 'raw' }, vma: PFNMAP_IO_VMA }, P('6.12/x86_64'));
  assert.equal(r.apiExists, false);
  assert.equal(r.returnCode, 'unknown');
});

test('pfn_t passed on 6.17 is flagged as not building', () => {
  const r = simulateInsertion({ api: 'vmf_insert_pfn_pmd', pfn: devOnly, vma: PFNMAP_IO_VMA }, P('6.17/x86_64'));
  assert.ok(r.steps.some((s) => /pfn_t no longer exists/.test(s.text)));
});
