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
  }
  return shared;
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
  return countParseErrorsIn(tree.rootNode);
}

/** ERROR and MISSING nodes in the subtree of `node` (only subtrees that have errors are entered). */
export function countParseErrorsIn(node: SyntaxNode): number {
  if (!node.hasError) return 0;
  let count = 0;
  const cursor = node.walk();
  let descend = true;
  for (;;) {
    if (descend) {
      const current = cursor.currentNode;
      if (current.type === 'ERROR' || current.isMissing) count++;
      if (current.hasError && cursor.gotoFirstChild()) continue;
    }
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    if (cursor.currentNode.id === node.id) break;
    descend = false;
  }
  return count;
}
