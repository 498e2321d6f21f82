/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel/time/internal.h - what the simulated clock's files share
 * (kernel/time/tick-internal.h's role).  Nothing here is API.
 */
#ifndef _UMM_KERNEL_TIME_INTERNAL_H
#define _UMM_KERNEL_TIME_INTERNAL_H

#include <stdbool.h>
#include <umm/jiffies.h>
#include <umm/timekeeping.h>

#define UMM_SIM_CPUS_MAX	64

/* ---- kernel/time/timer.c ---- */
void init_timers(unsigned int nr_cpus);
void timers_shutdown(void);
/* The earliest next_expiry over the bases; *@any: a timer is pending. */
unsigned long timers_next_expiry(bool *any);
/* The bucket of a timer due at @expires on a base at @clk (tests). */
unsigned int calc_wheel_index(unsigned long expires, unsigned long clk,
			      unsigned long *bucket_expiry);
unsigned int timer_wheel_levels(void);
/* Every base against its invariants: 0 or -EINVAL after a message. */
int umm_timer_check(void);

/* ---- kernel/sched/trace.c: events for the timeline (irq, softirq) ---- */
void sched_trace_event(int kind, unsigned int cpu, int arg);

/* ---- kernel/time/hrtimer.c ---- */
void hrtimers_init(unsigned int nr_cpus);
void hrtimers_shutdown(void);
u64 hrtimer_next_expiry(void);
void hrtimer_run_expired(u64 now);

/* ---- kernel/time/tick.c: the simulated clock ---- */
int time_init(void);
void time_shutdown(void);
/* umm.hz= and umm.sim_cpus= (kernel/params.c) */
int hz_param(const char *val, unsigned long *out);
int sim_cpus_param(const char *val, unsigned long *out);
int sched_policy_param(const char *val, unsigned long *out);	/* kernel/sched/core.c */
/* kernel/sched/core.c: boot and shutdown, the tick's part, exit's */
void sched_init(unsigned int nr_cpus);
void sched_tick(unsigned int cpu);

#endif /* _UMM_KERNEL_TIME_INTERNAL_H */
