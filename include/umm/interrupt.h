/* SPDX-License-Identifier: GPL-2.0 */
/*
 * interrupt.h - interrupt lines and their handlers, softirqs and
 * tasklets on the simulated CPUs (include/linux/interrupt.h,
 * irqflags.h, preempt.h; LKD3 chapters 7 and 8).
 *
 * A simulated device raises a line with umm_raise_irq(): the line's
 * handlers run at once on the CPU it names, in hard interrupt context
 * (in_irq()), every handler of a shared line in the order they were
 * requested; then irq_exit() runs the softirqs raised meanwhile
 * (in_softirq()), tasklets among them.  The tick is an interrupt too:
 * it runs the timer softirq when a timer is due.
 *
 * local_irq_save()/local_irq_restore() act on the current simulated
 * CPU (CPU 0 outside handlers): a line raised on a CPU whose interrupts
 * are off waits until they are back on, as the local APIC holds it.
 * The tick does not wait (it is the simulation's clock).
 */
#ifndef _UMM_INTERRUPT_H
#define _UMM_INTERRUPT_H

#include "compiler.h"

UMM_BEGIN_DECLS

#define UMM_NR_IRQS	64	/* the simulated machine's lines */

typedef enum irqreturn {
	IRQ_NONE = 0,		/* not my device */
	IRQ_HANDLED = 1,
	IRQ_WAKE_THREAD = 2,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED		0x00000080
#define IRQF_PROBE_SHARED	0x00000100
#define IRQF_TIMER		0x00000200
#define IRQF_NO_THREAD		0x00010000

/*
 * 0, or -EINVAL (no handler, a line beyond UMM_NR_IRQS, IRQF_SHARED
 * without a dev_id), -EBUSY (the line is taken and not both sharing),
 * -ENOMEM.
 */
UMM_API int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
			const char *name, void *dev_id);
/* The handler's name, or NULL (and a message) if (irq, dev_id) has none. */
UMM_API const void *free_irq(unsigned int irq, void *dev_id);
/* Nesting: each disable_irq() needs an enable_irq(). */
UMM_API void disable_irq(unsigned int irq);
UMM_API void disable_irq_nosync(unsigned int irq);
UMM_API void enable_irq(unsigned int irq);

/*
 * A simulated device raises line @irq to CPU @cpu: 0, or -EINVAL.
 * While the line is disabled the interrupt is held and replayed by
 * enable_irq() (the kernel's IRQS_PENDING resend).
 */
UMM_API int umm_raise_irq(unsigned int irq, unsigned int cpu);
/*
 * A simulated device on line @irq: it raises the line on @cpu
 * @first_ns from now, then every @period_ns (0: once), on the simulated
 * clock.  umm_irq_device_stop() unplugs it.  0 or -EINVAL.
 */
UMM_API int umm_irq_device(unsigned int irq, unsigned int cpu, unsigned long long first_ns,
			   unsigned long long period_ns);
UMM_API int umm_irq_device_stop(unsigned int irq);
/* Interrupts of @irq on @cpu so far (kstat_irqs_cpu()); unhandled ones (irqs_unhandled). */
UMM_API unsigned int kstat_irqs_cpu(unsigned int irq, int cpu);
UMM_API unsigned int umm_irqs_unhandled(unsigned int irq);

/* ---- the current simulated CPU's interrupt flag ---- */
UMM_API unsigned long arch_local_irq_save(void);
UMM_API void arch_local_irq_restore(unsigned long flags);
UMM_API bool irqs_disabled(void);
#define local_irq_save(flags)	do { (flags) = arch_local_irq_save(); } while (0)
#define local_irq_restore(flags) arch_local_irq_restore(flags)
#define local_irq_disable()	((void)arch_local_irq_save())
#define local_irq_enable()	arch_local_irq_restore(0)
/* The simulated CPU this code runs on (smp_processor_id() of the simulation). */
UMM_API unsigned int umm_sim_this_cpu(void);

/* ---- context: preempt_count's bits, as the kernel lays them out ---- */
#define SOFTIRQ_OFFSET		(1UL << 8)
#define HARDIRQ_OFFSET		(1UL << 16)
#define SOFTIRQ_MASK		(0xffUL << 8)
#define HARDIRQ_MASK		(0xfUL << 16)
#define SOFTIRQ_DISABLE_OFFSET	(2 * SOFTIRQ_OFFSET)
UMM_API unsigned long preempt_count(void);
#define in_irq()		(!!(preempt_count() & HARDIRQ_MASK))
#define in_hardirq()		in_irq()
#define in_softirq()		(!!(preempt_count() & SOFTIRQ_MASK))
#define in_serving_softirq()	(!!(preempt_count() & SOFTIRQ_OFFSET))
#define in_interrupt()		(!!(preempt_count() & (HARDIRQ_MASK | SOFTIRQ_MASK)))
#define in_task()		(!in_interrupt())

/* ---- softirqs ---- */
enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};
UMM_API extern const char *const softirq_to_name[NR_SOFTIRQS];

struct softirq_action {
	void (*action)(void);
};
/* 0, or -EINVAL for a number out of range or one the kernel itself owns (HI, TIMER, TASKLET) */
UMM_API int open_softirq(int nr, void (*action)(void));
/* Mark @nr pending on the current CPU; it runs at the next irq_exit() or local_bh_enable(). */
UMM_API void raise_softirq(unsigned int nr);
UMM_API unsigned int kstat_softirqs_cpu(unsigned int nr, int cpu);
UMM_API void local_bh_disable(void);
UMM_API void local_bh_enable(void);

/* ---- tasklets: softirq work that runs on one CPU at a time ---- */
struct tasklet_struct {
	struct tasklet_struct *next;
	unsigned long state;		/* TASKLET_STATE_SCHED, TASKLET_STATE_RUN */
	int count;			/* > 0: disabled */
	bool use_callback;
	union {
		void (*func)(unsigned long data);
		void (*callback)(struct tasklet_struct *t);
	};
	unsigned long data;
};
enum { TASKLET_STATE_SCHED, TASKLET_STATE_RUN };

UMM_API void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *));
UMM_API void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long),
			  unsigned long data);
/* Queue on the current CPU unless already queued (TASKLET_STATE_SCHED). */
UMM_API void tasklet_schedule(struct tasklet_struct *t);
UMM_API void tasklet_hi_schedule(struct tasklet_struct *t);
UMM_API void tasklet_disable(struct tasklet_struct *t);
UMM_API void tasklet_enable(struct tasklet_struct *t);
/* Wait until @t is neither queued nor running; -EDEADLK from its own callback. */
UMM_API int tasklet_kill(struct tasklet_struct *t);
#define from_tasklet(var, callback_tasklet, tasklet_fieldname)		\
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

UMM_END_DECLS

#endif /* _UMM_INTERRUPT_H */
