// SPDX-License-Identifier: GPL-2.0
/*
 * gup.c - faulting a range in on behalf of the kernel (mm/gup.c,
 * Linux 6.18): populate_vma_page_range() and __mm_populate(), which
 * mlock(), MAP_POPULATE and MAP_LOCKED use.  umm has no pinning users
 * (no I/O into user memory), so there is no get_user_pages() proper:
 * the walk faults each page in and touches it (FOLL_TOUCH), then drops
 * it, as __mm_populate()'s gup call does.
 *
 * Owns nothing: the PTEs are mm/memory.c's, the pages' flags mm/rmap.c's.
 *
 * Locking: mm->mmap_lock held by the caller (for writing in every umm
 * caller); the fault takes page_table_lock inside.
 */
#include <errno.h>
#include <umm/pagemap.h>
#include "internal.h"

/*
 * GUP's FOLL_TOUCH on the page it found: a write of a PTE that is not
 * dirty dirties the page (so a lazily freed page is no longer free to
 * drop), and the page is marked accessed (PG_referenced).
 */
static void follow_page_touch(struct vm_area_struct *vma, unsigned long addr,
			      pte_t *pte, bool write)
{
	/* acquire, as the MMU walks: the fault that set it published the page */
	pte_t v = __pte(get_entry_acquire(&pte->pte));
	struct page *page;

	if (!pte_present(v))
		return;
	page = vm_normal_page(vma, addr, v);
	if (!page)
		return;
	if (write && !pte_dirty(v) && !PageDirty(page))
		set_page_dirty(page);	/* folio_mark_dirty() */
	SetPageReferenced(page);
}

/*
 * populate_vma_page_range - fault in [start, end) of @vma as
 * __mm_populate() does: write faults (breaking COW) where the VMA is
 * private and writable, read faults elsewhere; nothing for PROT_NONE or
 * VM_IO/VM_PFNMAP.  mmap_lock held.  Returns 0 or -EFAULT/-ENOMEM at the
 * first page that cannot be faulted.
 */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end)
{
	bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	unsigned long addr;

	mmap_assert_locked(vma->vm_mm);
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return 0;
	if (!vma_is_accessible(vma))
		return -EFAULT;
	if (start < vma->vm_start)
		start = vma->vm_start;
	if (end > vma->vm_end)
		end = vma->vm_end;
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = pte_lookup(vma->vm_mm, addr);
		vm_fault_t ret;

		if (!pte || !pte_present(ptep_get(pte)) ||
		    (write && !pte_write(ptep_get(pte)))) {
			ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);
			if (ret & VM_FAULT_OOM)
				return -ENOMEM;
			if (ret & VM_FAULT_ERROR)
				return -EFAULT;
			pte = pte_lookup(vma->vm_mm, addr);
		}
		if (pte)
			follow_page_touch(vma, addr, pte, write);
	}
	return 0;
}

/* __mm_populate() over [start, end) of @mm; mmap_lock held. */
int mm_populate_locked(struct mm_struct *mm, unsigned long start, unsigned long end,
		       bool ignore_errors)
{
	struct vm_area_struct *vma;
	int ret;

	mmap_assert_locked(mm);
	for_each_vma_range(mm, vma, start, end) {
		if (vma->vm_flags & VM_LOCKONFAULT)
			continue;
		ret = populate_vma_page_range(vma, max(start, vma->vm_start),
					      min(end, vma->vm_end));
		if (ret && !ignore_errors)
			return ret;
	}
	return 0;
}
