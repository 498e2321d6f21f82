/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slab.h - SLUB's private structures (mm/slab.h, include/linux/slub_def.h).
 *
 * A slab is a (compound) page run whose head struct page carries the
 * slab's metadata, as in the kernel: slab_cache, freelist, and the
 * counters word (inuse:16, objects:15, frozen:1).  Free objects hold the
 * pointer to the next free object at s->offset (encoded when the cache's
 * freelist is hardened, s->random != 0).  With debugging flags an object
 * slot carries red zones, poison, tracks and padding around the object:
 * mm/slub.c's head comment draws the layout.
 */
#ifndef _UMM_MM_SLAB_H
#define _UMM_MM_SLAB_H

#include <umm/slab.h>
#include "internal.h"

#define MAX_SLAB_CACHES		4096	/* per-thread cpu slab slots */
#define MIN_PARTIAL		5
#define MAX_PARTIAL		10
#define MAX_OBJS_PER_PAGE	32767
#define NUMA_NO_NODE		(-1)

/* The debugging flags (slub_debug=FZPUT): any of them sends a cache's
 * every allocation and free through the locked slow path. */
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
/* slub_debug with no flags: F, Z, P, U. */
#define DEBUG_DEFAULT_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				 SLAB_POISON | SLAB_STORE_USER)
/* Flags that need metadata in the object slot (dropped by slub_debug=O). */
#define DEBUG_METADATA_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)
/* Internal: the object itself is poisoned (SLAB_POISON, no ctor, no RCU). */
#define __OBJECT_POISON		((slab_flags_t)0x80000000U)

/* include/linux/poison.h */
#define POISON_INUSE		0x5a	/* for use-uninitialised poisoning, padding */
#define POISON_FREE		0x6b	/* for use-after-free poisoning */
#define POISON_END		0xa5	/* end-byte of poisoning */
#define SLUB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE		0xcc	/* red zone of an allocated object */

enum stat_item {
	ALLOC_FASTPATH,		/* Allocation from cpu slab */
	ALLOC_SLOWPATH,		/* Allocation by getting a new cpu slab */
	FREE_FASTPATH,		/* Free to cpu slab */
	FREE_SLOWPATH,		/* Freeing not to cpu slab */
	FREE_FROZEN,		/* Freeing to frozen slab */
	FREE_ADD_PARTIAL,	/* Freeing moves slab to partial list */
	FREE_REMOVE_PARTIAL,	/* Freeing removes last object */
	ALLOC_FROM_PARTIAL,	/* Cpu slab acquired from node partial list */
	ALLOC_SLAB,		/* Cpu slab acquired from page allocator */
	ALLOC_REFILL,		/* Refill cpu slab from slab freelist */
	ALLOC_NODE_MISMATCH,	/* Switching cpu slab */
	FREE_SLAB,		/* Slab freed to the page allocator */
	CPUSLAB_FLUSH,		/* Abandoning of the cpu slab */
	DEACTIVATE_FULL,	/* Cpu slab was full when deactivated */
	DEACTIVATE_EMPTY,	/* Cpu slab was empty when deactivated */
	DEACTIVATE_TO_HEAD,	/* Cpu slab was moved to the head of partials */
	DEACTIVATE_TO_TAIL,	/* Cpu slab was moved to the tail of partials */
	DEACTIVATE_REMOTE_FREES,/* Slab contained remotely freed objects */
	DEACTIVATE_BYPASS,	/* Implicit deactivation */
	ORDER_FALLBACK,		/* Number of times fallback was necessary */
	CMPXCHG_DOUBLE_CPU_FAIL,/* Failures of this_cpu_cmpxchg_double */
	CMPXCHG_DOUBLE_FAIL,	/* Failures of slab freelist update */
	CPU_PARTIAL_ALLOC,	/* Used cpu partial on alloc */
	CPU_PARTIAL_FREE,	/* Refill cpu partial on free */
	CPU_PARTIAL_NODE,	/* Refill cpu partial from node partial */
	CPU_PARTIAL_DRAIN,	/* Drain cpu partial to node partial */
	NR_SLUB_STAT_ITEMS
};

extern const char *const slub_stat_names[NR_SLUB_STAT_ITEMS];

/*
 * The "per-CPU" slab state.  umm keeps one per thread (see mm/slub.c's
 * head comment for why): only its thread touches freelist and slab
 * without a lock; stats are relaxed atomics so reports can sum them.
 */
struct kmem_cache_cpu {
	void **freelist;	/* next available object of slab */
	struct page *slab;	/* the slab we allocate from (frozen) */
	struct page *partial;	/* partially allocated slabs, via page->next */
	unsigned int stat[NR_SLUB_STAT_ITEMS];
};

struct kmem_cache_node {
	spinlock_t list_lock;
	unsigned long nr_partial;
	struct list_head partial;
	long nr_slabs;		/* atomic */
	long total_objects;	/* atomic */
	struct list_head full;	/* SLAB_STORE_USER/consistency checks only */
};

struct kmem_cache_order_objects {
	unsigned int x;		/* order << 16 | objects */
};

struct kmem_cache {
	unsigned int cpu_index;		/* slot in each thread's cpu slabs */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;		/* object size including metadata */
	unsigned int object_size;	/* object size without metadata */
	unsigned int offset;		/* free pointer offset */
	unsigned long random;		/* freelist hardening key; 0: not hardened */
	unsigned int cpu_partial;	/* objects to keep on cpu partial lists */
	unsigned int cpu_partial_slabs;	/* ... in slabs */
	struct kmem_cache_order_objects oo;	/* preferred order and objects */
	struct kmem_cache_order_objects min;	/* fallback when oo fails */
	gfp_t allocflags;		/* gfp flags for every slab allocation */
	int refcount;			/* for merging (aliases) */
	void (*ctor)(void *object);
	unsigned int inuse;		/* offset to metadata */
	unsigned int align;
	unsigned int red_left_pad;
	const char *name;
	struct list_head list;		/* slab_caches */
	unsigned int useroffset, usersize;
	unsigned int *random_seq;	/* freelist randomization: object offsets */
	unsigned long stat_exited[NR_SLUB_STAT_ITEMS];	/* from exited threads */
	struct kmem_cache_node *node[MAX_NUMNODES];
};

static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> 16;
}

static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & 0xffff;
}

static inline struct kmem_cache_node *get_node(struct kmem_cache *s, int node)
{
	return s->node[node];
}

/*
 * The first page of the (compound) page run holding @page.  A slab's
 * head page word that compound_head() reads is its slab_list, which
 * list operations rewrite at any time; test the head page's own type and
 * flags first, and only follow compound_head from tail pages, whose word
 * never changes while the slab lives.
 */
static inline struct page *slab_head_page(struct page *page)
{
	if (PageSlab(page) || PageHead(page))
		return page;
	return compound_head(page);
}

/* The slab that holds an object in the direct map, or NULL. */
static inline struct page *virt_to_slab(const void *addr)
{
	struct page *page = slab_head_page(virt_to_page(addr));

	return PageSlab(page) ? page : NULL;
}

static inline void *slab_address(const struct page *slab)
{
	return page_address(slab);
}

static inline int slab_nid(const struct page *slab)
{
	return page_to_nid(slab);
}

static inline unsigned int slab_order(const struct page *slab)
{
	return compound_order(slab);
}

/* mm/slab_common.c */
extern struct list_head slab_caches;
extern pthread_mutex_t slab_mutex;
extern int slab_state;		/* DOWN, PARTIAL, UP: bootstrap progress */
enum { DOWN, PARTIAL, UP };
extern struct kmem_cache *kmem_cache;		/* the cache of kmem_caches */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size);
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
				  slab_flags_t flags, const char *name,
				  void (*ctor)(void *));

/* mm/slub.c */
int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
struct kmem_cache *__kmem_cache_alias(const char *name, unsigned int size,
				      unsigned int align, slab_flags_t flags,
				      void (*ctor)(void *));
int __kmem_cache_shutdown(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
int __kmem_cache_shrink(struct kmem_cache *s);
int kmem_cache_init(void);
void slub_shutdown(void);
void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
			      size_t orig_size, unsigned long caller);
void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller);
bool slab_unmergeable(struct kmem_cache *s);
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
void skip_orig_size_check(struct kmem_cache *s, const void *object);
void init_freelist_randomization(void);

/* mm/slab_common.c: failslab (the kernel's mm/failslab.c) */
extern struct fault_attr failslab_attr;
bool should_failslab(struct kmem_cache *s, gfp_t gfpflags);
/* mm/slab_common.c: freelist randomization sequences */
int cache_random_seq_create(struct kmem_cache *cachep, unsigned int count, gfp_t gfp);
void cache_random_seq_destroy(struct kmem_cache *cachep);

struct slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned long shared_avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int shared;
	unsigned int objects_per_slab;
	unsigned int cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);
unsigned long slub_stat_sum(struct kmem_cache *s, enum stat_item si);
int slub_param(const char *name, const char *val);
int slab_parse_bool(const char *v, bool *out);

#endif /* _UMM_MM_SLAB_H */
