// SPDX-License-Identifier: GPL-2.0
/*
 * rbtree.c - red-black tree rebalancing, navigation and checking.
 *
 * Owns the algorithms behind include/umm/rbtree.h and rbtree_augmented.h:
 * insertion and erasure rebalancing (plain and augmented), in-order and
 * post-order navigation, node replacement, and rb_check(), the invariant
 * checker used by tests and debug code. The trees themselves live in the
 * callers' objects; nothing here allocates.
 *
 * The red-black invariants maintained by every operation:
 *
 *  1) every node is either red or black;
 *  2) the root is black;
 *  3) every leaf (the NULL children) is black;
 *  4) both children of a red node are black (no red node has a red parent);
 *  5) every path from a given node down to any of its leaves contains the
 *     same number of black nodes (the node's "black height").
 *
 * 4) and 5) together bound the longest root-to-leaf path to twice the
 * shortest one, so the height is at most 2 * log2(n + 1).
 *
 * Not thread safe: callers serialise access to each tree with their own
 * lock. The caller also guarantees that nodes passed in are in the tree
 * they name.
 *
 * This is an original implementation that follows the algorithm and the
 * API of the Linux kernel's lib/rbtree.c (bottom-up rebalancing with at most
 * two rotations per insertion and three per erasure, colour kept in bit 0
 * of the parent pointer, augmentation through a rotate callback). The
 * rebalancing loops are written once, parameterised by the side on which
 * the current node hangs, instead of as mirrored copies.
 */
#include <stddef.h>
#include <stdbool.h>

#include <umm/rbtree.h>
#include <umm/rbtree_augmented.h>

#define __rb_force_inline	inline __attribute__((always_inline))

/* Side indices: LEFT is 0, RIGHT is 1, and !dir is the opposite side. */
enum { RB_DIR_LEFT = 0, RB_DIR_RIGHT = 1 };

static __rb_force_inline struct rb_node *rb_child(const struct rb_node *n,
						  int dir)
{
	return dir ? n->rb_right : n->rb_left;
}

static __rb_force_inline void rb_set_child(struct rb_node *n, int dir,
					   struct rb_node *child)
{
	if (dir)
		n->rb_right = child;
	else
		n->rb_left = child;
}

static __rb_force_inline void rb_make_black(struct rb_node *n)
{
	n->__rb_parent_color |= RB_BLACK;
}

static __rb_force_inline void rb_make_red(struct rb_node *n)
{
	n->__rb_parent_color &= ~(unsigned long)RB_BLACK;
}

/*
 * Rotate the subtree rooted at @top down towards side @dir:
 *
 *          top                     up            (drawn for dir == LEFT)
 *         /   \                   /  \
 *        a     up       ==>    top    c
 *             /  \            /   \
 *           mid   c          a    mid
 *
 * @up (the child on the side opposite @dir) takes @top's place, including
 * its parent word and therefore its colour; @top is recoloured @color.
 * Finally the augment callback learns that @up replaced @top.
 */
static __rb_force_inline struct rb_node *
rb_rotate(struct rb_node *top, int dir, int color, struct rb_root *root,
	  void (*augment_rotate)(struct rb_node *old, struct rb_node *new_))
{
	struct rb_node *up = rb_child(top, !dir);
	struct rb_node *mid = rb_child(up, dir);
	struct rb_node *gparent = rb_parent(top);

	rb_set_child(top, !dir, mid);
	if (mid)
		rb_set_parent(mid, top);
	rb_set_child(up, dir, top);
	up->__rb_parent_color = top->__rb_parent_color;
	rb_set_parent_color(top, up, color);
	__rb_change_child(top, up, gparent, root);
	augment_rotate(top, up);
	return up;
}

/*
 * Insertion fix-up. @node was linked red at a leaf position; the only
 * invariant that can be broken is 4), between @node and its parent. Each
 * round either ends the loop or moves the red-red conflict two levels up.
 */
static __rb_force_inline void
rb_insert_fixup(struct rb_node *node, struct rb_root *root,
		void (*augment_rotate)(struct rb_node *old,
				       struct rb_node *new_))
{
	struct rb_node *parent = rb_parent(node);
	struct rb_node *gparent, *uncle;
	int pdir;

	for (;;) {
		if (!parent) {
			/* @node is the root: blacken it, invariant 2). */
			rb_set_parent_color(node, NULL, RB_BLACK);
			return;
		}
		if (rb_is_black(parent))
			return;

		/* A red parent is never the root, so @gparent exists. */
		gparent = rb_parent(parent);
		pdir = gparent->rb_right == parent;
		uncle = rb_child(gparent, !pdir);

		if (uncle && rb_is_red(uncle)) {
			/*
			 * Red uncle: push gparent's black down to both of its
			 * children. Black heights are unchanged, but gparent
			 * is now red and may conflict with its own parent.
			 */
			rb_make_black(uncle);
			rb_make_black(parent);
			rb_make_red(gparent);
			node = gparent;
			parent = rb_parent(node);
			continue;
		}

		if (rb_child(parent, !pdir) == node) {
			/*
			 * @node is an inner grandchild: rotate it above its
			 * parent so that the conflict is on the outer side.
			 * Both are red, so no black height changes.
			 */
			rb_rotate(parent, pdir, RB_RED, root, augment_rotate);
			parent = node;
		}

		/*
		 * Outer grandchild with a black uncle: rotate @parent above
		 * @gparent. @parent inherits the black of @gparent, @gparent
		 * turns red and becomes the sibling of @node. Done.
		 */
		rb_rotate(gparent, !pdir, RB_RED, root, augment_rotate);
		return;
	}
}

/*
 * Erasure fix-up. Every path through the child of @parent on side of @node
 * (initially the now-empty slot, @node == NULL) is one black node short.
 * @node is black or NULL. Each round either restores balance or moves the
 * deficit one level up.
 */
static __rb_force_inline void
rb_erase_fixup(struct rb_node *parent, struct rb_root *root,
	       void (*augment_rotate)(struct rb_node *old,
				      struct rb_node *new_))
{
	struct rb_node *node = NULL, *sibling, *near, *far;
	int dir;

	for (;;) {
		/*
		 * Exactly one side of @parent can be @node when @node is
		 * NULL: the sibling subtree has a black height of at least
		 * one, so it is never empty.
		 */
		dir = parent->rb_left == node ? RB_DIR_LEFT : RB_DIR_RIGHT;
		sibling = rb_child(parent, !dir);

		if (rb_is_red(sibling)) {
			/*
			 * Red sibling (so a black parent): rotate it above
			 * @parent, which turns red. @node's new sibling is
			 * the old sibling's inner child: black, non-NULL.
			 */
			rb_rotate(parent, dir, RB_RED, root, augment_rotate);
			sibling = rb_child(parent, !dir);
		}

		far = rb_child(sibling, !dir);
		if (!far || rb_is_black(far)) {
			near = rb_child(sibling, dir);
			if (!near || rb_is_black(near)) {
				/*
				 * Black sibling with black children: make it
				 * red, so both sides of @parent are short.
				 * A red @parent absorbs that by turning
				 * black; otherwise the deficit moves up.
				 */
				rb_make_red(sibling);
				if (rb_is_red(parent)) {
					rb_make_black(parent);
					return;
				}
				node = parent;
				parent = rb_parent(node);
				if (!parent)
					return;
				continue;
			}
			/*
			 * Red near nephew, black far one: rotate the near
			 * nephew above the sibling. It takes the sibling's
			 * black, the old sibling (now its far child) turns
			 * red, and we are in the red-far-nephew case.
			 */
			far = sibling;
			sibling = rb_rotate(sibling, !dir, RB_RED, root,
					    augment_rotate);
		}

		/*
		 * Black sibling with a red far nephew: rotate the sibling
		 * above @parent. It takes @parent's colour, @parent turns
		 * black (the black @node's side was missing) and the far
		 * nephew turns black (replacing the sibling's black on its
		 * side). Balanced.
		 */
		rb_rotate(parent, dir, RB_BLACK, root, augment_rotate);
		rb_make_black(far);
		return;
	}
}

static void rb_dummy_propagate(struct rb_node *node, struct rb_node *stop)
{
	(void)node;
	(void)stop;
}

static void rb_dummy_copy(struct rb_node *old, struct rb_node *new_)
{
	(void)old;
	(void)new_;
}

static void rb_dummy_rotate(struct rb_node *old, struct rb_node *new_)
{
	(void)old;
	(void)new_;
}

static const struct rb_augment_callbacks rb_dummy_callbacks = {
	.propagate = rb_dummy_propagate,
	.copy = rb_dummy_copy,
	.rotate = rb_dummy_rotate,
};

UMM_API void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	rb_insert_fixup(node, root, rb_dummy_rotate);
}

UMM_API void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *rebalance;

	rebalance = __rb_erase_augmented(node, root, &rb_dummy_callbacks);
	if (rebalance)
		rb_erase_fixup(rebalance, root, rb_dummy_rotate);
}

UMM_API void __rb_insert_augmented(struct rb_node *node, struct rb_root *root,
	void (*augment_rotate)(struct rb_node *old, struct rb_node *new_))
{
	rb_insert_fixup(node, root, augment_rotate);
}

UMM_API void __rb_erase_color(struct rb_node *parent, struct rb_root *root,
	void (*augment_rotate)(struct rb_node *old, struct rb_node *new_))
{
	rb_erase_fixup(parent, root, augment_rotate);
}

/* Descend from @node to the end of its subtree on side @dir. */
static __rb_force_inline struct rb_node *rb_extreme(const struct rb_node *node,
						    int dir)
{
	struct rb_node *next;

	while ((next = rb_child(node, dir)))
		node = next;
	return (struct rb_node *)node;
}

/*
 * In-order neighbour of @node on side @dir (RIGHT: successor, LEFT:
 * predecessor): the extreme node of the @dir subtree if there is one,
 * else the first ancestor reached from its !@dir side.
 */
static __rb_force_inline struct rb_node *rb_step(const struct rb_node *node,
						 int dir)
{
	struct rb_node *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;

	if (rb_child(node, dir))
		return rb_extreme(rb_child(node, dir), !dir);

	while ((parent = rb_parent(node)) && node == rb_child(parent, dir))
		node = parent;
	return parent;
}

UMM_API struct rb_node *rb_next(const struct rb_node *node)
{
	return rb_step(node, RB_DIR_RIGHT);
}

UMM_API struct rb_node *rb_prev(const struct rb_node *node)
{
	return rb_step(node, RB_DIR_LEFT);
}

UMM_API struct rb_node *rb_first(const struct rb_root *root)
{
	if (!root->rb_node)
		return NULL;
	return rb_extreme(root->rb_node, RB_DIR_LEFT);
}

UMM_API struct rb_node *rb_last(const struct rb_root *root)
{
	if (!root->rb_node)
		return NULL;
	return rb_extreme(root->rb_node, RB_DIR_RIGHT);
}

/* The first node of @node's subtree in post-order: a leaf, left-leaning. */
static struct rb_node *rb_postorder_leaf(const struct rb_node *node)
{
	for (;;) {
		if (node->rb_left)
			node = node->rb_left;
		else if (node->rb_right)
			node = node->rb_right;
		else
			return (struct rb_node *)node;
	}
}

UMM_API struct rb_node *rb_first_postorder(const struct rb_root *root)
{
	if (!root->rb_node)
		return NULL;
	return rb_postorder_leaf(root->rb_node);
}

UMM_API struct rb_node *rb_next_postorder(const struct rb_node *node)
{
	struct rb_node *parent;

	if (!node)
		return NULL;
	parent = rb_parent(node);

	/* Coming up from a left child: the right subtree is next, if any. */
	if (parent && node == parent->rb_left && parent->rb_right)
		return rb_postorder_leaf(parent->rb_right);

	/* Both subtrees of the parent are done: the parent itself. */
	return parent;
}

UMM_API void rb_replace_node(struct rb_node *victim, struct rb_node *new_,
			     struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	/* Same parent, colour and children; then re-point the neighbours. */
	*new_ = *victim;
	if (victim->rb_left)
		rb_set_parent(victim->rb_left, new_);
	if (victim->rb_right)
		rb_set_parent(victim->rb_right, new_);
	__rb_change_child(victim, new_, parent, root);
}

/*
 * rb_check() support. A valid tree of n nodes is at most 2 * log2(n + 1)
 * deep, which is below 2 * (bits in a pointer); anything deeper is a cycle
 * or corruption.
 */
#define RB_CHECK_MAX_DEPTH	(2 * 8 * (int)sizeof(void *) + 2)

struct rb_check_state {
	int (*cmp)(const struct rb_node *a, const struct rb_node *b);
	const struct rb_node *prev;	/* last node visited in order */
	int black_height;		/* of the first leaf reached, or -1 */
};

/*
 * Check the subtree at @node, whose parent must be @parent, @blacks black
 * nodes having been seen above it. The walk is in order, so the reported
 * error is the first one met in that order.
 */
static int rb_check_subtree(struct rb_check_state *st,
			    const struct rb_node *node,
			    const struct rb_node *parent, int blacks, int depth)
{
	int ret;

	if (!node) {
		/* A leaf: all root-to-leaf paths must agree, invariant 5). */
		if (st->black_height < 0)
			st->black_height = blacks;
		else if (st->black_height != blacks)
			return RB_CHECK_BLACK_HEIGHT;
		return RB_CHECK_OK;
	}

	if (depth > RB_CHECK_MAX_DEPTH)
		return RB_CHECK_DEPTH;
	if (rb_parent(node) != parent || (node->__rb_parent_color & 2UL))
		return RB_CHECK_PARENT;
	if (rb_is_red(node)) {
		if ((node->rb_left && rb_is_red(node->rb_left)) ||
		    (node->rb_right && rb_is_red(node->rb_right)))
			return RB_CHECK_RED_RED;
	} else {
		blacks++;
	}

	ret = rb_check_subtree(st, node->rb_left, node, blacks, depth + 1);
	if (ret)
		return ret;

	if (st->cmp && st->prev && st->cmp(st->prev, node) > 0)
		return RB_CHECK_ORDER;
	st->prev = node;

	return rb_check_subtree(st, node->rb_right, node, blacks, depth + 1);
}

UMM_API int rb_check(const struct rb_root *root,
		     int (*cmp)(const struct rb_node *a,
				const struct rb_node *b))
{
	struct rb_check_state st = {
		.cmp = cmp,
		.prev = NULL,
		.black_height = -1,
	};
	const struct rb_node *top = root->rb_node;

	if (!top)
		return RB_CHECK_OK;
	if (rb_parent(top))
		return RB_CHECK_ROOT_PARENT;
	if (rb_is_red(top))
		return RB_CHECK_ROOT_RED;
	return rb_check_subtree(&st, top, NULL, 0, 0);
}
