// SPDX-License-Identifier: GPL-2.0
/*
 * bug.c - what a failed assertion does (lib/bug.c, mm/debug.c): print one
 * line saying where and what, and for a BUG abort() the process.  The
 * declarations and the UMM_DEBUG levels are include/umm/debug.h's.
 *
 * Also owns the thread numbers that locks record as their owner
 * (current_lock_owner()): one per thread, handed out on first use from a
 * counter, never 0.  A child of fork() keeps its thread's number, as it
 * keeps the locks that thread held.
 *
 * Everything here prints through umm_printk() (one write(2), no malloc),
 * so it is safe from inside the allocator.
 */
#include <stdlib.h>
#include <umm/debug.h>
#include <umm/mm.h>
#include <umm/mmap.h>
#include <umm/printk.h>

void umm_bug(const char *file, int line, const char *func, const char *what)
{
	umm_printk(LOGLEVEL_EMERG, "umm: BUG: %s at %s:%d in %s()\n", what, file, line, func);
	abort();
}

void umm_warn(const char *file, int line, const char *func, const char *what)
{
	umm_printk(LOGLEVEL_WARNING, "umm: WARNING: %s at %s:%d in %s()\n", what, file, line,
		   func);
}

__thread int umm_lock_owner_id;
static int umm_lock_owner_next;

int umm_lock_owner_assign(void)
{
	int id;

	do
		id = __atomic_add_fetch(&umm_lock_owner_next, 1, __ATOMIC_RELAXED);
	while (!id);
	umm_lock_owner_id = id;
	return id;
}

void dump_page(const struct page *page, const char *reason)
{
	umm_printk(LOGLEVEL_EMERG,
		   "page:%p pfn:%#lx refcount:%d mapcount:%d mapping:%p index:%#lx flags:%#lx%s%s\n",
		   (const void *)page, page_to_pfn(page), page_ref_count(page),
		   page->_mapcount + 1, (void *)page->mapping, page->index, page->flags,
		   reason ? " " : "", reason ? reason : "");
}

void dump_vma(const struct vm_area_struct *vma)
{
	umm_printk(LOGLEVEL_EMERG,
		   "vma %p start %#lx end %#lx mm %p prot %#lx anon_vma %p vm_ops %p pgoff %#lx file %p flags %#lx\n",
		   (const void *)vma, vma->vm_start, vma->vm_end, (void *)vma->vm_mm,
		   (unsigned long)vma->vm_page_prot, (void *)vma->anon_vma,
		   (const void *)vma->vm_ops, vma->vm_pgoff, (void *)vma->vm_file,
		   (unsigned long)vma->vm_flags);
}

void dump_mm(const struct mm_struct *mm)
{
	umm_printk(LOGLEVEL_EMERG,
		   "mm %p pgd %p map_count %d total_vm %lu locked_vm %lu data_vm %lu stack_vm %lu mmap_lock writer %d readers %d\n",
		   (const void *)mm, (void *)mm->pgd, mm->map_count, mm->total_vm, mm->locked_vm,
		   mm->data_vm, mm->stack_vm, mm->mmap_lock_owner, mm->mmap_lock_readers);
}
