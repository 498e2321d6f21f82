// SPDX-License-Identifier: GPL-2.0
/*
 * tick.c - the simulated machine's clock and its periodic tick
 * (kernel/time/tick-common.c, tick-sched.c, timekeeping.c, Linux 6.18;
 * LKD3 chapter 11, "The Timer Interrupt Handler").
 *
 * Owns: jiffies_64, the simulated CLOCK_MONOTONIC (ns since boot), HZ
 * and the number of simulated CPUs.
 *
 * Time moves only in umm_sched_run(), from event to event: a tick (at
 * every multiple of TICK_NSEC since boot), an hrtimer's hard expiry
 * (kernel/time/hrtimer.c), or the end of a step of a task's program on
 * some CPU (kernel/sched/core.c).  At a tick the tick CPU (CPU 0) counts
 * jiffies (do_timer()), then every CPU takes the tick's interrupt
 * (kernel/softirq.c's sim_tick_cpu()): LOC counts it, sched_tick()
 * accounts and may preempt, and its irq_exit() runs the timer softirq
 * when a timer is due; the functions run in the caller's thread, on that
 * simulated CPU.  After each event the CPUs settle (sched_sim_settle()).
 * While every CPU idles and no softirq waits, the ticks before the next
 * timer or hrtimer do nothing and are skipped, as a NOHZ-idle kernel
 * skips its idle ticks (jiffies still counts them, as
 * tick_nohz_update_jiffies() catches up): a run of simulated days of an
 * idle machine costs as many steps as there are timer expiries.
 *
 * Invariants: jiffies_64 == INITIAL_JIFFIES + (ns since boot) / TICK_NSEC.
 *
 * Locking: sim_lock serializes umm_sched_run() callers (the simulation
 * is one machine, stepped by one caller at a time); timers take their
 * bases' locks (kernel/time/timer.c) inside it.
 */
#include <errno.h>
#include <stdlib.h>
#include <umm/spinlock.h>
#include "../../mm/internal.h"
#include "internal.h"
#include "../irq/internal.h"
#include "../sched/sched.h"

unsigned int umm_hz = 250;
u64 jiffies_64;
static u64 sim_ns;		/* CLOCK_MONOTONIC of the simulated machine */
static unsigned int sim_nr_cpus = 2;
static DEFINE_MUTEX(sim_lock);

int hz_param(const char *val, unsigned long *out)
{
	char *end;
	unsigned long hz = strtoul(val, &end, 10);

	if (*end || (hz != 100 && hz != 250 && hz != 300 && hz != 1000))
		return -EINVAL;
	*out = hz;
	return 0;
}

int sim_cpus_param(const char *val, unsigned long *out)
{
	char *end;
	unsigned long n = strtoul(val, &end, 10);

	if (!*val || *end || n < 1 || n > UMM_SIM_CPUS_MAX)
		return -EINVAL;
	*out = n;
	return 0;
}

unsigned int umm_sim_nr_cpus(void)
{
	return sim_nr_cpus;
}

u64 ktime_get_ns(void)
{
	return __atomic_load_n(&sim_ns, __ATOMIC_RELAXED);
}

int time_init(void)
{
	umm_hz = (unsigned int)umm_cfg.hz;
	sim_nr_cpus = (unsigned int)umm_cfg.sim_cpus;
	__atomic_store_n(&sim_ns, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&jiffies_64, (u64)INITIAL_JIFFIES, __ATOMIC_RELAXED);
	init_timers(sim_nr_cpus);
	hrtimers_init(sim_nr_cpus);
	softirq_init(sim_nr_cpus);
	irq_init();
	sched_init(sim_nr_cpus);
	return 0;
}

void time_shutdown(void)
{
	irq_shutdown();
	hrtimers_shutdown();
	softirq_shutdown();
	timers_shutdown();
}

/* tick_periodic() on the tick CPU, then every CPU's update_process_times(). */
static void tick_periodic(void)
{
	__atomic_add_fetch(&jiffies_64, 1, __ATOMIC_RELAXED);	/* do_timer(1) */
	for (unsigned int cpu = 0; cpu < sim_nr_cpus; cpu++)
		sim_tick_cpu(cpu);	/* LOC, sched_tick(), the timer softirq */
}

static u64 next_tick_ns(u64 now)
{
	return (now / TICK_NSEC + 1) * TICK_NSEC;
}

/*
 * NOHZ idle: with every CPU idle and no softirq waiting, the ticks before
 * the next timer_list expiry's tick, hrtimer or target do nothing;
 * jiffies counts them (tick_nohz_update_jiffies()) and the clock jumps
 * to the last of them.  The new time.
 */
static u64 tick_skip_idle(u64 now, u64 target)
{
	bool any;
	unsigned long next = timers_next_expiry(&any);
	u64 until = min(target, hrtimer_next_expiry()), count;

	if (softirqs_pending_any() || !sched_sim_all_idle())
		return now;
	if (any) {
		long left = (long)(next - jiffies);	/* ticks to the one that reaches next */

		if (left <= 0)
			return now;
		until = min(until, (now / TICK_NSEC + (u64)left) * TICK_NSEC);
	}
	if (until <= now)
		return now;
	count = (until - 1) / TICK_NSEC - now / TICK_NSEC;	/* ticks strictly before until */
	if (!count)
		return now;
	__atomic_add_fetch(&jiffies_64, count, __ATOMIC_RELAXED);
	return (now / TICK_NSEC + count) * TICK_NSEC;
}

/*
 * From event to event: the next tick, the earliest hrtimer, the end of a
 * CPU's program step, or the target.  At each: the CPUs' tasks have run
 * until then, the tick's interrupts and the expired hrtimers' run, and
 * the CPUs settle (programs go on, reschedules happen).
 */
void umm_sched_run(unsigned long long ns)
{
	u64 now, target;

	if (!umm_ensure_booted())
		return;
	mutex_lock(&sim_lock);
	now = sim_ns;
	target = now + ns < now ? UINT64_MAX : now + ns;
	sched_sim_settle();
	while (now < target) {
		u64 tick, ev;

		now = tick_skip_idle(now, target);
		__atomic_store_n(&sim_ns, now, __ATOMIC_RELAXED);
		if (now >= target)
			break;
		tick = next_tick_ns(now);
		ev = min(min(target, tick), min(hrtimer_next_expiry(), sched_sim_next_event()));
		if (ev <= now)
			ev = now;	/* due now: an hrtimer armed in the past */
		__atomic_store_n(&sim_ns, ev, __ATOMIC_RELAXED);
		sched_sim_advance(ev);
		if (ev == tick)
			tick_periodic();
		hrtimer_run_expired(ev);
		sched_sim_settle();
		now = ev;
	}
	__atomic_store_n(&sim_ns, target, __ATOMIC_RELAXED);
	mutex_unlock(&sim_lock);
}
