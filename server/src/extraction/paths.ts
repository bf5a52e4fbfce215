// Path facts: condition families, return values and exits. Pattern families are recognised from
// the condition's text (kernel idioms), never from what the values mean.

import type { CNode } from './liteTree';
import { rangeOf, squash, unwrap, calleeName } from './cst';
import type { CondFact, ConditionFamily, ExitFact, ReturnValue, Stmt } from './facts';
import { codeGuard } from './guards';

const ALIGN = [
  /\bIS_ALIGNED\s*\(/,
  /\b(?:ALIGN|ALIGN_DOWN|round_down|round_up)\s*\(/,
  /&\s*\(\s*\(?\s*1\w*\s*<<[^)]*\)?\s*-\s*1\s*\)/, // x & ((1 << order) - 1)
  /&\s*\(\s*[\w>.\-]+\s*-\s*1\s*\)/, // x & (n - 1)
  /&\s*~?\s*\(?\s*\w*(?:_MASK|MASK\w*)\b/, // x & ~PMD_MASK
  /\w*(?:pfn|phys|addr|pgoff|paddr)\w*\s*%/, // pfn % n
];
const REL = '(?<![<>\\-])[<>]=?(?![<>])';
const BOUND = '\\b(?:\\w*size\\w*|\\w*_end|end|len|\\w*num_pages|\\w*nr_pages|npages|max\\w*)\\b';
const RANGE = [/\bvm_end\b/, /\bvm_start\b/, new RegExp(`${REL}[^<>]*${BOUND}|${BOUND}[^<>]*${REL}`, 'i')];
const SIZE = [/\b(?:order|pe_size|PE_SIZE_\w+|\w+_ORDER|fault_size|\w*fault_page_size|fault_size\w*)\b/];
const CONTIG = [/contig/i, /\w*pfn\w*\s*\+\s*\w+\s*!=|!=\s*\w*pfn\w*\s*\+\s*\w+/];

export function families(text: string): ConditionFamily[] {
  const out: ConditionFamily[] = [];
  if (ALIGN.some((r) => r.test(text))) out.push('pfn-alignment');
  if (RANGE.some((r) => r.test(text)) && !/^\s*!?\s*\w+\s*$/.test(text)) out.push('range-containment');
  if (CONTIG.some((r) => r.test(text))) out.push('contiguity');
  if (SIZE.some((r) => r.test(text))) out.push('size-dispatch');
  return out;
}

export function condFact(node: CNode): CondFact {
  let n = node;
  if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
  const text = squash(n.text);
  const fams = families(text);
  const cf: CondFact = { text, range: rangeOf(n), family: fams[0] ?? 'other', families: fams };
  const g = codeGuard(text);
  if (g.whenTrue) cf.guard = g.whenTrue;
  return cf;
}

/** What a `return` returns. `siteOf` maps an insertion call node to its site index. */
export function returnValue(expr: CNode | null, siteOf: (call: CNode) => number | undefined): ReturnValue {
  if (!expr) return { kind: 'none' };
  const e = unwrap(expr);
  const text = squash(e.text);
  if (e.type === 'identifier') {
    if (/^[A-Z][A-Z0-9_]*$/.test(text)) return { kind: 'constant', name: text, text };
    return { kind: 'variable', name: text };
  }
  if (e.type === 'number_literal') return { kind: 'constant', name: text, text };
  if (e.type === 'unary_expression' && /^-\s*[A-Z][A-Z0-9_]*$/.test(text)) return { kind: 'constant', name: text.replace(/\s+/g, ''), text };
  if (e.type === 'call_expression') {
    const site = siteOf(e);
    if (site !== undefined) return { kind: 'insertion-result', site };
    const callee = calleeName(e);
    if (callee) return { kind: 'call', callee, text };
  }
  if (e.type === 'binary_expression' && /^[A-Z][A-Z0-9_]*(\s*\|\s*[A-Z][A-Z0-9_]*)+$/.test(text)) return { kind: 'constant', name: text, text };
  return { kind: 'expression', text };
}

/** The exit a statement list always takes at its end (return/goto), if any. */
export function exitOf(stmts: Stmt[]): ExitFact | undefined {
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i]!;
    if (s.kind === 'return') return { kind: 'return', value: s.value, range: s.range };
    if (s.kind === 'goto') return { kind: 'goto', label: s.label, range: s.range };
    if (s.kind === 'if') {
      const a = exitOf(s.then);
      const b = exitOf(s.else);
      return a && b ? a : undefined;
    }
    if (s.kind === 'opaque' && /^\s*(BUG|unreachable)\s*\(/.test(s.text)) return undefined;
    return undefined;
  }
  return undefined;
}

/** Exit with gotos resolved through `labels` (one level of label → goto → label is followed). */
export function resolveExit(exit: ExitFact, labels: Map<string, ExitFact | undefined>, depth = 0): ExitFact {
  if (exit.kind !== 'goto' || depth > 4) return exit;
  const target = labels.get(exit.label);
  if (!target) return exit;
  return { ...exit, resolved: resolveExit(target, labels, depth + 1) };
}

export function labelExits(body: Stmt[]): Map<string, ExitFact | undefined> {
  const labels = new Map<string, ExitFact | undefined>();
  const scan = (list: Stmt[]): void => {
    for (let i = 0; i < list.length; i++) {
      const s = list[i]!;
      if (s.kind === 'label') {
        let exit: ExitFact | undefined;
        for (let k = i + 1; k < list.length; k++) {
          const t = list[k]!;
          if (t.kind === 'return') {
            exit = { kind: 'return', value: t.value, range: t.range };
            break;
          }
          if (t.kind === 'goto') {
            exit = { kind: 'goto', label: t.label, range: t.range };
            break;
          }
          if (t.kind === 'call' || t.kind === 'assign' || t.kind === 'label' || t.kind === 'opaque') continue;
          break;
        }
        labels.set(s.name, exit);
      }
      if (s.kind === 'if') {
        scan(s.then);
        scan(s.else);
      } else if (s.kind === 'switch') for (const c of s.cases) scan(c.body);
      else if (s.kind === 'loop') scan(s.body);
    }
  };
  scan(body);
  return labels;
}
