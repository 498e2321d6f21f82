// SPDX-License-Identifier: GPL-2.0
/*
 * mlock.c - VM_LOCKED: mlock(), munlock(), mlockall() and munlockall()
 * (mm/mlock.c, Linux 6.18).
 *
 * Owns mm->locked_vm (the pages of VM_LOCKED VMAs; mlock_fixup() keeps it
 * their sum), the VM_LOCKED/VM_LOCKONFAULT bits of vm_flags and of
 * mm->def_flags; the pages' PG_mlocked and NR_MLOCK are mm/rmap.c's
 * (mlock_page()/munlock_page()), set here by walking the PTEs whenever
 * VM_LOCKED changes.
 *
 * The range walk is mprotect()'s (mm/mprotect.c): each piece goes through
 * vma_modify_flags(), and a hole stops the call with -ENOMEM (changes
 * made before it stay).  mlock() then faults the range in
 * (__mm_populate(), mm/gup.c) and fails the way it does on a VMA that
 * cannot be faulted (PROT_NONE): -ENOMEM, with VM_LOCKED set all the
 * same, and no pages for the VMAs after that one.  RLIMIT_MEMLOCK and
 * CAP_IPC_LOCK are checked as can_do_mlock() and mlock_future_ok()
 * (mm/mmap.c) do.  mlockall() locks every VMA now (MCL_CURRENT) and/or
 * every later one through mm->def_flags (MCL_FUTURE), munlockall() undoes
 * both.  mlock2(MLOCK_ONFAULT) is not implemented.
 *
 * Locking: each entry point takes mm->mmap_lock for writing; the PTE
 * walk takes page_table_lock inside it.
 */
#include <errno.h>
#include <sys/mman.h>
#include <umm/pagewalk.h>
#include <umm/rmap.h>
#include "internal.h"

static void mlock_vma_pages_range(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end);

/* mlock_fixup - set or clear VM_LOCKED on [start, end) of @vma, count locked_vm. */
static int mlock_fixup(struct vm_area_struct *vma, struct vm_area_struct **prev,
		       unsigned long start, unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nr_pages;

	/* Special mappings are never locked, and not counted. */
	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_HUGETLB | VM_DROPPABLE)))
		goto out;
	vma = vma_modify_flags(*prev, vma, start, end, newflags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);
	nr_pages = (long)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += nr_pages;
	vma->vm_flags = newflags;
	/* mlocking twice would be wrong: only a change of VM_LOCKED walks */
	if ((newflags ^ oldflags) & VM_LOCKED)
		mlock_vma_pages_range(vma, start, end);
out:
	*prev = vma;
	return 0;
}

static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start,
				unsigned long len, vm_flags_t flags)
{
	unsigned long nstart, end, tmp;
	struct vm_area_struct *vma, *prev;
	int error;

	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = vma->vm_prev;
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	for (; vma && vma->vm_start < end; vma = prev->vm_next) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = vma->vm_end;
		if (tmp > end)
			tmp = end;
		error = mlock_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		tmp = prev->vm_end;
		nstart = tmp;
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/* Pages of [start, start + len) that are VM_LOCKED already. */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm,
					      unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma;
	unsigned long count = 0, end;

	end = (~0UL - len < start) ? ~0UL : start + len;
	for_each_vma_range(mm, vma, start, end) {
		if (vma->vm_flags & VM_LOCKED) {
			if (start > vma->vm_start)
				count -= start - vma->vm_start;
			if (end < vma->vm_end) {
				count += end - vma->vm_start;
				break;
			}
			count += vma->vm_end - vma->vm_start;
		}
	}
	return count >> PAGE_SHIFT;
}

/*
 * What __mm_populate() would say about [start, end): it faults the range
 * VMA by VMA and stops at the first that cannot be faulted.  A VMA with
 * no access (PROT_NONE) fails gup with -EFAULT, and so does a file page
 * past the end of the file (SIGBUS): a shmem object keeps the size it
 * was created with, so a shared anonymous mapping grown by mremap() has
 * such pages.
 */
static int mm_populate_check(struct mm_struct *mm, unsigned long start,
			     unsigned long end)
{
	struct vm_area_struct *vma;

	if (start >= end)
		return 0;
	for_each_vma_range(mm, vma, start, end) {
		if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_LOCKONFAULT))
			continue;
		if (!vma_is_accessible(vma))
			return -EFAULT;
		if (vma->vm_file && vma->vm_ops) {
			unsigned long last = min(end, vma->vm_end) - 1;
			unsigned long idx = vma->vm_pgoff +
				((last - vma->vm_start) >> PAGE_SHIFT);

			unsigned long size = file_size(vma->vm_file);

			if (idx >= (size >> PAGE_SHIFT) + !!(size & ~PAGE_MASK))
				return -EFAULT;
		}
	}
	return 0;
}

int umm_mlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long locked, lock_limit;
	int error = -ENOMEM;

	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	if (!can_do_mlock(mm))
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	lock_limit = mm->limits.memlock >> PAGE_SHIFT;
	locked = len >> PAGE_SHIFT;

	mmap_write_lock(mm);
	locked += mm->locked_vm;
	if (locked > lock_limit && !mm->limits.cap_ipc_lock)
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked <= lock_limit || mm->limits.cap_ipc_lock)
		error = apply_vma_lock_flags(mm, start, len, VM_LOCKED);
	if (!error) {
		/*
		 * __mm_populate(): fault the range in VMA by VMA, stopping at
		 * the first that cannot be (the VMAs after it get no pages);
		 * the check says how it ends.  __mlock_posix_error_return():
		 * -EFAULT is -ENOMEM, and running out of memory (-ENOMEM)
		 * is -EAGAIN.
		 */
		error = len ? mm_populate_locked(mm, start, start + len, false) : 0;
		if (!error)
			error = mm_populate_check(mm, start, start + len);
		if (error)
			error = error == -ENOMEM ? -EAGAIN : -ENOMEM;
	}
	mmap_write_unlock(mm);
	return error;
}

int umm_munlock(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	int ret;

	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	ret = apply_vma_lock_flags(mm, start, len, 0);
	mmap_write_unlock(mm);
	return ret;
}

/* ---- mlockall() and munlockall() ---- */

#ifndef MCL_ONFAULT
#define MCL_ONFAULT	4
#endif

/*
 * apply_mlockall_flags - MCL_FUTURE sets the VM_LOCKED (and, with
 * MCL_ONFAULT, VM_LOCKONFAULT) that every later mapping gets in
 * mm->def_flags; MCL_CURRENT sets them on every VMA now; no flags clear
 * both.  Failures on single VMAs are ignored, as the kernel does.
 */
static void apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL, *next;
	vm_flags_t to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = mm->mmap; vma; vma = next) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;

		next = vma->vm_next;
		if (!mlock_fixup(vma, &prev, vma->vm_start, vma->vm_end, newflags))
			next = prev->vm_next;	/* prev covers the VMA now, merged or not */
		else
			prev = vma;
	}
}

/* Linux's mlockall() flag checks: -EINVAL for none, unknown, or MCL_ONFAULT alone. */
static bool mlockall_flags_valid(int flags)
{
	return flags && !(flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) &&
	       flags != MCL_ONFAULT;
}

/*
 * umm_mlockall - mlockall(): with MCL_CURRENT the whole address space
 * must fit RLIMIT_MEMLOCK (total_vm, not what is locked already) unless
 * CAP_IPC_LOCK, else -ENOMEM; then every VMA is faulted in, errors
 * ignored (mm_populate(0, TASK_SIZE)).
 */
int umm_mlockall(struct mm_struct *mm, int flags)
{
	int ret = -ENOMEM;

	VM_CHECK_MM(mm);
	if (!mm || !mlockall_flags_valid(flags))
		return -EINVAL;
	if (!can_do_mlock(mm))
		return -EPERM;
	mmap_write_lock(mm);
	if (!(flags & MCL_CURRENT) || mm->total_vm <= mm->limits.memlock >> PAGE_SHIFT ||
	    mm->limits.cap_ipc_lock) {
		apply_mlockall_flags(mm, flags);
		ret = 0;
	}
	if (!ret && (flags & MCL_CURRENT))
		mm_populate_locked(mm, 0, ~0UL, true);
	mmap_write_unlock(mm);
	return ret;
}

int umm_munlockall(struct mm_struct *mm)
{
	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	apply_mlockall_flags(mm, 0);
	mmap_write_unlock(mm);
	return 0;
}

/* ---- the pages (mlock_vma_pages_range) ---- */

/* mlock_pte_range(): as the VMA's VM_LOCKED says now. */
static int mlock_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
			   struct mm_walk *walk)
{
	pte_t v;
	struct page *page = walk_pte_page(pte, addr, walk, &v);

	(void)next;
	if (!page)
		return 0;
	if (walk->vma->vm_flags & VM_LOCKED)
		mlock_page(page);
	else
		munlock_page(page);
	return 0;
}

/*
 * mlock_vma_pages_range - @vma's VM_LOCKED just changed: mlock (or
 * munlock) the pages mapped in [start, end), as mlock_pte_range() does.
 * mmap_lock held for writing.
 */
static void mlock_vma_pages_range(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end)
{
	static const struct mm_walk_ops ops = { .pte_entry = mlock_pte_entry };

	mmap_assert_write_locked(vma->vm_mm);
	if (vma->vm_mm->pgd && !(vma->vm_flags & VM_SPECIAL) && start < end)
		walk_page_range_vma(vma, start, end, &ops, NULL);
}
