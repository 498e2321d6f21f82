// SPDX-License-Identifier: GPL-2.0
/*
 * svg.c - pictures of the state /proc prints, as SVG: the buddy
 * allocator's free lists per zone (a fragmentation map, one cell per
 * pageblock), an address space's VMAs to scale, and the page-table walk
 * to one address.  include/umm/svg.h is the interface.
 *
 * Owns nothing: each picture copies what it shows into a snapshot under
 * the locks /proc takes for the same numbers (mem_hotplug_lock and
 * zone->lock for the free lists, as mm/vmstat.c; mmap_lock for the VMAs
 * and page_table_lock for the page tables, as fs/proc/task_mmu.c), drops
 * them, and only then writes: no lock is held across stdio.  Lock order:
 * physmem.hotplug_lock -> zone->lock; mmap_lock -> page_table_lock.
 *
 * Invariants of the output: every picture is a well-formed SVG 1.1
 * document; every text that comes from outside (file names) is escaped
 * for XML, bytes that are not valid UTF-8 and control characters printed
 * as \ooo, as seq_path() escapes a newline in maps.  The numbers a
 * picture shows are also its elements' data-* attributes (the pageblock's
 * pfn, migratetype, free pages and largest free order; a VMA's range and
 * Rss; a level's index and entry), so tests compare them with /proc.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <umm/svg.h>
#include "internal.h"

#define SVG_FONT "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\""

/* ---- writing ---- */

static void svg_begin(FILE *f, int width, int height, const char *title)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " SVG_FONT
		" font-size=\"12\">\n<title>%s</title>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		width, height, width, height, title);
}

static int svg_end(FILE *f, int drawn)
{
	fprintf(f, "</svg>\n");
	if (fflush(f))
		return -errno;	/* ENOSPC, say: not the EIO of an unknown error */
	if (ferror(f))
		return -EIO;
	return drawn;
}

/* The length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* no overlong forms, no surrogates, nothing above U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/* @s as XML character data or attribute text. */
void umm_svg_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '&')
			fputs("&amp;", f);
		else if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '"')
			fputs("&quot;", f);
		else if (!n || *p < 0x20 || *p == 0x7f)
			fprintf(f, "\\%03o", *p);
		else
			fwrite(p, 1, n, f);
		p += n ? n : 1;
	}
}

/* 4 KiB, 1.5 MiB, 127.9 TiB: sizes as a person reads them. */
static void human_size(char *buf, size_t len, unsigned long bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	if (v == (double)(unsigned long)v)
		snprintf(buf, len, "%lu %s", (unsigned long)v, unit[u]);
	else
		snprintf(buf, len, "%.1f %s", v, unit[u]);
}

/* ---- the buddy allocator: a fragmentation map ---- */

#define PB_CELL		16	/* pitch of a pageblock cell */
#define PB_COLS		64	/* cells per row: 128 MiB */
#define PB_LEFT		20
#define PB_WIDTH	(PB_LEFT * 2 + PB_COLS * PB_CELL)
#define PB_HOLE		0xff	/* migratetype of a pfn that is not memory */

struct pb_cell {
	unsigned long free;	/* pages of free blocks in this pageblock */
	signed char order;	/* largest free block covering part of it, -1: none */
	unsigned char mt;	/* get_pageblock_migratetype(), or PB_HOLE */
};

struct zone_map {
	int nid;
	const char *name;
	unsigned long base_pfn;	/* the first cell's pfn */
	unsigned long start_pfn, end_pfn;
	unsigned long nr_free[NR_PAGE_ORDERS];
	unsigned long nr_cells;
	struct pb_cell *cells;
};

static const char *const mt_colour[MIGRATE_TYPES] = {
	[MIGRATE_UNMOVABLE] = "#e15759", [MIGRATE_MOVABLE] = "#59a14f",
	[MIGRATE_RECLAIMABLE] = "#f28e2b", [MIGRATE_HIGHATOMIC] = "#b07aa1",
	[MIGRATE_ISOLATE] = "#9c755f",
};

/* Dark (nothing free) to light (a whole pageblock free or more). */
static const char *const order_colour[NR_PAGE_ORDERS + 1] = {
	"#1a1a1a", "#440154", "#482878", "#3e4989", "#31688e", "#26828e",
	"#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725", "#fffbd0",
};

static const char *cell_order_colour(int order)
{
	return order_colour[order + 1];
}

/* A free block of 2^order pages at @pfn: every pageblock it covers. */
static void map_free_block(struct zone_map *zm, unsigned long pfn, unsigned int order)
{
	unsigned long left = 1UL << order;

	while (left) {
		unsigned long i = (pfn - zm->base_pfn) >> pageblock_order;
		unsigned long in = pageblock_nr_pages - ((pfn - zm->base_pfn) & (pageblock_nr_pages - 1));
		unsigned long n = min(in, left);

		if (i >= zm->nr_cells)
			return;
		zm->cells[i].free += n;
		if (zm->cells[i].order < (int)order)
			zm->cells[i].order = (signed char)order;
		pfn += n;
		left -= n;
	}
}

/*
 * The pageblocks' types, as pagetypeinfo counts them; zone->lock held, as
 * a steal changes them under it, so types and free lists are one moment.
 */
static void map_pageblock_types(struct zone_map *zm, struct zone *zone)
{
	for (unsigned long i = 0; i < zm->nr_cells; i++) {
		unsigned long pfn = zm->base_pfn + i * pageblock_nr_pages;
		struct page *page = pfn_valid(pfn) ? pfn_to_page(pfn) : NULL;

		zm->cells[i].order = -1;
		zm->cells[i].mt = PB_HOLE;
		if (page && page_zone(page) == zone && pfn >= zm->start_pfn)
			zm->cells[i].mt = (unsigned char)get_pageblock_migratetype(page);
	}
}

/* The free lists of @zone and its pageblocks' types, under zone->lock. */
static void map_free_lists(struct zone_map *zm, struct zone *zone)
{
	spin_lock(&zone->lock);
	map_pageblock_types(zm, zone);
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		struct free_area *area = &zone->free_area[order];

		zm->nr_free[order] = area->nr_free;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page, &area->free_list[mt], buddy_list)
				map_free_block(zm, page_to_pfn(page), (unsigned int)order);
		}
	}
	spin_unlock(&zone->lock);
}

static int snapshot_zone(struct zone_map *zm, struct zone *zone)
{
	zm->nid = zone->node;
	zm->name = zone->name;
	zm->start_pfn = zone->zone_start_pfn;
	zm->end_pfn = zone_end_pfn(zone);
	zm->base_pfn = ALIGN_DOWN(zm->start_pfn, pageblock_nr_pages);
	zm->nr_cells = DIV_ROUND_UP(zm->end_pfn - zm->base_pfn, pageblock_nr_pages);
	zm->cells = calloc(zm->nr_cells, sizeof(*zm->cells));
	if (!zm->cells)
		return -ENOMEM;
	map_free_lists(zm, zone);
	return 0;
}

/* Every populated zone, node by node as buddyinfo lists them. */
static int snapshot_zones(struct zone_map *zones, int *nr)
{
	int nid, err = 0;

	*nr = 0;
	mutex_lock(&physmem.hotplug_lock);
	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			if (!populated_zone(zone) || err)
				continue;
			err = snapshot_zone(&zones[*nr], zone);
			if (!err)
				(*nr)++;
		}
	}
	mutex_unlock(&physmem.hotplug_lock);
	return err;
}

static int zone_map_height(const struct zone_map *zm)
{
	return 44 + (int)DIV_ROUND_UP(zm->nr_cells, PB_COLS) * PB_CELL;
}

static void buddy_legend(FILE *f, int y)
{
	int x = PB_LEFT;

	fprintf(f, "<g class=\"legend\" transform=\"translate(0,%d)\">\n"
		"<text x=\"%d\" y=\"0\">ring: the pageblock's migratetype</text>\n", y, x);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++, x += 118)
		fprintf(f, "<rect x=\"%d\" y=\"8\" width=\"11\" height=\"11\" fill=\"%s\"/>"
			"<text x=\"%d\" y=\"18\">%s</text>\n", x, mt_colour[mt], x + 15,
			migratetype_names[mt]);
	fprintf(f, "<text x=\"%d\" y=\"40\">centre: the largest free block that covers part of "
		"it (order; 9 and up: the whole pageblock is free)</text>\n", PB_LEFT);
	x = PB_LEFT;
	for (int order = -1; order < NR_PAGE_ORDERS; order++, x += 52) {
		fprintf(f, "<rect x=\"%d\" y=\"48\" width=\"11\" height=\"11\" fill=\"%s\" "
			"stroke=\"#888\" stroke-width=\"0.5\"/>", x, cell_order_colour(order));
		if (order < 0)
			fprintf(f, "<text x=\"%d\" y=\"58\">none</text>\n", x + 15);
		else
			fprintf(f, "<text x=\"%d\" y=\"58\">%d</text>\n", x + 15, order);
	}
	fprintf(f, "<text x=\"%d\" y=\"80\" fill=\"#555\">Free means on the buddy free lists, "
		"as buddyinfo counts; pages on per-CPU lists count as in use. "
		"Hover a cell for its numbers.</text>\n</g>\n", PB_LEFT);
}

static void buddy_cell(FILE *f, const struct zone_map *zm, unsigned long i, int y0)
{
	const struct pb_cell *c = &zm->cells[i];
	unsigned long pfn = zm->base_pfn + i * pageblock_nr_pages;
	int x = PB_LEFT + (int)(i % PB_COLS) * PB_CELL;
	int y = y0 + (int)(i / PB_COLS) * PB_CELL;

	if (c->mt == PB_HOLE) {
		fprintf(f, "<rect class=\"hole\" x=\"%d\" y=\"%d\" width=\"15\" height=\"15\" "
			"fill=\"none\" stroke=\"#ccc\"/>\n", x, y);
		return;
	}
	fprintf(f, "<g><title>pfn %#lx-%#lx %s: %lu of %lu pages free, largest free block ",
		pfn, pfn + pageblock_nr_pages - 1, migratetype_names[c->mt], c->free,
		pageblock_nr_pages);
	if (c->order < 0)
		fprintf(f, "none</title>");
	else
		fprintf(f, "order %d</title>", c->order);
	fprintf(f, "<rect class=\"pb\" x=\"%d\" y=\"%d\" width=\"15\" height=\"15\" fill=\"%s\" "
		"data-pfn=\"%#lx\" data-mt=\"%s\" data-free=\"%lu\" data-order=\"%d\"/>"
		"<rect x=\"%d\" y=\"%d\" width=\"9\" height=\"9\" fill=\"%s\"/></g>\n",
		x, y, mt_colour[c->mt], pfn, migratetype_names[c->mt], c->free, c->order,
		x + 3, y + 3, cell_order_colour(c->order));
}

static void buddy_zone(FILE *f, const struct zone_map *zm, int y)
{
	char size[32];
	unsigned long free = 0;

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		free += zm->nr_free[o] << o;
	human_size(size, sizeof(size), (zm->end_pfn - zm->start_pfn) << PAGE_SHIFT);
	fprintf(f, "<g class=\"zone\" data-node=\"%d\" data-zone=\"%s\" data-start-pfn=\"%#lx\" "
		"data-end-pfn=\"%#lx\" data-buddyinfo=\"", zm->nid, zm->name, zm->start_pfn,
		zm->end_pfn);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		fprintf(f, "%s%lu", o ? " " : "", zm->nr_free[o]);
	fprintf(f, "\">\n<text x=\"%d\" y=\"%d\" font-weight=\"bold\">Node %d, zone %s: "
		"pfns %#lx-%#lx (%s), %lu pages free</text>\n<text x=\"%d\" y=\"%d\" "
		"fill=\"#555\">buddyinfo:", PB_LEFT, y + 14, zm->nid, zm->name, zm->start_pfn,
		zm->end_pfn - 1, size, free, PB_LEFT, y + 30);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		fprintf(f, " %lu", zm->nr_free[o]);
	fprintf(f, "  (free blocks of order 0..%d)</text>\n", MAX_PAGE_ORDER);
	for (unsigned long i = 0; i < zm->nr_cells; i++)
		buddy_cell(f, zm, i, y + 38);
	fprintf(f, "</g>\n");
}

static void free_zone_maps(struct zone_map *zones, int nr)
{
	for (int i = 0; i < nr; i++)
		free(zones[i].cells);
	free(zones);
}

int umm_svg_buddy(FILE *f)
{
	struct zone_map *zones;
	int nr, err, height = 130, y, cells = 0;

	if (!f)
		return -EINVAL;
	if (!umm_ensure_booted())
		return -ENODEV;
	zones = calloc(MAX_NUMNODES * MAX_NR_ZONES, sizeof(*zones));
	if (!zones)
		return -ENOMEM;
	umm_gate_enter();
	err = snapshot_zones(zones, &nr);
	umm_gate_exit();
	if (err) {
		free_zone_maps(zones, nr);
		return err;
	}
	for (int i = 0; i < nr; i++)
		height += zone_map_height(&zones[i]) + 10;
	svg_begin(f, PB_WIDTH, height, "umm: free pageblocks per zone (buddyinfo, pagetypeinfo)");
	fprintf(f, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">The buddy "
		"allocator's free lists: one cell per pageblock (%lu pages, %lu KiB), "
		"%d per row</text>\n", PB_LEFT, pageblock_nr_pages,
		pageblock_nr_pages << (PAGE_SHIFT - 10), PB_COLS);
	buddy_legend(f, 44);
	y = 130;
	for (int i = 0; i < nr; i++) {
		buddy_zone(f, &zones[i], y);
		y += zone_map_height(&zones[i]) + 10;
		for (unsigned long c = 0; c < zones[i].nr_cells; c++)
			cells += zones[i].cells[c].mt != PB_HOLE;
	}
	free_zone_maps(zones, nr);
	return svg_end(f, cells);
}

/* ---- an address space: VMAs to scale ---- */

#define MAP_TOP		60
#define MAP_ADDR_X	20
#define MAP_BAR_X	170
#define MAP_BAR_W	220
#define MAP_LABEL_X	(MAP_BAR_X + MAP_BAR_W + 14)
#define MAP_WIDTH	980
#define MAP_MIN_H	18.0	/* a VMA smaller than this is drawn this high */
#define MAP_BUDGET	720.0	/* the VMAs' height, if none were smaller */
#define MAP_GAP_MAX	30.0	/* a gap taller than this is elided */
#define MAP_GAP_MIN	4.0	/* a gap of one page stays visible */

struct vma_snap {
	unsigned long start, end, rss;
	vm_flags_t flags;
	char *name;		/* as maps prints it, or NULL */
};

static void free_vma_snaps(struct vma_snap *v, int nr)
{
	for (int i = 0; i < nr; i++)
		free(v[i].name);
	free(v);
}

/* Every VMA with its name and Rss, under mmap_lock. */
static int snapshot_vmas(struct mm_struct *mm, struct vma_snap **out, int *nr)
{
	struct vm_area_struct *vma;
	struct vma_snap *v;
	int i = 0;

	mmap_read_lock(mm);
	v = calloc((size_t)mm->map_count + 1, sizeof(*v));
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma) {
		const char *name = proc_vma_name(vma);

		if (!v || i == mm->map_count)
			break;
		v[i].start = vma->vm_start;
		v[i].end = vma->vm_end;
		v[i].flags = vma->vm_flags;
		v[i].rss = smaps_vma_rss(vma);
		v[i].name = name ? strdup(name) : NULL;
		if (name && !v[i].name)
			break;
		i++;
	}
	mmap_read_unlock(mm);
	if (!v || vma) {
		if (v)
			free_vma_snaps(v, i + 1);
		return -ENOMEM;
	}
	*out = v;
	*nr = i;
	return 0;
}

/* Pixels per byte: the VMAs fill MAP_BUDGET, or the smallest gets MAP_MIN_H. */
static double map_scale(const struct vma_snap *v, int nr)
{
	unsigned long total = 0, smallest = ~0UL;
	double scale;

	for (int i = 0; i < nr; i++) {
		total += v[i].end - v[i].start;
		smallest = min(smallest, v[i].end - v[i].start);
	}
	if (!nr)
		return 0;
	scale = MAP_BUDGET / (double)total;
	if (MAP_MIN_H / (double)smallest < scale)
		scale = MAP_MIN_H / (double)smallest;
	return scale;
}

static double vma_height(const struct vma_snap *v, double scale)
{
	double h = (double)(v->end - v->start) * scale;

	return h < MAP_MIN_H ? MAP_MIN_H : h;
}

/* How tall the gap before v[i] is drawn; *elided when it is not to scale. */
static double gap_height(const struct vma_snap *v, int i, double scale, bool *elided)
{
	double h;

	*elided = false;
	if (!i || v[i].start == v[i - 1].end)
		return 0;
	h = (double)(v[i].start - v[i - 1].end) * scale;
	if (h > MAP_GAP_MAX) {
		*elided = true;
		return MAP_GAP_MAX;
	}
	return h < MAP_GAP_MIN ? MAP_GAP_MIN : h;
}

static const char *vma_colour(vm_flags_t flags)
{
	switch (flags & (VM_READ | VM_WRITE | VM_EXEC)) {
	case VM_READ | VM_EXEC:
		return "#f4a582";	/* code */
	case VM_READ | VM_WRITE:
		return "#92c5de";	/* data, heap, stack */
	case VM_READ:
		return "#d1e5f0";	/* read-only data */
	case 0:
		return "#e0e0e0";	/* PROT_NONE: guards, reservations */
	default:
		return "#f7b6d2";	/* writable and executable, or write-only */
	}
}

static void vma_perms(char *buf, vm_flags_t flags)
{
	buf[0] = flags & VM_READ ? 'r' : '-';
	buf[1] = flags & VM_WRITE ? 'w' : '-';
	buf[2] = flags & VM_EXEC ? 'x' : '-';
	buf[3] = flags & VM_MAYSHARE ? 's' : 'p';
	buf[4] = '\0';
}

static void map_gap(FILE *f, const struct vma_snap *v, int i, double y, double h, bool elided)
{
	char size[32];
	double mid = y + h / 2;

	if (!elided)
		return;
	human_size(size, sizeof(size), v[i].start - v[i - 1].end);
	/* a torn edge across the bar: the cut in the axis */
	fprintf(f, "<g class=\"gap\" data-bytes=\"%lu\"><path d=\"M%d %.2f", v[i].start - v[i - 1].end,
		MAP_BAR_X - 8, mid - 3);
	for (int x = MAP_BAR_X - 8, k = 0; x <= MAP_BAR_X + MAP_BAR_W + 8; x += 8, k++)
		fprintf(f, " L%d %.2f", x, mid + (k & 1 ? 3 : -3));
	fprintf(f, "\" fill=\"none\" stroke=\"#888\"/>"
		"<text x=\"%d\" y=\"%.2f\" fill=\"#555\">%s unmapped (gap not to scale)</text></g>\n",
		MAP_LABEL_X, mid + 4, size);
}

static void map_vma(FILE *f, const struct vma_snap *v, double y, double h)
{
	unsigned long size = v->end - v->start;
	char perms[5], vsize[32], rss[32];
	double rss_w = (double)MAP_BAR_W * (double)v->rss / (double)size;

	vma_perms(perms, v->flags);
	human_size(vsize, sizeof(vsize), size);
	human_size(rss, sizeof(rss), v->rss);
	fprintf(f, "<g><title>%08lx-%08lx %s %s, Rss %s", v->start, v->end, perms, vsize, rss);
	if (v->name) {
		fputc(' ', f);
		umm_svg_text(f, v->name);
	}
	fprintf(f, "</title>\n<rect class=\"vma\" x=\"%d\" y=\"%.2f\" width=\"%d\" height=\"%.2f\" "
		"fill=\"%s\" stroke=\"#333\"%s data-start=\"%#lx\" data-end=\"%#lx\" "
		"data-rss=\"%lu\" data-flags=\"%s\"/>\n", MAP_BAR_X, y, MAP_BAR_W, h,
		vma_colour(v->flags), v->flags & VM_MAYSHARE ? " stroke-dasharray=\"4 2\"" : "",
		v->start, v->end, v->rss, perms);
	if (v->rss)
		fprintf(f, "<rect class=\"rss\" x=\"%d\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
			"fill=\"#000\" fill-opacity=\"0.25\"/>\n", MAP_BAR_X, y, rss_w, h);
	fprintf(f, "<text x=\"%d\" y=\"%.2f\">%012lx</text>\n", MAP_ADDR_X, y + 12, v->start);
	fprintf(f, "<text x=\"%d\" y=\"%.2f\">%s %s (Rss %s) ", MAP_LABEL_X, y + 13, perms,
		vsize, rss);
	if (v->name)
		umm_svg_text(f, v->name);
	fprintf(f, "</text></g>\n");
}

static void map_legend(FILE *f, double y)
{
	static const struct { vm_flags_t flags; const char *what; } kinds[] = {
		{ VM_READ | VM_EXEC, "r-x code" }, { VM_READ | VM_WRITE, "rw- data" },
		{ VM_READ, "r-- read-only" }, { 0, "--- no access" },
		{ VM_READ | VM_WRITE | VM_EXEC, "rwx" },
	};
	int x = MAP_ADDR_X;

	fprintf(f, "<g class=\"legend\">\n");
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++, x += 150)
		fprintf(f, "<rect x=\"%d\" y=\"%.2f\" width=\"12\" height=\"12\" fill=\"%s\" "
			"stroke=\"#333\"/><text x=\"%d\" y=\"%.2f\">%s</text>\n", x, y,
			vma_colour(kinds[i].flags), x + 17, y + 11, kinds[i].what);
	fprintf(f, "<text x=\"%d\" y=\"%.2f\" fill=\"#555\">Heights to scale (at least %.0f px); "
		"shaded: the share that is resident (Rss); dashed: a shared mapping.</text>\n"
		"</g>\n", MAP_ADDR_X, y + 32, MAP_MIN_H);
}

static double maps_height(const struct vma_snap *v, int nr, double scale)
{
	double h = MAP_TOP + 60;
	bool elided;

	for (int i = 0; i < nr; i++)
		h += gap_height(v, i, scale, &elided) + vma_height(&v[i], scale);
	return h;
}

int umm_svg_maps(struct mm_struct *mm, FILE *f)
{
	struct vma_snap *v;
	double scale, y = MAP_TOP;
	int nr, err;

	if (!mm || !f)
		return -EINVAL;
	err = snapshot_vmas(mm, &v, &nr);
	if (err)
		return err;
	scale = map_scale(v, nr);
	svg_begin(f, MAP_WIDTH, (int)maps_height(v, nr, scale) + 20,
		  "umm: an address space's VMAs (maps, smaps)");
	fprintf(f, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">An address "
		"space: %d VMAs, lowest address first, as /proc/PID/maps lists them</text>\n"
		"<g class=\"vmas\" data-px-per-mib=\"%.9g\" data-min-height=\"%.0f\">\n",
		MAP_ADDR_X, nr, scale * (1 << 20), MAP_MIN_H);
	if (!nr)
		fprintf(f, "<text x=\"%d\" y=\"%d\">no VMAs: nothing is mapped</text>\n",
			MAP_ADDR_X, MAP_TOP + 12);
	for (int i = 0; i < nr; i++) {
		bool elided;
		double g = gap_height(v, i, scale, &elided);

		map_gap(f, v, i, y, g, elided);
		y += g;
		map_vma(f, &v[i], y, vma_height(&v[i], scale));
		y += vma_height(&v[i], scale);
	}
	if (nr)
		fprintf(f, "<text x=\"%d\" y=\"%.2f\">%012lx</text>\n", MAP_ADDR_X, y + 12,
			v[nr - 1].end);
	fprintf(f, "</g>\n");
	map_legend(f, y + 24);
	free_vma_snaps(v, nr);
	return svg_end(f, nr);
}

/* ---- the page-table walk to one address ---- */

enum walk_state { WALK_PRESENT, WALK_NONE, WALK_NOT_REACHED };

struct walk_level {
	const char *name;
	unsigned long index;
	unsigned long table_pfn;	/* the table holding the entry */
	unsigned long entry;
	enum walk_state state;
};

struct walk_snap {
	unsigned long addr;
	bool canonical;
	struct walk_level level[5];	/* pgd, p4d, pud, pmd, pte */
	char vma[160];			/* the VMA holding addr, as text */
	char frame[2][48];		/* what the final frame is */
};

static unsigned long table_pfn(const void *table)
{
	return virt_to_pfn(table);
}

/* One level: the entry at @ptr; the caller stops unless it is present. */
static bool walk_step(struct walk_level *l, const void *table, const unsigned long *ptr)
{
	l->table_pfn = table_pfn(table);
	l->entry = READ_ONCE(*ptr);
	l->state = l->entry ? WALK_PRESENT : WALK_NONE;
	return l->state == WALK_PRESENT;
}

/* pgd -> p4d (folded: the pgd entry itself) -> pud -> pmd -> pte. */
static void walk_tables(struct mm_struct *mm, struct walk_snap *w)
{
	unsigned long addr = w->addr;
	struct walk_level *l = w->level;
	pgd_t *pgd;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (!w->canonical || !mm->pgd)
		return;
	pgd = pgd_offset(mm, addr);
	walk_step(&l[0], mm->pgd, &pgd->pgd);
	/* folded: p4d_offset() is the pgd entry, and p4d_none() its test */
	l[1] = l[0];
	l[1].name = "p4d";
	l[1].index = 0;
	if (l[0].state != WALK_PRESENT)
		return;
	pud = pud_offset(pgd, addr);
	if (!walk_step(&l[2], pgd_page_vaddr(*pgd), &pud->pud))
		return;
	pmd = pmd_offset(pud, addr);
	if (!walk_step(&l[3], pud_page_vaddr(*pud), &pmd->pmd))
		return;
	pte = pte_offset_kernel(pmd, addr);
	if (!walk_step(&l[4], pmd_page_vaddr(*pmd), &pte->pte))
		return;
	/* a PROT_NONE PTE is a mapping the MMU will not use */
	if (!pte_present(*pte))
		l[4].state = WALK_NONE;
}

static void describe_frame(struct walk_snap *w)
{
	pte_t pte = __pte(w->level[4].entry);
	struct page *page;

	if (w->level[4].state != WALK_PRESENT)
		return;
	if (is_zero_pfn(pte_pfn(pte))) {
		snprintf(w->frame[0], sizeof(w->frame[0]), "the shared zero page");
		return;
	}
	page = pte_page(pte);
	snprintf(w->frame[0], sizeof(w->frame[0]), "%s page",
		 PageAnon(page) ? "an anonymous" : PageSwapBacked(page) ? "a shmem" : "a page-cache");
	snprintf(w->frame[1], sizeof(w->frame[1]), "mapped by %d PTE%s", page_mapcount(page),
		 page_mapcount(page) == 1 ? "" : "s");
}

static void describe_vma(struct mm_struct *mm, struct walk_snap *w)
{
	struct vm_area_struct *vma = find_vma(mm, w->addr);
	const char *name;
	char perms[5];

	if (!vma || vma->vm_start > w->addr) {
		snprintf(w->vma, sizeof(w->vma), "in no VMA: an access would be SIGSEGV");
		return;
	}
	name = proc_vma_name(vma);
	vma_perms(perms, vma->vm_flags);
	snprintf(w->vma, sizeof(w->vma), "in VMA %08lx-%08lx %s %s", vma->vm_start, vma->vm_end,
		 perms, name ? name : "");
}

static void snapshot_walk(struct mm_struct *mm, unsigned long addr, struct walk_snap *w)
{
	static const char *const names[5] = { "pgd", "p4d", "pud", "pmd", "pte" };
	const unsigned long index[5] = { pgd_index(addr), 0, pud_index(addr),
					 pmd_index(addr), pte_index(addr) };

	memset(w, 0, sizeof(*w));
	w->addr = addr;
	/* bits 63..47 all equal: otherwise the CPU faults (#GP) before any walk */
	w->canonical = (long)addr >> 47 == 0 || (long)addr >> 47 == -1;
	for (int i = 0; i < 5; i++) {
		w->level[i].name = names[i];
		w->level[i].index = index[i];
		w->level[i].state = WALK_NOT_REACHED;
	}
	mmap_read_lock(mm);
	mutex_lock(&mm->page_table_lock);
	walk_tables(mm, w);
	describe_frame(w);
	mutex_unlock(&mm->page_table_lock);
	describe_vma(mm, w);
	mmap_read_unlock(mm);
}

#define WALK_WIDTH	1110
#define WALK_BOX_W	158
#define WALK_BOX_GAP	22
#define WALK_BOX_Y	190

static const char *const level_colour[5] = {
	"#4e79a7", "#a0cbe8", "#f28e2b", "#59a14f", "#b07aa1",
};

/* The address cut into its fields, 63 on the left, as the SDM draws it. */
static void walk_bits(FILE *f, const struct walk_snap *w)
{
	static const struct { int hi, lo, level; const char *name; } field[] = {
		{ 63, 48, -1, "sign" }, { 47, 39, 0, "PGD" }, { 38, 30, 2, "PUD" },
		{ 29, 21, 3, "PMD" }, { 20, 12, 4, "PTE" }, { 11, 0, -1, "offset" },
	};
	const double bit = (WALK_WIDTH - 40) / 64.0;

	fprintf(f, "<g class=\"bits\">\n");
	for (size_t i = 0; i < ARRAY_SIZE(field); i++) {
		int n = field[i].hi - field[i].lo + 1;
		double x = 20 + (63 - field[i].hi) * bit;
		unsigned long v = (w->addr >> field[i].lo) & ((1UL << (n - 1) << 1) - 1);

		fprintf(f, "<rect x=\"%.2f\" y=\"80\" width=\"%.2f\" height=\"44\" fill=\"%s\" "
			"stroke=\"#333\"/><text x=\"%.2f\" y=\"97\" text-anchor=\"middle\">%s "
			"[%d:%d]</text><text x=\"%.2f\" y=\"116\" text-anchor=\"middle\">", x, n * bit,
			field[i].level < 0 ? "#eeeeee" : level_colour[field[i].level], x + n * bit / 2,
			field[i].name, field[i].hi, field[i].lo, x + n * bit / 2);
		if (field[i].level < 0)
			fprintf(f, "%#lx</text>\n", v);
		else
			fprintf(f, "%lu</text>\n", v);
	}
	fprintf(f, "<text x=\"20\" y=\"146\" fill=\"#555\">With 4-level paging the P4D takes no "
		"bits: it is folded into the PGD (PTRS_PER_P4D = 1, index 0).</text>\n</g>\n");
}

static void walk_flags(FILE *f, unsigned long v, double x, double y)
{
	static const struct { unsigned long bit; const char *name; } bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" }, { _PAGE_USER, "US" },
		{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" }, { _PAGE_SOFT_DIRTY, "SD" },
		{ _PAGE_PROTNONE, "PROTNONE" }, { _PAGE_NX, "NX" },
	};

	fprintf(f, "<text x=\"%.2f\" y=\"%.2f\" class=\"flags\">", x, y);
	for (size_t i = 0, first = 1; i < ARRAY_SIZE(bits); i++) {
		if (!(v & bits[i].bit))
			continue;
		fprintf(f, "%s%s", first ? "" : " ", bits[i].name);
		first = 0;
	}
	fprintf(f, "</text>\n");
}

static void walk_level_box(FILE *f, const struct walk_level *l, int i)
{
	double x = 20 + i * (WALK_BOX_W + WALK_BOX_GAP);
	bool reached = l->state != WALK_NOT_REACHED;
	char upper[4] = { 0 };

	for (int k = 0; k < 3; k++)
		upper[k] = (char)toupper((unsigned char)l->name[k]);
	fprintf(f, "<g class=\"level\" data-level=\"%s\" data-index=\"%lu\" data-state=\"%s\"",
		l->name, l->index,
		l->state == WALK_PRESENT ? "present" : reached ? "none" : "not-reached");
	if (reached)
		fprintf(f, " data-entry=\"%#lx\" data-table-pfn=\"%#lx\"", l->entry, l->table_pfn);
	fprintf(f, ">\n<rect x=\"%.2f\" y=\"%d\" width=\"%d\" height=\"150\" fill=\"%s\" "
		"fill-opacity=\"%s\" stroke=\"#333\"/>\n<text x=\"%.2f\" y=\"%d\" "
		"font-weight=\"bold\">%s</text>\n", x, WALK_BOX_Y, WALK_BOX_W, level_colour[i],
		reached ? "0.35" : "0.08", x + 8, WALK_BOX_Y + 18, upper);
	if (!reached) {
		fprintf(f, "<text x=\"%.2f\" y=\"%d\" fill=\"#777\">not reached</text>\n",
			x + 8, WALK_BOX_Y + 40);
	} else {
		if (i == 1)
			fprintf(f, "<text x=\"%.2f\" y=\"%d\">folded into the PGD</text>\n",
				x + 8, WALK_BOX_Y + 36);
		else
			fprintf(f, "<text x=\"%.2f\" y=\"%d\">table at pfn %#lx</text>\n", x + 8,
				WALK_BOX_Y + 36, l->table_pfn);
		fprintf(f, "<rect x=\"%.2f\" y=\"%d\" width=\"%d\" height=\"40\" fill=\"#fff\" "
			"stroke=\"#333\"/><text x=\"%.2f\" y=\"%d\">[%lu]</text>"
			"<text x=\"%.2f\" y=\"%d\">%016lx</text>\n", x + 6, WALK_BOX_Y + 48,
			WALK_BOX_W - 12, x + 10, WALK_BOX_Y + 64, l->index, x + 10, WALK_BOX_Y + 81,
			l->entry);
		if (l->state == WALK_PRESENT)
			walk_flags(f, l->entry, x + 8, WALK_BOX_Y + 110);
		else
			fprintf(f, "<text x=\"%.2f\" y=\"%d\">%s</text>\n", x + 8, WALK_BOX_Y + 110,
				l->entry ? "PROT_NONE: not present" : "none: nothing mapped");
	}
	fprintf(f, "</g>\n");
	if (l->state == WALK_PRESENT)
		fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#333\" "
			"marker-end=\"url(#arrow)\"/>\n", x + WALK_BOX_W - 6, WALK_BOX_Y + 68,
			x + WALK_BOX_W + WALK_BOX_GAP - 2, WALK_BOX_Y + 68);
}

static void walk_frame_box(FILE *f, const struct walk_snap *w)
{
	double x = 20 + 5 * (WALK_BOX_W + WALK_BOX_GAP);
	unsigned long pfn = pte_pfn(__pte(w->level[4].entry));
	unsigned long off = w->addr & (PAGE_SIZE - 1);

	if (w->level[4].state != WALK_PRESENT) {
		fprintf(f, "<text x=\"%.2f\" y=\"%d\">no page frame: an access</text>"
			"<text x=\"%.2f\" y=\"%d\">faults</text>\n", x, WALK_BOX_Y + 64, x,
			WALK_BOX_Y + 80);
		return;
	}
	fprintf(f, "<g class=\"frame\" data-pfn=\"%#lx\" data-phys=\"%#lx\">\n<rect x=\"%.2f\" "
		"y=\"%d\" width=\"%d\" height=\"150\" fill=\"#edc948\" fill-opacity=\"0.35\" "
		"stroke=\"#333\"/>\n<text x=\"%.2f\" y=\"%d\" font-weight=\"bold\">page frame</text>\n"
		"<text x=\"%.2f\" y=\"%d\">pfn %#lx</text>\n<text x=\"%.2f\" y=\"%d\">+ offset %#lx"
		"</text>\n<text x=\"%.2f\" y=\"%d\">= phys %#lx</text>\n", pfn,
		(pfn << PAGE_SHIFT) | off, x, WALK_BOX_Y, WALK_BOX_W, x + 8, WALK_BOX_Y + 18,
		x + 8, WALK_BOX_Y + 40, pfn, x + 8, WALK_BOX_Y + 58, off, x + 8, WALK_BOX_Y + 76,
		(pfn << PAGE_SHIFT) | off);
	for (int i = 0; i < 2; i++)
		fprintf(f, "<text x=\"%.2f\" y=\"%d\">%s</text>\n", x + 8, WALK_BOX_Y + 104 + 16 * i,
			w->frame[i]);
	fprintf(f, "</g>\n");
}

int umm_svg_walk(struct mm_struct *mm, unsigned long addr, FILE *f)
{
	struct walk_snap w;
	int present = 0;

	if (!mm || !f)
		return -EINVAL;
	snapshot_walk(mm, addr, &w);
	svg_begin(f, WALK_WIDTH, 400, "umm: a page-table walk");
	fprintf(f, "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
		"markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" "
		"fill=\"#333\"/></marker></defs>\n"
		"<text x=\"20\" y=\"26\" font-size=\"15\" font-weight=\"bold\" class=\"addr\" "
		"data-addr=\"%#lx\">The page-table walk to %#lx (x86-64, 4-level paging)</text>\n"
		"<text x=\"20\" y=\"50\" fill=\"#555\">", addr, addr);
	if (w.canonical)
		umm_svg_text(f, w.vma);
	else
		fprintf(f, "not canonical (bits 63..47 differ): the CPU faults before any walk");
	fprintf(f, "</text>\n");
	walk_bits(f, &w);
	for (int i = 0; i < 5; i++) {
		walk_level_box(f, &w.level[i], i);
		present += w.level[i].state == WALK_PRESENT;
	}
	walk_frame_box(f, &w);
	fprintf(f, "<text x=\"20\" y=\"370\" fill=\"#555\">Each entry holds the frame of the "
		"next table, or of the page (bits 51..12), and flags:</text>\n<text x=\"20\" "
		"y=\"388\" fill=\"#555\">P present, RW writable, US user, A accessed, D dirty, "
		"SD soft-dirty, NX no-execute.</text>\n");
	return svg_end(f, present);
}
