// The one place that loads tree-sitter. Everything above it receives trees, never the binding.
// tree-sitter 0.22.4 + tree-sitter-c 0.23.6 are pinned on purpose: see ../../../README.md
// ("Dependencies") and the grammar smoke test in test/parsing/.

import Parser = require('tree-sitter');
import C = require('tree-sitter-c');
import { blankKernelAnnotations } from './kernelMacros';

export type Tree = Parser.Tree;
export type SyntaxNode = Parser.SyntaxNode;

let shared: Parser | undefined;

/** A parser with the C grammar set. One per thread: tree-sitter parsers are not re-entrant. */
export function cParser(): Parser {
  if (!shared) {
    shared = new Parser();
    shared.setLanguage(C as unknown as Parser.Language);
    cacheNodeTypeNames();
    readStartFromHandle();
  }
  return shared;
}

let typeNamesCached = false;

/**
 * The binding gives every named node type its own subclass and means to store the type name on
 * its prototype, but the assignment is silently ignored (the base class defines `type` as a
 * getter without setter), so every `node.type` crosses into native code (~0.3 µs; the most
 * frequent call of the extractor). This getter asks native code once per subclass and then
 * stores the name on that subclass's prototype. ERROR nodes and anonymous tokens share the base
 * class and keep asking. A node's subclass is chosen by its symbol id, which determines its type
 * name, so the cache cannot go stale (test/parsing/parser.test.ts compares every node of a file).
 */
function cacheNodeTypeNames(): void {
  if (typeNamesCached) return;
  typeNamesCached = true;
  const base = (Parser as unknown as { SyntaxNode?: { prototype: object } }).SyntaxNode?.prototype;
  const native = base && Object.getOwnPropertyDescriptor(base, 'type')?.get;
  if (!base || !native) return;
  Object.defineProperty(base, 'type', {
    configurable: true,
    get(this: object): string {
      const name = native.call(this) as string;
      const proto = Object.getPrototypeOf(this) as object;
      if (proto !== base && !Object.prototype.hasOwnProperty.call(proto, 'type')) {
        Object.defineProperty(proto, 'type', { value: name, configurable: true });
      }
      return name;
    },
  });
}

/**
 * A node handle carries its start (byte offset, row, byte column: tree-sitter's node context)
 * in fields 2–4, and the input is UTF-16, so `startIndex` and `startPosition` can be read
 * without a native call (they are the second and third most frequent calls of the extractor).
 * Installed only if a self-check on a sample with non-ASCII text and CRLF agrees with the binding
 * for every node; otherwise the binding's getters stay.
 */
function readStartFromHandle(): void {
  const base = (Parser as unknown as { SyntaxNode?: { prototype: object } }).SyntaxNode?.prototype;
  const nativeIndex = base && Object.getOwnPropertyDescriptor(base, 'startIndex')?.get;
  const nativePos = base && Object.getOwnPropertyDescriptor(base, 'startPosition')?.get;
  if (!base || !nativeIndex || !nativePos) return;
  nativeStart = { index: nativeIndex, position: nativePos };
  type Handle = Record<number, number>;
  const fastIndex = function (this: Handle): number {
    return this[2]! / 2;
  };
  const fastPos = function (this: Handle): { row: number; column: number } {
    return { row: this[3]!, column: this[4]! / 2 };
  };
  try {
    const sample = '/* é 😀 ü \u00a0 — */\r\nstatic int f(void) {\r\n\tint x = g(\'é\', "ü");\n  return x; }\nstruct s { int a; } v = { .a = 1 };\n';
    const tree = shared!.parse(sample);
    const stack: SyntaxNode[] = [tree.rootNode];
    let checked = 0;
    while (stack.length) {
      const n = stack.pop()!;
      const i = nativeIndex.call(n) as number;
      const p = nativePos.call(n) as { row: number; column: number };
      const fi = fastIndex.call(n as unknown as Handle);
      const fp = fastPos.call(n as unknown as Handle);
      if (i !== fi || p.row !== fp.row || p.column !== fp.column) return;
      checked++;
      stack.push(...n.children);
    }
    if (checked < 20) return;
  } catch {
    return;
  }
  Object.defineProperty(base, 'startIndex', { configurable: true, get: fastIndex });
  Object.defineProperty(base, 'startPosition', { configurable: true, get: fastPos });
}

let nativeStart: { index: () => unknown; position: () => unknown } | undefined;

/** The binding's own answers, bypassing the shortcuts above (tests compare the two). */
export function nativeNodeAccess(node: SyntaxNode): { type: string; startIndex: number; startPosition: { row: number; column: number } } {
  const base = (Parser as unknown as { SyntaxNode: { prototype: object } }).SyntaxNode.prototype;
  const type = Object.getOwnPropertyDescriptor(base, 'type')!.get!.call(node) as string;
  return {
    type,
    startIndex: (nativeStart?.index.call(node) ?? node.startIndex) as number,
    startPosition: (nativeStart?.position.call(node) ?? node.startPosition) as { row: number; column: number },
  };
}

/** Whether the start shortcut passed its self-check and is in use. */
export function startShortcutInstalled(): boolean {
  return nativeStart !== undefined && Object.getOwnPropertyDescriptor((Parser as unknown as { SyntaxNode: { prototype: object } }).SyntaxNode.prototype, 'startIndex')?.get !== nativeStart.index;
}

/** The grammar's node-types.json: per node type, its fields and children. */
export function cNodeTypes(): readonly { type: string; named: boolean; fields?: Record<string, unknown>; children?: unknown; subtypes?: unknown }[] {
  return (C as unknown as { nodeTypeInfo: ReturnType<typeof cNodeTypes> }).nodeTypeInfo;
}

export function cLanguage(): Parser.Language {
  return C as unknown as Parser.Language;
}

/**
 * tree-sitter's Node binding copies the input through a fixed buffer (32 KiB by default) and
 * fails on some large kernel headers; a buffer larger than the text avoids that.
 */
export function bufferSizeFor(text: string): number {
  return Math.max(32 * 1024, 2 * text.length + 16);
}

/** Full parse of `text` (kernel annotations blanked, positions unchanged). */
export function parseC(text: string): Tree {
  const prepared = blankKernelAnnotations(text);
  return cParser().parse(prepared, undefined, { bufferSize: bufferSizeFor(prepared) });
}

/**
 * Parse with a time limit (tree-sitter's `setTimeoutMicros`): undefined when the limit is hit.
 * The parser is reset afterwards, so the next parse of another text starts from scratch.
 */
export function parseWithin(prepared: string, timeoutMs: number, oldTree?: Tree): Tree | undefined {
  const parser = cParser();
  const micros = Number.isFinite(timeoutMs) && timeoutMs > 0 ? Math.max(1000, Math.round(timeoutMs * 1000)) : 0;
  parser.setTimeoutMicros(micros);
  try {
    const tree = parser.parse(prepared, oldTree ?? null, { bufferSize: bufferSizeFor(prepared) }) as Tree | null;
    if (!tree) {
      parser.reset();
      return undefined;
    }
    return tree;
  } finally {
    parser.setTimeoutMicros(0);
  }
}

/** Full parse of `text` within `timeoutMs` (kernel annotations blanked); undefined on timeout. */
export function parseCWithin(text: string, timeoutMs: number): Tree | undefined {
  return parseWithin(blankKernelAnnotations(text), timeoutMs);
}

/** Counts ERROR and MISSING nodes: a measure of how much of the file the grammar understood. */
export function countParseErrors(tree: Tree): number {
  const root = tree.rootNode;
  if (!root.hasError) return 0;
  // Top-level items come in one native call; only those with errors are walked.
  let count = root.type === 'ERROR' ? 1 : 0;
  for (const item of root.children) if (item.hasError) count += countParseErrorsIn(item);
  return count;
}

/** ERROR and MISSING nodes in the subtree of `node` (only subtrees that have errors are entered). */
export function countParseErrorsIn(node: SyntaxNode): number {
  if (!node.hasError) return 0;
  let count = 0;
  const cursor = node.walk();
  let depth = 0;
  let descend = true;
  for (;;) {
    if (descend) {
      if (cursor.nodeIsMissing || cursor.nodeType === 'ERROR') count++;
      if (cursor.currentNode.hasError && cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
    }
    if (depth > 0 && cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (depth === 0 || !cursor.gotoParent()) break;
    depth--;
    descend = false;
  }
  return count;
}
