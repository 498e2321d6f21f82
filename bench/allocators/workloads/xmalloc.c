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

#define BATCH 256
#define QUEUE 8		/* batches in flight per pair */
#define MIN_SIZE 8
#define MAX_SIZE 512

struct batch {
	void *obj[BATCH];
	uint32_t size[BATCH];
	uint64_t tag[BATCH];
};

struct pair {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch *q[QUEUE];
	unsigned int head, tail;	/* tail - head batches queued */
	long batches;
	int id;
	struct tally tally;		/* the consumer's */
} __attribute__((aligned(64)));

static void put(struct pair *p, struct batch *b)
{
	pthread_mutex_lock(&p->lock);
	while (p->tail - p->head == QUEUE)
		pthread_cond_wait(&p->cond, &p->lock);
	p->q[p->tail++ % QUEUE] = b;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static struct batch *get(struct pair *p)
{
	struct batch *b;

	pthread_mutex_lock(&p->lock);
	while (p->tail == p->head)
		pthread_cond_wait(&p->cond, &p->lock);
	b = p->q[p->head++ % QUEUE];
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return b;
}

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
		put(p, b);
	}
	put(p, NULL);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *p = arg;
	struct batch *b;

	while ((b = get(p))) {
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
		pthread_mutex_init(&p[i].lock, NULL);
		pthread_cond_init(&p[i].cond, NULL);
		p[i].id = i;
		p[i].batches = wl_scaled(30000, args.scale) / pairs;
	}
	wl_run_threads(pairs, pair_main, p, sizeof(*p));
	for (int i = 0; i < pairs; i++)
		tally_add(&total, &p[i].tally);
	free(p);
	return wl_finish("xmalloc", &total);
}
