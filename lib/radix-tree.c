// SPDX-License-Identifier: GPL-2.0
/*
 * radix-tree.c - a radix tree of pointers with tags (lib/radix-tree.c,
 * with the xarray's geometry: 64-way nodes, as in lib/xarray.c; ULK3
 * ch. 15, "The Radix Tree").  The page cache's i_pages is one
 * (mm/filemap.c); it maps a page offset to its struct page.
 *
 * Invariants (radix_tree_check()):
 *  - a node's count is the number of its non-NULL slots, and no node is
 *    empty;
 *  - a node's tag bit t of slot i is set iff something below slot i has
 *    tag t (at a leaf: the item in slot i has it);
 *  - every child's parent/offset name the slot that holds it, and its
 *    shift is its parent's less RADIX_TREE_MAP_SHIFT; the top node's
 *    shift is (height - 1) * RADIX_TREE_MAP_SHIFT;
 *  - the tree grows a level on top when an index does not fit and loses
 *    one when the top node holds nothing but slot 0.
 *
 * Locking: none of its own.  The owner of the root serialises every call
 * (the page cache holds mapping->i_pages_lock); lookups are not lockless
 * (there is no RCU here), so readers take the owner's lock too.
 * Nodes come from kzalloc().
 */
#include <errno.h>
#include <umm/radix-tree.h>
#include <umm/slab.h>

/* 9 levels of 6 bits: 54 bits of page index, more than 2^63 bytes need. */
#define RADIX_TREE_MAX_HEIGHT	9

static unsigned long radix_tree_maxindex(unsigned int height)
{
	return height ? (1UL << (height * RADIX_TREE_MAP_SHIFT)) - 1 : 0;
}

static unsigned int radix_tree_height_for(unsigned long index)
{
	unsigned int h = 1;

	while (index > radix_tree_maxindex(h))
		h++;
	return h;
}

static struct radix_tree_node *radix_tree_node_alloc(struct radix_tree_node *parent,
						     unsigned int shift, unsigned int offset)
{
	struct radix_tree_node *node = kzalloc(sizeof(*node), GFP_KERNEL);

	if (node) {
		node->shift = (unsigned char)shift;
		node->offset = (unsigned char)offset;
		node->parent = parent;
	}
	return node;
}

/*
 * The kernel frees nodes through call_rcu() (radix_tree_node_free()).
 * Here the deferral serves reclaim instead: it runs inside allocations,
 * the slab allocator's own included, so the nodes it empties while
 * radix_tree_defer_frees(true) is in force are not kfree()d there: they
 * wait on this stack (linked through ->parent) until the owner calls
 * radix_tree_free_deferred() from a context that may free.
 */
static __thread bool defer_frees;
static struct radix_tree_node *deferred_nodes;

void radix_tree_defer_frees(bool on)
{
	defer_frees = on;
}

static void radix_tree_node_free(struct radix_tree_node *node)
{
	if (likely(!defer_frees)) {
		kfree(node);
		return;
	}
	node->parent = __atomic_load_n(&deferred_nodes, __ATOMIC_RELAXED);
	while (!__atomic_compare_exchange_n(&deferred_nodes, &node->parent, node, false,
					    __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

void radix_tree_free_deferred(void)
{
	struct radix_tree_node *node;

	if (likely(!__atomic_load_n(&deferred_nodes, __ATOMIC_RELAXED)))
		return;
	node = __atomic_exchange_n(&deferred_nodes, NULL, __ATOMIC_ACQUIRE);
	while (node) {
		struct radix_tree_node *next = node->parent;

		kfree(node);
		node = next;
	}
}

void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = root->rnode;

	if (!node || index > radix_tree_maxindex(root->height))
		return NULL;
	for (;;) {
		void *slot = node->slots[(index >> node->shift) & RADIX_TREE_MAP_MASK];

		if (!node->shift || !slot)
			return slot;
		node = slot;
	}
}

/* Free @node and its ancestors while they are empty. */
static void radix_tree_prune(struct radix_tree_root *root, struct radix_tree_node *node)
{
	while (node && !node->count) {
		struct radix_tree_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			root->rnode = NULL;
			root->height = 0;
		}
		radix_tree_node_free(node);
		node = parent;
	}
}

/* Add levels on top until @index fits. */
static int radix_tree_extend(struct radix_tree_root *root, unsigned long index)
{
	while (index > radix_tree_maxindex(root->height)) {
		struct radix_tree_node *top = root->rnode, *node;

		node = radix_tree_node_alloc(NULL, root->height * RADIX_TREE_MAP_SHIFT, 0);
		if (!node)
			return -ENOMEM;
		node->slots[0] = top;
		node->count = 1;
		for (int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
			if (top->tags[t])
				node->tags[t] = 1;
		top->parent = node;
		top->offset = 0;
		root->rnode = node;
		root->height++;
	}
	return 0;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item)
{
	struct radix_tree_node *node;
	int err;

	if (index > radix_tree_maxindex(RADIX_TREE_MAX_HEIGHT))
		return -EFBIG;
	if (!root->rnode) {
		unsigned int h = radix_tree_height_for(index);

		root->rnode = radix_tree_node_alloc(NULL, (h - 1) * RADIX_TREE_MAP_SHIFT, 0);
		if (!root->rnode)
			return -ENOMEM;
		root->height = h;
	} else {
		err = radix_tree_extend(root, index);
		if (err)
			return err;
	}
	node = root->rnode;
	for (;;) {
		unsigned int off = (index >> node->shift) & RADIX_TREE_MAP_MASK;
		struct radix_tree_node *child;

		if (!node->shift) {
			if (node->slots[off]) {
				radix_tree_prune(root, node);
				return -EEXIST;
			}
			node->slots[off] = item;
			node->count++;
			return 0;
		}
		child = node->slots[off];
		if (!child) {
			child = radix_tree_node_alloc(node, node->shift - RADIX_TREE_MAP_SHIFT, off);
			if (!child) {
				radix_tree_prune(root, node);
				return -ENOMEM;
			}
			node->slots[off] = child;
			node->count++;
		}
		node = child;
	}
}

/* The leaf node that holds @index, or NULL. */
struct radix_tree_node *radix_tree_leaf(const struct radix_tree_root *root,
					       unsigned long index)
{
	struct radix_tree_node *node = root->rnode;

	if (!node || index > radix_tree_maxindex(root->height))
		return NULL;
	while (node && node->shift)
		node = node->slots[(index >> node->shift) & RADIX_TREE_MAP_MASK];
	return node;
}

void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index, int tag)
{
	struct radix_tree_node *node = root->rnode;

	while (node) {
		unsigned int off = (index >> node->shift) & RADIX_TREE_MAP_MASK;

		node->tags[tag] |= 1UL << off;
		node = node->shift ? node->slots[off] : NULL;
	}
}

void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index, int tag)
{
	struct radix_tree_node *node = radix_tree_leaf(root, index);
	unsigned int off = index & RADIX_TREE_MAP_MASK;

	while (node) {
		node->tags[tag] &= ~(1UL << off);
		if (node->tags[tag])
			break;
		off = node->offset;
		node = node->parent;
	}
}

bool radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index,
			       int tag)
{
	struct radix_tree_node *node = radix_tree_leaf(root, index);

	return node && (node->tags[tag] & (1UL << (index & RADIX_TREE_MAP_MASK)));
}

/* Remove and return the item at @index; empty nodes go, the top shrinks. */
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = radix_tree_leaf(root, index);
	unsigned int off = index & RADIX_TREE_MAP_MASK;
	void *item;

	if (!node || !node->slots[off])
		return NULL;
	for (int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
		radix_tree_tag_clear(root, index, t);
	item = node->slots[off];
	node->slots[off] = NULL;
	node->count--;
	radix_tree_prune(root, node);
	/* Shrink: a top node whose only child is slot 0 is not needed. */
	while (root->height > 1 && root->rnode->count == 1 && root->rnode->slots[0]) {
		struct radix_tree_node *top = root->rnode, *child = top->slots[0];

		child->parent = NULL;
		root->rnode = child;
		root->height--;
		radix_tree_node_free(top);
	}
	return item;
}

/*
 * The first item at an index in [*indexp, max] (with @tag, if >= 0);
 * *indexp is set to its index.  One descent, climbing back up past
 * subtrees that have nothing.
 */
void *radix_tree_next(const struct radix_tree_root *root, unsigned long *indexp,
			     unsigned long max, int tag)
{
	struct radix_tree_node *node = root->rnode;
	unsigned long index = *indexp;

	if (!node || index > radix_tree_maxindex(root->height))
		return NULL;
	while (index <= max) {
		unsigned int shift = node->shift, off = (index >> shift) & RADIX_TREE_MAP_MASK;
		unsigned long span = 1UL << (shift + RADIX_TREE_MAP_SHIFT);
		unsigned long found = RADIX_TREE_MAP_SIZE;

		if (tag >= 0) {
			unsigned long bits = node->tags[tag] >> off;

			if (bits)
				found = off + (unsigned long)__builtin_ctzl(bits);
		} else {
			for (unsigned int i = off; i < RADIX_TREE_MAP_SIZE; i++)
				if (node->slots[i]) {
					found = i;
					break;
				}
		}
		if (found == RADIX_TREE_MAP_SIZE) {
			/*
			 * Nothing left here: on to the parent's next slot, and
			 * further up while that steps past the parent's end.
			 */
			if (!node->parent)
				return NULL;
			index = (index & ~(span - 1)) + span;
			if (!index)
				return NULL;
			do {
				node = node->parent;
				if (!node)
					return NULL;
			} while (!((index >> node->shift) & RADIX_TREE_MAP_MASK));
			continue;
		}
		if (found != off)
			index = (index & ~(span - 1)) | (found << shift);
		if (index > max)
			return NULL;
		if (!shift) {
			*indexp = index;
			return node->slots[found];
		}
		node = node->slots[found];
	}
	return NULL;
}

/* Node invariants below @node: counts, tags, parent links; the pages seen. */
static int radix_tree_node_check(const struct radix_tree_node *node, unsigned long *nr)
{
	unsigned int count = 0;

	for (unsigned int i = 0; i < RADIX_TREE_MAP_SIZE; i++) {
		const struct radix_tree_node *child = node->slots[i];

		if (!child) {
			for (int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
				if (node->tags[t] & (1UL << i))
					return -EINVAL;
			continue;
		}
		count++;
		if (!node->shift) {
			(*nr)++;
			continue;
		}
		if (child->parent != node || child->offset != i ||
		    child->shift + RADIX_TREE_MAP_SHIFT != node->shift || !child->count)
			return -EINVAL;
		for (int t = 0; t < RADIX_TREE_MAX_TAGS; t++)
			if (!!(node->tags[t] & (1UL << i)) != !!child->tags[t])
				return -EINVAL;
		if (radix_tree_node_check(child, nr))
			return -EINVAL;
	}
	return count == node->count ? 0 : -EINVAL;
}

/*
 * radix_tree_check - the shape of the whole tree (the head comment's
 * invariants); *@nr counts the items.  0, or -EINVAL.
 */
int radix_tree_check(const struct radix_tree_root *root, unsigned long *nr)
{
	const struct radix_tree_node *top = root->rnode;

	if (!top)
		return root->height ? -EINVAL : 0;
	if (top->parent || top->shift != (root->height - 1) * RADIX_TREE_MAP_SHIFT)
		return -EINVAL;
	return radix_tree_node_check(top, nr);
}
