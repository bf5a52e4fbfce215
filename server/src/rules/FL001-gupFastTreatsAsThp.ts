// FL001 gup-fast-treats-as-thp: a huge PFN entry that lockless GUP-fast walks as a THP
// (pmd_page() + refcount on memory that may have no, or a driver-owned, struct page).

import { capabilities, gupOnEntry, simulateInsertion, unknownVma, type GupOutcome, type PfnKind, type Profile } from '../model';
import type { InsertionSite } from '../extraction';
import type { Rule, RuleContext, RuleHit } from './engine';
import { backingOf, hasDevmapFlags, liveHugeSite, pfnDescription, pfnFlagsKnown, pfnKindOf, relatedForSite, renderSteps, siteData, unknownPfnReason, vmaForSite } from './siteView';

const HAZARD: ReadonlySet<GupOutcome> = new Set(['derefs-missing-struct-page', 'refcounts-driver-page', 'walks-as-thp']);

export interface FastGupVerdict {
  hazard: boolean;
  outcome: GupOutcome;
  confidence: string;
  steps: import('../model').Step[];
}

/** The model question behind FL001/FL002: what does GUP-fast do with the entry this call installs? */
export function fastGupVerdict(site: InsertionSite, p: Profile, pfn: PfnKind = pfnKindOf(site)): FastGupVerdict | undefined {
  const ins = simulateInsertion({ api: site.api, pfn, vma: unknownVma(), backing: backingOf(site) }, p);
  if (!ins.entry) return undefined;
  const gup = gupOnEntry(ins.entry, unknownVma(), p, 'get_user_pages_fast');
  return { hazard: HAZARD.has(gup.outcome), outcome: gup.outcome, confidence: gup.confidence, steps: [...ins.steps, ...gup.steps] };
}

function consequence(site: InsertionSite, outcome: GupOutcome): string {
  const lvl = site.level.toUpperCase();
  const what = pfnDescription(site);
  switch (outcome) {
    case 'derefs-missing-struct-page':
      return `GUP-fast will treat this ${what} huge ${lvl} as a THP and dereference and refcount a struct page that does not exist`;
    case 'refcounts-driver-page':
      return `GUP-fast will treat this ${what} huge ${lvl} as a THP and take references on driver-owned pages that are not a THP`;
    default:
      return `GUP-fast will treat this ${what} huge ${lvl} as a THP and take a reference on a struct page that may not exist`;
  }
}

export const FL001: Rule = {
  id: 'FL001',
  name: 'gup-fast-treats-as-thp',
  defaultSeverity: 'error',
  summary: 'A huge PFN insertion installs an entry that lockless GUP-fast walks as a THP (no pXd_special, no devmap).',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    if (capabilities(p).fastGup.value === false) return out;
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!liveHugeSite(ctx, site, p)) return;
      if (!pfnFlagsKnown(site)) {
        // Unknown flags: at most an info, and only if a non-devmap pfn would be a hazard here.
        const hypo = fastGupVerdict(site, p, { kind: 'pfn_t', flags: ['PFN_DEV'] });
        if (!hypo?.hazard) return;
        out.push({
          range: site.range,
          severity: 'info',
          message: `Whether GUP-fast walks this huge ${site.level.toUpperCase()} as a THP depends on the pfn's PFN_* flags, which Faultline cannot trace (${unknownPfnReason(site)})`,
          related: relatedForSite(ctx, index, p),
          explanation: renderSteps('If the pfn is not devmap (PFN_DEV|PFN_MAP)', hypo.steps),
          data: siteData(site, index, { unknown: 'pfn-flags' }),
        });
        return;
      }
      const v = fastGupVerdict(site, p);
      if (!v || !v.hazard) return;
      const devmapButArch = hasDevmapFlags(site);
      const folioBacked = backingOf(site) === 'folio';
      const severity = v.confidence === 'uncertain' || devmapButArch || folioBacked ? 'warning' : 'error';
      let message = consequence(site, v.outcome);
      if (devmapButArch) message += ' (the arch has no ARCH_HAS_PTE_DEVMAP, so PFN_DEV|PFN_MAP does not make it devmap)';
      const vma = vmaForSite(ctx, index, p);
      out.push({
        range: site.range,
        severity,
        message,
        related: relatedForSite(ctx, index, p, { vma }),
        explanation: renderSteps(`${site.api} under ${p.id}, then get_user_pages_fast()`, v.steps),
        data: siteData(site, index),
      });
    });
    return out;
  },
};
