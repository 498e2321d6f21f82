/* SPDX-License-Identifier: GPL-2.0 */
/*
 * timer.h - kernel timers: struct timer_list on the timer wheel
 * (include/linux/timer.h, kernel/time/timer.c; LKD3 chapter 11,
 * "Timers").
 *
 * A timer runs its function once, from the timer softirq of the
 * simulated CPU it was armed on, at the first tick at or after its
 * expires (in jiffies), late by at most its wheel level's granularity
 * (1 tick for up to 63 ticks away, 8 up to 511, 64 up to 4095, ...):
 * the wheel trades exactness for O(1) arming and no cascading.
 *
 * The function may re-arm its timer or free it.  timer_delete_sync()
 * also waits for a running function (not from the function itself).
 */
#ifndef _UMM_TIMER_H
#define _UMM_TIMER_H

#include "compiler.h"
#include "jiffies.h"

UMM_BEGIN_DECLS

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct timer_list {
	struct hlist_node entry;	/* in a wheel bucket; pprev NULL when not pending */
	unsigned long expires;		/* in jiffies */
	void (*function)(struct timer_list *);
	u32 flags;			/* the CPU, TIMER_* and the bucket index */
};

/* timer->flags: the kernel's layout */
#define TIMER_CPUMASK		0x0003FFFF
#define TIMER_MIGRATING		0x00040000
#define TIMER_BASEMASK		(TIMER_CPUMASK | TIMER_MIGRATING)
#define TIMER_DEFERRABLE	0x00080000
#define TIMER_PINNED		0x00100000
#define TIMER_IRQSAFE		0x00200000
#define TIMER_INIT_FLAGS	(TIMER_DEFERRABLE | TIMER_PINNED | TIMER_IRQSAFE)
#define TIMER_ARRAYSHIFT	22
#define TIMER_ARRAYMASK		0xFFC00000

UMM_API void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *),
			 unsigned int flags);
#define DEFINE_TIMER(_name, _function)					\
	struct timer_list _name = { .entry = { NULL, NULL }, .expires = 0, \
				    .function = (_function), .flags = 0 }

static inline bool timer_pending(const struct timer_list *timer)
{
	return __atomic_load_n(&timer->entry.pprev, __ATOMIC_RELAXED) != NULL;
}

/* The structure a timer is embedded in (from_timer(), timer_container_of()). */
#define timer_container_of(var, callback_timer, timer_fieldname)	\
	container_of(callback_timer, __typeof__(*var), timer_fieldname)
#define from_timer(var, callback_timer, timer_fieldname)		\
	timer_container_of(var, callback_timer, timer_fieldname)

/* Arm an idle timer at ->expires (BUG if pending: -EBUSY here, nothing changed). */
UMM_API int add_timer(struct timer_list *timer);
UMM_API int add_timer_on(struct timer_list *timer, int cpu);
/* 0: was idle, now armed; 1: was pending, re-armed (or already so) */
UMM_API int mod_timer(struct timer_list *timer, unsigned long expires);
UMM_API int mod_timer_pending(struct timer_list *timer, unsigned long expires);
UMM_API int timer_reduce(struct timer_list *timer, unsigned long expires);
/*
 * 1 if it was pending.  Linux 6.18 calls it timer_delete(), a name POSIX
 * <time.h> already gives to timer_delete(timer_t): umm keeps the name
 * LKD3 and the kernel before 6.2 use.
 */
UMM_API int del_timer(struct timer_list *timer);
/* -1 if its function runs on another CPU right now */
UMM_API int try_to_del_timer_sync(struct timer_list *timer);
/* del_timer(), then wait while its function runs elsewhere; -EDEADLK from that function */
UMM_API int timer_delete_sync(struct timer_list *timer);
#define del_timer_sync(t)	timer_delete_sync(t)

UMM_END_DECLS

#endif /* _UMM_TIMER_H */
