// SPDX-License-Identifier: GPL-2.0
/*
 * array.c - /proc/PID/status, stat and statm of a umm address space
 * (fs/proc/array.c, Linux 6.18: proc_pid_status(), do_task_stat(),
 * proc_pid_statm()).
 *
 * umm has address spaces but no tasks, so these files describe "the task
 * that owns the mm", and only what comes from the mm is real:
 *
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
 *    out for a task without fs_struct; everything after Threads (signal
 *    masks, capabilities, seccomp, cpus and mems, context switches) is
 *    left out: umm schedules nothing.
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
 * Locking: none here; the mm's counters are read racily as the kernel's
 * get_mm_counter() readers do.
 */
#include <signal.h>
#include <unistd.h>
#include "internal.h"

static void task_state(struct seq_file *m)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	gid_t groups[64];
	int ngroups = getgroups(ARRAY_SIZE(groups), groups);
	pid_t pid = getpid();

	if (getresuid(&ruid, &euid, &suid))
		ruid = euid = suid = getuid();
	if (getresgid(&rgid, &egid, &sgid))
		rgid = egid = sgid = getgid();
	seq_puts(m, "State:\tR (running)\n");
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n",
		   pid, pid, getppid());
	seq_printf(m, "Uid:\t%u\t%u\t%u\t%u\n", ruid, euid, suid, euid);
	seq_printf(m, "Gid:\t%u\t%u\t%u\t%u\n", rgid, egid, sgid, egid);
	seq_puts(m, "FDSize:\t64\nGroups:\t");
	for (int g = 0; g < ngroups; g++)
		seq_printf(m, "%s%u", g ? " " : "", groups[g]);
	/* The kernel's trailing space. */
	seq_puts(m, " \n");
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\nKthread:\t0\n",
		   pid, pid, getpgrp(), getsid(0));
}

int proc_pid_status(struct seq_file *m, struct mm_struct *mm)
{
	seq_puts(m, "Name:\tumm\n");
	task_state(m);
	task_mem(m, mm);
	seq_puts(m, "CoreDumping:\t0\n");
	seq_puts(m, "THP_enabled:\t1\n");
	seq_printf(m, "untag_mask:\t%#lx\n", -1UL);
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
