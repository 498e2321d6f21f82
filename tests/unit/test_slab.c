// SPDX-License-Identifier: GPL-2.0
/*
 * test_slab.c - unit tests of the classic SLAB allocator (mm/slab.c,
 * umm.slab=slab): the slab layout (objects per slab, order, where the
 * freelist lives, slab_max_order=), colouring across consecutive slabs,
 * the per-CPU arrays moving batchcount objects on refill and flush,
 * cache_reap() sparing a touched array once, free slabs above free_limit
 * going back to the buddy allocator, alien frees going home with
 * numa=fake=2, the /proc/slabinfo tunables write, the globalstat and
 * cpustat columns, and the debugging reports.  What every allocator must
 * do is test_slub's, run on both.
 *
 * Tests that look at one CPU's array pin the thread to the CPU it is on,
 * and read smp_processor_id() until its cached answer is the new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include "tests/test.h"
#include "mm/slab.h"

#define CHECK_SLAB() ASSERT_EQ(umm_slab_check(), 0)

static void boot(const char *cmdline)
{
	char line[256];

	umm_shutdown();
	snprintf(line, sizeof(line), "umm.slab=slab %s", cmdline);
	ASSERT_EQ(umm_boot(line), 0);
	ASSERT(slab_classic);
}

static cpu_set_t saved_cpus;

/* Stay on one CPU; its number as umm sees it. */
static unsigned int pin_cpu(void)
{
	cpu_set_t one;

	sched_getaffinity(0, sizeof(saved_cpus), &saved_cpus);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	for (int i = 0; i < 128; i++)	/* host_cpu() caches sched_getcpu() a while */
		(void)smp_processor_id();
	return smp_processor_id();
}

static void unpin_cpu(void)
{
	sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);
}

static ssize_t tune(const char *line)
{
	return umm_proc_write("/proc/slabinfo", line, strlen(line));
}

/* The /proc/slabinfo line of cache @name, from its name on, or "". */
static const char *slabinfo_line(const char *name, char *buf, size_t size)
{
	char key[80];
	char *at, *end;

	umm_proc_read("/proc/slabinfo", buf, size);
	snprintf(key, sizeof(key), "\n%s ", name);
	at = strstr(buf, key);
	if (!at)
		return "";
	end = strchr(at + 1, '\n');
	if (end)
		*end = '\0';
	return at + 1;
}

/* What pr_err() writes meanwhile, caught from fd 2. */
static char report[1 << 16];
static int saved_fd2 = -1, report_fd = -1;

static void catch_reports(void)
{
	char path[] = "/tmp/test_slab.XXXXXX";

	fflush(stderr);
	report_fd = mkstemp(path);
	unlink(path);
	saved_fd2 = dup(2);
	dup2(report_fd, 2);
}

static void end_reports(void)
{
	ssize_t n;

	fflush(stderr);
	dup2(saved_fd2, 2);
	close(saved_fd2);
	n = pread(report_fd, report, sizeof(report) - 1, 0);
	report[n > 0 ? n : 0] = '\0';
	close(report_fd);
}

#define EXPECT_REPORT(text)	EXPECT_IN(report, text)

/* The geometry calculate_slab_order() and the freelist placement choose. */
TEST(test_layout)
{
	char buf[1 << 16];
	struct kmem_cache *s;
	void *p;

	boot("mem=64M");
	/* kmalloc-32: 128 would fit, but the freelist shares the page: 4096 / 34. */
	s = kmalloc_caches[KMALLOC_NORMAL][5];
	EXPECT_EQ(s->num, 120);
	EXPECT_EQ(s->gfporder, 0);
	EXPECT(!OBJFREELIST_SLAB(s) && !OFF_SLAB(s));	/* on-slab */
	EXPECT_EQ(s->colour, (4096 - 120 * 34) / 64);
	/* kmalloc-1k: the freelist (8 bytes) in a free object. */
	s = kmalloc_caches[KMALLOC_NORMAL][10];
	EXPECT_EQ(s->num, 4);
	EXPECT(OBJFREELIST_SLAB(s));
	EXPECT(strstr(slabinfo_line("kmalloc-1k", buf, sizeof(buf)),
		      "   1024    4    1 : tunables   54   27 "));
	/* Without a ctor, 2 KiB objects keep the freelist in one of them too. */
	s = kmem_cache_create("test_objfreelist", 2048, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(s->num, 2);
	EXPECT(OBJFREELIST_SLAB(s));
	kmem_cache_destroy(s);
	/* 3000 bytes: order 0 wastes 1096 (over 1/8), order 1 is slab_max_order. */
	s = kmem_cache_create("test_order", 3000, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(s->gfporder, 1);
	EXPECT_EQ(s->num, 2);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	EXPECT_EQ(ksize(p), 3000);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	CHECK_SLAB();
	boot("mem=64M slab_max_order=0");
	s = kmem_cache_create("test_order", 3000, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(s->gfporder, 0);
	EXPECT_EQ(s->num, 1);
	kmem_cache_destroy(s);
	umm_shutdown();
	EXPECT_EQ(umm_boot("umm.slab=slab slab_max_order=11"), -EINVAL);
	EXPECT_EQ(umm_boot("umm.slab=slob"), -EINVAL);
}

static void ctor_fill(void *p)
{
	memset(p, 0x33, 2048);
}

/* OFF_SLAB: a ctor'd cache whose freelist saves an object off the slab. */
TEST(test_off_slab)
{
	struct kmem_cache *s;
	struct page *slab;
	unsigned char *p;

	boot("mem=64M");
	s = kmem_cache_create("test_offslab", 2048, 0, 0, ctor_fill);
	ASSERT(s);
	EXPECT_EQ(s->num, 2);
	EXPECT(OFF_SLAB(s));
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	EXPECT_EQ(p[0], 0x33);
	EXPECT_EQ(p[2047], 0x33);
	slab = virt_to_slab(p);
	ASSERT(slab);
	/* The freelist is a kmalloc object, outside the slab's pages. */
	EXPECT(virt_to_slab(slab->freelist) != slab);
	EXPECT(virt_to_slab(slab->freelist)->slab_cache == s->freelist_cache);
	kmem_cache_free(s, p);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* cache_grow_begin(): consecutive slabs start at the next colour. */
TEST(test_colour_cycle)
{
	static void *objs[200];
	struct page *slabs[50];
	unsigned int nslabs = 0;
	struct kmem_cache *s;

	boot("mem=64M");
	/* 900 bytes: 4 a page, 496 left: colours 0..6, 64 bytes apart. */
	s = kmem_cache_create("test_colour", 900, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(s->num, 4);
	EXPECT_EQ(s->colour, 7);
	EXPECT_EQ(s->colour_off, 64);
	for (unsigned int i = 0; i < 160; i++) {
		struct page *slab;
		unsigned int k;

		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
		slab = virt_to_slab(objs[i]);
		for (k = 0; k < nslabs && slabs[k] != slab; k++)
			;
		if (k == nslabs && nslabs < 50)
			slabs[nslabs++] = slab;
	}
	EXPECT_EQ(nslabs, 40);
	/* colour_next steps before use: the first slab gets colour 1. */
	for (unsigned int k = 0; k < nslabs; k++) {
		unsigned long off = (unsigned long)((char *)slabs[k]->s_mem -
						    (char *)slab_address(slabs[k]));

		EXPECT_EQ(off, ((k + 1) % 7) * 64);
	}
	for (unsigned int i = 0; i < 160; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* cache_alloc_refill() and cache_flusharray() move batchcount objects. */
TEST(test_refill_and_flush_batchcount)
{
	static void *objs[100];
	struct kmem_cache_node *n;
	struct array_cache *ac;
	struct kmem_cache *s;
	unsigned long before;
	unsigned int cpu;

	boot("mem=64M");
	s = kmem_cache_create("test_batch", 64, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	/* No shared array, so that a flush goes to the slabs. */
	EXPECT_EQ(tune("test_batch 20 10 0"), 18);
	n = get_node(s, 0);
	cpu = pin_cpu();
	ac = cpu_cache_get_on(s, cpu);
	EXPECT_EQ(ac->limit, 20);
	EXPECT_EQ(ac->batchcount, 10);
	ASSERT((objs[0] = kmem_cache_alloc(s, GFP_KERNEL)));
	EXPECT_EQ(ac->avail, 10 - 1);	/* a refill of 10, one handed out */
	for (int i = 1; i < 10; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	EXPECT_EQ(ac->avail, 0);
	before = n->free_objects;
	ASSERT((objs[10] = kmem_cache_alloc(s, GFP_KERNEL)));
	EXPECT_EQ(ac->avail, 9);
	EXPECT_EQ(before - n->free_objects, 10);	/* 10 left the slabs */
	for (int i = 11; i < 40; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	/* Free until the array is full; the next free flushes 10. */
	for (int i = 0; i < 40 && ac->avail < ac->limit; i++) {
		kmem_cache_free(s, objs[i]);
		objs[i] = NULL;
	}
	EXPECT_EQ(ac->avail, 20);
	before = n->free_objects;
	for (int i = 0; i < 40; i++) {
		if (objs[i]) {
			kmem_cache_free(s, objs[i]);
			objs[i] = NULL;
			break;
		}
	}
	EXPECT_EQ(ac->avail, 20 - 10 + 1);
	EXPECT_EQ(n->free_objects - before, 10);
	unpin_cpu();
	for (int i = 0; i < 40; i++)
		if (objs[i])
			kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* cache_reap(): a touched array is spared once, then drained a fifth. */
TEST(test_reap_spares_touched)
{
	static void *objs[30];
	struct array_cache *ac;
	struct kmem_cache *s;
	unsigned int cpu;

	boot("mem=64M");
	s = kmem_cache_create("test_reap", 128, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(tune("test_reap 30 15 0"), 17);
	cpu = pin_cpu();
	ac = cpu_cache_get_on(s, cpu);
	for (int i = 0; i < 30; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	for (int i = 0; i < 20; i++)
		kmem_cache_free(s, objs[i]);
	ASSERT(ac->avail >= 20);
	unsigned int avail = ac->avail;
	EXPECT_EQ(ac->touched, 1);
	slab_cache_reap(cpu);
	EXPECT_EQ(ac->touched, 0);
	EXPECT_EQ(ac->avail, avail);
	slab_cache_reap(cpu);
	EXPECT_EQ(ac->avail, avail - (30 + 4) / 5);
	/* An allocation touches it again: spared again. */
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	avail = ac->avail;
	slab_cache_reap(cpu);
	EXPECT_EQ(ac->avail, avail);
	kmem_cache_free(s, p);
	unpin_cpu();
	for (int i = 20; i < 30; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* free_block(): free slabs beyond free_limit go back to the buddy allocator. */
TEST(test_free_limit)
{
	static void *objs[4000];
	struct kmem_cache_node *n;
	struct kmem_cache *s;
	unsigned long free0, slabs_full;

	boot("mem=64M");
	s = kmem_cache_create("test_limit", 256, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(tune("test_limit 16 8 0"), 17);
	n = get_node(s, 0);
	EXPECT_EQ(n->free_limit, (1 + slab_nr_cpus_node(0)) * 8 + s->num);
	drain_all_pages(NULL);
	free0 = nr_free_pages() + umm_pcp_pages();
	for (int i = 0; i < 4000; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	slabs_full = n->total_slabs;
	EXPECT(slabs_full >= 4000 / s->num);
	for (int i = 0; i < 4000; i++)
		kmem_cache_free(s, objs[i]);
	/* What stays: at most free_limit free objects' worth of free slabs. */
	EXPECT(n->free_objects <= n->free_limit);
	EXPECT(n->free_slabs * s->num <= n->free_limit);
	EXPECT(n->total_slabs < slabs_full / 10);
	drain_all_pages(NULL);
	EXPECT(nr_free_pages() + umm_pcp_pages() + n->total_slabs + 1 >= free0);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_shrink(s), 0);
	EXPECT_EQ(n->total_slabs, 0);
	drain_all_pages(NULL);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), free0);
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* numa=fake=2: a node-1 object freed on a node-0 CPU goes home via the alien cache. */
TEST(test_alien_free)
{
	static void *objs[40];
	struct kmem_cache_node *n0, *n1;
	struct kmem_cache *s;
	unsigned int cpu;
	int node;

	boot("mem=128M numa=fake=2");
	s = kmem_cache_create("test_alien", 192, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	cpu = pin_cpu();
	node = cpu_to_node(cpu);
	n0 = get_node(s, node);
	n1 = get_node(s, !node);
	ASSERT(n0->alien && n0->alien[!node]);
	EXPECT_EQ(n0->alien[!node]->limit, 12);
	for (int i = 0; i < 40; i++) {
		ASSERT((objs[i] = kmem_cache_alloc_node(s, GFP_KERNEL, !node)));
		EXPECT_EQ(slab_nid(virt_to_slab(objs[i])), !node);
	}
	EXPECT_EQ(n1->free_objects + 40, n1->total_slabs * s->num);
	for (int i = 0; i < 12; i++)
		kmem_cache_free(s, objs[i]);
	EXPECT_EQ(n0->alien[!node]->avail, 12);
	EXPECT_EQ(cpu_cache_get_on(s, cpu)->avail, 0);	/* none in the local array */
	/* The 13th overflows the alien cache: the 12 go home first. */
	kmem_cache_free(s, objs[12]);
	EXPECT_EQ(n0->alien[!node]->avail, 1);
	EXPECT_EQ(n1->free_objects + 28 + (n1->shared ? n1->shared->avail : 0),
		  n1->total_slabs * s->num);
	for (int i = 13; i < 40; i++)
		kmem_cache_free(s, objs[i]);
	/* The reaper drains the alien caches, one node a run. */
	slab_cache_reap(cpu);
	slab_cache_reap(cpu);
	EXPECT_EQ(n0->alien[!node]->avail, 0);
	EXPECT_EQ(n1->free_objects + (n1->shared ? n1->shared->avail : 0),
		  n1->total_slabs * s->num);
	EXPECT_EQ(n0->total_slabs, 0);	/* nothing of node 1 came to node 0 */
	unpin_cpu();
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* slabinfo_write(): "NAME LIMIT BATCHCOUNT SHARED". */
TEST(test_tunables_write)
{
	char buf[1 << 16], big[200];
	struct kmem_cache *s;
	void *p;

	boot("mem=64M");
	s = kmem_cache_create("test_tune", 100, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(s->limit, 120);
	EXPECT_EQ(s->batchcount, 60);
	EXPECT_EQ(s->shared, nr_cpu_ids > 1 ? 8 : 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	EXPECT_EQ(tune("test_tune 32 16 2"), 17);
	EXPECT_EQ(s->limit, 32);
	EXPECT_EQ(s->batchcount, 16);
	EXPECT_EQ(s->shared, 2);
	EXPECT_EQ(get_node(s, 0)->shared->limit, 2 * 16);
	EXPECT_EQ(get_node(s, 0)->free_limit, (1 + slab_nr_cpus_node(0)) * 16 + s->num);
	EXPECT(strstr(slabinfo_line("test_tune", buf, sizeof(buf)),
		      ": tunables   32   16    2 : slabdata"));
	/* Refused quietly, as the kernel does: success, nothing changes. */
	EXPECT_EQ(tune("test_tune 10 20 1"), 17);	/* batchcount above limit */
	EXPECT_EQ(tune("test_tune 0 1 1"), 15);
	EXPECT_EQ(tune("test_tune 8 0 1"), 15);
	EXPECT_EQ(tune("test_tune 8 4 -1"), 16);
	EXPECT_EQ(s->limit, 32);
	EXPECT_EQ(s->batchcount, 16);
	EXPECT_EQ(s->shared, 2);
	/* Malformed, or no such cache: -EINVAL. */
	EXPECT_EQ(tune("no_such_cache 8 4 1"), -EINVAL);
	EXPECT_EQ(tune("test_tune 8 4"), -EINVAL);
	EXPECT_EQ(tune("test_tune"), -EINVAL);
	EXPECT_EQ(tune("test_tune a b c"), -EINVAL);
	EXPECT_EQ(tune("test_tune 8 4 1 9"), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	EXPECT_EQ(tune(big), -EINVAL);
	EXPECT_EQ(s->limit, 32);
	/* The old arrays' objects went back; the cache works on. */
	kmem_cache_free(s, p);
	for (int i = 0; i < 200; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		ASSERT(p);
		kmem_cache_free(s, p);
	}
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	/* SLUB's /proc/slabinfo takes no writes. */
	umm_shutdown();
	ASSERT_EQ(umm_boot("umm.slab=slub mem=64M"), 0);
	EXPECT_EQ(tune("kmalloc-64 8 4 1"), -EACCES);
	umm_shutdown();
}

/* umm.slab_stats=1: CONFIG_DEBUG_SLAB's globalstat and cpustat columns. */
TEST(test_slabinfo_stats)
{
	char buf[1 << 16];
	unsigned long v[13];
	struct kmem_cache *s;
	const char *line;
	void *objs[50];

	boot("mem=64M umm.slab_stats=1");
	s = kmem_cache_create("test_stats", 64, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	for (int i = 0; i < 50; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	for (int i = 0; i < 50; i++)
		kmem_cache_free(s, objs[i]);
	umm_proc_read("/proc/slabinfo", buf, sizeof(buf));
	EXPECT(strstr(buf, " : globalstat <listallocs> <maxobjs> <grown> <reaped> <error> "
			   "<maxfreeable> <nodeallocs> <remotefrees> <alienoverflow> : cpustat "
			   "<allochit> <allocmiss> <freehit> <freemiss>\n"));
	line = strstr(slabinfo_line("test_stats", buf, sizeof(buf)), ": globalstat");
	ASSERT(line);
	ASSERT_EQ(sscanf(line, ": globalstat %lu %lu %lu %lu %lu %lu %lu %lu %lu : cpustat %lu %lu %lu %lu",
			 &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9],
			 &v[10], &v[11], &v[12]), 13);
	EXPECT(v[0] >= 50);		/* listallocs: objects taken from slabs */
	EXPECT(v[1] >= 50);		/* maxobjs */
	EXPECT(v[2] >= 1);		/* grown */
	EXPECT_EQ(v[9] + v[10], 50);	/* allochit + allocmiss */
	EXPECT_EQ(v[11] + v[12], 50);	/* freehit + freemiss */
	kmem_cache_destroy(s);
	umm_shutdown();
}

/* SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER and SLAB's words. */
TEST(test_debug_reports)
{
	struct kmem_cache *s;
	unsigned char *p, *q;

	boot("mem=64M");
	s = kmem_cache_create("test_dbg", 40, 0, SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			      NULL);
	ASSERT(s);
	EXPECT_EQ(s->obj_offset, 8);
	EXPECT_EQ(s->size, 40 + 16 + 8);
	/* An allocated object is POISON_INUSE, its last byte POISON_END. */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	EXPECT_EQ(p[0], POISON_INUSE);
	EXPECT_EQ(p[39], POISON_END);
	EXPECT_EQ(ksize(p), 40);
	/* Writing past the end: the free reports the red zone, frees anyway. */
	catch_reports();
	p[40] = 0;
	kmem_cache_free(s, p);
	end_reports();
	EXPECT_REPORT("slab error in cache_free_debugcheck(): cache `test_dbg': memory outside object was overwritten");
	EXPECT_REPORT(": redzone 1:0xd84156c5635688c0, redzone 2:0xd84156c563568800");
	/* A double free: refused. */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	kmem_cache_free(s, p);
	catch_reports();
	kmem_cache_free(s, p);
	end_reports();
	EXPECT_REPORT("cache `test_dbg': double free detected");
	EXPECT_REPORT("redzone 1:0x9f911029d74e35b, redzone 2:0x9f911029d74e35b");
	/* Use after free: the next allocation of it finds its poison changed. */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	kmem_cache_free(s, p);
	p[5] = 0x42;
	catch_reports();
	q = kmem_cache_alloc(s, GFP_KERNEL);	/* the array's hottest: p again */
	end_reports();
	EXPECT(q == p);
	EXPECT_REPORT("Slab corruption (Not tainted): test_dbg start=");
	EXPECT_REPORT(", len=40");
	EXPECT_REPORT("000: 6b 6b 6b 6b 6b 42 6b");
	EXPECT_REPORT("Last user: (");
	kmem_cache_free(s, q);
	/* A pointer into an object is no object. */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	catch_reports();
	kmem_cache_free(s, q + 4);
	end_reports();
	EXPECT_REPORT("invalid object pointer");
	kmem_cache_free(s, q);
	EXPECT_EQ(kmem_cache_validate(s), 0);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* The invariant checker notices each kind of damage (and the cache is mended after). */
TEST(test_checker_catches)
{
	struct kmem_cache_node *n;
	struct array_cache *ac;
	struct kmem_cache *s;
	struct page *slab;
	void *objs[8], *saved;
	unsigned int cpu;

	boot("mem=64M loglevel=0");
	s = kmem_cache_create("test_check", 128, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(tune("test_check 16 8 0"), 17);
	n = get_node(s, 0);
	cpu = pin_cpu();
	ac = cpu_cache_get_on(s, cpu);
	for (int i = 0; i < 8; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	for (int i = 0; i < 4; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	/* A count that disagrees with the lists. */
	n->free_objects++;
	EXPECT_EQ(umm_slab_check(), -EUCLEAN);
	n->free_objects--;
	/* One object twice in an array. */
	ASSERT(ac->avail >= 2);
	saved = ac->entry[0];
	ac->entry[0] = ac->entry[1];
	EXPECT_EQ(umm_slab_check(), -EUCLEAN);
	ac->entry[0] = saved;
	/* A slab whose active count disagrees with its node's free objects. */
	slab = virt_to_slab(objs[4]);
	slab->active--;
	EXPECT_EQ(umm_slab_check(), -EUCLEAN);
	slab->active++;
	CHECK_SLAB();
	unpin_cpu();
	for (int i = 4; i < 8; i++)
		kmem_cache_free(s, objs[i]);
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

/* failslab fails SLAB's allocations as SLUB's. */
TEST(test_failslab)
{
	struct kmem_cache *s;
	int failed = 0;

	boot("mem=64M failslab=1,100,0,5 failslab.ignore-gfp-wait=0 loglevel=0");
	s = kmem_cache_create("test_fail", 64, 0, SLAB_NO_MERGE, NULL);
	if (!s) {	/* creation itself may be failed by failslab */
		umm_shutdown();
		return;
	}
	for (int i = 0; i < 10; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		failed += !p;
		if (p)
			kmem_cache_free(s, p);
	}
	EXPECT(failed >= 1 && failed <= 5);
	CHECK_SLAB();
	umm_shutdown();
}

int main(void)
{
	RUN(test_layout);
	RUN(test_off_slab);
	RUN(test_colour_cycle);
	RUN(test_refill_and_flush_batchcount);
	RUN(test_reap_spares_touched);
	RUN(test_free_limit);
	RUN(test_alien_free);
	RUN(test_tunables_write);
	RUN(test_slabinfo_stats);
	RUN(test_debug_reports);
	RUN(test_checker_catches);
	RUN(test_failslab);
	TEST_EXIT();
}
