// SPDX-License-Identifier: GPL-2.0
/*
 * diff_exec.c - execve() in umm against the host kernel, image by image.
 *
 * For each case the host runs the file in a child that set its
 * personality (ADDR_NO_RANDOMIZE, and ADDR_COMPAT_LAYOUT for the legacy
 * layout) and RLIMIT_STACK, then PTRACE_TRACEME: the child stops at the
 * exec trap, before its first instruction.  umm execs the same file with
 * the same argv, envp, personality and rlimit into a task forked from
 * umm's init, and reads its /proc files through umm_task_show().
 * Compared:
 *  - every line of /proc/PID/maps (device and inode included);
 *  - the /proc/PID/stat fields start_code, end_code, start_stack,
 *    start_data, end_data, start_brk, arg_start, arg_end, env_start,
 *    env_end, and /proc/PID/comm, cmdline and environ;
 *  - every auxv entry, type and value (/proc/PID/auxv);
 *  - the initial stack, every byte from start_stack to the top of the
 *    [stack] VMA (/proc/PID/mem), but the 16 bytes AT_RANDOM points at;
 *  - for an exec the host refuses, the errno: umm must give the same
 *    error and leave the task's mm as it was.
 * The cases: every ELF executable in /usr/bin (set-id files aside: the
 * kernel turns randomization back on for them; files that are not
 * x86-64 ELF are counted and skipped), a static and a static-PIE binary
 * built here, #! scripts (nesting to the limit and past it, long lines,
 * odd blanks), RLIMIT_STACK unlimited and small, the legacy layout, an
 * empty argv, E2BIG, and paths the kernel refuses.  A mismatch prints the
 * file and its first difference; any fails the test.
 *
 * Usage: diff_exec [-d DIR] [-w SECONDS]  (DIR: /usr/bin; the watchdog:
 * 120 s for the whole run, in a forked worker).
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <umm.h>
#include <umm/sched.h>
#include <umm/binfmts.h>
#include "../test.h"

#define MAPS_MAX	(256 * 1024)
#define AUXV_MAX	128

struct exec_case {
	const char *path;
	char **argv;
	char **envp;
	unsigned long persona;
	bool set_rlim;
	struct rlimit rlim;
};

struct snap {
	int err;		/* 0, or the errno the exec failed with */
	int killed;		/* the host's signal after the point of no return */
	char *maps;
	unsigned long stat[10];
	unsigned long auxv[AUXV_MAX];
	int nauxv;		/* longs, AT_NULL pair included */
	unsigned long stack_lo, stack_hi;
	unsigned char *stack;
	char comm[16];		/* /proc/PID/comm, its newline cut */
	char *args[2];		/* /proc/PID/cmdline and environ */
	size_t args_len[2];
};

static const char *const args_files[2] = { "cmdline", "environ" };

static const char *const stat_names[10] = {
	"start_code", "end_code", "start_stack", "start_data", "end_data",
	"start_brk", "arg_start", "arg_end", "env_start", "env_end",
};
/* their /proc/PID/stat field numbers */
static const int stat_fields[10] = { 26, 27, 28, 45, 46, 47, 48, 49, 50, 51 };

static char *default_envp[] = { "PATH=/usr/bin:/bin", "HOME=/", "LC_ALL=C",
				"UMM_DIFF_EXEC=1", NULL };

static int compared, mismatches, refused, killed;
static char tmpdir[] = "/tmp/diff_exec.XXXXXX";

static void snap_free(struct snap *s)
{
	free(s->args[0]);
	free(s->args[1]);
	free(s->maps);
	free(s->stack);
	memset(s, 0, sizeof(*s));
}

/* ---- the host ---- */

static char *slurp(const char *path, size_t *len)
{
	char *buf = malloc(MAPS_MAX);
	size_t n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	while (n < MAPS_MAX - 1 && (r = read(fd, buf + n, MAPS_MAX - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* The [stack] line's end, for the bytes to compare. */
static unsigned long maps_stack_end(const char *maps)
{
	const char *p = strstr(maps, "[stack]");
	unsigned long lo, hi;

	if (!p)
		return 0;
	while (p > maps && p[-1] != '\n')
		p--;
	return sscanf(p, "%lx-%lx", &lo, &hi) == 2 ? hi : 0;
}

/* The ten fields of a /proc/PID/stat line (stat_fields[]), after the comm's ')'. */
static int parse_stat_fields(const char *buf, unsigned long *out)
{
	const char *p = strrchr(buf, ')');
	int field = 2, i = 0;

	for (p = p ? p + 1 : buf; *p && i < 10;) {
		while (*p == ' ')
			p++;
		field++;
		if (field == stat_fields[i])
			out[i++] = strtoul(p, NULL, 10);
		while (*p && *p != ' ')
			p++;
	}
	return i == 10 ? 0 : -1;
}

static int host_stat_fields(pid_t pid, unsigned long *out)
{
	char path[64], *buf;
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	buf = slurp(path, NULL);
	if (!buf)
		return -1;
	ret = parse_stat_fields(buf, out);
	free(buf);
	return ret;
}

static int host_read_image(pid_t pid, struct snap *s)
{
	char path[64];
	size_t n;
	char *auxv;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	s->maps = slurp(path, NULL);
	if (!s->maps || host_stat_fields(pid, s->stat))
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	auxv = slurp(path, &n);
	if (!auxv)
		return -1;
	snprintf(s->comm, sizeof(s->comm), "%.*s", (int)strcspn(auxv, "\n"), auxv);
	free(auxv);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", pid, args_files[i]);
		s->args[i] = slurp(path, &s->args_len[i]);
		if (!s->args[i])
			return -1;
	}
	snprintf(path, sizeof(path), "/proc/%d/auxv", pid);
	auxv = slurp(path, &n);
	if (!auxv)
		return -1;
	n = min(n, sizeof(s->auxv));
	memcpy(s->auxv, auxv, n);
	s->nauxv = (int)(n / sizeof(long));
	free(auxv);
	s->stack_lo = s->stat[2];
	s->stack_hi = maps_stack_end(s->maps);
	if (!s->stack_hi || s->stack_hi <= s->stack_lo)
		return -1;
	s->stack = malloc(s->stack_hi - s->stack_lo);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !s->stack ||
	    pread(fd, s->stack, s->stack_hi - s->stack_lo, (off_t)s->stack_lo) !=
	    (ssize_t)(s->stack_hi - s->stack_lo)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The host's exec of @c, stopped at its trap: 0, or -1 if the harness failed. */
static int host_snap(const struct exec_case *c, struct snap *s)
{
	int pfd[2], status, e = 0, ret = 0;
	pid_t pid;

	memset(s, 0, sizeof(*s));
	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(pfd[0]);
		personality(c->persona);
		if (c->set_rlim)
			setrlimit(RLIMIT_STACK, &c->rlim);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		execve(c->path, c->argv, c->envp);
		e = errno;
		if (write(pfd[1], &e, sizeof(e)) < 0)
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	if (waitpid(pid, &status, 0) != pid) {
		close(pfd[0]);
		return -1;
	}
	if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) {
		ret = host_read_image(pid, s);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else if (WIFSTOPPED(status)) {
		/* force_fatal_sig() after the point of no return, seen by the tracer */
		s->killed = WSTOPSIG(status);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else if (read(pfd[0], &e, sizeof(e)) == sizeof(e)) {
		s->err = e;
	} else if (WIFSIGNALED(status)) {
		s->killed = WTERMSIG(status);	/* past the point of no return */
	} else {
		ret = -1;	/* the exec passed and the program ran: no trap */
	}
	close(pfd[0]);
	return ret;
}

/* ---- umm ---- */

/*
 * A process to exec in: forked from init, with the host's rlimits (the
 * case's RLIMIT_STACK) and the case's personality, and one page mapped
 * so that a failed exec has an address space to keep.
 */
static struct task_struct *make_task(const struct exec_case *c)
{
	struct task_struct *t;
	struct rlimit rl;
	long pid = umm_clone(umm_init_task(), SIGCHLD);
	int r;

	if (pid < 0)
		return NULL;
	t = umm_find_task((pid_t)pid);
	for (r = 0; r < UMM_RLIM_NLIMITS; r++) {
		getrlimit(r, &rl);
		if (r == RLIMIT_STACK && c->set_rlim)
			rl = c->rlim;
		if (umm_setrlimit(t, r, &rl))
			fprintf(stderr, "diff_exec: umm_setrlimit(%d) refused\n", r);
	}
	umm_personality(t, c->persona);
	umm_mmap(t->mm, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return t;
}

static void free_task(struct task_struct *t)
{
	pid_t pid = t->pid;
	int st;

	umm_exit(t, 0);
	if (umm_wait4(umm_init_task(), pid, &st, 0) != pid)
		fprintf(stderr, "diff_exec: could not reap pid %d\n", pid);
}

/* /proc/PID/FILE of the task, in a buffer of @size (freed by the caller). */
static char *task_file(struct task_struct *t, const char *file, size_t size, ssize_t *len)
{
	char *buf = malloc(size);

	*len = buf ? umm_task_show(t, file, buf, size) : -ENOMEM;
	if (*len < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * umm's exec of @c: the same readings as the host's, through the task's
 * /proc files (umm_task_show(): maps, stat, auxv, comm) and its memory
 * (umm_access() of the stack).
 */
static int umm_snap(const struct exec_case *c, struct snap *s, char *why, size_t whylen)
{
	struct task_struct *t = make_task(c);
	struct mm_struct *old;
	char *stat, *auxv, comm[16];
	int map_count;
	ssize_t n;
	long err;

	memset(s, 0, sizeof(*s));
	if (!t)
		return -1;
	old = t->mm;
	map_count = old->map_count;
	memcpy(comm, t->comm, sizeof(comm));
	err = umm_execve(t, c->path, c->argv, c->envp);
	if (err) {
		s->err = (int)-err;
		if (t->mm != old || old->map_count != map_count || memcmp(t->comm, comm, 16) ||
		    t->personality != c->persona)
			snprintf(why, whylen, "a failed exec (%ld) changed the task", err);
		free_task(t);
		return 0;
	}
	memcpy(s->comm, t->comm, sizeof(s->comm));
	s->maps = task_file(t, "maps", MAPS_MAX, &n);
	stat = task_file(t, "stat", 4096, &n);
	if (!s->maps || !stat || parse_stat_fields(stat, s->stat)) {
		free(stat);
		free_task(t);
		return -1;
	}
	free(stat);
	for (int i = 0; i < 2; i++) {
		s->args[i] = task_file(t, args_files[i], MAPS_MAX, &n);
		if (!s->args[i]) {
			free_task(t);
			return -1;
		}
		s->args_len[i] = (size_t)n;
	}
	auxv = task_file(t, "auxv", sizeof(s->auxv), &n);
	if (!auxv) {
		free_task(t);
		return -1;
	}
	memcpy(s->auxv, auxv, (size_t)n);
	s->nauxv = (int)(n / (ssize_t)sizeof(long));
	free(auxv);
	s->stack_lo = s->stat[2];
	s->stack_hi = maps_stack_end(s->maps);
	if (s->stack_hi > s->stack_lo) {
		s->stack = malloc(s->stack_hi - s->stack_lo);
		if (!s->stack || umm_access(t->mm, s->stack_lo, s->stack,
					    s->stack_hi - s->stack_lo, 0) !=
				 (long)(s->stack_hi - s->stack_lo))
			snprintf(why, whylen, "umm_access() of the stack failed");
	}
	if (umm_mm_check(t->mm))
		snprintf(why, whylen, "umm_mm_check() failed after exec");
	if (umm_task_check())
		snprintf(why, whylen, "umm_task_check() failed after exec");
	free_task(t);
	return 0;
}

/* ---- comparing ---- */

static void report(const struct exec_case *c, const char *fmt, ...)
{
	va_list ap;

	mismatches++;
	fprintf(stderr, "MISMATCH %s (persona %#lx%s): ", c->path, c->persona,
		c->set_rlim ? ", stack rlimit set" : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void compare_maps(const struct exec_case *c, const char *host, const char *umm)
{
	int line = 1;

	while (*host || *umm) {
		size_t hl = strcspn(host, "\n"), ul = strcspn(umm, "\n");

		if (hl != ul || memcmp(host, umm, hl)) {
			report(c, "maps line %d:\n  host: %.*s\n  umm:  %.*s", line,
			       (int)hl, host, (int)ul, umm);
			return;
		}
		host += hl + (host[hl] == '\n');
		umm += ul + (umm[ul] == '\n');
		line++;
	}
}

static unsigned long auxv_get(const struct snap *s, unsigned long type)
{
	for (int i = 0; i + 1 < s->nauxv; i += 2)
		if (s->auxv[i] == type)
			return s->auxv[i + 1];
	return 0;
}

static void compare(const struct exec_case *c, const struct snap *h, const struct snap *u)
{
	unsigned long rnd, off;
	int i;

	compared++;
	if (h->killed) {
		/* the kernel killed the task; umm must fail and keep it */
		killed++;
		printf("killed by the kernel after the point of no return (signal %d): %s; "
		       "umm: %s\n", h->killed, c->path, strerror(u->err));
		if (!u->err)
			report(c, "the host's exec killed the task, umm's succeeded");
		return;
	}
	if (h->err || u->err) {
		if (h->err) {
			refused++;
			printf("refused by the kernel: %s: %s\n", c->path, strerror(h->err));
		}
		if (h->err != u->err)
			report(c, "exec: host errno %d (%s), umm %d (%s)", h->err,
			       strerror(h->err), u->err, strerror(u->err));
		return;
	}
	compare_maps(c, h->maps, u->maps);
	if (strcmp(h->comm, u->comm)) {
		report(c, "comm: host \"%s\", umm \"%s\"", h->comm, u->comm);
		return;
	}
	for (i = 0; i < 2; i++)
		if (h->args_len[i] != u->args_len[i] ||
		    memcmp(h->args[i], u->args[i], h->args_len[i])) {
			report(c, "%s: host %zu bytes, umm %zu, or they differ", args_files[i],
			       h->args_len[i], u->args_len[i]);
			return;
		}
	for (i = 0; i < 10; i++)
		if (h->stat[i] != u->stat[i]) {
			report(c, "stat %s: host %#lx, umm %#lx", stat_names[i], h->stat[i],
			       u->stat[i]);
			return;
		}
	for (i = 0; i < h->nauxv || i < u->nauxv; i++) {
		if (i >= h->nauxv || i >= u->nauxv || h->auxv[i] != u->auxv[i]) {
			report(c, "auxv word %d (entry %lu): host %#lx, umm %#lx", i,
			       h->auxv[i & ~1], i < h->nauxv ? h->auxv[i] : 0,
			       i < u->nauxv ? u->auxv[i] : 0);
			return;
		}
	}
	if (h->stack_hi != u->stack_hi || !u->stack) {
		report(c, "stack top: host %#lx, umm %#lx", h->stack_hi, u->stack_hi);
		return;
	}
	rnd = auxv_get(h, AT_RANDOM);
	for (off = 0; off < h->stack_hi - h->stack_lo; off++) {
		unsigned long a = h->stack_lo + off;

		if (a >= rnd && a < rnd + 16)
			continue;
		if (h->stack[off] != u->stack[off]) {
			report(c, "stack byte at %#lx: host %#x, umm %#x", a, h->stack[off],
			       u->stack[off]);
			return;
		}
	}
}

static void run_case(const struct exec_case *c)
{
	struct snap h, u;
	char why[128] = "";

	if (host_snap(c, &h)) {
		report(c, "the host side failed");
		snap_free(&h);
		return;
	}
	if (umm_snap(c, &u, why, sizeof(why))) {
		report(c, "the umm side failed");
	} else if (why[0]) {
		report(c, "%s", why);
	} else {
		compare(c, &h, &u);
	}
	snap_free(&h);
	snap_free(&u);
}

static void run_path(const char *path, char **argv, unsigned long persona)
{
	char *dflt[] = { (char *)path, NULL };
	struct exec_case c = {
		.path = path, .argv = argv ? argv : dflt, .envp = default_envp,
		.persona = persona,
	};

	run_case(&c);
}

static void run_rlim(const char *path, rlim_t cur)
{
	char *argv[] = { (char *)path, "-x", NULL };
	struct exec_case c = {
		.path = path, .argv = argv, .envp = default_envp,
		.persona = ADDR_NO_RANDOMIZE, .set_rlim = true,
		.rlim = { cur, RLIM_INFINITY },
	};

	run_case(&c);
}

/* ---- the cases ---- */

enum kind { NOT_FILE, SETID, NOT_ELF, NOT_X86_64, ELF64 };

static enum kind classify(const char *path)
{
	unsigned char hdr[EI_NIDENT + 4];
	struct stat st;
	int fd;
	ssize_t n;

	if (stat(path, &st) || !S_ISREG(st.st_mode) || access(path, X_OK))
		return NOT_FILE;
	if (st.st_mode & (S_ISUID | S_ISGID))
		return SETID;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NOT_FILE;
	n = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (n < (ssize_t)sizeof(hdr) || memcmp(hdr, ELFMAG, SELFMAG))
		return NOT_ELF;
	if (hdr[EI_CLASS] != ELFCLASS64 || (hdr[EI_NIDENT + 2] | hdr[EI_NIDENT + 3] << 8) !=
	    EM_X86_64)
		return NOT_X86_64;
	return ELF64;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
	int counts[ELF64 + 1] = { 0 }, n = 0, cap = 0, i, before;
	char **names = NULL;
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp) {
		fprintf(stderr, "diff_exec: %s: %s\n", dir, strerror(errno));
		mismatches++;
		return;
	}
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			names = realloc(names, (size_t)cap * sizeof(*names));
		}
		names[n] = malloc(strlen(dir) + strlen(d->d_name) + 2);
		sprintf(names[n++], "%s/%s", dir, d->d_name);
	}
	closedir(dp);
	qsort(names, (size_t)n, sizeof(*names), cmp_names);
	before = compared;
	for (i = 0; i < n; i++) {
		enum kind k = classify(names[i]);

		counts[k]++;
		if (k == ELF64)
			run_path(names[i], NULL, ADDR_NO_RANDOMIZE);
		free(names[i]);
	}
	free(names);
	printf("%s: %d entries: %d x86-64 ELF compared, %d set-id skipped, "
	       "%d not ELF (scripts and data), %d other ELF, %d not executable files\n",
	       dir, n, compared - before, counts[SETID], counts[NOT_ELF],
	       counts[NOT_X86_64], counts[NOT_FILE]);
}

static char *tmp_path(const char *name)
{
	static char paths[32][256];
	static int next;
	char *p = paths[next++ % 32];

	snprintf(p, 256, "%s/%s", tmpdir, name);
	return p;
}

static void write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		fprintf(stderr, "diff_exec: cannot write %s\n", path);
	if (fd >= 0)
		close(fd);
	chmod(path, mode);
}

static void write_script(const char *name, const char *text)
{
	write_file(tmp_path(name), text, strlen(text), 0755);
}

/* Static and static-PIE binaries, built here with the host's cc. */
static void run_built(void)
{
	static const char prog[] = "int main(void) { return 0; }\n";
	static const char *const kinds[][2] = {
		{ "static", "-static" }, { "static-pie", "-static-pie" },
		{ "pie", "-pie" }, { "nopie", "-no-pie" },
	};
	char cmd[1024];
	size_t i;

	write_file(tmp_path("prog.c"), prog, sizeof(prog) - 1, 0644);
	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		char *out = tmp_path(kinds[i][0]);

		snprintf(cmd, sizeof(cmd), "cc -O0 %s -o %s %s 2>/dev/null", kinds[i][1], out,
			 tmp_path("prog.c"));
		if (system(cmd)) {
			fprintf(stderr, "diff_exec: cc %s failed\n", kinds[i][1]);
			mismatches++;
			continue;
		}
		run_path(out, NULL, ADDR_NO_RANDOMIZE);
		run_path(out, NULL, ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT);
		run_rlim(out, RLIM_INFINITY);
		run_rlim(out, 16 << 10);
	}
}

static void run_scripts(void)
{
	char line[1024], *argv[] = { NULL, "one", "two", NULL };
	static const char *const scripts[][2] = {
		{ "plain", "#!/bin/sh\necho\n" },
		{ "blanks", "#! \t /bin/sh \t -e  \t\nexit 0\n" },
		{ "inner", "#!/usr/bin/env   python3 -u  -B \n" },
		{ "noarg_blank", "#!/bin/sh   \n" },
		{ "empty", "#!\n" },
		{ "onlyblanks", "#!     \n" },
		{ "nonl", "#!/bin/sh -x" },
		{ "missing", "#!/nonexistent/interp\n" },
		{ "dir", "#!/tmp\n" },
	};
	size_t i;
	int depth;

	for (i = 0; i < ARRAY_SIZE(scripts); i++)
		write_script(scripts[i][0], scripts[i][1]);
	/* a chain of scripts: level k runs level k-1, level 0 runs /bin/sh */
	write_script("level0", "#!/bin/sh\n");
	for (depth = 1; depth <= 6; depth++) {
		char name[32];

		snprintf(name, sizeof(name), "level%d", depth - 1);
		snprintf(line, sizeof(line), "#!%s\n", tmp_path(name));
		snprintf(name, sizeof(name), "level%d", depth);
		write_script(name, line);
	}
	/* a line longer than the buffer: the argument is cut, the path is whole */
	snprintf(line, sizeof(line), "#!/bin/sh %0300d\n", 7);
	write_script("long_arg", line);
	memset(line, 0, sizeof(line));
	strcpy(line, "#!/bin/sh -");
	memset(line + 11, 'a', 400);
	write_script("long_arg_nonl", line);
	memset(line, 0, sizeof(line));
	strcpy(line, "#!/");
	memset(line + 3, 'b', 400);
	write_script("long_path_nonl", line);
	memset(line, 0, sizeof(line));
	strcpy(line, "#!");
	memset(line + 2, ' ', 300);
	write_script("blank_nonl", line);

	for (i = 0; i < ARRAY_SIZE(scripts); i++) {
		argv[0] = tmp_path(scripts[i][0]);
		run_path(argv[0], argv, ADDR_NO_RANDOMIZE);
	}
	for (depth = 0; depth <= 6; depth++) {
		char name[32];

		snprintf(name, sizeof(name), "level%d", depth);
		argv[0] = tmp_path(name);
		run_path(argv[0], argv, ADDR_NO_RANDOMIZE);
	}
	static const char *const more[] = { "long_arg", "long_arg_nonl", "long_path_nonl",
					    "blank_nonl" };
	for (i = 0; i < ARRAY_SIZE(more); i++) {
		argv[0] = tmp_path(more[i]);
		run_path(argv[0], argv, ADDR_NO_RANDOMIZE);
	}
}

/* What the kernel refuses, and argument lists at and past the limits. */
static void run_errors(const char *sample)
{
	static char big[MAX_ARG_STRLEN + 1];
	char *argv_big[] = { (char *)sample, big, NULL }, *argv0[] = { NULL };
	struct exec_case c = {
		.path = sample, .argv = argv_big, .envp = default_envp,
		.persona = ADDR_NO_RANDOMIZE,
	};
	char **many;
	int i, n = 40000;

	write_file(tmp_path("noexec"), "#!/bin/sh\n", 10, 0644);
	write_file(tmp_path("emptyfile"), "", 0, 0755);
	write_file(tmp_path("garbage"), "\177ELF garbage", 12, 0755);
	run_path("/nonexistent/file", NULL, ADDR_NO_RANDOMIZE);
	run_path("", NULL, ADDR_NO_RANDOMIZE);
	run_path(tmpdir, NULL, ADDR_NO_RANDOMIZE);
	run_path("/dev/null", NULL, ADDR_NO_RANDOMIZE);
	run_path(tmp_path("noexec"), NULL, ADDR_NO_RANDOMIZE);
	run_path(tmp_path("emptyfile"), NULL, ADDR_NO_RANDOMIZE);
	run_path(tmp_path("garbage"), NULL, ADDR_NO_RANDOMIZE);
	run_path("/usr/bin/true/", NULL, ADDR_NO_RANDOMIZE);

	/* argv[1] of MAX_ARG_STRLEN - 1 characters fits; one more does not */
	memset(big, 'x', MAX_ARG_STRLEN - 1);
	run_case(&c);
	big[MAX_ARG_STRLEN - 1] = 'x';
	run_case(&c);
	big[MAX_ARG_STRLEN - 1] = '\0';
	/* an empty argv: the kernel makes argv[0] "" */
	c.argv = argv0;
	run_case(&c);
	/* many strings: under the default rlimit, and a small one */
	many = calloc((size_t)n + 2, sizeof(*many));
	for (i = 0; i < n; i++)
		many[i] = "abc";
	c.argv = many;
	run_case(&c);
	c.set_rlim = true;
	c.rlim = (struct rlimit){ 64 << 10, RLIM_INFINITY };
	run_case(&c);
	many[10000] = NULL;
	run_case(&c);
	many[2000] = NULL;
	for (i = 0; i < 2000; i++)
		many[i] = "0123456789abcdef";
	run_case(&c);
	free(many);
}

/*
 * Copies of @elf whose PT_INTERP names (in as many bytes) a script, a
 * file that is no ELF, and nothing: -ELIBBAD, -ELIBBAD, -ENOENT.
 */
static void run_bad_interp(const char *elf)
{
	static const char ld[] = "/lib64/ld-linux-x86-64.so.2";
	static const char *const targets[][2] = {
		{ "inte1", "#!/bin/sh\n# long enough for an ELF header's 64 bytes ..........\n" },
		{ "inte2", "just text, long enough for an ELF header's 64 bytes ....................\n" },
		{ "inte3", NULL },
	};
	size_t len, i;
	char *img = slurp(elf, &len), *at;

	if (!img || !(at = memmem(img, len, ld, sizeof(ld)))) {
		fprintf(stderr, "diff_exec: no %s in %s\n", ld, elf);
		mismatches++;
		free(img);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(targets); i++) {
		const char *target = tmp_path(targets[i][0]);
		char name[16];

		if (strlen(target) != sizeof(ld) - 1) {
			fprintf(stderr, "diff_exec: %s is not %zu long\n", target, sizeof(ld) - 1);
			mismatches++;
			break;
		}
		if (targets[i][1])
			write_script(targets[i][0], targets[i][1]);
		memcpy(at, target, sizeof(ld) - 1);
		snprintf(name, sizeof(name), "badinterp%zu", i);
		write_file(tmp_path(name), img, len, 0755);
		run_path(tmp_path(name), NULL, ADDR_NO_RANDOMIZE);
	}
	free(img);
}

static const char *dir = "/usr/bin";

static int run_all(void)
{
	char cmd[256];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	run_dir(dir);
	run_path("/usr/bin/true", NULL, ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT);
	run_path("/usr/bin/python3", NULL, ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT);
	run_rlim("/usr/bin/true", RLIM_INFINITY);
	run_rlim("/usr/bin/true", 16 << 10);
	run_rlim("/usr/bin/true", 256 << 10);
	run_rlim("/usr/bin/true", 3 << 20);
	run_built();
	run_scripts();
	run_errors("/usr/bin/true");
	run_bad_interp("/usr/bin/true");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		fprintf(stderr, "diff_exec: could not remove %s\n", tmpdir);
	printf("diff_exec: %d execs compared (%d refused by the kernel, %d killed past "
	       "its point of no return), %d mismatches\n", compared, refused, killed,
	       mismatches);
	return mismatches ? 1 : 0;
}

int main(int argc, char **argv)
{
	int opt, watchdog = 120;

	while ((opt = getopt(argc, argv, "d:w:")) != -1) {
		if (opt == 'd')
			dir = optarg;
		else if (opt == 'w')
			watchdog = atoi(optarg);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return run_watched(run_all, (unsigned int)watchdog, 0);
}
