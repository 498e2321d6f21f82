// SPDX-License-Identifier: GPL-2.0
/*
 * rt.c - the real-time class, SCHED_FIFO and SCHED_RR (kernel/sched/rt.c,
 * Linux 6.18; LKD3 chapter 4, "Real-Time Scheduling Policies"), and the
 * fair server that keeps fair tasks alive beside them
 * (kernel/sched/deadline.c's dl_server, as 6.18 sets it up for the fair
 * class: 50 ms of every second).
 *
 * The queue is the O(1) scheduler's priority array: a list per priority
 * 0..99 and a bitmap of the non-empty ones, so the highest-priority
 * task is the first of the list at the first set bit.  FIFO tasks run
 * until they block, yield or a higher priority wakes; RR tasks also
 * give way to their equals when their time_slice (sched_rr_timeslice_ms,
 * 100 ms, in ticks) runs out at a tick, going to the tail of their list.
 *
 * The fair server, as 6.18 runs it (deferred): a period starts when a
 * fair task is queued on a runqueue with none; fair tasks running
 * normally consume the server's 50 ms; if real-time tasks keep them from
 * it, the server wakes at its zero-laxity time (the period's end minus
 * what is left) and runs fair tasks above the real-time ones until the
 * 50 ms are spent; at the period's end it is replenished.  A busy
 * SCHED_FIFO task thus leaves 50 ms a second to the fair tasks beside it.
 *
 * Where umm differs, and why: the server runs only as this (no other
 * deadline entities exist); sched_rt_runtime_us's throttling of
 * real-time tasks with nothing else to run is not modelled (the CPU
 * would idle); no push/pull balancing of real-time tasks between CPUs:
 * they are placed at wake-up on a CPU not running a higher or equal
 * real-time priority, when there is one.
 *
 * Invariants (rt_rq_check()): a bit is set exactly for each non-empty
 * list; rt_nr_running counts the queued tasks; each queued task is on
 * the list of its prio.
 *
 * Locking: the runqueue's lock.
 */
#include <errno.h>
#include <umm/printk.h>
#include "sched.h"

#define BITS_PER_LONG	64

static void rt_set_bit(struct rt_prio_array *a, int prio)
{
	a->bitmap[prio / BITS_PER_LONG] |= 1UL << (prio % BITS_PER_LONG);
}

static void rt_clear_bit(struct rt_prio_array *a, int prio)
{
	a->bitmap[prio / BITS_PER_LONG] &= ~(1UL << (prio % BITS_PER_LONG));
}

/* sched_find_first_bit(): the highest priority queued (MAX_RT_PRIO: none). */
static int rt_first_prio(const struct rt_prio_array *a)
{
	for (int w = 0; w < (MAX_RT_PRIO + BITS_PER_LONG - 1) / BITS_PER_LONG; w++)
		if (a->bitmap[w]) {
			int prio = w * BITS_PER_LONG + __builtin_ctzl(a->bitmap[w]);

			return prio < MAX_RT_PRIO ? prio : MAX_RT_PRIO;
		}
	return MAX_RT_PRIO;
}

void init_rt_rq(struct rt_rq *rt_rq)
{
	for (int i = 0; i < MAX_RT_PRIO; i++)
		INIT_LIST_HEAD(&rt_rq->active.queue[i]);
	memset(rt_rq->active.bitmap, 0, sizeof(rt_rq->active.bitmap));
	rt_set_bit(&rt_rq->active, MAX_RT_PRIO);	/* the delimiter for the search */
	rt_rq->rt_nr_running = 0;
	rt_rq->highest_prio = MAX_RT_PRIO;
}

static void update_curr_rt(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	struct sched_entity *se = &curr->se;
	int64_t delta_exec;

	if (curr->sched_class != &rt_sched_class)
		return;
	delta_exec = (int64_t)(rq_clock_task(rq) - se->exec_start);
	if (delta_exec <= 0)
		return;
	se->exec_start = rq_clock_task(rq);
	se->sum_exec_runtime += (uint64_t)delta_exec;
	rq->rt.rt_time += (uint64_t)delta_exec;
}

static void enqueue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	struct rt_rq *rt_rq = &rq->rt;
	struct list_head *queue = &rt_rq->active.queue[p->prio];

	if (flags & ENQUEUE_HEAD)
		list_add(&p->rt.run_list, queue);
	else
		list_add_tail(&p->rt.run_list, queue);
	rt_set_bit(&rt_rq->active, p->prio);
	p->rt.on_rq = 1;
	rt_rq->rt_nr_running++;
	rt_rq->highest_prio = rt_first_prio(&rt_rq->active);
	update_rq_nr_running(rq, 1);
}

static bool dequeue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	struct rt_rq *rt_rq = &rq->rt;

	(void)flags;
	update_curr_rt(rq);
	list_del_init(&p->rt.run_list);
	if (list_empty(&rt_rq->active.queue[p->prio]))
		rt_clear_bit(&rt_rq->active, p->prio);
	p->rt.on_rq = 0;
	rt_rq->rt_nr_running--;
	rt_rq->highest_prio = rt_first_prio(&rt_rq->active);
	update_rq_nr_running(rq, -1);
	return true;
}

/* requeue_task_rt(): to the tail (RR's turn, yield) of its list. */
static void requeue_task_rt(struct rq *rq, struct task_struct *p)
{
	if (p->rt.on_rq)
		list_move_tail(&p->rt.run_list, &rq->rt.active.queue[p->prio]);
}

static void yield_task_rt(struct rq *rq)
{
	requeue_task_rt(rq, rq->curr);
}

static void wakeup_preempt_rt(struct rq *rq, struct task_struct *p, int flags)
{
	(void)flags;
	if (p->prio < rq->curr->prio)
		resched_curr(rq);
}

static struct task_struct *pick_task_rt(struct rq *rq)
{
	int prio = rt_first_prio(&rq->rt.active);

	if (prio >= MAX_RT_PRIO)
		return NULL;
	return list_first_entry(&rq->rt.active.queue[prio], struct task_struct, rt.run_list);
}

static void put_prev_task_rt(struct rq *rq, struct task_struct *p, struct task_struct *next)
{
	(void)next;
	update_curr_rt(rq);
	(void)p;
}

static void set_next_task_rt(struct rq *rq, struct task_struct *p, bool first)
{
	p->se.exec_start = rq_clock_task(rq);
	if (first)
		p->se.prev_sum_exec_runtime = p->se.sum_exec_runtime;
}

/* The priority @cpu runs at now, and its queued rt tasks (under its lock). */
static int rq_curr_prio(int cpu, unsigned int *rt_queued)
{
	struct rq *rq = cpu_rq(cpu);
	int prio;

	spin_lock(&rq->lock);
	prio = rq->curr->prio;
	*rt_queued = rq->rt.rt_nr_running;
	spin_unlock(&rq->lock);
	return prio;
}

/*
 * select_task_rq_rt(): stay, unless an rt task of higher or equal
 * priority runs there and some allowed CPU has none.  No rq lock held.
 */
static int select_task_rq_rt(struct task_struct *p, int cpu, int wake_flags)
{
	unsigned int queued;
	int prio = rq_curr_prio(cpu, &queued);

	(void)wake_flags;
	if (is_cpu_allowed(p, cpu) && (!rt_prio(prio) || prio > p->prio))
		return cpu;
	for (int i = 0; i < (int)sched_nr_cpus; i++)
		if (is_cpu_allowed(p, i) && !rt_prio(rq_curr_prio(i, &queued)) && !queued)
			return i;
	return cpu;
}

/* task_tick_rt(): RR's time slice. */
static void task_tick_rt(struct rq *rq, struct task_struct *p, int queued)
{
	(void)queued;
	update_curr_rt(rq);
	if (p->policy != SCHED_RR)
		return;
	if (--p->rt.time_slice)
		return;
	p->rt.time_slice = RR_TIMESLICE;
	/* requeue to the end of the queue if we (and all of our ancestors) are not the only element */
	if (p->rt.run_list.prev != p->rt.run_list.next) {
		requeue_task_rt(rq, p);
		resched_curr(rq);
	}
}

static void switched_to_rt(struct rq *rq, struct task_struct *p)
{
	if (task_on_rq_queued(p) && !task_current(rq, p) && p->prio < rq->curr->prio)
		resched_curr(rq);
}

static void prio_changed_rt(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p))
		return;
	if (task_current(rq, p)) {
		if (oldprio < p->prio)	/* lowered: someone may now be above it */
			resched_curr(rq);
	} else if (p->prio < rq->curr->prio) {
		resched_curr(rq);
	}
}

int rt_rq_check(struct rq *rq)
{
	struct rt_rq *rt_rq = &rq->rt;
	unsigned int n = 0;

	for (int prio = 0; prio < MAX_RT_PRIO; prio++) {
		struct list_head *q = &rt_rq->active.queue[prio];
		bool bit = rt_rq->active.bitmap[prio / BITS_PER_LONG] &
			   (1UL << (prio % BITS_PER_LONG));
		struct task_struct *p;

		if (bit == list_empty(q)) {
			pr_err("umm: sched: cpu%d: rt prio %d bit %d, list %s\n", rq->cpu, prio,
			       bit, list_empty(q) ? "empty" : "not empty");
			return -EINVAL;
		}
		list_for_each_entry(p, q, rt.run_list) {
			if (p->prio != prio || p->cpu != rq->cpu) {
				pr_err("umm: sched: cpu%d: pid %d (prio %d cpu %d) on rt list %d\n",
				       rq->cpu, p->pid, p->prio, p->cpu, prio);
				return -EINVAL;
			}
			n++;
		}
	}
	if (n != rt_rq->rt_nr_running) {
		pr_err("umm: sched: cpu%d: rt_nr_running %u, listed %u\n", rq->cpu,
		       rt_rq->rt_nr_running, n);
		return -EINVAL;
	}
	return 0;
}

/* ---- the fair server (dl_server, deferred) ---- */

void init_fair_server(struct rq *rq)
{
	struct fair_server *fs = &rq->fair_server;

	fs->dl_runtime = 50 * 1000000ULL;
	fs->dl_period = 1000 * 1000000ULL;
	fs->runtime = fs->dl_runtime;
	fs->period_start = UINT64_MAX;	/* stopped */
	fs->active = false;
}

static bool fair_server_running(const struct fair_server *fs)
{
	return fs->period_start != UINT64_MAX;
}

/* Fair tasks ran until @now since the last event: the server's budget pays for it. */
static void fair_server_account(struct rq *rq, uint64_t now)
{
	struct fair_server *fs = &rq->fair_server;
	uint64_t delta = now - fs->last_update;

	fs->last_update = now;
	if (rq->curr->sched_class != &fair_sched_class || !fair_server_running(fs))
		return;
	fs->runtime = fs->runtime > delta ? fs->runtime - delta : 0;
	if (!fs->runtime && fs->active) {
		fs->active = false;	/* spent: throttled until the period ends */
		resched_curr(rq);
	}
}

/*
 * At each event: replenish at the period's end, stop with no fair task
 * queued, start with one, and wake at zero laxity if rt starves them.
 */
void fair_server_update(struct rq *rq, uint64_t now)
{
	struct fair_server *fs = &rq->fair_server;

	spin_lock(&rq->lock);
	fair_server_account(rq, now);
	if (!rq->cfs.h_nr_queued) {
		fs->period_start = UINT64_MAX;	/* dl_server_stop() */
		fs->active = false;
		goto out;
	}
	if (!fair_server_running(fs)) {	/* dl_server_start() */
		fs->period_start = now;
		fs->runtime = fs->dl_runtime;
	}
	while (now >= fs->period_start + fs->dl_period) {	/* replenish */
		fs->period_start += fs->dl_period;
		fs->runtime = fs->dl_runtime;
		if (fs->active) {
			fs->active = false;
			resched_curr(rq);
		}
	}
	if (!fs->active && fs->runtime && rq->curr->sched_class == &rt_sched_class &&
	    now >= fs->period_start + fs->dl_period - fs->runtime) {
		fs->active = true;	/* zero laxity: the fair tasks run now */
		resched_curr(rq);
	}
out:
	spin_unlock(&rq->lock);
}

bool fair_server_active(struct rq *rq)
{
	return rq->fair_server.active;
}

/* When the server acts next: it wakes, it runs out, or its period ends. */
uint64_t fair_server_next_event(struct rq *rq)
{
	struct fair_server *fs = &rq->fair_server;
	uint64_t end = UINT64_MAX;

	spin_lock(&rq->lock);
	if (fair_server_running(fs) && rq->rt.rt_nr_running) {
		end = fs->period_start + fs->dl_period;
		if (fs->active)
			end = min(end, rq->run_since + fs->runtime);
		else if (fs->runtime && rq->curr->sched_class == &rt_sched_class)
			end -= fs->runtime;
	}
	spin_unlock(&rq->lock);
	return end;
}

const struct sched_class rt_sched_class = {
	.name = "rt",
	.enqueue_task = enqueue_task_rt,
	.dequeue_task = dequeue_task_rt,
	.yield_task = yield_task_rt,
	.wakeup_preempt = wakeup_preempt_rt,
	.pick_task = pick_task_rt,
	.put_prev_task = put_prev_task_rt,
	.set_next_task = set_next_task_rt,
	.select_task_rq = select_task_rq_rt,
	.task_tick = task_tick_rt,
	.switched_to = switched_to_rt,
	.prio_changed = prio_changed_rt,
	.update_curr = update_curr_rt,
	.next = &fair_sched_class,
};
