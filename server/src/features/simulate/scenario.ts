// Scenario keys for "Simulate this fault path": parsing and validating `key=value` pairs, with
// documented defaults (docs/simulate.md). The defaults are the most revealing case: the core's own
// level order, a write fault at an aligned address with an aligned pfn, memory without struct page,
// the VMA flags the mmap handler sets, THP "always", then get_user_pages_fast.

import type { GupCaller, ThpPolicy } from '../../model';

export type LevelChoice = 'auto' | 'pud' | 'pmd' | 'pte';
export type AddressChoice = 'aligned' | 'misaligned' | 'near-end';
export type BackingChoice = 'auto' | 'iomem' | 'driver-pages' | 'dev-pagemap' | 'folio';
export type GupChoice = GupCaller | 'none';

export interface Scenario {
  level: LevelChoice;
  access: 'read' | 'write';
  address: AddressChoice;
  pfn: 'aligned' | 'misaligned';
  backing: BackingChoice;
  /** 'auto' (from the mmap handler) or an explicit flag set. */
  vma: 'auto' | string[];
  mapping: 'shared' | 'private';
  thp: Exclude<ThpPolicy, 'unknown'>;
  gup: GupChoice;
}

export const DEFAULT_SCENARIO: Scenario = {
  level: 'auto',
  access: 'write',
  address: 'aligned',
  pfn: 'aligned',
  backing: 'auto',
  vma: 'auto',
  mapping: 'shared',
  thp: 'always',
  gup: 'get_user_pages_fast',
};

export const VMA_FLAG_NAMES = ['PFNMAP', 'MIXEDMAP', 'IO', 'HUGEPAGE', 'DONTEXPAND', 'DONTDUMP', 'SHARED', 'MAYSHARE', 'MAYWRITE', 'WRITE', 'NOHUGEPAGE'] as const;

const GUP_ALIASES: Record<string, GupChoice> = {
  get_user_pages_fast: 'get_user_pages_fast',
  gup_fast: 'get_user_pages_fast',
  fast: 'get_user_pages_fast',
  pin_user_pages_fast: 'pin_user_pages_fast',
  pin: 'pin_user_pages_fast',
  pin_user_pages_fast_longterm: 'pin_user_pages_fast_longterm',
  longterm: 'pin_user_pages_fast_longterm',
  'pin-longterm': 'pin_user_pages_fast_longterm',
  get_user_pages: 'get_user_pages',
  slow: 'get_user_pages',
  follow_pfnmap: 'follow_pfnmap',
  follow_pfnmap_start: 'follow_pfnmap',
  none: 'none',
};

/** Every key with its accepted values (for errors, docs and the VS Code quick-picks). */
export const SCENARIO_KEYS: Record<keyof Scenario, { values: string[]; doc: string }> = {
  level: { values: ['auto', 'pud', 'pmd', 'pte'], doc: 'fault level tried first: auto = as the core does (PUD, then PMD, then PTE; PTE for a .fault-only handler)' },
  access: { values: ['read', 'write'], doc: 'read or write fault' },
  address: { values: ['aligned', 'misaligned', 'near-end'], doc: 'fault address: huge range inside the VMA / VMA start not huge-aligned / huge range crosses vm_end' },
  pfn: { values: ['aligned', 'misaligned'], doc: 'alignment of the driver’s base pfn/physical address' },
  backing: { values: ['auto', 'iomem', 'driver-pages', 'dev-pagemap', 'folio'], doc: 'memory behind the pfn (auto: folio for folio APIs, driver-pages for page APIs, else iomem)' },
  vma: { values: ['auto', ...VMA_FLAG_NAMES.map((f) => f)], doc: 'VMA flags: auto (from the mmap handler) or FLAG|FLAG… (exact set, VM_ prefix optional)' },
  mapping: { values: ['shared', 'private'], doc: 'mmap(MAP_SHARED) or MAP_PRIVATE (private + may-write = COW mapping)' },
  thp: { values: ['always', 'madvise', 'never'], doc: 'transparent_hugepage/enabled' },
  gup: { values: ['get_user_pages_fast', 'pin_user_pages_fast', 'pin_user_pages_fast_longterm', 'get_user_pages', 'follow_pfnmap', 'none'], doc: 'who walks the entry afterwards (aliases: fast, pin, longterm, slow)' },
};

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; error: string };

function bad(key: string, value: string): string {
  const spec = SCENARIO_KEYS[key as keyof Scenario];
  return `scenario ${key}=${value}: expected one of ${spec.values.join(', ')}`;
}

/** Parses `k=v,k=v` strings (CLI). Later pairs win. */
export function parseScenarioStrings(parts: readonly string[]): { ok: true; pairs: Record<string, string> } | { ok: false; error: string } {
  const pairs: Record<string, string> = {};
  for (const part of parts) {
    for (const item of part.split(',')) {
      const t = item.trim();
      if (!t) continue;
      const eq = t.indexOf('=');
      if (eq <= 0) return { ok: false, error: `scenario item "${t}" is not key=value` };
      pairs[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
    }
  }
  return { ok: true, pairs };
}

/** Validates overrides on top of the defaults. */
export function buildScenario(pairs: Readonly<Record<string, string>> | undefined): ScenarioResult {
  const s: Scenario = { ...DEFAULT_SCENARIO };
  for (const [rawKey, rawValue] of Object.entries(pairs ?? {})) {
    const key = rawKey.trim();
    const value = String(rawValue).trim();
    if (!(key in SCENARIO_KEYS)) return { ok: false, error: `unknown scenario key "${key}" (known: ${Object.keys(SCENARIO_KEYS).join(', ')})` };
    switch (key as keyof Scenario) {
      case 'gup': {
        const g = GUP_ALIASES[value];
        if (!g) return { ok: false, error: bad(key, value) };
        s.gup = g;
        break;
      }
      case 'vma': {
        if (value === 'auto') {
          s.vma = 'auto';
          break;
        }
        const flags: string[] = [];
        for (const f of value.split('|').map((x) => x.trim().replace(/^VM_/, '').toUpperCase()).filter(Boolean)) {
          if (!(VMA_FLAG_NAMES as readonly string[]).includes(f)) return { ok: false, error: `scenario vma=${value}: unknown flag ${f} (known: ${VMA_FLAG_NAMES.join(', ')})` };
          if (!flags.includes(f)) flags.push(f);
        }
        s.vma = flags;
        break;
      }
      default: {
        const spec = SCENARIO_KEYS[key as keyof Scenario];
        if (!spec.values.includes(value)) return { ok: false, error: bad(key, value) };
        (s as unknown as Record<string, string>)[key] = value;
      }
    }
  }
  return { ok: true, scenario: s };
}

/** The effective scenario as strings, in key order (what results and headers show). */
export function scenarioRecord(s: Scenario, resolved: { backing: string; vma: string; level: string }): Record<string, string> {
  return {
    level: resolved.level,
    access: s.access,
    address: s.address,
    pfn: s.pfn,
    backing: resolved.backing,
    vma: resolved.vma,
    mapping: s.mapping,
    thp: s.thp,
    gup: s.gup,
  };
}
