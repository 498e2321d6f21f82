// SPDX-License-Identifier: GPL-2.0
/*
 * host_sched_main.c - the host_sched command: runs the measurements of
 * host_sched.c on this machine's kernel and prints every figure, as a
 * table (default) or as TSV for a differential test (--tsv; the format
 * is in host_sched.h).  With --check it fails (exit 1) when a figure is
 * impossible or absurd, saying which and why: what CTest runs.
 *
 * Usage: host_sched [--tsv] [--check] [-r REPS] [-d MS] [-g GROUPS] [-w SECONDS]
 *   -r  repeats of each scenario, the median reported (3)
 *   -d  a fair scenario's length in ms (1000); the RT runs are kept at
 *       most 1.5 s: FIFO+fair 1200 ms, RR 1000 ms, FIFO pair min(d, 1000)
 *   -g  comma-separated groups: share,switch,rt,wake (all)
 *   -w  watchdog: after SECONDS the run's tasks are killed and reaped
 *       and the command fails (120)
 * Runs as root for negative nice and the RT policies (an RT scenario
 * without the right to it fails, saying so).
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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

static int run_all(const char *groups, unsigned int ms, int reps, struct host_figs *f)
{
	unsigned int i;
	int err = 0;

	if (want(groups, "share"))
		for (i = 0; i < sizeof(mixes) / sizeof(mixes[0]) && !err; i++)
			err = host_measure_shares(mixes[i].tasks, mixes[i].nr, ms, reps, f);
	if (!err && want(groups, "switch"))
		err = host_measure_switch(ms, reps, f);
	if (!err && want(groups, "rt"))
		err = host_measure_rt_fifo_fair(1200, reps, f);
	if (!err && want(groups, "rt"))
		err = host_measure_rt_fifo_fifo(ms < 1000 ? ms : 1000, reps, f);
	if (!err && want(groups, "rt"))
		err = host_measure_rt_rr(1000, reps, f);
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

static void usage(void)
{
	fprintf(stderr, "usage: host_sched [--tsv] [--check] [-r REPS] [-d MS] "
		"[-g share,switch,rt,wake] [-w SECONDS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tsv", no_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	bool tsv = false, check = false;
	const char *groups = NULL;
	unsigned int ms = 1000, wd = 120;
	int reps = 3, opt, err, bad = 0;
	struct host_figs f;

	while ((opt = getopt_long(argc, argv, "r:d:g:w:", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': tsv = true; break;
		case 'c': check = true; break;
		case 'r': reps = atoi(optarg); break;
		case 'd': ms = strtoul(optarg, NULL, 0); break;
		case 'g': groups = optarg; break;
		case 'w': wd = strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	if (optind != argc || reps < 1 || reps > HOST_SCHED_MAX_REPS || !ms || ms > 10000 || !wd)
		usage();
	signal(SIGALRM, watchdog);
	signal(SIGINT, watchdog);
	signal(SIGTERM, watchdog);
	signal(SIGHUP, watchdog);
	alarm(wd);
	host_figs_init(&f);
	if (!tsv)
		printf("host_sched: CPU %d, %d repeats, fair runs %u ms, timer slack %d ns\n",
		       host_sched_target_cpu(), reps, ms, prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0));
	err = run_all(groups, ms, reps, &f);
	alarm(0);
	if (tsv)
		host_figs_print_tsv(&f, stdout);
	else
		host_figs_print_table(&f, stdout);
	fflush(stdout);
	if (err)
		fprintf(stderr, "host_sched: %s (%s)\n", host_sched_error(), strerror(-err));
	if (check)
		bad = host_figs_check(&f, stderr);
	if (check && !bad && !err)
		fprintf(stderr, "host_sched: %d figures, none absurd\n", f.nr);
	host_figs_free(&f);
	return err || bad ? 1 : 0;
}
