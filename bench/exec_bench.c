// SPDX-License-Identifier: GPL-2.0
/*
 * exec_bench.c - execve() in umm against the host kernel's, per exec
 * (fs/exec.c, fs/binfmt_elf.c).
 *
 * Usage: exec_bench [EXECS]   (default 200 per program and side)
 *
 * Programs: /usr/bin/true (a small PIE and ld.so), python3 (the
 * system's /usr/bin/python3, else the one on PATH, resolved), and gcc's cc1
 * (`gcc -print-prog-name=cc1`, a 30 MB PIE).
 *
 *   umm    umm_execve() of the file into a task whose mm is a fresh one
 *          each time (the old one goes in the exec), randomization off;
 *          the time includes building the image, the vDSO and the stack,
 *          and dropping the old mm, not the task's creation
 *   host   fork(), then in the child personality(ADDR_NO_RANDOMIZE),
 *          PTRACE_TRACEME and execve(); the parent's time until it sees
 *          the exec trap (the child is then killed, not timed): the
 *          kernel's exec plus fork and two context switches
 *
 * Medians of 5 runs of EXECS execs each, in microseconds per exec, and
 * the ratio umm / host, side by side.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <umm.h>
#include <umm/sched.h>

#define RUNS	5
#include "bench.h"

static char *envp[] = { "PATH=/usr/bin:/bin", "HOME=/", NULL };


/* Seconds for @n host execs of @path, each to its trap. */
static double host_run(const char *path, long n)
{
	char *argv[] = { (char *)path, NULL };
	double t = 0;

	for (long i = 0; i < n; i++) {
		double t0 = now();
		int status;
		pid_t pid = fork();

		if (pid < 0)
			return -1;
		if (!pid) {
			personality(ADDR_NO_RANDOMIZE);
			ptrace(PTRACE_TRACEME, 0, NULL, NULL);
			execve(path, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status))
			return -1;
		t += now() - t0;
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	return t;
}

/* Seconds for @n umm execs of @path, each replacing the last image. */
static double umm_run(const char *path, long n)
{
	char *argv[] = { (char *)path, NULL };
	struct signal_struct sig = { 0 };
	struct task_struct t = { 0 };
	double t0;
	int r;

	for (r = 0; r < UMM_RLIM_NLIMITS; r++)
		getrlimit(r, &sig.rlim[r]);
	t.signal = &sig;
	t.personality = ADDR_NO_RANDOMIZE;
	t.mm = t.active_mm = umm_mm_create();
	if (!t.mm)
		return -1;
	t0 = now();
	for (long i = 0; i < n; i++) {
		long err = umm_execve(&t, path, argv, envp);

		if (err) {
			fprintf(stderr, "umm_execve(%s): %s\n", path, strerror((int)-err));
			umm_mm_destroy(t.mm);
			return -1;
		}
	}
	t0 = now() - t0;
	umm_mm_destroy(t.mm);
	return t0;
}

static char *resolve(const char *cmd)
{
	char buf[4096];
	FILE *p = popen(cmd, "r");
	char *r = NULL;

	if (p && fgets(buf, sizeof(buf), p)) {
		buf[strcspn(buf, "\n")] = '\0';
		r = realpath(buf, NULL);
	}
	if (p)
		pclose(p);
	return r;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 0) : 200;
	char *progs[3] = { realpath("/usr/bin/true", NULL), resolve("test -x /usr/bin/python3 && echo /usr/bin/python3 || command -v python3"),
			   resolve("gcc -print-prog-name=cc1") };
	const char *names[3] = { "true", "python3", "cc1" };

	if (n <= 0)
		n = 200;
	printf("%-8s %-52s %12s %12s %8s\n", "program", "file", "umm us/exec",
	       "host us/exec", "umm/host");
	for (int p = 0; p < 3; p++) {
		double u[RUNS], h[RUNS];

		if (!progs[p]) {
			printf("%-8s (not found)\n", names[p]);
			continue;
		}
		for (int r = 0; r < RUNS; r++) {
			u[r] = umm_run(progs[p], n) / (double)n * 1e6;
			h[r] = host_run(progs[p], n) / (double)n * 1e6;
			if (u[r] < 0 || h[r] < 0) {
				fprintf(stderr, "%s: an exec failed\n", progs[p]);
				return 1;
			}
		}
		printf("%-8s %-52s %12.1f %12.1f %8.2f\n", names[p], progs[p], median(u),
		       median(h), median(u) / median(h));
		free(progs[p]);
	}
	return 0;
}
