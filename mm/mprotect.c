// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect.c - the calls that change the flags of a range of VMAs:
 * mprotect() (mm/mprotect.c), mlock()/munlock() (mm/mlock.c) and the
 * flag-changing madvise() advices (mm/madvise.c), Linux 6.18.
 *
 * All three walk the VMAs of [start, end) and hand each piece to
 * vma_modify_flags() (mm/vma.c), which merges the piece with a matching
 * neighbour or splits it off; the kernel's rules for holes differ and are
 * kept: mprotect() and mlock() stop at the first hole with -ENOMEM
 * (changes made before it stay), madvise() skips holes, finishes the
 * range and then returns -ENOMEM.
 *
 * Commit accounting (VM_ACCOUNT) in mprotect_fixup():
 *  - a private mapping that becomes writable is charged (and gets
 *    VM_ACCOUNT) unless it already is, or is shared, or VM_NORESERVE;
 *  - it stays charged when made read-only again, except an anonymous one
 *    that never faulted (no anon_vma): then the charge goes back;
 *  so   PROT_NONE --rw--> ac --r--> (no ac)   for fresh anonymous memory.
 *
 * Pages (mm/memory.c): mprotect() rewrites the PTEs (change_protection),
 * mlock() faults the range in (__mm_populate) and fails the way it does
 * on a VMA that cannot be faulted (PROT_NONE): -ENOMEM, with VM_LOCKED
 * set all the same, and no pages for the VMAs after that one.
 * MADV_DONTNEED zaps, MADV_FREE makes exclusive anonymous pages clean and
 * lazily freeable; MADV_COLD and MADV_PAGEOUT
 * walk the page tables as madvise_cold_or_pageout_pte_range() does (see
 * there: what reclaim would do with no swap); MADV_WILLNEED reads a
 * file's range into the page cache (force_page_cache_readahead()).
 * Advices umm does not model (MADV_REMOVE, MADV_POPULATE_*, KSM,
 * MADV_COLLAPSE, guard regions, hwpoison) return -EINVAL.
 * mlock2(), mlockall() and pkeys are not implemented.  Files for mlock
 * and madvise live here because they share mprotect's range walk.
 *
 * Locking: each entry point takes mm->mmap_lock for writing.
 */
#include <errno.h>
#include <sys/mman.h>
#include <umm/pagemap.h>
#include <umm/pagewalk.h>
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
#ifndef MADV_DONTNEED_LOCKED
#define MADV_DONTNEED_LOCKED	24
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#define MADV_GUARD_REMOVE	103
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif

static inline vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* ---- mprotect ---- */

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
	if (!mm)
		return -EINVAL;
	return do_mprotect_pkey(mm, addr, len, (unsigned int)prot);
}

/* ---- mlock ---- */

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

	if (!mm)
		return -EINVAL;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	ret = apply_vma_lock_flags(mm, start, len, 0);
	mmap_write_unlock(mm);
	return ret;
}

/* ---- madvise ---- */

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK: case MADV_DONTFORK: case MADV_NORMAL:
	case MADV_SEQUENTIAL: case MADV_RANDOM: case MADV_REMOVE:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
	case MADV_FREE: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_COLLAPSE:
	case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_GUARD_INSTALL: case MADV_GUARD_REMOVE:
	case MADV_SOFT_OFFLINE: case MADV_HWPOISON:
		return true;
	default:
		return false;
	}
}

/* The advices umm models (see the head comment for the rest). */
static bool madvise_behavior_modelled(int behavior)
{
	switch (behavior) {
	case MADV_REMOVE: case MADV_POPULATE_READ: case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_COLLAPSE:
	case MADV_GUARD_INSTALL: case MADV_GUARD_REMOVE:
	case MADV_SOFT_OFFLINE: case MADV_HWPOISON:
		return false;
	default:
		return true;
	}
}

static int madvise_update_vma(struct vm_area_struct *vma, struct vm_area_struct **prev,
			      unsigned long start, unsigned long end,
			      vm_flags_t new_flags)
{
	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(*prev, vma, start, end, new_flags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);
	*prev = vma;
	vma->vm_flags = new_flags;
	return 0;
}

/*
 * MADV_COLD and MADV_PAGEOUT on the pages only this PTE maps
 * (madvise_cold_or_pageout_pte_range(), Linux 6.18): both clear
 * PG_referenced, COLD also the PTE's accessed bit.  PAGEOUT then hands
 * them to reclaim (shrink_folio_list()), which with no swap (umm has
 * none) can only
 *  - unmap a file or shmem page (try_to_unmap(); a dirty PTE's dirt moves
 *    to the page), and drop it from the page cache if it is clean (a
 *    shmem page never written reads back as zeroes anyway); a dirty one
 *    stays cached.  Not if the VMA is a file the caller may not write
 *    (can_do_file_pageout(): umm asks the open mode, not the owner);
 *  - drop an anonymous page that is not PG_swapbacked: a clean lazily
 *    freed one (MADV_FREE; one written since is dirty and becomes an
 *    ordinary page again, PG_swapbacked, as try_to_unmap_one() does),
 *    and any MAP_DROPPABLE one, dirty or not;
 *  - and keep every other anonymous page, which would need swap.
 * The pages to unmap are collected under the PTE lock (a cached page with
 * a reference, to drop it from the cache after) and zapped after it.
 */
static int madvise_cold_or_pageout_pte_range(pmd_t *pmd, unsigned long addr,
					     unsigned long end, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->vma;
	struct mm_struct *mm = walk->mm;
	bool pageout = walk->private != NULL;
	bool file_ok = vma_is_anonymous(vma) || (vma->vm_file &&
			(vma->vm_file->f_shmem || (vma->vm_file->f_mode & FMODE_WRITE)));
	struct page *drop[PTRS_PER_PTE];
	unsigned long at[PTRS_PER_PTE];
	pte_t *pte = pte_offset_map(pmd, addr);
	unsigned int n = 0;

	pthread_mutex_lock(&mm->page_table_lock);
	for (; addr < end; pte++, addr += PAGE_SIZE) {
		pte_t v = ptep_get(pte);
		struct page *page;

		if (!pte_present(v))
			continue;
		page = vm_normal_page(vma, addr, v);
		if (!page || page_mapcount(page) != 1)
			continue;	/* the zero page; other mappings' pages */
		if (pageout && !file_ok && !PageAnon(page))
			continue;	/* pageout_anon_only_filter */
		if (!pageout && pte_young(v))
			set_pte(pte, pte_mkold(v));
		ClearPageReferenced(page);
		if (!pageout)
			continue;
		if (PageMlocked(page))
			continue;	/* unevictable (a stale one too) */
		if (PageAnon(page) && PageSwapBacked(page))
			continue;	/* no swap to write it to */
		if (PageAnon(page) && !(vma->vm_flags & VM_DROPPABLE) &&
		    (pte_dirty(v) || PageDirty(page))) {
			SetPageSwapBacked(page);	/* written since MADV_FREE */
			continue;
		}
		/* a cached page outlives the zap: keep it to look at after */
		drop[n] = PageAnon(page) ? NULL : page;
		if (drop[n])
			get_page(page);
		at[n++] = addr;
	}
	pthread_mutex_unlock(&mm->page_table_lock);
	for (unsigned int i = 0; i < n; i++) {
		struct page *page = drop[i];

		zap_page_range_single(vma, at[i], at[i] + PAGE_SIZE);
		if (!page)
			continue;
		if (page->mapping && !PageDirty(page) && !page_mapcount(page))
			delete_from_page_cache(page);
		put_page(page);
	}
	return 0;
}

static const struct mm_walk_ops cold_walk_ops = {
	.pmd_entry = madvise_cold_or_pageout_pte_range,
};

/* madvise_vma_behavior - apply @behavior to [start, end) of @vma. */
static int madvise_vma_behavior(struct vm_area_struct *vma, struct vm_area_struct **prev,
				unsigned long start, unsigned long end, int behavior)
{
	vm_flags_t new_flags = vma->vm_flags;

	switch (behavior) {
	case MADV_WILLNEED:
		*prev = vma;
		/* madvise_willneed(): a file's range into its page cache */
		if (vma->vm_file && vma->vm_file->f_mapping)
			force_page_cache_readahead(vma->vm_file->f_mapping,
						   linear_page_index(vma, start),
						   (end - start) >> PAGE_SHIFT);
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		*prev = vma;
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;		/* !can_madv_lru_vma() */
		/* private: non-NULL for PAGEOUT */
		walk_page_range_vma(vma, start, end, &cold_walk_ops,
				    behavior == MADV_PAGEOUT ? vma : NULL);
		return 0;
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		*prev = vma;
		if (vma->vm_flags & VM_PFNMAP)
			return -EINVAL;
		if (behavior != MADV_DONTNEED_LOCKED && (vma->vm_flags & VM_LOCKED))
			return -EINVAL;
		if (behavior == MADV_FREE && !vma_is_anonymous(vma))
			return -EINVAL;		/* MADV_FREE: anonymous only */
		if (behavior == MADV_FREE)
			madvise_free_range(vma, start, end);
		else
			zap_page_range_single(vma, start, end);
		return 0;
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (new_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (new_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		if (new_flags & VM_DROPPABLE)
			return -EINVAL;
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if ((new_flags & VM_SPECIAL) || (new_flags & VM_DROPPABLE))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_HUGEPAGE:
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	default:
		return -EINVAL;
	}
	return madvise_update_vma(vma, prev, start, end, new_flags);
}

int umm_madvise(struct mm_struct *mm, unsigned long start, unsigned long len_in,
		int behavior)
{
	struct vm_area_struct *vma, *prev;
	unsigned long end, len, tmp;
	int error, unmapped_error = 0;

	if (!mm)
		return -EINVAL;
	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)		/* rounded up from small -ve to zero */
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (!madvise_behavior_modelled(behavior))
		return -EINVAL;

	mmap_write_lock(mm);
	vma = find_vma_prev(mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma) {
			error = -ENOMEM;
			goto out;
		}
		/* A hole: remember it, go on with the next VMA. */
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = vma->vm_end;
		if (end < tmp)
			tmp = end;
		error = madvise_vma_behavior(vma, &prev, start, tmp, behavior);
		if (error)
			goto out;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = prev ? prev->vm_next : find_vma(mm, start);
	}
	error = unmapped_error;
out:
	mmap_write_unlock(mm);
	return error;
}
