/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what the /proc files of an address space share between
 * fs/proc/task_mmu.c (the mm's numbers: task_mem(), task_statm(),
 * task_vsize(), maps, smaps, pagemap) and fs/proc/array.c (the
 * per-"task" files status, stat and statm), as the kernel's
 * fs/proc/internal.h does.  All take mmap_lock for reading themselves
 * where they walk VMAs; the counters are read racily, as the kernel's.
 */
#ifndef _UMM_FS_PROC_INTERNAL_H
#define _UMM_FS_PROC_INTERNAL_H

#include <umm/pgtable.h>
#include "../../mm/internal.h"

/* fs/proc/task_mmu.c */
void task_mem(struct seq_file *m, struct mm_struct *mm);
unsigned long task_vsize(struct mm_struct *mm);
const char *proc_vma_name(struct vm_area_struct *vma);
unsigned long smaps_vma_rss(struct vm_area_struct *vma);	/* mmap_lock held */
unsigned long task_statm(struct mm_struct *mm, unsigned long *shared,
			 unsigned long *text, unsigned long *data,
			 unsigned long *resident);

/* fs/proc/array.c */
int proc_pid_status(struct seq_file *m, struct mm_struct *mm);
int proc_pid_stat(struct seq_file *m, struct mm_struct *mm);
int proc_pid_statm(struct seq_file *m, struct mm_struct *mm);

#endif /* _UMM_FS_PROC_INTERNAL_H */
