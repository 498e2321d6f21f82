// SPDX-License-Identifier: GPL-2.0
/*
 * umm.c - the command-line tool.
 *
 *   umm [--cmdline "..."] cat PATH...   print umm's /proc files
 *   umm [--cmdline "..."] demo          walk through the allocators
 *   umm [--cmdline "..."] draw buddy    the free lists as an SVG picture
 *   umm [--cmdline "..."] slabtop [-s KEY]  slabtop -o style view
 *   umm [--cmdline "..."] run-script FILE   a scenario over address spaces
 *   umm [--cmdline "..."] shell             the same language, interactively
 *   umm [--cmdline "..."] run -- PROGRAM ARGS...
 *                                       run a program on umm's malloc, then
 *                                       print slabinfo and meminfo
 *   umm --help | --version
 *
 * Errors: one line on stderr ("umm: ..."), exit status 2 for bad use,
 * 1 when umm itself fails (boot, an unknown /proc path).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <umm.h>
#include "demo.h"
#include "draw.h"
#include "script.h"
#include "slabtop.h"

#define UMM_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: umm [--cmdline \"PARAMS\"] COMMAND [ARGS]\n"
		"\n"
		"The Linux memory manager, in user space.\n"
		"\n"
		"commands:\n"
		"  demo            boot with defaults and walk through the buddy allocator,\n"
		"                  vmalloc and the slab layer, printing what /proc shows\n"
		"  run -- PROG ARGS...\n"
		"                  run PROG with libumm-malloc.so preloaded (its malloc is\n"
		"                  umm's slab layer) and print its /proc/slabinfo and\n"
		"                  /proc/meminfo when it exits; exits with PROG's status\n"
		"  run-script FILE run a scenario (FILE - is stdin): address spaces, mmap and\n"
		"                  friends, page faults, fork and /proc reports, printed\n"
		"                  strace style (see examples/*.umm); exit 1 at a bad line\n"
		"  shell           the scenario language interactively ('help' lists it)\n"
		"  slabtop [-s K]  the slab caches as slabtop -o shows them; K sorts by\n"
		"                  a(ctive) b(objs/slab) c(ache size) l(slabs) n(ame)\n"
		"                  o(bjs, default) p(ages/slab) s(ize) u(se)\n"
		"  draw buddy      the free lists of every zone as an SVG picture (one cell\n"
		"                  per pageblock; also umm cat --svg /proc/buddyinfo)\n"
		"  cat PATH...     print umm's /proc files:");
	for (const char *const *p = umm_proc_paths(); *p; p++)
		fprintf(f, " %s", *p);
	fprintf(f,
		"\n"
		"\n"
		"options:\n"
		"  --cmdline PARAMS  boot parameters, kernel style, e.g. \"mem=1G numa=fake=2\"\n"
		"                    (added after $UMM_CMDLINE; see README.md for the list)\n"
		"  -h, --help        this text\n"
		"  --version         print the version\n");
}

static int print_proc(const char *path)
{
	ssize_t len = umm_proc_read(path, NULL, 0);
	char *buf;

	if (len == -ENOENT) {
		fprintf(stderr, "umm: %s: no such file in umm's /proc (try umm --help)\n", path);
		return 1;
	}
	if (len < 0) {
		fprintf(stderr, "umm: %s: %s\n", path, strerror((int)-len));
		return 1;
	}
	/* The file may grow between the two reads: leave room. */
	buf = malloc((size_t)len + 4096);
	if (!buf) {
		fprintf(stderr, "umm: out of memory\n");
		return 1;
	}
	len = umm_proc_read(path, buf, (size_t)len + 4096);
	if (len >= 0)
		fputs(buf, stdout);
	free(buf);
	return len < 0;
}

static int cmd_cat(int argc, char **argv)
{
	int ret = 0;

	if (argc == 0) {
		fprintf(stderr, "umm: cat: which file? (e.g. umm cat /proc/buddyinfo)\n");
		return 2;
	}
	if (!strcmp(argv[0], "--svg"))
		return cmd_cat_svg(argc - 1, argv + 1);
	for (int i = 0; i < argc; i++)
		ret |= print_proc(argv[i]);
	return ret;
}

static int cmd_slabtop(int argc, char **argv)
{
	char sort = 'o';

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc && strlen(argv[i + 1]) == 1) {
			sort = argv[++i][0];
		} else if (!strncmp(argv[i], "--sort=", 7) && strlen(argv[i]) == 8) {
			sort = argv[i][7];
		} else {
			fprintf(stderr, "umm: slabtop: bad argument '%s' (usage: slabtop [-s KEY])\n",
				argv[i]);
			return 2;
		}
	}
	return umm_slabtop(stdout, sort);
}

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

static int cmd_run(const char *cmdline, int argc, char **argv)
{
	char lib[PATH_MAX], report[] = "/tmp/umm-report-XXXXXX", preload[2 * PATH_MAX];
	const char *old = getenv("LD_PRELOAD");
	int fd, status;
	pid_t pid;

	if (argc > 0 && !strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	if (argc == 0) {
		fprintf(stderr, "umm: run: which program? (umm run -- PROGRAM ARGS...)\n");
		return 2;
	}
	if (find_malloc_lib(lib, sizeof(lib))) {
		fprintf(stderr, "umm: run: cannot find libumm-malloc.so next to umm or in ../lib\n");
		return 1;
	}
	fd = mkstemp(report);
	if (fd < 0) {
		fprintf(stderr, "umm: run: cannot create a report file: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	snprintf(preload, sizeof(preload), "%s%s%s", lib, old && *old ? ":" : "",
		 old ? old : "");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "umm: run: fork: %s\n", strerror(errno));
		unlink(report);
		return 1;
	}
	if (pid == 0) {
		setenv("LD_PRELOAD", preload, 1);
		setenv("UMM_REPORT", report, 1);
		if (cmdline)
			setenv("UMM_CMDLINE", cmdline, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "umm: run: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	{
		FILE *f = fopen(report, "r");
		char buf[8192];
		size_t n, total = 0;

		if (f) {
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
				fwrite(buf, 1, n, stdout);
				total += n;
			}
			fclose(f);
		}
		if (!total)
			fprintf(stderr, "umm: run: %s never called malloc, so umm has nothing to report\n",
				argv[0]);
	}
	unlink(report);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "umm: run: %s killed by signal %d\n", argv[0], WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	static char script_cmdline[4096];
	const char *cmdline = NULL;
	int i = 1, err;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("umm " UMM_VERSION "\n");
			return 0;
		}
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc) {
			cmdline = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--cmdline=", 10)) {
			cmdline = argv[i] + 10;
			continue;
		}
		fprintf(stderr, "umm: unknown option '%s' (try umm --help)\n", argv[i]);
		return 2;
	}
	if (i == argc) {
		fprintf(stderr, "umm: no command given (try umm --help)\n");
		return 2;
	}
	if (!strcmp(argv[i], "run"))
		return cmd_run(cmdline, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "cat") && strcmp(argv[i], "demo") && strcmp(argv[i], "slabtop") &&
	    strcmp(argv[i], "run-script") && strcmp(argv[i], "shell") && strcmp(argv[i], "draw")) {
		fprintf(stderr, "umm: unknown command '%s' (try umm --help)\n", argv[i]);
		return 2;
	}
	if (!strcmp(argv[i], "run-script") && argc - i != 2) {
		fprintf(stderr, "umm: run-script: which scenario? (umm run-script FILE)\n");
		return 2;
	}
	if (!strcmp(argv[i], "shell") && argc - i != 1) {
		fprintf(stderr, "umm: shell takes no arguments (scenarios: umm run-script FILE)\n");
		return 2;
	}
	if (!strcmp(argv[i], "run-script") || !strcmp(argv[i], "shell")) {
		/* Fixed parameters first, so that every run prints the same. */
		snprintf(script_cmdline, sizeof(script_cmdline), "%s%s%s", UMM_SCRIPT_CMDLINE,
			 cmdline ? " " : "", cmdline ? cmdline : "");
		cmdline = script_cmdline;
	}
	err = umm_boot(cmdline);
	if (err) {
		/* A bad command line was already named in one line by umm. */
		if (err != -EINVAL)
			fprintf(stderr, "umm: boot failed: %s\n", strerror(-err));
		return 1;
	}
	if (!strcmp(argv[i], "cat"))
		err = cmd_cat(argc - i - 1, argv + i + 1);
	else if (!strcmp(argv[i], "slabtop"))
		err = cmd_slabtop(argc - i - 1, argv + i + 1);
	else if (!strcmp(argv[i], "run-script"))
		err = umm_script_run_file(argv[i + 1]);
	else if (!strcmp(argv[i], "shell"))
		err = umm_script_shell();
	else if (!strcmp(argv[i], "draw"))
		err = cmd_draw(argc - i - 1, argv + i + 1);
	else
		err = cmd_demo(argc - i - 1, argv + i + 1);
	umm_shutdown();
	return err;
}
