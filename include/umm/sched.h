/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched.h - processes: struct task_struct and the system calls that make,
 * change and end them (include/linux/sched.h, sched/signal.h,
 * sched/task.h; kernel/fork.c, kernel/exit.c, kernel/pid.c, fs/exec.c).
 *
 * A task is what LKD3 chapter 3 draws: a task_struct from the
 * "task_struct" kmem cache, linked into the task list (init_task.tasks,
 * for_each_process()), into its parent's children list through sibling,
 * and into its thread group (signal->thread_head, group_leader).  Its
 * address space is an umm mm (include/umm/mmap.h): mm is NULL for kernel
 * threads, which run on a borrowed active_mm.  Nothing here runs code:
 * a task is the bookkeeping a kernel keeps for one, and the scheduler
 * that would run it is separate (kernel/sched/).
 *
 * Locking: tasklist_lock (a pthread rwlock, as the kernel's rwlock_t)
 * covers the task list, every children/sibling list, parent pointers,
 * thread groups and the pid table.  Lock order: tasklist_lock, then an
 * mm's mmap_lock.  The umm_* entry points take what they need; pointers
 * from umm_find_task() stay valid until the task is reaped by wait4() or
 * released (autoreaped).
 */
#ifndef _UMM_SCHED_H
#define _UMM_SCHED_H

#include "compiler.h"
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/resource.h>
#include <sched.h>
#include "list.h"
#include "rbtree.h"
#include "spinlock.h"
#include "wait.h"

UMM_BEGIN_DECLS

struct mm_struct;
struct linux_binfmt;
struct task_prog;
struct sched_class;

/* task->__state (include/linux/sched.h). */
#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define __TASK_STOPPED		0x00000004
#define __TASK_TRACED		0x00000008
/* task->exit_state */
#define EXIT_DEAD		0x00000010
#define EXIT_ZOMBIE		0x00000020
#define EXIT_TRACE		(EXIT_ZOMBIE | EXIT_DEAD)
#define TASK_DEAD		0x00000080
#define TASK_NEW		0x00000800

/* task->flags (per process flags). */
#define PF_IDLE			0x00000002	/* I am an IDLE thread */
#define PF_EXITING		0x00000004	/* Getting shut down */
#define PF_FORKNOEXEC		0x00000040	/* Forked but didn't exec */
#define PF_SUPERPRIV		0x00000100	/* Used super-user privileges */
#define PF_SIGNALED		0x00000400	/* Killed by a signal */
#define PF_NOFREEZE		0x00008000	/* This thread should not be frozen */
#define PF_KTHREAD		0x00200000	/* I am a kernel thread */
#define PF_RANDOMIZE		0x00400000	/* Randomize virtual address space */
#define PF_NO_SETAFFINITY	0x04000000	/* Userland is not allowed to meddle with cpus_mask */

/* clone() flags (include/uapi/linux/sched.h), the host's values. */
#define CSIGNAL			0x000000ff	/* signal mask to be sent at exit */
#ifndef CLONE_VM
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000
#endif

#define TASK_COMM_LEN		16
#define PID_MAX_DEFAULT		0x8000		/* pid_max= default */
#define PID_MAX_LIMIT		(4 * 1024 * 1024)
#define RESERVED_PIDS		300		/* where allocation wraps to */

/* personality(2) (include/uapi/linux/personality.h). */
#ifndef ADDR_NO_RANDOMIZE
#define UNAME26			0x0020000
#define ADDR_NO_RANDOMIZE	0x0040000
#define FDPIC_FUNCPTRS		0x0080000
#define MMAP_PAGE_ZERO		0x0100000
#define ADDR_COMPAT_LAYOUT	0x0200000
#define READ_IMPLIES_EXEC	0x0400000
#define ADDR_LIMIT_32BIT	0x0800000
#define SHORT_INODE		0x1000000
#define WHOLE_SECONDS		0x2000000
#define STICKY_TIMEOUTS		0x4000000
#define ADDR_LIMIT_3GB		0x8000000
#endif
#define PER_LINUX		0x0000
#define PER_MASK		0x00ff
/* Flags cleared at exec of a setuid binary, and always kept otherwise. */
#define PER_CLEAR_ON_SETID	(READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE)

#define UMM_RLIM_NLIMITS	16	/* RLIM_NLIMITS */
#define UMM_NSIG		64	/* _NSIG: signals 1..64 */

/* prctl(2) options umm_prctl() knows (include/uapi/linux/prctl.h). */
#ifndef PR_SET_TIMERSLACK
#define PR_SET_TIMERSLACK	29
#define PR_GET_TIMERSLACK	30
#endif
#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_SET_CHILD_SUBREAPER	36
#define PR_GET_CHILD_SUBREAPER	37
#endif

/* wait4() options the kernel takes besides WNOHANG, WUNTRACED, WCONTINUED. */
#ifndef __WNOTHREAD
#define __WNOTHREAD		0x20000000	/* only this thread's children */
#define __WALL			0x40000000	/* clone children too */
#define __WCLONE		0x80000000	/* only clone children */
#endif


/* Scheduling policies (include/uapi/linux/sched.h); glibc shows the last two only to _GNU_SOURCE. */
/*
 * cpu_set_t's macros: glibc shows them only to _GNU_SOURCE, umm.pc's
 * -D_DEFAULT_SOURCE does not ask for them; bits/cpu-set.h's always there.
 */
#if !defined(CPU_SET) && defined(__CPU_SET_S)
#define CPU_SET(cpu, cpusetp)	__CPU_SET_S(cpu, sizeof(cpu_set_t), cpusetp)
#define CPU_CLR(cpu, cpusetp)	__CPU_CLR_S(cpu, sizeof(cpu_set_t), cpusetp)
#define CPU_ISSET(cpu, cpusetp)	__CPU_ISSET_S(cpu, sizeof(cpu_set_t), cpusetp)
#define CPU_ZERO(cpusetp)	__CPU_ZERO_S(sizeof(cpu_set_t), cpusetp)
#endif

#ifndef SCHED_NORMAL
#define SCHED_NORMAL		SCHED_OTHER
#endif
#ifndef SCHED_BATCH
#define SCHED_BATCH		3
#endif
#ifndef SCHED_IDLE
#define SCHED_IDLE		5
#endif
#ifndef SCHED_DEADLINE
#define SCHED_DEADLINE		6
#endif

/* Priorities (include/linux/sched/prio.h): 0..99 real time, 100..139 nice -20..19. */
#define MAX_NICE		19
#define MIN_NICE		-20
#define NICE_WIDTH		(MAX_NICE - MIN_NICE + 1)
#define MAX_RT_PRIO		100
#define MAX_PRIO		(MAX_RT_PRIO + NICE_WIDTH)
#define DEFAULT_PRIO		(MAX_RT_PRIO + NICE_WIDTH / 2)
#define NICE_TO_PRIO(nice)	((nice) + DEFAULT_PRIO)
#define PRIO_TO_NICE(prio)	((prio) - DEFAULT_PRIO)

/* A weight and its inverse (2^32 / weight), for calc_delta_fair()'s multiply-shift. */
struct load_weight {
	unsigned long weight;
	uint32_t inv_weight;
};

/* A fair-class entity (struct sched_entity): CFS's fields and EEVDF's. */
struct sched_entity {
	struct load_weight load;
	struct rb_node run_node;	/* in cfs_rq->tasks_timeline */
	uint64_t deadline;		/* EEVDF: virtual deadline */
	uint64_t min_vruntime;		/* EEVDF: least vruntime of the subtree (augmented) */
	uint64_t min_slice;		/* least slice of the subtree (augmented) */
	unsigned char on_rq;
	unsigned char sched_delayed;	/* EEVDF: dequeued at sleep, kept until eligible */
	unsigned char rel_deadline;	/* deadline kept relative across a migration */
	unsigned char custom_slice;	/* slice set by sched_setattr() */
	uint64_t exec_start;
	uint64_t sum_exec_runtime;
	uint64_t prev_sum_exec_runtime;
	uint64_t vruntime;
	int64_t vlag;			/* EEVDF: lag kept across sleep */
	uint64_t vprot;			/* EEVDF: RUN_TO_PARITY's protected vruntime */
	uint64_t slice;			/* request size, ns */
	uint64_t nr_migrations;
};

/* A real-time entity (struct sched_rt_entity). */
struct sched_rt_entity {
	struct list_head run_list;	/* in rt_rq->active.queue[prio] */
	unsigned int time_slice;	/* SCHED_RR: jiffies left */
	unsigned short on_rq;
};

/* What /proc/PID/schedstat prints (struct sched_info). */
struct sched_info {
	unsigned long pcount;		/* timeslices run */
	unsigned long long run_delay;	/* ns waited on a runqueue */
	unsigned long long last_arrival, last_queued;
};

/*
 * What a thread group shares (struct signal_struct): the threads, the
 * rlimits, the child-subreaper marks, and the group's exit.
 */
struct signal_struct {
	int sigcnt;			/* references: the threads, released tasks */
	int nr_threads;			/* threads not yet released */
	int live;			/* threads not yet past do_exit()'s start */
	struct list_head thread_head;	/* task->thread_node of every thread */
	int group_exit_code;
	unsigned int flags;		/* SIGNAL_GROUP_EXIT */
	struct task_struct *group_exec_task;	/* the thread in de_thread() */
	bool is_child_subreaper;	/* prctl(PR_SET_CHILD_SUBREAPER) */
	bool has_child_subreaper;	/* some ancestor is one */
	struct rlimit rlim[UMM_RLIM_NLIMITS];
	/* what reaped children and dead threads leave behind (wait4 rusage) */
	unsigned long cmin_flt, cmaj_flt;
	unsigned long min_flt, maj_flt;
	/*
	 * umm runs no code, so faults are counted per mm (mm->min_flt): the
	 * group's faults are those its mm took since the group attached to
	 * it (flt_mm, at these counts), folded into the leader's
	 * min_flt/maj_flt when the group leaves the mm (exit, exec).
	 */
	struct mm_struct *flt_mm;
	unsigned long flt_min_base, flt_maj_base;
	pid_t pgrp, session;		/* pids[PIDTYPE_PGID], [PIDTYPE_SID] */
	struct wait_queue_head wait_chldexit;	/* a program's wait sleeps here */
};
#define SIGNAL_GROUP_EXIT	0x00000004

/* Shared-or-copied task resources: CLONE_FS, CLONE_FILES, CLONE_SIGHAND. */
struct fs_struct {
	int users;
	int umask;
	char *pwd;			/* the working directory's path */
};
struct files_struct {
	int count;
};
/* A handler as the kernel keeps it: SIG_DFL, SIG_IGN or a user address. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;		/* SA_NOCLDWAIT, ... */
};
struct sighand_struct {
	int count;
	struct k_sigaction action[UMM_NSIG];	/* [sig - 1] */
};

struct task_struct {
	unsigned int __state;		/* TASK_* */
	int exit_state;			/* 0, EXIT_ZOMBIE or EXIT_DEAD */
	unsigned int flags;		/* PF_* */
	int usage;			/* references (get/put_task_struct) */

	pid_t pid;
	pid_t tgid;
	char comm[TASK_COMM_LEN];	/* the executable's name, cut to 15 */

	struct task_struct *real_parent;	/* who forked us */
	struct task_struct *parent;		/* who gets SIGCHLD and wait4()s us */
	struct list_head children;	/* our children, through their sibling */
	struct list_head sibling;	/* in our parent's children */
	struct list_head tasks;		/* the task list (group leaders only) */
	struct task_struct *group_leader;
	struct list_head thread_node;	/* in signal->thread_head */

	struct mm_struct *mm;		/* NULL for kernel threads */
	struct mm_struct *active_mm;	/* mm, or the one a kernel thread borrows */

	int exit_code;			/* wait4() status once a zombie */
	int exit_signal;		/* sent to the parent at exit; -1 for threads */
	unsigned int personality;
	struct task_struct *vfork_done;	/* CLONE_VFORK: the parent waiting on us */

	/*
	 * Faults of this task.  umm runs no code, so a fault is the mm's:
	 * a group leader gets those of each mm its group leaves (see
	 * signal_struct), the totals a zombie hands to its parent's
	 * cmin_flt/cmaj_flt when wait4() reaps it.
	 */
	unsigned long min_flt, maj_flt;
	uint64_t start_time;		/* ns since boot (monotonic) */
	uint64_t start_boottime;	/* ns since boot, suspend included */

	struct signal_struct *signal;
	struct sighand_struct *sighand;
	struct fs_struct *fs;
	struct files_struct *files;

	struct task_struct *vfork_child;	/* CLONE_VFORK: the child we wait on */
	struct list_head ptrace_entry;	/* exit_notify()'s and wait4()'s dead list */
	bool pid_hashed;		/* in the pid table: pid_alive() */
	/* exec's results (the file, argv, envp, auxv) live in the mm, as
	 * the kernel's mm->exe_file, arg_start.., saved_auxv */

	/*
	 * The scheduler's part (kernel/sched/): under pi_lock and the
	 * runqueue's lock (task_rq_lock()).
	 */
	spinlock_t pi_lock;
	int on_rq;			/* TASK_ON_RQ_QUEUED: on a runqueue */
	int on_cpu;			/* rq->curr of its CPU */
	int cpu;			/* the CPU whose runqueue it is (or was) on */
	int wake_cpu;
	int prio, static_prio, normal_prio;
	unsigned int rt_priority;
	unsigned int policy;
	const struct sched_class *sched_class;
	struct sched_entity se;
	struct sched_rt_entity rt;
	cpu_set_t cpus_mask;
	int nr_cpus_allowed;
	unsigned long nvcsw, nivcsw;	/* voluntary, involuntary context switches */
	uint64_t utime, stime;		/* ns, by ticks (account_process_tick()) */
	uint64_t timer_slack_ns;
	struct sched_info sched_info;
	struct task_prog *prog;		/* what it runs (kernel/sched/program.c); NULL: nothing */
	struct task_prog *prog_pending;	/* given by the API, installed by the simulation */
	int wait_irq;			/* the line wait-irq sleeps on, or -1 */
};

/* The task list (include/linux/sched/signal.h). */
UMM_API extern struct task_struct init_task;	/* the list head: pid 0, "swapper/0" */
#define next_task(p)	list_entry((p)->tasks.next, struct task_struct, tasks)
#define for_each_process(p) \
	for ((p) = &init_task; ((p) = next_task(p)) != &init_task;)
#define for_each_thread(p, t) \
	list_for_each_entry((t), &(p)->signal->thread_head, thread_node)

static inline bool thread_group_leader(const struct task_struct *p)
{
	return p->group_leader == p;
}

/* tasklist_lock (kernel/fork.c); see the head comment for its order. */
UMM_API void umm_tasklist_read_lock(void);
UMM_API void umm_tasklist_read_unlock(void);

/*
 * A task by pid with a reference (get_pid_task()), so that it stays
 * readable (umm_task_show() says -ESRCH once it is reaped) however other
 * threads reap it; umm_put_task() drops the reference.
 */
UMM_API struct task_struct *umm_get_task(pid_t pid);
UMM_API void umm_put_task(struct task_struct *t);

/* The C API. */
UMM_API struct task_struct *umm_init_task(void);	/* pid 1; booted with umm */
UMM_API struct task_struct *umm_find_task(pid_t pid);	/* NULL if none */
/* child's pid or -errno; flags as clone(2): the low byte is the exit
 * signal, SIGCHLD for fork */
UMM_API long umm_clone(struct task_struct *parent, unsigned long clone_flags);
/* 0 or -errno; t->mm is the new mm */
UMM_API long umm_execve(struct task_struct *t, const char *filename,
			char *const argv[], char *const envp[]);
UMM_API int umm_personality(struct task_struct *t, unsigned long persona);	/* previous persona */
UMM_API int umm_setrlimit(struct task_struct *t, int resource, const struct rlimit *rlim);
UMM_API int umm_getrlimit(struct task_struct *t, int resource, struct rlimit *rlim);
/* do_exit, on any task at any time */
UMM_API void umm_exit(struct task_struct *t, int code);
UMM_API long umm_wait4(struct task_struct *parent, pid_t pid, int *wstatus, int options);
/* exit_group(2): every thread of @t's group exits with @code. */
UMM_API void umm_exit_group(struct task_struct *t, int code);
/*
 * prctl(2) for @t: PR_SET_CHILD_SUBREAPER (arg2 0 or not), PR_GET_CHILD_SUBREAPER
 * (arg2 an int *), PR_SET_NAME and PR_GET_NAME (arg2 a char[16]),
 * PR_SET_TIMERSLACK (ns; 0: the default 50 us) and PR_GET_TIMERSLACK (the
 * value returned).  0 or -EINVAL.
 */
UMM_API int umm_prctl(struct task_struct *t, int option, unsigned long arg2);
/*
 * sigaction(2) for @t's handlers: only sa_handler (SIG_DFL, SIG_IGN or
 * any other value, recorded) and sa_flags are kept.  What matters to
 * umm is SIGCHLD: SIG_IGN or SA_NOCLDWAIT makes children autoreap.
 */
UMM_API int umm_sigaction(struct task_struct *t, int sig, const struct sigaction *act,
			  struct sigaction *oact);
/*
 * The scheduler (kernel/sched/): what a task runs and how it is
 * scheduled on the simulated CPUs.  0 or -errno each.
 *
 * nice -20..19 (-EINVAL outside); policy SCHED_OTHER, SCHED_BATCH or
 * SCHED_IDLE with rt_priority 0, or SCHED_FIFO/SCHED_RR with 1..99;
 * the affinity mask must name a simulated CPU (-EINVAL otherwise).
 * umm_task_program() gives @t a program of simulated work (see
 * kernel/sched/program.c and docs/language.md): "loop { run 3ms; sleep
 * 1ms }"; -EINVAL with a message on a bad one.  A task without a
 * program sleeps and is never picked.
 */
UMM_API int umm_set_user_nice(struct task_struct *t, long nice);
UMM_API int umm_sched_setscheduler(struct task_struct *t, int policy, int rt_priority);
UMM_API int umm_sched_setaffinity(struct task_struct *t, const cpu_set_t *mask);
UMM_API int umm_sched_getaffinity(struct task_struct *t, cpu_set_t *mask);
UMM_API int umm_task_program(struct task_struct *t, const char *program);
/* The reason the last umm_task_program() of this thread failed, or "". */
UMM_API const char *umm_task_program_error(void);
/* sched_setattr()'s sched_runtime for a fair task: its slice, 0.1..100 ms (0: the default). */
UMM_API int umm_sched_set_slice(struct task_struct *t, unsigned long long slice_ns);
/* Which fair policy runs: "eevdf" or "cfs" (umm.sched=). */
UMM_API const char *umm_sched_policy_name(void);
/* Every runqueue against its invariants: 0 or -EINVAL after a message. */
UMM_API int umm_sched_check(void);
/*
 * The schedule as a list of events, for pictures (umm run-script
 * --timeline): umm_sched_trace_start() records up to @max events from
 * now (0: stop); umm_sched_trace_read() copies events [@from, @from + @n)
 * and returns how many it copied.  Switches name the task that comes in
 * (pid 0: the CPU idles).
 */
enum umm_sched_event_kind { UMM_EV_SWITCH, UMM_EV_IRQ, UMM_EV_SOFTIRQ, UMM_EV_WAKEUP };
struct umm_sched_event {
	unsigned long long ns;
	unsigned short cpu, kind;
	int pid;			/* SWITCH, WAKEUP: the task */
	int arg;			/* IRQ: the line; SOFTIRQ: its number; SWITCH: prio */
	char comm[16];
	int prev_pid;			/* SWITCH: the task that left (0: idle) */
	unsigned int prev_state;	/* SWITCH: its state then (TASK_RUNNING: preempted) */
};
UMM_API int umm_sched_trace_start(size_t max);
UMM_API size_t umm_sched_trace_read(struct umm_sched_event *ev, size_t n, size_t from);
UMM_API size_t umm_sched_trace_count(void);
/* kthread_create(): a kernel thread named @name, a child of kthreadd; its pid or -errno. */
UMM_API long umm_kthread_create(const char *name);
/*
 * Verify every invariant of the task structures (kernel/fork.c's head
 * comment): the task list against the pid table, children and sibling
 * lists, parents, thread groups, the counts of signal_struct and the
 * usage counts.  0, or -EINVAL after printing the first violation.
 */
UMM_API int umm_task_check(void);
/*
 * /proc/PID/FILE: maps smaps status stat statm auxv (binary, as the
 * kernel's) cmdline environ.  snprintf semantics for the text files;
 * the binary ones (auxv, cmdline, environ) copy at most @size bytes and
 * return their full length.  -ENOENT for other names, -ESRCH for a
 * reaped task.
 */
UMM_API ssize_t umm_task_show(struct task_struct *t, const char *file, char *buf, size_t size);

UMM_END_DECLS

#endif /* _UMM_SCHED_H */
