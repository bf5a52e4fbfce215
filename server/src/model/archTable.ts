// Architecture capability table (mm-gup-facts.md §6), one row per arch × capability, in a compact
// notation that reads like the sheet's table:
//
//   '<from> <y|n|?> [<tree> <file:line>] | <from> …'
//
// Each era holds from its version until the next era. <tree> is the tree the cell was read in
// (D6.1, D6.12, N5.10, R5.10: verified in that version, inferred for the rest of the era), or ML
// followed by the subject of a posting ('posting'). Without a tree the era is 'inferred' (carried
// from a neighbouring column). A '?' value is an open uncertainty; the rest of the cell is its note.
// Only selects made by the arch are recorded here; generic dependencies (THP, TRANSPARENT_HUGEPAGE
// for HUGE_PFNMAP, symbol removal in 6.17) are applied in kconfig.ts.

import { cite, posting, type Citation, type Confidence, type Tri } from './citations';
import { ver, type Era, type Timeline } from './versions';

export type ArchId = 'x86_64' | 'x86_32' | 'arm64' | 'arm' | 'arm-lpae' | 'powerpc64' | 'riscv64' | 's390' | 'loongarch' | 'mips';

/** Arch-selected Kconfig capabilities the model tracks. FAST_GUP stands for HAVE_FAST_GUP / HAVE_GUP_FAST. */
export type ArchCap =
  | 'ARCH_HAS_PTE_SPECIAL'
  | 'ARCH_HAS_PTE_DEVMAP'
  | 'HAVE_ARCH_TRANSPARENT_HUGEPAGE'
  | 'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD'
  | 'FAST_GUP'
  | 'ARCH_SUPPORTS_HUGE_PFNMAP';

export const ARCH_CAPS: readonly ArchCap[] = [
  'ARCH_HAS_PTE_SPECIAL',
  'ARCH_HAS_PTE_DEVMAP',
  'HAVE_ARCH_TRANSPARENT_HUGEPAGE',
  'HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD',
  'FAST_GUP',
  'ARCH_SUPPORTS_HUGE_PFNMAP',
];

export interface ArchRow {
  id: ArchId;
  aliases: readonly string[];
  title: string;
  /** First kernel version that has the arch. */
  since: string;
  /** Arch identity symbols that are y (other identity symbols are n). */
  identity: readonly string[];
  /** Symbols whose value depends on the platform/CPU: answered 'unknown' unless overridden. */
  platformDependent?: readonly string[];
  /** Profile assumptions where the arch Kconfig depends on a sub-platform choice. */
  assumptions: readonly string[];
  caps: Record<ArchCap, string>;
}

const RISCV_GUP_NOTE = 'riscv gained HAVE_FAST_GUP between v6.1 and v6.10; the tag is not pinned';
const AFTER_61_NOTE = 'added between v6.1 (absent) and v6.12 (present); the tag is not pinned';

export const ARCH_TABLE: readonly ArchRow[] = [
  {
    id: 'x86_64', aliases: ['amd64', 'x86-64', 'x64'], title: 'x86-64', since: '5.4',
    identity: ['X86', 'X86_64', '64BIT', 'MMU'], assumptions: [],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:89 | 6.12 y D6.12 arch/x86/Kconfig:98',
      ARCH_HAS_PTE_DEVMAP: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:88 | 6.12 y D6.12 arch/x86/Kconfig:97',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:186 | 6.12 y D6.12 arch/x86/Kconfig:203',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:187 | 6.12 y D6.12 arch/x86/Kconfig:204',
      FAST_GUP: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:213 | 6.12 y D6.12 arch/x86/Kconfig:231',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 y D6.12 arch/x86/Kconfig:31',
    },
  },
  {
    id: 'x86_32', aliases: ['i386', 'i486', 'i586', 'i686', 'x86', 'ia32'], title: 'x86-32', since: '5.4',
    identity: ['X86', 'X86_32', '32BIT', 'MMU'], assumptions: [],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:89 | 6.12 y D6.12 arch/x86/Kconfig:98',
      ARCH_HAS_PTE_DEVMAP: '5.4 n | 6.1 n D6.1 arch/x86/Kconfig:88 | 6.12 n D6.12 arch/x86/Kconfig:97',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:186 | 6.12 y D6.12 arch/x86/Kconfig:203',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 6.1 n D6.1 arch/x86/Kconfig:187 | 6.12 n D6.12 arch/x86/Kconfig:204',
      FAST_GUP: '5.4 y | 6.1 y D6.1 arch/x86/Kconfig:213 | 6.12 y D6.12 arch/x86/Kconfig:231',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/x86/Kconfig:31',
    },
  },
  {
    id: 'arm64', aliases: ['aarch64', 'armv8', 'arm64-v8a'], title: 'arm64', since: '5.4',
    identity: ['ARM64', '64BIT', 'MMU'], assumptions: [],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 5.10 y N5.10 arch/arm64/Kconfig | 6.1 y D6.1 arch/arm64/Kconfig:36 | 6.12 y D6.12 arch/arm64/Kconfig:44',
      ARCH_HAS_PTE_DEVMAP: '5.4 y | 5.10 y N5.10 arch/arm64/Kconfig | 6.1 y D6.1 arch/arm64/Kconfig:35 | 6.12 y D6.12 arch/arm64/Kconfig:43',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 y | 5.10 y N5.10 arch/arm64/Kconfig | 6.1 y D6.1 arch/arm64/Kconfig:171 | 6.12 y D6.12 arch/arm64/Kconfig:192',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 5.10 n N5.10 arch/arm64/Kconfig | 6.1 n D6.1 arch/arm64/Kconfig | 6.12 n D6.12 arch/arm64/Kconfig',
      FAST_GUP: '5.4 y | 5.10 y N5.10 arch/arm64/Kconfig | 6.1 y D6.1 arch/arm64/Kconfig:186 | 6.12 y D6.12 arch/arm64/Kconfig:218',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 y D6.12 arch/arm64/Kconfig:106',
    },
  },
  {
    id: 'arm', aliases: ['arm32', 'armv7', 'armv7l', 'armhf', 'armel'], title: 'arm (32-bit, no LPAE)', since: '5.4',
    identity: ['ARM', '32BIT', 'MMU'], assumptions: ['classic 2-level page tables (CONFIG_ARM_LPAE=n); use arm-lpae for LPAE'],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig:18 | 6.12 n D6.12 arch/arm/Kconfig:21',
      ARCH_HAS_PTE_DEVMAP: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig | 6.12 n D6.12 arch/arm/Kconfig',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig:85 | 6.12 n D6.12 arch/arm/Kconfig:94',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig | 6.12 n D6.12 arch/arm/Kconfig',
      FAST_GUP: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig:97 | 6.12 n D6.12 arch/arm/Kconfig:106',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/arm/Kconfig',
    },
  },
  {
    id: 'arm-lpae', aliases: ['arm_lpae', 'armv7-lpae', 'armlpae'], title: 'arm (32-bit, LPAE)', since: '5.4',
    identity: ['ARM', 'ARM_LPAE', '32BIT', 'MMU'], assumptions: ['CONFIG_ARM_LPAE=y'],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 6.1 y D6.1 arch/arm/Kconfig:18 | 6.12 y D6.12 arch/arm/Kconfig:21',
      ARCH_HAS_PTE_DEVMAP: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig | 6.12 n D6.12 arch/arm/Kconfig',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 y | 6.1 y D6.1 arch/arm/Kconfig:85 | 6.12 y D6.12 arch/arm/Kconfig:94',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 6.1 n D6.1 arch/arm/Kconfig | 6.12 n D6.12 arch/arm/Kconfig',
      FAST_GUP: '5.4 y | 6.1 y D6.1 arch/arm/Kconfig:97 | 6.12 y D6.12 arch/arm/Kconfig:106',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/arm/Kconfig',
    },
  },
  {
    id: 'powerpc64', aliases: ['ppc64', 'ppc64le', 'powerpc', 'powerpc64le'], title: 'powerpc64 (book3s)', since: '5.4',
    identity: ['PPC', 'PPC64', 'PPC_BOOK3S_64', 'PPC_RADIX_MMU', '64BIT', 'MMU'],
    assumptions: ['book3s-64 with the radix MMU (PPC_THP holds: PPC_BOOK3S_64 && PPC_RADIX_MMU)'],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 6.1 y D6.1 arch/powerpc/Kconfig:140 | 6.12 y D6.12 arch/powerpc/Kconfig:151',
      ARCH_HAS_PTE_DEVMAP: '5.4 y | 6.1 y D6.1 arch/powerpc/Kconfig:139 | 6.12 y D6.12 arch/powerpc/Kconfig:150',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 y | 6.1 y D6.1 arch/powerpc/platforms/Kconfig.cputype:96 | 6.12 y D6.12 arch/powerpc/platforms/Kconfig.cputype:108',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: `5.4 n | 6.1 n D6.1 arch/powerpc/platforms/Kconfig.cputype | 6.2 ? powerpc PUD THP ${AFTER_61_NOTE} | 6.12 y D6.12 arch/powerpc/platforms/Kconfig.cputype:108`,
      FAST_GUP: '5.4 y | 6.1 y D6.1 arch/powerpc/Kconfig:222 | 6.12 y D6.12 arch/powerpc/Kconfig:241',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/powerpc/Kconfig | 6.13 ? powerpc huge pfnmap seen only as a proposal; merge not verified',
    },
  },
  {
    id: 'riscv64', aliases: ['riscv', 'rv64', 'riscv64gc'], title: 'riscv64', since: '5.4',
    identity: ['RISCV', '64BIT', 'MMU'], assumptions: [],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 ? riscv before v6.1 not read | 6.1 y D6.1 arch/riscv/Kconfig:29 | 6.12 y D6.12 arch/riscv/Kconfig:45',
      ARCH_HAS_PTE_DEVMAP: `5.4 n | 6.1 n D6.1 arch/riscv/Kconfig | 6.2 ? riscv devmap ${AFTER_61_NOTE} | 6.12 y D6.12 arch/riscv/Kconfig:44`,
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 ? riscv before v6.1 not read | 6.1 y D6.1 arch/riscv/Kconfig:87 | 6.12 y D6.12 arch/riscv/Kconfig:135',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 6.1 n D6.1 arch/riscv/Kconfig | 6.12 n D6.12 arch/riscv/Kconfig',
      FAST_GUP: `5.4 n | 6.1 n D6.1 arch/riscv/Kconfig | 6.2 ? ${RISCV_GUP_NOTE} | 6.10 y ML mm/treewide: rename CONFIG_HAVE_FAST_GUP to CONFIG_HAVE_GUP_FAST | 6.12 y D6.12 arch/riscv/Kconfig:150`,
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/riscv/Kconfig | 6.13 ? riscv huge pfnmap (03dc00a) landed around v6.15; tag not pinned | 6.16 y ML riscv: Support huge pfnmaps',
    },
  },
  {
    id: 's390', aliases: ['s390x'], title: 's390', since: '5.4',
    identity: ['S390', '64BIT', 'MMU'], assumptions: [],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 6.1 y D6.1 arch/s390/Kconfig:76 | 6.12 y D6.12 arch/s390/Kconfig:85',
      ARCH_HAS_PTE_DEVMAP: '5.4 n | 6.1 n D6.1 arch/s390/Kconfig | 6.12 n D6.12 arch/s390/Kconfig',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 y | 6.1 y D6.1 arch/s390/Kconfig:150 | 6.12 y D6.12 arch/s390/Kconfig:169',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 6.1 n D6.1 arch/s390/Kconfig | 6.12 n D6.12 arch/s390/Kconfig',
      FAST_GUP: '5.4 y | 6.1 y D6.1 arch/s390/Kconfig:163 | 6.12 y D6.12 arch/s390/Kconfig:182',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/s390/Kconfig | 6.13 ? s390 huge pfnmap after v6.12 is unknown',
    },
  },
  {
    id: 'loongarch', aliases: ['loongarch64', 'loong64'], title: 'LoongArch', since: '5.19',
    identity: ['LOONGARCH', '64BIT', 'MMU'], assumptions: [],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.19 y | 6.1 y D6.1 arch/loongarch/Kconfig:15 | 6.12 y D6.12 arch/loongarch/Kconfig:27',
      ARCH_HAS_PTE_DEVMAP: `5.19 n | 6.1 n D6.1 arch/loongarch/Kconfig | 6.2 ? loongarch devmap ${AFTER_61_NOTE} | 6.12 y D6.12 arch/loongarch/Kconfig:26`,
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.19 y | 6.1 y D6.1 arch/loongarch/Kconfig:89 | 6.12 y D6.12 arch/loongarch/Kconfig:120',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.19 n | 6.1 n D6.1 arch/loongarch/Kconfig | 6.12 n D6.12 arch/loongarch/Kconfig',
      FAST_GUP: '5.19 y | 6.1 y D6.1 arch/loongarch/Kconfig:96 | 6.12 y D6.12 arch/loongarch/Kconfig:135',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/loongarch/Kconfig | 6.13 ? LoongArch huge pfnmap after v6.12 is unknown',
    },
  },
  {
    id: 'mips', aliases: ['mips64', 'mips64el'], title: 'MIPS', since: '5.4',
    identity: ['MIPS', '64BIT', 'MMU'], platformDependent: ['CPU_SUPPORTS_HUGEPAGES', 'CPU_HAS_RIXI'],
    assumptions: ['64-bit kernel (PTE_SPECIAL is selected unless 32BIT && CPU_HAS_RIXI)', 'THP depends on CPU_SUPPORTS_HUGEPAGES: unknown unless overridden'],
    caps: {
      ARCH_HAS_PTE_SPECIAL: '5.4 y | 6.1 y D6.1 arch/mips/Kconfig:13 | 6.12 y D6.12 arch/mips/Kconfig:15',
      ARCH_HAS_PTE_DEVMAP: '5.4 n | 6.1 n D6.1 arch/mips/Kconfig | 6.12 n D6.12 arch/mips/Kconfig',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE: '5.4 ? selected only if CPU_SUPPORTS_HUGEPAGES (platform dependent) | 6.1 ? selected only if CPU_SUPPORTS_HUGEPAGES (D6.1 arch/mips/Kconfig:58) | 6.12 ? selected only if CPU_SUPPORTS_HUGEPAGES (D6.12 arch/mips/Kconfig:61)',
      HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: '5.4 n | 6.1 n D6.1 arch/mips/Kconfig | 6.12 n D6.12 arch/mips/Kconfig',
      FAST_GUP: '5.4 y | 6.1 y D6.1 arch/mips/Kconfig:72 | 6.12 y D6.12 arch/mips/Kconfig:72',
      ARCH_SUPPORTS_HUGE_PFNMAP: '6.12 n D6.12 arch/mips/Kconfig',
    },
  },
];

// ---------------------------------------------------------------- notation parser

const TREES: Record<string, string> = { 'D6.1': '6.1', 'D6.12': '6.12', 'N5.10': '5.10', 'R5.10': '5.10' };

/** Kconfig symbol a capability is written under in the given era (FAST_GUP is renamed in 6.10). */
function capSymbol(cap: ArchCap): string {
  return cap === 'FAST_GUP' ? 'HAVE_FAST_GUP/HAVE_GUP_FAST' : cap;
}

export function parseCapRow(arch: ArchId, cap: ArchCap, row: string): Timeline<Tri> {
  const eras: Era<Tri>[] = [];
  for (const cell of row.split('|').map((c) => c.trim())) {
    const m = /^(\d+\.\d+)\s+([yn?])(?:\s+(.*))?$/.exec(cell);
    if (!m) throw new Error(`arch table ${arch}/${cap}: bad cell '${cell}'`);
    const from = m[1]!;
    ver(from);
    const rest = (m[3] ?? '').trim();
    const value: Tri = m[2] === '?' ? 'unknown' : m[2] === 'y';
    const said = value === 'unknown' ? 'unknown' : value ? 'selected' : 'not selected';
    let confidence: Confidence = 'inferred';
    let verifiedIn: string[] | undefined;
    let citation: Citation | undefined;
    let text = `${arch}: ${capSymbol(cap)} ${said}`;
    if (value === 'unknown') {
      confidence = 'uncertain';
      text += ` — ${rest || 'not pinned by the fact sheet'}`;
      citation = cite('mm-gup-facts.md', 'Open uncertainties', from, rest || undefined);
    } else if (rest.startsWith('ML ')) {
      confidence = 'posting';
      citation = posting(rest.slice(3), from);
    } else if (rest) {
      const [tree, where] = rest.split(/\s+/, 2);
      const treeVersion = TREES[tree!];
      if (!treeVersion || !where) throw new Error(`arch table ${arch}/${cap}: bad source '${rest}'`);
      verifiedIn = [treeVersion];
      const [file, line] = where.split(':');
      citation = cite(file!, capSymbol(cap), treeVersion, line ? `line ${line} [${tree}]` : `absent [${tree}]`);
    } else {
      text += ' (carried from the neighbouring column of the arch table; that version was not read)';
    }
    eras.push(verifiedIn ? { from, value, confidence, verifiedIn, text, cite: citation } : citation ? { from, value, confidence, text, cite: citation } : { from, value, confidence, text });
  }
  return eras;
}

const PARSED = new Map<string, Timeline<Tri>>();
for (const row of ARCH_TABLE) for (const cap of ARCH_CAPS) PARSED.set(`${row.id}/${cap}`, parseCapRow(row.id, cap, row.caps[cap]));

export function capTimeline(arch: ArchId, cap: ArchCap): Timeline<Tri> {
  return PARSED.get(`${arch}/${cap}`)!;
}

export function archRow(arch: ArchId): ArchRow {
  return ARCH_TABLE.find((r) => r.id === arch)!;
}

/** Canonical id for an arch name or alias (case-insensitive), or undefined. */
export function resolveArch(name: string): ArchId | undefined {
  const n = name.trim().toLowerCase();
  for (const row of ARCH_TABLE) if (row.id === n || row.aliases.includes(n)) return row.id;
  return undefined;
}

export function allArchIds(): ArchId[] {
  return ARCH_TABLE.map((r) => r.id);
}

/** Every identity symbol some arch answers; a profile answers y for its own and n for the others. */
export const IDENTITY_SYMBOLS: readonly string[] = [...new Set(ARCH_TABLE.flatMap((r) => [...r.identity]).concat(['32BIT', '64BIT']))];
