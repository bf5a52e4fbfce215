// FL003 slow-gup-walks-mixedmap: huge PFN entries without a real folio in a VM_MIXEDMAP VMA
// without VM_IO/VM_PFNMAP — check_vma_flags() lets slow GUP in and follow_huge_pmd takes pmd_page().

import { gupOnEntry, simulateInsertion, type GupOutcome, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { backingOf, liveHugeSite, pfnDescription, pfnFlagsKnown, pfnKindOf, relatedForSite, renderSteps, siteData, vmaForSite } from './siteView';

const HAZARD: ReadonlySet<GupOutcome> = new Set(['derefs-missing-struct-page', 'refcounts-driver-page', 'walks-as-thp']);

export const FL003: Rule = {
  id: 'FL003',
  name: 'slow-gup-walks-mixedmap',
  defaultSeverity: 'warning',
  summary: 'Huge PFN entries in a VM_MIXEDMAP VMA without VM_IO/VM_PFNMAP are walked by slow GUP.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!liveHugeSite(ctx, site, p) || !pfnFlagsKnown(site)) return;
      const vma = vmaForSite(ctx, index, p);
      const f = vma.flags;
      if (!(f.mixedmap === true && f.io === false && f.pfnmap === false)) return;
      const ins = simulateInsertion({ api: site.api, pfn: pfnKindOf(site), vma: f, backing: backingOf(site) }, p);
      if (!ins.entry) return;
      const gup = gupOnEntry(ins.entry, f, p, 'get_user_pages');
      if (!HAZARD.has(gup.outcome)) return;
      out.push({
        range: site.range,
        message: `Slow GUP walks this ${pfnDescription(site)} huge ${site.level.toUpperCase()} in a VM_MIXEDMAP VMA without VM_IO or VM_PFNMAP and takes a reference on its struct page as if it were a THP`,
        related: relatedForSite(ctx, index, p, { vma }),
        explanation: renderSteps(`${site.api} under ${p.id}, then get_user_pages()`, [...ins.steps, ...gup.steps]),
        data: siteData(site, index, vma.handlers[0] ? { mmapHandler: vma.handlers[0].name } : {}),
      });
    });
    return out;
  },
};
