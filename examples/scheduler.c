/* examples/scheduler.c - nice values, an interactive task and EEVDF's shares (LKD3 chapter 4) */
#include <umm.h>
#include <stdio.h>

static struct task_struct *spawn(const char *program, long nice)
{
	struct task_struct *t = umm_find_task((pid_t)umm_clone(umm_init_task(), SIGCHLD));
	cpu_set_t cpu0;
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	umm_sched_setaffinity(t, &cpu0);            /* all on CPU 0: they compete */
	umm_set_user_nice(t, nice);
	umm_task_program(t, program);
	return t;
}

int main(void)
{
	if (umm_boot("umm.sched=eevdf"))
		return 1;
	struct task_struct *a = spawn("loop { run 50ms }", 0);
	struct task_struct *b = spawn("loop { run 50ms }", 5);
	struct task_struct *i = spawn("loop { sleep 10ms; run 1ms }", 0);   /* interactive */
	umm_sched_run(2000000000ULL);                /* two simulated seconds */
	struct task_struct *all[] = { a, b, i };
	for (int k = 0; k < 3; k++) {
		char buf[128];
		unsigned long long run, wait, slices;
		umm_task_show(all[k], "schedstat", buf, sizeof(buf));
		sscanf(buf, "%llu %llu %llu", &run, &wait, &slices);
		printf("pid %d: ran %4llu ms in %4llu slices, waited %3llu us a slice\n",
		       all[k]->pid, run / 1000000, slices, wait / 1000 / slices);
	}
	umm_shutdown();
	return 0;
}
