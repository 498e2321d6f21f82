// SPDX-License-Identifier: GPL-2.0
/*
 * pid.c - pid numbers and the pid table (kernel/pid.c, Linux 6.18).
 *
 * Owns: the pid bitmap, the table from pid to task, the allocation
 * cursor and pid_max.
 *
 * Allocation is the kernel's idr_alloc_cyclic() as alloc_pid() calls
 * it: the next pid is the last one given plus one, wrapping at pid_max
 * to the lowest pid allowed; a pid in use is skipped; when every pid is
 * in use the answer is -EAGAIN.  The lowest pid is 1 until the cursor
 * has passed RESERVED_PIDS, and RESERVED_PIDS (300) from then on, so
 * that pids below 300 (daemons started at boot) are not reused.
 *
 * The numbers in use are a bitmap, one page per 32768 pids, allocated
 * when the first pid in its range is (the 2.6 kernel's pidmap, LKD3
 * chapter 3; 6.18 keeps the same answers in an IDR).  The table is a
 * radix tree from pid to task (the IDR is one).  A pid is allocated
 * before its task is ready (copy_process()), and only attach_pid()
 * makes the task findable.
 *
 * pid_max= (boot): 301 (RESERVED_PIDS + 1) .. PID_MAX_LIMIT, default
 * 32768 (PID_MAX_DEFAULT).  The kernel raises the default to 1024 per
 * possible CPU beyond 32 CPUs; umm keeps 32768 whatever the host has.
 *
 * Locking: tasklist_lock covers everything here (held for writing to
 * change, for reading to look up).
 */
#include <errno.h>
#include <stdlib.h>
#include <umm/radix-tree.h>
#include <umm/slab.h>
#include "internal.h"

#define BITS_PER_LONG		(8 * sizeof(long))
#define BITS_PER_PAGE		(PAGE_SIZE * 8)
#define PIDMAP_ENTRIES		(PID_MAX_LIMIT / BITS_PER_PAGE)

int pid_max = PID_MAX_DEFAULT;
static unsigned long *pidmap[PIDMAP_ENTRIES];
static unsigned int pid_cursor;		/* idr_next: where the next search starts */
static struct radix_tree_root pid_table;

int pid_max_param(const char *val, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (!val || *val < '0' || *val > '9')
		return -EINVAL;
	n = strtoul(val, &end, 0);
	if (*end || n < RESERVED_PIDS + 1 || n > PID_MAX_LIMIT)
		return -EINVAL;
	*out = n;
	return 0;
}

static bool pid_in_use(unsigned int nr)
{
	unsigned long *map = pidmap[nr / BITS_PER_PAGE];
	unsigned int bit = nr % BITS_PER_PAGE;

	return map && (map[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

/* The first free pid in [nr, max), or max. */
static unsigned int next_free_pid(unsigned int nr, unsigned int max)
{
	while (nr < max) {
		unsigned long *map = pidmap[nr / BITS_PER_PAGE];
		unsigned int bit = nr % BITS_PER_PAGE;
		unsigned long word;

		if (!map)
			return nr;
		word = ~map[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG);
		if (word)
			return min(nr + (unsigned int)__builtin_ctzl(word), max);
		nr = ALIGN(nr + 1, BITS_PER_LONG);
	}
	return max;
}

/* Mark @nr used, allocating its bitmap page: 0 or -ENOMEM. */
static int pidmap_set(unsigned int nr)
{
	unsigned long **map = &pidmap[nr / BITS_PER_PAGE];
	unsigned int bit = nr % BITS_PER_PAGE;

	if (!*map) {
		*map = kzalloc(PAGE_SIZE, GFP_KERNEL);
		if (!*map)
			return -ENOMEM;
	}
	(*map)[bit / BITS_PER_LONG] |= 1UL << (bit % BITS_PER_LONG);
	return 0;
}

static void pidmap_clear(unsigned int nr)
{
	unsigned long *map = pidmap[nr / BITS_PER_PAGE];
	unsigned int bit = nr % BITS_PER_PAGE;

	map[bit / BITS_PER_LONG] &= ~(1UL << (bit % BITS_PER_LONG));
}

/* idr_alloc_cyclic(): from the cursor up, then once from @start up. */
static int pid_alloc_cyclic(unsigned int start, unsigned int end)
{
	unsigned int nr = max(pid_cursor, start);

	nr = next_free_pid(nr, end);
	if (nr >= end && pid_cursor > start)
		nr = next_free_pid(start, end);
	if (nr >= end)
		return -EAGAIN;		/* alloc_pid() turns -ENOSPC into -EAGAIN */
	return (int)nr;
}

int alloc_pid(struct task_struct *t)
{
	/* pid 1 first; RESERVED_PIDS once the cursor has passed it */
	unsigned int start = pid_cursor > RESERVED_PIDS ? RESERVED_PIDS : 1;
	int nr, err;

	lockdep_assert_tasklist_write_held();
	nr = pid_alloc_cyclic(start, (unsigned int)pid_max);
	if (nr < 0)
		return nr;
	err = pidmap_set((unsigned int)nr);
	if (err)
		return err;
	err = radix_tree_insert(&pid_table, (unsigned long)nr, t);
	if (err) {
		pidmap_clear((unsigned int)nr);
		return err;
	}
	pid_cursor = (unsigned int)nr + 1;
	t->pid = nr;
	return nr;
}

void attach_pid(struct task_struct *t)
{
	lockdep_assert_tasklist_write_held();
	__atomic_store_n(&t->pid_hashed, true, __ATOMIC_RELEASE);
}

void free_pid(struct task_struct *t)
{
	lockdep_assert_tasklist_write_held();
	radix_tree_delete(&pid_table, (unsigned long)t->pid);
	pidmap_clear((unsigned int)t->pid);
	__atomic_store_n(&t->pid_hashed, false, __ATOMIC_RELEASE);
}

/*
 * exchange_tids - @a and @b trade pids (exec by a thread other than the
 * leader takes the leader's pid).  Both are in the table, so their leaf
 * slots exist: the swap allocates nothing and cannot fail.
 */
void exchange_tids(struct task_struct *a, struct task_struct *b)
{
	struct radix_tree_node *la = radix_tree_leaf(&pid_table, (unsigned long)a->pid);
	struct radix_tree_node *lb = radix_tree_leaf(&pid_table, (unsigned long)b->pid);
	pid_t nr = a->pid;

	lockdep_assert_tasklist_write_held();
	VM_BUG_ON(!la || !lb);
	la->slots[(unsigned long)a->pid & RADIX_TREE_MAP_MASK] = b;
	lb->slots[(unsigned long)b->pid & RADIX_TREE_MAP_MASK] = a;
	a->pid = b->pid;
	b->pid = nr;
}

struct task_struct *find_task_by_pid(pid_t pid)
{
	struct task_struct *t;

	if (pid <= 0 || pid >= pid_max)
		return NULL;
	t = radix_tree_lookup(&pid_table, (unsigned long)pid);
	return t && pid_alive(t) ? t : NULL;
}

struct task_struct *find_next_task_by_pid(pid_t pid)
{
	unsigned long index = (unsigned long)max(pid, 0);

	return radix_tree_next(&pid_table, &index, ~0UL, -1);
}

void pid_shutdown(void)
{
	unsigned long index = 0;

	while (radix_tree_next(&pid_table, &index, ~0UL, -1))
		radix_tree_delete(&pid_table, index);
	for (size_t i = 0; i < PIDMAP_ENTRIES; i++) {
		kfree(pidmap[i]);
		pidmap[i] = NULL;
	}
	pid_cursor = 0;
}

/*
 * Every pid in the table is a set bit and names its task; every set bit
 * is in the table; the table holds @nr_tasks entries (each hashed task).
 */
int pid_table_check(unsigned long nr_tasks)
{
	unsigned long index = 0, nr = 0, bits = 0;
	struct task_struct *t;

	if (radix_tree_check(&pid_table, &nr)) {
		pr_err("umm: task check: the pid table's radix tree is broken\n");
		return -EINVAL;
	}
	for (; (t = radix_tree_next(&pid_table, &index, ~0UL, -1)); index++) {
		if (t->pid != (pid_t)index || !pid_in_use((unsigned int)index) ||
		    !pid_alive(t)) {
			pr_err("umm: task check: pid %lu names task %d (hashed %d)\n", index,
			       t->pid, pid_alive(t));
			return -EINVAL;
		}
	}
	for (unsigned int i = 0; i < (unsigned int)pid_max; i++)
		bits += pid_in_use(i);
	if (nr != nr_tasks || bits != nr_tasks) {
		pr_err("umm: task check: %lu tasks, %lu in the pid table, %lu pids in use\n",
		       nr_tasks, nr, bits);
		return -EINVAL;
	}
	return 0;
}
