// SPDX-License-Identifier: GPL-2.0
/*
 * stress_slub_exit.c - threads whose last allocations and frees come
 * after slub's thread-exit handler, while another thread forks.
 *
 * umm is booted with anon backing (the fork gate on).  Short-lived
 * threads allocate from a plain and a debugged cache, keep some objects
 * in a pthread key whose destructor hands them to a second key, and that
 * one's destructor (a round after slub's own) allocates, frees, and
 * frees the objects kept.  Meanwhile the main thread forks; each child
 * allocates, checks the slab invariants and exits, under a watchdog.  At
 * the end every object must be back: a slot re-made for an exiting
 * thread would keep the late frees in its sheaf for ever.
 *
 * Usage: stress_slub_exit [seed] [threads]
 */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include "tests/test.h"
#include "mm/slab.h"

#define KEEP 8
#define NCACHES 2

/*
 * ThreadSanitizer finishes a thread in the last destructor round, and
 * code run after that crashes inside it: there the late work comes a
 * round earlier (still after slub's destructor, so the same slow path,
 * but a slot re-made then would be destroyed in the last round).
 */
#if defined(__SANITIZE_THREAD__)
#define LATE_ROUND (PTHREAD_DESTRUCTOR_ITERATIONS - 1)
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LATE_ROUND (PTHREAD_DESTRUCTOR_ITERATIONS - 1)
#endif
#endif
#ifndef LATE_ROUND
#define LATE_ROUND PTHREAD_DESTRUCTOR_ITERATIONS
#endif

static unsigned long long seed = 777;
static long nthreads = 600;
static struct kmem_cache *caches[NCACHES];
static pthread_key_t keep_key;
static int stop_forking;

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct kept {
	void *obj[NCACHES][KEEP];
	unsigned long stamp;
	int round;
};

static void stamp_obj(void *p, unsigned long stamp)
{
	*(unsigned long *)p = stamp;
}

static int stamp_ok(const void *p, unsigned long stamp)
{
	return *(const unsigned long *)p == stamp;
}

static int bad_stamps;

/* The last destructor round, after slub's: allocate, free, free what was kept. */
static void last_round(struct kept *k)
{
	for (int c = 0; c < NCACHES; c++) {
		void *p = kmem_cache_alloc(caches[c], GFP_KERNEL | __GFP_ZERO);

		if (!p || *(unsigned long *)p)
			__atomic_fetch_add(&bad_stamps, 1, __ATOMIC_RELAXED);
		kmem_cache_free(caches[c], p);
		for (int i = 0; i < KEEP; i++) {
			if (!stamp_ok(k->obj[c][i], k->stamp))
				__atomic_fetch_add(&bad_stamps, 1, __ATOMIC_RELAXED);
			kmem_cache_free(caches[c], k->obj[c][i]);
		}
	}
	kfree(k);
}

static void keep_dtor(void *arg)
{
	struct kept *k = arg;

	if (++k->round < LATE_ROUND)
		pthread_setspecific(keep_key, k);
	else
		last_round(k);
}

static void *short_thread(void *arg)
{
	unsigned long long s = seed + (unsigned long)arg;
	struct kept *k = kmalloc(sizeof(*k), GFP_KERNEL);
	void *tmp[16];

	if (!k)
		return (void *)1;
	k->stamp = rnd(&s);
	k->round = 0;
	for (int c = 0; c < NCACHES; c++) {
		for (int i = 0; i < 16; i++)
			tmp[i] = kmem_cache_alloc(caches[c], GFP_KERNEL);
		for (int i = 0; i < KEEP; i++) {
			k->obj[c][i] = kmem_cache_alloc(caches[c], GFP_KERNEL);
			if (!k->obj[c][i])
				return (void *)1;
			stamp_obj(k->obj[c][i], k->stamp);
		}
		for (int i = 0; i < 16; i++)
			kmem_cache_free(caches[c], tmp[i]);
	}
	pthread_setspecific(keep_key, k);
	return NULL;
}

static void *spawner(void *arg)
{
	long bad = 0;

	(void)arg;
	for (long i = 0; i < nthreads; i += 4) {
		pthread_t t[4];
		void *ret;

		for (int k = 0; k < 4; k++)
			if (pthread_create(&t[k], NULL, short_thread, (void *)(i + k)))
				return (void *)1;
		for (int k = 0; k < 4; k++)
			if (pthread_join(t[k], &ret) || ret)
				bad++;
	}
	__atomic_store_n(&stop_forking, 1, __ATOMIC_RELEASE);
	return (void *)bad;
}

/* The child allocates, checks, exits; a child that hangs is killed and counted. */
static int fork_once(void)
{
	struct timespec t0, t;
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		void *p[64];

		for (int i = 0; i < 64; i++)
			p[i] = kmem_cache_alloc(caches[i % NCACHES], GFP_KERNEL);
		for (int i = 0; i < 64; i++)
			kmem_cache_free(caches[i % NCACHES], p[i]);
		_exit(umm_slab_check() ? 3 : 0);
	}
	if (pid < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10) {
			fprintf(stderr, "seed %llu: a fork child hung\n", seed);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -2;
		}
		usleep(200);
	}
}

TEST(late_frees_while_forking)
{
	struct slabinfo si;
	pthread_t sp;
	void *bad;
	int forks = 0, fork_errors = 0;

	umm_shutdown();
	ASSERT_EQ(umm_boot("umm.backing=anon mem=128M slub_debug=FZPU,exit-debug"), 0);
	caches[0] = kmem_cache_create("exit-plain", 64, 0, SLAB_NO_MERGE, NULL);
	caches[1] = kmem_cache_create("exit-debug", 96, 0, SLAB_NO_MERGE, NULL);
	ASSERT(caches[0] && caches[1]);
	/* slub's key exists now (boot allocated): ours is destroyed after it. */
	ASSERT_EQ(pthread_key_create(&keep_key, keep_dtor), 0);

	ASSERT_EQ(pthread_create(&sp, NULL, spawner, NULL), 0);
	while (!__atomic_load_n(&stop_forking, __ATOMIC_ACQUIRE)) {
		int r = fork_once();

		forks++;
		fork_errors += r != 0;
		if (r == -2)
			break;
	}
	ASSERT_EQ(pthread_join(sp, &bad), 0);
	EXPECT_EQ((long)bad, 0);
	EXPECT_EQ(fork_errors, 0);
	EXPECT_EQ(bad_stamps, 0);
	fprintf(stderr, "seed %llu: %ld threads, %d forks\n", seed, nthreads, forks);

	ASSERT_EQ(umm_slab_check(), 0);
	for (int c = 0; c < NCACHES; c++) {
		kmem_cache_shrink(caches[c]);
		get_slabinfo(caches[c], &si);
		EXPECT_EQ(si.active_objs, 0);
		EXPECT_EQ(kmem_cache_destroy(caches[c]), 0);
	}
	pthread_key_delete(keep_key);
	umm_shutdown();
}

int main(int argc, char **argv)
{
	if (argc > 1)
		seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		nthreads = strtol(argv[2], NULL, 0);
	fprintf(stderr, "seed %llu, %ld threads\n", seed, nthreads);
	alarm(300);	/* the watchdog: a hang is a failure */
	RUN(late_frees_while_forking);
	TEST_EXIT();
}
