// Guards: the preprocessor conditions a line sits under, and IS_ENABLED() conditions in code.
//
// Preprocessor guards come from a line scan of the source text, not from the tree: `#if` inside
// functions and initializers often breaks the parse (ERROR nodes), but the directives themselves
// are always whole lines. The scan skips block comments, joins continuation lines, recognises
// include guards (`#ifndef X` + `#define X`) and leaves them out.

import { ALWAYS, type GuardExpr } from '../common/guardExpr';
import { lineStarts, positionAt } from '../common/text';

const IS_MACROS = new Set(['IS_ENABLED', 'IS_BUILTIN', 'IS_MODULE', 'IS_REACHABLE']);

export function and(...args: GuardExpr[]): GuardExpr {
  const out: GuardExpr[] = [];
  for (const a of args) {
    if (a.kind === 'const' && a.value) continue;
    if (a.kind === 'const' && !a.value) return a;
    if (a.kind === 'and') out.push(...a.args);
    else out.push(a);
  }
  if (out.length === 0) return ALWAYS;
  if (out.length === 1) return out[0]!;
  return { kind: 'and', args: out };
}

export function not(a: GuardExpr): GuardExpr {
  if (a.kind === 'const') return { kind: 'const', value: !a.value };
  if (a.kind === 'not') return a.arg;
  return { kind: 'not', arg: a };
}

function or(args: GuardExpr[]): GuardExpr {
  const out: GuardExpr[] = [];
  for (const a of args) {
    if (a.kind === 'const' && a.value) return a;
    if (a.kind === 'const' && !a.value) continue;
    if (a.kind === 'or') out.push(...a.args);
    else out.push(a);
  }
  if (out.length === 0) return { kind: 'const', value: false };
  if (out.length === 1) return out[0]!;
  return { kind: 'or', args: out };
}

// ---------------------------------------------------------------------------------------------
// condition parser (preprocessor and code): defined(X), defined X, IS_ENABLED(X), !, &&, ||,
// parentheses, integer literals, bare CONFIG_ symbols (read as defined()). Anything else
// becomes { kind: 'unknown', text } for that operand only.

type Tok = { t: string; s: number; e: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\/\*[\s\S]*?\*\/|\/\/.*$)|(&&|\|\||==|!=|<=|>=|<<|>>|[!()<>+\-*/%&|^~?:,])|([A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(\S))/gmy;
  for (let m = re.exec(src); m && m[0].length > 0; m = re.exec(src)) {
    if (m[1]) continue;
    const t = m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    const s = m.index + (m[0].length - m[0].trimStart().length);
    out.push({ t, s, e: s + t.length });
  }
  return out;
}

export function parseCondition(text: string): GuardExpr {
  try {
    const toks = tokenize(text);
    let i = 0;
    const src = text;
    const peek = (): string | undefined => toks[i]?.t;
    const unknownSpan = (from: number, to: number): GuardExpr => ({
      kind: 'unknown',
      text: src.slice(toks[from]?.s ?? 0, toks[Math.max(from, to - 1)]?.e ?? src.length).replace(/\s+/g, ' ').trim(),
    });
    // Skip a balanced operand we do not understand, up to && / || / ) at depth 0.
    const skipOperand = (): void => {
      let depth = 0;
      while (i < toks.length) {
        const t = toks[i]!.t;
        if (depth === 0 && (t === '&&' || t === '||' || t === ')')) break;
        if (t === '(') depth++;
        if (t === ')') depth--;
        i++;
      }
    };
    const primary = (): GuardExpr => {
      const start = i;
      const t = peek();
      let res: GuardExpr | undefined;
      if (t === '!') {
        i++;
        return not(primary());
      }
      if (t === '(') {
        i++;
        const inner = orExpr();
        if (peek() === ')') i++;
        res = inner;
      } else if (t === 'defined') {
        i++;
        if (peek() === '(') {
          i++;
          const sym = peek();
          i++;
          if (peek() === ')') i++;
          res = sym && /^[A-Za-z_]\w*$/.test(sym) ? { kind: 'defined', symbol: sym } : undefined;
        } else {
          const sym = peek();
          i++;
          res = sym && /^[A-Za-z_]\w*$/.test(sym) ? { kind: 'defined', symbol: sym } : undefined;
        }
      } else if (t && IS_MACROS.has(t) && toks[i + 1]?.t === '(' && toks[i + 3]?.t === ')') {
        const sym = toks[i + 2]!.t;
        i += 4;
        res = /^[A-Za-z_]\w*$/.test(sym) ? { kind: 'isEnabled', macro: t as 'IS_ENABLED', symbol: sym } : undefined;
      } else if (t && /^\d+$|^0[xX]/.test(t)) {
        i++;
        res = { kind: 'const', value: Number(t) !== 0 };
      } else if (t && /^CONFIG_\w+$/.test(t)) {
        i++;
        res = { kind: 'defined', symbol: t };
      } else {
        i++;
        res = undefined;
      }
      // A comparison or arithmetic after the operand: the whole operand is unknown.
      const next = peek();
      if (res === undefined || (next !== undefined && next !== '&&' && next !== '||' && next !== ')')) {
        i = start;
        skipOperand();
        if (i === start) i++;
        return unknownSpan(start, i);
      }
      return res;
    };
    const andExpr = (): GuardExpr => {
      const parts = [primary()];
      while (peek() === '&&') {
        i++;
        parts.push(primary());
      }
      return parts.length === 1 ? parts[0]! : and(...parts);
    };
    const orExpr = (): GuardExpr => {
      const parts = [andExpr()];
      while (peek() === '||') {
        i++;
        parts.push(andExpr());
      }
      return parts.length === 1 ? parts[0]! : or(parts);
    };
    if (toks.length === 0) return { kind: 'unknown', text: text.trim() };
    const r = orExpr();
    if (i < toks.length) return { kind: 'unknown', text: text.replace(/\s+/g, ' ').trim() };
    return r;
  } catch {
    return { kind: 'unknown', text: text.replace(/\s+/g, ' ').trim() };
  }
}

/**
 * A code condition read as a guard: `IS_ENABLED(CONFIG_X)`, `!IS_ENABLED(…)`, combinations.
 * `whenTrue` / `whenFalse` are set only when they follow from the text: for `IS_ENABLED(X) && p`
 * the then-branch implies X, nothing is known about the else-branch.
 */
export function codeGuard(condText: string): { whenTrue?: GuardExpr; whenFalse?: GuardExpr; pure: boolean } {
  if (!/\bIS_(?:ENABLED|BUILTIN|MODULE|REACHABLE)\s*\(/.test(condText)) return { pure: false };
  const g = parseCondition(condText);
  if (!containsUnknown(g)) return { whenTrue: g, whenFalse: not(g), pure: true };
  if (g.kind === 'and') {
    const known = g.args.filter((a) => !containsUnknown(a) && a.kind !== 'const');
    if (known.length) return { whenTrue: and(...known), pure: false };
  }
  if (g.kind === 'or') {
    const known = g.args.filter((a) => !containsUnknown(a) && a.kind !== 'const');
    if (known.length) return { whenFalse: and(...known.map(not)), pure: false };
  }
  if (g.kind === 'not' && g.arg.kind === 'or') {
    const known = g.arg.args.filter((a) => !containsUnknown(a) && a.kind !== 'const');
    if (known.length) return { whenTrue: and(...known.map(not)), pure: false };
  }
  return { pure: false };
}

function containsUnknown(g: GuardExpr): boolean {
  switch (g.kind) {
    case 'unknown':
      return true;
    case 'not':
      return containsUnknown(g.arg);
    case 'and':
    case 'or':
      return g.args.some(containsUnknown);
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// line map

export interface GuardMap {
  /** Guard of the given 0-based line. */
  at(line: number): GuardExpr;
  /** Lines that are directives (#if…/#else/#endif/#define …). */
  isDirective(line: number): boolean;
  /** #define lines: line → [name, value text] for object-like defines. */
  defines: { line: number; endLine: number; name: string; value: string; character: number }[];
}

const MAX_GUARD_DEPTH = 64;
const TOO_DEEP: GuardExpr = { kind: 'unknown', text: `#if nesting deeper than ${MAX_GUARD_DEPTH}` };

interface Frame {
  previous: GuardExpr[];
  current: GuardExpr;
  includeGuard: boolean;
}

/** The last map built: extraction and the rules ask for the same text's map in turn. */
let lastMap: { text: string; map: GuardMap } | undefined;

/** `starts`: the text's line starts, when the caller has them. */
export function buildGuardMap(text: string, starts?: number[]): GuardMap {
  if (lastMap?.text === text) return lastMap.map;
  const map = guardMapOf(text, starts ?? lineStarts(text));
  lastMap = { text, map };
  return map;
}

function guardMapOf(text: string, starts: number[]): GuardMap {
  // Transitions: from line `lines[k]` on, the guard is `guards[ids[k]]`.
  const tLines: number[] = [0];
  const tIds: number[] = [0];
  const directiveLines: number[] = [];
  const guards: GuardExpr[] = [ALWAYS];
  const stack: Frame[] = [];
  const defines: GuardMap['defines'] = [];
  const recompute = (fromLine: number): void => {
    // Pathological nesting (fuzzed or generated files): beyond MAX_GUARD_DEPTH the guard is
    // unknown rather than an ever longer conjunction (which cost O(depth²) time and memory).
    if (stack.length > MAX_GUARD_DEPTH) {
      guards.push(TOO_DEEP);
      tLines.push(fromLine);
      tIds.push(guards.length - 1);
      return;
    }
    const parts: GuardExpr[] = [];
    for (const f of stack) {
      if (f.includeGuard) continue;
      for (const p of f.previous) parts.push(not(p));
      parts.push(f.current);
    }
    guards.push(and(...parts));
    tLines.push(fromLine);
    tIds.push(guards.length - 1);
  };
  const lineOf = (offset: number): number => positionAt(starts, offset).line;
  // Last `/*` and `*/` before an offset, advanced incrementally (directives come in order), so
  // the comment check is linear in the file rather than a backwards scan per directive.
  const lastOpen = { last: -1, next: 0 };
  const lastClose = { last: -1, next: 0 };
  const lastBefore = (needle: string, at: number, st: { last: number; next: number }): number => {
    for (let i = text.indexOf(needle, st.next); i !== -1 && i <= at; i = text.indexOf(needle, st.next)) {
      st.last = i;
      st.next = i + 1;
    }
    return st.last;
  };
  let firstDirectiveSeen = false;
  // Directives are found by jumping from '#' to '#' (native search) and checking that only
  // blanks precede it on its line: a per-line regex scan cost more than the rest of the map.
  const re = /[ \t]*#[ \t]*(\w+)([^\n]*)/y;
  for (let hash = text.indexOf('#'), from = 0; hash !== -1; hash = text.indexOf('#', from)) {
    let b = hash - 1;
    for (let c = text.charCodeAt(b); c === 32 || c === 9; c = text.charCodeAt(--b));
    const before = b < 0 ? 10 : text.charCodeAt(b);
    from = hash + 1;
    if (before !== 10 && before !== 13 && before !== 0x2028 && before !== 0x2029) continue;
    re.lastIndex = b + 1;
    const m = re.exec(text);
    if (!m) continue;
    const at = m.index;
    // inside a block comment?
    const open = lastBefore('/*', at, lastOpen);
    if (open !== -1 && lastBefore('*/', at, lastClose) < open) continue;
    const start = lineOf(at);
    let body = m[2]!;
    let end = at + m[0].length;
    while (body.endsWith('\\') || body.endsWith('\\\r')) {
      const nl = text.indexOf('\n', end + 1);
      const next = text.slice(end + 1, nl === -1 ? text.length : nl);
      body = body.replace(/\\\r?$/, ' ') + next;
      end = nl === -1 ? text.length : nl;
      if (nl === -1) break;
    }
    from = Math.max(re.lastIndex, end);
    const endLine = lineOf(end);
    for (let l = start; l <= endLine; l++) directiveLines.push(l);
    const cond = stripComments(body).trim();
    const kw = m[1]!;
    const wasFirst = !firstDirectiveSeen;
    firstDirectiveSeen = true;
    const next = endLine + 1;
    switch (kw) {
      case 'if':
        stack.push({ previous: [], current: parseCondition(cond), includeGuard: false });
        recompute(next);
        break;
      case 'ifdef':
      case 'ifndef': {
        const sym = /^\w+/.exec(cond)?.[0] ?? cond;
        const d: GuardExpr = { kind: 'defined', symbol: sym };
        let includeGuard = false;
        if (kw === 'ifndef' && wasFirst) {
          const after = text.slice(end, end + 300);
          const dm = /^\s*#\s*define\s+(\w+)/.exec(after);
          includeGuard = !!dm && dm[1] === sym;
        }
        stack.push({ previous: [], current: kw === 'ifdef' ? d : not(d), includeGuard });
        recompute(next);
        break;
      }
      case 'elif':
      case 'elifdef':
      case 'elifndef': {
        const f = stack[stack.length - 1];
        if (!f) break;
        f.previous.push(f.current);
        if (kw === 'elif') f.current = parseCondition(cond);
        else {
          const d: GuardExpr = { kind: 'defined', symbol: /^\w+/.exec(cond)?.[0] ?? cond };
          f.current = kw === 'elifdef' ? d : not(d);
        }
        f.includeGuard = false;
        recompute(next);
        break;
      }
      case 'else': {
        const f = stack[stack.length - 1];
        if (!f) break;
        f.previous.push(f.current);
        f.current = ALWAYS;
        f.includeGuard = false;
        recompute(next);
        break;
      }
      case 'endif':
        if (stack.length) {
          stack.pop();
          recompute(next);
        }
        break;
      case 'define': {
        const dm = /^\s+([A-Za-z_]\w*)(?!\()\s*([\s\S]*)$/.exec(body);
        if (dm) defines.push({ line: start, endLine, name: dm[1]!, value: stripComments(dm[2]!).trim(), character: m[0].indexOf(dm[1]!, m[0].indexOf('define') + 6) });
        break;
      }
      default:
        break;
    }
  }
  const dirSet = new Set(directiveLines);
  return {
    at: (l: number) => {
      let lo = 0;
      let hi = tLines.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (tLines[mid]! <= l) lo = mid;
        else hi = mid - 1;
      }
      return guards[tIds[lo]!]!;
    },
    isDirective: (l: number) => dirSet.has(l),
    defines,
  };
}

function stripComments(s: string): string {
  return s.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ').replace(/\/\/.*$/, '');
}

