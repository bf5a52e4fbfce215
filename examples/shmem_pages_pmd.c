// SPDX-License-Identifier: GPL-2.0
/*
 * Example written for Faultline (shows FL004 and FL012): a driver that backs a mapping with its
 * own 2 MiB page allocations and maps them with huge PFN entries. The pages have a struct page
 * and a refcount, but vmf_insert_pfn_pmd() installs an entry without a reference or rmap; and the
 * mmap handler sets VM_PFNMAP without refusing private writable (COW) mappings, which is a
 * BUG_ON in the insertion.
 *
 * Deliberately shows (npm run demo): FL001, FL002, FL004, FL008, FL009, FL012.
 */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/pfn_t.h>

struct pgbuf {
	struct page **chunks;	/* order-9 allocations */
	unsigned long nr_chunks;
};

static vm_fault_t pgbuf_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct pgbuf *buf = vmf->vma->vm_private_data;
	unsigned long addr = vmf->address & PMD_MASK;
	unsigned long idx = vmf->pgoff >> (PMD_SHIFT - PAGE_SHIFT);
	unsigned long pfn;

	if (order != PMD_ORDER || idx >= buf->nr_chunks)
		return VM_FAULT_FALLBACK;
	if (addr < vmf->vma->vm_start || addr + PMD_SIZE > vmf->vma->vm_end)
		return VM_FAULT_FALLBACK;
	pfn = page_to_pfn(buf->chunks[idx]);
	if (!IS_ALIGNED(pfn, PMD_SIZE >> PAGE_SHIFT))
		return VM_FAULT_FALLBACK;
	return vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV), vmf->flags & FAULT_FLAG_WRITE);
}

static const struct vm_operations_struct pgbuf_vm_ops = {
	.huge_fault = pgbuf_huge_fault,
};

static int pgbuf_mmap(struct file *filp, struct vm_area_struct *vma)
{
	vma->vm_ops = &pgbuf_vm_ops;
	vma->vm_private_data = filp->private_data;
	vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	return 0;
}
