// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_bench.c - the cost of a vmalloc()+vfree() pair against the
 * host's mmap()+munmap() of the same size, both with every page touched
 * (one write per page), in one run.
 *
 * Usage: vmalloc_bench [cmdline]   (default "mem=1G")
 *
 * For each size it prints the median over N repetitions of one
 * allocate + touch + free cycle, in ns per cycle and ns per page, plus
 * vmalloc()+vfree() without touching, which isolates umm's own work
 * (tree search, page allocation, host mmap of the frame runs, unmap,
 * lazy purge) from the host's page faults on first touch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <umm.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static unsigned long long median(unsigned long long *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), cmp_ull);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void touch(volatile char *p, unsigned long size)
{
	for (unsigned long off = 0; off < size; off += PAGE_SIZE)
		p[off] = (char)off;
}

enum kind { VMALLOC_TOUCH, VMALLOC_ONLY, MMAP_TOUCH };

/* One allocate (+ touch) + free cycle, in ns; 0 on failure. */
static unsigned long long cycle(enum kind kind, unsigned long size)
{
	unsigned long long t0 = now_ns();
	char *p;

	if (kind == MMAP_TOUCH) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 0;
		touch(p, size);
		munmap(p, size);
	} else {
		p = vmalloc(size);
		if (!p)
			return 0;
		if (kind == VMALLOC_TOUCH)
			touch(p, size);
		vfree(p);
	}
	return now_ns() - t0;
}

static unsigned long long measure(enum kind kind, unsigned long size, int reps)
{
	unsigned long long *t = calloc((size_t)reps, sizeof(*t)), m;

	if (!t)
		exit(1);
	for (int w = 0; w < 2; w++)		/* warm up: pools, memfd pages */
		cycle(kind, size);
	for (int i = 0; i < reps; i++) {
		t[i] = cycle(kind, size);
		if (!t[i]) {
			fprintf(stderr, "vmalloc_bench: allocation of %lu bytes failed\n", size);
			exit(1);
		}
	}
	m = median(t, reps);
	free(t);
	return m;
}

int main(int argc, char **argv)
{
	static const struct { unsigned long size; int reps; const char *name; } runs[] = {
		{ 64UL << 10, 2001, "64 KiB" },
		{ 1UL << 20, 501, "1 MiB" },
		{ 16UL << 20, 51, "16 MiB" },
		{ 256UL << 20, 11, "256 MiB" },
	};
	const char *cmdline = argc > 1 ? argv[1] : "mem=1G";
	int err = umm_boot(cmdline);

	if (err) {
		fprintf(stderr, "vmalloc_bench: umm_boot(\"%s\") = %d\n", cmdline, err);
		return 1;
	}
	printf("umm %s; median of N cycles; \"touch\" writes one byte per page\n", cmdline);
	printf("%-8s %5s | %22s | %22s | %22s | %6s\n", "size", "N", "vmalloc+vfree",
	       "vmalloc+touch+vfree", "mmap+touch+munmap", "ratio");
	printf("%-8s %5s | %11s %10s | %11s %10s | %11s %10s | %6s\n", "", "", "ns", "ns/page",
	       "ns", "ns/page", "ns", "ns/page", "touch");
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		unsigned long size = runs[i].size, pages = size / PAGE_SIZE;
		unsigned long long v = measure(VMALLOC_ONLY, size, runs[i].reps);
		unsigned long long vt = measure(VMALLOC_TOUCH, size, runs[i].reps);
		unsigned long long mt = measure(MMAP_TOUCH, size, runs[i].reps);

		printf("%-8s %5d | %11llu %10.1f | %11llu %10.1f | %11llu %10.1f | %6.2f\n",
		       runs[i].name, runs[i].reps, v, (double)v / (double)pages, vt,
		       (double)vt / (double)pages, mt, (double)mt / (double)pages,
		       (double)vt / (double)mt);
		fflush(stdout);
	}
	umm_shutdown();
	return 0;
}
