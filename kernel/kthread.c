// SPDX-License-Identifier: GPL-2.0
/*
 * kthread.c - the per-CPU kernel threads of the simulated machine:
 * kworker/N:0 (kernel/workqueue.c's worker pools) and ksoftirqd/N
 * (kernel/softirq.c), each bound to its CPU (kthread_create_on_cpu(),
 * kernel/kthread.c and kernel/smpboot.c, Linux 6.18).
 *
 * Each runs a loop as the kernel's do: do one unit of its work (one work
 * item, one round of softirqs), which costs simulated CPU time on its
 * CPU; with nothing to do, sleep until woken.  The loop is a program
 * step (kernel/sched/program.c's OP_KTHREAD), so the scheduler runs these
 * threads like any task.
 *
 * Where umm differs, and why: the kernel starts them at boot; umm starts
 * each when it is first needed (the first work queued on that CPU, the
 * first softirqs to pile up there), from the simulation, so that a
 * scenario's own processes get the same small pids whether or not it
 * uses work queues.
 *
 * Owns: the threads' pids, per kind and CPU, and the wish for one.
 * Locking: kthread_lock, a leaf (wake-ups happen after it is dropped).
 */
#include <errno.h>
#include <stdio.h>
#include <umm/printk.h>
#include "sched/sched.h"

struct percpu_kthread {
	pid_t pid;			/* 0: not started */
	bool wanted;			/* work came before the thread */
};

static const char *const kthread_fmt[NR_PERCPU_KTHREADS] = {
	[KT_KWORKER] = "kworker/%d:0",
	[KT_KSOFTIRQD] = "ksoftirqd/%d",
};

static struct percpu_kthread kthreads[NR_PERCPU_KTHREADS][UMM_SIM_CPUS_MAX];
static DEFINE_SPINLOCK(kthread_lock);

/* Wake @kind's thread of @cpu, or ask the simulation to start it. */
void percpu_kthread_wake(enum percpu_kthread_kind kind, int cpu)
{
	struct task_struct *t = NULL;
	pid_t pid;

	spin_lock(&kthread_lock);
	pid = kthreads[kind][cpu].pid;
	if (!pid)
		kthreads[kind][cpu].wanted = true;
	spin_unlock(&kthread_lock);
	if (pid && (t = umm_get_task(pid))) {
		wake_up_process(t);
		umm_put_task(t);
	}
}

static int start_kthread(enum percpu_kthread_kind kind, int cpu)
{
	struct task_struct *t;
	char name[TASK_COMM_LEN];
	cpu_set_t mask;
	long pid;
	int err;

	snprintf(name, sizeof(name), kthread_fmt[kind], cpu);
	pid = umm_kthread_create(name);
	if (pid < 0)
		return (int)pid;
	t = umm_get_task((pid_t)pid);
	if (!t)
		return -ESRCH;
	CPU_ZERO(&mask);
	CPU_SET((unsigned int)cpu, &mask);
	err = umm_sched_setaffinity(t, &mask);
	if (!err)
		err = prog_kthread(t, kind, cpu);
	if (!err) {	/* kthread_bind(): stays on its CPU, runs only its loop */
		write_lock_tasklist();
		t->flags |= PF_NO_SETAFFINITY;
		write_unlock_tasklist();
	}
	if (!err) {
		spin_lock(&kthread_lock);
		kthreads[kind][cpu].pid = (pid_t)pid;
		kthreads[kind][cpu].wanted = false;
		spin_unlock(&kthread_lock);
		wake_up_process(t);
	}
	umm_put_task(t);
	return err;
}

/* From the simulation (no lock held): start the threads asked for. */
void percpu_kthreads_settle(void)
{
	for (int kind = 0; kind < NR_PERCPU_KTHREADS; kind++)
		for (unsigned int cpu = 0; cpu < sched_nr_cpus; cpu++) {
			bool want;

			spin_lock(&kthread_lock);
			want = kthreads[kind][cpu].wanted && !kthreads[kind][cpu].pid;
			spin_unlock(&kthread_lock);
			if (want && start_kthread(kind, (int)cpu))
				pr_warn("umm: cannot start %s for CPU %u\n", kthread_fmt[kind], cpu);
		}
}

void percpu_kthreads_reset(void)
{
	spin_lock(&kthread_lock);
	memset(kthreads, 0, sizeof(kthreads));
	spin_unlock(&kthread_lock);
}
