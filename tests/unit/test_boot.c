// SPDX-License-Identifier: GPL-2.0
/*
 * test_boot.c - boot, shutdown and the command line (mm/mm_init.c,
 * kernel/params.c): every parameter parses, every bad one is refused
 * with -EINVAL and leaves umm unbooted, $UMM_CMDLINE applies and an
 * explicit command line overrides it, implicit boot on first use works,
 * mem= is all the memory unless hot-add is asked for (rounded down to
 * 4 MiB; a default mem= follows umm.max_mem=), umm_cmdline_check() reads
 * a line without booting, and boot/shutdown cycles leak no host resources.
 */
#include <fcntl.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/internal.h"
#include "mm/slab.h"

/* No malloc here: sanitizer allocators map memory as they go. */
static int count_lines(const char *path)
{
	static char buf[1 << 16];
	int fd = open(path, O_RDONLY), n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++)
			n += buf[i] == '\n';
	close(fd);
	return n;
}

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		n += fcntl(fd, F_GETFD) != -1;
	return n;
}

TEST(test_good_params)
{
	static const char *const good[] = {
		"", "mem=64M", "mem=1G numa=fake=4", "mem=65536K", "vmalloc=1G",
		"numa=off", "min_free_kbytes=1024", "watermark_scale_factor=100",
		"fail_page_alloc=10,50,0,-1", "fail_page_alloc.min-order=0",
		"fail_page_alloc.ignore-gfp-wait=n", "fail_page_alloc.verbose=0",
		"page_reporting.page_reporting_order=10", "loglevel=4",
		"umm.max_mem=2G", "umm.hotplug=0", "umm.pcp=off", "umm.mobility_grouping=0",
		"umm.page_reporting=0", "umm.page_reporting_min=16M", "umm.seed=99",
		"  mem=64M\tumm.pcp=1  ", "mem=\"64M\"",
	};

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		int err = umm_boot(good[i]);

		if (err)
			fprintf(stderr, "  '%s' refused\n", good[i]);
		EXPECT_EQ(err, 0);
		EXPECT(umm_is_booted());
		EXPECT_EQ(umm_page_alloc_check(), 0);
		umm_shutdown();
		EXPECT(!umm_is_booted());
	}
	ASSERT_EQ(umm_boot("mem=1G numa=fake=4 umm.max_mem=2G"), 0);
	EXPECT_EQ(totalram_pages(), 262144);
	EXPECT_EQ(nr_online_nodes, 4);
	EXPECT_EQ(umm_boot("mem=64M"), -EBUSY);
	umm_shutdown();
}

TEST(test_bad_params)
{
	static const char *const bad[] = {
		"mem=", "mem=banana", "mem=64X", "mem=-1G", "mem=1M", "frobnicate=1",
		"frobnicate", "numa=fake=0", "numa=fake=65", "numa=fake", "numa=on",
		"vmalloc=1", "min_free_kbytes=-5", "watermark_scale_factor=0",
		"fail_page_alloc=1,2,3", "fail_page_alloc=1,101,0,1",
		"fail_page_alloc=0,10,0,1", "fail_page_alloc.min-order=12",
		"fail_page_alloc.ignore-gfp-wait=maybe", "umm.pcp=2", "umm.seed=x",
		"page_reporting.page_reporting_order=11", "mem=2G umm.max_mem=1G",
		"umm.max_mem=1P", "loglevel=9", "mem", "mem=15M", "mem=64M numa=fake=32",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		int err = umm_boot(bad[i]);

		if (err != -EINVAL)
			fprintf(stderr, "  '%s' gave %d\n", bad[i], err);
		EXPECT_EQ(err, -EINVAL);
		EXPECT(!umm_is_booted());
		umm_shutdown();
	}
	/* A refused line changes nothing: the next boot has the defaults. */
	ASSERT_EQ(umm_boot(NULL), 0);
	EXPECT_EQ(totalram_pages(), (256UL << 20) >> PAGE_SHIFT);
	umm_shutdown();
}

TEST(test_env_cmdline)
{
	setenv("UMM_CMDLINE", "mem=128M numa=fake=2", 1);
	ASSERT_EQ(umm_boot(NULL), 0);
	EXPECT_EQ(totalram_pages(), 32768);
	EXPECT_EQ(nr_online_nodes, 2);
	EXPECT_STREQ(umm_cmdline(), "mem=128M numa=fake=2");
	umm_shutdown();
	/* The explicit line comes after the environment's and wins. */
	ASSERT_EQ(umm_boot("mem=64M"), 0);
	EXPECT_EQ(totalram_pages(), 16384);
	EXPECT_EQ(nr_online_nodes, 2);
	umm_shutdown();
	setenv("UMM_CMDLINE", "mem=oops", 1);
	EXPECT_EQ(umm_boot(NULL), -EINVAL);
	unsetenv("UMM_CMDLINE");
}

/* First use boots; a bad $UMM_CMDLINE makes allocations fail, loudly. */
TEST(test_implicit_boot)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		setenv("UMM_CMDLINE", "mem=32M", 1);
		struct page *p = alloc_page(GFP_KERNEL);
		_exit(!(p && umm_is_booted() && totalram_pages() == 8192));
	}
	waitpid(pid, &status, 0);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	pid = fork();
	if (pid == 0) {
		setenv("UMM_CMDLINE", "mem=bad", 1);
		struct page *p = alloc_page(GFP_KERNEL);
		_exit(!(p == NULL && !umm_is_booted()));
	}
	waitpid(pid, &status, 0);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* MemTotal from /proc/meminfo, in kB. */
static unsigned long meminfo_total_kb(void)
{
	char buf[4096];
	unsigned long kb = 0;

	if (umm_proc_read("/proc/meminfo", buf, sizeof(buf)) > 0)
		sscanf(buf, "MemTotal: %lu kB", &kb);
	return kb;
}

/*
 * Boot @cmdline and take order-0 pages until the allocator says no (or
 * @cap pages, so that runaway growth ends); give them back.  Returns the
 * count; *total_kb is MemTotal at the end.
 */
static unsigned long exhaust_order0(const char *cmdline, unsigned long cap,
				    unsigned long *total_kb)
{
	void *chain = NULL;
	unsigned long n = 0;
	struct page *p;

	if (umm_boot(cmdline))
		return 0;
	while (n < cap && (p = alloc_page(GFP_KERNEL | __GFP_NOWARN))) {
		*(void **)page_address(p) = chain;	/* the pages keep their own list */
		chain = page_address(p);
		n++;
	}
	*total_kb = meminfo_total_kb();
	while (chain) {
		void *next = *(void **)chain;

		__free_page(virt_to_page(chain));
		chain = next;
	}
	EXPECT_EQ(umm_page_alloc_check(), 0);
	umm_shutdown();
	return n;
}

/* As on Linux, mem= is the machine: no silent hot-add unless asked. */
TEST(test_mem_caps_memory)
{
	const unsigned long mem_pages = (64UL << 20) >> PAGE_SHIFT, cap = 4 * mem_pages;
	unsigned long n, kb = 0;

	n = exhaust_order0("mem=64M", cap, &kb);
	fprintf(stderr, "  mem=64M: %lu pages, MemTotal %lu kB\n", n, kb);
	EXPECT(n > mem_pages * 9 / 10);
	EXPECT(n <= mem_pages);
	EXPECT_EQ(kb, 64UL << 10);
	/* umm.max_mem=1G umm.hotplug=0: the switch wins over the limit. */
	n = exhaust_order0("mem=64M umm.max_mem=1G umm.hotplug=0", cap, &kb);
	EXPECT(n <= mem_pages);
	EXPECT_EQ(kb, 64UL << 10);

	/* Asked for: it grows, up to umm.max_mem. */
	n = exhaust_order0("mem=64M umm.max_mem=128M", cap, &kb);
	fprintf(stderr, "  mem=64M umm.max_mem=128M: %lu pages, MemTotal %lu kB\n", n, kb);
	EXPECT(n > mem_pages);
	EXPECT(n <= 2 * mem_pages);
	EXPECT_EQ(kb, 128UL << 10);
	n = exhaust_order0("mem=64M umm.hotplug=1", cap, &kb);
	EXPECT_EQ(n, cap);
	EXPECT(kb > 64UL << 10);
	n = exhaust_order0("mem=64M memory_hotplug=on", cap, &kb);
	EXPECT_EQ(n, cap);
	n = exhaust_order0("mem=64M umm.max_mem=128M memory_hotplug=off", cap, &kb);
	EXPECT(n <= mem_pages);
	/* ... also when $UMM_CMDLINE asks and the explicit line sets mem=. */
	setenv("UMM_CMDLINE", "umm.hotplug=1", 1);
	n = exhaust_order0("mem=64M", cap, &kb);
	unsetenv("UMM_CMDLINE");
	EXPECT_EQ(n, cap);
	/* A cap in $UMM_CMDLINE below the default mem=, and mem= below it on the line. */
	setenv("UMM_CMDLINE", "umm.max_mem=128M", 1);
	n = exhaust_order0("mem=64M", cap, &kb);
	unsetenv("UMM_CMDLINE");
	EXPECT(n > mem_pages);
	EXPECT_EQ(kb, 128UL << 10);
}

/* mem= rounds down to 4 MiB; a mem= not given follows umm.max_mem= and numa=fake=. */
TEST(test_mem_rounding_and_defaults)
{
	ASSERT_EQ(umm_boot("mem=17M"), 0);	/* the kernel rounds mem= down too */
	EXPECT_EQ(totalram_pages(), (16UL << 20) >> PAGE_SHIFT);
	umm_shutdown();
	ASSERT_EQ(umm_boot("mem=23M numa=fake=2"), 0);
	EXPECT_EQ(totalram_pages(), (20UL << 20) >> PAGE_SHIFT);
	EXPECT_EQ(nr_online_nodes, 2);
	umm_shutdown();
	/* A cap below the default 256M boots smaller ... */
	ASSERT_EQ(umm_boot("umm.max_mem=32M"), 0);
	EXPECT_EQ(totalram_pages(), (32UL << 20) >> PAGE_SHIFT);
	umm_shutdown();
	/* ... as does the malloc front end's 64M start, under $UMM_CMDLINE's cap ... */
	setenv("UMM_CMDLINE", "umm.max_mem=20M", 1);
	ASSERT_EQ(umm_boot_front_end("umm.backing=anon mem=64M umm.hotplug=1"), 0);
	EXPECT_EQ(totalram_pages(), (20UL << 20) >> PAGE_SHIFT);
	umm_shutdown();
	unsetenv("UMM_CMDLINE");
	/* ... but a mem= given above it is an error, and so is too little for the nodes. */
	EXPECT_EQ(umm_boot("mem=64M umm.max_mem=32M"), -EINVAL);
	EXPECT_EQ(umm_boot("mem=64M numa=fake=32"), -EINVAL);
	EXPECT_EQ(umm_boot("numa=fake=32 umm.max_mem=64M"), -EINVAL);
	ASSERT_EQ(umm_boot("numa=fake=8 umm.max_mem=16M umm.hotplug=0"), -EINVAL);
	ASSERT_EQ(umm_boot("numa=fake=8 umm.max_mem=32M"), 0);
	EXPECT_EQ(nr_online_nodes, 8);
	umm_shutdown();
}

/* umm_cmdline_check() reads a line as umm_boot() does, boots nothing, changes nothing. */
TEST(test_cmdline_check)
{
	static const char *const good[] = { "", "mem=64M numa=fake=4", "umm.max_mem=32M",
					    "slub_debug=FZ umm.aslr_seed=5" };
	static const char *const bad[] = { "mem=abc", "mem=15M", "numa=fake=999",
					   "mem=2G umm.max_mem=1G", "frobnicate", "loglevel=9" };

	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		EXPECT_EQ(umm_cmdline_check(good[i]), 0);
		EXPECT(!umm_is_booted());
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(umm_cmdline_check(bad[i]), -EINVAL);
	/* $UMM_CMDLINE is the caller's to add. */
	setenv("UMM_CMDLINE", "mem=oops", 1);
	EXPECT_EQ(umm_cmdline_check("mem=64M"), 0);
	unsetenv("UMM_CMDLINE");
	/* What a check parsed is not left set: loglevel=0 would mute the next one. */
	EXPECT_EQ(umm_cmdline_check("loglevel=0 failslab=1,100,0,-1"), 0);
	EXPECT_EQ(console_loglevel, LOGLEVEL_NOTICE);
	EXPECT_EQ(umm_cmdline_check("loglevel=0 mem=abc"), -EINVAL);
	EXPECT_EQ(console_loglevel, LOGLEVEL_NOTICE);
	ASSERT_EQ(umm_boot(NULL), 0);
	for (int i = 0; i < 64; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		EXPECT(p != NULL);
		kfree(p);
	}
	EXPECT_EQ(umm_cmdline_check("mem=64M"), -EBUSY);
	umm_shutdown();
}

TEST(test_memparse)
{
	unsigned long v;

	EXPECT_EQ(umm_memparse("4096", &v), 0);
	EXPECT_EQ(v, 4096);
	EXPECT_EQ(umm_memparse("2k", &v), 0);
	EXPECT_EQ(v, 2048);
	EXPECT_EQ(umm_memparse("3G", &v), 0);
	EXPECT_EQ(v, 3UL << 30);
	EXPECT_EQ(umm_memparse("0x10M", &v), 0);
	EXPECT_EQ(v, 16UL << 20);
	EXPECT_EQ(umm_memparse("1T", &v), 0);
	EXPECT_EQ(v, 1UL << 40);
	EXPECT_EQ(umm_memparse("", &v), -EINVAL);
	EXPECT_EQ(umm_memparse("12Q", &v), -EINVAL);
	EXPECT_EQ(umm_memparse("99999999999999999999", &v), -EINVAL);
}

TEST(test_cycles_leak_nothing)
{
	int maps0 = -1, fds0 = -1;

	/*
	 * A leak grows with the number of cycles: measure after 10 cycles
	 * and after 30 more (sanitizer runtimes map memory of their own as
	 * they warm up, so the first cycles are not the baseline).
	 */
	for (int i = 0; i < 40; i++) {
		if (i == 10) {
			maps0 = count_lines("/proc/self/maps");
			fds0 = count_fds();
		}
		ASSERT_EQ(umm_boot(i % 2 ? "mem=128M numa=fake=2" : "mem=64M"), 0);
		struct page *p = alloc_pages(GFP_KERNEL, 5);
		ASSERT(p);
		memset(page_address(p), i, PAGE_SIZE << 5);
		__free_pages(p, 5);
		umm_shutdown();
	}
	EXPECT_EQ(count_lines("/proc/self/maps"), maps0);
	EXPECT_EQ(count_fds(), fds0);
}

int main(void)
{
	RUN(test_good_params);
	RUN(test_bad_params);
	RUN(test_env_cmdline);
	RUN(test_implicit_boot);
	RUN(test_mem_caps_memory);
	RUN(test_mem_rounding_and_defaults);
	RUN(test_cmdline_check);
	RUN(test_memparse);
	RUN(test_cycles_leak_nothing);
	TEST_EXIT();
}
