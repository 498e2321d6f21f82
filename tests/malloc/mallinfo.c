// SPDX-License-Identifier: GPL-2.0
/*
 * mallinfo.c - mallinfo(), mallinfo2(), malloc_stats() and malloc_info()
 * on libumm-malloc.so (malloc/malloc_stats.c), run preloaded.
 *
 * mallinfo check: known amounts of small (slab classes), large (8 KiB to
 *   4 MiB: kmalloc_large()) and huge (above 4 MiB, page runs and a
 *   vmalloc area) blocks make uordblks and hblkhd grow by at least
 *   what malloc_usable_size() says the blocks hold, and by at most that
 *   plus umm's rounding: for small blocks the slabs' tails (an eighth at
 *   most) and the slabs a thread keeps per class (its cpu slab, cpu
 *   partial slabs and sheaf count as in use, see malloc_stats.c),
 *   SMALL_SLACK per class; for large blocks the power-of-two pages of
 *   kmalloc_large(); huge blocks take whole pages; the figures fall back
 *   after free(); arena == uordblks + fordblks, mallinfo() is
 *   mallinfo2() cut to int; malloc_info() writes <malloc ...> into a
 *   memory stream (whose buffer malloc() gives: the call must not hold
 *   an allocator lock), and fails with EINVAL for options != 0 or no
 *   FILE; malloc_stats()'s figures agree with mallinfo2()'s, a 4.5 GiB
 *   block making both wrap as glibc's do.
 * mallinfo shape: malloc_stats() on stderr and malloc_info() on stdout
 *   after a few allocations, for mallinfo.sh to compare with glibc's.
 * mallinfo threads [-t threads] [-s seed] [-T seconds]: threads that
 *   allocate and free blocks of every range, call malloc_trim() and
 *   start threads that allocate and exit, and one allocates and frees
 *   huge blocks, while others call the four (and fork, the child calling
 *   them too); no crash, no deadlock (the
 *   watchdog reports the seed), and every snapshot is consistent and
 *   counts the small blocks held throughout in uordblks.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* mallinfo() is deprecated (glibc 2.33): it is one of the calls under test. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#define KiB (1UL << 10)
#define MiB (1UL << 20)
/* Per class: a cpu slab, its cpu partial slabs and a sheaf (see the head comment). */
#define SMALL_SLACK (512 * KiB)
/* Above 2^32 bytes: mallinfo() and malloc_stats() cut the figures. */
#define WIDE (4UL * 1024 * MiB + 512 * MiB)
/* Anything else umm allocates meanwhile (its own kernel objects). */
#define OTHER_SLACK (256 * KiB)

static int fails;
static int err_fd = 2;	/* the threads mode points fd 2 at /dev/null */
static unsigned long seed;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(err_fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf)) < 0)
		_exit(3);
}

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			say("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			say(__VA_ARGS__);				\
			say("\n");					\
			__atomic_add_fetch(&fails, 1, __ATOMIC_RELAXED); \
		}							\
	} while (0)

/* The invariants every snapshot keeps. */
static void check_snapshot(const struct mallinfo2 *m)
{
	CHECK(m->arena == m->uordblks + m->fordblks, "arena %zu uord %zu ford %zu", m->arena,
	      m->uordblks, m->fordblks);
	CHECK(m->fsmblks <= m->fordblks, "fsm %zu ford %zu", m->fsmblks, m->fordblks);
	CHECK(m->keepcost <= m->fordblks, "keep %zu ford %zu", m->keepcost, m->fordblks);
	CHECK(m->usmblks == 0, "usmblks %zu", m->usmblks);
	CHECK(m->hblks <= m->hblkhd / 4096, "hblks %zu hblkhd %zu", m->hblks, m->hblkhd);
	CHECK(m->smblks == 0 || m->fsmblks >= 16 * m->smblks, "smblks %zu fsmblks %zu",
	      m->smblks, m->fsmblks);
}

static struct mallinfo2 snap(void)
{
	struct mallinfo2 m = mallinfo2();

	check_snapshot(&m);
	return m;
}

/* ---- check ---- */

struct batch {
	void *p[8192];
	size_t n, requested, usable;
};

static void batch_alloc(struct batch *b, size_t size, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		void *p = malloc(size);

		if (!p || b->n == sizeof(b->p) / sizeof(b->p[0])) {
			CHECK(0, "malloc(%zu) failed or batch full", size);
			return;
		}
		memset(p, 0x5a, size < 64 ? size : 64);
		b->p[b->n++] = p;
		b->requested += size;
		b->usable += malloc_usable_size(p);
	}
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->p[i]);
	memset(b, 0, sizeof(*b));
}

static size_t roundup_pow2_pages(size_t size)
{
	size_t r = 4096;

	while (r < size)
		r <<= 1;
	return r;
}

static struct batch small_b, large_b, huge_b;

static void check_small(void)
{
	static const size_t sizes[] = { 24, 100, 1000, 5000 };
	struct mallinfo2 m0 = snap(), m1, m2;
	size_t classes = sizeof(sizes) / sizeof(sizes[0]), slack = classes * SMALL_SLACK;

	for (size_t i = 0; i < classes; i++)
		batch_alloc(&small_b, sizes[i], 2000);
	m1 = snap();
	if (getenv("MALLINFO_VERBOSE"))
		say("small: usable %zu, uordblks grew %ld\n", small_b.usable,
		    (long)(m1.uordblks - m0.uordblks));
	/* Objects the thread already held at m0 count there: the slack. */
	CHECK(m1.uordblks + slack >= m0.uordblks + small_b.usable,
	      "small: uordblks %zu -> %zu for %zu bytes usable", m0.uordblks, m1.uordblks,
	      small_b.usable);
	/* The slabs' tails: SLUB's orders leave at most a sixteenth, mostly. */
	CHECK(m1.uordblks <= m0.uordblks + small_b.usable + small_b.usable / 8 + slack +
				     OTHER_SLACK,
	      "small: uordblks %zu -> %zu for %zu bytes usable", m0.uordblks, m1.uordblks,
	      small_b.usable);
	CHECK(small_b.usable >= small_b.requested, "usable %zu", small_b.usable);
	CHECK(m1.hblkhd == m0.hblkhd, "small: hblkhd %zu -> %zu", m0.hblkhd, m1.hblkhd);
	batch_free(&small_b);
	m2 = snap();
	if (getenv("MALLINFO_VERBOSE"))
		say("small freed: uordblks %ld from the start\n", (long)(m2.uordblks - m0.uordblks));
	CHECK(m2.uordblks <= m0.uordblks + slack + OTHER_SLACK,
	      "small freed: uordblks %zu -> %zu", m0.uordblks, m2.uordblks);
	CHECK(m2.fordblks >= m0.fordblks, "small freed: fordblks %zu -> %zu", m0.fordblks,
	      m2.fordblks);
}

static void check_large(void)
{
	static const size_t sizes[] = { 8 * KiB + 1, 20000, 100 * KiB, MiB, 3 * MiB + 5, 4 * MiB };
	struct mallinfo2 m0 = snap(), m1, m2;
	size_t bound = 0;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		batch_alloc(&large_b, sizes[i], 2);
		bound += 2 * roundup_pow2_pages(sizes[i]);
	}
	m1 = snap();
	CHECK(large_b.usable == bound, "large: usable %zu, 2^order pages %zu", large_b.usable,
	      bound);
	CHECK(m1.uordblks >= m0.uordblks + large_b.requested,
	      "large: uordblks %zu -> %zu for %zu bytes", m0.uordblks, m1.uordblks,
	      large_b.requested);
	CHECK(m1.uordblks <= m0.uordblks + bound + OTHER_SLACK,
	      "large: uordblks %zu -> %zu for %zu bytes in 2^order pages", m0.uordblks,
	      m1.uordblks, bound);
	CHECK(m1.arena >= m1.uordblks, "arena %zu uord %zu", m1.arena, m1.uordblks);
	CHECK(m1.hblks == m0.hblks && m1.hblkhd == m0.hblkhd, "large: hblkhd %zu -> %zu",
	      m0.hblkhd, m1.hblkhd);
	batch_free(&large_b);
	m2 = snap();
	CHECK(m2.uordblks <= m0.uordblks + OTHER_SLACK, "large freed: uordblks %zu -> %zu",
	      m0.uordblks, m2.uordblks);
	CHECK(m2.uordblks + bound >= m1.uordblks, "large freed: uordblks %zu -> %zu",
	      m1.uordblks, m2.uordblks);
}

static void check_huge(void)
{
	static const size_t sizes[] = { 4 * MiB + 1, 5 * MiB, 7 * MiB + 3, 16 * MiB };
	struct mallinfo2 m0 = snap(), m1, m2;
	size_t n = sizeof(sizes) / sizeof(sizes[0]), pages = 0;
	void *aligned = NULL;

	for (size_t i = 0; i < n; i++) {
		batch_alloc(&huge_b, sizes[i], 1);
		pages += (sizes[i] + 4095) & ~(size_t)4095;
	}
	/* Above KMALLOC_MAX_SIZE and aligned: a vmalloc area. */
	CHECK(posix_memalign(&aligned, 8 * MiB, 6 * MiB) == 0, "posix_memalign");
	m1 = snap();
	CHECK(huge_b.usable == pages, "huge: usable %zu, pages %zu", huge_b.usable, pages);
	CHECK(m1.hblks == m0.hblks + n + 1, "huge: hblks %zu -> %zu", m0.hblks, m1.hblks);
	CHECK(m1.hblkhd == m0.hblkhd + pages + malloc_usable_size(aligned),
	      "huge: hblkhd %zu -> %zu for %zu + %zu bytes", m0.hblkhd, m1.hblkhd, pages,
	      malloc_usable_size(aligned));
	CHECK(m1.hblkhd >= m0.hblkhd + huge_b.requested + 6 * MiB, "huge: hblkhd %zu -> %zu",
	      m0.hblkhd, m1.hblkhd);
	CHECK(m1.uordblks <= m0.uordblks + OTHER_SLACK, "huge: uordblks %zu -> %zu",
	      m0.uordblks, m1.uordblks);
	batch_free(&huge_b);
	free(aligned);
	m2 = snap();
	CHECK(m2.hblks == m0.hblks && m2.hblkhd == m0.hblkhd, "huge freed: %zu/%zu -> %zu/%zu",
	      m0.hblks, m0.hblkhd, m2.hblks, m2.hblkhd);
}

/*
 * mallinfo() is mallinfo2() with each figure converted to int as glibc
 * does (modulo 2^32: hblkhd of a 4.5 GiB block reads 512 MiB), read
 * while nothing moves.
 */
static void check_mallinfo(void)
{
	for (int tries = 0; tries < 100; tries++) {
		struct mallinfo2 a = mallinfo2(), b;
		struct mallinfo m = mallinfo();

		b = mallinfo2();
		if (memcmp(&a, &b, sizeof(a)))
			continue;	/* the reclaim worker moved something */
#define SAME(f) CHECK(m.f == (int)b.f, #f " %d, mallinfo2 %zu", m.f, b.f)
		SAME(arena); SAME(ordblks); SAME(smblks); SAME(hblks); SAME(hblkhd);
		SAME(usmblks); SAME(fsmblks); SAME(uordblks); SAME(fordblks); SAME(keepcost);
#undef SAME
		return;
	}
	CHECK(0, "mallinfo2() never the same twice in 100 tries");
}

static void check_info(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	void *big = malloc(6 * MiB);
	struct mallinfo2 m = snap();
	char want[96];

	errno = 0;
	CHECK(malloc_info(1, stdout) == -1 && errno == EINVAL, "options 1: errno %d", errno);
	errno = 0;
	CHECK(malloc_info(0, NULL) == -1 && errno == EINVAL, "no FILE: errno %d", errno);
	fp = open_memstream(&text, &len);	/* its buffer comes from umm's malloc() */
	CHECK(fp != NULL, "open_memstream");
	if (!fp)
		return;
	CHECK(malloc_info(0, fp) == 0, "malloc_info");
	fclose(fp);
	CHECK(!strncmp(text, "<malloc version=\"1\">\n<heap nr=\"0\">\n", 35), "%.60s", text);
	CHECK(len > 10 && !strcmp(text + len - 10, "</malloc>\n"), "%s", text);
	snprintf(want, sizeof(want), "<total type=\"mmap\" count=\"%zu\" size=\"%zu\"/>", m.hblks,
		 m.hblkhd);
	CHECK(strstr(text, want) != NULL, "%s not in\n%s", want, text);
	free(text);
	free(big);
}

/*
 * malloc_stats()'s lines, read back through a pipe on fd 2, with a block
 * of @size live: glibc's figures are unsigned int but the last, so that
 * with 4.5 GiB of mmap the totals wrap.
 */
static void check_stats(size_t size)
{
	unsigned int sys0, use0, sys, use, regions;
	unsigned long max_bytes;
	int fds[2], saved = dup(2);
	char buf[1024];
	ssize_t n;
	void *big = malloc(size);
	struct mallinfo2 m;

	CHECK(big != NULL, "malloc(%zu)", size);
	CHECK(pipe(fds) == 0, "pipe");
	dup2(fds[1], 2);
	malloc_stats();
	m = snap();
	dup2(saved, 2);
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	CHECK(sscanf(buf, "Arena 0:\nsystem bytes     = %10u\nin use bytes     = %10u\n"
		      "Total (incl. mmap):\nsystem bytes     = %10u\nin use bytes     = %10u\n"
		      "max mmap regions = %10u\nmax mmap bytes   = %10lu\n",
		      &sys0, &use0, &sys, &use, &regions, &max_bytes) == 6, "%s", buf);
	CHECK(sys - sys0 == (unsigned int)m.hblkhd && use - use0 == (unsigned int)m.hblkhd,
	      "mmap part %u, %u; hblkhd %zu", sys - sys0, use - use0, m.hblkhd);
	CHECK(use0 <= sys0, "in use %u > system %u", use0, sys0);
	/* check_huge() had 5 at once, 38 MiB and 8 KiB. */
	CHECK(regions >= 5 && regions >= m.hblks && max_bytes >= 38 * MiB && max_bytes >= size &&
	      max_bytes >= m.hblkhd, "max %u regions %lu bytes", regions, max_bytes);
	free(big);
}

static int check(void)
{
	const char *preload = getenv("LD_PRELOAD");
	void *volatile first, *volatile wide;

	if (!preload || !strstr(preload, "umm-malloc")) {
		say("FAIL: run me with libumm-malloc.so in LD_PRELOAD\n");
		return 1;
	}
	first = malloc(1);	/* umm boots (volatile: not elided) */
	free(first);
	check_small();
	check_large();
	check_huge();
	/* Never touched: a run of pages that costs its memmap only (~72 MiB). */
	wide = malloc(WIDE);
	CHECK(wide != NULL, "malloc(%lu)", WIDE);
	check_mallinfo();
	free(wide);
	check_mallinfo();
	check_info();
	check_stats(5 * MiB);
	check_stats(WIDE);
	if (!fails)
		printf("mallinfo check: ok\n");
	return fails != 0;
}

/* ---- shape ---- */

/* Free objects in slabs off the thread's hands (malloc_info()'s <size>), and a huge block. */
static int shape(void)
{
	void *small[2000], *huge;

	for (int i = 0; i < 2000; i++)
		small[i] = malloc((size_t)(i % 4) * 100 + 1);
	huge = malloc(6 * MiB);
	memset(huge, 1, 4096);
	for (int i = 0; i < 2000; i += 2)
		free(small[i]);
	fflush(stdout);
	malloc_stats();
	if (malloc_info(0, stdout))
		return 1;
	fflush(stdout);
	for (int i = 1; i < 2000; i += 2)
		free(small[i]);
	free(huge);
	return 0;
}

/* ---- threads ---- */

static volatile int stop;
static unsigned long nr_calls, nr_forks;

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A thread that allocates into its parent's slots and exits: its slabs go back. */
static void *short_lived(void *arg)
{
	void **slots = arg;

	for (unsigned int i = 0; i < 32; i++) {
		free(slots[i]);
		slots[i] = malloc(64 + i * 61);
	}
	return NULL;
}

static void *churn(void *arg)
{
	uint64_t s = seed * 0x9e3779b97f4a7c15ULL + (uintptr_t)arg + 1;
	void *slots[64] = { 0 };
	unsigned long n = 0;

	while (!stop) {
		unsigned int i = next(&s) % 64, kind = next(&s) % 100;
		pthread_t t;

		/* malloc_trim() and a thread's exit while the others read the figures */
		if (++n % 997 == 0)
			malloc_trim(0);
		if (n % 509 == 0 && !pthread_create(&t, NULL, short_lived, slots))
			pthread_join(t, NULL);
		size_t size = kind < 90 ? next(&s) % 2048 + 1 :
			      kind < 99 ? next(&s) % (4 * MiB) + 8 * KiB : next(&s) % (8 * MiB) + 4 * MiB + 1;

		free(slots[i]);
		slots[i] = malloc(size);
		if (slots[i])
			memset(slots[i], (int)i, size < 256 ? size : 256);
	}
	for (int i = 0; i < 64; i++)
		free(slots[i]);
	return NULL;
}

/*
 * Small blocks held from before the threads start to the end: every
 * snapshot's uordblks counts them.  The churn frees at most its own
 * live small blocks (well under half of these) between the figures'
 * reads, so a snapshot below half of them has lost a huge block's
 * bytes from arena while contig still counted it, or the reverse.
 */
#define HELD_BLOCKS 40000
static void *held[HELD_BLOCKS];
static size_t held_bytes;

static void *huge_churn(void *arg)
{
	uint64_t s = seed ^ 0x5bd1e995ULL ^ (uintptr_t)arg;

	while (!stop) {
		void *p = malloc(4 * MiB + 1 + next(&s) % (4 * MiB));

		if (p)
			memset(p, 1, 64);
		free(p);
	}
	return NULL;
}

static void stats_once(unsigned int what, FILE *null)
{
	struct mallinfo2 m;
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	switch (what % 4) {
	case 0:
		m = snap();
		CHECK(m.uordblks >= held_bytes / 2, "uordblks %zu with %zu bytes held (hblkhd %zu)",
		      m.uordblks, held_bytes, m.hblkhd);
		break;
	case 1:
		(void)mallinfo();
		break;
	case 2:
		malloc_stats();		/* fd 2 is /dev/null */
		break;
	default:
		fp = open_memstream(&text, &len);
		if (fp) {
			CHECK(malloc_info(0, fp) == 0, "malloc_info");
			fclose(fp);
			CHECK(len > 10 && !strcmp(text + len - 10, "</malloc>\n"), "malloc_info tail");
			free(text);
		}
		CHECK(malloc_info(0, null) == 0, "malloc_info to /dev/null");
		break;
	}
}

static void *stats_thread(void *arg)
{
	uint64_t s = seed ^ ((uintptr_t)arg << 32);
	FILE *null = fopen("/dev/null", "w");
	unsigned long n = 0;

	while (!stop) {
		stats_once((unsigned int)next(&s), null);
		__atomic_add_fetch(&nr_calls, 1, __ATOMIC_RELAXED);
		if (++n % 64 == 0) {
			pid_t pid = fork();
			int status;

			if (pid == 0) {
				for (unsigned int k = 0; k < 4; k++)
					stats_once(k, null);
				_exit(fails != 0);
			}
			if (pid > 0) {
				__atomic_add_fetch(&nr_forks, 1, __ATOMIC_RELAXED);
				CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
				      WEXITSTATUS(status) == 0, "fork child status %#x", status);
			}
		}
	}
	if (null)
		fclose(null);
	return NULL;
}

static void on_alarm(int sig)
{
	char buf[96];
	int n = snprintf(buf, sizeof(buf), "FAIL: watchdog fired (deadlock?): seed %lu\n", seed);

	(void)sig;
	if (write(err_fd, buf, (size_t)n) < 0)
		_exit(2);
	_exit(2);
}

static int threads(int argc, char **argv)
{
	unsigned int nthreads = 4, seconds = 4, watchdog;
	pthread_t tids[17];
	int opt, null_fd;

	seed = (unsigned long)time(NULL) ^ (unsigned long)getpid() << 16;
	while ((opt = getopt(argc, argv, "t:s:T:")) != -1) {
		if (opt == 't')
			nthreads = (unsigned int)strtoul(optarg, NULL, 0);
		else if (opt == 's')
			seed = strtoul(optarg, NULL, 0);
		else if (opt == 'T')
			seconds = (unsigned int)strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	if (nthreads < 2 || nthreads > 16)
		nthreads = 4;
	printf("mallinfo threads: seed %lu threads %u seconds %u\n", seed, nthreads, seconds);
	fflush(stdout);
	watchdog = seconds * 10 + 30;
	signal(SIGALRM, on_alarm);
	alarm(watchdog);
	/* malloc_stats() writes to fd 2: to /dev/null, failures to the old fd 2. */
	err_fd = dup(2);
	null_fd = open("/dev/null", O_WRONLY);
	dup2(null_fd, 2);
	close(null_fd);
	for (unsigned int i = 0; i < HELD_BLOCKS; i++) {
		held[i] = malloc(100);
		held_bytes += malloc_usable_size(held[i]);
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_create(&tids[i], NULL, i % 2 ? stats_thread : churn, (void *)(uintptr_t)i);
	pthread_create(&tids[nthreads], NULL, huge_churn, NULL);
	/* The main thread reads mallinfo2() meanwhile, as fast as it can. */
	for (time_t end = time(NULL) + seconds; time(NULL) < end;)
		for (int i = 0; i < 1000; i++)
			stats_once(0, NULL);
	stop = 1;
	for (unsigned int i = 0; i <= nthreads; i++)
		pthread_join(tids[i], NULL);
	for (unsigned int i = 0; i < HELD_BLOCKS; i++)
		free(held[i]);
	(void)snap();
	if (fails)
		say("FAIL: seed %lu\n", seed);
	else
		printf("mallinfo threads: ok (%lu calls, %lu forks)\n", nr_calls, nr_forks);
	return fails != 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "check"))
		return check();
	if (argc > 1 && !strcmp(argv[1], "shape"))
		return shape();
	if (argc > 1 && !strcmp(argv[1], "threads"))
		return threads(argc - 1, argv + 1);
	fprintf(stderr, "usage: mallinfo check | shape | threads [-t n] [-s seed] [-T s]\n");
	return 2;
}
