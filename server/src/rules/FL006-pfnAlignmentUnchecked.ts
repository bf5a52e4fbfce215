// FL006 pfn-alignment-unchecked: nothing makes the pfn aligned to the huge size before the call.

import { cite, step, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { hugeCheck } from './checks';
import { liveHugeSite, relatedForSite, renderSteps, siteData } from './siteView';

export const FL006: Rule = {
  id: 'FL006',
  name: 'pfn-alignment-unchecked',
  defaultSeverity: 'warning',
  summary: 'A huge PFN insertion is not dominated by a check (or masking) that aligns the pfn to the huge size.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      // Folio insertions: folios are naturally aligned (mm_types.h), so only PFN APIs.
      if (!liveHugeSite(ctx, site, p)) return;
      if (hugeCheck(ctx.facts, site, index, 'pfn-alignment') !== 'unchecked') return;
      const L = site.level.toUpperCase();
      out.push({
        range: site.range,
        message: `Nothing checks or masks the pfn to ${L} alignment before this ${site.api}; an unaligned pfn maps the wrong physical range (the core does not check it)`,
        related: relatedForSite(ctx, index, p),
        explanation: renderSteps('Why', [
          step('The core does not check alignment of the address, vm_pgoff or the pfn on the fault path: the handler must.', 'verified', cite('mm/huge_memory.c', '__thp_vma_allowable_orders', '6.12', '"Huge fault does the check in fault handlers"')),
          step('vfio-pci falls back when pfn & ((1 << order) - 1) since c1d9dac0db16 "vfio/pci: Align huge faults to order".', 'verified', cite('drivers/vfio/pci/vfio_pci_core.c', 'vfio_pci_mmap_huge_fault', '6.12')),
        ]),
        data: siteData(site, index),
      });
    });
    return out;
  },
};
