// SPDX-License-Identifier: GPL-2.0
/*
 * test_slab_sysfs.c - /sys/kernel/slab/<cache>/ (mm/slub.c's sysfs part)
 * through umm_proc_read(), umm_proc_write() and umm_proc_list(): the
 * counts of known allocations per node, the debug flags, validate and
 * shrink as writes, the errors, directory listings, and every file's
 * format against the kernel source's (as a pattern), which the host's own
 * /sys/kernel/slab/kmalloc-64 must match too when it is readable.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include <regex.h>
#include "tests/test.h"
#include "mm/slab.h"

static char out[16384];

static void boot(const char *cmdline)
{
	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
}

/* umm's /sys/kernel/slab/CACHE/ATTR, into out. */
static const char *attr(const char *cache, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, name);
	out[0] = '\0';
	if (umm_proc_read(path, out, sizeof(out)) < 0)
		return "(error)";
	return out;
}

static ssize_t store(const char *cache, const char *name, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, name);
	return umm_proc_write(path, val, strlen(val));
}

/* Each "name", "value" pair of the NULL-terminated @pairs is @cache's file. */
static void expect_attrs(const char *cache, const char *const *pairs)
{
	for (; *pairs; pairs += 2) {
		const char *text = attr(cache, pairs[0]);

		__EXPECT(!strcmp(text, pairs[1]), 0, ": %s/%s is \"%s\", expected \"%s\"", cache,
			 pairs[0], text, pairs[1]);
	}
}

static unsigned long attr_ul(const char *cache, const char *name)
{
	return strtoul(attr(cache, name), NULL, 10);
}

TEST(test_counts_per_node)
{
	unsigned int per;
	void **objs;
	int n = 0;

	boot("mem=64M numa=fake=2");
	struct kmem_cache *s = kmem_cache_create("sysfs_t", 200, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	per = oo_objects(s->oo);
	objs = calloc(5 * per, sizeof(*objs));
	ASSERT(objs);
	EXPECT_STREQ(attr("sysfs_t", "slabs"), "0\n");
	/* 3 full slabs and one object on node 0, then one full slab on node 1. */
	for (unsigned int i = 0; i < 3 * per + 1; i++)
		ASSERT((objs[n++] = kmem_cache_alloc_node(s, GFP_KERNEL, 0)));
	for (unsigned int i = 0; i < per; i++)
		ASSERT((objs[n++] = kmem_cache_alloc_node(s, GFP_KERNEL, 1)));
	char want[128];
	EXPECT_STREQ(attr("sysfs_t", "slabs"), "5 N0=4 N1=1\n");
	snprintf(want, sizeof(want), "%u N0=%u N1=%u\n", 5 * per, 4 * per, per);
	EXPECT_STREQ(attr("sysfs_t", "total_objects"), want);
	/* The node 0 slab with one object went to its node's partial list. */
	snprintf(want, sizeof(want), "%u N0=%u N1=%u\n", 4 * per + 1, 3 * per + 1, per);
	EXPECT_STREQ(attr("sysfs_t", "objects"), want);
	EXPECT_STREQ(attr("sysfs_t", "partial"), "1 N0=1\n");
	EXPECT_STREQ(attr("sysfs_t", "objects_partial"), "1 N0=1\n");
	EXPECT_STREQ(attr("sysfs_t", "cpu_slabs"), "1 N1=1\n");
	snprintf(want, sizeof(want), "%u\n", per);
	EXPECT_STREQ(attr("sysfs_t", "objs_per_slab"), want);
	EXPECT_STREQ(attr("sysfs_t", "object_size"), "200\n");
	/* /proc/slabinfo's figures are the same counts. */
	struct slabinfo si;
	get_slabinfo(s, &si);
	EXPECT_EQ(si.active_objs, attr_ul("sysfs_t", "objects"));
	EXPECT_EQ(si.num_slabs, attr_ul("sysfs_t", "slabs"));

	/* Free all, then shrink through sysfs: every slab goes back. */
	for (int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	EXPECT(attr_ul("sysfs_t", "slabs") > 0);
	EXPECT_EQ(store("sysfs_t", "shrink", "1"), 1);
	expect_attrs("sysfs_t", (const char *const[]){
		"slabs", "0\n", "objects", "0\n", "total_objects", "0\n", "cpu_slabs", "0\n",
		"slabs_cpu_partial", "0(0)\n", "shrink", "", NULL });
	EXPECT_EQ(umm_slab_check(), 0);
	free(objs);
	kmem_cache_destroy(s);
	umm_shutdown();
}

/*
 * A full slab that gets a free joins this thread's cpu partial list (once
 * the sheaf that takes such frees overflows): slabs_cpu_partial shows it.
 */
TEST(test_cpu_partial)
{
	static void *objs[4096];
	unsigned int per, half;
	char want[128];

	boot("mem=64M");
	struct kmem_cache *s = kmem_cache_create("sysfs_cp", 128, 0, SLAB_NO_MERGE, NULL);
	ASSERT(s);
	per = oo_objects(s->oo);
	ASSERT(per >= 11 && 4 * per <= ARRAY_SIZE(objs));
	for (unsigned int i = 0; i < 4 * per; i++)
		ASSERT((objs[i] = kmem_cache_alloc(s, GFP_KERNEL)));
	/* 33 frees round the three full slabs: the sheaf's oldest 16 reach all three. */
	for (unsigned int i = 0; i < SLUB_SHEAF_CAPACITY + 1; i++) {
		kmem_cache_free(s, objs[(i % 3) * per + i / 3]);
		objs[(i % 3) * per + i / 3] = NULL;
	}
	half = 3 * per / 2;
	snprintf(want, sizeof(want), "%u(3) C0=%u(3)\n", half, half);
	EXPECT_STREQ(attr("sysfs_cp", "slabs_cpu_partial"), want);
	EXPECT_STREQ(attr("sysfs_cp", "cpu_slabs"), "4 N0=4\n");	/* the cpu slab and 3 */
	EXPECT_STREQ(attr("sysfs_cp", "sheaf_capacity"), "32\n");
	EXPECT_EQ(store("sysfs_cp", "sheaf_capacity", "0"), -EACCES);
	/* cpu_partial=0 turns the lists (and the sheaf) off and flushes them. */
	EXPECT_EQ(store("sysfs_cp", "cpu_partial", "0"), 1);
	expect_attrs("sysfs_cp", (const char *const[]){
		"cpu_partial", "0\n", "sheaf_capacity", "0\n", "slabs_cpu_partial", "0(0)\n",
		"cpu_slabs", "0\n", NULL });
	EXPECT_EQ(store("sysfs_cp", "cpu_partial", "120\n"), 4);
	EXPECT_STREQ(attr("sysfs_cp", "sheaf_capacity"), "32\n");
	EXPECT_EQ(umm_slab_check(), 0);
	for (unsigned int i = 0; i < 4 * per; i++)
		kmem_cache_free(s, objs[i]);
	EXPECT_EQ(kmem_cache_destroy(s), 0);
	umm_shutdown();
}

TEST(test_debug_flags_and_validate)
{
	boot("mem=64M slub_debug=FZPU,sysfs_dbg");
	struct kmem_cache *s = kmem_cache_create("sysfs_dbg", 100, 0, 0, NULL);
	ASSERT(s);
	expect_attrs("sysfs_dbg", (const char *const[]){
		"sanity_checks", "1\n", "red_zone", "1\n", "poison", "1\n", "store_user", "1\n",
		"trace", "0\n", "cpu_partial", "0\n", "sheaf_capacity", "0\n", NULL });
	expect_attrs("kmalloc-64", (const char *const[]){
		"sanity_checks", "0\n", "red_zone", "0\n", "poison", "0\n", "store_user", "0\n",
		NULL });

	unsigned char *p = kmem_cache_alloc(s, GFP_KERNEL);
	ASSERT(p);
	EXPECT_STREQ(attr("sysfs_dbg", "objects"), "1 N0=1\n");
	EXPECT_STREQ(attr("sysfs_dbg", "cpu_slabs"), "0\n");	/* debugged: no cpu slab */
	EXPECT_STREQ(attr("sysfs_dbg", "validate"), "");
	EXPECT_EQ(store("sysfs_dbg", "validate", "1\n"), 2);
	EXPECT_EQ(kmem_cache_validate(s), 0);
	/* Overwrite the right red zone: validate through sysfs finds and repairs it. */
	p[100] = 0;
	EXPECT_EQ(store("sysfs_dbg", "validate", "1"), 1);
	EXPECT_EQ(kmem_cache_validate(s), 0);	/* nothing left to find */
	EXPECT_EQ(store("kmalloc-64", "validate", "1"), -EINVAL);	/* not debugged */
	EXPECT_EQ(store("sysfs_dbg", "validate", "0"), -EINVAL);
	EXPECT_EQ(store("sysfs_dbg", "cpu_partial", "5"), -EINVAL);
	kmem_cache_free(s, p);
	EXPECT_EQ(umm_slab_check(), 0);
	umm_shutdown();
}

static void sysfs_ctor(void *obj)
{
	memset(obj, 0, 8);
}

TEST(test_writes_and_errors)
{
	char buf[64];

	boot("mem=64M");
	EXPECT_EQ(store("kmalloc-64", "min_partial", "7\n"), 2);
	EXPECT_STREQ(attr("kmalloc-64", "min_partial"), "7\n");
	EXPECT_EQ(store("kmalloc-64", "min_partial", "abc"), -EINVAL);
	EXPECT_EQ(store("kmalloc-64", "min_partial", "-1"), -EINVAL);
	EXPECT_EQ(store("kmalloc-64", "min_partial", "7 "), -EINVAL);
	EXPECT_EQ(store("kmalloc-64", "min_partial", "99999999999999999999999"), -ERANGE);
	EXPECT_STREQ(attr("kmalloc-64", "min_partial"), "7\n");
	EXPECT_EQ(store("kmalloc-64", "shrink", "0"), -EINVAL);
	EXPECT_EQ(store("kmalloc-64", "objects", "1"), -EACCES);
	EXPECT_EQ(store("kmalloc-64", "alloc_fastpath", "0"), -EACCES);
	EXPECT_EQ(store("kmalloc-64", "nonsense", "1"), -ENOENT);
	EXPECT_EQ(store("no_such_cache", "shrink", "1"), -ENOENT);
	EXPECT_EQ(umm_proc_write("/sys/kernel/slab/kmalloc-64", "1", 1), -EISDIR);
	EXPECT_EQ(umm_proc_write("/sys/kernel/slab", "1", 1), -EISDIR);
	EXPECT_EQ(umm_proc_write("/proc/meminfo", "1", 1), -EACCES);
	EXPECT_EQ(umm_proc_write("/proc/nonsense", "1", 1), -ENOENT);
	EXPECT_EQ(umm_proc_write(NULL, "1", 1), -EINVAL);
	EXPECT_EQ(umm_proc_write("/sys/kernel/slab/kmalloc-64/shrink", NULL, 1), -EINVAL);
	EXPECT_EQ(umm_proc_write("/sys/kernel/slab/kmalloc-64/shrink", "", 0), 0);
	/* a path through a file: ENOTDIR, as the host's cat says */
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/kmalloc-64/objects/x", buf, sizeof(buf)), -ENOTDIR);
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/kmalloc-64/nonsense/x", buf, sizeof(buf)), -ENOENT);
	EXPECT_EQ(umm_proc_read("/proc/meminfo/", buf, sizeof(buf)), -ENOTDIR);
	EXPECT_EQ(umm_proc_read("/sys/kernel/slabby/x", buf, sizeof(buf)), -ENOENT);

	/* ctor: empty without one, the kernel's %pS with one. */
	EXPECT_STREQ(attr("kmalloc-64", "ctor"), "");
	struct kmem_cache *s = kmem_cache_create("sysfs_ctor", 64, 0, SLAB_NO_MERGE, sysfs_ctor);
	ASSERT(s);
	EXPECT(!strncmp(attr("sysfs_ctor", "ctor"), "sysfs_ctor+0x0/0x", 17));
	EXPECT_STREQ(attr("sysfs_ctor", "aliases"), "0\n");
	/* snprintf semantics: the full length, a cut and terminated string. */
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/sysfs_ctor/object_size", buf, 2), 3);
	EXPECT_STREQ(buf, "6");
	kmem_cache_destroy(s);
	umm_shutdown();
}

/* Is @list one name a line, in strcmp() order, holding @name? */
static bool sorted_and_holds(const char *list, const char *name)
{
	char prev[256] = "", line[256];
	bool found = false;

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, "\n");

		if (!len || len >= sizeof(line) || !p[len])
			return false;
		memcpy(line, p, len);
		line[len] = '\0';
		if (prev[0] && strcmp(prev, line) >= 0)
			return false;
		found |= !strcmp(line, name);
		strcpy(prev, line);
		p += len + 1;
	}
	return found;
}

TEST(test_directories)
{
	static const char *const wanted[] = {
		"objects", "slabs", "partial", "total_objects", "red_zone", "poison",
		"store_user", "sanity_checks", "validate", "shrink", "cpu_slabs",
		"objects_partial", "slabs_cpu_partial", "alloc_fastpath",
	};
	char small[8];

	boot("mem=64M");
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab", out, sizeof(out)), -EISDIR);
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/", out, sizeof(out)), -EISDIR);
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/kmalloc-64", out, sizeof(out)), -EISDIR);
	EXPECT_EQ(umm_proc_read("/sys/kernel/slab/kmalloc-64/", out, sizeof(out)), -EISDIR);
	EXPECT_EQ(umm_proc_read("/proc", out, sizeof(out)), -EISDIR);
	EXPECT(umm_proc_list("/sys/kernel/slab", out, sizeof(out)) > 0);
	EXPECT(sorted_and_holds(out, "kmalloc-64"));
	EXPECT(sorted_and_holds(out, "kmalloc-rcl-8k"));
	EXPECT(umm_proc_list("/sys/kernel/slab/", out, sizeof(out)) > 0);
	EXPECT(sorted_and_holds(out, "dma-kmalloc-64"));
	for (size_t i = 0; i < ARRAY_SIZE(wanted); i++) {
		ASSERT(umm_proc_list("/sys/kernel/slab/kmalloc-64/", out, sizeof(out)) > 0);
		EXPECT(sorted_and_holds(out, wanted[i]));
	}
	EXPECT_EQ(umm_proc_list("/sys/kernel/slab/kmalloc-64/objects", out, sizeof(out)), -ENOTDIR);
	EXPECT_EQ(umm_proc_list("/sys/kernel/slab/kmalloc-64/nonsense", out, sizeof(out)), -ENOENT);
	EXPECT_EQ(umm_proc_list("/sys/kernel/slab/no_such_cache", out, sizeof(out)), -ENOENT);
	EXPECT(umm_proc_list("/proc", out, sizeof(out)) > 0);
	EXPECT(sorted_and_holds(out, "meminfo"));
	EXPECT_EQ(umm_proc_list("/proc/meminfo", out, sizeof(out)), -ENOTDIR);
	EXPECT_EQ(umm_proc_list("/nonsense", out, sizeof(out)), -ENOENT);
	ssize_t len = umm_proc_list("/proc", small, sizeof(small));
	EXPECT(len > (ssize_t)sizeof(small));
	EXPECT_EQ(strlen(small), sizeof(small) - 1);
	EXPECT_EQ(umm_proc_list("/proc", NULL, 0), len);
	umm_shutdown();
}

/*
 * Each file's format as Linux 6.18's mm/slub.c prints it (sysfs_emit()
 * formats), as an extended regular expression.  Files umm has and the
 * host need not (CONFIG_FAILSLAB, CONFIG_SLUB_STATS) are included; those
 * the host may have and umm does not are in host_only[].
 */
#define NUM	"^[0-9]+\n$"
#define FLAG	"^[01]\n$"
#define NODES	"^[0-9]+( N[0-9]+=[0-9]+)*\n$"
#define STAT	"^[0-9]+( C[0-9]+=[0-9]+)*\n$"
static const struct {
	const char *name, *pattern;
} formats[] = {
	{ "aliases", NUM }, { "align", NUM }, { "cache_dma", FLAG },
	{ "cpu_partial", NUM }, { "cpu_slabs", NODES },
	{ "ctor", "^$|^[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+/0x[0-9a-f]+( \\[[^]]+\\])?\n$" },
	{ "destroy_by_rcu", FLAG }, { "failslab", FLAG }, { "hwcache_align", FLAG },
	{ "min_partial", NUM }, { "object_size", NUM }, { "objects", NODES },
	{ "objects_partial", NODES }, { "objs_per_slab", NUM }, { "order", NUM },
	{ "partial", NODES }, { "poison", FLAG }, { "reclaim_account", FLAG },
	{ "red_zone", FLAG }, { "sanity_checks", FLAG }, { "sheaf_capacity", NUM },
	{ "shrink", "^$" }, { "slab_size", NUM }, { "slabs", NODES },
	{ "slabs_cpu_partial", "^[0-9]+\\([0-9]+\\)( C[0-9]+=[0-9]+\\([0-9]+\\))*\n$" },
	{ "store_user", FLAG }, { "total_objects", NODES }, { "trace", FLAG },
	{ "usersize", NUM }, { "validate", "^$" },
};
/* umm has no remote_node_defrag_ratio to tune (see mm/slub.c), and no KFENCE. */
static const char *const host_only[] = { "remote_node_defrag_ratio", "skip_kfence" };

static const char *format_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		if (!strcmp(formats[i].name, name))
			return formats[i].pattern;
	for (int si = 0; si < NR_SLUB_STAT_ITEMS; si++)
		if (!strcmp(slub_stat_names[si], name))
			return STAT;
	return NULL;
}

static bool matches(const char *pattern, const char *text)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return ok;
}

static bool umm_has(const char *name)
{
	char list[4096];

	return umm_proc_list("/sys/kernel/slab/kmalloc-64", list, sizeof(list)) > 0 &&
	       sorted_and_holds(list, name);
}

TEST(test_formats_against_kernel_and_host)
{
	void *objs[200];

	boot("mem=64M numa=fake=2");
	/* kmalloc-64 in use on both nodes, so that N0= and N1= appear. */
	for (int i = 0; i < 200; i++)
		ASSERT((objs[i] = kmalloc_node(64, GFP_KERNEL, i & 1)));
	ASSERT(umm_proc_list("/sys/kernel/slab/kmalloc-64", out, sizeof(out)) > 0);
	char names[4096];
	strcpy(names, out);
	int checked = 0;
	for (char *name = strtok(names, "\n"); name; name = strtok(NULL, "\n"), checked++) {
		const char *pattern = format_of(name);
		const char *text = attr("kmalloc-64", name);

		__EXPECT(pattern && matches(pattern, text), 0, ": umm's %s is \"%s\"", name, text);
	}
	EXPECT(checked >= (int)ARRAY_SIZE(formats));
	EXPECT(strstr(attr("kmalloc-64", "objects"), " N1="));

	/* The host's kmalloc-64, where it can be read (root, CONFIG_SLUB_DEBUG). */
	DIR *dir = opendir("/sys/kernel/slab/kmalloc-64");
	FILE *probe = fopen("/sys/kernel/slab/kmalloc-64/objects", "r");
	if (!dir || !probe) {
		fprintf(stderr, "host /sys/kernel/slab/kmalloc-64 is not readable here: "
				"formats checked against the kernel source's only\n");
	} else {
		int host_files = 0;
		struct dirent *de;

		while ((de = readdir(dir))) {
			char path[512], text[4096] = "";
			bool only = false;
			size_t len;
			FILE *f;

			if (de->d_name[0] == '.')
				continue;
			for (size_t i = 0; i < ARRAY_SIZE(host_only); i++)
				only |= !strcmp(de->d_name, host_only[i]);
			if (only)
				continue;
			if (!umm_has(de->d_name)) {
				/* a newer kernel's file: said, not a failure */
				fprintf(stderr, "note: the host has %s, umm does not\n", de->d_name);
				continue;
			}
			snprintf(path, sizeof(path), "/sys/kernel/slab/kmalloc-64/%s", de->d_name);
			f = fopen(path, "r");
			if (!f)
				continue;	/* write-only on this host */
			len = fread(text, 1, sizeof(text) - 1, f);
			text[len] = '\0';
			fclose(f);
			const char *pattern = format_of(de->d_name);
			__EXPECT(pattern && matches(pattern, text), 0, ": the host's %s is \"%s\"",
				 de->d_name, text);
			host_files++;
		}
		fprintf(stderr, "host kmalloc-64: %d files compared\n", host_files);
		EXPECT(host_files > 20);
	}
	if (dir)
		closedir(dir);
	if (probe)
		fclose(probe);
	for (int i = 0; i < 200; i++)
		kfree(objs[i]);
	umm_shutdown();
}

/*
 * Stores race kmem_cache_destroy() of their cache: one thread creates and
 * destroys "sysfs_race" (objects allocated, so shrink has work) while
 * this one writes its shrink, cpu_partial and min_partial.  Each store
 * finds the cache or answers -ENOENT; none may reach a freed cache (ASan
 * names a use after free; a crash or hang fails under the alarm).
 */
static volatile bool race_stop;

static void *create_destroy(void *arg)
{
	unsigned long *rounds = arg;

	while (!__atomic_load_n(&race_stop, __ATOMIC_RELAXED)) {
		struct kmem_cache *s = kmem_cache_create("sysfs_race", 96, 0, SLAB_NO_MERGE,
							 NULL);
		void *objs[40];

		if (!s)
			continue;
		for (int i = 0; i < 40; i++)
			objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		sched_yield();	/* on one CPU too, the stores find the cache sometimes */
		for (int i = 0; i < 40; i++)
			if (objs[i])
				kmem_cache_free(s, objs[i]);
		kmem_cache_destroy(s);
		__atomic_add_fetch(rounds, 1, __ATOMIC_RELAXED);
		sched_yield();	/* ... and sometimes not */
	}
	return NULL;
}

TEST(test_store_races_destroy)
{
	static const char *const files[][2] = { { "shrink", "1" }, { "cpu_partial", "13" },
						 { "min_partial", "3" } };
	unsigned long rounds = 0, found = 0, missing = 0;
	pthread_t t;

	boot("mem=64M");
	alarm(60);
	ASSERT_EQ(pthread_create(&t, NULL, create_destroy, &rounds), 0);
	/* until both answers came, over 200 rounds (the alarm bounds it) */
	for (int i = 0; i < 20000 || __atomic_load_n(&rounds, __ATOMIC_RELAXED) < 200 ||
			!found || !missing; i++) {
		const char *const *f = files[i % 3];
		ssize_t ret = store("sysfs_race", f[0], f[1]);

		if (i % 16 == 15)
			sched_yield();	/* slab_mutex is not fair: let the other thread in */

		if (ret == (ssize_t)strlen(f[1])) {
			found++;
		} else {
			EXPECT_EQ(ret, -ENOENT);
			if (ret != -ENOENT)
				break;
			missing++;
		}
	}
	__atomic_store_n(&race_stop, true, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
	alarm(0);
	printf("%lu stores found the cache, %lu did not, over %lu create/destroy rounds\n",
	       found, missing, rounds);
	EXPECT(found > 0);
	EXPECT(missing > 0);
	umm_shutdown();
}

int main(void)
{
	RUN(test_counts_per_node);
	RUN(test_cpu_partial);
	RUN(test_debug_flags_and_validate);
	RUN(test_writes_and_errors);
	RUN(test_directories);
	RUN(test_formats_against_kernel_and_host);
	RUN(test_store_races_destroy);
	TEST_EXIT();
}
