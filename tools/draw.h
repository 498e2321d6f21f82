/* SPDX-License-Identifier: GPL-2.0 */
/*
 * draw.h - `umm draw` and `umm cat --svg` (tools/draw.c): umm's state as
 * SVG pictures on stdout (fs/proc/svg.c draws them).
 */
#ifndef _UMM_TOOLS_DRAW_H
#define _UMM_TOOLS_DRAW_H

/* umm draw buddy: argv[0] is the picture's name; umm is booted. */
int cmd_draw(int argc, char **argv);

/* umm cat --svg PATH: the picture of one /proc file; umm is booted. */
int cmd_cat_svg(int argc, char **argv);

#endif /* _UMM_TOOLS_DRAW_H */
