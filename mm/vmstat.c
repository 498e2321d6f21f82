// SPDX-License-Identifier: GPL-2.0
/*
 * vmstat.c - /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo
 * (mm/vmstat.c), byte for byte in the format of Linux 6.18; and the
 * periodic worker, vmstat_update() on a thread of umm's own, that gives
 * idle memory back (its policy, lifetime and locks are described where
 * it starts, below).
 *
 * Free-list walks take zone->lock, as the kernel's do; counters are read
 * without locks.  zoneinfo prints the fields umm models; per-node stats
 * are the subset umm keeps (the kernel prints ~80 items, most about the
 * LRU, reclaim and NUMA balancing that umm does not have), and ZONE_DEVICE
 * does not exist.
 */
#include <pthread.h>
#include <unistd.h>
#include "internal.h"

static void walk_zones_in_node(struct seq_file *m, struct pglist_data *pgdat,
			       bool populated_only,
			       void (*print)(struct seq_file *, struct pglist_data *,
					     struct zone *))
{
	struct zone *zone;

	for_each_zone_in_node(zone, pgdat) {
		if (populated_only && !populated_zone(zone))
			continue;
		print(m, pgdat, zone);
	}
}

static void frag_show_print(struct seq_file *m, struct pglist_data *pgdat,
			    struct zone *zone)
{
	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	spin_lock(&zone->lock);
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(m, "%6lu ", zone->free_area[order].nr_free);
	spin_unlock(&zone->lock);
	seq_putc(m, '\n');
}

int buddyinfo_proc_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid)
		walk_zones_in_node(m, NODE_DATA(nid), true, frag_show_print);
	return 0;
}

static void pagetypeinfo_showfree_print(struct seq_file *m, struct pglist_data *pgdat,
					struct zone *zone)
{
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++) {
		seq_printf(m, "Node %4d, zone %8s, type %12s ", pgdat->node_id,
			   zone->name, migratetype_names[mtype]);
		for (int order = 0; order < NR_PAGE_ORDERS; order++) {
			unsigned long freecount = 0;
			bool overflow = false;
			struct list_head *curr;

			spin_lock(&zone->lock);
			list_for_each(curr, &zone->free_area[order].free_list[mtype]) {
				/* Cap the walk, as the kernel does. */
				if (++freecount >= 100000) {
					overflow = true;
					break;
				}
			}
			spin_unlock(&zone->lock);
			seq_printf(m, "%s%6lu ", overflow ? ">" : "", freecount);
		}
		seq_putc(m, '\n');
	}
}

static void pagetypeinfo_showblockcount_print(struct seq_file *m,
					      struct pglist_data *pgdat,
					      struct zone *zone)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };
	unsigned long start_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = zone_end_pfn(zone);

	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		struct page *page;
		int mtype;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone)
			continue;
		mtype = get_pageblock_migratetype(page);
		if (mtype < MIGRATE_TYPES)
			count[mtype]++;
	}
	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++)
		seq_printf(m, "%12lu ", count[mtype]);
	seq_putc(m, '\n');
}

int pagetypeinfo_proc_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		if (!pgdat->node_present_pages)
			continue;
		seq_printf(m, "Page block order: %d\n", pageblock_order);
		seq_printf(m, "Pages per block:  %lu\n", pageblock_nr_pages);
		seq_putc(m, '\n');
		seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
		for (int order = 0; order < NR_PAGE_ORDERS; order++)
			seq_printf(m, "%6d ", order);
		seq_putc(m, '\n');
		walk_zones_in_node(m, pgdat, true, pagetypeinfo_showfree_print);
		seq_printf(m, "\n%-23s", "Number of blocks type ");
		for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++)
			seq_printf(m, "%12s ", migratetype_names[mtype]);
		seq_putc(m, '\n');
		walk_zones_in_node(m, pgdat, true, pagetypeinfo_showblockcount_print);
	}
	return 0;
}

static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages", "nr_free_pages_blocks", "nr_zone_inactive_anon",
	"nr_zone_active_anon", "nr_zone_inactive_file", "nr_zone_active_file",
	"nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
	"nr_zspages", "nr_free_cma",
};

static const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
	"numa_local", "numa_other",
};

static bool is_zone_first_populated(struct pglist_data *pgdat, struct zone *zone)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (populated_zone(z))
			return z == zone;
	}
	return false;
}

static unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item)
{
	unsigned long x = __atomic_load_n(&zone->numa_event[item], __ATOMIC_RELAXED);

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		x += READ_ONCE(zone->per_cpu_pageset[cpu].numa_event[item]);
	return x;
}

static int fls_ul(unsigned long x)
{
	return x ? 64 - __builtin_clzl(x) : 0;
}

/* calculate_normal_threshold(): the per-CPU vmstat drift allowed. */
static int stat_threshold(struct zone *zone)
{
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul(nr_cpu_ids) * (1 + fls_ul(mem));

	return min(threshold, 125);
}

static void zoneinfo_show_print(struct seq_file *m, struct pglist_data *pgdat,
				struct zone *zone)
{
	seq_printf(m, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (is_zone_first_populated(pgdat, zone)) {
		static const struct { const char *name; enum node_stat_item item; long div; } ns[] = {
			{ "nr_slab_reclaimable", NR_SLAB_RECLAIMABLE_B, PAGE_SIZE },
			{ "nr_slab_unreclaimable", NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE },
			{ "nr_kernel_stack", NR_KERNEL_STACK_KB, 1 },
			{ "nr_page_table_pages", NR_PAGETABLE, 1 },
			{ "nr_vmalloc", NR_VMALLOC, 1 },
		};

		seq_printf(m, "\n  per-node stats");
		for (size_t i = 0; i < ARRAY_SIZE(ns); i++)
			seq_printf(m, "\n      %-12s %lu", ns[i].name,
				   node_page_state(pgdat, ns[i].item) / (unsigned long)ns[i].div);
	}
	seq_printf(m,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		   min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone),
		   wmark_pages(zone, WMARK_PROMO), zone->spanned_pages,
		   zone->present_pages, zone_managed_pages(zone), 0UL);
	seq_printf(m, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (int i = 1; i < MAX_NR_ZONES; i++)
		seq_printf(m, ", %ld", zone->lowmem_reserve[i]);
	seq_putc(m, ')');
	if (!populated_zone(zone)) {
		seq_putc(m, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", zone_stat_names[i],
			   zone_page_state(zone, (enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", numa_stat_names[i],
			   zone_numa_event_state(zone, (enum numa_stat_item)i));
	seq_printf(m, "\n  pagesets");
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		seq_printf(m,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, READ_ONCE(pcp->count), READ_ONCE(pcp->high),
			   READ_ONCE(pcp->batch), READ_ONCE(pcp->high_min),
			   READ_ONCE(pcp->high_max));
		seq_printf(m, "\n  vm stats threshold: %d", stat_threshold(zone));
	}
	seq_printf(m,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu",
		   0u, zone->zone_start_pfn);
	seq_putc(m, '\n');
}

int zoneinfo_proc_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid)
		walk_zones_in_node(m, NODE_DATA(nid), false, zoneinfo_show_print);
	return 0;
}

/*
 * ---- the periodic worker: vmstat_update() on a thread of umm's own ----
 *
 * The kernel keeps free memory from sitting idle with periodic work:
 * vmstat_update() (every sysctl_stat_interval, 1 s) runs
 * refresh_cpu_vm_stats(), which drains a CPU's pcp lists once they have
 * not been used for three intervals (pcp->expire); SLAB's cache_reap()
 * (every 2 s) drains the per-CPU arrays and a fifth of the free slabs;
 * page_reporting_process() is delayed work that hands free blocks to the
 * host.  umm has no work queue that runs by itself, so one thread does
 * all three, vmstat_update() below, each interval:
 *  - page_reporting_sample(): what the program freed since the last pass
 *    enters the decay's backlog;
 *  - kmem_cache_reap(): SLUB frees a fifth (rounded up) of the empty
 *    slabs on each node's partial lists, SLAB runs its cache_reap() for
 *    every CPU (mm/slub.c, mm/slab.c); the pages freed are drained from
 *    the worker's own pcp list at once, being cold;
 *  - refresh_cpu_vm_stats(): every pcp list whose count has not changed
 *    for three intervals is drained to the buddy lists (decay_pcp_pages()),
 *    where its pages can merge into blocks worth reporting;
 *  - page_reporting_process(): reports free blocks along jemalloc's decay
 *    curve, the cold ones the two steps above made at once
 *    (mm/page_reporting.c has the policy and its figures).
 * The interval is min(1 s, umm.reclaim_decay_ms / 4), so that a decay has
 * at least four steps.  The worker sleeps with no timeout once a pass finds
 * nothing left (no unreported block, no page on a pcp list, no empty slab
 * freed); the next free that leaves an unreported block
 * (page_reporting_notify_free()) wakes it.  A zone near its min watermark
 * keeps blocks that cannot be isolated (__isolate_free_page()): the
 * worker then keeps its interval until they can go.
 *
 * Lifetime:
 *  - started lazily: the first such free sets vmstat_worker_pending, and
 *    the thread that made it starts the worker when it leaves the fork
 *    gate (mm/fork_gate.c), holding no allocator lock, as pthread_create()
 *    allocates.  A program that never frees a block of the reporting
 *    order never gets a thread.  A failed start (no threads left) falls
 *    back on the freeing thread's reporting, as with the worker off;
 *  - invisible to signals: it runs with every signal blocked
 *    (host_thread_start());
 *  - fork(): each pass runs inside the gate, so fork() never copies a lock
 *    the worker holds; it sleeps outside.  The child has no worker:
 *    vmstat_worker_fork_child() forgets it, and the child's first free
 *    that leaves an unreported block starts its own (a child that only
 *    execs makes no thread);
 *  - vfork() (and posix_spawn(), system()): the child shares this memory
 *    and runs the allocator on the suspended thread's slots, but its
 *    threads are its own and die when it execs or _exit()s.  A worker
 *    it started would leave worker_state RUNNING with no thread behind
 *    it, and one killed mid-pass would hold the fork gate (and whatever
 *    lock the pass had) in the parent for ever.  So only the process
 *    that booted umm, or a fork() child of it, starts the worker
 *    (worker_pid); a vfork() child leaves the start pending for the
 *    parent;
 *  - umm_shutdown() stops and joins it (vmstat_worker_stop()) before it
 *    tears anything down, and none starts again until the next boot
 *    (vmstat_worker_init()).
 * It runs only with umm.backing=anon, the malloc front end's mode, where
 * the fork gate gives the starting thread its safe point; with the memfd
 * backing (the simulator's, whose runs must replay the same) reporting
 * stays in the freeing thread.  umm.reclaim_decay_ms=0 or
 * umm.page_reporting=0 turn it off.
 *
 * Locks: a pass takes, one subsystem after the other and never two at
 * once, what the freeing paths take in their documented order: pcp->lock
 * then zone->lock (page_alloc.c), slab_mutex (try-locked, as cache_reap()
 * does) then n->list_lock then slab_lock() (slub.c, slab.c), and the zone
 * lock of the reporting pass (page_reporting.c).  worker_state and the
 * wake word are atomics; nothing is held while it sleeps.
 */
enum { WORKER_NONE, WORKER_STARTING, WORKER_RUNNING, WORKER_FAILED, WORKER_STOPPING };

int vmstat_worker_pending;
static int worker_state;
static int worker_wake;		/* futex word: bumped to wake the worker */
static int worker_asleep;	/* sleeping with no timeout */
static pthread_t worker_thread;
static pid_t worker_pid;	/* the process that may start it: not a vfork() child */

unsigned long vmstat_interval_ms(void)
{
	unsigned long decay = umm_cfg.reclaim_decay_ms;

	return decay >= 4000 ? 1000 : max(decay / 4, 1UL);
}

/* The decay's length in intervals, 1..RECLAIM_DECAY_STEPS_MAX. */
unsigned int vmstat_decay_steps(void)
{
	unsigned long steps = umm_cfg.reclaim_decay_ms / vmstat_interval_ms();

	return (unsigned int)clamp(steps, 1UL, (unsigned long)RECLAIM_DECAY_STEPS_MAX);
}

/* The worker does the reporting (or will, once started). */
bool vmstat_worker_enabled(void)
{
	return umm_cfg.reclaim_decay_ms && umm_cfg.page_reporting && umm_gate_on &&
	       __atomic_load_n(&worker_state, __ATOMIC_RELAXED) != WORKER_FAILED;
}

/* Age every pcp list; true while some still hold pages. */
static bool refresh_cpu_vm_stats(void)
{
	bool left = false;
	int nid;

	if (!umm_cfg.pcp)
		return false;
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			if (!populated_zone(zone))
				continue;
			for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
				left |= decay_pcp_pages(zone, cpu) > 0;
		}
	}
	return left;
}

/* One pass; true while there is more to do. */
static bool vmstat_update(void)
{
	unsigned long reaped = 0;
	bool busy;

	umm_gate_enter();
	page_reporting_sample();
	busy = kmem_cache_reap(&reaped) != 0;
	/* The reaped slabs are cold: off this CPU's pcp lists to the buddy. */
	if (reaped)
		drain_local_pages(NULL);
	busy |= refresh_cpu_vm_stats();
	busy |= page_reporting_process();
	umm_gate_exit();
	return busy;
}

/* Some zone still holds unreported blocks (read without locks). */
static bool unreported_left(void)
{
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			if (__atomic_load_n(&zone->nr_unreported, __ATOMIC_RELAXED))
				return true;
	}
	return false;
}

static bool worker_stopping(void)
{
	return __atomic_load_n(&worker_state, __ATOMIC_ACQUIRE) == WORKER_STOPPING;
}

static void *vmstat_worker(void *arg)
{
	(void)arg;
	while (!worker_stopping()) {
		int seq = __atomic_load_n(&worker_wake, __ATOMIC_ACQUIRE);
		long timeout = (long)vmstat_interval_ms();

		if (!vmstat_update()) {
			/*
			 * Say so before looking again: a free that made work
			 * after the look sees worker_asleep and wakes us
			 * (page_reporting_notify_free() fences likewise).
			 */
			__atomic_store_n(&worker_asleep, 1, __ATOMIC_SEQ_CST);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (!unreported_left())
				timeout = -1;
			else
				__atomic_store_n(&worker_asleep, 0, __ATOMIC_RELAXED);
		}
		if (!worker_stopping())
			host_wait(&worker_wake, seq, timeout);
		__atomic_store_n(&worker_asleep, 0, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void worker_wake_up(void)
{
	__atomic_fetch_add(&worker_wake, 1, __ATOMIC_RELEASE);
	host_wake(&worker_wake);
}

/*
 * A free left unreported blocks: wake the worker if it sleeps for good,
 * or have it started.  The caller stored nr_unreported before.
 */
void vmstat_worker_kick(void)
{
	switch (__atomic_load_n(&worker_state, __ATOMIC_RELAXED)) {
	case WORKER_RUNNING:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);	/* see vmstat_worker() */
		if (__atomic_load_n(&worker_asleep, __ATOMIC_RELAXED) &&
		    __atomic_exchange_n(&worker_asleep, 0, __ATOMIC_RELAXED))
			worker_wake_up();
		break;
	case WORKER_NONE:
		if (!__atomic_load_n(&vmstat_worker_pending, __ATOMIC_RELAXED))
			__atomic_store_n(&vmstat_worker_pending, 1, __ATOMIC_RELAXED);
		break;
	}
}

/* From the fork gate's exit, with no allocator lock held: start the worker. */
void vmstat_worker_start(void)
{
	int expected = WORKER_NONE;

	/* A vfork() child: the thread would die with it (see above); it stays pending. */
	if (getpid() != __atomic_load_n(&worker_pid, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&vmstat_worker_pending, 0, __ATOMIC_RELAXED);
	if (!umm_booted || !umm_cfg.reclaim_decay_ms ||
	    !__atomic_compare_exchange_n(&worker_state, &expected, WORKER_STARTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	if (host_thread_start(&worker_thread, vmstat_worker, NULL, "umm-vmstat")) {
		pr_warn("umm: no reclaim worker thread; free memory is reported by the freeing threads\n");
		__atomic_store_n(&worker_state, WORKER_FAILED, __ATOMIC_RELEASE);
		return;
	}
	/* umm_shutdown() races with no call into umm (boot.h): nobody else changes it now. */
	__atomic_store_n(&worker_state, WORKER_RUNNING, __ATOMIC_RELEASE);
}

/* umm_shutdown(): no other call into umm runs; join the worker. */
void vmstat_worker_stop(void)
{
	int state;

	__atomic_store_n(&vmstat_worker_pending, 0, __ATOMIC_RELAXED);
	state = __atomic_exchange_n(&worker_state, WORKER_STOPPING, __ATOMIC_ACQ_REL);
	if (state == WORKER_RUNNING) {
		worker_wake_up();
		pthread_join(worker_thread, NULL);
	}
	/* It stays STOPPING: the frees of the teardown must not start another. */
	__atomic_store_n(&worker_asleep, 0, __ATOMIC_RELAXED);
}

/* Boot: no worker yet; the first free worth reporting starts one. */
void vmstat_worker_init(void)
{
	__atomic_store_n(&worker_pid, getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&vmstat_worker_pending, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&worker_state, WORKER_NONE, __ATOMIC_RELEASE);
}

/*
 * The child of fork() has no worker: forget it.  The child's next free to
 * the buddy lists starts its own; none is started here, so that a child
 * that only execs never makes a thread.
 */
void vmstat_worker_fork_child(void)
{
	int state = __atomic_load_n(&worker_state, __ATOMIC_RELAXED);

	__atomic_store_n(&worker_pid, getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&vmstat_worker_pending, 0, __ATOMIC_RELAXED);
	if (state == WORKER_FAILED)
		return;	/* no threads: the child fares no better */
	__atomic_store_n(&worker_state, WORKER_NONE, __ATOMIC_RELAXED);
	__atomic_store_n(&worker_asleep, 0, __ATOMIC_RELAXED);
}
