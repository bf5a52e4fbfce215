// SPDX-License-Identifier: GPL-2.0
/*
 * Example written for Faultline: a frame-buffer style driver with the mistakes reviewers keep
 * finding in huge fault handlers: SIGBUS instead of VM_FAULT_FALLBACK for an unsupported size,
 * no check that the whole huge range is inside the VMA, no pfn alignment check, a PUD insertion
 * outside CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD, and VM_MIXEDMAP without VM_IO.
 *
 * Deliberately shows (npm run demo): FL001–FL003, FL005–FL009, FL011.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

#define FBX_VM_FLAGS (VM_MIXEDMAP | VM_DONTEXPAND)

struct fbx {
	unsigned long pfn_base;
};

static vm_fault_t fbx_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct fbx *fb = vmf->vma->vm_private_data;
	unsigned long pfn = fb->pfn_base + vmf->pgoff;

	if (order == PMD_ORDER)
		return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), true);
	if (order == PUD_ORDER)
		return vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), true);
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct fbx_vm_ops = {
	.huge_fault = fbx_huge_fault,
};

static int fbx_mmap(struct file *filp, struct vm_area_struct *vma)
{
	vma->vm_ops = &fbx_vm_ops;
	vm_flags_set(vma, FBX_VM_FLAGS);
	return 0;
}
