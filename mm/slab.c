// SPDX-License-Identifier: GPL-2.0
/*
 * slab.c - the classic SLAB allocator (mm/slab.c as of v6.7, the last
 * kernel that had it), chosen at boot with umm.slab=slab; SLUB
 * (mm/slub.c) is the default.  Both share mm/slab_common.c.
 *
 * Owns, for every cache while slab_classic is set: its slabs, its
 * kmem_cache_nodes (three slab lists each, the shared array and the
 * alien caches), its per-CPU array_caches, the tunables, the reaper's
 * per-CPU clock, and slab_max_order=.
 *
 * The design (Bonwick's, as Linux had it from 2.2 to 6.7; ULK 8.2,
 * LKD3 ch. 12):
 *  - a slab is 2^gfporder pages holding `num` objects, s->size bytes
 *    apart from s_mem = page address + colour offset.  Each slab starts
 *    its objects at the next colour: n->colour_next steps through
 *    0 .. colour - 1 (colour = left over bytes / colour_off, colour_off =
 *    cache_line_size()), so that slabs of one cache spread their objects
 *    over the cache lines (cache_grow_begin());
 *  - a slab's free objects are the indices freelist[active .. num - 1]
 *    (freelist_idx_t, unsigned short with 4 KiB pages and KMALLOC_MIN_SIZE
 *    8: the kernel's kmem_bufctl_t before 3.15), taken from the front by
 *    slab_get_obj() and given back at `--active` by slab_put_obj();
 *    obj_to_index() divides by the object size through a reciprocal.
 *    The freelist array lives (set_objfreelist_slab_cache() first) in a
 *    free object of the slab itself, when it fits there and the cache
 *    has no ctor (OBJFREELIST_SLAB: the last object; when the slab is
 *    full there is no freelist, and the next object freed holds it); else
 *    off the slab in a kmalloc object when that saves a whole object
 *    (OFF_SLAB), else at the slab's end (on-slab);
 *  - each node keeps slabs_full, slabs_partial and slabs_free under
 *    n->list_lock, with free_objects = the free objects of its slabs;
 *  - each CPU keeps an array_cache of up to `limit` free objects: alloc
 *    pops entry[--avail] and free pushes entry[avail++] (LIFO, cache
 *    hot); an empty array is refilled with batchcount objects from the
 *    node's shared array or its slabs (cache_alloc_refill()), a full one
 *    gives its batchcount oldest objects back (cache_flusharray()): into
 *    the shared array while it has room, else to their slabs
 *    (free_block()), which releases free slabs to the page allocator
 *    while n->free_objects > n->free_limit = (1 + CPUs on the node) *
 *    batchcount + num;
 *  - with numa=fake=N, an object freed on a CPU of another node than
 *    its slab's goes into that CPU node's alien cache for the slab's
 *    node (12 objects), drained to the remote node's shared array and
 *    slabs when full or by the reaper;
 *  - enable_cpucache() sizes the arrays by object size (limit 120, 54,
 *    24, 8 or 1; batchcount (limit + 1) / 2; shared 8 with several CPUs);
 *    "NAME LIMIT BATCHCOUNT SHARED" written to /proc/slabinfo retunes a
 *    cache (do_tune_cpucache()), slabinfo_write()'s way;
 *  - cache_reap() runs every 2 s (REAPTIMEOUT_AC) of umm's clock on each
 *    CPU: it drains a part of the alien caches, (limit + 4) / 5 objects
 *    of the CPU's array unless it was touched since, and every 4 s
 *    (REAPTIMEOUT_NODE) per node the shared array likewise and about a
 *    fifth of the free slabs, unless the free list was touched.
 *
 * User space differences: a "CPU" is the host CPU the thread runs on
 * (smp_processor_id()), and a thread can be preempted or moved anywhere,
 * so each array_cache has a spinlock where the kernel disables
 * interrupts; the lock is the CPU's own and is not contended unless two
 * threads share the CPU.  The per-CPU arrays and the kmem_cache_nodes
 * live in host memory (the kernel's percpu area, and kmalloc'ed nodes
 * there), the shared arrays and alien caches in kmalloc objects as in the
 * kernel.  There is no work queue: the reaper runs from a CPU's refill or
 * flush when 2 s passed since its last run on that CPU (and
 * slab_cache_reap() runs it on demand).  Like SLUB's caches, a SLAB cache
 * is reached through SLUB's inlined fast paths, which always miss for it
 * (no cpu slab, no sheaf): the cost of SLAB here includes those few
 * instructions.  OBJFREELIST_SLAB is not used with SLAB_POISON (the
 * kernel's fixup_objfreelist_debug() juggling is left out); such caches
 * keep their freelist on or off the slab.  umm.slab_freelist_random= and
 * umm.slab_freelist_hardened= are SLUB's here (v6.7's SLAB shuffled its
 * index freelists with CONFIG_SLAB_FREELIST_RANDOM; umm's SLAB does not).
 *
 * Debugging, with kmem_cache_create()'s flags (CONFIG_DEBUG_SLAB's
 * checks, slub_debug= does not apply): SLAB_RED_ZONE puts a 64-bit word
 * before and after the object (RED_INACTIVE while free, RED_ACTIVE while
 * allocated; obj_offset is 8), SLAB_STORE_USER the caller of the last
 * allocation or free in the slot's last word, SLAB_POISON fills a free
 * object with POISON_FREE and a last POISON_END (POISON_INUSE on
 * allocation).  Reports are the kernel's: "Slab corruption (Not
 * tainted): <cache> start=<addr>, len=<n>" with the changed lines,
 * "slab error in <function>(): cache `<cache>': double free detected"
 * and "<addr>: redzone 1:0x...,  redzone 2:0x...", "slab: double free
 * detected in cache '<cache>', objp <addr>".  umm refuses a double free
 * where the kernel would BUG() or go on, so that nothing is corrupted.
 * Debug caches are never merged (mm/slab_common.c).
 *
 * Invariants (slab_classic_check() checks them all): a slab is on the
 * list its active count says (0 free, num full, else partial) of the
 * node its pages are on; freelist[active .. num - 1] are distinct
 * indices below num; n->total_slabs, n->free_slabs and n->free_objects
 * count what the lists hold; every object in an array (per-CPU, shared,
 * alien) is an object of this cache counted active in its slab, and in
 * no other array and not on its slab's freelist; avail <= limit.
 *
 * Lock order: slab_mutex -> a CPU's array_cache lock -> an alien cache's
 * lock -> n->list_lock.  The page allocator and kmalloc (off-slab
 * freelists) are called with no array or list lock held.  Every path
 * that takes one runs inside the fork gate (mm/fork_gate.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "slab.h"

/* ---- constants (mm/slab.c, include/linux/poison.h) ---- */

#define BYTES_PER_WORD		sizeof(void *)
#define REDZONE_ALIGN		max(BYTES_PER_WORD, __alignof__(unsigned long long))
#define SLAB_OBJ_MIN_SIZE	(KMALLOC_MIN_SIZE < 16 ? KMALLOC_MIN_SIZE : 16)
#define FREELIST_BYTE_INDEX	(((PAGE_SIZE >> 8) <= SLAB_OBJ_MIN_SIZE) ? 1 : 0)
#if FREELIST_BYTE_INDEX
typedef unsigned char freelist_idx_t;
#else
typedef unsigned short freelist_idx_t;
#endif
#define SLAB_OBJ_MAX_NUM	((1 << sizeof(freelist_idx_t) * 8) - 1)

#define BATCHREFILL_LIMIT	16
#define BOOT_CPUCACHE_ENTRIES	1
#define REAPTIMEOUT_AC		2000UL	/* ms: 2 * HZ */
#define REAPTIMEOUT_NODE	4000UL	/* ms: 4 * HZ */
#define SLAB_MAX_ORDER_HI	1
#define SLAB_MAX_ORDER_LO	0
#define ALIEN_LIMIT		12

#define RED_INACTIVE		0x09F911029D74E35BULL	/* when obj is inactive */
#define RED_ACTIVE		0xD84156C5635688C0ULL	/* when obj is active */

#define SLAB_DEBUG_CHECKS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

static unsigned int slab_max_order = SLAB_MAX_ORDER_LO;
static bool slab_max_order_set;
static bool slab_show_stats;		/* umm.slab_stats=1: globalstat and cpustat */
static unsigned int cache_line = 64;	/* cache_line_size() */

/* The reaper's per-CPU state: when it runs next, which node's aliens. */
struct reap_state {
	unsigned long next;	/* ms; relaxed atomics */
	int reap_node;
	int busy;
};
static struct reap_state *reap_cpu;	/* [nr_cpu_ids], host memory */

#define STATS_ADD(s, field, v)	__atomic_add_fetch(&(s)->field, (v), __ATOMIC_RELAXED)
#define STATS_INC(s, field)	STATS_ADD(s, field, 1UL)

/* STATS_SET_HIGH(): the most objects ever active at once. */
static inline void stats_set_high(struct kmem_cache *s, unsigned long active)
{
	unsigned long high = __atomic_load_n(&s->high_mark, __ATOMIC_RELAXED);

	while (active > high &&
	       !__atomic_compare_exchange_n(&s->high_mark, &high, active, true, __ATOMIC_RELAXED,
					    __ATOMIC_RELAXED))
		;
}

static unsigned long slab_jiffies(void)	/* ms of umm's clock */
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/* ---- boot options ---- */

int slab_classic_param(const char *name, const char *val)
{
	if (!strcmp(name, "slab_max_order")) {
		char *end;
		unsigned long v;

		if (!val || !*val)
			return -EINVAL;
		v = strtoul(val, &end, 10);
		if (*end || v > KMALLOC_MAX_ORDER)
			return -EINVAL;
		slab_max_order = (unsigned int)v;
		slab_max_order_set = true;
		return 0;
	}
	if (!strcmp(name, "umm.slab_stats"))
		return slab_parse_bool(val, &slab_show_stats);
	return -ENOENT;
}

bool slab_stats_shown(void)
{
	return slab_show_stats;
}

/* ---- lib/reciprocal_div.c: division by the object size ---- */

static void reciprocal_value(struct kmem_cache *s, unsigned int d)
{
	unsigned int l = 32 - (unsigned int)__builtin_clz(d - 1 ? d - 1 : 1);
	unsigned long long m;

	if (d == 1)
		l = 0;
	m = ((1ULL << 32) * ((1ULL << l) - d)) / d + 1;
	s->reciprocal_m = (unsigned int)m;
	s->reciprocal_sh1 = (unsigned char)min(l, 1U);
	s->reciprocal_sh2 = (unsigned char)(l ? l - 1 : 0);
}

static inline unsigned int reciprocal_divide(unsigned int a, const struct kmem_cache *s)
{
	unsigned int t = (unsigned int)(((unsigned long long)a * s->reciprocal_m) >> 32);

	return (t + ((a - t) >> s->reciprocal_sh1)) >> s->reciprocal_sh2;
}

/* ---- objects, indices, the freelist ---- */

static inline void *index_to_obj(const struct kmem_cache *s, const struct page *slab,
				 unsigned int idx)
{
	return (char *)slab->s_mem + s->size * idx;
}

static inline unsigned int obj_to_index(const struct kmem_cache *s, const struct page *slab,
					const void *obj)
{
	return reciprocal_divide((unsigned int)((const char *)obj - (const char *)slab->s_mem), s);
}

static inline freelist_idx_t get_free_obj(const struct page *slab, unsigned int idx)
{
	return ((const freelist_idx_t *)slab->freelist)[idx];
}

static inline void set_free_obj(struct page *slab, unsigned int idx, freelist_idx_t val)
{
	((freelist_idx_t *)slab->freelist)[idx] = val;
}

static void *slab_get_obj(struct kmem_cache *s, struct page *slab)
{
	void *objp = index_to_obj(s, slab, get_free_obj(slab, slab->active));

	slab->active++;
	return objp;
}

/* Is slot @objp already free in @slab (the DEBUG check of slab_put_obj())? */
static bool slab_obj_free(struct kmem_cache *s, struct page *slab, unsigned int objnr)
{
	if (!slab->freelist)
		return false;
	for (unsigned int i = slab->active; i < s->num; i++)
		if (get_free_obj(slab, i) == objnr)
			return true;
	return false;
}

static void slab_put_obj(struct kmem_cache *s, struct page *slab, void *objp)
{
	unsigned int objnr = obj_to_index(s, slab, objp);

	/* A full OBJFREELIST slab: the object freed now holds the freelist. */
	if (!slab->freelist)
		slab->freelist = (char *)objp + s->obj_offset;
	slab->active--;
	set_free_obj(slab, slab->active, (freelist_idx_t)objnr);
}

/* ---- debugging (CONFIG_DEBUG_SLAB's checks) ---- */

static inline unsigned long long *dbg_redzone1(struct kmem_cache *s, void *objp)
{
	return (unsigned long long *)((char *)objp + s->obj_offset - sizeof(unsigned long long));
}

static inline unsigned long long *dbg_redzone2(struct kmem_cache *s, void *objp)
{
	if (s->flags & SLAB_STORE_USER)
		return (unsigned long long *)((char *)objp + s->size - sizeof(unsigned long long) -
					      REDZONE_ALIGN);
	return (unsigned long long *)((char *)objp + s->size - sizeof(unsigned long long));
}

static inline void **dbg_userword(struct kmem_cache *s, void *objp)
{
	return (void **)((char *)objp + s->size - BYTES_PER_WORD);
}

static void slab_error(struct kmem_cache *s, const char *function, const char *msg)
{
	pr_err("slab error in %s(): cache `%s': %s\n", function, s->name, msg);
	STATS_INC(s, errors);
}

static void poison_obj(struct kmem_cache *s, void *objp, unsigned char val)
{
	unsigned char *addr = (unsigned char *)objp + s->obj_offset;

	memset(addr, val, s->object_size);
	addr[s->object_size - 1] = POISON_END;
}

static void dump_line(const unsigned char *data, unsigned int offset, unsigned int limit)
{
	char hex[16 * 3 + 1], ascii[17];

	for (unsigned int i = 0; i < limit; i++) {
		unsigned char c = data[offset + i];

		snprintf(hex + 3 * i, 4, "%02x ", c);
		ascii[i] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	hex[limit ? 3 * limit - 1 : 0] = '\0';
	ascii[limit] = '\0';
	pr_err("%03x: %s  %s\n", offset, hex, ascii);
}

static void print_objinfo(struct kmem_cache *s, void *objp)
{
	char sym[192];

	if (s->flags & SLAB_RED_ZONE)
		pr_err("Redzone: 0x%llx/0x%llx\n", *dbg_redzone1(s, objp), *dbg_redzone2(s, objp));
	if (s->flags & SLAB_STORE_USER) {
		umm_sprint_symbol(sym, sizeof(sym), *dbg_userword(s, objp));
		pr_err("Last user: (%s)\n", sym);
	}
}

/* A free object's poison: report the lines that changed (at most 6). */
static int check_poison_obj(struct kmem_cache *s, void *objp)
{
	unsigned char *realobj = (unsigned char *)objp + s->obj_offset;
	unsigned int size = s->object_size, lines = 0;

	for (unsigned int i = 0; i < size; i++) {
		unsigned char exp = i == size - 1 ? POISON_END : POISON_FREE;
		unsigned int limit;

		if (realobj[i] == exp)
			continue;
		if (!lines) {
			pr_err("Slab corruption (Not tainted): %s start=%p, len=%u\n", s->name,
			       (void *)realobj, size);
			print_objinfo(s, objp);
		}
		i = i / 16 * 16;
		limit = min(16U, size - i);
		dump_line(realobj, i, limit);
		i += 15;
		if (++lines > 5)
			break;
	}
	if (lines)
		STATS_INC(s, errors);
	return (int)lines;
}

static void print_redzones(struct kmem_cache *s, void *objp)
{
	pr_err("%p: redzone 1:0x%llx, redzone 2:0x%llx\n", objp, *dbg_redzone1(s, objp),
	       *dbg_redzone2(s, objp));
}

static void init_obj_debug(struct kmem_cache *s, void *objp)
{
	if (s->flags & SLAB_STORE_USER)
		*dbg_userword(s, objp) = NULL;
	if (s->flags & SLAB_RED_ZONE) {
		*dbg_redzone1(s, objp) = RED_INACTIVE;
		*dbg_redzone2(s, objp) = RED_INACTIVE;
	}
	if (s->ctor && !(s->flags & SLAB_POISON))
		s->ctor((char *)objp + s->obj_offset);
	if (s->flags & SLAB_POISON)
		poison_obj(s, objp, POISON_FREE);
}

/* cache_alloc_debugcheck_after(): slot @objp becomes the object returned. */
static void *alloc_debugcheck_after(struct kmem_cache *s, void *objp, unsigned long caller)
{
	if (s->flags & SLAB_POISON) {
		check_poison_obj(s, objp);
		poison_obj(s, objp, POISON_INUSE);
	}
	if (s->flags & SLAB_STORE_USER)
		*dbg_userword(s, objp) = (void *)caller;
	if (s->flags & SLAB_RED_ZONE) {
		if (*dbg_redzone1(s, objp) != RED_INACTIVE ||
		    *dbg_redzone2(s, objp) != RED_INACTIVE) {
			slab_error(s, "cache_alloc_debugcheck_after",
				   "double free, or memory outside object was overwritten");
			print_redzones(s, objp);
		}
		*dbg_redzone1(s, objp) = RED_ACTIVE;
		*dbg_redzone2(s, objp) = RED_ACTIVE;
	}
	objp = (char *)objp + s->obj_offset;
	if (s->ctor && (s->flags & SLAB_POISON))
		s->ctor(objp);
	return objp;
}

/*
 * cache_free_debugcheck(): the object at @objp of @slab is being freed;
 * its slot, or NULL when the free is refused (not an object of the
 * slab, or a double free the red zones show).
 */
static void *free_debugcheck(struct kmem_cache *s, struct page *slab, void *objp,
			     unsigned long caller)
{
	char *slot = (char *)objp - s->obj_offset;
	unsigned int objnr;

	if (slot < (char *)slab->s_mem ||
	    (objnr = obj_to_index(s, slab, slot)) >= s->num || slot != index_to_obj(s, slab, objnr)) {
		slab_error(s, "cache_free_debugcheck", "invalid object pointer: not freed");
		pr_err("%p is not an object of the slab at %p\n", objp, slab_address(slab));
		return NULL;
	}
	if (s->flags & SLAB_RED_ZONE) {
		unsigned long long r1 = *dbg_redzone1(s, slot), r2 = *dbg_redzone2(s, slot);

		if (r1 != RED_ACTIVE || r2 != RED_ACTIVE) {
			bool twice = r1 == RED_INACTIVE && r2 == RED_INACTIVE;

			slab_error(s, "cache_free_debugcheck", twice ? "double free detected" :
				   "memory outside object was overwritten");
			print_redzones(s, slot);
			if (twice)
				return NULL;
		}
		*dbg_redzone1(s, slot) = RED_INACTIVE;
		*dbg_redzone2(s, slot) = RED_INACTIVE;
	}
	if (s->flags & SLAB_STORE_USER)
		*dbg_userword(s, slot) = (void *)caller;
	if (s->flags & SLAB_POISON)
		poison_obj(s, slot, POISON_FREE);
	return slot;
}

/* ---- per-CPU arrays ---- */

/*
 * A block of the per-CPU arrays: a header, then nr_cpu_ids arrays of
 * `stride` bytes.  A retuned cache keeps its old blocks, emptied and
 * with limit 0, until it is destroyed: a thread that read the old
 * pointer just before the swap takes the lock of a dead array, sees
 * limit 0, and looks again (the kernel swaps with IPIs instead).
 */
struct cpu_area {
	struct cpu_area *retired;	/* the previous block, or NULL */
	size_t size;
	unsigned int stride;
};
#define CPU_AREA_HDR	ALIGN(sizeof(struct cpu_area), 64)

static inline struct array_cache *area_cache(struct cpu_area *area, unsigned int cpu)
{
	return (struct array_cache *)((char *)area + CPU_AREA_HDR + (size_t)cpu * area->stride);
}

static inline struct array_cache *cpu_cache_at(struct kmem_cache *s, unsigned int cpu)
{
	return area_cache(__atomic_load_n((struct cpu_area **)&s->cpu_area, __ATOMIC_ACQUIRE), cpu);
}

struct array_cache *cpu_cache_get_on(struct kmem_cache *s, unsigned int cpu)
{
	return cpu < nr_cpu_ids && s->cpu_area ? cpu_cache_at(s, cpu) : NULL;
}

static void init_arraycache(struct array_cache *ac, unsigned int limit, unsigned int batch)
{
	ac->avail = 0;
	ac->limit = limit;
	ac->batchcount = batch;
	ac->touched = 0;
	spin_lock_init(&ac->lock);
}

/* nr_cpu_ids arrays of @limit entries: the kernel's alloc_kmem_cache_cpus(). */
static struct cpu_area *alloc_kmem_cache_cpus(unsigned int limit, unsigned int batch)
{
	unsigned int stride = (unsigned int)ALIGN(sizeof(struct array_cache) +
						  limit * sizeof(void *), 64);
	size_t size = PAGE_ALIGN(CPU_AREA_HDR + (size_t)stride * nr_cpu_ids);
	struct cpu_area *area = host_alloc(size);

	if (!area)
		return NULL;
	area->retired = NULL;
	area->size = size;
	area->stride = stride;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		init_arraycache(area_cache(area, cpu), limit, batch);
	return area;
}

static void free_kmem_cache_cpus(struct cpu_area *area)
{
	while (area) {
		struct cpu_area *next = area->retired;

		host_free(area, area->size);
		area = next;
	}
}

static struct array_cache *alloc_arraycache(int node, unsigned int entries, unsigned int batch)
{
	struct array_cache *ac = kmalloc_node(sizeof(*ac) + entries * sizeof(void *),
					      GFP_KERNEL, node);

	if (ac)
		init_arraycache(ac, entries, batch);
	return ac;
}

/* Move up to @max objects from the top of @from to @to. */
static unsigned int transfer_objects(struct array_cache *to, struct array_cache *from,
				     unsigned int max)
{
	unsigned int nr = min(min(from->avail, max), to->limit - to->avail);

	if (!nr)
		return 0;
	memcpy(to->entry + to->avail, from->entry + from->avail - nr, sizeof(void *) * nr);
	from->avail -= nr;
	to->avail += nr;
	return nr;
}

unsigned int slab_nr_cpus_node(int node)
{
	unsigned int n = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n += cpu_to_node(cpu) == node;
	return n;
}

/* ---- pages ---- */

static void account_slab(struct kmem_cache *s, struct page *slab, int sign)
{
	enum node_stat_item item = (s->flags & SLAB_RECLAIM_ACCOUNT) ?
				   NR_SLAB_RECLAIMABLE_B : NR_SLAB_UNRECLAIMABLE_B;

	mod_node_page_state(page_pgdat(slab), item,
			    sign * (long)(PAGE_SIZE << s->gfporder));
}

static struct page *kmem_getpages(struct kmem_cache *s, gfp_t flags, int nodeid)
{
	struct page *slab;

	flags |= s->allocflags;
	slab = nodeid == NUMA_NO_NODE ? alloc_pages(flags, s->gfporder) :
					alloc_pages_node(nodeid, flags, s->gfporder);
	if (!slab)
		return NULL;
	account_slab(s, slab, 1);
	__SetPageSlab(slab);
	slab_set_tails(slab, s);
	return slab;
}

static void kmem_freepages(struct kmem_cache *s, struct page *slab)
{
	account_slab(s, slab, -1);
	slab_clear_tails(slab);
	__ClearPageSlab(slab);
	slab->slab_cache = NULL;
	slab->freelist = NULL;
	slab->s_mem = NULL;
	slab->active = 0;
	INIT_LIST_HEAD(&slab->lru);
	__free_pages(slab, s->gfporder);
}

static void slab_destroy(struct kmem_cache *s, struct page *slab)
{
	void *freelist = slab->freelist;

	if (s->flags & SLAB_POISON) {
		for (unsigned int i = 0; i < s->num; i++)
			check_poison_obj(s, index_to_obj(s, slab, i));
	}
	kmem_freepages(s, slab);
	if (OFF_SLAB(s))
		kfree(freelist);
}

static void slabs_destroy(struct kmem_cache *s, struct list_head *list)
{
	struct page *slab, *n;

	list_for_each_entry_safe(slab, n, list, slab_list) {
		list_del(&slab->slab_list);
		slab_destroy(s, slab);
	}
}

/* ---- growing ---- */

static void *alloc_slabmgmt(struct kmem_cache *s, struct page *slab, unsigned int colour_off,
			    gfp_t flags, int nodeid)
{
	void *addr = slab_address(slab);

	slab->s_mem = (char *)addr + colour_off;
	slab->active = 0;
	if (OBJFREELIST_SLAB(s))
		return NULL;	/* set by cache_init_objs() */
	if (OFF_SLAB(s))
		return kmalloc_node(s->freelist_size, flags & ~__GFP_THISNODE, nodeid);
	/* The last bytes of the slab. */
	return (char *)addr + (PAGE_SIZE << s->gfporder) - s->freelist_size;
}

static void cache_init_objs(struct kmem_cache *s, struct page *slab)
{
	for (unsigned int i = 0; i < s->num; i++) {
		void *objp = index_to_obj(s, slab, i);

		if (s->flags & SLAB_DEBUG_CHECKS)
			init_obj_debug(s, objp);
		else if (s->ctor)
			s->ctor(objp);
	}
	if (OBJFREELIST_SLAB(s))
		slab->freelist = (char *)index_to_obj(s, slab, s->num - 1) + s->obj_offset;
	for (unsigned int i = 0; i < s->num; i++)
		set_free_obj(slab, i, (freelist_idx_t)i);
}

/*
 * A new slab, not yet on any list (cache_grow_begin()); called with no
 * array or list lock held.
 */
static struct page *cache_grow_begin(struct kmem_cache *s, gfp_t flags, int nodeid)
{
	struct kmem_cache_node *n;
	unsigned int offset;
	struct page *slab;
	void *freelist;

	slab = kmem_getpages(s, flags & ~__GFP_ZERO, nodeid);
	if (!slab)
		return NULL;
	n = get_node(s, slab_nid(slab));
	/* Get colour for the slab, and calculate the next value. */
	spin_lock(&n->list_lock);
	n->colour_next++;
	if (n->colour_next >= s->colour)
		n->colour_next = 0;
	offset = n->colour_next;
	spin_unlock(&n->list_lock);
	if (offset >= s->colour)
		offset = 0;
	offset *= s->colour_off;
	freelist = alloc_slabmgmt(s, slab, offset, flags & ~__GFP_ZERO, slab_nid(slab));
	if (OFF_SLAB(s) && !freelist) {
		kmem_freepages(s, slab);
		return NULL;
	}
	slab->slab_cache = s;
	slab->freelist = freelist;
	cache_init_objs(s, slab);
	return slab;
}

/* Move @slab to the list its active count says; n->list_lock held. */
static void fixup_slab_list(struct kmem_cache *s, struct kmem_cache_node *n, struct page *slab)
{
	list_del(&slab->slab_list);
	if (slab->active == s->num) {
		list_add(&slab->slab_list, &n->slabs_full);
		if (OBJFREELIST_SLAB(s))
			slab->freelist = NULL;
	} else {
		list_add(&slab->slab_list, &n->slabs_partial);
	}
}

static void cache_grow_end(struct kmem_cache *s, struct page *slab)
{
	struct kmem_cache_node *n;

	if (!slab)
		return;
	n = get_node(s, slab_nid(slab));
	INIT_LIST_HEAD(&slab->slab_list);
	spin_lock(&n->list_lock);
	n->total_slabs++;
	if (!slab->active) {
		list_add_tail(&slab->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else {
		fixup_slab_list(s, n, slab);
	}
	STATS_INC(s, grown);
	n->free_objects += s->num - slab->active;
	spin_unlock(&n->list_lock);
}

/* ---- giving objects back to their slabs ---- */

/*
 * free_block(): @nr slots back to their slabs on @node; slabs beyond
 * free_limit go to @list for slabs_destroy().  n->list_lock held.
 */
static void free_block(struct kmem_cache *s, void **objpp, unsigned int nr, int node,
		       struct list_head *list)
{
	struct kmem_cache_node *n = get_node(s, node);
	struct page *slab;

	for (unsigned int i = 0; i < nr; i++) {
		void *objp = objpp[i];

		slab = virt_to_slab(objp);
		if ((s->flags & SLAB_DEBUG_CHECKS) &&
		    slab_obj_free(s, slab, obj_to_index(s, slab, objp))) {
			pr_err("slab: double free detected in cache '%s', objp %p\n", s->name,
			       objp);
			STATS_INC(s, errors);
			continue;
		}
		n->free_objects++;
		list_del(&slab->slab_list);
		slab_put_obj(s, slab, objp);
		__atomic_sub_fetch(&s->num_active, 1UL, __ATOMIC_RELAXED);
		if (slab->active == 0) {
			list_add(&slab->slab_list, &n->slabs_free);
			n->free_slabs++;
		} else {
			/* Unconditionally to the end of the partial list: the most
			 * time for the other objects to be freed, too. */
			list_add_tail(&slab->slab_list, &n->slabs_partial);
		}
	}
	while (n->free_objects > n->free_limit && !list_empty(&n->slabs_free)) {
		n->free_objects -= s->num;
		slab = list_last_entry(&n->slabs_free, struct page, slab_list);
		list_move(&slab->slab_list, list);
		n->free_slabs--;
		n->total_slabs--;
	}
}

/* The array is full: its batchcount oldest objects go (cache_flusharray()). */
static void cache_flusharray(struct kmem_cache *s, struct array_cache *ac, int node,
			     struct list_head *list)
{
	struct kmem_cache_node *n = get_node(s, node);
	unsigned int batchcount = ac->batchcount;

	spin_lock(&n->list_lock);
	if (n->shared) {
		struct array_cache *shared_array = n->shared;
		unsigned int max = shared_array->limit - shared_array->avail;

		if (max) {
			if (batchcount > max)
				batchcount = max;
			memcpy(&shared_array->entry[shared_array->avail], ac->entry,
			       sizeof(void *) * batchcount);
			shared_array->avail += batchcount;
			goto free_done;
		}
	}
	free_block(s, ac->entry, batchcount, node, list);
free_done:
	spin_unlock(&n->list_lock);
	ac->avail -= batchcount;
	memmove(ac->entry, &ac->entry[batchcount], sizeof(void *) * ac->avail);
}

/* Alien caches: an object of another node's slab, freed here. */
static void __drain_alien_cache(struct kmem_cache *s, struct array_cache *ac, int node,
				struct list_head *list)
{
	struct kmem_cache_node *n = get_node(s, node);

	if (!ac->avail)
		return;
	spin_lock(&n->list_lock);
	/* Into the remote node's shared array first: it saves a trip to the lists. */
	if (n->shared)
		transfer_objects(n->shared, ac, ac->limit);
	free_block(s, ac->entry, ac->avail, node, list);
	ac->avail = 0;
	spin_unlock(&n->list_lock);
}

static bool cache_free_alien(struct kmem_cache *s, void *objp, int node, int slab_node)
{
	struct kmem_cache_node *n = get_node(s, node);
	LIST_HEAD(list);

	STATS_INC(s, node_frees);
	if (n->alien && n->alien[slab_node]) {
		struct array_cache *ac = n->alien[slab_node];

		spin_lock(&ac->lock);
		if (unlikely(ac->avail == ac->limit)) {
			STATS_INC(s, node_overflow);
			__drain_alien_cache(s, ac, slab_node, &list);
		}
		ac->entry[ac->avail++] = objp;
		spin_unlock(&ac->lock);
	} else {
		n = get_node(s, slab_node);
		spin_lock(&n->list_lock);
		free_block(s, &objp, 1, slab_node, &list);
		spin_unlock(&n->list_lock);
	}
	slabs_destroy(s, &list);
	return true;
}

/* ---- the reaper ---- */

/* drain_array_locked(): all, or a fifth of the limit; n->list_lock held. */
static void drain_array_locked(struct kmem_cache *s, struct array_cache *ac, int node,
			       bool free_all, struct list_head *list)
{
	unsigned int tofree;

	if (!ac || !ac->avail)
		return;
	tofree = free_all ? ac->avail : (ac->limit + 4) / 5;
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;
	free_block(s, ac->entry, tofree, node, list);
	ac->avail -= tofree;
	memmove(ac->entry, &ac->entry[tofree], sizeof(void *) * ac->avail);
}

/* A per-CPU array (@own: its lock is to be taken) or a node's shared one. */
static void drain_array(struct kmem_cache *s, struct kmem_cache_node *n, struct array_cache *ac,
			int node, bool own)
{
	LIST_HEAD(list);

	if (own)
		spin_lock(&ac->lock);
	spin_lock(&n->list_lock);
	if (!ac || !ac->avail) {
		/* nothing */
	} else if (ac->touched) {
		ac->touched = 0;
	} else {
		drain_array_locked(s, ac, node, false, &list);
	}
	spin_unlock(&n->list_lock);
	if (own)
		spin_unlock(&ac->lock);
	slabs_destroy(s, &list);
}

/* Free up to @tofree slabs of n->slabs_free; the number freed. */
static unsigned int drain_freelist(struct kmem_cache *s, struct kmem_cache_node *n,
				   unsigned int tofree)
{
	unsigned int nr_freed = 0;

	while (nr_freed < tofree) {
		struct page *slab;

		spin_lock(&n->list_lock);
		if (list_empty(&n->slabs_free)) {
			spin_unlock(&n->list_lock);
			break;
		}
		slab = list_last_entry(&n->slabs_free, struct page, slab_list);
		list_del(&slab->slab_list);
		n->free_slabs--;
		n->total_slabs--;
		n->free_objects -= s->num;
		spin_unlock(&n->list_lock);
		slab_destroy(s, slab);
		nr_freed++;
	}
	return nr_freed;
}

static void reap_alien(struct kmem_cache *s, struct kmem_cache_node *n, int reap_node)
{
	struct array_cache *ac;
	LIST_HEAD(list);

	if (!n->alien || !(ac = n->alien[reap_node]))
		return;
	/* The kernel peeks at avail first; a trylock is as cheap here. */
	if (spin_trylock(&ac->lock)) {
		__drain_alien_cache(s, ac, reap_node, &list);
		spin_unlock(&ac->lock);
		slabs_destroy(s, &list);
	}
}

/*
 * cache_reap() for @cpu: every cache's alien cache for one node, the
 * CPU's array, and (4 s apart per node) the node's shared array and free
 * slabs.  Skipped if slab_mutex is busy, as the kernel's.  Returns the
 * free slabs it gave back.
 */
static unsigned int __cache_reap(unsigned int cpu, bool force_node)
{
	int node = cpu_to_node(cpu);
	struct reap_state *r = &reap_cpu[cpu];
	unsigned int total = 0;
	struct kmem_cache *s;

	if (!mutex_trylock(&slab_mutex))
		return 0;
	list_for_each_entry(s, &slab_caches, list) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned long now = slab_jiffies();

		reap_alien(s, n, r->reap_node);
		drain_array(s, n, cpu_cache_at(s, cpu), node, true);
		if (!force_node && (long)(READ_ONCE(n->next_reap) - now) > 0)
			continue;
		WRITE_ONCE(n->next_reap, now + REAPTIMEOUT_NODE);
		drain_array(s, n, n->shared, node, false);
		if (__atomic_load_n(&n->free_touched, __ATOMIC_RELAXED)) {
			__atomic_store_n(&n->free_touched, 0, __ATOMIC_RELAXED);
		} else {
			unsigned int freed = drain_freelist(s, n, (n->free_limit + 5 * s->num - 1) /
							       (5 * s->num));

			STATS_ADD(s, reaped, (unsigned long)freed);
			total += freed;
		}
	}
	/* next_reap_node(): the next online node whose aliens to drain. */
	r->reap_node = (r->reap_node + 1) % nr_online_nodes;
	mutex_unlock(&slab_mutex);
	return total;
}

void slab_cache_reap(unsigned int cpu)
{
	if (!slab_classic || cpu >= nr_cpu_ids || !reap_cpu)
		return;
	umm_gate_enter();
	__cache_reap(cpu, true);
	umm_gate_exit();
}

/*
 * The periodic worker's pass (mm/vmstat.c, inside the gate): cache_reap()
 * for every CPU, nodes included, as the kernel's delayed work would have
 * run on each.  Returns the free slabs left on the nodes, so that the
 * worker comes back until they are gone, and adds those it freed to
 * *@freed.
 */
unsigned long slab_classic_reap_all(unsigned long *freed)
{
	unsigned long left = 0;
	struct kmem_cache *s;

	if (!reap_cpu)
		return 0;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		*freed += __cache_reap(cpu, true);
	if (!mutex_trylock(&slab_mutex))
		return 1;
	list_for_each_entry(s, &slab_caches, list)
		for (int node = 0; node < nr_online_nodes; node++) {
			struct kmem_cache_node *n = get_node(s, node);

			spin_lock(&n->list_lock);
			left += n->free_slabs;
			spin_unlock(&n->list_lock);
		}
	mutex_unlock(&slab_mutex);
	return left;
}

/* The CPU's reaper is due (2 s of umm's clock since it last ran). */
static void cache_reap_due(unsigned int cpu)
{
	struct reap_state *r = &reap_cpu[cpu];
	unsigned long now = slab_jiffies(), next = __atomic_load_n(&r->next, __ATOMIC_RELAXED);

	if ((long)(now - next) < 0)
		return;
	if (__atomic_exchange_n(&r->busy, 1, __ATOMIC_ACQUIRE))
		return;
	__atomic_store_n(&r->next, now + REAPTIMEOUT_AC, __ATOMIC_RELAXED);
	__cache_reap(cpu, false);
	__atomic_store_n(&r->busy, 0, __ATOMIC_RELEASE);
}

/* ---- allocation ---- */

/* A slab to allocate from: partial first, then free (get_first_slab()). */
static struct page *get_first_slab(struct kmem_cache_node *n)
{
	struct page *slab;

	slab = list_first_entry_or_null(&n->slabs_partial, struct page, slab_list);
	if (!slab) {
		__atomic_store_n(&n->free_touched, 1, __ATOMIC_RELAXED);
		slab = list_first_entry_or_null(&n->slabs_free, struct page, slab_list);
		if (slab)
			n->free_slabs--;
	}
	return slab;
}

static unsigned int alloc_block(struct kmem_cache *s, struct array_cache *ac, struct page *slab,
				unsigned int batchcount)
{
	while (slab->active < s->num && batchcount) {
		unsigned long active = STATS_ADD(s, num_active, 1UL);

		batchcount--;
		STATS_INC(s, num_allocations);
		stats_set_high(s, active);
		ac->entry[ac->avail++] = slab_get_obj(s, slab);
	}
	return batchcount;
}

/*
 * The CPU's array is empty: refill it with up to batchcount objects (16
 * while it was not touched since the last reap) from the node's shared
 * array or its slabs, growing the cache when both are empty.  Called
 * and returns with ac->lock held; drops it to grow.
 */
static void *cache_alloc_refill(struct kmem_cache *s, struct array_cache *ac, gfp_t flags,
				int node)
{
	struct kmem_cache_node *n = get_node(s, node);
	unsigned int batchcount = ac->batchcount;
	struct array_cache *shared;
	struct page *slab;

	if (!ac->touched && batchcount > BATCHREFILL_LIMIT)
		batchcount = BATCHREFILL_LIMIT;
	spin_lock(&n->list_lock);
	shared = n->shared;
	if (!n->free_objects && (!shared || !shared->avail)) {
		spin_unlock(&n->list_lock);
		goto direct_grow;
	}
	if (shared && transfer_objects(ac, shared, batchcount)) {
		shared->touched = 1;
		goto alloc_done;
	}
	while (batchcount > 0) {
		slab = get_first_slab(n);
		if (!slab)
			break;
		batchcount = alloc_block(s, ac, slab, batchcount);
		fixup_slab_list(s, n, slab);
	}
	n->free_objects -= ac->avail;
alloc_done:
	spin_unlock(&n->list_lock);
direct_grow:
	if (unlikely(!ac->avail)) {
		spin_unlock(&ac->lock);
		slab = cache_grow_begin(s, flags | __GFP_THISNODE | __GFP_NOWARN, node);
		spin_lock(&ac->lock);
		/*
		 * Another thread on this CPU may have filled the array meanwhile,
		 * or a retune retired it (the slab then just joins the lists).
		 */
		if (!ac->avail && ac->limit && slab && slab_nid(slab) == node)
			alloc_block(s, ac, slab, ac->batchcount);
		cache_grow_end(s, slab);
		if (!ac->avail)
			return NULL;
	}
	ac->touched = 1;
	return ac->entry[--ac->avail];
}

/* ____cache_alloc(): the CPU's array, refilled when empty. */
static void *____cache_alloc(struct kmem_cache *s, gfp_t flags, unsigned int cpu, int node)
{
	struct array_cache *ac;
	void *objp;

retry:
	ac = cpu_cache_at(s, cpu);
	spin_lock(&ac->lock);
	if (unlikely(!ac->limit)) {	/* retired by do_tune_cpucache() */
		spin_unlock(&ac->lock);
		goto retry;
	}
	if (likely(ac->avail)) {
		ac->touched = 1;
		ac->allochit++;
		objp = ac->entry[--ac->avail];
		spin_unlock(&ac->lock);
		return objp;
	}
	ac->allocmiss++;
	objp = cache_alloc_refill(s, ac, flags, node);
	spin_unlock(&ac->lock);
	cache_reap_due(cpu);
	return objp;
}

/* One object straight from a node's slabs (no array), growing it if needed. */
static void *____cache_alloc_node(struct kmem_cache *s, gfp_t flags, int nodeid, bool grow)
{
	struct kmem_cache_node *n = get_node(s, nodeid);
	struct page *slab;
	void *obj;

	spin_lock(&n->list_lock);
	slab = get_first_slab(n);
	if (slab) {
		unsigned long active = STATS_ADD(s, num_active, 1UL);

		STATS_INC(s, node_allocs);
		STATS_INC(s, num_allocations);
		stats_set_high(s, active);
		obj = slab_get_obj(s, slab);
		n->free_objects--;
		fixup_slab_list(s, n, slab);
		spin_unlock(&n->list_lock);
		return obj;
	}
	spin_unlock(&n->list_lock);
	if (!grow)
		return NULL;
	slab = cache_grow_begin(s, flags | __GFP_THISNODE | __GFP_NOWARN, nodeid);
	obj = NULL;
	if (slab) {
		/* Not counted yet: free_objects is not touched. */
		STATS_ADD(s, num_active, 1UL);
		STATS_INC(s, num_allocations);
		obj = slab_get_obj(s, slab);
	}
	cache_grow_end(s, slab);
	return obj;
}

/* fallback_alloc(): any node's slabs, then a new slab wherever pages are. */
static void *fallback_alloc(struct kmem_cache *s, gfp_t flags)
{
	struct page *slab;
	void *obj;

	for (int nid = 0; nid < nr_online_nodes; nid++) {
		obj = ____cache_alloc_node(s, flags, nid, false);
		if (obj)
			return obj;
	}
	slab = cache_grow_begin(s, flags, NUMA_NO_NODE);
	if (!slab)
		return NULL;
	cache_grow_end(s, slab);
	return ____cache_alloc_node(s, flags, slab_nid(slab), false);
}

static __cold void slab_out_of_memory(struct kmem_cache *s, gfp_t gfpflags, int nodeid)
{
	if (gfpflags & __GFP_NOWARN)
		return;
	pr_warn("SLAB: Unable to allocate memory on node %d, gfp=%#x\n", nodeid, gfpflags);
	pr_warn("  cache: %s, object size: %u, order: %u\n", s->name, s->size, s->gfporder);
}

/*
 * slab_alloc_node(): SLUB's fast path missed for a SLAB cache, failslab
 * was checked there; __GFP_ZERO is done by the caller.
 */
void *slab_cache_alloc(struct kmem_cache *s, gfp_t flags, int nodeid, unsigned long caller)
{
	unsigned int cpu;
	int slab_node;
	void *objp = NULL;

	umm_gate_enter();
	cpu = smp_processor_id();
	slab_node = cpu_to_node(cpu);
	if (nodeid == NUMA_NO_NODE || nodeid == slab_node) {
		objp = ____cache_alloc(s, flags, cpu, slab_node);
		nodeid = slab_node;
	}
	if (!objp)
		objp = ____cache_alloc_node(s, flags, nodeid, true);
	if (!objp)
		objp = fallback_alloc(s, flags);
	if (!objp)
		slab_out_of_memory(s, flags, nodeid);
	else if (s->flags & SLAB_DEBUG_CHECKS)
		objp = alloc_debugcheck_after(s, objp, caller);
	umm_gate_exit();
	return objp;
}

/* ---- freeing ---- */

void slab_cache_free(struct kmem_cache *s, struct page *slab, void *objp, unsigned long caller)
{
	struct array_cache *ac;
	unsigned int cpu;
	int node;
	LIST_HEAD(list);

	umm_gate_enter();
	if (s->flags & SLAB_DEBUG_CHECKS) {
		objp = free_debugcheck(s, slab, objp, caller);
		if (!objp)
			goto out;
	}
	cpu = smp_processor_id();
	node = cpu_to_node(cpu);
	if (nr_online_nodes > 1 && slab_nid(slab) != node &&
	    cache_free_alien(s, objp, node, slab_nid(slab)))
		goto out;
retry:
	ac = cpu_cache_at(s, cpu);
	spin_lock(&ac->lock);
	if (unlikely(!ac->limit)) {	/* retired by do_tune_cpucache() */
		spin_unlock(&ac->lock);
		goto retry;
	}
	if ((s->flags & SLAB_DEBUG_CHECKS) && ac->avail && ac->entry[ac->avail - 1] == objp) {
		spin_unlock(&ac->lock);
		slab_error(s, "__free_one", "double free detected");
		goto out;
	}
	if (ac->avail < ac->limit) {
		ac->freehit++;
		ac->entry[ac->avail++] = objp;
		spin_unlock(&ac->lock);
		goto out;
	}
	ac->freemiss++;
	cache_flusharray(s, ac, node, &list);
	ac->entry[ac->avail++] = objp;
	spin_unlock(&ac->lock);
	slabs_destroy(s, &list);
	cache_reap_due(cpu);
out:
	umm_gate_exit();
}

/* ---- questions from malloc/malloc.c ---- */

bool slab_classic_object_start(const struct kmem_cache *s, const struct page *slab,
			       const void *x)
{
	const char *slot = (const char *)x - s->obj_offset;
	unsigned int idx;

	if (!x || slot < (const char *)slab->s_mem)
		return false;
	idx = obj_to_index(s, slab, slot);
	return idx < s->num && slot == index_to_obj(s, slab, idx);
}

static bool ac_contains(const struct array_cache *ac, const void *slot)
{
	for (unsigned int i = 0; ac && i < ac->avail; i++)
		if (ac->entry[i] == slot)
			return true;
	return false;
}

/* Is @object free: in an array of any CPU or node, or on its slab's freelist? */
__cold bool slab_classic_object_is_free(struct kmem_cache *s, struct page *slab, void *object)
{
	void *slot = (char *)object - s->obj_offset;
	bool found = false;

	umm_gate_enter();
	for (unsigned int cpu = 0; cpu < nr_cpu_ids && !found; cpu++) {
		struct array_cache *ac = cpu_cache_at(s, cpu);

		spin_lock(&ac->lock);
		found = ac_contains(ac, slot);
		spin_unlock(&ac->lock);
	}
	for (int node = 0; node < nr_online_nodes && !found; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		for (int i = 0; n->alien && i < nr_online_nodes && !found; i++) {
			if (!n->alien[i])
				continue;
			spin_lock(&n->alien[i]->lock);
			found = ac_contains(n->alien[i], slot);
			spin_unlock(&n->alien[i]->lock);
		}
		spin_lock(&n->list_lock);
		found = found || ac_contains(n->shared, slot);
		if (!found && node == slab_nid(slab))
			found = slab_obj_free(s, slab, obj_to_index(s, slab, slot));
		spin_unlock(&n->list_lock);
	}
	umm_gate_exit();
	return found;
}

/* ---- cache geometry ---- */

static unsigned int cache_estimate(unsigned int gfporder, size_t buffer_size,
				   slab_flags_t flags, size_t *left_over)
{
	size_t slab_size = PAGE_SIZE << gfporder;
	unsigned int num;

	if (flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB)) {
		num = (unsigned int)(slab_size / buffer_size);
		*left_over = slab_size % buffer_size;
	} else {
		num = (unsigned int)(slab_size / (buffer_size + sizeof(freelist_idx_t)));
		*left_over = slab_size % (buffer_size + sizeof(freelist_idx_t));
	}
	return num;
}

/*
 * The smallest order with little waste: an order is accepted when the
 * left over is at most an eighth of the slab, or at slab_max_order.
 */
static size_t calculate_slab_order(struct kmem_cache *s, size_t size, slab_flags_t flags)
{
	size_t left_over = 0;

	for (unsigned int gfporder = 0; gfporder <= KMALLOC_MAX_ORDER; gfporder++) {
		size_t remainder;
		unsigned int num = cache_estimate(gfporder, size, flags, &remainder);

		if (!num)
			continue;
		if (num > SLAB_OBJ_MAX_NUM)
			break;
		if (flags & CFLGS_OFF_SLAB) {
			size_t freelist_size = num * sizeof(freelist_idx_t);
			struct kmem_cache *freelist_cache;

			if (freelist_size > KMALLOC_MAX_CACHE_SIZE)
				continue;
			freelist_cache = kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(freelist_size)];
			/* Not made yet (boot), or off-slab itself: it could loop. */
			if (!freelist_cache || OFF_SLAB(freelist_cache))
				continue;
			/* Off-slab only when it saves half an object or more. */
			if (freelist_cache->size > s->size / 2)
				continue;
			s->freelist_cache = freelist_cache;
		}
		s->num = num;
		s->gfporder = gfporder;
		left_over = remainder;
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		if (gfporder >= slab_max_order)
			break;
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

static bool set_objfreelist_slab_cache(struct kmem_cache *s, size_t size, slab_flags_t flags)
{
	size_t left;

	s->num = 0;
	if (s->ctor || (flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)))
		return false;
	left = calculate_slab_order(s, size, flags | CFLGS_OBJFREELIST_SLAB);
	if (!s->num)
		return false;
	if (s->num * sizeof(freelist_idx_t) > s->object_size)
		return false;
	s->colour = (unsigned int)(left / s->colour_off);
	return true;
}

static bool set_off_slab_cache(struct kmem_cache *s, size_t size, slab_flags_t flags)
{
	size_t left;

	s->num = 0;
	if (flags & SLAB_NOLEAKTRACE)
		return false;
	left = calculate_slab_order(s, size, flags | CFLGS_OFF_SLAB);
	if (!s->num)
		return false;
	/* The freelist would fit in the left over: keep it on the slab. */
	if (left >= s->num * sizeof(freelist_idx_t))
		return false;
	s->colour = (unsigned int)(left / s->colour_off);
	return true;
}

static bool set_on_slab_cache(struct kmem_cache *s, size_t size, slab_flags_t flags)
{
	size_t left;

	s->num = 0;
	left = calculate_slab_order(s, size, flags);
	if (!s->num)
		return false;
	s->colour = (unsigned int)(left / s->colour_off);
	return true;
}

/* ---- nodes and tunables ---- */

static int init_cache_nodes(struct kmem_cache *s)
{
	size_t size = PAGE_ALIGN(sizeof(struct kmem_cache_node) * (size_t)nr_online_nodes);
	struct kmem_cache_node *nodes = host_alloc(size);

	if (!nodes)
		return -ENOMEM;
	s->node_area = nodes;
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = &nodes[node];

		spin_lock_init(&n->list_lock);
		INIT_LIST_HEAD(&n->slabs_partial);
		INIT_LIST_HEAD(&n->slabs_full);
		INIT_LIST_HEAD(&n->slabs_free);
		n->colour_next = 0;
		n->next_reap = slab_jiffies() + REAPTIMEOUT_NODE +
			       ((unsigned long)(uintptr_t)s) % REAPTIMEOUT_NODE;
		n->free_limit = (1 + slab_nr_cpus_node(node)) * s->batchcount + s->num;
		s->node[node] = n;
	}
	return 0;
}

static void free_alien_cache(struct array_cache **alien)
{
	if (!alien)
		return;
	for (int i = 0; i < nr_online_nodes; i++)
		kfree(alien[i]);
	kfree(alien);
}

static struct array_cache **alloc_alien_cache(int node, unsigned int limit)
{
	struct array_cache **alien;

	if (limit > 1)
		limit = ALIEN_LIMIT;
	alien = kcalloc((size_t)nr_online_nodes, sizeof(*alien), GFP_KERNEL);
	if (!alien)
		return NULL;
	for (int i = 0; i < nr_online_nodes; i++) {
		if (i == node)
			continue;
		alien[i] = alloc_arraycache(node, limit, 0xbaadf00d);
		if (!alien[i]) {
			free_alien_cache(alien);
			return NULL;
		}
	}
	return alien;
}

/*
 * setup_kmem_cache_node(): the node's shared array and alien caches for
 * the current tunables (a new shared array when its size changes), and
 * free_limit.
 */
static int setup_kmem_cache_node(struct kmem_cache *s, int node, bool force_change)
{
	struct kmem_cache_node *n = get_node(s, node);
	struct array_cache *new_shared = NULL, *old_shared = NULL;
	struct array_cache **new_alien = NULL, **old_alien = NULL;
	LIST_HEAD(list);

	if (nr_online_nodes > 1 && !n->alien) {
		new_alien = alloc_alien_cache(node, s->limit);
		if (!new_alien)
			return -ENOMEM;
	}
	if (s->shared && (force_change || !n->shared)) {
		new_shared = alloc_arraycache(node, s->shared * s->batchcount, 0xbaadf00d);
		if (!new_shared) {
			free_alien_cache(new_alien);
			return -ENOMEM;
		}
	}
	spin_lock(&n->list_lock);
	if (n->shared && (force_change || !s->shared)) {
		drain_array_locked(s, n->shared, node, true, &list);
		old_shared = n->shared;
		n->shared = NULL;
	}
	if (new_shared) {
		n->shared = new_shared;
		new_shared = NULL;
	}
	if (new_alien) {
		old_alien = n->alien;
		n->alien = new_alien;
	}
	n->free_limit = (1 + slab_nr_cpus_node(node)) * s->batchcount + s->num;
	spin_unlock(&n->list_lock);
	slabs_destroy(s, &list);
	kfree(old_shared);
	kfree(new_shared);
	free_alien_cache(old_alien);
	return 0;
}

/*
 * Give every object of a per-CPU area back to its slabs; @dead: the
 * arrays are retired (limit 0).  An array only ever holds objects of
 * its CPU's node (remote frees go to the alien caches).
 */
static void drain_cpu_area(struct kmem_cache *s, struct cpu_area *area, bool dead)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct array_cache *ac = area_cache(area, cpu);
		int node = cpu_to_node(cpu);
		struct kmem_cache_node *n = get_node(s, node);
		LIST_HEAD(list);

		spin_lock(&ac->lock);
		spin_lock(&n->list_lock);
		free_block(s, ac->entry, ac->avail, node, &list);
		ac->avail = 0;
		spin_unlock(&n->list_lock);
		if (dead)
			ac->limit = 0;
		spin_unlock(&ac->lock);
		slabs_destroy(s, &list);
	}
}

/*
 * do_tune_cpucache(): new per-CPU arrays of @limit entries; the old
 * ones' objects go back to their slabs.  slab_mutex held (or boot).
 */
static int do_tune_cpucache(struct kmem_cache *s, unsigned int limit, unsigned int batchcount,
			    unsigned int shared)
{
	struct cpu_area *old_area = s->cpu_area, *area;
	int err = 0;

	area = alloc_kmem_cache_cpus(limit, batchcount);
	if (!area)
		return -ENOMEM;
	area->retired = old_area;
	__atomic_store_n((struct cpu_area **)&s->cpu_area, area, __ATOMIC_RELEASE);
	s->batchcount = batchcount;
	s->limit = limit;
	s->shared = shared;
	if (old_area)
		drain_cpu_area(s, old_area, true);
	for (int node = 0; node < nr_online_nodes && !err; node++)
		err = setup_kmem_cache_node(s, node, true);
	return err;
}

/* enable_cpucache(): the tunables by object size. */
static int enable_cpucache(struct kmem_cache *s)
{
	unsigned int limit, shared = 0;

	if (s->size > 131072)
		limit = 1;
	else if (s->size > PAGE_SIZE)
		limit = 8;
	else if (s->size > 1024)
		limit = 24;
	else if (s->size > 256)
		limit = 54;
	else
		limit = 120;
	if (s->size <= PAGE_SIZE && nr_cpu_ids > 1)
		shared = 8;
	return do_tune_cpucache(s, limit, (limit + 1) / 2, shared);
}

/* setup_cpu_cache(): at boot, one-entry arrays; kmem_cache_init_late() tunes them. */
static int setup_cpu_cache(struct kmem_cache *s)
{
	if (slab_state >= UP)
		return enable_cpucache(s);
	s->cpu_area = alloc_kmem_cache_cpus(BOOT_CPUCACHE_ENTRIES, 1);
	if (!s->cpu_area)
		return -ENOMEM;
	s->batchcount = 1;
	s->limit = BOOT_CPUCACHE_ENTRIES;
	for (int node = 0; node < nr_online_nodes; node++)
		get_node(s, node)->free_limit = (1 + slab_nr_cpus_node(node)) * s->batchcount +
						 s->num;
	return 0;
}

/* ---- creating and destroying caches ---- */

int slab_kmem_cache_create(struct kmem_cache *s, slab_flags_t flags)
{
	size_t ralign = BYTES_PER_WORD;
	unsigned int size = s->size;
	int err;

	size = ALIGN(size, BYTES_PER_WORD);
	if (flags & SLAB_RED_ZONE) {
		ralign = REDZONE_ALIGN;
		size = ALIGN(size, REDZONE_ALIGN);
	}
	if (ralign < s->align)
		ralign = s->align;
	/* Red zones and the user word need no more than 8-byte alignment. */
	if (ralign > __alignof__(unsigned long long))
		flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	s->align = (unsigned int)ralign;
	s->colour_off = cache_line;
	if (s->colour_off < s->align)
		s->colour_off = s->align;
	s->obj_offset = 0;
	if (flags & SLAB_RED_ZONE) {
		s->obj_offset += (int)sizeof(unsigned long long);
		size += 2 * sizeof(unsigned long long);
	}
	if (flags & SLAB_STORE_USER)
		size += (flags & SLAB_RED_ZONE) ? REDZONE_ALIGN : BYTES_PER_WORD;
	size = ALIGN(size, s->align);
	if (FREELIST_BYTE_INDEX && size < SLAB_OBJ_MIN_SIZE)
		size = ALIGN(SLAB_OBJ_MIN_SIZE, s->align);
	/* The geometry reads s->size (off-slab's benefit). */
	s->size = size;
	if (set_objfreelist_slab_cache(s, size, flags))
		flags |= CFLGS_OBJFREELIST_SLAB;
	else if (set_off_slab_cache(s, size, flags))
		flags |= CFLGS_OFF_SLAB;
	else if (!set_on_slab_cache(s, size, flags))
		return -E2BIG;
	if (!(flags & CFLGS_OFF_SLAB))
		s->freelist_cache = NULL;
	s->freelist_size = s->num * (unsigned int)sizeof(freelist_idx_t);
	s->flags = flags;
	s->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->inuse = s->object_size;	/* ksize(): SLAB gives object_size */
	s->red_left_pad = (unsigned int)s->obj_offset;
	reciprocal_value(s, size);
	err = init_cache_nodes(s);
	if (!err)
		err = setup_cpu_cache(s);
	if (err)
		slab_kmem_cache_release(s);
	return err;
}

/* Empty every array and give free slabs back (__kmem_cache_shrink()). */
static void drain_cpu_caches(struct kmem_cache *s)
{
	LIST_HEAD(list);

	drain_cpu_area(s, s->cpu_area, false);
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		for (int i = 0; n->alien && i < nr_online_nodes; i++) {
			struct array_cache *ac = n->alien[i];

			if (!ac)
				continue;
			spin_lock(&ac->lock);
			__drain_alien_cache(s, ac, i, &list);
			spin_unlock(&ac->lock);
		}
	}
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		spin_lock(&n->list_lock);
		drain_array_locked(s, n->shared, node, true, &list);
		spin_unlock(&n->list_lock);
	}
	slabs_destroy(s, &list);
}

int slab_kmem_cache_shrink(struct kmem_cache *s)
{
	int ret = 0;

	drain_cpu_caches(s);
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		drain_freelist(s, n, UINT_MAX);
		spin_lock(&n->list_lock);
		ret += !list_empty(&n->slabs_full) || !list_empty(&n->slabs_partial);
		spin_unlock(&n->list_lock);
	}
	return ret ? 1 : 0;
}

/* The objects still allocated when a cache is destroyed, as SLUB lists them. */
static void list_leaks(struct kmem_cache *s)
{
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *slab;

		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->slabs_partial, slab_list)
			pr_err("slab %s: %u objects still allocated in slab %p\n", s->name,
			       slab->active, slab_address(slab));
		list_for_each_entry(slab, &n->slabs_full, slab_list)
			pr_err("slab %s: %u objects still allocated in slab %p\n", s->name,
			       slab->active, slab_address(slab));
		spin_unlock(&n->list_lock);
	}
}

int slab_kmem_cache_shutdown(struct kmem_cache *s)
{
	int ret = slab_kmem_cache_shrink(s);

	if (ret)
		list_leaks(s);
	return ret;
}

void slab_kmem_cache_release(struct kmem_cache *s)
{
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		if (!n)
			continue;
		if (slab_state >= UP) {
			kfree(n->shared);
			free_alien_cache(n->alien);
		}
		n->shared = NULL;
		n->alien = NULL;
		s->node[node] = NULL;
	}
	host_free(s->node_area, PAGE_ALIGN(sizeof(struct kmem_cache_node) *
					   (size_t)nr_online_nodes));
	s->node_area = NULL;
	free_kmem_cache_cpus(s->cpu_area);
	s->cpu_area = NULL;
}

/* ---- boot ---- */

/*
 * kmem_cache_init(): the cache of kmem_caches, from a static one moved
 * into an object of its own (kmem_cache_boot).  v6.7 also makes a
 * kmalloc cache for the nodes here; umm's nodes live in host memory.
 */
int slab_kmem_cache_init(void)
{
	static struct kmem_cache kmem_cache_boot;
	struct kmem_cache *s;

	if (!slab_max_order_set && totalram_pages() > (32UL << 20) >> PAGE_SHIFT)
		slab_max_order = SLAB_MAX_ORDER_HI;
	reap_cpu = host_alloc(PAGE_ALIGN(sizeof(*reap_cpu) * nr_cpu_ids));
	if (!reap_cpu)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		reap_cpu[cpu].next = slab_jiffies() + REAPTIMEOUT_AC + cpu;
		reap_cpu[cpu].reap_node = (cpu_to_node(cpu) + 1) % nr_online_nodes;
	}
	memset(&kmem_cache_boot, 0, sizeof(kmem_cache_boot));
	kmem_cache = &kmem_cache_boot;
	kmem_cache->name = "kmem_cache";
	kmem_cache->size = kmem_cache->object_size = kmem_cache_struct_size();
	kmem_cache->align = calculate_alignment(SLAB_HWCACHE_ALIGN, 0, kmem_cache->size);
	kmem_cache->refcount = -1;
	if (slab_kmem_cache_create(kmem_cache, SLAB_HWCACHE_ALIGN))
		goto fail;
	slab_state = PARTIAL;
	s = kmem_cache_zalloc(kmem_cache, GFP_NOWAIT);
	if (!s)
		goto fail;
	memcpy(s, &kmem_cache_boot, kmem_cache_struct_size());
	/* Its slabs and nodes point at the static copy: repoint them. */
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct page *slab;

		list_for_each_entry(slab, &n->slabs_partial, slab_list)
			slab_set_cache(slab, s);
		list_for_each_entry(slab, &n->slabs_full, slab_list)
			slab_set_cache(slab, s);
		list_for_each_entry(slab, &n->slabs_free, slab_list)
			slab_set_cache(slab, s);
	}
	kmem_cache = s;
	list_add(&s->list, &slab_caches);
	return 0;
fail:
	pr_err("umm: slab: cannot bootstrap the kmem_cache cache\n");
	return -ENOMEM;
}

/* kmem_cache_init_late(): kmalloc works, every boot cache gets its arrays. */
void slab_kmem_cache_init_late(void)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		if (enable_cpucache(s))
			pr_err("umm: slab: enable_cpucache failed for %s\n", s->name);
}

/* umm_shutdown(): every cache's host memory goes, its slabs with umm's memory. */
void slab_shutdown(void)
{
	struct kmem_cache *s;

	if (slab_classic) {
		list_for_each_entry(s, &slab_caches, list) {
			free_kmem_cache_cpus(s->cpu_area);
			s->cpu_area = NULL;
			host_free(s->node_area, PAGE_ALIGN(sizeof(struct kmem_cache_node) *
							   (size_t)nr_online_nodes));
			s->node_area = NULL;
		}
	}
	if (reap_cpu)
		host_free(reap_cpu, PAGE_ALIGN(sizeof(*reap_cpu) * nr_cpu_ids));
	reap_cpu = NULL;
	slab_max_order = SLAB_MAX_ORDER_LO;
	slab_max_order_set = false;
	slab_show_stats = false;
}

/* ---- /proc/slabinfo ---- */

void slab_get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long total_slabs = 0, free_slabs = 0, free_objs = 0, shared_avail = 0;

	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		spin_lock(&n->list_lock);
		total_slabs += n->total_slabs;
		free_slabs += n->free_slabs;
		free_objs += n->free_objects;
		if (n->shared)
			shared_avail += n->shared->avail;
		spin_unlock(&n->list_lock);
	}
	memset(sinfo, 0, sizeof(*sinfo));
	sinfo->num_objs = total_slabs * s->num;
	sinfo->active_slabs = total_slabs - free_slabs;
	sinfo->active_objs = sinfo->num_objs - free_objs;
	sinfo->num_slabs = total_slabs;
	sinfo->shared_avail = shared_avail;
	sinfo->limit = s->limit;
	sinfo->batchcount = s->batchcount;
	sinfo->shared = s->shared;
	sinfo->objects_per_slab = s->num;
	sinfo->cache_order = s->gfporder;
}

/* CONFIG_DEBUG_SLAB's columns (umm.slab_stats=1). */
__slub_racy_reader void slabinfo_show_stats(struct seq_file *m, struct kmem_cache *s)
{
	unsigned long allochit = 0, allocmiss = 0, freehit = 0, freemiss = 0;

	seq_printf(m, " : globalstat %7lu %6lu %5lu %4lu %4lu %4lu %4lu %4lu %4lu",
		   data_race_read(s->num_allocations), data_race_read(s->high_mark),
		   data_race_read(s->grown), data_race_read(s->reaped),
		   data_race_read(s->errors), data_race_read(s->max_freeable),
		   data_race_read(s->node_allocs), data_race_read(s->node_frees),
		   data_race_read(s->node_overflow));
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct array_cache *ac = cpu_cache_at(s, cpu);

		allochit += data_race_read(ac->allochit);
		allocmiss += data_race_read(ac->allocmiss);
		freehit += data_race_read(ac->freehit);
		freemiss += data_race_read(ac->freemiss);
	}
	seq_printf(m, " : cpustat %6lu %6lu %6lu %6lu", allochit, allocmiss, freehit, freemiss);
}

/*
 * slabinfo_write(): "NAME LIMIT BATCHCOUNT SHARED".  -EINVAL for a
 * malformed line or an unknown cache; tunables the kernel refuses
 * (limit or batchcount below 1, batchcount above limit, shared below 0)
 * are ignored and the write succeeds, as there.
 */
#define MAX_SLABINFO_WRITE 128
ssize_t slabinfo_write(const char *buf, size_t count)
{
	char kbuf[MAX_SLABINFO_WRITE + 1], *tmp, extra;
	int limit, batchcount, shared;
	struct kmem_cache *s;
	ssize_t res;

	if (count > MAX_SLABINFO_WRITE)
		return -EINVAL;
	memcpy(kbuf, buf, count);
	kbuf[count] = '\0';
	tmp = strchr(kbuf, ' ');
	if (!tmp)
		return -EINVAL;
	*tmp++ = '\0';
	if (sscanf(tmp, " %d %d %d %c", &limit, &batchcount, &shared, &extra) != 3)
		return -EINVAL;
	mutex_lock(&slab_mutex);
	res = -EINVAL;
	list_for_each_entry(s, &slab_caches, list) {
		if (strcmp(s->name, kbuf))
			continue;
		if (limit < 1 || batchcount < 1 || batchcount > limit || shared < 0)
			res = 0;
		else
			res = do_tune_cpucache(s, (unsigned int)limit, (unsigned int)batchcount,
					       (unsigned int)shared);
		break;
	}
	mutex_unlock(&slab_mutex);
	return res >= 0 ? (ssize_t)count : res;
}

/* ---- umm_slab_describe() ---- */

static const char *freelist_place(const struct kmem_cache *s)
{
	if (OBJFREELIST_SLAB(s))
		return "in a free object (OBJFREELIST_SLAB)";
	if (OFF_SLAB(s))
		return "off the slab (OFF_SLAB)";
	return "on the slab, after the objects";
}

static void describe_array(struct seq_file *m, const char *what, struct array_cache *ac)
{
	seq_printf(m, "%s: %u of %u objects (batchcount %u%s)\n", what, ac->avail, ac->limit,
		   ac->batchcount == 0xbaadf00d ? 0 : ac->batchcount,
		   ac->touched ? ", touched" : "");
}

/* slab_mutex held. */
void slab_describe(struct seq_file *m, struct kmem_cache *s)
{
	size_t slab_bytes = PAGE_SIZE << s->gfporder;
	size_t used = (size_t)s->num * s->size +
		      (!OBJFREELIST_SLAB(s) && !OFF_SLAB(s) ? s->freelist_size : 0);
	unsigned int cur = smp_processor_id();
	char what[64];

	seq_printf(m, "allocator: SLAB (mm/slab.c)\n");
	seq_printf(m, "object size: %u, slot: %u bytes (align %u, red zone offset %d)\n",
		   s->object_size, s->size, s->align, s->obj_offset);
	seq_printf(m, "slab: %lu page(s) (order %u), %u objects\n", 1UL << s->gfporder,
		   s->gfporder, s->num);
	seq_printf(m, "freelist: %u bytes (%zu-byte freelist_idx_t), %s\n", s->freelist_size,
		   sizeof(freelist_idx_t), freelist_place(s));
	seq_printf(m, "wasted per slab: %zu bytes\n", slab_bytes - used);
	spin_lock(&get_node(s, 0)->list_lock);
	seq_printf(m, "colour: %u offsets of %u bytes; next slab on node 0 at colour %u\n",
		   s->colour, s->colour_off,
		   s->colour ? (get_node(s, 0)->colour_next + 1) % s->colour : 0);
	spin_unlock(&get_node(s, 0)->list_lock);
	seq_printf(m, "tunables: limit %u batchcount %u shared %u\n", s->limit, s->batchcount,
		   s->shared);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct array_cache *ac = cpu_cache_at(s, cpu);

		spin_lock(&ac->lock);
		if (ac->avail || cpu == cur) {
			snprintf(what, sizeof(what), "cpu %u array", cpu);
			describe_array(m, what, ac);
		}
		spin_unlock(&ac->lock);
	}
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned long full = 0, partial = 0;
		struct page *slab;

		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->slabs_full, slab_list)
			full++;
		list_for_each_entry(slab, &n->slabs_partial, slab_list)
			partial++;
		seq_printf(m, "node %d: slabs %lu full, %lu partial, %lu free; free objects %lu,"
			   " free_limit %u\n", node, full, partial, n->free_slabs, n->free_objects,
			   n->free_limit);
		if (n->shared) {
			snprintf(what, sizeof(what), "node %d shared array", node);
			describe_array(m, what, n->shared);
		}
		spin_unlock(&n->list_lock);
		for (int i = 0; n->alien && i < nr_online_nodes; i++) {
			if (!n->alien[i])
				continue;
			spin_lock(&n->alien[i]->lock);
			snprintf(what, sizeof(what), "node %d alien cache for node %d", node, i);
			describe_array(m, what, n->alien[i]);
			spin_unlock(&n->alien[i]->lock);
		}
	}
}

/* ---- checking ---- */

#define check(cond, ...)						\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("umm_slab_check: " __VA_ARGS__);		\
			return -EUCLEAN;				\
		}							\
	} while (0)

/* One slab: its struct, its freelist, and the list it is on. */
static int check_one_slab(struct kmem_cache *s, struct page *slab, int node,
			  unsigned int lo, unsigned int hi, unsigned long *nfree)
{
	unsigned char seen[SLAB_OBJ_MAX_NUM / 8 + 1];

	check(PageSlab(slab) && slab->slab_cache == s, "%s: slab %p is not one of its slabs\n",
	      s->name, slab_address(slab));
	check(!slab_tails_bad(slab, s, -1), "%s: slab %p: tail page %lu lost its copies\n",
	      s->name, slab_address(slab), slab_tails_bad(slab, s, -1));
	check(slab_nid(slab) == node, "%s: slab %p of node %d is on node %d's lists\n", s->name,
	      slab_address(slab), slab_nid(slab), node);
	check(slab->active >= lo && slab->active <= hi,
	      "%s: slab %p with %u active of %u is on the wrong list\n", s->name,
	      slab_address(slab), slab->active, s->num);
	check(slab->s_mem >= slab_address(slab) &&
	      (char *)slab->s_mem + (size_t)s->num * s->size <=
	      (char *)slab_address(slab) + (PAGE_SIZE << s->gfporder),
	      "%s: slab %p objects overrun the slab\n", s->name, slab_address(slab));
	check(slab->freelist || (OBJFREELIST_SLAB(s) && slab->active == s->num),
	      "%s: slab %p has no freelist\n", s->name, slab_address(slab));
	memset(seen, 0, sizeof(seen));
	for (unsigned int i = slab->active; i < s->num; i++) {
		unsigned int idx = get_free_obj(slab, i);

		check(idx < s->num, "%s: slab %p freelist[%u] = %u\n", s->name,
		      slab_address(slab), i, idx);
		check(!(seen[idx / 8] & (1U << (idx % 8))), "%s: slab %p frees object %u twice\n",
		      s->name, slab_address(slab), idx);
		seen[idx / 8] |= (unsigned char)(1U << (idx % 8));
	}
	*nfree += s->num - slab->active;
	return 0;
}

static int check_node_lists(struct kmem_cache *s, int node)
{
	struct kmem_cache_node *n = get_node(s, node);
	unsigned long nslabs = 0, nfree_slabs = 0, nfree = 0;
	struct page *slab;
	int err = 0;

	list_for_each_entry(slab, &n->slabs_full, slab_list) {
		nslabs++;
		err = err ? err : check_one_slab(s, slab, node, s->num, s->num, &nfree);
	}
	list_for_each_entry(slab, &n->slabs_partial, slab_list) {
		nslabs++;
		err = err ? err : check_one_slab(s, slab, node, 1, s->num - 1, &nfree);
	}
	list_for_each_entry(slab, &n->slabs_free, slab_list) {
		nslabs++;
		nfree_slabs++;
		err = err ? err : check_one_slab(s, slab, node, 0, 0, &nfree);
	}
	if (err)
		return err;
	check(nslabs == n->total_slabs && nfree_slabs == n->free_slabs,
	      "%s: node %d lists %lu slabs (%lu free), counted %lu (%lu)\n", s->name, node,
	      nslabs, nfree_slabs, n->total_slabs, n->free_slabs);
	check(nfree == n->free_objects, "%s: node %d has %lu free objects, counted %lu\n",
	      s->name, node, nfree, n->free_objects);
	return 0;
}

/* An array's objects: this cache's slots, active in their slabs, each once. */
static int check_array(struct kmem_cache *s, struct array_cache *ac, const char *what,
		       void **seen, unsigned int *nseen, unsigned int max)
{
	check(ac->avail <= ac->limit, "%s: %s array holds %u of %u\n", s->name, what, ac->avail,
	      ac->limit);
	for (unsigned int i = 0; i < ac->avail; i++) {
		void *slot = ac->entry[i];
		struct page *slab = virt_to_slab(slot);
		unsigned int idx;

		check(slab && slab->slab_cache == s, "%s: %s array holds %p, not its object\n",
		      s->name, what, slot);
		idx = obj_to_index(s, slab, slot);
		check(idx < s->num && index_to_obj(s, slab, idx) == slot &&
		      !slab_obj_free(s, slab, idx),
		      "%s: %s array holds %p, no allocated object\n", s->name, what, slot);
		for (unsigned int j = 0; j < *nseen; j++)
			check(seen[j] != slot, "%s: object %p is in two arrays\n", s->name, slot);
		if (*nseen < max)
			seen[(*nseen)++] = slot;
	}
	return 0;
}

/* A CPU's array holds objects of its own node only (remote frees go alien). */
static int check_array_node(struct kmem_cache *s, struct array_cache *ac, unsigned int cpu)
{
	for (unsigned int i = 0; i < ac->avail; i++)
		check(slab_nid(virt_to_slab(ac->entry[i])) == cpu_to_node(cpu),
		      "%s: cpu %u's array holds %p of another node\n", s->name, cpu, ac->entry[i]);
	return 0;
}

static void lock_all_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < nr_online_nodes; node++)
		spin_lock(&get_node(s, node)->list_lock);
}

static void unlock_all_nodes(struct kmem_cache *s)
{
	for (int node = nr_online_nodes - 1; node >= 0; node--)
		spin_unlock(&get_node(s, node)->list_lock);
}

/*
 * Each array under its own lock and every node's list lock (their
 * order), so that no object moves between it and its slab meanwhile.
 */
static int check_cache_arrays(struct kmem_cache *s, void **seen, unsigned int max)
{
	unsigned int nseen = 0;
	int err = 0;

	for (unsigned int cpu = 0; cpu < nr_cpu_ids && !err; cpu++) {
		struct array_cache *ac = cpu_cache_at(s, cpu);

		spin_lock(&ac->lock);
		lock_all_nodes(s);
		err = check_array(s, ac, "per-CPU", seen, &nseen, max);
		if (!err)
			err = check_array_node(s, ac, cpu);
		unlock_all_nodes(s);
		spin_unlock(&ac->lock);
	}
	for (int node = 0; node < nr_online_nodes && !err; node++) {
		struct kmem_cache_node *n = get_node(s, node);

		for (int i = 0; n->alien && i < nr_online_nodes && !err; i++) {
			if (!n->alien[i])
				continue;
			spin_lock(&n->alien[i]->lock);
			lock_all_nodes(s);
			err = check_array(s, n->alien[i], "alien", seen, &nseen, max);
			unlock_all_nodes(s);
			spin_unlock(&n->alien[i]->lock);
		}
		lock_all_nodes(s);
		if (n->shared && !err)
			err = check_array(s, n->shared, "shared", seen, &nseen, max);
		unlock_all_nodes(s);
	}
	return err;
}

/*
 * slab_check(): every invariant of the head comment, for every cache.
 * The list locks of all nodes are held while the arrays are checked,
 * so that no object moves between an array and its slab meanwhile.
 */
int slab_classic_check(void)
{
	enum { MAX_SEEN = 1 << 16 };
	void **seen = host_alloc(MAX_SEEN * sizeof(void *));
	struct kmem_cache *s;
	int err = 0;

	if (!seen)
		return -ENOMEM;
	umm_gate_enter();
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		lock_all_nodes(s);
		for (int node = 0; node < nr_online_nodes && !err; node++)
			err = check_node_lists(s, node);
		/* Array locks nest outside list locks: the arrays after. */
		unlock_all_nodes(s);
		if (!err)
			err = check_cache_arrays(s, seen, MAX_SEEN);
		if (err) {
			pr_err("umm_slab_check: cache %s is inconsistent\n", s->name);
			break;
		}
	}
	mutex_unlock(&slab_mutex);
	umm_gate_exit();
	host_free(seen, MAX_SEEN * sizeof(void *));
	return err;
}

/*
 * kmem_cache_validate() for a SLAB cache: the structure as
 * slab_classic_check() sees it, and for a debug cache the red zones and
 * poison of every object free in its slabs; the number of problems.
 */
int slab_classic_validate(struct kmem_cache *s)
{
	int problems = 0;

	umm_gate_enter();
	for (int node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		struct list_head *lists[] = { &n->slabs_partial, &n->slabs_free };

		spin_lock(&n->list_lock);
		problems += check_node_lists(s, node) != 0;
		for (unsigned int l = 0; l < ARRAY_SIZE(lists); l++) {
			struct page *slab;

			list_for_each_entry(slab, lists[l], slab_list) {
				for (unsigned int i = slab->active;
				     (s->flags & SLAB_DEBUG_CHECKS) && i < s->num; i++) {
					void *slot = index_to_obj(s, slab, get_free_obj(slab, i));

					if (OBJFREELIST_SLAB(s) &&
					    (char *)slot + s->obj_offset == slab->freelist)
						continue;
					if ((s->flags & SLAB_RED_ZONE) &&
					    (*dbg_redzone1(s, slot) != RED_INACTIVE ||
					     *dbg_redzone2(s, slot) != RED_INACTIVE)) {
						slab_error(s, "kmem_cache_validate",
							   "memory outside object was overwritten");
						print_redzones(s, slot);
						problems++;
					}
					if (s->flags & SLAB_POISON)
						problems += check_poison_obj(s, slot) != 0;
				}
			}
		}
		spin_unlock(&n->list_lock);
	}
	umm_gate_exit();
	return problems;
}
