// SYNTAX TEST "source.c" "Faultline MM/GUP vocabulary injected into C"

static vm_fault_t mydev_huge_fault(struct vm_fault *vmf, unsigned int order)
//     ^^^^^^^^^^ support.type.mm.faultline
//                                        ^^^^^^^^ support.type.mm.faultline
{
	const pfn_t pfn = __pfn_to_pfn_t(base >> PAGE_SHIFT, PFN_DEV | PFN_MAP);
//     ^^^^^ support.type.mm.faultline
//                 ^^^^^^^^^^^^^^ support.function.mm.faultline
//                                        ^^^^^^^^^^ constant.other.mm-size.faultline
//                                                    ^^^^^^^ constant.other.pfn-flag.faultline
//                                                              ^^^^^^^ constant.other.pfn-flag.faultline

	if (order != PMD_ORDER)
//            ^^^^^^^^^ constant.other.mm-size.faultline
		return VM_FAULT_FALLBACK;
//       ^^^^^^^^^^^^^^^^^ constant.other.vm-fault.faultline
	return vmf_insert_pfn_pmd(vmf, pfn, vmf->flags & FAULT_FLAG_WRITE);
//      ^^^^^^^^^^^^^^^^^^ support.function.mm.insert.faultline
//                                                ^^^^^^^^^^^^^^^^ - support.function.mm.faultline constant.other.vm-fault.faultline
}

static int mydev_mmap(struct file *file, struct vm_area_struct *vma)
//                                              ^^^^^^^^^^^^^^ support.type.mm.faultline
{
	if (vma) vm_flags_set(vma, VM_PFNMAP | VM_MIXEDMAP | VM_IO | VM_DONTEXPAND | VM_HUGEPAGE);
//        ^^^^^^^^^^^^ support.function.mm.faultline
//                          ^^^^^^^^^ constant.other.vma-flag.faultline
//                                      ^^^^^^^^^^^ constant.other.vma-flag.faultline
//                                                    ^^^^^ constant.other.vma-flag.faultline
//                                                            ^^^^^^^^^^^^^ constant.other.vma-flag.faultline
//                                                                            ^^^^^^^^^^^ constant.other.vma-flag.faultline
	return 0;
}

static const struct vm_operations_struct mydev_vm_ops = {
//                  ^^^^^^^^^^^^^^^^^^^^ support.type.mm.faultline
	.fault = mydev_fault,
//^^^^^ variable.other.member.vm-ops.faultline
	.huge_fault = mydev_huge_fault,
//^^^^^^^^^^ variable.other.member.huge-fault.faultline
//             ^^^^^^^^^^^^^^^^ - variable.other.member.huge-fault.faultline
};

#if IS_ENABLED(CONFIG_ARCH_SUPPORTS_PMD_PFNMAP)
//             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ constant.other.kconfig.mm.faultline
static vm_fault_t old_api(struct vm_fault *vmf, enum page_entry_size pe_size)
//                                                   ^^^^^^^^^^^^^^^ support.type.mm.faultline
{
	if (pe_size == PE_SIZE_PUD)
//              ^^^^^^^^^^^ constant.other.page-entry-size.faultline
		return vmf_insert_pfn_pud_prot(vmf, pfn, pgprot, true);
//       ^^^^^^^^^^^^^^^^^^^^^^^ support.function.mm.insert.faultline
	ret = pin_user_pages_fast(addr, 1, FOLL_WRITE | FOLL_LONGTERM, &page);
//     ^^^^^^^^^^^^^^^^^^^ support.function.mm.faultline
//                                  ^^^^^^^^^^ constant.other.foll-flag.faultline
//                                               ^^^^^^^^^^^^^ constant.other.foll-flag.faultline
	return VM_FAULT_SIGBUS | VM_FAULT_NOPAGE;
//      ^^^^^^^^^^^^^^^ constant.other.vm-fault.faultline
//                        ^^^^^^^^^^^^^^^ constant.other.vm-fault.faultline
}
#endif

/* vmf_insert_pfn_pmd VM_FAULT_FALLBACK in a comment stays a comment */
// ^^^^^^^^^^^^^^^^^^ comment.block.c - support.function.mm.insert.faultline
//                    ^^^^^^^^^^^^^^^^^ comment.block.c - constant.other.vm-fault.faultline
const char *s = "vmf_insert_pfn_pmd";
//               ^^^^^^^^^^^^^^^^^^ string.quoted.double.c - support.function.mm.insert.faultline
int my_vmf_insert_pfn_pmd_count;
//  ^^^^^^^^^^^^^^^^^^^^^^^^^^^ - support.function.mm.insert.faultline

