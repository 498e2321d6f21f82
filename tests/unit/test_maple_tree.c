// SPDX-License-Identifier: GPL-2.0
/*
 * test_maple_tree.c - lib/maple_tree.c against a brute-force reference.
 *
 * The reference is an array over a small universe [0, U): the entry and
 * the number of the store that put it at each index (indices from U up
 * stay NULL).  A tree range is a maximal run of one store, so walking
 * the tree with mas_find()/mas_find_rev() must give exactly the runs.
 * Every step stores a random range (an entry or NULL), erases one entry,
 * or injects failslab and checks that a failed store changed nothing;
 * then mt_validate(), every load, the iteration both ways, and a few
 * gap searches (mas_empty_area(), mas_empty_area_rev()) against the
 * lowest and highest fit the array gives.  mt_validate() itself is shown
 * to catch a broken gap and a broken pivot.  Under run_watched(): a hang
 * or crash names the seed.
 *
 * Usage: test_maple_tree [seed] [steps]
 */
#include "../test.h"
#include <errno.h>
#include <umm/boot.h>
#include <umm/maple_tree.h>

#define U	20000UL

static unsigned long long seed = 1, rng;
static long steps = 20000;
static void *ref[U + 1];
static unsigned long ref_id[U + 1];
static unsigned long next_id = 1;

static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(test_splitmix64(&rng) % n);
}

static void ref_store(unsigned long a, unsigned long b, void *entry)
{
	unsigned long id = entry ? next_id++ : 0, i;

	for (i = a; i <= b && i < U; i++) {
		ref[i] = entry;
		ref_id[i] = id;
	}
}

/* Loads, then the runs forward and backward. */
static int check_contents(struct maple_tree *mt)
{
	unsigned long i, start;
	void *entry;

	for (i = 0; i < U; i++)
		if (mtree_load(mt, i) != ref[i]) {
			fprintf(stderr, "seed %llu: load %lu gives %p, not %p\n", seed, i,
				mtree_load(mt, i), ref[i]);
			return -1;
		}
	if (mtree_load(mt, U) || mtree_load(mt, ~0UL))
		return -1;
	{
		MA_STATE(mas, mt, 0, 0);

		for (i = 0; i < U; i = start) {
			start = i + 1;
			if (!ref[i])
				continue;
			while (start < U && ref_id[start] == ref_id[i])
				start++;
			entry = mas_find(&mas, ~0UL);
			if (entry != ref[i] || mas.index != i || mas.last != start - 1) {
				fprintf(stderr, "seed %llu: find gives %p [%lx, %lx], not %p [%lx, %lx]\n",
					seed, entry, mas.index, mas.last, ref[i], i, start - 1);
				return -1;
			}
		}
		if (mas_find(&mas, ~0UL))
			return -1;
	}
	{
		/* mt_find() (find_vma()'s walk) from random starts, with a limit */
		unsigned long index, k, want;

		for (k = 0; k < 64; k++) {
			unsigned long from = rnd(U + 10), lim = from + rnd(100);

			index = from;
			entry = mt_find(mt, &index, lim);
			for (want = from; want <= lim && want < U && !ref[want]; want++)
				;
			if (want > lim || want >= U ? entry != NULL :
			    entry != ref[want] || index == 0 ||
			    !(ref_id[index - 1] == ref_id[want] &&
			      (index >= U || ref_id[index] != ref_id[want]))) {
				fprintf(stderr, "seed %llu: mt_find(%lu, %lu) gives %p, next %lu\n",
					seed, from, lim, entry, index);
				return -1;
			}
		}
		/* mas_next()/mas_prev(): the run after / before the one at a random index */
		for (k = 0; k < 32; k++) {
			unsigned long at = rnd(U), e = at, s = at;
			MA_STATE(mn, mt, at, at);
			MA_STATE(mp, mt, at, at);
			void *got_next = mas_next(&mn, ~0UL), *got_prev = mas_prev(&mp, 0);

			while (e + 1 < U && ref_id[e + 1] == ref_id[at] && ref[at] == ref[e + 1])
				e++;
			while (s > 0 && ref_id[s - 1] == ref_id[at] && ref[at] == ref[s - 1])
				s--;
			for (e++; e < U && !ref[e]; e++)
				;
			while (s > 0 && !ref[s - 1])
				s--;
			if (got_next != (e < U ? ref[e] : NULL) ||
			    got_prev != (s > 0 ? ref[s - 1] : NULL)) {
				fprintf(stderr, "seed %llu: mas_next/prev(%lu) give %p/%p\n",
					seed, at, got_next, got_prev);
				return -1;
			}
		}
		i = 0;
		index = 0;
		mt_for_each(mt, entry, index, ~0UL)
			i++;
		for (k = 0, start = 0; start < U; start++)
			k += ref[start] && (!start || ref_id[start - 1] != ref_id[start]);
		if (i != k) {
			fprintf(stderr, "seed %llu: mt_for_each gives %lu ranges, not %lu\n",
				seed, i, k);
			return -1;
		}
	}
	{
		MA_STATE(mas, mt, ~0UL, ~0UL);

		for (i = U; i-- > 0; ) {
			unsigned long last = i;

			if (!ref[i])
				continue;
			while (i > 0 && ref_id[i - 1] == ref_id[last])
				i--;
			entry = mas_find_rev(&mas, 0);
			if (entry != ref[last] || mas.index != i || mas.last != last) {
				fprintf(stderr, "seed %llu: find_rev gives %p [%lx, %lx], not [%lx, %lx]\n",
					seed, entry, mas.index, mas.last, i, last);
				return -1;
			}
		}
		if (mas_find_rev(&mas, 0))
			return -1;
	}
	return 0;
}

static bool ref_free(unsigned long s, unsigned long size)
{
	unsigned long i;

	for (i = s; i < s + size; i++)
		if (i < U && ref[i])
			return false;
	return true;
}

/* The gap searches against the lowest and the highest fit of the array. */
static int check_gaps(struct maple_tree *mt)
{
	int k;

	for (k = 0; k < 8; k++) {
		unsigned long min = rnd(U), max = min + rnd(U + 200 - min);
		unsigned long size = 1 + rnd(k < 4 ? 8 : 200), s, want = ~0UL, want_rev = ~0UL;
		MA_STATE(mas, mt, 0, 0);
		int err;

		for (s = min; max - min >= size - 1 && s <= max - (size - 1); s++)
			if (ref_free(s, size)) {
				want = s;
				break;
			}
		for (s = max; max - min >= size - 1 && s >= min + size - 1; s--)
			if (ref_free(s - size + 1, size)) {
				want_rev = s - size + 1;
				break;
			}
		err = mas_empty_area(&mas, min, max, size);
		if (err ? want != ~0UL : (mas.index != want || mas.last != want + size - 1)) {
			fprintf(stderr, "seed %llu: empty_area(%lu, %lu, %lu) = %d at %lu, want %lu\n",
				seed, min, max, size, err, mas.index, want);
			return -1;
		}
		err = mas_empty_area_rev(&mas, min, max, size);
		if (err ? want_rev != ~0UL : mas.index != want_rev) {
			fprintf(stderr, "seed %llu: empty_area_rev(%lu, %lu, %lu) = %d at %lu, want %lu\n",
				seed, min, max, size, err, mas.index, want_rev);
			return -1;
		}
	}
	return 0;
}

static void *entry_for(unsigned long n)
{
	return (void *)((n + 1) << 3);
}

/* A store under failslab: either done, or -ENOMEM and nothing changed. */
static int failing_store(struct maple_tree *mt, unsigned long a, unsigned long b, void *e)
{
	int err;

	umm_param_set("failslab=1,50,0,-1");
	err = mtree_store_range(mt, a, b, e, GFP_KERNEL);
	umm_param_set("failslab=1,0,0,0");
	if (err && err != -ENOMEM)
		return -1;
	if (!err)
		ref_store(a, b, e);
	return err ? 1 : 0;
}

static int one_step(struct maple_tree *mt, long step, unsigned long *failed)
{
	unsigned long a = rnd(U), len = rnd(50) ? 1 + rnd(4) : 1 + rnd(U / 8);
	unsigned long b = a + len - 1 < U ? a + len - 1 : U - 1;
	int op = (int)rnd(20), r;

	if (op < 13) {
		void *e = entry_for(rnd(50));

		if (mtree_store_range(mt, a, b, e, GFP_KERNEL))
			return -1;
		ref_store(a, b, e);
	} else if (op < 15) {
		/* the preallocated path mm/vma.c takes */
		MA_STATE(mas, mt, a, b);

		if (mas_preallocate(&mas, NULL, GFP_KERNEL))
			return -1;
		mas_store_prealloc(&mas, NULL);
		mas_destroy(&mas);
		ref_store(a, b, NULL);
	} else if (op < 19) {
		void *want = ref[a], *got;

		got = mtree_erase(mt, a);
		if (got != want)
			return -1;
		if (want) {
			unsigned long s = a, e = a, id = ref_id[a];

			while (s > 0 && ref_id[s - 1] == id)
				s--;
			while (e + 1 < U && ref_id[e + 1] == id)
				e++;
			ref_store(s, e, NULL);
		}
	} else {
		r = failing_store(mt, a, b, entry_for(rnd(50)));
		if (r < 0)
			return -1;
		*failed += r;
	}
	if (mt_validate(mt)) {
		fprintf(stderr, "seed %llu: mt_validate fails after step %ld\n", seed, step);
		return -1;
	}
	return 0;
}

/* Random steps on one tree; @alloc picks MT_FLAGS_ALLOC_RANGE. */
static int random_tree(unsigned int flags)
{
	struct maple_tree mt;
	unsigned long failed = 0;
	long s;

	mt_init_flags(&mt, flags);
	memset(ref, 0, sizeof(ref));
	memset(ref_id, 0, sizeof(ref_id));
	for (s = 0; s < steps; s++) {
		if (one_step(&mt, s, &failed))
			return -1;
		if ((s % 64 == 0 || s == steps - 1) &&
		    (check_contents(&mt) || check_gaps(&mt)))
			return -1;
	}
	fprintf(stderr, "flags %u: %ld steps, height %u, %lu nodes, %lu stores refused\n",
		flags, steps, mt_height(&mt), mt_nr_nodes(&mt), failed);
	if (!failed)
		return -1;	/* failslab must have bitten */
	mtree_destroy(&mt);
	return mt_validate(&mt) || !mtree_empty(&mt) ? -1 : 0;
}

/* VMA-like: many small ranges one page apart, then erase them all. */
static int sequential_tree(void)
{
	struct maple_tree mt;
	unsigned long i, n = 20000, height;
	MA_STATE(mas, &mt, 0, 0);
	void *entry;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < n; i++)
		if (mtree_store_range(&mt, i * 3 + 10, i * 3 + 11, entry_for(i), GFP_KERNEL))
			return -1;
	height = mt_height(&mt);
	if (mt_validate(&mt) || height < 4)
		return -1;
	i = 0;
	mas_for_each(&mas, entry, ~0UL)
		if (entry != entry_for(i++))
			return -1;
	if (i != n || mas_empty_area(&mas, 0, ~0UL, 2) || mas.index != 0)
		return -1;
	if (mas_empty_area(&mas, 10, ~0UL, 2) || mas.index != n * 3 + 9)
		return -1;
	for (i = 0; i < n; i += 2)
		if (mtree_erase(&mt, i * 3 + 10) != entry_for(i))
			return -1;
	if (mt_validate(&mt) || mas_empty_area(&mas, 10, ~0UL, 4) || mas.index != 15 ||
	    mas_empty_area_rev(&mas, 0, 40, 4) || mas.index != 33)
		return -1;
	for (i = 1; i < n; i += 2)
		if (mtree_erase(&mt, i * 3 + 11) != entry_for(i) || (i % 512 == 1 && mt_validate(&mt)))
			return -1;
	fprintf(stderr, "sequential: %lu ranges, height %lu\n", n, height);
	return mtree_empty(&mt) && !mt_height(&mt) ? 0 : -1;
}

/*
 * VMA-like ranges stored in ascending and in descending order: a full
 * node shares with a sibling that has room before it splits
 * (mas_push_data(), leftward and rightward), so the nodes end up more
 * than three quarters full.  Plain halving splits leave every node but
 * the last half full, and more than n / 5 nodes for n ranges (an entry
 * and a gap each: 2n slots in leaves of 16).
 */
static int dense_tree(bool descending)
{
	struct maple_tree mt;
	unsigned long i, n = 20000, nodes;
	MA_STATE(mas, &mt, 0, 0);
	void *entry;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < n; i++) {
		unsigned long k = descending ? n - 1 - i : i;

		if (mtree_store_range(&mt, k * 3 + 10, k * 3 + 11, entry_for(k), GFP_KERNEL))
			return -1;
		if (i % 997 == 0 && mt_validate(&mt))
			return -1;
	}
	nodes = mt_nr_nodes(&mt);
	fprintf(stderr, "dense (%s): %lu ranges, %lu nodes, height %u\n",
		descending ? "descending" : "ascending", n, nodes, mt_height(&mt));
	if (mt_validate(&mt) || nodes > n / 5)
		return -1;
	i = 0;
	mas_for_each(&mas, entry, ~0UL)
		if (entry != entry_for(i++))
			return -1;
	if (i != n)
		return -1;
	mtree_destroy(&mt);
	return 0;
}

/* mt_validate() must notice a wrong gap and a pivot out of order. */
static int validate_catches(void)
{
	struct maple_tree mt;
	struct maple_node *root, *leaf;
	unsigned long i, save;
	int bad;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (i = 0; i < 100; i++)
		if (mtree_store_range(&mt, i * 4, i * 4 + 1, entry_for(i), GFP_KERNEL))
			return -1;
	if (mt_height(&mt) < 2 || mt_validate(&mt))
		return -1;
	root = (struct maple_node *)((unsigned long)mt.ma_root & ~MAPLE_NODE_MASK);
	root->ma64.gap[0]++;
	bad = mt_validate(&mt);
	root->ma64.gap[0]--;
	leaf = (struct maple_node *)((unsigned long)root->ma64.slot[0] & ~MAPLE_NODE_MASK);
	save = leaf->mr64.pivot[1];
	leaf->mr64.pivot[1] = leaf->mr64.pivot[0];
	bad = bad && mt_validate(&mt);
	leaf->mr64.pivot[1] = save;
	bad = bad && !mt_validate(&mt);
	mtree_destroy(&mt);
	return bad ? 0 : -1;
}

static int run(void)
{
	rng = seed;
	if (umm_boot("failslab.ignore-gfp-wait=0 failslab.verbose=0") || maple_tree_init())
		return 1;
	if (validate_catches()) {
		fprintf(stderr, "mt_validate misses a broken tree\n");
		return 1;
	}
	if (sequential_tree()) {
		fprintf(stderr, "sequential tree failed\n");
		return 1;
	}
	if (dense_tree(false) || dense_tree(true)) {
		fprintf(stderr, "dense tree failed\n");
		return 1;
	}
	if (random_tree(MT_FLAGS_ALLOC_RANGE) || random_tree(0))
		return 1;
	maple_tree_exit();
	umm_shutdown();
	return 0;
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "test_maple_tree: seed %llu, %ld steps\n", seed, steps);
	return run_watched(run, 300, seed);
}
