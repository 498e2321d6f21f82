// SPDX-License-Identifier: GPL-2.0
/*
 * host_sched_main.c - the host_sched command: runs the measurements of
 * host_sched.c on this machine's kernel and prints every figure, as a
 * table (default) or as TSV for a differential test (--tsv; the format
 * is in host_sched.h).  With --check it fails (exit 1) when a figure is
 * impossible or absurd, saying which and why: what CTest runs.  It
 * exits 77 (skipped) when the host refuses a negative nice or an RT
 * policy (not root, or a cgroup without RT runtime): nothing measured.
 *
 * Usage: host_sched [--tsv] [--check] [-r REPS] [-d MS] [-g GROUPS] [-w SECONDS]
 *        host_sched --selftest   (two nice-0 tasks judged as nice 0 and 10:
 *                                 --check must call them absurd)
 *   -r  repeats of each scenario, the median reported (3)
 *   -d  a fair scenario's length in ms (1000); the RT runs are kept at
 *       most 1.5 s: FIFO+fair 1200 ms, RR 1000 ms, FIFO pair min(d, 1000)
 *   -g  comma-separated groups: share,switch,rt,wake (all)
 *   -w  watchdog: after SECONDS the run's tasks are killed and reaped
 *       and the command fails (120)
 * One instance at a time on the machine (host_sched_take_machine()).
 * Runs as root for negative nice and the RT policies (an RT scenario
 * without the right to it fails, saying so).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>
#include "host_sched.h"

#define T(pol, n)	{ .policy = (pol), .nice = (n) }

/* The nice mixes measured: pairs across the table, three, four, SCHED_IDLE */
static const struct host_task mix_0_5[] = { T(SCHED_OTHER, 0), T(SCHED_OTHER, 5) };
static const struct host_task mix_0_1[] = { T(SCHED_OTHER, 0), T(SCHED_OTHER, 1) };
static const struct host_task mix_0_10[] = { T(SCHED_OTHER, 0), T(SCHED_OTHER, 10) };
static const struct host_task mix_0_19[] = { T(SCHED_OTHER, 0), T(SCHED_OTHER, 19) };
static const struct host_task mix_3[] = {
	T(SCHED_OTHER, 0), T(SCHED_OTHER, 5), T(SCHED_OTHER, 10),
};
static const struct host_task mix_4[] = {
	T(SCHED_OTHER, 0), T(SCHED_OTHER, 0), T(SCHED_OTHER, 5), T(SCHED_OTHER, -5),
};
static const struct host_task mix_idle[] = { T(SCHED_OTHER, 0), T(SCHED_IDLE, 0) };
static const struct host_task mix_batch[] = { T(SCHED_OTHER, 0), T(SCHED_BATCH, 5) };

static const struct {
	const struct host_task *tasks;
	int nr;
} mixes[] = {
	{ mix_0_5, 2 }, { mix_0_1, 2 }, { mix_0_10, 2 }, { mix_0_19, 2 },
	{ mix_3, 3 }, { mix_4, 4 }, { mix_idle, 2 }, { mix_batch, 2 },
};


static void watchdog(int sig)
{
	static const char msg[] = "host_sched: watchdog: killed the run's tasks\n";

	host_sched_abort();
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(sig == SIGALRM ? 2 : 128 + sig);
}

static bool want(const char *groups, const char *g)
{
	size_t len = strlen(g);
	const char *p = groups;

	if (!groups)
		return true;
	while ((p = strstr(p, g))) {
		if ((p == groups || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
		p += len;
	}
	return false;
}

#define RT_FIFO_FAIR_MS	1200	/* past a whole RT period: the fair class's turn */
#define RT_RR_MS	1000	/* ten RR turns */

static double sysctl(const char *name)
{
	char path[128];
	double v;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/sys/kernel/%s", name);
	fp = fopen(path, "r");
	if (!fp)
		return NAN;
	if (fscanf(fp, "%lf", &v) != 1)
		v = NAN;
	fclose(fp);
	return v;
}

/* What the figures were measured with: lengths, CPU, the sysctls read */
static int add_params(unsigned int ms, int reps, struct host_figs *f)
{
	static const char *const knobs[] = {
		"sched_rr_timeslice_ms", "sched_rt_period_us", "sched_rt_runtime_us",
		"sched_autogroup_enabled",
	};
	const double inf = INFINITY;
	const char *why = "a parameter";
	unsigned int i;
	int err;

	err = host_figs_add(f, "host run", "cpu", host_sched_target_cpu(), NAN, 0, inf, why);
	if (!err)
		err = host_figs_add(f, "host run", "reps", reps, NAN, 1, inf, why);
	if (!err)
		err = host_figs_add(f, "host run", "fair_ms", ms, NAN, 1, inf, why);
	if (!err)
		err = host_figs_add(f, "host run", "rt_fifo_fair_ms", RT_FIFO_FAIR_MS, NAN, 1, inf, why);
	if (!err)
		err = host_figs_add(f, "host run", "rt_fifo_fifo_ms", ms < RT_RR_MS ? ms : RT_RR_MS,
				    NAN, 1, inf, why);
	if (!err)
		err = host_figs_add(f, "host run", "rt_rr_ms", RT_RR_MS, NAN, 1, inf, why);
	if (!err)
		err = host_figs_add(f, "host run", "timer_slack_us",
				    prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0) / 1e3, NAN, 0, inf, why);
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]) && !err; i++)
		err = host_figs_add(f, "host sysctl", knobs[i], sysctl(knobs[i]), NAN, -inf, inf,
				    "a parameter; nan: no such file");
	return err;
}

static int run_all(const char *groups, unsigned int ms, int reps, struct host_figs *f)
{
	unsigned int i;
	int err = add_params(ms, reps, f);

	if (!err && want(groups, "share"))
		for (i = 0; i < sizeof(mixes) / sizeof(mixes[0]) && !err; i++)
			err = host_measure_shares(mixes[i].tasks, mixes[i].nr, ms, reps, f);
	if (!err && want(groups, "switch"))
		err = host_measure_switch(ms, reps, f);
	if (!err && want(groups, "rt"))
		err = host_measure_rt_fifo_fair(RT_FIFO_FAIR_MS, reps, f);
	if (!err && want(groups, "rt"))
		err = host_measure_rt_fifo_fifo(ms < RT_RR_MS ? ms : RT_RR_MS, reps, f);
	if (!err && want(groups, "rt"))
		err = host_measure_rt_rr(RT_RR_MS, reps, f);
	if (!err && want(groups, "wake"))
		err = host_measure_wakeup(false, 0, ms, reps, f);
	if (!err && want(groups, "wake"))
		err = host_measure_wakeup(false, 1, ms, reps, f);
	if (!err && want(groups, "wake"))
		err = host_measure_wakeup(true, 0, ms, reps, f);
	if (!err && want(groups, "wake"))
		err = host_measure_wakeup(true, 1, ms, reps, f);
	return err;
}

/* Every word of @groups is a group's name */
static bool groups_valid(const char *groups)
{
	static const char *const names[] = { "share", "switch", "rt", "wake" };
	const char *p = groups;
	unsigned int i;

	if (!groups)
		return true;
	for (;;) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (len == strlen(names[i]) && !strncmp(p, names[i], len))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return false;
		if (!p[len])
			return true;
		p += len + 1;
	}
}

/*
 * --selftest: two nice-0 tasks measured and judged as if they were nice
 * 0 and 10 (the mistake of a nice that did not take): --check must find
 * task1's share absurd.  CTest expects the ABSURD line.
 */
static int selftest(struct host_figs *f)
{
	static const struct host_task ran[2] = { T(SCHED_OTHER, 0), T(SCHED_OTHER, 0) };
	static const char scen[] = "share nice=0,10 (run at nice 0,0)";
	struct host_run run;
	int i, err;

	err = host_sched_run(ran, 2, 300, &run);
	for (i = 0; i < 2 && !err; i++) {
		double e = host_sched_expected_share(mix_0_10, 2, i);

		err = host_figs_add(f, scen, i ? "task1 share" : "task0 share", run.task[i].share,
				    e, fmax(0, e - 0.1), fmin(1, e + 0.1),
				    "the weight table's share, within 0.1");
	}
	return err;
}

static void usage(void)
{
	fprintf(stderr, "usage: host_sched [--tsv] [--check] [-r REPS] [-d MS] "
		"[-g share,switch,rt,wake] [-w SECONDS]\n       host_sched --selftest\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tsv", no_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'c' },
		{ "selftest", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	bool tsv = false, check = false, self = false;
	const char *groups = NULL;
	unsigned int ms = 1000, wd = 120;
	int reps = 3, opt, err, bad = 0;
	struct host_figs f;

	while ((opt = getopt_long(argc, argv, "r:d:g:w:", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': tsv = true; break;
		case 'c': check = true; break;
		case 's': self = check = true; break;
		case 'r': reps = atoi(optarg); break;
		case 'd': ms = strtoul(optarg, NULL, 0); break;
		case 'g': groups = optarg; break;
		case 'w': wd = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind != argc || reps < 1 || reps > HOST_SCHED_MAX_REPS || !ms || ms > 10000 || !wd ||
	    !groups_valid(groups))
		usage();
	if (host_sched_take_machine() < 0)
		return 1;
	signal(SIGALRM, watchdog);
	signal(SIGINT, watchdog);
	signal(SIGTERM, watchdog);
	signal(SIGHUP, watchdog);
	alarm(wd);
	host_figs_init(&f);
	err = self ? selftest(&f) : run_all(groups, ms, reps, &f);
	alarm(0);
	if (tsv)
		host_figs_print_tsv(&f, stdout);
	else
		host_figs_print_table(&f, stdout);
	fflush(stdout);
	if (err)
		fprintf(stderr, "host_sched: %s (%s)\n", host_sched_error(), strerror(-err));
	if (check && (err == -EPERM || err == -EACCES)) {
		/* Not a wrong figure: this host will not let us make it */
		fprintf(stderr, "host_sched: skipped: negative nice and the RT policies need root "
			"(CAP_SYS_NICE, and RT runtime in the cgroup)\n");
		host_figs_free(&f);
		return 77;
	}
	if (check)
		bad = host_figs_check(&f, stderr);
	if (check && !bad && !err)
		fprintf(stderr, "host_sched: %d figures, none absurd\n", f.nr);
	host_figs_free(&f);
	return err || bad ? 1 : 0;
}
