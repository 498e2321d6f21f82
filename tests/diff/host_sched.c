// SPDX-License-Identifier: GPL-2.0
/*
 * host_sched.c - the host kernel's scheduler, measured from user space.
 *
 * What it measures (host_sched.h lists the figures): how the fair class
 * divides one CPU among tasks of different nice values and policies, how
 * often it switches between two equal tasks and for how long each runs,
 * what the RT classes leave to others, and how late a sleeping task
 * wakes up beside a busy one.
 *
 * How a run is made stable (host_sched_run()):
 *  - one CPU: every worker is pinned (sched_setaffinity()) to the last
 *    CPU of the caller's mask; the caller moves itself to another CPU of
 *    the mask for the run, so its own wake-ups do not land among them
 *    (with a one-CPU mask it stays, as SCHED_FIFO 99 beside RT workers).
 *    The load balancer cannot move a pinned task, so what the workers
 *    get is decided by that CPU's runqueue alone;
 *  - one group, alone: the workers are forked by an intermediate child
 *    that called setsid(), so with CONFIG_SCHED_AUTOGROUP they share one
 *    new task group (kernel/sched/autogroup.c) holding only them.  Shares
 *    inside a group depend only on the weights of its entities, so other
 *    sessions busy on that CPU change the group's total, not how it is
 *    divided; the figures are shares of the group's sum for that reason.
 *    The group is given nice HOST_GROUP_NICE (-20: weight 88761 against
 *    a nice-0 group's 1024), so other sessions on that CPU take little
 *    of it: the wake-up and switch figures would be theirs too otherwise.
 *    Inside the group nothing changes: a group's weight only divides
 *    the CPU among groups, and a wake-up preempts within the group whose
 *    entity is running (kernel/sched/fair.c check_preempt_wakeup_fair());
 *  - released together: each worker sets itself up (affinity, policy,
 *    nice, timer slack, RLIMIT_RTTIME), says so through a pipe, and
 *    blocks reading a barrier pipe; the caller waits until all are asleep
 *    (state S in /proc/PID/stat), samples their counters, and closes the
 *    barrier's write end, which wakes them all at once;
 *  - stopped together: at the end each worker gets SIGSTOP; the counters
 *    are sampled once all are stopped (state T).  A stopped task is off
 *    the CPU, so its schedstat sum_exec_runtime is exact: read while it
 *    runs, /proc/PID/schedstat lags by up to a tick (it prints
 *    se.sum_exec_runtime, updated at ticks and switches: kernel/sched/
 *    stats.c, fs/proc/base.c proc_pid_schedstat());
 *  - counted by the kernel: CPU time, run-queue wait and the number of
 *    times on the CPU from /proc/PID/schedstat (sched_info, LKD3 ch. 4),
 *    switches from /proc/PID/status; deltas between the two samples, so
 *    the set-up before the barrier does not count;
 *  - seen by the task: a busy worker spins on clock_gettime(CLOCK_MONOTONIC)
 *    and notes each stretch between gaps longer than HOST_GAP_NS (it was
 *    off the CPU); its turns are its stretches merged until another
 *    worker of the scenario ran (the clock is the same for all), so an
 *    interrupt or another session's task inside a turn does not cut it in
 *    two: the timeslice as the scheduler gave it; a sleeper notes the
 *    time it woke minus the time it asked for;
 *  - repeated: host_measure_*() run each scenario @reps times and report
 *    the median, with the min and max as the run's noise.
 *
 * Safety: every worker has PR_SET_PDEATHSIG(SIGKILL): it dies with the
 * intermediate; the intermediate has PR_SET_PDEATHSIG(SIGTERM): when the
 * caller dies it kills its workers, reaps them and exits; RT workers have
 * RLIMIT_RTTIME a second past the run, so a spinning RT task is killed
 * by the kernel even if the caller is gone; the caller kills the whole
 * process group (SIGKILL) and reaps it on every path, as a child
 * subreaper (PR_SET_CHILD_SUBREAPER) so orphaned workers come back to it;
 * host_sched_abort() does the same from a signal handler (a watchdog).
 * Every wait of the caller has a timeout.
 *
 * Invariants: when host_sched_run() returns, every process it made is
 * dead and reaped (were the caller itself killed, the leader alone would
 * be left, a zombie, to whoever inherits it); a figure's median is over
 * all its repeats, or NaN if one of them saw nothing.  No locks: one run
 * at a time in a process (the abort state is a global), no threads.
 */
#include <errno.h>
#include <sys/file.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "host_sched.h"

#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_USEC	1000ULL
/* How long the caller waits for workers to set up, sleep or stop */
#define SETTLE_MS	3000
#define MAX_DURATION_MS	60000

/*
 * The fair class's weight of each nice value, -20..19: each step is
 * about 10% of CPU (kernel/sched/core.c sched_prio_to_weight[]).
 */
static const unsigned long prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291,
	29154, 23254, 18705, 14949, 11916,
	9548, 7620, 6100, 4904, 3906,
	3121, 2501, 1991, 1586, 1277,
	1024, 820, 655, 526, 423,
	335, 272, 215, 172, 137,
	110, 87, 70, 56, 45,
	36, 29, 23, 18, 15,
};
/* A SCHED_IDLE task's weight (kernel/sched/sched.h WEIGHT_IDLEPRIO) */
#define WEIGHT_IDLEPRIO	3

static char err_buf[256];

static int fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	return err;
}

/* Why the last call that returned -errno failed. */
const char *host_sched_error(void)
{
	return err_buf;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void ns_to_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts;

	ns_to_ts(ns, &ts);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* The fair-class weight of @t: the nice table, or WEIGHT_IDLEPRIO; 0 for RT. */
unsigned long host_sched_weight(const struct host_task *t)
{
	if (t->policy == SCHED_IDLE)
		return WEIGHT_IDLEPRIO;
	if (t->policy != SCHED_OTHER && t->policy != SCHED_BATCH)
		return 0;
	if (t->nice < -20 || t->nice > 19)
		return 0;
	return prio_to_weight[t->nice + 20];
}

/* Task @i's share of one CPU among @tasks, all busy, by weight alone. */
double host_sched_expected_share(const struct host_task *tasks, int nr, int i)
{
	unsigned long sum = 0;
	int j;

	for (j = 0; j < nr; j++)
		sum += host_sched_weight(&tasks[j]);
	if (!sum)
		return NAN;
	return (double)host_sched_weight(&tasks[i]) / sum;
}

/* The last CPU in the caller's affinity mask, or -errno. */
int host_sched_target_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
		if (CPU_ISSET(cpu, &set))
			return cpu;
	return -ENODEV;
}

/* ---- the workers ------------------------------------------------------ */

/* What a worker shares with the caller: MAP_SHARED, written by the worker. */
struct worker_shm {
	volatile uint32_t nr;	/* records written; the caller reads once stopped */
	uint32_t pad;
	volatile uint64_t open_start;	/* busy: when the unfinished stretch began */
	union {
		struct { uint64_t start, end; } seg[HOST_SCHED_MAX_SAMPLES];
		int64_t lat[HOST_SCHED_MAX_SAMPLES];
	};
};

struct ready_msg {
	int idx;
	pid_t pid;
	int err;		/* 0, or the errno its set-up failed with */
	int step;		/* which step failed */
};

enum { STEP_AFFINITY = 1, STEP_RLIMIT, STEP_SLACK, STEP_POLICY, STEP_NICE };

static const char *const step_name[] = {
	[STEP_AFFINITY] = "sched_setaffinity",
	[STEP_RLIMIT] = "setrlimit(RLIMIT_RTTIME)",
	[STEP_SLACK] = "prctl(PR_SET_TIMERSLACK)",
	[STEP_POLICY] = "sched_setscheduler",
	[STEP_NICE] = "setpriority",
};

static bool is_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static int worker_setup(const struct host_task *t, int cpu, unsigned int ms)
{
	struct sched_param sp = { 0 };
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return STEP_AFFINITY;
	if (is_rt(t->policy)) {
		/* Killed by the kernel a second after the run should end */
		rlim_t us = ((rlim_t)ms + 1000) * 1000;
		struct rlimit rl = { us, us };

		if (setrlimit(RLIMIT_RTTIME, &rl))
			return STEP_RLIMIT;
		sp.sched_priority = t->rt_prio;
	}
	if (t->slack_ns && prctl(PR_SET_TIMERSLACK, t->slack_ns, 0, 0, 0))
		return STEP_SLACK;
	if (sched_setscheduler(0, t->policy, &sp))
		return STEP_POLICY;
	if (!is_rt(t->policy) && setpriority(PRIO_PROCESS, 0, t->nice))
		return STEP_NICE;
	return 0;
}

/* Spin, noting each stretch on the CPU (ended by a gap > HOST_GAP_NS). */
static void __attribute__((noreturn)) worker_busy(struct worker_shm *shm)
{
	uint64_t start = now_ns(), last = start, t;
	uint32_t n = 0;

	shm->open_start = start;
	for (;;) {
		t = now_ns();
		if (t - last > HOST_GAP_NS && n < HOST_SCHED_MAX_SAMPLES) {
			shm->seg[n].start = start;
			shm->seg[n].end = last;
			shm->nr = ++n;
			start = t;
			shm->open_start = start;
		}
		last = t;
	}
}

/* Sleep period_us to an absolute time, note how late, spin work_us; again. */
static void __attribute__((noreturn)) worker_sleeper(const struct host_task *t,
						     struct worker_shm *shm)
{
	uint32_t n = 0;
	uint64_t want, woke;

	for (;;) {
		want = now_ns() + t->period_us * NSEC_PER_USEC;
		sleep_until(want);
		woke = now_ns();
		if (n < HOST_SCHED_MAX_SAMPLES) {
			shm->lat[n] = (int64_t)(woke - want);
			shm->nr = ++n;
		}
		while (now_ns() - woke < t->work_us * NSEC_PER_USEC)
			;
	}
}

static void __attribute__((noreturn))
worker(const struct host_task *t, int idx, int cpu, unsigned int ms,
       struct worker_shm *shm, int ready_fd, int barrier_fd, pid_t leader)
{
	struct ready_msg msg = { .idx = idx, .pid = getpid() };
	char c;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	/* The leader died before that: it can no longer kill this one */
	if (getppid() != leader)
		_exit(1);
	msg.step = worker_setup(t, cpu, ms);
	if (msg.step)
		msg.err = errno;
	if (write(ready_fd, &msg, sizeof(msg)) != sizeof(msg) || msg.err)
		_exit(1);
	close(ready_fd);
	/* Returns 0 (EOF) when the caller closes the barrier's write end */
	while (read(barrier_fd, &c, 1) < 0 && errno == EINTR)
		;
	if (t->kind == HOST_TASK_SLEEPER)
		worker_sleeper(t, shm);
	worker_busy(shm);
}

/*
 * Weigh the new autogroup as nice HOST_GROUP_NICE against the other
 * groups on the CPU (/proc/PID/autogroup, kernel/sched/autogroup.c
 * proc_sched_autogroup_set_nice()).  Best effort: without the right
 * (CAP_SYS_NICE) the group stays at nice 0, and the figures only get
 * noisier when other sessions load the CPU.
 */
static void set_group_nice(void)
{
	char buf[16];
	int fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC);
	int len = snprintf(buf, sizeof(buf), "%d", HOST_GROUP_NICE);

	if (fd < 0)
		return;
	if (write(fd, buf, len) != len)
		errno = 0;
	close(fd);
}

/* The intermediate's workers, for its SIGTERM handler */
static pid_t leader_workers[HOST_SCHED_MAX_TASKS];
static volatile sig_atomic_t leader_nr;

/* The caller died (PR_SET_PDEATHSIG): kill the workers; the leader reaps them. */
static void leader_sigterm(int sig)
{
	int i;

	(void)sig;
	for (i = 0; i < leader_nr; i++)
		kill(leader_workers[i], SIGKILL);
}

static void leader_report(int fd, int idx, int err)
{
	struct ready_msg msg = { .idx = idx, .err = err };

	if (write(fd, &msg, sizeof(msg)) != sizeof(msg))
		_exit(1);
}

/*
 * The intermediate: a new session (so a new autogroup), the workers
 * forked from it, then it only reaps them.  If the caller dies, it gets
 * SIGTERM, kills the workers and reaps them before it exits, so that
 * only it is left to whoever inherits it.
 */
static void __attribute__((noreturn))
session_leader(const struct host_task *tasks, int nr, int cpu, unsigned int ms,
	       struct worker_shm **shm, int ready_fd, int barrier_fd,
	       pid_t caller)
{
	pid_t self = getpid();
	int i;

	signal(SIGTERM, leader_sigterm);
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != caller)
		_exit(1);
	if (setsid() < 0) {
		leader_report(ready_fd, -1, errno);
		_exit(1);
	}
	set_group_nice();
	for (i = 0; i < nr; i++) {
		pid_t pid = fork();

		if (pid == 0)
			worker(&tasks[i], i, cpu, ms, shm[i], ready_fd, barrier_fd, self);
		if (pid < 0) {
			leader_report(ready_fd, i, errno);
			break;
		}
		leader_workers[i] = pid;
		leader_nr = i + 1;
	}
	close(ready_fd);
	close(barrier_fd);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	_exit(0);
}

/* ---- the caller's side -------------------------------------------------- */

/* The run in progress, for host_sched_abort(): the session's process group */
static volatile sig_atomic_t cur_pgid;

/*
 * Kill the run's whole process group and reap it.  Async-signal-safe:
 * a watchdog's signal handler may call it.  The workers orphaned by the
 * intermediate's death come back to this process, a child subreaper.
 */
void host_sched_abort(void)
{
	pid_t pgid = cur_pgid;

	if (pgid <= 0)
		return;
	kill(-pgid, SIGKILL);
	while (waitpid(-pgid, NULL, 0) > 0 || errno == EINTR)
		;
	cur_pgid = 0;
}

struct sample {
	uint64_t run, wait, pcount, nvcsw, nivcsw;
};

static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* The one-letter state of /proc/PID/stat (after the ")" of comm), or 0. */
static char task_state(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	return p[2];
}

static uint64_t status_field(const char *buf, const char *key, bool *ok)
{
	const char *p = strstr(buf, key);
	unsigned long long v;

	if (!p || sscanf(p + strlen(key), ":%llu", &v) != 1) {
		*ok = false;
		return 0;
	}
	return v;
}

static int take_sample(pid_t pid, struct sample *s)
{
	char path[64], buf[4096];
	unsigned long long run, wait, pcount;
	bool ok = true;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	err = read_file(path, buf, sizeof(buf));
	if (err)
		return fail(err, "read %s: %s", path, strerror(-err));
	if (sscanf(buf, "%llu %llu %llu", &run, &wait, &pcount) != 3)
		return fail(-EPROTO, "%s: \"%s\" is not three numbers", path, buf);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	err = read_file(path, buf, sizeof(buf));
	if (err)
		return fail(err, "read %s: %s", path, strerror(-err));
	s->nvcsw = status_field(buf, "\nvoluntary_ctxt_switches", &ok);
	s->nivcsw = status_field(buf, "\nnonvoluntary_ctxt_switches", &ok);
	if (!ok)
		return fail(-EPROTO, "%s lacks the ctxt_switches lines", path);
	s->run = run;
	s->wait = wait;
	s->pcount = pcount;
	return 0;
}

/* Wait until every worker is in @state ('S' asleep, 'T' stopped). */
static int wait_state(const pid_t *pids, int nr, char state)
{
	uint64_t deadline = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	int i = 0;

	while (i < nr) {
		char s = task_state(pids[i]);

		if (!s || s == 'Z' || s == 'X')
			return fail(-ESRCH, "worker %d (pid %d) died", i, pids[i]);
		if (s == state || (state == 'T' && s == 't')) {
			i++;
			continue;
		}
		if (now_ns() > deadline)
			return fail(-ETIMEDOUT, "worker %d (pid %d) is in state %c, not %c after %d ms",
				    i, pids[i], s, state, SETTLE_MS);
		usleep(200);
	}
	return 0;
}

static int read_ready(int fd, pid_t *pids, int nr)
{
	uint64_t deadline = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	struct ready_msg msg;
	int got = 0;

	while (got < nr) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int64_t left = (int64_t)(deadline - now_ns()) / (int64_t)NSEC_PER_MSEC;
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
			return fail(-ETIMEDOUT, "%d of %d workers ready after %d ms", got, nr, SETTLE_MS);
		n = read(fd, &msg, sizeof(msg));
		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(msg))
			return fail(-EPIPE, "the session leader died (%d of %d workers ready)", got, nr);
		if (msg.idx < 0)
			return fail(-msg.err, "setsid: %s", strerror(msg.err));
		if (msg.idx >= nr)
			return fail(-EPROTO, "worker index %d out of range", msg.idx);
		if (msg.err)
			return fail(-msg.err, "worker %d: %s: %s", msg.idx,
				    msg.step ? step_name[msg.step] : "fork", strerror(msg.err));
		pids[msg.idx] = msg.pid;
		got++;
	}
	return 0;
}

/*
 * Move the caller off @cpu for the run: true if it moved (@saved then
 * holds its mask), false if @cpu is all it may run on.
 */
static bool move_off(int cpu, cpu_set_t *saved)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(*saved), saved))
		return false;
	set = *saved;
	CPU_CLR(cpu, &set);
	return CPU_COUNT(&set) && !sched_setaffinity(0, sizeof(set), &set);
}

/*
 * The caller shares the CPU with RT spinners (a one-CPU mask): it runs
 * as SCHED_FIFO 99 for the run, or it would wake to stop them only in
 * the fair class's 50 ms a second.  Its old policy in @policy and @sp;
 * false if it kept it.
 */
static bool caller_above_rt(int *policy, struct sched_param *sp)
{
	struct sched_param top = { .sched_priority = sched_get_priority_max(SCHED_FIFO) };

	*policy = sched_getscheduler(0);
	if (*policy < 0 || sched_getparam(0, sp))
		return false;
	/* Not for the leader and workers it forks: they start as SCHED_OTHER */
	return !sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &top);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @q quantile (0..1) of sorted @v, nearest rank. */
static double quantile(const double *v, unsigned int n, double q)
{
	unsigned int i;

	if (!n)
		return NAN;
	i = (unsigned int)ceil(q * n);
	if (i)
		i--;
	return v[i < n ? i : n - 1];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Does sorted @v (@n) hold a value in (@lo, @hi)? */
static bool any_between(const uint64_t *v, unsigned int n, uint64_t lo, uint64_t hi)
{
	unsigned int a = 0, b = n;

	while (a < b) {			/* the first value > lo */
		unsigned int m = a + (b - a) / 2;

		if (v[m] <= lo)
			a = m + 1;
		else
			b = m;
	}
	return a < n && v[a] < hi;
}

/* When every stretch of the busy workers but @self began, sorted; or NULL */
static uint64_t *sibling_starts(const struct host_task *tasks, int nr, int self,
				struct worker_shm **shm, unsigned int *count)
{
	unsigned int n = 0, k;
	uint64_t *v;
	int j;

	for (j = 0; j < nr; j++)
		if (j != self && tasks[j].kind == HOST_TASK_BUSY)
			n += shm[j]->nr + 1;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return NULL;
	n = 0;
	for (j = 0; j < nr; j++) {
		if (j == self || tasks[j].kind != HOST_TASK_BUSY)
			continue;
		for (k = 0; k < shm[j]->nr; k++)
			v[n++] = shm[j]->seg[k].start;
		v[n++] = shm[j]->open_start;
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	*count = n;
	return v;
}

/*
 * Worker @i's turns: its stretches on the CPU merged until one of the
 * scenario's other busy workers ran, each turn's CPU time summed (what
 * other sessions or interrupts took inside a turn is not the turn's).  A
 * turn still going at the stop is left out.  The median, in ns.
 */
static void digest_busy(const struct host_task *tasks, int nr, int i,
			struct worker_shm **shm, struct host_task_result *r)
{
	const struct worker_shm *me = shm[i];
	unsigned int k, n = me->nr, ns = 0, nt = 0;
	uint64_t *starts = sibling_starts(tasks, nr, i, shm, &ns);
	double *turn = malloc((n ? n : 1) * sizeof(*turn));
	double cur = 0;

	r->nr_turns = 0;
	r->turn_median_ns = NAN;
	if (!starts || !turn)
		goto out;
	for (k = 0; k < n; k++) {
		uint64_t next = k + 1 < n ? me->seg[k + 1].start : me->open_start;

		cur += (double)(me->seg[k].end - me->seg[k].start);
		if (any_between(starts, ns, me->seg[k].end, next)) {
			turn[nt++] = cur;
			cur = 0;
		}
	}
	qsort(turn, nt, sizeof(*turn), cmp_double);
	r->nr_turns = nt;
	r->turn_median_ns = quantile(turn, nt, 0.5);
out:
	free(starts);
	free(turn);
}

static void digest_sleeper(const struct worker_shm *shm, struct host_task_result *r)
{
	unsigned int i, n = shm->nr;
	double *v = malloc((n ? n : 1) * sizeof(*v));

	r->nr_wakeups = n;
	r->lat_min_ns = r->lat_p50_ns = r->lat_p90_ns = r->lat_p99_ns = NAN;
	if (!v)
		return;
	for (i = 0; i < n; i++)
		v[i] = (double)shm->lat[i];
	qsort(v, n, sizeof(*v), cmp_double);
	if (n)
		r->lat_min_ns = v[0];
	r->lat_p50_ns = quantile(v, n, 0.5);
	r->lat_p90_ns = quantile(v, n, 0.9);
	r->lat_p99_ns = quantile(v, n, 0.99);
	free(v);
}

static void digest(const struct host_task *tasks, int nr, const struct sample *s0,
		   const struct sample *s1, struct worker_shm **shm, struct host_run *run)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < nr; i++) {
		struct host_task_result *r = &run->task[i];

		memset(r, 0, sizeof(*r));
		r->run_ns = s1[i].run - s0[i].run;
		r->wait_ns = s1[i].wait - s0[i].wait;
		r->pcount = s1[i].pcount - s0[i].pcount;
		r->nvcsw = s1[i].nvcsw - s0[i].nvcsw;
		r->nivcsw = s1[i].nivcsw - s0[i].nivcsw;
		r->cpu = (double)r->run_ns / run->wall_ns;
		sum += r->run_ns;
		if (tasks[i].kind == HOST_TASK_SLEEPER)
			digest_sleeper(shm[i], r);
		else
			digest_busy(tasks, nr, i, shm, r);
	}
	for (i = 0; i < nr; i++)
		run->task[i].share = sum ? (double)run->task[i].run_ns / sum : NAN;
}

static int check_tasks(const struct host_task *tasks, int nr, unsigned int ms)
{
	int i;

	if (nr < 1 || nr > HOST_SCHED_MAX_TASKS)
		return fail(-EINVAL, "%d tasks (1..%d)", nr, HOST_SCHED_MAX_TASKS);
	if (ms < 1 || ms > MAX_DURATION_MS)
		return fail(-EINVAL, "duration %u ms (1..%d)", ms, MAX_DURATION_MS);
	for (i = 0; i < nr; i++) {
		const struct host_task *t = &tasks[i];

		if (is_rt(t->policy)) {
			if (t->rt_prio < 1 || t->rt_prio > 99)
				return fail(-EINVAL, "task %d: RT priority %d", i, t->rt_prio);
		} else if (!host_sched_weight(t)) {
			return fail(-EINVAL, "task %d: policy %d nice %d", i, t->policy, t->nice);
		}
		if (t->kind == HOST_TASK_SLEEPER && (!t->period_us || t->period_us > 1000000 ||
						     t->work_us > 1000000))
			return fail(-EINVAL, "task %d: sleeper period %u us work %u us", i,
				    t->period_us, t->work_us);
	}
	return 0;
}

/* The measured part: barrier, sleep, stop, sample.  The caller cleans up. */
static int measure(const struct host_task *tasks, int nr, unsigned int ms,
		   int ready_fd, int *barrier_wr, struct worker_shm **shm,
		   struct host_run *run)
{
	struct sample s0[HOST_SCHED_MAX_TASKS], s1[HOST_SCHED_MAX_TASKS];
	pid_t pids[HOST_SCHED_MAX_TASKS] = { 0 };
	uint64_t t0, t1;
	int i, err;

	err = read_ready(ready_fd, pids, nr);
	if (!err)
		err = wait_state(pids, nr, 'S');
	for (i = 0; !err && i < nr; i++)
		err = take_sample(pids[i], &s0[i]);
	if (err)
		return err;
	t0 = now_ns();
	close(*barrier_wr);
	*barrier_wr = -1;
	sleep_until(t0 + ms * NSEC_PER_MSEC);
	t1 = now_ns();
	for (i = 0; i < nr; i++)
		kill(pids[i], SIGSTOP);
	err = wait_state(pids, nr, 'T');
	for (i = 0; !err && i < nr; i++)
		err = take_sample(pids[i], &s1[i]);
	if (err)
		return err;
	run->wall_ns = t1 - t0;
	digest(tasks, nr, s0, s1, shm, run);
	return 0;
}

/*
 * Run @tasks (1..HOST_SCHED_MAX_TASKS) together on one CPU for
 * @duration_ms and fill @run.  Returns 0 or -errno (host_sched_error()
 * says why); on every path the workers are dead and reaped when it
 * returns.  The caller: becomes a child subreaper (for good); for the
 * run only, leaves the workers' CPU, or runs as SCHED_FIFO 99 if it
 * cannot and a worker is RT.
 */
int host_sched_run(const struct host_task *tasks, int nr,
		   unsigned int duration_ms, struct host_run *run)
{
	struct worker_shm *shm[HOST_SCHED_MAX_TASKS] = { 0 };
	int ready[2] = { -1, -1 }, barrier[2] = { -1, -1 };
	cpu_set_t saved;
	struct sched_param old_sp;
	bool moved = false, raised = false;
	pid_t pid, caller = getpid();
	int i, cpu, err, old_policy;

	err = check_tasks(tasks, nr, duration_ms);
	if (err)
		return err;
	cpu = host_sched_target_cpu();
	if (cpu < 0)
		return fail(cpu, "sched_getaffinity: %s", strerror(-cpu));
	memset(run, 0, sizeof(*run));
	run->cpu = cpu;
	run->nr = nr;
	for (i = 0; i < nr; i++) {
		shm[i] = mmap(NULL, sizeof(struct worker_shm), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shm[i] == MAP_FAILED) {
			shm[i] = NULL;
			err = fail(-ENOMEM, "mmap: %s", strerror(errno));
			goto out;
		}
		/* Touched now: no page faults inside the measured run */
		memset(shm[i], 0, sizeof(struct worker_shm));
	}
	if (pipe2(ready, O_CLOEXEC) || pipe2(barrier, O_CLOEXEC)) {
		err = fail(-errno, "pipe: %s", strerror(errno));
		goto out;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	moved = move_off(cpu, &saved);
	for (i = 0; i < nr && !moved && !raised; i++)
		if (is_rt(tasks[i].policy))
			raised = caller_above_rt(&old_policy, &old_sp);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = fail(-errno, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		close(ready[0]);
		close(barrier[1]);
		session_leader(tasks, nr, cpu, duration_ms, shm, ready[1], barrier[0], caller);
	}
	/* setsid() makes the leader's pid the group's id */
	cur_pgid = pid;
	close(ready[1]);
	close(barrier[0]);
	ready[1] = barrier[0] = -1;
	err = measure(tasks, nr, duration_ms, ready[0], &barrier[1], shm, run);
	/* The leader may not have reached setsid(): kill it by pid as well */
	kill(pid, SIGKILL);
	host_sched_abort();
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
out:
	for (i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (barrier[i] >= 0)
			close(barrier[i]);
	}
	if (moved)
		sched_setaffinity(0, sizeof(saved), &saved);
	if (raised)
		sched_setscheduler(0, old_policy, &old_sp);
	for (i = 0; i < nr; i++)
		if (shm[i])
			munmap(shm[i], sizeof(struct worker_shm));
	return err;
}

/* ---- figures: a scenario repeated, medians and bounds ------------------- */

void host_figs_init(struct host_figs *f)
{
	memset(f, 0, sizeof(*f));
}

void host_figs_free(struct host_figs *f)
{
	free(f->fig);
	memset(f, 0, sizeof(*f));
}

const struct host_fig *host_figs_find(const struct host_figs *f, const char *name)
{
	int i;

	for (i = 0; i < f->nr; i++)
		if (!strcmp(f->fig[i].name, name))
			return &f->fig[i];
	return NULL;
}

static void fig_update(struct host_fig *g)
{
	double v[HOST_SCHED_MAX_REPS];
	int i, n = 0;

	/* A NaN repeat (no sample at all) is the median's only if all are */
	for (i = 0; i < g->nr_val; i++)
		if (!isnan(g->val[i]))
			v[n++] = g->val[i];
	if (!n) {
		g->median = g->min = g->max = NAN;
		return;
	}
	qsort(v, n, sizeof(*v), cmp_double);
	g->min = v[0];
	g->max = v[n - 1];
	g->median = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	if (n < g->nr_val)
		g->median = NAN;	/* some repeat saw nothing: not a figure */
}

/*
 * Add one repeat's @val to the figure "@scen @metric" (created with
 * @expected and the bounds [@lo, @hi] on first use; @why says what the
 * bounds stand for).  0, or -ENAMETOOLONG, -ENOMEM, -E2BIG.
 */
int host_figs_add(struct host_figs *f, const char *scen, const char *metric,
		   double val, double expected, double lo, double hi, const char *why)
{
	char name[HOST_FIG_NAME];
	struct host_fig *g;

	if ((size_t)snprintf(name, sizeof(name), "%s %s", scen, metric) >= sizeof(name))
		return fail(-ENAMETOOLONG, "figure name \"%s %s\" too long", scen, metric);
	g = (struct host_fig *)host_figs_find(f, name);
	if (!g) {
		if (f->nr == f->cap) {
			int cap = f->cap ? 2 * f->cap : 32;
			struct host_fig *n = realloc(f->fig, cap * sizeof(*n));

			if (!n)
				return fail(-ENOMEM, "no memory for %d figures", cap);
			f->fig = n;
			f->cap = cap;
		}
		g = &f->fig[f->nr++];
		memset(g, 0, sizeof(*g));
		strcpy(g->name, name);
		g->expected = expected;
		g->lo = lo;
		g->hi = hi;
		g->why = why;
	}
	if (g->nr_val == HOST_SCHED_MAX_REPS)
		return fail(-E2BIG, "%s: more than %d repeats", name, HOST_SCHED_MAX_REPS);
	g->val[g->nr_val++] = val;
	fig_update(g);
	return 0;
}

static int check_reps(int reps)
{
	if (reps < 1 || reps > HOST_SCHED_MAX_REPS)
		return fail(-EINVAL, "%d repeats (1..%d)", reps, HOST_SCHED_MAX_REPS);
	return 0;
}

/* "nice=0,5", "nice=0,idle", "nice=0,b5": the scenario's words */
static void scenario_label(const struct host_task *tasks, int nr, char *buf, size_t size)
{
	size_t len = snprintf(buf, size, "nice=");
	int i;

	for (i = 0; i < nr && len < size; i++) {
		const char *sep = i ? "," : "";

		if (tasks[i].policy == SCHED_IDLE)
			len += snprintf(buf + len, size - len, "%sidle", sep);
		else if (tasks[i].policy == SCHED_BATCH)
			len += snprintf(buf + len, size - len, "%sb%d", sep, tasks[i].nice);
		else
			len += snprintf(buf + len, size - len, "%s%d", sep, tasks[i].nice);
	}
}

static long read_sysctl(const char *path, long dflt)
{
	char buf[64];
	long v;

	if (read_file(path, buf, sizeof(buf)) || sscanf(buf, "%ld", &v) != 1)
		return dflt;
	return v;
}

static const char why_cpu[] = "a share of one CPU";
static const char why_busy[] =
	"at most one CPU; below 0.05 other sessions took the CPU: nothing measured";

/*
 * CPU shares of @nr busy fair tasks on one CPU.  Figures, per task:
 * "share" (of the tasks' summed CPU time; expected from the weight
 * table; absurd beyond 0.1 from it) and "cpu" (of wall time); and
 * "busy", all tasks' CPU time over wall time.
 */
int host_measure_shares(const struct host_task *tasks, int nr,
			unsigned int ms, int reps, struct host_figs *out)
{
	char scen[64], label[48], metric[32];
	struct host_run run;
	int r, i, err = check_reps(reps);

	if (err)
		return err;
	for (i = 0; i < nr && i < HOST_SCHED_MAX_TASKS; i++)
		if (is_rt(tasks[i].policy) || tasks[i].kind != HOST_TASK_BUSY)
			return fail(-EINVAL, "shares: task %d is not a busy fair task", i);
	scenario_label(tasks, nr, label, sizeof(label));
	snprintf(scen, sizeof(scen), "share %s", label);
	for (r = 0; r < reps; r++) {
		double busy = 0;

		err = host_sched_run(tasks, nr, ms, &run);
		if (err)
			return err;
		for (i = 0; i < nr && !err; i++) {
			double e = host_sched_expected_share(tasks, nr, i);

			busy += run.task[i].cpu;
			snprintf(metric, sizeof(metric), "task%d share", i);
			err = host_figs_add(out, scen, metric, run.task[i].share, e,
				      fmax(0, e - 0.1), fmin(1, e + 0.1),
				      "the weight table's share, within 0.1");
			snprintf(metric, sizeof(metric), "task%d cpu", i);
			if (!err)
				err = host_figs_add(out, scen, metric, run.task[i].cpu, NAN,
					      0, 1.02, why_cpu);
		}
		if (!err)
			err = host_figs_add(out, scen, "busy", busy, 1, 0.05, 1.02, why_busy);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Two busy nice-0 tasks on one CPU: per task, involuntary switches a
 * second, the mean timeslice (schedstat run time / pcount), the median
 * turn the task saw (digest_busy()), and the mean wait on the runqueue
 * before each time on the CPU (run_delay / pcount).
 */
int host_measure_switch(unsigned int ms, int reps, struct host_figs *out)
{
	static const struct host_task two[2] = {
		{ .policy = SCHED_OTHER }, { .policy = SCHED_OTHER },
	};
	const char *scen = "switch nice=0,0";
	char metric[32];
	struct host_run run;
	int r, i, err = check_reps(reps);

	for (r = 0; r < reps && !err; r++) {
		err = host_sched_run(two, 2, ms, &run);
		for (i = 0; i < 2 && !err; i++) {
			const struct host_task_result *t = &run.task[i];
			double secs = run.wall_ns / 1e9;
			double slice = t->pcount ? t->run_ns / 1e3 / t->pcount : NAN;
			double wait = t->pcount ? t->wait_ns / 1e3 / t->pcount : NAN;

			snprintf(metric, sizeof(metric), "task%d nivcsw_per_s", i);
			err = host_figs_add(out, scen, metric, t->nivcsw / secs, NAN, 1, 2000,
				      "two busy tasks must switch; a tick-driven switch is at most HZ a second");
			snprintf(metric, sizeof(metric), "task%d slice_us", i);
			if (!err)
				err = host_figs_add(out, scen, metric, slice, NAN, 100, 100000,
					      "a fair slice is 0.1 to 100 ms");
			snprintf(metric, sizeof(metric), "task%d turn_us", i);
			if (!err)
				err = host_figs_add(out, scen, metric, t->turn_median_ns / 1e3, NAN,
					      100, 100000, "a fair slice is 0.1 to 100 ms");
			snprintf(metric, sizeof(metric), "task%d wait_us", i);
			if (!err)
				err = host_figs_add(out, scen, metric, wait, NAN, 100, 100000,
					      "each turn waits about the other's slice");
			snprintf(metric, sizeof(metric), "task%d share", i);
			if (!err)
				err = host_figs_add(out, scen, metric, t->share, 0.5, 0.4, 0.6,
					      "equal weights: half each");
		}
	}
	return err;
}

/*
 * A SCHED_FIFO spinner and a nice-0 spinner on one CPU: the fair task
 * gets only what RT bandwidth leaves it, sched_rt_period_us -
 * sched_rt_runtime_us each period (6.18: the fair deadline server,
 * kernel/sched/deadline.c, 50 ms a second, deferred: it runs the fair
 * tasks at the end of a period they were starved in; before 6.12, RT
 * throttling).  Figures: the fair task's CPU ms in the run (expected:
 * that much for each whole period the run lasts), the FIFO task's CPU
 * fraction of wall time.
 */
int host_measure_rt_fifo_fair(unsigned int ms, int reps, struct host_figs *out)
{
	static const struct host_task tasks[2] = {
		{ .policy = SCHED_FIFO, .rt_prio = 10 }, { .policy = SCHED_OTHER },
	};
	long period = read_sysctl("/proc/sys/kernel/sched_rt_period_us", 1000000);
	long runtime = read_sysctl("/proc/sys/kernel/sched_rt_runtime_us", 950000);
	double left = runtime < 0 || period <= 0 ? 0 : (period - runtime) / 1000.0;
	double periods = period > 0 ? floor(ms * 1000.0 / period) : 0;
	const char *scen = "rt fifo+fair";
	struct host_run run;
	int r, err = check_reps(reps);

	if (periods < 1)
		periods = 1;
	for (r = 0; r < reps && !err; r++) {
		err = host_sched_run(tasks, 2, ms, &run);
		if (!err)
			err = host_figs_add(out, scen, "task1 fair_ms", run.task[1].run_ns / 1e6,
				      left * periods, left * periods / 5, left * periods * 3 + 10,
				      "RT leaves the fair class sched_rt_period_us - sched_rt_runtime_us a period");
		if (!err)
			err = host_figs_add(out, scen, "task0 cpu", run.task[0].cpu, NAN, 0.5, 1.02,
				      "a FIFO spinner keeps the CPU but for the fair class's part");
	}
	return err;
}

/*
 * SCHED_FIFO priorities 10 and 20, both spinning on one CPU: the lower
 * never runs.  Figures: each task's CPU fraction of wall time.
 */
int host_measure_rt_fifo_fifo(unsigned int ms, int reps, struct host_figs *out)
{
	static const struct host_task tasks[2] = {
		{ .policy = SCHED_FIFO, .rt_prio = 10 },
		{ .policy = SCHED_FIFO, .rt_prio = 20 },
	};
	const char *scen = "rt fifo=10,20";
	struct host_run run;
	int r, err = check_reps(reps);

	for (r = 0; r < reps && !err; r++) {
		err = host_sched_run(tasks, 2, ms, &run);
		if (!err)
			err = host_figs_add(out, scen, "task0 cpu", run.task[0].cpu, 0, 0, 0.02,
				      "a lower FIFO priority does not run beside a spinning higher one");
		if (!err)
			err = host_figs_add(out, scen, "task1 cpu", run.task[1].cpu, NAN, 0.5, 1.02,
				      "the higher FIFO task keeps the CPU");
	}
	return err;
}

/*
 * Two SCHED_RR spinners of priority 10 on one CPU: they take turns of
 * sched_rr_timeslice_ms.  Figures per task: the slice as schedstat run
 * time / pcount (cut by the stop, and by every turn the fair server
 * gives other sessions' tasks on that CPU) and the median turn the task
 * saw (digest_busy(): those cuts merged), in ms.
 */
int host_measure_rt_rr(unsigned int ms, int reps, struct host_figs *out)
{
	static const struct host_task tasks[2] = {
		{ .policy = SCHED_RR, .rt_prio = 10 },
		{ .policy = SCHED_RR, .rt_prio = 10 },
	};
	double rr = read_sysctl("/proc/sys/kernel/sched_rr_timeslice_ms", 100);
	const char *scen = "rt rr=10,10";
	char metric[32];
	struct host_run run;
	int r, i, err = check_reps(reps);

	for (r = 0; r < reps && !err; r++) {
		err = host_sched_run(tasks, 2, ms, &run);
		for (i = 0; i < 2 && !err; i++) {
			const struct host_task_result *t = &run.task[i];

			snprintf(metric, sizeof(metric), "task%d slice_ms", i);
			err = host_figs_add(out, scen, metric,
				      t->pcount ? t->run_ns / 1e6 / t->pcount : NAN,
				      rr, 1, rr * 1.5,
				      "at most an RR turn; other sessions' fair tasks, run by the fair server, cut it");
			snprintf(metric, sizeof(metric), "task%d turn_ms", i);
			if (!err)
				err = host_figs_add(out, scen, metric, t->turn_median_ns / 1e6,
					      rr, rr / 4, rr * 1.5,
					      "an RR turn is sched_rr_timeslice_ms");
		}
	}
	return err;
}

/*
 * A task looping {sleep 1 ms to an absolute CLOCK_MONOTONIC time; spin
 * 0.1 ms}, alone on its CPU or beside a nice-0 spinner, with the timer
 * slack it inherited or PR_SET_TIMERSLACK @slack_ns.  Figures: the
 * wake-up latency (woke - asked) min, median, p90, p99 in us over every
 * wake-up of a run, the mean run-queue wait per turn on the CPU
 * (schedstat run_delay / pcount, us), and the wake-ups counted.
 */
int host_measure_wakeup(bool busy, unsigned long slack_ns, unsigned int ms,
			int reps, struct host_figs *out)
{
	struct host_task tasks[2] = {
		{ .policy = SCHED_OTHER, .kind = HOST_TASK_SLEEPER,
		  .period_us = 1000, .work_us = 100, .slack_ns = slack_ns },
		{ .policy = SCHED_OTHER },
	};
	const char *why = "a timer never fires early; 20 ms late is no wake-up path";
	char scen[64];
	struct host_run run;
	int r, err = check_reps(reps);

	if (slack_ns)
		snprintf(scen, sizeof(scen), "wake %s slack=%lu", busy ? "busy" : "alone", slack_ns);
	else
		snprintf(scen, sizeof(scen), "wake %s slack=default", busy ? "busy" : "alone");
	for (r = 0; r < reps && !err; r++) {
		const struct host_task_result *t = &run.task[0];

		err = host_sched_run(tasks, busy ? 2 : 1, ms, &run);
		if (!err)
			err = host_figs_add(out, scen, "min_us", t->lat_min_ns / 1e3, NAN, 0, 20000, why);
		if (!err)
			err = host_figs_add(out, scen, "p50_us", t->lat_p50_ns / 1e3, NAN, 0, 20000, why);
		if (!err)
			err = host_figs_add(out, scen, "p90_us", t->lat_p90_ns / 1e3, NAN, 0, 20000, why);
		if (!err)
			err = host_figs_add(out, scen, "p99_us", t->lat_p99_ns / 1e3, NAN, 0, 50000, why);
		if (!err)
			err = host_figs_add(out, scen, "rq_wait_us",
				      t->pcount ? t->wait_ns / 1e3 / t->pcount : NAN, NAN, 0, 20000,
				      "schedstat's wait per turn is within the latency");
		if (!err)
			err = host_figs_add(out, scen, "wakeups", t->nr_wakeups,
				      ms * 1000.0 / (tasks[0].period_us + tasks[0].work_us),
				      ms * 200.0 / (tasks[0].period_us + tasks[0].work_us),
				      ms * 1000.0 / tasks[0].period_us,
				      "1.1 ms a loop: at least a fifth of the loops must run");
	}
	return err;
}

/* ---- output --------------------------------------------------------------- */

static void fmt_num(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.4g", v);
}

/* The figures as a table: name, median, min, max, expected, bounds. */
void host_figs_print_table(const struct host_figs *f, FILE *out)
{
	char m[16], lo[16], hi[16], e[16], blo[16], bhi[16];
	int i;

	fprintf(out, "%-44s %10s %10s %10s %10s  %s\n", "figure", "median", "min", "max",
		"expected", "bounds");
	for (i = 0; i < f->nr; i++) {
		const struct host_fig *g = &f->fig[i];

		fmt_num(m, sizeof(m), g->median);
		fmt_num(lo, sizeof(lo), g->min);
		fmt_num(hi, sizeof(hi), g->max);
		fmt_num(e, sizeof(e), g->expected);
		fmt_num(blo, sizeof(blo), g->lo);
		fmt_num(bhi, sizeof(bhi), g->hi);
		fprintf(out, "%-44s %10s %10s %10s %10s  [%s, %s]\n", g->name, m, lo, hi, e,
			blo, bhi);
	}
}

/* One line a figure: NAME \t MEDIAN \t MIN \t MAX \t EXPECTED (host_sched.h). */
void host_figs_print_tsv(const struct host_figs *f, FILE *out)
{
	int i;

	for (i = 0; i < f->nr; i++) {
		const struct host_fig *g = &f->fig[i];

		fprintf(out, "%s\t%.6g\t%.6g\t%.6g\t%.6g\n", g->name, g->median, g->min,
			g->max, g->expected);
	}
}

/*
 * Each figure's median against its bounds: a line on @out for each that
 * is out of them (or no number at all), saying why it is absurd.  A
 * figure bounded by [-inf, inf] is a parameter, not checked.  Returns
 * how many are absurd.
 */
int host_figs_check(const struct host_figs *f, FILE *out)
{
	int i, bad = 0;

	for (i = 0; i < f->nr; i++) {
		const struct host_fig *g = &f->fig[i];

		if (isinf(g->lo) && g->lo < 0 && isinf(g->hi) && g->hi > 0)
			continue;
		if (!isnan(g->median) && g->median >= g->lo && g->median <= g->hi)
			continue;
		fprintf(out, "ABSURD: %s = %.6g (repeats %.6g..%.6g), not in [%.6g, %.6g]: %s\n",
			g->name, g->median, g->min, g->max, g->lo, g->hi, g->why);
		bad++;
	}
	return bad;
}

/*
 * One host_sched at a time on a machine: two checkouts' test suites
 * would otherwise measure each other (an RT spinner of one starves the
 * other's tasks on the same CPU).  flock() on LOCK_PATH, waited for up
 * to LOCK_WAIT_S; the lock goes with the process.
 */
#define LOCK_PATH	"/tmp/host_sched.lock"
#define LOCK_WAIT_S	150

int host_sched_take_machine(void)
{
	int i, fd = open(LOCK_PATH, O_RDONLY | O_CLOEXEC);

	/* Not O_CREAT on another's file: fs.protected_regular refuses it in /tmp */
	if (fd < 0 && errno == ENOENT)
		fd = open(LOCK_PATH, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "host_sched: open %s: %s\n", LOCK_PATH, strerror(errno));
		return -1;
	}
	for (i = 0; i < LOCK_WAIT_S * 10; i++) {
		if (!flock(fd, LOCK_EX | LOCK_NB))
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		if (!i)
			fprintf(stderr, "host_sched: waiting for another host_sched (%s)\n", LOCK_PATH);
		usleep(100000);
	}
	fprintf(stderr, "host_sched: %s: %s\n", LOCK_PATH,
		errno == EWOULDBLOCK ? "still held by another host_sched" : strerror(errno));
	close(fd);
	return -1;
}
