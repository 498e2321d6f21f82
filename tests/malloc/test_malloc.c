// SPDX-License-Identifier: GPL-2.0
/*
 * test_malloc.c - the malloc front end (libumm-malloc.so), linked in:
 * every function's contract, alignment, errors and errno, large blocks,
 * out of memory, threads with cross-thread frees and thread exit, fork()
 * from a multi-threaded parent, signals during allocation, dlopen.
 *
 * "oom" as argv[1] runs the out-of-memory check in a process booted with
 * a small umm.max_mem (the parent re-executes itself for it); "aligned"
 * runs the aligned functions' contract in a process booted with the
 * $UMM_CMDLINE the parent gives it, once per slub_debug= option;
 * "badfree <n>" frees a bad pointer for free()'s checks; "checked" runs
 * the contract with all of those checks on (the double-free one is on
 * in every other run: it is the default).
 */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
void cfree(void *p);	/* glibc dropped the prototype, not the symbol */

/* Sizes the compiler cannot see, so it does not warn about the checks. */
static volatile size_t huge_size = SIZE_MAX, half_size = SIZE_MAX / 2, big_shift = 46;
static volatile size_t odd_align_24 = 24, odd_align_100 = 100, zero_align = 0;

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, rss = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * 4;
}

TEST(test_sizes_and_alignment)
{
	for (size_t size = 0; size < 20000; size += size < 300 ? 1 : 97) {
		unsigned char *p = malloc(size);

		ASSERT(p);
		EXPECT_EQ((uintptr_t)p % 16, 0);
		EXPECT(malloc_usable_size(p) >= size);
		memset(p, 0xa5, size);
		if (size)
			EXPECT_EQ(p[size - 1], 0xa5);
		free(p);
	}
	void *a = malloc(0), *b = malloc(0);
	EXPECT(a && b && a != b);
	free(a);
	free(b);
	free(NULL);
	cfree(NULL);
}

TEST(test_calloc_realloc)
{
	unsigned char *p;

	for (int round = 0; round < 3; round++) {
		p = malloc(4000);
		ASSERT(p);
		memset(p, 0xff, 4000);
		free(p);
		p = calloc(1000, 4);
		ASSERT(p);
		for (int i = 0; i < 4000; i++)
			if (p[i]) {
				EXPECT_EQ(p[i], 0);
				break;
			}
		free(p);
	}
	errno = 0;
	EXPECT(calloc(half_size, 3) == NULL);
	EXPECT_EQ(errno, ENOMEM);

	p = malloc(100);
	ASSERT(p);
	for (int i = 0; i < 100; i++)
		p[i] = (unsigned char)i;
	void *same = realloc(p, 90);		/* shrinks in place */
	EXPECT(same == p);
	p = same;
	p = realloc(p, 50000);
	ASSERT(p);
	for (int i = 0; i < 90; i++)
		EXPECT_EQ(p[i], i);
	p = realloc(p, 12 << 20);		/* into vmalloc */
	ASSERT(p);
	for (int i = 0; i < 90; i++)
		EXPECT_EQ(p[i], i);
	p = realloc(p, 10);
	ASSERT(p);
	EXPECT_EQ(p[9], 9);
	EXPECT(realloc(p, 0) == NULL);		/* freed */
	p = realloc(NULL, 33);
	EXPECT(p);
	free(p);
	errno = 0;
	EXPECT(reallocarray(NULL, half_size / 2, 8) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	p = reallocarray(NULL, 10, 10);
	EXPECT(p && malloc_usable_size(p) >= 100);
	free(p);
}

TEST(test_aligned)
{
	void *p;

	/* glibc's answers to bad alignments and sizes; *memptr untouched. */
	p = &p;
	EXPECT_EQ(posix_memalign(&p, 3, 10), EINVAL);
	EXPECT_EQ(posix_memalign(&p, 4, 10), EINVAL);	/* < sizeof(void *) */
	EXPECT_EQ(posix_memalign(&p, zero_align, 10), EINVAL);
	EXPECT_EQ(posix_memalign(&p, odd_align_24, 10), EINVAL);
	EXPECT_EQ(posix_memalign(&p, half_size + 2, 10), EINVAL);
	EXPECT_EQ(posix_memalign(&p, 64, huge_size), ENOMEM);
	EXPECT_EQ(posix_memalign(&p, half_size + 1, 1), ENOMEM);
	EXPECT(p == &p);
	/* aligned_alloc: C23 and glibc 2.38 refuse what is not a power of two. */
	errno = 0;
	EXPECT(aligned_alloc(odd_align_24, 48) == NULL);
	EXPECT_EQ(errno, EINVAL);
	errno = 0;
	EXPECT(aligned_alloc(zero_align, 48) == NULL);
	EXPECT_EQ(errno, EINVAL);
	errno = 0;
	EXPECT(aligned_alloc(64, huge_size) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	/* memalign: 0 is malloc's; past SIZE_MAX / 2 + 1 it cannot round up. */
	p = memalign(zero_align, 10);
	EXPECT(p != NULL);
	free(p);
	errno = 0;
	EXPECT(memalign(half_size + 2, 10) == NULL);
	EXPECT_EQ(errno, EINVAL);
	errno = 0;
	EXPECT(memalign(half_size + 1, 1) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	EXPECT(valloc(huge_size) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	EXPECT(pvalloc(huge_size) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	for (size_t align = 8; align <= (8UL << 20); align <<= 1) {
		static const size_t sizes[] = { 1, 24, 100, 4096, 9000, 70000 };

		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			ASSERT_EQ(posix_memalign(&p, align, sizes[i]), 0);
			EXPECT_EQ((uintptr_t)p % align, 0);
			EXPECT(malloc_usable_size(p) >= sizes[i]);
			memset(p, 1, sizes[i]);
			free(p);
			p = aligned_alloc(align, sizes[i]);
			ASSERT(p);
			EXPECT_EQ((uintptr_t)p % align, 0);
			free(p);
			p = memalign(align, sizes[i]);
			ASSERT(p);
			EXPECT_EQ((uintptr_t)p % align, 0);
			free(p);
		}
	}
	p = valloc(100);
	ASSERT(p);
	EXPECT_EQ((uintptr_t)p % 4096, 0);
	free(p);
	p = pvalloc(5000);
	ASSERT(p);
	EXPECT_EQ((uintptr_t)p % 4096, 0);
	EXPECT(malloc_usable_size(p) >= 8192);
	free(p);
	p = memalign(odd_align_100, 10);	/* glibc rounds the alignment up: 128 */
	ASSERT(p);
	EXPECT_EQ((uintptr_t)p % 128, 0);
	free(p);
}

/*
 * free()'s checks (umm.malloc_free_check=), each in a child run as
 * "badfree <n>": it must die of SIGABRT after one line on stderr, as
 * glibc's does, where a plain SLUB hands the block out twice; it returns
 * 2 when the bad free went unseen.
 */
static void *volatile keep;
/* Called through these, the compiler cannot see (and warn of) the bad frees. */
static void (*volatile free_fn)(void *) = free;
static void *(*volatile realloc_fn)(void *, size_t) = realloc;

static void *exiting_thread_frees(void *p)
{
	free(p);	/* into this thread's sheaf, flushed to the slab at exit */
	return NULL;
}

/*
 * A 2 KiB block past the first page of its slab (the class's slabs are
 * 32 KiB, order 3, aligned so by the buddy allocator): the free fast
 * path decides from that tail page's own struct page (mm/slab.h).
 */
static unsigned char *tail_block(void)
{
	unsigned char *p = NULL;

	for (int i = 0; i < 64; i++) {
		unsigned char *b = malloc(2048);

		if (b && (uintptr_t)b % 32768 >= 4096 && !p)
			p = b;	/* the others stay allocated */
	}
	return p;
}

static int badfree_child(int n)
{
	unsigned char *p = malloc(100), *q = malloc(100), *big;
	static unsigned char not_ours[64] __attribute__((aligned(16)));
	pthread_t t;

	alarm(30);
	keep = q;
	switch (n) {
	case 0:		/* double free */
		free_fn(p);
		free_fn(p);
		break;
	case 1:		/* double free with another free in between */
		free_fn(p);
		free_fn(q);
		free_fn(p);
		break;
	case 2:		/* freed by a thread that exited: on its slab's freelist */
		if (pthread_create(&t, NULL, exiting_thread_frees, p) || pthread_join(t, NULL))
			return 3;
		free_fn(p);
		break;
	case 3:		/* inside a block */
		free_fn(p + 16);
		break;
	case 4:		/* misaligned */
		free_fn(p + 8);
		break;
	case 5:		/* double free of a large (page) block */
		big = malloc(100000);
		free_fn(big);
		free_fn(big);
		break;
	case 6:		/* inside a large block */
		big = malloc(100000);
		free_fn(big + 4096);
		break;
	case 7:		/* inside a gigantic or vmalloc block */
		big = malloc(64 << 20);
		free_fn(big + 64);
		break;
	case 8:		/* realloc of a pointer inside a block */
		keep = realloc_fn(p + 16, 1000);
		break;
	case 9:		/* never umm's: left alone (ld.so's early memory is freed so) */
		free_fn(not_ours);
		return 0;
	case 10: {	/* the key in the program's own data is no double free */
		unsigned char *volatile alias;
		unsigned long key;

		free_fn(p);
		alias = p;
		memcpy(&key, alias, sizeof(key));	/* the freed block holds the key */
		for (int i = 0; i < 1000; i++) {
			unsigned long *r = malloc(16 + (size_t)(i % 50) * 16);

			if (!r)
				return 3;
			r[0] = key;
			free_fn(r);
		}
		printf("key %lx\n", key);
		return 0;
	}
	case 11:	/* double-free check off: the double free goes unseen, as in SLUB */
		free_fn(p);
		free_fn(p);
		return malloc(100) == malloc(100) ? 0 : 4;
	case 12:	/* double free of a huge (page-granular) block */
		big = malloc(5 << 20);
		free_fn(big);
		free_fn(big);
		break;
	case 13:	/* inside a huge block, past its first page */
		big = malloc(5 << 20);
		free_fn(big + (4 << 20));
		break;
	case 14:	/* double free of a block in a slab's tail page */
		big = tail_block();
		free_fn(big);
		free_fn(big);
		break;
	case 15:	/* inside a block in a slab's tail page */
		big = tail_block();
		free_fn(big + 16);
		break;
	case 16:	/* realloc() and malloc_usable_size() of one: kept, then freed */
		big = tail_block();
		if (!big || malloc_usable_size(big) < 2048)
			return 3;
		memset(big, 0x3c, 2048);
		big = realloc_fn(big, 1500);
		if (!big || big[0] != 0x3c || big[1499] != 0x3c)
			return 4;
		big = realloc_fn(big, 6000);
		if (!big || big[0] != 0x3c || big[1499] != 0x3c)
			return 5;
		free_fn(big);
		return 0;
	}
	return 2;	/* not caught */
}

static char *self_path;

/*
 * Run this program again as "@mode [@arg]" in a child booted with
 * @cmdline; its stdout and stderr into @out.
 */
static int run_self_output(const char *mode, const char *arg, const char *cmdline, char *out,
			   size_t size)
{
	int status, fds[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		setenv("UMM_CMDLINE", cmdline, 1);
		execl(self_path, self_path, mode, arg, (char *)NULL);
		_exit(99);
	}
	close(fds[1]);
	while (len + 1 < size && (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_self(const char *mode, const char *cmdline)
{
	char out[4096];
	int rc = run_self_output(mode, NULL, cmdline, out, sizeof(out));

	fputs(out, stdout);
	return rc;
}

TEST(test_invalid_free)
{
#define DEFAULT ""
#define OFF "umm.malloc_free_check=0"
#define DOUBLE "umm.malloc_free_check=double"
#define POINTER "umm.malloc_free_check=pointer"
#define ALL "umm.malloc_free_check=1"
#define DF "umm: free(): double free detected\n"
#define INV "umm: free(): invalid pointer\n"
	static const struct {
		int n;			/* badfree_child()'s case */
		const char *cmdline;
		const char *message;	/* it aborts with it; NULL: exits with @rc */
		int rc;
	} cases[] = {
		/* The double-free check is the default; the others are opt-in. */
		{ 0, DEFAULT, DF, 0 },
		{ 0, DOUBLE, DF, 0 },
		{ 0, ALL, DF, 0 },
		{ 1, DEFAULT, DF, 0 },
		{ 2, DEFAULT, DF, 0 },
		{ 3, POINTER, INV, 0 },
		{ 3, ALL, INV, 0 },
		{ 4, POINTER, INV, 0 },
		{ 5, DEFAULT, INV, 0 },	/* blocks outside slabs: either check */
		{ 6, DEFAULT, INV, 0 },
		{ 7, DEFAULT, INV, 0 },
		{ 7, POINTER, INV, 0 },
		{ 12, DEFAULT, INV, 0 },
		{ 13, DEFAULT, INV, 0 },
		{ 14, DEFAULT, DF, 0 },
		{ 14, ALL, DF, 0 },
		{ 15, POINTER, INV, 0 },
		{ 16, DEFAULT, NULL, 0 },
		{ 16, ALL, NULL, 0 },
		{ 8, ALL, "umm: realloc(): invalid pointer\n", 0 },
		{ 9, DEFAULT, NULL, 0 },
		{ 9, ALL, NULL, 0 },
		{ 10, DEFAULT, NULL, 0 },
		{ 10, ALL " slub_debug=FZ", NULL, 0 },
		/* Each check alone: the other one is not made. */
		{ 3, DOUBLE, NULL, 2 },
		{ 11, POINTER, NULL, 0 },
		/* Off: the double free goes unseen, as in SLUB. */
		{ 11, OFF, NULL, 0 },
	};
	char out[4096], arg[16], key[2][4096];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int want = cases[i].message ? 128 + SIGABRT : cases[i].rc, rc;

		snprintf(arg, sizeof(arg), "%d", cases[i].n);
		rc = run_self_output("badfree", arg, cases[i].cmdline, out, sizeof(out));
		EXPECT_EQ(rc, want);
		if (cases[i].message)
			EXPECT_STREQ(out, cases[i].message);
		if (rc != want || (cases[i].message && strcmp(out, cases[i].message)))
			printf("  badfree %d under '%s': status %d, output '%s'\n", cases[i].n,
			       cases[i].cmdline, rc, out);
	}
	/* The key is random per process. */
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(run_self_output("badfree", "10", DEFAULT, out, sizeof(out)), 0);
		memcpy(key[i], out, sizeof(out));
	}
	EXPECT(strncmp(key[0], "key ", 4) == 0 && strcmp(key[0], key[1]) != 0);
	/* A bad value of the option fails the boot. */
	EXPECT_EQ(run_self_output("badfree", "0", "umm.malloc_free_check=2", out, sizeof(out)), 127);
	EXPECT_EQ(run_self_output("badfree", "0", "umm.malloc_free_check=doubles", out,
				  sizeof(out)), 127);
	/* Under slub_debug= too: red zones move the objects, and the key stays. */
	EXPECT_EQ(run_self_output("badfree", "0", "slub_debug=ZU", out, sizeof(out)), 128 + SIGABRT);
	EXPECT_STREQ(out, DF);
	EXPECT_EQ(run_self_output("badfree", "3", ALL " slub_debug=ZU", out, sizeof(out)),
		  128 + SIGABRT);
	EXPECT_STREQ(out, INV);
#undef DEFAULT
#undef OFF
#undef DOUBLE
#undef POINTER
#undef ALL
#undef DF
#undef INV
}

/* Cross-thread frees, thread exit and fork() with free()'s checks on. */
TEST(test_checked_contract)
{
	EXPECT_EQ(run_self("checked", "umm.malloc_free_check=1"), 0);
}

/* One block from aligned function @fn (0 .. 4), or NULL; @want: its alignment. */
static unsigned char *aligned_one(unsigned int fn, size_t align, size_t size, size_t *want)
{
	void *p = NULL;

	*want = align;
	switch (fn) {
	case 0:
		return posix_memalign(&p, align, size) ? NULL : p;
	case 1:
		return aligned_alloc(align, size);
	case 2:
		return memalign(align, size);
	case 3:
		*want = 4096;
		return valloc(size);
	default:
		*want = 4096;
		return pvalloc(size);
	}
}

/*
 * The aligned functions' contract, in a child booted with the parent's
 * $UMM_CMDLINE: every alignment the API accepts up to 64 KiB (C23's
 * aligned_alloc takes any power of two, posix_memalign multiples of a
 * pointer; valloc and pvalloc once, the page), ten sizes, three blocks of
 * each held at once so that they take different slots of a slab.  Each
 * block is aligned, holds its size, keeps its bytes through realloc() and
 * frees.  Prints the misaligned count.
 */
static int aligned_child(void)
{
	static const size_t sizes[] = { 1, 24, 100, 200, 1000, 3000, 4096, 5000, 9000, 70000 };
	enum { COPIES = 3 };
	unsigned int results = 0, misaligned = 0, broken = 0;

	alarm(60);
	for (unsigned int fn = 0; fn < 5; fn++) {
		for (size_t align = 1; align <= (64UL << 10); align <<= 1) {
			unsigned char *held[ARRAY_SIZE(sizes) * COPIES];
			unsigned int n = 0;

			if ((fn == 0 && align < sizeof(void *)) || (fn >= 3 && align > 1))
				continue;
			for (size_t i = 0; i < ARRAY_SIZE(sizes) * COPIES; i++) {
				size_t size = sizes[i / COPIES], want;
				unsigned char *p = aligned_one(fn, align, size, &want);

				results++;
				if (!p) {
					broken++;
					continue;
				}
				misaligned += (uintptr_t)p % want != 0;
				broken += malloc_usable_size(p) < size;
				memset(p, 0x3c, size);
				held[n++] = p;
			}
			for (unsigned int i = 0; i < n; i++) {
				size_t size = sizes[i / COPIES];
				unsigned char *p = realloc(held[i], size + 100);

				if (!p || p[0] != 0x3c || p[size - 1] != 0x3c)
					broken++;
				free(p ? p : held[i]);
			}
		}
	}
	printf("aligned: %u of %u misaligned, %u broken (UMM_CMDLINE=%s)\n", misaligned, results,
	       broken, getenv("UMM_CMDLINE"));
	return misaligned || broken;
}

/* Every slub_debug= option moves objects within their slots. */
TEST(test_aligned_slub_debug)
{
	static const char *const options[] = {
		"", "slub_debug=F", "slub_debug=Z", "slub_debug=P", "slub_debug=U",
		"slub_debug=T", "slub_debug=FZPU", "slub_debug", "slub_debug=FZPUT",
		"slub_debug=Z,malloc-64", "slub_debug=Z,kmalloc-64", "slub_debug=Z,malloc-*",
		"slub_debug=ZU,malloc-1*;P,malloc-9*", "slub_debug=ZO",
		"slub_debug=Z umm.slab_freelist_hardened=1",
	};
	char cmdline[128];

	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		snprintf(cmdline, sizeof(cmdline), "loglevel=0 %s", options[i]);
		EXPECT_EQ(run_self("aligned", cmdline), 0);
	}
}

TEST(test_large_and_huge)
{
	unsigned char *p = malloc(64 << 20);

	ASSERT(p);
	for (size_t i = 0; i < (64 << 20); i += 4096)
		p[i] = (unsigned char)i;
	EXPECT(malloc_usable_size(p) >= (64 << 20));
	free(p);
	errno = 0;
	EXPECT(malloc(huge_size) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	errno = 0;
	EXPECT(malloc(1UL << big_shift) == NULL);
	EXPECT_EQ(errno, ENOMEM);
	EXPECT_EQ(malloc_trim(0), 1);
}

/*
 * Run in a child booted with umm.max_mem=512M: blocks above 4 MiB are
 * whole pages, not powers of two, so far more than 64 blocks of 5 MiB
 * (which 8 MiB each would allow) fit; each keeps its bytes, realloc()
 * moves them, and all of them come back when freed.
 */
static int huge_child(void)
{
	enum { N = 200, MIB = 1 << 20 };
	static unsigned char *blocks[N];
	int n;

	alarm(120);
	for (n = 0; n < N; n++) {
		blocks[n] = malloc(5 * MIB);
		if (!blocks[n])
			break;
		if (malloc_usable_size(blocks[n]) != 5 * MIB)
			return 10;
		memset(blocks[n], n & 0xff, 5 * MIB);
	}
	printf("%d blocks of 5 MiB\n", n);
	if (n == N || n < 90)
		return 11;
	for (int i = 0; i < n; i++)
		if (blocks[i][0] != (i & 0xff) || blocks[i][5 * MIB - 1] != (i & 0xff))
			return 12;
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	/* A size that is no whole number of pages takes the next page. */
	blocks[0] = malloc(5 * MIB + 1);
	if (!blocks[0] || malloc_usable_size(blocks[0]) != 5 * MIB + 4096)
		return 13;
	memset(blocks[0], 0x5a, 5 * MIB + 1);
	/*
	 * Grown: moved, the bytes kept, with a quarter more room (realloc()
	 * of a huge block that grows; see malloc/malloc.c's realloc_size());
	 * shrunk below half: moved again.
	 */
	blocks[0] = realloc(blocks[0], 9 * MIB);
	if (!blocks[0] || malloc_usable_size(blocks[0]) != 9 * MIB + 9 * MIB / 4 ||
	    blocks[0][5 * MIB] != 0x5a || blocks[0][0] != 0x5a)
		return 14;
	blocks[0] = realloc(blocks[0], 100);
	if (!blocks[0] || blocks[0][99] != 0x5a || malloc_usable_size(blocks[0]) >= 4096)
		return 15;
	free(blocks[0]);
	/* Everything came back: as many fit again. */
	for (int i = 0; i < n; i++) {
		blocks[i] = malloc(5 * MIB);
		if (!blocks[i])
			return 16;
	}
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	return 0;
}

TEST(test_huge_page_granular)
{
	EXPECT_EQ(run_self("huge", "umm.max_mem=512M loglevel=0"), 0);
}

/* Producer/consumer: every free happens on another thread. */
#define RING 256
static void *ring[RING];
static unsigned int head, tail;
static int producers_done;
static pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ring_cond = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
	for (long i = 0; i < 100000; i++) {
		size_t size = (size_t)(i * 7 + (long)arg) % 3000 + 1;
		unsigned char *p = malloc(size);

		if (!p)
			abort();
		p[0] = (unsigned char)size;
		p[size - 1] = (unsigned char)size;
		pthread_mutex_lock(&ring_lock);
		while (head - tail == RING)
			pthread_cond_wait(&ring_cond, &ring_lock);
		ring[head++ % RING] = p;
		pthread_cond_broadcast(&ring_cond);
		pthread_mutex_unlock(&ring_lock);
	}
	pthread_mutex_lock(&ring_lock);
	producers_done++;
	pthread_cond_broadcast(&ring_cond);
	pthread_mutex_unlock(&ring_lock);
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		void *p;

		pthread_mutex_lock(&ring_lock);
		while (head == tail && producers_done < 2)
			pthread_cond_wait(&ring_cond, &ring_lock);
		if (head == tail) {
			pthread_mutex_unlock(&ring_lock);
			return NULL;
		}
		p = ring[tail++ % RING];
		pthread_cond_broadcast(&ring_cond);
		pthread_mutex_unlock(&ring_lock);
		free(p);
	}
}

TEST(test_cross_thread_frees)
{
	pthread_t t[4];

	producers_done = 0;
	pthread_create(&t[0], NULL, producer, (void *)1L);
	pthread_create(&t[1], NULL, producer, (void *)2L);
	pthread_create(&t[2], NULL, consumer, NULL);
	pthread_create(&t[3], NULL, consumer, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	EXPECT_EQ(head, tail);
}

static void *short_lived(void *arg)
{
	void *p[1000];

	(void)arg;
	for (int i = 0; i < 1000; i++)
		p[i] = malloc((size_t)(i % 500) + 8);
	for (int i = 0; i < 1000; i++)
		free(p[i]);
	return NULL;
}

/* Threads that exit leave nothing stranded: memory stays flat. */
TEST(test_thread_exit)
{
	long before, after;

	for (int round = 0; round < 2; round++) {
		pthread_t t;

		pthread_create(&t, NULL, short_lived, NULL);
		pthread_join(t, NULL);
	}
	before = rss_kb();
	for (int round = 0; round < 300; round++) {
		pthread_t t;

		pthread_create(&t, NULL, short_lived, NULL);
		pthread_join(t, NULL);
	}
	after = rss_kb();
	fprintf(stderr, "  rss before %ld kB, after 300 threads %ld kB\n", before, after);
	EXPECT(after - before < 8192);
}

static volatile int churn_stop;

static void *churn(void *arg)
{
	(void)arg;
	while (!churn_stop) {
		void *p[64];

		for (int i = 0; i < 64; i++)
			p[i] = malloc((size_t)(i * 37 % 5000) + 1);
		for (int i = 0; i < 64; i++)
			free(p[i]);
	}
	return NULL;
}

/* fork() while other threads allocate: the child works, memory is its own. */
TEST(test_fork_multithreaded)
{
	pthread_t t[3];
	char *mine = malloc(64);

	ASSERT(mine);
	strcpy(mine, "parent");
	churn_stop = 0;
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, NULL);
	for (int k = 0; k < 30; k++) {
		int status;
		pid_t pid = fork();

		if (pid == 0) {
			char *big = malloc(8 << 20);
			char *q = malloc(100);

			if (!big || !q)
				_exit(2);
			memset(big, 7, 8 << 20);
			strcpy(mine, "child");
			for (int i = 0; i < 20000; i++) {
				void *x = malloc((size_t)(i % 9000) + 1);

				if (!x)
					_exit(3);
				free(x);
			}
			free(big);
			free(q);
			_exit(strcmp(mine, "child") ? 4 : 0);
		}
		ASSERT(pid > 0);
		waitpid(pid, &status, 0);
		EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		EXPECT(!strcmp(mine, "parent"));
	}
	churn_stop = 1;
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	free(mine);
}

static volatile long signals_seen;

static void on_signal(int sig)
{
	(void)sig;
	signals_seen++;
}

/* Signals arriving while other threads are inside malloc and free. */
TEST(test_signals_during_allocation)
{
	pthread_t t[2];

	signal(SIGUSR1, on_signal);
	churn_stop = 0;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, churn, NULL);
	for (int i = 0; i < 20000; i++)
		pthread_kill(t[i % 2], SIGUSR1);
	churn_stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	EXPECT(signals_seen > 0);
	signal(SIGUSR1, SIG_DFL);
}

TEST(test_dlopen)
{
	void *h = dlopen("libm.so.6", RTLD_NOW);
	double (*cosine)(double);

	ASSERT(h);
	cosine = (double (*)(double))dlsym(h, "cos");
	ASSERT(cosine);
	EXPECT(cosine(0.0) == 1.0);
	EXPECT(dlopen("/nonexistent/libnope.so", RTLD_NOW) == NULL);
	EXPECT(dlerror() != NULL);	/* dlerror allocates its message */
	dlclose(h);
}

/* Run in a child booted with umm.max_mem=256M: NULL and ENOMEM, then recovery. */
static int oom_child(void)
{
	enum { N = 4096 };
	static void *blocks[N];
	int n = 0, failures = 0;

	errno = 0;
	if (malloc(512UL << 20) != NULL || errno != ENOMEM)
		return 10;
	for (n = 0; n < N; n++) {
		blocks[n] = malloc(1 << 20);
		if (!blocks[n])
			break;
		memset(blocks[n], 1, 1 << 20);
	}
	if (n == N || n < 100 || errno != ENOMEM)
		return 11;
	for (int i = 0; i < 1000; i++)
		failures += malloc(100000) == NULL;
	if (!failures)
		return 12;
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	for (int i = 0; i < 100; i++) {
		void *p = malloc(1 << 20);

		if (!p)
			return 13;
		free(p);
	}
	return 0;
}

TEST(test_out_of_memory)
{
	EXPECT_EQ(run_self("oom", "umm.max_mem=256M loglevel=0"), 0);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "oom"))
		return oom_child();
	if (argc > 1 && !strcmp(argv[1], "huge"))
		return huge_child();
	if (argc > 1 && !strcmp(argv[1], "aligned"))
		return aligned_child();
	if (argc > 2 && !strcmp(argv[1], "badfree"))
		return badfree_child(atoi(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "checked")) {
		/* The contract again with free()'s checks on: no false alarm. */
		alarm(120);
		RUN(test_sizes_and_alignment);
		RUN(test_calloc_realloc);
		RUN(test_aligned);
		RUN(test_cross_thread_frees);
		RUN(test_thread_exit);
		RUN(test_fork_multithreaded);
		TEST_EXIT();
	}
	self_path = argv[0];
	RUN(test_sizes_and_alignment);
	RUN(test_calloc_realloc);
	RUN(test_aligned);
	RUN(test_aligned_slub_debug);
	RUN(test_invalid_free);
	RUN(test_checked_contract);
	RUN(test_large_and_huge);
	RUN(test_huge_page_granular);
	RUN(test_cross_thread_frees);
	RUN(test_thread_exit);
	RUN(test_fork_multithreaded);
	RUN(test_signals_during_allocation);
	RUN(test_dlopen);
	RUN(test_out_of_memory);
	TEST_EXIT();
}
