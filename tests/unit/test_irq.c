// SPDX-License-Identifier: GPL-2.0
/*
 * test_irq.c - interrupt lines, softirqs and tasklets on the simulated
 * CPUs (kernel/irq/manage.c, kernel/softirq.c): /proc/interrupts and
 * /proc/softirqs laid out as the host kernel lays out its own (each
 * line with its digits blanked, byte for byte), shared lines and
 * request_irq()'s errors, the context each piece of code runs in,
 * disable_irq()/enable_irq() with the replay, lines held while a CPU's
 * interrupts are off, the "nobody cared" detector, tasklets (once per
 * schedule, hi first, disabled, killed), softirqs re-raising past the
 * restart limit, and threads raising lines while the clock runs (under
 * a watchdog, and TSan in CI).
 *
 *	test_irq [seed]
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <umm.h>
#include <umm/interrupt.h>
#include <umm/timer.h>
#include <umm/timekeeping.h>
#include "tests/test.h"

static unsigned long long seed;
static char log_buf[4096];

static void logf_(const char *s)
{
	size_t n = strlen(log_buf);

	snprintf(log_buf + n, sizeof(log_buf) - n, "%s;", s);
}

static void reboot(const char *cmdline)
{
	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
	log_buf[0] = '\0';
}

/* ---- the formats against the host's ---- */

static char *slurp_host(const char *path)
{
	static char buf[2][1 << 16];
	static int which;
	FILE *f = fopen(path, "r");
	size_t n;
	char *b = buf[which ^= 1];

	if (!f)
		return NULL;
	n = fread(b, 1, sizeof(buf[0]) - 1, f);
	fclose(f);
	b[n] = '\0';
	return b;
}

/* The line of @text that starts, after blanks, with @key (NULL if none), digits blanked. */
static int blank_line(const char *text, const char *key, char *out, size_t size)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *p = l;
		size_t len = strcspn(l, "\n");

		while (*p == ' ')
			p++;
		if (strncmp(p, key, strlen(key)))
			continue;
		if (len >= size)
			return -1;
		for (size_t i = 0; i < len; i++)
			out[i] = isdigit((unsigned char)l[i]) ? ' ' : l[i];
		out[len] = '\0';
		return 0;
	}
	return -1;
}

static int host_cpus(const char *interrupts)
{
	int n = 0;

	for (const char *p = interrupts; *p && *p != '\n'; p++)
		if (!strncmp(p, "CPU", 3))
			n++;
	return n;
}

static void timer_noop(struct timer_list *t)
{
	(void)t;
}

static int self_free_ret = 1;

static irqreturn_t frees_itself(int irq, void *dev_id)
{
	self_free_ret = free_irq((unsigned int)irq, dev_id) != NULL;
	return IRQ_HANDLED;
}

static irqreturn_t dev_irq_noop(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_HANDLED;
}

TEST(test_proc_formats_like_the_host)
{
	char *hi = slurp_host("/proc/interrupts"), *hs = slurp_host("/proc/softirqs");
	static char ui[1 << 16], us[1 << 14], a[4096], b[4096], cmdline[64];
	static const char *const arch[] = { "NMI:", "LOC:", "ERR:", "MIS:" };
	struct timer_list tl;
	int cpus;

	ASSERT(hi && hs);
	cpus = host_cpus(hi);
	ASSERT(cpus >= 1);
	if (cpus > 64)
		cpus = 64;
	snprintf(cmdline, sizeof(cmdline), "umm.sim_cpus=%d", cpus);
	reboot(cmdline);
	/* a timer makes a tick happen (idle ticks are skipped, as NOHZ skips them): LOC counts */
	timer_setup(&tl, timer_noop, 0);
	mod_timer(&tl, jiffies + 10);
	umm_sched_run(100000000);
	ASSERT(umm_proc_read("/proc/interrupts", ui, sizeof(ui)) > 0);
	ASSERT(umm_proc_read("/proc/softirqs", us, sizeof(us)) > 0);
	/* the headers, byte for byte */
	EXPECT_EQ(strcspn(ui, "\n"), strcspn(hi, "\n"));
	EXPECT(!strncmp(ui, hi, strcspn(hi, "\n")));
	EXPECT(!strncmp(us, hs, strcspn(hs, "\n") + 1));
	/* the arch lines and every softirq row: the same with the digits blanked */
	for (size_t i = 0; i < sizeof(arch) / sizeof(arch[0]); i++) {
		if (blank_line(hi, arch[i], a, sizeof(a))) {
			fprintf(stderr, "  the host has no %s line\n", arch[i]);
			continue;
		}
		ASSERT_EQ(blank_line(ui, arch[i], b, sizeof(b)), 0);
		EXPECT_STREQ(b, a);
	}
	for (int i = 0; i < NR_SOFTIRQS; i++) {
		char key[32];

		snprintf(key, sizeof(key), "%s:", softirq_to_name[i]);
		ASSERT_EQ(blank_line(hs, key, a, sizeof(a)), 0);
		ASSERT_EQ(blank_line(us, key, b, sizeof(b)), 0);
		EXPECT_STREQ(b, a);
	}
	EXPECT(strstr(ui, "LOC:") && !strstr(ui, "LOC:          0 "));
	/* a device line: up to "-edge", as the host prints an IO-APIC's */
	{
		char *host_line = strstr(hi, " IO-APIC "), *start, *end;

		if (!host_line || !(end = strstr(host_line, "-edge"))) {
			fprintf(stderr, "  the host has no IO-APIC edge line to compare\n");
			return;
		}
		for (start = host_line; start > hi && start[-1] != '\n'; start--)
			;
		snprintf(a, sizeof(a), "%.*s", (int)(end - start + 5), start);
		ASSERT_EQ(request_irq(24, dev_irq_noop, 0, "dev", NULL), 0);
		ASSERT(umm_proc_read("/proc/interrupts", ui, sizeof(ui)) > 0);
		ASSERT(strstr(ui, " 24:"));
		snprintf(b, sizeof(b), "%.*s", (int)strlen(a), strstr(ui, " 24:"));
		for (char *p = a; *p; p++)
			*p = isdigit((unsigned char)*p) ? ' ' : *p;
		for (char *p = b; *p; p++)
			*p = isdigit((unsigned char)*p) ? ' ' : *p;
		EXPECT_STREQ(b, a);
		free_irq(24, NULL);
	}
}

/* ---- lines and handlers ---- */

struct dev {
	const char *name;
	irqreturn_t ret;
	int calls;
	unsigned long context;	/* preempt_count() seen */
	bool irqs_off;
	unsigned int cpu;
};

static irqreturn_t dev_handler(int irq, void *dev_id)
{
	struct dev *d = dev_id;
	char s[64];

	(void)irq;
	d->calls++;
	d->context = preempt_count();
	d->irqs_off = irqs_disabled();
	d->cpu = umm_sim_this_cpu();
	snprintf(s, sizeof(s), "%s", d->name);
	logf_(s);
	return d->ret;
}

TEST(test_request_and_shared_lines)
{
	struct dev a = { .name = "a", .ret = IRQ_HANDLED }, b = { .name = "b", .ret = IRQ_NONE };
	struct dev c = { .name = "c", .ret = IRQ_HANDLED };
	char buf[4096];

	reboot(NULL);
	EXPECT_EQ(request_irq(UMM_NR_IRQS, dev_handler, 0, "x", &a), -EINVAL);
	EXPECT_EQ(request_irq(5, NULL, 0, "x", &a), -EINVAL);
	EXPECT_EQ(request_irq(5, dev_handler, IRQF_SHARED, "x", NULL), -EINVAL);
	EXPECT_EQ(request_irq(5, dev_handler, IRQF_SHARED, "dev-a", &a), 0);
	EXPECT_EQ(request_irq(5, dev_handler, 0, "dev-c", &c), -EBUSY);	/* not sharing */
	EXPECT_EQ(request_irq(5, dev_handler, IRQF_SHARED, "dev-b", &b), 0);
	EXPECT_EQ(request_irq(6, dev_handler, 0, "dev-c", &c), 0);
	EXPECT_EQ(request_irq(6, dev_handler, IRQF_SHARED, "dev-a", &a), -EBUSY);
	EXPECT_EQ(umm_raise_irq(5, 1), 0);
	EXPECT_STREQ(log_buf, "a;b;");		/* every handler, in order */
	EXPECT_EQ(a.calls, 1);
	EXPECT_EQ(b.calls, 1);
	EXPECT_EQ(umm_irqs_unhandled(5), 0);	/* a handled it */
	EXPECT(a.context & HARDIRQ_MASK);
	EXPECT(a.irqs_off);
	EXPECT_EQ(a.cpu, 1);
	EXPECT_EQ(kstat_irqs_cpu(5, 1), 1);
	EXPECT_EQ(kstat_irqs_cpu(5, 0), 0);
	EXPECT_EQ(umm_raise_irq(5, 2), -EINVAL);	/* two CPUs */
	EXPECT_EQ(umm_raise_irq(99, 0), -EINVAL);
	ASSERT(umm_proc_read("/proc/interrupts", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "  5:          0          1  IO-APIC   5-edge      dev-a, dev-b\n"));
	EXPECT(strstr(buf, "  6:          0          0  IO-APIC   6-edge      dev-c\n"));
	/* nobody handles it: unhandled */
	a.ret = IRQ_NONE;
	umm_raise_irq(5, 0);
	EXPECT_EQ(umm_irqs_unhandled(5), 1);
	EXPECT_STREQ(free_irq(5, &a), "dev-a");
	EXPECT(free_irq(5, &a) == NULL);	/* "Trying to free already-free IRQ" */
	EXPECT_STREQ(free_irq(5, &b), "dev-b");
	EXPECT_STREQ(free_irq(6, &c), "dev-c");
	/* free_irq() from its own handler: refused (the kernel would wait for itself) */
	ASSERT_EQ(request_irq(8, frees_itself, 0, "self", NULL), 0);
	umm_raise_irq(8, 0);
	EXPECT_EQ(self_free_ret, 0);
	EXPECT_STREQ(free_irq(8, NULL), "self");
	/* a line nobody requested: counted, unhandled */
	EXPECT_EQ(umm_raise_irq(7, 0), 0);
	EXPECT_EQ(kstat_irqs_cpu(7, 0), 1);
	EXPECT_EQ(umm_irqs_unhandled(7), 1);
}

TEST(test_disable_enable_and_held)
{
	struct dev a = { .name = "a", .ret = IRQ_HANDLED };

	reboot(NULL);
	ASSERT_EQ(request_irq(9, dev_handler, 0, "dev", &a), 0);
	disable_irq(9);
	disable_irq(9);
	umm_raise_irq(9, 0);
	EXPECT_EQ(a.calls, 0);
	EXPECT_EQ(kstat_irqs_cpu(9, 0), 0);	/* counted when replayed */
	enable_irq(9);
	EXPECT_EQ(a.calls, 0);			/* still disabled once */
	enable_irq(9);
	EXPECT_EQ(a.calls, 1);			/* the held one, replayed */
	EXPECT_EQ(kstat_irqs_cpu(9, 0), 1);
	enable_irq(9);				/* "Unbalanced enable for IRQ 9" */
	umm_raise_irq(9, 0);
	EXPECT_EQ(a.calls, 2);
	free_irq(9, &a);
}

/* The nobody-cared detector: 99,900 unhandled of 100,000 disable the line. */
TEST(test_nobody_cared)
{
	struct dev a = { .name = "quiet", .ret = IRQ_NONE };

	reboot(NULL);
	ASSERT_EQ(request_irq(11, dev_handler, 0, "quiet", &a), 0);
	for (int i = 0; i < 100000; i++)
		umm_raise_irq(11, 0);
	EXPECT_EQ(a.calls, 100000);
	umm_raise_irq(11, 0);
	EXPECT_EQ(a.calls, 100000);	/* disabled */
	/* a line that handles now and then is left alone */
	free_irq(11, &a);
	a.calls = 0;
	ASSERT_EQ(request_irq(12, dev_handler, 0, "sometimes", &a), 0);
	for (int i = 0; i < 100000; i++) {
		a.ret = i % 500 ? IRQ_NONE : IRQ_HANDLED;
		umm_raise_irq(12, 1);
	}
	umm_raise_irq(12, 1);
	EXPECT_EQ(a.calls, 100001);
	free_irq(12, &a);
}

/* ---- tasklets and softirqs ---- */

struct job {
	struct tasklet_struct t;
	const char *name;
	int runs;
	unsigned long context;
	bool irqs_off;
	int kill_ret;
	struct job *other;	/* raise a line, kill, or disable this one */
	unsigned int raise_line;
};

static void job_fn(struct tasklet_struct *t)
{
	struct job *j = from_tasklet(j, t, t);

	j->runs++;
	j->context = preempt_count();
	j->irqs_off = irqs_disabled();
	logf_(j->name);
	if (j->raise_line) {
		unsigned long flags;

		/* interrupts off here: the line waits until they are back on */
		local_irq_save(flags);
		umm_raise_irq(j->raise_line, umm_sim_this_cpu());
		logf_("restore");
		local_irq_restore(flags);
	}
	j->kill_ret = tasklet_kill(t);
}

static struct job *sched_from_irq;

static irqreturn_t sched_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	logf_("irq");
	tasklet_schedule(&sched_from_irq->t);
	tasklet_schedule(&sched_from_irq->t);	/* once queued, queued once */
	tasklet_hi_schedule(&sched_from_irq->other->t);
	return IRQ_HANDLED;
}

TEST(test_tasklets)
{
	struct job a = { .name = "a" }, hi = { .name = "hi" }, d = { .name = "d" };
	struct dev line = { .name = "line", .ret = IRQ_HANDLED };

	reboot(NULL);
	tasklet_setup(&a.t, job_fn);
	tasklet_setup(&hi.t, job_fn);
	tasklet_setup(&d.t, job_fn);
	a.other = &hi;
	sched_from_irq = &a;
	ASSERT_EQ(request_irq(3, sched_handler, 0, "sched", NULL), 0);
	umm_raise_irq(3, 0);
	/* at the interrupt's exit: the hi tasklet, then the normal one, each once */
	EXPECT_STREQ(log_buf, "irq;hi;a;");
	EXPECT(a.context & SOFTIRQ_OFFSET);
	EXPECT(!(a.context & HARDIRQ_MASK));
	EXPECT(!a.irqs_off);
	EXPECT_EQ(a.kill_ret, -EDEADLK);	/* tasklet_kill() from its own callback */
	EXPECT_EQ(kstat_softirqs_cpu(TASKLET_SOFTIRQ, 0), 1);
	EXPECT_EQ(kstat_softirqs_cpu(HI_SOFTIRQ, 0), 1);
	/* from outside the simulation: CPU 0's next tick runs it */
	log_buf[0] = '\0';
	tasklet_schedule(&d.t);
	EXPECT_EQ(d.runs, 0);
	umm_sched_run(TICK_NSEC);
	EXPECT_EQ(d.runs, 1);
	/* disabled: stays queued until enabled */
	tasklet_disable(&d.t);
	tasklet_schedule(&d.t);
	umm_sched_run(5 * TICK_NSEC);
	EXPECT_EQ(d.runs, 1);
	tasklet_enable(&d.t);
	umm_sched_run(TICK_NSEC);
	EXPECT_EQ(d.runs, 2);
	/* killed while queued: it never runs */
	tasklet_schedule(&d.t);
	EXPECT_EQ(tasklet_kill(&d.t), 0);
	umm_sched_run(3 * TICK_NSEC);
	EXPECT_EQ(d.runs, 2);
	EXPECT_EQ(tasklet_kill(&d.t), 0);	/* idle */
	/* a line raised with interrupts off waits for local_irq_restore() */
	ASSERT_EQ(request_irq(4, dev_handler, 0, "held", &line), 0);
	log_buf[0] = '\0';
	d.raise_line = 4;
	tasklet_schedule(&d.t);
	umm_sched_run(TICK_NSEC);
	EXPECT_STREQ(log_buf, "d;restore;line;");
	EXPECT_EQ(line.calls, 1);
	free_irq(3, NULL);
	free_irq(4, &line);
}

static int storms;

static void storm_action(void)
{
	/* raises itself again: a storm, of 25 */
	if (++storms < 25)
		raise_softirq(NET_RX_SOFTIRQ);
}

static void timer_ctx_fn(struct timer_list *t)
{
	(void)t;
	EXPECT(in_serving_softirq());
	EXPECT(!in_irq());
	logf_("timer");
}

TEST(test_softirqs)
{
	struct timer_list tl;
	char buf[4096];

	reboot(NULL);
	EXPECT(in_task());
	EXPECT_EQ(open_softirq(TIMER_SOFTIRQ, storm_action), -EINVAL);	/* the kernel's own */
	EXPECT_EQ(open_softirq(NR_SOFTIRQS, storm_action), -EINVAL);
	EXPECT_EQ(open_softirq(NET_RX_SOFTIRQ, storm_action), 0);
	raise_softirq(NET_RX_SOFTIRQ);
	umm_sched_run(TICK_NSEC);
	/*
	 * __do_softirq() restarts at most 10 times in the tick's irq_exit();
	 * the rest is ksoftirqd/0's, a task started then, which runs a round
	 * of 10 at once and the last 5 after its round's 1 us
	 */
	EXPECT_EQ(storms, 20);
	umm_sched_run(TICK_NSEC);
	EXPECT_EQ(storms, 25);
	{
		struct task_struct *k = umm_find_task(3);

		ASSERT(k);
		EXPECT_STREQ(k->comm, "ksoftirqd/0");
		EXPECT(k->flags & PF_KTHREAD);
	}
	EXPECT_EQ(open_softirq(NET_RX_SOFTIRQ, (void (*)(void))0), -EINVAL);
	/* the timer softirq: counted on the CPU that ran it */
	timer_setup(&tl, timer_ctx_fn, 0);
	mod_timer(&tl, jiffies + 3);
	umm_sched_run(10 * TICK_NSEC);
	EXPECT_EQ(kstat_softirqs_cpu(TIMER_SOFTIRQ, 0), 1);
	ASSERT(umm_proc_read("/proc/softirqs", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "       TIMER:          1          0\n"));
	EXPECT(strstr(buf, "      NET_RX:         25          0\n"));
	EXPECT_EQ(storms, 25);
	/* bh disabled in a CPU-less thread: its own count */
	local_bh_disable();
	EXPECT(in_softirq() && !in_serving_softirq());
	local_bh_enable();
	EXPECT(in_task());
}

/* ---- threads ---- */

static unsigned int thread_hits;

static irqreturn_t count_handler(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	__atomic_add_fetch(&thread_hits, 1, __ATOMIC_RELAXED);
	return IRQ_HANDLED;
}

static volatile int stop;

static void *raiser(void *arg)
{
	unsigned long long s = seed + (unsigned long)arg;
	long n = 0;

	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED) || n < 2000) {
		unsigned long r = (unsigned long)test_splitmix64(&s);

		umm_raise_irq(20 + (unsigned int)(r % 2), (unsigned int)(r >> 8) % 2);
		n++;
	}
	return (void *)n;
}

static int threads_body(void)
{
	pthread_t th[3];
	long raised = 0;

	test_current_failed = 0;
	for (long i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, raiser, (void *)i);
	for (int i = 0; i < 2000; i++)
		umm_sched_run(TICK_NSEC);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 3; i++) {
		void *n;

		pthread_join(th[i], &n);
		raised += (long)n;
	}
	EXPECT_EQ(thread_hits, raised);
	EXPECT_EQ(kstat_irqs_cpu(20, 0) + kstat_irqs_cpu(20, 1) + kstat_irqs_cpu(21, 0) +
		  kstat_irqs_cpu(21, 1), raised);
	fprintf(stderr, "  seed %llu: 3 threads raised %ld interrupts over 2000 ticks\n", seed,
		raised);
	return test_current_failed;
}

/*
 * free_irq() while other threads raise the line: it waits for a running
 * handler (synchronize_irq()), so no handler runs for a freed device.
 */
struct churn_dev {
	int live;	/* 1 while requested */
	int bad;	/* a handler ran for it while it was freed */
};

static irqreturn_t churn_handler(int irq, void *dev_id)
{
	struct churn_dev *d = dev_id;

	(void)irq;
	if (!__atomic_load_n(&d->live, __ATOMIC_ACQUIRE))
		__atomic_store_n(&d->bad, 1, __ATOMIC_RELAXED);
	return IRQ_HANDLED;
}

static void *churn_raiser(void *arg)
{
	long n = 0;

	(void)arg;
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		umm_raise_irq(22, (unsigned int)(n & 1));
		n++;
	}
	return NULL;
}

static int churn_body(void)
{
	static struct churn_dev d;
	pthread_t th[2];

	test_current_failed = 0;
	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, churn_raiser, NULL);
	for (int i = 0; i < 2000; i++) {
		__atomic_store_n(&d.live, 1, __ATOMIC_RELEASE);
		EXPECT_EQ(request_irq(22, churn_handler, 0, "churn", &d), 0);
		EXPECT_STREQ(free_irq(22, &d), "churn");
		__atomic_store_n(&d.live, 0, __ATOMIC_RELEASE);	/* no handler may run now */
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	EXPECT_EQ(d.bad, 0);
	return test_current_failed;
}

TEST(test_free_irq_while_raised)
{
	reboot(NULL);
	EXPECT_EQ(run_watched(churn_body, 60, seed), 0);
}

TEST(test_threads_raise)
{
	reboot(NULL);
	ASSERT_EQ(request_irq(20, count_handler, IRQF_SHARED, "t20", &thread_hits), 0);
	ASSERT_EQ(request_irq(21, count_handler, 0, "t21", NULL), 0);
	EXPECT_EQ(run_watched(threads_body, 60, seed), 0);
}

/*
 * Two CPUs interrupting each other from their handlers (an IPI each
 * way): no deadlock; a line raised to a busy CPU waits there, and raised
 * again meanwhile it coalesces, as a vector pending in the APIC does.
 */
static unsigned int pings[2];

static irqreturn_t ping_handler(int irq, void *dev_id)
{
	unsigned int other = irq == 30 ? 1 : 0;

	(void)dev_id;
	sched_yield();	/* a wider window for the other CPU to be in its handler too */
	umm_raise_irq(32 + other, other);	/* to the other CPU */
	return IRQ_HANDLED;
}

static irqreturn_t pong_handler(int irq, void *dev_id)
{
	(void)dev_id;
	__atomic_add_fetch(&pings[irq - 32], 1, __ATOMIC_RELAXED);
	return IRQ_HANDLED;
}

static void *pinger(void *arg)
{
	unsigned int cpu = (unsigned int)(unsigned long)arg;

	for (int i = 0; i < 3000; i++)
		umm_raise_irq(30 + cpu, cpu);
	return NULL;
}

static int ping_body(void)
{
	pthread_t th[2];

	test_current_failed = 0;
	for (unsigned long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, pinger, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	umm_sched_run(5 * TICK_NSEC);	/* what still waits comes in at a tick */
	EXPECT(pings[0] >= 1 && pings[0] <= 3000);
	EXPECT(pings[1] >= 1 && pings[1] <= 3000);
	EXPECT_EQ(kstat_irqs_cpu(32, 0), pings[0]);
	EXPECT_EQ(kstat_irqs_cpu(33, 1), pings[1]);
	fprintf(stderr, "  seed %llu: 2 x 3000 cross-CPU interrupts, %u and %u delivered\n",
		seed, pings[0], pings[1]);
	return test_current_failed;
}

TEST(test_cpus_interrupt_each_other)
{
	reboot(NULL);
	ASSERT_EQ(request_irq(30, ping_handler, 0, "ping0", NULL), 0);
	ASSERT_EQ(request_irq(31, ping_handler, 0, "ping1", NULL), 0);
	ASSERT_EQ(request_irq(32, pong_handler, 0, "pong0", NULL), 0);
	ASSERT_EQ(request_irq(33, pong_handler, 0, "pong1", NULL), 0);
	EXPECT_EQ(run_watched(ping_body, 60, seed), 0);
}

int main(int argc, char **argv)
{
	seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (unsigned long long)time(NULL);
	fprintf(stderr, "test_irq: seed %llu\n", seed);
	alarm(300);	/* the watchdog */
	ASSERT_EQ(umm_boot(NULL), 0);
	RUN(test_proc_formats_like_the_host);
	RUN(test_request_and_shared_lines);
	RUN(test_disable_enable_and_held);
	RUN(test_nobody_cared);
	RUN(test_tasklets);
	RUN(test_softirqs);
	RUN(test_free_irq_while_raised);
	RUN(test_threads_raise);
	RUN(test_cpus_interrupt_each_other);
	umm_shutdown();
	TEST_EXIT();
}
