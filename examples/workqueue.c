/* examples/workqueue.c - an interrupt, its tasklet, and work for kworker/0:0 (LKD3 chapter 8) */
#include <umm.h>
#include <umm/interrupt.h>
#include <umm/workqueue.h>
#include <stdio.h>

static struct tasklet_struct rx;
static struct work_struct refill;

static void do_refill(struct work_struct *work)   /* process context: may sleep */
{
	struct task_struct *me = umm_current();
	(void)work;
	printf("  work: in_task %d, in kernel thread %s (pid %d)\n", in_task(), me->comm, me->pid);
}

static void rx_tasklet(struct tasklet_struct *t)   /* softirq context: may not */
{
	(void)t;
	printf("  tasklet: in_softirq %d, defers the refill\n", in_softirq());
	schedule_work(&refill);
}

static irqreturn_t nic_irq(int irq, void *dev)
{
	(void)dev;
	printf("irq %d: in_irq %d\n", irq, in_irq());
	tasklet_schedule(&rx);
	return IRQ_HANDLED;
}

int main(void)
{
	if (umm_boot(NULL))
		return 1;
	tasklet_setup(&rx, rx_tasklet);
	INIT_WORK(&refill, do_refill);
	request_irq(11, nic_irq, 0, "eth0", &rx);
	umm_irq_device(11, 0, 1000000, 0);          /* the card interrupts once, 1 ms from now */
	umm_sched_run(10000000);                    /* 10 simulated ms */
	printf("kworker/0:0 ran %lu item(s)\n", umm_workqueue_items_run(0));
	free_irq(11, &rx);
	umm_shutdown();
	return 0;
}
