// SPDX-License-Identifier: GPL-2.0
/*
 * umm.c - the command-line tool: options, the table of subcommands, and
 * the small ones (cat, write, slabtop; demo is tools/demo.c, compare-slab
 * tools/compare.c, draw tools/draw.c, run language tools/script/).
 *
 *   umm [--cmdline "PARAMS"] COMMAND [ARGS]     `umm --help` lists them
 *   umm help [COMMAND] | umm COMMAND --help     one command's usage
 *
 * Each subcommand is one row of subcommands[] (name, arguments, how many,
 * summary, whether umm boots first, handler): --help, help COMMAND and the
 * usage errors come from it.
 *
 * Errors: one line on stderr ("umm: ..."), exit status 2 for bad use,
 * 1 when umm itself fails (boot, an unknown /proc path, output that could
 * not be written).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <umm.h>
#include "compare.h"
#include "demo.h"
#include "draw.h"
#include "exec.h"
#include "proc_text.h"
#include "run.h"
#include "script.h"
#include "slabtop.h"
#include "timeline.h"
#include "top.h"

#define UMM_VERSION "0.1.0"

static int print_proc(const char *path)
{
	int err;
	char *text = proc_text(path, NULL, &err);

	if (!text) {
		if (err == -ENOENT)
			fprintf(stderr, "umm: %s: no such file in umm's /proc (try umm --help)\n",
				path);
		else
			fprintf(stderr, "umm: %s: %s\n", path, strerror(-err));
		return 1;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}

static int cmd_cat(const char *cmdline, int argc, char **argv)
{
	int ret = 0;

	(void)cmdline;
	if (!strcmp(argv[0], "--svg"))
		return cmd_cat_svg(argc - 1, argv + 1);
	/* an option among the paths is a mistake, not a file that is not there */
	for (int i = 0; i < argc; i++) {
		if (argv[i][0] != '-')
			continue;
		if (!strcmp(argv[i], "--svg"))
			fprintf(stderr, "umm: cat: --svg comes first (usage: umm cat [--svg] PATH...)\n");
		else
			fprintf(stderr, "umm: cat: no option '%s' (usage: umm cat [--svg] PATH...)\n",
				argv[i]);
		return 2;
	}
	for (int i = 0; i < argc; i++)
		ret |= print_proc(argv[i]);
	return ret;
}

/* echo TEXT > PATH, then cat PATH: what the write changed, in one boot. */
static int cmd_write(const char *cmdline, int argc, char **argv)
{
	ssize_t n;

	(void)cmdline;
	(void)argc;
	n = umm_proc_write(argv[0], argv[1], strlen(argv[1]));
	if (n < 0) {
		fprintf(stderr, "umm: write %s: %s\n", argv[0], strerror((int)-n));
		return 1;
	}
	return print_proc(argv[0]);
}

static int do_compare_slab(const char *cmdline, int argc, char **argv)
{
	const char *line = umm_boot_line(NULL, cmdline);

	(void)argc;
	(void)argv;
	unsetenv("UMM_CMDLINE");	/* in the line now */
	return cmd_compare_slab(line);
}

static int cmd_slabtop(const char *cmdline, int argc, char **argv)
{
	char sort = 'o';

	(void)cmdline;
	/* procps's forms: -s KEY, -sKEY, --sort KEY, --sort=KEY */
	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "-s") || !strcmp(argv[i], "--sort")) && i + 1 < argc &&
		    strlen(argv[i + 1]) == 1) {
			sort = argv[++i][0];
		} else if (!strncmp(argv[i], "-s", 2) && strlen(argv[i]) == 3) {
			sort = argv[i][2];
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

/* ---- the subcommands ---- */

static int do_demo(const char *cmdline, int argc, char **argv)
{
	(void)cmdline;
	return cmd_demo(argc, argv);
}

/* run composes its boot line here and checks it before PROG starts. */
static int do_run(const char *cmdline, int argc, char **argv)
{
	return cmd_run(umm_boot_line(NULL, cmdline), argc, argv);
}

static int do_draw(const char *cmdline, int argc, char **argv)
{
	(void)cmdline;
	return cmd_draw(argc, argv);
}

/*
 * run-script [--timeline SVG] FILE: with --timeline, the schedule is
 * recorded from before the first line and drawn into SVG after the last
 * (after a bad line too: what ran until then).  SVG is opened first, so
 * that a path that cannot be written fails before the scenario runs.
 */
static int do_run_script(const char *cmdline, int argc, char **argv)
{
	const char *svg = NULL;
	FILE *f = NULL;
	int ret, drawn;

	(void)cmdline;
	if (!strcmp(argv[0], "--timeline") || !strncmp(argv[0], "--timeline=", 11)) {
		bool joined = argv[0][10] == '=';

		svg = joined ? argv[0] + 11 : argc > 1 ? argv[1] : "";
		argc -= joined ? 1 : 2;
		argv += joined ? 1 : 2;
	}
	if (argc != 1 || (svg && !*svg) || (argv[0][0] == '-' && argv[0][1])) {
		fprintf(stderr, "umm: run-script: usage: umm run-script [--timeline FILE.svg] "
			"SCRIPT\n");
		return 2;
	}
	if (svg) {
		f = fopen(svg, "w");
		if (!f) {
			fprintf(stderr, "umm: run-script: --timeline %s: %s\n", svg, strerror(errno));
			return 1;
		}
		ret = timeline_start();
		if (ret) {
			fprintf(stderr, "umm: run-script: --timeline: %s\n", strerror(-ret));
			fclose(f);
			return 1;
		}
	}
	ret = umm_script_run_file(argv[0]);
	if (!f)
		return ret;
	/* the script may have stopped the recording: draw only what there is */
	drawn = timeline_recording() ? timeline_write(f) : -EINVAL;
	if (fclose(f) && drawn >= 0)
		drawn = -errno;
	if (drawn < 0) {
		fprintf(stderr, "umm: run-script: --timeline %s: %s\n", svg, drawn == -EINVAL ?
			"the script stopped the recording (timeline stop)" : strerror(-drawn));
		ret = 1;
	}
	timeline_stop();
	return ret;
}

static int do_top(const char *cmdline, int argc, char **argv)
{
	(void)cmdline;
	return cmd_top(argc, argv);
}

static int do_shell(const char *cmdline, int argc, char **argv)
{
	(void)cmdline;
	(void)argc;
	(void)argv;
	return umm_script_shell();
}

static int do_language(const char *cmdline, int argc, char **argv)
{
	(void)cmdline;
	(void)argc;
	(void)argv;
	umm_script_reference(stdout);
	return 0;
}

struct subcommand {
	const char *name;
	const char *args;		/* after the name, for usage */
	const char *summary;		/* for --help: lines, '\n' separated */
	int min_args, max_args;		/* max -1: any number */
	bool boots;			/* umm_boot() before the handler */
	bool script;			/* boots with UMM_SCRIPT_CMDLINE first */
	int (*fn)(const char *cmdline, int argc, char **argv);
};

static int do_help(const char *cmdline, int argc, char **argv);

/* One row per subcommand, in the order --help lists them. */
static const struct subcommand subcommands[] = {
	{ "demo", "", "boot with defaults and walk through the buddy allocator,\n"
	  "vmalloc and the slab layer, printing what /proc shows",
	  0, 0, true, false, do_demo },
	{ "run", "[--each] [--full] [--report FILE] [--] PROG ARGS...",
	  "run PROG with libumm-malloc.so preloaded (its malloc is\n"
	  "umm's slab layer); when it exits, print on stderr (or in\n"
	  "FILE) the slab caches it used, slabtop style, and the\n"
	  "meminfo lines about them: for PROG's own process, or\n"
	  "with --each for every process it starts; --full prints\n"
	  "/proc/slabinfo, /proc/meminfo and /proc/buddyinfo whole;\n"
	  "exits with PROG's status, 2 before PROG on a bad --cmdline",
	  0, -1, false, false, do_run },
	{ "run-script", "[--timeline SVG] FILE", "run a scenario (FILE - is stdin): address spaces, mmap and\n"
	  "friends, page faults, fork and /proc reports, printed\n"
	  "strace style (see examples/*.umm, docs/language.md);\n"
	  "exit 1 at a bad line; --timeline SVG records the schedule\n"
	  "from the start and draws it into SVG at the end",
	  1, 3, true, true, do_run_script },
	{ "top", "[-b] [-n FRAMES] [-d DUR] SCRIPT",
	  "the simulated machine as top shows one: SCRIPT's lines run\n"
	  "(their output hidden), then each frame advances the clock\n"
	  "DUR (seconds, or 10ms ...; 1 by default) and shows uptime,\n"
	  "load, tasks, %Cpu from /proc/stat, each CPU and its task,\n"
	  "then per task PR NI S %CPU TIME+ vruntime switches; -n:\n"
	  "FRAMES frames, then exit; -b (or no terminal): frames one\n"
	  "after another, as top -b",
	  1, -1, true, true, do_top },
	{ "shell", "", "the scenario language interactively ('help' lists it)",
	  0, 0, true, true, do_shell },
	{ "slabtop", "[-s KEY]", "the slab caches as slabtop -o shows them; KEY sorts by\n"
	  "a(ctive) b(objs/slab) c(ache size) l(slabs) n(ame)\n"
	  "o(bjs, default) p(ages/slab) s(ize) u(se)",
	  0, -1, true, false, cmd_slabtop },
	{ "cat", "[--svg] PATH...", "print umm's /proc files (umm help cat lists them);\n"
	  "--svg: /proc/buddyinfo or /proc/pagetypeinfo as a picture",
	  1, -1, true, false, cmd_cat },
	{ "write", "PATH TEXT", "write TEXT to one of umm's /proc or /sys files, as\n"
	  "echo TEXT > PATH does, then print the file: with umm.slab=slab,\n"
	  "\"CACHE LIMIT BATCHCOUNT SHARED\" to /proc/slabinfo retunes a cache",
	  2, 2, true, false, cmd_write },
	{ "compare-slab", "", "one workload on the classic SLAB allocator and on SLUB,\n"
	  "side by side: objects per slab, wasted bytes, colour, the\n"
	  "per-CPU caches, /proc/slabinfo of both",
	  0, 0, false, false, do_compare_slab },
	{ "draw", "buddy", "the free lists of every zone as an SVG picture (one cell\n"
	  "per pageblock, coloured by migratetype and free order);\n"
	  "draw maps and draw walk are in the scenario language",
	  1, -1, true, false, do_draw },
	{ "exec", "[-i] [--svg FILE] PATH [ARGS...]",
	  "a child of init execs PATH with ARGS and this environment\n"
	  "(-i: none; binfmt_elf, binfmt_script): print its maps,\n"
	  "its auxv as LD_SHOW_AUXV=1 does, and its initial stack from\n"
	  "start_stack to the top, each part labelled (argc, argv,\n"
	  "envp, auxv, the strings); --svg FILE draws the stack",
	  1, -1, true, true, cmd_exec_program },
	{ "language", "", "print the scenario language reference (Markdown; it is\n"
	  "docs/language.md)",
	  0, 0, false, false, do_language },
	{ "help", "[COMMAND]", "this text, or one command's usage",
	  0, 1, false, false, do_help },
	{ NULL, NULL, NULL, 0, 0, false, false, NULL }
};

static const struct subcommand *find_subcommand(const char *name)
{
	for (const struct subcommand *c = subcommands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static void print_usage_line(FILE *f, const struct subcommand *c)
{
	fprintf(f, "umm [--cmdline \"PARAMS\"] %s%s%s", c->name, *c->args ? " " : "", c->args);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: umm [--cmdline \"PARAMS\"] COMMAND [ARGS]\n"
		"\n"
		"The Linux memory manager, in user space.\n"
		"\n"
		"commands:\n");
	for (const struct subcommand *c = subcommands; c->name; c++) {
		const char *s = c->summary;
		int n = fprintf(f, "  %s%s%s", c->name, *c->args ? " " : "", c->args);

		for (bool first = true; *s; first = false) {
			size_t len = strcspn(s, "\n");

			if (!first || n > 19)
				fprintf(f, "%s%20s", first ? "\n" : "", "");
			else
				fprintf(f, "%*s", 20 - n, "");
			fprintf(f, "%.*s\n", (int)len, s);
			s += len + (s[len] == '\n');
		}
	}
	fprintf(f,
		"\n"
		"options:\n"
		"  --cmdline PARAMS  boot parameters, kernel style, e.g. \"mem=1G numa=fake=2\"\n"
		"                    (added after $UMM_CMDLINE, and after an earlier\n"
		"                    --cmdline; see README.md for the list)\n"
		"  -h, --help        this text (umm COMMAND --help: that command's)\n"
		"  --version         print the version\n");
}

/* umm help CMD, umm CMD --help: the usage line and what it does. */
static void subcommand_help(const struct subcommand *c)
{
	printf("usage: ");
	print_usage_line(stdout, c);
	printf("\n\n");
	for (const char *s = c->summary; *s;) {
		size_t len = strcspn(s, "\n");

		printf("  %.*s\n", (int)len, s);
		s += len + (s[len] == '\n');
	}
	if (!strcmp(c->name, "cat")) {
		printf("\n  files:");
		for (const char *const *p = umm_proc_paths(); *p; p++)
			printf(" %s", *p);
		printf(",\n  /sys/kernel/slab/CACHE/ATTR (SLUB's files); a directory lists its"
		       " entries\n");
	}
}

static int do_help(const char *cmdline, int argc, char **argv)
{
	const struct subcommand *c;

	(void)cmdline;
	if (!argc) {
		usage(stdout);
		return 0;
	}
	c = find_subcommand(argv[0]);
	if (!c) {
		/* mmap, touch, show, ...: the scenario language's */
		if (!umm_script_help(argv[0])) {
			printf("\n(%s is of the scenario language: umm run-script, umm shell;"
			       " umm language prints it all)\n", argv[0]);
			return 0;
		}
		fprintf(stderr, "umm: help: no command '%s', in umm or in its scenario language"
			" (try umm --help)\n", argv[0]);
		return 2;
	}
	subcommand_help(c);
	return 0;
}

/* A wrong number of arguments, or an option only the front may have. */
static int check_args(const struct subcommand *c, int argc, char **argv)
{
	/* run hands its arguments to the program: they are not umm's */
	for (int i = 0; i < argc && c->fn != do_run; i++) {
		if (!strcmp(argv[i], "--cmdline") || !strncmp(argv[i], "--cmdline=", 10)) {
			fprintf(stderr, "umm: %s: --cmdline goes before the command "
				"(umm --cmdline PARAMS %s)\n", c->name, c->name);
			return 2;
		}
	}
	if (argc < c->min_args || (c->max_args >= 0 && argc > c->max_args)) {
		fprintf(stderr, "umm: %s: %s (usage: ", c->name,
			argc < c->min_args ? "too few arguments" : c->max_args ? "too many arguments" :
			"takes no arguments");
		print_usage_line(stderr, c);
		fprintf(stderr, ")\n");
		return 2;
	}
	return 0;
}

/*
 * The boot line: a scenario's fixed parameters first, so that every run
 * prints the same, then $UMM_CMDLINE, then the user's --cmdline
 * (umm_boot_line()).  $UMM_CMDLINE is then unset, since the line holds it
 * and umm_boot() would read it again.
 */
static const char *boot_cmdline(const struct subcommand *c, const char *cmdline)
{
	const char *line = umm_boot_line(c->script ? UMM_SCRIPT_CMDLINE : NULL, cmdline);

	unsetenv("UMM_CMDLINE");
	return line;
}

/* --cmdline again: its parameters follow the earlier ones, as on one boot line. */
static void add_cmdline(const char **cmdline, const char *more)
{
	static char *joined;	/* the line so far, kept until exit */
	char *line = cmdline_join(*cmdline, more);

	free(joined);
	*cmdline = joined = line;
}

/* The options before the command; returns the index of the command or -1 - status. */
static int parse_options(int argc, char **argv, const char **cmdline)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			if (i + 1 < argc)	/* umm --help CMD: as umm help CMD */
				return i + 1 == argc - 1 ? -1 - do_help(NULL, 1, argv + i + 1) :
				       (fprintf(stderr, "umm: %s takes at most a command name\n",
						argv[i]), -1 - 2);
			usage(stdout);
			return -1 - 0;
		}
		if (!strcmp(argv[i], "--version")) {
			if (i + 1 < argc) {
				fprintf(stderr, "umm: --version takes no arguments\n");
				return -1 - 2;
			}
			printf("umm " UMM_VERSION "\n");
			return -1 - 0;
		}
		if (!strcmp(argv[i], "--cmdline")) {
			if (i + 1 == argc) {
				fprintf(stderr, "umm: --cmdline needs a value "
					"(e.g. umm --cmdline \"mem=1G\" demo)\n");
				return -1 - 2;
			}
			add_cmdline(cmdline, argv[++i]);
			continue;
		}
		if (!strncmp(argv[i], "--cmdline=", 10)) {
			add_cmdline(cmdline, argv[i] + 10);
			continue;
		}
		fprintf(stderr, "umm: unknown option '%s' (try umm --help)\n", argv[i]);
		return -1 - 2;
	}
	if (i == argc) {
		fprintf(stderr, "umm: no command given (try umm --help)\n");
		return -1 - 2;
	}
	return i;
}

/*
 * Output lost (a full disk, say) is an error, as cat(1) has it: one line
 * and exit 1, unless the command failed already and said why.
 */
static int stdout_done(int ret)
{
	int err = fflush(stdout) ? errno : 0;

	if ((!err && !ferror(stdout)) || ret)
		return ret;
	/* an earlier flush failed and dropped its data: its errno is gone */
	fprintf(stderr, "umm: write error on standard output%s%s\n", err ? ": " : "",
		err ? strerror(err) : "");
	return 1;
}

static int umm_main(int argc, char **argv)
{
	const struct subcommand *c;
	const char *cmdline = NULL;
	int i, err;

	i = parse_options(argc, argv, &cmdline);
	if (i < 0)
		return -1 - i;
	c = find_subcommand(argv[i]);
	if (!c) {
		fprintf(stderr, "umm: unknown command '%s' (try umm --help)\n", argv[i]);
		return 2;
	}
	argc -= i + 1;
	argv += i + 1;
	/* umm CMD --help (run's arguments after -- are the program's) */
	if (argc == 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"))) {
		subcommand_help(c);
		return 0;
	}
	err = check_args(c, argc, argv);
	if (err)
		return err;
	if (!c->boots)
		return c->fn(cmdline, argc, argv);
	err = umm_boot(boot_cmdline(c, cmdline));
	if (err) {
		/* A bad command line was already named in one line by umm. */
		if (err != -EINVAL)
			fprintf(stderr, "umm: boot failed: %s\n", strerror(-err));
		return 1;
	}
	err = c->fn(cmdline, argc, argv);
	umm_shutdown();
	return err;
}

/*
 * A standard descriptor closed on entry would be the next file umm opens
 * (the boot's memfd as stdin, read as the script).  /dev/null holds its
 * place, opened the wrong way round so that using it still fails with
 * EBADF (gnulib's stdopen), and close-on-exec: umm run's PROGRAM gets
 * the descriptors as umm got them.
 */
static void hold_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free descriptor is fd: 0..fd-1 are open by now */
		if (open("/dev/null", (fd ? O_RDONLY : O_WRONLY) | O_CLOEXEC) < 0)
			return;
	}
}

int main(int argc, char **argv)
{
	hold_std_fds();
	return stdout_done(umm_main(argc, argv));
}
