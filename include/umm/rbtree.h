/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rbtree.h - intrusive red-black trees with the kernel's names and semantics
 * (include/linux/rbtree.h).
 *
 * A struct rb_node is embedded in the user's object and found again with
 * rb_entry(). The tree never allocates and never compares: the caller walks
 * down from the root to find the link where the new node belongs, links it
 * with rb_link_node() and then lets rb_insert_color() rebalance. The helpers
 * rb_add(), rb_find() and friends at the bottom wrap that pattern around a
 * comparison callback.
 *
 * The parent pointer and the node's colour share one word: nodes are at least
 * long aligned, so bit 0 holds the colour (0 red, 1 black) and bit 1 is kept
 * clear. A node that is not in a tree can be marked with RB_CLEAR_NODE(),
 * which makes it its own parent; RB_EMPTY_NODE() tests for that mark.
 *
 * Not thread safe: the structure that owns a tree owns its lock.
 */
#ifndef _UMM_RBTREE_H
#define _UMM_RBTREE_H

#include "compiler.h"	/* UMM_API, container_of */
#include <stddef.h>
#include <stdbool.h>

UMM_BEGIN_DECLS

struct rb_node {
	unsigned long  __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

/*
 * A tree that also remembers its leftmost (smallest) node, so that
 * rb_first_cached() is O(1). Keep rb_leftmost right by using only the
 * *_cached insert, erase and replace variants on such a tree.
 */
struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

#define RB_ROOT		((struct rb_root) { NULL, })
#define RB_ROOT_CACHED	((struct rb_root_cached) { { NULL, }, NULL })

#define rb_parent(r)	((struct rb_node *)((r)->__rb_parent_color & ~3UL))

#define rb_entry(ptr, type, member) container_of(ptr, type, member)

/* NULL-tolerant rb_entry(): a NULL node gives a NULL object. */
static inline void *__rb_entry_or_null(const struct rb_node *node,
				       size_t offset)
{
	return node ? (void *)((char *)node - offset) : NULL;
}

#define rb_entry_safe(ptr, type, member) \
	((type *)__rb_entry_or_null((ptr), offsetof(type, member)))

#define RB_EMPTY_ROOT(root)	((root)->rb_node == NULL)

/* 'Empty' nodes are nodes that are known not to be inserted in a tree. */
#define RB_EMPTY_NODE(node) \
	((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) \
	((node)->__rb_parent_color = (unsigned long)(node))

#define rb_first_cached(root)	((root)->rb_leftmost)

/* Rebalance after rb_link_node() put @node (red) at a leaf position. */
UMM_API void rb_insert_color(struct rb_node *node, struct rb_root *root);
/* Unlink @node and rebalance. @node's own fields are left stale. */
UMM_API void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order navigation; NULL past either end or for an RB_EMPTY_NODE(). */
UMM_API struct rb_node *rb_next(const struct rb_node *node);
UMM_API struct rb_node *rb_prev(const struct rb_node *node);
UMM_API struct rb_node *rb_first(const struct rb_root *root);
UMM_API struct rb_node *rb_last(const struct rb_root *root);

/*
 * Post-order navigation: children before their parent, so a whole tree can
 * be torn down without rebalancing (see the iterator below).
 */
UMM_API struct rb_node *rb_first_postorder(const struct rb_root *root);
UMM_API struct rb_node *rb_next_postorder(const struct rb_node *node);

/*
 * Put @new_ in @victim's place without rebalancing. @new_ must sort exactly
 * where @victim did; @victim is left stale.
 */
UMM_API void rb_replace_node(struct rb_node *victim, struct rb_node *new_,
			     struct rb_root *root);

/*
 * rb_check - verify a tree's structure (debugging and tests).
 * @root: the tree
 * @cmp:  optional ordering, negative/zero/positive like strcmp(); NULL
 *        skips the order check
 *
 * Walks the whole tree (O(n), recursion depth O(log n)) and checks, in this
 * order of reporting: the root has no parent and is black; every child
 * points back at its parent and the reserved bit 1 is clear; no red node has
 * a red child; every root-to-leaf path has the same number of black nodes;
 * and, with @cmp, cmp(prev, next) <= 0 for in-order neighbours. A walk that
 * goes deeper than any valid tree can be (a cycle) is reported too.
 *
 * Return: 0 (RB_CHECK_OK) if the tree is valid, else one of the negative
 * RB_CHECK_* codes below naming the first violated invariant found.
 */
enum rb_check_result {
	RB_CHECK_OK		=  0,
	RB_CHECK_ROOT_PARENT	= -1,	/* root has a parent pointer */
	RB_CHECK_ROOT_RED	= -2,	/* root is red */
	RB_CHECK_PARENT		= -3,	/* wrong parent pointer */
	RB_CHECK_RED_RED	= -4,	/* red node, red child */
	RB_CHECK_BLACK_HEIGHT	= -5,	/* black counts differ */
	RB_CHECK_ORDER		= -6,	/* in-order not sorted */
	RB_CHECK_DEPTH		= -7,	/* too deep: a cycle */
};

UMM_API int rb_check(const struct rb_root *root,
		     int (*cmp)(const struct rb_node *a,
				const struct rb_node *b));

/* Tie @node into the tree at *@rb_link, below @parent, coloured red. */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = NULL;
	node->rb_right = NULL;
	*rb_link = node;
}

#define __rb_postorder_next_entry(pos, field) \
	rb_entry_safe(rb_next_postorder(&(pos)->field), __typeof__(*(pos)), \
		      field)

/**
 * rbtree_postorder_for_each_entry_safe - post-order walk over the objects
 * @pos:   the type * cursor
 * @n:     another type * used as temporary storage
 * @root:  struct rb_root *
 * @field: name of the rb_node inside the type
 *
 * The next object is fetched before the body runs, so the body may free
 * @pos. It must not rebalance the tree (no rb_erase()): the walk relies on
 * the links of the nodes not yet visited.
 */
#define rbtree_postorder_for_each_entry_safe(pos, n, root, field)	\
	for ((pos) = rb_entry_safe(rb_first_postorder(root),		\
				   __typeof__(*(pos)), field);		\
	     (pos) && ((n) = __rb_postorder_next_entry(pos, field), 1);	\
	     (pos) = (n))

/* Cached-leftmost variants. @leftmost: @node went in left of everything. */
static inline void rb_insert_color_cached(struct rb_node *node,
					  struct rb_root_cached *root,
					  bool leftmost)
{
	if (leftmost)
		root->rb_leftmost = node;
	rb_insert_color(node, &root->rb_root);
}

/* Returns the new leftmost node if @node was the leftmost, else NULL. */
static inline struct rb_node *rb_erase_cached(struct rb_node *node,
					      struct rb_root_cached *root)
{
	struct rb_node *leftmost = NULL;

	if (root->rb_leftmost == node)
		leftmost = root->rb_leftmost = rb_next(node);
	rb_erase(node, &root->rb_root);
	return leftmost;
}

static inline void rb_replace_node_cached(struct rb_node *victim,
					  struct rb_node *new_,
					  struct rb_root_cached *root)
{
	if (root->rb_leftmost == victim)
		root->rb_leftmost = new_;
	rb_replace_node(victim, new_, &root->rb_root);
}

/*
 * Comparison-driven helpers, as in the kernel. @less(a, b) is a strict
 * "a sorts before b"; @cmp(key, node) is negative when key sorts before
 * node, zero on a match and positive after.
 */

/**
 * rb_add_cached - insert @node into a leftmost-cached tree
 *
 * Equal elements go after the ones already present (stable insertion).
 * Return: @node if it became the leftmost node, else NULL.
 */
static inline struct rb_node *
rb_add_cached(struct rb_node *node, struct rb_root_cached *tree,
	      bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_root.rb_node;
	struct rb_node *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (less(node, parent)) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}

	rb_link_node(node, parent, link);
	rb_insert_color_cached(node, tree, leftmost);

	return leftmost ? node : NULL;
}

/* rb_add - insert @node; equal elements go after existing ones. */
static inline void
rb_add(struct rb_node *node, struct rb_root *tree,
       bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node;
	struct rb_node *parent = NULL;

	while (*link) {
		parent = *link;
		if (less(node, parent))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}

	rb_link_node(node, parent, link);
	rb_insert_color(node, tree);
}

/**
 * rb_find_add - insert @node unless an equal node is already there
 * @cmp: cmp(node, existing), same sign convention as above
 *
 * Return: the existing equal node (and @node was not inserted), or NULL
 * after inserting @node.
 */
static inline struct rb_node *
rb_find_add(struct rb_node *node, struct rb_root *tree,
	    int (*cmp)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node;
	struct rb_node *parent = NULL;
	int c;

	while (*link) {
		parent = *link;
		c = cmp(node, parent);

		if (c < 0)
			link = &parent->rb_left;
		else if (c > 0)
			link = &parent->rb_right;
		else
			return parent;
	}

	rb_link_node(node, parent, link);
	rb_insert_color(node, tree);
	return NULL;
}

/* rb_find - any node matching @key, or NULL. */
static inline struct rb_node *
rb_find(const void *key, const struct rb_root *tree,
	int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *node = tree->rb_node;
	int c;

	while (node) {
		c = cmp(key, node);

		if (c < 0)
			node = node->rb_left;
		else if (c > 0)
			node = node->rb_right;
		else
			return node;
	}

	return NULL;
}

/* rb_find_first - the leftmost (first in order) node matching @key. */
static inline struct rb_node *
rb_find_first(const void *key, const struct rb_root *tree,
	      int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *node = tree->rb_node;
	struct rb_node *match = NULL;
	int c;

	while (node) {
		c = cmp(key, node);

		if (c <= 0) {
			if (!c)
				match = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}

	return match;
}

/* rb_next_match - the in-order successor of @node if it matches @key. */
static inline struct rb_node *
rb_next_match(const void *key, struct rb_node *node,
	      int (*cmp)(const void *key, const struct rb_node *))
{
	node = rb_next(node);
	if (node && cmp(key, node))
		node = NULL;
	return node;
}

/* rb_for_each - iterate over every node matching @key, in order. */
#define rb_for_each(node, key, tree, cmp)				\
	for ((node) = rb_find_first((key), (tree), (cmp));		\
	     (node); (node) = rb_next_match((key), (node), (cmp)))

UMM_END_DECLS

#endif /* _UMM_RBTREE_H */
