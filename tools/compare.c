// SPDX-License-Identifier: GPL-2.0
/*
 * compare.c - `umm compare-slab`: one workload on the classic SLAB
 * allocator (umm.slab=slab, mm/slab.c) and on SLUB (mm/slub.c), booted
 * one after the other in this process, and what differs: objects per
 * slab, wasted bytes, colouring, the per-CPU caches' contents, each
 * node's lists (umm_slab_describe()), /proc/slabinfo of both, and a
 * table side by side.
 *
 * The workload is fixed (no randomness), so two runs print the same but
 * for addresses and CPU numbers: four caches shaped like the kernel's
 * (dentry, inode_cache, buffer_head, and LKD3's task_struct example as
 * lkd3_task: umm has a task_struct cache of its own) get 1000 objects each
 * and lose every third; kmalloc serves 400 sizes from 8 to 700 bytes and
 * frees every other.  Owns nothing global but the figures it gathers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umm.h>
#include "compare.h"
#include "proc_text.h"
#include "run.h"

#define NR_OBJS		1000
#define NR_KMALLOC	400

struct shape {
	const char *name;
	unsigned int size, align;
	slab_flags_t flags;
	const char *what;
};

static const struct shape shapes[] = {
	{ "dentry", 192, 0, SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT, "192 B, HWCACHE_ALIGN" },
	{ "inode_cache", 600, 0, 0, "600 B" },
	{ "lkd3_task", 1800, ARCH_MIN_TASKALIGN, 0, "1800 B, aligned 16" },
	{ "buffer_head", 104, 0, 0, "104 B" },
};
#define NR_SHAPES (sizeof(shapes) / sizeof(shapes[0]))

/* One cache's figures under one allocator, from /proc/slabinfo and the description. */
struct figures {
	unsigned long active, objs, objsize, per_slab, pages, slabs, waste;
};

static struct figures fig[2][NR_SHAPES];	/* [0] SLAB, [1] SLUB */

static unsigned long line_value(const char *text, const char *key)
{
	const char *at = strstr(text, key);

	return at ? strtoul(at + strlen(key), NULL, 10) : 0;
}

static void print_slabinfo(struct figures *f)
{
	int err;
	char *text = proc_text("/proc/slabinfo", NULL, &err);
	char *line, *save = NULL;

	if (!text) {
		printf("(/proc/slabinfo: error %d)\n", err);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		struct figures one;

		if (line[0] == 's' || line[0] == '#') {	/* the two header lines */
			printf("%s\n", line);
			continue;
		}
		if (sscanf(line, "%63s %lu %lu %lu %lu %lu", name, &one.active, &one.objs,
			   &one.objsize, &one.per_slab, &one.pages) != 6)
			continue;
		for (size_t i = 0; i < NR_SHAPES; i++) {
			if (strcmp(name, shapes[i].name))
				continue;
			printf("%s\n", line);
			f[i].active = one.active;
			f[i].objs = one.objs;
			f[i].objsize = one.objsize;
			f[i].per_slab = one.per_slab;
			f[i].pages = one.pages;
			f[i].slabs = line_value(line, ": slabdata ");
			if (!f[i].slabs && one.objs)
				f[i].slabs = one.objs / one.per_slab;
		}
	}
	free(text);
}

/* The workload, the descriptions, slabinfo; the caches go again after. */
static int workload(struct figures *f)
{
	static void *objs[NR_SHAPES][NR_OBJS], *km[NR_KMALLOC];
	struct kmem_cache *caches[NR_SHAPES];
	static char buf[1 << 14];
	int ret = 0;

	for (size_t i = 0; i < NR_SHAPES; i++) {
		caches[i] = kmem_cache_create(shapes[i].name, shapes[i].size, shapes[i].align,
					      shapes[i].flags | SLAB_NO_MERGE, NULL);
		if (!caches[i]) {
			fprintf(stderr, "umm: compare-slab: cannot create %s\n", shapes[i].name);
			return 1;
		}
		for (int k = 0; k < NR_OBJS; k++)
			objs[i][k] = kmem_cache_alloc(caches[i], GFP_KERNEL);
		for (int k = 0; k < NR_OBJS; k += 3) {
			kmem_cache_free(caches[i], objs[i][k]);
			objs[i][k] = NULL;
		}
	}
	for (int k = 0; k < NR_KMALLOC; k++)
		km[k] = kmalloc(8 + (size_t)(k * 37) % 693, GFP_KERNEL);
	for (int k = 0; k < NR_KMALLOC; k += 2) {
		kfree(km[k]);
		km[k] = NULL;
	}
	for (size_t i = 0; i < NR_SHAPES; i++) {
		printf("--- %s (%s) ---\n", shapes[i].name, shapes[i].what);
		if (umm_slab_describe(caches[i], buf, sizeof(buf)) < 0) {
			ret = 1;
			continue;
		}
		fputs(buf, stdout);
		f[i].waste = line_value(buf, "wasted per slab: ");
	}
	printf("--- /proc/slabinfo (these caches) ---\n");
	print_slabinfo(f);
	for (int k = 0; k < NR_KMALLOC; k++)
		kfree(km[k]);
	for (size_t i = 0; i < NR_SHAPES; i++) {
		for (int k = 0; k < NR_OBJS; k++)
			if (objs[i][k])
				kmem_cache_free(caches[i], objs[i][k]);
		kmem_cache_destroy(caches[i]);
	}
	return ret;
}

static int run_on(const char *cmdline, const char *which, struct figures *f)
{
	char *line = cmdline_join(cmdline, which);
	int err = umm_boot(line);

	free(line);
	if (err) {
		fprintf(stderr, "umm: compare-slab: boot with %s failed (%d)\n", which, err);
		return 1;
	}
	err = workload(f);
	if (umm_slab_check())
		err = 1;
	umm_shutdown();
	return err;
}

static void print_table(void)
{
	printf("%-12s %11s %11s %15s %11s %13s\n", "", "objs/slab", "pages/slab",
	       "wasted B/slab", "slabs", "memory KiB");
	printf("%-12s %5s %5s %5s %5s %7s %7s %5s %5s %6s %6s\n", "cache", "SLAB", "SLUB",
	       "SLAB", "SLUB", "SLAB", "SLUB", "SLAB", "SLUB", "SLAB", "SLUB");
	unsigned long total[2] = { 0, 0 };

	for (size_t i = 0; i < NR_SHAPES; i++) {
		const struct figures *a = &fig[0][i], *b = &fig[1][i];

		printf("%-12s %5lu %5lu %5lu %5lu %7lu %7lu %5lu %5lu %6lu %6lu\n",
		       shapes[i].name, a->per_slab, b->per_slab, a->pages, b->pages, a->waste,
		       b->waste, a->slabs, b->slabs, a->slabs * a->pages * 4, b->slabs * b->pages * 4);
		total[0] += a->slabs * a->pages * 4;
		total[1] += b->slabs * b->pages * 4;
	}
	printf("%-12s %55s %6lu %6lu\n", "total", "", total[0], total[1]);
}

int cmd_compare_slab(const char *cmdline)
{
	int ret;

	printf("umm compare-slab: one workload on the classic SLAB allocator (umm.slab=slab,\n"
	       "mm/slab.c as Linux 6.7 had it) and on SLUB (umm.slab=slub, the default).\n"
	       "Workload: %d objects each of", NR_OBJS);
	for (size_t i = 0; i < NR_SHAPES; i++)
		printf("%s %s (%s)", i ? (i + 1 == NR_SHAPES ? " and" : ",") : "", shapes[i].name,
		       shapes[i].what);
	printf(", every third freed;\n%d kmallocs of 8 to 700 bytes, every other freed.\n\n",
	       NR_KMALLOC);
	printf("==== SLAB ====\n");
	ret = run_on(cmdline, "umm.slab=slab", fig[0]);
	printf("\n==== SLUB ====\n");
	ret |= run_on(cmdline, "umm.slab=slub", fig[1]);
	printf("\n==== side by side ====\n");
	print_table();
	printf("\nSLAB takes the first slab order that wastes at most an eighth (up to\n"
	       "slab_max_order), keeps an index freelist per slab and a colour offset at\n"
	       "its start, and holds freed objects in the per-CPU and shared arrays:\n"
	       "slabinfo counts those as active.  SLUB sizes slabs for enough objects a\n"
	       "slab (slub_min_objects, up to order 3), keeps each free object's free\n"
	       "pointer inside it, and allocates from one cpu slab per CPU (per thread\n"
	       "in umm), its sheaf and its cpu partial slabs.\n");
	return ret;
}
