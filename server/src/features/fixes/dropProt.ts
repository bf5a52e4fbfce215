// FL009 on a `_prot` insertion API that the target no longer has (huge `_prot` variants and
// vmf_insert_mixed_prot, gone in 6.4): call the non-`_prot` API and drop the pgprot argument
// (the entry then uses vma->vm_page_prot).

import { apiInfo } from '../../model';
import type { CodeActionFact } from '../types';
import { siteForRange } from '../hover/context';
import type { FixContext } from './context';

export function dropProtFixes(ctx: FixContext): CodeActionFact[] {
  const { finding, analysis, lines } = ctx;
  const found = siteForRange(analysis.facts, finding.range, finding.data?.['site']);
  const word = lines.slice(finding.range).trim();
  const site = found?.site;
  if (!site || !site.api.endsWith('_prot') || (word !== site.api && lines.slice(site.calleeRange) !== site.api)) return [];
  const replacement = site.api.slice(0, -'_prot'.length);
  const infos = analysis.profiles.map((p) => ({ prot: apiInfo(p, site.api), plain: apiInfo(p, replacement) }));
  if (!infos.some((i) => i.prot && !i.prot.exists)) return [];
  if (!infos.every((i) => i.plain?.exists)) return [];
  const sig = infos[0]!.prot!.signature;
  const params = sig.slice(sig.indexOf('(') + 1, sig.lastIndexOf(')')).split(',').map((s) => s.trim());
  const i = params.findIndex((p) => /\bpgprot_t\b/.test(p));
  if (i <= 0 || site.args.length !== params.length) return [];
  const prev = site.args[i - 1]!;
  const prot = site.args[i]!;
  const usesVmaProt = /\bvm_page_prot\b/.test(prot.text);
  return [{
    title: `Call ${replacement} (drops the pgprot argument${usesVmaProt ? '' : ' — the entry will use vma->vm_page_prot instead of ' + prot.text.trim()})`,
    kind: 'quickfix',
    rule: finding.rule,
    findingRange: finding.range,
    edits: [
      { range: site.calleeRange, newText: replacement },
      { range: { start: prev.range.end, end: prot.range.end }, newText: '' },
    ],
    isPreferred: usesVmaProt,
  }];
}
