// Whole-table checks: every timeline is ordered and starts at 5.4, every step is cited or marked,
// API/symbol answers exist for every version, and open uncertainties surface as 'uncertain'.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiInfo, capabilities, formatCitation, knownApis, knownSymbols, knownVersions, formatVersion, makeProfile, symbolInfo, timeline, ver, compareVersions,
  type Timeline,
} from '../../server/src/model';

test('every kernel timeline starts at 5.4 and is strictly ordered', () => {
  for (const [name, tl] of Object.entries(timeline) as [string, Timeline<unknown>][]) {
    if (!Array.isArray(tl)) continue;
    assert.equal(tl[0]!.from, '5.4', name);
    for (let i = 1; i < tl.length; i++) assert.ok(compareVersions(ver(tl[i - 1]!.from), ver(tl[i]!.from)) < 0, `${name} order at ${tl[i]!.from}`);
    for (const era of tl) {
      assert.ok(era.text.length > 10, `${name}@${era.from} has text`);
      assert.ok(era.cite, `${name}@${era.from} has a citation`);
      if (era.value === 'unknown') assert.equal(era.confidence, 'uncertain', `${name}@${era.from}: unknown values are uncertain`);
    }
  }
});

test('apiInfo and symbolInfo answer for every known name in every known version and arch x86_64', () => {
  for (const v of knownVersions()) {
    const p = makeProfile(v, 'x86_64');
    for (const name of knownApis()) {
      const info = apiInfo(p, name)!;
      assert.ok(info.signature.includes(name), `${name}@${formatVersion(v)}`);
      assert.ok(info.steps.length > 0);
    }
    for (const name of knownSymbols()) assert.ok(symbolInfo(p, name)!.meaning.length > 10);
    assert.ok(capabilities(p).fastGup.steps.length > 0);
  }
  assert.equal(apiInfo(makeProfile(ver('6.12'), 'x86_64'), 'not_an_api'), undefined);
  assert.equal(symbolInfo(makeProfile(ver('6.12'), 'x86_64'), 'NOT_A_SYMBOL'), undefined);
});

test('apiInfo carries since/removedIn/replacement and signatures as in that version', () => {
  const p = (v: string) => makeProfile(ver(v), 'x86_64');
  const prot = apiInfo(p('6.5'), 'vmf_insert_pfn_pmd_prot')!;
  assert.equal(prot.exists, false);
  assert.equal(prot.since, '5.7');
  assert.equal(prot.removedIn, '6.4');
  assert.match(prot.replacement!, /vmf_insert_pfn_pmd/);
  assert.equal(apiInfo(p('6.1'), 'vmf_insert_pfn_pmd')!.signature, 'vm_fault_t vmf_insert_pfn_pmd(struct vm_fault *vmf, pfn_t pfn, bool write)');
  assert.equal(apiInfo(p('6.17'), 'vmf_insert_pfn_pmd')!.signature, 'vm_fault_t vmf_insert_pfn_pmd(struct vm_fault *vmf, unsigned long pfn, bool write)');
  assert.equal(apiInfo(p('6.15'), 'vmf_insert_folio_pud')!.signature, 'vm_fault_t vmf_insert_folio_pud(struct vm_fault *vmf, struct folio *folio, bool write)');
  assert.deepEqual(apiInfo(p('6.15'), 'vmf_insert_folio_pud')!.requiresKconfig, ['CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD']);
  assert.equal(apiInfo(p('6.15'), 'vmf_insert_folio_pmd')!.confidence, 'posting');
  assert.equal(apiInfo(p('6.12'), 'vmf_insert_pfn_pmd')!.confidence, 'verified');
  assert.equal(apiInfo(p('7.1'), 'vmf_insert_folio_pmd')!.confidence, 'inferred');
  const mixedProt = apiInfo(p('5.8'), 'vmf_insert_mixed_prot')!;
  assert.equal(mixedProt.exists, true);
  assert.equal(mixedProt.confidence, 'uncertain');
});

test('formatCitation renders file:symbol @ vX.Y and postings', () => {
  assert.equal(formatCitation({ file: 'mm/gup.c', symbol: 'gup_fast_pmd_leaf', version: '6.12' }), 'mm/gup.c:gup_fast_pmd_leaf @ v6.12');
  assert.equal(formatCitation({ file: 'LKML', symbol: 'mm: remove enum page_entry_size', version: '6.6' }), 'LKML "mm: remove enum page_entry_size" (v6.6)');
});

test('symbolInfo explains VM_FAULT codes, VMA flags and PFN flags with a kind', () => {
  const p = makeProfile(ver('6.12'), 'x86_64');
  assert.equal(symbolInfo(p, 'VM_FAULT_FALLBACK')!.kind, 'vm-fault-code');
  assert.equal(symbolInfo(p, 'VM_PFNMAP')!.kind, 'vm-flag');
  assert.equal(symbolInfo(p, 'PFN_MAP')!.kind, 'pfn-flag');
  assert.equal(symbolInfo(p, 'VM_ALLOW_ANY_UNCACHED')!.exists, true);
  assert.equal(symbolInfo(makeProfile(ver('6.1'), 'x86_64'), 'VM_ALLOW_ANY_UNCACHED')!.exists, false);
  assert.equal(symbolInfo(makeProfile(ver('6.5'), 'x86_64'), 'VM_ALLOW_ANY_UNCACHED')!.confidence, 'uncertain');
  assert.equal(symbolInfo(makeProfile(ver('6.17'), 'x86_64'), 'PFN_SPECIAL')!.removedIn, '6.17');
});
