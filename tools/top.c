// SPDX-License-Identifier: GPL-2.0
/*
 * top.c - `umm top`: the simulated machine as procps's top(1) shows a
 * real one.  A scenario sets the machine up (its lines run first, their
 * output hidden); then each frame advances the simulated clock by DUR and
 * prints what changed:
 *
 *   top - 00:00:05 up 0 min,  EEVDF, HZ=250,  load average: 1.02, 0.30, 0.10
 *   Tasks:   5 total,   2 running,   3 sleeping,   0 stopped,   0 zombie
 *   %Cpu(s): 50.0 us,  0.0 sy, 49.5 ni,  0.5 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st
 *   %Cpu0  : ... (top's '1' view: each CPU, and the task on it now)
 *   MiB Mem :    256.0 total, ...
 *
 *       PID  PR  NI S  %CPU     TIME+    VRUNTIME  SWITCHES  P COMMAND
 *
 * Everything comes from the files top reads, in umm's kernel formats:
 * /proc/stat (the %Cpu lines from its deltas over the frame), /proc/meminfo,
 * /proc/PID/stat (state, PR, NI, TIME+ from utime + stime, P),
 * /proc/PID/schedstat (%CPU: the run time's delta over the frame, as
 * with top's Irix mode, 100% a CPU), /proc/PID/sched (vruntime,
 * nr_switches).  What umm has no file for is said where it is computed:
 * the load average is kernel/sched/loadavg.c's calc_load(), sampled here
 * every LOAD_FREQ (5 s + 1 tick) of the simulated clock from the first
 * frame on, on the count of runnable and uninterruptible tasks; the task
 * on each CPU is the one with on_cpu set.
 *
 * On a terminal (and without -b) each frame replaces the last, one a
 * second of real time, cut to the terminal's height; otherwise frames
 * follow each other plainly, as top -b prints them.  Without -n, frames
 * go on until interrupted, as top's do.
 *
 * Single-threaded; owns its snapshots only.  Locking: tasklist_lock,
 * read, to list the tasks and count the active ones; each task's /proc
 * files are read after it is dropped, by pid, with a reference
 * (umm_get_task()), so a task that goes meanwhile is left out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <umm.h>
#include "proc_text.h"
#include "script.h"
#include "top.h"

#define STAT_FIELDS	10		/* user nice system idle iowait irq softirq steal guest guest_nice */
#define TOP_MAX_CPUS	64		/* umm.sim_cpus= at most (kernel/time/internal.h) */

/* kernel/sched/loadavg.c's fixed point (include/linux/sched/loadavg.h). */
#define FSHIFT		11
#define FIXED_1		(1UL << FSHIFT)
#define EXP_1		1884
#define EXP_5		2014
#define EXP_15		2037

struct top_task {
	int pid;
	char comm[TASK_COMM_LEN];
	char state;
	long prio, nice;
	int cpu;
	unsigned long long ticks;	/* utime + stime, USER_HZ */
	unsigned long long run_ns;	/* schedstat's first field */
	double vruntime_ms;
	long long switches;
	double pcpu;
};

struct top_snap {
	unsigned long long ns;
	unsigned long long cpu[TOP_MAX_CPUS + 1][STAT_FIELDS];	/* [0]: the sum */
	unsigned int nr_cpus;
	struct top_task *tasks;
	size_t nr_tasks;
	unsigned long mem_total, mem_free, mem_avail, buffers, cached, sreclaimable;
	int curr[TOP_MAX_CPUS];		/* on each CPU now, 0: idle */
	int queued[TOP_MAX_CPUS];	/* tasks on its runqueue */
};

struct top_opts {
	long frames;			/* -1: until interrupted */
	unsigned long long delay_ns;
	bool batch;
	const char *script;
};

static unsigned long avenrun[3];
static unsigned long long next_load_ns;

/* ---- reading what top reads ---- */

static void read_stat(struct top_snap *sn)
{
	int err;
	char *text = proc_text("/proc/stat", NULL, &err), *line, *save = NULL;

	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v[STAT_FIELDS] = { 0 };
		unsigned int cpu;
		int off = 0;

		if (strncmp(line, "cpu", 3))
			continue;
		if (line[3] == ' ')
			cpu = 0;
		else if (sscanf(line + 3, "%u%n", &cpu, &off) == 1 && cpu < TOP_MAX_CPUS)
			cpu++;
		else
			continue;
		sscanf(line + 3 + off, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		       &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
		memcpy(sn->cpu[cpu], v, sizeof(v));
	}
	free(text);
}

/* The value of the line "NAME:   N kB" of meminfo's @text, 0 if none. */
static unsigned long meminfo_kb(const char *text, const char *name)
{
	size_t len = strlen(name);
	unsigned long kb = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, name, len) && p[len] == ':') {
			sscanf(p + len + 1, "%lu", &kb);
			break;
		}
	}
	return kb;
}

static void read_meminfo(struct top_snap *sn)
{
	int err;
	char *text = proc_text("/proc/meminfo", NULL, &err);

	if (!text)
		return;
	sn->mem_total = meminfo_kb(text, "MemTotal");
	sn->mem_free = meminfo_kb(text, "MemFree");
	sn->mem_avail = meminfo_kb(text, "MemAvailable");
	sn->buffers = meminfo_kb(text, "Buffers");
	sn->cached = meminfo_kb(text, "Cached");
	sn->sreclaimable = meminfo_kb(text, "SReclaimable");
	free(text);
}

/* The task's stat, schedstat and sched; false if it went meanwhile. */
static bool read_task(struct top_task *tt, int pid)
{
	struct task_struct *t = umm_get_task(pid);
	char buf[4096], *p;
	unsigned long long ut = 0, st = 0;
	bool ok = false;

	if (!t)
		return false;
	memset(tt, 0, sizeof(*tt));
	tt->pid = pid;
	if (umm_task_show(t, "stat", buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		goto out;
	{
		char *lparen = strchr(buf, '(');
		size_t n = lparen && p > lparen ? (size_t)(p - lparen - 1) : 0;

		if (n)
			memcpy(tt->comm, lparen + 1, n < TASK_COMM_LEN ? n : TASK_COMM_LEN - 1);
	}
	/* fields 3.. after the comm: state, then 11 to utime (14), priority 18, processor 39 */
	if (sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %ld %ld "
		   "%*d %*d %*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*d %d",
		   &tt->state, &ut, &st, &tt->prio, &tt->nice, &tt->cpu) != 6)
		goto out;
	tt->ticks = ut + st;
	if (umm_task_show(t, "schedstat", buf, sizeof(buf)) > 0)
		sscanf(buf, "%llu", &tt->run_ns);
	if (umm_task_show(t, "sched", buf, sizeof(buf)) > 0) {
		if ((p = strstr(buf, "se.vruntime")))
			sscanf(strchr(p, ':') + 1, "%lf", &tt->vruntime_ms);
		if ((p = strstr(buf, "\nnr_switches")))
			sscanf(strchr(p, ':') + 1, "%lld", &tt->switches);
	}
	ok = true;
out:
	umm_put_task(t);
	return ok;
}

/* The processes (group leaders, as top lists them), and who is on each CPU. */
static int *list_pids(struct top_snap *sn, size_t *n)
{
	struct task_struct *p, *t;
	size_t cap = 64;
	int *pids = malloc(cap * sizeof(*pids));

	*n = 0;
	if (!pids)
		return NULL;
	umm_tasklist_read_lock();
	for_each_process(p) {
		if (*n == cap) {
			int *more = realloc(pids, cap * 2 * sizeof(*pids));

			if (!more)
				break;
			pids = more;
			cap *= 2;
		}
		pids[(*n)++] = p->pid;
		for_each_thread(p, t) {
			if (t->cpu < 0 || t->cpu >= (int)sn->nr_cpus)
				continue;
			if (t->on_cpu)
				sn->curr[t->cpu] = t->pid;
			if (t->on_rq)
				sn->queued[t->cpu]++;
		}
	}
	umm_tasklist_read_unlock();
	return pids;
}

static int snapshot(struct top_snap *sn)
{
	size_t n;
	int *pids;

	memset(sn, 0, sizeof(*sn));
	sn->ns = ktime_get_ns();
	sn->nr_cpus = umm_sim_nr_cpus();
	read_stat(sn);
	read_meminfo(sn);
	pids = list_pids(sn, &n);
	if (!pids)
		return -ENOMEM;
	sn->tasks = calloc(n ? n : 1, sizeof(*sn->tasks));
	if (!sn->tasks) {
		free(pids);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		if (read_task(&sn->tasks[sn->nr_tasks], pids[i]))
			sn->nr_tasks++;
	free(pids);
	return 0;
}

/* ---- the load average (kernel/sched/loadavg.c) ---- */

static unsigned long calc_load(unsigned long load, unsigned long exp, unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* calc_load_fold_active() over every CPU: runnable tasks and uninterruptible ones. */
static unsigned long nr_active(void)
{
	struct task_struct *p, *t;
	unsigned long n = 0;

	umm_tasklist_read_lock();
	for_each_process(p)
		for_each_thread(p, t)
			n += (t->on_rq && t->__state == TASK_RUNNING) ||
			     (t->__state & TASK_UNINTERRUPTIBLE);
	umm_tasklist_read_unlock();
	return n;
}

static unsigned long long load_freq_ns(void)
{
	return (5ULL * HZ + 1) * TICK_NSEC;	/* LOAD_FREQ: 5 s and a tick */
}

/* Advance @ns, folding the load average at each LOAD_FREQ boundary on the way. */
static void advance(unsigned long long ns)
{
	unsigned long long now = ktime_get_ns(), end = now + ns;

	if (!next_load_ns)
		next_load_ns = (now / load_freq_ns() + 1) * load_freq_ns();
	while (next_load_ns <= end) {
		unsigned long active;

		umm_sched_run(next_load_ns - ktime_get_ns());
		active = nr_active() * FIXED_1;
		avenrun[0] = calc_load(avenrun[0], EXP_1, active);
		avenrun[1] = calc_load(avenrun[1], EXP_5, active);
		avenrun[2] = calc_load(avenrun[2], EXP_15, active);
		next_load_ns += load_freq_ns();
	}
	if (end > ktime_get_ns())
		umm_sched_run(end - ktime_get_ns());
}

/* ---- printing ---- */

static void print_uptime(FILE *f, unsigned long long ns)
{
	unsigned long long s = ns / 1000000000ULL;
	unsigned long long days = s / 86400, hours = s % 86400 / 3600, mins = s % 3600 / 60;

	/* procps's sprint_uptime(): the time of day, then "up" */
	fprintf(f, "top - %02llu:%02llu:%02llu up ", hours, mins, s % 60);
	if (days)
		fprintf(f, "%llu day%s, ", days, days > 1 ? "s" : "");
	if (hours)
		fprintf(f, "%2llu:%02llu, ", hours, mins);
	else
		fprintf(f, "%llu min, ", mins);
}

#define LOAD_INT(x)	((x) >> FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

static void print_header(FILE *f, const struct top_snap *sn)
{
	unsigned int run = 0, sleep = 0, stop = 0, zombie = 0;
	char policy[16];

	snprintf(policy, sizeof(policy), "%s", umm_sched_policy_name());
	for (char *p = policy; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	print_uptime(f, sn->ns);
	fprintf(f, " %s, HZ=%u,  load average: %lu.%02lu, %lu.%02lu, %lu.%02lu\n", policy, HZ,
		LOAD_INT(avenrun[0]), LOAD_FRAC(avenrun[0]), LOAD_INT(avenrun[1]),
		LOAD_FRAC(avenrun[1]), LOAD_INT(avenrun[2]), LOAD_FRAC(avenrun[2]));
	for (size_t i = 0; i < sn->nr_tasks; i++) {
		switch (sn->tasks[i].state) {
		case 'R': run++; break;
		case 'T': case 't': stop++; break;
		case 'Z': zombie++; break;
		default: sleep++; break;
		}
	}
	fprintf(f, "Tasks: %3zu total, %3u running, %3u sleeping, %3u stopped, %3u zombie\n",
		sn->nr_tasks, run, sleep, stop, zombie);
}

/* One %Cpu line (procps's order: us sy ni id wa hi si st) over the frame. */
static void print_cpu_line(FILE *f, const char *label, const unsigned long long *a,
			   const unsigned long long *b)
{
	static const int order[] = { 0, 2, 1, 3, 4, 5, 6, 7 };
	static const char *const names[] = { "us", "sy", "ni", "id", "wa", "hi", "si", "st" };
	unsigned long long d[STAT_FIELDS], total = 0;

	for (int i = 0; i < 8; i++) {
		d[i] = b[i] >= a[i] ? b[i] - a[i] : 0;
		total += d[i];
	}
	fprintf(f, "%s:", label);
	for (int i = 0; i < 8; i++)
		fprintf(f, "%s%5.1f %s", i ? "," : "",
			total ? 100.0 * (double)d[order[i]] / (double)total : i == 3 ? 100.0 : 0.0,
			names[i]);
}

static const struct top_task *find_task(const struct top_snap *sn, int pid)
{
	for (size_t i = 0; i < sn->nr_tasks; i++)
		if (sn->tasks[i].pid == pid)
			return &sn->tasks[i];
	return NULL;
}

static void print_cpus(FILE *f, const struct top_snap *a, const struct top_snap *b)
{
	unsigned long cache, used;

	print_cpu_line(f, "%Cpu(s)", a->cpu[0], b->cpu[0]);
	fputc('\n', f);
	for (unsigned int cpu = 0; cpu < b->nr_cpus; cpu++) {
		const struct top_task *t = find_task(b, b->curr[cpu]);
		char label[16];

		snprintf(label, sizeof(label), "%%Cpu%-3u", cpu);
		print_cpu_line(f, label, a->cpu[cpu + 1], b->cpu[cpu + 1]);
		if (b->curr[cpu])
			fprintf(f, " | on it: %d %s, %d queued\n", b->curr[cpu], t ? t->comm : "?",
				b->queued[cpu]);
		else
			fprintf(f, " | idle, %d queued\n", b->queued[cpu]);
	}
	/* procps's: buff/cache is Buffers + Cached + SReclaimable, used the rest */
	cache = b->buffers + b->cached + b->sreclaimable;
	used = b->mem_total > b->mem_free + cache ? b->mem_total - b->mem_free - cache : 0;
	fprintf(f, "MiB Mem : %8.1f total, %8.1f free, %8.1f used, %8.1f buff/cache\n",
		(double)b->mem_total / 1024, (double)b->mem_free / 1024, (double)used / 1024,
		(double)cache / 1024);
	fprintf(f, "MiB Swap: %8.1f total, %8.1f free, %8.1f used. %8.1f avail Mem\n", 0.0, 0.0,
		0.0, (double)b->mem_avail / 1024);
}

/* Busiest first, as top sorts by %CPU; then by pid. */
static int cmp_pcpu(const void *x, const void *y)
{
	const struct top_task *a = x, *b = y;

	if (a->pcpu != b->pcpu)
		return a->pcpu < b->pcpu ? 1 : -1;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static void print_tasks(FILE *f, const struct top_snap *a, struct top_snap *b, int rows)
{
	double dt = (double)(b->ns - a->ns);

	for (size_t i = 0; i < b->nr_tasks; i++) {
		struct top_task *t = &b->tasks[i];
		const struct top_task *was = find_task(a, t->pid);
		unsigned long long ran = t->run_ns - (was && was->run_ns <= t->run_ns ? was->run_ns : 0);

		t->pcpu = dt > 0 ? 100.0 * (double)ran / dt : 0;
	}
	qsort(b->tasks, b->nr_tasks, sizeof(*b->tasks), cmp_pcpu);
	fprintf(f, "\n    PID  PR  NI S  %%CPU     TIME+    VRUNTIME  SWITCHES   P COMMAND\n");
	for (size_t i = 0; i < b->nr_tasks && (rows < 0 || (int)i < rows); i++) {
		const struct top_task *t = &b->tasks[i];
		char pr[8];

		/* top prints "rt" for the priority -100 of a SCHED_FIFO/RR 99 */
		if (t->prio == -100)
			snprintf(pr, sizeof(pr), "rt");
		else
			snprintf(pr, sizeof(pr), "%ld", t->prio);
		fprintf(f, "%7d %3s %3ld %c %5.1f %3llu:%02llu.%02llu %11.3f %9lld %3d %s\n", t->pid,
			pr, t->nice, t->state, t->pcpu, t->ticks / USER_HZ / 60,
			t->ticks / USER_HZ % 60, t->ticks % USER_HZ * 100 / USER_HZ,
			t->vruntime_ms, t->switches, t->cpu, t->comm);
	}
}

/* ---- the command ---- */

/* "1", "0.5", "250ms", "10us": seconds unless a unit says otherwise; 0 if bad. */
static unsigned long long parse_delay(const char *text)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "", 1e9 }, { "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 }, { "ns", 1 },
	};
	char *end;
	double v = strtod(text, &end);

	if (end == text || v <= 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].unit) && v * units[i].mult < 1e15 && v * units[i].mult >= 1)
			return (unsigned long long)(v * units[i].mult + 0.5);
	return 0;
}

static int top_usage(const char *why)
{
	fprintf(stderr, "umm: top: %s (usage: umm top [-b] [-n FRAMES] [-d DUR] SCRIPT)\n", why);
	return 2;
}

static int parse_opts(int argc, char **argv, struct top_opts *o)
{
	o->frames = -1;
	o->delay_ns = 1000000000ULL;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		char *end;

		if (a[0] != '-' || !a[1]) {
			if (o->script)
				return top_usage("one scenario at a time");
			o->script = a;
			continue;
		}
		if (!strcmp(a, "-b")) {
			o->batch = true;
			continue;
		}
		if ((a[1] != 'n' && a[1] != 'd') || (!a[2] && i + 1 == argc))
			return a[1] == 'n' || a[1] == 'd' ? top_usage("-n and -d need a value") :
			       (fprintf(stderr, "umm: top: no option '%s' (usage: umm top [-b] "
					"[-n FRAMES] [-d DUR] SCRIPT)\n", a), 2);
		val = a[2] ? a + 2 : argv[++i];
		if (a[1] == 'n') {
			errno = 0;
			o->frames = strtol(val, &end, 10);
			if (errno || *end || end == val || o->frames < 1)
				return top_usage("-n takes a number of frames, 1 or more");
		} else if (!(o->delay_ns = parse_delay(val))) {
			return top_usage("-d takes a duration: seconds (1, 0.5) or 10ms, 100us");
		}
	}
	if (!o->script)
		return top_usage("no scenario given");
	return 0;
}

/* The scenario's stdout while its lines run: hidden, top shows the machine, not the setup. */
static int saved_stdout = -1;

static int hide_stdout(void)
{
	int null;

	fflush(stdout);
	saved_stdout = dup(STDOUT_FILENO);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved_stdout < 0 || null < 0 || dup2(null, STDOUT_FILENO) < 0) {
		fprintf(stderr, "umm: top: %s\n", strerror(errno));
		if (null >= 0)
			close(null);
		if (saved_stdout >= 0)
			close(saved_stdout);
		saved_stdout = -1;
		return -1;
	}
	close(null);
	return 0;
}

static void show_stdout(void)
{
	if (saved_stdout < 0)
		return;
	fflush(stdout);
	dup2(saved_stdout, STDOUT_FILENO);
	close(saved_stdout);
	saved_stdout = -1;
}

static int term_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_row < 12)
		return 24;
	return ws.ws_row;
}

/* The frames, after the scenario's lines, while its processes live. */
static int top_frames(void *arg)
{
	const struct top_opts *o = arg;
	struct top_snap a, b;
	bool tty;

	show_stdout();
	tty = !o->batch && isatty(STDOUT_FILENO);
	memset(avenrun, 0, sizeof(avenrun));
	next_load_ns = 0;
	if (snapshot(&a))
		return 1;
	for (long frame = 0; o->frames < 0 || frame < o->frames; frame++) {
		const struct timespec second = { 1, 0 };

		advance(o->delay_ns);
		if (snapshot(&b)) {
			free(a.tasks);
			return 1;
		}
		if (tty)
			printf("\033[H\033[2J");
		else if (frame)
			putchar('\n');
		print_header(stdout, &b);
		print_cpus(stdout, &a, &b);
		print_tasks(stdout, &a, &b, tty ? term_rows() - (int)b.nr_cpus - 8 : -1);
		fflush(stdout);
		free(a.tasks);
		a = b;
		if (ferror(stdout))
			break;
		if (tty && (o->frames < 0 || frame + 1 < o->frames))
			nanosleep(&second, NULL);
	}
	free(a.tasks);
	return 0;
}

int cmd_top(int argc, char **argv)
{
	struct top_opts o = { 0 };
	int ret = parse_opts(argc, argv, &o);

	if (ret)
		return ret;
	if (hide_stdout())
		return 1;
	ret = umm_script_run_file_then(o.script, top_frames, &o);
	show_stdout();
	return ret;
}
