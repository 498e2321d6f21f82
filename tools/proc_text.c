// SPDX-License-Identifier: GPL-2.0
/*
 * proc_text.c - read one of umm's /proc or /sys files whole, for the
 * commands that print or parse one (cat, slabtop, demo, the language's
 * show).  umm_proc_read() answers with the length a file has now; the
 * file may grow before the second read (another thread allocates), so
 * the buffer has room to spare and the read is tried again, larger,
 * until the text fits.
 */
#include <errno.h>
#include <stdlib.h>
#include <umm.h>
#include "proc_text.h"

char *proc_text(const char *path, size_t *len, int *err)
{
	ssize_t (*read)(const char *, char *, size_t) = umm_proc_read;
	ssize_t n = read(path, NULL, 0);
	char *buf = NULL;

	if (n == -EISDIR) {	/* a directory: its entries, as ls -1 lists them */
		read = umm_proc_list;
		n = read(path, NULL, 0);
	}
	for (size_t size; n >= 0; ) {
		size = (size_t)n + 4096;
		free(buf);
		buf = malloc(size);
		if (!buf) {
			n = -ENOMEM;
			break;
		}
		n = read(path, buf, size);
		if (n >= 0 && (size_t)n < size) {	/* it fitted */
			if (len)
				*len = (size_t)n;
			return buf;
		}
	}
	free(buf);
	*err = (int)n;
	return NULL;
}
