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
/* Each worker step holds it to read; read_all() writes it for a still moment. */
static pthread_rwlock_t steps_lock;

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

		pthread_rwlock_rdlock(&steps_lock);
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
		pthread_rwlock_unlock(&steps_lock);
	}
	for (int k = 0; k < NOBJS; k++)
		if (objs[k])
			kmem_cache_free(cache, objs[k]);
	__atomic_fetch_sub(&workers_running, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* No figure of this test's cache comes near this: a larger one wrapped. */
#define FIGURE_MAX (1UL << 40)

/*
 * "total[ N<n>=x]...\n", the x adding up to a non-zero total, each figure
 * below FIGURE_MAX (a sum that wrapped would still add up); -1 if not.
 */
static long parse_nodes(const char *text)
{
	unsigned long total, sum = 0, x;
	int node, used;
	const char *p = text;

	if (sscanf(p, "%lu%n", &total, &used) != 1 || total >= FIGURE_MAX)
		return -1;
	for (p += used; sscanf(p, " N%d=%lu%n", &node, &x, &used) == 2; p += used) {
		if (x >= FIGURE_MAX)
			return -1;
		sum += x;
	}
	return strcmp(p, "\n") || sum != total ? -1 : (long)total;
}

/*
 * /proc/slabinfo: two header lines, then for every cache
 * "name active_objs num_objs ..." with active_objs <= num_objs, both
 * below FIGURE_MAX; this test's cache among them.  false if not.
 */
static bool slabinfo_ok(const char *text, char *why, size_t size)
{
	const char *line = text;
	bool seen = false;

	for (int i = 0; i < 2; i++) {
		line = strchr(line, '\n');
		if (!line) {
			snprintf(why, size, "no header");
			return false;
		}
		line++;
	}
	for (; *line; line = strchr(line, '\n') + 1) {
		unsigned long active, num;
		char name[64];

		if (!strchr(line, '\n')) {
			snprintf(why, size, "unterminated line \"%.60s\"", line);
			return false;
		}
		if (sscanf(line, "%63s %lu %lu", name, &active, &num) != 3 ||
		    active > num || num >= FIGURE_MAX) {
			snprintf(why, size, "line \"%.*s\"", (int)(strchr(line, '\n') - line), line);
			return false;
		}
		if (!strcmp(name, "sysfs_stress"))
			seen = true;
	}
	if (!seen)
		snprintf(why, size, "no sysfs_stress line");
	return seen;
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
	static char slabinfo[1 << 16];
	long figure[ARRAY_SIZE(node_files)];
	char path[128], text[4096], why[160];
	ssize_t len;

	for (size_t i = 0; i < ARRAY_SIZE(node_files); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/slab/sysfs_stress/%s", node_files[i]);
		ASSERT(umm_proc_read(path, text, sizeof(text)) > 0);
		figure[i] = parse_nodes(text);
		__EXPECT(figure[i] >= 0, 1, ": seed %llu: %s is \"%s\"", seed,
			 node_files[i], text);
	}
	/*
	 * objects is never more than total_objects: read again in the same
	 * round with no worker between two steps (read one after the other
	 * while they run, slabs freed in between could make it look so).
	 */
	pthread_rwlock_wrlock(&steps_lock);	/* no ASSERT until unlocked */
	figure[0] = umm_proc_read("/sys/kernel/slab/sysfs_stress/objects", text,
				  sizeof(text)) > 0 ? parse_nodes(text) : -1;
	figure[2] = umm_proc_read("/sys/kernel/slab/sysfs_stress/total_objects", text,
				  sizeof(text)) > 0 ? parse_nodes(text) : -1;
	pthread_rwlock_unlock(&steps_lock);
	__EXPECT(figure[0] >= 0 && figure[0] <= figure[2], 1,
		 ": seed %llu: objects %ld, total_objects %ld", seed, figure[0], figure[2]);
	len = umm_proc_read("/proc/slabinfo", slabinfo, sizeof(slabinfo));
	ASSERT(len > 0 && (size_t)len < sizeof(slabinfo));
	__EXPECT(slabinfo_ok(slabinfo, why, sizeof(why)), 1, ": seed %llu: /proc/slabinfo: %s",
		 seed, why);
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

	pthread_rwlockattr_t attr;

	/* writer first: with three readers always stepping, it would wait long */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	ASSERT_EQ(pthread_rwlock_init(&steps_lock, &attr), 0);
	pthread_rwlockattr_destroy(&attr);
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
