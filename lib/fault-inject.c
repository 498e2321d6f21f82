// SPDX-License-Identifier: GPL-2.0
/*
 * fault-inject.c - the kernel's fault-injection capability
 * (lib/fault-inject.c): decide whether the next eligible call fails.
 *
 * Order of the tests is the kernel's: probability 0 disables; times == 0
 * means no failures left; space lets that many bytes pass first; interval
 * fails every interval-th call; then a probability draw in percent.
 * Counters are atomics so concurrent callers never lose a decrement.
 */
#include <errno.h>
#include <stdio.h>
#include "../mm/internal.h"

static void fail_dump(const struct fault_attr *attr)
{
	if (attr->verbose > 0)
		pr_notice("FAULT_INJECTION: forcing a failure.\n"
			  "name %s, interval %lu, probability %lu, space %d, times %d\n",
			  attr->name, attr->interval, attr->probability,
			  __atomic_load_n(&attr->space, __ATOMIC_RELAXED),
			  __atomic_load_n(&attr->times, __ATOMIC_RELAXED));
}

bool should_fail_ex(struct fault_attr *attr, long size, int flags)
{
	int times;

	if (READ_ONCE(attr->probability) == 0)
		return false;
	if (__atomic_load_n(&attr->times, __ATOMIC_RELAXED) == 0)
		return false;
	if (__atomic_load_n(&attr->space, __ATOMIC_RELAXED) > size) {
		__atomic_fetch_sub(&attr->space, (int)size, __ATOMIC_RELAXED);
		return false;
	}
	if (attr->interval > 1) {
		unsigned long n = __atomic_add_fetch(&attr->count, 1, __ATOMIC_RELAXED);
		if (n % attr->interval)
			return false;
	}
	if (attr->probability <= umm_random_below(100))
		return false;

	/* Take one of the remaining failures, unless unlimited (-1). */
	times = __atomic_load_n(&attr->times, __ATOMIC_RELAXED);
	do {
		if (times == 0)
			return false;
		if (times == -1)
			break;
	} while (!__atomic_compare_exchange_n(&attr->times, &times, times - 1, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	if (!(flags & FAULT_NOWARN))
		fail_dump(attr);
	return true;
}

bool should_fail(struct fault_attr *attr, long size)
{
	return should_fail_ex(attr, size, 0);
}

int setup_fault_attr(struct fault_attr *attr, const char *str)
{
	unsigned long probability, interval;
	int times, space, n = 0;

	if (sscanf(str, "%lu,%lu,%d,%d%n", &interval, &probability, &space,
		   &times, &n) < 4 || str[n] || probability > 100 ||
	    interval == 0 || space < 0 || times < -1)
		return -EINVAL;		/* the caller names the parameter */
	attr->probability = probability;
	attr->interval = interval;
	__atomic_store_n(&attr->times, times, __ATOMIC_RELAXED);
	__atomic_store_n(&attr->space, space, __ATOMIC_RELAXED);
	__atomic_store_n(&attr->count, 0, __ATOMIC_RELAXED);
	return 0;
}
