// Queries over the API surface table: does an API/symbol exist in a profile's version, with which
// signature, since when, and what replaced it.

import { API_TABLE, SYMBOL_TABLE, type ApiLevel, type ApiRow, type ApiShape, type PfnArg, type SymbolKind } from './apiTable';
import { cite, fact, step, type Confidence, type Fact, type Step } from './citations';
import { hugeFaultArgument, vmFlagsAccessors } from './kernelTimeline';
import type { Profile } from './profiles';
import { confidenceAt, eraAtOrThrow, eraIndexAt, localize, type Timeline } from './versions';

export interface ApiInfo {
  name: string;
  /** False only when the sheet says the API is absent; an unpinned existence is true with confidence 'uncertain'. */
  exists: boolean;
  level: ApiLevel;
  pfnArg: PfnArg;
  /** Signature in that version (or, when absent, of the nearest version that has it). */
  signature: string;
  since?: string;
  removedIn?: string;
  replacement?: string;
  requiresKconfig?: string[];
  confidence: Confidence;
  steps: Step[];
}

function firstShape(eras: Timeline<ApiShape | null | 'unknown'>, fromIndex: number, dir: 1 | -1): ApiShape | undefined {
  for (let i = fromIndex; i >= 0 && i < eras.length; i += dir) {
    const v = eras[i]!.value;
    if (v !== null && v !== 'unknown') return v;
  }
  return undefined;
}

function sinceAndRemoved(row: ApiRow): { since?: string; removedIn?: string } {
  const eras = row.eras;
  const firstExisting = eras.findIndex((e) => e.value !== null && e.value !== 'unknown');
  if (firstExisting < 0) return {};
  const since = firstExisting > 0 && eras[firstExisting - 1]!.value === null ? eras[firstExisting]!.from : undefined;
  const removedEra = eras.slice(firstExisting).find((e) => e.value === null);
  const out: { since?: string; removedIn?: string } = {};
  if (since) out.since = since;
  if (removedEra) out.removedIn = removedEra.from;
  return out;
}

export function knownApis(): string[] {
  return API_TABLE.map((r) => r.name);
}

export function apiInfo(p: Profile, name: string): ApiInfo | undefined {
  const row = API_TABLE.find((r) => r.name === name);
  if (!row) return undefined;
  const idx = eraIndexAt(row.eras, p.version);
  const here = eraAtOrThrow(row.eras, p.version, row.name);
  const shape = here.value !== null && here.value !== 'unknown' ? here.value : firstShape(row.eras, idx, 1) ?? firstShape(row.eras, idx, -1);
  const steps: Step[] = [here.step];
  if (row.requiresKconfig) steps.push(step(`Declared only with ${row.requiresKconfig.join(' && ')}.`, 'verified', cite('include/linux/huge_mm.h', row.name, '6.12')));
  const info: ApiInfo = {
    name: row.name,
    exists: here.value !== null,
    level: row.level,
    pfnArg: shape?.pfnArg ?? 'none',
    signature: shape?.signature ?? row.name,
    confidence: here.confidence,
    steps: localize(p.version, steps),
    ...sinceAndRemoved(row),
  };
  if (row.replacement && here.value === null && info.removedIn) info.replacement = row.replacement;
  if (row.requiresKconfig) info.requiresKconfig = [...row.requiresKconfig];
  return info;
}

export interface SymbolInfo {
  name: string;
  exists: boolean;
  kind: SymbolKind;
  meaning: string;
  since?: string;
  removedIn?: string;
  confidence: Confidence;
  steps: Step[];
}

export function knownSymbols(): string[] {
  return SYMBOL_TABLE.flatMap((r) => [r.name, ...(r.aliases ?? [])]);
}

export function symbolInfo(p: Profile, name: string): SymbolInfo | undefined {
  const key = name.trim();
  const row = SYMBOL_TABLE.find((r) => r.name === key || r.aliases?.includes(key));
  if (!row) return undefined;
  if (!row.exists) {
    const confidence = confidenceAt(p.version, row.confidence, row.verifiedIn);
    return { name: row.name, exists: true, kind: row.kind, meaning: row.meaning, confidence, steps: [step(`${row.name}: ${row.meaning}`, confidence, confidence === 'verified' ? { ...row.cite, version: `${p.version.major}.${p.version.minor}` } : row.cite)] };
  }
  const e = eraAtOrThrow(row.exists, p.version, row.name);
  const eras = row.exists;
  const firstTrue = eras.findIndex((x) => x.value === true);
  const info: SymbolInfo = {
    name: row.name,
    exists: e.value !== false,
    kind: row.kind,
    meaning: row.meaning,
    confidence: e.confidence,
    steps: [e.step],
  };
  if (firstTrue > 0) info.since = eras[firstTrue]!.from;
  const removed = firstTrue >= 0 ? eras.slice(firstTrue).find((x) => x.value === false) : undefined;
  if (removed) info.removedIn = removed.from;
  return info;
}

/** ->huge_fault's second parameter in this version (FL008). */
export function hugeFaultSignature(p: Profile): Fact<'page_entry_size' | 'order'> & { signature: string } {
  const e = eraAtOrThrow(hugeFaultArgument, p.version, 'hugeFaultArgument');
  const signature = e.value === 'order' ? 'vm_fault_t (*huge_fault)(struct vm_fault *vmf, unsigned int order)' : 'vm_fault_t (*huge_fault)(struct vm_fault *vmf, enum page_entry_size pe_size)';
  return { ...fact(e.value, [e.step]), signature };
}

/** Whether `vma->vm_flags |= …` compiles ('direct', ≤6.2) or the vm_flags_* accessors are required (≥6.3) (FL009). */
export function vmFlagsWrite(p: Profile): Fact<'direct' | 'accessors'> {
  const e = eraAtOrThrow(vmFlagsAccessors, p.version, 'vmFlagsAccessors');
  return fact(e.value ? 'accessors' : 'direct', [e.step]);
}
