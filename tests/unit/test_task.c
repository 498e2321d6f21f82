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
#include <linux/capability.h>
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
	EXPECT_EQ(p->__state, TASK_INTERRUPTIBLE);	/* awake, but with no program to run */
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

/* The field names of a status file, in order: "Name Umask State ...". */
static void status_names(const char *status, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (const char *l = status; *l; l = strchr(l, '\n') + 1) {
		const char *colon = strchr(l, ':');

		if (!colon || !strchr(l, '\n'))
			break;
		n += (size_t)snprintf(out + n, size - n, "%.*s ", (int)(colon - l), l);
	}
}

/* The 52 fields of a stat line (comm without blanks). */
static int stat_fields(const char *stat, char fields[64][32])
{
	int n = 0;

	for (const char *p = stat; *p && *p != '\n' && n < 64; n++) {
		size_t len = strcspn(p, " \n");

		snprintf(fields[n], 32, "%.*s", (int)len, p);
		p += len;
		if (*p == ' ')
			p++;
	}
	return n;
}

TEST(test_proc_status_and_stat)
{
	static char buf[16384], host[16384], names[2048], host_names[2048];
	char f[64][32];
	struct task_struct *init = umm_init_task(), *c, *k;
	struct mm_struct *mm;
	FILE *fp = fopen("/proc/self/status", "r");
	size_t hn;
	unsigned long a;
	int code = 0;

	ASSERT(fp);
	hn = fread(host, 1, sizeof(host) - 1, fp);
	host[hn] = '\0';
	fclose(fp);
	c = fork_of(init);
	mm = c->mm;
	ASSERT(umm_task_show(c, "status", buf, sizeof(buf)) > 0);
	/*
	 * The host's lines, in its order, up to SigCgt; then of the
	 * capability, seccomp and memory-policy lines that follow there,
	 * only the CPU mask and the context switches.
	 */
	status_names(buf, names, sizeof(names));
	status_names(host, host_names, sizeof(host_names));
	{
		char tail[256];
		const char *cpus = strstr(host_names, "Cpus_allowed ");

		ASSERT(cpus && strstr(host_names, "voluntary_ctxt_switches "));
		snprintf(tail, sizeof(tail), "%.*s", (int)strlen("Cpus_allowed Cpus_allowed_list "),
			 cpus);
		*strstr(host_names, "SigCgt ") = '\0';
		strcat(host_names, "SigCgt ");
		strcat(host_names, tail);
		strcat(host_names, "voluntary_ctxt_switches nonvoluntary_ctxt_switches ");
	}
	EXPECT_STREQ(names, host_names);
	/* made through the API, with no program: asleep */
	EXPECT(strstr(buf, "Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\n"));
	EXPECT(strstr(buf, "Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\n"));
	EXPECT(strstr(buf, "voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n"));
	snprintf(host, sizeof(host), "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t1\n", c->pid, c->pid);
	EXPECT(strstr(buf, host));
	EXPECT(strstr(buf, "Kthread:\t0\n"));
	EXPECT(strstr(buf, "Threads:\t1\n"));
	EXPECT(strstr(buf, "SigIgn:\t0000000000000000\n"));

	/* stat: 52 fields, the real values */
	STEP(a = (unsigned long)umm_mmap(mm, 0, 8 * P, RW, ANON, -1, 0));
	STEP(umm_touch(mm, a, 8 * P, 1, &code));	/* 16 minor faults: read, then write */
	ASSERT(umm_task_show(c, "stat", buf, sizeof(buf)) > 0);
	ASSERT_EQ(stat_fields(buf, f), 52);
	EXPECT_EQ(atoi(f[0]), c->pid);
	EXPECT_STREQ(f[1], "(init)");
	EXPECT_STREQ(f[2], "S");
	EXPECT_EQ(atoi(f[3]), 1);
	EXPECT_EQ(strtoul(f[8], NULL, 10), PF_FORKNOEXEC);
	EXPECT_EQ(strtoul(f[9], NULL, 10), 16);		/* minflt */
	EXPECT_EQ(atoi(f[19]), 1);			/* num_threads */
	EXPECT_EQ(strtoul(f[22], NULL, 10), 8 * P);	/* vsize */
	EXPECT_EQ(strtoul(f[23], NULL, 10), 8);		/* rss */
	EXPECT_EQ(atoi(f[37]), SIGCHLD);		/* exit_signal */
	EXPECT_EQ(atoi(f[51]), 0);			/* exit_code */
	ASSERT(umm_task_show(c, "statm", buf, sizeof(buf)) > 0);
	snprintf(host, sizeof(host), "%lu 8 0 0 0 %lu 0\n", mm->total_vm, mm->data_vm);
	EXPECT_STREQ(buf, host);

	/* a zombie: Z, no Umask, no mm lines, the faults and the exit code */
	TSTEP(umm_exit(c, 42));
	ASSERT(umm_task_show(c, "status", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "State:\tZ (zombie)\n"));
	EXPECT(!strstr(buf, "Umask:"));
	EXPECT(!strstr(buf, "VmRSS:"));
	EXPECT(strstr(buf, "FDSize:\t0\n"));
	ASSERT(umm_task_show(c, "stat", buf, sizeof(buf)) > 0);
	ASSERT_EQ(stat_fields(buf, f), 52);
	EXPECT_STREQ(f[2], "Z");
	EXPECT_EQ(strtoul(f[9], NULL, 10), 16);
	EXPECT_EQ(strtoul(f[22], NULL, 10), 0);
	EXPECT_EQ(atoi(f[51]), 42 << 8);
	ASSERT(umm_task_show(c, "statm", buf, sizeof(buf)) > 0);
	EXPECT_STREQ(buf, "0 0 0 0 0 0 0\n");
	EXPECT_EQ(umm_task_show(c, "maps", buf, sizeof(buf)), 0);
	EXPECT_EQ(umm_task_show(c, "nosuchfile", buf, sizeof(buf)), -ENOENT);
	/* reaped: its faults go to the parent's cminflt; the task is gone */
	get_task_struct(c);
	EXPECT_EQ(umm_wait4(init, c->pid, NULL, 0), c->pid);
	EXPECT_EQ(umm_task_show(c, "stat", buf, sizeof(buf)), -ESRCH);
	umm_put_task(c);
	ASSERT(umm_task_show(init, "stat", buf, sizeof(buf)) > 0);
	ASSERT_EQ(stat_fields(buf, f), 52);
	EXPECT(strtoul(f[10], NULL, 10) >= 16);	/* cminflt */
	EXPECT_STREQ(f[3], "0");		/* init's parent is the idle task */

	/* a kernel thread: S, Kthread 1, every signal ignored, no mm */
	k = task(2);
	ASSERT(umm_task_show(k, "status", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "State:\tS (sleeping)\n"));
	EXPECT(strstr(buf, "PPid:\t0\n"));
	EXPECT(strstr(buf, "Kthread:\t1\nThreads:\t1\n"));	/* no mm lines */
	EXPECT(strstr(buf, "SigIgn:\tffffffffffffffff\n"));
	ASSERT(umm_task_show(k, "stat", buf, sizeof(buf)) > 0);
	ASSERT_EQ(stat_fields(buf, f), 52);
	EXPECT_EQ(strtoul(f[8], NULL, 10), PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC);
	EXPECT_STREQ(f[32], "2147483647");	/* sigignore, 31 bits */
	EXPECT_STREQ(f[34], "1");		/* wchan: asleep */
	EXPECT_STREQ(f[37], "0");		/* kthreadd's exit signal */
	EXPECT_EQ(umm_task_show(k, "maps", buf, sizeof(buf)), 0);
	EXPECT_EQ(umm_task_show(k, "cmdline", buf, sizeof(buf)), 0);
	EXPECT_EQ(umm_task_show(k, "auxv", buf, sizeof(buf)), 0);
	EXPECT_EQ(umm_task_show(k, "smaps_rollup", buf, sizeof(buf)), -ESRCH);
	EXPECT_EQ(umm_task_show(NULL, "stat", buf, sizeof(buf)), -EINVAL);
}

/* Lay out argv and envp in @mm as exec would: "a\0bb\0" then "X=1\0". */
static void set_args(struct mm_struct *mm, unsigned long a, const char *args, size_t alen,
		     const char *env, size_t elen)
{
	ASSERT_EQ(umm_access(mm, a, (void *)args, alen, 1), (long)alen);
	ASSERT_EQ(umm_access(mm, a + alen, (void *)env, elen, 1), (long)elen);
	mmap_write_lock(mm);
	mm->arg_start = a;
	mm->arg_end = mm->env_start = a + alen;
	mm->env_end = a + alen + elen;
	mmap_write_unlock(mm);
}

TEST(test_proc_cmdline_environ_auxv)
{
	struct task_struct *init = umm_init_task(), *c;
	struct mm_struct *mm;
	char buf[8192];
	unsigned long a;

	c = fork_of(init);
	mm = c->mm;
	EXPECT_EQ(umm_task_show(c, "cmdline", buf, sizeof(buf)), 0);	/* nothing exec'd */
	STEP(a = (unsigned long)umm_mmap(mm, 0, 2 * P, RW, ANON, -1, 0));
	set_args(mm, a, "a\0bb\0", 5, "X=1\0", 4);
	EXPECT_EQ(umm_task_show(c, "cmdline", buf, sizeof(buf)), 5);
	EXPECT(!memcmp(buf, "a\0bb\0", 5));
	EXPECT_EQ(umm_task_show(c, "cmdline", buf, 2), 5);	/* at most @size */
	EXPECT_EQ(umm_task_show(c, "environ", buf, sizeof(buf)), 4);
	EXPECT(!memcmp(buf, "X=1\0", 4));
	/* setproctitle(): the last argv byte is not NUL: up to the first NUL */
	set_args(mm, a, "title here", 10, "=1\0rest\0", 8);
	EXPECT_EQ(umm_task_show(c, "cmdline", buf, sizeof(buf)), 13);
	EXPECT(!memcmp(buf, "title here=1", 13));
	/* auxv: the saved pairs up to AT_NULL */
	mm->saved_auxv[0] = 6;	/* AT_PAGESZ */
	mm->saved_auxv[1] = 4096;
	EXPECT_EQ(umm_task_show(c, "auxv", buf, sizeof(buf)), 4 * sizeof(long));
	EXPECT_EQ(((unsigned long *)buf)[1], 4096);
	EXPECT_EQ(((unsigned long *)buf)[2], 0);
	/* a fork keeps them */
	{
		struct task_struct *g = fork_of(c);

		EXPECT_EQ(umm_task_show(g, "auxv", buf, sizeof(buf)), 4 * sizeof(long));
		EXPECT_EQ(umm_task_show(g, "environ", buf, sizeof(buf)), 8);
		TSTEP(umm_exit(g, 0));
	}
	TSTEP(umm_exit(c, 0));
	TSTEP(reap_init());
}

TEST(test_rlimits_and_personality)
{
	struct task_struct *init = umm_init_task(), *c, *g;
	struct rlimit rl, host;
	bool root = host_capable(CAP_SYS_RESOURCE);

	c = fork_of(init);
	ASSERT_EQ(getrlimit(RLIMIT_STACK, &host), 0);
	ASSERT_EQ(umm_getrlimit(c, RLIMIT_STACK, &rl), 0);
	EXPECT_EQ(rl.rlim_cur, host.rlim_cur);	/* the host process's */
	EXPECT_EQ(umm_getrlimit(c, 16, &rl), -EINVAL);
	EXPECT_EQ(umm_getrlimit(c, -1, &rl), -EINVAL);
	rl.rlim_cur = 2;
	rl.rlim_max = 1;
	EXPECT_EQ(umm_setrlimit(c, RLIMIT_STACK, &rl), -EINVAL);
	EXPECT_EQ(umm_setrlimit(c, 99, &rl), -EINVAL);
	/* the mm's limits follow */
	rl.rlim_cur = 1UL << 20;
	rl.rlim_max = 2UL << 20;
	EXPECT_EQ(umm_setrlimit(c, RLIMIT_STACK, &rl), 0);
	EXPECT_EQ(c->mm->limits.stack, 1UL << 20);
	rl.rlim_cur = 12345 * P;
	EXPECT_EQ(umm_setrlimit(c, RLIMIT_AS, &(struct rlimit){ rl.rlim_cur, rl.rlim_cur }), 0);
	EXPECT_EQ(c->mm->limits.as, 12345 * P);
	/* raising the hard limit back: what the host process could do */
	rl.rlim_cur = rl.rlim_max = 4UL << 20;
	EXPECT_EQ(umm_setrlimit(c, RLIMIT_STACK, &rl), root ? 0 : -EPERM);
	/* a child inherits them, in its task and in its mm */
	g = fork_of(c);
	EXPECT_EQ(umm_getrlimit(g, RLIMIT_AS, &rl), 0);
	EXPECT_EQ(rl.rlim_cur, 12345 * P);
	EXPECT_EQ(g->mm->limits.as, 12345 * P);

	EXPECT_EQ(umm_personality(c, 0xffffffff), 0);
	EXPECT_EQ(umm_personality(c, ADDR_NO_RANDOMIZE), 0);
	EXPECT_EQ(umm_personality(c, 0xffffffff), ADDR_NO_RANDOMIZE);
	EXPECT_EQ(umm_personality(fork_of(c), 0xffffffff), ADDR_NO_RANDOMIZE);	/* inherited */
	TSTEP(umm_exit(g, 0));
	TSTEP(umm_exit(c, 0));
	TSTEP(reap_init());
}

/* pid_max= is checked as the kernel bounds it. */
TEST(test_pid_max_param)
{
	umm_shutdown();
	EXPECT_EQ(umm_cmdline_check("pid_max=300"), -EINVAL);
	EXPECT_EQ(umm_cmdline_check("pid_max=4194305"), -EINVAL);
	EXPECT_EQ(umm_cmdline_check("pid_max=x"), -EINVAL);
	EXPECT_EQ(umm_cmdline_check("pid_max=301"), 0);
	EXPECT_EQ(umm_cmdline_check("pid_max=4194304"), 0);
	ASSERT_EQ(umm_boot(NULL), 0);
}

/*
 * pid_max=400: pids go up one by one, skip those in use, wrap to 300
 * (RESERVED_PIDS: those below are not reused), and run out: -EAGAIN.
 */
TEST(test_pid_wrap_and_exhaustion)
{
	struct task_struct *init;
	int n = 0, st;
	long pid;

	umm_shutdown();
	ASSERT_EQ(umm_boot("pid_max=400"), 0);
	init = umm_init_task();
	EXPECT_EQ(init->pid, 1);
	EXPECT_EQ(task(2)->pid, 2);
	for (;;) {
		pid = umm_clone(init, FORK);
		if (pid < 0)
			break;
		ASSERT(++n < 400);
		EXPECT_EQ(pid, n + 2);	/* 3, 4, ... 399 */
	}
	EXPECT_EQ(pid, -EAGAIN);
	EXPECT_EQ(n, 397);
	ASSERT_EQ(umm_task_check(), 0);
	/* 10 and 350 free: 350 is next (wrapping to 300), 10 never */
	TSTEP(umm_exit(task(10), 0));
	TSTEP(umm_exit(task(350), 0));
	EXPECT_EQ(umm_wait4(init, 10, &st, 0), 10);
	EXPECT_EQ(umm_wait4(init, 350, &st, 0), 350);
	TSTEP(pid = umm_clone(init, FORK));
	EXPECT_EQ(pid, 350);
	TSTEP(pid = umm_clone(init, FORK));
	EXPECT_EQ(pid, -EAGAIN);	/* pid 10 is below RESERVED_PIDS */
	/* free 320 and 360: after 350 comes 360, then the wrap finds 320 */
	TSTEP(umm_exit(task(320), 0));
	TSTEP(umm_exit(task(360), 0));
	EXPECT_EQ(umm_wait4(init, -1, &st, 0), 320);
	EXPECT_EQ(umm_wait4(init, -1, &st, 0), 360);
	EXPECT_EQ(umm_clone(init, FORK), 360);
	EXPECT_EQ(umm_clone(init, FORK), 320);
	ASSERT_EQ(umm_task_check(), 0);
	/* everyone goes; a reboot starts from pid 3 again */
	for (pid_t p = 3; p < 400; p++)
		if (umm_find_task(p))
			umm_exit(task(p), 0);
	reap_init();
	EXPECT_EQ(nr_children(init), 0);
	umm_shutdown();
	ASSERT_EQ(umm_boot(NULL), 0);
	EXPECT_EQ(umm_clone(umm_init_task(), FORK), 3);
	reap_init();
	umm_exit(task(3), 0);
	reap_init();
}

/* active_objs of cache @name in /proc/slabinfo (-1 if it is not there). */
static long slab_active(const char *name)
{
	static char buf[65536];
	size_t len = strlen(name);

	if (umm_proc_read("/proc/slabinfo", buf, sizeof(buf)) <= 0)
		return -1;
	for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, len) && l[len] == ' ')
			return strtol(l + len, NULL, 10);
	return -1;
}

static const char *const task_caches[] = {
	"task_struct", "signal_cache", "sighand_cache", "files_cache", "fs_cache",
	"mm_struct", "vm_area_struct",
};

/*
 * Out of memory at each allocation of copy_process() in turn (failslab,
 * then fail_page_alloc): fork, threads and kernel threads say -ENOMEM
 * and leave nothing behind; the ones that go through are undone; in the
 * end the slab objects and free pages are as before.
 */
TEST(test_copy_process_out_of_memory)
{
	static const char *const which[] = { "failslab", "fail_page_alloc" };
	static const unsigned long flags[] = { FORK, THREAD, CLONE_VM | SIGCHLD, 0 /* kthread */ };
	long objs[ARRAY_SIZE(task_caches)];
	struct task_struct *init = umm_init_task(), *p;
	unsigned long before, a;
	int failed = 0, code = 0, st;
	struct mm_struct *mm;

	p = fork_of(init);
	mm = p->mm;
	STEP(a = (unsigned long)umm_mmap(mm, 0, 64 * P, RW, ANON, -1, 0));
	STEP(umm_touch(mm, a, 64 * P, 1, &code));
	/* warm up: what the first fork allocates once (slabs, a pid leaf) */
	for (int i = 0; i < 70; i++) {
		long pid = umm_clone(p, FORK);

		ASSERT(pid > 0);
		umm_exit(task((pid_t)pid), 0);
		ASSERT_EQ(umm_wait4(p, (pid_t)pid, &st, 0), pid);
	}
	before = free_pages_settled();	/* shrunk: active_objs are the objects in use */
	for (size_t c = 0; c < ARRAY_SIZE(task_caches); c++)
		objs[c] = slab_active(task_caches[c]);
	for (size_t w = 0; w < ARRAY_SIZE(which); w++)
		for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
			for (int nth = 1; nth <= 40; nth++) {
				long pid;

				set_injection(which[w], nth);
				pid = flags[f] ? umm_clone(p, flags[f]) : umm_kthread_create("kfail");
				set_injection(which[w], 0);
				ASSERT_EQ(umm_task_check(), 0);
				ASSERT_EQ(umm_mm_check(mm), 0);
				if (pid < 0) {
					EXPECT_EQ(pid, -ENOMEM);
					failed++;
					continue;
				}
				umm_exit(task((pid_t)pid), 0);
				if (flags[f] & CSIGNAL)
					ASSERT_EQ(umm_wait4(p, (pid_t)pid, &st, 0), pid);
				ASSERT_EQ(umm_task_check(), 0);
			}
	EXPECT(failed >= 8);
	EXPECT_EQ(free_pages_settled(), before);
	for (size_t c = 0; c < ARRAY_SIZE(task_caches); c++)
		EXPECT_EQ(slab_active(task_caches[c]), objs[c]);
	TSTEP(umm_exit(p, 0));
	TSTEP(reap_init());
}

/* /proc/PID/FILE through umm_proc_read(): the same bytes as umm_task_show(). */
TEST(test_proc_pid_paths)
{
	static char a[16384], b[16384];
	struct task_struct *init = umm_init_task(), *c = fork_of(init);
	char path[64];

	ASSERT(umm_proc_read("/proc/1/status", a, sizeof(a)) > 0);
	ASSERT(umm_task_show(init, "status", b, sizeof(b)) > 0);
	EXPECT_STREQ(a, b);
	snprintf(path, sizeof(path), "/proc/%d/stat", c->pid);
	ASSERT(umm_proc_read(path, a, sizeof(a)) > 0);
	ASSERT(umm_task_show(c, "stat", b, sizeof(b)) > 0);
	EXPECT_STREQ(a, b);
	EXPECT_EQ(umm_proc_read("/proc/1", a, sizeof(a)), -EISDIR);
	EXPECT_EQ(umm_proc_read("/proc/1/", a, sizeof(a)), -EISDIR);
	EXPECT_EQ(umm_proc_read("/proc/1/nosuch", a, sizeof(a)), -ENOENT);
	EXPECT_EQ(umm_proc_read("/proc/1/status/", a, sizeof(a)), -ENOTDIR);
	EXPECT_EQ(umm_proc_read("/proc/1/status/x", a, sizeof(a)), -ENOTDIR);
	EXPECT_EQ(umm_proc_read("/proc/01/status", a, sizeof(a)), -ENOENT);
	EXPECT_EQ(umm_proc_read("/proc/32767/status", a, sizeof(a)), -ENOENT);
	EXPECT(umm_proc_read("/proc/1/../meminfo", a, sizeof(a)) > 0);
	EXPECT_EQ(umm_proc_write("/proc/1/status", "x", 1), -EACCES);
	EXPECT_EQ(umm_proc_write("/proc/1", "x", 1), -EISDIR);
	ASSERT(umm_proc_list("/proc/1", a, sizeof(a)) > 0);
	EXPECT_STREQ(a, "auxv\ncmdline\nenviron\nmaps\npagemap\nsched\nschedstat\nsmaps\n"
		     "smaps_rollup\nstat\nstatm\nstatus\n");
	EXPECT_EQ(umm_proc_list("/proc/1/stat", a, sizeof(a)), -ENOTDIR);
	ASSERT(umm_proc_list("/proc", a, sizeof(a)) > 0);
	EXPECT(!strncmp(a, "1\n", 2));
	snprintf(path, sizeof(path), "\n%d\n", c->pid);
	EXPECT(strstr(a, path) && strstr(a, path) < strstr(a, "buddyinfo"));
	TSTEP(umm_exit(c, 0));
	TSTEP(reap_init());
	EXPECT(!strstr(a, path) || umm_proc_list("/proc", a, sizeof(a)) > 0);
	EXPECT(!strstr(a, path));
}

struct waiter {
	struct task_struct *parent;
	long ret;
	int status;
	int entered, done;
};

static void *wait_thread(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->entered, 1, __ATOMIC_RELEASE);
	w->ret = umm_wait4(w->parent, -1, &w->status, 0);
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* The waiter has called wait4() and, 20 ms on, is still in it: it sleeps. */
static void wait_for_waiter(struct waiter *w)
{
	while (!__atomic_load_n(&w->entered, __ATOMIC_ACQUIRE))
		usleep(1000);
	usleep(20000);
	EXPECT_EQ(__atomic_load_n(&w->done, __ATOMIC_ACQUIRE), 0);
}

/* wait4() without WNOHANG sleeps until a child exits, or its task does (-EINTR). */
TEST(test_wait4_blocks)
{
	struct task_struct *init = umm_init_task(), *p, *c;
	struct waiter w = { 0 };
	pthread_t th;
	pid_t pid;

	p = fork_of(init);
	c = fork_of(p);
	pid = c->pid;
	w.parent = p;
	ASSERT_EQ(pthread_create(&th, NULL, wait_thread, &w), 0);
	wait_for_waiter(&w);
	TSTEP(umm_exit(c, 6));
	pthread_join(th, NULL);
	EXPECT_EQ(w.ret, pid);
	EXPECT_EQ(w.status, 0x600);
	EXPECT_EQ(p->__state, TASK_INTERRUPTIBLE);	/* as before: it has no program */
	/* the sleeping parent is made to exit */
	c = fork_of(p);
	w.entered = w.done = 0;
	ASSERT_EQ(pthread_create(&th, NULL, wait_thread, &w), 0);
	wait_for_waiter(&w);
	TSTEP(umm_exit(p, 0));
	pthread_join(th, NULL);
	EXPECT_EQ(w.ret, -EINTR);
	TSTEP(umm_exit(c, 0));
	TSTEP(reap_init());
}

/* ---- exec in a process: vfork, threads (de_thread()), out of memory ---- */

static long exec_true(struct task_struct *t)
{
	char *argv[] = { "/usr/bin/true", "x", NULL }, *envp[] = { "A=b", NULL };

	return umm_execve(t, "/usr/bin/true", argv, envp);
}

/* vfork() then exec: the parent wakes at the exec, its mm untouched. */
TEST(test_exec_after_vfork)
{
	struct task_struct *init = umm_init_task(), *p, *c;
	struct mm_struct *mm;
	int st, map_count;
	pid_t pid;

	p = fork_of(init);
	mm = p->mm;
	map_count = mm->map_count;
	TSTEP(c = task((pid_t)umm_clone(p, CLONE_VM | CLONE_VFORK | SIGCHLD)));
	EXPECT_EQ(p->__state, TASK_UNINTERRUPTIBLE);
	/* a failed exec keeps the parent asleep */
	EXPECT_EQ(umm_execve(c, "/nonexistent", NULL, NULL), -ENOENT);
	EXPECT_EQ(p->__state, TASK_UNINTERRUPTIBLE);
	EXPECT_EQ(c->vfork_done, p);
	TSTEP(ASSERT_EQ(exec_true(c), 0));
	EXPECT_EQ(p->__state, TASK_INTERRUPTIBLE);	/* awake, with no program to run */
	EXPECT(!c->vfork_done && !p->vfork_child);
	EXPECT(c->mm != mm && c->active_mm == c->mm);
	EXPECT_EQ(mm->mm_users, 1);
	EXPECT_EQ(mm->map_count, map_count);
	EXPECT_EQ(umm_mm_check(mm), 0);
	EXPECT_STREQ(c->comm, "true");
	EXPECT(!(c->flags & PF_FORKNOEXEC));
	TSTEP(umm_exit(c, 5));
	EXPECT_EQ(exec_true(c), -EAGAIN);	/* a zombie execs nothing */
	EXPECT_EQ(umm_wait4(p, -1, &st, 0), c->pid);
	EXPECT_EQ(st, 0x500);
	/* a kernel thread: kernel_execve() refuses it */
	pid = (pid_t)umm_kthread_create("kexec");
	ASSERT(pid > 0);
	EXPECT_EQ(exec_true(task(pid)), -EINVAL);
	EXPECT(!task(pid)->mm);
	TSTEP(umm_exit(task(pid), 0));
	TSTEP(umm_exit(p, 0));
	TSTEP(reap_init());
}

/* The leader execs: its threads go, it keeps its pid and its children. */
TEST(test_exec_by_leader)
{
	struct task_struct *init = umm_init_task(), *p, *c;
	struct mm_struct *mm;
	pid_t t1, t2;
	char buf[4096];
	int st;

	p = fork_of(init);
	mm = p->mm;
	TSTEP(t1 = (pid_t)umm_clone(p, THREAD));
	TSTEP(t2 = (pid_t)umm_clone(task(t1), THREAD));
	c = fork_of(task(t2));		/* a child of a thread: the group's */
	EXPECT_EQ(mm->mm_users, 3);
	TSTEP(ASSERT_EQ(exec_true(p), 0));
	EXPECT(!umm_find_task(t1) && !umm_find_task(t2));
	EXPECT_EQ(p->signal->nr_threads, 1);
	EXPECT_EQ(umm_find_task(p->pid), p);
	EXPECT(p->mm != mm);
	EXPECT_EQ(c->real_parent, p);	/* t2 died: its child went to the leader */
	ASSERT(umm_task_show(p, "status", buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "Threads:\t1\n") && strstr(buf, "Name:\ttrue\n"));
	TSTEP(umm_exit(c, 0));
	EXPECT_EQ(umm_wait4(p, -1, &st, 0), c->pid);
	TSTEP(umm_exit(p, 2));
	EXPECT_EQ(umm_wait4(init, p->pid, &st, 0), p->pid);
	EXPECT_EQ(st, 0x200);
	TSTEP(reap_init());
}

/*
 * Another thread execs: it becomes the leader under the leader's pid,
 * with its parent and start_time; the old leader and the other threads
 * go, and their pids are free; the parent waits for the old pid.
 */
TEST(test_exec_by_thread)
{
	struct task_struct *init = umm_init_task(), *p, *t, *c;
	pid_t leader_pid, tpid, t2;
	uint64_t start;
	char path[64], buf[4096];
	int st;

	p = fork_of(init);
	leader_pid = p->pid;
	start = p->start_time;
	c = fork_of(p);			/* the leader's child */
	TSTEP(tpid = (pid_t)umm_clone(p, THREAD));
	TSTEP(t2 = (pid_t)umm_clone(p, THREAD));
	t = task(tpid);
	TSTEP(ASSERT_EQ(exec_true(t), 0));
	EXPECT_EQ(t->pid, leader_pid);
	EXPECT_EQ(t->tgid, leader_pid);
	EXPECT_EQ(t->group_leader, t);
	EXPECT_EQ(umm_find_task(leader_pid), t);
	EXPECT(!umm_find_task(tpid) && !umm_find_task(t2));
	EXPECT_EQ(t->real_parent, init);
	EXPECT_EQ(t->exit_signal, SIGCHLD);
	EXPECT_EQ(t->start_time, start);
	EXPECT_EQ(t->signal->nr_threads, 1);
	EXPECT_EQ(c->real_parent, t);	/* the old leader's child is the new one's */
	snprintf(path, sizeof(path), "/proc/%d/status", leader_pid);
	ASSERT(umm_proc_read(path, buf, sizeof(buf)) > 0);
	EXPECT(strstr(buf, "Name:\ttrue\n") && strstr(buf, "Threads:\t1\n"));
	/* nothing for the parent to reap but the process itself, later */
	EXPECT_EQ(umm_wait4(init, leader_pid, &st, WNOHANG), 0);
	TSTEP(umm_exit(c, 0));
	EXPECT_EQ(umm_wait4(t, -1, &st, 0), c->pid);
	TSTEP(umm_exit(t, 9));
	EXPECT_EQ(umm_wait4(init, leader_pid, &st, 0), leader_pid);
	EXPECT_EQ(st, 0x900);
	TSTEP(reap_init());
}

/*
 * Exec a few times (the caches and the formats warm up), then note the
 * free pages and the task caches' objects in use, to compare at the end.
 */
static unsigned long exec_warm_snapshot(long objs[ARRAY_SIZE(task_caches)])
{
	struct task_struct *p;
	unsigned long before;

	for (int i = 0; i < 3; i++) {
		p = fork_of(umm_init_task());
		ASSERT_EQ(exec_true(p), 0);
		TSTEP(umm_exit(p, 0));
		TSTEP(reap_init());
	}
	before = free_pages_settled();	/* shrunk: active_objs are the objects in use */
	for (size_t c = 0; c < ARRAY_SIZE(task_caches); c++)
		objs[c] = slab_active(task_caches[c]);
	return before;
}

/*
 * A thread of init execs: it becomes pid 1 and init's role goes with it
 * (pid_ns->child_reaper), even with no children to hand on; the old
 * leader's task is freed once.  A later reboot finds the caches sound.
 */
TEST(test_exec_by_thread_of_init)
{
	struct task_struct *init, *t, *c;
	pid_t tpid, t2;
	int st;

	umm_shutdown();		/* a fresh init, with no children */
	ASSERT_EQ(umm_boot(NULL), 0);
	init = umm_init_task();
	ASSERT(list_empty(&init->children));

	TSTEP(tpid = (pid_t)umm_clone(init, THREAD));
	TSTEP(t2 = (pid_t)umm_clone(task(tpid), THREAD));
	t = umm_get_task(tpid);
	/* a vfork parent is asleep: it execs nothing */
	TSTEP(c = task((pid_t)umm_clone(t, CLONE_VM | CLONE_VFORK | SIGCHLD)));
	EXPECT_EQ(exec_true(t), -EBUSY);
	TSTEP(umm_exit(c, 0));
	EXPECT_EQ(umm_wait4(t, c->pid, &st, 0), c->pid);
	TSTEP(ASSERT_EQ(exec_true(t), 0));
	EXPECT_EQ(t->pid, 1);
	EXPECT(umm_init_task() == t);
	EXPECT(!umm_find_task(tpid) && !umm_find_task(t2));
	EXPECT_EQ(t->signal->nr_threads, 1);
	/* the new init still reaps orphans */
	c = fork_of(t);
	TSTEP(umm_exit(c, 1));
	EXPECT_EQ(umm_wait4(t, -1, &st, 0), c->pid);
	umm_put_task(t);
	TSTEP(reap_init());
}

/* An exec racing an exit_group() of its own group: one of them wins, cleanly. */
struct exec_racer {
	struct task_struct *t;
	long ret;
};

static void *exec_racer(void *arg)
{
	struct exec_racer *r = arg;

	r->ret = exec_true(r->t);
	return NULL;
}

TEST(test_exec_races_exit_group)
{
	struct task_struct *init = umm_init_task(), *p;
	long objs[ARRAY_SIZE(task_caches)];
	struct exec_racer r;
	unsigned long before;
	int st, won = 0;
	pthread_t th;
	pid_t t1;

	before = exec_warm_snapshot(objs);
	for (int i = 0; i < 40; i++) {
		p = umm_get_task(fork_of(init)->pid);	/* the exec may release it */
		TSTEP(t1 = (pid_t)umm_clone(p, THREAD));
		TSTEP((void)umm_clone(p, THREAD));
		r.t = umm_get_task(t1);
		ASSERT(r.t);
		ASSERT_EQ(pthread_create(&th, NULL, exec_racer, &r), 0);
		if (i & 1)
			umm_exit_group(p, 1);
		pthread_join(th, NULL);
		umm_put_task(p);
		EXPECT(r.ret == 0 || r.ret == -EAGAIN);
		won += !r.ret;
		ASSERT_EQ(umm_task_check(), 0);
		if (!(i & 1) || (r.ret == 0 && umm_find_task(r.t->pid) == r.t))
			umm_exit_group(r.t, 0);
		umm_put_task(r.t);
		while (umm_wait4(init, -1, &st, WNOHANG | __WALL) > 0)
			;
		ASSERT_EQ(umm_task_check(), 0);
	}
	EXPECT(won >= 20);	/* every even round */
	EXPECT_EQ(free_pages_settled(), before);
	for (size_t c = 0; c < ARRAY_SIZE(task_caches); c++)
		EXPECT_EQ(slab_active(task_caches[c]), objs[c]);
}

/*
 * An exec's error when an allocation fails: -ENOMEM, or what the kernel
 * says at that step (its code maps the failure the same way):
 * copy_strings() -E2BIG (get_arg_page() failing), load_elf_phdrs()
 * -ENOEXEC for the program and -ELIBBAD for its interpreter, the stack's
 * and bss's writes -EFAULT (copy_to_user(), clear_user()).
 */
static bool exec_oom_error(long err)
{
	return err == -ENOMEM || err == -E2BIG || err == -ENOEXEC || err == -ELIBBAD ||
	       err == -EFAULT;
}

/*
 * Out of memory at each allocation of an exec in turn: an error, and the
 * task (its mm, map count, comm, threads) as it was; in the end no page
 * and no task object is left over.
 */
TEST(test_exec_out_of_memory)
{
	static const char *const which[] = { "failslab", "fail_page_alloc" };
	long objs[ARRAY_SIZE(task_caches)];
	struct task_struct *init = umm_init_task(), *p;
	unsigned long before, a;
	int failed = 0, passed = 0, st, code = 0;

	before = exec_warm_snapshot(objs);
	for (size_t w = 0; w < ARRAY_SIZE(which); w++)
		for (int nth = 1; nth <= 80; nth++) {
			struct mm_struct *mm;
			int map_count;
			pid_t t1;
			long err;

			p = fork_of(init);
			mm = p->mm;
			STEP(a = (unsigned long)umm_mmap(mm, 0, 16 * P, RW, ANON, -1, 0));
			STEP(umm_touch(mm, a, 16 * P, 1, &code));
			TSTEP(t1 = (pid_t)umm_clone(p, THREAD));
			map_count = mm->map_count;
			set_injection(which[w], nth);
			err = exec_true(p);
			set_injection(which[w], 0);
			ASSERT_EQ(umm_task_check(), 0);
			if (err) {
				if (!exec_oom_error(err))
					printf("  %s nth %d: error %ld\n", which[w], nth, err);
				EXPECT(exec_oom_error(err));
				EXPECT(p->mm == mm && mm->map_count == map_count);
				EXPECT_EQ(umm_mm_check(mm), 0);
				EXPECT(umm_find_task(t1) && p->signal->nr_threads == 2);
				EXPECT(strcmp(p->comm, "true"));
				failed++;
			} else {
				EXPECT(p->mm != mm && !umm_find_task(t1));
				EXPECT_EQ(umm_mm_check(p->mm), 0);
				passed++;
			}
			TSTEP(umm_exit_group(p, 0));
			ASSERT_EQ(umm_wait4(init, p->pid, &st, 0) > 0, 1);
		}
	fprintf(stderr, "  exec out of memory: %d failed cleanly, %d went through\n", failed,
		passed);
	EXPECT(failed >= 40 && passed >= 1);
	EXPECT_EQ(free_pages_settled(), before);
	for (size_t c = 0; c < ARRAY_SIZE(task_caches); c++)
		EXPECT_EQ(slab_active(task_caches[c]), objs[c]);
	TSTEP(reap_init());
}

int main(void)
{
	alarm(300);	/* the watchdog: a hang (in a reboot, say) dies of SIGALRM */
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
	RUN(test_proc_status_and_stat);
	RUN(test_proc_cmdline_environ_auxv);
	RUN(test_rlimits_and_personality);
	RUN(test_proc_pid_paths);
	RUN(test_copy_process_out_of_memory);
	RUN(test_wait4_blocks);
	RUN(test_exec_after_vfork);
	RUN(test_exec_by_leader);
	RUN(test_exec_by_thread);
	RUN(test_exec_races_exit_group);
	RUN(test_exec_out_of_memory);
	RUN(test_exec_by_thread_of_init);	/* init is /usr/bin/true after this */
	RUN(test_pid_max_param);		/* reboots */
	RUN(test_pid_wrap_and_exhaustion);
	umm_shutdown();
	TEST_EXIT();
}
