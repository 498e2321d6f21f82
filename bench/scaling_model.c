// SPDX-License-Identifier: GPL-2.0
/*
 * scaling_model.c - what limits umm's allocators as threads are added:
 * throughput at 1, 2, 4 ... threads, and, in a -DUMM_LOCK_STAT=ON build,
 * which shared locks each workload takes, how often per 1,000
 * operations, and how often a first try found them held.
 * bench/scaling.md turns the figures into the model.
 *
 *   scaling_model [MAX_THREADS [OPS_PER_THREAD]]    defaults 4 and 1000000
 *
 * Workloads (each thread its own xorshift stream; an operation is one
 * allocation or one free):
 *   local    kmalloc/kfree of 16..1024 B over a working set of 1,000
 *            objects per thread: the per-thread slab fast paths
 *   handoff  producer/consumer pairs (threads/2, at least one): every free
 *            is of another thread's object, passed on in batches of 256
 *   pages    alloc_pages/__free_pages of order 0..3 over a working set of
 *            64 blocks per thread: pcp lists and the zone lock
 * Throughput is the median of RUNS runs; lock counts are from the last.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umm.h>
#include <umm/lockstat.h>
#include "bench.h"
#include "allocators/workloads/handoff.h"

static long ops_per_thread = 1000000;

static unsigned long long xorshift(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* ---- local ---- */
#define LOCAL_SET 1000

static void *local_thread(void *arg)
{
	unsigned long long s = 0x9e3779b97f4a7c15ULL + (unsigned long)arg;
	void **set = calloc(LOCAL_SET, sizeof(*set));

	for (long i = 0; i < ops_per_thread / 2; i++) {
		unsigned int k = (unsigned int)(xorshift(&s) % LOCAL_SET);

		kfree(set[k]);
		set[k] = kmalloc(16 + xorshift(&s) % 1009, GFP_KERNEL);
	}
	for (int k = 0; k < LOCAL_SET; k++)
		kfree(set[k]);
	free(set);
	return NULL;
}

/* ---- handoff ---- */
#define BATCH 256

struct pair {
	struct handoff queue;
	long batches;
	unsigned long long seed;
} __attribute__((aligned(64)));

static void *producer(void *arg)
{
	struct pair *p = arg;
	unsigned long long s = p->seed;

	for (long i = 0; i < p->batches; i++) {
		void **b = malloc(BATCH * sizeof(*b));

		for (int k = 0; k < BATCH; k++)
			b[k] = kmalloc(8 + xorshift(&s) % 505, GFP_KERNEL);
		handoff_put(&p->queue, b);
	}
	handoff_put(&p->queue, NULL);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *p = arg;
	void **b;

	while ((b = handoff_get(&p->queue))) {
		for (int k = 0; k < BATCH; k++)
			kfree(b[k]);
		free(b);
	}
	return NULL;
}

/* ---- pages ---- */
#define PAGE_SET 64

static void *pages_thread(void *arg)
{
	unsigned long long s = 0x51ed270b27d3c4a5ULL + (unsigned long)arg;
	struct page *set[PAGE_SET] = { NULL };
	unsigned int order[PAGE_SET] = { 0 };

	for (long i = 0; i < ops_per_thread / 2; i++) {
		unsigned int k = (unsigned int)(xorshift(&s) % PAGE_SET);

		if (set[k])
			__free_pages(set[k], order[k]);
		order[k] = (unsigned int)(xorshift(&s) % 4);
		set[k] = alloc_pages(GFP_KERNEL, order[k]);
	}
	for (int k = 0; k < PAGE_SET; k++)
		if (set[k])
			__free_pages(set[k], order[k]);
	return NULL;
}

/* ---- driver ---- */
enum workload { LOCAL, HANDOFF, PAGES };
static const char *const names[] = { "local", "handoff", "pages" };

/* One run of @w on @threads threads: seconds. */
static double run_once(enum workload w, int threads)
{
	pthread_t th[64];
	struct pair pairs[32];
	int n = threads;
	double t0 = now();

	if (w == HANDOFF) {
		int np = threads / 2 > 0 ? threads / 2 : 1;

		for (int i = 0; i < np; i++) {
			handoff_init(&pairs[i].queue);
			pairs[i].batches = ops_per_thread / BATCH;
			pairs[i].seed = 0x2545f4914f6cdd1dULL + (unsigned long long)i;
			pthread_create(&th[2 * i], NULL, producer, &pairs[i]);
			pthread_create(&th[2 * i + 1], NULL, consumer, &pairs[i]);
		}
		n = 2 * np;
	} else {
		for (long i = 0; i < n; i++)
			pthread_create(&th[i], NULL, w == LOCAL ? local_thread : pages_thread,
				       (void *)i);
	}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return now() - t0;
}

static long total_ops(enum workload w, int threads)
{
	if (w == HANDOFF) {
		int np = threads / 2 > 0 ? threads / 2 : 1;

		return 2L * np * (ops_per_thread / BATCH) * BATCH;
	}
	return (long)threads * (ops_per_thread / 2) * 2;
}

static void print_locks(long ops)
{
	struct umm_lock_stat st[64];
	int n = umm_lock_stat_read(st, 64);

	if (n < 0) {
		printf("    (lock counts: build with -DUMM_LOCK_STAT=ON)\n");
		return;
	}
	for (int i = 0; i < n && i < 8; i++) {
		const char *f = strstr(st[i].file, "mm/") ? strstr(st[i].file, "mm/") : st[i].file;

		char where[64];

		snprintf(where, sizeof(where), "%s:%d", f, st[i].line);
		printf("    %-24s %-22s %9.2f taken %8.3f contended\n", st[i].func, where,
		       1000.0 * (double)st[i].acquisitions / (double)ops,
		       1000.0 * (double)st[i].contentions / (double)ops);
	}
}

int main(int argc, char **argv)
{
	int max_threads = argc > 1 ? atoi(argv[1]) : 4;

	if (argc > 2)
		ops_per_thread = atol(argv[2]);
	if (max_threads < 1 || max_threads > 64 || ops_per_thread < 1000) {
		fprintf(stderr, "usage: scaling_model [MAX_THREADS (1..64) [OPS_PER_THREAD (>= 1000)]]\n");
		return 2;
	}
	if (umm_boot("mem=1G")) {
		fprintf(stderr, "scaling_model: umm_boot failed\n");
		return 1;
	}
	printf("workload threads  Mops/s  per thread  (median of %d runs, %ld ops per thread)\n"
	       "    lock site                where              per 1,000 operations\n",
	       RUNS, ops_per_thread);
	for (int w = LOCAL; w <= PAGES; w++) {
		double base = 0;

		for (int t = w == HANDOFF ? 2 : 1; t <= max_threads; t *= 2) {
			double secs[RUNS];
			long ops = total_ops(w, t);

			for (int r = 0; r < RUNS; r++) {
				umm_lock_stat_reset();
				secs[r] = run_once(w, t);
			}
			double mops = (double)ops / median(secs) / 1e6;
			int nt = w == HANDOFF ? 2 * (t / 2 > 0 ? t / 2 : 1) : t;

			if (!base)
				base = mops / nt;
			printf("%-8s %7d %7.2f %11.2f  (%.2fx one thread's)\n", names[w], nt, mops,
			       mops / nt, mops / nt / base);
			print_locks(ops);
		}
	}
	umm_shutdown();
	return 0;
}
