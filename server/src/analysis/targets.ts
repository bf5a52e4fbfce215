// Which target profiles a file is analysed under: the user's `faultline.targets`, else what the
// kernel tree says about itself (Makefile VERSION/PATCHLEVEL, .config arch), else the newest
// version the model knows on x86_64 and arm64 (product.md §3).

import { compareVersions, defaultProfiles, knownVersions, parseProfile, type Profile } from '../model';
import type { KernelTreeInfo } from './kernelTree';

export type TargetSource = 'settings' | 'kernel-tree' | 'default';

export interface ResolvedTargets {
  profiles: Profile[];
  problems: string[];
  source: TargetSource;
}

function dedupe(profiles: Profile[]): Profile[] {
  const seen = new Set<string>();
  return profiles.filter((p) => (seen.has(p.id) ? false : (seen.add(p.id), true)));
}

function profilesForTree(tree: KernelTreeInfo, problems: string[]): Profile[] {
  const arches = tree.arch ? [tree.arch] : ['x86_64', 'arm64'];
  let version = tree.version!;
  const parsedVersion = parseProfile(`${version}/x86_64`);
  if (!parsedVersion.ok) {
    // A tree newer or older than the model: use the nearest version the model knows, and say so.
    const [maj, min] = version.split('.').map(Number) as [number, number];
    const known = knownVersions();
    const wanted = { major: maj, minor: min };
    const nearest = compareVersions(wanted, known[0]!) < 0 ? known[0]! : known[known.length - 1]!;
    problems.push(`The kernel tree at ${tree.root} is version ${version}, which the model does not know; analysing it as ${nearest.major}.${nearest.minor}.`);
    version = `${nearest.major}.${nearest.minor}`;
  }
  const out: Profile[] = [];
  for (const arch of arches) {
    const r = parseProfile(`${version}/${arch}`);
    if (r.ok) out.push(r.profile);
  }
  return out;
}

export function resolveTargets(explicit: readonly string[], tree: KernelTreeInfo | undefined): ResolvedTargets {
  const problems: string[] = [];
  if (explicit.length > 0) {
    const profiles: Profile[] = [];
    for (const text of explicit) {
      const r = parseProfile(text);
      if (r.ok) profiles.push(r.profile);
      else problems.push(`faultline.targets: ${r.error}`);
    }
    if (profiles.length > 0) return { profiles: dedupe(profiles), problems, source: 'settings' };
    problems.push('faultline.targets has no valid target; using the defaults.');
  }
  if (tree?.version) {
    const profiles = profilesForTree(tree, problems);
    if (profiles.length > 0) return { profiles: dedupe(profiles), problems, source: 'kernel-tree' };
  }
  return { profiles: defaultProfiles(), problems, source: 'default' };
}
