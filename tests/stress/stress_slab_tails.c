// SPDX-License-Identifier: GPL-2.0
/*
 * stress_slab_tails.c - multi-page slabs' tail pages under cross-thread
 * frees, shrinks, destroys and fork().
 *
 * A tail page of a multi-page slab carries copies of its slab's cache
 * and frozen hint, and a cpu slot the byte span of its cpu slab's struct
 * pages (mm/slab.h: slab_set_tails(), slab_set_frozen(),
 * slab_cpu_set_slab()); kfree(), kmem_cache_free() and free() decide
 * from the object's own page.  Here threads share a table of slots:
 * each step takes a random slot and frees its object (most often another
 * thread's, in a tail page, while the allocating thread's cpu slab
 * changes under it) or fills it from a random cache of multi-page slabs
 * (SLUB's cpu-partial ones, a red-zoned and poisoned debug cache, and
 * kmalloc), and now and then shrinks a cache.  Objects are stamped over
 * their first and last words: one handed out twice, or a free lost to
 * another slab, shows as a broken stamp or a failed check.
 *
 * Memory is anonymous (umm.backing=anon): a fork() child's writes stay
 * its own; it grows by hot-add, and page reporting gives idle max-order
 * blocks back with their memmap (__memmap_redefer()), so that pages
 * that were slab tails come back with struct pages made anew.
 *
 * Every round all threads stop and the main thread checks the slabs
 * (umm_slab_check()) and every struct page of the memory map: a page
 * typed slab tail is a tail of a live slab with that slab's cache, and
 * every page of a slab has its head's frozen hint; no other page keeps
 * PG_owner_priv_1 (nothing else uses it).  Some rounds fork() while the
 * threads run: the child hands the threads' slots back, must find its
 * slabs consistent, allocates afresh without getting an object the
 * table holds, and frees what the table holds (slots busy at the fork
 * are left alone: their threads were cut mid-step).  At the end the
 * caches are destroyed (none may keep an object) and the memory map is
 * scanned again: no page keeps a tail's type or the destroyed caches;
 * once blocks have been given back, a new cache fills the memory again
 * and is checked the same way.
 *
 * The same executable runs on SLAB (umm.slab=slab in $UMM_CMDLINE).
 * Under run_watched(): a hang or a crash names the seed.
 *
 * Usage: stress_slab_tails [seed] [steps-per-thread]
 */
#include <pthread.h>
#include <sys/wait.h>
#include "tests/test.h"
#include "mm/slab.h"
#include "mm/internal.h"

#define NTHREADS	4
#define SLOTS		2048
#define ROUNDS		8
#define NCACHES		4

static unsigned long long seed = 1;
static long steps = 40000;

static struct kmem_cache *caches[NCACHES];
static const unsigned int sizes[NCACHES] = { 700, 1500, 3000, 1200 };
static const slab_flags_t flags[NCACHES] = {
	SLAB_NO_MERGE, SLAB_NO_MERGE, SLAB_NO_MERGE,
	SLAB_NO_MERGE | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
};

struct slot {
	int busy;		/* taken by a thread for one step */
	int cache;		/* -1: kmalloc */
	void *p;
	size_t size;
	unsigned long stamp;
};
static struct slot slots[SLOTS];
static pthread_barrier_t round_start, round_end;
static int failed;

static bool slot_trylock(struct slot *sl)
{
	return !__atomic_exchange_n(&sl->busy, 1, __ATOMIC_ACQUIRE);
}

static void slot_unlock(struct slot *sl)
{
	__atomic_store_n(&sl->busy, 0, __ATOMIC_RELEASE);
}

static void stamp_obj(struct slot *sl)
{
	memcpy(sl->p, &sl->stamp, sizeof(sl->stamp));
	memcpy((char *)sl->p + sl->size - sizeof(sl->stamp), &sl->stamp, sizeof(sl->stamp));
}

static bool stamp_ok(const struct slot *sl)
{
	unsigned long a, b;

	memcpy(&a, sl->p, sizeof(a));
	memcpy(&b, (char *)sl->p + sl->size - sizeof(b), sizeof(b));
	return a == sl->stamp && b == sl->stamp;
}

static void free_slot(struct slot *sl)
{
	if (!stamp_ok(sl)) {
		fprintf(stderr, "seed %llu: object %p (cache %d, %zu bytes) overwritten: handed out twice?\n",
			seed, sl->p, sl->cache, sl->size);
		abort();
	}
	if (sl->cache < 0)
		kfree(sl->p);
	else
		kmem_cache_free(caches[sl->cache], sl->p);
	sl->p = NULL;
}

static void fill_slot(struct slot *sl, unsigned long long *rng, unsigned long id)
{
	int which = (int)(test_splitmix64(rng) % (NCACHES + 1)) - 1;

	if (which < 0) {
		/* kmalloc's multi-page classes: 512 bytes up to 8 KiB */
		sl->size = 512 + test_splitmix64(rng) % 7680;
		sl->p = kmalloc(sl->size, GFP_KERNEL);
	} else {
		sl->size = sizes[which];
		sl->p = kmem_cache_alloc(caches[which], GFP_KERNEL);
	}
	if (!sl->p)
		return;
	sl->cache = which;
	sl->stamp = id;
	stamp_obj(sl);
}

static void *worker(void *arg)
{
	unsigned long t = (unsigned long)arg;
	unsigned long long rng = seed * 0x9e3779b97f4a7c15ULL + t;
	long per_round = steps / ROUNDS;

	for (int r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&round_start);
		for (long i = 0; i < per_round; i++) {
			struct slot *sl = &slots[test_splitmix64(&rng) % SLOTS];
			unsigned long x = test_splitmix64(&rng);

			if (x % 4096 == 0) {
				kmem_cache_shrink(caches[x / 4096 % NCACHES]);
				continue;
			}
			if (!slot_trylock(sl))
				continue;
			if (sl->p)
				free_slot(sl);
			else
				fill_slot(sl, &rng, (t << 48) | ((unsigned long)r << 32) |
						    (unsigned long)i);
			slot_unlock(sl);
		}
		pthread_barrier_wait(&round_end);
	}
	/*
	 * Exit only when the main thread's last scan is done: an exiting
	 * thread's slots are flushed (slabs freed, their tails cleared)
	 * by its destructors, which the scan must not race with.
	 */
	pthread_barrier_wait(&round_start);
	return NULL;
}

/*
 * Under ThreadSanitizer two parts stay out.  The fork() rounds: it
 * cannot follow a fork() of a threaded process whose child starts
 * threads (umm's reclaim worker).  The memory-map scan: it reads every
 * struct page without the locks that umm's own background work (the
 * cache reaper, the reclaim worker) takes to change them, by design a
 * racy observer; TSan would report its reads.  The plain, ASan and
 * debug builds run both; TSan still checks the workers and the locked
 * umm_slab_check().
 */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN	1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN	1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN	0
#endif
#define FORK_ROUNDS	(!UNDER_TSAN)

/*
 * Each page of the memory map against the slab it belongs to, if any;
 * the threads are stopped, so that every slab's hints are settled.  One
 * pass, printing what it finds when @loud.
 */
static int scan_mem_map_once(bool loud)
{
	int bad = 0;

	for (unsigned long pfn = 0; pfn < max_pfn && bad < 10; pfn++) {
		struct page *page = pfn_to_page(pfn), *head;

		if (memmap_pfn_deferred(pfn))
			continue;
		if (PageSlabTail(page)) {
			head = compound_head(page);
			if (!PageTail(page) || !PageSlab(head) || page->slab_cache != head->slab_cache ||
			    (unsigned long)(page - head) >= slab_nr_pages(head)) {
				if (loud)
					fprintf(stderr, "seed %llu: pfn %#lx: a slab tail of no live slab\n",
						seed, pfn);
				bad++;
			}
			continue;
		}
		if (PageSlab(page)) {
			unsigned long i = slab_tails_bad(page, page->slab_cache,
							 !!PageOwnerPriv1(page));

			if (i) {
				if (loud)
					fprintf(stderr, "seed %llu: pfn %#lx: slab's tail %lu lost its copies\n",
						seed, pfn, i);
				bad++;
			}
			continue;
		}
		if (PageOwnerPriv1(page)) {
			if (loud)
				fprintf(stderr, "seed %llu: pfn %#lx: PG_owner_priv_1 on a page of no slab (type %#x)\n",
					seed, pfn, page->page_type);
			bad++;
		}
	}
	return bad;
}

/*
 * The scan, twice if need be: umm's own background work (the cache
 * reaper, the reclaim worker) may free a slab while a pass reads it,
 * which that pass sees as a half-torn slab; a real loss of the copies
 * outlives the slab's freeing, and shows again 50 ms later.
 */
static int scan_mem_map(void)
{
	if (UNDER_TSAN || !scan_mem_map_once(false))
		return 0;
	usleep(50000);
	return scan_mem_map_once(true);
}

/*
 * The child of a fork() taken while the workers ran.  A slot busy at the
 * fork belongs to a thread cut mid-step: its object may be free already
 * (or not yet its slot's), so it is neither checked nor freed; every
 * other slot's object is live and must not be handed out again.
 */
static int fork_child(void)
{
	enum { NEW = 256 };
	static void *fresh[NEW];
	int bad = 0;

	for (int i = 0; i < SLOTS; i++)
		if (__atomic_load_n(&slots[i].busy, __ATOMIC_RELAXED))
			slots[i].p = NULL;
	if (umm_slab_check() || scan_mem_map())
		bad = 1;
	for (int i = 0; i < NEW; i++) {
		fresh[i] = kmalloc(sizes[i % NCACHES], GFP_KERNEL);
		for (int j = 0; fresh[i] && j < SLOTS; j++)
			if (slots[j].p == fresh[i]) {
				fprintf(stderr, "seed %llu: the fork child got %p, which slot %d holds\n",
					seed, fresh[i], j);
				bad = 1;
			}
		if (fresh[i])
			memset(fresh[i], 0x5a, sizes[i % NCACHES]);
	}
	for (int i = 0; i < NEW; i++)
		kfree(fresh[i]);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p)
			free_slot(&slots[i]);	/* stamps checked */
	if (umm_slab_check() || scan_mem_map())
		bad = 1;
	return bad;
}


static int fork_and_check(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return 0;
	if (pid == 0)
		_exit(fork_child());
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "seed %llu: the fork() child failed (status %#x)\n", seed, status);
		return 1;
	}
	return 0;
}

/*
 * Idle, with every slab gone: wait for page reporting to give back
 * whole blocks (a second at most), then fill memory with a new cache's
 * multi-page slabs, over struct pages made anew, and check them.
 */
static int refill_after_redefer(void)
{
	enum { N = 4096 };
	static void *objs[N];
	unsigned long before = page_reporting_stat_redeferred();
	struct kmem_cache *s;
	int bad = 0;

	for (int ms = 0; ms < 1000 && page_reporting_stat_redeferred() == before; ms += 10)
		usleep(10000);
	s = kmem_cache_create("tails-refill", 3000, 0, SLAB_NO_MERGE, NULL);
	if (!s)
		return 1;
	for (int i = 0; i < N; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		if (objs[i])
			memset(objs[i], i, 3000);
	}
	if (umm_slab_check() || scan_mem_map())
		bad = 1;
	for (int i = 0; i < N; i++) {
		if (i % 2)
			kfree(objs[i]);
		else if (objs[i])
			kmem_cache_free(s, objs[i]);
	}
	kmem_cache_shrink(s);
	if (kmem_cache_destroy(s) || umm_slab_check() || scan_mem_map())
		bad = 1;
	return bad;
}

static int run(void)
{
	pthread_t th[NTHREADS];
	int forks = 0;

	if (umm_boot("umm.backing=anon mem=64M umm.hotplug=1 umm.reclaim_decay_ms=20"))
		return 1;
	for (int i = 0; i < NCACHES; i++) {
		char name[32];

		snprintf(name, sizeof(name), "tails-%u-%d", sizes[i], i);
		caches[i] = kmem_cache_create(name, sizes[i], 0, flags[i], NULL);
		if (!caches[i])
			return 1;
	}
	pthread_barrier_init(&round_start, NULL, NTHREADS + 1);
	pthread_barrier_init(&round_end, NULL, NTHREADS + 1);
	for (unsigned long t = 0; t < NTHREADS; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (int r = 0; r < ROUNDS && !failed; r++) {
		pthread_barrier_wait(&round_start);
		if (FORK_ROUNDS && r % 2) {
			for (int f = 0; f < 4 && !failed; f++) {
				usleep(2000);
				failed |= fork_and_check();
				forks++;
			}
		}
		pthread_barrier_wait(&round_end);
		if (umm_slab_check() || scan_mem_map()) {
			fprintf(stderr, "seed %llu: round %d: the slabs are inconsistent\n", seed, r);
			failed = 1;
		}
	}
	if (failed)	/* the workers wait at the next round's start: exit */
		return 1;
	pthread_barrier_wait(&round_start);	/* the workers may exit now */
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p)
			free_slot(&slots[i]);
	for (int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
			if (kmalloc_caches[t][i])
				kmem_cache_shrink(kmalloc_caches[t][i]);
	for (int i = 0; i < NCACHES; i++) {
		kmem_cache_shrink(caches[i]);
		if (kmem_cache_destroy(caches[i])) {
			fprintf(stderr, "seed %llu: cache %d kept objects\n", seed, i);
			return 1;
		}
	}
	if (umm_slab_check() || umm_page_alloc_check() || scan_mem_map())
		return 1;
	if (refill_after_redefer())
		return 1;
	fprintf(stderr, "stress_slab_tails: seed %llu, %d threads x %ld steps, %d forks, %lu blocks redeferred: ok\n",
		seed, NTHREADS, steps, forks, page_reporting_stat_redeferred());
	umm_shutdown();
	return 0;
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "stress_slab_tails: seed %llu, %ld steps a thread\n", seed, steps);
	return run_watched(run, 300, seed);
}
