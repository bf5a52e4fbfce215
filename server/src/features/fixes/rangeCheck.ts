// FL005: the core checks only that the aligned start lies in the VMA. Inserts, before the
// insertion, a check that the whole aligned huge range lies inside the VMA, falling back otherwise.

import { hugeSiteOf } from './context';
import type { CodeActionFact } from '../types';
import type { FixContext } from './context';
import { functionNamed, indentUnit, insertBeforeStatement, statementOfCall, vmaNameIn } from './text';

/** The `struct vm_fault *` expression at the site: the API's first argument, else a parameter. */
export function vmfExpr(ctx: FixContext, siteIndex: number): string | undefined {
  const site = ctx.analysis.facts.insertionSites[siteIndex]!;
  const fn = functionNamed(ctx.analysis.facts, site.enclosingFunction);
  const first = site.args[0]?.text.trim();
  if (!site.isWrapperCall && first && /^[A-Za-z_][\w>.\-]*$/.test(first) && site.api.startsWith('vmf_insert_') && /_p[mu]d/.test(site.api)) return first;
  return fn?.params.find((p) => /\bvm_fault\b/.test(p.type))?.name;
}

export function rangeCheckFixes(ctx: FixContext): CodeActionFact[] {
  const { finding, analysis, lines } = ctx;
  const found = hugeSiteOf(ctx);
  if (!found) return [];
  const { site, index, level } = found;
  const fn = functionNamed(analysis.facts, site.enclosingFunction);
  if (!fn || !/\bvm_fault_t\b/.test(fn.returnType)) return [];
  const span = statementOfCall(lines, site.range);
  const vmf = vmfExpr(ctx, index);
  if (!span || !vmf) return [];
  const local = vmaNameIn(lines, fn);
  const vma = local && local !== vmf ? local : `${vmf}->vma`;
  const L = level.toUpperCase();
  const unit = indentUnit(lines);
  const start = `(${vmf}->address & ${L}_MASK)`;
  const block = [
    `${span.indent}if (${start} < ${vma}->vm_start ||`,
    `${span.indent}    ${start} + ${L}_SIZE > ${vma}->vm_end)`,
    `${span.indent}${unit}return VM_FAULT_FALLBACK;`,
  ];
  return [{
    title: `Fall back unless the whole ${L}-sized range lies inside the VMA`,
    kind: 'quickfix',
    rule: finding.rule,
    findingRange: finding.range,
    edits: insertBeforeStatement(lines, span, block),
    isPreferred: true,
  }];
}
