// SPDX-License-Identifier: GPL-2.0
/*
 * stress_reclaim.c - the periodic reclaim worker (mm/vmstat.c) against
 * threads that allocate, free on other threads, start and exit, and a
 * main thread that forks, with umm.backing=anon (the fork gate on) and a
 * short decay (umm.reclaim_decay_ms=40: a pass every 10 ms).
 *
 *  - no worker before anything worth reporting was freed;
 *  - pairs of threads hand pages (orders 0 to 9) and kmalloc objects from
 *    producer to consumer, a spawner starts and joins short threads that
 *    allocate and free, and the main thread forks meanwhile: each child
 *    has no worker (the parent's is not copied), frees a block of the
 *    reporting order, waits for a worker of its own to report it, checks
 *    the page and slab invariants (which take every lock the worker
 *    takes) and exits (under ASan and TSan it only checks: see
 *    SANITIZER_RUNTIME);
 *  - the worker runs with every signal blocked;
 *  - the main thread runs the page invariant checker between forks, while
 *    the worker reports whole max-order blocks and defers their memmap
 *    again (mm/memory_hotplug.c's __memmap_redefer());
 *  - once everything is freed and the threads are gone, the worker gives
 *    every unreported block to the host within a generous bound, and some
 *    max-order blocks went back with their memmap;
 *  - umm_shutdown() joins it: its thread is gone after.
 * Every child and the whole run are under watchdogs; a failure names the
 * seed.
 *
 * Usage: stress_reclaim [seed] [steps]
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "tests/test.h"
#include "tests/proc_self.h"
#include "mm/internal.h"
#include "mm/slab.h"

#define PAIRS	3
#define QLEN	64
#define WORKER_COMM	"umm-vmstat"

static unsigned long long seed = 2718;
static long steps = 4000;

struct item {
	struct page *page;	/* or NULL: obj is a kmalloc object */
	void *obj;
	unsigned int order;
	unsigned long stamp;
};

struct pair {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct item q[QLEN];
	unsigned int head, tail;
	int done;
	int id;
	long bad;
};

static struct pair pairs[PAIRS];
static int stop_spawning;

/* The thread id of the worker (its comm), or 0 when there is none. */
static pid_t worker_tid(void)
{
	return thread_by_comm(WORKER_COMM);
}

static unsigned long unreported_pages(void)
{
	unsigned long n = 0;
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid))
			n += __atomic_load_n(&zone->nr_unreported, __ATOMIC_RELAXED);
	}
	return n;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait up to @ms for @cond(); true if it came. */
static bool wait_for(bool (*cond)(void), long ms)
{
	long end = now_ms() + ms;

	while (!cond()) {
		if (now_ms() > end)
			return false;
		usleep(2000);
	}
	return true;
}

static bool all_reported(void)
{
	return unreported_pages() == 0;
}

static bool worker_exists(void)
{
	return worker_tid() != 0;
}

static void stamp_item(struct item *it)
{
	*(unsigned long *)(it->page ? page_address(it->page) : it->obj) = it->stamp;
}

static bool item_ok(const struct item *it)
{
	return *(unsigned long *)(it->page ? page_address(it->page) : it->obj) == it->stamp;
}

static void free_item(struct item *it)
{
	if (it->page)
		__free_pages(it->page, it->order);
	else
		kfree(it->obj);
}

static void *producer(void *arg)
{
	struct pair *p = arg;
	unsigned long long s = seed * 31 + (unsigned long long)p->id;

	for (long i = 0; i < steps; i++) {
		unsigned long long r = test_splitmix64(&s);
		struct item it = { .stamp = r | 1 };

		if (r % 4 == 0) {
			it.order = (unsigned int)(r >> 8) % (pageblock_order + 1);
			it.page = alloc_pages(GFP_KERNEL, it.order);
		} else {
			it.obj = kmalloc(16 + (r >> 8) % 4000, GFP_KERNEL);
		}
		if (!it.page && !it.obj) {
			p->bad++;
			continue;
		}
		stamp_item(&it);
		pthread_mutex_lock(&p->lock);
		while (p->tail - p->head == QLEN)
			pthread_cond_wait(&p->cond, &p->lock);
		p->q[p->tail++ % QLEN] = it;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	pthread_mutex_lock(&p->lock);
	p->done = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pair *p = arg;

	for (;;) {
		struct item it;

		pthread_mutex_lock(&p->lock);
		while (p->head == p->tail && !p->done)
			pthread_cond_wait(&p->cond, &p->lock);
		if (p->head == p->tail) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		it = p->q[p->head++ % QLEN];
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		if (!item_ok(&it))
			__atomic_fetch_add(&p->bad, 1, __ATOMIC_RELAXED);
		free_item(&it);
	}
}

/* A short thread: a block of the reporting order and some objects, freed. */
static void *short_thread(void *arg)
{
	struct page *page = alloc_pages(GFP_KERNEL, pageblock_order);
	void *obj[8];

	(void)arg;
	for (int i = 0; i < 8; i++)
		obj[i] = kmalloc(64 << i, GFP_KERNEL);
	for (int i = 0; i < 8; i++)
		kfree(obj[i]);
	if (page)
		__free_pages(page, pageblock_order);
	return page ? NULL : (void *)1;
}

static void *spawner(void *arg)
{
	long bad = 0;

	(void)arg;
	while (!__atomic_load_n(&stop_spawning, __ATOMIC_ACQUIRE)) {
		pthread_t t[2];
		void *ret;

		for (int k = 0; k < 2; k++)
			if (pthread_create(&t[k], NULL, short_thread, NULL))
				return (void *)1;
		for (int k = 0; k < 2; k++)
			if (pthread_join(t[k], &ret) || ret)
				bad++;
	}
	return (void *)bad;
}

/*
 * ASan's and TSan's own allocators are not fork-safe for a thread started
 * in the child of a threaded parent: its start allocates and waits for
 * ever on an allocator lock that a parent thread held at fork() (seen:
 * __sanitizer::SizeClassAllocator64::GetFromAllocator() under
 * AsanThread::Init()).  Under them the child frees nothing, so that no
 * worker starts, and checks the rest.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZER_RUNTIME 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZER_RUNTIME 1
#endif
#endif
#ifndef SANITIZER_RUNTIME
#define SANITIZER_RUNTIME 0
#endif

static unsigned long child_reported0;

/*
 * The child's worker reported what it freed, or everything.  Not always
 * everything: the parent's objects in flight stay allocated in the child,
 * and a block whose isolation would take the zone below its min
 * watermark is not reported (__isolate_free_page()).
 */
static bool child_reported(void)
{
	return all_reported() ||
	       page_reporting_stat_reported() >= child_reported0 + pageblock_nr_pages;
}

/*
 * The child: one thread, no worker (the parent's is not copied); it frees
 * a block of the reporting order, which starts a worker of its own, and
 * waits for that one to report it.
 */
static int child(void)
{
	struct page *page;

	if (worker_tid())
		return 4;
	if (SANITIZER_RUNTIME)
		return umm_page_alloc_check() || umm_slab_check() ? 3 : 0;
	page = alloc_pages(GFP_KERNEL, pageblock_order);
	if (!page)
		return 5;
	memset(page_address(page), 0x5a, PAGE_SIZE);
	child_reported0 = page_reporting_stat_reported();
	__free_pages(page, pageblock_order);
	if (!wait_for(worker_exists, 10000))
		return 6;
	if (!wait_for(child_reported, 10000))
		return 7;
	if (umm_page_alloc_check() || umm_slab_check())
		return 3;
	return 0;
}

/* Fork once; a child that hangs is killed and counted. */
static int fork_once(void)
{
	long t0 = now_ms();
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(child());
	if (pid < 0)
		return -1;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				return 0;
			fprintf(stderr, "seed %llu: a fork child failed (status %#x)\n", seed, status);
			return -1;
		}
		if (now_ms() - t0 > 60000) {
			fprintf(stderr, "seed %llu: a fork child hung\n", seed);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -2;
		}
		usleep(500);
	}
}

static int reclaim_while_forking(void)
{
	pthread_t prod[PAIRS], cons[PAIRS], sp;
	unsigned long long mask;
	long bad = 0;
	int forks = 0, fork_errors = 0, err = 0;
	void *ret;
	pid_t tid;

	umm_shutdown();
	if (umm_boot("umm.backing=anon mem=64M umm.hotplug=1 umm.reclaim_decay_ms=40"))
		return 10;
	if (worker_tid()) {
		fprintf(stderr, "seed %llu: a worker before anything was freed\n", seed);
		return 11;
	}
	for (int i = 0; i < PAIRS; i++) {
		pthread_mutex_init(&pairs[i].lock, NULL);
		pthread_cond_init(&pairs[i].cond, NULL);
		pairs[i].id = i;
		if (pthread_create(&prod[i], NULL, producer, &pairs[i]) ||
		    pthread_create(&cons[i], NULL, consumer, &pairs[i]))
			return 12;
	}
	if (pthread_create(&sp, NULL, spawner, NULL))
		return 12;
	for (int i = 0; i < 40; i++) {
		int r = fork_once();

		forks++;
		fork_errors += r != 0;
		if (r == -2)
			break;
		/* Between forks, while the worker reports and defers memmap again. */
		if (umm_page_alloc_check()) {
			fprintf(stderr, "seed %llu: page invariants broken after fork %d\n", seed, i);
			return 19;
		}
	}
	for (int i = 0; i < PAIRS; i++) {
		pthread_join(prod[i], NULL);
		pthread_join(cons[i], NULL);
		bad += pairs[i].bad;
	}
	__atomic_store_n(&stop_spawning, 1, __ATOMIC_RELEASE);
	pthread_join(sp, &ret);
	bad += (long)ret;
	fprintf(stderr, "seed %llu: %d forks, %ld steps a producer\n", seed, forks, steps);
	if (bad || fork_errors) {
		fprintf(stderr, "seed %llu: %ld bad items, %d fork errors\n", seed, bad, fork_errors);
		return 13;
	}

	tid = worker_tid();
	if (!tid) {
		fprintf(stderr, "seed %llu: no worker after the frees\n", seed);
		return 14;
	}
	mask = proc_thread_sigblk(tid);
	if (!(mask & (1ULL << (SIGINT - 1))) || !(mask & (1ULL << (SIGTERM - 1))) ||
	    !(mask & (1ULL << (SIGUSR1 - 1))) || !(mask & (1ULL << (SIGALRM - 1)))) {
		fprintf(stderr, "seed %llu: the worker blocks only %#llx\n", seed, mask);
		err = 15;
	}
	/* Idle now: one decay (40 ms) and a few passes; 10 s is generous. */
	if (!err && !wait_for(all_reported, 10000)) {
		fprintf(stderr, "seed %llu: %lu pages still unreported after 10 s idle\n", seed,
			unreported_pages());
		err = 16;
	}
	if (!err && (umm_page_alloc_check() || umm_slab_check()))
		err = 17;
	/* Freed whole and reported, max-order blocks gave their memmap back. */
	if (!err && !page_reporting_stat_redeferred()) {
		fprintf(stderr, "seed %llu: no block was deferred again\n", seed);
		err = 20;
	}
	umm_shutdown();
	if (!err && worker_tid()) {
		fprintf(stderr, "seed %llu: the worker outlived umm_shutdown()\n", seed);
		err = 18;
	}
	return err;
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "seed %llu, %ld steps\n", seed, steps);
	return run_watched(reclaim_while_forking, 300, seed);
}
