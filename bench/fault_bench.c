// SPDX-License-Identifier: GPL-2.0
/*
 * fault_bench.c - umm's page faults and fork against the host kernel's,
 * the same work on both (mm/memory.c, kernel/fork.c).
 *
 * Usage: fault_bench [MiB]   (default 256; the fork test uses 4 x MiB,
 *                             1 GiB by default)
 *
 *   anon write    a store to every page of a fresh private anonymous
 *                 mapping: one write fault per page (umm: umm_access()
 *                 of one byte per page; host: *p = 1), then munmap
 *   file read     a load from every page of a MAP_PRIVATE mapping of a
 *                 temporary file of MiB: fault-around maps 16 pages per
 *                 fault on both.  umm "cold" reads the file into its page
 *                 cache (pread: major faults), "warm" finds it there; the
 *                 host's page cache is warm (the file was just written)
 *   fork          fork of an address space with 4 x MiB of anonymous
 *                 memory written: umm_mm_fork() against the host's fork()
 *                 (the parent's time until fork returns), then the child
 *                 goes (umm_mm_destroy(); the host child _exit()s and is
 *                 waited for, which is not timed)
 *
 * Medians of 5 runs, in pages per second (faults: also faults per
 * second), and the ratio umm / host.  umm boots with mem=3G (or more when
 * MiB asks for it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "mm/internal.h"
#include <umm/pgtable.h>

#define P	PAGE_SIZE
#define RUNS	5
#include "bench.h"


static void die(const char *what)
{
	fprintf(stderr, "fault_bench: %s failed\n", what);
	exit(1);
}

/* ---- anonymous write faults ---- */

/* A new mm with @len bytes of private anonymous memory at *@a. */
static struct mm_struct *umm_anon_mm(unsigned long len, unsigned long *a)
{
	struct mm_struct *mm = umm_mm_create();

	if (!mm)
		die("umm_mm_create");
	*a = (unsigned long)umm_mmap(mm, 0, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_VALUE(*a))
		die("umm_mmap");
	return mm;
}

/* One byte stored per page: a write fault each on fresh memory. */
static void umm_write_pages(struct mm_struct *mm, unsigned long a, unsigned long len)
{
	unsigned char c = 1;

	for (unsigned long off = 0; off < len; off += P)
		if (umm_access(mm, a + off, &c, 1, 1) != 1)
			die("umm_access");
}

static double umm_anon_write(unsigned long len)
{
	unsigned long a;
	struct mm_struct *mm = umm_anon_mm(len, &a);
	double t;

	t = now();
	umm_write_pages(mm, a, len);
	umm_munmap(mm, a, len);
	t = now() - t;
	umm_mm_destroy(mm);
	return t;
}

static double host_anon_write(unsigned long len)
{
	volatile unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t;

	if (m == MAP_FAILED)
		die("mmap");
	madvise((void *)m, len, MADV_NOHUGEPAGE);	/* 4 KiB faults, as umm's */
	t = now();
	for (unsigned long off = 0; off < len; off += P)
		m[off] = 1;
	munmap((void *)m, len);
	return now() - t;
}

/* ---- file read faults ---- */

static double umm_file_read(struct mm_struct *mm, int fd, unsigned long len,
			    unsigned long *faults)
{
	unsigned long a, flt;
	int code = 0;
	double t;

	a = (unsigned long)umm_mmap(mm, 0, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (IS_ERR_VALUE(a))
		die("umm_mmap file");
	flt = mm->min_flt + mm->maj_flt;
	t = now();
	if (umm_touch(mm, a, len, 0, &code))
		die("umm_touch file");
	t = now() - t;
	*faults = mm->min_flt + mm->maj_flt - flt;
	umm_munmap(mm, a, len);
	return t;
}

static double host_file_read(int fd, unsigned long len)
{
	volatile unsigned char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	unsigned char sum = 0;
	double t;

	if (m == MAP_FAILED)
		die("mmap file");
	t = now();
	for (unsigned long off = 0; off < len; off += P)
		sum += m[off];
	t = now() - t;
	munmap((void *)m, len);
	return t + sum * 0.0;
}

/* ---- fork ---- */

static double umm_fork(unsigned long len, double *destroy)
{
	unsigned long a;
	struct mm_struct *mm = umm_anon_mm(len, &a), *child;
	double t;

	umm_write_pages(mm, a, len);
	t = now();
	child = umm_mm_fork(mm);
	t = now() - t;
	if (!child)
		die("umm_mm_fork");
	*destroy = now();
	umm_mm_destroy(child);
	*destroy = now() - *destroy;
	umm_mm_destroy(mm);
	return t;
}

static double host_fork(unsigned long len)
{
	volatile unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	double t;
	pid_t pid;

	if (m == MAP_FAILED)
		die("mmap");
	madvise((void *)m, len, MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < len; off += P)
		m[off] = 1;
	t = now();
	pid = fork();
	if (pid == 0)
		_exit(0);
	t = now() - t;
	if (pid < 0)
		die("fork");
	waitpid(pid, NULL, 0);
	munmap((void *)m, len);
	return t;
}

int main(int argc, char **argv)
{
	char *end = NULL;
	unsigned long mib = argc > 1 ? strtoul(argv[1], &end, 0) : 256;
	unsigned long len = mib << 20, pages = len / P, fork_len = 4 * len;
	double u[RUNS], h[RUNS], w[RUNS], d[RUNS], mu, mh, mw;
	unsigned long faults = 0, warm_faults = 0;
	char cmdline[64], path[] = "/tmp/fault_bench.XXXXXX";
	int fd;

	if (argc > 2 || !mib || mib > 4096 || (end && *end)) {
		fprintf(stderr, "usage: fault_bench [MiB]   (1..4096, default 256; fork uses 4x)\n");
		return 2;
	}
	snprintf(cmdline, sizeof(cmdline), "mem=%luM", max(3072UL, 6 * mib + 512));
	if (umm_boot(cmdline))
		die("umm_boot");

	printf("fault_bench: %lu MiB (%lu pages), medians of %d runs\n\n", mib, pages, RUNS);
	printf("%-26s %14s %14s %8s\n", "", "umm", "host", "umm/host");

	for (int r = 0; r < RUNS; r++) {
		u[r] = umm_anon_write(len);
		h[r] = host_anon_write(len);
	}
	mu = median(u);
	mh = median(h);
	printf("%-26s %11.0f/s %11.0f/s %8.2f\n", "anon write faults", pages / mu,
	       pages / mh, mh / mu);

	/* the file: MiB of a pattern, in the host's page cache */
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	unlink(path);
	{
		char *buf = malloc(1 << 20);

		if (!buf)
			die("malloc");
		for (unsigned long i = 0; i < mib; i++) {
			memset(buf, (int)i, 1 << 20);
			if (write(fd, buf, 1 << 20) != 1 << 20)
				die("write");
		}
		free(buf);
	}
	for (int r = 0; r < RUNS; r++) {
		/* a new mm over a file whose page cache is gone: cold */
		struct mm_struct *mm = umm_mm_create();
		int ufd = dup(fd);

		if (!mm || ufd < 0)
			die("file setup");
		/* a page kept mapped keeps the file, and so its page cache */
		if (IS_ERR_VALUE((unsigned long)umm_mmap(mm, 0, P, PROT_READ, MAP_SHARED, ufd, 0)))
			die("umm_mmap keeper");
		u[r] = umm_file_read(mm, ufd, len, &faults);
		w[r] = umm_file_read(mm, ufd, len, &warm_faults);
		umm_mm_destroy(mm);
		close(ufd);
		h[r] = host_file_read(fd, len);
	}
	mu = median(u);
	mw = median(w);
	mh = median(h);
	printf("%-26s %11.0f/s %11.0f/s %8.2f   (%lu faults: %.0f/s)\n",
	       "file read, umm cold", pages / mu, pages / mh, mh / mu, faults, faults / mu);
	printf("%-26s %11.0f/s %11.0f/s %8.2f   (%lu faults: %.0f/s)\n",
	       "file read, umm warm", pages / mw, pages / mh, mh / mw, warm_faults,
	       warm_faults / mw);
	close(fd);

	for (int r = 0; r < RUNS; r++) {
		u[r] = umm_fork(fork_len, &d[r]);
		h[r] = host_fork(fork_len);
	}
	mu = median(u);
	mh = median(h);
	printf("%-26s %12.2f ms %11.2f ms %8.2f\n", "fork, ms", mu * 1e3, mh * 1e3, mh / mu);
	printf("  (%lu MiB populated; umm child teardown %.2f ms)\n", fork_len >> 20,
	       median(d) * 1e3);
	umm_shutdown();
	return 0;
}
