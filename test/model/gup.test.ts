import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gupOnEntry, gupWithFallback, type GupCaller, type InstalledEntry, type Tri, type VmaFlags } from '../../server/src/model';
import { DEVDAX_VMA, P, PFNMAP_IO_VMA, TTM_VMA } from './helpers';

const base: InstalledEntry = { level: 'pmd', devmap: false, special: false, refcounted: false, backing: 'iomem', pfn: { kind: 'unknown' } };
const MIXED_ONLY: VmaFlags = { ...TTM_VMA, io: false };

interface Row {
  name: string;
  profile: string;
  entry: Partial<InstalledEntry>;
  vma: VmaFlags;
  caller: GupCaller;
  outcome: string;
  safe: Tri;
  fallsBack?: boolean;
}

const ROWS: Row[] = [
  { name: 'arm (no LPAE) has no GUP-fast', profile: '6.1/arm', entry: {}, vma: TTM_VMA, caller: 'get_user_pages_fast', outcome: 'no-fast-gup', safe: true, fallsBack: true },
  { name: 'riscv64 6.1 has no GUP-fast', profile: '6.1/riscv64', entry: {}, vma: TTM_VMA, caller: 'get_user_pages_fast', outcome: 'no-fast-gup', safe: true, fallsBack: true },
  { name: 'driver pages walked as THP (pre-6.12)', profile: '6.1/x86_64', entry: { backing: 'driver-pages' }, vma: TTM_VMA, caller: 'get_user_pages_fast', outcome: 'refcounts-driver-page', safe: false, fallsBack: false },
  { name: 'unknown backing walked as THP → unknown safety', profile: '6.1/x86_64', entry: { backing: 'unknown' }, vma: TTM_VMA, caller: 'pin_user_pages_fast', outcome: 'walks-as-thp', safe: 'unknown' },
  { name: 'special bit unknown on 6.12 → unknown', profile: '6.12/x86_64', entry: { special: 'unknown' }, vma: PFNMAP_IO_VMA, caller: 'get_user_pages_fast', outcome: 'unknown', safe: 'unknown' },
  { name: 'special bit is ignored before 6.12 (no check)', profile: '6.11/x86_64', entry: { special: 'unknown' }, vma: PFNMAP_IO_VMA, caller: 'get_user_pages_fast', outcome: 'derefs-missing-struct-page', safe: false },
  { name: 'devmap with pagemap', profile: '6.1/arm64', entry: { devmap: true, backing: 'dev-pagemap' }, vma: DEVDAX_VMA, caller: 'get_user_pages_fast', outcome: 'devmap-reference', safe: true, fallsBack: false },
  { name: 'devmap long-term refused in GUP-fast', profile: '6.12/x86_64', entry: { devmap: true, backing: 'dev-pagemap' }, vma: DEVDAX_VMA, caller: 'pin_user_pages_fast_longterm', outcome: 'refused-longterm', safe: true, fallsBack: true },
  { name: 'PTE special bails', profile: '6.12/x86_64', entry: { level: 'pte', special: true }, vma: PFNMAP_IO_VMA, caller: 'get_user_pages_fast', outcome: 'bails-special', safe: true, fallsBack: true },
  { name: 'PTE on an arch without pte_special fails GUP-fast', profile: '6.12/arm-lpae+CONFIG_ARCH_HAS_PTE_SPECIAL=n', entry: { level: 'pte' }, vma: TTM_VMA, caller: 'get_user_pages_fast', outcome: 'bails-pte-no-special', safe: true, fallsBack: true },
  { name: 'slow GUP walks a MIXEDMAP-only VMA and derefs', profile: '6.12/x86_64', entry: { special: true }, vma: MIXED_ONLY, caller: 'get_user_pages', outcome: 'derefs-missing-struct-page', safe: false },
  { name: 'slow GUP on special PTE in MIXEDMAP → -EFAULT', profile: '6.12/x86_64', entry: { level: 'pte', special: true }, vma: MIXED_ONLY, caller: 'get_user_pages', outcome: 'efault-special', safe: true },
  { name: 'slow GUP devmap without pagemap → -EFAULT', profile: '6.1/x86_64', entry: { devmap: true, backing: 'iomem' }, vma: MIXED_ONLY, caller: 'get_user_pages', outcome: 'efault-no-pagemap', safe: true },
  { name: 'slow GUP, VMA flags unknown → unknown', profile: '6.12/x86_64', entry: {}, vma: { ...TTM_VMA, io: 'unknown', pfnmap: 'unknown' }, caller: 'get_user_pages', outcome: 'unknown', safe: 'unknown' },
  { name: 'slow GUP non-devmap PUD before 6.12 is not described', profile: '6.1/x86_64', entry: { level: 'pud' }, vma: MIXED_ONLY, caller: 'get_user_pages', outcome: 'unknown', safe: 'unknown' },
  { name: 'follow_pfnmap translates on 6.12', profile: '6.12/x86_64', entry: { special: true }, vma: PFNMAP_IO_VMA, caller: 'follow_pfnmap', outcome: 'translates-pfn', safe: true },
  { name: 'follow_pfnmap refuses MIXEDMAP-only', profile: '6.12/x86_64', entry: {}, vma: MIXED_ONLY, caller: 'follow_pfnmap', outcome: 'refused-not-pfnmap', safe: true },
  { name: 'follow_pfnmap before 6.12 is not modelled', profile: '6.1/x86_64', entry: {}, vma: PFNMAP_IO_VMA, caller: 'follow_pfnmap', outcome: 'unknown', safe: 'unknown' },
  { name: 'refcounted folio', profile: '6.17/x86_64', entry: { refcounted: true, backing: 'folio' }, vma: DEVDAX_VMA, caller: 'get_user_pages_fast', outcome: 'folio-reference', safe: true },
  { name: 'long-term pin of a DAX file folio refused by the folio filter', profile: '6.17/x86_64', entry: { refcounted: true, backing: 'folio' }, vma: DEVDAX_VMA, caller: 'pin_user_pages_fast_longterm', outcome: 'refused-longterm', safe: true, fallsBack: true },
];

for (const r of ROWS) {
  test(`gup: ${r.name} (${r.profile}, ${r.caller})`, () => {
    const res = gupOnEntry({ ...base, ...r.entry }, r.vma, P(r.profile), r.caller);
    assert.equal(res.outcome, r.outcome);
    assert.equal(res.safe, r.safe);
    if (r.fallsBack !== undefined) assert.equal(res.fallsBackToSlow, r.fallsBack);
    assert.ok(res.steps.length > 0);
  });
}

test('no GUP-fast: the call continues in slow GUP', () => {
  const s = gupWithFallback(base, TTM_VMA, P('6.1/riscv64'), 'get_user_pages_fast');
  assert.equal(s.fast!.outcome, 'no-fast-gup');
  assert.equal(s.slow!.outcome, 'efault-vma-flags');
  assert.equal(s.outcome, 'efault-vma-flags');
});

test('6.15–6.16 folio-special bug: GUP-fast falls back to slow GUP, which takes the folio', () => {
  const e: InstalledEntry = { ...base, special: true, refcounted: true, backing: 'folio' };
  const s = gupWithFallback(e, DEVDAX_VMA, P('6.15/x86_64'), 'get_user_pages_fast');
  assert.equal(s.fast!.outcome, 'bails-special');
  assert.equal(s.slow!.outcome, 'folio-reference');
  assert.equal(s.safe, true);
});

test('slow GUP on special PMD after 6.12 carries the open uncertainty', () => {
  const r = gupOnEntry({ ...base, special: true }, MIXED_ONLY, P('6.15/x86_64'), 'get_user_pages');
  assert.equal(r.confidence, 'uncertain');
  assert.ok(r.steps.some((s) => s.confidence === 'uncertain' && /follow_huge_pmd/.test(s.text)));
});
