// SPDX-License-Identifier: GPL-2.0
/*
 * vma.c - the VMAs of an address space: the tree and the list, lookups,
 * the free-gap search, merging, splitting and unmapping (mm/vma.c,
 * mm/mmap.c of Linux 6.18 for the rules and, by default, its structure:
 * the maple tree; or the rb-tree of 4.x, as ULK3 chapter 9 draws it).
 *
 * Owns: mm->mmap, mm->mm_mt or mm->mm_rb, mm->map_count,
 * mm->highest_vm_end, and every VMA's place in them; the mm's reserve of
 * maple nodes (mm->mt_alloc); the VMA iterator.  Callers hold
 * mm->mmap_lock for writing to change anything here, for reading to look
 * up (the lookup index's builders also take mm->vma_index_lock, inside it).
 *
 * Which tree: umm.vma_tree=maple|rbtree (default maple, as 6.18), read
 * when an mm is made (mm->vma_maple; a fork's child takes the current
 * setting and builds its own tree VMA by VMA).  Both keep the same list
 * and give the same answers: the differential tester runs against the
 * host kernel under each.
 *
 * The maple tree (lib/maple_tree.c): mm->mm_mt, MT_FLAGS_ALLOC_RANGE,
 * maps [vm_start, vm_end - 1] to each VMA and keeps the free gaps in its
 * internal nodes.  find_vma() is mt_find(); a link is a store, an unlink
 * an erase, a moved edge a NULL store over what the VMA left and a store
 * over its new range; unmapped_area() is mas_empty_area(), the top-down
 * one mas_empty_area_rev().  Stores may allocate nodes: every operation
 * reserves them first with vma_prealloc() (the kernel's
 * vma_iter_prealloc()), where it can still fail with -ENOMEM and leave
 * the VMAs as they were.  Unlike the kernel's: no RCU (readers hold
 * mmap_lock, so nodes change in place), no per-VMA locks, the reserve
 * lives in the mm rather than in a vma_iterator passed down, and the
 * vm_next/vm_prev list is kept (all of mm/ walks it).  As in 6.1 on,
 * find_vma() is the tree walk alone (no mmap_cache), and a split or a
 * merge is one store: the VMA that takes a range over is stored over it,
 * with no NULL store first for what the other VMA gives up
 * (vma_cede_range(), merge_remove_vma()).
 *
 * The rb-tree (umm.vma_tree=rbtree) is keyed by vm_start and augmented with rb_subtree_gap, the
 * largest "gap below" of any VMA in the subtree, where
 *
 *	gap_below(V) = V->vm_start - (V->vm_prev ? V->vm_prev->vm_end : 0)
 *
 * and the gap above the last VMA, [highest_vm_end, oo), lives in the mm.
 * A VMA's gap depends on its predecessor, so changing a vm_end changes the
 * successor's gap: vma_update_range() propagates both.  The gaps are raw
 * (no guard gaps folded in): 6.x's maple tree searches raw gaps and then
 * retries past a stack's guard gap (unmapped_area()), and doing the same
 * keeps umm's placement identical to the kernel's, where 4.x's guard-aware
 * gaps would differ in the corner cases.
 *
 *	      [A)  gap  [B)     gap      [C)
 *	0 ... |---|.....|--|.............|----| ...... TASK_SIZE
 *	           gB=B-A     gC=C-B             highest_vm_end .. oo
 *
 * Lookups (rb-tree): find_vma() tries mm->mmap_cache (the last VMA a lookup or an
 * mmap() landed in), then the read-mostly lookup index if one is built
 * (see "The lookup index" below: a sorted array of the VMAs' ends, built
 * after a run of lookups without changes and dropped by any change), then
 * walks the tree.  Insertion needs no walk when the caller knows the
 * neighbours (__vma_link()).
 *
 * Invariants (umm_mm_check()):
 *  - every VMA is page aligned, non-empty, below TASK_SIZE, and belongs
 *    to the mm; VMAs are sorted and do not overlap;
 *  - the list is the tree in order and vm_prev mirrors vm_next; the
 *    maple tree passes mt_validate() and holds each VMA over exactly its
 *    range and nothing else; the rb-tree is a valid red-black tree
 *    (rb_check()) and
 *  - every rb_subtree_gap is the maximum gap_below() of its subtree;
 *    highest_vm_end is the last VMA's vm_end (0 when empty);
 *  - map_count is the number of VMAs; total_vm, locked_vm, exec_vm,
 *    stack_vm and data_vm are the page sums of the VMAs they classify;
 *  - VM_ACCOUNT is only on private mappings without VM_NORESERVE;
 *    the anon_vma chain agrees with vma->anon_vma (anon_vma_check());
 *    a VMA's file has a reference; and the page tables agree with the
 *    VMAs, the RSS counters and the map counts (pgtable_check());
 *  - mmap_cache is NULL or a VMA of the mm; the lookup index, if built,
 *    holds every VMA and finds each of them at its first and last byte.
 *
 * Merging, as 6.x mm/vma.c does it:
 *  - a new range [start, end) (mmap, brk) joins prev if prev ends at start
 *    and is compatible (flags equal but for VM_SOFTDIRTY, same file,
 *    contiguous pgoff, mergeable anon_vmas), and next likewise; both means
 *    prev grows over the range and next is removed (vma_merge_new_range);
 *  - a modified part [start, end) of an existing VMA (mprotect, mlock,
 *    madvise) merges only at the VMA's edges (vma_merge_existing_range):
 *
 *	     start     end                 start     end
 *	|prev|*** vma ***|next|       |prev|*vma*|   vma   |
 *	  extend  delete  delete        extend  shrink
 *
 *    and otherwise splits off the parts outside the range (vma_modify);
 *  - munmap never merges what it leaves behind; MAP_FIXED merges the new
 *    VMA with what surrounds it after the old VMAs are gone.
 * VM_SPECIAL VMAs never merge, and a VMA whose vm_ops has a close hook is
 * never removed by a merge.
 *
 * User-space differences: no per-VMA locks, no RCU; a failed allocation
 * of a VMA in the middle of a multi-step change leaves the steps already
 * taken, as the kernel does.  With the rb-tree, the lookup index is umm's
 * own: with 100,000 VMAs a tree walk is ~20 dependent cache and TLB
 * misses, which is what 6.1's maple tree fixed in the kernel; the index
 * gives read-mostly phases (faults, /proc) a few-misses lookup while the
 * rb-tree stays the one structure changes go through.  The maple tree
 * needs no index (a walk is a node per level) and has none.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"
#include <umm/pagemap.h>
#include <umm/rmap.h>
#include <umm/slab.h>
#include <umm/rbtree_augmented.h>
#include <umm/vmalloc.h>

struct kmem_cache *vm_area_cachep;

/* ---- VMA objects ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(vm_area_cachep, GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	RB_CLEAR_NODE(&vma->vm_rb);
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	return vma;
}

/* A copy of @orig, not linked anywhere, holding its own file reference. */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new = kmem_cache_alloc(vm_area_cachep, GFP_KERNEL);

	if (!new)
		return NULL;
	*new = *orig;
	new->vm_next = new->vm_prev = NULL;
	new->rb_subtree_gap = 0;
	RB_CLEAR_NODE(&new->vm_rb);
	INIT_LIST_HEAD(&new->anon_vma_chain);
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(vm_area_cachep, vma);
}

/*
 * Close a VMA that is no longer linked and free it.  Its pages are gone
 * (or belong to the VMA that absorbed its range); its anon_vma chain goes.
 */
void remove_vma(struct vm_area_struct *vma)
{
	unlink_anon_vmas(vma);
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	vm_area_free(vma);
}

/* ---- the maple tree (umm.vma_tree=maple) ---- */

bool vma_tree_maple = true;	/* umm.vma_tree= (mm/mmap.c's mmap_param()) */

/* The kernel's MM_MT_FLAGS, less MT_FLAGS_USE_RCU (no RCU readers in umm). */
#define MM_MT_FLAGS	(MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN)

void vma_tree_init(struct mm_struct *mm)
{
	mm->vma_maple = vma_tree_maple;
	if (mm->vma_maple) {
		mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
		mm->mt_alloc = NULL;
	} else {
		mm->mm_rb = RB_ROOT;
		mm->vma_index = NULL;
	}
}

/*
 * The mm's reserve of nodes travels in a struct ma_state while in use;
 * in the mm, the first node keeps the count in its slot 0 (the kernel's
 * struct maple_alloc keeps its total in the allocation likewise).
 */
static inline void vma_mas_take(struct mm_struct *mm, struct ma_state *mas)
{
	mas->alloc = mm->mt_alloc;
	mas->nr_alloc = mas->alloc ? (unsigned int)(unsigned long)mas->alloc->mr64.slot[0] : 0;
}

static inline void vma_mas_give(struct mm_struct *mm, struct ma_state *mas)
{
	mm->mt_alloc = mas->alloc;
	if (mas->alloc)
		mas->alloc->mr64.slot[0] = (void *)(unsigned long)mas->nr_alloc;
}

/*
 * vma_prealloc - reserve the nodes of VMA_PREALLOC_STORES stores, each of
 * which may split every level and grow a root (mas_nodes_needed()), plus
 * one for a height that grew on the way: the kernel's vma_iter_prealloc(),
 * made once where an operation may still fail.  -ENOMEM changes nothing.
 */
int vma_prealloc(struct mm_struct *mm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	int err;

	if (!mm->vma_maple)
		return 0;
	mmap_assert_write_locked(mm);
	vma_mas_take(mm, &mas);
	err = mas_node_count(&mas, VMA_PREALLOC_STORES *
			     mas_nodes_needed(&mm->mm_mt) + 1, GFP_KERNEL);
	vma_mas_give(mm, &mas);
	return err;
}

/* exit_mmap()'s __mt_destroy(), and the reserve. */
void vma_tree_destroy(struct mm_struct *mm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);

	if (!mm->vma_maple) {
		mm->mm_rb = RB_ROOT;
		vma_index_invalidate(mm);
		return;
	}
	vma_mas_take(mm, &mas);
	mas_destroy(&mas);
	vma_mas_give(mm, &mas);
	__mt_destroy(&mm->mm_mt);
}

/*
 * [start, end) becomes @vma (NULL: free) in mm_mt, with reserved nodes.
 * A store the reserve cannot cover is a caller that skipped
 * vma_prealloc(): it may still allocate here, but must not fail.
 */
static void vma_mt_store(struct mm_struct *mm, unsigned long start,
			 unsigned long end, struct vm_area_struct *vma)
{
	MA_STATE(mas, &mm->mm_mt, start, end - 1);
	unsigned int need = mas_nodes_needed(&mm->mm_mt);

	vma_mas_take(mm, &mas);
	if (mas.nr_alloc < need && mas_node_count(&mas, need, GFP_KERNEL))
		umm_bug(__FILE__, __LINE__, __func__,
			"a VMA store without vma_prealloc() ran out of memory");
	mas_store_prealloc(&mas, vma);
	vma_mas_give(mm, &mas);
}

/* A linked VMA's range moved from [os, oe): free what it left, then take what it gained. */
static void vma_mt_update(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long os, unsigned long oe)
{
	if (vma->vm_start > os)
		vma_mt_store(mm, os, min(vma->vm_start, oe), NULL);
	if (vma->vm_end < oe)
		vma_mt_store(mm, max(vma->vm_end, os), oe, NULL);
	if (vma->vm_start < os || vma->vm_end > oe)
		vma_mt_store(mm, vma->vm_start, vma->vm_end, vma);
}

/* ---- the augmented tree and the list ---- */

static inline unsigned long vma_gap_below(struct vm_area_struct *vma)
{
	return vma->vm_start - (vma->vm_prev ? vma->vm_prev->vm_end : 0);
}

RB_DECLARE_CALLBACKS_MAX(static, vma_gap_callbacks, struct vm_area_struct,
			 vm_rb, unsigned long, rb_subtree_gap, vma_gap_below)

/* @vma's own gap changed (its start or its predecessor's end moved). */
static inline void vma_gap_update(struct vm_area_struct *vma)
{
	vma_gap_callbacks_propagate(&vma->vm_rb, NULL);
}

/* Fields only: for a VMA that is not in a tree yet. */
void vma_set_range(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end, pgoff_t pgoff)
{
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
}

/*
 * Move a linked VMA's edges.  It must still sort where it did and overlap
 * nothing, so the tree keeps its shape and only the gaps change: its own
 * (start) and its successor's (end).
 */
void vma_update_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, pgoff_t pgoff)
{
	unsigned long os = vma->vm_start, oe = vma->vm_end;
	bool start_moved = os != start;
	bool end_moved = oe != end;

	vma_set_range(vma, start, end, pgoff);
	if (vma->vm_mm->vma_maple) {
		vma_mt_update(vma->vm_mm, vma, os, oe);
		if (end_moved && !vma->vm_next)
			vma->vm_mm->highest_vm_end = end;
		return;
	}
	if (start_moved || end_moved)
		vma_index_invalidate(vma->vm_mm);
	if (start_moved)
		vma_gap_update(vma);
	if (end_moved) {
		if (vma->vm_next)
			vma_gap_update(vma->vm_next);
		else
			vma->vm_mm->highest_vm_end = end;
	}
}

/*
 * vma_cede_range - vma_update_range() for a VMA that gives up part of
 * its range to a VMA whose store follows at once and covers that part
 * (__split_vma()'s new VMA, the one that grows in commit_merge()).  With
 * the maple tree the fields change and that one store rewrites the tree,
 * as the kernel's single vma_iter_store() does: a NULL store first would
 * cost a walk and a leaf rewrite for a range about to be overwritten.
 */
static void vma_cede_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end, pgoff_t pgoff)
{
	if (vma->vm_mm->vma_maple)
		vma_set_range(vma, start, end, pgoff);
	else
		vma_update_range(vma, start, end, pgoff);
}

/* The list part of __vma_link(): @vma between @prev and @next. */
static void vma_list_link(struct mm_struct *mm, struct vm_area_struct *vma,
			  struct vm_area_struct *prev, struct vm_area_struct *next)
{
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (next)
		next->vm_prev = vma;
	else
		mm->highest_vm_end = vma->vm_end;
}

/*
 * __vma_link - insert @vma, whose range is free, between @prev and @next
 * (its neighbours-to-be, either may be NULL) in @mm's list and tree.
 *
 * The neighbours give the tree position without a walk: the new node is
 * prev's in-order successor, so it goes as prev's right child if prev
 * has none; otherwise next is the leftmost node of prev's right subtree
 * (it is prev's successor) and has no left child, so it goes there.  No
 * prev means the new node is the new minimum: next's left, which is free.
 * The successor's gap shrinks first; then the new leaf goes in with a
 * zero summary, its own gap is propagated up, and the rebalancing
 * rotations keep the summaries right through the callbacks.
 */
static void __vma_link(struct mm_struct *mm, struct vm_area_struct *vma,
		       struct vm_area_struct *prev, struct vm_area_struct *next)
{
	struct rb_node **link, *parent;

	if (mm->vma_maple) {
		vma_list_link(mm, vma, prev, next);
		vma_mt_store(mm, vma->vm_start, vma->vm_end, vma);
		mm->map_count++;
		return;
	}
	vma_index_invalidate(mm);
	if (prev && !prev->vm_rb.rb_right) {
		parent = &prev->vm_rb;
		link = &parent->rb_right;
	} else if (next) {
		parent = &next->vm_rb;
		link = &parent->rb_left;
	} else {
		parent = NULL;
		link = &mm->mm_rb.rb_node;
	}

	vma_list_link(mm, vma, prev, next);
	if (next)
		vma_gap_update(next);	/* its gap below shrank */

	rb_link_node(&vma->vm_rb, parent, link);
	vma->rb_subtree_gap = 0;
	vma_gap_update(vma);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
}

/* vma_link_between - __vma_link() for callers that know the neighbours. */
void vma_link_between(struct mm_struct *mm, struct vm_area_struct *vma,
		      struct vm_area_struct *prev, struct vm_area_struct *next)
{
	__vma_link(mm, vma, prev, next);
}

/* vma_link - insert @vma, whose range is free; one walk finds its neighbours. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *next = find_vma_prev(mm, vma->vm_start, &prev);

	mmap_assert_write_locked(mm);
	__vma_link(mm, vma, prev, next);
}

/*
 * vma_unlink - take @vma out of the tree and the list (it stays allocated).
 * The tree goes first, while the list still says what the stored gaps
 * were computed from; then the successor's gap grows by @vma's span.
 */
static void vma_list_unlink(struct mm_struct *mm, struct vm_area_struct *vma);

void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_assert_write_locked(mm);
	if (mm->vma_maple) {
		MA_STATE(mas, &mm->mm_mt, vma->vm_start, vma->vm_start);

		mas_erase(&mas);	/* never allocates */
	} else {
		vma_index_invalidate(mm);
		rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
		RB_CLEAR_NODE(&vma->vm_rb);
	}
	vma_list_unlink(mm, vma);
}

/*
 * The list part of vma_unlink(), alone for a maple-tree VMA whose range
 * the next store gives to another VMA (commit_merge()).
 */
static void vma_list_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	if (READ_ONCE(mm->mmap_cache) == vma)
		WRITE_ONCE(mm->mmap_cache, NULL);
	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next) {
		next->vm_prev = prev;
		if (!mm->vma_maple)
			vma_gap_update(next);
	} else {
		mm->highest_vm_end = prev ? prev->vm_end : 0;
	}
	vma->vm_next = vma->vm_prev = NULL;
	mm->map_count--;
}

/* ---- lookups ---- */

/*
 * The lookup index.  A walk of the rb-tree is ~2 log2(map_count) dependent
 * loads from scattered VMAs: at 100,000 VMAs, hundreds of ns of cache and
 * TLB misses (the reason 6.1 moved to the maple tree).  When lookups run
 * without changes in between (faults, /proc, the system calls that only
 * look), umm builds a read-only index of the VMAs' ends in Eytzinger
 * order (the implicit binary tree of a heap: node i has children 2i and
 * 2i + 1, so the first levels share cache lines and the search touches
 * a few lines instead of ~20 nodes) and answers find_vma() from it.
 * The rb-tree stays the truth:
 *  - any change to the tree (with mmap_lock held for writing, so no
 *    reader is looking) frees the index and resets the walk count;
 *  - after max(256, map_count / 4) walks since the last change, the walker
 *    builds the index, under mm->vma_index_lock so that concurrent readers
 *    build it once, and publishes it with a release store; a reader holds
 *    mmap_lock for reading, so the index it sees stays valid while it does.
 * A mutation-heavy phase never builds one (one walk per change).  Small
 * address spaces (map_count < 256) never use it: their walks are short.
 */
struct vma_index {
	unsigned long n;
	unsigned long *end;			/* [1..n], Eytzinger order */
	struct vm_area_struct **vma;		/* [1..n], the same order */
};

#define VMA_INDEX_MIN	256

void __vma_index_invalidate(struct mm_struct *mm)
{
	struct vma_index *idx = mm->vma_index;

	mm->vma_index = NULL;
	kvfree(idx->end);
	kvfree(idx->vma);
	kfree(idx);
}

/* Lay the list out in Eytzinger order: an in-order walk of the implicit tree. */
static void vma_index_fill(struct vma_index *idx, struct vm_area_struct **cur,
			   unsigned long i)
{
	unsigned long stack[64];
	int sp = 0;

	for (;;) {
		while (i <= idx->n) {
			stack[sp++] = i;
			i *= 2;
		}
		if (!sp)
			return;
		i = stack[--sp];
		idx->end[i] = (*cur)->vm_end;
		idx->vma[i] = *cur;
		*cur = (*cur)->vm_next;
		i = 2 * i + 1;
	}
}

static __cold void vma_index_build(struct mm_struct *mm)
{
	struct vma_index *idx;
	struct vm_area_struct *cur = mm->mmap;
	unsigned long n = (unsigned long)mm->map_count;

	if (!mutex_trylock(&mm->vma_index_lock))
		return;		/* another reader is at it */
	if (__atomic_load_n(&mm->vma_index, __ATOMIC_ACQUIRE))
		goto out;
	idx = kmalloc(sizeof(*idx), GFP_KERNEL);
	if (!idx)
		goto out;
	idx->n = n;
	idx->end = kvmalloc((n + 1) * sizeof(*idx->end), GFP_KERNEL);
	idx->vma = kvmalloc((n + 1) * sizeof(*idx->vma), GFP_KERNEL);
	if (!idx->end || !idx->vma) {
		kvfree(idx->end);
		kvfree(idx->vma);
		kfree(idx);
		goto out;
	}
	vma_index_fill(idx, &cur, 1);
	__atomic_store_n(&mm->vma_index, idx, __ATOMIC_RELEASE);
out:
	mutex_unlock(&mm->vma_index_lock);
}

/* The first VMA whose end is above @addr, from the index. */
static inline struct vm_area_struct *vma_index_find(struct vma_index *idx,
						    unsigned long addr)
{
	unsigned long i = 1;

	while (i <= idx->n) {
		__builtin_prefetch(idx->end + 16 * i);
		i = 2 * i + (idx->end[i] <= addr);
	}
	i >>= __builtin_ffsl((long)~i);
	return i ? idx->vma[i] : NULL;
}

/* find_vma() in mm_mt: mt_find(), the first entry at @addr or above. */
static struct vm_area_struct *vma_mt_find(struct mm_struct *mm, unsigned long addr)
{
	unsigned long index = addr;

	return mt_find(&mm->mm_mt, &index, ~0UL);
}

/* The last VMA of @mm (NULL if none). */
static struct vm_area_struct *vma_last(struct mm_struct *mm)
{
	struct rb_node *last;

	if (mm->vma_maple) {
		MA_STATE(mas, &mm->mm_mt, ~0UL, ~0UL);

		return mas_find_rev(&mas, 0);
	}
	last = rb_last(&mm->mm_rb);
	return last ? rb_entry(last, struct vm_area_struct, vm_rb) : NULL;
}

/*
 * find_vma - the first VMA with vm_end > @addr: the one at @addr or above.
 *
 * With the maple tree it is mt_find() alone, as in 6.1 on (which removed
 * the per-thread vmacache with the rb-tree): a walk is a node per level,
 * and a cache in the mm would make each lookup store to a line every
 * reader shares, and make the next lookup's hit test wait on this one's
 * VMA load (mmap_bench: 28 ns of 158 at 100,000 VMAs).
 *
 * With the rb-tree, mm->mmap_cache remembers the last VMA a walk landed
 * in (2.6's mmap_cache, in LKD3 chapter 15's mm_struct): faults and
 * system calls come in runs on one VMA, and a hit costs two compares.
 * The cached VMA is only dropped when it is unlinked: if it contains
 * @addr it is the answer, whatever happened to its edges since.  Then
 * the index, if there is one, then the tree.  Readers share the cache
 * and the walk count under mmap_lock held for reading, hence the
 * relaxed atomics.
 */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	struct vma_index *idx;
	struct rb_node *node;

	mmap_assert_locked(mm);
	if (mm->vma_maple)
		return vma_mt_find(mm, addr);
	vma = READ_ONCE(mm->mmap_cache);
	if (likely(vma && vma->vm_start <= addr && addr < vma->vm_end))
		return vma;
	idx = __atomic_load_n(&mm->vma_index, __ATOMIC_ACQUIRE);
	if (idx)
		return vma_index_find(idx, addr);

	node = mm->mm_rb.rb_node;
	vma = NULL;
	while (node) {
		struct vm_area_struct *tmp = rb_entry(node, struct vm_area_struct, vm_rb);

		if (tmp->vm_end > addr) {
			vma = tmp;
			if (tmp->vm_start <= addr) {
				WRITE_ONCE(mm->mmap_cache, vma);
				break;
			}
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	if (unlikely(mm->map_count >= VMA_INDEX_MIN) &&
	    __atomic_add_fetch(&mm->vma_walks, 1, __ATOMIC_RELAXED) >=
	    max((unsigned long)VMA_INDEX_MIN, (unsigned long)mm->map_count / 4))
		vma_index_build(mm);
	return vma;
}

/*
 * find_vma_prev - find_vma(), and in *@pprev the VMA before @addr's.
 * With the maple tree both come from the leaf (the kernel's mas_walk()
 * then mas_prev()), not prev through the VMA found: the two VMAs' cache
 * misses then overlap in the caller instead of one waiting on the other.
 */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma;

	if (mm->vma_maple) {
		MA_STATE(mas, &mm->mm_mt, addr, addr);

		mmap_assert_locked(mm);
		vma = mas_find(&mas, ~0UL);
		*pprev = vma ? mas_prev(&mas, 0) : vma_last(mm);
		return vma;
	}
	vma = find_vma(mm, addr);
	*pprev = vma ? vma->vm_prev : vma_last(mm);
	return vma;
}

/*
 * find_vma_intersection - the first VMA that overlaps [start, end); none
 * if the range is empty (mt_find() with max < index), not even the VMA
 * around @start.
 */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start_addr,
					     unsigned long end_addr)
{
	struct vm_area_struct *vma;

	if (start_addr >= end_addr)
		return NULL;
	vma = find_vma(mm, start_addr);

	if (vma && end_addr <= vma->vm_start)
		vma = NULL;
	return vma;
}

/* ---- the VMA iterator ---- */

/* Where the iterator stands after returning @vma (NULL: at an end). */
static struct vm_area_struct *vma_iter_at(struct vma_iterator *vmi,
					  struct vm_area_struct *vma, int dir)
{
	if (!vma) {
		vmi->mas.status = dir > 0 ? ma_overflow : ma_underflow;
		return NULL;
	}
	vmi->vma = vma;
	vmi->mas.index = vma->vm_start;
	vmi->mas.last = vma->vm_end - 1;
	vmi->mas.status = ma_active;
	return vma;
}

struct vm_area_struct *vma_next(struct vma_iterator *vmi)
{
	struct vm_area_struct *vma;

	mmap_assert_locked(vmi->mm);
	if (vmi->mm->vma_maple)
		return mas_find(&vmi->mas, ~0UL);
	switch (vmi->mas.status) {
	case ma_start:
		vma = find_vma(vmi->mm, vmi->mas.index);
		break;
	case ma_active:
		vma = vmi->vma->vm_next;
		break;
	default:
		return NULL;
	}
	return vma_iter_at(vmi, vma, 1);
}

struct vm_area_struct *vma_prev(struct vma_iterator *vmi)
{
	struct vm_area_struct *vma, *prev;

	mmap_assert_locked(vmi->mm);
	if (vmi->mm->vma_maple)
		return mas_prev(&vmi->mas, 0);
	switch (vmi->mas.status) {
	case ma_start:
		/* the VMA before the one at index, or before the gap there */
		vma = find_vma_prev(vmi->mm, vmi->mas.index, &prev);
		vma = vma && vma->vm_start <= vmi->mas.index ? vma->vm_prev : prev;
		break;
	case ma_active:
		vma = vmi->vma->vm_prev;
		break;
	default:
		return NULL;
	}
	return vma_iter_at(vmi, vma, -1);
}

struct vm_area_struct *vma_find(struct vma_iterator *vmi, unsigned long max)
{
	struct vm_area_struct *vma;

	if (vmi->mm->vma_maple)
		return max ? mas_find(&vmi->mas, max - 1) : NULL;
	vma = vma_next(vmi);
	if (vma && vma->vm_start >= max) {
		vmi->mas.status = ma_overflow;
		return NULL;
	}
	return vma;
}

/* ---- the free-gap search ---- */

static inline struct vm_area_struct *rb_vma(struct rb_node *node)
{
	return rb_entry(node, struct vm_area_struct, vm_rb);
}

/*
 * Does the gap [gs, ge) hold @size bytes inside [min, max]?  On success
 * *lo and *hi are its clipped first and last byte.  @ge == 0 stands for
 * the open gap above the last VMA (it ends past ULONG_MAX).
 */
static inline bool gap_fits(unsigned long gs, unsigned long ge,
			    unsigned long min, unsigned long max,
			    unsigned long size, unsigned long *lo,
			    unsigned long *hi)
{
	unsigned long l = gs > min ? gs : min;
	unsigned long h = ge ? ge - 1 : ~0UL;

	if (ge && ge <= gs)
		return false;
	if (h > max)
		h = max;
	if (h < l || h - l < size - 1)
		return false;
	*lo = l;
	*hi = h;
	return true;
}

/*
 * The gap search in mm_mt: mas_empty_area() (lowest; *@pos its first
 * byte) or mas_empty_area_rev() (highest; *@pos its last byte), and in
 * *@nextp the VMA that ends the gap, as gap_lowest()/gap_highest() give.
 */
static int vma_mt_gap(struct mm_struct *mm, unsigned long min, unsigned long max,
		      unsigned long size, bool rev, unsigned long *pos,
		      struct vm_area_struct **nextp)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	int err;

	if (rev)
		err = mas_empty_area_rev(&mas, min, max, size);
	else
		err = mas_empty_area(&mas, min, max, size);
	if (err)
		return -ENOMEM;
	*pos = rev ? mas.last : mas.index;
	mas_set(&mas, mas.last);
	*nextp = mas_find(&mas, ~0UL);
	return 0;
}

/*
 * The lowest gap that holds @size bytes within [min, max], as the maple
 * tree's mas_empty_area() finds it: *@index is the gap's first usable
 * byte and *@nextp the VMA that ends the gap (NULL above the last).
 * In-order walk with two prunings: a subtree whose largest gap is too
 * small, and a left subtree whose gaps all end below min + size.
 */
static int gap_lowest(struct mm_struct *mm, unsigned long min, unsigned long max,
		      unsigned long size, unsigned long *index,
		      struct vm_area_struct **nextp)
{
	struct vm_area_struct *vma;
	unsigned long lo, hi, gs;

	if (mm->vma_maple)
		return vma_mt_gap(mm, min, max, size, false, index, nextp);
	if (!size || min > max || max - min < size - 1)
		return -ENOMEM;
	if (!mm->mm_rb.rb_node)
		goto check_highest;
	vma = rb_vma(mm->mm_rb.rb_node);
	if (vma->rb_subtree_gap < size)
		goto check_highest;

	for (;;) {
		/* Left first: its gaps are lower, if any ends high enough. */
		if (vma->vm_rb.rb_left && vma->vm_start > min &&
		    vma->vm_start - min >= size) {
			struct vm_area_struct *left = rb_vma(vma->vm_rb.rb_left);

			if (left->rb_subtree_gap >= size) {
				vma = left;
				continue;
			}
		}
check_current:
		gs = vma->vm_prev ? vma->vm_prev->vm_end : 0;
		if (gs > max - (size - 1))
			return -ENOMEM;		/* every later gap starts later */
		if (gap_fits(gs, vma->vm_start, min, max, size, &lo, &hi)) {
			*index = lo;
			*nextp = vma;
			return 0;
		}
		if (vma->vm_rb.rb_right) {
			struct vm_area_struct *right = rb_vma(vma->vm_rb.rb_right);

			if (right->rb_subtree_gap >= size) {
				vma = right;
				continue;
			}
		}
		/* Up to the first ancestor we reached from its left. */
		for (;;) {
			struct rb_node *prev = &vma->vm_rb;
			struct rb_node *parent = rb_parent(prev);

			if (!parent)
				goto check_highest;
			vma = rb_vma(parent);
			if (prev == vma->vm_rb.rb_left)
				goto check_current;
		}
	}

check_highest:
	if (!gap_fits(mm->highest_vm_end, 0, min, max, size, &lo, &hi))
		return -ENOMEM;
	*index = lo;
	*nextp = NULL;
	return 0;
}

/*
 * The highest gap that holds @size bytes within [min, max]
 * (mas_empty_area_rev()): *@last is its last usable byte, *@nextp the VMA
 * that ends it.  Reverse in-order walk, the mirror of gap_lowest().
 */
static int gap_highest(struct mm_struct *mm, unsigned long min, unsigned long max,
		       unsigned long size, unsigned long *last,
		       struct vm_area_struct **nextp)
{
	struct vm_area_struct *vma;
	unsigned long lo, hi;

	if (mm->vma_maple)
		return vma_mt_gap(mm, min, max, size, true, last, nextp);
	if (!size || min > max || max - min < size - 1)
		return -ENOMEM;
	if (gap_fits(mm->highest_vm_end, 0, min, max, size, &lo, &hi)) {
		*last = hi;
		*nextp = NULL;
		return 0;
	}
	if (!mm->mm_rb.rb_node)
		return -ENOMEM;
	vma = rb_vma(mm->mm_rb.rb_node);
	if (vma->rb_subtree_gap < size)
		return -ENOMEM;

	for (;;) {
		/* Right first, if its gaps can start low enough. */
		if (vma->vm_rb.rb_right && vma->vm_end <= max - (size - 1)) {
			struct vm_area_struct *right = rb_vma(vma->vm_rb.rb_right);

			if (right->rb_subtree_gap >= size) {
				vma = right;
				continue;
			}
		}
check_current:
		if (vma->vm_start < min || vma->vm_start - min < size)
			return -ENOMEM;		/* every earlier gap ends earlier */
		if (gap_fits(vma->vm_prev ? vma->vm_prev->vm_end : 0,
			     vma->vm_start, min, max, size, &lo, &hi)) {
			*last = hi;
			*nextp = vma;
			return 0;
		}
		if (vma->vm_rb.rb_left) {
			struct vm_area_struct *left = rb_vma(vma->vm_rb.rb_left);

			if (left->rb_subtree_gap >= size) {
				vma = left;
				continue;
			}
		}
		for (;;) {
			struct rb_node *prev = &vma->vm_rb;
			struct rb_node *parent = rb_parent(prev);

			if (!parent)
				return -ENOMEM;
			vma = rb_vma(parent);
			if (prev == vma->vm_rb.rb_right)
				goto check_current;
		}
	}
}

static inline struct vm_area_struct *gap_prev(struct mm_struct *mm,
					      struct vm_area_struct *next)
{
	return next ? next->vm_prev : vma_last(mm);
}

/*
 * unmapped_area - the lowest @info->length bytes free in [low_limit,
 * high_limit), aligned, clear of a following stack's guard gap (6.x).
 * The search asks for the worst case (length + align_mask + start_gap),
 * places the range at the gap's start, and if the next VMA is a stack
 * whose guard gap the range would enter, starts again above that stack.
 */
unsigned long unmapped_area(struct mm_struct *mm, struct vm_unmapped_area_info *info)
{
	unsigned long length, gap, index, low_limit, high_limit;
	struct vm_area_struct *tmp;

	length = info->length + info->align_mask + info->start_gap;
	if (length < info->length)
		return -ENOMEM;
	low_limit = info->low_limit;
	if (low_limit < mmap_min_addr)
		low_limit = mmap_min_addr;
	high_limit = info->high_limit;
retry:
	if (!high_limit || gap_lowest(mm, low_limit, high_limit - 1, length,
				      &index, &tmp))
		return -ENOMEM;
	gap = index + info->start_gap;
	gap += (info->align_offset - gap) & info->align_mask;
	if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS)) {
		if (vm_start_gap(tmp) < gap + length - 1) {
			low_limit = tmp->vm_end;
			goto retry;
		}
	} else {
		tmp = gap_prev(mm, tmp);
		if (tmp && vm_end_gap(tmp) > gap) {
			low_limit = vm_end_gap(tmp);
			goto retry;
		}
	}
	return gap;
}

/*
 * unmapped_area_topdown - the highest fit: the range ends where the gap
 * (clipped to high_limit) ends; a stack above lowers high_limit to its
 * guard gap and the search starts again.
 */
unsigned long unmapped_area_topdown(struct mm_struct *mm,
				    struct vm_unmapped_area_info *info)
{
	unsigned long length, gap, gap_end, last, low_limit, high_limit;
	struct vm_area_struct *tmp;

	length = info->length + info->align_mask + info->start_gap;
	if (length < info->length)
		return -ENOMEM;
	low_limit = info->low_limit;
	if (low_limit < mmap_min_addr)
		low_limit = mmap_min_addr;
	high_limit = info->high_limit;
retry:
	if (!high_limit || gap_highest(mm, low_limit, high_limit - 1, length,
				       &last, &tmp))
		return -ENOMEM;
	gap_end = last + 1;
	gap = gap_end - info->length;
	gap -= (gap - info->align_offset) & info->align_mask;
	if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS)) {
		if (vm_start_gap(tmp) < gap_end) {
			high_limit = vm_start_gap(tmp);
			goto retry;
		}
	} else {
		tmp = gap_prev(mm, tmp);
		if (tmp && vm_end_gap(tmp) > gap) {
			high_limit = tmp->vm_start;
			goto retry;
		}
	}
	return gap;
}

unsigned long vm_unmapped_area(struct mm_struct *mm, struct vm_unmapped_area_info *info)
{
	if (info->flags & VM_UNMAPPED_AREA_TOPDOWN)
		return unmapped_area_topdown(mm, info);
	return unmapped_area(mm, info);
}

/* ---- merging ---- */

static inline bool is_mergeable_vma(struct vma_merge_struct *vmg, bool merge_next)
{
	struct vm_area_struct *vma = merge_next ? vmg->next : vmg->prev;

	/*
	 * VM_SOFTDIRTY must not stop a merge: the merged VMA is simply
	 * soft-dirty.  (No NUMA policies, userfaultfd contexts or anon
	 * names in umm yet: they are all equal.)
	 */
	if ((vma->vm_flags ^ vmg->flags) & ~VM_SOFTDIRTY)
		return false;
	return vma->vm_file == vmg->file;
}

/*
 * A VMA forked from a parent has more than one anon_vma on its chain:
 * merging it would spread the parent's anon_vma tree (and its lock) over
 * more memory, so the kernel refuses (vma_is_fork_child()).
 */
static inline bool vma_is_fork_child(struct vm_area_struct *vma)
{
	return vma && vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

/*
 * is_mergeable_anon_vma - may the range (whose anon_vma is vmg->anon_vma,
 * taken from vmg->middle or, for mremap, vmg->copied_from) join the
 * target neighbour?  Three cases, as 6.18 has them:
 *  - only the range has an anon_vma: the target will take it
 *    (dup_anon_vma), unless the source is a fork child;
 *  - only the target has one: the range takes it, unless the target is
 *    a fork child;
 *  - both (or neither): they must be the same.
 */
static bool is_mergeable_anon_vma(struct vma_merge_struct *vmg, bool merge_next)
{
	struct vm_area_struct *tgt = merge_next ? vmg->next : vmg->prev;
	struct anon_vma *tgt_anon = tgt->anon_vma;
	struct anon_vma *src_anon = vmg->anon_vma;

	if (!tgt_anon && src_anon)
		return !vma_is_fork_child(vmg->middle) &&
		       !vma_is_fork_child(vmg->copied_from);
	if (tgt_anon && !src_anon)
		return !vma_is_fork_child(tgt);
	return src_anon == tgt_anon;
}

static inline bool are_anon_vmas_compatible(struct vm_area_struct *vma1,
					    struct vm_area_struct *vma2)
{
	struct anon_vma *anon_vma1 = vma1->anon_vma;
	struct anon_vma *anon_vma2 = vma2->anon_vma;

	return !anon_vma1 || !anon_vma2 || anon_vma1 == anon_vma2;
}

/*
 * dup_anon_vma - @dst is taking over address range (and pages) of @src:
 * give it @src's anon_vma and chain if it has none.  -ENOMEM.
 */
static int dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (src && src->anon_vma && !dst->anon_vma) {
		dst->anon_vma = src->anon_vma;
		return anon_vma_clone(dst, src);
	}
	return 0;
}

/* Can the range go in front of vmg->next (lower address and offset)? */
static bool can_vma_merge_before(struct vma_merge_struct *vmg)
{
	pgoff_t pglen = PHYS_PFN(vmg->end - vmg->start);

	return is_mergeable_vma(vmg, true) &&
	       is_mergeable_anon_vma(vmg, true) &&
	       vmg->next->vm_pgoff == vmg->pgoff + pglen;
}

/* Can the range go behind vmg->prev? */
static bool can_vma_merge_after(struct vma_merge_struct *vmg)
{
	return is_mergeable_vma(vmg, false) &&
	       is_mergeable_anon_vma(vmg, false) &&
	       vmg->prev->vm_pgoff + vma_pages(vmg->prev) == vmg->pgoff;
}

static bool can_vma_merge_left(struct vma_merge_struct *vmg)
{
	return vmg->prev && vmg->prev->vm_end == vmg->start &&
	       can_vma_merge_after(vmg);
}

/* Next as well; and if prev too, prev and next must suit each other. */
static bool can_vma_merge_right(struct vma_merge_struct *vmg, bool can_merge_left)
{
	if (!vmg->next || vmg->end != vmg->next->vm_start ||
	    !can_vma_merge_before(vmg))
		return false;
	if (!can_merge_left)
		return true;
	return are_anon_vmas_compatible(vmg->prev, vmg->next);
}

/* A merge may only delete a VMA that has no close hook. */
static inline bool can_merge_remove_vma(struct vm_area_struct *vma)
{
	return !vma->vm_ops || !vma->vm_ops->close;
}

/*
 * Unlink a VMA that a merge swallows: its range now belongs to the
 * target, whose store (commit_merge()) covers it in the maple tree, so
 * only the list lets go of it here; the rb-tree erases it first, to keep
 * its gaps true at each step.  commit_merge() frees it after the store.
 */
static void merge_remove_vma(struct vma_merge_struct *vmg, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vmg->mm;

	if (mm->vma_maple && vmg->start <= vma->vm_start && vma->vm_end <= vmg->end)
		vma_list_unlink(mm, vma);
	else
		vma_unlink(mm, vma);
}

/*
 * commit_merge - make vmg->target cover [vmg->start, vmg->end) at
 * vmg->pgoff, after deleting @remove and @remove2 and moving @adjust's
 * start by @adj_start.  The order keeps the tree sorted and gap-true at
 * each step: deletions first, then whoever shrinks, then whoever grows.
 */
static int commit_merge(struct vma_merge_struct *vmg,
			struct vm_area_struct *adjust,
			struct vm_area_struct *remove,
			struct vm_area_struct *remove2, long adj_start)
{
	struct mm_struct *mm = vmg->mm;
	struct vm_area_struct *target = vmg->target;
	/* who gains address range, and from whom: it takes their anon_vma */
	struct vm_area_struct *gainer = adj_start < 0 ? adjust : target;
	int err;

	err = vma_prealloc(mm);
	if (!err)
		err = dup_anon_vma(gainer, remove);
	if (!err)
		err = dup_anon_vma(gainer, remove2);
	if (!err && adj_start > 0)
		err = dup_anon_vma(gainer, adjust);
	if (!err && adj_start < 0)
		err = dup_anon_vma(gainer, target);
	if (!err)
		err = dup_anon_vma(gainer, vmg->copied_from);
	if (err)
		return err;

	if (remove)
		merge_remove_vma(vmg, remove);
	if (remove2)
		merge_remove_vma(vmg, remove2);
	if (adj_start > 0) {
		/* target grows up into adjust, which shrinks from below */
		vma_cede_range(adjust, adjust->vm_start + adj_start,
			       adjust->vm_end,
			       adjust->vm_pgoff + PHYS_PFN(adj_start));
		vma_update_range(target, vmg->start, vmg->end, vmg->pgoff);
	} else if (adj_start < 0) {
		/* target shrinks from above, adjust grows down into it */
		vma_cede_range(target, vmg->start, vmg->end, vmg->pgoff);
		vma_update_range(adjust, adjust->vm_start + adj_start,
				 adjust->vm_end,
				 adjust->vm_pgoff - PHYS_PFN(-adj_start));
	} else {
		vma_update_range(target, vmg->start, vmg->end, vmg->pgoff);
	}
	if (remove)
		remove_vma(remove);
	if (remove2)
		remove_vma(remove2);
	return 0;
}

/*
 * vma_merge_existing_range - vmg->middle's part [start, end) is getting
 * the attributes in @vmg; merge it into prev and/or next if they match.
 * Returns the merged VMA, or NULL (vmg->state says whether that was
 * "no merge possible" or an error).  vmg->prev is the VMA before middle,
 * or middle itself when start is inside it.
 */
struct vm_area_struct *vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *middle = vmg->middle;
	struct vm_area_struct *prev = vmg->prev;
	struct vm_area_struct *next;
	struct vm_area_struct *adjust = NULL;
	unsigned long start = vmg->start, end = vmg->end;
	bool left_side = start == middle->vm_start;
	bool right_side = end == middle->vm_end;
	bool merge_left, merge_right, merge_both;
	bool delete_middle, delete_next;
	long adj_start = 0;

	vmg->state = VMA_MERGE_NOMERGE;
	if ((vmg->flags & VM_SPECIAL) || (!left_side && !right_side))
		return NULL;

	merge_left = left_side && can_vma_merge_left(vmg);
	if (right_side) {
		next = vmg->next = middle->vm_next;
		merge_right = can_vma_merge_right(vmg, merge_left);
	} else {
		next = vmg->next = NULL;
		merge_right = false;
	}
	if (!merge_left && !merge_right)
		return NULL;

	merge_both = merge_left && merge_right;
	delete_middle = left_side && right_side;
	if (delete_middle && !can_merge_remove_vma(middle))
		return NULL;
	delete_next = merge_both;
	if (delete_next && !can_merge_remove_vma(next)) {
		delete_next = false;
		merge_right = false;
		merge_both = false;
	}

	if (merge_both) {
		/*
		 *         |<----->|
		 * |-------*********-------|
		 *   prev    middle   next
		 *  extend   delete  delete
		 */
		vmg->target = prev;
		vmg->start = prev->vm_start;
		vmg->end = next->vm_end;
		vmg->pgoff = prev->vm_pgoff;
	} else if (merge_left) {
		/*
		 *         |<----->| OR
		 *         |<--------->|
		 * |-------*************
		 *   prev      middle
		 *  extend shrink/delete
		 */
		vmg->target = prev;
		vmg->start = prev->vm_start;
		vmg->pgoff = prev->vm_pgoff;
		if (!delete_middle) {
			adjust = middle;
			adj_start = (long)(vmg->end - middle->vm_start);
		}
	} else {
		/*
		 *     |<----->| OR
		 * |<--------->|
		 * *************-------|
		 *     middle      next
		 * shrink/delete  extend
		 */
		pgoff_t pglen = PHYS_PFN(vmg->end - vmg->start);

		if (delete_middle) {
			vmg->target = next;
			vmg->end = next->vm_end;
			vmg->pgoff = next->vm_pgoff - pglen;
		} else {
			/* The one case where middle survives, shrunk. */
			vmg->target = middle;
			vmg->start = middle->vm_start;
			vmg->end = start;
			vmg->pgoff = middle->vm_pgoff;
			adjust = next;
			adj_start = -(long)(middle->vm_end - start);
		}
	}

	if (commit_merge(vmg, adjust, delete_middle ? middle : NULL,
			 delete_next ? next : NULL, adj_start)) {
		vmg->state = VMA_MERGE_ERROR_NOMEM;
		return NULL;
	}
	vmg->state = VMA_MERGE_SUCCESS;
	return merge_left ? prev : next;
}

/*
 * vma_expand - grow vmg->target to [vmg->start, vmg->end), swallowing
 * vmg->next if the new end is next's end.
 */
static int vma_expand(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *target = vmg->target, *next = vmg->next;
	bool remove_next = next && next != target && vmg->end == next->vm_end;

	return commit_merge(vmg, NULL, remove_next ? next : NULL, NULL, 0);
}

/*
 * vma_merge_new_range - a new VMA is about to cover the free range
 * [vmg->start, vmg->end) between vmg->prev and vmg->next: expand one of
 * them (or prev over the range and next) instead, if they match.
 *
 * Proposed:       |-----|  or  |-----|       |-----|
 * Existing:  |----|                  |----|  |----|     |----|
 *            expand prev       expand next   prev grows, next removed
 */
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev, *next = vmg->next;
	unsigned long end = vmg->end;
	bool can_merge_left, can_merge_right;

	vmg->state = VMA_MERGE_NOMERGE;
	if ((vmg->flags & VM_SPECIAL) || (!prev && !next))
		return NULL;

	can_merge_left = can_vma_merge_left(vmg);
	can_merge_right = !vmg->just_expand && can_vma_merge_right(vmg, can_merge_left);

	vmg->target = NULL;
	if (can_merge_right) {
		vmg->end = next->vm_end;
		vmg->target = next;
	}
	if (can_merge_left) {
		vmg->start = prev->vm_start;
		vmg->target = prev;
		vmg->pgoff = prev->vm_pgoff;
		if (can_merge_right && !can_merge_remove_vma(next))
			vmg->end = end;
	}
	if (vmg->target && !vma_expand(vmg)) {
		vmg->state = VMA_MERGE_SUCCESS;
		return vmg->target;
	}
	return NULL;
}

/* ---- splitting ---- */

/*
 * __split_vma - cut @vma at @addr.  The new VMA takes the part below
 * @addr if @new_below, else the part above; @vma keeps the rest.  No
 * max_map_count check (split_vma() makes it).
 */
int __split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	struct vm_area_struct *new;
	int err;

	mmap_assert_write_locked(vma->vm_mm);
	if (vma->vm_ops && vma->vm_ops->may_split) {
		err = vma->vm_ops->may_split(vma, addr);
		if (err)
			return err;
	}
	if (vma_prealloc(vma->vm_mm))
		return -ENOMEM;
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	err = anon_vma_clone(new, vma);
	if (err) {
		if (new->vm_file)
			fput(new->vm_file);
		vm_area_free(new);
		return err;
	}
	if (new_below) {
		new->vm_end = addr;
		vma_cede_range(vma, addr, vma->vm_end,
			       vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
		__vma_link(vma->vm_mm, new, vma->vm_prev, vma);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
		vma_cede_range(vma, vma->vm_start, addr, vma->vm_pgoff);
		__vma_link(vma->vm_mm, new, vma, vma->vm_next);
	}
	return 0;
}

int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	if (vma->vm_mm->map_count >= sysctl_max_map_count)
		return -ENOMEM;
	return __split_vma(vma, addr, new_below);
}

/*
 * vma_modify - give [start, end) of vmg->middle new attributes: merge it
 * with a neighbour if possible, else split off what lies outside.
 * Returns the VMA that now covers exactly [start, end) (possibly merged
 * wider), or an ERR_PTR.
 */
static struct vm_area_struct *vma_modify(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *vma = vmg->middle, *merged;
	int err;

	merged = vma_merge_existing_range(vmg);
	if (merged)
		return merged;
	if (vmg->state == VMA_MERGE_ERROR_NOMEM)
		return ERR_PTR(-ENOMEM);
	if (vma->vm_start < vmg->start) {
		err = split_vma(vma, vmg->start, 1);
		if (err)
			return ERR_PTR(err);
	}
	if (vma->vm_end > vmg->end) {
		err = split_vma(vma, vmg->end, 0);
		if (err)
			return ERR_PTR(err);
	}
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev,
					struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					vm_flags_t new_flags)
{
	struct vma_merge_struct vmg = {
		.mm = vma->vm_mm,
		.prev = prev,
		.middle = vma,
		.start = start,
		.end = end,
		.pgoff = vma->vm_pgoff + PHYS_PFN(start - vma->vm_start),
		.flags = new_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
	};

	return vma_modify(&vmg);
}

/*
 * copy_vma - for an mremap() move: a VMA like *@vmap covering
 * [addr, addr + len) at @pgoff, made by merging with the neighbours there
 * if they match, else a new one.  An anonymous VMA that never faulted
 * takes the new address as its pgoff, to merge more often.  If the merge
 * swallowed the source VMA itself, *@vmap becomes the merged VMA.
 * Returns NULL if the range is not free or on allocation failure.
 */
struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				unsigned long len, pgoff_t pgoff)
{
	struct vm_area_struct *vma = *vmap, *new_vma, *prev, *next;
	unsigned long vma_start = vma->vm_start;
	struct mm_struct *mm = vma->vm_mm;
	struct vma_merge_struct vmg = {
		.mm = mm,
		.start = addr,
		.end = addr + len,
		.flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.copied_from = vma,
	};

	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;
	next = find_vma_prev(mm, addr, &prev);
	if (next && next->vm_start < addr + len)
		return NULL;	/* should never get here */
	vmg.prev = prev;
	vmg.next = next;
	vmg.pgoff = pgoff;
	new_vma = vma_merge_new_range(&vmg);
	if (new_vma) {
		/* The source may have been merged into the new VMA. */
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}
	if (vma_prealloc(mm))
		return NULL;
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	if (anon_vma_clone(new_vma, vma)) {
		if (new_vma->vm_file)
			fput(new_vma->vm_file);
		vm_area_free(new_vma);
		return NULL;
	}
	vma_set_range(new_vma, addr, addr + len, pgoff);
	vma_link(mm, new_vma);	/* the merge attempt may have moved the neighbours */
	return new_vma;
}

/* ---- unmapping ---- */

void init_vma_munmap(struct vma_munmap_struct *vms, struct mm_struct *mm,
		     struct vm_area_struct *vma, unsigned long start,
		     unsigned long end)
{
	memset(vms, 0, sizeof(*vms));
	vms->mm = mm;
	vms->vma = vma;
	vms->start = vma ? start : 0;
	vms->end = vma ? end : 0;
}

/*
 * vms_gather_munmap_vmas - split the VMAs at the edges of [start, end) so
 * that whole VMAs cover it, and count what they hold.  Nothing is
 * unlinked yet: a failure leaves the splits made so far, as in the kernel.
 * The max_map_count check only bites when the first VMA is cut in three.
 */
int vms_gather_munmap_vmas(struct vma_munmap_struct *vms)
{
	struct vm_area_struct *vma = vms->vma, *next;
	int err;

	if (vms->start > vma->vm_start) {
		if (vms->end < vma->vm_end &&
		    vms->mm->map_count >= sysctl_max_map_count)
			return -ENOMEM;
		err = __split_vma(vma, vms->start, 1);
		if (err)
			return err;
	}
	vms->prev = vma->vm_prev;
	vms->vma = vma;

	for (next = vma; next && next->vm_start < vms->end; next = next->vm_next) {
		unsigned long nrpages;

		if (next->vm_end > vms->end) {
			err = __split_vma(next, vms->end, 0);
			if (err)
				return err;
		}
		nrpages = vma_pages(next);
		vms->vma_count++;
		vms->nr_pages += nrpages;
		if (next->vm_flags & VM_LOCKED)
			vms->locked_vm += nrpages;
		if (next->vm_flags & VM_ACCOUNT)
			vms->nr_accounted += nrpages;
		if (is_exec_mapping(next->vm_flags))
			vms->exec_vm += nrpages;
		else if (is_stack_mapping(next->vm_flags))
			vms->stack_vm += nrpages;
		else if (is_data_mapping(next->vm_flags))
			vms->data_vm += nrpages;
	}
	vms->next = next;
	return 0;
}

/* vms_complete_munmap_vmas - the point of no return: unlink, free, account. */
void vms_complete_munmap_vmas(struct vma_munmap_struct *vms)
{
	struct mm_struct *mm = vms->mm;
	struct vm_area_struct *vma = vms->vma, *next;
	int n;

	if (!vms->vma_count)
		return;
	/* the pages and page tables first, while the VMAs are still linked */
	unmap_region(mm, vma, vms->vma_count, vms->prev, vms->next);
	for (n = 0; n < vms->vma_count; n++, vma = next) {
		next = vma->vm_next;
		vma_unlink(mm, vma);
		remove_vma(vma);
	}
	mm->locked_vm -= vms->locked_vm;
	update_hiwater_vm(mm);
	/* /proc reads these without mmap_lock (vm_stat_account()) */
	WRITE_ONCE(mm->total_vm, mm->total_vm - vms->nr_pages);
	WRITE_ONCE(mm->exec_vm, mm->exec_vm - vms->exec_vm);
	WRITE_ONCE(mm->stack_vm, mm->stack_vm - vms->stack_vm);
	WRITE_ONCE(mm->data_vm, mm->data_vm - vms->data_vm);
	vm_unacct_memory((long)vms->nr_accounted);
	vms->vma_count = 0;
}

/* do_vmi_align_munmap - unmap the page-aligned [start, end); @vma is the first VMA in it. */
int do_vmi_align_munmap(struct mm_struct *mm, struct vm_area_struct *vma,
			unsigned long start, unsigned long end)
{
	struct vma_munmap_struct vms;
	int err;

	init_vma_munmap(&vms, mm, vma, start, end);
	err = vms_gather_munmap_vmas(&vms);
	if (err)
		return err;
	vms_complete_munmap_vmas(&vms);
	return 0;
}

/* do_munmap - munmap()'s checks and work, mmap_lock held for writing. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long end;
	struct vm_area_struct *vma;

	mmap_assert_write_locked(mm);
	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return 0;
	return do_vmi_align_munmap(mm, vma, start, end);
}

/* ---- the invariant checker ---- */

static int vma_rb_cmp(const struct rb_node *a, const struct rb_node *b)
{
	unsigned long sa = rb_vma((struct rb_node *)a)->vm_start;
	unsigned long sb = rb_vma((struct rb_node *)b)->vm_start;

	return sa < sb ? -1 : sa > sb;
}

#define CHECK MM_CHECK

/* @vma's rb_subtree_gap is the largest gap below in its subtree. */
static int mm_check_gap(struct vm_area_struct *vma)
{
	unsigned long max = vma_gap_below(vma);

	if (vma->vm_rb.rb_left && rb_vma(vma->vm_rb.rb_left)->rb_subtree_gap > max)
		max = rb_vma(vma->vm_rb.rb_left)->rb_subtree_gap;
	if (vma->vm_rb.rb_right && rb_vma(vma->vm_rb.rb_right)->rb_subtree_gap > max)
		max = rb_vma(vma->vm_rb.rb_right)->rb_subtree_gap;
	CHECK(vma->rb_subtree_gap == max,
	      "rb_subtree_gap of %lx-%lx is %lx, should be %lx",
	      vma->vm_start, vma->vm_end, vma->rb_subtree_gap, max);
	return 0;
}

/* mm_mt is a valid maple tree holding exactly the list, each VMA over its range. */
static int mm_check_mt(struct mm_struct *mm)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);
	struct vm_area_struct *vma = mm->mmap, *entry;

	CHECK(!mt_validate(&mm->mm_mt), "mt_validate() fails (above)");
	mas_for_each(&mas, entry, ~0UL) {
		CHECK(entry == vma, "mm_mt has %p at %lx-%lx where the list has %p",
		      (void *)entry, mas.index, mas.last + 1, (void *)vma);
		CHECK(mas.index == vma->vm_start && mas.last + 1 == vma->vm_end,
		      "mm_mt holds VMA %lx-%lx over %lx-%lx", vma->vm_start,
		      vma->vm_end, mas.index, mas.last + 1);
		vma = vma->vm_next;
	}
	CHECK(!vma, "VMA %lx-%lx is on the list, not in mm_mt", vma->vm_start,
	      vma->vm_end);
	return 0;
}

/* The VMA tree, list, index and counters of @mm (mmap_lock held). */
static int mm_check_vmas(struct mm_struct *mm, bool tree)
{
	struct vm_area_struct *vma, *prev = NULL;
	struct rb_node *node;
	unsigned long total = 0, locked = 0, exec = 0, stack = 0, data = 0;
	int count = 0, rb;

	mmap_assert_locked(mm);
	if (mm->vma_maple) {
		if (tree && mm_check_mt(mm))
			return -EINVAL;
	} else {
		rb = rb_check(&mm->mm_rb, vma_rb_cmp);
		CHECK(rb == RB_CHECK_OK, "rb_check() says %d", rb);
	}

	node = mm->vma_maple ? NULL : rb_first(&mm->mm_rb);
	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		unsigned long pages = vma_pages(vma);

		CHECK(count < DEFAULT_MAX_MAP_COUNT * 4 + 16, "list loops");
		CHECK(mm->vma_maple || node == &vma->vm_rb,
		      "list and tree differ at %lx-%lx (VMA %d)",
		      vma->vm_start, vma->vm_end, count);
		CHECK(vma->vm_mm == mm, "VMA %lx-%lx belongs to another mm",
		      vma->vm_start, vma->vm_end);
		CHECK(vma->vm_prev == prev, "vm_prev of %lx-%lx is wrong",
		      vma->vm_start, vma->vm_end);
		CHECK(PAGE_ALIGNED(vma->vm_start) && PAGE_ALIGNED(vma->vm_end),
		      "VMA %lx-%lx not page aligned", vma->vm_start, vma->vm_end);
		CHECK(vma->vm_start < vma->vm_end, "empty VMA at %lx", vma->vm_start);
		CHECK(vma->vm_end <= TASK_SIZE, "VMA %lx-%lx above TASK_SIZE",
		      vma->vm_start, vma->vm_end);
		CHECK(!prev || prev->vm_end <= vma->vm_start,
		      "VMAs overlap: %lx-%lx and %lx-%lx", prev->vm_start,
		      prev->vm_end, vma->vm_start, vma->vm_end);

		if (!mm->vma_maple && mm_check_gap(vma))
			return -EINVAL;

		CHECK(!(vma->vm_flags & VM_ACCOUNT) ||
		      !(vma->vm_flags & (VM_SHARED | VM_NORESERVE)),
		      "VM_ACCOUNT on a shared or NORESERVE VMA %lx-%lx",
		      vma->vm_start, vma->vm_end);
		if (anon_vma_check(vma))
			return -EINVAL;
		CHECK(!vma->vm_file ||
		      __atomic_load_n(&vma->vm_file->f_count, __ATOMIC_RELAXED) > 0,
		      "VMA %lx-%lx holds a dead file", vma->vm_start, vma->vm_end);

		total += pages;
		if (vma->vm_flags & VM_LOCKED)
			locked += pages;
		if (is_exec_mapping(vma->vm_flags))
			exec += pages;
		else if (is_stack_mapping(vma->vm_flags))
			stack += pages;
		else if (is_data_mapping(vma->vm_flags))
			data += pages;

		prev = vma;
		if (node)
			node = rb_next(node);
		count++;
	}
	CHECK(!node, "tree has more VMAs than the list");
	if (!mm->vma_maple && mm->vma_index) {
		struct vma_index *idx = mm->vma_index;

		CHECK(idx->n == (unsigned long)count, "vma_index has %lu VMAs, the mm %d",
		      idx->n, count);
		for (vma = mm->mmap; vma; vma = vma->vm_next)
			CHECK(vma_index_find(idx, vma->vm_start) == vma &&
			      vma_index_find(idx, vma->vm_end - 1) == vma,
			      "vma_index does not find %lx-%lx", vma->vm_start, vma->vm_end);
		CHECK(!vma_index_find(idx, mm->highest_vm_end), "vma_index finds past the end");
	}
	if (mm->mmap_cache) {
		for (vma = mm->mmap; vma; vma = vma->vm_next)
			if (vma == mm->mmap_cache)
				break;
		CHECK(vma, "mmap_cache points at a VMA that is not in the mm");
	}
	CHECK(count == mm->map_count, "map_count %d, %d VMAs", mm->map_count, count);
	CHECK(mm->highest_vm_end == (prev ? prev->vm_end : 0),
	      "highest_vm_end %lx, last VMA ends at %lx", mm->highest_vm_end,
	      prev ? prev->vm_end : 0);
	CHECK(mm->total_vm == total, "total_vm %lu, VMAs hold %lu pages",
	      mm->total_vm, total);
	CHECK(mm->locked_vm == locked, "locked_vm %lu, VM_LOCKED pages %lu",
	      mm->locked_vm, locked);
	CHECK(mm->exec_vm == exec, "exec_vm %lu, counted %lu", mm->exec_vm, exec);
	CHECK(mm->stack_vm == stack, "stack_vm %lu, counted %lu", mm->stack_vm, stack);
	CHECK(mm->data_vm == data, "data_vm %lu, counted %lu", mm->data_vm, data);
	return 0;
}

/* __umm_mm_check - umm_mm_check() for a caller that holds mmap_lock. */
int __umm_mm_check(struct mm_struct *mm)
{
	int err = mm_check_vmas(mm, true);

	return err ? err : pgtable_check(mm, true);
}

/*
 * Above this many VMAs the entry check leaves the maple tree's own pass
 * (mt_validate() and the tree against the list) to umm_mm_check(): it
 * would double a check that already runs at every call.
 */
#define MM_ENTRY_CHECK_TREE_MAX	4096

/*
 * mm_entry_check - what UMM_DEBUG >= 2 checks where a call enters with
 * @mm (VM_CHECK_MM()): its VMAs, counters and page tables (the maple
 * tree itself up to MM_ENTRY_CHECK_TREE_MAX VMAs), not the map counts
 * against every other mm, which would make each call a pass over every
 * address space.  0 for a NULL @mm: the call itself refuses it.
 */
int mm_entry_check(struct mm_struct *mm)
{
	int err;

	if (!mm)
		return 0;
	mmap_write_lock(mm);
	err = mm_check_vmas(mm, mm->map_count <= MM_ENTRY_CHECK_TREE_MAX);
	if (!err)
		err = pgtable_check(mm, false);
	mmap_write_unlock(mm);
	return err;
}

int umm_mm_check(struct mm_struct *mm)
{
	int err;

	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);	/* no fault runs under the check: it is exact */
	err = __umm_mm_check(mm);
	/* and the page cache of every file it maps (each once in a row) */
	if (!err) {
		struct address_space *last = NULL;
		struct vm_area_struct *vma;
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			struct address_space *mapping =
				vma->vm_file ? vma->vm_file->f_mapping : NULL;

			if (!mapping || mapping == last)
				continue;
			last = mapping;
			err = filemap_check(mapping);
			if (err)
				break;
		}
	}
	mmap_write_unlock(mm);
	return err;
}
