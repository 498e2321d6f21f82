// SPDX-License-Identifier: GPL-2.0
/*
 * test_rbtree.c - standalone tests for lib/rbtree.c (no framework).
 *
 * Every tree operation is checked against a brute-force reference: a sorted
 * array of the keys that should be present, and for augmented trees a
 * recomputation of every node's augmented value from scratch. rb_check()
 * validates the red-black invariants, and is itself tested on hand-built
 * broken trees so that a checker that always says "valid" cannot pass.
 *
 * Usage: test_rbtree [seed]. Exits 0 on success; on the first failed check
 * it prints the check, its location and details, and exits 1.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umm/rbtree.h>
#include <umm/rbtree_augmented.h>

static unsigned long nchecks;

#define CHECK(cond, ...)						\
	do {								\
		nchecks++;						\
		if (!(cond)) {						\
			fprintf(stderr, "test_rbtree: FAIL %s:%d: %s: ", \
				__FILE__, __LINE__, #cond);		\
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
			exit(1);					\
		}							\
	} while (0)

/* Deterministic xorshift64* generator; the seed can be given on argv. */
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static unsigned long rnd_below(unsigned long n)
{
	return (unsigned long)(rnd() % n);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		fprintf(stderr, "test_rbtree: out of memory\n");
		exit(2);
	}
	return p;
}

/* ---- reference: a sorted array of distinct keys ---- */

struct refset {
	long *v;
	size_t n;
};

static void ref_init(struct refset *r, size_t cap)
{
	r->v = xcalloc(cap ? cap : 1, sizeof(*r->v));
	r->n = 0;
}

static size_t ref_lower_bound(const struct refset *r, long key)
{
	size_t lo = 0, hi = r->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void ref_insert(struct refset *r, long key)
{
	size_t i = ref_lower_bound(r, key);

	CHECK(i == r->n || r->v[i] != key, "reference: duplicate %ld", key);
	memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(*r->v));
	r->v[i] = key;
	r->n++;
}

static void ref_remove(struct refset *r, long key)
{
	size_t i = ref_lower_bound(r, key);

	CHECK(i < r->n && r->v[i] == key, "reference: missing %ld", key);
	memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
	r->n--;
}

/* ---- shape helpers, independent of the element type ---- */

static size_t tree_height(const struct rb_node *n)
{
	size_t l, r;

	if (!n)
		return 0;
	l = tree_height(n->rb_left);
	r = tree_height(n->rb_right);
	return 1 + (l > r ? l : r);
}

static size_t tree_count(const struct rb_node *n)
{
	if (!n)
		return 0;
	return 1 + tree_count(n->rb_left) + tree_count(n->rb_right);
}

/* A red-black tree of n nodes is at most 2 * log2(n + 1) high. */
static void check_height(const struct rb_root *root, size_t n)
{
	size_t h = tree_height(root->rb_node);

	CHECK(h / 2 < 63 && (1ULL << (h / 2)) <= (unsigned long long)n + 1,
	      "height %zu too large for %zu nodes", h, n);
}

/* ---- plain items ---- */

struct item {
	long key;
	bool in_tree;
	struct rb_node rb;
};

#define to_item(n)	rb_entry((n), struct item, rb)

static int item_cmp(const struct rb_node *a, const struct rb_node *b)
{
	long ka = to_item(a)->key, kb = to_item(b)->key;

	return (ka > kb) - (ka < kb);
}

static bool item_less(struct rb_node *a, const struct rb_node *b)
{
	return to_item(a)->key < to_item(b)->key;
}

static int item_cmp_key(const void *key, const struct rb_node *n)
{
	long k = *(const long *)key, nk = to_item(n)->key;

	return (k > nk) - (k < nk);
}

static int item_cmp_add(struct rb_node *a, const struct rb_node *b)
{
	return item_cmp(a, b);
}

/* Open-coded insertion, the way most kernel users do it. */
static void item_insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (it->key < to_item(parent)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&it->rb, parent, link);
	rb_insert_color(&it->rb, root);
	it->in_tree = true;
}

static struct item *item_search(const struct rb_root *root, long key)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct item *it = to_item(n);

		if (key < it->key)
			n = n->rb_left;
		else if (key > it->key)
			n = n->rb_right;
		else
			return it;
	}
	return NULL;
}

static void item_erase(struct rb_root *root, struct item *it)
{
	rb_erase(&it->rb, root);
	RB_CLEAR_NODE(&it->rb);
	it->in_tree = false;
}

/* Full verification: invariants, both iteration orders, ends, height. */
static void verify_items(const struct rb_root *root, const struct refset *ref)
{
	struct rb_node *n;
	size_t i;
	int ret;

	ret = rb_check(root, item_cmp);
	CHECK(ret == 0, "rb_check() = %d with %zu nodes", ret, ref->n);

	i = 0;
	for (n = rb_first(root); n; n = rb_next(n)) {
		CHECK(i < ref->n, "rb_next() walked past %zu nodes", ref->n);
		CHECK(to_item(n)->key == ref->v[i],
		      "rb_next() order: got %ld, want %ld at %zu",
		      to_item(n)->key, ref->v[i], i);
		i++;
	}
	CHECK(i == ref->n, "rb_next() saw %zu of %zu nodes", i, ref->n);

	i = ref->n;
	for (n = rb_last(root); n; n = rb_prev(n)) {
		CHECK(i > 0, "rb_prev() walked past %zu nodes", ref->n);
		i--;
		CHECK(to_item(n)->key == ref->v[i],
		      "rb_prev() order: got %ld, want %ld at %zu",
		      to_item(n)->key, ref->v[i], i);
	}
	CHECK(i == 0, "rb_prev() stopped %zu nodes early", i);

	CHECK(RB_EMPTY_ROOT(root) == (ref->n == 0), "RB_EMPTY_ROOT");
	if (ref->n) {
		CHECK(to_item(rb_first(root))->key == ref->v[0], "rb_first");
		CHECK(to_item(rb_last(root))->key == ref->v[ref->n - 1],
		      "rb_last");
		CHECK(rb_prev(rb_first(root)) == NULL, "rb_prev(first)");
		CHECK(rb_next(rb_last(root)) == NULL, "rb_next(last)");
	} else {
		CHECK(!rb_first(root) && !rb_last(root), "ends of empty tree");
	}
	check_height(root, ref->n);
}

static void test_basics(void)
{
	struct rb_root root = RB_ROOT;
	struct rb_root_cached croot = RB_ROOT_CACHED;
	struct item a = { .key = 1 }, b = { .key = 2 };

	printf("  basics\n");
	CHECK(RB_EMPTY_ROOT(&root), "RB_ROOT is empty");
	CHECK(RB_EMPTY_ROOT(&croot.rb_root) && !rb_first_cached(&croot),
	      "RB_ROOT_CACHED is empty");
	CHECK(rb_check(&root, item_cmp) == 0, "empty tree is valid");
	CHECK(!rb_first(&root) && !rb_last(&root), "empty tree has no ends");
	CHECK(!rb_first_postorder(&root), "empty postorder");
	CHECK(!rb_next_postorder(NULL), "rb_next_postorder(NULL)");
	CHECK(rb_entry_safe((struct rb_node *)NULL, struct item, rb) == NULL,
	      "rb_entry_safe(NULL)");
	CHECK(rb_entry_safe(&a.rb, struct item, rb) == &a,
	      "rb_entry_safe(node)");
	CHECK(rb_entry(&b.rb, struct item, rb) == &b, "rb_entry");

	RB_CLEAR_NODE(&a.rb);
	CHECK(RB_EMPTY_NODE(&a.rb), "RB_CLEAR_NODE -> RB_EMPTY_NODE");
	CHECK(!rb_next(&a.rb) && !rb_prev(&a.rb), "empty node has no links");

	item_insert(&root, &a);
	CHECK(!RB_EMPTY_NODE(&a.rb), "inserted node is not empty");
	CHECK(rb_parent(&a.rb) == NULL && rb_is_black(&a.rb),
	      "single node is a black root");
	CHECK(rb_first(&root) == &a.rb && rb_last(&root) == &a.rb, "ends");
	item_insert(&root, &b);
	CHECK(rb_parent(&b.rb) == &a.rb && rb_is_red(&b.rb), "red child");
	CHECK(rb_next(&a.rb) == &b.rb && rb_prev(&b.rb) == &a.rb, "links");
	CHECK(rb_check(&root, item_cmp) == 0, "two nodes valid");
	item_erase(&root, &a);
	CHECK(root.rb_node == &b.rb && rb_is_black(&b.rb) &&
	      !rb_parent(&b.rb), "erase root leaves black root");
	item_erase(&root, &b);
	CHECK(RB_EMPTY_ROOT(&root), "tree empty again");
}

/* ---- rb_check() must reject broken trees ---- */

static void mk(struct item *it, long key, struct item *parent, int color,
	       struct item *left, struct item *right)
{
	it->key = key;
	it->rb.__rb_parent_color =
		(unsigned long)(parent ? &parent->rb : NULL) |
		(unsigned long)color;
	it->rb.rb_left = left ? &left->rb : NULL;
	it->rb.rb_right = right ? &right->rb : NULL;
}

/* n[2] black root with red children n[1] and n[3]: valid. */
static void build3(struct rb_root *root, struct item *n)
{
	mk(&n[2], 2, NULL, RB_BLACK, &n[1], &n[3]);
	mk(&n[1], 1, &n[2], RB_RED, NULL, NULL);
	mk(&n[3], 3, &n[2], RB_RED, NULL, NULL);
	root->rb_node = &n[2].rb;
}

static void test_checker(void)
{
	struct rb_root root = RB_ROOT;
	struct item n[4];
	struct item *chain;
	int i, ret;

	printf("  rb_check on broken trees\n");
	memset(n, 0, sizeof(n));

	build3(&root, n);
	CHECK(rb_check(&root, item_cmp) == RB_CHECK_OK, "valid 3-node tree");

	build3(&root, n);
	n[2].rb.__rb_parent_color = (unsigned long)&n[1].rb | RB_BLACK;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_ROOT_PARENT, "root with parent: %d", ret);

	build3(&root, n);
	n[2].rb.__rb_parent_color = RB_RED;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_ROOT_RED, "red root: %d", ret);

	build3(&root, n);
	n[3].rb.__rb_parent_color = (unsigned long)&n[1].rb | RB_RED;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_PARENT, "wrong parent: %d", ret);

	build3(&root, n);
	n[3].rb.__rb_parent_color |= 2UL;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_PARENT, "reserved bit set: %d", ret);

	build3(&root, n);
	mk(&n[0], 0, &n[1], RB_RED, NULL, NULL);
	n[1].rb.rb_left = &n[0].rb;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_RED_RED, "red-red: %d", ret);

	build3(&root, n);
	n[1].rb.__rb_parent_color |= RB_BLACK;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_BLACK_HEIGHT, "black height: %d", ret);

	build3(&root, n);
	n[1].key = 3;
	n[3].key = 1;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_ORDER, "order: %d", ret);
	ret = rb_check(&root, NULL);
	CHECK(ret == RB_CHECK_OK, "order not checked without cmp: %d", ret);

	/* Consistent parent links but absurdly deep: caught, no overflow. */
	chain = xcalloc(300, sizeof(*chain));
	for (i = 0; i < 300; i++)
		mk(&chain[i], 300 - i, i ? &chain[i - 1] : NULL, RB_BLACK,
		   i < 299 ? &chain[i + 1] : NULL, NULL);
	root.rb_node = &chain[0].rb;
	ret = rb_check(&root, item_cmp);
	CHECK(ret == RB_CHECK_DEPTH, "deep chain: %d", ret);
	free(chain);
}

/* ---- randomized plain insert/erase against the reference ---- */

static void plain_random(long keyspace, unsigned long ops, int pct_first,
			 int pct_second, unsigned long check_every,
			 unsigned long verify_every)
{
	struct item *items = xcalloc((size_t)keyspace, sizeof(*items));
	struct rb_root root = RB_ROOT;
	struct refset ref;
	unsigned long op;
	long k;
	int ret;

	printf("  random insert/erase: keyspace %ld, %lu ops\n",
	       keyspace, ops);
	ref_init(&ref, (size_t)keyspace);
	for (k = 0; k < keyspace; k++) {
		items[k].key = k;
		RB_CLEAR_NODE(&items[k].rb);
	}

	for (op = 0; op < ops; op++) {
		int pct = op < ops / 2 ? pct_first : pct_second;
		bool insert = ref.n == 0 ||
			(ref.n < (size_t)keyspace &&
			 (int)rnd_below(100) < pct);
		struct item *found;

		if (insert) {
			do
				k = (long)rnd_below((unsigned long)keyspace);
			while (items[k].in_tree);
			item_insert(&root, &items[k]);
			ref_insert(&ref, k);
		} else {
			k = ref.v[rnd_below(ref.n)];
			item_erase(&root, &items[k]);
			ref_remove(&ref, k);
			CHECK(RB_EMPTY_NODE(&items[k].rb) &&
			      !rb_next(&items[k].rb), "erased node is empty");
		}

		k = (long)rnd_below((unsigned long)keyspace);
		found = item_search(&root, k);
		CHECK(found == (items[k].in_tree ? &items[k] : NULL),
		      "lookup of %ld after op %lu", k, op);

		if (op % check_every == 0) {
			ret = rb_check(&root, item_cmp);
			CHECK(ret == 0,
			      "rb_check() = %d after op %lu (%zu nodes)",
			      ret, op, ref.n);
		}
		if (op % verify_every == 0)
			verify_items(&root, &ref);
	}
	verify_items(&root, &ref);

	/* Drain in random order, checking as the tree shrinks. */
	while (ref.n) {
		k = ref.v[rnd_below(ref.n)];
		item_erase(&root, &items[k]);
		ref_remove(&ref, k);
		if (ref.n % check_every == 0 || ref.n < 64)
			verify_items(&root, &ref);
	}
	CHECK(RB_EMPTY_ROOT(&root), "drained tree is empty");

	free(ref.v);
	free(items);
}

/* Monotonic and zig-zag patterns hit the rotation cases systematically. */
static void test_plain_sequential(void)
{
	const long n = 2048;
	struct item *items = xcalloc((size_t)n, sizeof(*items));
	struct rb_root root = RB_ROOT;
	struct refset ref;
	long i, k;
	int pattern;

	printf("  sequential patterns: %ld nodes\n", n);
	ref_init(&ref, (size_t)n);
	for (i = 0; i < n; i++)
		items[i].key = i;

	for (pattern = 0; pattern < 4; pattern++) {
		for (i = 0; i < n; i++) {
			switch (pattern) {
			case 0: k = i; break;			/* ascending */
			case 1: k = n - 1 - i; break;		/* descending */
			case 2: k = i & 1 ? n - 1 - i / 2 : i / 2; break;
			default: k = (i * 1031) % n; break;	/* stride */
			}
			item_insert(&root, &items[k]);
			ref_insert(&ref, k);
			if (i < 256 || i % 61 == 0)
				verify_items(&root, &ref);
		}
		verify_items(&root, &ref);

		for (i = 0; i < n; i++) {
			switch (pattern) {
			case 0:		/* always the root: two-child case */
				k = to_item(root.rb_node)->key;
				break;
			case 1: k = i; break;
			case 2: k = n - 1 - i; break;
			default: k = ref.v[ref.n / 2]; break;	/* middle */
			}
			item_erase(&root, &items[k]);
			ref_remove(&ref, k);
			if (ref.n < 256 || i % 61 == 0)
				verify_items(&root, &ref);
		}
		CHECK(RB_EMPTY_ROOT(&root), "pattern %d drained", pattern);
	}
	free(ref.v);
	free(items);
}

/* ---- post-order iteration ---- */

static void test_postorder(void)
{
	const long n = 3000;
	struct item *items = xcalloc((size_t)n, sizeof(*items));
	unsigned char *seen = xcalloc((size_t)n, 1);
	struct rb_root root = RB_ROOT;
	struct item *pos, *tmp;
	struct rb_node *node, *last = NULL;
	long i, count, inserted = 0, sum = 0, want_sum = 0;

	printf("  postorder\n");
	for (i = 0; i < n; i++) {
		items[i].key = i;
		if (rnd_below(3)) {
			item_insert(&root, &items[i]);
			inserted++;
		}
	}

	count = 0;
	for (node = rb_first_postorder(&root); node;
	     node = rb_next_postorder(node)) {
		struct item *it = to_item(node);

		CHECK(it->in_tree, "postorder visits foreign node %ld",
		      it->key);
		CHECK(!seen[it->key], "postorder visits %ld twice", it->key);
		CHECK(!node->rb_left || seen[to_item(node->rb_left)->key],
		      "postorder: %ld before its left child", it->key);
		CHECK(!node->rb_right || seen[to_item(node->rb_right)->key],
		      "postorder: %ld before its right child", it->key);
		seen[it->key] = 1;
		last = node;
		count++;
	}
	CHECK(count == inserted, "postorder saw %ld of %ld", count, inserted);
	CHECK(last == root.rb_node, "postorder ends at the root");

	/* The _safe iterator must tolerate freeing each visited object. */
	root = RB_ROOT;
	for (i = 0; i < 1000; i++) {
		struct item *it = xcalloc(1, sizeof(*it));

		it->key = (long)rnd_below(1000000);
		want_sum += it->key;
		item_insert(&root, it);
	}
	count = 0;
	rbtree_postorder_for_each_entry_safe(pos, tmp, &root, rb) {
		sum += pos->key;
		count++;
		memset(pos, 0xa5, sizeof(*pos));
		free(pos);
	}
	CHECK(count == 1000 && sum == want_sum,
	      "postorder_for_each_safe: %ld nodes, sum %ld (want %ld)",
	      count, sum, want_sum);

	count = 0;
	root = RB_ROOT;
	rbtree_postorder_for_each_entry_safe(pos, tmp, &root, rb)
		count++;
	CHECK(count == 0, "postorder_for_each_safe on empty tree");

	free(seen);
	free(items);
}

/* ---- rb_replace_node() ---- */

static void test_replace(void)
{
	const long n = 4096;
	struct item *a = xcalloc((size_t)n, sizeof(*a));
	struct item *b = xcalloc((size_t)n, sizeof(*b));
	struct item **cur = xcalloc((size_t)n, sizeof(*cur));
	struct rb_root root = RB_ROOT;
	struct rb_node *node;
	struct refset ref;
	long i, k;
	size_t j;

	printf("  rb_replace_node\n");
	ref_init(&ref, (size_t)n);
	for (i = 0; i < n; i++) {
		a[i].key = b[i].key = i;
		cur[i] = NULL;
	}
	for (i = 0; i < n / 2; i++) {
		do
			k = (long)rnd_below((unsigned long)n);
		while (cur[k]);
		cur[k] = &a[k];
		item_insert(&root, cur[k]);
		ref_insert(&ref, k);
	}

	for (i = 0; i < 20000; i++) {
		struct item *old, *new_;

		/* Every 7th time replace the root itself. */
		k = i % 7 ? ref.v[rnd_below(ref.n)] :
			to_item(root.rb_node)->key;
		old = cur[k];
		new_ = old == &a[k] ? &b[k] : &a[k];
		rb_replace_node(&old->rb, &new_->rb, &root);
		old->in_tree = false;
		new_->in_tree = true;
		cur[k] = new_;
		CHECK(item_search(&root, k) == new_, "replaced %ld not found",
		      k);
		if (i % 500 == 0) {
			verify_items(&root, &ref);
			j = 0;
			for (node = rb_first(&root); node; node = rb_next(node))
				CHECK(to_item(node) == cur[ref.v[j++]],
				      "stale node in tree after replace");
		}
	}
	verify_items(&root, &ref);

	/* The tree must stay fully usable after replacements. */
	while (ref.n > (size_t)(n / 4)) {
		k = ref.v[rnd_below(ref.n)];
		item_erase(&root, cur[k]);
		cur[k] = NULL;
		ref_remove(&ref, k);
	}
	verify_items(&root, &ref);
	j = 0;
	for (node = rb_first(&root); node; node = rb_next(node))
		CHECK(to_item(node) == cur[ref.v[j++]], "identity after erase");

	free(ref.v);
	free(cur);
	free(b);
	free(a);
}

/* ---- leftmost-cached trees ---- */

static void test_cached(void)
{
	const long n = 1024;
	struct item *items = xcalloc((size_t)n, sizeof(*items));
	struct item spare;
	struct rb_root_cached croot = RB_ROOT_CACHED;
	struct refset ref;
	unsigned long op;
	long k;
	int ret;

	printf("  cached leftmost\n");
	ref_init(&ref, (size_t)n);
	for (k = 0; k < n; k++)
		items[k].key = k;

	for (op = 0; op < 40000; op++) {
		bool insert = ref.n == 0 ||
			(ref.n < (size_t)n && rnd_below(100) < 55);

		if (insert) {
			struct item *it;
			bool newleft;

			do
				k = (long)rnd_below((unsigned long)n);
			while (items[k].in_tree);
			it = &items[k];
			newleft = ref.n == 0 || k < ref.v[0];

			if (op & 1) {
				struct rb_node *ret_node;

				ret_node = rb_add_cached(&it->rb, &croot,
							 item_less);
				CHECK(ret_node == (newleft ? &it->rb : NULL),
				      "rb_add_cached() return for %ld", k);
			} else {
				struct rb_node **link = &croot.rb_root.rb_node;
				struct rb_node *parent = NULL;
				bool leftmost = true;

				while (*link) {
					parent = *link;
					if (k < to_item(parent)->key) {
						link = &parent->rb_left;
					} else {
						link = &parent->rb_right;
						leftmost = false;
					}
				}
				CHECK(leftmost == newleft, "descent leftmost");
				rb_link_node(&it->rb, parent, link);
				rb_insert_color_cached(&it->rb, &croot,
						       leftmost);
			}
			it->in_tree = true;
			ref_insert(&ref, k);
		} else {
			struct rb_node *ret_node, *want;
			bool was_left;

			/* Priority-queue style: often take the minimum. */
			if (rnd_below(3) == 0)
				k = ref.v[0];
			else
				k = ref.v[rnd_below(ref.n)];
			was_left = k == ref.v[0];
			want = was_left && ref.n > 1 ? &items[ref.v[1]].rb :
				NULL;
			ret_node = rb_erase_cached(&items[k].rb, &croot);
			CHECK(ret_node == want,
			      "rb_erase_cached() return for %ld", k);
			items[k].in_tree = false;
			ref_remove(&ref, k);
		}

		CHECK(rb_first_cached(&croot) == rb_first(&croot.rb_root),
		      "rb_leftmost stale after op %lu", op);
		if (ref.n < 128 || op % 64 == 0) {
			ret = rb_check(&croot.rb_root, item_cmp);
			CHECK(ret == 0, "rb_check() = %d (cached)", ret);
		}
		if (op % 2000 == 0)
			verify_items(&croot.rb_root, &ref);

		/* Swap the leftmost node for a twin now and then. */
		if (ref.n && op % 97 == 0) {
			struct item *left = to_item(rb_first_cached(&croot));

			spare = *left;
			rb_replace_node_cached(&left->rb, &spare.rb, &croot);
			CHECK(rb_first_cached(&croot) == &spare.rb,
			      "rb_replace_node_cached leftmost");
			rb_replace_node_cached(&spare.rb, &left->rb, &croot);
			CHECK(rb_first_cached(&croot) == &left->rb,
			      "rb_replace_node_cached back");
		}
	}
	verify_items(&croot.rb_root, &ref);

	free(ref.v);
	free(items);
}

/* ---- rb_add / rb_find / rb_find_first / rb_for_each / rb_find_add ---- */

struct ditem {
	long key;
	long seq;
	bool in_tree;
	struct rb_node rb;
};

#define to_ditem(n)	rb_entry((n), struct ditem, rb)

static bool ditem_less(struct rb_node *a, const struct rb_node *b)
{
	return to_ditem(a)->key < to_ditem(b)->key;
}

static int ditem_cmp(const struct rb_node *a, const struct rb_node *b)
{
	long ka = to_ditem(a)->key, kb = to_ditem(b)->key;

	return (ka > kb) - (ka < kb);
}

static int ditem_cmp_key(const void *key, const struct rb_node *n)
{
	long k = *(const long *)key, nk = to_ditem(n)->key;

	return (k > nk) - (k < nk);
}

static void check_dups(const struct rb_root *root, const struct ditem *d,
		       long nd, long keys)
{
	long *cnt = xcalloc((size_t)keys, sizeof(*cnt));
	long *first = xcalloc((size_t)keys, sizeof(*first));
	struct rb_node *node, *prev = NULL;
	long i, k, total = 0;
	int ret;

	ret = rb_check(root, ditem_cmp);
	CHECK(ret == 0, "rb_check() = %d (duplicates)", ret);

	for (i = 0; i < nd; i++) {
		if (!d[i].in_tree)
			continue;
		if (!cnt[d[i].key]++)
			first[d[i].key] = d[i].seq;
		total++;
	}
	CHECK(tree_count(root->rb_node) == (size_t)total, "node count");

	/* rb_add() is stable: equal keys stay in insertion order. */
	for (node = rb_first(root); node; prev = node, node = rb_next(node)) {
		if (!prev)
			continue;
		CHECK(to_ditem(prev)->key < to_ditem(node)->key ||
		      (to_ditem(prev)->key == to_ditem(node)->key &&
		       to_ditem(prev)->seq < to_ditem(node)->seq),
		      "rb_add() not stable at key %ld", to_ditem(node)->key);
	}

	for (k = -3; k < keys + 3; k++) {
		bool present = k >= 0 && k < keys && cnt[k];
		struct rb_node *f = rb_find(&k, root, ditem_cmp_key);
		struct rb_node *ff = rb_find_first(&k, root, ditem_cmp_key);
		long seen = 0, last_seq = -1;

		CHECK(present ? f && to_ditem(f)->key == k : !f,
		      "rb_find(%ld)", k);
		CHECK(present ? ff && to_ditem(ff)->seq == first[k] : !ff,
		      "rb_find_first(%ld)", k);
		rb_for_each(node, &k, root, ditem_cmp_key) {
			CHECK(to_ditem(node)->key == k &&
			      to_ditem(node)->seq > last_seq,
			      "rb_for_each(%ld) order", k);
			last_seq = to_ditem(node)->seq;
			seen++;
		}
		CHECK(seen == (present ? cnt[k] : 0),
		      "rb_for_each(%ld) saw %ld", k, seen);
	}
	free(first);
	free(cnt);
}

static void test_find_add(void)
{
	const long nd = 6000, keys = 300;
	struct ditem *d = xcalloc((size_t)nd, sizeof(*d));
	struct item *u = xcalloc(4000, sizeof(*u));
	bool *have = xcalloc(500, sizeof(*have));
	struct rb_root root = RB_ROOT;
	long i, distinct = 0;

	printf("  rb_add/rb_find/rb_find_first/rb_for_each/rb_find_add\n");
	for (i = 0; i < nd; i++) {
		d[i].key = (long)rnd_below((unsigned long)keys);
		d[i].seq = i;
		rb_add(&d[i].rb, &root, ditem_less);
		d[i].in_tree = true;
		if (i % 1000 == 999)
			check_dups(&root, d, nd, keys);
	}
	for (i = 0; i < nd; i++) {
		if (rnd_below(2)) {
			rb_erase(&d[i].rb, &root);
			d[i].in_tree = false;
		}
		if (i % 1500 == 0)
			check_dups(&root, d, nd, keys);
	}
	check_dups(&root, d, nd, keys);

	/* rb_find_add(): a set of distinct keys. */
	root = RB_ROOT;
	for (i = 0; i < 4000; i++) {
		struct rb_node *old;

		u[i].key = (long)rnd_below(500);
		old = rb_find_add(&u[i].rb, &root, item_cmp_add);
		if (have[u[i].key]) {
			CHECK(old && to_item(old)->key == u[i].key,
			      "rb_find_add(%ld) missed the existing node",
			      u[i].key);
			CHECK(rb_find(&u[i].key, &root, item_cmp_key) == old,
			      "rb_find_add returned a different node");
		} else {
			CHECK(!old, "rb_find_add(%ld) found a phantom",
			      u[i].key);
			have[u[i].key] = true;
			u[i].in_tree = true;
			distinct++;
		}
	}
	CHECK(rb_check(&root, item_cmp) == 0, "rb_find_add tree valid");
	CHECK(tree_count(root.rb_node) == (size_t)distinct,
	      "rb_find_add inserted %zu, want %ld",
	      tree_count(root.rb_node), distinct);

	free(have);
	free(u);
	free(d);
}

/* ---- augmented: maximum value in the subtree ---- */

struct anode {
	long key;
	unsigned long val;
	unsigned long max;		/* max of val over the subtree */
	bool in_tree;
	struct rb_node rb;
};

#define to_anode(n)	rb_entry((n), struct anode, rb)

static inline unsigned long anode_val(struct anode *a)
{
	return a->val;
}

RB_DECLARE_CALLBACKS_MAX(static, amax_cb, struct anode, rb,
			 unsigned long, max, anode_val)

static int anode_cmp(const struct rb_node *a, const struct rb_node *b)
{
	long ka = to_anode(a)->key, kb = to_anode(b)->key;

	return (ka > kb) - (ka < kb);
}

/* Recompute every max from scratch; remember the first wrong node. */
static unsigned long amax_brute(const struct rb_node *n,
				const struct anode **bad)
{
	const struct anode *a;
	unsigned long m, c;

	if (!n)
		return 0;
	a = to_anode(n);
	m = a->val;
	c = amax_brute(n->rb_left, bad);
	if (n->rb_left && c > m)
		m = c;
	c = amax_brute(n->rb_right, bad);
	if (n->rb_right && c > m)
		m = c;
	if (a->max != m && !*bad)
		*bad = a;
	return m;
}

static void amax_verify(const struct rb_root *root, const struct refset *ref)
{
	const struct anode *bad = NULL;
	struct rb_node *n;
	size_t i = 0;
	int ret;

	ret = rb_check(root, anode_cmp);
	CHECK(ret == 0, "rb_check() = %d (augmented max)", ret);
	amax_brute(root->rb_node, &bad);
	CHECK(!bad, "node %ld: max %lu is stale", bad->key, bad->max);
	for (n = rb_first(root); n; n = rb_next(n)) {
		CHECK(i < ref->n && to_anode(n)->key == ref->v[i],
		      "augmented tree order at %zu", i);
		i++;
	}
	CHECK(i == ref->n, "augmented tree has %zu of %zu", i, ref->n);
	check_height(root, ref->n);
}

/*
 * Insert. Method 0 fixes the ancestors' max on the way down (the kernel's
 * usual pattern); method 1 links first and then propagates upwards.
 */
static void anode_insert(struct rb_root_cached *croot, struct anode *a,
			 int method, bool cached)
{
	struct rb_node **link = &croot->rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		struct anode *p = to_anode(*link);

		parent = *link;
		if (method == 0 && p->max < a->val)
			p->max = a->val;
		if (a->key < p->key) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	a->max = a->val;
	rb_link_node(&a->rb, parent, link);
	if (method == 1)
		amax_cb_propagate(parent, NULL);
	if (cached)
		rb_insert_augmented_cached(&a->rb, croot, leftmost, &amax_cb);
	else
		rb_insert_augmented(&a->rb, &croot->rb_root, &amax_cb);
	a->in_tree = true;
}

/* First node in key order with val >= t, found through the max fields. */
static struct anode *amax_first_ge(const struct rb_root *root,
				   unsigned long t)
{
	struct rb_node *n = root->rb_node;

	if (!n || to_anode(n)->max < t)
		return NULL;
	for (;;) {
		if (n->rb_left && to_anode(n->rb_left)->max >= t) {
			n = n->rb_left;
			continue;
		}
		if (to_anode(n)->val >= t)
			return to_anode(n);
		n = n->rb_right;
		CHECK(n && to_anode(n)->max >= t, "max fields inconsistent");
	}
}

static void amax_random(long keyspace, unsigned long ops, int insert_pct,
			unsigned long verify_every, bool cached)
{
	struct anode *nodes = xcalloc((size_t)keyspace, sizeof(*nodes));
	struct rb_root_cached croot = RB_ROOT_CACHED;
	struct rb_root *root = &croot.rb_root;
	struct refset ref;
	unsigned long op;
	long k;

	printf("  augmented max%s: keyspace %ld, %lu ops\n",
	       cached ? " (cached)" : "", keyspace, ops);
	ref_init(&ref, (size_t)keyspace);
	for (k = 0; k < keyspace; k++)
		nodes[k].key = k;

	for (op = 0; op < ops; op++) {
		unsigned long r = rnd_below(100);

		if (ref.n == 0 || (ref.n < (size_t)keyspace &&
				   r < (unsigned long)insert_pct)) {
			do
				k = (long)rnd_below((unsigned long)keyspace);
			while (nodes[k].in_tree);
			nodes[k].val = rnd_below(1000000);
			anode_insert(&croot, &nodes[k], (int)(op & 1), cached);
			ref_insert(&ref, k);
		} else if (r < 90) {
			k = ref.v[rnd_below(ref.n)];
			if (cached)
				rb_erase_augmented_cached(&nodes[k].rb, &croot,
							  &amax_cb);
			else
				rb_erase_augmented(&nodes[k].rb, root,
						   &amax_cb);
			nodes[k].in_tree = false;
			ref_remove(&ref, k);
		} else {
			/* Change a value in place and propagate upwards. */
			k = ref.v[rnd_below(ref.n)];
			nodes[k].val = rnd_below(1000000);
			amax_cb_propagate(&nodes[k].rb, NULL);
		}

		if (cached)
			CHECK(rb_first_cached(&croot) == rb_first(root),
			      "augmented rb_leftmost stale at op %lu", op);
		if (op % verify_every == 0)
			amax_verify(root, &ref);

		if (op % 16 == 0) {
			unsigned long t = rnd_below(1100000);
			struct anode *want = NULL, *got;
			size_t i;

			for (i = 0; i < ref.n; i++) {
				if (nodes[ref.v[i]].val >= t) {
					want = &nodes[ref.v[i]];
					break;
				}
			}
			got = amax_first_ge(root, t);
			CHECK(got == want, "first val >= %lu: %ld, want %ld", t,
			      got ? got->key : -1, want ? want->key : -1);
		}
	}
	amax_verify(root, &ref);

	/* The brute-force check must notice a corrupted value. */
	if (root->rb_node) {
		const struct anode *bad = NULL;
		struct anode *top = to_anode(root->rb_node);
		unsigned long saved = top->max;

		top->max = saved + 1;
		amax_brute(root->rb_node, &bad);
		CHECK(bad == top, "corrupted max went unnoticed");
		top->max = saved;
	}

	while (ref.n) {
		k = ref.v[rnd_below(ref.n)];
		rb_erase_augmented_cached(&nodes[k].rb, &croot, &amax_cb);
		nodes[k].in_tree = false;
		ref_remove(&ref, k);
		if (ref.n < 200 || ref.n % verify_every == 0)
			amax_verify(root, &ref);
	}
	CHECK(RB_EMPTY_ROOT(root) && !rb_first_cached(&croot),
	      "augmented tree drained");

	free(ref.v);
	free(nodes);
}

/* ---- augmented: subtree size (RB_DECLARE_CALLBACKS, custom compute) ---- */

struct snode {
	long key;
	unsigned long size;		/* nodes in this subtree */
	bool in_tree;
	struct rb_node rb;
};

#define to_snode(n)	rb_entry((n), struct snode, rb)

static inline unsigned long snode_size(const struct rb_node *n)
{
	return n ? to_snode(n)->size : 0;
}

static inline bool snode_compute(struct snode *s, bool exit_if_same)
{
	unsigned long size = 1 + snode_size(s->rb.rb_left) +
		snode_size(s->rb.rb_right);

	if (exit_if_same && s->size == size)
		return true;
	s->size = size;
	return false;
}

/* Empty RBSTATIC: also checks that the non-static expansion compiles. */
RB_DECLARE_CALLBACKS(, ssize_cb, struct snode, rb, size, snode_compute)

static int snode_cmp(const struct rb_node *a, const struct rb_node *b)
{
	long ka = to_snode(a)->key, kb = to_snode(b)->key;

	return (ka > kb) - (ka < kb);
}

static unsigned long ssize_brute(const struct rb_node *n,
				 const struct snode **bad)
{
	unsigned long size;

	if (!n)
		return 0;
	size = 1 + ssize_brute(n->rb_left, bad) +
		ssize_brute(n->rb_right, bad);
	if (to_snode(n)->size != size && !*bad)
		*bad = to_snode(n);
	return size;
}

/* Order statistics through the sizes: the node of rank @k (0-based). */
static struct snode *snode_select(const struct rb_root *root, size_t k)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		size_t l = snode_size(n->rb_left);

		if (k < l) {
			n = n->rb_left;
		} else if (k == l) {
			return to_snode(n);
		} else {
			k -= l + 1;
			n = n->rb_right;
		}
	}
	return NULL;
}

static void ssize_verify(const struct rb_root *root, const struct refset *ref,
			 bool all_ranks)
{
	const struct snode *bad = NULL;
	size_t i;
	int ret;

	ret = rb_check(root, snode_cmp);
	CHECK(ret == 0, "rb_check() = %d (subtree size)", ret);
	ssize_brute(root->rb_node, &bad);
	CHECK(!bad, "node %ld: size %lu is stale", bad->key, bad->size);
	CHECK(snode_size(root->rb_node) == ref->n, "root size %lu, want %zu",
	      snode_size(root->rb_node), ref->n);
	for (i = 0; i < ref->n; i += all_ranks ? 1 : 1 + rnd_below(50)) {
		struct snode *s = snode_select(root, i);

		CHECK(s && s->key == ref->v[i], "select(%zu)", i);
	}
	CHECK(!snode_select(root, ref->n), "select past the end");
}

static void test_augmented_size(void)
{
	const long keyspace = 400;
	struct snode *nodes = xcalloc((size_t)keyspace, sizeof(*nodes));
	struct rb_root root = RB_ROOT;
	struct refset ref;
	unsigned long op;
	long k;

	printf("  augmented subtree size: keyspace %ld\n", keyspace);
	ref_init(&ref, (size_t)keyspace);
	for (k = 0; k < keyspace; k++)
		nodes[k].key = k;

	for (op = 0; op < 40000; op++) {
		int pct = (op / 5000) % 2 ? 35 : 65;

		if (ref.n == 0 || (ref.n < (size_t)keyspace &&
				   (int)rnd_below(100) < pct)) {
			struct rb_node **link = &root.rb_node, *parent = NULL;
			struct snode *s;

			do
				k = (long)rnd_below((unsigned long)keyspace);
			while (nodes[k].in_tree);
			s = &nodes[k];
			while (*link) {
				parent = *link;
				to_snode(parent)->size++;
				if (k < to_snode(parent)->key)
					link = &parent->rb_left;
				else
					link = &parent->rb_right;
			}
			s->size = 1;
			rb_link_node(&s->rb, parent, link);
			rb_insert_augmented(&s->rb, &root, &ssize_cb);
			s->in_tree = true;
			ref_insert(&ref, k);
		} else {
			k = ref.v[rnd_below(ref.n)];
			rb_erase_augmented(&nodes[k].rb, &root, &ssize_cb);
			nodes[k].in_tree = false;
			ref_remove(&ref, k);
		}
		ssize_verify(&root, &ref, op % 100 == 0);
	}

	while (ref.n) {
		k = ref.v[rnd_below(ref.n)];
		rb_erase_augmented(&nodes[k].rb, &root, &ssize_cb);
		nodes[k].in_tree = false;
		ref_remove(&ref, k);
		ssize_verify(&root, &ref, false);
	}
	free(ref.v);
	free(nodes);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		rng_state = strtoull(argv[1], NULL, 0);
		if (!rng_state)
			rng_state = 1;	/* xorshift must not start at 0 */
	}
	printf("test_rbtree: seed %#llx\n", (unsigned long long)rng_state);

	test_basics();
	test_checker();
	test_plain_sequential();
	plain_random(16, 20000, 50, 50, 1, 1);
	plain_random(300, 30000, 60, 40, 1, 7);
	plain_random(1L << 17, 100000, 65, 40, 1000, 5000);
	test_postorder();
	test_replace();
	test_cached();
	test_find_add();
	amax_random(600, 60000, 50, 1, false);
	amax_random(300, 20000, 50, 1, true);
	amax_random(1L << 16, 40000, 65, 1000, false);
	test_augmented_size();

	printf("test_rbtree: OK (%lu checks)\n", nchecks);
	return 0;
}
