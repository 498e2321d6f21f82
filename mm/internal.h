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
	bool hotplug;
	bool pcp;
	bool mobility_grouping;
	bool page_reporting;
	bool backing_anon;		/* umm.backing=anon: no memfd, fork-friendly */
	unsigned int page_reporting_order;
	unsigned long page_reporting_min;	/* bytes */
	unsigned long long seed;
	char cmdline[1024];		/* as given, for umm_cmdline() */
};
extern struct umm_config umm_cfg;
void umm_config_defaults(struct umm_config *cfg);
int umm_parse_cmdline(struct umm_config *cfg, const char *cmdline);
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
	pthread_mutex_t hotplug_lock;	/* mem_hotplug_lock */
};
extern struct umm_physmem physmem;
extern int umm_booted;		/* acquire/release */
int umm_boot_implicit(void);

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
void __putback_isolated_page(struct page *page, unsigned int order, int mt);
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

#endif /* _UMM_MM_INTERNAL_H */
