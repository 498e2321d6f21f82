// SPDX-License-Identifier: GPL-2.0
/*
 * test_vma_model.c - the VMA calls against an array model of the pages,
 * with each VMA tree (umm.vma_tree=maple, then rbtree).
 *
 * The model is one entry per page of a window: unmapped or the page's
 * protection.  Random steps map a range (MAP_FIXED), unmap one, change
 * its protection (which splits and merges VMAs, and stops at the first
 * hole with -ENOMEM, the pages before it changed), or shrink or grow a
 * VMA in place with mremap(); the window's VMAs are few pages long, so
 * every step splits or merges.  After each step: umm_mm_check(), the
 * VMAs cover exactly the mapped pages with their protection, and for
 * every page of the window and one on either side find_vma() and
 * find_vma_prev() give what the model says (the VMA at or after the
 * page, and the one before), which checks the trees' lookups after
 * each kind of store: a split or a merge is one store in the maple tree
 * (mm/vma.c, vma_cede_range()), and its nodes share slots with their
 * siblings before they split (lib/maple_tree.c, mas_push_data()).
 *
 * Under run_watched(): a hang or a crash names the seed.
 *
 * One call in six maps without a hint (outside the window) or unmaps
 * such a mapping: both trees run the same calls, and the maple tree's
 * gap search must place each mapping where the rb-tree's does.
 *
 * A wider window (up to 8192 pages: hundreds of VMAs, a tree of three
 * or four levels) and the calls that span up to a quarter of it (one in
 * 16) have a store replace or cut many VMAs and leaves at once.
 *
 * Usage: test_vma_model [seed] [steps] [window-pages]
 */
#include <errno.h>
#include <sys/mman.h>
#include "tests/test.h"
#include "mm/internal.h"

#define WMAX	8192UL			/* the widest window */
#define BASE	0x300000000000UL
#define P	PAGE_SIZE

static unsigned long long seed = 1, rng;
static long steps = 3000;
static unsigned long W = 192;		/* pages in the window */
static int model[WMAX];			/* -1 unmapped, else PROT_* */

/*
 * Mappings placed without a hint (outside the window), and the
 * addresses every tree's search for a gap gave, in order: the maple
 * tree's gaps (mas_empty_area_rev()) must place each where the rb-tree's
 * augmented search does.
 */
#define HL	256
#define NLOG	(1L << 16)
static unsigned long hl_addr[HL], hl_len[HL];
static int hl_n;
static unsigned long place_log[2][NLOG];
static long nlog[2];
static int tree_nr;

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(test_splitmix64(&rng) % n);
}

static unsigned long page_addr(long i)
{
	return BASE + (unsigned long)i * P;
}

static int rnd_prot(void)
{
	static const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE };

	return prots[rnd(3)];
}

static int vma_prot(const struct vm_area_struct *vma)
{
	return ((vma->vm_flags & VM_READ) ? PROT_READ : 0) |
	       ((vma->vm_flags & VM_WRITE) ? PROT_WRITE : 0);
}

/* Map @len pages where the kernel chooses, or unmap one such mapping. */
static int hintless_step(struct mm_struct *mm, unsigned long len, int prot)
{
	long addr;
	int i;

	if (hl_n && (hl_n == HL || rnd(2))) {
		i = (int)rnd((unsigned long)hl_n);
		if (umm_munmap(mm, hl_addr[i], hl_len[i] * P))
			return -1;
		hl_addr[i] = hl_addr[--hl_n];
		hl_len[i] = hl_len[hl_n];
		return 0;
	}
	addr = umm_mmap(mm, 0, len * P, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (addr < 0 || (addr < (long)page_addr((long)W) && addr + (long)(len * P) > (long)BASE))
		return -1;
	hl_addr[hl_n] = (unsigned long)addr;
	hl_len[hl_n++] = len;
	if (nlog[tree_nr] < NLOG)
		place_log[tree_nr][nlog[tree_nr]++] = (unsigned long)addr;
	return 0;
}

/* One random call on [a, a + len) pages; the model follows; -1: a wrong return. */
static int one_step(struct mm_struct *mm)
{
	/* one call in 16 spans up to a quarter of the window: many VMAs and nodes */
	unsigned long a = rnd(W), len = rnd(16) ? 1 + rnd(8) : 1 + rnd(W / 4), i;
	int prot = rnd_prot(), r;
	struct vm_area_struct *vma;

	if (a + len > W)
		len = W - a;
	switch (rnd(6)) {
	case 5:
		return hintless_step(mm, len, prot);
	case 0:
		if (umm_mmap(mm, page_addr((long)a), len * P, prot,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)page_addr((long)a))
			return -1;
		for (i = a; i < a + len; i++)
			model[i] = prot;
		return 0;
	case 1:
		if (umm_munmap(mm, page_addr((long)a), len * P))
			return -1;
		for (i = a; i < a + len; i++)
			model[i] = -1;
		return 0;
	case 2:
		r = umm_mprotect(mm, page_addr((long)a), len * P, prot);
		for (i = a; i < a + len && model[i] >= 0; i++)
			model[i] = prot;
		return (r == 0) == (i == a + len) && (r == 0 || r == -ENOMEM) ? 0 : -1;
	default:
		break;
	}
	/* mremap in place: the VMA at a, from a to its end */
	if (model[a] < 0)
		return 0;
	mmap_read_lock(mm);
	vma = find_vma(mm, page_addr((long)a));
	i = vma ? (vma->vm_end - BASE) / P : 0;
	mmap_read_unlock(mm);
	if (!vma || i > W)
		return -1;
	if (rnd(2)) {				/* shrink to len pages, if shorter */
		if (a + len >= i)
			return 0;
		if (umm_mremap(mm, page_addr((long)a), (i - a) * P, len * P, 0, 0) !=
		    (long)page_addr((long)a))
			return -1;
		for (unsigned long k = a + len; k < i; k++)
			model[k] = -1;
		return 0;
	}
	/* grow by len pages where they are free in the window */
	for (unsigned long k = i; k < i + len; k++)
		if (k >= W || model[k] >= 0)
			return 0;
	if (umm_mremap(mm, page_addr((long)a), (i - a) * P, (i - a + len) * P, 0, 0) !=
	    (long)page_addr((long)a))
		return -1;
	for (unsigned long k = i; k < i + len; k++)
		model[k] = model[a];
	return 0;
}

/* The VMAs cover exactly the mapped pages, with their protection. */
static int check_cover(struct mm_struct *mm)
{
	unsigned long covered = 0, mapped = 0;
	struct vm_area_struct *vma;

	for (vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma->vm_start < BASE || vma->vm_end > page_addr(W))
			continue;
		for (unsigned long x = vma->vm_start; x < vma->vm_end; x += P, covered++)
			if (model[(x - BASE) / P] != vma_prot(vma))
				return -1;
	}
	for (unsigned long i = 0; i < W; i++)
		mapped += model[i] >= 0;
	return covered == mapped ? 0 : -1;
}

/* The first mapped page at or after @i (W: none), the last before @i (-1: none). */
static long mapped_from(long i)
{
	while (i < (long)W && (i < 0 || model[i] < 0))
		i++;
	return i;
}

static long mapped_before(long i)
{
	for (i--; i >= 0; i--)
		if (i < (long)W && model[i] >= 0)
			return i;
	return -1;
}

static bool holds(const struct vm_area_struct *vma, long i)
{
	return vma && vma->vm_start <= page_addr(i) && page_addr(i) < vma->vm_end;
}

/* find_vma() and find_vma_prev() at every page of the window and its edges. */
static int check_lookups(struct mm_struct *mm)
{
	int err = 0;

	mmap_read_lock(mm);
	for (long i = -1; i <= (long)W && !err; i++) {
		struct vm_area_struct *prev, *vma = find_vma(mm, page_addr(i));
		struct vm_area_struct *vma2 = find_vma_prev(mm, page_addr(i), &prev);
		long next = mapped_from(i), before;

		if (vma != vma2)
			err = -1;
		else if (next < (long)W ? !holds(vma, next) :
			 vma && vma->vm_start < page_addr(W))
			err = -1;
		if (err)
			break;
		before = mapped_before(holds(vma, i) ? (long)((vma->vm_start - BASE) / P) : i);
		if (before >= 0 ? !holds(prev, before) :
		    prev && prev->vm_end > BASE)
			err = -1;
	}
	mmap_read_unlock(mm);
	return err;
}

static int run_tree(const char *tree)
{
	char param[64];
	struct mm_struct *mm;

	snprintf(param, sizeof(param), "umm.vma_tree=%s", tree);
	if (umm_param_set(param))
		return 1;
	mm = umm_mm_create();
	if (!mm)
		return 1;
	for (unsigned long i = 0; i < W; i++)
		model[i] = -1;
	rng = seed;		/* each tree the same calls */
	hl_n = 0;
	nlog[tree_nr] = 0;
	for (long s = 0; s < steps; s++) {
		if (one_step(mm)) {
			fprintf(stderr, "seed %llu (%s) step %ld: a call returned wrong\n",
				seed, tree, s);
			return 1;
		}
		if (umm_mm_check(mm) || check_cover(mm) || check_lookups(mm)) {
			fprintf(stderr, "seed %llu (%s) step %ld: the VMAs differ from the model\n",
				seed, tree, s);
			return 1;
		}
	}
	fprintf(stderr, "%s: %ld steps, %d VMAs at the end\n", tree, steps, mm->map_count);
	umm_mm_destroy(mm);
	return 0;
}

/* The trees placed every hintless mapping alike. */
static int check_placements(void)
{
	for (long i = 0; i < nlog[0] || i < nlog[1]; i++)
		if (i >= nlog[0] || i >= nlog[1] || place_log[0][i] != place_log[1][i]) {
			fprintf(stderr, "seed %llu: hintless mmap %ld: maple tree %#lx, rb-tree %#lx\n",
				seed, i, i < nlog[0] ? place_log[0][i] : 0,
				i < nlog[1] ? place_log[1][i] : 0);
			return 1;
		}
	fprintf(stderr, "%ld hintless mappings placed alike\n", nlog[0]);
	return 0;
}

static int run(void)
{
	if (umm_boot("mem=64M"))
		return 1;
	tree_nr = 0;
	if (run_tree("maple"))
		return 1;
	tree_nr = 1;
	if (run_tree("rbtree") || check_placements())
		return 1;
	umm_shutdown();
	return 0;
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	if (argc > 3)
		W = strtoul(argv[3], NULL, 0);
	if (W < 8 || W > WMAX) {
		fprintf(stderr, "test_vma_model: a window of 8 to %lu pages\n", WMAX);
		return 2;
	}
	fprintf(stderr, "test_vma_model: seed %llu, %ld steps, %lu pages\n", seed, steps, W);
	return run_watched(run, 300, seed);
}
