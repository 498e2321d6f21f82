/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock.h - spinlock_t with the kernel's names.
 *
 * User space difference: a kernel spinlock holder cannot be preempted; a
 * user-space thread can.  A pure spin would then burn a whole time slice
 * behind a descheduled holder, so after a short bounded spin the waiter
 * yields the CPU.  The lock is a single byte-sized atomic (test and
 * test-and-set), acquire on lock and release on unlock, which TSan models.
 */
#ifndef _UMM_SPINLOCK_H
#define _UMM_SPINLOCK_H

#include "compiler.h"
#include <sched.h>

UMM_BEGIN_DECLS

typedef struct {
	int locked;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELAXED);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	return !__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) &&
	       !__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static __maybe_unused __cold void __spin_lock_slowpath(spinlock_t *lock)
{
	for (;;) {
		for (int i = 0; i < 128; i++) {
			if (spin_trylock(lock))
				return;
			cpu_relax();
		}
		sched_yield();
	}
}

static __always_inline void spin_lock(spinlock_t *lock)
{
	if (unlikely(__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)))
		__spin_lock_slowpath(lock);
}

static __always_inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED);
}

#define lockdep_assert_held(l) ((void)0)

UMM_END_DECLS

#endif /* _UMM_SPINLOCK_H */
