// Hover on an insertion call (vmf_insert_pfn_pmd & co.): per target, whether the API exists and
// its signature, the entry the call installs (simulateInsertion), and what GUP-fast and slow GUP
// then do with it (gupWithFallback), each with its citations. Without a call site (a prototype,
// a comment) only the per-target signature is shown.

import { pfnKindOfProvenance as pfnKindOf } from '../../rules/siteView';
import type { FileFacts, InsertionSite, PfnProvenance } from '../../extraction';
import { triText, type ApiInfo, type Backing, type Profile } from '../../model';
import type { AnalysisIndex } from './context';
import { vmaForSite } from './context';
import { assemble, code, groupByTarget, keySteps, stepLine, type TargetBlock } from './format';
import { m } from './memo';

const GUP_OUTCOME: Record<string, string> = {
  'derefs-missing-struct-page': 'walks it as a THP and dereferences a struct page that does not exist (crash)',
  'refcounts-driver-page': 'walks it as a THP and refcounts driver-owned pages',
  'walks-as-thp': 'walks it as a THP (safe only if a proper struct page is behind the pfn)',
  'folio-reference': 'takes a folio reference (legitimate)',
  'devmap-reference': 'takes a dev_pagemap-backed reference (legitimate)',
  'falls-back-no-pagemap': 'finds no dev_pagemap and falls back',
  'bails-special': 'bails on the special bit and falls back',
  'bails-pte-no-special': 'fails every PTE (no pte_special) and falls back',
  'refused-longterm': 'refuses FOLL_LONGTERM',
  'no-fast-gup': 'does not exist on this arch (slow GUP only)',
  'efault-vma-flags': 'returns -EFAULT (VM_IO/VM_PFNMAP VMA)',
  'efault-no-pagemap': 'returns -EFAULT (devmap without dev_pagemap)',
  'efault-special': 'returns -EFAULT (special PTE)',
  'translates-pfn': 'translates the pfn without a struct page',
  'refused-not-pfnmap': 'is refused (not VM_IO/VM_PFNMAP)',
  unknown: 'is unknown (depends on inputs the model does not have)',
};

function tagline(api: string, infos: ApiInfo[]): string {
  const i = infos[0];
  if (!i) return api;
  const args = new Set(infos.map((x) => x.pfnArg));
  const from = args.size > 1 ? 'a pfn' : i.pfnArg === 'pfn_t' ? 'a pfn_t' : i.pfnArg === 'raw' ? 'a raw pfn' : i.pfnArg === 'folio' ? 'a folio' : i.pfnArg === 'page' ? 'a struct page' : 'its arguments';
  switch (i.level) {
    case 'pmd':
    case 'pud':
      return i.pfnArg === 'folio' ? `refcounted huge ${i.level.toUpperCase()} entry from a folio` : `huge ${i.level.toUpperCase()} leaf from ${from}`;
    case 'pte':
      return `PTE from ${from}`;
    case 'page':
      return 'PTE for a driver page';
    case 'range':
      return api.startsWith('follow_') ? 'pfn lookup in a PFNMAP VMA' : 'maps a pfn range with PTEs at mmap time';
  }
}

function backingOf(p: PfnProvenance): Backing {
  if (p.kind === 'folio') return 'folio';
  if ((p.kind === 'raw' || p.kind === 'pfn_t') && p.base.source === 'page_to_pfn') return 'driver-pages';
  return 'unknown';
}

function describePfn(p: PfnProvenance): string {
  switch (p.kind) {
    case 'pfn_t':
      return `pfn_t from ${code(p.constructor)}, flags ${p.flags ? (p.flags.length ? p.flags.join('|') : '0') : 'unknown'}`;
    case 'raw':
      return `raw pfn (${p.base.source === 'unknown' ? 'origin unknown' : code(p.base.text)})`;
    case 'folio':
      return `folio ${code(p.expr)}`;
    case 'page':
      return `page ${code(p.expr)}`;
    case 'unknown':
      return `unknown (${p.reason})`;
  }
}

function signatureLines(api: string, profiles: readonly Profile[]): string[] {
  const groups = new Map<string, string[]>();
  for (const p of profiles) {
    const i = m.apiInfo(p, api);
    if (!i) continue;
    let s: string;
    if (i.exists) s = code(i.signature) + (i.confidence === 'uncertain' ? ' *(existence uncertain)*' : '');
    else s = `not in this version${i.removedIn ? ` (removed in v${i.removedIn}${i.replacement ? `; use ${i.replacement}` : ''})` : i.since ? ` (added in v${i.since})` : ''}`;
    if (i.requiresKconfig && i.exists) s += ` — needs ${i.requiresKconfig.join(', ')}`;
    groups.set(s, [...(groups.get(s) ?? []), p.id]);
  }
  if (groups.size === 1) return [[...groups.keys()][0]!];
  return [...groups].map(([s, ids]) => `- ${ids.join(', ')}: ${s}`);
}

export function apiHover(api: string, profiles: readonly Profile[]): string | undefined {
  const infos = profiles.map((p) => m.apiInfo(p, api)).filter((x): x is ApiInfo => !!x);
  if (!infos.length) return undefined;
  return [`**${api}** — ${tagline(api, infos)}`, '', ...signatureLines(api, profiles)].join('\n');
}

export function insertionHover(facts: FileFacts, idx: AnalysisIndex, siteIndex: number, profiles: readonly Profile[]): string | undefined {
  const site: InsertionSite | undefined = facts.insertionSites[siteIndex];
  if (!site) return undefined;
  const infos = profiles.map((p) => m.apiInfo(p, site.api)).filter((x): x is ApiInfo => !!x);
  if (!infos.length) {
    // Wrapper calls: say what they wrap; the wrapped API's hover is at its own call.
    return site.isWrapperCall ? `**${site.api}** — wrapper around a ${site.level.toUpperCase()} insertion\n\npfn: ${describePfn(site.pfn)}` : undefined;
  }
  const vf = vmaForSite(idx, facts, siteIndex);
  const head = [`**${site.api}** — ${tagline(site.api, infos)}`, '', ...signatureLines(site.api, profiles), ''];
  head.push(`pfn: ${describePfn(site.pfn)}${site.writeArg ? ` · write: ${code(site.writeArg)}` : ''}`);
  head.push(vf.handler ? `VMA flags from ${code(vf.handler)}: ${vf.flags.length ? vf.flags.join(', ') : 'none set'}${vf.cowRejected ? ' (COW mappings rejected)' : ''}` : 'VMA flags: unknown (no single mmap handler in this file installs the table that reaches this call)');
  const pfn = pfnKindOf(site.pfn);
  const backing = backingOf(site.pfn);
  const groups = groupByTarget(profiles, (p): TargetBlock => {
    const r = m.simulateInsertion({ api: site.api, pfn, vma: vf.vma, backing, ...(site.writeArg === 'true' ? { write: true } : site.writeArg === 'false' ? { write: false } : {}) }, p);
    if (r.returnCode === 'NOT_BUILT') return { lines: [`not built: ${r.steps[r.steps.length - 1]?.text ?? 'the API is absent'}`, ...keySteps(r.steps, 1).map(stepLine)] };
    const lines: string[] = [];
    const bug = r.bugOns.filter((b) => b.fires !== false);
    let summary: string;
    if (r.returnCode === 'BUG') summary = `BUG_ON fires: ${bug.filter((b) => b.fires === true).map((b) => code(b.condition)).join(', ')}`;
    else if (r.entry) {
      const e = r.entry;
      summary = `installs a ${e.level.toUpperCase()} entry: devmap ${triText(e.devmap)}, special ${triText(e.special)}, ${e.refcounted === true ? 'refcounted' : e.refcounted === false ? 'not refcounted' : 'refcount unknown'}`;
      if (r.returnCode === 'unknown') summary += ` (if no BUG_ON fires: ${bug.map((b) => code(b.condition)).join(', ') || 'inputs unknown'})`;
      const g = m.gupWithFallback(e, vf.vma, p, 'get_user_pages_fast');
      summary += `. GUP-fast ${g.fast ? GUP_OUTCOME[g.fast.outcome] : GUP_OUTCOME['no-fast-gup']}`;
      if (g.slow) summary += `; slow GUP ${GUP_OUTCOME[g.slow.outcome]}`;
      summary += g.safe === false ? ' — **unsafe**' : g.safe === true ? ' — safe' : '';
      lines.push(summary);
      lines.push(...keySteps(r.steps, 2).map(stepLine));
      if (g.fast) lines.push(...keySteps(g.fast.steps, 1).map(stepLine));
      if (g.slow) lines.push(...keySteps(g.slow.steps, 1).map(stepLine));
      return { lines };
    } else summary = `returns ${r.returnCode}`;
    lines.push(summary, ...keySteps(r.steps, 2).map(stepLine));
    for (const b of bug) lines.push(...b.steps.map(stepLine));
    return { lines };
  });
  return assemble(head, groups);
}
