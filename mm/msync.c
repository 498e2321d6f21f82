// SPDX-License-Identifier: GPL-2.0
/*
 * msync.c - the msync() system call (mm/msync.c, Linux 6.18).
 *
 * Checks and errors are the kernel's: EINVAL for unknown flags, an
 * unaligned start, or MS_ASYNC with MS_SYNC; ENOMEM for a range that
 * wraps or has unmapped holes (reported after the mapped parts are
 * synced; MS_ASYNC alone stops at the first hole); EBUSY for
 * MS_INVALIDATE over a VM_LOCKED VMA.  MS_ASYNC does nothing (dirty
 * pages are tracked); MS_SYNC writes back the file range of every
 * shared file VMA in the range (vfs_fsync_range(datasync)) with
 * mmap_lock dropped around the I/O.
 *
 * User-space difference: the kernel's writeback write-protects and
 * cleans every PTE of a page it writes (folio_mkclean, through the file
 * rmap).  umm's writeback does it by walking the live mms, skipping one
 * whose mmap_lock is busy (mm/filemap.c), so MS_SYNC first does it for
 * the caller's own range while it holds its mmap_lock
 * (mapping_mkclean_vma(); msync_pte_range() of Linux 2.6.16): a dirty
 * PTE dirties its page, and the PTE becomes clean and read-only, so that
 * the next write faults and dirties the page again.
 *
 * Lock order: mmap_lock (read), mm->page_table_lock, then the mapping's
 * i_pages_lock (in set_page_dirty()).
 */
#include <errno.h>
#include <sys/mman.h>
#include "internal.h"
#include <umm/pagemap.h>
#include <umm/pgtable.h>

int umm_msync(struct mm_struct *mm, unsigned long start, unsigned long len, int flags)
{
	struct vm_area_struct *vma;
	int unmapped_error = 0;
	unsigned long end;
	int error;

	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return -EINVAL;
	len = (len + ~PAGE_MASK) & PAGE_MASK;
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	for (;;) {
		struct file *file;
		loff_t fstart, fend;

		error = -ENOMEM;
		if (!vma)
			goto out_unlock;
		/* A hole: ENOMEM at the end, or now for MS_ASYNC alone. */
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				goto out_unlock;
			start = vma->vm_start;
			if (start >= end)
				goto out_unlock;
			unmapped_error = -ENOMEM;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED)) {
			error = -EBUSY;
			goto out_unlock;
		}
		file = vma->vm_file;
		fstart = (loff_t)(start - vma->vm_start) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
		fend = fstart + (loff_t)(min(end, vma->vm_end) - start) - 1;
		if ((flags & MS_SYNC) && file && (vma->vm_flags & VM_SHARED)) {
			mapping_mkclean_vma(vma, start, min(end, vma->vm_end));
			start = vma->vm_end;
			get_file(file);
			mmap_read_unlock(mm);
			error = vfs_fsync_range(file, fstart, fend, 1);
			fput(file);
			if (error || start >= end)
				goto out;
			mmap_read_lock(mm);
			vma = find_vma(mm, start);
		} else {
			start = vma->vm_end;
			if (start >= end) {
				error = 0;
				goto out_unlock;
			}
			vma = find_vma(mm, vma->vm_end);
		}
	}
out_unlock:
	mmap_read_unlock(mm);
out:
	return error ? error : unmapped_error;
}
