// SPDX-License-Identifier: GPL-2.0
/*
 * maple_tree.c - a B-tree of ranges, the structure Linux (6.1 on) keeps
 * VMAs in (lib/maple_tree.c; include/umm/maple_tree.h for the layout).
 *
 * Owns: every node of every struct maple_tree, the "maple_node" cache
 * they come from, and the tree's height in ma_flags.  Written after the
 * kernel's lib/maple_tree.c, with its node types, names and invariants;
 * the write paths are umm's own (see "Writes" below).
 *
 * Invariants (mt_validate() checks them all):
 *  - a node's slots partition its range [min, max] (min and max come from
 *    the parent's pivots; the root covers [0, ULONG_MAX]): pivots rise
 *    strictly, the last used slot ends at max (its pivot is stored as max
 *    unless it is the sixteenth slot), unused pivots are 0, and the fill
 *    end is in the metadata where the pivots cannot tell it (ma_data_end());
 *  - every leaf is at depth height - 1; internal slots are never NULL;
 *  - no two NULL ranges are adjacent, in a node or across two leaves;
 *  - a node other than the root has a data end of at least mt_min_slots[]
 *    (6 for 16-slot nodes, 4 for maple_arange_64); an internal root has
 *    two children or more; an empty tree has no node;
 *  - each child's parent pointer names its parent, its slot and the
 *    parent's type; the root's names the tree (MA_ROOT_PARENT);
 *  - in an MT_FLAGS_ALLOC_RANGE tree, internal nodes are maple_arange_64
 *    and gap[i] is the largest NULL range in child i's subtree, meta.gap
 *    the slot of the largest.
 *
 * Writes.  The kernel never changes a node that RCU readers may be in:
 * it builds new nodes (mas_wr_node_store(), the spanning store's big node,
 * mas_split(), mas_rebalance()) and swaps them in, freeing the old after
 * a grace period, which is why its writes allocate even to shrink.  umm
 * has no RCU readers: every reader of a tree holds the lock its writer
 * holds (mmap_lock for the VMA tree), so nodes are rewritten in place
 * through a flat buffer (struct ma_big, the kernel's maple_big_node):
 *  - a store inside one leaf rewrites it; a leaf that overflows shares
 *    its slots with a sibling that has room (mas_push_data()), or else
 *    splits in two and the new node goes into the parent, splitting
 *    upward as far as needed and growing a new root at the top;
 *  - a store that spans leaves (mas_wr_spanning_store()) frees the
 *    subtrees it covers whole, cuts the leaf holding its start back to
 *    the start and puts the new range there, and trims the leftmost path
 *    of what follows to begin after the end;
 *  - a node below minimum fill is merged with a sibling, or takes half of
 *    a sibling's slots when both do not fit in one node (mas_rebalance()),
 *    going up while parents fall below; an internal root left with one
 *    child is replaced by it;
 *  - a NULL store first widens to the NULL ranges around it
 *    (mas_wr_extend_null()), so NULLs never touch.
 * Only splits and a new root allocate: at most height + 1 nodes a store
 * (mas_nodes_needed()), taken from the ma_state's preallocated list, so
 * an allocation failure happens before anything changes.  Erasing never
 * allocates.  Kernel readers would need each write to publish whole new
 * nodes with rcu_assign_pointer() and to free the replaced ones after a
 * grace period; umm's in-place rewrites are only safe under the lock.
 *
 * Also unlike the kernel's: no maple_dense nodes, no entry kept in
 * ma_root itself (a tree holding anything has a root leaf), no bulk mode
 * (mas_expected_entries()), no internal or zero entries (XA_ZERO_ENTRY),
 * and mas_store_prealloc() leaves the nodes it did not use on the state
 * for the next store.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <umm/maple_tree.h>
#include <umm/slab.h>
#include <umm/debug.h>
#include <umm/spinlock.h>

static struct kmem_cache *maple_node_cache;
static int maple_node_users;
static DEFINE_MUTEX(maple_node_lock);

static const unsigned char mt_slots[] = {
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS,
	[maple_range_64] = MAPLE_RANGE64_SLOTS,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS,
};

static const unsigned char mt_pivots[] = {
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS - 1,
	[maple_range_64] = MAPLE_RANGE64_SLOTS - 1,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS - 1,
};

/* The least data end (last slot index) of a node other than the root. */
static const unsigned char mt_min_slots[] = {
	[maple_leaf_64] = MAPLE_RANGE64_SLOTS / 2 - 2,
	[maple_range_64] = MAPLE_RANGE64_SLOTS / 2 - 2,
	[maple_arange_64] = MAPLE_ARANGE64_SLOTS / 2 - 1,
};

#define MA_ROOT_PARENT	1UL
#define MA_STATE_DEFICIENT	1	/* mas_flags: a write left a node underfull */
#define MA_STATE_SPANNING	2	/* mas_flags: gaps above may be stale */
#define MAPLE_BIG_SLOTS	(MAPLE_RANGE64_SLOTS * 2 + 2)

/* ---- the node cache ---- */

int maple_tree_init(void)
{
	int err = 0;

	mutex_lock(&maple_node_lock);
	if (!maple_node_users) {
		maple_node_cache = kmem_cache_create("maple_node",
						     sizeof(struct maple_node),
						     sizeof(struct maple_node),
						     SLAB_ACCOUNT, NULL);
		if (!maple_node_cache)
			err = -ENOMEM;
	}
	if (!err)
		maple_node_users++;
	mutex_unlock(&maple_node_lock);
	return err;
}

void maple_tree_exit(void)
{
	mutex_lock(&maple_node_lock);
	if (!--maple_node_users) {
		kmem_cache_destroy(maple_node_cache);
		maple_node_cache = NULL;
	}
	mutex_unlock(&maple_node_lock);
}

/* ---- encoded pointers ---- */

static inline struct maple_node *mte_to_node(const struct maple_enode *e)
{
	return (struct maple_node *)((unsigned long)e & ~MAPLE_NODE_MASK);
}

static inline enum maple_type mte_node_type(const struct maple_enode *e)
{
	return (enum maple_type)(((unsigned long)e >> 3) & 3);
}

static inline struct maple_enode *mt_mk_node(struct maple_node *n, enum maple_type t)
{
	return (struct maple_enode *)((unsigned long)n | ((unsigned long)t << 3));
}

static inline bool ma_is_leaf(enum maple_type t)
{
	return t < maple_range_64;
}

static inline enum maple_type mt_internal_type(const struct maple_tree *mt)
{
	return mt_is_alloc(mt) ? maple_arange_64 : maple_range_64;
}

static inline void mt_set_height(struct maple_tree *mt, unsigned int h)
{
	mt->ma_flags = (mt->ma_flags & ~MT_FLAGS_HEIGHT_MASK) |
		       (h << MT_FLAGS_HEIGHT_OFFSET);
}

/* Parent pointer: the parent node, our slot in it (bits 3-6), its type (1-2). */
static inline void mte_set_parent(struct maple_node *child, struct maple_node *p,
				  enum maple_type pt, unsigned char off)
{
	child->parent = (struct maple_pnode *)((unsigned long)p |
					       ((unsigned long)off << 3) |
					       ((unsigned long)pt << 1));
}

static inline void mt_set_root(struct maple_tree *mt, struct maple_node *n,
			       enum maple_type t)
{
	n->parent = (struct maple_pnode *)((unsigned long)mt | MA_ROOT_PARENT);
	mt->ma_root = mt_mk_node(n, t);
}

/*
 * Fetch all four lines of a node at once: a walk reads the pivots, then
 * one slot (and the fill metadata at the end), so without this each
 * level costs two or three dependent cache misses instead of one.
 */
static inline void mte_prefetch(const struct maple_enode *e)
{
	const char *n = (const char *)mte_to_node(e);

	__builtin_prefetch(n);
	__builtin_prefetch(n + 64);
	__builtin_prefetch(n + 128);
	__builtin_prefetch(n + 192);
}

/* ---- node layout ---- */

static inline unsigned long *ma_pivots(struct maple_node *n, enum maple_type t)
{
	return t == maple_arange_64 ? n->ma64.pivot : n->mr64.pivot;
}

static inline void **ma_slots(struct maple_node *n, enum maple_type t)
{
	return t == maple_arange_64 ? n->ma64.slot : n->mr64.slot;
}

/*
 * ma_data_end - the last slot in use.  A 16-slot node whose last pivot is
 * 0 is not full and says its end in the metadata (in the unused last
 * slot); one whose last pivot is its max uses 15 slots; otherwise all 16.
 */
static inline unsigned char ma_data_end(struct maple_node *n, enum maple_type t,
					unsigned long max)
{
	unsigned long last;

	if (t == maple_arange_64)
		return n->ma64.meta.end;
	last = n->mr64.pivot[MAPLE_RANGE64_SLOTS - 2];
	if (!last)
		return n->mr64.tail.meta.end;
	return last == max ? MAPLE_RANGE64_SLOTS - 2 : MAPLE_RANGE64_SLOTS - 1;
}

static inline unsigned long ma_slot_max(const unsigned long *piv, unsigned char i,
					unsigned char end, unsigned long max)
{
	return i < end ? piv[i] : max;
}

/* The slot of @index in a node of range [.., max] with data end @end. */
static inline unsigned char ma_offset(const unsigned long *piv, unsigned char end,
				      unsigned long index)
{
	unsigned char i = 0;

	while (i < end && piv[i] < index)
		i++;
	return i;
}

/* The largest NULL range of a leaf covering [min, max]. */
static unsigned long ma_leaf_max_gap(struct maple_node *n, unsigned long min,
				     unsigned long max)
{
	unsigned long *piv = n->mr64.pivot, gap = 0, smin = min;
	unsigned char end = ma_data_end(n, maple_leaf_64, max), i;

	for (i = 0; i <= end; i++) {
		unsigned long smax = ma_slot_max(piv, i, end, max);

		if (!n->mr64.slot[i] && smax - smin + 1 > gap)
			gap = smax - smin + 1;
		smin = smax + 1;
	}
	return gap;
}

/* The largest gap under @e (its range is [min, max]); alloc trees only. */
static unsigned long mte_max_gap(struct maple_enode *e, unsigned long min,
				 unsigned long max)
{
	struct maple_node *n = mte_to_node(e);

	if (ma_is_leaf(mte_node_type(e)))
		return ma_leaf_max_gap(n, min, max);
	return n->ma64.gap[n->ma64.meta.gap];
}

static void ma_set_meta_gap(struct maple_node *n)
{
	unsigned char i, best = 0;

	for (i = 1; i <= n->ma64.meta.end; i++)
		if (n->ma64.gap[i] > n->ma64.gap[best])
			best = i;
	n->ma64.meta.gap = best;
}

/* ---- node allocation ---- */

static struct maple_node *mas_pop_node(struct ma_state *mas)
{
	struct maple_node *n = mas->alloc;

	VM_BUG_ON(!n);		/* the caller preallocated too few */
	mas->alloc = (struct maple_node *)n->parent;
	mas->nr_alloc--;
	return n;
}

static void ma_free_node(struct maple_node *n)
{
	kmem_cache_free(maple_node_cache, n);
}

int mas_node_count(struct ma_state *mas, unsigned int count, gfp_t gfp)
{
	while (mas->nr_alloc < count) {
		struct maple_node *n = kmem_cache_alloc(maple_node_cache, gfp);

		if (!n)
			return -ENOMEM;
		n->parent = (struct maple_pnode *)mas->alloc;
		mas->alloc = n;
		mas->nr_alloc++;
	}
	return 0;
}

unsigned int mas_nodes_needed(const struct maple_tree *mt)
{
	return mt_height(mt) + 1;
}

void mas_destroy(struct ma_state *mas)
{
	while (mas->alloc)
		ma_free_node(mas_pop_node(mas));
}

/* ---- the flat buffer (maple_big_node) ---- */

struct ma_big {
	unsigned long min;			/* of slot 0 */
	unsigned long pivot[MAPLE_BIG_SLOTS];	/* each slot's last index */
	void *slot[MAPLE_BIG_SLOTS];
	unsigned char end;			/* slots used */
};

/* An empty buffer whose first slot starts at @min (no zeroing: it is big). */
static inline void mab_init(struct ma_big *b, unsigned long min)
{
	b->min = min;
	b->end = 0;
}

static inline void mab_push(struct ma_big *b, void *slot, unsigned long max)
{
	b->slot[b->end] = slot;
	b->pivot[b->end++] = max;
}

/* Append slots [from, to] of a node of range [.., max]. */
static void mab_copy(struct ma_big *b, struct maple_node *n, enum maple_type t,
		     unsigned long max, unsigned char from, unsigned char to)
{
	unsigned long *piv = ma_pivots(n, t);
	void **slots = ma_slots(n, t);
	unsigned char end = ma_data_end(n, t, max), i;

	for (i = from; i <= to; i++)
		mab_push(b, slots[i], ma_slot_max(piv, i, end, max));
}

/* Fold adjacent NULL ranges into one. */
static void mab_merge_nulls(struct ma_big *b)
{
	unsigned char i, j = 0;

	for (i = 0; i < b->end; i++) {
		if (j && !b->slot[i] && !b->slot[j - 1]) {
			b->pivot[j - 1] = b->pivot[i];
			continue;
		}
		b->slot[j] = b->slot[i];
		b->pivot[j++] = b->pivot[i];
	}
	b->end = j;
}

/*
 * mab_write - make @n hold buffer slots [from, from + count) of a node of
 * type @t whose range starts at @min: pivots, metadata, the children's
 * parent pointers and, for maple_arange_64, their gaps.
 */
static void mab_write(struct ma_big *b, unsigned char from, unsigned char count,
		      struct maple_node *n, enum maple_type t, unsigned long min)
{
	unsigned long *piv = ma_pivots(n, t);
	void **slots = ma_slots(n, t);
	unsigned char i, end = count - 1;

	for (i = 0; i < count; i++) {
		slots[i] = b->slot[from + i];
		if (i < mt_pivots[t])
			piv[i] = b->pivot[from + i];
	}
	for (; i < mt_pivots[t]; i++)
		piv[i] = 0;	/* ma_data_end() reads the last one */
	if (t == maple_arange_64)
		n->ma64.meta.end = end;
	else if (count < MAPLE_RANGE64_SLOTS - 1)
		n->mr64.tail.meta.end = end;
	if (ma_is_leaf(t))
		return;
	for (i = 0; i < count; i++) {
		struct maple_enode *child = slots[i];
		unsigned long cmin = i ? piv[i - 1] + 1 : min;

		mte_set_parent(mte_to_node(child), n, t, i);
		if (t == maple_arange_64)
			n->ma64.gap[i] = mte_max_gap(child, cmin, b->pivot[from + i]);
	}
	if (t == maple_arange_64)
		ma_set_meta_gap(n);
}

/* ---- walks ---- */

/* The nodes from the root to the leaf of one index, with their ranges. */
struct ma_path {
	int depth;				/* levels: 0 is the root */
	struct maple_node *node[MAPLE_HEIGHT_MAX];
	enum maple_type type[MAPLE_HEIGHT_MAX];
	unsigned long min[MAPLE_HEIGHT_MAX], max[MAPLE_HEIGHT_MAX];
	unsigned char off[MAPLE_HEIGHT_MAX];	/* the slot taken at each level */
	unsigned char end[MAPLE_HEIGHT_MAX];
};

/* Record level @l of a walk in @p. */
static inline void ma_path_set(struct ma_path *p, int l, struct maple_node *n,
			       enum maple_type t, unsigned long min, unsigned long max,
			       unsigned char off, unsigned char end)
{
	p->node[l] = n;
	p->type[l] = t;
	p->min[l] = min;
	p->max[l] = max;
	p->off[l] = off;
	p->end[l] = end;
}

/* The child at @off of internal node @n, *@min and *@max narrowed to its range. */
static inline struct maple_enode *ma_descend(struct maple_node *n, enum maple_type t,
					     const unsigned long *piv, unsigned char off,
					     unsigned char end, unsigned long *min,
					     unsigned long *max)
{
	if (off)
		*min = piv[off - 1] + 1;
	*max = ma_slot_max(piv, off, end, *max);
	return ma_slots(n, t)[off];
}

/* Record the root-to-leaf path of @index; the tree is not empty. */
static void mt_walk_path(struct maple_tree *mt, unsigned long index,
			 struct ma_path *p)
{
	struct maple_enode *e = mt->ma_root;
	unsigned long min = 0, max = ~0UL;
	int l = 0;

	for (;;) {
		struct maple_node *n = mte_to_node(e);
		enum maple_type t = mte_node_type(e);
		unsigned long *piv = ma_pivots(n, t);
		unsigned char end = ma_data_end(n, t, max);
		unsigned char off = ma_offset(piv, end, index);

		ma_path_set(p, l, n, t, min, max, off, end);
		if (ma_is_leaf(t))
			break;
		e = ma_descend(n, t, piv, off, end, &min, &max);
		mte_prefetch(e);
		l++;
	}
	p->depth = l + 1;
}

/* Point @mas at the slot of mas->index; returns the entry there. */
static void *mas_walk_to(struct ma_state *mas, unsigned long index)
{
	struct maple_enode *e = mas->tree->ma_root;
	unsigned long min = 0, max = ~0UL;

	if (!e) {
		mas->status = ma_none;
		mas->index = 0;
		mas->last = ~0UL;
		return NULL;
	}
	for (;;) {
		struct maple_node *n = mte_to_node(e);
		enum maple_type t = mte_node_type(e);
		unsigned long *piv = ma_pivots(n, t);
		unsigned char end = ma_data_end(n, t, max);
		unsigned char off = ma_offset(piv, end, index);

		if (ma_is_leaf(t)) {
			mas->node = e;
			mas->min = min;
			mas->max = max;
			mas->offset = off;
			mas->end = end;
			mas->status = ma_active;
			mas->index = off ? piv[off - 1] + 1 : min;
			mas->last = ma_slot_max(piv, off, end, max);
			return n->mr64.slot[off];
		}
		e = ma_descend(n, t, piv, off, end, &min, &max);
		mte_prefetch(e);
	}
}

void *mas_walk(struct ma_state *mas)
{
	return mas_walk_to(mas, mas->index);
}

void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);

	return mas_walk(&mas);
}

/* The slot after (@dir 1) or before (-1) the one @mas is at, any entry. */
static void *mas_step(struct ma_state *mas, int dir)
{
	struct maple_node *n = mte_to_node(mas->node);
	unsigned long *piv = n->mr64.pivot;

	if (dir > 0 && mas->offset < mas->end) {
		mas->offset++;
	} else if (dir < 0 && mas->offset) {
		mas->offset--;
	} else if (dir > 0) {
		if (mas->max == ~0UL) {
			mas->status = ma_overflow;
			return NULL;
		}
		return mas_walk_to(mas, mas->max + 1);
	} else {
		if (!mas->min) {
			mas->status = ma_underflow;
			return NULL;
		}
		return mas_walk_to(mas, mas->min - 1);
	}
	mas->index = mas->offset ? piv[mas->offset - 1] + 1 : mas->min;
	mas->last = ma_slot_max(piv, mas->offset, mas->end, mas->max);
	return n->mr64.slot[mas->offset];
}

/*
 * Where a find resumes: the entry at index for a fresh state (returned
 * in *entry, 1), or the range after the last one found (0).  -1: nothing
 * more.
 */
static int mas_find_setup(struct ma_state *mas, int dir, void **entry)
{
	switch (mas->status) {
	case ma_active:
		return 0;
	case ma_pause:
		if (dir > 0 ? mas->last == ~0UL : mas->index == 0)
			return -1;
		*entry = mas_walk_to(mas, dir > 0 ? mas->last + 1 : mas->index - 1);
		return 1;
	case ma_start:
		*entry = mas_walk_to(mas, mas->index);
		return 1;
	default:
		return -1;
	}
}

/* Next non-NULL entry, up to @max (@dir 1) or down to @max (-1). */
static void *mas_scan(struct ma_state *mas, unsigned long lim, int dir, void *entry,
		      bool have)
{
	for (;;) {
		if (!have) {
			if (mas->status != ma_active)
				return NULL;	/* an empty tree: nothing to step from */
			entry = mas_step(mas, dir);
		}
		have = false;
		if (mas->status != ma_active)
			return NULL;
		if (dir > 0 ? mas->index > lim : mas->last < lim) {
			mas->status = dir > 0 ? ma_overflow : ma_underflow;
			return NULL;
		}
		if (entry)
			return entry;
	}
}

void *mas_find(struct ma_state *mas, unsigned long max)
{
	void *entry = NULL;
	int r = mas_find_setup(mas, 1, &entry);

	if (r < 0)
		return NULL;
	return mas_scan(mas, max, 1, entry, r == 1);
}

void *mas_find_rev(struct ma_state *mas, unsigned long min)
{
	void *entry = NULL;
	int r = mas_find_setup(mas, -1, &entry);

	if (r < 0)
		return NULL;
	return mas_scan(mas, min, -1, entry, r == 1);
}

/* mas_next - the entry after the range @mas is at (or that holds index). */
void *mas_next(struct ma_state *mas, unsigned long max)
{
	void *entry = NULL;

	if (mas_find_setup(mas, 1, &entry) < 0)
		return NULL;
	return mas_scan(mas, max, 1, NULL, false);
}

void *mas_prev(struct ma_state *mas, unsigned long min)
{
	void *entry = NULL;

	if (mas_find_setup(mas, -1, &entry) < 0)
		return NULL;
	return mas_scan(mas, min, -1, NULL, false);
}

/*
 * mt_lookup_next - the first entry at or above @index, and in *@last
 * the end of its range: the read side of mt_find() and so of
 * find_vma().  It reads no fill metadata: the pivot scan stops at the
 * first pivot at or above @index, and a node that is not full stores
 * its maximum as the pivot of its last slot, so the scan never runs
 * past the data.  Two NULL ranges never touch: a NULL slot is followed
 * by an entry, in its leaf or at the start of the next.
 */
static void *mt_lookup_next(struct maple_tree *mt, unsigned long index,
			    unsigned long *last)
{
	struct maple_enode *e;
	unsigned long max;

restart:
	e = mt->ma_root;
	max = ~0UL;
	while (e) {
		struct maple_node *n = mte_to_node(e);
		enum maple_type t = mte_node_type(e);
		unsigned long *piv = ma_pivots(n, t), nmax = max;
		unsigned char np = mt_pivots[t], off = 0;
		void **slots = ma_slots(n, t), *entry, *next;
		unsigned long nlast;

		while (off < np && piv[off] < index)
			off++;
		if (off < np)
			max = piv[off];
		if (!ma_is_leaf(t)) {
			e = slots[off];
			mte_prefetch(e);
			continue;
		}
		entry = slots[off];
		if (unlikely(!entry && max == nmax)) {
			/* a NULL last slot: the entry is in the next leaf */
			if (nmax == ~0UL)
				break;
			index = nmax + 1;
			goto restart;
		}
		/*
		 * A NULL slot is followed by an entry in this leaf.  Read
		 * both and select without a branch: whether a random index
		 * falls in a gap is a coin toss the predictor loses, and a
		 * miss there throws away the next lookup's loads.
		 */
		next = slots[off + (off < np)];
		nlast = off + 1 < np ? piv[off + 1] : nmax;
		*last = entry ? max : nlast;
		return entry ? entry : next;
	}
	return NULL;
}

/* mt_find - the first entry in [*index, max]; *index moves past it. */
void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	unsigned long last, start = *index;
	void *entry;

	if (start > max)
		return NULL;
	entry = mt_lookup_next(mt, start, &last);
	if (!entry)
		return NULL;
	/* ending past max, it starts past max unless it holds max */
	if (last > max && mtree_load(mt, max) != entry)
		return NULL;
	*index = last + 1;	/* 0 after ULONG_MAX: mt_find_after() stops */
	return entry;
}

void *mt_find_after(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	if (!*index)
		return NULL;
	return mt_find(mt, index, max);
}

/* ---- writes ---- */

static void mt_free_subtree(struct maple_enode *e, unsigned long max)
{
	struct maple_node *n = mte_to_node(e);
	enum maple_type t = mte_node_type(e);

	if (!ma_is_leaf(t)) {
		unsigned long *piv = ma_pivots(n, t);
		unsigned char end = ma_data_end(n, t, max), i;

		for (i = 0; i <= end; i++)
			mt_free_subtree(ma_slots(n, t)[i], ma_slot_max(piv, i, end, max));
	}
	ma_free_node(n);
}

/*
 * Refresh the gaps from level @l of @p up to the root (mas_update_gap()).
 * Where a parent's gap for the child comes out unchanged, nothing above
 * changes either, unless a spanning store left stale gaps beside the
 * path (MA_STATE_SPANNING): then every level is redone.
 */
static void mas_update_gaps(struct ma_state *mas, struct ma_path *p, int l)
{
	bool all = mas->mas_flags & MA_STATE_SPANNING;

	if (!mt_is_alloc(mas->tree))
		return;
	for (; l > 0; l--) {
		struct maple_node *parent = p->node[l - 1];
		unsigned char off = p->off[l - 1];
		unsigned long gap = mte_max_gap(mt_mk_node(p->node[l], p->type[l]),
						p->min[l], p->max[l]);

		if (!all && parent->ma64.gap[off] == gap)
			return;
		parent->ma64.gap[off] = gap;
		ma_set_meta_gap(parent);
	}
}

/* Buffer of node @l of @p, slots [from, to]. */
static void mab_from_path(struct ma_big *b, struct ma_path *p, int l,
			  unsigned char from, unsigned char to)
{
	mab_copy(b, p->node[l], p->type[l], p->max[l], from, to);
}

static void mas_commit(struct ma_state *mas, struct ma_path *p, int l,
		       struct ma_big *b);

/*
 * mas_split - @b overflows node @l: the node keeps the first half, a new
 * node takes the rest, and the parent gets the new node after it (or a
 * new root holds both).  The left half does not end on NULL when the
 * right can spare a slot (the kernel's mab_no_null_split()).
 */
static void mas_split(struct ma_state *mas, struct ma_path *p, int l, struct ma_big *b)
{
	struct maple_tree *mt = mas->tree;
	enum maple_type t = p->type[l];
	struct maple_node *left = p->node[l], *right = mas_pop_node(mas);
	unsigned char split = (b->end + 1) / 2;
	struct ma_big pb;

	mab_init(&pb, l ? p->min[l - 1] : 0);
	if (!b->slot[split - 1] && b->end - split - 1 > mt_min_slots[t])
		split++;
	right->parent = NULL;
	mab_write(b, 0, split, left, t, b->min);
	mab_write(b, split, b->end - split, right, t, b->pivot[split - 1] + 1);
	if (!l) {
		struct maple_node *root = mas_pop_node(mas);

		mab_push(&pb, mt_mk_node(left, t), b->pivot[split - 1]);
		mab_push(&pb, mt_mk_node(right, t), b->pivot[b->end - 1]);
		mab_write(&pb, 0, 2, root, mt_internal_type(mt), 0);
		mt_set_root(mt, root, mt_internal_type(mt));
		mt_set_height(mt, mt_height(mt) + 1);
		return;
	}
	if (p->off[l - 1])
		mab_from_path(&pb, p, l - 1, 0, p->off[l - 1] - 1);
	mab_push(&pb, mt_mk_node(left, t), b->pivot[split - 1]);
	mab_push(&pb, mt_mk_node(right, t), b->pivot[b->end - 1]);
	if (p->off[l - 1] < p->end[l - 1])
		mab_from_path(&pb, p, l - 1, p->off[l - 1] + 1, p->end[l - 1]);
	mas_commit(mas, p, l - 1, &pb);
}

/*
 * mas_push_data - @b overflows node @l: share it with the sibling at
 * @dir (-1 left, 1 right) if the two fit in two nodes with a slot to
 * spare in each, instead of splitting (the kernel's mas_push_data()).
 * Their common pivot in the parent moves; the parent keeps its count.
 * Without it, the halves a split leaves behind stay half full under
 * ascending or descending inserts, as VMAs mostly come: 100,000 VMAs
 * then took a tree of height 7 where 6 hold them.
 */
static bool mas_push_data(struct ma_state *mas, struct ma_path *p, int l,
			  struct ma_big *b, int dir)
{
	enum maple_type t = p->type[l], pt;
	struct maple_node *parent, *sib;
	unsigned long *ppiv, smin, smax;
	unsigned char off, so, pend, send, total, split;
	struct ma_big c, pb;

	if (!l)
		return false;
	parent = p->node[l - 1];
	pt = p->type[l - 1];
	ppiv = ma_pivots(parent, pt);
	off = p->off[l - 1];
	pend = p->end[l - 1];
	if (dir < 0 ? !off : off >= pend)
		return false;
	/* mid-spanning-store, the right sibling still holds what will be trimmed */
	if (dir > 0 && (mas->mas_flags & MA_STATE_SPANNING))
		return false;
	so = (unsigned char)(off + dir);
	smin = so ? ppiv[so - 1] + 1 : p->min[l - 1];
	smax = ma_slot_max(ppiv, so, pend, p->max[l - 1]);
	sib = mte_to_node(ma_slots(parent, pt)[so]);
	send = ma_data_end(sib, t, smax);
	total = (unsigned char)(send + 1 + b->end);
	if (total > 2 * (mt_slots[t] - 1))
		return false;
	mab_init(&c, dir < 0 ? smin : b->min);
	if (dir < 0)
		mab_copy(&c, sib, t, smax, 0, send);
	memcpy(c.slot + c.end, b->slot, b->end * sizeof(void *));
	memcpy(c.pivot + c.end, b->pivot, b->end * sizeof(unsigned long));
	c.end = (unsigned char)(c.end + b->end);
	if (dir > 0)
		mab_copy(&c, sib, t, smax, 0, send);
	split = (total + 1) / 2;
	if (!c.slot[split - 1] && split < mt_slots[t] - 1)
		split++;	/* as mas_split(): the left half does not end on NULL */
	if (dir < 0) {
		mab_write(&c, 0, split, sib, t, c.min);
		mab_write(&c, split, total - split, p->node[l], t, c.pivot[split - 1] + 1);
	} else {
		mab_write(&c, 0, split, p->node[l], t, c.min);
		mab_write(&c, split, total - split, sib, t, c.pivot[split - 1] + 1);
	}
	mab_init(&pb, p->min[l - 1]);
	mab_copy(&pb, parent, pt, p->max[l - 1], 0, pend);
	pb.pivot[dir < 0 ? so : off] = c.pivot[split - 1];
	mas_commit(mas, p, l - 1, &pb);
	return true;
}

/* mas_commit - node @l of @p becomes @b, splitting if it does not fit. */
static void mas_commit(struct ma_state *mas, struct ma_path *p, int l, struct ma_big *b)
{
	if (b->end > mt_slots[p->type[l]]) {
		if (!mas_push_data(mas, p, l, b, -1) &&
		    !mas_push_data(mas, p, l, b, 1))
			mas_split(mas, p, l, b);
		return;
	}
	mab_write(b, 0, b->end, p->node[l], p->type[l], b->min);
	p->end[l] = b->end - 1;
	if (l ? p->end[l] < mt_min_slots[p->type[l]] : !p->end[l])
		mas->mas_flags |= MA_STATE_DEFICIENT;
	mas_update_gaps(mas, p, l);
}

/*
 * mas_rebalance - node @l of @p is below minimum fill and its parent has
 * another child: merge the two into the left one, or share their slots
 * evenly when they do not fit in one node.
 */
static void mas_rebalance(struct ma_state *mas, struct ma_path *p, int l)
{
	struct maple_node *parent = p->node[l - 1];
	enum maple_type pt = p->type[l - 1], t = p->type[l];
	unsigned long *ppiv = ma_pivots(parent, pt);
	void **pslots = ma_slots(parent, pt);
	unsigned char pend = p->end[l - 1], lo = p->off[l - 1] ? p->off[l - 1] - 1 : 0;
	unsigned long lmin = lo ? ppiv[lo - 1] + 1 : p->min[l - 1];
	unsigned long lmax = ma_slot_max(ppiv, lo, pend, p->max[l - 1]);
	unsigned long rmax = ma_slot_max(ppiv, lo + 1, pend, p->max[l - 1]);
	struct maple_node *left = mte_to_node(pslots[lo]);
	struct maple_node *right = mte_to_node(pslots[lo + 1]);
	struct ma_big b, pb;

	mab_init(&b, lmin);
	mab_init(&pb, p->min[l - 1]);
	mab_copy(&b, left, t, lmax, 0, ma_data_end(left, t, lmax));
	mab_copy(&b, right, t, rmax, 0, ma_data_end(right, t, rmax));
	if (lo)
		mab_copy(&pb, parent, pt, p->max[l - 1], 0, lo - 1);
	if (b.end <= mt_slots[t]) {
		mab_write(&b, 0, b.end, left, t, lmin);
		ma_free_node(right);
		mab_push(&pb, mt_mk_node(left, t), rmax);
	} else {
		unsigned char split = (b.end + 1) / 2;

		mab_write(&b, 0, split, left, t, lmin);
		mab_write(&b, split, b.end - split, right, t, b.pivot[split - 1] + 1);
		mab_push(&pb, mt_mk_node(left, t), b.pivot[split - 1]);
		mab_push(&pb, mt_mk_node(right, t), rmax);
	}
	if (lo + 1 < pend)
		mab_copy(&pb, parent, pt, p->max[l - 1], lo + 2, pend);
	mas_commit(mas, p, l - 1, &pb);
}

static bool ma_deficient(struct ma_path *p, int l)
{
	return l && p->end[l] < mt_min_slots[p->type[l]];
}

/* An internal root with one child gives way to it; an all-NULL root goes. */
static bool mas_shrink_root(struct maple_tree *mt, struct ma_path *p)
{
	struct maple_node *root = p->node[0];

	if (p->end[0])
		return false;
	if (ma_is_leaf(p->type[0])) {
		if (root->mr64.slot[0])
			return false;
		ma_free_node(root);
		mt->ma_root = NULL;
		mt_set_height(mt, 0);
		return true;
	}
	mt_set_root(mt, mte_to_node(ma_slots(root, p->type[0])[0]), p->type[1]);
	mt_set_height(mt, mt_height(mt) - 1);
	ma_free_node(root);
	return true;
}

/* mas_fix_fill - restore minimum fill along the path of @index. */
static void mas_fix_fill(struct ma_state *mas, unsigned long index)
{
	struct ma_path p;
	int l;

	while (mas->tree->ma_root) {
		mt_walk_path(mas->tree, index, &p);
		for (l = p.depth - 1; l > 0; l--)
			if (ma_deficient(&p, l) && p.end[l - 1] > 0)
				break;
		if (l > 0) {
			mas_rebalance(mas, &p, l);
			continue;
		}
		if (!mas_shrink_root(mas->tree, &p))
			return;
	}
}

/*
 * Whether a slot of @size going from @old to @entry leaves leaf @l's
 * largest gap as its parent has it, so that the leaf need not be
 * rescanned (mas_update_gaps()): an entry for an entry always does; a
 * NULL does unless it is larger; an entry over a NULL does when that
 * NULL was smaller than the largest (a tie may have been the only one).
 */
static bool ma_leaf_gap_kept(struct ma_state *mas, struct ma_path *p, int l,
			     void *old, void *entry, unsigned long size)
{
	unsigned long gap;

	if (!l || !mt_is_alloc(mas->tree) || !old == !entry)
		return true;
	gap = p->node[l - 1]->ma64.gap[p->off[l - 1]];
	return entry ? size < gap : size <= gap;
}

/*
 * The exact fit (the kernel's wr_exact_fit): [a, b] is one slot's whole
 * range, so the entry just replaces it.  A NULL store has widened over
 * NULL neighbours already, so none touches it.
 */
static bool mas_wr_exact_fit(struct ma_state *mas, struct ma_path *p, unsigned long a,
			     unsigned long b, void *entry)
{
	int l = p->depth - 1;
	struct maple_node *n = p->node[l];
	unsigned char off = p->off[l];
	unsigned long *piv = n->mr64.pivot;

	void *old = n->mr64.slot[off];

	if (a != (off ? piv[off - 1] + 1 : p->min[l]) ||
	    b != ma_slot_max(piv, off, p->end[l], p->max[l]))
		return false;
	n->mr64.slot[off] = entry;
	if (!ma_leaf_gap_kept(mas, p, l, old, entry, b - a + 1))
		mas_update_gaps(mas, p, l);
	return true;
}

/* Append slots [from, to] of @n (a leaf of data end @end, maximum @max) to @b. */
static inline void mab_copy_leaf(struct ma_big *b, struct maple_node *n,
				 unsigned char end, unsigned long max,
				 unsigned char from, unsigned char to)
{
	unsigned char k = to - from + 1, np;

	if (from > to)
		return;
	memcpy(b->slot + b->end, n->mr64.slot + from, k * sizeof(void *));
	np = to < end ? k : k - 1;	/* the last slot's max is the node's */
	memcpy(b->pivot + b->end, n->mr64.pivot + from, np * sizeof(unsigned long));
	if (np < k)
		b->pivot[b->end + np] = max;
	b->end += k;
}

/*
 * Store over [a, b] inside the leaf at the bottom of @p: the slots before
 * a's, what is left of a's below a, the entry, what is left of b's above
 * b, and the slots after b's (the kernel's mas_wr_node_store()).
 */
static void mas_wr_leaf(struct ma_state *mas, struct ma_path *p, unsigned long a,
			unsigned long b, void *entry)
{
	int l = p->depth - 1;
	struct maple_node *n = p->node[l];
	unsigned long *piv = n->mr64.pivot, max = p->max[l];
	unsigned char end = p->end[l], oa = p->off[l], ob;
	unsigned long amin = oa ? piv[oa - 1] + 1 : p->min[l];
	struct ma_big buf;

	ob = b >= max ? end : ma_offset(piv, end, b);
	mab_init(&buf, p->min[l]);
	if (oa)
		mab_copy_leaf(&buf, n, end, max, 0, oa - 1);
	if (amin < a)
		mab_push(&buf, n->mr64.slot[oa], a - 1);
	mab_push(&buf, entry, b);
	if (ma_slot_max(piv, ob, end, max) > b)
		mab_push(&buf, n->mr64.slot[ob], ma_slot_max(piv, ob, end, max));
	if (ob < end)
		mab_copy_leaf(&buf, n, end, max, ob + 1, end);
	if (!entry)
		mab_merge_nulls(&buf);
	mas_commit(mas, p, l, &buf);
}

/*
 * The left side of a spanning store: below level @l, each node on the
 * path of @a keeps its slots up to @a's and now ends at @b (the subtrees
 * after are freed); the leaf's range from @a on becomes @entry.  @oldmax
 * is the maximum the child at p->off[@l] had before, which its stale
 * pivots still assume (ma_data_end()).
 */
static void mas_wr_span_left(struct ma_state *mas, struct ma_path *p, int l,
			     unsigned long oldmax, unsigned long a, unsigned long b,
			     void *entry)
{
	for (l++; ; l++) {
		struct maple_enode *e = ma_slots(p->node[l - 1], p->type[l - 1])[p->off[l - 1]];
		struct maple_node *c = mte_to_node(e);
		enum maple_type t = mte_node_type(e);
		unsigned long *piv = ma_pivots(c, t);
		unsigned char end = ma_data_end(c, t, oldmax);
		unsigned char off = ma_offset(piv, end, a), i;
		struct ma_big buf;

		mab_init(&buf, p->min[l]);
		p->node[l] = c;
		p->type[l] = t;
		p->off[l] = off;
		p->end[l] = off;	/* the slots after @a's are gone */
		if (ma_is_leaf(t)) {
			p->depth = l + 1;
			mas_wr_leaf(mas, p, a, b, entry);
			return;
		}
		for (i = off + 1; i <= end; i++)
			mt_free_subtree(ma_slots(c, t)[i], ma_slot_max(piv, i, end, oldmax));
		p->min[l + 1] = off ? piv[off - 1] + 1 : p->min[l];
		p->max[l + 1] = b;
		mab_copy(&buf, c, t, oldmax, 0, off);
		oldmax = buf.pivot[off];	/* the next child's, as it was */
		buf.pivot[off] = b;
		mab_write(&buf, 0, off + 1, c, t, buf.min);
	}
}

/*
 * The right side: the nodes on the path of @start (the first index after
 * a spanning store) drop the slots that end before their new minimum.
 */
static void mas_wr_trim_right(struct ma_state *mas, unsigned long start)
{
	struct maple_tree *mt = mas->tree;
	struct maple_enode *e = mt->ma_root;
	unsigned long min = 0, max = ~0UL;
	struct ma_path p;
	int l = 0;

	for (;;) {
		struct maple_node *n = mte_to_node(e);
		enum maple_type t = mte_node_type(e);
		unsigned long *piv = ma_pivots(n, t);
		unsigned char end = ma_data_end(n, t, max), off = 0, i;

		while (off < end && piv[off] < min)
			off++;
		if (off) {
			struct ma_big buf;

			mab_init(&buf, min);
			if (!ma_is_leaf(t))
				for (i = 0; i < off; i++)
					mt_free_subtree(ma_slots(n, t)[i], piv[i]);
			mab_copy(&buf, n, t, max, off, end);
			mab_write(&buf, 0, buf.end, n, t, min);
			end -= off;
		}
		off = ma_offset(piv, end, start);
		ma_path_set(&p, l, n, t, min, max, off, end);
		if (ma_is_leaf(t))
			break;
		e = ma_descend(n, t, piv, off, end, &min, &max);
		l++;
	}
	p.depth = l + 1;
	mas_update_gaps(mas, &p, l);
}

/*
 * mas_wr_spanning - [a, b] runs from slot @oa to slot @ob of node @l:
 * the children between go, slot @oa now ends at @b, then the two sides.
 */
static void mas_wr_spanning(struct ma_state *mas, struct ma_path *p, int l,
			    unsigned char oa, unsigned char ob, unsigned long a,
			    unsigned long b, void *entry)
{
	struct maple_node *n = p->node[l];
	enum maple_type t = p->type[l];
	unsigned long *piv = ma_pivots(n, t);
	unsigned long obmax = ma_slot_max(piv, ob, p->end[l], p->max[l]);
	struct ma_big buf;
	unsigned long oldmax = ma_slot_max(piv, oa, p->end[l], p->max[l]);
	unsigned char i, last = obmax == b ? ob : ob - 1;

	mab_init(&buf, p->min[l]);
	for (i = oa + 1; i <= last; i++)
		mt_free_subtree(ma_slots(n, t)[i], ma_slot_max(piv, i, p->end[l], p->max[l]));
	mab_copy(&buf, n, t, p->max[l], 0, oa);
	buf.pivot[oa] = b;
	if (last < p->end[l])
		mab_copy(&buf, n, t, p->max[l], last + 1, p->end[l]);
	p->min[l + 1] = oa ? piv[oa - 1] + 1 : p->min[l];
	mab_write(&buf, 0, buf.end, n, t, buf.min);
	p->end[l] = buf.end - 1;
	p->off[l] = oa;
	p->max[l + 1] = b;
	mas_wr_span_left(mas, p, l, oldmax, a, b, entry);
	if (b != ~0UL && obmax != b)
		mas_wr_trim_right(mas, b + 1);
}

/*
 * Widen a NULL store over the NULL ranges it touches, inside the leaf
 * of @p (the path of @a).  No two NULL ranges touch, so a NULL range at
 * either end of the leaf stops there; false when the store itself
 * reaches past the leaf or starts or ends an entry at its edge: then
 * the neighbour to look at is in another leaf.
 */
static bool mas_wr_extend_null_leaf(struct ma_path *p, unsigned long *a,
				    unsigned long *b)
{
	int l = p->depth - 1;
	struct maple_node *n = p->node[l];
	unsigned long *piv = n->mr64.pivot, min = p->min[l], max = p->max[l];
	unsigned char end = p->end[l], oa = p->off[l], ob;
	unsigned long amin = oa ? piv[oa - 1] + 1 : min, bmax;

	if (*b > max)
		return false;
	ob = ma_offset(piv, end, *b);
	bmax = ma_slot_max(piv, ob, end, max);
	if (n->mr64.slot[oa] && *a == min && *a)
		return false;
	if (n->mr64.slot[ob] && *b == max && *b != ~0UL)
		return false;
	if (!n->mr64.slot[oa])
		*a = amin;
	else if (*a == amin && oa && !n->mr64.slot[oa - 1])
		*a = oa > 1 ? piv[oa - 2] + 1 : min;
	if (!n->mr64.slot[ob])
		*b = bmax;
	else if (*b == bmax && ob < end && !n->mr64.slot[ob + 1])
		*b = ma_slot_max(piv, ob + 1, end, max);
	return true;
}

/* The same across leaves: two walks. */
static void mas_wr_extend_null(struct maple_tree *mt, unsigned long *a,
			       unsigned long *b)
{
	MA_STATE(mas, mt, 0, 0);

	if (*a && !mas_walk_to(&mas, *a - 1) && mas.index < *a)
		*a = mas.index;
	if (*b != ~0UL && !mas_walk_to(&mas, *b + 1) && mas.last > *b)
		*b = mas.last;
}

/* The first store into an empty tree: one leaf. */
static void mas_wr_root(struct ma_state *mas, unsigned long a, unsigned long b,
			void *entry)
{
	struct maple_node *n = mas_pop_node(mas);
	struct ma_big buf;

	mab_init(&buf, 0);
	if (a)
		mab_push(&buf, NULL, a - 1);
	mab_push(&buf, entry, b);
	if (b != ~0UL)
		mab_push(&buf, NULL, ~0UL);
	n->parent = NULL;
	mab_write(&buf, 0, buf.end, n, maple_leaf_64, 0);
	mt_set_root(mas->tree, n, maple_leaf_64);
	mt_set_height(mas->tree, 1);
}

/* mas_wr_store - [index, last] = @entry, with the nodes @mas holds. */
static void mas_wr_store_path(struct ma_state *mas, struct ma_path *p,
			      void *entry);

static void mas_wr_store(struct ma_state *mas, void *entry)
{
	struct ma_path p;

	if (!mas->tree->ma_root) {
		if (entry)
			mas_wr_root(mas, mas->index, mas->last, entry);
		mas_reset(mas);
		return;
	}
	mt_walk_path(mas->tree, mas->index, &p);
	mas_wr_store_path(mas, &p, entry);
}

/* The store, @pp being the path of mas->index. */
static void mas_wr_store_path(struct ma_state *mas, struct ma_path *p, void *entry)
{
	struct maple_tree *mt = mas->tree;
	unsigned long a = mas->index, b = mas->last;
	int l;

	if (!entry && !mas_wr_extend_null_leaf(p, &a, &b)) {
		mas_wr_extend_null(mt, &a, &b);
		mt_walk_path(mt, a, p);
	}
	mas->mas_flags &= ~MA_STATE_DEFICIENT;
	for (l = 0; l < p->depth - 1; l++) {
		unsigned char ob = ma_offset(ma_pivots(p->node[l], p->type[l]), p->end[l], b);

		if (ob != p->off[l]) {
			mas->mas_flags |= MA_STATE_SPANNING;
			mas_wr_spanning(mas, p, l, p->off[l], ob, a, b, entry);
			mas->mas_flags |= MA_STATE_DEFICIENT;
			break;
		}
	}
	if (l == p->depth - 1 && !mas_wr_exact_fit(mas, p, a, b, entry))
		mas_wr_leaf(mas, p, a, b, entry);
	if (mas->mas_flags & MA_STATE_DEFICIENT) {
		mas_fix_fill(mas, a);
		if (b != ~0UL && l < p->depth - 1)
			mas_fix_fill(mas, b + 1);
	}
	mas->mas_flags &= ~(MA_STATE_DEFICIENT | MA_STATE_SPANNING);
	mas->status = ma_start;
	mas->node = NULL;
}

static int mas_check_range(struct ma_state *mas, void *entry)
{
	if (mas->index > mas->last || ((unsigned long)entry & 3))
		return -EINVAL;
	return 0;
}

int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp)
{
	int err = mas_check_range(mas, entry);

	if (!err)
		err = mas_node_count(mas, mas_nodes_needed(mas->tree), gfp);
	return err;
}

/*
 * mas_store_prealloc - store with nodes from mas_preallocate().  Unlike
 * the kernel's, nodes it did not use stay on @mas for the next store
 * (mm/vma.c reserves for a whole operation); mas_destroy() frees them.
 */
void mas_store_prealloc(struct ma_state *mas, void *entry)
{
	VM_BUG_ON(mas->nr_alloc < mas_nodes_needed(mas->tree));
	mas_wr_store(mas, entry);
}

int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	int err = mas_preallocate(mas, entry, gfp);

	if (!err)
		mas_wr_store(mas, entry);
	mas_destroy(mas);
	return err;
}

/* mas_erase - remove the entry at index, all its range; never allocates. */
void *mas_erase(struct ma_state *mas)
{
	struct ma_path p;
	struct maple_node *leaf;
	unsigned long *piv;
	unsigned char off, end;
	void *entry;
	int l;

	if (!mas->tree->ma_root)
		return NULL;
	mt_walk_path(mas->tree, mas->index, &p);
	l = p.depth - 1;
	leaf = p.node[l];
	piv = leaf->mr64.pivot;
	off = p.off[l];
	end = p.end[l];
	entry = leaf->mr64.slot[off];
	if (entry) {
		/* the whole range of the entry: its slot, on the same path */
		mas->index = off ? piv[off - 1] + 1 : p.min[l];
		mas->last = ma_slot_max(piv, off, end, p.max[l]);
		mas_wr_store_path(mas, &p, NULL);
	}
	return entry;
}

int mtree_store_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		      void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);

	return mas_store_gfp(&mas, entry, gfp);
}

int mtree_store(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp)
{
	return mtree_store_range(mt, index, index, entry, gfp);
}

void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);

	return mas_erase(&mas);
}

void __mt_destroy(struct maple_tree *mt)
{
	if (mt->ma_root)
		mt_free_subtree(mt->ma_root, ~0UL);
	mt->ma_root = NULL;
	mt_set_height(mt, 0);
}

void mtree_destroy(struct maple_tree *mt)
{
	__mt_destroy(mt);
}

/* ---- the gap search ---- */

struct ma_gap_search {
	unsigned long min, max, size;
	unsigned long found;		/* first index (rev: last index) */
	bool alloc;
};

/* Does NULL slot [smin, smax] hold size within [min, max]?  Lowest or highest. */
static bool ma_gap_fits(struct ma_gap_search *g, unsigned long smin,
			unsigned long smax, int dir)
{
	unsigned long lo = smin > g->min ? smin : g->min;
	unsigned long hi = smax < g->max ? smax : g->max;

	if (hi < lo || hi - lo < g->size - 1)
		return false;
	g->found = dir > 0 ? lo : hi;
	return true;
}

/* Search the subtree of @e over [min, max] in order (@dir 1) or reverse. */
static bool ma_gap_walk(struct ma_gap_search *g, struct maple_enode *e,
			unsigned long min, unsigned long max, int dir)
{
	struct maple_node *n = mte_to_node(e);
	enum maple_type t = mte_node_type(e);
	unsigned long *piv = ma_pivots(n, t);
	unsigned char end = ma_data_end(n, t, max);
	int i = dir > 0 ? 0 : end;

	for (; i >= 0 && i <= end; i += dir) {
		unsigned long smin = i ? piv[i - 1] + 1 : min;
		unsigned long smax = ma_slot_max(piv, (unsigned char)i, end, max);

		if (smax < g->min || smin > g->max) {
			if ((dir > 0) == (smin > g->max))
				return false;	/* past the window for good */
			continue;
		}
		if (ma_is_leaf(t)) {
			if (!n->mr64.slot[i] && ma_gap_fits(g, smin, smax, dir))
				return true;
			continue;
		}
		if (g->alloc && n->ma64.gap[i] < g->size)
			continue;
		if (ma_gap_walk(g, ma_slots(n, t)[i], smin, smax, dir))
			return true;
	}
	return false;
}

static int mas_empty_search(struct ma_state *mas, unsigned long min, unsigned long max,
			    unsigned long size, int dir)
{
	struct ma_gap_search g = { .min = min, .max = max, .size = size,
				   .alloc = mt_is_alloc(mas->tree) };

	if (min > max || !size || max - min < size - 1)
		return -EINVAL;
	if (!mas->tree->ma_root)
		g.found = dir > 0 ? min : max;
	else if (!ma_gap_walk(&g, mas->tree->ma_root, 0, ~0UL, dir))
		return -EBUSY;
	mas->index = dir > 0 ? g.found : g.found - (size - 1);
	mas->last = mas->index + (size - 1);
	mas->status = ma_start;
	return 0;
}

/* mas_empty_area - the lowest NULL range of @size in [min, max]: index..last. */
int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	return mas_empty_search(mas, min, max, size, 1);
}

/* mas_empty_area_rev - the highest: last is its end (clipped to @max). */
int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size)
{
	return mas_empty_search(mas, min, max, size, -1);
}

/* ---- validation ---- */

struct mt_check {
	struct maple_tree *mt;
	unsigned int height;
	bool last_null;		/* the previous leaf slot was NULL */
	bool started;
	unsigned long nodes;
};

#define MT_CHECK(cond, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "mt_validate: " fmt "\n", ##__VA_ARGS__); \
			return -EINVAL;					\
		}							\
	} while (0)

static unsigned long ma_max_of(const unsigned long *v, unsigned char end)
{
	unsigned long m = 0;
	unsigned char i;

	for (i = 0; i <= end; i++)
		if (v[i] > m)
			m = v[i];
	return m;
}

static int mt_check_leaf(struct mt_check *c, struct maple_node *n, unsigned char end)
{
	unsigned char i;

	for (i = 0; i <= end; i++) {
		bool null = !n->mr64.slot[i];

		MT_CHECK(!(null && c->started && c->last_null),
			 "adjacent NULL ranges at leaf %p slot %u", (void *)n, i);
		c->last_null = null;
		c->started = true;
	}
	return 0;
}

static int mt_check_node(struct mt_check *c, struct maple_enode *e, unsigned long min,
			 unsigned long max, unsigned int depth);

static int mt_check_children(struct mt_check *c, struct maple_node *n,
			     enum maple_type t, unsigned long min, unsigned long max,
			     unsigned char end, unsigned int depth)
{
	unsigned long *piv = ma_pivots(n, t);
	unsigned char i;
	int err;

	for (i = 0; i <= end; i++) {
		struct maple_enode *child = ma_slots(n, t)[i];
		unsigned long cmin = i ? piv[i - 1] + 1 : min;
		unsigned long cmax = ma_slot_max(piv, i, end, max);
		unsigned long want = (unsigned long)n | ((unsigned long)i << 3) |
				     ((unsigned long)t << 1);

		MT_CHECK(child, "NULL child %u of %p", i, (void *)n);
		MT_CHECK((unsigned long)mte_to_node(child)->parent == want,
			 "child %u of %p has a wrong parent pointer", i, (void *)n);
		err = mt_check_node(c, child, cmin, cmax, depth + 1);
		if (err)
			return err;
		MT_CHECK(t != maple_arange_64 ||
			 n->ma64.gap[i] == mte_max_gap(child, cmin, cmax),
			 "gap %u of %p is %lu, the subtree's is %lu", i, (void *)n,
			 n->ma64.gap[i], mte_max_gap(child, cmin, cmax));
	}
	MT_CHECK(t != maple_arange_64 ||
		 n->ma64.gap[n->ma64.meta.gap] == ma_max_of(n->ma64.gap, end),
		 "meta.gap of %p is not the largest", (void *)n);
	return 0;
}

static int mt_check_node(struct mt_check *c, struct maple_enode *e, unsigned long min,
			 unsigned long max, unsigned int depth)
{
	struct maple_node *n = mte_to_node(e);
	enum maple_type t = mte_node_type(e);
	unsigned long *piv = ma_pivots(n, t);
	unsigned char end = ma_data_end(n, t, max), i;
	bool root = e == c->mt->ma_root;

	c->nodes++;
	MT_CHECK(t == maple_leaf_64 || t == mt_internal_type(c->mt),
		 "node %p has type %d", (void *)n, t);
	MT_CHECK(ma_is_leaf(t) == (depth == c->height - 1),
		 "node %p at depth %u, height %u", (void *)n, depth, c->height);
	MT_CHECK(end < mt_slots[t], "node %p end %u", (void *)n, end);
	MT_CHECK(root || end >= mt_min_slots[t], "node %p holds %u slots, below minimum",
		 (void *)n, end + 1);
	MT_CHECK(!root || ma_is_leaf(t) || end >= 1, "internal root with one child");
	for (i = 0; i < end; i++)
		MT_CHECK(piv[i] >= (i ? piv[i - 1] + 1 : min) && piv[i] < max,
			 "pivot %u of %p (%lx) out of order in [%lx, %lx]", i, (void *)n,
			 piv[i], min, max);
	for (i = end; i < mt_pivots[t]; i++)
		MT_CHECK(piv[i] == (i == end ? max : 0),
			 "pivot %u of %p is %lx past the end %u", i, (void *)n, piv[i], end);
	if (ma_is_leaf(t))
		return mt_check_leaf(c, n, end);
	return mt_check_children(c, n, t, min, max, end, depth);
}

int mt_validate(struct maple_tree *mt)
{
	struct mt_check c = { .mt = mt, .height = mt_height(mt) };
	struct maple_enode *root = mt->ma_root;
	struct maple_node *n;

	if (!root) {
		MT_CHECK(!c.height, "empty tree of height %u", c.height);
		return 0;
	}
	n = mte_to_node(root);
	MT_CHECK((unsigned long)n->parent == ((unsigned long)mt | MA_ROOT_PARENT),
		 "the root's parent pointer does not name the tree");
	MT_CHECK(c.height >= 1 && c.height < MAPLE_HEIGHT_MAX, "height %u", c.height);
	MT_CHECK(!ma_is_leaf(mte_node_type(root)) || ma_data_end(n, maple_leaf_64, ~0UL) ||
		 n->mr64.slot[0], "a root leaf holding only NULL");
	return mt_check_node(&c, root, 0, ~0UL, 0);
}

unsigned long mt_nr_nodes(struct maple_tree *mt)
{
	struct mt_check c = { .mt = mt, .height = mt_height(mt) };

	if (mt->ma_root && mt_check_node(&c, mt->ma_root, 0, ~0UL, 0))
		return 0;
	return c.nodes;
}
