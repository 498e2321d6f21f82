// SPDX-License-Identifier: GPL-2.0
/*
 * page_alloc.c - the buddy page allocator (mm/page_alloc.c).
 *
 * Owns: every zone's free_area[] and per-CPU page lists, the pageblock
 * migratetypes, watermarks and lowmem reserves, the zonelists, and the
 * fail_page_alloc fault attribute.
 *
 * Invariants (checked by umm_page_alloc_check()):
 *  - Every present frame is in exactly one of: a free block on
 *    zone->free_area[order].free_list[mt] (head PageBuddy, private ==
 *    order, PFN a multiple of 2^order, mt == the pageblock's migratetype),
 *    a pcp list (refcount 0, not PageBuddy), or allocated.
 *  - No two free buddies of the same order sit side by side unless they
 *    are pageblocks of unmergeable migratetypes: __free_one_page() merges
 *    by buddy_pfn = pfn ^ (1 << order) until it cannot.
 *  - free_area[o].nr_free is the length of its lists; NR_FREE_PAGES is the
 *    sum of the free blocks' sizes; pcp->count the pages on its lists.
 *  - Every present range is a multiple of MAX_ORDER_NR_PAGES and aligned
 *    to it, so a buddy of order < MAX_PAGE_ORDER is always a present frame
 *    of the same zone and the same node.
 *  - A block whose struct pages are deferred (umm.memmap_deferred, see
 *    mm/memory_hotplug.c) is a free max-order block, and its struct pages
 *    past the first memmap page of each pageblock are still all zero;
 *    every way a max-order block leaves the free lists for use (rmqueue's
 *    page_del_and_expand(), a claimed block, a contiguous run) initialises
 *    them first, under zone->lock.  Page reporting's isolation does not:
 *    a deferred block is PageReported, which reporting skips.  When
 *    reporting puts back a block that leaves a whole max-order block
 *    with the host, it makes that block deferred again, under the same
 *    hold of zone->lock (__putback_isolated_page()), so the struct pages
 *    it zeroes belong to no block a reader may split or look into: the
 *    buddy of any order below MAX_PAGE_ORDER lies in the same max-order
 *    block, and the pageblock heads are kept.
 *
 * Lock order: pcp->lock, then zone->lock.  Nobody takes two zone locks or
 * two pcp locks at once.  The pcp lock is only ever try-locked on the
 * allocation and free paths (as in 6.x): a contended pcp falls back to the
 * buddy lists under zone->lock, so threads that share a CPU never wait on
 * each other's per-CPU lists.  mem_hotplug_lock (mm/memory_hotplug.c)
 * comes before both.  Every entry point runs inside the fork gate
 * (mm/fork_gate.c), so no thread holds any of these across fork().
 *
 * User space differences: "per CPU" is the CPU the calling thread runs on
 * now (rseq cpu_id), not a CPU with preemption disabled; a thread moved
 * off its CPU between the lookup and the lock only costs locality, since
 * pcp->lock protects the lists anyway.  An allocation that may block
 * "reclaims" first by hot-adding a memory section from the host
 * (mm/memory_hotplug.c), then by freeing clean page cache that no PTE
 * maps (shrink_page_cache(), mm/filemap.c; no swap, so nothing else is
 * reclaimable), before it drains the pcp lists and gives up.
 * The high-atomic reserve, CMA, compaction and watermark boosting are not
 * modelled; their lists and counters exist and stay empty.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include <umm/pagemap.h>

#define SWAP_CLUSTER_MAX	32UL	/* pages reclaim frees at a time */
#define PCP_EXPIRE		3	/* worker intervals a pcp list may sit unused */

int page_group_by_mobility_disabled;
const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "Movable" };
const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

/* The kernel's defaults: only order >= 1, only non-blocking allocations. */
struct fault_attr fail_page_alloc_attr = FAULT_ATTR_INITIALIZER("fail_page_alloc");
unsigned int fail_page_alloc_min_order = 1;
bool fail_page_alloc_ignore_gfp_reclaim = true;
bool fail_page_alloc_ignore_gfp_highmem = true;

static const int sysctl_lowmem_reserve_ratio[MAX_NR_ZONES] = { 256, 256, 32, 0 };
static unsigned long totalreserve_pages;
static long min_free_kbytes;

/* Where a stolen allocation looks, in order (the kernel's fallbacks[]). */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE]   = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE]     = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

struct alloc_context {
	struct zonelist *zonelist;
	unsigned int cpu;		/* looked up once per allocation */
	int local_nid;
	int preferred_nid;
	int migratetype;
	enum zone_type highest_zoneidx;
};

/* ---- pageblocks ---- */

/* The pageblock's migratetype, inline for the pcp paths. */
static __always_inline int pfnblock_migratetype(unsigned long pfn)
{
	return physmem.pageblock_mt[pfn >> pageblock_order];
}

int get_pfnblock_migratetype(const struct page *page, unsigned long pfn)
{
	(void)page;
	return pfnblock_migratetype(pfn);
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	if (unlikely(page_group_by_mobility_disabled &&
		     migratetype < MIGRATE_PCPTYPES))
		migratetype = MIGRATE_UNMOVABLE;
	physmem.pageblock_mt[page_to_pfn(page) >> pageblock_order] =
		(unsigned char)migratetype;
}

static void change_pageblock_range(struct page *page, unsigned int order,
				   int migratetype)
{
	unsigned long nr = 1UL << order;

	for (unsigned long i = 0; i < nr; i += pageblock_nr_pages)
		set_pageblock_migratetype(page + i, migratetype);
}

static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

/* ---- free lists ---- */

static inline void zone_stat_add(struct zone *zone, enum zone_stat_item item,
				 long delta)
{
	/* Writers hold zone->lock; readers are lockless. */
	__atomic_store_n(&zone->vm_stat[item],
			 __atomic_load_n(&zone->vm_stat[item], __ATOMIC_RELAXED) + delta,
			 __ATOMIC_RELAXED);
}

static inline void account_freepages(struct zone *zone, struct page *page,
				     unsigned int order, long sign)
{
	long nr = sign * (1L << order);

	zone_stat_add(zone, NR_FREE_PAGES, nr);
	if (order >= pageblock_order)
		zone_stat_add(zone, NR_FREE_PAGES_BLOCKS, nr);
	if (order >= umm_cfg.page_reporting_order && !PageReported(page))
		__atomic_store_n(&zone->nr_unreported, zone->nr_unreported + (unsigned long)nr,
				 __ATOMIC_RELAXED);
}

static inline void set_buddy_order(struct page *page, unsigned int order)
{
	set_page_private(page, order);
	__SetPageBuddy(page);
}

static inline void area_count(struct free_area *area, int mt, long delta)
{
	__atomic_store_n(&area->nr_free, area->nr_free + (unsigned long)delta,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&area->nr_free_mt[mt], area->nr_free_mt[mt] + (unsigned long)delta,
			 __ATOMIC_RELAXED);
}

static inline void __add_to_free_list(struct page *page, struct zone *zone,
				      unsigned int order, int migratetype,
				      bool tail)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_order(page, order);
	if (tail)
		list_add_tail(&page->buddy_list, &area->free_list[migratetype]);
	else
		list_add(&page->buddy_list, &area->free_list[migratetype]);
	area_count(area, migratetype, 1);
	account_freepages(zone, page, order, 1);
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned int order, int migratetype)
{
	list_del(&page->buddy_list);
	account_freepages(zone, page, order, -1);
	__ClearPageBuddy(page);
	__ClearPageReported(page);
	set_page_private(page, 0);
	area_count(&zone->free_area[order], migratetype, -1);
}

static inline void move_to_free_list(struct page *page, struct zone *zone,
				     unsigned int order, int old_mt, int new_mt)
{
	struct free_area *area = &zone->free_area[order];

	list_move_tail(&page->buddy_list, &area->free_list[new_mt]);
	area_count(area, old_mt, -1);
	area_count(area, new_mt, 1);
}

static inline struct page *get_page_from_free_area(struct free_area *area,
						   int migratetype)
{
	return list_first_entry_or_null(&area->free_list[migratetype],
					struct page, buddy_list);
}

static inline bool free_area_empty(const struct free_area *area, int mt)
{
	return __atomic_load_n(&area->nr_free_mt[mt], __ATOMIC_RELAXED) == 0;
}

/*
 * Buddies of order O differ in bit O of their PFN:
 *   B2 = B1 ^ (1 << O)
 * For example, #8's order-1 buddy is #10 (0b1000 ^ 0b0010), and #10's is
 * #8 again; merged, they form the order-2 block at #8 = #8 & #10.
 */
static inline unsigned long __find_buddy_pfn(unsigned long pfn, unsigned int order)
{
	return pfn ^ (1UL << order);
}

static inline unsigned long page_zone_id(const struct page *page)
{
	return READ_ONCE(page->flags) >> ZONES_PGSHIFT;
}

static inline bool page_is_buddy(const struct page *page, const struct page *buddy,
				 unsigned int order)
{
	return PageBuddy(buddy) && buddy_order(buddy) == order &&
	       page_zone_id(page) == page_zone_id(buddy);
}

/*
 * If the block just freed is likely to merge soon with its order+1 buddy,
 * put it at the tail so that allocations do not split it first.
 */
static inline bool buddy_merge_likely(unsigned long pfn, unsigned long buddy_pfn,
				      struct page *page, unsigned int order)
{
	unsigned long higher_page_pfn;
	struct page *higher_page, *higher_buddy;

	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	(void)page;
	higher_page_pfn = buddy_pfn & pfn;
	higher_page = pfn_to_page(higher_page_pfn);
	higher_buddy = pfn_to_page(__find_buddy_pfn(higher_page_pfn, order + 1));
	return page_is_buddy(higher_page, higher_buddy, order + 1);
}

/* Free a block and merge it with its buddies; zone->lock held. */
static void __free_one_page(struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned int order,
			    int migratetype, fpi_t fpi_flags)
{
	unsigned long buddy_pfn = 0;
	bool reported = fpi_flags & FPI_REPORTED;
	struct page *buddy;
	bool to_tail;

	lockdep_assert_held(&zone->lock);
	while (order < MAX_PAGE_ORDER) {
		int buddy_mt = migratetype;

		buddy_pfn = __find_buddy_pfn(pfn, order);
		buddy = pfn_to_page(buddy_pfn);
		if (!page_is_buddy(page, buddy, order))
			break;
		if (unlikely(order >= pageblock_order)) {
			/* Merging across pageblocks: types must be compatible. */
			buddy_mt = get_pfnblock_migratetype(buddy, buddy_pfn);
			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		/* Merged, a block is with the host only if all of it is. */
		reported &= PageReported(buddy);
		del_page_from_free_list(buddy, zone, order, buddy_mt);
		/* The merged block has one type, so expand() splits it right. */
		if (unlikely(buddy_mt != migratetype))
			set_pageblock_migratetype(buddy, migratetype);
		pfn &= buddy_pfn;
		page = pfn_to_page(pfn);
		order++;
	}
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_pfn && buddy_merge_likely(pfn, buddy_pfn, page, order);
	if (unlikely(reported))
		__SetPageReported(page);	/* before accounting it */
	__add_to_free_list(page, zone, order, migratetype, to_tail);
}

/*
 * Split an order-@high block down to order @low, giving back the upper
 * halves: order 3 split for order 0 leaves free blocks of order 2, 1, 0
 * at offsets 4, 2, 1 and returns offset 0.
 */
static inline void expand(struct zone *zone, struct page *page, unsigned int low,
			  unsigned int high, int migratetype)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		high--;
		size >>= 1;
		__add_to_free_list(&page[size], zone, high, migratetype, false);
	}
}

static inline void page_del_and_expand(struct zone *zone, struct page *page,
				       unsigned int low, unsigned int high,
				       int migratetype)
{
	del_page_from_free_list(page, zone, high, migratetype);
	memmap_init_deferred(page, high);
	expand(zone, page, low, high, migratetype);
}

/* The smallest free block of @migratetype that fits; zone->lock held. */
static inline struct page *__rmqueue_smallest(struct zone *zone, unsigned int order,
					      int migratetype)
{
	lockdep_assert_held(&zone->lock);

	for (unsigned int current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		struct free_area *area = &zone->free_area[current_order];
		struct page *page = get_page_from_free_area(area, migratetype);

		if (!page)
			continue;
		page_del_and_expand(zone, page, order, current_order, migratetype);
		return page;
	}
	return NULL;
}

/* ---- migratetype fallback (anti-fragmentation) ---- */

static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	return order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE || page_group_by_mobility_disabled;
}

static int find_suitable_fallback(struct free_area *area, unsigned int order,
				  int migratetype, bool *can_steal)
{
	if (__atomic_load_n(&area->nr_free, __ATOMIC_RELAXED) == 0)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (free_area_empty(area, fallback_mt))
			continue;
		*can_steal = can_steal_fallback(order, migratetype);
		return fallback_mt;
	}
	return -1;
}

/* Count the free and movable pages of the pageblock holding @page. */
static bool prep_move_freepages_block(struct zone *zone, struct page *page,
				      unsigned long *start_pfn, int *num_free,
				      int *num_movable)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long start = ALIGN_DOWN(pfn, pageblock_nr_pages);
	unsigned long end = start + pageblock_nr_pages;

	if (start < zone->zone_start_pfn || end > zone_end_pfn(zone))
		return false;
	*start_pfn = start;
	*num_free = 0;
	*num_movable = 0;
	for (pfn = start; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (PageBuddy(p)) {
			unsigned int order = buddy_order(p);

			*num_free += 1 << order;
			pfn += 1UL << order;
			continue;
		}
		if (PageLRU(p))
			(*num_movable)++;
		pfn++;
	}
	return true;
}

static void __move_freepages_block(struct zone *zone, unsigned long start_pfn,
				   int old_mt, int new_mt)
{
	unsigned long end = start_pfn + pageblock_nr_pages;

	for (unsigned long pfn = start_pfn; pfn < end;) {
		struct page *p = pfn_to_page(pfn);

		if (!PageBuddy(p)) {
			pfn++;
			continue;
		}
		move_to_free_list(p, zone, buddy_order(p), old_mt, new_mt);
		pfn += 1UL << buddy_order(p);
	}
}

/*
 * Claim the pageblock of a free block of another migratetype for
 * @start_type when enough of it is free or compatible; then allocate.
 */
static struct page *try_to_claim_block(struct zone *zone, struct page *page,
				       unsigned int current_order,
				       unsigned int order, int start_type)
{
	int block_type = get_pageblock_migratetype(page);
	int free_pages, movable_pages, alike_pages;
	unsigned long start_pfn;

	if (current_order >= pageblock_order) {
		/* Whole pageblocks change hands. */
		del_page_from_free_list(page, zone, current_order, block_type);
		memmap_init_deferred(page, current_order);
		change_pageblock_range(page, current_order, start_type);
		expand(zone, page, order, current_order, start_type);
		return page;
	}
	if (!prep_move_freepages_block(zone, page, &start_pfn, &free_pages,
				       &movable_pages))
		return NULL;
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (block_type == MIGRATE_MOVABLE)
		alike_pages = (int)pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;
	if (free_pages + alike_pages >= (1 << (pageblock_order - 1)) ||
	    page_group_by_mobility_disabled) {
		__move_freepages_block(zone, start_pfn, block_type, start_type);
		set_pageblock_migratetype(pfn_to_page(start_pfn), start_type);
		return __rmqueue_smallest(zone, order, start_type);
	}
	return NULL;
}

/*
 * No block of the wanted type: take the largest block of a fallback type
 * (approximating the pageblock with most free pages), claiming its
 * pageblock if we can; else steal the smallest fitting block unclaimed.
 */
static struct page *__rmqueue_fallback(struct zone *zone, unsigned int order,
				       int start_migratetype)
{
	struct free_area *area = NULL;
	struct page *page;
	int current_order, fallback_mt = -1;
	bool can_steal;

	for (current_order = MAX_PAGE_ORDER; current_order >= (int)order;
	     current_order--) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt == -1)
			continue;
		if (!can_steal)
			break;
		page = get_page_from_free_area(area, fallback_mt);
		page = try_to_claim_block(zone, page, (unsigned int)current_order,
					  order, start_migratetype);
		if (page)
			return page;
	}
	for (current_order = (int)order; current_order < NR_PAGE_ORDERS; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order,
						     start_migratetype, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (current_order == NR_PAGE_ORDERS)
		return NULL;
	page = get_page_from_free_area(area, fallback_mt);
	page_del_and_expand(zone, page, order, (unsigned int)current_order, fallback_mt);
	return page;
}

static inline struct page *__rmqueue(struct zone *zone, unsigned int order,
				     int migratetype)
{
	struct page *page = __rmqueue_smallest(zone, order, migratetype);

	if (unlikely(!page))
		page = __rmqueue_fallback(zone, order, migratetype);
	return page;
}

/* Move up to @count blocks of @order onto @list, ascending; zone->lock taken. */
static int rmqueue_bulk(struct zone *zone, unsigned int order, int count,
			struct list_head *list, int migratetype)
{
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, migratetype);

		if (unlikely(!page))
			break;
		list_add_tail(&page->pcp_list, list);
	}
	spin_unlock(&zone->lock);
	return i;
}

/* ---- per-CPU page lists ---- */

static inline bool pcp_allowed_order(unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER && umm_cfg.pcp;
}

static inline unsigned int order_to_pindex(int migratetype, unsigned int order)
{
	return order * MIGRATE_PCPTYPES + (unsigned int)migratetype;
}

static inline unsigned int pindex_to_order(unsigned int pindex)
{
	return pindex / MIGRATE_PCPTYPES;
}


/* Return @count pages from the pcp lists to the buddy; pcp->lock held. */
static void free_pcppages_bulk(struct zone *zone, int count,
			       struct per_cpu_pages *pcp, unsigned int pindex)
{
	unsigned int max_pindex = NR_PCP_LISTS - 1;

	lockdep_assert_held(&pcp->lock);
	count = min(pcp->count, count);
	spin_lock(&zone->lock);
	while (count > 0) {
		struct list_head *list;

		/* Round-robin over the lists, oldest (tail) pages first. */
		do {
			pindex = pindex == max_pindex ? 0 : pindex + 1;
			list = &pcp->lists[pindex];
		} while (list_empty(list));
		do {
			unsigned int order = pindex_to_order(pindex);
			struct page *page = list_last_entry(list, struct page, pcp_list);
			unsigned long pfn = page_to_pfn(page);

			list_del(&page->pcp_list);
			count -= 1 << order;
			pcp->count -= 1 << order;
			__free_one_page(page, pfn, zone, order,
					get_pfnblock_migratetype(page, pfn), FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock(&zone->lock);
	page_reporting_notify_free(zone);
}

static void drain_pages_zone(unsigned int cpu, struct zone *zone)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

	spin_lock(&pcp->lock);
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp, 0);
	spin_unlock(&pcp->lock);
}

/*
 * The worker's ageing of one pcp list (refresh_cpu_vm_stats() and
 * drain_zone_pages() in the kernel): a list whose count has not changed
 * for PCP_EXPIRE intervals is drained to the buddy lists.  The kernel
 * ages only the pages a CPU holds for a remote node (pcp->expire); a
 * thread here moves between host CPUs at will, so that any list may be
 * one no thread will use again.  Returns the pages left on the list.
 */
int decay_pcp_pages(struct zone *zone, unsigned int cpu)
{
	struct per_cpu_pages *pcp;
	int left;

	if (!zone->per_cpu_pageset)
		return 0;
	pcp = &zone->per_cpu_pageset[cpu];
	spin_lock(&pcp->lock);
	if (pcp->count != pcp->expire_count) {
		pcp->expire_count = pcp->count;
		pcp->expire = PCP_EXPIRE;
	} else if (pcp->count && !--pcp->expire) {
		free_pcppages_bulk(zone, pcp->count, pcp, 0);
		pcp->expire_count = 0;
	}
	left = pcp->count;
	spin_unlock(&pcp->lock);
	return left;
}

static void drain_zones(struct zone *only, bool all_cpus)
{
	int nid;

	if (!umm_booted || !umm_cfg.pcp)
		return;
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			if ((only && zone != only) || !zone->per_cpu_pageset)
				continue;
			if (!all_cpus) {
				drain_pages_zone(smp_processor_id(), zone);
				continue;
			}
			for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
				drain_pages_zone(cpu, zone);
		}
	}
}

void drain_all_pages(void *zone)
{
	umm_gate_enter();
	drain_zones(zone, true);
	umm_gate_exit();
}

void drain_local_pages(void *zone)
{
	umm_gate_enter();
	drain_zones(zone, false);
	umm_gate_exit();
}

static inline struct page *__rmqueue_pcplist(struct zone *zone, unsigned int order,
					     int migratetype,
					     struct per_cpu_pages *pcp,
					     struct list_head *list)
{
	struct page *page;

	if (unlikely(list_empty(list))) {
		int batch = max(pcp->batch >> order, 2);
		int alloced = rmqueue_bulk(zone, order, batch, list, migratetype);

		pcp->count += alloced << order;
		if (unlikely(list_empty(list)))
			return NULL;
	}
	page = list_first_entry(list, struct page, pcp_list);
	list_del(&page->pcp_list);
	pcp->count -= 1 << order;
	return page;
}

static inline void count_numa_events(unsigned long *ev, const struct zone *zone,
				     const struct alloc_context *ac)
{
	ev[zone->node == ac->preferred_nid ? NUMA_HIT : NUMA_MISS]++;
	ev[zone->node == ac->local_nid ? NUMA_LOCAL : NUMA_OTHER]++;
}

static inline struct page *rmqueue_pcplist(struct zone *zone, unsigned int order,
					   const struct alloc_context *ac)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[ac->cpu];
	struct page *page;

	if (unlikely(!spin_trylock(&pcp->lock)))
		return NULL;
	page = __rmqueue_pcplist(zone, order, ac->migratetype, pcp,
				 &pcp->lists[order_to_pindex(ac->migratetype, order)]);
	if (likely(page))
		count_numa_events(pcp->numa_event, zone, ac);
	spin_unlock(&pcp->lock);
	return page;
}

static struct page *rmqueue_buddy(struct zone *zone, unsigned int order,
				  const struct alloc_context *ac)
{
	struct page *page;

	spin_lock(&zone->lock);
	page = __rmqueue(zone, order, ac->migratetype);
	if (page)
		count_numa_events(zone->numa_event, zone, ac);
	spin_unlock(&zone->lock);
	return page;
}

static inline struct page *rmqueue(struct zone *zone, unsigned int order,
				   const struct alloc_context *ac)
{
	if (likely(pcp_allowed_order(order))) {
		struct page *page = rmqueue_pcplist(zone, order, ac);

		if (likely(page))
			return page;
	}
	return rmqueue_buddy(zone, order, ac);
}

/* ---- watermarks ---- */

static bool __zone_watermark_ok(struct zone *z, unsigned int order,
				unsigned long mark, int highest_zoneidx,
				unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= (1L << order) - 1;
	if (unlikely(alloc_flags & ALLOC_RESERVES)) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &z->free_area[o];

		if (!__atomic_load_n(&area->nr_free, __ATOMIC_RELAXED))
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!free_area_empty(area, mt))
				return true;
	}
	return false;
}

UMM_API bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

static inline bool zone_watermark_fast(struct zone *z, unsigned int order,
				       unsigned long mark, int highest_zoneidx,
				       unsigned int alloc_flags)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	/* Order 0 with no reserves: the common case, one comparison. */
	if (likely(!order && free_pages > (long)mark + z->lowmem_reserve[highest_zoneidx]))
		return true;
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   free_pages);
}

/* ---- allocation ---- */

static inline enum zone_type gfp_zone(gfp_t flags)
{
	if (unlikely(flags & (__GFP_DMA | __GFP_DMA32))) {
		if (flags & __GFP_DMA)
			return ZONE_DMA;
		return ZONE_DMA32;
	}
	if ((flags & (__GFP_MOVABLE | __GFP_HIGHMEM)) == (__GFP_MOVABLE | __GFP_HIGHMEM))
		return ZONE_MOVABLE;
	return ZONE_NORMAL;
}

static inline int gfp_migratetype(gfp_t gfp_flags)
{
	if (unlikely(page_group_by_mobility_disabled))
		return MIGRATE_UNMOVABLE;
	return (int)((gfp_flags & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

static const struct { gfp_t mask; const char *name; } gfpflag_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
};

/* Render gfp flags as the kernel's %pGg does: "GFP_KERNEL|__GFP_ZERO". */
UMM_API int umm_format_gfp(char *buf, size_t size, gfp_t gfp)
{
	size_t len = 0;
	int n;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(gfpflag_names) && gfp; i++) {
		if ((gfp & gfpflag_names[i].mask) != gfpflag_names[i].mask)
			continue;
		gfp &= ~gfpflag_names[i].mask;
		n = snprintf(buf + min(len, size), len < size ? size - len : 0, "%s%s",
			     len ? "|" : "", gfpflag_names[i].name);
		len += (size_t)n;
	}
	if (gfp) {
		n = snprintf(buf + min(len, size), len < size ? size - len : 0,
			     "%s%#x", len ? "|" : "", gfp);
		len += (size_t)n;
	}
	return (int)len;
}

static __cold void warn_alloc(gfp_t gfp_mask, unsigned int order)
{
	static int warned;
	char flags[256];

	if ((gfp_mask & __GFP_NOWARN) ||
	    __atomic_fetch_add(&warned, 1, __ATOMIC_RELAXED) >= 10)
		return;
	umm_format_gfp(flags, sizeof(flags), gfp_mask);
	pr_warn("umm: page allocation failure: order:%u, mode:%#x(%s), nodemask=(null)\n",
		order, gfp_mask, flags);
}

static inline void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	__SetPageHead(page);
	for (unsigned long i = 1; i < nr; i++)
		WRITE_ONCE(page[i].compound_head, (unsigned long)page + 1);
	page[1].compound_order = (unsigned char)order;
	page[1].compound_nr = (unsigned int)nr;
}

static inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	set_page_private(page, 0);
	set_page_refcounted(page);
	if (unlikely(gfp & __GFP_ZERO))
		memset(page_address(page), 0, PAGE_SIZE << order);
	if (unlikely(order && (gfp & __GFP_COMP)))
		prep_compound_page(page, order);
}

/* Inline into __alloc_pages_noprof()'s first try: the pcp fast path makes no call. */
static __always_inline struct page *get_page_from_freelist(gfp_t gfp_mask, unsigned int order,
							   unsigned int alloc_flags,
							   const struct alloc_context *ac)
{
	for (struct zoneref *z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned long mark;
		struct page *page;

		if (z->zone_idx > (int)ac->highest_zoneidx)
			continue;
		mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(zone, order, mark, (int)ac->highest_zoneidx,
					 alloc_flags))
			continue;
		page = rmqueue(zone, order, ac);
		if (likely(page)) {
			prep_new_page(page, order, gfp_mask);
			return page;
		}
	}
	return NULL;
}

static __cold bool __should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	int flags = 0;

	/* Boot's own allocations (slab bootstrap) are never failed. */
	if (!umm_booted)
		return false;
	if (order < fail_page_alloc_min_order)
		return false;
	if (gfp_mask & __GFP_NOFAIL)
		return false;
	if (fail_page_alloc_ignore_gfp_highmem && (gfp_mask & __GFP_HIGHMEM))
		return false;
	if (fail_page_alloc_ignore_gfp_reclaim && (gfp_mask & __GFP_DIRECT_RECLAIM))
		return false;
	if (gfp_mask & __GFP_NOWARN)
		flags |= FAULT_NOWARN;
	return should_fail_ex(&fail_page_alloc_attr, 1L << order, flags);
}

static inline struct zonelist *node_zonelist(int nid, gfp_t flags)
{
	struct zonelist *lists = __atomic_load_n(&NODE_DATA(nid)->node_zonelists,
						 __ATOMIC_ACQUIRE);

	return &lists[(flags & __GFP_THISNODE) ? ZONELIST_NOFALLBACK : ZONELIST_FALLBACK];
}

static inline bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	if (likely(READ_ONCE(fail_page_alloc_attr.probability) == 0))
		return false;
	return __should_fail_alloc_page(gfp_mask, order);
}

static inline unsigned int gfp_to_alloc_flags(gfp_t gfp_mask, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN;

	alloc_flags |= gfp_mask & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp_mask & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp_mask & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_NON_BLOCK;
		if (order > 0)
			alloc_flags |= ALLOC_HIGHATOMIC;
	}
	return alloc_flags;
}

static __cold struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order,
						  struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	unsigned int alloc_flags = gfp_to_alloc_flags(gfp_mask, order);
	bool drained = false;
	unsigned long nofail_tries = 0, reclaim_rounds = 0;
	struct page *page;

retry:
	/* "kswapd": a blocking allocation grows memory before digging into
	 * the min reserves, which stay for atomic allocations. */
	if (can_direct_reclaim) {
		unsigned long gen = READ_ONCE(hotplug_generation);

		page = get_page_from_freelist(gfp_mask, order, ALLOC_WMARK_LOW, ac);
		if (page)
			return page;
		if (try_hotplug_grow(ac->preferred_nid, gen, ac->highest_zoneidx) == 0) {
			/* The new memory may be in a zone the old list lacked. */
			ac->zonelist = node_zonelist(ac->preferred_nid, gfp_mask);
			goto retry;
		}
		/* Direct reclaim: clean page cache that no PTE maps. */
		if (reclaim_rounds++ < 16 &&
		    shrink_page_cache(max(SWAP_CLUSTER_MAX, 1UL << order)))
			goto retry;
	}
	page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
	if (page)
		return page;
	/* Pages sitting on pcp lists cannot merge: drain them, then retry. */
	if (!drained) {
		drain_all_pages(NULL);
		drained = true;
		goto retry;
	}
	if ((gfp_mask & __GFP_NOFAIL) && nofail_tries++ < 1000) {
		/* Other threads may free; the kernel would loop forever. */
		sched_yield();
		drained = false;
		goto retry;
	}
	warn_alloc(gfp_mask, order);
	return NULL;
}

static __always_inline struct page *__alloc_pages_noprof(gfp_t gfp, unsigned int order,
							 int preferred_nid)
{
	struct alloc_context ac;
	struct page *page;
	enum zone_type highest;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("umm: alloc_pages: order %u > MAX_PAGE_ORDER (%d)\n",
				order, MAX_PAGE_ORDER);
		return NULL;
	}
	if (unlikely(!umm_ensure_booted()))
		return NULL;
	highest = gfp_zone(gfp);
	if (unlikely((gfp & (__GFP_DMA | __GFP_DMA32)) == (__GFP_DMA | __GFP_DMA32) ||
		     preferred_nid >= nr_online_nodes)) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("umm: alloc_pages: bad gfp %#x or node %d\n", gfp,
				preferred_nid);
		return NULL;
	}
	ac.cpu = smp_processor_id();
	ac.local_nid = cpu_to_node(ac.cpu);
	ac.preferred_nid = preferred_nid < 0 ? ac.local_nid : preferred_nid;
	ac.highest_zoneidx = highest;
	ac.migratetype = gfp_migratetype(gfp);
	ac.zonelist = node_zonelist(ac.preferred_nid, gfp);
	if (unlikely(should_fail_alloc_page(gfp, order)))
		return NULL;

	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, &ac);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(gfp, order, &ac);
}

/* The entry points run inside the fork gate (mm/fork_gate.c). */
static __always_inline struct page *alloc_pages_gated(gfp_t gfp, unsigned int order,
						      int preferred_nid)
{
	struct page *page;

	umm_gate_enter();
	page = __alloc_pages_noprof(gfp, order, preferred_nid);
	umm_gate_exit();
	return page;
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   void *nodemask)
{
	(void)nodemask;
	return alloc_pages_gated(gfp, order, preferred_nid);
}

/*
 * ---- The order-0 pcp fast paths ----
 * alloc_pages() and __free_pages() of one page through this CPU's pcp
 * list of the first zone the gfp allows, as the general paths would do
 * it, written as leaves: every case they do not cover goes to the
 * general path whole (alloc_pages_gated(), __free_pages_slow()), so
 * that they save no registers and make no call.  Not covered: higher
 * orders, the fork gate on (the general paths take it), umm not booted,
 * fail_page_alloc on, DMA zones and __GFP_ZERO, the watermark not met at
 * a glance (zone_watermark_fast()'s order-0 test), a contended pcp lock,
 * an empty pcp list (the general path refills it with rmqueue_bulk()).
 * Freeing: a compound page, a bad page (free_pages_prepare() reports
 * it), an isolated pageblock, a contended lock or a list over pcp->high
 * leave through a tail call after the reference is dropped.
 */
static __always_inline struct page *alloc_page_pcp(gfp_t gfp)
{
	enum zone_type highest = gfp_zone(gfp);
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct zone *zone;
	struct page *page;
	unsigned int cpu;
	int nid;

	if (unlikely(!smp_processor_id_nocall(&cpu)))
		return NULL;
	nid = cpu_to_node(cpu);
	zone = node_zonelist(nid, gfp)->first_zone[highest];
	if (unlikely(!zone || (long)zone_page_state(zone, NR_FREE_PAGES) <=
			      (long)wmark_pages(zone, ALLOC_WMARK_LOW) +
			      (long)zone->lowmem_reserve[highest]))
		return NULL;
	pcp = &zone->per_cpu_pageset[cpu];
	if (unlikely(!spin_trylock(&pcp->lock)))
		return NULL;
	/* gfp_migratetype(): page_alloc_fast is off while mobility grouping is. */
	list = &pcp->lists[order_to_pindex((int)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT), 0)];
	if (unlikely(list_empty(list))) {
		spin_unlock(&pcp->lock);
		return NULL;
	}
	page = list_first_entry(list, struct page, pcp_list);
	list_del(&page->pcp_list);
	pcp->count--;
	/* count_numa_events(): the preferred node is the local one. */
	if (likely(zone->node == nid)) {
		pcp->numa_event[NUMA_HIT]++;
		pcp->numa_event[NUMA_LOCAL]++;
	} else {
		pcp->numa_event[NUMA_MISS]++;
		pcp->numa_event[NUMA_OTHER]++;
	}
	spin_unlock(&pcp->lock);
	prep_new_page(page, 0, gfp);
	return page;
}

static __attribute__((noinline)) struct page *alloc_pages_slow(gfp_t gfp_mask,
								 unsigned int order)
{
	return alloc_pages_gated(gfp_mask, order, -1);
}

/*
 * The kernel tests such switches with static keys, patched into the code;
 * umm keeps them in one flag, so that the fast paths load and test one
 * byte for all of them.
 */
bool page_alloc_fast;
static DEFINE_SPINLOCK(page_alloc_fast_lock);

void page_alloc_fast_update(void)
{
	spin_lock(&page_alloc_fast_lock);
	WRITE_ONCE(page_alloc_fast, __atomic_load_n(&umm_booted, __ATOMIC_ACQUIRE) &&
				    umm_cfg.pcp && !umm_gate_on && !page_group_by_mobility_disabled &&
				    !READ_ONCE(fail_page_alloc_attr.probability));
	spin_unlock(&page_alloc_fast_lock);
}

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	if (likely(!order && READ_ONCE(page_alloc_fast) &&
		   !(gfp_mask & (__GFP_DMA | __GFP_DMA32 | __GFP_ZERO)))) {
		struct page *page = alloc_page_pcp(gfp_mask);

		if (likely(page))
			return page;
	}
	return alloc_pages_slow(gfp_mask, order);
}

struct page *alloc_pages_node(int nid, gfp_t gfp_mask, unsigned int order)
{
	return alloc_pages_gated(gfp_mask, order, nid);
}

unsigned long alloc_pages_bulk_array(gfp_t gfp, unsigned long nr_pages,
				     struct page **page_array)
{
	unsigned long nr = 0;

	for (unsigned long i = 0; i < nr_pages; i++) {
		if (!page_array[i]) {
			page_array[i] = alloc_pages(gfp, 0);
			if (!page_array[i])
				break;
		}
		nr++;
	}
	return nr;
}

unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_page(gfp_mask | __GFP_ZERO);
}

/* ---- freeing ---- */

#define PAGE_FLAGS_CHECK_AT_FREE \
	(BIT(PG_lru) | BIT(PG_locked) | BIT(PG_private) | BIT(PG_private_2) | \
	 BIT(PG_writeback) | BIT(PG_reserved) | BIT(PG_active) | \
	 BIT(PG_unevictable) | BIT(PG_mlocked))

static __cold void bad_page(struct page *page, const char *reason)
{
	pr_err("BUG: Bad page state: pfn:%05lx refcount:%d mapcount:%d mapping:%p index:%#lx flags:%#lx: %s\n",
	       page_to_pfn(page), page_ref_count(page), page->_mapcount,
	       (void *)page->mapping, page->index, page->flags & PAGEFLAGS_MASK,
	       reason);
	pr_err("umm: leaking the page to keep the allocator consistent\n");
}

static inline const char *page_bad_reason(const struct page *page)
{
	if (unlikely(page->page_type != PAGE_TYPE_NONE))
		return "nonzero mapcount or page type";
	if (unlikely(page->mapping))
		return "non-NULL mapping";
	if (unlikely(page_ref_count(page)))
		return "nonzero _refcount";
	if (unlikely(page->flags & PAGE_FLAGS_CHECK_AT_FREE))
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return NULL;
}

/*
 * page_bad_reason() for the order-0 fast path, which has just dropped
 * the last reference (so _refcount is 0) and read page->flags once.
 */
static __always_inline bool page_bad_fast(const struct page *page, unsigned long flags)
{
	return unlikely(page->page_type != PAGE_TYPE_NONE || page->mapping ||
			(flags & PAGE_FLAGS_CHECK_AT_FREE));
}

/* page_zone() from a page->flags value read once. */
static __always_inline struct zone *flags_zone(unsigned long flags)
{
	return &NODE_DATA((int)((flags >> NODES_PGSHIFT) & NODES_MASK))
			->node_zones[(flags >> ZONES_PGSHIFT) & ZONES_MASK];
}

static bool free_tail_page_prepare(struct page *head, struct page *page)
{
	if (unlikely(READ_ONCE(page->compound_head) != (unsigned long)head + 1)) {
		bad_page(page, "compound_head not consistent");
		return false;
	}
	page->compound_head = 0;
	page->mapping = NULL;
	return true;
}

static inline bool free_pages_prepare(struct page *page, unsigned int order)
{
	const char *reason;

	if (unlikely(PageHead(page))) {
		unsigned long nr = 1UL << order;
		bool ok = compound_order(page) == order;

		if (!ok) {
			bad_page(page, "compound order mismatch");
			return false;
		}
		page[1].compound_order = 0;
		page[1].compound_nr = 0;
		for (unsigned long i = 1; i < nr; i++)
			ok &= free_tail_page_prepare(page, page + i);
		__ClearPageHead(page);
		if (!ok)
			return false;
	}
	reason = page_bad_reason(page);
	if (unlikely(reason)) {
		bad_page(page, reason);
		return false;
	}
	WRITE_ONCE(page->flags, page->flags & ~PAGEFLAGS_MASK);
	return true;
}

static void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
			  unsigned int order, fpi_t fpi_flags)
{
	spin_lock(&zone->lock);
	__free_one_page(page, pfn, zone, order, get_pfnblock_migratetype(page, pfn),
			fpi_flags);
	spin_unlock(&zone->lock);
	page_reporting_notify_free(zone);
}

static inline void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp,
					  struct page *page, int migratetype,
					  unsigned int order)
{
	unsigned int pindex = order_to_pindex(migratetype, order);

	list_add(&page->pcp_list, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	if (unlikely(pcp->count >= pcp->high))
		free_pcppages_bulk(zone, pcp->count - pcp->high + pcp->batch, pcp,
				   pindex);
}

static inline void free_unref_page(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int migratetype;

	if (unlikely(!free_pages_prepare(page, order)))
		return;
	zone = page_zone(page);
	migratetype = pfnblock_migratetype(pfn);
	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		free_one_page(zone, page, pfn, order, FPI_NONE);
		return;
	}
	pcp = &zone->per_cpu_pageset[smp_processor_id()];
	if (likely(spin_trylock(&pcp->lock))) {
		free_unref_page_commit(zone, pcp, page, migratetype, order);
		spin_unlock(&pcp->lock);
		return;
	}
	free_one_page(zone, page, pfn, order, FPI_NONE);
}

static void __free_pages_ok(struct page *page, unsigned int order, fpi_t fpi_flags)
{
	unsigned long pfn = page_to_pfn(page);

	if (!free_pages_prepare(page, order))
		return;
	if (unlikely(order > MAX_PAGE_ORDER)) {
		/* A gigantic page (alloc_contig_pages): back as max-order blocks. */
		struct zone *zone = page_zone(page);

		for (unsigned long i = 0; i < (1UL << order); i += MAX_ORDER_NR_PAGES)
			free_one_page(zone, pfn_to_page(pfn + i), pfn + i, MAX_PAGE_ORDER,
				      fpi_flags);
		return;
	}
	free_one_page(page_zone(page), page, pfn, order, fpi_flags);
}

static __always_inline void free_the_page(struct page *page, unsigned int order)
{
	if (likely(pcp_allowed_order(order)))
		free_unref_page(page, order);
	else
		__free_pages_ok(page, order, FPI_NONE);
}

/* The fast path's way out once the page's reference is dropped. */
static __cold __attribute__((noinline)) void free_page_unref_slow(struct page *page)
{
	free_unref_page(page, 0);
}

static __attribute__((noinline)) void free_pcp_over_high(struct zone *zone,
							 struct per_cpu_pages *pcp,
							 unsigned int pindex)
{
	free_pcppages_bulk(zone, pcp->count - pcp->high + pcp->batch, pcp, pindex);
	spin_unlock(&pcp->lock);
}

/* free_unref_page() of one page that is no compound page: see alloc_page_pcp(). */
static __always_inline void free_page_pcp(struct page *page)
{
	unsigned long pfn, flags;
	struct per_cpu_pages *pcp;
	struct zone *zone;
	unsigned int pindex, cpu;
	int migratetype;

	flags = READ_ONCE(page->flags);
	if (page_bad_fast(page, flags)) {
		free_page_unref_slow(page);	/* reports it */
		return;
	}
	WRITE_ONCE(page->flags, flags & ~PAGEFLAGS_MASK);
	pfn = page_to_pfn(page);
	zone = flags_zone(flags);
	migratetype = pfnblock_migratetype(pfn);
	/* An isolated block, no CPU without a call, a contended lock: the general path. */
	if (unlikely(migratetype >= MIGRATE_PCPTYPES || !smp_processor_id_nocall(&cpu))) {
		free_page_unref_slow(page);
		return;
	}
	pcp = &zone->per_cpu_pageset[cpu];
	if (unlikely(!spin_trylock(&pcp->lock))) {
		free_page_unref_slow(page);
		return;
	}
	pindex = order_to_pindex(migratetype, 0);
	list_add(&page->pcp_list, &pcp->lists[pindex]);
	pcp->count++;
	if (unlikely(pcp->count >= pcp->high)) {
		free_pcp_over_high(zone, pcp, pindex);
		return;
	}
	spin_unlock(&pcp->lock);
}

static __attribute__((noinline)) void __free_pages_slow(struct page *page, unsigned int order)
{
	/* Read before the reference is dropped: the page may be gone after. */
	bool head = PageHead(page);

	umm_gate_enter();
	if (likely(put_page_testzero(page))) {
		free_the_page(page, order);
	} else if (!head) {
		/*
		 * Someone else holds the first page of a non-compound block:
		 * free the rest, which nobody can be referencing.
		 */
		while (order-- > 0)
			free_the_page(page + (1UL << order), order);
	}
	umm_gate_exit();
}

void __free_pages(struct page *page, unsigned int order)
{
	if (likely(!order && READ_ONCE(page_alloc_fast) && !PageHead(page))) {
		if (put_page_testzero(page))
			free_page_pcp(page);
		return;
	}
	__free_pages_slow(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr != 0)
		__free_pages(virt_to_page((void *)addr), order);
}

void __put_page(struct page *page)
{
	/* __page_cache_release(): a page freed while mlocked stops counting */
	if (unlikely(PageMlocked(page))) {
		__ClearPageMlocked(page);
		__atomic_fetch_add(&page_zone(page)->vm_stat[NR_MLOCK], -1L, __ATOMIC_RELAXED);
	}
	umm_gate_enter();
	free_the_page(page, compound_order(page));
	umm_gate_exit();
}

/* Boot and hot-add: hand a fresh max-order block to the buddy lists. */
void __free_pages_core(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);

	spin_lock(&zone->lock);
	/* Fresh memfd memory has no host pages behind it yet. */
	__free_one_page(page, page_to_pfn(page), zone, order,
			get_pageblock_migratetype(page), FPI_TO_TAIL | FPI_REPORTED);
	spin_unlock(&zone->lock);
}

/*
 * Find @nr free max-order blocks side by side in @zone and take them;
 * zone->lock held.  The kernel's alloc_contig_range() can also migrate
 * pages out of the way; umm has nothing to migrate, so only free blocks
 * count.
 */
static struct page *take_contig_blocks(struct zone *zone, unsigned long nr_blocks)
{
	unsigned long start = ALIGN(zone->zone_start_pfn, MAX_ORDER_NR_PAGES);
	unsigned long end = zone_end_pfn(zone), run = 0;

	lockdep_assert_held(&zone->lock);
	for (unsigned long pfn = start; pfn + MAX_ORDER_NR_PAGES <= end;
	     pfn += MAX_ORDER_NR_PAGES) {
		struct page *page = pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;

		if (!page || !PageBuddy(page) || buddy_order(page) != MAX_PAGE_ORDER ||
		    page_zone(page) != zone) {
			run = 0;
			continue;
		}
		if (++run < nr_blocks)
			continue;
		pfn -= (nr_blocks - 1) * MAX_ORDER_NR_PAGES;
		for (unsigned long i = 0; i < nr_blocks; i++) {
			struct page *b = pfn_to_page(pfn + i * MAX_ORDER_NR_PAGES);

			del_page_from_free_list(b, zone, MAX_PAGE_ORDER,
						get_pageblock_migratetype(b));
			memmap_init_deferred(b, MAX_PAGE_ORDER);
		}
		return pfn_to_page(pfn);
	}
	return NULL;
}

/*
 * Free [pfn, end), order-0 pages whose references are all dropped, in
 * the largest naturally aligned blocks the range holds (at most a
 * pageblock, whose migratetype each block takes), one __free_one_page()
 * each, as the kernel frees deferred struct pages (deferred_free_range())
 * and memory at boot: freeing a large run page by page through the pcp
 * lists would merge the same buddies again and again.  A page that fails
 * the free checks is reported and kept, and its block is freed around it.
 */
static void free_frozen_range(unsigned long pfn, unsigned long end)
{
	while (pfn < end) {
		unsigned int order = pfn ? (unsigned int)__builtin_ctzl(pfn) : pageblock_order;
		struct page *page = pfn_to_page(pfn);
		bool ok = true;

		if (order > pageblock_order)
			order = pageblock_order;
		while (pfn + (1UL << order) > end ||
		       page_zone(page) != page_zone(pfn_to_page(pfn + (1UL << order) - 1)))
			order--;
		for (unsigned long i = 0; i < (1UL << order); i++)
			ok &= free_pages_prepare(page + i, 0);
		if (likely(ok)) {
			free_one_page(page_zone(page), page, pfn, order, FPI_NONE);
		} else {
			for (unsigned long i = 0; i < (1UL << order); i++)
				if (!page_bad_reason(page + i))
					free_one_page(page_zone(page), page + i, pfn + i, 0,
						      FPI_NONE);
		}
		pfn += 1UL << order;
	}
}

/*
 * Drop one reference on each of the order-0 pages [pfn, pfn + nr_pages)
 * and free those that reach zero, whole blocks at a time (see
 * free_frozen_range()); a page someone else still holds is theirs to
 * free, and the blocks are cut around it.
 */
static void free_pages_range(unsigned long pfn, unsigned long nr_pages)
{
	unsigned long end = pfn + nr_pages;

	umm_gate_enter();
	while (pfn < end) {
		unsigned long start = pfn;

		while (pfn < end && put_page_testzero(pfn_to_page(pfn)))
			pfn++;
		free_frozen_range(start, pfn);
		pfn += pfn < end;	/* skip the page still held */
	}
	umm_gate_exit();
}

/*
 * Physically contiguous memory beyond MAX_PAGE_ORDER (mm/page_alloc.c's
 * alloc_contig_pages()): @nr_pages rounded up to whole max-order blocks.
 * Without __GFP_COMP every page has a reference, as in the kernel (free
 * with free_contig_range()); with __GFP_COMP and a power-of-two count it
 * is one gigantic compound page (free with __free_pages(page, order)).
 * Tries each zone the gfp allows, then grows memory by hot-add.
 */
struct page *alloc_contig_pages(unsigned long nr_pages, gfp_t gfp_mask, int nid,
				void *nodemask)
{
	unsigned long nr_blocks = DIV_ROUND_UP(nr_pages, MAX_ORDER_NR_PAGES), got;
	struct page *page = NULL;
	enum zone_type highest;

	(void)nodemask;
	if (!nr_pages || !umm_ensure_booted() || nr_pages > physmem.pfn_limit)
		return NULL;
	if ((gfp_mask & __GFP_COMP) && (nr_pages & (nr_pages - 1)))
		return NULL;
	if (nid < 0 || nid >= nr_online_nodes)
		nid = numa_node_id();
	highest = gfp_zone(gfp_mask);
	umm_gate_enter();
	for (int attempt = 0; !page && attempt < 64; attempt++) {
		struct zonelist *zl = node_zonelist(nid, gfp_mask);
		unsigned long gen = READ_ONCE(hotplug_generation);

		drain_all_pages(NULL);
		for (struct zoneref *z = zl->_zonerefs; z->zone && !page; z++) {
			if (z->zone_idx > (int)highest)
				continue;
			spin_lock(&z->zone->lock);
			page = take_contig_blocks(z->zone, nr_blocks);
			spin_unlock(&z->zone->lock);
		}
		if (!page && (!(gfp_mask & __GFP_DIRECT_RECLAIM) ||
			      try_hotplug_grow(nid, gen, highest)))
			break;
	}
	umm_gate_exit();
	if (!page) {
		warn_alloc(gfp_mask, (unsigned int)get_order(nr_pages << PAGE_SHIFT));
		return NULL;
	}
	got = nr_blocks * MAX_ORDER_NR_PAGES;
	for (unsigned long i = 0; i < got; i++) {
		set_page_private(page + i, 0);
		set_page_count(page + i, (gfp_mask & __GFP_COMP) && i < nr_pages ? 0 : 1);
	}
	/* Give back the pages past nr_pages, as alloc_pages_exact() does. */
	free_pages_range(page_to_pfn(page) + nr_pages, got - nr_pages);
	if (gfp_mask & __GFP_ZERO)
		memset(page_address(page), 0, nr_pages << PAGE_SHIFT);
	if (gfp_mask & __GFP_COMP) {
		set_page_refcounted(page);
		prep_compound_page(page, (unsigned int)(63 - __builtin_clzl(nr_pages)));
	}
	return page;
}

void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	free_pages_range(pfn, nr_pages);
}

void split_page(struct page *page, unsigned int order)
{
	if (PageCompound(page)) {
		pr_warn("umm: split_page() of a compound page (pfn %lx)\n",
			page_to_pfn(page));
		return;
	}
	for (unsigned long i = 1; i < (1UL << order); i++)
		set_page_refcounted(page + i);
}

void *alloc_pages_exact(size_t size, gfp_t gfp_mask)
{
	unsigned int order = (unsigned int)get_order(size);
	unsigned long addr, used, alloc_end;

	if (!size || order > MAX_PAGE_ORDER)
		return NULL;
	addr = __get_free_pages(gfp_mask & ~__GFP_COMP, order);
	if (!addr)
		return NULL;
	alloc_end = addr + (PAGE_SIZE << order);
	used = addr + PAGE_ALIGN(size);
	split_page(virt_to_page((void *)addr), order);
	if (used < alloc_end)
		free_pages_range(virt_to_pfn((void *)used), (alloc_end - used) >> PAGE_SHIFT);
	return (void *)addr;
}

void free_pages_exact(void *virt, size_t size)
{
	if (virt)
		free_pages_range(virt_to_pfn(virt), PAGE_ALIGN(size) >> PAGE_SHIFT);
}

/* ---- page reporting support: isolate and put back free blocks ---- */

bool __isolate_free_page(struct page *page, unsigned int order)
{
	if (!PageBuddy(page) || buddy_order(page) != order)
		return false;
	del_page_from_free_list(page, page_zone(page), order,
				get_pageblock_migratetype(page));
	return true;
}

/*
 * A block whose memory went back to the host returns to the tail;
 * zone->lock held.  If that leaves a whole max-order block with the host
 * (the block itself, or its last reported half merging with the other),
 * its memmap goes back to the host too and the block is deferred again
 * (__memmap_redefer(), mm/memory_hotplug.c), in the same hold of the
 * lock: true then.
 */
bool __putback_isolated_page(struct page *page, unsigned int order, int mt)
{
	unsigned long pfn = page_to_pfn(page);
	struct page *head = pfn_to_page(ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES));

	__free_one_page(page, pfn, page_zone(page), order, mt, FPI_TO_TAIL | FPI_REPORTED);
	if (!umm_cfg.memmap_deferred || !PageBuddy(head) || buddy_order(head) != MAX_PAGE_ORDER ||
	    !PageReported(head) || memmap_block_deferred(pfn))
		return false;
	__memmap_redefer(head);
	return true;
}

/* ---- queries ---- */

unsigned long nr_free_pages(void)
{
	unsigned long sum = 0;
	int nid;

	if (!umm_ensure_booted())
		return 0;
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			sum += zone_page_state(zone, NR_FREE_PAGES);
	}
	return sum;
}

static unsigned long __totalram_pages(void)
{
	unsigned long sum = 0;
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			sum += zone_managed_pages(zone);
	}
	return sum;
}

unsigned long totalram_pages(void)
{
	return umm_ensure_booted() ? __totalram_pages() : 0;
}

long umm_zone_pcp_pages(struct zone *zone)
{
	long sum = 0;

	if (!zone->per_cpu_pageset)
		return 0;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		sum += READ_ONCE(zone->per_cpu_pageset[cpu].count);
	return sum;
}

UMM_API unsigned long umm_pcp_pages(void)
{
	unsigned long sum = 0;
	int nid;

	if (!umm_ensure_booted())
		return 0;
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			sum += (unsigned long)umm_zone_pcp_pages(zone);
	}
	return sum;
}

static unsigned long global_node_page_state(enum node_stat_item item)
{
	unsigned long sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += node_page_state(NODE_DATA(nid), item);
	return sum;
}

unsigned long si_mem_available(void)
{
	long available;
	unsigned long wmark_low = 0, reclaimable, pagecache;
	int nid;

	if (!umm_ensure_booted())
		return 0;
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			wmark_low += low_wmark_pages(zone);
	}
	available = (long)nr_free_pages() - (long)totalreserve_pages;
	/* Page cache (shmem aside) can be reclaimed, but not below the watermark. */
	pagecache = global_node_page_state(NR_FILE_PAGES) - global_node_page_state(NR_SHMEM);
	pagecache -= min(pagecache / 2, wmark_low);
	available += (long)pagecache;
	reclaimable = global_node_page_state(NR_SLAB_RECLAIMABLE_B) / PAGE_SIZE;
	reclaimable -= min(reclaimable / 2, wmark_low);
	available += (long)reclaimable;
	return available < 0 ? 0 : (unsigned long)available;
}

void si_meminfo(struct sysinfo *val)
{
	memset(val, 0, sizeof(*val));
	val->totalram = totalram_pages();
	val->freeram = nr_free_pages();
	val->mem_unit = PAGE_SIZE;
}

void si_meminfo_node(struct sysinfo *val, int nid)
{
	struct zone *zone;

	memset(val, 0, sizeof(*val));
	val->mem_unit = PAGE_SIZE;
	if (!umm_ensure_booted() || nid < 0 || nid >= nr_online_nodes)
		return;
	for_each_zone_in_node(zone, NODE_DATA(nid)) {
		val->totalram += zone_managed_pages(zone);
		val->freeram += zone_page_state(zone, NR_FREE_PAGES);
	}
}

/* ---- zone setup: free lists, pcp, watermarks, reserves, zonelists ---- */

void zone_init_free_lists(struct zone *zone)
{
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		for (int t = 0; t < MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&zone->free_area[order].free_list[t]);
		zone->free_area[order].nr_free = 0;
		for (int t = 0; t < MIGRATE_TYPES; t++)
			zone->free_area[order].nr_free_mt[t] = 0;
	}
}

int zone_pcp_init(struct zone *zone)
{
	size_t size = sizeof(struct per_cpu_pages) * nr_cpu_ids;

	zone->per_cpu_pageset = host_alloc(size);
	if (!zone->per_cpu_pageset)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		spin_lock_init(&pcp->lock);
		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&pcp->lists[i]);
		pcp->batch = 1;
		pcp->high = 0;
	}
	return 0;
}

void zone_pcp_destroy(struct zone *zone)
{
	host_free(zone->per_cpu_pageset, sizeof(struct per_cpu_pages) * nr_cpu_ids);
	zone->per_cpu_pageset = NULL;
}

static int zone_batchsize(struct zone *zone)
{
	int batch = (int)min(zone_managed_pages(zone) >> 10, (1UL << 20) / PAGE_SIZE);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	/* Clamp to 2^n - 1: such batches give less cache aliasing. */
	batch += batch / 2;
	batch = (1 << (31 - __builtin_clz((unsigned int)batch))) - 1;
	return max(batch, 1);
}

static int nr_node_cpus(void)
{
	int n = (int)(nr_cpu_ids / (unsigned int)nr_online_nodes);

	return n > 0 ? n : 1;
}

static int zone_highsize(struct zone *zone, int batch, int high_fraction)
{
	unsigned long total_pages;
	int high;

	if (!high_fraction)
		total_pages = low_wmark_pages(zone);
	else
		total_pages = zone_managed_pages(zone) / (unsigned long)high_fraction;
	high = (int)(total_pages / (unsigned long)nr_node_cpus());
	return max(high, batch << 2);
}

void zone_pcp_update_all(void)
{
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			int batch = zone_batchsize(zone);
			int high_min = zone_highsize(zone, batch, 0);
			int high_max = zone_highsize(zone, batch, 8);

			zone->pageset_batch = batch;
			zone->pageset_high_min = high_min;
			zone->pageset_high_max = high_max;
			for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
				struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

				spin_lock(&pcp->lock);
				pcp->batch = batch;
				pcp->high_min = high_min;
				pcp->high_max = high_max;
				pcp->high = high_min;
				spin_unlock(&pcp->lock);
			}
		}
	}
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0, bit = 1UL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

static void calculate_totalreserve_pages(void)
{
	unsigned long reserve_pages = 0;
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			long max = 0;
			unsigned long managed = zone_managed_pages(zone);

			for (int j = 0; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			max += (long)high_wmark_pages(zone);
			if ((unsigned long)max > managed)
				max = (long)managed;
			reserve_pages += (unsigned long)max;
		}
	}
	totalreserve_pages = reserve_pages;
}

void setup_per_zone_lowmem_reserve(void)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = sysctl_lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed_pages(zone);
			unsigned long managed = 0;

			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += zone_managed_pages(&pgdat->node_zones[j]);
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

void setup_per_zone_wmarks(void)
{
	unsigned long lowmem_pages = 0, pages_min;
	int nid;

	if (umm_cfg.min_free_kbytes >= 0) {
		min_free_kbytes = umm_cfg.min_free_kbytes;
	} else {
		unsigned long lowmem_kbytes = __totalram_pages() * (PAGE_SIZE >> 10);

		min_free_kbytes = (long)int_sqrt(lowmem_kbytes * 16);
		min_free_kbytes = clamp(min_free_kbytes, 128L, 262144L);
	}
	pages_min = (unsigned long)min_free_kbytes >> (PAGE_SHIFT - 10);
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			if (zone_idx(zone) != ZONE_MOVABLE)
				lowmem_pages += zone_managed_pages(zone);
	}
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			unsigned long managed = zone_managed_pages(zone);
			unsigned long tmp = lowmem_pages ? pages_min * managed / lowmem_pages : 0;

			spin_lock(&zone->lock);
			zone->_watermark[WMARK_MIN] = tmp;
			tmp = max(tmp >> 2, managed * (unsigned long)umm_cfg.watermark_scale_factor / 10000);
			zone->watermark_boost = 0;
			zone->_watermark[WMARK_LOW] = zone->_watermark[WMARK_MIN] + tmp;
			zone->_watermark[WMARK_HIGH] = zone->_watermark[WMARK_LOW] + tmp;
			zone->_watermark[WMARK_PROMO] = zone->_watermark[WMARK_HIGH] + tmp;
			spin_unlock(&zone->lock);
		}
	}
	calculate_totalreserve_pages();
}

UMM_API long umm_min_free_kbytes(void)
{
	return min_free_kbytes;
}

/*
 * Zonelists: the zones with memory of the preferred node from the highest
 * down, then the other nodes in turn (fake nodes are all at the same
 * distance).  Built into the buffer not in use and published with a
 * release store (hotplug_lock held, or at boot); a reader that still
 * walks the old buffer sees a complete list, unless two rebuilds happen
 * during its one allocation, which would take two zones getting their
 * first memory in that window.
 */
/* first_zones_zonelist(): the first zone at or below @highest, or NULL. */
static struct zone *zonelist_walk_first(const struct zonelist *zl, int highest)
{
	const struct zoneref *z = zl->_zonerefs;

	while (z->zone && z->zone_idx > highest)
		z++;
	return z->zone;
}

/* Its answer for each highest_zoneidx, kept with the list (first_zone[]). */
static void zonelist_first_zones(struct zonelist *zl)
{
	for (int idx = 0; idx < MAX_NR_ZONES; idx++)
		zl->first_zone[idx] = zonelist_walk_first(zl, idx);
}

void build_all_zonelists(void)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);
		struct zonelist *lists = pgdat->node_zonelists == pgdat->_zonelist_buf[0] ?
					 pgdat->_zonelist_buf[1] : pgdat->_zonelist_buf[0];
		struct zoneref *zr = lists[ZONELIST_FALLBACK]._zonerefs;
		struct zoneref *nf = lists[ZONELIST_NOFALLBACK]._zonerefs;

		for (int k = 0; k < nr_online_nodes; k++) {
			struct pglist_data *other = NODE_DATA((nid + k) % nr_online_nodes);

			for (int z = MAX_NR_ZONES - 1; z >= 0; z--) {
				if (!other->node_zones[z].present_pages)
					continue;
				zr->zone = &other->node_zones[z];
				zr->zone_idx = z;
				zr++;
				if (k == 0) {
					nf->zone = &other->node_zones[z];
					nf->zone_idx = z;
					nf++;
				}
			}
		}
		zr->zone = NULL;
		nf->zone = NULL;
		for (int l = 0; l < MAX_ZONELISTS; l++)
			zonelist_first_zones(&lists[l]);
		__atomic_store_n(&pgdat->node_zonelists, lists, __ATOMIC_RELEASE);
	}
}

void page_alloc_shutdown(void)
{
	WRITE_ONCE(page_alloc_fast, false);
	fail_page_alloc_attr = (struct fault_attr)FAULT_ATTR_INITIALIZER("fail_page_alloc");
	fail_page_alloc_min_order = 1;
	fail_page_alloc_ignore_gfp_reclaim = true;
	fail_page_alloc_ignore_gfp_highmem = true;
	totalreserve_pages = 0;
	min_free_kbytes = 0;
}

/* ---- the invariant checker ---- */

#define check(cond, ...)						\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("umm_page_alloc_check: " __VA_ARGS__);	\
			err = -EUCLEAN;					\
			goto out;					\
		}							\
	} while (0)

static inline bool test_and_mark(unsigned long *bitmap, unsigned long bit)
{
	unsigned long mask = 1UL << (bit % 64);
	bool was = bitmap[bit / 64] & mask;

	bitmap[bit / 64] |= mask;
	return was;
}

static int check_zone(struct zone *zone, unsigned long *seen)
{
	unsigned long free_pages = 0, block_pages = 0, unreported = 0;
	unsigned long start = zone->zone_start_pfn, end = zone_end_pfn(zone);
	unsigned long present = 0;
	int err = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		spin_lock(&zone->per_cpu_pageset[cpu].lock);
	spin_lock(&zone->lock);

	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		struct free_area *area = &zone->free_area[order];
		unsigned long nr = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			unsigned long nr_mt = 0;
			struct page *page;

			list_for_each_entry(page, &area->free_list[mt], buddy_list) {
				unsigned long pfn = page_to_pfn(page);

				nr++;
				nr_mt++;
				check(PageBuddy(page), "pfn %lx on free list (order %u) is not PageBuddy\n", pfn, order);
				check(buddy_order(page) == order, "pfn %lx has order %u on the order-%u list\n",
				      pfn, buddy_order(page), order);
				check(IS_ALIGNED(pfn, 1UL << order), "pfn %lx misaligned for order %u\n", pfn, order);
				check(pfn >= start && pfn + (1UL << order) <= end, "pfn %lx outside zone %s\n",
				      pfn, zone->name);
				check(page_zone(page) == zone, "pfn %lx in the wrong zone\n", pfn);
				check(page_ref_count(page) == 0, "free pfn %lx has refcount %d\n", pfn,
				      page_ref_count(page));
				for (unsigned long b = pfn; b < pfn + (1UL << order); b += pageblock_nr_pages)
					check(get_pfnblock_migratetype(page, b) == mt,
					      "pfn %lx on %s list but pageblock is %s\n", pfn,
					      migratetype_names[mt],
					      migratetype_names[get_pfnblock_migratetype(page, b)]);
				for (unsigned long i = 0; i < (1UL << order); i++) {
					check(!test_and_mark(seen, pfn + i - start), "pfn %lx counted twice\n", pfn + i);
					check(i == 0 || !PageBuddy(page + i), "pfn %lx: PageBuddy inside a free block\n",
					      pfn + i);
				}
				if (order < MAX_PAGE_ORDER) {
					unsigned long bpfn = __find_buddy_pfn(pfn, order);
					struct page *buddy = pfn_to_page(bpfn);
					bool mergeable = order < pageblock_order ||
						(migratetype_is_mergeable(mt) &&
						 migratetype_is_mergeable(get_pfnblock_migratetype(buddy, bpfn)));

					check(!(mergeable && page_is_buddy(page, buddy, order)),
					      "free buddies %lx and %lx of order %u not merged\n", pfn, bpfn, order);
				}
				free_pages += 1UL << order;
				if (order >= pageblock_order)
					block_pages += 1UL << order;
				if (order >= umm_cfg.page_reporting_order && !PageReported(page))
					unreported += 1UL << order;
			}
			check(nr_mt == area->nr_free_mt[mt], "%s order %u %s: count %lu, list holds %lu\n",
			      zone->name, order, migratetype_names[mt], area->nr_free_mt[mt], nr_mt);
		}
		check(nr == area->nr_free, "%s order %u: nr_free %lu, lists hold %lu\n", zone->name,
		      order, area->nr_free, nr);
	}
	check(free_pages == zone_page_state(zone, NR_FREE_PAGES), "%s: NR_FREE_PAGES %lu, lists hold %lu\n",
	      zone->name, zone_page_state(zone, NR_FREE_PAGES), free_pages);
	check(block_pages == zone_page_state(zone, NR_FREE_PAGES_BLOCKS),
	      "%s: NR_FREE_PAGES_BLOCKS %lu, lists hold %lu\n", zone->name,
	      zone_page_state(zone, NR_FREE_PAGES_BLOCKS), block_pages);
	check(unreported == zone->nr_unreported, "%s: nr_unreported %lu, lists hold %lu\n", zone->name,
	      zone->nr_unreported, unreported);

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		long count = 0;

		for (unsigned int pindex = 0; pindex < NR_PCP_LISTS; pindex++) {
			unsigned int order = pindex_to_order(pindex);
			struct page *page;

			list_for_each_entry(page, &pcp->lists[pindex], pcp_list) {
				unsigned long pfn = page_to_pfn(page);

				check(!PageBuddy(page), "pcp page %lx is PageBuddy\n", pfn);
				check(page_ref_count(page) == 0, "pcp page %lx has refcount %d\n", pfn,
				      page_ref_count(page));
				check(page_zone(page) == zone, "pcp page %lx in the wrong zone\n", pfn);
				check(IS_ALIGNED(pfn, 1UL << order), "pcp page %lx misaligned\n", pfn);
				for (unsigned long i = 0; i < (1UL << order); i++)
					check(!test_and_mark(seen, pfn + i - start), "pcp pfn %lx counted twice\n",
					      pfn + i);
				count += 1L << order;
			}
		}
		check(count == pcp->count, "cpu %u %s: pcp->count %d, lists hold %ld\n", cpu, zone->name,
		      pcp->count, count);
	}

	for (unsigned long pfn = start; pfn < end; pfn++) {
		struct mem_section *ms = &physmem.sections[pfn >> PFN_SECTION_SHIFT];
		unsigned long off = pfn & (PAGES_PER_SECTION - 1);

		if (off >= ms->present_pages) {
			pfn |= PAGES_PER_SECTION - 1;	/* hole: skip the section */
			continue;
		}
		if (memmap_pfn_deferred(pfn)) {
			/* A whole free block's uninitialised struct page: pristine. */
			struct page *head = pfn_to_page(ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES));
			static const struct page zero;

			if (page_zone(head) != zone)
				continue;
			present++;
			check(PageBuddy(head) && buddy_order(head) == MAX_PAGE_ORDER,
			      "pfn %lx: struct pages deferred in a block that is not free\n", pfn);
			check(PageReported(head), "pfn %lx: struct pages deferred in a block the host backs\n",
			      pfn);
			check(!memcmp(pfn_to_page(pfn), &zero, sizeof(zero)),
			      "pfn %lx: deferred struct page written\n", pfn);
			continue;
		}
		if (page_zone(pfn_to_page(pfn)) != zone)
			continue;
		present++;
		if (!(seen[(pfn - start) / 64] & (1UL << ((pfn - start) % 64))))
			check(!PageBuddy(pfn_to_page(pfn)), "pfn %lx is PageBuddy but on no list\n", pfn);
	}
	check(present == zone->present_pages, "%s: present_pages %lu, found %lu\n", zone->name,
	      zone->present_pages, present);
	check((long)present == zone->managed_pages, "%s: managed %ld != present %lu\n", zone->name,
	      zone->managed_pages, present);
out:
	spin_unlock(&zone->lock);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		spin_unlock(&zone->per_cpu_pageset[cpu].lock);
	return err;
}

/* The zonelists in use: each first_zone[] is what the walk finds. */
static int check_zonelists(const struct pglist_data *pgdat)
{
	const struct zonelist *lists = __atomic_load_n(&pgdat->node_zonelists, __ATOMIC_ACQUIRE);

	for (int l = 0; l < MAX_ZONELISTS; l++)
		for (int idx = 0; idx < MAX_NR_ZONES; idx++)
			if (lists[l].first_zone[idx] != zonelist_walk_first(&lists[l], idx)) {
				pr_err("umm_page_alloc_check: node %d zonelist %d: first_zone[%d] is stale\n",
				       pgdat->node_id, l, idx);
				return -EUCLEAN;
			}
	return 0;
}

int umm_page_alloc_check(void)
{
	int nid, err = 0;

	if (!umm_ensure_booted())
		return -ENODEV;
	umm_gate_enter();
	mutex_lock(&physmem.hotplug_lock);
	for_each_online_node(nid) {
		struct zone *zone;

		err = check_zonelists(NODE_DATA(nid));
		if (err)
			goto out;
		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			size_t bytes;
			unsigned long *seen;

			if (!zone->spanned_pages)
				continue;
			bytes = ALIGN(DIV_ROUND_UP(zone->spanned_pages, 64) * 8, PAGE_SIZE);
			seen = host_alloc(bytes);
			if (!seen) {
				err = -ENOMEM;
				goto out;
			}
			err = check_zone(zone, seen);
			host_free(seen, bytes);
			if (err)
				goto out;
		}
	}
out:
	mutex_unlock(&physmem.hotplug_lock);
	umm_gate_exit();
	return err;
}
