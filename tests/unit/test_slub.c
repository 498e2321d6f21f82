// SPDX-License-Identifier: GPL-2.0
/*
 * test_slub.c - unit tests of the slab layer (mm/slub.c, mm/slab_common.c):
 * caches, ctor semantics, alignment, merging, shrink and destroy, the
 * kmalloc size classes and helpers, /proc/slabinfo, and the checker.
 */
#include <errno.h>
#include <pthread.h>
#include "tests/test.h"
#include "mm/slab.h"
#include <umm/vmalloc.h>

static void boot(const char *cmdline)
{
	const char *env = getenv("UMM_CMDLINE");

	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
	/* test_slub_slab: the same tests on mm/slab.c. */
	ASSERT_EQ(slab_classic, env && strstr(env, "umm.slab=slab"));
}

#define CHECK_SLAB() ASSERT_EQ(umm_slab_check(), 0)

static unsigned long cache_slabs(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return si.num_slabs;
}

/* Objects per slab and slab order, whichever allocator runs (umm.slab=). */
static unsigned int per_slab(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return si.objects_per_slab;
}

static unsigned int slab_order_of(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return si.cache_order;
}

static unsigned long cache_active(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return si.active_objs;
}

/* LKD3's example (chapter 12), as written, given the struct. */
struct task_struct {
	long state;
	void *stack;
	int pid;
	char comm[16];
	struct list_head tasks;
	char padding[1800];
};

static struct task_struct *lkd3_example(void)
{
	struct kmem_cache *task_struct_cachep;
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct), ARCH_MIN_TASKALIGN, SLAB_PANIC | SLAB_NOTRACK, NULL);
	struct task_struct *tsk;
	tsk = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	if (!tsk) {
		return NULL;
	}
	kmem_cache_free(task_struct_cachep, tsk);
	int err;
	err = kmem_cache_destroy(task_struct_cachep);
	if(err) {
		return NULL;
	}
	return tsk;
}

TEST(test_lkd3_example)
{
	boot("mem=64M");
	EXPECT(lkd3_example() != NULL);
	CHECK_SLAB();
	umm_shutdown();
}

TEST(test_alloc_free_alignment)
{
	struct kmem_cache *s;
	void *objs[1000];

	boot("mem=64M");
	s = kmem_cache_create("test_obj", 100, 0, SLAB_HWCACHE_ALIGN | SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(kmem_cache_size(s), 100);
	EXPECT_EQ(s->size % 64, 0);
	for (int i = 0; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		ASSERT(objs[i]);
		EXPECT_EQ((unsigned long)objs[i] % 64, 0);
		memset(objs[i], i, 100);
		for (int j = 0; j < i; j += 97)
			EXPECT(objs[j] != objs[i]);
	}
	for (int i = 0; i < 1000; i++) {
		EXPECT_EQ(((unsigned char *)objs[i])[99], (unsigned char)i);
		EXPECT(virt_to_slab(objs[i])->slab_cache == s);
	}
	EXPECT_EQ(cache_active(s) >= 1000, 1);
	CHECK_SLAB();
	for (int i = 0; i < 1000; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);

	/* An explicit alignment is honoured. */
	s = kmem_cache_create("test_align256", 40, 256, 0, NULL);
	ASSERT(s);
	for (int i = 0; i < 50; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		ASSERT(objs[i]);
		EXPECT_EQ((unsigned long)objs[i] % 256, 0);
	}
	for (int i = 0; i < 50; i++)
		kmem_cache_free(s, objs[i]);
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

static int ctor_calls;

static void test_ctor(void *obj)
{
	__atomic_fetch_add(&ctor_calls, 1, __ATOMIC_RELAXED);
	memset(obj, 0x77, 48);
}

/* The ctor runs when a slab is made, once per object, not on reuse. */
TEST(test_ctor_semantics)
{
	struct kmem_cache *s;
	unsigned char *p;
	int objs;

	boot("mem=64M");
	ctor_calls = 0;
	s = kmem_cache_create("test_ctor", 48, 0, 0, test_ctor);
	ASSERT(s);
	EXPECT_EQ(ctor_calls, 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	objs = (int)per_slab(s);
	EXPECT_EQ(ctor_calls, objs);
	for (int i = 0; i < 48; i++)
		EXPECT_EQ(p[i], 0x77);
	/* SLUB: the free pointer lives outside a ctor'd object. */
	if (!slab_classic)
		EXPECT(s->offset >= 48);
	kmem_cache_free(s, p);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT_EQ(ctor_calls, objs);
	EXPECT_EQ(p[0], 0x77);
	EXPECT_EQ(p[47], 0x77);
	kmem_cache_free(s, p);
	/* Not mergeable: a ctor makes a cache unique. */
	struct kmem_cache *t = kmem_cache_create("test_ctor2", 48, 0, 0, test_ctor);
	EXPECT(t && t != s);
	kmem_cache_destroy(t);
	kmem_cache_destroy(s);
	CHECK_SLAB();
	umm_shutdown();
}

TEST(test_zalloc)
{
	struct kmem_cache *s;

	boot("mem=64M");
	s = kmem_cache_create("test_zero", 200, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	for (int round = 0; round < 3; round++) {
		unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

		ASSERT(p);
		memset(p, 0xee, 200);
		kmem_cache_free(s, p);
		p = kmem_cache_zalloc(s, GFP_KERNEL);
		ASSERT(p);
		for (int i = 0; i < 200; i++)
			if (p[i]) {
				EXPECT_EQ(p[i], 0);
				break;
			}
		kmem_cache_free(s, p);
	}
	kmem_cache_destroy(s);
	umm_shutdown();
}

TEST(test_merging)
{
	struct kmem_cache *a, *b, *c, *d;
	char buf[1 << 16];

	boot("mem=64M");
	a = kmem_cache_create("merge_a", 60, 0, 0, NULL);
	b = kmem_cache_create("merge_b", 64, 0, 0, NULL);
	ASSERT(a && b);
	/* 60 and 64 round to the same 64-byte cache: kmalloc-64. */
	EXPECT(a == b);
	EXPECT(a == kmalloc_caches[KMALLOC_NORMAL][6]);
	EXPECT_EQ(a->refcount, 3);
	/* Reclaimable caches only merge with reclaimable ones. */
	c = kmem_cache_create("merge_c", 64, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	EXPECT(c && c != a);
	EXPECT(c == kmalloc_caches[KMALLOC_RECLAIM][6]);
	d = kmem_cache_create("merge_d", 64, 0, SLAB_NO_MERGE, NULL);
	EXPECT(d && d != a && d != c);
	/* /proc/slabinfo shows merged caches once, under the root name. */
	umm_proc_read("/proc/slabinfo", buf, sizeof(buf));
	EXPECT(!strstr(buf, "merge_a"));
	EXPECT(strstr(buf, "\nmerge_d "));
	EXPECT_EQ(kmem_cache_destroy(a), 0);
	EXPECT_EQ(kmalloc_caches[KMALLOC_NORMAL][6]->refcount, 2);
	kmem_cache_destroy(b);
	kmem_cache_destroy(c);
	kmem_cache_destroy(d);
	EXPECT_EQ(kmalloc_caches[KMALLOC_NORMAL][6]->refcount, 1);

	boot("mem=64M slab_nomerge");
	a = kmem_cache_create("merge_a", 64, 0, 0, NULL);
	EXPECT(a && a != kmalloc_caches[KMALLOC_NORMAL][6]);
	kmem_cache_destroy(a);
	umm_shutdown();
}

TEST(test_shrink_and_destroy)
{
	struct kmem_cache *s;
	static void *objs[20000];
	unsigned long free0;
	void *keep;

	boot("mem=128M");
	s = kmem_cache_create("test_shrink", 256, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	drain_all_pages(NULL);
	free0 = nr_free_pages() + umm_pcp_pages();
	for (int i = 0; i < 20000; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	EXPECT(cache_slabs(s) >= 20000 / per_slab(s));
	EXPECT(nr_free_pages() + umm_pcp_pages() < free0 - 1000);
	for (int i = 0; i < 20000; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	/*
	 * Empty slabs beyond min_partial went back already (SLUB); beyond
	 * free_limit, the arrays' objects aside (SLAB).
	 */
	if (!slab_classic)
		EXPECT(cache_slabs(s) <= s->min_partial + s->cpu_partial_slabs + 2);
	else
		EXPECT(cache_slabs(s) * per_slab(s) <= get_node(s, 0)->free_limit + per_slab(s) +
		       (nr_cpu_ids + s->shared * nr_cpu_ids) * s->limit);
	EXPECT_EQ(kmem_cache_shrink(s), 0);
	EXPECT_EQ(cache_slabs(s), 0);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), free0);

	/* Destroy with an object still out: refused, cache still usable. */
	keep = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(keep);
	EXPECT_EQ(kmem_cache_destroy(s), -EBUSY);
	void *more = kmem_cache_alloc(s, GFP_KERNEL);
	EXPECT(more);
	kmem_cache_free(s, more);
	kmem_cache_free(s, keep);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), free0);
	CHECK_SLAB();
	umm_shutdown();
}

TEST(test_bad_create)
{
	boot("mem=64M loglevel=0");
	EXPECT(kmem_cache_create(NULL, 64, 0, 0, NULL) == NULL);
	EXPECT(kmem_cache_create("zero", 0, 0, 0, NULL) == NULL);
	EXPECT(kmem_cache_create("huge", (unsigned int)KMALLOC_MAX_SIZE + 1, 0, 0, NULL) == NULL);
	EXPECT(kmem_cache_create("badalign", 64, 3, 0, NULL) == NULL);
	EXPECT(kmem_cache_create("badflags", 64, 0, 0x80000000u, NULL) == NULL);
	EXPECT_EQ(kmem_cache_destroy(NULL), 0);
	EXPECT_EQ(kmem_cache_destroy(kmem_cache), -EPERM);
	CHECK_SLAB();
	umm_shutdown();
}

TEST(test_kmalloc_classes)
{
	static const struct { size_t size; unsigned int idx, cls; } table[] = {
		{ 1, 3, 8 }, { 8, 3, 8 }, { 9, 4, 16 }, { 16, 4, 16 }, { 17, 5, 32 },
		{ 33, 6, 64 }, { 64, 6, 64 }, { 65, 1, 96 }, { 96, 1, 96 }, { 97, 7, 128 },
		{ 128, 7, 128 }, { 129, 2, 192 }, { 192, 2, 192 }, { 193, 8, 256 },
		{ 257, 9, 512 }, { 1000, 10, 1024 }, { 2048, 11, 2048 }, { 4000, 12, 4096 },
		{ 8192, 13, 8192 },
	};

	boot("mem=64M");
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		void *p;

		EXPECT_EQ(kmalloc_index(table[i].size), table[i].idx);
		EXPECT_EQ(kmalloc_size(table[i].idx), table[i].cls);
		p = kmalloc(table[i].size, GFP_KERNEL);
		ASSERT(p);
		EXPECT_EQ(ksize(p), table[i].cls);
		EXPECT(virt_to_slab(p)->slab_cache == kmalloc_caches[KMALLOC_NORMAL][table[i].idx]);
		memset(p, 0xab, ksize(p));
		kfree(p);
	}
	EXPECT_STREQ(kmalloc_caches[KMALLOC_NORMAL][1]->name, "kmalloc-96");
	EXPECT_STREQ(kmalloc_caches[KMALLOC_NORMAL][13]->name, "kmalloc-8k");
	EXPECT_STREQ(kmalloc_caches[KMALLOC_RECLAIM][2]->name, "kmalloc-rcl-192");
	EXPECT_STREQ(kmalloc_caches[KMALLOC_DMA][10]->name, "dma-kmalloc-1k");
	EXPECT(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	EXPECT_EQ(ksize(ZERO_SIZE_PTR), 0);

	void *r = kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE);
	ASSERT(r);
	EXPECT(virt_to_slab(r)->slab_cache == kmalloc_caches[KMALLOC_RECLAIM][7]);
	kfree(r);
	void *d = kmalloc(100, GFP_KERNEL | GFP_DMA);
	ASSERT(d);
	EXPECT(virt_to_slab(d)->slab_cache == kmalloc_caches[KMALLOC_DMA][7]);
	EXPECT_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
	kfree(d);
	CHECK_SLAB();
	umm_shutdown();
}

TEST(test_kmalloc_large_and_helpers)
{
	unsigned long free0;
	char *p, *q;

	boot("mem=256M loglevel=0");
	drain_all_pages(NULL);
	free0 = nr_free_pages() + umm_pcp_pages();
	/* Above 8 KiB: compound pages from the buddy allocator. */
	p = kmalloc(8193, GFP_KERNEL);
	ASSERT(p);
	EXPECT(PageLargeKmalloc(virt_to_page(p)));
	EXPECT(PageHead(virt_to_page(p)));
	EXPECT_EQ(ksize(p), 16384);
	kfree(p);
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	EXPECT(p);
	kfree(p);
	EXPECT(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), free0);

	EXPECT(kmalloc_array(SIZE_MAX / 2, 3, GFP_KERNEL) == NULL);
	EXPECT(kcalloc(SIZE_MAX / 8, 16, GFP_KERNEL) == NULL);
	int *z = kcalloc(100, sizeof(int), GFP_KERNEL);
	ASSERT(z);
	for (int i = 0; i < 100; i++)
		EXPECT_EQ(z[i], 0);
	kfree(z);

	/* krealloc keeps the contents, in place when the class allows. */
	p = kmalloc(20, GFP_KERNEL);
	ASSERT(p);
	strcpy(p, "hello, krealloc");
	q = krealloc(p, 30, GFP_KERNEL);
	EXPECT(q == p);		/* 20 and 30 share kmalloc-32 */
	q = krealloc(q, 5000, GFP_KERNEL);
	ASSERT(q);
	EXPECT_STREQ(q, "hello, krealloc");
	q = krealloc(q, 100000, GFP_KERNEL);
	ASSERT(q);
	EXPECT_STREQ(q, "hello, krealloc");
	EXPECT(krealloc(q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);
	q = krealloc(NULL, 10, GFP_KERNEL);
	EXPECT(q);
	kfree(q);

	char *s = kstrdup("kstrdup", GFP_KERNEL);
	EXPECT_STREQ(s, "kstrdup");
	kfree(s);
	s = kstrndup("kstrndup", 4, GFP_KERNEL);
	EXPECT_STREQ(s, "kstr");
	kfree(s);
	EXPECT(kstrdup(NULL, GFP_KERNEL) == NULL);

	/* kvmalloc: kmalloc when it can, vmalloc beyond. */
	void *kv = kvmalloc(1000, GFP_KERNEL);
	EXPECT(kv && !is_vmalloc_addr(kv));
	kvfree(kv);
	kv = kvmalloc(16UL << 20, GFP_KERNEL);
	EXPECT(kv && is_vmalloc_addr(kv));
	if (kv)
		memset(kv, 1, 16UL << 20);
	kvfree(kv);
	kv = kvzalloc(3 * PAGE_SIZE, GFP_KERNEL);
	ASSERT(kv);
	EXPECT_EQ(((char *)kv)[3 * PAGE_SIZE - 1], 0);
	kvfree(kv);

	/* Bad pointers: one message each, nothing corrupted. */
	int on_stack;
	kfree(&on_stack);
	void *v = vmalloc(PAGE_SIZE);
	kfree(v);
	vfree(v);
	EXPECT_EQ(ksize(&on_stack), 0);
	CHECK_SLAB();
	EXPECT_EQ(umm_page_alloc_check(), 0);
	umm_shutdown();
}

TEST(test_bulk_and_stats)
{
	struct kmem_cache *s;
	void *objs[300];

	boot("mem=64M");
	s = kmem_cache_create("test_bulk", 128, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 300, objs), 300);
	for (int i = 0; i < 300; i++)
		EXPECT(objs[i] != NULL);
	kmem_cache_free_bulk(s, 300, objs);
	if (slab_classic) {	/* SLAB has no /sys/kernel/slab */
		char buf[64];

		EXPECT_EQ(umm_proc_read("/sys/kernel/slab/test_bulk/object_size", buf, sizeof(buf)),
			  -ENOENT);
		CHECK_SLAB();
		kmem_cache_destroy(s);
		umm_shutdown();
		return;
	}
	EXPECT(slub_stat_sum(s, ALLOC_FASTPATH) > 250);
	EXPECT(slub_stat_sum(s, ALLOC_SLAB) >= 300 / per_slab(s));
	EXPECT(slub_stat_sum(s, FREE_FASTPATH) + slub_stat_sum(s, FREE_SLOWPATH) == 300);
	/* The same counters as the kernel's sysfs files. */
	char buf[64];
	unsigned long v = 0;
	EXPECT(umm_proc_read("/sys/kernel/slab/test_bulk/alloc_fastpath", buf, sizeof(buf)) > 0);
	EXPECT(sscanf(buf, "%lu", &v) == 1 && v == slub_stat_sum(s, ALLOC_FASTPATH));
	EXPECT(umm_proc_read("/sys/kernel/slab/test_bulk/object_size", buf, sizeof(buf)) > 0);
	EXPECT_STREQ(buf, "128\n");
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/test_bulk/nonsense", buf, sizeof(buf)), -ENOENT);
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/no_such_cache/order", buf, sizeof(buf)), -ENOENT);
	CHECK_SLAB();
	kmem_cache_destroy(s);
	umm_shutdown();
}

TEST(test_slub_order_params)
{
	struct kmem_cache *s;

	boot("mem=64M");
	if (slab_classic) {	/* slub_*_order= are SLUB's: test_slab has SLAB's */
		umm_shutdown();
		return;
	}
	boot("mem=64M slub_min_order=2");
	s = kmem_cache_create("test_order", 64, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	EXPECT_EQ(oo_order(s->oo), 2);
	kmem_cache_destroy(s);
	boot("mem=64M slub_max_order=0");
	EXPECT_EQ(oo_order(kmalloc_caches[KMALLOC_NORMAL][13]->oo), 1); /* 8 KiB needs 2 pages */
	EXPECT_EQ(oo_order(kmalloc_caches[KMALLOC_NORMAL][9]->oo), 0);
	boot("mem=64M slub_min_objects=64");
	EXPECT(oo_objects(kmalloc_caches[KMALLOC_NORMAL][9]->oo) >= 16);
	umm_shutdown();
	EXPECT_EQ(umm_boot("mem=64M slub_min_order=x"), -EINVAL);
	EXPECT_EQ(umm_boot("mem=64M slab_nomerge=1"), -EINVAL);
}

TEST(test_slabinfo_and_meminfo)
{
	struct kmem_cache *s;
	char buf[1 << 16], *line;
	void *objs[100];

	boot("mem=64M");
	s = kmem_cache_create("test_info", 1000, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	for (int i = 0; i < 100; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	umm_proc_read("/proc/slabinfo", buf, sizeof(buf));
	static const char header[] =
		"slabinfo - version: 2.1\n# name            <active_objs> <num_objs>"
		" <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount>"
		" <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
	EXPECT(!strncmp(buf, header, strlen(header)));
	line = strstr(buf, "\ntest_info ");
	ASSERT(line);
	/*
	 * calculate_order() wants 4 * (fls(nr_cpus) + 1) objects per slab
	 * with at most 1/16 waste: with 2 CPUs, 12 KiB -> order 2, 16 objects.
	 */
	unsigned int per = per_slab(s), slabs = (100 + per - 1) / per;
	char expect[256];
	if (!slab_classic)
		snprintf(expect, sizeof(expect),
			 "test_info         %6u %6u   1000 %4u %4u : tunables    0    0    0 : slabdata %6u %6u      0\n",
			 slabs * per, slabs * per, per, 1u << slab_order_of(s), slabs, slabs);
	else	/* SLAB: 4 a page (96 bytes left, under 1/8), limit 54 for 1000 bytes */
		snprintf(expect, sizeof(expect),
			 "test_info            100    100   1000    4    1 : tunables   54   27 %4u : slabdata     25     25      0\n",
			 nr_cpu_ids > 1 ? 8 : 0);
	EXPECT(!strncmp(line + 1, expect, strlen(expect)));
	if (nr_cpu_ids == 2 && !slab_classic)
		EXPECT(per == 16 && slab_order_of(s) == 2);
	umm_proc_read("/proc/meminfo", buf, sizeof(buf));
	unsigned long slab = 0, srec = 0, sun = 0;
	sscanf(strstr(buf, "Slab:"), "Slab: %lu", &slab);
	sscanf(strstr(buf, "SReclaimable:"), "SReclaimable: %lu", &srec);
	sscanf(strstr(buf, "SUnreclaim:"), "SUnreclaim: %lu", &sun);
	EXPECT(sun >= 4 * 32);
	EXPECT_EQ(slab, srec + sun);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	umm_shutdown();
}

/* A thread that exits hands its cpu slabs back. */
static struct kmem_cache *exit_cache;
static void *exit_thread(void *arg)
{
	void *objs[50];

	(void)arg;
	for (int i = 0; i < 50; i++)
		objs[i] = kmem_cache_alloc(exit_cache, GFP_KERNEL);
	for (int i = 0; i < 50; i++)
		kmem_cache_free(exit_cache, objs[i]);
	return NULL;
}

TEST(test_thread_exit_strands_nothing)
{
	pthread_t th[4];

	boot("mem=64M");
	exit_cache = kmem_cache_create("test_exit", 512, 0, SLAB_NO_MERGE, NULL);
	ASSERT(exit_cache);
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, exit_thread, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	/*
	 * SLUB: all four threads' slabs are back on the node lists, empty.
	 * SLAB: the objects are in the CPUs' arrays, which no thread owns
	 * (they count as active in /proc/slabinfo, as in the kernel).
	 */
	if (!slab_classic) {
		EXPECT_EQ(cache_active(exit_cache), 0);
	} else {
		unsigned long cached = 0;

		for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
			cached += cpu_cache_get_on(exit_cache, cpu)->avail;
		for (int node = 0; node < nr_online_nodes; node++)
			if (get_node(exit_cache, node)->shared)
				cached += get_node(exit_cache, node)->shared->avail;
		EXPECT_EQ(cache_active(exit_cache), cached);
	}
	EXPECT_EQ(kmem_cache_destroy(exit_cache), 0);
	CHECK_SLAB();
	umm_shutdown();
}

/*
 * Frees of other threads' active-slab objects are chained per slab and
 * pushed at once (slab_free_remote()): while chained they count as in
 * use, this thread sees them as free, the checker accepts them, a sixth
 * slab evicts a chain (at most SLUB_REMOTE_CHAINS are kept), and the
 * freeing thread's exit hands the rest to their slabs.
 */
enum { RF_OWNERS = 6, RF_EACH = 10 };
static struct kmem_cache *rf_cache;
static void *rf_objs[RF_OWNERS][RF_EACH];
static pthread_barrier_t rf_barrier;

static void *rf_owner(void *arg)
{
	void **objs = arg;

	for (int i = 0; i < RF_EACH; i++)
		objs[i] = kmem_cache_alloc(rf_cache, GFP_KERNEL);
	pthread_barrier_wait(&rf_barrier);	/* objects out; each slab its owner's */
	pthread_barrier_wait(&rf_barrier);	/* the freer is done */
	return NULL;
}

static void *rf_freer(void *arg)
{
	struct kmem_cache_cpu *c;
	unsigned int chains = 0;

	(void)arg;
	for (int o = 0; o < RF_OWNERS; o++)
		for (int i = 0; i < RF_EACH; i++)
			kmem_cache_free(rf_cache, rf_objs[o][i]);
	if (!slab_classic) {
		c = this_cpu_slab(rf_cache);
		for (int k = 0; k < SLUB_REMOTE_CHAINS; k++)
			chains += c->remote[k].slab != NULL;
		/* Six slabs, four chains: two were pushed, four wait. */
		EXPECT_EQ(chains, SLUB_REMOTE_CHAINS);
		EXPECT_EQ(c->remote_count, SLUB_REMOTE_CHAINS * RF_EACH);
		EXPECT(cache_active(rf_cache) >= SLUB_REMOTE_CHAINS * RF_EACH);
		for (int o = RF_OWNERS - SLUB_REMOTE_CHAINS; o < RF_OWNERS; o++)
			for (int i = 0; i < RF_EACH; i++)
				EXPECT(slab_object_is_free(rf_cache, virt_to_slab(rf_objs[o][i]),
							   rf_objs[o][i]));
	}
	EXPECT_EQ(umm_slab_check(), 0);
	return NULL;	/* the exit pushes the chains */
}

TEST(test_remote_free_chain)
{
	pthread_t owner[RF_OWNERS], freer;

	boot("mem=64M");
	rf_cache = kmem_cache_create("test_remote", 64, 0, SLAB_NO_MERGE, NULL);
	ASSERT(rf_cache);
	pthread_barrier_init(&rf_barrier, NULL, RF_OWNERS + 1);
	for (int o = 0; o < RF_OWNERS; o++)
		pthread_create(&owner[o], NULL, rf_owner, rf_objs[o]);
	pthread_barrier_wait(&rf_barrier);
	pthread_create(&freer, NULL, rf_freer, NULL);
	pthread_join(freer, NULL);
	pthread_barrier_wait(&rf_barrier);
	for (int o = 0; o < RF_OWNERS; o++)
		pthread_join(owner[o], NULL);
	pthread_barrier_destroy(&rf_barrier);
	if (!slab_classic) {
		EXPECT_EQ(cache_active(rf_cache), 0);
		EXPECT(slub_stat_sum(rf_cache, FREE_FROZEN) >= RF_OWNERS * RF_EACH);
	}
	EXPECT_EQ(kmem_cache_destroy(rf_cache), 0);
	CHECK_SLAB();
	umm_shutdown();
}

/*
 * Slab tail pages (mm/slab.h, slab_set_tails()): every page of a
 * multi-page slab tells its cache and, under SLUB, the slab's frozen
 * state, which the free fast paths read from the object's own page; the
 * checker verifies them (and the cpu slot's span) while another thread
 * frees objects of this thread's frozen slab and of others; once the
 * slabs are gone no page keeps a tail's type, cache or hint.
 */
#define TP_OBJS 200
static struct kmem_cache *tp_cache;
static void *tp_objs[TP_OBJS], *tp_kobjs[TP_OBJS];

static void *tp_freer(void *arg)
{
	(void)arg;
	for (int i = 0; i < TP_OBJS; i += 2) {
		kmem_cache_free(tp_cache, tp_objs[i]);
		kfree(tp_kobjs[i]);
		tp_objs[i] = tp_kobjs[i] = NULL;
	}
	return NULL;
}

TEST(test_slab_tail_pages)
{
	unsigned long tails[TP_OBJS], nr_tails = 0;
	pthread_t t;

	boot("mem=64M");
	tp_cache = kmem_cache_create("test_tails", 3000, 0, SLAB_NO_MERGE, NULL);
	ASSERT(tp_cache);
	ASSERT(slab_order_of(tp_cache) >= 1);
	for (int i = 0; i < TP_OBJS; i++) {
		struct page *page, *slab;

		tp_objs[i] = kmem_cache_alloc(tp_cache, GFP_KERNEL);
		tp_kobjs[i] = kmalloc(3000, GFP_KERNEL);
		ASSERT(tp_objs[i] && tp_kobjs[i]);
		page = virt_to_page(tp_objs[i]);
		slab = slab_head_page(page);
		EXPECT(page_is_slab_fast(page));
		EXPECT(page->slab_cache == tp_cache);
		EXPECT(PageSlab(slab) && slab->slab_cache == tp_cache);
		EXPECT_EQ(PageSlabTail(page), page != slab);
		if (page != slab && nr_tails < TP_OBJS)
			tails[nr_tails++] = page_to_pfn(page);
		page = virt_to_page(tp_kobjs[i]);
		EXPECT(page_is_slab_fast(page) && page->slab_cache == slab_head_page(page)->slab_cache);
	}
	EXPECT(nr_tails > TP_OBJS / 8);
	CHECK_SLAB();
	pthread_create(&t, NULL, tp_freer, NULL);
	pthread_join(t, NULL);
	CHECK_SLAB();
	for (int i = 1; i < TP_OBJS; i += 2) {
		kmem_cache_free(tp_cache, tp_objs[i]);
		kfree(tp_kobjs[i]);
	}
	CHECK_SLAB();
	kmem_cache_shrink(tp_cache);
	EXPECT_EQ(kmem_cache_destroy(tp_cache), 0);
	for (unsigned long i = 0; i < nr_tails; i++) {
		struct page *page = pfn_to_page(tails[i]);

		EXPECT(!(PageSlabTail(page) && page->slab_cache == tp_cache));
		EXPECT(!PageOwnerPriv1(page) || page_is_slab_fast(page));
	}
	CHECK_SLAB();
	umm_shutdown();
}

/*
 * failslab set at run time fails the very next allocation of every
 * thread, also where the fast path has objects at hand (no_slub_thread
 * aside: a thread with warm slots), and unset again lets them through;
 * frees made meanwhile lose nothing.
 */
static struct kmem_cache *fs_cache;
static void *fs_hot;
static int fs_failed;
static pthread_barrier_t fs_barrier;

/* Warms its slots, waits for failslab to be set, allocates again. */
static void *failslab_thread(void *arg)
{
	void *p = kmem_cache_alloc(fs_cache, GFP_KERNEL), *q = kmalloc(64, GFP_KERNEL);

	(void)arg;
	kmem_cache_free(fs_cache, p);
	kfree(q);
	pthread_barrier_wait(&fs_barrier);
	pthread_barrier_wait(&fs_barrier);
	fs_failed = p && q && kmem_cache_alloc(fs_cache, GFP_KERNEL) == NULL &&
		    kmalloc(64, GFP_KERNEL) == NULL;
	return NULL;
}

TEST(test_failslab_at_run_time)
{
	void *objs[64], *p, *q;
	pthread_t th;

	boot("mem=64M failslab.ignore-gfp-wait=0 loglevel=0");
	fs_cache = kmem_cache_create("test_failslab", 64, 0, SLAB_NO_MERGE, NULL);
	ASSERT(fs_cache);
	/* Warm this thread's slot: a freed object is at hand. */
	for (int i = 0; i < 64; i++)
		ASSERT((objs[i] = kmem_cache_alloc(fs_cache, GFP_KERNEL)));
	for (int i = 0; i < 64; i++)
		kmem_cache_free(fs_cache, objs[i]);
	ASSERT((p = kmalloc(64, GFP_KERNEL)));
	kfree(p);
	fs_hot = kmem_cache_alloc(fs_cache, GFP_KERNEL);
	ASSERT(fs_hot);
	alarm(60);	/* the watchdog: the threads below must not hang */
	pthread_barrier_init(&fs_barrier, NULL, 2);
	ASSERT_EQ(pthread_create(&th, NULL, failslab_thread, NULL), 0);
	pthread_barrier_wait(&fs_barrier);
	ASSERT_EQ(umm_param_set("failslab=1,100,0,-1"), 0);
	pthread_barrier_wait(&fs_barrier);
	EXPECT(kmem_cache_alloc(fs_cache, GFP_KERNEL) == NULL);
	EXPECT(kmalloc(64, GFP_KERNEL) == NULL);
	p = kmem_cache_alloc(fs_cache, GFP_KERNEL | __GFP_NOFAIL);	/* never failed */
	EXPECT(p != NULL);
	kmem_cache_free(fs_cache, p);
	kmem_cache_free(fs_cache, fs_hot);	/* freed while the fast paths are off */
	ASSERT_EQ(pthread_join(th, NULL), 0);
	pthread_barrier_destroy(&fs_barrier);
	alarm(0);
	EXPECT(fs_failed);
	ASSERT_EQ(umm_param_set("failslab=1,0,0,-1"), 0);	/* probability 0: off */
	p = kmem_cache_alloc(fs_cache, GFP_KERNEL);
	q = kmalloc(64, GFP_KERNEL);
	EXPECT(p && q);
	kmem_cache_free(fs_cache, p);
	kfree(q);
	kmem_cache_shrink(fs_cache);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_validate(fs_cache), 0);
	EXPECT_EQ(kmem_cache_destroy(fs_cache), 0);
	umm_shutdown();
}

int main(void)
{
	RUN(test_lkd3_example);
	RUN(test_alloc_free_alignment);
	RUN(test_ctor_semantics);
	RUN(test_zalloc);
	RUN(test_merging);
	RUN(test_shrink_and_destroy);
	RUN(test_bad_create);
	RUN(test_kmalloc_classes);
	RUN(test_kmalloc_large_and_helpers);
	RUN(test_bulk_and_stats);
	RUN(test_slub_order_params);
	RUN(test_slabinfo_and_meminfo);
	RUN(test_thread_exit_strands_nothing);
	RUN(test_failslab_at_run_time);
	RUN(test_remote_free_chain);
	RUN(test_slab_tail_pages);
	TEST_EXIT();
}
