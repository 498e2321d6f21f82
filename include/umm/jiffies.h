/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jiffies.h - the tick count and its arithmetic (include/linux/jiffies.h,
 * LKD3 chapter 11, "Timers and Time Management").
 *
 * HZ is a boot parameter (umm.hz=100|250|300|1000, Kconfig's choices;
 * default 250, Debian's CONFIG_HZ), so it is a variable here where the
 * kernel has a constant.  jiffies counts the ticks of umm's simulated
 * clock (kernel/time/timekeeping.c), which only umm_sched_run() moves:
 * it starts at INITIAL_JIFFIES, five minutes before the 32-bit wrap, as
 * the kernel's does, so that wrap bugs show early.  Compare jiffies
 * only with time_after() and friends: they are right across the wrap.
 */
#ifndef _UMM_JIFFIES_H
#define _UMM_JIFFIES_H

#include "compiler.h"
#include <limits.h>

UMM_BEGIN_DECLS

UMM_API extern unsigned int umm_hz;
#define HZ		umm_hz
#ifndef USER_HZ
#define USER_HZ		100		/* what /proc reports clock ticks in */
#endif
#ifndef NSEC_PER_SEC
#define NSEC_PER_SEC	1000000000L
#endif
#ifndef NSEC_PER_MSEC
#define NSEC_PER_MSEC	1000000L
#endif
#ifndef NSEC_PER_USEC
#define NSEC_PER_USEC	1000L
#endif
#ifndef USEC_PER_SEC
#define USEC_PER_SEC	1000000L
#endif
#ifndef MSEC_PER_SEC
#define MSEC_PER_SEC	1000L
#endif
/* The tick's length in ns, rounded (include/linux/jiffies.h) */
#define TICK_NSEC	((NSEC_PER_SEC + HZ / 2) / HZ)
#define INITIAL_JIFFIES	((unsigned long)(unsigned int)(-300 * (int)HZ))
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

UMM_API extern u64 jiffies_64;
/* An rvalue, as the kernel's volatile read: nobody but the tick writes it. */
#define jiffies	((unsigned long)__atomic_load_n(&jiffies_64, __ATOMIC_RELAXED))

static inline u64 get_jiffies_64(void)
{
	return __atomic_load_n(&jiffies_64, __ATOMIC_RELAXED);
}

/* a is after b: right across the wrap, as long as they are < LONG_MAX apart */
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define time_in_range(a, b, c)	(time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c) (time_after_eq(a, b) && time_before(a, c))
#define time_after64(a, b)	((long long)((b) - (a)) < 0)
#define time_before64(a, b)	time_after64(b, a)
#define time_after_eq64(a, b)	((long long)((a) - (b)) >= 0)
#define time_before_eq64(a, b)	time_after_eq64(b, a)
#define time_is_before_jiffies(a)	time_after(jiffies, a)
#define time_is_after_jiffies(a)	time_before(jiffies, a)
#define time_is_before_eq_jiffies(a)	time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)	time_before_eq(jiffies, a)

/* kernel/time/time.c: conversions, rounding as the kernel's (up into jiffies) */
UMM_API unsigned int jiffies_to_msecs(unsigned long j);
UMM_API unsigned int jiffies_to_usecs(unsigned long j);
UMM_API u64 jiffies_to_nsecs(unsigned long j);
UMM_API unsigned long msecs_to_jiffies(unsigned int m);
UMM_API unsigned long usecs_to_jiffies(unsigned int u);
UMM_API unsigned long nsecs_to_jiffies(u64 n);
UMM_API long jiffies_to_clock_t(unsigned long x);	/* USER_HZ ticks */
UMM_API unsigned long clock_t_to_jiffies(unsigned long x);
UMM_API u64 jiffies_64_to_clock_t(u64 x);
UMM_API u64 nsec_to_clock_t(u64 x);

UMM_END_DECLS

#endif /* _UMM_JIFFIES_H */
