// SPDX-License-Identifier: GPL-2.0
/*
 * slab_common.c - what every slab allocator shares (mm/slab_common.c):
 * creating, merging and destroying caches, the kmalloc caches and
 * kmalloc()/kfree() and friends, and /proc/slabinfo.
 *
 * Owns: slab_caches (newest first, as /proc/slabinfo lists them),
 * slab_mutex, kmalloc_caches[][], slab_state.
 *
 * Merging: a new cache without a ctor or debugging flags reuses an
 * existing cache whose object size is at most a word larger and whose
 * alignment and accounting flags agree (find_mergeable()); the new name
 * becomes an alias, the cache's refcount counts them, and destroying an
 * alias only drops the count.  slab_nomerge on the command line turns
 * this off.  The slub_debug= flags a cache will get (kmem_cache_flags())
 * are applied before looking for a cache to merge with, so a debugged
 * cache never merges, and only consistency-checked caches merge with
 * each other.
 *
 * failslab (the kernel's mm/failslab.c lives here): failslab=I,P,S,T
 * and failslab.ignore-gfp-wait, .verbose, .cache-filter, settable at boot
 * and at run time.  should_failslab() runs before every slab allocation
 * once a probability is set (the fast paths, which test nothing for it,
 * miss from then on: mm/slub.c's slab_failslab_update()): never for the
 * kmem_cache cache itself, for __GFP_NOFAIL, during
 * boot, or (ignore-gfp-wait=1, the kernel's default) for allocations
 * that may sleep; with cache-filter=1 only caches with SLAB_FAILSLAB
 * (slub_debug=A) fail, otherwise every cache may (the kernel's default).
 * The sizes it charges to "space" are object sizes; large kmallocs go to
 * the page allocator and fail_page_alloc instead, as in the kernel.
 *
 * The allocator: umm.slab=slub (the default, mm/slub.c) or umm.slab=slab
 * (slab_classic, mm/slab.c), fixed at boot; /proc/slabinfo shows SLAB's
 * tunables and (umm.slab_stats=1) its statistics, and takes its writes.
 *
 * Lock order: slab_mutex, then mm/slub.c's or mm/slab.c's locks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "slab.h"
#include <umm/vmalloc.h>

bool slab_classic;		/* umm.slab=slab */
LIST_HEAD(slab_caches);
DEFINE_MUTEX(slab_mutex);
int slab_state;
struct kmem_cache *kmem_cache;
struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
static bool slab_nomerge;

#define SLAB_NEVER_MERGE (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
			  SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | \
			  SLAB_FAILSLAB | SLAB_NO_MERGE)
#define SLAB_MERGE_SAME (SLAB_CONSISTENCY_CHECKS | SLAB_RECLAIM_ACCOUNT | \
			 SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | SLAB_ACCOUNT)
#define CACHE_CREATE_MASK (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			   SLAB_KMALLOC | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | \
			   SLAB_CACHE_DMA32 | SLAB_STORE_USER | SLAB_PANIC | \
			   SLAB_TYPESAFE_BY_RCU | SLAB_TRACE | SLAB_NOLEAKTRACE | \
			   SLAB_NO_MERGE | SLAB_ACCOUNT | SLAB_NO_USER_FLAGS | \
			   SLAB_RECLAIM_ACCOUNT | SLAB_FAILSLAB)

/* ---- failslab ---- */

struct fault_attr failslab_attr = FAULT_ATTR_INITIALIZER("failslab");
static bool failslab_ignore_gfp_reclaim = true;
static bool failslab_cache_filter;

bool should_failslab(struct kmem_cache *s, gfp_t gfpflags)
{
	int flags = 0;

	/* No fault injection for the bootstrap cache, nor during boot. */
	if (unlikely(s == kmem_cache) || !__atomic_load_n(&umm_booted, __ATOMIC_ACQUIRE))
		return false;
	if (gfpflags & __GFP_NOFAIL)
		return false;
	if (READ_ONCE(failslab_ignore_gfp_reclaim) && (gfpflags & __GFP_DIRECT_RECLAIM))
		return false;
	if (READ_ONCE(failslab_cache_filter) && !(s->flags & SLAB_FAILSLAB))
		return false;
	if (gfpflags & __GFP_NOWARN)
		flags |= FAULT_NOWARN;
	return should_fail_ex(&failslab_attr, (long)s->object_size, flags);
}

/* "0", "1", "y", "n", "on", "off" as kernel/params.c takes them. */
int slab_parse_bool(const char *v, bool *out)
{
	if (!v)
		return -EINVAL;
	if (!strcmp(v, "1") || !strcmp(v, "y") || !strcmp(v, "Y") || !strcmp(v, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(v, "0") || !strcmp(v, "n") || !strcmp(v, "N") || !strcmp(v, "off")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

static int failslab_param(const char *name, const char *val)
{
	bool b;

	if (!val)
		return -EINVAL;
	if (!strcmp(name, "failslab")) {
		int err = setup_fault_attr(&failslab_attr, val);

		if (!err)
			slab_failslab_update();
		return err;
	}
	if (!strcmp(name, "failslab.verbose")) {
		if (strcmp(val, "0") && strcmp(val, "1") && strcmp(val, "2"))
			return -EINVAL;
		WRITE_ONCE(failslab_attr.verbose, (unsigned long)(val[0] - '0'));
		return 0;
	}
	if (slab_parse_bool(val, &b))
		return -EINVAL;
	if (!strcmp(name, "failslab.ignore-gfp-wait"))
		WRITE_ONCE(failslab_ignore_gfp_reclaim, b);
	else if (!strcmp(name, "failslab.cache-filter"))
		WRITE_ONCE(failslab_cache_filter, b);
	else
		return -EINVAL;
	return 0;
}

int slab_common_param(const char *name, const char *val)
{
	if (!strcmp(name, "slab_nomerge") || !strcmp(name, "slub_nomerge")) {
		if (val)
			return -EINVAL;
		slab_nomerge = true;
		return 0;
	}
	if (!strcmp(name, "slab_merge")) {
		if (val)
			return -EINVAL;
		slab_nomerge = false;
		return 0;
	}
	if (!strncmp(name, "failslab", 8))
		return failslab_param(name, val);
	if (!strcmp(name, "umm.slab")) {
		if (val && !strcmp(val, "slab"))
			slab_classic = true;
		else if (val && !strcmp(val, "slub"))
			slab_classic = false;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(name, "slab_max_order") || !strcmp(name, "umm.slab_stats"))
		return slab_classic_param(name, val);
	return slub_param(name, val);
}

unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64;	/* cache_line_size() */

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, (unsigned int)sizeof(unsigned long long));
	return ALIGN(align, sizeof(void *));
}

bool slab_unmergeable(struct kmem_cache *s)
{
	return slab_nomerge || (s->flags & SLAB_NEVER_MERGE) || s->ctor ||
	       s->usersize || s->refcount < 0;
}

struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
				  slab_flags_t flags, const char *name,
				  void (*ctor)(void *))
{
	struct kmem_cache *s;

	flags = kmem_cache_flags(flags, name);
	if (slab_nomerge || ctor || (flags & SLAB_NEVER_MERGE))
		return NULL;
	size = ALIGN(size, sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN(size, align);
	/* Oldest first: merge into the long-lived caches. */
	for (s = list_entry(slab_caches.prev, struct kmem_cache, list);
	     &s->list != &slab_caches;
	     s = list_entry(s->list.prev, struct kmem_cache, list)) {
		if (slab_unmergeable(s))
			continue;
		if (size > s->size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		/* Check if alignment is compatible. */
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (s->size - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

static struct kmem_cache *create_cache(const char *name, unsigned int object_size,
				       unsigned int align, slab_flags_t flags,
				       unsigned int useroffset, unsigned int usersize,
				       void (*ctor)(void *), int *errp)
{
	struct kmem_cache *s = kmem_cache_zalloc(kmem_cache, GFP_KERNEL);
	int err;

	if (!s) {
		*errp = -ENOMEM;
		return NULL;
	}
	s->name = name;
	s->size = s->object_size = object_size;
	s->align = align;
	s->ctor = ctor;
	s->useroffset = useroffset;
	s->usersize = usersize;
	s->refcount = 1;
	err = __kmem_cache_create(s, flags);
	if (err) {
		kmem_cache_free(kmem_cache, s);
		*errp = err;
		return NULL;
	}
	list_add(&s->list, &slab_caches);
	return s;
}

struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
					      unsigned int align, slab_flags_t flags,
					      unsigned int useroffset,
					      unsigned int usersize,
					      void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	const char *cache_name;
	int err = 0;

	if (!umm_ensure_booted())
		return NULL;
	umm_gate_enter();
	mutex_lock(&slab_mutex);
	if (!name || !*name || size == 0 || size > KMALLOC_MAX_SIZE ||
	    (align & (align - 1)) || (flags & ~CACHE_CREATE_MASK) ||
	    (usersize && (useroffset > size || usersize > size - useroffset))) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (!usersize)
		s = __kmem_cache_alias(name, size, align, flags, ctor);
	if (s)
		goto out_unlock;
	cache_name = kstrdup(name, GFP_KERNEL);
	if (!cache_name) {
		err = -ENOMEM;
		goto out_unlock;
	}
	s = create_cache(cache_name, size, calculate_alignment(flags, align, size), flags,
			 useroffset, usersize, ctor, &err);
	if (!s)
		kfree(cache_name);
out_unlock:
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
	if (err) {
		if (flags & SLAB_PANIC) {
			pr_err("kmem_cache_create: Failed to create slab '%s'. Error %d\n",
				 name ? name : "(null)", err);
			abort();
		}
		pr_warn("kmem_cache_create(%s) failed with error %d\n", name ? name : "(null)",
			err);
		return NULL;
	}
	return s;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	return kmem_cache_create_usercopy(name, size, align, flags, 0, 0, ctor);
}

int kmem_cache_destroy(struct kmem_cache *s)
{
	void *caller = __builtin_return_address(0);
	int err = 0;

	if (!s || !umm_booted)
		return 0;
	umm_gate_enter();
	mutex_lock(&slab_mutex);
	if (s->refcount < 0) {
		pr_err("kmem_cache_destroy %s: a boot cache cannot be destroyed\n", s->name);
		err = -EPERM;
		goto out;
	}
	if (--s->refcount)
		goto out;	/* an alias went away */
	if (__kmem_cache_shutdown(s)) {
		char sym[192];

		umm_sprint_symbol(sym, sizeof(sym), caller);
		pr_err("kmem_cache_destroy %s: Slab cache still has objects when called from %s\n",
		       s->name, sym);
		s->refcount++;	/* keep it usable: its objects are still out */
		err = -EBUSY;
		goto out;
	}
	list_del(&s->list);
	__kmem_cache_release(s);
	if (!(s->flags & SLAB_KMALLOC))
		kfree(s->name);
	kmem_cache_free(kmem_cache, s);
out:
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
	return err;
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	int ret;

	VM_CHECK(s ? kmem_cache_validate(s) : 0);
	if (!s)
		return 0;
	umm_gate_enter();
	mutex_lock(&slab_mutex);
	ret = __kmem_cache_shrink(s);
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
	return ret;
}

/* ---- kmalloc ---- */

static const char *const kmalloc_size_names[KMALLOC_SHIFT_HIGH + 1] = {
	[1] = "96", [2] = "192", [3] = "8", [4] = "16", [5] = "32", [6] = "64",
	[7] = "128", [8] = "256", [9] = "512", [10] = "1k", [11] = "2k",
	[12] = "4k", [13] = "8k",
};

static int new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = {
		"kmalloc-", "kmalloc-rcl-", "dma-kmalloc-",
	};
	/* Static names: kmalloc cannot allocate its own names yet. */
	static char names[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1][24];
	slab_flags_t flags = SLAB_KMALLOC;
	struct kmem_cache *s;
	int err = 0;

	if (type == KMALLOC_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags |= SLAB_CACHE_DMA;
	snprintf(names[type][idx], sizeof(names[type][idx]), "%s%s", prefix[type],
		 kmalloc_size_names[idx]);
	/* create_cache() never merges; later caches may merge into these. */
	s = create_cache(names[type][idx], kmalloc_size(idx),
			 calculate_alignment(flags, 0, kmalloc_size(idx)), flags, 0, 0, NULL, &err);
	if (!s)
		return err;
	kmalloc_caches[type][idx] = s;
	return 0;
}

void kmem_cache_init_common(void)
{
	slab_state = DOWN;
	if (slab_classic ? slab_kmem_cache_init() : kmem_cache_init())
		return;
	mutex_lock(&slab_mutex);
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		for (unsigned int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++) {
			if (new_kmalloc_cache(i, (enum kmalloc_cache_type)type))
				goto fail;
			/* 96 and 192 come right after 64 and 128. */
			if ((i == 6 && new_kmalloc_cache(1, (enum kmalloc_cache_type)type)) ||
			    (i == 7 && new_kmalloc_cache(2, (enum kmalloc_cache_type)type)))
				goto fail;
		}
	}
	slab_state = UP;
	if (slab_classic) {
		/* kmalloc works now: every cache gets its real arrays. */
		slab_kmem_cache_init_late();
		mutex_unlock(&slab_mutex);
		return;
	}
	/* kmalloc works now: the boot caches get their random sequences. */
	init_freelist_randomization();
	mutex_unlock(&slab_mutex);
	return;
fail:
	mutex_unlock(&slab_mutex);
	pr_err("umm: cannot create the kmalloc caches\n");
}

void slab_common_shutdown(void)
{
	slub_shutdown();
	slab_shutdown();
	slab_classic = false;
	INIT_LIST_HEAD(&slab_caches);
	memset(kmalloc_caches, 0, sizeof(kmalloc_caches));
	kmem_cache = NULL;
	slab_state = DOWN;
	slab_nomerge = false;
	failslab_attr = (struct fault_attr)FAULT_ATTR_INITIALIZER("failslab");
	failslab_ignore_gfp_reclaim = true;
	failslab_cache_filter = false;
}

/* ---- freelist randomization (CONFIG_SLAB_FREELIST_RANDOM) ---- */

/* 0 .. count - 1 in a random order: a Fisher-Yates shuffle. */
static void freelist_randomize(unsigned int *list, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++)
		list[i] = i;
	for (unsigned int i = count - 1; i > 0; i--) {
		unsigned int rand = umm_random_below(i + 1), t = list[i];

		list[i] = list[rand];
		list[rand] = t;
	}
}

int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp)
{
	if (count < 2 || cachep->random_seq)
		return 0;
	cachep->random_seq = kcalloc(count, sizeof(unsigned int), gfp);
	if (!cachep->random_seq)
		return -ENOMEM;
	freelist_randomize(cachep->random_seq, count);
	return 0;
}

void cache_random_seq_destroy(struct kmem_cache *cachep)
{
	kfree(cachep->random_seq);
	cachep->random_seq = NULL;
}

static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & (__GFP_DMA | __GFP_RECLAIMABLE))))
		return KMALLOC_NORMAL;
	return (flags & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_RECLAIM;
}

/* Bigger than the largest kmalloc cache: a compound page run. */
static void *__kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned int order = (unsigned int)get_order(size);
	struct page *page;

	if (unlikely(size > KMALLOC_MAX_SIZE)) {
		if (!(flags & __GFP_NOWARN))
			pr_warn("kmalloc: size %zu is above KMALLOC_MAX_SIZE (%lu)\n", size,
				KMALLOC_MAX_SIZE);
		return NULL;
	}
	flags |= __GFP_COMP;
	page = node < 0 ? alloc_pages(flags, order) : alloc_pages_node(node, flags, order);
	if (!page)
		return NULL;
	__SetPageLargeKmalloc(page);
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    (long)(PAGE_SIZE << order));
	return page_address(page);
}

void *kmalloc_large(size_t size, gfp_t flags)
{
	return __kmalloc_large_node(size, flags, -1);
}

static __always_inline void *__do_kmalloc_node(size_t size, gfp_t flags, int node,
					      unsigned long caller)
{
	struct kmem_cache *s;
	unsigned int index;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return __kmalloc_large_node(size, flags, node);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	index = kmalloc_index(size);
	s = kmalloc_caches[kmalloc_type(flags)][index];
	if (unlikely(!s)) {
		/* Not booted yet: boot, then look again. */
		if (!umm_ensure_booted())
			return NULL;
		s = kmalloc_caches[kmalloc_type(flags)][index];
		if (!s)
			return NULL;
	}
	return __kmem_cache_alloc_node(s, flags, node, size, caller);
}

/*
 * The kernel's size_index[]: the kmalloc index of sizes up to 192 bytes by
 * 8 (the 96- and 192-byte caches lie between the powers of two); above
 * that the index is fls(size - 1) (kmalloc_slab()).
 */
static const u8 kmalloc_size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,		/* 8 .. 64 */
	1, 1, 1, 1, 7, 7, 7, 7,		/* 72 .. 128 */
	2, 2, 2, 2, 2, 2, 2, 2,		/* 136 .. 192 */
};

static __always_inline unsigned int kmalloc_slab_index(size_t size)
{
	if (size <= 192)
		return kmalloc_size_index[(size - 1) / 8];
	return (unsigned int)(64 - __builtin_clzl(size - 1));
}

static __cold __attribute__((noinline)) void *kmalloc_slow(size_t size, gfp_t flags,
							   unsigned long caller)
{
	return __do_kmalloc_node(size, flags, -1, caller);
}

/*
 * The fast path: 1 to 8 KiB of a normal kmalloc cache, popped from this
 * thread's slot.  Zero, large, DMA, reclaimable and __GFP_ZERO requests,
 * kmalloc before boot (no caches yet) and every miss take kmalloc_slow().
 */
void *__kmalloc(size_t size, gfp_t flags)
{
	if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE &&
		   !(flags & (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ZERO)))) {
		struct kmem_cache *s = kmalloc_caches[KMALLOC_NORMAL][kmalloc_slab_index(size)];

		if (likely(s)) {
			void *object = slab_alloc_pop(s);

			if (likely(object))
				return object;
		}
	}
	return kmalloc_slow(size, flags, _RET_IP_);
}

void *__kmalloc_node(size_t size, gfp_t flags, int node)
{
	return __do_kmalloc_node(size, flags, node, (unsigned long)__builtin_return_address(0));
}

/* kmalloc_track_caller(): the alloc track names the helper's caller. */
static void *kmalloc_node_track_caller(size_t size, gfp_t flags, int node, unsigned long caller)
{
	return __do_kmalloc_node(size, flags, node, caller);
}

static void free_large_kmalloc(struct page *page, const void *object)
{
	if (unlikely(page_address(page) != object)) {
		pr_err("kfree: %p is inside a large kmalloc block at %p\n", object,
		       page_address(page));
		return;
	}
	__ClearPageLargeKmalloc(page);
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    -(long)(PAGE_SIZE << compound_order(page)));
	__free_pages(page, compound_order(page));
}

/* The page of any pointer kfree() may be given, or NULL with a message. */
static struct page *kfree_page(const void *x, const char *who)
{
	unsigned long pfn = ((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT;

	if (unlikely((unsigned long)x < PAGE_OFFSET || pfn >= READ_ONCE(max_pfn))) {
		if (is_vmalloc_addr(x))
			pr_err("%s: %p is a vmalloc address (use vfree or kvfree)\n", who, x);
		else
			pr_err("%s: invalid pointer %p (not from kmalloc)\n", who, x);
		return NULL;
	}
	return slab_head_page(pfn_to_page(pfn));
}

/* Everything but a slab object: NULL and ZERO_SIZE_PTR too. */
static __cold __attribute__((noinline)) void kfree_slow(const void *x, unsigned long caller)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	page = kfree_page(x, "kfree");
	if (unlikely(!page))
		return;
	if (unlikely(!PageSlab(page))) {
		if (PageLargeKmalloc(page))
			free_large_kmalloc(page, x);
		else
			pr_err("kfree: %p was not allocated by kmalloc\n", x);
		return;
	}
	__slab_free_object(page->slab_cache, page, (void *)x, caller);
}

void kfree(const void *x)
{
	/* NULL and ZERO_SIZE_PTR lie below PAGE_OFFSET: no test of their own. */
	unsigned long pfn = ((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT;

	if (likely(pfn < READ_ONCE(max_pfn))) {
		struct page *page = pfn_to_page(pfn);

		if (likely(page_is_slab_fast(page))) {
			slab_free_fast(page->slab_cache, page, (void *)x, (void *)x, 1, 0);
			return;
		}
	}
	kfree_slow(x, _RET_IP_);
}

void kfree_sensitive(const void *p)
{
	size_t ks = ksize(p);

	if (ks)
		memset((void *)p, 0, ks);
	kfree(p);
}

/* How many bytes of the object may really be used. */
static size_t slab_ksize(const struct kmem_cache *s)
{
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->flags & SLAB_STORE_USER)
		return s->inuse;
	return s->size;
}

size_t ksize(const void *objp)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(objp)))
		return 0;
	page = kfree_page(objp, "ksize");
	if (!page)
		return 0;
	if (PageSlab(page)) {
		struct kmem_cache *s = page->slab_cache;

		if (slab_classic)	/* SLAB's slab_ksize(): the object size */
			return s->object_size;

		/* The caller may use all of it: the kmalloc red zone goes. */
		skip_orig_size_check(s, objp);
		/* ctor caches keep the free pointer after the object. */
		return s->ctor || (s->flags & SLAB_TYPESAFE_BY_RCU) ? s->object_size :
								     slab_ksize(s);
	}
	if (PageLargeKmalloc(page))
		return page_size(page);
	return 0;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (likely(!ZERO_OR_NULL_PTR(p))) {
		ks = ksize(p);
		if (!ks)
			return NULL;	/* not ours: already reported */
		if (ks >= new_size) {
			if ((flags & __GFP_ZERO) && new_size < ks)
				memset((char *)p + new_size, 0, ks - new_size);
			return (void *)p;
		}
	}
	ret = kmalloc_node_track_caller(new_size, flags, -1,
					(unsigned long)__builtin_return_address(0));
	if (ret && ks) {
		memcpy(ret, p, ks);
		kfree(p);
	}
	return ret;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = kmalloc_node_track_caller(len, gfp, -1, (unsigned long)__builtin_return_address(0));
	if (buf)
		memcpy(buf, s, len);
	return buf;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = kmalloc_node_track_caller(len + 1, gfp, -1,
					(unsigned long)__builtin_return_address(0));
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc_node_track_caller(len, gfp, -1,
					    (unsigned long)__builtin_return_address(0));

	if (p && len)
		memcpy(p, src, len);
	return p;
}

/* kmalloc first, vmalloc when that would fail or be too costly. */
void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	gfp_t kmalloc_flags = flags;
	void *ret;

	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	ret = kmalloc_node_track_caller(size, kmalloc_flags, node,
					(unsigned long)__builtin_return_address(0));
	if (ret || size <= PAGE_SIZE)
		return ret;
	if (size > 0x7fffffffUL) {
		if (!(flags & __GFP_NOWARN))
			pr_warn("kvmalloc: size %zu too large\n", size);
		return NULL;
	}
	return __vmalloc_node(size, 1, flags, node, __builtin_return_address(0));
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

ssize_t umm_slab_describe(struct kmem_cache *s, char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };

	if (!s || (!buf && size) || !umm_ensure_booted())
		return -EINVAL;
	if (size)
		buf[0] = '\0';
	umm_gate_enter();
	mutex_lock(&slab_mutex);
	if (slab_classic)
		slab_describe(&m, s);
	else
		slub_describe(&m, s);
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
	if (size)
		buf[min(m.count, size - 1)] = '\0';
	return (ssize_t)m.count;
}

/* ---- /proc/slabinfo, version 2.1 ---- */

int slabinfo_proc_show(struct seq_file *m)
{
	struct kmem_cache *s;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	if (slab_classic && slab_stats_shown()) {
		seq_puts(m, " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> "
			 "<maxfreeable> <nodeallocs> <remotefrees> <alienoverflow>");
		seq_puts(m, " : cpustat <allochit> <allocmiss> <freehit> <freemiss>");
	}
	seq_putc(m, '\n');
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo sinfo;

		get_slabinfo(s, &sinfo);
		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name, sinfo.active_objs,
			   sinfo.num_objs, s->size, sinfo.objects_per_slab,
			   1 << sinfo.cache_order);
		seq_printf(m, " : tunables %4u %4u %4u", sinfo.limit, sinfo.batchcount,
			   sinfo.shared);
		seq_printf(m, " : slabdata %6lu %6lu %6lu", sinfo.active_slabs, sinfo.num_slabs,
			   sinfo.shared_avail);
		if (slab_classic && slab_stats_shown())
			slabinfo_show_stats(m, s);
		seq_putc(m, '\n');
	}
	mutex_unlock(&slab_mutex);
	return 0;
}
