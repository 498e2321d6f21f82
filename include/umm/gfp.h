/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gfp.h - Get Free Page flags and the page allocator's API
 * (include/linux/gfp_types.h, include/linux/gfp.h).
 *
 * The flag bits have the kernel's meaning:
 *   zone modifiers   __GFP_DMA, __GFP_DMA32 (and __GFP_MOVABLE, which also
 *                    picks the MOVABLE migratetype; umm has no ZONE_MOVABLE)
 *   mobility         __GFP_RECLAIMABLE, __GFP_MOVABLE -> migratetype
 *   watermarks       __GFP_HIGH (may use half the min reserve), and
 *                    atomic (no __GFP_DIRECT_RECLAIM) a further quarter
 *   reclaim          __GFP_DIRECT_RECLAIM: may "reclaim", which in umm means
 *                    hot-adding a memory section from the host (see
 *                    mm/memory_hotplug.c); __GFP_KSWAPD_RECLAIM is accepted
 *   action           __GFP_ZERO, __GFP_COMP, __GFP_NOWARN, __GFP_NOFAIL,
 *                    __GFP_NORETRY, __GFP_THISNODE
 */
#ifndef _UMM_GFP_H
#define _UMM_GFP_H

#include "compiler.h"

UMM_BEGIN_DECLS

#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_ZEROTAGS		0x800000u

#define __GFP_DMA		((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM		((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32		((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE		((gfp_t)___GFP_MOVABLE)
#define GFP_ZONEMASK	(__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define __GFP_RECLAIMABLE	((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_HIGH		((gfp_t)___GFP_HIGH)
#define __GFP_IO		((gfp_t)___GFP_IO)
#define __GFP_FS		((gfp_t)___GFP_FS)
#define __GFP_ZERO		((gfp_t)___GFP_ZERO)
#define __GFP_DIRECT_RECLAIM	((gfp_t)___GFP_DIRECT_RECLAIM)
#define __GFP_KSWAPD_RECLAIM	((gfp_t)___GFP_KSWAPD_RECLAIM)
#define __GFP_RECLAIM	((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define __GFP_NOWARN		((gfp_t)___GFP_NOWARN)
#define __GFP_RETRY_MAYFAIL	((gfp_t)___GFP_RETRY_MAYFAIL)
#define __GFP_NOFAIL		((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY		((gfp_t)___GFP_NORETRY)
#define __GFP_MEMALLOC		((gfp_t)___GFP_MEMALLOC)
#define __GFP_COMP		((gfp_t)___GFP_COMP)
#define __GFP_NOMEMALLOC	((gfp_t)___GFP_NOMEMALLOC)
#define __GFP_HARDWALL		((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE		((gfp_t)___GFP_THISNODE)
#define __GFP_ACCOUNT		((gfp_t)___GFP_ACCOUNT)
#define __GFP_ZEROTAGS		((gfp_t)___GFP_ZEROTAGS)
#define __GFP_BITS_SHIFT	24
#define __GFP_BITS_MASK		((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))

#define GFP_ATOMIC	(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL	(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT	(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO	(__GFP_RECLAIM)
#define GFP_NOFS	(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER	(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA		__GFP_DMA
#define GFP_DMA32	__GFP_DMA32
#define GFP_HIGHUSER	(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT ((GFP_HIGHUSER_MOVABLE | __GFP_COMP | \
			      __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE	(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

#define GFP_MOVABLE_MASK  (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT 3

static inline bool gfpflags_allow_blocking(gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

struct page;

/* The page allocator (mm/page_alloc.c). */
UMM_API struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
UMM_API struct page *alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order);
UMM_API struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
				   void *nodemask);
UMM_API unsigned long alloc_pages_bulk_array(gfp_t gfp, unsigned long nr_pages,
					     struct page **page_array);
UMM_API unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
UMM_API unsigned long get_zeroed_page(gfp_t gfp_mask);
UMM_API void __free_pages(struct page *page, unsigned int order);
UMM_API void free_pages(unsigned long addr, unsigned int order);
UMM_API void *alloc_pages_exact(size_t size, gfp_t gfp_mask);
UMM_API void free_pages_exact(void *virt, size_t size);
/* Contiguous runs beyond MAX_PAGE_ORDER (the kernel's CONFIG_CONTIG_ALLOC). */
UMM_API struct page *alloc_contig_pages(unsigned long nr_pages, gfp_t gfp_mask, int nid,
					void *nodemask);
UMM_API void free_contig_range(unsigned long pfn, unsigned long nr_pages);
UMM_API void drain_all_pages(void *zone);
UMM_API void drain_local_pages(void *zone);

#define alloc_page(gfp_mask)		alloc_pages(gfp_mask, 0)
#define __get_free_page(gfp_mask)	__get_free_pages((gfp_mask), 0)
#define __get_dma_pages(gfp_mask, order) __get_free_pages((gfp_mask) | GFP_DMA, (order))
#define __free_page(page)		__free_pages((page), 0)
#define free_page(addr)			free_pages((addr), 0)

UMM_END_DECLS

#endif /* _UMM_GFP_H */
