// SPDX-License-Identifier: GPL-2.0
/*
 * test_timer.c - the simulated clock and the timer wheel (kernel/time/):
 * jiffies from INITIAL_JIFFIES and the wrap-safe comparisons, the
 * conversions at each HZ, timers that fire once, never early and at most
 * one level's granularity late, mod/del/reduce and their return values,
 * functions that re-arm or free their timer, timers on other simulated
 * CPUs, far timers (skipped idle ticks), a randomized model check with
 * umm_timer_check() after every step, and timers armed, deleted and
 * waited for from other threads while the clock runs (under a watchdog).
 *
 *	test_timer [seed]
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <umm.h>
#include <umm/timer.h>
#include <umm/timekeeping.h>
#include "kernel/time/internal.h"
#include "tests/test.h"

static unsigned long long seed = 1;

static void reboot(const char *cmdline)
{
	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
}

/* The wheel level a timer armed @d ticks ahead goes on (the kernel's LVL_START). */
static unsigned int level_of(unsigned long d)
{
	unsigned int lvl = 0;

	while (lvl + 1 < timer_wheel_levels() && d >= (63UL << (3 * lvl)))
		lvl++;
	return lvl;
}

static unsigned long gran_of(unsigned int lvl)
{
	return 1UL << (3 * lvl);
}

TEST(test_jiffies_and_clock)
{
	reboot(NULL);
	EXPECT_EQ(HZ, 250);
	EXPECT_EQ(jiffies, 0xfffedb08UL);	/* (unsigned int)(-300 * 250) */
	EXPECT_EQ(get_jiffies_64(), INITIAL_JIFFIES);
	EXPECT_EQ(ktime_get_ns(), 0);
	EXPECT_EQ(TICK_NSEC, 4000000);
	umm_sched_run(1000000000ULL);
	EXPECT_EQ(jiffies, INITIAL_JIFFIES + 250);
	EXPECT_EQ(ktime_get_ns(), 1000000000ULL);
	/* partial ticks add up: ten runs of 1 ms are two and a half ticks */
	for (int i = 0; i < 10; i++)
		umm_sched_run(1000000);
	EXPECT_EQ(jiffies, INITIAL_JIFFIES + 252);
	EXPECT_EQ(ktime_get_ns(), 1010000000ULL);
	umm_sched_run(2000000);
	EXPECT_EQ(jiffies, INITIAL_JIFFIES + 253);
	/* five minutes: jiffies passes the 32-bit wrap as the kernel's does */
	umm_sched_run(300ULL * 1000000000ULL);
	EXPECT(jiffies > 0xffffffffUL);
	EXPECT_EQ(jiffies, INITIAL_JIFFIES + 253 + 75000);
	EXPECT_EQ(umm_sim_nr_cpus(), 2);
}

TEST(test_time_after)
{
	unsigned long a = ULONG_MAX - 5, b = 4;	/* b is 10 after a, across the wrap */

	EXPECT(time_after(b, a));
	EXPECT(time_before(a, b));
	EXPECT(time_after_eq(b, a) && time_after_eq(a, a));
	EXPECT(!time_after(a, b) && !time_before(b, a));
	EXPECT(time_in_range(ULONG_MAX, a, b) && time_in_range(0, a, b));
	EXPECT(!time_in_range_open(b, a, b) && time_in_range_open(a, a, b));
	EXPECT(time_after64(3ULL, ~0ULL));
	EXPECT(time_is_before_jiffies(jiffies - 1) && time_is_after_jiffies(jiffies + 1));
}

TEST(test_conversions)
{
	static const struct {
		const char *cmdline;
		unsigned int hz, ms1, ms10;
		unsigned long j10ms, j1s_clock;
	} c[] = {
		/* jiffies_to_msecs(1), (10); msecs_to_jiffies(10); jiffies_to_clock_t(HZ) */
		{ "umm.hz=100", 100, 10, 100, 1, 100 },
		{ "umm.hz=250", 250, 4, 40, 3, 100 },
		{ "umm.hz=300", 300, 4, 34, 3, 99 },	/* TICK_NSEC 3333333: 99, as the kernel's */
		{ "umm.hz=1000", 1000, 1, 10, 10, 100 },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		reboot(c[i].cmdline);
		EXPECT_EQ(HZ, c[i].hz);
		EXPECT_EQ(jiffies, (unsigned long)(unsigned int)(-300 * (int)c[i].hz));
		EXPECT_EQ(jiffies_to_msecs(1), c[i].ms1);
		EXPECT_EQ(jiffies_to_msecs(10), c[i].ms10);
		EXPECT_EQ(msecs_to_jiffies(10), c[i].j10ms);
		EXPECT_EQ(jiffies_to_clock_t(HZ), c[i].j1s_clock);
		EXPECT_EQ(timer_wheel_levels(), c[i].hz > 100 ? 9 : 8);
		/* into jiffies rounds up, never short */
		for (unsigned int ms = 0; ms < 3000; ms += 7)
			EXPECT(jiffies_to_msecs(msecs_to_jiffies(ms)) >= ms);
		EXPECT_EQ(msecs_to_jiffies((unsigned int)-1), MAX_JIFFY_OFFSET);
		EXPECT_EQ(usecs_to_jiffies(1), 1);
		EXPECT_EQ(nsecs_to_jiffies(1000000000ULL), c[i].hz);
		EXPECT_EQ(nsec_to_clock_t(1000000000ULL), 100);
		EXPECT_EQ(clock_t_to_jiffies(100), c[i].hz);
	}
	umm_shutdown();
	EXPECT_EQ(umm_boot("umm.hz=123"), -EINVAL);
	EXPECT_EQ(umm_boot("umm.sim_cpus=0"), -EINVAL);
	EXPECT_EQ(umm_boot("umm.sim_cpus=65"), -EINVAL);
	ASSERT_EQ(umm_boot(NULL), 0);
}

/* ---- firing ---- */

struct probe {
	struct timer_list timer;
	unsigned long armed_at, expires;	/* jiffies when armed, and the expiry asked */
	unsigned long fired_at;
	int fired, cpu;
	int rearm;			/* re-arm this many more times, every @period */
	unsigned long period;
};

static void expect_on_time(const struct probe *p);

/* Each firing is checked against the arming it answers: never early, not too late. */
static void probe_fn(struct timer_list *t)
{
	struct probe *p = from_timer(p, t, timer);

	p->fired++;
	p->fired_at = jiffies;
	p->cpu = (int)(t->flags & TIMER_CPUMASK);
	EXPECT(!timer_pending(t));
	expect_on_time(p);
	if (p->rearm > 0) {
		p->rearm--;
		p->armed_at = jiffies;
		p->expires = jiffies + p->period;
		EXPECT_EQ(mod_timer(t, p->expires), 0);
	}
}

/* Never early, at most one granularity of the level late. */
static void expect_on_time(const struct probe *p)
{
	unsigned long d = p->expires - p->armed_at;

	EXPECT(time_after(p->fired_at, p->expires));
	if (!((p->fired_at - p->expires) <= gran_of(level_of(d))))
		fprintf(stderr, "  armed at +%lu for %lu: fired %lu late (level %u)\n",
			p->armed_at - INITIAL_JIFFIES, d, p->fired_at - p->expires, level_of(d));
	EXPECT((p->fired_at - p->expires) <= gran_of(level_of(d)));
}

static void arm(struct probe *p, unsigned long d)
{
	p->armed_at = jiffies;
	p->expires = jiffies + d;
	p->fired = 0;
	EXPECT_EQ(mod_timer(&p->timer, p->expires), 0);
}

/* Every distance up to level 3, and samples of the higher levels, at HZ=250 and 100. */
TEST(test_fire_on_time)
{
	static struct probe p[600];
	const char *cmdlines[] = { NULL, "umm.hz=100" };

	for (int c = 0; c < 2; c++) {
		reboot(cmdlines[c]);
		for (int i = 0; i < 600; i++) {
			unsigned long d = i < 512 ? (unsigned long)i : 512UL << ((i - 512) / 11);

			timer_setup(&p[i].timer, probe_fn, 0);
			arm(&p[i], d + (unsigned long)(i % 7));
		}
		ASSERT_EQ(umm_timer_check(), 0);
		umm_sched_run(2ULL * 24 * 3600 * 1000000000ULL);	/* two simulated days */
		ASSERT_EQ(umm_timer_check(), 0);
		for (int i = 0; i < 600; i++)
			EXPECT_EQ(p[i].fired, 1);
	}
	/* a level-0 timer fires the tick after its expires */
	reboot(NULL);
	timer_setup(&p[0].timer, probe_fn, 0);
	arm(&p[0], 5);
	umm_sched_run(5 * TICK_NSEC);
	EXPECT_EQ(p[0].fired, 0);
	umm_sched_run(TICK_NSEC);
	EXPECT_EQ(p[0].fired, 1);
	EXPECT_EQ(p[0].fired_at, p[0].expires + 1);
	/* already due: the next tick */
	arm(&p[0], (unsigned long)-3);
	umm_sched_run(TICK_NSEC);
	EXPECT_EQ(p[0].fired, 1);
}

/* A timer past the wheel's end: it fires at the end, before its expires. */
static void clamped_fn(struct timer_list *t)
{
	struct probe *p = from_timer(p, t, timer);

	p->fired++;
	p->fired_at = jiffies;
}

TEST(test_far_timers)
{
	struct probe p = { 0 }, q = { 0 };

	reboot(NULL);
	timer_setup(&p.timer, probe_fn, 0);
	arm(&p, 30UL * 24 * 3600 * 250);	/* 30 days: the last level */
	timer_setup(&q.timer, clamped_fn, 0);
	arm(&q, 1UL << 33);			/* beyond the wheel: clamped to its end */
	umm_sched_run(31ULL * 24 * 3600 * 1000000000ULL);
	EXPECT_EQ(p.fired, 1);
	EXPECT_EQ(q.fired, 0);
	/* the wheel holds about 49.7 days at HZ=250: (63 << 24) - (1 << 24) ticks */
	umm_sched_run(20ULL * 24 * 3600 * 1000000000ULL);
	EXPECT_EQ(q.fired, 1);	/* (its check said "late": it was clamped) */
	EXPECT(q.fired_at - q.armed_at <= (63UL << 24));
	EXPECT(q.fired_at - q.armed_at >= (62UL << 24));
}

TEST(test_mod_and_del)
{
	struct probe p = { 0 };

	reboot(NULL);
	timer_setup(&p.timer, probe_fn, 0);
	EXPECT(!timer_pending(&p.timer));
	EXPECT_EQ(del_timer(&p.timer), 0);
	EXPECT_EQ(mod_timer_pending(&p.timer, jiffies + 10), 0);	/* idle: stays idle */
	EXPECT(!timer_pending(&p.timer));
	p.timer.expires = jiffies + 10;
	EXPECT_EQ(add_timer(&p.timer), 0);
	EXPECT(timer_pending(&p.timer));
	EXPECT_EQ(add_timer(&p.timer), -EBUSY);	/* the kernel's BUG_ON() */
	EXPECT_EQ(mod_timer(&p.timer, jiffies + 10), 1);	/* unchanged */
	EXPECT_EQ(mod_timer(&p.timer, jiffies + 100), 1);
	EXPECT_EQ(p.timer.expires, jiffies + 100);
	EXPECT_EQ(timer_reduce(&p.timer, jiffies + 200), 1);	/* later: no change */
	EXPECT_EQ(p.timer.expires, jiffies + 100);
	EXPECT_EQ(timer_reduce(&p.timer, jiffies + 20), 1);
	EXPECT_EQ(p.timer.expires, jiffies + 20);
	EXPECT_EQ(mod_timer_pending(&p.timer, jiffies + 30), 1);
	ASSERT_EQ(umm_timer_check(), 0);
	EXPECT_EQ(del_timer(&p.timer), 1);
	EXPECT_EQ(del_timer(&p.timer), 0);
	EXPECT_EQ(timer_delete_sync(&p.timer), 0);
	umm_sched_run(1000000000ULL);
	EXPECT_EQ(p.fired, 0);
	ASSERT_EQ(umm_timer_check(), 0);
	/* a timer with no function is refused */
	{
		struct timer_list t;

		timer_setup(&t, NULL, 0);
		EXPECT_EQ(mod_timer(&t, jiffies + 1), -EINVAL);
	}
	/* periodic: the function re-arms itself 99 times, every 10 ticks */
	p.rearm = 99;
	p.period = 10;
	arm(&p, 10);
	umm_sched_run(2000ULL * TICK_NSEC);
	EXPECT_EQ(p.fired, 100);
	EXPECT(!timer_pending(&p.timer));
}

/* A function that frees its timer, and one that deletes another. */
static struct timer_list *victim;

static void free_self(struct timer_list *t)
{
	free(t);
}

static void kill_victim(struct timer_list *t)
{
	(void)t;
	EXPECT_EQ(del_timer(victim), 1);
	EXPECT_EQ(timer_delete_sync(t), -EDEADLK);	/* from its own function */
}

TEST(test_functions_that_free_and_delete)
{
	struct timer_list *t = malloc(sizeof(*t)), killer;
	struct probe p = { 0 };

	reboot(NULL);
	timer_setup(t, free_self, 0);
	EXPECT_EQ(mod_timer(t, jiffies + 3), 0);
	timer_setup(&p.timer, probe_fn, 0);
	arm(&p, 50);
	victim = &p.timer;
	timer_setup(&killer, kill_victim, 0);
	EXPECT_EQ(mod_timer(&killer, jiffies + 20), 0);
	umm_sched_run(100ULL * TICK_NSEC);
	EXPECT_EQ(p.fired, 0);
	ASSERT_EQ(umm_timer_check(), 0);
}

TEST(test_sim_cpus)
{
	struct probe p = { 0 };

	reboot("umm.sim_cpus=4");
	EXPECT_EQ(umm_sim_nr_cpus(), 4);
	timer_setup(&p.timer, probe_fn, 0);
	p.armed_at = jiffies;
	p.expires = p.timer.expires = jiffies + 7;
	EXPECT_EQ(add_timer_on(&p.timer, 4), -EINVAL);
	EXPECT_EQ(add_timer_on(&p.timer, 3), 0);
	EXPECT_EQ(add_timer_on(&p.timer, 2), -EBUSY);
	p.rearm = 2;
	p.period = 5;
	umm_sched_run(100ULL * TICK_NSEC);
	EXPECT_EQ(p.fired, 3);
	EXPECT_EQ(p.cpu, 3);	/* re-armed by its function: on the CPU it ran on */
	ASSERT_EQ(umm_timer_check(), 0);
}

/* ---- a randomized model check ---- */

#define NPROBES 200

static unsigned long next_rand(unsigned long long *s)
{
	return (unsigned long)(test_splitmix64(s) >> 1);
}

TEST(test_random_against_model)
{
	static struct probe p[NPROBES];
	static int expected[NPROBES];	/* firings the model expects */
	unsigned long long s = seed;
	long steps = 0;

	reboot(NULL);
	for (int i = 0; i < NPROBES; i++) {
		timer_setup(&p[i].timer, probe_fn, 0);
		expected[i] = 0;
	}
	for (int step = 0; step < 20000; step++, steps++) {
		int i = (int)(next_rand(&s) % NPROBES);
		unsigned long r = next_rand(&s);
		unsigned long d = (r >> 8) & ((1UL << (1 + (r >> 3) % 18)) - 1);
		bool was = timer_pending(&p[i].timer);
		int fired_before = p[i].fired;

		switch (r % 5) {
		case 0: case 1:		/* mod_timer: armed (again) */
			/* the same expires keeps its bucket (the kernel's shortcut) */
			if (!was || p[i].expires != jiffies + d)
				p[i].armed_at = jiffies;
			p[i].expires = jiffies + d;
			EXPECT_EQ(mod_timer(&p[i].timer, p[i].expires), was);
			expected[i] = fired_before + 1;
			break;
		case 2:
			EXPECT_EQ(del_timer(&p[i].timer), was);
			expected[i] = fired_before;
			break;
		case 3:			/* mod_timer_pending: only if pending */
			if (was && p[i].expires != jiffies + d) {
				p[i].armed_at = jiffies;
				p[i].expires = jiffies + d;
			}
			EXPECT_EQ(mod_timer_pending(&p[i].timer, jiffies + d), was);
			break;
		case 4:
			umm_sched_run((r >> 8) % (64 * TICK_NSEC));
			break;
		}
		if (umm_timer_check()) {
			fprintf(stderr, "seed %llu: the wheel is broken at step %d\n", seed, step);
			ASSERT(0);
		}
		for (int k = 0; k < NPROBES; k++) {
			if (timer_pending(&p[k].timer))
				continue;
			if (p[k].fired != expected[k]) {
				fprintf(stderr, "seed %llu step %d: timer %d fired %d times, "
					"expected %d\n", seed, step, k, p[k].fired, expected[k]);
				ASSERT(0);
			}
		}
	}
	umm_sched_run(1ULL << 42);	/* about 73 simulated minutes: every timer above fires */
	for (int k = 0; k < NPROBES; k++) {
		EXPECT(!timer_pending(&p[k].timer));
		EXPECT_EQ(p[k].fired, expected[k]);
	}
	fprintf(stderr, "  seed %llu: %ld random steps\n", seed, steps);
}

/* ---- other threads arm, delete and wait while the clock runs ---- */

static volatile int stop_threads;
static int slow_runs;

static void slow_fn(struct timer_list *t)
{
	(void)t;
	__atomic_add_fetch(&slow_runs, 1, __ATOMIC_RELAXED);
	usleep(200);	/* long enough for timer_delete_sync() to have to wait */
}

struct armer {
	struct timer_list timers[16];
	unsigned long long s;
	long ops;
};

static void *armer_thread(void *arg)
{
	struct armer *a = arg;

	for (int i = 0; i < 16; i++)
		timer_setup(&a->timers[i], slow_fn, 0);
	while (!__atomic_load_n(&stop_threads, __ATOMIC_RELAXED)) {
		struct timer_list *t = &a->timers[next_rand(&a->s) % 16];

		switch (next_rand(&a->s) % 3) {
		case 0: mod_timer(t, jiffies + next_rand(&a->s) % 40); break;
		case 1: del_timer(t); break;
		case 2:
			timer_delete_sync(t);
			EXPECT(!timer_pending(t));
			break;
		}
		__atomic_add_fetch(&a->ops, 1, __ATOMIC_RELAXED);
	}
	for (int i = 0; i < 16; i++)
		timer_delete_sync(&a->timers[i]);
	return NULL;
}

static int threads_body(void)
{
	static struct armer a[3];
	pthread_t th[3];
	long ops = 0;

	test_current_failed = 0;
	for (int i = 0; i < 3; i++) {
		a[i].s = seed + (unsigned long long)i;
		pthread_create(&th[i], NULL, armer_thread, &a[i]);
	}
	/* the clock runs until every thread has made 3000 calls */
	for (int i = 0; i < 4000 || __atomic_load_n(&a[0].ops, __ATOMIC_RELAXED) < 3000 ||
			__atomic_load_n(&a[1].ops, __ATOMIC_RELAXED) < 3000 ||
			__atomic_load_n(&a[2].ops, __ATOMIC_RELAXED) < 3000; i++) {
		umm_sched_run(TICK_NSEC / 2);
		if (i % 500 == 0 && umm_timer_check())
			test_current_failed = 1;
	}
	__atomic_store_n(&stop_threads, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		ops += a[i].ops;
	}
	if (umm_timer_check())
		test_current_failed = 1;
	fprintf(stderr, "  seed %llu: 3 threads, %ld timer calls, %d functions ran\n", seed, ops,
		slow_runs);
	return test_current_failed;
}

TEST(test_threads_arm_and_delete)
{
	reboot(NULL);
	/* in a forked child under a 60 s watchdog: a hang is a failure */
	EXPECT_EQ(run_watched(threads_body, 60, seed), 0);
}

int main(int argc, char **argv)
{
	seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (unsigned long long)time(NULL);
	fprintf(stderr, "test_timer: seed %llu\n", seed);
	alarm(300);	/* the watchdog: a hang dies of SIGALRM, after the seed was printed */
	ASSERT_EQ(umm_boot(NULL), 0);
	RUN(test_jiffies_and_clock);
	RUN(test_time_after);
	RUN(test_conversions);
	RUN(test_fire_on_time);
	RUN(test_far_timers);
	RUN(test_mod_and_del);
	RUN(test_functions_that_free_and_delete);
	RUN(test_sim_cpus);
	RUN(test_random_against_model);
	RUN(test_threads_arm_and_delete);
	umm_shutdown();
	TEST_EXIT();
}
