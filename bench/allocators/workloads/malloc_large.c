// SPDX-License-Identifier: GPL-2.0
/*
 * malloc_large.c - large blocks, in the manner of malloc-large: each
 * thread keeps 16 blocks of 64 KiB to 32 MiB (sizes log-uniform) and
 * replaces a random one at every step, writing one word in every 4 KiB
 * page of the new block (so it is really faulted in) and checking the
 * old block's first and last words before freeing it.  Tells allocators
 * that keep and reuse big free blocks from those that unmap and refault.
 *
 *   alloc_malloc_large [THREADS] [SCALE]
 */
#include "common.h"

#define SLOTS 16
#define MIN_SHIFT 16	/* 64 KiB */
#define MAX_SHIFT 25	/* 32 MiB */

static size_t pick_size(uint64_t *rng)
{
	uint64_t r = rng_next(rng);
	unsigned int shift = MIN_SHIFT + (unsigned int)(r % (MAX_SHIFT - MIN_SHIFT));
	size_t lo = (size_t)1 << shift;

	return lo + (size_t)((r >> 8) % lo);	/* [2^shift, 2^(shift+1)) */
}

static void touch(unsigned char *p, size_t n, uint64_t tag)
{
	for (size_t off = 4096; off + 8 <= n; off += 4096)
		memcpy(p + off, &tag, 8);
	stamp(p, n, tag);
}

static void *work(void *arg)
{
	struct wl_worker *w = arg;
	uint64_t rng = rng_seed(9, (uint64_t)w->id, 0);
	void *obj[SLOTS] = { 0 };
	size_t size[SLOTS];
	uint64_t tag[SLOTS];

	for (long i = 0; i < w->steps; i++) {
		unsigned int k = (unsigned int)(rng_next(&rng) % SLOTS);

		if (obj[k])
			tally_free(&w->tally, obj[k], size[k], tag[k]);
		size[k] = pick_size(&rng);
		tag[k] = rng_next(&rng);
		obj[k] = wl_malloc(size[k]);
		touch(obj[k], size[k], tag[k]);
	}
	for (int k = 0; k < SLOTS; k++)
		if (obj[k])
			tally_free(&w->tally, obj[k], size[k], tag[k]);
	return NULL;
}

int main(int argc, char **argv)
{
	return wl_run_workers(argc, argv, "malloc-large", 1, 2000, work);
}
