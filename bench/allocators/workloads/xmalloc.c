// SPDX-License-Identifier: GPL-2.0
/*
 * xmalloc.c - producer/consumer in the manner of xmalloc-test: in each
 * pair of threads one only allocates (objects of random sizes, stamped,
 * passed on in batches through a small queue) and the other only frees
 * them, so every free is a free of another thread's memory and the
 * allocating thread never gets its objects back directly.
 *
 *   alloc_xmalloc [THREADS] [SCALE]     THREADS/2 pairs (at least one)
 */
#include "common.h"
#include "handoff.h"

#define BATCH 256
#define MIN_SIZE 8
#define MAX_SIZE 512

struct batch {
	void *obj[BATCH];
	uint32_t size[BATCH];
	uint64_t tag[BATCH];
};

struct pair {
	struct handoff queue;
	long batches;
	int id;
	struct tally tally;		/* the consumer's */
} __attribute__((aligned(64)));

static void *producer(void *arg)
{
	struct pair *p = arg;
	uint64_t rng = rng_seed(2, (uint64_t)p->id, 0);

	for (long i = 0; i < p->batches; i++) {
		struct batch *b = wl_malloc(sizeof(*b));

		for (int k = 0; k < BATCH; k++) {
			uint64_t r = rng_next(&rng);
			size_t n = MIN_SIZE + r % (MAX_SIZE - MIN_SIZE + 1);

			b->obj[k] = wl_malloc(n);
			b->size[k] = (uint32_t)n;
			b->tag[k] = rng_next(&rng);
			stamp(b->obj[k], n, b->tag[k]);
		}
		handoff_put(&p->queue, b);
	}
	handoff_put(&p->queue, NULL);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *p = arg;
	struct batch *b;

	while ((b = handoff_get(&p->queue))) {
		for (int k = 0; k < BATCH; k++)
			tally_free(&p->tally, b->obj[k], b->size[k], b->tag[k]);
		free(b);
	}
	return NULL;
}

static void *pair_main(void *arg)
{
	pthread_t prod;

	if (pthread_create(&prod, NULL, producer, arg)) {
		fprintf(stderr, "pthread_create failed\n");
		exit(3);
	}
	consumer(arg);
	pthread_join(prod, NULL);
	return NULL;
}

int main(int argc, char **argv)
{
	struct wl_args args = wl_parse(argc, argv, 2);
	int pairs = args.threads / 2 > 0 ? args.threads / 2 : 1;
	struct pair *p = wl_malloc(sizeof(*p) * (size_t)pairs);
	struct tally total = { 0 };

	memset(p, 0, sizeof(*p) * (size_t)pairs);
	for (int i = 0; i < pairs; i++) {
		handoff_init(&p[i].queue);
		p[i].id = i;
		p[i].batches = wl_scaled(30000, args.scale) / pairs;
	}
	wl_run_threads(pairs, pair_main, p, sizeof(*p));
	for (int i = 0; i < pairs; i++)
		tally_add(&total, &p[i].tally);
	free(p);
	return wl_finish("xmalloc", &total);
}
