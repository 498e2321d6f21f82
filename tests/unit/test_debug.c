// SPDX-License-Identifier: GPL-2.0
/*
 * test_debug.c - the lock assertions of include/umm/debug.h trip when a
 * function is called without the lock it asserts, and only then.
 *
 * Each case runs in a forked child under alarm() (a hang is a failure):
 * a broken precondition must end the child with SIGABRT and one
 * "umm: BUG: ..." line on stderr naming the assertion; a kept one must
 * let it exit 0.  At UMM_DEBUG=0 the assertions are compiled out and
 * there is nothing to check: the test says so and is skipped (77).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tests/test.h"
#include "mm/internal.h"

#define P		PAGE_SIZE
#define BASE		0x200000000000UL

struct outcome {
	int status;		/* from waitpid() */
	char err[4096];		/* the child's stderr */
};

/* Run @fn in a child with stderr captured; its exit status and stderr. */
static void run_child(void (*fn)(void), struct outcome *o)
{
	int fds[2];
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	memset(o, 0, sizeof(*o));
	ASSERT_EQ(pipe(fds), 0);
	pid = fork();
	ASSERT(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		alarm(20);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while (got < sizeof(o->err) - 1 &&
	       (n = read(fds[0], o->err + got, sizeof(o->err) - 1 - got)) > 0)
		got += (size_t)n;
	close(fds[0]);
	ASSERT_EQ(waitpid(pid, &o->status, 0), pid);
}

/* @fn breaks a precondition: SIGABRT with @what on stderr (UMM_DEBUG >= 1). */
static void expect_bug(void (*fn)(void), const char *what)
{
	struct outcome o;

	run_child(fn, &o);
	if (UMM_DEBUG < 1) {
		EXPECT(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
		return;
	}
	EXPECT(WIFSIGNALED(o.status) && WTERMSIG(o.status) == SIGABRT);
	EXPECT(strstr(o.err, "umm: BUG: ") != NULL);
	EXPECT(strstr(o.err, what) != NULL);
	if (!strstr(o.err, what))
		fprintf(stderr, "  child's stderr: %s\n", o.err);
}

/* @fn keeps its preconditions: it exits 0 and says nothing. */
static void expect_clean(void (*fn)(void))
{
	struct outcome o;

	run_child(fn, &o);
	EXPECT(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	EXPECT_STREQ(o.err, "");
}

static struct mm_struct *mm_with_mapping(void)
{
	struct mm_struct *mm = umm_mm_create();

	if (!mm || umm_mmap(mm, BASE, 4 * P, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)BASE)
		_exit(3);
	return mm;
}

/* ---- mmap_assert_write_locked() and mmap_assert_locked() ---- */

static void munmap_unlocked(void)
{
	do_munmap(mm_with_mapping(), BASE, P);
}

static void munmap_read_locked(void)
{
	struct mm_struct *mm = mm_with_mapping();

	mmap_read_lock(mm);
	do_munmap(mm, BASE, P);
	mmap_read_unlock(mm);
}

static void munmap_write_locked(void)
{
	struct mm_struct *mm = mm_with_mapping();

	mmap_write_lock(mm);
	if (do_munmap(mm, BASE, P))
		_exit(4);
	mmap_write_unlock(mm);
	if (umm_mm_check(mm))
		_exit(5);
	umm_mm_destroy(mm);
}

static void find_vma_unlocked(void)
{
	find_vma(mm_with_mapping(), BASE);
}

static void find_vma_read_locked(void)
{
	struct mm_struct *mm = mm_with_mapping();

	mmap_read_lock(mm);
	if (!find_vma(mm, BASE))
		_exit(4);
	mmap_read_unlock(mm);
	umm_mm_destroy(mm);
}

TEST(test_mmap_assert_write_locked)
{
	expect_bug(munmap_unlocked, "mmap_assert_write_locked(mm)");
	/* a read hold is not enough for a change */
	expect_bug(munmap_read_locked, "mmap_assert_write_locked(mm)");
	expect_clean(munmap_write_locked);
}

TEST(test_mmap_assert_locked)
{
	expect_bug(find_vma_unlocked, "mmap_assert_locked(mm)");
	expect_clean(find_vma_read_locked);
}

/* ---- lockdep_assert_held() ---- */

static DEFINE_MUTEX(test_mutex);
static DEFINE_SPINLOCK(test_spinlock);
static pthread_mutex_t handoff = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t handoff_cond = PTHREAD_COND_INITIALIZER;
static int holder_state;	/* 1: the other thread holds both locks; 2: let go */

static void *holder(void *arg)
{
	(void)arg;
	mutex_lock(&test_mutex);
	spin_lock(&test_spinlock);
	pthread_mutex_lock(&handoff);
	holder_state = 1;
	pthread_cond_broadcast(&handoff_cond);
	while (holder_state != 2)
		pthread_cond_wait(&handoff_cond, &handoff);
	pthread_mutex_unlock(&handoff);
	spin_unlock(&test_spinlock);
	mutex_unlock(&test_mutex);
	return NULL;
}

/* Start holder() and wait until it holds both locks. */
static void held_elsewhere(void)
{
	static pthread_t t;

	if (pthread_create(&t, NULL, holder, NULL))
		_exit(3);
	pthread_mutex_lock(&handoff);
	while (holder_state != 1)
		pthread_cond_wait(&handoff_cond, &handoff);
	pthread_mutex_unlock(&handoff);
}

static void hotplug_unlocked(void)
{
	/* mm/memory_hotplug.c: the caller holds hotplug_lock */
	if (umm_boot("mem=64M"))
		_exit(3);
	__add_memory_pages(0, 0, 0);
}

static void mutex_held_by_other_thread(void)
{
	held_elsewhere();
	lockdep_assert_held(&test_mutex);
}

static void spinlock_held_by_other_thread(void)
{
	held_elsewhere();
	lockdep_assert_held(&test_spinlock);
}

static void spinlock_free(void)
{
	lockdep_assert_held(&test_spinlock);
}

static void both_held_here(void)
{
	mutex_lock(&test_mutex);
	spin_lock(&test_spinlock);
	lockdep_assert_held(&test_mutex);
	lockdep_assert_held(&test_spinlock);
	spin_unlock(&test_spinlock);
	mutex_unlock(&test_mutex);
}

/*
 * A waiter must not take over the owner: while another thread keeps
 * trying for the lock, the holder asserts it, with a pause inside so
 * that the waiter's attempts land while it is held.
 */
static int contend_stop;

static void *contender(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&contend_stop, __ATOMIC_RELAXED)) {
		spin_lock(&test_spinlock);
		spin_unlock(&test_spinlock);
	}
	return NULL;
}

static void spinlock_contended_still_mine(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, contender, NULL))
		_exit(3);
	for (int i = 0; i < 20000; i++) {
		spin_lock(&test_spinlock);
		for (int j = 0; j < 50; j++)
			cpu_relax();
		lockdep_assert_held(&test_spinlock);
		spin_unlock(&test_spinlock);
	}
	__atomic_store_n(&contend_stop, 1, __ATOMIC_RELAXED);
	pthread_join(t, NULL);
}

TEST(test_lockdep_assert_held)
{
	if (UMM_DEBUG >= 1)	/* at 0 it would run unlocked for real */
		expect_bug(hotplug_unlocked, "lockdep_assert_held(&physmem.hotplug_lock)");
	expect_bug(spinlock_free, "lockdep_assert_held(&test_spinlock)");
	/* held, but by another thread: still a bug */
	expect_bug(mutex_held_by_other_thread, "lockdep_assert_held(&test_mutex)");
	expect_bug(spinlock_held_by_other_thread, "lockdep_assert_held(&test_spinlock)");
	expect_clean(both_held_here);
	expect_clean(spinlock_contended_still_mine);
}

/* ---- VM_BUG_ON() and VM_WARN_ON_ONCE() ---- */

static void bug_on_true(void)
{
	int broken = 1;

	VM_BUG_ON(broken == 1);
}

static void warn_once_twice(void)
{
	for (int i = 0; i < 2; i++)
		VM_WARN_ON_ONCE(i >= 0);
}

TEST(test_vm_bug_on)
{
	struct outcome o;

	expect_bug(bug_on_true, "VM_BUG_ON(broken == 1)");
	run_child(warn_once_twice, &o);
	EXPECT(WIFEXITED(o.status) && WEXITSTATUS(o.status) == 0);
	if (UMM_DEBUG >= 1) {
		const char *first = strstr(o.err, "umm: WARNING: VM_WARN_ON_ONCE(i >= 0)");

		EXPECT(first != NULL);
		EXPECT(first && !strstr(first + 1, "umm: WARNING"));	/* once */
	} else {
		EXPECT_STREQ(o.err, "");
	}
}

int main(void)
{
	fprintf(stderr, "UMM_DEBUG=%d\n", UMM_DEBUG);
	if (UMM_DEBUG < 1) {
		printf("skipped: UMM_DEBUG=0 build\n");
		return 77;
	}
	RUN(test_mmap_assert_write_locked);
	RUN(test_mmap_assert_locked);
	RUN(test_lockdep_assert_held);
	RUN(test_vm_bug_on);
	TEST_EXIT();
}
