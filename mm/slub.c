// SPDX-License-Identifier: GPL-2.0
/*
 * slub.c - the SLUB allocator (mm/slub.c).
 *
 * Owns: every kmem_cache's slabs, its per-node partial (and, debugging,
 * full) lists, and every thread's kmem_cache_cpu slots; the bootstrap of
 * the kmem_cache and kmem_cache_node caches; the slub_debug= settings,
 * the freelist hardening and randomization options, the taint flag; and,
 * in its last part, the /sys/kernel/slab/<cache>/ files.
 * With umm.slab=slab (slab_classic) mm/slab.c owns every cache instead:
 * the fast paths below stay as they are and miss for its caches (no cpu
 * slab, no sheaf, cpu_partial_slabs 0), and the slow paths and entry
 * points hand over to it first thing; /sys/kernel/slab is then absent.
 *
 * Structure, as the kernel has it (mm/slub.c):
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
 *  - each "CPU" also has a sheaf (the kernel's 6.18 percpu sheaves): a
 *    small array that takes frees of objects from other slabs without a
 *    lock, and that allocation empties first (the most recently freed
 *    objects are the ones still in the cache); a full sheaf frees its
 *    older half to the slabs.  Objects in a sheaf count as in use;
 *  - allocation order: sheaf -> cpu slab -> cpu partial -> node partial -> new slab;
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
 * back, which a pthread key destructor does (flush_thread_slabs()).  A
 * thread past that point (its later destructors, glibc's freeres) gets
 * no slot again: it allocates and frees one object at a time through a
 * slot on the stack (slab_alloc_nocpu()/slab_free_nocpu()), so that no
 * slot outlives its thread.
 * kmem_cache_shrink() flushes the calling thread's slots only: other
 * threads' slots cannot be touched without stopping them.  The reclaim
 * worker (mm/vmstat.c) reaps the empty slabs of the node partial lists,
 * a fifth at a time (kmem_cache_reap()); what idle threads' slots hold
 * stays theirs.
 * The kernel updates slab->freelist/counters with cmpxchg_double; umm
 * takes the slab's own lock (the kernel's fallback, slab_lock()), in the
 * word struct page keeps for memcg_data.
 *
 * Debugging (slub_debug= on the command line, the kernel's syntax:
 * "slub_debug" alone is FZPU for every cache, "slub_debug=<flags>" sets
 * the flags of every cache, "<flags>,<cache>[,<cache>...]" of the caches
 * named (a trailing '*' matches a prefix), blocks are separated by ';',
 * '-' turns debugging off; flags F consistency checks, Z red zones,
 * P poison, U alloc/free tracks, T trace, A failslab, O none where the
 * metadata would raise a cache's order).  kmem_cache_flags() gives a new
 * cache its flags, before merging is considered: debugged caches do not
 * merge.
 *  - A cache with F, Z, P, U or T (kmem_cache_debug()) has no cpu slab
 *    and no cpu partial list: its c->freelist stays empty and c->slab
 *    NULL, so the unchanged fast paths fall through to the slow path,
 *    where every allocation and free takes n->list_lock, one object at a
 *    time (alloc_single_from_partial()/_new_slab(),
 *    free_to_partial_list()), through alloc_debug_processing() and
 *    free_debug_processing().  Its full slabs are kept on n->full.
 *  - The object slot, s->size bytes, objects one after another from the
 *    slab's start, the tail of the slab left over as padding:
 *
 *	[red_left_pad]	Z: left red zone; the object pointer is the slot
 *			plus red_left_pad
 *	object_size	the object: POISON_FREE (0x6b) bytes and a last
 *			POISON_END (0xa5) while free (P, no ctor, no RCU); for
 *			a kmalloc cache with U, the bytes past the size asked
 *			for are SLUB_RED_ACTIVE while allocated (kmalloc
 *			red zone)
 *	.. s->inuse	Z: right red zone, the slack to a word or a whole
 *			word; red zones are SLUB_RED_INACTIVE (0xbb) while
 *			free, SLUB_RED_ACTIVE (0xcc) while allocated
 *	free pointer	at s->offset == s->inuse when P, a ctor, RCU or a
 *			kmalloc red zone need the object intact; otherwise
 *			mid-object, and nothing here
 *	2 x track	U: alloc and free: caller, cpu, pid (thread id), time
 *			in milliseconds (jiffies at HZ=1000)
 *	orig_size	U and a kmalloc cache: the size kmalloc was asked for
 *	padding		up to s->size (Z adds a word), POISON_INUSE (0x5a)
 *			with P, as is the slab's tail
 *
 *  - Checks: with F, allocation checks the slab and the object (red
 *    zones, poison, padding, free pointer) and free checks that the
 *    pointer is an object of its slab, not already free (on_freelist()),
 *    and intact; destroying a cache lists the objects still allocated;
 *    kmem_cache_validate() checks every slab and object on demand.
 *  - Reports go through pr_err() only, in the kernel's words (5.13's, with
 *    the "INFO:" prefixes; 5.14 dropped them): a banner, "BUG <cache>
 *    (Not tainted): <what>", "INFO:" lines with the bad byte range and
 *    its offset in the slab, the alloc/free tracks as symbol+0xoff/0xsize
 *    (lib/kallsyms.c), the slab and the object, hex dumps in
 *    print_hex_dump()'s format ("Object   <address>: 6b 6b ...  kk..."),
 *    then "FIX <cache>: ..." for what was done.  No stack traces (no
 *    stack depot, no dump_stack()); "Tainted: B" after the first report.
 *  - Repairs keep the cache usable: overwritten red zone, poison and
 *    padding bytes are rewritten (restore_bytes()); a bad free pointer
 *    is cut and the counters are set to what was counted; an object that
 *    fails the free checks (double free, invalid pointer, overwritten red
 *    zone) is not freed; a slab whose next object fails the allocation
 *    checks is marked all used.  Objects such repairs take off a freelist
 *    count as allocated and get allocated red zones (adopt_lost_objects()),
 *    and a slab left with no free object moves to n->full, where the
 *    kernel would leave it on no list or on the partial list.
 *
 * Hardening (boot options, off by default; bench/slab_hardening_bench
 * measures them):
 *  - umm.slab_freelist_hardened=1 (CONFIG_SLAB_FREELIST_HARDENED): a free
 *    pointer is stored as ptr ^ s->random ^ bswap(its own address), with
 *    a random s->random per cache; s->random == 0 means off.  A hardened
 *    cache's cpu_offset is slot 0, as failslab's (below), so the inlined
 *    fast paths never see its objects and need no test of s->random
 *    (get_freepointer_fast()); its pops and pushes are done on its own
 *    slot by slab_alloc_slowpath() and slab_free_other(), a call away.
 *    The trade, measured by bench/slab_hardening_bench: every cache's
 *    pair costs 8 instructions less, and a hardened cache's pair about
 *    3.5x a plain one's (13.6 against 3.9 ns), where the test in the
 *    fast paths made it 1.2x.  Freeing
 *    the object at the head of a freelist again (the naive double free)
 *    is refused with "kernel BUG at mm/slub.c:<line>!" where the kernel
 *    would BUG().
 *  - umm.slab_freelist_random=1 (CONFIG_SLAB_FREELIST_RANDOM): a random
 *    permutation of object indices per cache (s->random_seq), and
 *    shuffle_freelist() threads each new slab's freelist in that order
 *    from a random place; allocation is unchanged.
 *  - umm.malloc_free_check=0|double|pointer|1 picks the malloc front
 *    end's free() checks (malloc/malloc.c; default double): "double", an
 *    object that holds the free key is looked for among the free ones
 *    (slab_object_is_free()); "pointer", the pointer is an object's
 *    start (slab_object_start()); 1 both.  slub.c only keeps
 *    the option.
 *  - failslab (mm/slab_common.c) costs the fast paths nothing: while a
 *    probability is set every cache's cpu_offset is slot 0, which no
 *    cache has, so that they miss and the slow path asks should_failslab()
 *    (slab_failslab_update(), the kernel's static key).
 *
 * Lock order: slab_mutex -> slub_threads_lock -> n->list_lock ->
 * slab_lock(slab).  Every path that takes one of them runs inside the
 * fork gate (mm/fork_gate.c); the lockless fast paths do not.  The page
 * allocator is called with none of these but slab_mutex held.  Reports
 * are printed with the locks of the checked slab held.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
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
	"cpu_partial_node", "cpu_partial_drain", "sheaf_flush",
};

static unsigned int slub_min_order;
static unsigned int slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
static unsigned int slub_min_objects;

/* Boot options (see the head comment); reset by slub_shutdown(). */
static slab_flags_t slub_debug;		/* slub_debug= flags for every cache */
static char slub_debug_string[1024];	/* the blocks naming caches, or "" */
static bool disable_higher_order_debug;	/* slub_debug=O */
static bool slab_freelist_hardened;	/* umm.slab_freelist_hardened= */
static bool slab_freelist_random;	/* umm.slab_freelist_random= */
unsigned int malloc_free_check = MALLOC_CHECK_DEFAULT;	/* (malloc/malloc.c) */

static struct kmem_cache *kmem_cache_node;
static struct kmem_cache *cache_by_index[MAX_SLAB_CACHES];
static unsigned long cache_index_used[MAX_SLAB_CACHES / 64];

enum { DEACTIVATE_TO_HEAD_, DEACTIVATE_TO_TAIL_ };

/* ---- per-thread "CPU" slots ---- */

static LIST_HEAD(slub_threads);
static DEFINE_MUTEX(slub_threads_lock);
static pthread_key_t slub_thread_key;
static pthread_once_t slub_key_once = PTHREAD_ONCE_INIT;
struct slub_thread no_slub_thread;	/* never written: see mm/slab.h */
_Static_assert(offsetof(struct slub_thread, cpu) == 0, "cpu_offset counts from cpu[0]");
__thread struct slub_thread *current_slub __attribute__((tls_model("initial-exec"))) =
	&no_slub_thread;
/* This thread's slot was retired at its exit: it gets no new one. */
static __thread bool slub_thread_gone;

static void flush_thread_slabs(void *arg);

static void slub_make_key(void)
{
	pthread_key_create(&slub_thread_key, flush_thread_slabs);
}

/*
 * The calling thread's slot, made on its first allocation; NULL for a
 * thread past its slot's retirement (see flush_thread_slabs()) or when
 * there is no memory for one: its allocations and frees then go through
 * slab_alloc_nocpu()/slab_free_nocpu().  The slot is on the list and
 * current before the gate opens, so that a fork() from a signal handler
 * here finds it.
 */
__cold struct slub_thread *slub_thread_init(void)
{
	struct slub_thread *t;

	if (slub_thread_gone)
		return NULL;
	t = host_alloc(sizeof(*t));
	if (!t) {
		pr_err("umm: slub: no memory for a thread's cpu slabs\n");
		return NULL;
	}
	pthread_once(&slub_key_once, slub_make_key);
	umm_gate_enter();
	mutex_lock(&slub_threads_lock);
	list_add(&t->list, &slub_threads);
	current_slub = t;
	mutex_unlock(&slub_threads_lock);
	umm_gate_exit();
	pthread_setspecific(slub_thread_key, t);
	return t;
}

__slub_racy_reader unsigned long slub_stat_sum(struct kmem_cache *s, enum stat_item si)
{
	unsigned long sum;
	struct slub_thread *t;

	umm_gate_enter();
	mutex_lock(&slub_threads_lock);
	sum = READ_ONCE(s->stat_exited[si]);
	list_for_each_entry(t, &slub_threads, list)
		sum += data_race_read(t->cpu[s->cpu_index].stat[si]);
	mutex_unlock(&slub_threads_lock);
	umm_gate_exit();
	return sum;
}

/* ---- objects, free pointers, slab locks ---- */

static __always_inline bool kmem_cache_debug_flags(const struct kmem_cache *s,
						   slab_flags_t flags)
{
	return unlikely(s->flags & flags);
}

static __always_inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return kmem_cache_debug_flags(s, SLAB_DEBUG_FLAGS);
}

/* The object of a slot: past the left red zone when there is one. */
static inline void *fixup_red_left(const struct kmem_cache *s, void *p)
{
	if (kmem_cache_debug_flags(s, SLAB_RED_ZONE))
		p = (char *)p + s->red_left_pad;
	return p;
}

static inline void *restore_red_left(const struct kmem_cache *s, void *p)
{
	if (kmem_cache_debug_flags(s, SLAB_RED_ZONE))
		p = (char *)p - s->red_left_pad;
	return p;
}

/* The free pointer lies after the object (and its right red zone). */
static inline bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

/* Where the tracks start: past the red zone and an outside free pointer. */
static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	return freeptr_outside_object(s) ? s->inuse + (unsigned int)sizeof(void *) : s->inuse;
}

/* Bytes of a slot from the object to the slot's end. */
static inline unsigned int size_from_object(const struct kmem_cache *s)
{
	return (s->flags & SLAB_RED_ZONE) ? s->size - s->red_left_pad : s->size;
}

/* Loop over all objects in a slab (object pointers, past the left red zone). */
#define for_each_object(__p, __s, __addr, __objects)			\
	for (__p = fixup_red_left(__s, __addr);				\
	     (char *)__p < (char *)(__addr) + (__objects) * (__s)->size; \
	     __p = (char *)__p + (__s)->size)

static inline unsigned int obj_to_index(const struct kmem_cache *s, const void *addr,
					const void *obj)
{
	return (unsigned int)(((const char *)obj - (const char *)addr) / s->size);
}

/* Is @object NULL or the start of an object of @slab? */
static inline bool check_valid_pointer(const struct kmem_cache *s, const struct page *slab,
				       const void *object)
{
	const char *base, *slot;

	if (!object)
		return true;
	base = slab_address(slab);
	slot = restore_red_left(s, (void *)object);
	return slot >= base && slot < base + (unsigned long)slab->objects * s->size &&
	       (unsigned long)(slot - base) % s->size == 0;
}

/* A macro, so that a lock-stat build counts each caller apart. */
#define slab_lock(slab)	spin_lock((spinlock_t *)&(slab)->__slab_lock)

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

/* Debugging caches have none (set_cpu_partial()). */
static inline bool kmem_cache_has_cpu_partial(struct kmem_cache *s)
{
	return READ_ONCE(s->cpu_partial_slabs) != 0;
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

/* __add_partial(): also for a node no other thread can see yet. */
static inline void __add_partial(struct kmem_cache_node *n, struct page *slab, int tail)
{
	WRITE_ONCE(n->nr_partial, n->nr_partial + 1);
	if (tail == DEACTIVATE_TO_TAIL_)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab_set_node_partial(slab);
}

static inline void add_partial(struct kmem_cache_node *n, struct page *slab, int tail)
{
	lockdep_assert_held(&n->list_lock);
	__add_partial(n, slab, tail);
}

static inline void remove_partial(struct kmem_cache_node *n, struct page *slab)
{
	lockdep_assert_held(&n->list_lock);

	list_del(&slab->slab_list);
	slab_clear_node_partial(slab);
	WRITE_ONCE(n->nr_partial, n->nr_partial - 1);
}

/*
 * Full slabs of debugging caches live on n->full (the kernel keeps it for
 * SLAB_STORE_USER caches only), so that validation sees every object.
 */
static inline void add_full(struct kmem_cache *s, struct kmem_cache_node *n,
			    struct page *slab)
{
	if (kmem_cache_debug(s))
		list_add(&slab->slab_list, &n->full);
}

static inline void remove_full(struct kmem_cache *s, struct page *slab)
{
	if (kmem_cache_debug(s))
		list_del(&slab->slab_list);
}

/* ---- debugging: tracks, reports, checks (slub_debug=) ---- */

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* Who allocated or freed an object last (SLAB_STORE_USER). */
struct track {
	unsigned long addr;	/* called from address */
	int cpu;		/* was running on cpu */
	int pid;		/* thread id */
	unsigned long when;	/* "jiffies": milliseconds, coarse monotonic clock */
};

static int slab_tainted;		/* a report was made: TAINT_BAD_PAGE */
static __thread int slab_errors;	/* BUG and FIX messages this thread printed */

/* kmalloc caches with SLAB_STORE_USER remember the requested size. */
static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return kmem_cache_debug_flags(s, SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

static unsigned long slub_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

static struct track *get_track(struct kmem_cache *s, void *object, enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

/*
 * The calling thread's id.  gettid() is a system call (~200 ns), so it is
 * cached per thread once a fork handler that forgets the cache in the
 * child is in place.  The handler is registered from an allocation's
 * track, where no lock is held: pthread_atfork() may itself allocate.
 */
static __thread int track_tid;
static int track_tid_cached;		/* the fork handler is registered */
static int track_tid_registering;

static void track_tid_fork_child(void)
{
	track_tid = 0;
}

static int current_tid(bool may_register)
{
	int tid = track_tid;

	if (likely(tid))
		return tid;
	tid = (int)gettid();
	if (__atomic_load_n(&track_tid_cached, __ATOMIC_ACQUIRE))
		track_tid = tid;
	else if (may_register && !__atomic_exchange_n(&track_tid_registering, 1, __ATOMIC_ACQ_REL) &&
		 !pthread_atfork(NULL, NULL, track_tid_fork_child))
		__atomic_store_n(&track_tid_cached, 1, __ATOMIC_RELEASE);
	return tid;
}

static void set_track(struct kmem_cache *s, void *object, enum track_item alloc,
		      unsigned long addr)
{
	struct track *p = get_track(s, object, alloc);

	p->addr = addr;
	p->cpu = (int)smp_processor_id();
	p->pid = current_tid(alloc == TRACK_ALLOC);
	p->when = slub_jiffies();
}

static void init_tracking(struct kmem_cache *s, void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
}

static unsigned int *orig_size_ptr(struct kmem_cache *s, void *object)
{
	return (unsigned int *)((char *)object + get_info_end(s) + 2 * sizeof(struct track));
}

static void set_orig_size(struct kmem_cache *s, void *object, unsigned int orig_size)
{
	if (slub_debug_orig_size(s))
		*orig_size_ptr(s, object) = orig_size;
}

static unsigned int get_orig_size(struct kmem_cache *s, void *object)
{
	return slub_debug_orig_size(s) ? *orig_size_ptr(s, object) : s->object_size;
}

/* ksize() hands the whole object out: nothing past orig_size is red zone. */
void skip_orig_size_check(struct kmem_cache *s, const void *object)
{
	if (slab_classic)
		return;
	set_orig_size(s, (void *)object, s->object_size);
}

/* print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, length, true) */
static void print_section(int level, const char *text, const u8 *addr, unsigned int length)
{
	static const char hex_asc[] = "0123456789abcdef";

	for (unsigned int i = 0; i < length; i += 16) {
		unsigned int len = min(16U, length - i), lx = 0;
		char line[16 * 3 + 2 + 16 + 1];

		for (unsigned int j = 0; j < len; j++) {
			line[lx++] = hex_asc[addr[i + j] >> 4];
			line[lx++] = hex_asc[addr[i + j] & 0xf];
			line[lx++] = ' ';
		}
		if (len)
			lx--;
		while (lx < 16 * 2 + 16 + 1)	/* the ASCII column */
			line[lx++] = ' ';
		for (unsigned int j = 0; j < len; j++) {
			u8 ch = addr[i + j];

			line[lx++] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
		}
		line[lx] = '\0';
		umm_printk(level, "%s%016lx: %s\n", text, (unsigned long)(addr + i), line);
	}
}

static void print_track(const char *s, struct track *t, unsigned long pr_time)
{
	char sym[192];

	if (!t->addr)
		return;
	umm_sprint_symbol(sym, sizeof(sym), (void *)t->addr);
	pr_err("INFO: %s in %s age=%lu cpu=%u pid=%d\n", s, sym, pr_time - t->when,
	       (unsigned int)t->cpu, t->pid);
}

static void print_tracking(struct kmem_cache *s, void *object)
{
	unsigned long pr_time = slub_jiffies();

	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC), pr_time);
	print_track("Freed", get_track(s, object, TRACK_FREE), pr_time);
}

static void print_slab_info(const struct page *slab)
{
	pr_err("INFO: Slab 0x%016lx objects=%u used=%u fp=0x%016lx flags=0x%lx\n",
	       (unsigned long)slab, slab->objects, slab->inuse,
	       (unsigned long)slab->freelist, slab->flags);
}

static const char *print_tainted(void)
{
	return __atomic_load_n(&slab_tainted, __ATOMIC_RELAXED) ? "Tainted: B" : "Not tainted";
}

static __printf(2, 3) void slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[192];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): %s\n", s->name, print_tainted(), buf);
	pr_err("-----------------------------------------------------------------------------\n\n");
	__atomic_store_n(&slab_tainted, 1, __ATOMIC_RELAXED);
	slab_errors++;
}

static __printf(2, 3) void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char buf[192];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	pr_err("FIX %s: %s\n", s->name, buf);
	slab_errors++;
}

static void print_trailer(struct kmem_cache *s, struct page *slab, u8 *p)
{
	u8 *addr = slab_address(slab);
	unsigned int off;

	print_tracking(s, p);
	print_slab_info(slab);
	pr_err("INFO: Object 0x%016lx @offset=%lu fp=0x%016lx\n\n", (unsigned long)p,
	       (unsigned long)(p - addr), (unsigned long)get_freepointer(s, p));
	if (s->flags & SLAB_RED_ZONE)
		print_section(LOGLEVEL_ERR, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section(LOGLEVEL_ERR, "Bytes b4 ", p - 16, 16);
	print_section(LOGLEVEL_ERR, "Object   ", p, min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section(LOGLEVEL_ERR, "Redzone  ", p + s->object_size,
			      s->inuse - s->object_size);
	off = get_info_end(s);
	if (s->flags & SLAB_STORE_USER)
		off += 2 * sizeof(struct track);
	if (slub_debug_orig_size(s))
		off += sizeof(unsigned int);
	if (off != size_from_object(s))
		/* Beginning of the filler is the free pointer */
		print_section(LOGLEVEL_ERR, "Padding  ", p + off, size_from_object(s) - off);
}

static void object_err(struct kmem_cache *s, struct page *slab, u8 *object,
		       const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, slab, object);
}

static __printf(3, 4) void slab_err(struct kmem_cache *s, struct page *slab,
				    const char *fmt, ...)
{
	char buf[160];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	slab_bug(s, "%s", buf);
	print_slab_info(slab);
}

/* Red zones, poison and padding for a free (INACTIVE) or allocated object. */
static void init_object(struct kmem_cache *s, void *object, u8 val)
{
	u8 *p = object;
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		/* Past what kmalloc was asked for is red zone too. */
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, object);
	}
	if ((s->flags & __OBJECT_POISON) && poison_size) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

static void restore_bytes(struct kmem_cache *s, const char *message, u8 data,
			  u8 *from, u8 *to)
{
	slab_fix(s, "Restoring %s 0x%016lx-0x%016lx=0x%x", message, (unsigned long)from,
		 (unsigned long)(to - 1), data);
	memset(from, data, (size_t)(to - from));
}

/* The first byte in [start, start + bytes) that is not @c, or NULL. */
static u8 *memchr_inv(u8 *start, u8 c, unsigned int bytes)
{
	unsigned long pattern = 0x0101010101010101UL * c;
	u8 *end = start + bytes;

	while (start < end && ((unsigned long)start & (sizeof(long) - 1)))
		if (*start++ != c)
			return start - 1;
	while (end - start >= (long)sizeof(long) && *(unsigned long *)start == pattern)
		start += sizeof(long);
	for (; start < end; start++)
		if (*start != c)
			return start;
	return NULL;
}

/* A bitmap of a slab's free objects (the kernel's object_map). */
#define OBJ_MAP_LONGS	((MAX_OBJS_PER_PAGE + 63) / 64)

static void fill_obj_map(unsigned long *map, struct kmem_cache *s, struct page *slab)
{
	void *addr = slab_address(slab), *p = slab->freelist;

	memset(map, 0, OBJ_MAP_LONGS * sizeof(long));
	for (unsigned int n = 0; p && n < slab->objects && check_valid_pointer(s, slab, p); n++) {
		unsigned int idx = obj_to_index(s, addr, p);

		map[idx / 64] |= 1UL << (idx % 64);
		p = get_freepointer(s, p);
	}
}

static inline bool obj_map_test(const unsigned long *map, unsigned int idx)
{
	return map[idx / 64] & (1UL << (idx % 64));
}

/*
 * Objects that fell off the freelist (a repair) now count as allocated:
 * those that still look free get an allocated object's red zones, so that
 * later validation does not report them.
 */
static void adopt_lost_objects(struct kmem_cache *s, struct page *slab)
{
	unsigned long map[OBJ_MAP_LONGS];
	void *addr = slab_address(slab), *p;

	if (!(s->flags & SLAB_RED_ZONE))
		return;
	fill_obj_map(map, s, slab);
	for_each_object(p, s, addr, slab->objects) {
		if (obj_map_test(map, obj_to_index(s, addr, p)) ||
		    memchr_inv((u8 *)p + s->object_size, SLUB_RED_INACTIVE, s->inuse - s->object_size))
			continue;
		set_orig_size(s, p, s->object_size);
		init_object(s, p, SLUB_RED_ACTIVE);
	}
}

static int check_bytes_and_report(struct kmem_cache *s, struct page *slab, u8 *object,
				  const char *what, u8 *start, u8 value, unsigned int bytes)
{
	u8 *addr = slab_address(slab), *fault, *end;

	fault = memchr_inv(start, value, bytes);
	if (!fault)
		return 1;
	end = start + bytes;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s, "%s overwritten", what);
	pr_err("INFO: 0x%016lx-0x%016lx @offset=%lu. First byte 0x%x instead of 0x%x\n",
	       (unsigned long)fault, (unsigned long)(end - 1), (unsigned long)(fault - addr),
	       fault[0], value);
	print_trailer(s, slab, object);
	restore_bytes(s, what, value, fault, end);
	return 0;
}

/* The padding after the tracks (and orig_size) up to the slot's end. */
static int check_pad_bytes(struct kmem_cache *s, struct page *slab, u8 *p)
{
	unsigned int off = get_info_end(s);

	if (s->flags & SLAB_STORE_USER) {
		off += 2 * sizeof(struct track);
		if (s->flags & SLAB_KMALLOC)
			off += sizeof(unsigned int);
	}
	if (size_from_object(s) == off)
		return 1;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off);
}

/* The bytes past the last object of a poisoned slab. */
static void slab_pad_check(struct kmem_cache *s, struct page *slab)
{
	u8 *start, *end, *pad, *fault;
	unsigned long length;
	unsigned int remainder;

	if (!(s->flags & SLAB_POISON))
		return;
	start = slab_address(slab);
	length = PAGE_SIZE << slab_order(slab);
	end = start + length;
	remainder = (unsigned int)(length - (unsigned long)slab->objects * s->size);
	if (!remainder)
		return;
	pad = end - remainder;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_err(s, slab, "Padding overwritten. 0x%016lx-0x%016lx @offset=%lu",
		 (unsigned long)fault, (unsigned long)(end - 1), (unsigned long)(fault - start));
	print_section(LOGLEVEL_ERR, "Padding  ", pad, remainder);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
}

/*
 * Check one object: SLUB_RED_INACTIVE for a free one, SLUB_RED_ACTIVE for
 * an allocated one.  Every problem is reported and repaired; returns 0
 * if there was any.
 */
static int check_object(struct kmem_cache *s, struct page *slab, void *object, u8 val)
{
	u8 *p = object, *endobject = p + s->object_size;
	int ret = 1;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, object, "Left Redzone", p - s->red_left_pad,
					    val, s->red_left_pad))
			ret = 0;
		if (!check_bytes_and_report(s, slab, object, "Right Redzone", endobject, val,
					    s->inuse - s->object_size))
			ret = 0;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, object, "kmalloc Redzone",
						    p + orig_size, val, s->object_size - orig_size))
				ret = 0;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject,
					    POISON_INUSE, s->inuse - s->object_size))
			ret = 0;
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1))
				ret = 0;
			if (!check_bytes_and_report(s, slab, p, "End Poison",
						    p + s->object_size - 1, POISON_END, 1))
				ret = 0;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = 0;
	}
	/* An allocated object's free pointer may be its data. */
	if ((freeptr_outside_object(s) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/*
		 * No choice but to zap it and thus lose the remainder of the
		 * free objects in this slab (a wrong object count follows).
		 */
		set_freepointer(s, p, NULL);
		ret = 0;
	}
	return ret;
}

static int check_slab(struct kmem_cache *s, struct page *slab)
{
	unsigned int maxobj;

	if (!PageSlab(slab)) {
		slab_err(s, slab, "Not a valid slab page");
		return 0;
	}
	maxobj = order_objects(slab_order(slab), s->size);
	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return 0;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab->inuse, slab->objects);
		return 0;
	}
	slab_pad_check(s, slab);	/* repairs what it finds */
	return 1;
}

/*
 * Is @search on @slab's freelist?  With @search NULL, walk all of it and
 * fix the counters: the freelist is cut at a bad pointer, inuse is set
 * to what was counted.  The caller holds what protects the freelist.
 */
static int on_freelist(struct kmem_cache *s, struct page *slab, void *search)
{
	void *fp = slab->freelist, *object = NULL;
	unsigned int nr = 0, max_objects;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return 1;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(s, slab, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				adopt_lost_objects(s, slab);
				slab_fix(s, "Freelist cleared");
				return 0;
			}
			break;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	if (fp && nr > slab->objects) {
		/* A loop: more free objects than the slab holds. */
		object_err(s, slab, object, "Freechain corrupt");
		set_freepointer(s, object, NULL);
		nr = slab->objects;
	}
	max_objects = min(order_objects(slab_order(slab), s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	if (slab->objects != max_objects) {
		slab_err(s, slab, "Wrong number of objects. Found %u but should be %u",
			 slab->objects, max_objects);
		slab->objects = max_objects;
		slab_fix(s, "Number of objects adjusted");
	}
	if (slab->inuse != slab->objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u",
			 slab->inuse, slab->objects - nr);
		if (slab->inuse < slab->objects - nr) {
			slab->inuse = slab->objects - nr;
			adopt_lost_objects(s, slab);
		} else {
			slab->inuse = slab->objects - nr;
		}
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

/* SLAB_TRACE: every allocation and free, at KERN_INFO (loglevel=7). */
static void trace(struct kmem_cache *s, struct page *slab, void *object, int alloc)
{
	if (!(s->flags & SLAB_TRACE))
		return;
	pr_info("TRACE %s %s 0x%016lx inuse=%u fp=0x%016lx\n", s->name, alloc ? "alloc" : "free",
		(unsigned long)object, slab->inuse, (unsigned long)slab->freelist);
	if (!alloc)
		print_section(LOGLEVEL_INFO, "Object   ", object, s->object_size);
}

/* A new slab of a poisoning cache: everything POISON_INUSE first. */
static void setup_slab_debug(struct kmem_cache *s, struct page *slab, void *addr)
{
	if (kmem_cache_debug_flags(s, SLAB_POISON))
		memset(addr, POISON_INUSE, PAGE_SIZE << slab_order(slab));
}

static void setup_object_debug(struct kmem_cache *s, void *object)
{
	if (!kmem_cache_debug_flags(s, SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON))
		return;
	init_object(s, object, SLUB_RED_INACTIVE);
	init_tracking(s, object);
}

static int alloc_consistency_checks(struct kmem_cache *s, struct page *slab, void *object)
{
	if (!check_slab(s, slab))
		return 0;
	if (!check_valid_pointer(s, slab, object)) {
		object_err(s, slab, object, "Freelist Pointer check fails");
		return 0;
	}
	if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
		return 0;
	return 1;
}

/*
 * @object was just taken off @slab's freelist (n->list_lock held).
 * False: the slab is marked all used, and the caller files it as full.
 */
static bool alloc_debug_processing(struct kmem_cache *s, struct page *slab, void *object,
				   unsigned int orig_size)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!alloc_consistency_checks(s, slab, object))
			goto bad;
	}
	trace(s, slab, object, 1);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
bad:
	/* Avoid the remaining objects: leak them rather than hand out more. */
	slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	adopt_lost_objects(s, slab);
	return false;
}

static int free_consistency_checks(struct kmem_cache *s, struct page *slab, void *object)
{
	if (!check_valid_pointer(s, slab, object)) {
		slab_err(s, slab, "Invalid object pointer 0x%016lx", (unsigned long)object);
		return 0;
	}
	if (on_freelist(s, slab, object)) {
		object_err(s, slab, object, "Object already free");
		return 0;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return 0;
	if (unlikely(s != slab->slab_cache)) {
		if (!PageSlab(slab))
			slab_err(s, slab, "Attempt to free object(0x%016lx) outside of slab",
				 (unsigned long)object);
		else if (!slab->slab_cache)
			pr_err("SLUB <none>: no slab for object 0x%016lx.\n", (unsigned long)object);
		else
			object_err(s, slab, object, "page slab pointer corrupt.");
		return 0;
	}
	return 1;
}

/* n->list_lock held.  False: leave @object alone (it is not freed). */
static bool free_debug_processing(struct kmem_cache *s, struct page *slab, void *object,
				  unsigned long addr)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab) || !free_consistency_checks(s, slab, object))
			goto fail;
	}
	if (unlikely(!slab->inuse)) {
		slab_err(s, slab, "Slab has %u allocated objects but %d are to be freed",
			 slab->inuse, 1);
		goto fail;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, addr);
	trace(s, slab, object, 0);
	/* The free pointer is outside what init_object() writes. */
	init_object(s, object, SLUB_RED_INACTIVE);
	return true;
fail:
	slab_fix(s, "Object at 0x%016lx not freed", (unsigned long)object);
	return false;
}

/* For __kmem_cache_shutdown(): name the objects still allocated. */
static void list_slab_objects(struct kmem_cache *s, struct page *slab)
{
	unsigned long map[OBJ_MAP_LONGS];
	void *addr = slab_address(slab), *p;

	slab_err(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()", s->name);
	fill_obj_map(map, s, slab);
	for_each_object(p, s, addr, slab->objects) {
		if (obj_map_test(map, obj_to_index(s, addr, p)))
			continue;
		pr_err("INFO: Object 0x%016lx @offset=%lu\n", (unsigned long)p,
		       (unsigned long)((char *)p - (char *)addr));
		print_tracking(s, p);
	}
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
	setup_object_debug(s, object);
	if (unlikely(s->ctor))
		s->ctor(object);
	return object;
}

/* ---- freelist randomization (CONFIG_SLAB_FREELIST_RANDOM) ---- */

/* The cache's permutation of object indices, as byte offsets. */
static int init_cache_random_seq(struct kmem_cache *s)
{
	unsigned int count = oo_objects(s->oo);
	int err;

	if (!slab_freelist_random || s->random_seq)
		return 0;
	err = cache_random_seq_create(s, count, GFP_KERNEL);
	if (err) {
		pr_err("SLUB: Unable to initialize free list for %s\n", s->name);
		return err;
	}
	if (s->random_seq) {
		for (unsigned int i = 0; i < count; i++)
			s->random_seq[i] *= s->size;
	}
	return 0;
}

/* Boot caches get theirs once kmalloc works (slab_mutex held). */
void init_freelist_randomization(void)
{
	struct kmem_cache *s;

	lockdep_assert_held(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		init_cache_random_seq(s);
}

static void *next_freelist_entry(struct kmem_cache *s, unsigned long *pos, void *start,
				 unsigned long page_limit, unsigned long freelist_count)
{
	unsigned int idx;

	/* A slab of the fallback order holds fewer objects: skip the rest. */
	do {
		idx = s->random_seq[*pos];
		if (++*pos >= freelist_count)
			*pos = 0;
	} while (unlikely(idx >= page_limit));
	return (char *)start + idx;
}

/* Thread a new slab's freelist in the cache's random order. */
static bool shuffle_freelist(struct kmem_cache *s, struct page *slab)
{
	unsigned long pos, page_limit, freelist_count;
	void *start, *cur, *next;

	if (slab->objects < 2 || !s->random_seq)
		return false;
	freelist_count = oo_objects(s->oo);
	pos = umm_random_below((unsigned int)freelist_count);
	page_limit = (unsigned long)slab->objects * s->size;
	start = fixup_red_left(s, slab_address(slab));
	cur = setup_object(s, next_freelist_entry(s, &pos, start, page_limit, freelist_count));
	slab->freelist = cur;
	for (unsigned int idx = 1; idx < slab->objects; idx++) {
		next = setup_object(s, next_freelist_entry(s, &pos, start, page_limit,
							   freelist_count));
		set_freepointer(s, cur, next);
		cur = next;
	}
	set_freepointer(s, cur, NULL);
	return true;
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
	slab_set_frozen(slab, false);
	slab->slab_cache = s;
	slab->__slab_lock = 0;
	__SetPageSlab(slab);
	slab_set_tails(slab, s);
	account_slab(s, slab, 1);

	start = slab_address(slab);
	setup_slab_debug(s, slab, start);
	if (shuffle_freelist(s, slab))
		return slab;
	p = setup_object(s, fixup_red_left(s, start));
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

	if (kmem_cache_debug_flags(s, SLAB_CONSISTENCY_CHECKS)) {
		void *p;

		slab_pad_check(s, slab);
		for_each_object(p, s, slab_address(slab), slab->objects)
			check_object(s, slab, p, SLUB_RED_INACTIVE);
	}

	account_slab(s, slab, -1);
	slab_clear_tails(slab);
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
	slab_set_frozen(slab, true);
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
	slab_set_frozen(slab, freelist != NULL);
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
	slab_set_frozen(slab, false);
	inuse = slab->inuse;
	has_free = slab->freelist != NULL;
	slab_unlock(slab);

	if (!inuse && READ_ONCE(n->nr_partial) >= READ_ONCE(s->min_partial)) {
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
		if (unlikely(!inuse && n->nr_partial >= READ_ONCE(s->min_partial))) {
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
		if (drain && oldslab->slabs >= (int)READ_ONCE(s->cpu_partial_slabs)) {
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

static void __slab_free(struct kmem_cache *s, struct page *slab, void *head, void *tail,
			int cnt, unsigned long addr, struct kmem_cache_cpu *c);

/*
 * Free the oldest sheaf objects to their slabs for real, keeping the
 * newest @keep.  Neighbours of one slab go as one detached freelist, one
 * __slab_free() (and one slab lock) for the run, as the kernel's
 * kmem_cache_free_bulk() groups them (build_detached_freelist()).
 */
__cold void slab_sheaf_flush(struct kmem_cache *s, struct kmem_cache_cpu *c, unsigned int keep,
			     unsigned long addr)
{
	unsigned int n = c->sheaf_count > keep ? c->sheaf_count - keep : 0;

	if (!n)
		return;
	umm_gate_enter();
	for (unsigned int i = 0; i < n;) {
		void *head = c->sheaf[i], *tail = head;
		struct page *slab = slab_head_page(virt_to_page(head));
		int cnt = 1;

		while (++i < n && slab_head_page(virt_to_page(c->sheaf[i])) == slab &&
		       c->sheaf[i] != head) {
			set_freepointer(s, c->sheaf[i], head);
			head = c->sheaf[i];
			cnt++;
		}
		__slab_free(s, slab, head, tail, cnt, addr, c);
		stat_add(c, SHEAF_FLUSH, (unsigned int)cnt);
	}
	/* Inside the gate: a fork() child must not free those objects again. */
	memmove(c->sheaf, c->sheaf + n, (c->sheaf_count - n) * sizeof(c->sheaf[0]));
	c->sheaf_count -= n;
	umm_gate_exit();
}

/* Give a chain of remote frees to its slab (see slab_free_remote()). */
static void slab_remote_chain_flush(struct kmem_cache *s, struct kmem_cache_cpu *c,
				    struct slab_remote_chain *rc, unsigned long addr)
{
	struct page *slab = rc->slab;
	void *head = rc->head, *tail = rc->tail;
	int cnt = (int)rc->count;

	if (!slab)
		return;
	umm_gate_enter();	/* a fork() child sees the chain or the slab have them */
	*rc = (struct slab_remote_chain){ NULL, NULL, NULL, 0 };
	c->remote_count -= (unsigned int)cnt;
	__slab_free(s, slab, head, tail, cnt, addr, c);
	umm_gate_exit();
}

static void slab_remote_flush(struct kmem_cache *s, struct kmem_cache_cpu *c, unsigned long addr)
{
	for (unsigned int i = 0; i < SLUB_REMOTE_CHAINS && c->remote_count; i++)
		slab_remote_chain_flush(s, c, &c->remote[i], addr);
}

/*
 * A free of an object of another thread's active (frozen) slab: the
 * sheaf refuses it (see slab_set_frozen()), and the kernel would push it
 * onto the slab's freelist with one cmpxchg.  umm's stand-in for that
 * cmpxchg is slab_lock(), which a producer/consumer pair would take (and
 * bounce between them) once per object.  Such frees are chained instead,
 * a detached freelist per slab for up to SLUB_REMOTE_CHAINS slabs at
 * once (a producer allocates from its cpu slab and its partial slabs in
 * turn), and a chain is pushed whole: when it holds SLUB_REMOTE_BATCH
 * objects, when a free of a fifth slab needs its place (the fullest
 * goes), or when the slot is flushed (thread exit, kmem_cache_shrink(),
 * the fork gate): one lock per chain, as kmem_cache_free_bulk() takes
 * one cmpxchg per detached freelist.
 */
#define SLUB_REMOTE_BATCH 64

static struct slab_remote_chain *remote_chain_for(struct kmem_cache *s, struct kmem_cache_cpu *c,
						  struct page *slab, unsigned long addr)
{
	struct slab_remote_chain *free = NULL, *fullest = &c->remote[0];

	for (unsigned int i = 0; i < SLUB_REMOTE_CHAINS; i++) {
		struct slab_remote_chain *rc = &c->remote[i];

		if (rc->slab == slab)
			return rc;
		if (!rc->slab && !free)
			free = rc;
		if (rc->count > fullest->count)
			fullest = rc;
	}
	if (free)
		return free;
	slab_remote_chain_flush(s, c, fullest, addr);
	return fullest;
}

static __cold void slab_free_remote(struct kmem_cache *s, struct kmem_cache_cpu *c,
				    struct page *slab, void *x, unsigned long addr)
{
	struct slab_remote_chain *rc = remote_chain_for(s, c, slab, addr);

	if (unlikely(x == rc->head)) {	/* freed twice in a row */
		freelist_double_free(s, x, __LINE__);
		return;
	}
	/*
	 * In an order fork() may cut anywhere (see slab_cpu_order()): a
	 * chain's count never exceeds its objects, its slab is set last,
	 * and remote_count is never below the chains' sum.
	 */
	set_freepointer(s, x, rc->head);
	if (!rc->slab)
		rc->tail = x;
	c->remote_count++;
	slab_cpu_order();
	rc->head = x;
	slab_cpu_order();
	rc->count++;
	if (!rc->slab) {
		slab_cpu_order();
		rc->slab = slab;
	}
	stat(c, FREE_FROZEN);
	if (rc->count >= SLUB_REMOTE_BATCH)
		slab_remote_chain_flush(s, c, rc, addr);
}

static void flush_cpu_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct page *slab, *partial;
	void *freelist;

	slab_sheaf_flush(s, c, 0, _RET_IP_);
	slab_remote_flush(s, c, _RET_IP_);
	slab = c->slab;
	partial = c->partial;
	freelist = c->freelist;

	slab_cpu_set_slab(c, NULL);
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
	lockdep_assert_held(&slub_threads_lock);

	for (unsigned int i = 0; i < MAX_SLAB_CACHES; i++) {
		struct kmem_cache *s = cache_by_index[i];
		struct kmem_cache_cpu *c = &t->cpu[i];

		if (!s || (only && s != only))
			continue;
		if (c->slab || c->partial || c->sheaf_count || c->remote_count)
			flush_cpu_slab(s, c);
	}
}

/* A slot's counters go to the cache's; slub_threads_lock held. */
static void fold_cpu_stats(struct kmem_cache *s, const struct kmem_cache_cpu *c)
{
	lockdep_assert_held(&slub_threads_lock);

	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		WRITE_ONCE(s->stat_exited[si], s->stat_exited[si] + c->stat[si]);
}

/*
 * Hand a thread's slabs back, fold its stats into the caches, and drop
 * its slots from the list; slub_threads_lock held.
 */
static void retire_thread(struct slub_thread *t)
{
	lockdep_assert_held(&slub_threads_lock);

	if (umm_booted)
		__flush_thread(t, NULL);
	for (unsigned int i = 0; i < MAX_SLAB_CACHES; i++)
		if (cache_by_index[i])
			fold_cpu_stats(cache_by_index[i], &t->cpu[i]);
	list_del(&t->list);
}

/*
 * pthread key destructor: a thread leaves nothing stranded.  It is not
 * the thread's last word: later destructors (other keys' in this or a
 * later round, C++ thread_locals) and glibc's __libc_thread_freeres()
 * (strerror()'s and dlerror()'s buffers) still allocate and free, after
 * every destructor has run.  A slot made for them would never be retired
 * (re-arming the key only helps within the destructor rounds), so the
 * thread is marked gone and gets no new slot: what it still does takes
 * the slow path one object at a time, as a CPU going offline hands its
 * slabs back and takes no new ones (the kernel's slub_cpu_dead()).
 */
static void flush_thread_slabs(void *arg)
{
	struct slub_thread *t = arg;

	if (!t)
		return;
	slub_thread_gone = true;
	umm_gate_enter();
	mutex_lock(&slub_threads_lock);
	retire_thread(t);
	current_slub = &no_slub_thread;
	mutex_unlock(&slub_threads_lock);
	umm_gate_exit();
	host_free(t, sizeof(*t));
}

/*
 * After fork(), in the child (inside the gate): the other threads' slots
 * belong to threads that do not exist here.  Hand their slabs back and
 * drop their slots.
 */
void slub_fork_child(void)
{
	struct slub_thread *t, *next;

	track_tid_fork_child();	/* the frees below are the child's */
	/*
	 * A fork() from a key destructor that ran after ours: the child's
	 * one thread is the whole process, and takes a slot again (the
	 * destructor rounds, or the process's exit, end it).
	 */
	slub_thread_gone = false;
	mutex_lock(&slub_threads_lock);
	list_for_each_entry_safe(t, next, &slub_threads, list) {
		if (t == current_slub)
			continue;
		retire_thread(t);
		host_free(t, sizeof(*t));
	}
	mutex_unlock(&slub_threads_lock);
}

/* Flush @s from every thread (destroy: nobody may be using @s). */
static void flush_all_threads(struct kmem_cache *s)
{
	struct slub_thread *t;

	umm_gate_enter();
	mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list)
		__flush_thread(t, s);
	mutex_unlock(&slub_threads_lock);
	umm_gate_exit();
}

/*
 * A thread with no slot (slub_thread_init() gave none): one object at a
 * time through a slot on the stack, handed back before returning.
 */
static void put_stack_slot(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	umm_gate_enter();
	flush_cpu_slab(s, c);
	mutex_lock(&slub_threads_lock);
	fold_cpu_stats(s, c);
	mutex_unlock(&slub_threads_lock);
	umm_gate_exit();
}

__cold void *slab_alloc_nocpu(struct kmem_cache *s, gfp_t gfpflags, int node,
			      unsigned long addr, unsigned int orig_size)
{
	struct kmem_cache_cpu c;
	void *object;

	if (slab_classic) {
		object = slab_cache_alloc(s, gfpflags, node, addr);
		if (object && (gfpflags & __GFP_ZERO))
			slab_zero_object(s, object, orig_size);
		return object;
	}
	memset(&c, 0, sizeof(c));
	object = slab_alloc_slowpath(s, gfpflags, node, addr, orig_size, &c);
	put_stack_slot(s, &c);
	if (object && (gfpflags & __GFP_ZERO))
		slab_zero_object(s, object, orig_size);
	return object;
}

__cold void slab_free_nocpu(struct kmem_cache *s, struct page *slab, void *head, void *tail,
			    int cnt, unsigned long addr)
{
	struct kmem_cache_cpu c;

	if (slab_classic) {
		slab_cache_free(s, slab, head, addr);
		return;
	}
	memset(&c, 0, sizeof(c));
	slab_free_slowpath(s, slab, head, tail, cnt, addr, &c);
	put_stack_slot(s, &c);
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
		    partial_slabs > READ_ONCE(s->cpu_partial_slabs) / 2)
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

/* ---- debugging caches: one object at a time under n->list_lock ---- */

/* Take one object off a node partial slab (n->list_lock held). */
static void *alloc_single_from_partial(struct kmem_cache *s, struct kmem_cache_node *n,
				       struct page *slab, unsigned int orig_size)
{
	void *object = slab->freelist;

	lockdep_assert_held(&n->list_lock);
	if (unlikely(!object)) {
		/* Emptied by a repair (validation): it is full. */
		remove_partial(n, slab);
		add_full(s, n, slab);
		return NULL;
	}
	slab->freelist = get_freepointer(s, object);
	slab->inuse++;
	if (!alloc_debug_processing(s, slab, object, orig_size)) {
		remove_partial(n, slab);
		add_full(s, n, slab);
		return NULL;
	}
	if (slab->inuse == slab->objects) {
		remove_partial(n, slab);
		add_full(s, n, slab);
	}
	return object;
}

/* The first object of a new slab; the slab joins the node's lists. */
static void *alloc_single_from_new_slab(struct kmem_cache *s, struct page *slab,
					unsigned int orig_size)
{
	int nid = slab_nid(slab);
	struct kmem_cache_node *n = get_node(s, nid);
	void *object = slab->freelist;
	bool ok;

	slab->freelist = get_freepointer(s, object);
	slab->inuse = 1;
	ok = alloc_debug_processing(s, slab, object, orig_size);
	spin_lock(&n->list_lock);
	if (slab->inuse == slab->objects)
		add_full(s, n, slab);
	else
		add_partial(n, slab, DEACTIVATE_TO_HEAD_);
	inc_slabs_node(s, nid, slab->objects);
	spin_unlock(&n->list_lock);
	return ok ? object : NULL;
}

static void *get_partial_node_debug(struct kmem_cache *s, struct kmem_cache_node *n,
				    unsigned int orig_size, struct kmem_cache_cpu *c)
{
	struct page *slab, *slab2;
	void *object = NULL;

	if (!n || !READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		object = alloc_single_from_partial(s, n, slab, orig_size);
		if (object) {
			stat(c, ALLOC_FROM_PARTIAL);
			break;
		}
	}
	spin_unlock(&n->list_lock);
	return object;
}

/*
 * The kernel's ___slab_alloc() for kmem_cache_debug() caches: no cpu
 * slab, every object checked and initialised under the node's lock.
 */
static __cold void *alloc_debug_slab(struct kmem_cache *s, gfp_t gfpflags, int node,
				     unsigned long addr, unsigned int orig_size,
				     struct kmem_cache_cpu *c)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	struct page *slab;
	void *object;

	for (;;) {
		object = get_partial_node_debug(s, get_node(s, searchnode), orig_size, c);
		for (int nid = 0; !object && node == NUMA_NO_NODE && nid < nr_online_nodes; nid++)
			if (nid != searchnode)
				object = get_partial_node_debug(s, get_node(s, nid), orig_size, c);
		if (object)
			break;
		slab = new_slab(s, gfpflags, node, c);
		if (unlikely(!slab)) {
			slab_out_of_memory(s, gfpflags, node);
			return NULL;
		}
		stat(c, ALLOC_SLAB);
		object = alloc_single_from_new_slab(s, slab, orig_size);
		if (object)
			break;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, addr);
	return object;
}

/*
 * The slow path: the cpu freelist is empty.  Refill from the cpu slab's
 * remote frees, then the cpu partial list, then the node partial lists,
 * then a new slab from the page allocator.  Debugging caches take
 * alloc_debug_slab() instead.
 */
static __cold void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node,
				  unsigned long addr, unsigned int orig_size,
				  struct kmem_cache_cpu *c)
{
	struct page *slab;
	void *freelist;

	stat(c, ALLOC_SLOWPATH);
	if (kmem_cache_debug(s))
		return alloc_debug_slab(s, gfpflags, node, addr, orig_size, c);
	slab = c->slab;
	if (!slab)
		goto new_slab;
	if (unlikely(!node_match(slab, node))) {
		stat(c, ALLOC_NODE_MISMATCH);
		freelist = c->freelist;
		slab_cpu_set_slab(c, NULL);
		c->freelist = NULL;
		deactivate_slab(s, slab, freelist, c);
		goto new_slab;
	}
	freelist = c->freelist;
	if (freelist)
		goto load_freelist;
	freelist = get_freelist(slab);
	if (!freelist) {
		slab_cpu_set_slab(c, NULL);		/* full: it lives on no list */
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
			slab_cpu_set_slab(c, slab);
			stat(c, CPU_PARTIAL_ALLOC);
			goto load_freelist;
		}
	}
	slab = get_partial(s, node, c);
	if (slab) {
		freelist = freeze_slab(slab);
		if (freelist) {
			slab_cpu_set_slab(c, slab);
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
	slab_set_frozen(slab, true);
	slab_cpu_set_slab(c, slab);
	goto load_freelist;
}

/* __GFP_ZERO clears the object; a kmalloc red zone stays red zone. */
static inline size_t zero_size(const struct kmem_cache *s, unsigned int orig_size)
{
	if (kmem_cache_debug_flags(s, SLAB_STORE_USER | SLAB_RED_ZONE) &&
	    (s->flags & SLAB_KMALLOC))
		return orig_size;
	return s->object_size;
}

/* The slow path's way in from the inlined fast path (mm/slab.h). */
__cold void *slab_alloc_slowpath(struct kmem_cache *s, gfp_t gfpflags, int node,
				 unsigned long addr, unsigned int orig_size,
				 struct kmem_cache_cpu *c)
{
	void *object;

	if (slab_classic)	/* umm.slab=slab: mm/slab.c */
		return slab_cache_alloc(s, gfpflags, node, addr);
	if (unlikely(slab_cpu_stand_in(c))) {
		/* The thread's first allocation, or failslab on: its own slot. */
		c = this_cpu_slab(s);
		if (!c)		/* an exiting thread's last allocations */
			return slab_alloc_nocpu(s, gfpflags, node, addr, orig_size);
		/* A hardened cache's pops, which its slot 0 sends here. */
		if (s->random && node == NUMA_NO_NODE && !READ_ONCE(failslab_attr.probability)) {
			if (c->sheaf_count)
				return slab_sheaf_pop(c);
			if (c->freelist) {
				object = c->freelist;
				c->freelist = get_freepointer(s, object);
				slab_cpu_order();
				return object;
			}
		}
	}
	umm_gate_enter();
	object = ___slab_alloc(s, gfpflags, node, addr, orig_size ? orig_size : s->object_size,
			       c);
	umm_gate_exit();
	return object;
}

void slab_zero_object(struct kmem_cache *s, void *object, unsigned int orig_size)
{
	if (slab_classic) {
		memset(object, 0, s->object_size);
		return;
	}
	memset(object, 0, zero_size(s, orig_size ? orig_size : s->object_size));
}

#define slab_alloc_node slab_alloc_fast

static inline int valid_node(int node)
{
	if (node != NUMA_NO_NODE && (node < 0 || node >= nr_online_nodes))
		return NUMA_NO_NODE;
	return node;
}

/* kmalloc's way in: the requested size for the kmalloc red zone. */
void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
			      size_t orig_size, unsigned long caller)
{
	return slab_alloc_node(s, gfpflags, valid_node(node), caller, (unsigned int)orig_size);
}

/* Everything but a pop: refills, failslab, __GFP_ZERO, the first call. */
static __cold __attribute__((noinline)) void *kmem_cache_alloc_slow(struct kmem_cache *s,
								    gfp_t gfpflags,
								    unsigned long caller)
{
	return slab_alloc_node(s, gfpflags, NUMA_NO_NODE, caller, 0);
}

/* __GFP_ZERO on an object the fast path popped. */
static __cold __attribute__((noinline)) void *slab_zeroed(struct kmem_cache *s, void *object)
{
	slab_zero_object(s, object, 0);
	return object;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfpflags)
{
	void *object = slab_alloc_pop(s);

	if (likely(object)) {
		if (unlikely(gfpflags & __GFP_ZERO))
			return slab_zeroed(s, object);
		return object;
	}
	return kmem_cache_alloc_slow(s, gfpflags, _RET_IP_);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node)
{
	return slab_alloc_node(s, gfpflags, valid_node(node), 0, 0);
}

/* ---- freeing ---- */

/*
 * CONFIG_SLAB_FREELIST_HARDENED's BUG_ON(object == fp): the object being
 * freed is already the freelist's head.  The kernel stops there; umm
 * reports it and leaves the freelist as it was.
 */
__cold void freelist_double_free(struct kmem_cache *s, void *object, int line)
{
	pr_err("kernel BUG at mm/slub.c:%d!\n", line);
	pr_err("%s: double free or corruption of object 0x%016lx: not freed\n", s->name,
	       (unsigned long)object);
}

bool slab_object_start(const struct kmem_cache *s, const struct page *slab, const void *x)
{
	if (slab_classic)
		return slab_classic_object_start(s, slab, x);
	return x && check_valid_pointer(s, slab, x);
}

/* Is @object on the freelist from @fp of @slab?  Stops at a bad pointer or a loop. */
static bool freelist_contains(struct kmem_cache *s, struct page *slab, void *fp, void *object)
{
	for (unsigned int n = 0; fp && n < slab->objects && check_valid_pointer(s, slab, fp); n++) {
		if (fp == object)
			return true;
		fp = get_freepointer(s, fp);
	}
	return false;
}

/*
 * Is @object free as far as this thread can see: in its sheaf, on its
 * cpu freelist, or on @slab's own freelist (under the lock that guards
 * it: the slab's, or the node's for a debugging cache)?  malloc's free()
 * asks when an object it is given holds the free key (malloc/malloc.c).
 * Another thread's sheaf and cpu freelist are that thread's alone: an
 * object it freed that still sits there is not found.
 */
__cold bool slab_object_is_free(struct kmem_cache *s, struct page *slab, void *object)
{
	struct kmem_cache_cpu *c;
	bool found;

	if (slab_classic)
		return slab_classic_object_is_free(s, slab, object);
	c = this_cpu_slab(s);
	if (c) {
		for (unsigned int i = 0; i < c->sheaf_count; i++)
			if (c->sheaf[i] == object)
				return true;
		if (slab == c->slab && freelist_contains(s, slab, c->freelist, object))
			return true;
		for (unsigned int i = 0; i < SLUB_REMOTE_CHAINS; i++)
			if (slab == c->remote[i].slab &&
			    freelist_contains(s, slab, c->remote[i].head, object))
				return true;
	}
	umm_gate_enter();
	if (kmem_cache_debug(s)) {
		struct kmem_cache_node *n = get_node(s, slab_nid(slab));

		spin_lock(&n->list_lock);
		found = freelist_contains(s, slab, slab->freelist, object);
		spin_unlock(&n->list_lock);
	} else {
		slab_lock(slab);
		found = freelist_contains(s, slab, slab->freelist, object);
		slab_unlock(slab);
	}
	umm_gate_exit();
	return found;
}

/*
 * A debugging cache's free: checks, poison and track under n->list_lock,
 * then the slab moves between the full and partial lists or goes back
 * to the page allocator (the kernel's free_to_partial_list()).
 */
static __cold void free_to_partial_list(struct kmem_cache *s, struct page *slab,
					void *object, unsigned long addr,
					struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct page *slab_free = NULL;

	spin_lock(&n->list_lock);
	if (free_debug_processing(s, slab, object, addr)) {
		void *prior = slab->freelist;

		slab->inuse--;
		set_freepointer(s, object, prior);
		slab->freelist = object;
		/* Empty and the node has enough partial slabs: give it back. */
		if (!slab->inuse && n->nr_partial >= READ_ONCE(s->min_partial))
			slab_free = slab;
		if (!prior) {
			remove_full(s, slab);
			if (!slab_free) {
				add_partial(n, slab, DEACTIVATE_TO_TAIL_);
				stat(c, FREE_ADD_PARTIAL);
			}
		} else if (slab_free) {
			remove_partial(n, slab);
			stat(c, FREE_REMOVE_PARTIAL);
		}
	}
	/* Counted under the lock, so that validation sees no mismatch. */
	if (slab_free)
		dec_slabs_node(s, slab_nid(slab_free), slab_free->objects);
	spin_unlock(&n->list_lock);
	if (slab_free) {
		stat(c, FREE_SLAB);
		__free_slab(s, slab_free);
	}
}

/*
 * Free to a slab that is not our cpu slab: push onto its own freelist
 * under its lock, then fix up the lists as the kernel does.
 */
static __cold void __slab_free(struct kmem_cache *s, struct page *slab, void *head,
			       void *tail, int cnt, unsigned long addr,
			       struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n = NULL;
	bool was_frozen, on_node_partial = false, needs_list;
	unsigned int inuse;
	void *prior;

	if (kmem_cache_debug(s)) {
		free_to_partial_list(s, slab, head, addr, c);
		return;
	}
	for (;;) {
		slab_lock(slab);
		prior = slab->freelist;
		if (unlikely(s->random) && unlikely(prior == head)) {
			slab_unlock(slab);
			if (n)
				spin_unlock(&n->list_lock);
			freelist_double_free(s, head, __LINE__);
			return;
		}
		was_frozen = slab->frozen;
		inuse = slab->inuse - (unsigned int)cnt;
		needs_list = (!inuse || !prior) && !was_frozen &&
			     (!kmem_cache_has_cpu_partial(s) || prior);
		if (needs_list && !n) {
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
	/*
	 * The slab changed while we waited for list_lock (another cpu froze
	 * it and took every object): the kernel retries without the lock,
	 * and so must we, or a full slab our free made partial would be
	 * left on no list at all.
	 */
	if (n && !needs_list) {
		spin_unlock(&n->list_lock);
		n = NULL;
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
	if (unlikely(!inuse && n->nr_partial >= READ_ONCE(s->min_partial)))
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

__cold void slab_free_slowpath(struct kmem_cache *s, struct page *slab, void *head,
				void *tail, int cnt, unsigned long addr,
				struct kmem_cache_cpu *c)
{
	if (slab_classic) {	/* one object at a time: kmem_cache_free(), kfree() */
		slab_cache_free(s, slab, head, addr);
		return;
	}
	stat(c, FREE_SLOWPATH);
	umm_gate_enter();
	__slab_free(s, slab, head, tail, cnt, addr, c);
	umm_gate_exit();
}

/*
 * The free fast path's miss (mm/slab.h): an object of a slab other than
 * this thread's cpu slab goes into the sheaf (debugging caches have
 * none), else onto its slab's freelist.  A thread still on
 * no_slub_thread gets its own slots first; with failslab on the fast
 * path saw slot 0, and the object may be of the own slot's cpu slab.
 */
__cold void slab_free_other(struct kmem_cache *s, struct page *page, void *head, void *tail,
			    int cnt, unsigned long addr)
{
	struct kmem_cache_cpu *c = this_cpu_slab_fast(s);
	struct page *slab = slab_head_page(page);

	if (unlikely(slab_cpu_stand_in(c))) {
		if (slab_classic) {
			slab_cache_free(s, slab, head, addr);
			return;
		}
		c = this_cpu_slab(s);
		if (!c) {	/* an exiting thread's last frees */
			slab_free_nocpu(s, slab, head, tail, cnt, addr);
			return;
		}
		if (slab == c->slab) {
			slab_free_to_cpu(s, c, head, tail);
			return;
		}
	}
	if (likely(cnt == 1 && READ_ONCE(s->cpu_partial_slabs) && !slab_frozen_hint(slab))) {
		if (unlikely(c->sheaf_count == SLUB_SHEAF_CAPACITY))
			slab_sheaf_flush(s, c, SLUB_SHEAF_CAPACITY / 2, addr);
		slab_sheaf_push(c, head);
		stat_fast(c, FREE_FASTPATH);
		return;
	}
	if (likely(cnt == 1 && READ_ONCE(s->cpu_partial_slabs))) {
		slab_free_remote(s, c, slab, head, addr);
		return;
	}
	slab_free_slowpath(s, slab, head, tail, cnt, addr, c);
}

#define do_slab_free slab_free_fast

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

/* kfree() found the slab already: free straight into it. */
void __slab_free_object(struct kmem_cache *s, struct page *slab, void *x,
			unsigned long caller)
{
	do_slab_free(s, slab, x, x, 1, caller);
}

void __kmem_cache_free(struct kmem_cache *s, void *x, unsigned long caller)
{
	struct page *slab = object_slab(x, "kmem_cache_free");

	if (likely(slab))
		do_slab_free(s, slab, x, x, 1, caller);
}

/* Any object but one in the head page of a slab of @s; NULL too. */
static __cold __attribute__((noinline)) void kmem_cache_free_slow(struct kmem_cache *s, void *x,
								  unsigned long caller)
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
	do_slab_free(s, slab, x, x, 1, caller);
}

void kmem_cache_free(struct kmem_cache *s, void *x)
{
	/* NULL lies below PAGE_OFFSET: the slow path, with no test of its own. */
	unsigned long pfn = ((unsigned long)x - PAGE_OFFSET) >> PAGE_SHIFT;

	if (likely(pfn < READ_ONCE(max_pfn))) {
		struct page *page = pfn_to_page(pfn);

		if (likely(page_is_slab_fast(page) && page->slab_cache == s)) {
			slab_free_fast(s, page, x, x, 1, 0);
			return;
		}
	}
	kmem_cache_free_slow(s, x, _RET_IP_);
}

int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++) {
		p[i] = slab_alloc_node(s, flags, NUMA_NO_NODE, 0, 0);
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

/* The object slot's layout: see the head comment. */
static int calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN(s->object_size, sizeof(void *));
	int order;

	/* Poison the object itself only if nobody may touch it while free. */
	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	/* A right red zone needs at least a word past the object. */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) &&
	     (s->object_size < sizeof(void *) || slub_debug_orig_size(s)))) {
		/* The object must stay intact while free: pointer after it. */
		s->offset = size;
		size += sizeof(void *);
	} else {
		/* Mid-object, so that small overflows miss the pointer. */
		s->offset = ALIGN_DOWN(s->object_size / 2, sizeof(void *));
	}
	if (flags & SLAB_STORE_USER) {
		/* The alloc and free tracks, and kmalloc's requested size. */
		size += 2 * sizeof(struct track);
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		/*
		 * A word of padding catches writes before the next object's
		 * start; the left red zone, writes before this one.
		 */
		size += sizeof(void *);
		s->red_left_pad = ALIGN((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
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

	if (kmem_cache_debug(s)) {
		/* Every operation is checked under the node's list_lock. */
		s->cpu_partial = 0;
		s->cpu_partial_slabs = 0;
		return;
	}
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
	init_object(kmem_cache_node, n, SLUB_RED_ACTIVE);
	slab->freelist = get_freepointer(kmem_cache_node, n);
	slab->inuse = 1;
	kmem_cache_node->node[node] = n;
	init_kmem_cache_node(n);
	inc_slabs_node(kmem_cache_node, node, slab->objects);
	__add_partial(n, slab, DEACTIVATE_TO_HEAD_);	/* n is not published yet */
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

/*
 * failslab's static branch (the kernel's should_failslab_active, a
 * static key): while a probability is set every cache's cpu_offset is 0,
 * the slot no cache has, so that the inlined fast paths miss without a
 * test of their own and the slow path asks should_failslab().  The
 * kernel patches the branch in; umm rewrites the offsets, which the fast
 * paths load anyway.  A thread in the middle of a fast path when they
 * change finishes it, as a CPU inside the kernel's does.
 */
static unsigned int cache_cpu_offset(const struct kmem_cache *s)
{
	/* A hardened cache always: the inlined paths do not decode pointers. */
	if (READ_ONCE(failslab_attr.probability) || s->random)
		return 0;
	return (unsigned int)(s->cpu_index * sizeof(struct kmem_cache_cpu));
}

/* failslab's probability changed (mm/slab_common.c): every cache's offset. */
void slab_failslab_update(void)
{
	struct kmem_cache *s;

	if (slab_classic)	/* mm/slab.c's caches are always on slot 0 */
		return;
	umm_gate_enter();
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		WRITE_ONCE(s->cpu_offset, cache_cpu_offset(s));
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
}

/*
 * Slot 0 is no cache's: it stays empty in every thread, for the caches
 * whose fast paths must always miss (mm/slab.c's, whose cpu_offset is 0,
 * malloc's before it is ready, every cache while failslab is on).
 */
static int alloc_cache_index(struct kmem_cache *s)
{
	for (unsigned int i = 1; i < MAX_SLAB_CACHES; i++) {
		if (cache_index_used[i / 64] & (1UL << (i % 64)))
			continue;
		cache_index_used[i / 64] |= 1UL << (i % 64);
		s->cpu_index = i;
		s->cpu_offset = cache_cpu_offset(s);
		WRITE_ONCE(cache_by_index[i], s);
		return 0;
	}
	pr_err("umm: slub: more than %d caches\n", MAX_SLAB_CACHES - 1);
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

	if (slab_classic)
		return slab_kmem_cache_create(s, flags);
	s->flags = kmem_cache_flags(flags, s->name);
	if (slab_freelist_hardened) {
		do
			s->random = (unsigned long)umm_random();
		while (!s->random);
	}
	if (!calculate_sizes(s))
		return -EINVAL;
	if (disable_higher_order_debug && get_order(s->size) > get_order(s->object_size)) {
		/* slub_debug=O: no metadata where it would raise the order. */
		s->flags &= ~DEBUG_METADATA_FLAGS;
		s->offset = 0;
		if (!calculate_sizes(s))
			return -EINVAL;
	}
	s->min_partial = clamp((unsigned long)(31 - __builtin_clz(s->size)) / 2,
			       (unsigned long)MIN_PARTIAL, (unsigned long)MAX_PARTIAL);
	set_cpu_partial(s);
	err = alloc_cache_index(s);
	if (err)
		return err;
	err = init_kmem_cache_nodes(s);
	if (err) {
		free_cache_index(s);
		return err;
	}
	/* Boot caches get theirs from init_freelist_randomization(). */
	if (slab_state >= UP && init_cache_random_seq(s)) {
		free_kmem_cache_nodes(s);
		free_cache_index(s);
		return -ENOMEM;
	}
	return 0;
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
			dec_slabs_node(s, slab_nid(slab), slab->objects);
			list_add(&slab->slab_list, &discard);
		} else {
			list_slab_objects(s, slab);
		}
	}
	/* Debugging caches know their full slabs too. */
	list_for_each_entry(slab, &n->full, slab_list)
		list_slab_objects(s, slab);
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &discard, slab_list)
		__free_slab(s, slab);
}

int __kmem_cache_shutdown(struct kmem_cache *s)
{
	if (slab_classic)
		return slab_kmem_cache_shutdown(s);
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
	if (slab_classic) {
		slab_kmem_cache_release(s);
		return;
	}
	cache_random_seq_destroy(s);
	free_kmem_cache_nodes(s);
	free_cache_index(s);
}

int __kmem_cache_shrink(struct kmem_cache *s)
{
	struct kmem_cache_cpu *c;
	int ret = 0;

	if (slab_classic)
		return slab_kmem_cache_shrink(s);
	c = this_cpu_slab(s);
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
				dec_slabs_node(s, slab_nid(slab), slab->objects);
				list_add(&slab->slab_list, &discard);
			}
		}
		spin_unlock(&n->list_lock);
		list_for_each_entry_safe(slab, t, &discard, slab_list)
			__free_slab(s, slab);
		if (READ_ONCE(n->nr_slabs))
			ret = 1;
	}
	return ret;
}

/*
 * One node's part of the worker's reap: free a fifth (rounded up) of the
 * empty slabs on its partial list.  Returns the empty slabs left.
 */
static unsigned long reap_node_partial(struct kmem_cache *s, struct kmem_cache_node *n,
				       unsigned long *freed)
{
	unsigned long empty = 0, tofree;
	struct page *slab, *t;
	LIST_HEAD(discard);

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		slab_lock(slab);
		empty += !slab->inuse;
		slab_unlock(slab);
	}
	tofree = (empty + 4) / 5;
	list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
		unsigned int inuse;

		if (!tofree)
			break;
		slab_lock(slab);
		inuse = slab->inuse;
		slab_unlock(slab);
		if (inuse)
			continue;
		remove_partial(n, slab);
		dec_slabs_node(s, slab_nid(slab), slab->objects);
		list_add(&slab->slab_list, &discard);
		tofree--;
		empty--;
		(*freed)++;
	}
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, t, &discard, slab_list)
		__free_slab(s, slab);
	return empty;
}

/*
 * The periodic worker's slab pass (mm/vmstat.c).  SLUB has no reaper:
 * the empty slabs a node keeps (up to min_partial) stay until
 * kmem_cache_shrink().  Here they decay as SLAB's cache_reap() makes its
 * free slabs decay (drain_freelist() of about a fifth each run): a fifth,
 * rounded up, of each node's empty slabs goes back to the page allocator
 * per interval.  The other threads' cpu slabs, cpu partials and sheaves
 * are theirs alone (their fast paths take no lock): they stay until the
 * thread's next kmem_cache_shrink() or its exit.  slab_mutex is
 * try-locked, as cache_reap() does; busy, the pass is skipped.  Under
 * umm.slab=slab, mm/slab.c's cache_reap() runs for every CPU.  Returns
 * the empty slabs left (1 when skipped), so that the worker comes back,
 * and adds the slabs freed to *@freed.
 */
unsigned long kmem_cache_reap(unsigned long *freed)
{
	struct kmem_cache *s;
	unsigned long left = 0;

	if (slab_classic)
		return slab_classic_reap_all(freed);
	if (!mutex_trylock(&slab_mutex))
		return 1;
	list_for_each_entry(s, &slab_caches, list)
		for (int node = 0; node < nr_online_nodes; node++)
			left += reap_node_partial(s, get_node(s, node), freed);
	mutex_unlock(&slab_mutex);
	return left;
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
	memcpy(s, static_cache, kmem_cache_struct_size());
	/* Slabs made while static point at the static copy: repoint them. */
	c = this_cpu_slab(s);
	flush_cpu_slab(s, c);
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *p;

		list_for_each_entry(p, &n->partial, slab_list)
			slab_set_cache(p, s);
		list_for_each_entry(p, &n->full, slab_list)
			slab_set_cache(p, s);
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
			      SLUB_NODE_SIZE, SLAB_HWCACHE_ALIGN))
		goto fail;
	slab_state = PARTIAL;
	if (create_boot_cache(kmem_cache, "kmem_cache", kmem_cache_struct_size(),
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

	mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list)
		memset(t->cpu, 0, sizeof(t->cpu));
	mutex_unlock(&slub_threads_lock);
	host_zero_static(cache_by_index, sizeof(cache_by_index));
	memset(cache_index_used, 0, sizeof(cache_index_used));
	kmem_cache_node = NULL;
	slub_min_order = 0;
	slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
	slub_min_objects = 0;
	slub_debug = 0;
	slub_debug_string[0] = '\0';
	disable_higher_order_debug = false;
	slab_freelist_hardened = false;
	slab_freelist_random = false;
	malloc_free_check = MALLOC_CHECK_DEFAULT;
	__atomic_store_n(&slab_tainted, 0, __ATOMIC_RELAXED);
}

/* ---- slub_debug= ---- */

/*
 * One block of slub_debug's value, up to ';' or the end: debug flags,
 * then optionally ",cache[,cache...]" (a trailing '*' in a name matches a
 * prefix); a block that starts with ',' means the default flags FZPU.
 * Returns where the block ends, or NULL if it is malformed (an unknown
 * flag, an empty cache name): umm refuses it where the kernel skips it.
 */
static const char *parse_slub_debug_flags(const char *str, slab_flags_t *flags,
					  const char **slabs, bool *higher_order_disable)
{
	*slabs = NULL;
	if (*str == ',') {
		*flags = DEBUG_DEFAULT_FLAGS;
		goto check_slabs;
	}
	*flags = 0;
	for (; *str && *str != ',' && *str != ';'; str++) {
		switch (tolower((unsigned char)*str)) {
		case '-':
			*flags = 0;
			break;
		case 'f':
			*flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			*flags |= SLAB_RED_ZONE;
			break;
		case 'p':
			*flags |= SLAB_POISON;
			break;
		case 'u':
			*flags |= SLAB_STORE_USER;
			break;
		case 't':
			*flags |= SLAB_TRACE;
			break;
		case 'a':
			*flags |= SLAB_FAILSLAB;
			break;
		case 'o':
			/* Not where a cache's minimum order would grow. */
			*higher_order_disable = true;
			break;
		default:
			return NULL;
		}
	}
check_slabs:
	if (*str != ',')
		return str;
	*slabs = ++str;
	for (;;) {
		const char *end = str + strcspn(str, ",;");

		if (end == str)
			return NULL;
		str = end;
		if (*str != ',')
			return str;
		str++;
	}
}

/* slub_debug / slab_debug on the command line (the kernel's setup_slub_debug()). */
static int setup_slub_debug(const char *str)
{
	slab_flags_t global_flags = DEBUG_DEFAULT_FLAGS, flags;
	bool global_changed = false, lists = false, blocks = false, higher = false;
	const char *p, *slabs;

	if (!str || !*str)
		goto out;	/* no options: full debugging of every cache */
	if (strlen(str) >= sizeof(slub_debug_string))
		return -EINVAL;
	for (p = str; *p;) {
		while (*p == ';')
			p++;
		if (!*p)
			break;
		p = parse_slub_debug_flags(p, &flags, &slabs, &higher);
		if (!p)
			return -EINVAL;
		blocks = true;
		if (slabs) {
			lists = true;
		} else {
			global_flags = flags;
			global_changed = true;
		}
	}
	if (!blocks)
		global_flags = 0;
	/* Only cache lists: the other caches keep what they had. */
	if (lists && !global_changed)
		global_flags = slub_debug;
	strcpy(slub_debug_string, lists ? str : "");
	if (higher)
		disable_higher_order_debug = true;
out:
	slub_debug = global_flags;
	if (!str || !*str)
		slub_debug_string[0] = '\0';
	return 0;
}

/*
 * The flags a new cache gets: those of the first slub_debug block that
 * names it, else the global ones (kmem_cache_flags() in the kernel).
 */
slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	slab_flags_t slub_debug_local = slub_debug, block_flags;
	const char *p = slub_debug_string, *iter;
	bool higher;
	size_t len;

	if (slab_classic)	/* SLAB: the flags as given (slub_debug= is SLUB's) */
		return flags;

	if (flags & SLAB_NO_USER_FLAGS)
		return flags;
	/* Debugging caches (kmemleak's) store no tracks unless named. */
	if (flags & SLAB_NOLEAKTRACE)
		slub_debug_local &= ~SLAB_STORE_USER;
	if (!name)
		return flags | slub_debug_local;
	len = strlen(name);
	while (*p) {
		while (*p == ';')
			p++;
		if (!*p)
			break;
		p = parse_slub_debug_flags(p, &block_flags, &iter, &higher);
		if (!p)
			break;
		if (!iter)
			continue;
		for (;;) {
			const char *end = iter + strcspn(iter, ",;");
			const char *glob = memchr(iter, '*', (size_t)(end - iter));
			size_t cmplen = glob ? (size_t)(glob - iter) : max(len, (size_t)(end - iter));

			if (!strncmp(name, iter, cmplen))
				return flags | block_flags;
			if (*end != ',')
				break;
			iter = end + 1;
		}
	}
	return flags | slub_debug_local;
}

/* umm.malloc_free_check=0|double|pointer|1: none, one of them, both. */
static int parse_malloc_free_check(const char *val)
{
	bool all;

	if (val && !strcmp(val, "double"))
		malloc_free_check = MALLOC_CHECK_DOUBLE;
	else if (val && !strcmp(val, "pointer"))
		malloc_free_check = MALLOC_CHECK_POINTER;
	else if (!slab_parse_bool(val, &all))
		malloc_free_check = all ? MALLOC_CHECK_DOUBLE | MALLOC_CHECK_POINTER : 0;
	else
		return -EINVAL;
	return 0;
}

int slub_param(const char *name, const char *val)
{
	char *end;
	unsigned long v;

	if (!strcmp(name, "slub_debug") || !strcmp(name, "slab_debug"))
		return setup_slub_debug(val);
	if (!strcmp(name, "umm.slab_freelist_hardened"))
		return slab_parse_bool(val, &slab_freelist_hardened);
	if (!strcmp(name, "umm.slab_freelist_random"))
		return slab_parse_bool(val, &slab_freelist_random);
	if (!strcmp(name, "umm.malloc_free_check"))
		return parse_malloc_free_check(val);
	if (!val || !*val || *val == '-' || *val == '+')
		return -EINVAL;
	v = strtoul(val, &end, 0);
	if (*end)
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

/*
 * The objects @n counts (*@total) and how many of them are free on its
 * partial list, as one snapshot: total_objects is read under list_lock,
 * where every slab on the list is counted in it (a new slab is counted
 * before it is listed, a freed one unlisted before it is uncounted), so
 * the free count never exceeds the total.  Read apart, a slab allocated
 * between the two reads made /proc/slabinfo's active_objs and
 * /sys/kernel/slab/<cache>/objects wrap below zero.
 */
static unsigned long count_partial_free(struct kmem_cache_node *n, unsigned long *total)
{
	unsigned long x = 0;
	struct page *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		slab_lock(slab);
		x += slab->objects - slab->inuse;
		slab_unlock(slab);
	}
	*total = (unsigned long)READ_ONCE(n->total_objects);
	spin_unlock(&n->list_lock);
	return x;
}

/* Objects of @n in use: counted, less those free on its partial list. */
static unsigned long node_objects_in_use(struct kmem_cache_node *n)
{
	unsigned long total, free = count_partial_free(n, &total);

	return total - free;
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;

	if (slab_classic) {
		slab_get_slabinfo(s, sinfo);
		return;
	}

	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		unsigned long objs, free = count_partial_free(n, &objs);

		nr_slabs += (unsigned long)READ_ONCE(n->nr_slabs);
		nr_objs += objs;
		nr_free += free;
	}
	memset(sinfo, 0, sizeof(*sinfo));
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/*
 * umm_slab_describe() for SLUB; slab_mutex held.  The calling thread's
 * cpu slab only: other threads' are theirs.
 */
void slub_describe(struct seq_file *m, struct kmem_cache *s)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	unsigned int order = oo_order(s->oo), objects = oo_objects(s->oo), nfree = 0;
	unsigned int npartial = 0;

	seq_printf(m, "allocator: SLUB (mm/slub.c)\n");
	seq_printf(m, "object size: %u, slot: %u bytes (align %u, free pointer at %u)\n",
		   s->object_size, s->size, s->align, s->offset);
	seq_printf(m, "slab: %lu page(s) (order %u), %u objects (fallback order %u, %u)\n",
		   1UL << order, order, objects, oo_order(s->min), oo_objects(s->min));
	seq_printf(m, "freelist: in the free objects themselves\n");
	seq_printf(m, "wasted per slab: %lu bytes\n",
		   (PAGE_SIZE << order) - (unsigned long)objects * s->size);
	seq_printf(m, "tunables: min_partial %lu cpu_partial %u\n", s->min_partial,
		   s->cpu_partial);
	if (c) {
		for (void *p = c->freelist; p && nfree <= objects; p = get_freepointer(s, p))
			nfree++;
		for (struct page *p = c->partial; p; p = p->next)
			npartial++;
		seq_printf(m, "this thread's cpu slab: %s, %u free objects on its freelist\n",
			   c->slab ? "yes" : "none", nfree);
		seq_printf(m, "this thread's sheaf: %u of %u objects; cpu partial slabs: %u\n",
			   c->sheaf_count, SLUB_SHEAF_CAPACITY, npartial);
	}
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		spin_lock(&n->list_lock);
		seq_printf(m, "node %d: slabs %ld, %lu on the partial list\n", node,
			   READ_ONCE(n->nr_slabs), n->nr_partial);
		spin_unlock(&n->list_lock);
	}
}

/* ---- validation: /sys/kernel/slab/<cache>/validate ---- */

/* Check @slab and its objects; n->list_lock and slab_lock(slab) held. */
static void validate_slab(struct kmem_cache *s, struct page *slab, unsigned long *obj_map)
{
	void *addr = slab_address(slab), *p;

	lockdep_assert_held((spinlock_t *)&slab->__slab_lock);
	if (!check_slab(s, slab) || !on_freelist(s, slab, NULL))
		return;
	/* Now we know that a valid freelist exists. */
	fill_obj_map(obj_map, s, slab);
	for_each_object(p, s, addr, slab->objects) {
		u8 val = obj_map_test(obj_map, obj_to_index(s, addr, p)) ? SLUB_RED_INACTIVE :
									    SLUB_RED_ACTIVE;

		if (!check_object(s, slab, p, val))
			break;
	}
}

static void validate_slab_node(struct kmem_cache *s, struct kmem_cache_node *n,
			       unsigned long *obj_map)
{
	unsigned long count = 0, moved = 0;
	struct page *slab, *t;

	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
		bool full;

		slab_lock(slab);
		validate_slab(s, slab, obj_map);
		full = !slab->freelist;
		slab_unlock(slab);
		count++;
		if (unlikely(full)) {
			/* A repair took its free objects: file it as full. */
			remove_partial(n, slab);
			add_full(s, n, slab);
			moved++;
		}
	}
	if (count != n->nr_partial + moved) {
		pr_err("SLUB %s: %lu partial slabs counted but counter=%lu\n", s->name, count,
		       n->nr_partial + moved);
		slab_errors++;
	}
	if (kmem_cache_debug(s)) {
		list_for_each_entry(slab, &n->full, slab_list) {
			slab_lock(slab);
			validate_slab(s, slab, obj_map);
			slab_unlock(slab);
			count++;
		}
		if ((long)count != READ_ONCE(n->nr_slabs)) {
			pr_err("SLUB: %s %lu slabs counted but counter=%ld\n", s->name, count,
			       READ_ONCE(n->nr_slabs));
			slab_errors++;
		}
	}
	spin_unlock(&n->list_lock);
}

int kmem_cache_validate(struct kmem_cache *s)
{
	unsigned long obj_map[OBJ_MAP_LONGS];
	struct kmem_cache_cpu *c;
	int errors;

	if (!s || !umm_ensure_booted())
		return -EINVAL;
	if (slab_classic)
		return slab_classic_validate(s);
	umm_gate_enter();
	errors = slab_errors;
	/* This thread's cpu slab goes back first (the kernel flushes all). */
	c = this_cpu_slab(s);
	if (c)
		flush_cpu_slab(s, c);
	for (int node = 0; node < nr_online_nodes; node++)
		validate_slab_node(s, get_node(s, node), obj_map);
	errors = slab_errors - errors;
	umm_gate_exit();
	return errors;
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
		check(check_valid_pointer(s, slab, fp),
		      "%s: free pointer %p is no object of slab %p\n", s->name, fp, base);
		check(++n <= slab->objects, "%s: freelist of slab %p loops\n", s->name, base);
	}
	*nfree = n;
	return 0;
}

static int check_slab_struct(struct kmem_cache *s, struct page *slab)
{
	check(PageSlab(slab), "%s: slab %p is not PageSlab\n", s->name, (void *)slab);
	check(slab->slab_cache == s, "%s: slab %p belongs to %s\n", s->name,
	      slab_address(slab), slab->slab_cache ? slab->slab_cache->name : "(null)");
	check(!slab_tails_bad(slab, s, slab->frozen), "%s: slab %p: tail page %lu lost its copies\n",
	      s->name, slab_address(slab), slab_tails_bad(slab, s, slab->frozen));
	check((bool)PageOwnerPriv1(slab) == (bool)slab->frozen, "%s: slab %p: frozen hint %d, frozen %d\n",
	      s->name, slab_address(slab), !!PageOwnerPriv1(slab), slab->frozen);
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
	if (slab_classic)
		return slab_classic_check();
	umm_gate_enter();
	mutex_lock(&slab_mutex);
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
				err = check_slab_struct(s, slab);
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
			/* Debugging caches: every other slab is full, on n->full. */
			list_for_each_entry(slab, &n->full, slab_list) {
				if (err)
					break;
				count++;
				slab_lock(slab);
				err = check_slab_struct(s, slab);
				if (!err && (!kmem_cache_debug(s) || slab->freelist || slab->frozen ||
					     slab->inuse != slab->objects ||
					     slab_test_node_partial(slab) || slab_nid(slab) != node)) {
					pr_err("umm_slab_check: %s: slab %p on the full list is not full\n",
					       s->name, slab_address(slab));
					err = -EUCLEAN;
				}
				slab_unlock(slab);
			}
			if (!err && kmem_cache_debug(s) && (long)count != READ_ONCE(n->nr_slabs)) {
				pr_err("umm_slab_check: %s: %lu slabs listed, nr_slabs %ld\n",
				       s->name, count, READ_ONCE(n->nr_slabs));
				err = -EUCLEAN;
			}
			if (!err && (long)count > READ_ONCE(n->nr_slabs))
				err = -EUCLEAN;
			spin_unlock(&n->list_lock);
		}
		if (!err && c && c->slab) {
			unsigned int nfree;

			slab_lock(c->slab);
			err = check_slab_struct(s, c->slab);
			if (!err && !c->slab->frozen)
				err = -EUCLEAN;
			if (!err && c->slab_span != slab_nr_pages(c->slab) * sizeof(struct page)) {
				pr_err("umm_slab_check: %s: cpu slab %p spans %lu bytes of struct pages\n",
				       s->name, slab_address(c->slab), c->slab_span);
				err = -EUCLEAN;
			}
			slab_unlock(c->slab);
			if (!err)
				err = check_freelist(s, c->slab, c->freelist, &nfree);
		}
		for (struct page *p = c ? c->partial : NULL; p && !err; p = p->next) {
			unsigned int nfree;

			slab_lock(p);
			err = check_slab_struct(s, p);
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
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
	return err;
}

/*
 * ---- /sys/kernel/slab/<cache>/: the kernel's SLUB sysfs files ----
 *
 * What mm/slub.c's sysfs part shows and takes, in its formats, through
 * umm_proc_read(), umm_proc_write() and umm_proc_list() (fs/proc/proc.c).
 * umm is a CONFIG_NUMA, CONFIG_SLUB_DEBUG, CONFIG_SLUB_CPU_PARTIAL,
 * CONFIG_SLUB_STATS, CONFIG_FAILSLAB, CONFIG_ZONE_DMA kernel; it has no
 * remote_node_defrag_ratio (get_partial() always tries the other nodes'
 * lists: there is no ratio to tune) and no skip_kfence (no KFENCE).
 * A "CPU" is a thread's slot: the cpu_slabs, slabs_cpu_partial and C<n>=
 * figures walk the live threads, numbered in slub_threads' order, and
 * read their slots racily as the kernel reads other CPUs'
 * (data_race_read(); a slot may change under the reader, and a slab seen
 * there may be freed meanwhile: its struct page stays readable).  Caches
 * are listed by name; merged caches have no entry of their own (umm
 * keeps no alias names), where the kernel has symlinks.
 * Lock order as above: slab_mutex (finding the cache, held while it is
 * shown) -> slub_threads_lock -> n->list_lock -> slab_lock().
 */

enum slab_objects_flags {	/* show_slab_objects(): what to count, and where */
	SO_ALL = 1 << 0,	/* every slab, from the node counters */
	SO_PARTIAL = 1 << 1,	/* the node partial lists */
	SO_CPU = 1 << 2,	/* the cpu slabs and cpu partial lists */
	SO_OBJECTS = 1 << 3,	/* objects in use, not slabs */
	SO_TOTAL = 1 << 4,	/* objects in use or free */
};

/* A slab's counters, read once: another thread may be changing them. */
static __slub_racy_reader struct page slab_counters_once(const struct page *slab)
{
	struct page snap;

	snap.counters = data_race_read(slab->counters);
	return snap;
}

/* slab_nid() of a slab another thread may be freeing as we look. */
static __slub_racy_reader int slab_nid_once(const struct page *slab)
{
	return (int)((data_race_read(slab->flags) >> NODES_PGSHIFT) & NODES_MASK);
}

static unsigned long count_partial(struct kmem_cache_node *n, unsigned int flags)
{
	unsigned long x = 0;
	struct page *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		slab_lock(slab);
		if (flags & SO_TOTAL)
			x += slab->objects;
		else if (flags & SO_OBJECTS)
			x += slab->inuse;
		else
			x += slab->objects - slab->inuse;	/* free */
		slab_unlock(slab);
	}
	spin_unlock(&n->list_lock);
	return x;
}

/* Every slab of @s the node lists know: no cpu partial list can be longer. */
static long slabs_on_nodes(struct kmem_cache *s)
{
	long nr = 0;

	for (int node = 0; node < nr_online_nodes; node++)
		nr += READ_ONCE(get_node(s, node)->nr_slabs);
	return nr;
}

/*
 * The length of @c's cpu partial list (its head's ->slabs), read racily;
 * 0 with *@head NULL when the list changed under the reader or the figure
 * is not one: a head that left the list has slab_list's bits in ->slabs.
 */
static __slub_racy_reader int cpu_partial_once(struct kmem_cache_cpu *c, long limit,
					       struct page **head)
{
	struct page *slab = data_race_read(c->partial);
	int slabs;

	*head = NULL;
	if (!slab)
		return 0;
	slabs = data_race_read(slab->slabs);
	if (data_race_read(c->partial) != slab || slabs <= 0 || slabs > limit)
		return 0;
	*head = slab;
	return slabs;
}

static __slub_racy_reader void count_cpu_slabs(struct kmem_cache *s, unsigned int flags,
					       unsigned long *total, unsigned long *nodes)
{
	long limit = slabs_on_nodes(s);
	struct slub_thread *t;

	mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list) {
		struct kmem_cache_cpu *c = &t->cpu[s->cpu_index];
		struct page *slab = data_race_read(c->slab);
		unsigned long x;

		if (!slab)
			continue;	/* the kernel skips the partial list too */
		if (flags & SO_TOTAL)
			x = slab_counters_once(slab).objects;
		else if (flags & SO_OBJECTS)
			x = slab_counters_once(slab).inuse;
		else
			x = 1;
		*total += x;
		nodes[slab_nid_once(slab)] += x;
		if (flags & (SO_TOTAL | SO_OBJECTS))
			continue;	/* the kernel warns: no such figure */
		x = (unsigned long)cpu_partial_once(c, limit, &slab);
		if (slab) {
			*total += x;
			nodes[slab_nid_once(slab)] += x;
		}
	}
	mutex_unlock(&slub_threads_lock);
}

/* "total N0=x N1=y", the nodes with none left out (the kernel's show_slab_objects()). */
static __slub_racy_reader int show_slab_objects(struct kmem_cache *s, struct seq_file *m,
						unsigned int flags)
{
	unsigned long nodes[MAX_NUMNODES] = { 0 }, total = 0;

	if (flags & SO_CPU)
		count_cpu_slabs(s, flags, &total, nodes);
	for (int node = 0; node < nr_online_nodes && (flags & (SO_ALL | SO_PARTIAL)); node++) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned long x;

		if (flags & SO_ALL) {
			if (flags & SO_TOTAL)
				x = (unsigned long)READ_ONCE(n->total_objects);
			else if (flags & SO_OBJECTS)
				x = node_objects_in_use(n);
			else
				x = (unsigned long)READ_ONCE(n->nr_slabs);
		} else {
			x = (flags & (SO_TOTAL | SO_OBJECTS)) ? count_partial(n, flags) :
								 data_race_read(n->nr_partial);
		}
		total += x;
		nodes[node] += x;
	}
	seq_printf(m, "%lu", total);
	for (int node = 0; node < nr_online_nodes; node++)
		if (nodes[node])
			seq_printf(m, " N%d=%lu", node, nodes[node]);
	seq_putc(m, '\n');
	return 0;
}

#define SLAB_OBJECTS_SHOW(name, flags)						\
	static int name##_show(struct kmem_cache *s, struct seq_file *m)	\
	{									\
		return show_slab_objects(s, m, flags);				\
	}
SLAB_OBJECTS_SHOW(slabs, SO_ALL)
SLAB_OBJECTS_SHOW(objects, SO_ALL | SO_OBJECTS)
SLAB_OBJECTS_SHOW(total_objects, SO_ALL | SO_TOTAL)
SLAB_OBJECTS_SHOW(partial, SO_PARTIAL)
SLAB_OBJECTS_SHOW(objects_partial, SO_PARTIAL | SO_OBJECTS)
SLAB_OBJECTS_SHOW(cpu_slabs, SO_CPU)

#define SLAB_FLAG_SHOW(name, flag)						\
	static int name##_show(struct kmem_cache *s, struct seq_file *m)	\
	{									\
		seq_printf(m, "%d\n", !!(s->flags & (flag)));			\
		return 0;							\
	}
SLAB_FLAG_SHOW(reclaim_account, SLAB_RECLAIM_ACCOUNT)
SLAB_FLAG_SHOW(hwcache_align, SLAB_HWCACHE_ALIGN)
SLAB_FLAG_SHOW(cache_dma, SLAB_CACHE_DMA)
SLAB_FLAG_SHOW(destroy_by_rcu, SLAB_TYPESAFE_BY_RCU)
SLAB_FLAG_SHOW(sanity_checks, SLAB_CONSISTENCY_CHECKS)
SLAB_FLAG_SHOW(trace, SLAB_TRACE)
SLAB_FLAG_SHOW(red_zone, SLAB_RED_ZONE)
SLAB_FLAG_SHOW(poison, SLAB_POISON)
SLAB_FLAG_SHOW(store_user, SLAB_STORE_USER)
SLAB_FLAG_SHOW(failslab, SLAB_FAILSLAB)

#define SLAB_UINT_SHOW(name, fmt, expr)						\
	static int name##_show(struct kmem_cache *s, struct seq_file *m)	\
	{									\
		seq_printf(m, fmt "\n", expr);					\
		return 0;							\
	}
SLAB_UINT_SHOW(slab_size, "%u", s->size)
SLAB_UINT_SHOW(object_size, "%u", s->object_size)
SLAB_UINT_SHOW(objs_per_slab, "%u", oo_objects(s->oo))
SLAB_UINT_SHOW(order, "%u", oo_order(s->oo))
SLAB_UINT_SHOW(align, "%u", s->align)
SLAB_UINT_SHOW(min_partial, "%lu", READ_ONCE(s->min_partial))
SLAB_UINT_SHOW(cpu_partial, "%u", READ_ONCE(s->cpu_partial))
SLAB_UINT_SHOW(aliases, "%d", s->refcount < 0 ? 0 : s->refcount - 1)
SLAB_UINT_SHOW(usersize, "%u", s->usersize)
/* The per-"CPU" sheaf: every cache with cpu partial lists has one. */
SLAB_UINT_SHOW(sheaf_capacity, "%u", READ_ONCE(s->cpu_partial_slabs) ? SLUB_SHEAF_CAPACITY : 0)

static int ctor_show(struct kmem_cache *s, struct seq_file *m)
{
	char sym[256];

	if (!s->ctor)
		return 0;
	umm_sprint_symbol(sym, sizeof(sym), (const void *)s->ctor);
	seq_printf(m, "%s\n", sym);
	return 0;
}

/* "objects(slabs)", then " C<cpu>=objects(slabs)"; objects guessed half-full. */
static __slub_racy_reader int slabs_cpu_partial_show(struct kmem_cache *s, struct seq_file *m)
{
	unsigned int per_slab = oo_objects(s->oo);
	long limit = slabs_on_nodes(s);
	struct slub_thread *t;
	int slabs = 0, cpu = 0;
	struct page *head;

	mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list)
		slabs += cpu_partial_once(&t->cpu[s->cpu_index], limit, &head);
	seq_printf(m, "%d(%d)", (int)(slabs * per_slab / 2), slabs);
	list_for_each_entry(t, &slub_threads, list) {
		slabs = cpu_partial_once(&t->cpu[s->cpu_index], limit, &head);
		if (head)
			seq_printf(m, " C%d=%d(%d)", cpu, (int)(slabs * per_slab / 2), slabs);
		cpu++;
	}
	mutex_unlock(&slub_threads_lock);
	seq_putc(m, '\n');
	return 0;
}

/* validate and shrink are triggers: reading them gives nothing, as in the kernel. */
static int empty_show(struct kmem_cache *s, struct seq_file *m)
{
	(void)s;
	(void)m;
	return 0;
}

/* kstrtoul(): decimal, one optional trailing newline, nothing else. */
static int parse_ulong(const char *buf, size_t len, unsigned long *val)
{
	char tmp[24];
	char *end;

	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(tmp) || !isdigit((unsigned char)buf[0]))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	errno = 0;
	*val = strtoul(tmp, &end, 10);
	if (*end || errno)
		return errno == ERANGE ? -ERANGE : -EINVAL;
	return 0;
}

static ssize_t validate_store(struct kmem_cache *s, const char *buf, size_t len)
{
	if (buf[0] != '1' || !kmem_cache_debug(s))
		return -EINVAL;
	kmem_cache_validate(s);	/* reports what it finds through pr_err() */
	return (ssize_t)len;
}

static ssize_t shrink_store(struct kmem_cache *s, const char *buf, size_t len)
{
	lockdep_assert_held(&slab_mutex);
	if (buf[0] != '1')
		return -EINVAL;
	__kmem_cache_shrink(s);	/* slab_mutex held, as kmem_cache_shrink() takes it */
	return (ssize_t)len;
}

static ssize_t min_partial_store(struct kmem_cache *s, const char *buf, size_t len)
{
	unsigned long min;
	int err = parse_ulong(buf, len, &min);

	if (err)
		return err;
	WRITE_ONCE(s->min_partial, min);
	return (ssize_t)len;
}

/* The kernel's slub_set_cpu_partial(): slabs enough for @nr_objects half-full ones. */
static void slub_set_cpu_partial(struct kmem_cache *s, unsigned int nr_objects)
{
	WRITE_ONCE(s->cpu_partial, nr_objects);
	WRITE_ONCE(s->cpu_partial_slabs, DIV_ROUND_UP(nr_objects * 2, oo_objects(s->oo)));
}

static ssize_t cpu_partial_store(struct kmem_cache *s, const char *buf, size_t len)
{
	unsigned long objects;
	int err = parse_ulong(buf, len, &objects);

	if (err)
		return err;
	if (objects > UINT_MAX / 2 || (objects && kmem_cache_debug(s)))
		return -EINVAL;
	slub_set_cpu_partial(s, (unsigned int)objects);
	/* This thread's lists go back now; the others' on their next flush. */
	__kmem_cache_shrink(s);
	return (ssize_t)len;
}

struct slab_attribute {
	const char *name;
	int (*show)(struct kmem_cache *s, struct seq_file *m);
	ssize_t (*store)(struct kmem_cache *s, const char *buf, size_t len);
};

#define SLAB_ATTR_RO(_name)	{ #_name, _name##_show, NULL }
#define SLAB_ATTR(_name)	{ #_name, _name##_show, _name##_store }

/* In strcmp() order, as ls(1) lists them; the CONFIG_SLUB_STATS files follow. */
static const struct slab_attribute slab_attrs[] = {
	SLAB_ATTR_RO(aliases), SLAB_ATTR_RO(align), SLAB_ATTR_RO(cache_dma),
	SLAB_ATTR(cpu_partial), SLAB_ATTR_RO(cpu_slabs), SLAB_ATTR_RO(ctor),
	SLAB_ATTR_RO(destroy_by_rcu), SLAB_ATTR_RO(failslab), SLAB_ATTR_RO(hwcache_align),
	SLAB_ATTR(min_partial), SLAB_ATTR_RO(object_size), SLAB_ATTR_RO(objects),
	SLAB_ATTR_RO(objects_partial), SLAB_ATTR_RO(objs_per_slab), SLAB_ATTR_RO(order),
	SLAB_ATTR_RO(partial), SLAB_ATTR_RO(poison), SLAB_ATTR_RO(reclaim_account),
	SLAB_ATTR_RO(red_zone), SLAB_ATTR_RO(sanity_checks), SLAB_ATTR_RO(sheaf_capacity),
	{ "shrink", empty_show, shrink_store }, SLAB_ATTR_RO(slab_size),
	SLAB_ATTR_RO(slabs), SLAB_ATTR_RO(slabs_cpu_partial), SLAB_ATTR_RO(store_user),
	SLAB_ATTR_RO(total_objects), SLAB_ATTR_RO(trace), SLAB_ATTR_RO(usersize),
	{ "validate", empty_show, validate_store },
};

/* A CONFIG_SLUB_STATS counter: the sum, then " C<cpu>=n" for each slot with some. */
static __slub_racy_reader void show_stat(struct kmem_cache *s, struct seq_file *m,
					 enum stat_item si)
{
	struct slub_thread *t;
	int cpu = 0;

	seq_printf(m, "%lu", slub_stat_sum(s, si));
	mutex_lock(&slub_threads_lock);
	list_for_each_entry(t, &slub_threads, list) {
		unsigned int x = data_race_read(t->cpu[s->cpu_index].stat[si]);

		if (x)
			seq_printf(m, " C%d=%u", cpu, x);
		cpu++;
	}
	mutex_unlock(&slub_threads_lock);
	seq_putc(m, '\n');
}

/* The cache named by the first @len bytes of @name; slab_mutex held. */
static struct kmem_cache *find_cache(const char *name, size_t len)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (strlen(s->name) == len && !strncmp(s->name, name, len))
			return s;
	return NULL;
}

static const struct slab_attribute *find_attr(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(slab_attrs); i++)
		if (!strcmp(name, slab_attrs[i].name))
			return &slab_attrs[i];
	return NULL;
}

static int find_stat(const char *name)
{
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		if (!strcmp(name, slub_stat_names[si]))
			return si;
	return -1;
}

/*
 * Is @rest ("<attr>/...") a path through a file, for -ENOTDIR?  The
 * kernel's lookup fails so when a middle part is no directory.
 */
static bool through_attr(const char *rest)
{
	size_t len = strcspn(rest, "/");
	char name[64];

	if (!rest[len] || len >= sizeof(name))
		return false;
	memcpy(name, rest, len);
	name[len] = '\0';
	return find_attr(name) || find_stat(name) >= 0;
}

/*
 * Split "<cache>/<attr>" and find both, with slab_mutex held on success
 * (0).  -EISDIR for "<cache>" or "<cache>/", -ENOTDIR for a path through
 * an attribute ("<cache>/<attr>/"), -ENOENT for what is not there.
 */
static int lookup_attr(const char *path, struct kmem_cache **sp,
		       const struct slab_attribute **ap, int *statp)
{
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : strlen(path);

	*ap = NULL;
	*statp = -1;
	mutex_lock(&slab_mutex);
	*sp = find_cache(path, len);
	if (*sp && (!slash || !slash[1])) {
		mutex_unlock(&slab_mutex);
		return -EISDIR;
	}
	if (*sp) {
		*ap = find_attr(slash + 1);
		if (!*ap)
			*statp = find_stat(slash + 1);
	}
	if (!*ap && *statp < 0) {
		mutex_unlock(&slab_mutex);
		return *sp && through_attr(slash + 1) ? -ENOTDIR : -ENOENT;
	}
	return 0;
}

/* Show into @m, or (@m NULL) store @buf: sysfs's read and write of one file. */
static ssize_t slab_sysfs_access(const char *path, struct seq_file *m, const char *buf,
				 size_t len)
{
	const struct slab_attribute *a;
	struct kmem_cache *s;
	int si, err;
	ssize_t ret;

	err = lookup_attr(path, &s, &a, &si);
	if (err)
		return err;
	if (m) {
		if (a)
			err = a->show(s, m);
		else
			show_stat(s, m, (enum stat_item)si);
		mutex_unlock(&slab_mutex);
		return err;
	}
	/*
	 * The store runs with slab_mutex still held, so that the cache cannot
	 * be destroyed under it (the kernel holds a kobject reference).
	 */
	if (!a || !a->store)
		err = -EACCES;	/* kernfs refuses to open a file without ->store */
	ret = len && !err ? a->store(s, buf, len) : err;
	mutex_unlock(&slab_mutex);
	return ret;
}

/* A SLAB kernel has no /sys/kernel/slab (it is SLUB's). */
int slab_sysfs_show(struct seq_file *m, const char *path)
{
	if (slab_classic)
		return -ENOENT;
	return (int)slab_sysfs_access(path, m, NULL, 0);
}

ssize_t slab_sysfs_store(const char *path, const char *buf, size_t len)
{
	if (slab_classic)
		return -ENOENT;
	return slab_sysfs_access(path, NULL, buf, len);
}

/* The smallest of the @n @names above @last (NULL: the smallest), or NULL. */
static const char *next_name(const char *const *names, size_t n, const char *last)
{
	const char *next = NULL;

	for (size_t i = 0; i < n; i++)
		if ((!last || strcmp(names[i], last) > 0) && (!next || strcmp(names[i], next) < 0))
			next = names[i];
	return next;
}

static int list_cache_attrs(struct seq_file *m)
{
	const char *attr_names[ARRAY_SIZE(slab_attrs)], *last = NULL, *a, *st;

	for (size_t i = 0; i < ARRAY_SIZE(slab_attrs); i++)
		attr_names[i] = slab_attrs[i].name;
	/* Two sorted-by-selection lists merged: the attributes and the stats. */
	for (;;) {
		a = next_name(attr_names, ARRAY_SIZE(attr_names), last);
		st = next_name(slub_stat_names, NR_SLUB_STAT_ITEMS, last);
		last = !a ? st : !st ? a : strcmp(a, st) < 0 ? a : st;
		if (!last)
			return 0;
		seq_printf(m, "%s\n", last);
	}
}

/* ls /sys/kernel/slab[/<cache>]: one name a line, in strcmp() order. */
int slab_sysfs_list(struct seq_file *m, const char *path)
{
	const char *last = NULL;
	struct kmem_cache *s;
	size_t len = strcspn(path, "/");

	if (slab_classic)
		return -ENOENT;
	mutex_lock(&slab_mutex);
	if (len) {
		s = find_cache(path, len);
		mutex_unlock(&slab_mutex);
		if (!s)
			return -ENOENT;
		if (path[len] && path[len + 1])	/* "<cache>/<attr>", or a path through it */
			return find_attr(path + len + 1) || find_stat(path + len + 1) >= 0 ||
				       through_attr(path + len + 1) ? -ENOTDIR : -ENOENT;
		return list_cache_attrs(m);
	}
	for (;;) {
		const char *next = NULL;

		list_for_each_entry(s, &slab_caches, list)
			if ((!last || strcmp(s->name, last) > 0) &&
			    (!next || strcmp(s->name, next) < 0))
				next = s->name;
		if (!next)
			break;
		seq_printf(m, "%s\n", next);
		last = next;
	}
	mutex_unlock(&slab_mutex);
	return 0;
}
