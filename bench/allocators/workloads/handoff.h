/* SPDX-License-Identifier: GPL-2.0 */
/*
 * handoff.h - a bounded queue of batches from one producer thread to one
 * consumer thread (xmalloc.c, and bench/scaling_model.c's handoff): the
 * producer waits while HANDOFF_QUEUE batches are in flight, the consumer
 * while none is.
 */
#ifndef ALLOC_WORKLOAD_HANDOFF_H
#define ALLOC_WORKLOAD_HANDOFF_H

#include <pthread.h>
#include <string.h>

#define HANDOFF_QUEUE 8

struct handoff {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void *q[HANDOFF_QUEUE];
	unsigned int head, tail;	/* tail - head batches queued */
};

static inline void handoff_init(struct handoff *h)
{
	memset(h, 0, sizeof(*h));
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
}

static inline void handoff_put(struct handoff *h, void *batch)
{
	pthread_mutex_lock(&h->lock);
	while (h->tail - h->head == HANDOFF_QUEUE)
		pthread_cond_wait(&h->cond, &h->lock);
	h->q[h->tail++ % HANDOFF_QUEUE] = batch;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

static inline void *handoff_get(struct handoff *h)
{
	void *batch;

	pthread_mutex_lock(&h->lock);
	while (h->tail == h->head)
		pthread_cond_wait(&h->cond, &h->lock);
	batch = h->q[h->head++ % HANDOFF_QUEUE];
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	return batch;
}

#endif /* ALLOC_WORKLOAD_HANDOFF_H */
