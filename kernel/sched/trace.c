// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - the schedule as events (the role of the kernel's sched_switch,
 * irq_handler_entry and softirq_entry tracepoints): context switches,
 * interrupts and softirqs with their simulated time and CPU, recorded
 * while a trace is on, for the timeline picture (tools/timeline.c).
 *
 * Owns: the event buffer, capped at the size umm_sched_trace_start()
 * asked for (events beyond it are dropped and counted).
 * Locking: trace_lock, a leaf.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "sched.h"

static DEFINE_SPINLOCK(trace_lock);
static struct umm_sched_event *events;
static size_t nr_events, max_events;

int umm_sched_trace_start(size_t max)
{
	struct umm_sched_event *buf = NULL;

	if (max > (1UL << 24))
		return -EINVAL;
	if (max) {
		buf = calloc(max, sizeof(*buf));
		if (!buf)
			return -ENOMEM;
	}
	spin_lock(&trace_lock);
	free(events);
	events = buf;
	nr_events = 0;
	max_events = max;
	spin_unlock(&trace_lock);
	return 0;
}

void sched_trace_reset(void)
{
	spin_lock(&trace_lock);
	nr_events = 0;
	spin_unlock(&trace_lock);
}

static void record(int kind, unsigned int cpu, const struct task_struct *p, int arg,
		   const struct task_struct *prev)
{
	struct umm_sched_event *ev;

	spin_lock(&trace_lock);
	if (nr_events < max_events) {
		ev = &events[nr_events++];
		ev->ns = ktime_get_ns();
		ev->cpu = (unsigned short)cpu;
		ev->kind = (unsigned short)kind;
		ev->pid = p ? p->pid : 0;
		ev->arg = arg;
		memset(ev->comm, 0, sizeof(ev->comm));
		if (p)
			memcpy(ev->comm, p->comm, sizeof(ev->comm) - 1);
		ev->prev_pid = prev ? prev->pid : 0;
		ev->prev_state = prev ? READ_ONCE(prev->__state) : 0;
	}
	spin_unlock(&trace_lock);
}

void sched_trace_switch(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	if (__atomic_load_n(&max_events, __ATOMIC_RELAXED))
		record(UMM_EV_SWITCH, (unsigned int)rq->cpu, next == rq->idle ? NULL : next,
		       next->prio, prev == rq->idle ? NULL : prev);
}

void sched_trace_event(int kind, unsigned int cpu, int arg)
{
	if (__atomic_load_n(&max_events, __ATOMIC_RELAXED))
		record(kind, cpu, NULL, arg, NULL);
}

size_t umm_sched_trace_read(struct umm_sched_event *ev, size_t n, size_t from)
{
	size_t got = 0;

	spin_lock(&trace_lock);
	if (from < nr_events) {
		got = min(n, nr_events - from);
		memcpy(ev, events + from, got * sizeof(*ev));
	}
	spin_unlock(&trace_lock);
	return got;
}

size_t umm_sched_trace_count(void)
{
	size_t n;

	spin_lock(&trace_lock);
	n = nr_events;
	spin_unlock(&trace_lock);
	return n;
}
