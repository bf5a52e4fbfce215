// SPDX-License-Identifier: MIT
/*
 * Example written for Faultline: a GPU buffer-object driver in the style of the 2021 TTM huge
 * page fault code. It maps VRAM/iomem (no struct page) with huge PMD/PUD entries built from a
 * PFN_DEV-only pfn_t. On kernels without pmd_special (everything before 6.12, and arches without
 * ARCH_SUPPORTS_PMD_PFNMAP after it) lockless GUP-fast treats such a PMD as a THP.
 *
 * Deliberately shows (npm run demo): FL001, FL002, FL005, FL008, FL009, FL011 (FL010 under 6.1).
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

struct gbo {
	unsigned long base_pfn;
	unsigned long num_pages;
	bool is_iomem;
};

static vm_fault_t gbo_insert_huge(struct vm_fault *vmf, struct gbo *bo,
				  unsigned long page_offset, unsigned long fault_pages)
{
	unsigned long pfn;
	pfn_t pfnt;
	vm_fault_t ret;

	page_offset &= ~(fault_pages - 1);
	if (page_offset + fault_pages > bo->num_pages)
		goto out_fallback;

	pfn = bo->base_pfn + page_offset;
	if ((pfn & (fault_pages - 1)) != 0)
		goto out_fallback;

	pfnt = __pfn_to_pfn_t(pfn, PFN_DEV);
	if (fault_pages == (HPAGE_PMD_SIZE >> PAGE_SHIFT))
		ret = vmf_insert_pfn_pmd_prot(vmf, pfnt, vmf->vma->vm_page_prot, true);
	else
		ret = vmf_insert_pfn_pud_prot(vmf, pfnt, vmf->vma->vm_page_prot, true);

	if (ret != VM_FAULT_NOPAGE)
		goto out_fallback;
	return VM_FAULT_NOPAGE;

out_fallback:
	return VM_FAULT_FALLBACK;
}

static vm_fault_t gbo_huge_fault(struct vm_fault *vmf, enum page_entry_size pe_size)
{
	struct gbo *bo = vmf->vma->vm_private_data;
	unsigned long fault_pages;

	switch (pe_size) {
	case PE_SIZE_PMD:
		fault_pages = HPAGE_PMD_SIZE >> PAGE_SHIFT;
		break;
	case PE_SIZE_PUD:
		fault_pages = HPAGE_PUD_SIZE >> PAGE_SHIFT;
		break;
	default:
		return VM_FAULT_FALLBACK;
	}
	return gbo_insert_huge(vmf, bo, vmf->pgoff, fault_pages);
}

static vm_fault_t gbo_fault(struct vm_fault *vmf)
{
	struct gbo *bo = vmf->vma->vm_private_data;

	return vmf_insert_pfn(vmf->vma, vmf->address, bo->base_pfn + vmf->pgoff);
}

static const struct vm_operations_struct gbo_vm_ops = {
	.fault = gbo_fault,
	.huge_fault = gbo_huge_fault,
};

static int gbo_mmap(struct file *filp, struct vm_area_struct *vma)
{
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	vma->vm_ops = &gbo_vm_ops;
	vma->vm_private_data = filp->private_data;
	vma->vm_flags |= VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
	return 0;
}

static const struct file_operations gbo_fops = {
	.mmap = gbo_mmap,
};
