/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - umm's private prototypes and state, grouped by the file
 * that owns them (the kernel's mm/internal.h).  Nothing here is exported.
 */
#ifndef _UMM_MM_INTERNAL_H
#define _UMM_MM_INTERNAL_H

#include <pthread.h>
#include <umm/mm.h>
#include <umm/boot.h>
#include <umm/printk.h>
#include <umm/fault-inject.h>
#include "../os/host.h"

/* ---- kernel/params.c: the boot configuration ---- */
struct umm_config {
	unsigned long mem;		/* boot memory, bytes */
	unsigned long max_mem;		/* hot-add limit, bytes */
	unsigned long vmalloc_size;	/* bytes */
	int numa_fake;			/* nodes */
	long min_free_kbytes;		/* -1: computed as the kernel does */
	int watermark_scale_factor;
	bool hotplug;			/* grow on demand: umm.hotplug=, else umm.max_mem= given */
	signed char hotplug_param;	/* umm.hotplug= as given: -1 none, 0, 1 */
	bool max_mem_given;		/* umm.max_mem= on the command line */
	bool mem_given;			/* mem= on it (not a front end's default) */
	bool pcp;
	bool mobility_grouping;
	bool memmap_deferred;		/* DEFERRED_STRUCT_PAGE_INIT */
	bool page_reporting;
	bool backing_anon;		/* umm.backing=anon: no memfd, fork-friendly */
	unsigned int page_reporting_order;
	unsigned long page_reporting_min;	/* bytes */
	unsigned long page_reporting_delay_ms;
	unsigned long reclaim_decay_ms;	/* umm.reclaim_decay_ms= (mm/vmstat.c's worker), 0 off */
	bool reclaim_decay_given;	/* on the command line, else by the backing */
	unsigned long long seed;
	unsigned long pid_max;		/* pid_max= (kernel/pid.c) */
	unsigned long hz;		/* umm.hz= (kernel/time/tick.c) */
	unsigned long sim_cpus;		/* umm.sim_cpus= */
	unsigned long sched;		/* umm.sched=: 0 eevdf, 1 cfs */
	char cmdline[1024];		/* as given, for umm_cmdline() */
};
extern struct umm_config umm_cfg;
void umm_config_defaults(struct umm_config *cfg);
int umm_parse_cmdline(struct umm_config *cfg, const char *cmdline);
int umm_parse_defaults(struct umm_config *cfg, const char *defaults);
int umm_config_finish(struct umm_config *cfg);
int umm_memparse(const char *s, unsigned long *out);

/* ---- mm/mm_init.c: the memory model and boot ---- */
struct mem_section {
	unsigned long present_pages;	/* pages of this section added */
	int nid;
};

struct umm_physmem {
	int memfd;			/* the frames */
	unsigned long pfn_limit;	/* PFNs umm may ever have */
	size_t direct_map_size;
	size_t mem_map_size;
	struct mem_section *sections;	/* [pfn_limit / PAGES_PER_SECTION] */
	unsigned long nr_sections;
	unsigned char *pageblock_mt;	/* migratetype per pageblock */
	size_t pageblock_mt_size;
	unsigned long *memmap_deferred;	/* per max-order block: struct pages deferred */
	size_t memmap_deferred_size;
	struct mutex hotplug_lock;	/* mem_hotplug_lock */
};
extern struct umm_physmem physmem;

/*
 * Deferred struct page init (mm/memory_hotplug.c): the struct pages of a
 * free max-order block that is still whole are initialised only where a
 * reader may look before the block is split, the host page of memmap
 * that holds each pageblock's first struct page; the rest when the
 * block first leaves the free lists for use (memmap_init_deferred()),
 * and deferred again once page reporting gave the whole block back to
 * the host (__memmap_redefer()).
 */
#define MEMMAP_PFNS_PER_PAGE	(PAGE_SIZE / sizeof(struct page))
#define MEMMAP_BITS		(8 * sizeof(unsigned long))

static inline bool memmap_block_deferred(unsigned long pfn)
{
	unsigned long b = pfn / MAX_ORDER_NR_PAGES;

	/*
	 * Acquire: a reader that finds the bit clear without the block's
	 * zone->lock (the checker walking an interleaved zone's PFNs) sees
	 * the struct pages that __memmap_init_deferred() wrote before it
	 * cleared the bit (release).
	 */
	return physmem.memmap_deferred &&
	       (__atomic_load_n(&physmem.memmap_deferred[b / MEMMAP_BITS], __ATOMIC_ACQUIRE) >>
		(b % MEMMAP_BITS)) & 1;
}

/* Is @pfn's struct page one that a deferred block leaves uninitialised? */
static inline bool memmap_pfn_deferred(unsigned long pfn)
{
	return (pfn & (pageblock_nr_pages - 1)) >= MEMMAP_PFNS_PER_PAGE &&
	       memmap_block_deferred(pfn);
}

void __memmap_init_deferred(struct page *head);
/* A free max-order block now all with the host: deferred again; zone->lock held. */
void __memmap_redefer(struct page *head);

/* A max-order block about to be split or handed out; zone->lock held. */
static inline void memmap_init_deferred(struct page *head, unsigned int order)
{
	if (order == MAX_PAGE_ORDER && unlikely(memmap_block_deferred(page_to_pfn(head))))
		__memmap_init_deferred(head);
}
extern int umm_booted;		/* acquire/release */
int umm_boot_implicit(void);
/* Boot under a front end's own defaults, then $UMM_CMDLINE (malloc/malloc.c). */
int umm_boot_front_end(const char *defaults);

/* Boot on first use; the fast path pays one predictable branch. */
static inline bool umm_ensure_booted(void)
{
	if (likely(__atomic_load_n(&umm_booted, __ATOMIC_ACQUIRE)))
		return true;
	return umm_boot_implicit() == 0;
}

static inline unsigned int smp_processor_id(void)
{
	unsigned int cpu = host_cpu();

	if (unlikely(cpu >= nr_cpu_ids))
		cpu %= nr_cpu_ids;
	return cpu;
}

/* Fake NUMA spreads the CPUs over the nodes in equal runs. */
/* smp_processor_id() for a fast path that makes no call: false where it would. */
static __always_inline bool smp_processor_id_nocall(unsigned int *cpu)
{
	if (!host_cpu_cached(cpu))
		return false;
	if (unlikely(*cpu >= nr_cpu_ids))
		*cpu %= nr_cpu_ids;
	return true;
}

static inline int cpu_to_node(unsigned int cpu)
{
	if (likely(nr_online_nodes == 1))
		return 0;
	return (int)(cpu * (unsigned int)nr_online_nodes / nr_cpu_ids);
}

static inline int numa_node_id(void)
{
	return cpu_to_node(smp_processor_id());
}

static inline int pfn_to_nid(unsigned long pfn)
{
	return page_to_nid(pfn_to_page(pfn));
}

/*
 * mm/page_alloc.c: the one test of its order-0 fast paths (umm booted,
 * pcp lists on, the fork gate off, fail_page_alloc off), recomputed by
 * page_alloc_fast_update() wherever one of them changes.
 */
extern bool page_alloc_fast;
void page_alloc_fast_update(void);

/* ---- mm/fork_gate.c: no allocator lock is held across fork() ---- */
extern bool umm_gate_on;
extern __thread unsigned int umm_gate_depth __attribute__((tls_model("initial-exec")));
void __umm_gate_enter(void);
void __umm_gate_exit(void);
void umm_fork_gate_init(void);
void slub_fork_child(void);

static __always_inline void umm_gate_enter(void)
{
	if (unlikely(umm_gate_on) && umm_gate_depth++ == 0)
		__umm_gate_enter();
}

static __always_inline void umm_gate_exit(void)
{
	if (unlikely(umm_gate_on) && --umm_gate_depth == 0)
		__umm_gate_exit();
}

unsigned long long umm_random(void);
unsigned int umm_random_below(unsigned int n);
/* lib/kallsyms.c: the kernel's %pS, "symbol+0xoff/0xsize" */
void umm_sprint_symbol(char *buf, size_t len, const void *addr);

/* ---- mm/page_alloc.c ---- */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10
#define ALLOC_MIN_RESERVE	0x20	/* == __GFP_HIGH */
#define ALLOC_CPUSET		0x40
#define ALLOC_KSWAPD		0x800	/* == __GFP_KSWAPD_RECLAIM */
#define ALLOC_HIGHATOMIC	0x200
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

typedef int fpi_t;
#define FPI_NONE	0
#define FPI_TO_TAIL	(1 << 1)
#define FPI_REPORTED	(1 << 2)	/* the block's memory is with the host */

extern struct fault_attr fail_page_alloc_attr;
extern unsigned int fail_page_alloc_min_order;
extern bool fail_page_alloc_ignore_gfp_reclaim;
extern bool fail_page_alloc_ignore_gfp_highmem;

void zone_init_free_lists(struct zone *zone);
int zone_pcp_init(struct zone *zone);
void zone_pcp_destroy(struct zone *zone);
void setup_per_zone_wmarks(void);
void setup_per_zone_lowmem_reserve(void);
void zone_pcp_update_all(void);
void build_all_zonelists(void);
void __free_pages_core(struct page *page, unsigned int order);
void set_pageblock_migratetype(struct page *page, int migratetype);
bool __isolate_free_page(struct page *page, unsigned int order);
bool __putback_isolated_page(struct page *page, unsigned int order, int mt);
long umm_zone_pcp_pages(struct zone *zone);
void page_alloc_shutdown(void);

static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page_private(page);
}

/* ---- mm/memory_hotplug.c ---- */
int __add_memory_pages(int nid, unsigned long start_pfn, unsigned long nr_pages);
extern unsigned long hotplug_generation;
int try_hotplug_grow(int nid, unsigned long seen_generation, enum zone_type highest_zoneidx);
enum zone_type zone_for_pfn(unsigned long pfn);

/* ---- mm/page_reporting.c ---- */
void page_reporting_notify_free(struct zone *zone);
void page_reporting_init(void);
unsigned long page_reporting_stat_reported(void);
unsigned long page_reporting_stat_redeferred(void);	/* blocks whose memmap went too */
void page_reporting_sample(void);
bool page_reporting_process(void);

/* ---- mm/page_alloc.c: the worker's pcp ageing ---- */
int decay_pcp_pages(struct zone *zone, unsigned int cpu);

/* ---- mm/slub.c (and mm/slab.c under umm.slab=slab): the worker's slab reap ---- */
unsigned long kmem_cache_reap(unsigned long *freed);

/* ---- mm/vmstat.c: the periodic worker ---- */
#define RECLAIM_DECAY_MS_DEFAULT	4000UL
#define RECLAIM_DECAY_MS_MAX		60000UL
#define RECLAIM_DECAY_STEPS_MAX		64	/* intervals in the longest decay */
extern int vmstat_worker_pending;	/* start it at the next gate exit */
unsigned long vmstat_interval_ms(void);
unsigned int vmstat_decay_steps(void);
bool vmstat_worker_enabled(void);
void vmstat_worker_kick(void);
void vmstat_worker_start(void);
void vmstat_worker_stop(void);
void vmstat_worker_init(void);
void vmstat_worker_fork_child(void);

/* ---- mm/vmalloc.c ---- */
int vmalloc_init(void);
void vmalloc_shutdown(void);
unsigned long vmalloc_nr_pages(void);

/* ---- fs/proc ---- */
struct seq_file {
	char *buf;
	size_t size;
	size_t count;	/* bytes that would have been written */
};
__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_put_decimal_ull_width(struct seq_file *m, const char *delimiter,
			       unsigned long long num, unsigned int width);
int meminfo_proc_show(struct seq_file *m);
int buddyinfo_proc_show(struct seq_file *m);
int pagetypeinfo_proc_show(struct seq_file *m);
int zoneinfo_proc_show(struct seq_file *m);
int vmallocinfo_proc_show(struct seq_file *m);

/* ---- mm/slab_common.c, mm/slub.c ---- */
void kmem_cache_init_common(void);
void slab_common_shutdown(void);
int slab_common_param(const char *name, const char *val);
int slabinfo_proc_show(struct seq_file *m);
extern bool slab_classic;	/* umm.slab=slab: mm/slab.c serves every cache */
ssize_t slabinfo_write(const char *buf, size_t len);	/* SLAB's tunables */
/* /sys/kernel/slab/: @path is what follows that prefix, "<cache>/<attr>" */
int slab_sysfs_show(struct seq_file *m, const char *path);
ssize_t slab_sysfs_store(const char *path, const char *buf, size_t len);
int slab_sysfs_list(struct seq_file *m, const char *path);

/* ---- mm/mmap.c ---- (and mm/vma.c, mm/mprotect.c, mm/mremap.c, fs/proc/task_mmu.c) */
#include <umm/mmap.h>

struct kmem_cache;
extern struct kmem_cache *vm_area_cachep;
extern unsigned long sysctl_overcommit_memory;
int mmap_param(const char *name, const char *val);
void mmap_params_reset(void);

/* Where get_unmapped_area() looks (include/linux/mm.h). */
#define VM_UNMAPPED_AREA_TOPDOWN 1
struct vm_unmapped_area_info {
	unsigned long flags;
	unsigned long length;
	unsigned long low_limit;
	unsigned long high_limit;
	unsigned long align_mask;
	unsigned long align_offset;
	unsigned long start_gap;
};

/* mm/mmap.c: files, accounting, placement, the mmap/brk paths. */
struct file *get_file(struct file *file);
void fput(struct file *file);
struct file *shmem_zero_file(unsigned long size);
struct file *fget(int fd);
/* The mm's share of umm.aslr_seed= (fs/exec.c, fs/binfmt_elf.c). */
unsigned long mm_random(struct mm_struct *mm);
bool mm_randomize(const struct mm_struct *mm);
unsigned long arch_mmap_rnd(struct mm_struct *mm);
void arch_pick_mmap_layout_exec(struct mm_struct *mm, unsigned long rlim_stack,
				bool compat_layout);
int vm_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long request,
		 vm_flags_t vm_flags);
/* arch/x86/entry/vsyscall/vsyscall_64.c: [vsyscall], or NULL. */
struct vm_area_struct *get_gate_vma(struct mm_struct *mm);
unsigned long file_size(struct file *file);
pgprotval_t vm_get_page_prot(vm_flags_t vm_flags);
void vma_set_page_prot(struct vm_area_struct *vma);
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);

/* Which of exec_vm, stack_vm, data_vm a VMA counts in (mm/internal.h). */
static inline bool is_exec_mapping(vm_flags_t flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static inline bool is_stack_mapping(vm_flags_t flags)
{
	return (flags & VM_STACK) == VM_STACK || (flags & VM_SHADOW_STACK);
}

static inline bool is_data_mapping(vm_flags_t flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags, unsigned long npages);
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages);
void vm_unacct_memory(long pages);
long vm_memory_committed(void);
bool can_do_mlock(struct mm_struct *mm);
bool mlock_future_ok(struct mm_struct *mm, bool is_vma_locked, unsigned long bytes);
unsigned long __get_unmapped_area(struct mm_struct *mm, struct file *file,
				  unsigned long addr, unsigned long len,
				  unsigned long pgoff, unsigned long flags,
				  vm_flags_t vm_flags);
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      vm_flags_t vm_flags, unsigned long pgoff, unsigned long *populate);
unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
			  unsigned long len, vm_flags_t vm_flags, unsigned long pgoff);

/* mm/vma.c: the tree, merging and splitting, unmapping. */
enum vma_merge_state {
	VMA_MERGE_START,
	VMA_MERGE_ERROR_NOMEM,
	VMA_MERGE_NOMERGE,
	VMA_MERGE_SUCCESS,
};

/* A proposed range and its attributes, and the neighbours it may join. */
struct vma_merge_struct {
	struct mm_struct *mm;
	struct vm_area_struct *prev;	/* VMA before the range, or NULL */
	struct vm_area_struct *middle;	/* existing VMA being modified, or NULL */
	struct vm_area_struct *next;	/* VMA after the range, or NULL */
	struct vm_area_struct *target;	/* the VMA that survives a merge */
	unsigned long start, end;
	pgoff_t pgoff;
	vm_flags_t flags;
	struct file *file;
	struct anon_vma *anon_vma;
	struct vm_area_struct *copied_from;	/* copy_vma(): the VMA being moved */
	bool just_expand;		/* brk: only grow prev, never absorb next */
	enum vma_merge_state state;
};

/* The VMAs an unmap gathered, and what they held (mm/vma.h). */
struct vma_munmap_struct {
	struct mm_struct *mm;
	struct vm_area_struct *vma;	/* first VMA inside [start, end) */
	struct vm_area_struct *prev;	/* VMA before start, after splitting */
	struct vm_area_struct *next;	/* VMA after end, after splitting */
	unsigned long start, end;
	int vma_count;
	unsigned long nr_pages, locked_vm, nr_accounted;
	unsigned long exec_vm, stack_vm, data_vm;
};

void __vma_index_invalidate(struct mm_struct *mm);
/* Any change to the tree drops the lookup index (mmap_lock held for writing). */
static inline void vma_index_invalidate(struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
	mm->vma_walks = 0;
	if (unlikely(!mm->vma_maple && mm->vma_index))
		__vma_index_invalidate(mm);
}
/*
 * umm.vma_tree=maple|rbtree: where mms made from now on keep their VMAs
 * (mm->vma_maple; mm/vma.c's head comment).
 */
extern bool vma_tree_maple;
/* The tree stores one VMA operation makes at most (commit_merge()). */
#define VMA_PREALLOC_STORES	4
int vma_prealloc(struct mm_struct *mm);
void vma_tree_init(struct mm_struct *mm);
void vma_tree_destroy(struct mm_struct *mm);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
void remove_vma(struct vm_area_struct *vma);
void vma_set_range(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end, pgoff_t pgoff);
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_link_between(struct mm_struct *mm, struct vm_area_struct *vma,
		      struct vm_area_struct *prev, struct vm_area_struct *next);
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
int __split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);
int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg);
struct vm_area_struct *vma_merge_existing_range(struct vma_merge_struct *vmg);
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev,
					struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					vm_flags_t new_flags);
struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				unsigned long len, pgoff_t pgoff);
int vms_gather_munmap_vmas(struct vma_munmap_struct *vms);
void vms_complete_munmap_vmas(struct vma_munmap_struct *vms);
void init_vma_munmap(struct vma_munmap_struct *vms, struct mm_struct *mm,
		     struct vm_area_struct *vma, unsigned long start,
		     unsigned long end);
int do_vmi_align_munmap(struct mm_struct *mm, struct vm_area_struct *vma,
			unsigned long start, unsigned long end);
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
unsigned long unmapped_area(struct mm_struct *mm, struct vm_unmapped_area_info *info);
unsigned long unmapped_area_topdown(struct mm_struct *mm,
				    struct vm_unmapped_area_info *info);
unsigned long vm_unmapped_area(struct mm_struct *mm, struct vm_unmapped_area_info *info);
int __umm_mm_check(struct mm_struct *mm);
int mm_entry_check(struct mm_struct *mm);
/* UMM_DEBUG >= 2: a call that is handed @mm checks it first (debug.h). */
#define VM_CHECK_MM(mm)		VM_CHECK(mm_entry_check(mm))

/* umm_mm_check()'s checks: print the first violation, return -EINVAL. */
#define MM_CHECK(cond, fmt, ...)					\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("umm_mm_check: " fmt "\n", ##__VA_ARGS__); \
			return -EINVAL;					\
		}							\
	} while (0)

/* mm/memory.c: page tables, faults, and what VMA changes do to pages. */
int zero_page_get(void);
void zero_page_put(void);
int pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm);
void unmap_region(struct mm_struct *mm, struct vm_area_struct *vma, int nr,
		  struct vm_area_struct *prev, struct vm_area_struct *next);
void exit_mmap_pages(struct mm_struct *mm);
void zap_page_range_single(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end);
int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src);
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
int pgtable_check(struct mm_struct *mm, bool all_mms);
/* mm/gup.c: faulting pages in (mlock, MAP_POPULATE, MADV_WILLNEED). */
int populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end);
int mm_populate_locked(struct mm_struct *mm, unsigned long start, unsigned long end,
		       bool ignore_errors);
/* mm/mprotect.c */
void change_protection(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end);
/* mm/mremap.c */
unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
			       struct vm_area_struct *new_vma, unsigned long new_addr,
			       unsigned long len);
/* mm/vma.c, for the stack: move a linked VMA's edges. */
void vma_update_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, pgoff_t pgoff);
/* mm/mmap.c: the mm_count reference's end (the users' is umm_mm_destroy()). */
void mmdrop(struct mm_struct *mm);
/* mm/mmap.c: is @cap in the host process's effective capability set? */
bool host_capable(unsigned int cap);
/* mm/mmap.c: @fn on every live mm but @skip, under the mm list lock. */
int mm_list_walk(struct mm_struct *skip, int (*fn)(struct mm_struct *, void *),
		 void *arg);
int mm_list_walk_then(struct mm_struct *skip, int (*fn)(struct mm_struct *, void *),
		      int (*done)(int err, void *), void *arg);

/*
 * mm/memory.c: looking up and allocating page tables, shared with
 * mm/gup.c, mm/mprotect.c and mm/mremap.c (include/linux/mm.h, pgtable.h).
 *
 * Publishing an entry: what it points at (a zeroed table, a page just
 * zeroed or copied) must be visible to a walker that sees the entry, and
 * umm's "MMU" walks without locks: release here, acquire in the walk.
 */
#include <umm/pgtable.h>

static inline void set_entry_release(unsigned long *entry, unsigned long v)
{
	__atomic_store_n(entry, v, __ATOMIC_RELEASE);
}

static inline unsigned long get_entry_acquire(const unsigned long *entry)
{
	return __atomic_load_n(entry, __ATOMIC_ACQUIRE);
}

int __table_alloc(struct mm_struct *mm, unsigned long *entry);

/*
 * Upper entries are read with acquire: a concurrent fault may be
 * publishing a table there (__table_alloc()), and its zeroed contents
 * must be seen before the entry.
 */
/* The table @entry points to, allocated if it is empty; 0 if none. */
static inline unsigned long table_get_or_alloc(struct mm_struct *mm, unsigned long *entry)
{
	unsigned long v = get_entry_acquire(entry);

	if (likely(v))
		return v;
	if (__table_alloc(mm, entry))
		return 0;
	return get_entry_acquire(entry);	/* ours, or the winner's */
}

static inline pud_t *pud_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long addr)
{
	unsigned long v = table_get_or_alloc(mm, &pgd->pgd);

	return v ? pgd_page_vaddr(__pgd(v)) + pud_index(addr) : NULL;
}

static inline pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long addr)
{
	unsigned long v = table_get_or_alloc(mm, &pud->pud);

	return v ? pud_page_vaddr(__pud(v)) + pmd_index(addr) : NULL;
}

static inline int pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	if (likely(get_entry_acquire(&pmd->pmd)))
		return 0;
	return __table_alloc(mm, &pmd->pmd);
}

/* The PMD entry of @addr, allocating the PUD and PMD tables on the way. */
static inline pmd_t *walk_to_pmd(struct mm_struct *mm, unsigned long addr)
{
	pud_t *pud = pud_alloc(mm, pgd_offset(mm, addr), addr);

	return pud ? pmd_alloc(mm, pud, addr) : NULL;
}

/* The PTE of @addr if its table exists (no allocation), else NULL. */
static inline pte_t *pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t pud, *pudp;
	pmd_t pmd, *pmdp;
	pgd_t g = __pgd(get_entry_acquire(&pgd->pgd));

	if (pgd_none(g))
		return NULL;
	pudp = pgd_page_vaddr(g) + pud_index(addr);
	pud = __pud(get_entry_acquire(&pudp->pud));
	if (pud_none(pud))
		return NULL;
	pmdp = pud_page_vaddr(pud) + pmd_index(addr);
	pmd = __pmd(get_entry_acquire(&pmdp->pmd));
	if (pmd_none(pmd))
		return NULL;
	return pmd_page_vaddr(pmd) + pte_index(addr);
}

/* mm/madvise.c, mm/mlock.c: their page-table walkers. */
#include <umm/pagewalk.h>
#include <umm/rmap.h>

/* For a ->pte_entry(): the normal page a present PTE maps, or NULL; *v the PTE. */
static inline struct page *walk_pte_page(pte_t *pte, unsigned long addr,
					 struct mm_walk *walk, pte_t *v)
{
	*v = ptep_get(pte);
	return pte_present(*v) ? vm_normal_page(walk->vma, addr, *v) : NULL;
}

/* fs/proc/task_mmu.c */
void show_map_vma(struct seq_file *m, struct vm_area_struct *vma);
void show_smap_vma_flags(struct seq_file *m, struct vm_area_struct *vma);

#endif /* _UMM_MM_INTERNAL_H */
