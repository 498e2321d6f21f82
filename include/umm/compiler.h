/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compiler.h - the small vocabulary every umm file shares: branch hints,
 * export control, container_of, READ_ONCE/WRITE_ONCE, and the kernel's
 * integer and error-pointer conventions.
 *
 * umm builds with -fvisibility=hidden; UMM_API marks what the library
 * exports (the kernel API and the umm_* entry points), nothing else leaks.
 *
 * The headers are C11 and C++ (from C++17): every public header opens
 * its declarations with UMM_BEGIN_DECLS (extern "C") and closes them
 * with UMM_END_DECLS, and names no member with a C++ keyword.  They need
 * POSIX.1-2008 (pthread_rwlock_t), which a strict -std=c11 hides unless
 * a feature macro asks for it: umm.pc's Cflags carry -D_DEFAULT_SOURCE,
 * and a program built without them gets it here when <umm.h> comes
 * before any system header (glibc reads <features.h> once).
 */
#ifndef _UMM_COMPILER_H
#define _UMM_COMPILER_H

#if !defined(_FEATURES_H) && !defined(_GNU_SOURCE) && !defined(_DEFAULT_SOURCE) && \
	!defined(_POSIX_C_SOURCE) && !defined(_XOPEN_SOURCE)
#define _DEFAULT_SOURCE 1
#endif

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#if defined(__GLIBC__) && !defined(__USE_XOPEN2K)
#error "umm.h needs POSIX.1-2008: build with $(pkg-config --cflags umm) (-D_DEFAULT_SOURCE), or include <umm.h> first"
#endif

#ifdef __cplusplus
#define UMM_BEGIN_DECLS	extern "C" {
#define UMM_END_DECLS	}
#else
#define UMM_BEGIN_DECLS
#define UMM_END_DECLS
#endif

/*
 * The kernel's page->private and walk->private: "private" is a C++
 * keyword, so C++ code sees those members as private_ (same type, same
 * place); page_private()/set_page_private() work in both.
 */
#ifdef __cplusplus
#define UMM_PRIVATE	private_
#else
#define UMM_PRIVATE	private
#endif

#ifndef UMM_API
#ifdef UMM_MALLOC_BUILD
/* libumm-malloc.so exports malloc and friends only: the kernel API stays inside. */
#define UMM_API __attribute__((visibility("hidden")))
#else
#define UMM_API __attribute__((visibility("default")))
#endif
#endif

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#define __cold		__attribute__((cold, noinline))
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define __maybe_unused	__attribute__((unused))
#define __must_check	__attribute__((warn_unused_result))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __aligned(x)	__attribute__((aligned(x)))
#define ____cacheline_aligned __attribute__((aligned(64)))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/*
 * Relaxed atomics rather than volatile accesses: same code on x86-64,
 * and ThreadSanitizer sees the intended lockless accesses as atomic
 * (the kernel's data_race() cases).  Scalars only.
 */
#define READ_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1UL << (n))
#define ALIGN(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define min(a, b)	((a) < (b) ? (a) : (b))
#define max(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)

UMM_BEGIN_DECLS

typedef unsigned int gfp_t;
typedef unsigned long pgoff_t;
typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef int64_t s64;

/* Error pointers, as in include/linux/err.h. */
#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

UMM_END_DECLS

#endif /* _UMM_COMPILER_H */
