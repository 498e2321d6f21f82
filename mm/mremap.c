// SPDX-License-Identifier: GPL-2.0
/*
 * mremap.c - resizing and moving mappings (mm/mremap.c, Linux 6.18).
 *
 * One call, four shapes, chosen as the kernel chooses them:
 *
 *   shrink          munmap the tail [addr + new_len, addr + old_len); the
 *                   range may run over several VMAs
 *   grow in place   [addr, addr + old_len) ends where its VMA ends and the
 *                   space above is free: the VMA grows (merging with the
 *                   next one if it now touches a match)
 *   move            copy the VMA to the new place (merging there if it
 *                   can), then unmap the old range; an anonymous VMA that
 *                   never faulted takes its new address as vm_pgoff
 *   move, several   MREMAP_FIXED with old_len == new_len moves every VMA
 *                   of the range, keeping the holes between them (6.17+)
 *
 * MREMAP_FIXED unmaps the target first; MREMAP_DONTUNMAP moves and leaves
 * the old range mapped (and unlocked).  Commit accounting: a move charges
 * the growth only, by hiding VM_ACCOUNT from the old range while it is
 * unmapped and giving it back to what is left of that VMA.
 *
 * A move takes the page tables along (move_page_tables(), below):
 * the pages keep their index, since the new VMA keeps the offset.
 *
 * User-space differences:
 * With MREMAP_DONTUNMAP the kernel clears VM_LOCKED on the old VMA but
 * leaves locked_vm as it was (it counts those pages twice from then on);
 * umm subtracts them, so that locked_vm stays the sum of VM_LOCKED VMAs.
 *
 * Locking: mm->mmap_lock for writing, for the whole call (asserted in
 * move_page_tables() and move_page_tables_prepare()); moving an entry
 * takes page_table_lock around it, under mmap_lock.
 */
#include <errno.h>
#include <sys/mman.h>
#include <umm/rmap.h>
#include "internal.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif

enum mremap_type {
	MREMAP_INVALID,
	MREMAP_NO_RESIZE,
	MREMAP_SHRINK,
	MREMAP_EXPAND,
};

struct vma_remap_struct {
	struct mm_struct *mm;
	unsigned long addr, old_len, new_len, flags, new_addr;
	struct vm_area_struct *vma;
	unsigned long delta;
	unsigned long charged;
	enum mremap_type remap_type;
	bool mlocked;		/* the VMA is VM_LOCKED: populate what grew */
};

static inline bool vrm_implies_new_addr(struct vma_remap_struct *vrm)
{
	return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool vrm_overlaps(struct vma_remap_struct *vrm)
{
	unsigned long end_old = vrm->addr + vrm->old_len;
	unsigned long end_new = vrm->new_addr + vrm->new_len;

	return end_old > vrm->new_addr && end_new > vrm->addr;
}

/* The syscall's own checks, before any VMA is looked at. */
static long check_mremap_params(struct vma_remap_struct *vrm)
{
	unsigned long flags = vrm->flags;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (vrm->addr & ~PAGE_MASK)
		return -EINVAL;
	/* old_len 0 duplicates a shared mapping; new_len 0 makes no sense. */
	if (!vrm->new_len)
		return -EINVAL;
	if (vrm->new_len > TASK_SIZE)
		return -EINVAL;
	if (!vrm_implies_new_addr(vrm))
		return 0;
	if (vrm->new_addr > TASK_SIZE - vrm->new_len)
		return -EINVAL;
	if (vrm->new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && vrm->old_len != vrm->new_len)
		return -EINVAL;
	if (vrm_overlaps(vrm))
		return -EINVAL;
	/*
	 * Unmapping the target and then the source may each split a VMA in
	 * three: refuse up front what move_vma() would refuse too late.
	 */
	if (vrm->mm->map_count + 2 >= sysctl_max_map_count - 3)
		return -ENOMEM;
	return 0;
}

/* check_prep_vma - the checks that need the source VMA; sets the shape. */
static long check_prep_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	struct mm_struct *mm = vrm->mm;
	unsigned long old_len, new_len, pgoff;

	if (!vma)
		return -EFAULT;
	vrm->delta = vrm->old_len > vrm->new_len ? vrm->old_len - vrm->new_len :
		vrm->new_len - vrm->old_len;
	if (!vrm->delta)
		vrm->remap_type = MREMAP_NO_RESIZE;
	else if (vrm->old_len > vrm->new_len)
		vrm->remap_type = MREMAP_SHRINK;
	else
		vrm->remap_type = MREMAP_EXPAND;
	if (!vrm_implies_new_addr(vrm))
		vrm->new_addr = vrm->addr;
	/* What follows only matters if new address space gets mapped. */
	if (vrm->remap_type != MREMAP_EXPAND && !vrm_implies_new_addr(vrm))
		return 0;

	old_len = vrm->old_len;
	new_len = vrm->new_len;
	/* Duplicating a private mapping is refused (it never shared anything). */
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* A shrink may run over VMA ends: only what stays must be in this one. */
	if (vrm->remap_type == MREMAP_SHRINK)
		old_len = new_len;
	if (old_len > vma->vm_end - vrm->addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;

	pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(mm, vma->vm_flags & VM_LOCKED, vrm->delta))
		return -EAGAIN;
	if (!may_expand_vm(mm, vma->vm_flags, vrm->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

/* Charge the commit for what the operation adds (all of it if nothing goes). */
static bool vrm_calc_charge(struct vma_remap_struct *vrm)
{
	unsigned long charged;

	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return true;
	if (vrm->flags & MREMAP_DONTUNMAP)
		charged = vrm->new_len >> PAGE_SHIFT;
	else
		charged = vrm->delta >> PAGE_SHIFT;
	if (security_vm_enough_memory_mm(vrm->mm, (long)charged))
		return false;
	vrm->charged = charged;
	return true;
}

static void vrm_uncharge(struct vma_remap_struct *vrm)
{
	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return;
	vm_unacct_memory((long)vrm->charged);
	vrm->charged = 0;
}

static void vrm_stat_account(struct vma_remap_struct *vrm, unsigned long bytes)
{
	unsigned long pages = bytes >> PAGE_SHIFT;
	struct vm_area_struct *vma = vrm->vma;

	vm_stat_account(vrm->mm, vma->vm_flags, (long)pages);
	if (vma->vm_flags & VM_LOCKED) {
		vrm->mm->locked_vm += pages;
		vrm->mlocked = true;
	}
}

/* Where the moved range goes: MREMAP_FIXED's address, a hint, or anywhere. */
static long vrm_set_new_addr(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	unsigned long map_flags = 0, res;
	pgoff_t pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned long new_addr = vrm_implies_new_addr(vrm) ? vrm->new_addr : 0;

	if (vrm->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	res = __get_unmapped_area(vrm->mm, vma->vm_file, new_addr, vrm->new_len,
				  pgoff, map_flags, 0);
	if (IS_ERR_VALUE(res))
		return (long)res;
	vrm->new_addr = res;
	return 0;
}

/*
 * The move is done; take the old range away without un-charging it (the
 * new VMA carries the charge): VM_ACCOUNT is hidden while it is unmapped
 * and restored on what is left of the VMA on either side.
 */
static void unmap_source_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	unsigned long addr = vrm->addr, len = vrm->old_len, end = addr + len;
	struct vm_area_struct *vma = vrm->vma, *prev, *next;
	bool accountable_move = (vma->vm_flags & VM_ACCOUNT) &&
		!(vrm->flags & MREMAP_DONTUNMAP);
	unsigned long vm_start = vma->vm_start, vm_end = vma->vm_end;

	if (accountable_move)
		vma->vm_flags &= ~VM_ACCOUNT;
	vrm->vma = NULL;
	if (do_munmap(mm, addr, len)) {
		/* OOM: unable to split vma, just get accounts right (as 6.18) */
		vm_unacct_memory(-(long)(len >> PAGE_SHIFT));
		return;
	}
	if (accountable_move) {
		next = find_vma_prev(mm, addr, &prev);
		if (vm_start < addr && prev)
			prev->vm_flags |= VM_ACCOUNT;
		next = find_vma(mm, end);
		if (vm_end > end && next)
			next->vm_flags |= VM_ACCOUNT;
	}
}

static int move_page_tables_prepare(struct mm_struct *mm, unsigned long old_addr,
				    unsigned long new_addr, unsigned long len);

/* MREMAP_DONTUNMAP: the old range stays, empty, and no longer locked. */
static void dontunmap_complete(struct vma_remap_struct *vrm,
			       struct vm_area_struct *new_vma)
{
	struct vm_area_struct *vma = vrm->vma;

	if (vma->vm_flags & VM_LOCKED)
		vrm->mm->locked_vm -= vma_pages(vma);	/* see the head comment */
	vma->vm_flags &= ~VM_LOCKED_MASK;
	/*
	 * The whole VMA's pages went with its page tables: it needs its
	 * anon_vma no more, and (like a never-faulted VMA) merges and gives
	 * back its VM_ACCOUNT charge on mprotect as one without.
	 */
	if (new_vma != vma && vrm->addr == vma->vm_start &&
	    vrm->addr + vrm->old_len == vma->vm_end)
		unlink_anon_vmas(vma);
}

static long move_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	struct vm_area_struct *new_vma, *vma = vrm->vma;
	unsigned long hiwater_vm, new_pgoff;

	/* The copy may not merge and the unmap may split: keep room for both. */
	if (mm->map_count >= sysctl_max_map_count - 3)
		return -ENOMEM;
	if (vma->vm_ops && vma->vm_ops->may_split) {
		int err = 0;

		if (vma->vm_start != vrm->addr)
			err = vma->vm_ops->may_split(vma, vrm->addr);
		if (!err && vma->vm_end != vrm->addr + vrm->old_len)
			err = vma->vm_ops->may_split(vma, vrm->addr + vrm->old_len);
		if (err)
			return err;
	}
	/* The page tables of the new place, before anything changes. */
	if (move_page_tables_prepare(mm, vrm->addr, vrm->new_addr, vrm->old_len))
		return -ENOMEM;
	if (!vrm_calc_charge(vrm))
		return -ENOMEM;

	new_pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	new_vma = copy_vma(&vma, vrm->new_addr, vrm->new_len, new_pgoff);
	if (!new_vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	/* cannot fail: the tables were allocated above */
	move_page_tables(vma, vrm->addr, new_vma, vrm->new_addr, vrm->old_len);

	hiwater_vm = mm->hiwater_vm;
	vrm_stat_account(vrm, vrm->new_len);
	if (vrm->flags & MREMAP_DONTUNMAP)
		dontunmap_complete(vrm, new_vma);
	else
		unmap_source_vma(vrm);
	mm->hiwater_vm = hiwater_vm;
	return (long)vrm->new_addr;
}

/* Shrink in place: unmap the tail, wherever it runs. */
static long shrink_vma(struct vma_remap_struct *vrm, bool reload)
{
	int err = do_munmap(vrm->mm, vrm->addr + vrm->new_len, vrm->delta);

	vrm->vma = NULL;
	if (err)
		return err;
	if (reload) {
		vrm->vma = vma_lookup(vrm->mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	return 0;
}

/* To a given (MREMAP_FIXED) or chosen (MREMAP_DONTUNMAP) new address. */
static long mremap_to(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = vrm->mm;
	long err;

	if (vrm->flags & MREMAP_FIXED) {
		err = do_munmap(mm, vrm->new_addr, vrm->new_len);
		vrm->vma = NULL;
		if (err)
			return err;
		/* The target may have been part of the source's VMA. */
		vrm->vma = vma_lookup(mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	if (vrm->remap_type == MREMAP_SHRINK) {
		err = shrink_vma(vrm, true);
		if (err)
			return err;
		vrm->old_len = vrm->new_len;
	}
	/* DONTUNMAP keeps the old range: the whole new one is growth. */
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(mm, vrm->vma->vm_flags, vrm->old_len >> PAGE_SHIFT))
		return -ENOMEM;
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/* Can [addr, addr + old_len), which ends at its VMA's end, grow in place? */
static bool vrm_can_expand_in_place(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	unsigned long end = vma->vm_end + vrm->delta;

	if (vma->vm_end - vrm->addr != vrm->old_len)
		return false;
	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(vrm->mm, vma->vm_end, end))
		return false;
	if (__get_unmapped_area(vrm->mm, NULL, vma->vm_start, end - vma->vm_start,
				0, MAP_FIXED, 0) & ~PAGE_MASK)
		return false;
	return true;
}

/*
 * vma_merge_extend(): the grown part is a new range right after the VMA,
 * which merges with it (and with the next VMA if that now touches and
 * matches).
 */
static long expand_vma_in_place(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma, *merged;
	struct vma_merge_struct vmg = {
		.mm = vrm->mm,
		.prev = vma,
		.next = vma->vm_next,
		.start = vma->vm_end,
		.end = vma->vm_end + vrm->delta,
		.pgoff = vma->vm_pgoff + vma_pages(vma),
		.flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
	};

	if (!vrm_calc_charge(vrm))
		return -ENOMEM;
	merged = vma_merge_new_range(&vmg);
	if (!merged) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = merged;
	vrm_stat_account(vrm, vrm->delta);
	return 0;
}

static long expand_vma(struct vma_remap_struct *vrm)
{
	long err;

	if (vrm_can_expand_in_place(vrm)) {
		err = expand_vma_in_place(vrm);
		return err ? err : (long)vrm->addr;
	}
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/* Resize without a fixed target: in place if possible, else move. */
static long mremap_at(struct vma_remap_struct *vrm)
{
	long err;

	switch (vrm->remap_type) {
	case MREMAP_NO_RESIZE:
		return (long)vrm->addr;
	case MREMAP_SHRINK:
		err = shrink_vma(vrm, false);
		return err ? err : (long)vrm->addr;
	case MREMAP_EXPAND:
		return expand_vma(vrm);
	default:
		return -EINVAL;
	}
}

/*
 * remap_move - MREMAP_FIXED, old_len == new_len: move every VMA of
 * [addr, addr + old_len), the first to new_addr and each next one as far
 * after the previous as it was in the source:
 *
 *           X        Y                       X        Y
 *         <--->     <->                    <--->     <->
 * |-------|   |-----| |-----|      |-------|   |-----| |-----|
 * |   A   |   |  B  | |  C  | ---> |   A'  |   |  B' | |  C' |
 * |-------|   |-----| |-----|      |-------|   |-----| |-----|
 *                               new_addr
 *
 * The range must start on a VMA; the holes in the target are left alone.
 */
static long remap_move(struct vma_remap_struct *vrm)
{
	unsigned long start = vrm->addr, end = vrm->addr + vrm->old_len;
	unsigned long target_addr = vrm->new_addr, last_end = 0, cursor = start;
	long res = -EFAULT;
	bool seen_vma = false;
	struct vm_area_struct *vma;

	/*
	 * The walk goes on from where the last VMA's part ended, never back:
	 * with MREMAP_DONTUNMAP that VMA is still there, over the cursor.
	 */
	while (cursor < end && (vma = find_vma_intersection(vrm->mm, cursor, end))) {
		unsigned long addr = max(vma->vm_start, start);
		unsigned long len = min(end, vma->vm_end) - addr;
		unsigned long offset;
		long res_vma;
		bool multi_allowed;

		if (!seen_vma && start < vma->vm_start)
			return -EFAULT;
		offset = seen_vma ? vma->vm_start - last_end : 0;
		last_end = vma->vm_end;

		vrm->vma = vma;
		vrm->addr = addr;
		vrm->new_addr = target_addr + offset;
		vrm->old_len = vrm->new_len = len;

		/* A file whose ->get_unmapped_area may move a fixed address (/dev/zero). */
		multi_allowed = !(vma->vm_file && vma->vm_file->f_devzero);
		if (!multi_allowed && (seen_vma || vma->vm_end < end))
			return -EFAULT;

		res_vma = check_prep_vma(vrm);
		if (!res_vma)
			res_vma = mremap_to(vrm);
		if (IS_ERR_VALUE(res_vma))
			return res_vma;
		if (!seen_vma)
			res = res_vma;
		seen_vma = true;
		target_addr = (unsigned long)res_vma + vrm->new_len;
		cursor = addr + len;
	}
	return res;
}

long umm_mremap(struct mm_struct *mm, unsigned long old, unsigned long old_len,
		unsigned long new_len, int flags, unsigned long new_addr)
{
	struct vma_remap_struct vrm = {
		.mm = mm,
		.addr = old,
		.old_len = PAGE_ALIGN(old_len),
		.new_len = PAGE_ALIGN(new_len),
		.flags = (unsigned int)flags,
		.new_addr = new_addr,
		.remap_type = MREMAP_INVALID,
	};
	long res;

	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	res = check_mremap_params(&vrm);
	if (res)
		goto out;
	if ((vrm.flags & MREMAP_FIXED) && vrm.old_len == vrm.new_len) {
		res = remap_move(&vrm);
	} else {
		vrm.vma = vma_lookup(mm, vrm.addr);
		res = check_prep_vma(&vrm);
		if (res)
			goto out;
		res = vrm_implies_new_addr(&vrm) ? mremap_to(&vrm) : mremap_at(&vrm);
	}
	/* A locked VMA that grew: fault in the new part (mm_populate()). */
	if (!IS_ERR_VALUE(res) && vrm.mlocked && vrm.new_len > vrm.old_len)
		mm_populate_locked(mm, (unsigned long)res + vrm.old_len,
				   (unsigned long)res + vrm.new_len, true);
out:
	mmap_write_unlock(mm);
	return res;
}

/* ---- the page tables (move_page_tables) ---- */

/* The PUD entry of @addr if its table exists (no allocation), else NULL. */
static pud_t *pud_lookup(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);

	return pgd_none(*pgd) ? NULL : pud_offset(pgd, addr);
}

/* The PMD entry of @addr if its table exists (no allocation), else NULL. */
static pmd_t *pmd_lookup(struct mm_struct *mm, unsigned long addr)
{
	pud_t *pud = pud_lookup(mm, addr);

	return !pud || pud_none(*pud) ? NULL : pmd_offset(pud, addr);
}

/*
 * Does the move from @old to @new (@left bytes to go) take a whole table
 * along, as move_normal_pud() and move_normal_pmd() do?  Both places
 * aligned on the span, all of it to go (get_extent()), a table on the
 * old side and none on the new.  PUD_SIZE (a PMD table moves), PMD_SIZE
 * (a PTE table), or 0 (PTE by PTE).
 */
static unsigned long whole_table_move(struct mm_struct *mm, unsigned long old,
				      unsigned long new, unsigned long left)
{
	if (!((old | new) & ~PUD_MASK) && left >= PUD_SIZE) {
		pud_t *o = pud_lookup(mm, old), *n = pud_lookup(mm, new);

		if (o && !pud_none(*o) && (!n || pud_none(*n)))
			return PUD_SIZE;
	}
	if (!((old | new) & ~PMD_MASK) && left >= PMD_SIZE) {
		pmd_t *o = pmd_lookup(mm, old), *n = pmd_lookup(mm, new);

		if (o && !pmd_none(*o) && (!n || pmd_none(*n)))
			return PMD_SIZE;
	}
	return 0;
}

/*
 * move_page_tables_prepare - allocate the tables that the PTEs of
 * [old_addr, old_addr + len) will need at @new_addr, so that the move
 * itself cannot fail half way: where a whole table moves, the table
 * that will hold its entry, else down to the PTE table.  -ENOMEM.
 * Tables left unused in a free range are freed with the next unmap
 * around them, as in the kernel.
 */
static int move_page_tables_prepare(struct mm_struct *mm, unsigned long old_addr,
				    unsigned long new_addr, unsigned long len)
{
	unsigned long off, whole;

	mmap_assert_write_locked(mm);
	if (!mm->pgd)
		return 0;
	for (off = 0; off < len; off += PAGE_SIZE) {
		pte_t *pte;
		pmd_t *pmd;

		whole = whole_table_move(mm, old_addr + off, new_addr + off, len - off);
		if (whole == PUD_SIZE &&
		    !pud_alloc(mm, pgd_offset(mm, new_addr + off), new_addr + off))
			return -ENOMEM;
		if (whole == PMD_SIZE && !walk_to_pmd(mm, new_addr + off))
			return -ENOMEM;
		if (whole) {
			off += whole - PAGE_SIZE;
			continue;
		}
		pte = pte_lookup(mm, old_addr + off);
		if (!pte) {
			off = pmd_addr_end(old_addr + off, old_addr + len) - old_addr - PAGE_SIZE;
			continue;
		}
		if (pte_none(ptep_get(pte)))
			continue;
		pmd = walk_to_pmd(mm, new_addr + off);
		if (!pmd || pte_alloc(mm, pmd))
			return -ENOMEM;
	}
	return 0;
}

/*
 * move_page_tables - move the PTEs of [old_addr, old_addr + len) of @vma
 * to @new_addr in @new_vma.  Pages keep their index: the new VMA's pgoff
 * makes the same linear index.  An aligned gigabyte or 2 MiB going to a
 * free place takes its PMD or PTE table along (whole_table_move()), so
 * that no empty table stays behind (MREMAP_DONTUNMAP keeps the old VMA).
 * Returns the bytes moved (all, or fewer if a table could not be
 * allocated).  mmap_lock held for writing.
 */
unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long done, whole;

	mmap_assert_write_locked(vma->vm_mm);
	(void)new_vma;
	if (!mm->pgd)
		return len;
	for (done = 0; done < len; done += PAGE_SIZE) {
		unsigned long o = old_addr + done, n = new_addr + done;
		pte_t *old_pte, *new_pte;
		pmd_t *pmd;
		pte_t v;

		whole = whole_table_move(mm, o, n, len - done);
		if (whole == PUD_SIZE) {
			pud_t *old_pud = pud_lookup(mm, o);
			pud_t *new_pud = pud_alloc(mm, pgd_offset(mm, n), n);

			if (!new_pud)
				return done;
			mutex_lock(&mm->page_table_lock);
			set_entry_release(&new_pud->pud, pud_val(*old_pud));
			old_pud->pud = 0;
			mutex_unlock(&mm->page_table_lock);
		} else if (whole == PMD_SIZE) {
			pmd_t *old_pmd = pmd_lookup(mm, o);

			pmd = walk_to_pmd(mm, n);
			if (!pmd)
				return done;
			mutex_lock(&mm->page_table_lock);
			set_entry_release(&pmd->pmd, pmd_val(*old_pmd));
			old_pmd->pmd = 0;
			mutex_unlock(&mm->page_table_lock);
		}
		if (whole) {
			done += whole - PAGE_SIZE;
			continue;
		}
		old_pte = pte_lookup(mm, o);
		if (!old_pte) {
			done += pmd_addr_end(o, old_addr + len) - o - PAGE_SIZE;
			continue;
		}
		if (pte_none(ptep_get(old_pte)))
			continue;
		pmd = walk_to_pmd(mm, n);
		if (!pmd || pte_alloc(mm, pmd))
			return done;
		new_pte = pte_offset_kernel(pmd, n);
		mutex_lock(&mm->page_table_lock);
		v = ptep_get(old_pte);
		pte_clear(mm, o, old_pte);
		set_pte(new_pte, v);
		mutex_unlock(&mm->page_table_lock);
	}
	return len;
}
