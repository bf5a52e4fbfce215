// SPDX-License-Identifier: GPL-2.0
/*
 * Example written for Faultline: device memory with a dev_pagemap (ZONE_DEVICE), mapped with
 * devmap PMDs in the style of device-dax before 6.15. PFN_DEV|PFN_MAP makes the entry devmap on
 * arches with ARCH_HAS_PTE_DEVMAP, so GUP-fast takes pagemap references legitimately; pfn_t and
 * the PFN_* flags are gone in 6.17.
 *
 * Deliberately shows (npm run demo): FL008, FL009 under 5.11 (6.6+ code); none under 6.12 (devmap, checked).
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

struct devmem {
	phys_addr_t base;
	unsigned long size;
	unsigned long align;
};

static vm_fault_t devmem_pmd_fault(struct vm_fault *vmf, struct devmem *dm)
{
	unsigned long pmd_addr = vmf->address & PMD_MASK;
	phys_addr_t phys;
	pfn_t pfn;

	if (dm->align > PMD_SIZE)
		return VM_FAULT_SIGBUS;
	if (dm->align < PMD_SIZE)
		return VM_FAULT_FALLBACK;
	if (pmd_addr < vmf->vma->vm_start ||
	    pmd_addr + PMD_SIZE > vmf->vma->vm_end)
		return VM_FAULT_SIGBUS;

	phys = dm->base + ((pmd_addr - vmf->vma->vm_start) & ~(PMD_SIZE - 1));
	if (!IS_ALIGNED(phys, PMD_SIZE))
		return VM_FAULT_FALLBACK;
	pfn = phys_to_pfn_t(phys, PFN_DEV | PFN_MAP);
	return vmf_insert_pfn_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);
}

static vm_fault_t devmem_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct devmem *dm = vmf->vma->vm_file->private_data;

	if (order == PMD_ORDER)
		return devmem_pmd_fault(vmf, dm);
	return VM_FAULT_FALLBACK;
}

static const struct vm_operations_struct devmem_vm_ops = {
	.huge_fault = devmem_huge_fault,
};

static int devmem_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_MAYSHARE))
		return -EINVAL;
	vma->vm_ops = &devmem_vm_ops;
	vm_flags_set(vma, VM_HUGEPAGE);
	return 0;
}
