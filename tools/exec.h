/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exec.h - `umm exec PATH [ARGS...]` (tools/exec.c): what execve() builds,
 * the maps, the auxiliary vector and the initial stack; and the auxv
 * decoder the scenario language's `show auxv` shares with it.
 */
#ifndef _UMM_TOOLS_EXEC_H
#define _UMM_TOOLS_EXEC_H

#include <stddef.h>
#include <stdio.h>

struct mm_struct;

/*
 * The auxv pairs @auxv[0..@n) (words, as /proc/PID/auxv holds them) up to
 * AT_NULL, one a line as glibc's LD_SHOW_AUXV=1 prints them: AT_NAME:
 * padded to 22 columns, then the value in hex, decimal or, for the
 * strings (AT_PLATFORM, AT_EXECFN), the text @mm holds at that address.
 */
void auxv_print(FILE *f, struct mm_struct *mm, const unsigned long *auxv, size_t n);

/* umm exec [-i] [--svg FILE] PATH [ARGS...]; umm is booted.  0, 1 or 2 (bad use). */
int cmd_exec_program(const char *cmdline, int argc, char **argv);

#endif /* _UMM_TOOLS_EXEC_H */
