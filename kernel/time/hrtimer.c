// SPDX-License-Identifier: GPL-2.0
/*
 * hrtimer.c - high-resolution timers on the simulated clock
 * (kernel/time/hrtimer.c, Linux 6.18).
 *
 * Owns: a base per simulated CPU, an rb-tree of queued timers by hard
 * expiry with the earliest cached (the kernel's timerqueue).
 *
 * umm_sched_run() stops the clock at the earliest hard expiry over the
 * bases (hrtimer_next_expiry()), and hrtimer_run_expired() takes that
 * CPU's timer interrupt (LOC counts it, as the local APIC timer's): every
 * timer whose soft expiry has passed runs, in hard-irq context, with its
 * base unlocked around the function (__run_hrtimer()).
 *
 * Where umm differs, and why: there is one clock (CLOCK_MONOTONIC, the
 * simulated one), no soft-irq-expiry mode, and a timer armed from a
 * thread on no simulated CPU goes to CPU 0's base.
 *
 * Invariants: a timer is in a base's tree iff queued; softexpires <=
 * expires.  Locking: each base's lock; never held across a function.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <umm/hrtimer.h>
#include <umm/interrupt.h>
#include <umm/spinlock.h>
#include "internal.h"
#include "../irq/internal.h"

struct hrtimer_cpu_base {
	spinlock_t lock;
	struct rb_root_cached active;
	struct hrtimer *running;
};

static struct hrtimer_cpu_base hrtimer_bases[UMM_SIM_CPUS_MAX];
static unsigned int nr_bases = 1;

static struct hrtimer *node_to_timer(struct rb_node *n)
{
	return rb_entry(n, struct hrtimer, node);
}

static bool hrtimer_less(struct rb_node *a, const struct rb_node *b)
{
	return node_to_timer(a)->expires < node_to_timer((struct rb_node *)b)->expires;
}

void hrtimer_setup(struct hrtimer *timer, enum hrtimer_restart (*function)(struct hrtimer *),
		   int clock_id, enum hrtimer_mode mode)
{
	(void)clock_id, (void)mode;
	memset(timer, 0, sizeof(*timer));
	RB_CLEAR_NODE(&timer->node);
	timer->function = function;
}

static void __remove_hrtimer(struct hrtimer_cpu_base *base, struct hrtimer *timer)
{
	rb_erase_cached(&timer->node, &base->active);
	RB_CLEAR_NODE(&timer->node);
	__atomic_store_n(&timer->queued, false, __ATOMIC_RELAXED);
}

/* Take @timer off whatever base holds it; true if it was queued. */
static bool remove_hrtimer(struct hrtimer *timer)
{
	for (;;) {
		int cpu = __atomic_load_n(&timer->cpu, __ATOMIC_RELAXED);
		struct hrtimer_cpu_base *base = &hrtimer_bases[cpu];
		bool was = false;

		spin_lock(&base->lock);
		if (timer->cpu != cpu) {	/* moved meanwhile */
			spin_unlock(&base->lock);
			continue;
		}
		if (timer->queued) {
			__remove_hrtimer(base, timer);
			was = true;
		}
		spin_unlock(&base->lock);
		return was;
	}
}

void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, u64 delta_ns,
			    enum hrtimer_mode mode)
{
	int cpu = sim_cpu_current();
	struct hrtimer_cpu_base *base;

	if (cpu < 0 || (unsigned int)cpu >= nr_bases)
		cpu = 0;
	remove_hrtimer(timer);
	if (mode & HRTIMER_MODE_REL)
		tim += (ktime_t)ktime_get_ns();
	if (tim < 0)
		tim = 0;
	base = &hrtimer_bases[cpu];
	spin_lock(&base->lock);
	timer->softexpires = (u64)tim;
	timer->expires = (u64)tim + delta_ns;
	__atomic_store_n(&timer->cpu, cpu, __ATOMIC_RELAXED);
	rb_add_cached(&timer->node, &base->active, hrtimer_less);
	__atomic_store_n(&timer->queued, true, __ATOMIC_RELAXED);
	spin_unlock(&base->lock);
}

static bool hrtimer_callback_running(struct hrtimer *timer)
{
	int cpu = __atomic_load_n(&timer->cpu, __ATOMIC_RELAXED);
	struct hrtimer_cpu_base *base = &hrtimer_bases[cpu];
	bool running;

	spin_lock(&base->lock);
	running = base->running == timer;
	spin_unlock(&base->lock);
	return running;
}

/* Dequeue @timer and wait for its function if it runs now (not from that function). */
int hrtimer_cancel(struct hrtimer *timer)
{
	bool was = remove_hrtimer(timer);

	while (hrtimer_callback_running(timer)) {
		sched_yield();
		was = remove_hrtimer(timer) || was;	/* it may have re-armed itself */
	}
	return was ? 1 : 0;
}

/* Push the expiry forward by whole @intervals until it is in the future; how many. */
u64 hrtimer_forward_now(struct hrtimer *timer, ktime_t interval)
{
	u64 now = ktime_get_ns(), n = 0;

	if (interval <= 0 || timer->expires > now)
		return 0;
	n = (now - timer->expires) / (u64)interval + 1;
	timer->expires += n * (u64)interval;
	timer->softexpires += n * (u64)interval;
	return n;
}

/* The earliest hard expiry over the bases, or UINT64_MAX. */
u64 hrtimer_next_expiry(void)
{
	u64 next = UINT64_MAX;

	for (unsigned int cpu = 0; cpu < nr_bases; cpu++) {
		struct hrtimer_cpu_base *base = &hrtimer_bases[cpu];
		struct rb_node *first;

		spin_lock(&base->lock);
		first = rb_first_cached(&base->active);
		if (first)
			next = min(next, node_to_timer(first)->expires);
		spin_unlock(&base->lock);
	}
	return next;
}

/* __hrtimer_run_queues(): the timers of @cpu whose soft expiry is at or before @now. */
static void hrtimer_interrupt(unsigned int cpu, u64 now)
{
	struct hrtimer_cpu_base *base = &hrtimer_bases[cpu];
	struct rb_node *first;

	spin_lock(&base->lock);
	while ((first = rb_first_cached(&base->active))) {
		struct hrtimer *timer = node_to_timer(first);
		enum hrtimer_restart restart;

		if (timer->softexpires > now) {
			/* the first by hard expiry is not due: look for another soft-due one */
			struct rb_node *n = rb_next(first);

			while (n && node_to_timer(n)->softexpires > now)
				n = rb_next(n);
			if (!n)
				break;
			timer = node_to_timer(n);
		}
		__remove_hrtimer(base, timer);
		base->running = timer;
		spin_unlock(&base->lock);
		restart = timer->function(timer);
		spin_lock(&base->lock);
		base->running = NULL;
		if (restart == HRTIMER_RESTART && !timer->queued) {
			rb_add_cached(&timer->node, &base->active, hrtimer_less);
			timer->queued = true;
		}
	}
	spin_unlock(&base->lock);
}

/* At @now: each CPU with a timer hard-due takes its timer interrupt. */
void hrtimer_run_expired(u64 now)
{
	for (unsigned int cpu = 0; cpu < nr_bases; cpu++) {
		struct hrtimer_cpu_base *base = &hrtimer_bases[cpu];
		struct rb_node *first;
		bool due;

		spin_lock(&base->lock);
		first = rb_first_cached(&base->active);
		due = first && node_to_timer(first)->expires <= now;
		spin_unlock(&base->lock);
		if (due)
			sim_hrtimer_irq(cpu, now, hrtimer_interrupt);
	}
}

void hrtimers_init(unsigned int nr_cpus)
{
	nr_bases = nr_cpus;
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		spin_lock_init(&hrtimer_bases[cpu].lock);
		hrtimer_bases[cpu].active = RB_ROOT_CACHED;
		hrtimer_bases[cpu].running = NULL;
	}
}

/* At shutdown, whatever is still queued is dropped (its owner is going too). */
void hrtimers_shutdown(void)
{
	for (unsigned int cpu = 0; cpu < nr_bases; cpu++) {
		struct hrtimer_cpu_base *base = &hrtimer_bases[cpu];
		struct rb_node *n;

		spin_lock(&base->lock);
		while ((n = rb_first_cached(&base->active)))
			__remove_hrtimer(base, node_to_timer(n));
		spin_unlock(&base->lock);
	}
}
