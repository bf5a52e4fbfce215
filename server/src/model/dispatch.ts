// Core fault dispatch around ->huge_fault (mm-gup-facts.md §5): is it reached at PUD/PMD, what the
// core does with each return code, write faults on existing huge entries, and split/zap/fork.

import { cite, fact, step, triAnd, triOr, triText, type Fact, type Step, type Tri } from './citations';
import { capabilities } from './kconfig';
import { forkCopiesSpecialPmd, hugeFaultArgument, hugeFaultGate, hugeFaultWithoutMmapLock, pfnmapBypassesThpPolicy, splitOnWpFallback, vmaIsSpecialHuge, wpHugeSharedOnly } from './kernelTimeline';
import type { Profile } from './profiles';
import type { EntryLevel, InstalledEntry, VmaFlags } from './types';
import { atLeast, eraAtOrThrow, localize } from './versions';

const MEM = 'mm/memory.c';
const HM = 'mm/huge_memory.c';

export type ThpPolicy = 'always' | 'madvise' | 'never' | 'unknown';

export interface HugeFaultQuery {
  level: 'pud' | 'pmd';
  vma: VmaFlags;
  hasHugeFault: boolean;
  thpPolicy: ThpPolicy;
}

/** THP sysfs policy: "always", or "madvise" with VM_HUGEPAGE. */
function policyAllows(policy: ThpPolicy, hugepage: Tri): Tri {
  switch (policy) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'madvise':
      return hugepage;
    case 'unknown':
      return 'unknown';
  }
}

/** Whether the core calls ->huge_fault for a fault at this level (FL010). */
export function hugeFaultReached(p: Profile, q: HugeFaultQuery): Fact<Tri> {
  const steps: Step[] = [];
  const caps = capabilities(p);
  const create = q.level === 'pud' ? 'create_huge_pud' : 'create_huge_pmd';
  if (!q.hasHugeFault) {
    steps.push(step(`${create}: a file VMA without ->huge_fault gets VM_FAULT_FALLBACK without any handler call.`, 'verified', cite(MEM, create, '6.12')));
    return fact<Tri>(false, localize(p.version, steps));
  }
  steps.push(...caps.thp.steps);
  if (caps.thp.value === false) {
    steps.push(step('Without CONFIG_TRANSPARENT_HUGEPAGE the core never tries a huge entry: ->huge_fault is not called at PMD/PUD level.', 'verified', cite(MEM, '__handle_mm_fault', '6.12')));
    return fact<Tri>(false, localize(p.version, steps));
  }
  let value: Tri = caps.thp.value;
  if (q.level === 'pud') {
    steps.push(...caps.thpPud.steps);
    steps.push(step('create_huge_pud exists only with THP and HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD.', 'verified', cite(MEM, 'create_huge_pud', '6.12')));
    if (caps.thpPud.value === false) return fact<Tri>(false, localize(p.version, steps));
    value = triAnd(value, caps.thpPud.value);
  }
  steps.push(step(`The core tries ${create} only when the ${q.level.toUpperCase()} slot is empty (assumed here).`, 'verified', cite(MEM, '__handle_mm_fault', '6.12')));
  const gate = eraAtOrThrow(hugeFaultGate, p.version, 'hugeFaultGate');
  steps.push(gate.step);
  const { vma } = q;
  let gateValue: Tri;
  switch (gate.value) {
    case 'thp-enabled-5x':
      // DAX always; else policy. No VM_SPECIAL exclusion.
      gateValue = triOr(vma.dax, policyAllows(q.thpPolicy, vma.hugepage));
      break;
    case 'vma-check-regression': {
      const special = triOr(vma.io, vma.pfnmap, vma.mixedmap);
      gateValue = vma.dax;
      if (vma.dax !== true) steps.push(step(`Non-DAX VMA${special === true ? ' with VM_SPECIAL flags' : ''}: refused regardless of THP policy (VM_NO_KHUGEPAGED or non-anonymous) — ->huge_fault is unreachable in 6.0–6.6.`, gate.confidence, gate.step.citation));
      if (p.version.major === 6 && p.version.minor === 6) steps.push(step('v6.6 upstream was not read ([A6.6] is Android with 7a81751fcdeb backported); whether 6.6.y received the fix is not verified.', 'uncertain', cite(HM, 'hugepage_vma_check', '6.6', 'open uncertainty: 7a81751fcdeb tag')));
      if (p.version.major === 6 && p.version.minor === 7) steps.push(step('The fix tag (v6.7) is inferred.', 'uncertain'));
      break;
    }
    case 'sysfs-policy': {
      const allowed = policyAllows(q.thpPolicy, vma.hugepage);
      gateValue = triOr(vma.dax, allowed);
      if (p.version.major === 6 && p.version.minor === 7) steps.push(step('The fix 7a81751fcdeb is assumed to be in v6.7 (inferred tag).', 'uncertain', cite(HM, '__thp_vma_allowable_orders', '6.6', 'open uncertainty: 7a81751fcdeb tag')));
      if (atLeast(p.version, '6.12')) {
        steps.push(step('v6.12: special (PFNMAP/MIXEDMAP file) VMAs may use only PMD and PUD orders (THP_ORDERS_ALL_SPECIAL).', 'verified', cite(HM, '__thp_vma_allowable_orders', '6.12')));
        const bypass = eraAtOrThrow(pfnmapBypassesThpPolicy, p.version, 'pfnmapBypassesThpPolicy');
        if (gateValue !== true && vma.dax !== true && vma.pfnmap !== false) {
          steps.push(bypass.step);
          if (bypass.value !== false) gateValue = triOr(gateValue, triAnd(vma.pfnmap, bypass.value));
        }
      }
      steps.push(step(`THP policy '${q.thpPolicy}', VM_HUGEPAGE ${triText(vma.hugepage)}: the policy ${triText(allowed) === 'yes' ? 'allows' : triText(allowed) === 'no' ? 'refuses' : 'may or may not allow'} the huge attempt; then "->huge_fault() handlers know what they are doing".`, 'verified', cite(HM, '__thp_vma_allowable_orders', '6.12')));
      break;
    }
  }
  if (gate.value === 'thp-enabled-5x') steps.push(step(`DAX ${triText(vma.dax)}, THP policy '${q.thpPolicy}', VM_HUGEPAGE ${triText(vma.hugepage)} → ${triText(gateValue)}.`, gate.confidence, gate.step.citation));
  value = triAnd(value, gateValue);
  const arg = eraAtOrThrow(hugeFaultArgument, p.version, 'hugeFaultArgument');
  if (value !== false) steps.push(step(`${create} calls ->huge_fault(vmf, ${arg.value === 'order' ? (q.level === 'pud' ? 'PUD_ORDER' : 'PMD_ORDER') : q.level === 'pud' ? 'PE_SIZE_PUD' : 'PE_SIZE_PMD'}).`, arg.confidence, arg.step.citation));
  if (value !== false) {
    const lock = eraAtOrThrow(hugeFaultWithoutMmapLock, p.version, 'hugeFaultWithoutMmapLock');
    if (lock.value) steps.push(lock.step);
    steps.push(step('The core does not check alignment of the address, vm_pgoff or the pfn on the fault path: the handler must.', 'verified', cite(HM, '__thp_vma_allowable_orders', '6.12', '"Huge fault does the check in fault handlers"')));
  }
  return fact(value, localize(p.version, steps));
}

export type CoreNext = 'try-pmd' | 'try-pte' | 'return-to-arch' | 'retry-fault' | 'unknown';

export interface CoreReaction {
  next: CoreNext;
  /** What the task sees if the arch handler gets the code. */
  userVisible: string;
  steps: Step[];
}

/** What the core does with a ->huge_fault (or ->fault at PTE level) return code. */
export function coreOnReturn(p: Profile, level: EntryLevel, code: string): CoreReaction {
  const r = coreReaction(p, level, code);
  return { ...r, steps: localize(p.version, r.steps) };
}

function coreReaction(p: Profile, level: EntryLevel, code: string): CoreReaction {
  const c = code.trim().replace(/^VM_FAULT_/, '');
  const hm = cite(MEM, '__handle_mm_fault', atLeast(p.version, '6.12') ? '6.12' : '6.1');
  if (c === 'FALLBACK') {
    if (level === 'pud') return { next: 'try-pmd', userVisible: 'nothing yet (retried at PMD level)', steps: [step('VM_FAULT_FALLBACK at PUD level: the walk allocates the PMD table and tries the PMD level next.', 'verified', hm)] };
    if (level === 'pmd') return { next: 'try-pte', userVisible: 'nothing yet (retried at PTE level)', steps: [step('VM_FAULT_FALLBACK at PMD level: the core continues to handle_pte_fault → do_fault → ->fault.', 'verified', hm)] };
    return { next: 'unknown', userVisible: 'not described', steps: [step('VM_FAULT_FALLBACK from a PTE-level ->fault is not a fallback the sheet describes (there is no smaller level).', 'uncertain')] };
  }
  if (c === 'NOPAGE') return { next: 'return-to-arch', userVisible: 'the access is retried and hits the new entry', steps: [step('VM_FAULT_NOPAGE (success, entry installed) goes back to the arch fault handler unchanged.', 'verified', hm)] };
  if (c === 'RETRY') return { next: 'retry-fault', userVisible: 'the arch handler retries the fault', steps: [step('VM_FAULT_RETRY is returned to the arch handler, which retries the whole fault.', 'verified', hm)] };
  if (c === 'SIGBUS') return { next: 'return-to-arch', userVisible: 'SIGBUS', steps: [step('VM_FAULT_SIGBUS is returned to the arch handler unchanged: no fallback to a smaller level; the task gets SIGBUS.', 'verified', hm)] };
  if (c === 'OOM') return { next: 'return-to-arch', userVisible: 'OOM handling', steps: [step('VM_FAULT_OOM is returned to the arch handler unchanged (no fallback).', 'verified', hm)] };
  if (c === '0' || c === '') return { next: 'return-to-arch', userVisible: 'likely a refault loop if nothing was installed', steps: [step('Returning 0 without installing anything is treated as success; the access faults again (derived from the code paths, not documented).', 'uncertain', hm)] };
  return { next: 'return-to-arch', userVisible: `VM_FAULT_${c}`, steps: [step(`Any code other than VM_FAULT_FALLBACK (here VM_FAULT_${c}) is returned to the arch fault handler unchanged.`, 'verified', hm)] };
}

export interface WriteFaultReaction {
  /** ->huge_fault is called for the write fault. */
  callsHugeFault: Tri;
  /** If ->huge_fault is not called or returns VM_FAULT_FALLBACK, the entry is split and the fault retried smaller. */
  splitsOnFallback: Tri;
  steps: Step[];
}

/** Write fault on an existing, non-writable huge entry: wp_huge_pmd / wp_huge_pud. */
export function writeFaultOnHugeEntry(p: Profile, level: 'pmd' | 'pud', vma: VmaFlags): WriteFaultReaction {
  const fn = level === 'pmd' ? 'wp_huge_pmd' : 'wp_huge_pud';
  const steps: Step[] = [step(`A write fault on a present, non-writable huge ${level.toUpperCase()} goes to ${fn} (a read fault only marks it accessed).`, 'verified', cite(MEM, '__handle_mm_fault', '6.12'))];
  const shared = eraAtOrThrow(wpHugeSharedOnly, p.version, 'wpHugeSharedOnly');
  steps.push(shared.step);
  let calls: Tri;
  if (shared.value === false) calls = true;
  else if (shared.value === true) calls = vma.shared;
  else calls = vma.shared === true ? true : 'unknown';
  const split = eraAtOrThrow(splitOnWpFallback, p.version, 'splitOnWpFallback');
  steps.push(split.step);
  steps.push(step(`${fn} ${calls === true ? 'calls' : calls === false ? 'does not call' : 'may call'} ->huge_fault for this VMA (shared: ${triText(vma.shared)}).`, shared.confidence, cite(MEM, fn, '6.12')));
  if (split.value !== false) steps.push(step('"COW or write-notify handled on pte level": the huge entry is split (for special VMAs: zapped) and VM_FAULT_FALLBACK retries at the smaller level.', split.confidence, cite(MEM, fn, '6.12')));
  return { callsHugeFault: calls, splitsOnFallback: split.value, steps: localize(p.version, steps) };
}

export interface SplitZapFork {
  /** Split of a special huge entry installs no PTEs: it is zapped and refaulted. */
  splitZapsOnly: Tri;
  /** fork copies the entry to the child (instead of the child refaulting). */
  forkCopies: Tri;
  steps: Step[];
}

/** Summary of split / zap / mprotect / fork for a huge PFN entry in a driver VMA (§5.3). */
export function splitZapFork(p: Profile, entry: InstalledEntry, vma: VmaFlags): SplitZapFork {
  const steps: Step[] = [];
  const specialHuge = eraAtOrThrow(vmaIsSpecialHuge, p.version, 'vmaIsSpecialHuge');
  steps.push(specialHuge.step);
  const isSpecialVma: Tri = specialHuge.value ? triOr(vma.dax, vma.pfnmap, vma.mixedmap) : vma.dax;
  if (entry.level === 'pte') {
    steps.push(step('PTE entries are not split; zap clears them and fork copies them for VM_PFNMAP|VM_MIXEDMAP VMAs.', 'inferred', cite(MEM, 'vma_needs_copy', '6.12')));
    return { splitZapsOnly: false, forkCopies: triOr(vma.pfnmap, vma.mixedmap), steps: localize(p.version, steps) };
  }
  const splitFn = entry.level === 'pmd' ? '__split_huge_pmd_locked' : '__split_huge_pud_locked';
  steps.push(step(`Split (partial munmap/mprotect, write-fault fallback): ${splitFn} clears the entry; for vma_is_special_huge VMAs it installs no PTEs ("just go ahead and zap it"), so the next access refaults.`, 'verified', cite(HM, splitFn, '6.12')));
  steps.push(step('Zap: zap_huge_pmd only clears the entry for special-huge VMAs (no rmap or refcount work).', 'verified', cite(HM, 'zap_huge_pmd', '6.12')));
  steps.push(step(`mprotect: change_huge_${entry.level} rewrites the leaf in place${entry.level === 'pud' ? ' (change_huge_pud exists in 6.12)' : ''}.`, entry.level === 'pud' && !atLeast(p.version, '6.12') ? 'uncertain' : 'verified', cite(HM, `change_huge_${entry.level}`, '6.12')));
  let forkCopies: Tri;
  if (entry.level === 'pmd') {
    const f = eraAtOrThrow(forkCopiesSpecialPmd, p.version, 'forkCopiesSpecialPmd');
    steps.push(f.step);
    forkCopies = f.value ? entry.special : false;
    if (f.value && entry.special !== true) steps.push(step('A non-special PMD in a non-anonymous VMA is still skipped: the child refaults.', 'inferred', cite(HM, 'copy_huge_pmd', '6.12')));
  } else {
    steps.push(step('copy_huge_pud copies pud_trans_huge/pud_devmap entries (any huge PUD leaf is one of the two), write-protecting them for COW mappings.', 'inferred', cite(HM, 'copy_huge_pud', '6.12')));
    forkCopies = true;
  }
  return { splitZapsOnly: isSpecialVma, forkCopies, steps: localize(p.version, steps) };
}
