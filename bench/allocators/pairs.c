// SPDX-License-Identifier: GPL-2.0
/*
 * pairs.c - N malloc+free pairs of one size inside measure_pairs(), for
 * callgrind --toggle-collect=measure_pairs under whatever malloc is
 * preloaded (see callgrind.sh).  A warm-up loop first, outside the
 * counted function, so the counts are the fast path's.
 *
 *   alloc_pairs N SIZE
 */
#include <stdio.h>
#include <stdlib.h>

static void *volatile sink;

__attribute__((noinline)) void measure_pairs(long n, size_t size)
{
	for (long i = 0; i < n; i++) {
		void *p = malloc(size);

		sink = p;
		free(p);
	}
}

/* Batches, so it is not the same code as measure_pairs() (or the
 * linker folds the two and callgrind sees one name for both). */
__attribute__((noinline)) static void warm_up(long n, size_t size)
{
	void *batch[64];

	for (long i = 0; i < n; i += 64) {
		for (int k = 0; k < 64; k++)
			batch[k] = malloc(size);
		for (int k = 0; k < 64; k++)
			free(batch[k]);
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 100000;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 64;

	warm_up(1000, size);
	measure_pairs(n, size);
	printf("%ld pairs of %zu bytes\n", n, size);
	return 0;
}
