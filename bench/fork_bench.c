// SPDX-License-Identifier: GPL-2.0
/*
 * fork_bench.c - fork() + exit() + wait4() in umm against the host
 * kernel's, per cycle (kernel/fork.c, kernel/exit.c, mm/memory.c's
 * copy_page_range()).
 *
 * Usage: fork_bench [CYCLES]   (default 500 per shape and side)
 *
 * Shapes of the parent's address space:
 *   empty      no mappings of its own (umm: an empty mm; host: this
 *              process as it is, its libraries and heap)
 *   1000 vmas  1,000 separate private anonymous mappings of 4 pages,
 *              every other one read-only so that none merge, each with
 *              its first page touched: fork copies 1,000 VMAs and their
 *              page tables, write-protecting 500 pages for COW
 *
 *   umm    umm_clone(SIGCHLD) of a task that holds the mappings, then
 *          umm_exit() of the child and umm_wait4() by the parent
 *   host   fork(), the child _exit(0)s at once, waitpid(); the kernel's
 *          fork, exit and wait plus the scheduler running the child
 *
 * Medians of 5 runs of CYCLES cycles each, in microseconds per cycle,
 * and the ratio umm / host, side by side.  The host runs first, before
 * umm boots, so that its forks do not copy umm's own mappings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <umm.h>
#include <umm/sched.h>

#define RUNS	5
#include "bench.h"
#define NVMAS	1000
#define VMA_PAGES 4


static int prot_of(int i)
{
	return i & 1 ? PROT_READ : PROT_READ | PROT_WRITE;
}

/* ---- the host ---- */

static void **host_maps;

static int host_map(void)
{
	long pg = sysconf(_SC_PAGESIZE);

	host_maps = calloc(NVMAS, sizeof(*host_maps));
	if (!host_maps)
		return -1;
	for (int i = 0; i < NVMAS; i++) {
		char *p = mmap(NULL, (size_t)(VMA_PAGES * pg), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return -1;
		p[0] = 1;	/* a page to copy the table of */
		if (mprotect(p, (size_t)(VMA_PAGES * pg), prot_of(i)))
			return -1;
		host_maps[i] = p;
	}
	return 0;
}

static void host_unmap(void)
{
	long pg = sysconf(_SC_PAGESIZE);

	for (int i = 0; i < NVMAS; i++)
		munmap(host_maps[i], (size_t)(VMA_PAGES * pg));
	free(host_maps);
}

static double host_run(long n)
{
	double t0 = now();

	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (!pid)
			_exit(0);
		if (waitpid(pid, &status, 0) != pid)
			return -1;
	}
	return now() - t0;
}

/* ---- umm ---- */

static int umm_map(struct task_struct *t)
{
	for (int i = 0; i < NVMAS; i++) {
		unsigned long len = VMA_PAGES * PAGE_SIZE, a;
		int code = 0;

		a = (unsigned long)umm_mmap(t->mm, 0, len, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (IS_ERR_VALUE(a) || umm_touch(t->mm, a, PAGE_SIZE, 1, &code) ||
		    umm_mprotect(t->mm, a, len, prot_of(i)))
			return -1;
	}
	return 0;
}

static double umm_run(struct task_struct *parent, long n)
{
	double t0 = now();
	int status;

	for (long i = 0; i < n; i++) {
		long pid = umm_clone(parent, SIGCHLD);
		struct task_struct *c;

		if (pid < 0)
			return -1;
		c = umm_find_task((pid_t)pid);
		umm_exit(c, 0);
		if (umm_wait4(parent, (pid_t)pid, &status, 0) != pid)
			return -1;
	}
	return now() - t0;
}

static struct task_struct *umm_parent(bool mapped)
{
	long pid = umm_clone(umm_init_task(), SIGCHLD);
	struct task_struct *t;

	if (pid < 0)
		return NULL;
	t = umm_find_task((pid_t)pid);
	if (mapped && umm_map(t))
		return NULL;
	return t;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 500;
	static const char *const shapes[] = { "empty", "1000 vmas" };
	double h[2][RUNS];

	if (n <= 0)
		n = 500;
	/*
	 * The host side first, before umm boots: umm's memory (a memfd
	 * mapped twice) would make every host fork copy its page tables.
	 */
	for (int s = 0; s < 2; s++) {
		if (s == 1 && host_map()) {
			fprintf(stderr, "fork_bench: could not map %d VMAs\n", NVMAS);
			return 1;
		}
		for (int r = 0; r < RUNS; r++) {
			h[s][r] = host_run(n) / (double)n * 1e6;
			if (h[s][r] < 0) {
				fprintf(stderr, "fork_bench: a host fork failed\n");
				return 1;
			}
		}
		if (s == 1)
			host_unmap();
	}
	if (umm_boot(NULL))
		return 1;
	printf("%-10s %14s %14s %9s\n", "parent", "umm us/cycle", "host us/cycle", "umm/host");
	for (int s = 0; s < 2; s++) {
		struct task_struct *parent = umm_parent(s == 1);
		double u[RUNS];
		int status;

		if (!parent) {
			fprintf(stderr, "fork_bench: could not map %d VMAs in umm\n", NVMAS);
			return 1;
		}
		for (int r = 0; r < RUNS; r++) {
			u[r] = umm_run(parent, n) / (double)n * 1e6;
			if (u[r] < 0) {
				fprintf(stderr, "fork_bench: a umm fork failed\n");
				return 1;
			}
		}
		printf("%-10s %14.1f %14.1f %9.2f\n", shapes[s], median(u), median(h[s]),
		       median(u) / median(h[s]));
		umm_exit(parent, 0);
		umm_wait4(umm_init_task(), parent->pid, &status, 0);
	}
	umm_shutdown();
	return 0;
}
