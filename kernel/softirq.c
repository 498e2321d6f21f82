// SPDX-License-Identifier: GPL-2.0
/*
 * softirq.c - the simulated CPUs' interrupt context: preempt_count,
 * the interrupt flag, irq_enter()/irq_exit(), softirqs and tasklets
 * (kernel/softirq.c, Linux 6.18; LKD3 chapter 8, "Bottom Halves").
 *
 * Owns: each simulated CPU's state (struct sim_cpu): preempt_count, the
 * interrupt flag and the lines held while it is off, the pending
 * softirqs and their counts, the tasklet lists, the local timer
 * interrupt count; and which CPU the calling thread runs on.
 *
 * Code "runs on" simulated CPU c while its thread holds c's run_lock
 * (sim_cpu_enter()): the tick, a raised line, the softirqs after them.
 * A thread on no CPU (the API's caller) has a context of its own: its
 * local_irq_save() and local_bh_disable() touch only itself, and what
 * it queues (raise_softirq(), tasklet_schedule()) goes to CPU 0, to run
 * at CPU 0's next irq_exit(), where the kernel's ksoftirqd would run it
 * soon after.
 *
 * __do_softirq() as the kernel's: the pending mask is taken and
 * cleared, interrupts are on while each softirq's action runs, and the
 * loop restarts while new ones are raised, at most MAX_SOFTIRQ_RESTART
 * (10) times; what is still pending then waits for the next irq_exit()
 * (the kernel hands it to ksoftirqd; umm has no scheduler yet).
 *
 * Where umm differs, and why: tasklet_kill() of a tasklet that is
 * queued but not running takes it off its list instead of waiting for
 * it to run, since the thread that would wait is usually the one that
 * runs the simulation; one whose callback runs in another thread is
 * waited for; from its own callback it is -EDEADLK.
 *
 * Locking: a CPU's run_lock (a mutex, held while code runs on the CPU),
 * then its lock (a spinlock over its pending mask, held lines and
 * tasklet lists, which other threads queue to).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <umm/interrupt.h>
#include <umm/printk.h>
#include <umm/sched.h>
#include <umm/spinlock.h>
#include "time/internal.h"
#include "irq/internal.h"
#include "sched/sched.h"

#define MAX_SOFTIRQ_RESTART	10

const char *const softirq_to_name[NR_SOFTIRQS] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED",
	"HRTIMER", "RCU",
};

struct sim_cpu {
	pthread_mutex_t run_lock;	/* held by the thread running on this CPU */
	spinlock_t lock;
	unsigned long preempt_count;
	bool irqs_off;
	unsigned long softirq_pending;
	unsigned int softirq_counts[NR_SOFTIRQS];
	unsigned long held_irqs[UMM_NR_IRQS / (8 * sizeof(long))];	/* raised with irqs off */
	struct tasklet_struct *tasklets, **tasklets_tail;
	struct tasklet_struct *tasklets_hi, **tasklets_hi_tail;
	unsigned int local_timer_irqs;	/* LOC */
};

static struct sim_cpu sim_cpus[UMM_SIM_CPUS_MAX];
static unsigned int nr_cpus;
static struct softirq_action softirq_vec[NR_SOFTIRQS];

/* The tasklet whose callback this thread runs, for tasklet_kill(). */
static __thread struct tasklet_struct *current_tasklet;
/* The CPU this thread runs on (-1: none), and a CPU-less thread's own context. */
static __thread int this_cpu = -1;
static __thread unsigned long task_preempt_count;
static __thread bool task_irqs_off;

static struct sim_cpu *cpu_state(unsigned int cpu)
{
	return &sim_cpus[cpu];
}

unsigned int umm_sim_this_cpu(void)
{
	return this_cpu < 0 ? 0 : (unsigned int)this_cpu;
}

int sim_cpu_current(void)
{
	return this_cpu;
}

/* Run on @cpu: true if this call took it (sim_cpu_leave() then gives it back). */
bool sim_cpu_enter(unsigned int cpu, int *prev)
{
	*prev = this_cpu;
	if (this_cpu == (int)cpu)
		return false;	/* already on it: a nested interrupt */
	pthread_mutex_lock(&cpu_state(cpu)->run_lock);
	this_cpu = (int)cpu;
	return true;
}

/*
 * From code already on another CPU: take @cpu only if it is free (two
 * CPUs interrupting each other would otherwise wait for each other, an
 * AB-BA deadlock the hardware never has).  -1: busy; else as sim_cpu_enter().
 */
int sim_cpu_try_enter(unsigned int cpu, int *prev)
{
	*prev = this_cpu;
	if (this_cpu == (int)cpu)
		return 0;
	if (pthread_mutex_trylock(&cpu_state(cpu)->run_lock))
		return -1;
	this_cpu = (int)cpu;
	return 1;
}

void sim_cpu_leave(unsigned int cpu, bool taken, int prev)
{
	if (!taken)
		return;
	this_cpu = prev;
	pthread_mutex_unlock(&cpu_state(cpu)->run_lock);
}

unsigned long preempt_count(void)
{
	return this_cpu < 0 ? task_preempt_count : cpu_state((unsigned int)this_cpu)->preempt_count;
}

static unsigned long *preempt_count_ptr(void)
{
	return this_cpu < 0 ? &task_preempt_count : &cpu_state((unsigned int)this_cpu)->preempt_count;
}

static bool *irqs_off_ptr(void)
{
	return this_cpu < 0 ? &task_irqs_off : &cpu_state((unsigned int)this_cpu)->irqs_off;
}

/* ---- the interrupt flag ---- */

unsigned long arch_local_irq_save(void)
{
	bool *off = irqs_off_ptr();
	unsigned long was = *off;

	*off = true;
	return was;
}

bool irqs_disabled(void)
{
	return *irqs_off_ptr();
}

/* Lines raised while this CPU had interrupts off, now delivered (the APIC's IRR). */
static void deliver_held_irqs(unsigned int cpu)
{
	struct sim_cpu *c = cpu_state(cpu);

	for (unsigned int irq = 0; irq < UMM_NR_IRQS; irq++) {
		unsigned long bit = 1UL << (irq % (8 * sizeof(long)));
		unsigned long *word = &c->held_irqs[irq / (8 * sizeof(long))];
		bool held;

		spin_lock(&c->lock);
		held = *word & bit;
		*word &= ~bit;
		spin_unlock(&c->lock);
		if (held)
			sim_deliver_irq(irq, cpu);
		if (c->irqs_off)	/* a handler turned them off again: the rest wait */
			return;
	}
}

void arch_local_irq_restore(unsigned long flags)
{
	bool *off = irqs_off_ptr();

	*off = flags;
	if (!flags && this_cpu >= 0 && !in_irq())
		deliver_held_irqs((unsigned int)this_cpu);
}

void sim_hold_irq(unsigned int irq, unsigned int cpu)
{
	struct sim_cpu *c = cpu_state(cpu);

	spin_lock(&c->lock);
	c->held_irqs[irq / (8 * sizeof(long))] |= 1UL << (irq % (8 * sizeof(long)));
	spin_unlock(&c->lock);
}

bool sim_cpu_irqs_off(unsigned int cpu)
{
	return cpu_state(cpu)->irqs_off || (cpu_state(cpu)->preempt_count & HARDIRQ_MASK);
}

/* ---- softirqs ---- */

int open_softirq(int nr, void (*action)(void))
{
	if (nr < 0 || nr >= NR_SOFTIRQS || !action || nr == HI_SOFTIRQ ||
	    nr == TIMER_SOFTIRQ || nr == TASKLET_SOFTIRQ)
		return -EINVAL;
	__atomic_store_n(&softirq_vec[nr].action, action, __ATOMIC_RELEASE);
	return 0;
}

static unsigned int queue_cpu(void)
{
	return this_cpu < 0 ? 0 : (unsigned int)this_cpu;
}

static void raise_softirq_on(unsigned int nr, unsigned int cpu)
{
	struct sim_cpu *c = cpu_state(cpu);

	spin_lock(&c->lock);
	c->softirq_pending |= 1UL << nr;
	spin_unlock(&c->lock);
}

void raise_softirq(unsigned int nr)
{
	if (nr < NR_SOFTIRQS)
		raise_softirq_on(nr, queue_cpu());
}

unsigned int kstat_softirqs_cpu(unsigned int nr, int cpu)
{
	if (nr >= NR_SOFTIRQS || cpu < 0 || (unsigned int)cpu >= nr_cpus)
		return 0;
	return __atomic_load_n(&cpu_state((unsigned int)cpu)->softirq_counts[nr], __ATOMIC_RELAXED);
}

static unsigned long take_pending(struct sim_cpu *c)
{
	unsigned long pending;

	spin_lock(&c->lock);
	pending = c->softirq_pending;
	c->softirq_pending = 0;
	spin_unlock(&c->lock);
	return pending;
}

/* __do_softirq() on the current CPU: interrupts on while the actions run. */
static void __do_softirq(unsigned int cpu)
{
	struct sim_cpu *c = cpu_state(cpu);
	int restart = MAX_SOFTIRQ_RESTART;
	unsigned long pending;

	c->preempt_count += SOFTIRQ_OFFSET;
	while ((pending = take_pending(c))) {
		for (unsigned int nr = 0; pending; nr++, pending >>= 1) {
			void (*action)(void);

			if (!(pending & 1))
				continue;
			__atomic_add_fetch(&c->softirq_counts[nr], 1, __ATOMIC_RELAXED);
			sched_trace_event(UMM_EV_SOFTIRQ, cpu, (int)nr);
			action = __atomic_load_n(&softirq_vec[nr].action, __ATOMIC_ACQUIRE);
			if (action)
				action();
		}
		if (!--restart) {
			/* still raised: ksoftirqd/N takes the rest in process context */
			if (c->softirq_pending)
				percpu_kthread_wake(KT_KSOFTIRQD, (int)cpu);
			break;
		}
	}
	c->preempt_count -= SOFTIRQ_OFFSET;
}

static bool softirq_pending(unsigned int cpu);

/* ksoftirqd/N's loop body (run_ksoftirqd()): a round of @cpu's softirqs, if any. */
bool ksoftirqd_run(unsigned int cpu)
{
	unsigned long flags;

	if (!softirq_pending(cpu))
		return false;
	local_irq_save(flags);
	__do_softirq(cpu);
	local_irq_restore(flags);
	return true;
}

static bool softirq_pending(unsigned int cpu)
{
	return __atomic_load_n(&cpu_state(cpu)->softirq_pending, __ATOMIC_RELAXED) != 0;
}

bool softirqs_pending_any(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		struct sim_cpu *c = cpu_state(cpu);
		bool held = false;

		if (softirq_pending(cpu))
			return true;
		spin_lock(&c->lock);
		for (size_t w = 0; w < sizeof(c->held_irqs) / sizeof(c->held_irqs[0]); w++)
			held |= c->held_irqs[w] != 0;
		spin_unlock(&c->lock);
		if (held)
			return true;
	}
	return false;
}

void irq_enter(void)
{
	*preempt_count_ptr() += HARDIRQ_OFFSET;
}

/* The end of an interrupt: softirqs run, unless this interrupted interrupt context. */
void irq_exit(void)
{
	*preempt_count_ptr() -= HARDIRQ_OFFSET;
	if (this_cpu < 0 || in_interrupt())
		return;
	if (softirq_pending((unsigned int)this_cpu))
		__do_softirq((unsigned int)this_cpu);
	/* back from the interrupt with interrupts on: what waited comes in */
	if (!cpu_state((unsigned int)this_cpu)->irqs_off)
		deliver_held_irqs((unsigned int)this_cpu);
}

void local_bh_disable(void)
{
	*preempt_count_ptr() += SOFTIRQ_DISABLE_OFFSET;
}

void local_bh_enable(void)
{
	*preempt_count_ptr() -= SOFTIRQ_DISABLE_OFFSET;
	if (this_cpu >= 0 && !in_interrupt() && softirq_pending((unsigned int)this_cpu))
		__do_softirq((unsigned int)this_cpu);
}

/*
 * The tick's interrupt on @cpu: LOC, then update_process_times(): the
 * scheduler's tick (accounting, preemption, balancing), and the timers'
 * check (it may raise TIMER_SOFTIRQ).
 */
void sim_tick_cpu(unsigned int cpu)
{
	int prev;
	bool taken = sim_cpu_enter(cpu, &prev);

	irq_enter();
	__atomic_add_fetch(&cpu_state(cpu)->local_timer_irqs, 1, __ATOMIC_RELAXED);
	sched_tick(cpu);
	if (timers_due(cpu))
		raise_softirq_on(TIMER_SOFTIRQ, cpu);
	irq_exit();
	sim_cpu_leave(cpu, taken, prev);
}

/* hrtimer_interrupt() on @cpu: the local timer's interrupt, LOC, the expired hrtimers. */
void sim_hrtimer_irq(unsigned int cpu, u64 now, void (*run)(unsigned int cpu, u64 now))
{
	int prev;
	bool taken = sim_cpu_enter(cpu, &prev);

	irq_enter();
	__atomic_add_fetch(&cpu_state(cpu)->local_timer_irqs, 1, __ATOMIC_RELAXED);
	run(cpu, now);
	irq_exit();
	sim_cpu_leave(cpu, taken, prev);
}

unsigned int sim_local_timer_irqs(unsigned int cpu)
{
	return __atomic_load_n(&cpu_state(cpu)->local_timer_irqs, __ATOMIC_RELAXED);
}

static void run_timer_softirq(void)
{
	if (this_cpu >= 0)
		run_timer_base((unsigned int)this_cpu);
}

/* ---- tasklets ---- */

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	memset(t, 0, sizeof(*t));
	t->use_callback = true;
	t->callback = callback;
}

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	memset(t, 0, sizeof(*t));
	t->func = func;
	t->data = data;
}

static bool tasklet_test_and_set(struct tasklet_struct *t, int bit)
{
	return __atomic_fetch_or(&t->state, 1UL << bit, __ATOMIC_ACQ_REL) & (1UL << bit);
}

static void tasklet_clear(struct tasklet_struct *t, int bit)
{
	__atomic_fetch_and(&t->state, ~(1UL << bit), __ATOMIC_RELEASE);
}

static bool tasklet_test(struct tasklet_struct *t, int bit)
{
	return __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) & (1UL << bit);
}

static void tasklet_queue(struct tasklet_struct *t, unsigned int cpu, bool hi)
{
	struct sim_cpu *c = cpu_state(cpu);

	spin_lock(&c->lock);
	t->next = NULL;
	if (hi) {
		*c->tasklets_hi_tail = t;
		c->tasklets_hi_tail = &t->next;
		c->softirq_pending |= 1UL << HI_SOFTIRQ;
	} else {
		*c->tasklets_tail = t;
		c->tasklets_tail = &t->next;
		c->softirq_pending |= 1UL << TASKLET_SOFTIRQ;
	}
	spin_unlock(&c->lock);
}

void tasklet_schedule(struct tasklet_struct *t)
{
	if (!tasklet_test_and_set(t, TASKLET_STATE_SCHED))
		tasklet_queue(t, queue_cpu(), false);
}

void tasklet_hi_schedule(struct tasklet_struct *t)
{
	if (!tasklet_test_and_set(t, TASKLET_STATE_SCHED))
		tasklet_queue(t, queue_cpu(), true);
}

void tasklet_disable(struct tasklet_struct *t)
{
	__atomic_add_fetch(&t->count, 1, __ATOMIC_ACQ_REL);
	/* tasklet_unlock_wait(): not while it runs elsewhere */
	while (tasklet_test(t, TASKLET_STATE_RUN) && this_cpu < 0)
		sched_yield();
}

void tasklet_enable(struct tasklet_struct *t)
{
	__atomic_sub_fetch(&t->count, 1, __ATOMIC_ACQ_REL);
}

/* tasklet_action_common(): run this CPU's list; busy or disabled ones go back on it. */
static void tasklet_action_common(bool hi)
{
	unsigned int cpu = (unsigned int)this_cpu;
	struct sim_cpu *c;
	struct tasklet_struct *list;

	if (this_cpu < 0 || cpu >= nr_cpus)	/* softirqs run on a CPU */
		return;
	c = cpu_state(cpu);

	spin_lock(&c->lock);
	if (hi) {
		list = c->tasklets_hi;
		c->tasklets_hi = NULL;
		c->tasklets_hi_tail = &c->tasklets_hi;
	} else {
		list = c->tasklets;
		c->tasklets = NULL;
		c->tasklets_tail = &c->tasklets;
	}
	spin_unlock(&c->lock);
	while (list) {
		struct tasklet_struct *t = list;

		list = list->next;
		if (!tasklet_test_and_set(t, TASKLET_STATE_RUN)) {
			if (!__atomic_load_n(&t->count, __ATOMIC_ACQUIRE)) {
				tasklet_clear(t, TASKLET_STATE_SCHED);
				current_tasklet = t;
				if (t->use_callback)
					t->callback(t);
				else
					t->func(t->data);
				current_tasklet = NULL;
				tasklet_clear(t, TASKLET_STATE_RUN);	/* @t may be freed now */
				continue;
			}
			tasklet_clear(t, TASKLET_STATE_RUN);
		}
		tasklet_queue(t, cpu, hi);	/* disabled, or running on another CPU */
	}
}

static void tasklet_action(void)
{
	tasklet_action_common(false);
}

static void tasklet_hi_action(void)
{
	tasklet_action_common(true);
}

/* Take @t off @cpu's lists if it is there; true if it was. */
static bool tasklet_unqueue(struct tasklet_struct *t, unsigned int cpu)
{
	struct sim_cpu *c = cpu_state(cpu);
	struct tasklet_struct **heads[2] = { &c->tasklets, &c->tasklets_hi };
	struct tasklet_struct ***tails[2] = { &c->tasklets_tail, &c->tasklets_hi_tail };
	bool found = false;

	spin_lock(&c->lock);
	for (int h = 0; h < 2 && !found; h++)
		for (struct tasklet_struct **pp = heads[h]; *pp; pp = &(*pp)->next)
			if (*pp == t) {
				*pp = t->next;
				if (*tails[h] == &t->next)
					*tails[h] = pp;
				found = true;
				break;
			}
	spin_unlock(&c->lock);
	return found;
}

int tasklet_kill(struct tasklet_struct *t)
{
	if (t == current_tasklet)
		return -EDEADLK;	/* from its own callback: it would wait for itself */
	for (;;) {
		bool queued = false;

		if (!tasklet_test(t, TASKLET_STATE_RUN)) {
			if (!tasklet_test(t, TASKLET_STATE_SCHED))
				return 0;
			for (unsigned int cpu = 0; cpu < nr_cpus && !queued; cpu++)
				queued = tasklet_unqueue(t, cpu);
			if (queued) {
				tasklet_clear(t, TASKLET_STATE_SCHED);
				return 0;
			}
		}
		/* running elsewhere, or on a list an action took: it moves on */
		sched_yield();
	}
}

/* ---- boot ---- */

void softirq_init(unsigned int cpus)
{
	nr_cpus = cpus;
	memset(softirq_vec, 0, sizeof(softirq_vec));
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++) {
		struct sim_cpu *c = cpu_state(cpu);

		memset(c, 0, sizeof(*c));
		pthread_mutex_init(&c->run_lock, NULL);
		spin_lock_init(&c->lock);
		c->tasklets_tail = &c->tasklets;
		c->tasklets_hi_tail = &c->tasklets_hi;
	}
	softirq_vec[TIMER_SOFTIRQ].action = run_timer_softirq;
	softirq_vec[TASKLET_SOFTIRQ].action = tasklet_action;
	softirq_vec[HI_SOFTIRQ].action = tasklet_hi_action;
}

void softirq_shutdown(void)
{
	for (unsigned int cpu = 0; cpu < nr_cpus; cpu++)
		pthread_mutex_destroy(&cpu_state(cpu)->run_lock);
	nr_cpus = 0;
}
