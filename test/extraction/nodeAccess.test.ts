// The extractor's shortcuts around the Node binding must give the binding's own answers:
// cached type names and start positions (parser.ts), plain copies of subtrees (liteTree.ts),
// the cursor pass over top-level items and its error count (topLevel.ts), and the token index
// (tokenIndex.ts), on every C file of the repository's fixtures and examples.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countParseErrors, nativeNodeAccess, parseC, startShortcutInstalled, type SyntaxNode, type Tree } from '../../server/src/parsing/parser';
import { LEAF_TYPES, LiteSource, type CNode } from '../../server/src/extraction/liteTree';
import { scanTopLevel, type TopFunction } from '../../server/src/extraction/topLevel';
import { TokenIndex, callToken, type Token } from '../../server/src/extraction/tokenIndex';
import { INSERTION } from '../../server/src/extraction/insertionSites';
import { FLAG } from '../../server/src/extraction/mmapHandlers';
import { TABLE } from '../../server/src/extraction/vmOps';
import { DETAIL, MMAP_HELPER } from '../../server/src/extraction';
import { declaratorName, hasFunctionDeclarator } from '../../server/src/extraction/cst';

const ROOT = join(__dirname, '..', '..', '..');
// every field name of the C grammar
// eslint-disable-next-line @typescript-eslint/no-require-imports
const NODE_TYPES = require('tree-sitter-c').nodeTypeInfo as { fields?: Record<string, unknown> }[];
const FIELD_NAMES = [...new Set(NODE_TYPES.flatMap((t) => Object.keys(t.fields ?? {})))];

function cFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) cFiles(p, out);
    else if (/\.[ch]$/.test(name)) out.push(p);
  }
  return out;
}

// FAULTLINE_EXTRA_C_DIRS=dir1:dir2 adds every C file below those (e.g. parts of a kernel tree).
const EXTRA = (process.env['FAULTLINE_EXTRA_C_DIRS'] ?? '').split(':').filter(Boolean);
const FILES = [...cFiles(join(ROOT, 'examples')), ...cFiles(join(ROOT, 'test', 'fixtures')), ...EXTRA.flatMap((d) => cFiles(d))];
// Non-ASCII (BMP and astral), CRLF, syntax errors, MISSING tokens, #if blocks, ops tables.
const EDGE = [
  '/* é 😀 */\r\nstatic int f(void) {\r\n  return g(1) /* ü */;\r\n}\r\n',
  'static int (*h(int a))(void) { return 0; }\nint *p(void) { return 0; }\n#ifdef X\nstatic int k(void) { list_for_each_entry(a, b, c) { x(); } }\n#endif\n',
  'static int broken(void) { int x = ; if (a { return 1; }\nstatic const struct vm_operations_struct o = { .fault = f, };\n',
  'int f(void) { return 1 }\nstruct s { int a } v;\n',
];

function texts(): { name: string; text: string }[] {
  return [...FILES.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })), ...EDGE.map((text, i) => ({ name: `edge ${i}`, text }))];
}

function allNodes(tree: Tree): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack = [tree.rootNode];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    stack.push(...n.children);
  }
  return out;
}

test('cached type names and start positions equal the binding\'s own answers', () => {
  assert.ok(FILES.length >= 10, `fixtures found: ${FILES.length}`);
  parseC('int x;');
  assert.ok(startShortcutInstalled(), 'the start shortcut passed its self-check');
  let checked = 0;
  for (const { name, text } of texts()) {
    for (const n of allNodes(parseC(text))) {
      const native = nativeNodeAccess(n);
      assert.equal(n.type, native.type, name);
      assert.equal(n.startIndex, native.startIndex, name);
      assert.deepEqual(n.startPosition, native.startPosition, name);
      // the copies skip looking for children of tokens and of leaf types (liteTree.ts)
      if (!n.isNamed || LEAF_TYPES.has(n.type)) assert.equal(n.childCount, 0, `${name}: ${n.type} @${n.startIndex} has children`);
      checked++;
    }
  }
  assert.ok(checked > 5000, `nodes checked: ${checked}`);
});

function sameNode(copy: CNode, node: SyntaxNode, where: string): void {
  assert.equal(copy.type, node.type, where);
  assert.equal(copy.startIndex, node.startIndex, where);
  assert.equal(copy.endIndex, node.endIndex, where);
  assert.deepEqual(copy.startPosition, node.startPosition, where);
  assert.deepEqual(copy.endPosition, node.endPosition, where);
  assert.equal(copy.text, node.text, where);
  assert.equal(copy.isMissing, node.isMissing, where);
  assert.equal(copy.namedChildCount, node.namedChildCount, where);
  assert.equal(copy.lastChild?.startIndex, node.lastChild?.startIndex, where);
  assert.equal(copy.namedChild(0)?.startIndex, node.namedChild(0)?.startIndex, where);
}

test('plain copies of subtrees read like the tree-sitter nodes, fields included', () => {
  let compared = 0;
  for (const { name, text } of texts()) {
    const tree = parseC(text);
    const source = LiteSource.of(tree, text);
    for (const top of tree.rootNode.namedChildren) {
      const copy = source.copy(top);
      const walk = (c: CNode, n: SyntaxNode, depth: number): void => {
        const where = `${name} ${n.type} @${n.startIndex}`;
        sameNode(c, n, where);
        compared++;
        // every field the node has, asked by name, gives the same child
        const cursor = n.walk();
        if (cursor.gotoFirstChild()) {
          do {
            const field = cursor.currentFieldName;
            if (field) {
              const want = n.childForFieldName(field);
              const got = c.childForFieldName(field);
              assert.equal(got?.startIndex, want?.startIndex, `${where} .${field}`);
              assert.equal(got?.type, want?.type, `${where} .${field}`);
            }
          } while (cursor.gotoNextSibling());
        }
        assert.equal(c.childForFieldName('no_such_field'), null);
        for (const field of FIELD_NAMES) {
          assert.equal(c.childForFieldName(field)?.startIndex, n.childForFieldName(field)?.startIndex, `${where} .${field} (by name)`);
        }
        const cn = c.namedChildren;
        const nn = n.namedChildren;
        assert.equal(cn.length, nn.length, where);
        for (let i = 0; i < nn.length; i++) {
          assert.equal(cn[i]!.parent, c, `${where}: parent link`);
          walk(cn[i]!, nn[i]!, depth + 1);
        }
      };
      walk(copy, top, 0);
      assert.equal(copy.parent, null);
    }
  }
  assert.ok(compared > 3000, `nodes compared: ${compared}`);
});

function referenceErrorCount(tree: Tree): number {
  return allNodes(tree).filter((n) => n.type === 'ERROR' || n.isMissing).length;
}

test('the cursor pass finds every top-level function with its name and body; syntax errors are counted exactly', () => {
  let copied = 0;
  for (const { name, text } of texts()) {
    const tree = parseC(text);
    const source = LiteSource.of(tree, text);
    const seen: TopFunction[] = [];
    const checkCopy = (type: string) => (s: number, e: number, copy: () => CNode): void => {
      const c = copy(); // during the callback, as the extractor does
      assert.deepEqual([c.type, c.startIndex, c.endIndex], [type, s, e], `${name}: copy of a top-level ${type}`);
      copied++;
    };
    scanTopLevel(tree, source, { onFunction: (f) => seen.push(f), onDeclaration: checkCopy('declaration'), onError: checkCopy('ERROR') });
    assert.equal(countParseErrors(tree), referenceErrorCount(tree), `${name}: error count`);
    // reference: function_definition nodes outside ERROR nodes, reached through #if blocks
    const want: SyntaxNode[] = [];
    const visit = (nodes: SyntaxNode[]): void => {
      for (const n of nodes) {
        if (n.type === 'function_definition') want.push(n);
        else if (/^preproc_(if|ifdef|else|elif|elifdef)$|^linkage_specification$|^declaration_list$/.test(n.type)) visit(n.namedChildren);
      }
    };
    visit(tree.rootNode.namedChildren);
    assert.equal(seen.length, want.length, `${name}: functions`);
    want.forEach((n, i) => {
      const f = seen[i]!;
      assert.equal(f.start, n.startIndex, name);
      assert.equal(f.end, n.endIndex, name);
      const body = n.childForFieldName('body');
      assert.equal(f.bodyStart, body?.startIndex, name);
      assert.equal(f.bodyEnd, body?.endIndex, name);
      const fdecl = hasFunctionDeclarator(n.childForFieldName('declarator'));
      const nameNode = fdecl ? declaratorName(fdecl.childForFieldName('declarator')) : null;
      assert.equal(f.nameStart, nameNode?.startIndex, `${name}: name of ${n.text.slice(0, 40)}`);
      assert.equal(f.nameEnd, nameNode?.endIndex, name);
      const copy = source.copyDefinition(f.start, f.end);
      assert.equal(copy.type, 'function_definition');
      assert.equal(copy.startIndex, n.startIndex);
      assert.equal(copy.endIndex, n.endIndex);
    });
  }
  assert.ok(copied > 20, `top-level declarations and ERROR nodes copied: ${copied}`);
});

test('the token index answers exactly what the token regex answers on the span', () => {
  const tokens: Token[] = [
    INSERTION, FLAG, TABLE,
    DETAIL, MMAP_HELPER,
    callToken(['my_insert', 'other_wrapper'])!,
  ];
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % Math.max(1, n);
  };
  let positives = 0;
  let asked = 0;
  for (const { text } of texts()) {
    const index = new TokenIndex(text);
    const batched = new TokenIndex(text, [INSERTION, FLAG, TABLE, DETAIL, MMAP_HELPER]);
    const batchedRegex = new TokenIndex(text, [INSERTION, FLAG, TABLE, DETAIL, MMAP_HELPER], false);
    for (let k = 0; k < 200; k++) {
      const a = rand(text.length + 1);
      const b = Math.min(text.length, a + rand(k % 3 === 0 ? text.length : 400));
      for (const t of tokens) {
        const want = t.re.test(text.slice(a, b));
        assert.equal(index.test(t, a, b), want, `${t.re.source} on [${a}, ${b})`);
        assert.equal(batched.test(t, a, b), want, `${t.re.source} on [${a}, ${b}) (anchors found in one pass)`);
        assert.equal(batchedRegex.test(t, a, b), want, `${t.re.source} on [${a}, ${b}) (anchors found in one regex pass)`);
        if (want) positives++;
        asked++;
      }
    }
  }
  assert.ok(positives > 100, `spans holding a token: ${positives} of ${asked}`);
  // the anchors themselves must be in every match: a token whose regex matches without an anchor would be missed
  for (const t of tokens) {
    for (const { text } of texts()) {
      for (const m of text.matchAll(new RegExp(t.re.source, 'g'))) {
        assert.ok(t.anchors.some((a) => m[0].includes(a)), `${m[0]} holds an anchor of ${t.re.source}`);
      }
    }
  }
});

test('one-pass anchors: overlapping anchors and one anchor a prefix of another are all found', () => {
  const prefix: Token = { re: /ab/, anchors: ['ab'] };
  const longer: Token = { re: /abc/, anchors: ['abc'] };
  const inside: Token = { re: /bcd/, anchors: ['bcd'] };
  const text = 'xx abcd yy ab zz';
  for (const simd of [true, false]) {
    const index = new TokenIndex(text, [prefix, longer, inside], simd);
    assert.equal(index.test(prefix, 3, 5), true);
    assert.equal(index.test(longer, 3, 6), true);
    assert.equal(index.test(inside, 4, 7), true);
    assert.equal(index.test(longer, 8, text.length), false);
    assert.equal(index.test(prefix, 8, text.length), true);
    assert.equal(index.test(inside, 0, 6), false);
  }
});

test('one-pass anchors: characters beyond Latin-1 cannot pose as ASCII in the byte copy', () => {
  // U+0166 and U+0161 end in the bytes of "f" and "a": the latin1 copy holds "fault" at 3 and "access" at 13
  const text = 'xx \u0166ault \u0161ccess fault';
  const fault: Token = { re: /fault/, anchors: ['fault'] };
  const access: Token = { re: /access/, anchors: ['access'] };
  for (const simd of [true, false]) {
    const index = new TokenIndex(text, [fault, access], simd);
    assert.equal(index.test(fault, 0, 20), false);
    assert.equal(index.test(access, 0, 20), false);
    assert.equal(index.test(fault, 0, text.length), true);
  }
});
