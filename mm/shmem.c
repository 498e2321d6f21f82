// SPDX-License-Identifier: GPL-2.0
/*
 * shmem.c - shared anonymous memory: the object behind MAP_SHARED |
 * MAP_ANONYMOUS and a shared mapping of /dev/zero (mm/shmem.c's
 * shmem_zero_setup(), shmem_fault(), shmem_anon_vm_ops; Linux 6.18).
 *
 * Owns: shmem address_spaces.  Each shmem struct file (mm/mmap.c's
 * shmem_zero_file()) has one, made here with i_size = the mapping's
 * length at mmap() time; every VMA of the object (after split, mremap
 * or fork) holds the one struct file, so they all share its pages.
 *
 * Invariants: a shmem page is in exactly one shmem address_space, with
 * PG_swapbacked and PG_uptodate, zero-filled when it was created, and
 * counted in NR_FILE_PAGES and NR_SHMEM (the RSS counter MM_SHMEMPAGES
 * through mm_counter_file()).  Pages stay in the object until its last
 * file reference goes: MADV_DONTNEED and munmap only unmap them.
 *
 * Lock order: as mm/filemap.c (the object's i_pages_lock only).
 *
 * User-space differences: no swap, so no swap entries in i_pages and no
 * shmem_writeout; no huge pages (shmem_enabled=never, the default); no
 * tmpfs superblock, so no size limit other than memory and i_size (a
 * fault past i_size is SIGBUS, as in the kernel).
 */
#include <errno.h>
#include "internal.h"
#include <umm/pagemap.h>

struct address_space *shmem_mapping_alloc(unsigned long size)
{
	struct address_space *mapping = mapping_alloc();

	if (!mapping)
		return NULL;
	mapping->shmem = true;
	mapping->i_size = (loff_t)size;
	return mapping;
}

/*
 * shmem_get_page - the object's page at @index, made (zeroed) if it is
 * not there yet: shmem_get_folio_gfp(SGP_CACHE).  Referenced for the
 * caller.  -ENOMEM.
 */
static int shmem_get_page(struct address_space *mapping, pgoff_t index,
			  struct page **pagep)
{
	struct page *page;
	int err;

	for (;;) {
		page = find_get_page(mapping, index);
		if (page) {
			*pagep = page;
			return 0;
		}
		page = alloc_page(GFP_HIGHUSER_MOVABLE | __GFP_ZERO);
		if (!page)
			return -ENOMEM;
		__SetPageSwapBacked(page);
		__SetPageUptodate(page);
		err = add_to_page_cache_locked(page, mapping, index);
		if (!err) {
			*pagep = page;
			return 0;
		}
		__ClearPageSwapBacked(page);
		__ClearPageUptodate(page);
		put_page(page);
		if (err != -EEXIST)
			return err;
		/* Another fault added it first: take that one. */
	}
}

/*
 * shmem_fault - ->fault of a shmem object: read and write faults alike
 * get the object's page (shmem does not map the zero page), made zeroed
 * on first touch.  Past i_size: VM_FAULT_SIGBUS.  Never major (no I/O).
 */
vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct page *page;
	int err;

	if (unlikely(vmf->pgoff >= mapping_end_index(mapping)))
		return VM_FAULT_SIGBUS;
	err = shmem_get_page(mapping, vmf->pgoff, &page);
	if (unlikely(err))
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	vmf->page = page;
	return 0;
}

/*
 * shmem_anon_vm_ops: fault-around maps the object's cached pages, as
 * the kernel's does (filemap_map_pages); no ->page_mkwrite (no
 * writeback, so shared writable shmem maps writable at once).
 */
const struct vm_operations_struct shmem_anon_vm_ops = {
	.fault = shmem_fault,
	.map_pages = filemap_map_pages,
};
