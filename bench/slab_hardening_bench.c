// SPDX-License-Identifier: GPL-2.0
/*
 * slab_hardening_bench.c - what SLUB's hardening and debugging cost:
 * ns per kmem_cache_alloc()+kmem_cache_free() pair for a plain cache, a
 * hardened freelist (umm.slab_freelist_hardened=1), a randomized one
 * (umm.slab_freelist_random=1), both, and slub_debug=FZPU on the cache,
 * side by side in one run, each configuration in its own boot.
 *
 *   slab_hardening_bench [iterations]       the timing table
 *   slab_hardening_bench --pairs N CONFIG SIZE
 *                                           N pairs (or batched pairs with
 *                                           --batches) in measure_pairs()
 *                                           for callgrind --toggle-collect;
 *                                           CONFIG is a row's name
 *
 * Two patterns per object size: "pair" allocates and frees one object
 * (the lockless fast paths, LIFO), "batch" allocates 512 objects and then
 * frees them (slabs filled and emptied: the slow paths, and with a random
 * freelist, objects in random address order).  The configurations take
 * turns: each of 7 rounds boots every one of them in order and times it
 * once, so that a noisy neighbour slows them all alike; each figure is
 * the median of the 7, the ratio is to the plain cache's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <umm.h>

#define BATCH	512
#define RUNS	7

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One alloc+free pair per iteration, hot cache. */
__attribute__((noinline)) static void measure_pairs(struct kmem_cache *s, long n)
{
	for (long i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		if (!p)
			abort();
		*(volatile char *)p = 1;
		kmem_cache_free(s, p);
	}
}

/* BATCH allocations, then BATCH frees, n / BATCH times. */
__attribute__((noinline)) static void measure_batches(struct kmem_cache *s, long n)
{
	static void *objs[BATCH];

	for (long b = 0; b < n / BATCH; b++) {
		for (int i = 0; i < BATCH; i++) {
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
			if (!objs[i])
				abort();
			*(volatile char *)objs[i] = 1;
		}
		for (int i = 0; i < BATCH; i++)
			kmem_cache_free(s, objs[i]);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double time_ns(void (*fn)(struct kmem_cache *, long), struct kmem_cache *s, long iters)
{
	double t0;

	iters = iters / BATCH * BATCH;
	fn(s, iters / 10 + BATCH);	/* warm up */
	t0 = now_ns();
	fn(s, iters);
	return (now_ns() - t0) / (double)iters;
}

static double median(double *t)
{
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	return t[RUNS / 2];
}

static const struct {
	const char *name;
	const char *cmdline;
	int slow;		/* iterations divided by this */
} configs[] = {
	{ "plain", "mem=512M", 1 },
	{ "hardened", "mem=512M umm.slab_freelist_hardened=1", 1 },
	{ "random", "mem=512M umm.slab_freelist_random=1", 1 },
	{ "hardened+random", "mem=512M umm.slab_freelist_hardened=1 umm.slab_freelist_random=1", 1 },
	{ "slub_debug=FZPU", "mem=512M slub_debug=FZPU,bench_*", 20 },
};

static const unsigned int sizes[] = { 64, 512 };

#define NCONF	(sizeof(configs) / sizeof(configs[0]))
#define NSIZE	(sizeof(sizes) / sizeof(sizes[0]))

int main(int argc, char **argv)
{
	static double pair_t[NCONF][NSIZE][RUNS], batch_t[NCONF][NSIZE][RUNS];
	double pair[NCONF][NSIZE], batch[NCONF][NSIZE];
	long iters = 2000000;

	if (argc == 5 && (!strcmp(argv[1], "--pairs") || !strcmp(argv[1], "--batches"))) {
		for (size_t c = 0; c < NCONF; c++) {
			struct kmem_cache *s;

			if (strcmp(argv[3], configs[c].name))
				continue;
			if (umm_boot(configs[c].cmdline))
				return 1;
			s = kmem_cache_create("bench_obj", (unsigned int)atoi(argv[4]), 0,
					      SLAB_NO_MERGE, NULL);
			if (!s)
				return 1;
			if (!strcmp(argv[1], "--pairs")) {
				measure_pairs(s, 1000);	/* warm */
				measure_pairs(s, atol(argv[2]));
			} else {
				measure_batches(s, BATCH * 4);
				measure_batches(s, atol(argv[2]));
			}
			kmem_cache_destroy(s);
			umm_shutdown();
			return 0;
		}
		fprintf(stderr, "slab_hardening_bench: no configuration \"%s\"\n", argv[3]);
		return 1;
	}
	if (argc > 1)
		iters = atol(argv[1]);
	if (iters < BATCH * 10)
		iters = BATCH * 10;
	for (int r = 0; r < RUNS; r++) {
		for (size_t c = 0; c < NCONF; c++) {
			if (umm_boot(configs[c].cmdline)) {
				fprintf(stderr, "slab_hardening_bench: cannot boot \"%s\"\n",
					configs[c].cmdline);
				return 1;
			}
			for (size_t z = 0; z < NSIZE; z++) {
				long n = iters / configs[c].slow;
				struct kmem_cache *s;
				char name[32];

				snprintf(name, sizeof(name), "bench_%u", sizes[z]);
				s = kmem_cache_create(name, sizes[z], 0, SLAB_NO_MERGE, NULL);
				if (!s)
					return 1;
				pair_t[c][z][r] = time_ns(measure_pairs, s, n);
				batch_t[c][z][r] = time_ns(measure_batches, s, n);
				kmem_cache_destroy(s);
			}
			umm_shutdown();
		}
	}
	for (size_t c = 0; c < NCONF; c++) {
		for (size_t z = 0; z < NSIZE; z++) {
			pair[c][z] = median(pair_t[c][z]);
			batch[c][z] = median(batch_t[c][z]);
		}
	}

	printf("ns per kmem_cache_alloc+kmem_cache_free pair (median of %d runs); x = ratio to plain\n",
	       RUNS);
	printf("%-17s", "");
	for (size_t z = 0; z < NSIZE; z++)
		printf("  %7s-%-4u %7s  %8s-%-4u %7s", "pair", sizes[z], "x", "batch", sizes[z], "x");
	printf("\n");
	for (size_t c = 0; c < NCONF; c++) {
		printf("%-17s", configs[c].name);
		for (size_t z = 0; z < NSIZE; z++)
			printf("  %12.1f %7.2f  %13.1f %7.2f", pair[c][z], pair[c][z] / pair[0][z],
			       batch[c][z], batch[c][z] / batch[0][z]);
		printf("\n");
	}
	return 0;
}
