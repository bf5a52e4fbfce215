// Small helpers over tree-sitter nodes. Node property access crosses into native code and is
// slow (~1 µs), so callers touch as few nodes as they can; these helpers read each once.

import type { CNode } from './liteTree';
import type { Range } from '../common/text';

export function rangeOf(node: CNode): Range {
  const s = node.startPosition;
  const e = node.endPosition;
  return { start: { line: s.row, character: s.column }, end: { line: e.row, character: e.column } };
}

export function field(node: CNode, name: string): CNode | null {
  return node.childForFieldName(name);
}

/** Collapses whitespace (conditions spread over lines read as one line). */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The identifier named by a declarator (through pointers, arrays, functions, parentheses). */
export function declaratorName(node: CNode | null): CNode | null {
  for (let n = node, depth = 0; n && depth < 12; depth++) {
    const t = n.type;
    if (t === 'identifier' || t === 'field_identifier' || t === 'type_identifier') return n;
    if (t === 'parenthesized_declarator') {
      n = n.namedChild(0);
      continue;
    }
    n = n.childForFieldName('declarator');
  }
  return null;
}

export function hasFunctionDeclarator(node: CNode | null): CNode | null {
  for (let n = node, depth = 0; n && depth < 12; depth++) {
    if (n.type === 'function_declarator') return n;
    if (n.type === 'parenthesized_declarator') {
      n = n.namedChild(0);
      continue;
    }
    n = n.childForFieldName('declarator');
  }
  return null;
}

/** Strips one level of parentheses and casts: `((x))` → `x`, `(pfn_t)x` → `x`. */
export function unwrap(node: CNode): CNode {
  let n = node;
  for (let i = 0; i < 8; i++) {
    if (n.type === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChild(0)!;
    else if (n.type === 'cast_expression' && n.childForFieldName('value')) n = n.childForFieldName('value')!;
    else break;
  }
  return n;
}

/** Callee name of a call expression when it is a plain identifier. */
export function calleeName(call: CNode): string | undefined {
  const fn = call.childForFieldName('function');
  return fn && fn.type === 'identifier' ? fn.text : undefined;
}

export function callArgs(call: CNode): CNode[] {
  const list = call.childForFieldName('arguments');
  if (!list) return [];
  return list.namedChildren.filter((c) => c.type !== 'comment');
}
