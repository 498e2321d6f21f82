// SPDX-License-Identifier: GPL-2.0
/*
 * page_alloc_bench.c - alloc_pages()+__free_pages() pairs per order,
 * with the per-CPU lists on and off, side by side in one run.
 *
 *   page_alloc_bench [iterations]      timing table (median of 7 runs)
 *   page_alloc_bench --pairs N ORDER   N pairs in measure_pairs(), for
 *                                      callgrind --toggle-collect
 *                                      (see bench/callgrind_pairs.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <umm.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* The measured loop: one alloc+free pair per iteration, hot cache. */
__attribute__((noinline)) void measure_pairs(unsigned int order, long n)
{
	for (long i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p)
			abort();
		__free_pages(p, order);
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_pair_ns(unsigned int order, long iters)
{
	double t[7];

	measure_pairs(order, iters / 10 + 1);	/* warm up */
	for (int r = 0; r < 7; r++) {
		double t0 = now_ns();

		measure_pairs(order, iters);
		t[r] = (now_ns() - t0) / (double)iters;
	}
	qsort(t, 7, sizeof(t[0]), cmp_double);
	return t[3];
}

int main(int argc, char **argv)
{
	long iters = 200000;
	double with_pcp[NR_PAGE_ORDERS], without_pcp[NR_PAGE_ORDERS];

	if (argc == 4 && !strcmp(argv[1], "--pairs")) {
		if (umm_boot("mem=256M"))
			return 1;
		measure_pairs((unsigned int)atoi(argv[3]), 1000);	/* warm */
		measure_pairs((unsigned int)atoi(argv[3]), atol(argv[2]));
		umm_shutdown();
		return 0;
	}
	if (argc > 1)
		iters = atol(argv[1]);
	for (int pcp = 1; pcp >= 0; pcp--) {
		if (umm_boot(pcp ? "mem=1G" : "mem=1G umm.pcp=0"))
			return 1;
		for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++) {
			double ns = median_pair_ns(o, o > 6 ? iters / 8 : iters);
			(pcp ? with_pcp : without_pcp)[o] = ns;
		}
		umm_shutdown();
	}
	printf("alloc_pages+__free_pages, ns per pair (median of 7 runs of %ld)\n", iters);
	printf("%5s %12s %12s %8s %14s\n", "order", "pcp on", "pcp off", "ratio",
	       "pcp on MiB/s");
	for (unsigned int o = 0; o <= MAX_PAGE_ORDER; o++)
		printf("%5u %12.1f %12.1f %8.2f %14.0f\n", o, with_pcp[o], without_pcp[o],
		       without_pcp[o] / with_pcp[o],
		       (double)(PAGE_SIZE << o) / with_pcp[o] * 1e9 / (1 << 20));
	return 0;
}
