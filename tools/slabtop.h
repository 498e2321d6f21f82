/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UMM_TOOLS_SLABTOP_H
#define _UMM_TOOLS_SLABTOP_H
#include <stdbool.h>
#include <stdio.h>
/* Print a slabtop -o style view sorted by @sort (procps's keys). */
int umm_slabtop(FILE *out, char sort);
/*
 * The same view of the text of a /proc/slabinfo; @used_only leaves out
 * the rows of caches that hold no slab (the totals still count them).
 */
int umm_slabtop_text(FILE *out, const char *slabinfo, char sort, bool used_only);
#endif
