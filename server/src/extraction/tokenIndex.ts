// "Does this span of the file contain token X?" asked for every function of a file, several
// times (which bodies to walk, which helpers reach an insertion, which are mmap helpers).
// Running the token's regex on each span cost more than any other text work of the extractor
// (alternations such as `(?:->|\.)\s*vm_flags` give V8 no literal to search for). Each token
// names literal anchors, one of which every match contains; the anchors' occurrences are found
// once per file with native substring search, and the regex runs only on spans holding one.
// The answer is always the regex's own answer on the span (test/extraction/tokenIndex.test.ts).

import { escapeRegExp } from '../common/text';

export interface Token {
  re: RegExp;
  /** Every match of `re` contains at least one of these literally. */
  anchors: readonly string[];
}

export class TokenIndex {
  /** Per anchor: its occurrences found so far, in order, and where the search goes on. */
  private readonly found = new Map<string, { at: number[]; next: number; done: boolean }>();

  constructor(private readonly text: string) {}

  /** Same answer as `token.re.test(text.slice(start, end))`. */
  test(token: Token, start: number, end: number): boolean {
    if (!token.anchors.some((a) => this.occursWithin(a, start, end))) return false;
    return token.re.test(this.text.slice(start, end));
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

/** A token for a list of names used as `name(` (known insertion wrappers). */
export function callToken(names: readonly string[]): Token | undefined {
  if (!names.length) return undefined;
  return { re: new RegExp(`\\b(?:${names.map(escapeRegExp).join('|')})\\s*\\(`), anchors: names };
}
