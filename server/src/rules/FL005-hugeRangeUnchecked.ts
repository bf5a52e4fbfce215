// FL005 huge-range-unchecked: the core checks only the PMD/PUD-aligned start against the VMA; the
// handler must make sure the whole huge range lies inside the VMA (and the backing object).

import { cite, step, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { hugeCheck } from './checks';
import { FOLIO_APIS, HUGE_PFN_APIS, liveHugeSite, relatedForSite, renderSteps, siteData } from './siteView';

const APIS = new Set([...HUGE_PFN_APIS, ...FOLIO_APIS]);

export const FL005: Rule = {
  id: 'FL005',
  name: 'huge-range-unchecked',
  defaultSeverity: 'warning',
  summary: 'A huge insertion is not dominated by a check that the whole aligned huge range lies inside the VMA.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!liveHugeSite(ctx, site, p, APIS)) return;
      if (hugeCheck(ctx.facts, site, index, 'range-containment') !== 'unchecked') return;
      const L = site.level.toUpperCase();
      out.push({
        range: site.range,
        message: `Nothing checks that the whole ${L}-aligned range lies inside the VMA before this ${site.api}; the core checks only the aligned start, so the ${L} can map past vm_end`,
        related: relatedForSite(ctx, index, p),
        explanation: renderSteps('Why', [step(`Only the ${L}-aligned start is checked against the VMA: outside → VM_FAULT_SIGBUS; the end of the huge range and pfn alignment are the handler's job.`, 'verified', cite('mm/huge_memory.c', `vmf_insert_pfn_${site.level}`, '6.12'))]),
        data: siteData(site, index),
      });
    });
    return out;
  },
};
