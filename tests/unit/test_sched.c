// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched.c - the scheduler (kernel/sched/): shares by weight under
 * EEVDF and CFS, the rt class (FIFO, RR, the fair server), programs
 * (parse errors, fork, wait, exit, wait-irq, sleep with timer slack),
 * affinity and load balancing, /proc/PID/sched, schedstat, stat and
 * /proc/stat, the API's errors, and API threads changing tasks while
 * the simulation runs (under a watchdog, seed printed).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <umm.h>
#include "tests/test.h"

#define MS	1000000ULL
#define SEC	1000000000ULL

static unsigned long long seed = 1;

static void reboot(const char *cmdline)
{
	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
}

static struct task_struct *spawn(int cpu, int nice, const char *prog)
{
	long pid = umm_clone(umm_init_task(), SIGCHLD);
	struct task_struct *t;
	cpu_set_t m;

	if (pid <= 0)
		return NULL;
	t = umm_find_task((pid_t)pid);
	if (cpu >= 0) {
		CPU_ZERO(&m);
		CPU_SET((unsigned int)cpu, &m);
		if (umm_sched_setaffinity(t, &m))
			return NULL;
	}
	if (umm_set_user_nice(t, nice) || (prog && umm_task_program(t, prog)))
		return NULL;
	return t;
}

/* /proc/PID/schedstat: on-CPU ns, wait ns, timeslices. */
static void schedstat(struct task_struct *t, unsigned long long v[3])
{
	char buf[128];

	v[0] = v[1] = v[2] = 0;
	if (umm_task_show(t, "schedstat", buf, sizeof(buf)) > 0)
		sscanf(buf, "%llu %llu %llu", &v[0], &v[1], &v[2]);
}

static double run_ns(struct task_struct *t)
{
	unsigned long long v[3];

	schedstat(t, v);
	return (double)v[0];
}

static const int weights[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423, 335, 272, 215, 172, 137,
	110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
};

/* Busy tasks of @n nice values on CPU 0 for 10 s: each gets its weight's share. */
static void check_shares(const int *nice, int n, double tol)
{
	struct task_struct *t[8];
	double total = 0, wsum = 0;

	for (int i = 0; i < n; i++) {
		ASSERT(t[i] = spawn(0, nice[i], "loop { run 50ms }"));
		wsum += weights[nice[i] + 20];
	}
	umm_sched_run(10 * SEC);
	for (int i = 0; i < n; i++)
		total += run_ns(t[i]);
	EXPECT(total > 9.99 * SEC && total <= 10.0 * SEC);
	for (int i = 0; i < n; i++) {
		double share = run_ns(t[i]) / total, want = weights[nice[i] + 20] / wsum;

		if (share < want - tol || share > want + tol) {
			fprintf(stderr, "  %s: nice %d: share %.4f, weight says %.4f\n",
				umm_sched_policy_name(), nice[i], share, want);
			test_current_failed = 1;
		}
	}
	EXPECT_EQ(umm_sched_check(), 0);
	for (int i = 0; i < n; i++)
		umm_exit(t[i], 0);
	EXPECT(umm_wait4(umm_init_task(), -1, NULL, 0) > 0);
}

static void shares_under(const char *cmdline)
{
	static const int mixes[][5] = {
		{ 2, 0, 5 }, { 2, 0, 1 }, { 2, 0, 10 }, { 2, 0, 19 }, { 3, 0, 5, 10 },
		{ 4, 0, 0, 5, -5 }, { 2, -20, 19 },
	};

	reboot(cmdline);
	for (size_t m = 0; m < sizeof(mixes) / sizeof(mixes[0]); m++)
		check_shares(&mixes[m][1], mixes[m][0], 0.005);
}

TEST(test_shares_eevdf)
{
	shares_under("umm.sched=eevdf");
	EXPECT_STREQ(umm_sched_policy_name(), "eevdf");
}

TEST(test_shares_cfs)
{
	shares_under("umm.sched=cfs");
	EXPECT_STREQ(umm_sched_policy_name(), "cfs");
}

/* SCHED_IDLE: weight 3 beside a nice-0 task; and it never preempts. */
TEST(test_sched_idle_policy)
{
	struct task_struct *a, *b;
	double share;

	reboot(NULL);
	ASSERT(a = spawn(0, 0, "loop { run 50ms }"));
	ASSERT(b = spawn(0, 0, "loop { run 50ms }"));
	EXPECT_EQ(umm_sched_setscheduler(b, SCHED_IDLE, 0), 0);
	umm_sched_run(10 * SEC);
	share = run_ns(b) / (run_ns(a) + run_ns(b));
	EXPECT(share > 0.001 && share < 0.01);	/* 3 / 1027 = 0.29% */
	EXPECT_EQ(umm_sched_check(), 0);
}

/* Two equal busy tasks on one CPU switch at each tick (their slice is shorter). */
TEST(test_switch_rate)
{
	struct task_struct *a, *b;
	unsigned long long va[3], vb[3];

	reboot(NULL);
	ASSERT(a = spawn(0, 0, "loop { run 50ms }"));
	ASSERT(b = spawn(0, 0, "loop { run 50ms }"));
	umm_sched_run(SEC);
	schedstat(a, va);
	schedstat(b, vb);
	/* 250 ticks a second: a switch at each, about 125 timeslices each */
	EXPECT(va[2] >= 123 && va[2] <= 128);
	EXPECT(vb[2] >= 123 && vb[2] <= 128);
	EXPECT(va[0] + vb[0] == SEC);
}

/* RT: FIFO above fair; a higher FIFO starves a lower; RR takes 100 ms turns. */
TEST(test_rt)
{
	struct task_struct *f, *hi, *lo, *r1, *r2;
	unsigned long long v1[3], v2[3];
	double share;

	reboot(NULL);
	ASSERT(f = spawn(0, 0, "loop { run 50ms }"));
	ASSERT(hi = spawn(0, 0, "loop { run 50ms }"));
	EXPECT_EQ(umm_sched_setscheduler(hi, SCHED_FIFO, 20), 0);
	umm_sched_run(10 * SEC);
	/* the fair server: 50 ms of each second for the fair task */
	share = run_ns(f) / (run_ns(f) + run_ns(hi));
	EXPECT(share > 0.045 && share < 0.055);
	ASSERT(lo = spawn(0, 0, "loop { run 50ms }"));
	EXPECT_EQ(umm_sched_setscheduler(lo, SCHED_FIFO, 10), 0);
	umm_sched_run(2 * SEC);
	EXPECT_EQ(run_ns(lo), 0);
	umm_exit(hi, 0);
	umm_exit(lo, 0);
	umm_exit(f, 0);
	ASSERT(r1 = spawn(0, 0, "loop { run 50ms }"));
	ASSERT(r2 = spawn(0, 0, "loop { run 50ms }"));
	EXPECT_EQ(umm_sched_setscheduler(r1, SCHED_RR, 5), 0);
	EXPECT_EQ(umm_sched_setscheduler(r2, SCHED_RR, 5), 0);
	umm_sched_run(2 * SEC);
	schedstat(r1, v1);
	schedstat(r2, v2);
	/* turns of 100 ms: 20 in 2 s, the CPU shared evenly */
	EXPECT(v1[2] + v2[2] >= 19 && v1[2] + v2[2] <= 21);
	EXPECT(v1[0] + v2[0] == 2 * SEC);
	EXPECT(v1[0] > v2[0] ? v1[0] - v2[0] <= 100 * MS : v2[0] - v1[0] <= 100 * MS);
	EXPECT_EQ(umm_sched_check(), 0);
	/* bad policies and priorities */
	EXPECT_EQ(umm_sched_setscheduler(r1, SCHED_FIFO, 0), -EINVAL);
	EXPECT_EQ(umm_sched_setscheduler(r1, SCHED_FIFO, 100), -EINVAL);
	EXPECT_EQ(umm_sched_setscheduler(r1, SCHED_OTHER, 5), -EINVAL);
	EXPECT_EQ(umm_sched_setscheduler(r1, SCHED_DEADLINE, 0), -EINVAL);
	EXPECT_EQ(umm_sched_setscheduler(r1, 42, 0), -EINVAL);
	EXPECT_EQ(umm_sched_setscheduler(NULL, SCHED_OTHER, 0), -EINVAL);
}

/* A sleeper alone: each loop is 1 ms + 50 us of slack + 100 us of running. */
TEST(test_sleep_and_slack)
{
	struct task_struct *t;
	unsigned long long v[3];

	reboot(NULL);
	ASSERT(t = spawn(1, 0, "loop { sleep 1ms; run 100us }"));
	umm_sched_run(SEC);
	schedstat(t, v);
	EXPECT(v[2] >= 869 && v[2] <= 871);	/* 1 s / 1.15 ms */
	EXPECT_EQ(v[1], 0);			/* nothing else to wait for */
	EXPECT(v[0] >= 86 * MS && v[0] <= 88 * MS);
}

TEST(test_program_errors)
{
	static const char *const bad[] = {
		"", ";;", "run", "run 3", "run 0ms", "run -1ms", "sleep x", "loop {", "loop { }",
		"loop run 1ms", "}", "{ run 1ms }", "repeat 0 { run 1ms }", "repeat x { run 1ms }",
		"wait-irq 64", "wait-irq", "nice 20", "nice -21", "exit 256", "exec", "mmap",
		"mmap 0", "frobnicate", "fork { }", "run 1ms }",
	};
	static const char *const good[] = {
		"run 1ms", "loop { run 3ms; sleep 1ms }", "repeat 3 { run 1us }\nsleep 1s",
		"fork { run 1ms }; wait", "mmap 64K; touch; munmap", "nice 5; yield; exit 3",
		"wait-irq 5 # a comment", "exec /usr/bin/true a b",
	};
	struct task_struct *t;

	reboot(NULL);
	ASSERT(t = spawn(-1, 0, NULL));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (umm_task_program(t, bad[i]) != -EINVAL || !*umm_task_program_error()) {
			fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
			test_current_failed = 1;
		}
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (umm_task_program(t, good[i])) {
			fprintf(stderr, "  refused: \"%s\": %s\n", good[i], umm_task_program_error());
			test_current_failed = 1;
		}
	}
	EXPECT_EQ(umm_task_program(NULL, "run 1ms"), -EINVAL);
	EXPECT_EQ(umm_task_program(t, NULL), -EINVAL);
	EXPECT_EQ(umm_set_user_nice(t, 20), -EINVAL);
	EXPECT_EQ(umm_set_user_nice(t, -21), -EINVAL);
	EXPECT_EQ(umm_sched_set_slice(t, 1000), -EINVAL);
	{
		cpu_set_t m;

		CPU_ZERO(&m);
		EXPECT_EQ(umm_sched_setaffinity(t, &m), -EINVAL);
		CPU_SET(5, &m);	/* beyond the 2 simulated CPUs */
		EXPECT_EQ(umm_sched_setaffinity(t, &m), -EINVAL);
		EXPECT_EQ(umm_sched_setaffinity(t, NULL), -EINVAL);
	}
	umm_exit(t, 0);
	EXPECT_EQ(umm_set_user_nice(t, 1), -ESRCH);
}

/* Programs that fork, wait and exit: children run, exit 0, and are reaped. */
TEST(test_program_fork_wait)
{
	struct task_struct *p;
	char buf[4096];

	reboot(NULL);
	ASSERT(p = spawn(-1, 0, "repeat 5 { fork { run 2ms; mmap 64K; touch } }; "
			 "repeat 5 { wait }; exit 7"));
	umm_sched_run(100 * MS);
	/* p exited 7: a zombie of init's, its five children reaped by it */
	ASSERT(umm_task_show(p, "stat", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, ") Z "));
	{
		int st = 0;

		EXPECT_EQ(umm_wait4(umm_init_task(), p->pid, &st, 0), p->pid);
		EXPECT_EQ(st, 7 << 8);
	}
	EXPECT_EQ(umm_wait4(umm_init_task(), -1, NULL, WNOHANG), -ECHILD);
	EXPECT_EQ(umm_task_check(), 0);
	EXPECT_EQ(umm_sched_check(), 0);
	ASSERT(umm_proc_read("/proc/stat", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "\nprocesses 8\n"));	/* init, kthreadd, p and five */
}

/* wait-irq: a device every 10 ms wakes two waiters on its line. */
TEST(test_wait_irq)
{
	struct task_struct *a, *b;
	unsigned long long va[3], vb[3];

	reboot(NULL);
	ASSERT(a = spawn(0, 0, "loop { wait-irq 9; run 1ms }"));
	ASSERT(b = spawn(1, 0, "loop { wait-irq 9; run 2ms }"));
	EXPECT_EQ(umm_irq_device(9, 0, 10 * MS, 10 * MS), 0);
	umm_sched_run(SEC + 5 * MS);
	schedstat(a, va);
	schedstat(b, vb);
	EXPECT_EQ(va[0], 100 * MS);	/* 100 interrupts, 1 ms each */
	EXPECT_EQ(vb[0], 200 * MS);
	EXPECT_EQ(kstat_irqs_cpu(9, 0), 100);
	EXPECT_EQ(umm_irq_device_stop(9), 0);
	umm_sched_run(SEC);
	schedstat(a, va);
	EXPECT_EQ(va[0], 100 * MS);	/* no device, no more wake-ups */
	EXPECT_EQ(umm_raise_irq(9, 1), 0);
	umm_sched_run(10 * MS);
	schedstat(a, va);
	EXPECT_EQ(va[0], 101 * MS);
	EXPECT_EQ(umm_irq_device(64, 0, MS, MS), -EINVAL);
	EXPECT_EQ(umm_irq_device(1, 9, MS, MS), -EINVAL);
}

/* Four busy tasks on two CPUs, unpinned: balancing gives each half a CPU. */
TEST(test_load_balance)
{
	struct task_struct *t[4];

	reboot(NULL);
	for (int i = 0; i < 4; i++)
		ASSERT(t[i] = spawn(-1, 0, "loop { run 50ms }"));
	umm_sched_run(4 * SEC);
	for (int i = 0; i < 4; i++) {
		double r = run_ns(t[i]);

		EXPECT(r > 1.9 * SEC && r < 2.1 * SEC);
	}
	EXPECT_EQ(umm_sched_check(), 0);
}

/* The API ends a running task: it leaves its CPU at once; the rest runs on. */
TEST(test_exit_while_running)
{
	struct task_struct *a, *b;
	double before;

	reboot(NULL);
	ASSERT(a = spawn(0, 0, "loop { run 50ms }"));
	ASSERT(b = spawn(0, 0, "loop { run 50ms }"));
	umm_sched_run(10 * MS + 1);
	umm_exit(a, 0);
	before = run_ns(b);
	umm_sched_run(100 * MS);
	EXPECT_EQ(run_ns(b) - before, 100 * MS);
	EXPECT_EQ(umm_wait4(umm_init_task(), a->pid, NULL, 0), a->pid);
	EXPECT_EQ(umm_sched_check(), 0);
}

/* /proc/PID/stat's utime, stime, nice, priority, processor; /proc/PID/sched's lines. */
TEST(test_proc_files)
{
	struct task_struct *t;
	char buf[4096];
	unsigned long long ut, st;
	int nice, prio, cpu;

	reboot(NULL);
	ASSERT(t = spawn(1, 3, "loop { run 9ms; mmap 4K; touch; munmap; repeat 1000 { yield } }"));
	umm_sched_run(2 * SEC);
	ASSERT(umm_task_show(t, "stat", buf, sizeof(buf)) > 0);
	ASSERT(sscanf(strrchr(buf, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
		      "%*d %*d %d %d %*d %*d %*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u "
		      "%*u %*u %*u %*d %d", &ut, &st, &prio, &nice, &cpu) == 5);
	EXPECT_EQ(ut + st, 200);	/* 2 s in clock ticks */
	/* 1 ms of system calls in 10 ms: a tenth of the time, sampled by the ticks */
	EXPECT(st >= 5 && st <= 60);
	EXPECT_EQ(nice, 3);
	EXPECT_EQ(prio, 23);
	EXPECT_EQ(cpu, 1);
	ASSERT(umm_task_show(t, "sched", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "se.load.weight                               :               538624\n"));
	EXPECT(strstr(buf, "prio                                         :                  123\n"));
	ASSERT(umm_proc_read("/proc/stat", buf, sizeof(buf)) > 0);
	EXPECT(!strncmp(buf, "cpu  0 ", 7));	/* all of it nice */
	EXPECT(strstr(buf, "\ncpu1 0 "));
}

/* ---- bottom halves in process context: kworkers, ksoftirqd; msleep ---- */

static int work_runs, tasklet_runs, chain_left;
static struct work_struct work;
static struct delayed_work dwork;
static struct tasklet_struct tasklet, chain;
static unsigned long dwork_ran_at;

static void work_fn(struct work_struct *w)
{
	(void)w;
	work_runs++;
	EXPECT(umm_current() && (umm_current()->flags & PF_KTHREAD));
}

static void dwork_fn(struct work_struct *w)
{
	(void)w;
	dwork_ran_at = jiffies;
}

static void tasklet_fn(struct tasklet_struct *t)
{
	(void)t;
	tasklet_runs++;
	schedule_work(&work);	/* the bottom half defers further, to process context */
}

static irqreturn_t dev_handler(int irq, void *dev)
{
	(void)irq, (void)dev;
	tasklet_schedule(&tasklet);
	return IRQ_HANDLED;
}

/* A device's interrupt -> tasklet -> work item in kworker/0:0, a task like any. */
TEST(test_workqueue)
{
	struct task_struct *busy, *kw;
	unsigned long j;
	char buf[1024];

	reboot(NULL);
	work_runs = tasklet_runs = 0;
	INIT_WORK(&work, work_fn);
	tasklet_setup(&tasklet, tasklet_fn);
	ASSERT_EQ(request_irq(7, dev_handler, 0, "dev", &work), 0);
	ASSERT(busy = spawn(0, 0, "loop { run 100ms }"));
	EXPECT_EQ(umm_irq_device(7, 0, 10 * MS, 10 * MS), 0);
	umm_sched_run(SEC + 5 * MS);
	EXPECT_EQ(tasklet_runs, 100);
	EXPECT_EQ(work_runs, 100);	/* each waited for the busy task's tick, then ran */
	EXPECT_EQ(umm_workqueue_items_run(0), 100);
	kw = umm_find_task(busy->pid + 1);
	ASSERT(kw);
	EXPECT_STREQ(kw->comm, "kworker/0:0");
	ASSERT(umm_task_show(kw, "schedstat", buf, sizeof(buf)) > 0);
	EXPECT(!strncmp(buf, "500000 ", 7));	/* 100 items of 5 us */
	/* bound to its CPU and to its loop (PF_NO_SETAFFINITY), as kthread_bind() makes it */
	{
		cpu_set_t cpu1;

		CPU_ZERO(&cpu1);
		CPU_SET(1, &cpu1);
		EXPECT_EQ(umm_sched_setaffinity(kw, &cpu1), -EINVAL);
		EXPECT_EQ(umm_task_program(kw, "run 1ms"), -EINVAL);
		EXPECT(strstr(umm_task_program_error(), "kworker/0:0"));
		EXPECT_EQ(umm_set_user_nice(kw, -5), 0);	/* its nice is the admin's */
	}
	EXPECT_EQ(umm_irq_device_stop(7), 0);
	free_irq(7, &work);
	/* pending once: a second queue is refused; cancel takes it off */
	EXPECT(schedule_work(&work));
	EXPECT(!schedule_work(&work));
	EXPECT(cancel_work(&work));
	EXPECT(!work_pending(&work));
	/* flush from outside advances the clock until it ran */
	EXPECT(schedule_work(&work));
	EXPECT(flush_work(&work));
	EXPECT_EQ(work_runs, 101);
	/* delayed work: a timer on the wheel, then the queue */
	INIT_DELAYED_WORK(&dwork, dwork_fn);
	j = jiffies;
	EXPECT(schedule_delayed_work(&dwork, 10));
	EXPECT(!schedule_delayed_work(&dwork, 10));
	umm_sched_run(100 * MS);
	EXPECT_EQ((long)(dwork_ran_at - j), 11);	/* the wheel's level 0 rounds up a tick */
	EXPECT(schedule_delayed_work(&dwork, 100));
	EXPECT(cancel_delayed_work(&dwork));
	EXPECT(!queue_work_on(5, system_wq, &work));	/* no such CPU */
	EXPECT_EQ(umm_sched_check(), 0);
}

static void chain_fn(struct tasklet_struct *t)
{
	if (--chain_left > 0)
		tasklet_schedule(t);	/* raised again from its own softirq */
}

/* Softirqs that keep coming: after 10 rounds ksoftirqd/N takes them, scheduled. */
TEST(test_ksoftirqd)
{
	struct task_struct *k = NULL, *t;
	char buf[1024];

	reboot(NULL);
	tasklet_setup(&chain, chain_fn);
	chain_left = 1000;
	ASSERT(t = spawn(1, 0, "loop { run 100ms }"));
	tasklet_schedule(&chain);
	EXPECT_EQ(umm_raise_irq(9, 0), 0);	/* its irq_exit() runs the first rounds */
	umm_sched_run(100 * MS);
	EXPECT_EQ(chain_left, 0);
	for (pid_t pid = 3; pid < 10 && !k; pid++) {
		struct task_struct *c = umm_find_task(pid);

		if (c && !strcmp(c->comm, "ksoftirqd/0"))
			k = c;
	}
	ASSERT(k);
	ASSERT(umm_task_show(k, "schedstat", buf, sizeof(buf)) > 0);
	EXPECT(strtoull(buf, NULL, 10) >= 98 * 1000ULL);	/* ~99 rounds of 1 us */
	EXPECT(strstr(buf, " 1\n"));	/* one timeslice: it ran them all in one go */
	EXPECT_EQ(umm_sched_check(), 0);
}

/* msleep(1) at HZ=250: 1 + 1 jiffies on the wheel, whose level 0 adds one: 12 ms. */
TEST(test_msleep)
{
	struct task_struct *t;
	unsigned long long v[3];
	char buf[1024];

	reboot(NULL);
	ASSERT(t = spawn(0, 0, "loop { msleep 1; run 100us }"));
	umm_sched_run(SEC);
	schedstat(t, v);
	EXPECT(v[2] >= 82 && v[2] <= 85);
	ASSERT(umm_task_show(t, "status", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "State:\tD (disk sleep)\n"));
}

/* ---- API threads against the simulation ---- */

static int stop_threads;

struct poker {
	unsigned long long seed;
	long ops;
};

static void *poke(void *arg)
{
	struct poker *p = arg;
	static const char *const progs[] = {
		"loop { run 1ms; yield }", "loop { sleep 2ms; run 100us }",
		"repeat 3 { fork { run 1ms }; wait }", "loop { wait-irq 3; run 50us }",
		"run 5ms; exit 1", "loop { mmap 16K; touch; munmap; run 200us }",
	};

	while (!__atomic_load_n(&stop_threads, __ATOMIC_RELAXED)) {
		unsigned long long r = test_splitmix64(&p->seed);
		pid_t pid = (pid_t)(3 + r % 12);
		struct task_struct *t = umm_get_task(pid);
		cpu_set_t m;

		__atomic_add_fetch(&p->ops, 1, __ATOMIC_RELAXED);
		if (!t) {
			long c = umm_clone(umm_init_task(), SIGCHLD);

			if (c > 0 && (t = umm_get_task((pid_t)c)))
				umm_task_program(t, progs[r % 6]);
			if (t)
				umm_put_task(t);
			umm_wait4(umm_init_task(), -1, NULL, WNOHANG);
			continue;
		}
		switch ((r >> 8) % 7) {
		case 0:
			umm_set_user_nice(t, (long)((r >> 16) % 40) - 20);
			break;
		case 1:
			CPU_ZERO(&m);
			CPU_SET((r >> 16) % 2, &m);
			umm_sched_setaffinity(t, &m);
			break;
		case 2:
			umm_sched_setscheduler(t, (r >> 16) % 4 ? SCHED_OTHER : SCHED_RR,
					       (r >> 16) % 4 ? 0 : 1 + (int)((r >> 20) % 50));
			break;
		case 3:
			umm_task_program(t, progs[(r >> 16) % 6]);
			break;
		case 4:
			umm_exit(t, 0);
			break;
		case 5:
			umm_raise_irq(3, (unsigned int)((r >> 16) % 2));
			break;
		default: {
			char buf[2048];

			umm_task_show(t, (r >> 16) % 2 ? "sched" : "stat", buf, sizeof(buf));
			break;
		}
		}
		umm_put_task(t);
		umm_wait4(umm_init_task(), -1, NULL, WNOHANG);
	}
	return NULL;
}

static int threads_body(void)
{
	struct poker p[2] = { { seed, 0 }, { seed ^ 0x9e3779b97f4a7c15ULL, 0 } };
	pthread_t th[2];
	long steps = 0;

	time_t end = time(NULL) + 4;

	if (umm_boot(NULL))
		return 1;
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, poke, &p[i]);
	/* until the threads made 20,000 calls (or 4 s passed), 1 ms of simulation at a time */
	while (__atomic_load_n(&p[0].ops, __ATOMIC_RELAXED) +
	       __atomic_load_n(&p[1].ops, __ATOMIC_RELAXED) < 20000 && time(NULL) < end) {
		umm_sched_run(MS);
		if (++steps % 256 == 0 && (umm_sched_check() || umm_task_check()))
			test_current_failed = 1;
	}
	__atomic_store_n(&stop_threads, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	if (umm_sched_check() || umm_task_check())
		test_current_failed = 1;
	fprintf(stderr, "  seed %llu: %ld simulation steps, %ld API calls\n", seed, steps,
		p[0].ops + p[1].ops);
	umm_shutdown();
	return test_current_failed;
}

/*
 * In a forked child under a watchdog (a hang is a failure), on a umm of
 * its own: umm's memory is a shared memfd, which a child using the
 * parent's boot would change under the parent.
 */
TEST(test_api_threads_against_simulation)
{
	umm_shutdown();
	EXPECT_EQ(run_watched(threads_body, 120, seed), 0);
	ASSERT_EQ(umm_boot(NULL), 0);
}

int main(int argc, char **argv)
{
	seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (unsigned long long)time(NULL);
	fprintf(stderr, "test_sched: seed %llu\n", seed);
	alarm(600);
	ASSERT_EQ(umm_boot(NULL), 0);
	RUN(test_shares_eevdf);
	RUN(test_shares_cfs);
	RUN(test_sched_idle_policy);
	RUN(test_switch_rate);
	RUN(test_rt);
	RUN(test_sleep_and_slack);
	RUN(test_program_errors);
	RUN(test_program_fork_wait);
	RUN(test_wait_irq);
	RUN(test_load_balance);
	RUN(test_exit_while_running);
	RUN(test_proc_files);
	RUN(test_workqueue);
	RUN(test_ksoftirqd);
	RUN(test_msleep);
	RUN(test_api_threads_against_simulation);
	umm_shutdown();
	TEST_EXIT();
}
