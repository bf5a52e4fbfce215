// FL011 pud-config-guard-missing (portability): a PUD insertion outside
// CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD does not build where that is off.

import { apiInfo, kconfig, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { archList, apiExists, relatedForSite, sameVersionAllArches, siteData, siteSurelyCompiled , userSite } from './siteView';

export const FL011: Rule = {
  id: 'FL011',
  name: 'pud-config-guard-missing',
  defaultSeverity: 'warning',
  summary: 'A PUD insertion outside CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD does not build where that is off.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!userSite(site) || site.level !== 'pud') return;
      const info = apiInfo(p, site.api);
      if (!info || !apiExists(site.api, p) || !info.requiresKconfig?.includes('CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD')) return;
      const broken: string[] = [];
      for (const q of sameVersionAllArches(p)) {
        if (kconfig(q, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD') !== 'n') continue;
        if (siteSurelyCompiled(ctx.facts, site, q)) broken.push(q.arch);
      }
      if (broken.length === 0) return;
      out.push({
        range: site.range,
        message: `${site.api} is declared only with CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD, so this unguarded call does not build on ${archList(broken)} in ${p.version.major}.${p.version.minor}`,
        related: relatedForSite(ctx, index, p),
        data: siteData(site, index, { guard: 'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD' }),
      });
    });
    return out;
  },
};
