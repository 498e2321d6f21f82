/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel/irq/internal.h - what the interrupt files share
 * (kernel/irq/internals.h's role).  Nothing here is API.
 */
#ifndef _UMM_KERNEL_IRQ_INTERNAL_H
#define _UMM_KERNEL_IRQ_INTERNAL_H

#include <stdbool.h>
#include <umm/interrupt.h>

struct seq_file;

/* ---- kernel/softirq.c: the simulated CPUs' context ---- */
void softirq_init(unsigned int nr_cpus);
void softirq_shutdown(void);
/* The CPU this thread runs on, or -1. */
int sim_cpu_current(void);
/* Run on @cpu (its run_lock); true if taken, then sim_cpu_leave() with @prev. */
bool sim_cpu_enter(unsigned int cpu, int *prev);
void sim_cpu_leave(unsigned int cpu, bool taken, int prev);
/* From another CPU: 1 taken, 0 already on it, -1 busy (never waits). */
int sim_cpu_try_enter(unsigned int cpu, int *prev);
/* Some CPU has softirqs or held lines waiting (for the tick's irq_exit()). */
bool softirqs_pending_any(void);
void irq_enter(void);
void irq_exit(void);
/* The tick's interrupt on @cpu. */
void sim_tick_cpu(unsigned int cpu);
unsigned int sim_local_timer_irqs(unsigned int cpu);
/* wait-irq: the line's wait queue and its delivered-interrupt count */
struct wait_queue_head *irq_wait_queue(unsigned int irq);
unsigned long irq_events(unsigned int irq);
/* An hrtimer's interrupt on @cpu (LOC): @run(cpu, now) in hard-irq context. */
void sim_hrtimer_irq(unsigned int cpu, u64 now, void (*run)(unsigned int cpu, u64 now));
/* @cpu cannot take an interrupt now (its flag is off, or it is in one). */
bool sim_cpu_irqs_off(unsigned int cpu);
/* Keep @irq for @cpu until its interrupts are back on. */
void sim_hold_irq(unsigned int irq, unsigned int cpu);

/* ---- kernel/irq/manage.c ---- */
void irq_init(void);
void irq_shutdown(void);
/* handle_irq() of @irq on @cpu, the caller running on @cpu with interrupts on */
void sim_deliver_irq(unsigned int irq, unsigned int cpu);
int show_interrupts(struct seq_file *m);
int show_softirqs(struct seq_file *m);

/* ---- kernel/time/timer.c, for the tick and the timer softirq ---- */
bool timers_due(unsigned int cpu);
void run_timer_base(unsigned int cpu);

#endif /* _UMM_KERNEL_IRQ_INTERNAL_H */
