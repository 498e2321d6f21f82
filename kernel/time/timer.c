// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - the timer wheel: struct timer_list timers per simulated CPU
 * (kernel/time/timer.c, Linux 6.18; LKD3 chapter 11).
 *
 * Owns: the timer bases (one per simulated CPU), their buckets and
 * pending bitmaps, and every pending timer's entry, flags and bucket.
 *
 * The wheel, as the kernel's since 4.8: LVL_DEPTH levels (9 when HZ >
 * 100, else 8) of 64 buckets; level n has a granularity of 8^n ticks
 * and takes the timers due from LVL_START(n) = 63 * 8^(n-1) ticks on.
 * A timer goes once, when armed, into the bucket of the level its
 * distance picks, and never moves (no cascading): its bucket expires at
 * the first multiple of the level's granularity strictly after its
 * expires, so it is never early and at most one granularity late.
 * Timers further than the last level can hold are clamped to its end.
 *
 *   calc_wheel_index()	the bucket, and when that bucket expires
 *   enqueue_timer()	into the bucket; base->next_expiry follows
 *   __run_timers()	at each tick whose jiffies reached next_expiry:
 *			collect_expired_timers() takes the buckets due at
 *			that clk on every level whose clock ticked, then
 *			the functions run, base->lock dropped, with
 *			base->running_timer set
 *   __next_timer_interrupt()	the next bucket to expire, walking the
 *			levels' pending bits upwards from base->clk
 *
 * Invariants (timer_base_check()): a bucket's pending bit is set exactly
 * when it holds timers; every timer in bucket idx has idx in its flags
 * and its base's CPU; when next_expiry_recalc is clear, next_expiry is
 * the expiry of the earliest pending bucket (or clk + NEXT_TIMER_MAX_DELTA
 * with timers_pending clear).
 *
 * The tick's interrupt on each CPU raises TIMER_SOFTIRQ when a bucket
 * is due (run_local_timers()); the softirq runs the functions, in
 * softirq context on that CPU (kernel/softirq.c).
 *
 * Where umm differs: the bases live in a static array indexed by the
 * simulated CPU; a timer armed outside the simulation (by the API's
 * caller) goes on CPU 0's base, one armed by a timer function on that
 * function's CPU.  There are no deferrable bases (no NOHZ timer
 * migration) and no hrtimers.  timer_delete_sync() from a timer's own
 * function would wait forever: it says -EDEADLK instead.
 *
 * Locking: base->lock (a spinlock) over the base and its timers; a
 * timer's base is found from its flags under that lock (lock_timer_base()
 * retries while TIMER_MIGRATING is set, as the kernel's).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <umm/printk.h>
#include <umm/spinlock.h>
#include <umm/timer.h>
#include "internal.h"
#include "../irq/internal.h"

#define LVL_CLK_SHIFT	3
#define LVL_CLK_DIV	(1UL << LVL_CLK_SHIFT)
#define LVL_CLK_MASK	(LVL_CLK_DIV - 1)
#define LVL_SHIFT(n)	((n) * LVL_CLK_SHIFT)
#define LVL_GRAN(n)	(1UL << LVL_SHIFT(n))
#define LVL_BITS	6
#define LVL_SIZE	(1UL << LVL_BITS)
#define LVL_MASK	(LVL_SIZE - 1)
#define LVL_OFFS(n)	((n) * LVL_SIZE)
/* where level n starts: the last delta of level n - 1, see calc_index() */
#define LVL_START(n)	((LVL_SIZE - 1) << (((n) - 1) * LVL_CLK_SHIFT))
#define LVL_DEPTH_MAX	9
#define WHEEL_SIZE_MAX	(LVL_SIZE * LVL_DEPTH_MAX)
#define NEXT_TIMER_MAX_DELTA	((1UL << 30) - 1)
#define BITS_PER_LONG	(8 * sizeof(long))

struct hlist_head {
	struct hlist_node *first;
};

struct timer_base {
	spinlock_t lock;
	struct timer_list *running_timer;
	pthread_t running_thread;	/* whose thread runs running_timer's function */
	unsigned long clk;		/* the next jiffy to look at */
	unsigned long next_expiry;
	unsigned int cpu;
	bool next_expiry_recalc;
	bool timers_pending;
	unsigned long pending_map[WHEEL_SIZE_MAX / BITS_PER_LONG];
	struct hlist_head vectors[WHEEL_SIZE_MAX];
};

static struct timer_base timer_bases[UMM_SIM_CPUS_MAX];
static unsigned int lvl_depth = LVL_DEPTH_MAX;	/* LVL_DEPTH, from HZ at boot */
static unsigned int nr_bases;

static unsigned long wheel_timeout_cutoff(void)
{
	return LVL_START(lvl_depth);
}

static unsigned long wheel_timeout_max(void)
{
	return wheel_timeout_cutoff() - LVL_GRAN(lvl_depth - 1);
}

/* ---- bitmaps and hlists, the little the wheel needs ---- */

static void set_pending(struct timer_base *base, unsigned int idx)
{
	base->pending_map[idx / BITS_PER_LONG] |= 1UL << (idx % BITS_PER_LONG);
}

static bool test_and_clear_pending(struct timer_base *base, unsigned int idx)
{
	unsigned long bit = 1UL << (idx % BITS_PER_LONG);
	bool was = base->pending_map[idx / BITS_PER_LONG] & bit;

	base->pending_map[idx / BITS_PER_LONG] &= ~bit;
	return was;
}

static bool test_pending(const struct timer_base *base, unsigned int idx)
{
	return base->pending_map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG));
}

/* The first set bit in [start, end), or end. */
static unsigned int find_next_pending(const struct timer_base *base, unsigned int end,
				      unsigned int start)
{
	for (unsigned int i = start; i < end; i++) {
		unsigned long word = base->pending_map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG);

		if (!word) {	/* the rest of this word is clear */
			i |= BITS_PER_LONG - 1;
			continue;
		}
		i += (unsigned int)__builtin_ctzl(word);
		return i < end ? i : end;
	}
	return end;
}

/* pprev is what timer_pending() reads without the lock (WRITE_ONCE in the kernel). */
static void set_pprev(struct hlist_node *n, struct hlist_node **pprev)
{
	__atomic_store_n(&n->pprev, pprev, __ATOMIC_RELAXED);
}

static void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	if (first)
		set_pprev(first, &n->next);
	h->first = n;
	set_pprev(n, &h->first);
}

static void __hlist_del(struct hlist_node *n)
{
	struct hlist_node *next = n->next, **pprev = n->pprev;

	*pprev = next;
	if (next)
		set_pprev(next, pprev);
}

static bool hlist_is_singular_node(struct hlist_node *n, struct hlist_head *h)
{
	return !n->next && n->pprev == &h->first;
}

/* Move every entry of @old to @new (empty). */
static void hlist_move_list(struct hlist_head *old, struct hlist_head *new_)
{
	new_->first = old->first;
	if (new_->first)
		set_pprev(new_->first, &new_->first);
	old->first = NULL;
}

/* ---- where a timer goes ---- */

static unsigned int timer_get_idx(const struct timer_list *timer)
{
	return (timer->flags & TIMER_ARRAYMASK) >> TIMER_ARRAYSHIFT;
}

static void timer_set_idx(struct timer_list *timer, unsigned int idx)
{
	timer->flags = (timer->flags & ~TIMER_ARRAYMASK) | idx << TIMER_ARRAYSHIFT;
}

/*
 * The bucket of @expires on level @lvl.  Rounded up by one granularity:
 * a timer armed at the edge of a tick, or truncated to a coarse level,
 * must not fire early.  *@bucket_expiry: when that bucket runs.
 */
static unsigned int calc_index(unsigned long expires, unsigned int lvl,
			       unsigned long *bucket_expiry)
{
	expires = (expires >> LVL_SHIFT(lvl)) + 1;
	*bucket_expiry = expires << LVL_SHIFT(lvl);
	return (unsigned int)(LVL_OFFS(lvl) + (expires & LVL_MASK));
}

unsigned int calc_wheel_index(unsigned long expires, unsigned long clk,
			      unsigned long *bucket_expiry)
{
	unsigned long delta = expires - clk;

	/* the level whose range holds the distance */
	for (unsigned int lvl = 0; lvl + 1 < lvl_depth; lvl++)
		if (delta < LVL_START(lvl + 1))
			return calc_index(expires, lvl, bucket_expiry);
	if ((long)delta < 0) {		/* already due: the current bucket */
		*bucket_expiry = clk;
		return (unsigned int)(clk & LVL_MASK);
	}
	/* beyond the wheel: at the capacity limit of the last level */
	if (delta >= wheel_timeout_cutoff())
		expires = clk + wheel_timeout_max();
	return calc_index(expires, lvl_depth - 1, bucket_expiry);
}

unsigned int timer_wheel_levels(void)
{
	return lvl_depth;
}

static void enqueue_timer(struct timer_base *base, struct timer_list *timer,
			  unsigned int idx, unsigned long bucket_expiry)
{
	hlist_add_head(&timer->entry, base->vectors + idx);
	set_pending(base, idx);
	timer_set_idx(timer, idx);
	/* the bucket's expiry, not timer->expires, decides the next event */
	if (time_before(bucket_expiry, base->next_expiry)) {
		base->next_expiry = bucket_expiry;
		base->timers_pending = true;
		base->next_expiry_recalc = false;
	}
}

static void internal_add_timer(struct timer_base *base, struct timer_list *timer)
{
	unsigned long bucket_expiry;
	unsigned int idx = calc_wheel_index(timer->expires, base->clk, &bucket_expiry);

	enqueue_timer(base, timer, idx, bucket_expiry);
}

static void detach_timer(struct timer_list *timer, bool clear_pending)
{
	__hlist_del(&timer->entry);
	timer->entry.next = NULL;
	if (clear_pending)
		set_pprev(&timer->entry, NULL);
}

static int detach_if_pending(struct timer_list *timer, struct timer_base *base,
			     bool clear_pending)
{
	unsigned int idx = timer_get_idx(timer);

	if (!timer_pending(timer))
		return 0;
	if (hlist_is_singular_node(&timer->entry, base->vectors + idx)) {
		test_and_clear_pending(base, idx);
		base->next_expiry_recalc = true;
	}
	detach_timer(timer, clear_pending);
	return 1;
}

/*
 * forward_timer_base - an idle base's clk catches up with jiffies (up to
 * its next expiry), so that a timer armed now gets the granularity of
 * its real distance.  While timers run, clk is one ahead of jiffies.
 */
static void forward_timer_base(struct timer_base *base)
{
	unsigned long jnow = jiffies;

	if ((long)(jnow - base->clk) < 1)
		return;
	if (time_after(base->next_expiry, jnow))
		base->clk = jnow;
	else if (!time_before(base->next_expiry, base->clk))
		base->clk = base->next_expiry;
}

static struct timer_base *get_timer_cpu_base(unsigned int cpu)
{
	return &timer_bases[cpu < nr_bases ? cpu : 0];
}

static struct timer_base *get_timer_this_cpu_base(void)
{
	return get_timer_cpu_base(umm_sim_this_cpu());
}

/* The base @timer is on, locked; retried while the timer migrates. */
static struct timer_base *lock_timer_base(struct timer_list *timer)
{
	for (;;) {
		u32 tf = __atomic_load_n(&timer->flags, __ATOMIC_RELAXED);

		if (!(tf & TIMER_MIGRATING)) {
			struct timer_base *base = get_timer_cpu_base(tf & TIMER_CPUMASK);

			spin_lock(&base->lock);
			if (timer->flags == tf)
				return base;
			spin_unlock(&base->lock);
		}
		sched_yield();
	}
}

/* Move @timer (not running, not pending) from @base to @new_base; both then locked as noted. */
static struct timer_base *switch_timer_base(struct timer_list *timer, struct timer_base *base,
					    struct timer_base *new_base)
{
	__atomic_store_n(&timer->flags, timer->flags | TIMER_MIGRATING, __ATOMIC_RELAXED);
	spin_unlock(&base->lock);
	spin_lock(&new_base->lock);
	__atomic_store_n(&timer->flags, (timer->flags & ~TIMER_BASEMASK) | new_base->cpu,
			 __ATOMIC_RELAXED);
	forward_timer_base(new_base);
	return new_base;
}

#define MOD_TIMER_PENDING_ONLY	0x01
#define MOD_TIMER_REDUCE	0x02
#define MOD_TIMER_NOTPENDING	0x04

static int __mod_timer(struct timer_list *timer, unsigned long expires, unsigned int options)
{
	unsigned long clk = 0, bucket_expiry = 0;
	struct timer_base *base, *new_base;
	unsigned int idx = UINT_MAX;
	int ret = 0;

	if (!timer->function)
		return -EINVAL;
	/* the same bucket: only expires changes (the networking fast path) */
	if (!(options & MOD_TIMER_NOTPENDING) && timer_pending(timer)) {
		long diff = (long)(timer->expires - expires);

		if (!diff)
			return 1;
		if ((options & MOD_TIMER_REDUCE) && diff <= 0)
			return 1;
		base = lock_timer_base(timer);
		forward_timer_base(base);
		if (timer_pending(timer) && (options & MOD_TIMER_REDUCE) &&
		    time_before_eq(timer->expires, expires)) {
			ret = 1;
			goto out_unlock;
		}
		clk = base->clk;
		idx = calc_wheel_index(expires, clk, &bucket_expiry);
		if (timer_pending(timer) && idx == timer_get_idx(timer)) {
			if (!(options & MOD_TIMER_REDUCE) || time_after(timer->expires, expires))
				timer->expires = expires;
			ret = 1;
			goto out_unlock;
		}
	} else {
		base = lock_timer_base(timer);
		forward_timer_base(base);
	}

	ret = detach_if_pending(timer, base, false);
	if (!ret && (options & MOD_TIMER_PENDING_ONLY))
		goto out_unlock;
	new_base = (timer->flags & TIMER_PINNED) ? base : get_timer_this_cpu_base();
	/* a running timer stays on its base: timer_delete_sync() looks there */
	if (base != new_base && base->running_timer != timer)
		base = switch_timer_base(timer, base, new_base);
	timer->expires = expires;
	if (idx != UINT_MAX && clk == base->clk)
		enqueue_timer(base, timer, idx, bucket_expiry);
	else
		internal_add_timer(base, timer);
out_unlock:
	spin_unlock(&base->lock);
	return ret;
}

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *),
		 unsigned int flags)
{
	timer->entry.next = NULL;
	timer->entry.pprev = NULL;
	timer->expires = 0;
	timer->function = func;
	timer->flags = (flags & TIMER_INIT_FLAGS) | umm_sim_this_cpu();
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, 0);
}

int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_TIMER_PENDING_ONLY);
}

int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	return __mod_timer(timer, expires, MOD_TIMER_REDUCE);
}

int add_timer(struct timer_list *timer)
{
	if (timer_pending(timer)) {	/* the kernel's BUG_ON() */
		pr_err("umm: add_timer() of a pending timer\n");
		return -EBUSY;
	}
	return __mod_timer(timer, timer->expires, MOD_TIMER_NOTPENDING);
}

int add_timer_on(struct timer_list *timer, int cpu)
{
	struct timer_base *base, *new_base;

	if (timer_pending(timer) || !timer->function)
		return timer_pending(timer) ? -EBUSY : -EINVAL;
	if (cpu < 0 || (unsigned int)cpu >= nr_bases)
		return -EINVAL;
	new_base = get_timer_cpu_base((unsigned int)cpu);
	base = lock_timer_base(timer);
	if (base != new_base)
		base = switch_timer_base(timer, base, new_base);
	forward_timer_base(base);
	internal_add_timer(base, timer);
	spin_unlock(&base->lock);
	return 0;
}

int del_timer(struct timer_list *timer)
{
	struct timer_base *base;
	int ret = 0;

	if (timer_pending(timer)) {
		base = lock_timer_base(timer);
		ret = detach_if_pending(timer, base, true);
		spin_unlock(&base->lock);
	}
	return ret;
}

int try_to_del_timer_sync(struct timer_list *timer)
{
	struct timer_base *base = lock_timer_base(timer);
	int ret = -1;

	if (base->running_timer != timer)
		ret = detach_if_pending(timer, base, true);
	spin_unlock(&base->lock);
	return ret;
}

int timer_delete_sync(struct timer_list *timer)
{
	for (;;) {
		struct timer_base *base = lock_timer_base(timer);
		int ret = -1;

		if (base->running_timer != timer)
			ret = detach_if_pending(timer, base, true);
		else if (pthread_equal(base->running_thread, pthread_self()))
			ret = -EDEADLK;	/* from its own function: it would wait for itself */
		spin_unlock(&base->lock);
		if (ret == -EDEADLK)
			pr_err("umm: timer_delete_sync() from the timer's own function\n");
		if (ret != -1)
			return ret;
		sched_yield();	/* its function runs in another thread: wait */
	}
}

/* ---- expiry ---- */

static void expire_timers(struct timer_base *base, struct hlist_head *head)
{
	while (head->first) {
		struct timer_list *timer = container_of(head->first, struct timer_list, entry);
		void (*fn)(struct timer_list *) = timer->function;

		base->running_timer = timer;
		base->running_thread = pthread_self();
		detach_timer(timer, true);
		spin_unlock(&base->lock);
		fn(timer);	/* may re-arm or free @timer */
		spin_lock(&base->lock);
		base->running_timer = NULL;
	}
}

/*
 * The buckets due at next_expiry: level 0's at that clk, and each higher
 * level's while the lower clock wrapped (its low 3 bits are zero).
 */
static int collect_expired_timers(struct timer_base *base, struct hlist_head *heads)
{
	unsigned long clk = base->clk = base->next_expiry;
	int levels = 0;

	for (unsigned int i = 0; i < lvl_depth; i++) {
		unsigned int idx = (unsigned int)((clk & LVL_MASK) + i * LVL_SIZE);

		if (test_and_clear_pending(base, idx))
			hlist_move_list(base->vectors + idx, heads + levels++);
		if (clk & LVL_CLK_MASK)
			break;
		clk >>= LVL_CLK_SHIFT;
	}
	return levels;
}

/* Buckets from @clk (within the level at @offset) to the next pending one, or -1. */
static int next_pending_bucket(const struct timer_base *base, unsigned int offset,
			       unsigned int clk)
{
	unsigned int pos, start = offset + clk, end = offset + (unsigned int)LVL_SIZE;

	pos = find_next_pending(base, end, start);
	if (pos < end)
		return (int)(pos - start);
	pos = find_next_pending(base, start, offset);
	return pos < start ? (int)(pos + LVL_SIZE - start) : -1;
}

/*
 * The next bucket to expire, from base->clk: the nearest pending bucket
 * of each level, in that level's clock, stopping once a level has one
 * before the next level's clock would tick.  *@pending: any at all.
 */
static unsigned long next_timer_interrupt(const struct timer_base *base, bool *pending)
{
	unsigned long clk = base->clk, next = base->clk + NEXT_TIMER_MAX_DELTA;
	unsigned int offset = 0;

	for (unsigned int lvl = 0; lvl < lvl_depth; lvl++, offset += LVL_SIZE) {
		int pos = next_pending_bucket(base, offset, (unsigned int)(clk & LVL_MASK));
		unsigned long lvl_clk = clk & LVL_CLK_MASK;

		if (pos >= 0) {
			unsigned long tmp = (clk + (unsigned long)pos) << LVL_SHIFT(lvl);

			if (time_before(tmp, next))
				next = tmp;
			/* due before this level's clock carries into the next: done */
			if ((unsigned long)pos <= ((LVL_CLK_DIV - lvl_clk) & LVL_CLK_MASK))
				break;
		}
		/* the next level's clock, carried up when this one is mid-way */
		clk = (clk >> LVL_CLK_SHIFT) + (lvl_clk ? 1 : 0);
	}
	*pending = next != base->clk + NEXT_TIMER_MAX_DELTA;
	return next;
}

static void timer_recalc_next_expiry(struct timer_base *base)
{
	base->next_expiry = next_timer_interrupt(base, &base->timers_pending);
	base->next_expiry_recalc = false;
}

/* The timer softirq's work on @base: every bucket due by jiffies. */
static void __run_timers(struct timer_base *base)
{
	struct hlist_head heads[LVL_DEPTH_MAX];
	int levels;

	lockdep_assert_held(&base->lock);
	if (base->running_timer)
		return;
	while (time_after_eq(jiffies, base->clk) && time_after_eq(jiffies, base->next_expiry)) {
		levels = collect_expired_timers(base, heads);
		/* while the functions run, clk is one ahead of jiffies */
		base->clk++;
		timer_recalc_next_expiry(base);
		while (levels--)
			expire_timers(base, heads + levels);
	}
}

/* run_local_timers()'s test: does @cpu have a bucket due (TIMER_SOFTIRQ to raise)? */
bool timers_due(unsigned int cpu)
{
	struct timer_base *base = get_timer_cpu_base(cpu);
	bool due;

	spin_lock(&base->lock);
	if (base->next_expiry_recalc)
		timer_recalc_next_expiry(base);
	due = !time_before(jiffies, base->next_expiry);
	spin_unlock(&base->lock);
	return due;
}

/* run_timer_softirq() on @cpu, the caller running on it: the expired timers' functions. */
void run_timer_base(unsigned int cpu)
{
	struct timer_base *base = get_timer_cpu_base(cpu);

	spin_lock(&base->lock);
	__run_timers(base);
	spin_unlock(&base->lock);
}

/*
 * The earliest jiffy at which some base has a bucket due (next_expiry),
 * for the tick to skip idle ticks up to it; *@any: some timer is pending.
 */
unsigned long timers_next_expiry(bool *any)
{
	unsigned long next = jiffies + NEXT_TIMER_MAX_DELTA;

	*any = false;
	for (unsigned int cpu = 0; cpu < nr_bases; cpu++) {
		struct timer_base *base = &timer_bases[cpu];

		spin_lock(&base->lock);
		if (base->next_expiry_recalc)
			timer_recalc_next_expiry(base);
		if (base->timers_pending) {
			*any = true;
			if (time_before(base->next_expiry, next))
				next = base->next_expiry;
		}
		spin_unlock(&base->lock);
	}
	return next;
}

/* ---- boot and checks ---- */

void init_timers(unsigned int nr_cpus)
{
	lvl_depth = HZ > 100 ? 9 : 8;
	nr_bases = nr_cpus;
	for (unsigned int cpu = 0; cpu < nr_bases; cpu++) {
		struct timer_base *base = &timer_bases[cpu];

		memset(base, 0, sizeof(*base));
		spin_lock_init(&base->lock);
		base->cpu = cpu;
		base->clk = jiffies;
		base->next_expiry = base->clk + NEXT_TIMER_MAX_DELTA;
	}
}

void timers_shutdown(void)
{
	/* pending timers are their owners' memory: the wheel just lets go */
	memset(timer_bases, 0, sizeof(timer_bases[0]) * nr_bases);
	nr_bases = 0;
}

#define TIMER_BUG(...)	({ pr_err("umm: timer base: " __VA_ARGS__); -EINVAL; })

static int timer_base_check_one(struct timer_base *base)
{
	unsigned int wheel = (unsigned int)(lvl_depth * LVL_SIZE);
	bool pending;
	unsigned long next;

	for (unsigned int idx = 0; idx < WHEEL_SIZE_MAX; idx++) {
		struct hlist_node *n, **pprev = &base->vectors[idx].first;

		if (idx >= wheel && (base->vectors[idx].first || test_pending(base, idx)))
			return TIMER_BUG("bucket %u beyond the %u levels is used\n", idx, lvl_depth);
		if (!base->vectors[idx].first != !test_pending(base, idx))
			return TIMER_BUG("cpu %u bucket %u: pending bit %d, timers %s\n", base->cpu,
					 idx, test_pending(base, idx),
					 base->vectors[idx].first ? "some" : "none");
		for (n = base->vectors[idx].first; n; pprev = &n->next, n = n->next) {
			struct timer_list *t = container_of(n, struct timer_list, entry);

			if (n->pprev != pprev)
				return TIMER_BUG("cpu %u bucket %u: a broken link\n", base->cpu, idx);
			if (timer_get_idx(t) != idx || (t->flags & TIMER_CPUMASK) != base->cpu)
				return TIMER_BUG("cpu %u bucket %u: a timer says bucket %u, cpu %u\n",
						 base->cpu, idx, timer_get_idx(t),
						 t->flags & TIMER_CPUMASK);
		}
	}
	if (base->next_expiry_recalc || base->running_timer)
		return 0;
	next = next_timer_interrupt(base, &pending);
	if (pending != base->timers_pending || (pending && next != base->next_expiry))
		return TIMER_BUG("cpu %u: next_expiry %lu (pending %d), the wheel says %lu (%d)\n",
				 base->cpu, base->next_expiry, base->timers_pending, next, pending);
	return 0;
}

int umm_timer_check(void)
{
	int err = 0;

	for (unsigned int cpu = 0; cpu < nr_bases && !err; cpu++) {
		spin_lock(&timer_bases[cpu].lock);
		err = timer_base_check_one(&timer_bases[cpu]);
		spin_unlock(&timer_bases[cpu].lock);
	}
	return err;
}
