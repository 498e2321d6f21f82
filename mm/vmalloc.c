// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc.c - virtually contiguous memory from non-contiguous frames
 * (mm/vmalloc.c).
 *
 * Owns: the vmalloc area [VMALLOC_START, VMALLOC_END), a host reservation
 * made at boot (vmalloc=); every struct vmap_area and vm_struct; the busy,
 * free and purge trees; the lazily freed page count; NR_VMALLOC; the
 * vmap_area slab cache (vmap_area_cachep).  vm_structs and page arrays
 * are kmalloc()ed, as in the kernel.
 *
 * Design, as in the kernel:
 *  - A vmap_area is a range of the vmalloc area.  It lives in exactly one
 *    of three address-sorted rb-trees:
 *      busy   (vmap_area_root): handed out; va->vm is its vm_struct;
 *      free   (free_vmap_area_root + free_vmap_area_list): augmented with
 *             subtree_max_size, the largest free range below each node, so
 *             find_vmap_lowest_match() finds the lowest-address fit in
 *             O(log n); the sorted list gives merge neighbours in O(1);
 *      purge  (purge_vmap_area_root): freed, unmapped, not yet reusable.
 *  - Allocation splits a free area by how the request sits in it:
 *      FL_FIT  |<-- va -->|       the request is the whole area
 *              |<-- rq -->|
 *      LE_FIT  |<-- va ------>|   left edge: va shrinks from the left
 *              |<-rq->|
 *      RE_FIT  |<------ va -->|   right edge: va shrinks from the right
 *                  |<-rq->|
 *      NE_FIT  |<--- va --->|     neither edge: the left rest becomes a
 *              |lva|<rq>|va |     new area (lva) in front of va
 *  - Every area is followed by an unmapped guard page (VM_NO_GUARD: none);
 *    vm_struct->size counts it, as /proc/vmallocinfo shows.
 *  - vfree() unmaps at once and frees the frames, then puts the range on
 *    the purge tree; __purge_vmap_area_lazy() merges the whole batch into
 *    the free tree when more than lazy_max_pages() are pending, or when an
 *    allocation finds no room (then it retries once).
 *
 * Invariants (umm_vmalloc_check()):
 *  - Busy, free and purge areas are page aligned, non-empty, sorted,
 *    non-overlapping, inside the vmalloc area, and together cover it
 *    exactly: every address is in exactly one area of one tree, at every
 *    moment a checker can see (see "Transitions" below).
 *  - No two free areas touch (they would have been merged); every free
 *    node's subtree_max_size is the largest va_size() of its subtree; the
 *    free list is the free tree in order.
 *  - A busy area's vm_struct has addr == va_start, size == va_end -
 *    va_start, and maps size / PAGE_SIZE - 1 pages (no -1 with
 *    VM_NO_GUARD).  A VM_ALLOC area that is not VM_UNINITIALIZED holds
 *    exactly that many pages; vmalloc_nr_pages() (sum of NR_VMALLOC) is
 *    the sum of their nr_pages, per node when no area is being freed.
 *  - vmap_lazy_nr is the number of pages in the purge tree.
 *
 * Transitions.  A range must never be in no tree while another thread
 * could look, or the checker could not tell a lost range from one in
 * flight.  So each move between trees happens under both trees' locks,
 * and work that cannot hold a spinlock (mmap, freeing frames) is done
 * while the area stays busy:
 *  - alloc: free -> busy under vmap_area_lock + free_vmap_area_lock; the
 *    area is VM_UNINITIALIZED (invisible to lookups and vmallocinfo) until
 *    its frames are mapped, then published under vmap_area_lock together
 *    with its NR_VMALLOC count.
 *  - free: marked VMAP_DYING under vmap_area_lock (lookups no longer see
 *    it), unmapped, frames freed, then busy -> purge under vmap_area_lock
 *    + purge_vmap_area_lock, where NR_VMALLOC drops.
 *  - purge: the batch is detached from the purge tree and merged into the
 *    free tree with vmap_purge_lock held, which the checker also takes.
 *
 * Lock order: vmap_purge_lock (a mutex) -> vmap_area_lock ->
 * purge_vmap_area_lock -> free_vmap_area_lock -> SLUB's locks (a
 * kmem_cache_free() of a vmap_area, which may free a slab page: zone
 * locks).  Nothing is allocated under a vmalloc lock (a spare area for
 * NE_FIT is allocated outside them and the call retried), and neither
 * SLUB nor the page allocator ever calls into vmalloc, so the order is
 * never reversed.  Boot follows it too: SLUB is up before vmalloc_init()
 * (mm/mm_init.c), which makes the cache and the first free area.
 *
 * User-space differences (and why):
 *  - With umm.backing=anon (the malloc front end's choice, for fork())
 *    there is no memfd: an area is anonymous host memory at its vmalloc
 *    address, its frames are allocated and accounted as usual but are not
 *    aliases of it (page_address(vmalloc_to_page(a)) shows other bytes).
 *  - Page tables are the host's: "mapping a frame" is mmap(MAP_FIXED) of
 *    the frame's page of the physical-memory memfd at its vmalloc address
 *    (host_map_frames), so the same frame is visible through the direct
 *    map.  Each mmap is a host VMA and the host allows vm.max_map_count
 *    (65530) of them, so a run of physically contiguous frames is mapped
 *    with one call.  Unmapping turns the range back into a PROT_NONE
 *    reservation (host_rereserve), which the host merges with its
 *    neighbours.
 *    To keep runs long, vfree() frees the frames last to first (the pcp
 *    lists are LIFO, so they come back ascending), and a scattered page
 *    array is sorted by PFN before it is mapped; the kernel needs
 *    neither, since a PTE costs the same wherever its frame is.
 *  - The kernel unmaps at vfree() but defers the TLB flush to the purge,
 *    so a stale TLB entry may still reach the old frames until then.  The
 *    host flushes inside munmap/mmap, so umm's "flush" happens at vfree()
 *    for safety: a use after vfree() faults at once instead of writing a
 *    frame that may already belong to someone else.  What the laziness
 *    still buys: freed ranges merge into the free tree in batches (one
 *    lock hold for many areas instead of one per vfree()), and a freed
 *    range is not handed out again at once, so a stale pointer keeps
 *    faulting for a while instead of hitting a new allocation.
 *  - No workqueue: the purge that the kernel schedules on a kworker runs
 *    in the freeing thread (trylock: one purger at a time, others go on).
 *  - (As in the kernel, not a difference: page arrays up to a page are
 *    kmalloc()ed, larger ones vmalloc()ed themselves, " vpages" in
 *    /proc/vmallocinfo; see __vmalloc_area_node().)
 *  - No page tables to walk: vmalloc_to_page() reads vm->pages, so vmap()
 *    keeps its own copy of the caller's page array (vm->pages; nr_pages
 *    stays 0 unless VM_MAP_PUT_PAGES, as in the kernel's vmallocinfo).
 *    With VM_MAP_PUT_PAGES, vfree() frees the pages but not the caller's
 *    array, which stays the caller's (umm has no kvfree() to call).
 *  - The NE_FIT spare area is allocated on demand (retry) rather than
 *    preloaded per CPU; with PAGE_SIZE alignment NE_FIT never happens.
 *  - find_vmap_lowest_match() with align > PAGE_SIZE searches for
 *    size + align - 1 as the kernel does, then falls back to an exact
 *    search (size, checking each candidate's alignment) before giving up.
 *  - Frames are allocated with __GFP_HIGHMEM (and __GFP_NOWARN), as the
 *    kernel does; so, as in the kernel, fail_page_alloc skips them unless
 *    fail_page_alloc.ignore-gfp-highmem=0.
 *  - vfree()/vunmap() want the exact start address; the kernel also
 *    accepts any address inside the area.
 *  - The "exceeds total pages" limit is the most memory umm may ever have
 *    (umm.max_mem), since umm hot-adds memory on demand.
 *  - vmalloc_to_pfn() of an address without a page returns ~0UL, an
 *    invalid PFN (the kernel's is undefined).
 *  - %pS is resolved by lib/kallsyms.c (dladdr1() and, for static or
 *    hidden functions, the object's ELF .symtab).
 *  - Not modelled: huge vmap (VM_ALLOW_HUGE_VMAP is accepted, page_order
 *    stays 0), per-node vmap_nodes, vmap blocks and vm_map_ram, KASAN.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <umm/rbtree_augmented.h>
#include <umm/slab.h>
#include <umm/vmalloc.h>
#include "internal.h"

unsigned long umm_vmalloc_start;
unsigned long umm_vmalloc_end;

#define VMALLOC_ALIGN		(1UL << 21)	/* PMD_SIZE */
#define NUMA_NO_NODE		(-1)
#define GFP_VMALLOC32		(GFP_DMA32 | GFP_KERNEL)
#define GFP_RECLAIM_MASK	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
				 __GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | \
				 __GFP_NORETRY | __GFP_MEMALLOC | __GFP_NOMEMALLOC)

/* vmap_area->flags */
#define VMAP_DYING		0x1	/* busy, being freed: lookups skip it */

#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)

struct vmap_area {
	unsigned long va_start;
	unsigned long va_end;
	struct rb_node rb_node;		/* in the busy, free or purge tree */
	struct list_head list;		/* free_vmap_area_list, address order */
	union {
		unsigned long subtree_max_size;	/* free tree */
		struct vm_struct *vm;		/* busy tree */
	};
	unsigned long flags;		/* VMAP_* */
};

/* vmap_area objects: the kernel's vmap_area_cachep, made by vmalloc_init(). */
static struct kmem_cache *vmap_area_cachep;

/* ---- page arrays: kmalloc, or vmalloc itself (" vpages") ---- */

static void *__vmalloc_node_range(unsigned long size, unsigned long align, gfp_t gfp_mask,
				  pgprot_t prot, unsigned long vm_flags, int node,
				  const void *caller);

/*
 * __vmalloc_area_node()'s array: kmalloc up to a page, vmalloc above (the
 * recursion is bounded: each level needs 512 times fewer bytes).
 */
static struct page **alloc_page_array(unsigned long nr, gfp_t gfp, int node,
				      const void *caller)
{
	size_t bytes = nr * sizeof(struct page *);

	if (bytes <= PAGE_SIZE)
		return kmalloc_node(bytes, (gfp & GFP_RECLAIM_MASK) | __GFP_ZERO, node);
	return __vmalloc_node_range(bytes, 1, gfp | __GFP_ZERO, PAGE_KERNEL, 0, node,
				    caller);
}

static void free_page_array(struct page **pages)
{
	if (is_vmalloc_addr(pages))
		vfree(pages);
	else
		kfree(pages);
}

/* ---- the trees ---- */

static DEFINE_SPINLOCK(vmap_area_lock);		/* busy tree, vm publication */
static DEFINE_SPINLOCK(purge_vmap_area_lock);	/* purge tree, vmap_lazy_nr */
static DEFINE_SPINLOCK(free_vmap_area_lock);	/* free tree and list */
static DEFINE_MUTEX(vmap_purge_lock);

static struct rb_root vmap_area_root = RB_ROOT;
static struct rb_root purge_vmap_area_root = RB_ROOT;
static struct rb_root free_vmap_area_root = RB_ROOT;
static LIST_HEAD(free_vmap_area_list);
static unsigned long vmap_lazy_nr;		/* pages in the purge tree (atomic reads) */


static inline unsigned long va_size(struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

RB_DECLARE_CALLBACKS_MAX(static, free_vmap_area_rb_augment_cb,
			 struct vmap_area, rb_node, unsigned long, subtree_max_size, va_size)

static inline void augment_tree_propagate_from(struct vmap_area *va)
{
	free_vmap_area_rb_augment_cb_propagate(&va->rb_node, NULL);
}

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

static inline int fls(unsigned int x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/*
 * Where @va goes in a tree sorted by address: the link to fill and its
 * parent.  NULL if @va overlaps an area already there (a bug: say so).
 */
static struct rb_node **find_va_links(struct vmap_area *va, struct rb_root *root,
				      struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node;

	*parent = NULL;
	while (*link) {
		struct vmap_area *tmp = rb_entry(*link, struct vmap_area, rb_node);

		*parent = *link;
		if (va->va_end <= tmp->va_start) {
			link = &(*link)->rb_left;
		} else if (va->va_start >= tmp->va_end) {
			link = &(*link)->rb_right;
		} else {
			pr_err("umm: vmalloc: area [%#lx, %#lx) overlaps [%#lx, %#lx)\n",
			       va->va_start, va->va_end, tmp->va_start, tmp->va_end);
			return NULL;
		}
	}
	return link;
}

/* Busy and purge trees: plain. */
static void insert_vmap_area(struct vmap_area *va, struct rb_root *root)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);

	if (unlikely(!link))
		return;
	rb_link_node(&va->rb_node, parent, link);
	rb_insert_color(&va->rb_node, root);
}

/*
 * Free tree: augmented, and the list follows the tree's order.  A leaf
 * linked left of its parent comes right before it in address order, one
 * linked right comes right after it.
 */
static void link_va_augment(struct vmap_area *va, struct rb_root *root,
			    struct list_head *head, struct rb_node *parent,
			    struct rb_node **link)
{
	va->subtree_max_size = va_size(va);
	rb_link_node(&va->rb_node, parent, link);
	if (parent) {
		struct vmap_area *p = rb_entry(parent, struct vmap_area, rb_node);

		/* The ancestors must account for @va before rebalancing. */
		free_vmap_area_rb_augment_cb_propagate(parent, NULL);
		if (link == &parent->rb_left)
			list_add_tail(&va->list, &p->list);
		else
			list_add(&va->list, &p->list);
	} else {
		list_add(&va->list, head);
	}
	rb_insert_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
}

static void insert_vmap_area_augment(struct vmap_area *va, struct rb_root *root,
				     struct list_head *head)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);

	if (likely(link))
		link_va_augment(va, root, head, parent, link);
}

static void unlink_va_augment(struct vmap_area *va, struct rb_root *root)
{
	rb_erase_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
	list_del(&va->list);
}

/*
 * Give @va back to the free tree, merging it with the free areas that end
 * where it starts and start where it ends:
 *
 *   prev   va    next          prev+va+next
 *   [---)[----)[----)    ->    [-----------)
 *
 * The surviving object is returned; the others go back to vmap_area_cachep.
 */
static struct vmap_area *merge_or_add_vmap_area_augment(struct vmap_area *va,
							struct rb_root *root,
							struct list_head *head)
{
	struct rb_node *parent, **link = find_va_links(va, root, &parent);
	struct list_head *next_pos, *prev_pos;
	struct vmap_area *sibling;
	bool merged = false;

	if (unlikely(!link))
		return NULL;	/* overlap reported; leak rather than corrupt */
	if (!parent)
		next_pos = head;
	else if (link == &parent->rb_right)
		next_pos = rb_entry(parent, struct vmap_area, rb_node)->list.next;
	else
		next_pos = &rb_entry(parent, struct vmap_area, rb_node)->list;
	prev_pos = next_pos->prev;

	if (next_pos != head) {
		sibling = list_entry(next_pos, struct vmap_area, list);
		if (sibling->va_start == va->va_end) {
			sibling->va_start = va->va_start;
			kmem_cache_free(vmap_area_cachep, va);
			va = sibling;
			merged = true;
		}
	}
	if (prev_pos != head) {
		sibling = list_entry(prev_pos, struct vmap_area, list);
		if (sibling->va_end == va->va_start) {
			/* The grown next area, if any, is absorbed by prev. */
			if (merged)
				unlink_va_augment(va, root);
			sibling->va_end = va->va_end;
			kmem_cache_free(vmap_area_cachep, va);
			va = sibling;
			merged = true;
		}
	}
	if (merged)
		augment_tree_propagate_from(va);
	else
		link_va_augment(va, root, head, parent, link);
	return va;
}

/* Does [size, aligned to align, not below vstart] fit in @va? */
static inline bool is_within_this_va(struct vmap_area *va, unsigned long size,
				     unsigned long align, unsigned long vstart)
{
	unsigned long nva_start = max(va->va_start, vstart);

	if (nva_start > ULONG_MAX - (align - 1))
		return false;
	nva_start = ALIGN(nva_start, align);
	if (nva_start + size < nva_start)
		return false;
	return nva_start + size <= va->va_end;
}

/*
 * The lowest-address free area that can hold the request.  A subtree whose
 * subtree_max_size is below @length holds no candidate and is skipped; the
 * left subtree (lower addresses) is tried first, then the node, then the
 * right subtree.  With @length >= size + align - 1 any area at least that
 * large fits, so only the subtrees that straddle vstart can send the walk
 * back up: O(log n).  With @length == size the answer is exact even for
 * large alignments, at the price of visiting areas that fail to align.
 */
static struct vmap_area *find_vmap_lowest_match(struct rb_node *node, unsigned long size,
						unsigned long align, unsigned long vstart,
						unsigned long length)
{
	while (node) {
		struct vmap_area *va = rb_entry(node, struct vmap_area, rb_node);

		if (va->subtree_max_size < length)
			return NULL;
		/* Left areas end before va starts: useless unless vstart is below. */
		if (node->rb_left && vstart < va->va_start) {
			struct vmap_area *found = find_vmap_lowest_match(node->rb_left, size,
									 align, vstart, length);
			if (found)
				return found;
		}
		if (is_within_this_va(va, size, align, vstart))
			return va;
		node = node->rb_right;
	}
	return NULL;
}

enum fit_type {
	NOTHING_FIT,
	FL_FIT_TYPE,	/* full fit */
	LE_FIT_TYPE,	/* left edge fit */
	RE_FIT_TYPE,	/* right edge fit */
	NE_FIT_TYPE,	/* no edge fit */
};

static enum fit_type classify_va_fit_type(struct vmap_area *va, unsigned long nva_start,
					  unsigned long size)
{
	if (nva_start < va->va_start || nva_start + size > va->va_end)
		return NOTHING_FIT;
	if (va->va_start == nva_start)
		return va->va_end == nva_start + size ? FL_FIT_TYPE : LE_FIT_TYPE;
	if (va->va_end == nva_start + size)
		return RE_FIT_TYPE;
	return NE_FIT_TYPE;
}

/*
 * Carve [nva_start, nva_start + size) out of the free area @va.  NE_FIT
 * needs a second object, *@spare (taken, set to NULL); without one it
 * returns -EAGAIN and changes nothing.
 */
static int adjust_va_to_fit_type(struct rb_root *root, struct list_head *head,
				 struct vmap_area *va, unsigned long nva_start,
				 unsigned long size, struct vmap_area **spare)
{
	struct vmap_area *lva;

	switch (classify_va_fit_type(va, nva_start, size)) {
	case FL_FIT_TYPE:
		unlink_va_augment(va, root);
		kmem_cache_free(vmap_area_cachep, va);
		return 0;
	case LE_FIT_TYPE:
		va->va_start += size;
		break;
	case RE_FIT_TYPE:
		va->va_end = nva_start;
		break;
	case NE_FIT_TYPE:
		lva = *spare;
		if (!lva)
			return -EAGAIN;
		*spare = NULL;
		lva->va_start = va->va_start;
		lva->va_end = nva_start;
		va->va_start = nva_start + size;
		augment_tree_propagate_from(va);
		insert_vmap_area_augment(lva, root, head);
		return 0;
	default:
		return -EINVAL;
	}
	augment_tree_propagate_from(va);
	return 0;
}

/* free_vmap_area_lock held.  Returns the start, or a negative errno. */
static long __alloc_vmap_area(unsigned long size, unsigned long align,
			      unsigned long vstart, unsigned long vend,
			      struct vmap_area **spare)
{
	bool adjust = align > PAGE_SIZE && vend - vstart != size;
	struct rb_node *root = free_vmap_area_root.rb_node;
	struct vmap_area *va = NULL;
	unsigned long nva_start;
	int err;

	lockdep_assert_held(&free_vmap_area_lock);
	if (adjust && size <= ULONG_MAX - align)
		va = find_vmap_lowest_match(root, size, align, vstart, size + align - 1);
	if (!va)
		va = find_vmap_lowest_match(root, size, align, vstart, size);
	if (!va)
		return -ENOSPC;
	nva_start = ALIGN(max(va->va_start, vstart), align);
	if (nva_start + size > vend)
		return -ENOSPC;
	err = adjust_va_to_fit_type(&free_vmap_area_root, &free_vmap_area_list, va,
				    nva_start, size, spare);
	if (err)
		return err;
	return (long)nva_start;
}

static unsigned long lazy_max_pages(void)
{
	return (unsigned long)fls(nr_cpu_ids) * (32UL * 1024 * 1024 / PAGE_SIZE);
}

/*
 * Merge every lazily freed area into the free tree, in one batch.
 * vmap_purge_lock held, so the checker never sees the batch in flight.
 */
static bool __purge_vmap_area_lazy(void)
{
	struct vmap_area *va, *n;
	struct rb_root local;

	lockdep_assert_held(&vmap_purge_lock);
	spin_lock(&purge_vmap_area_lock);
	local = purge_vmap_area_root;
	purge_vmap_area_root = RB_ROOT;
	__atomic_store_n(&vmap_lazy_nr, 0, __ATOMIC_RELAXED);
	spin_unlock(&purge_vmap_area_lock);
	if (RB_EMPTY_ROOT(&local))
		return false;

	/*
	 * A post-order walk visits children before their parent and reads a
	 * node's links only before its body runs, so each node can be moved
	 * into the free tree as it is visited.
	 */
	spin_lock(&free_vmap_area_lock);
	rbtree_postorder_for_each_entry_safe(va, n, &local, rb_node) {
		va->flags = 0;
		merge_or_add_vmap_area_augment(va, &free_vmap_area_root,
					       &free_vmap_area_list);
	}
	spin_unlock(&free_vmap_area_lock);
	return true;
}

static void purge_vmap_area_lazy(void)
{
	mutex_lock(&vmap_purge_lock);
	__purge_vmap_area_lazy();
	mutex_unlock(&vmap_purge_lock);
}

/* The kernel schedules drain_vmap_work; umm purges here unless someone is. */
static void try_purge_vmap_area_lazy(void)
{
	if (mutex_trylock(&vmap_purge_lock)) {
		__purge_vmap_area_lazy();
		mutex_unlock(&vmap_purge_lock);
	}
}

/* warn_alloc()'s ratelimit: 10 messages per 5 seconds. */
static bool vmalloc_ratelimit(void)
{
	static DEFINE_SPINLOCK(lock);
	static time_t begin;
	static int printed;
	struct timespec ts;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	spin_lock(&lock);
	if (ts.tv_sec - begin >= 5) {
		begin = ts.tv_sec;
		printed = 0;
	}
	ok = printed++ < 10;
	spin_unlock(&lock);
	return ok;
}

static __printf(2, 3) __cold void warn_alloc(gfp_t gfp_mask, const char *fmt, ...)
{
	char msg[256], flags[256];
	va_list ap;

	if ((gfp_mask & __GFP_NOWARN) || !vmalloc_ratelimit())
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	umm_format_gfp(flags, sizeof(flags), gfp_mask);
	pr_warn("umm: %s, mode:%#x(%s), nodemask=(null)\n", msg, gfp_mask, flags);
}

/*
 * Reserve a range of @size bytes for @vm (which gets addr and size) and
 * insert it into the busy tree.  Purges lazily freed areas and retries
 * once if there is no room.
 */
static struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align,
					 unsigned long vstart, unsigned long vend,
					 gfp_t gfp_mask, struct vm_struct *vm)
{
	struct vmap_area *va, *spare = NULL;
	bool purged = false;
	long addr;

	if (unlikely(!size || offset_in_page(size) || !is_power_of_2(align)))
		return ERR_PTR(-EINVAL);
	va = kmem_cache_zalloc(vmap_area_cachep, gfp_mask & GFP_RECLAIM_MASK);
	if (unlikely(!va))
		return ERR_PTR(-ENOMEM);
retry:
	spin_lock(&vmap_area_lock);
	spin_lock(&free_vmap_area_lock);
	addr = __alloc_vmap_area(size, align, vstart, vend, &spare);
	spin_unlock(&free_vmap_area_lock);
	if (likely(addr >= 0)) {
		va->va_start = (unsigned long)addr;
		va->va_end = (unsigned long)addr + size;
		va->vm = vm;
		vm->addr = (void *)va->va_start;
		vm->size = size;
		insert_vmap_area(va, &vmap_area_root);
		spin_unlock(&vmap_area_lock);
		if (spare)
			kmem_cache_free(vmap_area_cachep, spare);
		return va;
	}
	spin_unlock(&vmap_area_lock);

	if (addr == -EAGAIN) {
		/* NE_FIT needs a second area: get one outside the locks. */
		spare = kmem_cache_zalloc(vmap_area_cachep, gfp_mask & GFP_RECLAIM_MASK);
		if (spare)
			goto retry;
		kmem_cache_free(vmap_area_cachep, va);
		return ERR_PTR(-ENOMEM);
	}
	if (!purged) {
		purge_vmap_area_lazy();
		purged = true;
		goto retry;
	}
	if (!(gfp_mask & __GFP_NOWARN) && vmalloc_ratelimit())
		pr_warn("umm: vmalloc_node_range for size %lu failed: Address range restricted to %#lx - %#lx\n",
			size, vstart, vend);
	if (spare)
		kmem_cache_free(vmap_area_cachep, spare);
	kmem_cache_free(vmap_area_cachep, va);
	return ERR_PTR(-EBUSY);
}

/* The pages an area maps: all but the guard page. */
static inline unsigned long vm_area_nr_mapped(const struct vm_struct *vm)
{
	return (vm->size >> PAGE_SHIFT) - !(vm->flags & VM_NO_GUARD);
}

/*
 * A range and its vm_struct (va->vm), in the busy tree, VM_UNINITIALIZED: lookups
 * and /proc/vmallocinfo ignore it until publish_vm_area().
 */
static struct vmap_area *__get_vm_area_node(unsigned long size, unsigned long align,
					    unsigned long flags, gfp_t gfp_mask,
					    const void *caller)
{
	struct vm_struct *vm;
	struct vmap_area *va;

	size = PAGE_ALIGN(size);
	if (unlikely(!size))
		return NULL;
	if (!(flags & VM_NO_GUARD)) {
		if (size > ULONG_MAX - PAGE_SIZE)
			return NULL;
		size += PAGE_SIZE;
	}
	if (align < PAGE_SIZE)
		align = PAGE_SIZE;
	vm = kzalloc(sizeof(*vm), gfp_mask & GFP_RECLAIM_MASK);
	if (unlikely(!vm))
		return NULL;
	vm->flags = flags | VM_UNINITIALIZED;
	vm->caller = caller;
	va = alloc_vmap_area(size, align, VMALLOC_START, VMALLOC_END, gfp_mask, vm);
	if (IS_ERR(va)) {
		kfree(vm);
		return NULL;
	}
	return va;
}

/* Busy tree lookups; vmap_area_lock held. */
static struct vmap_area *__find_vmap_area(unsigned long addr)
{
	struct rb_node *n = vmap_area_root.rb_node;

	lockdep_assert_held(&vmap_area_lock);
	while (n) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/* The first area of @root starting at or after @addr. */
static struct vmap_area *find_vmap_area_from(struct rb_root *root, unsigned long addr)
{
	struct rb_node *n = root->rb_node;
	struct vmap_area *best = NULL;

	while (n) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (va->va_start >= addr) {
			best = va;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

/* A busy, live, initialized area containing @addr, or NULL. */
static inline struct vmap_area *find_live_vmap_area(unsigned long addr)
{
	struct vmap_area *va = __find_vmap_area(addr);

	if (!va || (va->flags & VMAP_DYING) || (va->vm->flags & VM_UNINITIALIZED))
		return NULL;
	return va;
}

/*
 * Make an area visible: its frames are mapped.  NR_VMALLOC and nr_pages
 * change together, under the lock the checker takes.
 */
static void publish_vm_area(struct vm_struct *vm, unsigned int nr_pages,
			    const unsigned int *node_pages)
{
	spin_lock(&vmap_area_lock);
	vm->nr_pages = nr_pages;
	if (node_pages) {
		int nid;

		for_each_online_node(nid)
			if (node_pages[nid])
				mod_node_page_state(NODE_DATA(nid), NR_VMALLOC,
						    (long)node_pages[nid]);
	}
	vm->flags &= ~VM_UNINITIALIZED;
	spin_unlock(&vmap_area_lock);
}

/*
 * The end of every area: unmap it, free @nr_free_frames of its frames and
 * its page array, then move the range busy -> purge (dropping NR_VMALLOC by
 * @node_pages if the area was counted there) and free the vm_struct.  The
 * caller owns @va: it is VMAP_DYING or was never published.
 */
static void release_vmap_area(struct vmap_area *va, unsigned long nr_free_frames,
			      const unsigned int *node_pages)
{
	struct vm_struct *vm = va->vm;
	unsigned long nr_lazy;
	int err;

	err = host_rereserve((void *)va->va_start, va_size(va));
	if (unlikely(err)) {
		/* Still mapped: freeing the frames would expose them. */
		pr_err("umm: vmalloc: cannot unmap [%#lx, %#lx): %d; leaking its frames\n",
		       va->va_start, va->va_end, err);
		nr_free_frames = 0;
	}
	/*
	 * Last page first: the pcp lists are LIFO, so the next vmalloc()
	 * gets the frames back in ascending order, in runs that map with one
	 * host call each.  Freed first to last, they would come back
	 * descending: one host mmap and one host VMA per page.
	 */
	for (unsigned long i = nr_free_frames; i-- > 0;)
		__free_page(vm->pages[i]);
	free_page_array(vm->pages);

	spin_lock(&vmap_area_lock);
	rb_erase(&va->rb_node, &vmap_area_root);
	if (node_pages) {
		int nid;

		for_each_online_node(nid)
			if (node_pages[nid])
				mod_node_page_state(NODE_DATA(nid), NR_VMALLOC,
						    -(long)node_pages[nid]);
	}
	spin_lock(&purge_vmap_area_lock);
	va->flags = 0;
	va->vm = NULL;
	insert_vmap_area(va, &purge_vmap_area_root);
	nr_lazy = __atomic_add_fetch(&vmap_lazy_nr, va_size(va) >> PAGE_SHIFT,
				     __ATOMIC_RELAXED);
	spin_unlock(&purge_vmap_area_lock);
	spin_unlock(&vmap_area_lock);

	kfree(vm);
	if (nr_lazy > lazy_max_pages())
		try_purge_vmap_area_lazy();
}

/*
 * Map frames pages[0..nr) at addr, one host call per physically contiguous
 * run: a fresh buddy allocator hands out ascending PFNs, so a large area
 * usually costs a few VMAs, not one per page.
 */
static int vmap_pages_range(unsigned long addr, struct page **pages, unsigned long nr,
			    pgprot_t prot)
{
	int hprot = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);

	for (unsigned long i = 0; i < nr;) {
		unsigned long pfn = page_to_pfn(pages[i]), run = 1;
		int err;

		while (i + run < nr && page_to_pfn(pages[i + run]) == pfn + run)
			run++;
		err = host_map_frames((void *)(addr + (i << PAGE_SHIFT)), physmem.memfd,
				      (off_t)PFN_PHYS(pfn), run << PAGE_SHIFT, hprot);
		if (unlikely(err))
			return err;
		i += run;
	}
	return 0;
}

static unsigned long count_pfn_runs(struct page **pages, unsigned long nr)
{
	unsigned long runs = nr ? 1 : 0;

	for (unsigned long i = 1; i < nr; i++)
		runs += pages[i] != pages[i - 1] + 1;
	return runs;
}

/* Heapsort by PFN (mem_map order): in place, no allocation. */
static void sift_down(struct page **a, unsigned long root, unsigned long n)
{
	for (;;) {
		unsigned long child = 2 * root + 1;
		struct page *tmp;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1] > a[child])
			child++;
		if (a[root] >= a[child])
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

static void sort_pages_by_pfn(struct page **a, unsigned long n)
{
	for (unsigned long i = n / 2; i-- > 0;)
		sift_down(a, i, n);
	for (unsigned long i = n; i-- > 1;) {
		struct page *tmp = a[0];

		a[0] = a[i];
		a[i] = tmp;
		sift_down(a, 0, i);
	}
}

static void *__vmalloc_area_node(struct vmap_area *va, gfp_t gfp_mask, pgprot_t prot,
				 int node)
{
	struct vm_struct *area = va->vm;
	gfp_t nested_gfp = (gfp_mask & GFP_RECLAIM_MASK) | __GFP_ZERO;
	unsigned long nr = vm_area_nr_mapped(area), i;
	unsigned int node_pages[MAX_NUMNODES] = { 0 };
	struct page **pages;

	pages = alloc_page_array(nr, nested_gfp, node, area->caller);
	if (unlikely(!pages)) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, failed to allocated page array size %lu",
			   nr << PAGE_SHIFT, nr * sizeof(struct page *));
		release_vmap_area(va, 0, NULL);
		return NULL;
	}
	area->pages = pages;

	if (!(gfp_mask & (GFP_DMA | GFP_DMA32)))
		gfp_mask |= __GFP_HIGHMEM;
	/*
	 * umm.backing=anon: the area is fresh anonymous memory, not an alias
	 * of the frames, and reads as zeroes already; zeroing the frames
	 * would only touch direct-map pages nobody reads.
	 */
	if (physmem.memfd < 0)
		gfp_mask &= ~__GFP_ZERO;
	for (i = 0; i < nr; i++) {
		struct page *page;

		if (node == NUMA_NO_NODE)
			page = alloc_pages(gfp_mask | __GFP_NOWARN, 0);
		else
			page = alloc_pages_node(node, gfp_mask | __GFP_NOWARN, 0);
		if (unlikely(!page))
			break;
		pages[i] = page;
		node_pages[page_to_nid(page)]++;
	}
	if (unlikely(i < nr)) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, page order %u, failed to allocate pages",
			   nr << PAGE_SHIFT, 0u);
		release_vmap_area(va, i, NULL);
		return NULL;
	}
	/*
	 * Which frame backs which page does not matter, but each run costs a
	 * host VMA.  Frames freed in a scattered order (several threads, other
	 * users of the pcp lists) come back scattered: sort them when that
	 * may pay, i.e. when the n log n sort is small next to the host calls
	 * it can save (one mmap is ~30 times one sort step per page).
	 */
	if (nr > 1 && count_pfn_runs(pages, nr) > nr / 32 + 1)
		sort_pages_by_pfn(pages, nr);
	if (unlikely(vmap_pages_range(va->va_start, pages, nr, prot))) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, failed to map pages",
			   nr << PAGE_SHIFT);
		release_vmap_area(va, nr, NULL);
		return NULL;
	}
	publish_vm_area(area, (unsigned int)nr, node_pages);
	return area->addr;
}

static void *___vmalloc_node_range(unsigned long size, unsigned long align, gfp_t gfp_mask,
				   pgprot_t prot, unsigned long vm_flags, int node,
				   const void *caller)
{
	unsigned long real_size = size;
	struct vmap_area *va;

	if (unlikely(!umm_ensure_booted()))
		return NULL;
	if (unlikely(!size)) {
		static int warned;

		if (!__atomic_exchange_n(&warned, 1, __ATOMIC_RELAXED))
			pr_warn("umm: WARNING: vmalloc of size 0 from %p\n", caller);
		return NULL;
	}
	if (unlikely(size > ULONG_MAX - PAGE_SIZE ||
		     (PAGE_ALIGN(size) >> PAGE_SHIFT) >
		     min_t(unsigned long, physmem.pfn_limit, UINT_MAX))) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, exceeds total pages", real_size);
		return NULL;
	}
	va = __get_vm_area_node(size, align, VM_ALLOC | vm_flags, gfp_mask, caller);
	if (unlikely(!va)) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, vm_struct allocation failed",
			   real_size);
		return NULL;
	}
	return __vmalloc_area_node(va, gfp_mask, prot, node);
}

/* Every entry point runs inside the fork gate (mm/fork_gate.c). */
static void *__vmalloc_node_range(unsigned long size, unsigned long align, gfp_t gfp_mask,
				  pgprot_t prot, unsigned long vm_flags, int node,
				  const void *caller)
{
	void *addr;

	VM_CHECK(umm_vmalloc_check());
	umm_gate_enter();
	addr = ___vmalloc_node_range(size, align, gfp_mask, prot, vm_flags, node, caller);
	umm_gate_exit();
	return addr;
}

/* ---- the API: each entry point records its caller for vmallocinfo ---- */

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller)
{
	return __vmalloc_node_range(size, align, gfp_mask, PAGE_KERNEL, 0, node, caller);
}

void *__vmalloc(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

void *vmalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, __builtin_return_address(0));
}

void *vzalloc_node(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node,
			      __builtin_return_address(0));
}

/* 32-bit addressable frames: ZONE_DMA32 (and below). */
void *vmalloc_32(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_VMALLOC32, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/* Zeroed, so that it can be handed to user space without leaking data. */
void *vmalloc_user(unsigned long size)
{
	return __vmalloc_node_range(size, PAGE_SIZE /* SHMLBA */, GFP_KERNEL | __GFP_ZERO,
				    PAGE_KERNEL, VM_USERMAP, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

void *vmalloc_array(size_t n, size_t size)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, GFP_KERNEL, NUMA_NO_NODE,
			      __builtin_return_address(0));
}

/*
 * Take the area starting exactly at @addr away from lookups (VMAP_DYING);
 * the caller then owns it.  NULL if there is none, or if it is already
 * being freed or not yet published.
 */
static struct vmap_area *remove_vm_area_begin(const void *addr)
{
	struct vmap_area *va;

	spin_lock(&vmap_area_lock);
	va = __find_vmap_area((unsigned long)addr);
	if (va && (va->va_start != (unsigned long)addr || (va->flags & VMAP_DYING) ||
		   (va->vm->flags & VM_UNINITIALIZED)))
		va = NULL;
	if (va)
		va->flags |= VMAP_DYING;
	spin_unlock(&vmap_area_lock);
	return va;
}

/* NR_VMALLOC's share of each node in a published VM_ALLOC area. */
static void vm_area_node_pages(const struct vm_struct *vm, unsigned int *node_pages)
{
	if (nr_online_nodes == 1) {
		node_pages[0] = vm->nr_pages;
		return;
	}
	for (unsigned int i = 0; i < vm->nr_pages; i++)
		node_pages[page_to_nid(vm->pages[i])]++;
}

static void __vunmap(const void *addr, bool deallocate_pages, const char *who)
{
	unsigned int node_pages[MAX_NUMNODES] = { 0 };
	struct vmap_area *va;
	struct vm_struct *vm;
	bool counted;

	umm_gate_enter();
	va = remove_vm_area_begin(addr);
	if (unlikely(!va)) {
		umm_gate_exit();
		pr_warn("umm: Trying to %s() nonexistent vm area (%p)\n", who, addr);
		return;
	}
	vm = va->vm;
	counted = vm->flags & VM_ALLOC;
	if (counted)
		vm_area_node_pages(vm, node_pages);
	release_vmap_area(va, deallocate_pages ? vm->nr_pages : 0,
			  counted ? node_pages : NULL);
	umm_gate_exit();
}

void vfree(const void *addr)
{
	VM_CHECK(umm_vmalloc_check());

	if (!addr)
		return;
	__vunmap(addr, true, "vfree");
}

/* Like vfree() but the frames stay with their owner (VM_ALLOC: leaked). */
void vunmap(const void *addr)
{
	if (!addr)
		return;
	__vunmap(addr, false, "vunmap");
}

static void *__vmap(struct page **pages, unsigned int count, unsigned long flags,
		    pgprot_t prot, const void *caller);

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	void *addr;

	umm_gate_enter();
	addr = __vmap(pages, count, flags, prot, __builtin_return_address(0));
	umm_gate_exit();
	return addr;
}

static void *__vmap(struct page **pages, unsigned int count, unsigned long flags,
		    pgprot_t prot, const void *caller)
{
	struct vmap_area *va;
	struct vm_struct *vm;
	struct page **copy;

	if (unlikely(!umm_ensure_booted()))
		return NULL;
	if (!pages || !count || count > physmem.pfn_limit)
		return NULL;
	for (unsigned int i = 0; i < count; i++) {
		if (unlikely(!pages[i] || !pfn_valid(page_to_pfn(pages[i])))) {
			pr_warn("umm: vmap: page %u of %u is not a valid frame (%p)\n", i, count,
				(void *)pages[i]);
			return NULL;
		}
	}
	/* vmap() areas are never VM_ALLOC: NR_VMALLOC counts vmalloc()'s own. */
	flags &= ~(VM_ALLOC | VM_UNINITIALIZED);
	va = __get_vm_area_node((unsigned long)count << PAGE_SHIFT, PAGE_SIZE, flags,
				GFP_KERNEL, caller);
	if (!va)
		return NULL;
	vm = va->vm;
	copy = alloc_page_array(count, GFP_KERNEL, NUMA_NO_NODE, caller);
	if (!copy) {
		release_vmap_area(va, 0, NULL);
		return NULL;
	}
	memcpy(copy, pages, count * sizeof(*pages));
	vm->pages = copy;
	if (vmap_pages_range(va->va_start, copy, count, prot)) {
		release_vmap_area(va, 0, NULL);
		return NULL;
	}
	publish_vm_area(vm, (flags & VM_MAP_PUT_PAGES) ? count : 0, NULL);
	return vm->addr;
}

bool is_vmalloc_addr(const void *x)
{
	unsigned long addr = (unsigned long)x;

	return addr >= VMALLOC_START && addr < VMALLOC_END;
}

/* The frame mapped at @vmalloc_addr; NULL for a guard page or a hole. */
struct page *vmalloc_to_page(const void *vmalloc_addr)
{
	unsigned long addr = (unsigned long)vmalloc_addr;
	struct page *page = NULL;
	struct vmap_area *va;

	if (!is_vmalloc_addr(vmalloc_addr))
		return NULL;
	umm_gate_enter();
	spin_lock(&vmap_area_lock);
	va = find_live_vmap_area(addr);
	if (va) {
		unsigned long idx = (addr - va->va_start) >> PAGE_SHIFT;

		if (idx < vm_area_nr_mapped(va->vm) && va->vm->pages)
			page = va->vm->pages[idx];
	}
	spin_unlock(&vmap_area_lock);
	umm_gate_exit();
	return page;
}

unsigned long vmalloc_to_pfn(const void *vmalloc_addr)
{
	struct page *page = vmalloc_to_page(vmalloc_addr);

	return page ? page_to_pfn(page) : ~0UL;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vm_struct *vm = NULL;
	struct vmap_area *va;

	if (!is_vmalloc_addr(addr))
		return NULL;
	umm_gate_enter();
	spin_lock(&vmap_area_lock);
	va = __find_vmap_area((unsigned long)addr);
	if (va && !(va->flags & VMAP_DYING))
		vm = va->vm;
	spin_unlock(&vmap_area_lock);
	umm_gate_exit();
	return vm;
}

/* The kernel flushes vmap blocks and lazily freed areas; umm purges. */
void vm_unmap_aliases(void)
{
	if (!umm_is_booted())
		return;
	umm_gate_enter();
	purge_vmap_area_lazy();
	umm_gate_exit();
}

unsigned long vmalloc_nr_pages(void)
{
	unsigned long sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += node_page_state(NODE_DATA(nid), NR_VMALLOC);
	return sum;
}

/* ---- boot and shutdown ---- */

static void vmalloc_reset_state(void)
{
	spin_lock_init(&vmap_area_lock);
	spin_lock_init(&purge_vmap_area_lock);
	spin_lock_init(&free_vmap_area_lock);
	vmap_area_root = RB_ROOT;
	purge_vmap_area_root = RB_ROOT;
	free_vmap_area_root = RB_ROOT;
	INIT_LIST_HEAD(&free_vmap_area_list);
	vmap_lazy_nr = 0;
	/* slab_common_shutdown() forgets every cache, this one too. */
	vmap_area_cachep = NULL;
	umm_vmalloc_start = 0;
	umm_vmalloc_end = 0;
}

int vmalloc_init(void)
{
	unsigned long size = PAGE_ALIGN(umm_cfg.vmalloc_size);
	struct vmap_area *va;
	void *base;

	vmalloc_reset_state();
	vmap_area_cachep = KMEM_CACHE(vmap_area, 0);
	if (!vmap_area_cachep)
		return -ENOMEM;
	base = host_reserve(size, VMALLOC_ALIGN);
	if (!base) {
		pr_err("umm: cannot reserve %lu MiB of address space for vmalloc=\n", size >> 20);
		return -ENOMEM;
	}
	umm_vmalloc_start = (unsigned long)base;
	umm_vmalloc_end = umm_vmalloc_start + size;
	/* vmap_init_free_space(): one free area covers everything. */
	va = kmem_cache_zalloc(vmap_area_cachep, GFP_KERNEL);
	if (!va)
		return -ENOMEM;
	va->va_start = VMALLOC_START;
	va->va_end = VMALLOC_END;
	insert_vmap_area_augment(va, &free_vmap_area_root, &free_vmap_area_list);
	return 0;
}

/* Also after a failed or partial vmalloc_init(), and without one. */
void vmalloc_shutdown(void)
{
	if (umm_vmalloc_start)
		host_unreserve((void *)umm_vmalloc_start, umm_vmalloc_end - umm_vmalloc_start);
	vmalloc_reset_state();
}

/* ---- the invariant checker ---- */

static int va_cmp(const struct rb_node *a, const struct rb_node *b)
{
	unsigned long x = rb_entry(a, struct vmap_area, rb_node)->va_start;
	unsigned long y = rb_entry(b, struct vmap_area, rb_node)->va_start;

	return x < y ? -1 : x > y;
}

static bool va_sane(const struct vmap_area *va)
{
	return PAGE_ALIGNED(va->va_start) && PAGE_ALIGNED(va->va_end) &&
	       va->va_start < va->va_end && va->va_start >= VMALLOC_START &&
	       va->va_end <= VMALLOC_END;
}

/* Recompute subtree_max_size bottom-up; remember the first wrong node. */
static unsigned long check_subtree_max_size(struct rb_node *node, struct vmap_area **bad,
					    unsigned long *want)
{
	struct vmap_area *va;
	unsigned long l, r, m;

	if (!node)
		return 0;
	va = rb_entry(node, struct vmap_area, rb_node);
	l = check_subtree_max_size(node->rb_left, bad, want);
	r = check_subtree_max_size(node->rb_right, bad, want);
	m = max(va_size(va), max(l, r));
	if (va->subtree_max_size != m && !*bad) {
		*bad = va;
		*want = m;
	}
	return m;
}

static inline struct vmap_area *rb_va(struct rb_node *n)
{
	return n ? rb_entry(n, struct vmap_area, rb_node) : NULL;
}

#define VCHECK(cond, ...)						\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("umm: vmalloc check: " __VA_ARGS__);	\
			err = -EUCLEAN;					\
			goto out;					\
		}							\
	} while (0)

static int __umm_vmalloc_check(void);

int umm_vmalloc_check(void)
{
	int err;

	umm_gate_enter();
	err = __umm_vmalloc_check();
	umm_gate_exit();
	return err;
}

static int __umm_vmalloc_check(void)
{
	unsigned long node_pages[MAX_NUMNODES] = { 0 };
	unsigned long prev_end, lazy = 0, total = 0, nr, want = 0;
	struct vmap_area *va, *bad = NULL;
	struct rb_node *bn, *pn, *fn;
	struct list_head *fl;
	bool dying = false;
	int err = 0, rc, nid;

	if (!umm_is_booted() || !umm_vmalloc_start)
		return 0;
	mutex_lock(&vmap_purge_lock);
	spin_lock(&vmap_area_lock);
	spin_lock(&purge_vmap_area_lock);
	spin_lock(&free_vmap_area_lock);

	rc = rb_check(&vmap_area_root, va_cmp);
	VCHECK(rc == 0, "the busy tree is broken (rb_check %d)\n", rc);
	rc = rb_check(&purge_vmap_area_root, va_cmp);
	VCHECK(rc == 0, "the purge tree is broken (rb_check %d)\n", rc);
	rc = rb_check(&free_vmap_area_root, va_cmp);
	VCHECK(rc == 0, "the free tree is broken (rb_check %d)\n", rc);

	/* Busy areas: their vm_struct, guard page and frames. */
	prev_end = VMALLOC_START;
	for (bn = rb_first(&vmap_area_root); bn; bn = rb_next(bn)) {
		struct vm_struct *vm;

		va = rb_va(bn);
		VCHECK(va_sane(va), "busy area [%#lx, %#lx) is unaligned or outside [%#lx, %#lx)\n",
		       va->va_start, va->va_end, VMALLOC_START, VMALLOC_END);
		VCHECK(va->va_start >= prev_end, "busy areas overlap at %#lx\n", va->va_start);
		prev_end = va->va_end;
		vm = va->vm;
		VCHECK(vm, "busy area [%#lx, %#lx) has no vm_struct\n", va->va_start, va->va_end);
		VCHECK(vm->addr == (void *)va->va_start && vm->size == va_size(va),
		       "busy area [%#lx, %#lx) has a vm_struct for %p + %lu\n",
		       va->va_start, va->va_end, vm->addr, vm->size);
		VCHECK(vm->size >= ((vm->flags & VM_NO_GUARD) ? 1 : 2) * PAGE_SIZE,
		       "busy area [%#lx, %#lx) has no room for its guard page\n",
		       va->va_start, va->va_end);
		if (!(vm->flags & VM_ALLOC) || (vm->flags & VM_UNINITIALIZED))
			continue;
		nr = vm_area_nr_mapped(vm);
		VCHECK(vm->nr_pages == nr, "vmalloc area at %#lx has %u pages for %lu slots\n",
		       va->va_start, vm->nr_pages, nr);
		total += nr;
		if (va->flags & VMAP_DYING) {
			/* Its frames may be gone already; NR_VMALLOC drops at unlink. */
			dying = true;
			continue;
		}
		for (unsigned long i = 0; i < nr; i++) {
			struct page *page = vm->pages[i];

			VCHECK(page && pfn_valid(page_to_pfn(page)) && page_ref_count(page) > 0 &&
			       !PageBuddy(page),
			       "vmalloc area at %#lx: page %lu (%p) is not an allocated frame\n",
			       va->va_start, i, (void *)page);
			node_pages[page_to_nid(page)]++;
		}
	}

	/* Purge areas, and the count of lazily freed pages. */
	prev_end = VMALLOC_START;
	for (pn = rb_first(&purge_vmap_area_root); pn; pn = rb_next(pn)) {
		va = rb_va(pn);
		VCHECK(va_sane(va), "purge area [%#lx, %#lx) is unaligned or outside the area\n",
		       va->va_start, va->va_end);
		VCHECK(va->va_start >= prev_end, "purge areas overlap at %#lx\n", va->va_start);
		prev_end = va->va_end;
		lazy += va_size(va) >> PAGE_SHIFT;
	}
	VCHECK(lazy == vmap_lazy_nr, "vmap_lazy_nr is %lu, the purge tree holds %lu pages\n",
	       vmap_lazy_nr, lazy);

	/* Free areas: list == tree order, merged, augmented values right. */
	prev_end = 0;
	fn = rb_first(&free_vmap_area_root);
	list_for_each(fl, &free_vmap_area_list) {
		va = list_entry(fl, struct vmap_area, list);
		VCHECK(fn == &va->rb_node, "the free list and the free tree differ at %#lx\n",
		       va->va_start);
		fn = rb_next(fn);
		VCHECK(va_sane(va), "free area [%#lx, %#lx) is unaligned or outside the area\n",
		       va->va_start, va->va_end);
		VCHECK(!prev_end || va->va_start >= prev_end, "free areas overlap at %#lx\n",
		       va->va_start);
		VCHECK(!prev_end || va->va_start > prev_end,
		       "free areas meet at %#lx and were not merged\n", va->va_start);
		prev_end = va->va_end;
	}
	VCHECK(!fn, "the free tree has areas the free list lacks (%#lx)\n", rb_va(fn)->va_start);
	check_subtree_max_size(free_vmap_area_root.rb_node, &bad, &want);
	VCHECK(!bad, "free area [%#lx, %#lx) has subtree_max_size %lu, should be %lu\n",
	       bad->va_start, bad->va_end, bad->subtree_max_size, want);

	/* Busy + free + purge cover [VMALLOC_START, VMALLOC_END) exactly. */
	prev_end = VMALLOC_START;
	bn = rb_first(&vmap_area_root);
	pn = rb_first(&purge_vmap_area_root);
	fn = rb_first(&free_vmap_area_root);
	while (bn || pn || fn) {
		struct rb_node **next = NULL;

		if (bn)
			next = &bn;
		if (pn && (!next || rb_va(pn)->va_start < rb_va(*next)->va_start))
			next = &pn;
		if (fn && (!next || rb_va(fn)->va_start < rb_va(*next)->va_start))
			next = &fn;
		va = rb_va(*next);
		VCHECK(va->va_start <= prev_end, "[%#lx, %#lx) is in no tree\n", prev_end,
		       va->va_start);
		VCHECK(va->va_start == prev_end, "%s area [%#lx, %#lx) overlaps another tree's\n",
		       next == &bn ? "busy" : next == &pn ? "purge" : "free",
		       va->va_start, va->va_end);
		prev_end = va->va_end;
		*next = rb_next(*next);
	}
	VCHECK(prev_end == VMALLOC_END, "[%#lx, %#lx) is in no tree\n", prev_end, VMALLOC_END);

	/* NR_VMALLOC: changes only under vmap_area_lock, which is held. */
	lockdep_assert_held(&vmap_area_lock);
	nr = vmalloc_nr_pages();
	VCHECK(nr == total, "vmalloc_nr_pages() is %lu, VM_ALLOC areas hold %lu pages\n",
	       nr, total);
	if (!dying) {
		for_each_online_node(nid) {
			nr = node_page_state(NODE_DATA(nid), NR_VMALLOC);
			VCHECK(nr == node_pages[nid],
			       "node %d: NR_VMALLOC is %lu, its vmalloc frames are %lu\n",
			       nid, nr, node_pages[nid]);
		}
	}
out:
	spin_unlock(&free_vmap_area_lock);
	spin_unlock(&purge_vmap_area_lock);
	spin_unlock(&vmap_area_lock);
	mutex_unlock(&vmap_purge_lock);
	return err;
}

/* ---- /proc/vmallocinfo ---- */

struct vmallocinfo_line {
	unsigned long start, size, flags, phys_addr;
	unsigned int nr_pages;
	const void *caller;
	bool vpages;
	unsigned int numa[MAX_NUMNODES];
};

/*
 * One line per published busy area, in address order, then one per area
 * waiting to be purged, as mm/vmalloc.c's vmalloc_info_show().  Each
 * line is copied under vmap_area_lock and printed without it: symbol
 * lookup reads files.
 */
int vmallocinfo_proc_show(struct seq_file *m)
{
	struct vmallocinfo_line l;
	const void *sym_addr = NULL;
	char sym[256];
	unsigned long cursor = 0, end;
	struct vmap_area *va;
	int nid;

	for (;;) {
		spin_lock(&vmap_area_lock);
		va = find_vmap_area_from(&vmap_area_root, cursor);
		while (va && ((va->flags & VMAP_DYING) || (va->vm->flags & VM_UNINITIALIZED)))
			va = rb_va(rb_next(&va->rb_node));
		if (va) {
			struct vm_struct *v = va->vm;

			l.start = (unsigned long)v->addr;
			l.size = v->size;
			l.flags = v->flags;
			l.phys_addr = v->phys_addr;
			l.nr_pages = v->nr_pages;
			l.caller = v->caller;
			l.vpages = is_vmalloc_addr(v->pages);
			memset(l.numa, 0, sizeof(l.numa));
			for (unsigned int i = 0; i < v->nr_pages; i++)
				l.numa[page_to_nid(v->pages[i])]++;
			cursor = va->va_end;
		}
		spin_unlock(&vmap_area_lock);
		if (!va)
			break;

		seq_printf(m, "0x%016lx-0x%016lx %7ld", l.start, l.start + l.size, (long)l.size);
		if (l.caller) {
			if (l.caller != sym_addr) {
				umm_sprint_symbol(sym, sizeof(sym), l.caller);
				sym_addr = l.caller;
			}
			seq_printf(m, " %s", sym);
		}
		if (l.nr_pages)
			seq_printf(m, " pages=%u", l.nr_pages);
		if (l.phys_addr)
			seq_printf(m, " phys=0x%016lx", l.phys_addr);
		if (l.flags & VM_IOREMAP)
			seq_puts(m, " ioremap");
		if (l.flags & VM_ALLOC)
			seq_puts(m, " vmalloc");
		if (l.flags & VM_MAP)
			seq_puts(m, " vmap");
		if (l.flags & VM_USERMAP)
			seq_puts(m, " user");
		if (l.flags & VM_DMA_COHERENT)
			seq_puts(m, " dma-coherent");
		if (l.vpages)
			seq_puts(m, " vpages");
		for_each_online_node(nid)
			if (l.numa[nid])
				seq_printf(m, " N%d=%u", nid, l.numa[nid]);
		seq_putc(m, '\n');
	}

	for (cursor = 0;;) {
		spin_lock(&purge_vmap_area_lock);
		va = find_vmap_area_from(&purge_vmap_area_root, cursor);
		if (va) {
			cursor = va->va_start;
			end = va->va_end;
		}
		spin_unlock(&purge_vmap_area_lock);
		if (!va)
			break;
		seq_printf(m, "0x%016lx-0x%016lx %7ld unpurged vm_area\n", cursor, end,
			   (long)(end - cursor));
		cursor = end;
	}
	return 0;
}
