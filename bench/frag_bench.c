// SPDX-License-Identifier: GPL-2.0
/*
 * frag_bench.c - fragmentation under churn, with and without grouping
 * pages by mobility (migratetypes).
 *
 * A 1 GiB machine without hot-add is filled to 50% and churned: 20% of
 * the allocations are unmovable and long-lived (kernel objects), 10%
 * reclaimable, 70% movable and short-lived (user pages); orders 0..3
 * mostly, some up to 6.  After the churn, the share of free memory that
 * is still in blocks of order >= pageblock_order (9, 2 MiB) tells how
 * well free memory stayed contiguous: higher is better.  It is measured
 * twice: right after the churn, and after freeing every movable object,
 * which is what reclaim and compaction can do in a kernel; mobility
 * grouping exists for the second number (unmovable pages concentrated in
 * few pageblocks), and can cost some of the first.
 *
 *   frag_bench [steps] [seed]
 */
#include <stdio.h>
#include <stdlib.h>
#include <umm.h>
#include "mm/internal.h"

struct obj {
	struct page *page;
	unsigned int order;
	bool longlived;
	bool movable;
};

static unsigned long long s;

static unsigned long long rnd(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

static double high_order_share(void)
{
	unsigned long free_hi = 0, free_all = 0;
	int nid;

	drain_all_pages(NULL);
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			spin_lock(&zone->lock);
			for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
				unsigned long pages = zone->free_area[o].nr_free << o;

				free_all += pages;
				if (o >= pageblock_order)
					free_hi += pages;
			}
			spin_unlock(&zone->lock);
		}
	}
	return free_all ? 100.0 * (double)free_hi / (double)free_all : 0;
}

static double run(const char *cmdline, long steps, unsigned long long seed,
		  double *after_reclaim)
{
	enum { MAXOBJ = 1 << 18 };
	static struct obj objs[MAXOBJ];
	long n = 0;
	unsigned long used = 0, target;
	double share;

	if (umm_boot(cmdline))
		exit(1);
	s = seed;
	target = totalram_pages() / 2;
	for (long i = 0; i < steps; i++) {
		bool grow = used < target && n < MAXOBJ;

		if (grow) {
			unsigned int r = (unsigned int)(rnd() % 100), order;
			gfp_t gfp;
			struct obj *o = &objs[n];

			if (r < 20)
				gfp = GFP_KERNEL;
			else if (r < 30)
				gfp = GFP_KERNEL | __GFP_RECLAIMABLE;
			else
				gfp = GFP_HIGHUSER_MOVABLE;
			order = rnd() % 10 < 8 ? (unsigned int)(rnd() % 4) : (unsigned int)(rnd() % 7);
			o->page = alloc_pages(gfp | __GFP_NOWARN, order);
			if (!o->page)
				continue;
			o->order = order;
			o->longlived = r < 20;
			o->movable = r >= 30;
			used += 1UL << order;
			n++;
		} else {
			/* Free a random object; long-lived ones rarely. */
			long k = (long)(rnd() % (unsigned long)n);

			if (objs[k].longlived && rnd() % 16)
				continue;
			__free_pages(objs[k].page, objs[k].order);
			used -= 1UL << objs[k].order;
			objs[k] = objs[--n];
		}
	}
	share = high_order_share();
	for (long k = 0; k < n;) {
		if (objs[k].movable) {
			__free_pages(objs[k].page, objs[k].order);
			objs[k] = objs[--n];
		} else {
			k++;
		}
	}
	*after_reclaim = high_order_share();
	for (long k = 0; k < n; k++)
		__free_pages(objs[k].page, objs[k].order);
	umm_shutdown();
	return share;
}

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 2000000;
	unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 1;
	double on_r, off_r;
	double on = run("mem=1G umm.hotplug=0", steps, seed, &on_r);
	double off = run("mem=1G umm.hotplug=0 umm.mobility_grouping=0", steps, seed, &off_r);

	printf("fragmentation after %ld steps at 50%% full (seed %llu):\n", steps, seed);
	printf("free memory in blocks of order >= %d   grouping on   grouping off\n",
	       pageblock_order);
	printf("  after the churn                      %10.1f%%   %11.1f%%\n", on, off);
	printf("  after freeing the movable pages      %10.1f%%   %11.1f%%\n", on_r, off_r);
	return 0;
}
