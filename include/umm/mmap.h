/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmap.h - process address spaces: struct mm_struct, struct vm_area_struct
 * and the system calls that shape them (include/linux/mm_types.h,
 * include/linux/mm.h, include/linux/mman.h).
 *
 * An address space is a set of VMAs, each a page-aligned range
 * [vm_start, vm_end) with one set of vm_flags, one backing (anonymous or
 * a file at vm_pgoff) and one anon_vma.  VMAs never overlap.  The mm keeps
 * them twice: in a tree, and in a sorted list as the pre-maple-tree
 * kernel does (ULK3 chapter 9).  The tree is one of (umm.vma_tree=):
 *
 *   mm->mm_mt   the maple tree of 6.1 on (the default): each VMA stored
 *               over [vm_start, vm_end - 1], free gaps kept in the
 *               internal nodes (include/umm/maple_tree.h);
 *   mm->mm_rb   a red-black tree keyed by vm_start, augmented with
 *               rb_subtree_gap: the largest free gap below any VMA of the
 *               subtree (gap below V = V->vm_start - V->vm_prev->vm_end),
 *               so that get_unmapped_area() finds a hole in O(log n);
 *   mm->mmap    the same VMAs as a sorted list through vm_next/vm_prev,
 *               so that neighbours (merge candidates) cost O(1).
 *
 * Flags and errors are the host's <sys/mman.h> values; every entry point
 * returns what the system call would (a value, or -errno).  Each mm has
 * four-level page tables (mm->pgd, include/umm/pgtable.h) filled by page
 * faults (mm/memory.c: umm_touch(), umm_access()); a VMA gets an
 * anon_vma with its first anonymous page (mm/rmap.c), and umm_mm_fork()
 * copies an mm with its pages shared copy-on-write (kernel/fork.c).
 *
 * Locking: mm->mmap_lock (a pthread rwlock) is the kernel's mmap_lock.
 * The umm_* entry points take it (write for changes, read for
 * umm_mm_show()); find_vma() and friends expect the caller to hold it
 * (mmap_assert_locked(), include/umm/debug.h's UMM_DEBUG).
 */
#ifndef _UMM_MMAP_H
#define _UMM_MMAP_H

#include "compiler.h"
#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>
#include "list.h"
#include "rbtree.h"
#include "maple_tree.h"
#include "mmzone.h"

UMM_BEGIN_DECLS

typedef unsigned long vm_flags_t;
/*
 * x86 PTE protection bits.  (umm/vmalloc.h's pgprot_t is an mmap() prot
 * for host mappings; a VMA keeps the real page-table bits, as
 * pgprotval_t.)
 */
typedef unsigned long pgprotval_t;

/* vm_flags, the kernel's bit values (include/linux/mm.h, x86-64). */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL	/* limits for mprotect() etc. */
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* general info on the segment */
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL	/* page-ranges managed without struct page */
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL	/* memory-mapped I/O */
#define VM_SEQ_READ	0x00008000UL	/* MADV_SEQUENTIAL */
#define VM_RAND_READ	0x00010000UL	/* MADV_RANDOM */
#define VM_DONTCOPY	0x00020000UL	/* MADV_DONTFORK */
#define VM_DONTEXPAND	0x00040000UL	/* cannot expand with mremap() */
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL	/* is a VM accounted object */
#define VM_NORESERVE	0x00200000UL	/* should the VM suppress accounting */
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL	/* MAP_SYNC */
#define VM_ARCH_1	0x01000000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL	/* not soft-dirty-clean (CONFIG_MEM_SOFT_DIRTY=y) */
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL	/* MADV_HUGEPAGE */
#define VM_NOHUGEPAGE	0x40000000UL	/* MADV_NOHUGEPAGE */
#define VM_MERGEABLE	0x80000000UL	/* KSM */
#define VM_SHADOW_STACK	(1UL << 37)	/* VM_HIGH_ARCH_5 */
#define VM_DROPPABLE	(1UL << 40)

#define VM_STACK		VM_GROWSDOWN
#define VM_STACK_INCOMPLETE_SETUP (VM_RAND_READ | VM_SEQ_READ | VM_STACK_EARLY)
#define VM_STACK_EARLY		0
#define VM_ACCESS_FLAGS		(VM_READ | VM_WRITE | VM_EXEC)
#define VM_SPECIAL		(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_MASK		(VM_LOCKED | VM_LOCKONFAULT)
#define VM_STARTGAP_FLAGS	(VM_GROWSDOWN | VM_SHADOW_STACK)
/* brk(): x86-64 without READ_IMPLIES_EXEC. */
#define VM_DATA_DEFAULT_FLAGS	(VM_READ | VM_WRITE | VM_MAYREAD | \
				 VM_MAYWRITE | VM_MAYEXEC)

/* x86-64 with 4-level page tables: 47 bits minus the guard page. */
#define TASK_SIZE_MAX		((1UL << 47) - PAGE_SIZE)
#define DEFAULT_MAP_WINDOW	TASK_SIZE_MAX
#define TASK_SIZE		TASK_SIZE_MAX
#define __TASK_UNMAPPED_BASE(task_size)	PAGE_ALIGN((task_size) / 3)
#define TASK_UNMAPPED_BASE	__TASK_UNMAPPED_BASE(TASK_SIZE)
#define PMD_SHIFT		21
#define PMD_SIZE		(1UL << PMD_SHIFT)
#define DEFAULT_MAX_MAP_COUNT	65530
#define DEFAULT_MMAP_MIN_ADDR	65536UL

/* mm->flags */
#define MMF_TOPDOWN		31	/* top-down layout (bit number) */
/*
 * The task exec'ed into this mm runs without PF_RANDOMIZE
 * (personality(ADDR_NO_RANDOMIZE)): umm.aslr_seed= does not apply.
 */
#define MMF_NO_RANDOMIZE	30

/* mm->context.flags (arch/x86/include/asm/mmu.h) */
#define MM_CONTEXT_HAS_VSYSCALL	0x2	/* a 64-bit image: the gate area shows */
/* Entries of mm->saved_auxv: AT_VECTOR_SIZE (2 * (ARCH + BASE + 1)). */
#define UMM_AT_VECTOR_SIZE	56

/* mm->rss_stat[] */
enum {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct mm_struct;
struct vm_area_struct;
struct anon_vma;	/* mm/rmap.c, with page faults */
struct vma_index;	/* mm/vma.c */

/*
 * A mapped host file: what the kernel's struct file and inode give a VMA.
 * The host fd is dup()ed at mmap() time, so the caller may close its own.
 * Two mmap()s of the same open file description share one struct file, as
 * fget() of one fd returns one file in the kernel: that is what lets their
 * VMAs merge.  f_path is what /proc/PID/maps prints.
 */
struct file {
	long f_count;			/* references: VMAs and callers */
	int f_hostfd;			/* our dup of the host fd; -1 for shmem */
	unsigned int f_mode;		/* FMODE_READ | FMODE_WRITE */
	dev_t f_dev;			/* the inode's st_dev */
	unsigned long f_ino;
	mode_t f_imode;			/* S_IFMT bits of the inode */
	bool f_noexec;			/* on a noexec mount (path_noexec) */
	bool f_mmap;			/* the file has an ->mmap method */
	bool f_shmem;			/* shmem object of a MAP_SHARED|MAP_ANONYMOUS */
	bool f_devzero;			/* /dev/zero */
	bool f_thp;			/* fs aligns big mappings (ext4, xfs) */
	unsigned long f_hugetlb;	/* hugetlbfs: its huge page size; 0 otherwise */
	char *f_path;			/* "/dev/zero (deleted)" for shmem */
	struct address_space *f_mapping;	/* the inode's page cache (mm/filemap.c) */
	unsigned long f_size;		/* shmem's i_size (host files: fstat) */
	struct list_head f_list;	/* all live files (mm/mmap.c) */
};

#define FMODE_READ		0x1U
#define FMODE_WRITE		0x2U

struct page;
struct address_space;	/* mm/filemap.c: a file's page cache */

/* What a fault handler returns (include/linux/mm_types.h). */
typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_MAJOR		0x000004
#define VM_FAULT_HWPOISON	0x000010
#define VM_FAULT_SIGSEGV	0x000040
#define VM_FAULT_NOPAGE		0x000100	/* ->fault installed the PTE itself */
#define VM_FAULT_LOCKED		0x000200	/* ->fault returns the page locked */
#define VM_FAULT_RETRY		0x000400
#define VM_FAULT_FALLBACK	0x000800
#define VM_FAULT_DONE_COW	0x001000
#define VM_FAULT_ERROR		(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | \
				 VM_FAULT_HWPOISON)

/* enum fault_flag (include/linux/mm_types.h). */
#define FAULT_FLAG_WRITE	(1U << 0)
#define FAULT_FLAG_MKWRITE	(1U << 1)
#define FAULT_FLAG_ALLOW_RETRY	(1U << 2)
#define FAULT_FLAG_RETRY_NOWAIT	(1U << 3)
#define FAULT_FLAG_KILLABLE	(1U << 4)
#define FAULT_FLAG_TRIED	(1U << 5)
#define FAULT_FLAG_USER		(1U << 6)
#define FAULT_FLAG_REMOTE	(1U << 7)
#define FAULT_FLAG_INSTRUCTION	(1U << 8)
#define FAULT_FLAG_INTERRUPTIBLE (1U << 9)
#define FAULT_FLAG_UNSHARE	(1U << 10)
#define FAULT_FLAG_ORIG_PTE_VALID (1U << 11)
#define FAULT_FLAG_VMA_LOCK	(1U << 12)

/*
 * One fault in progress (struct vm_fault): what handle_mm_fault()
 * (mm/memory.c) hands a VMA's ->fault/->map_pages/->page_mkwrite
 * (mm/filemap.c, mm/shmem.c).  pte points into the locked PTE table
 * once the fault path has one; ->fault must not touch it.
 */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;		/* faulting address, page aligned */
	unsigned long real_address;	/* as the access gave it */
	unsigned int flags;		/* FAULT_FLAG_* */
	unsigned long pgoff;		/* linear_page_index(vma, address) */
	void *pmd;			/* pmd_t * of address */
	void *pte;			/* pte_t * of address, or NULL */
	unsigned long orig_pte;		/* pte value when the fault began */
	struct page *cow_page;		/* private write: the new anon page */
	struct page *page;		/* ->fault's result, referenced (and locked if VM_FAULT_LOCKED) */
};

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	int (*may_split)(struct vm_area_struct *vma, unsigned long addr);
	const char *(*name)(struct vm_area_struct *vma);
	/* Page faults (NULL for anonymous memory, which has no vm_ops). */
	vm_fault_t (*fault)(struct vm_fault *vmf);
	vm_fault_t (*map_pages)(struct vm_fault *vmf, unsigned long start_pgoff,
				unsigned long end_pgoff);
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
};

/*
 * One VMA.  The first cache line holds what a tree walk reads: the range,
 * the list links, the rb node and the gap below the subtree.
 */
struct vm_area_struct {
	unsigned long vm_start;		/* first address within vm_mm */
	unsigned long vm_end;		/* first address after */
	struct vm_area_struct *vm_next, *vm_prev;	/* sorted by address */
	struct rb_node vm_rb;
	unsigned long rb_subtree_gap;	/* largest free gap below, in the subtree */

	struct mm_struct *vm_mm;
	pgprotval_t vm_page_prot;	/* x86 PTE bits for vm_flags */
	vm_flags_t vm_flags;
	unsigned long vm_pgoff;		/* file offset in pages; vm_start >> PAGE_SHIFT for anon */
	struct file *vm_file;		/* NULL: anonymous */
	const struct vm_operations_struct *vm_ops;	/* NULL: anonymous */
	void *vm_private_data;
	struct list_head anon_vma_chain;	/* rmap, with page faults */
	struct anon_vma *anon_vma;	/* NULL until the first write fault */
};

/*
 * What a process would have in its task and signal structs.  umm_mm_create()
 * copies the host process's rlimits and its CAP_SYS_RAWIO; CAP_IPC_LOCK
 * starts false.  Change them before the mm is shared between threads.
 */
struct umm_mm_limits {
	unsigned long stack;		/* RLIMIT_STACK, bytes */
	unsigned long memlock;		/* RLIMIT_MEMLOCK, bytes */
	unsigned long data;		/* RLIMIT_DATA, bytes */
	unsigned long as;		/* RLIMIT_AS, bytes */
	bool cap_ipc_lock;		/* CAP_IPC_LOCK */
	bool cap_sys_rawio;		/* CAP_SYS_RAWIO: below mmap_min_addr */
};

struct mm_struct {
	struct vm_area_struct *mmap;	/* list of VMAs */
	union {				/* the tree umm.vma_tree= gave it */
		struct rb_root mm_rb;	/* rbtree */
		struct maple_tree mm_mt;	/* maple (vma_maple) */
	};
	struct vm_area_struct *mmap_cache;	/* last find_vma() hit (2.6's) */
	union {
		struct vma_index *vma_index;	/* rbtree: read-mostly lookup index */
		struct maple_node *mt_alloc;	/* maple: vma_prealloc()'s nodes */
	};
	unsigned long vma_walks;	/* tree walks since the last change */
	int map_count;			/* number of VMAs */
	int mm_users;			/* users of the address space */
	int mm_count;			/* references to the struct */
	bool vma_maple;			/* mm_mt holds the VMAs (set at creation) */
	void *pgd;			/* pgd_t[512]: the top page table (pgtable.h) */
	long pgtables_bytes;		/* page-table pages, bytes (VmPTE) */

	unsigned long flags;		/* MMF_* */
	unsigned long mmap_base;	/* top-down search starts below this */
	unsigned long mmap_legacy_base;	/* bottom-up search starts here */
	unsigned long task_size;
	unsigned long highest_vm_end;	/* highest vm_end of any VMA */

	unsigned long hiwater_rss;
	unsigned long hiwater_vm;
	unsigned long total_vm;		/* pages mapped */
	unsigned long locked_vm;	/* pages with VM_LOCKED */
	unsigned long pinned_vm;
	unsigned long data_vm;		/* VM_WRITE & ~VM_SHARED & ~VM_STACK */
	unsigned long exec_vm;		/* VM_EXEC & ~VM_WRITE & ~VM_STACK */
	unsigned long stack_vm;		/* VM_STACK */
	vm_flags_t def_flags;

	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;

	long rss_stat[NR_MM_COUNTERS];	/* get_mm_counter() (pgtable.h) */
	/*
	 * Fault counts of the "task" that owns this mm (task_struct's
	 * min_flt/maj_flt; umm has one task per mm): /proc/PID/stat fields 10
	 * and 12.  A fault that had to read the file is major.
	 */
	unsigned long min_flt, maj_flt;
	struct umm_mm_limits limits;
	unsigned long long aslr_state;	/* umm.aslr_seed: this mm's random stream */
	/*
	 * What exec leaves (fs/exec.c, fs/binfmt_elf.c): the executable
	 * (a reference; /proc/PID/exe), the auxv the program got, and the
	 * arch context: the vdso text's address and the gate-area flag.
	 */
	struct file *exe_file;
	unsigned long saved_auxv[UMM_AT_VECTOR_SIZE];
	struct {
		unsigned long flags;	/* MM_CONTEXT_* */
		unsigned long vdso;	/* the [vdso] text, 0 if none */
	} context;

	pthread_rwlock_t mmap_lock;
	int mmap_lock_owner;		/* UMM_DEBUG: the writer (current_lock_owner()) */
	int mmap_lock_readers;		/* UMM_DEBUG: read holds */
	struct mutex page_table_lock;
	struct mutex vma_index_lock;	/* one builder of vma_index at a time */
	struct list_head mmlist;	/* all mms (mm/mmap.c) */
};

/* The gap the kernel keeps below a stack VMA (stack_guard_gap=, pages). */
UMM_API extern unsigned long stack_guard_gap;
/* vm.mmap_min_addr (umm.mmap_min_addr=, bytes). */
UMM_API extern unsigned long mmap_min_addr;
UMM_API extern int sysctl_max_map_count;

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

static inline bool vma_is_accessible(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ACCESS_FLAGS;
}

/* The lowest address a neighbour may end at: a stack keeps its guard gap. */
static inline unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long gap = 0, start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		gap = stack_guard_gap;
	else if (vma->vm_flags & VM_SHADOW_STACK)
		gap = PAGE_SIZE;
	start -= gap;
	return start > vma->vm_start ? 0 : start;
}

/* x86 has no VM_GROWSUP: a VMA's end needs no gap above it. */
static inline unsigned long vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

/*
 * The VMA iterator (include/linux/mm_types.h, mm/vma.h): a position in
 * the mm's VMAs that works with either tree.  With the maple tree it is
 * the struct ma_state of a walk of mm_mt; with the rb-tree
 * (umm.vma_tree=rbtree) mas.index..last is the range of the VMA last
 * returned (vma) and a step follows the list.  The caller holds
 * mmap_lock; a change to the VMAs made other than through the iterator
 * leaves it stale until vma_iter_set(), as in the kernel.
 *
 *	VMA_ITERATOR(vmi, mm, 0);
 *	for_each_vma(vmi, vma)
 *		...
 */
struct vma_iterator {
	struct ma_state mas;
	struct mm_struct *mm;		/* umm: the rb-tree's steps */
	struct vm_area_struct *vma;	/* umm: the rb-tree's position */
};

#define VMA_ITERATOR(name, __mm, __addr)				\
	struct vma_iterator name = {					\
		.mas = { .tree = &(__mm)->mm_mt, .index = (__addr),	\
			 .last = (__addr), .status = ma_start,		\
			 .max = ~0UL },					\
		.mm = (__mm),						\
	}

/* Start again at @addr. */
static inline void vma_iter_set(struct vma_iterator *vmi, unsigned long addr)
{
	mas_set(&vmi->mas, addr);
	vmi->vma = NULL;
}

/* The next VMA (the first at or above the start on a fresh iterator). */
UMM_API struct vm_area_struct *vma_next(struct vma_iterator *vmi);
/* The VMA before the current one (before the start on a fresh one). */
UMM_API struct vm_area_struct *vma_prev(struct vma_iterator *vmi);
/* vma_next(), if it starts below @max. */
UMM_API struct vm_area_struct *vma_find(struct vma_iterator *vmi, unsigned long max);

/* for_each_vma - every VMA from the iterator's position on, in order. */
#define for_each_vma(__vmi, __vma)					\
	while (((__vma) = vma_next(&(__vmi))) != NULL)

/*
 * for_each_vma_safe - every VMA of @mm from the list, for a body that
 * frees @vma (the next one is fetched first).
 */
#define for_each_vma_safe(mm, vma, tmp)					\
	for ((vma) = (mm)->mmap; (vma) && ((tmp) = (vma)->vm_next, 1);	\
	     (vma) = (tmp))
/* for_each_vma_range - the VMAs that intersect [start, end). */
#define for_each_vma_range(mm, vma, start, end)				\
	for ((vma) = find_vma((mm), (start));				\
	     (vma) && (vma)->vm_start < (end); (vma) = (vma)->vm_next)

/* Lookups (mm/vma.c); the caller holds mmap_lock. */
UMM_API struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
UMM_API struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
					     struct vm_area_struct **pprev);
UMM_API struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
						     unsigned long start_addr,
						     unsigned long end_addr);
/* The VMA that contains @addr, or NULL. */
static inline struct vm_area_struct *vma_lookup(struct mm_struct *mm,
						unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/*
 * mmap_lock (include/linux/mmap_lock.h).  With UMM_DEBUG >= 1 the writer
 * is recorded and read holds are counted, for the asserts below.
 */
static inline void __mmap_lock_track(struct mm_struct *mm, bool write, int delta)
{
	if (UMM_DEBUG < 1)
		return;
	if (write)
		__atomic_store_n(&mm->mmap_lock_owner, delta > 0 ? current_lock_owner() : 0,
				 __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&mm->mmap_lock_readers, delta, __ATOMIC_RELAXED);
}

static inline void mmap_read_lock(struct mm_struct *mm)
{
	pthread_rwlock_rdlock(&mm->mmap_lock);
	__mmap_lock_track(mm, false, 1);
}

static inline bool mmap_read_trylock(struct mm_struct *mm)
{
	if (pthread_rwlock_tryrdlock(&mm->mmap_lock))
		return false;
	__mmap_lock_track(mm, false, 1);
	return true;
}

static inline void mmap_read_unlock(struct mm_struct *mm)
{
	__mmap_lock_track(mm, false, -1);
	pthread_rwlock_unlock(&mm->mmap_lock);
}

static inline void mmap_write_lock(struct mm_struct *mm)
{
	pthread_rwlock_wrlock(&mm->mmap_lock);
	__mmap_lock_track(mm, true, 1);
}

static inline bool mmap_write_trylock(struct mm_struct *mm)
{
	if (pthread_rwlock_trywrlock(&mm->mmap_lock))
		return false;
	__mmap_lock_track(mm, true, 1);
	return true;
}

static inline void mmap_write_unlock(struct mm_struct *mm)
{
	__mmap_lock_track(mm, true, -1);
	pthread_rwlock_unlock(&mm->mmap_lock);
}

/*
 * mmap_assert_write_locked(): this thread holds @mm's mmap_lock for
 * writing.  mmap_assert_locked(): held either way; a read hold is only
 * counted, not attributed to a thread, so for readers this says that
 * someone holds it for reading (rwsem_is_locked(), as the kernel checks
 * without lockdep).
 */
#if UMM_DEBUG >= 1
#define mmap_assert_write_locked(mm)					\
	do {								\
		if (unlikely(__atomic_load_n(&(mm)->mmap_lock_owner,	\
					     __ATOMIC_RELAXED) !=	\
			     current_lock_owner()))			\
			__VM_BUG("mmap_assert_write_locked(" #mm	\
				 "): not held for writing by this thread"); \
	} while (0)
#define mmap_assert_locked(mm)						\
	do {								\
		if (unlikely(__atomic_load_n(&(mm)->mmap_lock_owner,	\
					     __ATOMIC_RELAXED) !=	\
			     current_lock_owner() &&			\
			     __atomic_load_n(&(mm)->mmap_lock_readers,	\
					     __ATOMIC_RELAXED) <= 0))	\
			__VM_BUG("mmap_assert_locked(" #mm "): not held"); \
	} while (0)
#else
#define mmap_assert_write_locked(mm)	((void)sizeof(mm))
#define mmap_assert_locked(mm)		((void)sizeof(mm))
#endif

/* The system calls. */
UMM_API struct mm_struct *umm_mm_create(void);
UMM_API void umm_mm_destroy(struct mm_struct *mm);
UMM_API long umm_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      int prot, int flags, int fd, long off);
UMM_API int umm_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
UMM_API int umm_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len,
			 int prot);
UMM_API long umm_mremap(struct mm_struct *mm, unsigned long old, unsigned long old_len,
			unsigned long new_len, int flags, unsigned long new_addr);
UMM_API unsigned long umm_brk(struct mm_struct *mm, unsigned long brk);
UMM_API int umm_madvise(struct mm_struct *mm, unsigned long addr, unsigned long len,
			int advice);
UMM_API int umm_mlock(struct mm_struct *mm, unsigned long addr, unsigned long len);
UMM_API int umm_munlock(struct mm_struct *mm, unsigned long addr, unsigned long len);
UMM_API int umm_mlockall(struct mm_struct *mm, int flags);
UMM_API int umm_munlockall(struct mm_struct *mm);
/*
 * msync(): MS_SYNC writes the shared file pages of the range back to the
 * host file (mm/msync.c); MS_ASYNC does nothing; the kernel's errors.
 */
UMM_API int umm_msync(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      int flags);
/*
 * Render /proc/PID/<file> for @mm (fs/proc/task_mmu.c, array.c) with
 * snprintf semantics (at most @size bytes, NUL-terminated, returns the
 * full length): "maps", "smaps", "smaps_rollup", "status", "stat",
 * "statm" as Linux 6.18 prints them; -ENOENT for other names.
 * "pagemap" is binary and has no NUL: @buf gets the first @size bytes of
 * the 8-byte entries from virtual address 0, "pagemap@ADDR" (ADDR a
 * decimal, 0x hex or 0 octal number without sign or blanks) those from
 * ADDR's page on, as read() of /proc/PID/pagemap at offset ADDR / 4096 *
 * 8; the return is the bytes from there to the end of the address space
 * (TASK_SIZE).
 */
UMM_API ssize_t umm_mm_show(struct mm_struct *mm, const char *file, char *buf,
			    size_t size);
/*
 * The pagemap entries of @npages pages from @vaddr's page into @out:
 * bits 0-54 PFN, 55 soft-dirty, 56 exclusively mapped, 57 uffd-wp, 58
 * guard region, 61 file page or shared anonymous, 62 swapped, 63
 * present (Documentation/admin-guide/mm/pagemap.rst).  Returns the
 * entries written (fewer at the end of the address space) or -EINVAL.
 */
UMM_API long umm_pagemap_read(struct mm_struct *mm, unsigned long vaddr,
			      uint64_t *out, unsigned long npages);

/* What exec will do later, for tests: where the heap starts (start_brk = brk). */
UMM_API void umm_mm_set_brk_base(struct mm_struct *mm, unsigned long addr);
/*
 * Set a resource limit of the "process" owning @mm (RLIMIT_STACK,
 * RLIMIT_MEMLOCK, RLIMIT_DATA or RLIMIT_AS, bytes; RLIM_INFINITY allowed).
 * They start as the host process's own.  RLIMIT_STACK only moves
 * mmap_base while the mm is still empty, as at exec.
 */
UMM_API int umm_mm_setrlimit(struct mm_struct *mm, int resource, unsigned long cur);

/*
 * Page faults as a program's accesses would take them (mm/memory.c).
 *
 * umm_access - copy @len bytes between @buf and @mm's memory at @addr
 * (write=1: into the mm, as copy_to_user; write=0: out of it), faulting
 * pages in and setting the accessed/dirty bits.  Returns the bytes
 * copied: all of them, or the bytes before the first page that cannot be
 * accessed; -EFAULT if that is the first page.
 *
 * umm_touch - one access per page of [addr, addr + len), in address
 * order: a load, and for a write a store of the byte loaded, as a
 * program's *p = *p (so fresh anonymous memory takes two faults per
 * page, a read that maps the zero page and a write that replaces it,
 * as on the host).  Returns 0, or the
 * signal a process would get at the first page that faults (SIGSEGV or
 * SIGBUS) with *@si_code set (SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR);
 * the pages before it stay touched.  -EINVAL for a NULL mm.
 */
UMM_API long umm_access(struct mm_struct *mm, unsigned long addr, void *buf,
			unsigned long len, int write);
UMM_API int umm_touch(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      int write, int *si_code);
/*
 * fork()'s dup_mmap(): a new mm with @mm's VMAs (but VM_DONTCOPY ones)
 * and page tables, private pages shared copy-on-write.  NULL on ENOMEM.
 */
UMM_API struct mm_struct *umm_mm_fork(struct mm_struct *mm);
/*
 * The frame that maps @addr now (follow_pte()): 0 and *@pfn, or -EFAULT
 * if no page is mapped there (nothing is faulted in).
 */
UMM_API int umm_virt_to_pfn(struct mm_struct *mm, unsigned long addr, unsigned long *pfn);

/*
 * Verify every invariant of @mm (see mm/vma.c's head comment): sorted and
 * non-overlapping, list == tree, gaps, map_count, the page counters; the
 * anon_vma chains (mm/rmap.c); the page tables (mm/memory.c: PTEs inside
 * VMAs that allow them, RSS counters, pgtables_bytes) and the map count of
 * every mapped page against the PTEs of all live mms; the page cache of
 * each mapped file (filemap_check()).  Returns 0, or -EINVAL after
 * printing the first violation.
 *
 * Under concurrency: it takes @mm's mmap_lock for writing, so it waits
 * for the faults and calls in progress on @mm and none runs during it;
 * what it reports of @mm is exact, whatever other threads do.  The map
 * counts depend on every mm that may share a page (fork), so they are
 * compared only when all other live mms can be write-locked at once (by
 * trylock); while another thread is inside a call or fault on any other
 * mm, that one comparison is skipped, never guessed.
 */
UMM_API int umm_mm_check(struct mm_struct *mm);

UMM_END_DECLS

#endif /* _UMM_MMAP_H */
