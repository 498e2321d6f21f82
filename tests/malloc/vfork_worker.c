// SPDX-License-Identifier: GPL-2.0
/*
 * vfork_worker.c - a vfork() child that frees, run with libumm-malloc.so
 * preloaded.  The child shares the parent's memory and allocator, but
 * not its threads: the reclaim worker (mm/vmstat.c) must not be started
 * by it, or the parent is left believing in a worker that died with the
 * child, and one killed mid-pass holds the fork gate for ever, so that
 * the parent's next fork() never returns.
 *
 *  1. the child frees blocks of the reporting order (the first such
 *     frees of the process, which would start the worker) and _exit()s;
 *     then the parent frees some of its own, and within a few seconds a
 *     thread named "umm-vmstat" must run in the parent;
 *  2. ROUNDS times, in a fresh process each: the vfork() child frees and
 *     _exit()s after a random delay (the worker, were it the child's,
 *     would die at any point of its pass), and the parent then allocates,
 *     frees and fork()s; each round runs under alarm(), and a round that
 *     does not end is a hang.
 * The seed (argv[1], else the time) is printed.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../proc_self.h"

#define BLOCKS	16
#define BLOCK	(3u << 20)
#define ROUNDS	20

static bool has_worker(void)
{
	return thread_by_comm("umm-vmstat") != 0;
}

static void alloc_blocks(char **big)
{
	for (int i = 0; i < BLOCKS; i++) {
		big[i] = malloc(BLOCK);
		if (!big[i]) {
			fprintf(stderr, "FAIL: malloc\n");
			_exit(1);
		}
		memset(big[i], 1, BLOCK);
	}
}

/* vfork(); the child frees @big, waits @delay_us and _exit()s. */
static void vfork_and_free(char **big, unsigned int delay_us)
{
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		for (int i = 0; i < BLOCKS; i++)
			free(big[i]);
		if (delay_us)
			usleep(delay_us);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fprintf(stderr, "FAIL: vfork\n");
		_exit(1);
	}
}

static int worker_in_parent(void)
{
	char *big[BLOCKS], *mine[BLOCKS];

	alloc_blocks(big);
	alloc_blocks(mine);
	vfork_and_free(big, 0);
	for (int i = 0; i < BLOCKS; i++)
		free(mine[i]);
	for (int tries = 0; tries < 300; tries++) {
		if (has_worker())
			return 0;
		free(malloc(BLOCK));
		usleep(10000);
	}
	fprintf(stderr, "FAIL: no reclaim worker in the parent after a vfork() child freed\n");
	return 1;
}

static void round_child(unsigned int delay_us)
{
	char *big[BLOCKS];
	int status;

	alarm(5);
	alloc_blocks(big);
	vfork_and_free(big, delay_us);
	for (int r = 0; r < 5; r++) {
		char *p = malloc(5u << 20);
		pid_t pid;

		if (!p)
			_exit(1);
		memset(p, 2, 5u << 20);
		free(p);
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned int seed = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 0) :
			    (unsigned int)time(NULL) ^ (unsigned int)getpid();
	int status;
	pid_t pid;

	printf("vfork_worker: seed %u\n", seed);
	fflush(stdout);
	srand(seed);
	alarm(100);
	pid = fork();
	if (pid == 0)
		_exit(worker_in_parent());
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return 1;
	for (int round = 0; round < ROUNDS; round++) {
		unsigned int delay = (unsigned int)rand() % 3000;

		pid = fork();
		if (pid == 0)
			round_child(delay);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return 1;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "FAIL: round %d (delay %u us): %s: seed %u\n", round, delay,
				WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ?
				"hung" : "failed", seed);
			return 1;
		}
	}
	puts("vfork_worker: ok");
	return 0;
}
