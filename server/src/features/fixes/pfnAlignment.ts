// FL006: the pfn must be aligned to the huge size. Inserts
// `if (!IS_ALIGNED(pfn, PMD_SIZE >> PAGE_SHIFT)) return VM_FAULT_FALLBACK;` before the insertion
// (for a pfn_t: the constructor's raw pfn, or pfn_t_to_pfn(x)).

import { hugeSiteOf } from './context';
import { INSERTION_APIS } from '../../extraction';
import type { CodeActionFact } from '../types';
import type { FixContext } from './context';
import { functionNamed, indentUnit, insertBeforeStatement, statementOfCall } from './text';

/** Splits `f(a, b)` into its top-level arguments. */
function callArgs(text: string): { callee: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z_]\w*)\s*\(([\s\S]*)\)\s*$/.exec(text);
  if (!m) return undefined;
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of m[2]!) {
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) args.push(cur.trim());
  return { callee: m[1]!, args };
}

export function rawPfnExpr(argText: string, kind: string): string | undefined {
  const t = argText.trim();
  if (kind === 'raw') return t;
  if (kind !== 'pfn_t') return undefined;
  const c = callArgs(t);
  if (c && (c.callee === '__pfn_to_pfn_t' || c.callee === 'pfn_to_pfn_t') && c.args[0]) return c.args[0];
  if (c && c.callee === 'phys_to_pfn_t' && c.args[0]) return `PHYS_PFN(${c.args[0]})`;
  if (/^[A-Za-z_][\w>.\-]*$/.test(t)) return `pfn_t_to_pfn(${t})`;
  return undefined;
}

export function pfnAlignmentFixes(ctx: FixContext): CodeActionFact[] {
  const { finding, analysis, lines } = ctx;
  const found = hugeSiteOf(ctx);
  if (!found) return [];
  const { site, level } = found;
  const api = INSERTION_APIS[site.api];
  const arg = site.args[api?.pfnArg ?? 1];
  if (!arg || (api && api.argKind !== 'pfn')) return [];
  const pfn = rawPfnExpr(arg.text, site.pfn.kind === 'unknown' && /^[A-Za-z_]\w*$/.test(arg.text.trim()) ? 'raw' : site.pfn.kind);
  if (!pfn) return [];
  const fn = functionNamed(analysis.facts, site.enclosingFunction);
  if (!fn || !/\bvm_fault_t\b/.test(fn.returnType)) return [];
  const span = statementOfCall(lines, site.range);
  if (!span) return [];
  const L = level.toUpperCase();
  const block = [`${span.indent}if (!IS_ALIGNED(${pfn}, ${L}_SIZE >> PAGE_SHIFT))`, `${span.indent}${indentUnit(lines)}return VM_FAULT_FALLBACK;`];
  return [{
    title: `Fall back unless the pfn is ${L}-aligned`,
    kind: 'quickfix',
    rule: finding.rule,
    findingRange: finding.range,
    edits: insertBeforeStatement(lines, span, block),
    isPreferred: true,
  }];
}
