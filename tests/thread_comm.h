/* SPDX-License-Identifier: GPL-2.0 */
/*
 * thread_comm.h - find a thread of this process by its name (its comm in
 * /proc/self/task/TID/comm): the tests that look for umm's reclaim worker
 * ("umm-vmstat"), linked with umm or run with libumm-malloc.so preloaded.
 */
#ifndef _UMM_TESTS_THREAD_COMM_H
#define _UMM_TESTS_THREAD_COMM_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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

#endif /* _UMM_TESTS_THREAD_COMM_H */
