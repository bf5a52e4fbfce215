// What GUP does with an installed entry (mm-gup-facts.md §3, §4): GUP-fast (no VMA, only page-table
// bits), slow GUP (VMA flags first), and follow_pfnmap_start. Each answer is a sequence of steps.

import { cite, step, triOr, triText, weakest, type Confidence, type Step, type Tri } from './citations';
import { capabilities } from './kconfig';
import { followPfnmapApi, gupFastDevmapBranch, gupFastGrab, gupFastHugeSpecialCheck, gupFastLongtermFileFilter, gupFastNames, gupFastPudDevmapTest, slowGupHugePmd } from './kernelTimeline';
import type { Profile } from './profiles';
import type { InstalledEntry, VmaFlags } from './types';
import { after, eraAtOrThrow, localize } from './versions';

export type GupCaller = 'get_user_pages_fast' | 'pin_user_pages_fast' | 'pin_user_pages_fast_longterm' | 'get_user_pages' | 'follow_pfnmap';

/**
 * derefs-missing-struct-page  walks the leaf as a THP and dereferences/refcounts a struct page that does not exist (iomem) — the TTM crash
 * refcounts-driver-page       walks the leaf as a THP and takes references on driver-owned pages that are not a THP
 * walks-as-thp                walks the leaf as a THP; whether a proper struct page is behind it is unknown (backing unknown / ZONE_DEVICE without pgmap ref)
 * folio-reference             takes a reference on a refcounted folio (legitimate)
 * devmap-reference            devmap leaf, dev_pagemap found, references taken (legitimate)
 * falls-back-no-pagemap       devmap leaf without dev_pagemap: GUP-fast undoes and falls back to slow GUP
 * bails-special               special leaf: GUP-fast returns 0 and falls back to slow GUP
 * bails-pte-no-special        arch without pte_special: GUP-fast fails every PTE and falls back
 * refused-longterm            FOLL_LONGTERM refused (devmap leaf / file folio in GUP-fast; fsdax VMA in slow GUP: -EOPNOTSUPP)
 * no-fast-gup                 the arch has no GUP-fast; the call goes straight to slow GUP
 * efault-vma-flags            slow GUP refuses VM_IO|VM_PFNMAP VMAs with -EFAULT before walking
 * efault-no-pagemap           slow GUP: devmap leaf without dev_pagemap → -EFAULT
 * efault-special              slow GUP: special PTE has no normal page → -EFAULT
 * translates-pfn              follow_pfnmap_start returns the pfn without touching any struct page
 * refused-not-pfnmap          follow_pfnmap_start refuses VMAs without VM_IO|VM_PFNMAP
 * unknown                     depends on inputs or facts the model does not have
 */
export type GupOutcome =
  | 'derefs-missing-struct-page'
  | 'refcounts-driver-page'
  | 'walks-as-thp'
  | 'folio-reference'
  | 'devmap-reference'
  | 'falls-back-no-pagemap'
  | 'bails-special'
  | 'bails-pte-no-special'
  | 'refused-longterm'
  | 'no-fast-gup'
  | 'efault-vma-flags'
  | 'efault-no-pagemap'
  | 'efault-special'
  | 'translates-pfn'
  | 'refused-not-pfnmap'
  | 'unknown';

export interface GupResult {
  caller: GupCaller;
  /** Which walker produced this result. */
  path: 'fast' | 'slow' | 'follow_pfnmap';
  outcome: GupOutcome;
  /** true = no struct page is misused; false = a missing or driver-owned struct page is dereferenced/refcounted. */
  safe: Tri;
  /** The fast walk stopped without the pages (or may have): slow GUP runs next (see gupWithFallback). */
  fallsBackToSlow: boolean;
  confidence: Confidence;
  steps: Step[];
}

const GUP = 'mm/gup.c';
const HM = 'mm/huge_memory.c';

const SAFE: Record<GupOutcome, Tri> = {
  'derefs-missing-struct-page': false,
  'refcounts-driver-page': false,
  'walks-as-thp': 'unknown',
  'folio-reference': true,
  'devmap-reference': true,
  'falls-back-no-pagemap': true,
  'bails-special': true,
  'bails-pte-no-special': true,
  'refused-longterm': true,
  'no-fast-gup': true,
  'efault-vma-flags': true,
  'efault-no-pagemap': true,
  'efault-special': true,
  'translates-pfn': true,
  'refused-not-pfnmap': true,
  unknown: 'unknown',
};

const FAST_FALLBACK: ReadonlySet<GupOutcome> = new Set(['falls-back-no-pagemap', 'bails-special', 'bails-pte-no-special', 'refused-longterm', 'no-fast-gup', 'unknown']);

function result(p: Profile, caller: GupCaller, path: GupResult['path'], outcome: GupOutcome, raw: Step[]): GupResult {
  const steps = localize(p.version, raw);
  const confidence = steps.length ? weakest(...steps.map((s) => s.confidence)) : 'inferred';
  return { caller, path, outcome, safe: SAFE[outcome], fallsBackToSlow: path === 'fast' && FAST_FALLBACK.has(outcome), confidence, steps };
}

/** What taking pmd_page()/pfn_to_page() plus a reference does, by backing memory. */
function grabByBacking(entry: InstalledEntry, where: string, steps: Step[], citation: Step['citation'], confidence: Confidence): GupOutcome {
  if (entry.refcounted === true) {
    steps.push(step(`${where}: the entry maps a refcounted folio; a reference on it is legitimate.`, confidence, citation));
    return 'folio-reference';
  }
  switch (entry.backing) {
    case 'iomem':
      steps.push(step(`${where}: takes the struct page of a pfn that has none and grabs a reference — the TTM crash ("will try to deref a struct page … and thus crash").`, confidence, citation));
      return 'derefs-missing-struct-page';
    case 'driver-pages':
      steps.push(step(`${where}: takes a reference on driver-owned pages as if they were a THP (the refcount increment makes them malfunction).`, confidence, citation));
      return 'refcounts-driver-page';
    case 'folio':
      steps.push(step(`${where}: the pfn belongs to a folio but the entry holds no reference of its own; the grab works on a real struct page but is not backed by the inserter.`, 'inferred', citation));
      return 'walks-as-thp';
    case 'dev-pagemap':
      steps.push(step(`${where}: a ZONE_DEVICE page is grabbed without a dev_pagemap reference.`, 'inferred', citation));
      return 'walks-as-thp';
    case 'unknown':
      steps.push(step(`${where}: dereferences the struct page of the pfn as if it were a THP; whether one exists depends on the backing memory, which is unknown.`, confidence, citation));
      return 'walks-as-thp';
  }
}

/** The tree whose gup.c the sheet read closest to this version: [R5.10], [D6.1] or [D6.12]. */
function gupTree(p: Profile): string {
  if (p.version.major === 5) return '5.10';
  return after(p.version, '6.9') ? '6.12' : '6.1';
}

function isFast(caller: GupCaller): boolean {
  return caller === 'get_user_pages_fast' || caller === 'pin_user_pages_fast' || caller === 'pin_user_pages_fast_longterm';
}

// ---------------------------------------------------------------- GUP-fast

function gupFast(entry: InstalledEntry, p: Profile, caller: GupCaller): GupResult {
  const steps: Step[] = [];
  const caps = capabilities(p);
  const names = eraAtOrThrow(gupFastNames, p.version, 'gupFastNames');
  const longterm = caller === 'pin_user_pages_fast_longterm';
  const tree = gupTree(p);
  steps.push(...caps.fastGup.steps);
  if (caps.fastGup.value === false) {
    steps.push(step(`Without CONFIG_${caps.fastGup.symbol} the lockless walk returns nothing and the call goes straight to slow GUP.`, 'verified', cite(GUP, names.value.entry, tree)));
    return result(p, caller, 'fast', 'no-fast-gup', steps);
  }
  if (caps.fastGup.value === 'unknown') return result(p, caller, 'fast', 'unknown', steps);
  steps.push(step('GUP-fast walks the page tables with interrupts off and never looks at the VMA: only page-table bits can stop it.', 'verified', cite(GUP, names.value.entry, tree)));
  if (caller !== 'get_user_pages_fast') steps.push(step('FOLL_PIN: the same walk; it is abandoned if mm->write_protect_seq changed (fork race).', 'verified', cite(GUP, names.value.entry, tree)));

  if (entry.level === 'pte') {
    steps.push(...caps.pteSpecial.steps);
    if (caps.pteSpecial.value === false) {
      steps.push(step('Without pte_special GUP-fast fails every PTE immediately ("we can still pin HugeTLB and THP").', 'verified', cite(GUP, names.value.pteRange, tree)));
      return result(p, caller, 'fast', 'bails-pte-no-special', steps);
    }
    if (caps.pteSpecial.value === 'unknown') return result(p, caller, 'fast', 'unknown', steps);
  }

  const leaf = entry.level === 'pmd' ? names.value.pmdLeaf : entry.level === 'pud' ? names.value.pudLeaf : names.value.pteRange;
  const leafCite = cite(GUP, leaf, tree);
  if (entry.level === 'pud') {
    const t = eraAtOrThrow(gupFastPudDevmapTest, p.version, 'gupFastPudDevmapTest');
    if (t.value !== true) steps.push(t.step);
  }
  if (entry.level !== 'pte') steps.push(step(`${leaf}: ${entry.level}_access_permitted() first (assumed to pass for the access).`, 'verified', leafCite));

  // special bit
  if (entry.level === 'pte') {
    if (entry.special === true) {
      steps.push(step('A special PTE stops GUP-fast; slow GUP decides.', 'verified', cite(GUP, names.value.pteRange, tree)));
      return result(p, caller, 'fast', 'bails-special', steps);
    }
    if (entry.special === 'unknown') return result(p, caller, 'fast', 'unknown', [...steps, step('Whether the PTE is special is unknown.', 'inferred')]);
  } else {
    const sc = eraAtOrThrow(gupFastHugeSpecialCheck, p.version, 'gupFastHugeSpecialCheck');
    steps.push(sc.step);
    if (sc.value) {
      if (entry.special === true) return result(p, caller, 'fast', 'bails-special', steps);
      if (entry.special === 'unknown') return result(p, caller, 'fast', 'unknown', [...steps, step('Whether the leaf carries the special bit is unknown.', 'inferred')]);
    }
  }

  // devmap branch
  const dm = eraAtOrThrow(gupFastDevmapBranch, p.version, 'gupFastDevmapBranch');
  if (dm.value && entry.devmap !== false) {
    steps.push(dm.step);
    if (entry.devmap === 'unknown') return result(p, caller, 'fast', 'unknown', [...steps, step('Whether the leaf is devmap is unknown.', 'inferred')]);
    if (longterm) {
      steps.push(step('FOLL_LONGTERM on a devmap leaf: GUP-fast refuses and falls back.', 'verified', leafCite));
      return result(p, caller, 'fast', 'refused-longterm', steps);
    }
    const dl = cite(GUP, names.value.devmapLeaf, tree);
    if (entry.backing === 'dev-pagemap') {
      steps.push(step(`${names.value.devmapLeaf}: get_dev_pagemap() finds the pagemap for every pfn; page references are taken and the entry rechecked.`, 'verified', dl));
      return result(p, caller, 'fast', 'devmap-reference', steps);
    }
    if (entry.backing === 'unknown') return result(p, caller, 'fast', 'unknown', [...steps, step('Whether a dev_pagemap covers the pfns is unknown.', 'inferred', dl)]);
    steps.push(step(`${names.value.devmapLeaf}: get_dev_pagemap() finds no pagemap, so GUP-fast undoes and falls back (the 2021 RFC's trick).`, 'verified', dl));
    return result(p, caller, 'fast', 'falls-back-no-pagemap', steps);
  }

  // plain leaf: treated like a THP
  const grabCite = entry.level === 'pte' ? cite(GUP, names.value.pteRange, tree) : leafCite;
  const grab = eraAtOrThrow(gupFastGrab, p.version, 'gupFastGrab');
  const what = entry.level === 'pte' ? 'the PTE page' : `${entry.level}_page() + ${grab.value}`;
  if (entry.level !== 'pte' && entry.refcounted !== true) steps.push(step(`A non-devmap, non-special ${entry.level.toUpperCase()} leaf looks exactly like a THP to GUP-fast (on x86 pmd_trans_huge is "PSE without devmap").`, 'verified', cite('arch/x86/include/asm/pgtable.h', 'pmd_trans_huge', '6.1')));
  const outcome = grabByBacking(entry, `${leaf}: ${what}`, steps, grabCite, 'verified');
  if (outcome === 'folio-reference' && longterm) {
    const f = eraAtOrThrow(gupFastLongtermFileFilter, p.version, 'gupFastLongtermFileFilter');
    if (f.value === true && entry.backing !== 'unknown') {
      steps.push(f.step);
      return result(p, caller, 'fast', 'refused-longterm', steps);
    }
    if (f.value === 'unknown') steps.push(f.step);
  }
  return result(p, caller, 'fast', outcome, steps);
}

// ---------------------------------------------------------------- slow GUP

function gupSlow(entry: InstalledEntry, vma: VmaFlags, p: Profile, caller: GupCaller): GupResult {
  const steps: Step[] = [];
  const longterm = caller === 'pin_user_pages_fast_longterm';
  const cvf = cite(GUP, 'check_vma_flags', '6.12');
  const refused = triOr(vma.io, vma.pfnmap);
  if (refused === true) {
    steps.push(step('check_vma_flags(): VM_IO or VM_PFNMAP → -EFAULT before any page-table walk (all versions).', 'verified', cvf));
    return result(p, caller, 'slow', 'efault-vma-flags', steps);
  }
  if (refused === 'unknown') return result(p, caller, 'slow', 'unknown', [step('Whether the VMA has VM_IO or VM_PFNMAP (slow GUP refuses those) is unknown.', 'verified', cvf)]);
  steps.push(step('check_vma_flags() lets the VMA through (no VM_IO/VM_PFNMAP): slow GUP walks VM_MIXEDMAP and DAX VMAs.', 'verified', cvf));
  if (longterm) {
    const fsdax = vma.fsdax ?? (vma.dax === false ? false : 'unknown');
    if (fsdax === true) {
      steps.push(step('FOLL_LONGTERM on an fs-dax VMA → -EOPNOTSUPP.', 'verified', cvf));
      return result(p, caller, 'slow', 'refused-longterm', steps);
    }
    if (fsdax === 'unknown') return result(p, caller, 'slow', 'unknown', [...steps, step('FOLL_LONGTERM is refused for fs-dax VMAs; whether this DAX VMA is fs-dax is unknown.', 'verified', cvf)]);
  }
  const dm = eraAtOrThrow(gupFastDevmapBranch, p.version, 'gupFastDevmapBranch');
  const hasDevmapPath = dm.value;
  if (entry.level === 'pte') {
    const fp = cite(GUP, 'follow_page_pte', '6.12');
    if (entry.special === true) {
      steps.push(step('follow_page_pte: vm_normal_page() returns no page for a special PTE, and follow_pfn_pte() reports -EFAULT.', 'verified', fp));
      return result(p, caller, 'slow', 'efault-special', steps);
    }
    if (entry.special === 'unknown') return result(p, caller, 'slow', 'unknown', [...steps, step('Whether the PTE is special is unknown.', 'inferred', fp)]);
    if (entry.devmap === true && hasDevmapPath) return devmapSlow(p, entry, caller, steps, fp);
    return result(p, caller, 'slow', grabByBacking(entry, 'follow_page_pte: vm_normal_page() + try_grab_folio', steps, fp, 'verified'), steps);
  }
  if (entry.devmap === 'unknown' && hasDevmapPath) return result(p, caller, 'slow', 'unknown', [...steps, step('Whether the leaf is devmap is unknown.', 'inferred')]);
  if (entry.devmap === true && hasDevmapPath) return devmapSlow(p, entry, caller, steps, cite(HM, `follow_devmap_${entry.level}`, '6.12'));
  if (entry.level === 'pmd') {
    const fn = eraAtOrThrow(slowGupHugePmd, p.version, 'slowGupHugePmd');
    steps.push(fn.step);
    const conf: Confidence = entry.special === true && after(p.version, '6.12') ? 'uncertain' : 'verified';
    if (conf === 'uncertain') steps.push(step('Whether follow_huge_pmd gained a pmd_special check after 6.12 is an open uncertainty.', 'uncertain', cite(GUP, 'follow_huge_pmd', '6.12', 'open uncertainty')));
    else if (entry.special === true) steps.push(step('The special bit does not stop slow GUP at PMD level: follow_huge_pmd has no pmd_special check; only VM_IO/VM_PFNMAP keep it away.', 'verified', cite(GUP, 'follow_huge_pmd', '6.12')));
    return result(p, caller, 'slow', grabByBacking(entry, `${fn.value}: pmd_page() + reference`, steps, fn.step.citation, conf), steps);
  }
  // PUD
  if (!after(p.version, '6.11')) {
    steps.push(step('Before 6.12 slow GUP handles PUD leaves only as hugetlb or devmap; what it does with another huge PUD is not described by the sheet.', 'uncertain', cite(GUP, 'follow_pud_mask', '6.1')));
    return result(p, caller, 'slow', 'unknown', steps);
  }
  return result(p, caller, 'slow', grabByBacking(entry, 'follow_huge_pud: pfn_to_page() + try_grab_folio', steps, cite(GUP, 'follow_huge_pud', '6.12'), entry.special === true && after(p.version, '6.12') ? 'uncertain' : 'verified'), steps);
}

function devmapSlow(p: Profile, entry: InstalledEntry, caller: GupCaller, steps: Step[], c: Step['citation']): GupResult {
  if (entry.backing === 'dev-pagemap') {
    steps.push(step('Devmap entry: get_dev_pagemap() finds the pagemap and the page reference is taken.', 'verified', c));
    return result(p, caller, 'slow', 'devmap-reference', steps);
  }
  if (entry.backing === 'unknown') return result(p, caller, 'slow', 'unknown', [...steps, step('Devmap entry: whether a dev_pagemap covers the pfn is unknown.', 'inferred', c)]);
  steps.push(step('Devmap entry without a dev_pagemap → -EFAULT.', 'verified', c));
  return result(p, caller, 'slow', 'efault-no-pagemap', steps);
}

// ---------------------------------------------------------------- follow_pfnmap

function followPfnmap(entry: InstalledEntry, vma: VmaFlags, p: Profile): GupResult {
  const e = eraAtOrThrow(followPfnmapApi, p.version, 'followPfnmapApi');
  const steps: Step[] = [e.step];
  if (!e.value) return result(p, 'follow_pfnmap', 'follow_pfnmap', 'unknown', steps);
  const ok = triOr(vma.io, vma.pfnmap);
  if (ok === false) return result(p, 'follow_pfnmap', 'follow_pfnmap', 'refused-not-pfnmap', [...steps, step('follow_pfnmap_start refuses VMAs without VM_IO|VM_PFNMAP.', 'verified', cite('mm/memory.c', 'follow_pfnmap_start', '6.12'))]);
  if (ok === 'unknown') return result(p, 'follow_pfnmap', 'follow_pfnmap', 'unknown', steps);
  steps.push(step(`The ${entry.level.toUpperCase()} leaf is translated to a pfn (special: ${triText(entry.special)}) without touching a struct page.`, 'verified', cite('mm/memory.c', 'follow_pfnmap_start', '6.12')));
  return result(p, 'follow_pfnmap', 'follow_pfnmap', 'translates-pfn', steps);
}

/** One walker's answer: GUP-fast for the *_fast callers, slow GUP for get_user_pages, or follow_pfnmap_start. */
export function gupOnEntry(entry: InstalledEntry, vma: VmaFlags, p: Profile, caller: GupCaller): GupResult {
  if (caller === 'follow_pfnmap') return followPfnmap(entry, vma, p);
  if (isFast(caller)) return gupFast(entry, p, caller);
  return gupSlow(entry, vma, p, caller);
}

/** Slow GUP as the continuation of a fast caller (keeps FOLL_LONGTERM for the longterm pin). */
export function gupSlowPath(entry: InstalledEntry, vma: VmaFlags, p: Profile, caller: GupCaller): GupResult {
  return gupSlow(entry, vma, p, caller);
}

export interface GupStory {
  caller: GupCaller;
  fast?: GupResult;
  slow?: GupResult;
  /** The decisive outcome: the fast result unless it fell back, then the slow one. */
  outcome: GupOutcome;
  /** Safe only if every walker that ran was safe. */
  safe: Tri;
  steps: Step[];
}

/** The full call: GUP-fast and, when it falls back, slow GUP (product.md §5 simulation). */
export function gupWithFallback(entry: InstalledEntry, vma: VmaFlags, p: Profile, caller: GupCaller): GupStory {
  if (!isFast(caller)) {
    const r = gupOnEntry(entry, vma, p, caller);
    return { caller, slow: r, outcome: r.outcome, safe: r.safe, steps: r.steps };
  }
  const fast = gupFast(entry, p, caller);
  if (!fast.fallsBackToSlow || fast.outcome === 'unknown') return { caller, fast, outcome: fast.outcome, safe: fast.safe, steps: fast.steps };
  const slow = gupSlow(entry, vma, p, caller);
  const safe: Tri = fast.safe === false || slow.safe === false ? false : fast.safe === true && slow.safe === true ? true : 'unknown';
  return { caller, fast, slow, outcome: slow.outcome, safe, steps: [...fast.steps, step('GUP-fast got no pages: the call continues in slow GUP.', 'verified', cite(GUP, 'gup_fast_fallback', '6.12')), ...slow.steps] };
}
