/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm.h - frames and their addresses (include/linux/mm.h, asm/page.h).
 *
 * umm's physical memory is a host memfd; every frame has one struct page
 * in mem_map[] and one address in the direct map at PAGE_OFFSET, so
 * pfn_to_page(), page_to_pfn(), page_address() and virt_to_page() are
 * the kernel's O(1) arithmetic (SPARSEMEM_VMEMMAP style).  Both arrays are
 * reserved for the largest memory umm may hot-add, and populated a section
 * at a time.
 */
#ifndef _UMM_MM_H
#define _UMM_MM_H

#include "compiler.h"
#include <sys/sysinfo.h>
#include "mm_types.h"
#include "page-flags.h"
#include "mmzone.h"
#include "gfp.h"

UMM_BEGIN_DECLS

UMM_API extern struct page *mem_map;
UMM_API extern unsigned long umm_page_offset;
UMM_API extern unsigned long max_pfn;		/* first PFN past present memory */
UMM_API extern unsigned long totalram_pages_count;

#define PAGE_OFFSET	umm_page_offset
#define __pa(x)		((unsigned long)(x) - PAGE_OFFSET)
#define __va(x)		((void *)((unsigned long)(x) + PAGE_OFFSET))
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)	((unsigned long)(x) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))

static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - mem_map);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return mem_map + pfn;
}

static inline void *page_address(const struct page *page)
{
	return (void *)(PAGE_OFFSET + (page_to_pfn(page) << PAGE_SHIFT));
}

static inline void *lowmem_page_address(const struct page *page)
{
	return page_address(page);
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(((unsigned long)addr - PAGE_OFFSET) >> PAGE_SHIFT);
}

#define virt_to_pfn(addr)	(((unsigned long)(addr) - PAGE_OFFSET) >> PAGE_SHIFT)
#define pfn_to_virt(pfn)	__va(PFN_PHYS(pfn))
#define page_to_virt(page)	page_address(page)
#define page_to_phys(page)	PFN_PHYS(page_to_pfn(page))

UMM_API bool pfn_valid(unsigned long pfn);
UMM_API bool virt_addr_valid(const void *addr);

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((READ_ONCE(page->flags) >> ZONES_PGSHIFT) & ZONES_MASK);
}

static inline int page_to_nid(const struct page *page)
{
	return (int)((READ_ONCE(page->flags) >> NODES_PGSHIFT) & NODES_MASK);
}

static inline struct zone *page_zone(const struct page *page)
{
	return &NODE_DATA(page_to_nid(page))->node_zones[page_zonenum(page)];
}

static inline struct pglist_data *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}

/* Reference counts (include/linux/page_ref.h, mm.h). */
static inline int page_ref_count(const struct page *page)
{
	return __atomic_load_n(&page->_refcount, __ATOMIC_RELAXED);
}

static inline int page_count(const struct page *page)
{
	return page_ref_count(compound_head(page));
}

static inline void set_page_count(struct page *page, int v)
{
	__atomic_store_n(&page->_refcount, v, __ATOMIC_RELAXED);
}

static inline void set_page_refcounted(struct page *page)
{
	set_page_count(page, 1);
}

static inline void page_ref_inc(struct page *page)
{
	__atomic_fetch_add(&page->_refcount, 1, __ATOMIC_RELAXED);
}

static inline bool page_ref_dec_and_test(struct page *page)
{
	return __atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_ACQ_REL) == 0;
}

static inline bool put_page_testzero(struct page *page)
{
	return page_ref_dec_and_test(page);
}

static inline void get_page(struct page *page)
{
	page_ref_inc(compound_head(page));
}

UMM_API void __put_page(struct page *page);

/* Drop a reference; the last one frees the page (or the compound page). */
static inline void put_page(struct page *page)
{
	page = compound_head(page);
	if (put_page_testzero(page))
		__put_page(page);
}

/* Map counts change under other mms' locks (fork shares pages): atomic. */
static inline int page_mapcount(const struct page *page)
{
	return __atomic_load_n(&page->_mapcount, __ATOMIC_RELAXED) + 1;
}

static inline unsigned long page_private(const struct page *page)
{
	return READ_ONCE(page->UMM_PRIVATE);
}

static inline void set_page_private(struct page *page, unsigned long data)
{
	WRITE_ONCE(page->UMM_PRIVATE, data);
}

static inline unsigned long page_size(const struct page *page)
{
	return PAGE_SIZE << compound_order(page);
}

/* The page allocator's queries (mm/page_alloc.c, mm/show_mem.c). */
UMM_API void split_page(struct page *page, unsigned int order);
UMM_API unsigned long nr_free_pages(void);
UMM_API unsigned long totalram_pages(void);
UMM_API void si_meminfo(struct sysinfo *val);
UMM_API void si_meminfo_node(struct sysinfo *val, int nid);
UMM_API unsigned long si_mem_available(void);
UMM_API int get_pfnblock_migratetype(const struct page *page, unsigned long pfn);
/* umm's own queries. */
UMM_API unsigned long umm_pcp_pages(void);	/* pages on all pcp lists */
UMM_API long umm_min_free_kbytes(void);
UMM_API int umm_format_gfp(char *buf, size_t size, gfp_t gfp);	/* like %pGg */
UMM_API bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			       int highest_zoneidx, unsigned int alloc_flags);
#define get_pageblock_migratetype(page) \
	get_pfnblock_migratetype(page, page_to_pfn(page))

static inline int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return 64 - __builtin_clzl((size - 1) >> PAGE_SHIFT);
}

UMM_END_DECLS

#endif /* _UMM_MM_H */
