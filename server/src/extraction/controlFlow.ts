// One walk over a function body that builds the control-flow summary (Stmt[]) for the simulator
// and collects, on the way, everything the other extractors need: calls with the path conditions
// that dominate them, local assignments (for pfn provenance), VMA-flag and ops assignments,
// `if`s with their exits (COW rejections), returns and tested conditions.
//
// Dominators of a statement: the enclosing if/switch branches, plus every earlier `if` in an
// enclosing statement list whose other branch always leaves (return / goto) — the early-exit
// idiom `if (order != PMD_ORDER) return VM_FAULT_FALLBACK;` — and early exits inside loops that
// precede it. `#if` inside bodies is read from the guard map (line based), `if (IS_ENABLED(…))`
// from the condition text.

import type { CNode } from './liteTree';
import { ALWAYS, type GuardExpr } from '../common/guardExpr';
import { calleeName, declaratorName, rangeOf, squash, unwrap } from './cst';
import type { CondFact, PathCondition, ReturnValue, Stmt } from './facts';
import { and, codeGuard, type GuardMap } from './guards';
import { condFact, exitOf, families, returnValue } from './paths';
import type { LocalAssign } from './pfnProvenance';
import type { Deadline } from '../common/deadline';

export interface PendingCall {
  node: CNode;
  callee: string;
  pos: number;
  args: CNode[];
  path: PathCondition[];
  codeGuard: GuardExpr;
  inError: boolean;
  stmt?: Stmt;
}

export interface FieldAssign {
  field: string;
  op: string;
  left: CNode;
  target: CNode | null;
  right: CNode | null;
  pos: number;
  codeGuard: GuardExpr;
}

export interface IfFact {
  cond: CondFact;
  pos: number;
  thenExit: boolean;
  elseExit: boolean;
  range: Stmt['range'];
}

export interface BodyWalk {
  body: Stmt[];
  calls: PendingCall[];
  assigns: LocalAssign[];
  localTypes: Map<string, string>;
  fieldAssigns: FieldAssign[];
  returns: { pos: number; value: ReturnValue }[];
  conditions: { pos: number; text: string }[];
  ifs: IfFact[];
}

const LEAF = new Set([
  'identifier', 'number_literal', 'string_literal', 'char_literal', 'true', 'false', 'null', 'field_identifier',
  'type_identifier', 'primitive_type', 'comment', 'concatenated_string', 'type_descriptor', 'statement_identifier',
  'sizeof_expression', 'system_lib_string',
]);

const OPAQUE_MAX = 120;

/**
 * With a `deadline`, statement lists stop being walked once it is spent; the caller must then
 * discard the (incomplete) walk rather than reason from it.
 */
export function walkBody(body: CNode | CNode[], gm: GuardMap, fnGuard: GuardExpr, deadline?: Deadline): BodyWalk {
  const w: BodyWalk = { body: [], calls: [], assigns: [], localTypes: new Map(), fieldAssigns: [], returns: [], conditions: [], ifs: [] };

  const guardFor = (node: CNode, cg: GuardExpr): GuardExpr | undefined => {
    const lg = gm.at(node.startPosition.row);
    if (lg === fnGuard && cg === ALWAYS) return undefined;
    const g = and(lg, cg);
    return g.kind === 'const' && g.value ? undefined : g;
  };
  const withGuard = <T extends Stmt>(s: T, node: CNode, cg: GuardExpr): T => {
    const g = guardFor(node, cg);
    if (g) s.guard = g;
    return s;
  };

  const recordCall = (n: CNode, path: PathCondition[], cg: GuardExpr, inErr: boolean): void => {
    const callee = calleeName(n);
    const list = n.childForFieldName('arguments');
    const args = list ? list.namedChildren.filter((c) => c.type !== 'comment') : [];
    if (callee) {
      w.calls.push({ node: n, callee, pos: n.startIndex, args, path, codeGuard: cg, inError: inErr });
      for (const a of args) {
        if (a.type === 'pointer_expression' && a.text.startsWith('&')) {
          const inner = a.childForFieldName('argument');
          if (inner?.type === 'identifier') {
            w.assigns.push({ name: inner.text, op: 'out', rhs: n, rhsText: squash(n.text), pos: a.startIndex, range: rangeOf(a), callee });
          }
        }
      }
    }
    const fn = n.childForFieldName('function');
    if (fn && fn.type !== 'identifier') scan(fn, path, cg, inErr);
    for (const a of args) scan(a, path, cg, inErr);
  };

  const recordAssign = (n: CNode, path: PathCondition[], cg: GuardExpr, inErr: boolean): void => {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.type ?? '=';
    if (left) {
      const l = unwrap(left);
      if (l.type === 'identifier') {
        w.assigns.push({ name: l.text, op, rhs: right, rhsText: squash(right?.text ?? ''), pos: n.startIndex, range: rangeOf(n) });
      } else if (l.type === 'field_expression') {
        const f = l.childForFieldName('field');
        if (f) w.fieldAssigns.push({ field: f.text, op, left: l, target: l.childForFieldName('argument'), right, pos: n.startIndex, codeGuard: cg });
        scan(l, path, cg, inErr);
      } else scan(l, path, cg, inErr);
    }
    if (right) scan(right, path, cg, inErr);
  };

  function scan(n: CNode, path: PathCondition[], cg: GuardExpr, inErr: boolean): void {
    const t = n.type;
    if (LEAF.has(t)) return;
    if (t === 'call_expression') return recordCall(n, path, cg, inErr);
    if (t === 'assignment_expression') return recordAssign(n, path, cg, inErr);
    const e = inErr || t === 'ERROR';
    for (const c of n.namedChildren) scan(c, path, cg, e);
  }

  const flattenPreproc = (nodes: CNode[]): CNode[] => {
    const out: CNode[] = [];
    for (const c of nodes) {
      const t = c.type;
      if (t === 'preproc_if' || t === 'preproc_ifdef' || t === 'preproc_else' || t === 'preproc_elif' || t === 'preproc_elifdef') {
        const skip = c.childForFieldName('condition') ?? c.childForFieldName('name');
        const skipAt = skip ? skip.startIndex : -1;
        const inner = c.namedChildren.filter((k) => k.startIndex !== skipAt || k.type === 'preproc_else' || k.type === 'preproc_elif');
        out.push(...flattenPreproc(inner));
      } else if (t === 'comment' || t === 'preproc_call' || t === 'preproc_def' || t === 'preproc_function_def' || t === 'preproc_include') {
        continue;
      } else out.push(c);
    }
    return out;
  };

  const exitPath = (s: Stmt & { kind: 'if' }, path: PathCondition[], reachedWhen: boolean, exitStmts: Stmt[]): PathCondition[] => {
    const ex = exitOf(exitStmts);
    return [...path, { ...s.cond, reachedWhen, ...(ex ? { otherExit: ex } : {}) }];
  };

  function walkBlock(nodesIn: CNode[], pathIn: PathCondition[], cgIn: GuardExpr, inErr: boolean): Stmt[] {
    const nodes = flattenPreproc(nodesIn);
    const out: Stmt[] = [];
    let path = pathIn;
    let cg = cgIn;
    for (let i = 0; i < nodes.length; i++) {
      if (deadline?.expired('extraction')) break;
      const node = nodes[i]!;
      // iterator macro: `list_for_each_entry(...)` + MISSING `;` + `{ body }`
      if (node.type === 'expression_statement' && nodes[i + 1]?.type === 'compound_statement' && node.namedChild(0)?.type === 'call_expression' && node.lastChild?.isMissing) {
        const call = node.namedChild(0)!;
        scan(call, path, cg, inErr);
        const text = squash(call.text);
        const cond: CondFact = { text, range: rangeOf(call), family: families(text)[0] ?? 'other', families: families(text) };
        const bodyNode = nodes[++i]!;
        const loop: Stmt = withGuard({ kind: 'loop', cond, body: walkBlock(bodyNode.namedChildren, path, cg, inErr), range: rangeOf(node) }, node, cg);
        out.push(loop);
        path = afterLoop(loop, path);
        continue;
      }
      const stmts = walkStmt(node, path, cg, inErr);
      for (const s of stmts) {
        out.push(s);
        if (s.kind === 'if') {
          const te = exitOf(s.then);
          const ee = exitOf(s.else);
          if (te && !ee) {
            path = exitPath(s, path, false, s.then);
            const g = codeGuard(s.cond.text);
            if (g.whenFalse) cg = and(cg, g.whenFalse);
          } else if (ee && !te) {
            path = exitPath(s, path, true, s.else);
            if (s.cond.guard) cg = and(cg, s.cond.guard);
          }
        } else if (s.kind === 'loop') path = afterLoop(s, path);
      }
    }
    return out;
  }

  function afterLoop(loop: Stmt & { kind: 'loop' }, path: PathCondition[]): PathCondition[] {
    let p = path;
    for (const s of loop.body) {
      if (s.kind !== 'if') continue;
      const te = exitOf(s.then);
      if (te && te.kind !== 'goto' ? true : te !== undefined) {
        if (!exitOf(s.else)) {
          const fams = s.cond.families.includes('contiguity') ? s.cond.families : s.cond.families;
          p = [...p, { ...s.cond, families: fams, reachedWhen: false, otherExit: te }];
        }
      }
    }
    return p;
  }

  function walkStmt(node: CNode, path: PathCondition[], cg: GuardExpr, inErr: boolean): Stmt[] {
    const t = node.type;
    const range = rangeOf(node);
    switch (t) {
      case 'compound_statement':
        return walkBlock(node.namedChildren, path, cg, inErr);
      case 'ERROR':
        return walkBlock(node.namedChildren, path, cg, true);
      case 'if_statement': {
        const condNode = node.childForFieldName('condition');
        const cond = condNode ? condFact(condNode) : { text: '', range, family: 'other' as const, families: [] };
        if (condNode) {
          scan(condNode, path, cg, inErr);
          w.conditions.push({ pos: condNode.startIndex, text: cond.text });
        }
        const g = codeGuard(cond.text);
        const cons = node.childForFieldName('consequence');
        let alt = node.childForFieldName('alternative');
        if (alt && alt.type === 'else_clause') alt = alt.namedChildren.find((c) => c.type !== 'comment') ?? null;
        const thenPath = [...path, { ...cond, reachedWhen: true }];
        const elsePath = [...path, { ...cond, reachedWhen: false }];
        const thenS = cons ? walkStmt(cons, thenPath, g.whenTrue ? and(cg, g.whenTrue) : cg, inErr) : [];
        const elseS = alt ? walkStmt(alt, elsePath, g.whenFalse ? and(cg, g.whenFalse) : cg, inErr) : [];
        const s: Stmt = withGuard({ kind: 'if', cond, then: thenS, else: elseS, range }, node, cg);
        w.ifs.push({ cond, pos: node.startIndex, thenExit: !!exitOf(thenS), elseExit: !!exitOf(elseS), range });
        return [s];
      }
      case 'switch_statement': {
        const condNode = node.childForFieldName('condition');
        const disc = condNode ? squash(unwrap(condNode).text) : '';
        if (condNode) scan(condNode, path, cg, inErr);
        const fams = families(disc);
        const family = fams[0] ?? 'other';
        const bodyNode = node.childForFieldName('body');
        const items = bodyNode ? flattenPreproc(bodyNode.namedChildren) : [];
        const cases: (Stmt & { kind: 'switch' })['cases'] = [];
        let pendingLabels: string[] = [];
        for (const item of items) {
          if (item.type !== 'case_statement') {
            // statements before any case label, or ERROR: keep them in the last case
            const last = cases[cases.length - 1];
            const st = walkStmt(item, path, cg, inErr || item.type === 'ERROR');
            if (last) last.body.push(...st);
            continue;
          }
          const valueNode = item.childForFieldName('value');
          const label = valueNode ? squash(valueNode.text) : 'default';
          const valueAt = valueNode ? valueNode.startIndex : -1;
          const stmtsNodes = item.namedChildren.filter((c) => c.startIndex !== valueAt);
          const labels = [...pendingLabels, label];
          if (stmtsNodes.filter((c) => c.type !== 'comment').length === 0) {
            pendingLabels = labels;
            continue;
          }
          pendingLabels = [];
          const casePath = [...path, { text: disc, range: condNode ? rangeOf(condNode) : range, family, families: fams, reachedWhen: labels.join(' | ') }];
          const c = { labels, body: walkBlock(stmtsNodes, casePath, cg, inErr), range: rangeOf(item) } as (Stmt & { kind: 'switch' })['cases'][number];
          const g = guardFor(item, cg);
          if (g) c.guard = g;
          cases.push(c);
        }
        if (pendingLabels.length) cases.push({ labels: pendingLabels, body: [], range });
        return [withGuard({ kind: 'switch', discriminant: disc, family, cases, range }, node, cg)];
      }
      case 'return_statement': {
        const e = node.namedChildren.find((c) => c.type !== 'comment') ?? null;
        if (e) scan(e, path, cg, inErr);
        const value = returnValue(e, () => undefined);
        w.returns.push({ pos: node.startIndex, value });
        const s = withGuard({ kind: 'return', value, range } as Stmt, node, cg);
        if (e && unwrap(e).type === 'call_expression') attach(unwrap(e), s);
        return [s];
      }
      case 'goto_statement':
        return [withGuard({ kind: 'goto', label: node.childForFieldName('label')?.text ?? '', range }, node, cg)];
      case 'labeled_statement': {
        const kids = node.namedChildren;
        const label = kids.find((k) => k.type === 'statement_identifier');
        const rest = kids.filter((k) => k.type !== 'statement_identifier');
        return [withGuard({ kind: 'label', name: label?.text ?? '', range: label ? rangeOf(label) : range }, node, cg), ...walkBlock(rest, path, cg, inErr)];
      }
      case 'break_statement':
        return [withGuard({ kind: 'break', range }, node, cg)];
      case 'continue_statement':
        return [withGuard({ kind: 'continue', range }, node, cg)];
      case 'for_statement':
      case 'while_statement':
      case 'do_statement': {
        const condNode = node.childForFieldName('condition');
        for (const k of ['initializer', 'update']) {
          const x = node.childForFieldName(k);
          if (x) scan(x, path, cg, inErr);
        }
        if (condNode) scan(condNode, path, cg, inErr);
        const bodyNode = node.childForFieldName('body');
        const cond = condNode ? condFact(condNode) : undefined;
        const loopPath = cond ? [...path, { ...cond, reachedWhen: true }] : path;
        const body = bodyNode ? walkStmt(bodyNode, loopPath, cg, inErr) : [];
        return [withGuard({ kind: 'loop', ...(cond ? { cond } : {}), body, range } as Stmt, node, cg)];
      }
      case 'expression_statement': {
        const e = node.namedChildren.find((c) => c.type !== 'comment');
        if (!e) return [];
        scan(e, path, cg, inErr);
        const u = unwrap(e);
        if (u.type === 'call_expression') {
          const s = withGuard({ kind: 'call', callee: calleeName(u) ?? squash(u.childForFieldName('function')?.text ?? ''), args: argTexts(u), range } as Stmt, node, cg);
          attach(u, s);
          return [s];
        }
        if (u.type === 'assignment_expression') {
          const left = squash(u.childForFieldName('left')?.text ?? '');
          const right = u.childForFieldName('right');
          const op = u.childForFieldName('operator')?.type ?? '=';
          const r = right ? unwrap(right) : null;
          if (r && r.type === 'call_expression' && op === '=') {
            const s = withGuard({ kind: 'call', callee: calleeName(r) ?? '', args: argTexts(r), assignedTo: left, range } as Stmt, node, cg);
            attach(r, s);
            return [s];
          }
          return [withGuard({ kind: 'assign', target: left, op, value: squash(right?.text ?? ''), range }, node, cg)];
        }
        return [withGuard({ kind: 'opaque', text: clip(e.text), range }, node, cg)];
      }
      case 'declaration': {
        const out: Stmt[] = [];
        const type = squash(node.childForFieldName('type')?.text ?? '');
        for (const d of node.namedChildren) {
          if (d.type === 'init_declarator') {
            const nameNode = declaratorName(d.childForFieldName('declarator'));
            const value = d.childForFieldName('value');
            if (!nameNode) continue;
            const name = nameNode.text;
            w.localTypes.set(name, type);
            if (!value) continue;
            scan(value, path, cg, inErr);
            w.assigns.push({ name, op: '=', rhs: value, rhsText: squash(value.text), pos: d.startIndex, range: rangeOf(d) });
            const u = unwrap(value);
            if (u.type === 'call_expression') {
              const s = withGuard({ kind: 'call', callee: calleeName(u) ?? '', args: argTexts(u), assignedTo: name, range: rangeOf(d) } as Stmt, node, cg);
              attach(u, s);
              out.push(s);
            } else out.push(withGuard({ kind: 'assign', target: name, op: '=', value: squash(value.text), range: rangeOf(d) }, node, cg));
          } else if (d.type === 'identifier' || d.type === 'pointer_declarator' || d.type === 'array_declarator') {
            const nameNode = declaratorName(d);
            if (nameNode) w.localTypes.set(nameNode.text, type);
          }
        }
        return out;
      }
      default:
        if (t.startsWith('preproc_')) return walkBlock([node], path, cg, inErr);
        scan(node, path, cg, inErr || t === 'ERROR');
        return [withGuard({ kind: 'opaque', text: clip(node.text), range }, node, cg)];
    }
  }

  function attach(call: CNode, s: Stmt): void {
    const pos = call.startIndex;
    for (let i = w.calls.length - 1; i >= 0; i--) {
      const c = w.calls[i]!;
      if (c.pos === pos && c.node.endIndex === call.endIndex) {
        c.stmt = s;
        return;
      }
    }
  }

  w.body = Array.isArray(body) ? walkBlock(body, [], ALWAYS, true) : walkBlock(body.namedChildren, [], ALWAYS, body.type === 'ERROR');
  return w;
}

function argTexts(call: CNode): string[] {
  const list = call.childForFieldName('arguments');
  return list ? list.namedChildren.filter((c) => c.type !== 'comment').map((c) => squash(c.text)) : [];
}

function clip(text: string): string {
  const s = squash(text);
  return s.length > OPAQUE_MAX ? s.slice(0, OPAQUE_MAX - 1) + '…' : s;
}
