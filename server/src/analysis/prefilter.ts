// Byte-level prefilter: does a buffer contain any of a set of words? Exactly the answer of
// `words.some((w) => buf.indexOf(w) !== -1)` (plus the context conditions below), but several
// times faster on kernel C.
//
// Why: `Buffer.indexOf` runs a memchr on the needle's first byte and then compares; one pass per
// word over 1.3 GB of kernel tree costs ~0.15–1 s each. Words that share a short substring
// ("anchor": `vm` in vmf_insert_/vm_flags/vm_ops, `ge` in remap_pfn_range/huge_fault) are found
// with one pass over the anchor, each anchor hit verified against the full words in JS.
//
// What a pass costs (measured on the 6.12 tree, cache-hot, Node 20; docs/benchmarks.md round 4):
// a fixed ~0.03 ns per byte, ~15 ns per occurrence of the anchor's *first* byte (the memchr
// restarts inside C++), ~220 ns per anchor hit (each hit returns to JS and calls indexOf again).
// So an anchor should start with a rare byte and be rare itself, and few passes should cover all
// words: anchors are chosen by an exact weighted set cover over that cost model (a few words, a
// few hundred candidate anchors), not greedily (greedy picked `y_size` + `huge_f` + `map_pf`,
// ~1.6× the cost of one `ge` pass).
//
// A plan has two tiers (`compilePlan`): a file is KEEP if it contains a keep word, else DEFER if it
// contains a defer word, else DROP. Both tiers share the passes (the CLI's second tier, `vm_ops`,
// costs no extra pass over the bytes).
//
// Bytes that live in this thread's `byteArena()` (the scanners read files there) are searched by a
// WebAssembly SIMD function generated for the plan instead (see "WebAssembly scanner" below): one
// pass for all anchors, 16 positions at a time on the anchors' first two bytes, the full words
// compared in WebAssembly too, so JS only sees whole-word hits (~3k on 6.12 instead of ~1.9M
// anchor hits). 6.12, cache-hot: 0.64-0.83 s -> ~0.3 s. Same verdicts (tested against the passes).

/** Approximate frequency (per 10,000 bytes) of printable bytes in kernel C; others default to 50. */
const FREQ: Record<string, number> = {
  _: 552, e: 452, t: 340, i: 281, r: 268, '0': 248, s: 243, n: 238, a: 226, d: 208, c: 195, o: 184,
  x: 155, f: 146, l: 138, E: 137, u: 136, ',': 136, p: 126, T: 120, S: 120, A: 116, C: 113, R: 112,
  m: 109, I: 103, '(': 92, ')': 92, D: 87, ';': 86, L: 84, M: 81, '*': 81, P: 78, N: 77, '1': 73,
  h: 72, g: 71, b: 70, v: 68, O: 68, F: 65, '2': 61, '-': 57, '=': 55, '>': 46, U: 44, G: 43, B: 43,
  '/': 42, k: 41, '3': 39, '#': 37, w: 35, '4': 35, '.': 34, '"': 34, H: 32, '8': 31, y: 30, '6': 30,
  V: 27, '5': 26, '{': 24, '}': 24, K: 23, '7': 23, X: 20, '&': 18, '9': 17, W: 16, q: 15, Y: 14,
  '<': 13, ':': 11, Q: 10, '[': 9, ']': 9, z: 8, '|': 7, '+': 7, '!': 5, Z: 4, '%': 4, j: 3,
};

function freq(byte: number): number {
  return (FREQ[String.fromCharCode(byte)] ?? 50) / 10_000;
}

/** Cost model of one pass (units: the fixed per-byte cost of a pass), see the header. */
const PER_FIRST_BYTE = 500;
const PER_HIT = 8000;
/** Adjacent bytes of identifiers are correlated: `ge`, `vm` occur ~3× more than their bytes' product. */
const CORRELATION = 3;

function anchorCost(anchor: Buffer): number {
  let p = freq(anchor[0]!);
  for (let k = 1; k < anchor.length; k++) p *= freq(anchor[k]!) * CORRELATION;
  return 1 + PER_FIRST_BYTE * freq(anchor[0]!) + PER_HIT * p;
}

/**
 * One byte pattern a rule can fire on. A plain string is a substring. `wholeWord`: not preceded or
 * followed by [A-Za-z0-9_] (the rules' `\b…\b`). `memberWrite`: `-> word <assignment op>`
 * (whitespace allowed around both), the shape of `vma->vm_flags |= …`.
 */
export interface Trigger {
  word: string;
  wholeWord?: boolean;
  memberWrite?: boolean;
}

export type TriggerLike = string | Trigger;

export function asTrigger(t: TriggerLike): Trigger {
  return typeof t === 'string' ? { word: t } : t;
}

/** What a plan says about a buffer. */
export const DROP = 0;
export const KEEP = 1;
export const DEFER = 2;
export type Verdict = typeof DROP | typeof KEEP | typeof DEFER;

interface GroupWord {
  word: Uint8Array;
  offset: number;
  wholeWord: boolean;
  memberWrite: boolean;
  tier: typeof KEEP | typeof DEFER;
}

interface Group {
  anchor: Buffer;
  words: GroupWord[];
  /** Some word of the group is a keep word (else the pass can stop once the file is DEFER). */
  hasKeep: boolean;
}

function isWordByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

/** `view[s, s + w.word.length)` is `w` with its context conditions (view bounds are [0, n)). */
function matchAt(view: Uint8Array, n: number, s: number, w: GroupWord): boolean {
  const word = w.word;
  const e = s + word.length;
  if (s < 0 || e > n) return false;
  for (let k = 0; k < word.length; k++) if (view[s + k] !== word[k]) return false;
  if (w.wholeWord && ((s > 0 && isWordByte(view[s - 1])) || (e < n && isWordByte(view[e])))) return false;
  if (w.memberWrite) {
    let i = s - 1;
    while (i >= 0 && isSpace(view[i])) i--;
    if (i < 1 || view[i] !== 0x3e /* > */ || view[i - 1] !== 0x2d /* - */) return false;
    let j = e;
    while (j < n && isSpace(view[j])) j++;
    const op = view[j];
    if (op === 0x3d /* = */) return j + 1 >= n || view[j + 1] !== 0x3d;
    if (op === 0x7c || op === 0x26 || op === 0x5e) return j + 1 < n && view[j + 1] === 0x3d; // |= &= ^=
    return false;
  }
  return true;
}

export interface ByteMatcher {
  /** True when `buf[start, end)` contains at least one of the words. */
  test(buf: Buffer, start?: number, end?: number): boolean;
  readonly anchors: readonly string[];
}

export interface BytePlan {
  /** KEEP if `buf[start, end)` contains a keep word, else DEFER if it contains a defer word, else DROP. */
  classify(buf: Buffer, start?: number, end?: number): Verdict;
  readonly anchors: readonly string[];
}

const MAX_ANCHOR = 6; // V8's linear (memchr + compare) search; longer needles switch to Boyer–Moore–Horspool
/** Search budget of the exact cover; past it the best cover found so far is used. */
const MAX_NODES = 200_000;

interface Candidate {
  anchor: string;
  cost: number;
  covers: number[]; // indexes into the word list, ascending
}

/**
 * Anchors covering every word at the least modelled cost: candidates are the substrings of length
 * 2..MAX_ANCHOR (1 for one-byte words); per covered set only the cheapest candidate is kept; then a
 * depth-first search branching on the uncovered word with the fewest candidates. Deterministic.
 */
function chooseAnchors(words: readonly string[]): Candidate[] {
  const byCover = new Map<string, Candidate>();
  const all = new Set<string>();
  for (const w of words) {
    for (let len = Math.min(2, w.length); len <= Math.min(MAX_ANCHOR, w.length); len++) {
      for (let i = 0; i + len <= w.length; i++) all.add(w.slice(i, i + len));
    }
  }
  for (const a of [...all].sort()) {
    const covers: number[] = [];
    words.forEach((w, k) => w.includes(a) && covers.push(k));
    const cost = anchorCost(Buffer.from(a, 'latin1'));
    const key = covers.join(',');
    const old = byCover.get(key);
    if (!old || cost < old.cost) byCover.set(key, { anchor: a, cost, covers });
  }
  const cands = [...byCover.values()].sort((x, y) => x.cost - y.cost || (x.anchor < y.anchor ? -1 : 1));
  const coverers: Candidate[][] = words.map(() => []);
  for (const c of cands) for (const k of c.covers) coverers[k]!.push(c);
  const cheapest = cands.length > 0 ? cands[0]!.cost : 0;

  let best: Candidate[] | undefined;
  let bestCost = Infinity;
  let nodes = 0;
  const chosen: Candidate[] = [];
  const covered = new Int32Array(words.length);
  const search = (cost: number, left: number): void => {
    if (left === 0) {
      if (cost < bestCost) {
        bestCost = cost;
        best = [...chosen];
      }
      return;
    }
    if (cost + cheapest >= bestCost || ++nodes > MAX_NODES) return;
    let pick = -1;
    for (let k = 0; k < words.length; k++) {
      if (covered[k] === 0 && (pick === -1 || coverers[k]!.length < coverers[pick]!.length)) pick = k;
    }
    for (const c of coverers[pick]!) {
      if (cost + c.cost >= bestCost) break; // sorted by cost
      let newly = 0;
      for (const k of c.covers) if (covered[k]++ === 0) newly++;
      chosen.push(c);
      search(cost + c.cost, left - newly);
      chosen.pop();
      for (const k of c.covers) covered[k]--;
    }
  };
  // A greedy cover first gives the search a bound (and the answer if the budget runs out).
  const greedy: Candidate[] = [];
  const left = new Set(words.map((_, k) => k));
  while (left.size > 0) {
    let g: Candidate | undefined;
    let gScore = -1;
    for (const c of cands) {
      const n = c.covers.filter((k) => left.has(k)).length;
      if (n > 0 && n / c.cost > gScore) (g = c), (gScore = n / c.cost);
    }
    greedy.push(g!);
    for (const k of g!.covers) left.delete(k);
  }
  best = greedy;
  bestCost = greedy.reduce((s, c) => s + c.cost, 0);
  search(0, words.length);
  // Cheap passes first: an early KEEP then skips the expensive ones.
  return [...best].sort((x, y) => x.cost - y.cost || (x.anchor < y.anchor ? -1 : 1));
}

/** Compiles a two-tier plan: keep words win over defer words; each word is searched once. */
export function compilePlan(keep: readonly TriggerLike[], defer: readonly TriggerLike[] = []): BytePlan {
  const specs = new Map<string, (Trigger & { tier: typeof KEEP | typeof DEFER })[]>();
  const add = (t: Trigger, tier: typeof KEEP | typeof DEFER): void => {
    if (t.word.length === 0) return;
    let l = specs.get(t.word);
    if (!l) specs.set(t.word, (l = []));
    l.push({ ...t, tier });
  };
  for (const t of keep.map(asTrigger)) add(t, KEEP);
  for (const t of defer.map(asTrigger)) add(t, DEFER);
  for (const [w, l] of specs) {
    // A plain substring makes context variants of the same word (in the same or a lower tier) redundant.
    const out: (Trigger & { tier: typeof KEEP | typeof DEFER })[] = [];
    for (const tier of [KEEP, DEFER] as const) {
      const mine = l.filter((t) => t.tier === tier);
      if (mine.length === 0) continue;
      const plainAbove = out.some((t) => !t.wholeWord && !t.memberWrite);
      if (plainAbove) continue;
      if (mine.some((t) => !t.wholeWord && !t.memberWrite)) out.push({ word: w, tier });
      else out.push(...mine);
    }
    specs.set(w, out);
  }
  const words = [...specs.keys()];
  // Each word is verified in the first (cheapest) pass whose anchor it contains.
  const assigned = new Set<number>();
  const groups: Group[] = chooseAnchors(words).map((c) => {
    const anchor = Buffer.from(c.anchor, 'latin1');
    const gw: GroupWord[] = [];
    for (const k of c.covers) {
      if (assigned.has(k)) continue;
      assigned.add(k);
      const bytes = Buffer.from(words[k]!, 'latin1');
      for (const t of specs.get(words[k]!)!) gw.push({ word: bytes, offset: bytes.indexOf(anchor), wholeWord: !!t.wholeWord, memberWrite: !!t.memberWrite, tier: t.tier });
    }
    // Keep words first: a hit that is both answers KEEP.
    gw.sort((x, y) => x.tier - y.tier);
    return { anchor, words: gw, hasKeep: gw.some((w) => w.tier === KEEP) };
  });
  const live = groups.filter((g) => g.words.length > 0);
  const simd = byteArena() ? compileScanner(live) : undefined;
  /** Every word with its context conditions at anchor position `p` (the JS passes' test, at one position). */
  const at = (view: Buffer, n: number, p: number): Verdict => {
    let verdict: Verdict = DROP;
    for (const g of live) {
      const a = g.anchor;
      if (p + a.length > n) continue;
      let k = 0;
      while (k < a.length && view[p + k] === a[k]) k++;
      if (k < a.length) continue;
      for (const w of g.words) {
        if (!matchAt(view, n, p - w.offset, w)) continue;
        if (w.tier === KEEP) return KEEP;
        verdict = DEFER;
      }
    }
    return verdict;
  };
  return {
    anchors: live.map((g) => g.anchor.toString('latin1')),
    classify(buf: Buffer, start = 0, end = buf.length): Verdict {
      const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
      const n = view.length;
      let deferred = false;
      if (simd && arena && view.buffer === arena.memory.buffer && n > 0) {
        // In the arena: the scanner returns whole-word hits in position order; JS checks the
        // context of every word anchored at that position, then resumes after it.
        const base = view.byteOffset;
        const limit = base + n;
        for (let s = simd.scan(base, limit, base); s !== -1; ) {
          const p = s - base + simd.offsets[arena.wordIndex()]!;
          const v = at(view, n, p);
          if (v === KEEP) return KEEP;
          if (v === DEFER) deferred = true;
          s = simd.scan(base + p + 1, limit, base);
        }
        return deferred ? DEFER : DROP;
      }
      for (const g of live) {
        if (deferred && !g.hasKeep) continue;
        const anchor = g.anchor;
        const gws = g.words;
        for (let i = view.indexOf(anchor); i !== -1; i = view.indexOf(anchor, i + 1)) {
          for (let k = 0; k < gws.length; k++) {
            const w = gws[k]!;
            if (deferred && w.tier === DEFER) continue;
            if (!matchAt(view, n, i - w.offset, w)) continue;
            if (w.tier === KEEP) return KEEP;
            deferred = true;
            if (!g.hasKeep) break;
          }
          if (deferred && !g.hasKeep) break;
        }
      }
      return deferred ? DEFER : DROP;
    },
  };
}

/** One tier: true when the buffer contains any of the patterns. */
export function compileMatcher(patterns: readonly TriggerLike[]): ByteMatcher {
  const plan = compilePlan(patterns);
  return {
    anchors: plan.anchors,
    test: (buf: Buffer, start?: number, end?: number): boolean => plan.classify(buf, start, end) === KEEP,
  };
}

// ---- WebAssembly scanner --------------------------------------------------------------------

// The compiler options have no DOM lib: the few WebAssembly globals used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** Arena layout: the index of the word found at [0, 4); data from DATA; SLACK readable bytes after the data. */
const DATA = 64;
const SLACK = 64; // the scan loads up to 34 bytes past a position before `end`
const PAGE = 65536;

/**
 * One WebAssembly memory per thread that the scanners read files into (FileScanner), shared by
 * every compiled plan of the thread. Growing it detaches earlier views: ask `data()` again.
 */
export class ByteArena {
  readonly memory: WasmMemory;
  private view: Buffer;
  private cell: Int32Array;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: 17 });
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

  wordIndex(): number {
    if (this.cell.buffer !== this.memory.buffer) this.cell = new Int32Array(this.memory.buffer, 0, 1);
    return this.cell[0]!;
  }
}

let arena: ByteArena | undefined;
let arenaTried = false;

/** This thread's arena; undefined where WebAssembly SIMD is unavailable (the JS passes are used then). */
export function byteArena(): ByteArena | undefined {
  if (!arenaTried) {
    arenaTried = true;
    try {
      const probe = compileScanner([{ anchor: Buffer.from('ab'), words: [{ word: Buffer.from('ab'), offset: 0, wholeWord: false, memberWrite: false, tier: KEEP }], hasKeep: true }], new WebAssembly.Memory({ initial: 1 }));
      if (probe) arena = new ByteArena();
    } catch {
      arena = undefined;
    }
  }
  return arena;
}

interface Scanner {
  /** Start of the first whole word found with its anchor at a position in [from, end), or -1; the word's index in arena.wordIndex(). */
  scan(from: number, end: number, base: number): number;
  /** Per word index: the offset of its anchor in it. */
  offsets: number[];
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) return out.push(b), out;
    out.push(b | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

// Opcodes (WebAssembly 2.0 + fixed-width SIMD).
const OP = {
  block: 0x02, loop: 0x03, if: 0x04, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f,
  localGet: 0x20, localSet: 0x21, localTee: 0x22, i32Store: 0x36, i64Load: 0x29,
  i32Const: 0x41, i64Const: 0x42, i32Eqz: 0x45, i32GeS: 0x4e, i32GeU: 0x4f, i32LeU: 0x4d, i64Eq: 0x51,
  i32Ctz: 0x68, i32Add: 0x6a, i32Sub: 0x6b, i32And: 0x71, i32Or: 0x72, i32Shl: 0x74, i64And: 0x83, void: 0x40, simd: 0xfd,
} as const;
const SIMD = { load: 0, splat: 15, eq: 35, and: 78, or: 80, anyTrue: 83, bitmask: 100 } as const;
const I32 = 0x7f;
const V128 = 0x7b;

/**
 * `scan(from, end, base)` for these groups, as WebAssembly: per 16 positions, a vector compare of
 * each anchor's first two bytes (v128.load at i and i+1), then for each candidate position the
 * anchor and its words compared with masked 8-byte loads. Words must start at or after `base`.
 * Returns undefined if WebAssembly (SIMD) cannot compile it.
 */
function compileScanner(groups: readonly Group[], memory?: WasmMemory): Scanner | undefined {
  const mem = memory ?? arena?.memory;
  if (!mem || groups.length === 0 || typeof WebAssembly !== 'object') return undefined;
  const [FROM, END, BASE, I, MASK, P, S, V0, V1, M0, M1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const splats = new Map<number, number>();
  for (const g of groups) for (const b of g.anchor.subarray(0, 2)) if (!splats.has(b)) splats.set(b, 11 + splats.size);
  const offsets: number[] = [];
  const code: number[] = [];
  const e = (...b: number[]): void => void code.push(...b);
  const simd = (op: number, ...imm: number[]): void => e(OP.simd, ...uleb(op), ...imm);
  /** Pushes (i64.load(local + at) & mask) == value for up to 8 bytes. */
  const eq8 = (local: number, at: number, bytes: Uint8Array): void => {
    let mask = 0n;
    let value = 0n;
    bytes.forEach((b, k) => ((mask |= 0xffn << BigInt(8 * k)), (value |= BigInt(b) << BigInt(8 * k))));
    e(OP.localGet, local, OP.i64Load, 0, ...uleb(at));
    if (bytes.length < 8) e(OP.i64Const, ...sleb(BigInt.asIntN(64, mask)), OP.i64And);
    e(OP.i64Const, ...sleb(BigInt.asIntN(64, value)), OP.i64Eq);
  };
  for (const [b, local] of splats) (e(OP.i32Const, ...sleb(BigInt(b))), simd(SIMD.splat), e(OP.localSet, local));
  e(OP.localGet, FROM, OP.localSet, I);
  e(OP.block, OP.void, OP.loop, OP.void);
  e(OP.localGet, I, OP.localGet, END, OP.i32GeU, OP.brIf, 1);
  /** Pushes the candidate vector of the 16 positions from i + at. */
  const candidates = (at: number): void => {
    e(OP.localGet, I), simd(SIMD.load, 0, ...uleb(at)), e(OP.localSet, V0);
    e(OP.localGet, I), simd(SIMD.load, 0, ...uleb(at + 1)), e(OP.localSet, V1);
    groups.forEach((g, k) => {
      e(OP.localGet, V0, OP.localGet, splats.get(g.anchor[0]!)!), simd(SIMD.eq);
      if (g.anchor.length > 1) e(OP.localGet, V1, OP.localGet, splats.get(g.anchor[1]!)!), simd(SIMD.eq), simd(SIMD.and);
      if (k > 0) simd(SIMD.or);
    });
  };
  // 32 positions per turn: most turns have no candidate (any_true of both halves).
  candidates(0), e(OP.localSet, M0);
  candidates(16), e(OP.localTee, M1);
  e(OP.localGet, M0), simd(SIMD.or), simd(SIMD.anyTrue);
  e(OP.if, OP.void);
  e(OP.localGet, M0), simd(SIMD.bitmask), e(OP.localGet, M1), simd(SIMD.bitmask), e(OP.i32Const, 16, OP.i32Shl, OP.i32Or, OP.localSet, MASK);
  e(OP.block, OP.void, OP.loop, OP.void);
  e(OP.localGet, MASK, OP.i32Eqz, OP.brIf, 1);
  e(OP.localGet, I, OP.localGet, MASK, OP.i32Ctz, OP.i32Add, OP.localSet, P);
  for (const g of groups) {
    e(OP.localGet, P, OP.i32Const, ...sleb(BigInt(g.anchor.length)), OP.i32Add, OP.localGet, END, OP.i32LeU, OP.if, OP.void);
    eq8(P, 0, g.anchor.subarray(0, 8));
    e(OP.if, OP.void);
    const seen = new Set<string>();
    for (const w of g.words) {
      const key = w.word.toString();
      if (seen.has(key)) continue; // context variants of one word: JS checks them all at the position
      seen.add(key);
      const index = offsets.length;
      offsets.push(w.offset);
      e(OP.localGet, P, OP.i32Const, ...sleb(BigInt(w.offset)), OP.i32Sub, OP.localTee, S, OP.localGet, BASE, OP.i32GeS);
      e(OP.localGet, S, OP.i32Const, ...sleb(BigInt(w.word.length)), OP.i32Add, OP.localGet, END, OP.i32LeU, OP.i32And, OP.if, OP.void);
      for (let at = 0; at < w.word.length; at += 8) {
        eq8(S, at, w.word.subarray(at, at + 8));
        if (at > 0) e(OP.i32And);
      }
      e(OP.if, OP.void, OP.i32Const, 0, OP.i32Const, ...sleb(BigInt(index)), OP.i32Store, 2, 0, OP.localGet, S, OP.return, OP.end);
      e(OP.end);
    }
    e(OP.end, OP.end);
  }
  e(OP.localGet, MASK, OP.localGet, MASK, OP.i32Const, 1, OP.i32Sub, OP.i32And, OP.localSet, MASK, OP.br, 0);
  e(OP.end, OP.end, OP.end);
  e(OP.localGet, I, OP.i32Const, 32, OP.i32Add, OP.localSet, I, OP.br, 0);
  e(OP.end, OP.end);
  e(OP.i32Const, ...sleb(-1n), OP.end);
  const body = [...vec([[...uleb(4), I32], [...uleb(4 + splats.size), V128]]), ...code];
  const section = (id: number, bytes: number[]): number[] => [id, ...uleb(bytes.length), ...bytes];
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])]])),
    ...section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 0x01]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('scan'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem } });
    return { scan: instance.exports['scan'] as Scanner['scan'], offsets };
  } catch {
    return undefined;
  }
}
