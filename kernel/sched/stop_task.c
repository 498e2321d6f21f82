// SPDX-License-Identifier: GPL-2.0
/*
 * stop_task.c - the stop class (kernel/sched/stop_task.c, Linux 6.18):
 * the highest class, whose one task per CPU (migration/N) preempts
 * everything for stop_machine() and forced migrations.  umm migrates
 * between runqueues under both locks from the caller (nothing here runs
 * code that has to be stopped), so rq->stop is never set and the class
 * only holds its place at the head of the order.
 *
 * Locking: the runqueue's lock.
 */
#include "sched.h"

static struct task_struct *pick_task_stop(struct rq *rq)
{
	struct task_struct *stop = rq->stop;

	return stop && task_on_rq_queued(stop) ? stop : NULL;
}

static void enqueue_task_stop(struct rq *rq, struct task_struct *p, int flags)
{
	(void)p, (void)flags;
	update_rq_nr_running(rq, 1);
}

static bool dequeue_task_stop(struct rq *rq, struct task_struct *p, int flags)
{
	(void)p, (void)flags;
	update_rq_nr_running(rq, -1);
	return true;
}

static void wakeup_preempt_stop(struct rq *rq, struct task_struct *p, int flags)
{
	(void)rq, (void)p, (void)flags;	/* we're never preempted */
}

static void put_prev_task_stop(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	(void)rq, (void)prev, (void)next;
}

static void set_next_task_stop(struct rq *rq, struct task_struct *stop, bool first)
{
	(void)first;
	stop->se.exec_start = rq_clock_task(rq);
}

static int select_task_rq_stop(struct task_struct *p, int cpu, int flags)
{
	(void)flags;
	return p->cpu == cpu ? cpu : p->cpu;	/* stop tasks never migrate */
}

static void task_tick_stop(struct rq *rq, struct task_struct *curr, int queued)
{
	(void)rq, (void)curr, (void)queued;
}

const struct sched_class stop_sched_class = {
	.name = "stop",
	.enqueue_task = enqueue_task_stop,
	.dequeue_task = dequeue_task_stop,
	.wakeup_preempt = wakeup_preempt_stop,
	.pick_task = pick_task_stop,
	.put_prev_task = put_prev_task_stop,
	.set_next_task = set_next_task_stop,
	.select_task_rq = select_task_rq_stop,
	.task_tick = task_tick_stop,
	.next = &rt_sched_class,
};
