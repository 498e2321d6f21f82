// SPDX-License-Identifier: GPL-2.0
/*
 * fork_api.c - fork() while other threads run every entry of the malloc
 * interface, run with libumm-malloc.so preloaded.
 *
 * Where fork_stress.c churns malloc()/free(), here the worker threads
 * pick at random among malloc, calloc, realloc (growing, shrinking, in
 * place or moving, across the small, large and huge ranges), memalign,
 * posix_memalign, aligned_alloc, valloc, pvalloc, reallocarray,
 * malloc_usable_size and malloc_trim; short-lived threads allocate, keep
 * blocks in thread-specific data whose destructor frees them and
 * allocates again, and exit; and now and then every thread pauses so
 * that the reclaim worker starts and runs its passes.  Every block
 * carries a header (its size and a tag) and a pattern drawn from the
 * tag, and is published in a table of atomic slots once filled and
 * unpublished before it is freed or reallocated.
 *
 * fork() comes from the main thread or from a worker.  The child
 * checks:
 *  - that every block the slots show is whole (header and pattern), so
 *    that no block the parent's threads held was freed or reused;
 *  - that its own heap is consistent: it allocates a few thousand blocks
 *    of every kind, fills them, and sorts them with the parent's blocks
 *    by address: no two may overlap, and each must be as aligned as asked;
 *  - that the parent's blocks are still whole after that, and that it
 *    can free them all and allocate again; then it _exit()s.
 *
 * Watchdogs: each child has CHILD_TIMEOUT_MS (a late child is a hang,
 * reported with the seed and killed), and the whole run is under alarm().
 *
 * CTest runs a short version; tests/malloc/fork_stress.sh runs it many
 * times with fresh seeds, e.g.
 *   fork_stress.sh build/libumm-malloc.so build/tests/fork_api 10 2 4 6 -- -n 40
 *
 * usage: fork_api [-t threads] [-n forks] [-s seed] [-T seconds]
 * exit status: 0 all children passed, 1 a hang or a failed check, 2 the
 * run's own watchdog fired (the parent hung).
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS	32
#define SLOTS		192
#define CHILD_TIMEOUT_MS 20000
#define CHILD_BLOCKS	3000

static volatile int stop;
static unsigned long seed;
static volatile unsigned long iteration;
static volatile pid_t current_child;

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static void say(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(3);
}

static void fail(const char *who, const char *why, const void *p)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "FAIL: %s: %s (block %p): seed %lu fork %lu\n", who, why, p,
		 seed, iteration);
	say(buf);
	_exit(1);
}

static void on_alarm(int sig)
{
	char buf[160];

	(void)sig;
	snprintf(buf, sizeof(buf), "FAIL: run watchdog fired: seed %lu fork %lu\n", seed,
		 iteration);
	say(buf);
	if (current_child > 0)
		kill(current_child, SIGKILL);
	_exit(2);
}

/*
 * A block: size and tag in its first 16 bytes, then bytes drawn from the
 * tag; large blocks are checked at a stride (and at their last byte).
 */
struct head {
	size_t size;
	uint64_t tag;
};

static unsigned char pat(uint64_t tag, size_t i)
{
	return (unsigned char)((tag >> (i % 7 * 8)) + i);
}

static size_t stride(size_t n)
{
	return n > 65536 ? 4093 : 1;
}

static void fill_from(unsigned char *p, size_t from, size_t n, uint64_t tag)
{
	struct head *h = (struct head *)p;

	h->size = n;
	h->tag = tag;
	for (size_t i = from > sizeof(*h) ? from : sizeof(*h); i < n; i += stride(n))
		p[i] = pat(tag, i);
	if (n > sizeof(*h))
		p[n - 1] = pat(tag, n - 1);
}

/* Bytes [sizeof(head), upto) of a block of @n bytes with @tag hold their pattern. */
static bool intact_upto(const unsigned char *p, size_t n, uint64_t tag, size_t upto)
{
	for (size_t i = sizeof(struct head); i < upto; i += stride(n))
		if (p[i] != pat(tag, i))
			return false;
	return upto <= sizeof(struct head) || upto < n || p[n - 1] == pat(tag, n - 1);
}

static bool intact(const unsigned char *p)
{
	const struct head *h = (const void *)p;

	return h->size >= sizeof(*h) && intact_upto(p, h->size, h->tag, h->size);
}

/* Published blocks: each slot's pointer, stored once the block is filled. */
struct slot {
	unsigned char *p;
	size_t align;	/* what it was allocated aligned to */
};

static struct slot *worker_slots[MAX_WORKERS];
static unsigned int nr_workers;

static void slot_publish(struct slot *sl, unsigned char *p, size_t align)
{
	sl->align = align;
	__atomic_store_n(&sl->p, p, __ATOMIC_RELEASE);
}

static unsigned char *slot_take(struct slot *sl)
{
	unsigned char *p = sl->p;

	__atomic_store_n(&sl->p, NULL, __ATOMIC_RELEASE);
	return p;
}

static size_t pick_size(uint64_t *s)
{
	switch (rnd(s) % 32) {
	case 0:
		return (4u << 20) + rnd(s) % (5u << 20);	/* huge: contig or vmalloc */
	case 1: case 2:
		return 8192 + rnd(s) % (1u << 20);		/* large: buddy pages */
	default:
		return sizeof(struct head) + rnd(s) % 2000;
	}
}

static size_t pick_align(uint64_t *s)
{
	unsigned int r = rnd(s) % 16;

	return r < 13 ? (size_t)16 << (r % 9) : (size_t)1 << (13 + r % 10);	/* to 4 MiB */
}

/* A new block by one of the interface's entries; *align: what it is aligned to. */
static unsigned char *new_block(uint64_t *s, size_t n, size_t *align, const char *who)
{
	void *p = NULL;
	size_t a = 16;
	unsigned int entry = (unsigned int)(rnd(s) % 9);

	switch (entry) {
	case 0:
		p = calloc(1, n);
		if (p && ((unsigned char *)p)[n / 2])
			fail(who, "calloc() block not zeroed", p);
		break;
	case 1:
		a = pick_align(s);
		p = memalign(a, n);
		break;
	case 2:
		a = pick_align(s);
		if (posix_memalign(&p, a, n))
			p = NULL;
		break;
	case 3:
		a = pick_align(s);
		p = aligned_alloc(a, n);
		break;
	case 4:
		a = 4096;
		p = rnd(s) & 1 ? valloc(n) : pvalloc(n);
		break;
	case 5:
		p = reallocarray(NULL, 1, n);
		break;
	default:
		p = malloc(n);
		break;
	}
	if (!p)
		fail(who, "allocation returned NULL", NULL);
	if ((uintptr_t)p % a)
		fail(who, "block misaligned", p);
	if (malloc_usable_size(p) < n) {
		char why[128];

		snprintf(why, sizeof(why), "malloc_usable_size() %zu below the %zu asked (entry %u, align %zu)",
			 malloc_usable_size(p), n, entry, a);
		fail(who, why, p);
	}
	*align = a;
	return p;
}

/* Reallocate a published block: the prefix must survive the move. */
static void realloc_slot(struct slot *sl, uint64_t *s, const char *who)
{
	unsigned char *p = slot_take(sl), *q;
	struct head h = *(struct head *)p;
	size_t n = rnd(s) % 3 ? pick_size(s) : h.size + rnd(s) % 64;
	uint64_t tag = rnd(s);

	if (n < sizeof(h))
		n = sizeof(h);
	q = realloc(p, n);
	if (!q)
		fail(who, "realloc() returned NULL", p);
	if (!intact_upto(q, h.size, h.tag, n < h.size ? n : h.size))
		fail(who, "realloc() lost the contents", q);
	fill_from(q, 0, n, tag);
	slot_publish(sl, q, 16);
}

static void drop_slot(struct slot *sl, const char *who)
{
	unsigned char *p = slot_take(sl);

	if (!intact(p))
		fail(who, "a block lost its contents", p);
	free(p);
}

static void *worker(void *arg)
{
	unsigned int id = (unsigned int)(uintptr_t)arg;
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + id + 1;
	struct slot *slots = worker_slots[id];

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		struct slot *sl = &slots[rnd(&s) % SLOTS];
		unsigned int r = rnd(&s) % 1000;

		if (r == 0) {
			malloc_trim(0);
		} else if (r == 1) {
			/* Idle a while: the reclaim worker starts and runs its passes. */
			usleep(20000);
		} else if (sl->p && r < 500) {
			if (!intact(sl->p))
				fail("worker", "a block lost its contents", sl->p);
			if (r < 150)
				realloc_slot(sl, &s, "worker");
			else
				drop_slot(sl, "worker");
		} else if (!sl->p) {
			size_t n = pick_size(&s), a;
			unsigned char *p = new_block(&s, n, &a, "worker");

			fill_from(p, 0, n, rnd(&s));
			slot_publish(sl, p, a);
		}
	}
	for (unsigned int i = 0; i < SLOTS; i++)
		if (slots[i].p)
			drop_slot(&slots[i], "worker");
	return NULL;
}

/*
 * Short-lived threads: their first allocation registers their slab
 * slots, and their thread-specific data's destructor frees and
 * allocates while they exit.
 */
static pthread_key_t tsd_key;

static void tsd_destructor(void *v)
{
	unsigned char **blocks = v;

	for (unsigned int i = 0; i < 8; i++) {
		if (!intact(blocks[i]))
			fail("tsd destructor", "a block lost its contents", blocks[i]);
		free(blocks[i]);
	}
	free(blocks);
	/* Allocate after the destructor has run once: a second round follows. */
	free(malloc(40));
}

static void *short_thread(void *arg)
{
	uint64_t s = (uintptr_t)arg;
	unsigned char **blocks = malloc(8 * sizeof(*blocks));

	if (!blocks)
		fail("short thread", "malloc returned NULL", NULL);
	for (unsigned int i = 0; i < 8; i++) {
		size_t n = sizeof(struct head) + rnd(&s) % 600, a;

		blocks[i] = new_block(&s, n, &a, "short thread");
		fill_from(blocks[i], 0, n, rnd(&s));
	}
	pthread_setspecific(tsd_key, blocks);
	return NULL;
}

static void *churner(void *arg)
{
	uint64_t s = seed ^ (uintptr_t)arg;
	pthread_attr_t detached;

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		pthread_t t;

		if (rnd(&s) & 1) {
			if (!pthread_create(&t, NULL, short_thread, (void *)(uintptr_t)rnd(&s)))
				pthread_join(t, NULL);
		} else if (pthread_create(&t, &detached, short_thread,
					  (void *)(uintptr_t)rnd(&s))) {
			usleep(1000);
		}
	}
	return NULL;
}

/* ---- the child ---- */

struct span {
	uintptr_t start, end;
	size_t align;
	int parents;	/* 1: a parent's block */
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void check_parents(const char *when)
{
	for (unsigned int w = 0; w < nr_workers; w++)
		for (unsigned int i = 0; i < SLOTS; i++) {
			unsigned char *p = worker_slots[w][i].p;

			if (p && !intact(p))
				fail("child", when, p);
		}
}

static void child_main(uint64_t s)
{
	static struct span spans[MAX_WORKERS * SLOTS + CHILD_BLOCKS];
	static unsigned char *mine[CHILD_BLOCKS];
	unsigned int n = 0;

	check_parents("a parent's block lost its contents at fork()");
	for (unsigned int w = 0; w < nr_workers; w++)
		for (unsigned int i = 0; i < SLOTS; i++) {
			struct slot *sl = &worker_slots[w][i];

			if (sl->p)
				spans[n++] = (struct span){ (uintptr_t)sl->p,
					(uintptr_t)sl->p + ((struct head *)sl->p)->size, sl->align, 1 };
		}
	for (unsigned int i = 0; i < CHILD_BLOCKS; i++) {
		size_t sz = rnd(&s) % 64 ? sizeof(struct head) + rnd(&s) % 3000 : pick_size(&s), a;

		mine[i] = new_block(&s, sz, &a, "child");
		fill_from(mine[i], 0, sz, rnd(&s));
		spans[n++] = (struct span){ (uintptr_t)mine[i], (uintptr_t)mine[i] + sz, a, 0 };
	}
	qsort(spans, n, sizeof(*spans), span_cmp);
	for (unsigned int i = 1; i < n; i++)
		if (spans[i].start < spans[i - 1].end) {
			char why[160];

			snprintf(why, sizeof(why), "blocks overlap: %#lx+%lu (%s) and %#lx (%s)",
				 (unsigned long)spans[i - 1].start,
				 (unsigned long)(spans[i - 1].end - spans[i - 1].start),
				 spans[i - 1].parents ? "parent's" : "child's",
				 (unsigned long)spans[i].start,
				 spans[i].parents ? "parent's" : "child's");
			fail("child", why, (void *)spans[i].start);
		}
	check_parents("a parent's block lost its contents to the child's allocations");
	for (unsigned int i = 0; i < CHILD_BLOCKS; i++) {
		if (!intact(mine[i]))
			fail("child", "a child's block lost its contents", mine[i]);
		free(mine[i]);
	}
	for (unsigned int w = 0; w < nr_workers; w++)
		for (unsigned int i = 0; i < SLOTS; i++)
			if (worker_slots[w][i].p)
				free(worker_slots[w][i].p);
	malloc_trim(0);
	for (unsigned int i = 0; i < CHILD_BLOCKS; i++) {
		size_t sz = sizeof(struct head) + rnd(&s) % 3000, a;

		mine[i] = new_block(&s, sz, &a, "child");
		fill_from(mine[i], 0, sz, rnd(&s));
	}
	for (unsigned int i = 0; i < CHILD_BLOCKS; i++)
		if (!intact(mine[i]))
			fail("child", "a child's block lost its contents after the frees", mine[i]);
	_exit(0);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * Where a hung child is: its state and wait channel, and with
 * $FORK_API_GDB set its threads' stacks (gdb attaches).
 */
static void show_hung(pid_t pid)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "grep -E '^(State|Threads)' /proc/%d/status >&2; echo \"wchan: $(cat /proc/%d/wchan)\" >&2",
		 (int)pid, (int)pid);
	if (system(cmd) < 0)
		perror("system");
	if (getenv("FORK_API_GDB")) {
		snprintf(cmd, sizeof(cmd),
			 "gdb -q -batch -p %d -ex 'thread apply all bt' >&2 2>/dev/null", (int)pid);
		if (system(cmd) < 0)
			perror("system");
	}
}

/* Wait for @pid at most CHILD_TIMEOUT_MS; false on a hang or a failure. */
static bool reap(pid_t pid)
{
	double deadline = now_ms() + CHILD_TIMEOUT_MS;
	int status;

	current_child = pid;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0 && errno != EINTR) {
			perror("waitpid");
			return false;
		}
		if (now_ms() > deadline) {
			fprintf(stderr, "FAIL: child hung: seed %lu fork %lu\n", seed, iteration);
			show_hung(pid);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return false;
		}
		usleep(1000);
	}
	current_child = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "FAIL: child %s %d: seed %lu fork %lu\n",
			WIFEXITED(status) ? "exited" : "killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), seed, iteration);
		return false;
	}
	return true;
}

static pid_t fork_child(uint64_t *s)
{
	uint64_t cs = rnd(s);
	pid_t pid = fork();

	if (pid == 0)
		child_main(cs);
	return pid;
}

/* A worker that forks: the child is made by a thread other than main. */
static void *forker(void *arg)
{
	uint64_t *s = arg;

	return (void *)(intptr_t)fork_child(s);
}

int main(int argc, char **argv)
{
	unsigned int threads = 4, churners = 2;
	unsigned long forks = 40, watchdog = 120;
	pthread_t workers[MAX_WORKERS], churn[2];
	uint64_t s;
	bool ok = true;
	int opt;

	seed = (unsigned long)time(NULL) ^ (unsigned long)getpid() << 16;
	while ((opt = getopt(argc, argv, "t:n:s:T:")) != -1) {
		switch (opt) {
		case 't':
			threads = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			forks = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'T':
			watchdog = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: fork_api [-t threads] [-n forks] [-s seed] [-T seconds]\n");
			return 1;
		}
	}
	if (threads < 1 || threads > MAX_WORKERS)
		threads = 4;
	printf("fork_api: seed %lu threads %u forks %lu\n", seed, threads, forks);
	fflush(stdout);
	signal(SIGALRM, on_alarm);
	alarm((unsigned int)watchdog);
	s = seed | 1;
	nr_workers = threads;
	pthread_key_create(&tsd_key, tsd_destructor);
	for (unsigned int i = 0; i < threads; i++) {
		worker_slots[i] = calloc(SLOTS, sizeof(struct slot));
		if (!worker_slots[i] ||
		    pthread_create(&workers[i], NULL, worker, (void *)(uintptr_t)i)) {
			fprintf(stderr, "FAIL: setup\n");
			return 1;
		}
	}
	for (unsigned int i = 0; i < churners; i++)
		if (pthread_create(&churn[i], NULL, churner, (void *)(uintptr_t)(i + 1))) {
			fprintf(stderr, "FAIL: setup\n");
			return 1;
		}
	for (iteration = 0; iteration < forks && ok; iteration++) {
		pid_t pid;

		usleep((useconds_t)(rnd(&s) % 20000));
		if (rnd(&s) % 3 == 0) {
			pthread_t t;
			void *ret;

			if (pthread_create(&t, NULL, forker, &s) || pthread_join(t, &ret)) {
				fprintf(stderr, "FAIL: forker thread\n");
				return 1;
			}
			pid = (pid_t)(intptr_t)ret;
		} else {
			pid = fork_child(&s);
		}
		if (pid < 0) {
			perror("fork");
			ok = false;
			break;
		}
		ok = reap(pid);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (unsigned int i = 0; i < threads; i++)
		pthread_join(workers[i], NULL);
	for (unsigned int i = 0; i < churners; i++)
		pthread_join(churn[i], NULL);
	printf("fork_api: %s after %lu forks\n", ok ? "ok" : "FAILED", iteration);
	return ok ? 0 : 1;
}
