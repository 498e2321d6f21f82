// SPDX-License-Identifier: GPL-2.0
/*
 * test_memory.c - unit tests of page tables and faults: mm/memory.c,
 * mm/rmap.c, kernel/fork.c and the page-table side of munmap, mprotect,
 * mremap, madvise, mlock and MAP_POPULATE.
 *
 * Every step is followed by umm_mm_check() (STEP()), which walks the page
 * tables of every live mm: PTEs inside VMAs with matching permissions,
 * RSS counters, map counts, anon_vma chains, pgtables_bytes.  Where the
 * host kernel is the oracle (RSS after the same touches, stack growth),
 * a forked child does the same thing on real memory and reports.
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include "tests/test.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "tests/mm_helpers.h"
#include <umm/boot.h>
#include <umm/rmap.h>
#include <umm/vmalloc.h>

/*
 * TSan's runtime faults in shadow memory and its own pages from a thread
 * of its own, now and then inside a measured host loop: exact host fault
 * counts are compared only without it.
 */
#ifdef __SANITIZE_THREAD__
#define HOST_FAULTS_EXACT	0
#else
#define HOST_FAULTS_EXACT	1
#endif

static struct mm_struct *new_mm(void)
{
	return new_mm_memlock(64UL << 20);
}

static long anon_rss(struct mm_struct *mm)
{
	return (long)get_mm_counter(mm, MM_ANONPAGES);
}

static unsigned long pfn_of(struct mm_struct *mm, unsigned long addr)
{
	unsigned long pfn = ~0UL;

	if (umm_virt_to_pfn(mm, addr, &pfn))
		return ~0UL;
	return pfn;
}

static unsigned char peek(struct mm_struct *mm, unsigned long addr)
{
	unsigned char c = 0xee;

	EXPECT_EQ(umm_access(mm, addr, &c, 1, 0), 1);
	return c;
}

static void poke(struct mm_struct *mm, unsigned long addr, unsigned char c)
{
	EXPECT_EQ(umm_access(mm, addr, &c, 1, 1), 1);
}

TEST(test_zero_page_on_read)
{
	struct mm_struct *mm = new_mm();
	unsigned long a;
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 16 * P, RW, FIXED, -1, 0));
	ASSERT_EQ(a, BASE);
	STEP(EXPECT_EQ(umm_touch(mm, a, 16 * P, 0, &code), 0));
	EXPECT_EQ(anon_rss(mm), 0);		/* the zero page is not counted */
	EXPECT_EQ(pfn_of(mm, a), zero_pfn);
	EXPECT_EQ(pfn_of(mm, a + 15 * P), zero_pfn);
	EXPECT_EQ(peek(mm, a + 100), 0);
	EXPECT_EQ(mm->min_flt, 16);
	/* a write replaces the zero page with a zeroed page of its own */
	STEP(poke(mm, a + 5 * P + 7, 42));
	EXPECT_EQ(anon_rss(mm), 1);
	EXPECT(pfn_of(mm, a + 5 * P) != zero_pfn);
	EXPECT_EQ(peek(mm, a + 5 * P + 7), 42);
	EXPECT_EQ(peek(mm, a + 5 * P + 8), 0);
	EXPECT_EQ(peek(mm, a + 4 * P), 0);
	umm_mm_destroy(mm);
}

TEST(test_write_fault_and_counters)
{
	struct mm_struct *mm = new_mm();
	unsigned long a, pfn;
	char buf[3 * 4096];
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, 0, 64 * P, RW, ANON, -1, 0));
	STEP(EXPECT_EQ(umm_touch(mm, a, 64 * P, 1, &code), 0));
	EXPECT_EQ(anon_rss(mm), 64);
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 0);
	EXPECT_EQ(mm->min_flt, 128);		/* *p = *p: a read fault, then a write fault */
	EXPECT_EQ(mm->hiwater_rss, 64);
	EXPECT_EQ(mm->pgtables_bytes, 3 * P);	/* PUD, PMD, PTE tables */
	/* touching again takes no fault */
	STEP(EXPECT_EQ(umm_touch(mm, a, 64 * P, 1, &code), 0));
	EXPECT_EQ(mm->min_flt, 128);
	/* a copy across pages lands where it should */
	memset(buf, 'x', sizeof(buf));
	EXPECT_EQ(umm_access(mm, a + P - 5, buf, sizeof(buf), 1), (long)sizeof(buf));
	EXPECT_EQ(peek(mm, a + P - 5), 'x');
	EXPECT_EQ(peek(mm, a + P - 6), 0);
	EXPECT_EQ(peek(mm, a + 4 * P - 6), 'x');
	EXPECT_EQ(peek(mm, a + 4 * P - 5), 0);
	/* the frame is the one the PTE names */
	pfn = pfn_of(mm, a + 2 * P);
	ASSERT(pfn != ~0UL);
	EXPECT_EQ(((unsigned char *)pfn_to_virt(pfn))[0], 'x');
	EXPECT_EQ(page_mapcount(pfn_to_page(pfn)), 1);
	EXPECT(PageAnon(pfn_to_page(pfn)));
	/* unmapped addresses do not translate */
	EXPECT_EQ(umm_virt_to_pfn(mm, a + 64 * P, &pfn), -EFAULT);
	umm_mm_destroy(mm);
}

TEST(test_segv_codes)
{
	struct mm_struct *mm = new_mm();
	unsigned long a;
	int code = 0;
	char c = 1;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 4 * P, PROT_READ, FIXED, -1, 0));
	STEP(umm_mmap(mm, BASE + 4 * P, 4 * P, PROT_NONE, FIXED, -1, 0));
	EXPECT_EQ(umm_touch(mm, a, 4 * P, 0, &code), 0);
	EXPECT_EQ(umm_touch(mm, a, 4 * P, 1, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_ACCERR);
	EXPECT_EQ(umm_touch(mm, BASE + 4 * P, 1, 0, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_ACCERR);
	EXPECT_EQ(umm_touch(mm, BASE + 8 * P, 1, 0, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_MAPERR);
	EXPECT_EQ(umm_touch(mm, 0, 1, 0, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_MAPERR);
	EXPECT_EQ(umm_touch(mm, TASK_SIZE + 5, 1, 0, &code), SIGSEGV);
	/* the pages before the faulting one stay touched */
	STEP(umm_mprotect(mm, a, 4 * P, RW));
	EXPECT_EQ(umm_touch(mm, a + 2 * P, 6 * P, 1, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_ACCERR);
	EXPECT_EQ(anon_rss(mm), 2);
	/* umm_access: -EFAULT at once, a short count later */
	EXPECT_EQ(umm_access(mm, BASE + 8 * P, &c, 1, 0), -EFAULT);
	{
		char buf[2 * 4096];

		EXPECT_EQ(umm_access(mm, BASE + 3 * P, buf, sizeof(buf), 0), (long)P);
	}
	EXPECT_EQ(umm_touch(NULL, a, 1, 0, &code), -EINVAL);
	EXPECT_EQ(umm_access(NULL, a, &c, 1, 0), -EFAULT);
	umm_mm_destroy(mm);
}

TEST(test_stack_growth)
{
	struct mm_struct *mm = new_mm();
	unsigned long top = BASE + 1024 * P, stack, total;
	int code = 0;

	/* a stack of 4 pages below top, a mapping 300 pages below it */
	STEP(stack = (unsigned long)umm_mmap(mm, top - 4 * P, 4 * P, RW,
					     FIXED | MAP_GROWSDOWN, -1, 0));
	ASSERT_EQ(stack, top - 4 * P);
	STEP(umm_mmap(mm, top - 304 * P, P, PROT_READ, FIXED, -1, 0));
	total = mm->total_vm;
	/* growing by 10 pages works and counts */
	STEP(EXPECT_EQ(umm_touch(mm, stack - 10 * P, 1, 1, &code), 0));
	EXPECT_EQ(mm->total_vm, total + 10);
	EXPECT_EQ(mm->stack_vm, 14);
	EXPECT(MMAP_READ(mm, find_vma(mm, stack - 10 * P))->vm_start == stack - 10 * P);
	/*
	 * 299 - 14 = 285 pages of gap are left above the other mapping's end;
	 * the guard gap is 256 pages: growing to 30 pages above it is fine,
	 * to 200 pages above it is not.
	 */
	STEP(EXPECT_EQ(umm_touch(mm, top - 304 * P + P + 30 * P, 1, 0, &code), SIGSEGV));
	EXPECT_EQ(code, SEGV_MAPERR);
	STEP(EXPECT_EQ(umm_touch(mm, top - 304 * P + P + 256 * P, 1, 1, &code), 0));
	/* RLIMIT_STACK */
	umm_mm_setrlimit(mm, RLIMIT_STACK, 64 * P);
	STEP(umm_munmap(mm, top - 304 * P, P));
	EXPECT_EQ(umm_touch(mm, top - 65 * P, 1, 1, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_MAPERR);
	STEP(EXPECT_EQ(umm_touch(mm, top - 64 * P, 1, 1, &code), 0));
	umm_mm_destroy(mm);
}

TEST(test_cow_after_fork)
{
	struct mm_struct *mm = new_mm(), *child;
	unsigned long a, p0;
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 8 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 8 * P, 1, &code));
	poke(mm, a, 'p');
	p0 = pfn_of(mm, a);
	child = umm_mm_fork(mm);
	ASSERT(child);
	EXPECT_EQ(umm_mm_check(child), 0);
	EXPECT_EQ(anon_rss(child), 8);
	EXPECT_EQ(pfn_of(child, a), p0);		/* shared until written */
	EXPECT_EQ(page_mapcount(pfn_to_page(p0)), 2);
	EXPECT_EQ(peek(child, a), 'p');
	/* the child writes: it gets a copy, the parent keeps its page */
	poke(child, a, 'c');
	EXPECT(pfn_of(child, a) != p0);
	EXPECT_EQ(pfn_of(mm, a), p0);
	EXPECT_EQ(peek(mm, a), 'p');
	EXPECT_EQ(peek(child, a), 'c');
	EXPECT_EQ(page_mapcount(pfn_to_page(p0)), 1);
	EXPECT_EQ(umm_mm_check(child), 0);
	/* the parent writes the page only it maps now: reused, not copied */
	STEP(poke(mm, a, 'q'));
	EXPECT_EQ(pfn_of(mm, a), p0);
	/* page 1: the parent writes first and copies; the child keeps it */
	p0 = pfn_of(mm, a + P);
	STEP(poke(mm, a + P, 'r'));
	EXPECT(pfn_of(mm, a + P) != p0);
	EXPECT_EQ(pfn_of(child, a + P), p0);
	EXPECT_EQ(peek(child, a + P), 0);
	/* the child goes: the parent's shared pages become its own again */
	p0 = pfn_of(mm, a + 2 * P);
	umm_mm_destroy(child);
	STEP(poke(mm, a + 2 * P, 's'));
	EXPECT_EQ(pfn_of(mm, a + 2 * P), p0);
	EXPECT_EQ(anon_rss(mm), 8);
	umm_mm_destroy(mm);
}

/*
 * fork copies the page-table structure, not just the PTEs: in a VMA that
 * is copied (it has an anon_vma), every table the parent has there, an
 * empty one too, the child gets (copy_pud_range() and below allocate the
 * child's table before looking at the entries).  Measured on the host:
 * 16 pages written then MADV_DONTNEED, at an address of their own, leave
 * the parent VmPTE 12 kB up, and a forked child shows the same VmPTE.
 */
TEST(test_fork_copies_empty_tables)
{
	struct mm_struct *mm = new_mm(), *child;
	unsigned long a;
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 16 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 16 * P, 1, &code));
	STEP(umm_madvise(mm, a, 16 * P, MADV_DONTNEED));
	/* and a page in another gigabyte: a PMD and a PTE table more */
	STEP(umm_mmap(mm, BASE + (1UL << 30), P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, BASE + (1UL << 30), P, 1, &code));
	EXPECT_EQ(mm->pgtables_bytes, 5 * P);
	EXPECT_EQ(anon_rss(mm), 1);
	child = umm_mm_fork(mm);
	ASSERT(child);
	EXPECT_EQ(umm_mm_check(child), 0);
	EXPECT_EQ(child->pgtables_bytes, mm->pgtables_bytes);
	EXPECT_EQ(anon_rss(child), 1);
	umm_mm_destroy(child);
	umm_mm_destroy(mm);
}

TEST(test_fork_vma_flags)
{
	struct mm_struct *mm = new_mm(), *child;
	unsigned long a;
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 12 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 12 * P, 1, &code));
	STEP(umm_madvise(mm, a, 4 * P, MADV_DONTFORK));
	STEP(umm_madvise(mm, a + 4 * P, 4 * P, MADV_WIPEONFORK));
	STEP(umm_mlock(mm, a + 8 * P, 4 * P));
	child = umm_mm_fork(mm);
	ASSERT(child);
	EXPECT_EQ(umm_mm_check(child), 0);
	EXPECT(!MMAP_READ(child, find_vma_intersection(child, a, a + 4 * P)));
	EXPECT_EQ(anon_rss(child), 4);		/* wiped: 4 pages not copied */
	EXPECT_EQ(child->locked_vm, 0);
	EXPECT_EQ(child->total_vm, mm->total_vm - 4);
	EXPECT_EQ(peek(child, a + 4 * P), 0);
	EXPECT_EQ(pfn_of(child, a + 4 * P), zero_pfn);
	umm_mm_destroy(mm);
	EXPECT_EQ(umm_mm_check(child), 0);
	umm_mm_destroy(child);
}

TEST(test_munmap_mprotect_mremap)
{
	struct mm_struct *mm = new_mm();
	unsigned long a, pfn, n;
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 16 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 16 * P, 1, &code));
	/* munmap in the middle frees the pages */
	STEP(umm_munmap(mm, a + 4 * P, 4 * P));
	EXPECT_EQ(anon_rss(mm), 12);
	EXPECT_EQ(umm_touch(mm, a + 4 * P, 1, 0, &code), SIGSEGV);
	/* mprotect read-only: PTEs lose RW, the data stays */
	poke(mm, a, 'a');
	STEP(umm_mprotect(mm, a, 4 * P, PROT_READ));
	EXPECT_EQ(umm_touch(mm, a, 1, 1, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_ACCERR);
	EXPECT_EQ(peek(mm, a), 'a');
	/* PROT_NONE keeps the pages (Rss), and back to RW: writable without a fault */
	STEP(umm_mprotect(mm, a, 4 * P, PROT_NONE));
	EXPECT_EQ(anon_rss(mm), 12);
	EXPECT_EQ(umm_touch(mm, a, 1, 0, &code), SIGSEGV);
	STEP(umm_mprotect(mm, a, 4 * P, RW));
	n = mm->min_flt;
	STEP(poke(mm, a + 1, 'b'));
	EXPECT_EQ(mm->min_flt, n);	/* exclusive anon page: made writable by mprotect */
	EXPECT_EQ(peek(mm, a), 'a');
	/* mremap moves the pages with the VMA */
	pfn = pfn_of(mm, a + 8 * P);
	poke(mm, a + 8 * P, 'm');
	STEP(EXPECT_EQ(umm_mremap(mm, a + 8 * P, 8 * P, 16 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
				  BASE + 64 * P), (long)(BASE + 64 * P)));
	EXPECT_EQ(pfn_of(mm, BASE + 64 * P), pfn);
	EXPECT_EQ(peek(mm, BASE + 64 * P), 'm');
	EXPECT_EQ(anon_rss(mm), 12);
	EXPECT_EQ(umm_virt_to_pfn(mm, a + 8 * P, &pfn), -EFAULT);
	/* shrinking frees the tail */
	STEP(umm_mremap(mm, BASE + 64 * P, 16 * P, 4 * P, 0, 0));
	EXPECT_EQ(anon_rss(mm), 8);
	/* brk shrink */
	umm_mm_set_brk_base(mm, BASE + 1024 * P);
	STEP(umm_brk(mm, BASE + 1040 * P));
	STEP(umm_touch(mm, BASE + 1024 * P, 16 * P, 1, &code));
	EXPECT_EQ(anon_rss(mm), 24);
	STEP(umm_brk(mm, BASE + 1028 * P));
	EXPECT_EQ(anon_rss(mm), 12);
	/* MAP_FIXED over touched pages replaces them */
	STEP(umm_mmap(mm, a, 2 * P, RW, FIXED, -1, 0));
	EXPECT_EQ(anon_rss(mm), 10);
	EXPECT_EQ(peek(mm, a), 0);
	umm_mm_destroy(mm);
}

TEST(test_madvise)
{
	struct mm_struct *mm = new_mm(), *child;
	unsigned long a;
	int code = 0;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 8 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 8 * P, 1, &code));
	poke(mm, a + 2 * P, 'x');
	STEP(EXPECT_EQ(umm_madvise(mm, a + 2 * P, 2 * P, MADV_DONTNEED), 0));
	EXPECT_EQ(anon_rss(mm), 6);
	EXPECT_EQ(peek(mm, a + 2 * P), 0);	/* zero-fill on the next access */
	/* MADV_FREE: pages stay, clean and lazily freeable */
	STEP(EXPECT_EQ(umm_madvise(mm, a + 4 * P, 4 * P, MADV_FREE), 0));
	EXPECT_EQ(anon_rss(mm), 6);
	EXPECT(!PageSwapBacked(pfn_to_page(pfn_of(mm, a + 4 * P))));
	EXPECT(PageSwapBacked(pfn_to_page(pfn_of(mm, a))));
	/* a page shared with a child is left alone */
	child = umm_mm_fork(mm);
	ASSERT(child);
	STEP(umm_madvise(mm, a, P, MADV_FREE));
	EXPECT(PageSwapBacked(pfn_to_page(pfn_of(mm, a))));
	umm_mm_destroy(child);
	/* locked: DONTNEED refuses */
	STEP(umm_mlock(mm, a, P));
	EXPECT_EQ(umm_madvise(mm, a, P, MADV_DONTNEED), -EINVAL);
	umm_mm_destroy(mm);
}

TEST(test_populate_and_mlock)
{
	struct mm_struct *mm = new_mm();
	unsigned long a;

	STEP(a = (unsigned long)umm_mmap(mm, 0, 32 * P, RW, ANON | MAP_POPULATE, -1, 0));
	EXPECT_EQ(anon_rss(mm), 32);
	/* read-only populate maps the zero page */
	STEP(a = (unsigned long)umm_mmap(mm, 0, 8 * P, PROT_READ, ANON | MAP_POPULATE, -1, 0));
	EXPECT_EQ(anon_rss(mm), 32);
	EXPECT_EQ(pfn_of(mm, a), zero_pfn);
	STEP(a = (unsigned long)umm_mmap(mm, 0, 8 * P, RW, ANON | MAP_LOCKED, -1, 0));
	EXPECT_EQ(anon_rss(mm), 40);
	STEP(a = (unsigned long)umm_mmap(mm, 0, 8 * P, RW, ANON, -1, 0));
	STEP(EXPECT_EQ(umm_mlock(mm, a, 8 * P), 0));
	EXPECT_EQ(anon_rss(mm), 48);
	/* PROT_NONE: nothing is faulted, mlock says ENOMEM */
	STEP(a = (unsigned long)umm_mmap(mm, 0, 8 * P, PROT_NONE, ANON, -1, 0));
	EXPECT_EQ(umm_mlock(mm, a, 8 * P), -ENOMEM);
	EXPECT_EQ(anon_rss(mm), 48);
	/* a locked read-only private mapping made writable breaks COW */
	STEP(a = (unsigned long)umm_mmap(mm, 0, 4 * P, PROT_READ, ANON | MAP_LOCKED, -1, 0));
	EXPECT_EQ(anon_rss(mm), 48);
	STEP(umm_mprotect(mm, a, 4 * P, RW));
	EXPECT_EQ(anon_rss(mm), 52);
	umm_mm_destroy(mm);
}

/*
 * mlock() whose populate runs out of memory: gup says -ENOMEM, and
 * do_mlock() answers __mlock_posix_error_return(-ENOMEM), -EAGAIN (an
 * inaccessible page, -EFAULT, is -ENOMEM).  The range stays VM_LOCKED.
 */
TEST(test_mlock_out_of_memory_is_eagain)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *vma;
	unsigned long a;

	STEP(a = (unsigned long)umm_mmap(mm, 0, 16 * P, RW, ANON, -1, 0));
	set_injection("fail_page_alloc", 1);
	EXPECT_EQ(umm_mlock(mm, a, 16 * P), -EAGAIN);
	set_injection("fail_page_alloc", 0);
	STEP(vma = MMAP_READ(mm, find_vma(mm, a)));
	ASSERT(vma);
	EXPECT(vma->vm_flags & VM_LOCKED);
	/* with memory, it goes through */
	STEP(EXPECT_EQ(umm_mlock(mm, a, 16 * P), 0));
	EXPECT_EQ(anon_rss(mm), 16);
	/* and PROT_NONE is still -ENOMEM */
	STEP(a = (unsigned long)umm_mmap(mm, 0, 4 * P, PROT_NONE, ANON, -1, 0));
	STEP(EXPECT_EQ(umm_mlock(mm, a, 4 * P), -ENOMEM));
	umm_mm_destroy(mm);
}

/* Every VMA of @mm has exactly @want of VM_LOCKED | VM_LOCKONFAULT. */
static bool all_vmas_locked(struct mm_struct *mm, vm_flags_t want)
{
	struct vm_area_struct *vma;
	bool ok = true;

	mmap_read_lock(mm);
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma)
		ok &= (vma->vm_flags & VM_LOCKED_MASK) == want;
	mmap_read_unlock(mm);
	return ok;
}

static vm_flags_t lock_flags_at(struct mm_struct *mm, unsigned long addr)
{
	return MMAP_READ(mm, find_vma(mm, addr))->vm_flags & VM_LOCKED_MASK;
}

/*
 * mlockall() as mm/mlock.c has it: MCL_CURRENT locks and faults in every
 * VMA now, MCL_FUTURE every later one (mm->def_flags) and leaves the
 * current ones alone, MCL_ONFAULT locks without faulting, munlockall()
 * clears both; bad flags are -EINVAL, RLIMIT_MEMLOCK 0 is -EPERM, and
 * an address space larger than the limit cannot MCL_CURRENT (-ENOMEM).
 */
TEST(test_mlockall)
{
	struct mm_struct *mm = new_mm(), *small;
	unsigned long a, b, c;

	EXPECT_EQ(umm_mlockall(mm, 0), -EINVAL);
	EXPECT_EQ(umm_mlockall(mm, MCL_ONFAULT), -EINVAL);
	EXPECT_EQ(umm_mlockall(mm, MCL_CURRENT | 8), -EINVAL);
	EXPECT_EQ(umm_mlockall(NULL, MCL_CURRENT), -EINVAL);
	STEP(a = (unsigned long)umm_mmap(mm, 0, 16 * P, RW, ANON, -1, 0));
	STEP(b = (unsigned long)umm_mmap(mm, 0, 4 * P, PROT_NONE, ANON, -1, 0));
	STEP(EXPECT_EQ(umm_mlockall(mm, MCL_CURRENT), 0));
	EXPECT(all_vmas_locked(mm, VM_LOCKED));
	EXPECT_EQ(mm->locked_vm, mm->total_vm);
	EXPECT_EQ(anon_rss(mm), 16);		/* faulted in; PROT_NONE is not */
	/* no MCL_FUTURE: a new mapping is not locked */
	STEP(c = (unsigned long)umm_mmap(mm, 0, 8 * P, RW, ANON, -1, 0));
	EXPECT_EQ(lock_flags_at(mm, c), 0);
	/* MCL_FUTURE alone: later mappings are, the current ones stay as they are */
	STEP(EXPECT_EQ(umm_mlockall(mm, MCL_FUTURE), 0));
	EXPECT_EQ(lock_flags_at(mm, a), VM_LOCKED);
	EXPECT_EQ(lock_flags_at(mm, c), 0);
	STEP(c = (unsigned long)umm_mmap(mm, 0, 4 * P, RW, ANON, -1, 0));
	EXPECT_EQ(lock_flags_at(mm, c), VM_LOCKED);
	EXPECT_EQ(anon_rss(mm), 20);
	/* MCL_ONFAULT: locked, not faulted in */
	STEP(EXPECT_EQ(umm_mlockall(mm, MCL_CURRENT | MCL_ONFAULT), 0));
	EXPECT(all_vmas_locked(mm, VM_LOCKED | VM_LOCKONFAULT));
	EXPECT_EQ(anon_rss(mm), 20);
	/* munlockall: nothing locked, now or later */
	STEP(EXPECT_EQ(umm_munlockall(mm), 0));
	EXPECT(all_vmas_locked(mm, 0));
	EXPECT_EQ(mm->locked_vm, 0);
	STEP(c = (unsigned long)umm_mmap(mm, 0, 4 * P, RW, ANON, -1, 0));
	EXPECT_EQ(lock_flags_at(mm, c), 0);
	(void)b;
	umm_mm_destroy(mm);

	/* RLIMIT_MEMLOCK of 8 pages against 16 mapped */
	small = new_mm_memlock(8 * P);
	mm = small;
	STEP(a = (unsigned long)umm_mmap(mm, 0, 16 * P, RW, ANON, -1, 0));
	STEP(EXPECT_EQ(umm_mlockall(mm, MCL_CURRENT), -ENOMEM));
	EXPECT(all_vmas_locked(mm, 0));
	STEP(EXPECT_EQ(umm_mlockall(mm, MCL_FUTURE), 0));
	EXPECT_EQ(umm_mmap(mm, 0, 16 * P, RW, ANON, -1, 0), -EAGAIN);
	STEP(a = (unsigned long)umm_mmap(mm, 0, 4 * P, RW, ANON, -1, 0));
	EXPECT_EQ(lock_flags_at(mm, a), VM_LOCKED);
	umm_mm_destroy(mm);
	mm = new_mm_memlock(0);
	EXPECT_EQ(umm_mlockall(mm, MCL_FUTURE), -EPERM);
	umm_mm_destroy(mm);
}

/* create, populate, fork, unmap, destroy both */
static void fork_cycle(void)
{
	struct mm_struct *mm, *child;
	unsigned long a;
	int code = 0;

	mm = new_mm();
	STEP(a = (unsigned long)umm_mmap(mm, 0, 1024 * P, RW, ANON, -1, 0));
	STEP(umm_touch(mm, a, 1024 * P, 1, &code));
	STEP(umm_touch(mm, BASE, 1, 0, &code));
	child = umm_mm_fork(mm);
	ASSERT(child);
	STEP(umm_touch(child, a, 512 * P, 1, &code));
	STEP(umm_munmap(mm, a + 100 * P, 300 * P));
	umm_mm_destroy(mm);
	EXPECT_EQ(umm_mm_check(child), 0);
	umm_mm_destroy(child);
}

TEST(test_free_pages_restored)
{
	struct mm_struct *keep;
	unsigned long before;
	long av0, avc0, av, avc;

	keep = new_mm();	/* the zero page and the caches stay for the count */
	before = free_pages_settled();
	anon_vma_stats(&av0, &avc0);
	for (int i = 0; i < 3; i++)
		fork_cycle();
	EXPECT_EQ(free_pages_settled(), before);
	anon_vma_stats(&av, &avc);
	EXPECT_EQ(av, av0);	/* every anon_vma and chain went with its VMAs */
	EXPECT_EQ(avc, avc0);
	umm_mm_destroy(keep);
}

/*
 * The host as the oracle: a child of this process maps anonymous memory,
 * does the same touches as umm, and reports Rss and Anonymous of the
 * mapping from /proc/self/smaps.
 */
static long host_smaps_field(unsigned long start, const char *field)
{
	char line[256];
	FILE *f = fopen("/proc/self/smaps", "r");
	bool in = false;
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (sscanf(line, "%lx-%lx ", &s, &e) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			in = s == start;
			continue;
		}
		if (in && !strncmp(line, field, strlen(field))) {
			sscanf(line + strlen(field), " %ld", &v);
			break;
		}
	}
	fclose(f);
	return v;
}

struct touch_op {
	unsigned long off, len;	/* pages */
	int write;
};

static const struct touch_op host_ops[] = {
	{ 0, 8, 0 }, { 2, 3, 1 }, { 10, 20, 1 }, { 40, 1, 0 }, { 41, 5, 1 },
	{ 45, 10, 0 }, { 60, 4, 1 },
};

static void __attribute__((noinline, no_sanitize_address, no_sanitize_thread)) host_do_ops(volatile unsigned char *m)
{
	for (size_t i = 0; i < sizeof(host_ops) / sizeof(host_ops[0]); i++)
		for (unsigned long p = 0; p < host_ops[i].len; p++) {
			volatile unsigned char *q = m + (host_ops[i].off + p) * P;

			if (host_ops[i].write)
				*q = *q;
			else
				(void)*q;
		}
}

TEST(test_rss_against_host)
{
	struct mm_struct *mm = new_mm();
	unsigned long npages = 64, a;
	int pipefd[2], code = 0;
	long host[3] = { -1, -1, -1 }, flt;
	pid_t pid;

	ASSERT_EQ(pipe(pipefd), 0);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		volatile unsigned char *m = mmap(NULL, npages * P, RW, ANON, -1, 0);
		volatile unsigned char *scratch = mmap(NULL, npages * P, RW, ANON, -1, 0);
		struct rusage ru0, ru1;
		long out[3];

		if (m == MAP_FAILED || scratch == MAP_FAILED)
			_exit(1);
		madvise((void *)m, npages * P, MADV_NOHUGEPAGE);
		madvise((void *)scratch, npages * P, MADV_NOHUGEPAGE);
		/* fault in what the count must not see: our stack, host_ops */
		memset(&ru0, 0, sizeof(ru0));
		memset(&ru1, 0, sizeof(ru1));
		/* once on a scratch mapping: the loop's own code pages fault in */
		host_do_ops(scratch);
		getrusage(RUSAGE_SELF, &ru0);
		host_do_ops(m);
		getrusage(RUSAGE_SELF, &ru1);
		munmap((void *)scratch, npages * P);	/* it may have merged with m */
		munmap((void *)(m + 50 * P), 4 * P);	/* a hole, as below */
		out[0] = host_smaps_field((unsigned long)m, "Rss:");
		out[1] = host_smaps_field((unsigned long)m, "Anonymous:");
		out[2] = ru1.ru_minflt - ru0.ru_minflt;
		if (write(pipefd[1], out, sizeof(out)) != sizeof(out))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	EXPECT_EQ(read(pipefd[0], host, sizeof(host)), (long)sizeof(host));
	close(pipefd[0]);
	waitpid(pid, NULL, 0);

	STEP(a = (unsigned long)umm_mmap(mm, 0, npages * P, RW, ANON, -1, 0));
	flt = (long)mm->min_flt;
	for (size_t i = 0; i < sizeof(host_ops) / sizeof(host_ops[0]); i++)
		STEP(umm_touch(mm, a + host_ops[i].off * P, host_ops[i].len * P,
			       host_ops[i].write, &code));
	/* the same faults: zero page on reads, COW of it on later writes */
	if (HOST_FAULTS_EXACT)
		EXPECT_EQ((long)mm->min_flt - flt, host[2]);
	STEP(umm_munmap(mm, a + 50 * P, 4 * P));
	/* Rss of the first VMA: anonymous pages of [a, a + 50 pages) */
	{
		long rss = 0;

		for (unsigned long p = 0; p < 50; p++) {
			unsigned long pfn = pfn_of(mm, a + p * P);

			if (pfn != ~0UL && pfn != zero_pfn)
				rss++;
		}
		EXPECT_EQ(rss * 4, host[0]);
		EXPECT_EQ(rss * 4, host[1]);
	}
	umm_mm_destroy(mm);
}

/*
 * Random operations on three related mms (a parent and two forks), with
 * the full check after each.  Data written is remembered per mm and read
 * back, so COW mistakes show as wrong bytes, not only broken counters.
 */
#define SP	64	/* pages in the playground */
static unsigned char shadow[3][SP];
static bool mapped[3][SP];

static unsigned long long rng = 88172645463325252ULL;
static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

TEST(test_random_stress)
{
	long av0, avc0, av, avc;
	struct mm_struct *mms[3];
	int steps = 3000, code;

	anon_vma_stats(&av0, &avc0);
	mms[0] = new_mm();
	mms[1] = mms[2] = NULL;

	memset(shadow, 0, sizeof(shadow));
	memset(mapped, 0, sizeof(mapped));
	ASSERT_EQ(umm_mmap(mms[0], BASE, SP * P, RW, FIXED, -1, 0), (long)BASE);
	for (int p = 0; p < SP; p++)
		mapped[0][p] = true;
	for (int s = 0; s < steps; s++) {
		int i = (int)rnd(3), op = (int)rnd(12);
		unsigned long p = rnd(SP), n = 1 + rnd(8);
		struct mm_struct *mm = mms[i];

		if (n > SP - p)
			n = SP - p;
		if (!mm) {
			int src = (int)rnd(3);

			if (!mms[src])
				continue;
			mms[i] = umm_mm_fork(mms[src]);
			ASSERT(mms[i]);
			memcpy(shadow[i], shadow[src], SP);
			memcpy(mapped[i], mapped[src], SP);
			ASSERT_EQ(umm_mm_check(mms[i]), 0);
			continue;
		}
		switch (op) {
		case 0: case 1: case 2: {	/* write a byte per page */
			unsigned char v = (unsigned char)(1 + rnd(255));

			for (unsigned long q = p; q < p + n; q++) {
				if (!mapped[i][q])
					continue;
				poke(mm, BASE + q * P, v);
				shadow[i][q] = v;
			}
			break;
		}
		case 3: case 4:			/* read and compare */
			for (unsigned long q = p; q < p + n; q++)
				if (mapped[i][q])
					ASSERT_EQ(peek(mm, BASE + q * P), shadow[i][q]);
			break;
		case 5:				/* munmap */
			ASSERT_EQ(umm_munmap(mm, BASE + p * P, n * P), 0);
			for (unsigned long q = p; q < p + n; q++)
				mapped[i][q] = false, shadow[i][q] = 0;
			break;
		case 6:				/* map again (fresh zero pages) */
			ASSERT_EQ(umm_mmap(mm, BASE + p * P, n * P, RW, FIXED, -1, 0),
				  (long)(BASE + p * P));
			for (unsigned long q = p; q < p + n; q++)
				mapped[i][q] = true, shadow[i][q] = 0;
			break;
		case 7: {			/* mprotect back and forth */
			bool all = true;

			for (unsigned long q = p; q < p + n; q++)
				all &= mapped[i][q];
			if (!all)
				break;
			ASSERT_EQ(umm_mprotect(mm, BASE + p * P, n * P, PROT_READ), 0);
			ASSERT_EQ(umm_touch(mm, BASE + p * P, n * P, 0, &code), 0);
			ASSERT_EQ(umm_mprotect(mm, BASE + p * P, n * P, RW), 0);
			break;
		}
		case 8:				/* DONTNEED */
			umm_madvise(mm, BASE + p * P, n * P, MADV_DONTNEED);
			for (unsigned long q = p; q < p + n; q++)
				shadow[i][q] = 0;
			break;
		case 10: {			/* mremap a range elsewhere */
			unsigned long q = rnd(SP - n + 1);
			long r;

			if (q < p + n && p < q + n)
				break;
			r = umm_mremap(mm, BASE + p * P, n * P, n * P,
				       MREMAP_MAYMOVE | MREMAP_FIXED, BASE + q * P);
			if (r < 0)
				break;		/* e.g. nothing mapped at the start: EFAULT */
			ASSERT_EQ(r, (long)(BASE + q * P));
			/* 6.17+: holes in the source move along as holes */
			for (unsigned long k = 0; k < n; k++) {
				shadow[i][q + k] = shadow[i][p + k];
				mapped[i][q + k] = mapped[i][p + k];
			}
			for (unsigned long k = 0; k < n; k++)
				mapped[i][p + k] = false, shadow[i][p + k] = 0;
			break;
		}
		case 11:			/* MADV_FREE: data stays (no reclaim) */
			umm_madvise(mm, BASE + p * P, n * P, MADV_FREE);
			break;
		case 9:				/* exit, sometimes */
			if (rnd(4))
				break;
			umm_mm_destroy(mm);
			mms[i] = NULL;
			continue;
		}
		ASSERT_EQ(umm_mm_check(mm), 0);
	}
	for (int i = 0; i < 3; i++)
		if (mms[i]) {
			for (unsigned long q = 0; q < SP; q++)
				if (mapped[i][q])
					ASSERT_EQ(peek(mms[i], BASE + q * P), shadow[i][q]);
			umm_mm_destroy(mms[i]);
		}
	anon_vma_stats(&av, &avc);
	EXPECT_EQ(av, av0);
	EXPECT_EQ(avc, avc0);
}

/*
 * Threads faulting in one mm at once (mmap_lock read, page_table_lock
 * around each PTE), overlapping ranges, with forks of the mm going on
 * (mmap_lock write): every byte ends as its last writer left it.
 */
struct fault_thread {
	struct mm_struct *mm;
	unsigned long base;
	int id;
};

static void *fault_thread_fn(void *arg)
{
	struct fault_thread *t = arg;

	for (int round = 0; round < 20; round++)
		for (unsigned long p = 0; p < 256; p++) {
			unsigned long addr = t->base + ((p * 7 + (unsigned long)t->id * 31) % 256) * P;
			unsigned char c = (unsigned char)t->id;
			int code;

			if (p % 2)
				umm_touch(t->mm, addr, 1, 0, &code);
			else
				umm_touch(t->mm, addr, 1, 1, &code);
			/* each thread owns byte id of every page */
			umm_access(t->mm, addr + (unsigned long)t->id, &c, 1, 1);
		}
	return NULL;
}

TEST(test_concurrent_faults)
{
	struct mm_struct *mm = new_mm();
	struct fault_thread t[4];
	pthread_t tid[4];
	unsigned long a;

	STEP(a = (unsigned long)umm_mmap(mm, 0, 256 * P, RW, ANON, -1, 0));
	for (int i = 0; i < 4; i++) {
		t[i] = (struct fault_thread){ .mm = mm, .base = a, .id = i + 1 };
		ASSERT_EQ(pthread_create(&tid[i], NULL, fault_thread_fn, &t[i]), 0);
	}
	for (int i = 0; i < 10; i++) {
		struct mm_struct *child = umm_mm_fork(mm);

		ASSERT(child);
		umm_mm_destroy(child);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(tid[i], NULL);
	STEP((void)0);
	EXPECT_EQ(anon_rss(mm), 256);
	{
		int lost = 0;

		for (unsigned long p = 0; p < 256; p++)
			for (int i = 1; i <= 4; i++)
				lost += peek(mm, a + p * P + (unsigned long)i) != i;
		EXPECT_EQ(lost, 0);
	}
	umm_mm_destroy(mm);
}

/*
 * Out of memory in the middle of fork and faults: every allocation in
 * turn fails once (fail_page_alloc and failslab, the kernel's fault
 * injection).  A fork that fails returns NULL and leaves nothing behind;
 * a fault that fails is SIGBUS; the parent stays consistent throughout,
 * and in the end every page comes back.
 */
TEST(test_fork_and_faults_out_of_memory)
{
	static const char *const which[] = { "fail_page_alloc", "failslab" };
	struct mm_struct *keep = new_mm(), *mm;
	unsigned long before, a;
	int code = 0, failed_forks = 0, sigbus = 0;
	long av0, avc0, av, avc;

	before = free_pages_settled();
	anon_vma_stats(&av0, &avc0);
	mm = new_mm();
	STEP(a = (unsigned long)umm_mmap(mm, BASE, 64 * P, RW, FIXED, -1, 0));
	STEP(umm_mmap(mm, BASE + 1024 * P, 64 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 32 * P, 1, &code));
	STEP(umm_touch(mm, BASE + 1024 * P, 8 * P, 1, &code));
	for (int w = 0; w < 2; w++)
		for (int nth = 1; nth <= 40; nth++) {
			struct mm_struct *child;
			int sig;

			set_injection(which[w], nth);
			child = umm_mm_fork(mm);
			if (child) {
				sig = umm_touch(child, a + (unsigned long)(nth % 64) * P, P, 1, &code);
				sigbus += sig == SIGBUS;
				EXPECT_EQ(umm_mm_check(child), 0);
				umm_mm_destroy(child);
			} else {
				failed_forks++;
			}
			/* a fresh page: the zero page, then the first allocation fails */
			set_injection(which[w], 1);
			sig = umm_touch(mm, BASE + (1032UL + (unsigned long)nth) * P, P, 1, &code);
			if (sig) {
				EXPECT_EQ(sig, SIGBUS);
				EXPECT_EQ(code, BUS_ADRERR);
				sigbus++;
			}
			set_injection(which[w], 0);
			ASSERT_EQ(umm_mm_check(mm), 0);
		}
	EXPECT(failed_forks > 0);
	EXPECT(sigbus > 0);
	umm_mm_destroy(mm);
	EXPECT_EQ(free_pages_settled(), before);
	anon_vma_stats(&av, &avc);
	EXPECT_EQ(av, av0);	/* failed forks unlinked what they had chained */
	EXPECT_EQ(avc, avc0);
	umm_mm_destroy(keep);
}

/*
 * Stack growth against the host: a 4-page MAP_GROWSDOWN stack with a
 * mapping 300 pages below it (readable, then PROT_NONE, which the guard
 * gap ignores), and writes ever further down.  Which ones fault, and how,
 * is the kernel's answer.
 */
static const long stack_probes[] = { 10, 40, 47, 60, 200, 270, 273, 280, 290, 299 };
#define NPROBES (sizeof(stack_probes) / sizeof(stack_probes[0]))

static sigjmp_buf probe_jmp;
static volatile int probe_code;

static void probe_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	probe_code = si->si_code;
	siglongjmp(probe_jmp, 1);
}

static void __attribute__((noinline, no_sanitize_address, no_sanitize_thread))
host_stack_probes(int prot_below, int *out)
{
	struct sigaction sa = { .sa_sigaction = probe_handler, .sa_flags = SA_SIGINFO | SA_NODEFER };
	char *win = mmap(NULL, 2048 * P, PROT_NONE, ANON, -1, 0);
	unsigned long top;

	if (win == MAP_FAILED)
		_exit(1);
	munmap(win, 2048 * P);
	top = (unsigned long)win + 1536 * P;
	if (mmap((void *)(top - 4 * P), 4 * P, RW, FIXED | MAP_GROWSDOWN, -1, 0) == MAP_FAILED ||
	    mmap((void *)(top - 304 * P), P, prot_below, FIXED, -1, 0) == MAP_FAILED)
		_exit(1);
	sigaction(SIGSEGV, &sa, NULL);
	for (size_t i = 0; i < NPROBES; i++) {
		volatile char *q = (volatile char *)(top - (unsigned long)stack_probes[i] * P);

		out[i] = 0;
		if (sigsetjmp(probe_jmp, 1))
			out[i] = probe_code;
		else
			*q = 1;
	}
}

/*
 * Addresses the MMU must not translate: a non-canonical one (bits 63..47
 * not all equal) is a general protection fault on x86-64, SIGSEGV with
 * SI_KERNEL (the host says so, below); a canonical one at or
 * above TASK_SIZE is SEGV_MAPERR.  Neither may alias a user page through
 * the table indices (bits 47 and up are not part of any index).
 */
static int __attribute__((noinline, no_sanitize_address, no_sanitize_thread))
host_touch_code(unsigned long addr)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = probe_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, &old);
	probe_code = 0;
	if (!sigsetjmp(probe_jmp, 1))
		(void)*(volatile char *)addr;
	sigaction(SIGSEGV, &old, NULL);
	return probe_code;
}

TEST(test_non_canonical_addresses)
{
	static const unsigned long bad[] = {
		BASE + (1UL << 48), BASE + (1UL << 47), BASE | (1UL << 63),
		BASE + (1UL << 56), 0xffff800000000000UL + BASE, TASK_SIZE,
		~0UL,	/* the last byte: a range ending there must still touch it */
	};
	struct mm_struct *mm = new_mm();
	int code = 0;
	char c = 'x';

	STEP(umm_mmap(mm, BASE, 4 * P, RW, FIXED, -1, 0));
	STEP(poke(mm, BASE, 'x'));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		long top = (long)bad[i] >> 47;
		int want = top == 0 || top == -1 ? SEGV_MAPERR : SI_KERNEL;

		EXPECT_EQ(host_touch_code(bad[i]), want);
		code = 0;
		EXPECT_EQ(umm_touch(mm, bad[i], 1, 0, &code), SIGSEGV);
		EXPECT_EQ(code, want);
		code = 0;
		EXPECT_EQ(umm_touch(mm, bad[i], 1, 1, &code), SIGSEGV);
		EXPECT_EQ(code, want);
		EXPECT_EQ(umm_access(mm, bad[i], &c, 1, 0), -EFAULT);
		EXPECT_EQ(umm_access(mm, bad[i], &c, 1, 1), -EFAULT);
	}
	/* a length that runs past 2^64 stops at the last byte, and faults there */
	code = 0;
	EXPECT_EQ(umm_touch(mm, ~0UL, ~0UL, 0, &code), SIGSEGV);
	EXPECT_EQ(code, SEGV_MAPERR);
	code = 0;
	EXPECT_EQ(umm_touch(mm, BASE, 4 * P, 1, &code), 0);	/* ends on its own */
	EXPECT_EQ(peek(mm, BASE), 'x');
	umm_mm_destroy(mm);
}

TEST(test_stack_growth_against_host)
{
	for (int prot = 0; prot < 2; prot++) {
		int prot_below = prot ? PROT_NONE : PROT_READ;
		int host[NPROBES], pipefd[2];
		struct mm_struct *mm = new_mm();
		unsigned long top = BASE + 1536 * P;
		pid_t pid;

		ASSERT_EQ(pipe(pipefd), 0);
		pid = fork();
		ASSERT(pid >= 0);
		if (pid == 0) {
			struct rlimit rl = { 8UL << 20, 8UL << 20 };

			setrlimit(RLIMIT_STACK, &rl);
			host_stack_probes(prot_below, host);
			if (write(pipefd[1], host, sizeof(host)) != sizeof(host))
				_exit(1);
			_exit(0);
		}
		close(pipefd[1]);
		ASSERT_EQ(read(pipefd[0], host, sizeof(host)), (long)sizeof(host));
		close(pipefd[0]);
		waitpid(pid, NULL, 0);

		STEP(umm_mmap(mm, top - 4 * P, 4 * P, RW, FIXED | MAP_GROWSDOWN, -1, 0));
		STEP(umm_mmap(mm, top - 304 * P, P, prot_below, FIXED, -1, 0));
		for (size_t i = 0; i < NPROBES; i++) {
			int code = 0, sig;

			STEP(sig = umm_touch(mm, top - (unsigned long)stack_probes[i] * P, 1, 1, &code));
			if (!sig)
				code = 0;
			if (code != host[i])
				fprintf(stderr, "  prot %d, %ld pages down: host si_code %d, umm %d\n",
					prot_below, stack_probes[i], host[i], code);
			EXPECT_EQ(code, host[i]);
		}
		umm_mm_destroy(mm);
	}
}

/*
 * free_pgd_range: the tables of an unmapped range go unless a neighbour
 * still needs them (floor and ceiling are the neighbours' edges).
 *
 *	BASE (1 GiB aligned)   +2M        +4M
 *	|AAAA.......|BBBB.......|           A: 4 pages, B: 4 pages
 */
/*
 * mremap moves a whole PTE table when a 2 MiB-aligned stretch moves to a
 * 2 MiB-aligned place (move_normal_pmd()): with MREMAP_DONTUNMAP the old
 * VMA keeps no empty table there.  Measured on the host (6.18): 512
 * written pages moved so leave VmPTE 16 kB up (PUD, two PMD tables, the
 * PTE table), 16 pages 20 kB (the old empty PTE table stays).
 */
TEST(test_mremap_moves_whole_tables)
{
	static const struct { unsigned long pages, tables; } cases[] = {
		{ 512, 4 }, { 16, 5 }, { 1024, 5 }, { 520, 6 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mm_struct *mm = new_mm();
		unsigned long a = BASE, b = BASE + (1UL << 30), n = cases[i].pages;
		int code = 0;

		STEP(umm_mmap(mm, a, n * P, RW, FIXED, -1, 0));
		STEP(umm_touch(mm, a, n * P, 1, &code));
		STEP(EXPECT_EQ(umm_mremap(mm, a, n * P, n * P,
					  MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, b), (long)b));
		EXPECT_EQ(mm->pgtables_bytes, cases[i].tables * P);
		EXPECT_EQ(anon_rss(mm), n);
		STEP(umm_touch(mm, b, n * P, 0, &code));
		EXPECT_EQ(mm->min_flt, 2 * n);	/* the moved pages are all there */
		umm_mm_destroy(mm);
	}
	/*
	 * A whole gigabyte takes its PMD table along (move_normal_pud()): a
	 * page written every 2 MiB is 512 PTE tables, a PMD and the PUD
	 * table, 2056 kB on the host before and after the move.
	 */
	{
		struct mm_struct *mm = new_mm();
		unsigned long a = BASE, b = BASE + (2UL << 30), o;
		int code = 0;

		STEP(umm_mmap(mm, a, 1UL << 30, RW, FIXED | MAP_NORESERVE, -1, 0));
		for (o = 0; o < 1UL << 30; o += PMD_SIZE)
			umm_touch(mm, a + o, 1, 1, &code);
		EXPECT_EQ(mm->pgtables_bytes, 514 * P);
		STEP(EXPECT_EQ(umm_mremap(mm, a, 1UL << 30, 1UL << 30,
					  MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, b), (long)b));
		EXPECT_EQ(mm->pgtables_bytes, 514 * P);
		EXPECT_EQ(anon_rss(mm), 512);
		umm_mm_destroy(mm);
	}
}

TEST(test_free_pgtables)
{
	struct mm_struct *mm = new_mm();
	int code = 0;

	STEP(umm_mmap(mm, BASE, 4 * P, RW, FIXED, -1, 0));
	STEP(umm_mmap(mm, BASE + PMD_SIZE, 4 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, BASE, 4 * P, 1, &code));
	STEP(umm_touch(mm, BASE + PMD_SIZE, 4 * P, 1, &code));
	EXPECT_EQ(mm->pgtables_bytes, 4 * P);	/* PUD, PMD, two PTE tables */
	/* part of A: its PTE table still maps the rest of A */
	STEP(umm_munmap(mm, BASE, 2 * P));
	EXPECT_EQ(mm->pgtables_bytes, 4 * P);
	/* all of A: its PTE table goes, the PMD table stays for B */
	STEP(umm_munmap(mm, BASE, 4 * P));
	EXPECT_EQ(mm->pgtables_bytes, 3 * P);
	/* B too: nothing is left below the pgd */
	STEP(umm_munmap(mm, BASE + PMD_SIZE, 4 * P));
	EXPECT_EQ(mm->pgtables_bytes, 0);
	/* a neighbour in the same PMD keeps the PTE table */
	STEP(umm_mmap(mm, BASE, 8 * P, RW, FIXED, -1, 0));
	STEP(umm_mprotect(mm, BASE + 4 * P, 4 * P, PROT_READ));
	STEP(umm_touch(mm, BASE, 8 * P, 0, &code));
	STEP(umm_munmap(mm, BASE, 4 * P));
	EXPECT_EQ(mm->pgtables_bytes, 3 * P);
	umm_mm_destroy(mm);
}

/*
 * A private file mapping: reads map page-cache pages (MM_FILEPAGES), a
 * write copies the page into an anonymous one (do_cow_fault, or
 * wp_page_copy over a page already mapped), the file is untouched; fork
 * copies the PTEs of such a VMA (it has an anon_vma), a shared file VMA
 * without one is left to fault again.
 */
TEST(test_private_file_cow)
{
	struct mm_struct *mm = new_mm(), *child;
	char path[] = "/tmp/test_memory.XXXXXX", buf[4 * 4096], c;
	unsigned long a, s;
	int fd, code = 0;

	fd = mkstemp(path);
	ASSERT(fd >= 0);
	unlink(path);
	memset(buf, 'f', sizeof(buf));
	ASSERT_EQ(write(fd, buf, sizeof(buf)), (long)sizeof(buf));
	STEP(a = (unsigned long)umm_mmap(mm, 0, 4 * P, RW, MAP_PRIVATE, fd, 0));
	STEP(s = (unsigned long)umm_mmap(mm, 0, 4 * P, PROT_READ, MAP_SHARED, fd, 0));
	STEP(umm_touch(mm, a, 4 * P, 0, &code));
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 4);
	EXPECT_EQ(anon_rss(mm), 0);
	EXPECT_EQ(peek(mm, a + P), 'f');
	STEP(poke(mm, a + P, 'p'));			/* wp_page_copy of a file page */
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 3);
	EXPECT_EQ(anon_rss(mm), 1);
	STEP(umm_madvise(mm, a + 2 * P, P, MADV_DONTNEED));
	STEP(poke(mm, a + 2 * P, 'q'));		/* do_cow_fault */
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 2);
	EXPECT_EQ(anon_rss(mm), 2);
	ASSERT_EQ(pread(fd, &c, 1, (long)P), 1);
	EXPECT_EQ(c, 'f');				/* the file never sees it */
	STEP(umm_touch(mm, s, 4 * P, 0, &code));
	EXPECT_EQ(peek(mm, s + P), 'f');
	EXPECT_EQ(get_mm_counter(mm, MM_FILEPAGES), 6);

	child = umm_mm_fork(mm);
	ASSERT(child);
	EXPECT_EQ(umm_mm_check(child), 0);
	EXPECT_EQ(anon_rss(child), 2);
	EXPECT_EQ(get_mm_counter(child, MM_FILEPAGES), 2);	/* not the shared VMA's */
	EXPECT_EQ(umm_virt_to_pfn(child, s, &(unsigned long){ 0 }), -EFAULT);
	EXPECT_EQ(peek(child, a + P), 'p');
	EXPECT_EQ(peek(child, s + P), 'f');
	STEP(poke(child, a + P, 'c'));
	EXPECT_EQ(peek(mm, a + P), 'p');
	EXPECT_EQ(peek(child, a + P), 'c');
	umm_mm_destroy(child);
	umm_mm_destroy(mm);
	close(fd);
}

/*
 * Fault counts against the host, op by op: the same scripts run in a
 * child of this process (on real memory, faults read with getrusage())
 * and in umm; every touch must take as many faults on both.  The scripts
 * probe what decides whether a write faults: COW after fork, mprotect's
 * write upgrade (can_change_pte_writable: only exclusive anonymous pages),
 * reuse once the other side is gone, MADV_DONTNEED and MADV_FREE, mlock.
 */
enum { H_MAP, H_READ, H_WRITE, H_FORK, H_UNFORK, H_PROT, H_DONTNEED, H_FREE, H_MLOCK,
       H_MOVE, H_END };

struct hop {
	int op;
	unsigned long off, len;	/* pages */
	int prot;		/* H_MOVE: the page to move to */
};

static const struct hop host_scripts[][16] = {
	{	/* COW after fork survives mprotect; the last mapping reuses */
		{ H_MAP, 0, 16, RW }, { H_WRITE, 0, 16, 0 }, { H_FORK, 0, 0, 0 }, { H_PROT, 0, 16, PROT_READ },
		{ H_PROT, 0, 16, RW }, { H_WRITE, 0, 8, 0 }, { H_UNFORK, 0, 0, 0 }, { H_WRITE, 8, 8, 0 },
		{ H_WRITE, 0, 16, 0 }, { H_END, 0, 0, 0 } },
	{	/* exclusive pages: mprotect makes them writable again */
		{ H_MAP, 0, 16, RW }, { H_READ, 0, 16, 0 }, { H_WRITE, 0, 16, 0 },
		{ H_PROT, 0, 16, PROT_READ }, { H_PROT, 0, 16, RW }, { H_WRITE, 0, 16, 0 },
		{ H_DONTNEED, 4, 4, 0 }, { H_WRITE, 0, 16, 0 }, { H_FREE, 8, 4, 0 }, { H_WRITE, 8, 4, 0 },
		{ H_READ, 0, 16, 0 }, { H_END, 0, 0, 0 } },
	{	/* the zero page after PROT_NONE and back; mlock populates */
		{ H_MAP, 0, 16, RW }, { H_READ, 0, 8, 0 }, { H_PROT, 0, 16, PROT_NONE },
		{ H_PROT, 0, 16, RW }, { H_READ, 0, 8, 0 }, { H_WRITE, 0, 4, 0 }, { H_MLOCK, 8, 8, 0 },
		{ H_WRITE, 8, 8, 0 }, { H_FORK, 0, 0, 0 }, { H_WRITE, 0, 16, 0 }, { H_UNFORK, 0, 0, 0 }, { H_END, 0, 0, 0 } },
	{	/* read-only private memory made writable: zero pages stay COW */
		{ H_MAP, 0, 8, PROT_READ }, { H_READ, 0, 8, 0 }, { H_PROT, 0, 8, RW },
		{ H_WRITE, 0, 8, 0 }, { H_FORK, 0, 0, 0 }, { H_READ, 0, 8, 0 }, { H_WRITE, 0, 2, 0 }, { H_UNFORK, 0, 0, 0 },
		{ H_WRITE, 0, 8, 0 }, { H_END, 0, 0, 0 } },
	{	/* mremap moves pages with their COW state */
		{ H_MAP, 0, 8, RW }, { H_WRITE, 0, 8, 0 }, { H_FORK, 0, 0, 0 },
		{ H_MOVE, 0, 8, 32 }, { H_WRITE, 32, 4, 0 }, { H_UNFORK, 0, 0, 0 },
		{ H_WRITE, 32, 8, 0 }, { H_MOVE, 34, 4, 48 }, { H_WRITE, 48, 4, 0 },
		{ H_READ, 32, 2, 0 }, { H_END, 0, 0, 0 } },
};

static void __attribute__((noinline, no_sanitize_address, no_sanitize_thread))
host_run_touch(volatile unsigned char *m, unsigned long len, bool write)
{
	for (unsigned long p = 0; p < len; p++) {
		unsigned char c = m[p * P];

		if (write)
			m[p * P] = c;
	}
}

/* In a child: run @script on real memory, return the faults of each op. */
static void host_run_script(const struct hop *script, long *faults)
{
	unsigned char *win = mmap(NULL, 64 * P, PROT_NONE, ANON, -1, 0), *scratch;
	int hold[2] = { -1, -1 };
	pid_t holder = -1;

	scratch = mmap(NULL, P, RW, ANON, -1, 0);
	if (win == MAP_FAILED || scratch == MAP_FAILED)
		_exit(1);
	host_run_touch(scratch, 1, true);	/* the loop's code and our stack, faulted */
	for (int i = 0; script[i].op != H_END; i++) {
		const struct hop *h = &script[i];
		unsigned char *at = win + h->off * P;
		struct rusage r0, r1;

		memset(&r0, 0, sizeof(r0));
		memset(&r1, 0, sizeof(r1));
		getrusage(RUSAGE_SELF, &r0);
		switch (h->op) {
		case H_MAP:
			if (mmap(at, h->len * P, h->prot, FIXED, -1, 0) == MAP_FAILED)
				_exit(1);
			madvise(at, h->len * P, MADV_NOHUGEPAGE);
			break;
		case H_READ: case H_WRITE:
			host_run_touch(at, h->len, h->op == H_WRITE);
			break;
		case H_FORK:
			if (pipe(hold))
				_exit(1);
			holder = fork();
			if (holder == 0) {
				char c;

				if (read(hold[0], &c, 1) < 0)
					_exit(1);
				_exit(0);
			}
			break;
		case H_UNFORK:
			if (write(hold[1], "x", 1) != 1)
				_exit(1);
			waitpid(holder, NULL, 0);
			break;
		case H_PROT:
			mprotect(at, h->len * P, h->prot);
			break;
		case H_DONTNEED:
			madvise(at, h->len * P, MADV_DONTNEED);
			break;
		case H_FREE:
			madvise(at, h->len * P, MADV_FREE);
			break;
		case H_MLOCK:
			if (syscall(SYS_mlock, at, h->len * P))
				_exit(2);
			break;
		case H_MOVE:
			if (mremap(at, h->len * P, h->len * P, MREMAP_MAYMOVE | MREMAP_FIXED,
				   win + (unsigned long)h->prot * P) == MAP_FAILED)
				_exit(3);
			break;
		}
		getrusage(RUSAGE_SELF, &r1);
		faults[i] = r1.ru_minflt - r0.ru_minflt;
	}
}

static void umm_run_script(const struct hop *script, long *faults)
{
	struct mm_struct *mm = new_mm(), *child = NULL;
	int code;

	for (int i = 0; script[i].op != H_END; i++) {
		const struct hop *h = &script[i];
		unsigned long at = BASE + h->off * P, len = h->len * P;
		unsigned long flt = mm->min_flt;

		switch (h->op) {
		case H_MAP:
			ASSERT_EQ(umm_mmap(mm, at, len, h->prot, FIXED, -1, 0), (long)at);
			break;
		case H_READ: case H_WRITE:
			ASSERT_EQ(umm_touch(mm, at, len, h->op == H_WRITE, &code), 0);
			break;
		case H_FORK:
			child = umm_mm_fork(mm);
			ASSERT(child);
			break;
		case H_UNFORK:
			umm_mm_destroy(child);
			child = NULL;
			break;
		case H_PROT:
			ASSERT_EQ(umm_mprotect(mm, at, len, h->prot), 0);
			break;
		case H_DONTNEED:
			ASSERT_EQ(umm_madvise(mm, at, len, MADV_DONTNEED), 0);
			break;
		case H_FREE:
			ASSERT_EQ(umm_madvise(mm, at, len, MADV_FREE), 0);
			break;
		case H_MLOCK:
			ASSERT_EQ(umm_mlock(mm, at, len), 0);
			break;
		case H_MOVE:
			ASSERT_EQ(umm_mremap(mm, at, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
					     BASE + (unsigned long)h->prot * P),
				  (long)(BASE + (unsigned long)h->prot * P));
			break;
		}
		ASSERT_EQ(umm_mm_check(mm), 0);
		faults[i] = (long)(mm->min_flt - flt);
	}
	if (child)
		umm_mm_destroy(child);
	umm_mm_destroy(mm);
}

static const char *const hop_names[] = { "map", "read", "write", "fork", "unfork",
					  "mprotect", "dontneed", "free", "mlock", "mremap" };

/* One run of @script in a forked child: its per-step fault counts in @host. */
static void host_faults_once(const struct hop *script, long *host, size_t size)
{
	int pipefd[2], status = 0;
	pid_t pid;

	ASSERT_EQ(pipe(pipefd), 0);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		host_run_script(script, host);
		if (write(pipefd[1], host, size) != (ssize_t)size)
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(read(pipefd[0], host, size), (long)size);
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	ASSERT_EQ(status, 0);
}

/*
 * The host's counts are the least of three runs: what else happens to the
 * process meanwhile (a page migrated by compaction or NUMA balancing, a
 * text page faulted back in on a loaded machine) can only add faults, and
 * did, once in about 40 runs under load (9 for an 8-page write).
 */
#define HOST_FAULT_RUNS 3

TEST(test_faults_against_host)
{
	for (size_t n = 0; n < sizeof(host_scripts) / sizeof(host_scripts[0]); n++) {
		const struct hop *script = host_scripts[n];
		long host[16] = { 0 }, umm[16] = { 0 }, run[16];

		for (int r = 0; r < HOST_FAULT_RUNS; r++) {
			host_faults_once(script, run, sizeof(run));
			for (int i = 0; i < 16; i++)
				host[i] = r == 0 || run[i] < host[i] ? run[i] : host[i];
		}
		umm_run_script(script, umm);
		for (int i = 0; script[i].op != H_END; i++) {
			/* only touches count: the rest faults in libc and the stack */
			if (script[i].op != H_READ && script[i].op != H_WRITE)
				continue;
			if (host[i] != umm[i])
				fprintf(stderr, "  script %zu op %d (%s %lu+%lu): host %ld faults, umm %ld\n",
					n, i, hop_names[script[i].op], script[i].off, script[i].len,
					host[i], umm[i]);
			if (HOST_FAULTS_EXACT)
				EXPECT_EQ(umm[i], host[i]);
		}
	}
}

/* A /proc/meminfo field of umm, in kB. */
static long meminfo_kb(const char *field)
{
	static char buf[8192];
	const char *p;
	long v = -1;

	if (umm_proc_read("/proc/meminfo", buf, sizeof(buf)) <= 0)
		return -1;
	p = strstr(buf, field);
	if (p)
		sscanf(p + strlen(field), " %ld", &v);
	return v;
}

/*
 * mlock and the pages: mapped in a locked VMA, a page is PG_mlocked
 * (Mlocked: and Unevictable: in meminfo) and MADV_PAGEOUT leaves it; munlock,
 * munmap and exit clear it.  fork does not inherit it.  mremap with
 * MREMAP_DONTUNMAP unlocks the whole old VMA without munlocking what stays
 * there: those pages stay mlocked (the kernel's behaviour), until freed.
 * Page tables count in PageTables:, the pgd too.
 */
TEST(test_mlocked_pages)
{
	struct mm_struct *mm, *child;
	long mlocked0 = meminfo_kb("Mlocked:"), pt0 = meminfo_kb("PageTables:");
	unsigned long a;
	int code = 0;

	mm = new_mm();
	EXPECT_EQ(meminfo_kb("PageTables:") - pt0, 4);	/* the pgd */
	STEP(a = (unsigned long)umm_mmap(mm, BASE, 16 * P, RW, FIXED, -1, 0));
	STEP(umm_touch(mm, a, 8 * P, 1, &code));
	EXPECT_EQ(meminfo_kb("PageTables:") - pt0, 16);	/* pgd, PUD, PMD, PTE */
	STEP(EXPECT_EQ(umm_mlock(mm, a, 16 * P), 0));
	EXPECT_EQ(meminfo_kb("Mlocked:") - mlocked0, 64);
	EXPECT_EQ(meminfo_kb("Unevictable:") - mlocked0, 64);
	EXPECT(PageMlocked(pfn_to_page(pfn_of(mm, a))));
	EXPECT(PageMlocked(pfn_to_page(pfn_of(mm, a + 15 * P))));	/* populated */
	/* the child's VMA is not locked: nothing more is mlocked */
	child = umm_mm_fork(mm);
	ASSERT(child);
	STEP(umm_touch(child, a, P, 1, &code));	/* a COW copy, not mlocked */
	EXPECT(!PageMlocked(pfn_to_page(pfn_of(child, a))));
	umm_mm_destroy(child);
	EXPECT_EQ(meminfo_kb("Mlocked:") - mlocked0, 64);
	/* munlock of half, munmap of a quarter */
	STEP(umm_munlock(mm, a, 8 * P));
	EXPECT_EQ(meminfo_kb("Mlocked:") - mlocked0, 32);
	EXPECT(!PageMlocked(pfn_to_page(pfn_of(mm, a))));
	STEP(umm_munmap(mm, a + 12 * P, 4 * P));
	EXPECT_EQ(meminfo_kb("Mlocked:") - mlocked0, 16);
	/* MADV_PAGEOUT leaves locked VMAs alone (EINVAL) */
	EXPECT_EQ(umm_madvise(mm, a + 8 * P, 4 * P, MADV_PAGEOUT), -EINVAL);
	/* DONTUNMAP of 2 of the 4 locked pages: the other 2 stay mlocked in an unlocked VMA */
	STEP(EXPECT(umm_mremap(mm, a + 8 * P, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			       0) > 0));
	EXPECT(!(MMAP_READ(mm, find_vma(mm, a + 10 * P))->vm_flags & VM_LOCKED));
	EXPECT(PageMlocked(pfn_to_page(pfn_of(mm, a + 10 * P))));
	EXPECT_EQ(meminfo_kb("Mlocked:") - mlocked0, 16);
	STEP(EXPECT_EQ(umm_madvise(mm, a + 10 * P, 2 * P, MADV_PAGEOUT), 0));
	EXPECT(pfn_of(mm, a + 10 * P) != ~0UL);	/* unevictable: still mapped */
	umm_mm_destroy(mm);
	EXPECT_EQ(meminfo_kb("Mlocked:"), mlocked0);
	EXPECT_EQ(meminfo_kb("PageTables:"), pt0);
}

/*
 * VMA merging after fork, against the host: a forked VMA (its anon_vma
 * chain is not singular) must not lend its anon_vma to a neighbour, so a
 * new mapping next to it stays apart in the child where it merges in the
 * parent (vma_is_fork_child(), find_mergeable_anon_vma()).  Both sides
 * print their VMAs of the window as "start-end perms" relative to it.
 */
static void window_maps(char *out, size_t size, unsigned long base, unsigned long len,
			const char *maps)
{
	const char *line = maps;
	size_t n = 0;

	out[0] = 0;
	while (line && *line) {
		unsigned long s0, e0;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s", &s0, &e0, perms) == 3 && s0 >= base &&
		    e0 <= base + len)
			n += (size_t)snprintf(out + n, size - n, "%lu-%lu %s;", (s0 - base) / P,
					      (e0 - base) / P, perms);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
}

static void fork_merge_ops(int step, unsigned long base, void *ctx, bool host)
{
	struct mm_struct *mm = ctx;
	int code;

	switch (step) {
	case 0:		/* a new mapping right after the forked one */
		if (host)
			mmap((void *)(base + 8 * P), 4 * P, RW, FIXED, -1, 0);
		else
			umm_mmap(mm, base + 8 * P, 4 * P, RW, FIXED, -1, 0);
		break;
	case 1:		/* fault it, then a protection change back and forth */
		if (host) {
			for (int i = 8; i < 12; i++)
				((volatile char *)base)[i * P] = 1;
			mprotect((void *)(base + 8 * P), 4 * P, PROT_READ);
			mprotect((void *)(base + 8 * P), 4 * P, RW);
		} else {
			umm_touch(mm, base + 8 * P, 4 * P, 1, &code);
			umm_mprotect(mm, base + 8 * P, 4 * P, PROT_READ);
			umm_mprotect(mm, base + 8 * P, 4 * P, RW);
		}
		break;
	case 2:		/* split the forked VMA and join it again */
		if (host) {
			mprotect((void *)(base + 2 * P), 2 * P, PROT_READ);
			mprotect((void *)(base + 2 * P), 2 * P, RW);
		} else {
			umm_mprotect(mm, base + 2 * P, 2 * P, PROT_READ);
			umm_mprotect(mm, base + 2 * P, 2 * P, RW);
		}
		break;
	case 3:		/* a new mapping before it, unfaulted */
		if (host)
			mmap((void *)(base - 2 * P), 2 * P, RW, FIXED, -1, 0);
		else
			umm_mmap(mm, base - 2 * P, 2 * P, RW, FIXED, -1, 0);
		break;
	}
}

TEST(test_fork_merge_against_host)
{
	const int nsteps = 4;
	char host[4][512], mine[4][512], parent[512];
	static char maps[1 << 20];	/* a sanitizer's process has long maps */
	unsigned long base = BASE + 64 * P;
	int pipefd[2];
	pid_t pid;

	ASSERT_EQ(pipe(pipefd), 0);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		/* the host: map, fault, fork; the grandchild does the steps */
		char *win = mmap(NULL, 64 * P, PROT_NONE, ANON, -1, 0);
		unsigned long hb;
		int st;

		if (win == MAP_FAILED)
			_exit(1);
		munmap(win, 64 * P);
		hb = (unsigned long)win + 16 * P;
		if (mmap((void *)hb, 8 * P, RW, FIXED, -1, 0) == MAP_FAILED)
			_exit(1);
		for (int i = 0; i < 8; i++)
			((volatile char *)hb)[i * P] = 1;
		pid = fork();
		if (pid == 0) {
			for (int i = 0; i < nsteps; i++) {
				int fd;
				size_t len = 0;
				ssize_t n;

				fork_merge_ops(i, hb, NULL, true);
				fd = open("/proc/self/maps", O_RDONLY);
				while ((n = read(fd, maps + len, sizeof(maps) - 1 - len)) > 0)
					len += (size_t)n;
				maps[len] = 0;
				close(fd);
				window_maps(host[i], sizeof(host[i]), hb - 8 * P, 32 * P, maps);
			}
			if (write(pipefd[1], host, sizeof(host)) != sizeof(host))
				_exit(1);
			_exit(0);
		}
		waitpid(pid, &st, 0);
		_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
	}
	close(pipefd[1]);
	ASSERT_EQ(read(pipefd[0], host, sizeof(host)), (long)sizeof(host));
	close(pipefd[0]);
	waitpid(pid, NULL, 0);

	{
		struct mm_struct *mm = new_mm(), *child;
		int code;

		STEP(umm_mmap(mm, base, 8 * P, RW, FIXED, -1, 0));
		STEP(umm_touch(mm, base, 8 * P, 1, &code));
		child = umm_mm_fork(mm);
		ASSERT(child);
		for (int i = 0; i < nsteps; i++) {
			fork_merge_ops(i, base, child, false);
			ASSERT_EQ(umm_mm_check(child), 0);
			ASSERT(umm_mm_show(child, "maps", maps, sizeof(maps)) > 0);
			window_maps(mine[i], sizeof(mine[i]), base - 8 * P, 32 * P, maps);
			EXPECT_STREQ(mine[i], host[i]);
		}
		/* the parent, not a fork child, merges the same new mapping */
		STEP(umm_mmap(mm, base + 8 * P, 4 * P, RW, FIXED, -1, 0));
		ASSERT(umm_mm_show(mm, "maps", maps, sizeof(maps)) > 0);
		window_maps(parent, sizeof(parent), base - 8 * P, 32 * P, maps);
		EXPECT_STREQ(parent, "8-20 rw-p;");
		umm_mm_destroy(child);
		umm_mm_destroy(mm);
	}
}

/*
 * The zero page across a shutdown and a boot: it goes with the last mm
 * (init's and init_mm, at shutdown) and a new boot's first mm makes a
 * new one (no frame of a dead boot).
 */
TEST(test_zero_page_across_reboot)
{
	struct mm_struct *mm;
	unsigned long a;
	int code = 0;

	mm = new_mm();
	EXPECT(zero_pfn != 0);
	umm_mm_destroy(mm);
	EXPECT(zero_pfn != 0);		/* init's mm keeps it */
	umm_shutdown();
	EXPECT_EQ(zero_pfn, 0);		/* no mm: no zero page */
	ASSERT_EQ(umm_boot("mem=128M"), 0);
	mm = new_mm();
	ASSERT(zero_pfn && zero_pfn < max_pfn);
	EXPECT(PageReserved(pfn_to_page(zero_pfn)));
	STEP(a = (unsigned long)umm_mmap(mm, 0, 4 * P, RW, ANON, -1, 0));
	STEP(umm_touch(mm, a, 4 * P, 0, &code));
	EXPECT_EQ(pfn_of(mm, a), zero_pfn);
	EXPECT_EQ(peek(mm, a + 3 * P + 17), 0);
	umm_mm_destroy(mm);
}

/*
 * The checker's own allocation may grow memory: with no free page above
 * the low watermark, umm_mm_check()'s per-PFN count array (vmalloc, may
 * block) hot-adds a section, and max_pfn moves on under the check.  The
 * check covers the PFNs that were there when it started; it used to read
 * on to the new max_pfn, past its array's end.
 */
TEST(test_check_while_memory_grows)
{
	struct mm_struct *mm;
	unsigned long before, n = 0, a;
	struct page **pages, *page;
	int code = 0;

	/* growth on demand, which mem= alone does not allow */
	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=128M umm.hotplug=1"), 0);
	mm = new_mm();
	STEP(a = (unsigned long)umm_mmap(mm, 0, 4 * P, RW, ANON, -1, 0));
	STEP(EXPECT_EQ(umm_touch(mm, a, 4 * P, 1, &code), 0));
	before = max_pfn;
	pages = calloc(before, sizeof(*pages));
	ASSERT(pages);
	/* take every page an allocation that may not block can get */
	while (n < before && (page = alloc_pages(GFP_NOWAIT | __GFP_NOWARN, 0)))
		pages[n++] = page;
	EXPECT_EQ(max_pfn, before);
	EXPECT_EQ(umm_mm_check(mm), 0);
	EXPECT(max_pfn > before);	/* the case under test did happen */
	while (n)
		__free_pages(pages[--n], 0);
	free(pages);
	STEP((void)0);
	umm_mm_destroy(mm);
}

/*
 * Faults racing VMA changes: threads touch a range while the main thread
 * flips its protection, zaps it, moves part of it away and back, and
 * forks; accesses may fault with SIGSEGV at any moment, nothing may break.
 */
struct race_thread {
	struct mm_struct *mm;
	unsigned long base;
	int id, sig[3];
	volatile int *stop;
};

static void *race_thread_fn(void *arg)
{
	struct race_thread *t = arg;
	unsigned long n = 0;

	while (!__atomic_load_n(t->stop, __ATOMIC_ACQUIRE)) {
		int code = 0, sig;

		sig = umm_touch(t->mm, t->base + ((n * 13 + (unsigned long)t->id) % 64) * P,
				2 * P, (int)(n & 1), &code);
		__atomic_fetch_add(&t->sig[sig == SIGSEGV ? 1 : sig ? 2 : 0], 1, __ATOMIC_RELAXED);
		n++;
	}
	return NULL;
}

TEST(test_faults_racing_vma_changes)
{
	struct mm_struct *mm = new_mm();
	struct race_thread t[3];
	pthread_t tid[3];
	volatile int stop = 0;
	unsigned long a;

	STEP(a = (unsigned long)umm_mmap(mm, BASE, 66 * P, RW, FIXED, -1, 0));
	for (int i = 0; i < 3; i++) {
		t[i] = (struct race_thread){ .mm = mm, .base = a, .id = i, .stop = &stop };
		ASSERT_EQ(pthread_create(&tid[i], NULL, race_thread_fn, &t[i]), 0);
	}
	for (int r = 0; r < 300; r++) {
		unsigned long off = (unsigned long)(r % 60) * P;
		struct mm_struct *child;

		umm_mprotect(mm, a + off, 4 * P, PROT_READ);
		umm_madvise(mm, a + off + 8 * P, 4 * P, MADV_DONTNEED);
		umm_mprotect(mm, a + off, 4 * P, RW);
		if (r % 5 == 0) {
			/* away and back: the range is a hole in between */
			umm_mremap(mm, a + 32 * P, 8 * P, 8 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
				   BASE + 1024 * P);
			umm_mremap(mm, BASE + 1024 * P, 8 * P, 8 * P,
				   MREMAP_MAYMOVE | MREMAP_FIXED, a + 32 * P);
		}
		if (r % 10 == 0) {
			child = umm_mm_fork(mm);
			ASSERT(child);
			umm_mm_destroy(child);
		}
	}
	/* the changes are over: every thread now gets through (a minute at most:
	 * a loaded 2-CPU machine under TSan can starve a thread for seconds) */
	for (int w = 0; w < 60000; w++) {
		bool all = true;

		for (int i = 0; i < 3; i++)
			all &= __atomic_load_n(&t[i].sig[0], __ATOMIC_RELAXED) > 0;
		if (all)
			break;
		usleep(1000);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int i = 0; i < 3; i++) {
		pthread_join(tid[i], NULL);
		EXPECT_EQ(t[i].sig[2], 0);	/* only ever SIGSEGV */
		EXPECT(t[i].sig[0] > 0);
	}
	STEP((void)0);
	umm_mm_destroy(mm);
}

int main(void)
{
	RUN(test_zero_page_on_read);
	RUN(test_write_fault_and_counters);
	RUN(test_segv_codes);
	RUN(test_non_canonical_addresses);
	RUN(test_stack_growth);
	RUN(test_stack_growth_against_host);
	RUN(test_cow_after_fork);
	RUN(test_fork_vma_flags);
	RUN(test_fork_copies_empty_tables);
	RUN(test_fork_merge_against_host);
	RUN(test_private_file_cow);
	RUN(test_munmap_mprotect_mremap);
	RUN(test_free_pgtables);
	RUN(test_mremap_moves_whole_tables);
	RUN(test_madvise);
	RUN(test_populate_and_mlock);
	RUN(test_mlocked_pages);
	RUN(test_mlock_out_of_memory_is_eagain);
	RUN(test_mlockall);
	RUN(test_free_pages_restored);
	RUN(test_rss_against_host);
	RUN(test_faults_against_host);
	RUN(test_random_stress);
	RUN(test_concurrent_faults);
	RUN(test_faults_racing_vma_changes);
	RUN(test_fork_and_faults_out_of_memory);
	RUN(test_zero_page_across_reboot);
	RUN(test_check_while_memory_grows);
	TEST_EXIT();
}
