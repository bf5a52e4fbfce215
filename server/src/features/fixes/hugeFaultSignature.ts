// FL008: ->huge_fault's second parameter changed from `enum page_entry_size pe_size` (≤ 6.5) to
// `unsigned int order` (≥ 6.6). When every target agrees, rewrites the parameter and, inside the
// handler, its uses and the PE_SIZE_* / *_ORDER labels it is compared with.

import type { FunctionFact, ParamFact } from '../../extraction';
import { hugeFaultSignature } from '../../model';
import type { CodeActionFact, TextEditFact } from '../types';
import { enclosingFunction } from '../hover/context';
import type { FixContext } from './context';
import { identifierOffsets } from './text';

const TO_ORDER: Record<string, string> = { PE_SIZE_PTE: '0', PE_SIZE_PMD: 'PMD_ORDER', PE_SIZE_PUD: 'PUD_ORDER' };
const TO_PE: Record<string, string> = { PMD_ORDER: 'PE_SIZE_PMD', PUD_ORDER: 'PE_SIZE_PUD' };

export function hugeFaultSignatureFixes(ctx: FixContext): CodeActionFact[] {
  const fn = enclosingFunction(ctx.analysis.facts, ctx.finding.range.start);
  const param = fn?.params.find((p) => p.range.start.line === ctx.finding.range.start.line && p.range.start.character === ctx.finding.range.start.character) ?? fn?.params[1];
  if (!fn || !param) return [];
  return rewriteSecondParam(ctx, fn, param);
}

/** FL009 on `page_entry_size` / `PE_SIZE_*` inside a handler taking `enum page_entry_size`: the same rewrite. */
export function pageEntrySizeFixes(ctx: FixContext): CodeActionFact[] {
  const word = ctx.lines.slice(ctx.finding.range).trim();
  if (!/^(enum\s+)?page_entry_size$|^PE_SIZE_(PTE|PMD|PUD)$/.test(word)) return [];
  const fn = enclosingFunction(ctx.analysis.facts, ctx.finding.range.start);
  const param = fn?.params[1];
  if (!fn || !param || !/\bpage_entry_size\b/.test(param.type) || fn.params.length !== 2) return [];
  return rewriteSecondParam(ctx, fn, param);
}

function rewriteSecondParam(ctx: FixContext, fn: FunctionFact, param: ParamFact): CodeActionFact[] {
  const { finding, analysis, lines } = ctx;
  const want = new Set(analysis.profiles.map((p) => hugeFaultSignature(p).value));
  if (want.size !== 1) return [];
  const form = [...want][0]!;
  const oldName = param.name;
  const preferred = form === 'order' ? 'order' : 'pe_size';
  const bodyFrom = lines.offset(param.range.end);
  const bodyTo = lines.offset(fn.range.end);
  const clash = oldName !== preferred && identifierOffsets(lines.text, preferred, lines.offset(fn.range.start), bodyTo).length > 0;
  const name = clash || !oldName ? oldName || preferred : preferred;
  const type = form === 'order' ? 'unsigned int' : 'enum page_entry_size';
  const edits: TextEditFact[] = [{ range: param.range, newText: `${type} ${name}` }];
  if (name !== oldName && oldName) {
    for (const o of identifierOffsets(lines.text, oldName, bodyFrom, bodyTo)) edits.push({ range: { start: lines.position(o), end: lines.position(o + oldName.length) }, newText: name });
  }
  const map = form === 'order' ? TO_ORDER : TO_PE;
  for (const [from, to] of Object.entries(map)) {
    for (const o of identifierOffsets(lines.text, from, bodyFrom, bodyTo)) edits.push({ range: { start: lines.position(o), end: lines.position(o + from.length) }, newText: to });
  }
  return [{
    title: `Declare the parameter as \`${type} ${name}\` (the ->huge_fault signature of ${analysis.profiles.map((p) => p.id).join(', ')})`,
    kind: 'quickfix',
    rule: finding.rule,
    findingRange: finding.range,
    edits,
    isPreferred: true,
  }];
}
