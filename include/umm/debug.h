/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debug.h - assertions on umm's own state (include/linux/mmdebug.h,
 * include/asm-generic/bug.h, the lockdep_assert_*() of lockdep.h).
 *
 * UMM_DEBUG, set by the build (CMake's UMM_DEBUG option, written into the
 * installed <umm/config.h> so that users' code follows it), picks how much
 * is checked, as CONFIG_DEBUG_VM and friends do in the kernel:
 *   0  nothing: the conditions are type-checked but never evaluated;
 *   1  VM_BUG_ON() and the lock assertions (lockdep_assert_held(),
 *      mmap_assert_locked(), mmap_assert_write_locked()); locks record
 *      the thread that holds them, so "held" means held by this thread;
 *   2  also the structures' invariant checkers (umm_mm_check(),
 *      kmem_cache_validate(), umm_vmalloc_check(), ...) at the API's
 *      entry points, through VM_CHECK().
 *
 * A failed VM_BUG_ON() or assertion prints one line naming the file,
 * line, function and condition, "umm: BUG: ...", and abort()s: the state
 * is already wrong, going on would only hide where.  VM_WARN_ON() prints
 * "umm: WARNING: ..." and goes on; VM_WARN_ON_ONCE() does so once per
 * call site.
 */
#ifndef _UMM_DEBUG_H
#define _UMM_DEBUG_H

#include "compiler.h"
#include <umm/config.h>	/* UMM_DEBUG, as the library was built */

UMM_BEGIN_DECLS

UMM_API __attribute__((noreturn)) __cold void umm_bug(const char *file, int line,
						      const char *func, const char *what);
UMM_API __cold void umm_warn(const char *file, int line, const char *func, const char *what);

#if UMM_DEBUG >= 1
/*
 * The thread that holds a lock, as locks record it: a small number given
 * to each thread on first use, never 0 (0 is "unlocked").
 */
UMM_API extern __thread int umm_lock_owner_id;
UMM_API int umm_lock_owner_assign(void);

static __always_inline int current_lock_owner(void)
{
	int id = umm_lock_owner_id;

	return likely(id) ? id : umm_lock_owner_assign();
}
#else
#define current_lock_owner()	1
#endif

UMM_END_DECLS

#define __VM_BUG(what)		umm_bug(__FILE__, __LINE__, __func__, what)

#if UMM_DEBUG >= 1
#define VM_BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			__VM_BUG("VM_BUG_ON(" #cond ")");		\
	} while (0)
#define VM_WARN_ON(cond)						\
	do {								\
		if (unlikely(cond))					\
			umm_warn(__FILE__, __LINE__, __func__,		\
				 "VM_WARN_ON(" #cond ")");		\
	} while (0)
#define VM_WARN_ON_ONCE(cond)						\
	do {								\
		static bool __warned;					\
		if (unlikely(cond) &&					\
		    !__atomic_exchange_n(&__warned, true, __ATOMIC_RELAXED)) \
			umm_warn(__FILE__, __LINE__, __func__,		\
				 "VM_WARN_ON_ONCE(" #cond ")");		\
	} while (0)
#else
/* Type-checked, never evaluated (the kernel's BUILD_BUG_ON_INVALID()). */
#define VM_BUG_ON(cond)		((void)sizeof((long)(cond)))
#define VM_WARN_ON(cond)	((void)sizeof((long)(cond)))
#define VM_WARN_ON_ONCE(cond)	((void)sizeof((long)(cond)))
#endif

/*
 * VM_BUG_ON_PAGE/VMA/MM: the same, first printing the object (its
 * dump_page()/dump_vma()/dump_mm() line) so the report says which one.
 */
struct page;
struct vm_area_struct;
struct mm_struct;
UMM_API __cold void dump_page(const struct page *page, const char *reason);
UMM_API __cold void dump_vma(const struct vm_area_struct *vma);
UMM_API __cold void dump_mm(const struct mm_struct *mm);

#if UMM_DEBUG >= 1
#define __VM_BUG_ON_OBJ(cond, dump, obj, name)				\
	do {								\
		if (unlikely(cond)) {					\
			dump;						\
			__VM_BUG(name "(" #cond ")");			\
		}							\
	} while (0)
#define VM_BUG_ON_PAGE(cond, page) \
	__VM_BUG_ON_OBJ(cond, dump_page(page, NULL), page, "VM_BUG_ON_PAGE")
#define VM_BUG_ON_VMA(cond, vma) \
	__VM_BUG_ON_OBJ(cond, dump_vma(vma), vma, "VM_BUG_ON_VMA")
#define VM_BUG_ON_MM(cond, mm) \
	__VM_BUG_ON_OBJ(cond, dump_mm(mm), mm, "VM_BUG_ON_MM")
#else
#define VM_BUG_ON_PAGE(cond, page)	((void)sizeof((long)(cond)), (void)sizeof(page))
#define VM_BUG_ON_VMA(cond, vma)	((void)sizeof((long)(cond)), (void)sizeof(vma))
#define VM_BUG_ON_MM(cond, mm)		((void)sizeof((long)(cond)), (void)sizeof(mm))
#endif

/*
 * VM_CHECK(expr): at UMM_DEBUG >= 2, run an invariant checker (0 when the
 * structure is sound, else it has printed what broke) and abort if it
 * fails.  At lower levels, nothing.
 */
#if UMM_DEBUG >= 2
#define VM_CHECK(expr)							\
	do {								\
		if (unlikely((expr) != 0))				\
			__VM_BUG("VM_CHECK(" #expr ")");		\
	} while (0)
#else
#define VM_CHECK(expr)		do { } while (0)
#endif

#endif /* _UMM_DEBUG_H */
