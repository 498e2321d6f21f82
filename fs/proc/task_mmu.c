// SPDX-License-Identifier: GPL-2.0
/*
 * task_mmu.c - /proc/PID/maps, smaps, smaps_rollup and pagemap of a umm
 * address space, and the mm's numbers that status, stat and statm print
 * (fs/proc/task_mmu.c, Linux 6.18; the task side is fs/proc/array.c).
 * umm_mm_show() renders any of them by name.
 *
 * A maps line is show_vma_header_prefix() then the name:
 *
 *	"%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu "
 *	start-end    rwxp/s   offset dev     inode
 *
 * with the hex fields zero-padded to at least 8 (2) digits and lower case,
 * the offset, device and inode all 0 for anonymous memory.  If there is a
 * name, the line is padded with spaces to column 73 (seq_setwidth(25 +
 * 6 * sizeof(void *) - 1) then seq_pad(' ')), so that names start in the
 * 74th column; a nameless line ends with the space after the inode.
 * Names: the file's path ('\n' escaped as "\012"), "[heap]" for a VMA
 * that overlaps [start_brk, brk) (vma_is_initial_heap()), "[stack]" for
 * the one that contains start_stack (vma_is_initial_stack()).
 * After the VMAs, maps (not smaps) shows the gate area get_gate_vma()
 * gives an exec'ed mm (arch/x86/entry/vsyscall/vsyscall_64.c).
 *
 * smaps: per VMA the maps line, then "Label:" padded to 16 columns and
 * "%8lu kB" (SEQ_PUT_DEC), in show_smap()'s order, then THPeligible and
 * VmFlags.  The numbers come from a walk of the VMA's page tables
 * (mm/pagewalk.c) as smaps_pte_entry()/smaps_account() count them: the
 * zero page not at all; a page only this PTE references (page_count 1)
 * private; else its mapcount decides private or shared, and Pss gets
 * PAGE_SIZE / mapcount in 1/4096ths (PSS_SHIFT).  Dirty from the PTE or
 * PG_dirty, Referenced from the PTE's accessed bit or PG_referenced,
 * LazyFree for a clean anonymous page without PG_swapbacked (MADV_FREE),
 * Locked is the Pss of a VM_LOCKED VMA.  smaps_rollup sums every VMA
 * under one "[rollup]" header from the first VMA's start to the last's
 * end, with Pss_Anon/File/Shmem added.
 *
 * Where umm differs from a 6.18 kernel, because it has less: no huge
 * pages (AnonHugePages, ShmemPmdMapped, FilePmdMapped, the Hugetlb lines
 * are 0 and THPeligible is 0), no KSM, no swap (Swap, SwapPss 0; the
 * kernel's walk of a shmem VMA's swapped pages has nothing to find), no
 * protection keys (no ProtectionKey line, as on x86 without pkeys), and
 * it is CONFIG_MEM_SOFT_DIRTY=y (every new VMA has VM_SOFTDIRTY: "sd" in
 * VmFlags, bit 55 in pagemap), which a host may not be.
 *
 * pagemap: 8 bytes per virtual page from address 0 to TASK_SIZE
 * (pagemap_pmd_range()/pte_to_pagemap_entry()): PFN always shown (as to a
 * CAP_SYS_ADMIN reader), present, soft-dirty, exclusively mapped
 * (mapcount 1), file-or-shared (not anonymous); 0 outside VMAs.  umm has
 * no swap entries, uffd-wp or guard regions, so bits 57, 58 and 62 stay 0.
 *
 * Locking: mmap_lock for reading around every file, as the kernel's
 * m_start() takes it; the page walk takes page_table_lock for each PTE
 * table.  Counters (status, stat) are read racily, as the kernel's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <umm/pagewalk.h>
#include <umm/rmap.h>
#include "internal.h"

/* seq_setwidth()/seq_pad(): pad to a column relative to where we were. */
static void seq_pad_to(struct seq_file *m, size_t pad_until, char c)
{
	while (m->count < pad_until)
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}

static void show_vma_header_prefix(struct seq_file *m, unsigned long start,
				   unsigned long end, vm_flags_t flags,
				   unsigned long long pgoff, dev_t dev,
				   unsigned long ino)
{
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
		   start, end,
		   flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p',
		   pgoff, major(dev), minor(dev), ino);
}

static inline bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk &&
	       vma->vm_end > vma->vm_mm->start_brk;
}

static inline bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

/* seq_path(m, path, "\n"): escape what would break a line as \ooo. */
static void seq_path_escaped(struct seq_file *m, const char *path)
{
	for (; *path; path++) {
		if (*path == '\n')
			seq_puts(m, "\\012");
		else
			seq_putc(m, *path);
	}
}

/* What maps prints after the header: the file's path or a [name], or NULL. */
const char *proc_vma_name(struct vm_area_struct *vma)
{
	const char *name = NULL;

	if (vma->vm_file)
		return vma->vm_file->f_path;
	if (vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	if (!name && vma_is_initial_heap(vma))
		name = "[heap]";
	else if (!name && vma_is_initial_stack(vma))
		name = "[stack]";
	return name;
}

void show_map_vma(struct seq_file *m, struct vm_area_struct *vma)
{
	size_t pad_until = m->count + 25 + sizeof(void *) * 6 - 1;
	struct file *file = vma->vm_file;
	const char *name = proc_vma_name(vma);

	show_vma_header_prefix(m, vma->vm_start, vma->vm_end, vma->vm_flags,
			       file ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0,
			       file ? file->f_dev : 0, file ? file->f_ino : 0);
	if (name) {
		seq_pad_to(m, pad_until, ' ');
		if (file)
			seq_path_escaped(m, name);
		else
			seq_puts(m, name);
	}
	seq_putc(m, '\n');
}

/* The two-letter names of the VmFlags line, by bit (show_smap_vma_flags()). */
static const char mnemonics[64][3] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh",
	[4] = "mr", [5] = "mw", [6] = "me", [7] = "ms",
	[8] = "gd", [9] = "um", [10] = "pf", [12] = "uw",
	[13] = "lo", [14] = "io", [15] = "sr", [16] = "rr",
	[17] = "dc", [18] = "de", [19] = "lf", [20] = "ac",
	[21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar",
	[25] = "wf", [26] = "dd", [27] = "sd", [28] = "mm",
	[29] = "hg", [30] = "nh", [31] = "mg",
	[37] = "ss", [40] = "dp",
};

void show_smap_vma_flags(struct seq_file *m, struct vm_area_struct *vma)
{
	seq_puts(m, "VmFlags: ");
	for (unsigned int i = 0; i < 64; i++) {
		if (!(vma->vm_flags & (1UL << i)))
			continue;
		seq_puts(m, mnemonics[i][0] ? mnemonics[i] : "??");
		seq_putc(m, ' ');
	}
	seq_putc(m, '\n');
}


/* ---- the mm's numbers: status, statm, stat (task_mem() and friends) ---- */

void task_mem(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long text, lib, swap, anon, file, shmem;
	unsigned long hiwater_vm, total_vm, hiwater_rss, total_rss;

	anon = get_mm_counter(mm, MM_ANONPAGES);
	file = get_mm_counter(mm, MM_FILEPAGES);
	shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	/* The high-water marks are only updated before a drop: max with now. */
	hiwater_vm = total_vm = READ_ONCE(mm->total_vm);
	if (hiwater_vm < mm->hiwater_vm)
		hiwater_vm = mm->hiwater_vm;
	hiwater_rss = total_rss = anon + file + shmem;
	if (hiwater_rss < mm->hiwater_rss)
		hiwater_rss = mm->hiwater_rss;
	/* VmExe is the code segment; VmLib the other executable mappings. */
	text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> 10;
	lib = (READ_ONCE(mm->exec_vm) << (PAGE_SHIFT - 10)) - text;
	swap = get_mm_counter(mm, MM_SWAPENTS);
	seq_printf(m,
		   "VmPeak:\t%8lu kB\n"
		   "VmSize:\t%8lu kB\n"
		   "VmLck:\t%8lu kB\n"
		   "VmPin:\t%8lu kB\n"
		   "VmHWM:\t%8lu kB\n"
		   "VmRSS:\t%8lu kB\n"
		   "RssAnon:\t%8lu kB\n"
		   "RssFile:\t%8lu kB\n"
		   "RssShmem:\t%8lu kB\n"
		   "VmData:\t%8lu kB\n"
		   "VmStk:\t%8lu kB\n"
		   "VmExe:\t%8lu kB\n"
		   "VmLib:\t%8lu kB\n"
		   "VmPTE:\t%8lu kB\n"
		   "VmSwap:\t%8lu kB\n",
		   hiwater_vm << (PAGE_SHIFT - 10),
		   total_vm << (PAGE_SHIFT - 10),
		   mm->locked_vm << (PAGE_SHIFT - 10),
		   mm->pinned_vm << (PAGE_SHIFT - 10),
		   hiwater_rss << (PAGE_SHIFT - 10),
		   total_rss << (PAGE_SHIFT - 10),
		   anon << (PAGE_SHIFT - 10),
		   file << (PAGE_SHIFT - 10),
		   shmem << (PAGE_SHIFT - 10),
		   READ_ONCE(mm->data_vm) << (PAGE_SHIFT - 10),
		   READ_ONCE(mm->stack_vm) << (PAGE_SHIFT - 10), text, lib,
		   (unsigned long)mm->pgtables_bytes >> 10,
		   swap << (PAGE_SHIFT - 10));
	/* hugetlb_report_usage(): umm has no hugetlbfs pages. */
	seq_printf(m, "HugetlbPages:\t%8lu kB\n", 0UL);
}

unsigned long task_vsize(struct mm_struct *mm)
{
	return PAGE_SIZE * READ_ONCE(mm->total_vm);
}

unsigned long task_statm(struct mm_struct *mm, unsigned long *shared,
			 unsigned long *text, unsigned long *data,
			 unsigned long *resident)
{
	*shared = get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_SHMEMPAGES);
	*text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;
	*data = READ_ONCE(mm->data_vm) + READ_ONCE(mm->stack_vm);
	*resident = *shared + get_mm_counter(mm, MM_ANONPAGES);
	return READ_ONCE(mm->total_vm);
}

/* ---- smaps ---- */

/*
 * Proportional set size in 1/4096ths of a byte (PSS_SHIFT 12): a page
 * mapped by n PTEs adds PAGE_SIZE / n to the Pss of each, and the
 * fraction is kept so that a sum over many pages does not lose it.
 */
#define PSS_SHIFT 12

struct mem_size_stats {
	unsigned long resident;
	unsigned long shared_clean;
	unsigned long shared_dirty;
	unsigned long private_clean;
	unsigned long private_dirty;
	unsigned long referenced;
	unsigned long anonymous;
	unsigned long lazyfree;
	unsigned long anonymous_thp;
	unsigned long shmem_thp;
	unsigned long file_thp;
	unsigned long swap;
	unsigned long shared_hugetlb;
	unsigned long private_hugetlb;
	unsigned long ksm;
	unsigned long long pss;
	unsigned long long pss_anon;
	unsigned long long pss_file;
	unsigned long long pss_shmem;
	unsigned long long pss_dirty;
	unsigned long long pss_locked;
	unsigned long long swap_pss;
};

static void smaps_page_accumulate(struct mem_size_stats *mss, struct page *page,
				  unsigned long size, unsigned long long pss,
				  bool dirty, bool locked, bool private)
{
	mss->pss += pss;
	if (PageAnon(page))
		mss->pss_anon += pss;
	else if (PageSwapBacked(page))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || PageDirty(page)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/*
 * One mapped page (smaps_account() for a small folio): a page only we
 * reference is private; otherwise its mapcount says how many share it.
 */
static void smaps_account(struct mem_size_stats *mss, struct page *page,
			  bool young, bool dirty, bool locked)
{
	unsigned long long pss = (unsigned long long)PAGE_SIZE << PSS_SHIFT;
	int mapcount;

	if (PageAnon(page)) {
		mss->anonymous += PAGE_SIZE;
		/* MADV_FREE took PG_swapbacked; a write since makes it dirty */
		if (!PageSwapBacked(page) && !dirty && !PageDirty(page))
			mss->lazyfree += PAGE_SIZE;
	}
	mss->resident += PAGE_SIZE;
	if (young || PageReferenced(page))
		mss->referenced += PAGE_SIZE;
	if (page_count(page) == 1) {
		smaps_page_accumulate(mss, page, PAGE_SIZE, pss, dirty, locked, true);
		return;
	}
	mapcount = page_mapcount(page);
	if (mapcount >= 2)
		pss /= (unsigned long long)mapcount;
	smaps_page_accumulate(mss, page, PAGE_SIZE, pss, dirty, locked, mapcount < 2);
}

/* ->pmd_entry: every PTE of one table, under the PTE lock. */
static int smaps_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			   struct mm_walk *walk)
{
	struct mem_size_stats *mss = walk->private;
	bool locked = walk->vma->vm_flags & VM_LOCKED;
	pte_t *pte = pte_offset_map(pmd, addr);

	mutex_lock(&walk->mm->page_table_lock);
	for (; addr != end; pte++, addr += PAGE_SIZE) {
		pte_t ptent = ptep_get(pte);
		struct page *page;

		/* no swap, no migration entries: not present is none */
		if (!pte_present(ptent))
			continue;
		page = vm_normal_page(walk->vma, addr, ptent);
		if (page)
			smaps_account(mss, page, pte_young(ptent), pte_dirty(ptent),
				      locked);
	}
	mutex_unlock(&walk->mm->page_table_lock);
	return 0;
}

static const struct mm_walk_ops smaps_walk_ops = {
	.pmd_entry = smaps_pte_range,
};

/*
 * The kernel's smap_gather_stats() also counts a shmem VMA's swapped-out
 * pages (Swap:); umm does not swap, so there are none to find.
 */
static void smap_gather_stats(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	walk_page_vma(vma, &smaps_walk_ops, mss);
}

/* smaps' Rss of one VMA, in bytes (fs/proc/svg.c draws it). */
unsigned long smaps_vma_rss(struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	return mss.resident;
}

#define SEQ_PUT_DEC(str, val) \
	seq_put_decimal_ull_width(m, str, (val) >> 10, 8)

static void __show_smap(struct seq_file *m, const struct mem_size_stats *mss,
			bool rollup_mode)
{
	SEQ_PUT_DEC("Rss:            ", mss->resident);
	SEQ_PUT_DEC(" kB\nPss:            ", mss->pss >> PSS_SHIFT);
	SEQ_PUT_DEC(" kB\nPss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	if (rollup_mode) {
		/* Per VMA two of these are 0 and the third is Pss. */
		SEQ_PUT_DEC(" kB\nPss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		SEQ_PUT_DEC(" kB\nPss_File:       ", mss->pss_file >> PSS_SHIFT);
		SEQ_PUT_DEC(" kB\nPss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	SEQ_PUT_DEC(" kB\nShared_Clean:   ", mss->shared_clean);
	SEQ_PUT_DEC(" kB\nShared_Dirty:   ", mss->shared_dirty);
	SEQ_PUT_DEC(" kB\nPrivate_Clean:  ", mss->private_clean);
	SEQ_PUT_DEC(" kB\nPrivate_Dirty:  ", mss->private_dirty);
	SEQ_PUT_DEC(" kB\nReferenced:     ", mss->referenced);
	SEQ_PUT_DEC(" kB\nAnonymous:      ", mss->anonymous);
	SEQ_PUT_DEC(" kB\nKSM:            ", mss->ksm);
	SEQ_PUT_DEC(" kB\nLazyFree:       ", mss->lazyfree);
	SEQ_PUT_DEC(" kB\nAnonHugePages:  ", mss->anonymous_thp);
	SEQ_PUT_DEC(" kB\nShmemPmdMapped: ", mss->shmem_thp);
	SEQ_PUT_DEC(" kB\nFilePmdMapped:  ", mss->file_thp);
	SEQ_PUT_DEC(" kB\nShared_Hugetlb: ", mss->shared_hugetlb);
	/* one column less: the label is one longer */
	seq_put_decimal_ull_width(m, " kB\nPrivate_Hugetlb: ",
				  mss->private_hugetlb >> 10, 7);
	SEQ_PUT_DEC(" kB\nSwap:           ", mss->swap);
	SEQ_PUT_DEC(" kB\nSwapPss:        ", mss->swap_pss >> PSS_SHIFT);
	SEQ_PUT_DEC(" kB\nLocked:         ", mss->pss_locked >> PSS_SHIFT);
	seq_puts(m, " kB\n");
}

static void show_smap(struct seq_file *m, struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	show_map_vma(m, vma);
	SEQ_PUT_DEC("Size:           ", vma->vm_end - vma->vm_start);
	SEQ_PUT_DEC(" kB\nKernelPageSize: ", PAGE_SIZE);
	SEQ_PUT_DEC(" kB\nMMUPageSize:    ", PAGE_SIZE);
	seq_puts(m, " kB\n");
	__show_smap(m, &mss, false);
	/* umm maps 4 KiB pages only: no VMA is eligible for THP */
	seq_printf(m, "THPeligible:    %8u\n", 0U);
	/* x86 without protection keys prints no ProtectionKey line */
	show_smap_vma_flags(m, vma);
}

/* smaps_rollup: one summary "VMA" from the first VMA's start to the last's end. */
static void show_smaps_rollup(struct seq_file *m, struct mm_struct *mm)
{
	struct mem_size_stats mss = { 0 };
	unsigned long vma_start = 0, last_vma_end = 0;
	struct vm_area_struct *vma;
	size_t pad_until;

	if (mm->mmap)
		vma_start = mm->mmap->vm_start;
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma) {
		smap_gather_stats(vma, &mss);
		last_vma_end = vma->vm_end;
	}
	pad_until = m->count + 25 + sizeof(void *) * 6 - 1;
	show_vma_header_prefix(m, vma_start, last_vma_end, 0, 0, 0, 0);
	seq_pad_to(m, pad_until, ' ');
	seq_puts(m, "[rollup]\n");
	__show_smap(m, &mss, true);
}

/* ---- pagemap ---- */

#define PM_ENTRY_BYTES		sizeof(uint64_t)
#define PM_PFRAME_BITS		55
#define PM_PFRAME_MASK		((1ULL << PM_PFRAME_BITS) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_MMAP_EXCLUSIVE	(1ULL << 56)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_GUARD_REGION		(1ULL << 58)
#define PM_FILE			(1ULL << 61)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

struct pagemapread {
	uint64_t *buffer;
	unsigned long pos, len;		/* entries written, room */
};

static inline uint64_t make_pme(uint64_t frame, uint64_t flags)
{
	return (frame & PM_PFRAME_MASK) | flags;
}

static void add_to_pagemap(uint64_t pme, struct pagemapread *pm)
{
	if (likely(pm->pos < pm->len))
		pm->buffer[pm->pos++] = pme;
}

/*
 * A range without PTEs: outside any VMA the entries are 0; inside one
 * they carry only the VMA's soft-dirty bit (pagemap_pte_hole()).
 */
static int pagemap_pte_hole(unsigned long start, unsigned long end, int depth,
			    struct mm_walk *walk)
{
	struct pagemapread *pm = walk->private;
	uint64_t pme = 0;

	(void)depth;
	if (walk->vma && (walk->vma->vm_flags & VM_SOFTDIRTY))
		pme = make_pme(0, PM_SOFT_DIRTY);
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE)
		add_to_pagemap(pme, pm);
	return 0;
}

/*
 * pte_to_pagemap_entry(): the frame (umm's reader may always see PFNs,
 * as a CAP_SYS_ADMIN one), present, soft-dirty; then from the page,
 * file-or-shared (not anonymous) and exclusively mapped (mapcount 1).
 * The zero page is present but has no normal page: neither.  umm has no
 * swap entries, uffd-wp or guard markers (MADV_GUARD_INSTALL is EINVAL).
 */
static uint64_t pte_to_pagemap_entry(struct vm_area_struct *vma, unsigned long addr,
				     pte_t pte)
{
	uint64_t frame = 0, flags = 0;
	struct page *page = NULL;

	if (pte_present(pte)) {
		frame = pte_pfn(pte);
		flags |= PM_PRESENT;
		page = vm_normal_page(vma, addr, pte);
		if (pte_soft_dirty(pte))
			flags |= PM_SOFT_DIRTY;
	}
	if (page) {
		if (!PageAnon(page))
			flags |= PM_FILE;
		if ((flags & PM_PRESENT) && page_mapcount(page) == 1)
			flags |= PM_MMAP_EXCLUSIVE;
	}
	if (vma->vm_flags & VM_SOFTDIRTY)
		flags |= PM_SOFT_DIRTY;
	return make_pme(frame, flags);
}

static int pagemap_pmd_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			     struct mm_walk *walk)
{
	struct pagemapread *pm = walk->private;
	pte_t *pte = pte_offset_map(pmd, addr);

	mutex_lock(&walk->mm->page_table_lock);
	for (; addr < end; pte++, addr += PAGE_SIZE)
		add_to_pagemap(pte_to_pagemap_entry(walk->vma, addr, ptep_get(pte)), pm);
	mutex_unlock(&walk->mm->page_table_lock);
	return 0;
}

static const struct mm_walk_ops pagemap_ops = {
	.pmd_entry = pagemap_pmd_range,
	.pte_hole = pagemap_pte_hole,
};

/* Entries for [vaddr, vaddr + npages pages), the caller holding mmap_lock. */
static unsigned long pagemap_fill(struct mm_struct *mm, unsigned long vaddr,
				  uint64_t *out, unsigned long npages)
{
	struct pagemapread pm = { .buffer = out, .len = npages };
	unsigned long end_vaddr = mm->task_size ? mm->task_size : TASK_SIZE;
	unsigned long start = vaddr & PAGE_MASK;

	if (start >= end_vaddr || !npages)
		return 0;
	if (npages > (end_vaddr - start) >> PAGE_SHIFT)
		pm.len = npages = (end_vaddr - start) >> PAGE_SHIFT;
	walk_page_range(mm, start, start + (npages << PAGE_SHIFT), &pagemap_ops, &pm);
	/* every page of the range was a PTE or in a hole: pm.pos == npages */
	return pm.pos;
}

long umm_pagemap_read(struct mm_struct *mm, unsigned long vaddr, uint64_t *out,
		      unsigned long npages)
{
	unsigned long n;

	if (!mm || (!out && npages))
		return -EINVAL;
	mmap_read_lock(mm);
	n = pagemap_fill(mm, vaddr, out, npages);
	mmap_read_unlock(mm);
	return (long)n;
}

/*
 * "pagemap" or "pagemap@ADDR" into a byte buffer: the entries from ADDR's
 * page (0 without one) as read() of the file at offset ADDR / 4096 * 8
 * would give them, in chunks so that @buf needs no alignment.  Returns
 * the bytes from there to the end of the address space.
 */
static ssize_t pagemap_show(struct mm_struct *mm, const char *arg, char *buf,
			    size_t size)
{
	unsigned long end_vaddr = mm->task_size ? mm->task_size : TASK_SIZE;
	unsigned long vaddr = 0, done = 0;
	uint64_t chunk[512];
	char *endp;

	if (*arg == '@') {
		/* a number: strtoul() alone would take blanks and a sign */
		if (!isdigit((unsigned char)arg[1]))
			return -EINVAL;
		errno = 0;
		vaddr = strtoul(arg + 1, &endp, 0);
		if (errno || endp == arg + 1 || *endp)
			return -EINVAL;
	} else if (*arg) {
		return -ENOENT;
	}
	vaddr &= PAGE_MASK;
	if (vaddr >= end_vaddr)
		return 0;
	mmap_read_lock(mm);
	while (done < size) {
		unsigned long want = (size - done + PM_ENTRY_BYTES - 1) / PM_ENTRY_BYTES;
		unsigned long got, bytes;

		want = min(want, (unsigned long)ARRAY_SIZE(chunk));
		got = pagemap_fill(mm, vaddr + (done / PM_ENTRY_BYTES << PAGE_SHIFT),
				   chunk, want);
		if (!got)
			break;
		bytes = min(got * PM_ENTRY_BYTES, size - done);
		memcpy(buf + done, chunk, bytes);
		done += bytes;
	}
	mmap_read_unlock(mm);
	return (ssize_t)(((end_vaddr - vaddr) >> PAGE_SHIFT) * PM_ENTRY_BYTES);
}

/* ---- umm_mm_show(): the files by name ---- */

static void show_maps(struct seq_file *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma)
		show_map_vma(m, vma);
	/* m_next() ends with the gate area, [vsyscall] of an exec'ed mm */
	vma = get_gate_vma(mm);
	if (vma)
		show_map_vma(m, vma);
}

static void show_smaps(struct seq_file *m, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma)
		show_smap(m, vma);
}

static void show_status(struct seq_file *m, struct mm_struct *mm)
{
	proc_pid_status(m, mm);
}

static void show_stat(struct seq_file *m, struct mm_struct *mm)
{
	proc_pid_stat(m, mm);
}

static void show_statm(struct seq_file *m, struct mm_struct *mm)
{
	proc_pid_statm(m, mm);
}

static const struct {
	const char *name;
	void (*show)(struct seq_file *m, struct mm_struct *mm);
} mm_files[] = {
	{ "maps", show_maps },
	{ "smaps", show_smaps },
	{ "smaps_rollup", show_smaps_rollup },
	{ "status", show_status },
	{ "stat", show_stat },
	{ "statm", show_statm },
};

ssize_t umm_mm_show(struct mm_struct *mm, const char *file, char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };
	size_t i;

	if (!mm || !file || (!buf && size))
		return -EINVAL;
	if (!strncmp(file, "pagemap", 7))
		return pagemap_show(mm, file + 7, buf, size);
	for (i = 0; i < ARRAY_SIZE(mm_files); i++)
		if (!strcmp(file, mm_files[i].name))
			break;
	if (i == ARRAY_SIZE(mm_files))
		return -ENOENT;
	if (size)
		buf[0] = '\0';
	mmap_read_lock(mm);
	mm_files[i].show(&m, mm);
	mmap_read_unlock(mm);
	if (size)
		buf[min(m.count, size - 1)] = '\0';
	return (ssize_t)m.count;
}
