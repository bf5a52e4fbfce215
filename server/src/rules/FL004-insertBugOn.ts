// FL004 insert-bug-on: the VMA flags set by the mmap handler break a BUG_ON precondition of the
// huge insertion. Error only when the flags are known from an mmap handler in view.

import { simulateInsertion, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { backingOf, hasDevmapFlags, liveHugeSite, pfnFlagsKnown, pfnKindOf, relatedForSite, renderSteps, siteData, vmaForSite } from './siteView';
import { capabilities } from '../model';

const WHY: Record<string, string> = {
  '!(VM_PFNMAP|VM_MIXEDMAP) && !pfn_t_devmap(pfn)': 'the VMA has neither VM_PFNMAP nor VM_MIXEDMAP and the pfn is not devmap',
  '!(VM_PFNMAP|VM_MIXEDMAP)': 'the VMA has neither VM_PFNMAP nor VM_MIXEDMAP',
  'VM_PFNMAP && VM_MIXEDMAP': 'the VMA has both VM_PFNMAP and VM_MIXEDMAP',
  'VM_PFNMAP && is_cow_mapping()': 'the VMA is VM_PFNMAP and the mmap handler does not reject private writable (COW) mappings',
};

export const FL004: Rule = {
  id: 'FL004',
  name: 'insert-bug-on',
  defaultSeverity: 'error',
  summary: "The mmap handler's VMA flags break a BUG_ON precondition of the huge insertion.",
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!liveHugeSite(ctx, site, p) || !pfnFlagsKnown(site)) return;
      // PFN_DEV|PFN_MAP memory needs ZONE_DEVICE, which needs ARCH_HAS_PTE_DEVMAP: not a real case elsewhere.
      if (hasDevmapFlags(site) && capabilities(p).pteDevmap.value !== true) return;
      const vma = vmaForSite(ctx, index, p);
      if (vma.handlers.length === 0) return;
      const ins = simulateInsertion({ api: site.api, pfn: pfnKindOf(site), vma: vma.flags, backing: backingOf(site) }, p);
      const fired = ins.bugOns.filter((b) => b.fires === true);
      if (fired.length === 0) return;
      const mmap = vma.handlers.map((h) => h.name).join(', ');
      out.push({
        range: site.range,
        severity: vma.known ? 'error' : 'warning',
        message: `${site.api} hits BUG_ON(${fired[0]!.condition}) in this VMA: ${WHY[fired[0]!.condition] ?? fired[0]!.condition} (set up by ${mmap})`,
        related: relatedForSite(ctx, index, p, { vma }),
        explanation: renderSteps(`${site.api} under ${p.id}`, [...ins.steps, ...fired.flatMap((b) => b.steps)]),
        data: siteData(site, index, { mmapHandler: vma.handlers[0]!.name }),
      });
    });
    return out;
  },
};
