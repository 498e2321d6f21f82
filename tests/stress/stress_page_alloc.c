// SPDX-License-Identifier: GPL-2.0
/*
 * stress_page_alloc.c - randomized stress of the buddy allocator.
 *
 * Phase 1, one thread: random allocations and frees of every order,
 * migratetype, zone modifier and __GFP_COMP/__GFP_ZERO, runs of 1 to 3
 * max-order blocks from alloc_contig_pages(), with injected failures,
 * memory hot-added on demand and struct pages initialised on demand
 * (umm.memmap_deferred), and the invariant checker after every step.
 * Phase 2, several threads: the same mix, plus pages handed from one
 * thread to another to be freed there (cross-CPU frees); each block is
 * stamped with its owner and checked on free, so a block handed out twice
 * is caught.
 * Both end by freeing everything: after draining the pcp lists,
 * /proc/buddyinfo must equal what it was right after boot.
 * Page reporting runs through both (a low threshold and no delay, and
 * phase 1 flushes at random steps), so whole max-order blocks go back to
 * the host with their memmap and are deferred again between the steps
 * that split them, and the checker sees that state after every step.
 * Phase 3, under a watchdog, with umm.backing=anon and the reclaim
 * worker reporting on a short decay: the phase 2 mix on several threads
 * while one more thread flushes reporting (as malloc_trim() does) and
 * runs the checker in a loop (no hot-add: phase 1 has it).
 *
 * Usage: stress_page_alloc [seed] [steps]
 */
#include <pthread.h>
#include "tests/test.h"
#include "mm/internal.h"

struct block {
	struct page *page;
	unsigned int order;
	unsigned long contig;	/* pages of an alloc_contig_pages() run, else 0 */
	unsigned long stamp;
};

static unsigned long long seed = 12345;
static long steps = 20000;

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_COMP, GFP_KERNEL | __GFP_ZERO,
	GFP_HIGHUSER_MOVABLE, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_ATOMIC,
	GFP_NOWAIT, GFP_KERNEL | GFP_DMA32, GFP_KERNEL | GFP_DMA,
};

static unsigned int random_order(unsigned long long *s)
{
	unsigned int r = (unsigned int)(rnd(s) % 100);

	/* Mostly small orders, as real workloads are. */
	if (r < 50)
		return 0;
	if (r < 80)
		return 1 + (unsigned int)(rnd(s) % 3);
	return (unsigned int)(rnd(s) % (MAX_PAGE_ORDER + 1));
}

static unsigned long block_bytes(const struct block *b)
{
	return b->contig ? b->contig * PAGE_SIZE : PAGE_SIZE << b->order;
}

static void stamp(struct block *b)
{
	unsigned long *w = page_address(b->page);
	unsigned long n = block_bytes(b) / sizeof(long);

	w[0] = b->stamp;
	w[n - 1] = ~b->stamp;
}

static bool stamp_ok(const struct block *b)
{
	unsigned long *w = page_address(b->page);
	unsigned long n = block_bytes(b) / sizeof(long);

	return w[0] == b->stamp && w[n - 1] == ~b->stamp;
}

static unsigned long contig_runs;	/* alloc_contig_pages() runs that succeeded */

static bool alloc_block(struct block *b, unsigned long long *s, unsigned long id)
{
	gfp_t gfp = gfps[rnd(s) % ARRAY_SIZE(gfps)] | __GFP_NOWARN;

	b->contig = 0;
	if (rnd(s) % 100 < 3) {	/* a run beyond MAX_PAGE_ORDER */
		b->contig = (1 + rnd(s) % 3) * MAX_ORDER_NR_PAGES - rnd(s) % 2 * 100;
		b->order = MAX_PAGE_ORDER;
		b->page = alloc_contig_pages(b->contig, GFP_KERNEL | __GFP_NOWARN,
					     (int)(rnd(s) % (unsigned long)nr_online_nodes), NULL);
		if (!b->page)
			return false;
		__atomic_fetch_add(&contig_runs, 1, __ATOMIC_RELAXED);
		b->stamp = id;
		stamp(b);
		return true;
	}
	b->order = random_order(s);
	b->page = alloc_pages(gfp, b->order);
	if (!b->page)
		return false;
	if (gfp & __GFP_ZERO) {
		unsigned char *a = page_address(b->page);
		for (unsigned long i = 0; i < (PAGE_SIZE << b->order); i += 512)
			if (a[i])
				return fprintf(stderr, "__GFP_ZERO page not zero\n"), abort(), false;
	}
	b->stamp = id;
	stamp(b);
	return true;
}

static void free_block(struct block *b)
{
	if (!stamp_ok(b)) {
		fprintf(stderr, "block at pfn %lx (order %u) was overwritten: handed out twice?\n",
			page_to_pfn(b->page), b->order);
		abort();
	}
	if (b->contig)
		free_contig_range(page_to_pfn(b->page), b->contig);
	else
		__free_pages(b->page, b->order);
	b->page = NULL;
}

static char buddyinfo_at_boot[4096];
static unsigned long free_at_boot;	/* the slab caches made at boot hold a few */

static void read_buddyinfo(char *buf, size_t size)
{
	drain_all_pages(NULL);
	ASSERT(umm_proc_read("/proc/buddyinfo", buf, size) > 0);
}

static void record_boot_state(void)
{
	read_buddyinfo(buddyinfo_at_boot, sizeof(buddyinfo_at_boot));
	free_at_boot = nr_free_pages();
}

TEST(single_thread_with_checker)
{
	enum { SLOTS = 256 };
	static struct block slots[SLOTS];
	unsigned long long s = seed;
	char now[4096];

	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=64M umm.max_mem=256M numa=fake=2 fail_page_alloc=1,5,0,-1 "
			   "fail_page_alloc.min-order=0 fail_page_alloc.ignore-gfp-wait=0 "
			   "fail_page_alloc.verbose=0 umm.page_reporting_min=8M "
			   "umm.page_reporting_delay_ms=0"), 0);
	record_boot_state();
	for (long i = 0; i < steps / 4; i++) {
		struct block *b = &slots[rnd(&s) % SLOTS];

		if (b->page)
			free_block(b);
		else
			alloc_block(b, &s, (unsigned long)i);
		if (rnd(&s) % 16 == 0)
			umm_page_reporting_flush();
		if (umm_page_alloc_check()) {
			fprintf(stderr, "seed %llu: invariant broken after step %ld\n", seed, i);
			ASSERT(0);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].page)
			free_block(&slots[i]);
	ASSERT_EQ(umm_page_alloc_check(), 0);
	fprintf(stderr, "  %lu contiguous runs, %lu MiB of memory at the end, "
		"%lu blocks deferred again\n", contig_runs, totalram_pages() >> 8,
		page_reporting_stat_redeferred());
	EXPECT(page_reporting_stat_redeferred() > 0);
	/* Memory may have been hot-added; compare against boot only if not. */
	read_buddyinfo(now, sizeof(now));
	if (totalram_pages() == 16384) {
		EXPECT_STREQ(now, buddyinfo_at_boot);
		EXPECT_EQ(nr_free_pages(), free_at_boot);
	}
	umm_shutdown();
}

/* Blocks handed from producer to consumer, freed on the other thread. */
#define HANDOFF 64
static struct block handoff[HANDOFF];
static pthread_mutex_t handoff_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	unsigned long long s = seed + (unsigned long)arg * 7919;
	enum { SLOTS = 128 };
	struct block slots[SLOTS] = { 0 };

	for (long i = 0; i < steps; i++) {
		struct block *b = &slots[rnd(&s) % SLOTS];
		unsigned int r = (unsigned int)(rnd(&s) % 8);

		if (r == 0) {
			/* Swap a block through the hand-off table. */
			struct block *h = &handoff[rnd(&s) % HANDOFF];
			struct block tmp;

			pthread_mutex_lock(&handoff_lock);
			tmp = *h;
			*h = *b;
			*b = tmp;
			pthread_mutex_unlock(&handoff_lock);
			continue;
		}
		if (b->page)
			free_block(b);
		else
			alloc_block(b, &s, ((unsigned long)arg << 40) | (unsigned long)i);
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].page)
			free_block(&slots[i]);
	return NULL;
}

TEST(multi_thread_cross_free)
{
	enum { NTHREADS = 4 };
	pthread_t th[NTHREADS];
	char now[4096];

	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=256M umm.hotplug=0 numa=fake=2 umm.page_reporting_min=16M "
			   "umm.page_reporting_delay_ms=0"), 0);
	record_boot_state();
	for (long t = 0; t < NTHREADS; t++)
		ASSERT_EQ(pthread_create(&th[t], NULL, worker, (void *)t), 0);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int i = 0; i < HANDOFF; i++)
		if (handoff[i].page)
			free_block(&handoff[i]);
	ASSERT_EQ(umm_page_alloc_check(), 0);
	read_buddyinfo(now, sizeof(now));
	EXPECT_STREQ(now, buddyinfo_at_boot);
	EXPECT_EQ(nr_free_pages(), free_at_boot);
	umm_shutdown();
}

static int workers_left;

/* Flush reporting and check the invariants until the workers are done. */
static void *reporter(void *arg)
{
	unsigned long *checks = arg;

	while (__atomic_load_n(&workers_left, __ATOMIC_ACQUIRE)) {
		umm_page_reporting_flush();
		if (umm_page_alloc_check()) {
			fprintf(stderr, "seed %llu: invariant broken after %lu checks\n", seed,
				*checks);
			return (void *)1;
		}
		(*checks)++;
	}
	return NULL;
}

static int reporting_while_churning(void)
{
	enum { NTHREADS = 3 };
	pthread_t th[NTHREADS], rep;
	unsigned long checks = 0, redeferred;
	void *bad;

	umm_shutdown();
	if (umm_boot("umm.backing=anon mem=256M umm.hotplug=0 numa=fake=2 "
		     "umm.reclaim_decay_ms=40 umm.page_reporting_min=8M"))
		return 10;
	workers_left = NTHREADS;
	contig_runs = 0;
	for (long t = 0; t < NTHREADS; t++)
		if (pthread_create(&th[t], NULL, worker, (void *)(t + 16)))
			return 11;
	if (pthread_create(&rep, NULL, reporter, &checks))
		return 11;
	for (int t = 0; t < NTHREADS; t++) {
		pthread_join(th[t], NULL);
		__atomic_fetch_sub(&workers_left, 1, __ATOMIC_RELEASE);
	}
	pthread_join(rep, &bad);
	for (int i = 0; i < HANDOFF; i++)
		if (handoff[i].page)
			free_block(&handoff[i]);
	umm_page_reporting_flush();
	redeferred = page_reporting_stat_redeferred();
	fprintf(stderr, "seed %llu: %lu checks meanwhile, %lu contiguous runs, %lu MiB of memory, "
		"%lu blocks deferred again\n", seed, checks, contig_runs, totalram_pages() >> 8,
		redeferred);
	if (bad || umm_page_alloc_check())
		return 12;
	if (!checks || !redeferred) {
		fprintf(stderr, "seed %llu: nothing to show (%lu checks)\n", seed, checks);
		return 13;
	}
	umm_shutdown();
	return 0;
}

TEST(reporting_redefers_while_churning)
{
	EXPECT_EQ(run_watched(reporting_while_churning, 300, seed), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		steps = strtol(argv[2], NULL, 0);
	fprintf(stderr, "seed %llu, %ld steps\n", seed, steps);
	RUN(single_thread_with_checker);
	RUN(multi_thread_cross_free);
	RUN(reporting_redefers_while_churning);
	TEST_EXIT();
}
