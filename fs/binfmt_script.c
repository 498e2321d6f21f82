// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_script.c - "#!" scripts (fs/binfmt_script.c of Linux 6.18).
 *
 * Owns: script_format.  A file whose first two bytes are "#!" names its
 * interpreter on that line:
 *
 *	#! <spaces> interpreter <spaces> argument <spaces> \n
 *
 * within the first BINPRM_BUF_SIZE (256) bytes.  One optional argument:
 * everything after the interpreter's name and the blanks that follow it,
 * inner blanks kept, trailing ones dropped.  Without a newline in the
 * buffer the path must end (blank or NUL) before the buffer does, or it
 * might be truncated: -ENOEXEC; the argument may be cut short (the
 * buffer's last byte is always lost then).  argv becomes
 *
 *	[interpreter, argument (if any), script path, argv[1], ...]
 *
 * and exec starts again with the interpreter (fs/exec.c's exec_binprm()
 * follows 5 such steps, -ELOOP after).
 */
#include <errno.h>
#include <string.h>
#include "../mm/internal.h"
#include "internal.h"

static inline bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

static inline char *next_non_spacetab(char *first, const char *last)
{
	for (; first <= last; first++)
		if (!spacetab(*first))
			return first;
	return NULL;
}

static inline char *next_terminator(char *first, const char *last)
{
	for (; first <= last; first++)
		if (spacetab(*first) || !*first)
			return first;
	return NULL;
}

/* Put @s on the stack as the new first argument. */
static int push_arg(struct linux_binprm *bprm, const char *s)
{
	int retval = copy_string_kernel(s, bprm);

	if (retval < 0)
		return retval;
	bprm->argc++;
	return 0;
}

static int load_script(struct linux_binprm *bprm)
{
	char *i_name, *i_sep, *i_arg, *i_end, *buf_end;
	struct file *file;
	int retval;

	/* not ours to exec if we don't start with "#!" */
	if (bprm->buf[0] != '#' || bprm->buf[1] != '!')
		return -ENOEXEC;

	/*
	 * The buffer need not be NUL-terminated (it is zero-padded past a
	 * short file).  A newline means nothing is truncated; without one,
	 * a blank or NUL must end the interpreter's path inside it.
	 */
	buf_end = bprm->buf + sizeof(bprm->buf) - 1;
	i_end = memchr(bprm->buf, '\n', sizeof(bprm->buf));
	if (!i_end) {
		i_end = next_non_spacetab(bprm->buf + 2, buf_end);
		if (!i_end)
			return -ENOEXEC;	/* the entire buffer is blanks */
		if (!next_terminator(i_end, buf_end))
			return -ENOEXEC;	/* the path may be truncated */
		i_end = buf_end;
	}
	/* trim trailing blanks */
	while (spacetab(i_end[-1]))
		i_end--;
	/* skip leading blanks */
	i_name = next_non_spacetab(bprm->buf + 2, i_end);
	if (!i_name || i_name == i_end)
		return -ENOEXEC;	/* no interpreter name */
	/* an optional argument? */
	i_arg = NULL;
	i_sep = next_terminator(i_name, i_end);
	if (i_sep && *i_sep != '\0')
		i_arg = next_non_spacetab(i_sep, i_end);

	/*
	 * Splice in, last first (the strings grow down): the script's
	 * name for argv[0], the argument, the interpreter's name.
	 */
	retval = remove_arg_zero(bprm);
	if (retval)
		return retval;
	retval = push_arg(bprm, bprm->interp);
	if (retval)
		return retval;
	*i_end = '\0';
	if (i_arg) {
		*i_sep = '\0';
		retval = push_arg(bprm, i_arg);
		if (retval)
			return retval;
	}
	retval = push_arg(bprm, i_name);
	if (retval)
		return retval;
	retval = bprm_change_interp(i_name, bprm);
	if (retval < 0)
		return retval;

	/* restart with the interpreter */
	file = open_exec(i_name);
	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	bprm->interpreter = file;
	return 0;
}

static struct linux_binfmt script_format = {
	.name = "script",
	.load_binary = load_script,
};

void init_script_binfmt(void)
{
	register_binfmt(&script_format);
}
