/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UMM_TOOLS_SLABTOP_H
#define _UMM_TOOLS_SLABTOP_H
#include <stdio.h>
/* Print a slabtop -o style view sorted by @sort (procps's keys). */
int umm_slabtop(FILE *out, char sort);
#endif
