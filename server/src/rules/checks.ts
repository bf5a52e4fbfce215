// Is a huge insertion protected by a check of some family (range containment, pfn alignment)?
// The site's own dominators first; then, conservatively, any condition of that family anywhere in
// the same-file functions on the handler chains that reach it. A site with no local handler chain
// is "unknown" (its callers live elsewhere) and gets no finding.

import type { FileFacts, InsertionSite } from '../extraction';
import { chainFunctions, chainsToSite, conditionsIn } from './siteView';

export type CheckFamily = 'range-containment' | 'pfn-alignment';

/** An alignment property of the backing object compared with the huge size (device-dax `align`). */
export const ALIGN_MEMBER = /(->|\.)\s*\w*align\w*\b/;

function accepts(family: CheckFamily, c: { text: string; families: string[] }): boolean {
  if (c.families.includes(family)) return true;
  if (family === 'pfn-alignment') return /\balign|IS_ALIGNED|ALIGN\(/i.test(c.text);
  return false;
}

export type CheckAnswer = 'checked' | 'unchecked' | 'unknown';

export function hugeCheck(facts: FileFacts, site: InsertionSite, index: number, family: CheckFamily): CheckAnswer {
  if (site.dominators.some((d) => accepts(family, d))) return 'checked';
  if (family === 'pfn-alignment' && site.alignment.length > 0) return 'checked';
  if (chainsToSite(facts, index).length === 0) return 'unknown';
  for (const fn of chainFunctions(facts, index)) {
    if (fn.name === site.enclosingFunction) continue;
    if (!fn.detailed) return 'unknown';
    if (conditionsIn(fn.body).some((c) => accepts(family, c))) return 'checked';
  }
  return 'unchecked';
}
