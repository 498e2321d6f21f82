/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_text.h - the whole text of one of umm's /proc or /sys files, or
 * of a directory's listing (tools/proc_text.c).
 */
#ifndef _UMM_TOOLS_PROC_TEXT_H
#define _UMM_TOOLS_PROC_TEXT_H

#include <stddef.h>

/*
 * The text at @path (a directory: its entries, one a line, as umm cat
 * prints them), NUL-terminated, in a malloc()ed buffer the caller frees;
 * its length in *@len if @len.  NULL with *@err = -errno (-ENOENT,
 * -ENOTDIR, -ENOMEM, ...) if it cannot be read.
 */
char *proc_text(const char *path, size_t *len, int *err);

#endif /* _UMM_TOOLS_PROC_TEXT_H */
