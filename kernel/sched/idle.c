// SPDX-License-Identifier: GPL-2.0
/*
 * idle.c - the idle class (kernel/sched/idle.c, Linux 6.18): what a CPU
 * runs when no other class has a task, its idle task (swapper/N, pid 0).
 * Its "loop" is the simulation's: an idle CPU consumes no events, and
 * umm_sched_run() skips the ticks while every CPU idles (NOHZ idle).
 *
 * Owns: nothing; the idle tasks live in kernel/sched/core.c.
 * Locking: the runqueue's lock.
 */
#include "sched.h"

static void enqueue_task_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)rq, (void)p, (void)flags;
	VM_BUG_ON(1);	/* the idle task is never queued */
}

static bool dequeue_task_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)rq, (void)p, (void)flags;
	VM_BUG_ON(1);
	return true;
}

/* Idle tasks are unconditionally rescheduled by whatever wakes. */
static void wakeup_preempt_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)p, (void)flags;
	resched_curr(rq);
}

static struct task_struct *pick_task_idle(struct rq *rq)
{
	return rq->idle;
}

static void put_prev_task_idle(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	(void)rq, (void)prev, (void)next;
}

static void set_next_task_idle(struct rq *rq, struct task_struct *next, bool first)
{
	(void)next, (void)first;
	rq->idle->se.exec_start = rq_clock_task(rq);
}

static int select_task_rq_idle(struct task_struct *p, int cpu, int flags)
{
	(void)p, (void)flags;
	return cpu;
}

static void task_tick_idle(struct rq *rq, struct task_struct *curr, int queued)
{
	(void)rq, (void)curr, (void)queued;
}

const struct sched_class idle_sched_class = {
	.name = "idle",
	.enqueue_task = enqueue_task_idle,
	.dequeue_task = dequeue_task_idle,
	.wakeup_preempt = wakeup_preempt_idle,
	.pick_task = pick_task_idle,
	.put_prev_task = put_prev_task_idle,
	.set_next_task = set_next_task_idle,
	.select_task_rq = select_task_rq_idle,
	.task_tick = task_tick_idle,
	.next = NULL,
};
