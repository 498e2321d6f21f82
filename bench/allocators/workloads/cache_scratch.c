// SPDX-License-Identifier: GPL-2.0
/*
 * cache_scratch.c - passive false sharing, in the manner of Hoard's
 * cache-scratch: the main thread allocates one small object per worker,
 * back to back (so they likely share a cache line), and hands them out;
 * each worker frees the one it got and then, many times over, allocates
 * an object of the same size, writes it in a tight loop and frees it.
 * An allocator that gives a worker back memory next to another worker's
 * (because it reuses the freed object in place) makes the cores fight
 * over the line and the run takes many times longer.
 *
 *   alloc_cache_scratch [THREADS] [SCALE]
 */
#include "common.h"

#define OBJ_SIZE 8
#define REPS 2000

struct worker {
	unsigned char *first;	/* allocated by main, freed here */
	long iterations;
	struct tally tally;
} __attribute__((aligned(64)));

/* Write every byte of the object REPS times; its final contents are known. */
static uint64_t scribble(unsigned char *p, struct tally *t)
{
	volatile unsigned char *v = p;
	uint64_t sum = 0;

	memset(p, 0, OBJ_SIZE);
	for (int r = 0; r < REPS; r++)
		for (int k = 0; k < OBJ_SIZE; k++)
			v[k] = (unsigned char)(v[k] + 1 + k);
	for (int k = 0; k < OBJ_SIZE; k++) {
		if (v[k] != (unsigned char)(REPS * (1 + k)))
			t->bad++;
		sum += v[k];
	}
	return sum;
}

static void *work(void *arg)
{
	struct worker *w = arg;

	free(w->first);
	for (long i = 0; i < w->iterations; i++) {
		unsigned char *p = wl_malloc(OBJ_SIZE);

		w->tally.sum += scribble(p, &w->tally);
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
	for (int i = 0; i < t; i++) {
		w[i].first = wl_malloc(OBJ_SIZE);
		memset(w[i].first, i, OBJ_SIZE);
		w[i].iterations = wl_scaled(240000, args.scale) / t;
	}
	wl_run_threads(t, work, w, sizeof(*w));
	for (int i = 0; i < t; i++)
		tally_add(&total, &w[i].tally);
	free(w);
	return wl_finish("cache-scratch", &total);
}
