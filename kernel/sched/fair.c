// SPDX-License-Identifier: GPL-2.0
/*
 * fair.c - the fair scheduling class (SCHED_NORMAL, SCHED_BATCH,
 * SCHED_IDLE) with its two policies, chosen at boot by umm.sched=:
 *
 *  - eevdf (the default, Linux 6.18's kernel/sched/fair.c): each entity
 *    asks for a slice (sysctl_sched_base_slice, 0.70 ms scaled by
 *    1 + ilog2(min(ncpus, 8)), or its own from sched_setattr()) and gets
 *    a virtual deadline vruntime + slice/weight; the queue is an rb-tree
 *    sorted by deadline, augmented with the least vruntime below each
 *    node, and pick_eevdf() takes the earliest deadline among the
 *    eligible entities (those with vruntime at or below the load-weighted
 *    average, avg_vruntime()).  Lag (the average minus vruntime) is kept
 *    across sleep and migration (PLACE_LAG); a task that sleeps while
 *    not eligible stays queued until it is (DELAY_DEQUEUE); the running
 *    task keeps the CPU until its deadline (RUN_TO_PARITY).
 *  - cfs (Linux 6.5, the scheduler LKD3 describes): the queue is sorted
 *    by vruntime and the leftmost entity runs next; the tick preempts
 *    when the running entity has had its sched_slice() of
 *    sched_latency (6 ms scaled, min_granularity 0.75 ms scaled when more
 *    than sched_nr_latency = 8 run) or is a slice ahead of the leftmost;
 *    a waking task preempts when it is wakeup_granularity (1 ms scaled)
 *    behind; sleepers are placed at min_vruntime - sched_latency / 2
 *    (GENTLE_FAIR_SLEEPERS), new tasks a vslice after it (START_DEBIT).
 *
 * Both keep vruntime += delta_exec * NICE_0_LOAD / weight
 * (calc_delta_fair(), with the kernel's inverse weights), min_vruntime
 * monotonic, and the cached leftmost node.
 *
 * Where umm differs, and why: there are no task groups (no cgroups, no
 * autogroup: every task is its own entity on its CPU's cfs_rq), and no
 * PELT load tracking (nothing here runs code whose utilisation could be
 * averaged); load balancing therefore moves tasks by runnable count:
 * periodic balancing every balance_interval and newly-idle balancing
 * pull queued tasks from the busiest CPU while that narrows the gap by
 * at least one task (the kernel's migrate_task type of imbalance, which
 * is what it uses between CPUs that have spare capacity); it never
 * moves a running task (no active balancing), NUMA and capacity
 * asymmetry are not modelled.  Wake-up placement picks the previous CPU
 * when it is idle, else an idle allowed CPU, else the previous one.
 *
 * Invariants (cfs_rq_check()): every queued entity but curr is in the
 * tree; nr_queued counts them (curr included when on_rq); load is the
 * sum of their weights; EEVDF's avg_vruntime and avg_load are the sums
 * over the tree; each node's min_vruntime is its subtree's least
 * vruntime; the tree is in deadline (eevdf) or vruntime (cfs) order.
 *
 * Locking: everything here runs under the runqueue's lock.
 */
#include <errno.h>
#include <limits.h>
#include <umm/printk.h>
#include "sched.h"

enum fair_policy sched_fair_policy = SCHED_POLICY_EEVDF;

/* sched_prio_to_weight[] and its inverse, kernel/sched/core.c (nice -20..19). */
const int sched_prio_to_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */  9548,  7620,  6100,  4904,  3906,
	/*  -5 */  3121,  2501,  1991,  1586,  1277,
	/*   0 */  1024,   820,   655,   526,   423,
	/*   5 */   335,   272,   215,   172,   137,
	/*  10 */   110,    87,    70,    56,    45,
	/*  15 */    36,    29,    23,    18,    15,
};

const uint32_t sched_prio_to_wmult[40] = {
	/* -20 */     48388,     59856,     76040,     92818,    118348,
	/* -15 */    147320,    184698,    229616,    287308,    360437,
	/* -10 */    449829,    563644,    704093,    875809,   1099582,
	/*  -5 */   1376151,   1717300,   2157191,   2708050,   3363326,
	/*   0 */   4194304,   5237765,   6557202,   8165337,  10153587,
	/*   5 */  12820798,  15790321,  19976592,  24970740,  31350126,
	/*  10 */  39045157,  49367440,  61356676,  76695844,  95443717,
	/*  15 */ 119304647, 148102320, 186737708, 238609294, 286331153,
};

/* Tunables, in ns, scaled by get_update_sysctl_factor() at boot. */
static const uint64_t normalized_sysctl_sched_base_slice = 700000ULL;
static const uint64_t normalized_sysctl_sched_latency = 6000000ULL;
static const uint64_t normalized_sysctl_sched_min_granularity = 750000ULL;
static const uint64_t normalized_sysctl_sched_wakeup_granularity = 1000000ULL;
static uint64_t sysctl_sched_base_slice = 700000ULL;
static uint64_t sysctl_sched_latency = 6000000ULL;
static uint64_t sysctl_sched_min_granularity = 750000ULL;
static uint64_t sysctl_sched_wakeup_granularity = 1000000ULL;
static const unsigned int sched_nr_latency = 8;

static unsigned int ilog2_u(unsigned int v)
{
	return 31 - (unsigned int)__builtin_clz(v);
}

/* SCHED_TUNABLESCALING_LOG: 1 + ilog2(min(ncpus, 8)). */
void update_sysctl(void)
{
	unsigned int factor = 1 + ilog2_u(min(sched_nr_cpus, 8U));

	sysctl_sched_base_slice = factor * normalized_sysctl_sched_base_slice;
	sysctl_sched_latency = factor * normalized_sysctl_sched_latency;
	sysctl_sched_min_granularity = factor * normalized_sysctl_sched_min_granularity;
	sysctl_sched_wakeup_granularity = factor * normalized_sysctl_sched_wakeup_granularity;
}

uint64_t sched_base_slice(void)
{
	return sysctl_sched_base_slice;
}

/* ---- weights: __calc_delta() ---- */

static void update_load_add(struct load_weight *lw, unsigned long inc)
{
	lw->weight += inc;
	lw->inv_weight = 0;
}

static void update_load_sub(struct load_weight *lw, unsigned long dec)
{
	lw->weight -= dec;
	lw->inv_weight = 0;
}

static void __update_inv_weight(struct load_weight *lw)
{
	if (lw->inv_weight)
		return;
	if (lw->weight >= (1UL << WMULT_SHIFT))
		lw->inv_weight = 1;
	else if (!lw->weight)
		lw->inv_weight = UINT32_MAX;
	else
		lw->inv_weight = (uint32_t)(UINT32_MAX / lw->weight);
}

/*
 * delta_exec * weight / lw.weight, as the kernel computes it: a 32-bit
 * fixed-point multiply by the inverse weight, shifted down while the
 * product would not fit.
 */
static uint64_t __calc_delta(uint64_t delta_exec, unsigned long weight, struct load_weight *lw)
{
	uint64_t fact = weight;
	uint32_t fact_hi;
	int shift = WMULT_SHIFT;

	__update_inv_weight(lw);
	fact_hi = (uint32_t)(fact >> 32);
	if (unlikely(fact_hi)) {
		int fs = 32 - __builtin_clz(fact_hi);

		shift -= fs;
		fact >>= fs;
	}
	fact = (fact & 0xffffffffULL) * lw->inv_weight;
	fact_hi = (uint32_t)(fact >> 32);
	if (fact_hi) {
		int fs = 32 - __builtin_clz(fact_hi);

		shift -= fs;
		fact >>= fs;
	}
	return (uint64_t)(((unsigned __int128)delta_exec * fact) >> shift);
}

/* Real time to virtual: delta * NICE_0_LOAD / weight. */
static uint64_t calc_delta_fair(uint64_t delta, struct sched_entity *se)
{
	if (unlikely(se->load.weight != NICE_0_LOAD))
		delta = __calc_delta(delta, NICE_0_LOAD, &se->load);
	return delta;
}

static inline uint64_t max_vruntime(uint64_t a, uint64_t b)
{
	return (int64_t)(b - a) > 0 ? b : a;
}

static inline uint64_t min_vruntime(uint64_t a, uint64_t b)
{
	return (int64_t)(b - a) < 0 ? b : a;
}

/* The tree's order: deadline for EEVDF, vruntime for CFS. */
static inline bool entity_before(const struct sched_entity *a, const struct sched_entity *b)
{
	if (sched_fair_policy == SCHED_POLICY_CFS)
		return (int64_t)(a->vruntime - b->vruntime) < 0;
	return (int64_t)(a->deadline - b->deadline) < 0;
}

static inline int64_t entity_key(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	return (int64_t)(se->vruntime - cfs_rq->min_vruntime);
}

#define __node_2_se(node) rb_entry((node), struct sched_entity, run_node)

/* ---- EEVDF: the load-weighted average vruntime ---- */

static void avg_vruntime_add(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	unsigned long weight = se->load.weight;

	cfs_rq->avg_vruntime += entity_key(cfs_rq, se) * (int64_t)weight;
	cfs_rq->avg_load += weight;
}

static void avg_vruntime_sub(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	unsigned long weight = se->load.weight;

	cfs_rq->avg_vruntime -= entity_key(cfs_rq, se) * (int64_t)weight;
	cfs_rq->avg_load -= weight;
}

/* min_vruntime moved by @delta: the keys all shrink by it. */
static void avg_vruntime_update(struct cfs_rq *cfs_rq, int64_t delta)
{
	cfs_rq->avg_vruntime -= (int64_t)cfs_rq->avg_load * delta;
}

/* The tree's weighted key sum and weight, with curr (not in the tree) added. */
static void avg_with_curr(struct cfs_rq *cfs_rq, int64_t *avg, int64_t *load)
{
	struct sched_entity *curr = cfs_rq->curr;

	*avg = cfs_rq->avg_vruntime;
	*load = (int64_t)cfs_rq->avg_load;
	if (curr && curr->on_rq) {
		unsigned long weight = curr->load.weight;

		*avg += entity_key(cfs_rq, curr) * (int64_t)weight;
		*load += (int64_t)weight;
	}
}

/* V = min_vruntime + sum((v_i - min_vruntime) * w_i) / sum(w_i), curr included. */
static uint64_t avg_vruntime(struct cfs_rq *cfs_rq)
{
	int64_t avg, load;

	avg_with_curr(cfs_rq, &avg, &load);
	if (load) {
		if (avg < 0)	/* sign flips effective floor / ceiling */
			avg -= (load - 1);
		avg /= load;
	}
	return cfs_rq->min_vruntime + (uint64_t)avg;
}

/* Is (vruntime - V) * load <= 0, without the division? */
static bool vruntime_eligible(struct cfs_rq *cfs_rq, uint64_t vruntime)
{
	int64_t avg, load;

	avg_with_curr(cfs_rq, &avg, &load);
	return avg >= (int64_t)(vruntime - cfs_rq->min_vruntime) * load;
}

static bool entity_eligible(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	return vruntime_eligible(cfs_rq, se->vruntime);
}

/* lag_i = w_i * (V - v_i), kept as V - v_i, clamped to a slice or a tick either way. */
static void update_entity_lag(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	int64_t vlag, limit;

	vlag = (int64_t)(avg_vruntime(cfs_rq) - se->vruntime);
	limit = (int64_t)calc_delta_fair(max(2 * se->slice, (uint64_t)TICK_NSEC), se);
	se->vlag = clamp(vlag, -limit, limit);
}

static void __update_min_vruntime(struct cfs_rq *cfs_rq, uint64_t vruntime)
{
	uint64_t min = cfs_rq->min_vruntime;
	int64_t delta = (int64_t)(vruntime - min);

	if (delta > 0) {
		if (sched_fair_policy == SCHED_POLICY_EEVDF)
			avg_vruntime_update(cfs_rq, delta);
		cfs_rq->min_vruntime = vruntime;
	}
}

static struct sched_entity *__pick_root_entity(struct cfs_rq *cfs_rq)
{
	struct rb_node *root = cfs_rq->tasks_timeline.rb_root.rb_node;

	return root ? __node_2_se(root) : NULL;
}

static struct sched_entity *__pick_first_entity(struct cfs_rq *cfs_rq)
{
	struct rb_node *left = rb_first_cached(&cfs_rq->tasks_timeline);

	return left ? __node_2_se(left) : NULL;
}

/* min_vruntime follows the least vruntime of curr and the queue, never backwards. */
static void update_min_vruntime(struct cfs_rq *cfs_rq)
{
	struct sched_entity *se, *curr = cfs_rq->curr;
	uint64_t vruntime = cfs_rq->min_vruntime;

	/* EEVDF: the root's augmented value is the least; CFS: the leftmost */
	se = sched_fair_policy == SCHED_POLICY_EEVDF ? __pick_root_entity(cfs_rq)
						     : __pick_first_entity(cfs_rq);
	if (curr) {
		if (curr->on_rq)
			vruntime = curr->vruntime;
		else
			curr = NULL;
	}
	if (se) {
		uint64_t v = sched_fair_policy == SCHED_POLICY_EEVDF ? se->min_vruntime
								     : se->vruntime;

		vruntime = curr ? min_vruntime(vruntime, v) : v;
	}
	__update_min_vruntime(cfs_rq, vruntime);
}

/* The augmentation: the least vruntime in each subtree. */
static inline bool min_vruntime_update(struct sched_entity *se, bool exit)
{
	uint64_t old = se->min_vruntime, m = se->vruntime;
	struct rb_node *node = &se->run_node;

	if (node->rb_left)
		m = min_vruntime(m, __node_2_se(node->rb_left)->min_vruntime);
	if (node->rb_right)
		m = min_vruntime(m, __node_2_se(node->rb_right)->min_vruntime);
	if (exit && m == old)
		return true;
	se->min_vruntime = m;
	return false;
}

RB_DECLARE_CALLBACKS(static, min_vruntime_cb, struct sched_entity, run_node, min_vruntime,
		     min_vruntime_update)

static bool __entity_less(struct rb_node *a, const struct rb_node *b)
{
	return entity_before(__node_2_se(a), __node_2_se(b));
}

/* Into the tree, keeping the augmentation along the insertion path. */
static void __enqueue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct rb_node **link = &cfs_rq->tasks_timeline.rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	if (sched_fair_policy == SCHED_POLICY_EEVDF)
		avg_vruntime_add(cfs_rq, se);
	se->min_vruntime = se->vruntime;
	while (*link) {
		struct sched_entity *entry = __node_2_se(*link);

		parent = *link;
		if (entry->min_vruntime != min_vruntime(entry->min_vruntime, se->vruntime))
			entry->min_vruntime = se->vruntime;	/* the path accounts for se */
		if (__entity_less(&se->run_node, parent)) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&se->run_node, parent, link);
	rb_insert_augmented_cached(&se->run_node, &cfs_rq->tasks_timeline, leftmost,
				   &min_vruntime_cb);
}

static void __dequeue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	rb_erase_augmented_cached(&se->run_node, &cfs_rq->tasks_timeline, &min_vruntime_cb);
	RB_CLEAR_NODE(&se->run_node);
	if (sched_fair_policy == SCHED_POLICY_EEVDF)
		avg_vruntime_sub(cfs_rq, se);
}

/*
 * pick_eevdf(): the eligible entity with the earliest deadline.  The
 * tree is in deadline order, and each node knows the least vruntime
 * below it, so a subtree with an eligible entity is found without
 * visiting the rest: O(log n).
 */
static uint64_t cfs_rq_min_slice(struct cfs_rq *cfs_rq);

static bool protect_slice(struct sched_entity *se)
{
	return (int64_t)(se->vprot - se->vruntime) > 0;
}

static struct sched_entity *pick_eevdf(struct cfs_rq *cfs_rq)
{
	struct rb_node *node = cfs_rq->tasks_timeline.rb_root.rb_node;
	struct sched_entity *se = __pick_first_entity(cfs_rq);
	struct sched_entity *curr = cfs_rq->curr, *best = NULL;

	if (cfs_rq->nr_queued == 1)
		return curr && curr->on_rq ? curr : se;
	if (curr && (!curr->on_rq || !entity_eligible(cfs_rq, curr)))
		curr = NULL;
	if (curr && protect_slice(curr))	/* RUN_TO_PARITY */
		return curr;
	if (se && entity_eligible(cfs_rq, se)) {	/* the earliest deadline is eligible */
		best = se;
		goto found;
	}
	while (node) {
		struct rb_node *left = node->rb_left;

		if (left && vruntime_eligible(cfs_rq, __node_2_se(left)->min_vruntime)) {
			node = left;
			continue;
		}
		se = __node_2_se(node);
		if (entity_eligible(cfs_rq, se)) {
			best = se;
			break;
		}
		node = node->rb_right;
	}
found:
	if (!best || (curr && entity_before(curr, best)))
		best = curr;
	return best;
}

static uint64_t cfs_rq_min_slice(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	uint64_t min = curr && curr->on_rq ? curr->slice : UINT64_MAX;

	for (struct rb_node *n = rb_first_cached(&cfs_rq->tasks_timeline); n; n = rb_next(n))
		min = min(min, __node_2_se(n)->slice);
	return min;
}

/* RUN_TO_PARITY: the entity keeps the CPU until its deadline or the shortest slice queued. */
static void set_protect_slice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	uint64_t slice = min(cfs_rq_min_slice(cfs_rq), se->slice);
	uint64_t vprot = se->deadline;

	if (slice != se->slice)
		vprot = min_vruntime(vprot, se->vruntime + calc_delta_fair(slice, se));
	se->vprot = vprot;
}

static void cancel_protect_slice(struct sched_entity *se)
{
	if (protect_slice(se))
		se->vprot = se->vruntime;
}

/*
 * update_deadline(): once vruntime reaches the deadline, a new request
 * of one slice; the caller reschedules if another entity waits.
 */
static bool update_deadline(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	(void)cfs_rq;
	if ((int64_t)(se->vruntime - se->deadline) < 0)
		return false;
	if (!se->custom_slice)
		se->slice = sysctl_sched_base_slice;
	se->deadline = se->vruntime + calc_delta_fair(se->slice, se);
	return true;
}

/* ---- CFS (6.5): slices of the latency period ---- */

static uint64_t __sched_period(unsigned long nr_running)
{
	if (unlikely(nr_running > sched_nr_latency))
		return nr_running * sysctl_sched_min_granularity;
	return sysctl_sched_latency;
}

/* The wall-time slice of @se: its weight's share of the period. */
static uint64_t sched_slice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	unsigned int nr_running = cfs_rq->nr_queued + !se->on_rq;
	uint64_t slice = __sched_period(nr_running);
	struct load_weight load = cfs_rq->load;

	if (unlikely(!se->on_rq))
		update_load_add(&load, se->load.weight);
	slice = __calc_delta(slice, se->load.weight, &load);
	return max(slice, sysctl_sched_min_granularity);	/* BASE_SLICE */
}

static uint64_t sched_vslice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	return calc_delta_fair(sched_slice(cfs_rq, se), se);
}

/* ---- update_curr() ---- */

static void resched_curr_lazy(struct rq *rq)
{
	resched_curr(rq);	/* the host kernel's preemption model acts on it at once */
}

static void clear_buddies(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (cfs_rq->next == se)
		cfs_rq->next = NULL;
}

static void update_curr(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	struct rq *rq = rq_of(cfs_rq);
	uint64_t now = rq_clock_task(rq);
	int64_t delta_exec;
	bool resched;

	if (unlikely(!curr))
		return;
	delta_exec = (int64_t)(now - curr->exec_start);
	if (unlikely(delta_exec <= 0))
		return;
	curr->exec_start = now;
	curr->sum_exec_runtime += (uint64_t)delta_exec;
	curr->vruntime += calc_delta_fair((uint64_t)delta_exec, curr);
	if (sched_fair_policy == SCHED_POLICY_CFS) {
		update_min_vruntime(cfs_rq);
		return;
	}
	resched = update_deadline(cfs_rq, curr);
	update_min_vruntime(cfs_rq);
	if (cfs_rq->nr_queued == 1)
		return;
	if (resched) {
		resched_curr_lazy(rq);
		clear_buddies(cfs_rq, curr);
	}
}

static void update_curr_fair(struct rq *rq)
{
	update_curr(&rq->cfs);
}



static void account_entity_enqueue(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	update_load_add(&cfs_rq->load, se->load.weight);
	cfs_rq->nr_queued++;
}

static void account_entity_dequeue(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	update_load_sub(&cfs_rq->load, se->load.weight);
	cfs_rq->nr_queued--;
}

/* EEVDF: where an entity (re)joins: at V minus its lag, deadline a slice on. */
static void place_entity_eevdf(struct cfs_rq *cfs_rq, struct sched_entity *se, int flags)
{
	uint64_t vslice, vruntime = avg_vruntime(cfs_rq);
	struct sched_entity *curr = cfs_rq->curr;
	int64_t lag = 0;

	if (!se->custom_slice)
		se->slice = sysctl_sched_base_slice;
	vslice = calc_delta_fair(se->slice, se);
	/*
	 * PLACE_LAG: adding an entity moves V, so the lag it had is scaled by
	 * (W + w_i) / W to hold after it joins.
	 */
	if (cfs_rq->nr_queued && se->vlag) {
		int64_t load = (int64_t)cfs_rq->avg_load;

		lag = se->vlag;
		if (curr && curr->on_rq)
			load += (int64_t)curr->load.weight;
		lag *= load + (int64_t)se->load.weight;
		if (!load)
			load = 1;
		lag /= load;
	}
	se->vruntime = vruntime - (uint64_t)lag;
	if (se->rel_deadline) {		/* PLACE_REL_DEADLINE */
		se->deadline += se->vruntime;
		se->rel_deadline = 0;
		return;
	}
	if (flags & ENQUEUE_INITIAL)	/* PLACE_DEADLINE_INITIAL: half a slice for new tasks */
		vslice /= 2;
	se->deadline = se->vruntime + vslice;
}

/* CFS (6.5): sleepers get half a latency of credit, new tasks start a vslice late. */
static void place_entity_cfs(struct cfs_rq *cfs_rq, struct sched_entity *se, int initial)
{
	uint64_t vruntime = cfs_rq->min_vruntime;

	if (initial)			/* START_DEBIT */
		vruntime += sched_vslice(cfs_rq, se);
	else				/* GENTLE_FAIR_SLEEPERS */
		vruntime -= sysctl_sched_latency >> 1;
	/* never gain time by sleeping: only move forward */
	se->vruntime = max_vruntime(se->vruntime, vruntime);
}

static void enqueue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se, int flags)
{
	bool curr = cfs_rq->curr == se;

	if (sched_fair_policy == SCHED_POLICY_CFS) {
		/* 6.5 keeps vruntime relative to min_vruntime while off a queue */
		if (!(flags & ENQUEUE_WAKEUP) || (flags & ENQUEUE_MIGRATING))
			se->vruntime += cfs_rq->min_vruntime;
		update_curr(cfs_rq);
		if (flags & ENQUEUE_WAKEUP)
			place_entity_cfs(cfs_rq, se, 0);
	} else {
		if (curr)
			place_entity_eevdf(cfs_rq, se, flags);
		update_curr(cfs_rq);
		if (!curr)
			place_entity_eevdf(cfs_rq, se, flags);
	}
	account_entity_enqueue(cfs_rq, se);
	if (!curr)
		__enqueue_entity(cfs_rq, se);
	se->on_rq = 1;
	if (sched_fair_policy == SCHED_POLICY_EEVDF)
		update_min_vruntime(cfs_rq);
}

static void finish_delayed_dequeue_entity(struct sched_entity *se)
{
	se->sched_delayed = 0;
	if (se->vlag > 0)		/* DELAY_ZERO: positive lag is not kept */
		se->vlag = 0;
}

/* false when the dequeue is delayed (EEVDF: a sleeper that is not yet eligible). */
static bool dequeue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se, int flags)
{
	bool sleep = flags & DEQUEUE_SLEEP;

	if (!(flags & DEQUEUE_DELAYED)) {
		update_curr(cfs_rq);
		clear_buddies(cfs_rq, se);
		if (sched_fair_policy == SCHED_POLICY_EEVDF && sleep &&
		    !(flags & DEQUEUE_SPECIAL) && !entity_eligible(cfs_rq, se)) {	/* DELAY_DEQUEUE */
			se->sched_delayed = 1;
			return false;
		}
	}
	if (sched_fair_policy == SCHED_POLICY_EEVDF) {
		update_entity_lag(cfs_rq, se);
		if (!sleep) {		/* PLACE_REL_DEADLINE */
			se->deadline -= se->vruntime;
			se->rel_deadline = 1;
		}
	}
	if (se != cfs_rq->curr)
		__dequeue_entity(cfs_rq, se);
	se->on_rq = 0;
	account_entity_dequeue(cfs_rq, se);
	update_min_vruntime(cfs_rq);
	/* 6.5: an entity leaving for another queue keeps vruntime relative */
	if (sched_fair_policy == SCHED_POLICY_CFS && !sleep)
		se->vruntime -= cfs_rq->min_vruntime;
	if (flags & DEQUEUE_DELAYED)
		finish_delayed_dequeue_entity(se);
	return true;
}

static void enqueue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	struct sched_entity *se = &p->se;
	struct cfs_rq *cfs_rq = &rq->cfs;

	if (flags & ENQUEUE_DELAYED) {	/* requeue_delayed_entity(): woken while delayed */
		update_entity_lag(cfs_rq, se);
		if (se->vlag > 0) {
			cfs_rq->nr_queued--;
			if (se != cfs_rq->curr)
				__dequeue_entity(cfs_rq, se);
			se->vlag = 0;
			place_entity_eevdf(cfs_rq, se, 0);
			if (se != cfs_rq->curr)
				__enqueue_entity(cfs_rq, se);
			cfs_rq->nr_queued++;
		}
		se->sched_delayed = 0;
		cfs_rq->h_nr_runnable++;
		return;
	}
	enqueue_entity(cfs_rq, se, flags);
	cfs_rq->h_nr_runnable++;
	cfs_rq->h_nr_queued++;
	if (task_has_idle_policy(p))
		cfs_rq->h_nr_idle++;
	update_rq_nr_running(rq, 1);
}

static bool dequeue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	struct sched_entity *se = &p->se;
	struct cfs_rq *cfs_rq = &rq->cfs;
	bool was_delayed = se->sched_delayed;

	if (!dequeue_entity(cfs_rq, se, flags)) {
		cfs_rq->h_nr_runnable--;	/* still queued, but not runnable */
		return false;
	}
	if (!was_delayed)
		cfs_rq->h_nr_runnable--;
	cfs_rq->h_nr_queued--;
	if (task_has_idle_policy(p))
		cfs_rq->h_nr_idle--;
	update_rq_nr_running(rq, -1);
	return true;
}

/* ---- picking ---- */

static void set_next_entity(struct cfs_rq *cfs_rq, struct sched_entity *se, bool first)
{
	if (se->on_rq) {
		__dequeue_entity(cfs_rq, se);	/* the running entity is not in the tree */
		if (sched_fair_policy == SCHED_POLICY_EEVDF && first)
			set_protect_slice(cfs_rq, se);
	}
	se->exec_start = rq_clock_task(rq_of(cfs_rq));
	cfs_rq->curr = se;
	if (first)
		se->prev_sum_exec_runtime = se->sum_exec_runtime;
}

static void put_prev_entity(struct cfs_rq *cfs_rq, struct sched_entity *prev)
{
	if (prev->on_rq) {
		update_curr(cfs_rq);
		__enqueue_entity(cfs_rq, prev);
	}
	cfs_rq->curr = NULL;
}

/* CFS (6.5): the leftmost, or curr if it is further left; yield's skip buddy is passed over. */
static struct sched_entity *pick_next_entity_cfs(struct cfs_rq *cfs_rq)
{
	struct sched_entity *left = __pick_first_entity(cfs_rq), *curr = cfs_rq->curr;

	if (curr && !curr->on_rq)
		curr = NULL;
	if (!left || (curr && entity_before(curr, left)))
		left = curr;
	return left;
}

static struct task_struct *pick_task_fair(struct rq *rq)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se;

again:
	if (!cfs_rq->nr_queued)
		return NULL;
	if (cfs_rq->curr && cfs_rq->curr->on_rq)
		update_curr(cfs_rq);
	if (sched_fair_policy == SCHED_POLICY_CFS) {
		se = pick_next_entity_cfs(cfs_rq);
	} else {
		se = pick_eevdf(cfs_rq);
		if (se && se->sched_delayed) {	/* its time to leave has come */
			struct task_struct *p = task_of(se);

			dequeue_task_fair(rq, p, DEQUEUE_SLEEP | DEQUEUE_DELAYED);
			WRITE_ONCE(p->on_rq, 0);
			goto again;
		}
	}
	return se ? task_of(se) : NULL;
}

static void put_prev_task_fair(struct rq *rq, struct task_struct *prev, struct task_struct *next)
{
	(void)next;
	put_prev_entity(&rq->cfs, &prev->se);
}

static void set_next_task_fair(struct rq *rq, struct task_struct *p, bool first)
{
	set_next_entity(&rq->cfs, &p->se, first);
}

/* ---- preemption ---- */

/* CFS: does @se (waking) deserve the CPU over @curr? 1: yes. */
static int wakeup_preempt_entity(struct sched_entity *curr, struct sched_entity *se)
{
	int64_t gran, vdiff = (int64_t)(curr->vruntime - se->vruntime);

	if (vdiff <= 0)
		return -1;
	gran = (int64_t)calc_delta_fair(sysctl_sched_wakeup_granularity, se);
	return vdiff > gran ? 1 : 0;
}

static void check_preempt_wakeup_fair(struct rq *rq, struct task_struct *p, int wake_flags)
{
	struct task_struct *curr = rq->curr;
	struct sched_entity *se = &curr->se, *pse = &p->se;
	struct cfs_rq *cfs_rq = &rq->cfs;

	(void)wake_flags;
	if (unlikely(se == pse) || __atomic_load_n(&rq->need_resched, __ATOMIC_RELAXED))
		return;
	if (curr->sched_class != &fair_sched_class)
		return;
	if (unlikely(task_has_idle_policy(curr)) && !task_has_idle_policy(p))
		goto preempt;
	if (p->policy != SCHED_NORMAL)	/* batch and idle tasks do not preempt */
		return;
	update_curr(cfs_rq);
	if (sched_fair_policy == SCHED_POLICY_CFS) {
		if (wakeup_preempt_entity(se, pse) == 1)
			goto preempt;
		return;
	}
	/* PREEMPT_SHORT: a shorter slice may cut a longer one's protection */
	if (pse->slice < se->slice && entity_eligible(cfs_rq, pse) &&
	    entity_before(pse, se))
		cancel_protect_slice(se);
	if (pick_eevdf(cfs_rq) == pse)
		goto preempt;
	return;
preempt:
	resched_curr_lazy(rq);
}

/* CFS (6.5) check_preempt_tick(): a slice used up, or a slice ahead of the leftmost. */
static void check_preempt_tick(struct cfs_rq *cfs_rq, struct sched_entity *curr)
{
	uint64_t ideal_runtime = sched_slice(cfs_rq, curr);
	uint64_t delta_exec = curr->sum_exec_runtime - curr->prev_sum_exec_runtime;
	struct sched_entity *se;
	int64_t delta;

	if (delta_exec > ideal_runtime) {
		resched_curr(rq_of(cfs_rq));
		clear_buddies(cfs_rq, curr);
		return;
	}
	if (delta_exec < sysctl_sched_min_granularity)
		return;
	se = __pick_first_entity(cfs_rq);
	if (!se)
		return;
	delta = (int64_t)(curr->vruntime - se->vruntime);
	if (delta < 0)
		return;
	if ((uint64_t)delta > ideal_runtime)
		resched_curr(rq_of(cfs_rq));
}

static void task_tick_fair(struct rq *rq, struct task_struct *curr, int queued)
{
	struct cfs_rq *cfs_rq = &rq->cfs;

	(void)queued;
	update_curr(cfs_rq);
	if (sched_fair_policy == SCHED_POLICY_CFS && cfs_rq->nr_queued > 1)
		check_preempt_tick(cfs_rq, &curr->se);
}

/* sched_yield(): EEVDF moves the deadline a slice on; CFS lets the others go first. */
static void yield_task_fair(struct rq *rq)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se = &rq->curr->se;

	if (unlikely(rq->nr_running == 1))
		return;
	clear_buddies(cfs_rq, se);
	update_curr(cfs_rq);
	if (sched_fair_policy == SCHED_POLICY_EEVDF) {
		se->deadline += calc_delta_fair(se->slice, se);
		return;
	}
	/* 6.5's skip buddy, as its effect: behind the rightmost queued entity */
	{
		struct rb_node *last = rb_last(&cfs_rq->tasks_timeline.rb_root);

		if (last && entity_before(se, __node_2_se(last)))
			se->vruntime = __node_2_se(last)->vruntime + 1;
	}
}

/* A new task: CFS places it now (START_DEBIT); EEVDF when it is first enqueued. */
static void task_fork_fair(struct task_struct *p)
{
	struct rq *rq = task_rq(p);
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *curr = cfs_rq->curr, *se = &p->se;

	if (sched_fair_policy != SCHED_POLICY_CFS)
		return;
	update_rq_clock(rq);
	update_curr(cfs_rq);
	if (curr)
		se->vruntime = curr->vruntime;
	place_entity_cfs(cfs_rq, se, 1);
	se->vruntime -= cfs_rq->min_vruntime;	/* made absolute by the enqueue */
}

static void switched_to_fair(struct rq *rq, struct task_struct *p)
{
	if (task_on_rq_queued(p) && !task_current(rq, p))
		wakeup_preempt(rq, p, 0);
}

static void prio_changed_fair(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p) || p->prio == oldprio)
		return;
	if (task_current(rq, p)) {
		if (p->prio > oldprio)
			resched_curr(rq);
	} else {
		wakeup_preempt(rq, p, 0);
	}
}

/*
 * reweight_entity() for a nice change while queued: EEVDF keeps the lag
 * and the remaining deadline in real terms (scaled by old/new weight);
 * CFS keeps vruntime as it is.
 */
void reweight_task_fair(struct rq *rq, struct task_struct *p, const struct load_weight *lw)
{
	struct sched_entity *se = &p->se;
	struct cfs_rq *cfs_rq = &rq->cfs;
	bool curr = cfs_rq->curr == se;
	unsigned long old = se->load.weight;

	if (se->on_rq) {
		update_curr(cfs_rq);
		if (!curr)
			__dequeue_entity(cfs_rq, se);
		update_load_sub(&cfs_rq->load, old);
	}
	if (sched_fair_policy == SCHED_POLICY_EEVDF && se->on_rq) {
		uint64_t avruntime = avg_vruntime(cfs_rq);
		int64_t vlag = (int64_t)(avruntime - se->vruntime);
		int64_t vslice = (int64_t)(se->deadline - avruntime);

		vlag = vlag * (int64_t)old / (int64_t)lw->weight;
		vslice = vslice * (int64_t)old / (int64_t)lw->weight;
		se->vruntime = avruntime - (uint64_t)vlag;
		se->deadline = avruntime + (uint64_t)vslice;
	}
	se->load = *lw;
	if (se->on_rq) {
		update_load_add(&cfs_rq->load, se->load.weight);
		if (!curr)
			__enqueue_entity(cfs_rq, se);
		update_min_vruntime(cfs_rq);
	}
}

/* ---- SMP: where a task wakes, and load balancing ---- */

/* idle_cpu(): a racy look at another CPU, as the kernel's (no lock). */
static bool cpu_is_idle(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return __atomic_load_n(&rq->curr, __ATOMIC_ACQUIRE) == rq->idle &&
	       !__atomic_load_n(&rq->nr_running, __ATOMIC_RELAXED);
}

static unsigned int rq_runnable(int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	unsigned int n;

	spin_lock(&rq->lock);
	n = rq->cfs.h_nr_runnable;
	spin_unlock(&rq->lock);
	return n;
}

static int select_task_rq_fair(struct task_struct *p, int prev_cpu, int wake_flags)
{
	int cpu, best = -1;
	unsigned int least = UINT_MAX;

	(void)wake_flags;
	if (is_cpu_allowed(p, prev_cpu) && cpu_is_idle(prev_cpu))
		return prev_cpu;
	for (int i = 0; i < (int)sched_nr_cpus; i++) {
		cpu = (prev_cpu + i) % (int)sched_nr_cpus;
		if (!is_cpu_allowed(p, cpu))
			continue;
		if (cpu_is_idle(cpu))
			return cpu;
		unsigned int n = rq_runnable(cpu);

		if (n < least) {
			least = n;
			best = cpu;
		}
	}
	/* wake where it ran if it may (cache-hot), else the least loaded */
	if (is_cpu_allowed(p, prev_cpu) && !(wake_flags & ENQUEUE_INITIAL))
		return prev_cpu;
	return best;
}

/* Can @p move from @src to @dst now?  Queued, not running, allowed there. */
static bool can_migrate_task(struct task_struct *p, struct rq *src, int dst_cpu)
{
	return is_cpu_allowed(p, dst_cpu) && !task_current(src, p) && !p->se.sched_delayed;
}

/* Pull up to @want runnable fair tasks from @src to @dst (both locked). */
static int detach_attach_tasks(struct rq *src, struct rq *dst, int want)
{
	struct rb_node *n = rb_last(&src->cfs.tasks_timeline.rb_root);
	int moved = 0;

	/* from the right of the tree: the tasks that would wait longest */
	while (n && moved < want) {
		struct sched_entity *se = __node_2_se(n);
		struct task_struct *p = task_of(se);

		n = rb_prev(n);
		if (!can_migrate_task(p, src, dst->cpu))
			continue;
		move_queued_task_locked(src, dst, p);
		moved++;
	}
	return moved;
}

/* The CPU with the most runnable fair tasks, at least @min of them. */
static int find_busiest_cpu(int this_cpu, unsigned int min)
{
	int cpu, busiest = -1;
	unsigned int most = min - 1;

	for_each_cpu_id(cpu) {
		unsigned int n = rq_runnable(cpu);

		if (cpu != this_cpu && n > most) {
			most = n;
			busiest = cpu;
		}
	}
	return busiest;
}

static int balance_pull(struct rq *this_rq, bool newidle)
{
	int busiest_cpu = find_busiest_cpu(this_rq->cpu, 2);
	struct rq *busiest;
	int moved = 0, gap;

	if (busiest_cpu < 0)
		return 0;
	busiest = cpu_rq(busiest_cpu);
	double_rq_lock(this_rq, busiest);
	update_rq_clock(busiest);
	gap = (int)busiest->cfs.h_nr_runnable - (int)this_rq->cfs.h_nr_runnable;
	if (gap >= 2 || (newidle && gap >= 1 && busiest->cfs.h_nr_runnable >= 2))
		moved = detach_attach_tasks(busiest, this_rq, newidle ? 1 : gap / 2);
	double_rq_unlock(this_rq, busiest);
	return moved;
}

/* sched_balance_newidle(): @this_rq (unlocked) is about to idle; pull one task. */
int sched_balance_newidle(struct rq *this_rq)
{
	if (sched_nr_cpus < 2)
		return 0;
	return balance_pull(this_rq, true);
}

/*
 * The tick's sched_balance_trigger(): each CPU balances every
 * balance_interval ms (its domain's: the CPU count in ms when idle,
 * 16 times that while busy, as busy_factor).
 */
void sched_balance_trigger(struct rq *rq)
{
	unsigned long interval;

	if (sched_nr_cpus < 2 || time_before(jiffies, rq->next_balance))
		return;
	interval = rq->balance_interval * (rq->curr == rq->idle ? 1 : 16);
	rq->next_balance = jiffies + max(1UL, msecs_to_jiffies((unsigned int)interval));
	spin_unlock(&rq->lock);
	balance_pull(rq, false);
	spin_lock(&rq->lock);
}

/* ---- checks and /proc ---- */

static int check_subtree(struct cfs_rq *cfs_rq, struct rb_node *n, unsigned long *load,
			 int64_t *avg, uint64_t *avg_load, unsigned int *count)
{
	struct sched_entity *se;
	uint64_t m;

	if (!n)
		return 0;
	se = __node_2_se(n);
	if (check_subtree(cfs_rq, n->rb_left, load, avg, avg_load, count) ||
	    check_subtree(cfs_rq, n->rb_right, load, avg, avg_load, count))
		return -EINVAL;
	m = se->vruntime;
	if (n->rb_left)
		m = min_vruntime(m, __node_2_se(n->rb_left)->min_vruntime);
	if (n->rb_right)
		m = min_vruntime(m, __node_2_se(n->rb_right)->min_vruntime);
	if (sched_fair_policy == SCHED_POLICY_EEVDF && se->min_vruntime != m) {
		pr_err("umm: sched: cpu%d: pid %d min_vruntime %llu, subtree's %llu\n",
		       rq_of(cfs_rq)->cpu, task_of(se)->pid,
		       (unsigned long long)se->min_vruntime, (unsigned long long)m);
		return -EINVAL;
	}
	if (!se->on_rq || se == cfs_rq->curr) {
		pr_err("umm: sched: cpu%d: pid %d in the tree, on_rq %d\n", rq_of(cfs_rq)->cpu,
		       task_of(se)->pid, se->on_rq);
		return -EINVAL;
	}
	*load += se->load.weight;
	*avg += entity_key(cfs_rq, se) * (int64_t)se->load.weight;
	*avg_load += se->load.weight;
	(*count)++;
	return 0;
}

int cfs_rq_check(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	unsigned long load = curr && curr->on_rq ? curr->load.weight : 0;
	unsigned int count = curr && curr->on_rq ? 1 : 0;
	uint64_t avg_load = 0;
	int64_t avg = 0;
	struct rb_node *prev = NULL;

	if (check_subtree(cfs_rq, cfs_rq->tasks_timeline.rb_root.rb_node, &load, &avg,
			  &avg_load, &count))
		return -EINVAL;
	for (struct rb_node *n = rb_first(&cfs_rq->tasks_timeline.rb_root); n; n = rb_next(n)) {
		if (prev && entity_before(__node_2_se(n), __node_2_se(prev))) {
			pr_err("umm: sched: cpu%d: tree out of order\n", rq_of(cfs_rq)->cpu);
			return -EINVAL;
		}
		prev = n;
	}
	if (rb_first(&cfs_rq->tasks_timeline.rb_root) != cfs_rq->tasks_timeline.rb_leftmost) {
		pr_err("umm: sched: cpu%d: leftmost not cached\n", rq_of(cfs_rq)->cpu);
		return -EINVAL;
	}
	if (count != cfs_rq->nr_queued || load != cfs_rq->load.weight) {
		pr_err("umm: sched: cpu%d: nr_queued %u load %lu, counted %u and %lu\n",
		       rq_of(cfs_rq)->cpu, cfs_rq->nr_queued, cfs_rq->load.weight, count, load);
		return -EINVAL;
	}
	if (sched_fair_policy == SCHED_POLICY_EEVDF &&
	    (avg != cfs_rq->avg_vruntime || avg_load != cfs_rq->avg_load)) {
		pr_err("umm: sched: cpu%d: avg_vruntime %lld/%llu, counted %lld/%llu\n",
		       rq_of(cfs_rq)->cpu, (long long)cfs_rq->avg_vruntime,
		       (unsigned long long)cfs_rq->avg_load, (long long)avg,
		       (unsigned long long)avg_load);
		return -EINVAL;
	}
	return 0;
}

void init_cfs_rq(struct cfs_rq *cfs_rq, struct rq *rq)
{
	memset(cfs_rq, 0, sizeof(*cfs_rq));
	cfs_rq->tasks_timeline = RB_ROOT_CACHED;
	cfs_rq->min_vruntime = (uint64_t)(-(1LL << 20));	/* wraps early, as the kernel's */
	cfs_rq->rq = rq;
}

const struct sched_class fair_sched_class = {
	.name = "fair",
	.enqueue_task = enqueue_task_fair,
	.dequeue_task = dequeue_task_fair,
	.yield_task = yield_task_fair,
	.wakeup_preempt = check_preempt_wakeup_fair,
	.pick_task = pick_task_fair,
	.put_prev_task = put_prev_task_fair,
	.set_next_task = set_next_task_fair,
	.select_task_rq = select_task_rq_fair,
	.task_tick = task_tick_fair,
	.task_fork = task_fork_fair,
	.switched_to = switched_to_fair,
	.prio_changed = prio_changed_fair,
	.update_curr = update_curr_fair,
	.next = &idle_sched_class,
};
