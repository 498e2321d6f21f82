// SPDX-License-Identifier: GPL-2.0
/*
 * manage.c - interrupt lines: request_irq()/free_irq() with shared
 * lines, disable_irq()/enable_irq(), the flow that calls the handlers
 * and counts what nobody handled, and /proc/interrupts and
 * /proc/softirqs (kernel/irq/manage.c, handle.c, spurious.c, proc.c,
 * kernel/softirq.c's show, arch/x86/kernel/irq.c's arch lines; Linux
 * 6.18; LKD3 chapter 7).
 *
 * Owns: the irq_desc table (UMM_NR_IRQS lines), each line's action
 * chain, depth, counts and the interrupt held while it was disabled.
 *
 * A raised line: kstat counts it on the CPU; a disabled line (depth > 0)
 * keeps it (IRQS_PENDING) for enable_irq() to replay; otherwise every
 * action runs (__handle_irq_event_percpu()), and note_interrupt() counts
 * the interrupt as unhandled when none said IRQ_HANDLED: after 99,900
 * unhandled of 100,000 the line is disabled with "irq N: nobody cared",
 * as the kernel's spurious-interrupt detector does.  A line with no
 * handler at all is counted (handle_bad_irq()) and unhandled.
 *
 * The lines print as an IO-APIC's edge-triggered ones on x86
 * ("IO-APIC   5-edge      name"); the arch lines are NMI, LOC (the
 * ticks), ERR and MIS.
 *
 * Locking: desc->lock (a spinlock) over the action chain and counts;
 * handlers run with it dropped and desc->in_progress counting them, so
 * that free_irq() and disable_irq() wait for them (synchronize_irq()).
 * From a handler of the same line the kernel would wait for itself:
 * disable_irq() then does not wait, and free_irq() is refused (NULL and
 * a message) rather than free the action its caller is running.
 * A handler that raises a line on another CPU busy with its own
 * interrupt leaves it held there (delivered at that CPU's irq_exit()):
 * waiting could deadlock two CPUs interrupting each other.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <umm/printk.h>
#include <umm/slab.h>
#include <umm/spinlock.h>
#include "../../mm/internal.h"
#include "../time/internal.h"
#include "internal.h"
#include <time.h>
#include <umm/hrtimer.h>
#include <umm/wait.h>
#include <umm/sched.h>

#define SPURIOUS_WINDOW		100000
#define SPURIOUS_LIMIT		99900

struct irqaction {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	unsigned long flags;
	struct irqaction *next;
};

struct irq_desc {
	spinlock_t lock;
	struct irqaction *action;
	unsigned int depth;		/* disable_irq() nesting */
	bool pending;			/* raised while disabled (IRQS_PENDING) */
	unsigned int pending_cpu;
	bool spurious_disabled;
	int in_progress;		/* handlers running now */
	unsigned int irq_count, irqs_unhandled;	/* note_interrupt()'s window */
	unsigned int kstat[UMM_SIM_CPUS_MAX];
	unsigned long events;		/* interrupts delivered: what wait-irq waits for */
	struct wait_queue_head wait;	/* tasks asleep in wait-irq */
	struct sim_device {		/* a device raising the line by itself */
		struct hrtimer timer;
		unsigned int cpu;
		u64 period;
		bool on;
	} dev;
};

static struct irq_desc irq_desc[UMM_NR_IRQS];
static __thread int handling_irq = -1;	/* the line whose handlers this thread runs */

static struct irq_desc *irq_to_desc(unsigned int irq)
{
	return irq < UMM_NR_IRQS ? &irq_desc[irq] : NULL;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action, **p;

	if (!desc || !handler || ((flags & IRQF_SHARED) && !dev_id))
		return -EINVAL;
	if (!umm_ensure_booted())
		return -ENOMEM;
	action = kzalloc(sizeof(*action), GFP_KERNEL);
	if (!action)
		return -ENOMEM;
	action->handler = handler;
	action->dev_id = dev_id;
	action->name = name;
	action->flags = flags;
	spin_lock(&desc->lock);
	/* __setup_irq(): a taken line is shared only if every user agrees */
	if (desc->action && (!(desc->action->flags & flags & IRQF_SHARED))) {
		spin_unlock(&desc->lock);
		kfree(action);
		return -EBUSY;
	}
	for (p = &desc->action; *p; p = &(*p)->next)
		;
	*p = action;
	if (!desc->action->next) {	/* the first handler: the line starts enabled */
		desc->depth = 0;
		desc->spurious_disabled = false;
		desc->irq_count = desc->irqs_unhandled = 0;
	}
	spin_unlock(&desc->lock);
	return 0;
}

/* synchronize_irq(): wait for handlers running in other threads. */
static void synchronize_irq(unsigned int irq, struct irq_desc *desc)
{
	if (handling_irq == (int)irq)
		return;		/* from its own handler: the kernel would deadlock */
	while (__atomic_load_n(&desc->in_progress, __ATOMIC_ACQUIRE))
		sched_yield();
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct irqaction *action = NULL, **p;
	const char *name;

	if (!desc)
		return NULL;
	if (handling_irq == (int)irq) {
		/* the kernel's synchronize_irq() would wait for itself forever */
		pr_err("umm: free_irq(%u) from a handler of that line: refused\n", irq);
		return NULL;
	}
	spin_lock(&desc->lock);
	for (p = &desc->action; *p; p = &(*p)->next)
		if ((*p)->dev_id == dev_id) {
			action = *p;
			*p = action->next;
			break;
		}
	spin_unlock(&desc->lock);
	if (!action) {
		pr_err("umm: Trying to free already-free IRQ %u\n", irq);
		return NULL;
	}
	synchronize_irq(irq, desc);
	name = action->name;
	kfree(action);
	return name;
}

void disable_irq_nosync(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return;
	spin_lock(&desc->lock);
	desc->depth++;
	spin_unlock(&desc->lock);
}

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	if (irq_to_desc(irq))
		synchronize_irq(irq, irq_to_desc(irq));
}

void enable_irq(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	bool resend = false;
	unsigned int cpu = 0;

	if (!desc)
		return;
	spin_lock(&desc->lock);
	if (!desc->depth) {
		spin_unlock(&desc->lock);
		pr_err("umm: Unbalanced enable for IRQ %u\n", irq);
		return;
	}
	if (!--desc->depth && desc->pending) {
		desc->pending = false;
		desc->spurious_disabled = false;
		resend = true;	/* check_irq_resend() */
		cpu = desc->pending_cpu;
	}
	spin_unlock(&desc->lock);
	if (resend)
		umm_raise_irq(irq, cpu);
}

/* note_interrupt(): the spurious-interrupt detector. */
static void note_interrupt(unsigned int irq, struct irq_desc *desc, irqreturn_t ret)
{
	lockdep_assert_held(&desc->lock);
	if (!(ret & IRQ_HANDLED))
		desc->irqs_unhandled++;
	if (++desc->irq_count < SPURIOUS_WINDOW)
		return;
	if (desc->irqs_unhandled > SPURIOUS_LIMIT) {
		pr_err("umm: irq %u: nobody cared (try booting with the \"irqpoll\" option)\n", irq);
		pr_err("umm: Disabling IRQ #%u\n", irq);
		desc->depth++;
		desc->spurious_disabled = true;
	}
	desc->irq_count = 0;
	desc->irqs_unhandled = 0;
}

/* handle_irq() of @irq: called on @cpu, in hard interrupt context. */
static void handle_irq(unsigned int irq, unsigned int cpu)
{
	struct irq_desc *desc = &irq_desc[irq];
	irqreturn_t ret = IRQ_NONE;
	int prev = handling_irq;

	spin_lock(&desc->lock);
	if (desc->depth) {		/* disabled: replayed (and counted) by enable_irq() */
		desc->pending = true;
		desc->pending_cpu = cpu;
		spin_unlock(&desc->lock);
		return;
	}
	desc->kstat[cpu]++;
	sched_trace_event(UMM_EV_IRQ, cpu, (int)irq);
	__atomic_add_fetch(&desc->in_progress, 1, __ATOMIC_ACQ_REL);
	handling_irq = (int)irq;
	/* handlers run without the lock: they may request or free other lines */
	for (struct irqaction *a = desc->action; a; a = a->next) {
		spin_unlock(&desc->lock);
		ret |= a->handler((int)irq, a->dev_id);
		spin_lock(&desc->lock);
	}
	handling_irq = prev;
	__atomic_sub_fetch(&desc->in_progress, 1, __ATOMIC_ACQ_REL);
	note_interrupt(irq, desc, ret);
	__atomic_add_fetch(&desc->events, 1, __ATOMIC_RELEASE);
	spin_unlock(&desc->lock);
	wake_up_all(&desc->wait);	/* the tasks waiting for the device */
}

struct wait_queue_head *irq_wait_queue(unsigned int irq)
{
	return irq < UMM_NR_IRQS ? &irq_desc[irq].wait : NULL;
}

unsigned long irq_events(unsigned int irq)
{
	return irq < UMM_NR_IRQS ? __atomic_load_n(&irq_desc[irq].events, __ATOMIC_ACQUIRE) : 0;
}

/* ---- simulated devices: a line raised on a schedule ---- */

static enum hrtimer_restart sim_device_fire(struct hrtimer *timer)
{
	struct sim_device *dev = container_of(timer, struct sim_device, timer);
	struct irq_desc *desc = container_of(dev, struct irq_desc, dev);

	umm_raise_irq((unsigned int)(desc - irq_desc), dev->cpu);
	if (!dev->period) {
		dev->on = false;
		return HRTIMER_NORESTART;
	}
	hrtimer_forward_now(timer, (ktime_t)dev->period);
	return HRTIMER_RESTART;
}

int umm_irq_device(unsigned int irq, unsigned int cpu, unsigned long long first_ns,
		   unsigned long long period_ns)
{
	struct irq_desc *desc = irq_to_desc(irq);
	struct sim_device *dev;
	int prev;
	bool taken;

	if (!desc || cpu >= umm_sim_nr_cpus())
		return -EINVAL;
	if (!umm_ensure_booted())
		return -ENOMEM;
	dev = &desc->dev;
	hrtimer_cancel(&dev->timer);
	hrtimer_setup(&dev->timer, sim_device_fire, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	dev->cpu = cpu;
	dev->period = period_ns;
	dev->on = true;
	taken = sim_cpu_enter(cpu, &prev);	/* the device's timer lives on its CPU */
	hrtimer_start(&dev->timer, (ktime_t)first_ns, HRTIMER_MODE_REL);
	sim_cpu_leave(cpu, taken, prev);
	return 0;
}

int umm_irq_device_stop(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);

	if (!desc)
		return -EINVAL;
	hrtimer_cancel(&desc->dev.timer);
	desc->dev.on = false;
	return 0;
}

/* Handlers run with the CPU's interrupts off, as the kernel runs them; softirqs after, on. */
void sim_deliver_irq(unsigned int irq, unsigned int cpu)
{
	unsigned long flags;

	irq_enter();
	local_irq_save(flags);
	handle_irq(irq, cpu);
	local_irq_restore(flags);
	irq_exit();
}

int umm_raise_irq(unsigned int irq, unsigned int cpu)
{
	int prev;
	bool taken;

	if (irq >= UMM_NR_IRQS || cpu >= umm_sim_nr_cpus())
		return -EINVAL;
	if (!umm_ensure_booted())
		return -ENOMEM;
	if (sim_cpu_current() >= 0 && sim_cpu_current() != (int)cpu) {
		/* from code on another CPU: deliver if @cpu is free, else it waits there */
		int got = sim_cpu_try_enter(cpu, &prev);

		if (got < 0) {
			sim_hold_irq(irq, cpu);	/* its holder's irq_exit() delivers it */
			return 0;
		}
		taken = got;
	} else {
		taken = sim_cpu_enter(cpu, &prev);
	}
	if (sim_cpu_irqs_off(cpu))
		sim_hold_irq(irq, cpu);	/* the APIC keeps it until they are on */
	else
		sim_deliver_irq(irq, cpu);
	sim_cpu_leave(cpu, taken, prev);
	return 0;
}

unsigned int kstat_irqs_cpu(unsigned int irq, int cpu)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned int n;

	if (!desc || cpu < 0 || cpu >= UMM_SIM_CPUS_MAX)
		return 0;
	spin_lock(&desc->lock);
	n = desc->kstat[cpu];
	spin_unlock(&desc->lock);
	return n;
}

unsigned int umm_irqs_unhandled(unsigned int irq)
{
	struct irq_desc *desc = irq_to_desc(irq);
	unsigned int n;

	if (!desc)
		return 0;
	spin_lock(&desc->lock);
	n = desc->irqs_unhandled;
	spin_unlock(&desc->lock);
	return n;
}

/* ---- /proc/interrupts and /proc/softirqs ---- */

int show_interrupts(struct seq_file *m)
{
	unsigned int cpus = umm_sim_nr_cpus();
	int prec = 3;	/* the kernel's: 3 digits, more past 1000 lines */

	seq_printf(m, "%*s", prec + 8, "");
	for (unsigned int j = 0; j < cpus; j++)
		seq_printf(m, "CPU%-8u", j);
	seq_putc(m, '\n');
	for (unsigned int i = 0; i < UMM_NR_IRQS; i++) {
		struct irq_desc *desc = &irq_desc[i];

		spin_lock(&desc->lock);
		if (desc->action) {
			seq_printf(m, "%*u:", prec, i);
			for (unsigned int j = 0; j < cpus; j++)
				seq_put_decimal_ull_width(m, " ", desc->kstat[j], 10);
			seq_putc(m, ' ');
			seq_printf(m, "%8s", "IO-APIC");
			seq_printf(m, " %*u", prec, i);	/* the hwirq: the same pin */
			seq_printf(m, "-%-8s", "edge");
			seq_printf(m, "  %s", desc->action->name);
			for (struct irqaction *a = desc->action->next; a; a = a->next)
				seq_printf(m, ", %s", a->name);
			seq_putc(m, '\n');
		}
		spin_unlock(&desc->lock);
	}
	/* arch_show_interrupts(), the lines umm has */
	seq_printf(m, "%*s: ", prec, "NMI");
	for (unsigned int j = 0; j < cpus; j++)
		seq_printf(m, "%10u ", 0U);
	seq_puts(m, "  Non-maskable interrupts\n");
	seq_printf(m, "%*s: ", prec, "LOC");
	for (unsigned int j = 0; j < cpus; j++)
		seq_printf(m, "%10u ", sim_local_timer_irqs(j));
	seq_puts(m, "  Local timer interrupts\n");
	seq_printf(m, "%*s: %10u\n", prec, "ERR", 0U);
	seq_printf(m, "%*s: %10u\n", prec, "MIS", 0U);
	return 0;
}

int show_softirqs(struct seq_file *m)
{
	unsigned int cpus = umm_sim_nr_cpus();

	seq_puts(m, "                    ");
	for (unsigned int j = 0; j < cpus; j++)
		seq_printf(m, "CPU%-8u", j);
	seq_putc(m, '\n');
	for (unsigned int i = 0; i < NR_SOFTIRQS; i++) {
		seq_printf(m, "%12s:", softirq_to_name[i]);
		for (unsigned int j = 0; j < cpus; j++)
			seq_printf(m, " %10u", kstat_softirqs_cpu(i, (int)j));
		seq_putc(m, '\n');
	}
	return 0;
}

/* ---- boot ---- */

void irq_init(void)
{
	for (unsigned int i = 0; i < UMM_NR_IRQS; i++) {
		memset(&irq_desc[i], 0, sizeof(irq_desc[i]));
		spin_lock_init(&irq_desc[i].lock);
		init_waitqueue_head(&irq_desc[i].wait);
		hrtimer_setup(&irq_desc[i].dev.timer, sim_device_fire, CLOCK_MONOTONIC,
			      HRTIMER_MODE_ABS);
	}
}

void irq_shutdown(void)
{
	for (unsigned int i = 0; i < UMM_NR_IRQS; i++)
		umm_irq_device_stop(i);
	/* handlers left requested at shutdown: their actions go */
	for (unsigned int i = 0; i < UMM_NR_IRQS; i++)
		while (irq_desc[i].action) {
			struct irqaction *a = irq_desc[i].action;

			irq_desc[i].action = a->next;
			kfree(a);
		}
}
