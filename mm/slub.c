// SPDX-License-Identifier: GPL-2.0
/*
 * slub.c - the SLUB allocator (mm/slub.c).
 *
 * Owns: every kmem_cache's slabs, its per-node partial lists, and every
 * thread's kmem_cache_cpu slots; the bootstrap of the kmem_cache and
 * kmem_cache_node caches.
 *
 * Structure, as seed 000 and the kernel have it:
 *  - a slab is a (compound) page run; its head struct page keeps
 *    slab_cache, freelist and counters (inuse, objects, frozen);
 *  - the free pointer lives inside the free object, at s->offset
 *    (mid-object unless a ctor or poisoning needs the object intact);
 *  - each "CPU" has an active slab, frozen, whose free objects it owns
 *    through c->freelist: the fast path pops and pushes there with no
 *    lock and no atomic instruction;
 *  - each "CPU" also keeps a partial list of slabs (c->partial, linked by
 *    page->next) it refills from and frees into;
 *  - each node keeps a partial list under n->list_lock, at most
 *    min_partial empty slabs stay on it, the rest go back to the buddy
 *    allocator;
 *  - allocation order: cpu slab -> cpu partial -> node partial -> new slab;
 *    free order: cpu slab (fast) -> the slab's own freelist (slow); the
 *    first free into a full slab moves it to the cpu partial list.
 *
 * User space difference: the kernel's "per CPU" is per thread here.  A
 * user-space thread can be preempted and migrated at any instruction, so
 * true per-CPU lists would need rseq critical sections around every
 * pop/push (the kernel gets this for free by disabling preemption or with
 * its tid + cmpxchg16b).  Per-thread slots give the same lockless fast
 * path with plain loads and stores, no restartable sequences, and no
 * cross-thread contention; the cost is one active slab per thread per
 * cache rather than per CPU, and a thread that exits must hand its slabs
 * back, which a pthread key destructor does (flush_thread_slabs()).
 * kmem_cache_shrink() flushes the calling thread's slots only: other
 * threads' slots cannot be touched without stopping them.
 * The kernel updates slab->freelist/counters with cmpxchg_double; umm
 * takes the slab's own lock (the kernel's fallback, slab_lock()), in the
 * word struct page keeps for memcg_data.
 *
 * Lock order: slab_mutex -> slub_threads_lock -> n->list_lock ->
 * slab_lock(slab).  Every path that takes one of them runs inside the
 * fork gate (mm/fork_gate.c); the lockless fast paths do not.  The page allocator is called with none of these but
 * slab_mutex held.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "slab.h"
#include <umm/vmalloc.h>

const char *const slub_stat_names[NR_SLUB_STAT_ITEMS] = {
	"alloc_fastpath", "alloc_slowpath", "free_fastpath", "free_slowpath",
	"free_frozen", "free_add_partial", "free_remove_partial",
	"alloc_from_partial", "alloc_slab", "alloc_refill", "alloc_node_mismatch",
	"free_slab", "cpuslab_flush", "deactivate_full", "deactivate_empty",
	"deactivate_to_head", "deactivate_to_tail", "deactivate_remote_frees",
	"deactivate_bypass", "order_fallback", "cmpxchg_double_cpu_fail",
	"cmpxchg_double_fail", "cpu_partial_alloc", "cpu_partial_free",
	"cpu_partial_node", "cpu_partial_drain",
};

static unsigned int slub_min_order;
static unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
static unsigned int slub_min_objects;

static struct kmem_cache *kmem_cache_node;
static struct kmem_cache *cache_by_index[MAX_SLAB_CACHES];
static unsigned long cache_index_used[MAX_SLAB_CACHES / 64];

enum { DEACTIVATE_TO_HEAD_, DEACTIVATE_TO_TAIL_ };

/* ---- per-thread "CPU" slots ---- */

struct slub_thread {
	struct list_head list;		/* slub_threads */
	struct kmem_cache_cpu cpu[MAX_SLAB_CACHES];
};

static LIST_HEAD(slub_threads);
static pthread_mutex_t slub_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t slub_thread_key;
static pthread_once_t slub_key_once = PTHREAD_ONCE_INIT;
static __thread struct slub_thread *current_slub;

static void flush_thread_slabs(void *arg);

static void slub_make_key(void)
{
	pthread_key_create(&slub_thread_key, flush_thread_slabs);
}

static __cold struct slub_thread *slub_thread_init(void)
{
	struct slub_thread *t = host_alloc(sizeof(*t));

	if (!t) {
		pr_err("umm: slub: no memory for a thread's cpu slabs\n");
		return NULL;
	}
	pthread_once(&slub_key_once, slub_make_key);
	pthread_mutex_lock(&slub_threads_lock);
	list_add(&t->list, &slub_threads);
	pthread_mutex_unlock(&slub_threads_lock);
	pthread_setspecific(slub_thread_key, t);
	current_slub = t;
	return t;
}

static __always_inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	struct slub_thread *t = current_slub;

	if (unlikely(!t)) {
		t = slub_thread_init();
		if (!t)
			return NULL;
	}
	return &t->cpu[s->cpu_index];
}

static __always_inline void stat(struct kmem_cache_cpu *c, enum stat_item si)
{
	WRITE_ONCE(c->stat[si], c->stat[si] + 1);
}

unsigned long slub_stat_sum(struct kmem_cache *s, enum stat_item si)
{
	unsigned long sum = READ_ONCE(s->stat_exited[si]);
	struct slub_thread *t;

	pthread_mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list)
		sum += READ_ONCE(t->cpu[s->cpu_index].stat[si]);
	pthread_mutex_unlock(&slub_threads_lock);
	return sum;
}

/* ---- objects, free pointers, slab locks ---- */

static inline void *get_freepointer(struct kmem_cache *s, void *object)
{
	return *(void **)((char *)object + s->offset);
}

static inline void set_freepointer(struct kmem_cache *s, void *object, void *fp)
{
	*(void **)((char *)object + s->offset) = fp;
}

#define for_each_object(__p, __s, __addr, __objects)			\
	for (__p = (__addr); (char *)__p < (char *)(__addr) + (__objects) * (__s)->size; \
	     __p = (char *)__p + (__s)->size)

static inline void slab_lock(struct page *slab)
{
	spin_lock((spinlock_t *)&slab->__slab_lock);
}

static inline void slab_unlock(struct page *slab)
{
	spin_unlock((spinlock_t *)&slab->__slab_lock);
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static inline struct kmem_cache_order_objects oo_make(unsigned int order,
						       unsigned int size)
{
	return (struct kmem_cache_order_objects){ (order << 16) + order_objects(order, size) };
}

static inline bool kmem_cache_has_cpu_partial(struct kmem_cache *s)
{
	return s->cpu_partial_slabs != 0;
}

static inline bool node_match(struct page *slab, int node)
{
	return node == NUMA_NO_NODE || slab_nid(slab) == node;
}

static inline void inc_slabs_node(struct kmem_cache *s, int node, int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	__atomic_fetch_add(&n->nr_slabs, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&n->total_objects, objects, __ATOMIC_RELAXED);
}

static inline void dec_slabs_node(struct kmem_cache *s, int node, int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	__atomic_fetch_sub(&n->nr_slabs, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&n->total_objects, objects, __ATOMIC_RELAXED);
}

/* ---- node partial lists (n->list_lock held) ---- */

static inline void slab_set_node_partial(struct page *slab)
{
	SetPageWorkingset(slab);
}

static inline void slab_clear_node_partial(struct page *slab)
{
	ClearPageWorkingset(slab);
}

static inline bool slab_test_node_partial(const struct page *slab)
{
	return PageWorkingset(slab);
}

static inline void add_partial(struct kmem_cache_node *n, struct page *slab, int tail)
{
	WRITE_ONCE(n->nr_partial, n->nr_partial + 1);
	if (tail == DEACTIVATE_TO_TAIL_)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab_set_node_partial(slab);
}

static inline void remove_partial(struct kmem_cache_node *n, struct page *slab)
{
	list_del(&slab->slab_list);
	slab_clear_node_partial(slab);
	WRITE_ONCE(n->nr_partial, n->nr_partial - 1);
}

/* ---- slab creation and destruction ---- */

static void account_slab(struct kmem_cache *s, struct page *slab, int sign)
{
	enum node_stat_item item = (s->flags & SLAB_RECLAIM_ACCOUNT) ?
				   NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;

	mod_node_page_state(page_pgdat(slab), item,
			    sign * (long)(PAGE_SIZE << slab_order(slab)));
}

static void *setup_object(struct kmem_cache *s, void *object)
{
	if (unlikely(s->ctor))
		s->ctor(object);
	return object;
}

static struct page *alloc_slab_page(gfp_t flags, int node,
				    struct kmem_cache_order_objects oo)
{
	unsigned int order = oo_order(oo);

	if (node == NUMA_NO_NODE)
		return alloc_pages(flags, order);
	return alloc_pages_node(node, flags, order);
}

static struct page *allocate_slab(struct kmem_cache *s, gfp_t flags, int node,
				  struct kmem_cache_cpu *c)
{
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t alloc_gfp;
	struct page *slab;
	void *start, *p, *next;

	flags |= s->allocflags;
	/* Try the preferred order without effort; fall back to the minimum. */
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && oo_order(oo) > oo_order(s->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	slab = alloc_slab_page(alloc_gfp, node, oo);
	if (unlikely(!slab)) {
		oo = s->min;
		slab = alloc_slab_page(flags, node, oo);
		if (unlikely(!slab))
			return NULL;
		if (c)
			stat(c, ORDER_FALLBACK);
	}
	slab->objects = oo_objects(oo);
	slab->inuse = 0;
	slab->frozen = 0;
	slab->slab_cache = s;
	slab->__slab_lock = 0;
	__SetPageSlab(slab);
	account_slab(s, slab, 1);

	start = slab_address(slab);
	p = setup_object(s, start);
	slab->freelist = p;
	for (unsigned int idx = 0; idx + 1 < (unsigned int)slab->objects; idx++) {
		next = setup_object(s, (char *)p + s->size);
		set_freepointer(s, p, next);
		p = next;
	}
	set_freepointer(s, p, NULL);
	return slab;
}

static struct page *new_slab(struct kmem_cache *s, gfp_t flags, int node,
			     struct kmem_cache_cpu *c)
{
	if (unlikely(flags & ~(__GFP_BITS_MASK))) {
		pr_warn("umm: slub: unexpected gfp %#x\n", flags);
		return NULL;
	}
	return allocate_slab(s, flags & ~(__GFP_ZERO | __GFP_COMP), node, c);
}

static void __free_slab(struct kmem_cache *s, struct page *slab)
{
	unsigned int order = slab_order(slab);

	account_slab(s, slab, -1);
	__ClearPageSlab(slab);
	slab->slab_cache = NULL;	/* page->mapping */
	slab->freelist = NULL;		/* page->index */
	slab->counters = 0;		/* page->private */
	slab->__slab_lock = 0;
	ClearPageWorkingset(slab);
	INIT_LIST_HEAD(&slab->lru);
	__free_pages(slab, order);
}

static void discard_slab(struct kmem_cache *s, struct page *slab)
{
	dec_slabs_node(s, slab_nid(slab), slab->objects);
	__free_slab(s, slab);
}

/* ---- moving slabs between cpu and node ---- */

/* Take a slab's whole freelist for the cpu: it becomes (stays) frozen. */
static void *freeze_slab(struct page *slab)
{
	void *freelist;

	slab_lock(slab);
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	slab_unlock(slab);
	return freelist;
}

/*
 * Refill from the cpu slab's own freelist (remote frees): keep it frozen
 * if there is something, else unfreeze it (it is full and on no list).
 */
static void *get_freelist(struct page *slab)
{
	void *freelist;

	slab_lock(slab);
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = freelist != NULL;
	slab_unlock(slab);
	return freelist;
}

/* Return a cpu slab and the objects left on @freelist to the node. */
static void deactivate_slab(struct kmem_cache *s, struct page *slab, void *freelist,
			    struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	int tail = DEACTIVATE_TO_HEAD_, free_delta = 0;
	void *freelist_tail = NULL;
	unsigned int inuse;
	bool has_free;

	for (void *p = freelist; p; p = get_freepointer(s, p)) {
		freelist_tail = p;
		free_delta++;
	}
	/* Unfreeze while splicing our freelist in front of the slab's own. */
	slab_lock(slab);
	if (slab->freelist) {
		stat(c, DEACTIVATE_REMOTE_FREES);
		tail = DEACTIVATE_TO_TAIL_;
	}
	if (freelist_tail) {
		set_freepointer(s, freelist_tail, slab->freelist);
		slab->freelist = freelist;
		slab->inuse -= (unsigned int)free_delta;
	}
	slab->frozen = 0;
	inuse = slab->inuse;
	has_free = slab->freelist != NULL;
	slab_unlock(slab);

	if (!inuse && READ_ONCE(n->nr_partial) >= s->min_partial) {
		stat(c, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(c, FREE_SLAB);
	} else if (has_free) {
		spin_lock(&n->list_lock);
		add_partial(n, slab, tail);
		spin_unlock(&n->list_lock);
		stat(c, tail == DEACTIVATE_TO_TAIL_ ? DEACTIVATE_TO_TAIL : DEACTIVATE_TO_HEAD);
	} else {
		stat(c, DEACTIVATE_FULL);
	}
}

/* Put a chain of cpu partial slabs back on their nodes' lists. */
static void __put_partials(struct kmem_cache *s, struct page *partial_slab,
			   struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = NULL, *n2;
	struct page *slab, *slab_to_discard = NULL;

	while (partial_slab) {
		unsigned int inuse;

		slab = partial_slab;
		partial_slab = slab->next;
		n2 = get_node(s, slab_nid(slab));
		if (n != n2) {
			if (n)
				spin_unlock(&n->list_lock);
			n = n2;
			spin_lock(&n->list_lock);
		}
		slab_lock(slab);
		inuse = slab->inuse;
		slab_unlock(slab);
		if (unlikely(!inuse && n->nr_partial >= s->min_partial)) {
			slab->next = slab_to_discard;
			slab_to_discard = slab;
		} else {
			add_partial(n, slab, DEACTIVATE_TO_TAIL_);
			stat(c, FREE_ADD_PARTIAL);
		}
	}
	if (n)
		spin_unlock(&n->list_lock);
	while (slab_to_discard) {
		slab = slab_to_discard;
		slab_to_discard = slab_to_discard->next;
		stat(c, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(c, FREE_SLAB);
	}
}

/* A slab with free objects joins this cpu's partial list. */
static void put_cpu_partial(struct kmem_cache *s, struct page *slab, int drain,
			    struct kmem_cache_cpu *c)
{
	struct page *oldslab = c->partial, *slab_to_put = NULL;
	int slabs = 0;

	if (oldslab) {
		if (drain && oldslab->slabs >= (int)s->cpu_partial_slabs) {
			/* Full: the whole list goes to the node first. */
			slab_to_put = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}
	slabs++;
	slab->slabs = slabs;
	slab->next = oldslab;
	c->partial = slab;
	if (slab_to_put) {
		__put_partials(s, slab_to_put, c);
		stat(c, CPU_PARTIAL_DRAIN);
	}
}

static void flush_cpu_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *slab = c->slab, *partial = c->partial;
	void *freelist = c->freelist;

	c->slab = NULL;
	c->freelist = NULL;
	c->partial = NULL;
	if (slab) {
		deactivate_slab(s, slab, freelist, c);
		stat(c, CPUSLAB_FLUSH);
	}
	if (partial)
		__put_partials(s, partial, c);
}

/* Flush and fold one thread's slots; slub_threads_lock held. */
static void __flush_thread(struct slub_thread *t, struct kmem_cache *only)
{
	for (unsigned int i = 0; i < MAX_SLAB_CACHES; i++) {
		struct kmem_cache *s = cache_by_index[i];
		struct kmem_cache_cpu *c = &t->cpu[i];

		if (!s || (only && s != only))
			continue;
		if (c->slab || c->partial)
			flush_cpu_slab(s, c);
	}
}

/*
 * Hand a thread's slabs back, fold its stats into the caches, and drop
 * its slots from the list; slub_threads_lock held.
 */
static void retire_thread(struct slub_thread *t)
{
	if (umm_booted)
		__flush_thread(t, NULL);
	for (unsigned int i = 0; i < MAX_SLAB_CACHES; i++) {
		struct kmem_cache *s = cache_by_index[i];

		if (!s)
			continue;
		for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
			WRITE_ONCE(s->stat_exited[si], s->stat_exited[si] + t->cpu[i].stat[si]);
	}
	list_del(&t->list);
}

/* pthread key destructor: a thread leaves nothing stranded. */
static void flush_thread_slabs(void *arg)
{
	struct slub_thread *t = arg;

	if (!t)
		return;
	umm_gate_enter();
	pthread_mutex_lock(&slub_threads_lock);
	retire_thread(t);
	pthread_mutex_unlock(&slub_threads_lock);
	umm_gate_exit();
	current_slub = NULL;
	host_free(t, sizeof(*t));
}

/*
 * After fork(), in the child: the other threads' slots belong to threads
 * that do not exist here.  Hand their slabs back and drop their slots.
 */
void slub_fork_child(void)
{
	struct slub_thread *t, *next;

	pthread_mutex_lock(&slub_threads_lock);
	list_for_each_entry_safe(t, next, &slub_threads, list) {
		if (t == current_slub)
			continue;
		retire_thread(t);
		host_free(t, sizeof(*t));
	}
	pthread_mutex_unlock(&slub_threads_lock);
}

/* Flush @s from every thread (destroy: nobody may be using @s). */
static void flush_all_threads(struct kmem_cache *s)
{
	struct slub_thread *t;

	pthread_mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list)
		__flush_thread(t, s);
	pthread_mutex_unlock(&slub_threads_lock);
}

/* ---- getting partial slabs ---- */

static struct page *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n,
				     struct kmem_cache_cpu *c)
{
	struct page *slab, *slab2, *partial = NULL;
	unsigned int partial_slabs = 0;

	if (!n || !READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		remove_partial(n, slab);
		if (!partial) {
			partial = slab;
			stat(c, ALLOC_FROM_PARTIAL);
		} else {
			put_cpu_partial(s, slab, 0, c);
			stat(c, CPU_PARTIAL_NODE);
			partial_slabs++;
		}
		if (!kmem_cache_has_cpu_partial(s) ||
		    partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	spin_unlock(&n->list_lock);
	return partial;
}

static struct page *get_partial(struct kmem_cache *s, int node, struct kmem_cache_cpu *c)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	struct page *slab = get_partial_node(s, get_node(s, searchnode), c);

	if (slab || node != NUMA_NO_NODE)
		return slab;
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		if (nid == searchnode)
			continue;
		slab = get_partial_node(s, get_node(s, nid), c);
		if (slab)
			return slab;
	}
	return NULL;
}

/* ---- allocation ---- */

static __cold void slab_out_of_memory(struct kmem_cache *s, gfp_t gfpflags, int nid)
{
	static int warned;

	if ((gfpflags & __GFP_NOWARN) || __atomic_fetch_add(&warned, 1, __ATOMIC_RELAXED) >= 10)
		return;
	pr_warn("SLUB: Unable to allocate memory on node %d, gfp=%#x\n"
		"  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		nid, gfpflags, s->name, s->object_size, s->size, oo_order(s->oo),
		oo_order(s->min));
}

/*
 * The slow path: the cpu freelist is empty.  Refill from the cpu slab's
 * remote frees, then the cpu partial list, then the node partial lists,
 * then a new slab from the page allocator.
 */
static __cold void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node,
				  struct kmem_cache_cpu *c)
{
	struct page *slab;
	void *freelist;

	stat(c, ALLOC_SLOWPATH);
	slab = c->slab;
	if (!slab)
		goto new_slab;
	if (unlikely(!node_match(slab, node))) {
		stat(c, ALLOC_NODE_MISMATCH);
		freelist = c->freelist;
		c->slab = NULL;
		c->freelist = NULL;
		deactivate_slab(s, slab, freelist, c);
		goto new_slab;
	}
	freelist = c->freelist;
	if (freelist)
		goto load_freelist;
	freelist = get_freelist(slab);
	if (!freelist) {
		c->slab = NULL;		/* full: it lives on no list */
		stat(c, DEACTIVATE_BYPASS);
		goto new_slab;
	}
	stat(c, ALLOC_REFILL);
load_freelist:
	c->freelist = get_freepointer(s, freelist);
	return freelist;

new_slab:
	while (c->partial) {
		slab = c->partial;
		c->partial = slab->next;
		if (unlikely(!node_match(slab, node))) {
			slab->next = NULL;
			__put_partials(s, slab, c);
			continue;
		}
		freelist = freeze_slab(slab);
		if (likely(freelist)) {
			c->slab = slab;
			stat(c, CPU_PARTIAL_ALLOC);
			goto load_freelist;
		}
	}
	slab = get_partial(s, node, c);
	if (slab) {
		freelist = freeze_slab(slab);
		if (freelist) {
			c->slab = slab;
			goto load_freelist;
		}
	}
	slab = new_slab(s, gfpflags, node, c);
	if (unlikely(!slab)) {
		slab_out_of_memory(s, gfpflags, node);
		return NULL;
	}
	stat(c, ALLOC_SLAB);
	inc_slabs_node(s, slab_nid(slab), slab->objects);
	freelist = slab->freelist;
	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	c->slab = slab;
	goto load_freelist;
}

static __always_inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags,
					     int node)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	void *object;

	if (unlikely(!c))
		return NULL;
	object = c->freelist;
	if (unlikely(!object || node != NUMA_NO_NODE)) {
		umm_gate_enter();
		object = ___slab_alloc(s, gfpflags, node, c);
		umm_gate_exit();
	} else {
		c->freelist = get_freepointer(s, object);
		stat(c, ALLOC_FASTPATH);
	}
	if (unlikely((gfpflags & __GFP_ZERO) && object))
		memset(object, 0, s->object_size);
	return object;
}

void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
			      unsigned long caller)
{
	(void)caller;
	return slab_alloc_node(s, gfpflags, node);
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags)
{
	return slab_alloc_node(s, gfpflags, NUMA_NO_NODE);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node)
{
	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_online_nodes))
		node = NUMA_NO_NODE;
	return slab_alloc_node(s, gfpflags, node);
}

/* ---- freeing ---- */

/*
 * Free to a slab that is not our cpu slab: push onto its own freelist
 * under its lock, then fix up the lists as the kernel does.
 */
static __cold void __slab_free(struct kmem_cache *s, struct page *slab, void *head,
			       void *tail, int cnt, struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = NULL;
	bool was_frozen, on_node_partial = false;
	unsigned int inuse;
	void *prior;

	stat(c, FREE_SLOWPATH);
	for (;;) {
		slab_lock(slab);
		prior = slab->freelist;
		was_frozen = slab->frozen;
		inuse = slab->inuse - (unsigned int)cnt;
		if ((!inuse || !prior) && !was_frozen && !n &&
		    (!kmem_cache_has_cpu_partial(s) || prior)) {
			/* It must come off or go on a node list: lock it first. */
			slab_unlock(slab);
			n = get_node(s, slab_nid(slab));
			spin_lock(&n->list_lock);
			continue;
		}
		set_freepointer(s, tail, prior);
		slab->freelist = head;
		slab->inuse = inuse;
		if (n)
			on_node_partial = slab_test_node_partial(slab);
		slab_unlock(slab);
		break;
	}

	if (!n) {
		if (was_frozen)
			stat(c, FREE_FROZEN);	/* a cpu owns it: nothing to do */
		else if (kmem_cache_has_cpu_partial(s) && !prior) {
			/* The first free into a full slab: take it as partial. */
			put_cpu_partial(s, slab, 1, c);
			stat(c, CPU_PARTIAL_FREE);
		}
		return;
	}
	/* Partly free but on no node list (a cpu partial list has it). */
	if ((prior && !on_node_partial) || was_frozen) {
		spin_unlock(&n->list_lock);
		return;
	}
	if (unlikely(!inuse && n->nr_partial >= s->min_partial))
		goto slab_empty;
	if (!kmem_cache_has_cpu_partial(s) && unlikely(!prior)) {
		add_partial(n, slab, DEACTIVATE_TO_TAIL_);
		stat(c, FREE_ADD_PARTIAL);
	}
	spin_unlock(&n->list_lock);
	return;

slab_empty:
	if (prior) {
		remove_partial(n, slab);
		stat(c, FREE_REMOVE_PARTIAL);
	}
	spin_unlock(&n->list_lock);
	stat(c, FREE_SLAB);
	discard_slab(s, slab);
}

static __always_inline void do_slab_free(struct kmem_cache *s, struct page *slab,
					 void *head, void *tail, int cnt)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (unlikely(!c))
		return;
	if (unlikely(slab != c->slab)) {
		umm_gate_enter();
		__slab_free(s, slab, head, tail, cnt, c);
		umm_gate_exit();
		return;
	}
	set_freepointer(s, tail, c->freelist);
	c->freelist = head;
	stat(c, FREE_FASTPATH);
}

/* The slab of an object, or NULL (with a message) for a foreign pointer. */
static inline struct page *object_slab(const void *x, const char *who)
{
	unsigned long pfn = ((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT;
	struct page *slab;

	if (unlikely((unsigned long)x < PAGE_OFFSET || pfn >= READ_ONCE(max_pfn))) {
		pr_err("%s: invalid object pointer %p (not in umm's memory)\n", who, x);
		return NULL;
	}
	slab = slab_head_page(pfn_to_page(pfn));
	if (unlikely(!PageSlab(slab))) {
		pr_err("%s: object %p is not in a slab\n", who, x);
		return NULL;
	}
	return slab;
}

void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller)
{
	struct page *slab = object_slab(x, "kmem_cache_free");

	(void)caller;
	if (likely(slab))
		do_slab_free(s, slab, x, x, 1);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *slab;

	if (unlikely(!x))
		return;
	slab = object_slab(x, "kmem_cache_free");
	if (unlikely(!slab))
		return;
	if (unlikely(slab->slab_cache != s)) {
		pr_err("kmem_cache_free: Wrong slab cache. %s but object is from %s\n",
		       s->name, slab->slab_cache->name);
		s = slab->slab_cache;
	}
	do_slab_free(s, slab, x, x, 1);
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		p[i] = slab_alloc_node(s, flags, NUMA_NO_NODE);
		if (unlikely(!p[i])) {
			kmem_cache_free_bulk(s, i, p);
			return 0;
		}
	}
	return (int)i;
}

void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++)
		kmem_cache_free(s, p[i]);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

const char *kmem_cache_name(struct kmem_cache *s)
{
	return s->name;
}

/* ---- cache geometry ---- */

static inline unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
					   unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* The kernel's calculate_order(): waste at most 1/16 .. 1/2 of a slab. */
static int calculate_order(unsigned int size)
{
	unsigned int min_objects = slub_min_objects, max_objects, min_order, order;

	if (!min_objects)
		min_objects = 4 * (unsigned int)(32 - __builtin_clz(nr_cpu_ids) + 1);
	max_objects = max(order_objects(slub_max_order, size), 1U);
	min_objects = min(min_objects, max_objects);
	min_order = max_t(unsigned int, slub_min_order,
			  (unsigned int)get_order((unsigned long)min_objects * size));
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, slub_max_order, fraction);
		if (order <= slub_max_order)
			return (int)order;
	}
	order = (unsigned int)get_order(size);
	if (order <= MAX_PAGE_ORDER)
		return (int)order;
	return -ENOSYS;
}

static int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN(s->object_size, sizeof(void *));
	int order;

	s->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor) {
		/* The object must stay intact while free: pointer after it. */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* Mid-object, so that small overflows miss the pointer. */
		s->offset = ALIGN_DOWN(s->object_size / 2, sizeof(void *));
	}
	size = ALIGN(size, s->align);
	s->size = size;
	order = calculate_order(size);
	if (order < 0)
		return 0;
	s->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make((unsigned int)get_order(size), size);
	return !!oo_objects(s->oo);
}

static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	s->cpu_partial_slabs = DIV_ROUND_UP(nr_objects * 2, oo_objects(s->oo));
}

/* ---- kmem_cache_node structures and bootstrap ---- */

static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	n->nr_partial = 0;
	spin_lock_init(&n->list_lock);
	INIT_LIST_HEAD(&n->partial);
	n->nr_slabs = 0;
	n->total_objects = 0;
	INIT_LIST_HEAD(&n->full);
}

/* The first kmem_cache_node comes from a slab made by hand. */
static int early_kmem_cache_node_alloc(int node)
{
	struct kmem_cache_node *n;
	struct page *slab;

	slab = new_slab(kmem_cache_node, GFP_NOWAIT, node, NULL);
	if (!slab)
		return -ENOMEM;
	n = slab->freelist;
	slab->freelist = get_freepointer(kmem_cache_node, n);
	slab->inuse = 1;
	kmem_cache_node->node[node] = n;
	init_kmem_cache_node(n);
	inc_slabs_node(kmem_cache_node, node, slab->objects);
	add_partial(n, slab, DEACTIVATE_TO_HEAD_);
	return 0;
}

static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = s->node[node];

		s->node[node] = NULL;
		if (n)
			kmem_cache_free(kmem_cache_node, n);
	}
}

static int init_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n;

		if (slab_state == DOWN) {
			if (early_kmem_cache_node_alloc(node))
				return -ENOMEM;
			continue;
		}
		n = kmem_cache_alloc_node(kmem_cache_node, GFP_KERNEL, node);
		if (!n) {
			free_kmem_cache_nodes(s);
			return -ENOMEM;
		}
		init_kmem_cache_node(n);
		s->node[node] = n;
	}
	return 0;
}

static int alloc_cache_index(struct kmem_cache *s)
{
	for (unsigned int i = 0; i < MAX_SLAB_CACHES; i++) {
		if (cache_index_used[i / 64] & (1UL << (i % 64)))
			continue;
		cache_index_used[i / 64] |= 1UL << (i % 64);
		s->cpu_index = i;
		WRITE_ONCE(cache_by_index[i], s);
		return 0;
	}
	pr_err("umm: slub: more than %d caches\n", MAX_SLAB_CACHES);
	return -ENOMEM;
}

static void free_cache_index(struct kmem_cache *s)
{
	cache_index_used[s->cpu_index / 64] &= ~(1UL << (s->cpu_index % 64));
	WRITE_ONCE(cache_by_index[s->cpu_index], NULL);
}

int __kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	int err;

	s->flags = flags;
	if (!calculate_sizes(s))
		return -EINVAL;
	s->min_partial = clamp((unsigned long)(31 - __builtin_clz(s->size)) / 2,
			       (unsigned long)MIN_PARTIAL, (unsigned long)MAX_PARTIAL);
	set_cpu_partial(s);
	err = alloc_cache_index(s);
	if (err)
		return err;
	err = init_kmem_cache_nodes(s);
	if (err)
		free_cache_index(s);
	return err;
}

/* Free the empty slabs on a node's partial list; report the rest. */
static void free_partial(struct kmem_cache *s, struct kmem_cache_node *n)
{
	struct page *slab, *h;
	LIST_HEAD(discard);

	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &n->partial, slab_list) {
		if (!slab->inuse) {
			remove_partial(n, slab);
			list_add(&slab->slab_list, &discard);
		} else {
			pr_err("BUG %s (%s): Objects remaining in %s on __kmem_cache_shutdown()\n",
			       s->name, "Not tainted", s->name);
		}
	}
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &discard, slab_list)
		discard_slab(s, slab);
}

int __kmem_cache_shutdown(struct kmem_cache *s)
{
	flush_all_threads(s);
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		free_partial(s, n);
		if (n->nr_partial || READ_ONCE(n->nr_slabs))
			return 1;
	}
	return 0;
}

void __kmem_cache_release(struct kmem_cache *s)
{
	free_kmem_cache_nodes(s);
	free_cache_index(s);
}

int __kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	int ret = 0;

	if (c)
		flush_cpu_slab(s, c);
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *slab, *t;
		LIST_HEAD(discard);

		spin_lock(&n->list_lock);
		list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
			unsigned int inuse;

			slab_lock(slab);
			inuse = slab->inuse;
			slab_unlock(slab);
			if (!inuse) {
				remove_partial(n, slab);
				list_add(&slab->slab_list, &discard);
			}
		}
		spin_unlock(&n->list_lock);
		list_for_each_entry_safe(slab, t, &discard, slab_list)
			discard_slab(s, slab);
		if (READ_ONCE(n->nr_slabs))
			ret = 1;
	}
	return ret;
}

struct kmem_cache *__kmem_cache_alias(const char *name, unsigned int size,
				      unsigned int align, slab_flags_t flags,
				      void (*ctor)(void *))
{
	struct kmem_cache *s = find_mergeable(size, align, flags, name, ctor);

	if (s) {
		s->refcount++;
		/* Adjust for the largest alias, as the kernel does. */
		s->object_size = max(s->object_size, size);
		s->inuse = max(s->inuse, ALIGN(size, sizeof(void *)));
	}
	return s;
}

/* Move a static boot cache into memory from kmem_cache itself. */
static struct kmem_cache *bootstrap(struct kmem_cache *static_cache)
{
	struct kmem_cache *s = kmem_cache_zalloc(kmem_cache, GFP_NOWAIT);
	struct kmem_cache_cpu *c;

	if (!s)
		return NULL;
	memcpy(s, static_cache, sizeof(*s));
	/* Slabs made while static point at the static copy: repoint them. */
	c = this_cpu_slab(s);
	flush_cpu_slab(s, c);
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *p;

		list_for_each_entry(p, &n->partial, slab_list)
			p->slab_cache = s;
	}
	WRITE_ONCE(cache_by_index[s->cpu_index], s);
	list_add(&s->list, &slab_caches);
	return s;
}

static int create_boot_cache(struct kmem_cache *s, const char *name, unsigned int size,
			     slab_flags_t flags)
{
	s->name = name;
	s->size = s->object_size = size;
	s->align = calculate_alignment(flags, sizeof(void *), size);
	s->refcount = -1;	/* never merged, never destroyed */
	return __kmem_cache_create(s, flags);
}

int kmem_cache_init(void)
{
	static struct kmem_cache boot_kmem_cache, boot_kmem_cache_node;

	memset(&boot_kmem_cache, 0, sizeof(boot_kmem_cache));
	memset(&boot_kmem_cache_node, 0, sizeof(boot_kmem_cache_node));
	kmem_cache_node = &boot_kmem_cache_node;
	kmem_cache = &boot_kmem_cache;
	if (create_boot_cache(kmem_cache_node, "kmem_cache_node",
			      sizeof(struct kmem_cache_node), SLAB_HWCACHE_ALIGN))
		goto fail;
	slab_state = PARTIAL;
	if (create_boot_cache(kmem_cache, "kmem_cache", sizeof(struct kmem_cache),
			      SLAB_HWCACHE_ALIGN))
		goto fail;
	kmem_cache = bootstrap(&boot_kmem_cache);
	kmem_cache_node = bootstrap(&boot_kmem_cache_node);
	if (!kmem_cache || !kmem_cache_node)
		goto fail;
	return 0;
fail:
	pr_err("umm: slub: cannot bootstrap the kmem_cache caches\n");
	return -ENOMEM;
}

/* Forget every cache: the memory they lived in is going away. */
void slub_shutdown(void)
{
	struct slub_thread *t;

	pthread_mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list)
		memset(t->cpu, 0, sizeof(t->cpu));
	pthread_mutex_unlock(&slub_threads_lock);
	memset(cache_by_index, 0, sizeof(cache_by_index));
	memset(cache_index_used, 0, sizeof(cache_index_used));
	kmem_cache_node = NULL;
	slub_min_order = 0;
	slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
	slub_min_objects = 0;
}

int slub_param(const char *name, const char *val)
{
	char *end;
	unsigned long v = strtoul(val, &end, 0);

	if (!*val || *end)
		return -EINVAL;
	if (!strcmp(name, "slub_min_order") && v <= MAX_PAGE_ORDER)
		slub_min_order = (unsigned int)v;
	else if (!strcmp(name, "slub_max_order") && v <= MAX_PAGE_ORDER)
		slub_max_order = (unsigned int)v;
	else if (!strcmp(name, "slub_min_objects") && v <= MAX_OBJS_PER_PAGE)
		slub_min_objects = (unsigned int)v;
	else
		return -EINVAL;
	if (slub_min_order > slub_max_order)
		slub_max_order = slub_min_order;
	return 0;
}

/* ---- reports ---- */

static unsigned long count_partial_free(struct kmem_cache_node *n)
{
	unsigned long x = 0;
	struct page *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		slab_lock(slab);
		x += slab->objects - slab->inuse;
		slab_unlock(slab);
	}
	spin_unlock(&n->list_lock);
	return x;
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;

	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		nr_slabs += (unsigned long)READ_ONCE(n->nr_slabs);
		nr_objs += (unsigned long)READ_ONCE(n->total_objects);
		nr_free += count_partial_free(n);
	}
	memset(sinfo, 0, sizeof(*sinfo));
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/* ---- the invariant checker ---- */

#define check(cond, ...)						\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("umm_slab_check: " __VA_ARGS__);		\
			return -EUCLEAN;				\
		}							\
	} while (0)

/* Walk a slab's freelist: inside the slab, on object starts, no repeats. */
static int check_freelist(struct kmem_cache *s, struct page *slab, void *fp,
			  unsigned int *nfree)
{
	char *base = slab_address(slab);
	unsigned int n = 0;

	for (; fp; fp = get_freepointer(s, fp)) {
		unsigned long off = (unsigned long)((char *)fp - base);

		check((char *)fp >= base && off < (unsigned long)slab->objects * s->size,
		      "%s: free pointer %p outside slab %p\n", s->name, fp, base);
		check(off % s->size == 0, "%s: free pointer %p not on an object\n", s->name, fp);
		check(++n <= slab->objects, "%s: freelist of slab %p loops\n", s->name, base);
	}
	*nfree = n;
	return 0;
}

static int check_slab(struct kmem_cache *s, struct page *slab)
{
	check(PageSlab(slab), "%s: slab %p is not PageSlab\n", s->name, (void *)slab);
	check(slab->slab_cache == s, "%s: slab %p belongs to %s\n", s->name,
	      slab_address(slab), slab->slab_cache ? slab->slab_cache->name : "(null)");
	check(slab->objects == oo_objects(s->oo) || slab->objects == oo_objects(s->min),
	      "%s: slab %p has %u objects\n", s->name, slab_address(slab), slab->objects);
	check(slab->inuse <= slab->objects, "%s: slab %p inuse %u > objects %u\n", s->name,
	      slab_address(slab), slab->inuse, slab->objects);
	return 0;
}

UMM_API int umm_slab_check(void)
{
	struct kmem_cache *s;
	int err = 0;

	if (!umm_ensure_booted())
		return -ENODEV;
	umm_gate_enter();
	pthread_mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct kmem_cache_cpu *c = this_cpu_slab(s);

		for (int node = 0; node < nr_online_nodes && !err; node++) {
			struct kmem_cache_node *n = get_node(s, node);
			unsigned long count = 0;
			struct page *slab;

			spin_lock(&n->list_lock);
			list_for_each_entry(slab, &n->partial, slab_list) {
				unsigned int nfree;

				count++;
				slab_lock(slab);
				err = check_slab(s, slab);
				if (!err)
					err = check_freelist(s, slab, slab->freelist, &nfree);
				if (!err && (slab->frozen || !slab_test_node_partial(slab)))
					err = -EUCLEAN;
				if (!err && nfree != (unsigned int)(slab->objects - slab->inuse)) {
					pr_err("umm_slab_check: %s: slab %p: %u free, inuse says %u\n",
					       s->name, slab_address(slab), nfree,
					       slab->objects - slab->inuse);
					err = -EUCLEAN;
				}
				if (!err && slab_nid(slab) != node)
					err = -EUCLEAN;
				slab_unlock(slab);
				if (err)
					break;
			}
			if (!err && count != n->nr_partial) {
				pr_err("umm_slab_check: %s: nr_partial %lu, list holds %lu\n",
				       s->name, n->nr_partial, count);
				err = -EUCLEAN;
			}
			if (!err && (long)count > READ_ONCE(n->nr_slabs))
				err = -EUCLEAN;
			spin_unlock(&n->list_lock);
		}
		if (!err && c && c->slab) {
			unsigned int nfree;

			slab_lock(c->slab);
			err = check_slab(s, c->slab);
			if (!err && !c->slab->frozen)
				err = -EUCLEAN;
			slab_unlock(c->slab);
			if (!err)
				err = check_freelist(s, c->slab, c->freelist, &nfree);
		}
		for (struct page *p = c ? c->partial : NULL; p && !err; p = p->next) {
			unsigned int nfree;

			slab_lock(p);
			err = check_slab(s, p);
			if (!err)
				err = check_freelist(s, p, p->freelist, &nfree);
			if (!err && (p->frozen || slab_test_node_partial(p)))
				err = -EUCLEAN;
			slab_unlock(p);
		}
		if (err) {
			pr_err("umm_slab_check: cache %s is inconsistent\n", s->name);
			break;
		}
	}
	pthread_mutex_unlock(&slab_mutex);
	umm_gate_exit();
	return err;
}
