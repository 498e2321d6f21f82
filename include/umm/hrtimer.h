/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hrtimer.h - high-resolution timers on the simulated clock
 * (include/linux/hrtimer.h, kernel/time/hrtimer.c).
 *
 * An hrtimer fires at a time in ns (not at a tick): the simulation stops
 * at its hard expiry, and the CPU's timer interrupt runs, in hard-irq
 * context, every timer of that CPU whose soft expiry has passed
 * (hrtimer_start_range_ns(): [expires, expires + delta], the slack that
 * lets timers coalesce; nanosleep() uses the task's timer_slack_ns, 50 us
 * by default).  A function returning HRTIMER_RESTART has re-armed its
 * timer with hrtimer_forward_now().
 */
#ifndef _UMM_HRTIMER_H
#define _UMM_HRTIMER_H

#include "compiler.h"
#include "rbtree.h"
#include "timekeeping.h"

UMM_BEGIN_DECLS

enum hrtimer_restart { HRTIMER_NORESTART, HRTIMER_RESTART };
enum hrtimer_mode { HRTIMER_MODE_ABS = 0x00, HRTIMER_MODE_REL = 0x01 };

struct hrtimer {
	struct rb_node node;		/* in its CPU's base, by expires */
	u64 expires;			/* hard expiry, ns */
	u64 softexpires;		/* may fire from here on */
	enum hrtimer_restart (*function)(struct hrtimer *);
	int cpu;			/* the base it is (or was) queued on */
	bool queued;
};

UMM_API void hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*function)(struct hrtimer *),
			   int clock_id, enum hrtimer_mode mode);
/* Arm (or re-arm) at @tim (+ now if REL) with @delta_ns of slack, on the caller's simulated CPU. */
UMM_API void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, u64 delta_ns,
				    enum hrtimer_mode mode);
static inline void hrtimer_start(struct hrtimer *timer, ktime_t tim, enum hrtimer_mode mode)
{
	hrtimer_start_range_ns(timer, tim, 0, mode);
}
/* 1 if it was queued, 0 if not. */
UMM_API int hrtimer_cancel(struct hrtimer *timer);
UMM_API u64 hrtimer_forward_now(struct hrtimer *timer, ktime_t interval);
static inline bool hrtimer_is_queued(const struct hrtimer *timer)
{
	return __atomic_load_n(&timer->queued, __ATOMIC_RELAXED);
}

UMM_END_DECLS

#endif /* _UMM_HRTIMER_H */
