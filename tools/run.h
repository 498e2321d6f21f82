/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run.h - umm run, and the boot line every umm command uses
 * (tools/run.c has the details in its head comment).
 */
#ifndef _UMM_TOOLS_RUN_H
#define _UMM_TOOLS_RUN_H

/* @a then @b, as one boot line (either may be NULL or ""); free() it. */
char *cmdline_join(const char *a, const char *b);

/*
 * The boot line of a command: @base (the command's fixed parameters, or
 * NULL), then $UMM_CMDLINE, then @cmdline (--cmdline, or NULL); later
 * parameters win.  Valid until the next call; out of memory, umm exits.
 * A command that boots in-process boots with exactly this line, so it
 * must not let umm_boot() read $UMM_CMDLINE a second time.
 */
const char *umm_boot_line(const char *base, const char *cmdline);

/*
 * umm run [--each] [--full] [--report FILE] [--] PROGRAM ARGS...:
 * PROGRAM on libumm-malloc.so, booted with @cmdline (umm_boot_line()),
 * then umm's report of it on stderr or in FILE.  Returns PROGRAM's exit
 * status (128 + N if signal N killed it), 2 for bad use or a bad boot
 * line (before PROGRAM starts), 126/127 if it cannot be executed, 1 if
 * umm cannot set the run up.
 */
int cmd_run(const char *cmdline, int argc, char **argv);

#endif /* _UMM_TOOLS_RUN_H */
