// SPDX-License-Identifier: GPL-2.0
/*
 * reports.c - show: /proc/PID files of an address space, umm's global
 * /proc files and decoded pagemap entries, through `| grep` stages; and
 * vmas, each vm_area_struct as the kernel holds it; draw, the same state
 * as SVG pictures (fs/proc/svg.c).
 *
 * A report is rendered into a buffer with its "$ cat PATH" header line,
 * so that `expect REPORT <<TAG` compares exactly what `show` prints.
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
#include <regex.h>
#include <umm/svg.h>
#include "../exec.h"
#include "../proc_text.h"
#include "internal.h"

/* ---- reports ---- */

const char *const mm_reports[] = {
	"maps", "smaps", "smaps_rollup", "status", "stat", "statm", "pagemap", "sched",
	"schedstat", NULL
};

/* A process's files besides its mm's (binary: shown decoded). */
static const char *const task_reports[] = { "cmdline", "environ", "auxv", NULL };

static bool in_list(const char *const *list, const char *name)
{
	for (const char *const *r = list; *r; r++)
		if (!strcmp(*r, name))
			return true;
	return false;
}

static bool is_mm_report(const char *name)
{
	return in_list(mm_reports, name);
}

/* "/proc/PID/FILE" with FILE a report of a process: PID and FILE; else false. */
static bool proc_pid_report(const char *path, pid_t *pid, const char **file)
{
	char *end;
	long n;

	if (strncmp(path, "/proc/", 6) || !isdigit((unsigned char)path[6]))
		return false;
	n = strtol(path + 6, &end, 10);
	if (*end != '/' || n > INT_MAX)
		return false;
	if (!is_mm_report(end + 1) && !in_list(task_reports, end + 1))
		return false;
	*pid = (pid_t)n;
	*file = end + 1;
	return true;
}

/*
 * A process's file, as umm_task_show() gives it (status with the task's
 * lines); cmdline and environ one string a line, auxv decoded.
 */
static int show_task_file(struct script *s, struct mm_slot *slot, const char *file,
			  struct text *t, char *header, size_t hsize)
{
	struct text raw;
	ssize_t err = task_file(s, slot->pid, file, &raw);
	FILE *f;

	if (err)
		return serr(s, "/proc/%d/%s: %s", slot->pid, file, strerror((int)-err));
	if (!in_list(task_reports, file)) {
		*t = raw;
		snprintf(header, hsize, "$ cat /proc/%d/%s", slot->pid, file);
		return 0;
	}
	f = open_memstream(&t->buf, &t->len);
	if (!f) {
		free(raw.buf);
		return serr(s, "out of memory");
	}
	if (!strcmp(file, "auxv")) {
		auxv_print(f, slot->mm, (const unsigned long *)raw.buf,
			   raw.len / sizeof(unsigned long));
		snprintf(header, hsize, "$ cat /proc/%d/auxv   # decoded, as LD_SHOW_AUXV=1 "
			 "prints it", slot->pid);
	} else {
		for (size_t i = 0; i < raw.len; i++)
			fputc(raw.buf[i] ? raw.buf[i] : '\n', f);
		if (raw.len && raw.buf[raw.len - 1])
			fputc('\n', f);
		snprintf(header, hsize, "$ tr '\\0' '\\n' < /proc/%d/%s", slot->pid, file);
	}
	fclose(f);
	free(raw.buf);
	return 0;
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
	if ((size_t)snprintf(path, size, "%s%s", name[0] == '/' ? "" : "/proc/", name) >= size)
		return serr(s, "show: '%s': path too long", name);
	for (const char *const *p = umm_proc_paths(); *p; p++)
		if (!strcmp(*p, path))
			return 0;
	/* a process's directory and files; umm_proc_read() says which exist */
	if (!strncmp(path, "/proc/", 6) && isdigit((unsigned char)path[6]))
		return 0;
	/* SLUB's files; umm_proc_read() says whether this one exists */
	if (!strncmp(path, "/sys/kernel/slab", 16) && (!path[16] || path[16] == '/'))
		return 0;
	return serr(s, "show: no report '%s' (per mm: maps smaps smaps_rollup status stat "
		    "statm pagemap; global: /proc/meminfo and the others of umm cat, "
		    "/sys/kernel/slab/CACHE/ATTR)", name);
}

/*
 * show REPORT [MM] [ADDR [PAGES]]: render into @t, with the "$ cat" line
 * in @header.  @args are the words after the report name.
 */

static int render_report(struct script *s, const char *report, int argc, char **argv,
			 struct text *t, char *header, size_t hsize);

/*
 * REPORT ARGS | grep [-vicEFG] PATTERN... | grep ...: each stage keeps the
 * lines that match any of its patterns (grep -e P1 -e P2), or with -v those
 * that match none; -c leaves the count.  Patterns are extended regular
 * expressions (regcomp), -G basic ones, -F fixed strings; -i ignores case.
 */
struct grep_stage {
	bool invert, icase, count, fixed, basic, extended;
	int npats;
	char **pats;
	regex_t res[MAX_TOKENS];
	int nres;			/* compiled, to free */
};

static const char grep_flags[] = "vicEFG";

static int grep_parse(struct script *s, struct grep_stage *g, int argc, char **argv)
{
	int i;

	/*
	 * Options anywhere, as GNU grep permutes them (grep Mem -v is not a
	 * search for "-v"); a pattern that starts with '-' is quoted.  The
	 * patterns move down to argv[1...] in their order.
	 */
	g->pats = argv + 1;	/* argv[0] is "grep" */
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '>' || argv[i][0] == '<')
			return serr(s, "grep: no '%c' here: a report goes to the output only "
				    "(quote a pattern that starts with '%c')", argv[i][0], argv[i][0]);
		if (argv[i][0] != '-' || !argv[i][1]) {
			g->pats[g->npats++] = argv[i];
			continue;
		}
		for (const char *f = argv[i] + 1; *f; f++) {
			if (!strchr(grep_flags, *f))
				return serr(s, "grep: no option '-%c' here (grep takes -v -i -c -E -F -G)",
					    *f);
			g->invert |= *f == 'v';
			g->icase |= *f == 'i';
			g->count |= *f == 'c';
			if (*f == 'E' || *f == 'F' || *f == 'G') {
				g->fixed = *f == 'F';
				g->basic = *f == 'G';
				g->extended = *f == 'E';
			}
		}
	}
	if (!g->npats)
		return serr(s, "after '|' comes grep [-v -i -c -E -F -G] PATTERN... "
			    "(the lines that match a pattern)");
	for (i = 0; i < g->npats; i++) {
		size_t n = strlen(g->pats[i]);
		char msg[160];
		int err;

		if (quoted(g->pats[i])) {
			if (n < 3)
				return serr(s, "grep: an empty pattern");
			memmove(g->pats[i], g->pats[i] + 1, n - 2);
			g->pats[i][n - 2] = '\0';
		}
		if (g->fixed)
			continue;
		err = regcomp(&g->res[i], g->pats[i], REG_NOSUB | (g->basic ? 0 : REG_EXTENDED) |
			      (g->icase ? REG_ICASE : 0));
		if (err) {
			regerror(err, &g->res[i], msg, sizeof(msg));
			regfree(&g->res[i]);
			return serr(s, "grep: '%s': %s", g->pats[i], msg);
		}
		g->nres++;
	}
	return 0;
}

static bool grep_match(const struct grep_stage *g, const char *line)
{
	for (int i = 0; i < g->npats; i++) {
		bool hit;

		if (g->fixed)
			hit = g->icase ? !!strcasestr(line, g->pats[i]) : !!strstr(line, g->pats[i]);
		else
			hit = !regexec(&g->res[i], line, 0, NULL, 0);
		if (hit)
			return true;
	}
	return false;
}

/* Keep the lines of @t that the stage selects (or their count, with -c). */
static void grep_lines(struct text *t, const struct grep_stage *g)
{
	char *in = t->buf, *out = t->buf;
	unsigned long kept = 0;

	while (in < t->buf + t->len) {
		size_t n = strcspn(in, "\n");
		char save = in[n];
		bool keep;

		in[n] = '\0';
		keep = grep_match(g, in) != g->invert;
		in[n] = save;
		if (save == '\n')
			n++;
		if (keep) {
			kept++;
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	*out = '\0';
	t->len = (size_t)(out - t->buf);
	if (g->count) {
		char *count;
		int len = asprintf(&count, "%lu\n", kept);

		if (len > 0) {
			free(t->buf);
			t->buf = count;
			t->len = (size_t)len;
		}
	}
}

/* The stage as a shell would have typed it: grep -v 'kB', grep -E 'a|b'. */
static void grep_describe(const struct grep_stage *g, char *buf, size_t size)
{
	bool ere = !g->fixed && !g->basic, ere_flag;
	size_t n = (size_t)snprintf(buf, size, "grep ");

	ere_flag = ere && (g->extended || g->npats > 1);
	if (g->invert || g->icase || g->count || g->fixed || g->basic || ere_flag)
		n += (size_t)snprintf(buf + n, size - n, "-%s%s%s%s%s%s ", g->invert ? "v" : "",
				      g->icase ? "i" : "", g->count ? "c" : "",
				      ere_flag ? "E" : "", g->fixed ? "F" : "",
				      g->basic ? "G" : "");
	for (int i = 0; i < g->npats && n < size; i++) {
		if (ere)	/* one ERE: the patterns as alternatives */
			n += (size_t)snprintf(buf + n, size - n, "%s%s%s", i ? "|" : "'",
					      g->pats[i], i + 1 == g->npats ? "'" : "");
		else
			n += (size_t)snprintf(buf + n, size - n, "%s'%s'",
					      g->npats > 1 ? (i ? " -e " : "-e ") : "", g->pats[i]);
	}
}

/* Run the grep stages argv[0..argc) ("|" "grep" ... "|" "grep" ...) on @t. */
static int grep_stages(struct script *s, int argc, char **argv, struct text *t,
		       char *header, size_t hsize)
{
	char cmdline[HEADER_LEN * 2] = "", stage[HEADER_LEN];
	size_t n = 0;
	int err = 0;

	while (argc && !err) {
		struct grep_stage g = { 0 };
		int len;

		/* argv[0] is "|"; this stage runs to the next "|" */
		for (len = 1; len < argc && strcmp(argv[len], "|"); len++)
			;
		if (len == 1 || strcmp(argv[1], "grep"))
			return serr(s, "after '|' comes grep [-v -i -c -E -F -G] PATTERN... "
				    "(the lines that match a pattern)");
		err = grep_parse(s, &g, len - 1, argv + 1);
		if (!err) {
			grep_lines(t, &g);
			grep_describe(&g, stage, sizeof(stage));
			n += (size_t)snprintf(cmdline + n, sizeof(cmdline) - n, "%s%s",
					      n ? " | " : "", stage);
			n = n < sizeof(cmdline) ? n : sizeof(cmdline) - 1;
		}
		for (int i = 0; i < g.nres; i++)
			regfree(&g.res[i]);
		argc -= len;
		argv += len;
	}
	if (err)
		return -1;
	/* "$ cat PATH ..." becomes "$ grep 'P' PATH ... | grep ..." */
	if (!strncmp(header, "$ cat ", 6)) {
		char *first_bar = strstr(cmdline, " | "), line[HEADER_LEN * 5];
		char *comment = strstr(header, "   # ");	/* smaps ADDR says which VMA */

		if (first_bar)
			*first_bar = '\0';
		if (comment)
			*comment = '\0';
		snprintf(line, sizeof(line), "$ %s %s%s%s%s%s", cmdline, header + 6,
			 first_bar ? " | " : "", first_bar ? first_bar + 3 : "",
			 comment ? "   # " : "", comment ? comment + 5 : "");
		snprintf(header, hsize, "%s", line);
	}
	return 0;
}

/*
 * REPORT ARGS [| grep ...]...: the report, through the grep stages.
 */
int render(struct script *s, const char *report, int argc, char **argv,
	   struct text *t, char *header, size_t hsize)
{
	int bar;

	for (bar = 0; bar < argc && strcmp(argv[bar], "|"); bar++)
		;
	/* check the stages before the report: a bad one has no output */
	if (bar < argc && (bar + 1 == argc || strcmp(argv[bar + 1], "grep") || bar + 2 == argc))
		return serr(s, "after '|' comes grep [-v -i -c -E -F -G] PATTERN... "
			    "(the lines that match a pattern)");
	if (render_report(s, report, bar, argv, t, header, hsize))
		return -1;
	if (bar < argc && grep_stages(s, argc - bar, argv + bar, t, header, hsize)) {
		free(t->buf);
		t->buf = NULL;
		return -1;
	}
	return 0;
}

static int render_report(struct script *s, const char *report, int argc, char **argv,
			 struct text *t, char *header, size_t hsize)
{
	struct mm_slot *slot = s->line_mm, proc_slot;
	unsigned long nums[2] = { 0, 1 };
	const char *file;
	int nnums = 0;
	pid_t pid = 0;

	t->buf = NULL;
	t->len = 0;
	if (proc_pid_report(report, &pid, &file)) {
		/* /proc/PID/FILE is PID: show FILE */
		if (task_slot(s, &proc_slot, pid))
			return -1;
		slot = &proc_slot;
		report = file;
	} else if (in_list(task_reports, report)) {
		if (!slot || !slot->pid)
			return serr(s, "show %s: only a process has one (`use PID` or `PID: show "
				    "%s`)", report, report);
	} else if (!is_mm_report(report)) {
		char path[256];
		int err;

		if (argc)
			return serr(s, "show %s takes no arguments", report);
		if (global_file(s, report, path, sizeof(path)))
			return -1;
		t->buf = proc_text(path, &t->len, &err);
		if (!t->buf)
			return serr(s, "%s: %s", path, strerror(-err));
		snprintf(header, hsize, "$ cat %s", path);
		return 0;
	}
	for (int i = 0; i < argc; i++) {
		struct mm_slot *named = find_mm(s, argv[i]);

		if (named && slot == &proc_slot)
			return serr(s, "show /proc/%d/%s: the file names its process already",
				    pid, report);
		if (named) {
			slot = named;
			continue;
		}
		/* a name that is no value: meant as an address space */
		if (valid_name(argv[i]) && !is_value_name(s, argv[i])) {
			named_mm(s, argv[i]);	/* says which there are */
			return -1;
		}
		if (nnums == 2)
			return serr(s, "show %s: too many arguments", report);
		if (nnums == 1 && !strcmp(report, "pagemap")) {
			const char *what;
			val_t min, max, v;

			arg_range(ARG_PAGES, &min, &max, &what);
			if (eval_in(s, argv[i], min, max, what, &v))
				return -1;
			nums[nnums++] = (unsigned long)v;
			continue;
		}
		if (eval_ulong(s, argv[i], &nums[nnums++]))
			return -1;
	}
	if (!slot)
		return serr(s, "no address space yet (start with: mm A)");
	if (in_list(task_reports, report)) {
		if (nnums)
			return serr(s, "show %s takes no arguments", report);
		return show_task_file(s, slot, report, t, header, hsize);
	}
	if (!strcmp(report, "pagemap")) {
		if (!nnums)
			return serr(s, "usage: show pagemap ADDR [PAGES] [MM]");
		if (slot->pid && !slot->mm) {
			s->line_mm = slot;
			return need_mm(s) ? 0 : -1;	/* says why there is none */
		}
		snprintf(header, hsize, "$ pagemap /proc/%s/pagemap %#lx %lu", slot->name,
			 nums[0] & ~(PAGE_SIZE - 1), nums[1]);
		return pagemap_text(s, slot->mm, nums[0], nums[1], t);
	}
	if (nnums && strcmp(report, "smaps"))
		return serr(s, "show %s takes no address (only smaps and pagemap do)", report);
	if (nnums > 1)
		return serr(s, "usage: show smaps [MM] [ADDR]");
	if (slot->pid ? show_task_file(s, slot, report, t, header, hsize) :
	    show_mm_file(s, slot->mm, report, t))
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

int cmd_show(struct cmd_ctx *c)
{
	char header[HEADER_LEN];
	struct text t;

	if (c->argc < 2)
		return usage_error(c->s, c->cmd);
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
int cmd_vmas(struct cmd_ctx *c)
{
	struct mm_slot *slot = c->s->line_mm;
	struct vm_area_struct *vma;
	struct text t = { 0 };
	struct mm_struct *mm;
	int bar = 1;
	FILE *f;

	/* vmas [MM] [| grep ...] */
	if (c->argc > 1 && strcmp(c->argv[1], "|")) {
		if (!(slot = named_mm(c->s, c->argv[1])))
			return -1;
		bar = 2;
	}
	if (bar < c->argc && (strcmp(c->argv[bar], "|") || bar + 2 >= c->argc ||
			      strcmp(c->argv[bar + 1], "grep")))
		return bar == 2 && strcmp(c->argv[bar], "|") ? usage_error(c->s, c->cmd) :
		       serr(c->s, "after '|' comes grep [-v -i -c -E -F -G] PATTERN... "
			    "(the lines that match a pattern)");
	if (!slot)
		return serr(c->s, "no address space yet (start with: mm A)");
	c->s->line_mm = slot;
	if (!(mm = need_mm(c->s)))
		return -1;
	f = open_memstream(&t.buf, &t.len);
	if (!f)
		return serr(c->s, "out of memory");
	fprintf(f, "%-25s %-12s %-12s %-5s %s\n", "vm_start-vm_end", "vm_pgoff", "anon_vma",
		"chain", "vm_flags (file)");
	mmap_read_lock(mm);
	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma) {
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
		fprintf(f, "%-25s %-12lx %-12s %-5d ", range, vma->vm_pgoff, av, chain);
		fprint_bits(f, (long)vma->vm_flags, vm_flag_names, "NONE");
		if (vma->vm_file)
			fprintf(f, " (%s)", vma->vm_file->f_path ? vma->vm_file->f_path : "?");
		fputc('\n', f);
	}
	mmap_read_unlock(mm);
	if (fclose(f)) {
		free(t.buf);
		return serr(c->s, "out of memory");
	}
	if (bar < c->argc) {
		char stages[HEADER_LEN] = "$ cat ";

		/* the stages say what they kept: "$ vmas 3 | grep ..." */
		if (grep_stages(c->s, c->argc - bar, c->argv + bar, &t, stages, sizeof(stages))) {
			free(t.buf);
			return -1;
		}
		/* "$ grep P  | grep Q" (no file between): one space */
		for (char *sp; (sp = strstr(stages, "  | ")); )
			memmove(sp, sp + 1, strlen(sp));
		for (size_t n = strlen(stages); n && stages[n - 1] == ' '; )
			stages[--n] = '\0';
		printf("$ vmas %s | %s\n", slot->name, stages + 2);
	} else {
		printf("$ vmas %s\n", slot->name);
	}
	fwrite(t.buf, 1, t.len, stdout);
	free(t.buf);
	return 0;
}

/*
 * draw buddy | draw maps [MM] | draw walk [MM] ADDR, each optionally
 * ending in "> FILE" (bare or "quoted"; replaced if it exists): the
 * picture as SVG (include/umm/svg.h) on stdout, or into FILE with one
 * line saying what was drawn.
 */
int cmd_draw_svg(struct cmd_ctx *c)
{
	static const char usage[] = "usage: draw buddy | draw maps [MM] | draw walk [MM] ADDR, "
				    "then optionally > FILE";
	struct script *s = c->s;
	struct mm_slot *slot = s->line_mm;
	char **argv = c->argv + 2, *target = NULL, *path = NULL;
	int argc = c->argc - 2, drawn;
	const char *pic = c->argc > 1 ? c->argv[1] : "";
	bool buddy = !strcmp(pic, "buddy"), walk = !strcmp(pic, "walk"), have_addr = false;
	unsigned long addr = 0;
	FILE *f = stdout;

	if (!buddy && !walk && strcmp(pic, "maps"))
		return serr(s, "%s", usage);
	if (argc >= 1 && argv[argc - 1][0] == '>' && argv[argc - 1][1])
		target = argv[--argc] + 1;
	else if (argc >= 2 && !strcmp(argv[argc - 2], ">"))
		target = argv[(argc -= 2) + 1];
	for (int i = 0; i < argc; i++) {
		struct mm_slot *named = buddy ? NULL : find_mm(s, argv[i]);

		if (named) {
			slot = named;
		} else if (!buddy && valid_name(argv[i]) && (!walk || i + 1 < argc)) {
			/* where an address space's name goes: say which exist */
			return named_mm(s, argv[i]) ? 0 : -1;
		} else if (walk && !have_addr) {
			if (eval_ulong(s, argv[i], &addr))
				return -1;
			have_addr = true;
		} else {
			return serr(s, "draw %s: unexpected '%s' (%s)", pic, argv[i], usage);
		}
	}
	if (walk && !have_addr)
		return serr(s, "%s", usage);
	if (!buddy && !slot)
		return serr(s, "no address space yet (start with: mm A)");
	if (!buddy && !slot->mm) {
		s->line_mm = slot;
		return need_mm(s) ? 0 : -1;	/* says why there is none */
	}
	if (target) {
		path = target[0] == '"' ? quoted_text(s, target, &(size_t){ 0 }) : strdup(target);
		if (!path)
			return target[0] == '"' ? -1 : serr(s, "out of memory");
		f = fopen(path, "w");
		if (!f) {
			serr(s, "draw: %s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
	}
	fflush(stdout);
	drawn = buddy ? umm_svg_buddy(f) : walk ? umm_svg_walk(slot->mm, addr, f) :
		umm_svg_maps(slot->mm, f);
	if (f != stdout && fclose(f) && drawn >= 0)
		drawn = -errno;
	if (drawn >= 0 && path) {
		printf("draw %s", pic);
		if (!buddy)
			printf(" %s", slot->name);
		if (walk)
			printf(" %#lx", addr);
		printf(" > %s: %d %s\n", path, drawn,
		       buddy ? "pageblocks" : walk ? "levels present" : "VMAs");
	}
	free(path);
	if (drawn < 0)
		return serr(s, "draw %s: %s", pic, strerror(-drawn));
	return 0;
}
