// SPDX-License-Identifier: GPL-2.0
/*
 * exhaust.c - malloc() until umm has no memory left, run with
 * libumm-malloc.so preloaded under a small umm.max_mem= (CTest gives
 * 64M).  As with glibc's malloc, a request that cannot be met gives
 * NULL with errno ENOMEM and writes nothing; and nothing is lost: once
 * every block is freed, as much can be had again.
 *
 * For each kind of block (slab classes 48 bytes to 8 KiB, large 20 KiB
 * blocks, huge 6 MiB ones, calloc()ed and memalign()ed ones) it
 * allocates and touches blocks until one fails, checks errno, frees
 * them all, and does it again: the second round must get at least 90%
 * of the first.  stderr goes to a memfd for the run and must stay empty.
 * Deterministic: no seed.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_BLOCKS	(1u << 24)

static void **blocks;
static int fails;

static void say(const char *msg)
{
	if (write(1, msg, strlen(msg)) < 0)
		_exit(3);
}

/* Allocate blocks of @kind and @size until one fails; the count. */
static size_t fill(int kind, size_t size)
{
	size_t n = 0;

	for (;;) {
		void *p;

		errno = 0;
		switch (kind) {
		case 0:
			p = malloc(size);
			break;
		case 1:
			p = calloc(1, size);
			break;
		default:
			p = memalign(4096, size);
			break;
		}
		if (!p) {
			if (errno != ENOMEM) {
				say("FAIL: an allocation failed without ENOMEM\n");
				fails++;
			}
			return n;
		}
		memset(p, 0x5a, size < 4096 ? size : 4096);
		blocks[n++] = p;
		if (n == MAX_BLOCKS) {
			say("FAIL: no end to the memory\n");
			fails++;
			return n;
		}
	}
}

static void empty(size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(blocks[i]);
}

static void exhaust(const char *what, int kind, size_t size)
{
	size_t first = fill(kind, size), second;
	char line[160];

	empty(first);
	malloc_trim(0);
	second = fill(kind, size);
	empty(second);
	malloc_trim(0);
	snprintf(line, sizeof(line), "%-22s first %8zu blocks, second %8zu\n", what, first, second);
	say(line);
	if (!first || second < first / 10 * 9) {
		say("FAIL: memory lost between the rounds\n");
		fails++;
	}
}

int main(void)
{
	char err[4096];
	ssize_t len;
	int fd;

	alarm(120);
	/* Room for the table, from the host, before umm is asked for anything. */
	blocks = mmap(NULL, MAX_BLOCKS * sizeof(void *), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	fd = memfd_create("exhaust-stderr", 0);
	if (blocks == MAP_FAILED || fd < 0 || dup2(fd, 2) != 2) {
		say("FAIL: setup\n");
		return 1;
	}
	exhaust("malloc(48)", 0, 48);
	exhaust("malloc(100)", 0, 100);
	exhaust("malloc(1000)", 0, 1000);
	exhaust("malloc(8192)", 0, 8192);
	exhaust("calloc(1, 3000)", 1, 3000);
	exhaust("memalign(4096, 200)", 2, 200);
	exhaust("malloc(20 KiB)", 0, 20 << 10);
	exhaust("malloc(6 MiB)", 0, 6 << 20);
	len = pread(fd, err, sizeof(err) - 1, 0);
	if (len > 0) {
		err[len] = '\0';
		say("FAIL: allocation failures wrote to stderr:\n");
		say(err);
		fails++;
	}
	say(fails ? "exhaust: FAILED\n" : "exhaust: ok\n");
	return !!fails;
}
