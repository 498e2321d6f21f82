// SPDX-License-Identifier: GPL-2.0
/*
 * stress_slub.c - randomized stress of the slab layer.
 *
 * Phase 1, one thread: random kmem_cache_alloc/free and kmalloc/kfree of
 * random sizes over several caches, objects stamped and checked on free,
 * umm_slab_check() after every step.
 * Phase 2, producer/consumer threads: producers allocate and pass objects
 * through a ring to consumers that free them (every free is remote),
 * and a thread or two exit half way (their slabs must come back).
 * Both end with every cache empty after kmem_cache_shrink(), and the page
 * allocator's free count back where it started.
 *
 * Usage: stress_slub [seed] [steps]
 */
#include <pthread.h>
#include "tests/test.h"
#include "mm/slab.h"

static unsigned long long seed = 4242;
static long steps = 20000;

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

#define NCACHES 4
static struct kmem_cache *caches[NCACHES];
static const unsigned int sizes[NCACHES] = { 24, 200, 1500, 5000 };

struct obj {
	void *p;
	int cache;		/* -1: kmalloc */
	size_t size;
	unsigned long stamp;
};

static void stamp(struct obj *o)
{
	memcpy(o->p, &o->stamp, sizeof(o->stamp));
	memcpy((char *)o->p + o->size - sizeof(o->stamp), &o->stamp, sizeof(o->stamp));
}

static void verify_and_free(struct obj *o)
{
	unsigned long a, b;

	memcpy(&a, o->p, sizeof(a));
	memcpy(&b, (char *)o->p + o->size - sizeof(b), sizeof(b));
	if (a != o->stamp || b != o->stamp) {
		fprintf(stderr, "object %p (size %zu) overwritten: handed out twice?\n", o->p,
			o->size);
		abort();
	}
	if (o->cache < 0)
		kfree(o->p);
	else
		kmem_cache_free(caches[o->cache], o->p);
	o->p = NULL;
}

static bool alloc_obj(struct obj *o, unsigned long long *s, unsigned long id)
{
	int which = (int)(rnd(s) % (NCACHES + 1)) - 1;

	if (which < 0) {
		o->size = 16 + rnd(s) % 12000;
		o->p = kmalloc(o->size, GFP_KERNEL);
	} else {
		o->size = sizes[which];
		o->p = kmem_cache_alloc(caches[which], GFP_KERNEL);
	}
	if (!o->p)
		return false;
	o->cache = which;
	o->stamp = id;
	stamp(o);
	return true;
}

static void make_caches(void)
{
	for (int i = 0; i < NCACHES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "stress-%u", sizes[i]);
		caches[i] = kmem_cache_create(name, sizes[i], 0, SLAB_NO_MERGE, NULL);
		ASSERT(caches[i]);
	}
}

static void destroy_caches(void)
{
	for (int i = 0; i < NCACHES; i++) {
		kmem_cache_shrink(caches[i]);
		EXPECT_EQ(kmem_cache_destroy(caches[i]), 0);
	}
}

TEST(single_thread_with_checker)
{
	enum { SLOTS = 512 };
	static struct obj slots[SLOTS];
	unsigned long long s = seed;
	unsigned long free0;

	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=128M numa=fake=2"), 0);
	make_caches();
	drain_all_pages(NULL);
	free0 = nr_free_pages() + umm_pcp_pages();
	for (long i = 0; i < steps; i++) {
		struct obj *o = &slots[rnd(&s) % SLOTS];

		if (o->p)
			verify_and_free(o);
		else
			alloc_obj(o, &s, (unsigned long)i);
		if (i % 8 == 0 && umm_slab_check()) {
			fprintf(stderr, "seed %llu: slab invariant broken after step %ld\n", seed, i);
			ASSERT(0);
		}
	}
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p)
			verify_and_free(&slots[i]);
	ASSERT_EQ(umm_slab_check(), 0);
	destroy_caches();
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
			if (kmalloc_caches[t][i])
				kmem_cache_shrink(kmalloc_caches[t][i]);
	drain_all_pages(NULL);
	/* Only the kmem_cache slab for the 4 destroyed caches may differ. */
	EXPECT(nr_free_pages() + umm_pcp_pages() + 16 >= free0);
	ASSERT_EQ(umm_page_alloc_check(), 0);
	umm_shutdown();
}

/* A ring of objects from producers to consumers. */
#define RING 1024
static struct obj ring[RING];
static unsigned int ring_head, ring_tail;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ring_cond = PTHREAD_COND_INITIALIZER;
static int producers_left;

static void *producer(void *arg)
{
	unsigned long long s = seed + (unsigned long)arg * 31;
	long n = steps / ((unsigned long)arg % 2 ? 2 : 1);	/* odd ones exit early */

	for (long i = 0; i < n; i++) {
		struct obj o;

		if (!alloc_obj(&o, &s, ((unsigned long)arg << 40) | (unsigned long)i))
			continue;
		pthread_mutex_lock(&ring_lock);
		while (ring_head - ring_tail == RING)
			pthread_cond_wait(&ring_cond, &ring_lock);
		ring[ring_head++ % RING] = o;
		pthread_cond_broadcast(&ring_cond);
		pthread_mutex_unlock(&ring_lock);
	}
	pthread_mutex_lock(&ring_lock);
	producers_left--;
	pthread_cond_broadcast(&ring_cond);
	pthread_mutex_unlock(&ring_lock);
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		struct obj o;

		pthread_mutex_lock(&ring_lock);
		while (ring_head == ring_tail && producers_left)
			pthread_cond_wait(&ring_cond, &ring_lock);
		if (ring_head == ring_tail) {
			pthread_mutex_unlock(&ring_lock);
			return NULL;
		}
		o = ring[ring_tail++ % RING];
		pthread_cond_broadcast(&ring_cond);
		pthread_mutex_unlock(&ring_lock);
		verify_and_free(&o);
	}
}

TEST(producer_consumer_cross_thread)
{
	enum { NPROD = 3, NCONS = 2 };
	pthread_t p[NPROD], c[NCONS];

	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=256M"), 0);
	make_caches();
	producers_left = NPROD;
	for (long i = 0; i < NPROD; i++)
		pthread_create(&p[i], NULL, producer, (void *)i);
	for (long i = 0; i < NCONS; i++)
		pthread_create(&c[i], NULL, consumer, NULL);
	for (int i = 0; i < NPROD; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < NCONS; i++)
		pthread_join(c[i], NULL);
	ASSERT_EQ(umm_slab_check(), 0);
	/* Every thread that touched the caches has exited: all is free. */
	for (int i = 0; i < NCACHES; i++) {
		struct slabinfo si;

		kmem_cache_shrink(caches[i]);
		get_slabinfo(caches[i], &si);
		EXPECT_EQ(si.active_objs, 0);
		EXPECT_EQ(si.num_slabs, 0);
	}
	/* Remote frees reached the slabs: directly or through the sheaves. */
	EXPECT(slub_stat_sum(caches[1], FREE_SLOWPATH) + slub_stat_sum(caches[1], SHEAF_FLUSH) > 0);
	destroy_caches();
	ASSERT_EQ(umm_page_alloc_check(), 0);
	umm_shutdown();
}

int main(int argc, char **argv)
{
	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		steps = strtol(argv[2], NULL, 0);
	fprintf(stderr, "seed %llu, %ld steps\n", seed, steps);
	RUN(single_thread_with_checker);
	RUN(producer_consumer_cross_thread);
	TEST_EXIT();
}
