// SPDX-License-Identifier: GPL-2.0
/*
 * idle_rss.c - under libumm-malloc.so (preloaded), a program that frees
 * everything and then idles gives its memory back without asking: the
 * reclaim worker (mm/vmstat.c) with its default decay.
 *
 * Before anything large is freed there is no worker thread (a short
 * program gets none).  Then 8 threads allocate about 160 MiB in objects
 * of 16 bytes to 64 KiB, every byte written, and hand them to the next
 * thread, which frees them; the threads exit, and main() does nothing
 * but read /proc/self/statm every 100 ms.  The resident set must fall
 * below half its peak within 10 s (the default decay is 4 s; a generous
 * bound, not a timing test), and a worker thread must exist, with every
 * signal blocked.  A watchdog (alarm) fails a hang; the seed is printed.
 *
 * Usage: idle_rss [seed]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../proc_self.h"

#define THREADS		8
#define PER_THREAD	(20L << 20)	/* bytes each thread allocates */

struct slot {
	void **objs;
	long n;
	unsigned long long seed;
} slots[THREADS];

static pthread_barrier_t handed;

static unsigned long long splitmix64(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Allocate and write PER_THREAD bytes, swap with the next thread, free its. */
static void *worker(void *arg)
{
	struct slot *me = arg, *next = &slots[(me - slots + 1) % THREADS];
	long bytes = 0;

	me->objs = malloc(sizeof(void *) * (PER_THREAD / 16));
	if (!me->objs)
		return (void *)1;
	while (bytes < PER_THREAD) {
		unsigned long long r = splitmix64(&me->seed);
		size_t size = r % 8 ? 16 + (r >> 8) % 2048 : 4096 + (r >> 8) % 61440;
		void *p = malloc(size);

		if (!p)
			return (void *)1;
		memset(p, (int)(r & 0xff), size);
		me->objs[me->n++] = p;
		bytes += (long)size;
	}
	pthread_barrier_wait(&handed);
	for (long i = 0; i < next->n; i++)
		free(next->objs[i]);
	pthread_barrier_wait(&handed);
	free(next->objs);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long long seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 4242;
	pthread_t t[THREADS];
	long peak = 0, rss = 0, ms = 0;
	unsigned long long mask;
	int tid, bad = 0;

	printf("seed %llu\n", seed);
	alarm(120);	/* the watchdog */
	if (thread_by_comm("umm-vmstat")) {
		printf("FAIL: a reclaim worker before anything was freed\n");
		return 1;
	}
	pthread_barrier_init(&handed, NULL, THREADS);
	for (int i = 0; i < THREADS; i++) {
		slots[i].seed = seed * 977 + (unsigned long long)i;
		if (pthread_create(&t[i], NULL, worker, &slots[i]))
			return 2;
	}
	for (int i = 0; i < THREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		bad |= ret != NULL;
	}
	if (bad) {
		printf("FAIL: an allocation failed\n");
		return 1;
	}
	peak = proc_self_kib("VmHWM:");
	for (ms = 0; ms <= 10000; ms += 100) {
		struct timespec d = { 0, 100 * 1000000L };

		rss = proc_statm_rss_kib();
		if (ms % 1000 == 0)
			printf("idle %2ld s: RSS %ld KiB\n", ms / 1000, rss);
		if (rss < peak / 2)
			break;
		nanosleep(&d, NULL);
	}
	printf("RSS %ld KiB after %ld ms idle, peak %ld KiB\n", rss, ms, peak);
	tid = thread_by_comm("umm-vmstat");
	if (!tid) {
		printf("FAIL: no reclaim worker thread\n");
		return 1;
	}
	mask = proc_thread_sigblk(tid);
	if (!(mask & (1ULL << (SIGINT - 1))) || !(mask & (1ULL << (SIGTERM - 1))) ||
	    !(mask & (1ULL << (SIGALRM - 1))) || !(mask & (1ULL << (SIGUSR1 - 1)))) {
		printf("FAIL: the worker blocks only %#llx\n", mask);
		return 1;
	}
	if (rss >= peak / 2) {
		printf("FAIL: RSS still %ld KiB after 10 s idle, peak %ld KiB (seed %llu)\n",
		       rss, peak, seed);
		return 1;
	}
	printf("ok\n");
	return 0;
}
