// SPDX-License-Identifier: GPL-2.0
/*
 * Example written for Faultline: a PCI BAR mapping driver written for 6.6+ (`unsigned int order`
 * signature). Huge entries are only compiled where the architecture can mark them special
 * (ARCH_SUPPORTS_PMD/PUD_PFNMAP), and the handler checks range and pfn alignment and falls back.
 * This is the shape Faultline considers safe on 6.12.
 *
 * Deliberately shows (npm run demo): no error under 6.12 (FL009 under 5.11: written for 6.6+).
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

struct bar_map {
	phys_addr_t start;
	resource_size_t len;
};

static vm_fault_t bar_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct bar_map *bar = vma->vm_private_data;
	unsigned long addr = vmf->address & ~((PAGE_SIZE << order) - 1);
	unsigned long pgoff = (addr - vma->vm_start) >> PAGE_SHIFT;
	unsigned long pfn = PHYS_PFN(bar->start) + pgoff;
	vm_fault_t ret = VM_FAULT_FALLBACK;

	if (order && (addr < vma->vm_start ||
		      addr + (PAGE_SIZE << order) > vma->vm_end ||
		      pfn & ((1 << order) - 1)))
		return VM_FAULT_FALLBACK;

	switch (order) {
	case 0:
		ret = vmf_insert_pfn(vma, vmf->address, pfn);
		break;
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	case PMD_ORDER:
		ret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), false);
		break;
#endif
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	case PUD_ORDER:
		ret = vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), false);
		break;
#endif
	default:
		ret = VM_FAULT_FALLBACK;
	}
	return ret;
}

static vm_fault_t bar_fault(struct vm_fault *vmf)
{
	return bar_huge_fault(vmf, 0);
}

static const struct vm_operations_struct bar_vm_ops = {
	.fault = bar_fault,
#ifdef CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP
	.huge_fault = bar_huge_fault,
#endif
};

static int bar_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & VM_SHARED) == 0)
		return -EINVAL;
	vma->vm_ops = &bar_vm_ops;
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}
