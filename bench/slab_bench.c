// SPDX-License-Identifier: GPL-2.0
/*
 * slab_bench.c - the slab fast paths: kmem_cache_alloc+kmem_cache_free
 * and kmalloc+kfree pairs, with glibc's malloc+free side by side in the
 * same run (median of 7 runs), and a batch pattern (allocate 1000, free
 * 1000) that goes through the slow paths too.
 *
 *   slab_bench [iterations]
 *   slab_bench --pairs N WHAT     N pairs inside measure_*(), for
 *                                 callgrind --toggle-collect (WHAT is
 *                                 cache or kmalloc); see callgrind_pairs.sh
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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct kmem_cache *cache;
static void *volatile sink;

__attribute__((noinline)) void measure_cache_pairs(long n)
{
	for (long i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(cache, GFP_KERNEL);

		sink = p;
		kmem_cache_free(cache, p);
	}
}

__attribute__((noinline)) void measure_kmalloc_pairs(long n, size_t size)
{
	for (long i = 0; i < n; i++) {
		void *p = kmalloc(size, GFP_KERNEL);

		sink = p;
		kfree(p);
	}
}

__attribute__((noinline)) void measure_malloc_pairs(long n, size_t size)
{
	for (long i = 0; i < n; i++) {
		void *p = malloc(size);

		sink = p;
		free(p);
	}
}

static void *batch[1000];

static void batch_umm(long n, size_t size)
{
	for (long r = 0; r < n / 1000; r++) {
		for (int i = 0; i < 1000; i++)
			batch[i] = kmalloc(size, GFP_KERNEL);
		for (int i = 0; i < 1000; i++)
			kfree(batch[i]);
	}
}

static void batch_glibc(long n, size_t size)
{
	for (long r = 0; r < n / 1000; r++) {
		for (int i = 0; i < 1000; i++)
			batch[i] = malloc(size);
		for (int i = 0; i < 1000; i++)
			free(batch[i]);
	}
}

enum what { CACHE, KMALLOC, MALLOC, BATCH_UMM, BATCH_GLIBC };

static double median_ns(enum what w, long n, size_t size)
{
	double t[7];

	for (int r = 0; r < 7; r++) {
		double t0 = now_ns();

		switch (w) {
		case CACHE: measure_cache_pairs(n); break;
		case KMALLOC: measure_kmalloc_pairs(n, size); break;
		case MALLOC: measure_malloc_pairs(n, size); break;
		case BATCH_UMM: batch_umm(n, size); break;
		case BATCH_GLIBC: batch_glibc(n, size); break;
		}
		t[r] = (now_ns() - t0) / (double)n;
	}
	qsort(t, 7, sizeof(t[0]), cmp_double);
	return t[3];
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 64, 192, 1024, 8192 };
	long n = 2000000;

	if (umm_boot("mem=256M"))
		return 1;
	cache = kmem_cache_create("bench_obj", 64, 0, SLAB_NO_MERGE, NULL);
	if (!cache)
		return 1;
	if (argc == 4 && !strcmp(argv[1], "--pairs")) {
		long pairs = atol(argv[2]);

		if (!strcmp(argv[3], "cache")) {
			measure_cache_pairs(1000);
			measure_cache_pairs(pairs);
		} else {
			measure_kmalloc_pairs(1000, 64);
			measure_kmalloc_pairs(pairs, 64);
		}
		umm_shutdown();
		return 0;
	}
	if (argc > 1)
		n = atol(argv[1]);
	printf("slab fast paths, ns per alloc+free pair (median of 7 runs of %ld)\n", n);
	printf("kmem_cache_alloc+kmem_cache_free (64 B): %.1f\n", median_ns(CACHE, n, 64));
	printf("%8s %12s %12s %8s %16s %16s %8s\n", "size", "kmalloc", "glibc", "ratio",
	       "batch kmalloc", "batch glibc", "ratio");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double k = median_ns(KMALLOC, n, sizes[i]), g = median_ns(MALLOC, n, sizes[i]);
		double bk = median_ns(BATCH_UMM, n / 4, sizes[i]);
		double bg = median_ns(BATCH_GLIBC, n / 4, sizes[i]);

		printf("%8zu %12.1f %12.1f %8.2f %16.1f %16.1f %8.2f\n", sizes[i], k, g, k / g, bk,
		       bg, bk / bg);
	}
	kmem_cache_destroy(cache);
	umm_shutdown();
	return 0;
}
