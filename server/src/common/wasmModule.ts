// WebAssembly without a toolchain: a memory that JS writes bytes into (ByteArena), the binary
// encoding helpers, and a one-function module builder that code generators (wasmWordScanner.ts)
// emit instruction bytes for.

// The compiler options have no DOM lib: the few WebAssembly globals used here.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

export function wasmMemory(pages: number): WasmMemory {
  return new WebAssembly.Memory({ initial: pages });
}

/** Arena layout: the index of the word found at [0, 4); data from DATA; SLACK readable bytes after the data. */
export const DATA = 64;
const SLACK = 64; // the scan loads up to 34 bytes past a position before `end`
const PAGE = 65536;

/**
 * A WebAssembly memory the scanners read bytes from: callers write (or read files) into `data()`,
 * whose offset in the memory is DATA. Growing it detaches earlier views: ask `data()` again.
 */
export class ByteArena {
  readonly memory: WasmMemory;
  private view: Buffer;
  private cell: Int32Array;

  constructor(initialPages = 17) {
    this.memory = new WebAssembly.Memory({ initial: initialPages });
    this.view = Buffer.from(this.memory.buffer, DATA, this.memory.buffer.byteLength - DATA - SLACK);
    this.cell = new Int32Array(this.memory.buffer, 0, 1);
  }

  /** A view of at least `capacity` bytes (contents kept across growth). */
  data(capacity: number): Buffer {
    if (this.view.buffer !== this.memory.buffer || this.view.length < capacity) {
      const need = DATA + capacity + SLACK - this.memory.buffer.byteLength;
      if (need > 0) this.memory.grow(Math.ceil(need / PAGE));
      this.view = Buffer.from(this.memory.buffer, DATA, this.memory.buffer.byteLength - DATA - SLACK);
      this.cell = new Int32Array(this.memory.buffer, 0, 1);
    }
    return this.view;
  }

  /** The i32 the last call left at [0, 4) (the word scanner: index of the word found). */
  slot(): number {
    if (this.cell.buffer !== this.memory.buffer) this.cell = new Int32Array(this.memory.buffer, 0, 1);
    return this.cell[0]!;
  }
}

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) return out.push(b), out;
    out.push(b | 0x80);
  }
}

export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

// Opcodes (WebAssembly 2.0 + fixed-width SIMD).
export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, i32Store: 0x36, i64Load: 0x29, i32Load16U: 0x2f,
  i32Const: 0x41, i64Const: 0x42, i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32LtU: 0x49,
  i32GeS: 0x4e, i32GeU: 0x4f, i32LeU: 0x4d, i64Eq: 0x51,
  i32Ctz: 0x68, i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i64And: 0x83, void: 0x40, simd: 0xfd,
} as const;
export const SIMD = { load: 0, splat: 15, eq: 35, and: 78, or: 80, anyTrue: 83, bitmask: 100 } as const;
export const I32 = 0x7f;
export const V128 = 0x7b;

const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];

/**
 * Instantiates a module exporting one function `f` of `params` i32 parameters returning an i32,
 * with `locals` ([count, type] runs) and instruction bytes `code` (without the final `end`),
 * importing `mem` as env.mem. Undefined when this runtime cannot compile it.
 */
export function i32Function<F>(params: number, locals: [number, number][], code: number[], mem: WasmMemory): F | undefined {
  if (typeof WebAssembly !== 'object') return undefined;
  const body = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code, OP.end];
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(Array.from({ length: params }, () => [I32])), ...vec([[I32]])]])),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('f'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } });
    return instance.exports['f'] as F;
  } catch {
    return undefined;
  }
}
