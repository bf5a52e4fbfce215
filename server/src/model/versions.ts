// Kernel versions the model knows and the "era" mechanism that maps a version to a fact.
//
// Versions: every release from 5.4 to the newest the fact sheet lets us name. The sheet's tagged facts
// end at v6.17 (pull "MM updates for 6.17-rc1"); its mail archive shows 7.3-rc pulls, so 6.18 … 7.2
// were released. Those later versions are modelled by carrying the 6.17 facts forward, and every
// answer for them is capped at 'inferred' (mm-gup-facts.md §0 "Note on latest").

import { capConfidence, type Citation, type Confidence, type Step } from './citations';

export interface KernelVersion {
  major: number;
  minor: number;
}

function range(major: number, from: number, to: number): KernelVersion[] {
  const out: KernelVersion[] = [];
  for (let m = from; m <= to; m++) out.push({ major, minor: m });
  return out;
}

/** Ordered list of releases the model answers for. */
const KNOWN: readonly KernelVersion[] = [...range(5, 4, 19), ...range(6, 0, 19), ...range(7, 0, 2)];

/** Last version whose facts the sheet pins with a tag; later versions carry these facts forward. */
export const LAST_DESCRIBED: KernelVersion = { major: 6, minor: 17 };

export function knownVersions(): KernelVersion[] {
  return KNOWN.map((v) => ({ ...v }));
}

export function newestVersion(): KernelVersion {
  return { ...KNOWN[KNOWN.length - 1]! };
}

export function oldestVersion(): KernelVersion {
  return { ...KNOWN[0]! };
}

export function compareVersions(a: KernelVersion, b: KernelVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

export function formatVersion(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}

/** Parses "6.12", "v6.12", "6.12.117" (sublevel ignored) or "6.12-rc3". Returns undefined when malformed. */
export function parseVersion(text: string): KernelVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-rc\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Parses a version written in a data table; throws on typos so that bad tables fail at load (and in tests). */
export function ver(text: string): KernelVersion {
  const v = parseVersion(text);
  if (!v) throw new Error(`model table: bad version '${text}'`);
  return v;
}

export function isKnownVersion(v: KernelVersion): boolean {
  return KNOWN.some((k) => compareVersions(k, v) === 0);
}

export function atLeast(v: KernelVersion, text: string): boolean {
  return compareVersions(v, ver(text)) >= 0;
}

export function before(v: KernelVersion, text: string): boolean {
  return compareVersions(v, ver(text)) < 0;
}

// ---- eras ----

/**
 * One row of a version table: from `from` (inclusive) until the next era's `from`, the fact is `value`.
 * `confidence` applies to every version of the era except those listed in `verifiedIn` (trees actually
 * read, e.g. '6.1' for [D6.1]), which get 'verified'.
 */
export interface Era<T> {
  from: string;
  value: T;
  confidence: Confidence;
  verifiedIn?: readonly string[];
  text: string;
  cite?: Citation;
}

export type Timeline<T> = readonly Era<T>[];

export interface EraAnswer<T> {
  value: T;
  confidence: Confidence;
  step: Step;
}

/** Confidence of a table statement at `v`: verified where read, else the era's own, capped after 6.17. */
export function confidenceAt(v: KernelVersion, base: Confidence, verifiedIn?: readonly string[]): Confidence {
  if (verifiedIn?.includes(formatVersion(v))) return 'verified';
  if (compareVersions(v, LAST_DESCRIBED) > 0) return capConfidence(base, 'inferred');
  return base;
}

/** Index of the era that holds at `v`, or -1 when `v` is before the first era. */
export function eraIndexAt<T>(timeline: Timeline<T>, v: KernelVersion): number {
  let idx = -1;
  for (let i = 0; i < timeline.length; i++) {
    if (compareVersions(ver(timeline[i]!.from), v) <= 0) idx = i;
    else break;
  }
  return idx;
}

export function eraAt<T>(timeline: Timeline<T>, v: KernelVersion): EraAnswer<T> | undefined {
  const idx = eraIndexAt(timeline, v);
  if (idx < 0) return undefined;
  const hit = timeline[idx]!;
  const confidence = confidenceAt(v, hit.confidence, hit.verifiedIn);
  // When verified at v, cite the tree actually read at v (the row's citation may name another read tree).
  const citation = hit.cite && confidence === 'verified' && hit.cite.file !== 'LKML' ? { ...hit.cite, version: formatVersion(v) } : hit.cite;
  const step: Step = citation ? { text: hit.text, citation, confidence } : { text: hit.text, confidence };
  return { value: hit.value, confidence, step };
}

/** Like eraAt but for timelines that start at the oldest known version (throws if the table has a gap). */
export function eraAtOrThrow<T>(timeline: Timeline<T>, v: KernelVersion, name: string): EraAnswer<T> {
  const a = eraAt(timeline, v);
  if (!a) throw new Error(`model table '${name}' has no era for ${formatVersion(v)}`);
  return a;
}

/** v is strictly after the named version. */
export function after(v: KernelVersion, text: string): boolean {
  return compareVersions(v, ver(text)) > 0;
}

/**
 * 'verified' means "read in the code of that version" (mm-gup-facts.md §0). A logic step that cites
 * code read in another version is therefore only 'inferred' for this profile's version.
 */
export function localize(v: KernelVersion, steps: Step[]): Step[] {
  const here = formatVersion(v);
  return steps.map((s) => (s.confidence === 'verified' && s.citation && s.citation.file !== 'LKML' && s.citation.version !== here ? { ...s, confidence: 'inferred' as Confidence } : s));
}
