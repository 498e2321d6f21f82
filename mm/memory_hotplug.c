// SPDX-License-Identifier: GPL-2.0
/*
 * memory_hotplug.c - adding memory sections at run time
 * (mm/memory_hotplug.c, mm/sparse.c).
 *
 * Owns: physmem.sections[], max_pfn, hotplug_generation, and the growth
 * of zone and node spans.  All of it changes under physmem.hotplug_lock
 * (the kernel's mem_hotplug_lock); zone spans and page counts also under
 * zone->lock, so the allocator never sees a half-added range.
 *
 * A range becomes memory in this order: its frames are mapped into the
 * direct map, its struct pages are committed, max_pfn moves past it
 * (so that an address in it is umm's to free() the moment a page is
 * handed out), its struct pages are initialised (node, zone,
 * refcount 0, no type; with umm.memmap_deferred=1 only the first memmap
 * page of each pageblock, the rest of a max-order block when it is first
 * taken from the free lists), its pageblocks are marked MOVABLE, the zone and
 * node grow, and only then are its max-order blocks freed to the buddy
 * lists (online_pages -> __free_pages_core).  Every range is a multiple
 * of MAX_ORDER_NR_PAGES and aligned to it (see page_alloc.c).
 *
 * Deferral both ways (umm.memmap_deferred=1): a free max-order block's
 * struct pages are in one of two states, recorded per block in
 * physmem.memmap_deferred under the zone's lock.  Initialised: every
 * struct page written.  Deferred: only the host page of memmap holding
 * each pageblock's first struct page is (the pageblock heads that
 * pagetypeinfo, take_contig_blocks() and the checker read without
 * splitting the block; the buddy head among them), and the rest reads
 * as zero.  A block starts deferred at boot and hot-add; it becomes
 * initialised when it first leaves the free lists for use
 * (__memmap_init_deferred()); and when page reporting has given the
 * whole block's memory back to the host, it becomes deferred again
 * (__memmap_redefer()): the host pages of its memmap past the kept ones
 * go back to the host too, so that they read as zero, and the bit is
 * set, both at the moment the reported block returns to the free list.
 *
 * The kernel never frees the memmap of online memory but by hot-remove,
 * and by HVO for HugeTLB pages (mm/hugetlb_vmemmap.c: with the page out
 * of the buddy allocator, hugetlb_vmemmap_optimize_folio() frees the
 * vmemmap pages past the first, HUGETLB_VMEMMAP_RESERVE_SIZE, and
 * hugetlb_vmemmap_restore_folio() allocates them again before the page
 * goes back), which is the nearest analogue.  umm does it because its
 * "physical memory" is what a program's heap grew to: a struct page of
 * 64 bytes per 4 KiB frame is 1.6% of it, and once the program frees
 * the heap and the frames go back to the host, their memmap would stay
 * resident for ever, 1.6% of the peak heap.  The idle 8-thread program
 * of bench/allocators/idle_rss.sh grows umm's memory to 1.4 GiB and
 * kept 32 MiB resident when idle, a quarter of it the memmap of blocks
 * it had given back whole (24 MiB now).  The kernel's memory is the
 * machine's and stays; its memmap is paid once.
 *
 * Growth on demand, only when the command line asks for it (umm.hotplug=1,
 * or umm.max_mem= given; kernel/params.c): otherwise mem= is all the
 * machine has, as on Linux, and allocations meet the watermarks and fail.
 * An allocation that may block and finds no memory
 * above the low watermark adds memory up to the next section boundary
 * (a whole 128 MiB section after the first), to the node it prefers, as
 * long as umm.max_mem allows and the new PFNs fall in a zone the
 * allocation may use.  hotplug_generation lets concurrent allocators that
 * all failed before one of them grew memory retry instead of each adding
 * a section.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

unsigned long hotplug_generation;

enum zone_type zone_for_pfn(unsigned long pfn)
{
	if (pfn < ((16UL << 20) >> PAGE_SHIFT))
		return ZONE_DMA;
	if (pfn < ((4UL << 30) >> PAGE_SHIFT))
		return ZONE_DMA32;
	return ZONE_NORMAL;
}

static void resize_zone_range(struct zone *zone, unsigned long start_pfn,
			      unsigned long nr_pages)
{
	unsigned long old_end = zone_end_pfn(zone);

	if (!zone->spanned_pages || start_pfn < zone->zone_start_pfn)
		zone->zone_start_pfn = start_pfn;
	zone->spanned_pages = max(start_pfn + nr_pages, zone->spanned_pages ? old_end : 0) -
			      zone->zone_start_pfn;
}

static void resize_pgdat_range(struct pglist_data *pgdat, unsigned long start_pfn,
			       unsigned long nr_pages)
{
	unsigned long old_end = pgdat->node_start_pfn + pgdat->node_spanned_pages;

	if (!pgdat->node_spanned_pages || start_pfn < pgdat->node_start_pfn)
		pgdat->node_start_pfn = start_pfn;
	pgdat->node_spanned_pages = max(start_pfn + nr_pages,
					pgdat->node_spanned_pages ? old_end : 0) -
				    pgdat->node_start_pfn;
}

static void __init_single_page(struct page *page, unsigned long flags)
{
	memset(page, 0, sizeof(*page));
	page->flags = flags;
	page->page_type = PAGE_TYPE_NONE;
	INIT_LIST_HEAD(&page->lru);
}

static void init_pages(unsigned long start, unsigned long end, unsigned long flags)
{
	for (unsigned long pfn = start; pfn < end; pfn++)
		__init_single_page(pfn_to_page(pfn), flags);
}

_Static_assert(PAGE_SIZE % sizeof(struct page) == 0 &&
	       pageblock_nr_pages % (PAGE_SIZE / sizeof(struct page)) == 0,
	       "a pageblock's struct pages fill whole host pages");

/*
 * Initialise the struct pages of [start, start + nr) for @nid/@zt: with
 * umm.memmap_deferred=1 (the default) only the first host page of memmap
 * of each pageblock, the rest of each max-order block when it is first
 * used (__memmap_init_deferred()), as the kernel's
 * DEFERRED_STRUCT_PAGE_INIT defers them past boot.  A process that uses
 * 10 MiB of a 64 MiB start then keeps 128 KiB of memmap resident, not
 * 1 MiB.
 */
static void memmap_init_range(unsigned long start, unsigned long nr, int nid,
			      enum zone_type zt)
{
	unsigned long flags = ((unsigned long)nid << NODES_PGSHIFT) |
			      ((unsigned long)zt << ZONES_PGSHIFT);

	for (unsigned long pfn = start; pfn < start + nr; pfn += MAX_ORDER_NR_PAGES) {
		unsigned long b = pfn / MAX_ORDER_NR_PAGES;

		if (!umm_cfg.memmap_deferred) {
			init_pages(pfn, pfn + MAX_ORDER_NR_PAGES, flags);
			continue;
		}
		for (unsigned long pb = pfn; pb < pfn + MAX_ORDER_NR_PAGES; pb += pageblock_nr_pages)
			init_pages(pb, pb + MEMMAP_PFNS_PER_PAGE, flags);
		__atomic_fetch_or(&physmem.memmap_deferred[b / MEMMAP_BITS], 1UL << (b % MEMMAP_BITS),
				  __ATOMIC_RELAXED);
	}
	for (unsigned long pfn = start; pfn < start + nr; pfn += pageblock_nr_pages)
		set_pageblock_migratetype(pfn_to_page(pfn), MIGRATE_MOVABLE);
}

/*
 * The rest of a deferred block's struct pages, from its head's node and
 * zone: the block is leaving the free lists to be split or used (zone->lock
 * held, so no one else can take it meanwhile).
 */
void __memmap_init_deferred(struct page *head)
{
	unsigned long pfn = page_to_pfn(head), b = pfn / MAX_ORDER_NR_PAGES;
	unsigned long flags = head->flags & ((NODES_MASK << NODES_PGSHIFT) |
					     (ZONES_MASK << ZONES_PGSHIFT));

	lockdep_assert_held(&page_zone(head)->lock);
	for (unsigned long pb = pfn; pb < pfn + MAX_ORDER_NR_PAGES; pb += pageblock_nr_pages)
		init_pages(pb + MEMMAP_PFNS_PER_PAGE, pb + pageblock_nr_pages, flags);
	__atomic_fetch_and(&physmem.memmap_deferred[b / MEMMAP_BITS], ~(1UL << (b % MEMMAP_BITS)),
			   __ATOMIC_RELEASE);
}

/*
 * Make the struct pages [first, end) read as zero: the host pages lying
 * wholly inside go back to the host (host_discard()), and what shares a
 * host page with a kept struct page (a host page larger than umm's) is
 * cleared in place.  Should the host refuse, clearing is still correct.
 */
static void memmap_discard(struct page *first, struct page *end)
{
	unsigned long s = (unsigned long)first, e = (unsigned long)end;
	unsigned long hs = ALIGN(s, host_page_size()), he = ALIGN_DOWN(e, host_page_size());

	if (hs >= he) {
		memset(first, 0, e - s);
		return;
	}
	memset(first, 0, hs - s);
	if (host_discard((void *)hs, he - hs))
		memset((void *)hs, 0, he - hs);
	memset((void *)he, 0, e - he);
}

/*
 * A free max-order block whose memory all went back to the host (page
 * reporting put it back whole, PageReported): return it to the state a
 * deferred block has at boot.  zone->lock held, so no allocation, pfn
 * walker under the lock or checker sees the memmap half gone; the kept
 * host page of each pageblock stays as it is, so lockless readers of
 * pageblock heads (pagetypeinfo) never see it change.  The block cannot
 * merge, nothing of it is allocated or on a pcp list, and every buddy
 * lookup of a lower order stays inside its own max-order block, so no
 * free or merge reads the struct pages discarded here.
 */
void __memmap_redefer(struct page *head)
{
	unsigned long pfn = page_to_pfn(head), b = pfn / MAX_ORDER_NR_PAGES;

	lockdep_assert_held(&page_zone(head)->lock);
	for (unsigned long pb = pfn; pb < pfn + MAX_ORDER_NR_PAGES; pb += pageblock_nr_pages)
		memmap_discard(pfn_to_page(pb + MEMMAP_PFNS_PER_PAGE),
			       pfn_to_page(pb + pageblock_nr_pages));
	__atomic_fetch_or(&physmem.memmap_deferred[b / MEMMAP_BITS], 1UL << (b % MEMMAP_BITS),
			  __ATOMIC_RELEASE);
}

/* Online one chunk that lies in a single zone; hotplug_lock held. */
static void online_chunk(int nid, unsigned long start, unsigned long nr,
			 enum zone_type zt)
{
	struct pglist_data *pgdat = NODE_DATA(nid);
	struct zone *zone = &pgdat->node_zones[zt];

	lockdep_assert_held(&physmem.hotplug_lock);
	memmap_init_range(start, nr, nid, zt);
	spin_lock(&zone->lock);
	resize_zone_range(zone, start, nr);
	zone->present_pages += nr;
	__atomic_fetch_add(&zone->managed_pages, (long)nr, __ATOMIC_RELAXED);
	spin_unlock(&zone->lock);
	resize_pgdat_range(pgdat, start, nr);
	pgdat->node_present_pages += nr;
	for (unsigned long pfn = start; pfn < start + nr; pfn += MAX_ORDER_NR_PAGES)
		__free_pages_core(pfn_to_page(pfn), MAX_PAGE_ORDER);
}

/* Map and online [start_pfn, start_pfn + nr_pages); hotplug_lock held. */
int __add_memory_pages(int nid, unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long end = start_pfn + nr_pages;
	char *mm_start, *mm_end;
	int err;

	lockdep_assert_held(&physmem.hotplug_lock);
	if (!IS_ALIGNED(start_pfn, MAX_ORDER_NR_PAGES) ||
	    !IS_ALIGNED(nr_pages, MAX_ORDER_NR_PAGES) || !nr_pages ||
	    end > physmem.pfn_limit || nid < 0 || nid >= nr_online_nodes)
		return -EINVAL;
	err = host_map_frames(__va(PFN_PHYS(start_pfn)), physmem.memfd,
			      (off_t)PFN_PHYS(start_pfn), PFN_PHYS(nr_pages),
			      PROT_READ | PROT_WRITE);
	if (err)
		return err;
	/* A chunk's struct pages fill whole host pages: 1024 * 64 bytes. */
	mm_start = (char *)pfn_to_page(start_pfn);
	mm_end = (char *)pfn_to_page(end);
	err = host_commit(mm_start, (size_t)(mm_end - mm_start));
	if (err) {
		host_rereserve(__va(PFN_PHYS(start_pfn)), PFN_PHYS(nr_pages));
		return err;
	}
	/*
	 * The end of memory moves first, as arch_add_memory() moves it
	 * before online_pages(): a page of the range may be handed out the
	 * moment its block is freed, and free(), kfree() and
	 * malloc_usable_size() take an address past max_pfn for none of
	 * umm's (a block freed there was leaked, its size read as 0).
	 */
	if (end > max_pfn)
		WRITE_ONCE(max_pfn, end);
	for (unsigned long pfn = start_pfn; pfn < end;) {
		enum zone_type zt = zone_for_pfn(pfn);
		unsigned long chunk_end = end;

		if (zt == ZONE_DMA)
			chunk_end = min(end, (16UL << 20) >> PAGE_SHIFT);
		else if (zt == ZONE_DMA32)
			chunk_end = min(end, (4UL << 30) >> PAGE_SHIFT);
		online_chunk(nid, pfn, chunk_end - pfn, zt);
		pfn = chunk_end;
	}
	for (unsigned long pfn = start_pfn; pfn < end;) {
		struct mem_section *ms = &physmem.sections[pfn >> PFN_SECTION_SHIFT];
		unsigned long sec_end = ALIGN(pfn + 1, PAGES_PER_SECTION);
		unsigned long n = min(sec_end, end) - pfn;

		ms->present_pages += n;
		ms->nid = nid;
		pfn += n;
	}
	__atomic_add_fetch(&hotplug_generation, 1, __ATOMIC_RELEASE);
	return 0;
}

static void memory_changed(void)
{
	build_all_zonelists();	/* a zone may have got its first pages */
	setup_per_zone_lowmem_reserve();
	setup_per_zone_wmarks();
	zone_pcp_update_all();
}

int umm_memory_hotplug_add(int nid, unsigned long nr_pages)
{
	unsigned long start, nr;
	int err;

	if (!umm_ensure_booted())
		return -ENODEV;
	if (nid < 0 || nid >= nr_online_nodes || !nr_pages)
		return -EINVAL;
	umm_gate_enter();
	mutex_lock(&physmem.hotplug_lock);
	start = max_pfn;
	nr = ALIGN(start + nr_pages, PAGES_PER_SECTION) - start;
	if (start + nr > physmem.pfn_limit) {
		err = -ENOSPC;
	} else {
		err = __add_memory_pages(nid, start, nr);
		if (!err)
			memory_changed();
	}
	mutex_unlock(&physmem.hotplug_lock);
	umm_gate_exit();
	return err;
}

int try_hotplug_grow(int nid, unsigned long seen_generation,
		     enum zone_type highest_zoneidx)
{
	unsigned long start, nr;
	int err;

	if (!umm_cfg.hotplug)
		return -ENOMEM;
	mutex_lock(&physmem.hotplug_lock);
	if (READ_ONCE(hotplug_generation) != seen_generation) {
		err = 0;	/* someone grew memory since we looked: retry */
		goto out;
	}
	start = max_pfn;
	nr = ALIGN(start + 1, PAGES_PER_SECTION) - start;
	if (start + nr > physmem.pfn_limit || zone_for_pfn(start) > highest_zoneidx) {
		err = -ENOMEM;
		goto out;
	}
	err = __add_memory_pages(nid, start, nr);
	if (!err)
		memory_changed();
out:
	mutex_unlock(&physmem.hotplug_lock);
	return err;
}
