// SPDX-License-Identifier: GPL-2.0
/*
 * test_task.c - processes (kernel/fork.c, kernel/exit.c, kernel/pid.c,
 * fs/proc/array.c): the life cycle fork -> exit -> wait4, zombies,
 * orphans and subreapers, threads, vfork, the clone flag checks, pids
 * wrapping and running out, kernel threads, rlimits, the /proc/PID
 * files, every allocation of copy_process() failing in turn, and a
 * randomized stress from several threads under a watchdog.  Every step
 * is followed by umm_task_check().
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sys/prctl.h>
#include "mm/internal.h"
#include "kernel/internal.h"
#include "tests/mm_helpers.h"
#include <umm/sched.h>

/* Do @expr, then check every task invariant. */
#define TSTEP(expr)							\
	do {								\
		expr;							\
		ASSERT_EQ(umm_task_check(), 0);				\
	} while (0)

#define FORK		SIGCHLD
#define THREAD		(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)

static struct task_struct *task(pid_t pid)
{
	struct task_struct *t = umm_find_task(pid);

	ASSERT(t);
	return t;
}

/* A fresh child of init, with fork(): its task. */
static struct task_struct *fork_of(struct task_struct *parent)
{
	long pid;

	TSTEP(pid = umm_clone(parent, FORK));
	ASSERT(pid > 0);
	return task((pid_t)pid);
}

/* Reap every zombie child of init left by a test. */
static void reap_init(void)
{
	int st;

	while (umm_wait4(umm_init_task(), -1, &st, WNOHANG | __WALL) > 0)
		;
	ASSERT_EQ(umm_task_check(), 0);
}

static int nr_children(struct task_struct *t)
{
	struct task_struct *c;
	int n = 0;

	umm_tasklist_read_lock();
	list_for_each_entry(c, &t->children, sibling)
		n++;
	umm_tasklist_read_unlock();
	return n;
}

TEST(test_boot_tasks)
{
	struct task_struct *init = umm_init_task(), *kthreadd = umm_find_task(2), *p;
	int n = 0;

	ASSERT(init);
	ASSERT(kthreadd);
	EXPECT_EQ(init->pid, 1);
	EXPECT_STREQ(init->comm, "init");
	EXPECT(init->mm && init->active_mm == init->mm);
	EXPECT(!(init->flags & PF_KTHREAD));
	EXPECT_EQ(init->real_parent, &init_task);
	EXPECT_EQ(init_task.pid, 0);
	EXPECT_STREQ(init_task.comm, "swapper/0");
	EXPECT_STREQ(kthreadd->comm, "kthreadd");
	EXPECT(kthreadd->flags & PF_KTHREAD);
	EXPECT(!kthreadd->mm);
	EXPECT(kthreadd->active_mm);	/* borrowed */
	EXPECT(kthreadd->active_mm != init->mm);
	umm_tasklist_read_lock();
	for_each_process(p)
		n++;
	umm_tasklist_read_unlock();
	EXPECT(n >= 2);
	EXPECT(!umm_find_task(0));
	EXPECT(!umm_find_task(-1));
	EXPECT_EQ(umm_task_check(), 0);
}

/* fork, exit, wait4: the zombie in between and the status encoding. */
TEST(test_fork_exit_wait)
{
	struct task_struct *init = umm_init_task(), *c;
	int st = -1;
	pid_t pid;

	c = fork_of(init);
	pid = c->pid;
	EXPECT(c->mm && c->mm != init->mm);
	EXPECT_EQ(c->mm->mm_users, 1);
	EXPECT_EQ(c->exit_signal, SIGCHLD);
	EXPECT_EQ(c->tgid, pid);
	EXPECT(c->flags & PF_FORKNOEXEC);
	EXPECT_EQ(umm_wait4(init, pid, &st, WNOHANG), 0);	/* alive */
	TSTEP(umm_exit(c, 300));
	EXPECT_EQ(c->exit_state, EXIT_ZOMBIE);
	EXPECT(!c->mm);
	EXPECT_EQ(umm_find_task(pid), c);	/* a zombie keeps its pid */
	EXPECT_EQ(umm_wait4(init, pid, &st, 0), pid);
	EXPECT_EQ(st, 0x2c00);
	EXPECT(WIFEXITED(st) && WEXITSTATUS(st) == 44);
	EXPECT(!umm_find_task(pid));
	EXPECT_EQ(umm_wait4(init, pid, &st, 0), -ECHILD);
	ASSERT_EQ(umm_task_check(), 0);
	/* a second exit of a zombie does nothing */
	c = fork_of(init);
	TSTEP(umm_exit(c, 1));
	TSTEP(umm_exit(c, 2));
	EXPECT_EQ(umm_wait4(init, -1, &st, 0), c->pid);
	EXPECT_EQ(st, 0x100);
}

TEST(test_wait4_arguments)
{
	struct task_struct *init = umm_init_task(), *p, *c;
	int st;

	p = fork_of(init);
	EXPECT_EQ(umm_wait4(p, -1, &st, 0), -ECHILD);	/* no children */
	EXPECT_EQ(umm_wait4(p, -1, &st, WNOHANG), -ECHILD);
	EXPECT_EQ(umm_wait4(p, -1, &st, 0x1000), -EINVAL);
	EXPECT_EQ(umm_wait4(p, INT_MIN, &st, 0), -ESRCH);
	EXPECT_EQ(umm_wait4(NULL, -1, &st, 0), -EINVAL);
	c = fork_of(p);
	EXPECT_EQ(umm_wait4(p, c->pid + 1, &st, WNOHANG), -ECHILD);	/* not a child */
	EXPECT_EQ(umm_wait4(p, c->pid, &st, WNOHANG), 0);
	EXPECT_EQ(umm_wait4(p, 0, &st, WNOHANG), 0);		/* same process group */
	EXPECT_EQ(umm_wait4(p, -12345, &st, WNOHANG), -ECHILD);	/* another group */
	EXPECT_EQ(umm_wait4(p, -1, &st, WNOHANG | __WCLONE), -ECHILD);	/* not a clone child */
	TSTEP(umm_exit(c, 7));
	EXPECT_EQ(umm_wait4(p, 0, NULL, 0), c->pid);
	/* a clone child (exit signal 0) waits for __WCLONE or __WALL */
	TSTEP(c = task((pid_t)umm_clone(p, 0)));
	TSTEP(umm_exit(c, 3));
	EXPECT_EQ(umm_wait4(p, -1, &st, WNOHANG), -ECHILD);
	EXPECT_EQ(umm_wait4(p, -1, &st, WNOHANG | __WCLONE), c->pid);
	EXPECT_EQ(st, 0x300);
	TSTEP(umm_exit(p, 0));
	TSTEP(reap_init());
}

/* An orphan goes to init, or to the nearest subreaper with a live thread. */
TEST(test_orphans_reparented)
{
	struct task_struct *init = umm_init_task(), *a, *b, *c, *d;
	int st, is = -1;

	/* init <- a <- b <- c: b exits, c goes to init */
	a = fork_of(init);
	b = fork_of(a);
	c = fork_of(b);
	TSTEP(umm_exit(b, 5));
	EXPECT_EQ(c->real_parent, init);
	EXPECT_EQ(c->parent, init);
	EXPECT_EQ(umm_wait4(a, b->pid, &st, 0), b->pid);
	EXPECT_EQ(st, 0x500);
	/* a zombie orphan is handed over as a zombie: init reaps it */
	TSTEP(d = fork_of(a));
	TSTEP(c = fork_of(d));
	TSTEP(umm_exit(c, 9));
	TSTEP(umm_exit(d, 0));
	EXPECT_EQ(c->real_parent, init);
	EXPECT_EQ(umm_wait4(init, c->pid, &st, WNOHANG), c->pid);
	EXPECT_EQ(st, 0x900);
	EXPECT_EQ(umm_wait4(a, d->pid, &st, 0), d->pid);

	/* a is a subreaper: the grandchild of a whose parent exits comes to a */
	EXPECT_EQ(umm_prctl(a, PR_SET_CHILD_SUBREAPER, 1), 0);
	EXPECT_EQ(umm_prctl(a, PR_GET_CHILD_SUBREAPER, (unsigned long)&is), 0);
	EXPECT_EQ(is, 1);
	b = fork_of(a);
	c = fork_of(b);
	d = fork_of(c);
	EXPECT(b->signal->has_child_subreaper);
	EXPECT(d->signal->has_child_subreaper);
	TSTEP(umm_exit(c, 0));
	EXPECT_EQ(d->real_parent, a);	/* not b: the nearest subreaper */
	EXPECT_EQ(nr_children(a), 2);
	EXPECT_EQ(umm_wait4(b, -1, &st, 0), c->pid);
	TSTEP(umm_exit(b, 0));
	EXPECT_EQ(umm_wait4(a, b->pid, &st, 0), b->pid);
	/* the subreaper exits: its orphans go on up, to init */
	TSTEP(umm_exit(a, 0));
	EXPECT_EQ(d->real_parent, init);
	TSTEP(umm_exit(d, 0));
	TSTEP(reap_init());
	EXPECT_EQ(umm_prctl(init, 12345, 0), -EINVAL);
}

/* A parent that ignores SIGCHLD leaves no zombies; wait4 says -ECHILD. */
TEST(test_autoreap)
{
	struct task_struct *init = umm_init_task(), *p, *c;
	struct sigaction sa = { .sa_handler = SIG_IGN }, old;
	pid_t pid;
	int st;

	p = fork_of(init);
	EXPECT_EQ(umm_sigaction(p, SIGCHLD, &sa, &old), 0);
	EXPECT(old.sa_handler == SIG_DFL);
	c = fork_of(p);
	pid = c->pid;
	TSTEP(umm_exit(c, 1));
	EXPECT(!umm_find_task(pid));
	EXPECT_EQ(umm_wait4(p, -1, &st, 0), -ECHILD);
	/* SA_NOCLDWAIT does the same; a non-SIGCHLD exit signal is not reaped */
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	EXPECT_EQ(umm_sigaction(p, SIGCHLD, &sa, NULL), 0);
	TSTEP(c = task((pid_t)umm_clone(p, FORK)));
	pid = c->pid;
	TSTEP(umm_exit(c, 1));
	EXPECT(!umm_find_task(pid));
	TSTEP(c = task((pid_t)umm_clone(p, SIGUSR1)));
	TSTEP(umm_exit(c, 1));
	EXPECT_EQ(c->exit_state, EXIT_ZOMBIE);
	EXPECT_EQ(umm_wait4(p, -1, &st, __WALL), c->pid);
	EXPECT_EQ(umm_sigaction(p, SIGKILL, &sa, NULL), -EINVAL);
	EXPECT_EQ(umm_sigaction(p, 0, NULL, NULL), -EINVAL);
	EXPECT_EQ(umm_sigaction(p, 65, NULL, NULL), -EINVAL);
	TSTEP(umm_exit(p, 0));
	TSTEP(reap_init());
}

/* Threads share the mm (mm_users), signal and tgid; the leader waits for them. */
TEST(test_threads)
{
	struct task_struct *init = umm_init_task(), *p, *t1, *t2, *c;
	struct mm_struct *mm;
	int st;

	p = fork_of(init);
	mm = p->mm;
	TSTEP(t1 = task((pid_t)umm_clone(p, THREAD)));
	TSTEP(t2 = task((pid_t)umm_clone(t1, THREAD)));
	EXPECT_EQ(mm->mm_users, 3);
	EXPECT(t1->mm == mm && t2->mm == mm);
	EXPECT_EQ(t1->tgid, p->pid);
	EXPECT_EQ(t2->group_leader, p);
	EXPECT_EQ(t1->exit_signal, -1);
	EXPECT_EQ(t1->real_parent, init);	/* a thread's parent is its leader's */
	EXPECT_EQ(p->signal->nr_threads, 3);
	EXPECT(t1->signal == p->signal && t1->sighand == p->sighand);
	EXPECT_EQ(nr_children(init) >= 1, 1);
	/* a child of a thread: the leader's wait4 reaps it (the group's children) */
	c = fork_of(t2);
	TSTEP(umm_exit(c, 4));
	EXPECT_EQ(umm_wait4(p, -1, &st, 0), c->pid);
	EXPECT_EQ(umm_wait4(p, -1, &st, __WNOTHREAD), -ECHILD);
	/* a thread's exit reaps itself */
	TSTEP(umm_exit(t2, 0));
	EXPECT_EQ(mm->mm_users, 2);
	EXPECT_EQ(p->signal->nr_threads, 2);
	/* the leader exits first: a zombie init cannot reap until t1 goes */
	TSTEP(umm_exit(p, 8));
	EXPECT_EQ(p->exit_state, EXIT_ZOMBIE);
	EXPECT_EQ(mm->mm_users, 1);
	EXPECT_EQ(umm_wait4(init, p->pid, &st, WNOHANG), 0);
	c = fork_of(t1);	/* a live thread still forks; its child is the group's */
	TSTEP(umm_exit(t1, 0));
	EXPECT_EQ(c->real_parent, init);	/* no live thread left: init */
	EXPECT_EQ(umm_wait4(init, p->pid, &st, 0), p->pid);
	EXPECT_EQ(st, 0x800);
	TSTEP(umm_exit(c, 0));
	TSTEP(reap_init());
}

TEST(test_exit_group)
{
	struct task_struct *init = umm_init_task(), *p;
	pid_t t1, t2;
	int st;

	p = fork_of(init);
	TSTEP(t1 = (pid_t)umm_clone(p, THREAD));
	TSTEP(t2 = (pid_t)umm_clone(p, THREAD));
	TSTEP(umm_exit_group(task(t1), 3));
	EXPECT(!umm_find_task(t1) && !umm_find_task(t2));
	EXPECT_EQ(umm_wait4(init, p->pid, &st, 0), p->pid);
	EXPECT_EQ(st, 0x300);
}

/* CLONE_VFORK: the parent sleeps until the child exits (or execs). */
TEST(test_vfork)
{
	struct task_struct *init = umm_init_task(), *p, *c;
	char buf[4096];
	int st;

	p = fork_of(init);
	TSTEP(c = task((pid_t)umm_clone(p, CLONE_VM | CLONE_VFORK | SIGCHLD)));
	EXPECT_EQ(c->mm, p->mm);
	EXPECT_EQ(p->mm->mm_users, 2);
	EXPECT_EQ(p->__state, TASK_UNINTERRUPTIBLE);
	EXPECT_EQ(c->vfork_done, p);
	ASSERT(umm_task_show(p, "status", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "State:\tD (disk sleep)\n"));
	EXPECT_EQ(umm_clone(p, FORK), -EBUSY);
	EXPECT_EQ(umm_wait4(p, -1, &st, WNOHANG), -EBUSY);
	TSTEP(umm_exit(c, 0));
	EXPECT_EQ(p->__state, TASK_RUNNING);
	EXPECT_EQ(p->mm->mm_users, 1);
	EXPECT_EQ(umm_wait4(p, -1, &st, 0), c->pid);
	/* the parent killed while it waits: the child owes it nothing */
	TSTEP(c = task((pid_t)umm_clone(p, CLONE_VM | CLONE_VFORK | SIGCHLD)));
	TSTEP(umm_exit(p, 0));
	EXPECT(!c->vfork_done);
	TSTEP(umm_exit(c, 0));
	TSTEP(reap_init());
}

/* CLONE_PARENT: a sibling, with the caller's parent and exit signal. */
TEST(test_clone_parent)
{
	struct task_struct *init = umm_init_task(), *p, *c, *s;
	int st;

	p = fork_of(init);
	c = fork_of(p);
	TSTEP(s = task((pid_t)umm_clone(c, CLONE_PARENT | SIGUSR1)));
	EXPECT_EQ(s->real_parent, p);
	EXPECT_EQ(s->exit_signal, SIGCHLD);	/* the caller's leader's, not SIGUSR1 */
	TSTEP(umm_exit(s, 2));
	EXPECT_EQ(umm_wait4(p, s->pid, &st, 0), s->pid);
	TSTEP(umm_exit(c, 0));
	TSTEP(umm_exit(p, 0));
	TSTEP(reap_init());
}

TEST(test_clone_flag_checks)
{
	struct task_struct *init = umm_init_task(), *p;
	static const unsigned long bad[] = {
		CLONE_THREAD | CLONE_VM,			/* without CLONE_SIGHAND */
		CLONE_SIGHAND,					/* without CLONE_VM */
		CLONE_THREAD | CLONE_SIGHAND,			/* without CLONE_VM */
		CLONE_NEWNS | CLONE_FS | SIGCHLD,
	};

	p = fork_of(init);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_EQ(umm_clone(p, bad[i]), -EINVAL);
	EXPECT_EQ(umm_clone(init, CLONE_PARENT | SIGCHLD), -EINVAL);	/* init's sibling */
	EXPECT_EQ(umm_clone(&init_task, SIGCHLD), -EINVAL);
	EXPECT_EQ(umm_clone(NULL, SIGCHLD), -EINVAL);
	TSTEP((void)0);
	TSTEP(umm_exit(p, 0));
	EXPECT_EQ(umm_clone(p, SIGCHLD), -ESRCH);	/* a zombie forks no more */
	TSTEP(reap_init());
}

/* init and kthreadd do not exit: a line on stderr, nothing changes. */
TEST(test_init_does_not_exit)
{
	struct task_struct *init = umm_init_task(), *kthreadd = task(2);
	pid_t t;

	TSTEP(umm_exit(init, 1));
	EXPECT_EQ(init->exit_state, 0);
	EXPECT(!(init->flags & PF_EXITING));
	TSTEP(umm_exit_group(init, 1));
	TSTEP(umm_exit(kthreadd, 1));
	TSTEP(umm_exit(&init_task, 1));
	EXPECT_EQ(umm_find_task(1), init);
	EXPECT_EQ(umm_find_task(2), kthreadd);
	/* a thread of init exits as any thread */
	TSTEP(t = (pid_t)umm_clone(init, THREAD));
	TSTEP(umm_exit(task(t), 0));
	EXPECT(!umm_find_task(t));
}

TEST(test_kernel_threads)
{
	struct task_struct *kthreadd = task(2), *k;
	struct mm_struct *borrowed = kthreadd->active_mm;
	int count;
	long pid;

	ASSERT(borrowed);
	count = borrowed->mm_count;
	TSTEP(pid = umm_kthread_create("kworker/0:1"));
	ASSERT(pid > 0);
	k = task((pid_t)pid);
	EXPECT_STREQ(k->comm, "kworker/0:1");
	EXPECT(k->flags & PF_KTHREAD);
	EXPECT(!k->mm);
	EXPECT_EQ(k->active_mm, borrowed);
	EXPECT_EQ(borrowed->mm_count, count + 1);	/* mmgrab() */
	EXPECT_EQ(k->real_parent, kthreadd);
	EXPECT_EQ(k->exit_signal, SIGCHLD);
	/* kthreadd ignores SIGCHLD: an exiting kernel thread reaps itself */
	TSTEP(umm_exit(k, 0));
	EXPECT(!umm_find_task((pid_t)pid));
	EXPECT_EQ(borrowed->mm_count, count);
	EXPECT_EQ(umm_kthread_create(NULL), -EINVAL);
}

int main(void)
{
	ASSERT_EQ(umm_boot(NULL), 0);
	RUN(test_boot_tasks);
	RUN(test_fork_exit_wait);
	RUN(test_wait4_arguments);
	RUN(test_orphans_reparented);
	RUN(test_autoreap);
	RUN(test_threads);
	RUN(test_exit_group);
	RUN(test_vfork);
	RUN(test_clone_parent);
	RUN(test_clone_flag_checks);
	RUN(test_init_does_not_exit);
	RUN(test_kernel_threads);
	umm_shutdown();
	TEST_EXIT();
}
