/* SPDX-License-Identifier: GPL-2.0 */
/*
 * common.h - what the allocator workloads share: the command line
 * (THREADS SCALE), a per-stream PRNG, object stamps and their checks,
 * the checksum line, and thread start/join.
 *
 * Every workload is deterministic in what it allocates: each stream of
 * allocations has its own PRNG (seeded from the workload, round and
 * thread), every object carries a tag drawn from its stream, and the
 * checksum is the sum of the tags of the objects freed (each exactly
 * once), which does not depend on which thread freed them or when.  So
 * the checksum line is the same under every allocator, and an allocator
 * that hands out overlapping memory, or loses an object, changes it (the
 * stamp check also counts the bad objects and the program exits 1).
 */
#ifndef ALLOC_WORKLOAD_COMMON_H
#define ALLOC_WORKLOAD_COMMON_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wl_args {
	int threads;
	double scale;
};

/* usage: prog [THREADS] [SCALE]; scale 1 runs about a second with glibc. */
static inline struct wl_args wl_parse(int argc, char **argv, int def_threads)
{
	struct wl_args a = { def_threads, 1.0 };

	if (argc > 1)
		a.threads = atoi(argv[1]);
	if (argc > 2)
		a.scale = atof(argv[2]);
	if (argc > 3 || a.threads < 1 || a.threads > 256 || !(a.scale > 0)) {
		fprintf(stderr, "usage: %s [THREADS (1..256)] [SCALE (> 0)]\n", argv[0]);
		exit(2);
	}
	return a;
}

/* Scale a base count, at least 1. */
static inline long wl_scaled(long base, double scale)
{
	double n = (double)base * scale;

	return n < 1 ? 1 : (long)n;
}

/* splitmix64: one 64-bit state per stream, good enough and branch free. */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t rng_seed(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t s = a * 0x100000001b3ull ^ b * 0x9e3779b97f4a7c15ull ^ c;

	rng_next(&s);
	return s;
}

/* Uniform in [lo, hi]. */
static inline uint64_t rng_range(uint64_t *s, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(s) % (hi - lo + 1);
}

static inline void *wl_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p && n) {
		fprintf(stderr, "malloc(%zu) failed\n", n);
		exit(3);
	}
	return p;
}

/*
 * Stamp: the tag in the first 8 bytes, its complement mixed with the
 * size in the last 8 (bytes derived from the tag below 16 bytes).  Cheap
 * enough for throughput loops and catches overlapping objects.
 */
static inline uint64_t stamp_tail(uint64_t tag, size_t n)
{
	return ~tag ^ ((uint64_t)n << 40);
}

static inline void stamp(void *obj, size_t n, uint64_t tag)
{
	unsigned char *p = obj;

	if (n >= 16) {
		uint64_t t = stamp_tail(tag, n);

		memcpy(p, &tag, 8);
		memcpy(p + n - 8, &t, 8);
	} else {
		for (size_t i = 0; i < n; i++)
			p[i] = (unsigned char)((tag >> (i * 4)) ^ i);
	}
}

static inline int stamp_ok(const void *obj, size_t n, uint64_t tag)
{
	const unsigned char *p = obj;

	if (n >= 16) {
		uint64_t h, t;

		memcpy(&h, p, 8);
		memcpy(&t, p + n - 8, 8);
		return h == tag && t == stamp_tail(tag, n);
	}
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)((tag >> (i * 4)) ^ i))
			return 0;
	return 1;
}

/* Per-thread tallies, summed at the end (addition commutes). */
struct tally {
	uint64_t sum;		/* sum of the tags of verified frees */
	uint64_t objects;	/* objects freed */
	uint64_t bad;		/* objects whose stamp was wrong */
} __attribute__((aligned(64)));

static inline void tally_free(struct tally *t, void *p, size_t n, uint64_t tag)
{
	if (!stamp_ok(p, n, tag))
		t->bad++;
	t->sum += tag;
	t->objects++;
	free(p);
}

static inline void tally_add(struct tally *into, const struct tally *t)
{
	into->sum += t->sum;
	into->objects += t->objects;
	into->bad += t->bad;
}

/* The last line of output: what the harness compares across allocators. */
static inline int wl_finish(const char *name, const struct tally *t)
{
	printf("%s checksum %016llx objects %llu bad %llu\n", name,
	       (unsigned long long)t->sum, (unsigned long long)t->objects,
	       (unsigned long long)t->bad);
	fflush(stdout);
	if (t->bad) {
		fprintf(stderr, "%s: %llu corrupted objects\n", name, (unsigned long long)t->bad);
		return 1;
	}
	return 0;
}

/* Run fn(arg + i * size) on n threads and wait for them. */
static inline void wl_run_threads(int n, void *(*fn)(void *), void *arg, size_t size)
{
	pthread_t *tid = wl_malloc(sizeof(*tid) * (size_t)n);

	for (int i = 0; i < n; i++)
		if (pthread_create(&tid[i], NULL, fn, (char *)arg + (size_t)i * size)) {
			fprintf(stderr, "pthread_create failed\n");
			exit(3);
		}
	for (int i = 0; i < n; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

/* The per-thread state of the workloads whose threads work alone. */
struct wl_worker {
	int id;
	long steps;
	struct tally tally;
} __attribute__((aligned(64)));

/*
 * main() of those workloads: THREADS workers share base_steps * SCALE
 * steps, then their tallies are checked and summed under @name.
 */
static inline int wl_run_workers(int argc, char **argv, const char *name, int def_threads,
				 long base_steps, void *(*work)(void *))
{
	struct wl_args args = wl_parse(argc, argv, def_threads);
	int t = args.threads;
	struct wl_worker *w = wl_malloc(sizeof(*w) * (size_t)t);
	struct tally total = { 0 };

	memset(w, 0, sizeof(*w) * (size_t)t);
	for (int i = 0; i < t; i++) {
		w[i].id = i;
		w[i].steps = wl_scaled(base_steps, args.scale) / t;
	}
	wl_run_threads(t, work, w, sizeof(*w));
	for (int i = 0; i < t; i++)
		tally_add(&total, &w[i].tally);
	free(w);
	return wl_finish(name, &total);
}

#endif
