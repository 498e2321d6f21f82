/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maple_tree.h - a B-tree of ranges (include/linux/maple_tree.h, Linux 6.18).
 *
 * A maple tree maps every index of [0, ULONG_MAX] to an entry; NULL is
 * "nothing stored".  Consecutive indices with one store form a range,
 * kept as one slot: a node holds up to 16 slots (maple_leaf_64,
 * maple_range_64) or 10 (maple_arange_64), and the pivot of a slot is
 * the last index it covers; the last slot ends at the node's maximum,
 * which the parent's pivot gives.  Every leaf is at the same depth.
 *
 * Trees made with MT_FLAGS_ALLOC_RANGE keep, in every internal node
 * (maple_arange_64), the largest NULL range ("gap") of each child's
 * subtree, so that mas_empty_area() and mas_empty_area_rev() find a
 * free range of a given size in O(log n): the VMA tree's unmapped area
 * search.
 *
 * Locking: umm's trees have no lock of their own and no RCU readers
 * (lib/maple_tree.c's head comment): the user serializes writers and
 * readers, as mm/vma.c does with mmap_lock.  Entries must be pointers
 * with the low two bits clear (the kernel reserves the rest for its
 * internal values; umm stores only pointers).
 */
#ifndef _UMM_MAPLE_TREE_H
#define _UMM_MAPLE_TREE_H

#include "compiler.h"
#include <stdbool.h>
#include "gfp.h"

UMM_BEGIN_DECLS

#define MAPLE_NODE_SLOTS	31	/* 256 bytes of pointers, less the parent */
#define MAPLE_RANGE64_SLOTS	16
#define MAPLE_ARANGE64_SLOTS	10
#define MAPLE_NODE_MASK		255UL	/* nodes are 256-byte aligned */
#define MAPLE_HEIGHT_MAX	31

enum maple_type {
	maple_dense,		/* (not used by umm) */
	maple_leaf_64,
	maple_range_64,
	maple_arange_64,
};

/* Fill metadata in a node that is not full (struct maple_metadata). */
struct maple_metadata {
	unsigned char end;	/* the last slot in use */
	unsigned char gap;	/* arange: the slot with the largest gap */
};

/* An encoded parent pointer: the node, this node's slot in it, its type. */
struct maple_pnode;
/* An encoded node pointer: the node and its type in the low bits. */
struct maple_enode;

/* A node that is not full keeps its metadata where its last slot would be. */
struct maple_range_64_tail {
	void *pad[MAPLE_RANGE64_SLOTS - 1];
	struct maple_metadata meta;
};

struct maple_range_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_RANGE64_SLOTS - 1];
	union {
		void *slot[MAPLE_RANGE64_SLOTS];
		struct maple_range_64_tail tail;
	};
};

struct maple_arange_64 {
	struct maple_pnode *parent;
	unsigned long pivot[MAPLE_ARANGE64_SLOTS - 1];
	void *slot[MAPLE_ARANGE64_SLOTS];
	unsigned long gap[MAPLE_ARANGE64_SLOTS];
	struct maple_metadata meta;
};

struct maple_node {
	union {
		struct maple_pnode *parent;	/* each type's first word */
		struct maple_range_64 mr64;
		struct maple_arange_64 ma64;
	};
} __attribute__((aligned(256)));

/* ma_flags: the kernel's bits (MT_FLAGS_HEIGHT_OFFSET and up: the height). */
#define MT_FLAGS_ALLOC_RANGE	0x01
#define MT_FLAGS_USE_RCU	0x02
#define MT_FLAGS_HEIGHT_OFFSET	0x02
#define MT_FLAGS_HEIGHT_MASK	0x7C
#define MT_FLAGS_LOCK_EXTERN	0x300

struct maple_tree {
	unsigned int ma_flags;
	void *ma_root;		/* NULL (empty) or a struct maple_enode * */
};

#define MTREE_INIT(name, __flags) { .ma_flags = (__flags), .ma_root = NULL }
#define DEFINE_MTREE(name) struct maple_tree name = MTREE_INIT(name, 0)

/* Where a struct ma_state stands (the kernel's enum maple_status). */
enum maple_status {
	ma_active,		/* node and offset are a position */
	ma_start,		/* walk from the root next */
	ma_root,		/* (kernel: a single entry in the root) */
	ma_none,		/* the tree is empty */
	ma_pause,		/* walk from the root at index next */
	ma_overflow,		/* went past the maximum asked for */
	ma_underflow,		/* went below the minimum asked for */
	ma_error,		/* node holds the error; see mas_is_err() */
};

/*
 * The position of a walk and the nodes a write may need.  index..last is
 * the range asked for, and after a walk the range of the entry found;
 * node (a leaf), min, max and offset say where it is.  alloc is the list
 * of preallocated nodes (mas_preallocate()), linked through their first
 * word; mas_destroy() frees what a write did not use.
 */
struct ma_state {
	struct maple_tree *tree;
	unsigned long index;
	unsigned long last;
	struct maple_enode *node;
	unsigned long min;
	unsigned long max;
	struct maple_node *alloc;
	unsigned int nr_alloc;
	enum maple_status status;
	unsigned char depth;
	unsigned char offset;
	unsigned char mas_flags;
	unsigned char end;
};

#define MA_STATE(name, mt, first, end)					\
	struct ma_state name = {					\
		.tree = (mt),						\
		.index = (first),					\
		.last = (end),						\
		.node = NULL,						\
		.status = ma_start,					\
		.min = 0,						\
		.max = ~0UL,						\
		.alloc = NULL,						\
		.nr_alloc = 0,						\
	}

static inline void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	mt->ma_flags = flags;
	mt->ma_root = NULL;
}

static inline void mt_init(struct maple_tree *mt)
{
	mt_init_flags(mt, 0);
}

static inline bool mtree_empty(const struct maple_tree *mt)
{
	return mt->ma_root == NULL;
}

static inline bool mt_is_alloc(const struct maple_tree *mt)
{
	return mt->ma_flags & MT_FLAGS_ALLOC_RANGE;
}

static inline unsigned int mt_height(const struct maple_tree *mt)
{
	return (mt->ma_flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET;
}

/* Walk again from the root at index (after the tree changed elsewhere). */
static inline void mas_reset(struct ma_state *mas)
{
	mas->status = ma_start;
	mas->node = NULL;
}

static inline void mas_set_range(struct ma_state *mas, unsigned long start,
				 unsigned long last)
{
	mas->index = start;
	mas->last = last;
	mas_reset(mas);
}

static inline void mas_set(struct ma_state *mas, unsigned long index)
{
	mas_set_range(mas, index, index);
}

/* mas_pause - the next mas_find()/mas_next() starts after last, from the root. */
static inline void mas_pause(struct ma_state *mas)
{
	mas->status = ma_pause;
	mas->node = NULL;
}

/* The node cache ("maple_node" in /proc/slabinfo); reference counted. */
UMM_API int maple_tree_init(void);
UMM_API void maple_tree_exit(void);

/* Advanced API: the caller holds whatever lock serializes the tree. */
UMM_API void *mas_walk(struct ma_state *mas);
UMM_API void *mas_find(struct ma_state *mas, unsigned long max);
UMM_API void *mas_find_rev(struct ma_state *mas, unsigned long min);
UMM_API void *mas_next(struct ma_state *mas, unsigned long max);
UMM_API void *mas_prev(struct ma_state *mas, unsigned long min);
UMM_API int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp);
UMM_API int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp);
UMM_API void mas_store_prealloc(struct ma_state *mas, void *entry);
UMM_API void *mas_erase(struct ma_state *mas);
UMM_API void mas_destroy(struct ma_state *mas);
UMM_API int mas_empty_area(struct ma_state *mas, unsigned long min,
			   unsigned long max, unsigned long size);
UMM_API int mas_empty_area_rev(struct ma_state *mas, unsigned long min,
			       unsigned long max, unsigned long size);
/* mas_nodes_needed - nodes a store into @mt may allocate at most. */
UMM_API unsigned int mas_nodes_needed(const struct maple_tree *mt);
/* mas_node_count - have at least @count preallocated nodes, or -ENOMEM. */
UMM_API int mas_node_count(struct ma_state *mas, unsigned int count, gfp_t gfp);

/* Normal API. */
UMM_API void *mtree_load(struct maple_tree *mt, unsigned long index);
UMM_API int mtree_store_range(struct maple_tree *mt, unsigned long first,
			      unsigned long last, void *entry, gfp_t gfp);
UMM_API int mtree_store(struct maple_tree *mt, unsigned long index, void *entry,
			gfp_t gfp);
UMM_API void *mtree_erase(struct maple_tree *mt, unsigned long index);
UMM_API void mtree_destroy(struct maple_tree *mt);
UMM_API void __mt_destroy(struct maple_tree *mt);
UMM_API void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max);
UMM_API void *mt_find_after(struct maple_tree *mt, unsigned long *index,
			    unsigned long max);

/*
 * mt_validate - every invariant of @mt (head comment of lib/maple_tree.c);
 * 0 or -EINVAL with the first violation on stderr.
 */
UMM_API int mt_validate(struct maple_tree *mt);
/* Nodes in @mt (for tests and /proc figures). */
UMM_API unsigned long mt_nr_nodes(struct maple_tree *mt);

#define mt_for_each(__tree, __entry, __index, __max)			\
	for (__entry = mt_find(__tree, &(__index), __max);		\
	     __entry; __entry = mt_find_after(__tree, &(__index), __max))

#define mas_for_each(__mas, __entry, __max)				\
	while (((__entry) = mas_find((__mas), (__max))) != NULL)

UMM_END_DECLS

#endif /* _UMM_MAPLE_TREE_H */
