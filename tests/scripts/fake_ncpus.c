// SPDX-License-Identifier: GPL-2.0
/*
 * fake_ncpus.c - an LD_PRELOAD shim that makes the host look like it has
 * $FAKE_NCPUS CPUs (umm sizes per-CPU structures and slab orders by
 * get_nprocs_conf()), to show that a scenario prints the same on any host.
 */
#include <stdlib.h>
#include <sys/sysinfo.h>

int get_nprocs_conf(void)
{
	const char *n = getenv("FAKE_NCPUS");

	return n && atoi(n) > 0 ? atoi(n) : 64;
}

int get_nprocs(void)
{
	return get_nprocs_conf();
}
