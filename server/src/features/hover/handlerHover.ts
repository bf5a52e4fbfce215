// Hover on `.huge_fault` / `.fault` / `.pfn_mkwrite` / `.page_mkwrite` members and on the handler
// functions they name: how the core reaches the handler under each target (hugeFaultReached per
// level, the ->huge_fault signature per target, what VM_FAULT_FALLBACK leads to).

import type { FileFacts, FunctionFact } from '../../extraction';
import { hugeFaultSignature, triText, unknownVma, type Profile, type Step, type Tri, type VmaFlags } from '../../model';
import type { AnalysisIndex } from './context';
import { vmaForSite } from './context';
import { assemble, code, groupByTarget, keySteps, stepLine, type TargetBlock } from './format';
import { m } from './memo';

const TAG: Record<string, string> = {
  huge_fault: 'the core calls it for PUD/PMD-sized faults',
  fault: 'PTE-level fault handler',
  pfn_mkwrite: 'write fault on a read-only PFN PTE',
  page_mkwrite: 'write fault on a read-only page PTE',
  map_pages: 'fault-around at PTE level',
};

/** VMA flags for the sites this handler reaches, when they agree (else unknown). */
function handlerVma(facts: FileFacts, idx: AnalysisIndex, handler: string): { vma: VmaFlags; from?: string; flags?: string[] } {
  const sites = new Set<number>();
  for (const c of idx.chains) if (c.handler === handler && c.site.index !== undefined) sites.add(c.site.index);
  let got: { vma: VmaFlags; from?: string; flags?: string[] } | undefined;
  for (const i of sites) {
    const v = vmaForSite(idx, facts, i);
    if (!v.handler) return { vma: unknownVma() };
    if (got && got.from !== v.handler) return { vma: unknownVma() };
    got = { vma: v.vma, from: v.handler, flags: v.flags };
  }
  return got ?? { vma: unknownVma() };
}

function paramMatches(fn: FunctionFact | undefined, want: 'order' | 'page_entry_size'): Tri {
  const t = fn?.params[1]?.type;
  if (!t) return 'unknown';
  return want === 'order' ? /^\s*unsigned(\s+int)?\s*$/.test(t) : /\bpage_entry_size\b/.test(t);
}

function reached(p: Profile, level: 'pmd' | 'pud', vma: VmaFlags): { text: string; steps: Step[] } {
  const always = m.hugeFaultReached(p, { level, vma, hasHugeFault: true, thpPolicy: 'always' });
  const madvise = m.hugeFaultReached(p, { level, vma, hasHugeFault: true, thpPolicy: 'madvise' });
  if (always.value === madvise.value) return { text: triText(always.value), steps: always.steps };
  const seen = new Set(always.steps.map((s) => s.text));
  return { text: `THP "always": ${triText(always.value)}, "madvise": ${triText(madvise.value)}`, steps: [...always.steps, ...madvise.steps.filter((s) => !seen.has(s.text))] };
}

export function handlerHover(facts: FileFacts, idx: AnalysisIndex, field: string, handler: string | undefined, profiles: readonly Profile[]): string | undefined {
  const fn = handler ? facts.functions.find((f) => f.name === handler) : undefined;
  const title = handler ? `**.${field} → ${handler}**` : `**.${field}**`;
  const head = [`${title} — ${TAG[field] ?? 'vm_operations_struct handler'}`];
  const { vma, from, flags } = handler ? handlerVma(facts, idx, handler) : { vma: unknownVma(), from: undefined, flags: undefined };
  if (field === 'huge_fault') {
    const sigs = new Map<string, string[]>();
    for (const p of profiles) {
      const s = hugeFaultSignature(p);
      const ok = paramMatches(fn, s.value);
      const mark = fn ? (ok === true ? ' — the handler matches' : ok === false ? ` — **the handler declares ${code(fn.params[1]?.type ?? '?')}**` : '') : '';
      const k = `${code(s.signature)}${mark}`;
      sigs.set(k, [...(sigs.get(k) ?? []), p.id]);
    }
    head.push('');
    if (sigs.size === 1) head.push(`Signature: ${[...sigs.keys()][0]}`);
    else for (const [k, ids] of sigs) head.push(`- ${ids.join(', ')}: ${k}`);
    head.push(from ? `VMA flags from ${code(from)}: ${flags?.length ? flags.join(', ') : 'none set'}.` : 'VMA flags: unknown (not traced to one mmap handler in this file).');
    const groups = groupByTarget(profiles, (p): TargetBlock => {
      const pud = reached(p, 'pud', vma);
      const pmd = reached(p, 'pmd', vma);
      return { lines: [`reached at PUD: ${pud.text} · PMD: ${pmd.text}`, ...keySteps(pmd.steps, 2).map(stepLine), ...keySteps(pud.steps, 1).filter((s) => !pmd.steps.some((x) => x.text === s.text)).map(stepLine)] };
    });
    return assemble(head, groups);
  }
  if (field === 'fault') {
    head.push('', 'The core calls ->fault from do_fault (handle_pte_fault) when no huge entry serves the address — including after ->huge_fault returned VM_FAULT_FALLBACK.');
    const groups = groupByTarget(profiles, (p): TargetBlock => {
      const r = m.coreOnReturn(p, 'pmd', 'VM_FAULT_FALLBACK');
      return { lines: [`after a PMD-level fallback: ${r.userVisible}`, ...r.steps.map(stepLine)] };
    });
    return assemble(head, groups);
  }
  if (field === 'pfn_mkwrite' || field === 'page_mkwrite') {
    head.push('', `Called for write faults on present, read-only PTEs of shared mappings (not modelled by Faultline). Write faults on huge entries go to ->huge_fault, not ->${field}:`);
    const groups = groupByTarget(profiles, (p): TargetBlock => {
      const w = m.writeFaultOnHugeEntry(p, 'pmd', vma);
      return { lines: [`PMD write fault calls ->huge_fault: ${triText(w.callsHugeFault)}; split on fallback: ${triText(w.splitsOnFallback)}`, ...keySteps(w.steps, 2).map(stepLine)] };
    });
    return assemble(head, groups);
  }
  return head.join('\n');
}
