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

static long status_kib(const char *key)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			kib = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	return kib;
}

int main(void)
{
	volatile char *p = malloc(100);

	if (!p)
		return 1;
	p[0] = 1;
	printf("%ld %ld %ld\n", status_kib("VmRSS:"), status_kib("RssAnon:"),
	       status_kib("RssFile:"));
	return 0;
}
