// SPDX-License-Identifier: GPL-2.0
/*
 * test_filemap.c - unit tests of the page cache and shmem: mm/filemap.c,
 * mm/shmem.c, mm/msync.c.
 *
 * The page-cache API is driven directly (find_get_page, ->fault through
 * a vm_fault made here, set_page_dirty, writeback) on real temp files;
 * msync's errors are compared with the host kernel's for the same
 * layouts.  Every step ends with filemap_check() of the mappings used.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tests/test.h"
#include "mm/internal.h"
#include "tests/mm_helpers.h"
#include <umm/pagemap.h>
#include <umm/pgtable.h>


static char tmpdir[] = "/tmp/umm_filemap_XXXXXX";

/* The byte at offset @off of the test files: never 0, so holes show. */
static unsigned char pattern(unsigned long off)
{
	return (unsigned char)(1 + (off * 7 + (off >> 12) * 13) % 251);
}

/* A temp file of @size bytes of pattern(); its fd, open O_RDWR. */
static int make_file(const char *name, unsigned long size)
{
	char path[256], buf[P];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT(fd >= 0);
	for (unsigned long off = 0; off < size; off += P) {
		size_t n = size - off < P ? size - off : P;

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)pattern(off + i);
		ASSERT_EQ(pwrite(fd, buf, n, (off_t)off), (long)n);
	}
	return fd;
}

static int open_again(const char *name, int flags)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return open(path, flags);
}

static unsigned long meminfo(const char *field)
{
	static char buf[8192];
	char *p;

	if (umm_proc_read("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return ~0UL;
	p = strstr(buf, field);
	if (!p)
		return ~0UL;
	return strtoul(p + strlen(field) + 1, NULL, 10);
}

static struct address_space *file_mapping(int fd, bool writable)
{
	struct stat st;

	if (fstat(fd, &st))
		return NULL;
	return iget_mapping(st.st_dev, st.st_ino, fd, writable);
}

/* A VMA of @file at [start, start + n pages) with pgoff @pgoff, not in any mm. */
struct fake_vma {
	struct vm_area_struct vma;
	struct file file;
};

static void fake_vma_init(struct fake_vma *f, struct address_space *mapping,
			  unsigned long pgoff, vm_flags_t flags)
{
	memset(f, 0, sizeof(*f));
	f->file.f_mapping = mapping;
	f->vma.vm_start = 0x100000000000UL;
	f->vma.vm_end = f->vma.vm_start + 1024 * P;
	f->vma.vm_pgoff = pgoff;
	f->vma.vm_flags = flags;
	f->vma.vm_file = &f->file;
}

static vm_fault_t fault_at(struct fake_vma *f, pgoff_t pgoff, struct page **pagep,
			   vm_fault_t (*fault)(struct vm_fault *))
{
	struct vm_fault vmf = {
		.vma = &f->vma,
		.pgoff = pgoff,
		.address = f->vma.vm_start + ((pgoff - f->vma.vm_pgoff) << PAGE_SHIFT),
	};
	vm_fault_t ret = fault(&vmf);

	*pagep = (ret & VM_FAULT_ERROR) ? NULL : vmf.page;
	return ret;
}

/* ---- the page cache index ---- */

/*
 * Many pages at sparse indices (up to 2^40): lookup, range gangs in
 * order, deletion that shrinks the tree, and the checker after each.
 */
TEST(page_cache_index)
{
	unsigned long free0 = free_pages_settled(), file0 = meminfo("Cached:");
	struct address_space *mapping = shmem_mapping_alloc(1UL << 52);
	enum { N = 6000 };
	static pgoff_t idx[N];
	static struct page *pages[N];
	struct page *got[64];
	pgoff_t start;
	unsigned int n;

	ASSERT(mapping);
	srandom(4);
	for (int i = 0; i < N; i++) {
		/* dense runs, scattered runs, a few huge indices */
		idx[i] = i < N / 2 ? (pgoff_t)i * 3 :
			 i < N - 10 ? (pgoff_t)random() * 64 + (pgoff_t)i :
			 (1UL << 40) - (pgoff_t)i;
		pages[i] = alloc_page(GFP_HIGHUSER_MOVABLE);
		ASSERT(pages[i]);
		__SetPageSwapBacked(pages[i]);
		__SetPageUptodate(pages[i]);
		if (add_to_page_cache_locked(pages[i], mapping, idx[i]) == -EEXIST) {
			__ClearPageSwapBacked(pages[i]);
			put_page(pages[i]);
			pages[i] = NULL;
			continue;
		}
		put_page(pages[i]);	/* the cache's reference remains */
	}
	ASSERT_EQ(filemap_check(mapping), 0);
	EXPECT_EQ(meminfo("Shmem:"), mapping->nrpages * 4);
	EXPECT_EQ(meminfo("Cached:"), file0 + mapping->nrpages * 4);
	for (int i = 0; i < N; i++) {
		struct page *page = find_get_page(mapping, idx[i]);

		if (!pages[i])
			continue;
		EXPECT(page == pages[i]);
		if (page)
			put_page(page);
		EXPECT(!find_get_page(mapping, idx[i] + (1UL << 41)));
	}
	/* Gangs come back in index order and cover everything once. */
	start = 0;
	{
		unsigned long total = 0;
		pgoff_t last = 0;

		while ((n = find_get_pages_range(mapping, &start, ~0UL, 64, got))) {
			for (unsigned int i = 0; i < n; i++) {
				EXPECT(total == 0 || got[i]->index > last);
				last = got[i]->index;
				total++;
				put_page(got[i]);
			}
		}
		EXPECT_EQ(total, mapping->nrpages);
	}
	/* A bounded range: [3001, 3010] holds 3003, 3006, 3009 only. */
	start = 3001;
	n = find_get_pages_range(mapping, &start, 3010, 64, got);
	ASSERT_EQ(n, 3);
	EXPECT_EQ(got[0]->index, 3003);
	EXPECT_EQ(got[2]->index, 3009);
	EXPECT_EQ(start, 3010);
	for (unsigned int i = 0; i < n; i++)
		put_page(got[i]);
	/* Delete all but the pages at 0 and the top; the tree keeps working. */
	for (int i = 1; i < N - 1; i++) {
		if (!pages[i])
			continue;
		get_page(pages[i]);
		delete_from_page_cache(pages[i]);
		EXPECT(!pages[i]->mapping);
		__ClearPageSwapBacked(pages[i]);
		put_page(pages[i]);
		if (i % 1000 == 0)
			ASSERT_EQ(filemap_check(mapping), 0);
	}
	ASSERT_EQ(filemap_check(mapping), 0);
	EXPECT_EQ(mapping->nrpages, 2);
	EXPECT(find_get_page(mapping, 0) == pages[0]);
	put_page(pages[0]);
	iput_mapping(mapping);
	EXPECT_EQ(meminfo("Shmem:"), 0);
	EXPECT_EQ(meminfo("Cached:"), file0);
	/* The 6000 pages and the radix nodes (thousands of pages) are back. */
	EXPECT_EQ(free_pages_settled(), free0);
}

/* ---- reading ---- */

/* A fault reads the file: content, EOF tail zeroed, read-around, SIGBUS. */
TEST(fault_reads_file)
{
	unsigned long size = 100 * P + 123;
	int fd = make_file("read", size);
	struct address_space *mapping = file_mapping(fd, false);
	struct fake_vma f;
	struct page *page;
	vm_fault_t ret;
	unsigned char *p;

	ASSERT(mapping);
	EXPECT_EQ(mapping->i_size, (long)size);
	fake_vma_init(&f, mapping, 0, VM_READ | VM_SHARED);

	/* The middle: a major fault that reads 32 pages around page 50. */
	ret = fault_at(&f, 50, &page, filemap_fault);
	ASSERT_EQ(ret, VM_FAULT_MAJOR);
	p = page_address(page);
	for (unsigned long i = 0; i < P; i++)
		if (p[i] != pattern(50 * P + i)) {
			EXPECT_EQ(p[i], pattern(50 * P + i));
			break;
		}
	EXPECT(page->mapping == mapping && page->index == 50 && PageUptodate(page));
	EXPECT_EQ(page_count(page), 2);	/* the cache's and ours */
	put_page(page);
	EXPECT_EQ(mapping->nrpages, 32);
	for (pgoff_t i = 34; i < 66; i++) {
		page = find_get_page(mapping, i);
		EXPECT(page && PageUptodate(page));
		if (page)
			put_page(page);
	}
	/* A neighbour the read-around brought in: minor. */
	EXPECT_EQ(fault_at(&f, 60, &page, filemap_fault), 0);
	put_page(page);

	/* The last page: 123 bytes of file, the rest zero. */
	ret = fault_at(&f, 100, &page, filemap_fault);
	ASSERT_EQ(ret, VM_FAULT_MAJOR);
	p = page_address(page);
	for (unsigned long i = 0; i < P; i++) {
		unsigned char want = i < 123 ? pattern(100 * P + i) : 0;

		if (p[i] != want) {
			EXPECT_EQ(p[i], want);
			break;
		}
	}
	put_page(page);
	/* Never past EOF: the read-around around 100 stopped at 100. */
	EXPECT(!find_get_page(mapping, 101));
	/* At and past EOF: SIGBUS. */
	EXPECT_EQ(fault_at(&f, 101, &page, filemap_fault), VM_FAULT_SIGBUS);
	EXPECT_EQ(fault_at(&f, 5000, &page, filemap_fault), VM_FAULT_SIGBUS);
	/* The file grows on the host: the fault sees it. */
	ASSERT_EQ(ftruncate(fd, 103 * P), 0);
	EXPECT_EQ(fault_at(&f, 102, &page, filemap_fault), VM_FAULT_MAJOR);
	if (page)
		put_page(page);

	/* MADV_RANDOM: one page only. */
	f.vma.vm_flags |= VM_RAND_READ;
	{
		unsigned long before = mapping->nrpages;

		EXPECT_EQ(fault_at(&f, 5, &page, filemap_fault), VM_FAULT_MAJOR);
		put_page(page);
		EXPECT_EQ(mapping->nrpages, before + 1);
	}
	ASSERT_EQ(filemap_check(mapping), 0);
	iput_mapping(mapping);
	close(fd);
}

/* A read that fails (the host fd cannot be read): SIGBUS, nothing cached. */
TEST(read_error_is_sigbus)
{
	int fd = make_file("readerr", 40 * P);
	struct address_space *mapping = file_mapping(fd, false);
	int wfd = open_again("readerr", O_WRONLY);
	struct fake_vma f;
	struct page *page;

	ASSERT(mapping && wfd >= 0);
	fake_vma_init(&f, mapping, 0, VM_READ | VM_SHARED);
	EXPECT_EQ(fault_at(&f, 3, &page, filemap_fault), VM_FAULT_MAJOR);
	put_page(page);
	/* From now on the reads go to a write-only fd: EBADF. */
	ASSERT(dup2(wfd, mapping->a_hostfd) == mapping->a_hostfd);
	EXPECT_EQ(fault_at(&f, 35, &page, filemap_fault), VM_FAULT_SIGBUS);
	EXPECT(!find_get_page(mapping, 35));
	EXPECT(!find_get_page(mapping, 38));
	/* What was cached before still serves. */
	EXPECT_EQ(fault_at(&f, 3, &page, filemap_fault), 0);
	put_page(page);
	ASSERT_EQ(filemap_check(mapping), 0);
	iput_mapping(mapping);
	close(wfd);
	close(fd);
}

/* Two opens of one inode share one address_space; other inodes do not. */
TEST(one_mapping_per_inode)
{
	int fd1 = make_file("inode", 8 * P), fd2 = open_again("inode", O_RDONLY);
	int fd3 = make_file("other", 8 * P);
	struct mm_struct *mm = umm_mm_create();
	struct vm_area_struct *v1, *v2, *v3;
	long a1, a2, a3;

	ASSERT(mm && fd2 >= 0);
	a1 = umm_mmap(mm, 0, 8 * P, PROT_READ, MAP_SHARED, fd1, 0);
	a2 = umm_mmap(mm, 0, 8 * P, PROT_READ, MAP_SHARED, fd2, 0);
	a3 = umm_mmap(mm, 0, 8 * P, PROT_READ, MAP_PRIVATE, fd3, 0);
	ASSERT(a1 > 0 && a2 > 0 && a3 > 0);
	mmap_read_lock(mm);
	v1 = vma_lookup(mm, (unsigned long)a1);
	v2 = vma_lookup(mm, (unsigned long)a2);
	v3 = vma_lookup(mm, (unsigned long)a3);
	mmap_read_unlock(mm);
	ASSERT(v1 && v2 && v3);
	EXPECT(v1->vm_file != v2->vm_file);	/* two open file descriptions */
	EXPECT(v1->vm_file->f_mapping && v1->vm_file->f_mapping == v2->vm_file->f_mapping);
	EXPECT(v3->vm_file->f_mapping && v3->vm_file->f_mapping != v1->vm_file->f_mapping);
	EXPECT(v1->vm_ops == &generic_file_vm_ops);
	EXPECT_EQ(v1->vm_file->f_mapping->a_count, 2);
	umm_mm_destroy(mm);
	close(fd1);
	close(fd2);
	close(fd3);
}

/* Faults of one missing page from many threads: one page, one read. */
struct race_arg {
	struct fake_vma *f;
	struct page *page;
	vm_fault_t ret;
};

static void *race_fault(void *p)
{
	struct race_arg *a = p;

	a->ret = fault_at(a->f, 7, &a->page, filemap_fault);
	return NULL;
}

TEST(concurrent_faults_share_a_page)
{
	int fd = make_file("race", 64 * P);
	struct address_space *mapping = file_mapping(fd, false);
	struct race_arg args[8];
	pthread_t th[8];
	struct fake_vma f;

	ASSERT(mapping);
	for (int round = 0; round < 20; round++) {
		fake_vma_init(&f, mapping, 0, VM_READ | VM_SHARED | VM_RAND_READ);
		for (int i = 0; i < 8; i++) {
			args[i].f = &f;
			ASSERT_EQ(pthread_create(&th[i], NULL, race_fault, &args[i]), 0);
		}
		for (int i = 0; i < 8; i++)
			pthread_join(th[i], NULL);
		for (int i = 0; i < 8; i++) {
			EXPECT(!(args[i].ret & VM_FAULT_ERROR));
			EXPECT(args[i].page == args[0].page);
			EXPECT_EQ(((unsigned char *)page_address(args[i].page))[1], pattern(7 * P + 1));
			put_page(args[i].page);
		}
		EXPECT_EQ(mapping->nrpages, 1);
		truncate_inode_pages(mapping, 0);
		EXPECT_EQ(mapping->nrpages, 0);
	}
	ASSERT_EQ(filemap_check(mapping), 0);
	iput_mapping(mapping);
	close(fd);
}

/* ---- writeback ---- */

/*
 * Dirty pages reach the host file: counted in Dirty, written by
 * filemap_write_and_wait_range() for their range only, clipped at i_size
 * (the file does not grow), and written again when the last file goes.
 */
TEST(writeback_lands_in_file)
{
	unsigned long size = 20 * P + 100;
	int fd = make_file("wb", size);
	struct address_space *mapping = file_mapping(fd, true);
	unsigned long dirty0 = meminfo("Dirty:");
	struct page *pages[21];
	struct fake_vma f;
	char buf[P];
	struct stat st;

	ASSERT(mapping);
	fake_vma_init(&f, mapping, 0, VM_READ | VM_WRITE | VM_SHARED);
	for (pgoff_t i = 0; i <= 20; i++) {
		ASSERT(!(fault_at(&f, i, &pages[i], filemap_fault) & VM_FAULT_ERROR));
		memset(page_address(pages[i]), 'a' + (int)i, P);
	}
	/* Dirty 3, 4, 5 (a run), 10 and the partial last page 20. */
	for (pgoff_t i = 3; i <= 5; i++)
		EXPECT(set_page_dirty(pages[i]));
	EXPECT(set_page_dirty(pages[10]));
	EXPECT(!set_page_dirty(pages[10]));	/* already dirty */
	EXPECT(set_page_dirty(pages[20]));
	EXPECT_EQ(mapping->nrdirty, 5);
	EXPECT_EQ(meminfo("Dirty:"), dirty0 + 5 * 4);
	ASSERT_EQ(filemap_check(mapping), 0);

	/* Only [3, 5] first. */
	EXPECT_EQ(filemap_write_and_wait_range(mapping, 3 * P, 6 * P - 1), 0);
	EXPECT_EQ(mapping->nrdirty, 2);
	EXPECT(!PageDirty(pages[4]) && PageDirty(pages[10]));
	for (pgoff_t i = 2; i <= 6; i++) {
		ASSERT_EQ(pread(fd, buf, P, (off_t)(i * P)), (long)P);
		EXPECT_EQ(buf[17], (i >= 3 && i <= 5) ? 'a' + (int)i : (char)pattern(i * P + 17));
	}
	ASSERT_EQ(pread(fd, buf, P, 10 * P), (long)P);
	EXPECT_EQ(buf[0], (char)pattern(10 * P));
	/* The rest, at the last reference. */
	for (pgoff_t i = 0; i <= 20; i++)
		put_page(pages[i]);
	ASSERT_EQ(filemap_check(mapping), 0);
	iput_mapping(mapping);
	EXPECT_EQ(meminfo("Dirty:"), dirty0);
	EXPECT_EQ(meminfo("Writeback:"), 0);
	ASSERT_EQ(pread(fd, buf, P, 10 * P), (long)P);
	EXPECT_EQ(buf[100], 'a' + 10);
	ASSERT_EQ(pread(fd, buf, P, 20 * P), 100);
	EXPECT_EQ(buf[99], 'a' + 20);
	ASSERT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, (long)size);
	close(fd);
}

/* A read-only mapping (no writable fd) cannot write back: an error, once. */
TEST(writeback_without_writer_fails)
{
	int fd = make_file("ro", 4 * P);
	int rfd = open_again("ro", O_RDONLY);
	struct address_space *mapping = file_mapping(rfd, false);
	struct fake_vma f;
	struct page *page;

	ASSERT(mapping);
	fake_vma_init(&f, mapping, 0, VM_READ | VM_SHARED);
	ASSERT(!(fault_at(&f, 1, &page, filemap_fault) & VM_FAULT_ERROR));
	set_page_dirty(page);
	EXPECT_EQ(filemap_write_and_wait(mapping), -EIO);
	EXPECT_EQ(filemap_write_and_wait(mapping), 0);	/* reported once */
	EXPECT(!PageDirty(page));
	put_page(page);
	iput_mapping(mapping);
	close(rfd);
	close(fd);
}

/* ---- shmem ---- */

TEST(shmem_fault_zeroed_pages)
{
	struct address_space *mapping = shmem_mapping_alloc(10 * P + 1);
	unsigned long shmem0 = meminfo("Shmem:");
	struct fake_vma f;
	struct page *page, *again;

	ASSERT(mapping);
	fake_vma_init(&f, mapping, 0, VM_READ | VM_SHARED);
	EXPECT_EQ(fault_at(&f, 3, &page, shmem_fault), 0);	/* never major */
	ASSERT(page);
	EXPECT(PageSwapBacked(page) && PageUptodate(page));
	for (unsigned long i = 0; i < P; i++)
		if (((unsigned char *)page_address(page))[i]) {
			EXPECT(!"shmem page not zeroed");
			break;
		}
	memset(page_address(page), 0x5a, P);
	EXPECT_EQ(fault_at(&f, 3, &again, shmem_fault), 0);
	EXPECT(again == page);
	EXPECT_EQ(((unsigned char *)page_address(again))[100], 0x5a);
	put_page(again);
	put_page(page);
	/* i_size is 10 pages + 1 byte: page 10 exists, 11 is SIGBUS. */
	EXPECT_EQ(fault_at(&f, 10, &page, shmem_fault), 0);
	put_page(page);
	EXPECT_EQ(fault_at(&f, 11, &page, shmem_fault), VM_FAULT_SIGBUS);
	EXPECT_EQ(meminfo("Shmem:"), shmem0 + 8);
	/* set_page_dirty on shmem: a flag, no Dirty accounting. */
	EXPECT_EQ(fault_at(&f, 10, &page, shmem_fault), 0);
	{
		unsigned long dirty0 = meminfo("Dirty:");

		set_page_dirty(page);
		EXPECT(PageDirty(page));
		EXPECT_EQ(meminfo("Dirty:"), dirty0);
	}
	put_page(page);
	ASSERT_EQ(filemap_check(mapping), 0);
	iput_mapping(mapping);
	EXPECT_EQ(meminfo("Shmem:"), shmem0);
}

/* MAP_SHARED|MAP_ANONYMOUS and shared /dev/zero get a shmem object each. */
TEST(shmem_vmas)
{
	struct mm_struct *mm = umm_mm_create();
	int zfd = open("/dev/zero", O_RDWR);
	struct vm_area_struct *a, *z, *pz;
	long sa, sz, spz;

	ASSERT(mm && zfd >= 0);
	sa = umm_mmap(mm, 0, 4 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sz = umm_mmap(mm, 0, 4 * P, RW, MAP_SHARED, zfd, 0);
	spz = umm_mmap(mm, 0, 4 * P, RW, MAP_PRIVATE, zfd, 0);
	ASSERT(sa > 0 && sz > 0 && spz > 0);
	mmap_read_lock(mm);
	a = vma_lookup(mm, (unsigned long)sa);
	z = vma_lookup(mm, (unsigned long)sz);
	pz = vma_lookup(mm, (unsigned long)spz);
	mmap_read_unlock(mm);
	ASSERT(a && z && pz);
	EXPECT(a->vm_ops == &shmem_anon_vm_ops && z->vm_ops == &shmem_anon_vm_ops);
	EXPECT(a->vm_file->f_mapping && mapping_is_shmem(a->vm_file->f_mapping));
	EXPECT(z->vm_file->f_mapping && z->vm_file->f_mapping != a->vm_file->f_mapping);
	EXPECT_EQ(a->vm_file->f_mapping->i_size, 4 * (long)P);
	EXPECT(!pz->vm_ops);	/* private /dev/zero is anonymous */
	umm_mm_destroy(mm);
	close(zfd);
}

/* ---- msync ---- */

/*
 * The same msync() calls against the same layouts on the host and in
 * umm: the same results.  Layout, one character per page from base:
 *
 *	 0123456789
 *	 SSS.PP.L.A	S: shared file, P: private anon, L: locked anon,
 *			A: anon, '.': holes
 */
TEST(msync_errors_match_host)
{
	static const struct { unsigned long off, len; int flags; } calls[] = {
		{ 0, P, MS_SYNC }, { 0, 3 * P, MS_ASYNC }, { 0, 3 * P, MS_SYNC | MS_INVALIDATE },
		{ 0, P, MS_SYNC | MS_ASYNC }, { 0, P, 8 }, { 1, P, MS_SYNC }, { 100, P, MS_ASYNC },
		{ 0, 0, MS_SYNC }, { 0, 5 * P, MS_SYNC }, { 0, 5 * P, MS_ASYNC },
		{ 3 * P, P, MS_SYNC }, { 3 * P, 2 * P, MS_ASYNC }, { 3 * P, 2 * P, MS_SYNC },
		{ 4 * P, 2 * P, MS_ASYNC | MS_INVALIDATE }, { 7 * P, P, MS_INVALIDATE },
		{ 7 * P, P, MS_SYNC }, { 6 * P, 4 * P, MS_SYNC | MS_INVALIDATE },
		{ 8 * P, 2 * P, MS_SYNC }, { 9 * P, 1, MS_SYNC }, { 9 * P, ~0UL - 9 * P, MS_SYNC },
		{ 0, 10 * P, MS_ASYNC }, { 0, 10 * P, MS_SYNC }, { 0, 9 * P + 1, MS_INVALIDATE },
	};
	int fd = make_file("msync", 3 * P);
	struct mm_struct *mm = umm_mm_create();
	char *host;
	unsigned long base;

	ASSERT(mm);
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, 1UL << 20);
	/* The host layout. */
	host = mmap(NULL, 10 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT(host != MAP_FAILED);
	munmap(host, 10 * P);
	ASSERT(mmap(host, 3 * P, RW, MAP_SHARED | MAP_FIXED, fd, 0) == host);
	ASSERT(mmap(host + 4 * P, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == host + 4 * P);
	ASSERT(mmap(host + 7 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == host + 7 * P);
	ASSERT(mmap(host + 9 * P, P, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == host + 9 * P);
	/* The same in umm, at the same addresses. */
	base = (unsigned long)host;
	ASSERT_EQ(umm_mmap(mm, base, 3 * P, RW, MAP_SHARED | MAP_FIXED, fd, 0), (long)base);
	ASSERT_EQ(umm_mmap(mm, base + 4 * P, 2 * P, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  (long)(base + 4 * P));
	ASSERT_EQ(umm_mmap(mm, base + 7 * P, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		  (long)(base + 7 * P));
	ASSERT_EQ(umm_mmap(mm, base + 9 * P, P, PROT_READ | PROT_EXEC,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), (long)(base + 9 * P));
	/* The raw call: ASan's mlock() interceptor does nothing. */
	if (syscall(SYS_mlock, host + 7 * P, P) == 0) {
		ASSERT_EQ(umm_mlock(mm, base + 7 * P, P), 0);
	} else {
		fprintf(stderr, "  (host mlock refused: no locked VMA in the layout)\n");
	}

	for (size_t i = 0; i < ARRAY_SIZE(calls); i++) {
		int h = msync(host + calls[i].off, calls[i].len, calls[i].flags) ? -errno : 0;
		int u = umm_msync(mm, base + calls[i].off, calls[i].len, calls[i].flags);

		if (h != u)
			fprintf(stderr, "  msync(base+%#lx, %#lx, %d): host %d, umm %d\n",
				calls[i].off, calls[i].len, calls[i].flags, h, u);
		EXPECT_EQ(u, h);
	}
	EXPECT_EQ(umm_msync(NULL, base, P, MS_SYNC), -EINVAL);
	munmap(host, 10 * P);
	umm_mm_destroy(mm);
	close(fd);
}

/*
 * MS_SYNC writes back the dirty pages of the shared mapping's range in
 * the file (page offsets through vm_pgoff), and only those.
 */
TEST(msync_writes_back_range)
{
	int fd = make_file("msync_wb", 16 * P);
	struct mm_struct *mm = umm_mm_create();
	struct vm_area_struct *vma;
	struct fake_vma f;
	struct page *p6, *p12;
	long addr;
	char c;

	ASSERT(mm);
	/* File pages 4..11 at addr. */
	addr = umm_mmap(mm, 0, 8 * P, RW, MAP_SHARED, fd, 4 * P);
	ASSERT(addr > 0);
	mmap_read_lock(mm);
	vma = vma_lookup(mm, (unsigned long)addr);
	mmap_read_unlock(mm);
	ASSERT(vma && vma->vm_file->f_mapping);
	fake_vma_init(&f, vma->vm_file->f_mapping, 0, VM_READ | VM_WRITE | VM_SHARED);
	ASSERT(!(fault_at(&f, 6, &p6, filemap_fault) & VM_FAULT_ERROR));
	ASSERT(!(fault_at(&f, 12, &p12, filemap_fault) & VM_FAULT_ERROR));
	((char *)page_address(p6))[5] = 'X';
	((char *)page_address(p12))[5] = 'Y';
	set_page_dirty(p6);
	set_page_dirty(p12);
	/* Range of addr pages 0..1 = file 4..5: nothing dirty there. */
	EXPECT_EQ(umm_msync(mm, (unsigned long)addr, 2 * P, MS_SYNC), 0);
	EXPECT(PageDirty(p6));
	/* MS_ASYNC: nothing written. */
	EXPECT_EQ(umm_msync(mm, (unsigned long)addr, 8 * P, MS_ASYNC), 0);
	EXPECT(PageDirty(p6));
	/* All of it: file page 6 is written; 12 is outside the VMA. */
	EXPECT_EQ(umm_msync(mm, (unsigned long)addr, 8 * P, MS_SYNC), 0);
	EXPECT(!PageDirty(p6) && PageDirty(p12));
	ASSERT_EQ(pread(fd, &c, 1, 6 * P + 5), 1);
	EXPECT_EQ(c, 'X');
	ASSERT_EQ(pread(fd, &c, 1, 12 * P + 5), 1);
	EXPECT_EQ(c, (char)pattern(12 * P + 5));
	put_page(p6);
	put_page(p12);
	/* The last file reference writes back page 12 too. */
	umm_mm_destroy(mm);
	ASSERT_EQ(pread(fd, &c, 1, 12 * P + 5), 1);
	EXPECT_EQ(c, 'Y');
	close(fd);
}

/* ---- through the fault path (mm/memory.c) ---- */

/*
 * The value of @field ("Rss:") of the VMA at @start in smaps text @buf,
 * in kB; -1 if the VMA is not there.
 */
static long smaps_field(const char *buf, unsigned long start, const char *field)
{
	char head[32];
	const char *p, *next;

	snprintf(head, sizeof(head), "%lx-", start);
	for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, head, strlen(head)))
			continue;
		/* the VMA's fields run until the next header line */
		next = p;
		while ((next = strchr(next, '\n')) && *++next) {
			if (!strncmp(next, field, strlen(field)))
				return strtol(next + strlen(field), NULL, 10);
			if (strchr("0123456789abcdef", *next) && strchr(next, '-') &&
			    strchr(next, '-') < strchr(next, ' '))
				return -1;
		}
		return -1;
	}
	return -1;
}

static long host_smaps_field(unsigned long start, const char *field)
{
	static char buf[1 << 20];
	int fd = open("/proc/self/smaps", O_RDONLY);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n < sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	return smaps_field(buf, start, field);
}

static long umm_smaps_field(struct mm_struct *mm, unsigned long start, const char *field)
{
	static char buf[1 << 18];

	if (umm_mm_show(mm, "smaps", buf, sizeof(buf)) < 0)
		return -1;
	return smaps_field(buf, start, field);
}

/* A 2 MiB aligned, 6 MiB free range of the host's address space. */
static unsigned long host_hole(void)
{
	char *p = mmap(NULL, 8UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	munmap(p, 8UL << 20);
	return ((unsigned long)p + PMD_SIZE - 1) & PMD_MASK;
}

/*
 * Fault-around against the host: with the file's pages cached on both
 * sides, one read of one page maps the 16-page window around it, clipped
 * to the VMA, the PTE table (2 MiB) and EOF.  Same address, same file
 * offset, same touch on both; Rss must agree.  Page numbers are from the
 * 2 MiB boundary.
 */
TEST(fault_around_matches_host)
{
	static const struct {
		unsigned long file_pages;	/* the file, in pages */
		unsigned long vma_page;		/* where the VMA starts (from the boundary) */
		unsigned long pgoff, pages;	/* what it maps */
		unsigned long touch;		/* the page read, from the VMA's start */
		unsigned long tail;		/* bytes of a last partial page */
	} cases[] = {
		{ 64, 0, 0, 64, 0, 0 },		/* window [0, 16) */
		{ 64, 0, 0, 64, 21, 0 },	/* [16, 32) */
		{ 64, 3, 0, 64, 2, 0 },		/* window starts before the VMA */
		{ 64, 5, 7, 40, 30, 0 },	/* pgoff, window past the VMA's end */
		{ 20, 0, 0, 32, 17, 0 },	/* EOF at 20 */
		{ 20, 0, 0, 32, 19, 100 },	/* a partial last page */
		{ 64, 500, 0, 64, 10, 0 },	/* the VMA crosses the 2 MiB boundary */
		{ 64, 500, 0, 64, 13, 0 },
		{ 64, 510, 3, 30, 1, 0 },
		{ 8, 1, 2, 6, 5, 0 },
		{ 300, 0, 100, 200, 150, 0 },
	};
	struct mm_struct *warm = umm_mm_create(), *mm;
	unsigned long base = host_hole();

	ASSERT(warm && base);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long size = cases[i].file_pages * P + cases[i].tail;
		unsigned long addr = base + cases[i].vma_page * P, len = cases[i].pages * P;
		int fd = make_file("around", size);
		long warm_addr, host_rss, umm_rss;
		volatile char *h;
		int code = 0;

		/* The host: the file was just written, so all of it is cached. */
		h = mmap((void *)addr, len, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd,
			 (off_t)(cases[i].pgoff * P));
		ASSERT((unsigned long)h == addr);
		(void)h[cases[i].touch * P];
		host_rss = host_smaps_field(addr, "Rss:");
		munmap((void *)h, len);

		/* umm: another mm reads the whole file first, so that it is cached. */
		warm_addr = umm_mmap(warm, 0, PAGE_ALIGN(size), PROT_READ, MAP_SHARED, fd, 0);
		ASSERT(warm_addr > 0);
		ASSERT_EQ(umm_touch(warm, (unsigned long)warm_addr, PAGE_ALIGN(size), 0, &code), 0);
		mm = umm_mm_create();
		ASSERT(mm);
		ASSERT_EQ(umm_mmap(mm, addr, len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd,
				   (long)(cases[i].pgoff * P)), (long)addr);
		EXPECT_EQ(umm_touch(mm, addr + cases[i].touch * P, 1, 0, &code), 0);
		umm_rss = umm_smaps_field(mm, addr, "Rss:");
		if (getenv("SHOW") || umm_rss != host_rss)
			fprintf(stderr, "  case %zu: host Rss %ld kB, umm %ld kB\n", i, host_rss, umm_rss);
		EXPECT_EQ(umm_rss, host_rss);
		EXPECT(host_rss > 0);
		EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES) * 4, (unsigned long)umm_rss);
		EXPECT_EQ(umm_mm_check(mm), 0);
		umm_mm_destroy(mm);
		ASSERT_EQ(umm_munmap(warm, (unsigned long)warm_addr, PAGE_ALIGN(size)), 0);
		close(fd);
	}
	umm_mm_destroy(warm);
}

static sigjmp_buf bus_jmp;
static volatile int bus_code;

static void bus_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_code = si->si_code;
	siglongjmp(bus_jmp, 1);
}

/* What a read of @p gives the host: 0, or the SIGBUS si_code. */
static int host_read_sigbus(volatile char *p)
{
	struct sigaction sa = { .sa_sigaction = bus_handler, .sa_flags = SA_SIGINFO }, old;
	int ret = 0;

	sigaction(SIGBUS, &sa, &old);
	bus_code = 0;
	if (!sigsetjmp(bus_jmp, 1))
		(void)*p;
	else
		ret = bus_code;
	sigaction(SIGBUS, &old, NULL);
	return ret;
}

/*
 * A mapping longer than its file: the page holding EOF reads (zeroes past
 * it), the pages after it are SIGBUS/BUS_ADRERR, on the host and in umm;
 * private and shared alike.  And shmem past its size after mremap().
 */
TEST(sigbus_past_eof)
{
	int fd = make_file("eof", 2 * P + 500);
	struct mm_struct *mm = umm_mm_create();
	unsigned long base = host_hole();
	char buf[16];

	ASSERT(mm && base);
	for (int shared = 0; shared < 2; shared++) {
		int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED;
		char *h = mmap((void *)base, 4 * P, PROT_READ, flags, fd, 0);
		int code = -1, sig;

		ASSERT((unsigned long)h == base);
		ASSERT_EQ(umm_mmap(mm, base, 4 * P, PROT_READ, flags, fd, 0), (long)base);
		for (int pg = 0; pg < 4; pg++) {
			int hcode = host_read_sigbus(h + pg * P + 7);

			code = 0;
			sig = umm_touch(mm, base + pg * P + 7, 1, 0, &code);
			EXPECT_EQ(sig, hcode ? SIGBUS : 0);
			EXPECT_EQ(code, hcode);
			if (pg == 3)
				EXPECT_EQ(hcode, BUS_ADRERR);
		}
		/* The tail of the EOF page reads as zeroes. */
		ASSERT_EQ(umm_access(mm, base + 2 * P + 496, buf, 8, 0), 8);
		EXPECT_EQ(buf[3], (char)pattern(2 * P + 499));
		EXPECT_EQ(buf[4], 0);
		EXPECT_EQ(buf[7], 0);
		EXPECT_EQ(memcmp(buf, h + 2 * P + 496, 8), 0);
		munmap(h, 4 * P);
		ASSERT_EQ(umm_munmap(mm, base, 4 * P), 0);
	}
	/* shmem: grown by mremap past i_size, the new pages are SIGBUS. */
	{
		long a = umm_mmap(mm, 0, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		long b;
		int code = 0;

		ASSERT(a > 0);
		b = umm_mremap(mm, (unsigned long)a, 2 * P, 4 * P, MREMAP_MAYMOVE, 0);
		ASSERT(b > 0);
		EXPECT_EQ(umm_touch(mm, (unsigned long)b, 2 * P, 1, &code), 0);
		EXPECT_EQ(umm_touch(mm, (unsigned long)b + 2 * P, P, 0, &code), SIGBUS);
		EXPECT_EQ(code, BUS_ADRERR);
	}
	EXPECT_EQ(umm_mm_check(mm), 0);
	umm_mm_destroy(mm);
	close(fd);
}

/*
 * Shared file mappings write through the page cache: the write faults
 * dirty the page (->page_mkwrite), MS_SYNC writes it back and makes the
 * PTE read-only again so that the next write is seen; what is left dirty
 * at munmap reaches the file when the last file reference goes.  A
 * private mapping's writes never reach the file.
 */
TEST(shared_file_writes_reach_file)
{
	int fd = make_file("shared_w", 8 * P);
	struct mm_struct *mm = umm_mm_create();
	unsigned long dirty0 = meminfo("Dirty:");
	long a, pa;
	char c;

	ASSERT(mm);
	a = umm_mmap(mm, 0, 8 * P, RW, MAP_SHARED, fd, 0);
	pa = umm_mmap(mm, 0, 8 * P, RW, MAP_PRIVATE, fd, 0);
	ASSERT(a > 0 && pa > 0);
	/* A read first (read-only PTE), then a write: wp fault, page_mkwrite. */
	ASSERT_EQ(umm_access(mm, (unsigned long)a + P + 9, &c, 1, 0), 1);
	EXPECT_EQ(c, (char)pattern(P + 9));
	c = 'W';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + P + 9, &c, 1, 1), 1);
	c = 'V';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 5 * P, &c, 1, 1), 1);
	c = 'p';
	ASSERT_EQ(umm_access(mm, (unsigned long)pa + 6 * P, &c, 1, 1), 1);
	EXPECT_EQ(meminfo("Dirty:"), dirty0 + 8);
	/* Not yet in the file. */
	ASSERT_EQ(pread(fd, &c, 1, P + 9), 1);
	EXPECT_EQ(c, (char)pattern(P + 9));
	/* The private mapping sees the shared write (same page cache page). */
	ASSERT_EQ(umm_access(mm, (unsigned long)pa + P + 9, &c, 1, 0), 1);
	EXPECT_EQ(c, 'W');

	EXPECT_EQ(umm_msync(mm, (unsigned long)a, 8 * P, MS_SYNC), 0);
	EXPECT_EQ(meminfo("Dirty:"), dirty0);
	ASSERT_EQ(pread(fd, &c, 1, P + 9), 1);
	EXPECT_EQ(c, 'W');
	ASSERT_EQ(pread(fd, &c, 1, 5 * P), 1);
	EXPECT_EQ(c, 'V');
	/* Written again after msync: dirty again, through a fault. */
	c = 'X';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + P + 10, &c, 1, 1), 1);
	EXPECT_EQ(meminfo("Dirty:"), dirty0 + 4);
	EXPECT_EQ(umm_msync(mm, (unsigned long)a, P * 2, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, &c, 1, P + 10), 1);
	EXPECT_EQ(c, 'X');
	/* Left dirty at munmap: written when the last reference goes. */
	c = 'Y';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 7 * P, &c, 1, 1), 1);
	ASSERT_EQ(umm_munmap(mm, (unsigned long)a, 8 * P), 0);
	ASSERT_EQ(pread(fd, &c, 1, 7 * P), 1);
	EXPECT_EQ(c, (char)pattern(7 * P));	/* the private VMA still holds the file */
	EXPECT_EQ(umm_mm_check(mm), 0);
	umm_mm_destroy(mm);
	ASSERT_EQ(pread(fd, &c, 1, 7 * P), 1);
	EXPECT_EQ(c, 'Y');
	ASSERT_EQ(pread(fd, &c, 1, 6 * P), 1);
	EXPECT_EQ(c, (char)pattern(6 * P));	/* the private write never gets there */
	EXPECT_EQ(meminfo("Dirty:"), dirty0);
	close(fd);
}

/*
 * shmem after fork: parent and child share the object's pages (writes
 * seen both ways, RssShmem on both); MADV_DONTNEED only unmaps, the data
 * stays; the pages go when both mms are gone.  The host does the same.
 */
TEST(shmem_shared_across_fork)
{
	struct mm_struct *mm = umm_mm_create(), *child;
	unsigned long shmem0 = meminfo("Shmem:");
	unsigned long long v = 0x1122334455667788ULL, r = 0;
	long a;
	int code;

	ASSERT(mm);
	a = umm_mmap(mm, 0, 16 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT(a > 0);
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 3 * P, &v, sizeof(v), 1), (long)sizeof(v));
	/* A read fault of shmem allocates a page too (no zero page). */
	ASSERT_EQ(umm_touch(mm, (unsigned long)a + 9 * P, 1, 0, &code), 0);
	EXPECT_EQ(meminfo("Shmem:"), shmem0 + 8);
	child = umm_mm_fork(mm);
	ASSERT(child);
	ASSERT_EQ(umm_access(child, (unsigned long)a + 3 * P, &r, sizeof(r), 0), (long)sizeof(r));
	EXPECT_EQ(r, v);
	v = 42;
	ASSERT_EQ(umm_access(child, (unsigned long)a + 12 * P, &v, sizeof(v), 1), (long)sizeof(v));
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 12 * P, &r, sizeof(r), 0), (long)sizeof(r));
	EXPECT_EQ(r, 42);
	EXPECT_EQ(meminfo("Shmem:"), shmem0 + 12);
	EXPECT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 3);
	EXPECT(umm_smaps_field(mm, (unsigned long)a, "Rss:") >= 12);
	/* MADV_DONTNEED: unmapped, still in the object. */
	ASSERT_EQ(umm_madvise(mm, (unsigned long)a, 16 * P, MADV_DONTNEED), 0);
	EXPECT_EQ(get_mm_counter(mm, MM_SHMEMPAGES), 0);
	EXPECT_EQ(meminfo("Shmem:"), shmem0 + 12);
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 12 * P, &r, sizeof(r), 0), (long)sizeof(r));
	EXPECT_EQ(r, 42);
	EXPECT_EQ(umm_mm_check(mm), 0);
	EXPECT_EQ(umm_mm_check(child), 0);
	umm_mm_destroy(mm);
	EXPECT_EQ(meminfo("Shmem:"), shmem0 + 12);	/* the child holds it */
	umm_mm_destroy(child);
	EXPECT_EQ(meminfo("Shmem:"), shmem0);

	/* The host keeps shmem data across MADV_DONTNEED too. */
	{
		volatile unsigned long long *h = mmap(NULL, P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

		ASSERT(h != MAP_FAILED);
		h[0] = 42;
		madvise((void *)h, P, MADV_DONTNEED);
		EXPECT_EQ(h[0], 42);
		munmap((void *)h, P);
	}
}

/*
 * Everything a file and shmem workload took comes back: mms created,
 * populated, forked and destroyed leave Cached at its start and the free
 * pages where they were, once the slab caches are shrunk.
 */
TEST(teardown_frees_pages)
{
	unsigned long free0, cached0 = meminfo("Cached:"), mapped0 = meminfo("Mapped:");
	struct mm_struct *mm, *child, *keep;
	int fd = make_file("teardown", 300 * P);
	long a, b;
	int code;

	/* An mm kept alive keeps the mm caches (and the zero page) in place. */
	keep = umm_mm_create();
	ASSERT(keep);
	free0 = free_pages_settled();

	mm = umm_mm_create();
	ASSERT(mm);
	a = umm_mmap(mm, 0, 300 * P, RW, MAP_SHARED, fd, 0);
	b = umm_mmap(mm, 0, 200 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT(a > 0 && b > 0);
	ASSERT_EQ(umm_touch(mm, (unsigned long)a, 300 * P, 0, &code), 0);
	ASSERT_EQ(umm_touch(mm, (unsigned long)a, 100 * P, 1, &code), 0);
	ASSERT_EQ(umm_touch(mm, (unsigned long)b, 200 * P, 1, &code), 0);
	EXPECT_EQ(meminfo("Cached:"), cached0 + 500 * 4);
	/* Mapped counts each page once, however many PTEs map it. */
	EXPECT_EQ(meminfo("Mapped:"), mapped0 + 500 * 4);
	child = umm_mm_fork(mm);
	ASSERT(child);
	ASSERT_EQ(umm_touch(child, (unsigned long)b, 200 * P, 0, &code), 0);
	EXPECT_EQ(meminfo("Mapped:"), mapped0 + 500 * 4);
	umm_mm_destroy(mm);
	EXPECT_EQ(meminfo("Mapped:"), mapped0 + 200 * 4);	/* the child's shmem */
	umm_mm_destroy(child);
	EXPECT_EQ(meminfo("Mapped:"), mapped0);
	EXPECT_EQ(meminfo("Cached:"), cached0);
	EXPECT_EQ(meminfo("Shmem:"), 0);
	EXPECT_EQ(meminfo("Dirty:"), 0);
	EXPECT_EQ(free_pages_settled(), free0);
	umm_mm_destroy(keep);
	close(fd);
}

/*
 * Threads, each with its own mm mapping one file shared: each writes
 * its own quarter (stamps that grow), reads everyone's (fault-around and
 * read faults racing with write faults), msyncs and remaps at random.
 * At the end every page of the file holds its owner's last stamp.
 */
enum { NTHREADS = 4, PAGES_EACH = 16, ROUNDS = 400 };
struct share_arg {
	int fd, id;
	unsigned int last[PAGES_EACH];
	int errors;
};

static pthread_barrier_t share_barrier;

static void *share_worker(void *p)
{
	struct share_arg *a = p;
	struct mm_struct *mm = umm_mm_create();
	unsigned long len = NTHREADS * PAGES_EACH * P;
	unsigned int seed = (unsigned int)a->id * 7919u + 1;
	long addr;
	int code;

	if (!mm) {
		a->errors++;
		pthread_barrier_wait(&share_barrier);
		pthread_barrier_wait(&share_barrier);
		return NULL;
	}
	addr = umm_mmap(mm, 0, len, RW, MAP_SHARED, a->fd, 0);
	for (unsigned int r = 1; r <= ROUNDS && addr > 0; r++) {
		unsigned int pg = (unsigned int)rand_r(&seed) % PAGES_EACH;
		unsigned long mine = (unsigned long)addr +
			((unsigned long)a->id * PAGES_EACH + pg) * P;
		unsigned int stamp = r, got = 0;

		if (umm_access(mm, mine + 64, &stamp, sizeof(stamp), 1) != sizeof(stamp))
			a->errors++;
		a->last[pg] = r;
		if (umm_access(mm, mine + 64, &got, sizeof(got), 0) != sizeof(got) || got != r)
			a->errors++;
		/* Read someone else's page: a read fault or fault-around. */
		umm_touch(mm, (unsigned long)addr + ((unsigned long)rand_r(&seed) % (len / P)) * P,
			  1, 0, &code);
		switch (rand_r(&seed) % 16) {
		case 0:
			if (umm_msync(mm, (unsigned long)addr + (unsigned long)a->id * PAGES_EACH * P,
				      PAGES_EACH * P, MS_SYNC))
				a->errors++;
			break;
		case 1:	/* unmap and map again: the dirty PTEs go to the pages */
			if (umm_munmap(mm, (unsigned long)addr, len))
				a->errors++;
			addr = umm_mmap(mm, 0, len, RW, MAP_SHARED, a->fd, 0);
			break;
		}
	}
	if (addr <= 0)
		a->errors++;
	/* umm_mm_check() counts other mms' PTEs too: check when all are still. */
	pthread_barrier_wait(&share_barrier);
	if (umm_mm_check(mm))
		a->errors++;
	pthread_barrier_wait(&share_barrier);
	umm_mm_destroy(mm);
	return NULL;
}

TEST(threads_share_a_file)
{
	int fd = make_file("threads", NTHREADS * PAGES_EACH * P);
	struct share_arg args[NTHREADS];
	pthread_t th[NTHREADS];

	pthread_barrier_init(&share_barrier, NULL, NTHREADS);
	for (int t = 0; t < NTHREADS; t++) {
		memset(&args[t], 0, sizeof(args[t]));
		args[t].fd = fd;
		args[t].id = t;
		ASSERT_EQ(pthread_create(&th[t], NULL, share_worker, &args[t]), 0);
	}
	for (int t = 0; t < NTHREADS; t++) {
		pthread_join(th[t], NULL);
		EXPECT_EQ(args[t].errors, 0);
	}
	pthread_barrier_destroy(&share_barrier);
	/* All mms are gone: the last reference wrote everything back. */
	for (int t = 0; t < NTHREADS; t++)
		for (int pg = 0; pg < PAGES_EACH; pg++) {
			unsigned int v = 0;
			off_t off = (off_t)((t * PAGES_EACH + pg) * P + 64);

			ASSERT_EQ(pread(fd, &v, sizeof(v), off), (long)sizeof(v));
			if (args[t].last[pg])
				EXPECT_EQ(v, args[t].last[pg]);
		}
	EXPECT_EQ(meminfo("Dirty:"), 0);
	close(fd);
}

/* MADV_WILLNEED reads a file's range into the page cache, maps nothing. */
TEST(willneed_reads_ahead)
{
	int fd = make_file("willneed", 64 * P + 10);
	struct mm_struct *mm = umm_mm_create();
	struct vm_area_struct *vma;
	struct address_space *mapping;
	long a;
	int code;

	ASSERT(mm);
	a = umm_mmap(mm, 0, 80 * P, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT(a > 0);
	mmap_read_lock(mm);
	vma = vma_lookup(mm, (unsigned long)a);
	mmap_read_unlock(mm);
	mapping = vma->vm_file->f_mapping;
	ASSERT_EQ(umm_madvise(mm, (unsigned long)a + 8 * P, 40 * P, MADV_WILLNEED), 0);
	EXPECT_EQ(mapping->nrpages, 40);
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 0);
	/* up to EOF (page 64, partial), not past it */
	ASSERT_EQ(umm_madvise(mm, (unsigned long)a + 40 * P, 40 * P, MADV_WILLNEED), 0);
	EXPECT_EQ(mapping->nrpages, 65 - 8);
	/* now a fault is minor */
	ASSERT_EQ(umm_touch(mm, (unsigned long)a + 30 * P, 1, 0, &code), 0);
	EXPECT_EQ(mm->maj_flt, 0);
	ASSERT_EQ(filemap_check(mapping), 0);
	umm_mm_destroy(mm);
	close(fd);
}

/*
 * Out of memory in file and shmem faults: every allocation in turn
 * (pages, radix tree nodes, page tables) fails once.  A fault that cannot
 * get its page is SIGBUS; what did get in is consistent and reads right
 * afterwards; in the end every page comes back.
 */
TEST(faults_out_of_memory)
{
	static const char *const which[] = { "fail_page_alloc", "failslab" };
	struct mm_struct *keep = umm_mm_create();
	int fd = make_file("oom", 96 * P);
	unsigned long free0, cached0;
	int sigbus = 0;

	ASSERT(keep);
	free0 = free_pages_settled();
	cached0 = meminfo("Cached:");
	for (int w = 0; w < 2; w++)
		for (int nth = 1; nth <= 24; nth++) {
			struct mm_struct *mm = umm_mm_create();
			struct vm_area_struct *vma;
			long a, s;
			int code = 0, sig;
			char c;

			ASSERT(mm);
			a = umm_mmap(mm, 0, 96 * P, PROT_READ, MAP_SHARED, fd, 0);
			s = umm_mmap(mm, 0, 8 * P, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			ASSERT(a > 0 && s > 0);
			set_injection(which[w], nth);
			sig = umm_touch(mm, (unsigned long)a + (unsigned long)(nth % 8) * 12 * P,
					P, 0, &code);
			if (!sig)
				sig = umm_touch(mm, (unsigned long)s, 8 * P, 1, &code);
			set_injection(which[w], 0);
			if (sig) {
				EXPECT_EQ(sig, SIGBUS);
				EXPECT_EQ(code, BUS_ADRERR);
				sigbus++;
			}
			/* Whatever happened, the file reads right now. */
			for (int pg = 0; pg < 96; pg += 7) {
				ASSERT_EQ(umm_access(mm, (unsigned long)a + (unsigned long)pg * P + 5,
						     &c, 1, 0), 1);
				EXPECT_EQ(c, (char)pattern((unsigned long)pg * P + 5));
			}
			mmap_read_lock(mm);
			vma = vma_lookup(mm, (unsigned long)a);
			mmap_read_unlock(mm);
			ASSERT(vma);
			EXPECT_EQ(filemap_check(vma->vm_file->f_mapping), 0);
			EXPECT_EQ(umm_mm_check(mm), 0);
			umm_mm_destroy(mm);
		}
	EXPECT(sigbus > 0);
	EXPECT_EQ(meminfo("Cached:"), cached0);
	EXPECT_EQ(free_pages_settled(), free0);
	umm_mm_destroy(keep);
	close(fd);
}

/*
 * A file bigger than memory, read through a mapping a chunk at a time
 * (each chunk unmapped with MADV_DONTNEED after it): the allocator
 * reclaims the clean page cache no PTE maps, so every read succeeds, with
 * the right data, in 128 MiB of memory that cannot grow.  MemAvailable
 * counts that page cache.
 */
TEST(reclaim_clean_page_cache)
{
	const unsigned long size = 320UL << 20, chunk = 8UL << 20;
	struct mm_struct *mm;
	int fd, code = 0;
	long a;

	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=128M umm.max_mem=128M"), 0);	/* one section */
	fd = make_file("big", size);
	mm = umm_mm_create();
	ASSERT(mm);
	a = umm_mmap(mm, 0, size, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT(a > 0);
	for (unsigned long off = 0; off < size; off += chunk) {
		char c = 0;

		ASSERT_EQ(umm_touch(mm, (unsigned long)a + off, chunk, 0, &code), 0);
		ASSERT_EQ(umm_access(mm, (unsigned long)a + off + chunk - 3, &c, 1, 0), 1);
		EXPECT_EQ(c, (char)pattern(off + chunk - 3));
		ASSERT_EQ(umm_madvise(mm, (unsigned long)a + off, chunk, MADV_DONTNEED), 0);
	}
	EXPECT(meminfo("Cached:") < meminfo("MemTotal:"));
	EXPECT(meminfo("MemAvailable:") > meminfo("MemFree:"));
	/*
	 * Kernel allocations reclaim too: 24 MiB of GFP_KERNEL pages, more
	 * than is free now that the page cache holds the memory.
	 */
	{
		enum { NK = 6144 };
		static struct page *kp[NK];
		unsigned long free_now = nr_free_pages() + umm_pcp_pages();
		int got = 0;

		EXPECT(free_now < NK);
		for (int i = 0; i < NK; i++) {
			kp[i] = alloc_page(GFP_KERNEL);
			got += kp[i] != NULL;
		}
		EXPECT_EQ(got, NK);
		for (int i = 0; i < NK; i++)
			if (kp[i])
				__free_page(kp[i]);
	}
	/* The start was reclaimed: read again from the file, right. */
	for (unsigned long off = 0; off < 8 * chunk; off += chunk + 3 * P + 17) {
		char c = 0;

		ASSERT_EQ(umm_access(mm, (unsigned long)a + off, &c, 1, 0), 1);
		EXPECT_EQ(c, (char)pattern(off));
	}
	EXPECT_EQ(umm_mm_check(mm), 0);
	umm_mm_destroy(mm);
	close(fd);
	umm_shutdown();
	ASSERT_EQ(umm_boot(NULL), 0);
}

/*
 * shmem fault-around after fork, against the host: the parent writes a
 * 64-page MAP_SHARED|MAP_ANONYMOUS area; fork copies no page tables for a
 * shared VMA without anon_vma, so the child's first read of page k maps
 * the window of the object's pages around it.  The child VMA's Rss, host
 * and umm; the child's MM_SHMEMPAGES agrees.
 */
TEST(shmem_fault_around_after_fork_matches_host)
{
	static const unsigned long touches[] = { 0, 5, 17, 40, 63 };

	for (size_t i = 0; i < ARRAY_SIZE(touches); i++) {
		unsigned long k = touches[i], base = host_hole();
		long host_rss = -1, umm_rss, umm_parent;
		struct mm_struct *mm, *child;
		int pfd[2], code = 0;
		char *h;
		pid_t pid;

		/* The host. */
		ASSERT(base && pipe(pfd) == 0);
		h = mmap((void *)base, 64 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		ASSERT((unsigned long)h == base);
		memset(h, 1, 64 * P);
		pid = fork();
		ASSERT(pid >= 0);
		if (!pid) {
			long rss;

			(void)*(volatile char *)(h + k * P);
			rss = host_smaps_field(base, "Rss:");
			if (write(pfd[1], &rss, sizeof(rss)) != sizeof(rss))
				_exit(1);
			_exit(0);
		}
		ASSERT_EQ(read(pfd[0], &host_rss, sizeof(host_rss)), (long)sizeof(host_rss));
		waitpid(pid, NULL, 0);
		close(pfd[0]);
		close(pfd[1]);
		munmap(h, 64 * P);

		/* umm. */
		mm = umm_mm_create();
		ASSERT(mm);
		ASSERT_EQ(umm_mmap(mm, base, 64 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
			  (long)base);
		ASSERT_EQ(umm_touch(mm, base, 64 * P, 1, &code), 0);
		child = umm_mm_fork(mm);
		ASSERT(child);
		EXPECT_EQ(umm_smaps_field(child, base, "Rss:"), 0);
		ASSERT_EQ(umm_touch(child, base + k * P, 1, 0, &code), 0);
		umm_rss = umm_smaps_field(child, base, "Rss:");
		umm_parent = umm_smaps_field(mm, base, "Rss:");
		if (getenv("SHOW") || umm_rss != host_rss)
			fprintf(stderr, "  page %lu: host Rss %ld kB, umm %ld kB\n", k, host_rss, umm_rss);
		EXPECT_EQ(umm_rss, host_rss);
		EXPECT_EQ(get_mm_counter(child, MM_SHMEMPAGES) * 4, (unsigned long)umm_rss);
		EXPECT_EQ(umm_parent, 256);
		umm_mm_destroy(child);
		umm_mm_destroy(mm);
	}
}

/*
 * Dirty tracking survives mprotect: after msync cleaned a shared page,
 * making the mapping read-only and writable again must not hand out a
 * writable PTE (vma_wants_writenotify(): only a dirty PTE may become
 * writable), so the next write still dirties the page and msync still
 * writes it.
 */
TEST(writenotify_survives_mprotect)
{
	int fd = make_file("wnotify", 4 * P);
	struct mm_struct *mm = umm_mm_create();
	long a;
	char c;

	ASSERT(mm);
	a = umm_mmap(mm, 0, 4 * P, RW, MAP_SHARED, fd, 0);
	ASSERT(a > 0);
	c = 'A';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 9, &c, 1, 1), 1);
	ASSERT_EQ(umm_msync(mm, (unsigned long)a, 4 * P, MS_SYNC), 0);
	ASSERT_EQ(umm_mprotect(mm, (unsigned long)a, 4 * P, PROT_READ), 0);
	ASSERT_EQ(umm_mprotect(mm, (unsigned long)a, 4 * P, RW), 0);
	c = 'B';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + 10, &c, 1, 1), 1);
	ASSERT_EQ(umm_msync(mm, (unsigned long)a, 4 * P, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, &c, 1, 10), 1);
	EXPECT_EQ(c, 'B');
	/* A page made read-only while dirty keeps its dirt for msync. */
	c = 'C';
	ASSERT_EQ(umm_access(mm, (unsigned long)a + P, &c, 1, 1), 1);
	ASSERT_EQ(umm_mprotect(mm, (unsigned long)a, 4 * P, PROT_READ), 0);
	ASSERT_EQ(umm_msync(mm, (unsigned long)a, 4 * P, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, &c, 1, P), 1);
	EXPECT_EQ(c, 'C');
	EXPECT_EQ(umm_mm_check(mm), 0);
	umm_mm_destroy(mm);
	close(fd);
}

/*
 * msync is fsync of the file range: it writes what any mm wrote there.
 * mm B writes, mm A msyncs (B's write lands, and B's PTE is cleaned and
 * write-protected, folio_mkclean()), B writes again (a fault dirties the
 * page again), A msyncs again: B's second write lands too.
 */
TEST(msync_writes_other_mms_writes)
{
	int fd = make_file("two_mms", 4 * P);
	struct mm_struct *a = umm_mm_create(), *b = umm_mm_create();
	long xa, xb;
	char c;

	ASSERT(a && b);
	xa = umm_mmap(a, 0, 4 * P, RW, MAP_SHARED, fd, 0);
	xb = umm_mmap(b, 0, 4 * P, RW, MAP_SHARED, fd, 0);
	ASSERT(xa > 0 && xb > 0);
	c = '1';
	ASSERT_EQ(umm_access(b, (unsigned long)xb + 2 * P + 1, &c, 1, 1), 1);
	ASSERT_EQ(umm_msync(a, (unsigned long)xa, 4 * P, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, &c, 1, 2 * P + 1), 1);
	EXPECT_EQ(c, '1');
	c = '2';
	ASSERT_EQ(umm_access(b, (unsigned long)xb + 2 * P + 1, &c, 1, 1), 1);
	EXPECT_EQ(meminfo("Dirty:"), 4);
	ASSERT_EQ(umm_msync(a, (unsigned long)xa, 4 * P, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, &c, 1, 2 * P + 1), 1);
	EXPECT_EQ(c, '2');
	/* A sees B's writes in the shared page, of course. */
	ASSERT_EQ(umm_access(a, (unsigned long)xa + 2 * P + 1, &c, 1, 0), 1);
	EXPECT_EQ(c, '2');
	EXPECT_EQ(umm_mm_check(a), 0);
	EXPECT_EQ(umm_mm_check(b), 0);
	umm_mm_destroy(a);
	umm_mm_destroy(b);
	close(fd);
}

/*
 * A sparse file of 1 TiB + 8 pages: mappings at offset 0 (a hole: zeroes)
 * and at 1 TiB (data written there) share one page cache whose indices
 * are 2^28 apart; msync writes back at the far offset.
 */
TEST(far_file_offsets)
{
	const unsigned long far = 1UL << 40;
	int fd = make_file("sparse", 0);
	struct mm_struct *mm = umm_mm_create();
	struct vm_area_struct *vma;
	char buf[8] = "faraway", got[8] = "";
	long lo, hi;

	ASSERT(mm);
	if (pwrite(fd, buf, sizeof(buf), (off_t)(far + 3 * P)) != sizeof(buf)) {
		fprintf(stderr, "  (no 1 TiB sparse file here: skipped)\n");
		umm_mm_destroy(mm);
		close(fd);
		return;
	}
	ASSERT_EQ(ftruncate(fd, (off_t)(far + 8 * P)), 0);
	lo = umm_mmap(mm, 0, 8 * P, RW, MAP_SHARED, fd, 0);
	hi = umm_mmap(mm, 0, 8 * P, RW, MAP_SHARED, fd, (long)far);
	ASSERT(lo > 0 && hi > 0);
	ASSERT_EQ(umm_access(mm, (unsigned long)hi + 3 * P, got, sizeof(got), 0), (long)sizeof(got));
	EXPECT_STREQ(got, "faraway");
	ASSERT_EQ(umm_access(mm, (unsigned long)lo + 3 * P, got, sizeof(got), 0), (long)sizeof(got));
	EXPECT_EQ(got[0], 0);
	memcpy(buf, "written", 8);
	ASSERT_EQ(umm_access(mm, (unsigned long)hi + 7 * P, buf, sizeof(buf), 1), (long)sizeof(buf));
	ASSERT_EQ(umm_msync(mm, (unsigned long)hi, 8 * P, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, got, sizeof(got), (off_t)(far + 7 * P)), (long)sizeof(got));
	EXPECT_STREQ(got, "written");
	mmap_read_lock(mm);
	vma = vma_lookup(mm, (unsigned long)hi);
	mmap_read_unlock(mm);
	ASSERT(vma);
	EXPECT(vma->vm_file->f_mapping->i_pages.height >= 5);
	EXPECT_EQ(filemap_check(vma->vm_file->f_mapping), 0);
	umm_mm_destroy(mm);
	close(fd);
}

/* An O_APPEND fd: writeback still writes pages in place (the host's pwrite would append). */
TEST(append_fd_writes_in_place)
{
	int fd = make_file("append", 4 * P), afd = open_again("append", O_RDWR | O_APPEND);
	struct mm_struct *mm = umm_mm_create();
	struct stat st;
	long a;
	char c = 'Z';

	ASSERT(mm && afd >= 0);
	a = umm_mmap(mm, 0, 4 * P, RW, MAP_SHARED, afd, 0);
	ASSERT(a > 0);
	ASSERT_EQ(umm_access(mm, (unsigned long)a + P + 1, &c, 1, 1), 1);
	ASSERT_EQ(umm_msync(mm, (unsigned long)a, 4 * P, MS_SYNC), 0);
	ASSERT_EQ(pread(fd, &c, 1, P + 1), 1);
	EXPECT_EQ(c, 'Z');
	ASSERT_EQ(fstat(fd, &st), 0);
	EXPECT_EQ(st.st_size, 4 * (long)P);
	umm_mm_destroy(mm);
	close(afd);
	close(fd);
}

/*
 * Random operations on one file and on shmem objects across several mms,
 * against a model of what each access must see: shared mappings read and
 * write the page cache (the model's file, or the shmem object, which
 * starts zeroed and keeps its data through DONTNEED and PAGEOUT, and
 * which forked children share), private ones see it until they write a page
 * (their own copy from then on, inherited by fork, dropped by
 * MADV_DONTNEED).  Maps, munmaps, mprotects, msyncs, MADV_PAGEOUT and
 * MADV_WILLNEED, forks and exits in between; the checkers after every step; at the end, with every mm gone,
 * the host file holds exactly the model's bytes.
 */
enum { RF_PAGES = 64, RF_MAPS = 24, RF_MMS = 4, RF_STEPS = 3000 };
struct rf_map {
	struct mm_struct *mm;	/* NULL: free slot */
	unsigned long addr, pgoff, npages;
	bool shared, writable;
	int shm;		/* a shmem object's number in shm_model, or -1: the file */
	short priv[RF_PAGES];	/* private copy's byte, -1: none yet */
};

enum { RF_SHM_OBJS = 400 };
static unsigned char shm_model[RF_SHM_OBJS][RF_PAGES];	/* zero-filled, as shmem */

static unsigned long rf_off(unsigned long pg)
{
	return (pg * 97) % P;
}

TEST(random_ops_against_model)
{
	static struct rf_map maps[RF_MAPS];
	struct mm_struct *mms[RF_MMS] = { NULL };
	unsigned char model[RF_PAGES];
	int fd = make_file("random", RF_PAGES * P), nshm = 0;
	unsigned int seed = getenv("UMM_TEST_SEED") ? (unsigned int)atoi(getenv("UMM_TEST_SEED")) : 12345;

	for (unsigned long pg = 0; pg < RF_PAGES; pg++)
		model[pg] = pattern(pg * P + rf_off(pg));
	memset(maps, 0, sizeof(maps));
	memset(shm_model, 0, sizeof(shm_model));
	mms[0] = umm_mm_create();
	ASSERT(mms[0]);
	for (int step = 0; step < RF_STEPS; step++) {
		int op = (int)(rand_r(&seed) % 100), m = (int)(rand_r(&seed) % RF_MAPS);
		int k = (int)(rand_r(&seed) % RF_MMS);
		struct rf_map *r = &maps[m];

		if (op < 12) {			/* map */
			unsigned long pgoff = (unsigned long)rand_r(&seed) % RF_PAGES;
			unsigned long n = 1 + (unsigned long)rand_r(&seed) % (RF_PAGES - pgoff);
			long a;

			if (r->mm || !mms[k])
				continue;
			r->shared = rand_r(&seed) % 2;
			r->writable = rand_r(&seed) % 4 != 0;
			r->shm = -1;
			if (r->shared && rand_r(&seed) % 3 == 0 && nshm < RF_SHM_OBJS) {
				/* a new shmem object instead of the file */
				r->shm = nshm++;
				pgoff = 0;
				a = umm_mmap(mms[k], 0, n * P, r->writable ? RW : PROT_READ,
					     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
			} else {
				a = umm_mmap(mms[k], 0, n * P, r->writable ? RW : PROT_READ,
					     r->shared ? MAP_SHARED : MAP_PRIVATE, fd, (long)(pgoff * P));
			}
			ASSERT(a > 0);
			r->mm = mms[k];
			r->addr = (unsigned long)a;
			r->pgoff = pgoff;
			r->npages = n;
			for (int i = 0; i < RF_PAGES; i++)
				r->priv[i] = -1;
		} else if (op < 45) {		/* write a byte */
			unsigned long pg;
			unsigned char v = (unsigned char)rand_r(&seed);

			if (!r->mm || !r->writable)
				continue;
			pg = (unsigned long)rand_r(&seed) % r->npages;
			ASSERT_EQ(umm_access(r->mm, r->addr + pg * P + rf_off(r->pgoff + pg), &v, 1, 1), 1);
			if (r->shm >= 0)
				shm_model[r->shm][pg] = v;
			else if (r->shared)
				model[r->pgoff + pg] = v;
			else
				r->priv[pg] = v;
		} else if (op < 75) {		/* read it back */
			unsigned long pg;
			unsigned char v = 0, want;

			if (!r->mm)
				continue;
			pg = (unsigned long)rand_r(&seed) % r->npages;
			ASSERT_EQ(umm_access(r->mm, r->addr + pg * P + rf_off(r->pgoff + pg), &v, 1, 0), 1);
			want = r->shm >= 0 ? shm_model[r->shm][pg] :
			       r->priv[pg] >= 0 ? (unsigned char)r->priv[pg] : model[r->pgoff + pg];
			if (v != want)
				fprintf(stderr, "  step %d: map %d page %lu: read %u, want %u\n",
					step, m, pg, v, want);
			ASSERT_EQ(v, want);
		} else if (op < 80) {		/* msync */
			if (r->mm)
				ASSERT_EQ(umm_msync(r->mm, r->addr, r->npages * P, MS_SYNC), 0);
		} else if (op < 85) {		/* munmap */
			if (!r->mm)
				continue;
			ASSERT_EQ(umm_munmap(r->mm, r->addr, r->npages * P), 0);
			r->mm = NULL;
		} else if (op < 87) {		/* MADV_DONTNEED: private copies go */
			if (!r->mm)
				continue;
			ASSERT_EQ(umm_madvise(r->mm, r->addr, r->npages * P, MADV_DONTNEED), 0);
			for (int i = 0; i < RF_PAGES; i++)
				r->priv[i] = -1;
		} else if (op < 89) {		/* PAGEOUT (clean cache goes), WILLNEED: no change seen */
			if (!r->mm)
				continue;
			ASSERT_EQ(umm_madvise(r->mm, r->addr, r->npages * P,
					      op == 87 ? MADV_PAGEOUT : MADV_WILLNEED), 0);
		} else if (op < 93) {		/* mprotect */
			if (!r->mm)
				continue;
			r->writable = !r->writable;
			ASSERT_EQ(umm_mprotect(r->mm, r->addr, r->npages * P,
					       r->writable ? RW : PROT_READ), 0);
		} else if (op < 97) {		/* fork mm k into a free slot */
			int c;

			for (c = 0; c < RF_MMS && mms[c]; c++)
				;
			if (c == RF_MMS || !mms[k])
				continue;
			mms[c] = umm_mm_fork(mms[k]);
			ASSERT(mms[c]);
			for (int i = 0, j = 0; i < RF_MAPS; i++) {
				if (maps[i].mm != mms[k])
					continue;
				while (j < RF_MAPS && maps[j].mm)
					j++;
				if (j == RF_MAPS)
					break;	/* no slot: the child's copy is not tracked */
				maps[j] = maps[i];
				maps[j].mm = mms[c];
			}
		} else {			/* exit: mm k goes (never the last) */
			int live = 0;

			for (int i = 0; i < RF_MMS; i++)
				live += mms[i] != NULL;
			if (!mms[k] || live == 1)
				continue;
			for (int i = 0; i < RF_MAPS; i++)
				if (maps[i].mm == mms[k])
					maps[i].mm = NULL;
			umm_mm_destroy(mms[k]);
			mms[k] = NULL;
		}
		if (step % 50 == 0)
			for (int i = 0; i < RF_MMS; i++)
				if (mms[i])
					ASSERT_EQ(umm_mm_check(mms[i]), 0);
		for (int i = 0; i < RF_MAPS; i++)
			if (maps[i].mm) {
				struct vm_area_struct *vma;

				mmap_read_lock(maps[i].mm);
				vma = vma_lookup(maps[i].mm, maps[i].addr);
				mmap_read_unlock(maps[i].mm);
				ASSERT(vma && vma->vm_file);
				if (step % 50 == 0)
					ASSERT_EQ(filemap_check(vma->vm_file->f_mapping), 0);
				break;
			}
	}
	for (int i = 0; i < RF_MMS; i++)
		if (mms[i])
			umm_mm_destroy(mms[i]);
	/* Every mm is gone: the last reference wrote the model's bytes back. */
	for (unsigned long pg = 0; pg < RF_PAGES; pg++) {
		unsigned char v = 0;

		ASSERT_EQ(pread(fd, &v, 1, (off_t)(pg * P + rf_off(pg))), 1);
		EXPECT_EQ(v, model[pg]);
	}
	EXPECT_EQ(meminfo("Dirty:"), 0);
	close(fd);
}

int main(void)
{
	char cmd[300];
	int failures;

	if (umm_boot(NULL)) {
		fprintf(stderr, "umm_boot() failed\n");
		return 1;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(page_cache_index);
	RUN(fault_reads_file);
	RUN(read_error_is_sigbus);
	RUN(one_mapping_per_inode);
	RUN(concurrent_faults_share_a_page);
	RUN(writeback_lands_in_file);
	RUN(writeback_without_writer_fails);
	RUN(shmem_fault_zeroed_pages);
	RUN(shmem_vmas);
	RUN(msync_errors_match_host);
	RUN(msync_writes_back_range);
	RUN(fault_around_matches_host);
	RUN(sigbus_past_eof);
	RUN(shared_file_writes_reach_file);
	RUN(writenotify_survives_mprotect);
	RUN(msync_writes_other_mms_writes);
	RUN(far_file_offsets);
	RUN(append_fd_writes_in_place);
	RUN(random_ops_against_model);
	RUN(shmem_shared_across_fork);
	RUN(shmem_fault_around_after_fork_matches_host);
	RUN(teardown_frees_pages);
	RUN(threads_share_a_file);
	RUN(willneed_reads_ahead);
	RUN(faults_out_of_memory);
	RUN(reclaim_clean_page_cache);
	failures = test_failures;
	umm_shutdown();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", tmpdir);
	test_failures = failures;
	TEST_EXIT();
}
