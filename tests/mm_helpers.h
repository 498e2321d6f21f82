/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_helpers.h - helpers the address-space tests share (test_mmap.c,
 * test_memory.c, test_filemap.c): the layout constants, a new mm with
 * the limits the tests expect, STEP() with the checker after it,
 * free-page counts that do not depend on what the caches happen to hold,
 * and the kernel's fault injection one allocation at a time.  Include
 * after "mm/internal.h".
 */
#ifndef _UMM_TESTS_MM_HELPERS_H
#define _UMM_TESTS_MM_HELPERS_H

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include "tests/test.h"
/* mm/slab.h has a stat() of its own (SLUB statistics): keep <sys/stat.h>'s. */
#define stat slub_stat
#include "mm/slab.h"
#undef stat
#include <umm/boot.h>
#include <umm/vmalloc.h>

#define P		PAGE_SIZE
#define BASE		0x100000000000UL	/* tests lay things out here */
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS)
#define FIXED		(ANON | MAP_FIXED)

/*
 * @expr (a lookup or a page walk) under @m's mmap_lock for reading, as
 * the lookups assert (mmap_assert_locked()); its value.
 */
#define MMAP_READ(m, expr)						\
	({								\
		__typeof__(expr) __v;					\
		mmap_read_lock(m);					\
		__v = (expr);						\
		mmap_read_unlock(m);					\
		__v;							\
	})

/* Do @expr, then check every invariant of the test's `mm`. */
#define STEP(expr)							\
	do {								\
		expr;							\
		ASSERT_EQ(umm_mm_check(mm), 0);				\
	} while (0)

/*
 * A new mm with what the tests expect of "the process", whatever the
 * host's limits: an 8 MiB stack, @memlock bytes of mlock, no data or
 * address-space limit.
 */
static inline struct mm_struct *new_mm_memlock(unsigned long memlock)
{
	struct mm_struct *mm = umm_mm_create();

	ASSERT(mm);
	umm_mm_setrlimit(mm, RLIMIT_STACK, 8UL << 20);
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, memlock);
	umm_mm_setrlimit(mm, RLIMIT_DATA, ~0UL);
	umm_mm_setrlimit(mm, RLIMIT_AS, ~0UL);
	ASSERT_EQ(umm_mm_check(mm), 0);
	return mm;
}

/* Free pages once the slab caches hand back their empty slabs. */
static inline unsigned long free_pages_settled(void)
{
	struct kmem_cache *caches[512], *s;
	int n = 0;

	/* vfree()d areas of the checker, lazily purged: their vmap_areas go back */
	vm_unmap_aliases();
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		if (n < 512)
			caches[n++] = s;
	mutex_unlock(&slab_mutex);
	for (int i = 0; i < n; i++)
		kmem_cache_shrink(caches[i]);
	drain_all_pages(NULL);
	return nr_free_pages();
}

/*
 * Fail the @nth eligible allocation from now on, once, in @which
 * ("fail_page_alloc" or "failslab"); @nth 0 turns it off.
 */
static inline void set_injection(const char *which, int nth)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s=%d,%d,0,%d", which, nth ? nth : 1, nth ? 100 : 0,
		 nth ? 1 : 0);
	ASSERT_EQ(umm_param_set(buf), 0);
	snprintf(buf, sizeof(buf), "%s.ignore-gfp-wait=%s", which, nth ? "n" : "y");
	ASSERT_EQ(umm_param_set(buf), 0);
	snprintf(buf, sizeof(buf), "%s.verbose=0", which);
	umm_param_set(buf);
	if (!strcmp(which, "fail_page_alloc")) {
		/* user pages are __GFP_HIGHMEM, and order 0 (min-order is 1) */
		ASSERT_EQ(umm_param_set(nth ? "fail_page_alloc.ignore-gfp-highmem=n" :
					"fail_page_alloc.ignore-gfp-highmem=y"), 0);
		ASSERT_EQ(umm_param_set(nth ? "fail_page_alloc.min-order=0" :
					"fail_page_alloc.min-order=1"), 0);
	}
}

#endif /* _UMM_TESTS_MM_HELPERS_H */
