/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timekeeping.h - the simulated machine's clock (include/linux/ktime.h,
 * timekeeping.h).
 *
 * umm's kernel time is simulated: CLOCK_MONOTONIC starts at 0 when umm
 * boots and moves only when umm_sched_run() advances it, tick by tick,
 * so that every run of a scenario gives the same times.  (The host's
 * clock still drives what real programs need: the malloc front end's
 * page reporting, /proc's start times.)
 */
#ifndef _UMM_TIMEKEEPING_H
#define _UMM_TIMEKEEPING_H

#include "compiler.h"

UMM_BEGIN_DECLS

typedef long long ktime_t;	/* ns */

/* ns since boot on the simulated clock */
UMM_API u64 ktime_get_ns(void);
static inline ktime_t ktime_get(void)
{
	return (ktime_t)ktime_get_ns();
}

/*
 * Advance simulated time by @ns on every simulated CPU: each tick on the
 * way (every TICK_NSEC) counts jiffies and runs the expired timers.
 * Callers are serialized; timer functions run in the caller's thread.
 */
UMM_API void umm_sched_run(unsigned long long ns);
/* The simulated CPUs (umm.sim_cpus=, default 2). */
UMM_API unsigned int umm_sim_nr_cpus(void);

UMM_END_DECLS

#endif /* _UMM_TIMEKEEPING_H */
