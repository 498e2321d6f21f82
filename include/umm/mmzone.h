/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmzone.h - nodes, zones, free areas and per-CPU page lists
 * (include/linux/mmzone.h).
 *
 * A node (pglist_data) owns up to MAX_NR_ZONES zones.  A zone owns
 * free_area[0..MAX_PAGE_ORDER], one list per migratetype per order, under
 * zone->lock, and one per_cpu_pages per CPU under pcp->lock.  Zones have
 * the x86-64 boundaries applied to umm's PFNs: ZONE_DMA below 16 MiB,
 * ZONE_DMA32 below 4 GiB, ZONE_NORMAL above.  ZONE_MOVABLE exists (for the
 * zone indices and the protection arrays) but is never populated.
 */
#ifndef _UMM_MMZONE_H
#define _UMM_MMZONE_H

#include "compiler.h"
#include "list.h"
#include "spinlock.h"
#include "page-flags.h"

UMM_BEGIN_DECLS

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	ALIGN((unsigned long)(x), PAGE_SIZE)
#define PAGE_ALIGNED(x)	IS_ALIGNED((unsigned long)(x), PAGE_SIZE)

#define MAX_PAGE_ORDER	10
#define NR_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)
#define MAX_ORDER	NR_PAGE_ORDERS	/* the name before 6.4 (LKD3, ULK3): orders 0..MAX_ORDER-1 */
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define pageblock_order	9
#define pageblock_nr_pages (1UL << pageblock_order)
#define PAGE_ALLOC_COSTLY_ORDER 3

/* Memory sections (SPARSEMEM), the unit of hot-add: 128 MiB on x86-64. */
#define SECTION_SIZE_BITS 27
#define PFN_SECTION_SHIFT (SECTION_SIZE_BITS - PAGE_SHIFT)
#define PAGES_PER_SECTION (1UL << PFN_SECTION_SHIFT)

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	__MAX_NR_ZONES
};
#define MAX_NR_ZONES __MAX_NR_ZONES

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

enum zone_stat_item {
	NR_FREE_PAGES,
	NR_FREE_PAGES_BLOCKS,	/* free pages in blocks of >= pageblock_order */
	NR_ZONE_INACTIVE_ANON,
	NR_ZONE_ACTIVE_ANON,
	NR_ZONE_INACTIVE_FILE,
	NR_ZONE_ACTIVE_FILE,
	NR_ZONE_UNEVICTABLE,
	NR_ZONE_WRITE_PENDING,
	NR_MLOCK,
	NR_ZSPAGES,
	NR_FREE_CMA_PAGES,
	NR_VM_ZONE_STAT_ITEMS
};

enum numa_stat_item {
	NUMA_HIT,
	NUMA_MISS,
	NUMA_FOREIGN,
	NUMA_INTERLEAVE_HIT,
	NUMA_LOCAL,
	NUMA_OTHER,
	NR_VM_NUMA_EVENT_ITEMS
};

enum node_stat_item {
	NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B,
	NR_KERNEL_STACK_KB,
	NR_PAGETABLE,
	NR_VMALLOC,
	NR_REPORTED,		/* umm: free pages handed back to the host */
	NR_FILE_PAGES,		/* page cache pages, shmem included (mm/filemap.c) */
	NR_SHMEM,		/* of them shmem */
	NR_FILE_DIRTY,		/* page cache pages to write back */
	NR_WRITEBACK,		/* pages being written back */
	NR_FILE_MAPPED,		/* page cache pages mapped by a PTE (rmap) */
	NR_VM_NODE_STAT_ITEMS
};

/*
 * The counts are written under zone->lock and read without it (watermark
 * checks, /proc), so they are relaxed atomics; the lists are only
 * touched under the lock.
 */
struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;		/* blocks of this order, all types */
	unsigned long nr_free_mt[MIGRATE_TYPES];	/* umm: per list */
};

/* pcp lists: one per (order <= PAGE_ALLOC_COSTLY_ORDER, pcp migratetype). */
#define NR_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))

struct per_cpu_pages {
	spinlock_t lock;	/* protects everything below */
	int count;		/* pages on the lists */
	int high;		/* above this, free batch pages to the buddy */
	int high_min;
	int high_max;
	int batch;		/* chunk size for buddy add/remove */
	int expire;		/* worker intervals left before an unused list is drained */
	int expire_count;	/* count when the worker last looked */
	unsigned long numa_event[NR_VM_NUMA_EVENT_ITEMS];
	struct list_head lists[NR_PCP_LISTS];
} ____cacheline_aligned;

struct pglist_data;

struct zone {
	/* Read-mostly fields. */
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* [nr_cpu_ids] */
	int pageset_high_min, pageset_high_max, pageset_batch;
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;
	unsigned long present_pages;
	long managed_pages;			/* atomic */
	const char *name;

	spinlock_t lock;			/* free_area, counters below */
	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long nr_unreported;		/* free pages in unreported >= reporting-order blocks */
	unsigned long numa_event[NR_VM_NUMA_EVENT_ITEMS]; /* non-pcp allocations */

	long vm_stat[NR_VM_ZONE_STAT_ITEMS];	/* atomic */
} ____cacheline_aligned;

struct zoneref {
	struct zone *zone;
	int zone_idx;
};

#define MAX_ZONES_PER_ZONELIST (MAX_NUMNODES * MAX_NR_ZONES)
enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
	/*
	 * umm: the first zone at or below each highest_zoneidx, as
	 * first_zones_zonelist() would walk to (NULL: none), built with the
	 * list, so that the order-0 fast path makes no walk.
	 */
	struct zone *first_zone[MAX_NR_ZONES];
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	/*
	 * The zonelists in use (acquire/release): only zones with memory,
	 * rebuilt into the other buffer and published when hot-add gives a
	 * zone its first pages, so readers never see a half-built list.
	 */
	struct zonelist *node_zonelists;
	struct zonelist _zonelist_buf[2][MAX_ZONELISTS];
	int nr_zones;
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];	/* atomic */
} pg_data_t;

UMM_API extern struct pglist_data *node_data[MAX_NUMNODES];
UMM_API extern int nr_online_nodes;
UMM_API extern unsigned int nr_cpu_ids;
#define NODE_DATA(nid) (node_data[(nid)])

static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return (unsigned long)__atomic_load_n(&zone->managed_pages, __ATOMIC_RELAXED);
}

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline bool managed_zone(const struct zone *zone)
{
	return zone_managed_pages(zone) != 0;
}

static inline enum zone_type zone_idx(const struct zone *zone)
{
	return (enum zone_type)(zone - zone->zone_pgdat->node_zones);
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

#define min_wmark_pages(z)  ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z)  ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define wmark_pages(z, i)   ((z)->_watermark[i] + (z)->watermark_boost)

static inline unsigned long zone_page_state(const struct zone *zone,
					    enum zone_stat_item item)
{
	long x = __atomic_load_n(&zone->vm_stat[item], __ATOMIC_RELAXED);
	return x < 0 ? 0 : (unsigned long)x;
}

static inline unsigned long node_page_state(const struct pglist_data *pgdat,
					    enum node_stat_item item)
{
	long x = __atomic_load_n(&pgdat->vm_stat[item], __ATOMIC_RELAXED);
	return x < 0 ? 0 : (unsigned long)x;
}

static inline void mod_node_page_state(struct pglist_data *pgdat,
				       enum node_stat_item item, long delta)
{
	__atomic_fetch_add(&pgdat->vm_stat[item], delta, __ATOMIC_RELAXED);
}

#define for_each_online_node(nid) for (nid = 0; nid < nr_online_nodes; nid++)
#define for_each_zone_in_node(zone, pgdat) \
	for (zone = (pgdat)->node_zones; zone < (pgdat)->node_zones + MAX_NR_ZONES; zone++)

UMM_API extern const char *const zone_names[MAX_NR_ZONES];
UMM_API extern const char *const migratetype_names[MIGRATE_TYPES];
UMM_API extern int page_group_by_mobility_disabled;

UMM_END_DECLS

#endif /* _UMM_MMZONE_H */
