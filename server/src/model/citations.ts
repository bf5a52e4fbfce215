// Citations, confidence markers, three-valued logic and the Step/Fact shapes every model answer uses.
// Confidence follows mm-gup-facts.md §0: verified = read in that version's code, posting = read in a
// patch or pull mail, inferred = deduced from neighbouring versions; 'uncertain' = listed under the
// sheet's "Open uncertainties" (or a gap the sheet leaves open).

export type Confidence = 'verified' | 'posting' | 'inferred' | 'uncertain';

/** Where a statement comes from: `file:symbol @ vX.Y`. For mail postings `file` is 'LKML' and `symbol` the subject. */
export interface Citation {
  file: string;
  symbol: string;
  version: string;
  note?: string;
}

export interface Step {
  text: string;
  citation?: Citation;
  confidence: Confidence;
}

export type Tri = true | false | 'unknown';

/** A value together with the reasoning that produced it. `confidence` is the weakest confidence of its steps. */
export interface Fact<T> {
  value: T;
  confidence: Confidence;
  steps: Step[];
}

export function cite(file: string, symbol: string, version: string, note?: string): Citation {
  return note === undefined ? { file, symbol, version } : { file, symbol, version, note };
}

/** A mail posting (patch, pull request, review) identified by its subject. */
export function posting(subject: string, version: string, note?: string): Citation {
  return cite('LKML', subject, version, note);
}

export function formatCitation(c: Citation): string {
  const v = c.version.startsWith('v') ? c.version : `v${c.version}`;
  if (c.file === 'LKML') return `LKML "${c.symbol}" (${v})`;
  return `${c.file}:${c.symbol} @ ${v}`;
}

export function formatStep(s: Step): string {
  const where = s.citation ? ` [${formatCitation(s.citation)}]` : '';
  return `${s.text}${where} (${s.confidence})`;
}

export function step(text: string, confidence: Confidence, citation?: Citation): Step {
  return citation ? { text, citation, confidence } : { text, confidence };
}

const RANK: Record<Confidence, number> = { verified: 3, posting: 2, inferred: 1, uncertain: 0 };

export function weakest(...cs: Confidence[]): Confidence {
  let best: Confidence = 'verified';
  for (const c of cs) if (RANK[c] < RANK[best]) best = c;
  return best;
}

/** The weaker of two confidences applied to a single value, e.g. capping 'verified' at 'inferred'. */
export function capConfidence(c: Confidence, cap: Confidence): Confidence {
  return RANK[c] <= RANK[cap] ? c : cap;
}

export function fact<T>(value: T, steps: Step[]): Fact<T> {
  return { value, confidence: steps.length ? weakest(...steps.map((s) => s.confidence)) : 'inferred', steps };
}

// ---- three-valued logic (Kleene) ----

export function triNot(a: Tri): Tri {
  return a === 'unknown' ? 'unknown' : !a;
}

export function triAnd(...xs: Tri[]): Tri {
  if (xs.some((x) => x === false)) return false;
  if (xs.some((x) => x === 'unknown')) return 'unknown';
  return true;
}

export function triOr(...xs: Tri[]): Tri {
  if (xs.some((x) => x === true)) return true;
  if (xs.some((x) => x === 'unknown')) return 'unknown';
  return false;
}

export function triFromYn(v: 'y' | 'm' | 'n' | 'unknown'): Tri {
  return v === 'unknown' ? 'unknown' : v !== 'n';
}

export function triText(t: Tri): string {
  return t === 'unknown' ? 'unknown' : t ? 'yes' : 'no';
}
