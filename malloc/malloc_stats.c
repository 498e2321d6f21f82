// SPDX-License-Identifier: GPL-2.0
/*
 * malloc_stats.c - glibc's statistics calls for libumm-malloc.so:
 * mallinfo(), mallinfo2(), malloc_stats() and malloc_info(), with
 * glibc's signatures, formats and corner cases (glibc 2.36's
 * malloc/malloc.c), and umm's figures where glibc would give those of
 * its own arena, which no block of a preloaded program is in.
 *
 * Owns: the huge-block counters (malloc.c reports each huge block made
 * and freed: malloc_stat_huge(), malloc_stat_vmalloc()) and the mapping
 * of umm's counters onto struct mallinfo2.  umm is one "arena 0"; its
 * huge blocks are glibc's mmapped chunks.
 *
 * The mapping (gather()):
 *  - free slab objects: num_objs - active_objs of every kmem cache, as
 *    /proc/slabinfo counts them (get_slabinfo()), bytes at the cache's
 *    slot size.  As there, the objects in a thread's cpu slab, cpu
 *    partial slabs, sheaf and remote chains count as in use, as glibc's
 *    mallinfo() counts the chunks in its per-thread tcache as in use:
 *    a free() of a small block may leave uordblks where it was until
 *    the slab goes back to its node (up to SLUB_SHEAF_CAPACITY objects
 *    and the cpu slabs of each cache a thread holds);
 *  - held free pages: the free pages the host still backs (each zone's
 *    nr_unreported: free blocks of page_reporting_order and above, which
 *    is 0 for libumm-malloc.so) and the pages on the pcp lists.  Free
 *    pages given back to the host (reported, or never touched since
 *    boot or hot-add) are not held;
 *  - huge blocks: the runs of whole pages above KMALLOC_MAX_SIZE
 *    (malloc_huge()) and every vmalloc area malloc() hands out.
 * Then:
 *  arena     slab pages and large kmalloc blocks (NR_SLAB_RECLAIMABLE_B +
 *	      NR_SLAB_UNRECLAIMABLE_B, less the huge page runs, which
 *	      malloc_stat_huge() counts there too) plus the held free pages:
 *	      glibc's system bytes of the main arena;
 *  ordblks   free blocks on the buddy allocator's free lists (every
 *	      order, given back to the host or not) plus pcp pages;
 *  smblks    free slab objects (glibc's fastbin chunks: small blocks
 *	      kept apart for reuse);
 *  hblks     huge blocks;
 *  hblkhd    their bytes, whole pages, as malloc_usable_size() says;
 *  usmblks   0, as glibc since 2.24;
 *  fsmblks   bytes of the free slab objects;
 *  fordblks  fsmblks plus the held free pages' bytes;
 *  uordblks  arena - fordblks: the objects in use at their class's size,
 *	      large blocks at their 2^order pages (malloc_usable_size()'s
 *	      figures), and the slabs' tails and umm's own kernel objects
 *	      (a few KiB: slab caches, nodes, vmap areas), as glibc counts
 *	      chunk headers in use;
 *  keepcost  the held free pages' bytes, which malloc_trim() gives back
 *	      (0 with page reporting off); empty slabs it also frees are
 *	      left out (they are in fsmblks).
 * So arena == uordblks + fordblks exactly, read in one pass; the parts
 * are read one after another while other threads allocate, so under
 * load the sum is a snapshot of moving figures (fordblks is cut to
 * arena where they cross).
 * malloc_info()'s system max and aspace figures, which glibc keeps as
 * the arena's peak and mapping: the memory umm has hot-added, which
 * grows with the peak heap a section at a time and is never removed, so
 * it bounds every arena figure umm has had.  malloc_stats()'s max mmap
 * regions/bytes are the peaks of hblks and hblkhd.
 *
 * Rules: figures are gathered first (inside the fork gate, under
 * slab_mutex and the slab and zone locks get_slabinfo() takes) and
 * printed after, with no allocator lock held, so that the FILE of
 * malloc_info() may allocate its buffer (malloc() is umm's).
 * malloc_stats() writes with write(2) and its own digits, as malloc.c
 * does its reports, after flushing stderr so its lines follow the
 * program's.
 * Lock order: the fork gate -> slab_mutex -> kmem_cache_node list_lock.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../mm/slab.h"
#include <umm/boot.h>
#include <umm/vmalloc.h>
#include "malloc_stats.h"

/*
 * Huge blocks: counted under huge_lock (inside the fork gate, so that no
 * fork() child inherits it held), so that mallinfo2() reads blocks and
 * pages of the same moment: a block counted without its pages would
 * break hblks <= hblkhd / 4096; a page run's bytes go into and out of
 * the slab counter here too (see huge_snapshot()).  Huge blocks are
 * rare and each costs a page run or a vmalloc area: the lock is nothing
 * beside that.
 */
static DEFINE_SPINLOCK(huge_lock);
static struct huge_figures {
	unsigned long blocks, pages, contig_pages;	/* live */
	unsigned long max_blocks, max_pages;		/* peaks of blocks and pages */
} huge;

void malloc_stat_huge(long blocks, unsigned long pages, struct page *run)
{
	unsigned long delta = blocks < 0 ? -pages : pages;

	umm_gate_enter();
	spin_lock(&huge_lock);
	huge.blocks += (unsigned long)blocks;
	huge.pages += delta;
	if (run) {
		huge.contig_pages += delta;
		mod_node_page_state(page_pgdat(run), NR_SLAB_UNRECLAIMABLE_B,
				    (long)(delta << PAGE_SHIFT));
	}
	if (huge.blocks > huge.max_blocks)
		huge.max_blocks = huge.blocks;
	if (huge.pages > huge.max_pages)
		huge.max_pages = huge.pages;
	spin_unlock(&huge_lock);
	umm_gate_exit();
}

static size_t slab_bytes(void)
{
	size_t sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += node_page_state(NODE_DATA(nid), NR_SLAB_RECLAIMABLE_B) +
		       node_page_state(NODE_DATA(nid), NR_SLAB_UNRECLAIMABLE_B);
	return sum;
}

/*
 * The huge figures and the slab bytes (*@slab) of one moment: a page
 * run's bytes join and leave the slab counter with its block under
 * huge_lock (malloc_stat_huge()), so that arena's slab bytes less the
 * runs' never count a run in one and not the other (a free between two
 * reads took its bytes off arena while contig_pages still had them:
 * uordblks fell to 0 with megabytes of small blocks in use).
 */
static struct huge_figures huge_snapshot(size_t *slab)
{
	struct huge_figures h;

	umm_gate_enter();
	spin_lock(&huge_lock);
	h = huge;
	*slab = umm_is_booted() ? slab_bytes() : 0;	/* no nodes before the boot */
	spin_unlock(&huge_lock);
	umm_gate_exit();
	return h;
}

void malloc_stat_vmalloc(const void *p, long blocks)
{
	struct vm_struct *vm = find_vm_area(p);

	if (vm)
		malloc_stat_huge(blocks, vm->nr_pages, NULL);
}

struct class_free {
	unsigned int from, to;	/* the request sizes the class serves */
	size_t count, bytes;
};

struct heap_figures {
	struct mallinfo2 mi;
	size_t managed;		/* memory hot-added: malloc_info()'s max and aspace */
	size_t max_hblks, max_hblkhd;
	unsigned int nr_classes;
	struct class_free classes[MALLOC_NR_CLASSES];
};

/* Free objects of @s and their bytes, as /proc/slabinfo counts them. */
static size_t cache_free_objects(struct kmem_cache *s, size_t *bytes)
{
	struct slabinfo si;
	size_t free;

	get_slabinfo(s, &si);
	free = si.num_objs > si.active_objs ? si.num_objs - si.active_objs : 0;
	*bytes = free * s->size;
	return free;
}

/* Every cache's free objects (smblks, fsmblks), and with @f each class's. */
static void gather_slabs(struct mallinfo2 *mi, struct heap_figures *f)
{
	struct kmem_cache *s;
	size_t bytes;

	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		mi->smblks += cache_free_objects(s, &bytes);
		mi->fsmblks += bytes;
	}
	for (unsigned int i = 0, size, from = 0; f && (s = malloc_class(i, &size)); i++) {
		struct class_free *c = &f->classes[i];

		c->from = from;
		c->to = size;
		c->count = cache_free_objects(s, &c->bytes);
		f->nr_classes = i + 1;
		from = size + 1;
	}
	mutex_unlock(&slab_mutex);
}

/* Held free pages (*@held), the free blocks (ordblks) and the memory hot-added. */
static void gather_pages(struct mallinfo2 *mi, size_t *held, size_t *managed)
{
	int nid;

	for_each_online_node(nid) {
		struct zone *zone;

		for_each_zone_in_node(zone, NODE_DATA(nid)) {
			size_t pcp;

			if (!managed_zone(zone))
				continue;
			pcp = (size_t)umm_zone_pcp_pages(zone);
			*held += __atomic_load_n(&zone->nr_unreported, __ATOMIC_RELAXED) + pcp;
			mi->ordblks += pcp;
			for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
				mi->ordblks += READ_ONCE(zone->free_area[order].nr_free);
			*managed += zone_managed_pages(zone);
		}
	}
	*held <<= PAGE_SHIFT;
	*managed <<= PAGE_SHIFT;
}

/* The figures of the head comment; @f also gets malloc_info()'s. */
static struct mallinfo2 gather(struct heap_figures *f)
{
	struct mallinfo2 mi = { 0 };
	size_t held = 0, managed = 0, contig, slab;
	struct huge_figures h;

	if (f)
		memset(f, 0, sizeof(*f));
	h = huge_snapshot(&slab);
	mi.hblks = h.blocks;
	mi.hblkhd = h.pages << PAGE_SHIFT;
	if (f) {
		f->max_hblks = h.max_blocks;
		f->max_hblkhd = h.max_pages << PAGE_SHIFT;
	}
	if (!umm_is_booted())
		return mi;	/* nothing allocated yet: no heap */
	umm_gate_enter();
	gather_slabs(&mi, f);
	gather_pages(&mi, &held, &managed);
	umm_gate_exit();
	contig = h.contig_pages << PAGE_SHIFT;
	mi.arena = (slab > contig ? slab - contig : 0) + held;
	mi.fordblks = mi.fsmblks + held;
	if (mi.fordblks > mi.arena)
		mi.fordblks = mi.arena;
	if (mi.fsmblks > mi.fordblks)
		mi.fsmblks = mi.fordblks;
	mi.uordblks = mi.arena - mi.fordblks;
	mi.keepcost = umm_cfg.page_reporting ? held : 0;
	if (f)
		f->managed = managed;
	return mi;
}

MALLOC_API struct mallinfo2 mallinfo2(void)
{
	return gather(NULL);
}

/* glibc's mallinfo() assigns each size_t to an int: the value modulo 2^32. */
MALLOC_API struct mallinfo mallinfo(void)
{
	struct mallinfo2 m2 = gather(NULL);
	struct mallinfo m = {
		.arena = (int)m2.arena,
		.ordblks = (int)m2.ordblks,
		.smblks = (int)m2.smblks,
		.hblks = (int)m2.hblks,
		.hblkhd = (int)m2.hblkhd,
		.usmblks = (int)m2.usmblks,
		.fsmblks = (int)m2.fsmblks,
		.uordblks = (int)m2.uordblks,
		.fordblks = (int)m2.fordblks,
		.keepcost = (int)m2.keepcost,
	};

	return m;
}

/* ---- malloc_stats(): glibc's lines, written with write(2) ---- */

struct stats_text {
	char buf[512];
	size_t len;
};

static void text_add(struct stats_text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n <= sizeof(t->buf)) {
		memcpy(t->buf + t->len, s, n);
		t->len += n;
	}
}

/* "%10lu": @v right-aligned in 10 columns. */
static void text_dec(struct stats_text *t, unsigned long v)
{
	char digits[24];
	int d = sizeof(digits) - 1;

	digits[d] = '\0';
	do {
		digits[--d] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (d > (int)sizeof(digits) - 1 - 10)
		digits[--d] = ' ';
	text_add(t, digits + d);
}

/* "LABEL = %10lu\n" */
static void text_line(struct stats_text *t, const char *label, unsigned long v)
{
	text_add(t, label);
	text_add(t, " = ");
	text_dec(t, v);
	text_add(t, "\n");
}

/*
 * glibc prints every figure but the last as %10u of an unsigned int
 * (the size_t cut to 32 bits) and sums the totals in unsigned int: the
 * casts below are its.
 */
MALLOC_API void malloc_stats(void)
{
	struct heap_figures f;
	struct mallinfo2 mi = gather(&f);
	struct stats_text t = { .len = 0 };
	unsigned int mmapped = (unsigned int)mi.hblkhd;

	text_add(&t, "Arena 0:\n");
	text_line(&t, "system bytes    ", (unsigned int)mi.arena);
	text_line(&t, "in use bytes    ", (unsigned int)mi.uordblks);
	text_add(&t, "Total (incl. mmap):\n");
	text_line(&t, "system bytes    ", (unsigned int)(mmapped + (unsigned int)mi.arena));
	text_line(&t, "in use bytes    ", (unsigned int)(mmapped + (unsigned int)mi.uordblks));
	text_line(&t, "max mmap regions", (unsigned int)f.max_hblks);
	text_line(&t, "max mmap bytes  ", (unsigned long)f.max_hblkhd);
	fflush(stderr);
	for (size_t off = 0; off < t.len;) {
		ssize_t n = write(STDERR_FILENO, t.buf + off, t.len - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
}

/* ---- malloc_info(): glibc's XML ---- */

/* The figures of the heap and of the whole, in glibc's order. */
static void info_totals(FILE *fp, const struct heap_figures *f, bool mmap)
{
	const struct mallinfo2 *mi = &f->mi;

	fprintf(fp, "<total type=\"fast\" count=\"%zu\" size=\"%zu\"/>\n", mi->smblks,
		mi->fsmblks);
	fprintf(fp, "<total type=\"rest\" count=\"%zu\" size=\"%zu\"/>\n", mi->ordblks,
		mi->fordblks - mi->fsmblks);
	if (mmap)
		fprintf(fp, "<total type=\"mmap\" count=\"%zu\" size=\"%zu\"/>\n", mi->hblks,
			mi->hblkhd);
	fprintf(fp, "<system type=\"current\" size=\"%zu\"/>\n", mi->arena);
	fprintf(fp, "<system type=\"max\" size=\"%zu\"/>\n", f->managed);
	fprintf(fp, "<aspace type=\"total\" size=\"%zu\"/>\n", f->managed);
	fprintf(fp, "<aspace type=\"mprotect\" size=\"%zu\"/>\n", f->managed);
}

/*
 * One heap: its <sizes> are the size classes that hold free objects
 * (from, to: the request sizes a class serves), then its totals; then
 * the totals of the whole with the huge blocks as glibc's mmap.
 * Options other than 0: -1 and EINVAL, as malloc_info(3) says (glibc
 * 2.36 returns EINVAL itself and leaves errno alone).
 */
MALLOC_API int malloc_info(int options, FILE *fp)
{
	struct heap_figures f;

	if (options != 0 || !fp) {
		errno = EINVAL;
		return -1;
	}
	f.mi = gather(&f);
	/* Nothing held from here on: fputs() may allocate the FILE's buffer. */
	fputs("<malloc version=\"1\">\n<heap nr=\"0\">\n<sizes>\n", fp);
	for (unsigned int i = 0; i < f.nr_classes; i++) {
		const struct class_free *c = &f.classes[i];

		if (c->count)
			fprintf(fp, "  <size from=\"%u\" to=\"%u\" total=\"%zu\" count=\"%zu\"/>\n",
				c->from, c->to, c->bytes, c->count);
	}
	fputs("</sizes>\n", fp);
	info_totals(fp, &f, false);
	fputs("</heap>\n", fp);
	info_totals(fp, &f, true);
	fputs("</malloc>\n", fp);
	return 0;
}
