/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagemap.h - the page cache: struct address_space and its API
 * (include/linux/fs.h's address_space, include/linux/pagemap.h).
 *
 * One address_space per host inode (st_dev, st_ino), shared by every
 * struct file of that inode, and one per shmem object.  It maps a page
 * offset (pgoff) to a page through i_pages, a radix tree (lib/radix-tree.c) of 64-way nodes
 * (the xarray's geometry) with a DIRTY tag per slot, so that lookups are
 * O(log64 n) and writeback visits only dirty pages.  mm/filemap.c owns
 * it; mm/shmem.c fills shmem's.
 *
 * A cached page: page->mapping == the address_space, page->index == its
 * pgoff, PG_uptodate once its data is valid, PG_swapbacked for shmem,
 * one reference held by the cache (every PTE holds another), PG_dirty
 * (tagged in i_pages) when it differs from the host file, PG_referenced
 * when a fault used it since reclaim last looked.  A page is inserted
 * locked (PG_locked) and not uptodate while its read is in flight;
 * lookups that find it so wait for the unlock (wait_on_page_locked()),
 * and PG_uptodate is set with release semantics once the data is there.
 *
 * Locks: mapping->i_pages_lock protects i_pages, nrpages and nrdirty; it
 * is taken under mm->page_table_lock (fault-around, set_page_dirty() from
 * zap) and never held across I/O or calls into mm/memory.c; only the
 * hashed page wait locks nest inside it.  The list of host mappings has
 * its own lock, taken before i_pages_lock.  Writeback walks the mm list
 * (mm_list_lock, then each mm's mmap_lock by trylock, page_table_lock,
 * i_pages_lock); reclaim, which runs inside allocations, only trylocks.
 *
 * The calling convention with mm/memory.c (include/umm/mmap.h's
 * struct vm_fault): ->fault (filemap_fault, shmem_fault) is called
 * without page_table_lock and returns vmf->page with one reference for
 * the caller, never locked; ->map_pages (filemap_map_pages) is called
 * by do_fault_around() with mm->page_table_lock held and vmf->pmd
 * pointing at the window's PTE table (include/umm/rmap.h), and maps
 * through set_pte_range(), one page reference per PTE, as the kernel
 * does; ->page_mkwrite (filemap_page_mkwrite) dirties vmf->page and
 * returns 0.
 */
#ifndef _UMM_PAGEMAP_H
#define _UMM_PAGEMAP_H

#include "compiler.h"
#include <pthread.h>
#include <sys/types.h>
#include "list.h"
#include "mm.h"
#include "mmap.h"
#include "radix-tree.h"

UMM_BEGIN_DECLS

/* i_pages tags (the kernel's PAGECACHE_TAG_*). */
enum { PAGECACHE_TAG_DIRTY };

struct address_space {
	struct radix_tree_root i_pages;	/* pgoff -> struct page * */
	struct mutex i_pages_lock;
	unsigned long nrpages;		/* pages in i_pages */
	unsigned long nrdirty;		/* of them PG_dirty (tagged) */
	loff_t i_size;			/* host: last fstat(); shmem: fixed */
	int a_hostfd;			/* our dup of the inode's fd, for reads; -1: shmem */
	int a_wbfd;			/* a writable dup, once a writer came; or -1 */
	bool shmem;			/* shmem: no host file, no writeback */
	int wb_err;			/* first writeback error, reported once */
	long a_count;			/* struct files using it (iget/iput) */
	dev_t a_dev;			/* the inode's identity */
	unsigned long a_ino;
	struct list_head a_list;	/* all host mappings */
	pgoff_t reclaim_index;		/* reclaim's clock hand */
};

/* The page cache proper (mm/filemap.c). */
UMM_API struct page *find_get_page(struct address_space *mapping, pgoff_t index);
UMM_API int add_to_page_cache_locked(struct page *page, struct address_space *mapping,
				     pgoff_t index);
UMM_API void delete_from_page_cache(struct page *page);
UMM_API unsigned int find_get_pages_range(struct address_space *mapping, pgoff_t *start,
					  pgoff_t end, unsigned int nr_pages,
					  struct page **pages);
UMM_API void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
UMM_API bool set_page_dirty(struct page *page);
UMM_API void force_page_cache_readahead(struct address_space *mapping, pgoff_t index,
					unsigned long nr_to_read);
UMM_API int filemap_write_and_wait_range(struct address_space *mapping, loff_t start,
					 loff_t end);
static inline int filemap_write_and_wait(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, (loff_t)(~0ULL >> 1));
}

/* The mapping's invariants (tests, debug): 0 or -EINVAL. */
UMM_API int filemap_check(struct address_space *mapping);

/* PG_locked as a sleeping lock (hashed wait queues, mm/filemap.c). */
UMM_API void lock_page(struct page *page);
UMM_API bool trylock_page(struct page *page);
UMM_API void unlock_page(struct page *page);
UMM_API void wait_on_page_locked(struct page *page);

/* The vm_operations hooks. */
UMM_API vm_fault_t filemap_fault(struct vm_fault *vmf);
UMM_API vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
				     pgoff_t end_pgoff);
UMM_API vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf);
UMM_API vm_fault_t shmem_fault(struct vm_fault *vmf);
UMM_API extern const struct vm_operations_struct generic_file_vm_ops;
UMM_API extern const struct vm_operations_struct shmem_anon_vm_ops;

/*
 * The inode behind a host file (iget5_locked/iput in the kernel): the
 * address_space of (dev, ino), made on first use with a dup of @fd, and
 * dropped, written back and truncated, when its last file goes.
 */
UMM_API struct address_space *iget_mapping(dev_t dev, unsigned long ino, int fd,
					   bool writable);
UMM_API void iput_mapping(struct address_space *mapping);
/*
 * Free up to @nr clean, unmapped page cache pages (mm/filemap.c); the
 * page allocator's slow path calls it before it gives up.
 */
UMM_API unsigned long shrink_page_cache(unsigned long nr);

/* For mm/shmem.c and mm/msync.c (not exported). */
struct address_space *mapping_alloc(void);
void mapping_free(struct address_space *mapping);
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync);
void mapping_mkclean_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/* shmem's (mm/shmem.c): a new object of @size bytes. */
UMM_API struct address_space *shmem_mapping_alloc(unsigned long size);

static inline bool mapping_is_shmem(const struct address_space *mapping)
{
	return mapping->shmem;
}

/* DIV_ROUND_UP(i_size, PAGE_SIZE): the first page index past EOF. */
static inline pgoff_t mapping_end_index(const struct address_space *mapping)
{
	return (pgoff_t)(((unsigned long long)READ_ONCE(mapping->i_size) + PAGE_SIZE - 1)
			 >> PAGE_SHIFT);
}

UMM_END_DECLS

#endif /* _UMM_PAGEMAP_H */
