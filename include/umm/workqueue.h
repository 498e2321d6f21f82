/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workqueue.h - work deferred to process context (include/linux/workqueue.h,
 * kernel/workqueue.c; LKD3 chapter 8, "Work Queues").
 *
 * A work item's function runs in a kernel thread, kworker/N:0, bound to
 * simulated CPU N and scheduled like any task (SCHED_OTHER, nice 0), so
 * it may sleep in the kernel's sense and it waits its turn beside the
 * CPU's other tasks: the difference from a tasklet, which runs in softirq
 * context at the next irq_exit().  Each item costs its kworker
 * WORK_ITEM_NS (5 us) of simulated CPU time after its function runs.
 * queue_work() queues on the caller's simulated CPU (CPU 0 from a thread
 * on none); a work item already pending is not queued twice (false).
 */
#ifndef _UMM_WORKQUEUE_H
#define _UMM_WORKQUEUE_H

#include "compiler.h"
#include "list.h"
#include "timer.h"

UMM_BEGIN_DECLS

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	unsigned long data;		/* WORK_STRUCT_PENDING, the CPU it was queued on */
	struct list_head entry;		/* in its pool's worklist */
	work_func_t func;
};

struct delayed_work {
	struct work_struct work;
	struct timer_list timer;	/* queues the work when it fires */
	struct workqueue_struct *wq;
	int cpu;
};

#define WORK_STRUCT_PENDING	1UL
#define WORK_ITEM_NS		5000ULL

struct workqueue_struct;

#define INIT_WORK(_work, _func)						\
	do {								\
		(_work)->data = 0;					\
		INIT_LIST_HEAD(&(_work)->entry);			\
		(_work)->func = (_func);				\
	} while (0)
#define DECLARE_WORK(n, f)						\
	struct work_struct n = { 0, LIST_HEAD_INIT((n).entry), (f) }
UMM_API void init_delayed_work(struct delayed_work *dwork, work_func_t func);
#define INIT_DELAYED_WORK(_dwork, _func)	init_delayed_work((_dwork), (_func))
#define to_delayed_work(w)	container_of((w), struct delayed_work, work)

static inline bool work_pending(const struct work_struct *work)
{
	return __atomic_load_n(&work->data, __ATOMIC_ACQUIRE) & WORK_STRUCT_PENDING;
}

/* The system workqueue (schedule_work()), and ones of your own. */
UMM_API extern struct workqueue_struct *system_wq;
UMM_API struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags,
						 int max_active);
UMM_API void destroy_workqueue(struct workqueue_struct *wq);

UMM_API bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work);
UMM_API bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
UMM_API bool schedule_work(struct work_struct *work);
/* The work is queued @delay jiffies from now (a timer on the wheel). */
UMM_API bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
				unsigned long delay);
UMM_API bool schedule_delayed_work(struct delayed_work *dwork, unsigned long delay);
/* Off its queue (or its timer) if pending: true; the simulation may be running it. */
UMM_API bool cancel_work(struct work_struct *work);
UMM_API bool cancel_delayed_work(struct delayed_work *dwork);
/*
 * Wait for @work to have run: from outside the simulation, simulated time
 * advances (a tick at a time, at most 10 s) until it has; true if it had
 * to wait.  From a work function or a program step it cannot wait (the
 * simulation is its caller): false at once.
 */
UMM_API bool flush_work(struct work_struct *work);
UMM_API void flush_workqueue(struct workqueue_struct *wq);
/* Work items run so far by each CPU's kworker (for tests and umm top). */
UMM_API unsigned long umm_workqueue_items_run(int cpu);

UMM_END_DECLS

#endif /* _UMM_WORKQUEUE_H */
