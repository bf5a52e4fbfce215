// A plain-JavaScript copy of a subtree, made with one TreeCursor pass. The detailed walk of a
// function body reads every node several times (type, children, fields, text, positions); through
// the Node binding each read is a native call and every child list creates node objects and
// native references, which made a walk of ~1,000 nodes cost several milliseconds. The cursor
// reads four numbers per node (type id, start, end, field id); names are looked up once per id,
// text and positions come from the parsed string and its line starts.
//
// `CNode` is the part of tree-sitter's node interface the extractor uses: tree-sitter nodes and
// copies are interchangeable (test/extraction/liteTree.test.ts compares them node by node).

import { cNodeTypes, type SyntaxNode, type Tree } from '../parsing/parser';
import { lineStarts, positionAt } from '../common/text';

export interface Point {
  row: number;
  column: number;
}

export interface CNode {
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly namedChildren: CNode[];
  readonly namedChildCount: number;
  readonly lastChild: CNode | null;
  readonly isMissing: boolean;
  readonly parent: CNode | null;
  childForFieldName(name: string): CNode | null;
  namedChild(index: number): CNode | null;
}

type Cursor = ReturnType<SyntaxNode['walk']>;

// From the grammar's node-types.json (checked against the binding node by node in
// test/extraction/nodeAccess.test.ts): named types that never have children (tokens, the
// anonymous types, have none either), and types whose children never have a field name.
const NODE_TYPES = cNodeTypes();
export const LEAF_TYPES: ReadonlySet<string> = new Set(NODE_TYPES.filter((t) => t.named && !t.subtypes && !t.fields && !t.children).map((t) => t.type));
export const FIELDLESS_TYPES: ReadonlySet<string> = new Set(NODE_TYPES.filter((t) => t.named && !t.subtypes && Object.keys(t.fields ?? {}).length === 0).map((t) => t.type));

/** What copies of one tree share: the parsed string and its line starts. */
export class LiteSource {
  private starts: number[] | undefined;
  private cursor: Cursor | undefined;
  /** type id → [type name, named, leaf, fieldless]; field id → field name (per language, filled on first sight). */
  private static readonly types: ([string, boolean, boolean, boolean] | undefined)[] = [];
  private static readonly fields: (string | undefined)[] = [];

  constructor(
    readonly text: string,
    private readonly tree?: Tree,
  ) {}

  /** `starts`: line starts of `text`, when the caller has them (blanking keeps every newline). */
  static of(tree: Tree, text: string, starts?: number[]): LiteSource {
    // The tree was parsed from the annotation-blanked text: node text must come from that string.
    const input = (tree as unknown as { input?: unknown }).input;
    const source = new LiteSource(typeof input === 'string' && input.length === text.length ? input : text, tree);
    source.starts = starts;
    return source;
  }

  /**
   * Type name, namedness, whether the grammar gives it no children and whether its children never
   * have field names (a function of its type id).
   */
  typeOf(cursor: Cursor): [string, boolean, boolean, boolean] {
    const id = cursor.nodeTypeId;
    let t = LiteSource.types[id];
    if (!t) {
      const type = cursor.nodeType;
      const named = cursor.nodeIsNamed;
      // ERROR nodes: fields are ignored below them anyway (see make)
      t = LiteSource.types[id] = [type, named, !named || LEAF_TYPES.has(type), !named || type === 'ERROR' || FIELDLESS_TYPES.has(type)];
    }
    return t;
  }

  /** Field name of the cursor's node in its parent. */
  fieldOf(cursor: Cursor): string | undefined {
    const id = cursor.currentFieldId;
    if (!id) return undefined;
    return (LiteSource.fields[id] ??= cursor.currentFieldName);
  }

  point(index: number): Point {
    const p = positionAt((this.starts ??= lineStarts(this.text)), index);
    return { row: p.line, column: p.character };
  }


  /** A copy of `node` and everything below it (its parent is not copied: `parent` is null). */
  copy(node: SyntaxNode): CNode {
    return this.copyFrom(node.walk());
  }

  /** A copy of the tree's `at`-th descendant (TreeCursor.currentDescendantIndex). */
  copyAt(at: number): CNode {
    if (!this.tree) throw new Error('copyAt needs the tree');
    const cursor = (this.cursor ??= this.tree.walk());
    cursor.gotoDescendant(at);
    return this.copyFrom(cursor);
  }

  /** A copy of the function_definition spanning exactly [start, end). */
  copyDefinition(start: number, end: number): CNode {
    if (!this.tree) throw new Error('copyDefinition needs the tree');
    let node: SyntaxNode | null = this.tree.rootNode.descendantForIndex(start, end);
    while (node && !(node.type === 'function_definition' && node.startIndex === start && node.endIndex === end)) node = node.parent;
    if (!node) throw new Error(`no function definition at [${start}, ${end})`);
    return this.copy(node);
  }

  private copyFrom(cursor: Cursor): CNode {
    const root = this.make(cursor, null);
    let cur = root;
    for (;;) {
      // a leaf type needs no native call to find it has no children
      if (!cur.leaf && cursor.gotoFirstChild()) {
        cur = this.make(cursor, cur);
        continue;
      }
      for (;;) {
        if (cur === root) return root;
        if (cursor.gotoNextSibling()) {
          cur = this.make(cursor, cur.parent);
          break;
        }
        cursor.gotoParent();
        cur = cur.parent!;
      }
    }
  }

  private make(cursor: Cursor, parent: LiteNode | null): LiteNode {
    const t = this.typeOf(cursor);
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    // only zero-width nodes can be MISSING
    const missing = start === end && cursor.nodeIsMissing;
    const n = new LiteNode(t[0], t[1], start, end, parent, this, missing, t[2], t[3]);
    if (parent) {
      // An ERROR node has no fields of its own: the cursor would report those of an invisible
      // wrapper below it, which `childForFieldName` on the ERROR node does not return.
      const field = parent.fieldless ? undefined : this.fieldOf(cursor);
      if (field !== undefined) (parent.fieldNames ??= [])[parent.children.length] = field;
      parent.children.push(n);
    }
    return n;
  }
}

class LiteNode implements CNode {
  readonly children: LiteNode[] = [];
  /** Field name of each child (sparse: undefined for children without one). */
  fieldNames: (string | undefined)[] | undefined;
  private named: LiteNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: LiteNode | null,
    private readonly source: LiteSource,
    readonly isMissing: boolean,
    readonly leaf: boolean,
    /** ERROR, or a type whose children never have field names. */
    readonly fieldless: boolean,
  ) {}

  get text(): string {
    return this.source.text.slice(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.source.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.source.point(this.endIndex);
  }

  get namedChildren(): CNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed)).slice();
  }

  get namedChildCount(): number {
    return (this.named ??= this.children.filter((c) => c.isNamed)).length;
  }

  namedChild(index: number): CNode | null {
    return (this.named ??= this.children.filter((c) => c.isNamed))[index] ?? null;
  }

  get lastChild(): CNode | null {
    return this.children[this.children.length - 1] ?? null;
  }

  childForFieldName(name: string): CNode | null {
    const f = this.fieldNames;
    if (!f) return null;
    for (let i = 0; i < f.length; i++) if (f[i] === name) return this.children[i]!;
    return null;
  }
}
