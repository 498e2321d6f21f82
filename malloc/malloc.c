// SPDX-License-Identifier: GPL-2.0
/*
 * malloc.c - the C allocator on top of umm (libumm-malloc.so): malloc,
 * free and the rest of the glibc interface, for LD_PRELOAD or linking.
 *
 * Owns: the malloc size classes and their kmem caches, the front end's
 * boot, and the UMM_REPORT report (see there; umm run reads it).
 *
 * Where memory comes from:
 *  - up to 8 KiB: kmem caches "malloc-16" ... "malloc-8192", 44 classes
 *    spaced four per doubling to 1 KiB (16, 32, 48, ..., 128, 160, 192,
 *    224, 256, 320, ...) and eight above (1152, 1280, ..., 4608, ...),
 *    finer than kmalloc's so that no request wastes more than a quarter,
 *    nor above 1 KiB more than an eighth (sqlite's 4104- and 4368-byte
 *    pages took 5120 bytes with four steps, and its peak RSS was 113 MiB
 *    against 97 now); where a class has kmalloc's size the cache merges with
 *    kmalloc's (slabinfo shows the kmalloc name), as the kernel merges;
 *  - 8 KiB to 4 MiB: kmalloc_large(), a compound page run from the buddy
 *    allocator (pages never touched cost no host memory);
 *  - above 4 MiB: a run of whole pages, as many as the size needs
 *    (malloc_huge()): alloc_contig_pages() without __GFP_COMP, its first
 *    page typed large_kmalloc with no PG_head and the run's length in
 *    page->private (huge_block()), or vmalloc() when no contiguous run
 *    can be had.  Neither rounds up to a power of two: 5 MiB takes 5 MiB
 *    (but for a realloc() that grows one: a quarter more, see
 *    realloc_size()).
 *  Aligned requests take the first class whose objects all fall on the
 *  alignment (each class cache is aligned to its size's largest power-
 *  of-two divisor, so red zones and tracks do not shift its objects off
 *  it), else a page block, else vmalloc.
 *  free() tells them apart the kernel's way: a direct-map address is a
 *  slab object (PageSlab, or PGTY_slab_tail: see mm/slab.h) or a large
 *  block (kfree()), a vmalloc address is vfree()d.
 *  Pointers outside umm's heap are left alone; inside it free() aborts
 *  on a double free, as glibc does, and with umm.malloc_free_check=1
 *  (or =pointer) free() and realloc() also abort on a pointer that is
 *  no block's start (see free_key).
 *
 * umm boots on the first call with umm.backing=anon (private anonymous
 * frames, so fork() copies the heap on write and the child's memory is
 * its own), a 64 MiB start (less under a lower umm.max_mem=) that grows
 * by hot-adding sections, and page reporting giving free memory back;
 * $UMM_CMDLINE overrides any of it.  With anon backing the reclaim worker
 * (mm/vmstat.c, umm.reclaim_decay_ms=4000) gives free memory back to the
 * host over a few seconds, idle programs included; malloc_trim() does it
 * at once.  Free blocks of every order are reported
 * (page_reporting.page_reporting_order=0, where the kernel's default is
 * a pageblock, as a balloon driver picks its order): the slabs that idle
 * threads keep in their per-thread slots are scattered over the heap, so
 * that hardly a 2 MiB block is whole once they are idle.  Measured by
 * bench/allocators/idle_rss.sh (8 threads, parked after freeing 250 MiB):
 * 164 MiB stayed after 10 s with 2 MiB blocks, 50 MiB with 64 KiB
 * (order 4), 33 MiB with single pages, at no visible cost in system
 * time (24 MiB since whole max-order blocks give back their memmap too,
 * mm/memory_hotplug.c).
 * With anon backing the fork gate (mm/fork_gate.c) is on: no allocator
 * lock is held across fork(), and the child takes back the slabs of the
 * threads it does not have.
 *
 * mallinfo(), mallinfo2(), malloc_stats() and malloc_info() are
 * malloc_stats.c's: this file counts only the huge blocks for them
 * (malloc_stat_huge(), malloc_stat_vmalloc(), off the fast paths).
 *
 * Rules for this file: no stdio, nothing that may call malloc (the
 * recursive call would come straight back here): errors are errno,
 * reports are written with write(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
/* A fresh object does not hold the free key (see free_key): its first free is no alarm. */
#define slab_alloc_fast_hook(object)	(*(unsigned long *)(object) = 0)
#include "../mm/slab.h"
#include <umm/vmalloc.h>
#include "malloc_stats.h"

/*
 * Every request of the front end: a failure is NULL and ENOMEM, and no
 * message (glibc's malloc writes none; a program that probes how much it
 * can have would otherwise fill its stderr with warn_alloc() and
 * slab_out_of_memory() reports).
 */
#define MALLOC_GFP (GFP_KERNEL | __GFP_NOWARN)
#define MALLOC_ALIGN 16
#define CLASS_FINE_FROM 1024
#define NR_CLASSES MALLOC_NR_CLASSES
#define MALLOC_MAX_SMALL 8192

static struct kmem_cache *malloc_caches[NR_CLASSES];
static unsigned int class_size[NR_CLASSES];
/* Size to class, by 16 bytes: (size + 15) / 16. */
static unsigned char class_by_16[MALLOC_MAX_SMALL / 16 + 1];
static int malloc_ready;	/* 0 no, 1 in progress, 2 ready (acquire/release) */

/*
 * malloc()'s fast path: size to cache in one load, by 16 bytes.  Until
 * malloc_init() has made the caches every entry is malloc_unready, a
 * cache with no slabs whose cpu_offset 0 is the slot no cache has
 * (mm/slub.c's alloc_cache_index()): its pops always miss, so the fast
 * path needs no test of malloc_ready, and its slow path boots umm.
 */
static struct kmem_cache malloc_unready;
static struct kmem_cache *cache_by_16[MALLOC_MAX_SMALL / 16 + 1] = {
	[0 ... MALLOC_MAX_SMALL / 16] = &malloc_unready,
};

static void init_class_table(void)
{
	unsigned int n = 0;

	/* 16, 32, ..., 128 by 16; four steps per doubling to 1 KiB, then eight. */
	for (unsigned int sz = 16; sz <= 128; sz += 16)
		class_size[n++] = sz;
	for (unsigned int base = 128; base < MALLOC_MAX_SMALL; base *= 2) {
		unsigned int steps = base < CLASS_FINE_FROM ? 4 : 8;

		for (unsigned int k = 1; k <= steps; k++)
			class_size[n++] = base + k * base / steps;
	}
	for (unsigned int sz = 0, c = 0; sz <= MALLOC_MAX_SMALL; sz += 16) {
		while (class_size[c] < (sz ? sz : 1))
			c++;
		class_by_16[sz / 16] = (unsigned char)c;
	}
}

static __always_inline unsigned int size_class(size_t size)
{
	return class_by_16[(size + 15) >> 4];
}

/*
 * A class's objects are aligned to the largest power of two dividing its
 * size (at most a page), as the kernel aligns kmalloc's power-of-two
 * caches: without debugging the slots already fall there; with it the
 * cache alignment rounds the left red zone and the slot to it, so that
 * the tracks and red zones (slub_debug=ZPU) do not move the objects off
 * it.  umm_aligned() relies on it.
 */
static unsigned int class_align(unsigned int size)
{
	unsigned int align = size & -size;

	return align < PAGE_SIZE ? align : PAGE_SIZE;
}

/*
 * free()'s checks (boot option umm.malloc_free_check=; mm/slub.c keeps
 * it), each on its own:
 *  - double (MALLOC_CHECK_DOUBLE, the default), glibc's tcache key on
 *    SLUB: free() stores free_key, random per process, in an object's
 *    first word (the free pointer is mid-object, never there: classes are
 *    16 bytes or more), and malloc() clears it.  An object that holds the
 *    key when freed is looked for where this thread can see free objects
 *    (slab_object_is_free()): found, "free(): double free detected"; not
 *    found, the program's data matched the key by chance, and it is
 *    freed.  So no false alarm; what is missed is an object another
 *    thread freed that still sits in that thread's sheaf or cpu slab.
 *    On the fast path: a load of the key, a compare with the object's
 *    first word, a branch and a store on free (free_slab_object()); a
 *    store on malloc (slab_alloc_fast_hook).  The key is stored and
 *    cleared whatever the option: umm.malloc_free_check=0 or =pointer
 *    only skip the walk and the abort, as a test of the option on the
 *    fast path would cost about what the check does.  Measured by
 *    callgrind: 116 instructions a malloc+free pair against 111 without
 *    any check (114 to 116 against 111 to 112 from 16 bytes to 4 KiB),
 *    and 1.1% of the instructions of the allocator suite (geometric mean
 *    over its 13 workloads, bench/allocators/ab.sh; xmalloc pays most, 2
 *    to 5% from run to run): within the 2% that made it the default.
 *    (Figures from before the fast paths were cut down; the pair with
 *    the check now costs 66 to 68, bench/callgrind_table.sh.)
 *  - pointer (MALLOC_CHECK_POINTER): a slab pointer must be where an
 *    object of its slab starts (slab_object_start(), SLUB's
 *    check_valid_pointer()), also for realloc(): else "free(): invalid
 *    pointer".  Opt-in: it costs the fast path nothing while off (see
 *    free_fast_base), and takes every free() off it while on.
 *  Either one also checks, off the fast path, that a large block or a
 *  vmalloc area is freed at its start and while it is live, where a
 *  double free of one shows: else "free(): invalid pointer".
 *  Both print one line with write(2) and abort(), as glibc does.
 *  Pointers outside umm's heap are left alone (ld.so frees memory of its
 *  own early allocator through free()).
 */
static unsigned long free_key = 1;	/* random from malloc_init() on; never 0 */
static unsigned char free_checks;	/* MALLOC_CHECK_*, from malloc_free_check */

/*
 * The direct map's start as free()'s fast path sees it: PAGE_OFFSET, set
 * by malloc_init() when the pointer check is off; else FREE_ALL_SLOW,
 * from which no user-space address lies within the direct map's size,
 * so that every free() takes umm_free_slow(), which checks the pointer.
 * The check's switch costs the fast path nothing: it replaces the load
 * of PAGE_OFFSET in_direct_map() would make.
 */
#define FREE_ALL_SLOW	(1UL << 63)
static unsigned long free_fast_base = FREE_ALL_SLOW;

static __always_inline bool in_direct_map(const void *p)
{
	return (unsigned long)p - PAGE_OFFSET < PFN_PHYS(READ_ONCE(max_pfn));
}

static __attribute__((noreturn)) void malloc_abort(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		abort();
	abort();
}

static __cold __attribute__((noreturn)) void free_invalid(void)
{
	malloc_abort("umm: free(): invalid pointer\n");
}

static __cold __attribute__((noreturn)) void realloc_invalid(void)
{
	malloc_abort("umm: realloc(): invalid pointer\n");
}

/*
 * The first page of the huge run (malloc_huge()) that @p starts, or NULL:
 * typed large_kmalloc without PG_head, which no kmalloc_large() block
 * (a compound page) is.  @p is in the direct map.
 */
static struct page *huge_block(const void *p)
{
	struct page *page = virt_to_page(p);

	if (PageLargeKmalloc(page) && !PageHead(page) && p == page_address(page))
		return page;
	return NULL;
}

/* Is @p (in the direct map, not in a slab) the start of a large block? */
static bool large_block_start(struct page *head, const void *p)
{
	return PageLargeKmalloc(head) && p == page_address(head);
}

static bool vmalloc_block_start(const void *p)
{
	struct vm_struct *vm = find_vm_area(p);

	return vm && vm->addr == p;
}

/* realloc() reads the block before it frees it: check it first. */
static __cold void realloc_check(void *p)
{
	struct page *head;

	if (!free_checks)
		return;
	if (is_vmalloc_addr(p)) {
		if (!vmalloc_block_start(p))
			realloc_invalid();
		return;
	}
	if (!in_direct_map(p) || huge_block(p))
		return;
	head = slab_head_page(virt_to_page(p));
	if (PageSlab(head) ? (free_checks & MALLOC_CHECK_POINTER) &&
			     !slab_object_start(head->slab_cache, head, p) :
			     !large_block_start(head, p))
		realloc_invalid();
}

/* slab_alloc_fast_hook() for the objects of the slow paths. */
static __always_inline void *clear_free_key(void *p)
{
	if (likely(p))
		*(unsigned long *)p = 0;
	return p;
}

/* The per-process key (odd, so never 0, which a fresh object holds) and the checks. */
static void init_free_checks(unsigned int checks)
{
	unsigned long key = 0;

	if (getrandom(&key, sizeof(key), GRND_NONBLOCK) != sizeof(key))
		key = (unsigned long)umm_random() ^ (unsigned long)&key;
	free_key = key | 1;
	free_checks = (unsigned char)checks;
	free_fast_base = checks & MALLOC_CHECK_POINTER ? FREE_ALL_SLOW : PAGE_OFFSET;
}

static __thread bool in_malloc_init __attribute__((tls_model("initial-exec")));

/*
 * Boot umm (anon backing by default) and make the size-class caches.
 * errno is kept: the boot's system calls and parsers leave theirs (0
 * among them), and no library function sets errno to 0 (C11 7.5), nor
 * does a malloc() that succeeds change it in glibc.
 */
static __cold bool malloc_init(void)
{
	int expected = 0, saved_errno;

	if (__atomic_load_n(&malloc_ready, __ATOMIC_ACQUIRE) == 2)
		return true;
	if (in_malloc_init)
		return false;	/* recursion from inside boot: use kmalloc */
	if (!__atomic_compare_exchange_n(&malloc_ready, &expected, 1, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&malloc_ready, __ATOMIC_ACQUIRE) != 2)
			sched_yield();
		return true;
	}
	in_malloc_init = true;
	saved_errno = errno;
	if (!umm_is_booted()) {
		/* Defaults, under $UMM_CMDLINE: a smaller mem= follows umm.max_mem= down. */
		int err = umm_boot_front_end("umm.backing=anon mem=64M umm.hotplug=1 "
					     "page_reporting.page_reporting_order=0");

		if (err && err != -EBUSY) {
			static const char msg[] = "umm-malloc: umm failed to boot; check $UMM_CMDLINE\n";

			if (write(2, msg, sizeof(msg) - 1) < 0)
				_exit(127);
			_exit(127);
		}
	}
	init_free_checks(malloc_free_check);
	init_class_table();
	for (unsigned int i = 0; i < NR_CLASSES; i++) {
		char name[32];
		unsigned int sz = class_size[i], d = 0;
		char digits[12];

		/* No snprintf: build "malloc-<size>" by hand. */
		do {
			digits[d++] = (char)('0' + sz % 10);
			sz /= 10;
		} while (sz);
		memcpy(name, "malloc-", 7);
		for (unsigned int k = 0; k < d; k++)
			name[7 + k] = digits[d - 1 - k];
		name[7 + d] = '\0';
		malloc_caches[i] = kmem_cache_create(name, class_size[i],
						     class_align(class_size[i]), 0, NULL);
	}
	for (unsigned int k = 0; k <= MALLOC_MAX_SMALL / 16; k++)
		__atomic_store_n(&cache_by_16[k], malloc_caches[class_by_16[k]], __ATOMIC_RELEASE);
	in_malloc_init = false;
	__atomic_store_n(&malloc_ready, 2, __ATOMIC_RELEASE);
	errno = saved_errno;
	return true;
}

/* @p, a fresh vmalloc area or NULL, counted for mallinfo() (malloc_stats.c). */
static __cold void *vmalloc_counted(void *p)
{
	if (p)
		malloc_stat_vmalloc(p, 1);
	return p;
}

/*
 * Beyond 4 MiB: as many whole pages as @size needs, physically contiguous
 * from alloc_contig_pages() without __GFP_COMP (it takes max-order blocks
 * and gives back the pages past the run at once, as alloc_pages_exact()
 * does): the run lies in the direct map, which stays resident between
 * uses, as glibc's heap does.  Its first page is typed large_kmalloc, with
 * no PG_head (huge_block() tells it from a kmalloc_large() block) and the
 * run's length in page->private, and counts as unreclaimable slab memory
 * as a large kmalloc does.  vmalloc() when no such run can be had (its
 * areas are page-granular too); a fresh vmalloc area is new host memory
 * every time, which costs a page fault per page on every reuse.
 */
static __cold void *malloc_huge(size_t size, gfp_t gfp)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct page *page;

	page = alloc_contig_pages(nr_pages, gfp | __GFP_NOWARN, -1, NULL);
	if (page) {
		set_page_private(page, nr_pages);
		__SetPageLargeKmalloc(page);
		malloc_stat_huge(1, nr_pages, page);
		return page_address(page);
	}
	return vmalloc_counted(__vmalloc(size, gfp | __GFP_NOWARN));
}

static __cold void free_huge(struct page *page)
{
	unsigned long nr_pages = page_private(page);

	malloc_stat_huge(-1, nr_pages, page);
	__ClearPageLargeKmalloc(page);
	set_page_private(page, 0);
	free_contig_range(page_to_pfn(page), nr_pages);
}

static void *malloc_slow_size(size_t size, gfp_t gfp, unsigned long addr)
{
	if (!malloc_init())
		return kmalloc(size < MALLOC_ALIGN ? MALLOC_ALIGN : size, gfp);
	if (size <= MALLOC_MAX_SMALL)
		return slab_alloc_fast(malloc_caches[size_class(size)], gfp, NUMA_NO_NODE, addr,
				       0);
	if (size <= KMALLOC_MAX_SIZE)
		return kmalloc_large(size, gfp | __GFP_NOWARN);
	if (size > (size_t)PTRDIFF_MAX)
		return NULL;
	return malloc_huge(size, gfp);
}

/*
 * Everything but a pop from this thread's sheaf or cpu freelist: the
 * first call (boot), a refill, failslab, large and huge blocks.  @addr:
 * malloc()'s caller, for the slab debugging tracks.
 */
static __attribute__((noinline)) void *malloc_slow(size_t size, gfp_t gfp, unsigned long addr)
{
	void *p = malloc_slow_size(size, gfp, addr);

	if (unlikely(!p))
		errno = ENOMEM;
	return p;
}

static __always_inline void *umm_malloc(size_t size, gfp_t gfp)
{
	/* The slab fast path (mm/slab.h), inlined: a pop from this thread's slot. */
	if (likely(size <= MALLOC_MAX_SMALL)) {
		struct kmem_cache *s = __atomic_load_n(&cache_by_16[(size + 15) >> 4],
						       __ATOMIC_CONSUME);
		void *p = slab_alloc_pop(s);

		if (likely(p)) {
			*(unsigned long *)p = 0;	/* see free_key */
			if (gfp & __GFP_ZERO)
				slab_zero_object(s, p, 0);
			return p;
		}
	}
	return malloc_slow(size, gfp, _RET_IP_);
}

/*
 * An object that holds the key: freed twice (abort), or data that
 * matches it (free it).  It frees the object itself, so that nothing of
 * the fast path lives across the call (no register saved for it there).
 */
static __cold __attribute__((noinline)) void free_key_seen(struct kmem_cache *s,
							   struct page *page, void *p,
							   unsigned long addr)
{
	if ((free_checks & MALLOC_CHECK_DOUBLE) &&
	    slab_object_is_free(s, slab_head_page(page), p))
		malloc_abort("umm: free(): double free detected\n");
	slab_free_fast(s, page, p, p, 1, addr);
}

/*
 * A slab object: push it on this thread's slab (mm/slab.h), after the
 * double-free check: a load of the key, a compare, a branch, a store.
 */
static __always_inline void free_slab_object(struct page *page, void *p, unsigned long addr)
{
	struct kmem_cache *s = page->slab_cache;	/* a tail's copy: see mm/slab.h */
	unsigned long key = free_key;

	if (unlikely(*(unsigned long *)p == key)) {
		free_key_seen(s, page, p, TRACK_CALLER(addr));
		return;
	}
	*(unsigned long *)p = key;
	slab_free_fast(s, page, p, p, 1, addr);
}

/*
 * Every free() but a slab object's with the pointer check off: large
 * blocks, vmalloc areas, what is not ours, and slab objects whose
 * pointer is checked (free_fast_base keeps them off the fast path).
 * @addr: free()'s caller, for the slab debugging tracks.
 */
static __attribute__((noinline)) void umm_free_slow(void *p, unsigned long addr)
{
	struct page *slab;

	if (!p)
		return;
	if (!in_direct_map(p)) {
		if (is_vmalloc_addr(p)) {
			if (unlikely(free_checks) && !vmalloc_block_start(p))
				free_invalid();
			malloc_stat_vmalloc(p, -1);
			vfree(p);
		}
		/* Anything else was never ours (e.g. ld.so's own early memory). */
		return;
	}
	slab = huge_block(p);
	if (slab) {
		free_huge(slab);
		return;
	}
	slab = slab_head_page(virt_to_page(p));
	if (likely(PageSlab(slab))) {
		if ((free_checks & MALLOC_CHECK_POINTER) &&
		    !slab_object_start(slab->slab_cache, slab, p))
			free_invalid();
		free_slab_object(slab, p, addr);
		return;
	}
	if (unlikely(free_checks) && !large_block_start(slab, p))
		free_invalid();
	kfree(p);	/* a large kmalloc block */
}

static __always_inline void umm_free(void *p)
{
	/*
	 * in_direct_map() and __pa(), from free_fast_base: see there.  NULL
	 * is below it, so it takes umm_free_slow() with no test of its own.
	 */
	unsigned long pfn = ((unsigned long)p - free_fast_base) >> PAGE_SHIFT;

	if (likely(pfn < READ_ONCE(max_pfn))) {
		struct page *page = pfn_to_page(pfn);

		if (likely(page_is_slab_fast(page))) {
			free_slab_object(page, p, 0);
			return;
		}
	}
	umm_free_slow(p, _RET_IP_);
}

static size_t umm_usable_size(const void *p)
{
	struct page *huge;

	if (!p)
		return 0;
	if (in_direct_map(p)) {
		huge = huge_block(p);
		return huge ? page_private(huge) << PAGE_SHIFT : ksize(p);
	}
	if (is_vmalloc_addr(p)) {
		struct vm_struct *vm = find_vm_area(p);

		return vm ? vm->size - PAGE_SIZE : 0;
	}
	return 0;
}

MALLOC_API void *malloc(size_t size)
{
	return umm_malloc(size, MALLOC_GFP);
}

MALLOC_API void free(void *p)
{
	umm_free(p);
}

MALLOC_API void cfree(void *p)
{
	umm_free(p);
}

MALLOC_API void *calloc(size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes))) {
		errno = ENOMEM;
		return NULL;
	}
	return umm_malloc(bytes, MALLOC_GFP | __GFP_ZERO);
}

/*
 * How much a realloc() that moves @old bytes to @size asks for.  A huge
 * block (above KMALLOC_MAX_SIZE: whole pages, no power-of-two rounding)
 * that grows moves with a quarter more room, so that a buffer grown a
 * step at a time moves O(log n) times rather than once a step: 64 KiB
 * steps to 256 MiB moved 4039 times, copying some 500 GiB (glibc's
 * mremap() grows a block where it lies).  The room is pages not yet
 * touched, which cost the host nothing (anon backing).
 */
static size_t realloc_size(size_t old, size_t size)
{
	size_t room;

	if (size <= KMALLOC_MAX_SIZE || size <= old ||
	    __builtin_add_overflow(size, size / 4, &room) || room > (size_t)PTRDIFF_MAX)
		return size;
	return room;
}

MALLOC_API void *realloc(void *p, size_t size)
{
	size_t old;
	void *q;

	if (!p)
		return umm_malloc(size, MALLOC_GFP);
	if (size == 0) {
		umm_free(p);
		return NULL;
	}
	realloc_check(p);
	old = umm_usable_size(p);
	if (old == 0 && !in_direct_map(p) && !is_vmalloc_addr(p)) {
		/* Not ours: we cannot know its size to move it. */
		errno = EINVAL;
		return NULL;
	}
	/* In place while it fits and is not mostly wasted. */
	if (size <= old && size >= old / 2)
		return p;
	q = umm_malloc(realloc_size(old, size), MALLOC_GFP);
	if (!q && realloc_size(old, size) != size)
		q = umm_malloc(size, MALLOC_GFP);	/* no room for the room */
	if (!q)
		return NULL;
	memcpy(q, p, old < size ? old : size);
	umm_free(p);
	return q;
}

MALLOC_API void *reallocarray(void *p, size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes))) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, bytes);
}

/*
 * Are all objects of @s aligned to @align (a power of two, at most a
 * page)?  A slab starts on a page boundary and its objects at
 * red_left_pad + i * size (SLAB: after a multiple of colour_off), so
 * those must be multiples of @align; the
 * class size alone is not the slot's (slub_debug= adds red zones, tracks
 * and padding), and a class may be served by a merged kmalloc cache.
 */
static bool cache_aligns(const struct kmem_cache *s, size_t align)
{
	/* SLAB (umm.slab=slab) starts each slab's objects at a colour offset. */
	unsigned int colour = slab_classic && s->colour ? s->colour_off : 0;

	return !((s->size | s->red_left_pad | colour) & (align - 1));
}

/* An allocation aligned to @align (a power of two), or NULL. */
static void *umm_aligned(size_t align, size_t size)
{
	if (align <= MALLOC_ALIGN)
		return umm_malloc(size, MALLOC_GFP);
	if (!malloc_init()) {
		errno = ENOMEM;
		return NULL;
	}
	/* A class whose every object aligns (see cache_aligns()). */
	if (align <= PAGE_SIZE && size <= MALLOC_MAX_SMALL) {
		for (unsigned int c = size_class(size ? size : 1); c < NR_CLASSES; c++) {
			if (cache_aligns(malloc_caches[c], align)) {
				void *p = clear_free_key(kmem_cache_alloc(malloc_caches[c],
									  MALLOC_GFP));

				if (!p)
					errno = ENOMEM;
				return p;
			}
		}
	}
	/* A block of 2^k pages starts on a 2^k-page boundary. */
	if (size <= KMALLOC_MAX_SIZE && align <= KMALLOC_MAX_SIZE) {
		size_t want = size > align ? size : align;
		void *p;

		if (want <= MALLOC_MAX_SMALL)
			want = MALLOC_MAX_SMALL + 1;	/* force the page path */
		p = kmalloc_large(want, MALLOC_GFP);
		if (!p)
			errno = ENOMEM;
		return p;
	}
	{
		/* malloc(0) is a block: vmalloc warns about (and fails) 0 bytes. */
		void *p = vmalloc_counted(__vmalloc_node(size ? size : 1, align, MALLOC_GFP, -1,
							 __builtin_return_address(0)));

		if (!p)
			errno = ENOMEM;
		return p;
	}
}

static inline bool power_of_2(size_t x)
{
	return x && !(x & (x - 1));
}

MALLOC_API int posix_memalign(void **memptr, size_t align, size_t size)
{
	void *p;

	if (!power_of_2(align) || align % sizeof(void *))
		return EINVAL;
	p = umm_aligned(align, size);
	if (!p)
		return ENOMEM;
	*memptr = p;
	return 0;
}

/* C23 and glibc 2.38: an alignment that is not a power of two is EINVAL. */
MALLOC_API void *aligned_alloc(size_t align, size_t size)
{
	if (!power_of_2(align)) {
		errno = EINVAL;
		return NULL;
	}
	return umm_aligned(align, size);
}

MALLOC_API void *memalign(size_t align, size_t size)
{
	/* glibc rounds a bad alignment up to a power of two. */
	if (!power_of_2(align)) {
		size_t a = MALLOC_ALIGN;

		while (a < align && a)
			a <<= 1;
		if (!a) {
			errno = EINVAL;
			return NULL;
		}
		align = a;
	}
	return umm_aligned(align, size);
}

MALLOC_API void *valloc(size_t size)
{
	return umm_aligned(PAGE_SIZE, size);
}

MALLOC_API void *pvalloc(size_t size)
{
	size_t rounded;

	if (__builtin_add_overflow(size, PAGE_SIZE - 1, &rounded)) {
		errno = ENOMEM;
		return NULL;
	}
	return umm_aligned(PAGE_SIZE, rounded & PAGE_MASK ? rounded & PAGE_MASK : PAGE_SIZE);
}

struct kmem_cache *malloc_class(unsigned int i, unsigned int *size)
{
	if (i >= NR_CLASSES || __atomic_load_n(&malloc_ready, __ATOMIC_ACQUIRE) != 2)
		return NULL;
	*size = class_size[i];
	return malloc_caches[i];
}

MALLOC_API size_t malloc_usable_size(void *p)
{
	return umm_usable_size(p);
}

/*
 * Give back what can go: this thread's cpu slabs and every empty slab,
 * the pcp pages, lazily freed vmalloc ranges, and then every free block
 * of 2 MiB or more to the host (page reporting with no warm reserve).
 */
MALLOC_API int malloc_trim(size_t pad)
{
	(void)pad;
	if (__atomic_load_n(&malloc_ready, __ATOMIC_ACQUIRE) != 2)
		return 0;
	for (unsigned int i = 0; i < NR_CLASSES; i++)
		kmem_cache_shrink(malloc_caches[i]);
	for (unsigned int t = 0; t < NR_KMALLOC_TYPES; t++)
		for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
			if (kmalloc_caches[t][i])
				kmem_cache_shrink(kmalloc_caches[t][i]);
	vm_unmap_aliases();
	umm_page_reporting_flush();
	return 1;
}

MALLOC_API int mallopt(int param, int value)
{
	(void)param;
	(void)value;
	return 1;	/* accepted and ignored: umm has no such knobs */
}

/* The glibc-internal names, so nothing is ever freed into the wrong heap. */
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wunknown-warning-option"
#pragma GCC diagnostic ignored "-Wmissing-attributes"
MALLOC_API void *__libc_malloc(size_t size) __attribute__((alias("malloc")));
MALLOC_API void __libc_free(void *p) __attribute__((alias("free")));
MALLOC_API void *__libc_calloc(size_t n, size_t size) __attribute__((alias("calloc")));
MALLOC_API void *__libc_realloc(void *p, size_t size) __attribute__((alias("realloc")));
MALLOC_API void *__libc_memalign(size_t align, size_t size) __attribute__((alias("memalign")));
MALLOC_API void *__libc_valloc(size_t size) __attribute__((alias("valloc")));
MALLOC_API void *__libc_pvalloc(size_t size) __attribute__((alias("pvalloc")));
MALLOC_API int __posix_memalign(void **memptr, size_t align, size_t size)
	__attribute__((alias("posix_memalign")));

/*
 * ---- UMM_REPORT=FILE: the kernel's view of this process at exit ----
 *
 * At exit (a destructor: not at exec, nor _exit) the process appends
 * "==> umm report: pid PID (COMM) <==" and then /proc/slabinfo,
 * /proc/meminfo and /proc/buddyinfo, each after "$ cat PATH".  With
 * UMM_REPORT_PID=PID only that process reports: umm run's top process,
 * whatever image it ends in after exec, and none of its children.  Both
 * are read when the image starts (umm_malloc_report_env()).  A process
 * that exit()s inside the allocator (from a signal handler) writes the
 * header and why it has no figures: the reads would wait for its locks.
 * The check is the fork gate's depth, so it holds with anon backing,
 * the front end's default.
 */

struct report {
	char *buf;
	size_t size, len;
};

/*
 * UMM_REPORT and UMM_REPORT_PID as the image started: it may clear its
 * environment (clearenv(), Python's os.environ.clear()) before it exits.
 * A fork child inherits them; an exec reads them again.
 */
static char report_path[4096];
static char report_pid[24];

__attribute__((constructor)) static void umm_malloc_report_env(void)
{
	const char *path = getenv("UMM_REPORT"), *pid = getenv("UMM_REPORT_PID");

	/* Both start empty: no store where there is nothing to keep (a page less). */
	if (path && strlen(path) < sizeof(report_path))
		strcpy(report_path, path);
	if (pid && *pid)	/* one too long names no pid: no report */
		strcpy(report_pid, strlen(pid) < sizeof(report_pid) ? pid : "-");
}

static void report_add(struct report *r, const char *s, size_t n)
{
	if (r->len + n <= r->size) {
		memcpy(r->buf + r->len, s, n);
		r->len += n;
	}
}

static void report_ulong(struct report *r, unsigned long v)
{
	char digits[24];
	int d = 0;

	do {
		digits[sizeof(digits) - 1 - d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	report_add(r, digits + sizeof(digits) - d, (size_t)d);
}

static void report_file(struct report *r, const char *path)
{
	ssize_t n;

	report_add(r, "$ cat ", 6);
	report_add(r, path, strlen(path));
	report_add(r, "\n", 1);
	n = umm_proc_read(path, r->buf + r->len, r->size - r->len);
	if (n > 0 && (size_t)n < r->size - r->len)
		r->len += (size_t)n;
}

/* Is this the process UMM_REPORT_PID names, or does it name none? */
static bool report_wanted(void)
{
	const char *want = report_pid;
	unsigned long pid = 0;

	if (!*want)
		return true;
	for (; *want >= '0' && *want <= '9'; want++)
		pid = pid * 10 + (unsigned long)(*want - '0');
	return !*want && pid == (unsigned long)getpid();
}

/* "==> umm report: pid PID (COMM) <==", COMM from /proc/self/comm. */
static void report_header(struct report *r)
{
	char comm[64];
	ssize_t n = 0;
	int fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, comm, sizeof(comm));
		close(fd);
	}
	while (n > 0 && comm[n - 1] == '\n')
		n--;
	report_add(r, "==> umm report: pid ", 20);
	report_ulong(r, (unsigned long)getpid());
	report_add(r, " (", 2);
	report_add(r, comm, n > 0 ? (size_t)n : 0);
	report_add(r, ") <==\n", 6);
}

/*
 * One write(2) with O_APPEND: the reports of processes that exit at the
 * same time (a pipeline under umm run --each) do not interleave.
 */
static void report_write(const struct report *r)
{
	int fd = open(report_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return;
	for (size_t off = 0; off < r->len; off += (size_t)n) {
		n = write(fd, r->buf + off, r->len - off);
		if (n <= 0)
			break;
	}
	close(fd);
}

/*
 * exit() from a signal handler that landed in this thread inside the
 * allocator (inside the fork gate, maybe holding a zone's spinlock): the
 * /proc reads would spin for ever on that lock, or walk lists it is
 * halfway through changing.  The header and why there are no figures.
 */
static bool report_inside_allocator(void)
{
	static const char why[] = "(no figures: it exited inside umm's allocator, as from a "
				  "signal handler that called exit())\n";
	char buf[256];
	struct report r = { buf, sizeof(buf), 0 };

	if (!umm_gate_depth)
		return false;
	report_header(&r);
	report_add(&r, why, sizeof(why) - 1);
	report_write(&r);
	return true;
}

__attribute__((destructor)) static void umm_malloc_report(void)
{
	static const char *const files[] = { "/proc/slabinfo", "/proc/meminfo",
					     "/proc/buddyinfo" };
	struct report r = { 0 };
	ssize_t n;

	if (!*report_path || __atomic_load_n(&malloc_ready, __ATOMIC_ACQUIRE) != 2 ||
	    !report_wanted() || report_inside_allocator())
		return;
	r.size = 8192;
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		n = umm_proc_read(files[i], NULL, 0);
		r.size += n > 0 ? (size_t)n : 0;
	}
	r.size = PAGE_ALIGN(r.size);
	r.buf = host_alloc(r.size);
	if (!r.buf)
		return;
	report_header(&r);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		report_file(&r, files[i]);
	report_write(&r);
	host_free(r.buf, r.size);
}
