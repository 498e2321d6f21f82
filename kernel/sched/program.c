// SPDX-License-Identifier: GPL-2.0
/*
 * program.c - what a simulated task does: a small program of simulated
 * work, parsed by umm_task_program() and run step by step by the
 * scheduler's simulation (kernel/sched/core.c).
 *
 * The language (steps separated by ';' or newlines):
 *   run DUR            compute in user mode for DUR of CPU time
 *   sleep DUR          nanosleep(): an hrtimer DUR from now (with the
 *                      task's timer slack), asleep until it fires
 *   msleep MS          the kernel's msleep(): schedule_timeout_uninterruptible()
 *                      of msecs_to_jiffies(MS) + 1 on the timer wheel, in
 *                      state D: whole ticks, so later than asked
 *   wait-irq N         sleep until line N next raises an interrupt
 *   yield              sched_yield()
 *   loop { ... }       forever
 *   repeat N { ... }   N times (N >= 1)
 *   fork [{ ... }]     fork(); the child goes on after the fork, or runs
 *                      the block and exits 0
 *   exec PATH [ARG..]  execve() (on failure the program goes on)
 *   exit [CODE]        exit()
 *   wait               wait4(-1): reap a child, sleeping until one exits
 *   mmap SIZE          an anonymous private read-write mapping
 *   touch              write-fault every page of the last mapping
 *   munmap             unmap the last mapping
 *   nice N             nice() to N
 * DUR is a number with ns, us, ms or s ("0.5ms"); SIZE a number with an
 * optional K, M or G.  The program's end leaves the task asleep with
 * nothing to do (a fork block's end is exit 0).
 *
 * What things cost: "run" is the CPU time it says, in user mode; every
 * system call (yield, fork, exec, exit, wait, mmap, touch, munmap, nice)
 * costs SYSCALL_NS (1 us) of CPU time in kernel mode, so that ticks
 * falling then count as stime, and so that no loop runs in zero time.
 *
 * Owns: struct prog_code (the parsed program, shared by forked children,
 * reference counted, immutable) and struct task_prog (a task's position
 * in it, its repeat counters, its sleep timer and its wait entry).
 *
 * Locking: a task's task_prog is changed by the simulation (the thread in
 * umm_sched_run(), on the task's CPU) while the task runs, and replaced
 * by umm_task_program() under the task's pi_lock; the sleep timer's
 * function only sets a flag and wakes the task.
 */
#include <errno.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <umm/hrtimer.h>
#include <umm/wait.h>
#include <umm/slab.h>
#include <umm/workqueue.h>
#include <umm/timer.h>
#include "sched.h"
#include "../irq/internal.h"

#define SYSCALL_NS	1000ULL
#define PROG_MAX_OPS	4096
#define PROG_MAX_DEPTH	16

enum prog_opcode {
	OP_RUN, OP_SLEEP, OP_WAIT_IRQ, OP_YIELD, OP_JMP, OP_REPEAT_INIT, OP_REPEAT_NEXT,
	OP_FORK, OP_FORK_BLOCK, OP_EXEC, OP_EXIT, OP_WAIT, OP_MMAP, OP_TOUCH, OP_MUNMAP,
	OP_NICE, OP_END, OP_BLOCK_END, OP_KTHREAD, OP_MSLEEP,
};

struct prog_op {
	enum prog_opcode op;
	int target;		/* jumps: where to; fork blocks: past the block */
	int slot;		/* repeat: its counter */
	long long arg;		/* ns, a count, a size, a code, a line, a nice */
	char **argv;		/* exec: NULL-terminated */
};

struct prog_code {
	int refs;
	int nr_ops, nr_slots;
	struct prog_op *ops;
};

struct task_prog {
	struct prog_code *code;
	struct task_struct *task;
	int pc;
	bool started;		/* the step at pc has begun */
	bool in_kernel;
	bool fired;		/* sleep: the timer went off */
	bool in_block;		/* a fork block's child: its end is exit 0 */
	bool done;		/* past the end: nothing to run */
	uint64_t left;		/* ns of CPU time the step still needs */
	unsigned long irq_seen;
	struct hrtimer timer;
	struct timer_list msleep_timer;	/* msleep(): schedule_timeout() on the wheel */
	unsigned long msleep_until;	/* jiffies */
	struct wait_queue_entry wait;
	struct wait_queue_head *wait_q;	/* the queue wait was prepared on, or NULL */
	unsigned long map_addr, map_len;
	unsigned long slots[];
};

static __thread char prog_error[512];

static void set_state(struct task_struct *p, unsigned int state);

const char *umm_task_program_error(void)
{
	return prog_error;
}

/* ---- the parser ---- */

struct parser {
	const char *s;
	struct prog_op *ops;
	int nr_ops, cap, nr_slots, depth;
	char tok[256];
	bool failed;
};

static void perr(struct parser *ps, const char *fmt, const char *what)
{
	if (!ps->failed)
		snprintf(prog_error, sizeof(prog_error), fmt, what);
	ps->failed = true;
}

/* The next token: a word, or one of { } ; (newlines are ;).  "" at the end. */
static const char *next_token(struct parser *ps)
{
	const char *s = ps->s;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	if (*s == '#')
		while (*s && *s != '\n')
			s++;
	if (*s == '{' || *s == '}' || *s == ';' || *s == '\n') {
		ps->tok[0] = *s == '\n' ? ';' : *s;
		ps->tok[1] = '\0';
		ps->s = s + 1;
		return ps->tok;
	}
	while (*s && !strchr(" \t\r\n{};#", *s) && n < sizeof(ps->tok) - 1)
		ps->tok[n++] = *s++;
	ps->tok[n] = '\0';
	ps->s = s;
	return ps->tok;
}

static const char *peek_token(struct parser *ps, char *buf, size_t size)
{
	const char *save = ps->s;

	snprintf(buf, size, "%s", next_token(ps));
	ps->s = save;
	return buf;
}

static int emit(struct parser *ps, enum prog_opcode op, long long arg)
{
	if (ps->nr_ops >= PROG_MAX_OPS) {
		perr(ps, "the program is too long (%s steps at most)", "4096");
		return -1;
	}
	if (ps->nr_ops == ps->cap) {
		int cap = ps->cap ? ps->cap * 2 : 16;
		struct prog_op *ops = realloc(ps->ops, (size_t)cap * sizeof(*ops));

		if (!ops) {
			perr(ps, "%s", "out of memory");
			return -1;
		}
		ps->ops = ops;
		ps->cap = cap;
	}
	ps->ops[ps->nr_ops] = (struct prog_op){ .op = op, .arg = arg, .target = -1, .slot = -1 };
	return ps->nr_ops++;
}

static bool parse_number(const char *s, double *out, const char **unit)
{
	char *end;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return false;
	*out = strtod(s, &end);
	*unit = end;
	return end != s;
}

static bool parse_duration(const char *s, long long *ns)
{
	static const struct { const char *unit; double mult; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	const char *unit;
	double v;

	if (!parse_number(s, &v, &unit))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(unit, units[i].unit)) {
			double n = v * units[i].mult + 0.5;

			if (n < 1 || n > 1e15)
				return false;
			*ns = (long long)n;
			return true;
		}
	return false;
}

static bool parse_size(const char *s, long long *bytes)
{
	const char *unit;
	double v, mult = 1;

	if (!parse_number(s, &v, &unit))
		return false;
	if (!strcmp(unit, "K") || !strcmp(unit, "k"))
		mult = 1024;
	else if (!strcmp(unit, "M") || !strcmp(unit, "m"))
		mult = 1024 * 1024;
	else if (!strcmp(unit, "G") || !strcmp(unit, "g"))
		mult = 1024.0 * 1024 * 1024;
	else if (*unit)
		return false;
	v *= mult;
	if (v < 1 || v > (double)(1ULL << 46))
		return false;
	*bytes = (long long)v;
	return true;
}

static bool parse_int(const char *s, long long lo, long long hi, long long *out)
{
	char *end;
	long long v;

	if (!*s)
		return false;
	v = strtoll(s, &end, 10);
	if (*end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int parse_steps(struct parser *ps, bool in_block);

/* "{ steps }": the opening brace is next. */
static int parse_block(struct parser *ps, const char *what)
{
	int first = ps->nr_ops;

	if (strcmp(next_token(ps), "{")) {
		perr(ps, "'%s' needs a { block }", what);
		return -1;
	}
	if (++ps->depth > PROG_MAX_DEPTH) {
		perr(ps, "blocks nest deeper than %s", "16");
		return -1;
	}
	if (parse_steps(ps, true) < 0)
		return -1;
	ps->depth--;
	if (ps->nr_ops == first) {
		perr(ps, "an empty block after '%s'", what);
		return -1;
	}
	return 0;
}

static int parse_exec(struct parser *ps, int at)
{
	char **argv = calloc(33, sizeof(*argv));
	char buf[256];
	int n = 0;

	if (!argv) {
		perr(ps, "%s", "out of memory");
		return -1;
	}
	ps->ops[at].argv = argv;
	while (n < 32) {
		const char *t = peek_token(ps, buf, sizeof(buf));

		if (!*t || !strcmp(t, ";") || !strcmp(t, "{") || !strcmp(t, "}"))
			break;
		next_token(ps);
		argv[n] = strdup(t);
		if (!argv[n++]) {
			perr(ps, "%s", "out of memory");
			return -1;
		}
	}
	if (!n) {
		perr(ps, "'%s' needs a path", "exec");
		return -1;
	}
	return 0;
}

static int parse_step(struct parser *ps, const char *cmd)
{
	char word[256], buf[256];
	long long v;
	int at;

	snprintf(word, sizeof(word), "%s", cmd);
	if (!strcmp(word, "msleep")) {
		if (!parse_int(next_token(ps), 1, 3600000, &v)) {
			perr(ps, "'%s' needs milliseconds 1..3600000", word);
			return -1;
		}
		return emit(ps, OP_MSLEEP, v) < 0 ? -1 : 0;
	}
	if (!strcmp(word, "run") || !strcmp(word, "sleep")) {
		if (!parse_duration(next_token(ps), &v)) {
			perr(ps, "'%s' needs a duration such as 3ms (ns, us, ms or s; above 0)", word);
			return -1;
		}
		return emit(ps, word[0] == 'r' ? OP_RUN : OP_SLEEP, v) < 0 ? -1 : 0;
	}
	if (!strcmp(word, "wait-irq")) {
		if (!parse_int(next_token(ps), 0, UMM_NR_IRQS - 1, &v)) {
			perr(ps, "'%s' needs a line number 0..63", word);
			return -1;
		}
		return emit(ps, OP_WAIT_IRQ, v) < 0 ? -1 : 0;
	}
	if (!strcmp(word, "yield") || !strcmp(word, "wait") || !strcmp(word, "touch") ||
	    !strcmp(word, "munmap"))
		return emit(ps, word[0] == 'y' ? OP_YIELD : word[0] == 'w' ? OP_WAIT :
			    word[0] == 't' ? OP_TOUCH : OP_MUNMAP, 0) < 0 ? -1 : 0;
	if (!strcmp(word, "mmap")) {
		if (!parse_size(next_token(ps), &v)) {
			perr(ps, "'%s' needs a size such as 64K", word);
			return -1;
		}
		return emit(ps, OP_MMAP, v) < 0 ? -1 : 0;
	}
	if (!strcmp(word, "nice")) {
		if (!parse_int(next_token(ps), MIN_NICE, MAX_NICE, &v)) {
			perr(ps, "'%s' needs a value -20..19", word);
			return -1;
		}
		return emit(ps, OP_NICE, v) < 0 ? -1 : 0;
	}
	if (!strcmp(word, "exit")) {
		const char *t = peek_token(ps, buf, sizeof(buf));

		v = 0;
		if (*t && strcmp(t, ";") && strcmp(t, "}")) {
			if (!parse_int(next_token(ps), 0, 255, &v)) {
				perr(ps, "'%s' takes a code 0..255", word);
				return -1;
			}
		}
		return emit(ps, OP_EXIT, v) < 0 ? -1 : 0;
	}
	if (!strcmp(word, "exec")) {
		at = emit(ps, OP_EXEC, 0);
		return at < 0 ? -1 : parse_exec(ps, at);
	}
	if (!strcmp(word, "fork")) {
		if (strcmp(peek_token(ps, buf, sizeof(buf)), "{"))
			return emit(ps, OP_FORK, 0) < 0 ? -1 : 0;
		at = emit(ps, OP_FORK_BLOCK, 0);
		if (at < 0 || parse_block(ps, "fork") < 0 || emit(ps, OP_BLOCK_END, 0) < 0)
			return -1;
		ps->ops[at].target = ps->nr_ops;
		return 0;
	}
	if (!strcmp(word, "loop")) {
		int start = ps->nr_ops;

		if (parse_block(ps, "loop") < 0 || (at = emit(ps, OP_JMP, 0)) < 0)
			return -1;
		ps->ops[at].target = start;
		return 0;
	}
	if (!strcmp(word, "repeat")) {
		int init, start, slot = ps->nr_slots++;

		if (!parse_int(next_token(ps), 1, 1000000000, &v)) {
			perr(ps, "'%s' needs a count 1..1000000000", word);
			return -1;
		}
		init = emit(ps, OP_REPEAT_INIT, v);
		if (init < 0)
			return -1;
		ps->ops[init].slot = slot;
		start = ps->nr_ops;
		if (parse_block(ps, "repeat") < 0 || (at = emit(ps, OP_REPEAT_NEXT, 0)) < 0)
			return -1;
		ps->ops[at].slot = slot;
		ps->ops[at].target = start;
		return 0;
	}
	perr(ps, "unknown step '%s' (run, sleep, msleep, wait-irq, yield, loop, repeat, fork, "
	     "exec, exit, wait, mmap, touch, munmap, nice)", word);
	return -1;
}

static int parse_steps(struct parser *ps, bool in_block)
{
	for (;;) {
		const char *t = next_token(ps);

		if (ps->failed)
			return -1;
		if (!*t) {
			if (in_block) {
				perr(ps, "a block is not closed (%s)", "missing '}'");
				return -1;
			}
			return 0;
		}
		if (!strcmp(t, ";"))
			continue;
		if (!strcmp(t, "}")) {
			if (!in_block) {
				perr(ps, "'%s' without a block", "}");
				return -1;
			}
			return 0;
		}
		if (!strcmp(t, "{")) {
			perr(ps, "'%s' without a loop, repeat or fork", "{");
			return -1;
		}
		if (parse_step(ps, t) < 0)
			return -1;
	}
}

static void free_ops(struct prog_op *ops, int n)
{
	for (int i = 0; i < n; i++)
		if (ops[i].argv) {
			for (char **a = ops[i].argv; *a; a++)
				free(*a);
			free(ops[i].argv);
		}
	free(ops);
}

static struct prog_code *prog_parse(const char *text)
{
	struct parser ps = { .s = text };
	struct prog_code *code;

	prog_error[0] = '\0';
	if (parse_steps(&ps, false) < 0 || emit(&ps, OP_END, 0) < 0) {
		free_ops(ps.ops, ps.nr_ops);
		return NULL;
	}
	if (ps.nr_ops == 1) {
		free_ops(ps.ops, ps.nr_ops);
		snprintf(prog_error, sizeof(prog_error), "an empty program");
		return NULL;
	}
	code = calloc(1, sizeof(*code));
	if (!code) {
		free_ops(ps.ops, ps.nr_ops);
		snprintf(prog_error, sizeof(prog_error), "out of memory");
		return NULL;
	}
	code->refs = 1;
	code->ops = ps.ops;
	code->nr_ops = ps.nr_ops;
	code->nr_slots = ps.nr_slots;
	return code;
}

static void code_put(struct prog_code *code)
{
	if (code && !__atomic_sub_fetch(&code->refs, 1, __ATOMIC_ACQ_REL)) {
		free_ops(code->ops, code->nr_ops);
		free(code);
	}
}

/* ---- a task's program ---- */

static enum hrtimer_restart prog_sleep_fired(struct hrtimer *timer)
{
	struct task_prog *prog = container_of(timer, struct task_prog, timer);

	__atomic_store_n(&prog->fired, true, __ATOMIC_RELEASE);
	wake_up_process(prog->task);	/* hrtimer_wakeup() */
	return HRTIMER_NORESTART;
}

/* process_timeout(): the msleep() timer wakes its task. */
static void prog_msleep_timeout(struct timer_list *timer)
{
	struct task_prog *prog = from_timer(prog, timer, msleep_timer);

	wake_up_process(prog->task);
}

static struct task_prog *prog_alloc(struct prog_code *code, struct task_struct *t)
{
	struct task_prog *prog = calloc(1, sizeof(*prog) +
					(size_t)code->nr_slots * sizeof(prog->slots[0]));

	if (!prog)
		return NULL;
	prog->code = code;
	prog->task = t;
	hrtimer_setup(&prog->timer, prog_sleep_fired, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	timer_setup(&prog->msleep_timer, prog_msleep_timeout, 0);
	init_wait_entry(&prog->wait, t);
	return prog;
}

/* Detach what may still point at @prog: its timer and its wait entry. */
static void prog_release(struct task_prog *prog, struct task_struct *t)
{
	if (!prog)
		return;
	hrtimer_cancel(&prog->timer);
	timer_delete_sync(&prog->msleep_timer);
	if (prog->wait_q)	/* asleep in wait or wait-irq: off that queue */
		remove_wait_queue(prog->wait_q, &prog->wait);
	t->wait_irq = -1;
	code_put(prog->code);
	free(prog);
}

void prog_free(struct task_struct *p)
{
	struct task_prog *prog = p->prog, *pending = p->prog_pending;

	p->prog = p->prog_pending = NULL;
	prog_release(prog, p);
	if (pending) {
		code_put(pending->code);
		free(pending);
	}
}

int umm_task_program(struct task_struct *t, const char *program)
{
	struct task_prog *prog, *old;
	struct prog_code *code;

	if (!t || !program || t == &init_task || !sched_is_ready()) {
		snprintf(prog_error, sizeof(prog_error), "no such task");
		return -EINVAL;
	}
	code = prog_parse(program);
	if (!code)
		return -EINVAL;
	prog = prog_alloc(code, t);
	if (!prog) {
		code_put(code);
		snprintf(prog_error, sizeof(prog_error), "out of memory");
		return -ENOMEM;
	}
	read_lock_tasklist();
	if (!pid_alive(t) || (t->flags & PF_EXITING) || t->exit_state) {
		read_unlock_tasklist();
		prog_release(prog, t);
		snprintf(prog_error, sizeof(prog_error), "the task is exiting");
		return -ESRCH;
	}
	if (t->flags & PF_NO_SETAFFINITY) {
		read_unlock_tasklist();
		prog_release(prog, t);
		snprintf(prog_error, sizeof(prog_error),
			 "%s is a per-CPU kernel thread: it runs its own loop", t->comm);
		return -EINVAL;
	}
	/*
	 * The simulation may be running the old program on a CPU now: the
	 * new one waits in prog_pending for it to install (prog_install()).
	 */
	spin_lock(&t->pi_lock);	/* the simulation peeks at it without the lock */
	old = __atomic_exchange_n(&t->prog_pending, prog, __ATOMIC_ACQ_REL);
	spin_unlock(&t->pi_lock);
	read_unlock_tasklist();
	if (old) {			/* never installed: nothing points at it */
		code_put(old->code);
		free(old);
	}
	sched_program_changed(t);
	return 0;
}

/* The simulation's side: @p's pending program replaces its current one. */
void prog_install(struct task_struct *p)
{
	struct task_prog *old, *prog;

	spin_lock(&p->pi_lock);
	prog = __atomic_exchange_n(&p->prog_pending, NULL, __ATOMIC_ACQ_REL);
	old = p->prog;
	if (prog)
		p->prog = prog;
	spin_unlock(&p->pi_lock);
	if (prog)
		prog_release(old, p);
}

/*
 * A per-CPU kernel thread's loop (kernel/kthread.c): [OP_KTHREAD kind,
 * OP_JMP 0], installed at once (the thread is new: nothing runs it yet).
 */
int prog_kthread(struct task_struct *t, enum percpu_kthread_kind kind, int cpu)
{
	struct prog_code *code = calloc(1, sizeof(*code));
	struct prog_op *ops = calloc(2, sizeof(*ops));
	struct task_prog *prog;

	if (!code || !ops) {
		free(code);
		free(ops);
		return -ENOMEM;
	}
	ops[0] = (struct prog_op){ .op = OP_KTHREAD, .arg = kind, .slot = cpu, .target = -1 };
	ops[1] = (struct prog_op){ .op = OP_JMP, .target = 0, .slot = -1 };
	code->refs = 1;
	code->ops = ops;
	code->nr_ops = 2;
	prog = prog_alloc(code, t);
	if (!prog) {
		code_put(code);
		return -ENOMEM;
	}
	spin_lock(&t->pi_lock);
	t->prog = prog;
	spin_unlock(&t->pi_lock);
	return 0;
}

/* One unit of the thread's work; false (and asleep) when there is none. */
static bool prog_do_kthread(struct task_struct *p, const struct prog_op *op)
{
	bool did;

	set_state(p, TASK_INTERRUPTIBLE);	/* before looking: a wake-up is not lost */
	if (op->arg == KT_KWORKER)
		did = workqueue_run_one(op->slot);
	else
		did = ksoftirqd_run((unsigned int)op->slot);
	if (did)
		set_state(p, TASK_RUNNING);
	return did;
}

/* The child of a program's fork: the same code, its own position. */
static int prog_fork_child(struct task_struct *child, const struct task_prog *parent, int pc,
			   bool in_block)
{
	struct prog_code *code = parent->code;
	struct task_prog *prog;

	__atomic_add_fetch(&code->refs, 1, __ATOMIC_RELAXED);
	prog = prog_alloc(code, child);
	if (!prog) {
		code_put(code);
		return -ENOMEM;
	}
	memcpy(prog->slots, parent->slots, (size_t)code->nr_slots * sizeof(prog->slots[0]));
	prog->pc = pc;
	prog->in_block = in_block || parent->in_block;
	prog->map_addr = parent->map_addr;
	prog->map_len = parent->map_len;
	child->prog = prog;
	return 0;
}

/* Something to run: a program not yet at its end, or a new one given. */
bool prog_has_work(const struct task_struct *p)
{
	const struct task_prog *prog = p->prog;

	return (prog && !prog->done) || __atomic_load_n(&p->prog_pending, __ATOMIC_ACQUIRE);
}

uint64_t prog_time_left(const struct task_struct *p)
{
	const struct task_prog *prog = p->prog;

	if (!prog || prog->done)
		return UINT64_MAX;
	return prog->started ? prog->left : 0;
}

void prog_consume(struct task_struct *p, uint64_t ns)
{
	struct task_prog *prog = p->prog;

	if (prog && prog->started)
		prog->left -= min(ns, prog->left);
}

bool prog_in_kernel(const struct task_struct *p)
{
	const struct task_prog *prog = p->prog;

	return prog && prog->started && prog->in_kernel;
}

/* Begin a system call: its effect is done, its cost is next. */
static void prog_syscall(struct task_prog *prog)
{
	prog->started = true;
	prog->in_kernel = true;
	prog->left = SYSCALL_NS;
}

static void set_state(struct task_struct *p, unsigned int state)
{
	spin_lock(&p->pi_lock);
	WRITE_ONCE(p->__state, state);
	spin_unlock(&p->pi_lock);
}

/* fork: a child with the program from @pc on, made runnable. */
static void prog_do_fork(struct task_struct *p, struct task_prog *prog, int child_pc,
			 bool in_block)
{
	long pid = umm_clone(p, SIGCHLD);
	struct task_struct *child;

	if (pid < 0)
		return;
	child = umm_get_task((pid_t)pid);
	if (!child)
		return;
	if (!prog_fork_child(child, prog, child_pc, in_block))
		wake_up_new_task(child);
	umm_put_task(child);
}

static void prog_do_mmap(struct task_struct *p, struct task_prog *prog, unsigned long len,
			 int op)
{
	struct mm_struct *mm = get_task_mm(p);
	long addr;

	if (!mm)
		return;
	if (op == OP_MMAP) {
		addr = umm_mmap(mm, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				-1, 0);
		if (addr >= 0 || addr < -4095) {
			prog->map_addr = (unsigned long)addr;
			prog->map_len = len;
		}
	} else if (op == OP_TOUCH && prog->map_len) {
		umm_touch(mm, prog->map_addr, prog->map_len, 1, NULL);
	} else if (op == OP_MUNMAP && prog->map_len) {
		umm_munmap(mm, prog->map_addr, prog->map_len);
		prog->map_addr = prog->map_len = 0;
	}
	mmput(mm);
}

/* wait4(-1): 1 reaped (or nothing to wait for), 0 asleep until a child exits. */
static int prog_do_wait(struct task_struct *p, struct task_prog *prog)
{
	struct wait_queue_head *wq = &p->signal->wait_chldexit;
	int status;
	long ret;

	prog->wait_q = wq;
	prepare_to_wait(wq, &prog->wait, TASK_INTERRUPTIBLE);
	ret = umm_wait4(p, -1, &status, WNOHANG);
	if (ret != 0) {		/* a child reaped, or none to wait for */
		finish_wait(wq, &prog->wait);
		prog->wait_q = NULL;
		return 1;
	}
	return 0;
}

/* wait-irq: LKD3's loop, one pass per wake-up. 1: the interrupt came. */
static int prog_do_wait_irq(struct task_struct *p, struct task_prog *prog, unsigned int irq)
{
	struct wait_queue_head *wq = irq_wait_queue(irq);

	if (!prog->started) {
		prog->started = true;
		prog->in_kernel = true;
		prog->left = 0;
		prog->irq_seen = irq_events(irq);
	}
	prog->wait_q = wq;
	prepare_to_wait(wq, &prog->wait, TASK_INTERRUPTIBLE);
	if (irq_events(irq) != prog->irq_seen) {
		finish_wait(wq, &prog->wait);
		prog->wait_q = NULL;
		p->wait_irq = -1;
		return 1;
	}
	p->wait_irq = (int)irq;
	return 0;	/* schedule(): the CPU takes the next task */
}

/* sleep: the first pass arms the timer; later passes (wake-ups) check it fired. */
static int prog_do_sleep(struct task_struct *p, struct task_prog *prog, uint64_t ns)
{
	if (!prog->started) {
		uint64_t slack = rt_prio(p->prio) ? 0 : p->timer_slack_ns;

		prog->started = true;
		prog->in_kernel = true;
		prog->left = 0;
		prog->fired = false;
		set_state(p, TASK_INTERRUPTIBLE);
		hrtimer_start_range_ns(&prog->timer, (ktime_t)ns, slack, HRTIMER_MODE_REL);
		return 0;
	}
	if (__atomic_load_n(&prog->fired, __ATOMIC_ACQUIRE))
		return 1;
	set_state(p, TASK_INTERRUPTIBLE);	/* woken early: back to sleep */
	return 0;
}

/*
 * msleep(): timeout = msecs_to_jiffies(ms) + 1, then
 * schedule_timeout_uninterruptible() until jiffies reaches it; each pass
 * arms the timer (if it is not) and sleeps in state D.  1: the time is up.
 */
static int prog_do_msleep(struct task_struct *p, struct task_prog *prog, unsigned int ms)
{
	if (!prog->started) {
		prog->started = true;
		prog->in_kernel = true;
		prog->left = 0;
		prog->msleep_until = jiffies + msecs_to_jiffies(ms) + 1;
	}
	if (time_after_eq(jiffies, prog->msleep_until))
		return 1;
	set_state(p, TASK_UNINTERRUPTIBLE);
	if (!timer_pending(&prog->msleep_timer))
		mod_timer(&prog->msleep_timer, prog->msleep_until);
	return 0;
}

/* The end of the program: asleep with nothing to do; a fork block's child exits. */
static void prog_end(struct task_struct *p, struct task_prog *prog, int op)
{
	if (op == OP_BLOCK_END || prog->in_block) {
		umm_exit(p, 0);
		return;
	}
	spin_lock(&p->pi_lock);		/* try_to_wake_up() reads it there */
	prog->done = true;
	WRITE_ONCE(p->__state, TASK_INTERRUPTIBLE);
	spin_unlock(&p->pi_lock);
}

/*
 * Run @p's program on @rq's CPU (entered, unlocked) until a step
 * consumes time, blocks, or the task exits.  A finished system call's
 * step moves on; an unstarted one takes its effect and starts its cost.
 */
void prog_continue(struct rq *rq, struct task_struct *p)
{
	struct task_prog *prog = p->prog;
	int budget = 4 * PROG_MAX_OPS;

	(void)rq;
	while (prog && !prog->done && budget-- > 0 && !task_exiting(p)) {
		struct prog_op *op = &prog->code->ops[prog->pc];

		if (prog->started && prog->left)
			return;		/* still consuming */
		switch (op->op) {
		case OP_RUN:
			if (!prog->started) {
				prog->started = true;
				prog->in_kernel = false;
				prog->left = (uint64_t)op->arg;
				return;
			}
			break;
		case OP_SLEEP:
			if (!prog_do_sleep(p, prog, (uint64_t)op->arg))
				return;
			break;
		case OP_WAIT_IRQ:
			if (!prog_do_wait_irq(p, prog, (unsigned int)op->arg))
				return;
			break;
		case OP_MSLEEP:
			if (!prog_do_msleep(p, prog, (unsigned int)op->arg))
				return;
			break;
		case OP_JMP:
			prog->pc = op->target;
			continue;
		case OP_REPEAT_INIT:
			prog->slots[op->slot] = (unsigned long)op->arg;
			prog->pc++;
			continue;
		case OP_REPEAT_NEXT:
			prog->pc = --prog->slots[op->slot] ? op->target : prog->pc + 1;
			continue;
		case OP_END:
		case OP_BLOCK_END:
			prog_end(p, prog, op->op);
			return;
		case OP_KTHREAD:
			if (!prog->started) {
				if (!prog_do_kthread(p, op))
					return;	/* nothing to do: it sleeps */
				prog->started = true;
				prog->in_kernel = true;
				prog->left = op->arg == KT_KWORKER ? WORK_ITEM_NS : SYSCALL_NS;
				return;
			}
			break;
		default:	/* a system call: effect, then its cost */
			if (!prog->started) {
				switch (op->op) {
				case OP_YIELD:
					break;	/* sched_yield() happens at the end of its cost */
				case OP_FORK:
					prog_do_fork(p, prog, prog->pc + 1, false);
					break;
				case OP_FORK_BLOCK:
					prog_do_fork(p, prog, prog->pc + 1, true);
					break;
				case OP_EXEC:
					umm_execve(p, op->argv[0], op->argv, (char *[]){ NULL });
					break;
				case OP_EXIT:
					umm_exit(p, (int)op->arg);
					return;
				case OP_WAIT:
					if (!prog_do_wait(p, prog))
						return;	/* asleep until a child exits */
					break;
				case OP_NICE:
					umm_set_user_nice(p, op->arg);
					break;
				default:
					prog_do_mmap(p, prog, (unsigned long)op->arg, (int)op->op);
					break;
				}
				prog_syscall(prog);
				return;
			}
			if (op->op == OP_YIELD)
				do_sched_yield(p);
			break;
		}
		/* the step at pc is over */
		prog->started = false;
		prog->in_kernel = false;
		prog->pc = op->op == OP_FORK_BLOCK ? op->target : prog->pc + 1;
		if (op->op == OP_YIELD)
			return;		/* the CPU reschedules */
	}
}

