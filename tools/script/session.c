// SPDX-License-Identifier: GPL-2.0
/*
 * session.c - a scenario's session: its address spaces (mm, fork, use,
 * exit, exec, setrlimit, check), narration and checks (echo, print,
 * expect, source, quit), and running lines: NAME: prefixes, assignments,
 * and the dispatch of a command through its row of the command table.
 *
 * Owns: struct script (the named mms, the variables, the files opened),
 * nothing global.  Invariants: s->cur and s->line_mm point into s->mms[],
 * or at a process's slot (s->cur_task, s->line_task; tasks.c), or are
 * NULL (an exit or fork that moves the array re-finds them by name; a
 * process's slot does not move); every mm and fd the script made is
 * released at its end, and every process it made is ended and reaped.
 *
 * `exec` alone, on an mm of the script's, runs no program: it maps the
 * stack with umm_mmap(MAP_GROWSDOWN | MAP_FIXED) and sets
 * mm->start_stack itself, under mmap_lock, as setup_arg_pages() would (the
 * API has no call for it); the heap base is umm_mm_set_brk_base().  A
 * process's `exec PATH` is a real execve() (tasks.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <limits.h>
#include <unistd.h>
#include <umm/sched.h>
#include "internal.h"


void vreport(struct script *s, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: ", s->file, s->lineno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Report an error of this line as FILE:LINE: message; returns -1. */
int serr(struct script *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, fmt, ap);
	va_end(ap);
	return -1;
}

struct mm_slot *find_mm(struct script *s, const char *name)
{
	for (int i = 0; i < s->nr_mms; i++)
		if (!strcmp(s->mms[i].name, name))
			return &s->mms[i];
	return NULL;
}

/* The address space called @name, or NULL after an error message. */
struct mm_slot *named_mm(struct script *s, const char *name)
{
	struct mm_slot *slot = find_mm(s, name);
	char list[8 * (NAME_LEN + 2)] = "";
	size_t n = 0;

	if (slot)
		return slot;
	if (!s->nr_mms) {
		serr(s, "no address space '%s' (there is none yet: mm %s makes one)", name, name);
		return NULL;
	}
	for (int i = 0; i < s->nr_mms && i < 8; i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
				      s->mms[i].name);
	serr(s, "no address space '%s' (there %s: %s%s)", name, s->nr_mms > 1 ? "are" : "is",
	     list, s->nr_mms > 8 ? ", ..." : "");
	return NULL;
}

struct mm_struct *need_mm(struct script *s)
{
	if (!s->line_mm) {
		serr(s, "no address space yet (start with: mm A)");
		return NULL;
	}
	if (s->line_mm->gone) {
		serr(s, "no process %d any more (it was reaped)", s->line_mm->pid);
		return NULL;
	}
	if (!s->line_mm->mm) {
		serr(s, "process %d has no address space (%s)", s->line_mm->pid,
		     umm_find_task(s->line_mm->pid) && umm_find_task(s->line_mm->pid)->exit_state ?
		     "a zombie: exit released it" : "a kernel thread");
		return NULL;
	}
	return s->line_mm->mm;
}

/*
 * "[A] " once there is more than one address space, as strace -f; a
 * process's calls always say "[pid N] ".
 */
void call_prefix(struct script *s)
{
	if (s->line_mm && s->line_mm->pid)
		printf("[pid %d] ", s->line_mm->pid);
	else if (s->nr_mms > 1 && s->line_mm)
		printf("[%s] ", s->line_mm->name);
}

/* ---- address spaces ---- */

static struct mm_slot *add_mm(struct script *s, const char *name, struct mm_struct *mm)
{
	struct mm_slot *slot;

	if (s->nr_mms == MAX_MMS) {
		serr(s, "too many address spaces (at most %d)", MAX_MMS);
		return NULL;
	}
	slot = &s->mms[s->nr_mms++];
	snprintf(slot->name, sizeof(slot->name), "%s", name);
	slot->mm = mm;
	return slot;
}

static int check_new_mm_name(struct script *s, const char *name)
{
	if (!valid_name(name))
		return serr(s, "'%s' is not a name (letters, digits, _)", name);
	if (find_mm(s, name))
		return serr(s, "address space %s exists already", name);
	return 0;
}

/* The limits a scenario runs under, whatever the host's ulimits are. */
static void fixed_limits(struct mm_struct *mm)
{
	umm_mm_setrlimit(mm, RLIMIT_STACK, 8UL << 20);
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, 8UL << 20);
	umm_mm_setrlimit(mm, RLIMIT_DATA, RLIM_INFINITY);
	umm_mm_setrlimit(mm, RLIMIT_AS, RLIM_INFINITY);
	mm->limits.cap_sys_rawio = false;	/* as for anyone but root */
}

int cmd_mm(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_struct *mm;
	struct mm_slot *slot;

	/* mm NAME  or  mm NAME = new */
	if ((c->argc != 2 && c->argc != 4) ||
	    (c->argc == 4 && (strcmp(c->argv[2], "=") || strcmp(c->argv[3], "new"))))
		return usage_error(s, c->cmd);
	if (check_new_mm_name(s, c->argv[1]))
		return -1;
	mm = umm_mm_create();
	if (!mm)
		return serr(s, "umm_mm_create failed");
	fixed_limits(mm);
	slot = add_mm(s, c->argv[1], mm);
	if (!slot) {
		umm_mm_destroy(mm);
		return -1;
	}
	s->cur = s->line_mm = slot;
	return 0;
}

int cmd_mm_fork(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_slot *parent = s->line_mm, *slot;
	struct mm_struct *mm;

	/* fork CHILD  or  fork CHILD = PARENT */
	if ((c->argc != 2 && c->argc != 4) || (c->argc == 4 && strcmp(c->argv[2], "=")))
		return usage_error(s, c->cmd);
	if (c->argc == 4 && !(parent = named_mm(s, c->argv[3])))
		return -1;
	if (!parent)
		return serr(s, "no address space to fork (start with: mm A)");
	if (!parent->mm)
		return need_mm(s) ? 0 : -1;	/* says why the process has none */
	if (check_new_mm_name(s, c->argv[1]))
		return -1;
	mm = umm_mm_fork(parent->mm);
	if (!mm) {
		s->line_mm = parent;
		call_prefix(s);
		printf("fork()");
		print_result(-ENOMEM, false);
		set_ret(s, -ENOMEM);
		return 0;
	}
	/* The parent's slot may move when the array grows: keep its name. */
	{
		char pname[NAME_LEN];

		snprintf(pname, sizeof(pname), "%s", parent->name);
		slot = add_mm(s, c->argv[1], mm);
		if (!slot) {
			umm_mm_destroy(mm);
			return -1;
		}
		if (!parent->pid)	/* a process's slot does not move */
			s->line_mm = find_mm(s, pname);
	}
	call_prefix(s);
	printf("fork() = %s\n", slot->name);
	set_ret(s, 0);
	return 0;
}

/* use NAME: an address space of the script's is current. */
int mm_use(struct script *s, const char *name)
{
	struct mm_slot *slot;

	slot = named_mm(s, name);
	if (!slot)
		return -1;
	s->cur = s->line_mm = slot;
	return 0;
}

int cmd_mm_exit(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_slot *slot = s->line_mm;
	char name[NAME_LEN], cur[NAME_LEN] = "";
	int i;

	if (c->argc == 2 && !(slot = named_mm(s, c->argv[1])))
		return -1;
	if (!slot || slot->pid)
		return serr(s, "no address space to exit");
	snprintf(name, sizeof(name), "%s", slot->name);
	if (s->cur && s->cur != slot)
		snprintf(cur, sizeof(cur), "%s", s->cur->name);
	if (s->cur && s->cur->pid)	/* a process stays current */
		cur[0] = '\0';
	umm_mm_destroy(slot->mm);
	i = (int)(slot - s->mms);
	memmove(&s->mms[i], &s->mms[i + 1], (size_t)(s->nr_mms - i - 1) * sizeof(s->mms[0]));
	s->nr_mms--;
	/* The current mm stays current; if it exited, the first one left is. */
	if (!s->cur || !s->cur->pid)
		s->cur = cur[0] ? find_mm(s, cur) : s->nr_mms ? &s->mms[0] : NULL;
	s->line_mm = s->cur;
	printf("+++ %s exited +++\n", name);
	return 0;
}

/*
 * What execve() leaves, less the program: setup_arg_pages()'s stack VMA
 * (128 KiB of stack_expand plus the page of arguments, at STACK_TOP with
 * no randomization) and the heap base where a small PIE's bss would end.
 */
#define EXEC_STACK_TOP		0x7ffffffff000UL
#define EXEC_STACK_SIZE		(132UL << 10)
#define EXEC_BRK_BASE		0x555555559000UL

int cmd_mm_exec(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_struct *mm;
	long ret;

	if (!(mm = need_mm(s)))
		return -1;
	if (mm->map_count || mm->start_brk)
		return serr(s, "exec: only on a new, empty address space");
	ret = umm_mmap(mm, EXEC_STACK_TOP - EXEC_STACK_SIZE, EXEC_STACK_SIZE,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
		       MAP_GROWSDOWN, -1, 0);
	if (ret < 0)
		return serr(s, "exec: the stack mapping failed: %s", strerror((int)-ret));
	mmap_write_lock(mm);
	mm->start_stack = EXEC_STACK_TOP - 0x1000 + 0x5a0;	/* argc, as the host has it */
	mmap_write_unlock(mm);
	umm_mm_set_brk_base(mm, EXEC_BRK_BASE);
	call_prefix(s);
	printf("execve() = 0   # [stack] %lx-%lx, brk %#lx\n", EXEC_STACK_TOP - EXEC_STACK_SIZE,
	       EXEC_STACK_TOP, EXEC_BRK_BASE);
	set_ret(s, 0);
	return 0;
}

int cmd_setrlimit(struct cmd_ctx *c)
{
	const struct name_val *res;
	struct mm_struct *mm;
	unsigned long v;
	int err;

	if (!(mm = need_mm(c->s)))
		return -1;
	res = lookup(rlimit_names, c->argv[1]);
	if (!res)
		return serr(c->s, "setrlimit: '%s': stack, memlock, data or as?", c->argv[1]);
	if (!strcmp(c->argv[2], "unlimited"))
		v = RLIM_INFINITY;
	else if (arg_ulong(c, 2, &v))
		return -1;
	if (c->s->line_mm->pid) {
		/* a process's limit: its signal_struct's, which fork copies and exec reads */
		struct task_struct *t = umm_find_task(c->s->line_mm->pid);
		struct rlimit rl;

		err = t ? umm_getrlimit(t, (int)res->val, &rl) : -ESRCH;
		if (!err) {
			rl.rlim_cur = v == RLIM_INFINITY ? RLIM_INFINITY : (rlim_t)v;
			err = umm_setrlimit(t, (int)res->val, &rl);
		}
	} else {
		err = umm_mm_setrlimit(mm, (int)res->val, v);
	}
	call_prefix(c->s);
	printf("setrlimit(RLIMIT_");
	for (const char *p = res->name; *p; p++)
		putchar(toupper((unsigned char)*p));
	if (v == RLIM_INFINITY)
		printf(", {rlim_cur=RLIM_INFINITY})");
	else
		printf(", {rlim_cur=%lu})", v);
	print_result(err, false);
	set_ret(c->s, err);
	return 0;
}

int cmd_check(struct cmd_ctx *c)
{
	struct mm_struct *mm;

	/* on a process: the task structures too (umm_task_check()), zombie or not */
	if (c->s->line_mm && c->s->line_mm->pid && umm_task_check())
		return serr(c->s, "check: the task structures are inconsistent (umm_task_check "
			    "said why above)");
	if (c->s->line_mm && c->s->line_mm->pid && !c->s->line_mm->mm && !c->s->line_mm->gone)
		return 0;
	if (!(mm = need_mm(c->s)))
		return -1;
	if (umm_mm_check(mm))
		return serr(c->s, "check: %s is inconsistent (umm_mm_check said why above)",
			    c->s->line_mm->name);
	return 0;
}

/* ---- narration and checks ---- */

/* echo TEXT: $name and ${expr} replaced; nothing printed if one fails. */
int cmd_echo(struct cmd_ctx *c)
{
	const char *p = c->raw;
	struct script *s = c->s;
	size_t n = strlen(p), outlen = 0;
	char *text = NULL, *out = NULL;
	int err = 0;
	FILE *f;

	/* A quoted echo prints the text inside the quotes. */
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		char *inner = strndup(p + 1, n - 2);

		text = malloc(n);
		if (!text || !inner) {
			free(inner);
			free(text);
			return serr(s, "out of memory");
		}
		text[unescape(inner, text)] = '\0';
		free(inner);
		p = text;
	}
	f = open_memstream(&out, &outlen);
	if (!f) {
		free(text);
		return serr(s, "out of memory");
	}
	while (*p && !err) {
		if (*p == '$' && (p[1] == '{' || is_ident_start((unsigned char)p[1]))) {
			const char *close = p[1] == '{' ? strchr(p, '}') : NULL;
			char expr[256], dec[48];
			val_t v;

			if (p[1] == '{' && !close) {
				err = serr(s, "echo: missing '}'");
				break;
			}
			if (close) {
				if (close - p - 2 >= (long)sizeof(expr)) {
					err = serr(s, "echo: an expression of more than %zu characters",
						   sizeof(expr) - 1);
					break;
				}
				snprintf(expr, sizeof(expr), "%.*s", (int)(close - p - 2), p + 2);
				p = close + 1;
			} else {
				snprintf(expr, sizeof(expr), "%.*s", (int)ident_len(p + 1), p + 1);
				p += 1 + ident_len(p + 1);
			}
			err = eval_wide(s, expr, &v);
			if (err)
				break;
			/* the value, not its low 64 bits: -1 and 2^64-1 differ here */
			if (v < 65536)
				fputs(format_val(v, dec, sizeof(dec)), f);
			else
				fprintf(f, "%#lx", (unsigned long)v);
			continue;
		}
		fputc(*p++, f);
	}
	fclose(f);
	if (!err)
		printf("%s\n", out);
	free(out);
	free(text);
	return err;
}

int cmd_print(struct cmd_ctx *c)
{
	char dec[48];
	val_t v;

	if (!*c->raw)
		return usage_error(c->s, c->cmd);
	if (eval_wide(c->s, c->raw, &v))
		return -1;
	if (v < 0)
		printf("%s = %s\n", c->raw, format_val(v, dec, sizeof(dec)));
	else
		printf("%s = %#lx (%s)\n", c->raw, (unsigned long)v, format_val(v, dec, sizeof(dec)));
	return 0;
}


/* Lines up to TAG (a heredoc), joined with '\n'.  NULL after an error. */
static char *read_heredoc(struct script *s, const char *tag, size_t *len)
{
	int start = s->lineno;
	char *text = NULL, *line;
	FILE *f = open_memstream(&text, len);

	if (!f) {
		serr(s, "out of memory");
		return NULL;
	}
	while ((line = read_line(s, "> "))) {
		if (!strcmp(line, tag)) {
			free(line);
			fclose(f);
			return text;
		}
		fprintf(f, "%s\n", line);
		free(line);
	}
	fclose(f);
	free(text);
	if (s->input_error)
		return NULL;
	s->lineno = start;
	serr(s, "no line '%s' ends the text that starts here", tag);
	return NULL;
}

/* Print the first line where @want and @got differ. */
static void report_diff(const char *want, const char *got)
{
	int line = 1;

	while (*want && *got) {
		size_t a = strcspn(want, "\n"), b = strcspn(got, "\n");

		if (a != b || strncmp(want, got, a))
			break;
		want += a + (want[a] == '\n');
		got += b + (got[b] == '\n');
		line++;
	}
	fprintf(stderr, "  first difference at line %d of the text:\n", line);
	fprintf(stderr, "  want: %.*s%s\n", (int)strcspn(want, "\n"), want,
		*want ? "" : "(end of text)");
	fprintf(stderr, "  got:  %.*s%s\n", (int)strcspn(got, "\n"), got,
		*got ? "" : "(end of text)");
}

int cmd_expect(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const char *tag;
	long v;

	if (c->argc < 2)
		return usage_error(s, c->cmd);
	tag = c->argv[c->argc - 1];
	if (!strncmp(tag, "<<", 2)) {
		char header[HEADER_LEN], *want;
		struct text t = { 0 };	/* render() may fail before it has a buffer */
		size_t wlen;
		int err = 0, line = s->lineno, here;

		if (!valid_name(tag + 2))
			return serr(s, "expect: '<<' needs a tag, e.g. <<EOF");
		want = read_heredoc(s, tag + 2, &wlen);
		if (!want)
			return -1;
		/* Errors are the expect line's, not the tag's. */
		here = s->lineno;
		s->lineno = line;
		err = render(s, c->argv[1], c->argc - 3, c->argv + 2, &t, header, sizeof(header));
		if (!err && (t.len != wlen || memcmp(t.buf, want, wlen))) {
			serr(s, "expect %s: the text differs", c->argv[1]);
			report_diff(want, t.buf);
			err = -1;
		}
		s->lineno = here;
		free(t.buf);
		free(want);
		return err;
	}
	if (eval(s, c->raw, &v))
		return -1;
	if (!v) {
		/* Show what the two sides of a top-level comparison were. */
		static const char *const cmps[] = { "==", "!=", "<=", ">=", "<", ">" };
		char lhs[256];

		for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
			const char *op = strstr(c->raw, cmps[i]), *rhs;
			char da[48], db[48];
			bool simple;
			val_t a, b;

			if (!op || (size_t)(op - c->raw) >= sizeof(lhs))
				continue;
			snprintf(lhs, sizeof(lhs), "%.*s", (int)(op - c->raw), c->raw);
			rhs = op + strlen(cmps[i]);
			/* Only "X op Y" with no operator as low as op's in X or Y. */
			s->equiet = true;
			simple = !strpbrk(lhs, "=!<>&|^") && !strpbrk(rhs, "=!<>&|^") &&
				 !eval_wide(s, lhs, &a) && !eval_wide(s, rhs, &b);
			s->equiet = false;
			if (!simple)
				break;
			/* the values compared, not their low 64 bits read as signed */
			return serr(s, "expect failed: %s (%s %s %s)", c->raw,
				    format_val(a, da, sizeof(da)), cmps[i], format_val(b, db, sizeof(db)));
		}
		return serr(s, "expect failed: %s", c->raw);
	}
	return 0;
}

int cmd_quit(struct cmd_ctx *c)
{
	c->s->quit = true;
	return 0;
}

static int run_command(struct script *s, char *line, bool want_value)
{
	char *copy = strdup(line), *argv[MAX_TOKENS + 1];
	const struct command *cmd;
	struct cmd_ctx c = { .s = s, .want_value = want_value };
	int argc, err;

	if (!copy)
		return serr(s, "out of memory");
	/* echo and print take the rest of the line as it is. */
	if (!strncmp(line, "echo", 4) && (!line[4] || isspace((unsigned char)line[4])))
		argc = tokenize(s, strndupa(line, 4), argv, 1);
	else if (!strncmp(line, "print", 5) && (!line[5] || isspace((unsigned char)line[5])))
		argc = tokenize(s, strndupa(line, 5), argv, 1);
	else
		argc = tokenize(s, line, argv, MAX_TOKENS);
	if (argc <= 0) {
		free(copy);
		return argc;
	}
	argv[argc] = NULL;
	cmd = find_command(argv[0]);
	if (!cmd) {
		free(copy);
		return serr(s, "unknown command '%s' (try help)", argv[0]);
	}
	if (want_value && !command_value(cmd)) {
		free(copy);
		return serr(s, "%s gives no value to assign", argv[0]);
	}
	c.cmd = cmd;
	c.argc = argc;
	c.argv = argv;
	c.raw = rest_of_line(copy);
	err = check_nargs(&c) ? -1 : cmd->fn(&c);
	free(copy);
	return err;
}

/* One line of the script (comments and blank lines included). */
int run_line(struct script *s, char *line)
{
	char *p = line + strspn(line, " \t");
	size_t n;

	refresh_tasks(s);
	s->line_mm = s->cur;
	if (!*p || *p == '#')
		return 0;
	/* NAME: COMMAND, or PID: COMMAND (a number, or a variable that holds one) */
	n = ident_len(p);
	if (n && p[n] == ':' && (p[n + 1] == ' ' || p[n + 1] == '\t')) {
		p[n] = '\0';
		s->line_mm = find_mm(s, p);
		if (!s->line_mm && (isdigit((unsigned char)*p) || is_value_name(s, p))) {
			if (line_pid_prefix(s, p))
				return -1;
		} else if (!s->line_mm) {
			return serr(s, "no address space '%s'", p);
		}
		p += n + 1;
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			return serr(s, "%s: which command?", s->line_mm->name);
	}
	/* NAME = EXPR  or  NAME = CALL ARGS */
	if (n && is_ident_start((unsigned char)*p)) {
		char *q = p + ident_len(p);
		char *eq = q + strspn(q, " \t");

		if (*eq == '=' && eq[1] != '=' && !find_command(strndupa(p, (size_t)(q - p)))) {
			char name[NAME_LEN + 1], *rhs = eq + 1;
			char word[64];
			val_t value;
			long v;

			if ((size_t)(q - p) >= NAME_LEN)	/* and its NUL */
				return serr(s, "name too long (at most %d characters)", NAME_LEN - 1);
			snprintf(name, sizeof(name), "%.*s", (int)(q - p), p);
			if (is_builtin(name) || constant(name, &v) || find_mm(s, name))
				return serr(s, "'%s' is a built-in name or an address space; "
					    "choose another", name);
			rhs += strspn(rhs, " \t");
			snprintf(word, sizeof(word), "%.*s", (int)strcspn(rhs, " \t#"), rhs);
			if (find_command(word)) {
				if (run_command(s, rhs, true))
					return -1;
				return assign(s, name, s->ret);
			}
			rhs = strip_comment(rhs);
			if (!*rhs)
				return serr(s, "%s = what?", name);
			if (eval_wide(s, rhs, &value))
				return -1;
			return assign(s, name, value);
		}
	}
	return run_command(s, p, false);
}


/* The next line, without its newline; NULL at the end of input. */
char *read_line(struct script *s, const char *prompt)
{
	size_t cap = 0, n = 0;
	char *line = NULL;
	bool bad = false;
	int ch;

	if (s->replay) {
		struct replay *r = s->replay;

		if (r->next == r->n)
			return NULL;
		s->lineno = r->linenos[r->next];
		return strdup(r->lines[r->next++]);
	}
#ifdef UMM_HAVE_LIBEDIT
	if (s->interactive)
		return shell_read_line(s, prompt);
#endif
	if (s->interactive) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	/* getline() would follow /dev/zero forever: lines have a limit. */
	while ((ch = getc(s->in)) != EOF && ch != '\n') {
		if (!ch || n + 1 >= MAX_LINE) {
			bad = true;
			break;
		}
		if (n + 1 >= cap) {
			char *bigger = realloc(line, cap ? cap * 2 : 128);

			if (!bigger) {
				bad = true;
				break;
			}
			line = bigger;
			cap = cap ? cap * 2 : 128;
		}
		line[n++] = (char)ch;
	}
	if (ch == EOF && ferror(s->in)) {
		/* a directory (EISDIR) or an I/O error is not the end of a script */
		int err = errno;

		free(line);
		s->lineno++;
		serr(s, "cannot read: %s", strerror(err));
		s->input_error = true;
		return NULL;
	}
	if (ch == EOF && !n) {
		free(line);
		return NULL;
	}
	s->lineno++;
	if (bad) {
		free(line);
		serr(s, "not a line of text (a NUL byte, or more than %d bytes)", MAX_LINE);
		s->input_error = true;
		return NULL;
	}
	if (!line && !(line = malloc(1))) {	/* an empty line */
		serr(s, "out of memory");
		s->input_error = true;
		return NULL;
	}
	line[n] = '\0';
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	return line;
}

static void script_end(struct script *s)
{
	tasks_end(s);
	while (s->nr_mms)
		umm_mm_destroy(s->mms[--s->nr_mms].mm);
	while (s->nr_fds)
		close(s->fds[--s->nr_fds]);
	fflush(stdout);
}

static int script_loop_then(struct script *s, bool keep_going, int (*then)(void *arg),
			    void *arg);

/* Run the lines of s->in; @keep_going: an error does not stop (the shell). */
static int run_lines(struct script *s, bool keep_going)
{
	char *line;
	int failed = 0;

	while (!s->quit && (line = read_line(s, "umm> "))) {
		int err = run_line(s, line);

		free(line);
		fflush(stdout);
		if (err) {
			failed = 1;
			if (!keep_going)
				break;
		}
	}
	if (s->input_error) {
		s->input_error = false;
		failed = 1;
	}
	return failed;
}

int script_loop(struct script *s, bool keep_going)
{
	return script_loop_then(s, keep_going, NULL, NULL);
}

/* script_loop(), and @then(@arg) after the lines, before their processes end. */
static int script_loop_then(struct script *s, bool keep_going, int (*then)(void *arg),
			    void *arg)
{
	int failed;

	tasks_begin();
	failed = run_lines(s, keep_going);
	if (!failed && then)
		failed = then(arg);
	if (s->interactive && !s->quit)
		putchar('\n');
	script_end(s);
	return failed;
}

/*
 * source "FILE": run FILE's lines here, with this session's address
 * spaces and variables (in the shell: load a scenario, then explore).  A
 * bad line ends FILE with its FILE:LINE message; quit ends FILE only.
 */
int cmd_source(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const char *file = s->file;
	int lineno = s->lineno, err;
	bool interactive = s->interactive;
	struct replay *replay = s->replay;
	FILE *in = s->in;
	size_t len;
	char *path;

	if (s->depth == 8)
		return serr(s, "source: nested too deep");
	path = quoted_text(s, c->argv[1], &len);
	if (!path)
		return -1;
	s->in = fopen(path, "r");
	if (!s->in) {
		s->in = in;
		err = serr(s, "source: %s: %s", path, strerror(errno));
		free(path);
		return err;
	}
	s->file = path;
	s->lineno = 0;
	s->interactive = false;
	s->replay = NULL;
	s->depth++;
	err = run_lines(s, false) ? -1 : 0;
	s->depth--;
	s->replay = replay;
	s->quit = false;
	fclose(s->in);
	s->in = in;
	s->file = file;
	s->lineno = lineno;
	s->interactive = interactive;
	free(path);
	/* The message named the sourced line; the source line fails with it. */
	return err;
}

int umm_script_run_file(const char *path)
{
	return umm_script_run_file_then(path, NULL, NULL);
}

int umm_script_run_file_then(const char *path, int (*then)(void *arg), void *arg)
{
	struct script *s = calloc(1, sizeof(*s));
	int ret;

	if (!s) {
		fprintf(stderr, "umm: out of memory\n");
		return 1;
	}
	s->file = path;
	s->in = !strcmp(path, "-") ? stdin : fopen(path, "r");
	if (!s->in) {
		fprintf(stderr, "umm: run-script: %s: %s\n", path, strerror(errno));
		free(s);
		return 1;
	}
	ret = script_loop_then(s, false, then, arg);
	if (s->in != stdin)
		fclose(s->in);
	free(s);
	return ret;
}


/* ---- repeat N ... end ---- */

static void replay_free(struct replay *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r->linenos);
}

/* Is @line (trimmed, comment cut) the word @word alone or first? */
static bool first_word_is(const char *line, const char *word, bool alone)
{
	size_t n = strlen(word);

	line += strspn(line, " \t");
	if (strncmp(line, word, n))
		return false;
	line += n;
	if (alone)
		return !*strip_comment((char *)line);
	return *line == ' ' || *line == '\t';
}

/* The TAG of a line that ends in <<TAG (expect's text follows), in @tag. */
static void heredoc_tag(const char *line, char tag[NAME_LEN])
{
	char *copy = strdup(line), *text, *last;

	tag[0] = '\0';
	if (!copy)
		return;
	text = strip_comment(copy);
	last = strrchr(text, ' ');
	last = last ? last + 1 : text;
	if (!strncmp(last, "<<", 2) && valid_name(last + 2))
		strcpy(tag, last + 2);
	free(copy);
}

/*
 * The lines up to the `end` of the repeat that starts at this line.  A
 * heredoc's lines are text, not commands: its tag may be `end`.
 */
static int read_body(struct script *s, struct replay *r)
{
	int start = s->lineno, depth = 1;
	char *line, tag[NAME_LEN] = "";

	while ((line = read_line(s, "> "))) {
		char **lines;
		int *nos;

		if (*tag) {
			if (!strcmp(line, tag))
				tag[0] = '\0';
		} else if (first_word_is(line, "repeat", false)) {
			depth++;
		} else if (first_word_is(line, "end", true) && !--depth) {
			free(line);
			return 0;
		} else {
			heredoc_tag(line, tag);
		}
		lines = realloc(r->lines, (size_t)(r->n + 1) * sizeof(*lines));
		if (lines)
			r->lines = lines;
		nos = realloc(r->linenos, (size_t)(r->n + 1) * sizeof(*nos));
		if (nos)
			r->linenos = nos;
		if (!lines || !nos) {
			free(line);
			return serr(s, "out of memory");
		}
		r->lines[r->n] = line;
		r->linenos[r->n++] = s->lineno;
	}
	if (s->input_error)
		return -1;
	s->lineno = start;
	return serr(s, "no line 'end' ends the repeat that starts here");
}

int cmd_repeat(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct replay body = { 0 }, *outer = s->replay;
	unsigned long count;
	int err = 0, end_line, start = s->lineno;
	char *line;

	/*
	 * The body first: with a bad N, or none, or two, the whole repeat
	 * fails and no line of it runs alone.
	 */
	if (read_body(s, &body)) {
		replay_free(&body);
		return -1;
	}
	end_line = s->lineno;
	s->lineno = start;
	/* (the count is checked here, after the body: see above) */
	if (c->argc != 2 ? usage_error(s, c->cmd) : arg_ulong(c, 1, &count)) {
		replay_free(&body);
		s->lineno = end_line;
		return -1;
	}
	for (unsigned long i = 0; i < count && !err && !s->quit; i++) {
		body.next = 0;
		s->replay = &body;
		while (!err && !s->quit && (line = read_line(s, ""))) {
			err = run_line(s, line);
			free(line);
			fflush(stdout);
			if (!err && script_interrupted)
				err = serr(s, "repeat: interrupted (Ctrl-C) in round %lu of %lu",
					   i + 1, count);
		}
		s->replay = outer;
	}
	replay_free(&body);
	s->lineno = end_line;	/* an error was said with its body line's number */
	return err;
}

int cmd_end(struct cmd_ctx *c)
{
	return serr(c->s, "end: no repeat to end");
}
