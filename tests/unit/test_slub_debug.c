// SPDX-License-Identifier: GPL-2.0
/*
 * test_slub_debug.c - SLUB's debugging and hardening (mm/slub.c):
 * slub_debug= parsing and per-cache selection, the kernel's slub_kunit
 * checklist (red zones, poison, free pointers, double and invalid frees,
 * destroying a cache with live objects, the kmalloc red zone), reports
 * in the kernel's words, kmem_cache_validate(), hardened and randomized
 * freelists, and failslab.
 *
 * Every test that corrupts memory runs in a fork()ed child that boots its
 * own umm (so nothing it writes reaches the parent's memory), with its
 * stderr sent back through a pipe: the child must exit normally, having
 * used the cache again after the report, and the parent checks the report
 * line by line (UMM_TEST_SHOW_REPORTS=1 prints each child's stderr).
 */
#include <errno.h>
#include <pthread.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/slab.h"
#include <umm/vmalloc.h>

static void boot(const char *cmdline)
{
	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
}

#define CHECK_SLAB() ASSERT_EQ(umm_slab_check(), 0)

static struct kmem_cache *kmalloc_cache(size_t size)
{
	return kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(size)];
}

/* ---- running a scenario in a child ---- */

static int child_failed;

/* EXPECT for the child: no longjmp out of a forked copy of the harness. */
#define CEXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: CHILD FAILED: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			child_failed = 1;				\
		}							\
	} while (0)
#define CEXPECT_EQ(a, b)						\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a != __b) {					\
			fprintf(stderr, "%s:%d: CHILD FAILED: %s == %s (%lld != %lld)\n", \
				__FILE__, __LINE__, #a, #b, __a, __b);	\
			child_failed = 1;				\
		}							\
	} while (0)

static char report[1 << 17];

/*
 * Boot umm with @cmdline in a child, run @fn there, check the slabs and
 * shut down; the child's stderr lands in report[].  0 if the child exited
 * normally and every CEXPECT held.
 */
static int run_in_child(const char *cmdline, void (*fn)(void))
{
	size_t len = 0;
	int pfd[2], status;
	char sink[4096];
	pid_t pid;

	umm_shutdown();
	fflush(stdout);
	fflush(stderr);
	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(pfd[0]);
		dup2(pfd[1], 2);
		close(pfd[1]);
		if (umm_boot(cmdline))
			_exit(2);
		child_failed = 0;
		fn();
		CEXPECT_EQ(umm_slab_check(), 0);
		umm_shutdown();
		fflush(stderr);
		_exit(child_failed);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t n;

		if (len < sizeof(report) - 1)
			n = read(pfd[0], report + len, sizeof(report) - 1 - len);
		else
			n = read(pfd[0], sink, sizeof(sink));
		if (n <= 0)
			break;
		if (len < sizeof(report) - 1)
			len += (size_t)n;
	}
	close(pfd[0]);
	report[len] = '\0';
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "child (%s) %s %d; its stderr:\n%s\n", cmdline,
			WIFEXITED(status) ? "exited with" : "killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), report);
		return -1;
	}
	if (getenv("UMM_TEST_SHOW_REPORTS"))	/* to read what the kernel would say */
		fprintf(stderr, "---- child (%s) ----\n%s", cmdline, report);
	return 0;
}

/* The child tells the parent an address: "ADDR <name> <hex>". */
static void tell(const char *name, const void *p)
{
	fprintf(stderr, "ADDR %s %lx\n", name, (unsigned long)p);
}

static unsigned long told(const char *name)
{
	char key[64];
	const char *at;

	snprintf(key, sizeof(key), "ADDR %s ", name);
	at = strstr(report, key);
	return at ? strtoul(at + strlen(key), NULL, 16) : 0;
}

#define EXPECT_REPORT(text)	EXPECT_IN(report, text)
#define EXPECT_NO_REPORT(text)	EXPECT_NOT_IN(report, text)

/* The line print_hex_dump() makes of @len bytes at @addr, after @prefix. */
static void hex_line(char *buf, size_t size, const char *prefix, unsigned long addr,
		     const unsigned char *bytes, unsigned int len)
{
	int n = snprintf(buf, size, "%s%016lx: ", prefix, addr);

	for (unsigned int i = 0; i < len; i++)
		n += snprintf(buf + n, size - (size_t)n, i ? " %02x" : "%02x", bytes[i]);
	n += snprintf(buf + n, size - (size_t)n, "%*s", 49 - (int)(len * 3 - 1), "");
	for (unsigned int i = 0; i < len; i++)
		n += snprintf(buf + n, size - (size_t)n, "%c",
			      bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.');
	snprintf(buf + n, size - (size_t)n, "\n");
}

/* A cache that slub_debug= on the command line does not touch. */
static struct kmem_cache *test_kmem_cache_create(const char *name, unsigned int size,
						 slab_flags_t flags)
{
	return kmem_cache_create(name, size, 0, flags | SLAB_NO_USER_FLAGS, NULL);
}

/* ---- slub_debug= ---- */

TEST(test_slub_debug_parsing)
{
	static const char *const bad[] = {
		"slub_debug=X", "slub_debug=FZ,", "slub_debug=F,,kmalloc-32",
		"slub_debug=FZ;Q,kmalloc-64", "slub_debug=F,kmalloc-32;,", "slab_debug=fz!",
		"umm.slab_freelist_hardened=2", "umm.slab_freelist_hardened",
		"umm.slab_freelist_random=", "umm.slab_freelist_random=yes",
		"failslab", "failslab=1,2", "failslab=1,101,0,1", "failslab=0,10,0,1",
		"failslab=1,10,0,-2", "failslab=1,10,0,1,5", "failslab.verbose=3",
		"failslab.ignore-gfp-wait=maybe", "failslab.cache-filter",
	};
	struct kmem_cache *k32, *k64;
	char cmdline[128];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(cmdline, sizeof(cmdline), "mem=64M loglevel=0 %s", bad[i]);
		umm_shutdown();
		EXPECT_EQ(umm_boot(cmdline), -EINVAL);
		if (umm_is_booted())
			fprintf(stderr, "accepted: %s\n", bad[i]);
	}

	/* slub_debug alone: F, Z, P, U for every cache, the boot caches too. */
	boot("mem=64M slub_debug");
	EXPECT_EQ(kmalloc_cache(32)->flags & SLAB_DEBUG_FLAGS, DEBUG_DEFAULT_FLAGS);
	EXPECT_EQ(kmem_cache->flags & SLAB_DEBUG_FLAGS, DEBUG_DEFAULT_FLAGS);
	boot("mem=64M slub_debug=");
	EXPECT_EQ(kmalloc_cache(8)->flags & SLAB_DEBUG_FLAGS, DEBUG_DEFAULT_FLAGS);
	boot("mem=64M slub_debug=zt");
	EXPECT_EQ(kmalloc_cache(64)->flags & SLAB_DEBUG_FLAGS, SLAB_RED_ZONE | SLAB_TRACE);
	boot("mem=64M slub_debug=FZ slub_debug=-");
	EXPECT_EQ(kmalloc_cache(64)->flags & SLAB_DEBUG_FLAGS, 0);
	boot("mem=64M slab_debug=P");
	EXPECT_EQ(kmalloc_cache(64)->flags & SLAB_DEBUG_FLAGS, SLAB_POISON);

	/* Per cache: the others keep their fast paths and geometry. */
	boot("mem=64M slub_debug=FZPU,kmalloc-32");
	k32 = kmalloc_cache(32);
	k64 = kmalloc_cache(64);
	EXPECT_EQ(k32->flags & SLAB_DEBUG_FLAGS, DEBUG_DEFAULT_FLAGS);
	EXPECT_EQ(k32->cpu_partial_slabs, 0);
	EXPECT(k32->red_left_pad == sizeof(void *));
	EXPECT(k32->size > 32 + 2 * 24);
	EXPECT_EQ(k64->flags & (SLAB_DEBUG_FLAGS | __OBJECT_POISON), 0);
	EXPECT(k64->cpu_partial_slabs > 0);
	EXPECT_EQ(k64->red_left_pad, 0);
	EXPECT_EQ(k64->size, 64);
	EXPECT_EQ(k64->offset, 32);
	EXPECT_EQ(kmalloc_cache(16)->flags & SLAB_DEBUG_FLAGS, 0);
	unsigned long fast64 = slub_stat_sum(k64, ALLOC_FASTPATH);
	unsigned long fast32 = slub_stat_sum(k32, ALLOC_FASTPATH);
	for (int i = 0; i < 10; i++) {
		kfree(kmalloc(64, GFP_KERNEL));
		kfree(kmalloc(32, GFP_KERNEL));
	}
	EXPECT(slub_stat_sum(k64, ALLOC_FASTPATH) >= fast64 + 9);
	EXPECT_EQ(slub_stat_sum(k32, ALLOC_FASTPATH), fast32);
	EXPECT_EQ(kmem_cache_validate(k32), 0);
	EXPECT_EQ(kmem_cache_validate(k64), 0);
	CHECK_SLAB();

	/* Several blocks; a list alone leaves the global flags alone. */
	boot("mem=64M slub_debug=FZ,kmalloc-32;U,kmalloc-64,dma-kmalloc-*;T,merge_*");
	EXPECT_EQ(kmalloc_cache(32)->flags & SLAB_DEBUG_FLAGS, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
	EXPECT_EQ(kmalloc_cache(64)->flags & SLAB_DEBUG_FLAGS, SLAB_STORE_USER);
	EXPECT_EQ(kmalloc_caches[KMALLOC_DMA][10]->flags & SLAB_DEBUG_FLAGS, SLAB_STORE_USER);
	EXPECT_EQ(kmalloc_cache(128)->flags & SLAB_DEBUG_FLAGS, 0);
	EXPECT_EQ(kmalloc_cache(8)->flags & SLAB_DEBUG_FLAGS, 0);
	/* A debugged cache does not merge; an undebugged one still does. */
	struct kmem_cache *m = kmem_cache_create("merge_me", 128, 0, 0, NULL);
	struct kmem_cache *n = kmem_cache_create("other", 128, 0, 0, NULL);
	ASSERT(m && n);
	EXPECT(m != kmalloc_cache(128));
	EXPECT_EQ(m->flags & SLAB_DEBUG_FLAGS, SLAB_TRACE);
	EXPECT(n == kmalloc_cache(128));
	/* slub_debug with a global part and a per-cache '-'. */
	kmem_cache_destroy(m);
	kmem_cache_destroy(n);
	boot("mem=64M slub_debug=P;-,kmalloc-64");
	EXPECT_EQ(kmalloc_cache(32)->flags & SLAB_DEBUG_FLAGS, SLAB_POISON);
	EXPECT_EQ(kmalloc_cache(64)->flags & SLAB_DEBUG_FLAGS, 0);
	/* Caches made with SLAB_NO_USER_FLAGS stay as they were asked. */
	m = test_kmem_cache_create("TestSlub_plain", 100, 0);
	ASSERT(m);
	EXPECT_EQ(m->flags & SLAB_DEBUG_FLAGS, 0);
	kmem_cache_destroy(m);
	/* Boot-time only. */
	EXPECT_EQ(umm_param_set("slub_debug=F"), -EPERM);
	EXPECT_EQ(umm_param_set("umm.slab_freelist_random=1"), -EPERM);

	/* O: no metadata where it would raise a cache's minimum order. */
	boot("mem=64M slub_debug=FZPUO");
	EXPECT_EQ(kmalloc_cache(32)->flags & SLAB_DEBUG_FLAGS, DEBUG_DEFAULT_FLAGS);
	EXPECT_EQ(kmalloc_cache(4096)->flags & DEBUG_METADATA_FLAGS, 0);
	EXPECT_EQ(kmalloc_cache(4096)->size, 4096);
	CHECK_SLAB();
	umm_shutdown();
}

/* Everything works with every cache debugged, the boot caches too. */
TEST(test_slub_debug_everything)
{
	struct kmem_cache *s;
	void *objs[500];

	boot("mem=64M slub_debug");
	s = kmem_cache_create("test_dbg_all", 200, 0, 0, NULL);
	ASSERT(s);
	for (int i = 0; i < 500; i++) {
		objs[i] = i & 1 ? kmem_cache_zalloc(s, GFP_KERNEL) : kmalloc(i % 300 + 1, GFP_KERNEL);
		ASSERT(objs[i]);
		memset(objs[i], i, i & 1 ? 200 : (size_t)(i % 300 + 1));
	}
	CHECK_SLAB();
	for (int i = 0; i < 500; i += 2)
		kfree(objs[i]);
	for (int i = 1; i < 500; i += 2)
		kmem_cache_free(s, objs[i]);
	list_for_each_entry(s, &slab_caches, list)
		EXPECT_EQ(kmem_cache_validate(s), 0);
	s = kmem_cache_create("test_dbg_all", 200, 0, 0, NULL);
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	/* krealloc in place and kfree_sensitive use all of ksize(). */
	char *p = kmalloc(10, GFP_KERNEL);
	ASSERT(p);
	p = krealloc(p, 16, GFP_KERNEL);
	ASSERT(p);
	memset(p, 'x', 16);
	kfree_sensitive(p);
	EXPECT_EQ(kmem_cache_validate(kmalloc_cache(16)), 0);
	CHECK_SLAB();
	umm_shutdown();
}

/* ---- the slub_kunit checklist, one child each ---- */

/* A kmalloc-32 object with its right red zone clobbered (FZPU). */
static void child_clobber_right_redzone(void)
{
	struct kmem_cache *s = kmalloc_cache(32);
	unsigned char *p = kmalloc(32, GFP_KERNEL);

	CEXPECT(p);
	tell("obj", p);
	tell("slab", slab_address(virt_to_slab(p)));
	p[32] = 0x12;
	CEXPECT_EQ(kmem_cache_validate(s), 2);	/* the report and its fix */
	kfree(p);				/* the red zone was restored */
	p = kmalloc(32, GFP_KERNEL);
	CEXPECT(p);
	kfree(p);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
}

TEST(test_clobber_right_redzone)
{
	unsigned char rz[8] = { 0x12, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc };
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-32", child_clobber_right_redzone), 0);
	obj = told("obj");
	EXPECT_REPORT("=============================================================================\n"
		      "BUG kmalloc-32 (Not tainted): Right Redzone overwritten\n"
		      "-----------------------------------------------------------------------------\n\n");
	snprintf(expect, sizeof(expect),
		 "INFO: 0x%016lx-0x%016lx @offset=%lu. First byte 0x12 instead of 0xcc\n",
		 obj + 32, obj + 32, obj + 32 - told("slab"));
	EXPECT_REPORT(expect);
	EXPECT_REPORT("INFO: Allocated in child_clobber_right_redzone+0x");
	EXPECT_REPORT("INFO: Slab 0x");
	snprintf(expect, sizeof(expect), "INFO: Object 0x%016lx @offset=", obj);
	EXPECT_REPORT(expect);
	hex_line(expect, sizeof(expect), "Redzone  ", obj + 32, rz, 8);
	EXPECT_REPORT(expect);
	snprintf(expect, sizeof(expect), "Object   %016lx: 6b 6b 6b 6b", obj);
	EXPECT_REPORT(expect);
	snprintf(expect, sizeof(expect),
		 "FIX kmalloc-32: Restoring Right Redzone 0x%016lx-0x%016lx=0xcc\n", obj + 32,
		 obj + 32);
	EXPECT_REPORT(expect);
	EXPECT_NO_REPORT("not freed");
}

static void child_clobber_left_redzone(void)
{
	unsigned char *p = kmalloc(32, GFP_KERNEL);

	CEXPECT(p);
	tell("obj", p);
	p[-1] = 0x34;
	kfree(p);		/* F: checked, reported, repaired, not freed */
	p = kmalloc(32, GFP_KERNEL);
	CEXPECT(p);
	kfree(p);
	CEXPECT_EQ(kmem_cache_validate(kmalloc_cache(32)), 0);
}

TEST(test_clobber_left_redzone)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-32", child_clobber_left_redzone), 0);
	obj = told("obj");
	EXPECT_REPORT("BUG kmalloc-32 (Not tainted): Left Redzone overwritten\n");
	snprintf(expect, sizeof(expect), "INFO: 0x%016lx-0x%016lx @offset=", obj - 1, obj - 1);
	EXPECT_REPORT(expect);
	EXPECT_REPORT(". First byte 0x34 instead of 0xcc\n");
	snprintf(expect, sizeof(expect), "Redzone  %016lx: cc cc cc cc cc cc cc 34  ", obj - 8);
	EXPECT_REPORT(expect);
	snprintf(expect, sizeof(expect), "FIX kmalloc-32: Object at 0x%016lx not freed\n", obj);
	EXPECT_REPORT(expect);
	EXPECT_REPORT("INFO: Allocated in child_clobber_left_redzone+0x");
}

/* slub_kunit's test_next_pointer: 3, then 2, then 0 errors. */
static void child_next_pointer(void)
{
	struct kmem_cache *s = test_kmem_cache_create("TestSlub_next_ptr_free", 64, SLAB_POISON);
	unsigned long tmp, *ptr_addr;
	unsigned char *p;

	CEXPECT(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CEXPECT(p);
	kmem_cache_free(s, p);
	ptr_addr = (unsigned long *)(p + s->offset);
	tmp = *ptr_addr;
	p[s->offset] = (unsigned char)~p[s->offset];
	CEXPECT_EQ(kmem_cache_validate(s), 3);
	*ptr_addr = tmp;
	CEXPECT_EQ(kmem_cache_validate(s), 2);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	CEXPECT(p);
	kmem_cache_free(s, p);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
}

TEST(test_next_pointer)
{
	ASSERT_EQ(run_in_child("mem=64M", child_next_pointer), 0);
	EXPECT_REPORT("BUG TestSlub_next_ptr_free (Not tainted): Freechain corrupt\n");
	EXPECT_REPORT("BUG TestSlub_next_ptr_free (Tainted: B): Wrong object count. Counter is ");
	EXPECT_REPORT("FIX TestSlub_next_ptr_free: Object count adjusted\n");
	ASSERT_EQ(run_in_child("mem=64M umm.slab_freelist_hardened=1", child_next_pointer), 0);
	EXPECT_REPORT("Freechain corrupt\n");
}

/* Write after free, found by validation (slub_kunit) and by allocation (F). */
static void child_first_word(void)
{
	struct kmem_cache *s = test_kmem_cache_create("TestSlub_1th_word_free", 64, SLAB_POISON);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	*p = 0x78;
	CEXPECT_EQ(kmem_cache_validate(s), 2);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
}

static void child_clobber_50th_byte(void)
{
	struct kmem_cache *s = test_kmem_cache_create("TestSlub_50th_word_free", 64, SLAB_POISON);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[50] = 0x9a;
	CEXPECT_EQ(kmem_cache_validate(s), 2);
	kmem_cache_destroy(s);
}

static void child_use_after_free_alloc(void)
{
	unsigned char *p = kmalloc(64, GFP_KERNEL), *q[8];

	CEXPECT(p);
	tell("obj", p);
	kfree(p);
	p[50] = 0x9a;
	/* The next allocation takes the same object, checks it, refuses it. */
	for (int i = 0; i < 8; i++) {
		q[i] = kmalloc(64, GFP_KERNEL);
		CEXPECT(q[i] && q[i] != p);
	}
	for (int i = 0; i < 8; i++)
		kfree(q[i]);
	CEXPECT_EQ(kmem_cache_validate(kmalloc_cache(64)), 0);
}

TEST(test_write_after_free)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M", child_first_word), 0);
	EXPECT_REPORT("BUG TestSlub_1th_word_free (Not tainted): Poison overwritten\n");
	EXPECT_REPORT(". First byte 0x78 instead of 0x6b\n");
	ASSERT_EQ(run_in_child("mem=64M", child_clobber_50th_byte), 0);
	EXPECT_REPORT("BUG TestSlub_50th_word_free (Not tainted): Poison overwritten\n");
	EXPECT_REPORT("@offset=50. First byte 0x9a instead of 0x6b\n");
	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-64", child_use_after_free_alloc), 0);
	obj = told("obj");
	EXPECT_REPORT("BUG kmalloc-64 (Not tainted): Poison overwritten\n");
	snprintf(expect, sizeof(expect), "INFO: 0x%016lx-0x%016lx @offset=", obj + 50, obj + 50);
	EXPECT_REPORT(expect);
	EXPECT_REPORT("INFO: Allocated in child_use_after_free_alloc+0x");
	EXPECT_REPORT("INFO: Freed in child_use_after_free_alloc+0x");
	EXPECT_REPORT("FIX kmalloc-64: Marking all objects used\n");
}

static void child_clobber_redzone_free(void)
{
	struct kmem_cache *s = test_kmem_cache_create("TestSlub_RZ_free", 64, SLAB_RED_ZONE);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

	kmem_cache_free(s, p);
	p[64] = 0xab;
	CEXPECT_EQ(kmem_cache_validate(s), 2);
	kmem_cache_destroy(s);
}

static void child_clobber_zone(void)
{
	struct kmem_cache *s = test_kmem_cache_create("TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);

	p[64] = 0x12;
	CEXPECT_EQ(kmem_cache_validate(s), 2);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

TEST(test_clobber_zone)
{
	ASSERT_EQ(run_in_child("mem=64M", child_clobber_zone), 0);
	EXPECT_REPORT("BUG TestSlub_RZ_alloc (Not tainted): Right Redzone overwritten\n");
	EXPECT_REPORT("First byte 0x12 instead of 0xcc\n");
	ASSERT_EQ(run_in_child("mem=64M", child_clobber_redzone_free), 0);
	EXPECT_REPORT("BUG TestSlub_RZ_free (Not tainted): Right Redzone overwritten\n");
	EXPECT_REPORT("First byte 0xab instead of 0xbb\n");
}

/* An 18-byte kmalloc: bytes 18..31 of its kmalloc-32 object are red zone. */
static void child_kmalloc_redzone(void)
{
	unsigned char *p = kmalloc(18, GFP_KERNEL);

	CEXPECT(p);
	tell("obj", p);
	p[18] = 0xab;
	p[19] = 0xab;
	CEXPECT_EQ(kmem_cache_validate(kmalloc_cache(32)), 2);
	kfree(p);
	p = kzalloc(18, GFP_KERNEL);
	CEXPECT(p && !p[0] && !p[17]);
	kfree(p);
	CEXPECT_EQ(kmem_cache_validate(kmalloc_cache(32)), 0);
}

TEST(test_kmalloc_redzone_access)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=ZU,kmalloc-32", child_kmalloc_redzone), 0);
	obj = told("obj");
	EXPECT_REPORT("BUG kmalloc-32 (Not tainted): kmalloc Redzone overwritten\n");
	snprintf(expect, sizeof(expect), "INFO: 0x%016lx-0x%016lx @offset=", obj + 18, obj + 19);
	EXPECT_REPORT(expect);
	EXPECT_REPORT(". First byte 0xab instead of 0xcc\n");
	EXPECT_REPORT("INFO: Allocated in child_kmalloc_redzone+0x");
	snprintf(expect, sizeof(expect), "Object   %016lx: ", obj + 16);
	EXPECT_REPORT(expect);
	EXPECT_REPORT("FIX kmalloc-32: Restoring kmalloc Redzone 0x");
	/* Only the one report. */
	EXPECT_NO_REPORT("Right Redzone");
}

static void child_double_free(void)
{
	struct kmem_cache *s = kmalloc_cache(32);
	void *objs[200];
	char *p = kmalloc(20, GFP_KERNEL);

	CEXPECT(p);
	tell("obj", p);
	kfree(p);
	kfree(p);
	/* The freelist holds p once: no object is handed out twice. */
	for (int i = 0; i < 200; i++) {
		objs[i] = kmalloc(32, GFP_KERNEL);
		CEXPECT(objs[i]);
		for (int j = 0; j < i; j++)
			CEXPECT(objs[j] != objs[i]);
	}
	for (int i = 0; i < 200; i++)
		kfree(objs[i]);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
}

TEST(test_double_free)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-32", child_double_free), 0);
	obj = told("obj");
	EXPECT_REPORT("BUG kmalloc-32 (Not tainted): Object already free\n");
	EXPECT_REPORT("INFO: Allocated in child_double_free+0x");
	EXPECT_REPORT("INFO: Freed in child_double_free+0x");
	snprintf(expect, sizeof(expect), "FIX kmalloc-32: Object at 0x%016lx not freed\n", obj);
	EXPECT_REPORT(expect);
	/* F alone finds it too. */
	ASSERT_EQ(run_in_child("mem=64M slub_debug=F,kmalloc-32", child_double_free), 0);
	EXPECT_REPORT("BUG kmalloc-32 (Not tainted): Object already free\n");
	EXPECT_NO_REPORT("INFO: Allocated in");
}

static void child_invalid_free(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	CEXPECT(p);
	tell("obj", p);
	kfree(p + 1);
	kfree(p);
	p = kmalloc(32, GFP_KERNEL);
	CEXPECT(p);
	kfree(p);
	CEXPECT_EQ(kmem_cache_validate(kmalloc_cache(32)), 0);
}

TEST(test_invalid_pointer_free)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-32", child_invalid_free), 0);
	obj = told("obj");
	snprintf(expect, sizeof(expect),
		 "BUG kmalloc-32 (Not tainted): Invalid object pointer 0x%016lx\n", obj + 1);
	EXPECT_REPORT(expect);
	snprintf(expect, sizeof(expect), "FIX kmalloc-32: Object at 0x%016lx not freed\n", obj + 1);
	EXPECT_REPORT(expect);
	EXPECT_NO_REPORT("Tainted: B");	/* the real free was clean */
}

/*
 * The same in a tail page of a multi-page slab, which the free fast
 * paths tell from the tail's own copies (mm/slab.h, slab_set_tails()):
 * kfree() and kmem_cache_free() of a pointer into a tail page's object
 * are reported, and the slab is untouched.
 */
static void child_invalid_tail_free(void)
{
	struct kmem_cache *s = kmalloc_cache(2048);
	char *objs[64], *p = NULL;
	int n;

	for (n = 0; n < 64 && !p; n++) {
		objs[n] = kmalloc(2048, GFP_KERNEL);
		CEXPECT(objs[n]);
		if (virt_to_page(objs[n]) != slab_head_page(virt_to_page(objs[n])))
			p = objs[n];
	}
	CEXPECT(p && PageSlabTail(virt_to_page(p)));
	tell("obj", p);
	kfree(p + 1);
	kmem_cache_free(s, p + 8);
	while (n--)
		kfree(objs[n]);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
}

TEST(test_invalid_pointer_free_tail_page)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-2k", child_invalid_tail_free), 0);
	obj = told("obj");
	snprintf(expect, sizeof(expect),
		 "BUG kmalloc-2k (Not tainted): Invalid object pointer 0x%016lx\n", obj + 1);
	EXPECT_REPORT(expect);
	snprintf(expect, sizeof(expect),
		 "BUG kmalloc-2k (Tainted: B): Invalid object pointer 0x%016lx\n", obj + 8);
	EXPECT_REPORT(expect);
	snprintf(expect, sizeof(expect), "FIX kmalloc-2k: Object at 0x%016lx not freed\n", obj + 8);
	EXPECT_REPORT(expect);
}

static void child_destroy_live(void)
{
	struct kmem_cache *s = kmem_cache_create("TestSlub_destroy", 64, 0, 0, NULL);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	CEXPECT(p);
	tell("obj", p);
	CEXPECT_EQ(kmem_cache_destroy(s), -EBUSY);
	/* Still usable. */
	void *q = kmem_cache_alloc(s, GFP_KERNEL);
	CEXPECT(q);
	kmem_cache_free(s, q);
	kmem_cache_free(s, p);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
	CEXPECT_EQ(kmem_cache_destroy(s), 0);
}

TEST(test_destroy_with_live_objects)
{
	char expect[256];
	unsigned long obj;

	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,TestSlub_*", child_destroy_live), 0);
	obj = told("obj");
	EXPECT_REPORT("BUG TestSlub_destroy (Not tainted): Objects remaining in TestSlub_destroy "
		      "on __kmem_cache_shutdown()\n");
	snprintf(expect, sizeof(expect), "INFO: Object 0x%016lx @offset=", obj);
	EXPECT_REPORT(expect);
	EXPECT_REPORT("INFO: Allocated in child_destroy_live+0x");
	EXPECT_REPORT("kmem_cache_destroy TestSlub_destroy: Slab cache still has objects");
}

/* Slab padding and object padding are POISON_INUSE with P. */
static void child_padding(void)
{
	struct kmem_cache *s = kmalloc_cache(32);
	unsigned char *p = kmalloc(32, GFP_KERNEL);
	unsigned char *slab = (unsigned char *)((unsigned long)p & ~(PAGE_SIZE - 1));
	unsigned int objects = (unsigned int)(PAGE_SIZE / s->size);

	CEXPECT(PAGE_SIZE % s->size != 0 && oo_order(s->oo) == 0);
	tell("obj", p);
	slab[PAGE_SIZE - 1] = 0x77;
	p[s->size - s->red_left_pad - 1] = 0x66;	/* the slot's last byte */
	CEXPECT_EQ(kmem_cache_validate(s), 4);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
	kfree(p);
	CEXPECT(objects == oo_objects(s->oo));
}

TEST(test_padding)
{
	ASSERT_EQ(run_in_child("mem=64M slub_debug=FZPU,kmalloc-32", child_padding), 0);
	EXPECT_REPORT("BUG kmalloc-32 (Not tainted): Padding overwritten. 0x");
	EXPECT_REPORT("FIX kmalloc-32: Restoring slab padding 0x");
	EXPECT_REPORT("Object padding overwritten\n");
	EXPECT_REPORT("First byte 0x66 instead of 0x5a\n");
}

static void child_trace(void)
{
	kfree(kmalloc(64, GFP_KERNEL));
}

TEST(test_trace)
{
	ASSERT_EQ(run_in_child("mem=64M loglevel=7 slub_debug=T,kmalloc-64", child_trace), 0);
	EXPECT_REPORT("TRACE kmalloc-64 alloc 0x");
	EXPECT_REPORT("TRACE kmalloc-64 free 0x");
	EXPECT_REPORT("Object   ");
}

/* ---- hardened and random freelists ---- */

static void child_hardened_double_free(void)
{
	struct kmem_cache *s = test_kmem_cache_create("test_hard_df", 64, SLAB_NO_MERGE);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);
	void *objs[100];

	kmem_cache_free(s, a);
	kmem_cache_free(s, a);	/* the head of the freelist: refused */
	for (int i = 0; i < 100; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		for (int j = 0; j < i; j++)
			CEXPECT(objs[j] != objs[i]);
	}
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_free(s, b);
	CEXPECT_EQ(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
}

TEST(test_freelist_hardened)
{
	struct kmem_cache *s;
	unsigned long raw, ptr_addr;
	char *a, *b;

	boot("mem=64M");
	s = test_kmem_cache_create("test_hard", 64, SLAB_NO_MERGE);
	ASSERT(s);
	EXPECT_EQ(s->random, 0);
	kmem_cache_destroy(s);

	boot("mem=64M umm.slab_freelist_hardened=1");
	EXPECT(kmem_cache->random != 0 && kmalloc_cache(64)->random != 0);
	EXPECT(kmalloc_cache(64)->random != kmalloc_cache(32)->random);
	s = test_kmem_cache_create("test_hard", 64, SLAB_NO_MERGE);
	ASSERT(s && s->random);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(a && b);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	/* b's free pointer is a, stored encoded. */
	ptr_addr = (unsigned long)b + s->offset;
	memcpy(&raw, (void *)ptr_addr, sizeof(raw));
	EXPECT(raw != (unsigned long)a);
	EXPECT_EQ(raw, (unsigned long)a ^ s->random ^ __builtin_bswap64(ptr_addr));
	EXPECT(kmem_cache_alloc(s, GFP_KERNEL) == b);
	EXPECT(kmem_cache_alloc(s, GFP_KERNEL) == a);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
	umm_shutdown();

	ASSERT_EQ(run_in_child("mem=64M umm.slab_freelist_hardened=1", child_hardened_double_free), 0);
	EXPECT_REPORT("kernel BUG at mm/slub.c:");
	EXPECT_REPORT("test_hard_df: double free or corruption of object 0x");
}

/* Objects come out of a new slab in the cache's random order. */
TEST(test_freelist_random)
{
	static void *objs[4096];
	struct kmem_cache *s;
	unsigned int n, inversions = 0;
	char *base;

	boot("mem=64M");
	s = test_kmem_cache_create("test_rand", 64, SLAB_NO_MERGE);
	ASSERT(s);
	EXPECT(s->random_seq == NULL);
	n = oo_objects(s->oo);
	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (unsigned int i = 1; i < n; i++)
		EXPECT((char *)objs[i] == (char *)objs[i - 1] + s->size);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);

	boot("mem=64M umm.slab_freelist_random=1");
	EXPECT(kmalloc_cache(64)->random_seq != NULL);
	EXPECT(kmem_cache->random_seq != NULL);
	s = test_kmem_cache_create("test_rand", 64, SLAB_NO_MERGE);
	ASSERT(s && s->random_seq);
	n = oo_objects(s->oo);
	ASSERT(n > 8 && n <= ARRAY_SIZE(objs));
	for (unsigned int i = 0; i < n; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		ASSERT(objs[i]);
	}
	/* One slab, every object once, not in address order. */
	base = slab_address(virt_to_slab(objs[0]));
	for (unsigned int i = 0; i < n; i++) {
		unsigned long off = (unsigned long)((char *)objs[i] - base);

		EXPECT(off < n * s->size && off % s->size == 0);
		for (unsigned int j = 0; j < i; j++)
			EXPECT(objs[j] != objs[i]);
		if (i && objs[i] < objs[i - 1])
			inversions++;
	}
	EXPECT(inversions > n / 8);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_validate(s), 0);
	kmem_cache_destroy(s);
	umm_shutdown();
}

/* ---- a randomized workload under every option ---- */

struct soak_obj {
	struct kmem_cache *s;
	unsigned char *p;
	size_t len;
	unsigned char fill;
};

static unsigned int soak_rand(unsigned long long *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(*state >> 33);
}

static void soak_ctor(void *obj)
{
	memset(obj, 0x42, 48);
}

static struct kmem_cache *soak_caches[4];

static void soak_free(struct soak_obj *o, int *bad)
{
	for (size_t i = 0; i < o->len; i++)
		if (o->p[i] != o->fill) {
			(*bad)++;
			break;
		}
	if (o->s)
		kmem_cache_free(o->s, o->p);
	else
		kfree(o->p);
	o->p = NULL;
}

/* Random allocations and frees over kmalloc and four caches; 0 if clean. */
static int soak(unsigned long long seed, int steps, bool check)
{
	static __thread struct soak_obj live[512];
	unsigned long long st = seed;
	int bad = 0;

	memset(live, 0, sizeof(live));
	for (int step = 0; step < steps; step++) {
		struct soak_obj *o = &live[soak_rand(&st) % 512];

		if (o->p) {
			soak_free(o, &bad);
			continue;
		}
		switch (soak_rand(&st) % 3) {
		case 0:
			o->s = NULL;
			o->len = soak_rand(&st) % 3000 + 1;
			o->p = kmalloc(o->len, GFP_KERNEL);
			break;
		case 1:
			o->s = NULL;
			o->len = soak_rand(&st) % 200 + 1;
			o->p = kzalloc(o->len, GFP_KERNEL);
			break;
		default:
			o->s = soak_caches[soak_rand(&st) % 4];
			o->len = kmem_cache_size(o->s);
			o->p = kmem_cache_alloc(o->s, GFP_KERNEL);
			break;
		}
		if (!o->p)
			return -ENOMEM;
		o->fill = (unsigned char)soak_rand(&st);
		memset(o->p, o->fill, o->len);
		if (check && step % 2000 == 0 && umm_slab_check())
			return -EUCLEAN;
	}
	for (int i = 0; i < 512; i++)
		if (live[i].p)
			soak_free(&live[i], &bad);
	return bad ? -EIO : 0;
}

static void *soak_thread(void *arg)
{
	return (void *)(long)soak((unsigned long long)(long)arg, 20000, false);
}

static int soak_running;

/* Validation while others allocate and free finds nothing to report. */
static void *validate_thread(void *arg)
{
	long errors = 0;

	(void)arg;
	while (__atomic_load_n(&soak_running, __ATOMIC_ACQUIRE)) {
		for (int i = 0; i < 4; i++)
			errors += kmem_cache_validate(soak_caches[i]);
		errors += kmem_cache_validate(kmalloc_cache(64));
		errors += kmem_cache_validate(kmalloc_cache(2048));
	}
	return (void *)errors;
}

TEST(test_options_soak)
{
	static const char *const cmdlines[] = {
		"mem=128M",
		"mem=128M umm.slab_freelist_hardened=1",
		"mem=128M umm.slab_freelist_random=1",
		"mem=128M umm.slab_freelist_hardened=1 umm.slab_freelist_random=1",
		"mem=128M slub_debug=FZPU",
		"mem=128M slub_debug=FZPU umm.slab_freelist_hardened=1 umm.slab_freelist_random=1",
		"mem=128M numa=fake=2 slub_debug=ZP,kmalloc-*;FU,soak_*",
	};

	for (size_t c = 0; c < ARRAY_SIZE(cmdlines); c++) {
		struct kmem_cache *s;
		pthread_t th[3], vth;
		void *ret;

		boot(cmdlines[c]);
		soak_caches[0] = kmem_cache_create("soak_a", 24, 0, 0, NULL);
		soak_caches[1] = kmem_cache_create("soak_b", 100, 64, SLAB_HWCACHE_ALIGN, NULL);
		soak_caches[2] = kmem_cache_create("soak_c", 48, 0, 0, soak_ctor);
		soak_caches[3] = kmem_cache_create("soak_d", 700, 0, SLAB_NO_MERGE, NULL);
		for (int i = 0; i < 4; i++)
			ASSERT(soak_caches[i]);
		EXPECT_EQ(soak(c + 1, 30000, true), 0);
		__atomic_store_n(&soak_running, 1, __ATOMIC_RELEASE);
		pthread_create(&vth, NULL, validate_thread, NULL);
		for (int i = 0; i < 3; i++)
			pthread_create(&th[i], NULL, soak_thread, (void *)(long)(c * 10 + i + 100));
		for (int i = 0; i < 3; i++) {
			pthread_join(th[i], &ret);
			EXPECT_EQ((long)ret, 0);
		}
		__atomic_store_n(&soak_running, 0, __ATOMIC_RELEASE);
		pthread_join(vth, &ret);
		EXPECT_EQ((long)ret, 0);
		CHECK_SLAB();
		list_for_each_entry(s, &slab_caches, list)
			EXPECT_EQ(kmem_cache_validate(s), 0);
		for (int i = 0; i < 4; i++)
			EXPECT_EQ(kmem_cache_destroy(soak_caches[i]), 0);
		CHECK_SLAB();
		if (test_current_failed)
			fprintf(stderr, "with %s\n", cmdlines[c]);
	}
	umm_shutdown();
}

/* ---- failslab ---- */

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages() + umm_pcp_pages();
}

static struct kmem_cache *fs_cache;

/* Every cache shrunk: what is left in the kmalloc caches is what is live. */
static void quiesce(unsigned long *active)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, list)
		kmem_cache_shrink(s);
	for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++) {
		struct slabinfo si;

		s = kmalloc_caches[KMALLOC_NORMAL][i];
		active[i] = 0;
		if (!s)
			continue;
		get_slabinfo(s, &si);
		active[i] = si.active_objs;
	}
}

TEST(test_failslab)
{
	unsigned long active0[KMALLOC_SHIFT_HIGH + 1], active1[KMALLOC_SHIFT_HIGH + 1];
	unsigned long free0;
	void *objs[1000];
	int failed;
	char *p, *q;

	boot("mem=64M");
	fs_cache = kmem_cache_create("test_failslab", 96, 0, SLAB_NO_MERGE, NULL);
	ASSERT(fs_cache);
	/* vmalloc once before counting: it keeps its vmap area structures. */
	vfree(vmalloc(6000));
	quiesce(active0);
	free0 = free_pages_now();

	ASSERT_EQ(umm_param_set("failslab.verbose=0"), 0);
	ASSERT_EQ(umm_param_set("failslab.ignore-gfp-wait=0"), 0);
	/* times: the next three allocations fail, then no more. */
	ASSERT_EQ(umm_param_set("failslab=1,100,0,3"), 0);
	EXPECT(kmalloc(32, GFP_KERNEL) == NULL);
	EXPECT(kmem_cache_alloc(fs_cache, GFP_KERNEL) == NULL);
	EXPECT(kstrdup("failslab", GFP_KERNEL) == NULL);
	p = kstrdup("failslab", GFP_KERNEL);
	EXPECT(p && !strcmp(p, "failslab"));
	/* krealloc keeps the old object when the new one fails. */
	ASSERT_EQ(umm_param_set("failslab=1,100,0,1"), 0);
	q = krealloc(p, 200, GFP_KERNEL);
	EXPECT(q == NULL);
	EXPECT_STREQ(p, "failslab");
	kfree(p);
	/* kvmalloc: small sizes fail, larger ones fall back to vmalloc. */
	ASSERT_EQ(umm_param_set("failslab=1,100,0,2"), 0);
	EXPECT(kvmalloc(100, GFP_KERNEL) == NULL);
	p = kvmalloc(6000, GFP_KERNEL);
	EXPECT(p && is_vmalloc_addr(p));
	kvfree(p);
	/* A bulk allocation that fails half way gives everything back. */
	ASSERT_EQ(umm_param_set("failslab=20,100,0,1"), 0);
	EXPECT_EQ(kmem_cache_alloc_bulk(fs_cache, GFP_KERNEL, 50, objs), 0);
	/* interval: every third eligible call. */
	ASSERT_EQ(umm_param_set("failslab=3,100,0,-1"), 0);
	failed = 0;
	for (int i = 0; i < 300; i++) {
		objs[i] = kmalloc(64, GFP_KERNEL);
		failed += !objs[i];
	}
	EXPECT_EQ(failed, 100);
	for (int i = 0; i < 300; i++)
		kfree(objs[i]);
	/* probability: about half. */
	ASSERT_EQ(umm_param_set("failslab=1,50,0,-1"), 0);
	failed = 0;
	for (int i = 0; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(fs_cache, GFP_KERNEL);
		failed += !objs[i];
	}
	EXPECT(failed > 350 && failed < 650);
	for (int i = 0; i < 1000; i++)
		kmem_cache_free(fs_cache, objs[i]);
	/* __GFP_NOFAIL never fails; space lets bytes through first. */
	ASSERT_EQ(umm_param_set("failslab=1,100,100,-1"), 0);
	p = kmalloc(64, GFP_KERNEL);
	EXPECT(p != NULL);
	EXPECT(kmalloc(64, GFP_KERNEL) == NULL);
	q = kmalloc(64, GFP_KERNEL | __GFP_NOFAIL);
	EXPECT(q != NULL);
	kfree(p);
	kfree(q);
	/* ignore-gfp-wait=1 (the default): only allocations that cannot sleep. */
	ASSERT_EQ(umm_param_set("failslab.ignore-gfp-wait=1"), 0);
	ASSERT_EQ(umm_param_set("failslab=1,100,0,-1"), 0);
	p = kmalloc(64, GFP_KERNEL);
	EXPECT(p != NULL);
	kfree(p);
	EXPECT(kmalloc(64, GFP_ATOMIC) == NULL);
	/* cache-filter: only caches with SLAB_FAILSLAB. */
	ASSERT_EQ(umm_param_set("failslab.cache-filter=1"), 0);
	struct kmem_cache *marked = kmem_cache_create("test_marked", 64, 0, SLAB_FAILSLAB, NULL);
	ASSERT(marked);
	EXPECT(kmem_cache_alloc(marked, GFP_ATOMIC) == NULL);
	p = kmalloc(64, GFP_ATOMIC);
	EXPECT(p != NULL);
	kfree(p);
	ASSERT_EQ(umm_param_set("failslab=1,0,0,1"), 0);	/* off */
	EXPECT_EQ(kmem_cache_destroy(marked), 0);

	/* Nothing leaked: slabs and free pages are back where they were. */
	quiesce(active1);
	for (unsigned int i = 0; i <= KMALLOC_SHIFT_HIGH; i++)
		EXPECT_EQ(active1[i], active0[i]);
	EXPECT_EQ(free_pages_now(), free0);
	CHECK_SLAB();
	EXPECT_EQ(kmem_cache_destroy(fs_cache), 0);

	/* Set at boot: boot's own allocations pass, the first ones after fail. */
	boot("mem=64M failslab=1,100,0,1 failslab.ignore-gfp-wait=0 failslab.verbose=0");
	EXPECT(kmalloc(8, GFP_KERNEL) == NULL);
	p = kmalloc(8, GFP_KERNEL);
	EXPECT(p != NULL);
	kfree(p);
	umm_shutdown();
}

static void child_failslab_verbose(void)
{
	CEXPECT_EQ(umm_param_set("failslab=1,100,0,1"), 0);
	CEXPECT(kmalloc(8, GFP_ATOMIC) == NULL);
	CEXPECT(kmalloc(8, GFP_ATOMIC | __GFP_NOWARN) != NULL);
}

TEST(test_failslab_verbose)
{
	ASSERT_EQ(run_in_child("mem=64M", child_failslab_verbose), 0);
	EXPECT_REPORT("FAULT_INJECTION: forcing a failure.\nname failslab, interval 1, probability 100");
}

int main(void)
{
	RUN(test_slub_debug_parsing);
	RUN(test_slub_debug_everything);
	RUN(test_clobber_right_redzone);
	RUN(test_clobber_left_redzone);
	RUN(test_next_pointer);
	RUN(test_write_after_free);
	RUN(test_clobber_zone);
	RUN(test_kmalloc_redzone_access);
	RUN(test_double_free);
	RUN(test_invalid_pointer_free);
	RUN(test_invalid_pointer_free_tail_page);
	RUN(test_destroy_with_live_objects);
	RUN(test_padding);
	RUN(test_trace);
	RUN(test_freelist_hardened);
	RUN(test_freelist_random);
	RUN(test_options_soak);
	RUN(test_failslab);
	RUN(test_failslab_verbose);
	TEST_EXIT();
}
