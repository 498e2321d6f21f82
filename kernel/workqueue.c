// SPDX-License-Identifier: GPL-2.0
/*
 * workqueue.c - work queues (kernel/workqueue.c, Linux 6.18; LKD3
 * chapter 8): work items queued to a per-CPU worker pool and run, one at
 * a time and in order, by that CPU's kworker thread in process context.
 *
 * Owns: the worker pools (one per simulated CPU: its worklist, the item
 * running now, the count run), system_wq and the workqueues made by
 * alloc_workqueue().
 *
 * Where umm differs, and why: each pool has one worker (concurrency
 * management starts another when a worker sleeps inside a work function;
 * umm's work functions are C functions that return, so one suffices);
 * max_active and the WQ_* flags are recorded, not enforced (every
 * workqueue shares its CPU's pool, as the kernel's per-CPU ones do);
 * there are no unbound pools or rescuers.
 *
 * Invariants: an item is on a worklist iff WORK_STRUCT_PENDING is set in
 * its data; the running item is on none.
 *
 * Locking: pool->lock over its worklist and current_work; a work
 * function runs without it.  Wake-ups of the kworker happen after it is
 * dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umm/printk.h>
#include <umm/workqueue.h>
#include "sched/sched.h"

struct worker_pool {
	spinlock_t lock;
	struct list_head worklist;
	struct work_struct *current_work;
	unsigned long nr_run;
};

struct workqueue_struct {
	char name[24];
	unsigned int flags;
	int max_active;
};

static struct worker_pool pools[UMM_SIM_CPUS_MAX];
static struct workqueue_struct system_workqueue = { .name = "events", .max_active = 256 };
struct workqueue_struct *system_wq = &system_workqueue;

void workqueue_init(void)
{
	for (unsigned int cpu = 0; cpu < UMM_SIM_CPUS_MAX; cpu++) {
		spin_lock_init(&pools[cpu].lock);
		INIT_LIST_HEAD(&pools[cpu].worklist);
		pools[cpu].current_work = NULL;
		pools[cpu].nr_run = 0;
	}
}

struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags, int max_active)
{
	struct workqueue_struct *wq;

	if (!name || max_active < 0 || max_active > 512)
		return NULL;
	wq = calloc(1, sizeof(*wq));
	if (!wq)
		return NULL;
	snprintf(wq->name, sizeof(wq->name), "%s", name);
	wq->flags = flags;
	wq->max_active = max_active ? max_active : 256;
	return wq;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	if (wq && wq != system_wq) {
		flush_workqueue(wq);
		free(wq);
	}
}

static int work_cpu(const struct work_struct *work)
{
	return (int)(__atomic_load_n(&work->data, __ATOMIC_ACQUIRE) >> 8);
}

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	struct worker_pool *pool;

	if (!wq || !work || !work->func || cpu < 0 || cpu >= (int)umm_sim_nr_cpus())
		return false;
	if (__atomic_fetch_or(&work->data, WORK_STRUCT_PENDING, __ATOMIC_ACQ_REL) &
	    WORK_STRUCT_PENDING)
		return false;	/* already pending: not queued twice */
	__atomic_store_n(&work->data, WORK_STRUCT_PENDING | ((unsigned long)cpu << 8),
			 __ATOMIC_RELEASE);
	pool = &pools[cpu];
	spin_lock(&pool->lock);
	list_add_tail(&work->entry, &pool->worklist);
	spin_unlock(&pool->lock);
	percpu_kthread_wake(KT_KWORKER, cpu);
	return true;
}

static int local_cpu(void)
{
	int cpu = sim_cpu_current();

	return cpu < 0 ? 0 : cpu;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	return queue_work_on(local_cpu(), wq, work);
}

bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

static void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);

	/* the timer set PENDING already: queue it as it is */
	__atomic_and_fetch(&dwork->work.data, ~WORK_STRUCT_PENDING, __ATOMIC_RELEASE);
	queue_work_on(dwork->cpu, dwork->wq, &dwork->work);
}

void init_delayed_work(struct delayed_work *dwork, work_func_t func)
{
	INIT_WORK(&dwork->work, func);
	timer_setup(&dwork->timer, delayed_work_timer_fn, 0);
	dwork->wq = NULL;
	dwork->cpu = 0;
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay)
{
	if (!wq || !dwork)
		return false;
	if (!delay)
		return queue_work(wq, &dwork->work);
	if (__atomic_fetch_or(&dwork->work.data, WORK_STRUCT_PENDING, __ATOMIC_ACQ_REL) &
	    WORK_STRUCT_PENDING)
		return false;
	dwork->wq = wq;
	dwork->cpu = local_cpu();
	dwork->timer.expires = jiffies + delay;
	add_timer(&dwork->timer);
	return true;
}

bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay)
{
	return queue_delayed_work(system_wq, dwork, delay);
}

bool cancel_work(struct work_struct *work)
{
	struct worker_pool *pool;
	bool was = false;

	if (!work || !work_pending(work))
		return false;
	pool = &pools[work_cpu(work)];
	spin_lock(&pool->lock);
	if (work_pending(work) && !list_empty(&work->entry)) {
		list_del_init(&work->entry);
		__atomic_and_fetch(&work->data, ~WORK_STRUCT_PENDING, __ATOMIC_RELEASE);
		was = true;
	}
	spin_unlock(&pool->lock);
	return was;
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	if (!dwork)
		return false;
	if (del_timer(&dwork->timer)) {
		__atomic_and_fetch(&dwork->work.data, ~WORK_STRUCT_PENDING, __ATOMIC_RELEASE);
		return true;
	}
	return cancel_work(&dwork->work);
}

static bool work_busy(struct work_struct *work)
{
	struct worker_pool *pool = &pools[work_cpu(work)];
	bool busy;

	spin_lock(&pool->lock);
	busy = work_pending(work) || pool->current_work == work;
	spin_unlock(&pool->lock);
	return busy;
}

bool flush_work(struct work_struct *work)
{
	bool waited = false;

	if (!work || get_current() || sim_cpu_current() >= 0)
		return false;	/* from inside the simulation: it cannot wait */
	for (int ticks = 0; work_busy(work) && ticks < 10 * (int)HZ; ticks++) {
		umm_sched_run(TICK_NSEC);
		waited = true;
	}
	return waited;
}

static bool pools_busy(void)
{
	for (unsigned int cpu = 0; cpu < umm_sim_nr_cpus(); cpu++) {
		struct worker_pool *pool = &pools[cpu];
		bool busy;

		spin_lock(&pool->lock);
		busy = !list_empty(&pool->worklist) || pool->current_work;
		spin_unlock(&pool->lock);
		if (busy)
			return true;
	}
	return false;
}

/* Every pool runs dry (all workqueues share the pools). */
void flush_workqueue(struct workqueue_struct *wq)
{
	if (!wq || get_current() || sim_cpu_current() >= 0)
		return;
	for (int ticks = 0; pools_busy() && ticks < 10 * (int)HZ; ticks++)
		umm_sched_run(TICK_NSEC);
}

/* The kworker of @cpu: the next item, run in process context (process_one_work()). */
bool workqueue_run_one(int cpu)
{
	struct worker_pool *pool = &pools[cpu];
	struct work_struct *work;

	spin_lock(&pool->lock);
	work = list_first_entry_or_null(&pool->worklist, struct work_struct, entry);
	if (work) {
		list_del_init(&work->entry);
		/* cleared before the function runs: it may queue itself again */
		__atomic_and_fetch(&work->data, ~WORK_STRUCT_PENDING, __ATOMIC_RELEASE);
		pool->current_work = work;
	}
	spin_unlock(&pool->lock);
	if (!work)
		return false;
	work->func(work);
	spin_lock(&pool->lock);
	pool->current_work = NULL;
	pool->nr_run++;
	spin_unlock(&pool->lock);
	return true;
}

unsigned long umm_workqueue_items_run(int cpu)
{
	unsigned long n;

	if (cpu < 0 || cpu >= (int)umm_sim_nr_cpus())
		return 0;
	spin_lock(&pools[cpu].lock);
	n = pools[cpu].nr_run;
	spin_unlock(&pools[cpu].lock);
	return n;
}
