/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slab.h - the slab allocator's API: object caches and kmalloc
 * (include/linux/slab.h).  umm implements SLUB (mm/slub.c, the default)
 * and the classic SLAB (mm/slab.c, umm.slab=slab), with the common parts
 * in mm/slab_common.c.
 */
#ifndef _UMM_SLAB_H
#define _UMM_SLAB_H

#include "compiler.h"
#include "gfp.h"

UMM_BEGIN_DECLS

typedef unsigned int slab_flags_t;

/* Flags for kmem_cache_create(), the kernel's values. */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100U)	/* F */
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400U)	/* Z */
#define SLAB_POISON		((slab_flags_t)0x00000800U)	/* P */
#define SLAB_KMALLOC		((slab_flags_t)0x00001000U)
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U)
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U)
#define SLAB_CACHE_DMA32	((slab_flags_t)0x00008000U)
#define SLAB_STORE_USER		((slab_flags_t)0x00010000U)	/* U */
#define SLAB_PANIC		((slab_flags_t)0x00040000U)
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000U)
#define SLAB_TRACE		((slab_flags_t)0x00200000U)	/* T */
#define SLAB_NOLEAKTRACE	((slab_flags_t)0x00800000U)
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000U)
#define SLAB_FAILSLAB		((slab_flags_t)0x02000000U)	/* A: failslab may fail it */
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U)
#define SLAB_NO_USER_FLAGS	((slab_flags_t)0x10000000U)
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U)
#define SLAB_TEMPORARY		SLAB_RECLAIM_ACCOUNT
#define SLAB_MEM_SPREAD		((slab_flags_t)0)
#define SLAB_NOTRACK		((slab_flags_t)0)	/* kmemcheck's, long gone: no effect */

/* x86's minimum task_struct alignment, for the LKD3 example. */
#define ARCH_MIN_TASKALIGN	16

/* kmalloc(0) returns this; kfree() and ksize() accept it. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	13			/* PAGE_SHIFT + 1 */
#define KMALLOC_SHIFT_MAX	22			/* MAX_PAGE_ORDER + PAGE_SHIFT */
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)	/* 8 KiB */
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)	/* 4 MiB */
#define KMALLOC_MAX_ORDER	(KMALLOC_SHIFT_MAX - 12)

enum kmalloc_cache_type {
	KMALLOC_NORMAL,
	KMALLOC_RECLAIM,
	KMALLOC_DMA,
	NR_KMALLOC_TYPES
};

struct kmem_cache;
UMM_API extern struct kmem_cache *
kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];

/*
 * The kmalloc size classes, as mm/slab_common.c gives them: 8, 16, 32, 64, 96,
 * 128, 192, 256, ..., 8192.  Index 1 is 96 and index 2 is 192.
 */
static __always_inline unsigned int kmalloc_index(size_t size)
{
	if (!size)
		return 0;
	if (size <= KMALLOC_MIN_SIZE)
		return KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	if (size <= 8) return 3;
	if (size <= 16) return 4;
	if (size <= 32) return 5;
	if (size <= 64) return 6;
	if (size <= 128) return 7;
	if (size <= 256) return 8;
	if (size <= 512) return 9;
	if (size <= 1024) return 10;
	if (size <= 2048) return 11;
	if (size <= 4096) return 12;
	if (size <= 8192) return 13;
	if (size <= 16 * 1024) return 14;
	if (size <= 32 * 1024) return 15;
	if (size <= 64 * 1024) return 16;
	if (size <= 128 * 1024) return 17;
	if (size <= 256 * 1024) return 18;
	if (size <= 512 * 1024) return 19;
	if (size <= 1024 * 1024) return 20;
	if (size <= 2 * 1024 * 1024) return 21;
	return (unsigned int)-1;
}

static inline unsigned int kmalloc_size(unsigned int index)
{
	if (index == 1)
		return 96;
	if (index == 2)
		return 192;
	return index ? 1U << index : 0;
}

/* Object caches (mm/slab_common.c, mm/slub.c). */
UMM_API struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
					     unsigned int align, slab_flags_t flags,
					     void (*ctor)(void *));
UMM_API struct kmem_cache *kmem_cache_create_usercopy(const char *name, unsigned int size,
						      unsigned int align, slab_flags_t flags,
						      unsigned int useroffset,
						      unsigned int usersize,
						      void (*ctor)(void *));
/*
 * Returns 0, or -EBUSY when objects are still allocated (the cache then
 * stays usable).  The kernel made this void in 2.6.19; umm keeps the
 * older int so that code written against LKD3's example
 * ("err = kmem_cache_destroy(cachep);") compiles, and void callers are
 * unaffected.
 */
UMM_API int kmem_cache_destroy(struct kmem_cache *s);
UMM_API int kmem_cache_shrink(struct kmem_cache *s);
UMM_API void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
UMM_API void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node);
UMM_API void kmem_cache_free(struct kmem_cache *s, void *x);
UMM_API int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p);
UMM_API void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);
UMM_API unsigned int kmem_cache_size(struct kmem_cache *s);
UMM_API const char *kmem_cache_name(struct kmem_cache *s);
/*
 * Check every slab and object of @s as the kernel's
 * /sys/kernel/slab/<cache>/validate does (validate_slab_cache()): report
 * each problem found (red zones, poison, padding, free pointers, object
 * counts) on stderr in the kernel's wording, repair what can be repaired,
 * and return the number of BUG and FIX messages printed (0: all is well).
 * Slabs other threads hold as their cpu slabs are not visited; caches
 * with debugging flags have none.
 */
UMM_API int kmem_cache_validate(struct kmem_cache *s);

static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}

#define KMEM_CACHE(__struct, __flags)					\
	kmem_cache_create(#__struct, sizeof(struct __struct),		\
			  __alignof__(struct __struct), (__flags), NULL)

/*
 * kmalloc and friends.  The inline wrappers are __always_inline, as the
 * kernel's are, so that a slub_debug=U alloc track names their caller.
 */
UMM_API void *__kmalloc(size_t size, gfp_t flags);
UMM_API void *kmalloc_large(size_t size, gfp_t flags);
UMM_API void *__kmalloc_node(size_t size, gfp_t flags, int node);
UMM_API void kfree(const void *objp);
UMM_API size_t ksize(const void *objp);
UMM_API void *krealloc(const void *p, size_t new_size, gfp_t flags);
UMM_API char *kstrdup(const char *s, gfp_t gfp);
UMM_API char *kstrndup(const char *s, size_t max, gfp_t gfp);
UMM_API void *kmemdup(const void *src, size_t len, gfp_t gfp);
UMM_API void *kvmalloc_node(size_t size, gfp_t flags, int node);
UMM_API void kvfree(const void *addr);
UMM_API void kfree_sensitive(const void *objp);

static __always_inline void *kmalloc(size_t size, gfp_t flags)
{
	return __kmalloc(size, flags);
}

static __always_inline void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	return __kmalloc_node(size, flags, node);
}

static __always_inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

static __always_inline void *kzalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node(size, flags | __GFP_ZERO, node);
}

static __always_inline void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, flags);
}

static __always_inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

static inline void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return krealloc(p, bytes, flags);
}

static inline void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, -1);
}

static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc(bytes, flags);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}

UMM_END_DECLS

#endif /* _UMM_SLAB_H */
