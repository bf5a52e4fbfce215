// Finds the kernel tree a file belongs to and reads what it says about itself: VERSION and
// PATCHLEVEL from the top-level Makefile and the architecture from `.config`. Only these two
// files are read, as text; nothing in the workspace is executed.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface KernelTreeInfo {
  root: string;
  /** `6.12`, when the Makefile says so. */
  version?: string;
  /** Canonical-ish arch name derived from `.config` (`x86_64`, `arm64`, …). */
  arch?: string;
}

const cache = new Map<string, KernelTreeInfo | null>();

function readSmall(file: string, limit = 256 * 1024): string | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(limit);
      const n = fs.readSync(fd, buf, 0, limit, 0);
      return buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

export function versionFromMakefile(text: string): string | undefined {
  const version = /^VERSION\s*=\s*(\d+)\s*$/m.exec(text)?.[1];
  const patch = /^PATCHLEVEL\s*=\s*(\d+)\s*$/m.exec(text)?.[1];
  return version !== undefined && patch !== undefined ? `${version}.${patch}` : undefined;
}

/** Order matters: the first match wins (CONFIG_X86_64 also implies CONFIG_X86). */
const ARCH_FROM_CONFIG: [RegExp, string][] = [
  [/^CONFIG_X86_64=y/m, 'x86_64'],
  [/^CONFIG_X86_32=y/m, 'x86_32'],
  [/^CONFIG_ARM64=y/m, 'arm64'],
  [/^CONFIG_ARM_LPAE=y/m, 'arm-lpae'],
  [/^CONFIG_ARM=y/m, 'arm'],
  [/^CONFIG_PPC64=y/m, 'powerpc64'],
  [/^CONFIG_RISCV=y/m, 'riscv64'],
  [/^CONFIG_S390=y/m, 's390'],
  [/^CONFIG_LOONGARCH=y/m, 'loongarch'],
  [/^CONFIG_MIPS=y/m, 'mips'],
];

export function archFromConfig(text: string): string | undefined {
  for (const [re, arch] of ARCH_FROM_CONFIG) if (re.test(text)) return arch;
  return undefined;
}

function looksLikeKernelRoot(dir: string): string | undefined {
  const makefile = readSmall(path.join(dir, 'Makefile'), 4096);
  if (!makefile) return undefined;
  if (!fs.existsSync(path.join(dir, 'Kconfig'))) return undefined;
  return versionFromMakefile(makefile) ? makefile : undefined;
}

/** The kernel tree containing `file` (searched upwards), or undefined. Cached per directory. */
export function findKernelTree(file: string): KernelTreeInfo | undefined {
  const visited: string[] = [];
  let dir = path.dirname(path.resolve(file));
  let found: KernelTreeInfo | null | undefined;
  for (let depth = 0; depth < 64; depth++) {
    const cached = cache.get(dir);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(dir);
    const makefile = looksLikeKernelRoot(dir);
    if (makefile) {
      const info: KernelTreeInfo = { root: dir };
      const version = versionFromMakefile(makefile);
      if (version) info.version = version;
      const config = readSmall(path.join(dir, '.config'), 1024 * 1024);
      const arch = config ? archFromConfig(config) : undefined;
      if (arch) info.arch = arch;
      found = info;
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      found = null;
      break;
    }
    dir = parent;
  }
  for (const d of visited) cache.set(d, found ?? null);
  return found ?? undefined;
}

export function clearKernelTreeCache(): void {
  cache.clear();
}
