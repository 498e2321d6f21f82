// SPDX-License-Identifier: GPL-2.0
/*
 * array.c - /proc/PID/status, stat and statm, of a umm task
 * (umm_task_show()) or of a bare address space (umm_mm_show()), and the
 * task's cmdline, environ and auxv (fs/proc/array.c, fs/proc/base.c,
 * Linux 6.18: proc_pid_status(), do_task_stat(), proc_pid_statm(),
 * proc_pid_cmdline_read(), environ_read(), proc_pid_auxv()).
 *
 * Of a task (umm_task_show(), which fs/proc/proc.c also reaches as
 * /proc/PID/FILE), everything umm has is real:
 *  - status: Name (the comm, '\n' and '\\' escaped), Umask (from the
 *    task's fs_struct: none for a zombie, as the kernel's), State
 *    (R running, S sleeping, D disk sleep, Z zombie, X dead, from
 *    __state | exit_state as __task_state_index() reads them), Tgid,
 *    Ngid 0, Pid, PPid (the real parent's tgid; 0 for pid 1 and 2),
 *    TracerPid 0, Uid and Gid (the host process's for user tasks, 0 for
 *    kernel threads, which run with init's credentials), FDSize (64, a
 *    fresh fdtable; 0 without files), Groups, NStgid, NSpid, NSpgid,
 *    NSsid, Kthread; then, with an mm, its lines as for an mm below;
 *    then Threads (nr_threads), SigQ (0 queued / RLIMIT_SIGPENDING),
 *    SigPnd, ShdPnd, SigBlk 0 (umm queues and blocks no signals), SigIgn
 *    and SigCgt (from the handlers umm_sigaction() set).  What follows
 *    in the kernel (capabilities, seccomp, speculation, cpus and mems,
 *    context switches) is left out: umm has no credentials or scheduler.
 *  - stat: the 52 fields of do_task_stat() for the whole group: pid,
 *    comm, state, ppid, pgrp, session, tty 0 and tpgid -1, flags, the
 *    group's faults and its reaped children's (cminflt, cmajflt), times
 *    0 (nothing runs), priority 20 and nice 0, num_threads, starttime
 *    (clock ticks of USER_HZ 100 since umm booted), vsize, rss, rsslim
 *    (RLIMIT_RSS), the mm's code, stack, data, brk, argument and
 *    environment addresses (0 without an mm), signal/blocked 0,
 *    sigignore and sigcatch (31 bits), wchan (1 unless running),
 *    exit_signal, processor 0, exit_code (the group's after exit_group()).
 *  - statm: the mm's (task_statm()), zeros without one.
 *  - cmdline: [arg_start, arg_end) read through the page tables
 *    (umm_access(), as access_remote_vm()); if the byte at arg_end - 1
 *    is not NUL, setproctitle() has overwritten the arguments, and the
 *    file is the first page from arg_start up to its first NUL (included).
 *    environ: [env_start, env_end).  auxv: mm->saved_auxv up to and
 *    with AT_NULL.  These three are empty without an mm.
 *  - maps, smaps, smaps_rollup, pagemap: the mm's (umm_mm_show()); a
 *    kernel thread's maps are empty, its smaps_rollup -ESRCH, as the
 *    kernel's.
 *
 * Of a bare mm (umm_mm_show()), only what comes from the mm is real, and
 * the task lines describe the host process that runs umm:
 *  - status: the memory lines of task_mem() (VmPeak .. VmSwap,
 *    HugetlbPages) are the kernel's, byte for byte.  Around them, the
 *    task's lines keep the kernel's order and layout with values of the
 *    host process that runs umm (Tgid, Pid, PPid, NSpgid, NSsid: its
 *    getpid()/getppid()/getpgrp()/getsid(); Uid, Gid: getres[ug]id()
 *    with fsuid = euid; Groups: getgroups()) or constants (Name "umm",
 *    State "R (running)", Ngid 0, TracerPid 0, FDSize 64, Kthread 0,
 *    CoreDumping 0, THP_enabled 1 since umm has no
 *    prctl(PR_SET_THP_DISABLE), untag_mask all ones as x86 without LAM,
 *    Threads 1).  Umask is left out (reading the host's umask means
 *    setting it, which races with other threads) as the kernel leaves it
 *    out for a task without fs_struct; everything after Threads is left
 *    out.
 *  - stat: the 52 fields.  Real: minflt (mm->min_flt), majflt
 *    (mm->maj_flt), vsize, rss, startcode, endcode, startstack,
 *    start_data, end_data, start_brk, arg_start, arg_end, env_start,
 *    env_end (all from the mm, as for a reader with ptrace access).
 *    Host process: pid, ppid, pgrp, session.  Constants: comm "umm",
 *    state R, tty_nr 0, tpgid -1, flags 0 (umm's ASLR is its own, not
 *    PF_RANDOMIZE), the children's fault counts and all times 0,
 *    priority 20, nice 0, num_threads 1, starttime 0, rsslim
 *    RLIM_INFINITY (umm has no RLIMIT_RSS), kstkesp/kstkeip 0 (as the
 *    kernel prints for a live task), signals 0, wchan 0, exit_signal 17
 *    (SIGCHLD), processor 0, rt_priority 0, policy 0, exit_code 0.
 *  - statm: entirely real (task_statm()).
 *
 * Locking: a task's fields are read under tasklist_lock for reading, its
 * mm with a user reference (get_task_mm()) and mmap_lock where the mm's
 * files take it; the mm's counters are read racily as the kernel's
 * get_mm_counter() readers do.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include <umm/slab.h>
#include <umm/jiffies.h>
#include <umm/timekeeping.h>
#include "../../kernel/internal.h"

/* Uid, Gid, FDSize and Groups: the host process's credentials, or root's. */
static void task_creds(struct seq_file *m, bool host, int fdsize)
{
	uid_t ruid = 0, euid = 0, suid = 0;
	gid_t rgid = 0, egid = 0, sgid = 0;
	gid_t groups[64];
	int ngroups = host ? getgroups(ARRAY_SIZE(groups), groups) : 0;

	if (host && getresuid(&ruid, &euid, &suid))
		ruid = euid = suid = getuid();
	if (host && getresgid(&rgid, &egid, &sgid))
		rgid = egid = sgid = getgid();
	seq_printf(m, "Uid:\t%u\t%u\t%u\t%u\n", ruid, euid, suid, euid);
	seq_printf(m, "Gid:\t%u\t%u\t%u\t%u\n", rgid, egid, sgid, egid);
	seq_printf(m, "FDSize:\t%d\nGroups:\t", fdsize);
	for (int g = 0; g < ngroups; g++)
		seq_printf(m, "%s%u", g ? " " : "", groups[g]);
	/* The kernel's trailing space. */
	seq_puts(m, " \n");
}

static void task_ids(struct seq_file *m, pid_t tgid, pid_t pid, pid_t ppid)
{
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
		   tgid, pid, ppid);
}

static void task_nsids(struct seq_file *m, pid_t tgid, pid_t pid, pid_t pgrp, pid_t sid,
		       bool kthread)
{
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\nKthread:\t%d\n",
		   tgid, pid, pgrp, sid, kthread);
}

/* The lines an mm adds: task_mem(), CoreDumping, THP_enabled, untag_mask. */
static void status_mm_lines(struct seq_file *m, struct mm_struct *mm)
{
	task_mem(m, mm);
	seq_puts(m, "CoreDumping:\t0\n");
	seq_puts(m, "THP_enabled:\t1\n");
	seq_printf(m, "untag_mask:\t%#lx\n", -1UL);
}

int proc_pid_status(struct seq_file *m, struct mm_struct *mm)
{
	pid_t pid = getpid();

	seq_puts(m, "Name:\tumm\n");
	seq_puts(m, "State:\tR (running)\n");
	task_ids(m, pid, pid, getppid());
	task_creds(m, true, 64);
	task_nsids(m, pid, pid, getpgrp(), getsid(0), false);
	status_mm_lines(m, mm);
	seq_puts(m, "Threads:\t1\n");
	return 0;
}

int proc_pid_stat(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long vsize = task_vsize(mm);
	unsigned long rss = get_mm_rss(mm);

	/* pid (comm) state ppid pgrp session tty_nr tpgid flags */
	seq_printf(m, "%d (umm) R %d %d %d 0 -1 0", getpid(), getppid(), getpgrp(),
		   getsid(0));
	/* minflt cminflt majflt cmajflt utime stime cutime cstime */
	seq_printf(m, " %lu 0 %lu 0 0 0 0 0", mm->min_flt, mm->maj_flt);
	/* priority nice num_threads itrealvalue starttime vsize rss rsslim */
	seq_printf(m, " 20 0 1 0 0 %lu %lu %lu", vsize, rss, -1UL);
	/* startcode endcode startstack kstkesp kstkeip */
	seq_printf(m, " %lu %lu %lu 0 0", mm->start_code, mm->end_code,
		   mm->start_stack);
	/*
	 * signal blocked sigignore sigcatch wchan nswap cnswap exit_signal
	 * processor rt_priority policy delayacct_blkio_ticks guest_time
	 * cguest_time
	 */
	seq_printf(m, " 0 0 0 0 0 0 0 %d 0 0 0 0 0 0", SIGCHLD);
	/* start_data end_data start_brk arg_start arg_end env_start env_end */
	seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data, mm->end_data,
		   mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start,
		   mm->env_end);
	/* exit_code */
	seq_puts(m, " 0\n");
	return 0;
}

int proc_pid_statm(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long size, resident, shared, text, data;

	size = task_statm(mm, &shared, &text, &data, &resident);
	/* size resident shared text lib(0) data dt(0) */
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", size, resident, shared, text, data);
	return 0;
}

/* ---- a task's files (umm_task_show()) ---- */

/* fs/proc/array.c's task_state_array, indexed by __task_state_index(). */
static const char *const task_state_array[] = {
	"R (running)", "S (sleeping)", "D (disk sleep)", "T (stopped)", "t (tracing stop)",
	"X (dead)", "Z (zombie)", "P (parked)", "I (idle)",
};

#define TASK_REPORT	(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | __TASK_STOPPED | \
			 __TASK_TRACED | EXIT_DEAD | EXIT_ZOMBIE | 0x40 /* TASK_PARKED */)

static const char *get_task_state(const struct task_struct *t)
{
	unsigned int state = (READ_ONCE(t->__state) | (unsigned int)t->exit_state) & TASK_REPORT;

	return task_state_array[state ? 32 - __builtin_clz(state) : 0];	/* fls() */
}

/* Bit sig - 1 of each handler that is SIG_IGN (@ign) or a function. */
static unsigned long sig_mask(const struct task_struct *t, bool ign)
{
	unsigned long mask = 0;

	for (int i = 0; i < UMM_NSIG && t->sighand; i++) {
		void (*h)(int) = t->sighand->action[i].handler;

		if (ign ? h == SIG_IGN : (h != SIG_IGN && h != SIG_DFL))
			mask |= 1UL << i;
	}
	return mask;
}

/* Cpus_allowed as %*pb (hex words of 32 bits) and as %*pbl (ranges). */
static void task_cpus_allowed(struct seq_file *m, struct task_struct *t)
{
	cpu_set_t mask;
	unsigned int n = umm_sim_nr_cpus(), words = (n + 31) / 32;
	int run = -1;
	bool first = true;

	spin_lock(&t->pi_lock);	/* sched_setaffinity() writes it there */
	mask = t->cpus_mask;
	spin_unlock(&t->pi_lock);
	seq_puts(m, "Cpus_allowed:\t");
	for (int w = (int)words - 1; w >= 0; w--) {
		unsigned int bits = 0;

		for (unsigned int b = 0; b < 32 && w * 32 + b < n; b++)
			if (CPU_ISSET(w * 32 + b, &mask))
				bits |= 1U << b;
		if (w == (int)words - 1)
			seq_printf(m, "%x", bits);
		else
			seq_printf(m, ",%08x", bits);
	}
	seq_puts(m, "\nCpus_allowed_list:\t");
	for (unsigned int cpu = 0; cpu <= n; cpu++) {
		bool set = cpu < n && CPU_ISSET(cpu, &mask);

		if (set && run < 0)
			run = (int)cpu;
		if (!set && run >= 0) {
			seq_printf(m, "%s%d", first ? "" : ",", run);
			if ((int)cpu - 1 > run)
				seq_printf(m, "-%u", cpu - 1);
			first = false;
			run = -1;
		}
	}
	seq_putc(m, '\n');
}

static pid_t task_ppid(const struct task_struct *t)
{
	return t->real_parent == &init_task ? 0 : t->real_parent->tgid;
}

static void task_status(struct seq_file *m, struct task_struct *t, struct mm_struct *mm)
{
	bool kthread = t->flags & PF_KTHREAD;
	struct signal_struct *sig = t->signal;
	struct task_sched_snap ss;

	seq_puts(m, "Name:\t");
	for (const char *c = t->comm; *c; c++)	/* seq_escape_str(..., "\n\\") */
		seq_printf(m, *c == '\n' ? "\\n" : *c == '\\' ? "\\\\" : "%c", *c);
	seq_putc(m, '\n');
	if (t->fs)
		seq_printf(m, "Umask:\t%#04o\n", t->fs->umask);
	seq_printf(m, "State:\t%s\n", get_task_state(t));
	task_ids(m, t->tgid, t->pid, task_ppid(t));
	task_creds(m, !kthread, t->files ? 64 : 0);
	task_nsids(m, t->tgid, t->pid, sig->pgrp, sig->session, kthread);
	if (mm)
		status_mm_lines(m, mm);
	seq_printf(m, "Threads:\t%d\n", sig->nr_threads);
	seq_printf(m, "SigQ:\t0/%lu\n", (unsigned long)sig->rlim[RLIMIT_SIGPENDING].rlim_cur);
	seq_printf(m, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n", 0UL, 0UL, 0UL);
	seq_printf(m, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", sig_mask(t, true),
		   sig_mask(t, false));
	task_cpus_allowed(m, t);
	task_sched_snapshot(t, &ss);
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\nnonvoluntary_ctxt_switches:\t%lu\n",
		   ss.nvcsw, ss.nivcsw);
}

static void task_stat(struct seq_file *m, struct task_struct *t, struct mm_struct *mm)
{
	struct signal_struct *sig = t->signal;
	unsigned long min_flt, maj_flt;
	unsigned long long utime, stime;
	struct task_sched_snap ss;
	int exit_code = t->exit_code;

	task_group_faults(t, &min_flt, &maj_flt);
	if (sig->flags & SIGNAL_GROUP_EXIT)
		exit_code = sig->group_exit_code;
	/* pid (comm) state ppid pgrp session tty_nr tpgid flags */
	seq_printf(m, "%d (%s) %c %d %d %d 0 -1 %u", t->pid, t->comm, get_task_state(t)[0],
		   task_ppid(t), sig->pgrp, sig->session, t->flags);
	task_cputime_adjusted(t, &utime, &stime);
	task_sched_snapshot(t, &ss);
	/* minflt cminflt majflt cmajflt utime stime cutime cstime */
	seq_printf(m, " %lu %lu %lu %lu %llu %llu 0 0", min_flt, sig->cmin_flt, maj_flt,
		   sig->cmaj_flt, utime, stime);
	/* priority nice num_threads itrealvalue starttime vsize rss rsslim */
	seq_printf(m, " %d %d %d 0 %llu %lu %lu %lu", ss.prio - MAX_RT_PRIO, ss.nice,
		   sig->nr_threads,
		   (unsigned long long)(t->start_boottime / (1000000000ULL / USER_HZ)),
		   mm ? task_vsize(mm) : 0, mm ? get_mm_rss(mm) : 0,
		   (unsigned long)sig->rlim[RLIMIT_RSS].rlim_cur);
	/* startcode endcode startstack kstkesp kstkeip */
	seq_printf(m, " %lu %lu %lu 0 0", mm ? mm->start_code : 0, mm ? mm->end_code : 0,
		   mm ? mm->start_stack : 0);
	/* signal blocked sigignore sigcatch wchan nswap cnswap exit_signal */
	seq_printf(m, " 0 0 %lu %lu %d 0 0 %d", sig_mask(t, true) & 0x7fffffffUL,
		   sig_mask(t, false) & 0x7fffffffUL, READ_ONCE(t->__state) != TASK_RUNNING,
		   t->exit_signal);
	/* processor rt_priority policy delayacct_blkio_ticks guest_time cguest_time */
	seq_printf(m, " %d %u %u 0 0 0", ss.cpu, ss.rt_priority, ss.policy);
	/* start_data end_data start_brk arg_start arg_end env_start env_end */
	if (mm)
		seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data, mm->end_data,
			   mm->start_brk, mm->arg_start, mm->arg_end, mm->env_start,
			   mm->env_end);
	else
		seq_puts(m, " 0 0 0 0 0 0 0");
	seq_printf(m, " %d\n", exit_code);
}

static void task_pid_statm(struct seq_file *m, struct task_struct *t, struct mm_struct *mm)
{
	(void)t;
	if (mm)
		proc_pid_statm(m, mm);
	else
		seq_puts(m, "0 0 0 0 0 0 0\n");
}

/* Copy [start, start + len) of @mm into @buf (at most @size bytes). */
static ssize_t mm_read(struct mm_struct *mm, unsigned long start, unsigned long len,
		       char *buf, size_t size)
{
	long got;

	if (size && len) {
		got = umm_access(mm, start, buf, min(len, size), 0);
		if (got < 0)
			return got;
	}
	return (ssize_t)len;
}

/* get_mm_proctitle(): the first page from arg_start, to its first NUL. */
static ssize_t mm_proctitle(struct mm_struct *mm, char *buf, size_t size)
{
	char *page = kmalloc(PAGE_SIZE, GFP_KERNEL);
	long got;
	size_t len = 0;

	if (!page)
		return -ENOMEM;
	got = umm_access(mm, mm->arg_start, page, PAGE_SIZE, 0);
	if (got > 0) {
		len = strnlen(page, (size_t)got);
		if (len < (size_t)got)
			len++;		/* the NUL, if there is one */
		memcpy(buf, page, min(len, size));
	}
	kfree(page);
	return (ssize_t)len;
}

/* proc_pid_cmdline_read() / get_mm_cmdline(). */
static ssize_t task_cmdline(struct mm_struct *mm, char *buf, size_t size)
{
	unsigned long arg_start, arg_end, env_start, env_end;
	char c;

	mmap_read_lock(mm);
	arg_start = mm->arg_start;
	arg_end = mm->arg_end;
	env_start = mm->env_start;
	env_end = mm->env_end;
	mmap_read_unlock(mm);
	if (!env_end || arg_start >= arg_end)
		return 0;
	/* setproctitle() may run past arg_end, but only into the environment */
	if (env_start != arg_end || env_end < env_start)
		env_start = env_end = arg_end;
	if (umm_access(mm, arg_end - 1, &c, 1, 0) == 1 && c)
		return mm_proctitle(mm, buf, size);
	return mm_read(mm, arg_start, arg_end - arg_start, buf, size);
}

static ssize_t task_environ(struct mm_struct *mm, char *buf, size_t size)
{
	unsigned long env_start, env_end;

	mmap_read_lock(mm);
	env_start = mm->env_start;
	env_end = mm->env_end;
	mmap_read_unlock(mm);
	if (!env_end || env_start >= env_end)
		return 0;
	return mm_read(mm, env_start, env_end - env_start, buf, size);
}

/* proc_pid_auxv(): the pairs up to and with AT_NULL. */
static ssize_t task_auxv(struct mm_struct *mm, char *buf, size_t size)
{
	size_t nwords = 0, len;

	do {
		nwords += 2;
	} while (nwords < ARRAY_SIZE(mm->saved_auxv) && mm->saved_auxv[nwords - 2]);
	len = nwords * sizeof(unsigned long);
	if (size)	/* (NULL, 0) asks for the length */
		memcpy(buf, mm->saved_auxv, min(len, size));
	return (ssize_t)len;
}

static const struct {
	const char *name;
	void (*show)(struct seq_file *m, struct task_struct *t, struct mm_struct *mm);
} task_files[] = {
	{ "status", task_status },
	{ "stat", task_stat },
	{ "statm", task_pid_statm },
	{ "sched", proc_sched_show_task },
	{ "schedstat", proc_pid_schedstat },
};

static const struct {
	const char *name;
	ssize_t (*read)(struct mm_struct *mm, char *buf, size_t size);
} task_binary_files[] = {
	{ "cmdline", task_cmdline },
	{ "environ", task_environ },
	{ "auxv", task_auxv },
};

/* The text files, with the task's fields read under tasklist_lock. */
static ssize_t task_text_show(struct task_struct *t, struct mm_struct *mm, size_t i,
			      char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };
	int err = 0;

	if (size)
		buf[0] = '\0';
	read_lock_tasklist();
	if (pid_alive(t))
		task_files[i].show(&m, t, mm);
	else
		err = -ESRCH;
	read_unlock_tasklist();
	if (err)
		return err;
	if (size)
		buf[min(m.count, size - 1)] = '\0';
	return (ssize_t)m.count;
}

/* The files by name; -ENOENT for others. */
static ssize_t task_show_mm(struct task_struct *t, struct mm_struct *mm, const char *file,
			    char *buf, size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(task_files); i++)
		if (!strcmp(file, task_files[i].name))
			return task_text_show(t, mm, i, buf, size);
	for (size_t i = 0; i < ARRAY_SIZE(task_binary_files); i++)
		if (!strcmp(file, task_binary_files[i].name))
			return mm ? task_binary_files[i].read(mm, buf, size) : 0;
	if (!strcmp(file, "maps") || !strcmp(file, "smaps") || !strncmp(file, "pagemap", 7)) {
		if (mm)
			return umm_mm_show(mm, file, buf, size);
		if (size)
			buf[0] = '\0';
		return 0;
	}
	if (!strcmp(file, "smaps_rollup"))
		return mm ? umm_mm_show(mm, file, buf, size) : -ESRCH;
	return -ENOENT;
}

ssize_t umm_task_show(struct task_struct *t, const char *file, char *buf, size_t size)
{
	struct mm_struct *mm;
	ssize_t ret;

	if (!t || !file || (!buf && size))
		return -EINVAL;
	if (!pid_alive(t))
		return -ESRCH;
	mm = get_task_mm(t);
	ret = task_show_mm(t, mm, file, buf, size);
	if (mm)
		mmput(mm);
	return ret;
}
