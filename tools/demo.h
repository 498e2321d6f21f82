/* SPDX-License-Identifier: GPL-2.0 */
/*
 * demo.h - `umm demo` (tools/demo.c): a narrated walk through the buddy
 * allocator, vmalloc and the slab layer.
 */
#ifndef _UMM_TOOLS_DEMO_H
#define _UMM_TOOLS_DEMO_H

/* umm must be booted; it takes no arguments (umm.c's table refuses any). */
int cmd_demo(int argc, char **argv);

#endif /* _UMM_TOOLS_DEMO_H */
