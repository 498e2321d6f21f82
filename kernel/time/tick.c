// SPDX-License-Identifier: GPL-2.0
/*
 * tick.c - the simulated machine's clock and its periodic tick
 * (kernel/time/tick-common.c, tick-sched.c, timekeeping.c, Linux 6.18;
 * LKD3 chapter 11, "The Timer Interrupt Handler").
 *
 * Owns: jiffies_64, the simulated CLOCK_MONOTONIC (ns since boot), HZ
 * and the number of simulated CPUs.
 *
 * Time moves only in umm_sched_run().  Ticks fall at every multiple of
 * TICK_NSEC since boot; at each, the tick CPU (CPU 0) counts jiffies
 * (do_timer()), then every CPU takes the tick's interrupt
 * (kernel/softirq.c's sim_tick_cpu()): LOC counts it, and its irq_exit()
 * runs the timer softirq when a timer is due; the functions run in the
 * caller's thread, on that simulated CPU, in softirq context.  Nothing
 * else runs on a tick yet (no tasks are scheduled), so while no timer
 * is due and no softirq waits the ticks in between do nothing, and umm_sched_run() skips
 * them as a NOHZ-idle kernel skips its idle ticks (jiffies still counts
 * them, as tick_nohz_update_jiffies() catches up): a run of simulated
 * days costs as many steps as there are timer expiries.
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
	softirq_init(sim_nr_cpus);
	irq_init();
	return 0;
}

void time_shutdown(void)
{
	irq_shutdown();
	softirq_shutdown();
	timers_shutdown();
}

/* tick_periodic() on the tick CPU, then every CPU's update_process_times(). */
static void tick_periodic(void)
{
	u64 j = __atomic_add_fetch(&jiffies_64, 1, __ATOMIC_RELAXED);	/* do_timer(1) */

	/* the tick's own time: the clock may have stood mid-way to it */
	__atomic_store_n(&sim_ns, (j - (u64)INITIAL_JIFFIES) * TICK_NSEC, __ATOMIC_RELAXED);
	for (unsigned int cpu = 0; cpu < sim_nr_cpus; cpu++)
		sim_tick_cpu(cpu);	/* update_process_times(): LOC, the timer softirq */
}

/* Skip idle ticks: up to (not including) the one at which a timer is due. */
static void tick_skip_idle(u64 ticks_left, u64 *done)
{
	bool any;
	unsigned long next = timers_next_expiry(&any);
	u64 skip = ticks_left;

	if (softirqs_pending_any())	/* the next tick's irq_exit() runs them */
		return;
	if (any) {
		long until = (long)(next - jiffies);	/* the tick that reaches next */

		skip = until <= 1 ? 0 : min((u64)(until - 1), ticks_left);
	}
	if (!skip)
		return;
	__atomic_add_fetch(&jiffies_64, skip, __ATOMIC_RELAXED);
	*done += skip;
}

void umm_sched_run(unsigned long long ns)
{
	u64 target, ticks;

	if (!umm_ensure_booted())
		return;
	mutex_lock(&sim_lock);
	target = sim_ns + ns;
	/* the ticks between now and the target: those at multiples of TICK_NSEC */
	ticks = target / TICK_NSEC - sim_ns / TICK_NSEC;
	for (u64 done = 0; done < ticks;) {
		tick_skip_idle(ticks - done, &done);
		if (done == ticks)
			break;
		tick_periodic();
		done++;
	}
	__atomic_store_n(&sim_ns, target, __ATOMIC_RELAXED);
	mutex_unlock(&sim_lock);
}
