// "Does this span of the file contain token X?" asked for every function of a file, several
// times (which bodies to walk, which helpers reach an insertion, which are mmap helpers).
// Running the token's regex on each span cost more than any other text work of the extractor
// (alternations such as `(?:->|\.)\s*vm_flags` give V8 no literal to search for). Each token
// names literal anchors, one of which every match contains; the anchors' occurrences are found
// once per file with native substring search, and the regex runs only on spans holding one.
// The answer is always the regex's own answer on the span (test/extraction/nodeAccess.test.ts).

import { escapeRegExp } from '../common/text';
import { ByteArena, DATA } from '../common/wasmModule';
import { compileWordScanner, type WordScanner } from '../common/wasmWordScanner';

export interface Token {
  re: RegExp;
  /** Every match of `re` contains at least one of these literally. */
  anchors: readonly string[];
}

export class TokenIndex {
  /** Per anchor: its occurrences found so far, in order, and where the search goes on. */
  private readonly found = new Map<string, { at: number[]; next: number; done: boolean }>();

  /**
   * `batch`: tokens whose anchors are all found in one pass over the text the first time any
   * question is asked (one pass per anchor costs ~0.1 ms per 200 kB each, and a file is asked
   * about a dozen anchors). Anchors of other tokens are searched one by one, lazily.
   */
  constructor(
    private readonly text: string,
    private readonly batch: readonly Token[] = [],
    /** false: the batch pass uses the regex even where WebAssembly SIMD is available (tests). */
    private readonly simd = true,
  ) {}

  /** Same answer as `token.re.test(text.slice(start, end))`. */
  test(token: Token, start: number, end: number): boolean {
    if (this.batch.length && this.found.size === 0) this.findAll(this.batch);
    if (!token.anchors.some((a) => this.occursWithin(a, start, end))) return false;
    return token.re.test(this.text.slice(start, end));
  }

  // All occurrences of every anchor of `tokens` in one pass (WebAssembly SIMD over a latin1 copy,
  // else a union regex), resuming one past each hit so overlapping occurrences are not skipped.
  // At each hit every anchor sharing the first character is checked on the string itself: one
  // that is a prefix of another is not lost, and a byte the copy made of a character beyond
  // Latin-1 cannot produce a false hit.
  private findAll(tokens: readonly Token[]): void {
    const anchors = [...new Set(tokens.flatMap((t) => t.anchors))];
    const lists = new Map<string, number[]>();
    const byFirst = new Map<number, string[]>();
    for (const a of anchors) {
      lists.set(a, []);
      const c = a.charCodeAt(0);
      byFirst.set(c, [...(byFirst.get(c) ?? []), a]);
    }
    const text = this.text;
    const hit = (p: number): void => {
      for (const a of byFirst.get(text.charCodeAt(p)) ?? []) if (text.startsWith(a, p)) lists.get(a)!.push(p);
    };
    const simd = this.simd ? simdScanner(anchors) : undefined;
    const view = simd?.arena.data(text.length);
    if (simd && view && view.write(text, 0, 'latin1') === text.length) {
      // positions are preserved: latin1 writes one byte per UTF-16 unit
      const limit = DATA + text.length;
      for (let s = simd.scanner.scan(DATA, limit, DATA); s !== -1; s = simd.scanner.scan(s + 1, limit, DATA)) hit(s - DATA);
    } else {
      const re = unionOf(anchors);
      re.lastIndex = 0;
      for (let m = re.exec(text); m; m = re.exec(text)) {
        hit(m.index);
        re.lastIndex = m.index + 1;
      }
    }
    for (const [a, at] of lists) this.found.set(a, { at, next: text.length, done: true });
  }

  // Occurrences are searched lazily, each found once, as far as the questions need: spans are
  // asked about in any order (call-graph closures jump around the file).
  private occursWithin(anchor: string, start: number, end: number): boolean {
    let f = this.found.get(anchor);
    if (!f) this.found.set(anchor, (f = { at: [], next: 0, done: false }));
    const at = f.at;
    while (!f.done && (at.length === 0 || at[at.length - 1]! < start)) {
      const i = this.text.indexOf(anchor, f.next);
      if (i === -1) f.done = true;
      else {
        at.push(i);
        f.next = i + 1;
      }
    }
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && at[lo]! + anchor.length <= end;
  }
}

const unions = new Map<string, RegExp>();

/** This thread's memory for the SIMD scan (null: WebAssembly SIMD unavailable), scanners per anchor set. */
let arena: ByteArena | null | undefined;
const scanners = new Map<string, WordScanner | null>();

// Each anchor is its own group: the scanner compares the first two bytes of every anchor 16
// positions at a time, so JS sees only real occurrences (substrings shared by several anchors,
// as the prefilter chooses for its indexOf passes, hit far more often: measured slower here).
function simdScanner(anchors: readonly string[]): { arena: ByteArena; scanner: WordScanner } | undefined {
  if (arena === undefined) {
    try {
      arena = new ByteArena(4);
    } catch {
      arena = null;
    }
  }
  if (!arena) return undefined;
  const key = anchors.join('\0');
  let scanner = scanners.get(key);
  if (scanner === undefined) {
    const groups = anchors.map((a) => {
      const bytes = Buffer.from(a, 'latin1');
      return { anchor: bytes, words: [{ word: bytes, offset: 0 }] };
    });
    scanners.set(key, (scanner = compileWordScanner(groups, arena.memory) ?? null));
  }
  return scanner ? { arena, scanner } : undefined;
}

function unionOf(anchors: readonly string[]): RegExp {
  const key = anchors.join('\0');
  let re = unions.get(key);
  if (!re) unions.set(key, (re = new RegExp(anchors.map(escapeRegExp).join('|'), 'g')));
  return re;
}

/** A token for a list of names used as `name(` (known insertion wrappers). */
export function callToken(names: readonly string[]): Token | undefined {
  if (!names.length) return undefined;
  return { re: new RegExp(`\\b(?:${names.map(escapeRegExp).join('|')})\\s*\\(`), anchors: names };
}
