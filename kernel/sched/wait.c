// SPDX-License-Identifier: GPL-2.0
/*
 * wait.c - wait queues and the sleeping and waking of tasks
 * (kernel/sched/wait.c, Linux 6.18; LKD3 chapter 4).
 *
 * Owns: nothing global; each wait_queue_head's list under its lock.
 *
 * prepare_to_wait() queues the entry and sets the task's state under the
 * queue's lock, so that a wake_up() after it finds the entry and sets the
 * state back: the condition test after prepare_to_wait() can never miss
 * a wake-up (the lost wake-up problem LKD3 describes).  __wake_up() calls
 * each entry's function; autoremove_wake_function() wakes the task
 * (try_to_wake_up()) and takes the entry off the queue, so the waker's
 * next wake_up() goes to the next waiter.
 *
 * Locking: the queue's lock, then the task's pi_lock and rq lock (in
 * try_to_wake_up()); wake functions run under the queue's lock.
 */
#include <umm/wait.h>
#include "sched.h"

void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

struct task_struct *umm_current(void)
{
	return get_current();
}

void init_wait_entry(struct wait_queue_entry *wq_entry, struct task_struct *task)
{
	wq_entry->flags = 0;
	wq_entry->private_data = task;
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

static void set_task_state(struct task_struct *p, unsigned int state)
{
	spin_lock(&p->pi_lock);
	WRITE_ONCE(p->__state, state);
	spin_unlock(&p->pi_lock);
}

static void __prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
			      int state, bool exclusive)
{
	struct task_struct *p = wq_entry->private_data;

	spin_lock(&wq_head->lock);
	if (list_empty(&wq_entry->entry)) {
		if (exclusive) {
			wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
			list_add_tail(&wq_entry->entry, &wq_head->head);
		} else {
			wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
			list_add(&wq_entry->entry, &wq_head->head);
		}
	}
	if (p)
		set_task_state(p, (unsigned int)state);
	spin_unlock(&wq_head->lock);
}

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry,
		     int state)
{
	__prepare_to_wait(wq_head, wq_entry, state, false);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state)
{
	__prepare_to_wait(wq_head, wq_entry, state, true);
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	struct task_struct *p = wq_entry->private_data;

	if (p)
		set_task_state(p, TASK_RUNNING);
	if (!list_empty(&wq_entry->entry)) {	/* list_empty_careful() */
		spin_lock(&wq_head->lock);
		list_del_init(&wq_entry->entry);
		spin_unlock(&wq_head->lock);
	}
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	spin_lock(&wq_head->lock);
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	list_add(&wq_entry->entry, &wq_head->head);
	spin_unlock(&wq_head->lock);
}

void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	spin_lock(&wq_head->lock);
	list_del_init(&wq_entry->entry);
	spin_unlock(&wq_head->lock);
}

int default_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int sync,
			  void *key)
{
	(void)sync, (void)key;
	return wq_entry->private_data && wake_up_state(wq_entry->private_data, mode);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned int mode, int sync,
			     void *key)
{
	int ret = default_wake_function(wq_entry, mode, sync, key);

	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}

int __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr, void *key)
{
	struct wait_queue_entry *curr, *next;
	int woken = 0;

	spin_lock(&wq_head->lock);
	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, 0, key);

		if (ret < 0)
			break;
		if (ret)
			woken++;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr)
			break;
	}
	spin_unlock(&wq_head->lock);
	return woken;
}
