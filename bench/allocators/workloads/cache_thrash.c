// SPDX-License-Identifier: GPL-2.0
/*
 * cache_thrash.c - active false sharing, in the manner of Hoard's
 * cache-thrash: every thread, many times over, allocates a small object,
 * writes it in a tight loop and frees it.  No object ever changes hands;
 * an allocator that carves the threads' objects out of the same cache
 * line (one shared heap, no per-thread slabs) makes the cores fight over
 * it and the run takes many times longer.
 *
 *   alloc_cache_thrash [THREADS] [SCALE]
 */
#include "common.h"

#define OBJ_SIZE 8
#define REPS 2000

static void *work(void *arg)
{
	struct wl_worker *w = arg;

	for (long i = 0; i < w->steps; i++) {
		unsigned char *p = wl_malloc(OBJ_SIZE);
		volatile unsigned char *v = p;

		memset(p, 0, OBJ_SIZE);
		for (int r = 0; r < REPS; r++)
			for (int k = 0; k < OBJ_SIZE; k++)
				v[k] = (unsigned char)(v[k] + 3 + k);
		for (int k = 0; k < OBJ_SIZE; k++) {
			if (v[k] != (unsigned char)(REPS * (3 + k)))
				w->tally.bad++;
			w->tally.sum += v[k];
		}
		w->tally.objects++;
		free(p);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	return wl_run_workers(argc, argv, "cache-thrash", 2, 240000, work);
}
