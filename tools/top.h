/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top.h - `umm top` (tools/top.c): the simulated machine as top(1)
 * shows a real one, frame after frame of simulated time.
 */
#ifndef _UMM_TOOLS_TOP_H
#define _UMM_TOOLS_TOP_H

/*
 * umm top [-b] [-n FRAMES] [-d DUR] SCRIPT: run SCRIPT's lines (their
 * output hidden), then advance the clock DUR a frame and print each.
 * umm is booted.  0, 1 when SCRIPT failed, 2 for bad use.
 */
int cmd_top(int argc, char **argv);

#endif /* _UMM_TOOLS_TOP_H */
