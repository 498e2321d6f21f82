// SPDX-License-Identifier: GPL-2.0
/*
 * page_reporting.c - giving free memory back to the host
 * (mm/page_reporting.c, the virtio-balloon free page reporting model).
 *
 * Owns: zone->nr_unreported's meaning and the reporting pass.
 *
 * Free blocks of order >= page_reporting_order (default pageblock_order,
 * 2 MiB) that the host still backs are "unreported".  Reporting isolates
 * such blocks from the free lists, punches them out of the memfd (the
 * host frees the memory and zaps every mapping of it, so RSS falls),
 * puts them back at the tail of their free lists and marks them
 * PG_reported, which allocation clears.  With umm.backing=anon the
 * direct map is private anonymous memory and MADV_DONTNEED does the same.
 * With umm.memmap_deferred=1, a put-back that leaves a whole max-order
 * block with the host also gives back the memmap of the block but the
 * kept host page of each pageblock, and marks the block deferred again,
 * in the same hold of zone->lock (__putback_isolated_page(),
 * __memmap_redefer() in mm/memory_hotplug.c, which says why umm does
 * what the kernel does not).
 *
 * Policy, chosen to avoid fault storms (a first touch costs ~13 us per
 * 4 KiB page on these machines, ~3.3 ms per 1 MiB):
 *  - nothing is reported until a zone holds umm.page_reporting_min
 *    (default 64 MiB) of unreported free blocks, so churn below that
 *    size never pays the refault;
 *  - a pass then reports blocks until only half of that stays backed,
 *    keeping a warm reserve for the next allocations;
 *  - reported blocks sit at the tail of the free lists, so allocation
 *    prefers blocks that are still backed, as in the kernel;
 *  - as in the kernel, the pass waits page_reporting_delay (2 s,
 *    umm.page_reporting_delay_ms) after the threshold is crossed, so a
 *    program that frees and reallocates in a loop keeps its memory;
 *  - the pass runs in the freeing thread once the zone lock is dropped,
 *    in batches of PAGE_REPORTING_CAPACITY blocks, one reporter per zone
 *    at a time.
 * That is the policy with no worker thread (umm.reclaim_decay_ms=0, and
 * the memfd backing).  It never reports in a program that has stopped
 * freeing, and it keeps half the threshold backed for ever: an idle
 * 8-thread program kept ~240 MiB of 243 MiB peak (bench/allocators/
 * idle_rss.sh).
 *
 * With the worker (mm/vmstat.c; umm.backing=anon, the malloc front end's
 * default), a free only wakes it, and page_reporting_process() reports on
 * its interval along jemalloc's decay curve (its dirty_decay_ms, with
 * umm.reclaim_decay_ms, default 4000, in the role):
 *  - each interval, the unreported pages that the program's frees made
 *    since the last pass enter a per-zone backlog of
 *    RECLAIM_DECAY_STEPS_MAX slots (the steps of one decay,
 *    umm.reclaim_decay_ms / interval, are used: 4 of 1 s by default);
 *    the blocks that the worker's own draining of expired pcp lists and
 *    reaping of empty slabs makes are cold (unused for intervals) and
 *    enter none, so that they go at once;
 *  - a page freed a steps ago may stay unreported with weight
 *    1 - smoothstep(a / steps), smoothstep(x) = x^2 (3 - 2x): all of it
 *    for the first interval, 84% after one, 50% after two, 16% after
 *    three, none after four, as jemalloc's backlog does; the pass reports
 *    blocks until the zone's unreported pages are at most the weighted sum;
 *  - so memory freed and allocated again within an interval or two is
 *    never given away (no refault for churn: the warm reserve is what was
 *    freed recently), and memory left free is all given back within one
 *    decay plus an interval, whether or not the program ever frees again.
 *    The idle 8-thread program above falls from 241 MiB to 24 MiB by 5 s
 *    (32 MiB before whole blocks gave back their memmap too; most of the
 *    rest is the memmap of blocks that still hold a page), with
 *    libumm-malloc.so's page_reporting_order of 0 (malloc/malloc.c says
 *    why).
 */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "internal.h"

#define PAGE_REPORTING_CAPACITY 32

static unsigned long reported_pages_total;
static unsigned long redeferred_blocks_total;
static int zone_reporting[MAX_NUMNODES][MAX_NR_ZONES];
static unsigned long zone_report_requested[MAX_NUMNODES][MAX_NR_ZONES];	/* ms, 0: no */

/* The worker's decay state of one zone; only the worker touches it. */
struct reporting_decay {
	unsigned long backlog[RECLAIM_DECAY_STEPS_MAX];	/* pages newly unreported, newest first */
	unsigned long nunpurged;	/* nr_unreported after the last pass */
};
static struct reporting_decay zone_decay[MAX_NUMNODES][MAX_NR_ZONES];

void page_reporting_init(void)
{
	reported_pages_total = 0;
	redeferred_blocks_total = 0;
	memset(zone_reporting, 0, sizeof(zone_reporting));
	memset(zone_report_requested, 0, sizeof(zone_report_requested));
	host_zero_static(zone_decay, sizeof(zone_decay));
}

unsigned long page_reporting_stat_reported(void)
{
	return __atomic_load_n(&reported_pages_total, __ATOMIC_RELAXED);
}

/* Max-order blocks whose memmap went back with them (deferred again). */
unsigned long page_reporting_stat_redeferred(void)
{
	return __atomic_load_n(&redeferred_blocks_total, __ATOMIC_RELAXED);
}

struct isolated_block {
	struct page *page;
	unsigned int order;
	int mt;
};

/* Take up to CAPACITY unreported blocks off the lists; zone->lock held. */
static int isolate_unreported(struct zone *zone, struct isolated_block *blocks,
			      unsigned long keep)
{
	int n = 0;

	lockdep_assert_held(&zone->lock);
	for (int order = MAX_PAGE_ORDER; order >= (int)umm_cfg.page_reporting_order; order--) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *list = &zone->free_area[order].free_list[mt];
			struct page *page, *next;

			if (mt == MIGRATE_ISOLATE)
				continue;
			list_for_each_entry_safe(page, next, list, buddy_list) {
				if (n == PAGE_REPORTING_CAPACITY || zone->nr_unreported <= keep)
					return n;
				if (PageReported(page))
					continue;
				if (!__isolate_free_page(page, (unsigned int)order))
					continue;
				blocks[n++] = (struct isolated_block){ page, (unsigned int)order, mt };
			}
		}
	}
	return n;
}

static void report_zone(struct zone *zone, unsigned long keep)
{
	struct isolated_block blocks[PAGE_REPORTING_CAPACITY];

	for (;;) {
		unsigned long redeferred = 0;
		int n;

		spin_lock(&zone->lock);
		n = isolate_unreported(zone, blocks, keep);
		spin_unlock(&zone->lock);
		if (!n)
			return;
		for (int i = 0; i < n; i++) {
			unsigned long pfn = page_to_pfn(blocks[i].page);

			host_release(physmem.memfd, (off_t)PFN_PHYS(pfn),
				     PAGE_SIZE << blocks[i].order, __va(PFN_PHYS(pfn)));
			__atomic_fetch_add(&reported_pages_total, 1UL << blocks[i].order,
					   __ATOMIC_RELAXED);
		}
		spin_lock(&zone->lock);
		for (int i = 0; i < n; i++)
			if (__putback_isolated_page(blocks[i].page, blocks[i].order, blocks[i].mt))
				redeferred++;
		spin_unlock(&zone->lock);
		__atomic_fetch_add(&redeferred_blocks_total, redeferred, __ATOMIC_RELAXED);
	}
}

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/*
 * The kernel schedules its reporting work page_reporting_delay (2 s)
 * after the first free that crosses the threshold, so that memory freed
 * and soon allocated again is never given away.  With no worker thread,
 * umm stamps the moment the threshold was crossed and reports at the
 * first free that comes umm.page_reporting_delay_ms after it.
 */
void page_reporting_notify_free(struct zone *zone)
{
	unsigned long now, since, unreported = __atomic_load_n(&zone->nr_unreported,
								__ATOMIC_RELAXED);
	int *busy;

	if (unreported && vmstat_worker_enabled()) {
		vmstat_worker_kick();
		return;
	}
	if (likely(unreported < (umm_cfg.page_reporting_min >> PAGE_SHIFT)) ||
	    !umm_cfg.page_reporting)
		return;
	now = now_ms() | 1;	/* 0 means "not requested" */
	since = __atomic_load_n(&zone_report_requested[zone->node][zone_idx(zone)],
				__ATOMIC_RELAXED);
	if (!since) {
		__atomic_store_n(&zone_report_requested[zone->node][zone_idx(zone)], now,
				 __ATOMIC_RELAXED);
		if (umm_cfg.page_reporting_delay_ms)
			return;
	} else if (now - since < umm_cfg.page_reporting_delay_ms) {
		return;
	}
	busy = &zone_reporting[zone->node][zone_idx(zone)];
	if (__atomic_exchange_n(busy, 1, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&zone_report_requested[zone->node][zone_idx(zone)], 0,
			 __ATOMIC_RELAXED);
	report_zone(zone, (umm_cfg.page_reporting_min >> PAGE_SHIFT) / 2);
	__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
}

/* smoothstep(x) = x^2 (3 - 2x) for x = num / den, in 1/65536ths. */
static unsigned long smoothstep16(unsigned long num, unsigned long den)
{
	unsigned long x = (num << 16) / den;

	return (x * x >> 16) * ((3UL << 16) - 2 * x) >> 16;
}

/* What may stay unreported: the backlog weighted by its age (head comment). */
static unsigned long decay_limit(const struct reporting_decay *d, unsigned int steps)
{
	unsigned long limit = 0;

	for (unsigned int age = 0; age < steps; age++)
		limit += (d->backlog[age] * smoothstep16(steps - age, steps)) >> 16;
	return limit;
}

/*
 * The worker's passes (mm/vmstat.c, inside the gate, no lock held).
 * page_reporting_sample() comes first: the unreported pages that appeared
 * since the last pass, freed by the program, enter the backlog.  Then
 * the worker drains expired pcp lists and reaps empty slabs: the blocks
 * that makes were freed long ago and are cold, so they enter no backlog
 * and page_reporting_process() reports them with the rest of what the
 * decay lets go.
 */
void page_reporting_sample(void)
{
	unsigned int steps = vmstat_decay_steps();
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			struct reporting_decay *d = &zone_decay[nid][zone_idx(zone)];
			unsigned long cur = __atomic_load_n(&zone->nr_unreported, __ATOMIC_RELAXED);

			memmove(&d->backlog[1], &d->backlog[0],
				sizeof(d->backlog) - sizeof(d->backlog[0]));
			d->backlog[0] = cur > d->nunpurged ? cur - d->nunpurged : 0;
			for (unsigned int age = steps; age < RECLAIM_DECAY_STEPS_MAX; age++)
				d->backlog[age] = 0;
		}
	}
}

static bool zone_decay_pass(struct zone *zone, struct reporting_decay *d, unsigned int steps)
{
	unsigned long limit = decay_limit(d, steps);
	int *busy = &zone_reporting[zone->node][zone_idx(zone)];

	if (__atomic_load_n(&zone->nr_unreported, __ATOMIC_RELAXED) > limit &&
	    !__atomic_exchange_n(busy, 1, __ATOMIC_ACQUIRE)) {
		report_zone(zone, limit);
		__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
	}
	d->nunpurged = __atomic_load_n(&zone->nr_unreported, __ATOMIC_RELAXED);
	return d->nunpurged != 0;
}

/* Report down to what the decay keeps; true while unreported pages are left. */
bool page_reporting_process(void)
{
	unsigned int steps = vmstat_decay_steps();
	bool left = false;
	int nid;

	if (!umm_cfg.page_reporting)
		return false;
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			if (zone->present_pages)
				left |= zone_decay_pass(zone, &zone_decay[nid][zone_idx(zone)], steps);
	}
	return left;
}

/*
 * Report every unreported block now, keeping nothing warm: malloc_trim()
 * and umm_page_reporting_flush() ask for it explicitly.
 */
UMM_API void umm_page_reporting_flush(void)
{
	int nid;

	if (!umm_ensure_booted() || !umm_cfg.page_reporting)
		return;
	umm_gate_enter();
	drain_all_pages(NULL);
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			int *busy = &zone_reporting[zone->node][zone_idx(zone)];

			if (!zone->present_pages || __atomic_exchange_n(busy, 1, __ATOMIC_ACQUIRE))
				continue;
			report_zone(zone, 0);
			__atomic_store_n(busy, 0, __ATOMIC_RELEASE);
		}
	}
	umm_gate_exit();
}
