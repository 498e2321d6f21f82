// SPDX-License-Identifier: GPL-2.0
/*
 * calls.c - the system calls a scenario makes (mmap, munmap, mprotect,
 * mremap, brk, madvise, mlock, munlock, msync), its memory accesses
 * (touch, read, write, fill, translate, walk) and host files (open,
 * tmpfile, pread, close), each printed strace style.
 *
 * Each handler takes its numeric arguments through arg_ulong()/arg_long(),
 * which check them against the argument's type in the command table; the
 * argument count was checked before the handler runs.  Every argument then
 * reaches the C API, which answers bad ones with -errno: nothing here
 * crashes on bad input.  Locks: the umm_* calls take mmap_lock; walk
 * takes mmap_lock (read) and then page_table_lock, as smaps reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <limits.h>
#include <unistd.h>
#include "internal.h"

static bool own_fd(struct script *s, long fd);

/* ---- printing, strace style ---- */

static void print_addr(unsigned long addr)
{
	if (addr)
		printf("%#lx", addr);
	else
		printf("NULL");
}

void fprint_bits(FILE *f, long v, const struct name_val *table, const char *none)
{
	bool first = true;

	if (!v && none) {
		fprintf(f, "%s", none);
		return;
	}
	for (const struct name_val *nv = table; nv->name && v; nv++) {
		if (nv->val && (v & nv->val) == nv->val) {
			fprintf(f, "%s%s", first ? "" : "|", nv->name);
			v &= ~nv->val;
			first = false;
		}
	}
	if (v || first)
		fprintf(f, "%s%#lx", first ? "" : "|", v);
}

void print_bits(long v, const struct name_val *table, const char *none)
{
	fprint_bits(stdout, v, table, none);
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
void print_result(long ret, bool hex)
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

/* A C string, escaped as strace prints buffers. */
void print_cstring(const unsigned char *p, size_t n)
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

/*
 * Argument @i as its row in the command table types it: the value, checked
 * against the type's range, in the C parameter's 64 bits.
 */
static int arg_value(struct cmd_ctx *c, int i, val_t *out)
{
	enum arg_type type = i <= 6 ? c->cmd->types[i - 1] : ARG_NONE;
	const char *what;
	val_t min, max;

	if (!arg_range(type, &min, &max, &what))
		return eval_wide(c->s, c->argv[i], out);
	return eval_in(c->s, c->argv[i], min, max, what, out);
}

int arg_ulong(struct cmd_ctx *c, int i, unsigned long *out)
{
	val_t v;

	if (arg_value(c, i, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

int arg_long(struct cmd_ctx *c, int i, long *out)
{
	val_t v;

	if (arg_value(c, i, &v))
		return -1;
	*out = (long)(unsigned long)v;
	return 0;
}

void set_ret(struct script *s, long v)
{
	s->ret = v;
}


int cmd_mmap(struct cmd_ctx *c)
{
	unsigned long addr, len;
	long prot, flags, fd = -1, off = 0, ret;
	struct mm_struct *mm;

	if (!(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len) ||
	    parse_prot(c->s, c->argv[3], &prot) ||
	    parse_flags(c->s, c->argv[4], map_names, "MAP_", "mmap flag", &flags) ||
	    (c->argc > 5 && arg_long(c, 5, &fd)) ||
	    (c->argc > 6 && arg_long(c, 6, &off)))
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
int cmd_range(struct cmd_ctx *c)
{
	const char *name = c->argv[0], *word_name = NULL, *advice;
	unsigned long addr, len;
	struct mm_struct *mm;
	long word = 0, ret = 0;

	if (!strcmp(name, "mprotect"))
		word_name = "PROT";
	else if (!strcmp(name, "madvise"))
		word_name = "ADVICE";
	else if (!strcmp(name, "msync"))
		word_name = "FLAGS";
	if (!(mm = need_mm(c->s)) ||
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

int cmd_mremap(struct cmd_ctx *c)
{
	unsigned long old, old_len, new_len, new_addr = 0;
	struct mm_struct *mm;
	long flags = 0, ret;

	if (!(mm = need_mm(c->s)) ||
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

int cmd_brk(struct cmd_ctx *c)
{
	unsigned long addr = 0, ret;
	struct mm_struct *mm;

	if (!(mm = need_mm(c->s)) ||
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
int cmd_touch(struct cmd_ctx *c)
{
	unsigned long addr, len, a, last;
	struct mm_struct *mm;
	int write = 0, sig = 0, code = 0;

	if (!(mm = need_mm(c->s)) ||
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
		if (script_interrupted)	/* Ctrl-C in the shell */
			return serr(c->s, "touch: interrupted at %#lx (the pages below it were touched)",
				    a);
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

int cmd_read(struct cmd_ctx *c)
{
	unsigned long addr, len;
	struct mm_struct *mm;
	unsigned char *buf;
	bool hex;
	long ret;

	if (!(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len))
		return -1;
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

int cmd_write(struct cmd_ctx *c)
{
	unsigned long addr;
	struct mm_struct *mm;
	size_t n, len;
	char *buf;
	long ret;

	if (!(mm = need_mm(c->s)) ||
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

int cmd_fill(struct cmd_ctx *c)
{
	unsigned long addr, len, byte;
	struct mm_struct *mm;
	char *buf;
	long ret;

	if (!(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || arg_ulong(c, 2, &len) || arg_ulong(c, 3, &byte))
		return -1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return serr(c->s, "out of memory");
	memset(buf, (int)byte, len);
	ret = umm_access(mm, addr, buf, len, 1);
	call_prefix(c->s);
	printf("fill(%#lx, %lu, %#lx)", addr, len, byte);
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

int cmd_translate(struct cmd_ctx *c)
{
	unsigned long addr, len = 1, a, end, pfn = 0, first = 0, pages;
	struct mm_struct *mm;
	int err, first_err = 0;

	if (!(mm = need_mm(c->s)) ||
	    arg_ulong(c, 1, &addr) || (c->argc > 2 && arg_ulong(c, 2, &len)))
		return -1;
	if (!len)
		len = 1;
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
int cmd_walk(struct cmd_ctx *c)
{
	static const char *const level[] = { "pgd", "pud", "pmd", "pte" };
	unsigned long addr, entry = 0, idx[4];
	unsigned long *table;
	int l;
	struct mm_struct *mm;

	if (!(mm = need_mm(c->s)) || arg_ulong(c, 1, &addr))
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

int cmd_stats(struct cmd_ctx *c)
{
	struct mm_struct *mm;

	if (!(mm = need_mm(c->s)))
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

/* open "PATH" [rdonly|wronly|rdwr] */
int cmd_open(struct cmd_ctx *c)
{
	static const struct name_val modes[] = {
		{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR },
		{ NULL, 0 }
	};
	long mode = O_RDONLY;
	char *path;
	size_t len;
	int fd;

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
int cmd_tmpfile(struct cmd_ctx *c)
{
	const char *dir = getenv("TMPDIR");
	char path[PATH_MAX], line[32];
	unsigned long size;
	int fd;

	if (arg_ulong(c, 1, &size))
		return -1;
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
int cmd_pread(struct cmd_ctx *c)
{
	unsigned long off, len;
	unsigned char *buf;
	long fd, n;

	if (arg_long(c, 1, &fd) || arg_ulong(c, 2, &off) || arg_ulong(c, 3, &len))
		return -1;
	if (!own_fd(c->s, fd))
		return serr(c->s, "pread: %ld is not a file this script opened", fd);
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

int cmd_close(struct cmd_ctx *c)
{
	long fd;
	int i;

	if (arg_long(c, 1, &fd))
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

