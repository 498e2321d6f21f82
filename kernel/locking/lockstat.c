// SPDX-License-Identifier: GPL-2.0
/*
 * lockstat.c - the lock statistics' registry (kernel/locking/lockdep.c's
 * lock_stat part, CONFIG_LOCK_STAT, in a much smaller form).
 *
 * Owns: the list of lock sites that have counted (include/umm/spinlock.h,
 * built with -DUMM_LOCK_STAT=ON), their reset and their report.
 *
 * A site registers itself at its first acquisition: it is pushed on a
 * lock-free list (a compare-and-swap on the head), so registering takes
 * no lock that could itself be counted.  Sites are static and never go
 * away.  The report lists sites by acquisitions, with contentions beside
 * them, as /proc/lock_stat lists classes; the kernel's bounce and wait
 * and hold time columns are not measured here, so they are not printed.
 * Without UMM_LOCK_STAT the functions exist and report that nothing is
 * counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umm/spinlock.h>
#include <umm/lockstat.h>
#include <errno.h>

#if UMM_LOCK_STAT
static struct lock_site *lock_sites;

void lock_stat_register(struct lock_site *site)
{
	int zero = 0;

	/* One thread wins the right to push the site. */
	if (!__atomic_compare_exchange_n(&site->registered, &zero, 2, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	site->next = __atomic_load_n(&lock_sites, __ATOMIC_ACQUIRE);
	while (!__atomic_compare_exchange_n(&lock_sites, &site->next, site, true,
					    __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
		;
	__atomic_store_n(&site->registered, 1, __ATOMIC_RELEASE);
}

void umm_lock_stat_reset(void)
{
	for (struct lock_site *s = __atomic_load_n(&lock_sites, __ATOMIC_ACQUIRE); s; s = s->next) {
		__atomic_store_n(&s->acquisitions, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->contentions, 0, __ATOMIC_RELAXED);
	}
}

static int site_cmp(const void *a, const void *b)
{
	const struct umm_lock_stat *x = a, *y = b;

	return x->acquisitions < y->acquisitions ? 1 : x->acquisitions > y->acquisitions ? -1 : 0;
}

int umm_lock_stat_read(struct umm_lock_stat *out, int max)
{
	int n = 0;

	for (struct lock_site *s = __atomic_load_n(&lock_sites, __ATOMIC_ACQUIRE); s; s = s->next) {
		unsigned long acq = __atomic_load_n(&s->acquisitions, __ATOMIC_RELAXED);
		unsigned long con = __atomic_load_n(&s->contentions, __ATOMIC_RELAXED);
		int i;

		if (!acq && !con)
			continue;
		/* A site in a header's inline function has a copy per file: one row. */
		for (i = 0; i < n; i++)
			if (out[i].line == s->line && !strcmp(out[i].file, s->file))
				break;
		if (i == n) {
			if (n == max)
				continue;
			out[n++] = (struct umm_lock_stat){ s->file, s->func, s->line, 0, 0 };
		}
		out[i].acquisitions += acq;
		out[i].contentions += con;
	}
	qsort(out, (size_t)n, sizeof(*out), site_cmp);
	return n;
}
#else
void umm_lock_stat_reset(void)
{
}

int umm_lock_stat_read(struct umm_lock_stat *out, int max)
{
	(void)out;
	(void)max;
	return -EOPNOTSUPP;
}
#endif
