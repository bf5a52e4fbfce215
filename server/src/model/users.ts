// In-tree users of huge PFN / folio insertion per version (mm-gup-facts.md §7), for explanations
// ("vfio-pci does this and guards it with …") and for the 5.15/5.16 TTM boundary.

import { step, type Step } from './citations';
import { ttmHugeInsertion, vfioPciHugeFault } from './kernelTimeline';
import type { Profile } from './profiles';
import { eraAtOrThrow, type Timeline } from './versions';

export interface InTreeUser {
  id: 'ttm' | 'vfio-pci';
  file: string;
  present: boolean;
  steps: Step[];
}

const USERS: { id: InTreeUser['id']; file: string; timeline: Timeline<boolean> }[] = [
  { id: 'ttm', file: 'drivers/gpu/drm/ttm/ttm_bo_vm.c', timeline: ttmHugeInsertion },
  { id: 'vfio-pci', file: 'drivers/vfio/pci/vfio_pci_core.c', timeline: vfioPciHugeFault },
];

export function inTreeHugeUsers(p: Profile): InTreeUser[] {
  return USERS.map((u) => {
    const e = eraAtOrThrow(u.timeline, p.version, u.id);
    return { id: u.id, file: u.file, present: e.value, steps: [e.step] };
  });
}

/** fs/dax and device-dax insert devmap (≤6.16) or refcounted folio (6.15+) entries in every modelled version. */
export function daxUsersNote(): Step {
  return step('fs/dax.c and drivers/dax/device.c insert PFN_DEV|PFN_MAP (devmap) huge entries up to v6.14 and refcounted folios via vmf_insert_folio_pmd/pud from v6.15.', 'posting');
}
