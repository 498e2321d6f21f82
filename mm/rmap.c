// SPDX-License-Identifier: GPL-2.0
/*
 * rmap.c - reverse mapping of anonymous memory: anon_vma and
 * anon_vma_chain, and the per-page map counts (mm/rmap.c, Linux 6.18).
 *
 * Owns: struct anon_vma and struct anon_vma_chain, vma->anon_vma and
 * vma->anon_vma_chain, page->mapping/index of anonymous pages, and
 * page->_mapcount, PG_anon_exclusive and PG_mlocked (with its
 * mlock_count) of every mapped page.
 *
 * The tree: a VMA's first write fault gives it an anon_vma (reused from a
 * mergeable neighbour when find_mergeable_anon_vma() allows, as the kernel
 * does, so that neighbours can merge later).  fork() gives each child VMA
 * an anon_vma of its own whose parent is the parent VMA's, and chains the
 * child VMA to every anon_vma of the parent VMA's chain too (anon_vma_clone
 * then anon_vma_fork): a page the parent faulted before fork is found from
 * the child through the parent's anon_vma.  A VMA's chain is therefore
 * singular exactly when it never took part in a fork as the child, which
 * is what the merge rules (vma_is_fork_child() in mm/vma.c) test.
 *
 * Invariants (anon_vma_check()):
 *  - vma->anon_vma is NULL or on vma's chain; every chain entry's
 *    anon_vma has the same root as vma->anon_vma;
 *  - an anon_vma is alive while a VMA is chained to it (refcount 1 for
 *    that) or a descendant exists (each non-root anon_vma holds a
 *    reference on its root);
 *  - num_active_vmas counts the VMAs whose ->anon_vma it is, num_children
 *    the anon_vmas whose ->parent it is (and one for its own VMA at
 *    prepare), both used by anon_vma_clone() to reuse an anon_vma.
 *
 * Pages hold no reference on their anon_vma: a mapped anonymous page is
 * mapped in a VMA chained to its anon_vma, which therefore lives; an
 * unmapped page's ->mapping is stale and only freeing reads it.
 *
 * Lock order: mm->mmap_lock, then anon_vma->root->lock, then
 * mm->page_table_lock.  User-space differences: the kernel's per-anon_vma
 * interval tree of chains is a list here (umm walks it only to check
 * invariants; no reclaim or migration needs an rmap walk by address), and
 * the root's rwsem is a mutex.
 */
#include <errno.h>
#include "internal.h"
#include <umm/rmap.h>
#include <umm/slab.h>

/* list.h has no reverse walk: the parent's chain oldest first. */
#define list_for_each_entry_reverse(pos, head, member)			\
	for (pos = list_last_entry(head, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.prev, __typeof__(*pos), member))

/* Live objects, for leak checks in tests (anon_vma_stats()). */
static long nr_anon_vmas, nr_anon_vma_chains;

void anon_vma_stats(long *anon_vmas, long *chains)
{
	*anon_vmas = __atomic_load_n(&nr_anon_vmas, __ATOMIC_RELAXED);
	*chains = __atomic_load_n(&nr_anon_vma_chains, __ATOMIC_RELAXED);
}

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *anon_vma = kzalloc(sizeof(*anon_vma), GFP_KERNEL);

	if (!anon_vma)
		return NULL;
	__atomic_fetch_add(&nr_anon_vmas, 1, __ATOMIC_RELAXED);
	anon_vma->refcount = 1;
	anon_vma->root = anon_vma;
	anon_vma->parent = anon_vma;	/* the kernel's: a root is its own parent */
	mutex_init(&anon_vma->lock);
	INIT_LIST_HEAD(&anon_vma->rb_root);
	return anon_vma;
}

static void anon_vma_free(struct anon_vma *anon_vma)
{
	__atomic_fetch_sub(&nr_anon_vmas, 1, __ATOMIC_RELAXED);
	mutex_destroy(&anon_vma->lock);
	kfree(anon_vma);
}

static inline void get_anon_vma(struct anon_vma *anon_vma)
{
	__atomic_fetch_add(&anon_vma->refcount, 1, __ATOMIC_RELAXED);
}

static void put_anon_vma(struct anon_vma *anon_vma)
{
	struct anon_vma *root = anon_vma->root;

	if (__atomic_sub_fetch(&anon_vma->refcount, 1, __ATOMIC_ACQ_REL))
		return;
	anon_vma_free(anon_vma);
	if (root != anon_vma && !__atomic_sub_fetch(&root->refcount, 1, __ATOMIC_ACQ_REL))
		anon_vma_free(root);
}

static inline struct anon_vma_chain *anon_vma_chain_alloc(void)
{
	struct anon_vma_chain *avc = kmalloc(sizeof(struct anon_vma_chain), GFP_KERNEL);

	if (avc)
		__atomic_fetch_add(&nr_anon_vma_chains, 1, __ATOMIC_RELAXED);
	return avc;
}

static inline void anon_vma_chain_free(struct anon_vma_chain *avc)
{
	__atomic_fetch_sub(&nr_anon_vma_chains, 1, __ATOMIC_RELAXED);
	kfree(avc);
}

static void anon_vma_chain_link(struct vm_area_struct *vma,
				struct anon_vma_chain *avc,
				struct anon_vma *anon_vma)
{
	avc->vma = vma;
	avc->anon_vma = anon_vma;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->rb, &anon_vma->rb_root);
}

static inline void anon_vma_lock(struct anon_vma *anon_vma)
{
	mutex_lock(&anon_vma->root->lock);
}

static inline void anon_vma_unlock(struct anon_vma *anon_vma)
{
	mutex_unlock(&anon_vma->root->lock);
}

/*
 * Can @a and @b (adjacent, a below b) share an anon_vma?  Only the
 * access flags may differ: mprotect() could later make them mergeable.
 */
static bool anon_vma_compatible(struct vm_area_struct *a, struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + ((b->vm_start - a->vm_start) >> PAGE_SHIFT);
}

/*
 * @old's anon_vma, if @old never forked from a parent and a, b fit.
 * With mmap_lock held for reading, a fault on @old may be linking its
 * first anon_vma_chain meanwhile (__anon_vma_prepare(), under
 * page_table_lock): the kernel reads the list without a lock, a benign
 * race (a list caught half-linked reads empty, and the anon_vma is not
 * reused); umm takes page_table_lock for the read, so that the race is
 * not one at all (ThreadSanitizer sees the list's plain stores).
 */
static struct anon_vma *reusable_anon_vma(struct vm_area_struct *old,
					  struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	struct anon_vma *anon_vma = NULL;
	struct mm_struct *mm = old->vm_mm;

	if (!anon_vma_compatible(a, b) || !READ_ONCE(old->anon_vma))
		return NULL;
	mutex_lock(&mm->page_table_lock);
	if (list_is_singular(&old->anon_vma_chain))
		anon_vma = old->anon_vma;
	mutex_unlock(&mm->page_table_lock);
	return anon_vma;
}

/* The next VMA's anon_vma first, then the previous one's (mm/vma.c 6.18). */
struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = NULL;

	if (vma->vm_next) {
		anon_vma = reusable_anon_vma(vma->vm_next, vma, vma->vm_next);
		if (anon_vma)
			return anon_vma;
	}
	if (vma->vm_prev)
		anon_vma = reusable_anon_vma(vma->vm_prev, vma->vm_prev, vma);
	return anon_vma;
}

/*
 * __anon_vma_prepare - attach an anon_vma to @vma: a neighbour's when it
 * may be shared, else a new root.  Called with mmap_lock held (read is
 * enough: two faults race for it under page_table_lock).
 */
int __anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *anon_vma, *allocated = NULL;
	struct anon_vma_chain *avc = anon_vma_chain_alloc();

	mmap_assert_locked(mm);
	if (!avc)
		return -ENOMEM;
	anon_vma = find_mergeable_anon_vma(vma);
	if (!anon_vma) {
		anon_vma = anon_vma_alloc();
		if (unlikely(!anon_vma)) {
			anon_vma_chain_free(avc);
			return -ENOMEM;
		}
		anon_vma->num_children++;	/* self-parent link for new root */
		allocated = anon_vma;
	}

	anon_vma_lock(anon_vma);
	mutex_lock(&mm->page_table_lock);
	if (likely(!vma->anon_vma)) {
		__atomic_store_n(&vma->anon_vma, anon_vma, __ATOMIC_RELEASE);
		anon_vma_chain_link(vma, avc, anon_vma);
		anon_vma->num_active_vmas++;
		allocated = NULL;
		avc = NULL;
	}
	mutex_unlock(&mm->page_table_lock);
	anon_vma_unlock(anon_vma);

	if (unlikely(allocated))
		put_anon_vma(allocated);
	if (unlikely(avc))
		anon_vma_chain_free(avc);
	return 0;
}

/*
 * anon_vma_clone - chain @dst to every anon_vma @src is chained to (split,
 * mremap's copy, fork).  If @dst has no anon_vma yet (fork), one of those
 * with no VMA of its own and at most one child is reused, so that a long
 * run of forks does not grow a chain per generation.
 */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *avc, *pavc;

	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = pavc->anon_vma;

		avc = anon_vma_chain_alloc();
		if (unlikely(!avc))
			goto enomem_failure;
		anon_vma_lock(anon_vma);
		anon_vma_chain_link(dst, avc, anon_vma);
		if (!dst->anon_vma && src->anon_vma &&
		    anon_vma->num_children < 2 && anon_vma->num_active_vmas == 0)
			dst->anon_vma = anon_vma;
		anon_vma_unlock(anon_vma);
	}
	if (dst->anon_vma) {
		anon_vma_lock(dst->anon_vma);
		dst->anon_vma->num_active_vmas++;
		anon_vma_unlock(dst->anon_vma);
	}
	return 0;

enomem_failure:
	/* unlink_anon_vmas() must not count @dst as active where it is not */
	dst->anon_vma = NULL;
	unlink_anon_vmas(dst);
	return -ENOMEM;
}

/*
 * anon_vma_fork - the child VMA @vma of parent VMA @pvma: clone the
 * parent's chain and give the child an anon_vma of its own (unless the
 * clone found one to reuse), whose parent is @pvma's.
 */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma_chain *avc;
	struct anon_vma *anon_vma;
	int error;

	if (!pvma->anon_vma)
		return 0;
	vma->anon_vma = NULL;
	error = anon_vma_clone(vma, pvma);
	if (error)
		return error;
	if (vma->anon_vma)
		return 0;

	anon_vma = anon_vma_alloc();
	if (!anon_vma)
		goto out_error;
	anon_vma->num_active_vmas++;
	avc = anon_vma_chain_alloc();
	if (!avc)
		goto out_error_free_anon_vma;

	anon_vma->root = pvma->anon_vma->root;
	anon_vma->parent = pvma->anon_vma;
	get_anon_vma(anon_vma->root);
	vma->anon_vma = anon_vma;
	anon_vma_lock(anon_vma);
	anon_vma_chain_link(vma, avc, anon_vma);
	anon_vma->parent->num_children++;
	anon_vma_unlock(anon_vma);
	return 0;

out_error_free_anon_vma:
	put_anon_vma(anon_vma);
out_error:
	unlink_anon_vmas(vma);
	return -ENOMEM;
}

/*
 * unlink_anon_vmas - take @vma off every anon_vma it is chained to; an
 * anon_vma left with no VMA loses its parent's child count and our
 * reference (freed when nothing below it holds its root).  Its pages are
 * already unmapped.
 */
void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;
	struct anon_vma *root;

	if (list_empty(&vma->anon_vma_chain)) {
		vma->anon_vma = NULL;
		return;
	}
	/*
	 * One critical section under the root's lock (every anon_vma on a
	 * chain has the same root), as the kernel's: once our chain entry
	 * to an anon_vma is gone, only the lock keeps another VMA's unlink
	 * from putting the last reference of it (and of the root) before we
	 * are done with it.
	 */
	root = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain,
				same_vma)->anon_vma->root;
	mutex_lock(&root->lock);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = avc->anon_vma;

		VM_BUG_ON(anon_vma->root != root);
		list_del(&avc->rb);
		if (list_empty(&anon_vma->rb_root)) {
			/* leave it on the chain: put below, outside the lock */
			anon_vma->parent->num_children--;
			continue;
		}
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
	if (vma->anon_vma) {
		vma->anon_vma->num_active_vmas--;
		vma->anon_vma = NULL;
	}
	mutex_unlock(&root->lock);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = avc->anon_vma;

		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
		put_anon_vma(anon_vma);
	}
}


/* anon_vma_check - @vma's chain agrees with ->anon_vma (see the head comment). */
int anon_vma_check(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;
	bool found = false;
	int n = 0;

	if (!vma->anon_vma) {
		MM_CHECK(list_empty(&vma->anon_vma_chain),
			   "VMA %lx-%lx has a chain but no anon_vma",
			   vma->vm_start, vma->vm_end);
		return 0;
	}
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		MM_CHECK(avc->vma == vma, "chain of %lx-%lx holds another VMA",
			   vma->vm_start, vma->vm_end);
		MM_CHECK(avc->anon_vma->root == vma->anon_vma->root,
			   "chain of %lx-%lx crosses anon_vma trees",
			   vma->vm_start, vma->vm_end);
		MM_CHECK(__atomic_load_n(&avc->anon_vma->refcount, __ATOMIC_RELAXED) > 0,
			   "chain of %lx-%lx holds a dead anon_vma",
			   vma->vm_start, vma->vm_end);
		if (avc->anon_vma == vma->anon_vma)
			found = true;
		MM_CHECK(++n < 1 << 20, "chain of %lx-%lx loops",
			   vma->vm_start, vma->vm_end);
	}
	MM_CHECK(found, "anon_vma of %lx-%lx is not on its chain",
		   vma->vm_start, vma->vm_end);
	MM_CHECK(vma->anon_vma->num_active_vmas > 0,
		   "anon_vma of %lx-%lx counts no active VMA",
		   vma->vm_start, vma->vm_end);
	return 0;
}

/* ---- mlock (mm/mlock.c) ---- */

/* folio->mlock_count: the kernel overlays it on lru.prev. */
static inline unsigned long *mlock_count(struct page *page)
{
	return (unsigned long *)&page->lru.prev;
}

static inline void mod_mlock_state(struct page *page, long delta)
{
	__atomic_fetch_add(&page_zone(page)->vm_stat[NR_MLOCK], delta, __ATOMIC_RELAXED);
}

/*
 * mlock_folio(): the first mlock makes the page unevictable with a count
 * of one; each further locked VMA that mlocks it adds one.  Callers hold
 * the page_table_lock of the mm whose PTE maps it.
 */
void mlock_page(struct page *page)
{
	if (!(__atomic_fetch_or(&page->flags, 1UL << PG_mlocked, __ATOMIC_ACQ_REL) &
	      (1UL << PG_mlocked))) {
		__atomic_store_n(mlock_count(page), 1UL, __ATOMIC_RELAXED);
		mod_mlock_state(page, 1);
		return;
	}
	__atomic_fetch_add(mlock_count(page), 1UL, __ATOMIC_RELAXED);
}

/* munlock_folio(): one locked VMA less; the last one clears PG_mlocked. */
void munlock_page(struct page *page)
{
	unsigned long n = __atomic_load_n(mlock_count(page), __ATOMIC_RELAXED);

	if (!PageMlocked(page))
		return;
	while (n && !__atomic_compare_exchange_n(mlock_count(page), &n, n - 1, false,
						 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	if (n > 1)
		return;
	if (__atomic_fetch_and(&page->flags, ~(1UL << PG_mlocked), __ATOMIC_ACQ_REL) &
	    (1UL << PG_mlocked))
		mod_mlock_state(page, -1);
}

/* ---- page map counts ---- */

/* First mapping of a new anonymous page, exclusive to @vma's process. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	/* a MAP_DROPPABLE page is never swapped: reclaim just drops it */
	if (!(vma->vm_flags & VM_DROPPABLE))
		__SetPageSwapBacked(page);
	/* atomic: the buddy allocator may be reading this word as page_type */
	__atomic_store_n(&page->_mapcount, 0, __ATOMIC_RELAXED);
	WRITE_ONCE(page->mapping,
		   (struct address_space *)((unsigned long)anon_vma + PAGE_MAPPING_ANON));
	page->index = linear_page_index(vma, address);
	SetPageAnonExclusive(page);
	mlock_vma_page(page, vma);	/* folio_add_lru_vma(): mlock_new_folio() */
}

/* One more PTE maps anonymous @page (fork, mremap's move keeps the count). */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address)
{
	(void)address;
	__atomic_fetch_add(&page->_mapcount, 1, __ATOMIC_RELAXED);
	mlock_vma_page(page, vma);
}

/* One more PTE maps page-cache @page. */
void page_add_file_rmap(struct page *page, struct vm_area_struct *vma)
{
	/* The first PTE: the page counts in Mapped (NR_FILE_MAPPED). */
	if (__atomic_fetch_add(&page->_mapcount, 1, __ATOMIC_RELAXED) == -1)
		mod_node_page_state(page_pgdat(page), NR_FILE_MAPPED, 1);
	mlock_vma_page(page, vma);
}

/*
 * One PTE less maps @page.  An anonymous page that nobody maps any more
 * is no longer exclusive to anyone (the kernel clears it at free).
 */
void page_remove_rmap(struct page *page, struct vm_area_struct *vma)
{
	/*
	 * A locked VMA's PTE going munlocks (munlock_vma_folio()); a VMA that
	 * lost VM_LOCKED without munlocking (mremap MREMAP_DONTUNMAP) leaves
	 * its pages mlocked, as in the kernel.
	 */
	munlock_vma_page(page, vma);
	if (__atomic_sub_fetch(&page->_mapcount, 1, __ATOMIC_ACQ_REL) >= 0)
		return;
	if (PageAnon(page))
		ClearPageAnonExclusive(page);
	else
		mod_node_page_state(page_pgdat(page), NR_FILE_MAPPED, -1);
}
