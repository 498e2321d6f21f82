// SPDX-License-Identifier: GPL-2.0
/*
 * tasks.c - processes in the scenario language: fork, clone, exec PATH,
 * exit N, wait, prctl, ps and pstree, `use PID` and the "PID:" prefix,
 * through the process API of include/umm/sched.h (umm_clone(),
 * umm_execve(), umm_exit(), umm_wait4(), umm_prctl(), umm_task_show());
 * session.c's setrlimit and reports.c's /proc/PID files act on the same
 * slots.
 *
 * Owns: the process slots of struct script (cur_task, line_task) and the
 * list of the pids the script made (s->tasks[]), which its end exits and
 * reaps, so that a session leaves no process behind; init's rlimits are
 * fixed when a script starts (tasks_begin()), so that exec lays out the
 * same on every host.
 *
 * Invariants: a process slot names its task by pid, never by pointer: a
 * task may be reaped by any wait, and its pid says so (umm_find_task()
 * is NULL; the slot is then `gone`).  refresh_tasks() runs before every
 * line and after every process command, so a slot's mm is the task's mm
 * of now (exec replaces it, exit drops it).
 *
 * Nothing here sleeps: the script is one thread, and a wait4() that
 * would sleep forever (children alive, none exited) is an error of the
 * line instead; WNOHANG asks for the kernel's 0.
 *
 * Locking: the task list is read under umm_tasklist_read_lock() (ps,
 * pstree, slots); the umm_* calls take what they need.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <limits.h>
#include <sys/wait.h>
#include <umm/sched.h>
#include "internal.h"

/* clone(2)'s flags by name (include/uapi/linux/sched.h). */
const struct name_val clone_names[] = {
	{ "CLONE_VM", CLONE_VM }, { "CLONE_FS", CLONE_FS }, { "CLONE_FILES", CLONE_FILES },
	{ "CLONE_SIGHAND", CLONE_SIGHAND }, { "CLONE_PIDFD", CLONE_PIDFD },
	{ "CLONE_PTRACE", CLONE_PTRACE }, { "CLONE_VFORK", CLONE_VFORK },
	{ "CLONE_PARENT", CLONE_PARENT }, { "CLONE_THREAD", CLONE_THREAD },
	{ "CLONE_NEWNS", CLONE_NEWNS }, { "CLONE_SYSVSEM", CLONE_SYSVSEM },
	{ "CLONE_SETTLS", CLONE_SETTLS }, { "CLONE_PARENT_SETTID", CLONE_PARENT_SETTID },
	{ "CLONE_CHILD_CLEARTID", CLONE_CHILD_CLEARTID }, { "CLONE_DETACHED", CLONE_DETACHED },
	{ "CLONE_UNTRACED", CLONE_UNTRACED }, { "CLONE_CHILD_SETTID", CLONE_CHILD_SETTID },
	{ NULL, 0 }
};

/* The signals a child may send its parent at exit (the low byte of the flags). */
static const struct name_val exit_signal_names[] = {
	{ "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT },
	{ "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGUSR2", SIGUSR2 },
	{ "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM },
	{ "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP },
	{ "SIGIO", SIGIO }, { NULL, 0 }
};

/* wait4()'s options. */
static const struct name_val wait_names[] = {
	{ "WNOHANG", WNOHANG }, { "WUNTRACED", WUNTRACED }, { "WCONTINUED", WCONTINUED },
	{ "__WNOTHREAD", (long)__WNOTHREAD }, { "__WALL", (long)__WALL },
	{ "__WCLONE", (long)(unsigned int)__WCLONE }, { NULL, 0 }
};

/* The environment every `exec` passes: fixed, so that stacks do not vary. */
static char *const exec_envp[] = { "HOME=/", "PATH=/usr/local/bin:/usr/bin:/bin", NULL };

/* ---- process slots ---- */

int task_slot(struct script *s, struct mm_slot *slot, pid_t pid)
{
	struct task_struct *t;

	if (pid <= 0)
		return serr(s, "no process %d (pids start at 1; ps lists them)", pid);
	umm_tasklist_read_lock();
	t = umm_find_task(pid);
	if (t)
		slot->mm = t->mm;
	umm_tasklist_read_unlock();
	if (!t)
		return serr(s, "no process %d (ps lists them)", pid);
	snprintf(slot->name, sizeof(slot->name), "%d", pid);
	slot->pid = pid;
	slot->gone = false;
	return 0;
}

static void refresh_slot(struct mm_slot *slot)
{
	struct task_struct *t;

	umm_tasklist_read_lock();
	t = umm_find_task(slot->pid);
	slot->mm = t ? t->mm : NULL;
	slot->gone = !t;
	umm_tasklist_read_unlock();
}

void refresh_tasks(struct script *s)
{
	if (s->cur == &s->cur_task)
		refresh_slot(&s->cur_task);
	if (s->line_mm == &s->line_task)
		refresh_slot(&s->line_task);
}

/* A pid the line names: a number or an expression (a variable that holds one). */
static int eval_pid(struct script *s, const char *text, pid_t *pid)
{
	val_t v;

	if (eval_in(s, text, INT_MIN, INT_MAX, "the pid", &v))
		return -1;
	*pid = (pid_t)v;
	return 0;
}

/* PID: COMMAND runs one line on process PID. */
int line_pid_prefix(struct script *s, const char *word)
{
	pid_t pid;

	if (eval_pid(s, word, &pid) || task_slot(s, &s->line_task, pid))
		return -1;
	s->line_mm = &s->line_task;
	return 0;
}

/* use NAME | use PID */
int cmd_use(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const char *arg = c->argv[1];
	pid_t pid;

	if (find_mm(s, arg) || !(isdigit((unsigned char)*arg) || is_value_name(s, arg)))
		return mm_use(s, arg);
	if (eval_pid(s, arg, &pid) || task_slot(s, &s->cur_task, pid))
		return -1;
	s->cur = s->line_mm = &s->cur_task;
	return 0;
}

/* The process the line acts on, alive: NULL after an error message. */
struct task_struct *need_task(struct script *s, const char *cmd)
{
	struct mm_slot *slot = s->line_mm;
	struct task_struct *t;

	if (!slot || !slot->pid) {
		serr(s, "%s: no process here (`use 1` makes init current, `PID: %s ...` runs "
		     "one line on a process)", cmd, cmd);
		return NULL;
	}
	t = umm_find_task(slot->pid);
	if (!t) {
		serr(s, "%s: no process %d any more (it was reaped)", cmd, slot->pid);
		return NULL;
	}
	if (t->exit_state || (t->flags & PF_EXITING)) {
		serr(s, "%s: process %d has exited (a zombie until its parent waits for it)",
		     cmd, slot->pid);
		return NULL;
	}
	if (t->flags & PF_KTHREAD) {
		serr(s, "%s: %d is a kernel thread (%s): it makes no system calls", cmd,
		     slot->pid, t->comm);
		return NULL;
	}
	return t;
}

/*
 * The limits a scenario's processes run under, whatever the host's are:
 * init's, which every fork copies (RLIMIT_STACK places mmap_base and the
 * stack at exec).  As for `mm NAME`: stack and memlock 8 MiB, data and as
 * unlimited; a hard limit the host set lower stays, and caps them.
 */
void tasks_begin(void)
{
	static const struct { int res; rlim_t cur; } fixed[] = {
		{ RLIMIT_STACK, 8UL << 20 }, { RLIMIT_MEMLOCK, 8UL << 20 },
		{ RLIMIT_DATA, RLIM_INFINITY }, { RLIMIT_AS, RLIM_INFINITY },
	};
	struct task_struct *init = umm_init_task();

	for (size_t i = 0; init && i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		struct rlimit rl;

		if (umm_getrlimit(init, fixed[i].res, &rl))
			continue;
		rl.rlim_cur = fixed[i].cur < rl.rlim_max ? fixed[i].cur : rl.rlim_max;
		umm_setrlimit(init, fixed[i].res, &rl);
	}
}

/* Note a child the script made, to end it with the script. */
static int remember_task(struct script *s, pid_t pid)
{
	int n = 0;

	for (int i = 0; i < s->nr_tasks; i++)
		if (umm_find_task(s->tasks[i]))
			s->tasks[n++] = s->tasks[i];
	s->nr_tasks = n;
	if (n == MAX_TASKS)
		return -1;
	s->tasks[s->nr_tasks++] = pid;
	return 0;
}

/*
 * The script's end: every process it made exits, and init reaps them
 * (exit reparents each orphan to it), so that the next session, or the
 * shell's next script, starts from the boot's tasks.
 */
void tasks_end(struct script *s)
{
	struct task_struct *init = umm_init_task();
	int status;

	for (int i = s->nr_tasks - 1; i >= 0; i--) {
		struct task_struct *t = umm_get_task(s->tasks[i]);

		if (t) {
			/* a thread of init's ends alone: init's group does not exit */
			if (t->exit_state || (t->flags & (PF_EXITING | PF_KTHREAD)))
				;
			else if (t->tgid == 1)
				umm_exit(t, 0);
			else
				umm_exit_group(t, 0);
			umm_put_task(t);
		}
	}
	s->nr_tasks = 0;
	while (init && umm_wait4(init, -1, &status, WNOHANG | __WALL) > 0)
		;
	s->cur = s->cur == &s->cur_task ? NULL : s->cur;
}

/* ---- fork, clone ---- */

/* The names of @flags, clone(2)'s flags then the exit signal, as strace prints them. */
static void print_clone_flags(unsigned long flags)
{
	const char *sig = name_of(exit_signal_names, (long)(flags & CSIGNAL));
	bool any = false;

	for (const struct name_val *nv = clone_names; nv->name; nv++) {
		if (flags & (unsigned long)nv->val) {
			printf("%s%s", any ? "|" : "", nv->name);
			flags &= ~(unsigned long)nv->val;
			any = true;
		}
	}
	if (flags & ~CSIGNAL) {
		printf("%s%#lx", any ? "|" : "", flags & ~CSIGNAL);
		any = true;
	}
	if (flags & CSIGNAL) {
		if (sig)
			printf("%s%s", any ? "|" : "", sig);
		else
			printf("%s%lu", any ? "|" : "", flags & CSIGNAL);
		any = true;
	}
	if (!any)
		printf("0");
}

static int do_clone(struct script *s, struct task_struct *parent, unsigned long flags,
		    bool fork)
{
	long ret;

	if (s->nr_tasks == MAX_TASKS && remember_task(s, 0) < 0)
		return serr(s, "too many processes for one script (at most %d)", MAX_TASKS);
	ret = umm_clone(parent, flags);
	call_prefix(s);
	if (fork) {
		printf("fork()");
	} else {
		printf("clone(child_stack=NULL, flags=");
		print_clone_flags(flags);
		printf(")");
	}
	print_result(ret, false);
	if (ret > 0)
		remember_task(s, (pid_t)ret);
	set_ret(s, ret);
	refresh_tasks(s);
	return 0;
}

/* fork: the line's process forks (its value is the child's pid); fork CHILD [= PARENT]: an mm. */
int cmd_fork(struct cmd_ctx *c)
{
	struct task_struct *t;

	if (c->argc > 1)
		return cmd_mm_fork(c);
	if (!(t = need_task(c->s, "fork")))
		return -1;
	return do_clone(c->s, t, SIGCHLD, true);
}

/* FLAGS: clone flags and at most one exit signal, joined by '|' or ','. */
static int parse_clone_flags(struct script *s, const char *text, unsigned long *out)
{
	char buf[256], *next = buf;
	unsigned long flags = 0;
	bool have_sig = false;

	if (strlen(text) >= sizeof(buf))
		return serr(s, "clone: the flags are too long");
	strcpy(buf, text);
	while (next) {
		char name[sizeof(buf) + 8], *item = next, *p;
		const struct name_val *nv;
		long sig = 0;

		p = item + strcspn(item, ",|");
		next = *p ? p + 1 : NULL;
		*p = '\0';
		if (!*item)
			return serr(s, "clone: an empty flag in '%s'", text);
		/* a clone flag, with or without its prefix, else a signal */
		snprintf(name, sizeof(name), "%s%s", strncasecmp(item, "CLONE_", 6) ? "CLONE_" :
			 "", item);
		for (p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if ((nv = lookup(clone_names, name))) {
			flags |= (unsigned long)nv->val;
			continue;
		}
		snprintf(name, sizeof(name), "%s", item);
		for (p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		if ((nv = lookup(exit_signal_names, name))) {
			sig = nv->val;
		} else if (isdigit((unsigned char)*item)) {
			val_t v;

			if (eval_in(s, item, 0, UINT_MAX, "the flags", &v))
				return -1;
			if ((unsigned long)v & ~CSIGNAL) {
				flags |= (unsigned long)v;
				continue;
			}
			sig = (long)v;
		} else {
			return serr(s, "clone: unknown flag '%s' (CLONE_VM, CLONE_FS, CLONE_FILES, "
				    "CLONE_SIGHAND, CLONE_THREAD, CLONE_VFORK, CLONE_PARENT, ... and an "
				    "exit signal such as SIGCHLD)", item);
		}
		if (have_sig)
			return serr(s, "clone: two exit signals in '%s' (the low byte holds one)",
				    text);
		have_sig = true;
		flags |= (unsigned long)sig;
	}
	*out = flags;
	return 0;
}

/* clone FLAGS: the line's process clones; the value is the child's pid (or tid). */
int cmd_clone(struct cmd_ctx *c)
{
	struct task_struct *t;
	unsigned long flags;

	if (parse_clone_flags(c->s, c->argv[1], &flags))
		return -1;
	if (!(t = need_task(c->s, "clone")))
		return -1;
	return do_clone(c->s, t, flags, false);
}

/* ---- exec ---- */

static void print_argv(char *const argv[])
{
	putchar('[');
	for (int i = 0; argv[i]; i++) {
		if (i)
			printf(", ");
		print_cstring((const unsigned char *)argv[i], strlen(argv[i]));
	}
	putchar(']');
}

/* exec PATH [ARG...]: the line's process execs PATH, argv[0] = PATH; exec: an mm's stack. */
int cmd_exec(struct cmd_ctx *c)
{
	struct script *s = c->s;
	char *argv[MAX_TOKENS + 1];
	struct task_struct *t;
	int argc = 0, err = 0, nenv = 0;
	long ret;

	if (c->argc == 1) {
		if (s->line_mm && s->line_mm->pid)
			return serr(s, "exec: which program? (usage: exec PATH [ARG...]; exec "
				    "alone is for an mm of the script's)");
		return cmd_mm_exec(c);
	}
	if (!(t = need_task(s, "exec")))
		return -1;
	for (int i = 1; i < c->argc && !err; i++) {
		size_t len;

		argv[argc] = quoted(c->argv[i]) ? quoted_text(s, c->argv[i], &len) :
			     strdup(c->argv[i]);
		if (!argv[argc])
			err = c->argv[i][0] == '"' ? -1 : serr(s, "out of memory");
		else
			argc++;
	}
	argv[argc] = NULL;
	if (!err) {
		ret = umm_execve(t, argv[0], argv, exec_envp);
		while (exec_envp[nenv])
			nenv++;
		call_prefix(s);
		printf("execve(");
		print_cstring((const unsigned char *)argv[0], strlen(argv[0]));
		printf(", ");
		print_argv(argv);
		printf(", [/* %d vars */])", nenv);
		print_result(ret, false);
		set_ret(s, ret);
		refresh_tasks(s);
	}
	while (argc)
		free(argv[--argc]);
	return err;
}

/* ---- exit, wait ---- */

/* exit [N]: the line's process (one thread: exit(2)) exits with N; exit [NAME]: an mm. */
int cmd_exit(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct task_struct *t;
	long code = 0;

	if ((c->argc == 2 && find_mm(s, c->argv[1])) || !s->line_mm || !s->line_mm->pid)
		return cmd_mm_exit(c);
	if (!(t = need_task(s, "exit")))
		return -1;
	if (c->argc == 2 && eval(s, c->argv[1], &code))
		return -1;
	if (code < INT_MIN || code > INT_MAX)
		return serr(s, "exit: the status is an int (-2^31 to 2^31-1)");
	if (t->tgid == 1 && t->signal->live == 1)
		return serr(s, "exit: refusing to end init (pid 1): the kernel would panic "
			    "(\"Attempted to kill init!\")");
	umm_exit(t, (int)code);
	call_prefix(s);
	printf("exit(%ld) = ?\n", code);
	call_prefix(s);
	printf("+++ exited with %ld +++\n", code & 0xff);
	refresh_tasks(s);
	return 0;
}

/* A wait status as strace decodes it: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
static void print_wstatus(int status)
{
	if (WIFEXITED(status)) {
		printf("[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(status));

		if (abbrev)
			printf("[{WIFSIGNALED(s) && WTERMSIG(s) == SIG%s%s}]", abbrev,
			       WCOREDUMP(status) ? " && WCOREDUMP(s)" : "");
		else
			printf("[{WIFSIGNALED(s) && WTERMSIG(s) == %d%s}]", WTERMSIG(status),
			       WCOREDUMP(status) ? " && WCOREDUMP(s)" : "");
	} else {
		printf("[%#x]", status);
	}
}

/* wait [PID] [OPTIONS]: the line's process reaps a child; the value is its pid. */
int cmd_wait(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct task_struct *t;
	bool have_pid = false;
	int options = 0, status = 0;
	pid_t pid = -1;
	long ret;

	for (int i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];
		const struct name_val *nv = NULL;
		char name[NAME_LEN + 8];

		if (isalpha((unsigned char)*w) || *w == '_') {
			snprintf(name, sizeof(name), "%s", w);
			for (char *p = name; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			nv = lookup(wait_names, name);
		}
		if (nv) {
			options |= (int)nv->val;
		} else if (!have_pid && (!isalpha((unsigned char)*w) || is_value_name(s, w))) {
			if (eval_pid(s, w, &pid))
				return -1;
			have_pid = true;
		} else {
			return serr(s, "wait: '%s' is no pid and no option (WNOHANG, __WALL, "
				    "__WCLONE, __WNOTHREAD)", w);
		}
	}
	if (!(t = need_task(s, "wait")))
		return -1;
	ret = umm_wait4(t, pid, &status, options | WNOHANG);
	if (!ret && !(options & WNOHANG))
		return serr(s, "wait: no child %s has exited yet, and wait4() would sleep until "
			    "one does (exit it first, or add WNOHANG)", have_pid && pid > 0 ?
			    "of that pid" : "of this process");
	call_prefix(s);
	printf("wait4(%d, ", pid);
	if (ret > 0)
		print_wstatus(status);
	else
		printf("&wstatus");
	printf(", ");
	print_bits((long)(unsigned int)options, wait_names, "0");
	printf(", NULL)");
	if (ret > 0) {
		printf(" = %ld   # status 0x%04x\n", ret, status);
		s->wstatus = status;
	} else {
		print_result(ret, false);
	}
	set_ret(s, ret);
	refresh_tasks(s);
	return 0;
}

/* ---- prctl ---- */

static const struct name_val prctl_names[] = {
	{ "PR_SET_NAME", PR_SET_NAME }, { "PR_GET_NAME", PR_GET_NAME },
	{ "PR_SET_CHILD_SUBREAPER", PR_SET_CHILD_SUBREAPER },
	{ "PR_GET_CHILD_SUBREAPER", PR_GET_CHILD_SUBREAPER }, { NULL, 0 }
};

/*
 * prctl OPTION [ARG]: PR_SET_CHILD_SUBREAPER 0|1 (orphans below go to the
 * nearest subreaper, not init), PR_GET_CHILD_SUBREAPER, PR_SET_NAME
 * "comm", PR_GET_NAME, as strace prints them.
 */
int cmd_prctl(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const struct name_val *nv;
	char name[NAME_LEN + 8], comm[TASK_COMM_LEN + 1] = "", *text = NULL;
	struct task_struct *t;
	int get = 0, err;
	long arg = 0;

	snprintf(name, sizeof(name), "%s%s", strncasecmp(c->argv[1], "PR_", 3) ? "PR_" : "",
		 c->argv[1]);
	for (char *p = name; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	nv = lookup(prctl_names, name);
	if (!nv)
		return serr(s, "prctl: no option '%s' here (PR_SET_CHILD_SUBREAPER, "
			    "PR_GET_CHILD_SUBREAPER, PR_SET_NAME, PR_GET_NAME)", c->argv[1]);
	if ((nv->val == PR_SET_NAME || nv->val == PR_SET_CHILD_SUBREAPER) != (c->argc == 3))
		return serr(s, "prctl %s %s", nv->name, nv->val == PR_SET_NAME ? "takes \"NAME\"" :
			    nv->val == PR_SET_CHILD_SUBREAPER ? "takes 0 or 1" : "takes nothing more");
	if (nv->val == PR_SET_NAME) {
		size_t len;

		if (!(text = quoted_text(s, c->argv[2], &len)))
			return -1;
	} else if (c->argc == 3 && eval(s, c->argv[2], &arg)) {
		return -1;
	}
	if (!(t = need_task(s, "prctl"))) {
		free(text);
		return -1;
	}
	if (nv->val == PR_SET_NAME)
		err = umm_prctl(t, PR_SET_NAME, (unsigned long)text);
	else if (nv->val == PR_GET_NAME)
		err = umm_prctl(t, PR_GET_NAME, (unsigned long)comm);
	else if (nv->val == PR_GET_CHILD_SUBREAPER)
		err = umm_prctl(t, PR_GET_CHILD_SUBREAPER, (unsigned long)&get);
	else
		err = umm_prctl(t, PR_SET_CHILD_SUBREAPER, (unsigned long)arg);
	call_prefix(s);
	printf("prctl(%s", nv->name);
	if (text) {
		printf(", ");
		print_cstring((const unsigned char *)text, strlen(text));
	} else if (nv->val == PR_GET_NAME) {
		printf(", ");
		print_cstring((const unsigned char *)comm, strnlen(comm, TASK_COMM_LEN));
	} else if (nv->val == PR_GET_CHILD_SUBREAPER) {
		printf(", [%d]", get);
	} else {
		printf(", %ld", arg);
	}
	printf(")");
	print_result(err, false);
	set_ret(s, err);
	free(text);
	return 0;
}

/* ---- ps, pstree ---- */

struct tid {
	pid_t tgid, pid;
};

/* Every process (with @threads, every thread): its tgid and pid. */
static struct tid *list_pids(bool threads, int *n)
{
	struct task_struct *p, *th;
	struct tid *pids = NULL;
	int cap = 0;

	*n = 0;
	umm_tasklist_read_lock();
	for_each_process(p) {
		for_each_thread(p, th) {
			if (!threads && th != p)
				continue;
			if (*n == cap) {
				struct tid *more = realloc(pids, (size_t)(cap ? cap * 2 : 64) *
							   sizeof(*pids));

				if (!more)
					break;
				pids = more;
				cap = cap ? cap * 2 : 64;
			}
			pids[(*n)++] = (struct tid){ th->tgid, th->pid };
		}
	}
	umm_tasklist_read_unlock();
	return pids;
}

/* struct tree_node by pid; struct tid by tgid, then pid (ps -L's order). */
static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

static int cmp_tid(const void *a, const void *b)
{
	const struct tid *x = a, *y = b;

	return x->tgid != y->tgid ? x->tgid - y->tgid : x->pid - y->pid;
}

/* A task's /proc file into @t (binary ones as they are): 0, or -errno. */
ssize_t task_file(struct script *s, pid_t pid, const char *file, struct text *t)
{
	struct task_struct *task = umm_get_task(pid);
	ssize_t len;

	(void)s;
	t->buf = NULL;
	t->len = 0;
	if (!task)
		return -ESRCH;
	len = umm_task_show(task, file, NULL, 0);
	if (len >= 0) {
		t->buf = malloc((size_t)len + 1);
		if (!t->buf)
			len = -ENOMEM;
		else
			len = umm_task_show(task, file, t->buf, (size_t)len + 1);
	}
	umm_put_task(task);
	if (len < 0) {
		free(t->buf);
		t->buf = NULL;
		return len;
	}
	t->len = (size_t)len;
	t->buf[t->len] = '\0';
	return 0;
}

/* What ps shows of one task, from its /proc/PID/stat and cmdline. */
struct ps_row {
	pid_t pid, tgid, ppid;
	char state;
	char comm[TASK_COMM_LEN + 2];
	long nlwp;
	unsigned long vsize, rss;
	char args[160];
};

static int ps_row(struct script *s, pid_t pid, struct ps_row *r)
{
	struct text stat, cmdline;
	struct task_struct *t;
	char *close;
	int n = 0;

	memset(r, 0, sizeof(*r));
	if (task_file(s, pid, "stat", &stat))
		return -1;
	close = strrchr(stat.buf, ')');
	if (!close || sscanf(stat.buf, "%d (", &r->pid) != 1) {
		free(stat.buf);
		return -1;
	}
	snprintf(r->comm, sizeof(r->comm), "%.*s", (int)(close - strchr(stat.buf, '(') - 1),
		 strchr(stat.buf, '(') + 1);
	/* fields 3.. of proc(5): state ppid ... num_threads (20) ... vsize rss */
	if (sscanf(close + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
		   "%*d %*d %ld %*d %*u %lu %lu%n", &r->state, &r->ppid, &r->nlwp, &r->vsize,
		   &r->rss, &n) < 5)
		n = 0;
	free(stat.buf);
	if (!n)
		return -1;
	t = umm_get_task(pid);
	r->tgid = t ? t->tgid : pid;
	umm_put_task(t);
	if (!task_file(s, pid, "cmdline", &cmdline)) {
		size_t len = min(cmdline.len, sizeof(r->args) - 1);

		for (size_t i = 0; i < len; i++)
			r->args[i] = cmdline.buf[i] ? cmdline.buf[i] : ' ';
		while (len && r->args[len - 1] == ' ')
			len--;
		r->args[len] = '\0';
		free(cmdline.buf);
	}
	/* ps: no arguments (a kernel thread, a zombie): [comm] */
	if (!r->args[0])
		snprintf(r->args, sizeof(r->args), "[%s]%s", r->comm,
			 r->state == 'Z' ? " <defunct>" : "");
	return 0;
}

/* ps [-L]: every process (-L: every thread), as ps -e -o pid,ppid,nlwp,stat,vsz,rss,args. */
int cmd_ps(struct cmd_ctx *c)
{
	bool threads = c->argc == 2;
	struct tid *pids;
	int n;

	if (threads && strcmp(c->argv[1], "-L"))
		return serr(c->s, "ps: no option '%s' (ps -L lists the threads too)", c->argv[1]);
	pids = list_pids(threads, &n);
	if (pids)
		qsort(pids, (size_t)n, sizeof(*pids), cmp_tid);
	printf("$ ps -e%s -o pid,%sppid,nlwp,stat,vsz,rss,args\n", threads ? "L" : "",
	       threads ? "lwp," : "");
	printf("    PID%s    PPID NLWP STAT    VSZ   RSS COMMAND\n", threads ? "     LWP" : "");
	for (int i = 0; i < n; i++) {
		struct ps_row r;

		if (ps_row(c->s, pids[i].pid, &r))
			continue;
		printf("%7d", r.tgid);
		if (threads)
			printf(" %7d", r.pid);
		printf(" %7d %4ld %-4c %6lu %5lu %s\n", r.ppid, r.nlwp, r.state, r.vsize >> 10,
		       r.rss * (PAGE_SIZE >> 10), r.args);
	}
	free(pids);
	return 0;
}

/* One node of pstree: a process, or a thread ({comm}) shown below its leader. */
struct tree_node {
	pid_t pid;
	char label[TASK_COMM_LEN + 16];
};

static int add_node(struct tree_node **kids, int *n, int *cap, const struct task_struct *t,
		    bool thread)
{
	if (*n == *cap) {
		struct tree_node *more = realloc(*kids, (size_t)(*cap + 16) * sizeof(**kids));

		if (!more)
			return -ENOMEM;
		*kids = more;
		*cap += 16;
	}
	(*kids)[*n].pid = t->pid;
	snprintf((*kids)[*n].label, sizeof((*kids)[*n].label), thread ? "{%s}(%d)" : "%s(%d)",
		 t->comm, t->pid);
	(*n)++;
	return 0;
}

/*
 * Below process @p: its other threads ({comm}(tid)) and the children of
 * every thread of its group, by pid, as pstree -n -p; tasklist_lock held.
 */
static struct tree_node *tree_children(struct task_struct *p, int *n)
{
	struct task_struct *th, *child;
	struct tree_node *kids = NULL;
	int cap = 0;

	*n = 0;
	for_each_thread(p, th) {
		if (th != p && add_node(&kids, n, &cap, th, true))
			break;
		list_for_each_entry(child, &th->children, sibling)
			if (add_node(&kids, n, &cap, child, false))
				break;
	}
	if (kids)
		qsort(kids, (size_t)*n, sizeof(*kids), cmp_pid);
	return kids;
}

/*
 * @label, then its subtree, as pstree -A draws it: one child on the same
 * line after "---", several after "-+-", " |-" and " `-" below, with
 * " | " down the left of a subtree whose siblings follow.  @prefix is
 * what starts each further line up to the label's column.
 */
static void print_tree(pid_t pid, const char *label, bool thread, const char *prefix)
{
	size_t plen = strlen(prefix), llen = strlen(label);
	struct tree_node *kids = NULL;
	struct task_struct *p;
	char *sub;
	int n = 0;

	printf("%s", label);
	p = thread ? NULL : umm_find_task(pid);
	if (p)
		kids = tree_children(p, &n);
	if (!n) {
		putchar('\n');
		free(kids);
		return;
	}
	sub = malloc(plen + llen + 4);
	if (!sub) {
		putchar('\n');
		free(kids);
		return;
	}
	for (int i = 0; i < n; i++) {
		bool last = i == n - 1;

		if (n == 1)
			printf("---");
		else if (!i)
			printf("-+-");
		else
			printf("%s%*s %c-", prefix, (int)llen, "", last ? '`' : '|');
		snprintf(sub, plen + llen + 4, "%s%*s%s", prefix, (int)llen, "",
			 n == 1 || last ? "   " : " | ");
		print_tree(kids[i].pid, kids[i].label, kids[i].label[0] == '{', sub);
	}
	free(sub);
	free(kids);
}

/* pstree [PID]: the tree of processes from PID (default: init's and kthreadd's). */
int cmd_pstree(struct cmd_ctx *c)
{
	struct task_struct *p;
	pid_t root = 0;
	char label[TASK_COMM_LEN + 16];

	if (c->argc == 2) {
		if (eval_pid(c->s, c->argv[1], &root))
			return -1;
		if (!umm_find_task(root) || root <= 0)
			return serr(c->s, "pstree: no process %d (ps lists them)", root);
	}
	if (root)
		printf("$ pstree -A -n -p %d\n", root);
	else
		printf("$ pstree -A -n -p\n");
	umm_tasklist_read_lock();
	if (root) {
		p = umm_find_task(root);
		snprintf(label, sizeof(label), p->group_leader != p ? "{%s}(%d)" : "%s(%d)",
			 p->comm, p->pid);
		print_tree(p->pid, label, p->group_leader != p, "");
	} else {
		/* what pid 0 started: init and kthreadd */
		list_for_each_entry(p, &init_task.children, sibling) {
			snprintf(label, sizeof(label), "%s(%d)", p->comm, p->pid);
			print_tree(p->pid, label, false, "");
		}
	}
	umm_tasklist_read_unlock();
	return 0;
}
