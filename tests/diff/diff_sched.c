// SPDX-License-Identifier: GPL-2.0
/*
 * diff_sched.c - umm's simulated scheduler against the host kernel's:
 * the same tasks on one CPU for the same time, measured on both
 * (tests/diff/host_sched.c measures the host), compared figure by figure.
 *
 * What is compared, and the bound for each:
 *  - shares: busy tasks with nice mixes (0/5, 0/1, 0/10, 0/19, 0/5/10,
 *    0/0/5/-5, nice 0 beside SCHED_IDLE, beside SCHED_BATCH nice 5): each
 *    task's share of the CPU time within 0.01 (1%) of the host's;
 *  - switches: two equal busy tasks: involuntary switches a second, and
 *    the median turn on the CPU, within 15% of the host's (both preempt
 *    at the tick);
 *  - rt: a SCHED_FIFO spinner beside a fair one: the fair task's ms
 *    within 25 ms of the host's (the fair server's 50 ms a second);
 *    FIFO 10 beside FIFO 20: the lower gets under 1% on both; two RR
 *    tasks of one priority: the turn within 10% of the host's;
 *  - wake-up: a task that sleeps 1 ms and runs 0.1 ms beside a busy one,
 *    with the default 50 us of timer slack and with 1 ns: its median
 *    latency (wake-up time minus the time asked for) on both, quoted;
 *    umm's must be within 3x of the host's either way plus 50 us (the
 *    host's latency includes interrupt and wake-up paths umm gives no
 *    time to).
 * Every figure is printed side by side, with the difference.
 *
 * The host runs as host_sched does: pinned to one CPU in a session of
 * its own at autogroup nice -20, medians of @reps runs; umm runs the same
 * tasks on its CPU 0, booted like the host: as many simulated CPUs as it
 * has online (the fair slice scales with them), its HZ (counted from
 * /proc/timer_list's jiffies), and its fair policy (EEVDF from 6.6 on,
 * else CFS).  Exit 77 (skipped) when the host
 * refuses RT policies or negative nice (not root).
 *
 * usage: diff_sched [-d MS] [-r REPS] [-w WATCHDOG_S]
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <umm.h>
#include "tests/diff/host_sched.h"

#define MS	1000000ULL

static unsigned int duration_ms = 1000;
static int reps = 3;
static int failures;

#define BUSY(pol, n)		{ .policy = (pol), .nice = (n), .kind = HOST_TASK_BUSY }
#define RT(pol, prio)		{ .policy = (pol), .rt_prio = (prio), .kind = HOST_TASK_BUSY }
#define SLEEPER(slack)		{ .policy = SCHED_OTHER, .kind = HOST_TASK_SLEEPER, \
				  .period_us = 1000, .work_us = 100, .slack_ns = (slack) }

struct scenario {
	const char *name;
	int nr;
	struct host_task tasks[4];
};

static const struct scenario share_scens[] = {
	{ "nice 0/5", 2, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 5) } },
	{ "nice 0/1", 2, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 1) } },
	{ "nice 0/10", 2, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 10) } },
	{ "nice 0/19", 2, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 19) } },
	{ "nice 0/5/10", 3, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 5), BUSY(SCHED_OTHER, 10) } },
	{ "nice 0/0/5/-5", 4, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 5),
				BUSY(SCHED_OTHER, -5) } },
	{ "nice 0 + SCHED_IDLE", 2, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_IDLE, 0) } },
	{ "nice 0 + SCHED_BATCH 5", 2, { BUSY(SCHED_OTHER, 0), BUSY(SCHED_BATCH, 5) } },
};

/* One task's figures from one side. */
struct figs {
	double share, run_ms, nivcsw_per_s, turn_ms, lat_p50_us, wait_us;
};

/* ---- the host ---- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The host's figures for each task: medians over the repeats. */
static int host_side(const struct scenario *sc, unsigned int ms, struct figs *out)
{
	double v[6][HOST_SCHED_MAX_TASKS][HOST_SCHED_MAX_REPS];
	struct host_run run;

	for (int r = 0; r < reps; r++) {
		int err = host_sched_run(sc->tasks, sc->nr, ms, &run);

		if (err) {
			fprintf(stderr, "diff_sched: host: %s: %s\n", sc->name, host_sched_error());
			return err;
		}
		for (int i = 0; i < sc->nr; i++) {
			struct host_task_result *t = &run.task[i];

			v[0][i][r] = t->share;
			v[1][i][r] = t->run_ns / 1e6;
			v[2][i][r] = t->nivcsw * 1e9 / (double)run.wall_ns;
			v[3][i][r] = t->turn_median_ns / 1e6;
			v[4][i][r] = t->lat_p50_ns / 1e3;
			v[5][i][r] = t->pcount ? t->wait_ns / 1e3 / (double)t->pcount : 0;
		}
	}
	for (int i = 0; i < sc->nr; i++) {
		out[i].share = median(v[0][i], reps);
		out[i].run_ms = median(v[1][i], reps);
		out[i].nivcsw_per_s = median(v[2][i], reps);
		out[i].turn_ms = median(v[3][i], reps);
		out[i].lat_p50_us = median(v[4][i], reps);
		out[i].wait_us = median(v[5][i], reps);
	}
	return 0;
}

/* ---- the host's kernel: its HZ and its fair policy, which umm then boots with ---- */

static unsigned long long timer_list_jiffies(void)
{
	FILE *f = fopen("/proc/timer_list", "r");
	char line[256];
	unsigned long long j = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "jiffies: %llu", &j) == 1)
			break;
	if (f)
		fclose(f);
	return j;
}

/* jiffies counted over 200 ms of the host's clock, to the nearest CONFIG_HZ choice. */
static unsigned int host_hz(void)
{
	static const unsigned int choices[] = { 100, 250, 300, 1000 };
	unsigned long long j0 = timer_list_jiffies(), j1;
	double rate, best = 1e9;
	unsigned int hz = 250;

	usleep(200000);
	j1 = timer_list_jiffies();
	if (!j0 || j1 <= j0)
		return 250;	/* unreadable: Debian's CONFIG_HZ */
	rate = (double)(j1 - j0) / 0.2;
	for (size_t i = 0; i < sizeof(choices) / sizeof(choices[0]); i++)
		if (fabs(rate - choices[i]) < best) {
			best = fabs(rate - choices[i]);
			hz = choices[i];
		}
	return hz;
}

/* EEVDF from Linux 6.6 on, CFS before. */
static const char *host_fair_policy(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return "eevdf";
	return major > 6 || (major == 6 && minor >= 6) ? "eevdf" : "cfs";
}

static char sched_cmdline[96];

/* ---- umm ---- */

static struct task_struct *umm_task(const struct host_task *h)
{
	long pid = umm_clone(umm_init_task(), SIGCHLD);
	struct task_struct *t;
	char prog[96];
	cpu_set_t m;

	if (pid <= 0 || !(t = umm_find_task((pid_t)pid)))
		return NULL;
	CPU_ZERO(&m);
	CPU_SET(0, &m);
	if (umm_sched_setaffinity(t, &m) || umm_set_user_nice(t, h->nice) ||
	    umm_sched_setscheduler(t, h->policy, h->rt_prio))
		return NULL;
	if (h->slack_ns && umm_prctl(t, PR_SET_TIMERSLACK, h->slack_ns))
		return NULL;
	if (h->kind == HOST_TASK_SLEEPER)
		snprintf(prog, sizeof(prog), "loop { sleep %uus; run %uus }", h->period_us,
			 h->work_us);
	else
		snprintf(prog, sizeof(prog), "loop { run 100ms }");
	return umm_task_program(t, prog) ? NULL : t;
}

static void read_schedstat(struct task_struct *t, unsigned long long v[3])
{
	char buf[128];

	v[0] = v[1] = v[2] = 0;
	if (umm_task_show(t, "schedstat", buf, sizeof(buf)) > 0)
		sscanf(buf, "%llu %llu %llu", &v[0], &v[1], &v[2]);
}

/*
 * From the trace, the median over @pid's switches of: with @sleep_us,
 * each wake-up's latency in us (in - (out asleep + the sleep asked for));
 * without, each whole turn on the CPU in ms (in to out).
 */
static double trace_median(pid_t pid, unsigned int sleep_us)
{
	size_t n = umm_sched_trace_count(), nr = 0;
	struct umm_sched_event *ev = calloc(n ? n : 1, sizeof(*ev));
	double *v = calloc(n ? n : 1, sizeof(*v)), res;
	unsigned long long out = 0, in = 0;

	if (!ev || !v) {
		free(ev);
		free(v);
		return NAN;
	}
	n = umm_sched_trace_read(ev, n, 0);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind != UMM_EV_SWITCH)
			continue;
		if (ev[i].prev_pid == pid) {
			if (!sleep_us && in)
				v[nr++] = (double)(ev[i].ns - in) / 1e6;
			out = ev[i].prev_state ? ev[i].ns : 0;	/* went to sleep */
			in = 0;
		}
		if (ev[i].pid == pid) {
			if (sleep_us && out)
				v[nr++] = ((double)(ev[i].ns - out) - sleep_us * 1e3) / 1e3;
			in = ev[i].ns;
			out = 0;
		}
	}
	res = nr ? median(v, (int)nr) : NAN;
	free(ev);
	free(v);
	return res;
}

static int umm_side(const struct scenario *sc, unsigned int ms, struct figs *out)
{
	struct task_struct *t[4];
	unsigned long long v[4][3], sum = 0;

	if (umm_boot(sched_cmdline))
		return -1;
	umm_sched_trace_start(1 << 20);
	for (int i = 0; i < sc->nr; i++)
		if (!(t[i] = umm_task(&sc->tasks[i]))) {
			fprintf(stderr, "diff_sched: umm: %s: task %d refused\n", sc->name, i);
			umm_shutdown();
			return -1;
		}
	umm_sched_run(ms * MS);
	for (int i = 0; i < sc->nr; i++) {
		read_schedstat(t[i], v[i]);
		sum += v[i][0];
	}
	for (int i = 0; i < sc->nr; i++) {
		out[i].share = sum ? (double)v[i][0] / (double)sum : 0;
		out[i].run_ms = v[i][0] / 1e6;
		out[i].nivcsw_per_s = t[i]->nivcsw * 1000.0 / ms;
		out[i].turn_ms = trace_median(t[i]->pid, 0);
		out[i].wait_us = v[i][2] ? v[i][1] / 1e3 / (double)v[i][2] : 0;
		out[i].lat_p50_us = sc->tasks[i].kind == HOST_TASK_SLEEPER ?
			trace_median(t[i]->pid, sc->tasks[i].period_us) : NAN;
	}
	umm_sched_trace_start(0);
	umm_shutdown();
	return 0;
}

/* ---- comparing ---- */

static void compare(const char *scen, int task, const char *what, double host, double umm,
		    double tol, bool relative)
{
	double diff = umm - host, bound = relative ? tol * fabs(host) : tol;
	bool ok = fabs(diff) <= bound;

	printf("%-26s task%d %-14s host %10.4f  umm %10.4f  diff %+9.4f  %s\n", scen, task, what,
	       host, umm, diff, ok ? "ok" : "DIFFERS");
	if (!ok)
		failures++;
}

static int run_both(const struct scenario *sc, unsigned int ms, struct figs *h, struct figs *u)
{
	int err = host_side(sc, ms, h);

	if (err)
		return err;
	return umm_side(sc, ms, u) ? -EIO : 0;
}

static int shares(void)
{
	for (size_t s = 0; s < sizeof(share_scens) / sizeof(share_scens[0]); s++) {
		const struct scenario *sc = &share_scens[s];
		struct figs h[4], u[4];
		int err = run_both(sc, duration_ms, h, u);

		if (err)
			return err;
		for (int i = 0; i < sc->nr; i++)
			compare(sc->name, i, "share", h[i].share, u[i].share, 0.01, false);
	}
	return 0;
}

static int switches(void)
{
	static const struct scenario sc = { "two nice 0", 2,
		{ BUSY(SCHED_OTHER, 0), BUSY(SCHED_OTHER, 0) } };
	struct figs h[2], u[2];
	int err = run_both(&sc, duration_ms, h, u);

	for (int i = 0; !err && i < 2; i++) {
		compare(sc.name, i, "nivcsw/s", h[i].nivcsw_per_s, u[i].nivcsw_per_s, 0.15, true);
		compare(sc.name, i, "turn ms", h[i].turn_ms, u[i].turn_ms, 0.15, true);
	}
	return err;
}

static int rt(void)
{
	static const struct scenario fifo_fair = { "FIFO 10 + nice 0", 2,
		{ RT(SCHED_FIFO, 10), BUSY(SCHED_OTHER, 0) } };
	static const struct scenario fifo_fifo = { "FIFO 10 + FIFO 20", 2,
		{ RT(SCHED_FIFO, 10), RT(SCHED_FIFO, 20) } };
	static const struct scenario rr = { "RR 10 + RR 10", 2,
		{ RT(SCHED_RR, 10), RT(SCHED_RR, 10) } };
	struct figs h[2], u[2];
	int err = run_both(&fifo_fair, 1200, h, u);

	if (!err)
		compare(fifo_fair.name, 1, "fair ms", h[1].run_ms, u[1].run_ms, 25, false);
	if (!err && !(err = run_both(&fifo_fifo, 1000, h, u))) {
		compare(fifo_fifo.name, 0, "share", h[0].share, u[0].share, 0.01, false);
		if (u[0].share > 0.01 || h[0].share > 0.01)
			failures++;
	}
	if (!err && !(err = run_both(&rr, 1000, h, u))) {
		for (int i = 0; i < 2; i++) {
			/* the host's turn as the task saw it; umm's is exact */
			compare(rr.name, i, "turn ms", h[i].turn_ms, u[i].turn_ms, 0.10, true);
		}
	}
	return err;
}

static int wakeups(void)
{
	static const struct scenario slack = { "sleeper + busy, slack 50us", 2,
		{ SLEEPER(0), BUSY(SCHED_OTHER, 0) } };
	static const struct scenario noslack = { "sleeper + busy, slack 1ns", 2,
		{ SLEEPER(1), BUSY(SCHED_OTHER, 0) } };
	const struct scenario *scens[] = { &slack, &noslack };

	for (int s = 0; s < 2; s++) {
		struct figs h[2], u[2];
		int err = run_both(scens[s], duration_ms, h, u);
		double hl, ul;

		if (err)
			return err;
		hl = h[0].lat_p50_us;
		ul = u[0].lat_p50_us;
		printf("%-26s task0 %-14s host %10.1f  umm %10.1f  (rq wait per slice: host %.1f us, "
		       "umm %.1f us)", scens[s]->name, "wake p50 us", hl, ul, h[0].wait_us,
		       u[0].wait_us);
		if (isnan(ul) || ul > 3 * hl + 50 || ul < hl / 3 - 50) {
			printf("  DIFFERS\n");
			failures++;
		} else {
			printf("  ok\n");
		}
	}
	return 0;
}

static void watchdog(int sig)
{
	static const char msg[] = "diff_sched: watchdog: the run took too long\n";

	(void)sig;
	host_sched_abort();
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

int main(int argc, char **argv)
{
	unsigned int wd = 300;
	int c, err;

	while ((c = getopt(argc, argv, "d:r:w:")) != -1) {
		switch (c) {
		case 'd':
			duration_ms = (unsigned int)atoi(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 'w':
			wd = (unsigned int)atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: diff_sched [-d MS] [-r REPS] [-w WATCHDOG_S]\n");
			return 2;
		}
	}
	if (duration_ms < 100 || duration_ms > 60000 || reps < 1 || reps > HOST_SCHED_MAX_REPS) {
		fprintf(stderr, "diff_sched: -d 100..60000, -r 1..%d\n", HOST_SCHED_MAX_REPS);
		return 2;
	}
	signal(SIGALRM, watchdog);
	alarm(wd);
	if (host_sched_take_machine() < 0)
		return 1;
	snprintf(sched_cmdline, sizeof(sched_cmdline), "umm.sim_cpus=%ld umm.hz=%u umm.sched=%s",
		 sysconf(_SC_NPROCESSORS_ONLN), host_hz(), host_fair_policy());
	printf("diff_sched: %u ms runs, host medians of %d on CPU %d; umm on CPU 0 booted with "
	       "\"%s\"\n", duration_ms, reps, host_sched_target_cpu(), sched_cmdline);
	err = shares();
	if (!err)
		err = switches();
	if (!err)
		err = rt();
	if (!err)
		err = wakeups();
	if (err == -EPERM || err == -EACCES) {
		printf("diff_sched: skipped: the host refuses RT policies or negative nice here\n");
		return 77;
	}
	if (err) {
		printf("diff_sched: could not measure: %s\n", host_sched_error());
		return 1;
	}
	printf("diff_sched: %d figure(s) differ\n", failures);
	return failures ? 1 : 0;
}
