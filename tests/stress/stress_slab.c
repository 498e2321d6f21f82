// SPDX-License-Identifier: GPL-2.0
/*
 * stress_slab.c - randomized concurrent stress of the classic SLAB
 * allocator (mm/slab.c, umm.slab=slab, numa=fake=2).
 *
 * Four workers allocate from three caches and kmalloc, on either node
 * or none, stamp each object, and free half of what they free into a
 * shared ring for another worker to free (remote frees reach the alien
 * caches when the nodes differ); one thread retunes the caches through
 * /proc/slabinfo (good lines and refused ones), runs the reaper for a
 * random CPU and shrinks a cache.  Every object is checked on free; at
 * the end the invariant checker (umm_slab_check()) must pass, every
 * cache must shrink to nothing, and the page allocator's free count come
 * back.  The worker runs under a watchdog; the seed is printed.
 *
 * Usage: stress_slab [seed] [steps]
 */
#include <errno.h>
#include <pthread.h>
#include "tests/test.h"
#include "mm/slab.h"

static unsigned long long seed = 1107;
static long steps = 2000000;

#define NCACHES		3
#define NWORKERS	4
#define RING		256
static struct kmem_cache *caches[NCACHES];
static const unsigned int sizes[NCACHES] = { 40, 300, 2100 };
static const char *const names[NCACHES] = { "stress_a", "stress_b", "stress_c" };

struct obj {
	void *p;
	int cache;		/* -1: kmalloc */
	unsigned int size;
	unsigned long stamp;
};

static struct obj ring[RING];
static unsigned int ring_len;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static int stop;
static int failed;

static void stamp(struct obj *o)
{
	memcpy(o->p, &o->stamp, sizeof(o->stamp));
	memcpy((char *)o->p + o->size - sizeof(o->stamp), &o->stamp, sizeof(o->stamp));
}

static void check_and_free(struct obj *o)
{
	unsigned long a, b;

	memcpy(&a, o->p, sizeof(a));
	memcpy(&b, (char *)o->p + o->size - sizeof(b), sizeof(b));
	if (a != o->stamp || b != o->stamp) {
		fprintf(stderr, "seed %llu: object %p (size %u) overwritten: handed out twice?\n",
			seed, o->p, o->size);
		__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
	}
	if (o->cache < 0)
		kfree(o->p);
	else
		kmem_cache_free(caches[o->cache], o->p);
}

static bool new_obj(struct obj *o, unsigned long long *r, unsigned long stampv)
{
	int node = (int)(test_splitmix64(r) % 3) - 1;	/* -1 (any), 0, 1 */

	o->cache = (int)(test_splitmix64(r) % (NCACHES + 1)) - 1;
	if (o->cache < 0) {
		o->size = 16 + (unsigned int)(test_splitmix64(r) % 3000);
		o->p = kmalloc_node(o->size, GFP_KERNEL, node);
	} else {
		o->size = sizes[o->cache];
		o->p = kmem_cache_alloc_node(caches[o->cache], GFP_KERNEL, node);
	}
	if (!o->p)
		return false;
	o->stamp = stampv;
	stamp(o);
	return true;
}

static void *worker(void *arg)
{
	unsigned long long r = seed * 131 + (unsigned long)arg;
	struct obj held[64];
	unsigned int nheld = 0;

	for (long i = 0; i < steps && !__atomic_load_n(&failed, __ATOMIC_RELAXED); i++) {
		unsigned int op = (unsigned int)(test_splitmix64(&r) % 8);

		if (op < 4 && nheld < 64) {
			if (new_obj(&held[nheld], &r, ((unsigned long)arg << 48) | (unsigned long)i))
				nheld++;
		} else if (op < 6 && nheld) {
			unsigned int k = (unsigned int)(test_splitmix64(&r) % nheld);

			check_and_free(&held[k]);
			held[k] = held[--nheld];
		} else if (nheld) {	/* hand it to whoever frees next from the ring */
			struct obj o = held[--nheld];

			pthread_mutex_lock(&ring_lock);
			if (ring_len < RING) {
				ring[ring_len++] = o;
				o.p = NULL;
			} else {
				struct obj other = ring[--ring_len];

				ring[ring_len++] = o;
				o = other;
			}
			pthread_mutex_unlock(&ring_lock);
			if (o.p)
				check_and_free(&o);
		}
	}
	while (nheld)
		check_and_free(&held[--nheld]);
	return NULL;
}

static void *tuner(void *arg)
{
	unsigned long long r = seed ^ 0x5151;
	char line[128];

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		unsigned int c = (unsigned int)(test_splitmix64(&r) % NCACHES);
		int limit = (int)(test_splitmix64(&r) % 130), batch = (int)(test_splitmix64(&r) % 70);
		int shared = (int)(test_splitmix64(&r) % 10);

		switch (test_splitmix64(&r) % 4) {
		case 0:	/* a good or a quietly refused line */
			snprintf(line, sizeof(line), "%s %d %d %d", names[c], limit, batch, shared);
			if (umm_proc_write("/proc/slabinfo", line, strlen(line)) != (ssize_t)strlen(line))
				__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
			break;
		case 1:
			slab_cache_reap((unsigned int)(test_splitmix64(&r) % nr_cpu_ids));
			break;
		case 2:
			kmem_cache_shrink(caches[c]);
			break;
		default:
			if (umm_proc_write("/proc/slabinfo", "stress_x 1 1 1", 14) != -EINVAL)
				__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
		}
		usleep(200);
	}
	return NULL;
}

static int run(void)
{
	pthread_t w[NWORKERS], t;
	unsigned long free0;

	if (umm_boot("umm.slab=slab mem=256M numa=fake=2 loglevel=3") || !slab_classic)
		return 1;
	for (int i = 0; i < NCACHES; i++) {
		caches[i] = kmem_cache_create(names[i], sizes[i], 0, SLAB_NO_MERGE, NULL);
		if (!caches[i])
			return 1;
	}
	drain_all_pages(NULL);
	free0 = nr_free_pages() + umm_pcp_pages();
	pthread_create(&t, NULL, tuner, NULL);
	for (long i = 0; i < NWORKERS; i++)
		pthread_create(&w[i], NULL, worker, (void *)i);
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(w[i], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	while (ring_len)
		check_and_free(&ring[--ring_len]);
	if (umm_slab_check()) {
		fprintf(stderr, "seed %llu: slab invariants broken\n", seed);
		return 1;
	}
	for (int i = 0; i < NCACHES; i++) {
		if (kmem_cache_shrink(caches[i])) {
			fprintf(stderr, "seed %llu: %s keeps slabs after all was freed\n", seed,
				names[i]);
			return 1;
		}
		if (kmem_cache_destroy(caches[i]))
			return 1;
	}
	drain_all_pages(NULL);
	if (nr_free_pages() + umm_pcp_pages() > free0) {
		fprintf(stderr, "seed %llu: more pages free than at the start\n", seed);
		return 1;
	}
	umm_shutdown();
	return failed;
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "seed %llu, %ld steps\n", seed, steps);
	return run_watched(run, 300, seed);
}
