// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - run a command and write its wall time and peak RSS, as
 * run.sh measures every run: "SECONDS MAX_RSS_KIB" to OUTFILE, from
 * clock_gettime() around fork+exec and wait4()'s ru_maxrss (which covers
 * the command's waited-for children too, and the preload, since it is in
 * the process).  The process forked is this small one, so its own pages
 * before exec do not count much (a fork from python3 would add ~10 MiB).
 * Exits with the command's status, or 128 + the signal that killed it.
 *
 *   alloc_timer OUTFILE COMMAND [ARG...]
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OUTFILE COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fprintf(f, "%.3f %ld\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		ru.ru_maxrss);
	fclose(f);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
