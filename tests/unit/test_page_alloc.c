// SPDX-License-Identifier: GPL-2.0
/*
 * test_page_alloc.c - unit tests of the buddy allocator (mm/page_alloc.c)
 * and the memory model (mm/mm_init.c, mm/memory_hotplug.c).
 *
 * Each test boots its own umm with the command line it needs and shuts
 * it down; the invariant checker runs after every step that changes the
 * free lists.
 */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/internal.h"

static void boot(const char *cmdline)
{
	umm_shutdown();
	int err = umm_boot(cmdline);
	if (err)
		fprintf(stderr, "boot(\"%s\") = %d\n", cmdline, err);
	ASSERT_EQ(err, 0);
}

static struct zone *zone_of(int nid, enum zone_type zt)
{
	return &NODE_DATA(nid)->node_zones[zt];
}

static void free_counts(struct zone *zone, unsigned long *out)
{
	spin_lock(&zone->lock);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		out[o] = zone->free_area[o].nr_free;
	spin_unlock(&zone->lock);
}

#define CHECK_ALLOCATOR() ASSERT_EQ(umm_page_alloc_check(), 0)

/*
 * Split and merge, seen in one zone's free_area with the pcp lists off.
 * ZONE_DMA (16 MiB) is untouched by boot: 4 free order-10 blocks.  An
 * order-0 allocation splits one: orders 0..9 each get one free block.
 *
 *   order-10 block:  [x|0|1 1|2 2 2 2|3 ...|      9      ]
 */
TEST(test_split_and_merge)
{
	unsigned long before[NR_PAGE_ORDERS], after[NR_PAGE_ORDERS];
	struct zone *dma;
	struct page *page;

	boot("mem=64M umm.pcp=0");
	dma = zone_of(0, ZONE_DMA);
	free_counts(dma, before);
	EXPECT_EQ(before[MAX_PAGE_ORDER], 4);
	for (int o = 0; o < MAX_PAGE_ORDER; o++)
		EXPECT_EQ(before[o], 0);

	page = alloc_page(GFP_KERNEL | GFP_DMA);
	ASSERT(page);
	EXPECT_EQ(page_zonenum(page), ZONE_DMA);
	free_counts(dma, after);
	for (int o = 0; o < MAX_PAGE_ORDER; o++)
		EXPECT_EQ(after[o], 1);
	EXPECT_EQ(after[MAX_PAGE_ORDER], 3);
	CHECK_ALLOCATOR();

	/* The order-0 buddy of pfn P is P ^ 1: it is the free order-0 block. */
	struct page *buddy = pfn_to_page(page_to_pfn(page) ^ 1);
	EXPECT(PageBuddy(buddy));
	EXPECT_EQ(buddy_order(buddy), 0);

	__free_page(page);
	free_counts(dma, after);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		EXPECT_EQ(after[o], before[o]);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_alignment_every_order)
{
	boot("mem=128M");
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *pages[4];

		for (int i = 0; i < 4; i++) {
			pages[i] = alloc_pages(GFP_KERNEL, order);
			ASSERT(pages[i]);
			EXPECT_EQ(page_to_pfn(pages[i]) & ((1UL << order) - 1), 0);
			EXPECT_EQ(page_count(pages[i]), 1);
			/* The frame is real memory at its direct-map address. */
			memset(page_address(pages[i]), 0xa5, PAGE_SIZE << order);
			EXPECT(virt_to_page(page_address(pages[i])) == pages[i]);
			EXPECT(pfn_to_page(page_to_pfn(pages[i])) == pages[i]);
		}
		for (int i = 0; i < 4; i++)
			__free_pages(pages[i], order);
		CHECK_ALLOCATOR();
	}
	EXPECT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1) == NULL);
	umm_shutdown();
}

TEST(test_zeroing)
{
	boot("mem=64M");
	for (int round = 0; round < 3; round++) {
		struct page *p = alloc_pages(GFP_KERNEL, 2);

		ASSERT(p);
		memset(page_address(p), 0xff, 4 * PAGE_SIZE);
		__free_pages(p, 2);
	}
	for (int i = 0; i < 16; i++) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
		unsigned char *a;

		ASSERT(p);
		a = page_address(p);
		for (unsigned long b = 0; b < 4 * PAGE_SIZE; b++)
			if (a[b]) {
				EXPECT_EQ(a[b], 0);
				break;
			}
		memset(a, 0xff, 4 * PAGE_SIZE);
		__free_pages(p, 2);
	}
	unsigned long addr = get_zeroed_page(GFP_KERNEL);
	ASSERT(addr);
	for (unsigned long b = 0; b < PAGE_SIZE; b++)
		if (((unsigned char *)addr)[b]) {
			EXPECT(0);
			break;
		}
	free_page(addr);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_compound_pages)
{
	struct page *head;

	boot("mem=64M");
	head = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	ASSERT(head);
	EXPECT(PageHead(head));
	EXPECT(PageCompound(head));
	EXPECT(!PageTail(head));
	EXPECT_EQ(compound_order(head), 3);
	EXPECT_EQ(compound_nr(head), 8);
	EXPECT_EQ(page_size(head), 8 * PAGE_SIZE);
	for (int i = 1; i < 8; i++) {
		EXPECT(PageTail(head + i));
		EXPECT(PageCompound(head + i));
		EXPECT(compound_head(head + i) == head);
		EXPECT_EQ(page_count(head + i), 1);
	}
	/* References on a tail page pin the whole compound page. */
	get_page(head + 5);
	EXPECT_EQ(page_count(head), 2);
	put_page(head + 3);
	EXPECT_EQ(page_count(head), 1);
	EXPECT(PageHead(head));
	put_page(head);		/* the last reference frees all 8 pages */
	EXPECT(!PageHead(head));
	EXPECT(!PageTail(head + 1));
	CHECK_ALLOCATOR();

	/* A non-compound order-2 block has no head/tail structure. */
	struct page *plain = alloc_pages(GFP_KERNEL, 2);
	ASSERT(plain);
	EXPECT(!PageCompound(plain));
	EXPECT(!PageTail(plain + 1));
	EXPECT_EQ(compound_order(plain), 0);
	__free_pages(plain, 2);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_split_page_and_exact)
{
	unsigned long free0;
	struct page *p;
	void *v;

	boot("mem=64M umm.pcp=0");
	free0 = nr_free_pages();
	p = alloc_pages(GFP_KERNEL, 3);
	ASSERT(p);
	split_page(p, 3);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(page_count(p + i), 1);
	for (int i = 7; i >= 0; i--)
		__free_page(p + i);
	EXPECT_EQ(nr_free_pages(), free0);

	/* 5 pages: an order-3 block with the 3 unused pages given back. */
	v = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
	ASSERT(v);
	EXPECT_EQ(nr_free_pages(), free0 - 5);
	memset(v, 1, 5 * PAGE_SIZE);
	free_pages_exact(v, 5 * PAGE_SIZE);
	EXPECT_EQ(nr_free_pages(), free0);

	/* __get_free_pages/free_pages round trip through the direct map. */
	unsigned long addr = __get_free_pages(GFP_KERNEL, 4);
	ASSERT(addr);
	EXPECT(virt_addr_valid((void *)addr));
	EXPECT_EQ(nr_free_pages(), free0 - 16);
	free_pages(addr, 4);
	EXPECT_EQ(nr_free_pages(), free0);
	free_pages(0, 3);	/* a no-op, as in the kernel */

	/* Someone else holds the first page: __free_pages frees the rest. */
	p = alloc_pages(GFP_KERNEL, 2);
	ASSERT(p);
	get_page(p);
	__free_pages(p, 2);
	EXPECT_EQ(nr_free_pages(), free0 - 1);
	put_page(p);
	EXPECT_EQ(nr_free_pages(), free0);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_zone_selection)
{
	struct page *p;

	boot("mem=5G");
	EXPECT(populated_zone(zone_of(0, ZONE_DMA)));
	EXPECT(populated_zone(zone_of(0, ZONE_DMA32)));
	EXPECT(populated_zone(zone_of(0, ZONE_NORMAL)));
	EXPECT_EQ(zone_of(0, ZONE_DMA)->present_pages, 4096);
	EXPECT_EQ(zone_of(0, ZONE_NORMAL)->zone_start_pfn, 1UL << 20);

	p = alloc_page(GFP_KERNEL);
	ASSERT(p);
	EXPECT_EQ(page_zonenum(p), ZONE_NORMAL);
	EXPECT(page_to_pfn(p) >= (1UL << 20));
	__free_page(p);

	p = alloc_page(GFP_KERNEL | GFP_DMA32);
	ASSERT(p);
	EXPECT_EQ(page_zonenum(p), ZONE_DMA32);
	EXPECT(page_to_pfn(p) < (1UL << 20) && page_to_pfn(p) >= 4096);
	__free_page(p);

	p = alloc_pages(GFP_KERNEL | GFP_DMA, 2);
	ASSERT(p);
	EXPECT_EQ(page_zonenum(p), ZONE_DMA);
	EXPECT(page_to_pfn(p) < 4096);
	__free_pages(p, 2);

	/* Lower zones are protected from higher-zone allocations. */
	EXPECT(zone_of(0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32] > 0);
	EXPECT(zone_of(0, ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL] > 0);
	EXPECT_EQ(zone_of(0, ZONE_DMA32)->lowmem_reserve[ZONE_DMA32], 0);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_numa_fake_nodes)
{
	struct page *p;

	boot("mem=256M numa=fake=2");
	EXPECT_EQ(nr_online_nodes, 2);
	EXPECT_EQ(NODE_DATA(0)->node_present_pages, 32768);
	EXPECT_EQ(NODE_DATA(1)->node_present_pages, 32768);
	EXPECT_EQ(NODE_DATA(1)->node_start_pfn, 32768);
	p = alloc_pages_node(1, GFP_KERNEL, 0);
	ASSERT(p);
	EXPECT_EQ(page_to_nid(p), 1);
	__free_page(p);
	p = alloc_pages_node(0, GFP_KERNEL | __GFP_THISNODE, 3);
	ASSERT(p);
	EXPECT_EQ(page_to_nid(p), 0);
	__free_pages(p, 3);
	EXPECT(alloc_pages_node(7, GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

/*
 * Exhaust memory with hot-add off.  GFP_KERNEL stops at the min
 * watermark (plus the lowmem reserve of lower zones); GFP_ATOMIC may go
 * below it; when DMA32 is exhausted GFP_KERNEL falls back to DMA.
 */
TEST(test_watermarks_and_fallback)
{
	enum { MAXP = 20000 };
	static struct page *kernel_pages[MAXP], *atomic_pages[MAXP];
	int nk = 0, na = 0, from_dma = 0;
	struct zone *dma32, *dma;

	boot("mem=64M umm.hotplug=0");
	drain_all_pages(NULL);
	unsigned long free0 = nr_free_pages();	/* boot's slab caches hold a few */
	dma = zone_of(0, ZONE_DMA);
	dma32 = zone_of(0, ZONE_DMA32);
	EXPECT(min_wmark_pages(dma32) > 0);
	EXPECT(low_wmark_pages(dma32) > min_wmark_pages(dma32));
	EXPECT(high_wmark_pages(dma32) > low_wmark_pages(dma32));

	while (nk < MAXP && (kernel_pages[nk] = alloc_page(GFP_KERNEL | __GFP_NOWARN)))
		from_dma += page_zonenum(kernel_pages[nk++]) == ZONE_DMA;
	ASSERT(nk < MAXP);
	EXPECT(from_dma > 0);
	EXPECT_EQ(umm_pcp_pages(), 0);	/* drained before failing */
	/* GFP_KERNEL left the min reserve of each zone alone. */
	EXPECT(zone_page_state(dma32, NR_FREE_PAGES) + 1 >= min_wmark_pages(dma32));
	EXPECT(zone_page_state(dma, NR_FREE_PAGES) + 1 >=
	       min_wmark_pages(dma) + dma->lowmem_reserve[ZONE_NORMAL]);
	/* GFP_ATOMIC digs into the reserves: min * 3/8 is still kept. */
	while (na < MAXP && (atomic_pages[na] = alloc_page(GFP_ATOMIC | __GFP_NOWARN)))
		na++;
	EXPECT(na > 0);
	EXPECT(zone_page_state(dma32, NR_FREE_PAGES) + 1 >=
	       min_wmark_pages(dma32) - min_wmark_pages(dma32) / 2 -
		       (min_wmark_pages(dma32) - min_wmark_pages(dma32) / 2) / 4);
	/* GFP_NOWAIT has no reserve access: nothing left for it now. */
	EXPECT(alloc_page(GFP_NOWAIT | __GFP_NOWARN) == NULL);
	CHECK_ALLOCATOR();
	for (int i = 0; i < nk; i++)
		__free_page(kernel_pages[i]);
	for (int i = 0; i < na; i++)
		__free_page(atomic_pages[i]);
	drain_all_pages(NULL);
	EXPECT_EQ(nr_free_pages(), free0);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_pcp_lists)
{
	struct page *pages[1000];
	struct zone *zone;
	struct per_cpu_pages *pcp;

	unsigned long free0, c0[NR_PAGE_ORDERS];

	boot("mem=256M");
	zone = zone_of(0, ZONE_DMA32);
	EXPECT(zone->pageset_batch > 1);
	EXPECT(zone->pageset_high_min >= 4 * zone->pageset_batch);
	drain_all_pages(NULL);		/* boot's slab allocations used the pcp */
	EXPECT_EQ(umm_pcp_pages(), 0);
	free0 = nr_free_pages();
	free_counts(zone, c0);

	/* One order-0 allocation refills a pcp list with a batch. */
	pages[0] = alloc_page(GFP_KERNEL);
	ASSERT(pages[0]);
	EXPECT(umm_pcp_pages() > 0);
	__free_page(pages[0]);
	CHECK_ALLOCATOR();

	/* Freeing many pages never leaves a pcp list above its high mark. */
	for (int i = 0; i < 1000; i++)
		ASSERT((pages[i] = alloc_page(GFP_KERNEL)));
	for (int i = 0; i < 1000; i++)
		__free_page(pages[i]);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		pcp = &zone->per_cpu_pageset[cpu];
		EXPECT(pcp->count <= pcp->high);
	}
	CHECK_ALLOCATOR();
	drain_all_pages(NULL);
	EXPECT_EQ(umm_pcp_pages(), 0);
	EXPECT_EQ(nr_free_pages(), free0);
	/* Drained, everything merged back into the blocks it came from. */
	unsigned long c[NR_PAGE_ORDERS];
	free_counts(zone, c);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		EXPECT_EQ(c[o], c0[o]);
	CHECK_ALLOCATOR();

	/* With umm.pcp=0 nothing is ever cached per CPU. */
	boot("mem=64M umm.pcp=0");
	ASSERT((pages[0] = alloc_page(GFP_KERNEL)));
	EXPECT_EQ(umm_pcp_pages(), 0);
	__free_page(pages[0]);
	umm_shutdown();
}

TEST(test_fault_injection)
{
	unsigned long free0;
	int failed = 0;

	boot("mem=64M fail_page_alloc=1,100,0,3 fail_page_alloc.min-order=0 "
	     "fail_page_alloc.ignore-gfp-wait=0 fail_page_alloc.verbose=0");
	free0 = nr_free_pages() + umm_pcp_pages();
	/* times=3: exactly three failures, then success. */
	for (int i = 0; i < 5; i++) {
		struct page *p = alloc_page(GFP_KERNEL | __GFP_NOWARN);

		if (!p)
			failed++;
		else
			__free_page(p);
		EXPECT_EQ(!p, i < 3);
	}
	EXPECT_EQ(failed, 3);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), free0);
	CHECK_ALLOCATOR();

	/* __GFP_NOFAIL is never failed by injection. */
	ASSERT_EQ(umm_param_set("fail_page_alloc=1,100,0,-1"), 0);
	struct page *p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	EXPECT(p);
	if (p)
		__free_page(p);
	EXPECT(alloc_page(GFP_KERNEL | __GFP_NOWARN) == NULL);

	/* min-order: order 0 passes when min-order is 1 (the default). */
	ASSERT_EQ(umm_param_set("fail_page_alloc.min-order=1"), 0);
	p = alloc_page(GFP_KERNEL);
	EXPECT(p);
	if (p)
		__free_page(p);
	EXPECT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1) == NULL);

	/* ignore-gfp-wait (the default) spares blocking allocations. */
	ASSERT_EQ(umm_param_set("fail_page_alloc.ignore-gfp-wait=1"), 0);
	p = alloc_pages(GFP_KERNEL, 2);
	EXPECT(p);
	if (p)
		__free_pages(p, 2);
	EXPECT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 2) == NULL);

	/* interval=4: every 4th eligible call fails. */
	ASSERT_EQ(umm_param_set("fail_page_alloc=4,100,0,-1"), 0);
	ASSERT_EQ(umm_param_set("fail_page_alloc.min-order=0"), 0);
	failed = 0;
	for (int i = 0; i < 40; i++) {
		p = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		failed += !p;
		if (p)
			__free_page(p);
	}
	EXPECT_EQ(failed, 10);

	/* space (in pages here): 7 pass while more than one page is left. */
	ASSERT_EQ(umm_param_set("fail_page_alloc=1,100,8,-1"), 0);
	failed = 0;
	for (int i = 0; i < 12; i++) {
		p = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		failed += !p;
		if (p)
			__free_page(p);
	}
	EXPECT_EQ(failed, 5);

	/* probability=0 turns it off; bad values are refused. */
	ASSERT_EQ(umm_param_set("fail_page_alloc=1,0,0,-1"), 0);
	p = alloc_page(GFP_ATOMIC);
	EXPECT(p);
	if (p)
		__free_page(p);
	EXPECT_EQ(umm_param_set("fail_page_alloc=1,101,0,1"), -EINVAL);
	EXPECT_EQ(umm_param_set("fail_page_alloc=x"), -EINVAL);
	EXPECT_EQ(umm_param_set("mem=1G"), -EPERM);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), free0);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_fault_injection_probability)
{
	int failed = 0;

	boot("mem=64M fail_page_alloc=1,30,0,-1 fail_page_alloc.min-order=0 "
	     "fail_page_alloc.verbose=0 umm.seed=42");
	for (int i = 0; i < 10000; i++) {
		struct page *p = alloc_page(GFP_ATOMIC | __GFP_NOWARN);

		failed += !p;
		if (p)
			__free_page(p);
	}
	/* 30% of 10000, within 5 standard deviations (~46 each). */
	EXPECT(failed > 2770 && failed < 3230);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_hotplug_growth)
{
	enum { N = 256 };
	struct page *blocks[N];
	unsigned long total0;
	int n = 0;

	boot("mem=16M umm.max_mem=1G");
	total0 = totalram_pages();
	EXPECT_EQ(total0, 4096);
	/* 256 order-8 blocks = 256 MiB: far more than booted. */
	for (n = 0; n < N; n++) {
		blocks[n] = alloc_pages(GFP_KERNEL, 8);
		if (!blocks[n])
			break;
		memset(page_address(blocks[n]), n, PAGE_SIZE << 8);
	}
	EXPECT_EQ(n, N);
	EXPECT(totalram_pages() > total0);
	EXPECT(populated_zone(zone_of(0, ZONE_DMA32)));
	for (int i = 0; i < n; i++) {
		unsigned char *a = page_address(blocks[i]);
		EXPECT_EQ(a[PAGE_SIZE * 7], (unsigned char)i);
	}
	CHECK_ALLOCATOR();
	for (int i = 0; i < n; i++)
		__free_pages(blocks[i], 8);
	CHECK_ALLOCATOR();

	/* The limit holds: 1 GiB total, never more. */
	EXPECT_EQ(umm_memory_hotplug_add(0, 1UL << 20), -ENOSPC);
	EXPECT(totalram_pages() <= (1UL << 18));

	/* Without hot-add, a 16 MiB machine says no. */
	boot("mem=16M umm.hotplug=0");
	for (n = 0; n < 16; n++) {
		blocks[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 8);
		if (!blocks[n])
			break;
	}
	EXPECT(n < 16);
	for (int i = 0; i < n; i++)
		__free_pages(blocks[i], 8);
	EXPECT_EQ(umm_memory_hotplug_add(0, 32768), 0);
	EXPECT_EQ(totalram_pages(), 65536);	/* rounded up to the section end */
	CHECK_ALLOCATOR();
	umm_shutdown();
}

/*
 * Migratetypes: movable and unmovable allocations come from different
 * pageblocks; when one type runs out it steals from another.
 */
TEST(test_migratetypes)
{
	struct page *mov, *unmov, *rcl;

	boot("mem=64M umm.pcp=0");
	mov = alloc_page(GFP_HIGHUSER_MOVABLE);
	unmov = alloc_page(GFP_KERNEL);
	rcl = alloc_page(GFP_KERNEL | __GFP_RECLAIMABLE);
	ASSERT(mov && unmov && rcl);
	EXPECT_EQ(get_pageblock_migratetype(mov), MIGRATE_MOVABLE);
	EXPECT_EQ(get_pageblock_migratetype(unmov), MIGRATE_UNMOVABLE);
	EXPECT_EQ(get_pageblock_migratetype(rcl), MIGRATE_RECLAIMABLE);
	EXPECT(page_to_pfn(mov) >> pageblock_order != page_to_pfn(unmov) >> pageblock_order);
	EXPECT(page_to_pfn(rcl) >> pageblock_order != page_to_pfn(unmov) >> pageblock_order);
	CHECK_ALLOCATOR();
	__free_page(mov);
	__free_page(unmov);
	__free_page(rcl);
	CHECK_ALLOCATOR();

	/* Without grouping every pageblock is one type. */
	boot("mem=64M umm.pcp=0 umm.mobility_grouping=0");
	mov = alloc_page(GFP_HIGHUSER_MOVABLE);
	unmov = alloc_page(GFP_KERNEL);
	ASSERT(mov && unmov);
	EXPECT_EQ(get_pageblock_migratetype(mov), get_pageblock_migratetype(unmov));
	__free_page(mov);
	__free_page(unmov);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_bad_page_is_leaked_not_freed)
{
	struct page *p;
	unsigned long free0;

	boot("mem=64M umm.pcp=0 loglevel=0");
	free0 = nr_free_pages();
	p = alloc_page(GFP_KERNEL);
	ASSERT(p);
	p->mapping = (struct address_space *)0x1234;	/* a corrupted page */
	__free_page(p);
	EXPECT_EQ(nr_free_pages(), free0 - 1);	/* leaked, not freed */
	CHECK_ALLOCATOR();
	umm_shutdown();
}

TEST(test_sysinfo)
{
	struct sysinfo si;

	boot("mem=128M numa=fake=2");
	si_meminfo(&si);
	EXPECT_EQ(si.totalram, 32768);
	EXPECT_EQ(si.mem_unit, PAGE_SIZE);
	EXPECT_EQ(si.freeram, nr_free_pages());
	si_meminfo_node(&si, 1);
	EXPECT_EQ(si.totalram, 16384);
	EXPECT(si_mem_available() < totalram_pages());
	EXPECT(si_mem_available() > totalram_pages() / 2);
	EXPECT(umm_min_free_kbytes() >= 128);
	char buf[128];
	umm_format_gfp(buf, sizeof(buf), GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
	EXPECT_STREQ(buf, "GFP_KERNEL|__GFP_NOWARN|__GFP_ZERO");
	umm_format_gfp(buf, sizeof(buf), GFP_ATOMIC);
	EXPECT_STREQ(buf, "GFP_ATOMIC");
	umm_shutdown();
}

/* Reporting: freeing a large amount hands it back; RSS falls. */
TEST(test_page_reporting_rss)
{
	enum { NBLK = 256 };	/* 256 x 1 MiB */
	struct page *blocks[NBLK];
	long rss_full, rss_after;

	boot("mem=512M umm.page_reporting_delay_ms=0");
	for (int i = 0; i < NBLK; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, 8);
		ASSERT(blocks[i]);
		memset(page_address(blocks[i]), 1, PAGE_SIZE << 8);
	}
	rss_full = host_rss_bytes();
	for (int i = 0; i < NBLK; i++)
		__free_pages(blocks[i], 8);
	drain_all_pages(NULL);
	rss_after = host_rss_bytes();
	fprintf(stderr, "  rss with 256 MiB allocated: %ld MiB, after free: %ld MiB, reported %lu MiB\n",
		rss_full >> 20, rss_after >> 20, page_reporting_stat_reported() >> 8);
	/* All but the warm reserve (half of 64 MiB) went back. */
	EXPECT(rss_full - rss_after > (190L << 20));
	CHECK_ALLOCATOR();

	/* Small churn below the threshold never reports (no fault storm). */
	unsigned long reported = page_reporting_stat_reported();
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 16; i++)
			ASSERT((blocks[i] = alloc_pages(GFP_KERNEL, 8)));
		for (int i = 0; i < 16; i++)
			__free_pages(blocks[i], 8);
	}
	EXPECT_EQ(page_reporting_stat_reported(), reported);

	/* Reported memory comes back as zeroes and is usable. */
	for (int i = 0; i < NBLK; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, 8);
		ASSERT(blocks[i]);
		memset(page_address(blocks[i]), 2, PAGE_SIZE << 8);
	}
	for (int i = 0; i < NBLK; i++)
		__free_pages(blocks[i], 8);
	CHECK_ALLOCATOR();

	boot("mem=512M umm.page_reporting=0");
	for (int i = 0; i < NBLK; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, 8);
		ASSERT(blocks[i]);
		memset(page_address(blocks[i]), 1, PAGE_SIZE << 8);
	}
	for (int i = 0; i < NBLK; i++)
		__free_pages(blocks[i], 8);
	EXPECT_EQ(page_reporting_stat_reported(), 0);
	umm_shutdown();
}

/* Deferred blocks of a zone, counted from the bitmap. */
static unsigned long deferred_blocks(struct zone *zone)
{
	unsigned long n = 0;

	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone);
	     pfn += MAX_ORDER_NR_PAGES)
		n += memmap_block_deferred(pfn);
	return n;
}

/*
 * Deferred struct page init: a boot leaves every free max-order block's
 * struct pages uninitialised but for the first memmap page of each
 * pageblock; taking a block (split or whole) initialises the rest, from
 * its head's node and zone; the checker finds the untouched ones
 * pristine.  Boot memmap RSS is a fraction of the whole.
 */
TEST(test_memmap_deferred)
{
	struct zone *dma;
	struct page *big, *small;
	unsigned long before, pfn;
	long rss_deferred, rss_full;

	boot("mem=256M umm.pcp=0");
	dma = zone_of(0, ZONE_DMA);
	before = deferred_blocks(dma);
	EXPECT_EQ(before, 4);	/* ZONE_DMA: 16 MiB, untouched by boot */
	CHECK_ALLOCATOR();
	rss_deferred = host_rss_bytes();

	big = alloc_pages(GFP_DMA, MAX_PAGE_ORDER);
	ASSERT(big);
	pfn = page_to_pfn(big);
	EXPECT(!memmap_block_deferred(pfn));
	EXPECT_EQ(deferred_blocks(dma), before - 1);
	for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++)
		ASSERT(page_zone(big + i) == dma && page_to_nid(big + i) == 0);
	memset(page_address(big), 0x5a, PAGE_SIZE << MAX_PAGE_ORDER);
	CHECK_ALLOCATOR();

	small = alloc_pages(GFP_DMA, 0);	/* splits another block */
	ASSERT(small);
	EXPECT_EQ(deferred_blocks(dma), before - 2);
	EXPECT(page_zone(small + 700) == dma);	/* a former deferred tail */
	__free_pages(small, 0);
	__free_pages(big, MAX_PAGE_ORDER);
	CHECK_ALLOCATOR();

	/* Without deferral every struct page is written at boot. */
	boot("mem=256M umm.pcp=0 umm.memmap_deferred=0");
	rss_full = host_rss_bytes();
	EXPECT_EQ(deferred_blocks(zone_of(0, ZONE_DMA)), 0);
	EXPECT_EQ(deferred_blocks(zone_of(0, ZONE_DMA32)), 0);
	CHECK_ALLOCATOR();
	fprintf(stderr, "  rss after boot, mem=256M: %ld KiB deferred, %ld KiB without\n",
		rss_deferred >> 10, rss_full >> 10);
	/* 4 MiB of memmap for 256 MiB, of which a sixteenth stays deferred-initialised. */
	EXPECT(rss_full - rss_deferred > (3L << 20));
	umm_shutdown();
}

static unsigned long deferred_blocks_all(void)
{
	unsigned long n = 0;
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			n += deferred_blocks(zone);
	}
	return n;
}

/* Every struct page of a block taken whole: its own node and zone, in use. */
static bool block_memmap_right(struct page *head)
{
	unsigned long pfn = page_to_pfn(head);
	int nid = physmem.sections[pfn >> PFN_SECTION_SHIFT].nid;
	struct zone *zone = zone_of(nid, zone_for_pfn(pfn));

	for (unsigned long i = 0; i < MAX_ORDER_NR_PAGES; i++) {
		struct page *p = head + i;

		if (page_zone(p) != zone || page_to_nid(p) != nid || PageBuddy(p) ||
		    PageReported(p) || p->mapping || page_ref_count(p) != (i == 0)) {
			fprintf(stderr, "  pfn %lx: zone %s node %d refcount %d\n", pfn + i,
				page_zone(p)->name, page_to_nid(p), page_ref_count(p));
			return false;
		}
	}
	return true;
}

/*
 * Reporting a whole free max-order block gives its memmap back too: the
 * block is deferred again, as at boot, but for the kept memmap page of
 * each pageblock; the checker finds the rest zero; the RSS falls by the
 * memmap given back (the blocks' frames were never touched, so it is all
 * memmap); taking the blocks again initialises their struct pages from
 * the right node and zone, on both nodes.  umm.memmap_deferred=0 keeps
 * every struct page.
 */
TEST(test_memmap_redeferred)
{
	enum { NBLK = 80 };	/* 320 MiB: over both nodes' DMA32 */
	static struct page *blocks[NBLK];
	unsigned long deferred0, redeferred0, expect_drop;
	long rss_used, rss_after;
	bool node1 = false;

	boot("mem=512M numa=fake=2 umm.pcp=0 umm.page_reporting_delay_ms=0");
	umm_page_reporting_flush();	/* what boot used and gave back whole */
	CHECK_ALLOCATOR();
	deferred0 = deferred_blocks_all();
	redeferred0 = page_reporting_stat_redeferred();
	ASSERT(deferred0 >= NBLK + 4);

	for (int i = 0; i < NBLK; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
		ASSERT(blocks[i]);
		EXPECT(!memmap_block_deferred(page_to_pfn(blocks[i])));
		node1 |= page_to_nid(blocks[i]) == 1;
	}
	EXPECT(node1);
	EXPECT_EQ(deferred_blocks_all(), deferred0 - NBLK);
	CHECK_ALLOCATOR();
	rss_used = host_rss_bytes();
	for (int i = 0; i < NBLK; i++)
		__free_pages(blocks[i], MAX_PAGE_ORDER);
	umm_page_reporting_flush();
	rss_after = host_rss_bytes();
	EXPECT_EQ(deferred_blocks_all(), deferred0);
	EXPECT_EQ(page_reporting_stat_redeferred() - redeferred0, NBLK);
	for (int i = 0; i < NBLK; i++) {
		struct page *b = blocks[i];

		EXPECT(memmap_block_deferred(page_to_pfn(b)));
		EXPECT(PageBuddy(b) && PageReported(b) && buddy_order(b) == MAX_PAGE_ORDER);
		/* The kept memmap page of the second pageblock: still its zone. */
		EXPECT(page_zone(b + pageblock_nr_pages) == page_zone(b));
	}
	CHECK_ALLOCATOR();	/* every discarded struct page reads zero */
	expect_drop = NBLK * (MAX_ORDER_NR_PAGES - MAX_ORDER_NR_PAGES / pageblock_nr_pages *
			      MEMMAP_PFNS_PER_PAGE) * sizeof(struct page);
	fprintf(stderr, "  rss %ld KiB with %d blocks' memmap, %ld KiB reported (%lu KiB of memmap)\n",
		rss_used >> 10, NBLK, rss_after >> 10, expect_drop >> 10);
	EXPECT(rss_used - rss_after >= (long)(expect_drop / 4 * 3));

	/* Taken again, whole or split: initialised from the right node and zone. */
	for (int i = 0; i < NBLK; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
		ASSERT(blocks[i]);
		ASSERT(block_memmap_right(blocks[i]));
	}
	EXPECT_EQ(deferred_blocks_all(), deferred0 - NBLK);
	CHECK_ALLOCATOR();
	for (int i = 0; i < NBLK; i++)
		__free_pages(blocks[i], MAX_PAGE_ORDER);
	umm_page_reporting_flush();
	EXPECT_EQ(deferred_blocks_all(), deferred0);
	blocks[0] = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0);	/* splits one */
	ASSERT(blocks[0] && page_to_nid(blocks[0]) == 1);
	for (unsigned long pfn = ALIGN_DOWN(page_to_pfn(blocks[0]), MAX_ORDER_NR_PAGES), i = 0;
	     i < MAX_ORDER_NR_PAGES; i++)
		EXPECT(page_to_nid(pfn_to_page(pfn + i)) == 1 &&
		       page_zone(pfn_to_page(pfn + i)) == page_zone(blocks[0]));
	CHECK_ALLOCATOR();
	__free_pages(blocks[0], 0);
	umm_page_reporting_flush();
	EXPECT_EQ(deferred_blocks_all(), deferred0);
	CHECK_ALLOCATOR();

	/* Without deferral the memmap stays: reporting only gives frames back. */
	boot("mem=512M numa=fake=2 umm.pcp=0 umm.memmap_deferred=0");
	for (int i = 0; i < NBLK; i++)
		ASSERT((blocks[i] = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER)));
	for (int i = 0; i < NBLK; i++)
		__free_pages(blocks[i], MAX_PAGE_ORDER);
	umm_page_reporting_flush();
	EXPECT(page_reporting_stat_reported() >= NBLK * MAX_ORDER_NR_PAGES);
	EXPECT_EQ(page_reporting_stat_redeferred(), 0);
	EXPECT_EQ(deferred_blocks_all(), 0);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

/* Runs of max-order blocks beyond MAX_PAGE_ORDER, growing memory for them. */
TEST(test_alloc_contig_pages)
{
	unsigned long free0;
	struct page *p;

	boot("mem=64M umm.max_mem=1G umm.pcp=0 loglevel=0");
	free0 = nr_free_pages();
	/* 5000 pages: 5 max-order blocks taken, the 120-page tail given back. */
	p = alloc_contig_pages(5000, GFP_KERNEL, 0, NULL);
	ASSERT(p);
	EXPECT_EQ(page_to_pfn(p) % MAX_ORDER_NR_PAGES, 0);
	EXPECT_EQ(nr_free_pages(), free0 - 5000);
	for (unsigned long i = 0; i < 5000; i++)
		EXPECT_EQ(page_ref_count(p + i), 1);
	memset(page_address(p), 3, 5000 * PAGE_SIZE);
	CHECK_ALLOCATOR();
	free_contig_range(page_to_pfn(p), 5000);
	EXPECT_EQ(nr_free_pages(), free0);
	CHECK_ALLOCATOR();

	/*
	 * A run freed around a page someone still holds and a corrupted
	 * one: the others go back whole blocks at a time, the held page
	 * when its holder lets go, the corrupted one never.
	 */
	p = alloc_contig_pages(3000, GFP_KERNEL, 0, NULL);
	ASSERT(p);
	get_page(p + 1500);
	p[2100].mapping = (struct address_space *)0x1234;
	free_contig_range(page_to_pfn(p), 3000);
	EXPECT_EQ(nr_free_pages(), free0 - 2);
	EXPECT_EQ(page_ref_count(p + 1500), 1);
	EXPECT(PageBuddy(p) && buddy_order(p) == MAX_PAGE_ORDER);
	CHECK_ALLOCATOR();
	put_page(p + 1500);
	EXPECT_EQ(nr_free_pages(), free0 - 1);
	CHECK_ALLOCATOR();

	/* A 32 MiB gigantic compound page, freed with __free_pages(). */
	p = alloc_contig_pages(8192, GFP_KERNEL | __GFP_COMP | __GFP_ZERO, 0, NULL);
	ASSERT(p);
	EXPECT(PageHead(p));
	EXPECT_EQ(compound_order(p), 13);
	EXPECT(compound_head(p + 8191) == p);
	EXPECT_EQ(((char *)page_address(p))[8192 * PAGE_SIZE - 1], 0);
	CHECK_ALLOCATOR();
	__free_pages(p, 13);
	CHECK_ALLOCATOR();

	/* 256 MiB does not fit in 64 MiB: memory is hot-added for it. */
	p = alloc_contig_pages(65536, GFP_KERNEL, 0, NULL);
	ASSERT(p);
	EXPECT(totalram_pages() >= 65536 + 16384);
	free_contig_range(page_to_pfn(p), 65536);
	CHECK_ALLOCATOR();
	/* Non-blocking callers do not grow memory; bad requests fail. */
	EXPECT(alloc_contig_pages(1UL << 20, GFP_ATOMIC | __GFP_NOWARN, 0, NULL) == NULL);
	EXPECT(alloc_contig_pages(3000, GFP_KERNEL | __GFP_COMP, 0, NULL) == NULL);
	EXPECT(alloc_contig_pages(0, GFP_KERNEL, 0, NULL) == NULL);
	CHECK_ALLOCATOR();
	umm_shutdown();
}

/* Memory outside the present range is not mapped: touching it faults. */
TEST(test_direct_map_bounds)
{
	pid_t pid;
	int status;

	boot("mem=64M");
	EXPECT(pfn_valid(0));
	EXPECT(pfn_valid(16383));
	EXPECT(!pfn_valid(16384));
	EXPECT(!virt_addr_valid(__va(PFN_PHYS(16384))));
	pid = fork();
	if (pid == 0) {
		signal(SIGSEGV, SIG_DFL);	/* not a sanitizer's handler */
		*(volatile char *)__va(PFN_PHYS(16384)) = 1;
		_exit(0);
	}
	ASSERT(pid > 0);
	waitpid(pid, &status, 0);
	EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	umm_shutdown();
}

int main(void)
{
	RUN(test_split_and_merge);
	RUN(test_alignment_every_order);
	RUN(test_zeroing);
	RUN(test_compound_pages);
	RUN(test_split_page_and_exact);
	RUN(test_zone_selection);
	RUN(test_numa_fake_nodes);
	RUN(test_watermarks_and_fallback);
	RUN(test_pcp_lists);
	RUN(test_fault_injection);
	RUN(test_fault_injection_probability);
	RUN(test_hotplug_growth);
	RUN(test_migratetypes);
	RUN(test_bad_page_is_leaked_not_freed);
	RUN(test_sysinfo);
	RUN(test_page_reporting_rss);
	RUN(test_alloc_contig_pages);
	RUN(test_direct_map_bounds);
	RUN(test_memmap_deferred);
	RUN(test_memmap_redeferred);
	TEST_EXIT();
}
