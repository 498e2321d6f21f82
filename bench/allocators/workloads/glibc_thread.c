// SPDX-License-Identifier: GPL-2.0
/*
 * glibc_thread.c - small-block throughput on N threads, in the manner of
 * glibc's bench-malloc-thread: every thread keeps a working set of 1024
 * blocks and, in a tight loop, frees a random one and allocates a new
 * one of random size (8 to 512 bytes, small ones likelier).  Threads
 * share nothing, so it measures how well the fast path scales.
 *
 *   alloc_glibc_thread [THREADS] [SCALE]
 */
#include "common.h"

#define SLOTS 1024

static void *work(void *arg)
{
	struct wl_worker *w = arg;
	uint64_t rng = rng_seed(8, (uint64_t)w->id, 0);
	void *obj[SLOTS];
	uint32_t size[SLOTS];
	uint64_t tag[SLOTS];

	memset(obj, 0, sizeof(obj));
	for (long i = 0; i < w->steps; i++) {
		uint64_t r = rng_next(&rng);
		unsigned int k = (unsigned int)(r % SLOTS);
		/* min of two uniform draws: biased towards small blocks */
		size_t a = 8 + (r >> 16) % 505, b = 8 + (r >> 40) % 505;
		size_t n = a < b ? a : b;

		if (obj[k])
			tally_free(&w->tally, obj[k], size[k], tag[k]);
		obj[k] = wl_malloc(n);
		size[k] = (uint32_t)n;
		tag[k] = r;
		stamp(obj[k], n, r);
	}
	for (int k = 0; k < SLOTS; k++)
		if (obj[k])
			tally_free(&w->tally, obj[k], size[k], tag[k]);
	return NULL;
}

int main(int argc, char **argv)
{
	return wl_run_workers(argc, argv, "glibc-thread", 2, 80000000, work);
}
