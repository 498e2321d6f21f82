// SPDX-License-Identifier: GPL-2.0
/*
 * test_mmap.c - unit tests of process address spaces: mm/mmap.c,
 * mm/vma.c, mm/mprotect.c, mm/mremap.c and fs/proc/task_mmu.c.
 *
 * Each test makes a fresh mm and checks umm_mm_check() after every step
 * (STEP()).  Layouts are drawn as tools/testing/vma draws them: one
 * character per page from a base address, a letter per VMA, '.' for a
 * hole; layout() renders the mm the same way so that a test compares
 * against the drawing:
 *
 *	 0123456789
 *	 AAA.BBCC..	A: pages 0-2, B: 4-5, C: 6-7 (B and C differ)
 *
 * layout() names VMAs A, B, C... in address order, so a drawing says
 * where the boundaries are, not which VMA survived a merge.
 */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "tests/test.h"
#include "mm/internal.h"
#include "tests/mm_helpers.h"
#include <umm/pgtable.h>

static struct mm_struct *new_mm(void)
{
	return new_mm_memlock(64UL << 10);	/* small: the mlock tests hit it */
}

/* The drawing of [base, base + npages * P): see the head comment. */
static const char *layout(struct mm_struct *mm, unsigned long base, int npages)
{
	static char buf[256];
	struct vm_area_struct *vma;
	char name = 'A';

	memset(buf, '.', (size_t)npages);
	buf[npages] = '\0';
	mmap_read_lock(mm);
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma) {
		long s = ((long)vma->vm_start - (long)base) / (long)P;
		long e = ((long)vma->vm_end - (long)base) / (long)P;

		if (e <= 0 || s >= npages)
			continue;
		for (long i = s < 0 ? 0 : s; i < e && i < npages; i++)
			buf[i] = name;
		name++;
	}
	mmap_read_unlock(mm);
	return buf;
}

static struct vm_area_struct *vma_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	mmap_read_unlock(mm);
	return vma;
}

static vm_flags_t flags_at(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(mm, addr);

	return vma ? vma->vm_flags : 0;
}

static long map_fixed(struct mm_struct *mm, unsigned long page, unsigned long pages,
		      int prot)
{
	return umm_mmap(mm, BASE + page * P, pages * P, prot, FIXED, -1, 0);
}

static char maps[1 << 16];

static const char *show_maps(struct mm_struct *mm)
{
	ssize_t n = umm_mm_show(mm, "maps", maps, sizeof(maps));

	return n < 0 ? "" : maps;
}

/* ---- layout and placement ---- */

TEST(test_layout)
{
	struct mm_struct *mm = new_mm();

	/* 8 MiB + 1 MiB guard gap < 128 MiB: mmap_base = TASK_SIZE - 128 MiB */
	EXPECT_EQ(TASK_SIZE, 0x7ffffffff000UL);
	EXPECT_EQ(mm->mmap_base, 0x7ffff7fff000UL);
	EXPECT_EQ(mm->mmap_legacy_base, PAGE_ALIGN(TASK_SIZE / 3));
	EXPECT(mm->flags & (1UL << MMF_TOPDOWN));
	/* 1 TiB of stack: the gap is 1 TiB + 1 MiB */
	umm_mm_setrlimit(mm, RLIMIT_STACK, 1UL << 40);
	EXPECT_EQ(mm->mmap_base, TASK_SIZE - (1UL << 40) - (1UL << 20));
	/* unlimited: clamped to 5/6 of TASK_SIZE */
	umm_mm_setrlimit(mm, RLIMIT_STACK, ~0UL);
	EXPECT_EQ(mm->mmap_base, PAGE_ALIGN(TASK_SIZE - TASK_SIZE / 6 * 5));
	umm_mm_destroy(mm);

	/* bottom-up */
	ASSERT_EQ(umm_param_set("umm.legacy_va_layout=1"), 0);
	mm = new_mm();
	EXPECT(!(mm->flags & (1UL << MMF_TOPDOWN)));
	EXPECT_EQ(mm->mmap_base, mm->mmap_legacy_base);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, ANON, -1, 0), (long)mm->mmap_legacy_base);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, ANON, -1, 0), (long)mm->mmap_legacy_base + (long)P);
	STEP();
	umm_mm_destroy(mm);
	ASSERT_EQ(umm_param_set("umm.legacy_va_layout=0"), 0);
}

TEST(test_aslr)
{
	unsigned long base1, base2, base3;
	struct mm_struct *mm;

	umm_shutdown();
	ASSERT_EQ(umm_boot("umm.aslr_seed=42"), 0);
	mm = new_mm();
	base1 = mm->mmap_base;
	umm_mm_destroy(mm);
	mm = new_mm();
	base2 = mm->mmap_base;
	umm_mm_destroy(mm);
	/* 28 random bits of pages below TASK_SIZE - (8M + 16G + 1M) */
	EXPECT(PAGE_ALIGNED(base1));
	EXPECT(base1 <= TASK_SIZE - (8UL << 20) - (0x3fffffUL << 12) - (1UL << 20));
	EXPECT(base1 >= TASK_SIZE - (8UL << 20) - (0x3fffffUL << 12) - (1UL << 20) -
	       (((1UL << 28) - 1) << 12));
	EXPECT(base1 != base2);
	/* The same seed gives the same sequence. */
	umm_shutdown();
	ASSERT_EQ(umm_boot("umm.aslr_seed=42"), 0);
	mm = new_mm();
	base3 = mm->mmap_base;
	umm_mm_destroy(mm);
	EXPECT_EQ(base3, base1);
	umm_shutdown();
	ASSERT_EQ(umm_boot(NULL), 0);
}

TEST(test_topdown_and_merge)
{
	struct mm_struct *mm = new_mm();
	long a, b, c;

	/* Each mapping goes right below the last; equal ones merge. */
	STEP(a = umm_mmap(mm, 0, P, RW, ANON, -1, 0));
	EXPECT_EQ(a, (long)mm->mmap_base - (long)P);
	STEP(b = umm_mmap(mm, 0, 2 * P, RW, ANON, -1, 0));
	EXPECT_EQ(b, a - 2 * (long)P);
	EXPECT_EQ(mm->map_count, 1);
	/* A different protection does not merge. */
	STEP(c = umm_mmap(mm, 0, P, PROT_READ, ANON, -1, 0));
	EXPECT_EQ(c, b - (long)P);
	EXPECT_EQ(mm->map_count, 2);
	EXPECT_EQ(mm->total_vm, 4);
	EXPECT_EQ(mm->data_vm, 3);
	EXPECT(flags_at(mm, a) & VM_ACCOUNT);
	EXPECT(!(flags_at(mm, c) & VM_ACCOUNT));
	EXPECT(flags_at(mm, a) & VM_SOFTDIRTY);
	umm_mm_destroy(mm);
}

TEST(test_hint)
{
	struct mm_struct *mm = new_mm();
	long r;

	/* A free hint is taken, rounded down to a page. */
	STEP(r = umm_mmap(mm, BASE + 10 * P + 123, P, RW, ANON, -1, 0));
	EXPECT_EQ(r, (long)(BASE + 10 * P));
	/* An occupied one is not: the search runs below mmap_base. */
	STEP(r = umm_mmap(mm, BASE + 10 * P, P, RW, ANON, -1, 0));
	EXPECT_EQ(r, (long)mm->mmap_base - (long)P);
	/* A hint below mmap_min_addr is raised to it. */
	STEP(r = umm_mmap(mm, P, P, RW, ANON, -1, 0));
	EXPECT_EQ(r, (long)DEFAULT_MMAP_MIN_ADDR);
	/*
	 * A hint must keep a stack's guard gap free:
	 *   ....S   S is MAP_GROWSDOWN at page 300; a hint that ends within
	 *           256 pages below it is refused.
	 */
	STEP(r = umm_mmap(mm, BASE + 300 * P, P, RW, FIXED | MAP_GROWSDOWN, -1, 0));
	EXPECT_EQ(r, (long)(BASE + 300 * P));
	STEP(r = umm_mmap(mm, BASE + 100 * P, P, RW, ANON, -1, 0));
	EXPECT(r != (long)(BASE + 100 * P));
	STEP(r = umm_mmap(mm, BASE + 43 * P, P, RW, ANON, -1, 0));
	EXPECT_EQ(r, (long)(BASE + 43 * P));
	umm_mm_destroy(mm);
}

TEST(test_thp_alignment)
{
	struct mm_struct *mm = new_mm();
	long r;

	/* 6.18: anonymous, private, no hint, a multiple of 2 MiB: aligned. */
	STEP(r = umm_mmap(mm, 0, P, RW, ANON, -1, 0));
	STEP(r = umm_mmap(mm, 0, 4UL << 20, RW, ANON, -1, 0));
	EXPECT(IS_ALIGNED((unsigned long)r, PMD_SIZE));
	/* The range ends at the top of the hole if that is aligned... */
	EXPECT_EQ(r, (long)ALIGN_DOWN(mm->mmap_base - P - (4UL << 20), PMD_SIZE));
	/* ...and a second one goes right below, merging. */
	STEP(r = umm_mmap(mm, 0, 2UL << 20, RW, ANON, -1, 0));
	EXPECT(IS_ALIGNED((unsigned long)r, PMD_SIZE));
	EXPECT_EQ(vma_at(mm, (unsigned long)r)->vm_end - (unsigned long)r, 6UL << 20);
	/* Not a multiple of 2 MiB, shared, or hinted: not aligned. */
	STEP(r = umm_mmap(mm, 0, 3UL << 20, RW, ANON, -1, 0));
	EXPECT(!IS_ALIGNED((unsigned long)r, PMD_SIZE));
	STEP(r = umm_mmap(mm, 0, P, RW, ANON, -1, 0));
	STEP(r = umm_mmap(mm, 0, 2UL << 20, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	EXPECT(!IS_ALIGNED((unsigned long)r, PMD_SIZE));
	STEP(r = umm_mmap(mm, BASE + P, 2UL << 20, RW, ANON, -1, 0));
	EXPECT_EQ(r, (long)(BASE + P));
	/* MAP_32BIT: bottom-up in the second GiB (x86's small code model) */
	STEP(r = umm_mmap(mm, 0, P, RW, ANON | MAP_32BIT, -1, 0));
	EXPECT_EQ(r, 0x40000000L);
	STEP(r = umm_mmap(mm, 0, P, PROT_READ, ANON | MAP_32BIT, -1, 0));
	EXPECT_EQ(r, 0x40001000L);
	umm_mm_destroy(mm);
}

/* A brute-force gap search with the kernel's retry rules, to check the tree's. */
static unsigned long brute_unmapped_area(struct mm_struct *mm, unsigned long len,
					 unsigned long low, unsigned long high,
					 bool topdown)
{
	struct vm_area_struct *vma, *next;
	unsigned long lo, hi, best = -ENOMEM;

	if (low < mmap_min_addr)
		low = mmap_min_addr;
retry:
	best = -ENOMEM;
	next = NULL;
	/* every gap: [prev end, vma start), then [last end, oo) */
	for (vma = mm->mmap;; vma = vma->vm_next) {
		unsigned long gs = vma ? (vma->vm_prev ? vma->vm_prev->vm_end : 0) :
				(mm->highest_vm_end);
		unsigned long ge = vma ? vma->vm_start : ~0UL;

		if (vma && !vma->vm_prev)
			gs = 0;
		lo = gs > low ? gs : low;
		hi = (ge - 1 < high - 1) ? ge - 1 : high - 1;
		if (ge > gs && hi >= lo && hi - lo >= len - 1) {
			if (!topdown) {
				best = lo;
				next = vma;
				break;
			}
			best = hi + 1 - len;
			next = vma;
		}
		if (!vma)
			break;
	}
	if (IS_ERR_VALUE(best))
		return best;
	if (next && (next->vm_flags & VM_GROWSDOWN)) {
		unsigned long end = topdown ? best + len : best + len;

		if (vm_start_gap(next) < end) {
			if (topdown)
				high = vm_start_gap(next);
			else
				low = next->vm_end;
			goto retry;
		}
	}
	return best;
}

TEST(test_gap_search)
{
	struct mm_struct *mm = new_mm();
	unsigned long long s = 12345;

	/* A random address space of a few hundred VMAs, some of them stacks. */
	for (int i = 0; i < 600; i++) {
		unsigned long page, pages;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		page = (s >> 33) % 20000;
		pages = 1 + (s >> 20) % 40;
		umm_mmap(mm, BASE + page * P, pages * P, (i & 1) ? RW : PROT_READ,
			 FIXED | ((s >> 10) % 13 == 0 ? MAP_GROWSDOWN : 0), -1, 0);
	}
	ASSERT_EQ(umm_mm_check(mm), 0);
	mmap_write_lock(mm);
	for (int i = 0; i < 20000; i++) {
		struct vm_unmapped_area_info info = { 0 };
		unsigned long want, got;
		bool topdown;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		topdown = s & 1;
		info.flags = topdown ? VM_UNMAPPED_AREA_TOPDOWN : 0;
		info.length = (1 + (s >> 40) % 300) * P;
		info.low_limit = BASE + ((s >> 8) % 21000) * P - 100 * P;
		info.high_limit = info.low_limit + (1 + (s >> 24) % 22000) * P;
		want = brute_unmapped_area(mm, info.length, info.low_limit,
					   info.high_limit, topdown);
		got = vm_unmapped_area(mm, &info);
		if (want != got) {
			fprintf(stderr, "%s len %lx [%lx, %lx): tree %lx, brute force %lx\n",
				topdown ? "top-down" : "bottom-up", info.length,
				info.low_limit, info.high_limit, got, want);
			ASSERT_EQ(got, want);
		}
	}
	mmap_write_unlock(mm);
	umm_mm_destroy(mm);
}

TEST(test_find_vma)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *vma, *prev;

	/*
	 * 0123456789
	 * .AA..B....
	 */
	STEP(map_fixed(mm, 1, 2, RW));
	STEP(map_fixed(mm, 5, 1, PROT_READ));
	EXPECT_STREQ(layout(mm, BASE, 10), ".AA..B....");
	mmap_read_lock(mm);
	vma = find_vma(mm, BASE);
	EXPECT_EQ(vma->vm_start, BASE + P);
	EXPECT_EQ(find_vma(mm, BASE + 2 * P)->vm_start, BASE + P);
	EXPECT_EQ(find_vma(mm, BASE + 3 * P)->vm_start, BASE + 5 * P);
	EXPECT(!find_vma(mm, BASE + 6 * P));
	EXPECT(!vma_lookup(mm, BASE + 4 * P));
	EXPECT(vma_lookup(mm, BASE + 5 * P));
	vma = find_vma_prev(mm, BASE + 4 * P, &prev);
	EXPECT_EQ(vma->vm_start, BASE + 5 * P);
	EXPECT_EQ(prev->vm_start, BASE + P);
	vma = find_vma_prev(mm, BASE + 9 * P, &prev);
	EXPECT(!vma);
	EXPECT_EQ(prev->vm_start, BASE + 5 * P);
	EXPECT(!find_vma_intersection(mm, BASE + 3 * P, BASE + 5 * P));
	EXPECT(find_vma_intersection(mm, BASE + 3 * P, BASE + 6 * P));
	/* an empty range meets nothing, not even the VMA around it (mt_find) */
	EXPECT(!find_vma_intersection(mm, BASE + 2 * P, BASE + 2 * P));
	EXPECT(!find_vma_intersection(mm, BASE + 2 * P, BASE + P));
	mmap_read_unlock(mm);
	umm_mm_destroy(mm);
}

/* The lookup index (mm/vma.c): built after a run of walks, dropped by changes. */
struct index_reader {
	struct mm_struct *mm;
	unsigned long n;
	unsigned long long seed;
	long errors;
};

static void *index_reader(void *arg)
{
	struct index_reader *r = arg;

	mmap_read_lock(r->mm);
	for (int k = 0; k < 20000; k++) {
		unsigned long i, addr;
		struct vm_area_struct *vma;

		r->seed = r->seed * 6364136223846793005ULL + 1442695040888963407ULL;
		i = (r->seed >> 33) % r->n;
		addr = BASE + 3 * i * P + ((r->seed >> 20) % 3) * P;
		vma = find_vma(r->mm, addr);
		/* VMA i is pages [3i, 3i + 2); page 3i + 2 is a hole before VMA i + 1 */
		if ((addr - BASE) / P % 3 == 2)
			i++;
		if (i == r->n ? vma != NULL : (!vma || vma->vm_start != BASE + 3 * i * P))
			r->errors++;
	}
	mmap_read_unlock(r->mm);
	return NULL;
}

TEST(test_find_vma_index)
{
	struct mm_struct *mm = new_mm();
	struct index_reader r[4];
	pthread_t t[4];
	unsigned long n = 3000;

	for (unsigned long i = 0; i < n; i++)
		ASSERT_EQ(map_fixed(mm, 3 * i, 2, RW), (long)(BASE + 3 * i * P));
	/* the index is the rb-tree's: with the maple tree, lookups just walk it */
	EXPECT(mm->vma_maple || !mm->vma_index);
	/* readers in parallel: one of them builds the index, all agree */
	for (int i = 0; i < 4; i++) {
		r[i] = (struct index_reader){ mm, n, 1000 + (unsigned long long)i, 0 };
		ASSERT_EQ(pthread_create(&t[i], NULL, index_reader, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(r[i].errors, 0);
	}
	EXPECT(mm->vma_maple || mm->vma_index);
	ASSERT_EQ(umm_mm_check(mm), 0);	/* checks the index against the list */
	mmap_read_lock(mm);
	EXPECT(!find_vma(mm, BASE + 3 * n * P));
	EXPECT_EQ(find_vma(mm, 0)->vm_start, BASE);
	mmap_read_unlock(mm);
	/* a change drops it (split and merged back); lookups go on walking */
	STEP(umm_mprotect(mm, BASE, P, PROT_READ));
	EXPECT(mm->vma_maple || !mm->vma_index);
	STEP(umm_mprotect(mm, BASE, P, RW));
	r[0].errors = 0;
	index_reader(&r[0]);
	EXPECT_EQ(r[0].errors, 0);
	umm_mm_destroy(mm);
}

/* ---- mmap ---- */

TEST(test_map_fixed)
{
	struct mm_struct *mm = new_mm();

	/*
	 * MAP_FIXED replaces what it covers, splitting at its edges:
	 * 0123456789
	 * AAAAAAAA..
	 * AABBBAAA..   a read-only piece in the middle
	 */
	STEP(map_fixed(mm, 0, 8, RW));
	STEP(map_fixed(mm, 2, 3, PROT_READ));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABBBCCC..");
	EXPECT_EQ(mm->map_count, 3);
	/*
	 * Mapping the same as the surroundings merges them again
	 * (the pieces keep pgoff == address, as anonymous VMAs do):
	 * AAAAAAAA..
	 */
	STEP(map_fixed(mm, 2, 3, RW));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAAAAAA..");
	EXPECT_EQ(mm->map_count, 1);
	/*
	 * Across two VMAs and a hole:
	 * AAAA.BB...
	 * AABBBBB...   B over A's tail, the hole and B's head: merges with B
	 */
	STEP(umm_munmap(mm, BASE + 4 * P, 4 * P));
	STEP(map_fixed(mm, 5, 2, PROT_READ));
	STEP(map_fixed(mm, 2, 4, PROT_READ));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABBBBB...");
	EXPECT_EQ(mm->total_vm, 7);
	/* MAP_FIXED_NOREPLACE refuses to cover anything */
	EXPECT_EQ(umm_mmap(mm, BASE + 6 * P, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
		  -EEXIST);
	EXPECT_EQ(umm_mmap(mm, BASE + 7 * P, 2 * P, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0),
		  (long)(BASE + 7 * P));
	STEP();
	umm_mm_destroy(mm);
}

TEST(test_mmap_errors)
{
	struct mm_struct *mm = new_mm();
	int pfd[2];

	EXPECT_EQ(umm_mmap(mm, 0, 0, RW, ANON, -1, 0), -EINVAL);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, ANON, -1, 1), -EINVAL);
	EXPECT_EQ(umm_mmap(mm, 0, ~0UL - 10, RW, ANON, -1, 0), -ENOMEM);
	EXPECT_EQ(umm_mmap(mm, 0, TASK_SIZE + P, RW, ANON, -1, 0), -ENOMEM);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, MAP_ANONYMOUS, -1, 0), -EINVAL);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0),
		  -EINVAL);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, ANON | MAP_HUGETLB, -1, 0), -ENOMEM);	/* see below */
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, MAP_PRIVATE, -1, 0), -EBADF);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, MAP_PRIVATE, 12345, 0), -EBADF);
	/* below mmap_min_addr: only MAP_FIXED gets there, and is refused
	 * without CAP_SYS_RAWIO (test_mmap_min_addr_capability) */
	mm->limits.cap_sys_rawio = false;
	EXPECT_EQ(umm_mmap(mm, P, P, RW, FIXED, -1, 0), -EPERM);
	EXPECT_EQ(umm_mmap(mm, TASK_SIZE - P, 2 * P, RW, FIXED, -1, 0), -ENOMEM);
	/* a pipe has no ->mmap */
	ASSERT_EQ(pipe(pfd), 0);
	EXPECT_EQ(umm_mmap(mm, 0, P, PROT_READ, MAP_PRIVATE, pfd[0], 0), -ENODEV);
	close(pfd[0]);
	close(pfd[1]);
	/* MAP_LOCKED: EPERM without RLIMIT_MEMLOCK, EAGAIN above it */
	EXPECT_EQ(umm_mmap(mm, 0, 32 * P, RW, ANON | MAP_LOCKED, -1, 0), -EAGAIN);
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, ANON | MAP_LOCKED, -1, 0), -EPERM);
	STEP();
	EXPECT_EQ(mm->map_count, 0);
	umm_mm_destroy(mm);
}

/*
 * MAP_HUGETLB with empty huge page pools (vm.nr_hugepages=0): what Linux
 * 6.18 answered on x86-64 (2 MiB and 1 GiB hstates), case by case.
 * Addresses are offsets from a 1 GiB-aligned base R inside a PROT_NONE
 * reservation of [R - 1G, R + 2G); "fixed" cases land in it.  Where the
 * host's own pools are empty too, each case also runs on the host and
 * must give the same answer there.
 */
#define HUGE_A		(ANON | MAP_HUGETLB)
#define M2		(2UL << 20)
#define G1		(1UL << 30)
static const struct hugetlb_case {
	const char *what;
	unsigned long off_r;	/* address: R + off_r, or 0 when ~0UL */
	unsigned long len;
	int prot, flags;
	long offset;
	long err;		/* what mmap() returns */
	bool gb;		/* needs the 1 GiB hstate */
} hugetlb_cases[] = {
	{ "private 2M", ~0UL, M2, RW, HUGE_A, 0, -ENOMEM, false },
	{ "shared 2M", ~0UL, M2, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB, 0, -ENOMEM, false },
	{ "4K, rounded up to 2M", ~0UL, P, RW, HUGE_A, 0, -ENOMEM, false },
	{ "length 0", ~0UL, 0, RW, HUGE_A, 0, -EINVAL, false },
	{ "2M + 1", ~0UL, M2 + 1, RW, HUGE_A, 0, -ENOMEM, false },
	{ "PROT_NONE", ~0UL, M2, PROT_NONE, HUGE_A, 0, -ENOMEM, false },
	{ "MAP_HUGE_2MB", ~0UL, M2, RW, HUGE_A | (21 << MAP_HUGE_SHIFT), 0, -ENOMEM, false },
	{ "MAP_HUGE_1GB, 2M", ~0UL, M2, RW, HUGE_A | (30 << MAP_HUGE_SHIFT), 0, -ENOMEM, true },
	{ "MAP_HUGE_1GB, 1G", ~0UL, G1, RW, HUGE_A | (30 << MAP_HUGE_SHIFT), 0, -ENOMEM, true },
	{ "no 64K hstate", ~0UL, M2, RW, HUGE_A | (16 << MAP_HUGE_SHIFT), 0, -EINVAL, false },
	{ "no 4K hstate", ~0UL, M2, RW, HUGE_A | (12 << MAP_HUGE_SHIFT), 0, -EINVAL, false },
	{ "MAP_UNINITIALIZED is size bits", ~0UL, M2, RW, HUGE_A | 0x4000000, 0, -EINVAL, false },
	{ "length ~0 rounds to 0", ~0UL, ~0UL, RW, HUGE_A, 0, -EINVAL, false },
	{ "length 2^64 - 4K rounds to 0", ~0UL, -P, RW, HUGE_A, 0, -EINVAL, false },
	{ "length 2^64 - 4M", ~0UL, -(4UL << 20), RW, HUGE_A, 0, -ENOMEM, false },
	{ "length 2^47", ~0UL, 1UL << 47, RW, HUGE_A, 0, -ENOMEM, false },
	{ "offset 2M", ~0UL, M2, RW, HUGE_A, (long)M2, -ENOMEM, false },
	{ "offset 4K, not whole huge pages", ~0UL, M2, RW, HUGE_A, (long)P, -EINVAL, false },
	{ "offset past MAX_LFS_FILESIZE", ~0UL, M2, RW, HUGE_A, 0x7fffffffffe00000L, -EOVERFLOW, false },
	{ "neither private nor shared", ~0UL, M2, RW, MAP_ANONYMOUS | MAP_HUGETLB, 0, -EINVAL, false },
	{ "MAP_DROPPABLE", ~0UL, M2, RW, 0x08 | MAP_ANONYMOUS | MAP_HUGETLB, 0, -EINVAL, false },
	{ "MAP_GROWSDOWN (a file)", ~0UL, M2, RW, HUGE_A | MAP_GROWSDOWN, 0, -EINVAL, false },
	{ "MAP_SHARED_VALIDATE", ~0UL, M2, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_HUGETLB,
	  0, -ENOMEM, false },
	{ "MAP_SHARED_VALIDATE | MAP_SYNC", ~0UL, M2, RW,
	  MAP_SHARED_VALIDATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_SYNC, 0, -EOPNOTSUPP, false },
	{ "MAP_NORESERVE (Linux maps it)", ~0UL, M2, RW, HUGE_A | MAP_NORESERVE, 0, 1, false },
	{ "MAP_POPULATE", ~0UL, M2, RW, HUGE_A | MAP_POPULATE, 0, -ENOMEM, false },
	{ "hint R + 4K, aligned up", P, M2, RW, HUGE_A, 0, -ENOMEM, false },
	{ "fixed R", 0, M2, RW, HUGE_A | MAP_FIXED, 0, -ENOMEM, false },
	{ "fixed R + 4K", P, M2, RW, HUGE_A | MAP_FIXED, 0, -EINVAL, false },
	{ "1G fixed at R + 2M", M2, G1, RW, HUGE_A | (30 << MAP_HUGE_SHIFT) | MAP_FIXED, 0,
	  -EINVAL, true },
	{ "1G fixed at R", 0, G1, RW, HUGE_A | (30 << MAP_HUGE_SHIFT) | MAP_FIXED, 0,
	  -ENOMEM, true },
	/* [R, R + 1G) is a hole now: below R is still reserved */
	{ "noreplace over the reservation", -2 * M2, M2, RW, HUGE_A | MAP_FIXED_NOREPLACE, 0,
	  -EEXIST, false },
	{ "noreplace unaligned: EINVAL first", -2 * M2 + P, M2, RW,
	  HUGE_A | MAP_FIXED_NOREPLACE, 0, -EINVAL, false },
	{ "noreplace into the hole", 0, M2, RW, HUGE_A | MAP_FIXED_NOREPLACE, 0,
	  -ENOMEM, false },
};

/* Are the host's pools of @kb huge pages empty (and is there such an hstate)? */
static bool host_pool_empty(unsigned long kb)
{
	static const char *const files[] = { "nr_hugepages", "nr_overcommit_hugepages",
					     "free_hugepages" };
	char path[128];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		unsigned long v = 1;
		FILE *f;

		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/%s",
			 kb, files[i]);
		f = fopen(path, "r");
		if (!f)
			return false;
		if (fscanf(f, "%lu", &v) != 1)
			v = 1;
		fclose(f);
		if (v)
			return false;
	}
	return true;
}

/* One case on @mm (umm) or, with mm NULL, on the host; 1 for a mapping. */
static long hugetlb_try(struct mm_struct *mm, unsigned long r, const struct hugetlb_case *c)
{
	unsigned long addr = c->off_r == ~0UL ? 0 : r + c->off_r;
	long ret;

	if (mm) {
		ret = umm_mmap(mm, addr, c->len, c->prot, c->flags, -1, c->offset);
		if (ret >= 0) {
			umm_munmap(mm, (unsigned long)ret, c->len);
			ret = 1;
		}
		return ret;
	}
	void *p = mmap((void *)addr, c->len, c->prot, c->flags, -1, c->offset);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, c->len);
	return 1;
}

TEST(test_mmap_hugetlb)
{
	struct mm_struct *mm = new_mm();
	bool host_2m = host_pool_empty(2048), host_1g = host_pool_empty(1048576);
	unsigned long r = BASE + G1;
	char *host_res;

	ASSERT_EQ(umm_mmap(mm, r - G1, 3 * G1, PROT_NONE, FIXED | MAP_NORESERVE, -1, 0),
		  (long)(r - G1));
	host_res = mmap(NULL, 4 * G1, PROT_NONE, ANON | MAP_NORESERVE, -1, 0);
	ASSERT(host_res != MAP_FAILED);
	if (!host_2m)
		fprintf(stderr, "  the host has 2 MiB huge pages: umm's answers only\n");
	for (size_t i = 0; i < ARRAY_SIZE(hugetlb_cases); i++) {
		const struct hugetlb_case *c = &hugetlb_cases[i];
		unsigned long hr = ALIGN((unsigned long)host_res + G1, G1);
		long got = hugetlb_try(mm, r, c);

		if (got != c->err && c->err != 1)
			fprintf(stderr, "  %s: umm %ld, expected %ld\n", c->what, got, c->err);
		/* NORESERVE: Linux maps a VMA that SIGBUSes; umm has none (mm/mmap.c) */
		EXPECT_EQ(got, c->err == 1 ? -ENOMEM : c->err);
		if (!host_2m || (c->gb && !host_1g))
			continue;
		/* a failed fixed mapping punched a hole: fill the host's too */
		got = hugetlb_try(NULL, hr, c);
		if (got != c->err)
			fprintf(stderr, "  %s: host %ld, expected %ld\n", c->what, got, c->err);
		EXPECT_EQ(got, c->err);
	}
	munmap(host_res, 4 * G1);
	STEP();
	umm_mm_destroy(mm);
}

/* A MAP_FIXED that fails in hugetlbfs's ->mmap has cleared what it replaced. */
TEST(test_mmap_hugetlb_fixed_gap)
{
	struct mm_struct *mm = new_mm();

	ASSERT_EQ(umm_mmap(mm, BASE, 2 * M2, RW, FIXED, -1, 0), (long)BASE);
	ASSERT_EQ(umm_touch(mm, BASE, 2 * M2, 1, NULL), 0);
	/* unaligned: refused before anything is unmapped */
	STEP(EXPECT_EQ(umm_mmap(mm, BASE + P, M2, RW, HUGE_A | MAP_FIXED, -1, 0), -EINVAL));
	EXPECT(vma_at(mm, BASE) && vma_at(mm, BASE + M2));
	EXPECT_EQ(mm->map_count, 1);
	/* aligned: no huge page to reserve, and the first 2 MiB are gone */
	STEP(EXPECT_EQ(umm_mmap(mm, BASE, M2, RW, HUGE_A | MAP_FIXED, -1, 0), -ENOMEM));
	EXPECT(!vma_at(mm, BASE));
	EXPECT(!vma_at(mm, BASE + M2 - P));
	EXPECT(vma_at(mm, BASE + M2));
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 512);
	/* an offset of part of a huge page: EINVAL, also after the clearing */
	STEP(EXPECT_EQ(umm_mmap(mm, BASE + M2, M2, RW, HUGE_A | MAP_FIXED, -1, (long)P),
		       -EINVAL));
	EXPECT_EQ(mm->map_count, 0);
	umm_mm_destroy(mm);
}

/* CAP_SYS_RAWIO in CapEff, read the way /proc shows it. */
static bool host_cap_sys_rawio(void)
{
	char line[256];
	bool cap = false;
	FILE *f = fopen("/proc/self/status", "r");

	ASSERT(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CapEff:", 7))
			cap = (strtoull(line + 7, NULL, 16) >> 17) & 1;
	fclose(f);
	return cap;
}

/*
 * Below mmap_min_addr only with CAP_SYS_RAWIO (cap_mmap_addr()); an mm
 * starts with the host process's, so umm answers as its host does.
 */
TEST(test_mmap_min_addr_capability)
{
	struct mm_struct *mm = new_mm();
	int nr = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;

	EXPECT_EQ(mm->limits.cap_sys_rawio, host_cap_sys_rawio());
	mm->limits.cap_sys_rawio = false;
	STEP(EXPECT_EQ(umm_mmap(mm, 0, P, RW, nr, -1, 0), -EPERM));
	STEP(EXPECT_EQ(umm_mmap(mm, P, P, RW, nr, -1, 0), -EPERM));
	STEP(EXPECT_EQ(umm_mmap(mm, mmap_min_addr - P, P, RW, FIXED, -1, 0), -EPERM));
	STEP(EXPECT_EQ(umm_mmap(mm, mmap_min_addr, P, RW, nr, -1, 0), (long)mmap_min_addr));
	/* with it, page 0 maps; a hint is still raised to mmap_min_addr */
	mm->limits.cap_sys_rawio = true;
	STEP(EXPECT_EQ(umm_mmap(mm, 0, P, RW, nr, -1, 0), 0));
	STEP(EXPECT_EQ(umm_mmap(mm, P, P, RW, nr, -1, 0), (long)P));
	STEP(EXPECT_EQ(umm_mmap(mm, 0, P, RW, nr, -1, 0), -EEXIST));
	STEP(EXPECT_EQ(umm_mmap(mm, 2 * P, P, RW, ANON, -1, 0) >= (long)mmap_min_addr, 1));
	STEP(EXPECT_EQ(umm_touch(mm, 0, 2 * P, 1, NULL), 0));
	EXPECT_STREQ(layout(mm, 0, 3), "AA.");
	umm_mm_destroy(mm);
}

/*
 * MREMAP_FIXED | MREMAP_DONTUNMAP of part of a VMA, and of two VMAs: the
 * source stays mapped (and merged) behind the move, so the walk over the
 * source range must stop at its end.  The layout is the one Linux 6.18
 * leaves for the same calls.
 */
TEST(test_mremap_dontunmap_part)
{
	struct mm_struct *mm = new_mm();
	int du = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;

	STEP(EXPECT_EQ(umm_mmap(mm, BASE, 3 * P, RW, FIXED, -1, 0), (long)BASE));
	STEP(EXPECT_EQ(umm_touch(mm, BASE, P, 1, NULL), 0));
	STEP(EXPECT_EQ(umm_mremap(mm, BASE, 2 * P, 2 * P, du, BASE + 16 * P),
		       (long)(BASE + 16 * P)));
	STEP(EXPECT_EQ(umm_mmap(mm, BASE + 32 * P, 2 * P, PROT_READ, FIXED, -1, 0),
		       (long)(BASE + 32 * P)));
	STEP(EXPECT_EQ(umm_mmap(mm, BASE + 34 * P, 2 * P, RW, FIXED, -1, 0),
		       (long)(BASE + 34 * P)));
	STEP(EXPECT_EQ(umm_mremap(mm, BASE + 32 * P, 3 * P, 3 * P, du, BASE + 48 * P),
		       (long)(BASE + 48 * P)));
	STEP(EXPECT_EQ(umm_mremap(mm, BASE + 32 * P, 3 * P, 3 * P,
				  MREMAP_MAYMOVE | MREMAP_FIXED, BASE + 56 * P),
		       (long)(BASE + 56 * P)));
	EXPECT_STREQ(layout(mm, BASE, 64),
		     "AAA.............BB.................C............DDE.....FFG.....");
	EXPECT_EQ(mm->map_count, 7);
	umm_mm_destroy(mm);
}

TEST(test_mmap_file)
{
	struct mm_struct *mm = new_mm();
	char path[] = "/tmp/umm_test_mmapXXXXXX", line[512];
	struct vm_area_struct *vma;
	struct stat st;
	int fd, fd2, rofd;
	long r;

	fd = mkstemp(path);
	ASSERT(fd >= 0);
	ASSERT_EQ(ftruncate(fd, 16 * (long)P), 0);
	ASSERT_EQ(fstat(fd, &st), 0);
	rofd = open(path, O_RDONLY);
	fd2 = open(path, O_RDWR);

	/*
	 * Two mmaps of one open file, side by side at contiguous offsets,
	 * share one struct file and merge:
	 * 0123456789
	 * AAAA......
	 */
	STEP(r = umm_mmap(mm, BASE, 2 * P, RW, MAP_SHARED | MAP_FIXED, fd, 0));
	EXPECT_EQ(r, (long)BASE);
	STEP(umm_mmap(mm, BASE + 2 * P, 2 * P, RW, MAP_SHARED | MAP_FIXED, fd, 2 * (long)P));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAA......");
	vma = vma_at(mm, BASE);
	EXPECT(vma->vm_flags & VM_SHARED);
	EXPECT(!(vma->vm_flags & VM_ACCOUNT));
	/* a dup() of the fd is the same open file: merges too */
	{
		int fd3 = dup(fd);

		STEP(umm_mmap(mm, BASE + 10 * P, P, RW, MAP_SHARED | MAP_FIXED, fd, 0));
		STEP(umm_mmap(mm, BASE + 11 * P, P, RW, MAP_SHARED | MAP_FIXED, fd3, (long)P));
		EXPECT_EQ(vma_at(mm, BASE + 10 * P)->vm_end, BASE + 12 * P);
		close(fd3);
		STEP(umm_munmap(mm, BASE + 10 * P, 2 * P));
	}
	/* ...but not another open() of the same file, or a gap in the offsets */
	STEP(umm_mmap(mm, BASE + 4 * P, P, RW, MAP_SHARED | MAP_FIXED, fd2, 4 * (long)P));
	STEP(umm_mmap(mm, BASE + 5 * P, P, RW, MAP_SHARED | MAP_FIXED, fd, 7 * (long)P));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAABC....");
	/* private writable file mappings are charged */
	STEP(umm_mmap(mm, BASE + 8 * P, P, RW, MAP_PRIVATE | MAP_FIXED, fd, 0));
	EXPECT(flags_at(mm, BASE + 8 * P) & VM_ACCOUNT);

	/* a read-only fd: no shared writable mapping, and no later mprotect to one */
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, MAP_SHARED, rofd, 0), -EACCES);
	STEP(r = umm_mmap(mm, BASE + 20 * P, P, PROT_READ, MAP_SHARED | MAP_FIXED, rofd, 0));
	EXPECT(!(flags_at(mm, BASE + 20 * P) & (VM_MAYWRITE | VM_SHARED)));
	EXPECT(flags_at(mm, BASE + 20 * P) & VM_MAYSHARE);
	EXPECT_EQ(umm_mprotect(mm, BASE + 20 * P, P, RW), -EACCES);
	/* MAP_SHARED_VALIDATE refuses flags a file does not know */
	EXPECT_EQ(umm_mmap(mm, 0, P, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0),
		  -EOPNOTSUPP);
	/* ext4/xfs refuse VM_SYNC without DAX, however it came (the host's answer) */
	{
		void *h = mmap(NULL, P, PROT_READ, MAP_PRIVATE | MAP_SYNC, fd, 0);
		long want = h == MAP_FAILED ? -errno : 0;

		if (h != MAP_FAILED)
			munmap(h, P);
		r = umm_mmap(mm, 0, P, PROT_READ, MAP_PRIVATE | MAP_SYNC, fd, 0);
		EXPECT_EQ(r < 0 ? r : 0, want);
		if (r > 0)
			umm_munmap(mm, (unsigned long)r, P);
		/* refused by ->mmap_prepare, after MAP_FIXED cleared the range: a gap */
		STEP(umm_mmap(mm, BASE + 30 * P, 2 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0));
		r = umm_mmap(mm, BASE + 30 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_SYNC,
			     fd, 0);
		EXPECT_EQ(r < 0 ? r : 0, want);
		if (want)
			EXPECT_STREQ(layout(mm, BASE + 30 * P, 2), ".A");
		umm_munmap(mm, BASE + 30 * P, 2 * P);
	}
	EXPECT_EQ(umm_mmap(mm, 0, P, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0), -EINVAL);
	/* file offset + length past MAX_LFS_FILESIZE */
	EXPECT_EQ(umm_mmap(mm, 0, 2 * P, PROT_READ, MAP_PRIVATE, fd, 0x7ffffffffffff000L),
		  -EOVERFLOW);
	EXPECT_EQ(umm_mmap(mm, 0, P, PROT_READ, MAP_PRIVATE, fd, -(long)P), -EOVERFLOW);

	/* /proc/PID/maps: offset, device, inode and the path from column 74 */
	show_maps(mm);
	snprintf(line, sizeof(line), "%08lx-%08lx rw-s %08lx %02x:%02x %lu",
		 BASE + 5 * P, BASE + 6 * P, 7 * P, major(st.st_dev), minor(st.st_dev),
		 (unsigned long)st.st_ino);
	{
		char *l = strstr(maps, line);

		ASSERT(l);
		EXPECT_EQ(strchr(l, '/') - l, 73);
		EXPECT(!strncmp(strchr(l, '/'), path, strlen(path)));
	}

	close(fd);
	close(fd2);
	close(rofd);
	unlink(path);
	/* the VMAs keep their own references */
	EXPECT(vma_at(mm, BASE)->vm_file->f_hostfd >= 0);
	umm_mm_destroy(mm);
}

TEST(test_shared_anon)
{
	struct mm_struct *mm = new_mm();
	struct vm_area_struct *vma;

	/*
	 * Shared anonymous memory is a shmem object per mmap(): "/dev/zero
	 * (deleted)", offsets from 0; two never merge, pieces of one do.
	 * 0123456789
	 * AABB......
	 */
	STEP(umm_mmap(mm, BASE, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	STEP(umm_mmap(mm, BASE + 2 * P, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABB......");
	vma = vma_at(mm, BASE);
	EXPECT(vma->vm_file && vma->vm_file->f_shmem);
	EXPECT(!vma_is_anonymous(vma));
	EXPECT_EQ(vma->vm_pgoff, 0);
	STEP(umm_mprotect(mm, BASE + P, P, PROT_READ));
	EXPECT_STREQ(layout(mm, BASE, 10), "ABCC......");
	EXPECT_EQ(vma_at(mm, BASE + P)->vm_pgoff, 1);
	STEP(umm_mprotect(mm, BASE + P, P, RW));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABB......");
	show_maps(mm);
	EXPECT(strstr(maps, "00000000 00:01 "));
	EXPECT(strstr(maps, " /dev/zero (deleted)\n"));
	EXPECT(strstr(maps, "rw-s"));
	/* MADV_FREE is for anonymous private memory only */
	EXPECT_EQ(umm_madvise(mm, BASE, P, MADV_FREE), -EINVAL);
	umm_mm_destroy(mm);
}

/* ---- munmap ---- */

TEST(test_munmap)
{
	struct mm_struct *mm = new_mm();

	/*
	 * 0123456789
	 * AAAAAAAA..
	 * AA..AAAA..   the middle goes: two VMAs, never merged back
	 */
	STEP(map_fixed(mm, 0, 8, RW));
	STEP(EXPECT_EQ(umm_munmap(mm, BASE + 2 * P, 2 * P), 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "AA..BBBB..");
	EXPECT_EQ(mm->total_vm, 6);
	/* holes are fine; a range with nothing mapped is fine */
	STEP(EXPECT_EQ(umm_munmap(mm, BASE + P, 4 * P), 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "A....BBB..");
	STEP(EXPECT_EQ(umm_munmap(mm, BASE + 20 * P, P), 0));
	/* the length is rounded up, the start must be aligned */
	STEP(EXPECT_EQ(umm_munmap(mm, BASE + 5 * P, 1), 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "A.....BB..");
	EXPECT_EQ(umm_munmap(mm, BASE + 1, P), -EINVAL);
	EXPECT_EQ(umm_munmap(mm, BASE, 0), -EINVAL);
	EXPECT_EQ(umm_munmap(mm, TASK_SIZE, P), -EINVAL);
	EXPECT_EQ(umm_munmap(mm, BASE, TASK_SIZE), -EINVAL);
	/* munmap never merges what is left:
	 * AABBAA..   unmap B: A and A' stay apart (they do not touch) */
	STEP(map_fixed(mm, 20, 6, RW));
	STEP(umm_mprotect(mm, BASE + 22 * P, 2 * P, PROT_READ));
	STEP(umm_munmap(mm, BASE + 22 * P, 2 * P));
	EXPECT_STREQ(layout(mm, BASE + 20 * P, 8), "AA..BB..");
	umm_mm_destroy(mm);
}

TEST(test_map_count_limit)
{
	struct mm_struct *mm = new_mm();
	int limit = 100;
	long r;

	ASSERT_EQ(umm_param_set("umm.max_map_count=100"), 0);
	/* mmap checks map_count > max: the last one may take it to max + 1 */
	for (int i = 0; i <= limit; i++)
		ASSERT_EQ(map_fixed(mm, 2 * (unsigned long)i, 1, RW), (long)(BASE + 2 * i * P));
	EXPECT_EQ(mm->map_count, limit + 1);
	STEP(r = map_fixed(mm, 1000, 1, RW));
	EXPECT_EQ(r, -ENOMEM);
	/* mapping into a hole between two equal VMAs merges: fewer VMAs */
	ASSERT_EQ(umm_munmap(mm, BASE + 200 * P, P), 0);
	STEP(EXPECT_EQ(map_fixed(mm, 1, 1, RW), (long)(BASE + P)));
	EXPECT_EQ(mm->map_count, limit - 1);
	/* a split is refused at the limit: map_count >= max */
	STEP(map_fixed(mm, 300, 3, RW));
	STEP(map_fixed(mm, 400, 1, RW));
	EXPECT_EQ(mm->map_count, limit + 1);
	EXPECT_EQ(umm_mprotect(mm, BASE + 301 * P, P, PROT_READ), -ENOMEM);
	/* munmap may not cut a VMA in three, but may trim one */
	EXPECT_EQ(umm_munmap(mm, BASE + 301 * P, P), -ENOMEM);
	EXPECT_EQ(umm_munmap(mm, BASE + 302 * P, P), 0);
	STEP();
	ASSERT_EQ(umm_param_set("umm.max_map_count=65530"), 0);
	umm_mm_destroy(mm);

	/* The real limit: 65530 (+1) VMAs, every one checked by the tree. */
	mm = new_mm();
	for (unsigned long i = 0; i <= DEFAULT_MAX_MAP_COUNT; i++)
		ASSERT_EQ(map_fixed(mm, 2 * i, 1, (i & 1) ? RW : PROT_READ),
			  (long)(BASE + 2 * i * P));
	EXPECT_EQ(mm->map_count, DEFAULT_MAX_MAP_COUNT + 1);
	EXPECT_EQ(umm_mmap(mm, 0, P, RW, ANON, -1, 0), -ENOMEM);
	EXPECT_EQ(umm_mm_check(mm), 0);
	umm_mm_destroy(mm);
}

/* ---- mprotect ---- */

TEST(test_mprotect)
{
	struct mm_struct *mm = new_mm();

	/*
	 * 0123456789
	 * AAAAAAAA..
	 * AABBCCDD..   the middle becomes read-only: split in three...
	 */
	STEP(map_fixed(mm, 0, 8, RW));
	STEP(EXPECT_EQ(umm_mprotect(mm, BASE + 2 * P, 4 * P, PROT_READ), 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABBBBCC..");
	/* ...and back: merged into one */
	STEP(EXPECT_EQ(umm_mprotect(mm, BASE + 2 * P, 4 * P, RW), 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAAAAAA..");
	/*
	 * Merging at an edge moves the boundary:
	 * AAAABBBB..   B read-only
	 * AAAAAABB..   the first two pages of B become A again
	 */
	STEP(umm_mprotect(mm, BASE + 4 * P, 4 * P, PROT_READ));
	STEP(umm_mprotect(mm, BASE + 4 * P, 2 * P, RW));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAAAABB..");
	EXPECT_EQ(vma_at(mm, BASE + 6 * P)->vm_pgoff, (BASE >> PAGE_SHIFT) + 6);
	/* a hole stops it with -ENOMEM, after changing what came before */
	STEP(map_fixed(mm, 9, 1, RW));
	STEP(EXPECT_EQ(umm_mprotect(mm, BASE + 6 * P, 4 * P, PROT_EXEC), -ENOMEM));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAAAABB.C");
	EXPECT(flags_at(mm, BASE + 6 * P) & VM_EXEC);
	EXPECT_EQ(mm->exec_vm, 2);
	/* argument checks; length 0 is fine before the prot check */
	EXPECT_EQ(umm_mprotect(mm, BASE + 1, P, PROT_READ), -EINVAL);
	EXPECT_EQ(umm_mprotect(mm, BASE, 0, 0x40), 0);
	EXPECT_EQ(umm_mprotect(mm, BASE, P, 0x40), -EINVAL);
	EXPECT_EQ(umm_mprotect(mm, BASE + 30 * P, P, PROT_READ), -ENOMEM);
	EXPECT_EQ(umm_mprotect(mm, BASE, P, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	/* PROT_GROWSDOWN reaches down to the start of a stack VMA */
	STEP(umm_mmap(mm, BASE + 20 * P, 4 * P, RW, FIXED | MAP_GROWSDOWN, -1, 0));
	STEP(EXPECT_EQ(umm_mprotect(mm, BASE + 22 * P, P, PROT_READ | PROT_GROWSDOWN), 0));
	EXPECT_STREQ(layout(mm, BASE + 20 * P, 5), "AAAB.");
	EXPECT(!(flags_at(mm, BASE + 20 * P) & VM_WRITE));
	umm_mm_destroy(mm);
}

TEST(test_mprotect_accounting)
{
	struct mm_struct *mm = new_mm();
	long before = vm_memory_committed();

	/*
	 * VM_ACCOUNT: PROT_NONE is not charged; made writable it is; made
	 * read-only again, fresh anonymous memory gives the charge back.
	 */
	STEP(map_fixed(mm, 0, 4, PROT_NONE));
	EXPECT(!(flags_at(mm, BASE) & VM_ACCOUNT));
	EXPECT_EQ(vm_memory_committed(), before);
	STEP(umm_mprotect(mm, BASE, 4 * P, RW));
	EXPECT(flags_at(mm, BASE) & VM_ACCOUNT);
	EXPECT_EQ(vm_memory_committed(), before + 4);
	STEP(umm_mprotect(mm, BASE, 2 * P, PROT_READ));
	EXPECT(!(flags_at(mm, BASE) & VM_ACCOUNT));
	EXPECT(flags_at(mm, BASE + 2 * P) & VM_ACCOUNT);
	EXPECT_EQ(vm_memory_committed(), before + 2);
	/* MAP_NORESERVE and shared memory are never charged */
	STEP(umm_mmap(mm, BASE + 10 * P, P, RW, FIXED | MAP_NORESERVE, -1, 0));
	EXPECT(!(flags_at(mm, BASE + 10 * P) & VM_ACCOUNT));
	EXPECT(flags_at(mm, BASE + 10 * P) & VM_NORESERVE);
	STEP(umm_mmap(mm, BASE + 20 * P, P, PROT_NONE,
		      MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	STEP(umm_mprotect(mm, BASE + 20 * P, P, RW));
	EXPECT(!(flags_at(mm, BASE + 20 * P) & VM_ACCOUNT));
	EXPECT_EQ(vm_memory_committed(), before + 2);
	umm_mm_destroy(mm);
	EXPECT_EQ(vm_memory_committed(), before);
}

/* ---- brk ---- */

TEST(test_brk)
{
	struct mm_struct *mm = new_mm();
	unsigned long start = BASE + 100 * P;

	/* no heap base yet (start_brk 0): a wrapping break is no success */
	EXPECT_EQ(umm_brk(mm, -1UL), 0);
	EXPECT_EQ(umm_brk(mm, -PAGE_SIZE + 1), 0);
	EXPECT_EQ(mm->brk, 0);

	/*
	 * A "bss" right below the heap, the same flags as the heap: the heap
	 * never merges with it (brkvma must lie above start_brk).
	 */
	STEP(umm_mmap(mm, start - P, P, RW, FIXED, -1, 0));
	umm_mm_set_brk_base(mm, start);
	EXPECT_EQ(umm_brk(mm, 0), start);
	STEP(EXPECT_EQ(umm_brk(mm, start + 100), start + 100));	/* unaligned kept */
	EXPECT_EQ(mm->brk, start + 100);
	EXPECT_STREQ(layout(mm, start - P, 3), "AB.");
	STEP(EXPECT_EQ(umm_brk(mm, start + 3 * P), start + 3 * P));
	EXPECT_STREQ(layout(mm, start - P, 5), "ABBB.");
	EXPECT_EQ(mm->map_count, 2);
	EXPECT_EQ(mm->data_vm, 4);
	/* [heap] in maps */
	show_maps(mm);
	EXPECT(strstr(maps, "rw-p 00000000 00:00 0                          [heap]\n"));
	/* shrinking unmaps; the same page only moves the value */
	STEP(EXPECT_EQ(umm_brk(mm, start + P + 5), start + P + 5));
	EXPECT_STREQ(layout(mm, start - P, 5), "ABB..");
	STEP(EXPECT_EQ(umm_brk(mm, start + 2 * P), start + 2 * P));
	EXPECT_STREQ(layout(mm, start - P, 5), "ABB..");
	/* below start_brk: refused, the current brk comes back */
	EXPECT_EQ(umm_brk(mm, start - 1), start + 2 * P);
	/* the last page of the address space: PAGE_ALIGN() wraps, refused */
	EXPECT_EQ(umm_brk(mm, -1UL), start + 2 * P);
	/* the next VMA must stay a page away */
	STEP(map_fixed(mm, 106, 1, PROT_READ));
	EXPECT_EQ(umm_brk(mm, start + 6 * P), start + 2 * P);
	EXPECT_EQ(umm_brk(mm, start + 5 * P + 1), start + 2 * P);
	STEP(EXPECT_EQ(umm_brk(mm, start + 5 * P), start + 5 * P));
	/* a stack above needs its whole guard gap */
	STEP(umm_munmap(mm, BASE + 106 * P, P));
	STEP(umm_mmap(mm, start + 300 * P, P, RW, FIXED | MAP_GROWSDOWN, -1, 0));
	EXPECT_EQ(umm_brk(mm, start + 100 * P), start + 5 * P);
	STEP(EXPECT_EQ(umm_brk(mm, start + 43 * P), start + 43 * P));
	EXPECT_EQ(umm_brk(mm, start + 44 * P), start + 43 * P);
	umm_mm_destroy(mm);
}

/* ---- mlock ---- */

TEST(test_mlock)
{
	struct mm_struct *mm = new_mm();

	/* RLIMIT_MEMLOCK is 64 KiB = 16 pages (new_mm()) */
	STEP(map_fixed(mm, 0, 8, RW));
	/* the length grows by the start's offset in its page: pages 2-3 */
	STEP(EXPECT_EQ(umm_mlock(mm, BASE + 2 * P + 5, P), 0));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABBCCCC..");
	EXPECT_EQ(mm->locked_vm, 2);
	/* locking what is locked does not count twice */
	STEP(EXPECT_EQ(umm_mlock(mm, BASE, 4 * P), 0));
	EXPECT_EQ(mm->locked_vm, 4);
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAABBBB..");
	/* over the limit: -ENOMEM, nothing changes */
	STEP(map_fixed(mm, 20, 20, RW));
	EXPECT_EQ(umm_mlock(mm, BASE + 20 * P, 13 * P), -ENOMEM);
	EXPECT_EQ(mm->locked_vm, 4);
	STEP(EXPECT_EQ(umm_mlock(mm, BASE + 20 * P, 12 * P), 0));
	EXPECT_EQ(mm->locked_vm, 16);
	/* overlapping what is locked is allowed up to the limit */
	STEP(EXPECT_EQ(umm_mlock(mm, BASE + 20 * P, 12 * P), 0));
	/* CAP_IPC_LOCK ignores the limit */
	mm->limits.cap_ipc_lock = true;
	STEP(EXPECT_EQ(umm_mlock(mm, BASE + 20 * P, 20 * P), 0));
	EXPECT_EQ(mm->locked_vm, 24);
	mm->limits.cap_ipc_lock = false;
	/* munlock */
	STEP(EXPECT_EQ(umm_munlock(mm, BASE, 40 * P), -ENOMEM));	/* holes */
	EXPECT_EQ(mm->locked_vm, 20);
	STEP(EXPECT_EQ(umm_munlock(mm, BASE + 20 * P, 20 * P), 0));
	EXPECT_EQ(mm->locked_vm, 0);
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAAAAAA..");
	/* PROT_NONE cannot be faulted in: -ENOMEM, but VM_LOCKED is set */
	STEP(map_fixed(mm, 50, 2, PROT_NONE));
	STEP(EXPECT_EQ(umm_mlock(mm, BASE + 50 * P, 2 * P), -ENOMEM));
	EXPECT(flags_at(mm, BASE + 50 * P) & VM_LOCKED);
	EXPECT_EQ(mm->locked_vm, 2);
	/* a hole at the start */
	EXPECT_EQ(umm_mlock(mm, BASE + 10 * P, P), -ENOMEM);
	/* no RLIMIT_MEMLOCK at all: EPERM */
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, 0);
	EXPECT_EQ(umm_mlock(mm, BASE, P), -EPERM);
	STEP(EXPECT_EQ(umm_munlock(mm, BASE + 50 * P, 2 * P), 0));
	/* MAP_LOCKED counts */
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, 64UL << 10);
	STEP(umm_mmap(mm, BASE + 60 * P, 3 * P, PROT_READ, FIXED | MAP_LOCKED, -1, 0));
	EXPECT_EQ(mm->locked_vm, 3);
	umm_mm_destroy(mm);
}

/* ---- madvise ---- */

TEST(test_madvise)
{
	struct mm_struct *mm = new_mm();

	/*
	 * 0123456789
	 * AAAAAA.BB.
	 * AABBCC.DD.   MADV_RANDOM over [2, 9): splits A, skips the hole
	 */
	STEP(map_fixed(mm, 0, 6, RW));
	STEP(map_fixed(mm, 7, 2, RW));
	STEP(EXPECT_EQ(umm_madvise(mm, BASE + 2 * P, 7 * P, MADV_RANDOM), -ENOMEM));
	EXPECT_STREQ(layout(mm, BASE, 10), "AABBBB.CC.");
	EXPECT(flags_at(mm, BASE + 8 * P) & VM_RAND_READ);
	STEP(EXPECT_EQ(umm_madvise(mm, BASE + 2 * P, 2 * P, MADV_SEQUENTIAL), 0));
	EXPECT_EQ(flags_at(mm, BASE + 2 * P) & (VM_SEQ_READ | VM_RAND_READ), VM_SEQ_READ);
	STEP(EXPECT_EQ(umm_madvise(mm, BASE, 9 * P, MADV_NORMAL), -ENOMEM));
	EXPECT_STREQ(layout(mm, BASE, 10), "AAAAAA.BB.");
	/* each flag-changing advice */
	static const struct { int advice; vm_flags_t set, clear; } cases[] = {
		{ MADV_DONTFORK, VM_DONTCOPY, 0 },
		{ MADV_DOFORK, 0, VM_DONTCOPY },
		{ MADV_HUGEPAGE, VM_HUGEPAGE, VM_NOHUGEPAGE },
		{ MADV_NOHUGEPAGE, VM_NOHUGEPAGE, VM_HUGEPAGE },
		{ MADV_DONTDUMP, VM_DONTDUMP, 0 },
		{ MADV_DODUMP, 0, VM_DONTDUMP },
		{ MADV_WIPEONFORK, VM_WIPEONFORK, 0 },
		{ MADV_KEEPONFORK, 0, VM_WIPEONFORK },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		STEP(EXPECT_EQ(umm_madvise(mm, BASE + P, P, cases[i].advice), 0));
		EXPECT_EQ(flags_at(mm, BASE + P) & (cases[i].set | cases[i].clear),
			  cases[i].set);
	}
	/* validated, no pages to act on yet */
	EXPECT_EQ(umm_madvise(mm, BASE, P, MADV_DONTNEED), 0);
	EXPECT_EQ(umm_madvise(mm, BASE, P, MADV_FREE), 0);
	EXPECT_EQ(umm_madvise(mm, BASE, P, MADV_WILLNEED), 0);
	STEP(umm_mlock(mm, BASE, P));
	EXPECT_EQ(umm_madvise(mm, BASE, P, MADV_DONTNEED), -EINVAL);
	EXPECT_EQ(umm_madvise(mm, BASE, P, MADV_COLD), -EINVAL);
	/* arguments */
	EXPECT_EQ(umm_madvise(mm, BASE + 1, P, MADV_NORMAL), -EINVAL);
	EXPECT_EQ(umm_madvise(mm, BASE, P, 12345), -EINVAL);
	EXPECT_EQ(umm_madvise(mm, BASE, 0, MADV_NORMAL), 0);
	EXPECT_EQ(umm_madvise(mm, BASE, (size_t)-1, MADV_NORMAL), -EINVAL);
	EXPECT_EQ(umm_madvise(mm, BASE + 50 * P, P, MADV_NORMAL), -ENOMEM);
	/* MADV_WIPEONFORK: private anonymous only */
	STEP(umm_mmap(mm, BASE + 20 * P, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	EXPECT_EQ(umm_madvise(mm, BASE + 20 * P, P, MADV_WIPEONFORK), -EINVAL);
	umm_mm_destroy(mm);
}

/* ---- mremap ---- */

TEST(test_mremap)
{
	struct mm_struct *mm = new_mm();
	long r;

	/*
	 * 0123456789abcdef
	 * AAAA............
	 * AA..............   shrink in place
	 * AAAAAA..........   grow in place
	 */
	STEP(map_fixed(mm, 0, 4, RW));
	STEP(EXPECT_EQ(umm_mremap(mm, BASE, 4 * P, 2 * P, 0, 0), (long)BASE));
	EXPECT_STREQ(layout(mm, BASE, 16), "AA..............");
	STEP(EXPECT_EQ(umm_mremap(mm, BASE, 2 * P, 6 * P, 0, 0), (long)BASE));
	EXPECT_STREQ(layout(mm, BASE, 16), "AAAAAA..........");
	EXPECT_EQ(mm->total_vm, 6);
	/* blocked by a VMA: -ENOMEM unless it may move */
	STEP(map_fixed(mm, 8, 1, PROT_READ));
	EXPECT_EQ(umm_mremap(mm, BASE, 6 * P, 10 * P, 0, 0), -ENOMEM);
	STEP(r = umm_mremap(mm, BASE, 6 * P, 10 * P, MREMAP_MAYMOVE, 0));
	EXPECT(r > 0 && r != (long)BASE);
	EXPECT_STREQ(layout(mm, BASE, 16), "........A.......");
	/* the moved anonymous VMA's pgoff is its new address */
	EXPECT_EQ(vma_at(mm, (unsigned long)r)->vm_pgoff, (unsigned long)r >> PAGE_SHIFT);
	EXPECT_EQ(vma_pages(vma_at(mm, (unsigned long)r)), 10);
	/* MREMAP_FIXED unmaps the target first; next to an equal VMA it merges */
	STEP(map_fixed(mm, 0, 2, RW));
	STEP(EXPECT_EQ(umm_mremap(mm, (unsigned long)r, 4 * P, 4 * P,
				  MREMAP_MAYMOVE | MREMAP_FIXED, BASE + 2 * P),
		       (long)(BASE + 2 * P)));
	EXPECT_STREQ(layout(mm, BASE, 16), "AAAAAA..B.......");
	EXPECT_EQ(mm->map_count, 3);
	/* MREMAP_DONTUNMAP leaves the old range mapped */
	STEP(r = umm_mremap(mm, BASE + 4 * P, 2 * P, 2 * P,
			    MREMAP_MAYMOVE | MREMAP_DONTUNMAP, BASE + 12 * P));
	EXPECT_EQ(r, (long)(BASE + 12 * P));
	EXPECT_STREQ(layout(mm, BASE, 16), "AAAAAA..B...CC..");
	/* errors */
	EXPECT_EQ(umm_mremap(mm, BASE + 1, P, P, 0, 0), -EINVAL);
	EXPECT_EQ(umm_mremap(mm, BASE, P, 0, 0, 0), -EINVAL);
	EXPECT_EQ(umm_mremap(mm, BASE, P, P, 8, 0), -EINVAL);
	EXPECT_EQ(umm_mremap(mm, BASE, P, P, MREMAP_FIXED, BASE + 20 * P), -EINVAL);
	EXPECT_EQ(umm_mremap(mm, BASE, P, 2 * P, MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
			     BASE + 20 * P), -EINVAL);
	EXPECT_EQ(umm_mremap(mm, BASE, 2 * P, 2 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     BASE + P), -EINVAL);	/* overlap */
	EXPECT_EQ(umm_mremap(mm, BASE + 7 * P, P, 2 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	/* growing across a VMA boundary */
	EXPECT_EQ(umm_mremap(mm, BASE, 8 * P, 9 * P, MREMAP_MAYMOVE, 0), -EFAULT);
	/* duplicating a private mapping is refused */
	EXPECT_EQ(umm_mremap(mm, BASE, 0, P, MREMAP_MAYMOVE, 0), -EINVAL);
	umm_mm_destroy(mm);
}

TEST(test_mremap_multi)
{
	struct mm_struct *mm = new_mm();

	/*
	 * MREMAP_FIXED, same size, over several VMAs: each moves, the holes
	 * between them stay (6.17+):
	 * 0123456789abcdef
	 * AA.BB.CC........
	 * ..........AA.BB.CC   (each keeps its flags)
	 */
	STEP(map_fixed(mm, 0, 2, RW));
	STEP(map_fixed(mm, 3, 2, PROT_READ));
	STEP(map_fixed(mm, 6, 2, RW));
	STEP(EXPECT_EQ(umm_mremap(mm, BASE, 8 * P, 8 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
				  BASE + 10 * P), (long)(BASE + 10 * P)));
	EXPECT_STREQ(layout(mm, BASE, 20), "..........AA.BB.CC..");
	EXPECT(!(flags_at(mm, BASE + 13 * P) & VM_WRITE));
	/* a range must start on a VMA */
	EXPECT_EQ(umm_mremap(mm, BASE + 9 * P, 3 * P, 3 * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			     BASE + 30 * P), -EFAULT);
	umm_mm_destroy(mm);
}

/*
 * MREMAP_FIXED | MREMAP_DONTUNMAP, same size, is a move of the range's
 * VMAs (remap_move()); the source stays mapped, so after the part of A
 * moved, A still covers the range's end: the walk must stop there and
 * not meet A again.  It used to: it moved the part again and again, each
 * time lower by what A holds past the range, until map_count ran out
 * (ENOMEM, the copies left mapped), the copies ran into the source
 * (EFAULT) or, where each copy merged with the last, for ever.
 * 0123456789abcdef0123
 * AAAAAA..............
 * AAAAAA..........BB..   A keeps its range, empty
 * then two VMAs, one shared, with a hole between them, move together:
 * A.B.....CC............D.E.   (from page 8)
 */
static long dontunmap_to(struct mm_struct *mm, unsigned long from, unsigned long len,
			 unsigned long to)
{
	return umm_mremap(mm, from, len, len, MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
			  to);
}

TEST(test_mremap_dontunmap_fixed)
{
	struct mm_struct *mm = new_mm(), *child;
	unsigned long low;
	int code;

	ASSERT_EQ(umm_param_set("umm.max_map_count=200"), 0);
	STEP(map_fixed(mm, 0, 6, RW));
	ASSERT_EQ(umm_touch(mm, BASE, 6 * P, 1, &code), 0);
	STEP(EXPECT_EQ(dontunmap_to(mm, BASE, 2 * P, BASE + 16 * P), (long)(BASE + 16 * P)));
	EXPECT_STREQ(layout(mm, BASE, 20), "AAAAAA..........BB..");
	EXPECT_EQ(mm->map_count, 2);
	EXPECT_EQ(get_mm_counter(mm, MM_ANONPAGES), 6);
	/* several VMAs, one of them shared */
	STEP(EXPECT_EQ(umm_mmap(mm, BASE + 8 * P, P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED,
				-1, 0), (long)(BASE + 8 * P)));
	STEP(map_fixed(mm, 10, 1, PROT_READ));
	STEP(EXPECT_EQ(dontunmap_to(mm, BASE + 8 * P, 3 * P, BASE + 30 * P),
		       (long)(BASE + 30 * P)));
	EXPECT_STREQ(layout(mm, BASE + 8 * P, 26), "A.B.....CC............D.E.");
	EXPECT_EQ(mm->map_count, 6);
	umm_mm_destroy(mm);

	/*
	 * In a fork()ed child (anon_vma chains of two), moving 3 of A's 5
	 * pages: each pass of the old walk came 2 pages lower, overlapping
	 * and splitting the last copy (__split_vma(), anon_vma_clone()).
	 */
	mm = new_mm();
	STEP(map_fixed(mm, 0, 5, RW));
	ASSERT_EQ(umm_touch(mm, BASE, 5 * P, 1, &code), 0);
	child = umm_mm_fork(mm);
	ASSERT(child);
	EXPECT_EQ(dontunmap_to(child, BASE, 3 * P, BASE + 40 * P), (long)(BASE + 40 * P));
	EXPECT_STREQ(layout(child, BASE, 44), "AAAAA...................................BBB.");
	EXPECT_EQ(get_mm_counter(child, MM_ANONPAGES), 5);
	EXPECT_EQ(umm_mm_check(child), 0);
	EXPECT_EQ(umm_mm_check(mm), 0);
	umm_mm_destroy(child);
	umm_mm_destroy(mm);

	/*
	 * A never-faulted VMA's copy takes its address as pgoff, so each
	 * copy of the old walk merged with the last one: map_count stayed
	 * flat and the walk went on down the address space (here it stops
	 * at mmap_min_addr; from higher up it did not come back).
	 */
	mm = new_mm();
	low = mmap_min_addr;
	STEP(EXPECT_EQ(umm_mmap(mm, low + 100 * P, 4 * P, RW, FIXED, -1, 0),
		       (long)(low + 100 * P)));
	STEP(EXPECT_EQ(dontunmap_to(mm, low + 100 * P, 2 * P, low + 50 * P),
		       (long)(low + 50 * P)));
	EXPECT_STREQ(layout(mm, low + 48 * P, 60),
		     "..AA................................................BBBB....");
	EXPECT_EQ(mm->map_count, 2);
	ASSERT_EQ(umm_param_set("umm.max_map_count=65530"), 0);
	umm_mm_destroy(mm);
}

/*
 * A refused mremap() changes nothing: every check that can fail comes
 * before the target or the source is unmapped (check_mremap_params(),
 * check_prep_vma(), remap_move()'s first VMA), as in Linux 6.18.  E at
 * the target shows that MREMAP_FIXED did not unmap it first.
 * 0123456789abcdef0123456789
 * AAAABB..C...DD......EE....   A private (written), B shared, D locked
 */
TEST(test_mremap_no_change_on_error)
{
	static char before[1 << 16], after[1 << 16];
	const int mf = MREMAP_MAYMOVE | MREMAP_FIXED;
	const unsigned long to = BASE + 20 * P;
	struct mm_struct *mm = new_mm();
	struct {
		unsigned long addr, old_len, new_len, new_addr;
		int flags;
		long err;
	} bad[] = {
		{ BASE, P, P, 0, 8, -EINVAL },				/* unknown flag */
		{ BASE + 1, P, P, 0, 0, -EINVAL },			/* unaligned */
		{ BASE, P, 0, 0, 0, -EINVAL },				/* no new length */
		{ BASE, P, P, to, MREMAP_FIXED, -EINVAL },		/* FIXED, no MAYMOVE */
		{ BASE, P, 2 * P, to, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, -EINVAL },
		{ BASE, 2 * P, 2 * P, BASE + P, mf, -EINVAL },		/* overlap */
		{ BASE, P, P, to + 1, mf, -EINVAL },			/* unaligned target */
		{ BASE + 6 * P, P, 2 * P, to, mf, -EFAULT },		/* no source */
		{ BASE, 6 * P, 8 * P, to, mf, -EFAULT },		/* past A's end */
		{ BASE + 6 * P, 4 * P, 4 * P, to, mf, -EFAULT },	/* starts in a hole */
		{ BASE + 4 * P, 3 * P, 4 * P, to, mf, -EFAULT },	/* past B's end */
		{ BASE, 4 * P, 6 * P, 0, 0, -ENOMEM },			/* B is in the way */
		{ BASE, 0, P, 0, MREMAP_MAYMOVE, -EINVAL },		/* private duplicate */
		{ BASE + 12 * P, 2 * P, 20 * P, to, mf, -EAGAIN },	/* RLIMIT_MEMLOCK */
	};
	int code;

	STEP(map_fixed(mm, 0, 4, RW));
	ASSERT_EQ(umm_touch(mm, BASE, 4 * P, 1, &code), 0);
	STEP(umm_mmap(mm, BASE + 4 * P, 2 * P, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	STEP(map_fixed(mm, 8, 1, PROT_READ));
	STEP(map_fixed(mm, 12, 2, RW));
	STEP(EXPECT_EQ(umm_mlock(mm, BASE + 12 * P, 2 * P), 0));
	STEP(map_fixed(mm, 20, 2, PROT_READ));
	ASSERT(umm_mm_show(mm, "smaps", before, sizeof(before)) < (ssize_t)sizeof(before));
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		STEP(EXPECT_EQ(umm_mremap(mm, bad[i].addr, bad[i].old_len, bad[i].new_len,
					  bad[i].flags, bad[i].new_addr), bad[i].err));
		umm_mm_show(mm, "smaps", after, sizeof(after));
		EXPECT_STREQ(after, before);
	}
	/* too close to max_map_count for two splits: ENOMEM before the unmap */
	ASSERT_EQ(umm_param_set("umm.max_map_count=10"), 0);
	STEP(EXPECT_EQ(umm_mremap(mm, BASE + P, P, P, mf, to), -ENOMEM));
	ASSERT_EQ(umm_param_set("umm.max_map_count=65530"), 0);
	/* RLIMIT_AS: no room to grow, checked before the move */
	umm_mm_setrlimit(mm, RLIMIT_AS, mm->total_vm * P);
	STEP(EXPECT_EQ(umm_mremap(mm, BASE, 4 * P, 5 * P, mf, BASE + 30 * P), -ENOMEM));
	umm_mm_show(mm, "smaps", after, sizeof(after));
	EXPECT_STREQ(after, before);
	umm_mm_destroy(mm);
}

/* ---- /proc/PID/maps ---- */

TEST(test_maps_format)
{
	struct mm_struct *mm = new_mm();
	char expect[512];

	STEP(umm_mmap(mm, 0x10000, P, PROT_READ, FIXED, -1, 0));
	STEP(umm_mmap(mm, BASE, 2 * P, RW | PROT_EXEC, FIXED, -1, 0));
	STEP(umm_mmap(mm, BASE + 4 * P, P, RW, FIXED | MAP_GROWSDOWN, -1, 0));
	mm->start_stack = BASE + 4 * P + 100;
	/* a nameless VMA ends with the space after the inode */
	snprintf(expect, sizeof(expect),
		 "00010000-00011000 r--p 00000000 00:00 0 \n"
		 "%lx-%lx rwxp 00000000 00:00 0 \n"
		 "%lx-%lx rw-p 00000000 00:00 0                          [stack]\n",
		 BASE, BASE + 2 * P, BASE + 4 * P, BASE + 5 * P);
	EXPECT_STREQ(show_maps(mm), expect);
	/* snprintf semantics; unknown and later files */
	EXPECT_EQ(umm_mm_show(mm, "maps", NULL, 0), (ssize_t)strlen(expect));
	EXPECT_EQ(umm_mm_show(mm, "maps", maps, 10), (ssize_t)strlen(expect));
	EXPECT_EQ(strlen(maps), 9);
	EXPECT(umm_mm_show(mm, "smaps", maps, sizeof(maps)) > 0);
	EXPECT_EQ(umm_mm_show(mm, "pagemap@junk", maps, sizeof(maps)), -EINVAL);
	EXPECT_EQ(umm_mm_show(mm, "nonsense", maps, sizeof(maps)), -ENOENT);
	umm_mm_destroy(mm);
}

TEST(test_vmflags_line)
{
	struct mm_struct *mm = new_mm();
	struct seq_file m = { .buf = maps, .size = sizeof(maps) };

	STEP(umm_mmap(mm, BASE, P, RW, FIXED | MAP_STACK, -1, 0));
	mmap_read_lock(mm);
	show_smap_vma_flags(&m, vma_lookup(mm, BASE));
	mmap_read_unlock(mm);
	maps[m.count] = '\0';
	EXPECT_STREQ(maps, "VmFlags: rd wr mr mw me ac sd nh \n");
	umm_mm_destroy(mm);
}

TEST(test_checker_and_caches)
{
	struct mm_struct *mm = new_mm();
	static char slab[1 << 16];

	STEP(map_fixed(mm, 0, 4, RW));
	/* the checker sees a wrong counter */
	mm->total_vm++;
	EXPECT_EQ(umm_mm_check(mm), -EINVAL);
	mm->total_vm--;
	if (mm->vma_maple) {
		/* a VMA's range in the tree that is not its own (a root leaf) */
		struct maple_node *leaf = (struct maple_node *)
			((unsigned long)mm->mm_mt.ma_root & ~MAPLE_NODE_MASK);

		leaf->mr64.pivot[1] += P;
		EXPECT_EQ(umm_mm_check(mm), -EINVAL);
		leaf->mr64.pivot[1] -= P;
	} else {
		vma_at(mm, BASE)->rb_subtree_gap++;
		EXPECT_EQ(umm_mm_check(mm), -EINVAL);
		vma_at(mm, BASE)->rb_subtree_gap--;
	}
	EXPECT_EQ(umm_mm_check(mm), 0);
	/* the structures come from their own kmem caches */
	ASSERT(umm_proc_read("/proc/slabinfo", slab, sizeof(slab)) > 0);
	EXPECT(strstr(slab, "\nmm_struct "));
	EXPECT(strstr(slab, "\nvm_area_struct "));
	umm_mm_destroy(mm);
	EXPECT_EQ(umm_slab_check(), 0);
}

int main(void)
{
	if (umm_boot(NULL)) {
		fprintf(stderr, "umm_boot() failed\n");
		return 1;
	}
	RUN(test_layout);
	RUN(test_aslr);
	RUN(test_topdown_and_merge);
	RUN(test_hint);
	RUN(test_thp_alignment);
	RUN(test_gap_search);
	RUN(test_find_vma);
	RUN(test_find_vma_index);
	RUN(test_map_fixed);
	RUN(test_mmap_errors);
	RUN(test_mmap_hugetlb);
	RUN(test_mmap_hugetlb_fixed_gap);
	RUN(test_mmap_min_addr_capability);
	RUN(test_mremap_dontunmap_part);
	RUN(test_mmap_file);
	RUN(test_shared_anon);
	RUN(test_munmap);
	RUN(test_map_count_limit);
	RUN(test_mprotect);
	RUN(test_mprotect_accounting);
	RUN(test_brk);
	RUN(test_mlock);
	RUN(test_madvise);
	RUN(test_mremap);
	RUN(test_mremap_multi);
	RUN(test_mremap_dontunmap_fixed);
	RUN(test_mremap_no_change_on_error);
	RUN(test_maps_format);
	RUN(test_vmflags_line);
	RUN(test_checker_and_caches);
	umm_shutdown();
	TEST_EXIT();
}
