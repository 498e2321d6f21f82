/* SPDX-License-Identifier: GPL-2.0 */
/*
 * script.h - the scenario language of `umm run-script` and `umm shell`
 * (tools/script/; the reference is docs/language.md, made by `umm language`).
 */
#ifndef _UMM_TOOLS_SCRIPT_H
#define _UMM_TOOLS_SCRIPT_H

#include <stdio.h>

/*
 * The boot parameters a scenario runs under, before $UMM_CMDLINE and the
 * user's --cmdline: fixed, so that addresses and frame numbers do not
 * depend on the host.  No per-CPU page lists: which list serves
 * an allocation would depend on the CPU the host runs us on at that
 * moment, and so would the frame numbers.  Slab orders fixed as on a host
 * with 4 to 7 CPUs (slub_min_objects=16; the kernel derives it from the
 * CPU count), so that slab pages, and the page tables between them, take
 * the same frames everywhere.  No page reporting thread.  mem=256M is
 * the whole machine (no hot-add unless --cmdline asks for it), so a
 * scenario that exhausts memory meets the watermarks and fails as Linux
 * would.
 */
#define UMM_SCRIPT_CMDLINE "mem=256M numa=fake=1 slub_min_objects=16 " \
			   "umm.page_reporting=0 umm.pcp=0 umm.aslr_seed=0"

/*
 * Run the scenario in @path (umm must be booted).  Stops at the first
 * error, printed as "PATH:LINE: message" on stderr.  Returns 0, or 1
 * after an error (a failed `expect` included).
 */
int umm_script_run_file(const char *path);

/*
 * umm_script_run_file(), then, if every line ran, @then(@arg) while the
 * scenario's processes and address spaces are still there (umm top
 * watches them); its return value, 0 or 1, is the result.
 */
int umm_script_run_file_then(const char *path, int (*then)(void *arg), void *arg);

/*
 * The interactive shell: lines from stdin, with line editing and history
 * when stdin is a terminal (and umm was built with libedit); a prompt only
 * then.  An error is printed and the shell goes on.  Returns 0 at end of
 * input or `quit`, 1 if any line failed while stdin was not a terminal.
 */
int umm_script_shell(void);

/*
 * The help of one command or topic of the language on stdout, as the
 * shell's `help NAME` prints it; -1 if the language has no such name.
 */
int umm_script_help(const char *name);

/* The language reference, in Markdown (docs/language.md), from the command table. */
void umm_script_reference(FILE *f);

#endif /* _UMM_TOOLS_SCRIPT_H */
