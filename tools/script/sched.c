// SPDX-License-Identifier: GPL-2.0
/*
 * sched.c - the scheduler in the scenario language: what a process runs
 * (program "..."), its nice, policy, affinity and slice, the simulated
 * clock (advance DUR), and interrupts (irq N, device N every DUR), through
 * the API of include/umm/sched.h, timekeeping.h and interrupt.h.
 *
 * `timeline start` records the schedule from then on, `timeline FILE`
 * draws what was recorded so far (tools/timeline.c), `timeline stop`
 * forgets it; umm run-script --timeline starts one before the first line.
 *
 * Each call prints as strace would print the system call it stands for
 * (setpriority(), sched_setscheduler(), sched_setaffinity(),
 * sched_setattr()); `advance` prints the clock it reaches, dmesg-style.
 *
 * Owns nothing: the tasks are tasks.c's slots.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <umm.h>
#include "../timeline.h"
#include "internal.h"

/* A duration: a number and ns, us, ms or s ("1.5ms"); -1 after an error message. */
static int parse_dur(struct script *s, const char *cmd, const char *text,
		     unsigned long long *ns)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char *end;
	double v = strtod(text, &end);

	for (size_t i = 0; end != text && i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].unit) && v >= 0 && v * units[i].mult < 1e15) {
			*ns = (unsigned long long)(v * units[i].mult + 0.5);
			return 0;
		}
	return serr(s, "%s: '%s' is not a duration (a number with ns, us, ms or s: 10ms)",
		    cmd, text);
}

int cmd_program(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct task_struct *t;
	size_t len;
	char *text = quoted_text(s, c->argv[1], &len);
	int err;

	if (!text)
		return -1;
	if (!(t = need_task(s, "program"))) {
		free(text);
		return -1;
	}
	err = umm_task_program(t, text);
	if (err == -EINVAL && *umm_task_program_error()) {
		serr(s, "program: %s", umm_task_program_error());
		free(text);
		return -1;
	}
	call_prefix(s);
	printf("program ");
	print_cstring((const unsigned char *)text, len);
	print_result(err, false);
	set_ret(s, err);
	free(text);
	return 0;
}

int cmd_nice(struct cmd_ctx *c)
{
	struct task_struct *t;
	long nice;
	int err;

	if (arg_long(c, 1, &nice) || !(t = need_task(c->s, "nice")))
		return -1;
	err = umm_set_user_nice(t, nice);
	call_prefix(c->s);
	printf("setpriority(PRIO_PROCESS, %d, %ld)", t->pid, nice);
	print_result(err, false);
	set_ret(c->s, err);
	return 0;
}

static const struct name_val policy_names[] = {
	{ "SCHED_OTHER", SCHED_OTHER }, { "SCHED_FIFO", SCHED_FIFO }, { "SCHED_RR", SCHED_RR },
	{ "SCHED_BATCH", SCHED_BATCH }, { "SCHED_IDLE", SCHED_IDLE }, { "SCHED_NORMAL", SCHED_OTHER },
	{ NULL, 0 }
};

int cmd_policy(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const struct name_val *nv = NULL;
	char name[32];
	struct task_struct *t;
	long prio = 0;
	int err;

	snprintf(name, sizeof(name), "%s%s", strncasecmp(c->argv[1], "SCHED_", 6) ? "SCHED_" : "",
		 c->argv[1]);
	for (char *p = name; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	for (const struct name_val *p = policy_names; p->name; p++)
		if (!strcmp(p->name, name))
			nv = p;
	if (!nv)
		return serr(s, "policy: no policy '%s' (other, batch, idle, fifo PRIO, rr PRIO)",
			    c->argv[1]);
	if (c->argc == 3 && arg_long(c, 2, &prio))
		return -1;
	if (!(t = need_task(s, "policy")))
		return -1;
	err = umm_sched_setscheduler(t, (int)nv->val, (int)prio);
	call_prefix(s);
	printf("sched_setscheduler(%d, %s, [%ld])", t->pid, nv->val == SCHED_OTHER ?
	       "SCHED_OTHER" : nv->name, prio);
	print_result(err, false);
	set_ret(s, err);
	return 0;
}

/* "0", "0-3", "0,2-3": a CPU set; -1 after an error message. */
static int parse_cpulist(struct script *s, const char *text, cpu_set_t *set)
{
	const char *p = text;

	CPU_ZERO(set);
	while (*p) {
		char *end;
		long a = strtol(p, &end, 10), b;

		if (end == p || a < 0 || a >= CPU_SETSIZE)
			goto bad;
		b = a;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a || b >= CPU_SETSIZE)
				goto bad;
		}
		for (long cpu = a; cpu <= b; cpu++)
			CPU_SET((size_t)cpu, set);
		p = end;
		if (*p == ',')
			p++;
		else if (*p)
			goto bad;
	}
	return 0;
bad:
	return serr(s, "affinity: '%s' is not a CPU list (0, 0-1, 0,2)", text);
}

int cmd_affinity(struct cmd_ctx *c)
{
	struct task_struct *t;
	cpu_set_t set;
	int err;

	if (parse_cpulist(c->s, c->argv[1], &set) || !(t = need_task(c->s, "affinity")))
		return -1;
	err = umm_sched_setaffinity(t, &set);
	call_prefix(c->s);
	printf("sched_setaffinity(%d, %zu, [%s])", t->pid, sizeof(set), c->argv[1]);
	print_result(err, false);
	set_ret(c->s, err);
	return 0;
}

int cmd_slice(struct cmd_ctx *c)
{
	unsigned long long ns;
	struct task_struct *t;
	int err;

	if (parse_dur(c->s, "slice", c->argv[1], &ns) || !(t = need_task(c->s, "slice")))
		return -1;
	err = umm_sched_set_slice(t, ns);
	call_prefix(c->s);
	printf("sched_setattr(%d, {sched_policy=SCHED_OTHER, sched_runtime=%llu}, 0)", t->pid, ns);
	print_result(err, false);
	set_ret(c->s, err);
	return 0;
}

int cmd_advance(struct cmd_ctx *c)
{
	unsigned long long ns, now;

	if (parse_dur(c->s, "advance", c->argv[1], &ns))
		return -1;
	/* busy CPUs cost a step per tick: a bound keeps a typo from running for hours */
	if (ns > 3600ULL * 1000000000ULL)
		return serr(c->s, "advance: %s is more than an hour of simulated time at once",
			    c->argv[1]);
	umm_sched_run(ns);
	now = ktime_get_ns();
	printf("[%5llu.%06llu] advanced %s\n", now / 1000000000ULL, now % 1000000000ULL / 1000,
	       c->argv[1]);
	return 0;
}

int cmd_irq(struct cmd_ctx *c)
{
	unsigned long irq, cpu = 0;
	int err;

	if (arg_ulong(c, 1, &irq) || (c->argc == 3 && arg_ulong(c, 2, &cpu)))
		return -1;
	err = umm_raise_irq((unsigned int)irq, (unsigned int)cpu);
	if (err)
		return serr(c->s, "irq: no line %lu on CPU %lu (lines 0..%d, CPUs 0..%u)", irq, cpu,
			    UMM_NR_IRQS - 1, umm_sim_nr_cpus() - 1);
	set_ret(c->s, err);
	return 0;
}

/* device N every DUR [CPU] | device N off */
int cmd_device(struct cmd_ctx *c)
{
	struct script *s = c->s;
	unsigned long irq, cpu = 0;
	unsigned long long period;
	int err;

	if (arg_ulong(c, 1, &irq))
		return -1;
	if (c->argc == 3 && !strcmp(c->argv[2], "off")) {
		err = umm_irq_device_stop((unsigned int)irq);
	} else {
		if (c->argc < 4 || strcmp(c->argv[2], "every"))
			return serr(s, "device: `device N every DUR [CPU]` or `device N off`");
		if (parse_dur(s, "device", c->argv[3], &period) ||
		    (c->argc == 5 && arg_ulong(c, 4, &cpu)))
			return -1;
		if (!period)
			return serr(s, "device: the period must be above 0");
		err = umm_irq_device((unsigned int)irq, (unsigned int)cpu, period, period);
	}
	if (err)
		return serr(s, "device: no line %lu on CPU %lu (lines 0..%d, CPUs 0..%u)", irq, cpu,
			    UMM_NR_IRQS - 1, umm_sim_nr_cpus() - 1);
	set_ret(s, 0);
	return 0;
}

/* timeline start | timeline stop | timeline [>] FILE */
int cmd_timeline(struct cmd_ctx *c)
{
	static const char usage[] = "usage: timeline start | timeline [>] FILE.svg | timeline stop";
	struct script *s = c->s;
	const char *arg = c->argc > 1 ? c->argv[1] : "";
	char *path;
	int ret;

	if (c->argc == 2 && !strcmp(arg, "start")) {
		ret = timeline_start();
		if (ret)
			return serr(s, "timeline: %s", strerror(-ret));
		printf("timeline: recording from %llu ns\n", (unsigned long long)ktime_get_ns());
		return 0;
	}
	if (c->argc == 2 && !strcmp(arg, "stop")) {
		timeline_stop();
		return 0;
	}
	if (c->argc == 3 && !strcmp(arg, ">"))
		arg = c->argv[2];
	else if (c->argc == 2 && arg[0] == '>' && arg[1])
		arg++;
	else if (c->argc != 2 || arg[0] == '>')
		return serr(s, "%s", usage);
	if (!timeline_recording())
		return serr(s, "timeline: nothing recorded (timeline start first, or "
			    "umm run-script --timeline FILE.svg)");
	path = arg[0] == '"' ? quoted_text(s, arg, &(size_t){ 0 }) : strdup(arg);
	if (!path)
		return arg[0] == '"' ? -1 : serr(s, "out of memory");
	fflush(stdout);
	ret = timeline_write_file(path);
	if (ret < 0) {
		serr(s, "timeline: %s: %s", path, strerror(-ret));
		free(path);
		return -1;
	}
	printf("timeline > %s: %d context switches, %zu events\n", path, ret,
	       umm_sched_trace_count());
	free(path);
	return 0;
}
