import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreOnReturn, hugeFaultReached, splitZapFork, writeFaultOnHugeEntry, type HugeFaultQuery, type InstalledEntry, type Tri } from '../../server/src/model';
import { DEVDAX_VMA, P, PFNMAP_IO_VMA, TTM_VMA } from './helpers';

type Q = Omit<HugeFaultQuery, 'hasHugeFault'> & { hasHugeFault?: boolean };
const ROWS: [string, string, Q, Tri, string?][] = [
  ['5.10 THP always, driver VMA', '5.10/x86_64', { level: 'pmd', vma: TTM_VMA, thpPolicy: 'always' }, true],
  ['5.10 madvise without VM_HUGEPAGE', '5.10/x86_64', { level: 'pmd', vma: TTM_VMA, thpPolicy: 'madvise' }, false],
  ['5.10 madvise with VM_HUGEPAGE', '5.10/x86_64', { level: 'pmd', vma: { ...TTM_VMA, hugepage: true }, thpPolicy: 'madvise' }, true],
  ['5.10 never, DAX', '5.10/x86_64', { level: 'pmd', vma: DEVDAX_VMA, thpPolicy: 'never' }, true],
  ['5.10 policy unknown', '5.10/x86_64', { level: 'pmd', vma: TTM_VMA, thpPolicy: 'unknown' }, 'unknown'],
  ['5.10 PUD on x86_64', '5.10/x86_64', { level: 'pud', vma: TTM_VMA, thpPolicy: 'always' }, true],
  ['5.10 PUD on arm64 (no PUD THP)', '5.10/arm64', { level: 'pud', vma: TTM_VMA, thpPolicy: 'always' }, false],
  ['6.1 non-DAX driver VMA (regression)', '6.1/x86_64', { level: 'pmd', vma: PFNMAP_IO_VMA, thpPolicy: 'always' }, false],
  ['6.1 DAX VMA', '6.1/x86_64', { level: 'pmd', vma: DEVDAX_VMA, thpPolicy: 'never' }, true],
  ['6.6 non-DAX (regression, 6.6 uncertain)', '6.6/x86_64', { level: 'pmd', vma: PFNMAP_IO_VMA, thpPolicy: 'always' }, false, 'uncertain'],
  ['6.7 madvise + VM_HUGEPAGE', '6.7/x86_64', { level: 'pmd', vma: { ...PFNMAP_IO_VMA, hugepage: true }, thpPolicy: 'madvise' }, true, 'uncertain'],
  ['6.10 never, MIXEDMAP VMA', '6.10/x86_64', { level: 'pmd', vma: TTM_VMA, thpPolicy: 'never' }, false],
  ['6.12 never, PFNMAP VMA: stable-only bypass → uncertain', '6.12/x86_64', { level: 'pmd', vma: PFNMAP_IO_VMA, thpPolicy: 'never' }, 'unknown', 'uncertain'],
  ['6.12 never, MIXEDMAP VMA: no bypass', '6.12/x86_64', { level: 'pmd', vma: TTM_VMA, thpPolicy: 'never' }, false],
  ['6.12 always, PUD on arm64', '6.12/arm64', { level: 'pud', vma: PFNMAP_IO_VMA, thpPolicy: 'always' }, false],
  ['no ->huge_fault', '6.12/x86_64', { level: 'pmd', vma: PFNMAP_IO_VMA, thpPolicy: 'always', hasHugeFault: false }, false],
  ['THP compiled out', '6.12/x86_64+CONFIG_TRANSPARENT_HUGEPAGE=n', { level: 'pmd', vma: DEVDAX_VMA, thpPolicy: 'always' }, false],
];

for (const [name, prof, q, want, conf] of ROWS) {
  test(`hugeFaultReached: ${name}`, () => {
    const r = hugeFaultReached(P(prof), { hasHugeFault: true, ...q });
    assert.equal(r.value, want);
    if (conf) assert.equal(r.confidence, conf);
    assert.ok(r.steps.length > 0);
  });
}

test('coreOnReturn: FALLBACK walks PUD → PMD → PTE; anything else goes back to the arch handler', () => {
  const p = P('6.12/x86_64');
  assert.equal(coreOnReturn(p, 'pud', 'VM_FAULT_FALLBACK').next, 'try-pmd');
  assert.equal(coreOnReturn(p, 'pmd', 'VM_FAULT_FALLBACK').next, 'try-pte');
  assert.equal(coreOnReturn(p, 'pmd', 'VM_FAULT_SIGBUS').next, 'return-to-arch');
  assert.equal(coreOnReturn(p, 'pmd', 'VM_FAULT_SIGBUS').userVisible, 'SIGBUS');
  assert.equal(coreOnReturn(p, 'pud', 'VM_FAULT_NOPAGE').next, 'return-to-arch');
  assert.equal(coreOnReturn(p, 'pmd', 'VM_FAULT_RETRY').next, 'retry-fault');
  assert.equal(coreOnReturn(p, 'pmd', 'VM_FAULT_OOM').next, 'return-to-arch');
  const zero = coreOnReturn(p, 'pmd', '0');
  assert.equal(zero.steps[0]!.confidence, 'uncertain');
});

test('writeFaultOnHugeEntry: any VMA in 6.1, shared only in 6.12, split on fallback', () => {
  const private_ = { ...PFNMAP_IO_VMA, shared: false as const };
  assert.equal(writeFaultOnHugeEntry(P('6.1/x86_64'), 'pmd', private_).callsHugeFault, true);
  assert.equal(writeFaultOnHugeEntry(P('6.12/x86_64'), 'pmd', private_).callsHugeFault, false);
  assert.equal(writeFaultOnHugeEntry(P('6.12/x86_64'), 'pud', PFNMAP_IO_VMA).callsHugeFault, true);
  assert.equal(writeFaultOnHugeEntry(P('6.12/x86_64'), 'pmd', PFNMAP_IO_VMA).splitsOnFallback, true);
  assert.equal(writeFaultOnHugeEntry(P('5.4/x86_64'), 'pmd', PFNMAP_IO_VMA).splitsOnFallback, 'unknown');
});

test('splitZapFork: special VMAs are zapped on split; fork copies special PMDs from 6.12', () => {
  const e: InstalledEntry = { level: 'pmd', devmap: false, special: true, refcounted: false, backing: 'iomem', pfn: { kind: 'raw' } };
  const r = splitZapFork(P('6.12/x86_64'), e, PFNMAP_IO_VMA);
  assert.equal(r.splitZapsOnly, true);
  assert.equal(r.forkCopies, true);
  assert.equal(splitZapFork(P('6.1/x86_64'), { ...e, special: false }, PFNMAP_IO_VMA).forkCopies, false);
  assert.ok(r.steps.some((s) => s.citation?.symbol === '__split_huge_pmd_locked'));
});
