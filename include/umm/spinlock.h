/* SPDX-License-Identifier: GPL-2.0 */
/*
 * spinlock.h - spinlock_t and struct mutex with the kernel's names, and
 * lockdep_assert_held() for both.
 *
 * User space difference: a kernel spinlock holder cannot be preempted; a
 * user-space thread can.  A pure spin would then burn a whole time slice
 * behind a descheduled holder, so after a short bounded spin the waiter
 * yields the CPU.  The lock is a single int-sized atomic (test and
 * compare-and-swap), acquire on lock and release on unlock, which TSan
 * models.
 *
 * Owner tracking (UMM_DEBUG >= 1, include/umm/debug.h): the lock word
 * holds the owner's current_lock_owner() instead of 1, and a mutex keeps
 * its owner next to the pthread mutex, so lockdep_assert_held() can say
 * whether *this* thread holds it, as lockdep does.  The layout is the
 * same at every level (a spinlock stays one int, as slab_lock() needs).
 *
 * struct mutex is a pthread mutex (the kernel's sleeping lock); umm also
 * uses it where the kernel has a spinlock that may be held across work a
 * user-space thread can be descheduled in (mm->page_table_lock).
 */
#ifndef _UMM_SPINLOCK_H
#define _UMM_SPINLOCK_H

#include "compiler.h"
#include <pthread.h>
#include <sched.h>
#include "debug.h"

UMM_BEGIN_DECLS

typedef struct {
	int locked;		/* 0, or the owner (1 when UMM_DEBUG is 0) */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELAXED);
}

/*
 * Take the lock if it is free: a compare-and-swap from 0, never an
 * exchange, so that a waiter cannot overwrite the holder's owner.
 */
static __always_inline bool __spin_trylock(spinlock_t *lock)
{
	int unlocked = 0;

	return __atomic_compare_exchange_n(&lock->locked, &unlocked, current_lock_owner(),
					   false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline bool spin_trylock(spinlock_t *lock)
{
	return !__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) && __spin_trylock(lock);
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
	if (unlikely(!__spin_trylock(lock)))
		__spin_lock_slowpath(lock);
}

#if UMM_LOCK_STAT
/*
 * Lock statistics (-DUMM_LOCK_STAT=ON, the kernel's CONFIG_LOCK_STAT in
 * spirit): every spin_lock() and successful spin_trylock() call site
 * counts its acquisitions, and those whose first try failed (and failed
 * trylocks) count as contentions.  Sites stand for lock classes: slab_lock() is one site,
 * and so is each place a zone's lock is taken.  The counters are shared
 * atomics, so the build runs slower and its timings are not umm's; its
 * counts are what bench/scaling_model reads (kernel/locking/lockstat.c).
 */
struct lock_site {
	const char *file;
	const char *func;
	int line;
	int registered;
	unsigned long acquisitions;
	unsigned long contentions;
	struct lock_site *next;
};

UMM_API void lock_stat_register(struct lock_site *site);

static __always_inline void lock_stat_count(struct lock_site *site, bool acquired, bool contended)
{
	if (unlikely(!__atomic_load_n(&site->registered, __ATOMIC_ACQUIRE)))
		lock_stat_register(site);
	if (acquired)
		__atomic_fetch_add(&site->acquisitions, 1, __ATOMIC_RELAXED);
	if (contended)
		__atomic_fetch_add(&site->contentions, 1, __ATOMIC_RELAXED);
}

static __always_inline void __spin_lock_stat(spinlock_t *lock, struct lock_site *site)
{
	bool contended = !__spin_trylock(lock);

	if (contended)
		__spin_lock_slowpath(lock);
	lock_stat_count(site, true, contended);
}

static __always_inline bool __spin_trylock_stat(spinlock_t *lock, struct lock_site *site)
{
	bool taken = spin_trylock(lock);

	lock_stat_count(site, taken, !taken);	/* a failed trylock counts as contended */
	return taken;
}

#define LOCK_SITE(name) static struct lock_site name = { __FILE__, __func__, __LINE__, 0, 0, 0, NULL }
#define spin_lock(l)	({ LOCK_SITE(__site); __spin_lock_stat((l), &__site); })
#define spin_trylock(l)	({ LOCK_SITE(__site); __spin_trylock_stat((l), &__site); })
#endif

static __always_inline void spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED);
}

/* ---- struct mutex ---- */

struct mutex {
	pthread_mutex_t lock;
	int owner;		/* current_lock_owner() of the holder; 0: none/untracked */
};

#define __MUTEX_INITIALIZER { PTHREAD_MUTEX_INITIALIZER, 0 }
#define DEFINE_MUTEX(x) struct mutex x = __MUTEX_INITIALIZER

static inline void mutex_init(struct mutex *m)
{
	pthread_mutex_init(&m->lock, NULL);
	m->owner = 0;
}

static inline void mutex_destroy(struct mutex *m)
{
	pthread_mutex_destroy(&m->lock);
}

static inline void mutex_set_owner(struct mutex *m)
{
	if (UMM_DEBUG >= 1)
		__atomic_store_n(&m->owner, current_lock_owner(), __ATOMIC_RELAXED);
}

static __always_inline void mutex_lock(struct mutex *m)
{
	pthread_mutex_lock(&m->lock);
	mutex_set_owner(m);
}

/* true if taken, as the kernel's (not pthread's 0). */
static __always_inline bool mutex_trylock(struct mutex *m)
{
	if (pthread_mutex_trylock(&m->lock))
		return false;
	mutex_set_owner(m);
	return true;
}

static __always_inline void mutex_unlock(struct mutex *m)
{
	if (UMM_DEBUG >= 1)
		__atomic_store_n(&m->owner, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&m->lock);
}

/* ---- lockdep_assert_held() ---- */

#if UMM_DEBUG >= 1
static inline void __spin_assert_held(spinlock_t *l, const char *file, int line,
				      const char *func, const char *what)
{
	if (unlikely(__atomic_load_n(&l->locked, __ATOMIC_RELAXED) != current_lock_owner()))
		umm_bug(file, line, func, what);
}

static inline void __mutex_assert_held(struct mutex *m, const char *file, int line,
				       const char *func, const char *what)
{
	if (unlikely(__atomic_load_n(&m->owner, __ATOMIC_RELAXED) != current_lock_owner()))
		umm_bug(file, line, func, what);
}

/* @l: a spinlock_t * or a struct mutex *, held by the calling thread. */
#define lockdep_assert_held(l)						\
	_Generic((l),							\
		 spinlock_t *: __spin_assert_held,			\
		 struct mutex *: __mutex_assert_held)			\
		((l), __FILE__, __LINE__, __func__,			\
		 "lockdep_assert_held(" #l "): not held by this thread")
#else
#define lockdep_assert_held(l)	((void)sizeof(l))
#endif

UMM_END_DECLS

#endif /* _UMM_SPINLOCK_H */
