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
 * In the child, the other threads' per-thread slabs belong to threads
 * that do not exist there: slub_fork_child() hands them back.
 */
#include <sched.h>
#include "internal.h"

bool umm_gate_on;
__thread unsigned int umm_gate_depth __attribute__((tls_model("initial-exec")));
static int fork_pending;
static long gate_readers;

void __umm_gate_enter(void)
{
	for (;;) {
		while (__atomic_load_n(&fork_pending, __ATOMIC_ACQUIRE))
			sched_yield();
		__atomic_fetch_add(&gate_readers, 1, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&fork_pending, __ATOMIC_SEQ_CST))
			return;
		__atomic_fetch_sub(&gate_readers, 1, __ATOMIC_SEQ_CST);
	}
}

void __umm_gate_exit(void)
{
	__atomic_fetch_sub(&gate_readers, 1, __ATOMIC_RELEASE);
}

static void umm_fork_prepare(void)
{
	if (!umm_gate_on)
		return;
	__atomic_store_n(&fork_pending, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&gate_readers, __ATOMIC_SEQ_CST))
		sched_yield();
}

static void umm_fork_parent(void)
{
	if (umm_gate_on)
		__atomic_store_n(&fork_pending, 0, __ATOMIC_RELEASE);
}

static void umm_fork_child(void)
{
	if (!umm_gate_on)
		return;
	gate_readers = 0;
	umm_gate_depth = 0;
	__atomic_store_n(&fork_pending, 0, __ATOMIC_RELEASE);
	if (umm_booted)
		slub_fork_child();
}

/* Called once umm is up (pthread_atfork may itself allocate). */
void umm_fork_gate_init(void)
{
	static bool registered;

	umm_gate_on = umm_cfg.backing_anon;
	if (umm_gate_on && !registered) {
		registered = true;
		pthread_atfork(umm_fork_prepare, umm_fork_parent, umm_fork_child);
	}
}
