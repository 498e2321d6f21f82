/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test.h - the unit-test harness: each test file is one CTest test,
 * made of TEST() functions run by RUN_TESTS().  EXPECT_* records a
 * failure and goes on; ASSERT_* stops the current test.  The process
 * exits non-zero if anything failed, which is what CTest reports.
 */
#ifndef _UMM_TEST_H
#define _UMM_TEST_H

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static int test_failures;
static int test_current_failed;
static jmp_buf test_abort;

#define TEST(name) static void name(void)

#define __EXPECT(cond, stop, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: FAILED: %s" fmt "\n",	\
				__FILE__, __LINE__, #cond, ##__VA_ARGS__); \
			test_current_failed = 1;			\
			if (stop)					\
				longjmp(test_abort, 1);			\
		}							\
	} while (0)

#define EXPECT(cond)	__EXPECT(cond, 0, "")
#define ASSERT(cond)	__EXPECT(cond, 1, "")
#define EXPECT_EQ(a, b)							\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		__EXPECT(__a == __b, 0, " (%lld != %lld)", __a, __b);	\
	} while (0)
#define ASSERT_EQ(a, b)							\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		__EXPECT(__a == __b, 1, " (%lld != %lld)", __a, __b);	\
	} while (0)
#define EXPECT_STREQ(a, b)						\
	do {								\
		const char *__a = (a), *__b = (b);			\
		__EXPECT(__a && __b && !strcmp(__a, __b), 0,		\
			 "\n  got:      \"%s\"\n  expected: \"%s\"",	\
			 __a ? __a : "(null)", __b ? __b : "(null)");	\
	} while (0)

/* @text is (or is not) somewhere in the captured output @buf; else a failure showing @buf. */
#define EXPECT_IN(buf, text)						\
	do {								\
		if (!strstr((buf), (text))) {				\
			fprintf(stderr, "%s:%d: report lacks \"%s\"; it was:\n%s\n", \
				__FILE__, __LINE__, (text), (buf));	\
			test_current_failed = 1;			\
		}							\
	} while (0)
#define EXPECT_NOT_IN(buf, text)					\
	do {								\
		if (strstr((buf), (text))) {				\
			fprintf(stderr, "%s:%d: report has \"%s\"; it was:\n%s\n", \
				__FILE__, __LINE__, (text), (buf));	\
			test_current_failed = 1;			\
		}							\
	} while (0)

static inline void run_test(const char *name, void (*fn)(void))
{
	test_current_failed = 0;
	fprintf(stderr, "[ RUN  ] %s\n", name);
	if (!setjmp(test_abort))
		fn();
	fprintf(stderr, "[ %s ] %s\n", test_current_failed ? "FAIL" : " OK ", name);
	test_failures += test_current_failed;
}

#define RUN(fn) run_test(#fn, fn)
#define TEST_EXIT()							\
	do {								\
		fprintf(stderr, "%d test(s) failed\n", test_failures);	\
		return test_failures ? 1 : 0;				\
	} while (0)

/* splitmix64: a test's reproducible random stream from its seed. */
static inline unsigned long long test_splitmix64(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A stress test's "[seed] [steps]" arguments, over their defaults. */
static inline void parse_seed_steps(int argc, char **argv, unsigned long long *seed, long *steps)
{
	if (argc > 1)
		*seed = strtoull(argv[1], NULL, 0);
	if (argc > 2)
		*steps = strtol(argv[2], NULL, 0);
}

/*
 * A hung child's threads, as gdb sees them, on stderr: what a watchdog
 * prints before it kills, so that a hang in CI names where it hung.
 * Needs gdb and the right to trace (root, or ptrace_scope 0); else says
 * so.  gdb itself runs under timeout(1), and its own output is all.
 */
static inline void dump_hung_threads(pid_t pid)
{
	char cmd[320];

	snprintf(cmd, sizeof(cmd),
		 "command -v gdb >/dev/null 2>&1 && timeout 60 gdb -nx -batch -p %d "
		 "-ex 'thread apply all bt' </dev/null 1>&2 2>/dev/null || "
		 "echo '(no gdb backtrace of the hung child)' 1>&2", (int)pid);
	fflush(stderr);
	if (system(cmd) == -1)
		fprintf(stderr, "(could not run gdb)\n");
}

/*
 * Run @fn in a forked child under a watchdog: a hang (@seconds pass) or
 * a crash is a failure naming @seed; a hung child's threads are printed
 * (dump_hung_threads()) before it is killed.  The child also arms
 * alarm() a minute later, should the parent's watch fail.  Returns
 * main()'s exit status.
 */
static inline int run_watched(int (*fn)(void), unsigned int seconds, unsigned long long seed)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	unsigned long waited = 0;
	int status;
	pid_t pid = fork(), w;

	if (pid < 0)
		return 1;
	if (pid == 0) {
		alarm(seconds + 60);
		_exit(fn());
	}
	while ((w = waitpid(pid, &status, WNOHANG)) == 0) {
		if (waited++ >= seconds * 100UL) {
			fprintf(stderr, "seed %llu: the worker hung (%u s): its threads:\n", seed,
				seconds);
			dump_hung_threads(pid);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	if (w != pid)
		return 1;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "seed %llu: the worker died of signal %d%s\n", seed,
			WTERMSIG(status),
			WTERMSIG(status) == SIGALRM ? " (hung: the watchdog fired)" : "");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

#endif /* _UMM_TEST_H */
