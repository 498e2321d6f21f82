// SPDX-License-Identifier: GPL-2.0
/*
 * meminfo.c - /proc/meminfo (fs/proc/meminfo.c), with the lines, order
 * and widths of Linux 6.18 on x86-64: a 16-column label, the value in
 * kB right-aligned in 8 columns, " kB".
 *
 * Lines for what umm does not model (swap, LRU lists, huge pages)
 * print 0, as a kernel without that activity would.  Cached, Shmem,
 * Dirty, Writeback and Mapped are the page cache's counters
 * (mm/filemap.c; Mapped is counted by the file rmap).  DirectMap4k is
 * the present memory: umm's direct map is made of 4 KiB host pages.
 */
#include "../../mm/internal.h"
#include <umm/vmalloc.h>

static void show_val_kb(struct seq_file *m, const char *s, unsigned long num)
{
	seq_puts(m, s);
	seq_put_decimal_ull_width(m, NULL, num << (PAGE_SHIFT - 10), 8);
	seq_puts(m, " kB\n");
}

static unsigned long global_node_state(enum node_stat_item item)
{
	unsigned long sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += node_page_state(NODE_DATA(nid), item);
	return sum;
}

static unsigned long global_zone_state(enum zone_stat_item item)
{
	unsigned long sum = 0;
	struct zone *zone;
	int nid;

	for_each_online_node(nid)
		for_each_zone_in_node(zone, NODE_DATA(nid))
			sum += zone_page_state(zone, item);
	return sum;
}

int meminfo_proc_show(struct seq_file *m)
{
	struct sysinfo i;
	unsigned long sreclaimable = global_node_state(NR_SLAB_RECLAIMABLE_B) >> PAGE_SHIFT;
	unsigned long sunreclaim = global_node_state(NR_SLAB_UNRECLAIMABLE_B) >> PAGE_SHIFT;
	unsigned long commit_limit;

	si_meminfo(&i);
	commit_limit = i.totalram * 50 / 100;	/* vm.overcommit_ratio, no swap */

	show_val_kb(m, "MemTotal:       ", i.totalram);
	show_val_kb(m, "MemFree:        ", i.freeram);
	show_val_kb(m, "MemAvailable:   ", si_mem_available());
	show_val_kb(m, "Buffers:        ", 0);
	show_val_kb(m, "Cached:         ", global_node_state(NR_FILE_PAGES));
	show_val_kb(m, "SwapCached:     ", 0);
	show_val_kb(m, "Active:         ", 0);
	show_val_kb(m, "Inactive:       ", 0);
	show_val_kb(m, "Active(anon):   ", 0);
	show_val_kb(m, "Inactive(anon): ", 0);
	show_val_kb(m, "Active(file):   ", 0);
	show_val_kb(m, "Inactive(file): ", 0);
	/* no LRU lists: the unevictable pages are the mlocked ones */
	show_val_kb(m, "Unevictable:    ", global_zone_state(NR_MLOCK));
	show_val_kb(m, "Mlocked:        ", global_zone_state(NR_MLOCK));
	show_val_kb(m, "SwapTotal:      ", 0);
	show_val_kb(m, "SwapFree:       ", 0);
	show_val_kb(m, "Zswap:          ", 0);
	show_val_kb(m, "Zswapped:       ", 0);
	show_val_kb(m, "Dirty:          ", global_node_state(NR_FILE_DIRTY));
	show_val_kb(m, "Writeback:      ", global_node_state(NR_WRITEBACK));
	show_val_kb(m, "AnonPages:      ", 0);
	show_val_kb(m, "Mapped:         ", global_node_state(NR_FILE_MAPPED));
	show_val_kb(m, "Shmem:          ", global_node_state(NR_SHMEM));
	show_val_kb(m, "KReclaimable:   ", sreclaimable);
	show_val_kb(m, "Slab:           ", sreclaimable + sunreclaim);
	show_val_kb(m, "SReclaimable:   ", sreclaimable);
	show_val_kb(m, "SUnreclaim:     ", sunreclaim);
	seq_printf(m, "KernelStack:    %8lu kB\n", global_node_state(NR_KERNEL_STACK_KB));
	show_val_kb(m, "PageTables:     ", global_node_state(NR_PAGETABLE));
	show_val_kb(m, "SecPageTables:  ", 0);
	show_val_kb(m, "NFS_Unstable:   ", 0);
	show_val_kb(m, "Bounce:         ", 0);
	show_val_kb(m, "WritebackTmp:   ", 0);
	show_val_kb(m, "CommitLimit:    ", commit_limit);
	show_val_kb(m, "Committed_AS:   ", 0);
	seq_printf(m, "VmallocTotal:   %8lu kB\n", (unsigned long)VMALLOC_TOTAL >> 10);
	show_val_kb(m, "VmallocUsed:    ", vmalloc_nr_pages());
	show_val_kb(m, "VmallocChunk:   ", 0);
	show_val_kb(m, "Percpu:         ", 0);
	show_val_kb(m, "AnonHugePages:  ", 0);
	show_val_kb(m, "ShmemHugePages: ", 0);
	show_val_kb(m, "ShmemPmdMapped: ", 0);
	show_val_kb(m, "FileHugePages:  ", 0);
	show_val_kb(m, "FilePmdMapped:  ", 0);
	show_val_kb(m, "Balloon:        ", 0);
	seq_printf(m,
		   "HugePages_Total:   %5lu\n"
		   "HugePages_Free:    %5lu\n"
		   "HugePages_Rsvd:    %5lu\n"
		   "HugePages_Surp:    %5lu\n"
		   "Hugepagesize:   %8lu kB\n",
		   0UL, 0UL, 0UL, 0UL, 2048UL);
	seq_printf(m, "Hugetlb:        %8lu kB\n", 0UL);
	seq_printf(m, "DirectMap4k:    %8lu kB\n", i.totalram << (PAGE_SHIFT - 10));
	seq_printf(m, "DirectMap2M:    %8lu kB\n", 0UL);
	seq_printf(m, "DirectMap1G:    %8lu kB\n", 0UL);
	return 0;
}
