// SPDX-License-Identifier: GPL-2.0
/*
 * stress_task.c - random fork, clone (threads, CLONE_VM, CLONE_PARENT,
 * vfork, clone children), kernel threads, exit, exit_group, wait4 and
 * /proc/PID reads from several threads at once, on tasks picked by pid
 * (umm_get_task(), so that a task reaped meanwhile stays readable).
 * umm_task_check() runs between batches and at the end, when every task
 * but init and kthreadd has exited and init has reaped them: no pid is
 * left above 2.  Under a watchdog; prints its seed.
 *
 *	stress_task [seed] [steps per thread]
 */
#include <errno.h>
#include <pthread.h>
#include "mm/internal.h"
#include "kernel/internal.h"
#include "tests/test.h"
#include <umm/sched.h>

#define NTHREADS	4

static long pid_hi = 8;		/* pids are picked at random up to here */

static unsigned long long seed = 1;
static long steps = 3000;
static int failures;
static long nr_clones, nr_exits, nr_reaped, nr_execs;	/* what the run did */

#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
static const unsigned long clone_flags[] = {
	SIGCHLD, SIGCHLD, SIGCHLD, THREAD_FLAGS, THREAD_FLAGS, CLONE_VM | SIGCHLD,
	CLONE_PARENT | SIGCHLD, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, CLONE_FILES | SIGUSR1,
};

static unsigned long next_rand(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (unsigned long)(*s >> 11);
}

static void fail(const char *what, long got)
{
	fprintf(stderr, "seed %llu: %s (%ld)\n", seed, what, got);
	__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
}

/* Has @t an mm (no kernel thread, no zombie)?  Read under tasklist_lock. */
static bool task_has_mm(struct task_struct *t)
{
	struct mm_struct *mm = get_task_mm(t);

	if (mm)
		mmput(mm);
	return mm != NULL;
}

static void one_step(struct task_struct *t, unsigned long r)
{
	static const char *const files[] = { "stat", "status", "statm", "maps", "cmdline" };
	char buf[4096];
	long ret;
	int st;

	switch (r % 13) {
	case 0: case 1: case 2: case 3:
		ret = umm_clone(t, clone_flags[(r >> 8) % ARRAY_SIZE(clone_flags)]);
		if (ret < 0 && ret != -ESRCH && ret != -EBUSY && ret != -EINVAL &&
		    ret != -EINTR && ret != -EAGAIN)
			fail("clone", ret);
		for (long hi = __atomic_load_n(&pid_hi, __ATOMIC_RELAXED); ret > hi;)
			if (__atomic_compare_exchange_n(&pid_hi, &hi, ret, false, __ATOMIC_RELAXED,
							__ATOMIC_RELAXED))
				break;
		if (ret > 0)
			__atomic_add_fetch(&nr_clones, 1, __ATOMIC_RELAXED);
		break;
	case 4: case 5:
		if (t->tgid > 2) {	/* init and kthreadd refuse, with a line */
			umm_exit(t, (int)(r >> 8));
			__atomic_add_fetch(&nr_exits, 1, __ATOMIC_RELAXED);
		}
		break;
	case 6:
		if (t->tgid > 2)
			umm_exit_group(t, (int)(r >> 8));
		break;
	case 7: case 8: case 9:
		ret = umm_wait4(t, -1, &st, WNOHANG | ((r >> 8) & 1 ? __WALL : 0));
		if (ret < 0 && ret != -ECHILD && ret != -EBUSY)
			fail("wait4", ret);
		if (ret > 0)
			__atomic_add_fetch(&nr_reaped, 1, __ATOMIC_RELAXED);
		break;
	case 10:
		ret = umm_task_show(t, files[(r >> 8) % ARRAY_SIZE(files)], buf, sizeof(buf));
		if (ret < 0 && ret != -ESRCH)
			fail("umm_task_show", ret);
		break;
	case 11:
		/* exec in any task: de_thread() against the others' clone and exit */
		if (t->tgid > 2 && task_has_mm(t)) {
			char *argv[] = { "/usr/bin/true", NULL };

			ret = umm_execve(t, "/usr/bin/true", argv, NULL);
			/* -EAGAIN: exiting meanwhile; -EBUSY: asleep in vfork() */
			if (ret && ret != -EAGAIN && ret != -EBUSY)
				fail("execve", ret);
			if (!ret)
				__atomic_add_fetch(&nr_execs, 1, __ATOMIC_RELAXED);
		}
		break;
	default:
		if ((r >> 8) % 8 == 0) {
			ret = umm_kthread_create("kstress");
			if (ret < 0 && ret != -EAGAIN)
				fail("kthread_create", ret);
		}
	}
}

static void *worker(void *arg)
{
	unsigned long long s = seed * 0x9e3779b97f4a7c15ULL + (unsigned long)arg + 1;

	for (long i = 0; i < steps && !__atomic_load_n(&failures, __ATOMIC_RELAXED); i++) {
		unsigned long r = next_rand(&s);
		long hi = __atomic_load_n(&pid_hi, __ATOMIC_RELAXED);
		struct task_struct *t = umm_get_task((pid_t)(1 + r % (unsigned long)hi));

		if (!t)
			continue;
		one_step(t, next_rand(&s));
		umm_put_task(t);
		if (i % 500 == 0 && umm_task_check())
			fail("umm_task_check", i);
	}
	return NULL;
}

/* Every task but init and kthreadd exits; init reaps them all. */
static void wind_down(void)
{
	struct task_struct *init = umm_init_task(), *t;
	int st;

	for (pid_t pid = 3; pid < pid_max; pid++) {
		t = umm_get_task(pid);
		if (!t)
			continue;
		umm_exit(t, 0);
		umm_put_task(t);
	}
	/* init reaps; so does kthreadd, for children whose exit signal it does not ignore */
	while (umm_wait4(init, -1, &st, WNOHANG | __WALL) > 0 ||
	       umm_wait4(umm_find_task(2), -1, &st, WNOHANG | __WALL) > 0)
		;
	for (pid_t pid = 3; pid < pid_max; pid++) {
		t = umm_find_task(pid);
		if (t) {
			char buf[4096];

			umm_task_show(t, "stat", buf, sizeof(buf));
			fprintf(stderr, "left: %s", buf);
			fail("a task is left", pid);
			break;
		}
	}
}

static int count_mm(struct mm_struct *mm, void *arg)
{
	(void)mm;
	(*(int *)arg)++;
	return 0;
}

static int run(void)
{
	pthread_t th[NTHREADS];
	long anon_vmas, chains;
	int mms = 0, mms_at_boot = 0;

	if (umm_boot(NULL))
		return 1;
	mm_list_walk(NULL, count_mm, &mms_at_boot);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	wind_down();
	if (umm_task_check())
		fail("umm_task_check at the end", 0);
	/* init's and kthreadd's mms never had anonymous pages: nothing of the others is left */
	anon_vma_stats(&anon_vmas, &chains);
	if (anon_vmas || chains)
		fail("anon_vmas or chains left at the end", anon_vmas * 1000 + chains);
	mms = 0;
	mm_list_walk(NULL, count_mm, &mms);
	if (mms != mms_at_boot)
		fail("mms left at the end (at boot: init's)", mms);
	umm_shutdown();
	fprintf(stderr, "seed %llu: %d thread(s) x %ld steps: %ld clones, %ld exits, %ld execs, "
		"%ld reaped by wait4, highest pid %ld: %s\n", seed, NTHREADS, steps, nr_clones,
		nr_exits, nr_execs, nr_reaped, pid_hi, failures ? "FAILED" : "ok");
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	parse_seed_steps(argc, argv, &seed, &steps);
	fprintf(stderr, "stress_task: seed %llu\n", seed);
	return run_watched(run, 120, seed);
}
