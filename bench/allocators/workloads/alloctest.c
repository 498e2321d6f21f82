// SPDX-License-Identifier: GPL-2.0
/*
 * alloctest.c - mixed sizes, in the manner of alloc-test: each thread
 * keeps a working set of slots and at every step picks one at random,
 * freeing it when it is full and filling it when it is empty, with sizes
 * 90% 8..256 bytes, 9% up to 4 KiB and 1% up to 64 KiB.  Threads share
 * nothing; run with 1 thread and with N.
 *
 *   alloc_alloctest [THREADS] [SCALE]
 */
#include "common.h"

#define SLOTS 8192

static size_t pick_size(uint64_t r)
{
	unsigned int d = (unsigned int)(r % 100);

	r >>= 8;
	if (d < 90)
		return 8 + r % 249;
	if (d < 99)
		return 257 + r % (4096 - 256);
	return 4097 + r % (65536 - 4096);
}

static void *work(void *arg)
{
	struct wl_worker *w = arg;
	uint64_t rng = rng_seed(6, (uint64_t)w->id, 0);
	void **obj = wl_malloc(sizeof(*obj) * SLOTS);
	uint32_t *size = wl_malloc(sizeof(*size) * SLOTS);
	uint64_t *tag = wl_malloc(sizeof(*tag) * SLOTS);

	memset(obj, 0, sizeof(*obj) * SLOTS);
	for (long i = 0; i < w->steps; i++) {
		uint64_t r = rng_next(&rng);
		unsigned int k = (unsigned int)(r % SLOTS);

		if (obj[k]) {
			tally_free(&w->tally, obj[k], size[k], tag[k]);
			obj[k] = NULL;
		} else {
			size[k] = (uint32_t)pick_size(r >> 16);
			tag[k] = rng_next(&rng);
			obj[k] = wl_malloc(size[k]);
			stamp(obj[k], size[k], tag[k]);
		}
	}
	for (int k = 0; k < SLOTS; k++)
		if (obj[k])
			tally_free(&w->tally, obj[k], size[k], tag[k]);
	free(tag);
	free(size);
	free(obj);
	return NULL;
}

int main(int argc, char **argv)
{
	return wl_run_workers(argc, argv, "alloc-test", 1, 32000000, work);
}
