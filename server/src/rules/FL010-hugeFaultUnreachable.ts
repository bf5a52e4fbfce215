// FL010 huge-fault-unreachable (info): `.huge_fault` is set but the core will not call it under the
// profile (6.0–6.6 non-DAX VMAs, no THP, PUD level without PUD THP).

import { hugeFaultReached, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { compiled, localChains, renderSteps, siteCompiled, vmaForTables } from './siteView';

export const FL010: Rule = {
  id: 'FL010',
  name: 'huge-fault-unreachable',
  defaultSeverity: 'info',
  summary: '`.huge_fault` is set but the core will not call it under the profile.',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    for (const t of ctx.facts.vmOpsTables) {
      if (!compiled(t.guard, p)) continue;
      for (const m of t.members) {
        if (m.field !== 'huge_fault' || !m.value || !compiled(m.guard, p)) continue;
        const vma = vmaForTables(ctx, [t.name], p).flags;
        const pmd = hugeFaultReached(p, { level: 'pmd', vma, hasHugeFault: true, thpPolicy: 'unknown' });
        const pud = hugeFaultReached(p, { level: 'pud', vma, hasHugeFault: true, thpPolicy: 'unknown' });
        const data = { handler: m.value };
        if (pmd.value === false && pud.value === false) {
          out.push({
            range: m.range,
            message: `The core never calls ${m.value} for this VMA in this kernel: huge faults fall back to PTEs before reaching .huge_fault`,
            explanation: renderSteps('create_huge_pmd / create_huge_pud', [...pmd.steps, ...pud.steps]),
            data,
          });
          continue;
        }
        if (pud.value !== false || pmd.value === false) continue;
        // PUD unreachable while the handler has a compiled PUD insertion.
        const hasPud = localChains(ctx.facts).some((c) => c.table === t.name && c.handler === m.value && c.site.level === 'pud' && c.site.index !== undefined && siteCompiled(ctx.facts, ctx.facts.insertionSites[c.site.index]!, p));
        if (!hasPud) continue;
        out.push({
          range: m.range,
          message: `The core never calls ${m.value} for PUD-sized faults in this configuration (no PUD THP), so its PUD insertion is dead code`,
          explanation: renderSteps('create_huge_pud', pud.steps),
          data: { ...data, level: 'pud' },
        });
      }
    }
    return out;
  },
};
