/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagewalk.h - a generic walk over the page tables of a range of an
 * address space (include/linux/pagewalk.h, Linux 6.18): the walker
 * (mm/pagewalk.c) goes down pgd -> pud -> pmd -> pte and calls the
 * caller's ->*_entry() for every populated entry, ->pte_hole() for every
 * range that has no table (or no VMA).
 *
 * The caller holds mmap_lock (for reading is enough to look); the walker
 * takes mm->page_table_lock around each PTE table it hands to
 * ->pte_entry(), as pte_offset_map_lock() does.  A ->pmd_entry() that
 * reads the PTEs itself takes page_table_lock itself.
 */
#ifndef _UMM_PAGEWALK_H
#define _UMM_PAGEWALK_H

#include "pgtable.h"

UMM_BEGIN_DECLS

struct mm_walk;

/*
 * What to do after a ->pud_entry()/->pmd_entry() returned 0: go down into
 * the table (the default), skip it, or look at the entry again.
 */
enum page_walk_action {
	ACTION_SUBTREE = 0,
	ACTION_CONTINUE = 1,
	ACTION_AGAIN = 2,
};

/*
 * The callbacks, each optional.  Each gets the entry, the range
 * [addr, next) it covers and the walk; a non-zero return stops the walk
 * and is what walk_page_range() returns.
 *
 * @pte_hole: [addr, next) has no table at @depth (0 pgd, 2 pud, 3 pmd:
 *	x86-64's p4d level, 1, is folded) or, with depth -1, no VMA at all.
 *	PTE-level holes are pte_none entries given to ->pte_entry().
 * @test_walk: whether to walk this VMA: 0 walk it, 1 skip it, < 0 stop.
 *	Without it, VM_PFNMAP VMAs are skipped (reported as a hole).
 * @pre_vma/@post_vma: around the walk of each VMA.
 */
struct mm_walk_ops {
	int (*pgd_entry)(pgd_t *pgd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*pud_entry)(pud_t *pud, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*pmd_entry)(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*pte_entry)(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*pte_hole)(unsigned long addr, unsigned long next, int depth,
			struct mm_walk *walk);
	int (*test_walk)(unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*pre_vma)(unsigned long start, unsigned long end, struct mm_walk *walk);
	void (*post_vma)(struct mm_walk *walk);
};

struct mm_walk {
	const struct mm_walk_ops *ops;
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* the VMA being walked; NULL in a hole */
	enum page_walk_action action;	/* set by ->pud_entry/->pmd_entry */
	void *UMM_PRIVATE;		/* walk->private: the caller's */
};

/*
 * walk_page_range - walk [start, end) of @mm, VMA by VMA, with holes
 * between and after VMAs reported to ->pte_hole() (depth -1).  -EINVAL
 * if start >= end; otherwise the first non-zero callback return, or 0.
 * walk_page_vma() walks one whole VMA, walk_page_range_vma() a part of
 * one (-EINVAL if [start, end) is not inside it).
 */
int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		    const struct mm_walk_ops *ops, void *private_data);
int walk_page_range_vma(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, const struct mm_walk_ops *ops,
			void *private_data);
int walk_page_vma(struct vm_area_struct *vma, const struct mm_walk_ops *ops,
		  void *private_data);

UMM_END_DECLS

#endif /* _UMM_PAGEWALK_H */
