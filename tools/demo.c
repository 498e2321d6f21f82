// SPDX-License-Identifier: GPL-2.0
/*
 * demo.c - `umm demo`: the buddy allocator, vmalloc and the slab layer at
 * work, each step narrated and followed by what /proc shows.
 *
 * Every number and zone name in the narration is computed from what
 * happened in this run, so it is true for any mem= and numa=fake=: the
 * zone a page came from is page_zone(page); the free-list changes are the
 * difference between the /proc/buddyinfo printed before and after the
 * step (the same text the user sees, read once and parsed); pages moved
 * to the per-CPU lists are umm_pcp_pages() before and after.  Narration
 * lines have fixed shapes ("free blocks in ZONE_DMA: order 10: 4 -> 3")
 * that tests/cli/demo.py checks against the /proc lines next to them.
 *
 * Owns nothing global; runs on one thread after umm_boot().
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umm.h>
#include "demo.h"
#include "proc_text.h"
#include "slabtop.h"

#define DEMO_MAX_ZONES	(MAX_NUMNODES * MAX_NR_ZONES)
#define DEMO_ORDER	3	/* the compound page the demo allocates */
#define DEMO_PAGES	8	/* order-0 pages it allocates */

/* One line of /proc/buddyinfo. */
struct buddy_line {
	int nid;
	char zone[16];
	unsigned long nr[NR_PAGE_ORDERS];
};

struct buddyinfo {
	char *text;		/* as read, and as printed */
	int nr;
	struct buddy_line line[DEMO_MAX_ZONES];
};

static void step(const char *title)
{
	printf("\n==> %s\n", title);
}

/* A /proc file's text, or NULL after a message. */
static char *read_proc(const char *path)
{
	int err;
	char *text = proc_text(path, NULL, &err);

	if (!text)
		fprintf(stderr, "umm: demo: %s: %s\n", path, strerror(-err));
	return text;
}

static void show_text(const char *path, const char *text)
{
	printf("$ cat %s\n%s", path, text);
}

static int show(const char *path)
{
	char *text = read_proc(path);

	if (!text)
		return -1;
	show_text(path, text);
	free(text);
	return 0;
}

/* "Node 0, zone      DMA      1      1 ..." into @bi; @bi->text kept. */
static int parse_buddyinfo(struct buddyinfo *bi)
{
	const char *p = bi->text;

	bi->nr = 0;
	while (*p && bi->nr < DEMO_MAX_ZONES) {
		struct buddy_line *l = &bi->line[bi->nr];
		int n, off;

		if (sscanf(p, "Node %d, zone %15s%n", &l->nid, l->zone, &off) != 2)
			return -1;
		p += off;
		for (int o = 0; o < NR_PAGE_ORDERS; o++, p += n)
			if (sscanf(p, "%lu%n", &l->nr[o], &n) != 1)
				return -1;
		p += strspn(p, " \n");
		bi->nr++;
	}
	return 0;
}

static int read_buddyinfo(struct buddyinfo *bi)
{
	bi->text = read_proc("/proc/buddyinfo");
	if (!bi->text)
		return -1;
	if (parse_buddyinfo(bi)) {
		fprintf(stderr, "umm: demo: cannot parse /proc/buddyinfo\n");
		free(bi->text);
		bi->text = NULL;
		return -1;
	}
	return 0;
}

static void show_buddyinfo(const struct buddyinfo *bi)
{
	show_text("/proc/buddyinfo", bi->text);
}

static unsigned long line_free_pages(const struct buddy_line *l)
{
	unsigned long pages = 0;

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		pages += l->nr[o] << o;
	return pages;
}

static unsigned long total_free_pages(const struct buddyinfo *bi)
{
	unsigned long pages = 0;

	for (int i = 0; i < bi->nr; i++)
		pages += line_free_pages(&bi->line[i]);
	return pages;
}

/* "ZONE_DMA32", or "node 1's ZONE_DMA32" when there is more than one node. */
static const char *zone_label(char *buf, size_t len, int nid, const char *name)
{
	int n = nr_online_nodes > 1 ? snprintf(buf, len, "node %d's ", nid) : 0;

	n += snprintf(buf + n, len - (size_t)n, "ZONE_");
	for (; *name && (size_t)n + 1 < len; name++)
		buf[n++] = (char)toupper((unsigned char)*name);
	buf[n] = '\0';
	return buf;
}

static const char *page_zone_label(char *buf, size_t len, struct page *page)
{
	struct zone *zone = page_zone(page);

	return zone_label(buf, len, zone->node, zone->name);
}

/*
 * "free blocks in ZONE_DMA: order 10: 4 -> 3, orders 4..9: 0 -> 1 each":
 * the orders whose count changed, highest first, runs of equal changes
 * joined.  Returns whether anything changed.
 */
static bool describe_change(const struct buddy_line *a, const struct buddy_line *b,
			    const char *what)
{
	char label[48];
	bool any = false;

	for (int hi = MAX_PAGE_ORDER; hi >= 0; hi--) {
		int lo = hi;

		if (a->nr[hi] == b->nr[hi])
			continue;
		while (lo > 0 && a->nr[lo - 1] == a->nr[hi] && b->nr[lo - 1] == b->nr[hi])
			lo--;
		if (!any)
			printf("    %s %s: ", what, zone_label(label, sizeof(label), a->nid, a->zone));
		if (lo == hi)
			printf("%sorder %d: %lu -> %lu", any ? ", " : "", hi, a->nr[hi], b->nr[hi]);
		else
			printf("%sorders %d..%d: %lu -> %lu each", any ? ", " : "", lo, hi,
			       a->nr[hi], b->nr[hi]);
		any = true;
		hi = lo;
	}
	if (any)
		putchar('\n');
	return any;
}

/* Every zone whose free lists changed between @a and @b. */
static bool describe_changes(const struct buddyinfo *a, const struct buddyinfo *b,
			     const char *what)
{
	bool any = false;

	for (int i = 0; i < a->nr && i < b->nr; i++)
		any |= describe_change(&a->line[i], &b->line[i], what);
	return any;
}

/*
 * When one block of order s was split for an order-@order request and one
 * half of each order below s went back, name what expand() did.
 */
static void describe_split(const struct buddy_line *a, const struct buddy_line *b,
			   unsigned int order)
{
	int split = -1, lo = MAX_PAGE_ORDER + 1, hi = -1;

	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		long d = (long)b->nr[o] - (long)a->nr[o];

		if (d == -1 && split < 0) {
			split = o;
		} else if (d == 1) {
			lo = o < lo ? o : lo;
			hi = o > hi ? o : hi;
		} else if (d) {
			return;
		}
	}
	if (split < (int)order)
		return;
	if (split == (int)order) {
		printf("    an order-%d block was free: taken whole, nothing to split\n", split);
		return;
	}
	if (hi != split - 1 || lo < (int)order)
		return;
	printf("    expand() split one order-%d block in halves down to order %u;\n"
	       "    the upper halves of orders %d..%d went back on the free lists\n", split, order,
	       lo, hi);
}

/* Pages that left the free lists of every zone, and where they went. */
static void describe_taken(const struct buddyinfo *a, const struct buddyinfo *b,
			   unsigned long ours, unsigned long pcp_before)
{
	long taken = (long)total_free_pages(a) - (long)total_free_pages(b);
	long to_pcp = (long)umm_pcp_pages() - (long)pcp_before;

	printf("    %ld pages left the free lists: %lu are ours", taken, ours);
	if (to_pcp > 0)
		printf(", %ld went to this CPU's pcp\n    lists (rmqueue_bulk() refills them "
		       "a batch at a time)", to_pcp);
	else if (to_pcp < 0)
		printf(", of which %ld came off this CPU's\n    pcp lists, filled by an "
		       "earlier batch", -to_pcp);
	printf("\n");
}

static struct buddy_line *find_line(struct buddyinfo *bi, struct page *page)
{
	struct zone *zone = page_zone(page);

	for (int i = 0; i < bi->nr; i++)
		if (bi->line[i].nid == zone->node && !strcmp(bi->line[i].zone, zone->name))
			return &bi->line[i];
	return NULL;
}

/* Each populated zone: its span, and what buddyinfo says is free in it. */
static void describe_zones(const struct buddyinfo *bi)
{
	int nid, i = 0;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			const struct buddy_line *l = &bi->line[i];
			unsigned long smaller = 0;
			char label[48];

			if (!populated_zone(zone) || i == bi->nr)
				continue;
			i++;
			for (int o = 0; o < MAX_PAGE_ORDER; o++)
				smaller += l->nr[o];
			printf("    %s spans pfns %#lx-%#lx (%lu MiB): %lu free block%s of\n"
			       "    order %d (4 MiB each) and %lu smaller one%s; %lu of its %lu pages "
			       "in use\n",
			       zone_label(label, sizeof(label), zone->node, zone->name),
			       zone->zone_start_pfn, zone_end_pfn(zone) - 1,
			       zone->spanned_pages >> (20 - PAGE_SHIFT), l->nr[MAX_PAGE_ORDER],
			       l->nr[MAX_PAGE_ORDER] == 1 ? "" : "s", MAX_PAGE_ORDER, smaller,
			       smaller == 1 ? "" : "s",
			       zone_managed_pages(zone) - line_free_pages(l),
			       zone_managed_pages(zone));
		}
	}
}

static void free_buddyinfo(struct buddyinfo *bi)
{
	free(bi->text);
	bi->text = NULL;
}

static int demo_boot(struct buddyinfo *boot)
{
	step("Right after boot: columns are orders 0..10, values count free blocks of\n"
	     "    that order (an order-n block is 2^n pages).  Boot's slab caches took\n"
	     "    a few pages; the rest is free.");
	drain_all_pages(NULL);	/* boot's slab caches left pages on the pcp lists */
	if (read_buddyinfo(boot))
		return -1;
	describe_zones(boot);
	show_buddyinfo(boot);
	return 0;
}

static struct page *demo_compound(const struct buddyinfo *before, struct buddyinfo *after)
{
	unsigned long pcp = umm_pcp_pages();
	struct page *block;
	struct buddy_line *a, *b;
	char label[48];

	step("alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_COMP, 3): a 32 KiB compound page\n"
	     "    from ZONE_DMA.  The buddy allocator takes a free block of order 3 or\n"
	     "    more and expand() splits it in halves until one half is order 3.");
	block = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_COMP, DEMO_ORDER);
	if (!block || read_buddyinfo(after)) {
		fprintf(stderr, "umm: demo: allocation failed\n");
		if (block)
			__free_pages(block, DEMO_ORDER);
		return NULL;
	}
	printf("    got pfn %#lx from %s: order %u, PageHead=%d, page[1] is PageTail=%d\n",
	       page_to_pfn(block), page_zone_label(label, sizeof(label), block),
	       compound_order(block), PageHead(block), PageTail(block + 1));
	a = find_line((struct buddyinfo *)before, block);
	b = find_line(after, block);
	describe_changes(before, after, "free blocks in");
	if (a && b)
		describe_split(a, b, DEMO_ORDER);
	describe_taken(before, after, 1UL << DEMO_ORDER, pcp);
	show_buddyinfo(after);
	return block;
}

/* Which zones the pages came from: "ZONE_DMA32" or "ZONE_DMA (3), ...". */
static void print_page_zones(struct page **pages, int nr)
{
	char label[48], first[48];
	int same = 0;

	page_zone_label(first, sizeof(first), pages[0]);
	for (int i = 0; i < nr; i++)
		same += !strcmp(page_zone_label(label, sizeof(label), pages[i]), first);
	if (same == nr) {
		printf("    all from %s\n", first);
		return;
	}
	printf("    from");
	for (int i = 0; i < nr; i++)
		printf(" %s", page_zone_label(label, sizeof(label), pages[i]));
	printf("\n");
}

static int demo_pages(struct page **pages, const struct buddyinfo *before,
		      struct buddyinfo *after)
{
	unsigned long pcp = umm_pcp_pages();

	step("Eight order-0 GFP_KERNEL pages: GFP_KERNEL may use any zone up to\n"
	     "    ZONE_NORMAL, highest first.  With per-CPU lists (umm.pcp=1) they come\n"
	     "    through this CPU's pcp list, which refills in batches from the buddy\n"
	     "    lists under one zone lock.");
	for (int i = 0; i < DEMO_PAGES; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			fprintf(stderr, "umm: demo: allocation failed\n");
			while (i--)
				__free_page(pages[i]);
			return -1;
		}
	}
	printf("    pfns:");
	for (int i = 0; i < DEMO_PAGES; i++)
		printf(" %#lx", page_to_pfn(pages[i]));
	printf("\n");
	print_page_zones(pages, DEMO_PAGES);
	printf("    pages on pcp lists now: %lu\n", umm_pcp_pages());
	if (read_buddyinfo(after))
		return -1;
	describe_changes(before, after, "free blocks in");
	describe_taken(before, after, DEMO_PAGES, pcp);
	show_buddyinfo(after);
	return 0;
}

static int demo_free(struct page *block, struct page **pages, const struct buddyinfo *boot,
		     struct buddyinfo *now)
{
	step("Free everything and drain the pcp lists: __free_one_page() merges each block\n"
	     "    with its buddy (buddy_pfn = pfn ^ (1 << order)) as long as the buddy is\n"
	     "    free too.");
	for (int i = 0; i < DEMO_PAGES; i++)
		__free_page(pages[i]);
	__free_pages(block, DEMO_ORDER);
	drain_all_pages(NULL);
	if (read_buddyinfo(now))
		return -1;
	if (!describe_changes(boot, now, "compared with right after boot, free blocks in"))
		printf("    every zone's free lists are as they were right after boot\n");
	show_buddyinfo(now);
	return 0;
}

/* Print just one line of /proc/meminfo. */
static void show_meminfo_line(const char *label)
{
	char *text = read_proc("/proc/meminfo"), *line;

	if (!text)
		return;
	line = strstr(text, label);
	if (line)
		printf("%.*s\n", (int)strcspn(line, "\n"), line);
	free(text);
}

/* The frames behind a vmalloc area: how many, in how many runs, which zones. */
static void describe_vmalloc_frames(void *area, unsigned long nr)
{
	unsigned long runs = 0, prev = 0;
	struct page *pages[2];
	char label[48];

	for (unsigned long i = 0; i < nr; i++) {
		unsigned long pfn = page_to_pfn(vmalloc_to_page((char *)area + i * PAGE_SIZE));

		runs += !i || pfn != prev + 1;
		prev = pfn;
	}
	pages[0] = vmalloc_to_page(area);
	pages[1] = vmalloc_to_page((char *)area + (nr - 1) * PAGE_SIZE);
	printf("    %lu frames, in %lu physically contiguous run%s, the first from %s,\n", nr,
	       runs, runs == 1 ? "" : "s", page_zone_label(label, sizeof(label), pages[0]));
	printf("    the last from %s\n", page_zone_label(label, sizeof(label), pages[1]));
}

/* The area's vmallocinfo line: its size in bytes, guard page included. */
static void describe_vmalloc_area(const char *info, void *area, unsigned long nr)
{
	char key[32];
	const char *line;
	unsigned long size;

	snprintf(key, sizeof(key), "0x%016lx-", (unsigned long)area);
	line = strstr(info, key);
	if (!line || sscanf(strchr(line, ' '), "%lu", &size) != 1)
		return;
	printf("    vmallocinfo gives the area %lu bytes: %lu pages", size, size / PAGE_SIZE);
	if (size == (nr + 1) * PAGE_SIZE)
		printf(", the %lu mapped and one unmapped guard page\n", nr);
	else
		printf("\n");
}

static int demo_vmalloc(const struct buddyinfo *before)
{
	const unsigned long nr = (1UL << 20) / PAGE_SIZE;
	struct buddyinfo after = { 0 };
	struct page *page;
	char *info;
	void *area;

	step("vmalloc(1 MiB): separate frames, wherever the buddy allocator finds them,\n"
	     "    mapped side by side in the vmalloc area, followed by an unmapped guard page.");
	area = vmalloc(1 << 20);
	if (!area) {
		fprintf(stderr, "umm: demo: vmalloc failed\n");
		return -1;
	}
	page = vmalloc_to_page(area);
	memset(area, 0x5a, 1 << 20);
	printf("    vmalloc address %p is frame %#lx; its direct-map alias %p reads %#x\n",
	       area, page_to_pfn(page), page_address(page), *(unsigned char *)page_address(page));
	describe_vmalloc_frames(area, nr);
	info = read_proc("/proc/vmallocinfo");
	if (info) {
		describe_vmalloc_area(info, area, nr);
		show_text("/proc/vmallocinfo", info);
		free(info);
	}
	show_meminfo_line("VmallocUsed:");

	step("vfree(): the frames go back to the buddy allocator at once; the address range\n"
	     "    is purged lazily, in batches, as the kernel does.");
	vfree(area);
	drain_all_pages(NULL);
	show_meminfo_line("VmallocUsed:");
	if (read_buddyinfo(&after))
		return -1;
	printf("    free pages in all zones: %lu before vmalloc(), %lu now\n",
	       total_free_pages(before), total_free_pages(&after));
	if (total_free_pages(&after) < total_free_pages(before))
		printf("    (the other %lu stay with the pools or caches that vmalloc's own\n"
		       "    structures come from: vmap_area, vm_struct, page arrays)\n",
		       total_free_pages(before) - total_free_pages(&after));
	show_buddyinfo(&after);
	free_buddyinfo(&after);
	return 0;
}

/* ---- the slab layer ---- */

/* A task_struct of about the size LKD3 shows, for a cache of our own. */
struct demo_task {
	long state;
	int pid;
	char comm[16];
	char rest[1700];
};

static void show_slabinfo_lines(const char *const *names)
{
	char *text = read_proc("/proc/slabinfo");

	if (!text)
		return;
	printf("$ grep -E 'name|");
	for (const char *const *n = names; *n; n++)
		printf("%s%s", *n, n[1] ? "|" : "");
	printf("' /proc/slabinfo\n");
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		bool want = line[0] == '#';

		for (const char *const *n = names; *n && !want; n++)
			want = !strncmp(line, *n, strlen(*n)) && line[strlen(*n)] == ' ';
		if (want)
			puts(line);
	}
	free(text);
}

static void show_slabtop(int lines)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (!mem)
		return;
	printf("\n$ slabtop -o -s c | head -%d\n", lines);
	umm_slabtop(mem, 'c');
	fclose(mem);
	for (char *l = strtok(text, "\n"); l && lines > 0; l = strtok(NULL, "\n"), lines--)
		puts(l);
	free(text);
}

static const size_t kmalloc_sizes[] = { 20, 70, 1000 };

static struct kmem_cache *kmalloc_cache_for(size_t size)
{
	return kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)];
}

static int demo_slab(void)
{
	const char *names[5] = { "task_struct" };
	struct kmem_cache *task_struct_cachep;
	struct demo_task *tasks[100];
	void *small[300];

	for (int i = 0; i < 3; i++)
		names[i + 1] = kmem_cache_name(kmalloc_cache_for(kmalloc_sizes[i]));
	step("The slab layer: kmem_cache_create(\"task_struct\", ...) as in LKD3.\n"
	     "    A new cache has no slabs; the first kmem_cache_alloc() takes a slab\n"
	     "    (a compound page) from the buddy allocator and cuts it into objects.");
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct demo_task),
					       ARCH_MIN_TASKALIGN, SLAB_PANIC, NULL);
	for (int i = 0; i < 100; i++) {
		tasks[i] = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
		if (!tasks[i])
			return 1;
		tasks[i]->pid = i + 1;
	}
	printf("    100 objects of %u bytes; the first two are %p and %p\n",
	       kmem_cache_size(task_struct_cachep), (void *)tasks[0], (void *)tasks[1]);

	printf("\n==> kmalloc() picks a cache by size: %zu bytes -> %s, %zu -> %s, %zu -> %s\n"
	       "    (the classes 8, 16, 32, 64, 96, 128, 192, 256, ..., 8k).\n",
	       kmalloc_sizes[0], names[1], kmalloc_sizes[1], names[2], kmalloc_sizes[2], names[3]);
	for (int i = 0; i < 300; i++) {
		small[i] = kmalloc(kmalloc_sizes[i % 3], GFP_KERNEL);
		if (!small[i])
			return 1;
	}
	show_slabinfo_lines(names);
	show_slabtop(14);
	show_meminfo_line("Slab:");
	show_meminfo_line("SUnreclaim:");

	step("Free everything.  SLUB still counts the objects of each CPU's active slab\n"
	     "    as in use: they belong to that CPU until its slab is flushed.");
	for (int i = 0; i < 300; i++)
		kfree(small[i]);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(task_struct_cachep, tasks[i]);
	show_slabinfo_lines(names);

	step("kmem_cache_shrink() flushes the CPU slabs and gives empty slabs back to the\n"
	     "    buddy allocator (normally min_partial empty slabs stay cached per node).");
	kmem_cache_shrink(task_struct_cachep);
	for (int i = 0; i < 3; i++)
		kmem_cache_shrink(kmalloc_cache_for(kmalloc_sizes[i]));
	show_slabinfo_lines(names);
	if (kmem_cache_destroy(task_struct_cachep))
		return 1;
	return umm_slab_check() != 0;
}

static int demo_page_alloc(void)
{
	struct buddyinfo boot = { 0 }, a = { 0 }, b = { 0 }, c = { 0 };
	struct page *block, *pages[DEMO_PAGES];
	int err = -1;

	if (demo_boot(&boot))
		goto out;
	block = demo_compound(&boot, &a);
	if (!block)
		goto out;
	if (demo_pages(pages, &a, &b)) {
		__free_pages(block, DEMO_ORDER);
		goto out;
	}
	if (demo_free(block, pages, &boot, &c))
		goto out;
	err = demo_vmalloc(&c);
out:
	free_buddyinfo(&boot);
	free_buddyinfo(&a);
	free_buddyinfo(&b);
	free_buddyinfo(&c);
	return err;
}

int cmd_demo(int argc, char **argv)
{
	(void)argc;	/* none: umm.c's table refuses any */
	(void)argv;
	printf("umm demo: the buddy allocator, vmalloc and the slab layer at work.\n"
	       "Boot command line: \"%s\" (defaults otherwise)\n", umm_cmdline());
	if (demo_page_alloc() || demo_slab())
		return 1;

	step("The whole picture: /proc/meminfo and /proc/pagetypeinfo.");
	if (show("/proc/meminfo") || show("/proc/pagetypeinfo"))
		return 1;
	return umm_page_alloc_check() || umm_vmalloc_check();
}
