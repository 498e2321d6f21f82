// SPDX-License-Identifier: GPL-2.0
/*
 * lexer.c - the words of a line: names, quoted strings and their escapes,
 * comments, and cutting a line into arguments (spaces separate them except
 * inside "quotes" and (parentheses)).  Pure functions of their input; the
 * only state touched is the line being cut, in place.
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
#include "internal.h"

bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

bool is_ident(int c)
{
	return isalnum(c) || c == '_';
}

size_t ident_len(const char *p)
{
	size_t n = 0;

	while (is_ident((unsigned char)p[n]))
		n++;
	return n;
}

bool valid_name(const char *name)
{
	if (!is_ident_start((unsigned char)*name) || strlen(name) >= NAME_LEN)
		return false;
	for (const char *p = name; *p; p++)
		if (!is_ident((unsigned char)*p))
			return false;
	return true;
}
bool quoted(const char *tok)
{
	return tok[0] == '"';
}

/* A quoted token's text with \n \t \\ \" \0 \xNN escapes resolved. */
size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in != '\\' || !in[1]) {
			out[n++] = *in;
			continue;
		}
		switch (*++in) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case '0': out[n++] = '\0'; break;
		case 'x':
			if (isxdigit((unsigned char)in[1])) {
				char hexd[3] = { in[1], 0, 0 };

				if (isxdigit((unsigned char)in[2]))
					hexd[1] = in[2];
				out[n++] = (char)strtoul(hexd, NULL, 16);
				in += strlen(hexd);
				break;
			}
			/* fall through */
		default: out[n++] = *in;
		}
	}
	return n;
}

/* The text of a quoted argument, unescaped, in a malloc()ed buffer. */
char *quoted_text(struct script *s, const char *tok, size_t *len)
{
	size_t n = strlen(tok);
	char *inner, *out;

	if (n < 2 || !quoted(tok)) {
		serr(s, "a quoted string, e.g. \"/etc/hostname\", expected");
		return NULL;
	}
	inner = strndup(tok + 1, n - 2);
	out = malloc(n);
	if (!inner || !out) {
		free(inner);
		free(out);
		serr(s, "out of memory");
		return NULL;
	}
	*len = unescape(inner, out);
	out[*len] = '\0';
	free(inner);
	return out;
}

/* ---- lines ---- */

/*
 * Cut @line (modified in place) into words: spaces separate them, except
 * inside "quotes" (kept, quotes included) and (parentheses).  A '#'
 * outside quotes starts a comment.  Returns the count, or -1.
 */
int tokenize(struct script *s, char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		char *start;
		int depth = 0;
		bool in_quote = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == max)
			return serr(s, "too many words on one line (at most %d)", max);
		start = p;
		for (; *p; p++) {
			if (in_quote) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '"')
					in_quote = false;
				continue;
			}
			if (*p == '"')
				in_quote = true;
			else if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			else if ((*p == ' ' || *p == '\t') && depth <= 0)
				break;
		}
		if (in_quote)
			return serr(s, "missing '\"'");
		if (depth > 0)
			return serr(s, "missing ')'");
		argv[argc++] = start;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* Cut a trailing comment ('#' outside quotes, after a space) and spaces. */
char *strip_comment(char *p)
{
	bool in_quote = false;
	char *end;

	p += strspn(p, " \t");
	for (end = p; *end; end++) {
		/* in quotes a backslash escapes the next character, as tokenize() reads it */
		if (in_quote && *end == '\\' && end[1])
			end++;
		else if (*end == '"')
			in_quote = !in_quote;
		else if (*end == '#' && !in_quote && (end == p || isspace((unsigned char)end[-1])))
			break;
	}
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return p;
}

/* The text after the first word, trimmed, without a trailing comment. */
char *rest_of_line(char *line)
{
	char *p = line + strspn(line, " \t");

	p += strcspn(p, " \t");
	return strip_comment(p);
}

