// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect.c - changing the protection of a range (mm/mprotect.c,
 * Linux 6.18): mprotect() on the VMAs, and change_protection() on the
 * PTEs below them.
 *
 * mprotect() walks the VMAs of [start, end) and hands each piece to
 * vma_modify_flags() (mm/vma.c), which merges the piece with a matching
 * neighbour or splits it off; it stops at the first hole with -ENOMEM
 * (changes made before it stay).  mlock() (mm/mlock.c) and madvise()
 * (mm/madvise.c) walk the same way with their own rules for holes.
 *
 * Commit accounting (VM_ACCOUNT) in mprotect_fixup():
 *  - a private mapping that becomes writable is charged (and gets
 *    VM_ACCOUNT) unless it already is, or is shared, or VM_NORESERVE;
 *  - it stays charged when made read-only again, except an anonymous one
 *    that never faulted (no anon_vma): then the charge goes back;
 *  so   PROT_NONE --rw--> ac --r--> (no ac)   for fresh anonymous memory.
 *
 * Pages: change_protection() rewrites the PTEs to the VMA's new
 * vm_page_prot and makes writable at once what the write fault would
 * (can_change_pte_writable()).  pkeys are not implemented.
 *
 * Locking: umm_mprotect() takes mm->mmap_lock for writing;
 * change_protection() takes page_table_lock inside it.
 */
#include <errno.h>
#include <sys/mman.h>
#include <umm/rmap.h>
#include "internal.h"

#ifndef PROT_GROWSDOWN
#define PROT_GROWSDOWN	0x01000000
#endif
#ifndef PROT_GROWSUP
#define PROT_GROWSUP	0x02000000
#endif
#ifndef PROT_SEM
#define PROT_SEM	0x8
#endif

static inline vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* ---- the VMAs ---- */

/*
 * mprotect_fixup - give [start, end) of @vma the flags @newflags, with the
 * commit accounting above.  *@pprev becomes the VMA now covering the range.
 */
static int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			  unsigned long start, unsigned long end,
			  vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nrpages = (long)((end - start) >> PAGE_SHIFT);
	long charged = 0;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	if (newflags & VM_WRITE) {
		/* Check space limits when area turns into data. */
		if (!may_expand_vm(mm, newflags, (unsigned long)nrpages) &&
		    may_expand_vm(mm, oldflags, (unsigned long)nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
				  VM_SHARED | VM_NORESERVE))) {
			charged = nrpages;
			if (security_vm_enough_memory_mm(mm, charged))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) &&
		   !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}

	vma = vma_modify_flags(*pprev, vma, start, end, newflags);
	if (IS_ERR(vma)) {
		vm_unacct_memory(charged);
		return (int)PTR_ERR(vma);
	}
	*pprev = vma;
	vma->vm_flags = newflags;
	vma_set_page_prot(vma);
	change_protection(vma, start, end);
	/* a locked private mapping made writable breaks COW now, as mlock would */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
	    (newflags & VM_WRITE))
		populate_vma_page_range(vma, start, end);
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory(nrpages);
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
}

static int do_mprotect_pkey(struct mm_struct *mm, unsigned long start,
			    unsigned long len, unsigned long prot)
{
	unsigned long nstart, end, tmp;
	struct vm_area_struct *vma, *prev;
	const unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	int error;

	prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))	/* can't be both */
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;		/* arch_validate_prot() */

	mmap_write_lock(mm);
	error = -ENOMEM;
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		goto out;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			goto out;
		start = vma->vm_start;
		error = -EINVAL;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto out;
	} else {
		if (vma->vm_start > start)
			goto out;
		if (grows & PROT_GROWSUP) {
			error = -EINVAL;	/* no VM_GROWSUP on x86 */
			goto out;
		}
	}
	prev = vma->vm_prev;
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	for (; vma && vma->vm_start < end; vma = prev->vm_next) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		/* Each call passes r/w/x explicitly: what is not passed goes. */
		newflags = calc_vm_prot_bits(prot) | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* newflags >> 4 shifts VM_MAY% into the place of VM_% */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = vma->vm_end;
		if (tmp > end)
			tmp = end;
		error = mprotect_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			break;
		tmp = prev->vm_end;
		nstart = tmp;
	}
	if (!error && tmp < end)
		error = -ENOMEM;
out:
	mmap_write_unlock(mm);
	return error;
}

int umm_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len, int prot)
{
	VM_CHECK_MM(mm);

	if (!mm)
		return -EINVAL;
	return do_mprotect_pkey(mm, addr, len, (unsigned int)prot);
}

/* ---- the PTEs (change_protection) ---- */

/* vma_wants_manual_pte_write_upgrade() */
static bool vma_wants_manual_pte_write_upgrade(struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED)
		return vma->vm_file && !vma->vm_file->f_shmem && (vma->vm_flags & VM_WRITE);
	return vma->vm_flags & VM_WRITE;
}

static inline bool pte_protnone(pte_t pte)
{
	return (pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE;
}

/* can_change_pte_writable(): could the write fault handler just set RW? */
static bool can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr,
				    pte_t pte)
{
	struct page *page;

	if (pte_protnone(pte))
		return false;
	/* soft-dirty tracking needs the write fault (VM_SOFTDIRTY off) */
	if (!(vma->vm_flags & VM_SOFTDIRTY) && !pte_soft_dirty(pte))
		return false;
	if (!(vma->vm_flags & VM_SHARED)) {
		page = vm_normal_page(vma, addr, pte);
		return page && PageAnon(page) && PageAnonExclusive(page);
	}
	return pte_dirty(pte);
}

/*
 * change_protection - the PTEs of [start, end) of @vma take its new
 * vm_page_prot; pages that the write fault would make writable anyway
 * are made writable now.  mmap_lock held for writing.
 */
void change_protection(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	bool try_writable = vma_wants_manual_pte_write_upgrade(vma);
	pgprotval_t newprot = vma->vm_page_prot;
	unsigned long addr;

	mmap_assert_write_locked(vma->vm_mm);
	if (!mm->pgd)
		return;
	mutex_lock(&mm->page_table_lock);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = pte_lookup(mm, addr);
		pte_t old, ptent;

		if (!pte) {
			addr = pmd_addr_end(addr, end) - PAGE_SIZE;
			continue;
		}
		old = ptep_get(pte);
		if (pte_none(old))
			continue;
		ptent = pte_modify(old, newprot);
		if (is_zero_pfn(pte_pfn(ptent)))
			ptent = pte_wrprotect(ptent);
		else if (try_writable && !pte_write(ptent) &&
			 can_change_pte_writable(vma, addr, ptent))
			ptent = pte_mkwrite(ptent);
		set_pte(pte, ptent);
	}
	mutex_unlock(&mm->page_table_lock);
}
