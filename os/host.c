// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - Linux implementation of os/host.h.
 *
 * Every call here is a system call or a thin wrapper; none allocates
 * with malloc but host_thread_start() (pthread_create()), so the malloc
 * front end may use all of them, that one with no allocator lock held.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <sys/sysinfo.h>
#include <unistd.h>
#include <linux/falloc.h>
#include "host.h"

int host_memfd_create(const char *name, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		int err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

void host_memfd_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

void *host_reserve(size_t size, size_t align)
{
	size_t span = size + align;
	char *p = mmap(NULL, span, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	uintptr_t start, end;

	if (p == MAP_FAILED)
		return NULL;
	start = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	end = start + size;
	if (start > (uintptr_t)p)
		munmap(p, start - (uintptr_t)p);
	if ((uintptr_t)p + span > end)
		munmap((void *)end, (uintptr_t)p + span - end);
	return (void *)start;
}

void host_unreserve(void *addr, size_t size)
{
	if (addr)
		munmap(addr, size);
}

int host_rereserve(void *addr, size_t size)
{
	void *p = mmap(addr, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		       -1, 0);
	return p == MAP_FAILED ? -errno : 0;
}

int host_map_frames(void *addr, int fd, off_t off, size_t size, int prot)
{
	void *p;

	if (fd < 0)
		p = mmap(addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
			 -1, 0);
	else
		p = mmap(addr, size, prot, MAP_SHARED | MAP_FIXED, fd, off);
	return p == MAP_FAILED ? -errno : 0;
}

int host_commit(void *addr, size_t size)
{
	void *p = mmap(addr, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		       -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	/* Advice only: a host without THP says EINVAL, and small pages it is. */
	(void)madvise(addr, size, MADV_NOHUGEPAGE);
	return 0;
}

int host_release(int fd, off_t off, size_t size, void *addr)
{
	if (fd < 0)
		return madvise(addr, size, MADV_DONTNEED) < 0 ? -errno : 0;
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      off, (off_t)size) < 0)
		return -errno;
	return 0;
}

int host_discard(void *addr, size_t size)
{
	return madvise(addr, size, MADV_DONTNEED) < 0 ? -errno : 0;
}

size_t host_page_size(void)
{
	static size_t size;

	if (!__atomic_load_n(&size, __ATOMIC_RELAXED))
		__atomic_store_n(&size, (size_t)sysconf(_SC_PAGESIZE), __ATOMIC_RELAXED);
	return __atomic_load_n(&size, __ATOMIC_RELAXED);
}

void *host_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void host_free(void *addr, size_t size)
{
	if (addr)
		munmap(addr, size);
}

int host_thread_start(pthread_t *thread, void *(*fn)(void *), void *arg, const char *name)
{
	sigset_t all, old;
	int err;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);	/* the new thread inherits it */
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return -err;
	pthread_setname_np(*thread, name);
	return 0;
}

void host_wait(int *word, int val, long timeout_ms)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000 };

	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, timeout_ms < 0 ? NULL : &ts, NULL, 0);
}

void host_wake(int *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT32_MAX, NULL, NULL, 0);
}

/* Does [p, end) read as zero?  Words where both ends allow. */
static bool range_is_zero(const char *p, const char *end)
{
	for (; p < end && ((uintptr_t)p & 7); p++)
		if (*p)
			return false;
	for (; p + 8 <= end; p += 8)
		if (*(const unsigned long *)p)
			return false;
	for (; p < end; p++)
		if (*p)
			return false;
	return true;
}

#define ZERO_STATIC_CHUNK 4096	/* the smallest host page */

void host_zero_static(void *p, size_t n)
{
	char *c = p, *end = c + n;

	while (c < end) {
		char *stop = (char *)(((uintptr_t)c | (ZERO_STATIC_CHUNK - 1)) + 1);

		if (stop > end)
			stop = end;
		if (!range_is_zero(c, stop))
			memset(c, 0, (size_t)(stop - c));
		c = stop;
	}
}

long host_rss_bytes(void)
{
	char buf[128];
	long size = 0, rss = 0;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *p;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	size = strtol(buf, &p, 10);
	rss = strtol(p, NULL, 10);
	(void)size;
	return rss * sysconf(_SC_PAGESIZE);
}

/*
 * A stale CPU only costs locality: the pcp lists have their own lock.
 * valgrind is the main user (it does not register rseq).
 */
/* glibc >= 2.35: where its rseq area is (struct rseq: u32 cpu_id_start, u32 cpu_id). */
extern __attribute__((weak)) const ptrdiff_t __rseq_offset;
extern __attribute__((weak)) const unsigned int __rseq_size;

ptrdiff_t host_rseq_cpu_id;

/*
 * glibc registered rseq for the main thread before any constructor runs;
 * its threads get theirs at creation, at the same offset (a thread whose
 * registration failed reads cpu_id -1, and falls back on getcpu).  Until
 * this runs (a preloaded malloc called from earlier constructors) the
 * offset is 0 and host_cpu() uses getcpu.
 */
__attribute__((constructor)) static void host_rseq_init(void)
{
	if (&__rseq_size != NULL && __rseq_size != 0)
		host_rseq_cpu_id = __rseq_offset + 4;
}

__thread unsigned int host_cpu_cache __attribute__((tls_model("initial-exec")));
__thread unsigned int host_cpu_uses __attribute__((tls_model("initial-exec")));

unsigned int host_cpu_slow(void)
{
	int cpu = sched_getcpu();

	host_cpu_cache = cpu < 0 ? 0 : (unsigned int)cpu;
	host_cpu_uses = 63;
	return host_cpu_cache;
}

unsigned int host_nr_cpus(void)
{
	int n = get_nprocs_conf();
	return n > 0 ? (unsigned int)n : 1;
}
