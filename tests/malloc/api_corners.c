// SPDX-License-Identifier: GPL-2.0
/*
 * api_corners.c - the corners of the malloc interface, run with
 * libumm-malloc.so preloaded: what glibc's malloc(3), posix_memalign(3)
 * and realloc(3) promise where a request cannot be met.
 *
 *  - too big: malloc(), calloc() (the product overflowing or not),
 *    realloc(), reallocarray(), memalign(), valloc() and pvalloc() of
 *    sizes up to SIZE_MAX give NULL with errno ENOMEM, and a failed
 *    realloc() leaves the block whole;
 *  - bad alignments: posix_memalign() returns EINVAL for one that is not
 *    a power of two multiple of sizeof(void *), and ENOMEM for a size it
 *    cannot give, leaving *memptr alone either way; aligned_alloc() sets
 *    EINVAL for one that is not a power of two (C23, glibc 2.38);
 *    memalign() rounds it up, and fails with EINVAL past SIZE_MAX / 2 + 1;
 *  - every power-of-two alignment to 16 MiB with sizes from 0 to 8 MiB:
 *    aligned, and malloc_usable_size() covers the size;
 *  - malloc(0) gives distinct blocks, realloc(NULL, n) allocates and
 *    realloc(p, 0) frees and returns NULL, as glibc does;
 *  - calloc() zeroes what a freed, dirtied block of the same size left,
 *    from the slab classes to the huge (contiguous or vmalloc) blocks;
 *  - realloc() keeps the contents through every move between the small,
 *    large and huge ranges;
 *  - a buffer grown by realloc() 64 KiB at a time to 64 MiB moves a few
 *    dozen times, not once a step (the copying would be quadratic);
 *  - a malloc(), realloc() or free() that succeeds leaves errno alone,
 *    the process's first malloc() (umm's boot) included, in the main
 *    thread, a new thread and a fork() child (C11 7.5: no library
 *    function sets errno to 0; glibc's do not touch it).
 * Deterministic: no seed.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int fails;

/*
 * Sizes the compiler cannot see, so that it neither folds a call away
 * (malloc(SIZE_MAX) is NULL to it) nor warns about it; and the entries
 * called through pointers: clang takes the allocation functions for ones
 * that leave errno alone, and a failed realloc() leaves the block its
 * caller's, which -Wuse-after-free does not know.
 */
static volatile size_t opaque_zero;
#define V(x)	((size_t)(x) + opaque_zero)
static void *(*volatile malloc_fn)(size_t) = malloc;
static void *(*volatile calloc_fn)(size_t, size_t) = calloc;
static void *(*volatile realloc_fn)(void *, size_t) = realloc;
static void *(*volatile reallocarray_fn)(void *, size_t, size_t) = reallocarray;
static void *(*volatile memalign_fn)(size_t, size_t) = memalign;
static void *(*volatile aligned_alloc_fn)(size_t, size_t) = aligned_alloc;
static void *(*volatile valloc_fn)(size_t) = valloc;
static void *(*volatile pvalloc_fn)(size_t) = pvalloc;
static int (*volatile posix_memalign_fn)(void **, size_t, size_t) = posix_memalign;

#define CHECK(c)								\
	do {									\
		if (!(c)) {							\
			printf("FAIL %s:%d: %s (errno %d)\n", __FILE__, __LINE__, #c, errno); \
			fails++;						\
		}								\
	} while (0)

/* @call gives NULL and sets errno to @err. */
#define CHECK_FAILS(call, err)							\
	do {									\
		void *__p;							\
		errno = 0;							\
		__p = (call);							\
		CHECK(!__p && errno == (err));					\
		free(__p);							\
	} while (0)

static void too_big(void)
{
	unsigned char *p;

	CHECK_FAILS(malloc_fn(V(SIZE_MAX)), ENOMEM);
	CHECK_FAILS(malloc_fn(V(SIZE_MAX / 2)), ENOMEM);
	CHECK_FAILS(malloc_fn(V(PTRDIFF_MAX)), ENOMEM);
	CHECK_FAILS(malloc_fn(V((size_t)1 << 62)), ENOMEM);
	CHECK_FAILS(malloc_fn(V((size_t)1 << 45)), ENOMEM);
	CHECK_FAILS(calloc_fn(V(SIZE_MAX / 2), V(3)), ENOMEM);
	CHECK_FAILS(calloc_fn(V((size_t)1 << 20), V((size_t)1 << 30)), ENOMEM);
	CHECK_FAILS(memalign_fn(V(64), V(SIZE_MAX)), ENOMEM);
	CHECK_FAILS(memalign_fn(V(1 << 22), V(SIZE_MAX - 100)), ENOMEM);
	CHECK_FAILS(memalign_fn(V(1 << 23), V((size_t)1 << 50)), ENOMEM);
	CHECK_FAILS(valloc_fn(V(SIZE_MAX)), ENOMEM);
	CHECK_FAILS(pvalloc_fn(V(SIZE_MAX)), ENOMEM);
	CHECK_FAILS(pvalloc_fn(V(SIZE_MAX - 8192)), ENOMEM);
	CHECK_FAILS(aligned_alloc_fn(V(4096), V(SIZE_MAX)), ENOMEM);

	p = malloc(100);
	CHECK(p);
	if (!p)
		return;
	memset(p, 0x5a, 100);
	CHECK_FAILS(realloc_fn(p, V(SIZE_MAX)), ENOMEM);
	CHECK_FAILS(realloc_fn(p, V((size_t)1 << 50)), ENOMEM);
	CHECK_FAILS(reallocarray_fn(p, V(SIZE_MAX / 2), V(4)), ENOMEM);
	for (int i = 0; i < 100; i++)
		CHECK(p[i] == 0x5a);
	free(p);
}

static void bad_alignments(void)
{
	void *m = (void *)0x1234;

	CHECK(posix_memalign_fn(&m, V(3), V(10)) == EINVAL && m == (void *)0x1234);
	CHECK(posix_memalign_fn(&m, V(0), V(10)) == EINVAL && m == (void *)0x1234);
	CHECK(posix_memalign_fn(&m, V(4), V(10)) == EINVAL && m == (void *)0x1234);
	CHECK(posix_memalign_fn(&m, V(24), V(10)) == EINVAL && m == (void *)0x1234);
	CHECK(posix_memalign_fn(&m, V(64), V(SIZE_MAX)) == ENOMEM && m == (void *)0x1234);
	CHECK(posix_memalign_fn(&m, V((size_t)1 << 62), V(10)) == ENOMEM && m == (void *)0x1234);
	CHECK_FAILS(aligned_alloc_fn(V(24), V(48)), EINVAL);
	CHECK_FAILS(aligned_alloc_fn(V(0), V(48)), EINVAL);
	CHECK_FAILS(memalign_fn(V(SIZE_MAX), V(16)), EINVAL);
	CHECK_FAILS(memalign_fn(V(((size_t)1 << 63) + 1), V(16)), EINVAL);
	CHECK_FAILS(memalign_fn(V((size_t)1 << 63), V(16)), ENOMEM);
	m = memalign_fn(V(48), 10);	/* rounded up to 64 */
	CHECK(m && !((uintptr_t)m & 63));
	free(m);
}

static void alignment_sweep(void)
{
	for (size_t a = 1; a <= (1 << 24); a <<= 1)
		for (size_t s = 0; s < (1 << 23); s = s ? s * 3 : 1) {
			void *x = memalign(a, s);

			CHECK(x && (uintptr_t)x % a == 0);
			if (x) {
				CHECK(malloc_usable_size(x) >= s);
				memset(x, 1, s);
			}
			free(x);
			if (a >= sizeof(void *)) {
				CHECK(posix_memalign(&x, a, s) == 0 && (uintptr_t)x % a == 0);
				free(x);
				x = aligned_alloc(a, s);
				CHECK(x && (uintptr_t)x % a == 0);
				free(x);
			}
		}
	for (size_t s = 0; s < (1 << 23); s = s ? s * 5 : 1) {
		void *v = valloc(s), *pv = pvalloc(s);

		CHECK(v && !((uintptr_t)v & 4095) && malloc_usable_size(v) >= s);
		CHECK(pv && !((uintptr_t)pv & 4095));
		CHECK(pv && malloc_usable_size(pv) >= (s ? (s + 4095) & ~(size_t)4095 : 4096));
		free(v);
		free(pv);
	}
}

static void glibc_corners(void)
{
	enum { N = 1000 };
	static void *z[N];
	void *p;

	for (int i = 0; i < N; i++) {
		z[i] = malloc(0);
		CHECK(z[i]);
	}
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			if (z[i] == z[j])
				CHECK(z[i] != z[j]);
	for (int i = 0; i < N; i++)
		free(z[i]);
	free(NULL);
	p = realloc(NULL, 10);
	CHECK(p);
	CHECK(realloc_fn(p, 0) == NULL);
	CHECK(malloc_usable_size(NULL) == 0);
	CHECK(mallopt(M_ARENA_MAX, 1) == 1);
	CHECK(malloc_trim(0) >= 0);
}

static void calloc_zeroes(void)
{
	for (size_t s = 1; s < (64u << 20); s = s * 2 + 7) {
		unsigned char *p = malloc(s), *q;

		CHECK(p);
		if (!p)
			return;
		memset(p, 0xff, s);
		free(p);
		q = calloc(1, s);
		CHECK(q);
		if (!q)
			return;
		for (size_t i = 0; i < s; i += s > 4096 ? 61 : 1)
			if (q[i]) {
				printf("FAIL: calloc(1, %zu): byte %zu is %#x\n", s, i, q[i]);
				fails++;
				break;
			}
		CHECK(!q[s - 1]);
		free(q);
	}
}

static void realloc_moves(void)
{
	static const size_t sizes[] = {
		1, 17, 200, 5000, 9000, 100000, 3 << 20, 5 << 20, 9 << 20, 6 << 20, 4 << 20,
		8193, 8192, 100, 5, 40 << 20, 16,
	};
	unsigned char *p = NULL;
	size_t old = 0;

	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		size_t s = sizes[i], keep = old < s ? old : s;
		unsigned char *q = realloc(p, s);

		CHECK(q);
		if (!q)
			return;
		for (size_t j = 0; j < keep; j++)
			if (q[j] != (unsigned char)(j * 7)) {
				printf("FAIL: realloc(%zu -> %zu) lost byte %zu\n", old, s, j);
				fails++;
				break;
			}
		for (size_t j = 0; j < s; j++)
			q[j] = (unsigned char)(j * 7);
		CHECK(malloc_usable_size(q) >= s);
		p = q;
		old = s;
	}
	free(p);
}

/* realloc() growth a step at a time: O(log n) moves, the contents kept. */
static void realloc_grows(void)
{
	const size_t step = 64 << 10, max = 64 << 20;
	unsigned char *p = NULL;
	unsigned int moves = 0;

	for (size_t n = step; n <= max; n += step) {
		unsigned char *q = realloc_fn(p, n);

		CHECK(q);
		if (!q)
			break;
		if (q != p && p)
			moves++;
		if (n > step && (q[n - step - 1] != (unsigned char)(n - step) || q[0] != 7)) {
			printf("FAIL: realloc(%zu) lost the contents\n", n);
			fails++;
		}
		q[0] = 7;
		q[n - 1] = (unsigned char)n;
		p = q;
	}
	free(p);
	if (moves > 64) {
		printf("FAIL: growing to 64 MiB by 64 KiB moved the block %u times\n", moves);
		fails++;
	}
}

/* Every range, allocated, grown and freed with errno set: it must stay. */
static void *errno_kept(void *who)
{
	for (size_t n = 1; n < (48u << 20); n = n * 3 + 1) {
		unsigned char *p;

		errno = 4321;
		p = malloc_fn(n);
		if (errno != 4321) {
			printf("FAIL: %s: malloc(%zu) set errno to %d\n", (char *)who, n, errno);
			fails++;
		}
		if (!p)
			continue;
		memset(p, 1, n);
		errno = 4321;
		p = realloc_fn(p, n * 2 + 1);
		if (errno != 4321) {
			printf("FAIL: %s: realloc(%zu) set errno to %d\n", (char *)who, n, errno);
			fails++;
		}
		errno = 4321;
		free(p);
		if (errno != 4321) {
			printf("FAIL: %s: free(%zu) set errno to %d\n", (char *)who, n, errno);
			fails++;
		}
	}
	return NULL;
}

static void errno_kept_everywhere(void)
{
	pthread_t t;
	pid_t pid;
	int status;

	errno_kept("main thread");
	if (pthread_create(&t, NULL, errno_kept, "new thread") || pthread_join(t, NULL))
		CHECK(!"pthread_create");
	pid = fork();
	if (pid == 0) {
		fails = 0;
		errno_kept("fork() child");
		_exit(!!fails);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status));
}

int main(void)
{
	void *first;

	/* Before anything else: the process's first malloc() boots umm. */
	errno = 4321;
	first = malloc_fn(1);
	if (errno != 4321) {
		printf("FAIL: the first malloc() set errno to %d\n", errno);
		fails++;
	}
	free(first);
	alarm(120);
	errno_kept_everywhere();
	too_big();
	bad_alignments();
	alignment_sweep();
	glibc_corners();
	calloc_zeroes();
	realloc_moves();
	realloc_grows();
	printf("api_corners: %d failures\n", fails);
	return !!fails;
}
