// SPDX-License-Identifier: GPL-2.0
/*
 * shell.c - `umm shell`: the scenario language read from a terminal, with
 * line editing, tab completion and history (libedit, when umm was built
 * with it) and Ctrl-C.
 *
 * Completion comes from the command table: command names first on a line,
 * then the words the command's row lists (report names after show and
 * expect, read|write after touch, ...), file names otherwise.  History is
 * kept in $HOME/.umm_history, written after each line, so that a session
 * that dies keeps what it had; not being able to write it is said once and
 * is not an error.
 *
 * Ctrl-C: SIGINT only sets script_interrupted (no SA_RESTART, so a wait at
 * the prompt returns; the wait is a ppoll() that unblocks SIGINT only
 * while it waits, so a Ctrl-C that lands while libedit draws is not
 * lost).  At the prompt the line is abandoned and a new prompt comes; a running command that loops (touch) checks the flag
 * between pages and stops with an error.  The session, its address spaces
 * and variables stay.  In run-script SIGINT keeps its default action.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#ifdef UMM_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

volatile int script_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	script_interrupted = 1;
}

#ifdef UMM_HAVE_LIBEDIT
#define HISTORY_FILE	".umm_history"
#define HISTORY_LINES	1000

static char *history_path;
static bool history_warned;

static void history_open(void)
{
	const char *home = getenv("HOME");

	using_history();
	stifle_history(HISTORY_LINES);
	if (!home || !*home || asprintf(&history_path, "%s/%s", home, HISTORY_FILE) < 0) {
		history_path = NULL;
		return;
	}
	read_history(history_path);	/* none yet is fine */
}

static void history_add(const char *line)
{
	add_history(line);
	if (history_path && write_history(history_path) && !history_warned) {
		fprintf(stderr, "umm: shell: cannot save history in %s (going on without)\n",
			history_path);
		history_warned = true;
	}
}

static void history_close(void)
{
	free(history_path);
	history_path = NULL;
}

/* The words the completion offers now, and how far through them it is. */
static const char *const *completion_words;
static int completion_index;
static bool completion_help;	/* after help: commands */

static char *complete_word(const char *text, int state)
{
	const char *w;

	if (!state)
		completion_index = 0;
	if (!completion_words) {
		while ((w = commands[completion_index].name)) {
			/* a name with two rows (exec, fork, exit) is one word */
			bool again = find_command(w) != &commands[completion_index];

			completion_index++;
			if (!again && !strncmp(w, text, strlen(text)))
				return strdup(w);
		}
		return NULL;
	}
	while ((w = completion_words[completion_index])) {
		completion_index++;
		if (!strncmp(w, text, strlen(text)))
			return strdup(w);
	}
	return NULL;
}

/* The command row of the line so far (after a "NAME: " prefix), or NULL. */
static const struct command *line_command(const char *line)
{
	char word[32];

	line += strspn(line, " \t");
	if (line[ident_len(line)] == ':')	/* "B: " runs one command on B */
		line += ident_len(line) + 1 + strspn(line + ident_len(line) + 1, " \t");
	if (!*line)
		return NULL;
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(line, " \t"), line);
	return find_command(word);
}

static char **complete(const char *text, int start, int end)
{
	char head[256] = "", *copy;
	const struct command *cmd;
	const char *line = head;

	(void)end;
	/*
	 * The words before @text.  Not from rl_line_buffer: libedit leaves it
	 * pointing at a copy of the line it has since freed once a long line
	 * was read (ASan: use after free), and does not end it at rl_end.
	 * rl_copy_text() copies from the live line, but one character short
	 * (libedit's strlcpy(out, from, len)): ask for one more, and if the
	 * line ends at @start, the character it drops is the blank before @text.
	 */
	if (start > 0 && (copy = rl_copy_text(0, start + 1))) {
		snprintf(head, sizeof(head), "%.*s", start, copy);
		free(copy);
		if (strlen(head) < (size_t)start && strlen(head) + 1 < sizeof(head))
			strcat(head, " ");
	}
	line += strspn(line, " \t");
	completion_words = NULL;	/* the commands */
	completion_help = false;
	if (line[ident_len(line)] == ':')
		line += ident_len(line) + 1 + strspn(line + ident_len(line) + 1, " \t");
	if (*line) {
		cmd = line_command(line);
		if (cmd && cmd->fn == cmd_help) {
			completion_words = NULL;
		} else if (cmd && cmd->complete_reports) {
			completion_words = report_names();
		} else if (cmd && cmd->complete) {
			completion_words = cmd->complete;
		} else {
			rl_attempted_completion_over = 0;
			return NULL;	/* file names, as readline does */
		}
	}
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, complete_word);
}

/*
 * libedit's reads go through here: a read that Ctrl-C interrupts ends the
 * line as end of input would (libedit itself would read on), and
 * shell_read_line() tells the two apart by script_interrupted.
 */
static int shell_getc(FILE *f)
{
	struct pollfd pfd = { .fd = fileno(f), .events = POLLIN };
	unsigned char ch;
	sigset_t block, old;
	ssize_t n;
	int ready;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	for (;;) {
		/*
		 * A Ctrl-C that came while libedit was busy (echoing, redrawing)
		 * set the flag outside any read: check it with SIGINT blocked and
		 * wait with ppoll(), which unblocks it atomically, so that none
		 * slips in between and leaves us blocked in read().
		 */
		sigprocmask(SIG_BLOCK, &block, &old);
		if (script_interrupted) {
			sigprocmask(SIG_SETMASK, &old, NULL);
			return EOF;
		}
		ready = ppoll(&pfd, 1, NULL, &old);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (ready < 0) {
			if (errno == EINTR)
				continue;	/* the flag decides, above */
			return EOF;
		}
		n = read(fileno(f), &ch, 1);
		if (n == 1)
			return ch;
		if (n < 0 && errno == EINTR)
			continue;
		return EOF;
	}
}

/* A line from the terminal; "" after Ctrl-C, NULL at the end of input. */
char *shell_read_line(struct script *s, const char *prompt)
{
	char *line;

	script_interrupted = 0;
	line = readline(prompt);
	if (script_interrupted) {
		/* Ctrl-C: abandon what was typed, keep the session. */
		script_interrupted = 0;
		free(line);
		putchar('\n');
		return strdup("");
	}
	if (line) {
		s->lineno++;
		if (*line)
			history_add(line);
	}
	return line;
}
#endif

int umm_script_shell(void)
{
	struct script *s = calloc(1, sizeof(*s));
	struct sigaction sa = { .sa_handler = on_sigint }, old;
	int ret;

	if (!s) {
		fprintf(stderr, "umm: out of memory\n");
		return 1;
	}
	s->file = "shell";
	s->in = stdin;
	s->interactive = isatty(STDIN_FILENO);
	if (s->interactive) {
		/* no SA_RESTART: a read at the prompt returns */
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, &old);
#ifdef UMM_HAVE_LIBEDIT
		rl_attempted_completion_function = complete;
		rl_getc_function = shell_getc;
		history_open();
#endif
		printf("umm shell: address spaces, page faults and /proc, one command a line.\n"
		       "Start with 'mm A', then e.g. 'p = mmap NULL 16K rw- private,anonymous';"
		       " 'help' lists the commands.\n");
	}
	ret = script_loop(s, true);
	if (s->interactive) {
		ret = 0;
		sigaction(SIGINT, &old, NULL);
#ifdef UMM_HAVE_LIBEDIT
		history_close();
#endif
	}
	free(s);
	return ret;
}
