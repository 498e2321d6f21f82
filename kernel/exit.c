// SPDX-License-Identifier: GPL-2.0
/*
 * exit.c - how tasks end: do_exit(), exit_notify() with the reparenting
 * of children, release_task(), and wait4() (kernel/exit.c, kernel/
 * signal.c's do_notify_parent(), Linux 6.18; LKD3 chapter 3, "Process
 * Termination").
 *
 * Owns nothing of its own: it changes what kernel/fork.c owns, under
 * tasklist_lock for writing.
 *
 * A task's end, as the kernel's:
 *  - do_exit(): PF_EXITING; signal->live drops (the last thread's exit
 *    is the group's death, group_dead); the mm goes (exit_mm(): the
 *    task's mm_users reference, or a kernel thread's borrowed
 *    active_mm's mm_count), which also releases a vfork parent
 *    (mm_release()); fs and files go;
 *  - exit_notify(): the children go to a new parent (find_new_reaper():
 *    another live thread of the group, else the nearest ancestor marked
 *    PR_SET_CHILD_SUBREAPER that has a live thread, else init), with
 *    exit_signal SIGCHLD and a zombie among them notified to its new
 *    parent; the task becomes EXIT_ZOMBIE, or EXIT_DEAD and released at
 *    once (autoreap) when it is a thread other than the leader, or a
 *    leader whose parent ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT) and
 *    whose exit signal is SIGCHLD;
 *  - a leader whose threads live on stays a zombie that wait4() cannot
 *    reap (delay_group_leader()) until the last thread is released; that
 *    release notifies the leader's parent (and autoreaps it if the
 *    parent ignores SIGCHLD);
 *  - wait4(): the children of every thread of the caller's group (of the
 *    caller alone with __WNOTHREAD) that match pid (> 0: that pid; -1:
 *    any; 0: the caller's process group; < -1: group -pid) and the clone
 *    rule (exit_signal other than SIGCHLD only with __WCLONE; __WALL
 *    takes both).  A zombie is reaped: status (exit_code, or the group's
 *    exit code after exit_group()), its faults added to the caller's
 *    cmin_flt/cmaj_flt, release_task().  -ECHILD when no child matches;
 *    0 with WNOHANG when some do but none has exited; without WNOHANG the
 *    caller sleeps (TASK_INTERRUPTIBLE) until a child changes, and gets
 *    -EINTR if it is made to exit meanwhile.  WUNTRACED and WCONTINUED
 *    are taken and never match (umm stops nothing).  Process groups are
 *    those of fork(): umm has no setpgid(), so every task is in its
 *    parent's group (0, the kernel's before init calls setsid()).
 *  - the status: exit(code) is (code & 0xff) << 8, so exit(300) is 0x2c00.
 *
 * What umm refuses, where the kernel cannot be asked: the idle task and
 * kthreadd never exit (calls return at once); the last thread of init
 * (pid 1) does not exit either: the kernel panics ("Attempted to kill
 * init!"), umm prints one line and leaves every structure as it was.
 * exec in a thread group (de_thread(), called by fs/exec.c once the new
 * image is ready): the other threads exit with code 0 (do_group_exit()
 * with group_exec_task set); a thread other than the leader waits for
 * the leader to be a zombie, takes its pid, parent, start_time and place
 * on the task list, and the old leader goes (released under the thread's
 * old pid, unseen by the parent).
 *
 * A task asleep in vfork() (its CLONE_VFORK child has not exited or
 * exec'd) cannot clone or wait: -EBUSY.
 *
 * Locking: tasklist_lock for writing around every change; mmput() and
 * the final put_task_struct() run after it is dropped.
 */
#include <errno.h>
#include <limits.h>
#include <sys/wait.h>
#include "internal.h"

/* ---- release ---- */

bool do_notify_parent(struct task_struct *tsk, int sig)
{
	struct sighand_struct *psig = tsk->parent->sighand;
	bool autoreap = false;

	lockdep_assert_tasklist_write_held();
	/*
	 * POSIX: a parent that sets SIGCHLD to SIG_IGN, or SA_NOCLDWAIT,
	 * leaves no zombies to wait for.
	 */
	if (sig == SIGCHLD && psig &&
	    (psig->action[SIGCHLD - 1].handler == SIG_IGN ||
	     (psig->action[SIGCHLD - 1].flags & SA_NOCLDWAIT)))
		autoreap = true;
	wake_up_waiters();	/* __wake_up_parent() */
	wake_up_all(&tsk->parent->signal->wait_chldexit);
	return autoreap;
}

/* __exit_signal() and __unhash_process(). */
static void unhash_task(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;

	sig->nr_threads--;
	list_del_init(&p->thread_node);
	free_pid(p);
	task_unhashed();
	if (thread_group_leader(p)) {
		list_del_init(&p->tasks);
		list_del_init(&p->sibling);
	}
	exit_sighand(p);
}

void __release_task(struct task_struct *p, struct list_head *dead)
{
	struct task_struct *leader;
	bool zap_leader;

	lockdep_assert_tasklist_write_held();
	do {
		p->exit_state = EXIT_DEAD;
		unhash_task(p);
		list_add_tail(&p->ptrace_entry, dead);
		/*
		 * The last thread of a group whose leader is a zombie already:
		 * the leader's parent hears of it now.
		 */
		zap_leader = false;
		leader = p->group_leader;
		if (leader != p && thread_group_empty(leader) &&
		    leader->exit_state == EXIT_ZOMBIE) {
			zap_leader = do_notify_parent(leader, leader->exit_signal);
			if (zap_leader)
				leader->exit_state = EXIT_DEAD;
		}
		p = leader;
	} while (zap_leader);
}

void release_dead(struct list_head *dead)
{
	struct task_struct *p, *n;

	list_for_each_entry_safe(p, n, dead, ptrace_entry) {
		list_del_init(&p->ptrace_entry);
		put_task_struct(p);	/* the tables' reference */
	}
}

/* ---- exit_notify() ---- */

static struct task_struct *find_alive_thread(struct task_struct *p)
{
	struct task_struct *t;

	for_each_thread(p, t)
		if (!(t->flags & PF_EXITING))
			return t;
	return NULL;
}

/* init, or another thread of init's group when init's thread exits. */
static struct task_struct *find_child_reaper(struct task_struct *father)
{
	struct task_struct *reaper = child_reaper;

	if (reaper != father)
		return reaper;
	reaper = find_alive_thread(father);
	VM_BUG_ON(!reaper);	/* do_exit() refuses init's last thread */
	child_reaper = reaper;
	return reaper;
}

static struct task_struct *find_new_reaper(struct task_struct *father,
					   struct task_struct *reaper)
{
	struct task_struct *thread = find_alive_thread(father);

	if (thread)
		return thread;
	if (father->signal->has_child_subreaper) {
		for (struct task_struct *r = father->real_parent; r != &init_task;
		     r = r->real_parent) {
			if (!r->signal->is_child_subreaper)
				continue;
			thread = find_alive_thread(r);
			if (thread)
				return thread;
		}
	}
	return reaper;
}

static void reparent_leader(struct task_struct *p, struct list_head *dead)
{
	if (p->exit_state == EXIT_DEAD)
		return;
	p->exit_signal = SIGCHLD;	/* we don't want people slaying init */
	if (p->exit_state == EXIT_ZOMBIE && thread_group_empty(p) &&
	    do_notify_parent(p, p->exit_signal)) {
		p->exit_state = EXIT_DEAD;
		list_add_tail(&p->ptrace_entry, dead);
	}
}

static bool same_thread_group(const struct task_struct *a, const struct task_struct *b)
{
	return a->signal == b->signal;
}

static void forget_original_parent(struct task_struct *father, struct list_head *dead)
{
	struct task_struct *p, *t, *reaper;

	/* before the children test, as the kernel's: init's thread must hand pid 1's role on */
	reaper = find_child_reaper(father);
	if (list_empty(&father->children))
		return;
	reaper = find_new_reaper(father, reaper);
	list_for_each_entry(p, &father->children, sibling) {
		for_each_thread(p, t) {
			t->real_parent = reaper;
			if (t->parent == father)
				t->parent = t->real_parent;
		}
		if (!same_thread_group(reaper, father))
			reparent_leader(p, dead);
	}
	list_splice_tail_init(&father->children, &reaper->children);
}

static void exit_notify(struct task_struct *tsk, struct list_head *puts)
{
	LIST_HEAD(dead);
	struct task_struct *p, *n;
	bool autoreap;

	forget_original_parent(tsk, &dead);
	tsk->exit_state = EXIT_ZOMBIE;
	if (thread_group_leader(tsk))
		autoreap = thread_group_empty(tsk) && do_notify_parent(tsk, tsk->exit_signal);
	else
		autoreap = true;
	if (autoreap) {
		tsk->exit_state = EXIT_DEAD;
		list_add_tail(&tsk->ptrace_entry, &dead);
	}
	list_for_each_entry_safe(p, n, &dead, ptrace_entry) {
		list_del_init(&p->ptrace_entry);
		__release_task(p, puts);
	}
}

/* ---- do_exit() ---- */

/* Why @tsk may not exit, or NULL; tasklist_lock held. */
static const char *exit_refused(struct task_struct *tsk)
{
	if (tsk == &init_task)
		return "the idle task (pid 0) never exits";
	if (tsk == kthreadd_task)
		return "kthreadd (pid 2) never exits";
	if (tsk->tgid == 1 && tsk->signal->live == 1)
		return "refusing to exit init (pid 1): the kernel would panic (\"Attempted to kill init!\")";
	return NULL;
}

/* exit_mm() and mm_release(): the mm and a vfork parent go. */
static void exit_mm_locked(struct task_struct *tsk, bool group_dead,
			   struct mm_struct **mm, struct mm_struct **active_mm)
{
	struct task_struct *child = tsk->vfork_child;

	*mm = tsk->mm;
	*active_mm = tsk->active_mm;
	if (group_dead)
		task_fold_faults(tsk, *mm);
	complete_vfork_done(tsk);
	if (child) {		/* killed while in vfork(): the child owes us nothing */
		child->vfork_done = NULL;
		__atomic_store_n(&tsk->vfork_child, NULL, __ATOMIC_RELEASE);
	}
	{
		/* context_switch() reads next->mm under the rq lock, from the simulation */
		struct rq *rq = sched_task_rq_lock(tsk);

		tsk->mm = tsk->active_mm = NULL;
		sched_task_rq_unlock(rq, tsk);
	}
}

void do_exit(struct task_struct *tsk, long code)
{
	struct mm_struct *mm, *active_mm;
	const char *refused;
	LIST_HEAD(puts);
	bool group_dead;

	write_lock_tasklist();
	if ((tsk->flags & PF_EXITING) || tsk->exit_state || !pid_alive(tsk)) {
		write_unlock_tasklist();
		return;
	}
	refused = exit_refused(tsk);
	if (refused) {
		write_unlock_tasklist();
		pr_err("umm: %s\n", refused);
		return;
	}
	tsk->flags |= PF_EXITING;
	group_dead = --tsk->signal->live == 0;
	tsk->exit_code = (int)code;
	exit_mm_locked(tsk, group_dead, &mm, &active_mm);
	write_unlock_tasklist();
	drop_task_mm(mm, active_mm);
	exit_fs_files(tsk);

	write_lock_tasklist();
	exit_notify(tsk, &puts);
	WRITE_ONCE(tsk->__state, TASK_DEAD);	/* do_task_dead() */
	sched_exit_task(tsk);
	wake_up_waiters();
	write_unlock_tasklist();
	release_dead(&puts);
}

void umm_exit(struct task_struct *t, int code)
{
	if (t)
		do_exit(t, (code & 0xff) << 8);
}

/* do_group_exit(): every thread exits with the group's code. */
void umm_exit_group(struct task_struct *t, int code)
{
	struct task_struct *threads[64], *th;
	struct signal_struct *sig;
	int exit_code = (code & 0xff) << 8, n;

	if (!t)
		return;
	write_lock_tasklist();
	sig = t->signal;
	if (t->tgid == 1 || t == kthreadd_task || t == &init_task || !pid_alive(t)) {
		const char *refused = pid_alive(t) ? exit_refused(t->group_leader) : NULL;

		write_unlock_tasklist();
		if (refused || t->tgid == 1)
			pr_err("umm: %s\n", refused ? refused :
			       "refusing to exit init (pid 1): the kernel would panic");
		return;
	}
	if (sig->flags & SIGNAL_GROUP_EXIT) {
		exit_code = sig->group_exit_code;
	} else {
		sig->group_exit_code = exit_code;
		sig->flags |= SIGNAL_GROUP_EXIT;
	}
	write_unlock_tasklist();
	/* zap_other_threads(), a batch at a time: each exit changes the list */
	do {
		n = 0;
		read_lock_tasklist();
		for_each_thread(t, th)
			if (!(th->flags & PF_EXITING) && n < (int)ARRAY_SIZE(threads))
				threads[n++] = get_task_struct(th);
		read_unlock_tasklist();
		for (int i = 0; i < n; i++) {
			do_exit(threads[i], exit_code);
			put_task_struct(threads[i]);
		}
	} while (n);
}

/* ---- de_thread(): exec in a thread group ---- */

/* zap_other_threads(), a batch at a time: each exit changes the list. */
static void zap_other_threads(struct task_struct *tsk)
{
	struct task_struct *threads[64], *th;
	int n;

	do {
		n = 0;
		read_lock_tasklist();
		for_each_thread(tsk, th)
			if (th != tsk && !(th->flags & PF_EXITING) &&
			    n < (int)ARRAY_SIZE(threads))
				threads[n++] = get_task_struct(th);
		read_unlock_tasklist();
		for (int i = 0; i < n; i++) {
			/* do_group_exit() with group_exec_task set: code 0 */
			do_exit(threads[i], 0);
			put_task_struct(threads[i]);
		}
	} while (n);
}

/*
 * What de_thread() waits for (the kernel's notify_count): every other
 * thread released, and a leader that is not @tsk a zombie.
 */
static bool others_gone(struct task_struct *tsk)
{
	struct task_struct *leader = tsk->group_leader;

	if (thread_group_leader(tsk))
		return tsk->signal->nr_threads == 1;
	return tsk->signal->nr_threads == 2 && leader->exit_state == EXIT_ZOMBIE;
}

/*
 * The leader is a zombie: @tsk takes its place (exchange_tids(),
 * transfer_pid(), the task list and its parent's children list) and the
 * old leader, now holding @tsk's old pid, is released.  The faults the
 * group folded into the leader move with the leadership.
 */
static void take_leadership(struct task_struct *tsk, struct list_head *puts)
{
	struct task_struct *leader = tsk->group_leader;

	lockdep_assert_tasklist_write_held();
	tsk->start_time = leader->start_time;
	exchange_tids(tsk, leader);
	list_replace_init(&leader->tasks, &tsk->tasks);
	list_replace_init(&leader->sibling, &tsk->sibling);
	/* fs/exec.c's task_forked() looks without the lock */
	__atomic_store_n(&tsk->group_leader, tsk, __ATOMIC_RELAXED);
	__atomic_store_n(&leader->group_leader, tsk, __ATOMIC_RELAXED);
	tsk->real_parent = leader->real_parent;
	tsk->parent = leader->parent;
	tsk->exit_signal = SIGCHLD;
	leader->exit_signal = -1;
	tsk->min_flt += leader->min_flt;
	tsk->maj_flt += leader->maj_flt;
	leader->min_flt = leader->maj_flt = 0;
	leader->exit_state = EXIT_DEAD;
	__release_task(leader, puts);
}

int de_thread(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;
	LIST_HEAD(puts);
	unsigned long gen;

	write_lock_tasklist();
	if ((sig->flags & SIGNAL_GROUP_EXIT) || sig->group_exec_task ||
	    (tsk->flags & PF_EXITING)) {
		write_unlock_tasklist();
		return -EAGAIN;
	}
	if (thread_group_empty(tsk)) {
		write_unlock_tasklist();
		return 0;
	}
	sig->group_exec_task = tsk;
	write_unlock_tasklist();

	zap_other_threads(tsk);
	write_lock_tasklist();
	/* another caller is mid-exit, or cloned; or @tsk itself is made to exit */
	while (!others_gone(tsk) && !(tsk->flags & PF_EXITING)) {
		gen = waiters_generation();
		write_unlock_tasklist();
		zap_other_threads(tsk);
		write_lock_tasklist();
		if (!others_gone(tsk) && waiters_generation() == gen) {
			write_unlock_tasklist();
			wait_for_waiters_change(gen);
			write_lock_tasklist();
		}
	}
	sig->group_exec_task = NULL;
	if ((tsk->flags & PF_EXITING) || (sig->flags & SIGNAL_GROUP_EXIT)) {
		/* killed meanwhile (exit_group() of the group): the exec fails */
		write_unlock_tasklist();
		return -EAGAIN;
	}
	if (!thread_group_leader(tsk))
		take_leadership(tsk, &puts);
	wake_up_waiters();
	write_unlock_tasklist();
	release_dead(&puts);
	return 0;
}

/* ---- wait4() ---- */

struct wait_opts {
	int type;		/* 0 any, 1 pid, 2 process group */
	pid_t pid;
	int flags;
	int status;
	int notask_error;
};

static bool eligible_child(const struct wait_opts *wo, const struct task_struct *p)
{
	if ((wo->type == 1 && p->pid != wo->pid) ||
	    (wo->type == 2 && p->signal->pgrp != wo->pid))
		return false;
	if (wo->flags & __WALL)
		return true;
	/* a "clone" child (exit signal other than SIGCHLD) only with __WCLONE */
	return (p->exit_signal != SIGCHLD) == !!(wo->flags & __WCLONE);
}

/* Reap zombie @p for @parent: its pid. */
static pid_t wait_task_zombie(struct wait_opts *wo, struct task_struct *parent,
			      struct task_struct *p, struct list_head *puts)
{
	struct signal_struct *sig = p->signal, *psig = parent->signal;
	pid_t pid = p->pid;

	wo->status = (sig->flags & SIGNAL_GROUP_EXIT) ? sig->group_exit_code : p->exit_code;
	p->exit_state = EXIT_DEAD;
	psig->cmin_flt += p->min_flt + sig->min_flt + sig->cmin_flt;
	psig->cmaj_flt += p->maj_flt + sig->maj_flt + sig->cmaj_flt;
	__release_task(p, puts);
	return pid;
}

/* One pass over the children: a reaped pid, 0, or notask_error. */
static long do_wait_scan(struct wait_opts *wo, struct task_struct *parent,
			 struct list_head *puts)
{
	struct task_struct *tsk, *p;

	wo->notask_error = -ECHILD;
	for_each_thread(parent, tsk) {
		if ((wo->flags & __WNOTHREAD) && tsk != parent)
			continue;
		list_for_each_entry(p, &tsk->children, sibling) {
			if (p->exit_state == EXIT_DEAD || !eligible_child(wo, p))
				continue;
			if (p->exit_state == EXIT_ZOMBIE && !delay_group_leader(p))
				return wait_task_zombie(wo, parent, p, puts);
			wo->notask_error = 0;
		}
	}
	return wo->notask_error;
}

static int wait_opts_init(struct wait_opts *wo, struct task_struct *parent, pid_t pid,
			  int options)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	/* -INT_MIN is not defined */
	if (pid == INT_MIN)
		return -ESRCH;
	wo->flags = options;
	wo->status = 0;
	if (pid < -1) {
		wo->type = 2;
		wo->pid = -pid;
	} else if (pid == 0) {
		wo->type = 2;
		read_lock_tasklist();
		wo->pid = parent->signal->pgrp;
		read_unlock_tasklist();
	} else {
		wo->type = pid > 0;
		wo->pid = pid;
	}
	return 0;
}

long umm_wait4(struct task_struct *parent, pid_t pid, int *wstatus, int options)
{
	struct wait_opts wo;
	LIST_HEAD(puts);
	unsigned long gen;
	long ret;

	if (!parent)
		return -EINVAL;
	ret = wait_opts_init(&wo, parent, pid, options);
	if (ret)
		return ret;
	if (__atomic_load_n(&parent->vfork_child, __ATOMIC_ACQUIRE))
		return -EBUSY;	/* asleep in vfork() */
	get_task_struct(parent);
	for (bool slept = false;; slept = true) {
		write_lock_tasklist();
		if (slept && (parent->flags & PF_EXITING)) {
			ret = -EINTR;	/* made to exit while it slept */
			break;
		}
		ret = do_wait_scan(&wo, parent, &puts);
		if (ret || (options & WNOHANG))
			break;
		if (parent->flags & PF_EXITING) {
			ret = -EINTR;
			break;
		}
		/*
		 * The caller's thread sleeps for the task; the task's state is
		 * left to the scheduler (asleep already unless it runs a program).
		 */
		gen = waiters_generation();
		write_unlock_tasklist();
		wait_for_waiters_change(gen);
	}
	write_unlock_tasklist();
	release_dead(&puts);
	put_task_struct(parent);
	if (ret > 0 && wstatus)
		*wstatus = wo.status;
	return ret;
}
