// SPDX-License-Identifier: GPL-2.0
/*
 * fork.c - a new address space as fork() makes it: dup_mm() and
 * dup_mmap() (kernel/fork.c, mm/mmap.c of Linux 6.18).
 *
 * Owns nothing that outlives the call: the child is an ordinary mm.
 *
 * What the child gets, as in the kernel:
 *  - every VMA but VM_DONTCOPY ones, with VM_LOCKED/VM_LOCKONFAULT
 *    cleared (mlock is not inherited) and locked_vm 0;
 *  - for each VMA with an anon_vma, anon_vma_fork(): an anon_vma of its
 *    own chained below the parent's;
 *  - page tables copied only where a fault could not refill them: VMAs
 *    with an anon_vma; private writable pages are write-protected in
 *    both (COW) and stop being exclusive; VM_WIPEONFORK VMAs get no
 *    pages and no anon_vma;
 *  - the counters: total/data/exec/stack_vm, brk, the stack and argument
 *    fields, the layout and the limits; RSS as copied; hiwater_rss and
 *    hiwater_vm start at the current values; fault counts at 0.
 *
 * Locking: the parent's mmap_lock for writing for the whole copy (the
 * kernel's dup_mmap() takes it so; faults of the parent wait), then the
 * child's, which nobody else can see yet.
 */
#include <errno.h>
#include <string.h>
#include "../mm/internal.h"
#include <umm/rmap.h>

/* Undo a partial copy: the child goes the ordinary way. */
static struct mm_struct *fork_failed(struct mm_struct *mm)
{
	umm_mm_destroy(mm);
	return NULL;
}

struct mm_struct *umm_mm_fork(struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp, *prev = NULL;
	unsigned long charge = 0;
	struct mm_struct *mm;
	int err = 0;

	VM_CHECK_MM(oldmm);
	if (!oldmm)
		return NULL;
	mm = umm_mm_create();
	if (!mm)
		return NULL;

	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	/* dup_mm()'s memcpy of what a task's mm carries over */
	mm->flags = oldmm->flags;
	mm->mmap_base = oldmm->mmap_base;
	mm->mmap_legacy_base = oldmm->mmap_legacy_base;
	mm->task_size = oldmm->task_size;
	mm->def_flags = oldmm->def_flags & VM_NOHUGEPAGE;	/* VM_INIT_DEF_MASK */
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->limits = oldmm->limits;
	mm->aslr_state = oldmm->aslr_state;
	/* what exec left: the executable, the auxv, the vdso (fs/exec.c) */
	mm->exe_file = oldmm->exe_file ? get_file(oldmm->exe_file) : NULL;
	memcpy(mm->saved_auxv, oldmm->saved_auxv, sizeof(mm->saved_auxv));
	mm->context.flags = oldmm->context.flags;
	mm->context.vdso = oldmm->context.vdso;
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;

	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags, -(long)vma_pages(mpnt));
			continue;
		}
		if (mpnt->vm_flags & VM_ACCOUNT) {
			unsigned long len = vma_pages(mpnt);

			if (security_vm_enough_memory_mm(oldmm, (long)len)) {
				err = -ENOMEM;
				break;
			}
			charge += len;
		}
		tmp = vm_area_dup(mpnt);
		if (!tmp) {
			err = -ENOMEM;
			break;
		}
		tmp->vm_mm = mm;
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (tmp->vm_flags & VM_WIPEONFORK) {
			/* the child gets fresh anonymous memory: no anon_vma yet */
			tmp->anon_vma = NULL;
		} else if (anon_vma_fork(tmp, mpnt)) {
			tmp->anon_vma = NULL;
			if (tmp->vm_ops && tmp->vm_ops->close)
				tmp->vm_ops->close(tmp);
			if (tmp->vm_file)
				fput(tmp->vm_file);
			vm_area_free(tmp);
			err = -ENOMEM;
			break;
		}
		vma_link_between(mm, tmp, prev, NULL);
		prev = tmp;
		charge = 0;	/* the linked VMA carries its charge now */
		if (!(tmp->vm_flags & VM_WIPEONFORK)) {
			err = copy_page_range(tmp, mpnt);
			if (err)
				break;
		}
	}
	if (charge)
		vm_unacct_memory((long)charge);
	if (!err) {
		mm->hiwater_rss = get_mm_rss(mm);
		mm->hiwater_vm = mm->total_vm;
	} else {
		/* the VMAs not copied must not be counted in the child */
		mm->total_vm = mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
		for (tmp = mm->mmap; tmp; tmp = tmp->vm_next)
			vm_stat_account(mm, tmp->vm_flags, (long)vma_pages(tmp));
	}
	mmap_write_unlock(mm);
	mmap_write_unlock(oldmm);
	return err ? fork_failed(mm) : mm;
}
