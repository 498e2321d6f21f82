/* SPDX-License-Identifier: GPL-2.0 */
/*
 * page-flags.h - page->flags bits and page types (include/linux/page-flags.h).
 *
 * page->flags: bits 0.. are PG_*, bits 56..57 hold the zone index and bits
 * 58..63 the node id, as the kernel packs them (no section bits: umm's
 * mem_map is one virtually contiguous array, SPARSEMEM_VMEMMAP style).
 * Page types live in the top byte of page->page_type, which overlays
 * _mapcount: 0xffffffff means "no type, not mapped".
 */
#ifndef _UMM_PAGE_FLAGS_H
#define _UMM_PAGE_FLAGS_H

#include "mm_types.h"

UMM_BEGIN_DECLS

enum pageflags {
	PG_locked,
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,		/* first page of a compound page */
	PG_waiters,
	PG_active,
	PG_workingset,
	PG_owner_priv_1,
	PG_owner_2,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	PG_anon_exclusive,
	__NR_PAGEFLAGS,
	/* A free block whose memory was handed back to the host. */
	PG_reported = PG_uptodate,
};

#define NODES_SHIFT	6
#define MAX_NUMNODES	(1 << NODES_SHIFT)
#define ZONES_SHIFT	2
#define NODES_PGSHIFT	(64 - NODES_SHIFT)
#define ZONES_PGSHIFT	(NODES_PGSHIFT - ZONES_SHIFT)
#define NODES_MASK	((1UL << NODES_SHIFT) - 1)
#define ZONES_MASK	((1UL << ZONES_SHIFT) - 1)
#define PAGEFLAGS_MASK	((1UL << ZONES_PGSHIFT) - 1)

#define PGTY_buddy	0xf0u
#define PGTY_offline	0xf1u
#define PGTY_table	0xf2u
#define PGTY_guard	0xf3u
#define PGTY_hugetlb	0xf4u
#define PGTY_slab	0xf5u
#define PGTY_zsmalloc	0xf6u
#define PGTY_unaccepted	0xf7u
#define PGTY_large_kmalloc 0xf8u
/*
 * umm's own: a slab's tail pages (the kernel types only the folio, the
 * head).  One bit apart from PGTY_slab, so that one masked compare
 * tells a slab's page of either kind (see mm/slab.h's page_slab_fast()).
 */
#define PGTY_slab_tail	0xfdu
#define PAGE_TYPE_NONE	0xffffffffu

static inline bool test_bit_flag(int nr, const struct page *page)
{
	return READ_ONCE(page->flags) & (1UL << nr);
}

#define __PAGEFLAG(uname, lname)					\
static inline bool Page##uname(const struct page *page)			\
{ return READ_ONCE(page->flags) & (1UL << PG_##lname); }	\
static inline void __SetPage##uname(struct page *page)			\
{ WRITE_ONCE(page->flags, page->flags | (1UL << PG_##lname)); }	\
static inline void __ClearPage##uname(struct page *page)		\
{ WRITE_ONCE(page->flags, page->flags & ~(1UL << PG_##lname)); }	\
static inline void SetPage##uname(struct page *page)			\
{ __atomic_fetch_or(&page->flags, 1UL << PG_##lname, __ATOMIC_RELAXED); } \
static inline void ClearPage##uname(struct page *page)			\
{ __atomic_fetch_and(&page->flags, ~(1UL << PG_##lname), __ATOMIC_RELAXED); }

__PAGEFLAG(Locked, locked)
__PAGEFLAG(Referenced, referenced)
__PAGEFLAG(Uptodate, uptodate)
__PAGEFLAG(Dirty, dirty)
__PAGEFLAG(LRU, lru)
__PAGEFLAG(Head, head)
__PAGEFLAG(Active, active)
__PAGEFLAG(Reserved, reserved)
__PAGEFLAG(Private, private)
__PAGEFLAG(SwapBacked, swapbacked)
__PAGEFLAG(Unevictable, unevictable)
__PAGEFLAG(Mlocked, mlocked)
__PAGEFLAG(Reported, reported)
__PAGEFLAG(Writeback, writeback)
__PAGEFLAG(Workingset, workingset)
__PAGEFLAG(OwnerPriv1, owner_priv_1)

static inline bool page_has_type(const struct page *page)
{
	return page->page_type < PAGE_TYPE_NONE && (page->page_type >> 24) >= PGTY_buddy;
}

/*
 * The type is the top byte of page_type: on a little-endian host a byte
 * load of it (cmpb with an immediate) instead of a load, shift and
 * compare; these tests sit on the slab and page allocators' fast paths.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define page_type_byte(page)	READ_ONCE(((const unsigned char *)&(page)->page_type)[3])
#else
#define page_type_byte(page)	(READ_ONCE((page)->page_type) >> 24)
#endif

#define PAGE_TYPE_OPS(uname, lname)					\
static inline bool Page##uname(const struct page *page)			\
{ return page_type_byte(page) == PGTY_##lname; }			\
static inline void __SetPage##uname(struct page *page)			\
{ WRITE_ONCE(page->page_type, PGTY_##lname << 24); }	\
static inline void __ClearPage##uname(struct page *page)		\
{ WRITE_ONCE(page->page_type, PAGE_TYPE_NONE); }

PAGE_TYPE_OPS(Buddy, buddy)
PAGE_TYPE_OPS(Slab, slab)
PAGE_TYPE_OPS(SlabTail, slab_tail)
PAGE_TYPE_OPS(Table, table)
PAGE_TYPE_OPS(LargeKmalloc, large_kmalloc)

static inline bool PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}

static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}

static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (unlikely(head & 1))
		return (struct page *)(head - 1);
	return (struct page *)page;
}

static inline unsigned int compound_order(const struct page *page)
{
	if (!PageHead(page))
		return 0;
	return page[1].compound_order;
}

static inline unsigned long compound_nr(const struct page *page)
{
	if (!PageHead(page))
		return 1;
	return page[1].compound_nr;
}

UMM_END_DECLS

#endif /* _UMM_PAGE_FLAGS_H */
