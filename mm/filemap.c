// SPDX-License-Identifier: GPL-2.0
/*
 * filemap.c - the page cache (mm/filemap.c, mm/readahead.c,
 * mm/page-writeback.c, mm/truncate.c; Linux 6.18).  i_pages is a radix
 * tree (lib/radix-tree.c).
 *
 * Owns: every struct address_space (one per host inode, found by
 * (st_dev, st_ino) on the list host_mappings; shmem objects have theirs
 * from mm/shmem.c), the pages in them, the page-cache counters
 * (NR_FILE_PAGES, NR_SHMEM, NR_FILE_DIRTY, NR_WRITEBACK), PG_locked as a
 * sleeping lock, the file fault handlers filemap_fault, filemap_map_pages
 * and filemap_page_mkwrite, writeback, and the reclaim of clean page
 * cache (shrink_page_cache(), called by the page allocator).
 *
 * Invariants (see include/umm/pagemap.h for the page state):
 *  - i_pages holds exactly nrpages pages; page->mapping/index name the
 *    slot that holds the page; each holds one reference for the cache.
 *  - A page is PG_dirty and tagged DIRTY in i_pages together, for host
 *    mappings; nrdirty counts them.  shmem pages are never tagged (no
 *    writeback: shmem's dirty_folio is noop_dirty_folio).
 *  - A not-uptodate page in i_pages is locked: its read is in flight.
 *  - i_pages keeps the radix tree's invariants (lib/radix-tree.c).
 *
 * Lock order: host_mappings_lock, then (mm->page_table_lock, then)
 * mapping->i_pages_lock, then the hashed page wait lock.  I/O runs with
 * the page locked (PG_locked) and no mutex held.  Reclaim runs inside
 * allocations that may hold any of these, so it only trylocks.
 *
 * User-space differences (and why):
 *  - The backing store is the host file, read with preadv() and written
 *    with pwritev() on our own dup of its fd.  The host has a page cache
 *    of its own: umm's is coherent with umm's mappings only.  A write()
 *    to the file by the host after umm cached a page is not seen, and a
 *    host truncate does not drop umm's pages (i_size is re-read from
 *    fstat() when a fault misses or would SIGBUS, and at writeback).
 *  - An inode lives as long as a struct file of it does (no inode cache):
 *    when the last file goes its dirty pages are written back and its
 *    pages freed.
 *  - Pages are 4 KiB only, no large folios.  A 6.18 host whose page cache
 *    holds large folios maps a whole folio on fault-around when it fits
 *    the VMA and the PMD, so its Rss can exceed umm's 16-page window
 *    (tests/diff/diff_mmap.c -F measures it); with order-0 folios on the
 *    host (a file written 4 KiB at a time) the two agree (test_filemap).
 *  - Read-around (do_sync_mmap_readahead) reads ra_pages = 32 pages
 *    (read_ahead_kb = 128) centred on the fault, as the kernel does, in
 *    one preadv(); without the mmap_miss heuristic and without the async
 *    readahead marker (there is no I/O to overlap with).
 *  - Writeback cleans and write-protects the PTEs of the range in every
 *    mm (folio_mkclean()) by walking the list of live mms, since there is
 *    no file rmap tree (mapping->i_mmap); an mm whose mmap_lock is busy
 *    is skipped (never waited for), and its dirty PTEs dirty the page
 *    again when it unmaps or msyncs.  msync also cleans the caller's own
 *    range under its mmap_lock (mapping_mkclean_vma()).
 *  - Reclaim has no LRU lists: it takes clean pages that only the cache
 *    holds from each host mapping in turn, with a clock hand per mapping
 *    and PG_referenced (set when a fault uses the page) as the second
 *    chance.  Mapped pages are never reclaimed (no rmap walk to unmap
 *    them), nor dirty ones (writeback is msync's and the last fput's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "internal.h"
#include <umm/pagemap.h>
#include <umm/pagewalk.h>
#include <umm/pgtable.h>
#include <umm/rmap.h>
#include <umm/slab.h>

/* ---- PG_locked: a sleeping lock on hashed wait queues ---- */

#define PAGE_WAIT_TABLE_BITS 6
static struct page_wait_queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;
} page_wait_table[1 << PAGE_WAIT_TABLE_BITS];
static pthread_once_t page_wait_once = PTHREAD_ONCE_INIT;

static void page_wait_table_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(page_wait_table); i++) {
		pthread_mutex_init(&page_wait_table[i].lock, NULL);
		pthread_cond_init(&page_wait_table[i].cond, NULL);
	}
}

static struct page_wait_queue *page_waitqueue(struct page *page)
{
	unsigned long h = page_to_pfn(page) * 0x9e3779b97f4a7c15UL;

	pthread_once(&page_wait_once, page_wait_table_init);
	return &page_wait_table[h >> (64 - PAGE_WAIT_TABLE_BITS)];
}

bool trylock_page(struct page *page)
{
	return !(__atomic_fetch_or(&page->flags, 1UL << PG_locked, __ATOMIC_ACQUIRE) &
		 (1UL << PG_locked));
}

/*
 * Sleep until PG_locked is clear (and take it, if @take).  The waiter
 * sets PG_waiters under the queue lock before it sleeps; unlock_page()
 * clears PG_locked, then sees PG_waiters and wakes (both seq_cst: one of
 * the two sees the other's store).
 */
static void page_wait(struct page *page, bool take)
{
	struct page_wait_queue *q = page_waitqueue(page);

	pthread_mutex_lock(&q->lock);
	for (;;) {
		__atomic_fetch_or(&page->flags, 1UL << PG_waiters, __ATOMIC_SEQ_CST);
		if (!(__atomic_load_n(&page->flags, __ATOMIC_SEQ_CST) & (1UL << PG_locked))) {
			if (!take || trylock_page(page))
				break;
			continue;
		}
		pthread_cond_wait(&q->cond, &q->lock);
	}
	pthread_mutex_unlock(&q->lock);
}

void lock_page(struct page *page)
{
	if (likely(trylock_page(page)))
		return;
	page_wait(page, true);
}

void wait_on_page_locked(struct page *page)
{
	if (__atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) & (1UL << PG_locked))
		page_wait(page, false);
}

void unlock_page(struct page *page)
{
	struct page_wait_queue *q;

	__atomic_fetch_and(&page->flags, ~(1UL << PG_locked), __ATOMIC_SEQ_CST);
	if (likely(!(__atomic_load_n(&page->flags, __ATOMIC_SEQ_CST) & (1UL << PG_waiters))))
		return;
	q = page_waitqueue(page);
	pthread_mutex_lock(&q->lock);
	__atomic_fetch_and(&page->flags, ~(1UL << PG_waiters), __ATOMIC_RELAXED);
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->lock);
}

/* ---- the page cache ---- */

/*
 * PG_uptodate publishes the data a read put in the page after the page
 * went into the cache: set with release, tested with acquire
 * (folio_mark_uptodate()'s smp_wmb(), folio_test_uptodate()'s smp_rmb()).
 */
static inline void page_mark_uptodate(struct page *page)
{
	__atomic_fetch_or(&page->flags, 1UL << PG_uptodate, __ATOMIC_RELEASE);
}

static inline bool page_is_uptodate(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_ACQUIRE) & (1UL << PG_uptodate);
}

/* The page was used: reclaim gives it a second chance (PG_referenced). */
static inline void mark_page_accessed(struct page *page)
{
	if (!PageReferenced(page))
		SetPageReferenced(page);
}

static void mod_page_state(struct page *page, enum node_stat_item item, long delta)
{
	mod_node_page_state(page_pgdat(page), item, delta);
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct page *page;

	mutex_lock(&mapping->i_pages_lock);
	page = radix_tree_lookup(&mapping->i_pages, index);
	if (page)
		get_page(page);
	mutex_unlock(&mapping->i_pages_lock);
	return page;
}

/*
 * Up to @nr_pages pages at indices in [*start, end] (with @tag, if >= 0),
 * referenced, in index order; *start is moved past the last one.
 */
static unsigned int __find_get_pages(struct address_space *mapping, pgoff_t *start,
				     pgoff_t end, unsigned int nr_pages,
				     struct page **pages, int tag)
{
	unsigned long index = *start;
	unsigned int n = 0;
	struct page *page;

	mutex_lock(&mapping->i_pages_lock);
	while (n < nr_pages &&
	       (page = radix_tree_next(&mapping->i_pages, &index, end, tag))) {
		get_page(page);
		pages[n++] = page;
		if (index++ == end)
			break;
	}
	mutex_unlock(&mapping->i_pages_lock);
	*start = index;
	return n;
}

unsigned int find_get_pages_range(struct address_space *mapping, pgoff_t *start,
				  pgoff_t end, unsigned int nr_pages, struct page **pages)
{
	return __find_get_pages(mapping, start, end, nr_pages, pages, -1);
}

/* filemap_get_folios_tag(PAGECACHE_TAG_DIRTY) */
static unsigned int find_get_dirty_pages(struct address_space *mapping, pgoff_t *start,
					 pgoff_t end, unsigned int nr_pages,
					 struct page **pages)
{
	return __find_get_pages(mapping, start, end, nr_pages, pages,
				PAGECACHE_TAG_DIRTY);
}

/*
 * add_to_page_cache_locked - insert @page (a fresh page, which the caller
 * has locked unless its data is already valid) at @index; the cache takes
 * a reference of its own.  -EEXIST if another page got there first.
 */
int add_to_page_cache_locked(struct page *page, struct address_space *mapping,
			     pgoff_t index)
{
	int err;

	radix_tree_free_deferred();
	page->mapping = mapping;
	page->index = index;
	mutex_lock(&mapping->i_pages_lock);
	err = radix_tree_insert(&mapping->i_pages, index, page);
	if (!err) {
		get_page(page);
		mapping->nrpages++;
		mod_page_state(page, NR_FILE_PAGES, 1);
		if (mapping->shmem)
			mod_page_state(page, NR_SHMEM, 1);
	}
	mutex_unlock(&mapping->i_pages_lock);
	if (err)
		page->mapping = NULL;
	return err;
}

/* Forget a dirty page's state: the caller holds i_pages_lock. */
static void __cancel_dirty_page(struct address_space *mapping, struct page *page)
{
	lockdep_assert_held(&mapping->i_pages_lock);

	if (!(__atomic_fetch_and(&page->flags, ~(1UL << PG_dirty), __ATOMIC_RELAXED) &
	      (1UL << PG_dirty)))
		return;
	if (mapping->shmem)
		return;
	radix_tree_tag_clear(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
	WRITE_ONCE(mapping->nrdirty, mapping->nrdirty - 1);	/* read unlocked as a hint */
	mod_page_state(page, NR_FILE_DIRTY, -1);
}

/*
 * delete_from_page_cache - take @page out of its mapping and drop the
 * cache's reference.  PTEs that still map it keep theirs.
 */
void delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (!mapping)
		return;
	mutex_lock(&mapping->i_pages_lock);
	if (radix_tree_lookup(&mapping->i_pages, page->index) != page) {
		mutex_unlock(&mapping->i_pages_lock);
		return;
	}
	__cancel_dirty_page(mapping, page);
	radix_tree_delete(&mapping->i_pages, page->index);
	mapping->nrpages--;
	mod_page_state(page, NR_FILE_PAGES, -1);
	if (mapping->shmem)
		mod_page_state(page, NR_SHMEM, -1);
	page->mapping = NULL;
	mutex_unlock(&mapping->i_pages_lock);
	ClearPageUptodate(page);
	ClearPageSwapBacked(page);
	put_page(page);
}

/*
 * truncate_inode_pages - drop every page from offset @lstart on, dirty or
 * not (the caller wrote back what it wanted kept).  A partial page at
 * @lstart keeps its data below it and has the rest zeroed.
 */
void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	pgoff_t index = (pgoff_t)(((unsigned long long)lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	unsigned int partial = (unsigned int)(lstart & (PAGE_SIZE - 1));
	struct page *pages[32];
	unsigned int n;

	if (partial) {
		struct page *page = find_get_page(mapping, (pgoff_t)(lstart >> PAGE_SHIFT));

		if (page) {
			lock_page(page);
			memset((char *)page_address(page) + partial, 0, PAGE_SIZE - partial);
			unlock_page(page);
			put_page(page);
		}
	}
	while ((n = find_get_pages_range(mapping, &index, ~0UL, ARRAY_SIZE(pages), pages))) {
		for (unsigned int i = 0; i < n; i++) {
			lock_page(pages[i]);
			delete_from_page_cache(pages[i]);
			unlock_page(pages[i]);
			put_page(pages[i]);
		}
		if (!index)
			break;	/* wrapped past ~0UL */
	}
}

/*
 * set_page_dirty - @page's data now differs from the file.  Page cache
 * pages of a host file are tagged and counted once; shmem and anonymous
 * pages only get PG_dirty.  Returns true if the page was clean.
 */
bool set_page_dirty(struct page *page)
{
	struct address_space *mapping = READ_ONCE(page->mapping);
	bool was_clean;

	if (PageDirty(page))
		return false;
	if (!mapping || ((unsigned long)mapping & PAGE_MAPPING_ANON) || mapping->shmem)
		return !(__atomic_fetch_or(&page->flags, 1UL << PG_dirty, __ATOMIC_RELAXED) &
			 (1UL << PG_dirty));
	mutex_lock(&mapping->i_pages_lock);
	was_clean = !(__atomic_fetch_or(&page->flags, 1UL << PG_dirty, __ATOMIC_RELAXED) &
		      (1UL << PG_dirty));
	if (was_clean && page->mapping == mapping) {
		radix_tree_tag_set(&mapping->i_pages, page->index, PAGECACHE_TAG_DIRTY);
		WRITE_ONCE(mapping->nrdirty, mapping->nrdirty + 1);
		mod_page_state(page, NR_FILE_DIRTY, 1);
	}
	mutex_unlock(&mapping->i_pages_lock);
	return was_clean;
}

/*
 * filemap_check - the invariants of @mapping (the head comment): the
 * tree's shape, nrpages, each page's mapping and index, PG_dirty ==
 * the DIRTY tag and nrdirty.  0, or -EINVAL after printing what broke.
 */
int filemap_check(struct address_space *mapping)
{
	unsigned long nr = 0, dirty = 0, index = 0;
	const char *why = NULL;
	struct page *page;

	mutex_lock(&mapping->i_pages_lock);
	if (radix_tree_check(&mapping->i_pages, &nr))
		why = "radix tree shape";
	else if (nr != mapping->nrpages)
		why = "nrpages";
	while (!why && (page = radix_tree_next(&mapping->i_pages, &index, ~0UL, -1))) {
		bool tagged = radix_tree_tag_get(&mapping->i_pages, index, PAGECACHE_TAG_DIRTY);

		if (page->mapping != mapping || page->index != index)
			why = "page mapping/index";
		else if (page_count(page) < 1)
			why = "page refcount";
		else if (mapping->shmem ? tagged || !PageSwapBacked(page) : tagged != PageDirty(page))
			why = "dirty tag";
		dirty += tagged;
		if (index++ == ~0UL)
			break;
	}
	if (!why && dirty != mapping->nrdirty)
		why = "nrdirty";
	mutex_unlock(&mapping->i_pages_lock);
	if (why) {
		pr_err("filemap_check: mapping %p: %s (nrpages %lu, nrdirty %lu)\n",
		       (void *)mapping, why, mapping->nrpages, mapping->nrdirty);
		return -EINVAL;
	}
	return 0;
}

/* ---- inodes ---- */

static DEFINE_MUTEX(host_mappings_lock);
static LIST_HEAD(host_mappings);

/* i_size as the host has it now (regular files; block devices: their size). */
static void mapping_update_i_size(struct address_space *mapping)
{
	struct stat st;
	off_t end;

	if (mapping->shmem || fstat(mapping->a_hostfd, &st))
		return;
	if (S_ISREG(st.st_mode)) {
		WRITE_ONCE(mapping->i_size, st.st_size);
	} else {
		end = lseek(mapping->a_hostfd, 0, SEEK_END);
		WRITE_ONCE(mapping->i_size, end >= 0 ? end : (loff_t)(~0ULL >> 1));
	}
}

struct address_space *mapping_alloc(void)
{
	struct address_space *mapping = kzalloc(sizeof(*mapping), GFP_KERNEL);

	if (!mapping)
		return NULL;
	mutex_init(&mapping->i_pages_lock);
	mapping->a_hostfd = -1;
	mapping->a_wbfd = -1;
	mapping->a_count = 1;
	INIT_LIST_HEAD(&mapping->a_list);
	return mapping;
}

void mapping_free(struct address_space *mapping)
{
	VM_CHECK(filemap_check(mapping));

	truncate_inode_pages(mapping, 0);
	radix_tree_free_deferred();
	if (mapping->a_hostfd >= 0)
		close(mapping->a_hostfd);
	if (mapping->a_wbfd >= 0)
		close(mapping->a_wbfd);
	mutex_destroy(&mapping->i_pages_lock);
	kfree(mapping);
}

/*
 * The fd writeback writes with: a dup of @fd, unless @fd appends
 * (O_APPEND would make every pwritev() append, where writeback writes
 * pages in place): then the file opened again, through /proc/self/fd,
 * as a new open file description.
 */
static int writeback_fd(int fd)
{
	char path[64];
	int fl = fcntl(fd, F_GETFL), wfd;

	if (fl < 0 || !(fl & O_APPEND))
		return fcntl(fd, F_DUPFD_CLOEXEC, 3);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	wfd = open(path, O_WRONLY | O_CLOEXEC);
	if (wfd >= 0 && wfd < 3) {	/* keep clear of stdin/out/err, as F_DUPFD does */
		int moved = fcntl(wfd, F_DUPFD_CLOEXEC, 3);

		close(wfd);
		wfd = moved;
	}
	return wfd;
}

/*
 * iget_mapping - the address_space of inode (@dev, @ino), a new reference.
 * @fd is an open fd of it: the first user's dup reads the file; the first
 * writable one's dup writes it back.  NULL on ENOMEM (or EMFILE).
 */
struct address_space *iget_mapping(dev_t dev, unsigned long ino, int fd, bool writable)
{
	struct address_space *mapping;
	int wbfd = -1;

	mutex_lock(&host_mappings_lock);
	list_for_each_entry(mapping, &host_mappings, a_list) {
		if (mapping->a_dev != dev || mapping->a_ino != ino)
			continue;
		if (writable && mapping->a_wbfd < 0) {
			wbfd = writeback_fd(fd);
			if (wbfd < 0) {
				mutex_unlock(&host_mappings_lock);
				return NULL;
			}
			WRITE_ONCE(mapping->a_wbfd, wbfd);
		}
		mapping->a_count++;
		mutex_unlock(&host_mappings_lock);
		return mapping;
	}
	mapping = mapping_alloc();
	if (!mapping)
		goto fail;
	mapping->a_dev = dev;
	mapping->a_ino = ino;
	mapping->a_hostfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (mapping->a_hostfd < 0)
		goto fail;
	if (writable) {
		mapping->a_wbfd = writeback_fd(fd);
		if (mapping->a_wbfd < 0)
			goto fail;
	}
	mapping_update_i_size(mapping);
	list_add(&mapping->a_list, &host_mappings);
	mutex_unlock(&host_mappings_lock);
	return mapping;
fail:
	mutex_unlock(&host_mappings_lock);
	if (mapping)
		mapping_free(mapping);
	return NULL;
}

/* iput_final(): the last file went; write back, then drop every page. */
void iput_mapping(struct address_space *mapping)
{
	if (!mapping->shmem) {
		mutex_lock(&host_mappings_lock);
		if (--mapping->a_count) {
			mutex_unlock(&host_mappings_lock);
			return;
		}
		list_del(&mapping->a_list);
		mutex_unlock(&host_mappings_lock);
		filemap_write_and_wait(mapping);
	} else if (__atomic_sub_fetch(&mapping->a_count, 1, __ATOMIC_ACQ_REL)) {
		return;
	}
	mapping_free(mapping);
}

/* ---- reclaim: clean page cache nobody maps ---- */

/*
 * Reclaim is only ever called from an allocation that would otherwise
 * fail; an allocation made by reclaim itself must not recurse into it.
 * The radix tree nodes it empties are freed later, by the next insertion
 * or mapping_free() (radix_tree_defer_frees()).
 */
static __thread bool in_page_cache_reclaim;

/*
 * Take clean, uptodate, unlocked pages that only the cache holds (no PTE,
 * no other reference) out of @mapping, scanning from its clock hand; a
 * page used since the last pass (PG_referenced) gets a second chance.
 * Called with i_pages_lock held; the pages go to @freed for the caller to
 * free once the lock is dropped.
 */
static unsigned long shrink_mapping(struct address_space *mapping, struct page **freed,
				    unsigned long nr, unsigned long scan)
{
	unsigned long index = mapping->reclaim_index, n = 0;
	struct page *page;

	lockdep_assert_held(&mapping->i_pages_lock);
	while (n < nr && scan--) {
		page = radix_tree_next(&mapping->i_pages, &index, ~0UL, -1);
		if (!page) {
			if (!mapping->reclaim_index)
				break;
			index = mapping->reclaim_index = 0;	/* wrap once */
			continue;
		}
		mapping->reclaim_index = ++index;
		if (page_count(page) != 1 || page_mapcount(page) || PageDirty(page) ||
		    PageWriteback(page) || !PageUptodate(page) || !trylock_page(page))
			continue;
		if (PageReferenced(page)) {
			ClearPageReferenced(page);
			unlock_page(page);
			continue;
		}
		radix_tree_delete(&mapping->i_pages, page->index);
		mapping->nrpages--;
		mod_page_state(page, NR_FILE_PAGES, -1);
		page->mapping = NULL;
		ClearPageUptodate(page);
		unlock_page(page);
		freed[n++] = page;
	}
	return n;
}

/*
 * shrink_page_cache - free up to @nr clean page cache pages that no PTE
 * maps (shrink_inactive_list() of the file LRU, in spirit: umm has no LRU
 * lists, so each host mapping is scanned with a clock hand, two passes at
 * most).  shmem pages stay: there is no swap.  Locks are only tried, as
 * the allocation that got us here may hold one of them.  Returns the
 * pages freed.
 */
unsigned long shrink_page_cache(unsigned long nr)
{
	struct address_space *mapping, *tmp;
	struct page *freed[64];
	unsigned long total = 0;
	LIST_HEAD(done);

	if (in_page_cache_reclaim || !mutex_trylock(&host_mappings_lock))
		return 0;
	in_page_cache_reclaim = true;
	radix_tree_defer_frees(true);
	list_for_each_entry_safe(mapping, tmp, &host_mappings, a_list) {
		unsigned long n = 0;

		if (total >= nr)
			break;
		if (mutex_trylock(&mapping->i_pages_lock)) {
			n = shrink_mapping(mapping, freed, min(nr - total, ARRAY_SIZE(freed)),
					   2 * mapping->nrpages);
			mutex_unlock(&mapping->i_pages_lock);
		}
		for (unsigned long i = 0; i < n; i++)
			put_page(freed[i]);
		total += n;
		/* The next reclaim starts with the mappings not scanned now. */
		list_move_tail(&mapping->a_list, &done);
	}
	while (!list_empty(&done))
		list_move_tail(done.next, &host_mappings);
	radix_tree_defer_frees(false);
	in_page_cache_reclaim = false;
	mutex_unlock(&host_mappings_lock);
	return total;
}

/* ---- reading: read-around and ->fault ---- */

#define VM_READAHEAD_PAGES	32	/* read_ahead_kb = 128 */

/*
 * read_pages - read @n new, locked pages of consecutive indices with
 * preadv() (looping over short reads); zero what lies past EOF, mark them
 * uptodate and unlock them.  If the read fails they leave the cache
 * (their waiters find them not uptodate) and -EIO is returned.  Drops the
 * caller's references.
 */
static int read_pages(struct address_space *mapping, struct page **pages, unsigned long n)
{
	loff_t pos = (loff_t)PFN_PHYS(pages[0]->index);
	struct iovec iov[VM_READAHEAD_PAGES];
	size_t done = 0, want = n * PAGE_SIZE;
	ssize_t r = 0;
	int err = 0;

	while (done < want) {
		unsigned long k = done / PAGE_SIZE, off = done % PAGE_SIZE;

		for (unsigned long j = k; j < n; j++) {
			iov[j - k].iov_base = page_address(pages[j]);
			iov[j - k].iov_len = PAGE_SIZE;
		}
		iov[0].iov_base = (char *)iov[0].iov_base + off;
		iov[0].iov_len -= off;
		r = preadv(mapping->a_hostfd, iov, (int)(n - k), pos + (loff_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;		/* EOF, or an error */
		done += (size_t)r;
	}
	if (r < 0)
		err = -EIO;
	for (unsigned long k = 0; k < n; k++) {
		size_t lo = k * PAGE_SIZE, valid = done > lo ? min(done - lo, PAGE_SIZE) : 0;

		if (err) {
			delete_from_page_cache(pages[k]);
		} else {
			if (valid < PAGE_SIZE)	/* the EOF tail */
				memset((char *)page_address(pages[k]) + valid, 0, PAGE_SIZE - valid);
			page_mark_uptodate(pages[k]);
		}
		unlock_page(pages[k]);
		put_page(pages[k]);
	}
	return err;
}

/* A fresh page at @index, in the cache locked and not uptodate; or NULL. */
static struct page *page_cache_alloc_locked(struct address_space *mapping, pgoff_t index,
					    int *err)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);

	*err = -ENOMEM;
	if (!page)
		return NULL;
	__SetPageLocked(page);
	*err = add_to_page_cache_locked(page, mapping, index);
	if (!*err)
		return page;
	__ClearPageLocked(page);
	put_page(page);
	return NULL;
}

/*
 * page_cache_ra_unbounded - read [index, index + nr) (at most ra_pages)
 * of @mapping: the pages not cached yet get fresh pages, and each run of
 * consecutive new pages one preadv().  Returns 0; -ENOMEM if the page at
 * @index (the one a fault wants) could not be allocated, -EIO if its read
 * failed.
 */
static int page_cache_ra_unbounded(struct address_space *mapping, pgoff_t index,
				   unsigned long nr)
{
	struct page *run[VM_READAHEAD_PAGES];
	unsigned long n = 0;
	int err = 0;

	nr = min(nr, (unsigned long)VM_READAHEAD_PAGES);
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page = NULL;
		int e = -EEXIST;

		mutex_lock(&mapping->i_pages_lock);
		if (!radix_tree_lookup(&mapping->i_pages, index + i))
			e = 0;
		mutex_unlock(&mapping->i_pages_lock);
		if (!e)
			page = page_cache_alloc_locked(mapping, index + i, &e);
		if (page)
			run[n++] = page;
		else if (i == 0 && e == -ENOMEM)
			err = -ENOMEM;
		/* A gap or the end: read the run gathered so far. */
		if (n && (!page || i + 1 == nr)) {
			bool has_index = run[0]->index == index;

			if (read_pages(mapping, run, n) && has_index)
				err = -EIO;
			n = 0;
		}
	}
	return err;
}

/*
 * force_page_cache_readahead - read [index, index + nr_to_read) into the
 * page cache (what is not cached yet), in read-around sized chunks,
 * stopping at EOF: POSIX_FADV_WILLNEED and MADV_WILLNEED on a file.
 * Nothing is mapped.
 */
void force_page_cache_readahead(struct address_space *mapping, pgoff_t index,
				unsigned long nr_to_read)
{
	pgoff_t end;

	if (mapping->shmem)
		return;		/* tmpfs ignores the advice (noop bdi) */
	mapping_update_i_size(mapping);
	end = mapping_end_index(mapping);
	if (index >= end)
		return;
	nr_to_read = min(nr_to_read, end - index);
	while (nr_to_read) {
		unsigned long chunk = min(nr_to_read, (unsigned long)VM_READAHEAD_PAGES);

		if (page_cache_ra_unbounded(mapping, index, chunk) == -ENOMEM)
			return;
		index += chunk;
		nr_to_read -= chunk;
	}
}

/*
 * do_sync_mmap_readahead(): the window a missing page brings in.
 * MADV_RANDOM reads the page alone, MADV_SEQUENTIAL from it on, the
 * default read-around centres ra_pages on it; never past EOF.
 */
static int do_sync_mmap_readahead(struct vm_fault *vmf, struct address_space *mapping)
{
	vm_flags_t flags = vmf->vma->vm_flags;
	pgoff_t index = vmf->pgoff, end = mapping_end_index(mapping), start;
	unsigned long nr = VM_READAHEAD_PAGES;

	if (flags & VM_RAND_READ) {
		start = index;
		nr = 1;
	} else if (flags & VM_SEQ_READ) {
		start = index;
	} else {
		start = index > nr / 2 ? index - nr / 2 : 0;
	}
	if (start + nr > end)
		nr = end - start;
	/* Read the faulting page's run first, so that it is never skipped. */
	if (start < index) {
		int err = page_cache_ra_unbounded(mapping, index, start + nr - index);

		if (!err)
			page_cache_ra_unbounded(mapping, start, index - start);
		return err;
	}
	return page_cache_ra_unbounded(mapping, start, nr);
}

static vm_fault_t __cold filemap_fault_slow(struct vm_fault *vmf, struct page *page)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	vm_fault_t ret = 0;
	int err;

	if (!page) {
		/* Not cached: read it, and its neighbours. */
		mapping_update_i_size(mapping);
		if (vmf->pgoff >= mapping_end_index(mapping))
			return VM_FAULT_SIGBUS;
		err = do_sync_mmap_readahead(vmf, mapping);
		if (err == -ENOMEM)
			return VM_FAULT_OOM;
		if (err)
			return VM_FAULT_SIGBUS;
		ret = VM_FAULT_MAJOR;
		page = find_get_page(mapping, vmf->pgoff);
		if (!page)
			return VM_FAULT_SIGBUS;	/* read failed and it left the cache */
	}
	/* Someone else's read of it may be in flight. */
	wait_on_page_locked(page);
	if (unlikely(!page_is_uptodate(page))) {
		put_page(page);
		return VM_FAULT_SIGBUS;
	}
	/* Dropped from the cache since the lookup (pageout): look again. */
	if (unlikely(READ_ONCE(page->mapping) != mapping)) {
		put_page(page);
		return filemap_fault(vmf);
	}
	vmf->page = page;
	return ret;
}

/*
 * filemap_fault - ->fault of a host file: the cached page at vmf->pgoff,
 * or read it in (VM_FAULT_MAJOR).  At or past EOF: VM_FAULT_SIGBUS.
 * Returns vmf->page with a reference for the caller, not locked.
 */
vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct page *page;

	if (unlikely(vmf->pgoff >= mapping_end_index(mapping))) {
		mapping_update_i_size(mapping);	/* it may have grown */
		if (vmf->pgoff >= mapping_end_index(mapping))
			return VM_FAULT_SIGBUS;
	}
	/* Fast path: cached and uptodate, one lookup. */
	page = find_get_page(mapping, vmf->pgoff);
	if (likely(page && page_is_uptodate(page) && READ_ONCE(page->mapping) == mapping)) {
		mark_page_accessed(page);
		vmf->page = page;
		return 0;
	}
	return filemap_fault_slow(vmf, page);
}

/*
 * filemap_map_pages - fault-around: map the cached, uptodate, unlocked
 * pages of [start_pgoff, end_pgoff] (clipped at EOF) whose PTE is none,
 * read-only, without allocating or reading.  Called with
 * mm->page_table_lock held and the PTE table present (rmap.h).
 * VM_FAULT_NOPAGE if vmf->address got mapped.
 */
vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct address_space *mapping = vma->vm_file->f_mapping;
	pgoff_t end_index = mapping_end_index(mapping), index = start_pgoff;
	struct page *pages[PTRS_PER_PTE];
	pmd_t *pmd = vmf->pmd;
	vm_fault_t ret = 0;
	unsigned int n = 0;
	struct page *page;
	unsigned long addr;
	pte_t *ptep;

	lockdep_assert_held(&vma->vm_mm->page_table_lock);
	if (!end_index || !pmd || pmd_none(*pmd) || start_pgoff < vma->vm_pgoff)
		return 0;
	/* Within EOF, the VMA and the one PTE table at start_pgoff's address. */
	addr = vma->vm_start + ((start_pgoff - vma->vm_pgoff) << PAGE_SHIFT);
	end_pgoff = min(end_pgoff, end_index - 1);
	end_pgoff = min(end_pgoff, vma->vm_pgoff + vma_pages(vma) - 1);
	end_pgoff = min(end_pgoff, start_pgoff + (PTRS_PER_PTE - 1 - pte_index(addr)));
	if (start_pgoff > end_pgoff)
		return 0;

	/*
	 * Take references under i_pages_lock, a leaf node at a time (the
	 * window spans at most 9), and map after dropping it.
	 */
	ptep = pte_offset_kernel(pmd, addr);
	mutex_lock(&mapping->i_pages_lock);
	while (index <= end_pgoff) {
		struct radix_tree_node *leaf = radix_tree_leaf(&mapping->i_pages, index);
		pgoff_t stop = min(end_pgoff, index | RADIX_TREE_MAP_MASK);

		for (; index <= stop; index++) {
			page = leaf ? leaf->slots[index & RADIX_TREE_MAP_MASK] : NULL;
			if (page && page_is_uptodate(page) && !PageLocked(page) &&
			    pte_none(ptep_get(ptep + (index - start_pgoff)))) {
				get_page(page);
				pages[n++] = page;
			}
		}
	}
	mutex_unlock(&mapping->i_pages_lock);

	for (unsigned int i = 0; i < n; i++) {
		unsigned long a = addr + ((pages[i]->index - start_pgoff) << PAGE_SHIFT);

		if (a == (vmf->address & PAGE_MASK))
			ret = VM_FAULT_NOPAGE;
		set_pte_range(vmf, pages[i], 1, a);
	}
	return ret;
}

/*
 * filemap_page_mkwrite - a shared writable mapping is about to write
 * vmf->page: dirty it.  A page truncated meanwhile: VM_FAULT_NOPAGE.
 */
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct page *page = vmf->page;

	if (READ_ONCE(page->mapping) != vmf->vma->vm_file->f_mapping)
		return VM_FAULT_NOPAGE;
	set_page_dirty(page);
	return 0;
}

const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
	.map_pages = filemap_map_pages,
	.page_mkwrite = filemap_page_mkwrite,
};

/* ---- writeback ---- */

/*
 * One PTE of a mkclean walk (folio_mkclean()'s page_vma_mkclean_one()): a
 * dirty PTE dirties its page, and a dirty or writable one becomes clean
 * and read-only, so that the next write faults and goes through
 * ->page_mkwrite.  Under page_table_lock (the walker's).
 */
static int mkclean_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
			     struct mm_walk *walk)
{
	pte_t entry = ptep_get(pte);
	struct page *page;

	lockdep_assert_held(&walk->mm->page_table_lock);
	(void)next;
	if (!pte_present(entry) || (!pte_dirty(entry) && !pte_write(entry)))
		return 0;
	page = pte_page(entry);
	if (page->mapping != walk->private)
		return 0;	/* a COWed anonymous page, or the zero page */
	/*
	 * The software MMU sets _PAGE_DIRTY by compare-and-swap without
	 * page_table_lock: take the entry away atomically (an access in
	 * between faults, and waits for our lock), so that a dirty bit set
	 * after the read above is not lost (ptep_clear_flush() in the kernel).
	 */
	entry = ptep_get_and_clear(walk->mm, addr, pte);
	if (pte_dirty(entry))
		set_page_dirty(page);
	set_pte(pte, pte_mkclean(pte_wrprotect(entry)));
	return 0;
}

/*
 * mapping_mkclean_vma - clean and write-protect the PTEs of @vma's pages
 * of its file in [start, end).  The caller holds @vma's mmap_lock.
 */
void mapping_mkclean_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	static const struct mm_walk_ops ops = { .pte_entry = mkclean_pte_entry };
	struct address_space *mapping = vma->vm_file ? vma->vm_file->f_mapping : NULL;

	mmap_assert_locked(vma->vm_mm);
	if (!vma->vm_mm->pgd || !mapping || mapping->shmem || start >= end)
		return;
	walk_page_range_vma(vma, start, end, &ops, mapping);
}

struct mkclean_range {
	struct address_space *mapping;
	pgoff_t first, last;
};

/* mm_list_walk() callback: the shared VMAs of one mm that map the range. */
static int mkclean_mm(struct mm_struct *mm, void *arg)
{
	struct mkclean_range *r = arg;
	struct vm_area_struct *vma;

	/* Never wait: the caller may hold another mm's mmap_lock. */
	if (!mm->pgd || !mmap_read_trylock(mm))
		return 0;
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma) {
		pgoff_t lo = vma->vm_pgoff, hi = vma->vm_pgoff + vma_pages(vma) - 1;

		if (!vma->vm_file || vma->vm_file->f_mapping != r->mapping ||
		    !(vma->vm_flags & VM_SHARED) || hi < r->first || lo > r->last)
			continue;
		lo = max(lo, r->first);
		hi = min(hi, r->last);
		mapping_mkclean_vma(vma, vma->vm_start + ((lo - vma->vm_pgoff) << PAGE_SHIFT),
				    vma->vm_start + ((hi + 1 - vma->vm_pgoff) << PAGE_SHIFT));
	}
	mmap_read_unlock(mm);
	return 0;
}


/* Write @n locked, clean-for-I/O pages of consecutive indices with one pwritev(). */
static int write_run(struct address_space *mapping, struct page **pages, unsigned int n,
		     loff_t i_size)
{
	struct iovec iov[16];
	loff_t pos = (loff_t)PFN_PHYS(pages[0]->index);
	size_t want = 0, done = 0;
	unsigned int k;

	for (k = 0; k < n && pos + (loff_t)(k * PAGE_SIZE) < i_size; k++) {
		size_t len = (size_t)min((loff_t)PAGE_SIZE, i_size - pos - (loff_t)(k * PAGE_SIZE));

		iov[k].iov_base = page_address(pages[k]);
		iov[k].iov_len = len;
		want += len;
	}
	while (done < want) {
		size_t skip = done;
		unsigned int first = 0;
		ssize_t r;

		while (skip >= iov[first].iov_len) {
			skip -= iov[first].iov_len;
			first++;
		}
		iov[first].iov_base = (char *)iov[first].iov_base + skip;
		iov[first].iov_len -= skip;
		r = pwritev(mapping->a_wbfd, iov + first, (int)(k - first),
			    pos + (loff_t)done);
		iov[first].iov_base = (char *)iov[first].iov_base - skip;
		iov[first].iov_len += skip;
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		done += (size_t)r;
	}
	return 0;
}

/*
 * filemap_write_and_wait_range - write the dirty pages of [start, end]
 * (bytes, inclusive) back to the host file and clean them.  Pages past
 * i_size are cleaned without writing; a page straddling it writes up to
 * it.  Returns 0, or the first error (also kept in wb_err and reported
 * once, as mapping_set_error()/filemap_check_errors() do).
 */
int filemap_write_and_wait_range(struct address_space *mapping, loff_t start, loff_t end)
{
	pgoff_t index = (pgoff_t)(start >> PAGE_SHIFT), last = (pgoff_t)(end >> PAGE_SHIFT);
	struct page *pages[16];
	unsigned int n;
	int err = 0;

	if (mapping->shmem || start > end)
		return 0;
	if (READ_ONCE(mapping->nrdirty)) {
		struct mkclean_range r = { mapping, index, last };

		/*
		 * folio_mkclean() of the range in every mm that maps it, so that
		 * a write after this writeback faults and dirties the page again.
		 * Without a file rmap that is a walk of the live mms; one whose
		 * mmap_lock is busy keeps its PTEs, whose dirt reaches the page
		 * when it unmaps or msyncs.  A writable PTE implies a dirty page,
		 * so nothing to write means nothing to clean.
		 */
		mm_list_walk(NULL, mkclean_mm, &r);
		mapping_update_i_size(mapping);
		while ((n = find_get_dirty_pages(mapping, &index, last, ARRAY_SIZE(pages), pages))) {
			unsigned int run = 0, i;

			/* Lock and clean each (clear_page_dirty_for_io). */
			for (i = 0; i < n; i++) {
				struct page *page = pages[i];

				lock_page(page);
				mutex_lock(&mapping->i_pages_lock);
				if (page->mapping == mapping && PageDirty(page)) {
					__cancel_dirty_page(mapping, page);
					SetPageWriteback(page);
					mod_page_state(page, NR_WRITEBACK, 1);
					pages[run++] = page;
				} else {
					unlock_page(page);
					put_page(page);
				}
				mutex_unlock(&mapping->i_pages_lock);
			}
			/* Write runs of consecutive indices; end the writeback. */
			for (i = 0; i < run; ) {
				unsigned int j = i + 1;
				int e = 0;

				while (j < run && pages[j]->index == pages[j - 1]->index + 1)
					j++;
				if (mapping->a_wbfd < 0)
					e = -EBADF;
				else
					e = write_run(mapping, pages + i, j - i, READ_ONCE(mapping->i_size));
				if (e && !err)
					err = e;
				for (; i < j; i++) {
					ClearPageWriteback(pages[i]);
					mod_page_state(pages[i], NR_WRITEBACK, -1);
					unlock_page(pages[i]);
					put_page(pages[i]);
				}
			}
			if (!index || index > last)
				break;
		}
	}
	/* mapping_set_error(), then filemap_check_errors(): report it once. */
	mutex_lock(&mapping->i_pages_lock);
	if (err && !mapping->wb_err)
		mapping->wb_err = err;
	err = mapping->wb_err;
	mapping->wb_err = 0;
	mutex_unlock(&mapping->i_pages_lock);
	return err < 0 && err != -ENOSPC ? -EIO : err;
}

/* vfs_fsync_range(datasync): write back, then have the host sync it. */
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct address_space *mapping = file->f_mapping;
	int err;

	if (!mapping || mapping->shmem)
		return 0;
	err = filemap_write_and_wait_range(mapping, start, end);
	if (!err && mapping->a_wbfd >= 0 &&
	    (datasync ? fdatasync(mapping->a_wbfd) : fsync(mapping->a_wbfd)))
		err = errno == EINVAL ? 0 : -EIO;	/* EINVAL: a file without sync */
	return err;
}
