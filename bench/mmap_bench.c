// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_bench.c - umm's address-space calls against the host kernel's,
 * the same sequence on both, on address spaces of 10 to 100,000 VMAs,
 * with each of umm's VMA trees (umm.vma_tree=maple and =rbtree, set
 * between the two runs: an mm keeps the tree it was made with).
 *
 * Usage: mmap_bench [max_vmas]   (default 100000)
 *
 * The address space: N VMAs of two pages, one page apart, at a fixed
 * address (umm: a fresh mm; host: a fork()ed child, in a window it has
 * checked is free).  Then, on random VMAs, the median over 5 rounds of:
 *
 *   mmap+munmap   MAP_FIXED one page into a hole (a new VMA: the tree
 *                 grows and shrinks), then munmap it
 *   mprotect      one whole VMA read-only and back (flags only)
 *   split+merge   mprotect one page of a VMA (a split) and back (a merge)
 *   mremap        shrink a VMA to one page and grow it back in place
 *                 (the hole after it has room): vma_shrink + vma_expand
 *   find_vma      a random address of the range, and a use of the VMA
 *                 found (umm only: the kernel has no system call for it):
 *                 "first" is the first lookups after the last change (the
 *                 rb-tree's walk), "steady" the median of 5 rounds after
 *                 (the rb-tree's lookup index is built by then, from 256
 *                 VMAs on; the maple tree has no index)
 *
 * in ns per call, and the host's time over umm's ("x": umm is that many
 * times faster).
 *
 * The floor under find_vma: after the table, for the largest maple tree,
 * its node count and height, and the cost of one dependent random load
 * (a pointer chase through a random cyclic permutation) over a working
 * set of the nodes' size, and of the nodes' and the VMAs' size together.
 * A random lookup's walk touches one node per level, each a dependent
 * load; the levels that do not fit in the L1/L2 caches cost about a
 * chase step each, and the VMA found is one more.  "walk only" is the
 * same random lookups (mt_find()) without the use of the VMA: the tree's
 * share of find_vma, the rest being the VMA's load.  The host cannot hold more VMAs than its
 * vm.max_map_count (65530 by default): above that its row says so; raise
 * the sysctl to compare at 100,000.  umm checks each mm (umm_mm_check())
 * once per size, outside the timings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "mm/internal.h"

#define WIN		0x200000000000UL
#define P		PAGE_SIZE
#define ROUNDS		5

enum { T_MMAP, T_MPROTECT, T_SPLIT, T_MREMAP, T_WALK, T_FIND, NR_TESTS };

struct ops {
	void *ctx;
	long (*map)(void *ctx, unsigned long addr, unsigned long len, int prot);
	int (*unmap)(void *ctx, unsigned long addr, unsigned long len);
	int (*protect)(void *ctx, unsigned long addr, unsigned long len, int prot);
	long (*remap)(void *ctx, unsigned long addr, unsigned long old_len,
		      unsigned long new_len);
};

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_dbl);
	return v[n / 2];
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned long xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)rng;
}

/* VMA i is [WIN + 3i pages, + 2 pages); the hole after it is page 3i + 2. */
static unsigned long vma_addr(unsigned long i)
{
	return WIN + 3 * i * P;
}

static int build(const struct ops *o, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (o->map(o->ctx, vma_addr(i), 2 * P, PROT_READ | PROT_WRITE) !=
		    (long)vma_addr(i))
			return -1;
	return 0;
}

/* ns per call of each test over @iters random VMAs; NAN when not run. */
static void run_tests(const struct ops *o, unsigned long n, unsigned long iters,
		      struct mm_struct *mm, double *out)
{
	double t[ROUNDS];
	unsigned long long t0;

	for (int r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (unsigned long k = 0; k < iters; k++) {
			unsigned long hole = vma_addr(xorshift() % n) + 2 * P;

			o->map(o->ctx, hole, P, PROT_READ);
			o->unmap(o->ctx, hole, P);
		}
		t[r] = (double)(now_ns() - t0) / (double)iters / 2;
	}
	out[T_MMAP] = median(t, ROUNDS) * 2;	/* per pair */

	for (int r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (unsigned long k = 0; k < iters; k++) {
			unsigned long a = vma_addr(xorshift() % n);

			o->protect(o->ctx, a, 2 * P, PROT_READ);
			o->protect(o->ctx, a, 2 * P, PROT_READ | PROT_WRITE);
		}
		t[r] = (double)(now_ns() - t0) / (double)iters / 2;
	}
	out[T_MPROTECT] = median(t, ROUNDS);

	for (int r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (unsigned long k = 0; k < iters; k++) {
			unsigned long a = vma_addr(xorshift() % n);

			o->protect(o->ctx, a, P, PROT_READ);
			o->protect(o->ctx, a, P, PROT_READ | PROT_WRITE);
		}
		t[r] = (double)(now_ns() - t0) / (double)iters / 2;
	}
	out[T_SPLIT] = median(t, ROUNDS);

	for (int r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (unsigned long k = 0; k < iters; k++) {
			unsigned long a = vma_addr(xorshift() % n);

			o->remap(o->ctx, a, 2 * P, P);
			o->remap(o->ctx, a, P, 2 * P);
		}
		t[r] = (double)(now_ns() - t0) / (double)iters / 2;
	}
	out[T_MREMAP] = median(t, ROUNDS);

	out[T_FIND] = out[T_WALK] = -1;
	if (mm) {
		unsigned long span = (3 * n - 1) * P, sink = 0, lookups = iters * 10;
		unsigned long walks = n / 8 > 1000 ? n / 8 : 1000;

		/* a change drops the index: the next lookups walk the tree */
		o->protect(o->ctx, vma_addr(0), P, PROT_READ);
		o->protect(o->ctx, vma_addr(0), P, PROT_READ | PROT_WRITE);
		mmap_read_lock(mm);
		t0 = now_ns();
		for (unsigned long k = 0; k < walks; k++)
			sink += find_vma(mm, WIN + xorshift() % span)->vm_start;
		out[T_WALK] = (double)(now_ns() - t0) / (double)walks;
		for (int r = 0; r < ROUNDS; r++) {
			t0 = now_ns();
			for (unsigned long k = 0; k < lookups; k++)
				sink += find_vma(mm, WIN + xorshift() % span)->vm_start;
			t[r] = (double)(now_ns() - t0) / (double)lookups;
		}
		mmap_read_unlock(mm);
		out[T_FIND] = median(t, ROUNDS);
		if (sink == 42)
			printf(" ");	/* keep the lookups */
	}
}

/* ---- the floor: a pointer chase ---- */

/*
 * ns per dependent load over @bytes: one pointer per 256-byte line group
 * (a node's size), linked in a random cycle, so each load waits on the
 * last and no prefetcher can guess the next.
 */
static double chase_ns(size_t bytes, unsigned long loads)
{
	size_t n = bytes / 256, *perm;
	char *ws;
	void **p;
	unsigned long long t0;
	double t;

	if (n < 2)
		return -1;
	ws = mmap(NULL, n * 256, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	perm = malloc(n * sizeof(*perm));
	if (ws == MAP_FAILED || !perm) {
		free(perm);
		if (ws != MAP_FAILED)
			munmap(ws, n * 256);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = xorshift() % (i + 1), x = perm[i];

		perm[i] = perm[j];
		perm[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		*(void **)(ws + perm[i] * 256) = ws + perm[(i + 1) % n] * 256;
	p = (void **)ws;
	for (size_t i = 0; i < n; i++)	/* warm: every line once */
		p = *p;
	t0 = now_ns();
	for (unsigned long k = 0; k < loads; k++)
		p = *p;
	t = (double)(now_ns() - t0) / (double)loads;
	if (!p)
		printf(" ");	/* keep the chase */
	munmap(ws, n * 256);
	free(perm);
	return t;
}

/* The largest maple tree's shape and find_vma, for the floor line. */
static struct {
	unsigned long vmas, nodes, height;
	double find, walk;
} floor_mt;

/* ns per random mt_find() over the VMAs of @mm, the VMA left untouched. */
static double walk_only(struct mm_struct *mm, unsigned long n, unsigned long lookups)
{
	unsigned long span = (3 * n - 1) * P, sink = 0;
	unsigned long long t0;
	double t[ROUNDS];

	mmap_read_lock(mm);
	for (int r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (unsigned long k = 0; k < lookups; k++) {
			unsigned long index = WIN + xorshift() % span;

			sink += (unsigned long)mt_find(&mm->mm_mt, &index, ~0UL);
		}
		t[r] = (double)(now_ns() - t0) / (double)lookups;
	}
	mmap_read_unlock(mm);
	if (sink == 42)
		printf(" ");	/* keep the lookups */
	return median(t, ROUNDS);
}

/* ---- umm ---- */

static long u_map(void *ctx, unsigned long addr, unsigned long len, int prot)
{
	return umm_mmap(ctx, addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static int u_unmap(void *ctx, unsigned long addr, unsigned long len)
{
	return umm_munmap(ctx, addr, len);
}

static int u_protect(void *ctx, unsigned long addr, unsigned long len, int prot)
{
	return umm_mprotect(ctx, addr, len, prot);
}

static long u_remap(void *ctx, unsigned long addr, unsigned long old_len,
		    unsigned long new_len)
{
	return umm_mremap(ctx, addr, old_len, new_len, 0, 0);
}

/* ---- the host ---- */

static long h_remap(void *ctx, unsigned long addr, unsigned long old_len,
		    unsigned long new_len)
{
	(void)ctx;
	return syscall(SYS_mremap, addr, old_len, new_len, 0, 0);
}

static long h_map(void *ctx, unsigned long addr, unsigned long len, int prot)
{
	(void)ctx;
	return syscall(SYS_mmap, addr, len, prot,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

static int h_unmap(void *ctx, unsigned long addr, unsigned long len)
{
	(void)ctx;
	return (int)syscall(SYS_munmap, addr, len);
}

static int h_protect(void *ctx, unsigned long addr, unsigned long len, int prot)
{
	(void)ctx;
	return (int)syscall(SYS_mprotect, addr, len, prot);
}

/* The host's numbers, from a child (its address space is thrown away). */
static int host_run(unsigned long n, unsigned long iters, double *out)
{
	const struct ops o = { NULL, h_map, h_unmap, h_protect, h_remap };
	int fd[2], status;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		double res[NR_TESTS];
		void *w = mmap((void *)WIN, 3 * n * P + P, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			       MAP_FIXED_NOREPLACE, -1, 0);

		if (w != (void *)WIN)
			_exit(2);
		munmap(w, 3 * n * P + P);
		if (build(&o, n))
			_exit(3);
		run_tests(&o, n, iters, NULL, res);
		if (write(fd[1], res, sizeof(res)) != sizeof(res))
			_exit(4);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], out, sizeof(double) * NR_TESTS) != sizeof(double) * NR_TESTS) {
		close(fd[0]);
		waitpid(pid, &status, 0);
		return -1;
	}
	close(fd[0]);
	waitpid(pid, &status, 0);
	return 0;
}

static unsigned long host_max_map_count(void)
{
	unsigned long v = 65530;
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 65530;
		fclose(f);
	}
	return v;
}

static void print_row(unsigned long n, const char *who, const double *v, const double *h)
{
	printf("%7lu %-6s |", n, who);
	for (int t = T_MMAP; t <= T_MREMAP; t++) {
		if (h)
			printf(" %7.0f %6.1fx |", v[t], h[t] / v[t]);
		else
			printf(" %7.0f %7s |", v[t], "");
	}
	if (v[T_FIND] >= 0)
		printf(" %6.1f / %6.1f", v[T_WALK], v[T_FIND]);
	printf("\n");
}

/* One tree's numbers at @n VMAs; -1 if umm could not build or check them. */
static int umm_run(const char *tree, unsigned long n, unsigned long iters, double *out)
{
	char param[64];
	struct mm_struct *mm;

	snprintf(param, sizeof(param), "umm.vma_tree=%s", tree);
	if (umm_param_set(param))
		return -1;
	mm = umm_mm_create();
	if (!mm)
		return -1;
	const struct ops o = { mm, u_map, u_unmap, u_protect, u_remap };

	if (build(&o, n)) {
		fprintf(stderr, "cannot build %lu VMAs in umm (%s)\n", n, tree);
		umm_mm_destroy(mm);
		return -1;
	}
	run_tests(&o, n, iters, mm, out);
	if (mm->vma_maple) {
		floor_mt.vmas = n;
		floor_mt.nodes = mt_nr_nodes(&mm->mm_mt);
		floor_mt.height = mt_height(&mm->mm_mt);
		floor_mt.find = out[T_FIND];
		floor_mt.walk = walk_only(mm, n, iters * 10);
	}
	if (umm_mm_check(mm) || mm->map_count != (int)n ||
	    mm->vma_maple != !strcmp(tree, "maple")) {
		fprintf(stderr, "umm_mm_check failed at %lu VMAs (%s)\n", n, tree);
		umm_mm_destroy(mm);
		return -1;
	}
	umm_mm_destroy(mm);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long max = argc > 1 ? strtoul(argv[1], NULL, 0) : 100000;
	static const unsigned long sizes[] = { 10, 100, 1000, 10000, 60000, 100000 };
	static const char *const trees[] = { "maple", "rbtree" };
	unsigned long host_max = host_max_map_count();

	/* umm's vm.max_map_count must let 100,000 VMAs in */
	if (umm_boot("mem=256M umm.max_map_count=1000000")) {
		fprintf(stderr, "umm_boot failed\n");
		return 1;
	}
	printf("ns per call (median of %d rounds); x = host / umm; host = this machine's kernel,\n"
	       "same sequence (vm.max_map_count %lu)\n", ROUNDS, host_max);
	printf("%7s %-6s | %-16s | %-16s | %-16s | %-16s | %s\n", "VMAs", "tree",
	       "mmap+munmap", "mprotect", "split+merge", "mremap", "find_vma first/steady");
	for (size_t s = 0; s < ARRAY_SIZE(sizes) && sizes[s] <= max; s++) {
		unsigned long n = sizes[s], iters = n < 20000 ? 20000 : 10000;
		double u[NR_TESTS], h[NR_TESTS];
		bool host = n + 100 <= host_max && !host_run(n, iters, h);

		for (size_t t = 0; t < ARRAY_SIZE(trees); t++) {
			if (umm_run(trees[t], n, iters, u))
				return 1;
			print_row(n, trees[t], u, host ? h : NULL);
		}
		if (host)
			print_row(n, "host", h, NULL);
		else
			printf("%7lu %-6s | above vm.max_map_count\n", n, "host");
	}
	if (floor_mt.nodes) {
		size_t nodes = floor_mt.nodes * 256;
		size_t vmas = floor_mt.vmas * sizeof(struct vm_area_struct);
		double cn = chase_ns(nodes, 2000000);
		double cv = chase_ns(nodes + vmas, 2000000);

		printf("floor at %lu VMAs: maple tree of %lu nodes (%zu KiB), height %lu;\n"
		       "  dependent random load over the nodes' %zu KiB: %.1f ns, over nodes + VMAs"
		       " (%zu KiB): %.1f ns;\n"
		       "  find_vma steady %.1f ns = %.1f / %.1f such loads; walk only %.1f ns"
		       " = %.1f loads over the nodes\n",
		       floor_mt.vmas, floor_mt.nodes, nodes >> 10, floor_mt.height,
		       nodes >> 10, cn, (nodes + vmas) >> 10, cv, floor_mt.find,
		       floor_mt.find / cn, floor_mt.find / cv, floor_mt.walk,
		       floor_mt.walk / cn);
	}
	umm_shutdown();
	return 0;
}
