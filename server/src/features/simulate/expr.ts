// A small evaluator for the C expressions of a fault handler (conditions, assignments, call
// arguments) over an abstract domain that is just precise enough for the simulator:
//   num  — a known 64-bit unsigned value (constants, the scenario's fault address and VMA bounds);
//   sym  — an unknown driver value known only modulo 2^shift: A·2^shift + off (driver fields such as
//          `bo->base_pfn` or `bar->start`: the scenario's pfn alignment says what `off` is);
//   ref  — `vmf`, `vma` or an opaque driver object;
//   unknown.
// Comparisons of a sym with anything are unknown (a fork); masks and modulo by powers of two below
// 2^shift are known. Never throws: anything it cannot read is `unknown`.

export type Val =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; shift: number; off: bigint }
  | { k: 'ref'; to: 'vmf' | 'vma' | 'obj' }
  | { k: 'unknown' };

export const UNKNOWN: Val = { k: 'unknown' };
const MASK64 = (1n << 64n) - 1n;
const u64 = (x: bigint): bigint => BigInt.asUintN(64, x);
export const num = (v: bigint | number): Val => ({ k: 'num', v: u64(BigInt(v)) });

export interface EvalEnv {
  /** Value of an identifier (locals, parameters, known constants); undefined when not known at all. */
  ident(name: string): Val | undefined;
  /** Value of `base->field` / `base.field`. */
  field(base: Val, field: string): Val;
  /** Value of a call that is not a known macro (helpers are resolved by the engine beforehand). */
  call(callee: string, args: string[]): Val;
  pageShift: number;
}

// ---------------------------------------------------------------------------------------------
// tokens and parse tree

type Tok = { t: 'id' | 'num' | 'op' | 'str'; s: string };

function tokenize(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  const ops = ['<<=', '>>=', '->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '++', '--', '+=', '-=', '&=', '|=', '^='];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /\w/.test(src[j]!)) j++;
      out.push({ t: 'id', s: src.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*/.exec(src.slice(i))!;
      out.push({ t: 'num', s: m[1]! });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      out.push({ t: 'str', s: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const op = ops.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', s: op });
      i += op.length;
      continue;
    }
    if ('+-*/%&|^~!<>=?:(),.[]'.includes(c)) {
      out.push({ t: 'op', s: c });
      i++;
      continue;
    }
    return undefined;
  }
  return out;
}

export type Node =
  | { n: 'num'; v: bigint }
  | { n: 'id'; name: string }
  | { n: 'str' }
  | { n: 'field'; base: Node; field: string }
  | { n: 'index'; base: Node }
  | { n: 'call'; callee: string; args: Node[]; argTexts: string[] }
  | { n: 'unary'; op: string; arg: Node }
  | { n: 'binary'; op: string; left: Node; right: Node }
  | { n: 'cond'; test: Node; then: Node; else: Node }
  | { n: 'cast'; arg: Node }
  | { n: 'opaque' };

const TYPE_WORDS = new Set(['unsigned', 'signed', 'long', 'int', 'short', 'char', 'bool', 'void', 'const', 'struct', 'u8', 'u16', 'u32', 'u64', 's32', 's64', 'size_t', 'pgoff_t', 'phys_addr_t', 'resource_size_t', 'vm_fault_t', 'pfn_t', 'uintptr_t', 'loff_t']);

const BIN_PREC: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[], private readonly src: string) {}
  peek(o = 0): Tok | undefined {
    return this.toks[this.i + o];
  }
  eat(s: string): boolean {
    const t = this.peek();
    if (t && t.t === 'op' && t.s === s) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(s: string): void {
    if (!this.eat(s)) throw new Error(`expected ${s}`);
  }
  done(): boolean {
    return this.i >= this.toks.length;
  }
  expr(): Node {
    // comma expression: value of the last
    let e = this.assign();
    while (this.eat(',')) e = this.assign();
    return e;
  }
  assign(): Node {
    return this.ternary();
  }
  ternary(): Node {
    const test = this.binary(1);
    if (this.eat('?')) {
      const a = this.assign();
      this.expect(':');
      const b = this.assign();
      return { n: 'cond', test, then: a, else: b };
    }
    return test;
  }
  binary(min: number): Node {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'op') return left;
      const p = BIN_PREC[t.s];
      if (p === undefined || p < min) return left;
      this.i++;
      const right = this.binary(p + 1);
      left = { n: 'binary', op: t.s, left, right };
    }
  }
  isCast(): boolean {
    // ( type-words [*]* ) followed by an operand
    const t = this.peek();
    if (!t || t.t !== 'op' || t.s !== '(') return false;
    let j = 1;
    let sawType = false;
    for (;;) {
      const x = this.peek(j);
      if (!x) return false;
      if (x.t === 'id' && (TYPE_WORDS.has(x.s) || /_t$/.test(x.s) || (sawType && this.peek(j - 1)?.s === 'struct'))) {
        sawType = true;
        j++;
        continue;
      }
      if (x.t === 'op' && x.s === '*' && sawType) {
        j++;
        continue;
      }
      if (x.t === 'op' && x.s === ')' && sawType) {
        const after = this.peek(j + 1);
        return !!after && (after.t !== 'op' || ['(', '~', '!', '-'].includes(after.s));
      }
      return false;
    }
  }
  unary(): Node {
    const t = this.peek();
    if (t && t.t === 'op' && ['!', '~', '-', '+', '*', '&'].includes(t.s)) {
      this.i++;
      const arg = this.unary();
      return { n: 'unary', op: t.s, arg };
    }
    if (t && t.t === 'id' && t.s === 'sizeof') {
      this.i++;
      if (this.eat('(')) {
        let depth = 1;
        while (!this.done() && depth > 0) {
          const x = this.peek()!;
          if (x.s === '(') depth++;
          if (x.s === ')') depth--;
          this.i++;
        }
      } else this.unary();
      return { n: 'opaque' };
    }
    if (this.isCast()) {
      while (!this.eat(')')) this.i++;
      return { n: 'cast', arg: this.unary() };
    }
    return this.postfix(this.primary());
  }
  primary(): Node {
    const t = this.peek();
    if (!t) throw new Error('unexpected end');
    this.i++;
    if (t.t === 'num') return { n: 'num', v: BigInt(t.s) };
    if (t.t === 'str') return { n: 'str' };
    if (t.t === 'id') {
      if (this.peek()?.t === 'op' && this.peek()!.s === '(') {
        this.i++;
        const args: Node[] = [];
        const argTexts: string[] = [];
        if (!this.eat(')')) {
          for (;;) {
            const start = this.i;
            args.push(this.assign());
            argTexts.push(this.textOf(start, this.i));
            if (this.eat(')')) break;
            this.expect(',');
          }
        }
        return { n: 'call', callee: t.s, args, argTexts };
      }
      return { n: 'id', name: t.s };
    }
    if (t.s === '(') {
      const e = this.expr();
      this.expect(')');
      return e;
    }
    throw new Error(`unexpected ${t.s}`);
  }
  postfix(base: Node): Node {
    for (;;) {
      if (this.eat('->') || this.eat('.')) {
        const f = this.peek();
        if (!f || f.t !== 'id') throw new Error('field');
        this.i++;
        base = { n: 'field', base, field: f.s };
        continue;
      }
      if (this.eat('[')) {
        this.expr();
        this.expect(']');
        base = { n: 'index', base };
        continue;
      }
      if (this.eat('++') || this.eat('--')) continue;
      return base;
    }
  }
  private textOf(a: number, b: number): string {
    return this.toks.slice(a, b).map((x) => x.s).join(' ').replace(/ ?(->|\.) ?/g, '$1').replace(/\( /g, '(').replace(/ \)/g, ')');
  }
  get source(): string {
    return this.src;
  }
}

const cache = new Map<string, Node>();

export function parseExpr(src: string): Node {
  const hit = cache.get(src);
  if (hit) return hit;
  let node: Node = { n: 'opaque' };
  const toks = tokenize(src);
  if (toks) {
    try {
      const p = new Parser(toks, src);
      const e = p.expr();
      if (p.done()) node = e;
    } catch {
      node = { n: 'opaque' };
    }
  }
  if (cache.size > 2000) cache.clear();
  cache.set(src, node);
  return node;
}

// ---------------------------------------------------------------------------------------------
// evaluation

function isPow2(x: bigint): boolean {
  return x > 0n && (x & (x - 1n)) === 0n;
}
function log2(x: bigint): number {
  let n = 0;
  while (x > 1n) {
    x >>= 1n;
    n++;
  }
  return n;
}

export function truth(v: Val): boolean | 'unknown' {
  if (v.k === 'num') return v.v !== 0n;
  if (v.k === 'ref') return true;
  if (v.k === 'sym' && v.shift > 0 && (v.off & ((1n << BigInt(v.shift)) - 1n)) !== 0n) return true;
  return 'unknown';
}

const fromBool = (b: boolean | 'unknown'): Val => (b === 'unknown' ? UNKNOWN : num(b ? 1 : 0));

function add(a: Val, b: Val, sign: 1n | -1n): Val {
  if (a.k === 'num' && b.k === 'num') return num(sign === 1n ? a.v + b.v : a.v - b.v);
  if (a.k === 'sym' && b.k === 'num') return { k: 'sym', shift: a.shift, off: sign === 1n ? a.off + b.v : a.off - b.v };
  if (a.k === 'num' && b.k === 'sym' && sign === 1n) return { k: 'sym', shift: b.shift, off: a.v + b.off };
  if (a.k === 'sym' && b.k === 'sym') {
    const shift = Math.min(a.shift, b.shift);
    return { k: 'sym', shift, off: sign === 1n ? a.off + b.off : a.off - b.off };
  }
  return UNKNOWN;
}

function lowBits(s: { shift: number; off: bigint }, mask: bigint): bigint {
  return u64(s.off) & mask;
}

function and(a: Val, b: Val): Val {
  if (a.k === 'num' && b.k === 'num') return num(a.v & b.v);
  if (a.k === 'num' && b.k === 'sym') return and(b, a);
  if (a.k === 'sym' && b.k === 'num') {
    const low = (1n << BigInt(a.shift)) - 1n;
    if ((b.v & ~low & MASK64) === 0n) return num(lowBits(a, b.v));
    if ((b.v | low) === MASK64) return { k: 'sym', shift: a.shift, off: u64(a.off) & b.v };
  }
  return UNKNOWN;
}

function shiftRight(a: Val, n: bigint): Val {
  if (a.k === 'num') return num(a.v >> n);
  if (a.k === 'sym' && a.shift >= Number(n)) return { k: 'sym', shift: a.shift - Number(n), off: u64(a.off) >> n };
  return UNKNOWN;
}

function compare(op: string, a: Val, b: Val): Val {
  if (a.k === 'num' && b.k === 'num') {
    const x = a.v;
    const y = b.v;
    switch (op) {
      case '==': return fromBool(x === y);
      case '!=': return fromBool(x !== y);
      case '<': return fromBool(x < y);
      case '>': return fromBool(x > y);
      case '<=': return fromBool(x <= y);
      case '>=': return fromBool(x >= y);
    }
  }
  // A sym compared with a number it can never equal (different residue) is known for ==/!=.
  if ((op === '==' || op === '!=') && a.k === 'sym' && b.k === 'num') {
    const low = (1n << BigInt(a.shift)) - 1n;
    if ((u64(a.off) & low) !== (b.v & low)) return fromBool(op === '!=');
  }
  if ((op === '==' || op === '!=') && a.k === 'num' && b.k === 'sym') return compare(op, b, a);
  return UNKNOWN;
}

export function evaluate(node: Node, env: EvalEnv): Val {
  switch (node.n) {
    case 'num':
      return num(node.v);
    case 'str':
    case 'opaque':
    case 'index':
      return UNKNOWN;
    case 'id': {
      const v = env.ident(node.name);
      return v ?? UNKNOWN;
    }
    case 'field':
      return env.field(evaluate(node.base, env), node.field);
    case 'cast':
      return evaluate(node.arg, env);
    case 'cond': {
      const t = truth(evaluate(node.test, env));
      if (t === 'unknown') return UNKNOWN;
      return evaluate(t ? node.then : node.else, env);
    }
    case 'call':
      return evalCall(node, env);
    case 'unary': {
      const a = evaluate(node.arg, env);
      switch (node.op) {
        case '!': {
          const t = truth(a);
          return t === 'unknown' ? UNKNOWN : num(t ? 0 : 1);
        }
        case '~':
          if (a.k === 'num') return num(~a.v);
          if (a.k === 'sym') return { k: 'sym', shift: a.shift, off: u64(~a.off) };
          return UNKNOWN;
        case '-':
          return a.k === 'num' ? num(-a.v) : UNKNOWN;
        case '+':
          return a;
        default:
          return a.k === 'ref' ? a : UNKNOWN;
      }
    }
    case 'binary': {
      if (node.op === '&&' || node.op === '||') {
        const l = truth(evaluate(node.left, env));
        if (node.op === '&&' && l === false) return num(0);
        if (node.op === '||' && l === true) return num(1);
        const r = truth(evaluate(node.right, env));
        if (node.op === '&&') return l === true ? fromBool(r) : r === false ? num(0) : UNKNOWN;
        return l === false ? fromBool(r) : r === true ? num(1) : UNKNOWN;
      }
      const a = evaluate(node.left, env);
      const b = evaluate(node.right, env);
      switch (node.op) {
        case '+': return add(a, b, 1n);
        case '-': return add(a, b, -1n);
        case '&': return and(a, b);
        case '|': return a.k === 'num' && b.k === 'num' ? num(a.v | b.v) : UNKNOWN;
        case '^': return a.k === 'num' && b.k === 'num' ? num(a.v ^ b.v) : UNKNOWN;
        case '<<':
          // A shift by the operand width or more is undefined in C (and a huge BigInt shift throws).
          if (b.k !== 'num' || b.v >= 64n) return UNKNOWN;
          if (a.k === 'num') return num(a.v << b.v);
          if (a.k === 'sym') return { k: 'sym', shift: a.shift + Number(b.v), off: a.off << b.v };
          return UNKNOWN;
        case '>>':
          return b.k === 'num' ? shiftRight(a, b.v) : UNKNOWN;
        case '*':
          if (a.k === 'num' && b.k === 'num') return num(a.v * b.v);
          if (a.k === 'sym' && b.k === 'num' && isPow2(b.v)) return { k: 'sym', shift: a.shift + log2(b.v), off: a.off * b.v };
          if (b.k === 'sym' && a.k === 'num' && isPow2(a.v)) return { k: 'sym', shift: b.shift + log2(a.v), off: b.off * a.v };
          return UNKNOWN;
        case '/':
          if (a.k === 'num' && b.k === 'num') return b.v === 0n ? UNKNOWN : num(a.v / b.v);
          if (b.k === 'num' && isPow2(b.v)) return shiftRight(a, BigInt(log2(b.v)));
          return UNKNOWN;
        case '%':
          if (a.k === 'num' && b.k === 'num') return b.v === 0n ? UNKNOWN : num(a.v % b.v);
          if (b.k === 'num' && isPow2(b.v)) return and(a, num(b.v - 1n));
          return UNKNOWN;
        default:
          return compare(node.op, a, b);
      }
    }
  }
}

function evalCall(node: Extract<Node, { n: 'call' }>, env: EvalEnv): Val {
  const arg = (i: number): Val => (node.args[i] ? evaluate(node.args[i]!, env) : UNKNOWN);
  const ps = BigInt(env.pageShift);
  switch (node.callee) {
    case 'PHYS_PFN':
    case 'PFN_DOWN':
    case 'phys_to_pfn_t':
    case '__phys_to_pfn':
      return shiftRight(arg(0), ps);
    case 'PFN_PHYS':
    case '__pfn_to_phys':
      return evaluate({ n: 'binary', op: '<<', left: node.args[0] ?? { n: 'opaque' }, right: { n: 'num', v: ps } }, env);
    case '__pfn_to_pfn_t':
    case 'pfn_to_pfn_t':
    case 'pfn_t_to_pfn':
    case 'unlikely':
    case 'likely':
    case 'READ_ONCE':
      return arg(0);
    case 'IS_ALIGNED':
      return evaluate({ n: 'binary', op: '==', left: { n: 'binary', op: '&', left: node.args[0] ?? { n: 'opaque' }, right: { n: 'binary', op: '-', left: node.args[1] ?? { n: 'opaque' }, right: { n: 'num', v: 1n } } }, right: { n: 'num', v: 0n } }, env);
    case 'ALIGN_DOWN':
    case 'round_down':
      return evaluate({ n: 'binary', op: '&', left: node.args[0] ?? { n: 'opaque' }, right: { n: 'unary', op: '~', arg: { n: 'binary', op: '-', left: node.args[1] ?? { n: 'opaque' }, right: { n: 'num', v: 1n } } } }, env);
    case 'BIT':
    case 'BIT_ULL':
      return evaluate({ n: 'binary', op: '<<', left: { n: 'num', v: 1n }, right: node.args[0] ?? { n: 'opaque' } }, env);
    case 'min':
    case 'max':
    case 'min_t':
    case 'max_t': {
      const off = node.callee.endsWith('_t') ? 1 : 0;
      const a = arg(off);
      const b = arg(off + 1);
      if (a.k === 'num' && b.k === 'num') return num(node.callee.startsWith('min') ? (a.v < b.v ? a.v : b.v) : a.v > b.v ? a.v : b.v);
      return UNKNOWN;
    }
    default:
      return env.call(node.callee, node.argTexts);
  }
}

export function evalText(src: string, env: EvalEnv): Val {
  return evaluate(parseExpr(src), env);
}

/** Top-level call in an expression text (`helper(a, b)`), with its argument texts. */
export function topCall(src: string): { callee: string; args: string[] } | undefined {
  const n = parseExpr(src);
  if (n.n === 'call') return { callee: n.callee, args: n.argTexts };
  return undefined;
}

export function showVal(v: Val): string {
  if (v.k === 'num') return v.v > 4096n ? `0x${v.v.toString(16)}` : v.v.toString();
  if (v.k === 'sym') return v.off === 0n ? `(unknown multiple of 2^${v.shift})` : `(unknown multiple of 2^${v.shift} + 0x${u64(v.off).toString(16)})`;
  if (v.k === 'ref') return v.to;
  return 'unknown';
}
