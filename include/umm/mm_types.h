/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_types.h - struct page, one per page frame of umm's "physical" memory,
 * kept in mem_map[] and indexed by PFN (include/linux/mm_types.h).
 *
 * Layout follows the kernel's 64-byte struct page: a flags word, a
 * five-word union whose meaning depends on who owns the frame (buddy/pcp
 * list, page cache/anon, slab, compound tail), then _mapcount/page_type
 * and _refcount.  Users of a union member own the frame; see each member.
 */
#ifndef _UMM_MM_TYPES_H
#define _UMM_MM_TYPES_H

#include "compiler.h"
#include "list.h"

UMM_BEGIN_DECLS

struct address_space;
struct kmem_cache;

struct page {
	unsigned long flags;		/* PG_* bits; node and zone in the top bits */
	union {
		__extension__ struct {	/* buddy, pcp, page cache and anonymous pages */
			union {
				struct list_head lru;
				struct list_head buddy_list;	/* zone->free_area[o].free_list[mt] */
				struct list_head pcp_list;	/* pcp->lists[] */
			};
			struct address_space *mapping;
			pgoff_t index;
			unsigned long UMM_PRIVATE;	/* page->private; buddy: the free block's order */
		};
		__extension__ struct {	/* slab pages (mm/slub.c, mm/slab.c) */
			union {
				struct list_head slab_list;
				__extension__ struct {
					struct page *next;
					int slabs;	/* nr of slabs left on a cpu partial list */
				};
			};
			struct kmem_cache *slab_cache;
			void *freelist;		/* SLUB: first free object; SLAB: freelist_idx_t[] */
			union {
				void *s_mem;	/* SLAB: the first object (after the colour) */
				unsigned long counters;
				__extension__ struct {
					unsigned inuse:16;
					unsigned objects:15;
					unsigned frozen:1;
				};
			};
		};
		__extension__ struct {	/* tail pages of a compound page */
			unsigned long compound_head;	/* bit 0 set */
			unsigned char compound_order;	/* first tail page only */
			unsigned char _tail_pad[3];
			unsigned int compound_nr;	/* first tail page only */
		};
	};
	union {
		int _mapcount;		/* -1: not mapped into any page table */
		unsigned int page_type;	/* top byte PGTY_*: buddy, slab, table */
	};
	int _refcount;			/* atomic; 0 while free */
	union {
		unsigned long memcg_data;	/* 0: keeps the kernel's layout */
		int __slab_lock;	/* slab pages: slab_lock() (the kernel uses PG_locked) */
		unsigned int active;	/* SLAB: objects taken from the slab */
	};
};

#ifdef __cplusplus
static_assert(sizeof(struct page) == 64, "struct page must stay 64 bytes");
#else
_Static_assert(sizeof(struct page) == 64, "struct page must stay 64 bytes");
#endif

UMM_END_DECLS

#endif /* _UMM_MM_TYPES_H */
