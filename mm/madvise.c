// SPDX-License-Identifier: GPL-2.0
/*
 * madvise.c - madvise() (mm/madvise.c, Linux 6.18).
 *
 * The advices that change vm_flags (MADV_DONTFORK, MADV_DONTDUMP, ...)
 * walk the VMAs as mprotect() does (mm/mprotect.c) and modify each piece
 * with vma_modify_flags(); unlike mprotect(), madvise() skips holes,
 * finishes the range and then returns -ENOMEM.
 *
 * The advices on pages: MADV_DONTNEED zaps, MADV_FREE makes exclusive
 * anonymous pages clean and lazily freeable; MADV_COLD and MADV_PAGEOUT
 * walk the page tables as madvise_cold_or_pageout_pte_range() does (see
 * there: what reclaim would do with no swap); MADV_WILLNEED reads a
 * file's range into the page cache (force_page_cache_readahead()).
 * Advices umm does not model (MADV_REMOVE, MADV_POPULATE_*, KSM,
 * MADV_COLLAPSE, guard regions, hwpoison) return -EINVAL.
 *
 * Owns nothing of its own: vm_flags are the VMA's, the PTEs
 * mm/memory.c's, PG_swapbacked/PG_dirty the page's.
 *
 * Locking: umm_madvise() takes mm->mmap_lock for writing (the kernel
 * takes it for reading for the advices that do not change vm_flags); the
 * PTE walks take page_table_lock inside it.
 */
#include <errno.h>
#include <sys/mman.h>
#include <umm/pagemap.h>
#include <umm/pagewalk.h>
#include <umm/rmap.h>
#include "internal.h"

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

/*
 * madvise_free_pte_range - MADV_FREE on anonymous pages: pages only we
 * map become clean and lazily freeable (!PG_swapbacked, which smaps
 * counts as LazyFree); shared ones are left alone.  With no reclaim they
 * stay mapped.  Under page_table_lock (the walker's).
 */
static int madvise_free_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
				  struct mm_walk *walk)
{
	pte_t v;
	struct page *page = walk_pte_page(pte, addr, walk, &v);

	lockdep_assert_held(&walk->mm->page_table_lock);
	(void)next;
	if (!page || !PageAnon(page) || page_mapcount(page) != 1)
		return 0;
	ClearPageDirty(page);
	if (pte_young(v) || pte_dirty(v))
		set_pte(pte, pte_mkold(pte_mkclean(v)));
	ClearPageSwapBacked(page);
	return 0;
}

/* MADV_FREE on [start, end) of anonymous @vma; mmap_lock held for writing. */
static void madvise_free_range(struct vm_area_struct *vma, unsigned long start,
			       unsigned long end)
{
	static const struct mm_walk_ops ops = { .pte_entry = madvise_free_pte_entry };

	mmap_assert_write_locked(vma->vm_mm);
	if (vma->vm_mm->pgd && start < end)
		walk_page_range_vma(vma, start, end, &ops, NULL);
}

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

	mutex_lock(&mm->page_table_lock);
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
	mutex_unlock(&mm->page_table_lock);
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

	VM_CHECK_MM(mm);
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
