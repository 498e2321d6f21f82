/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgtable.h - x86-64 four-level page tables of a umm address space
 * (arch/x86/include/asm/pgtable*.h, include/linux/pgtable.h), and the
 * page-state helpers that faults, rmap and /proc/PID/smaps share.
 *
 * Layout: mm->pgd points at one page-table page of 512 pgd_t; each level
 * below (PUD, PMD, PTE) is one page of 512 entries, every table page a
 * frame from the page allocator (page type PGTY_table), reached through
 * the direct map.  P4D is folded, as with 4-level paging.  An upper-level
 * entry holds the table page's "physical" address (umm PFN << 12) with
 * _PAGE_TABLE; a PTE holds the mapped frame's address with the protection
 * bits below.  umm maps only 4 KiB pages: no PSE/huge entries, no swap
 * entries: a PTE is none, present, or PROT_NONE (_PAGE_PROTNONE without
 * _PAGE_PRESENT: a page mprotect()ed to PROT_NONE stays mapped and
 * counted, and pte_present() says so, as on x86).
 *
 * What the bits mean in umm, since no MMU reads them: the fault handler
 * (mm/memory.c) is the MMU.  umm_access() walks the tables like the
 * hardware would, sets _PAGE_ACCESSED on every access and _PAGE_DIRTY on
 * writes, and calls handle_mm_fault() when the PTE is absent or forbids
 * the access.
 *
 * Locking: page tables change under mmap_lock held for writing, or for
 * reading plus mm->page_table_lock (faults).  Readers that only look
 * (smaps, pagemap) hold mmap_lock for reading and page_table_lock.
 */
#ifndef _UMM_PGTABLE_H
#define _UMM_PGTABLE_H

#include "compiler.h"
#include "mm.h"
#include "mmap.h"

UMM_BEGIN_DECLS

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef struct { unsigned long pud; } pud_t;
typedef struct { unsigned long pgd; } pgd_t;

#define PGDIR_SHIFT	39
#define PUD_SHIFT	30
/* PMD_SHIFT (21) comes from mmap.h */
#define PTRS_PER_PGD	512
#define PTRS_PER_PUD	512
#define PTRS_PER_PMD	512
#define PTRS_PER_PTE	512
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PMD_MASK	(~(PMD_SIZE - 1))

/* x86 PTE bits (arch/x86/include/asm/pgtable_types.h). */
#define _PAGE_BIT_PRESENT	0
#define _PAGE_BIT_RW		1
#define _PAGE_BIT_USER		2
#define _PAGE_BIT_PWT		3
#define _PAGE_BIT_PCD		4
#define _PAGE_BIT_ACCESSED	5
#define _PAGE_BIT_DIRTY		6
#define _PAGE_BIT_PSE		7
#define _PAGE_BIT_GLOBAL	8
#define _PAGE_BIT_SOFT_DIRTY	11
#define _PAGE_BIT_NX		63

#define _PAGE_PRESENT	(1UL << _PAGE_BIT_PRESENT)
#define _PAGE_RW	(1UL << _PAGE_BIT_RW)
#define _PAGE_USER	(1UL << _PAGE_BIT_USER)
#define _PAGE_PWT	(1UL << _PAGE_BIT_PWT)
#define _PAGE_PCD	(1UL << _PAGE_BIT_PCD)
#define _PAGE_ACCESSED	(1UL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY	(1UL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE	(1UL << _PAGE_BIT_PSE)
#define _PAGE_GLOBAL	(1UL << _PAGE_BIT_GLOBAL)
#define _PAGE_SOFT_DIRTY (1UL << _PAGE_BIT_SOFT_DIRTY)
#define _PAGE_NX	(1UL << _PAGE_BIT_NX)
/* PROT_NONE: not present to the MMU, but a mapping (reuses _PAGE_GLOBAL). */
#define _PAGE_PROTNONE	0x100UL

/* Physical address bits of an entry: 52-bit physical, 4 KiB aligned. */
#define PTE_PFN_MASK	(((1UL << 52) - 1) & ~(PAGE_SIZE - 1))
#define PTE_FLAGS_MASK	(~PTE_PFN_MASK)
/* What an upper-level entry carries besides the table's address. */
#define _PAGE_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

static inline unsigned long pte_val(pte_t pte) { return pte.pte; }
static inline unsigned long pmd_val(pmd_t pmd) { return pmd.pmd; }
static inline unsigned long pud_val(pud_t pud) { return pud.pud; }
static inline unsigned long pgd_val(pgd_t pgd) { return pgd.pgd; }
static inline pte_t __pte(unsigned long v) { return (pte_t){ v }; }
static inline pmd_t __pmd(unsigned long v) { return (pmd_t){ v }; }
static inline pud_t __pud(unsigned long v) { return (pud_t){ v }; }
static inline pgd_t __pgd(unsigned long v) { return (pgd_t){ v }; }

/* Index of @addr in each level's table. */
static inline unsigned long pgd_index(unsigned long addr)
{ return (addr >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1); }
static inline unsigned long pud_index(unsigned long addr)
{ return (addr >> PUD_SHIFT) & (PTRS_PER_PUD - 1); }
static inline unsigned long pmd_index(unsigned long addr)
{ return (addr >> PMD_SHIFT) & (PTRS_PER_PMD - 1); }
static inline unsigned long pte_index(unsigned long addr)
{ return (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1); }

/* The end of the entry's span that covers @addr, or @end if sooner. */
static inline unsigned long pgd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PGDIR_SIZE) & PGDIR_MASK;

	return b - 1 < end - 1 ? b : end;
}
static inline unsigned long pud_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PUD_SIZE) & PUD_MASK;

	return b - 1 < end - 1 ? b : end;
}
static inline unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long b = (addr + PMD_SIZE) & PMD_MASK;

	return b - 1 < end - 1 ? b : end;
}

static inline bool pgd_none(pgd_t pgd) { return !pgd_val(pgd); }
static inline bool pud_none(pud_t pud) { return !pud_val(pud); }
static inline bool pmd_none(pmd_t pmd) { return !pmd_val(pmd); }
static inline bool pte_none(pte_t pte) { return !pte_val(pte); }
/* A mapping, accessible or PROT_NONE (x86's pte_present()). */
static inline bool pte_present(pte_t pte)
{ return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE); }

/* The table page an upper-level entry points to, in the direct map. */
static inline pud_t *pgd_page_vaddr(pgd_t pgd)
{ return (pud_t *)__va(pgd_val(pgd) & PTE_PFN_MASK); }
static inline pmd_t *pud_page_vaddr(pud_t pud)
{ return (pmd_t *)__va(pud_val(pud) & PTE_PFN_MASK); }
static inline pte_t *pmd_page_vaddr(pmd_t pmd)
{ return (pte_t *)__va(pmd_val(pmd) & PTE_PFN_MASK); }

/* Walking down: the entry for @addr at each level (p4d folded). */
static inline pgd_t *pgd_offset(struct mm_struct *mm, unsigned long addr)
{ return (pgd_t *)mm->pgd + pgd_index(addr); }
static inline pud_t *pud_offset(pgd_t *pgd, unsigned long addr)
{ return pgd_page_vaddr(*pgd) + pud_index(addr); }
static inline pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{ return pud_page_vaddr(*pud) + pmd_index(addr); }
static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{ return pmd_page_vaddr(*pmd) + pte_index(addr); }
#define pte_offset_map(pmd, addr)	pte_offset_kernel(pmd, addr)
#define pte_unmap(pte)			((void)(pte))

/* A PTE's target and bits. */
static inline unsigned long pte_pfn(pte_t pte)
{ return (pte_val(pte) & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline bool pte_write(pte_t pte) { return pte_val(pte) & _PAGE_RW; }
static inline bool pte_dirty(pte_t pte) { return pte_val(pte) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t pte) { return pte_val(pte) & _PAGE_ACCESSED; }
static inline bool pte_exec(pte_t pte) { return !(pte_val(pte) & _PAGE_NX); }
static inline bool pte_user(pte_t pte) { return pte_val(pte) & _PAGE_USER; }
static inline bool pte_soft_dirty(pte_t pte) { return pte_val(pte) & _PAGE_SOFT_DIRTY; }

static inline pte_t pte_set_flags(pte_t pte, unsigned long set)
{ return __pte(pte_val(pte) | set); }
static inline pte_t pte_clear_flags(pte_t pte, unsigned long clear)
{ return __pte(pte_val(pte) & ~clear); }
static inline pte_t pte_mkwrite(pte_t pte) { return pte_set_flags(pte, _PAGE_RW); }
static inline pte_t pte_wrprotect(pte_t pte) { return pte_clear_flags(pte, _PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t pte)
{ return pte_set_flags(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY); }
static inline pte_t pte_mkclean(pte_t pte) { return pte_clear_flags(pte, _PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t pte) { return pte_set_flags(pte, _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t pte) { return pte_clear_flags(pte, _PAGE_ACCESSED); }

/* A PTE for @pfn with the VMA's protection (vma->vm_page_prot). */
static inline pte_t pfn_pte(unsigned long pfn, pgprotval_t prot)
{ return __pte(PFN_PHYS(pfn) | (prot & PTE_FLAGS_MASK)); }
static inline pte_t mk_pte(struct page *page, pgprotval_t prot)
{ return pfn_pte(page_to_pfn(page), prot); }
static inline pte_t pte_modify(pte_t pte, pgprotval_t newprot)
{
	/* keep address, accessed, dirty, soft-dirty; take the rest from newprot */
	unsigned long keep = PTE_PFN_MASK | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFT_DIRTY;

	return __pte((pte_val(pte) & keep) | (newprot & ~keep));
}

static inline struct page *pte_page(pte_t pte) { return pfn_to_page(pte_pfn(pte)); }

static inline pte_t ptep_get(pte_t *ptep) { return __pte(READ_ONCE(ptep->pte)); }
static inline void set_pte(pte_t *ptep, pte_t pte) { WRITE_ONCE(ptep->pte, pte_val(pte)); }
#define set_pte_at(mm, addr, ptep, pte)	set_pte(ptep, pte)
static inline void pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{ (void)mm; (void)addr; set_pte(ptep, __pte(0)); }

/*
 * Changing a PTE that the "MMU" may be updating: umm_touch()/umm_access()
 * set _PAGE_ACCESSED and _PAGE_DIRTY with a compare-and-swap and no lock,
 * as the hardware does, whenever the PTE allows the access; a writer
 * holding only mmap_lock for reading (a fault, msync, a /proc walk that
 * clears bits) must use these so that no dirty bit is lost (x86's
 * ptep_get_and_clear(), ptep_set_wrprotect(), ptep_test_and_clear_young()).
 * With mmap_lock held for writing no access runs, and set_pte() is enough.
 */
static inline pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr,
				       pte_t *ptep)
{
	(void)mm;
	(void)addr;
	return __pte(__atomic_exchange_n(&ptep->pte, 0UL, __ATOMIC_ACQ_REL));
}
static inline void ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr,
				      pte_t *ptep)
{
	(void)mm;
	(void)addr;
	__atomic_fetch_and(&ptep->pte, ~_PAGE_RW, __ATOMIC_ACQ_REL);
}
static inline bool ptep_test_and_clear_young(struct mm_struct *mm, unsigned long addr,
					     pte_t *ptep)
{
	(void)mm;
	(void)addr;
	return __atomic_fetch_and(&ptep->pte, ~_PAGE_ACCESSED, __ATOMIC_ACQ_REL) &
	       _PAGE_ACCESSED;
}
/* Set bits the MMU could set too (accessed, dirty) without losing its own. */
static inline void ptep_set_flags(pte_t *ptep, unsigned long flags)
{
	__atomic_fetch_or(&ptep->pte, flags, __ATOMIC_ACQ_REL);
}

/*
 * Page state that faults set and smaps reads (include/linux/page-flags.h,
 * mm.h).  An anonymous page's ->mapping is its anon_vma with bit 0 set
 * (PAGE_MAPPING_ANON); a page-cache page's is the file's address_space.
 * ->index is the page's offset in pages (linear_page_index()).
 * ->_mapcount counts the PTEs that map the page, from -1.  The shared
 * zero page (my_zero_pfn()) is never counted in RSS or mapcount.
 */
#define PAGE_MAPPING_ANON	0x1UL
#define PAGE_MAPPING_FLAGS	0x3UL

static inline bool PageAnon(const struct page *page)
{
	return ((unsigned long)READ_ONCE(compound_head(page)->mapping) & PAGE_MAPPING_ANON) != 0;
}

/* The shared zero page (mm/memory.c), set at the first umm_mm_create(). */
UMM_API extern unsigned long zero_pfn;
static inline unsigned long my_zero_pfn(unsigned long addr)
{ (void)addr; return zero_pfn; }
static inline bool is_zero_pfn(unsigned long pfn) { return pfn == zero_pfn; }

static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	long v = __atomic_load_n(&mm->rss_stat[member], __ATOMIC_RELAXED);

	return v < 0 ? 0 : (unsigned long)v;
}
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{ __atomic_fetch_add(&mm->rss_stat[member], value, __ATOMIC_RELAXED); }
#define inc_mm_counter(mm, member)	add_mm_counter(mm, member, 1)
#define dec_mm_counter(mm, member)	add_mm_counter(mm, member, -1)
static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}
static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

UMM_END_DECLS

#endif /* _UMM_PGTABLE_H */
