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

import { ByteArena, wasmMemory } from '../common/wasmModule';
import { compileWordScanner } from '../common/wasmWordScanner';

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
  const simd = byteArena() ? compileWordScanner(live, arena!.memory) : undefined;
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
          const p = s - base + simd.offsets[arena.slot()]!;
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

// ---- WebAssembly scanner (common/wasmWordScanner.ts) ----------------------------------------

let arena: ByteArena | undefined;
let arenaTried = false;

/** This thread's arena; undefined where WebAssembly SIMD is unavailable (the JS passes are used then). */
export function byteArena(): ByteArena | undefined {
  if (!arenaTried) {
    arenaTried = true;
    try {
      const probe = compileWordScanner([{ anchor: Buffer.from('ab'), words: [{ word: Buffer.from('ab'), offset: 0 }] }], wasmMemory(1));
      if (probe) arena = new ByteArena();
    } catch {
      arena = undefined;
    }
  }
  return arena;
}
