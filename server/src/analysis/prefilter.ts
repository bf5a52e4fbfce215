// Byte-level prefilter: does a buffer contain any of a set of words? Exactly the answer of
// `words.some((w) => buf.indexOf(w) !== -1)`, but several times faster on kernel C.
//
// Why: `Buffer.indexOf` runs a memchr on the needle's first byte and then compares; one pass per
// word over 1.3 GB of kernel tree cost ~3 s for seven words. Words that share a short, rare
// substring ("anchor": `vm` in vmf_insert_/vm_operations_struct/vm_flags, `pf` in
// remap_pfn_range/pfn_t/insert_pfn) are found with one pass over the anchor, each anchor hit
// verified against the full words. Anchors are chosen by a greedy set cover with a cost model
// based on byte frequencies measured on the 6.12 tree (see docs/benchmarks.md).

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

/** Relative cost per scanned byte of one indexOf pass over `anchor`. */
function anchorCost(anchor: Buffer): number {
  let p = 1;
  for (const b of anchor) p *= freq(b);
  // memchr over every byte, a compare at each first-byte hit, a verification at each anchor hit.
  return 1 + 20 * freq(anchor[0]!) + 200 * p;
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

interface GroupWord {
  word: Buffer;
  offset: number;
  wholeWord: boolean;
  memberWrite: boolean;
}

interface Group {
  anchor: Buffer;
  words: GroupWord[];
}

function isWordByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);
}

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;
}

/** `buf[s, e)` is a match of `w` with its context conditions (view bounds are [0, n)). */
function contextOk(view: Buffer, n: number, s: number, e: number, w: GroupWord): boolean {
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

const MAX_ANCHOR = 6; // V8's linear (memchr + compare) search; longer needles switch to Boyer–Moore–Horspool

export function compileMatcher(patterns: readonly TriggerLike[]): ByteMatcher {
  const specs = new Map<string, Trigger[]>();
  for (const t of patterns.map(asTrigger)) {
    if (t.word.length === 0) continue;
    let l = specs.get(t.word);
    if (!l) specs.set(t.word, (l = []));
    l.push(t);
  }
  // A plain substring makes context variants of the same word redundant.
  for (const [w, l] of specs) if (l.some((t) => !t.wholeWord && !t.memberWrite)) specs.set(w, [{ word: w }]);
  const words = [...specs.keys()];
  const uncovered = new Set(words);
  const groups: Group[] = [];
  while (uncovered.size > 0) {
    let best: { anchor: string; covers: string[]; score: number } | undefined;
    const seen = new Set<string>();
    for (const w of uncovered) {
      for (let len = Math.min(2, w.length); len <= Math.min(MAX_ANCHOR, w.length); len++) {
        for (let i = 0; i + len <= w.length; i++) {
          const a = w.slice(i, i + len);
          if (seen.has(a)) continue;
          seen.add(a);
          const covers = [...uncovered].filter((x) => x.includes(a));
          const score = covers.length / anchorCost(Buffer.from(a, 'latin1'));
          if (!best || score > best.score || (score === best.score && a < best.anchor)) best = { anchor: a, covers, score };
        }
      }
    }
    const chosen = best!;
    groups.push({
      anchor: Buffer.from(chosen.anchor),
      words: chosen.covers.flatMap((w) => specs.get(w)!.map((t) => ({ word: Buffer.from(w), offset: Buffer.from(w).indexOf(Buffer.from(chosen.anchor)), wholeWord: !!t.wholeWord, memberWrite: !!t.memberWrite }))),
    });
    for (const w of chosen.covers) uncovered.delete(w);
  }
  return {
    anchors: groups.map((g) => g.anchor.toString()),
    test(buf: Buffer, start = 0, end = buf.length): boolean {
      const view = start === 0 && end === buf.length ? buf : buf.subarray(start, end);
      const n = view.length;
      for (const g of groups) {
        let i = view.indexOf(g.anchor);
        while (i !== -1) {
          for (const w of g.words) {
            const s = i - w.offset;
            const e = s + w.word.length;
            if (s >= 0 && e <= n && view.compare(w.word, 0, w.word.length, s, e) === 0 && contextOk(view, n, s, e, w)) return true;
          }
          i = view.indexOf(g.anchor, i + 1);
        }
      }
      return false;
    },
  };
}
