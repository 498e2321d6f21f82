// SPDX-License-Identifier: GPL-2.0
/*
 * vmstat.c - /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo
 * (mm/vmstat.c), byte for byte in the format of Linux 6.18.
 *
 * Free-list walks take zone->lock, as the kernel's do; counters are read
 * without locks.  zoneinfo prints the fields umm models; per-node stats
 * are the subset umm keeps (the kernel prints ~80 items, most about the
 * LRU, reclaim and NUMA balancing that umm does not have), and ZONE_DEVICE
 * does not exist.
 */
#include "internal.h"

static void walk_zones_in_node(struct seq_file *m, struct pglist_data *pgdat,
			       bool populated_only,
			       void (*print)(struct seq_file *, struct pglist_data *,
					     struct zone *))
{
	struct zone *zone;

	for_each_zone_in_node(zone, pgdat) {
		if (populated_only && !populated_zone(zone))
			continue;
		print(m, pgdat, zone);
	}
}

static void frag_show_print(struct seq_file *m, struct pglist_data *pgdat,
			    struct zone *zone)
{
	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	spin_lock(&zone->lock);
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(m, "%6lu ", zone->free_area[order].nr_free);
	spin_unlock(&zone->lock);
	seq_putc(m, '\n');
}

int buddyinfo_proc_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid)
		walk_zones_in_node(m, NODE_DATA(nid), true, frag_show_print);
	return 0;
}

static void pagetypeinfo_showfree_print(struct seq_file *m, struct pglist_data *pgdat,
					struct zone *zone)
{
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++) {
		seq_printf(m, "Node %4d, zone %8s, type %12s ", pgdat->node_id,
			   zone->name, migratetype_names[mtype]);
		for (int order = 0; order < NR_PAGE_ORDERS; order++) {
			unsigned long freecount = 0;
			bool overflow = false;
			struct list_head *curr;

			spin_lock(&zone->lock);
			list_for_each(curr, &zone->free_area[order].free_list[mtype]) {
				/* Cap the walk, as the kernel does. */
				if (++freecount >= 100000) {
					overflow = true;
					break;
				}
			}
			spin_unlock(&zone->lock);
			seq_printf(m, "%s%6lu ", overflow ? ">" : "", freecount);
		}
		seq_putc(m, '\n');
	}
}

static void pagetypeinfo_showblockcount_print(struct seq_file *m,
					      struct pglist_data *pgdat,
					      struct zone *zone)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };
	unsigned long start_pfn = zone->zone_start_pfn;
	unsigned long end_pfn = zone_end_pfn(zone);

	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		struct page *page;
		int mtype;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone)
			continue;
		mtype = get_pageblock_migratetype(page);
		if (mtype < MIGRATE_TYPES)
			count[mtype]++;
	}
	seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++)
		seq_printf(m, "%12lu ", count[mtype]);
	seq_putc(m, '\n');
}

int pagetypeinfo_proc_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid) {
		struct pglist_data *pgdat = NODE_DATA(nid);

		if (!pgdat->node_present_pages)
			continue;
		seq_printf(m, "Page block order: %d\n", pageblock_order);
		seq_printf(m, "Pages per block:  %lu\n", pageblock_nr_pages);
		seq_putc(m, '\n');
		seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
		for (int order = 0; order < NR_PAGE_ORDERS; order++)
			seq_printf(m, "%6d ", order);
		seq_putc(m, '\n');
		walk_zones_in_node(m, pgdat, true, pagetypeinfo_showfree_print);
		seq_printf(m, "\n%-23s", "Number of blocks type ");
		for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++)
			seq_printf(m, "%12s ", migratetype_names[mtype]);
		seq_putc(m, '\n');
		walk_zones_in_node(m, pgdat, true, pagetypeinfo_showblockcount_print);
	}
	return 0;
}

static const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = {
	"nr_free_pages", "nr_free_pages_blocks", "nr_zone_inactive_anon",
	"nr_zone_active_anon", "nr_zone_inactive_file", "nr_zone_active_file",
	"nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock",
	"nr_zspages", "nr_free_cma",
};

static const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = {
	"numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
	"numa_local", "numa_other",
};

static bool is_zone_first_populated(struct pglist_data *pgdat, struct zone *zone)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (populated_zone(z))
			return z == zone;
	}
	return false;
}

static unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item)
{
	unsigned long x = __atomic_load_n(&zone->numa_event[item], __ATOMIC_RELAXED);

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		x += READ_ONCE(zone->per_cpu_pageset[cpu].numa_event[item]);
	return x;
}

static int fls_ul(unsigned long x)
{
	return x ? 64 - __builtin_clzl(x) : 0;
}

/* calculate_normal_threshold(): the per-CPU vmstat drift allowed. */
static int stat_threshold(struct zone *zone)
{
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls_ul(nr_cpu_ids) * (1 + fls_ul(mem));

	return min(threshold, 125);
}

static void zoneinfo_show_print(struct seq_file *m, struct pglist_data *pgdat,
				struct zone *zone)
{
	seq_printf(m, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (is_zone_first_populated(pgdat, zone)) {
		static const struct { const char *name; enum node_stat_item item; long div; } ns[] = {
			{ "nr_slab_reclaimable", NR_SLAB_RECLAIMABLE_B, PAGE_SIZE },
			{ "nr_slab_unreclaimable", NR_SLAB_UNRECLAIMABLE_B, PAGE_SIZE },
			{ "nr_kernel_stack", NR_KERNEL_STACK_KB, 1 },
			{ "nr_page_table_pages", NR_PAGETABLE, 1 },
			{ "nr_vmalloc", NR_VMALLOC, 1 },
		};

		seq_printf(m, "\n  per-node stats");
		for (size_t i = 0; i < ARRAY_SIZE(ns); i++)
			seq_printf(m, "\n      %-12s %lu", ns[i].name,
				   node_page_state(pgdat, ns[i].item) / (unsigned long)ns[i].div);
	}
	seq_printf(m,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		   min_wmark_pages(zone), low_wmark_pages(zone), high_wmark_pages(zone),
		   wmark_pages(zone, WMARK_PROMO), zone->spanned_pages,
		   zone->present_pages, zone_managed_pages(zone), 0UL);
	seq_printf(m, "\n        protection: (%ld", zone->lowmem_reserve[0]);
	for (int i = 1; i < MAX_NR_ZONES; i++)
		seq_printf(m, ", %ld", zone->lowmem_reserve[i]);
	seq_putc(m, ')');
	if (!populated_zone(zone)) {
		seq_putc(m, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", zone_stat_names[i],
			   zone_page_state(zone, (enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", numa_stat_names[i],
			   zone_numa_event_state(zone, (enum numa_stat_item)i));
	seq_printf(m, "\n  pagesets");
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		seq_printf(m,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, READ_ONCE(pcp->count), READ_ONCE(pcp->high),
			   READ_ONCE(pcp->batch), READ_ONCE(pcp->high_min),
			   READ_ONCE(pcp->high_max));
		seq_printf(m, "\n  vm stats threshold: %d", stat_threshold(zone));
	}
	seq_printf(m,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu",
		   0u, zone->zone_start_pfn);
	seq_putc(m, '\n');
}

int zoneinfo_proc_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid)
		walk_zones_in_node(m, NODE_DATA(nid), false, zoneinfo_show_print);
	return 0;
}
