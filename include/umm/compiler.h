/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compiler.h - the small vocabulary every umm file shares: branch hints,
 * export control, container_of, READ_ONCE/WRITE_ONCE, and the kernel's
 * integer and error-pointer conventions.
 *
 * umm builds with -fvisibility=hidden; UMM_API marks what the library
 * exports (the kernel API and the umm_* entry points), nothing else leaks.
 */
#ifndef _UMM_COMPILER_H
#define _UMM_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

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

#endif /* _UMM_COMPILER_H */
