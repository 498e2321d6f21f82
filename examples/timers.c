/* examples/timers.c - a periodic kernel timer on the simulated clock (LKD3 chapter 11) */
#include <umm.h>
#include <umm/timer.h>
#include <umm/timekeeping.h>
#include <stdio.h>

struct heartbeat {
	struct timer_list timer;
	int beats;
};

static void beat(struct timer_list *t)
{
	struct heartbeat *hb = from_timer(hb, t, timer);

	printf("beat %d at jiffies %lu (%llu ms)\n", ++hb->beats, jiffies,
	       (unsigned long long)ktime_get_ns() / 1000000);
	if (hb->beats < 3)
		mod_timer(&hb->timer, jiffies + msecs_to_jiffies(100));  /* again in 100 ms */
}

int main(void)
{
	if (umm_boot("umm.hz=250"))
		return 1;
	struct heartbeat hb = { .beats = 0 };
	timer_setup(&hb.timer, beat, 0);
	mod_timer(&hb.timer, jiffies + HZ);                        /* in one second */
	umm_sched_run(2ULL * 1000000000);                          /* two simulated seconds */
	del_timer_sync(&hb.timer);
	umm_shutdown();
	return 0;
}
