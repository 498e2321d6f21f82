// SPDX-License-Identifier: GPL-2.0
/*
 * stress_slub_sysfs.c - /sys/kernel/slab/<cache>/ read and written while
 * other threads allocate and free in that cache on two nodes: every read
 * keeps its format (the per-node figures add up to the total, the
 * C<n>= entries well formed), shrink, cpu_partial and min_partial
 * writes go through, threads come and go (their slots are walked by the
 * readers), and at the end, every object freed and every thread gone,
 * shrink leaves no slab and the slab invariants hold.  Runs in a forked
 * worker under alarm(): a hang is a failure.  Also under TSan in CI.
 *
 * Usage: stress_slub_sysfs [seed] [steps]
 */
#include <pthread.h>
#include "tests/test.h"
#include "mm/slab.h"

#define NWORKERS	3
#define NOBJS		256
#define ROUNDS		3	/* workers exit and new ones start: slots come and go */
#define WATCHDOG_S	60

static unsigned long long seed = 4242;
static long steps = 20000;
static struct kmem_cache *cache;
static int workers_running;

static unsigned long long rnd(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void *worker(void *arg)
{
	unsigned long long r = seed + (unsigned long long)(uintptr_t)arg * 7919 + 1;
	void *objs[NOBJS] = { 0 };

	for (long i = 0; i < steps; i++) {
		unsigned int k = (unsigned int)(rnd(&r) % NOBJS);

		if (objs[k]) {
			kmem_cache_free(cache, objs[k]);
			objs[k] = NULL;
		} else {
			objs[k] = kmem_cache_alloc_node(cache, GFP_KERNEL, (int)(rnd(&r) & 1));
			if (!objs[k]) {
				fprintf(stderr, "seed %llu: allocation failed\n", seed);
				abort();
			}
		}
	}
	for (int k = 0; k < NOBJS; k++)
		if (objs[k])
			kmem_cache_free(cache, objs[k]);
	__atomic_fetch_sub(&workers_running, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* "total[ N<n>=x]...\n", the x adding up to a non-zero total; -1 if not. */
static long parse_nodes(const char *text)
{
	unsigned long total, sum = 0, x;
	int node, used;
	const char *p = text;

	if (sscanf(p, "%lu%n", &total, &used) != 1)
		return -1;
	for (p += used; sscanf(p, " N%d=%lu%n", &node, &x, &used) == 2; p += used)
		sum += x;
	return strcmp(p, "\n") || sum != total ? -1 : (long)total;
}

/*
 * "objects(slabs)[ C<n>=objects(slabs)]...\n" with no negative figure (the
 * C<n> entries are a second look at the slots: they need not add up).
 */
static bool cpu_partial_ok(const char *text)
{
	int objs, slabs, cpu, x, y, used;
	const char *p = text;

	if (sscanf(p, "%d(%d)%n", &objs, &slabs, &used) != 2 || objs < 0 || slabs < 0)
		return false;
	for (p += used; sscanf(p, " C%d=%d(%d)%n", &cpu, &x, &y, &used) == 3; p += used)
		if (x < 0 || y <= 0)
			return false;
	return !strcmp(p, "\n");
}

static void read_all(int round)
{
	static const char *const node_files[] = {
		"objects", "slabs", "total_objects", "partial", "objects_partial", "cpu_slabs",
	};
	char path[128], text[4096];

	for (size_t i = 0; i < ARRAY_SIZE(node_files); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/slab/sysfs_stress/%s", node_files[i]);
		ASSERT(umm_proc_read(path, text, sizeof(text)) > 0);
		__EXPECT(parse_nodes(text) >= 0, 1, ": seed %llu: %s is \"%s\"", seed,
			 node_files[i], text);
	}
	ASSERT(umm_proc_read("/sys/kernel/slab/sysfs_stress/slabs_cpu_partial", text,
			     sizeof(text)) > 0);
	__EXPECT(cpu_partial_ok(text), 1, ": seed %llu: slabs_cpu_partial is \"%s\"", seed, text);
	ASSERT(umm_proc_read("/sys/kernel/slab/sysfs_stress/alloc_fastpath", text,
			     sizeof(text)) > 0);
	ASSERT(umm_proc_list("/sys/kernel/slab/sysfs_stress", text, sizeof(text)) > 0);
	if (round % 16 == 0)
		ASSERT_EQ(umm_proc_write("/sys/kernel/slab/sysfs_stress/shrink", "1", 1), 1);
	if (round % 16 == 4)
		ASSERT_EQ(umm_proc_write("/sys/kernel/slab/sysfs_stress/cpu_partial",
					 round & 16 ? "30" : "12", 2), 2);
	if (round % 16 == 8)
		ASSERT_EQ(umm_proc_write("/sys/kernel/slab/sysfs_stress/min_partial",
					 round & 16 ? "2" : "5", 1), 1);
}

TEST(test_read_while_allocating)
{
	pthread_t th[NWORKERS];
	char text[256];
	int reads = 0;

	cache = kmem_cache_create("sysfs_stress", 96, 0, SLAB_NO_MERGE, NULL);
	ASSERT(cache);
	for (int r = 0; r < ROUNDS; r++) {
		workers_running = NWORKERS;
		for (uintptr_t i = 0; i < NWORKERS; i++)
			ASSERT_EQ(pthread_create(&th[i], NULL, worker, (void *)(i + r * NWORKERS)), 0);
		while (__atomic_load_n(&workers_running, __ATOMIC_ACQUIRE))
			read_all(reads++);
		for (int i = 0; i < NWORKERS; i++)
			pthread_join(th[i], NULL);
	}
	fprintf(stderr, "%d rounds of reads while %d threads allocated\n", reads, NWORKERS);
	EXPECT(reads > 0);
	ASSERT_EQ(umm_proc_write("/sys/kernel/slab/sysfs_stress/shrink", "1", 1), 1);
	ASSERT(umm_proc_read("/sys/kernel/slab/sysfs_stress/slabs", text, sizeof(text)) > 0);
	EXPECT_STREQ(text, "0\n");
	EXPECT_EQ(umm_slab_check(), 0);
	EXPECT_EQ(kmem_cache_destroy(cache), 0);
}

static int run_tests(void)
{
	if (umm_boot("mem=128M numa=fake=2"))
		return 1;
	RUN(test_read_while_allocating);
	umm_shutdown();
	TEST_EXIT();
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "seed %llu, %ld steps per thread, %d threads, %d rounds\n", seed, steps,
		NWORKERS, ROUNDS);
	return run_watched(run_tests, WATCHDOG_S, seed);
}
