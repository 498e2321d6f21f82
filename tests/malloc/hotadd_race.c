// SPDX-License-Identifier: GPL-2.0
/*
 * hotadd_race.c - threads allocate while umm grows its memory by
 * hot-add (mm/memory_hotplug.c), run with libumm-malloc.so preloaded:
 * every block must be umm's the moment it is handed out, so
 * malloc_usable_size() covers its size (and free() frees it).  A page of
 * a range being added could once be handed out before max_pfn moved past
 * it: malloc_usable_size() read 0, and free() took the block for a
 * foreign one and leaked it.
 *
 * Each of ROUNDS fresh processes starts THREADS threads at a barrier,
 * half allocating 1 KiB blocks and half 1 MiB ones (untouched but for a
 * byte, so the host pays little), some GiB in all: several sections
 * are added while they run.  The window is a few microseconds wide, so
 * a run catches it now and then, not every time (the fork_api soak
 * met it once in some ten runs); the ordering itself is in
 * __add_memory_pages().  Inputs are fixed (no seed); each process runs
 * under alarm().
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS	6
#define ROUNDS	6

static pthread_barrier_t start;

static void *allocator(void *arg)
{
	long id = (long)arg;
	size_t n = id & 1 ? 1u << 20 : 1000;
	int blocks = id & 1 ? 250 : 250000;

	pthread_barrier_wait(&start);
	for (int i = 0; i < blocks; i++) {
		char *p = malloc(n);
		size_t usable = malloc_usable_size(p);

		if (!p || usable < n) {
			printf("FAIL: thread %ld: block %p of %zu bytes: usable %zu\n", id,
			       (void *)p, n, usable);
			fflush(stdout);
			_exit(1);
		}
		p[0] = 1;
	}
	return NULL;
}

static void round_process(void)
{
	pthread_t t[THREADS];

	alarm(60);
	pthread_barrier_init(&start, NULL, THREADS);
	for (long i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, allocator, (void *)i))
			_exit(2);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	_exit(0);
}

int main(void)
{
	for (int r = 0; r < ROUNDS; r++) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			round_process();
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			perror("fork");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL: round %d: status %#x%s\n", r, status,
			       WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ? " (hung)" : "");
			return 1;
		}
	}
	puts("hotadd_race: ok");
	return 0;
}
