// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - `umm run`: a program on umm's malloc (libumm-malloc.so), and
 * what umm's /proc says about it when it exits; and the boot line that
 * every umm command is given (umm_boot_line()).
 *
 *   umm run [--each] [--full] [--report FILE] [--] PROGRAM ARGS...
 *
 * In order:
 *  1. The boot line ($UMM_CMDLINE, then --cmdline) is read here with
 *     umm_cmdline_check(), without booting: a bad parameter is one line
 *     and exit 2 before PROGRAM starts.  What the front end adds (its
 *     own smaller mem=, anon backing) cannot make a line that passes
 *     fail (kernel/params.c: a default mem= follows the others).
 *  2. A private directory under $TMPDIR (or /tmp) holds the report file,
 *     so that a process which outlives umm cannot recreate it; its path
 *     is absolute, since PROGRAM may change directory.
 *  3. The child preloads libumm-malloc.so (whose path must hold no space
 *     or ':', where ld.so splits LD_PRELOAD) with UMM_CMDLINE set to the
 *     boot line, UMM_REPORT to the file and, without --each,
 *     UMM_REPORT_PID to its own pid: then only the top process reports,
 *     once, at its final exit, whatever it exec()s into on the way (a
 *     shell-script shim that execs python reports as python), and none
 *     of the processes it forks.  With --each every process that exits
 *     before PROGRAM does appends its own report.
 *  4. Once PROGRAM has been waited for, the directory is removed, then
 *     the reports are printed on stderr (or in FILE): for each process
 *     a slabtop -o style table of the caches that hold slabs and the
 *     /proc/meminfo lines about them; with --full its /proc/slabinfo,
 *     /proc/meminfo and /proc/buddyinfo whole.  umm never writes to
 *     PROGRAM's stdout.
 *
 * Signals: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and
 * SIGALRM (each that would end umm at once) sent to umm are passed on to
 * PROGRAM (not the terminal's Ctrl-C and Ctrl-\: those reached PROGRAM's
 * process group already).  umm waits for PROGRAM, removes its files, and then dies of
 * the same signal if PROGRAM died of it, or exits with PROGRAM's status
 * if PROGRAM handled it (the shells' "wait and cooperative exit").  A
 * signal ignored when umm starts stays ignored, for PROGRAM too.  Only
 * SIGKILL to umm itself can leave the directory behind.
 *
 * A process killed by a signal, or leaving by _exit(), writes no report;
 * one that exit()s inside the allocator (from a signal handler) writes
 * its header and why it has no figures, which the summary prints whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <umm.h>
#include "run.h"
#include "slabtop.h"

#define RUN_USAGE "umm run [--each] [--full] [--report FILE] [--] PROGRAM ARGS..."
#define REPORT_HEADER "==> umm report: "

char *cmdline_join(const char *a, const char *b)
{
	char *line;

	if (asprintf(&line, "%s%s%s", a ? a : "", a && *a && b && *b ? " " : "",
		     b ? b : "") < 0) {
		fprintf(stderr, "umm: out of memory\n");
		exit(1);
	}
	return line;
}

const char *umm_boot_line(const char *base, const char *cmdline)
{
	static char *line;	/* the last line made, kept until the next */
	char *first = cmdline_join(base, getenv("UMM_CMDLINE"));

	free(line);
	line = cmdline_join(first, cmdline);
	free(first);
	return line;
}

struct run {
	bool each, full;
	const char *report;	/* --report FILE, or NULL for stderr */
	FILE *out;
	const char *cmdline;
	char lib[PATH_MAX];
	char dir[PATH_MAX];	/* the private directory, "" once removed */
	char file[PATH_MAX + 16];
	int write_err;		/* errno of a failed write of the report */
	sigset_t oldmask;
};

/* ---- signals: passed on to PROGRAM, and umm dies of them last ---- */

/* Each signal whose default would end umm before it cleans up (Ctrl-\ too). */
static const int run_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
				   SIGALRM };
#define NR_RUN_SIGNALS (sizeof(run_signals) / sizeof(run_signals[0]))
static struct sigaction run_saved[NR_RUN_SIGNALS];
static volatile sig_atomic_t run_signal;	/* the last one umm got */
static volatile sig_atomic_t run_child;		/* PROGRAM's pid once forked */

static void run_forward(int sig, siginfo_t *si, void *ctx)
{
	int saved_errno = errno;	/* waitpid()'s EINTR, say */

	(void)ctx;
	run_signal = sig;
	/*
	 * Ctrl-C and Ctrl-\ from the terminal went to PROGRAM's process group
	 * already; any other signal from the kernel (a hangup to the session
	 * leader, an alarm() inherited across exec) came to umm alone.
	 */
	if (run_child > 0 && !(si->si_code == SI_KERNEL && (sig == SIGINT || sig == SIGQUIT)))
		kill((pid_t)run_child, sig);
	errno = saved_errno;
}

/* Catch the signals not ignored on entry, and hold them until PROGRAM is forked. */
static void run_catch_signals(struct run *r)
{
	struct sigaction sa = { .sa_sigaction = run_forward, .sa_flags = SA_SIGINFO };
	sigset_t block;

	sigemptyset(&block);
	for (size_t i = 0; i < NR_RUN_SIGNALS; i++) {
		sigaddset(&block, run_signals[i]);
		sigaction(run_signals[i], NULL, &run_saved[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &r->oldmask);
	for (size_t i = 0; i < NR_RUN_SIGNALS; i++)
		if (run_saved[i].sa_handler != SIG_IGN)
			sigaction(run_signals[i], &sa, NULL);
}

static void run_restore_signals(struct run *r)
{
	for (size_t i = 0; i < NR_RUN_SIGNALS; i++)
		sigaction(run_signals[i], &run_saved[i], NULL);
	sigprocmask(SIG_SETMASK, &r->oldmask, NULL);
}

/* After the clean-up: die of the signal umm was sent, as PROGRAM did. */
static int run_die_of(struct run *r, int sig)
{
	run_restore_signals(r);
	signal(sig, SIG_DFL);
	raise(sig);
	return 128 + sig;	/* only if the signal was blocked on entry */
}

/* ---- the report file's private directory ---- */

static const char *run_tmpdir(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

static int run_mkdir(struct run *r)
{
	const char *tmp = run_tmpdir();
	if ((size_t)snprintf(r->dir, sizeof(r->dir), "%s/umm-run-XXXXXX", tmp) >= sizeof(r->dir)) {
		r->dir[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!mkdtemp(r->dir)) {
		r->dir[0] = '\0';
		return -1;
	}
	/* PROGRAM may change directory: a relative $TMPDIR is made absolute. */
	if (r->dir[0] != '/') {
		char *abs = realpath(r->dir, NULL);

		if (!abs || strlen(abs) >= sizeof(r->dir)) {
			int err = abs ? ENAMETOOLONG : errno;

			free(abs);
			rmdir(r->dir);
			r->dir[0] = '\0';
			errno = err;
			return -1;
		}
		strcpy(r->dir, abs);
		free(abs);
	}
	snprintf(r->file, sizeof(r->file), "%s/report", r->dir);
	return 0;
}

static void run_rmdir(struct run *r)
{
	if (!r->dir[0])
		return;
	/* A late --each report may land between the two: try again. */
	for (int i = 0; i < 3; i++) {
		unlink(r->file);
		if (!rmdir(r->dir) || errno != ENOTEMPTY)
			break;
	}
	if (!access(r->dir, F_OK))
		fprintf(stderr, "umm: run: could not remove %s: %s\n", r->dir, strerror(errno));
	r->dir[0] = '\0';
}

/*
 * The reports, read and then removed with their directory; NULL if there
 * are none.  A process still running (--each) adds nothing after this.
 */
static char *run_collect(struct run *r)
{
	int fd = open(r->file, O_RDONLY | O_CLOEXEC);
	struct stat st = { 0 };
	size_t len = 0;
	char *buf = NULL;
	ssize_t n;

	run_rmdir(r);	/* the open file stays readable */
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		fprintf(stderr, "umm: run: cannot read the report: %s\n", strerror(errno));
	} else if (st.st_size > 0 && (buf = malloc((size_t)st.st_size + 1))) {
		while (len < (size_t)st.st_size) {
			n = read(fd, buf + len, (size_t)st.st_size - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		buf[len] = '\0';
	} else if (st.st_size > 0) {
		fprintf(stderr, "umm: run: cannot read the report: %s\n", strerror(errno));
	}
	close(fd);
	if (buf && !len) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* ---- the report: one block per process ---- */

/* A copy of the text after "$ cat PATH\n" in [block, end), up to the next "$ cat ". */
static char *block_file(const char *block, const char *end, const char *path)
{
	char head[64];
	const char *start, *stop;
	size_t hlen = (size_t)snprintf(head, sizeof(head), "$ cat %s\n", path);

	start = memmem(block, (size_t)(end - block), head, hlen);
	if (!start)
		return NULL;
	start += hlen;
	stop = memmem(start, (size_t)(end - start), "\n$ cat ", 7);
	return strndup(start, stop ? (size_t)(stop - start + 1) : (size_t)(end - start));
}

static void print_meminfo(FILE *out, const char *meminfo)
{
	static const char *const keys[] = { "MemTotal:", "MemFree:", "MemAvailable:", "Slab:",
					    "SUnreclaim:", "VmallocUsed:" };

	fprintf(out, "$ grep -E '^(MemTotal|MemFree|MemAvailable|Slab|SUnreclaim|VmallocUsed):'"
		     " /proc/meminfo\n");
	for (const char *l = meminfo; *l; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != 0))
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (!strncmp(l, keys[k], strlen(keys[k])))
				fprintf(out, "%.*s\n", (int)strcspn(l, "\n"), l);
}

/* The header line, the caches that hold slabs, the meminfo lines about them. */
static void print_summary(FILE *out, const char *block, const char *end)
{
	char *slab = block_file(block, end, "/proc/slabinfo");
	char *mem = block_file(block, end, "/proc/meminfo");

	/* no files (a process that exited inside the allocator): the block says why */
	if (!slab && !mem)
		fprintf(out, "%.*s", (int)(end - block), block);
	else
		fprintf(out, "%.*s\n", (int)strcspn(block, "\n"), block);
	if (slab) {
		fprintf(out, "$ slabtop -o -s c   (the caches that hold slabs)\n");
		umm_slabtop_text(out, slab, 'c', true);
	}
	if (mem)
		print_meminfo(out, mem);
	free(slab);
	free(mem);
}

static void run_print(struct run *r, const char *reports)
{
	const char *block = reports, *next;

	errno = 0;	/* what an implicit flush that fails leaves (ENOSPC, ...) */
	while (block && *block) {
		next = strstr(block, "\n" REPORT_HEADER);
		next = next ? next + 1 : block + strlen(block);
		if (r->full)
			fwrite(block, 1, (size_t)(next - block), r->out);
		else
			print_summary(r->out, block, next);
		block = next;
	}
	/* The last flush's errno, else what an earlier one left, else EIO. */
	if (fflush(r->out))
		r->write_err = errno;
	else if (ferror(r->out))
		r->write_err = errno ? errno : EIO;
}

/* ---- PROGRAM ---- */

/* libumm-malloc.so next to this program (build tree) or in ../lib. */
static int find_malloc_lib(char *out, size_t size)
{
	static const char *const rel[] = { "libumm-malloc.so", "../lib/libumm-malloc.so",
					   "../lib64/libumm-malloc.so" };
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(out, size, "%s%s", exe, rel[i]);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

/* In the child: the environment of the run, then PROGRAM; errno down @errfd if exec fails. */
static __attribute__((noreturn)) void run_exec(struct run *r, char **argv, int errfd)
{
	const char *old = getenv("LD_PRELOAD");
	char preload[2 * PATH_MAX], pid[24];
	int err;

	run_restore_signals(r);
	snprintf(preload, sizeof(preload), "%s%s%s", r->lib, old && *old ? ":" : "",
		 old ? old : "");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	if (setenv("LD_PRELOAD", preload, 1) || setenv("UMM_REPORT", r->file, 1) ||
	    (*r->cmdline ? setenv("UMM_CMDLINE", r->cmdline, 1) : unsetenv("UMM_CMDLINE")) ||
	    (r->each ? unsetenv("UMM_REPORT_PID") : setenv("UMM_REPORT_PID", pid, 1))) {
		err = errno;
	} else {
		execvp(argv[0], argv);
		err = errno;
	}
	(void)!write(errfd, &err, sizeof(err));	/* the parent's pipe; nothing to do if not */
	_exit(127);
}

/* 0 once PROGRAM runs, else the errno of its failed exec (read while it lasts). */
static int run_exec_error(int errfd)
{
	int err = 0;
	ssize_t n;

	do
		n = read(errfd, &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(errfd);
	return n == sizeof(err) ? err : 0;
}

/*
 * Wait for PROGRAM's end without reaping it (WNOWAIT), stop forwarding
 * signals to its pid, and only then reap it: once reaped, the pid may be
 * another process's, and a signal umm gets while it prints the report
 * must not reach that one.
 */
static int run_wait(pid_t pid)
{
	siginfo_t si;
	int status;

	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return -1;
	run_child = 0;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* What PROGRAM's end means for umm's: report, clean up, exit or die. */
static int run_finish(struct run *r, const char *prog, int status)
{
	char *reports = run_collect(r);

	/* PROGRAM died of the signal umm was sent: so does umm, quietly. */
	if (WIFSIGNALED(status) && WTERMSIG(status) == run_signal) {
		free(reports);
		return run_die_of(r, run_signal);
	}
	run_restore_signals(r);
	if (reports)
		run_print(r, reports);
	else if (!WIFSIGNALED(status))
		fprintf(stderr, "umm: run: %s made no report: it never called malloc, or left "
			"by _exit()%s\n", prog, r->each ? "" : " (--each reports every process)");
	free(reports);
	if (WIFSIGNALED(status)) {
		/* SIGPIPE: its reader left (| head), which shells do not remark on */
		if (WTERMSIG(status) != SIGPIPE)
			fprintf(stderr, "umm: run: %s killed by signal %d (%s)\n", prog,
				WTERMSIG(status), strsignal(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

static int run_program(struct run *r, char **argv)
{
	int errpipe[2], err, status;
	pid_t pid;

	fflush(NULL);
	run_catch_signals(r);
	if (run_mkdir(r)) {
		/* name the directory: $TMPDIR may be what is wrong */
		fprintf(stderr, "umm: run: cannot make the report's directory in %s: %s\n",
			run_tmpdir(), strerror(errno));
		run_restore_signals(r);
		return 1;
	}
	if (pipe2(errpipe, O_CLOEXEC)) {
		fprintf(stderr, "umm: run: pipe: %s\n", strerror(errno));
		run_rmdir(r);
		run_restore_signals(r);
		return 1;
	}
	pid = fork();
	if (pid == 0)
		run_exec(r, argv, errpipe[1]);
	close(errpipe[1]);
	if (pid < 0) {
		fprintf(stderr, "umm: run: fork: %s\n", strerror(errno));
		close(errpipe[0]);
		run_rmdir(r);
		run_restore_signals(r);
		return 1;
	}
	run_child = pid;
	sigprocmask(SIG_SETMASK, &r->oldmask, NULL);	/* a held signal is passed on now */
	err = run_exec_error(errpipe[0]);
	status = run_wait(pid);
	if (status < 0 && !err)
		err = errno;	/* no PROGRAM to wait for: not ours to judge */
	if (err) {
		run_rmdir(r);
		run_restore_signals(r);
		fprintf(stderr, "umm: run: %s: %s\n", argv[0], strerror(err));
		return err == ENOENT ? 127 : 126;
	}
	return run_finish(r, argv[0], status);
}

/* run's own options, before PROGRAM; returns PROGRAM's index, or -1. */
static int run_options(struct run *r, int argc, char **argv)
{
	int i = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--"))
			return i + 1;
		if (!strcmp(argv[i], "--each")) {
			r->each = true;
		} else if (!strcmp(argv[i], "--full")) {
			r->full = true;
		} else if (!strcmp(argv[i], "--report") && i + 1 < argc) {
			r->report = argv[++i];
		} else if (!strncmp(argv[i], "--report=", 9) && argv[i][9]) {
			r->report = argv[i] + 9;
		} else if (!strcmp(argv[i], "--cmdline") || !strncmp(argv[i], "--cmdline=", 10)) {
			fprintf(stderr, "umm: run: --cmdline goes before the command "
				"(umm --cmdline PARAMS run ...)\n");
			return -1;
		} else if (!strcmp(argv[i], "--report") || !strcmp(argv[i], "--report=")) {
			fprintf(stderr, "umm: run: --report needs a FILE (usage: " RUN_USAGE ")\n");
			return -1;
		} else {
			fprintf(stderr, "umm: run: bad option '%s' (usage: " RUN_USAGE ")\n",
				argv[i]);
			return -1;
		}
	}
	return i;
}

int cmd_run(const char *cmdline, int argc, char **argv)
{
	struct run r = { .out = stderr, .cmdline = cmdline ? cmdline : "" };
	int i = run_options(&r, argc, argv), ret;

	if (i < 0)
		return 2;
	if (i == argc) {
		fprintf(stderr, "umm: run: which program? (" RUN_USAGE ")\n");
		return 2;
	}
	/* A bad parameter was named in one line by umm. */
	if (umm_cmdline_check(r.cmdline))
		return 2;
	if (find_malloc_lib(r.lib, sizeof(r.lib))) {
		fprintf(stderr, "umm: run: cannot find libumm-malloc.so next to umm or in ../lib\n");
		return 1;
	}
	/* ld.so splits LD_PRELOAD at spaces and colons, with no escape. */
	if (strpbrk(r.lib, " \t:")) {
		fprintf(stderr, "umm: run: LD_PRELOAD cannot name '%s' (ld.so splits it at "
			"spaces and ':'): install umm under a path without them\n", r.lib);
		return 1;
	}
	if (r.report && !(r.out = fopen(r.report, "we"))) {
		fprintf(stderr, "umm: run: %s: %s\n", r.report, strerror(errno));
		return 1;
	}
	ret = run_program(&r, argv + i);
	if (r.out != stderr && fclose(r.out) && !r.write_err)
		r.write_err = errno;
	/* A report lost (a full disk) is said, as cat(1) says it; on stderr, nowhere to. */
	if (r.out != stderr && r.write_err) {
		fprintf(stderr, "umm: run: %s: %s\n", r.report, strerror(r.write_err));
		ret = ret ? ret : 1;
	}
	return ret;
}
