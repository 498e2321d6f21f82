// SPDX-License-Identifier: GPL-2.0
/*
 * debug.c - what /proc shows of the scheduler (kernel/sched/debug.c's
 * proc_sched_show_task(), kernel/sched/stats.c's schedstat,
 * fs/proc/stat.c, fs/proc/array.c's cputime fields; Linux 6.18).
 *
 * /proc/PID/sched prints what the host kernel prints with schedstats
 * off (its default): exec_start, vruntime and sum_exec_runtime in ms
 * with six decimals, nr_migrations, the switch counts, se.load.weight
 * scaled by 1024 as a 64-bit kernel keeps it, policy, prio, se.slice,
 * and the NUMA lines of a machine without NUMA balancing.  Left out: the
 * se.avg.* PELT averages (umm keeps no load tracking) and clock-delta
 * (the cost of reading the clock, which is nothing here).
 *
 * utime and stime are the kernel's cputime_adjust(): ticks decide the
 * split, sum_exec_runtime the total (fs/proc/array.c reads them here).
 *
 * Locking: the runqueue's lock while the running task's counters are
 * brought up to date (task_sched_runtime()).
 */
#include <stdio.h>
#include <time.h>
#include <umm/interrupt.h>
#include "sched.h"

/* The task's CPU time with the running one's current slice counted. */
static uint64_t task_sched_runtime(struct task_struct *p)
{
	struct rq *rq = sched_task_rq_lock(p);
	uint64_t ns;

	if (task_current(rq, p) && p->sched_class->update_curr) {
		update_rq_clock(rq);
		p->sched_class->update_curr(rq);
	}
	ns = p->se.sum_exec_runtime;
	sched_task_rq_unlock(rq, p);
	return ns;
}

static unsigned long long ns_to_clock_t(uint64_t ns)
{
	return ns / (1000000000ULL / USER_HZ);
}

/* What /proc/PID/stat and status print of the scheduler, read under its locks. */
void task_sched_snapshot(struct task_struct *p, struct task_sched_snap *s)
{
	struct rq *rq = sched_task_rq_lock(p);

	s->nvcsw = p->nvcsw;
	s->nivcsw = p->nivcsw;
	s->prio = p->prio;
	s->nice = PRIO_TO_NICE(p->static_prio);
	s->cpu = p->cpu;
	s->rt_priority = p->rt_priority;
	s->policy = p->policy;
	sched_task_rq_unlock(rq, p);
}

/* cputime_adjust(): stime = rtime * stime / (stime + utime), in clock ticks. */
void task_cputime_adjusted(struct task_struct *p, unsigned long long *ut,
			   unsigned long long *st)
{
	uint64_t rtime = task_sched_runtime(p), stime, utime;
	struct rq *rq = sched_task_rq_lock(p);	/* the tick adds to them there */

	stime = p->stime;
	utime = p->utime;
	sched_task_rq_unlock(rq, p);

	if (!stime)
		utime = rtime;
	else if (!utime)
		stime = rtime;
	else {
		stime = (uint64_t)((unsigned __int128)rtime * stime / (stime + utime));
		utime = rtime - stime;
	}
	*ut = ns_to_clock_t(utime);
	*st = ns_to_clock_t(stime);
}

#define SPLIT_NS(x)	(long long)((x) / 1000000), (long)((x) % 1000000)

static void p_ns(struct seq_file *m, const char *name, uint64_t v)
{
	seq_printf(m, "%-45s:%14lld.%06ld\n", name, SPLIT_NS(v));
}

static void p_num(struct seq_file *m, const char *name, long long v)
{
	seq_printf(m, "%-45s:%21lld\n", name, v);
}

/* /proc/PID/sched (proc_sched_show_task()). */
void proc_sched_show_task(struct seq_file *m, struct task_struct *p, struct mm_struct *mm)
{
	struct sched_entity snap;
	struct sched_entity *se = &snap;
	unsigned long nvcsw, nivcsw;
	unsigned int policy;
	uint64_t runtime;
	bool fair;
	int prio;
	struct rq *rq;

	(void)mm;
	runtime = task_sched_runtime(p);
	rq = sched_task_rq_lock(p);	/* a consistent snapshot of what the CPU changes */
	snap = p->se;
	nvcsw = p->nvcsw;
	nivcsw = p->nivcsw;
	policy = p->policy;
	prio = p->prio;
	fair = p->sched_class == &fair_sched_class;
	sched_task_rq_unlock(rq, p);
	seq_printf(m, "%s (%d, #threads: %d)\n", p->comm, p->pid, p->signal->nr_threads);
	seq_puts(m, "-------------------------------------------------------------------\n");
	p_ns(m, "se.exec_start", se->exec_start);
	p_ns(m, "se.vruntime", se->vruntime);
	p_ns(m, "se.sum_exec_runtime", runtime);
	p_num(m, "se.nr_migrations", (long long)se->nr_migrations);
	p_num(m, "nr_switches", (long long)(nvcsw + nivcsw));
	p_num(m, "nr_voluntary_switches", (long long)nvcsw);
	p_num(m, "nr_involuntary_switches", (long long)nivcsw);
	p_num(m, "se.load.weight", (long long)se->load.weight << 10);	/* scale_load() */
	p_num(m, "policy", policy);
	p_num(m, "prio", prio);
	if (fair)
		p_num(m, "se.slice", (long long)se->slice);
	p_num(m, "mm->numa_scan_seq", 0);
	p_num(m, "numa_pages_migrated", 0);
	p_num(m, "numa_preferred_nid", -1);
	p_num(m, "total_numa_faults", 0);
	seq_puts(m, "current_node=0, numa_group_id=0\n");
	seq_puts(m, "numa_faults node=0 task_private=0 task_shared=0 group_private=0 "
		 "group_shared=0\n");
}

/* /proc/PID/schedstat: on-CPU ns, runqueue-wait ns, timeslices. */
void proc_pid_schedstat(struct seq_file *m, struct task_struct *p, struct mm_struct *mm)
{
	(void)mm;
	seq_printf(m, "%llu %llu %lu\n", (unsigned long long)task_sched_runtime(p),
		   p->sched_info.run_delay, p->sched_info.pcount);
}

static uint64_t cpu_idle_ns(struct rq *rq, uint64_t now)
{
	uint64_t busy = 0;

	for (int i = 0; i < 8; i++)
		if (i != CPUTIME_IDLE)
			busy += rq->cpustat[i];
	/* NOHZ: skipped idle ticks count as idle (get_idle_time()) */
	return now > busy ? now - busy : 0;
}

static void show_cpu_line(struct seq_file *m, const char *name, const uint64_t *st,
			  uint64_t idle)
{
	seq_printf(m, "%s %llu %llu %llu %llu %llu %llu %llu %llu 0 0\n", name,
		   ns_to_clock_t(st[CPUTIME_USER]), ns_to_clock_t(st[CPUTIME_NICE]),
		   ns_to_clock_t(st[CPUTIME_SYSTEM]), ns_to_clock_t(idle),
		   ns_to_clock_t(st[CPUTIME_IOWAIT]), ns_to_clock_t(st[CPUTIME_IRQ]),
		   ns_to_clock_t(st[CPUTIME_SOFTIRQ]), ns_to_clock_t(st[CPUTIME_STEAL]));
}

static time_t boot_wall_time;

void sched_note_boot_time(void)
{
	boot_wall_time = time(NULL);
}

/* "NAME TOTAL N0 N1 ...": @n counters summed over the CPUs, and their total (+ @extra). */
static void show_sums(struct seq_file *m, const char *name, unsigned long long extra,
		      unsigned int n, unsigned int (*count)(unsigned int, int))
{
	unsigned long long total = extra;
	int cpu;

	for (unsigned int i = 0; i < n; i++)
		for_each_cpu_id(cpu)
			total += count(i, cpu);
	seq_printf(m, "%s %llu", name, total);
	for (unsigned int i = 0; i < n; i++) {
		unsigned long long sum = 0;

		for_each_cpu_id(cpu)
			sum += count(i, cpu);
		seq_printf(m, " %llu", sum);
	}
}

/* /proc/stat (fs/proc/stat.c's show_stat()). */
int show_stat(struct seq_file *m)
{
	uint64_t sum[8] = { 0 }, idle_sum = 0, now = ktime_get_ns(), switches = 0;
	unsigned long long intr = 0;
	unsigned int running = 0;
	char name[16];
	int cpu;

	for_each_cpu_id(cpu) {
		struct rq *rq = cpu_rq(cpu);

		for (int i = 0; i < 8; i++)
			sum[i] += rq->cpustat[i];
		idle_sum += cpu_idle_ns(rq, now);
		switches += rq->nr_switches;
		running += rq->nr_running;
	}
	show_cpu_line(m, "cpu ", sum, idle_sum);
	for_each_cpu_id(cpu) {
		snprintf(name, sizeof(name), "cpu%d", cpu);
		show_cpu_line(m, name, cpu_rq(cpu)->cpustat, cpu_idle_ns(cpu_rq(cpu), now));
	}
	for_each_cpu_id(cpu)
		intr += sim_local_timer_irqs((unsigned int)cpu);
	show_sums(m, "intr", intr, UMM_NR_IRQS, kstat_irqs_cpu);
	seq_printf(m, "\nctxt %llu\n", (unsigned long long)switches);
	seq_printf(m, "btime %llu\n", (unsigned long long)boot_wall_time);
	seq_printf(m, "processes %llu\n", (unsigned long long)sched_nr_forks());
	seq_printf(m, "procs_running %u\n", running);
	seq_printf(m, "procs_blocked 0\n");	/* nr_iowait(): nothing waits for I/O here */
	show_sums(m, "softirq", 0, NR_SOFTIRQS, kstat_softirqs_cpu);
	seq_putc(m, '\n');
	return 0;
}
