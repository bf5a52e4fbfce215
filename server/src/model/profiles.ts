// Target profiles: "VERSION/ARCH[+CONFIG_X=y|n…]", e.g. "6.12/x86_64", "5.15/aarch64",
// "6.12/x86_64+CONFIG_TRANSPARENT_HUGEPAGE=n".

import { allArchIds, archRow, resolveArch, type ArchId } from './archTable';
import { compareVersions, formatVersion, isKnownVersion, knownVersions, newestVersion, oldestVersion, parseVersion, ver, type KernelVersion } from './versions';

export type { ArchId } from './archTable';

export interface Profile {
  /** Canonical form: 'V/ARCH' plus '+CONFIG_X=y|n' per override (sorted). */
  id: string;
  version: KernelVersion;
  arch: ArchId;
  /** Kconfig overrides keyed by symbol without the CONFIG_ prefix. */
  overrides: Record<string, boolean>;
}

export type ParseProfileResult = { ok: true; profile: Profile } | { ok: false; error: string };

function knownSummary(): string {
  return `known versions are ${formatVersion(oldestVersion())}–${formatVersion(newestVersion())} and known architectures are ${allArchIds().join(', ')}`;
}

export function stripConfigPrefix(symbol: string): string {
  return symbol.trim().replace(/^CONFIG_/, '');
}

export function makeProfile(version: KernelVersion, arch: ArchId, overrides: Record<string, boolean> = {}): Profile {
  const keys = Object.keys(overrides).sort();
  const norm: Record<string, boolean> = {};
  for (const k of keys) norm[stripConfigPrefix(k)] = overrides[k]!;
  const suffix = Object.keys(norm).map((k) => `+CONFIG_${k}=${norm[k] ? 'y' : 'n'}`).join('');
  return { id: `${formatVersion(version)}/${arch}${suffix}`, version: { ...version }, arch, overrides: norm };
}

export function parseProfile(text: string): ParseProfileResult {
  const raw = text.trim();
  const [head, ...overrideParts] = raw.split('+');
  const slash = (head ?? '').split('/');
  if (slash.length !== 2 || !slash[0] || !slash[1]) {
    return { ok: false, error: `Profile '${raw}' is not of the form VERSION/ARCH (e.g. 6.12/x86_64); ${knownSummary()}.` };
  }
  const version = parseVersion(slash[0]);
  const arch = resolveArch(slash[1]);
  const versionOk = version !== undefined && isKnownVersion(version);
  if (!versionOk || !arch) {
    const what = !versionOk && !arch ? `version '${slash[0]}' and architecture '${slash[1]}' are` : !versionOk ? `version '${slash[0]}' is` : `architecture '${slash[1]}' is`;
    return { ok: false, error: `Unknown profile '${raw}': ${what} not known; ${knownSummary()}.` };
  }
  const since = archRow(arch).since;
  if (compareVersions(version, ver(since)) < 0) {
    return { ok: false, error: `Unknown profile '${raw}': ${arch} exists only from v${since}; ${knownSummary()}.` };
  }
  const overrides: Record<string, boolean> = {};
  for (const part of overrideParts) {
    const m = /^(?:CONFIG_)?([A-Za-z0-9_]+)=([yn])$/.exec(part.trim());
    if (!m) return { ok: false, error: `Bad Kconfig override '${part}' in profile '${raw}': write +CONFIG_NAME=y or +CONFIG_NAME=n.` };
    overrides[m[1]!] = m[2] === 'y';
  }
  return { ok: true, profile: makeProfile(version, arch, overrides) };
}

/** Parses or throws (for tests and fixed strings). */
export function mustParseProfile(text: string): Profile {
  const r = parseProfile(text);
  if (!r.ok) throw new Error(r.error);
  return r.profile;
}

/** product.md §3: without workspace hints, the newest known version on x86_64 and arm64. */
export function defaultProfiles(): Profile[] {
  const v = newestVersion();
  return [makeProfile(v, 'x86_64'), makeProfile(v, 'arm64')];
}

export function formatProfile(p: Profile): string {
  return p.id;
}

export { knownVersions };
