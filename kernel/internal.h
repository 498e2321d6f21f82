/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what kernel/fork.c, kernel/exit.c, kernel/pid.c, fs/exec.c
 * and fs/proc/array.c share about tasks, grouped by the file that owns
 * it.  Nothing here is exported.  Locking is kernel/fork.c's head
 * comment: tasklist_lock (then an mm's mmap_lock).
 */
#ifndef _UMM_KERNEL_INTERNAL_H
#define _UMM_KERNEL_INTERNAL_H

#include <pthread.h>
#include <umm/sched.h>
#include "../mm/internal.h"

/* ---- kernel/fork.c: tasks, their resources, clone ---- */
extern pthread_rwlock_t tasklist_lock;
void write_lock_tasklist(void);
void write_unlock_tasklist(void);
void read_lock_tasklist(void);
void read_unlock_tasklist(void);
#if UMM_DEBUG >= 1
extern int tasklist_lock_owner;	/* the writer (current_lock_owner()) */
#define lockdep_assert_tasklist_write_held()				\
	do {								\
		if (unlikely(__atomic_load_n(&tasklist_lock_owner,	\
					     __ATOMIC_RELAXED) !=	\
			     current_lock_owner()))			\
			__VM_BUG("tasklist_lock not held for writing");	\
	} while (0)
#else
#define lockdep_assert_tasklist_write_held()	((void)0)
#endif

extern struct task_struct *child_reaper;	/* pid 1 */
extern struct task_struct *kthreadd_task;	/* pid 2 */

/* Boot and shutdown (mm/mm_init.c calls them): the caches, pid 1, kthreadd. */
int fork_init(void);
void fork_shutdown(void);

static inline struct task_struct *get_task_struct(struct task_struct *t)
{
	__atomic_add_fetch(&t->usage, 1, __ATOMIC_RELAXED);
	return t;
}
void __put_task_struct(struct task_struct *t);
/* kernel/sched/core.c: the scheduler's part of fork, exit and the last put */
void sched_fork(struct task_struct *p, const struct task_struct *parent);
void sched_exit_task(struct task_struct *p);
void sched_free_task(struct task_struct *p);
void sched_init_idle0(void);
struct rq;
struct rq *sched_task_rq_lock(struct task_struct *p);
void sched_task_rq_unlock(struct rq *rq, struct task_struct *p);
/* kernel/fork.c: a task left the pid table (threads-max's count) */
void task_unhashed(void);
void sched_shutdown(void);
bool wake_up_state(struct task_struct *p, unsigned int state);
/* kernel/sched/debug.c: what /proc shows */
void proc_sched_show_task(struct seq_file *m, struct task_struct *p, struct mm_struct *mm);
void proc_pid_schedstat(struct seq_file *m, struct task_struct *p, struct mm_struct *mm);
void task_cputime_adjusted(struct task_struct *p, unsigned long long *ut,
			   unsigned long long *st);
struct task_sched_snap {
	unsigned long nvcsw, nivcsw;
	int prio, nice, cpu;
	unsigned int rt_priority, policy;
};
void task_sched_snapshot(struct task_struct *p, struct task_sched_snap *s);
int show_stat(struct seq_file *m);
void sched_note_boot_time(void);
static inline void put_task_struct(struct task_struct *t)
{
	if (!__atomic_sub_fetch(&t->usage, 1, __ATOMIC_ACQ_REL))
		__put_task_struct(t);
}

/* The task is in the pid table (kernel: p->thread_pid != NULL). */
static inline bool pid_alive(const struct task_struct *p)
{
	return __atomic_load_n(&p->pid_hashed, __ATOMIC_ACQUIRE);
}

static inline bool thread_group_empty(const struct task_struct *p)
{
	return list_is_singular(&p->signal->thread_head);
}

/* A leader whose threads live on cannot be reaped yet. */
static inline bool delay_group_leader(const struct task_struct *p)
{
	return thread_group_leader(p) && !thread_group_empty(p);
}

/* mm references: mm_users (mmget/mmput) and mm_count (mmgrab/mmdrop). */
static inline void mmget(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_RELAXED);
}
static inline void mmgrab(struct mm_struct *mm)
{
	__atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_RELAXED);
}
#define mmput(mm)	umm_mm_destroy(mm)
/* @t's mm with a user reference (mmput() it), or NULL for a kernel thread or a zombie. */
struct mm_struct *get_task_mm(struct task_struct *t);

/*
 * exec_mmap()'s task part, for fs/exec.c: @tsk's mm becomes @mm (whose
 * mm_users reference the task takes over) for both mm and active_mm;
 * a vfork parent is released (mm_release()); the old mm loses @tsk's
 * user reference (mmput: the last user tears it down) or, for a kernel
 * thread that borrowed it, its mm_count reference (mmdrop).  The group's
 * fault counts of the old mm are folded first.  PF_FORKNOEXEC is cleared.
 */
void task_exec_mmap(struct task_struct *tsk, struct mm_struct *mm);
/*
 * The end of an exec for a task on the task list: its personality, flags
 * and comm, then task_exec_mmap(), all under tasklist_lock; -EAGAIN (and
 * nothing changed, @mm still the caller's) if the task has begun to exit.
 */
int task_exec_commit(struct task_struct *tsk, struct mm_struct *mm, unsigned long persona,
		     unsigned int flags, const char *comm);
/* set_task_comm(): the name cut to TASK_COMM_LEN - 1 bytes. */
void __set_task_comm(struct task_struct *tsk, const char *buf);
/* The group's minor and major faults (do_task_stat()'s sums); tasklist_lock held. */
void task_group_faults(struct task_struct *t, unsigned long *min_flt, unsigned long *maj_flt);
/* Fold the faults of @mm into @t's group (it leaves @mm); tasklist_lock held for writing. */
void task_fold_faults(struct task_struct *t, struct mm_struct *mm);
/* Release @t's vfork parent, if any (mm_release()); tasklist_lock held for writing. */
void complete_vfork_done(struct task_struct *t);
/* Wake wait4() sleepers (__wake_up_parent()); tasklist_lock held for writing. */
void wake_up_waiters(void);
/* The wait queue's generation: a sleeper waits for it to move on. */
unsigned long waiters_generation(void);
void wait_for_waiters_change(unsigned long gen);
/* The end of exit_mm(): mmput(@mm), or mmdrop(@active_mm) for a kernel thread. */
void drop_task_mm(struct mm_struct *mm, struct mm_struct *active_mm);
/* exit_fs() and exit_files(); takes tasklist_lock. */
void exit_fs_files(struct task_struct *tsk);
/* Drop the sighand (__exit_signal()); tasklist_lock held for writing. */
void exit_sighand(struct task_struct *tsk);
extern struct task_struct init_task;
/* ns since umm booted (start_time's clock). */
uint64_t task_clock_ns(void);

/* ---- kernel/pid.c: pid numbers and the pid table ---- */
extern int pid_max;
/* A pid for @t, inserted in the table (not yet visible); -EAGAIN, -ENOMEM.  tasklist_lock held. */
int alloc_pid(struct task_struct *t);
/* Make @t findable (attach_pid()); tasklist_lock held for writing. */
void attach_pid(struct task_struct *t);
/* Take @t's pid out of the table and free the number; tasklist_lock held for writing. */
void free_pid(struct task_struct *t);
/* @a and @b trade pids (de_thread()); tasklist_lock held for writing. */
void exchange_tids(struct task_struct *a, struct task_struct *b);
/* The task with @pid in the table, or NULL; tasklist_lock held. */
struct task_struct *find_task_by_pid(pid_t pid);
/* The task in the table with the lowest pid >= @pid (hashed or not), or NULL. */
struct task_struct *find_next_task_by_pid(pid_t pid);
/* Drop the table and the bitmap (shutdown, with every task gone). */
void pid_shutdown(void);
/* The pid table against @nr_tasks hashed tasks; tasklist_lock held. */
int pid_table_check(unsigned long nr_tasks);
/* pid_max= (kernel/params.c). */
int pid_max_param(const char *val, unsigned long *out);

/* ---- kernel/exit.c ---- */
void do_exit(struct task_struct *tsk, long code);
/*
 * de_thread(): exec's end of the thread group.  The other threads exit
 * (SIGKILL); a thread other than the leader takes the leader's place
 * (pid, parent, start_time) and the old leader is released.  -EAGAIN,
 * changing nothing, when the group is exiting or another thread execs.
 */
int de_thread(struct task_struct *tsk);
/* Unhash @p; tasklist_lock held for writing; returns the tasks to put (on @dead). */
void __release_task(struct task_struct *p, struct list_head *dead);
/* Drop the references of the tasks on @dead (release_task()'s end). */
void release_dead(struct list_head *dead);
/* do_notify_parent(): true if @tsk is to be autoreaped. */
bool do_notify_parent(struct task_struct *tsk, int sig);

/* ---- fs/proc/array.c ---- */
ssize_t proc_task_show(struct task_struct *t, const char *file, char *buf, size_t size);

#endif /* _UMM_KERNEL_INTERNAL_H */
