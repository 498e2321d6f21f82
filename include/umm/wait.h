/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wait.h - wait queues (include/linux/wait.h, kernel/sched/wait.c; LKD3
 * chapter 4, "Sleeping and Waking Up").
 *
 * The sleeping side is LKD3's loop, run by a task's program on a
 * simulated CPU (kernel/sched/program.c's wait-irq):
 *
 *	DEFINE_WAIT(wait);
 *	for (;;) {
 *		prepare_to_wait(&q, &wait, TASK_INTERRUPTIBLE);
 *		if (condition)
 *			break;
 *		schedule();
 *	}
 *	finish_wait(&q, &wait);
 *
 * The waking side, wake_up() -> try_to_wake_up(), works from anywhere:
 * an interrupt handler, a timer, a tasklet, or a thread calling the API.
 * A wake-up with the condition still false is harmless: the loop sleeps
 * again.
 */
#ifndef _UMM_WAIT_H
#define _UMM_WAIT_H

#include "compiler.h"
#include "list.h"
#include "spinlock.h"

UMM_BEGIN_DECLS

struct task_struct;
struct wait_queue_entry;
typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry, unsigned int mode,
				 int flags, void *key);

struct wait_queue_entry {
	unsigned int flags;
	void *private_data;		/* the task (the kernel's ->private) */
	wait_queue_func_t func;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define WQ_FLAG_EXCLUSIVE	0x01
#define TASK_NORMAL		3	/* TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE */

UMM_API void init_waitqueue_head(struct wait_queue_head *wq_head);
UMM_API int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
				     int sync, void *key);
UMM_API int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode,
				  int sync, void *key);
/* The task whose program step runs on this thread's simulated CPU, or NULL. */
UMM_API struct task_struct *umm_current(void);

#define DEFINE_WAIT_FUNC(name, function)				\
	struct wait_queue_entry name = {				\
		.flags = 0,						\
		.private_data = umm_current(),				\
		.func = (function),					\
		.entry = LIST_HEAD_INIT((name).entry),			\
	}
#define DEFINE_WAIT(name)	DEFINE_WAIT_FUNC(name, autoremove_wake_function)

UMM_API void init_wait_entry(struct wait_queue_entry *wq_entry, struct task_struct *task);
/* Queue @wq_entry (if not yet) and set its task's state, under the queue's lock. */
UMM_API void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			     int state);
UMM_API void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
				       struct wait_queue_entry *wq_entry, int state);
/* TASK_RUNNING again, and off the queue. */
UMM_API void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
UMM_API void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
UMM_API void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry);
/* Wake the non-exclusive waiters and up to @nr exclusive ones (0: all); how many woke. */
UMM_API int __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key);
#define wake_up(x)			__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)		__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)			__wake_up(x, TASK_NORMAL, 0, NULL)
#define wake_up_interruptible(x)	__wake_up(x, 1, 1, NULL)
#define wake_up_interruptible_all(x)	__wake_up(x, 1, 0, NULL)

static inline bool waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

UMM_END_DECLS

#endif /* _UMM_WAIT_H */
