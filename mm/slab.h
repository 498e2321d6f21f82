/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slab.h - the slab allocators' private structures (mm/slab.h,
 * include/linux/slub_def.h, and for mm/slab.c include/linux/slab_def.h:
 * struct array_cache, the SLAB half of struct kmem_cache_node and of
 * struct kmem_cache, which shares SLUB's stat_exited[] room).
 * What follows in this comment is SLUB's; mm/slab.c's head comment has SLAB's.
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
	SHEAF_FLUSH,		/* Objects flushed from a full sheaf to their slabs */
	NR_SLUB_STAT_ITEMS
};

extern const char *const slub_stat_names[NR_SLUB_STAT_ITEMS];

/*
 * The "per-CPU" slab state.  umm keeps one per thread (see mm/slub.c's
 * head comment for why): only its thread touches freelist and slab
 * without a lock; stats are relaxed atomics so reports can sum them.
 */
#define SLUB_SHEAF_CAPACITY 32
#define SLUB_REMOTE_CHAINS 4

struct kmem_cache_cpu {
	void **freelist;	/* next available object of slab */
	unsigned int sheaf_count;	/* objects in sheaf[] */
	struct page *slab;	/* the slab we allocate from (frozen) */
	unsigned long slab_span;	/* its struct pages' bytes; 0: none (slab_cpu_set_slab()) */
	struct page *partial;	/* partially allocated slabs, via page->next */
	unsigned int stat[NR_SLUB_STAT_ITEMS];
	/*
	 * The kernel's per-CPU sheaf (6.18): objects freed here whatever
	 * slab they belong to, reused first by the next allocations.  They
	 * stay "in use" for their slabs until the sheaf overflows and half
	 * of it is freed to the slabs for real.
	 */
	void *sheaf[SLUB_SHEAF_CAPACITY];
	/*
	 * Frees of objects of other threads' active slabs, chained through
	 * their free pointers, one detached freelist per slab (head to tail,
	 * count objects) until each goes to its slab at once
	 * (slab_free_remote()).  They count as in use until then.
	 */
	struct slab_remote_chain {
		void *head, *tail;
		struct page *slab;	/* NULL: this chain is empty */
		unsigned int count;
	} remote[SLUB_REMOTE_CHAINS];
	unsigned int remote_count;	/* objects in all chains */
};

/*
 * mm/slab.c's per-CPU "slab local cache" (include/linux/slab_def.h's
 * struct array_cache): the last freed objects of a cache on one CPU,
 * entry[avail - 1] the hottest.  The per-node shared array and the alien
 * caches are array_caches too.  umm: lock stands for the kernel's
 * local_irq_save() (a thread may be preempted and migrated anywhere);
 * the shared array is guarded by its node's list_lock instead, as there.
 */
struct array_cache {
	unsigned int avail;	/* objects in entry[] */
	unsigned int limit;	/* at most this many */
	unsigned int batchcount;	/* moved at once to or from the lists */
	unsigned int touched;	/* used since the last cache_reap() */
	spinlock_t lock;
	unsigned long allochit, allocmiss, freehit, freemiss;	/* STATS (cpustat) */
	void *entry[];		/* slot addresses (obj_offset before the objects) */
};

/*
 * One per node and cache.  v6.7's mm/slab.h has one struct kmem_cache_node
 * with CONFIG_SLAB's fields or CONFIG_SLUB's; umm builds both allocators,
 * so the two sets share the struct (SLUB's first: its boot cache is only
 * SLUB_NODE_SIZE bytes, and its layout is unchanged).
 */
struct kmem_cache_node {
	spinlock_t list_lock;
	union {
		__extension__ struct {	/* mm/slub.c */
			unsigned long nr_partial;
			struct list_head partial;
			long nr_slabs;		/* atomic */
			long total_objects;	/* atomic */
			struct list_head full;	/* SLAB_STORE_USER/consistency checks only */
		};
		__extension__ struct {	/* mm/slab.c (kmem_list3 before 3.10) */
			struct list_head slabs_partial;	/* partial list first, better asm code */
			struct list_head slabs_full;
			struct list_head slabs_free;
			unsigned long total_slabs;	/* length of all slab lists */
			unsigned long free_slabs;	/* length of free slab list only */
			unsigned long free_objects;
			unsigned int free_limit;
			unsigned int colour_next;	/* per-node cache colouring */
			struct array_cache *shared;	/* shared per node */
			struct array_cache **alien;	/* on other nodes */
			unsigned long next_reap;	/* updated without locking */
			int free_touched;		/* updated without locking */
		};
	};
};

#define SLUB_NODE_SIZE	(offsetof(struct kmem_cache_node, full) + sizeof(struct list_head))

struct kmem_cache_order_objects {
	unsigned int x;		/* order << 16 | objects */
};

struct kmem_cache {
	unsigned int cpu_index;		/* slot in each thread's cpu slabs */
	unsigned int cpu_offset;	/* its byte offset in struct slub_thread */
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
	union {
		unsigned long stat_exited[NR_SLUB_STAT_ITEMS];	/* SLUB: from exited threads */
		__extension__ struct {	/* mm/slab.c: include/linux/slab_def.h's fields */
			void *cpu_area;		/* the per-CPU array_caches ("percpu") */
			unsigned int batchcount;	/* tunables, under slab_mutex */
			unsigned int limit;
			unsigned int shared;
			unsigned int num;		/* objects per slab */
			unsigned int gfporder;		/* pages per slab: 2^gfporder */
			unsigned int colour;		/* cache colouring range */
			unsigned int colour_off;	/* colour offset */
			unsigned int freelist_size;
			struct kmem_cache *freelist_cache;	/* OFF_SLAB freelists */
			unsigned int reciprocal_m;	/* reciprocal_buffer_size */
			unsigned char reciprocal_sh1, reciprocal_sh2;
			int obj_offset;		/* red zone 1 before the object */
			void *node_area;	/* the kmem_cache_nodes */
			/* STATS (globalstat), relaxed atomics */
			unsigned long num_active, num_allocations, high_mark, grown, reaped,
				      errors, max_freeable, node_allocs, node_frees, node_overflow;
		};
	};
	struct kmem_cache_node *node[MAX_NUMNODES];
};

/*
 * The size of a kmem_cache object: node[] only as long as there are
 * nodes, as the kernel's kmem_cache_init() sizes its "kmem_cache" cache
 * (offsetof(struct kmem_cache, node) + nr_node_ids pointers).  Only the
 * static boot copies have the whole array.
 */
static inline unsigned int kmem_cache_struct_size(void)
{
	return (unsigned int)(offsetof(struct kmem_cache, node) +
			      (size_t)nr_online_nodes * sizeof(struct kmem_cache_node *));
}

/* SLAB's fields share stat_exited's room: SLUB's kmem_cache keeps its size. */
_Static_assert(offsetof(struct kmem_cache, node_overflow) + sizeof(unsigned long) <=
	       offsetof(struct kmem_cache, stat_exited) + sizeof(unsigned long) * NR_SLUB_STAT_ITEMS,
	       "mm/slab.c's fields outgrow SLUB's stat_exited[]");

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
static __always_inline struct page *slab_head_page(struct page *page)
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
extern struct mutex slab_mutex;
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
void __slab_free_object(struct kmem_cache *s, struct page *slab, void *x,
			unsigned long caller);
bool slab_unmergeable(struct kmem_cache *s);
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name);
void skip_orig_size_check(struct kmem_cache *s, const void *object);
void init_freelist_randomization(void);

/*
 * ---- The fast paths (mm/slub.c's head comment describes them) ----
 * Inlined into kmem_cache_alloc()/kmem_cache_free() in mm/slub.c,
 * kmalloc()/kfree() in mm/slab_common.c and malloc()/free() in
 * malloc/malloc.c: a thread-local load, a sheaf or freelist pop or push,
 * a counter, and a branch to each front end's one out-of-line slow path
 * (slab_alloc_pop() returns NULL for it) or to the slow paths below.
 */
struct slub_thread {
	/* First: a cache's cpu_offset of 0 (mm/slab.c's caches) is slot 0. */
	struct kmem_cache_cpu cpu[MAX_SLAB_CACHES];
	struct list_head list;		/* slub_threads */
};

/*
 * Every thread starts on no_slub_thread, an empty static set of slots
 * (mimalloc's empty heap): its freelists and sheaves are empty and its
 * cpu slabs NULL, so the fast paths need no NULL test, and miss to the
 * slow paths, which give the thread its own slots (slub_thread_init())
 * and go on with them.  Nothing ever writes to it: allocation writes a
 * slot only when it had an object to give, and free only when the
 * object's slab is the slot's cpu slab.  A thread whose slots were
 * retired at its exit is back on it.
 */
extern struct slub_thread no_slub_thread;
/* initial-exec, as umm_gate_depth: one %fs-relative load, no __tls_get_addr() call. */
extern __thread struct slub_thread *current_slub __attribute__((tls_model("initial-exec")));
struct slub_thread *slub_thread_init(void);
void *slab_alloc_slowpath(struct kmem_cache *s, gfp_t gfpflags, int node,
			  unsigned long addr, unsigned int orig_size,
			  struct kmem_cache_cpu *c);
void slab_free_slowpath(struct kmem_cache *s, struct page *slab, void *head, void *tail,
			int cnt, unsigned long addr, struct kmem_cache_cpu *c);
void *slab_alloc_nocpu(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned long addr,
		       unsigned int orig_size);
void slab_free_nocpu(struct kmem_cache *s, struct page *slab, void *head, void *tail, int cnt,
		     unsigned long addr);
void slab_zero_object(struct kmem_cache *s, void *object, unsigned int orig_size);
void freelist_double_free(struct kmem_cache *s, void *object, int line);
void slab_sheaf_flush(struct kmem_cache *s, struct kmem_cache_cpu *c, unsigned int keep,
		      unsigned long addr);
void slab_free_other(struct kmem_cache *s, struct page *page, void *head, void *tail,
		     int cnt, unsigned long addr);

/*
 * The order of a slot's lockless stores.  fork() copies the other
 * threads wherever they are (the kernel write-protects the parent's pages
 * one by one while those threads run: each is cut between two of its
 * stores), and the child hands their slots back (slub_fork_child()).  So
 * at every instruction a slot lists only objects that are free and its
 * own, at worst missing one (a leak in the child): a push writes the
 * entry or free pointer before the count or head that covers it, and a
 * pop moves the count or head before its caller writes to the object.
 * A compiler barrier: x86 makes stores visible in program order.
 */
#define slab_cpu_order()	__atomic_signal_fence(__ATOMIC_SEQ_CST)

/* Push @object onto @c's sheaf (room checked by the caller). */
static __always_inline void slab_sheaf_push(struct kmem_cache_cpu *c, void *object)
{
	unsigned int n = c->sheaf_count;

	c->sheaf[n] = object;
	slab_cpu_order();
	c->sheaf_count = n + 1;
}

/* Pop the sheaf's newest object (the caller checked it has one). */
static __always_inline void *slab_sheaf_pop(struct kmem_cache_cpu *c)
{
	unsigned int n = c->sheaf_count - 1;
	void *object = c->sheaf[n];

	c->sheaf_count = n;
	slab_cpu_order();
	return object;
}

/* Pages of a slab: one, or a compound page's (the first tail page holds the count). */
static __always_inline unsigned long slab_nr_pages(const struct page *slab)
{
	return PageHead(slab) ? slab[1].compound_nr : 1;
}

/*
 * Make @slab (or NULL) @c's cpu slab.  slab_span lets the free fast path
 * tell an object of the cpu slab from the struct page of the object's
 * own page, head or tail, with one subtraction and compare (see
 * slab_cpu_owns()); it is 0 while a fork() copy could see it belong to
 * another slab than c->slab (see slab_cpu_order()).
 */
static __always_inline void slab_cpu_set_slab(struct kmem_cache_cpu *c, struct page *slab)
{
	c->slab_span = 0;
	slab_cpu_order();
	c->slab = slab;
	slab_cpu_order();
	c->slab_span = slab ? slab_nr_pages(slab) * sizeof(struct page) : 0;
}

/* Is @page one of @c's cpu slab's pages? */
static __always_inline bool slab_cpu_owns(const struct kmem_cache_cpu *c, const struct page *page)
{
	return (unsigned long)page - (unsigned long)c->slab < c->slab_span;
}

/*
 * The fast paths' slot: this thread's, or no_slub_thread's (see there),
 * or slot 0 while failslab is on (slab_failslab_update()).
 */
static __always_inline struct kmem_cache_cpu *this_cpu_slab_fast(const struct kmem_cache *s)
{
	return (struct kmem_cache_cpu *)((char *)current_slub + READ_ONCE(s->cpu_offset));
}

/*
 * Is @c a stand-in the fast path saw, not this thread's own slot: one of
 * no_slub_thread's, or slot 0 (no SLUB cache's: failslab on)?  The slow
 * paths then take the thread's own slot, made on first use.  A slot on
 * the stack (slab_alloc_nocpu()) is its own.
 */
static __always_inline bool slab_cpu_stand_in(const struct kmem_cache_cpu *c)
{
	return (unsigned long)((const char *)c - (const char *)&no_slub_thread) <
	       sizeof(no_slub_thread) || c == &current_slub->cpu[0];
}

void slab_failslab_update(void);

/* This thread's own slot, made on first use; NULL for a thread with none. */
static inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	struct slub_thread *t = current_slub;

	if (unlikely(t == &no_slub_thread)) {
		t = slub_thread_init();
		if (!t)
			return NULL;
	}
	return &t->cpu[s->cpu_index];
}

/*
 * The kernel's raw_cpu_inc(): one writer, the slot's thread; readers sum
 * the counters racily (slub_stat_sum()).  A plain increment, one
 * instruction that needs no register.
 */
static __always_inline void stat(struct kmem_cache_cpu *c, enum stat_item si)
{
	c->stat[si]++;
}

static __always_inline void stat_add(struct kmem_cache_cpu *c, enum stat_item si, unsigned int v)
{
	c->stat[si] += v;
}

/*
 * alloc_fastpath and free_fastpath: counted in libumm (the teaching and
 * observability build), not in libumm-malloc.so, where they would be a
 * sixth of the fast path: as a kernel without CONFIG_SLUB_STATS.
 */
static __always_inline void stat_fast(struct kmem_cache_cpu *c, enum stat_item si)
{
#ifndef UMM_MALLOC_BUILD
	stat(c, si);
#else
	(void)c;
	(void)si;
#endif
}

/*
 * CONFIG_SLAB_FREELIST_HARDENED: a free pointer is stored xored with the
 * cache's key and the byte-swapped address it is stored at.  s->random
 * is 0 for a cache that is not hardened: then the pointer is stored as
 * is, and the cost is one not-taken branch on a word next to s->offset.
 */
static __always_inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;
	unsigned long v = *(unsigned long *)ptr_addr;

	if (unlikely(s->random))
		v ^= s->random ^ __builtin_bswap64(ptr_addr);
	return (void *)v;
}

static __always_inline void set_freepointer(const struct kmem_cache *s, void *object,
					    void *fp)
{
	unsigned long ptr_addr = (unsigned long)object + s->offset;
	unsigned long v = (unsigned long)fp;

	if (unlikely(s->random))
		v ^= s->random ^ __builtin_bswap64(ptr_addr);
	*(unsigned long *)ptr_addr = v;
}

/*
 * The inlined fast paths' free pointers, never hardened: a hardened
 * cache's cpu_offset is slot 0 (mm/slub.c's cache_cpu_offset()), where
 * every pop and push misses, so its objects only ever meet the out-of-
 * line paths and get_freepointer()/set_freepointer() there.
 */
static __always_inline void *get_freepointer_fast(const struct kmem_cache *s, void *object)
{
	VM_BUG_ON(s->random);
	return *(void **)((char *)object + s->offset);
}

static __always_inline void set_freepointer_fast(const struct kmem_cache *s, void *object,
						 void *fp)
{
	VM_BUG_ON(s->random);
	*(void **)((char *)object + s->offset) = fp;
}

/*
 * The caller's address for the alloc/free track.  0 stands for the
 * return address of the exported function the fast path is inlined into
 * (__builtin_return_address(0) in an inlined function is its caller's),
 * read only on the slow path, so that the fast paths do not pay for it;
 * likewise an orig_size of 0 stands for s->object_size.
 */
#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#define TRACK_CALLER(addr)	((addr) ? (addr) : _RET_IP_)

extern struct fault_attr failslab_attr;
bool should_failslab(struct kmem_cache *s, gfp_t gfpflags);

/*
 * What a front end that inlines the fast path does to each object
 * slab_alloc_fast() returns (malloc/malloc.c clears its free key),
 * defined before it includes this file: done in each branch, so that
 * the sheaf's and the freelist's pops each end in their own return and
 * the store costs no jump to a shared tail.
 */
#ifndef slab_alloc_fast_hook
#define slab_alloc_fast_hook(object)	((void)(object))
#endif

static __always_inline void *slab_alloc_fast(struct kmem_cache *s, gfp_t gfpflags,
					     int node, unsigned long addr,
					     unsigned int orig_size)
{
	struct kmem_cache_cpu *c;
	void *object;

	/* slab_pre_alloc_hook(): failslab, one load while it is off. */
	if (unlikely(READ_ONCE(failslab_attr.probability)) && should_failslab(s, gfpflags))
		return NULL;
	c = this_cpu_slab_fast(s);
	if (likely(c->sheaf_count && node == NUMA_NO_NODE)) {
		/* The most recently freed object: still in the cache. */
		object = slab_sheaf_pop(c);
		slab_alloc_fast_hook(object);
		stat_fast(c, ALLOC_FASTPATH);
	} else if (likely((object = c->freelist) && node == NUMA_NO_NODE)) {
		c->freelist = get_freepointer_fast(s, object);
		slab_cpu_order();
		slab_alloc_fast_hook(object);
		stat_fast(c, ALLOC_FASTPATH);
	} else {
		object = slab_alloc_slowpath(s, gfpflags, node, TRACK_CALLER(addr), orig_size, c);
		if (object)
			slab_alloc_fast_hook(object);
	}
	if (unlikely((gfpflags & __GFP_ZERO) && object))
		slab_zero_object(s, object, orig_size);
	return object;
}

/*
 * The pops alone, for a front end with a slow path of its own
 * (malloc/malloc.c, kmem_cache_alloc(), kmalloc()): the sheaf's last
 * object, else the cpu freelist's first, or NULL on a miss, which is
 * every time while failslab is on (slot 0: the slow path asks
 * should_failslab()).
 */
static __always_inline void *slab_alloc_pop(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = this_cpu_slab_fast(s);
	void *object;

	if (likely(c->sheaf_count)) {
		object = slab_sheaf_pop(c);
		if (!object)	/* a sheaf holds objects: the caller's NULL test goes */
			__builtin_unreachable();
	} else {
		object = c->freelist;
		if (unlikely(!object))
			return NULL;
		c->freelist = get_freepointer_fast(s, object);
		slab_cpu_order();
	}
	stat_fast(c, ALLOC_FASTPATH);
	return object;
}

/*
 * Slab tail pages.  The kernel finds the slab of an object from any of
 * its pages through the folio: the tail page's compound_head, then the
 * head page's type and slab_cache.  That is two struct pages, two cache
 * misses and a branch that goes either way for every kfree() of objects
 * past the first page of multi-page slabs (7 in 8 of a 1 KiB cache's,
 * order 3), and it made up a third of a server-churn workload's time
 * (larson: 0.43 s against 0.29 s with every slab of order 0).  umm
 * types a slab's tail pages too (PGTY_slab_tail) and copies into each
 * the two words a free reads of its slab: the cache (page->slab_cache,
 * a tail's unused mapping word) and the frozen hint (PG_owner_priv_1,
 * see slab_set_frozen()), so that a free reads the struct page of the
 * object's own page and nothing else.  The head is still found from the
 * tail's compound_head, which never changes while the slab lives.
 * Written when the slab is made, the hint when it changes; all of it
 * goes before the pages go back to the buddy allocator.
 */
static inline void slab_set_tails(struct page *slab, struct kmem_cache *s)
{
	unsigned long nr = slab_nr_pages(slab);

	for (unsigned long i = 1; i < nr; i++) {
		slab[i].slab_cache = s;
		__SetPageSlabTail(&slab[i]);
	}
}

/* Repoint a slab and its tails' copies at @s (a boot cache's slabs, moved). */
static inline void slab_set_cache(struct page *slab, struct kmem_cache *s)
{
	unsigned long nr = slab_nr_pages(slab);

	for (unsigned long i = 0; i < nr; i++)
		slab[i].slab_cache = s;
}

static inline void slab_clear_tails(struct page *slab)
{
	unsigned long nr = slab_nr_pages(slab);

	for (unsigned long i = 1; i < nr; i++) {
		__ClearPageSlabTail(&slab[i]);
		slab[i].slab_cache = NULL;	/* page->mapping: checked at free */
		ClearPageOwnerPriv1(&slab[i]);
	}
}

/*
 * The tails' invariant: each typed PGTY_slab_tail with the slab's cache,
 * and (@frozen >= 0, the caller holding the slab lock) its frozen hint.
 * Returns the first bad tail's index, or 0.
 */
static inline unsigned long slab_tails_bad(const struct page *slab, const struct kmem_cache *s,
					   int frozen)
{
	unsigned long nr = slab_nr_pages(slab);

	for (unsigned long i = 1; i < nr; i++)
		if (!PageSlabTail(&slab[i]) || slab[i].slab_cache != s ||
		    READ_ONCE(slab[i].compound_head) != (unsigned long)slab + 1 ||
		    (frozen >= 0 && (bool)PageOwnerPriv1(&slab[i]) != (bool)frozen))
			return i;
	return 0;
}

/*
 * Is @page a slab's, head or tail?  For the free fast paths, which go on
 * with the page's own copies (its slab_cache, its frozen hint).
 */
static __always_inline bool page_is_slab_fast(const struct page *page)
{
	return (page_type_byte(page) | (PGTY_slab ^ PGTY_slab_tail)) == PGTY_slab_tail;
}

/*
 * A frozen slab is some thread's active slab.  Its frozen bit lives in
 * the counters word, which only slab_lock() may read; a copy kept in
 * PG_owner_priv_1 of each of its pages (set and cleared with it, under
 * the slab lock) can be read by anyone.  The sheaf refuses objects of
 * another thread's active slab, so that it never hands one thread's
 * cache line to another (cache-scratch).
 */
static __always_inline void slab_set_frozen(struct page *slab, bool frozen)
{
	bool was = PageOwnerPriv1(slab);

	slab->frozen = frozen;
	if (frozen == was)
		return;
	for (unsigned long i = 0, nr = slab_nr_pages(slab); i < nr; i++) {
		if (frozen)
			SetPageOwnerPriv1(&slab[i]);
		else
			ClearPageOwnerPriv1(&slab[i]);
	}
}

/* @page: the slab or one of its tail pages. */
static __always_inline bool slab_frozen_hint(const struct page *page)
{
	return PageOwnerPriv1(page);
}

/* The fast path's push: never a hardened cache's (see get_freepointer_fast()). */
static __always_inline void slab_free_to_cpu_fast(struct kmem_cache *s, struct kmem_cache_cpu *c,
						  void *head, void *tail)
{
	set_freepointer_fast(s, tail, c->freelist);
	slab_cpu_order();
	c->freelist = head;
	stat_fast(c, FREE_FASTPATH);
}

/*
 * A push onto the cpu freelist from the out-of-line paths: @head to
 * @tail are objects of the cpu slab, and the cache may be hardened.
 */
static __always_inline void slab_free_to_cpu(struct kmem_cache *s, struct kmem_cache_cpu *c,
					     void *head, void *tail)
{
	if (unlikely(s->random) && unlikely(head == c->freelist)) {
		freelist_double_free(s, head, __LINE__);
		return;
	}
	set_freepointer(s, tail, c->freelist);
	slab_cpu_order();
	c->freelist = head;
	stat_fast(c, FREE_FASTPATH);
}

/*
 * Free @head to @tail (@cnt objects of one slab) from @page: the slab or,
 * for one object, the object's own page, head or tail.  The tests read
 * only @page's struct page (the tails' copies, see slab_set_tails()):
 * the cpu slab's objects go on its freelist; others into the sheaf
 * unless another thread's cpu slab holds them; the rest, a call away.
 */
static __always_inline void slab_free_fast(struct kmem_cache *s, struct page *page,
					   void *head, void *tail, int cnt, unsigned long addr)
{
	struct kmem_cache_cpu *c = this_cpu_slab_fast(s);

	if (unlikely(!slab_cpu_owns(c, page))) {
		/*
		 * Another slab's object: into the sheaf (debug caches have
		 * none).  A slot with no cpu slab (no_slub_thread's among
		 * them) and a full sheaf take slab_free_other().
		 */
		if (likely(c->slab && cnt == 1 && c->sheaf_count < SLUB_SHEAF_CAPACITY &&
			   READ_ONCE(s->cpu_partial_slabs) && !slab_frozen_hint(page))) {
			slab_sheaf_push(c, head);
			stat_fast(c, FREE_FASTPATH);
			return;
		}
		slab_free_other(s, page, head, tail, cnt, TRACK_CALLER(addr));
		return;
	}
	slab_free_to_cpu_fast(s, c, head, tail);
}

/* Is @x where an object of @slab starts (the kernel's check_valid_pointer())? */
bool slab_object_start(const struct kmem_cache *s, const struct page *slab, const void *x);
bool slab_object_is_free(struct kmem_cache *s, struct page *slab, void *object);

/* umm.malloc_free_check=: which of free()'s checks malloc/malloc.c makes. */
#define MALLOC_CHECK_DOUBLE	1	/* the free key: double frees */
#define MALLOC_CHECK_POINTER	2	/* slab_object_start(): invalid pointers */
#define MALLOC_CHECK_DEFAULT	MALLOC_CHECK_DOUBLE
extern unsigned int malloc_free_check;

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
/*
 * A function that reads other threads' cpu slots while they change them
 * (the counters, /sys/kernel/slab/): racy by design, as the kernel's
 * data_race() reads of other CPUs' data.  ThreadSanitizer leaves its plain
 * and volatile accesses be (atomic ones it still checks), so such reads
 * are data_race_read(): one volatile load.
 */
#define __slub_racy_reader	__attribute__((no_sanitize("thread")))
#define data_race_read(x)	(*(const volatile __typeof__(x) *)&(x))
unsigned long slub_stat_sum(struct kmem_cache *s, enum stat_item si);

/*
 * mm/slab.c, the classic SLAB allocator (umm.slab=slab): mm/slub.c's and
 * mm/slab_common.c's entry points hand over to these when slab_classic
 * is set, after SLUB's unchanged fast paths missed (a SLAB cache has no
 * cpu slab, no sheaf and cpu_partial_slabs 0, so every call misses).
 */
/* Where a SLAB cache keeps its slabs' freelists: flags no creator may pass. */
#define CFLGS_OBJFREELIST_SLAB	((slab_flags_t)0x40000000U)	/* in a free object */
#define CFLGS_OFF_SLAB		((slab_flags_t)0x20000000U)	/* in a kmalloc object */
#define OBJFREELIST_SLAB(x)	((x)->flags & CFLGS_OBJFREELIST_SLAB)
#define OFF_SLAB(x)		((x)->flags & CFLGS_OFF_SLAB)
int slab_classic_param(const char *name, const char *val);
int slab_kmem_cache_init(void);
void slab_kmem_cache_init_late(void);
void slab_shutdown(void);
int slab_kmem_cache_create(struct kmem_cache *s, slab_flags_t flags);
int slab_kmem_cache_shutdown(struct kmem_cache *s);
void slab_kmem_cache_release(struct kmem_cache *s);
int slab_kmem_cache_shrink(struct kmem_cache *s);
void *slab_cache_alloc(struct kmem_cache *s, gfp_t flags, int node, unsigned long caller);
void slab_cache_free(struct kmem_cache *s, struct page *slab, void *objp, unsigned long caller);
bool slab_classic_object_start(const struct kmem_cache *s, const struct page *slab,
			       const void *x);
bool slab_classic_object_is_free(struct kmem_cache *s, struct page *slab, void *object);
void slab_get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);
void slabinfo_show_stats(struct seq_file *m, struct kmem_cache *s);
bool slab_stats_shown(void);
int slab_classic_check(void);
void slab_describe(struct seq_file *m, struct kmem_cache *s);
void slub_describe(struct seq_file *m, struct kmem_cache *s);
int slab_classic_validate(struct kmem_cache *s);
/* What a test or `umm compare-slab` may look at: one CPU's array, the reaper. */
struct array_cache *cpu_cache_get_on(struct kmem_cache *s, unsigned int cpu);
void slab_cache_reap(unsigned int cpu);
unsigned long slab_classic_reap_all(unsigned long *freed);
unsigned int slab_nr_cpus_node(int node);
int slub_param(const char *name, const char *val);
int slab_parse_bool(const char *v, bool *out);

#endif /* _UMM_MM_SLAB_H */
