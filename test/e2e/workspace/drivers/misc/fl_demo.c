// SPDX-License-Identifier: GPL-2.0
/*
 * fl_demo: a device whose BAR aperture is mapped to user space with PMD entries.
 *
 * This file deliberately has the bugs Faultline looks for; test/e2e/ opens it in
 * VS Code (code-server) and Neovim and checks what the editor shows.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

struct fl_dev {
	phys_addr_t bar_start;
	resource_size_t bar_len;
};

static vm_fault_t fl_demo_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct fl_dev *dev = vma->vm_private_data;
	unsigned long off = vmf->address - vma->vm_start;
	unsigned long pfn = PHYS_PFN(dev->bar_start + off);

	if (order != PMD_ORDER)
		return VM_FAULT_SIGBUS;

	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
				  vmf->flags & FAULT_FLAG_WRITE);
}

static vm_fault_t fl_demo_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct fl_dev *dev = vma->vm_private_data;
	unsigned long pfn = PHYS_PFN(dev->bar_start + (vmf->address - vma->vm_start));

	return vmf_insert_mixed(vmf, vmf->address, __pfn_to_pfn_t(pfn, PFN_DEV));
}

static const struct vm_operations_struct fl_demo_vm_ops = {
	.fault = fl_demo_fault,
	.huge_fault = fl_demo_huge_fault,
};

static int fl_demo_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &fl_demo_vm_ops;
	vma->vm_private_data = file->private_data;
	vm_flags_set(vma, VM_MIXEDMAP | VM_HUGEPAGE | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}

static const struct file_operations fl_demo_fops = {
	.owner = THIS_MODULE,
	.mmap = fl_demo_mmap,
};
