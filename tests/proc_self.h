/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_self.h - this process's /proc files, as the tests and the
 * allocator benchmarks read them (linked with umm, or with
 * libumm-malloc.so or another malloc preloaded): a thread by its name
 * (/proc/self/task/TID/comm: umm's reclaim worker is "umm-vmstat"), a
 * "Key: value" field of a status file, and the resident set from statm.
 * Header only: bench/allocators' programs link nothing of umm.
 */
#ifndef _UMM_TESTS_PROC_SELF_H
#define _UMM_TESTS_PROC_SELF_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The id of a thread whose comm starts with @prefix, or 0 when there is none. */
static inline pid_t thread_by_comm(const char *prefix)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	pid_t tid = 0;

	if (!d)
		return 0;
	while (!tid && (e = readdir(d))) {
		char path[300], comm[32] = "";
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, prefix, strlen(prefix)))
			tid = (pid_t)atoi(e->d_name);
		fclose(f);
	}
	closedir(d);
	return tid;
}

/*
 * The number after @key ("VmHWM:", "SigBlk:") in the status file @path,
 * read in @base (10 for the kB fields, 16 for the signal masks); 0 when
 * the file or the field is missing.
 */
static inline unsigned long long proc_status_field(const char *path, const char *key, int base)
{
	char line[256];
	unsigned long long v = 0;
	size_t n = strlen(key);
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, n)) {
			v = strtoull(line + n, NULL, base);
			break;
		}
	}
	fclose(f);
	return v;
}

/* A field in kB of /proc/self/status ("VmRSS:", "VmHWM:", "RssAnon:"). */
static inline long proc_self_kib(const char *key)
{
	return (long)proc_status_field("/proc/self/status", key, 10);
}

/* The signals thread @tid blocks (SigBlk of its status file). */
static inline unsigned long long proc_thread_sigblk(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	return proc_status_field(path, "SigBlk:", 16);
}

/* The resident set in KiB from /proc/self/statm (cheaper than status). */
static inline long proc_statm_rss_kib(void)
{
	long size = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &size, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

#endif /* _UMM_TESTS_PROC_SELF_H */
