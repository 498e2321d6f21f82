/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rbtree_augmented.h - red-black trees that keep a per-node summary of their
 * subtree, with the kernel's names and semantics
 * (include/linux/rbtree_augmented.h).
 *
 * An augmented tree stores in every node a value computed from the node and
 * its two subtrees (the largest free gap below a VMA, the largest free block
 * below a vmalloc area, a subtree size...). The tree code keeps the values
 * right across rotations and erasure through three callbacks:
 *
 *  propagate(node, stop): recompute @node and its ancestors, walking up,
 *                         until @stop is reached (exclusive) or a node's
 *                         value comes out unchanged.
 *  copy(old, new_):       @new_ takes @old's place: copy the value.
 *  rotate(old, new_):     @new_ took @old's place in a rotation and @old is
 *                         now @new_'s child: @new_ inherits the value of the
 *                         whole subtree, @old must be recomputed.
 *
 * Insertion is the caller's job up to the link: while walking down to the
 * insertion point, update each visited ancestor for the new node (or call
 * propagate on the new node after linking it), then rb_insert_augmented().
 * RB_DECLARE_CALLBACKS() and RB_DECLARE_CALLBACKS_MAX() generate the
 * callbacks from a single "compute" function.
 *
 * Not thread safe: the structure that owns a tree owns its lock.
 */
#ifndef _UMM_RBTREE_AUGMENTED_H
#define _UMM_RBTREE_AUGMENTED_H

#include <stdbool.h>
#include "rbtree.h"

UMM_BEGIN_DECLS

struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new_);
	void (*rotate)(struct rb_node *old, struct rb_node *new_);
};

/* Internal entry points, exported for the inline wrappers below. */
UMM_API void __rb_insert_augmented(struct rb_node *node, struct rb_root *root,
	void (*augment_rotate)(struct rb_node *old, struct rb_node *new_));
UMM_API void __rb_erase_color(struct rb_node *parent, struct rb_root *root,
	void (*augment_rotate)(struct rb_node *old, struct rb_node *new_));

/*
 * rb_insert_augmented - rebalance after linking @node, keeping the augmented
 * values right. On entry, @node's value must be set and every ancestor must
 * already account for @node (see the file comment).
 */
static inline void
rb_insert_augmented(struct rb_node *node, struct rb_root *root,
		    const struct rb_augment_callbacks *augment)
{
	__rb_insert_augmented(node, root, augment->rotate);
}

static inline void
rb_insert_augmented_cached(struct rb_node *node,
			   struct rb_root_cached *root, bool newleft,
			   const struct rb_augment_callbacks *augment)
{
	if (newleft)
		root->rb_leftmost = node;
	rb_insert_augmented(node, &root->rb_root, augment);
}

/*
 * RB_DECLARE_CALLBACKS - generate the three callbacks and a
 * struct rb_augment_callbacks named @RBNAME.
 *
 * @RBSTATIC:    'static' or empty: linkage of the callbacks structure
 * @RBNAME:      name of the structure (and prefix of the functions)
 * @RBSTRUCT:    struct type of the tree elements
 * @RBFIELD:     name of the struct rb_node inside @RBSTRUCT
 * @RBAUGMENTED: name of the augmented field inside @RBSTRUCT
 * @RBCOMPUTE:   bool RBCOMPUTE(RBSTRUCT *node, bool exit): recompute
 *               node->RBAUGMENTED from the node and its children. With
 *               exit set, return true without writing if the stored value
 *               is already right (propagation stops there); otherwise store
 *               it and return false.
 */
#define RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME,				\
			     RBSTRUCT, RBFIELD, RBAUGMENTED, RBCOMPUTE)	\
static inline void							\
RBNAME ## _propagate(struct rb_node *rb, struct rb_node *stop)		\
{									\
	while (rb != stop) {						\
		RBSTRUCT *node = rb_entry(rb, RBSTRUCT, RBFIELD);	\
		if (RBCOMPUTE(node, true))				\
			break;						\
		rb = rb_parent(&node->RBFIELD);				\
	}								\
}									\
static inline void							\
RBNAME ## _copy(struct rb_node *rb_old, struct rb_node *rb_new)	\
{									\
	RBSTRUCT *old = rb_entry(rb_old, RBSTRUCT, RBFIELD);		\
	RBSTRUCT *new_ = rb_entry(rb_new, RBSTRUCT, RBFIELD);		\
	new_->RBAUGMENTED = old->RBAUGMENTED;				\
}									\
static void								\
RBNAME ## _rotate(struct rb_node *rb_old, struct rb_node *rb_new)	\
{									\
	RBSTRUCT *old = rb_entry(rb_old, RBSTRUCT, RBFIELD);		\
	RBSTRUCT *new_ = rb_entry(rb_new, RBSTRUCT, RBFIELD);		\
	new_->RBAUGMENTED = old->RBAUGMENTED;				\
	RBCOMPUTE(old, false);						\
}									\
RBSTATIC const struct rb_augment_callbacks RBNAME = {			\
	.propagate = RBNAME ## _propagate,				\
	.copy = RBNAME ## _copy,					\
	.rotate = RBNAME ## _rotate					\
};

/*
 * RB_DECLARE_CALLBACKS_MAX - callbacks for the common "maximum over the
 * subtree" augmentation: node->RBAUGMENTED is the largest RBCOMPUTE(node)
 * over the node and all its descendants.
 *
 * @RBTYPE:    type of the augmented field
 * @RBCOMPUTE: RBTYPE RBCOMPUTE(RBSTRUCT *node): the node's own scalar
 * Other parameters as for RB_DECLARE_CALLBACKS(). Also defines
 * bool RBNAME_compute_max(RBSTRUCT *node, bool early_exit).
 */
#define RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD,	\
				 RBTYPE, RBAUGMENTED, RBCOMPUTE)	\
static inline bool RBNAME ## _compute_max(RBSTRUCT *node,		\
						  bool early_exit)	\
{									\
	RBSTRUCT *child;						\
	RBTYPE rbmax = RBCOMPUTE(node);					\
	if (node->RBFIELD.rb_left) {					\
		child = rb_entry(node->RBFIELD.rb_left, RBSTRUCT, RBFIELD); \
		if (child->RBAUGMENTED > rbmax)			\
			rbmax = child->RBAUGMENTED;			\
	}								\
	if (node->RBFIELD.rb_right) {					\
		child = rb_entry(node->RBFIELD.rb_right, RBSTRUCT, RBFIELD); \
		if (child->RBAUGMENTED > rbmax)			\
			rbmax = child->RBAUGMENTED;			\
	}								\
	if (early_exit && node->RBAUGMENTED == rbmax)		\
		return true;						\
	node->RBAUGMENTED = rbmax;					\
	return false;							\
}									\
RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME,					\
		     RBSTRUCT, RBFIELD, RBAUGMENTED, RBNAME ## _compute_max)

/*
 * Colour and parent accessors for code that manipulates nodes directly
 * (the tree implementation and augmented users).
 */
#define RB_RED		0
#define RB_BLACK	1

#define __rb_parent(pc)		((struct rb_node *)((pc) & ~3UL))
#define __rb_color(pc)		((pc) & 1)
#define __rb_is_black(pc)	__rb_color(pc)
#define __rb_is_red(pc)		(!__rb_color(pc))
#define rb_color(rb)		__rb_color((rb)->__rb_parent_color)
#define rb_is_red(rb)		__rb_is_red((rb)->__rb_parent_color)
#define rb_is_black(rb)		__rb_is_black((rb)->__rb_parent_color)

static inline void rb_set_parent(struct rb_node *rb, struct rb_node *p)
{
	rb->__rb_parent_color = rb_color(rb) | (unsigned long)p;
}

static inline void rb_set_parent_color(struct rb_node *rb,
				       struct rb_node *p, int color)
{
	rb->__rb_parent_color = (unsigned long)p | (unsigned long)color;
}

/* Make whatever pointed at @old (@parent's link or the root) point at @new_ */
static inline void
__rb_change_child(struct rb_node *old, struct rb_node *new_,
		  struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new_;
	else if (parent->rb_left == old)
		parent->rb_left = new_;
	else
		parent->rb_right = new_;
}

/*
 * __rb_erase_augmented - unlink @node, keeping the augmented values right.
 *
 * Takes @node out of the tree's shape and fixes colours where that can be
 * done locally. Return: the parent below which one path is now one black
 * node short (hand it to __rb_erase_color()), or NULL if the tree is
 * already balanced.
 */
static inline __attribute__((always_inline)) struct rb_node *
__rb_erase_augmented(struct rb_node *node, struct rb_root *root,
		     const struct rb_augment_callbacks *augment)
{
	struct rb_node *left = node->rb_left;
	struct rb_node *right = node->rb_right;
	unsigned long pc = node->__rb_parent_color;
	struct rb_node *parent = __rb_parent(pc);
	struct rb_node *rebalance = NULL;
	struct rb_node *fix_from;

	if (!left || !right) {
		/*
		 * At most one child: splice it (or nothing) into @node's
		 * place. A lone child is necessarily red below a black
		 * @node; it takes over @node's parent word, hence the black
		 * colour, and no path loses a black node. Removing a
		 * childless black node does shorten a path.
		 */
		struct rb_node *child = left ? left : right;

		__rb_change_child(node, child, parent, root);
		if (child)
			child->__rb_parent_color = pc;
		else if (__rb_is_black(pc))
			rebalance = parent;
		fix_from = parent;
	} else {
		/*
		 * Two children: the in-order successor @succ (leftmost node
		 * of the right subtree, so it has no left child) takes
		 * @node's place and colour. What is lost is @succ's old
		 * position: its right child @orphan moves up one level
		 * below @succ_parent.
		 */
		struct rb_node *succ = right;
		struct rb_node *succ_parent, *orphan;

		if (!succ->rb_left) {
			/* @succ is @node's right child: it keeps @orphan. */
			succ_parent = succ;
			orphan = succ->rb_right;
			augment->copy(node, succ);
		} else {
			do {
				succ_parent = succ;
				succ = succ->rb_left;
			} while (succ->rb_left);
			orphan = succ->rb_right;
			succ_parent->rb_left = orphan;
			succ->rb_right = right;
			rb_set_parent(right, succ);
			augment->copy(node, succ);
			/* Fix the path that lost @succ, up to @succ. */
			augment->propagate(succ_parent, succ);
		}

		succ->rb_left = left;
		rb_set_parent(left, succ);
		__rb_change_child(node, succ, parent, root);

		if (orphan)
			/* A lone child is red: blacken it to compensate. */
			rb_set_parent_color(orphan, succ_parent, RB_BLACK);
		else if (rb_is_black(succ))
			rebalance = succ_parent;
		succ->__rb_parent_color = pc;
		fix_from = succ;
	}

	augment->propagate(fix_from, NULL);
	return rebalance;
}

/* rb_erase_augmented - unlink @node and rebalance, keeping values right. */
static inline __attribute__((always_inline)) void
rb_erase_augmented(struct rb_node *node, struct rb_root *root,
		   const struct rb_augment_callbacks *augment)
{
	struct rb_node *rebalance = __rb_erase_augmented(node, root, augment);

	if (rebalance)
		__rb_erase_color(rebalance, root, augment->rotate);
}

static inline __attribute__((always_inline)) void
rb_erase_augmented_cached(struct rb_node *node, struct rb_root_cached *root,
			  const struct rb_augment_callbacks *augment)
{
	if (root->rb_leftmost == node)
		root->rb_leftmost = rb_next(node);
	rb_erase_augmented(node, &root->rb_root, augment);
}

UMM_END_DECLS

#endif /* _UMM_RBTREE_AUGMENTED_H */
