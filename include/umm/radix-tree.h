/* SPDX-License-Identifier: GPL-2.0 */
/*
 * radix-tree.h - a radix tree of pointers with tags (include/linux/
 * radix-tree.h; the xarray's 64-way geometry).  lib/radix-tree.c owns
 * the nodes and states the invariants; the owner of a root serialises
 * every call on it.
 */
#ifndef _UMM_RADIX_TREE_H
#define _UMM_RADIX_TREE_H

#include "compiler.h"
#include <stdbool.h>

#define RADIX_TREE_MAP_SHIFT	6
#define RADIX_TREE_MAP_SIZE	(1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK	(RADIX_TREE_MAP_SIZE - 1)
#define RADIX_TREE_MAX_TAGS	1	/* the page cache's DIRTY */

struct radix_tree_node {
	unsigned char shift;		/* bits of index below this node's slots */
	unsigned char offset;		/* slot in the parent */
	unsigned short count;		/* non-NULL slots */
	struct radix_tree_node *parent;
	unsigned long tags[RADIX_TREE_MAX_TAGS];	/* slot i: tagged below */
	void *slots[RADIX_TREE_MAP_SIZE];
};

/* The root: the top node, whose slots each cover 64^(height-1) indices. */
struct radix_tree_root {
	struct radix_tree_node *rnode;	/* the top node, or NULL */
	unsigned int height;		/* levels of nodes; 0: empty */
};

UMM_BEGIN_DECLS

UMM_API void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index);
/* 0, -EEXIST (something is there), -ENOMEM, -EFBIG (index too large). */
UMM_API int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item);
/* Remove and return the item at @index (NULL if none); its tags go too. */
UMM_API void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);
/* The leaf node whose slots hold @index, or NULL. */
UMM_API struct radix_tree_node *radix_tree_leaf(const struct radix_tree_root *root,
					unsigned long index);
UMM_API void radix_tree_tag_set(struct radix_tree_root *root, unsigned long index, int tag);
UMM_API void radix_tree_tag_clear(struct radix_tree_root *root, unsigned long index, int tag);
UMM_API bool radix_tree_tag_get(const struct radix_tree_root *root, unsigned long index, int tag);
/*
 * The first item at an index in [*indexp, max], with @tag if @tag >= 0;
 * *indexp is set to its index.  NULL if none.
 */
UMM_API void *radix_tree_next(const struct radix_tree_root *root, unsigned long *indexp,
		      unsigned long max, int tag);
/* 0 if the invariants hold (*nr += the items), else -EINVAL. */
UMM_API int radix_tree_check(const struct radix_tree_root *root, unsigned long *nr);
/*
 * While on (per thread), emptied nodes are kept instead of freed, for a
 * caller inside an allocation; radix_tree_free_deferred() frees them.
 */
UMM_API void radix_tree_defer_frees(bool on);
UMM_API void radix_tree_free_deferred(void);

UMM_END_DECLS

#endif /* _UMM_RADIX_TREE_H */
