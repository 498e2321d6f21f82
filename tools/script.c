// SPDX-License-Identifier: GPL-2.0
/*
 * script.c - the scenario language: `umm run-script FILE` and `umm shell`.
 *
 * A scenario drives one or more umm address spaces with the calls of
 * include/umm/mmap.h and prints what happens the way strace would, so
 * that a script is at once a lesson and a golden test:
 *
 *	mm A                          # a new, empty address space
 *	p = mmap NULL 16K rw- private,anonymous
 *	  mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS,
 *	       -1, 0) = 0x7ffff7ffb000    (printed on one line)
 *	mprotect p+8K 4K r--          # splits the VMA in three
 *	show maps
 *	touch p 8K write              # faults the first two pages in
 *	fork B                        # B: a copy-on-write child of A
 *	B: write p "child"            # one command on B: B copies page 0
 *	translate p                   # virtual -> page frame
 *	expect rss == 2 && pfn(A, p) != pfn(B, p)
 *
 * The language, one command per line ('#' starts a comment outside quotes):
 *
 * Address spaces.  `mm NAME` creates an empty address space and makes it
 * current (the rlimits are fixed: stack 8 MiB, memlock 8 MiB, data and as
 * unlimited, whatever the host's ulimits are; no capabilities, whoever
 * runs it, so nothing maps below mmap_min_addr).  `exec` gives the current
 * one what execve() would without a program: a 132 KiB [stack] VMA under
 * 0x7ffffffff000 (VM_GROWSDOWN) and the heap base at 0x555555559000 for
 * brk.  `fork NAME [= PARENT]`, `use NAME`, `exit [NAME]`.  `NAME: CMD`
 * runs one command on NAME.  `setrlimit stack|memlock|data|as SIZE|unlimited`.
 * Once more than one mm is alive, each call's line starts "[NAME] ", as
 * strace -f starts it with the pid.
 *
 * Calls (arguments in the system call's order, separated by spaces; an
 * argument is an expression without spaces, or one in parentheses):
 *	mmap ADDR LEN PROT FLAGS [FD [OFF]]	munmap ADDR LEN
 *	mprotect ADDR LEN PROT			mremap OLD OLDLEN NEWLEN [FLAGS [NEW]]
 *	brk [ADDR]				madvise ADDR LEN ADVICE
 *	mlock ADDR LEN				munlock ADDR LEN
 *	msync ADDR LEN FLAGS
 * PROT is rw-/r-x/--- style, or names joined by ',' or '|' (read, write,
 * exec, none, PROT_READ, ...); FLAGS are MAP_* names with or without the
 * prefix, any case (private,anonymous,fixed; MAP_SHARED|MAP_ANON); ADVICE
 * and the mremap/msync flags likewise (dontneed, MADV_FREE, maymove, sync).
 * A number may stand for any of them.
 *
 * Files.  `open "PATH" [rdonly|wronly|rdwr]` and `tmpfile SIZE` (a new,
 * already unlinked host file whose page N starts with the line "page N")
 * give a descriptor for mmap's FD, numbered from 100 up so that output
 * does not depend on what the host has open; `pread FD OFF LEN` shows what
 * the host file holds (after msync, say); `close FD`.
 *
 * Memory.  `touch ADDR LEN [read|write]` makes one access per page as a
 * program's loads or stores would (umm_touch; a write is a load and a
 * store of the same byte, so a new page takes a read and a write fault);
 * a fault that a process could not survive prints the signal, strace
 * style.  `read ADDR LEN [hex|str]`, `write ADDR "text"`, `fill ADDR LEN
 * BYTE` copy through umm_access() (a store: one fault for a new page).
 * `translate ADDR [LEN]` prints each page's frame (umm_virt_to_pfn);
 * `walk ADDR` shows the four-level page-table walk to it: each level's
 * index and entry, the table or frame it points to, the x86 bits.
 *
 * Reports.  `show maps|smaps|smaps_rollup|status|stat|statm [MM] [ADDR]`
 * (smaps with ADDR: only the VMA containing it), `show pagemap ADDR
 * [PAGES] [MM]` (decoded), `show buddyinfo|meminfo|slabinfo|...` (umm's
 * global /proc files), each optionally `| grep PATTERN...` (extended
 * regular expressions, any of them), `stats` (faults, RSS and the other per-mm values
 * below, by their names), `vmas [MM]` (each vm_area_struct: range,
 * vm_pgoff, anon_vma and its chain, vm_flags by VM_* name), `check`
 * (umm_mm_check).
 *
 * Values.  `NAME = EXPR` or `NAME = CALL ...` (the call's return value;
 * -errno when it failed).  Numbers are decimal or 0x hex, with K, M, G or
 * T suffixes; operators + - * / % & | ^ ~ << >> == != < <= > >= && || !
 * and parentheses.  Names: your variables; `ret` (the last call's
 * value), `si_code` and `si_addr` (of the last signal); `rss`, `anon`,
 * `file`, `shmem`, `hiwater_rss`, `minflt`, `majflt`, `vmas`, `total_vm`,
 * `locked_vm` (pages or counts), `pgtables` (bytes), `brk`, each also as
 * NAME(MM); `pfn(ADDR)` and `pfn(MM, ADDR)` (-EFAULT if not mapped); the
 * last `walk`'s PTE is its `ret`; constants NULL, PAGE_SIZE,
 * errno names (ENOMEM), signal and si_code names (SIGSEGV, SEGV_ACCERR),
 * and PROT_/MAP_/MADV_ names.
 *
 * Checks and narration.  `expect EXPR` fails the script unless EXPR is
 * non-zero.  `expect REPORT [ARGS] <<TAG` followed by lines up to TAG
 * fails unless `show REPORT ARGS` would print exactly those lines.
 * `source "FILE"` runs FILE's lines in this session (in the shell: load a
 * scenario, then explore it).  `echo TEXT` prints TEXT ($name and ${expr}
 * are replaced by the value: decimal below 65536, hex from there); `print
 * EXPR`; `help`; `quit`.
 *
 * Errors: a bad line is "FILE:LINE: message" on stderr; run-script stops
 * there with exit status 1, the shell prints it and reads on.  Nothing in
 * a script can crash umm: every argument reaches the C API, which answers
 * bad ones with -errno.
 *
 * Determinism: umm boots with UMM_SCRIPT_CMDLINE (script.h) and then the
 * user's --cmdline, single-threaded, so addresses, frame numbers and every
 * report are the same on every run and every host (but for what the host
 * puts in them: a file's device and inode, status's Pid): tests/scripts
 * runs the tour as if on 1 and on 64 CPUs.
 *
 * Owns: the interpreter's state (struct script: the named mms, the
 * variables, the files it opened), nothing global; one script runs at a
 * time, on one thread.  No lock of its own: the umm_* calls take
 * mmap_lock themselves.  Invariants: s->cur and s->line_mm point into
 * s->mms[] or are NULL (an exit or fork that moves the array re-finds
 * them by name); every mm and fd the script made is released at its end.
 *
 * Where user space forces a difference: there is no execve().  `exec` maps
 * the stack with umm_mmap(MAP_GROWSDOWN | MAP_FIXED) and sets
 * mm->start_stack itself, under mmap_lock, as setup_arg_pages() would (the
 * API has no call for it); the heap base is umm_mm_set_brk_base().
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <limits.h>
#include <regex.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/resource.h>
#include <umm.h>
#include <umm/pgtable.h>
#include <umm/rmap.h>
#include "script.h"

#ifdef UMM_HAVE_LIBEDIT
#include <editline/readline.h>
#endif

#define MAX_MMS		16
#define MAX_VARS	256
#define MAX_TOKENS	16
#define NAME_LEN	32
#define MAX_FILES	16
#define MAX_ANON_VMAS	256
#define MAX_LINE	65536

/* ---- the names of things ---- */

struct name_val {
	const char *name;
	long val;
};

/* The uapi values (include/uapi/asm-generic/mman*.h, x86-64). */
static const struct name_val prot_names[] = {
	{ "PROT_READ", 0x1 }, { "PROT_WRITE", 0x2 }, { "PROT_EXEC", 0x4 },
	{ "PROT_SEM", 0x8 }, { "PROT_GROWSDOWN", 0x01000000 },
	{ "PROT_GROWSUP", 0x02000000 }, { NULL, 0 }
};

static const struct name_val map_names[] = {
	{ "MAP_SHARED", 0x01 }, { "MAP_PRIVATE", 0x02 },
	{ "MAP_SHARED_VALIDATE", 0x03 }, { "MAP_DROPPABLE", 0x08 },
	{ "MAP_FIXED", 0x10 }, { "MAP_ANONYMOUS", 0x20 }, { "MAP_32BIT", 0x40 },
	{ "MAP_GROWSDOWN", 0x100 }, { "MAP_DENYWRITE", 0x800 },
	{ "MAP_EXECUTABLE", 0x1000 }, { "MAP_LOCKED", 0x2000 },
	{ "MAP_NORESERVE", 0x4000 }, { "MAP_POPULATE", 0x8000 },
	{ "MAP_NONBLOCK", 0x10000 }, { "MAP_STACK", 0x20000 },
	{ "MAP_HUGETLB", 0x40000 }, { "MAP_SYNC", 0x80000 },
	{ "MAP_FIXED_NOREPLACE", 0x100000 }, { "MAP_UNINITIALIZED", 0x4000000 },
	{ "MAP_ANON", 0x20 }, { NULL, 0 }
};
#define MAP_TYPE_MASK 0x0f

static const struct name_val madv_names[] = {
	{ "MADV_NORMAL", 0 }, { "MADV_RANDOM", 1 }, { "MADV_SEQUENTIAL", 2 },
	{ "MADV_WILLNEED", 3 }, { "MADV_DONTNEED", 4 }, { "MADV_FREE", 8 },
	{ "MADV_REMOVE", 9 }, { "MADV_DONTFORK", 10 }, { "MADV_DOFORK", 11 },
	{ "MADV_MERGEABLE", 12 }, { "MADV_UNMERGEABLE", 13 },
	{ "MADV_HUGEPAGE", 14 }, { "MADV_NOHUGEPAGE", 15 },
	{ "MADV_DONTDUMP", 16 }, { "MADV_DODUMP", 17 },
	{ "MADV_WIPEONFORK", 18 }, { "MADV_KEEPONFORK", 19 },
	{ "MADV_COLD", 20 }, { "MADV_PAGEOUT", 21 },
	{ "MADV_POPULATE_READ", 22 }, { "MADV_POPULATE_WRITE", 23 },
	{ "MADV_DONTNEED_LOCKED", 24 }, { "MADV_COLLAPSE", 25 },
	{ "MADV_HWPOISON", 100 }, { "MADV_SOFT_OFFLINE", 101 },
	{ "MADV_GUARD_INSTALL", 102 }, { "MADV_GUARD_REMOVE", 103 },
	{ NULL, 0 }
};

static const struct name_val mremap_names[] = {
	{ "MREMAP_MAYMOVE", 1 }, { "MREMAP_FIXED", 2 }, { "MREMAP_DONTUNMAP", 4 },
	{ NULL, 0 }
};

static const struct name_val msync_names[] = {
	{ "MS_ASYNC", 1 }, { "MS_INVALIDATE", 2 }, { "MS_SYNC", 4 }, { NULL, 0 }
};

static const struct name_val errno_names[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
	{ "EIO", EIO }, { "ENXIO", ENXIO }, { "E2BIG", E2BIG },
	{ "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "ENODEV", ENODEV }, { "EINVAL", EINVAL },
	{ "ENFILE", ENFILE }, { "EMFILE", EMFILE }, { "ETXTBSY", ETXTBSY },
	{ "EFBIG", EFBIG }, { "ENOSPC", ENOSPC }, { "ESPIPE", ESPIPE },
	{ "EROFS", EROFS }, { "ERANGE", ERANGE }, { "ENOSYS", ENOSYS },
	{ "EOVERFLOW", EOVERFLOW }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EHWPOISON", EHWPOISON }, { NULL, 0 }
};

static const struct name_val signal_names[] = {
	{ "SIGSEGV", SIGSEGV }, { "SIGBUS", SIGBUS },
	{ "SEGV_MAPERR", SEGV_MAPERR }, { "SEGV_ACCERR", SEGV_ACCERR },
	{ "BUS_ADRALN", BUS_ADRALN }, { "BUS_ADRERR", BUS_ADRERR },
	{ "BUS_OBJERR", BUS_OBJERR }, { NULL, 0 }
};

static const struct name_val rlimit_names[] = {
	{ "stack", RLIMIT_STACK }, { "memlock", RLIMIT_MEMLOCK },
	{ "data", RLIMIT_DATA }, { "as", RLIMIT_AS }, { NULL, 0 }
};

static const struct name_val *name_tables[] = {
	prot_names, map_names, madv_names, mremap_names, msync_names,
	errno_names, signal_names, NULL
};

static const struct name_val *lookup(const struct name_val *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static const char *name_of(const struct name_val *t, long val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return NULL;
}

/* ---- interpreter state ---- */

struct mm_slot {
	char name[NAME_LEN];
	struct mm_struct *mm;
};

struct var {
	char name[NAME_LEN];
	long val;
};

struct script {
	const char *file;		/* for messages */
	int lineno;
	FILE *in;
	bool interactive;		/* a terminal: prompt and line editing */
	bool quit;
	int depth;			/* of nested source commands */
	bool input_error;		/* s->in is not a text file: stop reading it */

	struct mm_slot mms[MAX_MMS];
	int nr_mms;
	struct mm_slot *cur;
	struct mm_slot *line_mm;	/* "NAME:" prefix of this line, else cur */

	struct var vars[MAX_VARS];
	int nr_vars;
	long ret;			/* the last call's value */
	long sig_code, sig_addr;	/* the last signal */
	int fds[MAX_FILES];		/* host files opened by the script */
	int nr_fds;
	const void *anon_vmas[MAX_ANON_VMAS];	/* numbered as first shown */
	int nr_anon_vmas;

	/* Expression parsing state. */
	const char *ep;
	bool eerr;
	bool equiet;			/* a trial: errors are not reported */
	int enest;			/* operands being evaluated, nested */
};

static int serr(struct script *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void vreport(struct script *s, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s:%d: ", s->file, s->lineno);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Report an error of this line as FILE:LINE: message; returns -1. */
static int serr(struct script *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(s, fmt, ap);
	va_end(ap);
	return -1;
}

static bool is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static bool is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static size_t ident_len(const char *p)
{
	size_t n = 0;

	while (is_ident((unsigned char)p[n]))
		n++;
	return n;
}

static bool valid_name(const char *name)
{
	if (!is_ident_start((unsigned char)*name) || strlen(name) >= NAME_LEN)
		return false;
	for (const char *p = name; *p; p++)
		if (!is_ident((unsigned char)*p))
			return false;
	return true;
}

static struct mm_slot *find_mm(struct script *s, const char *name)
{
	for (int i = 0; i < s->nr_mms; i++)
		if (!strcmp(s->mms[i].name, name))
			return &s->mms[i];
	return NULL;
}

/* The address space called @name, or NULL after an error message. */
static struct mm_slot *named_mm(struct script *s, const char *name)
{
	struct mm_slot *slot = find_mm(s, name);

	if (!slot)
		serr(s, "no address space '%s'", name);
	return slot;
}

static struct var *find_var(struct script *s, const char *name)
{
	for (int i = 0; i < s->nr_vars; i++)
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	return NULL;
}

/* The mm a command works on, or an error. */
static struct mm_struct *need_mm(struct script *s)
{
	if (!s->line_mm) {
		serr(s, "no address space yet (start with: mm A)");
		return NULL;
	}
	return s->line_mm->mm;
}

/* "[A] " once there is more than one address space, as strace -f. */
static void call_prefix(struct script *s)
{
	if (s->nr_mms > 1 && s->line_mm)
		printf("[%s] ", s->line_mm->name);
}

/* ---- expressions ---- */

static long eval_expr(struct script *s, struct mm_struct *mm);

static void skip_space(struct script *s)
{
	while (*s->ep == ' ' || *s->ep == '\t')
		s->ep++;
}

static long expr_fail(struct script *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The first error of an expression: report it, and evaluate to 0. */
static long expr_fail(struct script *s, const char *fmt, ...)
{
	va_list ap;

	if (s->eerr)
		return 0;
	s->eerr = true;
	if (s->equiet)
		return 0;
	va_start(ap, fmt);
	vreport(s, fmt, ap);
	va_end(ap);
	return 0;
}

/* Read an identifier at s->ep into @buf (NAME_LEN + 1 bytes). */
static void read_ident(struct script *s, char *buf)
{
	size_t n = 0;

	while (is_ident((unsigned char)*s->ep)) {
		if (n < NAME_LEN)
			buf[n++] = *s->ep;
		s->ep++;
	}
	buf[n] = '\0';
}

/* A number with an optional K/M/G/T suffix (binary multiples). */
static long parse_number(struct script *s)
{
	const char *start = s->ep;
	unsigned int shift = 0;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s->ep, &end, 0);
	if (errno || end == s->ep)
		return expr_fail(s, "bad number '%s'", start);
	s->ep = end;
	switch (*s->ep) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift) {
		s->ep++;
		if (v > ULONG_MAX >> shift)
			return expr_fail(s, "bad number '%.*s' (more than 64 bits)",
					 (int)(s->ep - start), start);
		v <<= shift;
	}
	if (is_ident((unsigned char)*s->ep)) {
		char bad[64];

		snprintf(bad, sizeof(bad), "%.*s", (int)strcspn(start, " \t()"), start);
		return expr_fail(s, "bad number '%s' (suffixes: K, M, G, T)", bad);
	}
	return (long)v;
}

/* Per-mm values: NAME or NAME(MM). */
static bool mm_value(const char *name, struct mm_struct *mm, long *out)
{
	static const struct { const char *name; int counter; } counters[] = {
		{ "anon", MM_ANONPAGES }, { "file", MM_FILEPAGES },
		{ "shmem", MM_SHMEMPAGES },
	};

	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (!strcmp(name, counters[i].name)) {
			*out = (long)get_mm_counter(mm, counters[i].counter);
			return true;
		}
	}
	if (!strcmp(name, "rss"))
		*out = (long)get_mm_rss(mm);
	else if (!strcmp(name, "minflt"))
		*out = (long)mm->min_flt;
	else if (!strcmp(name, "majflt"))
		*out = (long)mm->maj_flt;
	else if (!strcmp(name, "vmas"))
		*out = mm->map_count;
	else if (!strcmp(name, "total_vm"))
		*out = (long)mm->total_vm;
	else if (!strcmp(name, "hiwater_rss"))
		*out = (long)mm->hiwater_rss;
	else if (!strcmp(name, "locked_vm"))
		*out = (long)mm->locked_vm;
	else if (!strcmp(name, "pgtables"))
		*out = mm->pgtables_bytes;
	else if (!strcmp(name, "brk"))
		*out = (long)mm->brk;
	else
		return false;
	return true;
}

static bool is_builtin(const char *name)
{
	struct mm_struct dummy = { 0 };
	long v;

	if (!strcmp(name, "pfn"))
		return true;
	return mm_value(name, &dummy, &v) || !strcmp(name, "ret") ||
	       !strcmp(name, "si_code") || !strcmp(name, "si_addr");
}

static bool constant(const char *name, long *out)
{
	if (!strcmp(name, "NULL")) {
		*out = 0;
		return true;
	}
	if (!strcmp(name, "PAGE_SIZE")) {
		*out = PAGE_SIZE;
		return true;
	}
	for (int i = 0; name_tables[i]; i++) {
		const struct name_val *nv = lookup(name_tables[i], name);

		if (nv) {
			*out = nv->val;
			return true;
		}
	}
	return false;
}

static long eval_pfn(struct script *s, struct mm_struct *mm, unsigned long addr)
{
	unsigned long pfn;
	int err = umm_virt_to_pfn(mm, addr, &pfn);

	(void)s;
	return err ? err : (long)pfn;
}

/* NAME, NAME(MM), pfn(ADDR), pfn(MM, ADDR) */
static long eval_name(struct script *s, struct mm_struct *mm)
{
	char name[NAME_LEN + 1];
	struct var *v;
	long val;

	read_ident(s, name);
	skip_space(s);
	if (*s->ep == '(' && is_builtin(name)) {
		const char *save;
		struct mm_slot *slot = NULL;

		s->ep++;
		skip_space(s);
		save = s->ep;
		/* An mm name as the first argument? */
		if (is_ident_start((unsigned char)*s->ep)) {
			char arg[NAME_LEN + 1];

			read_ident(s, arg);
			skip_space(s);
			slot = find_mm(s, arg);
			if (slot && (*s->ep == ')' || *s->ep == ','))
				mm = slot->mm;
			else
				s->ep = save, slot = NULL;
		}
		if (!strcmp(name, "pfn")) {
			unsigned long addr;

			if (slot) {
				if (*s->ep != ',')
					return expr_fail(s, "pfn(MM, ADDR): which address?");
				s->ep++;
			}
			addr = (unsigned long)eval_expr(s, mm);
			skip_space(s);
			if (*s->ep != ')')
				return expr_fail(s, "missing ')' after pfn(...");
			s->ep++;
			if (!mm)
				return expr_fail(s, "no address space yet (start with: mm A)");
			return eval_pfn(s, mm, addr);
		}
		if (!slot)
			return expr_fail(s, "%s(MM): the argument must be an address space name", name);
		if (*s->ep != ')')
			return expr_fail(s, "missing ')' after %s(", name);
		s->ep++;
		if (!mm_value(name, mm, &val))
			return expr_fail(s, "%s takes no argument", name);
		return val;
	}
	v = find_var(s, name);
	if (v)
		return v->val;
	if (!strcmp(name, "ret"))
		return s->ret;
	if (!strcmp(name, "si_code"))
		return s->sig_code;
	if (!strcmp(name, "si_addr"))
		return s->sig_addr;
	if (!strcmp(name, "pfn"))
		return expr_fail(s, "pfn needs an address: pfn(ADDR) or pfn(MM, ADDR)");
	if (mm && mm_value(name, mm, &val))
		return val;
	if (!mm && is_builtin(name))
		return expr_fail(s, "'%s' needs an address space (start with: mm A)", name);
	if (constant(name, &val))
		return val;
	return expr_fail(s, "unknown name '%s'", name);
}

static long eval_operand(struct script *s, struct mm_struct *mm);

/*
 * Parentheses and prefix operators recurse: a line of 65536 '(' would
 * overflow the stack long before it ended, so the nesting is limited.
 */
#define MAX_NESTING 256

static long eval_unary(struct script *s, struct mm_struct *mm)
{
	long v;

	skip_space(s);
	if (s->eerr)
		return 0;
	if (s->enest >= MAX_NESTING)
		return expr_fail(s, "expression nested too deeply (more than %d levels)",
				 MAX_NESTING);
	s->enest++;
	v = eval_operand(s, mm);
	s->enest--;
	return v;
}

/* A number, a name, or a prefix operator or '(' and what it applies to. */
static long eval_operand(struct script *s, struct mm_struct *mm)
{
	switch (*s->ep) {
	case '-':
		s->ep++;
		return (long)(0UL - (unsigned long)eval_unary(s, mm));
	case '+':
		s->ep++;
		return eval_unary(s, mm);
	case '~':
		s->ep++;
		return ~eval_unary(s, mm);
	case '!':
		s->ep++;
		return !eval_unary(s, mm);
	case '(': {
		long v;

		s->ep++;
		v = eval_expr(s, mm);
		skip_space(s);
		if (*s->ep != ')')
			return expr_fail(s, "missing ')'");
		s->ep++;
		return v;
	}
	}
	if (isdigit((unsigned char)*s->ep))
		return parse_number(s);
	if (is_ident_start((unsigned char)*s->ep))
		return eval_name(s, mm);
	if (!*s->ep)
		return expr_fail(s, "expression ends too early");
	return expr_fail(s, "unexpected '%s' in expression", s->ep);
}

/* Binary operators by precedence level, lowest first (C's order). */
static const char *const levels[][6] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<=", ">=", "<", ">" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};
#define NR_LEVELS (int)(sizeof(levels) / sizeof(levels[0]))

static const char *match_op(struct script *s, int level)
{
	for (int i = 0; i < 6 && levels[level][i]; i++) {
		const char *op = levels[level][i];
		size_t n = strlen(op);

		if (strncmp(s->ep, op, n))
			continue;
		/* "|" must not take "||", "&" not "&&", "<" not "<<"/"<=". */
		if (n == 1 && (s->ep[1] == op[0] || s->ep[1] == '=') && op[0] != '%' &&
		    op[0] != '*' && op[0] != '/' && op[0] != '+' && op[0] != '-' && op[0] != '^')
			continue;
		return op;
	}
	return NULL;
}

static long apply(struct script *s, const char *op, long a, long b)
{
	unsigned long ua = (unsigned long)a, ub = (unsigned long)b;

	switch (op[0]) {
	case '|': return op[1] ? (a || b) : (long)(ua | ub);
	case '&': return op[1] ? (a && b) : (long)(ua & ub);
	case '^': return (long)(ua ^ ub);
	case '=': return a == b;
	case '!': return a != b;
	case '<':
		if (op[1] == '<')
			return ub >= 64 ? 0 : (long)(ua << ub);
		return op[1] ? a <= b : a < b;
	case '>':
		if (op[1] == '>')
			return ub >= 64 ? 0 : (long)(ua >> ub);
		return op[1] ? a >= b : a > b;
	case '+': return (long)(ua + ub);
	case '-': return (long)(ua - ub);
	case '*': return (long)(ua * ub);
	case '/':
	case '%':
		if (!b)
			return expr_fail(s, "division by zero");
		if (a == LONG_MIN && b == -1)
			return op[0] == '/' ? a : 0;
		return op[0] == '/' ? a / b : a % b;
	}
	return 0;
}

static long eval_level(struct script *s, struct mm_struct *mm, int level)
{
	long v;

	if (level == NR_LEVELS)
		return eval_unary(s, mm);
	v = eval_level(s, mm, level + 1);
	for (;;) {
		const char *op;

		skip_space(s);
		if (s->eerr)
			return 0;
		op = match_op(s, level);
		if (!op)
			return v;
		s->ep += strlen(op);
		v = apply(s, op, v, eval_level(s, mm, level + 1));
	}
}

static long eval_expr(struct script *s, struct mm_struct *mm)
{
	return eval_level(s, mm, 0);
}

/*
 * Evaluate all of @text; the mm for per-mm names is the line's.  Returns
 * 0 and *@out, or -1 after an error message.
 */
static int eval(struct script *s, const char *text, long *out)
{
	s->ep = text;
	s->eerr = false;
	*out = eval_expr(s, s->line_mm ? s->line_mm->mm : NULL);
	skip_space(s);
	if (!s->eerr && *s->ep)
		expr_fail(s, "unexpected '%s' in expression", s->ep);
	return s->eerr ? -1 : 0;
}

static int eval_ulong(struct script *s, const char *text, unsigned long *out)
{
	long v;

	if (eval(s, text, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/*
 * A flag word: names from @table joined by ',' or '|', with or without
 * @prefix, any case; numbers, variables and (expressions) too.
 */
static int parse_flags(struct script *s, const char *text, const struct name_val *table,
		       const char *prefix, const char *what, long *out)
{
	char buf[256], *next = buf;
	long v = 0;

	if (strlen(text) >= sizeof(buf))
		return serr(s, "%s too long", what);
	strcpy(buf, text);
	while (next) {
		char name[sizeof(buf) + 16], *item = next, *p;	/* + a prefix */
		const struct name_val *nv;
		int depth = 0;
		long num;

		/* The next ',' or '|' outside parentheses ends the item. */
		for (p = item; *p && (depth || !strchr(",|", *p)); p++)
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
		next = *p ? p + 1 : NULL;
		*p = '\0';
		if (!*item)
			continue;	/* as strtok() skipped empty items */

		snprintf(name, sizeof(name), "%s%s",
			 strncasecmp(item, prefix, strlen(prefix)) ? prefix : "", item);
		for (p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		nv = lookup(table, name);
		if (nv) {
			v |= nv->val;
			continue;
		}
		if (isdigit((unsigned char)item[0]) || item[0] == '(' || item[0] == '-' ||
		    find_var(s, item)) {
			if (eval(s, item, &num))
				return -1;
			v |= num;
			continue;
		}
		return serr(s, "unknown %s '%s'", what, item);
	}
	*out = v;
	return 0;
}

/* rw- / r-x / --- / rw, or names: read,write / PROT_READ|PROT_EXEC / none */
static int parse_prot(struct script *s, const char *text, long *out)
{
	size_t n = strlen(text);

	if (n && n <= 3 && strspn(text, "rwx-") == n) {
		long v = 0;

		for (const char *p = text; *p; p++)
			v |= *p == 'r' ? 1 : *p == 'w' ? 2 : *p == 'x' ? 4 : 0;
		*out = v;
		return 0;
	}
	{
		static const struct name_val words[] = {
			{ "PROT_READ", 1 }, { "PROT_WRITE", 2 }, { "PROT_EXEC", 4 },
			{ "PROT_R", 1 }, { "PROT_W", 2 }, { "PROT_X", 4 },
			{ "PROT_NONE", 0 }, { "PROT_SEM", 8 },
			{ "PROT_GROWSDOWN", 0x01000000 }, { "PROT_GROWSUP", 0x02000000 },
			{ NULL, 0 }
		};

		return parse_flags(s, text, words, "PROT_", "protection", out);
	}
}

/* ---- printing, strace style ---- */

static void print_addr(unsigned long addr)
{
	if (addr)
		printf("%#lx", addr);
	else
		printf("NULL");
}

static void print_bits(long v, const struct name_val *table, const char *none)
{
	bool first = true;

	if (!v && none) {
		printf("%s", none);
		return;
	}
	for (const struct name_val *nv = table; nv->name && v; nv++) {
		if (nv->val && (v & nv->val) == nv->val) {
			printf("%s%s", first ? "" : "|", nv->name);
			v &= ~nv->val;
			first = false;
		}
	}
	if (v || first)
		printf("%s%#lx", first ? "" : "|", v);
}

static void print_map_flags(long flags)
{
	const char *type = name_of(map_names, flags & MAP_TYPE_MASK);

	if (type)
		printf("%s", type);
	else
		printf("%#lx /* MAP_??? */", flags & MAP_TYPE_MASK);
	flags &= ~(long)MAP_TYPE_MASK;
	if (flags) {
		printf("|");
		/* map_names without the types and the MAP_ANON alias */
		print_bits(flags, map_names + 4, NULL);
	}
}

/* " = 0", " = 0x7f...", or " = -1 ENOMEM (Cannot allocate memory)" */
static void print_result(long ret, bool hex)
{
	if (ret < 0 && ret >= -4095) {
		const char *name = name_of(errno_names, -ret);

		if (name)
			printf(" = -1 %s (%s)\n", name, strerror((int)-ret));
		else
			printf(" = -1 errno %ld (%s)\n", -ret, strerror((int)-ret));
	} else if (hex) {
		printf(" = %#lx\n", (unsigned long)ret);
	} else {
		printf(" = %ld\n", ret);
	}
}

static bool quoted(const char *tok)
{
	return tok[0] == '"';
}

/* A quoted token's text with \n \t \\ \" \0 \xNN escapes resolved. */
static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	for (; *in; in++) {
		if (*in != '\\' || !in[1]) {
			out[n++] = *in;
			continue;
		}
		switch (*++in) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case '0': out[n++] = '\0'; break;
		case 'x':
			if (isxdigit((unsigned char)in[1])) {
				char hexd[3] = { in[1], 0, 0 };

				if (isxdigit((unsigned char)in[2]))
					hexd[1] = in[2];
				out[n++] = (char)strtoul(hexd, NULL, 16);
				in += strlen(hexd);
				break;
			}
			/* fall through */
		default: out[n++] = *in;
		}
	}
	return n;
}

/* A C string, escaped as strace prints buffers. */
static void print_cstring(const unsigned char *p, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		switch (c) {
		case '"': printf("\\\""); break;
		case '\\': printf("\\\\"); break;
		case '\n': printf("\\n"); break;
		case '\t': printf("\\t"); break;
		case '\0': printf("\\0"); break;
		default:
			if (isprint(c))
				putchar(c);
			else
				printf("\\x%02x", c);
		}
	}
	putchar('"');
}

static void hexdump(unsigned long addr, const unsigned char *p, size_t n)
{
	for (size_t off = 0; off < n; off += 16) {
		printf("  %012lx ", addr + off);
		for (size_t i = 0; i < 16; i++) {
			if (i == 8)
				putchar(' ');
			if (off + i < n)
				printf(" %02x", p[off + i]);
			else
				printf("   ");
		}
		printf("  |");
		for (size_t i = 0; i < 16 && off + i < n; i++)
			putchar(isprint(p[off + i]) ? p[off + i] : '.');
		printf("|\n");
	}
}

/* ---- the commands ---- */

struct cmd_ctx {
	struct script *s;
	int argc;
	char **argv;		/* argv[0] is the command */
	bool want_value;	/* NAME = CMD ...: the caller assigns s->ret */
	const char *raw;	/* the text after the command word */
};

static int nargs(struct cmd_ctx *c, int min, int max, const char *usage)
{
	if (c->argc - 1 < min || c->argc - 1 > max)
		return serr(c->s, "usage: %s", usage);
	return 0;
}

static int arg_ulong(struct cmd_ctx *c, int i, unsigned long *out)
{
	return eval_ulong(c->s, c->argv[i], out);
}

static void set_ret(struct script *s, long v)
{
	s->ret = v;
}

static bool own_fd(struct script *s, long fd);

static int cmd_mmap(struct cmd_ctx *c)
{
	unsigned long addr, len;
	long prot, flags, fd = -1, off = 0, ret;
	struct mm_struct *mm;

	if (nargs(c, 4, 6, "mmap ADDR LEN PROT FLAGS [FD [OFFSET]]") ||
	    !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len) ||
	    parse_prot(c->s, c->argv[3], &prot) ||
	    parse_flags(c->s, c->argv[4], map_names, "MAP_", "mmap flag", &flags) ||
	    (c->argc > 5 && eval(c->s, c->argv[5], &fd)) ||
	    (c->argc > 6 && eval(c->s, c->argv[6], &off)))
		return -1;
	/*
	 * The scenario's process has only the files it opened: the host's
	 * other descriptors (umm's own memory among them) are not open in it.
	 */
	if (!(flags & MAP_ANONYMOUS) && fd >= 0 && !own_fd(c->s, fd))
		ret = -EBADF;
	else
		ret = umm_mmap(mm, addr, len, (int)prot, (int)flags, (int)fd, off);
	call_prefix(c->s);
	printf("mmap(");
	print_addr(addr);
	printf(", %lu, ", len);
	print_bits(prot, prot_names, "PROT_NONE");
	printf(", ");
	print_map_flags(flags);
	printf(", %ld, %s%lx)", fd, off ? "0x" : "", (unsigned long)off);
	print_result(ret, true);
	set_ret(c->s, ret);
	return 0;
}

/*
 * The calls on a range: munmap, mlock, munlock ADDR LEN; mprotect ADDR LEN
 * PROT, madvise ADDR LEN ADVICE, msync ADDR LEN FLAGS.
 */
static int cmd_range(struct cmd_ctx *c)
{
	const char *name = c->argv[0], *word_name = NULL, *advice;
	unsigned long addr, len;
	struct mm_struct *mm;
	long word = 0, ret = 0;
	char usage[64];

	if (!strcmp(name, "mprotect"))
		word_name = "PROT";
	else if (!strcmp(name, "madvise"))
		word_name = "ADVICE";
	else if (!strcmp(name, "msync"))
		word_name = "FLAGS";
	snprintf(usage, sizeof(usage), "%s ADDR LEN%s%s", name, word_name ? " " : "",
		 word_name ? word_name : "");
	if (nargs(c, 2 + !!word_name, 2 + !!word_name, usage) || !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len))
		return -1;
	if (!strcmp(name, "munmap")) {
		ret = umm_munmap(mm, addr, len);
	} else if (!strcmp(name, "mlock")) {
		ret = umm_mlock(mm, addr, len);
	} else if (!strcmp(name, "munlock")) {
		ret = umm_munlock(mm, addr, len);
	} else if (!strcmp(name, "mprotect")) {
		if (parse_prot(c->s, c->argv[3], &word))
			return -1;
		ret = umm_mprotect(mm, addr, len, (int)word);
	} else if (!strcmp(name, "madvise")) {
		if (parse_flags(c->s, c->argv[3], madv_names, "MADV_", "madvise advice", &word))
			return -1;
		ret = umm_madvise(mm, addr, len, (int)word);
	} else {
		if (parse_flags(c->s, c->argv[3], msync_names, "MS_", "msync flag", &word))
			return -1;
		ret = umm_msync(mm, addr, len, (int)word);
	}
	call_prefix(c->s);
	printf("%s(%#lx, %lu", name, addr, len);
	if (word_name && name[1] == 'p') {
		printf(", ");
		print_bits(word, prot_names, "PROT_NONE");
	} else if (word_name && name[1] == 'a') {
		advice = name_of(madv_names, word);
		if (advice)
			printf(", %s", advice);
		else
			printf(", %#lx /* MADV_??? */", word);
	} else if (word_name) {
		printf(", ");
		print_bits(word, msync_names, "0");
	}
	printf(")");
	print_result(ret, false);
	set_ret(c->s, ret);
	return 0;
}

static int cmd_mremap(struct cmd_ctx *c)
{
	unsigned long old, old_len, new_len, new_addr = 0;
	struct mm_struct *mm;
	long flags = 0, ret;

	if (nargs(c, 3, 5, "mremap OLD OLDLEN NEWLEN [FLAGS [NEWADDR]]") ||
	    !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &old) || arg_ulong(c, 2, &old_len) || arg_ulong(c, 3, &new_len) ||
	    (c->argc > 4 && parse_flags(c->s, c->argv[4], mremap_names, "MREMAP_",
					"mremap flag", &flags)) ||
	    (c->argc > 5 && arg_ulong(c, 5, &new_addr)))
		return -1;
	ret = umm_mremap(mm, old, old_len, new_len, (int)flags, new_addr);
	call_prefix(c->s);
	printf("mremap(%#lx, %lu, %lu, ", old, old_len, new_len);
	print_bits(flags, mremap_names, "0");
	if (flags & 2) {	/* MREMAP_FIXED: strace shows the fifth argument */
		printf(", ");
		print_addr(new_addr);
	}
	printf(")");
	print_result(ret, true);
	set_ret(c->s, ret);
	return 0;
}

static int cmd_brk(struct cmd_ctx *c)
{
	unsigned long addr = 0, ret;
	struct mm_struct *mm;

	if (nargs(c, 0, 1, "brk [ADDR]") || !(mm = need_mm(c->s)) ||
	    (c->argc > 1 && arg_ulong(c, 1, &addr)))
		return -1;
	ret = umm_brk(mm, addr);
	call_prefix(c->s);
	printf("brk(");
	print_addr(addr);
	printf(") = %#lx\n", ret);
	set_ret(c->s, (long)ret);
	return 0;
}

/*
 * touch ADDR LEN [read|write]: umm_touch() one page at a time, which is
 * the same sequence of accesses, so that the faulting address is known.
 */
static int cmd_touch(struct cmd_ctx *c)
{
	unsigned long addr, len, a, last;
	struct mm_struct *mm;
	int write = 0, sig = 0, code = 0;

	if (nargs(c, 2, 3, "touch ADDR LEN [read|write]") || !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len))
		return -1;
	if (c->argc > 3) {
		if (!strcasecmp(c->argv[3], "write") || !strcmp(c->argv[3], "w"))
			write = 1;
		else if (strcasecmp(c->argv[3], "read") && strcmp(c->argv[3], "r"))
			return serr(c->s, "touch: '%s': read or write?", c->argv[3]);
	}
	/* The last byte, not the end: a range may end at 2^64 (or wrap). */
	last = addr + len - 1;
	if (last < addr)
		last = ~0UL;
	for (a = addr; len; a = (a | (PAGE_SIZE - 1)) + 1) {
		sig = umm_touch(mm, a, 1, write, &code);
		if (sig < 0) {
			/* Not a signal: the call itself refused. */
			call_prefix(c->s);
			printf("touch(%#lx, %lu, %s)", addr, len, write ? "write" : "read");
			print_result(sig, false);
			set_ret(c->s, sig);
			return 0;
		}
		if (sig || (a | (PAGE_SIZE - 1)) >= last)
			break;
	}
	call_prefix(c->s);
	printf("touch(%#lx, %lu, %s) = ", addr, len, write ? "write" : "read");
	if (!sig) {
		printf("0\n");
	} else {
		const char *sname = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "?";
		const char *cname = NULL;

		for (const struct name_val *nv = signal_names + 2; nv->name; nv++)
			if (nv->val == code && !strncmp(nv->name, sname + 3, 3))
				cname = nv->name;
		printf("%s\n", sname);
		call_prefix(c->s);
		printf("--- %s {si_signo=%s, si_code=", sname, sname);
		if (cname)
			printf("%s", cname);
		else
			printf("%d", code);
		printf(", si_addr=%#lx} ---\n", a);
		c->s->sig_code = code;
		c->s->sig_addr = (long)a;
	}
	set_ret(c->s, sig);
	return 0;
}

#define MAX_ACCESS (1UL << 20)

static int cmd_read(struct cmd_ctx *c)
{
	unsigned long addr, len;
	struct mm_struct *mm;
	unsigned char *buf;
	bool hex;
	long ret;

	if (nargs(c, 2, 3, "read ADDR LEN [hex|str]") || !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len))
		return -1;
	if (len > MAX_ACCESS)
		return serr(c->s, "read: at most 1M at a time");
	hex = len > 32;
	if (c->argc > 3) {
		if (!strcmp(c->argv[3], "hex"))
			hex = true;
		else if (!strcmp(c->argv[3], "str"))
			hex = false;
		else
			return serr(c->s, "read: '%s': hex or str?", c->argv[3]);
	}
	buf = calloc(1, len ? len : 1);
	if (!buf)
		return serr(c->s, "out of memory");
	ret = umm_access(mm, addr, buf, len, 0);
	call_prefix(c->s);
	printf("read(%#lx, ", addr);
	if (!hex && ret >= 0)
		print_cstring(buf, (size_t)ret);
	else
		printf("...");
	printf(", %lu)", len);
	print_result(ret, false);
	if (hex && ret > 0)
		hexdump(addr, buf, (size_t)ret);
	free(buf);
	set_ret(c->s, ret);
	return 0;
}

static int cmd_write(struct cmd_ctx *c)
{
	unsigned long addr;
	struct mm_struct *mm;
	size_t n, len;
	char *buf;
	long ret;

	if (nargs(c, 2, 2, "write ADDR \"TEXT\"") || !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr))
		return -1;
	if (!quoted(c->argv[2]))
		return serr(c->s, "write: the data is a quoted string, e.g. write p \"hello\"");
	len = strlen(c->argv[2]);
	buf = malloc(len + 1);
	if (!buf)
		return serr(c->s, "out of memory");
	/* The tokenizer keeps the quotes: strip them. */
	c->argv[2][len - 1] = '\0';
	n = unescape(c->argv[2] + 1, buf);
	ret = umm_access(mm, addr, buf, n, 1);
	call_prefix(c->s);
	printf("write(%#lx, ", addr);
	print_cstring((unsigned char *)buf, n);
	printf(", %zu)", n);
	print_result(ret, false);
	free(buf);
	set_ret(c->s, ret);
	return 0;
}

static int cmd_fill(struct cmd_ctx *c)
{
	unsigned long addr, len, byte;
	struct mm_struct *mm;
	char *buf;
	long ret;

	if (nargs(c, 3, 3, "fill ADDR LEN BYTE") || !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len) || arg_ulong(c, 3, &byte))
		return -1;
	if (len > MAX_ACCESS * 64)
		return serr(c->s, "fill: at most 64M at a time");
	buf = malloc(len ? len : 1);
	if (!buf)
		return serr(c->s, "out of memory");
	memset(buf, (int)(byte & 0xff), len);
	ret = umm_access(mm, addr, buf, len, 1);
	call_prefix(c->s);
	printf("fill(%#lx, %lu, %#lx)", addr, len, byte & 0xff);
	print_result(ret, false);
	free(buf);
	set_ret(c->s, ret);
	return 0;
}

/* One page's frame and what struct page says of it. */
static void print_frame(unsigned long addr, int err, unsigned long pfn)
{
	if (err) {
		printf("  %#lx -> not mapped\n", addr);
		return;
	}
	printf("  %#lx -> pfn %#lx (phys %#lx)", addr, pfn, pfn << PAGE_SHIFT);
	if (is_zero_pfn(pfn)) {
		printf(", the zero page\n");
	} else {
		struct page *page = pfn_to_page(pfn);

		printf(", %s, mapcount %d\n", PageAnon(page) ? "anon" : "file",
		       page_mapcount(page));
	}
}

static int cmd_translate(struct cmd_ctx *c)
{
	unsigned long addr, len = 1, a, end, pfn = 0, first = 0, pages;
	struct mm_struct *mm;
	int err, first_err = 0;

	if (nargs(c, 1, 2, "translate ADDR [LEN]") || !(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || (c->argc > 2 && arg_ulong(c, 2, &len)))
		return -1;
	if (!len)
		len = 1;
	if (len > 64 * PAGE_SIZE)
		return serr(c->s, "translate: at most 64 pages at a time");
	end = addr + len;
	if (end < addr)
		return serr(c->s, "translate: the range wraps around");
	call_prefix(c->s);
	if (c->argc > 2)
		printf("translate(%#lx, %lu):\n", addr, len);
	else
		printf("translate(%#lx):\n", addr);
	/* Count pages, not addresses: the last page may end at 2^64. */
	pages = ((end - 1) >> PAGE_SHIFT) - (addr >> PAGE_SHIFT) + 1;
	for (unsigned long i = 0; i < pages; i++) {
		a = (addr & ~(PAGE_SIZE - 1)) + i * PAGE_SIZE;
		err = umm_virt_to_pfn(mm, a, &pfn);
		if (!i) {
			first_err = err;
			first = pfn;
		}
		print_frame(a, err, pfn);
	}
	set_ret(c->s, first_err ? first_err : (long)first);
	return 0;
}

/* The bits of an x86 page-table entry, as the SDM names them. */
static void print_entry_bits(unsigned long v)
{
	static const struct { unsigned long bit; const char *name; } bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" }, { _PAGE_USER, "US" },
		{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" }, { _PAGE_SOFT_DIRTY, "soft-dirty" },
		{ _PAGE_PROTNONE, "protnone" }, { _PAGE_NX, "NX" },
	};

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (v & bits[i].bit)
			printf(" %s", bits[i].name);
	putchar('\n');
}

/*
 * walk ADDR: the four-level page-table walk the MMU does for ADDR (x86-64,
 * p4d folded): each level's index, entry and the table or frame it leads
 * to.  Read under mmap_lock and page_table_lock, as smaps reads.
 */
static int cmd_walk(struct cmd_ctx *c)
{
	static const char *const level[] = { "pgd", "pud", "pmd", "pte" };
	unsigned long addr, entry = 0, idx[4];
	unsigned long *table;
	int l;
	struct mm_struct *mm;

	if (nargs(c, 1, 1, "walk ADDR") || !(mm = need_mm(c->s)) || arg_ulong(c, 1, &addr))
		return -1;
	idx[0] = pgd_index(addr);
	idx[1] = pud_index(addr);
	idx[2] = pmd_index(addr);
	idx[3] = pte_index(addr);
	call_prefix(c->s);
	printf("walk(%#lx): indexes %lu, %lu, %lu, %lu, offset %#lx\n", addr, idx[0], idx[1],
	       idx[2], idx[3], addr & (PAGE_SIZE - 1));
	if (addr >= TASK_SIZE) {
		printf("  above TASK_SIZE: no user page table maps it\n");
		set_ret(c->s, -EFAULT);
		return 0;
	}
	mmap_read_lock(mm);
	mutex_lock(&mm->page_table_lock);
	table = mm->pgd;
	if (table)
		printf("  the pgd table (what CR3 would point to) is at pfn %#lx\n",
		       virt_to_pfn(table));
	for (l = 0; table && l < 4; l++) {
		entry = READ_ONCE(table[idx[l]]);
		printf("  %s[%3lu] = %016lx", level[l], idx[l], entry);
		if (!entry) {
			printf("  none: nothing mapped here\n");
			break;
		}
		if (l < 3) {
			printf("  -> %s table at pfn %#lx:", level[l + 1],
			       (entry & PTE_PFN_MASK) >> PAGE_SHIFT);
		} else {
			printf("  -> pfn %#lx, phys %#lx:", (entry & PTE_PFN_MASK) >> PAGE_SHIFT,
			       (entry & PTE_PFN_MASK) | (addr & (PAGE_SIZE - 1)));
		}
		print_entry_bits(entry);
		table = __va(entry & PTE_PFN_MASK);
	}
	mutex_unlock(&mm->page_table_lock);
	mmap_read_unlock(mm);
	/* The PTE, if the walk got that far and found one. */
	set_ret(c->s, l == 4 ? (long)entry : -EFAULT);
	return 0;
}

static int cmd_stats(struct cmd_ctx *c)
{
	struct mm_struct *mm;

	if (nargs(c, 0, 0, "stats") || !(mm = need_mm(c->s)))
		return -1;
	call_prefix(c->s);
	/* The names of the built-in values, so that what shows can be expected. */
	printf("minflt=%lu majflt=%lu rss=%lu (anon=%lu file=%lu shmem=%lu) hiwater_rss=%lu "
	       "vmas=%d total_vm=%lu locked_vm=%lu pgtables=%ld\n",
	       mm->min_flt, mm->maj_flt, get_mm_rss(mm), get_mm_counter(mm, MM_ANONPAGES),
	       get_mm_counter(mm, MM_FILEPAGES), get_mm_counter(mm, MM_SHMEMPAGES),
	       mm->hiwater_rss, mm->map_count, mm->total_vm, mm->locked_vm, mm->pgtables_bytes);
	return 0;
}

/* ---- host files ---- */

/*
 * Files a scenario opens get descriptors from FIRST_FD up, so that what
 * it prints does not depend on what the host process has open below.
 */
#define FIRST_FD	100

static bool own_fd(struct script *s, long fd)
{
	for (int i = 0; i < s->nr_fds; i++)
		if (s->fds[i] == fd)
			return true;
	return false;
}

/* Keep @fd as one of ours (moved to FIRST_FD or above); -1 after an error. */
static int adopt_fd(struct script *s, int fd)
{
	int high;

	if (s->nr_fds == MAX_FILES) {
		close(fd);
		return serr(s, "too many open files (at most %d)", MAX_FILES);
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, FIRST_FD);
	close(fd);
	if (high < 0)
		return serr(s, "fcntl: %s", strerror(errno));
	s->fds[s->nr_fds++] = high;
	return high;
}

/* The text of a quoted argument, unescaped, in a malloc()ed buffer. */
static char *quoted_text(struct script *s, const char *tok, size_t *len)
{
	size_t n = strlen(tok);
	char *inner, *out;

	if (n < 2 || !quoted(tok)) {
		serr(s, "a quoted string, e.g. \"/etc/hostname\", expected");
		return NULL;
	}
	inner = strndup(tok + 1, n - 2);
	out = malloc(n);
	if (!inner || !out) {
		free(inner);
		free(out);
		serr(s, "out of memory");
		return NULL;
	}
	*len = unescape(inner, out);
	out[*len] = '\0';
	free(inner);
	return out;
}

/* open "PATH" [rdonly|wronly|rdwr] */
static int cmd_open(struct cmd_ctx *c)
{
	static const struct name_val modes[] = {
		{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
		{ NULL, 0 }
	};
	long mode = O_RDONLY;
	char *path;
	size_t len;
	int fd;

	if (nargs(c, 1, 2, "open \"PATH\" [rdonly|wronly|rdwr]"))
		return -1;
	if (c->argc > 2 && parse_flags(c->s, c->argv[2], modes, "O_", "open mode", &mode))
		return -1;
	/* O_CREAT would want a mode argument, O_TRUNC would empty a host file */
	if (mode & ~(long)O_ACCMODE)
		return serr(c->s, "open: the mode is rdonly, wronly or rdwr (%#lx has other bits)",
			    mode);
	path = quoted_text(c->s, c->argv[1], &len);
	if (!path)
		return -1;
	fd = open(path, (int)mode | O_CLOEXEC);
	printf("open(");
	print_cstring((unsigned char *)path, len);
	printf(", %s)", name_of(modes, mode & O_ACCMODE) ? name_of(modes, mode & O_ACCMODE) : "?");
	free(path);
	if (fd < 0) {
		print_result(-errno, false);
		set_ret(c->s, -errno);
		return 0;
	}
	fd = adopt_fd(c->s, fd);
	if (fd < 0)
		return -1;
	print_result(fd, false);
	set_ret(c->s, fd);
	return 0;
}

/*
 * tmpfile SIZE: a new host file of SIZE bytes, open read-write and already
 * unlinked; page N starts with the line "page N", the rest is zeros.
 */
static int cmd_tmpfile(struct cmd_ctx *c)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX], line[32];
	unsigned long size;
	int fd;

	if (nargs(c, 1, 1, "tmpfile SIZE") || arg_ulong(c, 1, &size))
		return -1;
	if (size > (1UL << 30))
		return serr(c->s, "tmpfile: at most 1G");
	snprintf(path, sizeof(path), "%s/umm-script-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return serr(c->s, "tmpfile: %s: %s", path, strerror(errno));
	unlink(path);
	if (ftruncate(fd, (off_t)size)) {
		close(fd);
		return serr(c->s, "tmpfile: ftruncate: %s", strerror(errno));
	}
	for (unsigned long off = 0; off < size; off += PAGE_SIZE) {
		int n = snprintf(line, sizeof(line), "page %lu\n", off / PAGE_SIZE);

		if (pwrite(fd, line, (size_t)n < size - off ? (size_t)n : size - off,
			   (off_t)off) < 0) {
			close(fd);
			return serr(c->s, "tmpfile: write: %s", strerror(errno));
		}
	}
	fd = adopt_fd(c->s, fd);
	if (fd < 0)
		return -1;
	printf("tmpfile(%lu) = %d\n", size, fd);
	set_ret(c->s, fd);
	return 0;
}

/* pread FD OFFSET LEN: what the host file holds (after msync, say). */
static int cmd_pread(struct cmd_ctx *c)
{
	unsigned long off, len;
	unsigned char *buf;
	long fd, n;

	if (nargs(c, 3, 3, "pread FD OFFSET LEN") || eval(c->s, c->argv[1], &fd) ||
	    arg_ulong(c, 2, &off) || arg_ulong(c, 3, &len))
		return -1;
	if (!own_fd(c->s, fd))
		return serr(c->s, "pread: %ld is not a file this script opened", fd);
	if (len > 4096)
		return serr(c->s, "pread: at most 4K at a time");
	buf = malloc(len ? len : 1);
	if (!buf)
		return serr(c->s, "out of memory");
	n = pread((int)fd, buf, len, (off_t)off);
	if (n < 0)
		n = -errno;
	printf("pread(%ld, ", fd);
	if (n >= 0)
		print_cstring(buf, (size_t)n);
	else
		printf("...");
	printf(", %lu, %lu)", len, off);
	print_result(n, false);
	free(buf);
	set_ret(c->s, n);
	return 0;
}

static int cmd_close(struct cmd_ctx *c)
{
	long fd;
	int i;

	if (nargs(c, 1, 1, "close FD") || eval(c->s, c->argv[1], &fd))
		return -1;
	if (!own_fd(c->s, fd))
		return serr(c->s, "close: %ld is not a file this script opened", fd);
	for (i = 0; c->s->fds[i] != fd; i++)
		;
	c->s->fds[i] = c->s->fds[--c->s->nr_fds];
	printf("close(%ld)", fd);
	print_result(close((int)fd) ? -errno : 0, false);
	set_ret(c->s, 0);
	return 0;
}

/* ---- reports ---- */

struct text {
	char *buf;
	size_t len;
};

static const char *const mm_reports[] = {
	"maps", "smaps", "smaps_rollup", "status", "stat", "statm", "pagemap", NULL
};

static bool is_mm_report(const char *name)
{
	for (const char *const *r = mm_reports; *r; r++)
		if (!strcmp(*r, name))
			return true;
	return false;
}

static int show_mm_file(struct script *s, struct mm_struct *mm, const char *file,
			struct text *t)
{
	ssize_t len = umm_mm_show(mm, file, NULL, 0);
	size_t size;

	if (len == -ENOENT)
		return serr(s, "umm has no /proc/PID/%s yet", file);
	if (len < 0)
		return serr(s, "%s: %s", file, strerror((int)-len));
	size = (size_t)len + 1;
	t->buf = malloc(size);
	if (!t->buf)
		return serr(s, "out of memory");
	len = umm_mm_show(mm, file, t->buf, size);
	t->len = len < 0 ? 0 : min((size_t)len, size - 1);	/* snprintf semantics */
	t->buf[t->len] = '\0';
	return 0;
}

/* smaps of the one VMA that contains @addr: the block whose header covers it. */
static void smaps_one(struct text *t, unsigned long addr)
{
	char *line = t->buf, *keep = NULL, *keep_end = NULL;
	bool in = false;

	while (line && *line) {
		char *next = strchr(line, '\n');
		unsigned long start, end;
		int n = 0;

		next = next ? next + 1 : line + strlen(line);
		if (sscanf(line, "%lx-%lx %n", &start, &end, &n) == 2 && n) {
			if (in)
				break;
			in = start <= addr && addr < end;
			if (in)
				keep = line;
		}
		if (in)
			keep_end = next;
		line = next;
	}
	if (!keep) {
		t->buf[0] = '\0';
		t->len = 0;
		return;
	}
	t->len = (size_t)(keep_end - keep);
	memmove(t->buf, keep, t->len);
	t->buf[t->len] = '\0';
}

/* pagemap entries, decoded as Documentation/admin-guide/mm/pagemap.rst reads them. */
static int pagemap_text(struct script *s, struct mm_struct *mm, unsigned long addr,
			unsigned long pages, struct text *t)
{
	uint64_t *ent;
	long n;
	FILE *f;

	if (!pages || pages > 512)
		return serr(s, "pagemap: 1 to 512 pages");
	addr &= ~(PAGE_SIZE - 1);
	ent = calloc(pages, sizeof(*ent));
	if (!ent)
		return serr(s, "out of memory");
	n = umm_pagemap_read(mm, addr, ent, pages);
	if (n < 0) {
		free(ent);
		return serr(s, "pagemap: %s", strerror((int)-n));
	}
	f = open_memstream(&t->buf, &t->len);
	if (!f) {
		free(ent);
		return serr(s, "out of memory");
	}
	fprintf(f, "address          entry             pfn      flags\n");
	for (long i = 0; i < n; i++) {
		uint64_t e = ent[i];

		char line[160], pfn[24] = "-";
		int len;

		if (e >> 63)
			snprintf(pfn, sizeof(pfn), "%llx", (unsigned long long)(e & ((1ULL << 55) - 1)));
		len = snprintf(line, sizeof(line), "%016lx %016llx %-8s",
			       addr + (unsigned long)i * PAGE_SIZE, (unsigned long long)e, pfn);
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%s%s%s%s%s%s",
				e >> 63 ? " present" : "", (e >> 62) & 1 ? " swapped" : "",
				(e >> 61) & 1 ? " file/shared" : "", (e >> 58) & 1 ? " guard" : "",
				(e >> 56) & 1 ? " exclusive" : "", (e >> 55) & 1 ? " soft-dirty" : "");
		while (len > 0 && line[len - 1] == ' ')
			line[--len] = '\0';
		fprintf(f, "%s\n", line);
	}
	fclose(f);
	free(ent);
	return 0;
}

static int global_file(struct script *s, const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s%s", name[0] == '/' ? "" : "/proc/", name);
	for (const char *const *p = umm_proc_paths(); *p; p++)
		if (!strcmp(*p, path))
			return 0;
	return serr(s, "show: no report '%s' (per mm: maps smaps smaps_rollup status stat "
		    "statm pagemap; global: /proc/meminfo and the others of umm cat)", name);
}

/*
 * show REPORT [MM] [ADDR [PAGES]]: render into @t, with the "$ cat" line
 * in @header.  @args are the words after the report name.
 */
static int render_report(struct script *s, const char *report, int argc, char **argv,
			 struct text *t, char *header, size_t hsize);

/* Keep the lines of @t that match one of @res (grep -E 'P1|P2'). */
static void grep_lines(struct text *t, int nres, regex_t *res)
{
	char *in = t->buf, *out = t->buf;

	while (in < t->buf + t->len) {
		size_t n = strcspn(in, "\n");
		bool keep = false;
		char save = in[n];

		in[n] = '\0';
		for (int i = 0; i < nres && !keep; i++)
			keep = !regexec(&res[i], in, 0, NULL, 0);
		in[n] = save;
		if (save == '\n')
			n++;
		if (keep) {
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	*out = '\0';
	t->len = (size_t)(out - t->buf);
}

/*
 * REPORT ARGS [| grep PATTERN...]: the report, then only the lines that
 * contain one of the patterns (plain text; quote one with spaces).
 */
static int render(struct script *s, const char *report, int argc, char **argv,
		  struct text *t, char *header, size_t hsize)
{
	regex_t res[MAX_TOKENS];
	int bar, npats, err;
	char **pats, line[160];

	for (bar = 0; bar < argc && strcmp(argv[bar], "|"); bar++)
		;
	if (bar == argc)
		return render_report(s, report, argc, argv, t, header, hsize);
	if (bar + 1 == argc || strcmp(argv[bar + 1], "grep") || bar + 2 == argc)
		return serr(s, "after '|' comes grep PATTERN... (the lines that contain a pattern)");
	pats = argv + bar + 2;
	npats = argc - bar - 2;
	if (npats > MAX_TOKENS)
		return serr(s, "grep: too many patterns");
	for (int i = 0; i < npats; i++) {
		size_t n = strlen(pats[i]);
		int err;

		if (quoted(pats[i])) {
			if (n < 3)
				return serr(s, "grep: an empty pattern");
			memmove(pats[i], pats[i] + 1, n - 2);
			pats[i][n - 2] = '\0';
		}
		err = regcomp(&res[i], pats[i], REG_EXTENDED | REG_NOSUB);
		if (err) {
			regerror(err, &res[i], line, sizeof(line));
			serr(s, "grep: '%s': %s", pats[i], line);
			while (i--)
				regfree(&res[i]);
			return -1;
		}
	}
	err = render_report(s, report, bar, argv, t, header, hsize);
	if (!err)
		grep_lines(t, npats, res);
	for (int i = 0; i < npats; i++)
		regfree(&res[i]);
	if (err)
		return -1;
	/* "$ cat PATH ..." becomes "$ grep -E 'P1|P2' PATH ..." */
	if (!strncmp(header, "$ cat ", 6)) {
		int n = snprintf(line, sizeof(line), "$ grep %s", npats > 1 ? "-E '" : "'");

		for (int i = 0; i < npats && n < (int)sizeof(line); i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%s", i ? "|" : "", pats[i]);
		if (n < (int)sizeof(line))
			snprintf(line + n, sizeof(line) - (size_t)n, "' %s", header + 6);
		snprintf(header, hsize, "%s", line);
	}
	return 0;
}

static int render_report(struct script *s, const char *report, int argc, char **argv,
			 struct text *t, char *header, size_t hsize)
{
	struct mm_slot *slot = s->line_mm;
	unsigned long nums[2] = { 0, 1 };
	int nnums = 0;

	t->buf = NULL;
	t->len = 0;
	if (!is_mm_report(report)) {
		char path[128];
		ssize_t len;
		size_t size;

		if (argc)
			return serr(s, "show %s takes no arguments", report);
		if (global_file(s, report, path, sizeof(path)))
			return -1;
		len = umm_proc_read(path, NULL, 0);
		if (len < 0)
			return serr(s, "%s: %s", path, strerror((int)-len));
		/* The file may grow between the two reads: leave room. */
		size = (size_t)len + 4096;
		t->buf = malloc(size);
		if (!t->buf)
			return serr(s, "out of memory");
		len = umm_proc_read(path, t->buf, size);
		t->len = len < 0 ? 0 : min((size_t)len, size - 1);
		t->buf[t->len] = '\0';
		snprintf(header, hsize, "$ cat %s", path);
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		struct mm_slot *named = find_mm(s, argv[i]);

		if (named) {
			slot = named;
			continue;
		}
		if (nnums == 2)
			return serr(s, "show %s: too many arguments", report);
		if (eval_ulong(s, argv[i], &nums[nnums++]))
			return -1;
	}
	if (!slot)
		return serr(s, "no address space yet (start with: mm A)");
	if (!strcmp(report, "pagemap")) {
		if (!nnums)
			return serr(s, "usage: show pagemap ADDR [PAGES] [MM]");
		snprintf(header, hsize, "$ pagemap /proc/%s/pagemap %#lx %lu", slot->name,
			 nums[0] & ~(PAGE_SIZE - 1), nums[1]);
		return pagemap_text(s, slot->mm, nums[0], nums[1], t);
	}
	if (nnums && strcmp(report, "smaps"))
		return serr(s, "show %s takes no address (only smaps and pagemap do)", report);
	if (nnums > 1)
		return serr(s, "usage: show smaps [MM] [ADDR]");
	if (show_mm_file(s, slot->mm, report, t))
		return -1;
	if (nnums) {
		smaps_one(t, nums[0]);
		snprintf(header, hsize, "$ cat /proc/%s/smaps   # the VMA of %#lx", slot->name,
			 nums[0]);
		if (!t->len) {
			free(t->buf);
			t->buf = NULL;
			return serr(s, "show smaps: no VMA contains %#lx", nums[0]);
		}
	} else {
		snprintf(header, hsize, "$ cat /proc/%s/%s", slot->name, report);
	}
	return 0;
}

static int cmd_show(struct cmd_ctx *c)
{
	char header[160];
	struct text t;

	if (c->argc < 2)
		return serr(c->s, "usage: show maps|smaps|status|stat|statm|pagemap|meminfo|... [MM] [ADDR]");
	if (render(c->s, c->argv[1], c->argc - 2, c->argv + 2, &t, header, sizeof(header)))
		return -1;
	printf("%s\n", header);
	fwrite(t.buf, 1, t.len, stdout);
	free(t.buf);
	return 0;
}

/* ---- kernel structures ---- */

/* vm_flags by their VM_* names (include/linux/mm.h). */
static const struct name_val vm_flag_names[] = {
	{ "READ", VM_READ }, { "WRITE", VM_WRITE }, { "EXEC", VM_EXEC },
	{ "SHARED", VM_SHARED }, { "MAYREAD", VM_MAYREAD }, { "MAYWRITE", VM_MAYWRITE },
	{ "MAYEXEC", VM_MAYEXEC }, { "MAYSHARE", VM_MAYSHARE },
	{ "GROWSDOWN", VM_GROWSDOWN }, { "UFFD_MISSING", VM_UFFD_MISSING },
	{ "PFNMAP", VM_PFNMAP }, { "UFFD_WP", VM_UFFD_WP }, { "LOCKED", VM_LOCKED },
	{ "IO", VM_IO }, { "SEQ_READ", VM_SEQ_READ }, { "RAND_READ", VM_RAND_READ },
	{ "DONTCOPY", VM_DONTCOPY }, { "DONTEXPAND", VM_DONTEXPAND },
	{ "LOCKONFAULT", VM_LOCKONFAULT }, { "ACCOUNT", VM_ACCOUNT },
	{ "NORESERVE", VM_NORESERVE }, { "HUGETLB", VM_HUGETLB }, { "SYNC", VM_SYNC },
	{ "ARCH_1", VM_ARCH_1 }, { "WIPEONFORK", VM_WIPEONFORK },
	{ "DONTDUMP", VM_DONTDUMP }, { "SOFTDIRTY", VM_SOFTDIRTY },
	{ "MIXEDMAP", VM_MIXEDMAP }, { "HUGEPAGE", VM_HUGEPAGE },
	{ "NOHUGEPAGE", VM_NOHUGEPAGE }, { "MERGEABLE", VM_MERGEABLE },
	{ "SHADOW_STACK", (long)VM_SHADOW_STACK }, { "DROPPABLE", (long)VM_DROPPABLE },
	{ NULL, 0 }
};

/* A small number for an anon_vma, the same every time the script shows it. */
static int anon_vma_id(struct script *s, const void *av)
{
	for (int i = 0; i < s->nr_anon_vmas; i++)
		if (s->anon_vmas[i] == av)
			return i + 1;
	if (s->nr_anon_vmas == MAX_ANON_VMAS)
		return 0;
	s->anon_vmas[s->nr_anon_vmas++] = av;
	return s->nr_anon_vmas;
}

/*
 * vmas [MM]: each struct vm_area_struct of the mm, as the kernel holds
 * it: the range, vm_pgoff, the anon_vma (by number; its root's too when it
 * is a fork child's) with the length of the anon_vma_chain, vm_flags by
 * name, and the file.  What decides whether two neighbours merge.
 */
static int cmd_vmas(struct cmd_ctx *c)
{
	struct mm_slot *slot = c->s->line_mm;
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	if (nargs(c, 0, 1, "vmas [MM]") || (c->argc > 1 && !(slot = named_mm(c->s, c->argv[1]))))
		return -1;
	if (!slot)
		return serr(c->s, "no address space yet (start with: mm A)");
	mm = slot->mm;
	printf("$ vmas %s\n", slot->name);
	printf("%-25s %-12s %-12s %-5s %s\n", "vm_start-vm_end", "vm_pgoff", "anon_vma",
	       "chain", "vm_flags (file)");
	mmap_read_lock(mm);
	for_each_vma(mm, vma) {
		char range[40], av[48] = "-";
		struct list_head *pos;
		int chain = 0;

		list_for_each(pos, &vma->anon_vma_chain)
			chain++;
		if (vma->anon_vma) {
			int id = anon_vma_id(c->s, vma->anon_vma);
			int root = anon_vma_id(c->s, vma->anon_vma->root);

			if (root != id)
				snprintf(av, sizeof(av), "#%d (root #%d)", id, root);
			else
				snprintf(av, sizeof(av), "#%d", id);
		}
		snprintf(range, sizeof(range), "%lx-%lx", vma->vm_start, vma->vm_end);
		printf("%-25s %-12lx %-12s %-5d ", range, vma->vm_pgoff, av, chain);
		print_bits((long)vma->vm_flags, vm_flag_names, "NONE");
		if (vma->vm_file)
			printf(" (%s)", vma->vm_file->f_path ? vma->vm_file->f_path : "?");
		putchar('\n');
	}
	mmap_read_unlock(mm);
	return 0;
}

/* ---- address spaces ---- */

static struct mm_slot *add_mm(struct script *s, const char *name, struct mm_struct *mm)
{
	struct mm_slot *slot;

	if (s->nr_mms == MAX_MMS) {
		serr(s, "too many address spaces (at most %d)", MAX_MMS);
		return NULL;
	}
	slot = &s->mms[s->nr_mms++];
	snprintf(slot->name, sizeof(slot->name), "%s", name);
	slot->mm = mm;
	return slot;
}

static int check_new_mm_name(struct script *s, const char *name)
{
	if (!valid_name(name))
		return serr(s, "'%s' is not a name (letters, digits, _)", name);
	if (find_mm(s, name))
		return serr(s, "address space %s exists already", name);
	return 0;
}

/* The limits a scenario runs under, whatever the host's ulimits are. */
static void fixed_limits(struct mm_struct *mm)
{
	umm_mm_setrlimit(mm, RLIMIT_STACK, 8UL << 20);
	umm_mm_setrlimit(mm, RLIMIT_MEMLOCK, 8UL << 20);
	umm_mm_setrlimit(mm, RLIMIT_DATA, RLIM_INFINITY);
	umm_mm_setrlimit(mm, RLIMIT_AS, RLIM_INFINITY);
	mm->limits.cap_sys_rawio = false;	/* as for anyone but root */
}

static int cmd_mm(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_struct *mm;
	struct mm_slot *slot;

	/* mm NAME  or  mm NAME = new */
	if ((c->argc != 2 && c->argc != 4) ||
	    (c->argc == 4 && (strcmp(c->argv[2], "=") || strcmp(c->argv[3], "new"))))
		return serr(s, "usage: mm NAME");
	if (check_new_mm_name(s, c->argv[1]))
		return -1;
	mm = umm_mm_create();
	if (!mm)
		return serr(s, "umm_mm_create failed");
	fixed_limits(mm);
	slot = add_mm(s, c->argv[1], mm);
	if (!slot) {
		umm_mm_destroy(mm);
		return -1;
	}
	s->cur = s->line_mm = slot;
	return 0;
}

static int cmd_fork(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_slot *parent = s->line_mm, *slot;
	struct mm_struct *mm;

	/* fork CHILD  or  fork CHILD = PARENT */
	if ((c->argc != 2 && c->argc != 4) || (c->argc == 4 && strcmp(c->argv[2], "=")))
		return serr(s, "usage: fork CHILD [= PARENT]");
	if (c->argc == 4 && !(parent = named_mm(s, c->argv[3])))
		return -1;
	if (!parent)
		return serr(s, "no address space to fork (start with: mm A)");
	if (check_new_mm_name(s, c->argv[1]))
		return -1;
	mm = umm_mm_fork(parent->mm);
	if (!mm) {
		s->line_mm = parent;
		call_prefix(s);
		printf("fork()");
		print_result(-ENOMEM, false);
		set_ret(s, -ENOMEM);
		return 0;
	}
	/* The parent's slot may move when the array grows: keep its name. */
	{
		char pname[NAME_LEN];

		snprintf(pname, sizeof(pname), "%s", parent->name);
		slot = add_mm(s, c->argv[1], mm);
		if (!slot) {
			umm_mm_destroy(mm);
			return -1;
		}
		s->line_mm = find_mm(s, pname);
	}
	call_prefix(s);
	printf("fork() = %s\n", slot->name);
	set_ret(s, 0);
	return 0;
}

static int cmd_use(struct cmd_ctx *c)
{
	struct mm_slot *slot;

	if (nargs(c, 1, 1, "use NAME"))
		return -1;
	slot = named_mm(c->s, c->argv[1]);
	if (!slot)
		return -1;
	c->s->cur = c->s->line_mm = slot;
	return 0;
}

static int cmd_exit(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_slot *slot = s->line_mm;
	char name[NAME_LEN], cur[NAME_LEN] = "";
	int i;

	if (nargs(c, 0, 1, "exit [NAME]"))
		return -1;
	if (c->argc == 2 && !(slot = named_mm(s, c->argv[1])))
		return -1;
	if (!slot)
		return serr(s, "no address space to exit");
	snprintf(name, sizeof(name), "%s", slot->name);
	if (s->cur && s->cur != slot)
		snprintf(cur, sizeof(cur), "%s", s->cur->name);
	umm_mm_destroy(slot->mm);
	i = (int)(slot - s->mms);
	memmove(&s->mms[i], &s->mms[i + 1], (size_t)(s->nr_mms - i - 1) * sizeof(s->mms[0]));
	s->nr_mms--;
	/* The current mm stays current; if it exited, the first one left is. */
	s->cur = cur[0] ? find_mm(s, cur) : s->nr_mms ? &s->mms[0] : NULL;
	s->line_mm = s->cur;
	printf("+++ %s exited +++\n", name);
	return 0;
}

/*
 * What execve() leaves, less the program: setup_arg_pages()'s stack VMA
 * (128 KiB of stack_expand plus the page of arguments, at STACK_TOP with
 * no randomization) and the heap base where a small PIE's bss would end.
 */
#define EXEC_STACK_TOP		0x7ffffffff000UL
#define EXEC_STACK_SIZE		(132UL << 10)
#define EXEC_BRK_BASE		0x555555559000UL

static int cmd_exec(struct cmd_ctx *c)
{
	struct script *s = c->s;
	struct mm_struct *mm;
	long ret;

	if (nargs(c, 0, 0, "exec") || !(mm = need_mm(s)))
		return -1;
	if (mm->map_count || mm->start_brk)
		return serr(s, "exec: only on a new, empty address space");
	ret = umm_mmap(mm, EXEC_STACK_TOP - EXEC_STACK_SIZE, EXEC_STACK_SIZE,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
		       MAP_GROWSDOWN, -1, 0);
	if (ret < 0)
		return serr(s, "exec: the stack mapping failed: %s", strerror((int)-ret));
	mmap_write_lock(mm);
	mm->start_stack = EXEC_STACK_TOP - 0x1000 + 0x5a0;	/* argc, as the host has it */
	mmap_write_unlock(mm);
	umm_mm_set_brk_base(mm, EXEC_BRK_BASE);
	call_prefix(s);
	printf("execve() = 0   # [stack] %lx-%lx, brk %#lx\n", EXEC_STACK_TOP - EXEC_STACK_SIZE,
	       EXEC_STACK_TOP, EXEC_BRK_BASE);
	set_ret(s, 0);
	return 0;
}

static int cmd_setrlimit(struct cmd_ctx *c)
{
	const struct name_val *res;
	struct mm_struct *mm;
	unsigned long v;
	int err;

	if (nargs(c, 2, 2, "setrlimit stack|memlock|data|as SIZE|unlimited") ||
	    !(mm = need_mm(c->s)))
		return -1;
	res = lookup(rlimit_names, c->argv[1]);
	if (!res)
		return serr(c->s, "setrlimit: '%s': stack, memlock, data or as?", c->argv[1]);
	if (!strcmp(c->argv[2], "unlimited"))
		v = RLIM_INFINITY;
	else if (arg_ulong(c, 2, &v))
		return -1;
	err = umm_mm_setrlimit(mm, (int)res->val, v);
	call_prefix(c->s);
	printf("setrlimit(RLIMIT_");
	for (const char *p = res->name; *p; p++)
		putchar(toupper((unsigned char)*p));
	if (v == RLIM_INFINITY)
		printf(", {rlim_cur=RLIM_INFINITY})");
	else
		printf(", {rlim_cur=%lu})", v);
	print_result(err, false);
	set_ret(c->s, err);
	return 0;
}

static int cmd_check(struct cmd_ctx *c)
{
	struct mm_struct *mm;

	if (nargs(c, 0, 0, "check") || !(mm = need_mm(c->s)))
		return -1;
	if (umm_mm_check(mm))
		return serr(c->s, "check: %s is inconsistent (umm_mm_check said why above)",
			    c->s->line_mm->name);
	return 0;
}

/* ---- narration and checks ---- */

/* echo TEXT: $name and ${expr} replaced; nothing printed if one fails. */
static int cmd_echo(struct cmd_ctx *c)
{
	const char *p = c->raw;
	struct script *s = c->s;
	size_t n = strlen(p), outlen = 0;
	char *text = NULL, *out = NULL;
	int err = 0;
	FILE *f;

	/* A quoted echo prints the text inside the quotes. */
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		char *inner = strndup(p + 1, n - 2);

		text = malloc(n);
		if (!text || !inner) {
			free(inner);
			free(text);
			return serr(s, "out of memory");
		}
		text[unescape(inner, text)] = '\0';
		free(inner);
		p = text;
	}
	f = open_memstream(&out, &outlen);
	if (!f) {
		free(text);
		return serr(s, "out of memory");
	}
	while (*p && !err) {
		if (*p == '$' && (p[1] == '{' || is_ident_start((unsigned char)p[1]))) {
			const char *close = p[1] == '{' ? strchr(p, '}') : NULL;
			char expr[256];
			long v;

			if (p[1] == '{' && !close) {
				err = serr(s, "echo: missing '}'");
				break;
			}
			if (close) {
				if (close - p - 2 >= (long)sizeof(expr)) {
					err = serr(s, "echo: an expression of more than %zu characters",
						   sizeof(expr) - 1);
					break;
				}
				snprintf(expr, sizeof(expr), "%.*s", (int)(close - p - 2), p + 2);
				p = close + 1;
			} else {
				snprintf(expr, sizeof(expr), "%.*s", (int)ident_len(p + 1), p + 1);
				p += 1 + ident_len(p + 1);
			}
			err = eval(s, expr, &v);
			if (v > -65536 && v < 65536)
				fprintf(f, "%ld", v);
			else
				fprintf(f, "%#lx", (unsigned long)v);
			continue;
		}
		fputc(*p++, f);
	}
	fclose(f);
	if (!err)
		printf("%s\n", out);
	free(out);
	free(text);
	return err;
}

static int cmd_print(struct cmd_ctx *c)
{
	long v;

	if (!*c->raw)
		return serr(c->s, "usage: print EXPR");
	if (eval(c->s, c->raw, &v))
		return -1;
	if (v < 0)
		printf("%s = %ld\n", c->raw, v);
	else
		printf("%s = %#lx (%ld)\n", c->raw, (unsigned long)v, v);
	return 0;
}

static char *read_line(struct script *s, const char *prompt);

/* Lines up to TAG (a heredoc), joined with '\n'.  NULL after an error. */
static char *read_heredoc(struct script *s, const char *tag, size_t *len)
{
	int start = s->lineno;
	char *text = NULL, *line;
	FILE *f = open_memstream(&text, len);

	if (!f) {
		serr(s, "out of memory");
		return NULL;
	}
	while ((line = read_line(s, "> "))) {
		if (!strcmp(line, tag)) {
			free(line);
			fclose(f);
			return text;
		}
		fprintf(f, "%s\n", line);
		free(line);
	}
	fclose(f);
	free(text);
	if (s->input_error)
		return NULL;
	s->lineno = start;
	serr(s, "no line '%s' ends the text that starts here", tag);
	return NULL;
}

/* Print the first line where @want and @got differ. */
static void report_diff(const char *want, const char *got)
{
	int line = 1;

	while (*want && *got) {
		size_t a = strcspn(want, "\n"), b = strcspn(got, "\n");

		if (a != b || strncmp(want, got, a))
			break;
		want += a + (want[a] == '\n');
		got += b + (got[b] == '\n');
		line++;
	}
	fprintf(stderr, "  first difference at line %d of the text:\n", line);
	fprintf(stderr, "  want: %.*s%s\n", (int)strcspn(want, "\n"), want,
		*want ? "" : "(end of text)");
	fprintf(stderr, "  got:  %.*s%s\n", (int)strcspn(got, "\n"), got,
		*got ? "" : "(end of text)");
}

static int cmd_expect(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const char *tag;
	long v;

	if (c->argc < 2)
		return serr(s, "usage: expect EXPR  or  expect REPORT [ARGS] <<TAG");
	tag = c->argv[c->argc - 1];
	if (!strncmp(tag, "<<", 2)) {
		char header[160], *want;
		struct text t = { 0 };	/* render() may fail before it has a buffer */
		size_t wlen;
		int err = 0, line = s->lineno, here;

		if (!valid_name(tag + 2))
			return serr(s, "expect: '<<' needs a tag, e.g. <<EOF");
		want = read_heredoc(s, tag + 2, &wlen);
		if (!want)
			return -1;
		/* Errors are the expect line's, not the tag's. */
		here = s->lineno;
		s->lineno = line;
		err = render(s, c->argv[1], c->argc - 3, c->argv + 2, &t, header, sizeof(header));
		if (!err && (t.len != wlen || memcmp(t.buf, want, wlen))) {
			serr(s, "expect %s: the text differs", c->argv[1]);
			report_diff(want, t.buf);
			err = -1;
		}
		s->lineno = here;
		free(t.buf);
		free(want);
		return err;
	}
	if (eval(s, c->raw, &v))
		return -1;
	if (!v) {
		/* Show what the two sides of a top-level comparison were. */
		static const char *const cmps[] = { "==", "!=", "<=", ">=", "<", ">" };
		char lhs[256];

		for (size_t i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
			const char *op = strstr(c->raw, cmps[i]), *rhs;
			bool simple;
			long a, b;

			if (!op || (size_t)(op - c->raw) >= sizeof(lhs))
				continue;
			snprintf(lhs, sizeof(lhs), "%.*s", (int)(op - c->raw), c->raw);
			rhs = op + strlen(cmps[i]);
			/* Only "X op Y" with no operator as low as op's in X or Y. */
			s->equiet = true;
			simple = !strpbrk(lhs, "=!<>&|^") && !strpbrk(rhs, "=!<>&|^") &&
				 !eval(s, lhs, &a) && !eval(s, rhs, &b);
			s->equiet = false;
			if (!simple)
				break;
			return serr(s, "expect failed: %s (%ld %s %ld)", c->raw, a, cmps[i], b);
		}
		return serr(s, "expect failed: %s", c->raw);
	}
	return 0;
}

static int cmd_help(struct cmd_ctx *c)
{
	(void)c;
	printf("address spaces: mm NAME | exec | fork CHILD [= PARENT] | use NAME | exit [NAME]\n"
	       "                NAME: COMMAND (run one command on NAME)\n"
	       "                setrlimit stack|memlock|data|as SIZE|unlimited\n"
	       "calls:          mmap ADDR LEN PROT FLAGS [FD [OFF]] | munmap ADDR LEN\n"
	       "                mprotect ADDR LEN PROT | mremap OLD OLDLEN NEWLEN [FLAGS [NEW]]\n"
	       "                brk [ADDR] | madvise ADDR LEN ADVICE | mlock ADDR LEN\n"
	       "                munlock ADDR LEN | msync ADDR LEN FLAGS\n"
	       "files:          open \"PATH\" [rdonly|rdwr] | tmpfile SIZE | pread FD OFF LEN | close FD\n"
	       "memory:         touch ADDR LEN [read|write] | read ADDR LEN [hex|str]\n"
	       "                write ADDR \"TEXT\" | fill ADDR LEN BYTE | translate ADDR [LEN]\n"
	       "                walk ADDR (the page-table walk)\n"
	       "reports:        show maps|smaps|smaps_rollup|status|stat|statm [MM] [ADDR]\n"
	       "                show pagemap ADDR [PAGES] [MM] | show meminfo|buddyinfo|...\n"
	       "                stats | vmas [MM] (the vm_area_structs) | check\n"
	       "values:         NAME = EXPR | NAME = CALL ... | print EXPR\n"
	       "                (16K, 0x1000, p+4K, rss, minflt, pfn(p), ret, ENOMEM, ...)\n"
	       "checks:         expect EXPR | expect REPORT [ARGS] <<EOF ... EOF\n"
	       "other:          echo TEXT ($var, ${expr}) | source \"FILE\" | help | quit    # comments\n"
	       "PROT: rw- r-x --- or read,write;  FLAGS: private,anonymous,fixed,... or MAP_*\n");
	return 0;
}

static int cmd_quit(struct cmd_ctx *c)
{
	if (nargs(c, 0, 0, "quit"))
		return -1;
	c->s->quit = true;
	return 0;
}

static int cmd_source(struct cmd_ctx *c);

struct command {
	const char *name;
	int (*fn)(struct cmd_ctx *c);
	bool value;		/* returns a value: NAME = CMD ... */
};

static const struct command commands[] = {
	{ "mm", cmd_mm, false },
	{ "fork", cmd_fork, false },
	{ "use", cmd_use, false },
	{ "exit", cmd_exit, false },
	{ "exec", cmd_exec, false },
	{ "setrlimit", cmd_setrlimit, true },
	{ "mmap", cmd_mmap, true },
	{ "munmap", cmd_range, true },
	{ "mlock", cmd_range, true },
	{ "munlock", cmd_range, true },
	{ "mprotect", cmd_range, true },
	{ "mremap", cmd_mremap, true },
	{ "brk", cmd_brk, true },
	{ "madvise", cmd_range, true },
	{ "msync", cmd_range, true },
	{ "touch", cmd_touch, true },
	{ "read", cmd_read, true },
	{ "write", cmd_write, true },
	{ "fill", cmd_fill, true },
	{ "translate", cmd_translate, true },
	{ "walk", cmd_walk, true },
	{ "open", cmd_open, true },
	{ "tmpfile", cmd_tmpfile, true },
	{ "pread", cmd_pread, true },
	{ "close", cmd_close, true },
	{ "vmas", cmd_vmas, false },
	{ "stats", cmd_stats, false },
	{ "show", cmd_show, false },
	{ "check", cmd_check, false },
	{ "source", cmd_source, false },
	{ "echo", cmd_echo, false },
	{ "print", cmd_print, false },
	{ "expect", cmd_expect, false },
	{ "help", cmd_help, false },
	{ "quit", cmd_quit, false },
	{ NULL, NULL, false }
};

static const struct command *find_command(const char *name)
{
	for (const struct command *cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

/* ---- lines ---- */

/*
 * Cut @line (modified in place) into words: spaces separate them, except
 * inside "quotes" (kept, quotes included) and (parentheses).  A '#'
 * outside quotes starts a comment.  Returns the count, or -1.
 */
static int tokenize(struct script *s, char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	for (;;) {
		char *start;
		int depth = 0;
		bool in_quote = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (argc == max)
			return serr(s, "too many words on one line (at most %d)", max);
		start = p;
		for (; *p; p++) {
			if (in_quote) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '"')
					in_quote = false;
				continue;
			}
			if (*p == '"')
				in_quote = true;
			else if (*p == '(')
				depth++;
			else if (*p == ')')
				depth--;
			else if ((*p == ' ' || *p == '\t') && depth <= 0)
				break;
		}
		if (in_quote)
			return serr(s, "missing '\"'");
		if (depth > 0)
			return serr(s, "missing ')'");
		argv[argc++] = start;
		if (*p)
			*p++ = '\0';
	}
	return argc;
}

/* Cut a trailing comment ('#' outside quotes, after a space) and spaces. */
static char *strip_comment(char *p)
{
	bool in_quote = false;
	char *end;

	p += strspn(p, " \t");
	for (end = p; *end; end++) {
		/* in quotes a backslash escapes the next character, as tokenize() reads it */
		if (in_quote && *end == '\\' && end[1])
			end++;
		else if (*end == '"')
			in_quote = !in_quote;
		else if (*end == '#' && !in_quote && (end == p || isspace((unsigned char)end[-1])))
			break;
	}
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return p;
}

/* The text after the first word, trimmed, without a trailing comment. */
static char *rest_of_line(char *line)
{
	char *p = line + strspn(line, " \t");

	p += strcspn(p, " \t");
	return strip_comment(p);
}

static int assign(struct script *s, const char *name, long v)
{
	struct var *var = find_var(s, name);

	if (!var) {
		if (s->nr_vars == MAX_VARS)
			return serr(s, "too many variables (at most %d)", MAX_VARS);
		var = &s->vars[s->nr_vars++];
		snprintf(var->name, sizeof(var->name), "%s", name);
	}
	var->val = v;
	return 0;
}

static int run_command(struct script *s, char *line, bool want_value)
{
	char *copy = strdup(line), *argv[MAX_TOKENS + 1];
	const struct command *cmd;
	struct cmd_ctx c = { .s = s, .want_value = want_value };
	int argc, err;

	if (!copy)
		return serr(s, "out of memory");
	/* echo and print take the rest of the line as it is. */
	if (!strncmp(line, "echo", 4) && (!line[4] || isspace((unsigned char)line[4])))
		argc = tokenize(s, strndupa(line, 4), argv, 1);
	else if (!strncmp(line, "print", 5) && (!line[5] || isspace((unsigned char)line[5])))
		argc = tokenize(s, strndupa(line, 5), argv, 1);
	else
		argc = tokenize(s, line, argv, MAX_TOKENS);
	if (argc <= 0) {
		free(copy);
		return argc;
	}
	argv[argc] = NULL;
	cmd = find_command(argv[0]);
	if (!cmd) {
		free(copy);
		return serr(s, "unknown command '%s' (try help)", argv[0]);
	}
	if (want_value && !cmd->value) {
		free(copy);
		return serr(s, "%s gives no value to assign", argv[0]);
	}
	c.argc = argc;
	c.argv = argv;
	c.raw = rest_of_line(copy);
	err = cmd->fn(&c);
	free(copy);
	return err;
}

/* One line of the script (comments and blank lines included). */
static int run_line(struct script *s, char *line)
{
	char *p = line + strspn(line, " \t");
	size_t n;

	s->line_mm = s->cur;
	if (!*p || *p == '#')
		return 0;
	/* NAME: COMMAND */
	n = ident_len(p);
	if (n && p[n] == ':' && (p[n + 1] == ' ' || p[n + 1] == '\t')) {
		p[n] = '\0';
		s->line_mm = find_mm(s, p);
		if (!s->line_mm)
			return serr(s, "no address space '%s'", p);
		p += n + 1;
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			return serr(s, "%s: which command?", s->line_mm->name);
	}
	/* NAME = EXPR  or  NAME = CALL ARGS */
	if (n && is_ident_start((unsigned char)*p)) {
		char *q = p + ident_len(p);
		char *eq = q + strspn(q, " \t");

		if (*eq == '=' && eq[1] != '=' && !find_command(strndupa(p, (size_t)(q - p)))) {
			char name[NAME_LEN + 1], *rhs = eq + 1;
			char word[64];
			long v;

			if ((size_t)(q - p) >= NAME_LEN)	/* and its NUL */
				return serr(s, "name too long (at most %d characters)", NAME_LEN - 1);
			snprintf(name, sizeof(name), "%.*s", (int)(q - p), p);
			if (is_builtin(name) || constant(name, &v) || find_mm(s, name))
				return serr(s, "'%s' is a built-in name or an address space; "
					    "choose another", name);
			rhs += strspn(rhs, " \t");
			snprintf(word, sizeof(word), "%.*s", (int)strcspn(rhs, " \t#"), rhs);
			if (find_command(word)) {
				if (run_command(s, rhs, true))
					return -1;
				return assign(s, name, s->ret);
			}
			rhs = strip_comment(rhs);
			if (!*rhs)
				return serr(s, "%s = what?", name);
			if (eval(s, rhs, &v))
				return -1;
			return assign(s, name, v);
		}
	}
	return run_command(s, p, false);
}

#ifdef UMM_HAVE_LIBEDIT
/* Tab completion: command names first on a line, report names after show. */
static const char *const *completion_words;
static int completion_index;

static char *complete_word(const char *text, int state)
{
	static const char *cmd_names[sizeof(commands) / sizeof(commands[0])];
	const char *w;

	if (!cmd_names[0])
		for (size_t i = 0; commands[i].name; i++)
			cmd_names[i] = commands[i].name;
	if (!completion_words)
		completion_words = cmd_names;
	if (!state)
		completion_index = 0;
	while ((w = completion_words[completion_index])) {
		completion_index++;
		if (!strncmp(w, text, strlen(text)))
			return strdup(w);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	static const char *const reports[] = {
		"maps", "smaps", "smaps_rollup", "status", "stat", "statm", "pagemap",
		"meminfo", "buddyinfo", "slabinfo", "vmallocinfo", "zoneinfo", NULL
	};
	char head[256] = "", *copy;
	const char *line = head;

	(void)end;
	/*
	 * The words before @text.  Not from rl_line_buffer: libedit leaves it
	 * pointing at a copy of the line it has since freed once a long line
	 * was read (ASan: use after free), and does not end it at rl_end.
	 * rl_copy_text() copies from the live line, but one character short
	 * (libedit's strlcpy(out, from, len)): ask for one more, and if the
	 * line ends at @start, the character it drops is the blank before @text.
	 */
	if (start > 0 && (copy = rl_copy_text(0, start + 1))) {
		snprintf(head, sizeof(head), "%.*s", start, copy);
		free(copy);
		if (strlen(head) < (size_t)start && strlen(head) + 1 < sizeof(head))
			strcat(head, " ");
	}
	line += strspn(line, " \t");
	if (line[ident_len(line)] == ':')	/* "B: " runs one command on B */
		line += ident_len(line) + 1 + strspn(line + ident_len(line) + 1, " \t");
	completion_words = NULL;	/* the commands */
	if (*line) {
		if (strncmp(line, "show ", 5) && strncmp(line, "expect ", 7)) {
			rl_attempted_completion_over = 0;
			return NULL;	/* file names, as readline does */
		}
		completion_words = reports;
	}
	rl_attempted_completion_over = 1;
	return rl_completion_matches(text, complete_word);
}
#endif

/* The next line, without its newline; NULL at the end of input. */
static char *read_line(struct script *s, const char *prompt)
{
	size_t cap = 0, n = 0;
	char *line = NULL;
	bool bad = false;
	int ch;

#ifdef UMM_HAVE_LIBEDIT
	if (s->interactive) {
		line = readline(prompt);
		if (line) {
			s->lineno++;
			if (*line)
				add_history(line);
		}
		return line;
	}
#endif
	if (s->interactive) {
		fputs(prompt, stdout);
		fflush(stdout);
	}
	/* getline() would follow /dev/zero forever: lines have a limit. */
	while ((ch = getc(s->in)) != EOF && ch != '\n') {
		if (!ch || n + 1 >= MAX_LINE) {
			bad = true;
			break;
		}
		if (n + 1 >= cap) {
			char *bigger = realloc(line, cap ? cap * 2 : 128);

			if (!bigger) {
				bad = true;
				break;
			}
			line = bigger;
			cap = cap ? cap * 2 : 128;
		}
		line[n++] = (char)ch;
	}
	if (ch == EOF && ferror(s->in)) {
		/* a directory (EISDIR) or an I/O error is not the end of a script */
		int err = errno;

		free(line);
		s->lineno++;
		serr(s, "cannot read: %s", strerror(err));
		s->input_error = true;
		return NULL;
	}
	if (ch == EOF && !n) {
		free(line);
		return NULL;
	}
	s->lineno++;
	if (bad) {
		free(line);
		serr(s, "not a line of text (a NUL byte, or more than %d bytes)", MAX_LINE);
		s->input_error = true;
		return NULL;
	}
	if (!line && !(line = malloc(1))) {	/* an empty line */
		serr(s, "out of memory");
		s->input_error = true;
		return NULL;
	}
	line[n] = '\0';
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	return line;
}

static void script_end(struct script *s)
{
	while (s->nr_mms)
		umm_mm_destroy(s->mms[--s->nr_mms].mm);
	while (s->nr_fds)
		close(s->fds[--s->nr_fds]);
	fflush(stdout);
}

/* Run every line; @keep_going: an error does not stop (the shell). */
/* Run the lines of s->in; @keep_going: an error does not stop (the shell). */
static int run_lines(struct script *s, bool keep_going)
{
	char *line;
	int failed = 0;

	while (!s->quit && (line = read_line(s, "umm> "))) {
		int err = run_line(s, line);

		free(line);
		fflush(stdout);
		if (err) {
			failed = 1;
			if (!keep_going)
				break;
		}
	}
	if (s->input_error) {
		s->input_error = false;
		failed = 1;
	}
	return failed;
}

static int script_loop(struct script *s, bool keep_going)
{
	int failed = run_lines(s, keep_going);

	if (s->interactive && !s->quit)
		putchar('\n');
	script_end(s);
	return failed;
}

/*
 * source "FILE": run FILE's lines here, with this session's address
 * spaces and variables (in the shell: load a scenario, then explore).  A
 * bad line ends FILE with its FILE:LINE message; quit ends FILE only.
 */
static int cmd_source(struct cmd_ctx *c)
{
	struct script *s = c->s;
	const char *file = s->file;
	int lineno = s->lineno, err;
	bool interactive = s->interactive;
	FILE *in = s->in;
	size_t len;
	char *path;

	if (nargs(c, 1, 1, "source \"FILE\""))
		return -1;
	if (s->depth == 8)
		return serr(s, "source: nested too deep");
	path = quoted_text(s, c->argv[1], &len);
	if (!path)
		return -1;
	s->in = fopen(path, "r");
	if (!s->in) {
		s->in = in;
		err = serr(s, "source: %s: %s", path, strerror(errno));
		free(path);
		return err;
	}
	s->file = path;
	s->lineno = 0;
	s->interactive = false;
	s->depth++;
	err = run_lines(s, false) ? -1 : 0;
	s->depth--;
	s->quit = false;
	fclose(s->in);
	s->in = in;
	s->file = file;
	s->lineno = lineno;
	s->interactive = interactive;
	free(path);
	/* The message named the sourced line; the source line fails with it. */
	return err;
}

int umm_script_run_file(const char *path)
{
	struct script *s = calloc(1, sizeof(*s));
	int ret;

	if (!s) {
		fprintf(stderr, "umm: out of memory\n");
		return 1;
	}
	s->file = path;
	s->in = !strcmp(path, "-") ? stdin : fopen(path, "r");
	if (!s->in) {
		fprintf(stderr, "umm: run-script: %s: %s\n", path, strerror(errno));
		free(s);
		return 1;
	}
	ret = script_loop(s, false);
	if (s->in != stdin)
		fclose(s->in);
	free(s);
	return ret;
}

int umm_script_shell(void)
{
	struct script *s = calloc(1, sizeof(*s));
	int ret;

	if (!s) {
		fprintf(stderr, "umm: out of memory\n");
		return 1;
	}
	s->file = "shell";
	s->in = stdin;
	s->interactive = isatty(STDIN_FILENO);
#ifdef UMM_HAVE_LIBEDIT
	rl_attempted_completion_function = complete;
#endif
	if (s->interactive)
		printf("umm shell: address spaces, page faults and /proc, one command a line.\n"
		       "Start with 'mm A', then e.g. 'p = mmap NULL 16K rw- private,anonymous';"
		       " 'help' lists the commands.\n");
	ret = script_loop(s, true);
	if (s->interactive)
		ret = 0;
	free(s);
	return ret;
}
