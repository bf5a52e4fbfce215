// FL012 refcounted-memory-as-pfn (info): struct-page-backed memory (page_to_pfn, folio_pfn)
// inserted as a huge PFN map; from 6.15 vmf_insert_folio_pmd/pud installs a refcounted entry.

import { apiExists, liveHugeSite, pfnBaseSource, relatedForSite, siteData } from './siteView';
import type { Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';

export const FL012: Rule = {
  id: 'FL012',
  name: 'refcounted-memory-as-pfn',
  defaultSeverity: 'info',
  summary: 'Struct-page-backed memory is inserted as a huge PFN map; vmf_insert_folio_pmd/pud (6.15+) is the refcounted way.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    ctx.facts.insertionSites.forEach((site, index) => {
      if (!liveHugeSite(ctx, site, p)) return;
      const src = pfnBaseSource(site);
      if (src !== 'page_to_pfn' && src !== 'folio_pfn') return;
      const folioApi = `vmf_insert_folio_${site.level}`;
      const tail = apiExists(folioApi, p)
        ? `; ${folioApi}() maps the folio refcounted`
        : '; no refcounted huge insertion exists before 6.15 (vmf_insert_folio_pmd/pud)';
      out.push({
        range: site.range,
        message: `Memory with a struct page (${src}) is mapped as a huge PFN entry without a reference or rmap${tail}`,
        related: relatedForSite(ctx, index, p),
        data: siteData(site, index, { replacement: folioApi }),
      });
    });
    return out;
  },
};
