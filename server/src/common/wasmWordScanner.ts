// A WebAssembly SIMD search for many words in one pass over bytes (in a ByteArena's memory).
// Generated per word set: per 16 positions, a vector compare of each anchor's first two bytes,
// then for each candidate position the anchor and its words compared with masked 8-byte loads,
// so JS sees only whole-word hits. Used by the CLI's byte prefilter (analysis/prefilter.ts,
// which picks the anchors) and by the extractor's token index (extraction/tokenIndex.ts). Knows
// nothing of C or the kernel.

import { I32, i32Function, OP, SIMD, sleb, uleb, V128, type WasmMemory } from './wasmModule';

/** Words sharing an anchor (a substring of each, at `offset` in the word). */
export interface ScanGroup {
  anchor: Uint8Array;
  words: readonly { word: Uint8Array; offset: number }[];
}

export interface WordScanner {
  /**
   * Start of the first word found with its anchor at a position in [from, end), or -1; the word's
   * index (in `offsets`) is then in ByteArena.slot(). Positions are offsets in the memory;
   * words must start at or after `base`. Words of different groups anchored at one position:
   * only the first is reported (callers check the others at that position themselves).
   */
  scan(from: number, end: number, base: number): number;
  /** Per word index: the offset of its anchor in it. */
  offsets: number[];
}

/**
 * `scan(from, end, base)` for these groups, as WebAssembly: per 16 positions, a vector compare of
 * each anchor's first two bytes (v128.load at i and i+1), then for each candidate position the
 * anchor and its words compared with masked 8-byte loads. Words must start at or after `base`.
 * Returns undefined if WebAssembly (SIMD) cannot compile it.
 */
export function compileWordScanner(groups: readonly ScanGroup[], mem: WasmMemory): WordScanner | undefined {
  if (groups.length === 0) return undefined;
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
      const key = Buffer.from(w.word).toString('latin1');
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
  e(OP.i32Const, ...sleb(-1n));
  const scan = i32Function<WordScanner['scan']>(3, [[4, I32], [4 + splats.size, V128]], code, mem);
  return scan ? { scan, offsets } : undefined;
}
