// SPDX-License-Identifier: GPL-2.0
/*
 * larson.c - server churn in the manner of Larson and Krishnan's
 * benchmark: each thread owns an array of live objects (random sizes 10
 * to 1000 bytes) and, again and again, frees a random one and allocates
 * a replacement.  Work goes in rounds; each round starts fresh threads
 * and hands every array to a different thread than last round's, so the
 * objects one thread allocated are freed by another after it has exited
 * (a server whose connections outlive the thread that opened them).
 *
 *   alloc_larson [THREADS] [SCALE]
 */
#include "common.h"

#define SLOTS 1000
#define ROUNDS 20
#define MIN_SIZE 10
#define MAX_SIZE 1000

struct array {
	uint64_t rng;		/* the array's own stream: same objects whoever runs it */
	void *obj[SLOTS];
	uint32_t size[SLOTS];
	uint64_t tag[SLOTS];
	struct tally tally;
};

struct worker {
	struct array *arr;
	long steps;
} __attribute__((aligned(64)));

static void *churn(void *arg)
{
	struct worker *w = arg;
	struct array *a = w->arr;

	for (long i = 0; i < w->steps; i++) {
		uint64_t r = rng_next(&a->rng);
		unsigned int k = (unsigned int)(r % SLOTS);
		size_t n = MIN_SIZE + (r >> 32) % (MAX_SIZE - MIN_SIZE + 1);
		uint64_t tag = rng_next(&a->rng);

		if (a->obj[k])
			tally_free(&a->tally, a->obj[k], a->size[k], a->tag[k]);
		a->obj[k] = wl_malloc(n);
		a->size[k] = (uint32_t)n;
		a->tag[k] = tag;
		stamp(a->obj[k], n, tag);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct wl_args args = wl_parse(argc, argv, 2);
	int t = args.threads;
	long steps = wl_scaled(40000000, args.scale) / ROUNDS / t;
	struct array *arrs = wl_malloc(sizeof(*arrs) * (size_t)t);
	struct worker *w = wl_malloc(sizeof(*w) * (size_t)t);
	struct tally total = { 0 };

	memset(arrs, 0, sizeof(*arrs) * (size_t)t);
	for (int i = 0; i < t; i++)
		arrs[i].rng = rng_seed(1, (uint64_t)i, 0);
	for (int round = 0; round < ROUNDS; round++) {
		for (int i = 0; i < t; i++) {
			w[i].arr = &arrs[(i + round) % t];
			w[i].steps = steps;
		}
		wl_run_threads(t, churn, w, sizeof(*w));
	}
	for (int i = 0; i < t; i++) {
		for (int k = 0; k < SLOTS; k++)
			if (arrs[i].obj[k])
				tally_free(&arrs[i].tally, arrs[i].obj[k], arrs[i].size[k],
					   arrs[i].tag[k]);
		tally_add(&total, &arrs[i].tally);
	}
	free(w);
	free(arrs);
	return wl_finish("larson", &total);
}
