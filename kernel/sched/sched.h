/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel/sched/sched.h - what the scheduler's files share: the runqueue
 * (struct rq) with its cfs_rq and rt_rq, the scheduling classes, and
 * the helpers every class uses (kernel/sched/sched.h, Linux 6.18).
 * Nothing here is API.
 *
 * Locking (kernel/sched/core.c's head comment): p->pi_lock, then
 * rq->lock; two runqueues' locks in CPU order (double_rq_lock()).
 * tasklist_lock comes before both.
 */
#ifndef _UMM_KERNEL_SCHED_H
#define _UMM_KERNEL_SCHED_H

#include <string.h>
#include <umm/sched.h>
#include <umm/rbtree_augmented.h>
#include "../internal.h"
#include "../time/internal.h"
#include "../irq/internal.h"

#define NR_CPUS			UMM_SIM_CPUS_MAX
#define TASK_ON_RQ_QUEUED	1
#define TASK_ON_RQ_MIGRATING	2

/* enqueue/dequeue flags (kernel/sched/sched.h) */
#define DEQUEUE_SLEEP		0x01
#define DEQUEUE_SAVE		0x02
#define DEQUEUE_MOVE		0x04
#define DEQUEUE_SPECIAL		0x10	/* a dead task: never delayed */
#define DEQUEUE_MIGRATING	0x100
#define DEQUEUE_DELAYED		0x200
#define ENQUEUE_WAKEUP		0x01
#define ENQUEUE_RESTORE		0x02
#define ENQUEUE_MOVE		0x04
#define ENQUEUE_HEAD		0x10
#define ENQUEUE_INITIAL		0x80
#define ENQUEUE_MIGRATING	0x100
#define ENQUEUE_DELAYED		0x200

/* wake flags (kernel/sched/sched.h) */
#define WF_EXEC			0x02
#define WF_FORK			0x04
#define WF_TTWU			0x08

#define NICE_0_LOAD_SHIFT	10	/* SCHED_FIXEDPOINT_SHIFT; no scale_load() on 64-bit here */
#define NICE_0_LOAD		(1UL << NICE_0_LOAD_SHIFT)
#define WEIGHT_IDLEPRIO		3
#define WMULT_IDLEPRIO		1431655765
#define WMULT_SHIFT		32
#define RR_TIMESLICE		(100 * HZ / 1000)	/* jiffies */

extern const int sched_prio_to_weight[40];
extern const uint32_t sched_prio_to_wmult[40];

/* The fair policy chosen at boot (umm.sched=). */
enum fair_policy { SCHED_POLICY_EEVDF, SCHED_POLICY_CFS };
extern enum fair_policy sched_fair_policy;

struct rq;

struct cfs_rq {
	struct load_weight load;	/* of the queued entities, curr included */
	unsigned int nr_queued;		/* entities on the queue (delayed included) */
	unsigned int h_nr_runnable;	/* of them, those not delayed */
	unsigned int h_nr_queued;
	unsigned int h_nr_idle;		/* SCHED_IDLE ones */
	int64_t avg_vruntime;		/* EEVDF: sum of (v - min_vruntime) * w over the tree */
	uint64_t avg_load;		/* EEVDF: sum of w over the tree */
	uint64_t min_vruntime;
	struct rb_root_cached tasks_timeline;
	struct sched_entity *curr, *next;
	struct rq *rq;
};

/* rt_rq's priority array: a bitmap and a list per priority (struct rt_prio_array). */
struct rt_prio_array {
	unsigned long bitmap[(MAX_RT_PRIO + 1 + 63) / 64];	/* one more for the delimiter */
	struct list_head queue[MAX_RT_PRIO];
};

struct rt_rq {
	struct rt_prio_array active;
	unsigned int rt_nr_running;
	int highest_prio;		/* of the queued tasks (MAX_RT_PRIO: none) */
	uint64_t rt_time;		/* ns run in this period (sched_rt_runtime_us) */
	bool rt_throttled;
};

/*
 * The fair server (kernel/sched/deadline.c's dl_server, 6.18): fair
 * tasks get dl_runtime of every dl_period beside busy real-time tasks.
 */
struct fair_server {
	uint64_t dl_runtime, dl_period;	/* 50 ms, 1 s */
	uint64_t runtime;		/* left in this period */
	uint64_t period_start;
	uint64_t last_update;		/* when fair_server_update() last ran */
	bool active;			/* running fair tasks in place of rt ones */
};

struct rq {
	spinlock_t lock;
	int cpu;
	unsigned int nr_running;	/* over the classes, delayed included */
	uint64_t nr_switches;
	struct cfs_rq cfs;
	struct rt_rq rt;
	struct fair_server fair_server;
	struct task_struct *curr, *idle, *stop;
	struct mm_struct *prev_mm;
	struct mm_struct *loaded_mm;	/* cpu_tlbstate.loaded_mm, with an mm_count reference */
	uint64_t clock, clock_task;
	bool need_resched;		/* TIF_NEED_RESCHED of curr */
	bool push_pending;		/* curr lost this CPU from its affinity */
	/* simulation: when curr's current program step began to consume time */
	uint64_t run_since;
	/* load balancing */
	unsigned long next_balance;	/* jiffies */
	unsigned int balance_interval;	/* ms */
	/* /proc/stat: ns per cpustat slot */
	uint64_t cpustat[8];
};

enum cpu_usage_stat { CPUTIME_USER, CPUTIME_NICE, CPUTIME_SYSTEM, CPUTIME_SOFTIRQ,
		      CPUTIME_IRQ, CPUTIME_IDLE, CPUTIME_IOWAIT, CPUTIME_STEAL };

struct sched_class {
	const char *name;
	void (*enqueue_task)(struct rq *rq, struct task_struct *p, int flags);
	bool (*dequeue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*yield_task)(struct rq *rq);
	void (*wakeup_preempt)(struct rq *rq, struct task_struct *p, int flags);
	struct task_struct *(*pick_task)(struct rq *rq);
	void (*put_prev_task)(struct rq *rq, struct task_struct *p, struct task_struct *next);
	void (*set_next_task)(struct rq *rq, struct task_struct *p, bool first);
	int (*select_task_rq)(struct task_struct *p, int prev_cpu, int wake_flags);
	void (*task_tick)(struct rq *rq, struct task_struct *p, int queued);
	void (*task_fork)(struct task_struct *p);
	void (*switched_to)(struct rq *rq, struct task_struct *p);
	void (*prio_changed)(struct rq *rq, struct task_struct *p, int oldprio);
	void (*update_curr)(struct rq *rq);
	const struct sched_class *next;	/* the class below (for_each_class) */
};

extern const struct sched_class stop_sched_class, rt_sched_class, fair_sched_class,
	idle_sched_class;
#define for_each_class(class) \
	for ((class) = &stop_sched_class; (class); (class) = (class)->next)

extern struct rq runqueues[NR_CPUS];
extern unsigned int sched_nr_cpus;		/* the simulated CPUs */
#define cpu_rq(cpu)		(&runqueues[(cpu)])
#define task_rq(p)		cpu_rq((p)->cpu)
#define for_each_cpu_id(c)	for ((c) = 0; (c) < (int)sched_nr_cpus; (c)++)

static inline struct task_struct *task_of(struct sched_entity *se)
{
	return container_of(se, struct task_struct, se);
}
static inline struct rq *rq_of(struct cfs_rq *cfs_rq)
{
	return cfs_rq->rq;
}
static inline struct cfs_rq *cfs_rq_of(struct sched_entity *se)
{
	return &task_rq(task_of(se))->cfs;
}
/* Read without the rq lock at times (try_to_wake_up(), affinity): as READ_ONCE. */
static inline bool task_on_rq_queued(const struct task_struct *p)
{
	return READ_ONCE(p->on_rq) == TASK_ON_RQ_QUEUED;
}
static inline bool task_current(struct rq *rq, struct task_struct *p)
{
	return rq->curr == p;
}
static inline bool rt_policy(unsigned int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}
static inline bool fair_policy(unsigned int policy)
{
	return policy == SCHED_OTHER || policy == SCHED_BATCH || policy == SCHED_IDLE;
}
static inline bool task_has_idle_policy(const struct task_struct *p)
{
	return p->policy == SCHED_IDLE;
}
static inline bool rt_prio(int prio)
{
	return prio < MAX_RT_PRIO;
}
static inline uint64_t rq_clock(struct rq *rq)
{
	return rq->clock;
}
static inline uint64_t rq_clock_task(struct rq *rq)
{
	return rq->clock_task;
}

static inline void lockdep_assert_rq_held(struct rq *rq)
{
	lockdep_assert_held(&rq->lock);
}

/* ---- core.c ---- */
void resched_curr(struct rq *rq);
void update_rq_clock(struct rq *rq);
void set_load_weight(struct task_struct *p, bool update_load);
void activate_task(struct rq *rq, struct task_struct *p, int flags);
void deactivate_task(struct rq *rq, struct task_struct *p, int flags);
void wakeup_preempt(struct rq *rq, struct task_struct *p, int flags);
void double_rq_lock(struct rq *a, struct rq *b);
void double_rq_unlock(struct rq *a, struct rq *b);
/* Move queued @p from @src to @dst (both locked): the migration of load balancing. */
void move_queued_task_locked(struct rq *src, struct rq *dst, struct task_struct *p);
bool is_cpu_allowed(const struct task_struct *p, int cpu);
void update_rq_nr_running(struct rq *rq, int delta);
bool wake_up_process(struct task_struct *p);
bool wake_up_state(struct task_struct *p, unsigned int state);
void wake_up_new_task(struct task_struct *p);
void do_sched_yield(struct task_struct *p);
void sched_program_changed(struct task_struct *p);
struct task_struct *get_current(void);	/* the task whose program step runs, or NULL */
uint64_t sched_nr_forks(void);
bool sched_is_ready(void);
/* the simulation's steps (kernel/time/tick.c) */
uint64_t sched_sim_next_event(void);
void sched_sim_advance(uint64_t now);
void sched_sim_settle(void);
bool sched_sim_all_idle(void);
bool task_exiting(struct task_struct *p);
bool task_bound(struct task_struct *p);

/* ---- fair.c ---- */
void init_cfs_rq(struct cfs_rq *cfs_rq, struct rq *rq);
void update_sysctl(void);
void sched_balance_trigger(struct rq *rq);	/* the tick: periodic balancing */
int sched_balance_newidle(struct rq *this_rq);	/* a CPU goes idle: pull a task */
uint64_t sched_base_slice(void);
int cfs_rq_check(struct cfs_rq *cfs_rq);
void print_cfs_stats(struct seq_file *m, int cpu);
void reweight_task_fair(struct rq *rq, struct task_struct *p, const struct load_weight *lw);

/* ---- rt.c ---- */
void init_rt_rq(struct rt_rq *rt_rq);
void init_fair_server(struct rq *rq);
int rt_rq_check(struct rq *rq);
void fair_server_update(struct rq *rq, uint64_t now);
bool fair_server_active(struct rq *rq);
uint64_t fair_server_next_event(struct rq *rq);

/* ---- trace.c: the schedule as events, for the timeline ---- */
void sched_trace_switch(struct rq *rq, struct task_struct *prev, struct task_struct *next);
void sched_trace_reset(void);

/* ---- program.c ---- */
/* The simulation: run @p's program as far as it goes without consuming time. */
void prog_continue(struct rq *rq, struct task_struct *p);
/* ns of simulated time until @p's current step ends, or ~0 if it consumes none. */
uint64_t prog_time_left(const struct task_struct *p);
void prog_consume(struct task_struct *p, uint64_t ns);
bool prog_in_kernel(const struct task_struct *p);	/* the step runs in system mode */
void prog_fork(struct task_struct *child, const struct task_struct *parent);
void prog_free(struct task_struct *p);
void prog_install(struct task_struct *p);
bool prog_has_work(const struct task_struct *p);

/* ---- kernel/kthread.c: the per-CPU kernel threads, started on demand ---- */
enum percpu_kthread_kind { KT_KWORKER, KT_KSOFTIRQD, NR_PERCPU_KTHREADS };
void percpu_kthread_wake(enum percpu_kthread_kind kind, int cpu);
void percpu_kthreads_settle(void);
void percpu_kthreads_reset(void);
/* program.c: @t loops over @kind's work for @cpu */
int prog_kthread(struct task_struct *t, enum percpu_kthread_kind kind, int cpu);
/* One unit of @kind's work on @cpu (a work item, a round of softirqs): false if none. */
bool workqueue_run_one(int cpu);
void workqueue_init(void);
bool ksoftirqd_run(unsigned int cpu);

/* ---- stats (core.c) ---- */
static inline void sched_info_enqueue(struct rq *rq, struct task_struct *t)
{
	if (!t->sched_info.last_queued)
		t->sched_info.last_queued = rq_clock(rq);
}

#endif /* _UMM_KERNEL_SCHED_H */
