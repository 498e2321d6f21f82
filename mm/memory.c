// SPDX-License-Identifier: GPL-2.0
/*
 * memory.c - page tables and page faults of umm address spaces
 * (mm/memory.c, mm/pgtable-generic.c, arch/x86/mm/fault.c and the page
 * table half of kernel/fork.c; Linux 6.18).  What other calls do to the
 * PTEs lives with them: populate in mm/gup.c, change_protection() in
 * mm/mprotect.c, move_page_tables() in mm/mremap.c, MADV_FREE in
 * mm/madvise.c, the mlock walk in mm/mlock.c; the table lookup and
 * allocation helpers they share are in mm/internal.h.
 *
 * Owns: mm->pgd and every page-table page below it (NR_PAGETABLE counts
 * them all, the pgd too, as PageTables: shows), mm->pgtables_bytes,
 * mm->rss_stat, mm->min_flt/maj_flt, hiwater_rss, the shared zero page
 * (zero_pfn), and the PTEs' references on the pages they map.  Map counts,
 * PG_anon_exclusive and PG_mlocked are mm/rmap.c's.
 *
 * The MMU is software here.  umm_touch() and umm_access() walk the tables
 * like the hardware: a present PTE that allows the access gets its
 * accessed (and, for a write, dirty) bit and the access goes to the frame
 * through the direct map; anything else is a page fault:
 *
 *	do_user_addr_fault()  find_vma, stack growth, access_error()
 *	  handle_mm_fault()   allocate the upper tables, count min/maj faults
 *	    handle_pte_fault()
 *	      pte_none: anonymous VMA -> do_anonymous_page()
 *	                else          -> do_fault(): do_read_fault() (fault-
 *	                                 around, ->map_pages, then ->fault),
 *	                                 do_cow_fault(), do_shared_fault()
 *	      present, write to a read-only PTE -> do_wp_page(): reuse an
 *	                exclusive anonymous page, ->page_mkwrite a shared
 *	                one, or copy (wp_page_copy)
 *
 * Invariants (pgtable_check(), run by umm_mm_check()):
 *  - every present PTE lies in a VMA; a writable one only in a VM_WRITE
 *    VMA, and in a private (COW) VMA only for an exclusive anonymous
 *    page; the zero page is never writable;
 *  - each present PTE of a normal page holds one page reference and one
 *    mapcount; the zero page holds neither and counts in no RSS counter;
 *  - rss_stat[] is the number of PTEs mapping anonymous, file and shmem
 *    pages; pgtables_bytes is PAGE_SIZE times the table pages below the
 *    pgd (the kernel counts PUD, PMD and PTE tables, not the pgd);
 *  - an anonymous page's anon_vma is on the chain of the VMA mapping it,
 *    and its index is linear_page_index() there.
 *
 * Locking: mmap_lock for reading around faults (umm_touch, umm_access
 * take it), for writing around every VMA change that also changes page
 * tables (unmap, mprotect, mremap, fork, exit).  mm->page_table_lock
 * serialises PTE changes and table allocation between concurrent faults;
 * it is never held across ->fault, ->page_mkwrite or a page allocation
 * that could be large.  Lock order: mmap_lock, anon_vma root lock,
 * page_table_lock.  Page tables are only freed with mmap_lock held for
 * writing, so a walker holding it for reading needs no lock to descend.
 * The software MMU sets accessed/dirty bits with no lock at all: a writer
 * that holds mmap_lock only for reading updates a live PTE atomically
 * (ptep_set_flags() and friends, pgtable.h); new entries are published
 * with release stores and walked with acquire loads.
 *
 * User-space differences (and why):
 *  - No TLB, so no flushes: a PTE change is visible to the next access.
 *    The "hardware" sets accessed/dirty bits with a compare-and-swap.
 *  - The zero page lives while any mm does (allocated with the first,
 *    freed with the last), so that umm_shutdown() never leaves a frame
 *    of a dead boot in zero_pfn and free-page counts come back whole.
 *  - No special-PTE bit: the zero page is recognised by its PFN, which is
 *    what vm_normal_page() does for it on x86 anyway.
 *  - No swap, no THP, no NUMA hinting, no userfaultfd, no page lock
 *    waits (VM_FAULT_RETRY never happens).
 *  - No OOM killer: a fault that cannot get memory (VM_FAULT_OOM) ends
 *    the access with SIGBUS/BUS_ADRERR, where the kernel would run
 *    pagefault_out_of_memory() and likely kill the task.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include "internal.h"
#include <umm/pagemap.h>
#include <umm/pagewalk.h>
#include <umm/rmap.h>
#include <umm/slab.h>
#include <umm/vmalloc.h>

unsigned long zero_pfn;
static struct page *zero_page;

/* fault_around_bytes: 64 KiB, as the kernel's default. */
static unsigned long fault_around_pages = 65536 >> PAGE_SHIFT;

#define FIRST_USER_ADDRESS	0UL
#define USER_PGTABLES_CEILING	0UL

/*
 * Publishing an entry: what it points at (a zeroed table, a page just
 * zeroed or copied) must be visible to a walker that sees the entry, and
 * umm's "MMU" walks without locks: release here, acquire in the walk
 * (set_entry_release()/get_entry_acquire(), mm/internal.h).  x86 orders
 * stores anyway; the compiler and TSan need to be told.
 */
static inline void set_pte_publish(pte_t *ptep, pte_t pte)
{
	set_entry_release(&ptep->pte, pte_val(pte));
}

/* update_hiwater_rss() for concurrent faults: an atomic maximum. */
static inline void mm_update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);
	unsigned long hw = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);

	while (hw < rss && !__atomic_compare_exchange_n(&mm->hiwater_rss, &hw, rss, true,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static inline bool is_cow_mapping(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* folio_mark_dirty(): the page cache's dirty accounting (mm/filemap.c). */
static inline void mark_dirty(struct page *page)
{
	set_page_dirty(page);
}

/*
 * Drop a reference a PTE or a fault held.  An anonymous page's ->mapping
 * points at its anon_vma; the allocator wants it NULL at free, as the
 * kernel's free path clears PAGE_MAPPING_ANON.
 */
static void put_user_page(struct page *page)
{
	if (page_ref_dec_and_test(page)) {
		if ((unsigned long)page->mapping & PAGE_MAPPING_ANON)
			page->mapping = NULL;
		__put_page(page);
	}
}

/* ---- the zero page ---- */

int zero_page_get(void)
{
	struct page *page;

	if (zero_page)
		return 0;
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!page)
		return -ENOMEM;
	__SetPageReserved(page);
	zero_page = page;
	WRITE_ONCE(zero_pfn, page_to_pfn(page));
	return 0;
}

void zero_page_put(void)
{
	if (!zero_page)
		return;
	__ClearPageReserved(zero_page);
	__free_page(zero_page);
	zero_page = NULL;
	WRITE_ONCE(zero_pfn, 0);
}

/*
 * vm_normal_page - the struct page a PTE maps, or NULL for the zero page
 * (and for a PTE that is not there).
 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	(void)vma;
	(void)addr;
	if (unlikely(is_zero_pfn(pfn)))
		return NULL;
	return pfn_to_page(pfn);
}

/* ---- page-table pages ---- */

/* Every table page, the pgd too, counts in NR_PAGETABLE (PageTables:). */
static struct page *pagetable_alloc(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (page) {
		__SetPageTable(page);
		mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);
	}
	return page;
}

static void pagetable_free_page(struct page *page)
{
	mod_node_page_state(page_pgdat(page), NR_PAGETABLE, -1);
	__ClearPageTable(page);
	__free_page(page);
}

static void pagetable_free(void *table)
{
	pagetable_free_page(virt_to_page(table));
}

int pgd_alloc(struct mm_struct *mm)
{
	struct page *page = pagetable_alloc();

	if (!page)
		return -ENOMEM;
	mm->pgd = page_address(page);
	return 0;
}

void pgd_free(struct mm_struct *mm)
{
	if (mm->pgd)
		pagetable_free(mm->pgd);
	mm->pgd = NULL;
}

static inline void mm_inc_pgtables(struct mm_struct *mm)
{
	__atomic_fetch_add(&mm->pgtables_bytes, (long)PAGE_SIZE, __ATOMIC_RELAXED);
}

static inline void mm_dec_pgtables(struct mm_struct *mm)
{
	__atomic_fetch_sub(&mm->pgtables_bytes, (long)PAGE_SIZE, __ATOMIC_RELAXED);
}

/*
 * __pud_alloc/__pmd_alloc/__pte_alloc: give an empty upper entry a table.
 * The table is allocated first and installed under page_table_lock if the
 * entry is still empty (another fault may have won); -ENOMEM if none.
 */
int __table_alloc(struct mm_struct *mm, unsigned long *entry)
{
	struct page *page = pagetable_alloc();

	if (!page)
		return -ENOMEM;
	mutex_lock(&mm->page_table_lock);
	if (!READ_ONCE(*entry)) {
		mm_inc_pgtables(mm);
		set_entry_release(entry, page_to_phys(page) | _PAGE_TABLE);
		page = NULL;
	}
	mutex_unlock(&mm->page_table_lock);
	if (page)
		pagetable_free_page(page);	/* another fault installed one */
	return 0;
}

/* ---- freeing page tables (free_pgd_range) ---- */

static void free_pte_range(struct mm_struct *mm, pmd_t *pmd)
{
	pte_t *table = pmd_page_vaddr(*pmd);

	pmd->pmd = 0;
	pagetable_free(table);
	mm_dec_pgtables(mm);
}

/*
 * May the table covering [start & mask, +span) go?  Only if that span
 * lies within [floor, ceiling) (ceiling 0: the top), as the kernel's
 * free_pmd_range()/free_pud_range() decide.
 */
static bool table_span_free(unsigned long start, unsigned long end,
			    unsigned long floor, unsigned long ceiling,
			    unsigned long mask)
{
	start &= mask;
	if (start < floor)
		return false;
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return false;
	}
	return !(end - 1 > ceiling - 1);
}

static void free_pmd_range(struct mm_struct *mm, pud_t *pud, unsigned long addr,
			   unsigned long end, unsigned long floor,
			   unsigned long ceiling)
{
	unsigned long next, start = addr;
	pmd_t *pmd = pmd_offset(pud, addr);

	do {
		next = pmd_addr_end(addr, end);
		if (!pmd_none(*pmd))
			free_pte_range(mm, pmd);
	} while (pmd++, addr = next, addr != end);

	if (!table_span_free(start, end, floor, ceiling, PUD_MASK))
		return;
	pmd = pmd_offset(pud, start & PUD_MASK);
	pud->pud = 0;
	pagetable_free(pmd);
	mm_dec_pgtables(mm);
}

static void free_pud_range(struct mm_struct *mm, pgd_t *pgd, unsigned long addr,
			   unsigned long end, unsigned long floor,
			   unsigned long ceiling)
{
	unsigned long next, start = addr;
	pud_t *pud = pud_offset(pgd, addr);

	do {
		next = pud_addr_end(addr, end);
		if (!pud_none(*pud))
			free_pmd_range(mm, pud, addr, next, floor, ceiling);
	} while (pud++, addr = next, addr != end);

	if (!table_span_free(start, end, floor, ceiling, PGDIR_MASK))
		return;
	pud = pud_offset(pgd, start & PGDIR_MASK);
	pgd->pgd = 0;
	pagetable_free(pud);
	mm_dec_pgtables(mm);
}

/*
 * free_pgd_range - free the (empty) page tables of [addr, end) that no
 * address outside [floor, ceiling) can need: a table is freed only if
 * the whole span it maps lies inside [floor, ceiling), the space between
 * the neighbouring VMAs.  ceiling 0 means the top of the address space.
 */
static void free_pgd_range(struct mm_struct *mm, unsigned long addr,
			   unsigned long end, unsigned long floor,
			   unsigned long ceiling)
{
	unsigned long next;
	pgd_t *pgd;

	addr &= PMD_MASK;
	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= PMD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;
	pgd = pgd_offset(mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (!pgd_none(*pgd))
			free_pud_range(mm, pgd, addr, next, floor, ceiling);
	} while (pgd++, addr = next, addr != end);
}

/* ---- zap: unmapping pages ---- */

/*
 * zap_pte_range - clear the PTEs of [addr, end) in one table: anonymous
 * pages lose a map count and a reference (freed with the last), file
 * pages are dirtied if their PTE was, and the RSS counters drop.
 */
static void zap_pte_range(struct vm_area_struct *vma, pmd_t *pmd,
			  unsigned long addr, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	long rss[NR_MM_COUNTERS] = { 0 };
	pte_t *pte = pte_offset_kernel(pmd, addr);

	mutex_lock(&mm->page_table_lock);
	for (; addr != end; pte++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(pte);
		struct page *page;

		if (pte_none(ptent))
			continue;
		pte_clear(mm, addr, pte);
		page = vm_normal_page(vma, addr, ptent);
		if (!page)
			continue;
		if (!PageAnon(page) && pte_dirty(ptent))
			mark_dirty(page);
		rss[mm_counter(page)]--;
		page_remove_rmap(page, vma);
		put_user_page(page);
	}
	mutex_unlock(&mm->page_table_lock);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(mm, i, rss[i]);
}

/* unmap_page_range - zap [addr, end) of @vma, table by table. */
static void unmap_page_range(struct vm_area_struct *vma, unsigned long addr,
			     unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long next;

	if (!mm->pgd)
		return;
	while (addr < end) {
		pgd_t *pgd = pgd_offset(mm, addr);
		pud_t *pud;
		pmd_t *pmd;

		if (pgd_none(*pgd)) {
			next = pgd_addr_end(addr, end);
			goto skip;
		}
		pud = pud_offset(pgd, addr);
		if (pud_none(*pud)) {
			next = pud_addr_end(addr, end);
			goto skip;
		}
		pmd = pmd_offset(pud, addr);
		next = pmd_addr_end(addr, end);
		if (!pmd_none(*pmd))
			zap_pte_range(vma, pmd, addr, next);
skip:
		addr = next;
	}
}

/* zap_page_range_single - unmap the pages of [start, end) inside @vma. */
void zap_page_range_single(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	if (start < vma->vm_start)
		start = vma->vm_start;
	if (end > vma->vm_end)
		end = vma->vm_end;
	if (start >= end)
		return;
	mm_update_hiwater_rss(vma->vm_mm);
	unmap_page_range(vma, start, end);
}

/*
 * unmap_region - the pages and the page tables of @nr VMAs from @vma on,
 * which are about to go; @prev and @next are the VMAs that stay on either
 * side (either may be NULL), which bound the tables that may be freed.
 */
void unmap_region(struct mm_struct *mm, struct vm_area_struct *vma, int nr,
		  struct vm_area_struct *prev, struct vm_area_struct *next)
{
	unsigned long start, end = 0;
	int i;

	if (!nr || !mm->pgd)
		return;
	start = vma->vm_start;
	mm_update_hiwater_rss(mm);
	for (i = 0; i < nr; i++, vma = vma->vm_next) {
		unmap_page_range(vma, vma->vm_start, vma->vm_end);
		end = vma->vm_end;
	}
	free_pgd_range(mm, start, end, prev ? prev->vm_end : FIRST_USER_ADDRESS,
		       next ? next->vm_start : USER_PGTABLES_CEILING);
}

/* exit_mmap()'s part: every page and every table but the pgd. */
void exit_mmap_pages(struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (!mm->pgd)
		return;
	mm_update_hiwater_rss(mm);
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma)
		unmap_page_range(vma, vma->vm_start, vma->vm_end);
	free_pgd_range(mm, FIRST_USER_ADDRESS, TASK_SIZE, FIRST_USER_ADDRESS,
		       USER_PGTABLES_CEILING);
}

/* ---- mapping pages (the fault side) ---- */

void set_pte_range(struct vm_fault *vmf, struct page *page, unsigned int nr,
		   unsigned long addr)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	pte_t entry = mk_pte(page, vma->vm_page_prot);
	pte_t *pte = pte_offset_kernel((pmd_t *)vmf->pmd, addr);
	unsigned int i;

	if (write)
		entry = pte_mkdirty(entry);
	if (write && (vma->vm_flags & VM_WRITE))
		entry = pte_mkwrite(entry);
	if (write && !(vma->vm_flags & VM_SHARED)) {
		/* a private write: the new anonymous copy (one page) */
		add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
		page_add_new_anon_rmap(page, vma, addr);
		set_pte_publish(pte, entry);
		return;
	}
	add_mm_counter(vma->vm_mm, mm_counter_file(page), (long)nr);
	for (i = 0; i < nr; i++, pte++) {
		page_add_file_rmap(page + i, vma);
		set_pte_publish(pte, __pte(pte_val(entry) + ((unsigned long)i << PAGE_SHIFT)));
	}
}

vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;
	pte_t *pte;

	if ((vmf->flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))
		page = vmf->cow_page;
	else
		page = vmf->page;
	if (pte_alloc(mm, vmf->pmd))
		return VM_FAULT_OOM;
	pte = pte_offset_kernel((pmd_t *)vmf->pmd, vmf->address);
	mutex_lock(&mm->page_table_lock);
	if (!pte_none(ptep_get(pte))) {
		mutex_unlock(&mm->page_table_lock);
		return VM_FAULT_NOPAGE;
	}
	vmf->pte = pte;
	set_pte_range(vmf, page, 1, vmf->address);
	mutex_unlock(&mm->page_table_lock);
	vmf->pte = NULL;
	return 0;
}

/* do_anonymous_page - pte_none in an anonymous VMA. */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;
	pte_t entry, *pte;

	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;
	if (pte_alloc(mm, vmf->pmd))
		return VM_FAULT_OOM;
	pte = pte_offset_kernel((pmd_t *)vmf->pmd, vmf->address);

	/* A read maps the zero page, read-only and uncounted. */
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		entry = pfn_pte(my_zero_pfn(vmf->address), vma->vm_page_prot & ~_PAGE_RW);
		mutex_lock(&mm->page_table_lock);
		if (pte_none(ptep_get(pte)))
			set_pte(pte, entry);
		mutex_unlock(&mm->page_table_lock);
		return 0;
	}

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
	if (!page)
		return VM_FAULT_OOM;
	entry = mk_pte(page, vma->vm_page_prot);
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite(pte_mkdirty(entry));

	mutex_lock(&mm->page_table_lock);
	if (unlikely(!pte_none(ptep_get(pte)))) {
		mutex_unlock(&mm->page_table_lock);
		__free_page(page);
		return 0;
	}
	inc_mm_counter(mm, MM_ANONPAGES);
	page_add_new_anon_rmap(page, vma, vmf->address);
	set_pte_publish(pte, entry);
	mutex_unlock(&mm->page_table_lock);
	return 0;
}

/* __do_fault - ->fault, which returns vmf->page referenced (maybe locked). */
static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	vmf->page = NULL;
	ret = vmf->vma->vm_ops->fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY |
			    VM_FAULT_DONE_COW)))
		return ret;
	if (ret & VM_FAULT_LOCKED) {
		__ClearPageLocked(vmf->page);
		ret &= ~VM_FAULT_LOCKED;
	}
	return ret;
}

/*
 * do_fault_around - map the cached pages around a read fault: a window
 * of fault_around_pages aligned on its size, clipped to the VMA and to
 * the PTE table (do_fault_around() of 6.18); ->map_pages maps what is
 * there and says VM_FAULT_NOPAGE if that covered the faulting address.
 */
static vm_fault_t do_fault_around(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	unsigned long nr_pages = fault_around_pages;
	unsigned long pte_off = pte_index(vmf->address);
	unsigned long vma_off = vmf->pgoff - vmf->vma->vm_pgoff;
	unsigned long from_pte, to_pte, a, b;
	vm_fault_t ret;

	a = pte_off & ~(nr_pages - 1);
	b = pte_off - min(pte_off, vma_off);
	from_pte = max(a, b);
	to_pte = min(min(from_pte + nr_pages, (unsigned long)PTRS_PER_PTE),
		     pte_off + vma_pages(vmf->vma) - vma_off) - 1;

	if (pte_alloc(mm, vmf->pmd))
		return VM_FAULT_OOM;
	mutex_lock(&mm->page_table_lock);
	vmf->pte = pte_offset_kernel((pmd_t *)vmf->pmd,
				     vmf->address - ((pte_off - from_pte) << PAGE_SHIFT));
	ret = vmf->vma->vm_ops->map_pages(vmf, vmf->pgoff + from_pte - pte_off,
					  vmf->pgoff + to_pte - pte_off);
	vmf->pte = NULL;
	mutex_unlock(&mm->page_table_lock);
	return ret;
}

static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	if (vmf->vma->vm_ops->map_pages && fault_around_pages > 1) {
		ret = do_fault_around(vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		return ret;
	ret |= finish_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		put_page(vmf->page);
	return ret;
}

/*
 * The program's loads and stores of its memory, and copies of a page it
 * may be writing through another mapping: relaxed atomics, a word at a
 * time where both sides are aligned.  The program's own races are not
 * umm's (the hardware makes them well-defined, C does not).
 */
static void copy_relaxed(void *dst, const void *src, unsigned long n)
{
	if (!(((unsigned long)dst | (unsigned long)src | n) & 7)) {
		unsigned long *d = dst;
		const unsigned long *s = src;

		for (unsigned long i = 0; i < n / 8; i++)
			__atomic_store_n(d + i, __atomic_load_n(s + i, __ATOMIC_RELAXED),
					 __ATOMIC_RELAXED);
		return;
	}
	for (unsigned long i = 0; i < n; i++)
		__atomic_store_n((unsigned char *)dst + i,
				 __atomic_load_n((const unsigned char *)src + i, __ATOMIC_RELAXED),
				 __ATOMIC_RELAXED);
}

/* copy_user_highpage */
static inline void copy_page_data(struct page *to, struct page *from)
{
	copy_relaxed(page_address(to), page_address(from), PAGE_SIZE);
}

static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	vmf->cow_page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		goto uncharge_out;
	copy_page_data(vmf->cow_page, vmf->page);
	ret |= finish_fault(vmf);
	put_page(vmf->page);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		goto uncharge_out;
	return ret;
uncharge_out:
	__free_page(vmf->cow_page);
	return ret;
}

static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret, tmp;

	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		return ret;
	if (vma->vm_ops->page_mkwrite) {
		vmf->flags |= FAULT_FLAG_MKWRITE;
		tmp = vma->vm_ops->page_mkwrite(vmf);
		vmf->flags &= ~FAULT_FLAG_MKWRITE;
		if (tmp & VM_FAULT_LOCKED)
			__ClearPageLocked(vmf->page);
		if (unlikely(tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
			put_page(vmf->page);
			return tmp;
		}
	}
	ret |= finish_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))) {
		put_page(vmf->page);
		return ret;
	}
	/* fault_dirty_shared_page() */
	mark_dirty(vmf->page);
	return ret;
}

static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/* wp_page_reuse - the page is ours alone: just make the PTE writable. */
static void wp_page_reuse(struct vm_fault *vmf, pte_t *pte, pte_t orig)
{
	(void)vmf;
	pte_t entry = pte_mkyoung(pte_mkdirty(pte_mkwrite(orig)));

	set_pte(pte, entry);
}

/* The kernel's folio_move_anon_rmap(): the page now belongs to @vma's anon_vma. */
static void page_move_anon_rmap(struct page *page, struct vm_area_struct *vma)
{
	WRITE_ONCE(page->mapping, (struct address_space *)
		   ((unsigned long)vma->anon_vma + PAGE_MAPPING_ANON));
}

/*
 * wp_page_copy - break COW: a new anonymous page (zeroed for the zero
 * page, else a copy) replaces the old one in this PTE.  Called without
 * page_table_lock; the PTE must still be @orig when we come to set it.
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf, pte_t *pte, pte_t orig,
			       struct page *old)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *new;
	bool replaced = false;
	pte_t entry;

	if (anon_vma_prepare(vma))
		goto oom;
	if (!old) {
		new = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
		if (!new)
			goto oom;
	} else {
		new = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (!new)
			goto oom;
		copy_page_data(new, old);
	}

	mutex_lock(&mm->page_table_lock);
	if (likely(pte_val(ptep_get(pte)) == pte_val(orig))) {
		if (old) {
			if (!PageAnon(old))
				dec_mm_counter(mm, mm_counter_file(old));
			else
				dec_mm_counter(mm, MM_ANONPAGES);
		}
		inc_mm_counter(mm, MM_ANONPAGES);
		entry = mk_pte(new, vma->vm_page_prot);
		entry = pte_mkwrite(pte_mkdirty(entry));
		page_add_new_anon_rmap(new, vma, vmf->address);
		set_pte_publish(pte, entry);
		if (old)
			page_remove_rmap(old, vma);
		new = NULL;
		replaced = true;
	}
	mutex_unlock(&mm->page_table_lock);
	if (new)
		__free_page(new);
	if (old) {
		if (replaced)
			put_user_page(old);	/* the PTE's reference */
		put_user_page(old);		/* ours, from do_wp_page() */
	}
	return 0;
oom:
	if (old)
		put_user_page(old);
	return VM_FAULT_OOM;
}

/*
 * do_wp_page - a write to a present, read-only PTE of a writable VMA.
 * Entered with page_table_lock held; returns with it released.
 */
static vm_fault_t do_wp_page(struct vm_fault *vmf, pte_t *pte, pte_t orig)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = vm_normal_page(vma, vmf->address, orig);
	vm_fault_t ret;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (vma->vm_flags & (VM_SHARED | VM_MAYSHARE)) {
		/* wp_page_shared(): tell the file, then write in place */
		if (page && vma->vm_ops && vma->vm_ops->page_mkwrite) {
			get_page(page);
			mutex_unlock(&mm->page_table_lock);
			vmf->page = page;
			vmf->flags |= FAULT_FLAG_MKWRITE;
			ret = vma->vm_ops->page_mkwrite(vmf);
			vmf->flags &= ~FAULT_FLAG_MKWRITE;
			if (ret & VM_FAULT_LOCKED)
				__ClearPageLocked(page);
			if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
				put_page(page);
				return ret;
			}
			mutex_lock(&mm->page_table_lock);
			if (pte_val(ptep_get(pte)) == pte_val(orig))
				wp_page_reuse(vmf, pte, orig);
			mutex_unlock(&mm->page_table_lock);
			put_page(page);
			return 0;
		}
		if (page && !PageAnon(page))
			mark_dirty(page);
		wp_page_reuse(vmf, pte, orig);
		mutex_unlock(&mm->page_table_lock);
		return 0;
	}

	/*
	 * Private: reuse an anonymous page that only we map (exclusive, or
	 * the last mapping left with no other reference: wp_can_reuse_anon_folio).
	 */
	if (page && PageAnon(page) &&
	    (PageAnonExclusive(page) ||
	     (page_ref_count(page) == 1 && page_mapcount(page) == 1))) {
		if (!PageAnonExclusive(page)) {
			page_move_anon_rmap(page, vma);
			SetPageAnonExclusive(page);
		}
		wp_page_reuse(vmf, pte, orig);
		mutex_unlock(&mm->page_table_lock);
		return 0;
	}
	if (page)
		get_page(page);
	mutex_unlock(&mm->page_table_lock);
	return wp_page_copy(vmf, pte, orig, page);
}

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	pmd_t pmdval = __pmd(get_entry_acquire(&((pmd_t *)vmf->pmd)->pmd));
	pte_t *pte, entry;

	/* another fault may be installing the PTE table right now */
	if (pmd_none(pmdval))
		goto none;
	pte = pte_offset_kernel(&pmdval, vmf->address);
	if (pte_none(ptep_get(pte)))
		goto none;

	mutex_lock(&mm->page_table_lock);
	entry = ptep_get(pte);
	if (unlikely(pte_none(entry))) {
		mutex_unlock(&mm->page_table_lock);
		goto none;
	}
	vmf->orig_pte = pte_val(entry);
	if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write(entry))
		return do_wp_page(vmf, pte, entry);
	/* spurious: the PTE allows it now; mark it as the access would */
	ptep_set_flags(pte, _PAGE_ACCESSED |
		       ((vmf->flags & FAULT_FLAG_WRITE) ? _PAGE_DIRTY | _PAGE_SOFT_DIRTY : 0));
	mutex_unlock(&mm->page_table_lock);
	return 0;
none:
	vmf->pte = NULL;
	if (vma_is_anonymous(vmf->vma))
		return do_anonymous_page(vmf);
	return do_fault(vmf);
}

/* mm_account_fault(): successful faults only, major if the file was read. */
static inline void mm_account_fault(struct mm_struct *mm, vm_fault_t ret)
{
	if (ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))
		return;
	if (ret & VM_FAULT_MAJOR)
		__atomic_fetch_add(&mm->maj_flt, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&mm->min_flt, 1, __ATOMIC_RELAXED);
}

/*
 * handle_mm_fault - resolve a fault at @address in @vma (whose flags
 * allow the access; the caller checked).  mmap_lock held for reading.
 */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.real_address = address,
		.flags = flags,
		.pgoff = linear_page_index(vma, address),
	};
	vm_fault_t ret;

	mmap_assert_locked(mm);
	vmf.pmd = walk_to_pmd(mm, address);
	if (!vmf.pmd)
		ret = VM_FAULT_OOM;
	else
		ret = handle_pte_fault(&vmf);
	mm_account_fault(mm, ret);
	mm_update_hiwater_rss(mm);
	return ret;
}

/* ---- the "arch" part: from an access to a fault (arch/x86/mm/fault.c) ---- */

/* x86's access_error(): may this VMA be accessed this way at all? */
static inline bool access_error(bool write, struct vm_area_struct *vma)
{
	if (write)
		return !(vma->vm_flags & VM_WRITE);
	return !vma_is_accessible(vma);
}

/* acct_stack_growth(): the limits a stack's growth must respect. */
static int acct_stack_growth(struct vm_area_struct *vma, unsigned long size,
			     unsigned long grow)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!may_expand_vm(mm, vma->vm_flags, grow))
		return -ENOMEM;
	if (size > mm->limits.stack)
		return -ENOMEM;
	if (!mlock_future_ok(mm, vma->vm_flags & VM_LOCKED, grow << PAGE_SHIFT))
		return -ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(mm, (long)grow))
		return -ENOMEM;
	return 0;
}

/*
 * expand_downwards - grow the VM_GROWSDOWN @vma down to @address, keeping
 * stack_guard_gap above an accessible previous VMA.  mmap_lock held for
 * writing.
 */
int expand_downwards(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma->vm_prev;
	unsigned long size, grow;
	int error;

	mmap_assert_write_locked(vma->vm_mm);
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	address &= PAGE_MASK;
	if (address < mmap_min_addr)	/* and FIRST_USER_ADDRESS, 0 on x86 */
		return -EPERM;
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && vma_is_accessible(prev) &&
	    address - prev->vm_end < stack_guard_gap)
		return -ENOMEM;
	if (prev && address < prev->vm_end)
		return -ENOMEM;
	if (anon_vma_prepare(vma))
		return -ENOMEM;
	if (address >= vma->vm_start)
		return 0;
	size = vma->vm_end - address;
	grow = (vma->vm_start - address) >> PAGE_SHIFT;
	if (grow > vma->vm_pgoff)
		return -ENOMEM;
	error = acct_stack_growth(vma, size, grow);
	if (!error && vma_prealloc(mm))
		error = -ENOMEM;
	if (error)
		return error;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	vma_update_range(vma, address, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}

/*
 * do_user_addr_fault - an access at @addr faulted.  Called and returns
 * with mmap_lock held for reading (dropped and retaken around a stack
 * expansion, which needs it for writing).  Returns 0 (retry the access),
 * or the signal and *@si_code.
 */
static int do_user_addr_fault(struct mm_struct *mm, unsigned long addr, bool write,
			      int *si_code)
{
	struct vm_area_struct *vma;
	vm_fault_t fault;

	mmap_assert_locked(mm);
	if (addr >= TASK_SIZE) {
		/*
		 * Bits 63..47 not all equal: not canonical, and the CPU
		 * raises #GP, not #PF (do_general_protection(): SI_KERNEL).
		 */
		long top = (long)addr >> 47;

		*si_code = top == 0 || top == -1 ? SEGV_MAPERR : SI_KERNEL;
		return SIGSEGV;
	}
	vma = find_vma(mm, addr);
	if (unlikely(!vma || vma->vm_start > addr)) {
		int err;

		if (!vma || !(vma->vm_flags & VM_GROWSDOWN)) {
			*si_code = SEGV_MAPERR;
			return SIGSEGV;
		}
		/* lock_mm_and_find_vma(): upgrade, look again, expand */
		mmap_read_unlock(mm);
		mmap_write_lock(mm);
		vma = find_vma(mm, addr);
		err = -EFAULT;
		if (vma && vma->vm_start <= addr)
			err = 0;
		else if (vma)
			err = expand_downwards(vma, addr);
		mmap_write_unlock(mm);
		mmap_read_lock(mm);
		if (err) {
			*si_code = SEGV_MAPERR;
			return SIGSEGV;
		}
		return 0;	/* the VMA may have changed meanwhile: retry */
	}
	if (unlikely(access_error(write, vma))) {
		*si_code = SEGV_ACCERR;
		return SIGSEGV;
	}
	fault = handle_mm_fault(vma, addr, FAULT_FLAG_USER |
				(write ? FAULT_FLAG_WRITE : 0));
	if (likely(!(fault & VM_FAULT_ERROR)))
		return 0;
	if (fault & VM_FAULT_OOM) {
		/* pagefault_out_of_memory(): no OOM killer; the access fails */
		*si_code = BUS_ADRERR;
		return SIGBUS;
	}
	if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON)) {
		*si_code = BUS_ADRERR;
		return SIGBUS;
	}
	*si_code = SEGV_MAPERR;
	return SIGSEGV;
}

/*
 * The "MMU": the direct-map address of @addr if its PTE allows the access
 * now (setting accessed and dirty as the hardware would), else NULL.
 */
static inline void *mmu_translate(struct mm_struct *mm, unsigned long addr, bool write)
{
	unsigned long want = _PAGE_PRESENT | (write ? _PAGE_RW : 0);
	unsigned long bits = _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
	pte_t *pte;
	unsigned long v;

	/* the table indices ignore bits 47 and up: such an address would alias */
	if (unlikely(addr >= TASK_SIZE))
		return NULL;
	pte = pte_lookup(mm, addr);
	if (unlikely(!pte))
		return NULL;
	v = get_entry_acquire(&pte->pte);
	for (;;) {
		if (unlikely((v & want) != want))
			return NULL;
		if (likely((v & bits) == bits))
			break;
		if (__atomic_compare_exchange_n(&pte->pte, &v, v | bits, false,
						__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
			break;
	}
	return __va((v & PTE_PFN_MASK) | (addr & ~PAGE_MASK));
}

/* Translate, faulting as needed: NULL with the signal in *sig. */
static void *access_one(struct mm_struct *mm, unsigned long addr, bool write,
			int *sig, int *si_code)
{
	void *p;
	int tries = 0;

	while (!(p = mmu_translate(mm, addr, write))) {
		*sig = do_user_addr_fault(mm, addr, write, si_code);
		if (*sig)
			return NULL;
		if (unlikely(++tries > 64)) {	/* cannot happen: be safe */
			*sig = SIGSEGV;
			*si_code = SEGV_MAPERR;
			return NULL;
		}
	}
	return p;
}

int umm_touch(struct mm_struct *mm, unsigned long addr, unsigned long len,
	      int write, int *si_code)
{
	unsigned long last, a;
	int sig = 0, code = 0;

	if (!mm || !mm->pgd)
		return -EINVAL;
	if (!len)
		return 0;
	/* by the last byte, so that a range ending at 2^64 - 1 still has one */
	last = addr + len - 1;
	if (last < addr)
		last = ~0UL;
	mmap_read_lock(mm);
	for (a = addr;; a = (a & PAGE_MASK) + PAGE_SIZE) {
		/* the load first, then the store: two faults on fresh memory */
		/* relaxed atomics: the program's own races are not umm's */
		unsigned char *p = access_one(mm, a, false, &sig, &code);
		unsigned char v;

		if (!p)
			break;
		v = __atomic_load_n(p, __ATOMIC_RELAXED);
		if (write) {
			p = access_one(mm, a, true, &sig, &code);
			if (!p)
				break;
			__atomic_store_n(p, v, __ATOMIC_RELAXED);
		}
		if ((a | ~PAGE_MASK) >= last)
			break;
	}
	mmap_read_unlock(mm);
	if (sig && si_code)
		*si_code = code;
	return sig;
}

long umm_access(struct mm_struct *mm, unsigned long addr, void *buf,
		unsigned long len, int write)
{
	unsigned long done = 0;
	int sig = 0, code;

	if (!mm || !mm->pgd || (!buf && len))
		return -EFAULT;
	if (addr + len < addr)
		return -EFAULT;
	mmap_read_lock(mm);
	while (done < len) {
		unsigned long a = addr + done;
		unsigned long n = min(len - done, PAGE_SIZE - (a & ~PAGE_MASK));
		void *p = access_one(mm, a, write, &sig, &code);

		if (!p)
			break;
		if (write)
			copy_relaxed(p, (char *)buf + done, n);
		else
			copy_relaxed((char *)buf + done, p, n);
		done += n;
	}
	mmap_read_unlock(mm);
	if (!done && len)
		return -EFAULT;
	return (long)done;
}

int umm_virt_to_pfn(struct mm_struct *mm, unsigned long addr, unsigned long *pfn)
{
	pte_t *pte;
	int err = -EFAULT;

	if (!mm || !mm->pgd || !pfn || addr >= TASK_SIZE)
		return -EFAULT;
	mmap_read_lock(mm);
	mutex_lock(&mm->page_table_lock);
	pte = pte_lookup(mm, addr);
	if (pte) {
		pte_t v = ptep_get(pte);

		if (pte_present(v)) {
			*pfn = pte_pfn(v);
			err = 0;
		}
	}
	mutex_unlock(&mm->page_table_lock);
	mmap_read_unlock(mm);
	return err;
}

/* ---- fork (copy_page_range) ---- */

/*
 * copy_page_range - the child VMA @dst gets @src's PTEs: every page one
 * more reference and map count; a private writable page is
 * write-protected on both sides (COW) and no longer exclusive.  The
 * kernel copies only where a fault could not fill the PTE again: VMAs
 * with an anon_vma.  There the child gets every table the parent has,
 * empty ones too, as copy_pud_range() and below allocate the child's
 * table before they look at the entries (VmPTE is the same on both
 * sides).  Both mms' mmap_locks are held for writing.
 */
int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct mm_struct *dst_mm = dst->vm_mm, *src_mm = src->vm_mm;
	bool cow = is_cow_mapping(src->vm_flags);
	long rss[NR_MM_COUNTERS] = { 0 };
	unsigned long addr, next, end = src->vm_end;
	int ret = 0;

	mmap_assert_write_locked(dst_mm);
	mmap_assert_write_locked(src_mm);
	if (!src->anon_vma && !(src->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)))
		return 0;
	for (addr = src->vm_start; addr < end; addr = next) {
		pgd_t *spgd = pgd_offset(src_mm, addr);
		pud_t *spud, *dpud;
		pmd_t *spmd, *dpmd;
		pte_t *spte, *dpte;

		next = pmd_addr_end(addr, end);
		if (pgd_none(*spgd)) {
			next = pgd_addr_end(addr, end);
			continue;
		}
		dpud = pud_alloc(dst_mm, pgd_offset(dst_mm, addr), addr);
		if (!dpud)
			goto enomem;
		spud = pud_offset(spgd, addr);
		if (pud_none(*spud)) {
			next = pud_addr_end(addr, end);
			continue;
		}
		dpmd = pmd_alloc(dst_mm, dpud, addr);
		if (!dpmd)
			goto enomem;
		spmd = pmd_offset(spud, addr);
		if (pmd_none(*spmd))
			continue;
		if (pte_alloc(dst_mm, dpmd))
			goto enomem;
		spte = pte_offset_kernel(spmd, addr);
		dpte = pte_offset_kernel(dpmd, addr);
		for (; addr != next; addr += PAGE_SIZE, spte++, dpte++) {
			pte_t v = ptep_get(spte);
			struct page *page;

			if (pte_none(v))
				continue;
			page = vm_normal_page(src, addr, v);
			if (page) {
				get_page(page);
				if (PageAnon(page)) {
					ClearPageAnonExclusive(page);
					page_add_anon_rmap(page, dst, addr);
				} else {
					page_add_file_rmap(page, dst);
				}
				rss[mm_counter(page)]++;
			}
			if (cow && pte_write(v)) {
				set_pte(spte, pte_wrprotect(v));
				v = pte_wrprotect(v);
			}
			if (src->vm_flags & VM_SHARED)
				v = pte_mkclean(v);
			set_pte(dpte, pte_mkold(v));
		}
	}
out:
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(dst_mm, i, rss[i]);
	return ret;
enomem:
	ret = -ENOMEM;
	goto out;
}

/* ---- the page-table invariant checker ---- */


struct pt_walk_state {
	long rss[NR_MM_COUNTERS];
	long tables;
	int *pte_count;		/* per PFN, over all mms; NULL: not counted */
	unsigned long nr_pfns;	/* pte_count's length: max_pfn when it was made */
};

static int check_pte(struct mm_struct *mm, struct vm_area_struct *vma,
		     unsigned long addr, pte_t v, struct pt_walk_state *st)
{
	unsigned long pfn = pte_pfn(v);
	struct page *page;

	(void)mm;
	MM_CHECK(vma && vma->vm_start <= addr && addr < vma->vm_end,
		 "PTE at %lx outside any VMA", addr);
	MM_CHECK(pfn < max_pfn, "PTE at %lx maps pfn %lx beyond memory", addr, pfn);
	MM_CHECK(!pte_write(v) || (vma->vm_flags & VM_WRITE),
		 "writable PTE at %lx in a VMA without VM_WRITE", addr);
	page = vm_normal_page(vma, addr, v);
	if (!page) {
		MM_CHECK(!pte_write(v), "writable zero-page PTE at %lx", addr);
		return 0;
	}
	MM_CHECK(page_count(page) >= page_mapcount(page) && page_mapcount(page) > 0,
		 "page %lx at %lx: refcount %d mapcount %d", pfn, addr,
		 page_count(page), page_mapcount(page));
	MM_CHECK(!PageTable(page) && !PageSlab(page) && !PageBuddy(page),
		 "PTE at %lx maps a page of type %x", addr, page->page_type);
	if (PageAnon(page)) {
		struct anon_vma *av = page_anon_vma(page);

		MM_CHECK(vma->anon_vma && av && av->root == vma->anon_vma->root,
			 "anonymous page at %lx not in its VMA's anon_vma tree", addr);
		MM_CHECK(page->index == linear_page_index(vma, addr),
			 "anonymous page at %lx has index %lx, not %lx", addr,
			 page->index, linear_page_index(vma, addr));
		MM_CHECK(!PageAnonExclusive(page) || page_mapcount(page) == 1,
			 "exclusive page at %lx mapped %d times", addr, page_mapcount(page));
	} else {
		MM_CHECK(page->mapping, "file page at %lx has no mapping", addr);
	}
	if (pte_write(v) && is_cow_mapping(vma->vm_flags))
		MM_CHECK(PageAnon(page) && PageAnonExclusive(page),
			 "writable PTE at %lx of a COW VMA maps a shared page", addr);
	st->rss[mm_counter(page)]++;
	if (st->pte_count && pfn < st->nr_pfns)
		st->pte_count[pfn]++;
	return 0;
}

/* Walk every table of @mm; every present PTE checked and counted. */
static int walk_check(struct mm_struct *mm, struct pt_walk_state *st)
{
	pgd_t *pgd = mm->pgd;
	struct vm_area_struct *vma = mm->mmap;

	for (unsigned long i = 0; i < PTRS_PER_PGD; i++) {
		pud_t *pud;

		if (pgd_none(pgd[i]))
			continue;
		MM_CHECK(i < pgd_index(TASK_SIZE - 1) + 1, "pgd entry %lu above TASK_SIZE", i);
		st->tables++;
		pud = pgd_page_vaddr(pgd[i]);
		MM_CHECK(PageTable(virt_to_page(pud)), "pgd entry %lu: not a table page", i);
		for (unsigned long j = 0; j < PTRS_PER_PUD; j++) {
			pmd_t *pmd;

			if (pud_none(pud[j]))
				continue;
			st->tables++;
			pmd = pud_page_vaddr(pud[j]);
			MM_CHECK(PageTable(virt_to_page(pmd)), "pud entry: not a table page");
			for (unsigned long k = 0; k < PTRS_PER_PMD; k++) {
				unsigned long base = (i << PGDIR_SHIFT) | (j << PUD_SHIFT) |
						     (k << PMD_SHIFT);
				pte_t *pte;

				if (pmd_none(pmd[k]))
					continue;
				st->tables++;
				pte = pmd_page_vaddr(pmd[k]);
				MM_CHECK(PageTable(virt_to_page(pte)), "pmd entry: not a table page");
				for (unsigned long l = 0; l < PTRS_PER_PTE; l++) {
					unsigned long addr = base | (l << PAGE_SHIFT);
					pte_t v = ptep_get(pte + l);
					int err;

					if (pte_none(v))
						continue;
					while (vma && vma->vm_end <= addr)
						vma = vma->vm_next;
					err = check_pte(mm, vma, addr, v, st);
					if (err)
						return err;
				}
			}
		}
	}
	return 0;
}

/*
 * The other mms a map-count check holds: write-locked by trylock (a
 * fault takes mmap_lock for reading, and a fault in any mm that shares a
 * page changes its map count), kept until the counts are compared.
 */
#define MAPCOUNT_MAX_MMS	64

struct mapcount_walk {
	int *pte_count;
	unsigned long nr_pfns;
	bool incomplete;
	int err;
	int nr_held;
	struct mm_struct *held[MAPCOUNT_MAX_MMS];
};

/* mm_list_walk() callback: count the PTEs of another mm, and hold it. */
static int count_mm_ptes(struct mm_struct *mm, void *arg)
{
	struct mapcount_walk *w = arg;
	struct pt_walk_state st = { .pte_count = w->pte_count, .nr_pfns = w->nr_pfns };

	if (!mm->pgd)
		return 0;
	if (w->nr_held == MAPCOUNT_MAX_MMS || !mmap_write_trylock(mm)) {
		w->incomplete = true;
		return 1;	/* the counts cannot be exact: stop here */
	}
	w->held[w->nr_held++] = mm;
	mutex_lock(&mm->page_table_lock);
	w->err = walk_check(mm, &st);
	mutex_unlock(&mm->page_table_lock);
	return w->err;
}

/* Each counted page's mapcount matches the PTEs that map it. */
static int check_mapcounts(struct mapcount_walk *w)
{
	if (w->incomplete)
		return 0;
	for (unsigned long pfn = 0; pfn < w->nr_pfns; pfn++) {
		struct page *page;

		if (!w->pte_count[pfn])
			continue;
		page = pfn_to_page(pfn);
		MM_CHECK(page_mapcount(page) == w->pte_count[pfn],
			 "page %lx: mapcount %d, %d PTEs map it", pfn,
			 page_mapcount(page), w->pte_count[pfn]);
	}
	return 0;
}

/* After the walk, still under the mm list lock: compare, let the mms go. */
static int mapcounts_done(int err, void *arg)
{
	struct mapcount_walk *w = arg;

	if (!err)
		err = check_mapcounts(w);
	else if (w->incomplete)
		err = 0;
	while (w->nr_held)
		mmap_write_unlock(w->held[--w->nr_held]);
	return err;
}

/* The counters of @mm against what its PTEs hold (page_table_lock held). */
static int check_counters(struct mm_struct *mm, const struct pt_walk_state *st)
{
	lockdep_assert_held(&mm->page_table_lock);

	MM_CHECK((long)mm->pgtables_bytes == st->tables * (long)PAGE_SIZE,
		 "pgtables_bytes %ld, %ld table pages", mm->pgtables_bytes, st->tables);
	MM_CHECK(mm->rss_stat[MM_ANONPAGES] == st->rss[MM_ANONPAGES],
		 "MM_ANONPAGES %ld, %ld anonymous PTEs", mm->rss_stat[MM_ANONPAGES],
		 st->rss[MM_ANONPAGES]);
	MM_CHECK(mm->rss_stat[MM_FILEPAGES] == st->rss[MM_FILEPAGES],
		 "MM_FILEPAGES %ld, %ld file PTEs", mm->rss_stat[MM_FILEPAGES],
		 st->rss[MM_FILEPAGES]);
	MM_CHECK(mm->rss_stat[MM_SHMEMPAGES] == st->rss[MM_SHMEMPAGES],
		 "MM_SHMEMPAGES %ld, %ld shmem PTEs", mm->rss_stat[MM_SHMEMPAGES],
		 st->rss[MM_SHMEMPAGES]);
	return 0;
}

/*
 * pgtable_check - the invariants in the head comment for @mm (mmap_lock
 * held by the caller: for writing, so that no fault changes it under
 * the walk, for the results to be exact); map counts against the PTEs
 * of every live mm when every other one can be write-locked now
 * (trylock: no lock order with them), else not at all.
 */
int pgtable_check(struct mm_struct *mm, bool all_mms)
{
	struct mapcount_walk w = { 0 };
	struct pt_walk_state st = { 0 };
	int err;

	if (!mm->pgd)
		return 0;
	/*
	 * A checker must not take a failure injected for the code it checks.
	 * Its allocation may hot-add memory and move max_pfn: the map counts
	 * checked are those of the PFNs there were before it.
	 */
	w.nr_pfns = max_pfn;
	if (all_mms && w.nr_pfns)
		w.pte_count = __vmalloc(w.nr_pfns * sizeof(int),
					GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN | __GFP_NOFAIL);
	st.pte_count = w.pte_count;
	st.nr_pfns = w.nr_pfns;
	/* the counters against the PTEs with no fault in between */
	mutex_lock(&mm->page_table_lock);
	err = walk_check(mm, &st);
	if (!err)
		err = check_counters(mm, &st);
	mutex_unlock(&mm->page_table_lock);
	/* map counts: ours is locked already, the others held by trylock */
	if (!err && w.pte_count)
		err = mm_list_walk_then(mm, count_mm_ptes, mapcounts_done, &w);
	if (w.pte_count)
		vfree(w.pte_count);
	return err;
}
