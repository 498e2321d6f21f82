// SPDX-License-Identifier: GPL-2.0
/*
 * values.c - the values of the scenario language: numbers, names and
 * expressions, the uapi names of constants (PROT_*, MAP_*, MADV_*, errno
 * and signal names) and flag words (private,anonymous / rw-).
 *
 * Invariant: a value is an integer in [-2^63, 2^64 - 1] (val_t, 128 bits
 * wide so that both ends are exact); every operation checks its result
 * and an expression that leaves the range is an error, never wrapped or
 * cut.  & | ^ ~ == != work on the 64-bit words, as C's do on an unsigned
 * long.  Variables keep the full value; calls take its low 64 bits after
 * their argument's range check (commands.c).
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

/* ---- the names of things ---- */

const struct name_val prot_names[] = {
	{ "PROT_READ", 0x1 }, { "PROT_WRITE", 0x2 }, { "PROT_EXEC", 0x4 },
	{ "PROT_SEM", 0x8 }, { "PROT_GROWSDOWN", 0x01000000 },
	{ "PROT_GROWSUP", 0x02000000 }, { NULL, 0 }
};

const struct name_val map_names[] = {
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

const struct name_val madv_names[] = {
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

const struct name_val mremap_names[] = {
	{ "MREMAP_MAYMOVE", 1 }, { "MREMAP_FIXED", 2 }, { "MREMAP_DONTUNMAP", 4 },
	{ NULL, 0 }
};

const struct name_val msync_names[] = {
	{ "MS_ASYNC", 1 }, { "MS_INVALIDATE", 2 }, { "MS_SYNC", 4 }, { NULL, 0 }
};

const struct name_val errno_names[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "EINTR", EINTR },
	{ "EIO", EIO }, { "ENXIO", ENXIO }, { "E2BIG", E2BIG },
	{ "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "ENODEV", ENODEV }, { "EINVAL", EINVAL },
	{ "ENFILE", ENFILE }, { "EMFILE", EMFILE }, { "ETXTBSY", ETXTBSY },
	{ "EFBIG", EFBIG }, { "ENOSPC", ENOSPC }, { "ESPIPE", ESPIPE },
	{ "EROFS", EROFS }, { "ERANGE", ERANGE }, { "ENOSYS", ENOSYS },
	{ "EOVERFLOW", EOVERFLOW }, { "EOPNOTSUPP", EOPNOTSUPP },
	{ "EHWPOISON", EHWPOISON }, { "ESRCH", ESRCH }, { "ECHILD", ECHILD },
	{ "ENOEXEC", ENOEXEC }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
	{ "ENAMETOOLONG", ENAMETOOLONG }, { "ELOOP", ELOOP }, { "ELIBBAD", ELIBBAD },
	{ NULL, 0 }
};

const struct name_val signal_names[] = {
	{ "SIGSEGV", SIGSEGV }, { "SIGBUS", SIGBUS },
	{ "SEGV_MAPERR", SEGV_MAPERR }, { "SEGV_ACCERR", SEGV_ACCERR },
	{ "BUS_ADRALN", BUS_ADRALN }, { "BUS_ADRERR", BUS_ADRERR },
	{ "BUS_OBJERR", BUS_OBJERR }, { NULL, 0 }
};

const struct name_val rlimit_names[] = {
	{ "stack", RLIMIT_STACK }, { "memlock", RLIMIT_MEMLOCK },
	{ "data", RLIMIT_DATA }, { "as", RLIMIT_AS }, { NULL, 0 }
};

static const struct name_val *name_tables[] = {
	prot_names, map_names, madv_names, mremap_names, msync_names,
	errno_names, signal_names, NULL
};

const struct name_val *lookup(const struct name_val *t, const char *name)
{
	for (; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

const char *name_of(const struct name_val *t, long val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return NULL;
}

static struct var *find_var(struct script *s, const char *name)
{
	for (int i = 0; i < s->nr_vars; i++)
		if (!strcmp(s->vars[i].name, name))
			return &s->vars[i];
	return NULL;
}

/* ---- expressions ---- */

static val_t eval_expr(struct script *s, struct mm_struct *mm);

static void skip_space(struct script *s)
{
	while (*s->ep == ' ' || *s->ep == '\t')
		s->ep++;
}

static val_t expr_fail(struct script *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The first error of an expression: report it, and evaluate to 0. */
static val_t expr_fail(struct script *s, const char *fmt, ...)
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

/* @v in decimal (printf has no conversion for 128 bits). */
char *format_val(val_t v, char *buf, size_t size)
{
	unsigned __int128 u = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v;
	char tmp[48];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u);
	snprintf(buf, size, "%s%.*s", v < 0 ? "-" : "", n, "");
	for (size_t len = strlen(buf); n && len + 1 < size; len++)
		buf[len] = tmp[--n], buf[len + 1] = '\0';
	return buf;
}

/* A result outside the values the language has is an error, not a wrap. */
static val_t in_range(struct script *s, val_t v, const char *what)
{
	if (v < VAL_MIN || v > VAL_MAX)
		return expr_fail(s, "%s is out of range (values are -2^63 to 2^64-1)", what);
	return v;
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

/* A number, decimal, 0x hex or 0 octal as in C, with an optional K/M/G/T suffix (binary multiples). */
static val_t parse_number(struct script *s)
{
	const char *start = s->ep;
	unsigned int shift = 0;
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s->ep, &end, 0);
	if (errno == ERANGE)
		return expr_fail(s, "bad number '%.*s' (more than 64 bits)",
				 (int)strcspn(start, " \t()"), start);
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
		/* 08, 019: strtoul() stopped at a digit octal has not */
		bool octal = start[0] == '0' && isdigit((unsigned char)start[1]) &&
			     isdigit((unsigned char)*s->ep);

		snprintf(bad, sizeof(bad), "%.*s", (int)strcspn(start, " \t()"), start);
		return expr_fail(s, "bad number '%s' (%s)", bad,
				 octal ? "a leading 0 makes it octal, as in C: digits 0 to 7" :
				 "suffixes: K, M, G, T");
	}
	return (val_t)v;
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

/* Whether @name has a value: a variable, a built-in or a constant. */
bool is_value_name(struct script *s, const char *name)
{
	long v;

	return find_var(s, name) || is_builtin(name) || constant(name, &v);
}

bool is_builtin(const char *name)
{
	struct mm_struct dummy = { 0 };
	long v;

	if (!strcmp(name, "pfn"))
		return true;
	return mm_value(name, &dummy, &v) || !strcmp(name, "ret") ||
	       !strcmp(name, "si_code") || !strcmp(name, "si_addr") || !strcmp(name, "wstatus");
}

bool constant(const char *name, long *out)
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

static val_t eval_pfn(struct mm_struct *mm, unsigned long addr)
{
	unsigned long pfn;
	int err = umm_virt_to_pfn(mm, addr, &pfn);

	return err ? err : (val_t)pfn;
}

/* NAME(MM), pfn(ADDR), pfn(MM, ADDR): s->ep is past the '('. */
static val_t eval_call(struct script *s, struct mm_struct *mm, const char *name)
{
	const char *save;
	struct mm_slot *slot = NULL;
	long val;

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
		return eval_pfn(mm, addr);
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

/* NAME, NAME(MM), pfn(ADDR), pfn(MM, ADDR) */
static val_t eval_name(struct script *s, struct mm_struct *mm)
{
	char name[NAME_LEN + 1];
	struct var *v;
	long val;

	read_ident(s, name);
	skip_space(s);
	if (*s->ep == '(' && is_builtin(name)) {
		s->ep++;
		return eval_call(s, mm, name);
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
	if (!strcmp(name, "wstatus"))
		return s->wstatus;
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

static val_t eval_operand(struct script *s, struct mm_struct *mm);

/*
 * Parentheses and prefix operators recurse: a line of 65536 '(' would
 * overflow the stack long before it ended, so the nesting is limited.
 */
#define MAX_NESTING 256

static val_t eval_unary(struct script *s, struct mm_struct *mm)
{
	val_t v;

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
static val_t eval_operand(struct script *s, struct mm_struct *mm)
{
	switch (*s->ep) {
	case '-':
		s->ep++;
		return in_range(s, -eval_unary(s, mm), "a negated value");
	case '+':
		s->ep++;
		return eval_unary(s, mm);
	case '~':
		/* of the 64-bit word, read as signed: ~0 is -1, ~0xfff is -4096 */
		s->ep++;
		return (long)~(unsigned long)eval_unary(s, mm);
	case '!':
		s->ep++;
		return !eval_unary(s, mm);
	case '(': {
		val_t v;

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

/*
 * & | ^ work on the 64-bit words; the result reads as signed when an
 * operand was negative (p & -4096), else as unsigned.
 */
static val_t bitwise(char op, val_t a, val_t b)
{
	unsigned long ua = (unsigned long)a, ub = (unsigned long)b;
	unsigned long r = op == '|' ? ua | ub : op == '&' ? ua & ub : ua ^ ub;

	return a < 0 || b < 0 ? (val_t)(long)r : (val_t)r;
}

static val_t shift(struct script *s, const char *op, val_t a, val_t b)
{
	char buf[48];

	if (b < 0 || b > 63)
		return expr_fail(s, "shift count %s is out of range (0 to 63)",
				 format_val(b, buf, sizeof(buf)));
	if (op[0] == '>')
		return a >> (int)b;	/* arithmetic: -8 >> 1 is -4 */
	return in_range(s, a * ((val_t)1 << (int)b), "the shifted value");
}

static val_t apply(struct script *s, const char *op, val_t a, val_t b)
{
	val_t r;

	switch (op[0]) {
	case '|':
		if (op[1])
			return a || b;
		return bitwise('|', a, b);
	case '&':
		if (op[1])
			return a && b;
		return bitwise('&', a, b);
	case '^': return bitwise('^', a, b);
	/* the 64-bit words, as C compares -1 and 0xffffffffffffffffUL */
	case '=': return (unsigned long)a == (unsigned long)b;
	case '!': return (unsigned long)a != (unsigned long)b;
	case '<':
		if (op[1] == '<')
			return shift(s, op, a, b);
		return op[1] ? a <= b : a < b;
	case '>':
		if (op[1] == '>')
			return shift(s, op, a, b);
		return op[1] ? a >= b : a > b;
	case '+': return in_range(s, a + b, "the sum");
	case '-': return in_range(s, a - b, "the difference");
	case '*':
		if (__builtin_mul_overflow(a, b, &r))
			return expr_fail(s, "the product is out of range (values are -2^63 to 2^64-1)");
		return in_range(s, r, "the product");
	case '/':
	case '%':
		if (!b)
			return expr_fail(s, "division by zero");
		/* 2^64-1 / -1 is below -2^63 */
		return op[0] == '/' ? in_range(s, a / b, "the quotient") : a % b;
	}
	return 0;
}

static val_t eval_level(struct script *s, struct mm_struct *mm, int level)
{
	val_t v;

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

static val_t eval_expr(struct script *s, struct mm_struct *mm)
{
	return eval_level(s, mm, 0);
}

/*
 * Evaluate all of @text; the mm for per-mm names is the line's.  Returns
 * 0 and *@out, or -1 after an error message.
 */
int eval_wide(struct script *s, const char *text, val_t *out)
{
	s->ep = text;
	s->eerr = false;
	*out = eval_expr(s, s->line_mm ? s->line_mm->mm : NULL);
	skip_space(s);
	if (!s->eerr && *s->ep)
		expr_fail(s, "unexpected '%s' in expression", s->ep);
	return s->eerr ? -1 : 0;
}

/* @text's value, which must lie in [@min, @max]; @what names it in the error. */
int eval_in(struct script *s, const char *text, val_t min, val_t max, const char *what,
	    val_t *out)
{
	char v[48], lo[48], hi[48];

	if (eval_wide(s, text, out))
		return -1;
	if (*out >= min && *out <= max)
		return 0;
	return serr(s, "%s %s is out of range (%s to %s)", what, format_val(*out, v, sizeof(v)),
		    format_val(min, lo, sizeof(lo)), format_val(max, hi, sizeof(hi)));
}

/* The low 64 bits of @text's value, as a register would hold it. */
int eval(struct script *s, const char *text, long *out)
{
	val_t v;

	if (eval_wide(s, text, &v))
		return -1;
	*out = (long)(unsigned long)v;
	return 0;
}

int eval_ulong(struct script *s, const char *text, unsigned long *out)
{
	val_t v;

	if (eval_wide(s, text, &v))
		return -1;
	*out = (unsigned long)v;
	return 0;
}

/*
 * A flag word: names from @table joined by ',' or '|', with or without
 * @prefix, any case; numbers, variables and (expressions) too.
 */
int parse_flags(struct script *s, const char *text, const struct name_val *table,
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
			val_t num;

			/* the C parameter is an int (a flag word may use bit 31) */
			if (eval_in(s, item, INT_MIN, UINT_MAX, what, &num))
				return -1;
			v |= (long)num;
			continue;
		}
		return serr(s, "unknown %s '%s'", what, item);
	}
	*out = v;
	return 0;
}

/* rw- / r-x / --- / rw, or names: read,write / PROT_READ|PROT_EXEC / none */
int parse_prot(struct script *s, const char *text, long *out)
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

int assign(struct script *s, const char *name, val_t v)
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

