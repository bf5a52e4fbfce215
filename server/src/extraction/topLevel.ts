// The top-level items of a file in one TreeCursor pass: function definitions with their name and
// body span, declarations, ERROR nodes, descending into #if blocks. A kernel file has hundreds of
// items and most of them never matter; materialising tree-sitter node objects for them (and for
// their declarator chains) cost more than the rest of the extraction, whereas the cursor reads
// plain numbers. Nodes are made only where the caller asks for them (`copy`).

import type { Tree } from '../parsing/parser';
import type { CNode, LiteSource } from './liteTree';

type Cursor = ReturnType<Tree['walk']>;

export interface TopFunction {
  start: number;
  end: number;
  /** Name (the identifier inside the function declarator); undefined when there is none. */
  nameStart?: number;
  nameEnd?: number;
  bodyStart?: number;
  bodyEnd?: number;
}

/** `copy` makes a plain copy of the item: call it during the callback only (the cursor moves on). */
export interface TopLevelVisitor {
  onFunction(f: TopFunction): void;
  onDeclaration(start: number, end: number, copy: () => CNode): void;
  onError(start: number, end: number, copy: () => CNode, depth: number): void;
}

const BLOCKS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'linkage_specification', 'declaration_list']);
const NAMES = new Set(['identifier', 'field_identifier', 'type_identifier']);
const MAX_DEPTH = 40;

export function scanTopLevel(tree: Tree, source: LiteSource, visitor: TopLevelVisitor): void {
  const cursor = tree.walk();
  const visit = (depth: number): void => {
    if (!cursor.gotoFirstChild()) return;
    do {
      const [type, named] = source.typeOf(cursor);
      if (!named) continue;
      if (type === 'function_definition') visitor.onFunction(readFunction(cursor, source));
      else if (type === 'declaration') visitor.onDeclaration(cursor.startIndex, cursor.endIndex, copier(cursor, source));
      else if (BLOCKS.has(type)) {
        if (depth < MAX_DEPTH) visit(depth + 1);
      } else if (type === 'ERROR') visitor.onError(cursor.startIndex, cursor.endIndex, copier(cursor, source), depth);
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  };
  visit(0);
}

function copier(cursor: Cursor, source: LiteSource): () => CNode {
  return () => source.copyAt(cursor.currentDescendantIndex);
}

/** Mirrors `function_definition` → declarator chain → function_declarator → name, as cst.ts does. */
function readFunction(cursor: Cursor, source: LiteSource): TopFunction {
  const f: TopFunction = { start: cursor.startIndex, end: cursor.endIndex };
  // The grammar puts the body last and the declarator (one at most: node-types.json) right
  // before it: read those two from the end; anything else (a comment between them, error
  // recovery) takes the walk over every child below.
  if (!cursor.gotoLastChild()) return f;
  if (source.fieldOf(cursor) === 'body') {
    const bodyStart = cursor.startIndex;
    if (cursor.gotoPreviousSibling() && source.fieldOf(cursor) === 'declarator') {
      f.bodyStart = bodyStart;
      f.bodyEnd = f.end;
      readName(cursor, source, f);
      cursor.gotoParent();
      return f;
    }
  }
  cursor.gotoParent();
  if (!cursor.gotoFirstChild()) return f;
  do {
    const field = source.fieldOf(cursor);
    if (field === 'body' && f.bodyStart === undefined) {
      f.bodyStart = cursor.startIndex;
      f.bodyEnd = cursor.endIndex;
    } else if (field === 'declarator' && f.nameStart === undefined) {
      readName(cursor, source, f);
      if (f.nameStart === undefined) f.nameStart = -1; // first declarator only, as childForFieldName
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  if (f.nameStart === -1) delete f.nameStart;
  return f;
}

function readName(cursor: Cursor, source: LiteSource, f: TopFunction): void {
  let depth = 0;
  let found = false;
  // hasFunctionDeclarator
  for (let k = 0; k < 12; k++) {
    const type = source.typeOf(cursor)[0];
    if (type === 'function_declarator') {
      found = true;
      break;
    }
    const ok = type === 'parenthesized_declarator' ? toFirstNamedChild(cursor, source) : toField(cursor, source, 'declarator');
    if (!ok) break;
    depth++;
  }
  // declaratorName(fdecl.declarator)
  if (found && toField(cursor, source, 'declarator')) {
    depth++;
    for (let k = 0; k < 12; k++) {
      const type = source.typeOf(cursor)[0];
      if (NAMES.has(type)) {
        f.nameStart = cursor.startIndex;
        f.nameEnd = cursor.endIndex;
        break;
      }
      const ok = type === 'parenthesized_declarator' ? toFirstNamedChild(cursor, source) : toField(cursor, source, 'declarator');
      if (!ok) break;
      depth++;
    }
  }
  for (; depth > 0; depth--) cursor.gotoParent();
}

/** Moves to the first child with that field (true), or stays (false). */
function toField(cursor: Cursor, source: LiteSource, field: string): boolean {
  if (!cursor.gotoFirstChild()) return false;
  do if (source.fieldOf(cursor) === field) return true;
  while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return false;
}

function toFirstNamedChild(cursor: Cursor, source: LiteSource): boolean {
  if (!cursor.gotoFirstChild()) return false;
  do if (source.typeOf(cursor)[1]) return true;
  while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return false;
}
