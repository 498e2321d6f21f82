/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host_sched.h - what the host kernel's scheduler does, measured: CPU
 * shares by nice value and policy, the context-switch rate and the
 * timeslice of two equal tasks, the RT classes (FIFO beside a fair task,
 * FIFO against FIFO, RR against RR), and the wake-up latency of a task
 * that sleeps 1 ms at a time.  The numbers umm's simulated scheduler is
 * compared against (tests/diff); this module does not use the umm
 * library.  host_sched.c says how each measurement is made stable.
 *
 * Two layers:
 *  - host_sched_run() runs one scenario once: up to HOST_SCHED_MAX_TASKS
 *    workers, all on one CPU, and returns each worker's counters;
 *  - host_measure_*() run a scenario @reps times and append named
 *    figures (median, min, max over the repeats) to a struct host_figs,
 *    each with the kernel's expected value where it has one and the
 *    bounds outside of which the figure is impossible or absurd.
 *
 * The TSV format (host_figs_print_tsv(), host_sched --tsv): one line a
 * figure, tab-separated fields, numbers in %.6g ("nan" for none):
 *	NAME <TAB> MEDIAN <TAB> MIN <TAB> MAX <TAB> EXPECTED
 * A parser that wants "name<TAB>value" takes the first two fields.
 * MIN and MAX are over the repeats (the noise); EXPECTED is the kernel's
 * model value where there is one (the weight table, RT bandwidth, the RR
 * slice), else nan.  NAME is "GROUP SCENARIO [taskN] METRIC", single
 * spaces, N the task's place in the scenario:
 *   host run cpu                       the CPU the workers were pinned to
 *   host run reps                      repeats of each scenario
 *   host run fair_ms, rt_fifo_fair_ms, rt_fifo_fifo_ms, rt_rr_ms
 *                                      each scenario's length
 *   host run timer_slack_us            the slack a sleeper inherits
 *   host sysctl sched_rr_timeslice_ms, sched_rt_period_us,
 *	sched_rt_runtime_us, sched_autogroup_enabled   as read
 *   share nice=0,5 taskN share         N's part of the tasks' summed CPU time
 *   share nice=0,5 taskN cpu           N's CPU time / wall time
 *   share nice=0,5 busy                all tasks' CPU time / wall time
 *	scenarios: nice=0,5 0,1 0,10 0,19 0,5,10 0,0,5,-5 0,idle 0,b5
 *	("idle": SCHED_IDLE, "bN": SCHED_BATCH at nice N)
 *   switch nice=0,0 taskN nivcsw_per_s involuntary switches a second
 *   switch nice=0,0 taskN slice_us     schedstat run time / pcount
 *   switch nice=0,0 taskN turn_us      median CPU time of a turn, as the task
 *                                      saw it (from its own clock reads)
 *   switch nice=0,0 taskN wait_us      schedstat run_delay / pcount
 *   switch nice=0,0 taskN share        as for "share"
 *   rt fifo+fair task1 fair_ms         the nice-0 task's CPU ms in the run
 *   rt fifo+fair task0 cpu             the FIFO task's CPU / wall time
 *   rt fifo=10,20 taskN cpu            task0 the lower priority
 *   rt rr=10,10 taskN slice_ms         RR turn, schedstat run / pcount
 *   rt rr=10,10 taskN turn_ms          RR turn, as the task saw it
 *   wake MODE slack=S METRIC           the sleeper's wake-up latency:
 *	MODE busy (a nice-0 spinner beside it) or alone; S default (as
 *	inherited, 50 us) or 1 (PR_SET_TIMERSLACK 1 ns); METRIC min_us,
 *	p50_us, p90_us, p99_us, rq_wait_us (schedstat run_delay / pcount),
 *	wakeups
 */
#ifndef _HOST_SCHED_H
#define _HOST_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define HOST_SCHED_MAX_TASKS	8
/* Records a worker keeps in shared memory: wake-ups, on-CPU stretches */
#define HOST_SCHED_MAX_SAMPLES	16384
#define HOST_SCHED_MAX_REPS	15
#define HOST_FIG_NAME		96

enum host_task_kind {
	HOST_TASK_BUSY,		/* spins, noting its on-CPU stretches */
	HOST_TASK_SLEEPER,	/* {sleep period_us; spin work_us} forever */
};

/* One worker of a scenario. */
struct host_task {
	int policy;		/* SCHED_OTHER, _BATCH, _IDLE, _FIFO or _RR */
	int nice;		/* -20..19, for the fair policies */
	int rt_prio;		/* 1..99, for SCHED_FIFO and SCHED_RR */
	enum host_task_kind kind;
	unsigned int period_us;	/* sleeper: each sleep's length */
	unsigned int work_us;	/* sleeper: the spin after each wake-up */
	unsigned long slack_ns;	/* sleeper: PR_SET_TIMERSLACK, 0 = inherited */
};

/* One worker's counters over one run (deltas from release to stop). */
struct host_task_result {
	uint64_t run_ns;	/* /proc/PID/schedstat field 1: on CPU */
	uint64_t wait_ns;	/* field 2: runnable, waiting on a runqueue */
	uint64_t pcount;	/* field 3: times it was put on the CPU */
	uint64_t nvcsw;		/* /proc/PID/status voluntary_ctxt_switches */
	uint64_t nivcsw;	/* nonvoluntary_ctxt_switches */
	double share;		/* run_ns / the scenario's summed run_ns */
	double cpu;		/* run_ns / wall_ns */
	/*
	 * busy: turns on the CPU as the task saw them: its stretches (ended
	 * by a gap > HOST_GAP_NS) merged until another busy worker ran
	 */
	unsigned int nr_turns;
	double turn_median_ns;
	/* sleeper: wake time - intended time, CLOCK_MONOTONIC */
	unsigned int nr_wakeups;
	double lat_min_ns, lat_p50_ns, lat_p90_ns, lat_p99_ns;
};

struct host_run {
	int cpu;		/* the CPU every worker was pinned to */
	uint64_t wall_ns;	/* release to stop */
	int nr;
	struct host_task_result task[HOST_SCHED_MAX_TASKS];
};

/*
 * A gap longer than this in a busy worker's clock reads: another task
 * had the CPU.  Interrupts and softirqs take 10 to 250 us in this VM;
 * another task's turn, given at a tick, is a millisecond or more.
 */
#define HOST_GAP_NS		500000

/* The nice of the run's autogroup: heavy against other sessions' groups */
#define HOST_GROUP_NICE		-20

int host_sched_target_cpu(void);
/* One measuring program at a time on the machine: a lock (held until exit), or -1. */
int host_sched_take_machine(void);
int host_sched_run(const struct host_task *tasks, int nr,
		   unsigned int duration_ms, struct host_run *run);
void host_sched_abort(void);
const char *host_sched_error(void);

unsigned long host_sched_weight(const struct host_task *t);
double host_sched_expected_share(const struct host_task *tasks, int nr, int i);

/* A measured figure: the median of its repeats, and what bounds it. */
struct host_fig {
	char name[HOST_FIG_NAME];
	int nr_val;
	double val[HOST_SCHED_MAX_REPS];
	double median, min, max;
	double expected;	/* the kernel's model value, NAN if none */
	double lo, hi;		/* outside [lo, hi]: impossible or absurd */
	const char *why;	/* what the bounds stand for */
};

struct host_figs {
	int nr, cap;
	struct host_fig *fig;
};

void host_figs_init(struct host_figs *f);
void host_figs_free(struct host_figs *f);
void host_figs_print_table(const struct host_figs *f, FILE *out);
void host_figs_print_tsv(const struct host_figs *f, FILE *out);
int host_figs_check(const struct host_figs *f, FILE *out);
const struct host_fig *host_figs_find(const struct host_figs *f, const char *name);
int host_figs_add(struct host_figs *f, const char *scen, const char *metric,
		  double val, double expected, double lo, double hi, const char *why);

/* Durations in ms; each returns 0 or a -errno (host_sched_error() says why). */
int host_measure_shares(const struct host_task *tasks, int nr,
			unsigned int ms, int reps, struct host_figs *out);
int host_measure_switch(unsigned int ms, int reps, struct host_figs *out);
int host_measure_rt_fifo_fair(unsigned int ms, int reps, struct host_figs *out);
int host_measure_rt_fifo_fifo(unsigned int ms, int reps, struct host_figs *out);
int host_measure_rt_rr(unsigned int ms, int reps, struct host_figs *out);
int host_measure_wakeup(bool busy, unsigned long slack_ns, unsigned int ms,
			int reps, struct host_figs *out);

#endif /* _HOST_SCHED_H */
