/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench.h - what the side-by-side benchmarks share: a monotonic clock in
 * seconds and the median of RUNS runs (each bench defines RUNS first).
 */
#ifndef _UMM_BENCH_H
#define _UMM_BENCH_H

#include <stdlib.h>
#include <time.h>

#ifndef RUNS
#define RUNS	5
#endif

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @v[RUNS] (sorted in place). */
static inline double median(double *v)
{
	qsort(v, RUNS, sizeof(*v), cmp_dbl);
	return v[RUNS / 2];
}

#endif /* _UMM_BENCH_H */
