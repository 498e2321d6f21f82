// SPDX-License-Identifier: GPL-2.0
/*
 * fork_gate.c - keeping fork() safe while other threads allocate.
 *
 * Owns: the fork gate and umm's pthread_atfork handlers.
 *
 * A child of fork() has one thread, the one that forked, and a copy of
 * every lock as it was: a zone lock or a slab lock that another thread
 * held at that instant would stay held in the child forever, over data
 * that thread was halfway through changing.  So every path that takes an
 * allocator lock runs inside the gate (umm_gate_enter/exit, nestable per
 * thread), and the prepare handler closes the gate and waits until no
 * thread is inside before fork() copies the process; the parent and the
 * child reopen it.  The fast paths that take no lock (the per-thread slab
 * freelists) do not enter the gate and cost nothing.
 *
 * The gate only runs when umm.backing=anon (the malloc front end's mode):
 * with the default memfd backing, parent and child share umm's physical
 * memory anyway (one machine, two processes), and fork() is the user's
 * business.  Then umm_gate_enter() is one load and a not-taken branch.
 *
 * The locks, and why none is held when fork() copies the process:
 *  - inside the gate, so covered by the prepare handler: slab_mutex,
 *    slub_threads_lock (a thread's first allocation, its exit, the stats
 *    and cache destruction walks), n->list_lock and slab_lock() (slub's
 *    slow paths; the stack slot of an exiting thread's last frees), zone
 *    and pcp locks (page_alloc.c, vmstat.c, page_reporting.c: the callers
 *    enter), hotplug_lock (memory_hotplug.c), the vmalloc locks
 *    (vmap_area_lock, free/purge_vmap_area_lock, vmap_purge_lock, the
 *    vmap block locks; vmalloc.c's entries enter), and what /proc reads
 *    take (fs/proc/proc.c enters).  Nothing inside the gate waits for a
 *    lock taken outside it, so the prepare handler's wait always ends.
 *  - boot_lock (mm_init.c): taken by umm_boot() before the gate exists.
 *    Under the malloc front end the boot is the process's first
 *    allocation, which pthread_create() itself makes (the new thread's
 *    TLS vector) before the thread exists: a second thread that could
 *    fork() meanwhile can only be one made with a raw clone().  Such a
 *    fork() would leave the child with a half-booted umm; this file does
 *    not lift that limit.
 *  - the process model's locks (mmap_lock, page_table_lock,
 *    vma_index_lock, anon_vma and i_pages locks, mm_list_lock,
 *    files_lock, host_mappings_lock): never taken by the malloc front
 *    end, but for the page cache's reclaim, which the page allocator may
 *    run inside the gate and which only trylocks host_mappings_lock and
 *    i_pages_lock.  A libumm program that drives umm_mm_* from several threads
 *    and forks must hold its own lock around both, as it must for any
 *    library's state.
 *  - glibc's own: umm's slow paths call only system calls, pthread_once,
 *    pthread_setspecific and pthread_atfork (slub's track tid), which
 *    glibc's fork() does not hold while prepare handlers run.
 *
 * Handler order: glibc runs prepare handlers last registered first, and
 * parent and child handlers first registered first.  umm registers at its
 * boot, the first allocation, before nearly every other library or the
 * program: so theirs prepare before umm's gate closes and run their
 * parent and child handlers after it reopens, and may allocate there.
 * A handler registered before umm's (by code that ran before the first
 * malloc) prepares after the gate has closed: the thread that closed it
 * passes it (gate_forking), still counted so that a concurrent fork()
 * waits for it, and leaves it before fork() copies the process.
 *
 * fork() from a signal handler (not async-signal-safe, and glibc's own
 * malloc deadlocks there): a thread interrupted inside the gate must not
 * wait for itself.  Its own count (gate_counted, set before it counts
 * and cleared after it uncounts) is let through.  Nor does it wait for
 * ever for the others (SIGNAL_FORK_WAIT_MS): one may spin on a lock the
 * interrupted thread holds.  The child keeps the interrupted thread's
 * gate depth, and the other threads' slots are reaped when it leaves the
 * gate, since it may hold slub_threads_lock.  fork() in a handler is best
 * effort: such a child may find a lock another thread held for ever, and
 * a signal that lands in the instruction or two between setting
 * gate_counted and counting (or uncounting and clearing it) leaves the
 * child's gate_readers one too high, so that a later fork() in that
 * child waits for ever.
 *
 * Concurrent fork()s: fork_pending counts them, so the gate stays shut
 * until the last one's parent handler has run.
 *
 * The count of threads inside is striped, as percpu_rw_semaphore keeps
 * its readers per CPU: GATE_STRIPES counters a cache line each, a thread
 * counting on its own (given out in turn at its first entry), and the
 * prepare handler summing them.  One shared counter would be a cache line
 * that every slow path of every thread writes twice.  The sum needs no
 * snapshot: a thread counts itself before it reads fork_pending, both
 * sequentially consistent, so one that the handler's read of its stripe
 * misses sees fork_pending and backs out, and one already inside stays
 * counted until it leaves; the handler sums again until no one is.
 *
 * vfork(), posix_spawn() (clone(CLONE_VM | CLONE_VFORK)) and system()
 * (posix_spawn() in glibc): no handlers run, and none are needed: the
 * child shares the parent's memory and its locks, holds none when it
 * starts, and execs or _exit()s without allocating (a vfork() child that
 * allocates uses the suspended parent thread's slot, as a thread would).
 *
 * In the child, the other threads' per-thread slabs belong to threads
 * that do not exist there: slub_fork_child() hands them back.
 *
 * Page reporting's host calls run inside the gate too: a reported whole
 * max-order block gives back its memmap and is marked deferred again
 * under zone->lock (mm/memory_hotplug.c's __memmap_redefer()), so the
 * child's copy of mem_map and of the deferred bitmap shows each block
 * either before that or after it, never half of it zeroed.
 *
 * The reclaim worker (mm/vmstat.c) runs each pass inside the gate, so
 * fork() waits for a pass to end and never copies a lock it holds; it
 * sleeps outside.  A free that wants the worker started sets
 * vmstat_worker_pending, and the thread leaving the gate starts it
 * (pthread_create() allocates: it must hold no allocator lock), unless a
 * fork() is pending.  The child has no worker: umm_fork_child() forgets
 * it, and the child's first free that leaves an unreported block starts
 * its own (a child that only execs makes no thread).
 */
#include <sched.h>
#include <time.h>
#include "internal.h"

bool umm_gate_on;
__thread unsigned int umm_gate_depth __attribute__((tls_model("initial-exec")));
/* This thread's count may be in gate_readers: set before, cleared after. */
static __thread bool gate_counted __attribute__((tls_model("initial-exec")));
/* This thread closed the gate for its fork(): it passes freely. */
static __thread bool gate_forking __attribute__((tls_model("initial-exec")));
static int fork_pending;	/* fork()s between prepare and parent/child */

#define GATE_STRIPES 64
/* Threads inside the gate, striped (see the head comment). */
static struct {
	long readers;
} __attribute__((aligned(64))) gate_readers[GATE_STRIPES];
static unsigned int gate_next_stripe;
/* This thread's stripe, plus one (0: not given yet). */
static __thread unsigned int gate_stripe __attribute__((tls_model("initial-exec")));
static bool child_reap_pending;	/* forked inside the gate: reap at its exit */

/* A store a signal handler on this thread sees in program order. */
static __always_inline void gate_set_counted(bool counted)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	gate_counted = counted;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static __always_inline long *gate_my_readers(void)
{
	if (unlikely(!gate_stripe))
		gate_stripe = __atomic_fetch_add(&gate_next_stripe, 1, __ATOMIC_RELAXED) %
			      GATE_STRIPES + 1;
	return &gate_readers[gate_stripe - 1].readers;
}

static long gate_readers_sum(void)
{
	long sum = 0;

	for (unsigned int i = 0; i < GATE_STRIPES; i++)
		sum += __atomic_load_n(&gate_readers[i].readers, __ATOMIC_SEQ_CST);
	return sum;
}

void __umm_gate_enter(void)
{
	long *readers = gate_my_readers();

	for (;;) {
		while (!gate_forking && __atomic_load_n(&fork_pending, __ATOMIC_ACQUIRE))
			sched_yield();
		gate_set_counted(true);
		__atomic_fetch_add(readers, 1, __ATOMIC_SEQ_CST);
		if (gate_forking || !__atomic_load_n(&fork_pending, __ATOMIC_SEQ_CST))
			return;
		__atomic_fetch_sub(readers, 1, __ATOMIC_SEQ_CST);
		gate_set_counted(false);
	}
}

/* The child of a fork() from inside the gate hands back the other threads' slots now. */
static __cold void gate_child_reap(void)
{
	child_reap_pending = false;
	umm_gate_enter();
	slub_fork_child();
	/* Those frees start no reclaim worker: the child's own will. */
	__atomic_store_n(&vmstat_worker_pending, 0, __ATOMIC_RELAXED);
	umm_gate_exit();
}

void __umm_gate_exit(void)
{
	__atomic_fetch_sub(gate_my_readers(), 1, __ATOMIC_RELEASE);
	gate_set_counted(false);
	if (unlikely(child_reap_pending))
		gate_child_reap();
	/* A free asked for the reclaim worker: no lock is held here (mm/vmstat.c). */
	if (unlikely(__atomic_load_n(&vmstat_worker_pending, __ATOMIC_RELAXED)) &&
	    !gate_forking && !__atomic_load_n(&fork_pending, __ATOMIC_RELAXED))
		vmstat_worker_start();
}

/* Monotonic milliseconds (clock_gettime() is async-signal-safe). */
static long gate_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Close the gate and wait for the threads inside to leave.  A fork()
 * from a signal handler that interrupted this very thread inside the
 * gate must not wait for itself: its own count is let through.  Nor may
 * it wait for ever for the others: one of them may be spinning on a lock
 * the interrupted thread holds (a zone lock, say), or be a second thread
 * interrupted inside the gate that forks too.  It waits at most
 * SIGNAL_FORK_WAIT_MS, so the parent never hangs; a child of a fork()
 * that gave up waiting may find a lock held for ever.
 */
#define SIGNAL_FORK_WAIT_MS	50

static void umm_fork_prepare(void)
{
	long self = gate_counted, deadline = 0;

	if (!umm_gate_on)
		return;
	__atomic_fetch_add(&fork_pending, 1, __ATOMIC_SEQ_CST);
	if (self)
		deadline = gate_now_ms() + SIGNAL_FORK_WAIT_MS;
	while (gate_readers_sum() > self) {
		if (self && gate_now_ms() > deadline)
			break;
		sched_yield();
	}
	gate_forking = true;
}

static void umm_fork_parent(void)
{
	if (!umm_gate_on)
		return;
	gate_forking = false;
	__atomic_fetch_sub(&fork_pending, 1, __ATOMIC_RELEASE);
}

/*
 * The child has one thread: no other fork() is pending, and nobody else
 * is inside.  Reaping the other threads' slots takes slub_threads_lock,
 * which this thread itself may hold when it forked from inside the gate:
 * then the reaping waits until it leaves the gate.
 */
static void umm_fork_child(void)
{
	if (!umm_gate_on)
		return;
	gate_forking = false;
	for (unsigned int i = 0; i < GATE_STRIPES; i++)
		gate_readers[i].readers = 0;
	if (gate_counted)
		*gate_my_readers() = 1;
	__atomic_store_n(&fork_pending, 0, __ATOMIC_RELEASE);
	if (!umm_booted)
		return;
	vmstat_worker_fork_child();
	if (umm_gate_depth)
		child_reap_pending = true;
	else
		gate_child_reap();
}

/*
 * Called once umm is up (pthread_atfork may itself allocate).  Handlers
 * registered later (most of a program's) prepare before umm's and run
 * their parent and child handlers after umm's: they may allocate there.
 */
void umm_fork_gate_init(void)
{
	static bool registered;

	umm_gate_on = umm_cfg.backing_anon;
	if (umm_gate_on && !registered) {
		registered = true;
		pthread_atfork(umm_fork_prepare, umm_fork_parent, umm_fork_child);
	}
}
