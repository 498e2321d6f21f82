/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compare.h - `umm compare-slab` (tools/compare.c): one workload on SLAB
 * and on SLUB, side by side.
 */
#ifndef _UMM_TOOLS_COMPARE_H
#define _UMM_TOOLS_COMPARE_H

/*
 * Boots umm twice with @cmdline (the whole boot line, $UMM_CMDLINE in
 * it), umm.slab=slab then umm.slab=slub, umm not booted before or after.
 */
int cmd_compare_slab(const char *cmdline);

#endif /* _UMM_TOOLS_COMPARE_H */
