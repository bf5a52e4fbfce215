// FL009 api-not-in-version: an API, type, macro or flag the profile's kernel does not have
// (_prot huge variants gone in 6.4, vmf_insert_folio_* from 6.15, pfn_t and PFN_* gone in 6.17,
// enum page_entry_size gone in 6.6, vm_flags_* accessors from 6.3 and read-only vma->vm_flags).

import { apiInfo, knownApis, symbolInfo, vmFlagsWrite, type Profile } from '../model';
import type { Range } from '../common/text';
import type { Rule, RuleContext, RuleHit } from './engine';
import { compiled, renderSteps, siteCompiled } from './siteView';
import { isSpace, isWord, textScanFor, type ScanPattern, type TextScan } from './textScan';

export const SYMBOLS = ['pfn_t', 'PFN_DEV', 'PFN_MAP', 'PFN_SPECIAL', 'PFN_SG_CHAIN', 'PFN_SG_LAST', '__pfn_to_pfn_t', 'phys_to_pfn_t', 'pfn_to_pfn_t', 'pfn_t_devmap', 'pfn_t_has_page', 'page_entry_size', 'PE_SIZE_PTE', 'PE_SIZE_PMD', 'PE_SIZE_PUD', 'vm_flags_init', 'vm_flags_set', 'vm_flags_clear', 'vm_flags_mod', 'VM_ALLOW_ANY_UNCACHED'];
const CALL_ONLY = new Set(['vm_flags_init', 'vm_flags_set', 'vm_flags_clear', 'vm_flags_mod', '__pfn_to_pfn_t', 'phys_to_pfn_t', 'pfn_to_pfn_t', 'pfn_t_devmap', 'pfn_t_has_page']);

let tokenRe: RegExp | undefined;
function tokens(): RegExp {
  if (!tokenRe) {
    const names = [...new Set([...SYMBOLS, ...knownApis()])].sort((a, b) => b.length - a.length);
    tokenRe = new RegExp(`\\b(${names.join('|')})\\b(\\s*\\()?`, 'g');
  }
  return tokenRe;
}

// The whole-text scans, as patterns textScan.ts can update around an edit: each says which
// characters its matches consist of.
let patterns: { tokens: ScanPattern; writes: ScanPattern; defines: ScanPattern; typedefPfnT: ScanPattern; enumPageEntrySize: ScanPattern; vmaStruct: ScanPattern } | undefined;

/** FL009's scans (exported for the equality test of textScan.ts). */
export function fl009Patterns(): NonNullable<typeof patterns> {
  patterns ??= {
    // API and symbol names in code, and whether a `(` follows
    tokens: { re: tokens(), code: true, spans: (c) => isWord(c) || isSpace(c) || c === 40 },
    // vma->vm_flags |= … (read-only from 6.3)
    writes: {
      re: /\b(?:vma|vmf\s*->\s*vma)\s*->\s*(vm_flags)\s*(?:\|=|&=|\^=|=(?!=))/g,
      code: true,
      spans: (c) => isWord(c) || isSpace(c) || c === 45 || c === 62 || c === 124 || c === 38 || c === 94 || c === 61,
    },
    // files that define these names themselves (headers, mm/, test harnesses) are not users
    defines: { re: /^\s*#\s*define\s+(\w+)/gm, code: false, spans: (c) => isWord(c) || isSpace(c) || c === 35 },
    typedefPfnT: { re: /\btypedef\b[^;]*\bpfn_t\s*;/g, code: false, spans: (c) => c !== 59 },
    enumPageEntrySize: { re: /\benum\s+page_entry_size\s*\{/g, code: false, spans: (c) => isWord(c) || isSpace(c) || c === 123 },
    vmaStruct: { re: /\bstruct\s+vm_area_struct\s*\{/g, code: false, spans: (c) => isWord(c) || isSpace(c) || c === 123 },
  };
  return patterns;
}

interface Tok { name: string; range: Range; call: boolean }

const tokCache = new WeakMap<object, { toks: Tok[]; writes: Range[]; defines: Set<string>; text: TextScan }>();

function scan(ctx: RuleContext): { toks: Tok[]; writes: Range[]; defines: Set<string>; text: TextScan } {
  let c = tokCache.get(ctx.facts);
  if (c) return c;
  const ts = textScanFor(ctx.file, ctx.text);
  const P = fl009Patterns();
  const toks: Tok[] = [];
  const writes: Range[] = [];
  const defines = new Set<string>();
  for (const f of ctx.facts.functions) defines.add(f.name);
  for (const d of Object.keys(ctx.facts.defines)) defines.add(d);
  for (const h of ts.matches(P.defines)) defines.add(h.g1!);
  if (ts.matches(P.typedefPfnT).length > 0) defines.add('pfn_t');
  if (ts.matches(P.enumPageEntrySize).length > 0) defines.add('page_entry_size');
  const ownsVma = ts.matches(P.vmaStruct).length > 0;
  for (const h of ts.matches(P.tokens)) {
    const { line, character } = ts.position(h.at);
    toks.push({ name: h.g1!, range: { start: { line, character }, end: { line, character: character + h.g1!.length } }, call: h.g2 !== undefined });
  }
  if (!ownsVma) {
    for (const h of ts.matches(P.writes)) {
      const { line, character } = ts.position(h.at + h.text.indexOf('vm_flags'));
      writes.push({ start: { line, character }, end: { line, character: character + 'vm_flags'.length } });
    }
  }
  c = { toks, writes, defines, text: ts };
  tokCache.set(ctx.facts, c);
  return c;
}

function lineGuardOk(ctx: RuleContext, line: number, p: Profile): boolean {
  return compiled(scan(ctx).text.guardAt(line), p);
}

export const FL009: Rule = {
  id: 'FL009',
  name: 'api-not-in-version',
  defaultSeverity: 'error',
  summary: 'An API, type or flag the profile does not have (_prot huge variants, vmf_insert_folio_*, pfn_t/PFN_*, …).',
  check(ctx: RuleContext, p: Profile): RuleHit[] {
    const out: RuleHit[] = [];
    const { toks, writes, defines } = scan(ctx);
    const siteAt = new Map<string, number>();
    ctx.facts.insertionSites.forEach((s, i) => siteAt.set(`${s.calleeRange.start.line}:${s.calleeRange.start.character}`, i));
    for (const t of toks) {
      if (defines.has(t.name)) continue;
      if (CALL_ONLY.has(t.name) && !t.call) continue;
      const key = `${t.range.start.line}:${t.range.start.character}`;
      const si = siteAt.get(key);
      if (si !== undefined) {
        if (!siteCompiled(ctx.facts, ctx.facts.insertionSites[si]!, p)) continue;
      } else if (!lineGuardOk(ctx, t.range.start.line, p)) continue;
      const api = apiInfo(p, t.name);
      if (api) {
        if (api.exists) continue;
        if (!t.call) continue;
        const when = api.removedIn ? `was removed in ${api.removedIn}` : api.since ? `exists only from ${api.since}` : 'does not exist in this kernel';
        const repl = api.replacement ? `; use ${api.replacement}` : '';
        out.push({ range: t.range, message: `${t.name}() ${when}${repl}, so this does not build`, explanation: renderSteps(api.signature, api.steps), data: { api: t.name, ...(si !== undefined ? { site: si } : {}) } });
        continue;
      }
      const sym = symbolInfo(p, t.name);
      if (!sym || sym.exists) continue;
      const label = t.name === 'page_entry_size' ? 'enum page_entry_size' : t.name;
      const when = sym.removedIn ? `was removed in ${sym.removedIn}` : sym.since ? (t.name === 'VM_ALLOW_ANY_UNCACHED' ? `is not defined in this kernel version (it is present in ${sym.since})` : `exists only from ${sym.since}`) : 'does not exist in this kernel';
      const hint = t.name.startsWith('vm_flags_') ? '; write vma->vm_flags directly' : t.name === 'page_entry_size' || t.name.startsWith('PE_SIZE_') ? '; ->huge_fault takes unsigned int order' : t.name.startsWith('PFN_') || t.name.includes('pfn_t') ? '; pass the raw pfn' : '';
      out.push({ range: t.range, message: `${label} ${when}${hint}, so this does not build`, explanation: renderSteps(label, sym.steps), data: { api: t.name } });
    }
    const w = vmFlagsWrite(p);
    if (w.value === 'accessors') {
      for (const r of writes) {
        if (!lineGuardOk(ctx, r.start.line, p)) continue;
        out.push({ range: r, message: 'vma->vm_flags is read-only from 6.3; use vm_flags_set()/vm_flags_clear()/vm_flags_mod(), so this does not build', explanation: renderSteps('vm_flags accessors', w.steps), data: { api: 'vm_flags' } });
      }
    }
    return out;
  },
};
