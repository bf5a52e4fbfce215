// Provenance of the pfn / folio / page argument of an insertion call: which constructor made the
// pfn_t (and with which flags, folded to a set), where the underlying pfn came from, through local
// variables assigned before the call. Locals are followed by their last textual assignment before
// the use (no path sensitivity); anything else is `unknown` with a reason.

import type { CNode } from './liteTree';
import type { Range } from '../common/text';
import { callArgs, calleeName, rangeOf, squash, unwrap } from './cst';
import type { DefineFact, PfnBase, PfnProvenance, ViaStep } from './facts';
import type { InsertionApi } from './insertionSites';

export interface LocalAssign {
  name: string;
  /** `=` (also declarations), `|=`, `&=`, …, or `out` for `&name` passed to a call. */
  op: string;
  rhs: CNode | null;
  rhsText: string;
  /** Start offset of the assignment (for "before the use"). */
  pos: number;
  range: Range;
  /** For op 'out': the callee that receives `&name`. */
  callee?: string;
}

export interface ProvenanceEnv {
  assigns: LocalAssign[];
  params: { name: string; type: string }[];
  /** Declared types of locals. */
  localTypes: Map<string, string>;
  defines: Record<string, DefineFact>;
}

export const PFN_T_CONSTRUCTORS = new Set(['__pfn_to_pfn_t', 'phys_to_pfn_t', 'pfn_to_pfn_t', 'page_to_pfn_t']);
const RAW_PFN_CALLS = new Set(['page_to_pfn', 'folio_pfn', 'PHYS_PFN', 'phys_to_pfn', 'PFN_DOWN']);
const FOLIO_CALLS = new Set(['page_folio', 'pfn_folio', 'virt_to_folio', 'folio_get']);

/** The last assignment (`=`, declaration or `out`) of `name` before `pos`. */
export function lastAssign(env: ProvenanceEnv, name: string, pos: number): LocalAssign | undefined {
  let best: LocalAssign | undefined;
  for (const a of env.assigns) {
    if (a.name !== name || a.pos >= pos) continue;
    if (a.op !== '=' && a.op !== 'out') continue;
    if (!best || a.pos > best.pos) best = a;
  }
  return best;
}

function modifiedBetween(env: ProvenanceEnv, name: string, from: number, to: number): boolean {
  return env.assigns.some((a) => a.name === name && a.pos > from && a.pos < to && a.op !== '=' && a.op !== 'out');
}

/** Folds a flags expression (`PFN_DEV | PFN_MAP`, a #define, a local) to a set; null if it cannot. */
export function foldFlags(node: CNode | null | undefined, env: ProvenanceEnv, pos: number, depth = 0): string[] | null {
  if (!node || depth > 8) return null;
  const n = unwrap(node);
  const t = n.type;
  if (t === 'number_literal') return /^0+[uUlL]*$|^0[xX]0+[uUlL]*$/.test(n.text) ? [] : null;
  if (t === 'binary_expression') {
    const op = n.childForFieldName('operator')?.type;
    if (op !== '|' && op !== '+') return null;
    const l = foldFlags(n.childForFieldName('left'), env, pos, depth + 1);
    const r = foldFlags(n.childForFieldName('right'), env, pos, depth + 1);
    return l && r ? [...new Set([...l, ...r])] : null;
  }
  if (t === 'identifier') {
    const name = n.text;
    const local = lastAssign(env, name, pos);
    if (local) {
      if (local.op === 'out' || modifiedBetween(env, name, local.pos, pos)) return null;
      return foldFlags(local.rhs, env, local.pos, depth + 1);
    }
    const d = env.defines[name];
    if (d) return d.flags;
    if (/^[A-Z][A-Z0-9_]*$/.test(name)) return [name];
    return null;
  }
  return null;
}

function baseOf(node: CNode | null | undefined, env: ProvenanceEnv, pos: number, via: ViaStep[], depth = 0): PfnBase {
  if (!node) return { source: 'unknown', text: '' };
  const n = unwrap(node);
  const text = squash(n.text);
  if (depth > 8) return { source: 'unknown', text };
  switch (n.type) {
    case 'number_literal':
      return { source: 'integer', text };
    case 'identifier': {
      const a = lastAssign(env, text, pos);
      if (a && a.op === '=') {
        via.push({ variable: text, text: a.rhsText, range: a.range });
        return baseOf(a.rhs, env, a.pos, via, depth + 1);
      }
      if (a && a.op === 'out') return { source: 'call', text: a.rhsText, callee: a.callee };
      const p = env.params.findIndex((x) => x.name === text);
      if (p >= 0) return { source: 'parameter', text, paramIndex: p };
      return { source: 'unknown', text };
    }
    case 'field_expression':
      if (/^\w+\s*->\s*pgoff$/.test(text)) return { source: 'vmf->pgoff', text };
      return { source: 'unknown', text };
    case 'call_expression': {
      const callee = calleeName(n);
      if (callee && RAW_PFN_CALLS.has(callee)) return { source: callee as PfnBase['source'], text };
      return { source: 'call', text, ...(callee ? { callee } : {}) };
    }
    case 'binary_expression': {
      const op = n.childForFieldName('operator')?.type;
      if (op === '>>' && /\bPAGE_SHIFT$/.test(text)) return { source: 'PHYS_PFN', text };
      if (op === '+' || op === '-' || op === '|' || op === '&') {
        const left = baseOf(n.childForFieldName('left'), env, pos, via, depth + 1);
        return { ...left, text };
      }
      return { source: 'unknown', text };
    }
    default:
      return { source: 'unknown', text };
  }
}

export function pfnProvenance(arg: CNode | undefined, pos: number, api: Pick<InsertionApi, 'argKind'> & { rawOnly?: boolean }, env: ProvenanceEnv): PfnProvenance {
  if (!arg) return { kind: 'unknown', text: '', reason: 'argument missing', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const via: ViaStep[] = [];
  const range = rangeOf(arg);
  const withVia = <T extends PfnProvenance>(p: T): T => (via.length ? { ...p, via } : p);
  let n = unwrap(arg);
  let at = pos;
  // follow locals
  for (let depth = 0; n.type === 'identifier' && depth < 8; depth++) {
    const name = n.text;
    const a = lastAssign(env, name, at);
    if (!a) {
      const p = env.params.findIndex((x) => x.name === name);
      if (p >= 0) {
        const type = env.params[p]!.type;
        if (api.argKind === 'folio') return withVia({ kind: 'folio', expr: name, range });
        if (api.argKind === 'page') return withVia({ kind: 'page', expr: name, range });
        if (/\bpfn_t\b/.test(type)) return withVia({ kind: 'unknown', text: name, reason: `pfn_t parameter ${name}`, range, paramIndex: p });
        return withVia({ kind: 'raw', base: { source: 'parameter', text: name, paramIndex: p }, range });
      }
      return withVia({ kind: 'unknown', text: name, reason: `no assignment of ${name} found before the call`, range });
    }
    if (a.op === 'out') return withVia({ kind: 'unknown', text: name, reason: `${name} is set through &${name} by ${a.callee ?? 'a call'}`, range });
    via.push({ variable: name, text: a.rhsText, range: a.range });
    if (!a.rhs) return withVia({ kind: 'unknown', text: name, reason: `assignment of ${name} not understood`, range });
    n = unwrap(a.rhs);
    at = a.pos;
  }
  const text = squash(n.text);
  if (api.argKind === 'folio') return withVia({ kind: 'folio', expr: text, range });
  if (api.argKind === 'page') return withVia({ kind: 'page', expr: text, range });
  if (n.type === 'call_expression') {
    const callee = calleeName(n) ?? '';
    const args = callArgs(n);
    if (PFN_T_CONSTRUCTORS.has(callee)) {
      const hasFlags = callee === '__pfn_to_pfn_t' || callee === 'phys_to_pfn_t';
      const flags = hasFlags ? foldFlags(args[1], env, at) : [];
      const base = baseOf(args[0], env, at, []);
      return withVia({ kind: 'pfn_t', constructor: callee, flags, flagsText: hasFlags ? squash(args[1]?.text ?? '') : '', base, range });
    }
    if (FOLIO_CALLS.has(callee)) return withVia({ kind: 'folio', expr: text, range });
    if (RAW_PFN_CALLS.has(callee)) return withVia({ kind: 'raw', base: { source: callee as PfnBase['source'], text }, range });
    if (api.rawOnly) return withVia({ kind: 'raw', base: { source: 'call', text, callee }, range });
    return withVia({ kind: 'unknown', text, reason: `result of ${callee || 'a call'}: pfn_t or raw not known`, range });
  }
  if (n.type === 'number_literal' || n.type === 'binary_expression' || n.type === 'field_expression') {
    const base = baseOf(n, env, at, via);
    if (n.type === 'field_expression' && base.source === 'unknown' && !api.rawOnly) {
      return withVia({ kind: 'unknown', text, reason: 'field of unknown type', range });
    }
    return withVia({ kind: 'raw', base, range });
  }
  if (n.type === 'identifier') return withVia({ kind: 'unknown', text, reason: 'assignment chain too long', range });
  return withVia({ kind: 'unknown', text, reason: `expression not understood: ${n.type}`, range });
}
