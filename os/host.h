/* SPDX-License-Identifier: GPL-2.0 */
/*
 * host.h - the seam between umm and the host kernel: every mmap, memfd,
 * fallocate and madvise umm makes goes through here, so that one file
 * says what umm asks of the host and tests can reason about it.
 *
 * Vocabulary: "reserve" = address space only (PROT_NONE, no commit),
 * "map frames" = make a range of the physical-memory memfd visible at an
 * address (MAP_SHARED, so the same frame can appear at several addresses),
 * "release" = hand the frames' memory back to the host (hole punch).
 */
#ifndef _UMM_OS_HOST_H
#define _UMM_OS_HOST_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

int host_memfd_create(const char *name, size_t size);
void host_memfd_close(int fd);
/* Reserve size bytes of address space aligned to align (a power of 2). */
void *host_reserve(size_t size, size_t align);
void host_unreserve(void *addr, size_t size);
/* Turn part of a reservation back into a reservation (drops contents). */
int host_rereserve(void *addr, size_t size);
/*
 * Map [off, off + size) of fd at addr, which lies in a reservation; with
 * fd < 0 (umm.backing=anon), fresh private anonymous memory instead.
 */
int host_map_frames(void *addr, int fd, off_t off, size_t size, int prot);
/*
 * Commit anonymous read-write memory over part of a reservation, in
 * small pages (MADV_NOHUGEPAGE): its user, mem_map, is written sparsely
 * (deferred struct pages), and a transparent huge page would make 2 MiB
 * of it resident at the first struct page written.
 */
int host_commit(void *addr, size_t size);
/*
 * Give frames back to the host; contents become zero: a hole punched in
 * fd at [off, off + size), or with fd < 0 MADV_DONTNEED at addr.
 */
int host_release(int fd, off_t off, size_t size, void *addr);
/*
 * Give back the host pages of [addr, addr + size), whole host pages of
 * anonymous memory from host_commit() or host_alloc(): MADV_DONTNEED, so
 * that they read as zero again and no longer count in the RSS.  0 or a
 * negative errno.
 */
int host_discard(void *addr, size_t size);
/* The host's page size (sysconf(_SC_PAGESIZE)), which may exceed umm's. */
size_t host_page_size(void);
/* Bulk memory for umm's own boot-time tables (memblock). */
void *host_alloc(size_t size);
void host_free(void *addr, size_t size);
/*
 * A thread of umm's own (a kernel thread's stand-in): started with every
 * signal blocked, so that the program's handlers never run on it, and
 * named @name (15 characters at most, as /proc/PID/task/TID/comm shows).
 * pthread_create() allocates the new thread's TLS vector with malloc(),
 * so the malloc front end calls it with no allocator lock held.  0 or a
 * negative errno.
 */
int host_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg, const char *name);
/*
 * Sleep while *@word == @val (a private futex), at most @timeout_ms
 * milliseconds (< 0: no limit); host_wake() wakes every sleeper.
 */
void host_wait(int *word, int val, long timeout_ms);
void host_wake(int *word);
/*
 * memset(@p, 0, @n) for static data that is most likely zero already
 * (a first boot): a page of it that reads as zero is left unwritten, so
 * that it stays the host's shared zero page and costs no memory.
 */
void host_zero_static(void *p, size_t n);
/* This process's resident set size in bytes, from /proc/self/statm. */
long host_rss_bytes(void);
/*
 * Without rseq: sched_getcpu() every 64 calls, a thread-local cache
 * between (host_cpu() reads it inline; initial-exec, one %fs load).
 */
unsigned int host_cpu_slow(void);
extern __thread unsigned int host_cpu_cache __attribute__((tls_model("initial-exec")));
extern __thread unsigned int host_cpu_uses __attribute__((tls_model("initial-exec")));

/*
 * glibc >= 2.35 registers rseq and exports where its area is: the
 * thread-pointer offset of its cpu_id field, or 0 where glibc has none
 * (valgrind, old glibc), read once at startup (os/host.c).
 */
extern ptrdiff_t host_rseq_cpu_id;

/*
 * The CPU the caller runs on without a call: the kernel keeps it in the
 * thread's rseq area (struct rseq: u32 cpu_id_start, u32 cpu_id, ...),
 * two loads; without rseq (valgrind, old glibc) the thread's cache.
 * False where a call would be needed (the cache due for a refresh): fast
 * paths that stay leaves fall back on their general paths then.
 */
static inline bool host_cpu_cached(unsigned int *cpu)
{
#if defined(__x86_64__)
	ptrdiff_t off = host_rseq_cpu_id;

	if (__builtin_expect(off != 0, 1)) {
		unsigned long tp;
		int c;

		__asm__("mov %%fs:0, %0" : "=r"(tp));
		c = *(volatile int *)(tp + off);
		if (__builtin_expect(c >= 0, 1)) {
			*cpu = (unsigned int)c;
			return true;
		}
	}
#endif
	if (__builtin_expect(host_cpu_uses != 0, 1)) {
		host_cpu_uses--;
		*cpu = host_cpu_cache;
		return true;
	}
	return false;
}

/* The CPU the caller runs on; getcpu when neither rseq nor the cache has it. */
static inline unsigned int host_cpu(void)
{
	unsigned int cpu;

	if (__builtin_expect(host_cpu_cached(&cpu), 1))
		return cpu;
	return host_cpu_slow();
}

unsigned int host_nr_cpus(void);

#endif /* _UMM_OS_HOST_H */
