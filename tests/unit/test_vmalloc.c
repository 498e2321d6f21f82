// SPDX-License-Identifier: GPL-2.0
/*
 * test_vmalloc.c - unit tests of mm/vmalloc.c.
 *
 * Each test boots the umm it needs and shuts it down.  After every step
 * that changes the vmalloc trees or the free lists, umm_vmalloc_check()
 * and umm_page_alloc_check() must pass.  Faults (guard page, use after
 * vfree) are provoked in fork()ed children, which must die of SIGSEGV.
 *
 * Leak checks compare nr_free_pages() + umm_pcp_pages() before and after,
 * with the lazily freed areas purged (vm_unmap_aliases()) and the object
 * pools warmed up first: pool pages are kept until shutdown by design.
 */
#include <errno.h>
#include <pthread.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/internal.h"
#include <umm/vmalloc.h>

#define CHECK_ALL()							\
	do {								\
		ASSERT_EQ(umm_vmalloc_check(), 0);			\
		ASSERT_EQ(umm_page_alloc_check(), 0);			\
	} while (0)

static void boot(const char *cmdline)
{
	int err;

	umm_shutdown();
	err = umm_boot(cmdline);
	if (err)
		fprintf(stderr, "boot(\"%s\") = %d\n", cmdline, err);
	ASSERT_EQ(err, 0);
	CHECK_ALL();
}

/* Free frames, wherever they sit, with lazily freed areas purged first. */
static unsigned long free_frames(void)
{
	vm_unmap_aliases();
	return nr_free_pages() + umm_pcp_pages();
}

static char *read_proc(const char *path)
{
	ssize_t n = umm_proc_read(path, NULL, 0);
	char *buf;

	if (n < 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if (buf && umm_proc_read(path, buf, (size_t)n + 1) != n) {
		free(buf);
		return NULL;
	}
	return buf;
}

static unsigned long count_substr(const char *s, const char *needle)
{
	unsigned long n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* stderr into a memfd, to read umm's warnings back. */
struct capture {
	int saved, fd;
};

static void capture_begin(struct capture *c)
{
	fflush(stderr);
	c->fd = memfd_create("stderr", MFD_CLOEXEC);
	c->saved = dup(2);
	ASSERT(c->fd >= 0 && c->saved >= 0);
	dup2(c->fd, 2);
}

static char *capture_end(struct capture *c)
{
	static char buf[8192];
	ssize_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	n = pread(c->fd, buf, sizeof(buf) - 1, 0);
	close(c->fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * Tests that rely on the pcp lists handing freed frames back stay on one
 * CPU: the lists are per CPU.
 */
static cpu_set_t saved_cpus;

static void pin_cpu(void)
{
	cpu_set_t one;

	sched_getaffinity(0, sizeof(saved_cpus), &saved_cpus);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
}

static void unpin_cpu(void)
{
	sched_setaffinity(0, sizeof(saved_cpus), &saved_cpus);
}

/* Does touching @addr kill a child with SIGSEGV? */
static bool touch_faults(volatile char *addr, bool write)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* Sanitizers catch SIGSEGV themselves: die of it instead. */
		signal(SIGSEGV, SIG_DFL);
		if (write)
			*addr = 1;
		else
			(void)*addr;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

/* Host VMAs (lines of /proc/self/maps) that overlap [start, end). */
static unsigned long host_vmas_in(unsigned long start, unsigned long end)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, n = 0;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo < end && hi > start)
			n++;
	fclose(f);
	return n;
}

/*
 * Every page of a vmalloc area is the frame vmalloc_to_page() names: a
 * write through either address is seen through the other.
 */
static void check_aliases(char *v, unsigned long size)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT;

	for (unsigned long k = 0; k < nr; k++) {
		struct page *page = vmalloc_to_page(v + k * PAGE_SIZE);
		unsigned long *lin, *vm = (unsigned long *)(v + k * PAGE_SIZE);

		ASSERT(page);
		ASSERT_EQ(vmalloc_to_pfn(v + k * PAGE_SIZE + 123), page_to_pfn(page));
		lin = page_address(page);
		vm[0] = 0x5eed0000 + k;
		ASSERT_EQ(lin[0], 0x5eed0000 + k);
		lin[PAGE_SIZE / sizeof(long) - 1] = ~k;
		ASSERT_EQ(vm[PAGE_SIZE / sizeof(long) - 1], ~k);
	}
}

TEST(test_sizes_and_aliases)
{
	static const unsigned long sizes[] = {
		PAGE_SIZE, 64UL << 10, 3UL << 20, 64UL << 20, 100, 5 * PAGE_SIZE + 1,
	};
	unsigned long before;

	boot("mem=256M");
	/* Warm the pools up once per size class. */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		vfree(vmalloc(sizes[i]));
	before = free_frames();

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long size = sizes[i], nr = PAGE_ALIGN(size) >> PAGE_SHIFT;
		struct vm_struct *vm;
		char *v = vmalloc(size);

		ASSERT(v);
		EXPECT(PAGE_ALIGNED(v));
		EXPECT(is_vmalloc_addr(v));
		EXPECT(is_vmalloc_addr(v + size - 1));
		vm = find_vm_area(v);
		ASSERT(vm);
		EXPECT(vm->addr == v);
		EXPECT_EQ(vm->size, (nr + 1) * PAGE_SIZE);	/* the guard page */
		EXPECT_EQ(vm->nr_pages, nr);
		EXPECT(vm->flags & VM_ALLOC);
		EXPECT(find_vm_area(v + size - 1) == vm);
		EXPECT_EQ(vmalloc_nr_pages(), nr + (nr * sizeof(void *) > PAGE_SIZE ?
						    PAGE_ALIGN(nr * sizeof(void *)) >> PAGE_SHIFT : 0));
		check_aliases(v, size);
		/* The guard page has no frame. */
		EXPECT(vmalloc_to_page(v + nr * PAGE_SIZE) == NULL);
		EXPECT_EQ(vmalloc_to_pfn(v + nr * PAGE_SIZE), ~0UL);
		CHECK_ALL();
		vfree(v);
		EXPECT(find_vm_area(v) == NULL);
		EXPECT(vmalloc_to_page(v) == NULL);
		EXPECT_EQ(vmalloc_nr_pages(), 0);
		CHECK_ALL();
	}
	EXPECT_EQ(free_frames(), before);
	CHECK_ALL();
	umm_shutdown();
}

/*
 * A fresh allocator hands out ascending frames, so a large area is a few
 * host VMAs (one per physically contiguous run), not one per page.
 */
TEST(test_contiguous_runs_few_vmas)
{
	unsigned long nr = (64UL << 20) >> PAGE_SHIFT, runs = 1, vmas;
	char *v;

	boot("mem=256M");
	v = vmalloc(64UL << 20);
	ASSERT(v);
	for (unsigned long k = 1; k < nr; k++)
		runs += vmalloc_to_pfn(v + k * PAGE_SIZE) !=
			vmalloc_to_pfn(v + (k - 1) * PAGE_SIZE) + 1;
	vmas = host_vmas_in((unsigned long)v, (unsigned long)v + nr * PAGE_SIZE);
	fprintf(stderr, "  64 MiB: %lu physically contiguous runs, %lu host VMAs\n", runs, vmas);
	EXPECT(runs < nr / 16);
	EXPECT_EQ(vmas, runs);
	vfree(v);
	CHECK_ALL();
	umm_shutdown();
}

/* Fragment memory first: the area's frames are then scattered. */
TEST(test_fragmented_frames)
{
	enum { NR_HOLD = 4096, NR_AREA = 512 };
	static struct page *hold[NR_HOLD];
	unsigned long runs = 1, vmas, before;
	char *v;

	pin_cpu();
	boot("mem=256M");
	vfree(vmalloc(NR_AREA * PAGE_SIZE));
	before = free_frames();
	for (int i = 0; i < NR_HOLD; i++) {
		hold[i] = alloc_page(GFP_KERNEL);
		ASSERT(hold[i]);
	}
	/* Free every other page: the free frames are now 1-page holes. */
	for (int i = 0; i < NR_HOLD; i += 2) {
		__free_page(hold[i]);
		hold[i] = NULL;
	}
	CHECK_ALL();
	v = vmalloc(NR_AREA * PAGE_SIZE);
	ASSERT(v);
	for (unsigned long k = 1; k < NR_AREA; k++)
		runs += vmalloc_to_pfn(v + k * PAGE_SIZE) !=
			vmalloc_to_pfn(v + (k - 1) * PAGE_SIZE) + 1;
	vmas = host_vmas_in((unsigned long)v, (unsigned long)v + NR_AREA * PAGE_SIZE);
	fprintf(stderr, "  fragmented: %lu runs for %d pages, %lu host VMAs\n", runs,
		(int)NR_AREA, vmas);
	EXPECT(runs > 1);
	EXPECT(runs > NR_AREA / 2);
	EXPECT_EQ(vmas, runs);
	check_aliases(v, NR_AREA * PAGE_SIZE);
	CHECK_ALL();
	vfree(v);
	for (int i = 1; i < NR_HOLD; i += 2)
		__free_page(hold[i]);
	EXPECT_EQ(free_frames(), before);
	CHECK_ALL();
	umm_shutdown();
	unpin_cpu();
}

/*
 * Frames freed in a scattered order come back scattered: vmalloc sorts
 * them by PFN, so that contiguous frames still map as one run.
 */
TEST(test_scattered_frames_are_sorted)
{
	enum { NR = 512 };
	static struct page *p[NR];
	unsigned long runs = 1;
	char *v;

	pin_cpu();
	boot("mem=256M");
	vfree(vmalloc(NR * PAGE_SIZE));
	for (int i = 0; i < NR; i++) {
		p[i] = alloc_page(GFP_KERNEL);
		ASSERT(p[i]);
	}
	/* Free them in a stride-7 order: the pcp lists hand them out so. */
	for (int i = 0, k = 0; i < NR; i++, k = (k + 7) % NR)
		__free_page(p[k]);
	v = vmalloc(NR * PAGE_SIZE);
	ASSERT(v);
	for (unsigned long k = 1; k < NR; k++)
		runs += vmalloc_to_pfn(v + k * PAGE_SIZE) !=
			vmalloc_to_pfn(v + (k - 1) * PAGE_SIZE) + 1;
	fprintf(stderr, "  scattered: %lu runs for %d pages\n", runs, (int)NR);
	EXPECT(runs <= 4);
	check_aliases(v, NR * PAGE_SIZE);
	vfree(v);
	CHECK_ALL();
	umm_shutdown();
	unpin_cpu();
}

TEST(test_vzalloc_recycled_frames)
{
	enum { NR = 256 };
	unsigned long old[NR], reused = 0;
	unsigned char *v, *z;

	pin_cpu();
	boot("mem=256M");
	v = vmalloc(NR * PAGE_SIZE);
	ASSERT(v);
	memset(v, 0xa5, NR * PAGE_SIZE);
	for (int k = 0; k < NR; k++)
		old[k] = vmalloc_to_pfn(v + k * PAGE_SIZE);
	vfree(v);
	vm_unmap_aliases();
	z = vzalloc(NR * PAGE_SIZE);
	ASSERT(z);
	for (int k = 0; k < NR; k++) {
		unsigned long pfn = vmalloc_to_pfn(z + k * PAGE_SIZE);

		for (int j = 0; j < NR; j++)
			reused += pfn == old[j];
	}
	fprintf(stderr, "  vzalloc reused %lu of %d dirty frames\n", reused, NR);
	EXPECT(reused > 0);
	for (unsigned long i = 0; i < NR * PAGE_SIZE; i++)
		if (z[i]) {
			EXPECT_EQ(z[i], 0);
			break;
		}
	vfree(z);
	/* vmalloc_user() and vzalloc_node() zero too. */
	z = vmalloc_user(3 * PAGE_SIZE);
	ASSERT(z);
	EXPECT(find_vm_area(z)->flags & VM_USERMAP);
	for (unsigned long i = 0; i < 3 * PAGE_SIZE; i++)
		if (z[i]) {
			EXPECT_EQ(z[i], 0);
			break;
		}
	vfree(z);
	z = vzalloc_node(2 * PAGE_SIZE, 0);
	ASSERT(z);
	EXPECT_EQ(z[0] | z[2 * PAGE_SIZE - 1], 0);
	vfree(z);
	CHECK_ALL();
	umm_shutdown();
	unpin_cpu();
}

TEST(test_guard_page_and_use_after_free_fault)
{
	char *v, *w;

	boot("mem=256M");
	v = vmalloc(3 * PAGE_SIZE);
	w = vmalloc(PAGE_SIZE);
	ASSERT(v && w);
	v[3 * PAGE_SIZE - 1] = 1;			/* the last byte is fine */
	EXPECT(!touch_faults(v + 3 * PAGE_SIZE - 1, true));
	EXPECT(touch_faults(v + 3 * PAGE_SIZE, true));	/* the guard page */
	EXPECT(touch_faults(v + 3 * PAGE_SIZE, false));
	EXPECT(touch_faults(w + PAGE_SIZE, false));
	vfree(v);
	EXPECT(touch_faults(v, false));			/* use after vfree */
	EXPECT(touch_faults(v + PAGE_SIZE, true));
	EXPECT(!touch_faults(w, true));			/* the neighbour lives */
	vfree(w);
	EXPECT(touch_faults(w, true));
	CHECK_ALL();
	umm_shutdown();
}

TEST(test_vfree_null_and_bad_addresses)
{
	struct capture c;
	unsigned long before;
	char *v, *out, local = 0;

	boot("mem=256M");
	v = vmalloc(4 * PAGE_SIZE);
	ASSERT(v);
	before = nr_free_pages() + umm_pcp_pages();
	vfree(NULL);
	vunmap(NULL);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), before);

	capture_begin(&c);
	vfree(v + PAGE_SIZE);			/* inside, not the start */
	vfree(&local);				/* not vmalloc at all */
	vfree((void *)VMALLOC_END);
	vunmap(v + 1);
	out = capture_end(&c);
	EXPECT_EQ(count_substr(out, "Trying to vfree() nonexistent vm area"), 3);
	EXPECT_EQ(count_substr(out, "Trying to vunmap() nonexistent vm area"), 1);
	EXPECT(strstr(out, "Trying to vfree() nonexistent vm area (0x") != NULL);
	EXPECT_EQ(nr_free_pages() + umm_pcp_pages(), before);
	CHECK_ALL();
	/* The area is untouched. */
	memset(v, 7, 4 * PAGE_SIZE);
	EXPECT(find_vm_area(v) && find_vm_area(v)->nr_pages == 4);

	vfree(v);
	capture_begin(&c);
	vfree(v);				/* double free */
	out = capture_end(&c);
	EXPECT_EQ(count_substr(out, "Trying to vfree() nonexistent vm area"), 1);
	CHECK_ALL();
	umm_shutdown();
}

TEST(test_size_limits)
{
	struct capture c;
	char *out, *v;

	boot("mem=256M vmalloc=64M");
	EXPECT_EQ(VMALLOC_TOTAL, 64UL << 20);
	EXPECT(IS_ALIGNED(VMALLOC_START, 2UL << 20));

	capture_begin(&c);
	EXPECT(vmalloc(0) == NULL);
	EXPECT(vmalloc(65UL << 20) == NULL);	/* larger than the area */
	out = capture_end(&c);
	EXPECT(strstr(out, "vmalloc error: size 68157440, vm_struct allocation failed"));

	capture_begin(&c);
	EXPECT(__vmalloc(65UL << 20, GFP_KERNEL | __GFP_NOWARN) == NULL);
	out = capture_end(&c);
	EXPECT(!strstr(out, "vmalloc error"));

	capture_begin(&c);
	EXPECT(vmalloc(~0UL) == NULL);
	EXPECT(vmalloc(1UL << 50) == NULL);
	out = capture_end(&c);
	EXPECT(strstr(out, "exceeds total pages"));

	/*
	 * Fill the area with 1 MiB areas (257 pages with the guard; their
	 * page arrays come from a pool): 63 fit in 64 MiB.
	 */
	{
		void *a[80];
		int n = 0;

		while (n < 80 && (a[n] = __vmalloc(1UL << 20, GFP_KERNEL | __GFP_NOWARN)))
			n++;
		EXPECT_EQ(n, 63);
		EXPECT((unsigned long)a[0] == VMALLOC_START);
		CHECK_ALL();
		/* A hole in the middle is found again (after a purge). */
		vfree(a[30]);
		v = vmalloc(1UL << 20);
		EXPECT(v == a[30]);
		a[30] = v;
		for (int i = 0; i < n; i++)
			vfree(a[i]);
		CHECK_ALL();
	}

	EXPECT(vmalloc_array(SIZE_MAX / 2, 3) == NULL);
	EXPECT(vmalloc_array(1UL << 32, 1UL << 32) == NULL);
	v = vmalloc_array(3, 5000);
	ASSERT(v);
	EXPECT_EQ(find_vm_area(v)->nr_pages, 4);
	vfree(v);
	CHECK_ALL();
	umm_shutdown();
}

/*
 * Every vfree() leaves its range on the purge tree; the batch merges back
 * when it passes lazy_max_pages() or when an allocation finds no room.
 */
TEST(test_lazy_purge)
{
	unsigned long lazy_max = (unsigned long)(32 - __builtin_clz(nr_cpu_ids)) *
				 ((32UL << 20) >> PAGE_SHIFT);
	unsigned long max_unpurged = 0, area_pages = ((1UL << 20) >> PAGE_SHIFT) + 1;
	char *info;

	/* A small area: it fills up long before lazy_max_pages() is reached. */
	boot("mem=256M vmalloc=16M");
	for (int i = 0; i < 1000; i++) {
		char *v = vmalloc(1UL << 20);

		ASSERT(v);
		v[0] = 1;
		vfree(v);
		if (i % 50 == 0)
			CHECK_ALL();
	}
	CHECK_ALL();

	/* A large one: the threshold triggers the purge. */
	boot("mem=256M");
	for (unsigned long i = 0; i < 2 * lazy_max / area_pages + 4; i++) {
		unsigned long n;
		char *v = vmalloc(1UL << 20);

		ASSERT(v);
		vfree(v);
		info = read_proc("/proc/vmallocinfo");
		ASSERT(info);
		n = count_substr(info, " unpurged vm_area\n");
		free(info);
		max_unpurged = max(max_unpurged, n);
		EXPECT(n * area_pages <= lazy_max + area_pages);
	}
	fprintf(stderr, "  lazy_max_pages %lu: at most %lu unpurged 1 MiB areas\n",
		lazy_max, max_unpurged);
	EXPECT(max_unpurged >= lazy_max / area_pages);
	vm_unmap_aliases();
	info = read_proc("/proc/vmallocinfo");
	ASSERT(info);
	EXPECT_EQ(count_substr(info, "unpurged"), 0);
	free(info);
	CHECK_ALL();
	umm_shutdown();
}

TEST(test_vmap_vunmap)
{
	enum { NR = 8 };
	struct page *pages[NR];
	unsigned long before;
	char *v, *info;

	boot("mem=256M");
	/* Warm the pools up (the page array has a size class of its own). */
	for (int i = 0; i < NR; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	vunmap(vmap(pages, NR, VM_MAP, PAGE_KERNEL));
	for (int i = 0; i < NR; i++)
		__free_page(pages[i]);
	before = free_frames();
	for (int i = 0; i < NR; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		ASSERT(pages[i]);
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	/* Map them backwards: the frames need not be in order. */
	struct page *rev[NR];
	for (int i = 0; i < NR; i++)
		rev[i] = pages[NR - 1 - i];
	v = vmap(rev, NR, VM_MAP, PAGE_KERNEL);
	ASSERT(v);
	EXPECT(is_vmalloc_addr(v));
	for (int i = 0; i < NR; i++) {
		EXPECT_EQ(v[i * PAGE_SIZE + 17], 'a' + NR - 1 - i);
		EXPECT(vmalloc_to_page(v + i * PAGE_SIZE) == rev[i]);
	}
	v[0] = 'Z';
	EXPECT_EQ(*(char *)page_address(pages[NR - 1]), 'Z');
	EXPECT(vmalloc_to_page(v + NR * PAGE_SIZE) == NULL);
	EXPECT(find_vm_area(v)->flags & VM_MAP);
	EXPECT_EQ(find_vm_area(v)->nr_pages, 0);
	EXPECT_EQ(vmalloc_nr_pages(), 0);
	info = read_proc("/proc/vmallocinfo");
	ASSERT(info);
	EXPECT(strstr(info, "   36864 "));
	EXPECT(strstr(info, " vmap\n"));
	free(info);
	CHECK_ALL();
	vunmap(v);
	EXPECT(touch_faults(v, false));
	/* The pages are still the caller's. */
	for (int i = 0; i < NR; i++) {
		EXPECT_EQ(page_ref_count(pages[i]), 1);
		EXPECT_EQ(((char *)page_address(pages[i]))[5], 'a' + i);
		__free_page(pages[i]);
	}
	EXPECT_EQ(free_frames(), before);

	/* VM_MAP_PUT_PAGES: vfree() frees the pages. */
	for (int i = 0; i < NR; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	v = vmap(pages, NR, VM_MAP | VM_MAP_PUT_PAGES, PAGE_KERNEL);
	ASSERT(v);
	EXPECT_EQ(find_vm_area(v)->nr_pages, NR);
	vfree(v);
	EXPECT_EQ(free_frames(), before);

	/* Bad input. */
	EXPECT(vmap(pages, 0, VM_MAP, PAGE_KERNEL) == NULL);
	EXPECT(vmap(NULL, 1, VM_MAP, PAGE_KERNEL) == NULL);
	CHECK_ALL();
	umm_shutdown();
}

TEST(test_address_queries)
{
	char local = 0, *v;
	struct page *page;

	EXPECT(!is_vmalloc_addr(&local));		/* not booted: no area */
	boot("mem=256M");
	v = vmalloc(2 * PAGE_SIZE);
	ASSERT(v);
	page = alloc_page(GFP_KERNEL);
	ASSERT(page);
	EXPECT(is_vmalloc_addr((void *)VMALLOC_START));
	EXPECT(is_vmalloc_addr((void *)(VMALLOC_END - 1)));
	EXPECT(!is_vmalloc_addr((void *)VMALLOC_END));
	EXPECT(!is_vmalloc_addr((void *)(VMALLOC_START - 1)));
	EXPECT(!is_vmalloc_addr(&local));
	EXPECT(!is_vmalloc_addr(page_address(page)));
	EXPECT(vmalloc_to_page(&local) == NULL);
	EXPECT(vmalloc_to_page(page_address(page)) == NULL);
	EXPECT(vmalloc_to_page(v + 2 * PAGE_SIZE) == NULL);	/* guard */
	EXPECT(vmalloc_to_page(v + 3 * PAGE_SIZE) == NULL);	/* free space */
	EXPECT(vmalloc_to_page((void *)(VMALLOC_END - 1)) == NULL);
	EXPECT(find_vm_area(&local) == NULL);
	EXPECT(find_vm_area(v + 2 * PAGE_SIZE) == find_vm_area(v));	/* guard is in the area */
	__free_page(page);
	vfree(v);
	CHECK_ALL();
	umm_shutdown();
}

/*
 * Allocation failures at every point of a vmalloc(): each of its slab
 * objects (vm_struct, vmap_area, the page array), each frame, vmap()'s
 * copy of its page array.  Each must return NULL and leave nothing
 * behind.  (A slab that cannot grow is SLUB's to test: here it is one
 * more failed slab allocation.)
 */
TEST(test_fault_injection)
{
	static const int spaces[] = { 0, 1, 2, 3, 10, 100, 255, 256, 300, 510, 511 };
	unsigned long before;
	void *v;

	boot("mem=256M");
	vfree(vmalloc(2UL << 20));			/* warm the pools up */
	vfree(vmalloc(1UL << 20));
	before = free_frames();
	ASSERT_EQ(umm_param_set("fail_page_alloc.min-order=0"), 0);
	ASSERT_EQ(umm_param_set("fail_page_alloc.ignore-gfp-wait=0"), 0);
	ASSERT_EQ(umm_param_set("fail_page_alloc.verbose=0"), 0);

	/*
	 * failslab: the vm_struct, the vmap_area, then the page array (a
	 * kmalloc, as __vmalloc_area_node() makes it) fail in turn.
	 */
	ASSERT_EQ(umm_param_set("failslab.ignore-gfp-wait=0"), 0);
	ASSERT_EQ(umm_param_set("failslab.verbose=0"), 0);
	for (int space = 0; space < 3; space++) {
		char p[64];

		snprintf(p, sizeof(p), "failslab=1,100,%d,1", space);
		ASSERT_EQ(umm_param_set(p), 0);
		EXPECT(__vmalloc(2UL << 20, GFP_KERNEL | __GFP_NOWARN) == NULL);
		EXPECT_EQ(free_frames(), before);
		CHECK_ALL();
	}
	ASSERT_EQ(umm_param_set("failslab=1,0,0,0"), 0);
	ASSERT_EQ(umm_param_set("failslab.ignore-gfp-wait=1"), 0);

	/* Frames carry __GFP_HIGHMEM, as in the kernel: include them too. */
	ASSERT_EQ(umm_param_set("fail_page_alloc.ignore-gfp-highmem=0"), 0);
	for (size_t i = 0; i < ARRAY_SIZE(spaces); i++) {
		char p[64];

		/*
		 * space - 1 allocations pass, then one fails: 2 MiB takes 512
		 * frames (its page array comes from the warm kmalloc-4k).
		 */
		snprintf(p, sizeof(p), "fail_page_alloc=1,100,%d,1", spaces[i]);
		ASSERT_EQ(umm_param_set(p), 0);
		v = __vmalloc(2UL << 20, GFP_KERNEL | __GFP_NOWARN);
		EXPECT(v == NULL);
		vfree(v);
		EXPECT_EQ(free_frames(), before);
		CHECK_ALL();
		/* The injected failure was used up: the same call works now. */
		v = vmalloc(2UL << 20);
		EXPECT(v != NULL);
		vfree(v);
		EXPECT_EQ(free_frames(), before);
		CHECK_ALL();
	}
	/* A vmap() whose page array cannot be allocated. */
	{
		struct page *pages[300];

		ASSERT_EQ(umm_param_set("fail_page_alloc=1,0,0,0"), 0);
		for (int i = 0; i < 300; i++)
			pages[i] = alloc_page(GFP_KERNEL);
		ASSERT_EQ(umm_param_set("failslab.ignore-gfp-wait=0"), 0);
		ASSERT_EQ(umm_param_set("failslab=1,100,2,1"), 0);
		EXPECT(vmap(pages, 300, VM_MAP, PAGE_KERNEL) == NULL);
		CHECK_ALL();
		ASSERT_EQ(umm_param_set("failslab=1,0,0,0"), 0);
		for (int i = 0; i < 300; i++)
			__free_page(pages[i]);
	}
	EXPECT_EQ(free_frames(), before);

	umm_shutdown();
}

/* Alignment beyond a page: NE_FIT splits, and the holes are reused. */
TEST(test_alignment)
{
	void *small, *big[8];

	boot("mem=256M");
	small = vmalloc(PAGE_SIZE);
	ASSERT(small);
	for (int i = 0; i < 8; i++) {
		unsigned long align = 1UL << (16 + i % 6);

		big[i] = __vmalloc_node(PAGE_SIZE * (unsigned long)(1 + i), align, GFP_KERNEL, -1,
					__builtin_return_address(0));
		ASSERT(big[i]);
		EXPECT(IS_ALIGNED((unsigned long)big[i], align));
		CHECK_ALL();
	}
	/* The holes left in front of aligned areas are found first. */
	void *again = vmalloc(PAGE_SIZE);
	ASSERT(again);
	EXPECT((unsigned long)again < (unsigned long)big[0]);
	vfree(again);
	EXPECT(__vmalloc_node(PAGE_SIZE, 3 * PAGE_SIZE, GFP_KERNEL, -1, NULL) == NULL);
	for (int i = 0; i < 8; i++)
		vfree(big[i]);
	vfree(small);
	vm_unmap_aliases();
	CHECK_ALL();
	umm_shutdown();
}

TEST(test_numa_nodes_and_dma32)
{
	char *v, *info;
	void *w;

	boot("mem=256M numa=fake=2");
	v = vmalloc_node(1UL << 20, 1);
	ASSERT(v);
	for (int k = 0; k < 256; k++)
		EXPECT_EQ(page_to_nid(vmalloc_to_page(v + k * PAGE_SIZE)), 1);
	EXPECT_EQ(node_page_state(NODE_DATA(1), NR_VMALLOC), 256);
	EXPECT_EQ(node_page_state(NODE_DATA(0), NR_VMALLOC), 0);
	info = read_proc("/proc/vmallocinfo");
	ASSERT(info);
	EXPECT(strstr(info, " pages=256 vmalloc N1=256\n"));
	free(info);
	CHECK_ALL();
	w = vmalloc_32(8 * PAGE_SIZE);
	ASSERT(w);
	for (int k = 0; k < 8; k++)
		EXPECT(page_zonenum(vmalloc_to_page((char *)w + k * PAGE_SIZE)) <= ZONE_DMA32);
	CHECK_ALL();
	info = read_proc("/proc/meminfo");
	ASSERT(info);
	EXPECT(strstr(info, "VmallocUsed:        1056 kB\n"));	/* 256 + 8 pages */
	free(info);
	vfree(w);
	vfree(v);
	EXPECT_EQ(vmalloc_nr_pages(), 0);
	CHECK_ALL();
	umm_shutdown();
}

/* Not static and not inlined: /proc/vmallocinfo names it as the caller. */
__attribute__((noinline)) void test_vmalloc_info(void);
__attribute__((noinline)) void test_vmalloc_info(void)
{
	char *info, *line, pat[256], *big, *v;
	regex_t re;
	regmatch_t mt;

	boot("mem=256M");
	v = vmalloc(5 * PAGE_SIZE);
	big = vzalloc(4UL << 20);		/* 8 KiB page array: vmalloc()ed */
	ASSERT(v && big);
	vfree(vmalloc(PAGE_SIZE));		/* one unpurged area */
	info = read_proc("/proc/vmallocinfo");
	ASSERT(info);
	fputs(info, stderr);
	snprintf(pat, sizeof(pat),
		 "^0x%016lx-0x%016lx +24576 test_vmalloc_info\\+0x[0-9a-f]+/0x[0-9a-f]+ "
		 "pages=5 vmalloc N0=5$", (unsigned long)v, (unsigned long)v + 6 * PAGE_SIZE);
	ASSERT_EQ(regcomp(&re, pat, REG_EXTENDED | REG_NEWLINE), 0);
	EXPECT_EQ(regexec(&re, info, 1, &mt, 0), 0);
	regfree(&re);
	snprintf(pat, sizeof(pat),
		 "^0x%016lx-0x%016lx +4198400 test_vmalloc_info\\+0x[0-9a-f]+/0x[0-9a-f]+ "
		 "pages=1024 vmalloc vpages N0=1024$",
		 (unsigned long)big, (unsigned long)big + (4UL << 20) + PAGE_SIZE);
	ASSERT_EQ(regcomp(&re, pat, REG_EXTENDED | REG_NEWLINE), 0);
	EXPECT_EQ(regexec(&re, info, 1, &mt, 0), 0);
	regfree(&re);
	/* The page array's own area, with the same caller. */
	EXPECT(strstr(info, "   12288 test_vmalloc_info+0x"));
	ASSERT_EQ(regcomp(&re, "^0x[0-9a-f]{16}-0x[0-9a-f]{16} +8192 unpurged vm_area$",
			  REG_EXTENDED | REG_NEWLINE), 0);
	EXPECT_EQ(regexec(&re, info, 1, &mt, 0), 0);
	regfree(&re);
	/* Lines are in address order, unpurged ones last. */
	line = strstr(info, "unpurged");
	EXPECT(line && !strstr(line, "vmalloc"));
	free(info);
	vfree(v);
	vfree(big);
	CHECK_ALL();
	umm_shutdown();
}

TEST(test_vmallocinfo)
{
	test_vmalloc_info();
}

/* 2000 random vmalloc()/vfree() with contents checked and the checkers. */
TEST(test_random_sequence)
{
	enum { SLOTS = 64, OPS = 2000 };
	static struct { unsigned char *p; unsigned long size; unsigned char tag; } s[SLOTS];
	unsigned long long x = 0x9e3779b97f4a7c15ULL;
	unsigned long before;

	boot("mem=256M vmalloc=256M");
	before = free_frames();
	for (int op = 0; op < OPS; op++) {
		int i;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		i = (int)(x % SLOTS);
		if (s[i].p) {
			EXPECT_EQ(s[i].p[0], s[i].tag);
			EXPECT_EQ(s[i].p[s[i].size - 1], s[i].tag);
			vfree(s[i].p);
			s[i].p = NULL;
		} else {
			/* Mostly small, sometimes up to 2 MiB. */
			unsigned long size = (x >> 20) % ((x & 7) ? 5 * PAGE_SIZE : 2UL << 20) + 1;

			s[i].p = (x >> 40) & 1 ? vmalloc(size) : vzalloc(size);
			ASSERT(s[i].p);
			s[i].size = size;
			s[i].tag = (unsigned char)(op | 1);
			s[i].p[0] = s[i].tag;
			s[i].p[size - 1] = s[i].tag;
		}
		CHECK_ALL();
	}
	for (int i = 0; i < SLOTS; i++)
		vfree(s[i].p);
	EXPECT_EQ(vmalloc_nr_pages(), 0);
	CHECK_ALL();
	EXPECT(free_frames() <= before);
	umm_shutdown();
}

/* Four threads vmalloc()ing and vfree()ing, a fifth checking (for TSan). */
static int threads_done;

static void *thread_fn(void *arg)
{
	unsigned long long x = 0x2545f4914f6cdd1dULL * (unsigned long)(uintptr_t)arg + 1;
	unsigned char *live[8] = { NULL };
	unsigned long sizes[8];
	int bad = 0;

	for (int i = 0; i < 500; i++) {
		int k = i % 8;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (live[k]) {
			bad |= live[k][0] != (unsigned char)k || live[k][sizes[k] - 1] != (unsigned char)k;
			bad |= vmalloc_to_page(live[k]) == NULL;
			vfree(live[k]);
		}
		sizes[k] = x % (64 * PAGE_SIZE) + 1;
		live[k] = vmalloc(sizes[k]);
		if (!live[k])
			return (void *)1;
		live[k][0] = (unsigned char)k;
		live[k][sizes[k] - 1] = (unsigned char)k;
	}
	for (int k = 0; k < 8; k++)
		vfree(live[k]);
	return (void *)(uintptr_t)bad;
}

static void *checker_fn(void *arg)
{
	long failures = 0;

	(void)arg;
	while (!__atomic_load_n(&threads_done, __ATOMIC_ACQUIRE)) {
		char buf[4096];

		failures += umm_vmalloc_check() != 0;
		umm_proc_read("/proc/vmallocinfo", buf, sizeof(buf));
		vm_unmap_aliases();
	}
	return (void *)failures;
}

TEST(test_threads)
{
	pthread_t t[4], checker;
	void *ret;

	boot("mem=256M");
	threads_done = 0;
	ASSERT_EQ(pthread_create(&checker, NULL, checker_fn, NULL), 0);
	for (long i = 0; i < 4; i++)
		ASSERT_EQ(pthread_create(&t[i], NULL, thread_fn, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		EXPECT(ret == NULL);
	}
	__atomic_store_n(&threads_done, 1, __ATOMIC_RELEASE);
	pthread_join(checker, &ret);
	EXPECT(ret == NULL);
	EXPECT_EQ(vmalloc_nr_pages(), 0);
	CHECK_ALL();
	umm_shutdown();
}

/* Boot, shutdown, boot: nothing of the old vmalloc area survives. */
TEST(test_reboot)
{
	void *v;

	boot("mem=64M vmalloc=32M");
	v = vmalloc(1UL << 20);
	ASSERT(v);
	umm_shutdown();				/* with a live area */
	EXPECT(!is_vmalloc_addr(v));
	EXPECT_EQ(umm_vmalloc_check(), 0);
	boot("mem=64M vmalloc=64M");
	EXPECT_EQ(VMALLOC_TOTAL, 64UL << 20);
	v = vmalloc(1UL << 20);
	ASSERT(v);
	memset(v, 1, 1UL << 20);
	vfree(v);
	CHECK_ALL();
	umm_shutdown();
}

int main(void)
{
	RUN(test_size_limits);
	RUN(test_sizes_and_aliases);
	RUN(test_contiguous_runs_few_vmas);
	RUN(test_fragmented_frames);
	RUN(test_scattered_frames_are_sorted);
	RUN(test_vzalloc_recycled_frames);
	RUN(test_guard_page_and_use_after_free_fault);
	RUN(test_vfree_null_and_bad_addresses);
	RUN(test_lazy_purge);
	RUN(test_vmap_vunmap);
	RUN(test_address_queries);
	RUN(test_fault_injection);
	RUN(test_alignment);
	RUN(test_numa_nodes_and_dma32);
	RUN(test_vmallocinfo);
	RUN(test_random_sequence);
	RUN(test_threads);
	RUN(test_reboot);
	TEST_EXIT();
}
