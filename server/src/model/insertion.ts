// What an insertion call does under a profile: preconditions (BUG_ON / WARN), return code, and the
// entry it installs (mm-gup-facts.md §1, §2). Unknown inputs give 'unknown' outcomes, never guesses.

import { apiInfo } from './apiSurface';
import { cite, fact, posting, step, triAnd, triFromYn, triNot, triOr, triText, weakest, type Confidence, type Fact, type Step, type Tri } from './citations';
import { capabilities, kconfigFact } from './kconfig';
import { devmapExists, folioInsertMarksSpecial, hugePfnSpecialMarking, insertDevmapEscape, mixedMisuse, pfnArgument, pudPgprotDropped } from './kernelTimeline';
import type { Profile } from './profiles';
import type { Backing, Check, EntryLevel, InstalledEntry, PfnKind, VmaFlags } from './types';
import { eraAtOrThrow, formatVersion, localize } from './versions';

export interface InsertionInput {
  api: string;
  pfn: PfnKind;
  vma: VmaFlags;
  write?: Tri;
  backing?: Backing;
  /** vmf_insert_folio_*: folio_order() equals PMD_ORDER/PUD_ORDER. */
  folioOrderMatches?: Tri;
  /** The huge-aligned start (address & PMD_MASK/PUD_MASK) lies inside the VMA. Defaults to true (assumed, stated). */
  alignedStartInVma?: Tri;
}

export interface InsertionResult {
  api: string;
  apiExists: boolean;
  bugOns: Check[];
  warns: Check[];
  /** 'VM_FAULT_NOPAGE', 'VM_FAULT_SIGBUS', 'VM_FAULT_OOM', '0' (remap), 'BUG' (a BUG_ON fires), 'NOT_BUILT', 'unknown'. */
  returnCode: string;
  /** The entry installed if the call returns normally (absent when nothing is installed). */
  entry?: InstalledEntry;
  confidence: Confidence;
  steps: Step[];
}

const HM = 'mm/huge_memory.c';
const MEM = 'mm/memory.c';
const PFN_H = 'include/linux/pfn_t.h';

const HUGE_PFN_APIS = ['vmf_insert_pfn_pmd', 'vmf_insert_pfn_pud', 'vmf_insert_pfn_pmd_prot', 'vmf_insert_pfn_pud_prot'];
const FOLIO_APIS = ['vmf_insert_folio_pmd', 'vmf_insert_folio_pud'];
const PTE_PFN_APIS = ['vmf_insert_pfn', 'vmf_insert_pfn_prot'];
const MIXED_APIS = ['vmf_insert_mixed', 'vmf_insert_mixed_mkwrite', 'vmf_insert_mixed_prot'];
const PAGE_APIS = ['vmf_insert_page', 'vm_insert_page'];
const RANGE_APIS = ['remap_pfn_range', 'io_remap_pfn_range'];

export function supportedInsertionApis(): string[] {
  return [...HUGE_PFN_APIS, ...FOLIO_APIS, ...PTE_PFN_APIS, ...MIXED_APIS, ...PAGE_APIS, ...RANGE_APIS];
}

function hasFlag(pfn: PfnKind, flag: string): Tri {
  if (pfn.kind === 'pfn_t') return pfn.flags.includes(flag);
  if (pfn.kind === 'unknown') return 'unknown';
  return false;
}

/** pfn_t_devmap(): PFN_DEV and PFN_MAP on an ARCH_HAS_PTE_DEVMAP arch, before v6.17. §2 */
export function pfnIsDevmap(p: Profile, pfn: PfnKind): Fact<Tri> {
  const era = eraAtOrThrow(devmapExists, p.version, 'devmapExists');
  if (!era.value) return fact<Tri>(false, [era.step]);
  const arch = kconfigFact(p, 'ARCH_HAS_PTE_DEVMAP');
  const flags = triAnd(hasFlag(pfn, 'PFN_DEV'), hasFlag(pfn, 'PFN_MAP'));
  const value = triAnd(flags, triFromYn(arch.value));
  const what = pfn.kind === 'pfn_t' ? `flags ${pfn.flags.length ? pfn.flags.join('|') : '0'}` : pfn.kind === 'unknown' ? 'unknown flags' : `a ${pfn.kind} (no PFN_* flags)`;
  return fact(value, [
    ...arch.steps,
    step(`pfn_t_devmap() needs both PFN_DEV and PFN_MAP and ARCH_HAS_PTE_DEVMAP; with ${what} it is ${triText(value)}.`, 'verified', cite(PFN_H, 'pfn_t_devmap', '6.12')),
  ]);
}

/** Does the memory have a struct page (what pfn_valid() says for it)? */
function backingHasPage(b: Backing): Tri {
  if (b === 'unknown') return 'unknown';
  return b !== 'iomem';
}

function check(condition: string, fires: Tri, text: string, confidence: Confidence, citation?: Step['citation']): Check {
  return { condition, fires, steps: [step(`${text} → ${fires === 'unknown' ? 'may fire (inputs unknown)' : fires ? 'FIRES' : 'does not fire'}.`, confidence, citation)] };
}

function levelOf(api: string): EntryLevel {
  return api.includes('_pud') ? 'pud' : api.includes('_pmd') ? 'pmd' : 'pte';
}

function finish(p: Profile, api: string, apiExists: boolean, bugOns: Check[], warns: Check[], returnCode: string, steps: Step[], entry?: InstalledEntry): InsertionResult {
  let code = returnCode;
  if (bugOns.some((b) => b.fires === true)) code = 'BUG';
  else if (bugOns.some((b) => b.fires === 'unknown') && code !== 'NOT_BUILT') {
    code = 'unknown';
    steps.push(step('A BUG_ON precondition depends on unknown VMA flags or pfn bits, so the outcome is unknown; the entry shown is what gets installed if none fires.', 'inferred'));
  }
  const local = localize(p.version, steps);
  for (const c of [...bugOns, ...warns]) c.steps = localize(p.version, c.steps);
  const all = [...local, ...bugOns.flatMap((b) => b.steps), ...warns.flatMap((w) => w.steps)];
  const confidence = all.length ? weakest(...all.map((s) => s.confidence)) : 'inferred';
  const out: InsertionResult = { api, apiExists, bugOns, warns, returnCode: code, confidence, steps: local };
  if (entry && code !== 'BUG' && code !== 'NOT_BUILT' && code !== 'VM_FAULT_SIGBUS') out.entry = entry;
  return out;
}

function notBuilt(p: Profile, api: string, steps: Step[]): InsertionResult {
  return finish(p, api, false, [], [], 'NOT_BUILT', steps);
}

function addressCheck(input: InsertionInput, level: 'pmd' | 'pud', steps: Step[]): Tri {
  const inside = input.alignedStartInVma ?? true;
  const assumed = input.alignedStartInVma === undefined ? ' (assumed by the simulation)' : '';
  steps.push(step(`Only the ${level.toUpperCase()}-aligned start is checked against the VMA${assumed}: outside → VM_FAULT_SIGBUS; the end of the huge range and pfn alignment are the handler's job.`, 'verified', cite(HM, `vmf_insert_pfn_${level}`, '6.12')));
  return inside;
}

function pfnArgumentStep(p: Profile, input: InsertionInput, steps: Step[]): void {
  const era = eraAtOrThrow(pfnArgument, p.version, 'pfnArgument');
  const k = input.pfn.kind;
  if (era.value === 'pfn_t' && k !== 'pfn_t' && k !== 'unknown') steps.push(step(`${input.api} takes a pfn_t in ${formatVersion(p.version)}; a ${k} argument does not build.`, era.confidence, era.step.citation));
  if (era.value === 'raw' && k === 'pfn_t') steps.push(step(`pfn_t no longer exists in ${formatVersion(p.version)}; ${input.api} takes a raw pfn, so this code does not build (modelled as the equivalent raw pfn).`, era.confidence, era.step.citation));
}

// ---------------------------------------------------------------- huge PFN (vmf_insert_pfn_pmd/pud[_prot])

function hugePfn(p: Profile, input: InsertionInput, steps: Step[]): InsertionResult {
  const level = levelOf(input.api) as 'pmd' | 'pud';
  const caps = capabilities(p);
  const { vma } = input;
  pfnArgumentStep(p, input, steps);
  const devmap = pfnIsDevmap(p, input.pfn);
  steps.push(...devmap.steps);

  const escape = eraAtOrThrow(insertDevmapEscape, p.version, 'insertDevmapEscape');
  const neither = triNot(triOr(vma.pfnmap, vma.mixedmap));
  const bugOns: Check[] = [
    escape.value
      ? check('!(VM_PFNMAP|VM_MIXEDMAP) && !pfn_t_devmap(pfn)', triAnd(neither, triNot(devmap.value)), 'A VMA with neither VM_PFNMAP nor VM_MIXEDMAP may only receive a devmap pfn', escape.confidence, cite(HM, `vmf_insert_pfn_${level}`, '6.12'))
      : check('!(VM_PFNMAP|VM_MIXEDMAP)', neither, 'The VMA must have VM_PFNMAP or VM_MIXEDMAP (no devmap escape any more)', escape.confidence, escape.step.citation),
    check('VM_PFNMAP && VM_MIXEDMAP', triAnd(vma.pfnmap, vma.mixedmap), 'VM_PFNMAP and VM_MIXEDMAP together are a bug', 'verified', cite(HM, `vmf_insert_pfn_${level}`, '6.12')),
    check('VM_PFNMAP && is_cow_mapping()', triAnd(vma.pfnmap, vma.cowPossible), 'A PFNMAP VMA must not be a COW (private, may-write) mapping', 'verified', cite(HM, `vmf_insert_pfn_${level}`, '6.12')),
  ];

  const inside = addressCheck(input, level, steps);
  if (inside === false) return finish(p, input.api, true, bugOns, [], 'VM_FAULT_SIGBUS', steps);
  if (level === 'pmd' && p.arch === 'powerpc64') steps.push(step('On book3s hash MMUs a PTE table is deposited first (failure → VM_FAULT_OOM); the profile assumes radix, where no deposit is needed.', 'inferred', cite(HM, 'vmf_insert_pfn_pmd', '6.12')));
  steps.push(step('track_pfn_insert() picks the cache mode (x86 PAT), then the leaf is installed; VM_FAULT_NOPAGE is returned even if the slot was already populated.', 'verified', cite(HM, `vmf_insert_pfn_${level}`, '6.12')));
  if (level === 'pud') {
    const dropped = eraAtOrThrow(pudPgprotDropped, p.version, 'pudPgprotDropped');
    if (dropped.value !== false) steps.push(dropped.step);
  }
  if (input.write === true) steps.push(step('write=true: the entry is made young and dirty, and writable only if the VMA has VM_WRITE.', 'verified', cite(HM, `insert_pfn_${level}`, '6.12')));
  else steps.push(step('write=false does not make the entry read-only; it just uses the VMA protection.', 'verified', cite(HM, `insert_pfn_${level}`, '6.12')));

  const marking = eraAtOrThrow(hugePfnSpecialMarking, p.version, 'hugePfnSpecialMarking');
  steps.push(marking.step);
  const levelSpecial = level === 'pmd' ? caps.pmdSpecial : caps.pudSpecial;
  let special: Tri;
  if (marking.value === 'never') special = false;
  else {
    steps.push(...levelSpecial.steps);
    special = marking.value === 'always' ? levelSpecial.value : triAnd(triNot(devmap.value), levelSpecial.value);
  }
  steps.push(step(`Installed ${level.toUpperCase()} leaf: devmap ${triText(devmap.value)}, special ${triText(special)}, not refcounted.`, weakest(devmap.confidence, marking.confidence, marking.value === 'never' ? 'verified' : levelSpecial.confidence)));
  const entry: InstalledEntry = { level, devmap: devmap.value, special, refcounted: false, backing: input.backing ?? 'unknown', pfn: input.pfn };
  return finish(p, input.api, true, bugOns, [], inside === 'unknown' ? 'unknown' : 'VM_FAULT_NOPAGE', steps, entry);
}

// ---------------------------------------------------------------- folio (vmf_insert_folio_pmd/pud)

function hugeFolio(p: Profile, input: InsertionInput, steps: Step[]): InsertionResult {
  const level = levelOf(input.api) as 'pmd' | 'pud';
  const caps = capabilities(p);
  const order = input.folioOrderMatches ?? 'unknown';
  const src = posting('fs/dax: Fix ZONE_DEVICE page reference counts', '6.15');
  steps.push(step('No VM_PFNMAP/VM_MIXEDMAP BUG_ONs: the folio is mapped as a normal, refcounted entry (folio_get, file rmap, mm counters).', 'posting', src));
  const warns: Check[] = [check(`folio_order(folio) != ${level.toUpperCase()}_ORDER`, triNot(order), 'WARN_ON_ONCE when the folio is not exactly the huge order (then VM_FAULT_SIGBUS)', 'posting', src)];
  if (order === false) return finish(p, input.api, true, [], warns, 'VM_FAULT_SIGBUS', steps);
  const inside = addressCheck(input, level, steps);
  if (inside === false) return finish(p, input.api, true, [], warns, 'VM_FAULT_SIGBUS', steps);
  const bug = eraAtOrThrow(folioInsertMarksSpecial, p.version, 'folioInsertMarksSpecial');
  steps.push(bug.step);
  const levelSpecial = level === 'pmd' ? caps.pmdSpecial : caps.pudSpecial;
  const special: Tri = bug.value ? levelSpecial.value : false;
  if (bug.value) steps.push(...levelSpecial.steps);
  const entry: InstalledEntry = { level, devmap: false, special, refcounted: true, backing: input.backing ?? 'folio', pfn: input.pfn };
  steps.push(step(`Installed ${level.toUpperCase()} leaf: refcounted folio, devmap no, special ${triText(special)}.`, bug.confidence));
  const code = order === 'unknown' || inside === 'unknown' ? 'unknown' : 'VM_FAULT_NOPAGE';
  if (order === 'unknown') steps.push(step('Whether the folio has the huge order is unknown, so SIGBUS (with a WARN) is possible.', 'inferred'));
  return finish(p, input.api, true, [], warns, code, steps, entry);
}

// ---------------------------------------------------------------- PTE level

function ptePfn(p: Profile, input: InsertionInput, steps: Step[]): InsertionResult {
  const caps = capabilities(p);
  const { vma } = input;
  const hasPage = backingHasPage(input.backing ?? 'unknown');
  const c = cite(MEM, 'vmf_insert_pfn_prot', '6.12');
  const bugOns: Check[] = [
    check('!(VM_PFNMAP|VM_MIXEDMAP)', triNot(triOr(vma.pfnmap, vma.mixedmap)), 'vmf_insert_pfn needs VM_PFNMAP or VM_MIXEDMAP', 'verified', c),
    check('VM_PFNMAP && VM_MIXEDMAP', triAnd(vma.pfnmap, vma.mixedmap), 'Not both VM_PFNMAP and VM_MIXEDMAP', 'verified', c),
    check('VM_PFNMAP && is_cow_mapping()', triAnd(vma.pfnmap, vma.cowPossible), 'A PFNMAP VMA must not be a COW mapping', 'verified', c),
    check('VM_MIXEDMAP && pfn_valid(pfn)', triAnd(vma.mixedmap, hasPage), 'In a MIXEDMAP VMA, pfns with a struct page must go through vmf_insert_mixed/page APIs', 'verified', c),
  ];
  steps.push(step('Range and pfn_modify_allowed() failures → VM_FAULT_SIGBUS; no PTE table → VM_FAULT_OOM; success or already populated → VM_FAULT_NOPAGE.', 'verified', c));
  steps.push(...caps.pteSpecial.steps);
  steps.push(step('The pfn is wrapped with PFN_DEV only (not devmap), so the PTE is marked special where the arch has pte_special.', 'verified', c));
  const entry: InstalledEntry = { level: 'pte', devmap: false, special: caps.pteSpecial.value, refcounted: false, backing: input.backing ?? 'unknown', pfn: input.pfn };
  return finish(p, input.api, true, bugOns, [], 'VM_FAULT_NOPAGE', steps, entry);
}

function pteMixed(p: Profile, input: InsertionInput, steps: Step[]): InsertionResult {
  const caps = capabilities(p);
  const { vma } = input;
  pfnArgumentStep(p, input, steps);
  const devmap = pfnIsDevmap(p, input.pfn);
  steps.push(...devmap.steps);
  const hasPage = backingHasPage(input.backing ?? 'unknown');
  const pfnSpecial = triAnd(hasFlag(input.pfn, 'PFN_SPECIAL'), caps.pteSpecial.value);
  const ok = triOr(vma.mixedmap, devmap.value, pfnSpecial);
  const misuse = eraAtOrThrow(mixedMisuse, p.version, 'mixedMisuse');
  steps.push(step('vm_mixed_ok(): the VMA has VM_MIXEDMAP, or the pfn is devmap or PFN_SPECIAL (or the zero pfn).', 'verified', cite(MEM, 'vm_mixed_ok', '6.12')));
  const bugOns: Check[] = [];
  let code = 'VM_FAULT_NOPAGE';
  if (misuse.value === 'bug-on') bugOns.push(check('!vm_mixed_ok()', triNot(ok), 'Misuse of vmf_insert_mixed is a BUG_ON', misuse.confidence, misuse.step.citation));
  else if (misuse.value === 'sigbus') {
    steps.push(misuse.step);
    if (ok === false) return finish(p, input.api, true, [], [], 'VM_FAULT_SIGBUS', steps);
    if (ok === 'unknown') code = 'unknown';
  } else {
    bugOns.push({ condition: '!vm_mixed_ok() (BUG_ON or SIGBUS)', fires: ok === true ? false : 'unknown', steps: [misuse.step] });
  }
  let entry: InstalledEntry;
  const backing = input.backing ?? 'unknown';
  if (devmap.value === true) {
    entry = { level: 'pte', devmap: true, special: false, refcounted: false, backing, pfn: input.pfn };
    steps.push(step('A devmap pfn becomes a devmap PTE.', 'verified', cite(MEM, 'insert_pfn', '6.12')));
  } else if (caps.pteSpecial.value === false) {
    steps.push(step('Without ARCH_HAS_PTE_SPECIAL a valid pfn is inserted as a refcounted page (insert_page); others as a plain PTE.', 'verified', cite(MEM, '__vm_insert_mixed', '6.12')));
    entry = { level: 'pte', devmap: false, special: false, refcounted: hasPage, backing, pfn: input.pfn };
  } else {
    const special: Tri = devmap.value === 'unknown' ? 'unknown' : caps.pteSpecial.value;
    steps.push(step('Otherwise the PTE is marked special (from v6.17 devmap pfns too).', 'verified', cite(MEM, 'insert_pfn', '6.12')));
    entry = { level: 'pte', devmap: devmap.value === 'unknown' ? 'unknown' : false, special, refcounted: false, backing, pfn: input.pfn };
  }
  return finish(p, input.api, true, bugOns, [], code, steps, entry);
}

function pteInsertPage(p: Profile, input: InsertionInput, steps: Step[]): InsertionResult {
  const { vma } = input;
  const c = cite(MEM, 'vm_insert_page', '6.12');
  const noMixed = triNot(vma.mixedmap);
  const bugOns: Check[] = [
    check('!VM_MIXEDMAP && mmap_read_trylock() succeeds', noMixed, 'Without VM_MIXEDMAP the caller must hold mmap_lock for write (so not from a fault handler)', 'verified', c),
    check('!VM_MIXEDMAP && VM_PFNMAP', triAnd(noMixed, vma.pfnmap), 'vm_insert_page into a PFNMAP VMA is a bug', 'verified', c),
  ];
  steps.push(step('Anon, slab and typed pages are rejected (-EINVAL → VM_FAULT_SIGBUS); -ENOMEM → VM_FAULT_OOM; else VM_FAULT_NOPAGE. The entry is a normal refcounted PTE with file rmap.', 'verified', c));
  if (p.version.major === 6 && p.version.minor === 1) steps.push(step('In 6.1 a page with a zero refcount is rejected (-EINVAL).', 'verified', cite(MEM, 'vm_insert_page', '6.1')));
  const entry: InstalledEntry = { level: 'pte', devmap: false, special: false, refcounted: true, backing: input.backing ?? 'driver-pages', pfn: input.pfn };
  return finish(p, input.api, true, bugOns, [], input.api === 'vm_insert_page' ? '0' : 'VM_FAULT_NOPAGE', steps, entry);
}

function remap(p: Profile, input: InsertionInput, steps: Step[]): InsertionResult {
  const caps = capabilities(p);
  const c = cite(MEM, 'remap_pfn_range', '6.12');
  steps.push(step('Called at mmap time with mmap_lock held; sets VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP; maps PTEs only (never PMD/PUD leaves).', 'verified', c));
  if (input.vma.cowPossible !== false) steps.push(step('For a COW mapping the range must cover the whole VMA (else -EINVAL) and vm_pgoff becomes the pfn (linear pfnmap rule).', 'verified', c));
  steps.push(...caps.pteSpecial.steps);
  const warns: Check[] = [{ condition: '!PAGE_ALIGNED(addr)', fires: 'unknown', steps: [step('WARN_ON_ONCE and -EINVAL for an unaligned address (not evaluated: address not given).', 'verified', c)] }];
  const entry: InstalledEntry = { level: 'pte', devmap: false, special: caps.pteSpecial.value, refcounted: false, backing: input.backing ?? 'unknown', pfn: input.pfn };
  return finish(p, input.api, true, [], warns, '0', steps, entry);
}

export function simulateInsertion(input: InsertionInput, p: Profile): InsertionResult {
  const info = apiInfo(p, input.api);
  if (!info) return finish(p, input.api, false, [], [], 'unknown', [step(`The model does not know ${input.api}.`, 'inferred')]);
  const steps: Step[] = [...info.steps];
  if (!info.exists) return notBuilt(p, input.api, steps);
  for (const sym of info.requiresKconfig ?? []) {
    const k = kconfigFact(p, sym);
    if (k.value === 'n') return notBuilt(p, input.api, [...steps, ...k.steps, step(`${input.api} is not declared under ${p.id} because ${sym} is off.`, k.confidence)]);
    if (k.value === 'unknown') steps.push(...k.steps);
  }
  if (HUGE_PFN_APIS.includes(input.api)) return hugePfn(p, input, steps);
  if (FOLIO_APIS.includes(input.api)) return hugeFolio(p, input, steps);
  if (PTE_PFN_APIS.includes(input.api)) return ptePfn(p, input, steps);
  if (MIXED_APIS.includes(input.api)) return pteMixed(p, input, steps);
  if (PAGE_APIS.includes(input.api)) return pteInsertPage(p, input, steps);
  if (RANGE_APIS.includes(input.api)) return remap(p, input, steps);
  return finish(p, input.api, true, [], [], 'unknown', [...steps, step(`${input.api} has no insertion semantics in the model.`, 'inferred')]);
}
