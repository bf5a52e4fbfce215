// The model is pure and synchronous, but some answers cost about a millisecond each (every call
// re-derives the profile's capabilities). Hovers ask the same questions again and again, across
// edits too, so the answers are memoised by profile id and input. Bounded; results are shared, so
// callers must not mutate them.

import {
  apiInfo, coreOnReturn, gupWithFallback, hugeFaultReached, simulateInsertion, symbolInfo, writeFaultOnHugeEntry,
  type EntryLevel, type GupCaller, type HugeFaultQuery, type InstalledEntry, type InsertionInput, type Profile, type VmaFlags,
} from '../../model';

const MAX = 4000;
const cache = new Map<string, unknown>();

function memo<T>(key: string, f: () => T): T {
  if (cache.has(key)) return cache.get(key) as T;
  const v = f();
  if (cache.size >= MAX) cache.clear();
  cache.set(key, v);
  return v;
}

export const m = {
  apiInfo: (p: Profile, name: string) => memo(`api|${p.id}|${name}`, () => apiInfo(p, name)),
  symbolInfo: (p: Profile, name: string) => memo(`sym|${p.id}|${name}`, () => symbolInfo(p, name)),
  simulateInsertion: (input: InsertionInput, p: Profile) => memo(`ins|${p.id}|${JSON.stringify(input)}`, () => simulateInsertion(input, p)),
  gupWithFallback: (e: InstalledEntry, vma: VmaFlags, p: Profile, caller: GupCaller) => memo(`gup|${p.id}|${caller}|${JSON.stringify(e)}|${JSON.stringify(vma)}`, () => gupWithFallback(e, vma, p, caller)),
  hugeFaultReached: (p: Profile, q: HugeFaultQuery) => memo(`reach|${p.id}|${JSON.stringify(q)}`, () => hugeFaultReached(p, q)),
  coreOnReturn: (p: Profile, level: EntryLevel, code: string) => memo(`core|${p.id}|${level}|${code}`, () => coreOnReturn(p, level, code)),
  writeFaultOnHugeEntry: (p: Profile, level: 'pmd' | 'pud', vma: VmaFlags) => memo(`wp|${p.id}|${level}|${JSON.stringify(vma)}`, () => writeFaultOnHugeEntry(p, level, vma)),
};
