// FL002 arch-guard-missing (portability): a non-devmap huge PFN insertion compiled on arches
// where the entry cannot be marked special, so the same code is safe on some arches and FL001 on
// others. Reported under every requested profile whose version has the API.

import type { Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { fastGupVerdict } from './FL001-gupFastTreatsAsThp';
import { apiExists, archList, hasDevmapFlags, HUGE_PFN_APIS, isHugeLevel, pfnDescription, pfnFlagsKnown, pfnKindOf, relatedForSite, sameVersionAllArches, siteData, siteSurelyCompiled, symbolExists , userSite } from './siteView';

export const FL002: Rule = {
  id: 'FL002',
  name: 'arch-guard-missing',
  defaultSeverity: 'warning',
  summary: 'A non-devmap huge PFN insertion is built on architectures without ARCH_SUPPORTS_PMD_PFNMAP/PUD_PFNMAP.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!userSite(site) || !HUGE_PFN_APIS.has(site.api) || !isHugeLevel(site)) return;
      if (!apiExists(site.api, p) || !pfnFlagsKnown(site) || hasDevmapFlags(site)) return;
      if (site.pfn.kind === 'pfn_t' && !symbolExists('pfn_t', p)) return;
      const broken: string[] = [];
      const safe: string[] = [];
      for (const q of sameVersionAllArches(p)) {
        if (!siteSurelyCompiled(ctx.facts, site, q)) continue;
        const v = fastGupVerdict(site, q, pfnKindOf(site));
        if (!v) continue;
        if (v.hazard) broken.push(q.arch);
        else if (v.outcome === 'bails-special') safe.push(q.arch);
      }
      if (broken.length === 0) return;
      const sym = site.level === 'pud' ? 'CONFIG_ARCH_SUPPORTS_PUD_PFNMAP' : 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP';
      const v = `${p.version.major}.${p.version.minor}`;
      const where = safe.length ? `it is safe only where ${site.level}_special exists (${archList(safe)}) and ` : '';
      out.push({
        range: site.range,
        message: `This ${pfnDescription(site)} huge ${site.level.toUpperCase()} insertion is not guarded by ${sym}: ${where}${safe.length ? '' : 'it '}lets GUP-fast walk the entry as a THP on ${archList(broken)} in ${v}`,
        related: relatedForSite(ctx, index, p),
        data: siteData(site, index, { guard: sym }),
      });
    });
    return out;
  },
};
