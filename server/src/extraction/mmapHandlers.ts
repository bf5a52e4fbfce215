// mmap handlers: what a function does to the VMA's flags (`vma->vm_flags |= …`, vm_flags_set /
// _clear / _mod / _reset, and the flags remap_pfn_range/io_remap_pfn_range set — an idiom table),
// and whether it rejects COW mappings. Flag operands are resolved through simple `#define`s of the
// file and local variables assigned once before the use.

import type { Token } from './tokenIndex';
import type { CNode } from './liteTree';
import { ALWAYS, type GuardExpr } from '../common/guardExpr';
import { rangeOf, squash, unwrap } from './cst';
import type { CowRejection, DefineFact, FlagEffect } from './facts';
import { and, type GuardMap } from './guards';
import type { BodyWalk } from './controlFlow';
import { lastAssign, type ProvenanceEnv } from './pfnProvenance';

/** Flags remap_pfn_range() sets on the VMA (include/linux/mm.h, mm/memory.c: an idiom table). */
export const REMAP_IMPLIED_FLAGS = ['VM_IO', 'VM_PFNMAP', 'VM_DONTEXPAND', 'VM_DONTDUMP'];

const FLAG_CALLS: Record<string, { op: FlagEffect['op']; arg: number; op2?: FlagEffect['op'] }> = {
  vm_flags_set: { op: 'set', arg: 1 },
  vm_flags_clear: { op: 'clear', arg: 1 },
  vm_flags_reset: { op: 'assign', arg: 1 },
  vm_flags_reset_once: { op: 'assign', arg: 1 },
  vm_flags_mod: { op: 'mod-set', arg: 1, op2: 'mod-clear' },
};

/** Prefilter for bodies that write VMA flags or test for COW mappings. */
export const FLAG_TOKEN = /\bvm_flags_(?:set|clear|mod|reset\w*)\s*\(|(?:->|\.)\s*vm_flags\s*[|&^]?=[^=]/;
export const FLAG: Token = { re: FLAG_TOKEN, anchors: ['vm_flags'] };

/** Splits `A | B | (C)` into flag names; `~` is dropped (the op says set/clear). */
export function resolveFlags(node: CNode | null | undefined, env: ProvenanceEnv, pos: number): { flags: string[]; unresolved: string[] } {
  const flags: string[] = [];
  const unresolved: string[] = [];
  const visit = (n0: CNode, at: number, depth: number): void => {
    const n = unwrap(n0);
    if (depth > 8) {
      unresolved.push(squash(n.text));
      return;
    }
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.type === '|') {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      if (l) visit(l, at, depth + 1);
      if (r) visit(r, at, depth + 1);
      return;
    }
    if (n.type === 'unary_expression' && n.childForFieldName('operator')?.type === '~') {
      const a = n.childForFieldName('argument');
      if (a) visit(a, at, depth + 1);
      return;
    }
    if (n.type === 'identifier') {
      const name = n.text;
      const local = lastAssign(env, name, at);
      if (local && local.op === '=' && local.rhs) return visit(local.rhs, local.pos, depth + 1);
      const d = env.defines[name];
      if (d && d.flags) {
        flags.push(...d.flags);
        return;
      }
      if (/^VM_[A-Z0-9_]+$/.test(name)) {
        flags.push(name);
        return;
      }
    }
    unresolved.push(squash(n.text));
  };
  if (node) visit(node, pos, 0);
  return { flags: [...new Set(flags)], unresolved };
}

export function flagEffects(walk: BodyWalk, fnName: string, env: ProvenanceEnv, gm: GuardMap): FlagEffect[] {
  const out: FlagEffect[] = [];
  const guardOf = (node: CNode, cg: GuardExpr): GuardExpr => and(gm.at(node.startPosition.row), cg);
  for (const c of walk.calls) {
    const spec = FLAG_CALLS[c.callee];
    if (spec) {
      const r = resolveFlags(c.args[spec.arg], env, c.pos);
      out.push({ op: spec.op, ...r, via: c.callee, range: rangeOf(c.node), guard: guardOf(c.node, c.codeGuard), inFunction: fnName });
      if (spec.op2) {
        const r2 = resolveFlags(c.args[spec.arg + 1], env, c.pos);
        out.push({ op: spec.op2, ...r2, via: c.callee, range: rangeOf(c.node), guard: guardOf(c.node, c.codeGuard), inFunction: fnName });
      }
    } else if (c.callee === 'remap_pfn_range' || c.callee === 'io_remap_pfn_range') {
      out.push({ op: 'set', flags: [...REMAP_IMPLIED_FLAGS], unresolved: [], via: c.callee, range: rangeOf(c.node), guard: guardOf(c.node, c.codeGuard), inFunction: fnName });
    }
  }
  for (const a of walk.fieldAssigns) {
    if (a.field !== 'vm_flags') continue;
    const node = a.left.parent ?? a.left;
    let op: FlagEffect['op'] | undefined;
    if (a.op === '|=') op = 'set';
    else if (a.op === '&=') op = 'clear';
    else if (a.op === '=') op = 'assign';
    if (!op) continue;
    let rhs = a.right;
    if (op === 'clear' && rhs) {
      const u = unwrap(rhs);
      if (!(u.type === 'unary_expression' && u.childForFieldName('operator')?.type === '~')) {
        // `vm_flags &= MASK` keeps MASK: not a clear of named flags
        out.push({ op: 'assign', flags: [], unresolved: [squash(u.text)], via: '&=', range: rangeOf(node), guard: guardOf(node, a.codeGuard), inFunction: fnName });
        continue;
      }
    }
    if (op === 'assign' && rhs) {
      // `vma->vm_flags = vma->vm_flags | X` reads as a set
      const u = unwrap(rhs);
      if (u.type === 'binary_expression' && u.childForFieldName('operator')?.type === '|' && /vm_flags/.test(u.childForFieldName('left')?.text ?? '')) {
        op = 'set';
        rhs = u.childForFieldName('right');
      }
    }
    const r = resolveFlags(rhs, env, a.pos);
    out.push({ op, ...r, via: a.op, range: rangeOf(node), guard: guardOf(node, a.codeGuard), inFunction: fnName });
  }
  out.sort((x, y) => x.range.start.line - y.range.start.line || x.range.start.character - y.range.start.character);
  return out;
}

export function cowRejections(walk: BodyWalk, effects: FlagEffect[], fnName: string): CowRejection[] {
  const out: CowRejection[] = [];
  for (const f of walk.ifs) {
    const t = f.cond.text;
    if (/(^|[^!\w])is_cow_mapping\s*\(/.test(t) && !/!\s*is_cow_mapping/.test(t) && f.thenExit) {
      out.push({ kind: 'is_cow_mapping', text: t, range: f.cond.range, inFunction: fnName });
    } else if (/\bVM_(?:SHARED|MAYSHARE)\b/.test(t)) {
      const negated = /^!\s*\(/.test(t) || /==\s*0\b/.test(t) || /^!\s*\w+\s*\(/.test(t);
      if ((negated && f.thenExit) || (!negated && f.elseExit && !f.thenExit)) out.push({ kind: 'requires-shared', text: t, range: f.cond.range, inFunction: fnName });
    }
  }
  for (const e of effects) {
    if ((e.op === 'clear' || e.op === 'mod-clear') && e.flags.includes('VM_MAYWRITE')) out.push({ kind: 'clears-maywrite', text: e.via, range: e.range, inFunction: fnName });
  }
  return out;
}

/** `#define NAME value` → DefineFact with the value folded to a flag set when it is one. */
export function readDefines(gm: GuardMap): Record<string, DefineFact> {
  const raw = new Map<string, (typeof gm.defines)[number]>();
  for (const d of gm.defines) raw.set(d.name, d);
  const memo = new Map<string, string[] | null>();
  const fold = (name: string, depth: number): string[] | null => {
    if (memo.has(name)) return memo.get(name)!;
    const d = raw.get(name);
    if (!d || depth > 8) return null;
    memo.set(name, null);
    const v = d.value.replace(/^\(+|\)+$/g, '').trim();
    if (!v) return null;
    const parts = v.split('|').map((p) => p.replace(/[()\s]/g, ''));
    const flags: string[] = [];
    for (const p of parts) {
      if (p === '0') continue;
      if (!/^[A-Z_][A-Z0-9_]*$/.test(p)) {
        memo.set(name, null);
        return null;
      }
      if (raw.has(p)) {
        const sub = fold(p, depth + 1);
        if (!sub) return null;
        flags.push(...sub);
      } else flags.push(p);
    }
    const res = [...new Set(flags)];
    memo.set(name, res);
    return res;
  };
  const out: Record<string, DefineFact> = {};
  for (const [name, d] of raw) {
    out[name] = {
      name,
      text: d.value,
      flags: fold(name, 0),
      range: { start: { line: d.line, character: d.character }, end: { line: d.line, character: d.character + name.length } },
      guard: gm.at(d.line) ?? ALWAYS,
    };
  }
  return out;
}
