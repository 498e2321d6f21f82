// SPDX-License-Identifier: GPL-2.0
/*
 * boot_rss.c - what a malloc costs a program that hardly uses it: one
 * malloc(100), then this process's resident set from /proc/self/status
 * (VmRSS, RssAnon, RssFile, in KiB) on one line.  boot_rss.sh runs it
 * under each allocator; the difference to glibc's is the allocator's
 * fixed footprint (its boot: tables, caches, struct pages, its code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../tests/proc_self.h"

int main(void)
{
	volatile char *p = malloc(100);

	if (!p)
		return 1;
	p[0] = 1;
	printf("%ld %ld %ld\n", proc_self_kib("VmRSS:"), proc_self_kib("RssAnon:"),
	       proc_self_kib("RssFile:"));
	return 0;
}
