// SPDX-License-Identifier: GPL-2.0
/*
 * thread_exit_leak.c - threads whose last free() comes after the
 * allocator's own thread-exit handler, run with libumm-malloc.so
 * preloaded (CTest: malloc_thread_exit_leak).
 *
 * glibc frees a thread's strerror() buffer (an unknown errno's message
 * is built with malloc) and its dlerror() state only in
 * __libc_thread_freeres(), after every pthread key destructor has run; a
 * thread key destructor frees memory of another key's, a round later.
 * Each thread here ends that way.  After 20,000 of them the process must
 * not have grown by more than a few MB, and fork()+wait() must cost what
 * it cost before them: per-thread state left behind by the dead threads
 * shows as both.
 *
 * usage: thread_exit_leak [-n threads]; exit status 0 pass, 1 fail
 * (the figures are printed), 2 its watchdog fired.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RSS_LIMIT_KB	(4 * 1024)
#define FORK_LIMIT_MS	10.0
#define BATCH		8

static pthread_key_t late_key, early_key;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* VmRSS from /proc/self/status, in KiB (0 if unreadable). */
static long vm_rss_kb(void)
{
	char line[256];
	long kb = 0;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* The best of a few fork()+waitpid() round trips, in ms. */
static double fork_wait_ms(void)
{
	double best = 1e9;

	for (int i = 0; i < 5; i++) {
		double t0 = now_ms();
		pid_t pid = fork();
		int status;

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &status, 0) != pid)
			return -1;
		if (now_ms() - t0 < best)
			best = now_ms() - t0;
	}
	return best;
}

/* A destructor that re-arms another key: frees in a later round. */
static void early_dtor(void *p)
{
	pthread_setspecific(late_key, p);
}

static void late_dtor(void *p)
{
	free(p);
}

static void *thread_main(void *arg)
{
	unsigned long i = (unsigned long)arg;

	free(malloc(100));
	switch (i % 3) {
	case 0:		/* glibc keeps the message until the thread's freeres */
		if (!strstr(strerror(5000 + (int)(i % 100)), "Unknown"))
			return (void *)1;
		break;
	case 1:		/* the dlerror() state too */
		if (dlopen("/nonexistent/libnothing.so", RTLD_NOW) || !dlerror())
			return (void *)1;
		break;
	case 2:		/* freed by a destructor of the second round */
		pthread_setspecific(early_key, malloc(200));
		break;
	}
	return NULL;
}

static void on_alarm(int sig)
{
	static const char msg[] = "FAIL: thread_exit_leak: watchdog fired\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

static int run_threads(unsigned long from, unsigned long n)
{
	for (unsigned long i = from; i < from + n; i += BATCH) {
		pthread_t t[BATCH];
		void *ret;
		int err = 0;

		for (int k = 0; k < BATCH; k++)
			if (pthread_create(&t[k], NULL, thread_main, (void *)(i + k)))
				return -1;
		for (int k = 0; k < BATCH; k++)
			if (pthread_join(t[k], &ret) || ret)
				err = -1;
		if (err)
			return err;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long nthreads = 20000;
	double fork_before, fork_after;
	long rss_before, rss_after;
	int opt, fail = 0;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: %s [-n threads]\n", argv[0]);
			return 2;
		}
		nthreads = strtoul(optarg, NULL, 0);
	}
	signal(SIGALRM, on_alarm);
	alarm(300);
	pthread_key_create(&early_key, early_dtor);
	pthread_key_create(&late_key, late_dtor);

	/* Warm up: the first threads' stacks, caches and dlerror's own state. */
	if (run_threads(0, 240)) {
		fprintf(stderr, "FAIL: a thread failed to start or to see its error\n");
		return 1;
	}
	rss_before = vm_rss_kb();
	fork_before = fork_wait_ms();
	if (run_threads(240, nthreads)) {
		fprintf(stderr, "FAIL: a thread failed to start or to see its error\n");
		return 1;
	}
	rss_after = vm_rss_kb();
	fork_after = fork_wait_ms();
	alarm(0);

	printf("thread_exit_leak: %lu threads: RSS %ld -> %ld KiB (+%ld), fork+wait %.2f -> %.2f ms\n",
	       nthreads, rss_before, rss_after, rss_after - rss_before, fork_before, fork_after);
	if (rss_after - rss_before > RSS_LIMIT_KB) {
		printf("FAIL: RSS grew by %ld KiB (limit %d)\n", rss_after - rss_before, RSS_LIMIT_KB);
		fail = 1;
	}
	if (fork_after < 0 || fork_after > FORK_LIMIT_MS) {
		printf("FAIL: fork+wait took %.2f ms (limit %.0f)\n", fork_after, FORK_LIMIT_MS);
		fail = 1;
	}
	return fail;
}
