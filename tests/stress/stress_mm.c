// SPDX-License-Identifier: GPL-2.0
/*
 * stress_mm.c - threads racing on one address space.
 *
 * Phase 1 (calls): NTHREADS threads share one mm and, for a fixed number
 * of steps each, pick at random among loads and stores (umm_touch,
 * umm_access), mmap (anonymous and file-backed, private and shared, at
 * fixed places), munmap, mprotect, mremap, madvise, mlock/munlock, a
 * fork of the whole mm that is touched and dropped, and umm_mm_check().
 * Every range lies in one small window, so the calls overlap and race
 * for real: faults against munmap and mremap, splits against merges,
 * COW against fork.  Each thread also owns a few pages outside the
 * window that nobody else maps: what it stores there must read back.
 * Phase 2 (checker): threads fault on the mm and on a forked child that
 * shares its pages while the main thread runs umm_mm_check() on both;
 * the check is exact under faults (it excludes them), so it must never
 * fail.
 * Both phases end with umm_mm_check(), the page allocator's invariants,
 * and every page back on the free lists once the mms are gone.
 *
 * The test runs in a forked worker under alarm(): a hang is a failure,
 * reported with the seed.
 *
 * Usage: stress_mm [seed] [steps per thread]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/internal.h"
#include "tests/mm_helpers.h"
#include <umm/rmap.h>

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE	1
#define MREMAP_FIXED	2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

#define NTHREADS	4
#define WIN_PAGES	96			/* the shared window */
#define WIN		BASE
#define OWN(t)		(BASE + (1UL << 30) + (unsigned long)(t) * (1UL << 24))
#define OWN_PAGES	8
#define FILE_PAGES	64
#ifndef WATCHDOG_S
#define WATCHDOG_S	120	/* seconds; a hang is a failure */
#endif

static unsigned long long seed = 20261207;
static long steps = 1500;
static int file_fd = -1;
static struct mm_struct *the_mm;
static int check_failures;

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random page range inside the window: [*addr, *addr + *len). */
static void rnd_range(unsigned long long *s, unsigned long *addr, unsigned long *len)
{
	unsigned long first = rnd(s) % WIN_PAGES;
	unsigned long n = 1 + rnd(s) % 16;

	if (first + n > WIN_PAGES)
		n = WIN_PAGES - first;
	*addr = WIN + first * P;
	*len = n * P;
}

/* Record a failure of an "exact" check, with enough to reproduce it. */
static void check_ok(struct mm_struct *mm, const char *when, long step)
{
	if (umm_mm_check(mm)) {
		fprintf(stderr, "seed %llu: umm_mm_check failed %s (step %ld)\n", seed, when,
			step);
		__atomic_add_fetch(&check_failures, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Free pages before a phase, for the count after it.  vmalloc's object
 * pools keep the pages they grow by until shutdown (mm/vmalloc.c), and
 * umm_mm_check() vmallocs an array per call that is freed lazily: grow
 * the pools first as far as the lazily freed areas of those arrays can
 * take them (twice lazy_max_pages() of them), so that only a leak moves
 * the count.
 */
static unsigned long free_pages_before(void)
{
	unsigned long size = max_pfn * sizeof(int) + P;	/* and the guard page */
	unsigned int fls_cpus = 32 - (unsigned int)__builtin_clz(nr_cpu_ids);
	unsigned long n = 2 * fls_cpus * (32UL << 20) / size + 16;

	for (unsigned long i = 0; i < n; i++)
		vfree(__vmalloc(size - P, GFP_KERNEL | __GFP_ZERO));
	return free_pages_settled();
}

/* Any errno a call may return on a racing mm; anything else is a bug. */
static bool plausible(long ret)
{
	switch (ret) {
	case -ENOMEM: case -EINVAL: case -EFAULT: case -EAGAIN: case -EEXIST:
	case -EPERM: case -EACCES: case -EBUSY:
		return true;
	default:
		return ret >= 0;
	}
}

static void expect_plausible(const char *what, long ret, long step)
{
	if (!plausible(ret)) {
		fprintf(stderr, "seed %llu: %s returned %ld at step %ld\n", seed, what, ret, step);
		__atomic_add_fetch(&check_failures, 1, __ATOMIC_RELAXED);
	}
}

static void do_mmap_step(struct mm_struct *mm, unsigned long long *s, long i)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
				     PROT_READ | PROT_WRITE | PROT_EXEC };
	unsigned long addr, len;
	int prot = prots[rnd(s) % 4], kind = (int)(rnd(s) % 4), fd = -1;
	int flags = MAP_FIXED;
	long off = 0, ret;

	rnd_range(s, &addr, &len);
	if (rnd(s) % 8 == 0)
		flags = MAP_FIXED_NOREPLACE;
	if (rnd(s) % 8 == 0)
		flags |= MAP_POPULATE;
	switch (kind) {
	case 0: flags |= MAP_PRIVATE | MAP_ANONYMOUS; break;
	case 1: flags |= MAP_SHARED | MAP_ANONYMOUS; break;
	case 2: flags |= MAP_PRIVATE; fd = file_fd; break;
	default: flags |= MAP_SHARED; fd = file_fd; break;
	}
	if (fd >= 0)
		off = (long)(rnd(s) % (FILE_PAGES / 2)) * (long)P;
	ret = umm_mmap(mm, addr, len, prot, flags, fd, off);
	expect_plausible("mmap", ret, i);
}

static void do_mremap_step(struct mm_struct *mm, unsigned long long *s, long i)
{
	unsigned long addr, len, to, to_len;
	long ret;

	rnd_range(s, &addr, &len);
	rnd_range(s, &to, &to_len);
	switch (rnd(s) % 4) {
	case 0:		/* grow or shrink where it is */
		ret = umm_mremap(mm, addr, len, to_len, 0, 0);
		break;
	case 1:		/* grow, moving if it must (out of the window: unmap it) */
		to_len = len + P * (1 + rnd(s) % 4);
		ret = umm_mremap(mm, addr, len, to_len, MREMAP_MAYMOVE, 0);
		if (ret >= 0 && (ret < (long)WIN || ret >= (long)(WIN + WIN_PAGES * P)))
			umm_munmap(mm, (unsigned long)ret, to_len);
		break;
	case 2:		/* move onto another part of the window */
		ret = umm_mremap(mm, addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
		break;
	default:
		ret = umm_mremap(mm, addr, len, len,
				 MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, to);
		break;
	}
	expect_plausible("mremap", ret, i);
}

static void do_madvise_step(struct mm_struct *mm, unsigned long long *s, long i)
{
	static const int advice[] = { MADV_DONTNEED, MADV_FREE, MADV_COLD, MADV_PAGEOUT,
				      MADV_WILLNEED, MADV_NORMAL, MADV_RANDOM };
	unsigned long addr, len;

	rnd_range(s, &addr, &len);
	expect_plausible("madvise",
			 umm_madvise(mm, addr, len, advice[rnd(s) % ARRAY_SIZE(advice)]), i);
}

/* fork(), a few stores in the child (COW breaks), then its exit. */
static void do_fork_step(struct mm_struct *mm, unsigned long long *s)
{
	struct mm_struct *child = umm_mm_fork(mm);
	unsigned long addr, len;

	if (!child)
		return;
	rnd_range(s, &addr, &len);
	umm_touch(child, addr, len, 1, NULL);
	umm_mm_destroy(child);
}

/* The thread's own pages: stamp them, read them back. */
static void own_pages_step(struct mm_struct *mm, int t, unsigned long long *s, long i)
{
	unsigned long page = rnd(s) % OWN_PAGES, stamp = rnd(s), got = 0;
	unsigned long addr = OWN(t) + page * P + (rnd(s) % (P / 8)) * 8;

	if (umm_access(mm, addr, &stamp, sizeof(stamp), 1) != sizeof(stamp) ||
	    umm_access(mm, addr, &got, sizeof(got), 0) != sizeof(got) || got != stamp) {
		fprintf(stderr, "seed %llu: thread %d's page at %lx lost its store at step %ld\n",
			seed, t, addr, i);
		__atomic_add_fetch(&check_failures, 1, __ATOMIC_RELAXED);
	}
}

static void *call_worker(void *arg)
{
	int t = (int)(long)arg;
	unsigned long long s = seed * 0x9e3779b97f4a7c15ULL + (unsigned long long)t + 1;
	struct mm_struct *mm = the_mm;
	char buf[3 * 4096];

	for (long i = 0; i < steps; i++) {
		unsigned long addr, len;
		unsigned int op = (unsigned int)(rnd(&s) % 100);

		rnd_range(&s, &addr, &len);
		if (op < 30) {
			umm_touch(mm, addr, len, (int)(rnd(&s) & 1), NULL);
		} else if (op < 40) {
			unsigned long n = min(len, (unsigned long)sizeof(buf));

			umm_access(mm, addr + rnd(&s) % 64, buf, n - 64, (int)(rnd(&s) & 1));
		} else if (op < 52) {
			do_mmap_step(mm, &s, i);
		} else if (op < 60) {
			expect_plausible("munmap", umm_munmap(mm, addr, len), i);
		} else if (op < 68) {
			static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE };

			expect_plausible("mprotect", umm_mprotect(mm, addr, len, prots[rnd(&s) % 3]),
					 i);
		} else if (op < 76) {
			do_mremap_step(mm, &s, i);
		} else if (op < 84) {
			do_madvise_step(mm, &s, i);
		} else if (op < 90) {
			expect_plausible(rnd(&s) & 1 ? "mlock" : "munlock",
					 rnd(&s) & 1 ? umm_mlock(mm, addr, len) :
						       umm_munlock(mm, addr, len), i);
		} else if (op < 93) {
			do_fork_step(mm, &s);
		} else if (op < 95) {
			check_ok(mm, "between calls", i);
		} else {
			own_pages_step(mm, t, &s, i);
		}
	}
	return NULL;
}

/* The file the file-backed mappings map: FILE_PAGES pages, unlinked. */
static int make_test_file(void)
{
	char path[] = "/tmp/umm_stress_mmXXXXXX", page[4096];
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	unlink(path);
	for (int i = 0; i < FILE_PAGES; i++) {
		memset(page, 'a' + i % 26, sizeof(page));
		if (write(fd, page, sizeof(page)) != (ssize_t)sizeof(page)) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

TEST(test_racing_calls)
{
	pthread_t th[NTHREADS];
	unsigned long free0;
	struct mm_struct *mm, *keep = new_mm_memlock(0);	/* the caches, the zero page */
	long av0, avc0, av, avc;

	free0 = free_pages_before();
	anon_vma_stats(&av0, &avc0);
	mm = new_mm_memlock(1UL << 30);
	for (int t = 0; t < NTHREADS; t++)
		ASSERT_EQ(umm_mmap(mm, OWN(t), OWN_PAGES * P, RW, FIXED, -1, 0), (long)OWN(t));
	the_mm = mm;
	for (int t = 0; t < NTHREADS; t++)
		ASSERT_EQ(pthread_create(&th[t], NULL, call_worker, (void *)(long)t), 0);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	STEP();
	EXPECT_EQ(check_failures, 0);
	umm_mm_destroy(mm);
	EXPECT_EQ(umm_page_alloc_check(), 0);
	EXPECT_EQ(free_pages_settled(), free0);
	anon_vma_stats(&av, &avc);
	EXPECT_EQ(av, av0);
	EXPECT_EQ(avc, avc0);
	umm_mm_destroy(keep);
}

/* Phase 2: faults on a parent and a child sharing pages, checker running. */
static struct mm_struct *fault_mms[2];
static int faulters_stop;

static void *fault_worker(void *arg)
{
	int t = (int)(long)arg;
	unsigned long long s = seed + 77 * (unsigned long long)t;
	struct mm_struct *mm = fault_mms[t & 1];

	while (!__atomic_load_n(&faulters_stop, __ATOMIC_ACQUIRE)) {
		unsigned long addr, len;

		rnd_range(&s, &addr, &len);
		switch (rnd(&s) % 4) {
		case 0:
		case 1:
			umm_touch(mm, addr, len, (int)(rnd(&s) & 1), NULL);
			break;
		case 2:
			/* drop pages so that the next touches fault again */
			umm_madvise(mm, addr, len, MADV_DONTNEED);
			break;
		default:
			umm_touch(mm, WIN + WIN_PAGES * P + rnd(&s) % (16 * P), 1, 1, NULL);
			break;
		}
	}
	return NULL;
}

TEST(test_check_under_faults)
{
	pthread_t th[NTHREADS];
	unsigned long free0;
	long checks = steps / 4;
	int failed = 0;
	struct mm_struct *keep = new_mm_memlock(0);

	free0 = free_pages_before();
	fault_mms[0] = new_mm_memlock(1UL << 30);
	/* private anonymous, a private and a shared file mapping, shared anonymous */
	ASSERT_EQ(umm_mmap(fault_mms[0], WIN, 32 * P, RW, FIXED, -1, 0), (long)WIN);
	ASSERT_EQ(umm_mmap(fault_mms[0], WIN + 32 * P, 32 * P, RW, MAP_PRIVATE | MAP_FIXED,
			   file_fd, 0), (long)(WIN + 32 * P));
	ASSERT_EQ(umm_mmap(fault_mms[0], WIN + 64 * P, 16 * P, RW, MAP_SHARED | MAP_FIXED,
			   file_fd, 0), (long)(WIN + 64 * P));
	ASSERT_EQ(umm_mmap(fault_mms[0], WIN + 80 * P, 32 * P, RW,
			   MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0), (long)(WIN + 80 * P));
	ASSERT_EQ(umm_touch(fault_mms[0], WIN, 112 * P, 1, NULL), 0);
	fault_mms[1] = umm_mm_fork(fault_mms[0]);
	ASSERT(fault_mms[1]);
	faulters_stop = 0;
	for (int t = 0; t < NTHREADS; t++)
		ASSERT_EQ(pthread_create(&th[t], NULL, fault_worker, (void *)(long)t), 0);
	for (long i = 0; i < checks && failed < 5; i++)
		failed += umm_mm_check(fault_mms[i & 1]) != 0;
	__atomic_store_n(&faulters_stop, 1, __ATOMIC_RELEASE);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(th[t], NULL);
	if (failed)
		fprintf(stderr, "seed %llu: umm_mm_check failed %d times under faults\n", seed,
			failed);
	EXPECT_EQ(failed, 0);
	for (int m = 0; m < 2; m++) {
		EXPECT_EQ(umm_mm_check(fault_mms[m]), 0);
		umm_mm_destroy(fault_mms[m]);
	}
	EXPECT_EQ(umm_page_alloc_check(), 0);
	EXPECT_EQ(free_pages_settled(), free0);
	umm_mm_destroy(keep);
}

/* The worker: everything above, under alarm(). */
static int run_tests(void)
{
	file_fd = make_test_file();
	if (file_fd < 0 || umm_boot("mem=128M")) {
		perror("stress_mm: test file or boot");
		return 1;
	}
	RUN(test_racing_calls);
	RUN(test_check_under_faults);
	close(file_fd);
	umm_shutdown();
	TEST_EXIT();
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "seed %llu, %ld steps per thread, %d threads\n", seed, steps, NTHREADS);
	return run_watched(run_tests, WATCHDOG_S, seed);
}
