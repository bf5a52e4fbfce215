// Kconfig per profile: which symbols exist in a version, which an arch can enable, and the
// documented assumptions for user-configurable MM options. Capabilities are derived from these.

import { ARCH_CAPS, archRow, capTimeline, IDENTITY_SYMBOLS, type ArchCap } from './archTable';
import { cite, fact, posting, step, triAnd, triFromYn, type Fact, type Step, type Tri } from './citations';
import { gupFastNames } from './kernelTimeline';
import { stripConfigPrefix, type Profile } from './profiles';
import { atLeast, before, eraAt, eraAtOrThrow, formatVersion, localize, type Timeline } from './versions';

export type KconfigValue = 'y' | 'n' | 'unknown';

const MMK = 'mm/Kconfig';

/** Symbols that exist only in part of the modelled range (outside it they are 'n'). */
const EXISTENCE: Record<string, Timeline<boolean>> = {
  HAVE_FAST_GUP: [
    { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['5.10', '6.1'], text: 'CONFIG_HAVE_FAST_GUP exists.', cite: cite(MMK, 'HAVE_FAST_GUP', '6.1') },
    { from: '6.10', value: false, confidence: 'inferred', text: 'CONFIG_HAVE_FAST_GUP was renamed CONFIG_HAVE_GUP_FAST in v6.10.', cite: posting('mm/treewide: rename CONFIG_HAVE_FAST_GUP to CONFIG_HAVE_GUP_FAST', '6.10') },
  ],
  HAVE_GUP_FAST: [
    { from: '5.4', value: false, confidence: 'inferred', text: 'CONFIG_HAVE_GUP_FAST does not exist before v6.10 (the symbol is HAVE_FAST_GUP).', cite: posting('mm/treewide: rename CONFIG_HAVE_FAST_GUP to CONFIG_HAVE_GUP_FAST', '6.10') },
    { from: '6.10', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: 'CONFIG_HAVE_GUP_FAST exists.', cite: cite(MMK, 'HAVE_GUP_FAST', '6.12') },
  ],
  ARCH_HAS_PTE_DEVMAP: [
    { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['6.1', '6.12'], text: 'CONFIG_ARCH_HAS_PTE_DEVMAP exists.', cite: cite(MMK, 'ARCH_HAS_PTE_DEVMAP', '6.12') },
    { from: '6.17', value: false, confidence: 'posting', text: 'CONFIG_ARCH_HAS_PTE_DEVMAP was removed with the devmap bit in v6.17.', cite: posting('mm: remove devmap related functions and page table bits', '6.17', 'd438d2734170') },
  ],
  FS_DAX_LIMITED: [
    { from: '5.4', value: true, confidence: 'inferred', verifiedIn: ['6.1'], text: 'CONFIG_FS_DAX_LIMITED exists (s390 dcssblk).', cite: cite('fs/Kconfig', 'FS_DAX_LIMITED', '6.1') },
    { from: '6.17', value: false, confidence: 'posting', text: 'CONFIG_FS_DAX_LIMITED was removed in v6.17.', cite: posting('fs/dax: remove FS_DAX_LIMITED config option', '6.17') },
  ],
};
for (const sym of ['ARCH_SUPPORTS_HUGE_PFNMAP', 'ARCH_SUPPORTS_PMD_PFNMAP', 'ARCH_SUPPORTS_PUD_PFNMAP']) {
  EXISTENCE[sym] = [
    { from: '5.4', value: false, confidence: 'inferred', verifiedIn: ['6.1'], text: `CONFIG_${sym} does not exist before the huge pfnmap series (v6.12).`, cite: cite(MMK, sym, '6.12') },
    { from: '6.12', value: true, confidence: 'inferred', verifiedIn: ['6.12'], text: `CONFIG_${sym} exists (mm/Kconfig:936-946).`, cite: cite(MMK, sym, '6.12') },
  ];
}

function yn(t: Tri): KconfigValue {
  return t === 'unknown' ? 'unknown' : t ? 'y' : 'n';
}

function fromCap(p: Profile, cap: ArchCap): Fact<KconfigValue> {
  const row = archRow(p.arch);
  const era = eraAt(capTimeline(p.arch, cap), p.version);
  if (!era) return fact<KconfigValue>('n', [step(`${row.title} has no ${cap} in ${formatVersion(p.version)}.`, 'inferred')]);
  return fact(yn(era.value), [era.step]);
}

function derived(value: Tri, text: string, inputs: Fact<KconfigValue>[], citation?: Step['citation'], confidence: Step['confidence'] = 'verified'): Fact<KconfigValue> {
  const own = step(text, confidence, citation);
  return fact(yn(value), [...inputs.flatMap((f) => f.steps), own]);
}

type Resolver = (p: Profile) => Fact<KconfigValue>;

const RESOLVERS: Record<string, Resolver> = {
  ARCH_HAS_PTE_SPECIAL: (p) => fromCap(p, 'ARCH_HAS_PTE_SPECIAL'),
  ARCH_HAS_PTE_DEVMAP: (p) => fromCap(p, 'ARCH_HAS_PTE_DEVMAP'),
  HAVE_ARCH_TRANSPARENT_HUGEPAGE: (p) => fromCap(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE'),
  HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: (p) => fromCap(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD'),
  HAVE_FAST_GUP: (p) => fromCap(p, 'FAST_GUP'),
  HAVE_GUP_FAST: (p) => fromCap(p, 'FAST_GUP'),
  PREEMPT_RT: () => fact<KconfigValue>('n', [step('Profile assumption: PREEMPT_RT is off (override with +CONFIG_PREEMPT_RT=y).', 'inferred')]),
  TRANSPARENT_HUGEPAGE: (p) => {
    const arch = kconfigFact(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE');
    const rt = kconfigFact(p, 'PREEMPT_RT');
    const v = triAnd(triFromYn(arch.value), triFromYn(rt.value) === 'unknown' ? 'unknown' : !triFromYn(rt.value));
    return derived(v, 'TRANSPARENT_HUGEPAGE depends on HAVE_ARCH_TRANSPARENT_HUGEPAGE && !PREEMPT_RT; profile assumption: enabled wherever it can be (override with +CONFIG_TRANSPARENT_HUGEPAGE=n).', [arch, rt], cite(MMK, 'TRANSPARENT_HUGEPAGE', '6.1'), 'inferred');
  },
  ARCH_SUPPORTS_HUGE_PFNMAP: (p) => {
    const sel = fromCap(p, 'ARCH_SUPPORTS_HUGE_PFNMAP');
    const thp = kconfigFact(p, 'TRANSPARENT_HUGEPAGE');
    return derived(triAnd(triFromYn(sel.value), triFromYn(thp.value)), 'ARCH_SUPPORTS_HUGE_PFNMAP is selected by the arch and depends on TRANSPARENT_HUGEPAGE.', [sel, thp], cite(MMK, 'ARCH_SUPPORTS_HUGE_PFNMAP', '6.12', 'mm/Kconfig:936-946'));
  },
  ARCH_SUPPORTS_PMD_PFNMAP: (p) => {
    const h = kconfigFact(p, 'ARCH_SUPPORTS_HUGE_PFNMAP');
    const t = kconfigFact(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE');
    return derived(triAnd(triFromYn(h.value), triFromYn(t.value)), 'ARCH_SUPPORTS_PMD_PFNMAP is def_bool y when HUGE_PFNMAP && HAVE_ARCH_TRANSPARENT_HUGEPAGE.', [h, t], cite(MMK, 'ARCH_SUPPORTS_PMD_PFNMAP', '6.12'));
  },
  ARCH_SUPPORTS_PUD_PFNMAP: (p) => {
    const h = kconfigFact(p, 'ARCH_SUPPORTS_HUGE_PFNMAP');
    const t = kconfigFact(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD');
    return derived(triAnd(triFromYn(h.value), triFromYn(t.value)), 'ARCH_SUPPORTS_PUD_PFNMAP is def_bool y when HUGE_PFNMAP && HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD.', [h, t], cite(MMK, 'ARCH_SUPPORTS_PUD_PFNMAP', '6.12'));
  },
  ZONE_DEVICE: (p) => {
    if (atLeast(p.version, '6.17')) return fact<KconfigValue>('unknown', [step('After the devmap removal (v6.17) the sheet does not say what ZONE_DEVICE depends on; override with +CONFIG_ZONE_DEVICE=y|n.', 'uncertain')]);
    const d = kconfigFact(p, 'ARCH_HAS_PTE_DEVMAP');
    return derived(triFromYn(d.value), 'ZONE_DEVICE depends on ARCH_HAS_PTE_DEVMAP; profile assumption: enabled wherever it can be.', [d], cite(MMK, 'ZONE_DEVICE', '6.1', 'mm/Kconfig:990'), 'inferred');
  },
  FS_DAX_LIMITED: (p) =>
    p.arch === 's390'
      ? fact<KconfigValue>('unknown', [step('FS_DAX_LIMITED is selected by the s390 DCSSBLK driver (a driver choice).', 'inferred', cite('fs/Kconfig', 'FS_DAX_LIMITED', '6.1'))])
      : fact<KconfigValue>('n', [step('FS_DAX_LIMITED is only selected by the s390 DCSSBLK driver.', 'inferred', cite('fs/Kconfig', 'FS_DAX_LIMITED', '6.1'))]),
  FS_DAX: (p) => {
    const z = kconfigFact(p, 'ZONE_DEVICE');
    const l = kconfigFact(p, 'FS_DAX_LIMITED');
    const z3 = triFromYn(z.value);
    const l3 = triFromYn(l.value);
    const v: Tri = z3 === true || l3 === true ? true : z3 === false && l3 === false ? false : 'unknown';
    return derived(v, 'FS_DAX depends on ZONE_DEVICE || FS_DAX_LIMITED; profile assumption: enabled wherever it can be.', [z, l], cite('fs/Kconfig', 'FS_DAX', '6.1', 'fs/Kconfig:47-51'), 'inferred');
  },
  MMU: () => fact<KconfigValue>('y', [step('Every modelled architecture profile has an MMU.', 'inferred')]),
};

/** Normalised symbol names the model answers (anything else is 'unknown'). */
export function knownKconfigSymbols(): string[] {
  return [...new Set([...Object.keys(RESOLVERS), ...Object.keys(EXISTENCE), ...IDENTITY_SYMBOLS])].sort();
}

// Pure functions of (profile, symbol) called many times per analysis (guards, rules): memoised per
// profile object (keyed also by its id, in case a caller edits a profile in place). Cached values
// are frozen; callers copy steps, never mutate them.
const memo = new WeakMap<Profile, { id: string; facts: Map<string, Fact<KconfigValue>>; caps?: Capabilities }>();

function memoOf(p: Profile): { id: string; facts: Map<string, Fact<KconfigValue>>; caps?: Capabilities } {
  let m = memo.get(p);
  const id = `${p.id}|${p.version.major}.${p.version.minor}|${p.arch}|${JSON.stringify(p.overrides)}`;
  if (!m || m.id !== id) memo.set(p, (m = { id, facts: new Map() }));
  return m;
}

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as object)) deepFreeze(v);
  }
  return x;
}

export function kconfigFact(p: Profile, symbol: string): Fact<KconfigValue> {
  const m = memoOf(p);
  let f = m.facts.get(symbol);
  if (!f) {
    const raw = resolveKconfig(p, symbol);
    f = deepFreeze(fact(raw.value, localize(p.version, raw.steps)));
    m.facts.set(symbol, f);
  }
  return f;
}

function resolveKconfig(p: Profile, symbol: string): Fact<KconfigValue> {
  const sym = stripConfigPrefix(symbol);
  if (Object.prototype.hasOwnProperty.call(p.overrides, sym)) {
    const v = p.overrides[sym]!;
    return fact<KconfigValue>(v ? 'y' : 'n', [step(`CONFIG_${sym}=${v ? 'y' : 'n'} set by the profile override.`, 'verified')]);
  }
  const exists = EXISTENCE[sym];
  if (exists) {
    const e = eraAtOrThrow(exists, p.version, sym);
    if (!e.value) return fact<KconfigValue>('n', [e.step]);
  }
  const row = archRow(p.arch);
  if (IDENTITY_SYMBOLS.includes(sym) || row.platformDependent?.includes(sym)) {
    if (row.platformDependent?.includes(sym)) return fact<KconfigValue>('unknown', [step(`CONFIG_${sym} depends on the ${row.title} platform/CPU chosen; override to decide.`, 'inferred')]);
    const on = row.identity.includes(sym);
    const assume = row.assumptions.length ? ` (profile assumptions: ${row.assumptions.join('; ')})` : '';
    return fact<KconfigValue>(on ? 'y' : 'n', [step(`CONFIG_${sym} is ${on ? 'y' : 'n'} for ${row.title}${assume}.`, 'verified')]);
  }
  const r = RESOLVERS[sym];
  if (r) return r(p);
  return fact<KconfigValue>('unknown', [step(`The model does not know CONFIG_${sym} (driver or unrelated option).`, 'inferred')]);
}

export function kconfig(p: Profile, symbol: string): KconfigValue {
  return kconfigFact(p, symbol).value;
}

function triFact(f: Fact<KconfigValue>): Fact<Tri> {
  return { value: triFromYn(f.value), confidence: f.confidence, steps: f.steps };
}

export interface Capabilities {
  pteSpecial: Fact<Tri>;
  /** ARCH_HAS_PTE_DEVMAP (false from 6.17: removed). */
  pteDevmap: Fact<Tri>;
  /** HAVE_ARCH_TRANSPARENT_HUGEPAGE (the arch can do PMD THP). */
  archThp: Fact<Tri>;
  /** CONFIG_TRANSPARENT_HUGEPAGE under the profile assumptions. */
  thp: Fact<Tri>;
  /** PUD-level THP usable: HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD && TRANSPARENT_HUGEPAGE. */
  thpPud: Fact<Tri>;
  fastGup: Fact<Tri> & { symbol: 'HAVE_FAST_GUP' | 'HAVE_GUP_FAST' };
  hugePfnmap: Fact<Tri>;
  pmdPfnmap: Fact<Tri>;
  pudPfnmap: Fact<Tri>;
  /** pmd_special()/pmd_mkspecial() really test/set a bit (v6.12+ with ARCH_SUPPORTS_PMD_PFNMAP). */
  pmdSpecial: Fact<Tri>;
  pudSpecial: Fact<Tri>;
}

function specialAt(p: Profile, level: 'pmd' | 'pud'): Fact<Tri> {
  const sym = level === 'pmd' ? 'ARCH_SUPPORTS_PMD_PFNMAP' : 'ARCH_SUPPORTS_PUD_PFNMAP';
  const base = kconfigFact(p, sym);
  const txt = before(p.version, '6.12')
    ? `No ${level}_special bit before v6.12: huge entries cannot be marked special.`
    : `${level}_mkspecial()/${level}_special() use a real bit only with CONFIG_${sym}; otherwise they are no-ops.`;
  return triFact(fact(base.value, localize(p.version, [...base.steps, step(txt, before(p.version, '6.12') ? 'inferred' : 'verified', cite('include/linux/mm.h', `${level}_special`, '6.12', 'mm.h:2752-2774'))])));
}

export function capabilities(p: Profile): Capabilities {
  const m = memoOf(p);
  return (m.caps ??= deepFreeze(computeCapabilities(p)));
}

function computeCapabilities(p: Profile): Capabilities {
  const names = eraAtOrThrow(gupFastNames, p.version, 'gupFastNames');
  const thp = kconfigFact(p, 'TRANSPARENT_HUGEPAGE');
  const pud = kconfigFact(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD');
  const thpPudValue = triAnd(triFromYn(thp.value), triFromYn(pud.value));
  return {
    pteSpecial: triFact(kconfigFact(p, 'ARCH_HAS_PTE_SPECIAL')),
    pteDevmap: triFact(kconfigFact(p, 'ARCH_HAS_PTE_DEVMAP')),
    archThp: triFact(kconfigFact(p, 'HAVE_ARCH_TRANSPARENT_HUGEPAGE')),
    thp: triFact(thp),
    thpPud: fact(thpPudValue, [...pud.steps, ...thp.steps]),
    fastGup: { ...triFact(kconfigFact(p, names.value.config)), symbol: names.value.config },
    hugePfnmap: triFact(kconfigFact(p, 'ARCH_SUPPORTS_HUGE_PFNMAP')),
    pmdPfnmap: triFact(kconfigFact(p, 'ARCH_SUPPORTS_PMD_PFNMAP')),
    pudPfnmap: triFact(kconfigFact(p, 'ARCH_SUPPORTS_PUD_PFNMAP')),
    pmdSpecial: specialAt(p, 'pmd'),
    pudSpecial: specialAt(p, 'pud'),
  };
}

export { ARCH_CAPS };
