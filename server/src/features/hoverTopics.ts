// Hovers on the MM vocabulary itself: insertion calls, .huge_fault/.fault members and handler
// names, VM_FAULT_* codes, PFN_*/VM_* flags and the other symbols the model knows. The token under
// the cursor comes from a scan of that one line; everything else from the facts (no re-parse, no
// text rescans: per-analysis lookups are cached in hover/context.ts).

import type { DocumentAnalysis } from '../analysis/documentAnalysis';
import type { Position, Range } from '../common/text';
import { apiInfo, symbolInfo } from '../model';
import { contains, indexFor, lineText } from './hover/context';
import { handlerHover } from './hover/handlerHover';
import { apiHover, insertionHover } from './hover/insertionHover';
import { faultCodeHover, symbolHover } from './hover/symbolHover';
import type { HoverFact } from './types';

const HANDLER_FIELDS = new Set(['huge_fault', 'fault', 'pfn_mkwrite', 'page_mkwrite', 'map_pages']);

export interface Token {
  word: string;
  range: Range;
  /** Text just left of the word on its line (trailing whitespace kept). */
  before: string;
}

const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** The C identifier at (or touching the left of) a character of one line. */
export function identifierAt(line: string, lineNo: number, character: number): Token | undefined {
  let s = Math.min(character, line.length);
  if (!(s < line.length && isWord(line.charCodeAt(s))) && s > 0 && isWord(line.charCodeAt(s - 1))) s--;
  if (s >= line.length || !isWord(line.charCodeAt(s))) return undefined;
  let e = s;
  while (s > 0 && isWord(line.charCodeAt(s - 1))) s--;
  while (e < line.length && isWord(line.charCodeAt(e))) e++;
  const word = line.slice(s, e);
  if (/^[0-9]/.test(word)) return undefined;
  return { word, range: { start: { line: lineNo, character: s }, end: { line: lineNo, character: e } }, before: line.slice(Math.max(0, s - 40), s) };
}

/** Whether a column of one line is inside a comment, as far as that line alone tells. */
export function inLineComment(line: string, col: number): boolean {
  if (/^\s*(\*|\/\*)/.test(line)) {
    const close = line.indexOf('*/');
    if (close < 0 || col < close) return true;
  }
  const before = line.slice(0, col);
  if (before.includes('//')) return true;
  const open = before.lastIndexOf('/*');
  return open >= 0 && before.indexOf('*/', open) < 0;
}

export function topicHoverAt(analysis: DocumentAnalysis, text: string, position: Position): HoverFact | undefined {
  const profiles = analysis.profiles;
  if (!profiles.length) return undefined;
  const idx = indexFor(analysis, text);
  const tok = identifierAt(lineText(idx, text, position.line), position.line, position.character);
  if (!tok || inLineComment(lineText(idx, text, position.line), tok.range.start.character)) return undefined;
  const facts = analysis.facts;
  const word = tok.word;
  const out = (markdown: string | undefined): HoverFact | undefined => (markdown ? { markdown, range: tok.range } : undefined);

  // 1. An insertion call site.
  const si = facts.insertionSites.findIndex((s) => contains(s.calleeRange, tok.range.start) && contains(s.calleeRange, tok.range.end));
  if (si >= 0) return out(insertionHover(facts, idx, si, profiles));
  if (/^(vmf_|vm_insert|remap_pfn|io_remap_pfn|follow_pfnmap)/.test(word) && apiInfo(profiles[0]!, word)) return out(apiHover(word, profiles));

  // 2. `.huge_fault = x` / `vma->vm_ops->huge_fault` / `ops.fault = x`.
  if (HANDLER_FIELDS.has(word) && /(\.|->)\s*$/.test(tok.before)) {
    let handler: string | undefined;
    for (const t of facts.vmOpsTables) for (const m of t.members) if (m.field === word && contains(m.range, tok.range.start)) handler = m.value;
    for (const a of facts.vmOpsAssignments) if (a.field === word && contains(a.range, tok.range.start)) handler = a.value;
    return out(handlerHover(facts, idx, word, handler, profiles));
  }

  // 3. A handler function's name (definition, table value or reference).
  const fields = idx.handlerOf.get(word);
  if (fields) {
    const parts: string[] = [];
    for (const f of fields) {
      const md = HANDLER_FIELDS.has(f) ? handlerHover(facts, idx, f, word, profiles) : undefined;
      if (md) parts.push(md);
    }
    if (parts.length) return out(parts.join('\n\n---\n\n'));
  }

  // 4. VM_FAULT_* codes.
  if (word.startsWith('VM_FAULT_')) return out(faultCodeHover(facts, idx, word, tok.range.start, profiles));

  // 5. PFN_*, VM_* and the other model symbols.
  if (symbolInfo(profiles[0]!, word)) return out(symbolHover(word, profiles));
  return undefined;
}
