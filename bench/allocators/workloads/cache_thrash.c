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

struct worker {
	long iterations;
	struct tally tally;
} __attribute__((aligned(64)));

static void *work(void *arg)
{
	struct worker *w = arg;

	for (long i = 0; i < w->iterations; i++) {
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
	struct wl_args args = wl_parse(argc, argv, 2);
	int t = args.threads;
	struct worker *w = wl_malloc(sizeof(*w) * (size_t)t);
	struct tally total = { 0 };

	memset(w, 0, sizeof(*w) * (size_t)t);
	for (int i = 0; i < t; i++)
		w[i].iterations = wl_scaled(240000, args.scale) / t;
	wl_run_threads(t, work, w, sizeof(*w));
	for (int i = 0; i < t; i++)
		tally_add(&total, &w[i].tally);
	free(w);
	return wl_finish("cache-thrash", &total);
}
