/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmap.h - reverse mapping and the fault interface between mm/memory.c
 * and the page cache (include/linux/rmap.h, include/linux/mm.h).
 *
 * Anonymous memory: a VMA that has taken a write fault has an anon_vma;
 * each of its pages points at it (page->mapping = anon_vma | PAGE_MAPPING_ANON,
 * page->index = linear_page_index()).  A VMA is linked to every anon_vma
 * its pages may belong to through anon_vma_chains: its own, and after
 * fork() those of its ancestors.  An anon_vma_chain sits on two lists:
 * vma->anon_vma_chain (all anon_vmas of one VMA) and anon_vma->rb_root
 * (all VMAs of one anon_vma; the kernel's is an interval tree, umm's a
 * list, which is all a walk of every VMA needs).
 *
 * File pages: page->mapping is the file's address_space (mm/filemap.c),
 * page->index the offset in pages; page_add_file_rmap() only counts the
 * mapping.
 *
 * Counting: page->_mapcount counts the PTEs that map a page, from -1.
 * The PTEs' references: every PTE of a normal page holds one page
 * reference; the shared zero page is neither counted nor referenced.
 *
 * Locking: the anon_vma tree of one root is changed under root->lock;
 * mapcounts change under the mm's page_table_lock (and are atomics, since
 * two mms share pages after fork).
 */
#ifndef _UMM_RMAP_H
#define _UMM_RMAP_H

#include "compiler.h"
#include <pthread.h>
#include "list.h"
#include "mm.h"
#include "mmap.h"
#include "pgtable.h"

UMM_BEGIN_DECLS

struct anon_vma {
	struct anon_vma *root;		/* root of this anon_vma tree */
	struct mutex lock;		/* root's: the tree's lists */
	long refcount;			/* 1 while chained to a VMA, +1 per anon_vma rooted here */
	unsigned long num_children;	/* anon_vmas whose parent this is */
	unsigned long num_active_vmas;	/* VMAs whose ->anon_vma this is */
	struct anon_vma *parent;	/* parent of this anon_vma */
	struct list_head rb_root;	/* anon_vma_chains: the VMAs that map it */
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* on vma->anon_vma_chain */
	struct list_head rb;		/* on anon_vma->rb_root */
};

/* PG_anon_exclusive: the page is mapped by one process only (no COW needed). */
static inline bool PageAnonExclusive(const struct page *page)
{
	return test_bit_flag(PG_anon_exclusive, page);
}
static inline void SetPageAnonExclusive(struct page *page)
{
	__atomic_fetch_or(&page->flags, 1UL << PG_anon_exclusive, __ATOMIC_RELAXED);
}
static inline void ClearPageAnonExclusive(struct page *page)
{
	__atomic_fetch_and(&page->flags, ~(1UL << PG_anon_exclusive), __ATOMIC_RELAXED);
}

static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	unsigned long mapping = (unsigned long)READ_ONCE(page->mapping);

	if ((mapping & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		return NULL;
	return (struct anon_vma *)(mapping - PAGE_MAPPING_ANON);
}

/* The offset in pages of @address in @vma's object (anon: vm_start >> 12 based). */
static inline pgoff_t linear_page_index(const struct vm_area_struct *vma,
					unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* Which RSS counter a mapped page counts in (include/linux/mm.h). */
static inline int mm_counter_file(const struct page *page)
{
	return PageSwapBacked(page) ? MM_SHMEMPAGES : MM_FILEPAGES;
}

static inline int mm_counter(const struct page *page)
{
	return PageAnon(page) ? MM_ANONPAGES : mm_counter_file(page);
}

/* ---- mm/rmap.c ---- */
int __anon_vma_prepare(struct vm_area_struct *vma);
/* Give @vma an anon_vma before its first anonymous page (-ENOMEM). */
static inline int anon_vma_prepare(struct vm_area_struct *vma)
{
	/* faults of one mm race here: acquire pairs with the publishing store */
	if (likely(__atomic_load_n(&vma->anon_vma, __ATOMIC_ACQUIRE)))
		return 0;
	return __anon_vma_prepare(vma);
}
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
void unlink_anon_vmas(struct vm_area_struct *vma);
struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma);
int anon_vma_check(struct vm_area_struct *vma);
/* Live anon_vmas and anon_vma_chains (leak checks). */
void anon_vma_stats(long *anon_vmas, long *chains);

/*
 * mlock (mm/mlock.c): a page mapped in a VM_LOCKED VMA is PG_mlocked
 * (unevictable: MADV_PAGEOUT and reclaim leave it), counted in NR_MLOCK;
 * mlock_count, kept where the kernel keeps it (over the LRU link, which
 * an unevictable page does not use), counts the locked VMAs that mlocked
 * it, and the last munlock clears the flag.  Freeing clears it too.
 */
void mlock_page(struct page *page);
void munlock_page(struct page *page);
static inline void mlock_vma_page(struct page *page, struct vm_area_struct *vma)
{
	if (unlikely((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED))
		mlock_page(page);
}
static inline void munlock_vma_page(struct page *page, struct vm_area_struct *vma)
{
	if (unlikely(vma->vm_flags & VM_LOCKED))
		munlock_page(page);
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address);
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address);
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma);
void page_remove_rmap(struct page *page, struct vm_area_struct *vma);

/* ---- mm/memory.c ---- */
/* The page a PTE maps, or NULL for the shared zero page. */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);

/* ---- mm/memory.c: the fault path, for ->fault/->map_pages (mm/filemap.c) ---- */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags);
/*
 * finish_fault - map vmf->cow_page (a private write) or vmf->page at
 * vmf->address, with the PTE lock taken here.  VM_FAULT_NOPAGE if a PTE
 * appeared meanwhile (the page is not mapped; the caller drops its ref).
 */
vm_fault_t finish_fault(struct vm_fault *vmf);
/*
 * set_pte_range - install @nr PTEs for @nr consecutive pages from @page
 * at @addr (all in vmf->vma and in one PTE table, each entry pte_none),
 * with RSS counters and rmap; each PTE takes over one page reference the
 * caller got for it.  Read-only unless this is a write fault of a shared
 * VMA.  The entries are found from vmf->pmd, so vmf->pte need not point
 * at @addr.
 *
 * ->map_pages(vmf, start_pgoff, end_pgoff) is called by do_fault_around()
 * with mm->page_table_lock held, the PTE table of the window allocated
 * (vmf->pmd) and vmf->pte at the entry of start_pgoff's address; it must
 * not sleep on I/O, and maps only cached uptodate pages whose PTE is none.
 */
void set_pte_range(struct vm_fault *vmf, struct page *page, unsigned int nr,
		   unsigned long addr);

UMM_END_DECLS

#endif /* _UMM_RMAP_H */
