/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/script/internal.h - what the parts of the scenario language share:
 * the interpreter's state (struct script), the command table's row
 * (struct command) and the functions one part calls in another.
 *
 *   lexer.c     words, quotes, comments, names
 *   values.c    expressions and values, the names of constants, flag words
 *   calls.c     the system calls and memory accesses (mmap ... walk, files)
 *   reports.c   show (with | grep), vmas
 *   session.c   address spaces, variables, narration and checks, running lines
 *   tasks.c     processes: fork, clone, exec, exit, wait, ps, pstree, PID:
 *   commands.c  the command table: usage, help, completion, docs/language.md
 *   shell.c     umm shell: line editing, history, completion, Ctrl-C
 *
 * One script runs at a time, on one thread; nothing here is global but the
 * shell's interrupt flag and the tables.
 */
#ifndef _UMM_TOOLS_SCRIPT_INTERNAL_H
#define _UMM_TOOLS_SCRIPT_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <umm.h>
#include <umm/pgtable.h>
#include <umm/rmap.h>
#include "../script.h"

#define MAX_MMS		16
#define MAX_TASKS	1024	/* made by one script, reaped at its end */
#define MAX_VARS	256
#define MAX_TOKENS	16
#define NAME_LEN	32
#define MAX_FILES	16
#define MAX_ANON_VMAS	256
#define MAX_LINE	65536
#define HEADER_LEN	512	/* a report's "$ cat ..." line */

struct name_val {
	const char *name;
	long val;
};

/* ---- interpreter state ---- */

/*
 * An address space a line acts on: one the script made (mm NAME, fork
 * CHILD), in s->mms[], or a process's, in s->cur_task or s->line_task:
 * pid is then its pid, name the pid's digits (so /proc/NAME/maps is its
 * file), and mm the task's mm as of the line's start (NULL for a zombie
 * or a kernel thread), refreshed after each process command.
 */
struct mm_slot {
	char name[NAME_LEN];
	struct mm_struct *mm;
	pid_t pid;		/* 0: an mm of the script's */
	bool gone;		/* a process slot whose task was reaped */
};

/*
 * A value of the language: any integer from -2^63 to 2^64 - 1, so that
 * both an address (0xffffffffffffffff) and an error (-ENOMEM) are
 * written as they are.  Arithmetic is exact; a result outside that range
 * is an error, never wrapped.  A call's argument takes the value's low 64
 * bits, as a system call's register would, after its type's range check.
 */
typedef __int128 val_t;
#define VAL_MIN		(-((val_t)1 << 63))
#define VAL_MAX		(((val_t)1 << 64) - 1)

struct var {
	char name[NAME_LEN];
	val_t val;
};

struct script {
	const char *file;		/* for messages */
	int lineno;
	FILE *in;
	bool interactive;		/* a terminal: prompt and line editing */
	bool quit;
	int depth;			/* of nested source commands */
	bool input_error;		/* s->in is not a text file: stop reading it */
	struct replay *replay;		/* a repeat's body: lines come from here */

	struct mm_slot mms[MAX_MMS];
	int nr_mms;
	struct mm_slot *cur;
	struct mm_slot *line_mm;	/* "NAME:" prefix of this line, else cur */
	struct mm_slot cur_task;	/* cur, when `use PID` chose a process */
	struct mm_slot line_task;	/* line_mm, for a "PID:" prefix */
	pid_t tasks[MAX_TASKS];		/* the processes the script made */
	int nr_tasks;
	long wstatus;			/* the last wait's status */

	struct var vars[MAX_VARS];
	int nr_vars;
	long ret;			/* the last call's value */
	long sig_code, sig_addr;	/* the last signal */
	int fds[MAX_FILES];		/* host files opened by the script */
	int nr_fds;
	const void *anon_vmas[MAX_ANON_VMAS];	/* numbered as first shown */
	int nr_anon_vmas;

	/* Expression parsing state. */
	const char *ep;
	bool eerr;
	bool equiet;			/* a trial: errors are not reported */
	int enest;			/* operands being evaluated, nested */
};

/* The lines of a repeat's body, read again each time round. */
struct replay {
	char **lines;
	int *linenos;
	int n, next;
};

struct command;

struct cmd_ctx {
	struct script *s;
	const struct command *cmd;	/* its row of the command table */
	int argc;
	char **argv;		/* argv[0] is the command */
	bool want_value;	/* NAME = CMD ...: the caller assigns s->ret */
	const char *raw;	/* the text after the command word */
};

struct text {
	char *buf;
	size_t len;
};


/*
 * The types of a command's numeric arguments: each has the range of the
 * C parameter it becomes (or the limit the interpreter sets on a buffer).
 */
enum arg_type {
	ARG_NONE,
	ARG_WORD,	/* a word the command reads itself (PROT, FLAGS, "TEXT", ...) */
	ARG_ADDR,	/* unsigned long: an address or a length */
	ARG_INT,	/* int: a descriptor */
	ARG_OFF,	/* off_t */
	ARG_BYTE,	/* 0 to 255 */
	ARG_READ_LEN,	/* read: at most 1M */
	ARG_FILL_LEN,	/* fill: at most 64M */
	ARG_PREAD_LEN,	/* pread: at most 4K */
	ARG_TMP_SIZE,	/* tmpfile: at most 1G */
	ARG_PAGES,	/* pagemap: 1 to 512 */
	ARG_TRANSLATE_LEN,	/* translate: at most 64 pages */
	ARG_REPEAT,	/* repeat: at most 1000000 times */
	NR_ARG_TYPES
};

/*
 * One row per command: everything the usage errors, `help`, completion
 * and docs/language.md say of it comes from here.
 */
struct command {
	const char *name;
	const char *args;		/* after the name, e.g. "ADDR LEN [read|write]" */
	const char *group;		/* the section of help it is listed under */
	const char *summary;		/* one line */
	const char *help;		/* the long help: paragraphs, '\n' separated */
	int (*fn)(struct cmd_ctx *c);
	bool value;			/* returns a value: NAME = CMD ... */
	signed char min_args, max_args;	/* -1: the command checks its own */
	enum arg_type types[6];		/* of arguments 1..6 */
	const char *const *complete;	/* words for the first argument */
	bool complete_reports;		/* ... or the report names */
};

/* lexer.c */
bool is_ident_start(int c);
bool is_ident(int c);
size_t ident_len(const char *p);
bool valid_name(const char *name);
bool quoted(const char *tok);
size_t unescape(const char *in, char *out);
char *quoted_text(struct script *s, const char *tok, size_t *len);
int tokenize(struct script *s, char *line, char **argv, int max);
char *strip_comment(char *p);
char *rest_of_line(char *line);

/* values.c */
extern const struct name_val prot_names[], map_names[], madv_names[], mremap_names[],
	msync_names[], errno_names[], signal_names[], rlimit_names[];
#define MAP_TYPE_MASK 0x0f
const struct name_val *lookup(const struct name_val *t, const char *name);
const char *name_of(const struct name_val *t, long val);
bool is_builtin(const char *name);
bool is_value_name(struct script *s, const char *name);
bool constant(const char *name, long *out);
int eval_wide(struct script *s, const char *text, val_t *out);
int eval(struct script *s, const char *text, long *out);
int eval_ulong(struct script *s, const char *text, unsigned long *out);
int eval_in(struct script *s, const char *text, val_t min, val_t max, const char *what,
	    val_t *out);
int parse_flags(struct script *s, const char *text, const struct name_val *table,
		const char *prefix, const char *what, long *out);
int parse_prot(struct script *s, const char *text, long *out);
int assign(struct script *s, const char *name, val_t v);
char *format_val(val_t v, char *buf, size_t size);

/* calls.c */
void print_bits(long v, const struct name_val *table, const char *none);
void fprint_bits(FILE *f, long v, const struct name_val *table, const char *none);
void print_result(long ret, bool hex);
void print_cstring(const unsigned char *p, size_t n);
void set_ret(struct script *s, long v);
int arg_ulong(struct cmd_ctx *c, int i, unsigned long *out);
int arg_long(struct cmd_ctx *c, int i, long *out);
int cmd_mmap(struct cmd_ctx *c);
int cmd_range(struct cmd_ctx *c);
int cmd_mremap(struct cmd_ctx *c);
int cmd_brk(struct cmd_ctx *c);
int cmd_touch(struct cmd_ctx *c);
int cmd_read(struct cmd_ctx *c);
int cmd_write(struct cmd_ctx *c);
int cmd_fill(struct cmd_ctx *c);
int cmd_translate(struct cmd_ctx *c);
int cmd_walk(struct cmd_ctx *c);
int cmd_stats(struct cmd_ctx *c);
int cmd_open(struct cmd_ctx *c);
int cmd_tmpfile(struct cmd_ctx *c);
int cmd_pread(struct cmd_ctx *c);
int cmd_close(struct cmd_ctx *c);

/* tasks.c */
struct task_struct *need_task(struct script *s, const char *cmd);

/* sched.c */
int cmd_program(struct cmd_ctx *c);
int cmd_nice(struct cmd_ctx *c);
int cmd_policy(struct cmd_ctx *c);
int cmd_affinity(struct cmd_ctx *c);
int cmd_slice(struct cmd_ctx *c);
int cmd_advance(struct cmd_ctx *c);
int cmd_irq(struct cmd_ctx *c);
int cmd_device(struct cmd_ctx *c);
int cmd_timeline(struct cmd_ctx *c);

/* reports.c */
extern const char *const mm_reports[];
int render(struct script *s, const char *report, int argc, char **argv,
	   struct text *t, char *header, size_t hsize);
int cmd_show(struct cmd_ctx *c);
int cmd_draw_svg(struct cmd_ctx *c);
int cmd_vmas(struct cmd_ctx *c);

/* session.c */
int serr(struct script *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vreport(struct script *s, const char *fmt, va_list ap);
struct mm_slot *find_mm(struct script *s, const char *name);
struct mm_slot *named_mm(struct script *s, const char *name);
struct mm_struct *need_mm(struct script *s);
void call_prefix(struct script *s);
char *read_line(struct script *s, const char *prompt);
int run_line(struct script *s, char *line);
int script_loop(struct script *s, bool keep_going);
int cmd_mm(struct cmd_ctx *c);
int cmd_fork(struct cmd_ctx *c);
int cmd_use(struct cmd_ctx *c);
int cmd_exit(struct cmd_ctx *c);
int cmd_exec(struct cmd_ctx *c);
int cmd_setrlimit(struct cmd_ctx *c);
int cmd_check(struct cmd_ctx *c);
int cmd_echo(struct cmd_ctx *c);
int cmd_print(struct cmd_ctx *c);
int cmd_expect(struct cmd_ctx *c);
int cmd_quit(struct cmd_ctx *c);
int cmd_source(struct cmd_ctx *c);
int cmd_repeat(struct cmd_ctx *c);
int cmd_end(struct cmd_ctx *c);
int cmd_mm_exit(struct cmd_ctx *c);
int cmd_mm_fork(struct cmd_ctx *c);
int cmd_mm_exec(struct cmd_ctx *c);
int mm_use(struct script *s, const char *name);

/* tasks.c */
extern const struct name_val clone_names[];
int task_slot(struct script *s, struct mm_slot *slot, pid_t pid);
void refresh_tasks(struct script *s);
int line_pid_prefix(struct script *s, const char *word);
void tasks_begin(void);
void tasks_end(struct script *s);
ssize_t task_file(struct script *s, pid_t pid, const char *file, struct text *t);
int cmd_clone(struct cmd_ctx *c);
int cmd_wait(struct cmd_ctx *c);
int cmd_prctl(struct cmd_ctx *c);
int cmd_ps(struct cmd_ctx *c);
int cmd_pstree(struct cmd_ctx *c);

/* commands.c */
extern const struct command commands[];
const struct command *find_command(const char *name);
const struct command *next_row(const struct command *cmd);
bool command_value(const struct command *cmd);
int usage_error(struct script *s, const struct command *cmd);
int check_nargs(struct cmd_ctx *c);
bool arg_range(enum arg_type type, val_t *min, val_t *max, const char **what);
int cmd_help(struct cmd_ctx *c);

/* The report names `show` takes, per mm and global, NULL-terminated. */
const char *const *report_names(void);

/* shell.c */
/* Set by SIGINT in the shell: the running command stops at its next check. */
extern volatile int script_interrupted;
char *shell_read_line(struct script *s, const char *prompt);

#endif /* _UMM_TOOLS_SCRIPT_INTERNAL_H */
