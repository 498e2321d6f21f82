// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - `umm exec [-i] [--svg FILE] PATH [ARGS...]`: a child of init
 * execs PATH with ARGS and the caller's environment (-i: none, as env -i
 * runs a program) through umm_execve(), so binfmt_elf or binfmt_script,
 * and what the kernel built is printed:
 *
 *   maps           /proc/PID/maps of the new process
 *   auxv           /proc/PID/auxv decoded as glibc's LD_SHOW_AUXV=1
 *   initial stack  from mm->start_stack up to the stack's top, read back
 *                  through the page tables with umm_access(), each part
 *                  labelled: argc, the argv and envp pointers and their
 *                  NULLs, the auxv pairs, alignment padding, the 16
 *                  AT_RANDOM bytes, the platform string, the argument and
 *                  environment strings, AT_EXECFN, the end marker (the
 *                  layout of fs/exec.c and create_elf_tables() in
 *                  fs/binfmt_elf.c; LKD3 and ULK chapter 20 draw it)
 *
 * With --svg FILE the stack is drawn in FILE as well, high addresses at
 * the top as the books draw it.
 *
 * Owns nothing global; the child is ended and reaped before the return.
 * Errors: one line on stderr ("umm: exec: ..."); 2 for bad use, 1 when
 * the exec failed (its errno named) or the output could not be written.
 */
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <umm.h>
#include <umm/binfmts.h>
#include <umm/sched.h>
#include "exec.h"

/* ---- auxv ---- */

enum aux_fmt { AUX_DEC, AUX_HEX, AUX_RAWHEX, AUX_STR };

/* glibc's _dl_show_auxv() table (elf/dl-sysdep.c): names and formats. */
static const struct aux_name {
	unsigned long type;
	const char *name;
	enum aux_fmt fmt;
} aux_names[] = {
	{ AT_EXECFD, "EXECFD", AUX_DEC }, { AT_PHDR, "PHDR", AUX_HEX },
	{ AT_PHENT, "PHENT", AUX_DEC }, { AT_PHNUM, "PHNUM", AUX_DEC },
	{ AT_PAGESZ, "PAGESZ", AUX_DEC }, { AT_BASE, "BASE", AUX_HEX },
	{ AT_FLAGS, "FLAGS", AUX_HEX }, { AT_ENTRY, "ENTRY", AUX_HEX },
	{ AT_NOTELF, "NOTELF", AUX_RAWHEX }, { AT_UID, "UID", AUX_DEC },
	{ AT_EUID, "EUID", AUX_DEC }, { AT_GID, "GID", AUX_DEC },
	{ AT_EGID, "EGID", AUX_DEC }, { AT_PLATFORM, "PLATFORM", AUX_STR },
	{ AT_HWCAP, "HWCAP", AUX_RAWHEX }, { AT_CLKTCK, "CLKTCK", AUX_DEC },
	{ AT_FPUCW, "FPUCW", AUX_RAWHEX }, { AT_DCACHEBSIZE, "DCACHEBSIZE", AUX_HEX },
	{ AT_ICACHEBSIZE, "ICACHEBSIZE", AUX_HEX }, { AT_UCACHEBSIZE, "UCACHEBSIZE", AUX_HEX },
	{ AT_SECURE, "SECURE", AUX_DEC }, { AT_BASE_PLATFORM, "BASE_PLATFORM", AUX_STR },
	{ AT_RANDOM, "RANDOM", AUX_HEX }, { AT_HWCAP2, "HWCAP2", AUX_HEX },
	{ AT_RSEQ_FEATURE_SIZE, "RSEQ_FEATURE_SIZE", AUX_DEC },
	{ AT_RSEQ_ALIGN, "RSEQ_ALIGN", AUX_DEC }, { AT_HWCAP3, "HWCAP3", AUX_HEX },
	{ AT_HWCAP4, "HWCAP4", AUX_HEX }, { AT_EXECFN, "EXECFN", AUX_STR },
	{ AT_SYSINFO, "SYSINFO", AUX_HEX }, { AT_SYSINFO_EHDR, "SYSINFO_EHDR", AUX_HEX },
	{ AT_MINSIGSTKSZ, "MINSIGSTKSZ", AUX_DEC },
	{ 0, NULL, AUX_DEC }
};

static const struct aux_name *aux_name(unsigned long type)
{
	for (const struct aux_name *a = aux_names; a->name; a++)
		if (a->type == type)
			return a;
	return NULL;
}

/* The NUL-terminated string at @addr in @mm (at most @size - 1 bytes). */
static void user_string(struct mm_struct *mm, unsigned long addr, char *buf, size_t size)
{
	long n = mm ? umm_access(mm, addr, buf, size - 1, 0) : -EFAULT;

	buf[n > 0 ? (size_t)n : 0] = '\0';
	buf[strnlen(buf, size - 1)] = '\0';
}

/* One pair's value as LD_SHOW_AUXV prints it. */
static void aux_value(struct mm_struct *mm, const struct aux_name *a, unsigned long val,
		      char *buf, size_t size)
{
	switch (a ? a->fmt : AUX_HEX) {
	case AUX_DEC:
		snprintf(buf, size, "%lu", val);
		break;
	case AUX_RAWHEX:
		snprintf(buf, size, "%lx", val);
		break;
	case AUX_STR:
		user_string(mm, val, buf, size);
		break;
	default:
		snprintf(buf, size, "0x%lx", val);
	}
}

void auxv_print(FILE *f, struct mm_struct *mm, const unsigned long *auxv, size_t n)
{
	for (size_t i = 0; i + 1 < n && auxv[i] != AT_NULL; i += 2) {
		const struct aux_name *a = aux_name(auxv[i]);
		char val[256], name[32];

		aux_value(mm, a, auxv[i + 1], val, sizeof(val));
		if (a) {
			snprintf(name, sizeof(name), "AT_%s:", a->name);
			fprintf(f, "%-22s%s\n", name, val);
		} else {
			fprintf(f, "AT_??? (0x%lx): 0x%lx\n", auxv[i], auxv[i + 1]);
		}
	}
}

/* ---- the initial stack ---- */

enum part_kind { PART_WORD, PART_AUXV, PART_BYTES, PART_STRING, PART_PAD, NR_PART_KINDS };

/* One labelled part of the stack, [addr, addr + len). */
struct part {
	unsigned long addr, len;
	enum part_kind kind;
	char what[40];
	char value[300];
};

struct stack {
	unsigned long start, top;	/* start_stack, the stack VMA's end */
	unsigned char *bytes;		/* [start, top) */
	struct part *parts;
	int n, cap;
};

static unsigned long word_at(const struct stack *st, unsigned long addr)
{
	unsigned long w;

	memcpy(&w, st->bytes + (addr - st->start), sizeof(w));
	return w;
}

static struct part *add_part(struct stack *st, unsigned long addr, unsigned long len,
			     enum part_kind kind, const char *what)
{
	struct part *p;

	if (st->n == st->cap) {
		struct part *more = realloc(st->parts, (size_t)(st->cap + 64) * sizeof(*more));

		if (!more)
			return NULL;
		st->parts = more;
		st->cap += 64;
	}
	p = &st->parts[st->n++];
	p->addr = addr;
	p->len = len;
	p->kind = kind;
	snprintf(p->what, sizeof(p->what), "%s", what);
	p->value[0] = '\0';
	return p;
}

/* A string of the stack, C-escaped and quoted, into @buf. */
static void quote_bytes(const unsigned char *s, size_t len, char *buf, size_t size)
{
	size_t o = 0;

	buf[o++] = '"';
	for (size_t i = 0; i < len && o + 6 < size; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, size - o, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
	}
	if (o + 2 < size)
		buf[o++] = '"';
	buf[o] = '\0';
}

/* The string at @addr, wholly on the stack: its length with the NUL, or 0. */
static unsigned long stack_strlen(const struct stack *st, unsigned long addr)
{
	const unsigned char *p, *nul;

	if (addr < st->start || addr >= st->top)
		return 0;
	p = st->bytes + (addr - st->start);
	nul = memchr(p, 0, st->top - addr);
	return nul ? (unsigned long)(nul - p) + 1 : 0;
}

/* What a pointer in argv or envp points to, for its value column. */
static void pointer_value(const struct stack *st, unsigned long ptr, char *buf, size_t size)
{
	unsigned long len = stack_strlen(st, ptr);
	char q[256];

	if (!ptr) {
		snprintf(buf, size, "NULL");
		return;
	}
	quote_bytes(st->bytes + (ptr - st->start), len ? len - 1 : 0, q, sizeof(q));
	snprintf(buf, size, "0x%lx -> %s", ptr, len ? q : "?");
}

/* The pointer vectors from start_stack: argc, argv, envp, auxv. */
static int decode_vectors(struct stack *st, struct mm_struct *mm, unsigned long *end)
{
	unsigned long a = st->start, argc;
	struct part *p;

	if (st->top - a < sizeof(long))
		return -EFAULT;
	argc = word_at(st, a);
	p = add_part(st, a, 8, PART_WORD, "argc");
	if (!p)
		return -ENOMEM;
	snprintf(p->value, sizeof(p->value), "%lu", argc);
	a += 8;
	for (int vec = 0; vec < 2; vec++) {
		for (unsigned long i = 0;; i++, a += 8) {
			unsigned long w;
			char what[40];

			if (a + 8 > st->top)
				return -EFAULT;
			w = word_at(st, a);
			snprintf(what, sizeof(what), "%s[%lu]", vec ? "envp" : "argv", i);
			if (!(p = add_part(st, a, 8, PART_WORD, what)))
				return -ENOMEM;
			pointer_value(st, w, p->value, sizeof(p->value));
			if (!w) {
				a += 8;
				break;
			}
		}
	}
	for (unsigned long i = 0;; i++, a += 16) {
		unsigned long type, val;
		const struct aux_name *an;
		char what[40], v[256];

		if (a + 16 > st->top)
			return -EFAULT;
		type = word_at(st, a);
		val = word_at(st, a + 8);
		an = aux_name(type);
		snprintf(what, sizeof(what), "auxv[%lu]", i);
		if (!(p = add_part(st, a, 16, PART_AUXV, what)))
			return -ENOMEM;
		if (type == AT_NULL) {
			snprintf(p->value, sizeof(p->value), "AT_NULL 0");
			a += 16;
			break;
		}
		aux_value(mm, an, val, v, sizeof(v));
		if (an)
			snprintf(p->value, sizeof(p->value), "AT_%s %s", an->name, v);
		else
			snprintf(p->value, sizeof(p->value), "%lu 0x%lx", type, val);
	}
	*end = a;
	return 0;
}

/* One object above the vectors: where it is, how long, what it is. */
struct object {
	unsigned long addr, len;
	enum part_kind kind;
	char what[40];
};

static int cmp_object(const void *a, const void *b)
{
	const struct object *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/*
 * Above the vectors: the AT_RANDOM bytes, the platform string, the argv
 * and envp strings, AT_EXECFN and the end marker, each found from the
 * pointers that lead to it; what lies between them is padding.
 */
static int decode_objects(struct stack *st, unsigned long from)
{
	struct object *obj;
	unsigned long a;
	int n = 0, max = 8, err = 0;

	/* every pointer word in argv and envp, and the auxv pairs */
	for (int i = 0; i < st->n; i++)
		max += st->parts[i].kind != PART_BYTES;
	obj = calloc((size_t)max, sizeof(*obj));
	if (!obj)
		return -ENOMEM;
	for (int i = 1; i < st->n; i++) {
		const struct part *p = &st->parts[i];
		unsigned long ptr = word_at(st, p->addr + (p->kind == PART_AUXV ? 8 : 0));
		unsigned long type = p->kind == PART_AUXV ? word_at(st, p->addr) : 0;
		unsigned long len;

		if (p->kind == PART_WORD) {
			len = stack_strlen(st, ptr);
			if (!len)
				continue;
			obj[n] = (struct object){ ptr, len, PART_STRING, "" };
			snprintf(obj[n++].what, sizeof(obj[0].what), "%.30s string", p->what);
		} else if (type == AT_RANDOM && ptr >= st->start && ptr + 16 <= st->top) {
			obj[n++] = (struct object){ ptr, 16, PART_BYTES, "AT_RANDOM bytes" };
		} else if ((type == AT_PLATFORM || type == AT_EXECFN || type == AT_BASE_PLATFORM) &&
			   (len = stack_strlen(st, ptr))) {
			obj[n] = (struct object){ ptr, len, PART_STRING, "" };
			snprintf(obj[n++].what, sizeof(obj[0].what), "AT_%s string",
				 aux_name(type)->name);
		}
	}
	/* the top word: the NULL that ends the stack (bprm->p starts below it) */
	if (st->top - from >= 8)
		obj[n++] = (struct object){ st->top - 8, 8, PART_WORD, "end marker" };
	qsort(obj, (size_t)n, sizeof(*obj), cmp_object);
	a = from;
	for (int i = 0; i < n && !err; i++) {
		struct part *p;

		if (obj[i].addr < a)	/* one string two pointers lead to */
			continue;
		if (obj[i].addr > a && !add_part(st, a, obj[i].addr - a, PART_PAD, "padding")) {
			err = -ENOMEM;
			break;
		}
		p = add_part(st, obj[i].addr, obj[i].len, obj[i].kind, obj[i].what);
		if (!p) {
			err = -ENOMEM;
			break;
		}
		if (obj[i].kind == PART_STRING) {
			quote_bytes(st->bytes + (obj[i].addr - st->start), obj[i].len - 1, p->value,
				    sizeof(p->value));
		} else if (obj[i].kind == PART_BYTES) {
			size_t o = 0;

			for (unsigned long b = 0; b < obj[i].len && o < sizeof(p->value); b++)
				o += (size_t)snprintf(p->value + o, sizeof(p->value) - o, "%s%02x",
						      b ? " " : "",
						      st->bytes[obj[i].addr - st->start + b]);
		} else {
			snprintf(p->value, sizeof(p->value), word_at(st, obj[i].addr) ? "0x%lx" :
				 "NULL", word_at(st, obj[i].addr));
		}
		a = obj[i].addr + obj[i].len;
	}
	if (!err && a < st->top && !add_part(st, a, st->top - a, PART_PAD, "padding"))
		err = -ENOMEM;
	free(obj);
	return err;
}

/* Read and label the stack of @mm from start_stack to its VMA's end. */
static int stack_decode(struct mm_struct *mm, struct stack *st)
{
	struct vm_area_struct *vma;
	unsigned long end;
	long got;
	int err;

	memset(st, 0, sizeof(*st));
	mmap_read_lock(mm);
	st->start = mm->start_stack;
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma)
		if (vma->vm_start <= st->start && st->start < vma->vm_end)
			st->top = vma->vm_end;
	mmap_read_unlock(mm);
	if (!st->top || st->top - st->start > (1UL << 20))
		return -EFAULT;
	st->bytes = malloc(st->top - st->start);
	if (!st->bytes)
		return -ENOMEM;
	got = umm_access(mm, st->start, st->bytes, st->top - st->start, 0);
	if (got != (long)(st->top - st->start))
		return got < 0 ? (int)got : -EFAULT;
	err = decode_vectors(st, mm, &end);
	if (!err)
		err = decode_objects(st, end);
	return err;
}

static void stack_free(struct stack *st)
{
	free(st->bytes);
	free(st->parts);
}

static void stack_print(FILE *f, const struct stack *st)
{
	fprintf(f, "initial stack: start_stack 0x%lx to 0x%lx (%lu bytes), read with "
		"umm_access()\n", st->start, st->top, st->top - st->start);
	fprintf(f, "%-14s %5s  %-20s %s\n", "address", "bytes", "what", "value");
	for (int i = 0; i < st->n; i++) {
		const struct part *p = &st->parts[i];

		if (p->value[0])
			fprintf(f, "%-14lx %5lu  %-20s %s\n", p->addr, p->len, p->what, p->value);
		else
			fprintf(f, "%-14lx %5lu  %s\n", p->addr, p->len, p->what);
	}
}

/* ---- the stack as SVG ---- */

#define SVG_W		760
#define ROW_H		22
#define TOP_Y		70
#define BOX_X		130
#define BOX_W		600

static const char *const part_colour[NR_PART_KINDS] = {
	[PART_WORD] = "#cfe2f3", [PART_AUXV] = "#d9ead3", [PART_BYTES] = "#fce5cd",
	[PART_STRING] = "#fff2cc", [PART_PAD] = "#eeeeee",
};

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/*
 * The parts, one row each, the highest address at the top: the strings
 * and the end marker above, argc at the bottom where the stack pointer
 * starts.  Each row carries data-addr and data-len.
 */
static int stack_svg(FILE *f, const struct stack *st, const char *path)
{
	int height = TOP_Y + st->n * ROW_H + 60;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, Menlo, "
		"Consolas, monospace\" font-size=\"12\">\n<title>The initial stack of ",
		SVG_W, height, SVG_W, height);
	xml_text(f, path);
	fprintf(f, "</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
		"<text x=\"20\" y=\"26\" font-size=\"15\" font-weight=\"bold\">The initial stack "
		"after execve(\"");
	xml_text(f, path);
	fprintf(f, "\")</text>\n<text x=\"20\" y=\"46\">0x%lx (top) to start_stack 0x%lx: "
		"%lu bytes, a row a part (not to scale)</text>\n", st->top, st->start,
		st->top - st->start);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#666\">address</text>\n",
		BOX_X - 8, TOP_Y - 6);
	for (int i = st->n - 1, row = 0; i >= 0; i--, row++) {
		const struct part *p = &st->parts[i];
		int y = TOP_Y + row * ROW_H;

		fprintf(f, "<g class=\"part\" data-addr=\"0x%lx\" data-len=\"%lu\">\n"
			"<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			"stroke=\"#555\"/>\n"
			"<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lx</text>\n"
			"<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", p->addr, p->len, BOX_X, y,
			BOX_W, ROW_H, part_colour[p->kind], BOX_X - 8, y + 15, p->addr, BOX_X + 8,
			y + 15);
		xml_text(f, p->what);
		fprintf(f, "</text>\n<text x=\"%d\" y=\"%d\">", BOX_X + 190, y + 15);
		xml_text(f, p->value);
		fprintf(f, "</text>\n</g>\n");
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#666\">&#8593; start_stack: the new "
		"program's stack pointer, at argc</text>\n", BOX_X,
		TOP_Y + st->n * ROW_H + 22);
	fprintf(f, "</svg>\n");
	if (fflush(f))
		return -errno;
	return ferror(f) ? -EIO : st->n;
}

/* ---- umm exec ---- */

#define EXEC_USAGE	"usage: umm exec [-i] [--svg FILE] PATH [ARGS...]"

/* The report of @t after its exec: maps, auxv, the stack (and the SVG). */
static int show_exec(struct task_struct *t, const char *path, const char *svg)
{
	char *text = NULL;
	unsigned long auxv[UMM_AT_VECTOR_SIZE];
	ssize_t len = umm_task_show(t, "maps", NULL, 0);
	struct stack st;
	int err;

	if (len < 0 || !(text = malloc((size_t)len + 1))) {
		fprintf(stderr, "umm: exec: /proc/%d/maps: %s\n", t->pid,
			strerror(len < 0 ? (int)-len : ENOMEM));
		return 1;
	}
	umm_task_show(t, "maps", text, (size_t)len + 1);
	printf("$ cat /proc/%d/maps\n%s\n", t->pid, text);
	free(text);
	len = umm_task_show(t, "auxv", (char *)auxv, sizeof(auxv));
	if (len < 0) {
		fprintf(stderr, "umm: exec: /proc/%d/auxv: %s\n", t->pid, strerror((int)-len));
		return 1;
	}
	len = min((size_t)len, sizeof(auxv));
	printf("$ LD_SHOW_AUXV=1 %s   # /proc/%d/auxv, decoded\n", path, t->pid);
	auxv_print(stdout, t->mm, auxv, (size_t)len / sizeof(long));
	putchar('\n');
	err = stack_decode(t->mm, &st);
	if (!err) {
		stack_print(stdout, &st);
		if (svg) {
			FILE *f = fopen(svg, "w");

			if (!f) {
				err = -errno;
				fprintf(stderr, "umm: exec: %s: %s\n", svg, strerror(errno));
			} else {
				err = stack_svg(f, &st, path);
				if (fclose(f) && err >= 0)
					err = -errno;
				if (err < 0)
					fprintf(stderr, "umm: exec: %s: %s\n", svg, strerror(-err));
				else
					err = 0;
			}
			err = err ? 1 : 0;
		}
	} else {
		fprintf(stderr, "umm: exec: cannot read the new stack: %s\n", strerror(-err));
		err = 1;
	}
	stack_free(&st);
	return err;
}

int cmd_exec_program(const char *cmdline, int argc, char **argv)
{
	extern char **environ;
	static char *const no_env[] = { NULL };
	struct task_struct *init = umm_init_task(), *t;
	char *const *envp = environ;
	const char *svg = NULL;
	int i = 0, status, ret;
	long pid, err;

	(void)cmdline;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-i")) {
			envp = no_env;
			continue;
		}
		if (!strcmp(argv[i], "--svg") && i + 1 < argc) {
			svg = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--svg=", 6) && argv[i][6]) {
			svg = argv[i] + 6;
			continue;
		}
		if (!strncmp(argv[i], "--svg", 5))
			fprintf(stderr, "umm: exec: --svg needs a file (" EXEC_USAGE ")\n");
		else
			fprintf(stderr, "umm: exec: unknown option '%s' (" EXEC_USAGE ")\n",
				argv[i]);
		return 2;
	}
	if (i == argc) {
		fprintf(stderr, "umm: exec: which program? (" EXEC_USAGE ")\n");
		return 2;
	}
	pid = umm_clone(init, SIGCHLD);
	if (pid < 0) {
		fprintf(stderr, "umm: exec: fork: %s\n", strerror((int)-pid));
		return 1;
	}
	t = umm_get_task((pid_t)pid);
	err = umm_execve(t, argv[i], argv + i, envp);
	if (err)
		fprintf(stderr, "umm: exec: %s: %s\n", argv[i], strerror((int)-err));
	ret = err ? 1 : show_exec(t, argv[i], svg);
	umm_exit(t, 0);
	umm_put_task(t);
	umm_wait4(init, (pid_t)pid, &status, 0);
	return ret;
}
