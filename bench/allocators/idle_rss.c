// SPDX-License-Identifier: GPL-2.0
/*
 * idle_rss.c - how much memory a malloc keeps once a program has freed
 * everything and gone idle (bench/allocators/idle_rss.sh runs it under
 * each malloc).
 *
 * THREADS threads (default 8) in producer/consumer pairs: each producer
 * allocates objects of mixed sizes (16 B to 16 KiB mostly, one in 64 of
 * 64 KiB to 1 MiB), stamps them and hands them to its consumer through a
 * bounded queue; the consumer keeps the last WINDOW of them live and
 * frees the oldest as new ones come, so that memory allocated on one
 * thread is freed on another, as in a server's request pipeline.  When
 * the producers are done the consumers free everything they hold, and
 * every thread then waits, idle, on a condition variable (or exits, with
 * "exit" as third argument) while main() samples the resident set
 * (/proc/self/statm) at 0, 1, 2, 5 and 10 s of idle.
 *
 *   alloc_idle_rss [THREADS] [SCALE] [park|exit]
 *
 * Prints "peak_kib N" (VmHWM), one "idle_rss T_S KIB" line per sample
 * and the checksum line of the other workloads (common.h).
 */
#include <time.h>
#include <unistd.h>
#include "workloads/common.h"
#include "../../tests/proc_self.h"

#define QUEUE_LEN	1024
#define WINDOW		24000	/* objects each consumer keeps live (~45 MiB) */

struct obj {
	void *p;
	size_t n;
	uint64_t tag;
};

struct pair {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct obj q[QUEUE_LEN];
	unsigned head, tail;	/* head: next to take; tail: next free slot */
	int done;		/* producer finished */
	long count;		/* objects to produce */
	int id;
	struct tally tally;
} __attribute__((aligned(64)));

static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;
static int consumers_done, release_threads, park = 1;

static size_t obj_size(uint64_t *rng)
{
	uint64_t r = rng_next(rng);

	if (r % 64 == 0)
		return (size_t)rng_range(rng, 64 << 10, 1 << 20);
	if (r % 8 == 1)
		return (size_t)rng_range(rng, 4096, 16384);
	return (size_t)rng_range(rng, 16, 1024);
}

/* Every thread ends here: parked until main() has sampled, or gone. */
static void go_idle(int consumer)
{
	pthread_mutex_lock(&idle_lock);
	if (consumer) {
		consumers_done++;
		pthread_cond_broadcast(&idle_cond);
	}
	while (park && !release_threads)
		pthread_cond_wait(&idle_cond, &idle_lock);
	pthread_mutex_unlock(&idle_lock);
}

static void *producer(void *arg)
{
	struct pair *p = arg;
	uint64_t rng = rng_seed(0x1d1e, (uint64_t)p->id, 1);

	for (long i = 0; i < p->count; i++) {
		struct obj o;

		o.n = obj_size(&rng);
		o.tag = rng_next(&rng);
		o.p = wl_malloc(o.n);
		stamp(o.p, o.n, o.tag);
		pthread_mutex_lock(&p->lock);
		while (p->tail - p->head == QUEUE_LEN)
			pthread_cond_wait(&p->cond, &p->lock);
		p->q[p->tail++ % QUEUE_LEN] = o;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	go_idle(0);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *p = arg;
	struct obj *live = wl_malloc(sizeof(*live) * WINDOW);
	long taken = 0;

	for (;;) {
		struct obj o;

		pthread_mutex_lock(&p->lock);
		while (p->head == p->tail && !p->done)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->head == p->tail) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		o = p->q[p->head++ % QUEUE_LEN];
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		if (taken >= WINDOW) {
			struct obj *old = &live[taken % WINDOW];

			tally_free(&p->tally, old->p, old->n, old->tag);
		}
		live[taken++ % WINDOW] = o;
	}
	for (long i = taken > WINDOW ? taken - WINDOW : 0; i < taken; i++)
		tally_free(&p->tally, live[i % WINDOW].p, live[i % WINDOW].n, live[i % WINDOW].tag);
	free(live);
	go_idle(1);
	return NULL;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void sleep_until(const struct timespec *t0, double s)
{
	double left = s - since(t0);

	if (left > 0) {
		struct timespec d = { (time_t)left, (long)((left - (double)(time_t)left) * 1e9) };

		nanosleep(&d, NULL);
	}
}

int main(int argc, char **argv)
{
	static const double at[] = { 0, 1, 2, 5, 10 };
	struct wl_args args = wl_parse(argc > 3 ? 3 : argc, argv, 8);
	int npairs = args.threads / 2 ? args.threads / 2 : 1;
	struct pair *pairs = wl_malloc(sizeof(*pairs) * (size_t)npairs);
	pthread_t *tid = wl_malloc(sizeof(*tid) * 2 * (size_t)npairs);
	struct tally total = { 0 };
	struct timespec t0;

	if (argc > 3)
		park = strcmp(argv[3], "exit") != 0;
	for (int i = 0; i < npairs; i++) {
		memset(&pairs[i], 0, sizeof(pairs[i]));
		pthread_mutex_init(&pairs[i].lock, NULL);
		pthread_cond_init(&pairs[i].cond, NULL);
		pairs[i].id = i;
		pairs[i].count = wl_scaled(400000, args.scale) / npairs;
		if (pthread_create(&tid[2 * i], NULL, producer, &pairs[i]) ||
		    pthread_create(&tid[2 * i + 1], NULL, consumer, &pairs[i])) {
			fprintf(stderr, "pthread_create failed\n");
			return 3;
		}
	}
	pthread_mutex_lock(&idle_lock);
	while (consumers_done < npairs)
		pthread_cond_wait(&idle_cond, &idle_lock);
	pthread_mutex_unlock(&idle_lock);
	if (!park)
		for (int i = 0; i < 2 * npairs; i++)
			pthread_join(tid[i], NULL);
	printf("peak_kib %ld\n", proc_self_kib("VmHWM:"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		sleep_until(&t0, at[i]);
		printf("idle_rss %g %ld\n", at[i], proc_statm_rss_kib());
		fflush(stdout);
	}
	pthread_mutex_lock(&idle_lock);
	release_threads = 1;
	pthread_cond_broadcast(&idle_cond);
	pthread_mutex_unlock(&idle_lock);
	if (park)
		for (int i = 0; i < 2 * npairs; i++)
			pthread_join(tid[i], NULL);
	for (int i = 0; i < npairs; i++)
		tally_add(&total, &pairs[i].tally);
	free(tid);
	free(pairs);
	return wl_finish("idle_rss", &total);
}
