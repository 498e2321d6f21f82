/* SPDX-License-Identifier: GPL-2.0 */
/*
 * umm.h - the umbrella header: the Linux memory manager in user space.
 * Include this, or the include/umm/ header of the part you use.
 */
#ifndef _UMM_H
#define _UMM_H

#include <umm/compiler.h>
#include <umm/list.h>
#include <umm/rbtree.h>
#include <umm/gfp.h>
#include <umm/mm_types.h>
#include <umm/page-flags.h>
#include <umm/mmzone.h>
#include <umm/mm.h>
#include <umm/vmalloc.h>
#include <umm/slab.h>
#include <umm/fault-inject.h>
#include <umm/printk.h>
#include <umm/boot.h>
#include <umm/mmap.h>
#include <umm/sched.h>
#include <umm/jiffies.h>
#include <umm/timekeeping.h>
#include <umm/timer.h>
#include <umm/hrtimer.h>
#include <umm/wait.h>
#include <umm/workqueue.h>
#include <umm/interrupt.h>
#include <umm/svg.h>

#endif /* _UMM_H */
