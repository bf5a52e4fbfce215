// Shared fixtures for the model tests.
import { mustParseProfile, plainVma, type Profile, type VmaFlags } from '../../server/src/model';

export const P = (text: string): Profile => mustParseProfile(text);

/** TTM (v5.x) mmap: VM_MIXEDMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP, shared. */
export const TTM_VMA: VmaFlags = plainVma({ mixedmap: true, io: true, shared: true });
/** vfio-pci / later TTM: VM_PFNMAP | VM_IO, COW rejected. */
export const PFNMAP_IO_VMA: VmaFlags = plainVma({ pfnmap: true, io: true, shared: true });
/** device-dax: no PFNMAP/MIXEDMAP, VM_HUGEPAGE, shared, DAX (not fs-dax). */
export const DEVDAX_VMA: VmaFlags = plainVma({ dax: true, fsdax: false, hugepage: true, shared: true });
