// SPDX-License-Identifier: GPL-2.0
/*
 * fork.c - tasks and how they are made: the task_struct and the caches
 * of what tasks share, init_task (pid 0), init (pid 1) and kthreadd
 * (pid 2) at boot, copy_process() and kernel_clone() with the clone
 * flags, kernel threads, rlimits and personality; and the new address
 * space fork() makes, dup_mm() and dup_mmap() (kernel/fork.c,
 * kernel/kthread.c, kernel/sys.c, mm/mmap.c of Linux 6.18; LKD3
 * chapter 3).
 *
 * Owns: tasklist_lock, init_task and the task list, the caches
 * "task_struct", "signal_cache", "sighand_cache", "files_cache" and
 * "fs_cache" (created at boot, as fork_init() and proc_caches_init()
 * do), init_mm (what kernel threads borrow), the wait4() wait queue.
 *
 * Invariants (umm_task_check()):
 *  - every task in the pid table is hashed (pid_alive()) and is either
 *    a thread group leader on the task list (init_task.tasks) and on its
 *    real parent's children list, or a thread on neither;
 *  - every task is on its group's signal->thread_head; nr_threads
 *    counts them, live those without PF_EXITING; tgid is the leader's
 *    pid; sigcnt is the number of tasks (hashed or not) that hold the
 *    signal_struct;
 *  - parent == real_parent (no ptrace), a hashed task that has not
 *    passed exit_notify() (init_task for pid 1 and kthreadd); a thread's
 *    real parent is its leader's;
 *  - a task with an mm has active_mm == mm; a kernel thread has no mm;
 *    usage >= 1 while hashed.
 *
 * Lifetimes: a task's usage starts at 1, the reference of its being in
 * the tables, dropped by release_task() (kernel/exit.c); umm_get_task()
 * and a wait4() sleeper take more.  The last put frees the task and its
 * signal_struct (sigcnt) and sighand_struct.  fs and files go at
 * do_exit() (a zombie has neither, as the kernel's).
 *
 * mm references, as the kernel counts them: a user task holds one of
 * its mm's mm_users (mmget(); CLONE_VM shares, else umm_mm_fork()
 * copies); a kernel thread has no mm and borrows an active_mm (init_mm
 * at first) with an mm_count reference (mmgrab()), dropped when it exits.
 *
 * start_time is the simulated machine's CLOCK_MONOTONIC
 * (kernel/time/tick.c), as the kernel's ktime_get_ns(): a task forked
 * after `advance 2s` started 2 s after boot, on every host.
 *
 * Locking: tasklist_lock (a pthread rwlock, the kernel's rwlock_t)
 * covers the task list, the pid table, parents, children, thread groups,
 * exit states, PF_EXITING, and each task's mm/active_mm pointers.  Lock
 * order: tasklist_lock, then an mm's mmap_lock, then the wait queue's
 * mutex.  copy_process() allocates before it takes the lock (but the
 * pid, as alloc_pid() under the lock); mmput() runs outside it.
 *
 * dup_mm()/dup_mmap() (umm_mm_fork()) own nothing that outlives the
 * call: the child is an ordinary mm.  What it gets, as in the kernel:
 *  - every VMA but VM_DONTCOPY ones, with VM_LOCKED/VM_LOCKONFAULT
 *    cleared (mlock is not inherited) and locked_vm 0;
 *  - for each VMA with an anon_vma, anon_vma_fork(): an anon_vma of its
 *    own chained below the parent's;
 *  - page tables copied only where a fault could not refill them: VMAs
 *    with an anon_vma; private writable pages are write-protected in
 *    both (COW) and stop being exclusive; VM_WIPEONFORK VMAs get no
 *    pages and no anon_vma;
 *  - the counters: total/data/exec/stack_vm, brk, the stack and argument
 *    fields, the layout and the limits; RSS as copied; hiwater_rss and
 *    hiwater_vm start at the current values; fault counts at 0.
 * Its locking: the parent's mmap_lock for writing for the whole copy
 * (the kernel's dup_mmap() takes it so; faults of the parent wait),
 * then the child's, which nobody else can see yet.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <umm/timekeeping.h>
#include <linux/capability.h>
#include "../mm/internal.h"
#include <umm/rmap.h>
#include <umm/slab.h>
#include "internal.h"

/*
 * Tasks in the pid table, and the limit fork_init() sets from memory as
 * set_max_threads() does: a task's 16 KiB kernel stack may take at most
 * an eighth of RAM (at least 20).  tasklist_lock.
 */
static int nr_threads, max_threads;

static void set_max_threads(void)
{
	unsigned long threads = totalram_pages() / (8 * (16384 / PAGE_SIZE));

	max_threads = (int)clamp(threads, 20UL, 0x3fffffffUL);
}

void task_unhashed(void)
{
	lockdep_assert_tasklist_write_held();
	nr_threads--;
}

/* Undo a partial copy: the child goes the ordinary way. */
static struct mm_struct *fork_failed(struct mm_struct *mm)
{
	umm_mm_destroy(mm);
	return NULL;
}

struct mm_struct *umm_mm_fork(struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp, *prev = NULL;
	unsigned long charge = 0;
	struct mm_struct *mm;
	int err = 0;

	VM_CHECK_MM(oldmm);
	if (!oldmm)
		return NULL;
	mm = umm_mm_create();
	if (!mm)
		return NULL;

	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	/* dup_mm()'s memcpy of what a task's mm carries over */
	mm->flags = oldmm->flags;
	mm->mmap_base = oldmm->mmap_base;
	mm->mmap_legacy_base = oldmm->mmap_legacy_base;
	mm->task_size = oldmm->task_size;
	mm->def_flags = oldmm->def_flags & VM_NOHUGEPAGE;	/* VM_INIT_DEF_MASK */
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->limits = oldmm->limits;
	mm->aslr_state = oldmm->aslr_state;
	/* what exec left: the executable, the auxv, the vdso (fs/exec.c) */
	mm->exe_file = oldmm->exe_file ? get_file(oldmm->exe_file) : NULL;
	memcpy(mm->saved_auxv, oldmm->saved_auxv, sizeof(mm->saved_auxv));
	mm->context.flags = oldmm->context.flags;
	mm->context.vdso = oldmm->context.vdso;
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;

	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags, -(long)vma_pages(mpnt));
			continue;
		}
		if (mpnt->vm_flags & VM_ACCOUNT) {
			unsigned long len = vma_pages(mpnt);

			if (security_vm_enough_memory_mm(oldmm, (long)len)) {
				err = -ENOMEM;
				break;
			}
			charge += len;
		}
		tmp = vma_prealloc(mm) ? NULL : vm_area_dup(mpnt);
		if (!tmp) {
			err = -ENOMEM;
			break;
		}
		tmp->vm_mm = mm;
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (tmp->vm_flags & VM_WIPEONFORK) {
			/* the child gets fresh anonymous memory: no anon_vma yet */
			tmp->anon_vma = NULL;
		} else if (anon_vma_fork(tmp, mpnt)) {
			tmp->anon_vma = NULL;
			if (tmp->vm_ops && tmp->vm_ops->close)
				tmp->vm_ops->close(tmp);
			if (tmp->vm_file)
				fput(tmp->vm_file);
			vm_area_free(tmp);
			err = -ENOMEM;
			break;
		}
		vma_link_between(mm, tmp, prev, NULL);
		prev = tmp;
		charge = 0;	/* the linked VMA carries its charge now */
		if (!(tmp->vm_flags & VM_WIPEONFORK)) {
			err = copy_page_range(tmp, mpnt);
			if (err)
				break;
		}
	}
	if (charge)
		vm_unacct_memory((long)charge);
	if (!err) {
		mm->hiwater_rss = get_mm_rss(mm);
		mm->hiwater_vm = mm->total_vm;
	} else {
		/* the VMAs not copied must not be counted in the child */
		mm->total_vm = mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
		for (tmp = mm->mmap; tmp; tmp = tmp->vm_next)
			vm_stat_account(mm, tmp->vm_flags, (long)vma_pages(tmp));
	}
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	return err ? fork_failed(mm) : mm;
}

/* ---- tasklist_lock and the wait queue ---- */

pthread_rwlock_t tasklist_lock = PTHREAD_RWLOCK_INITIALIZER;
#if UMM_DEBUG >= 1
int tasklist_lock_owner;
#endif

void write_lock_tasklist(void)
{
	pthread_rwlock_wrlock(&tasklist_lock);
#if UMM_DEBUG >= 1
	__atomic_store_n(&tasklist_lock_owner, current_lock_owner(), __ATOMIC_RELAXED);
#endif
}

void write_unlock_tasklist(void)
{
#if UMM_DEBUG >= 1
	__atomic_store_n(&tasklist_lock_owner, 0, __ATOMIC_RELAXED);
#endif
	pthread_rwlock_unlock(&tasklist_lock);
}

void read_lock_tasklist(void)
{
	pthread_rwlock_rdlock(&tasklist_lock);
}

void read_unlock_tasklist(void)
{
	pthread_rwlock_unlock(&tasklist_lock);
}

void umm_tasklist_read_lock(void)
{
	read_lock_tasklist();
}

void umm_tasklist_read_unlock(void)
{
	read_unlock_tasklist();
}

/*
 * wait_chldexit: one queue for every wait4() sleeper.  A sleeper reads
 * the generation under tasklist_lock, after finding nothing to reap, and
 * sleeps until it moves on; every exit, release and vfork completion
 * moves it on under tasklist_lock, so no wake-up falls between.
 */
static pthread_mutex_t wait_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static unsigned long wait_gen;

void wake_up_waiters(void)
{
	pthread_mutex_lock(&wait_mutex);
	__atomic_add_fetch(&wait_gen, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&wait_cond);
	pthread_mutex_unlock(&wait_mutex);
}

unsigned long waiters_generation(void)
{
	return __atomic_load_n(&wait_gen, __ATOMIC_ACQUIRE);
}

void wait_for_waiters_change(unsigned long gen)
{
	pthread_mutex_lock(&wait_mutex);
	while (__atomic_load_n(&wait_gen, __ATOMIC_ACQUIRE) == gen)
		pthread_cond_wait(&wait_cond, &wait_mutex);
	pthread_mutex_unlock(&wait_mutex);
}

/* ---- the caches and the boot tasks ---- */

static struct kmem_cache *task_struct_cachep, *signal_cachep, *sighand_cachep;
static struct kmem_cache *files_cachep, *fs_cachep;

static struct signal_struct init_signals;
static struct sighand_struct init_sighand;
static char init_pwd[] = "/";
static struct fs_struct init_fs;
static struct files_struct init_files;
struct task_struct init_task;
static struct mm_struct *init_mm;	/* kernel threads' first active_mm */
struct task_struct *child_reaper;	/* pid_ns->child_reaper */
struct task_struct *kthreadd_task;
uint64_t task_clock_ns(void)
{
	return ktime_get_ns();
}

void __set_task_comm(struct task_struct *tsk, const char *buf)
{
	strncpy(tsk->comm, buf, sizeof(tsk->comm) - 1);
	tsk->comm[sizeof(tsk->comm) - 1] = '\0';
}

/* ---- what tasks share: fs, files, sighand, signal ---- */

static void put_fs_struct(struct fs_struct *fs)
{
	if (!fs || __atomic_sub_fetch(&fs->users, 1, __ATOMIC_ACQ_REL))
		return;
	kfree(fs->pwd);
	kmem_cache_free(fs_cachep, fs);
}

static void put_files_struct(struct files_struct *files)
{
	if (files && !__atomic_sub_fetch(&files->count, 1, __ATOMIC_ACQ_REL))
		kmem_cache_free(files_cachep, files);
}

static void __cleanup_sighand(struct sighand_struct *sighand)
{
	if (sighand && !__atomic_sub_fetch(&sighand->count, 1, __ATOMIC_ACQ_REL))
		kmem_cache_free(sighand_cachep, sighand);
}

static void put_signal_struct(struct signal_struct *sig)
{
	if (sig && !__atomic_sub_fetch(&sig->sigcnt, 1, __ATOMIC_ACQ_REL))
		kmem_cache_free(signal_cachep, sig);
}

/* exit_fs() and exit_files(): a zombie keeps neither. */
void exit_fs_files(struct task_struct *tsk)
{
	struct fs_struct *fs;
	struct files_struct *files;

	write_lock_tasklist();
	fs = tsk->fs;
	files = tsk->files;
	tsk->fs = NULL;
	tsk->files = NULL;
	write_unlock_tasklist();
	put_fs_struct(fs);
	put_files_struct(files);
}

/* Drop the sighand at release (__exit_signal()); tasklist_lock held for writing. */
void exit_sighand(struct task_struct *tsk)
{
	__cleanup_sighand(tsk->sighand);
	tsk->sighand = NULL;
}

static int copy_fs(unsigned long clone_flags, struct task_struct *tsk)
{
	struct fs_struct *fs = tsk->fs, *new;

	if (clone_flags & CLONE_FS) {
		__atomic_add_fetch(&fs->users, 1, __ATOMIC_RELAXED);
		return 0;
	}
	new = kmem_cache_alloc(fs_cachep, GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->users = 1;
	new->umask = fs->umask;
	new->pwd = kstrdup(fs->pwd, GFP_KERNEL);
	if (!new->pwd) {
		kmem_cache_free(fs_cachep, new);
		return -ENOMEM;
	}
	tsk->fs = new;
	return 0;
}

static int copy_files(unsigned long clone_flags, struct task_struct *tsk)
{
	struct files_struct *new;

	if (clone_flags & CLONE_FILES) {
		__atomic_add_fetch(&tsk->files->count, 1, __ATOMIC_RELAXED);
		return 0;
	}
	new = kmem_cache_alloc(files_cachep, GFP_KERNEL);
	if (!new)
		return -ENOMEM;
	new->count = 1;
	tsk->files = new;
	return 0;
}

static int copy_sighand(unsigned long clone_flags, struct task_struct *tsk)
{
	struct sighand_struct *sig;

	if (clone_flags & CLONE_SIGHAND) {
		__atomic_add_fetch(&tsk->sighand->count, 1, __ATOMIC_RELAXED);
		return 0;
	}
	sig = kmem_cache_alloc(sighand_cachep, GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	memcpy(sig->action, tsk->sighand->action, sizeof(sig->action));
	sig->count = 1;
	tsk->sighand = sig;
	return 0;
}

static int copy_signal(unsigned long clone_flags, struct task_struct *tsk)
{
	struct signal_struct *sig, *cur = tsk->signal;

	if (clone_flags & CLONE_THREAD) {
		__atomic_add_fetch(&cur->sigcnt, 1, __ATOMIC_RELAXED);
		return 0;
	}
	sig = kmem_cache_zalloc(signal_cachep, GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	sig->sigcnt = 1;
	INIT_LIST_HEAD(&sig->thread_head);
	init_waitqueue_head(&sig->wait_chldexit);
	memcpy(sig->rlim, cur->rlim, sizeof(sig->rlim));
	sig->has_child_subreaper = cur->has_child_subreaper || cur->is_child_subreaper;
	sig->pgrp = cur->pgrp;
	sig->session = cur->session;
	tsk->signal = sig;
	return 0;
}

/* ---- mm ---- */

struct mm_struct *get_task_mm(struct task_struct *t)
{
	struct mm_struct *mm;

	read_lock_tasklist();
	mm = t->mm;
	if (mm)
		mmget(mm);
	read_unlock_tasklist();
	return mm;
}

/*
 * copy_mm(): share (CLONE_VM: one more mm_users) or copy the parent's
 * mm.  A parent without one (a kernel thread) gives a child without one,
 * which borrows the parent's active_mm.  @tsk->mm is the parent's mm
 * with a user reference that copy_process() took for us, or NULL.
 */
static int copy_mm(unsigned long clone_flags, struct task_struct *tsk)
{
	struct mm_struct *oldmm = tsk->mm, *mm;

	if (!oldmm)
		return 0;	/* the borrowed active_mm is set already */
	tsk->mm = tsk->active_mm = NULL;
	if (clone_flags & CLONE_VM) {
		mm = oldmm;	/* the reference taken is the child's */
	} else {
		mm = umm_mm_fork(oldmm);
		mmput(oldmm);
		if (!mm)
			return -ENOMEM;
	}
	tsk->mm = tsk->active_mm = mm;
	if (!(clone_flags & CLONE_THREAD)) {
		/* a new group's faults start where the mm is (0 for a copy) */
		tsk->signal->flt_mm = mm;
		tsk->signal->flt_min_base = __atomic_load_n(&mm->min_flt, __ATOMIC_RELAXED);
		tsk->signal->flt_maj_base = __atomic_load_n(&mm->maj_flt, __ATOMIC_RELAXED);
	}
	return 0;
}

/* Let go of @tsk's mm or borrowed active_mm (exit_mm(), and a failed fork). */
void drop_task_mm(struct mm_struct *mm, struct mm_struct *active_mm)
{
	if (mm)
		mmput(mm);
	else if (active_mm)
		mmdrop(active_mm);
}

void task_fold_faults(struct task_struct *t, struct mm_struct *mm)
{
	struct signal_struct *sig = t->signal;
	struct task_struct *leader = t->group_leader;

	lockdep_assert_tasklist_write_held();
	if (!mm || sig->flt_mm != mm)
		return;
	leader->min_flt += __atomic_load_n(&mm->min_flt, __ATOMIC_RELAXED) - sig->flt_min_base;
	leader->maj_flt += __atomic_load_n(&mm->maj_flt, __ATOMIC_RELAXED) - sig->flt_maj_base;
	sig->flt_mm = NULL;
}

void task_group_faults(struct task_struct *t, unsigned long *min_flt, unsigned long *maj_flt)
{
	struct signal_struct *sig = t->signal;
	struct task_struct *leader = t->group_leader;
	struct mm_struct *mm = sig->flt_mm;

	*min_flt = leader->min_flt + sig->min_flt;
	*maj_flt = leader->maj_flt + sig->maj_flt;
	if (mm) {
		*min_flt += __atomic_load_n(&mm->min_flt, __ATOMIC_RELAXED) - sig->flt_min_base;
		*maj_flt += __atomic_load_n(&mm->maj_flt, __ATOMIC_RELAXED) - sig->flt_maj_base;
	}
}

void complete_vfork_done(struct task_struct *t)
{
	struct task_struct *parent = t->vfork_done;

	lockdep_assert_tasklist_write_held();
	if (!parent)
		return;
	t->vfork_done = NULL;
	__atomic_store_n(&parent->vfork_child, NULL, __ATOMIC_RELEASE);
	/* the parent wakes (to its program), or sleeps on with none */
	if (READ_ONCE(parent->__state) == TASK_UNINTERRUPTIBLE && !wake_up_state(parent, TASK_UNINTERRUPTIBLE))
		WRITE_ONCE(parent->__state, TASK_INTERRUPTIBLE);
	wake_up_waiters();
}

/* Give the task's rlimits to @mm (its limits are the task's own). */
static void task_set_mm_limits(struct task_struct *t, struct mm_struct *mm)
{
	static const int res[] = { RLIMIT_STACK, RLIMIT_MEMLOCK, RLIMIT_DATA, RLIMIT_AS };
	struct rlimit rl[ARRAY_SIZE(res)];

	read_lock_tasklist();
	for (size_t i = 0; i < ARRAY_SIZE(res); i++)
		rl[i] = t->signal->rlim[res[i]];
	read_unlock_tasklist();
	for (size_t i = 0; i < ARRAY_SIZE(res); i++)
		umm_mm_setrlimit(mm, res[i], rl[i].rlim_cur == RLIM_INFINITY ? ~0UL :
				 (unsigned long)rl[i].rlim_cur);
}

/* exec_mmap()'s locked part: @tsk takes @mm; its old mm and active_mm are handed back. */
static void __task_exec_mmap(struct task_struct *tsk, struct mm_struct *mm,
			     struct mm_struct **old_mm, struct mm_struct **active_mm)
{
	lockdep_assert_tasklist_write_held();
	*old_mm = tsk->mm;
	*active_mm = tsk->active_mm;
	task_fold_faults(tsk, *old_mm);
	complete_vfork_done(tsk);
	{
		/* context_switch() reads it under the rq lock, from the simulation */
		struct rq *rq = sched_task_rq_lock(tsk);

		tsk->mm = tsk->active_mm = mm;
		sched_task_rq_unlock(rq, tsk);
	}
	tsk->signal->flt_mm = mm;
	tsk->signal->flt_min_base = __atomic_load_n(&mm->min_flt, __ATOMIC_RELAXED);
	tsk->signal->flt_maj_base = __atomic_load_n(&mm->maj_flt, __ATOMIC_RELAXED);
	tsk->flags &= ~PF_FORKNOEXEC;
}

void task_exec_mmap(struct task_struct *tsk, struct mm_struct *mm)
{
	struct mm_struct *old_mm, *active_mm;

	write_lock_tasklist();
	__task_exec_mmap(tsk, mm, &old_mm, &active_mm);
	write_unlock_tasklist();
	drop_task_mm(old_mm, active_mm);
}

int task_exec_commit(struct task_struct *tsk, struct mm_struct *mm, unsigned long persona,
		     unsigned int flags, const char *comm)
{
	struct mm_struct *old_mm, *active_mm;

	write_lock_tasklist();
	if (tsk->flags & PF_EXITING) {	/* umm_exit() from another thread won */
		write_unlock_tasklist();
		return -EAGAIN;
	}
	tsk->personality = (unsigned int)persona;
	tsk->flags = flags;
	__set_task_comm(tsk, comm);
	__task_exec_mmap(tsk, mm, &old_mm, &active_mm);
	write_unlock_tasklist();
	drop_task_mm(old_mm, active_mm);
	return 0;
}

/* ---- copy_process() ---- */

/* The checks copy_process() starts with. */
static int clone_flags_check(struct task_struct *cur, unsigned long clone_flags)
{
	if ((clone_flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS))
		return -EINVAL;
	/* thread groups share signals, which need a shared VM */
	if ((clone_flags & CLONE_THREAD) && !(clone_flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((clone_flags & CLONE_SIGHAND) && !(clone_flags & CLONE_VM))
		return -EINVAL;
	/*
	 * init's siblings would never be reaped (SIGNAL_UNKILLABLE); nor
	 * would kthreadd's, whose parent is the idle task too
	 */
	if ((clone_flags & CLONE_PARENT) && (cur->tgid == 1 || cur->tgid == 2))
		return -EINVAL;
	/* clone(2) takes no pidfd here; CLONE_PIDFD with CLONE_DETACHED is refused anyway */
	if ((clone_flags & (CLONE_PIDFD | CLONE_DETACHED)) == (CLONE_PIDFD | CLONE_DETACHED))
		return -EINVAL;
	return 0;
}

/* dup_task_struct()'s part after the copy: what is not the parent's. */
static void dup_task_links(struct task_struct *tsk)
{
	tsk->usage = 1;
	INIT_LIST_HEAD(&tsk->children);
	INIT_LIST_HEAD(&tsk->sibling);
	INIT_LIST_HEAD(&tsk->tasks);
	INIT_LIST_HEAD(&tsk->thread_node);
	INIT_LIST_HEAD(&tsk->ptrace_entry);
	tsk->pid_hashed = false;
	tsk->vfork_child = tsk->vfork_done = NULL;
}

/* Undo what copy_process() took, from @step down (the bad_fork_* labels). */
enum fork_step { FORK_TASK, FORK_FILES, FORK_FS, FORK_SIGHAND, FORK_SIGNAL, FORK_MM };

static void fork_undo(struct task_struct *p, enum fork_step step)
{
	if (step >= FORK_MM)
		drop_task_mm(p->mm, p->active_mm);
	if (step >= FORK_SIGNAL)
		put_signal_struct(p->signal);
	if (step >= FORK_SIGHAND)
		__cleanup_sighand(p->sighand);
	if (step >= FORK_FS)
		put_fs_struct(p->fs);
	if (step >= FORK_FILES)
		put_files_struct(p->files);
	kmem_cache_free(task_struct_cachep, p);
}

/*
 * arch_dup_task_struct(): @cur's fields into @p, all but the reference
 * count, which other threads' get/put_task_struct() change without the
 * lock (dup_task_links() sets @p's).  tasklist_lock held for reading.
 */
static void copy_task_fields(struct task_struct *p, const struct task_struct *cur)
{
	size_t at = offsetof(struct task_struct, usage), after = at + sizeof(cur->usage);
	size_t lock = offsetof(struct task_struct, pi_lock), past = lock + sizeof(cur->pi_lock);
	/*
	 * The scheduler's fields change under these locks (sched_fork()
	 * resets them); the pi_lock itself is not copied (it is held).
	 */
	struct rq *rq = sched_task_rq_lock((struct task_struct *)cur);

	_Static_assert(offsetof(struct task_struct, pi_lock) > offsetof(struct task_struct, usage),
		       "pi_lock comes after usage");
	memcpy(p, cur, at);
	memcpy((char *)p + after, (const char *)cur + after, lock - after);
	memcpy((char *)p + past, (const char *)cur + past, sizeof(*p) - past);
	sched_task_rq_unlock(rq, (struct task_struct *)cur);
}

/* Link @p into the tree (the locked part of copy_process()). */
static void link_new_task(struct task_struct *p, struct task_struct *cur,
			  unsigned long clone_flags)
{
	struct signal_struct *sig = p->signal;

	if (clone_flags & (CLONE_PARENT | CLONE_THREAD)) {
		p->real_parent = cur->real_parent;
		p->exit_signal = clone_flags & CLONE_THREAD ? -1 : cur->group_leader->exit_signal;
	} else {
		p->real_parent = cur;
		p->exit_signal = (int)(clone_flags & CSIGNAL);
	}
	p->parent = p->real_parent;
	if (clone_flags & CLONE_THREAD) {
		p->tgid = cur->tgid;
		p->group_leader = cur->group_leader;
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
		list_add_tail(&p->sibling, &p->real_parent->children);
		list_add_tail(&p->tasks, &init_task.tasks);
	}
	list_add_tail(&p->thread_node, &sig->thread_head);
	sig->nr_threads++;
	sig->live++;
	attach_pid(p);
	/* asleep with nothing to run until a program is given (wake_up_new_task()) */
	WRITE_ONCE(p->__state, TASK_INTERRUPTIBLE);
	if (clone_flags & CLONE_VFORK) {
		p->vfork_done = cur;
		__atomic_store_n(&cur->vfork_child, p, __ATOMIC_RELEASE);
		WRITE_ONCE(cur->__state, TASK_UNINTERRUPTIBLE);	/* wait_for_vfork_done() */
	}
}

/*
 * The parent's resources are copied or shared under tasklist_lock for
 * reading, so that an exit of the parent (which drops its fs and files
 * under the lock for writing) cannot free them under us; its mm gets a
 * user reference there and is copied after.
 */
static int copy_resources(struct task_struct *p, struct task_struct *cur,
			  unsigned long clone_flags)
{
	static const struct {
		enum fork_step step;
		int (*copy)(unsigned long, struct task_struct *);
	} steps[] = {
		{ FORK_FILES, copy_files }, { FORK_FS, copy_fs },
		{ FORK_SIGHAND, copy_sighand }, { FORK_SIGNAL, copy_signal },
	};
	int err = 0;

	read_lock_tasklist();
	if (cur->flags & PF_EXITING) {	/* an exiting task forks no more */
		read_unlock_tasklist();
		fork_undo(p, FORK_TASK);
		return -ESRCH;
	}
	copy_task_fields(p, cur);
	dup_task_links(p);
	for (size_t i = 0; i < ARRAY_SIZE(steps) && !err; i++) {
		err = steps[i].copy(clone_flags, p);
		if (err)
			fork_undo(p, steps[i].step - 1);
	}
	if (!err) {
		p->mm = cur->mm;
		p->active_mm = cur->active_mm;
		if (p->mm)
			mmget(p->mm);
		else if (p->active_mm)
			mmgrab(p->active_mm);	/* a kernel thread's borrowed mm */
	}
	read_unlock_tasklist();
	return err;
}

/* The new task, with a reference for the caller (put_task_struct() it), or NULL and *@errp. */
static struct task_struct *copy_process(struct task_struct *cur, unsigned long clone_flags,
					bool kthread, int *errp)
{
	struct task_struct *p;
	int err = clone_flags_check(cur, clone_flags);

	if (err)
		goto fail;
	err = -ENOMEM;
	p = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);	/* dup_task_struct() */
	if (!p)
		goto fail;
	err = copy_resources(p, cur, clone_flags);
	if (err)
		goto fail;
	p->flags &= ~(PF_SUPERPRIV | PF_IDLE | PF_KTHREAD | PF_EXITING | PF_SIGNALED |
		      PF_NOFREEZE);
	p->flags |= PF_FORKNOEXEC;
	if (kthread)
		p->flags |= PF_KTHREAD | PF_NOFREEZE;
	WRITE_ONCE(p->__state, TASK_NEW);
	p->exit_state = 0;
	p->exit_code = 0;
	p->min_flt = p->maj_flt = 0;
	p->start_time = p->start_boottime = task_clock_ns();
	sched_fork(p, cur);
	err = copy_mm(clone_flags, p);
	if (err) {
		fork_undo(p, FORK_SIGNAL);
		goto fail;
	}

	write_lock_tasklist();
	err = -ESRCH;
	if (cur->flags & PF_EXITING)
		goto fail_locked;
	err = -EINTR;		/* its group is dying: a fatal signal is pending */
	if ((clone_flags & CLONE_THREAD) && (cur->signal->flags & SIGNAL_GROUP_EXIT))
		goto fail_locked;
	err = -EAGAIN;		/* kernel.threads-max */
	if (nr_threads >= max_threads)
		goto fail_locked;
	err = alloc_pid(p);
	if (err < 0)
		goto fail_locked;
	link_new_task(p, cur, clone_flags);
	nr_threads++;
	/*
	 * The caller's reference: once the lock is dropped another thread
	 * may make @p exit and reap it (kernel_clone()'s get_task_pid()).
	 */
	get_task_struct(p);
	write_unlock_tasklist();
	return p;

fail_locked:
	write_unlock_tasklist();
	fork_undo(p, FORK_MM);
fail:
	*errp = err;
	return NULL;
}

long umm_clone(struct task_struct *parent, unsigned long clone_flags)
{
	struct task_struct *p;
	int err;

	if (!parent || parent == &init_task)
		return -EINVAL;
	if (!umm_ensure_booted())
		return -ENOMEM;
	/* a task asleep in vfork() runs nothing until its child lets go */
	if (__atomic_load_n(&parent->vfork_child, __ATOMIC_ACQUIRE))
		return -EBUSY;
	p = copy_process(parent, clone_flags & ~CLONE_DETACHED, false, &err);
	if (!p)
		return err;
	err = p->pid;
	put_task_struct(p);
	return err;
}

/* kernel_thread(): a child of @parent with PF_KTHREAD and no mm. */
static struct task_struct *kernel_thread(struct task_struct *parent, const char *name,
					 unsigned long flags, int *errp)
{
	struct task_struct *p = copy_process(parent, flags | CLONE_VM | CLONE_UNTRACED,
					     true, errp);

	if (p) {
		write_lock_tasklist();
		__set_task_comm(p, name);
		WRITE_ONCE(p->__state, TASK_INTERRUPTIBLE);	/* waits for work */
		write_unlock_tasklist();
	}
	return p;
}

long umm_kthread_create(const char *name)
{
	struct task_struct *p;
	int err;

	if (!name)
		return -EINVAL;
	if (!umm_ensure_booted())
		return -ENOMEM;
	p = kernel_thread(kthreadd_task, name, CLONE_FS | CLONE_FILES | SIGCHLD, &err);
	if (!p)
		return err;
	err = p->pid;
	put_task_struct(p);
	return err;
}

/* ---- lookups ---- */

struct task_struct *umm_find_task(pid_t pid)
{
	struct task_struct *t;

	if (!umm_ensure_booted())
		return NULL;
	read_lock_tasklist();
	t = find_task_by_pid(pid);
	read_unlock_tasklist();
	return t;
}

struct task_struct *umm_get_task(pid_t pid)
{
	struct task_struct *t;

	if (!umm_ensure_booted())
		return NULL;
	read_lock_tasklist();
	t = find_task_by_pid(pid);
	if (t)
		get_task_struct(t);
	read_unlock_tasklist();
	return t;
}

void umm_put_task(struct task_struct *t)
{
	if (t && t != &init_task)
		put_task_struct(t);
}

struct task_struct *umm_init_task(void)
{
	return umm_ensure_booted() ? child_reaper : NULL;
}

/* free_task(): the last reference is gone. */
void __put_task_struct(struct task_struct *t)
{
	VM_BUG_ON(pid_alive(t));
	sched_free_task(t);
	__cleanup_sighand(t->sighand);
	put_signal_struct(t->signal);
	put_fs_struct(t->fs);
	put_files_struct(t->files);
	kmem_cache_free(task_struct_cachep, t);
}

/* ---- personality, rlimits, prctl, sigaction ---- */

int umm_personality(struct task_struct *t, unsigned long persona)
{
	unsigned int old;

	if (!t)
		return -EINVAL;
	write_lock_tasklist();
	old = t->personality;
	if (persona != 0xffffffff)
		t->personality = (unsigned int)persona;
	write_unlock_tasklist();
	return (int)old;
}

#define NR_OPEN_MAX	(1024 * 1024)	/* sysctl_nr_open's default */

/*
 * do_prlimit(): -EINVAL for a bad resource or cur > max; raising the hard
 * limit needs CAP_SYS_RESOURCE, which umm takes from the host process
 * (what it could do to its own limits, umm lets its tasks do).
 */
int umm_setrlimit(struct task_struct *t, int resource, const struct rlimit *rlim)
{
	struct rlimit *old;
	struct mm_struct *mm;
	int err = 0;

	if (!t || !rlim || resource < 0 || resource >= UMM_RLIM_NLIMITS)
		return -EINVAL;
	if (rlim->rlim_cur > rlim->rlim_max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && rlim->rlim_max > NR_OPEN_MAX)
		return -EPERM;
	write_lock_tasklist();
	old = &t->signal->rlim[resource];
	if (rlim->rlim_max > old->rlim_max && !host_capable(CAP_SYS_RESOURCE))
		err = -EPERM;
	else
		*old = *rlim;
	write_unlock_tasklist();
	if (err)
		return err;
	mm = get_task_mm(t);
	if (mm) {
		task_set_mm_limits(t, mm);
		mmput(mm);
	}
	return 0;
}

int umm_getrlimit(struct task_struct *t, int resource, struct rlimit *rlim)
{
	if (!t || !rlim || resource < 0 || resource >= UMM_RLIM_NLIMITS)
		return -EINVAL;
	read_lock_tasklist();
	*rlim = t->signal->rlim[resource];
	read_unlock_tasklist();
	return 0;
}

/* walk_process_tree() with propagate_has_child_subreaper(). */
static void propagate_has_child_subreaper(struct task_struct *p)
{
	struct task_struct *t, *child;

	for_each_thread(p, t)
		list_for_each_entry(child, &t->children, sibling) {
			struct signal_struct *sig = child->signal;

			/* a subtree that has it already is done */
			if (sig->has_child_subreaper || sig->is_child_subreaper)
				continue;
			sig->has_child_subreaper = true;
			propagate_has_child_subreaper(child);
		}
}

int umm_prctl(struct task_struct *t, int option, unsigned long arg2)
{
	int err = 0;

	if (!t)
		return -EINVAL;
	write_lock_tasklist();
	switch (option) {
	case PR_SET_CHILD_SUBREAPER:
		t->signal->is_child_subreaper = arg2 != 0;
		if (arg2)
			propagate_has_child_subreaper(t);
		break;
	case PR_GET_CHILD_SUBREAPER:
		if (arg2)
			*(int *)arg2 = t->signal->is_child_subreaper;
		else
			err = -EFAULT;
		break;
	case PR_SET_NAME:
		if (arg2)
			__set_task_comm(t, (const char *)arg2);
		else
			err = -EFAULT;
		break;
	case PR_GET_NAME:
		if (arg2)
			memcpy((char *)arg2, t->comm, TASK_COMM_LEN);
		else
			err = -EFAULT;
		break;
	case PR_SET_TIMERSLACK:		/* 0: back to the default (init's 50 us) */
		t->timer_slack_ns = arg2 ? arg2 : 50000;
		break;
	case PR_GET_TIMERSLACK:
		err = (int)min(t->timer_slack_ns, (uint64_t)INT_MAX);
		break;
	default:
		err = -EINVAL;
	}
	write_unlock_tasklist();
	return err;
}

int umm_sigaction(struct task_struct *t, int sig, const struct sigaction *act,
		  struct sigaction *oact)
{
	struct k_sigaction *k;

	if (!t || sig < 1 || sig > UMM_NSIG || (act && (sig == SIGKILL || sig == SIGSTOP)))
		return -EINVAL;
	write_lock_tasklist();
	if (!t->sighand) {	/* released */
		write_unlock_tasklist();
		return -ESRCH;
	}
	k = &t->sighand->action[sig - 1];
	if (oact) {
		memset(oact, 0, sizeof(*oact));
		oact->sa_handler = k->handler;
		oact->sa_flags = (int)k->flags;
	}
	if (act) {
		k->handler = act->sa_handler;
		k->flags = (unsigned long)(unsigned int)act->sa_flags;
	}
	write_unlock_tasklist();
	return 0;
}

/* ---- boot and shutdown ---- */

static int create_task_caches(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       64, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	signal_cachep = kmem_cache_create("signal_cache", sizeof(struct signal_struct), 64,
					  SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	sighand_cachep = kmem_cache_create("sighand_cache", sizeof(struct sighand_struct),
					   64, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	files_cachep = kmem_cache_create("files_cache", sizeof(struct files_struct), 64,
					 SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	fs_cachep = kmem_cache_create("fs_cache", sizeof(struct fs_struct), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	return task_struct_cachep && signal_cachep && sighand_cachep && files_cachep &&
	       fs_cachep ? 0 : -ENOMEM;
}

static void destroy_task_caches(void)
{
	struct kmem_cache **caches[] = { &task_struct_cachep, &signal_cachep, &sighand_cachep,
					 &files_cachep, &fs_cachep };

	for (size_t i = 0; i < ARRAY_SIZE(caches); i++) {
		if (*caches[i])
			kmem_cache_destroy(*caches[i]);
		*caches[i] = NULL;
	}
}

/* INIT_TASK: pid 0, the idle task and the head of the task list. */
static void init_task_setup(void)
{
	struct rlimit *rl = init_signals.rlim;

	memset(&init_task, 0, sizeof(init_task));
	memset(&init_signals, 0, sizeof(init_signals));
	memset(&init_sighand, 0, sizeof(init_sighand));
	init_fs = (struct fs_struct){ .users = 1, .umask = 0022, .pwd = init_pwd };
	init_files = (struct files_struct){ .count = 1 };
	init_signals.sigcnt = 1;
	init_signals.nr_threads = init_signals.live = 1;
	INIT_LIST_HEAD(&init_signals.thread_head);
	init_waitqueue_head(&init_signals.wait_chldexit);
	/* the host process's limits are what every task starts with */
	for (int r = 0; r < UMM_RLIM_NLIMITS; r++)
		if (getrlimit(r, &rl[r]))
			rl[r].rlim_cur = rl[r].rlim_max = RLIM_INFINITY;
	init_sighand.count = 1;
	init_task.usage = 2;		/* never freed */
	init_task.flags = PF_KTHREAD | PF_IDLE;
	__set_task_comm(&init_task, "swapper/0");
	init_task.real_parent = init_task.parent = &init_task;
	init_task.group_leader = &init_task;
	INIT_LIST_HEAD(&init_task.children);
	INIT_LIST_HEAD(&init_task.sibling);
	INIT_LIST_HEAD(&init_task.tasks);
	INIT_LIST_HEAD(&init_task.ptrace_entry);
	list_add(&init_task.thread_node, &init_signals.thread_head);
	init_task.signal = &init_signals;
	init_task.sighand = &init_sighand;
	init_task.fs = &init_fs;
	init_task.files = &init_files;
	init_task.exit_signal = 0;
	init_task.active_mm = init_mm;
	sched_init_idle0();
}

/*
 * rest_init(): pid 1, a user-mode thread of pid 0 that gets an mm of its
 * own (as kernel_init() gets one by exec), then kthreadd, pid 2, which
 * ignores every signal (so that its children reap themselves).
 */
static int rest_init(void)
{
	struct mm_struct *mm;
	int err = 0;

	child_reaper = copy_process(&init_task, CLONE_FS, false, &err);
	if (!child_reaper)
		return err;
	__set_task_comm(child_reaper, "init");
	mm = umm_mm_create();
	if (!mm) {
		put_task_struct(child_reaper);
		return -ENOMEM;
	}
	task_set_mm_limits(child_reaper, mm);
	task_exec_mmap(child_reaper, mm);
	put_task_struct(child_reaper);	/* the tables keep theirs: it never goes */
	kthreadd_task = kernel_thread(&init_task, "kthreadd", CLONE_FS | CLONE_FILES, &err);
	if (!kthreadd_task)
		return err;
	put_task_struct(kthreadd_task);
	write_lock_tasklist();
	for (int sig = 0; sig < UMM_NSIG; sig++)
		kthreadd_task->sighand->action[sig].handler = SIG_IGN;	/* ignore_signals() */
	write_unlock_tasklist();
	return 0;
}

int fork_init(void)
{
	int err;

#ifdef UMM_MALLOC_BUILD
	return 0;	/* the malloc front end exports no processes: none to boot */
#endif

	pid_max = (int)umm_cfg.pid_max;
	err = create_task_caches();
	if (err)
		goto fail;
	init_mm = umm_mm_create();
	err = -ENOMEM;
	if (!init_mm)
		goto fail;
	init_task_setup();
	nr_threads = 0;
	set_max_threads();
	err = rest_init();
	if (!err)
		return 0;
fail:
	pr_err("umm: cannot create init and kthreadd: %s\n", strerror(-err));
	fork_shutdown();
	return err;
}

/* Every task goes, whatever holds it: umm is going down. */
void fork_shutdown(void)
{
	struct task_struct *t;

	sched_shutdown();	/* the CPUs let go of their tasks first */
	for (;;) {
		write_lock_tasklist();
		t = find_next_task_by_pid(1);
		if (!t) {
			write_unlock_tasklist();
			break;
		}
		free_pid(t);
		if (thread_group_leader(t)) {
			list_del_init(&t->tasks);
			list_del_init(&t->sibling);
		}
		list_del_init(&t->thread_node);
		write_unlock_tasklist();
		drop_task_mm(t->mm, t->active_mm);
		__put_task_struct(t);
	}
	if (init_mm)
		mmput(init_mm);
	init_mm = NULL;
	child_reaper = kthreadd_task = NULL;
	pid_shutdown();
	destroy_task_caches();
}

/* ---- the invariant checker ---- */

#define task_bug(t, fmt, ...)						\
	({								\
		pr_err("umm: task check: pid %d (%s): " fmt "\n", (t)->pid, (t)->comm, \
		       ##__VA_ARGS__);					\
		-EINVAL;						\
	})

static bool on_list(const struct list_head *entry, const struct list_head *head)
{
	for (const struct list_head *p = head->next; p != head; p = p->next)
		if (p == entry)
			return true;
	return false;
}

/* A hashed task's links and counts; tasklist_lock held. */
static int check_one_task(struct task_struct *t)
{
	struct task_struct *leader = t->group_leader, *c, *th;
	struct signal_struct *sig = t->signal;
	int threads = 0, live = 0;

	if (__atomic_load_n(&t->usage, __ATOMIC_RELAXED) < 1 || !sig)
		return task_bug(t, "usage %d, signal %p", t->usage, (void *)sig);
	if (!pid_alive(leader) || leader->signal != sig || t->tgid != leader->pid ||
	    !on_list(&t->thread_node, &sig->thread_head))
		return task_bug(t, "not in its thread group (leader %d, tgid %d)", leader->pid,
				t->tgid);
	if (t->parent != t->real_parent || t->real_parent != leader->real_parent)
		return task_bug(t, "parent %d, real parent %d, leader's %d", t->parent->pid,
				t->real_parent->pid, leader->real_parent->pid);
	if (t->real_parent != &init_task &&
	    (!pid_alive(t->real_parent) || t->real_parent->exit_state))
		return task_bug(t, "its real parent %d is gone", t->real_parent->pid);
	if (thread_group_leader(t)) {
		if (!on_list(&t->sibling, &t->real_parent->children) ||
		    !on_list(&t->tasks, &init_task.tasks))
			return task_bug(t, "a leader off its parent's children or the task list");
		for_each_thread(t, th) {
			threads++;
			live += !(th->flags & PF_EXITING);
		}
		/* sigcnt: clone(CLONE_THREAD) adds under the lock for reading, as we read */
		int sigcnt = __atomic_load_n(&sig->sigcnt, __ATOMIC_RELAXED);

		if (threads != sig->nr_threads || live != sig->live || sigcnt < threads)
			return task_bug(t, "%d threads (%d live), signal says %d (%d), sigcnt %d",
					threads, live, sig->nr_threads, sig->live, sigcnt);
	} else if (!list_empty(&t->sibling) || !list_empty(&t->tasks) || t->exit_signal != -1) {
		return task_bug(t, "a thread on a children list or the task list, exit_signal %d",
				t->exit_signal);
	}
	if ((t->mm && t->active_mm != t->mm) || ((t->flags & PF_KTHREAD) && t->mm) ||
	    (t->exit_state && (t->mm || t->active_mm || t->fs || t->files)))
		return task_bug(t, "mm %p, active_mm %p, exit_state %d", (void *)t->mm,
				(void *)t->active_mm, t->exit_state);
	list_for_each_entry(c, &t->children, sibling)
		if (c->real_parent != t || !thread_group_leader(c) || !pid_alive(c))
			return task_bug(t, "child %d names %d its parent", c->pid,
					c->real_parent->pid);
	return 0;
}

int umm_task_check(void)
{
	unsigned long nr = 0, leaders = 0;
	struct task_struct *t;
	int err = 0;

	if (!umm_ensure_booted())
		return -ENODEV;
	read_lock_tasklist();
	for (t = find_next_task_by_pid(1); t && !err; t = find_next_task_by_pid(t->pid + 1)) {
		nr++;
		leaders += thread_group_leader(t);
		err = check_one_task(t);
	}
	if (!err) {
		for_each_process(t)
			if (!pid_alive(t) || !thread_group_leader(t) || !leaders--) {
				err = task_bug(t, "on the task list, hashed %d", pid_alive(t));
				break;
			}
		if (!err && leaders)
			err = task_bug(&init_task, "%lu leaders are not on the task list", leaders);
	}
	if (!err)
		err = pid_table_check(nr);
	read_unlock_tasklist();
	return err;
}
