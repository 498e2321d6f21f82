// SPDX-License-Identifier: GPL-2.0
/*
 * exit_in_allocator.c - a program that calls exit() while umm's allocator
 * holds one of its locks, as a signal handler that calls exit() does when
 * the signal lands inside malloc() (not async-signal-safe, but common:
 * SIGINT and SIGTERM handlers that "clean up and exit").
 *
 * The program's own pthread_mutex_lock() comes first in symbol lookup, so
 * that libumm-malloc.so's mutex_lock() calls land here: once armed, the
 * first one exit()s with the lock held, inside the fork gate.  With
 * UMM_REPORT set, the report must neither wait for ever for that lock
 * (alarm(): the watchdog) nor pretend the process never called malloc.
 * Exit status 0 from the exit() in the lock, 2 and 3 when it never came.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

static int armed;
static void *volatile keep;	/* so that the compiler keeps each malloc() */

int pthread_mutex_lock(pthread_mutex_t *m)
{
	static int (*real)(pthread_mutex_t *);
	int ret;

	if (!real)	/* dlsym() may allocate: the boot's locks spin meanwhile */
		real = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
	if (real) {
		ret = real(m);
	} else {
		while ((ret = pthread_mutex_trylock(m)) == EBUSY)
			sched_yield();
	}
	if (!ret && __atomic_exchange_n(&armed, 0, __ATOMIC_ACQ_REL))
		exit(0);	/* "the handler": the lock stays held */
	return ret;
}

static void *first_malloc(void *arg)
{
	(void)arg;
	keep = malloc(32);	/* a thread's first allocation locks the thread list */
	free(keep);
	return NULL;
}

int main(void)
{
	pthread_t t;

	keep = malloc(32);	/* umm boots here */
	free(keep);
	alarm(20);		/* a report that waits for the lock is a failure */
	__atomic_store_n(&armed, 1, __ATOMIC_RELEASE);
	if (pthread_create(&t, NULL, first_malloc, NULL))
		return 2;
	pthread_join(t, NULL);
	return 3;
}
