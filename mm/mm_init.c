// SPDX-License-Identifier: GPL-2.0
/*
 * mm_init.c - boot and shutdown: the memory model (mm/mm_init.c,
 * mm/sparse.c, arch/x86/mm/numa_emulation.c, init/main.c).
 *
 * Owns: physmem (the memfd of frames, the reservations of the direct map
 * and of mem_map, the section and pageblock tables), node_data[], the
 * boot state, and umm's random numbers.
 *
 * Boot, in order: parse a front end's defaults (libumm-malloc.so's),
 * $UMM_CMDLINE, then the explicit command line (umm_cmdline_check()
 * reads a line the same way, without booting);
 * create the memfd sized for umm.max_mem (umm.backing=memfd, the
 * default: a frame can be mapped at several addresses, as vmalloc and
 * page tables need; umm.backing=anon maps private anonymous memory
 * instead, which fork() copies on write, as the malloc front end needs);
 * reserve address space for the
 * direct map (PAGE_OFFSET) and for mem_map for that many frames; build
 * the nodes, their zones and pcp lists, the zonelists; add the boot
 * memory (mem=, split evenly over numa=fake=N nodes in max-order chunks)
 * through the hot-add path; compute reserves, watermarks and pcp sizes;
 * bring up SLUB, then vmalloc, whose vmap_areas and vm_structs are slab
 * objects (mm_core_init()'s order: kmem_cache_init() before
 * vmalloc_init()).  umm_booted is set (release) only when all of that
 * holds, and every entry point checks it (acquire) before anything else.
 *
 * Lock order: boot_lock, then everything else.  umm_shutdown() must not
 * run concurrently with other calls into umm.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "slab.h"
#include "../kernel/internal.h"
#include "../kernel/time/internal.h"

struct page *mem_map;
unsigned long umm_page_offset;
unsigned long max_pfn;
struct pglist_data *node_data[MAX_NUMNODES];
int nr_online_nodes;
unsigned int nr_cpu_ids = 1;
struct umm_physmem physmem = { .memfd = -1 };
int umm_booted;

static DEFINE_MUTEX(boot_lock);
/* Boot itself allocates (slab bootstrap): let the booting thread in. */
static __thread bool this_thread_booting;
static unsigned long long rng_counter;

/* splitmix64 over an atomic counter: thread safe and reproducible. */
unsigned long long umm_random(void)
{
	unsigned long long z = __atomic_add_fetch(&rng_counter, 0x9e3779b97f4a7c15ULL,
						  __ATOMIC_RELAXED);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

unsigned int umm_random_below(unsigned int n)
{
	return n ? (unsigned int)(((umm_random() >> 32) * n) >> 32) : 0;
}

bool pfn_valid(unsigned long pfn)
{
	if (!umm_booted || pfn >= physmem.pfn_limit)
		return false;
	return (pfn & (PAGES_PER_SECTION - 1)) <
	       READ_ONCE(physmem.sections[pfn >> PFN_SECTION_SHIFT].present_pages);
}

bool virt_addr_valid(const void *addr)
{
	unsigned long a = (unsigned long)addr;

	if (!umm_booted || a < PAGE_OFFSET ||
	    a - PAGE_OFFSET >= physmem.direct_map_size)
		return false;
	return pfn_valid((a - PAGE_OFFSET) >> PAGE_SHIFT);
}

bool umm_is_booted(void)
{
	return __atomic_load_n(&umm_booted, __ATOMIC_ACQUIRE);
}

static void free_nodes(void)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct pglist_data *pgdat = node_data[nid];
		struct zone *zone;

		if (!pgdat)
			continue;
		for_each_zone_in_node(zone, pgdat)
			zone_pcp_destroy(zone);
		host_free(pgdat, sizeof(*pgdat));
		node_data[nid] = NULL;
	}
	nr_online_nodes = 0;
}

static void memory_model_teardown(void)
{
	free_nodes();
	host_unreserve((void *)umm_page_offset, physmem.direct_map_size);
	host_unreserve(mem_map, physmem.mem_map_size);
	host_free(physmem.sections, physmem.nr_sections * sizeof(struct mem_section));
	host_free(physmem.pageblock_mt, physmem.pageblock_mt_size);
	host_free(physmem.memmap_deferred, physmem.memmap_deferred_size);
	host_memfd_close(physmem.memfd);
	physmem = (struct umm_physmem){ .memfd = -1 };
	mutex_init(&physmem.hotplug_lock);
	mem_map = NULL;
	umm_page_offset = 0;
	max_pfn = 0;
}

static int init_node(int nid)
{
	struct pglist_data *pgdat = host_alloc(sizeof(*pgdat));

	if (!pgdat)
		return -ENOMEM;
	node_data[nid] = pgdat;
	pgdat->node_id = nid;
	pgdat->nr_zones = MAX_NR_ZONES;
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		zone->node = nid;
		zone->zone_pgdat = pgdat;
		zone->name = zone_names[z];
		spin_lock_init(&zone->lock);
		zone_init_free_lists(zone);
		if (zone_pcp_init(zone))
			return -ENOMEM;
	}
	return 0;
}

/*
 * Some hosts refuse a 64 GiB reservation (valgrind, tight ulimit -v):
 * halve umm.max_mem until the direct map fits, never below mem=, and
 * say so.
 */
static unsigned long reservable_pfn_limit(unsigned long limit)
{
	unsigned long floor = ALIGN(umm_cfg.mem >> PAGE_SHIFT, PAGES_PER_SECTION);

	while (limit > floor) {
		void *probe = host_reserve(PFN_PHYS(limit) + limit * sizeof(struct page),
					   PAGE_SIZE);

		if (probe) {
			host_unreserve(probe, PFN_PHYS(limit) + limit * sizeof(struct page));
			break;
		}
		limit = max(ALIGN(limit / 2, PAGES_PER_SECTION), floor);
		if (limit == floor || limit < PAGES_PER_SECTION)
			limit = floor;
	}
	if (limit != ALIGN(umm_cfg.max_mem >> PAGE_SHIFT, PAGES_PER_SECTION))
		pr_notice("umm: host address space is short: umm.max_mem lowered to %lu MiB\n",
			  PFN_PHYS(limit) >> 20);
	return limit;
}

static int memory_model_init(void)
{
	unsigned long boot_pages, per_node;
	int err = 0;

	nr_cpu_ids = host_nr_cpus();
	page_group_by_mobility_disabled = !umm_cfg.mobility_grouping;
	physmem.pfn_limit = ALIGN(umm_cfg.max_mem >> PAGE_SHIFT, PAGES_PER_SECTION);
	physmem.pfn_limit = reservable_pfn_limit(physmem.pfn_limit);
	physmem.nr_sections = physmem.pfn_limit / PAGES_PER_SECTION;
	physmem.direct_map_size = PFN_PHYS(physmem.pfn_limit);
	physmem.mem_map_size = physmem.pfn_limit * sizeof(struct page);
	physmem.pageblock_mt_size = PAGE_ALIGN(physmem.pfn_limit >> pageblock_order);
	physmem.memmap_deferred_size =
		PAGE_ALIGN(DIV_ROUND_UP(physmem.pfn_limit / MAX_ORDER_NR_PAGES, MEMMAP_BITS) *
			   sizeof(unsigned long));

	if (!umm_cfg.backing_anon) {
		err = host_memfd_create("umm-physmem", physmem.direct_map_size);
		if (err < 0) {
			pr_err("umm: cannot create the physical memory memfd: %s\n",
			       strerror(-err));
			return err;
		}
		physmem.memfd = err;
	}
	umm_page_offset = (unsigned long)host_reserve(physmem.direct_map_size, 1UL << 30);
	mem_map = host_reserve(physmem.mem_map_size, 1UL << 21);
	physmem.sections = host_alloc(physmem.nr_sections * sizeof(struct mem_section));
	physmem.pageblock_mt = host_alloc(physmem.pageblock_mt_size);
	physmem.memmap_deferred = host_alloc(physmem.memmap_deferred_size);
	if (!umm_page_offset || !mem_map || !physmem.sections || !physmem.pageblock_mt ||
	    !physmem.memmap_deferred) {
		pr_err("umm: cannot reserve %lu MiB of address space for umm.max_mem\n",
		       physmem.direct_map_size >> 20);
		return -ENOMEM;
	}

	nr_online_nodes = umm_cfg.numa_fake;
	for (int nid = 0; nid < nr_online_nodes; nid++) {
		err = init_node(nid);
		if (err)
			return err;
	}
	/* Whole max-order blocks, at least one a node (umm_config_finish()). */
	boot_pages = umm_cfg.mem >> PAGE_SHIFT;
	per_node = ALIGN_DOWN(boot_pages / (unsigned long)nr_online_nodes, MAX_ORDER_NR_PAGES);
	mutex_lock(&physmem.hotplug_lock);
	for (int nid = 0; nid < nr_online_nodes && !err; nid++) {
		unsigned long start = per_node * (unsigned long)nid;
		unsigned long nr = nid == nr_online_nodes - 1 ? boot_pages - start : per_node;

		err = __add_memory_pages(nid, start, nr);
	}
	mutex_unlock(&physmem.hotplug_lock);
	if (err) {
		pr_err("umm: cannot map boot memory: %s\n", strerror(-err));
		return err;
	}
	build_all_zonelists();
	setup_per_zone_lowmem_reserve();
	setup_per_zone_wmarks();
	zone_pcp_update_all();
	return 0;
}

static void reset_runtime_params(void)
{
	page_alloc_shutdown();
	slab_common_shutdown();
	mmap_params_reset();
	console_loglevel = LOGLEVEL_NOTICE;
}

/*
 * The lines a boot reads, later ones winning: @defaults (a front end's),
 * $UMM_CMDLINE, @cmdline.  Parsing sets the run-time parameters as it
 * goes; the caller resets them if it does not boot.
 */
static int read_cmdlines(struct umm_config *cfg, const char *defaults, const char *env,
			 const char *cmdline)
{
	int err;

	umm_config_defaults(cfg);
	err = umm_parse_defaults(cfg, defaults);
	if (!err)
		err = umm_parse_cmdline(cfg, env);
	if (!err)
		err = umm_parse_cmdline(cfg, cmdline);
	if (!err)
		err = umm_config_finish(cfg);
	if (!err)
		snprintf(cfg->cmdline, sizeof(cfg->cmdline), "%s%s%s%s%s", defaults ? defaults : "",
			 defaults && (env || cmdline) ? " " : "", env ? env : "",
			 env && cmdline ? " " : "", cmdline ? cmdline : "");
	return err;
}

static int __umm_boot(const char *defaults, const char *cmdline)
{
	struct umm_config cfg;
	int err;

	reset_runtime_params();
	err = read_cmdlines(&cfg, defaults, getenv("UMM_CMDLINE"), cmdline);
	if (err) {
		reset_runtime_params();
		return err;
	}
	umm_cfg = cfg;
	rng_counter = cfg.seed;

	page_reporting_init();
	vmstat_worker_init();
	err = memory_model_init();
	if (!err) {
		/* mm_core_init()'s order: vmalloc's structures are slab objects. */
		kmem_cache_init_common();
		if (slab_state != UP)
			err = -ENOMEM;
	}
	if (!err)
		err = vmalloc_init();
	if (!err)
		err = time_init();	/* jiffies, the simulated clock, the timer wheel */
	if (!err)
		err = fork_init();	/* init and kthreadd: rest_init() */
	if (err) {
		slab_common_shutdown();
		vmalloc_shutdown();
		memory_model_teardown();
		reset_runtime_params();
		return err;
	}
	__atomic_store_n(&umm_booted, 1, __ATOMIC_RELEASE);
	umm_fork_gate_init();	/* may allocate: umm is up now */
	page_alloc_fast_update();
	return 0;
}

static int umm_boot_with(const char *defaults, const char *cmdline)
{
	int err;

	mutex_lock(&boot_lock);
	this_thread_booting = true;
	err = umm_booted ? -EBUSY : __umm_boot(defaults, cmdline);
	this_thread_booting = false;
	mutex_unlock(&boot_lock);
	return err;
}

int umm_boot(const char *cmdline)
{
	return umm_boot_with(NULL, cmdline);
}

int umm_boot_front_end(const char *defaults)
{
	return umm_boot_with(defaults, NULL);
}

/*
 * Read @cmdline as umm_boot() would, without $UMM_CMDLINE and without
 * booting.  Parsing sets boot-time globals, so not while umm is up.
 */
int umm_cmdline_check(const char *cmdline)
{
	struct umm_config cfg;
	int err = -EBUSY;

	mutex_lock(&boot_lock);
	if (!umm_booted) {
		reset_runtime_params();
		err = read_cmdlines(&cfg, NULL, NULL, cmdline);
		reset_runtime_params();
	}
	mutex_unlock(&boot_lock);
	return err;
}

int umm_boot_implicit(void)
{
	static int failed;
	int err = 0;

	if (this_thread_booting)
		return 0;
	mutex_lock(&boot_lock);
	if (!umm_booted) {
		this_thread_booting = true;
		err = __umm_boot(NULL, NULL);
		this_thread_booting = false;
		if (err && !failed++)
			pr_err("umm: boot with $UMM_CMDLINE failed; every allocation will fail\n");
	}
	mutex_unlock(&boot_lock);
	return err;
}

void umm_shutdown(void)
{
	mutex_lock(&boot_lock);
	if (umm_booted) {
		vmstat_worker_stop();	/* its passes use all of what follows */
		VM_CHECK(umm_page_alloc_check());	/* UMM_DEBUG >= 2 */
		fork_shutdown();
		time_shutdown();
		__atomic_store_n(&umm_booted, 0, __ATOMIC_RELEASE);
		umm_gate_on = false;
		page_alloc_fast_update();
		slab_common_shutdown();
		vmalloc_shutdown();
		memory_model_teardown();
		reset_runtime_params();
		hotplug_generation = 0;
	}
	mutex_unlock(&boot_lock);
}
