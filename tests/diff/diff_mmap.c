// SPDX-License-Identifier: GPL-2.0
/*
 * diff_mmap.c - differential test of umm's address spaces against the
 * host kernel: the same random, seeded sequences of mmap (anonymous and
 * of a test file, private and shared, MAP_FIXED over whatever is there),
 * munmap, mprotect, madvise, mlock/munlock, mremap (every form: see
 * gen_mremap()), msync, brk, fork and exit, and touches (loads and
 * stores) run in a fork()ed child on the real kernel and in umm, and
 * after every step the return values (for a touch, the signal and
 * si_code) and the VMAs of a 1 GiB window and of the heap must be the
 * same.
 *
 *	diff_mmap [-s SEED] [-n SEQUENCES] [-l STEPS] [-t SECONDS] [-w SECONDS]
 *		  [-v] [-k] [-S] [-A] [-N]
 *
 * Sequence i uses seed SEED + i, so "-s SEED+i -n 1 -v" replays one with
 * its operations printed.  -t stops after that many seconds (the counts
 * printed say what ran: how the host answered touches, brk()s and
 * mremap()s, how many file mmaps, msyncs and forks).  -S leaves shared
 * memory untouched; -A leaves the test file out, -N fork().  The run
 * stops at the tenth failed sequence, or with -k never.  Exit status 0
 * iff every step matched and nothing hung or crashed.  smaps (VmFlags,
 * Rss...) is compared after every step with -v; otherwise (smaps costs
 * five times what maps does) maps is compared after every step and
 * smaps after each fork, exit and mremap and after the last step, and a
 * mismatch is replayed with smaps after every step to find the first
 * step that differs.
 *
 * The watchdog.  The sequences run in a worker process the supervisor
 * (main()) forks, one sequence at a time under alarm(-w SECONDS, default
 * 20 + steps / 20): a sequence that does not end (umm looping) dies of
 * SIGALRM, one that crashes umm dies of its signal, and the supervisor
 * prints "HANG:" or "CRASH:" with the seed and step (kept in memory it
 * shares with the worker), counts a failed sequence and starts a new
 * worker at the next seed.  The worker's host child dies with it
 * (PR_SET_PDEATHSIG).
 *
 * Fork.  fork() in a sequence forks the host child; its child answers
 * from then on (the parent waits) and umm goes on in umm_mm_fork()'s mm,
 * so the fork step compares the new child with umm's: VMAs (no
 * MADV_DONTFORK ones, VM_LOCKED cleared, MADV_WIPEONFORK ones empty),
 * Rss and Anonymous (page tables copied only for VMAs with an anon_vma).
 * The sequence goes on in the child, which may fork again (three
 * processes deep at most); "exit" ends the newest child, and the parent
 * answers that step: its VMAs and Rss after the child ran, with the pages
 * they shared copy-on-write.  A sequence ends with an exit of each child
 * still running.
 *
 * The windows.  The child reserves [WIN, WIN + 1 GiB) to see that it is
 * free; WIN is at 104 TiB, above where PIE binaries and their heaps go
 * (85 TiB and up) and ASan's allocator (96-100 TiB), below mmap_base.
 * The heap window is [start_brk, start_brk + 64 MiB) of the child: it
 * gives back the heap libc's malloc grew (brk(start_brk)) and, if that
 * range is then free and RLIMIT_DATA is unlimited, brk() is tested there;
 * umm's mm gets umm_mm_set_brk_base(start_brk).  The child then fills
 * every other hole of its address space from 4 KiB to TASK_SIZE with
 * PROT_NONE MAP_NORESERVE mappings marked MADV_DONTDUMP (a flag the
 * sequences never set, so nothing they map merges with a filler).  umm's
 * mm gets the same fillers.  So in both, a placement that is not
 * MAP_FIXED can only land in a window: top-down search runs below
 * mmap_base (above the window in both, whatever ASLR chose for the
 * child), the window first, the heap window when the window has no room,
 * and the bottom-up fallback finds nothing outside them.  The child
 * pre-grows its stack before filling and never calls malloc or stdio
 * afterwards; it talks to the parent over two pipes, in lock step: its
 * heap window first, then an operation in, its return value and the
 * windows' VMAs (from /proc/self/smaps or maps) out.
 *
 * The child uses raw system calls: a sanitizer's interceptors would get
 * in the way (ASan turns mlock() into a no-op that returns 0).
 *
 * Pages.  A touch loads one byte of every page of a range, in address
 * order, and with "write" stores it back, as umm_touch() does; the child
 * catches SIGSEGV and SIGBUS (sigaction, siglongjmp) and answers
 * signal << 8 | si_code, or 0.  Touches go into VMAs, across their edges,
 * into holes and PROT_NONE, and just below stack (MAP_GROWSDOWN) VMAs,
 * where the kernel grows the stack unless the guard gap or RLIMIT_STACK
 * forbids it.  The child runs with PR_SET_THP_DISABLE, so its kernel maps
 * 4 KiB pages, as umm does.  Since faults are real on both sides, nothing
 * is kept from writing to private memory: MAP_POPULATE, MAP_LOCKED,
 * mlock(), mremap() of locked VMAs all fault, and a VMA that took a
 * write fault has an anon_vma that decides later merges, in both.
 *
 * Compared: every return value (an address, 0, -errno, or a touch's
 * signal); every window VMA's start, end, rwxp/s, offset (0 for private
 * anonymous, the shmem offset for shared), and, from smaps, its VmFlags
 * restricted to the flags both print (sd only if the host kernel has
 * CONFIG_MEM_SOFT_DIRTY) and its Rss, Anonymous and Locked (umm's smaps
 * text is parsed as the host's is, so its format is tested too).  Not
 * compared: devices and inodes (each shmem object is a new inode in
 * both), names; LazyFree, which the host updates lazily (a MADV_FREE
 * page loses PG_swapbacked only when its per-CPU LRU batch drains);
 * Referenced; Pss and the shared/private split, which differ from Rss
 * only for a page that two VMAs map (shmem and file pages, anonymous
 * pages a fork() shares; Locked, the Pss of a locked VMA, sees those).
 * The child runs on one CPU: MADV_PAGEOUT reclaims only pages on the LRU
 * and drains only this CPU's LRU batches.
 *
 * Kernel versions.  umm follows 6.18; a host kernel that differs shows up
 * as mismatches in these known places:
 *  - < 6.7: no 2 MiB (THP) alignment of large anonymous mappings; from
 *    6.7 (efa7df3e3bb5) every one of 2 MiB or more, also when a hint was
 *    given but not free; later fixes (6.12/6.13, and their stable
 *    backports) only lengths that are multiples of 2 MiB, only without a
 *    hint, which is what 6.18 and umm do;
 *  - < 6.7: MAP_STACK does not set VM_NOHUGEPAGE ("nh");
 *  - < 6.11: no MAP_DROPPABLE (EINVAL);
 *  - < 6.17: mremap() cannot move several VMAs at once (EFAULT);
 *  - < 5.13: MREMAP_DONTUNMAP of shared or file VMAs is refused (EINVAL);
 *  - 6.19+: VM_SOFTDIRTY and guard regions are "sticky" (VM_STICKY): no
 *    difference here, as the sequences never clear soft-dirty;
 *  - 5.x and older: different merge rules for mprotect/mremap corner
 *    cases (the vma_merge() rewrite of 6.7 - 6.13) and no VM_ACCOUNT drop
 *    when an unfaulted anonymous mapping is made read-only (6.1+);
 *  - MAP_HUGETLB: umm has no huge page pools and answers as a kernel
 *    whose pools are empty (ENOMEM, after the size and alignment checks);
 *    the sequences use it only when the host's pools are empty too (every
 *    nr_hugepages and nr_overcommit_hugepages is 0; the counts say so),
 *    and never with MAP_NORESERVE, which the host maps (a hugetlb VMA
 *    that takes SIGBUS on its first fault) and umm, which has no hugetlb
 *    VMAs, refuses with ENOMEM;
 *  - mlock() of PROT_NONE returns ENOMEM on 6.x with VM_LOCKED set, and
 *    so does mlock() of shared anonymous memory grown by mremap() past
 *    its shmem object's size (the fault is a SIGBUS);
 *  - stack_guard_gap= on the host's command line must match umm's (1 MiB
 *    default): the tester reads /proc/cmdline and sets umm's to it;
 *  - MREMAP_DONTUNMAP: kernels with the move_vma() refactor
 *    (b714ccb02a76) but without its stable fix "mm/mremap: correctly
 *    account old mapping after MREMAP_DONTUNMAP remap" clear VM_ACCOUNT
 *    ("ac") on the old VMA; 6.18.y keeps it, as umm does;
 *  - a host with swap swaps anonymous pages out on MADV_PAGEOUT (Rss
 *    drops), where umm, which has no swap, keeps them as a host without
 *    swap does.
 *
 * Files.  A third of the mmaps map a test file of 4 MiB, private or
 * shared, at offsets up to 256 KiB past its end (SIGBUS).  The file is
 * a memfd, a tmpfs file (one on /dev/shm where memfd_create() fails),
 * because that is what keeps the host's Rss of file VMAs exact and
 * repeatable: with shmem_enabled "never" (the default) tmpfs holds 4 KiB
 * folios only, as umm's page cache does, so fault-around maps the same
 * 16-page window on both sides; its pages leave the cache only for swap
 * and are never under writeback, and MADV_PAGEOUT unmaps them as it does
 * on umm.  A disk file did not stay exact: large folios reached the
 * host's cache in long runs (one read fault mapped 116 kB against umm's
 * 64 kB), and fault-around near EOF depended on what the host had
 * cached.  Each sequence starts with the file truncated and written
 * again (fill_test_file()): a cached folio otherwise carries its state
 * from one sequence into the next, where umm's page cache starts
 * afresh; a stale PG_mlocked did (below), and MADV_PAGEOUT kept such
 * pages mapped in later sequences.  umm reads the file through its own
 * page cache (mm/filemap.c), warm as the host's when each sequence
 * starts and after every MADV_PAGEOUT (the child pread()s the file, umm
 * MADV_WILLNEEDs it through a mapping outside the windows), since
 * fault-around maps what is cached.  Compared for file VMAs as for all:
 * range, rwxp/s, offset, VmFlags, Rss, Anonymous (the COW copies of a
 * private mapping), Locked; msync()'s return values (EINVAL, ENOMEM for
 * holes, EBUSY for MS_INVALIDATE of locked memory).  Not compared: the
 * file's contents (every store writes back the byte it loaded, so they
 * never change) and whether MS_SYNC wrote anything.
 *
 * Soaking found stale mlocked pages (mremap(MREMAP_DONTUNMAP) clears
 * VM_LOCKED on the whole old VMA without munlocking its pages, and the
 * kernel's MADV_PAGEOUT skips them); umm has PG_mlocked since 81e250f,
 * and test_task_mmu checks that case against the host.
 */
#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "mm/internal.h"
#include "tests/test.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP	4
#endif

#define WIN		0x680000000000UL	/* 104 TiB: see the head comment */
#define WIN_SIZE	(1UL << 30)
#define WIN_END		(WIN + WIN_SIZE)
/* Most operations land in the top 64 MiB, where unhinted mmaps go too. */
#define ARENA_SIZE	(64UL << 20)
#define ARENA		(WIN_END - ARENA_SIZE)
#define MAX_VMAS	512
/* The heap window: [start_brk, + HEAP_SIZE) of the child, 0 if unusable. */
#define HEAP_SIZE	(64UL << 20)
static unsigned long heap_start;
/*
 * The test file: FILE_SIZE bytes of tmpfs (a memfd, see "Files"), open
 * for reading and writing in both (the child inherits the fd; umm dups
 * it).  -1: anonymous memory only (-A).
 */
#define FILE_SIZE	(4UL << 20)
#define FILE_WARM	0x100000000000UL	/* umm's warm mapping: 16 TiB */
static int file_fd = -1;
static int fill_test_file(int fd);

/* Is [s, e) inside one of the two compared windows? */
static bool in_windows(unsigned long s, unsigned long e)
{
	return (s >= WIN && e <= WIN_END) ||
	       (heap_start && s >= heap_start && e <= heap_start + HEAP_SIZE);
}

/* The end of the window that holds @addr. */
static unsigned long window_end(unsigned long addr)
{
	if (heap_start && addr >= heap_start && addr < heap_start + HEAP_SIZE)
		return heap_start + HEAP_SIZE;
	return WIN_END;
}

/*
 * Call @fill on the parts of [from, to) outside both windows (the
 * fillers of the head comment), in address order.
 */
static int for_each_fill(unsigned long from, unsigned long to,
			 int (*fill)(void *ctx, unsigned long s, unsigned long e), void *ctx)
{
	unsigned long cut[2][2] = {
		{ WIN, WIN_END },
		{ heap_start, heap_start ? heap_start + HEAP_SIZE : 0 },
	};

	if (cut[1][0] && cut[1][0] < cut[0][0]) {
		cut[1][0] = WIN;
		cut[1][1] = WIN_END;
		cut[0][0] = heap_start;
		cut[0][1] = heap_start + HEAP_SIZE;
	}
	for (int i = 0; i < 2 && from < to; i++) {
		if (cut[i][0] >= cut[i][1] || cut[i][1] <= from)
			continue;
		if (cut[i][0] >= to)
			break;
		if (cut[i][0] > from && fill(ctx, from, cut[i][0]))
			return -1;
		from = cut[i][1];
	}
	return from < to ? fill(ctx, from, to) : 0;
}

enum op_kind { OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MADVISE, OP_MLOCK,
	       OP_MUNLOCK, OP_MREMAP, OP_TOUCH, OP_BRK, OP_RESET, OP_SNAP, OP_QUIT,
	       OP_MSYNC, OP_FORK, OP_EXIT };

/* fork() nests this deep at most: the current process and its ancestors. */
#define MAX_DEPTH	3

struct op {
	int kind;
	int prot, flags, advice;
	unsigned long addr, len, new_len, new_addr;
	int want_flags;		/* answer from smaps (VmFlags, Rss...), not maps */
	int write;		/* OP_TOUCH: store back what was loaded */
	int below_stack;	/* OP_TOUCH: just below a MAP_GROWSDOWN VMA */
	int file;		/* OP_MMAP: of the test file, at offset off */
	long off;
	int msync_flags;	/* OP_MSYNC */
};

/* One window VMA; the kB fields only from smaps (-1 from maps). */
struct snap_vma {
	unsigned long start, end, off, flags;
	long rss, anon, locked;
	char perms[4];
};

struct result {
	long ret;
	int nvma;
	int has_flags;
};

/* Mnemonic of each VmFlags bit, as fs/proc/task_mmu.c prints them. */
static const char *const mnemonic[64] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr", [5] = "mw",
	[6] = "me", [7] = "ms", [8] = "gd", [9] = "um", [10] = "pf", [12] = "uw",
	[13] = "lo", [14] = "io", [15] = "sr", [16] = "rr", [17] = "dc",
	[18] = "de", [19] = "lf", [20] = "ac", [21] = "nr", [22] = "ht",
	[23] = "sf", [24] = "ar", [25] = "wf", [26] = "dd", [27] = "sd",
	[28] = "mm", [29] = "hg", [30] = "nh", [31] = "mg", [37] = "ss",
	[40] = "dp",
};

/* The flags both sides model and print (sd added if the host prints it). */
static unsigned long compare_mask =
	VM_READ | VM_WRITE | VM_EXEC | VM_SHARED | VM_MAYREAD | VM_MAYWRITE |
	VM_MAYEXEC | VM_MAYSHARE | VM_GROWSDOWN | VM_LOCKED | VM_SEQ_READ |
	VM_RAND_READ | VM_DONTCOPY | VM_DONTEXPAND | VM_LOCKONFAULT |
	VM_ACCOUNT | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP |
	VM_HUGEPAGE | VM_NOHUGEPAGE | VM_SYNC | VM_DROPPABLE;

static int verbose;
static bool host_cap_ipc_lock;
static bool with_mremap;
static bool touch_shared = true;	/* -S: no touches of shared memory */
static bool with_files = true;		/* -A: anonymous memory only */
static bool with_fork = true;		/* -N: no fork() */
static bool with_hugetlb;		/* the host's huge page pools are empty */

/*
 * What the run covered (how the host answered touches, brk()s, mremap()s
 * and fork()s) and found, in memory the supervisor shares with its
 * workers (see main()), with the sequence and step running now.
 */
static struct stats {
	long ok, maperr, accerr, sigbus, other, stack_grown, stack_refused;
	long brk_moved, brk_refused, mremap_moved, mremap_in_place, mremap_refused;
	long forks, file_maps, msyncs, hugetlb_enomem;
	long sequences, steps, mismatched, hung, crashed;
	unsigned long long seed;
	int step;
	pid_t host;
} *stats;

static void count_answer(const struct op *op, long ret)
{
	if (op->kind == OP_BRK && op->addr)
		*(ret == (long)op->addr ? &stats->brk_moved : &stats->brk_refused) += 1;
	if (op->kind == OP_MREMAP)
		*(ret < 0 && ret > -4096 ? &stats->mremap_refused :
		  ret == (long)op->addr ? &stats->mremap_in_place : &stats->mremap_moved) += 1;
	if (op->kind == OP_FORK && !ret)
		stats->forks++;
	if (op->kind == OP_MMAP && op->file && ret >= 0)
		stats->file_maps++;
	if (op->kind == OP_MSYNC && !ret)
		stats->msyncs++;
	if (op->kind == OP_MMAP && (op->flags & MAP_HUGETLB) && ret == -ENOMEM)
		stats->hugetlb_enomem++;
	if (op->kind != OP_TOUCH || !op->len)
		return;
	if (!ret)
		stats->ok++;
	else if (ret == (SIGSEGV << 8 | SEGV_MAPERR))
		stats->maperr++;
	else if (ret == (SIGSEGV << 8 | SEGV_ACCERR))
		stats->accerr++;
	else if (ret == (SIGBUS << 8 | BUS_ADRERR))
		stats->sigbus++;
	else
		stats->other++;
	if (op->below_stack)
		*(ret ? &stats->stack_refused : &stats->stack_grown) += 1;
}

/* ---- the host child ---- */

static char smaps_buf[8 << 20];

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	size_t n = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

static unsigned long parse_hex(const char **p)
{
	unsigned long v = 0;

	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned long)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned long)(c - 'a' + 10);
		else
			return v;
	}
}

static const char *next_line(const char *p)
{
	while (*p && *p != '\n')
		p++;
	return *p ? p + 1 : p;
}

static bool is_header(const char *p)
{
	const char *q = p;

	parse_hex(&q);
	return q != p && *q == '-';
}

/* "Label:    N kB" lines of smaps that are compared, and where they go. */
static long *smaps_field(struct snap_vma *v, const char *line)
{
	if (!strncmp(line, "Rss:", 4))
		return &v->rss;
	if (!strncmp(line, "Anonymous:", 10))
		return &v->anon;
	if (!strncmp(line, "Locked:", 7))
		return &v->locked;
	return NULL;
}

/*
 * The window's VMAs from the text of a maps or smaps file (the host's or
 * umm's): range, permissions, offset and, from smaps, VmFlags and the
 * compared kB fields.  Returns their number.
 */
static int parse_snapshot(const char *p, struct snap_vma *out)
{
	int n = 0;
	bool in = false;

	while (*p) {
		long *f;

		if (is_header(p)) {
			unsigned long s, e;

			s = parse_hex(&p);
			p++;
			e = parse_hex(&p);
			in = in_windows(s, e) && n < MAX_VMAS;
			if (in) {
				out[n].start = s;
				out[n].end = e;
				memcpy(out[n].perms, p + 1, 4);
				p += 6;
				out[n].off = parse_hex(&p);
				out[n].flags = 0;
				out[n].rss = out[n].anon = out[n].locked = -1;
				n++;
			}
		} else if (in && !strncmp(p, "VmFlags:", 8)) {
			const char *q = p + 8;

			while (*q == ' ') {
				q++;
				if (q[0] > ' ' && q[1] > ' ' && (q[2] == ' ' || q[2] == '\n')) {
					for (int b = 0; b < 64; b++) {
						if (mnemonic[b] && q[0] == mnemonic[b][0] &&
						    q[1] == mnemonic[b][1])
							out[n - 1].flags |= 1UL << b;
					}
					q += 2;
				} else {
					break;
				}
			}
		} else if (in && (f = smaps_field(&out[n - 1], p))) {
			*f = strtol(p + strcspn(p, " "), NULL, 10);
		}
		p = next_line(p);
	}
	return n;
}

/* The window's VMAs from /proc/self/smaps, or the five times cheaper maps. */
static int host_snapshot(struct snap_vma *out, bool smaps)
{
	if (read_file(smaps ? "/proc/self/smaps" : "/proc/self/maps", smaps_buf,
		      sizeof(smaps_buf)) < 0)
		return -1;
	return parse_snapshot(smaps_buf, out);
}

static void full_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		if (r <= 0)
			_exit(3);
		p += r;
		len -= (size_t)r;
	}
}

static bool full_read(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
	}
	return true;
}

static int host_filler(void *ctx, unsigned long s, unsigned long e)
{
	void *r = mmap((void *)s, e - s, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	(void)ctx;
	if (r == MAP_FAILED)
		return -1;
	madvise(r, e - s, MADV_DONTDUMP);
	return 0;
}

/* Fill every hole outside the windows (see the head comment). */
static int host_fill(void)
{
	static char maps[1 << 20];
	unsigned long cursor = 4096, s, e;
	const char *p = maps;

	if (read_file("/proc/self/maps", maps, sizeof(maps)) < 0)
		return -1;
	for (;;) {
		if (*p) {
			s = parse_hex(&p);
			p++;
			e = parse_hex(&p);
			p = next_line(p);
			if (s >= TASK_SIZE)
				continue;	/* [vsyscall] */
		} else {
			s = e = TASK_SIZE;
		}
		if (cursor < s && for_each_fill(cursor, s, host_filler, NULL))
			return -1;
		if (e > cursor)
			cursor = e;
		if (s == TASK_SIZE)
			return 0;
	}
}

/*
 * The child's heap, for brk(): start_brk (field 47 of /proc/self/stat),
 * with what libc's malloc grew given back, if RLIMIT_DATA leaves brk
 * alone (umm's data_vm does not count the child's binary) and nothing
 * is mapped in [start_brk, + HEAP_SIZE).  0: no brk in this run.
 */
static unsigned long host_heap(void)
{
	static char buf[4096];
	unsigned long start, s, e;
	struct rlimit rl;
	const char *p;

	if (getrlimit(RLIMIT_DATA, &rl) || rl.rlim_cur != RLIM_INFINITY)
		return 0;
	if (read_file("/proc/self/stat", buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return 0;
	for (int f = 2; p && f < 47; f++)
		p = strchr(p + 1, ' ');
	start = p ? strtoul(p + 1, NULL, 10) : 0;
	if (!start || (start & ~PAGE_MASK) || start + HEAP_SIZE > WIN ||
	    syscall(SYS_brk, start) != (long)start)
		return 0;
	if (read_file("/proc/self/maps", smaps_buf, sizeof(smaps_buf)) < 0)
		return 0;
	for (p = smaps_buf; *p; p = next_line(p)) {
		s = parse_hex(&p);
		p++;
		e = parse_hex(&p);
		if (s < start + HEAP_SIZE && e > start)
			return 0;
	}
	return start;
}

/*
 * Touches: one load per page of [addr, addr + len), and a store of the
 * loaded byte back if op->write, as umm_touch() does.  A fault's signal
 * jumps back out of the loop; the answer is 0 or (signal << 8 | si_code).
 */
static sigjmp_buf touch_jmp;
static volatile int touch_sig, touch_code;

static void touch_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	touch_sig = sig;
	touch_code = si->si_code;
	siglongjmp(touch_jmp, 1);
}

static __attribute__((no_sanitize_address, noinline)) long host_touch(const struct op *op)
{
	unsigned long end = op->addr + op->len;

	touch_sig = 0;
	if (sigsetjmp(touch_jmp, 1))
		return (long)touch_sig << 8 | touch_code;
	for (unsigned long a = op->addr; a < end; a = (a & PAGE_MASK) + PAGE_SIZE) {
		volatile unsigned char *p = (volatile unsigned char *)a;
		unsigned char c = *p;

		if (op->write)
			*p = c;
	}
	return 0;
}

/*
 * Every page of the test file in the page cache, as umm's is at the start
 * of a sequence (MADV_PAGEOUT of the last one may have dropped some):
 * fault-around maps what is cached, so both must start with the same.
 */
static void host_file_warm(void)
{
	static char chunk[PAGE_SIZE];
	static int warm_fd = -1;

	/*
	 * tmpfs pages leave the cache only for swap (a host with swap, on
	 * MADV_PAGEOUT): a read of each brings it back, a page at a time
	 * through an open file of its own with POSIX_FADV_RANDOM.
	 */
	if (warm_fd < 0) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", file_fd);
		warm_fd = open(path, O_RDONLY);
		if (warm_fd < 0)
			_exit(8);
		posix_fadvise(warm_fd, 0, 0, POSIX_FADV_RANDOM);
	}
	for (unsigned long off = 0; off < FILE_SIZE; off += sizeof(chunk))
		if (pread(warm_fd, chunk, sizeof(chunk), (off_t)off) <= 0)
			break;
}

/*
 * brk back to start_brk and the heap window empty.  A shrinking brk
 * unmaps [new, old) only if a VMA there starts below the old brk (the
 * heap itself may have been unmapped by the sequence): one is mapped
 * over it first.
 */
static long host_heap_reset(void)
{
	unsigned long cur = (unsigned long)syscall(SYS_brk, 0);
	unsigned long end = (cur + PAGE_SIZE - 1) & PAGE_MASK;

	if (end > heap_start &&
	    syscall(SYS_mmap, heap_start, end - heap_start, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (long)heap_start)
		return -1;
	if (syscall(SYS_brk, heap_start) != (long)heap_start) {
		errno = ENOMEM;
		return -1;
	}
	return syscall(SYS_munmap, heap_start, HEAP_SIZE);
}

/*
 * fork(): the child answers this step and every one after it, until an
 * OP_EXIT ends it; the parent waits for that and then answers the
 * OP_EXIT step with its own address space.  So the driver always talks
 * to the newest process over the same pipes.  A child that dies any
 * other way takes the parent with it (the driver sees the host die).
 */
static long host_fork(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		return 0;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			_exit(9);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		_exit(9);
	return 0;
}

/*
 * The host's answer.  Raw system calls: a sanitizer's interceptors would
 * get in the way (ASan makes mlock() a no-op that returns 0).
 */
static long host_do(const struct op *op)
{
	long r;

	switch (op->kind) {
	case OP_MMAP:
		r = syscall(SYS_mmap, op->addr, op->len, op->prot, op->flags,
			    op->file ? file_fd : -1, op->off);
		break;
	case OP_MUNMAP:
		r = syscall(SYS_munmap, op->addr, op->len);
		break;
	case OP_MPROTECT:
		r = syscall(SYS_mprotect, op->addr, op->len, op->prot);
		break;
	case OP_MADVISE:
		r = syscall(SYS_madvise, op->addr, op->len, op->advice);
		if (op->advice == MADV_PAGEOUT && file_fd >= 0) {
			int e = errno;

			host_file_warm();	/* what pageout dropped */
			errno = e;
		}
		break;
	case OP_MLOCK:
		r = syscall(SYS_mlock, op->addr, op->len);
		break;
	case OP_MUNLOCK:
		r = syscall(SYS_munlock, op->addr, op->len);
		break;
	case OP_MREMAP:
		r = syscall(SYS_mremap, op->addr, op->len, op->new_len, op->flags,
			    op->new_addr);
		break;
	case OP_MSYNC:
		r = syscall(SYS_msync, op->addr, op->len, op->msync_flags);
		break;
	case OP_FORK:
		return host_fork();
	case OP_EXIT:
		_exit(0);	/* the parent answers: see host_fork() */
	case OP_TOUCH:
		return host_touch(op);
	case OP_BRK:
		return syscall(SYS_brk, op->addr);	/* the new brk, or the old */
	case OP_RESET:
		r = syscall(SYS_munmap, WIN, WIN_SIZE);
		if (!r && heap_start)
			r = host_heap_reset();
		if (!r && file_fd >= 0 && fill_test_file(file_fd))
			r = -1;
		break;
	case OP_SNAP:
		r = 0;
		break;
	default:
		return -ENOSYS;
	}
	return r == -1 ? -errno : r;
}

static void __attribute__((noinline)) grow_stack(void)
{
	volatile char big[512 << 10];

	memset((char *)big, 0, sizeof(big));
}

static void host_child(int in, int out)
{
	static struct snap_vma snap[MAX_VMAS];
	struct sigaction sa = { .sa_sigaction = touch_handler, .sa_flags = SA_SIGINFO };
	cpu_set_t cpus;
	struct op op;
	void *w;

	/* 4 KiB pages only, as umm maps them: Rss moves by pages, not by 2 MiB */
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0))
		_exit(6);
	/*
	 * One CPU: madvise(MADV_PAGEOUT) drains only this CPU's LRU batches,
	 * and reclaims only pages on the LRU, so new pages must not wait in
	 * another CPU's batch.
	 */
	CPU_ZERO(&cpus);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &cpus);
	syscall(SYS_sched_setaffinity, 0, sizeof(cpus), &cpus);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGBUS, &sa, NULL))
		_exit(7);
	grow_stack();
	w = mmap((void *)WIN, WIN_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
	if (w != (void *)WIN)
		_exit(4);
	munmap(w, WIN_SIZE);
	heap_start = host_heap();
	if (host_fill())
		_exit(5);
	full_write(out, &heap_start, sizeof(heap_start));
	while (full_read(in, &op, sizeof(op)) && op.kind != OP_QUIT) {
		struct result res;

		res.ret = host_do(&op);
		res.nvma = host_snapshot(snap, op.want_flags);
		res.has_flags = op.want_flags;
		full_write(out, &res, sizeof(res));
		if (res.nvma > 0)
			full_write(out, snap, sizeof(snap[0]) * (size_t)res.nvma);
	}
	_exit(0);
}

/* ---- umm's side ---- */

static int umm_filler(void *ctx, unsigned long s, unsigned long e)
{
	struct mm_struct *mm = ctx;

	if (umm_mmap(mm, s, e - s, PROT_NONE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) != (long)s)
		return -1;
	return umm_madvise(mm, s, e - s, MADV_DONTDUMP);
}

static struct mm_struct *umm_fresh_mm(void)
{
	struct mm_struct *mm = umm_mm_create();

	if (!mm)
		return NULL;
	mm->limits.cap_ipc_lock = host_cap_ipc_lock;
	if (for_each_fill(mmap_min_addr, TASK_SIZE, umm_filler, mm)) {
		umm_mm_destroy(mm);
		return NULL;
	}
	if (heap_start)
		umm_mm_set_brk_base(mm, heap_start);
	/*
	 * The test file's page cache, warm as the host's (host_file_warm()):
	 * a mapping outside the windows keeps it alive for the mm's life.
	 */
	if (file_fd >= 0 &&
	    (umm_mmap(mm, FILE_WARM, FILE_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED, file_fd,
		      0) != (long)FILE_WARM ||
	     umm_madvise(mm, FILE_WARM, FILE_SIZE, MADV_WILLNEED))) {
		umm_mm_destroy(mm);
		return NULL;
	}
	return mm;
}

/*
 * umm's processes: mms[0] the first, mms[depth] the one the sequence runs
 * in now (the newest fork()ed child, as on the host).
 */
static struct mm_struct *mms[MAX_DEPTH];
static int depth;

static long umm_do(const struct op *op)
{
	struct mm_struct *mm = mms[depth];

	switch (op->kind) {
	case OP_MSYNC:
		return umm_msync(mm, op->addr, op->len, op->msync_flags);
	case OP_FORK:
		if (depth + 1 >= MAX_DEPTH)
			return -EAGAIN;
		mms[depth + 1] = umm_mm_fork(mm);
		if (!mms[depth + 1])
			return -ENOMEM;
		depth++;
		return 0;
	case OP_EXIT:
		if (!depth)
			return -ECHILD;
		umm_mm_destroy(mm);
		mms[depth--] = NULL;
		return 0;
	case OP_MMAP:
		return umm_mmap(mm, op->addr, op->len, op->prot, op->flags,
				op->file ? file_fd : -1, op->off);
	case OP_MUNMAP:
		return umm_munmap(mm, op->addr, op->len);
	case OP_MPROTECT:
		return umm_mprotect(mm, op->addr, op->len, op->prot);
	case OP_MADVISE: {
		int r = umm_madvise(mm, op->addr, op->len, op->advice);

		/* both warm the page cache again after a pageout (host_do()) */
		if (op->advice == MADV_PAGEOUT && file_fd >= 0)
			umm_madvise(mm, FILE_WARM, FILE_SIZE, MADV_WILLNEED);
		return r;
	}
	case OP_MLOCK:
		return umm_mlock(mm, op->addr, op->len);
	case OP_MUNLOCK:
		return umm_munlock(mm, op->addr, op->len);
	case OP_MREMAP:
		return umm_mremap(mm, op->addr, op->len, op->new_len, op->flags,
				  op->new_addr);
	case OP_TOUCH: {
		int code = 0, sig = umm_touch(mm, op->addr, op->len, op->write, &code);

		return sig > 0 ? (long)sig << 8 | code : sig;
	}
	case OP_BRK:
		return (long)umm_brk(mm, op->addr);
	case OP_SNAP:
		return 0;
	default:
		return -ENOSYS;
	}
}

/*
 * umm's window: from its smaps text, parsed as the host's is (which
 * checks what umm prints, too), or, for the cheap comparison, from the
 * VMAs.
 */
static int umm_snapshot(struct mm_struct *mm, struct snap_vma *out, bool smaps)
{
	struct vm_area_struct *vma;
	int n = 0;

	if (smaps) {
		ssize_t len = umm_mm_show(mm, "smaps", smaps_buf, sizeof(smaps_buf));

		if (len < 0 || len >= (ssize_t)sizeof(smaps_buf))
			return -1;
		return parse_snapshot(smaps_buf, out);
	}

	VMA_ITERATOR(vmi, mm, 0);
	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (!in_windows(vma->vm_start, vma->vm_end) || n >= MAX_VMAS)
			continue;
		out[n].start = vma->vm_start;
		out[n].end = vma->vm_end;
		out[n].perms[0] = vma->vm_flags & VM_READ ? 'r' : '-';
		out[n].perms[1] = vma->vm_flags & VM_WRITE ? 'w' : '-';
		out[n].perms[2] = vma->vm_flags & VM_EXEC ? 'x' : '-';
		out[n].perms[3] = vma->vm_flags & VM_MAYSHARE ? 's' : 'p';
		out[n].off = vma->vm_file ? vma->vm_pgoff << PAGE_SHIFT : 0;
		out[n].flags = vma->vm_flags;
		out[n].rss = out[n].anon = out[n].locked = -1;
		n++;
	}
	mmap_read_unlock(mm);
	return n;
}

/* ---- the generator ---- */

static unsigned long long rng_state;

static unsigned long long rnd(void)
{
	return test_splitmix64(&rng_state);
}

static unsigned long below(unsigned long n)
{
	return n ? (unsigned long)(rnd() % n) : 0;
}

static bool chance(unsigned int percent)
{
	return below(100) < percent;
}

static unsigned long rnd_len(void)
{
	unsigned long r = below(100);

	if (r < 60)
		return (1 + below(8)) << PAGE_SHIFT;
	if (r < 85)
		return (1 + below(64)) << PAGE_SHIFT;
	if (r < 95)
		return (1 + below(3)) * PMD_SIZE;	/* THP sizes */
	return (1 + below(2048)) << PAGE_SHIFT;
}

static unsigned long rnd_addr(void)
{
	return ARENA + (below(ARENA_SIZE >> PAGE_SHIFT) << PAGE_SHIFT);
}

static int rnd_prot(void)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ,
		PROT_READ, PROT_NONE, PROT_NONE, PROT_READ | PROT_EXEC,
		PROT_READ | PROT_WRITE | PROT_EXEC, PROT_WRITE, PROT_EXEC,
	};

	return prots[below(ARRAY_SIZE(prots))];
}

/* A random VMA of the window, if any, for operations that want one. */
static struct vm_area_struct *rnd_vma(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *pick = NULL;
	unsigned long n = 0;

	VMA_ITERATOR(vmi, mm, 0);
	mmap_read_lock(mm);
	for_each_vma(vmi, vma)
		if (in_windows(vma->vm_start, vma->vm_end) && !below(++n))
			pick = vma;
	mmap_read_unlock(mm);
	return pick;
}

static void rnd_range(struct mm_struct *mm, unsigned long *addr, unsigned long *len)
{
	struct vm_area_struct *vma = chance(60) ? rnd_vma(mm) : NULL;

	if (vma) {
		/* inside, at an edge, or across the edges of a VMA */
		unsigned long pages = vma_pages(vma);
		unsigned long a = vma->vm_start + (below(pages) << PAGE_SHIFT);

		if (chance(30))
			a = vma->vm_start;
		if (chance(20) && a > WIN + PAGE_SIZE * 4)
			a -= (1 + below(4)) << PAGE_SHIFT;
		*addr = a;
		*len = chance(30) ? vma->vm_end - a + (below(3) << PAGE_SHIFT)
				  : (1 + below(pages)) << PAGE_SHIFT;
	} else {
		*addr = rnd_addr();
		*len = rnd_len();
	}
	if (*addr + *len > window_end(*addr))
		*len = window_end(*addr) - *addr;
	if (chance(2))
		*addr += 1 + below(PAGE_SIZE - 1);	/* unaligned */
	if (*addr + *len > window_end(*addr))
		*len = window_end(*addr) - *addr;
	if (chance(2))
		*len = 0;
}

/*
 * A read or write of one byte per page of a random range: in VMAs, across
 * their edges into holes and PROT_NONE, or just below a stack VMA (growth,
 * the guard gap, RLIMIT_STACK).  Without -S nothing shared is touched.
 */
static void __gen_touch(struct mm_struct *mm, struct op *op)
{
	struct vm_area_struct *vma;

	op->kind = OP_TOUCH;
	op->write = chance(50);
	/* mostly from inside a VMA: a start in a hole only tests SEGV_MAPERR */
	for (int tries = 0; tries < 3; tries++) {
		rnd_range(mm, &op->addr, &op->len);
		if (vma_lookup(mm, op->addr))
			break;
	}
	if (chance(15)) {
		for_each_vma_range(mm, vma, WIN, WIN_END) {
			if (!(vma->vm_flags & VM_GROWSDOWN) || vma->vm_start < WIN + (4UL << 20))
				continue;
			op->addr = vma->vm_start - ((1 + below(chance(50) ? 8 : 512)) << PAGE_SHIFT);
			op->len = (1 + below(4)) << PAGE_SHIFT;
			op->below_stack = 1;
			break;
		}
	}
	if (heap_start && chance(10)) {
		/* the heap, a little past brk too */
		op->addr = heap_start + (below(((mm->brk - heap_start) >> PAGE_SHIFT) + 4)
					 << PAGE_SHIFT);
		op->len = (1 + below(16)) << PAGE_SHIFT;
	}
	if (op->len > (256UL << PAGE_SHIFT))
		op->len = (1 + below(256)) << PAGE_SHIFT;
	if (!touch_shared) {
		for_each_vma_range(mm, vma, op->addr, op->addr + op->len) {
			if (vma->vm_flags & VM_SHARED) {
				op->len = vma->vm_start > op->addr ? vma->vm_start - op->addr : 0;
				break;
			}
		}
	}
}

/* The VMA lookups want mmap_lock (find_vma()'s mmap_assert_locked()). */
static void gen_touch(struct mm_struct *mm, struct op *op)
{
	mmap_read_lock(mm);
	__gen_touch(mm, op);
	mmap_read_unlock(mm);
}

/* brk(): grow, shrink (also below start_brk), anywhere, unaligned, or 0. */
static void gen_brk(struct mm_struct *mm, struct op *op)
{
	unsigned long r = below(100), cur = mm->brk;

	op->kind = OP_BRK;
	if (r < 40)
		op->addr = cur + ((1 + below(64)) << PAGE_SHIFT);
	else if (r < 65)
		op->addr = cur - min(cur - heap_start + PAGE_SIZE,
				     (1 + below(16)) << PAGE_SHIFT);
	else if (r < 80)
		op->addr = heap_start + below(HEAP_SIZE + (1UL << 20));
	else if (r < 95)
		op->addr = cur + 1 + below(3 * PAGE_SIZE);
	else
		op->addr = 0;
	if (chance(50))
		op->addr &= PAGE_MASK;
}

/* A page-aligned address inside a random VMA of the window, or anywhere. */
static unsigned long rnd_addr_in_vma(struct mm_struct *mm)
{
	struct vm_area_struct *vma = rnd_vma(mm);

	if (!vma)
		return rnd_addr();
	return vma->vm_start + (below(vma_pages(vma)) << PAGE_SHIFT);
}

/*
 * mremap() in every form the kernel takes, and the ones it refuses:
 *  - in place: shrink (also across VMA ends), grow into a hole or into
 *    the next VMA (ENOMEM without MREMAP_MAYMOVE, a move with it);
 *  - MREMAP_MAYMOVE: grow, moving when the space above is taken;
 *  - MREMAP_FIXED: to a target that may cover VMAs (unmapped first),
 *    shrinking or growing, or with old_len == new_len moving every VMA of
 *    a range (holes: EFAULT at the start, kept in the middle);
 *  - MREMAP_DONTUNMAP (old_len == new_len), with or without FIXED, over
 *    private and shared, anonymous and file VMAs;
 *  - old_len 0 (a second mapping of a shared VMA), and the refusals:
 *    overlapping ranges, unaligned targets, FIXED or DONTUNMAP without
 *    MAYMOVE, unknown flags.
 */
static void gen_mremap(struct mm_struct *mm, struct op *op)
{
	struct vm_area_struct *vma;
	unsigned long r = below(100);

	op->kind = OP_MREMAP;
	rnd_range(mm, &op->addr, &op->len);
	if (r < 15) {
		/* grow in place from a VMA's end: into a hole or a neighbour */
		vma = rnd_vma(mm);
		if (vma) {
			op->addr = vma->vm_start + (below(vma_pages(vma)) << PAGE_SHIFT);
			op->len = vma->vm_end - op->addr;
		}
		op->new_len = op->len + ((1 + below(chance(70) ? 8 : 64)) << PAGE_SHIFT);
		op->flags = chance(50) ? MREMAP_MAYMOVE : 0;
	} else if (r < 30) {
		op->new_len = op->len > PAGE_SIZE ? op->len - ((1 + below(op->len >> PAGE_SHIFT))
							     << PAGE_SHIFT) / 2 : op->len;
		op->flags = chance(70) ? 0 : MREMAP_MAYMOVE;
	} else if (r < 45) {
		op->new_len = op->len + rnd_len();
		op->flags = MREMAP_MAYMOVE;
	} else if (r < 70) {
		op->flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		op->new_addr = chance(40) ? rnd_addr_in_vma(mm) : rnd_addr();
		r = below(100);
		if (r < 50)
			op->new_len = op->len;
		else if (r < 75)
			op->new_len = op->len + ((1 + below(16)) << PAGE_SHIFT);
		else
			op->new_len = op->len > PAGE_SIZE ? op->len - PAGE_SIZE : op->len;
	} else if (r < 92) {
		op->flags = MREMAP_MAYMOVE | MREMAP_DONTUNMAP;
		op->new_len = op->len;
		if (chance(60)) {
			op->flags |= MREMAP_FIXED;
			op->new_addr = chance(40) ? rnd_addr_in_vma(mm) : rnd_addr();
		}
	} else {
		static const int bad[] = {
			MREMAP_FIXED, MREMAP_DONTUNMAP, MREMAP_FIXED | MREMAP_DONTUNMAP,
			MREMAP_MAYMOVE | 8, MREMAP_MAYMOVE | MREMAP_FIXED,
			MREMAP_MAYMOVE | MREMAP_DONTUNMAP,
		};

		op->flags = bad[below(ARRAY_SIZE(bad))];
		op->new_len = chance(50) ? op->len : op->len + PAGE_SIZE;
		if (chance(30))
			op->len = 0;	/* duplicate a shared mapping */
		r = below(3);
		if (r == 0)
			op->new_addr = op->addr + PAGE_SIZE;	/* overlapping */
		else if (r == 1)
			op->new_addr = rnd_addr() + 1 + below(PAGE_SIZE - 1);
		else
			op->new_addr = rnd_addr();
	}
	if (op->new_addr && op->new_addr + op->new_len > WIN_END)
		op->new_addr = WIN_END - PAGE_ALIGN(op->new_len) - PAGE_SIZE;
	/* Moving may need the window's room: keep targets inside. */
	if (op->new_len > ARENA_SIZE)
		op->new_len = ARENA_SIZE;
}

/* msync() of any range, with every flag combination, valid or not. */
static void gen_msync(struct mm_struct *mm, struct op *op)
{
	static const int flags[] = {
		MS_ASYNC, MS_SYNC, MS_INVALIDATE, MS_ASYNC | MS_INVALIDATE,
		MS_SYNC | MS_INVALIDATE, MS_SYNC, MS_ASYNC | MS_SYNC, 0, 8,
	};

	op->kind = OP_MSYNC;
	rnd_range(mm, &op->addr, &op->len);
	op->msync_flags = flags[below(ARRAY_SIZE(flags))];
}

static void gen_op(struct mm_struct *mm, struct op *op)
{
	unsigned long r = below(100);

	memset(op, 0, sizeof(*op));
	if (chance(25)) {
		gen_touch(mm, op);
		return;
	}
	if (heap_start && chance(5)) {
		gen_brk(mm, op);
		return;
	}
	if (with_fork && chance(3)) {
		/* a fork() nests at most MAX_DEPTH processes; an exit ends one */
		op->kind = depth && (depth + 1 >= MAX_DEPTH || chance(40)) ? OP_EXIT : OP_FORK;
		return;
	}
	if (r < 36) {
		op->kind = OP_MMAP;
		op->len = rnd_len();
		op->prot = rnd_prot();
		op->flags = MAP_ANONYMOUS | (chance(75) ? MAP_PRIVATE : MAP_SHARED);
		r = below(100);
		if (r < 40) {
			/* over what is there, often: file and anonymous VMAs alike */
			op->addr = chance(40) ? rnd_addr_in_vma(mm) : rnd_addr();
			op->flags |= MAP_FIXED;
		} else if (r < 50) {
			op->addr = rnd_addr();
			op->flags |= MAP_FIXED_NOREPLACE;
		} else if (r < 80) {
			op->addr = rnd_addr();
			if (chance(10))
				op->addr += 1 + below(PAGE_SIZE - 1);
		}
		if (op->addr && op->addr + op->len > WIN_END)
			op->len = WIN_END - (op->addr & PAGE_MASK);
		if (chance(15))
			op->flags |= MAP_NORESERVE;
		if (chance(5))
			op->flags |= MAP_GROWSDOWN;
		if (chance(5))
			op->flags |= MAP_STACK;
		if (chance(6))
			op->flags |= MAP_LOCKED;
		if (chance(6))
			op->flags |= MAP_POPULATE;
		if (chance(3))
			op->flags = (op->flags & ~MAP_TYPE) | 0x08;	/* MAP_DROPPABLE */
		if (chance(2))
			op->flags |= 0x80000;				/* MAP_SYNC */
		if (chance(2))
			op->flags |= MAP_NONBLOCK;
		if (chance(1))
			op->flags |= MAP_32BIT;		/* no room below 2 GiB: ENOMEM */
		if (chance(1))
			op->flags |= 0x80;				/* MAP_ABOVE4G */
		if (with_hugetlb && chance(2)) {
			/* the default size, 2 MiB, 1 GiB, or one the host lacks (64 KiB) */
			static const int huge[] = { 0, 21 << MAP_HUGE_SHIFT,
						    30 << MAP_HUGE_SHIFT, 16 << MAP_HUGE_SHIFT };

			/* not MAP_NORESERVE: see "Kernel versions" */
			op->flags &= ~MAP_NORESERVE;
			op->flags |= MAP_HUGETLB | huge[below(ARRAY_SIZE(huge))];
			if (chance(50)) {	/* a length 2 MiB divides, within the window */
				unsigned long len = (op->len + (2UL << 20) - 1) & ~((2UL << 20) - 1);

				if (!op->addr || op->addr + len <= WIN_END)
					op->len = len;
			}
		}
		if (chance(1))	/* ignored: MAP_DENYWRITE, MAP_EXECUTABLE, MAP_UNINITIALIZED */
			op->flags |= MAP_DENYWRITE | MAP_EXECUTABLE | 0x4000000;
		if (chance(1))
			op->flags = (op->flags & ~MAP_TYPE) | (chance(50) ? 0xf : 0x3);
		if (chance(1))
			op->len = 0;
		if (file_fd >= 0 && chance(35)) {
			/* the test file, at times past its end (SIGBUS) or unaligned */
			op->flags &= ~MAP_ANONYMOUS;
			op->file = 1;
			op->off = (long)(below((FILE_SIZE >> PAGE_SHIFT) + 64) << PAGE_SHIFT);
			if (chance(2))
				op->off += 1 + (long)below(PAGE_SIZE - 1);
		}
	} else if (r < 48) {
		op->kind = OP_MUNMAP;
		rnd_range(mm, &op->addr, &op->len);
	} else if (r < 63) {
		op->kind = OP_MPROTECT;
		rnd_range(mm, &op->addr, &op->len);
		op->prot = rnd_prot();
		if (chance(3))
			op->prot |= PROT_GROWSDOWN;
	} else if (r < 74) {
		static const int advices[] = {
			MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_DONTFORK,
			MADV_DOFORK, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_WIPEONFORK,
			MADV_KEEPONFORK, MADV_DONTNEED, MADV_FREE, MADV_WILLNEED,
			MADV_COLD, MADV_PAGEOUT, MADV_DODUMP,
		};

		op->kind = OP_MADVISE;
		rnd_range(mm, &op->addr, &op->len);
		op->advice = advices[below(ARRAY_SIZE(advices))];
		if (chance(1))
			op->advice = 77;	/* invalid */
	} else if (r < 79) {
		op->kind = OP_MLOCK;
		rnd_range(mm, &op->addr, &op->len);
	} else if (r < 82 || (r < 92 && !with_mremap)) {
		op->kind = OP_MUNLOCK;
		rnd_range(mm, &op->addr, &op->len);
	} else if (r < 92) {
		gen_mremap(mm, op);
	} else {
		gen_msync(mm, op);
	}
}

/* ---- reports ---- */

static const char *op_name(int kind)
{
	static const char *const names[] = {
		"mmap", "munmap", "mprotect", "madvise", "mlock", "munlock",
		"mremap", "touch", "brk", "reset", "snapshot", "quit",
		"msync", "fork", "exit",
	};

	return names[kind];
}

static void print_op(FILE *f, int step, const struct op *op)
{
	fprintf(f, "  step %3d: %s(", step, op_name(op->kind));
	switch (op->kind) {
	case OP_MMAP:
		fprintf(f, "%#lx, %#lx, prot %#x, flags %#x", op->addr, op->len,
			op->prot, op->flags);
		if (op->file)
			fprintf(f, ", file, off %#lx", op->off);
		fputc(')', f);
		break;
	case OP_MPROTECT:
		fprintf(f, "%#lx, %#lx, prot %#x)", op->addr, op->len, op->prot);
		break;
	case OP_MADVISE:
		fprintf(f, "%#lx, %#lx, advice %d)", op->addr, op->len, op->advice);
		break;
	case OP_MSYNC:
		fprintf(f, "%#lx, %#lx, flags %#x)", op->addr, op->len, op->msync_flags);
		break;
	case OP_FORK:
	case OP_EXIT:
		fputc(')', f);
		break;
	case OP_MREMAP:
		fprintf(f, "%#lx, %#lx, %#lx, flags %#x, %#lx)", op->addr, op->len,
			op->new_len, op->flags, op->new_addr);
		break;
	case OP_TOUCH:
		fprintf(f, "%#lx, %#lx, %s)", op->addr, op->len, op->write ? "write" : "read");
		break;
	case OP_BRK:
		fprintf(f, "%#lx)", op->addr);
		break;
	default:
		fprintf(f, "%#lx, %#lx)", op->addr, op->len);
	}
	fputc('\n', f);
}

static void print_flags(FILE *f, unsigned long flags)
{
	for (int b = 0; b < 64; b++)
		if ((flags & (1UL << b)) && mnemonic[b])
			fprintf(f, " %s", mnemonic[b]);
}

static void print_snap(FILE *f, const char *who, const struct snap_vma *v, int n)
{
	fprintf(f, "  %s (%d VMAs in the window):\n", who, n);
	for (int i = 0; i < n; i++) {
		fprintf(f, "    %lx-%lx %.4s %08lx", v[i].start, v[i].end, v[i].perms,
			v[i].off);
		print_flags(f, v[i].flags & compare_mask);
		if (v[i].rss >= 0)
			fprintf(f, "  Rss %ld Anonymous %ld Locked %ld kB", v[i].rss,
				v[i].anon, v[i].locked);
		fputc('\n', f);
	}
}

static bool snaps_equal(const struct snap_vma *a, int na,
			const struct snap_vma *b, int nb, bool flags)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++) {
		if (a[i].start != b[i].start || a[i].end != b[i].end ||
		    a[i].off != b[i].off || memcmp(a[i].perms, b[i].perms, 4) ||
		    (flags && ((a[i].flags ^ b[i].flags) & compare_mask)) ||
		    a[i].rss != b[i].rss || a[i].anon != b[i].anon ||
		    a[i].locked != b[i].locked)
			return false;
	}
	return true;
}

/* ---- driver ---- */

struct child {
	pid_t pid;
	int to, from;
};

static int start_child(struct child *c)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		return -1;
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		/* a worker killed by its watchdog takes its host child along */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		close(a[1]);
		close(b[0]);
		host_child(a[0], b[1]);
	}
	stats->host = c->pid;
	close(a[0]);
	close(b[1]);
	c->to = a[1];
	c->from = b[0];
	/* the child's first word: where its heap window is (0: none) */
	return full_read(c->from, &heap_start, sizeof(heap_start)) ? 0 : -1;
}

static void stop_child(struct child *c)
{
	struct op quit = { .kind = OP_QUIT };
	int status;

	if (write(c->to, &quit, sizeof(quit)) < 0)
		perror("write");
	close(c->to);
	close(c->from);
	waitpid(c->pid, &status, 0);
	stats->host = 0;
}

static bool host_step(struct child *c, const struct op *op, struct result *res,
		      struct snap_vma *snap)
{
	if (write(c->to, op, sizeof(*op)) != sizeof(*op))
		return false;
	if (!full_read(c->from, res, sizeof(*res)))
		return false;
	if (res->nvma < 0 || res->nvma > MAX_VMAS)
		return false;
	return full_read(c->from, snap, sizeof(*snap) * (size_t)res->nvma);
}

/* End the host's fork()ed children, newest first, and umm's. */
static void unwind_processes(struct child *c, int *host_depth, struct snap_vma *snap)
{
	struct op exit_op = { .kind = OP_EXIT };
	struct result res;

	for (; *host_depth > 0; (*host_depth)--)
		if (!host_step(c, &exit_op, &res, snap))
			break;
	for (; depth >= 0; depth--) {
		if (mms[depth])
			umm_mm_destroy(mms[depth]);
		mms[depth] = NULL;
	}
	depth = 0;
}

static int watchdog_s;		/* -w: seconds a sequence may take (its replay too) */
static long max_failures = 10;	/* -k: no limit, go on to count them all */

/*
 * Runs one sequence.  @full compares smaps after every step; otherwise
 * maps after each step and smaps after the last and after each fork(),
 * exit and mremap(), and a mismatch is replayed in full to find the first
 * step that differs.  A sequence that fork()s ends with an exit of each
 * child (compared steps too: the parent after its child ran).  Returns 0
 * if every step matched, -1 on a mismatch, -2 if the host child died.
 */
static int run_sequence(struct child *c, unsigned long long seed, int steps, bool full)
{
	static struct snap_vma hs[MAX_VMAS], us[MAX_VMAS];
	static struct op ops[4096 + MAX_DEPTH + 1];
	struct op reset = { .kind = OP_RESET };
	struct result res;
	int ret = 0, host_depth = 0;

	if (steps > 4096)
		steps = 4096;
	rng_state = seed;
	stats->seed = seed;
	stats->step = 0;
	if (!host_step(c, &reset, &res, hs) || res.ret || res.nvma) {
		fprintf(stderr, "seed %llu: the host window did not reset\n", seed);
		return -2;
	}
	depth = 0;
	mms[0] = umm_fresh_mm();
	if (!mms[0])
		return -1;
	for (int i = 0;; i++) {
		struct op *op = &ops[i];
		long uret;
		int un;

		if (i < steps) {
			gen_op(mms[depth], op);
		} else {
			memset(op, 0, sizeof(*op));
			op->kind = depth ? OP_EXIT : OP_SNAP;
		}
		op->want_flags = full || op->kind == OP_SNAP || op->kind == OP_FORK ||
				 op->kind == OP_EXIT || op->kind == OP_MREMAP;
		stats->step = i;
		if (verbose && full) {
			print_op(stdout, i, op);
			fflush(stdout);	/* a hang shows its step */
		}
		uret = umm_do(op);
		un = umm_snapshot(mms[depth], us, op->want_flags);
		if (umm_mm_check(mms[depth])) {
			fprintf(stderr, "seed %llu step %d: umm_mm_check() failed\n", seed, i);
			ret = -1;
			break;
		}
		if (op->kind == OP_EXIT && !host_depth) {
			fprintf(stderr, "seed %llu step %d: exit without a child\n", seed, i);
			ret = -1;
			break;
		}
		if (!host_step(c, op, &res, hs)) {
			fprintf(stderr, "seed %llu step %d: the host child died\n", seed, i);
			ret = -2;
			break;
		}
		host_depth += (op->kind == OP_FORK && !res.ret) - (op->kind == OP_EXIT);
		if (!full || verbose) {	/* not again in a replay */
			count_answer(op, res.ret);
			stats->steps++;
		}
		if (res.ret == uret && snaps_equal(hs, res.nvma, us, un, res.has_flags)) {
			if (op->kind == OP_SNAP)
				break;
			continue;
		}
		ret = -1;
		if (!full)
			break;
		fprintf(stderr, "MISMATCH: seed %llu, step %d of %d\n", seed, i, steps);
		for (int j = 0; j <= i; j++)
			print_op(stderr, j, &ops[j]);
		fprintf(stderr, "  host returned %ld (%#lx), umm returned %ld (%#lx)%s\n",
			res.ret, (unsigned long)res.ret, uret, (unsigned long)uret,
			op->kind == OP_TOUCH ? " (signal << 8 | si_code)" : "");
		print_snap(stderr, "host", hs, res.nvma);
		print_snap(stderr, "umm ", us, un);
		break;
	}
	if (ret == -2)
		host_depth = 0;		/* no one left to tell */
	unwind_processes(c, &host_depth, hs);
	if (ret == -1 && !full) {
		alarm((unsigned int)watchdog_s);	/* the replay's own time */
		return run_sequence(c, seed, steps, true);
	}
	return ret;
}

static bool time_up(const struct timespec *t0, long seconds)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return seconds && t1.tv_sec - t0->tv_sec >= seconds;
}

static long failures(void)
{
	return stats->mismatched + stats->hung + stats->crashed;
}

/*
 * A worker's last words on a fatal signal (its watchdog's SIGALRM, or a
 * crash): where it was, as a backtrace to stderr (addr2line -e diff_mmap
 * turns the +0x offsets into lines), then the signal's own death, which
 * the supervisor reports with the seed and step.  Sanitizers keep their
 * own handlers for crashes.
 */
static void worker_died(int sig)
{
	void *frames[64];
	int n = backtrace(frames, 64);

	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void worker_last_words(void)
{
	static const int crashes[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	void *frame;

	backtrace(&frame, 1);	/* loads libgcc now, not in the handler */
	signal(SIGALRM, worker_died);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
	return;
#endif
#endif
	for (size_t i = 0; i < ARRAY_SIZE(crashes); i++)
		signal(crashes[i], worker_died);
#endif
}

/*
 * A worker: boots umm, starts a host child and runs sequences @seed...
 * until @nseq ran, the time is up or ten failed, each under an alarm()
 * of watchdog_s seconds: a sequence that hangs kills the worker with
 * SIGALRM, and the supervisor reports it (main()).  Exit status 0, 3 if
 * the host child died, 1 if nothing could start.
 */
static int run_worker(const char *cmdline, unsigned long long seed, long nseq, long steps,
		      const struct timespec *t0, long seconds)
{
	struct child c;

	worker_last_words();
	if (umm_boot(cmdline)) {
		fprintf(stderr, "umm_boot(%s) failed\n", cmdline);
		return 1;
	}
	with_mremap = umm_mremap(NULL, 0, 0, 0, 0, 0) != -ENOSYS;
	if (start_child(&c)) {
		fprintf(stderr, "diff_mmap: the host child did not start\n");
		return 1;
	}
	if (!stats->sequences) {	/* the first worker */
		if (heap_start)
			printf("diff_mmap: heap window %#lx-%#lx (brk)\n", heap_start,
			       heap_start + HEAP_SIZE);
		else
			printf("diff_mmap: no heap window: brk not tested\n");
	}
	for (long i = 0; i < nseq && failures() < max_failures && !time_up(t0, seconds); i++) {
		int r;

		alarm((unsigned int)watchdog_s);
		r = run_sequence(&c, seed + (unsigned long long)i, (int)steps, verbose);
		alarm(0);
		stats->sequences++;
		if (r == -2) {
			stats->crashed++;
			return 3;
		}
		if (r)
			stats->mismatched++;
	}
	stop_child(&c);
	umm_shutdown();
	return 0;
}

/*
 * After a worker ended: a hang (its watchdog's SIGALRM) or a crash (any
 * other signal) is a failed sequence; the seed and step it was at are
 * in the shared stats.  Returns true if the run goes on with a new worker.
 */
static bool worker_ended(int status, long steps)
{
	unsigned long long seed = stats->seed;

	if (stats->host > 0)	/* PR_SET_PDEATHSIG kills it too; do not wait on it */
		kill(stats->host, SIGKILL);
	stats->host = 0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;	/* reparented host children (we are their subreaper) */
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 3;
	if (!WIFSIGNALED(status))
		return false;
	stats->sequences++;
	if (WTERMSIG(status) == SIGALRM) {
		stats->hung++;
		fprintf(stderr, "HANG: seed %llu, step %d of %ld: no end in %d s "
			"(replay: -s %llu -n 1 -l %ld -v)\n", seed, stats->step, steps,
			watchdog_s, seed, steps);
	} else {
		stats->crashed++;
		fprintf(stderr, "CRASH: seed %llu, step %d of %ld: signal %d (%s) "
			"(replay: -s %llu -n 1 -l %ld -v)\n", seed, stats->step, steps,
			WTERMSIG(status), strsignal(WTERMSIG(status)), seed, steps);
	}
	return true;
}

/*
 * The test file's contents, from scratch: truncated to nothing (its
 * folios freed) and written again, a page at a time.  At each sequence's
 * start, so that no folio state outlives a sequence on the host, where
 * umm's page cache of the file goes with the sequence's mm: a tmpfs
 * folio stays in the cache for good, and with it a stale PG_mlocked
 * (MREMAP_DONTUNMAP clears VM_LOCKED without munlocking) that keeps
 * MADV_PAGEOUT off it in every later sequence.
 */
static int fill_test_file(int fd)
{
	static char chunk[PAGE_SIZE];

	if (ftruncate(fd, 0))
		return -1;
	for (unsigned long off = 0; off < FILE_SIZE; off += sizeof(chunk)) {
		memset(chunk, (int)(off >> 12), sizeof(chunk));
		if (pwrite(fd, chunk, sizeof(chunk), (off_t)off) != (ssize_t)sizeof(chunk))
			return -1;
	}
	return 0;
}

/*
 * The test file (see "Files"): a memfd, which is a tmpfs file.  Without
 * memfd_create(), one on /dev/shm.
 */
static int open_test_file(void)
{
	char path[] = "/dev/shm/diff_mmap.XXXXXX";

	file_fd = memfd_create("diff_mmap", 0);
	if (file_fd < 0) {
		file_fd = mkstemp(path);
		if (file_fd < 0) {
			perror("diff_mmap: memfd_create and mkstemp(/dev/shm)");
			return -1;
		}
		unlink(path);
	}
	if (fill_test_file(file_fd)) {
		perror("diff_mmap: writing the test file");
		return -1;
	}
	return 0;
}

/* Match the host's view: soft-dirty, stack_guard_gap=, CAP_IPC_LOCK. */
/* Does every huge page pool of the host hold, and promise, no page? */
static bool host_hugetlb_pools_empty(void)
{
	static const char *const files[] = { "nr_hugepages", "nr_overcommit_hugepages" };
	const char *dir = "/sys/kernel/mm/hugepages";
	struct dirent *d;
	bool empty = true;
	DIR *dp = opendir(dir);

	if (!dp)
		return false;	/* no hugetlbfs: the host says EINVAL, umm ENOMEM */
	while (empty && (d = readdir(dp))) {
		char path[512], buf[32];

		if (strncmp(d->d_name, "hugepages-", 10))
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, d->d_name, files[i]);
			if (read_file(path, buf, sizeof(buf)) <= 0 || strtoul(buf, NULL, 10))
				empty = false;
		}
	}
	closedir(dp);
	return empty;
}

static void probe_host(void)
{
	static char buf[65536];
	const char *p;
	void *a;

	a = mmap(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a != MAP_FAILED && read_file("/proc/self/smaps", buf, sizeof(buf)) > 0) {
		char hdr[32];

		snprintf(hdr, sizeof(hdr), "%lx-", (unsigned long)a);
		p = strstr(buf, hdr);
		p = p ? strstr(p, "VmFlags:") : NULL;
		if (p && memmem(p, (size_t)(strchr(p, '\n') - p), " sd", 3))
			compare_mask |= VM_SOFTDIRTY;
		munmap(a, PAGE_SIZE);
	}
	/* tmpfs with huge folios maps more per fault than umm (see "Files") */
	if (read_file("/sys/kernel/mm/transparent_hugepage/shmem_enabled", buf,
		      sizeof(buf)) > 0 && !strstr(buf, "[never]") && !strstr(buf, "[deny]"))
		fprintf(stderr, "diff_mmap: warning: shmem_enabled is not \"never\": "
			"the test file's Rss will differ (-A leaves files out)\n");
	with_hugetlb = host_hugetlb_pools_empty();
	/* CAP_IPC_LOCK (bit 14 of CapEff): mlock without RLIMIT_MEMLOCK */
	if (read_file("/proc/self/status", buf, sizeof(buf)) > 0 &&
	    (p = strstr(buf, "CapEff:")))
		host_cap_ipc_lock = (strtoull(p + 7, NULL, 16) >> 14) & 1;
}

int main(int argc, char **argv)
{
	/*
	 * umm starts small and grows as its sequences need (umm.hotplug=1): the
	 * host child has the machine's memory, and an mlock() or MAP_POPULATE
	 * of tens of MiB must not fail in umm alone.
	 */
	static char cmdline[80] = "mem=64M umm.hotplug=1";
	static char buf[65536];
	unsigned long long seed = 1, next;
	long nseq = 2000, steps = 40, seconds = 0;
	struct timespec t0, t1;
	pid_t supervisor;
	const char *p;
	int opt;

	while ((opt = getopt(argc, argv, "s:n:l:t:w:vkSAN")) != -1) {
		switch (opt) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': nseq = strtol(optarg, NULL, 0); break;
		case 'l': steps = strtol(optarg, NULL, 0); break;
		case 't': seconds = strtol(optarg, NULL, 0); break;
		case 'w': watchdog_s = (int)strtol(optarg, NULL, 0); break;
		case 'v': verbose = 1; break;
		case 'k': max_failures = LONG_MAX; break;
		case 'S': touch_shared = false; break;
		case 'A': with_files = false; break;
		case 'N': with_fork = false; break;
		default:
			fprintf(stderr, "usage: %s [-s seed] [-n sequences] [-l steps] [-t seconds] "
				"[-w watchdog seconds] [-v] [-k] [-S] [-A] [-N]\n", argv[0]);
			return 2;
		}
	}
	if (watchdog_s <= 0)
		watchdog_s = 20 + (int)(steps / 20);
	if (read_file("/proc/cmdline", buf, sizeof(buf)) > 0 &&
	    (p = strstr(buf, "stack_guard_gap=")))
		snprintf(cmdline, sizeof(cmdline), "mem=64M umm.hotplug=1 stack_guard_gap=%lu",
			 strtoul(p + 16, NULL, 10));
	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stats == MAP_FAILED) {
		perror("diff_mmap: mmap");
		return 1;
	}
	/* host children of a killed worker come to us, to be reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	probe_host();
	printf("diff_mmap: window %#lx-%#lx, seeds %llu..%llu, %ld steps each, %s%s, "
	       "watchdog %d s, compared flags:", WIN, WIN_END, seed,
	       seed + (unsigned long long)nseq - 1, steps,
	       with_files ? "anonymous and file memory" : "anonymous memory only",
	       with_fork ? ", fork" : "", watchdog_s);
	print_flags(stdout, compare_mask);
	printf("\n");
	if (with_files && open_test_file())
		return 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (next = seed; next < seed + (unsigned long long)nseq;) {
		int status;
		pid_t pid;

		fflush(NULL);
		supervisor = getpid();
		pid = fork();
		if (pid < 0) {
			perror("diff_mmap: fork");
			return 1;
		}
		if (!pid) {
			int r;

			/* killed with the supervisor (a CTest timeout, ^C) */
			prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (getppid() != supervisor)
				_exit(1);
			r = run_worker(cmdline, next, nseq - (long)(next - seed), steps, &t0,
				       seconds);
			fflush(NULL);
			_exit(r);
		}
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				return 1;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
			return 1;
		if (!worker_ended(status, steps) || failures() >= max_failures || time_up(&t0, seconds))
			break;
		next = stats->seed + 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("diff_mmap: touches: %ld ok, %ld SEGV_MAPERR, %ld SEGV_ACCERR, %ld SIGBUS, %ld other; "
	       "below a stack: %ld grew it, %ld refused\n", stats->ok, stats->maperr,
	       stats->accerr, stats->sigbus, stats->other, stats->stack_grown,
	       stats->stack_refused);
	printf("diff_mmap: brk: %ld moved, %ld refused; mremap: %ld in place, %ld moved, "
	       "%ld refused; %ld file mmaps, %ld msyncs, %ld forks; MAP_HUGETLB %s (%ld ENOMEM)\n",
	       stats->brk_moved, stats->brk_refused, stats->mremap_in_place, stats->mremap_moved,
	       stats->mremap_refused, stats->file_maps, stats->msyncs, stats->forks,
	       with_hugetlb ? "on" : "off (the host has huge pages)", stats->hugetlb_enomem);
	printf("diff_mmap: %ld sequences (%ld steps), %ld mismatched, %ld hung, %ld crashed, %.1f s\n",
	       stats->sequences, stats->steps, stats->mismatched, stats->hung, stats->crashed,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return failures() ? 1 : 0;
}
