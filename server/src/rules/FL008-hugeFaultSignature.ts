// FL008 huge-fault-signature: `.huge_fault`'s second parameter does not match the profile's
// vm_operations_struct (enum page_entry_size up to 6.5, unsigned int order from 6.6).

import { hugeFaultSignature, type Profile } from '../model';
import type { Rule, RuleContext, RuleHit } from './engine';
import { compiled, functionOf, renderSteps } from './siteView';

const INTEGER = /^(const\s+)?(unsigned(\s+(int|long|char|short))?|int|long|u8|u16|u32|u64|size_t)$/;

export const FL008: Rule = {
  id: 'FL008',
  name: 'huge-fault-signature',
  defaultSeverity: 'error',
  summary: "`.huge_fault`'s second parameter does not match the profile (enum page_entry_size ≤ 6.5, unsigned int order ≥ 6.6).",
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    const sig = hugeFaultSignature(p);
    const seen = new Set<string>();
    const members = ctx.facts.vmOpsTables.flatMap((t) => t.members.filter((m) => m.field === 'huge_fault' && compiled(t.guard, p)).map((m) => ({ table: t.name, m })));
    for (const { table, m } of members) {
      if (!compiled(m.guard, p) || !m.value || seen.has(m.value)) continue;
      const fn = functionOf(ctx.facts, m.value);
      if (!fn || !compiled(fn.guard, p) || fn.params.length < 2) continue;
      seen.add(m.value);
      const param = fn.params[1]!;
      const type = param.type.replace(/\s+/g, ' ').trim();
      const isPes = /\bpage_entry_size\b/.test(type);
      const isInt = INTEGER.test(type);
      let bad = false;
      if (sig.value === 'order' && isPes) bad = true;
      if (sig.value === 'page_entry_size' && isInt) bad = true;
      if (!bad) continue;
      const want = sig.value === 'order' ? 'unsigned int order' : 'enum page_entry_size';
      out.push({
        range: param.range,
        message: `${fn.name}'s second parameter is '${type}' but ->huge_fault takes '${want}' in this kernel, so the ops table does not build`,
        related: [{ range: m.range, message: `.huge_fault = ${fn.name} in ${table}` }],
        explanation: renderSteps(sig.signature, sig.steps),
        data: { handler: fn.name, expected: want },
      });
    }
    return out;
  },
};
