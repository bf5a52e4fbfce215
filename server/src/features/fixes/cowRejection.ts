// FL004: a VM_PFNMAP insertion BUG_ONs on a COW (private, may-write) mapping. Adds
// `if (is_cow_mapping(vma->vm_flags)) return -EINVAL;` to the mmap handler, after its local
// declarations (the kernel builds with -Wdeclaration-after-statement).

import type { MmapHandler } from '../../extraction';
import type { CodeActionFact } from '../types';
import { indexFor, mmapHandlersFor, siteForRange } from '../hover/context';
import { dataString, type FixContext } from './context';
import { bodyOpen, functionNamed, indentUnit, vmaNameIn } from './text';

const DECL = /^\s*(?:(?:const|static|volatile|unsigned|signed|struct|enum|union|register)\s+)*[A-Za-z_]\w*(?:\s+|\s*\*+\s*)(?:const\s+)?\*?\s*[A-Za-z_]\w*\s*(?:\[[^\]]*\]\s*)*(?:=|;|,)/;
const NOT_DECL = /^\s*(return|if|else|goto|while|for|do|switch|case|default)\b/;

function handlerFor(ctx: FixContext): MmapHandler | undefined {
  const facts = ctx.analysis.facts;
  const named = dataString(ctx.finding, 'mmapHandler');
  if (named) {
    const h = facts.mmapHandlers.find((x) => x.name === named);
    if (h) return h;
  }
  const found = siteForRange(facts, ctx.finding.range, ctx.finding.data?.['site']);
  if (found) {
    const hs = mmapHandlersFor(indexFor(ctx.analysis, ctx.text), facts, found.index);
    if (hs.length === 1) return hs[0];
  }
  for (const h of facts.mmapHandlers) if (h.range.start.line <= ctx.finding.range.start.line && ctx.finding.range.start.line <= h.range.end.line) return h;
  return facts.mmapHandlers.length === 1 ? facts.mmapHandlers[0] : undefined;
}

export function cowRejectionFixes(ctx: FixContext): CodeActionFact[] {
  const { finding, lines } = ctx;
  const h = handlerFor(ctx);
  if (!h || h.cowRejections.length) return [];
  // Only for the COW precondition: the handler sets (or may set) VM_PFNMAP.
  const pfnmap = h.flagEffects.some((e) => (e.op === 'set' || e.op === 'assign' || e.op === 'mod-set') && (e.flags.includes('VM_PFNMAP') || e.unresolved.length > 0));
  if (!pfnmap && !/COW|is_cow_mapping|private/i.test(finding.message)) return [];
  const fn = functionNamed(ctx.analysis.facts, h.name);
  if (!fn) return [];
  const vma = vmaNameIn(lines, fn);
  if (!vma) return [];
  const open = bodyOpen(lines, fn);
  if (open < 0) return [];
  const openPos = lines.position(open);
  if (lines.line(openPos.line).slice(openPos.character + 1).trim() !== '') return [];
  // Skip the leading declarations (and the blank line after them).
  let line = openPos.line + 1;
  let inDecl = false;
  while (line < fn.range.end.line) {
    const t = lines.line(line);
    if (inDecl) {
      if (/;\s*(\/\*.*\*\/|\/\/.*)?$/.test(t)) inDecl = false;
      line++;
      continue;
    }
    if (t.trim() === '' || /^\s*(\/\/|\/\*|\*)/.test(t)) {
      line++;
      continue;
    }
    if (DECL.test(t) && !NOT_DECL.test(t)) {
      if (!/;\s*(\/\*.*\*\/|\/\/.*)?$/.test(t)) inDecl = true;
      line++;
      continue;
    }
    break;
  }
  const unit = indentUnit(lines);
  const first = /^([ \t]*)\S/.exec(lines.line(line));
  const indent = first && line < fn.range.end.line ? first[1]! : unit;
  const eol = lines.eol;
  const block = `${indent}if (is_cow_mapping(${vma}->vm_flags))${eol}${indent}${unit}return -EINVAL;${eol}${eol}`;
  return [{
    title: `Reject COW mappings in ${h.name} (is_cow_mapping → -EINVAL)`,
    kind: 'quickfix',
    rule: finding.rule,
    findingRange: finding.range,
    edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: block }],
    isPreferred: true,
  }];
}
