// SPDX-License-Identifier: GPL-2.0
/*
 * fork_stress.c - fork(), vfork(), posix_spawn() and system() from a
 * program whose threads keep allocating, run with libumm-malloc.so
 * preloaded (tests/malloc/fork_stress.sh; CTest runs a short version).
 *
 * N worker threads malloc and free blocks of 1..3000 bytes (and now and
 * then 8 KiB..6 MiB ones, which take the page allocator's and vmalloc's
 * locks), each block filled with a byte pattern that is checked before
 * its free; a quarter of the frees are of another thread's blocks, traded
 * through a mailbox of atomic slots (so that frees of other threads'
 * objects, which the allocator batches per slab, are pending at every
 * fork).  Churn threads keep creating short-lived threads, so that
 * threads start (their first allocation registers their slab slots) and
 * exit (their slots are handed back) all through the forks.  The main
 * thread forks: the child frees what the mailbox holds (blocks of the
 * parent's other threads), allocates 20,000 small blocks and 1 MiB, checks
 * them and every block the parent's workers held (a block the child's
 * allocator took for free would have been reused by then) and _exit()s; every few iterations it runs /bin/true through
 * posix_spawn(), vfork()+execve() or system() instead.
 *
 * With -g N it instead forks N times from a signal handler that interrupts
 * a thread in the middle of large allocations (inside the allocator's
 * locked paths): the child returns from the handler, lets the interrupted
 * allocation finish, allocates some more and exits.  fork() is not
 * async-signal-safe, but an allocator that deadlocks there (waiting for
 * the very thread that forks) turns a rare hang into a certain one.
 *
 * Watchdogs: the parent waits for each child at most a few seconds (a
 * child that does not finish is a hang: it is reported with the seed and
 * the iteration, and killed), and the whole run is under alarm().
 *
 * With -p each fork() copies a worker stopped by a signal wherever it
 * was (see pause_handler()).
 *
 * usage: fork_stress [-t threads] [-n iterations] [-s seed] [-T seconds]
 *                    [-c churn-threads (4)] [-g signal-forks [-b bystanders]] [-p]
 * exit status: 0 all children finished, 1 a hang or a failed child,
 * 2 the run's own watchdog fired (the parent hung).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_WORKERS	64
#define SLOTS		256
#define CHILD_TIMEOUT_MS 8000

static volatile int stop;
static unsigned long seed;
static volatile unsigned long iteration;
static const char *volatile what = "start";
static volatile pid_t current_child;	/* killed if the run's watchdog fires */

static uint64_t rnd(uint64_t *s)
{
	/* xorshift64*: small, fast, and reproducible from the seed */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void die_write(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(3);
}

static void on_alarm(int sig)
{
	char buf[200];

	(void)sig;
	snprintf(buf, sizeof(buf), "FAIL: run watchdog fired: seed %lu iteration %lu (%s)\n",
		 seed, iteration, what);
	die_write(buf);
	if (current_child > 0)
		kill(current_child, SIGKILL);	/* it would hold our output open */
	_exit(2);
}

static size_t pick_size(uint64_t *s)
{
	uint64_t r = rnd(s);

	if (r % 64 == 0)
		return 8192 + rnd(s) % (6u << 20);	/* large: pages or vmalloc */
	return 1 + rnd(s) % 3000;
}

static void fill(unsigned char *p, size_t n, unsigned char tag)
{
	memset(p, tag, n < 64 ? n : 64);
	p[n - 1] = tag;
}

static int check(const unsigned char *p, size_t n, unsigned char tag)
{
	for (size_t i = 0; i < (n < 64 ? n : 64); i++)
		if (p[i] != tag)
			return 0;
	return p[n - 1] == tag;
}

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static void corrupt(const char *who)
{
	char buf[200];

	snprintf(buf, sizeof(buf), "FAIL: %s: a block lost its contents: seed %lu iteration %lu\n",
		 who, seed, iteration);
	die_write(buf);
	_exit(1);
}

/*
 * A slot's block is published filled (its size and tag first, the
 * pointer last) and unpublished before its free, each store a release
 * one: whatever instant fork() copies the thread at, every block a
 * slot shows in the child is whole and not yet freed.
 */
static void slot_publish(struct slot *sl, unsigned char *p)
{
	__atomic_store_n(&sl->p, p, __ATOMIC_RELEASE);
}

static unsigned char *slot_take(struct slot *sl)
{
	unsigned char *p = sl->p;

	__atomic_store_n(&sl->p, NULL, __ATOMIC_RELEASE);
	return p;
}

/*
 * The mailbox: blocks handed from the thread that allocated them to
 * whichever thread next trades at the same slot, which frees them.
 * Atomic exchanges, no lock, so that a child of fork() can empty it.
 */
#define MAILBOX 512
static struct slot *mailbox[MAILBOX];

static void free_traded(struct slot *t, const char *who)
{
	if (!check(t->p, t->n, t->tag))
		corrupt(who);
	free(t->p);
	free(t);
}

/* Put @sl's block in a mailbox slot and free the block found there. */
static void trade_block(struct slot *sl, uint64_t *s, const char *who)
{
	struct slot *mine = malloc(sizeof(*mine)), *theirs;

	if (!mine) {
		die_write("FAIL: malloc returned NULL\n");
		_exit(1);
	}
	*mine = *sl;
	slot_take(sl);
	theirs = __atomic_exchange_n(&mailbox[rnd(s) % MAILBOX], mine, __ATOMIC_ACQ_REL);
	if (theirs)
		free_traded(theirs, who);
}

static void drain_mailbox(const char *who)
{
	for (unsigned int i = 0; i < MAILBOX; i++) {
		struct slot *t = __atomic_exchange_n(&mailbox[i], NULL, __ATOMIC_ACQ_REL);

		if (t)
			free_traded(t, who);
	}
}

static bool paused_forks;
static __thread bool small_blocks;	/* this thread allocates 1..512 bytes only */

/* Allocate and free at random over a table of live blocks. */
static void churn_blocks(struct slot *slots, unsigned int nslots, uint64_t *s, long rounds,
			 const char *who)
{
	for (long r = 0; rounds < 0 ? !stop : r < rounds; r++) {
		struct slot *sl = &slots[rnd(s) % nslots];

		if (sl->p) {
			if (!check(sl->p, sl->n, sl->tag))
				corrupt(who);
			if (rnd(s) % 4 == 0) {
				trade_block(sl, s, who);
				continue;
			}
			free(slot_take(sl));
		} else {
			unsigned char *p;

			sl->n = small_blocks ? 1 + rnd(s) % 512 : pick_size(s);
			sl->tag = (unsigned char)rnd(s);
			p = malloc(sl->n);
			if (!p) {
				die_write("FAIL: malloc returned NULL\n");
				_exit(1);
			}
			fill(p, sl->n, sl->tag);
			slot_publish(sl, p);
		}
	}
	for (unsigned int i = 0; i < nslots; i++) {
		if (slots[i].p && !check(slots[i].p, slots[i].n, slots[i].tag))
			corrupt(who);
		free(slots[i].p);
		slots[i].p = NULL;
	}
}

/* The workers' tables of live blocks, which a fork child checks. */
static struct slot *worker_slots[MAX_WORKERS];

static void *worker(void *arg)
{
	/* -p stops worker 0: it keeps to small blocks, the lockless paths' */
	small_blocks = paused_forks && !arg;
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + (uintptr_t)arg + 1;
	struct slot *slots = calloc(SLOTS, sizeof(*slots));

	if (!slots)
		_exit(1);
	__atomic_store_n(&worker_slots[(uintptr_t)arg], slots, __ATOMIC_RELEASE);
	churn_blocks(slots, SLOTS, &s, -1, "worker");
	__atomic_store_n(&worker_slots[(uintptr_t)arg], NULL, __ATOMIC_RELEASE);
	free(slots);
	return NULL;
}

/*
 * In the child: every block the parent's workers held when fork()
 * copied them is intact (the child handed those threads' per-thread
 * caches back: an object still listed free there while in use would be
 * freed under its owner, and the allocations below would reuse it).
 */
static void check_worker_blocks(void)
{
	for (unsigned int w = 0; w < MAX_WORKERS; w++) {
		struct slot *slots = __atomic_load_n(&worker_slots[w], __ATOMIC_ACQUIRE);

		for (unsigned int i = 0; slots && i < SLOTS; i++) {
			unsigned char *p = __atomic_load_n(&slots[i].p, __ATOMIC_ACQUIRE);

			if (p && !check(p, slots[i].n, slots[i].tag))
				corrupt("child, a parent thread's block");
		}
	}
}

/* A short life: the first allocation registers the thread, exit retires it. */
static void *short_thread(void *arg)
{
	uint64_t s = (uintptr_t)arg;
	struct slot slots[16] = { 0 };

	churn_blocks(slots, 16, &s, 32, "short thread");
	return NULL;
}

static void *churner(void *arg)
{
	uint64_t s = seed + 77 + (uintptr_t)arg;
	pthread_attr_t detached;

	pthread_attr_init(&detached);
	pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&detached, 256 << 10);
	while (!stop) {
		pthread_t t;
		uintptr_t a = (uintptr_t)rnd(&s) | 1;

		/* Half joined, half detached (which exit without anyone waiting). */
		if (a & 2) {
			if (!pthread_create(&t, NULL, short_thread, (void *)a))
				pthread_join(t, NULL);
		} else if (pthread_create(&t, &detached, short_thread, (void *)a)) {
			usleep(100);
		}
	}
	pthread_attr_destroy(&detached);
	return NULL;
}

/* The child of fork(): allocate, check, free, and leave without atexit. */
static void child_work(void)
{
	enum { N = 20000 };
	unsigned char **v = malloc(N * sizeof(*v));
	unsigned char *big = malloc(1 << 20);

	alarm(0);
	if (!v || !big)
		_exit(10);
	drain_mailbox("child");
	memset(big, 0x5a, 1 << 20);
	for (int i = 0; i < N; i++) {
		size_t n = 1 + (size_t)(i * 37) % 200;

		v[i] = malloc(n);
		if (!v[i])
			_exit(11);
		fill(v[i], n, (unsigned char)i);
	}
	check_worker_blocks();
	for (int i = 0; i < N; i++) {
		if (!check(v[i], 1 + (size_t)(i * 37) % 200, (unsigned char)i))
			_exit(12);
		free(v[i]);
	}
	if (big[12345] != 0x5a || big[(1 << 20) - 1] != 0x5a)
		_exit(13);
	free(big);
	free(v);
	_exit(0);
}

static int wait_child(pid_t pid, int *status);

/* ---- fork() from a signal handler (-g) ---- */

static volatile pid_t handler_child = -1;	/* set by the handler in the parent */
static volatile int in_child;

static void fork_in_handler(int sig)
{
	pid_t pid;

	(void)sig;
	pid = fork();
	if (pid == 0)
		in_child = 1;	/* finish what was interrupted, then child_work() */
	else
		handler_child = pid;
}

static void *large_allocator(void *arg)
{
	uint64_t s = seed + 99;

	(void)arg;
	while (!stop) {
		void *p = malloc(8192 + rnd(&s) % (256u << 10));

		if (in_child)
			child_work();
		if (!p)
			_exit(1);
		*(volatile char *)p = 1;
		free(p);
		if (in_child)
			child_work();
	}
	return NULL;
}

/*
 * Fork @n times from a handler on a thread that allocates, while
 * @bystanders more threads allocate alike (they contend for the locks
 * the interrupted thread may hold); 0 or hangs+failures.  With
 * bystanders, a child that hangs is counted apart and is no failure: it
 * may have been copied with a lock a bystander held (fork() in a handler
 * is best effort); the parent must never hang.
 */
static unsigned int signal_forks(unsigned int n, unsigned int bystanders)
{
	unsigned int bad = 0, stuck = 0;
	pthread_t t, by[MAX_WORKERS];

	signal(SIGUSR1, fork_in_handler);
	if (pthread_create(&t, NULL, large_allocator, NULL))
		return 1;
	for (unsigned int i = 0; i < bystanders; i++)
		if (pthread_create(&by[i], NULL, large_allocator, NULL))
			return 1;
	for (unsigned long i = 0; i < n; i++) {
		double deadline = now_ms() + CHILD_TIMEOUT_MS;
		int status = 0, r;

		iteration = i;
		what = "fork in a signal handler";
		handler_child = -1;
		usleep(200 + (useconds_t)(i * 37 % 500));
		pthread_kill(t, SIGUSR1);
		while (handler_child == -1 && now_ms() < deadline)
			usleep(100);
		if (handler_child == -1) {
			printf("HANG: seed %lu iteration %lu: fork() in a signal handler did not return\n",
			       seed, i);
			return bad + 1;	/* the thread is stuck: nothing more to learn */
		}
		r = handler_child < 0 ? -1 : wait_child(handler_child, &status);
		if (r == -2 && bystanders) {
			stuck++;
		} else if (r) {
			bad++;
			printf("%s: seed %lu iteration %lu: child of a fork() in a signal handler %s\n",
			       r == -2 ? "HANG" : "FAIL", seed, i, r == -2 ? "hung" : "failed");
		}
		fflush(stdout);
	}
	stop = 1;
	pthread_join(t, NULL);
	for (unsigned int i = 0; i < bystanders; i++)
		pthread_join(by[i], NULL);
	stop = 0;
	if (bystanders)
		printf("fork_stress: %u bystanders: %u of %u children stuck (best effort)\n",
		       bystanders, stuck, n);
	return bad;
}

/*
 * -p: before each fork(), stop worker 0 where a signal finds it, which
 * is anywhere in its loop (it allocates small blocks only, so mostly in
 * the allocator's lockless paths and the sheaf's flushes), and
 * fork() while it spins in the handler: the child gets that thread's
 * state at an arbitrary instruction (as a preempted thread's, but every
 * time).  A worker stopped inside the allocator's fork gate would make
 * fork() wait for it for ever: the handler gives up after PAUSE_MS.
 */
#define PAUSE_MS 20
static volatile int pause_state;	/* 0 idle, 1 asked, 2 stopped, 3 go on */

static void pause_handler(int sig)
{
	double deadline = now_ms() + PAUSE_MS;

	(void)sig;
	if (!__atomic_compare_exchange_n(&pause_state, &(int){ 1 }, 2, 0, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	while (__atomic_load_n(&pause_state, __ATOMIC_ACQUIRE) == 2 && now_ms() < deadline)
		;
}

/* Stop @t in its handler; false if it did not get there in time. */
static bool pause_thread(pthread_t t)
{
	double deadline = now_ms() + 200;

	__atomic_store_n(&pause_state, 1, __ATOMIC_RELEASE);
	if (pthread_kill(t, SIGUSR2))
		return false;
	while (__atomic_load_n(&pause_state, __ATOMIC_ACQUIRE) != 2)
		if (now_ms() > deadline)
			return false;
	return true;
}

static void resume_thread(void)
{
	__atomic_store_n(&pause_state, 3, __ATOMIC_RELEASE);
}

static const char *const kinds[] = { "fork", "posix_spawn", "vfork+exec", "system" };

/*
 * Wait for @pid at most CHILD_TIMEOUT_MS: 0 it exited with 0, -1 it
 * failed, -2 it hung (and was killed).
 */
static int wait_child_until(pid_t pid, int *status)
{
	double deadline = now_ms() + CHILD_TIMEOUT_MS;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return WIFEXITED(*status) && WEXITSTATUS(*status) == 0 ? 0 : -1;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -2;
		}
		usleep(200);
	}
}

static int wait_child(pid_t pid, int *status)
{
	int r;

	current_child = pid;
	r = wait_child_until(pid, status);
	current_child = 0;
	return r;
}

static pid_t start_child(int kind, pthread_t *to_pause)
{
	char *const argv[] = { "true", NULL };
	pid_t pid = -1;

	switch (kind) {
	case 0:
		if (to_pause)
			pause_thread(*to_pause);
		pid = fork();
		if (pid == 0)
			child_work();
		if (to_pause)
			resume_thread();
		break;
	case 1:
		if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ))
			pid = -1;
		break;
	case 2:
		pid = vfork();
		if (pid == 0) {
			execve("/bin/true", argv, environ);
			_exit(127);
		}
		break;
	}
	return pid;
}

int main(int argc, char **argv)
{
	unsigned int nthreads = 4, iterations = 200, run_seconds = 120, sigforks = 0;
	unsigned int bystanders = 0;
	pthread_t workers[MAX_WORKERS], churn[MAX_WORKERS];
	unsigned int nchurn = 4;
	unsigned int hangs = 0, failures = 0, counts[4] = { 0 };
	double worst = 0;
	int opt;

	seed = (unsigned long)time(NULL) ^ (unsigned long)getpid();
	while ((opt = getopt(argc, argv, "t:n:s:T:g:c:b:p")) != -1) {
		switch (opt) {
		case 't': nthreads = (unsigned int)atoi(optarg); break;
		case 'n': iterations = (unsigned int)atoi(optarg); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'T': run_seconds = (unsigned int)atoi(optarg); break;
		case 'g': sigforks = (unsigned int)atoi(optarg); break;
		case 'c': nchurn = (unsigned int)atoi(optarg); break;
		case 'b': bystanders = (unsigned int)atoi(optarg); break;
		case 'p': paused_forks = true; break;
		default:
			fprintf(stderr, "usage: %s [-t threads] [-n iterations] [-s seed] [-T seconds] [-g signal-forks [-b bystanders]] [-c churn-threads] [-p]\n",
				argv[0]);
			return 2;
		}
	}
	if (nthreads < 1 || nthreads > MAX_WORKERS || nchurn > MAX_WORKERS || !iterations ||
	    bystanders > MAX_WORKERS) {
		fprintf(stderr, "fork_stress: 1..%d threads, 0..%d churn threads, 1 or more iterations\n",
			MAX_WORKERS, MAX_WORKERS);
		return 2;
	}
	if (sigforks)
		printf("fork_stress: seed %lu, %u forks in a signal handler\n", seed, sigforks);
	else
		printf("fork_stress: seed %lu, %u threads, %u iterations\n", seed, nthreads, iterations);
	fflush(stdout);
	signal(SIGALRM, on_alarm);
	signal(SIGUSR2, pause_handler);
	alarm(run_seconds);
	if (sigforks) {
		unsigned int bad = signal_forks(sigforks, bystanders);

		printf("fork_stress: seed %lu: %u forks in a signal handler, %u hangs or failures\n",
		       seed, sigforks, bad);
		return bad ? 1 : 0;
	}

	for (uintptr_t i = 0; i < nthreads; i++)
		if (pthread_create(&workers[i], NULL, worker, (void *)i)) {
			fprintf(stderr, "FAIL: pthread_create\n");
			return 1;
		}
	for (uintptr_t i = 0; i < nchurn; i++)
		if (pthread_create(&churn[i], NULL, churner, (void *)i)) {
			fprintf(stderr, "FAIL: pthread_create\n");
			return 1;
		}

	uint64_t s = seed;
	for (unsigned long i = 0; i < iterations; i++) {
		int kind = (i % 8 != 7) ? 0 : (int)(1 + rnd(&s) % 3), status = 0, r;
		double t0 = now_ms();

		iteration = i;
		what = kinds[kind];
		if (kind == 3) {
			/* system() waits itself: time it, a hang trips the run's alarm. */
			r = system("true") == 0 ? 0 : -1;
		} else {
			pid_t pid = start_child(kind, paused_forks ?
						&workers[0] : NULL);

			r = pid < 0 ? -1 : wait_child(pid, &status);
		}
		if (now_ms() - t0 > worst)
			worst = now_ms() - t0;
		counts[kind]++;
		if (r == -2) {
			hangs++;
			printf("HANG: seed %lu iteration %lu: %s child did not finish in %d ms\n",
			       seed, i, kinds[kind], CHILD_TIMEOUT_MS);
		} else if (r) {
			failures++;
			printf("FAIL: seed %lu iteration %lu: %s child failed (status 0x%x)\n",
			       seed, i, kinds[kind], status);
		}
		fflush(stdout);
	}
	what = "joining threads";
	stop = 1;
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(workers[i], NULL);
	for (unsigned int i = 0; i < nchurn; i++)
		pthread_join(churn[i], NULL);
	alarm(0);
	printf("fork_stress: seed %lu: %u fork, %u posix_spawn, %u vfork+exec, %u system; "
	       "%u hangs, %u failures, slowest %.1f ms\n",
	       seed, counts[0], counts[1], counts[2], counts[3], hangs, failures, worst);
	return hangs || failures ? 1 : 0;
}
