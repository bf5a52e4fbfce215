// FL001/FL002/FL011: compile a huge insertion only where the arch supports it. Wraps the
// insertion statement (or, inside a switch, its whole `case PMD_ORDER:` block) in
// `#ifdef CONFIG_…` with an `#else` that yields VM_FAULT_FALLBACK in the same shape
// (`ret = VM_FAULT_FALLBACK;` / `return VM_FAULT_FALLBACK;` / the case label with a fallback).

import { hugeSiteOf } from './context';
import type { InsertionSite } from '../../extraction';
import type { CodeActionFact, TextEditFact } from '../types';
import type { FixContext } from './context';
import { aroundStatement, caseOfSite, functionNamed, indentOf, indentUnit, statementOfCall, type Lines } from './text';

export const GUARD_SYMBOL = {
  pmd: 'CONFIG_ARCH_SUPPORTS_PMD_PFNMAP',
  pud: 'CONFIG_ARCH_SUPPORTS_PUD_PFNMAP',
  pudThp: 'CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD',
} as const;

function fallbackFor(site: InsertionSite, lhs: string | undefined, shape: 'return' | 'assign' | 'bare'): string | undefined {
  if (shape === 'return') return 'return VM_FAULT_FALLBACK;';
  if (shape === 'assign') return `${lhs ?? site.resultVariable ?? 'ret'} = VM_FAULT_FALLBACK;`;
  return undefined;
}

/** Edits wrapping the site in `#ifdef symbol … #else fallback #endif`, or undefined when the shape is not one we can wrap safely. */
export function wrapSiteInGuard(lines: Lines, ctxFacts: FixContext['analysis']['facts'], site: InsertionSite, symbol: string): TextEditFact[] | undefined {
  const eol = lines.eol;
  const fn = functionNamed(ctxFacts, site.enclosingFunction);
  const c = caseOfSite(fn, site);
  const span = statementOfCall(lines, site.range);
  if (c) {
    const caseLine = lines.line(c.range.start.line);
    const endLine = lines.line(c.range.end.line);
    const ownLines = caseLine.slice(0, c.range.start.character).trim() === '' && endLine.slice(c.range.end.character).trim().replace(/^\/\*.*\*\/$|^\/\/.*$/, '') === '';
    // Only when the case holds nothing but this insertion and the exit after it.
    const others = c.body.filter((s) => s.kind !== 'break' && !(s.kind === 'insert') && !(s.kind === 'return' && s.value.kind === 'insertion-result'));
    if (ownLines && others.length === 0 && span) {
      const ci = indentOf(caseLine);
      const bi = span.indent || ci + indentUnit(lines);
      const fb = fallbackFor(site, span.lhs, span.shape);
      const elseLines = fb ? [`#else`, ...c.labels.map((l) => `${ci}case ${l}:`), `${bi}${fb}`, ...(span.shape === 'assign' && c.body.some((s) => s.kind === 'break') ? [`${bi}break;`] : [])] : [];
      return [
        { range: { start: { line: c.range.start.line, character: 0 }, end: { line: c.range.start.line, character: 0 } }, newText: `#ifdef ${symbol}${eol}` },
        { range: { start: lines.endOf(c.range.end.line), end: lines.endOf(c.range.end.line) }, newText: [...elseLines, '#endif'].map((l) => eol + l).join('') },
      ];
    }
  }
  if (!span) return undefined;
  const fb = fallbackFor(site, span.lhs, span.shape);
  return aroundStatement(lines, span, [`#ifdef ${symbol}`], fb ? ['#else', `${span.indent}${fb}`, '#endif'] : ['#endif']);
}

function isDevmapPfn(site: InsertionSite): boolean | undefined {
  if (site.pfn.kind === 'pfn_t') return site.pfn.flags ? site.pfn.flags.includes('PFN_DEV') && site.pfn.flags.includes('PFN_MAP') : undefined;
  if (site.pfn.kind === 'raw') return false;
  return undefined;
}

export function archGuardFixes(ctx: FixContext): CodeActionFact[] {
  const { finding, analysis, lines } = ctx;
  const found = hugeSiteOf(ctx);
  if (!found) return [];
  const { site, level } = found;
  if (site.api.startsWith('vmf_insert_folio_') && finding.rule !== 'FL011') return [];
  let symbol: string;
  if (finding.rule === 'FL011') symbol = GUARD_SYMBOL.pudThp;
  else {
    // FL001: the arch guard is the fix only for a non-devmap pfn (ARCH_SUPPORTS_*_PFNMAP ⇔ pXd_special).
    if (finding.rule === 'FL001' && isDevmapPfn(site) !== false) return [];
    symbol = level === 'pud' ? GUARD_SYMBOL.pud : GUARD_SYMBOL.pmd;
  }
  // Already under that symbol on every target: nothing to wrap.
  if (JSON.stringify(site.guard).includes(`"${symbol}"`)) return [];
  const edits = wrapSiteInGuard(lines, analysis.facts, site, symbol);
  if (!edits) return [];
  const ifdefLine = edits.find((e) => e.newText.startsWith('#ifdef'))?.range.start.line ?? -1;
  const what = /^\s*case\b/.test(lines.line(ifdefLine)) ? 'case' : 'insertion';
  return [{
    title: `Build this ${what} only with ${symbol} (else VM_FAULT_FALLBACK)`,
    kind: 'quickfix',
    rule: finding.rule,
    findingRange: finding.range,
    edits,
    isPreferred: true,
  }];
}
