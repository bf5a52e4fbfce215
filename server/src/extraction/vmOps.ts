// Ops tables: `struct vm_operations_struct x = { .huge_fault = f, … }` (also const/static,
// arrays of ops, members under #ifdef) and `struct file_operations` (for `.mmap`). When `#ifdef`
// sits inside the braces tree-sitter-c turns the next member into
// `(assignment_expression left: (field_expression … field: (field_identifier)) right: …)` inside
// or beside an ERROR node; that shape is read too (member marked `recovered`).

import type { Token } from './tokenIndex';
import type { CNode } from './liteTree';
import { declaratorName, rangeOf, squash, unwrap } from './cst';
import type { OpsMember, OpsTable } from './facts';
import type { GuardMap } from './guards';

export const VM_OPS_FIELDS = new Set(['fault', 'huge_fault', 'page_mkwrite', 'pfn_mkwrite', 'map_pages', 'may_split', 'access', 'open', 'close', 'mremap', 'split', 'pagesize', 'find_special_page', 'name', 'mprotect']);
/** Fields whose assignment (`ops->huge_fault = f`) is recorded as an ops assignment. */
export const OPS_ASSIGN_FIELDS = new Set(['fault', 'huge_fault', 'page_mkwrite', 'pfn_mkwrite', 'map_pages', 'may_split', 'access', 'vm_ops']);

export const TABLE_TOKEN = /\bvm_operations_struct\b|\bfile_operations\b|\.\s*mmap\s*=/;
export const TABLE: Token = { re: TABLE_TOKEN, anchors: ['vm_operations_struct', 'file_operations', 'mmap'] };

function valueName(v: CNode): string | undefined {
  const u = unwrap(v);
  if (u.type === 'identifier') return u.text;
  if (u.type === 'pointer_expression' && u.text.startsWith('&')) {
    const a = u.childForFieldName('argument');
    if (a?.type === 'identifier') return a.text;
  }
  return undefined;
}

function readMembers(list: CNode, gm: GuardMap, out: OpsMember[], element: string | undefined, depth: number): void {
  if (depth > 4) return;
  let index = 0;
  for (const item of list.namedChildren) {
    const t = item.type;
    if (t === 'initializer_pair') {
      const designators = item.namedChildren.filter((c) => c.type === 'field_designator' || c.type === 'subscript_designator');
      const value = item.childForFieldName('value');
      if (!value) continue;
      const d = designators[0];
      if (d?.type === 'subscript_designator') {
        if (value.type === 'initializer_list') readMembers(value, gm, out, squash(d.text), depth + 1);
        continue;
      }
      const fieldNode = d?.namedChildren.find((c) => c.type === 'field_identifier');
      if (!fieldNode) continue;
      pushMember(out, fieldNode.text, item, value, gm, element, false);
    } else if (t === 'initializer_list') {
      readMembers(item, gm, out, element ?? String(index), depth + 1);
      index++;
    } else if (t === 'assignment_expression') {
      const left = item.childForFieldName('left');
      const right = item.childForFieldName('right');
      const f = left?.type === 'field_expression' ? left.childForFieldName('field') : null;
      if (f && right) pushMember(out, f.text, item, right, gm, element, true);
    } else if (t === 'ERROR') {
      readMembers(item, gm, out, element, depth + 1);
    }
  }
}

function pushMember(out: OpsMember[], field: string, item: CNode, value: CNode, gm: GuardMap, element: string | undefined, recovered: boolean): void {
  const v = valueName(value);
  const m: OpsMember = {
    field,
    valueText: squash(value.text),
    range: rangeOf(item),
    valueRange: rangeOf(value),
    guard: gm.at(item.startPosition.row),
  };
  if (v !== undefined) m.value = v;
  if (element !== undefined) m.element = element;
  if (recovered) m.recovered = true;
  if (recovered) {
    // `#ifdef X\n .huge_fault = f` parses as `X.huge_fault = f`: the member starts at the dot
    const dot = item.childForFieldName('left')?.childForFieldName('field');
    if (dot) m.range = { start: { line: dot.startPosition.row, character: Math.max(0, dot.startPosition.column - 1) }, end: m.range.end };
    m.guard = gm.at(m.range.start.line);
  }
  out.push(m);
}

/** Reads every initialised struct variable declared by `decl`; returns the ops-like ones. */
export function readOpsTables(decl: CNode, gm: GuardMap): OpsTable[] {
  const typeNode = decl.childForFieldName('type');
  if (!typeNode || typeNode.type !== 'struct_specifier') return [];
  const struct = typeNode.childForFieldName('name')?.text;
  if (!struct) return [];
  const head = decl.text.slice(0, 200);
  const out: OpsTable[] = [];
  for (const d of decl.namedChildren) {
    if (d.type !== 'init_declarator') continue;
    const value = d.childForFieldName('value');
    const declarator = d.childForFieldName('declarator');
    const nameNode = declaratorName(declarator);
    if (!value || !nameNode || value.type !== 'initializer_list') continue;
    const members: OpsMember[] = [];
    const isArray = !!declarator && /\[/.test(declarator.text);
    readMembers(value, gm, members, undefined, 0);
    out.push({
      name: nameNode.text,
      struct,
      isArray,
      isConst: /\bconst\b/.test(head.split('=')[0] ?? ''),
      isStatic: /\bstatic\b/.test(head.split('=')[0] ?? ''),
      range: rangeOf(decl),
      nameRange: rangeOf(nameNode),
      guard: gm.at(decl.startPosition.row),
      members,
    });
  }
  return out;
}
