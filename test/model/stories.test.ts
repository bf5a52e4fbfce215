// The end-to-end stories of issue 3: insertion → GUP-fast → slow GUP, each explained with citations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCitation, gupWithFallback, simulateInsertion, type GupStory, type InsertionResult } from '../../server/src/model';
import { DEVDAX_VMA, P, PFNMAP_IO_VMA, TTM_VMA } from './helpers';

function cites(r: { steps: { citation?: { file: string; symbol: string; version: string } }[] }): string[] {
  return r.steps.flatMap((s) => (s.citation ? [formatCitation(s.citation)] : []));
}

function run(profile: string, api: string, flags: string[], vma: typeof TTM_VMA, backing: 'iomem' | 'dev-pagemap'): { ins: InsertionResult; fast: GupStory; pin: GupStory; longterm: GupStory; slow: GupStory } {
  const p = P(profile);
  const ins = simulateInsertion({ api, pfn: { kind: 'pfn_t', flags }, vma, backing, write: false }, p);
  assert.ok(ins.entry, `${profile}: an entry is installed`);
  return {
    ins,
    fast: gupWithFallback(ins.entry, vma, p, 'get_user_pages_fast'),
    pin: gupWithFallback(ins.entry, vma, p, 'pin_user_pages_fast'),
    longterm: gupWithFallback(ins.entry, vma, p, 'pin_user_pages_fast_longterm'),
    slow: gupWithFallback(ins.entry, vma, p, 'get_user_pages'),
  };
}

test('story 1: TTM PFN_DEV-only PMD on 5.11/x86_64 → GUP-fast dereferences a non-existent struct page', () => {
  const r = run('5.11/x86_64', 'vmf_insert_pfn_pmd_prot', ['PFN_DEV'], TTM_VMA, 'iomem');
  assert.equal(r.ins.returnCode, 'VM_FAULT_NOPAGE');
  assert.deepEqual(r.ins.bugOns.map((b) => b.fires), [false, false, false]);
  assert.equal(r.ins.entry!.devmap, false);
  assert.equal(r.ins.entry!.special, false);
  assert.equal(r.fast.fast!.outcome, 'derefs-missing-struct-page');
  assert.equal(r.fast.safe, false);
  assert.equal(r.fast.slow, undefined, 'GUP-fast succeeded (wrongly): no fallback');
  assert.equal(r.pin.outcome, 'derefs-missing-struct-page');
  assert.equal(r.slow.outcome, 'efault-vma-flags', 'VM_IO keeps slow GUP away');
  assert.ok(cites(r.fast).includes('mm/gup.c:gup_huge_pmd @ v5.10'));
  // 5.11 code was not read: the answer is inferred, not verified.
  assert.notEqual(r.fast.fast!.confidence, 'verified');
});

test('story 1 on 5.10 (the tree read as [R5.10]) is verified at the GUP-fast leaf step', () => {
  const r = run('5.10/x86_64', 'vmf_insert_pfn_pmd_prot', ['PFN_DEV'], TTM_VMA, 'iomem');
  assert.equal(r.fast.outcome, 'derefs-missing-struct-page');
  const grab = r.fast.steps.find((s) => /try_grab_compound_head/.test(s.text))!;
  assert.equal(grab.confidence, 'verified');
  assert.equal(formatCitation(grab.citation!), 'mm/gup.c:gup_huge_pmd @ v5.10');
});

test('story 2: the same code on 6.12/x86_64 → special, GUP-fast bails, slow GUP -EFAULT', () => {
  const r = run('6.12/x86_64', 'vmf_insert_pfn_pmd', ['PFN_DEV'], PFNMAP_IO_VMA, 'iomem');
  assert.equal(r.ins.entry!.special, true);
  assert.equal(r.ins.entry!.devmap, false);
  assert.equal(r.fast.fast!.outcome, 'bails-special');
  assert.equal(r.fast.fast!.fallsBackToSlow, true);
  assert.equal(r.fast.slow!.outcome, 'efault-vma-flags');
  assert.equal(r.fast.outcome, 'efault-vma-flags');
  assert.equal(r.fast.safe, true);
  assert.ok(cites(r.fast).includes('mm/gup.c:gup_fast_pmd_leaf @ v6.12'));
  assert.ok(cites(r.fast).includes('mm/gup.c:check_vma_flags @ v6.12'));
  assert.ok(r.fast.steps.some((s) => s.confidence === 'verified'));
});

test('story 3: the same code on 6.12/riscv64 → no PMD special bit, unsafe again', () => {
  const r = run('6.12/riscv64', 'vmf_insert_pfn_pmd', ['PFN_DEV'], PFNMAP_IO_VMA, 'iomem');
  assert.equal(r.ins.entry!.special, false, 'pmd_mkspecial is a no-op without ARCH_SUPPORTS_PMD_PFNMAP');
  assert.equal(r.fast.outcome, 'derefs-missing-struct-page');
  assert.equal(r.fast.safe, false);
  assert.ok(r.ins.steps.some((s) => /no-ops/.test(s.text)));
});

test("story 4: the RFC's PFN_DEV|PFN_MAP remedy on 5.11/x86_64 → devmap, no pagemap, falls back", () => {
  const r = run('5.11/x86_64', 'vmf_insert_pfn_pmd_prot', ['PFN_DEV', 'PFN_MAP'], TTM_VMA, 'iomem');
  assert.equal(r.ins.entry!.devmap, true);
  assert.equal(r.fast.fast!.outcome, 'falls-back-no-pagemap');
  assert.equal(r.fast.slow!.outcome, 'efault-vma-flags');
  assert.equal(r.fast.safe, true);
  assert.equal(r.longterm.fast!.outcome, 'refused-longterm');
  assert.ok(cites(r.fast).some((c) => c.startsWith('mm/gup.c:__gup_device_huge_pmd')));
});

test('story 5: the remedy on 6.1/s390 → no devmap bit on s390, unsafe', () => {
  const r = run('6.1/s390', 'vmf_insert_pfn_pmd_prot', ['PFN_DEV', 'PFN_MAP'], TTM_VMA, 'iomem');
  assert.equal(r.ins.entry!.devmap, false, 'pfn_t_devmap is constant false without ARCH_HAS_PTE_DEVMAP');
  assert.equal(r.fast.outcome, 'derefs-missing-struct-page');
  assert.equal(r.fast.safe, false);
  assert.ok(r.ins.steps.some((s) => /ARCH_HAS_PTE_DEVMAP not selected/.test(s.text) && s.confidence === 'verified'));
});

test('story 6: device-dax with a pagemap → references taken legitimately', () => {
  const r = run('6.1/x86_64', 'vmf_insert_pfn_pmd', ['PFN_DEV', 'PFN_MAP'], DEVDAX_VMA, 'dev-pagemap');
  assert.deepEqual(r.ins.bugOns.map((b) => b.fires), [false, false, false], 'devmap escapes the PFNMAP/MIXEDMAP BUG_ON');
  assert.equal(r.fast.outcome, 'devmap-reference');
  assert.equal(r.fast.safe, true);
  assert.equal(r.slow.outcome, 'devmap-reference');
  assert.equal(r.longterm.fast!.outcome, 'refused-longterm');
  assert.equal(r.longterm.slow!.outcome, 'devmap-reference', 'device-dax is not fs-dax: slow long-term pin allowed');
});

test('story 6b: fs-dax long-term pin is refused in slow GUP', () => {
  const vma = { ...DEVDAX_VMA, fsdax: true as const };
  const r = run('6.1/x86_64', 'vmf_insert_pfn_pmd', ['PFN_DEV', 'PFN_MAP'], vma, 'dev-pagemap');
  assert.equal(r.longterm.outcome, 'refused-longterm');
});

test('story 7: device-dax on 6.17 uses refcounted folios → folio reference', () => {
  const p = P('6.17/x86_64');
  const ins = simulateInsertion({ api: 'vmf_insert_folio_pmd', pfn: { kind: 'folio' }, vma: DEVDAX_VMA, backing: 'dev-pagemap', folioOrderMatches: true }, p);
  assert.equal(ins.returnCode, 'VM_FAULT_NOPAGE');
  assert.equal(ins.entry!.refcounted, true);
  assert.equal(gupWithFallback(ins.entry!, DEVDAX_VMA, p, 'get_user_pages_fast').outcome, 'folio-reference');
});
