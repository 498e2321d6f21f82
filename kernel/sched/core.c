// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - the scheduler's core (kernel/sched/core.c, Linux 6.18; LKD3
 * chapter 4): the per-CPU runqueues of the simulated machine, the
 * classes in priority order (stop, rt, fair, idle), __schedule() with
 * pick_next_task() and context_switch(), try_to_wake_up() and
 * wake_up_new_task(), the tick's sched_tick(), nice, policies, affinity
 * and sched_yield(), and the accounting /proc shows (utime/stime by
 * ticks, schedstats, context switches).
 *
 * Owns: runqueues[] (one per simulated CPU), the idle tasks (init_task
 * is CPU 0's, as swapper/0; the others are swapper/N), and what the
 * simulation does between its events (sched_sim_*()).
 *
 * The simulation.  Tasks run programs (kernel/sched/program.c) rather
 * than code: a step of a program consumes simulated time on a CPU
 * ("run 3ms" in user mode, each system call 1 us in kernel mode), or
 * blocks the task.  umm_sched_run() (kernel/time/tick.c) advances the
 * clock from event to event (a tick, an hrtimer, a program step's end)
 * and at each calls sched_sim_settle(): each CPU's current task goes on
 * with its program, and a CPU with need_resched set calls __schedule(),
 * as the kernel does on return from the interrupt that set it.  Nothing
 * preempts between events but wake-ups, as HRTICK is off in the kernel
 * too: fair tasks are preempted at ticks and at wake-ups.
 *
 * Where umm differs, and why:
 *  - context_switch() switches the CPU's loaded mm (rq->loaded_mm, the
 *    kernel's cpu_tlbstate.loaded_mm) and keeps a kernel thread on the
 *    previous mm (lazy TLB) with an mm_count reference, but leaves
 *    task->active_mm as kernel/fork.c set it: active_mm is covered by
 *    tasklist_lock there, which ranks above the runqueue locks.
 *  - No priority inheritance, no SCHED_DEADLINE tasks, no task groups
 *    or cgroups; the stop class exists but has no tasks (nothing needs
 *    stop_machine() here).
 *  - A task the API makes exit while it runs leaves its CPU at the
 *    next event, as a task killed by a signal does at its next return
 *    to user mode.
 *
 * Invariants (umm_sched_check()): each rq->curr is the idle task or a
 * task whose cpu is that CPU; nr_running is the sum of the classes'
 * queued counts; every queued task's on_rq is TASK_ON_RQ_QUEUED and its
 * cpu the rq's; a task on a runqueue is allowed there.
 *
 * Locking: p->pi_lock, then rq->lock (task_rq_lock()); two runqueues
 * in CPU order (double_rq_lock()).  tasklist_lock comes before them all.
 * A rq's curr holds a reference on its task (dropped after the switch,
 * finish_task_switch()), so a task reaped while it runs stays readable.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <umm/printk.h>
#include <umm/interrupt.h>
#include "sched.h"

struct rq runqueues[NR_CPUS];
unsigned int sched_nr_cpus = 1;
static struct task_struct idle_tasks[NR_CPUS];
static bool sched_ready;
static uint64_t total_forks;

/* ---- locking ---- */

static struct rq *task_rq_lock(struct task_struct *p)
{
	struct rq *rq;

	spin_lock(&p->pi_lock);
	for (;;) {
		rq = task_rq(p);
		spin_lock(&rq->lock);
		if (rq == task_rq(p))
			return rq;
		spin_unlock(&rq->lock);
	}
}

static void task_rq_unlock(struct rq *rq, struct task_struct *p)
{
	spin_unlock(&rq->lock);
	spin_unlock(&p->pi_lock);
}

/* For kernel/fork.c and /proc: @p's scheduling fields held still. */
struct rq *sched_task_rq_lock(struct task_struct *p)
{
	return task_rq_lock(p);
}

void sched_task_rq_unlock(struct rq *rq, struct task_struct *p)
{
	task_rq_unlock(rq, p);
}

void double_rq_lock(struct rq *a, struct rq *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a->cpu < b->cpu) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

void double_rq_unlock(struct rq *a, struct rq *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

void update_rq_clock(struct rq *rq)
{
	rq->clock = rq->clock_task = ktime_get_ns();
}

void resched_curr(struct rq *rq)
{
	__atomic_store_n(&rq->need_resched, true, __ATOMIC_RELEASE);
}

bool is_cpu_allowed(const struct task_struct *p, int cpu)
{
	return cpu >= 0 && cpu < (int)sched_nr_cpus && CPU_ISSET((unsigned int)cpu, &p->cpus_mask);
}

void update_rq_nr_running(struct rq *rq, int delta)
{
	__atomic_add_fetch(&rq->nr_running, (unsigned int)delta, __ATOMIC_RELAXED);
}

static int sched_class_rank(const struct sched_class *class)
{
	int rank = 0;

	for (const struct sched_class *c = &stop_sched_class; c && c != class; c = c->next)
		rank++;
	return rank;
}

static bool sched_class_above(const struct sched_class *a, const struct sched_class *b)
{
	return sched_class_rank(a) < sched_class_rank(b);
}

/* ---- priorities and weights ---- */

static int __normal_prio(int policy, int rt_prio, int nice)
{
	if (rt_policy((unsigned int)policy))
		return MAX_RT_PRIO - 1 - rt_prio;
	return NICE_TO_PRIO(nice);
}

static int normal_prio(const struct task_struct *p)
{
	return __normal_prio((int)p->policy, (int)p->rt_priority, PRIO_TO_NICE(p->static_prio));
}

void reweight_task_fair(struct rq *rq, struct task_struct *p, const struct load_weight *lw);

void set_load_weight(struct task_struct *p, bool update_load)
{
	int prio = p->static_prio - MAX_RT_PRIO;
	struct load_weight lw;

	if (task_has_idle_policy(p)) {
		lw.weight = WEIGHT_IDLEPRIO;
		lw.inv_weight = WMULT_IDLEPRIO;
	} else {
		lw.weight = (unsigned long)sched_prio_to_weight[prio];
		lw.inv_weight = sched_prio_to_wmult[prio];
	}
	if (update_load && p->sched_class == &fair_sched_class)
		reweight_task_fair(task_rq(p), p, &lw);
	else
		p->se.load = lw;
}

static const struct sched_class *class_of_prio(int prio)
{
	return rt_prio(prio) ? &rt_sched_class : &fair_sched_class;
}

/* ---- enqueue, dequeue, wake-up ---- */

static void sched_info_dequeue(struct rq *rq, struct task_struct *t)
{
	if (t->sched_info.last_queued) {
		uint64_t delta = rq_clock(rq) - t->sched_info.last_queued;

		t->sched_info.last_queued = 0;
		t->sched_info.run_delay += delta;
	}
}

static void enqueue_task(struct rq *rq, struct task_struct *p, int flags)
{
	if (!(flags & ENQUEUE_RESTORE))
		sched_info_enqueue(rq, p);
	p->sched_class->enqueue_task(rq, p, flags);
}

static bool dequeue_task(struct rq *rq, struct task_struct *p, int flags)
{
	if (!(flags & DEQUEUE_SAVE))
		sched_info_dequeue(rq, p);
	return p->sched_class->dequeue_task(rq, p, flags);
}

void activate_task(struct rq *rq, struct task_struct *p, int flags)
{
	enqueue_task(rq, p, flags);
	WRITE_ONCE(p->on_rq, TASK_ON_RQ_QUEUED);
}

void deactivate_task(struct rq *rq, struct task_struct *p, int flags)
{
	WRITE_ONCE(p->on_rq, TASK_ON_RQ_MIGRATING);
	if (dequeue_task(rq, p, flags) || !(flags & DEQUEUE_SLEEP))
		WRITE_ONCE(p->on_rq, (flags & DEQUEUE_SLEEP) ? 0 : TASK_ON_RQ_MIGRATING);
	else
		WRITE_ONCE(p->on_rq, TASK_ON_RQ_QUEUED);	/* delayed: still queued */
}

void wakeup_preempt(struct rq *rq, struct task_struct *p, int flags)
{
	struct task_struct *curr = rq->curr;

	if (p->sched_class == curr->sched_class)
		curr->sched_class->wakeup_preempt(rq, p, flags);
	else if (sched_class_above(p->sched_class, curr->sched_class))
		resched_curr(rq);
}

/* set_task_cpu() for a task on no runqueue. */
static void set_task_cpu(struct task_struct *p, int new_cpu)
{
	if (p->cpu != new_cpu) {
		if (sched_fair_policy == SCHED_POLICY_CFS && p->sched_class == &fair_sched_class &&
		    READ_ONCE(p->__state) != TASK_NEW)	/* migrate_task_rq_fair(): relative to the old queue */
			p->se.vruntime -= task_rq(p)->cfs.min_vruntime;
		p->se.nr_migrations++;
	}
	p->cpu = new_cpu;
}

/* detach_task() + attach_task(): a queued task moves from @src to @dst (both locked). */
void move_queued_task_locked(struct rq *src, struct rq *dst, struct task_struct *p)
{
	deactivate_task(src, p, DEQUEUE_MIGRATING);
	p->cpu = dst->cpu;
	p->se.nr_migrations++;
	update_rq_clock(dst);
	activate_task(dst, p, ENQUEUE_MIGRATING);
	wakeup_preempt(dst, p, 0);
}

static int select_task_rq(struct task_struct *p, int cpu, int wake_flags)
{
	if (p->nr_cpus_allowed > 1)
		cpu = p->sched_class->select_task_rq(p, cpu, wake_flags);
	if (!is_cpu_allowed(p, cpu)) {	/* select_fallback_rq() */
		for (cpu = 0; cpu < (int)sched_nr_cpus; cpu++)
			if (is_cpu_allowed(p, cpu))
				break;
	}
	return cpu;
}

/* ttwu_runnable(): still on a runqueue (delayed, or not yet switched out). */
static bool ttwu_runnable(struct task_struct *p, int wake_flags)
{
	struct rq *rq = task_rq(p);
	bool ret = false;

	spin_lock(&rq->lock);
	if (task_on_rq_queued(p)) {
		update_rq_clock(rq);
		if (p->se.sched_delayed)
			enqueue_task(rq, p, ENQUEUE_DELAYED);
		if (!task_current(rq, p))
			wakeup_preempt(rq, p, wake_flags);
		WRITE_ONCE(p->__state, TASK_RUNNING);
		ret = true;
	}
	spin_unlock(&rq->lock);
	return ret;
}

static bool try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
{
	struct rq *rq;
	int cpu, prev_cpu;

	spin_lock(&p->pi_lock);
	/* a dead task is TASK_DEAD: no state it could be woken from */
	if (!(READ_ONCE(p->__state) & state) || !prog_has_work(p)) {
		spin_unlock(&p->pi_lock);
		return false;
	}
	if (READ_ONCE(p->on_rq) && ttwu_runnable(p, wake_flags))
		goto out;
	prev_cpu = p->cpu;
	cpu = select_task_rq(p, p->wake_cpu, wake_flags | WF_TTWU);
	set_task_cpu(p, cpu);
	rq = cpu_rq(cpu);
	spin_lock(&rq->lock);
	update_rq_clock(rq);
	activate_task(rq, p, ENQUEUE_WAKEUP | (cpu != prev_cpu ? ENQUEUE_MIGRATING : 0));
	WRITE_ONCE(p->__state, TASK_RUNNING);
	wakeup_preempt(rq, p, wake_flags);
	spin_unlock(&rq->lock);
out:
	spin_unlock(&p->pi_lock);
	return true;
}

bool wake_up_state(struct task_struct *p, unsigned int state)
{
	return try_to_wake_up(p, state, 0);
}

bool wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE, 0);
}

/* ---- fork and exit ---- */

static void __sched_fork(struct task_struct *p)
{
	memset(&p->se, 0, sizeof(p->se));
	RB_CLEAR_NODE(&p->se.run_node);
	INIT_LIST_HEAD(&p->rt.run_list);
	p->rt.on_rq = 0;
	p->rt.time_slice = RR_TIMESLICE;
	WRITE_ONCE(p->on_rq, 0);
	p->on_cpu = 0;
	p->nvcsw = p->nivcsw = 0;
	p->utime = p->stime = 0;
	memset(&p->sched_info, 0, sizeof(p->sched_info));
	p->prog = p->prog_pending = NULL;
	p->wait_irq = -1;
}

/*
 * sched_fork(): @p (a copy of @parent) gets its own scheduling state and
 * the parent's policy and nice (SCHED_RESET_ON_FORK is not modelled); it
 * sleeps until wake_up_new_task().  Called before @p is visible.  The
 * parent's values are read from @p, which copy_task_fields() filled under
 * the parent's locks (the parent may be changing them now).
 */
void sched_fork(struct task_struct *p, const struct task_struct *parent)
{
	bool custom_slice = p->se.custom_slice;
	uint64_t slice = p->se.slice;
	int cpu = p->cpu;

	(void)parent;
	spin_lock_init(&p->pi_lock);
	__sched_fork(p);
	WRITE_ONCE(p->__state, TASK_NEW);
	if (!sched_ready) {
		p->cpu = 0;
		return;
	}
	p->prio = p->normal_prio;
	p->sched_class = class_of_prio(p->prio);
	set_load_weight(p, false);
	p->se.custom_slice = custom_slice;
	p->se.slice = custom_slice ? slice : sched_base_slice();
	p->cpu = is_cpu_allowed(p, cpu) ? cpu : select_task_rq(p, 0, 0);
	p->wake_cpu = p->cpu;
	spin_lock(&task_rq(p)->lock);
	if (p->sched_class->task_fork)
		p->sched_class->task_fork(p);
	spin_unlock(&task_rq(p)->lock);
	__atomic_add_fetch(&total_forks, 1, __ATOMIC_RELAXED);
}

/* wake_up_new_task(): the child of a program's fork becomes runnable. */
void wake_up_new_task(struct task_struct *p)
{
	struct rq *rq;
	int cpu;

	spin_lock(&p->pi_lock);
	WRITE_ONCE(p->__state, TASK_RUNNING);
	cpu = select_task_rq(p, p->cpu, WF_FORK);
	if (cpu != p->cpu)
		p->cpu = cpu;	/* not yet placed anywhere: nothing to carry */
	p->wake_cpu = cpu;
	rq = cpu_rq(cpu);
	spin_lock(&rq->lock);
	update_rq_clock(rq);
	activate_task(rq, p, ENQUEUE_INITIAL);
	wakeup_preempt(rq, p, WF_FORK);
	spin_unlock(&rq->lock);
	spin_unlock(&p->pi_lock);
}

/*
 * The scheduler's part of do_exit() (do_task_dead()): @p leaves its
 * runqueue; if it is some CPU's current task, that CPU switches away at
 * its next event (the rq's reference keeps @p until then).
 */
void sched_exit_task(struct task_struct *p)
{
	struct rq *rq;

	if (!sched_ready)
		return;
	rq = task_rq_lock(p);
	update_rq_clock(rq);
	if (task_on_rq_queued(p)) {
		if (p->se.sched_delayed)
			dequeue_task(rq, p, DEQUEUE_SLEEP | DEQUEUE_DELAYED);
		else
			dequeue_task(rq, p, DEQUEUE_SLEEP | DEQUEUE_SPECIAL);
		WRITE_ONCE(p->on_rq, 0);
	}
	if (task_current(rq, p))
		resched_curr(rq);
	task_rq_unlock(rq, p);
}

/* The task's last reference went: its program goes with it. */
void sched_free_task(struct task_struct *p)
{
	prog_free(p);
}

/* ---- picking and switching ---- */

static struct task_struct *pick_next_task(struct rq *rq)
{
	const struct sched_class *class;
	struct task_struct *p;

	/* the fair server, a deadline entity, runs fair tasks above rt ones */
	if (fair_server_active(rq) && rq->cfs.h_nr_runnable) {
		p = fair_sched_class.pick_task(rq);
		if (p)
			return p;
	}
	for_each_class(class) {
		p = class->pick_task(rq);
		if (p)
			return p;
	}
	return rq->idle;
}

static void put_prev_set_next_task(struct rq *rq, struct task_struct *prev,
				   struct task_struct *next)
{
	if (next == prev)
		return;
	prev->sched_class->put_prev_task(rq, prev, next);
	next->sched_class->set_next_task(rq, next, true);
}

/* sched_info_switch(): run_delay and pcount of who arrives, queued time of who leaves. */
static void sched_info_switch(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	uint64_t now = rq_clock(rq);

	if (prev != rq->idle && task_on_rq_queued(prev) && READ_ONCE(prev->__state) == TASK_RUNNING)
		sched_info_enqueue(rq, prev);
	if (next != rq->idle) {
		sched_info_dequeue(rq, next);
		next->sched_info.last_arrival = now;
		next->sched_info.pcount++;
	}
}

/*
 * context_switch() -> switch_mm(): a user task loads its mm; a kernel
 * thread keeps the one loaded (lazy TLB) and holds it with mm_count.
 */
static void context_switch(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	struct mm_struct *next_mm = next->mm;

	(void)prev;
	if (next_mm && next_mm != rq->loaded_mm) {
		mmgrab(next_mm);
		rq->prev_mm = rq->loaded_mm;	/* dropped after the rq lock, as finish_task_switch() */
		rq->loaded_mm = next_mm;
	}
	__atomic_store_n(&rq->curr, next, __ATOMIC_RELEASE);
	next->on_cpu = 1;
	prev->on_cpu = 0;
}

static void finish_task_switch(struct rq *rq, struct task_struct *prev)
{
	struct mm_struct *mm = rq->prev_mm;

	rq->prev_mm = NULL;
	if (mm)
		mmdrop(mm);
	if (prev != rq->idle)
		put_task_struct(prev);	/* the rq's reference on its curr */
}

/*
 * __schedule(): @rq's CPU (entered) picks its next task.  A current task
 * that is no longer TASK_RUNNING blocks (try_to_block_task()); the
 * switch counts as voluntary then, involuntary (preemption) otherwise.
 */
static void __schedule(struct rq *rq)
{
	struct task_struct *prev, *next;
	unsigned long *switch_count;
	bool retried = false;

	spin_lock(&rq->lock);
again:
	update_rq_clock(rq);
	prev = rq->curr;
	__atomic_store_n(&rq->need_resched, false, __ATOMIC_RELAXED);
	switch_count = &prev->nivcsw;
	if (prev != rq->idle && READ_ONCE(prev->__state) != TASK_RUNNING) {
		if (task_on_rq_queued(prev))
			deactivate_task(rq, prev, DEQUEUE_SLEEP);
		switch_count = &prev->nvcsw;
	}
	if (prev->sched_class->update_curr)
		prev->sched_class->update_curr(rq);
	next = pick_next_task(rq);
	if (next == rq->idle && !retried && prev == rq->idle) {
		/* sched_balance_newidle(): try to pull work before idling */
		spin_unlock(&rq->lock);
		retried = true;
		if (sched_balance_newidle(rq)) {
			spin_lock(&rq->lock);
			goto again;
		}
		spin_lock(&rq->lock);
		update_rq_clock(rq);
		next = pick_next_task(rq);
	}
	put_prev_set_next_task(rq, prev, next);
	if (next == prev) {
		spin_unlock(&rq->lock);
		return;
	}
	if (next != rq->idle)
		get_task_struct(next);
	rq->nr_switches++;
	(*switch_count)++;
	sched_info_switch(rq, prev, next);
	sched_trace_switch(rq, prev, next);
	context_switch(rq, prev, next);
	spin_unlock(&rq->lock);
	finish_task_switch(rq, prev);
}

/* ---- the tick ---- */

/* account_process_tick(): the whole tick goes to what the CPU ran at it. */
static void account_process_tick(struct rq *rq, struct task_struct *p)
{
	uint64_t tick = TICK_NSEC;

	if (p == rq->idle) {
		rq->cpustat[CPUTIME_IDLE] += tick;
	} else if (prog_in_kernel(p)) {
		p->stime += tick;
		rq->cpustat[CPUTIME_SYSTEM] += tick;
	} else {
		p->utime += tick;
		rq->cpustat[PRIO_TO_NICE(p->static_prio) > 0 ? CPUTIME_NICE : CPUTIME_USER] += tick;
	}
}

/* update_process_times() -> sched_tick() on @cpu, in its timer interrupt. */
void sched_tick(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	struct task_struct *curr;

	if (!sched_ready)
		return;
	spin_lock(&rq->lock);
	update_rq_clock(rq);
	curr = rq->curr;
	account_process_tick(rq, curr);
	curr->sched_class->task_tick(rq, curr, 0);
	sched_balance_trigger(rq);
	spin_unlock(&rq->lock);
}

/* ---- the simulation's steps (kernel/time/tick.c drives them) ---- */

static __thread struct task_struct *sim_current;

struct task_struct *get_current(void)
{
	return sim_current;
}

/* The earliest time a CPU's current program step ends, or a fair server acts. */
uint64_t sched_sim_next_event(void)
{
	uint64_t next = UINT64_MAX;
	int cpu;

	for_each_cpu_id(cpu) {
		struct rq *rq = cpu_rq(cpu);
		struct task_struct *curr = rq->curr;

		if (curr != rq->idle && curr->prog) {
			uint64_t left = prog_time_left(curr);

			if (left != UINT64_MAX)
				next = min(next, rq->run_since + left);
		}
		next = min(next, fair_server_next_event(rq));
	}
	return next;
}

/* Time has reached @now: each CPU's current task has run until then. */
void sched_sim_advance(uint64_t now)
{
	int cpu;

	for_each_cpu_id(cpu) {
		struct rq *rq = cpu_rq(cpu);
		struct task_struct *curr = rq->curr;

		if (curr != rq->idle && curr->prog && now > rq->run_since)
			prog_consume(curr, now - rq->run_since);
		rq->run_since = now;
		fair_server_update(rq, now);
	}
}

bool sched_sim_all_idle(void)
{
	int cpu;

	for_each_cpu_id(cpu) {
		struct rq *rq = cpu_rq(cpu);

		if (rq->curr != rq->idle || __atomic_load_n(&rq->nr_running, __ATOMIC_RELAXED) ||
		    __atomic_load_n(&rq->need_resched, __ATOMIC_ACQUIRE))
			return false;
	}
	return true;
}

static void sched_push_disallowed(struct rq *rq);

/* The state of @p, read as try_to_wake_up() writes it: under its pi_lock. */
static unsigned int task_state(struct task_struct *p)
{
	unsigned int state;

	spin_lock(&p->pi_lock);
	state = READ_ONCE(p->__state);
	spin_unlock(&p->pi_lock);
	return state;
}

/* PF_NO_SETAFFINITY: a per-CPU kernel thread (kernel/kthread.c), under tasklist_lock. */
bool task_bound(struct task_struct *p)
{
	bool bound;

	read_lock_tasklist();
	bound = p->flags & PF_NO_SETAFFINITY;
	read_unlock_tasklist();
	return bound;
}

/* PF_EXITING, read as do_exit() writes it: under tasklist_lock. */
bool task_exiting(struct task_struct *p)
{
	bool exiting;

	read_lock_tasklist();
	exiting = p->flags & PF_EXITING;
	read_unlock_tasklist();
	return exiting;
}

/*
 * One CPU: its task goes on with its program; a reschedule happens.
 * rq->curr changes only here (this thread), so it is read without the lock.
 */
static bool sim_settle_cpu(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	bool changed = false;

	if (curr != rq->idle && __atomic_load_n(&curr->prog_pending, __ATOMIC_ACQUIRE)) {
		prog_install(curr);	/* the API gave it a new program */
		changed = true;
	}
	if (curr != rq->idle && prog_has_work(curr) && task_state(curr) == TASK_RUNNING &&
	    prog_time_left(curr) == 0 && !task_exiting(curr)) {
		sim_current = curr;
		prog_continue(rq, curr);
		sim_current = NULL;
		changed = true;
	}
	if (curr != rq->idle) {
		spin_lock(&curr->pi_lock);	/* nothing to run: it sleeps */
		if (!prog_has_work(curr) && READ_ONCE(curr->__state) == TASK_RUNNING)
			WRITE_ONCE(curr->__state, TASK_INTERRUPTIBLE);
		spin_unlock(&curr->pi_lock);
	}
	if (__atomic_load_n(&rq->need_resched, __ATOMIC_ACQUIRE) ||
	    (curr != rq->idle && task_state(curr) != TASK_RUNNING) ||
	    (curr == rq->idle && __atomic_load_n(&rq->nr_running, __ATOMIC_RELAXED))) {
		__schedule(rq);
		sched_push_disallowed(rq);
		rq->run_since = ktime_get_ns();
		changed = true;
	}
	return changed;
}

/*
 * Settle every CPU at the current time: programs run their instant
 * steps, blocked tasks leave, reschedules happen, until nothing moves.
 */
void sched_sim_settle(void)
{
	int passes = 0, cpu, prev;

	if (!sched_ready)
		return;
	percpu_kthreads_settle();	/* kworkers, ksoftirqd: started when first wanted */
	for (bool changed = true; changed && passes < 10000; passes++) {
		changed = false;
		for_each_cpu_id(cpu) {
			bool taken = sim_cpu_enter((unsigned int)cpu, &prev);

			changed |= sim_settle_cpu(cpu_rq(cpu));
			sim_cpu_leave((unsigned int)cpu, taken, prev);
		}
	}
	if (passes >= 10000)
		pr_warn("umm: sched: the CPUs did not settle at %llu ns\n",
			(unsigned long long)ktime_get_ns());
}

/* ---- nice, policy, affinity, yield ---- */

static int check_task(struct task_struct *t)
{
	bool gone;

	if (!t || t == &init_task || !sched_ready)
		return -EINVAL;
	read_lock_tasklist();	/* exit_notify() writes exit_state under it */
	gone = !pid_alive(t) || t->exit_state;
	read_unlock_tasklist();
	return gone ? -ESRCH : 0;
}

/* Dequeue @p (if queued) around a change, as sched_change_begin()/end(). */
struct sched_change {
	struct rq *rq;
	bool queued, running;
};

static void sched_change_begin(struct sched_change *c, struct task_struct *p)
{
	c->rq = task_rq_lock(p);
	update_rq_clock(c->rq);
	if (task_on_rq_queued(p) && p->se.sched_delayed) {
		/* asleep but kept queued (DELAY_DEQUEUE): its sleep completes first */
		dequeue_task(c->rq, p, DEQUEUE_SLEEP | DEQUEUE_DELAYED);
		WRITE_ONCE(p->on_rq, 0);
	}
	c->queued = task_on_rq_queued(p);
	c->running = task_current(c->rq, p);
	if (c->queued)
		dequeue_task(c->rq, p, DEQUEUE_SAVE | DEQUEUE_MOVE);
	if (c->running)
		p->sched_class->put_prev_task(c->rq, p, p);
}

static void sched_change_end(struct sched_change *c, struct task_struct *p, int flags)
{
	if (c->queued)
		enqueue_task(c->rq, p, ENQUEUE_RESTORE | ENQUEUE_MOVE | flags);
	if (c->running)
		p->sched_class->set_next_task(c->rq, p, false);
}

int umm_set_user_nice(struct task_struct *t, long nice)
{
	struct rq *rq;
	int err = check_task(t), old_prio;

	if (err)
		return err;
	if (nice < MIN_NICE || nice > MAX_NICE)
		return -EINVAL;
	rq = task_rq_lock(t);
	update_rq_clock(rq);
	t->static_prio = NICE_TO_PRIO((int)nice);
	old_prio = t->prio;
	if (!rt_prio(t->prio)) {	/* an rt task keeps its prio; its nice waits */
		set_load_weight(t, true);
		t->normal_prio = normal_prio(t);
		t->prio = t->normal_prio;
		if (t->sched_class->prio_changed)
			t->sched_class->prio_changed(rq, t, old_prio);
	} else {
		set_load_weight(t, false);
	}
	task_rq_unlock(rq, t);
	return 0;
}

int umm_sched_setscheduler(struct task_struct *t, int policy, int rt_priority)
{
	const struct sched_class *prev_class;
	struct sched_change c;
	int err = check_task(t), old_prio;

	if (err)
		return err;
	if (policy != SCHED_OTHER && policy != SCHED_BATCH && policy != SCHED_IDLE &&
	    policy != SCHED_FIFO && policy != SCHED_RR)
		return -EINVAL;
	if (rt_priority < 0 || rt_priority > MAX_RT_PRIO - 1 ||
	    rt_policy((unsigned int)policy) != (rt_priority != 0))
		return -EINVAL;
	sched_change_begin(&c, t);
	prev_class = t->sched_class;
	old_prio = t->prio;
	t->policy = (unsigned int)policy;
	t->rt_priority = (unsigned int)rt_priority;
	t->normal_prio = normal_prio(t);
	t->prio = t->normal_prio;
	t->sched_class = class_of_prio(t->prio);
	set_load_weight(t, false);
	if (t->sched_class == &rt_sched_class)
		t->rt.time_slice = RR_TIMESLICE;
	if (prev_class != t->sched_class && prev_class == &fair_sched_class)
		t->se.vlag = 0;
	sched_change_end(&c, t, 0);
	if (prev_class != t->sched_class) {
		if (t->sched_class->switched_to)
			t->sched_class->switched_to(c.rq, t);
		if (c.running)
			resched_curr(c.rq);
	} else if (t->sched_class->prio_changed) {
		t->sched_class->prio_changed(c.rq, t, old_prio);
	}
	task_rq_unlock(c.rq, t);
	return 0;
}

int umm_sched_set_slice(struct task_struct *t, unsigned long long slice_ns)
{
	struct sched_change c;
	int err = check_task(t);

	if (err)
		return err;
	if (slice_ns && (slice_ns < 100000ULL || slice_ns > 100000000ULL))
		return -EINVAL;
	sched_change_begin(&c, t);
	t->se.custom_slice = slice_ns != 0;
	t->se.slice = slice_ns ? slice_ns : sched_base_slice();
	sched_change_end(&c, t, 0);
	task_rq_unlock(c.rq, t);
	return 0;
}

static unsigned int mask_weight(const cpu_set_t *mask)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < sched_nr_cpus; cpu++)
		n += CPU_ISSET(cpu, mask) ? 1 : 0;
	return n;
}

/*
 * affine_move_task(): off a CPU it may no longer use.  A queued task
 * moves now; a sleeping one wakes on an allowed CPU; the running one is
 * preempted and pushed by its CPU right after the switch (the kernel's
 * stopper does it; here the simulation, sched_push_disallowed()).
 */
int umm_sched_setaffinity(struct task_struct *t, const cpu_set_t *mask)
{
	struct rq *rq, *dst;
	int err = check_task(t), cpu;

	if (err)
		return err;
	if (!mask || !mask_weight(mask) || task_bound(t))
		return -EINVAL;
	rq = task_rq_lock(t);
	CPU_ZERO(&t->cpus_mask);
	for (unsigned int i = 0; i < sched_nr_cpus; i++)
		if (CPU_ISSET(i, mask))
			CPU_SET(i, &t->cpus_mask);
	t->nr_cpus_allowed = (int)mask_weight(&t->cpus_mask);
	if (is_cpu_allowed(t, t->cpu)) {
		task_rq_unlock(rq, t);
		return 0;
	}
	if (task_current(rq, t)) {
		resched_curr(rq);
		rq->push_pending = true;
		task_rq_unlock(rq, t);
		return 0;
	}
	if (t->se.sched_delayed) {	/* asleep but still queued: finish the sleep */
		update_rq_clock(rq);
		dequeue_task(rq, t, DEQUEUE_SLEEP | DEQUEUE_DELAYED);
		WRITE_ONCE(t->on_rq, 0);
	}
	spin_unlock(&rq->lock);
	cpu = select_task_rq(t, t->cpu, 0);	/* pi_lock only: it looks at other CPUs */
	t->wake_cpu = cpu;
	if (!task_on_rq_queued(t)) {
		set_task_cpu(t, cpu);
		spin_unlock(&t->pi_lock);
		return 0;
	}
	dst = cpu_rq(cpu);
	double_rq_lock(rq, dst);
	if (task_rq(t) == rq && task_on_rq_queued(t) && !task_current(rq, t)) {
		update_rq_clock(rq);
		move_queued_task_locked(rq, dst, t);
	} else if (task_current(rq, t)) {
		resched_curr(rq);
		rq->push_pending = true;
	}
	double_rq_unlock(rq, dst);
	spin_unlock(&t->pi_lock);
	return 0;
}

/* After a switch on @rq: queued tasks it may no longer run go where they may. */
static void sched_push_disallowed(struct rq *rq)
{
	struct task_struct *p = NULL;

	spin_lock(&rq->lock);
	if (rq->push_pending) {
		struct sched_entity *se;

		rq->push_pending = false;
		for (struct rb_node *n = rb_first_cached(&rq->cfs.tasks_timeline); n && !p;
		     n = rb_next(n)) {
			se = rb_entry(n, struct sched_entity, run_node);
			if (!is_cpu_allowed(task_of(se), rq->cpu))
				p = task_of(se);
		}
		for (int prio = 0; prio < MAX_RT_PRIO && !p; prio++) {
			struct task_struct *q;

			list_for_each_entry(q, &rq->rt.active.queue[prio], rt.run_list)
				if (q != rq->curr && !is_cpu_allowed(q, rq->cpu)) {
					p = q;
					break;
				}
		}
		if (p)
			get_task_struct(p);
	}
	spin_unlock(&rq->lock);
	if (!p)
		return;
	spin_lock(&p->pi_lock);
	{
		int cpu = select_task_rq(p, p->cpu, 0);
		struct rq *dst = cpu_rq(cpu);

		double_rq_lock(rq, dst);
		if (task_rq(p) == rq && task_on_rq_queued(p) && !task_current(rq, p) &&
		    !p->se.sched_delayed && dst != rq) {
			update_rq_clock(rq);
			move_queued_task_locked(rq, dst, p);
		}
		double_rq_unlock(rq, dst);
	}
	spin_unlock(&p->pi_lock);
	put_task_struct(p);
}

int umm_sched_getaffinity(struct task_struct *t, cpu_set_t *mask)
{
	int err = check_task(t);

	if (err)
		return err;
	if (!mask)
		return -EINVAL;
	spin_lock(&t->pi_lock);
	*mask = t->cpus_mask;
	spin_unlock(&t->pi_lock);
	return 0;
}

/* sched_yield() from @p's program: its class requeues it; the CPU reschedules. */
void do_sched_yield(struct task_struct *p)
{
	struct rq *rq = task_rq_lock(p);

	update_rq_clock(rq);
	if (p->sched_class->yield_task)
		p->sched_class->yield_task(rq);
	resched_curr(rq);
	task_rq_unlock(rq, p);
}

/* The program of @p changed: a sleeping task wakes to run it. */
void sched_program_changed(struct task_struct *p)
{
	struct rq *rq = task_rq_lock(p);

	if (task_current(rq, p))
		resched_curr(rq);
	task_rq_unlock(rq, p);
	try_to_wake_up(p, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | TASK_NEW, 0);
}

/* ---- boot ---- */

static void init_idle(struct task_struct *idle, int cpu)
{
	if (idle != &init_task) {
		memset(idle, 0, sizeof(*idle));
		snprintf(idle->comm, sizeof(idle->comm), "swapper/%d", cpu);
		idle->usage = 1;
		INIT_LIST_HEAD(&idle->children);
		INIT_LIST_HEAD(&idle->sibling);
		INIT_LIST_HEAD(&idle->tasks);
		INIT_LIST_HEAD(&idle->thread_node);
		INIT_LIST_HEAD(&idle->ptrace_entry);
		idle->group_leader = idle;
		idle->signal = init_task.signal;
		idle->sighand = init_task.sighand;
		idle->active_mm = init_task.active_mm;
	}
	spin_lock_init(&idle->pi_lock);
	__sched_fork(idle);
	WRITE_ONCE(idle->__state, TASK_RUNNING);
	idle->flags |= PF_IDLE | PF_KTHREAD;
	idle->policy = SCHED_IDLE;	/* the idle class's own; /proc never shows it */
	idle->static_prio = idle->normal_prio = idle->prio = MAX_PRIO - 20;
	idle->sched_class = &idle_sched_class;
	idle->cpu = cpu;
	idle->on_cpu = 1;
	CPU_ZERO(&idle->cpus_mask);
	CPU_SET((unsigned int)cpu, &idle->cpus_mask);
	idle->nr_cpus_allowed = 1;
}

/* The task fields every task starts with (init_task's, which fork copies). */
static void init_task_sched(struct task_struct *p)
{
	p->policy = SCHED_OTHER;
	p->static_prio = p->normal_prio = p->prio = DEFAULT_PRIO;
	p->rt_priority = 0;
	p->sched_class = &fair_sched_class;
	p->timer_slack_ns = 50000;	/* the default timer slack, 50 us */
	CPU_ZERO(&p->cpus_mask);
	for (unsigned int cpu = 0; cpu < sched_nr_cpus; cpu++)
		CPU_SET(cpu, &p->cpus_mask);
	p->nr_cpus_allowed = (int)sched_nr_cpus;
	set_load_weight(p, false);
	p->se.slice = sched_base_slice();
}

/*
 * init_task (pid 0) is CPU 0's idle task: fork_init() rebuilds it after
 * sched_init(), and calls this then.  What fork copies from it is the
 * default task's: SCHED_OTHER, nice 0, every CPU, 50 us of timer slack.
 */
void sched_init_idle0(void)
{
	init_idle(&init_task, 0);
	init_task_sched(&init_task);
	init_task.sched_class = &idle_sched_class;
	init_task.prio = MAX_PRIO - 20;
}

int sched_policy_param(const char *val, unsigned long *out)
{
	if (!strcmp(val, "eevdf"))
		*out = SCHED_POLICY_EEVDF;
	else if (!strcmp(val, "cfs"))
		*out = SCHED_POLICY_CFS;
	else
		return -EINVAL;
	return 0;
}

const char *umm_sched_policy_name(void)
{
	return sched_fair_policy == SCHED_POLICY_CFS ? "cfs" : "eevdf";
}

void sched_init(unsigned int nr_cpus)
{
	sched_nr_cpus = nr_cpus;
	sched_fair_policy = (enum fair_policy)umm_cfg.sched;
	update_sysctl();
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		struct rq *rq = cpu_rq(cpu);

		memset(rq, 0, sizeof(*rq));
		spin_lock_init(&rq->lock);
		rq->cpu = (int)cpu;
		init_cfs_rq(&rq->cfs, rq);
		init_rt_rq(&rq->rt);
		init_fair_server(rq);
		rq->idle = cpu ? &idle_tasks[cpu] : &init_task;
		init_idle(rq->idle, (int)cpu);
		rq->curr = rq->idle;
		rq->balance_interval = nr_cpus;	/* the domain's weight, in ms */
		rq->next_balance = jiffies;
	}
	sched_init_idle0();
	total_forks = 0;
	sched_note_boot_time();
	sched_trace_reset();
	percpu_kthreads_reset();
	workqueue_init();
	sched_ready = true;
}

/* Before the tasks go: every runqueue empties and the CPUs go idle. */
void sched_shutdown(void)
{
	if (!sched_ready)
		return;
	for (unsigned int cpu = 0; cpu < sched_nr_cpus; cpu++) {
		struct rq *rq = cpu_rq(cpu);
		struct task_struct *curr = rq->curr;

		spin_lock(&rq->lock);
		if (curr != rq->idle) {
			curr->sched_class->put_prev_task(rq, curr, rq->idle);
			__atomic_store_n(&rq->curr, rq->idle, __ATOMIC_RELEASE);
			curr->on_cpu = 0;
		}
		spin_unlock(&rq->lock);
		if (curr != rq->idle)
			put_task_struct(curr);
		if (rq->loaded_mm)
			mmdrop(rq->loaded_mm);
		rq->loaded_mm = NULL;
	}
	sched_ready = false;
	sched_trace_reset();
}

uint64_t sched_nr_forks(void)
{
	return __atomic_load_n(&total_forks, __ATOMIC_RELAXED);
}

bool sched_is_ready(void)
{
	return sched_ready;
}

/* ---- the checker ---- */

int umm_sched_check(void)
{
	int cpu, err = 0;

	if (!sched_ready)
		return 0;
	for_each_cpu_id(cpu) {
		struct rq *rq = cpu_rq(cpu);
		unsigned int n;

		spin_lock(&rq->lock);
		n = rq->cfs.h_nr_queued + rq->rt.rt_nr_running;
		if (rq->nr_running != n) {
			pr_err("umm: sched: cpu%d: nr_running %u, classes hold %u\n", cpu,
			       rq->nr_running, n);
			err = -EINVAL;
		}
		if (!err && rq->curr != rq->idle && rq->curr->cpu != cpu) {
			pr_err("umm: sched: cpu%d: curr pid %d says cpu %d\n", cpu, rq->curr->pid,
			       rq->curr->cpu);
			err = -EINVAL;
		}
		if (!err)
			err = cfs_rq_check(&rq->cfs);
		if (!err)
			err = rt_rq_check(rq);
		spin_unlock(&rq->lock);
		if (err)
			break;
	}
	return err;
}
