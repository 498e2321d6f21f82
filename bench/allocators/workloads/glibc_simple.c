// SPDX-License-Identifier: GPL-2.0
/*
 * glibc_simple.c - tight malloc/free of small blocks, in the manner of
 * glibc's bench-malloc-simple: for each size from 16 to 512 bytes and
 * each batch of 1, 25, 100 and 400 blocks, allocate the batch and free
 * it (oldest first, then newest first, alternately), over and over.
 * Meant for one thread; with more, each runs the same loop on its own
 * share of the work.
 *
 *   alloc_glibc_simple [THREADS] [SCALE]
 */
#include "common.h"

static const size_t sizes[] = { 16, 32, 64, 128, 256, 512 };
static const int batches[] = { 1, 25, 100, 400 };

#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define NBATCHES (sizeof(batches) / sizeof(batches[0]))

static void *work(void *arg)
{
	struct wl_worker *w = arg;
	void *obj[400];
	uint64_t tag = rng_seed(7, (uint64_t)w->id, 0);

	for (long r = 0; r < w->steps; r++) {
		for (unsigned int s = 0; s < NSIZES; s++) {
			for (unsigned int b = 0; b < NBATCHES; b++) {
				int n = batches[b];

				/* 400 blocks per (size, batch): 9600 per round. */
				for (int rep = 0; rep < 400 / n; rep++) {
					for (int i = 0; i < n; i++) {
						obj[i] = wl_malloc(sizes[s]);
						stamp(obj[i], sizes[s], tag + (uint64_t)i);
					}
					if ((r + rep) & 1)
						for (int i = 0; i < n; i++)
							tally_free(&w->tally, obj[i], sizes[s], tag + (uint64_t)i);
					else
						for (int i = n - 1; i >= 0; i--)
							tally_free(&w->tally, obj[i], sizes[s], tag + (uint64_t)i);
					tag += (uint64_t)n;
				}
			}
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	return wl_run_workers(argc, argv, "glibc-simple", 1, 4000, work);
}
