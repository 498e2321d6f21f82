// SPDX-License-Identifier: GPL-2.0
/*
 * pagewalk.c - walk the page tables of a range of an address space and
 * call the caller's callbacks on what is there (mm/pagewalk.c, Linux
 * 6.18).  Users: /proc/PID/smaps and pagemap (fs/proc/task_mmu.c).
 *
 * Owns nothing: it only reads the tables.  The order of calls for one
 * VMA, as the kernel's walk_pgd_range() .. walk_pte_range():
 *
 *	pre_vma
 *	  for each pgd entry:  none -> pte_hole(depth 0), else pgd_entry
 *	    for each pud:      none -> pte_hole(depth 2), else pud_entry
 *	      for each pmd:    none -> pte_hole(depth 3), else pmd_entry
 *	        (unless the pmd_entry said ACTION_CONTINUE, or there is no
 *	         pte_entry) for each pte: pte_entry, pte_none ones too
 *	post_vma
 *
 * A level is only descended into if some callback below it exists, as in
 * the kernel.  umm has no huge entries, so there is nothing to split and
 * every present upper-level entry points to a table.  An mm whose pgd is
 * not allocated (no page was ever faulted in) is one hole at depth 0.
 *
 * Locking: the caller holds mmap_lock (for reading is enough), so no
 * table can be freed under us (free_pgtables() runs with it held for
 * writing).  Upper-level entries are read with acquire loads: a fault
 * may fill a none entry concurrently (publishing the zeroed table with a
 * release store, mm/memory.c), which the walk sees, table and all, or
 * does not.  The
 * PTE loop runs under mm->page_table_lock, as pte_offset_map_lock().
 */
#include <errno.h>
#include <umm/pagewalk.h>
#include "internal.h"

static int walk_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	pte_t *pte = pte_offset_map(pmd, addr);
	int err = 0;

	mutex_lock(&walk->mm->page_table_lock);
	for (;;) {
		err = walk->ops->pte_entry(pte, addr, addr + PAGE_SIZE, walk);
		if (err || addr >= end - PAGE_SIZE)
			break;
		addr += PAGE_SIZE;
		pte++;
	}
	mutex_unlock(&walk->mm->page_table_lock);
	return err;
}

static int walk_pmd_range(pud_t *pud, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	const struct mm_walk_ops *ops = walk->ops;
	pmd_t *pmd = pmd_offset(pud, addr);
	unsigned long next;
	int err = 0;

	do {
again:
		next = pmd_addr_end(addr, end);
		if (pmd_none(__pmd(__atomic_load_n(&pmd->pmd, __ATOMIC_ACQUIRE)))) {
			if (ops->pte_hole)
				err = ops->pte_hole(addr, next, 3, walk);
			if (err)
				break;
			continue;
		}
		walk->action = ACTION_SUBTREE;
		if (ops->pmd_entry)
			err = ops->pmd_entry(pmd, addr, next, walk);
		if (err)
			break;
		if (walk->action == ACTION_AGAIN)
			goto again;
		if (walk->action == ACTION_CONTINUE || !ops->pte_entry)
			continue;
		err = walk_pte_range(pmd, addr, next, walk);
		if (err)
			break;
	} while (pmd++, addr = next, addr != end);
	return err;
}

static int walk_pud_range(pgd_t *pgd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	const struct mm_walk_ops *ops = walk->ops;
	pud_t *pud = pud_offset(pgd, addr);
	unsigned long next;
	int err = 0;

	do {
again:
		next = pud_addr_end(addr, end);
		if (pud_none(__pud(__atomic_load_n(&pud->pud, __ATOMIC_ACQUIRE)))) {
			if (ops->pte_hole)
				err = ops->pte_hole(addr, next, 2, walk);
			if (err)
				break;
			continue;
		}
		walk->action = ACTION_SUBTREE;
		if (ops->pud_entry)
			err = ops->pud_entry(pud, addr, next, walk);
		if (err)
			break;
		if (walk->action == ACTION_AGAIN)
			goto again;
		if (walk->action == ACTION_CONTINUE)
			continue;
		if (ops->pmd_entry || ops->pte_entry)
			err = walk_pmd_range(pud, addr, next, walk);
		if (err)
			break;
	} while (pud++, addr = next, addr != end);
	return err;
}

static int walk_pgd_range(unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	const struct mm_walk_ops *ops = walk->ops;
	unsigned long next;
	pgd_t *pgd;
	int err = 0;

	if (!walk->mm->pgd)
		return ops->pte_hole ? ops->pte_hole(addr, end, 0, walk) : 0;
	pgd = pgd_offset(walk->mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (pgd_none(__pgd(__atomic_load_n(&pgd->pgd, __ATOMIC_ACQUIRE)))) {
			if (ops->pte_hole)
				err = ops->pte_hole(addr, next, 0, walk);
			if (err)
				break;
			continue;
		}
		if (ops->pgd_entry) {
			err = ops->pgd_entry(pgd, addr, next, walk);
			if (err)
				break;
		}
		if (ops->pud_entry || ops->pmd_entry || ops->pte_entry)
			err = walk_pud_range(pgd, addr, next, walk);
		if (err)
			break;
	} while (pgd++, addr = next, addr != end);
	return err;
}

static int __walk_page_range(unsigned long start, unsigned long end,
			     struct mm_walk *walk)
{
	const struct mm_walk_ops *ops = walk->ops;
	int err = 0;

	if (ops->pre_vma) {
		err = ops->pre_vma(start, end, walk);
		if (err)
			return err;
	}
	err = walk_pgd_range(start, end, walk);
	if (ops->post_vma)
		ops->post_vma(walk);
	return err;
}

/* 0: walk the VMA; 1: skip it; < 0: stop (walk_page_test()). */
static int walk_page_test(unsigned long start, unsigned long end,
			  struct mm_walk *walk)
{
	const struct mm_walk_ops *ops = walk->ops;

	if (ops->test_walk)
		return ops->test_walk(start, end, walk);
	/* No struct page behind a VM_PFNMAP range: report it as a hole. */
	if (walk->vma->vm_flags & VM_PFNMAP) {
		int err = ops->pte_hole ? ops->pte_hole(start, end, -1, walk) : 0;

		return err ? err : 1;
	}
	return 0;
}

int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		    const struct mm_walk_ops *ops, void *private)
{
	struct mm_walk walk = { .ops = ops, .mm = mm, .private = private };
	struct vm_area_struct *vma;
	unsigned long next;
	int err = 0;

	if (start >= end || !mm || !ops)
		return -EINVAL;
	mmap_assert_locked(mm);
	vma = find_vma(mm, start);
	do {
		if (!vma || start < vma->vm_start) {
			/* after the last VMA, or below the next one */
			walk.vma = NULL;
			next = vma ? min(end, vma->vm_start) : end;
			if (ops->pte_hole)
				err = ops->pte_hole(start, next, -1, &walk);
		} else {
			walk.vma = vma;
			next = min(end, vma->vm_end);
			vma = vma->vm_next;
			err = walk_page_test(start, next, &walk);
			if (err > 0) {
				err = 0;	/* skipped: only steers the walk */
				continue;
			}
			if (err < 0)
				break;
			err = __walk_page_range(start, next, &walk);
		}
		if (err)
			break;
	} while (start = next, start < end);
	return err;
}

int walk_page_range_vma(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, const struct mm_walk_ops *ops,
			void *private)
{
	struct mm_walk walk = {
		.ops = ops, .mm = vma ? vma->vm_mm : NULL, .vma = vma,
		.private = private,
	};
	int err;

	if (!vma || !ops || start >= end || start < vma->vm_start ||
	    end > vma->vm_end)
		return -EINVAL;
	mmap_assert_locked(vma->vm_mm);
	err = walk_page_test(start, end, &walk);
	if (err > 0)
		return 0;
	if (err < 0)
		return err;
	return __walk_page_range(start, end, &walk);
}

int walk_page_vma(struct vm_area_struct *vma, const struct mm_walk_ops *ops,
		  void *private)
{
	if (!vma)
		return -EINVAL;
	return walk_page_range_vma(vma, vma->vm_start, vma->vm_end, ops, private);
}
