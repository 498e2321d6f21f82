/* examples/interrupts.c - a shared interrupt line, its top half and its tasklet (LKD3 chapters 7 and 8) */
#include <umm.h>
#include <umm/interrupt.h>
#include <stdio.h>

struct nic {
	const char *name;
	int packets;
	struct tasklet_struct rx;   /* the bottom half */
};

static void nic_rx(struct tasklet_struct *t)
{
	struct nic *nic = from_tasklet(nic, t, rx);
	printf("%s: tasklet, in_softirq %d: %d packet(s)\n", nic->name, in_softirq(), nic->packets);
	nic->packets = 0;
}

static irqreturn_t nic_interrupt(int irq, void *dev_id)
{
	struct nic *nic = dev_id;
	if (nic->name[3] != '0')        /* only eth0's card raised it: eth1 says IRQ_NONE */
		return IRQ_NONE;
	nic->packets++;
	printf("%s: irq %d, in_irq %d\n", nic->name, irq, in_irq());
	tasklet_schedule(&nic->rx);
	return IRQ_HANDLED;
}

int main(void)
{
	if (umm_boot(NULL))
		return 1;
	struct nic eth0 = { .name = "eth0" }, eth1 = { .name = "eth1" };
	tasklet_setup(&eth0.rx, nic_rx);
	tasklet_setup(&eth1.rx, nic_rx);
	request_irq(11, nic_interrupt, IRQF_SHARED, "eth0", &eth0);
	request_irq(11, nic_interrupt, IRQF_SHARED, "eth1", &eth1);
	umm_raise_irq(11, 1);                       /* the card interrupts CPU 1 */
	char buf[2048];
	umm_proc_read("/proc/interrupts", buf, sizeof(buf));
	fputs(buf, stdout);
	free_irq(11, &eth1);
	free_irq(11, &eth0);
	umm_shutdown();
	return 0;
}
