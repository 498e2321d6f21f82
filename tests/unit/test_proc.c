// SPDX-License-Identifier: GPL-2.0
/*
 * test_proc.c - umm's /proc files against the running kernel's.
 *
 * The kernel on the machine is the oracle for formats.  Values differ,
 * so lines are compared by layout: every line is cut into tokens
 * (maximal runs of non-blanks); a word must sit at the same columns in
 * both, a number must end (right-aligned) or start (left-aligned) at the
 * same column.  Lines are paired by their words (labels), so the test
 * works whatever zones and nodes the host has.
 *
 * Known version differences (written down here, as the tester must know
 * them): zoneinfo's protection array has one entry per zone type, and
 * umm has no ZONE_DEVICE, so only its first four entries are compared;
 * umm prints a subset of zoneinfo's per-node stats; meminfo lines that
 * the host kernel lacks (older kernels) are reported, not failed, while
 * every line both have must match in layout and relative order.
 * Files the host does not let us read (non-root) are skipped with a note.
 *
 * The per-mm files (umm_mm_show(): smaps, smaps_rollup, status, stat,
 * statm) are compared with this process's own: an isolated VMA in both
 * (PROT_NONE pages around it) gives smaps blocks whose labels must be
 * the same in the same order; status lines must all exist on the host in
 * its order; stat has 52 fields and statm 7.  VmFlags is left out of the
 * layout comparison: umm prints "sd" (CONFIG_MEM_SOFT_DIRTY=y), which a
 * host without soft-dirty does not.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include "tests/test.h"
#include "mm/internal.h"
#include <umm/vmalloc.h>

#define BUFSZ (1 << 20)

static char *read_host(const char *path)
{
	char *buf = calloc(1, BUFSZ);
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while ((n = read(fd, buf + len, BUFSZ - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *read_umm(const char *path)
{
	char *buf = calloc(1, BUFSZ);
	ssize_t n = umm_proc_read(path, buf, BUFSZ);

	if (n < 0 || n >= BUFSZ) {
		free(buf);
		return NULL;
	}
	return buf;
}

struct token {
	int start, end;
	bool number;
	char text[48];
};

static bool is_number(const char *s, int len)
{
	int i = 0;

	if (len > 2 && s[0] == '0' && s[1] == 'x')
		return true;
	if (s[0] == '>' || s[0] == '(' || s[0] == '-')
		i = 1;
	for (; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != ',' && s[i] != ')')
			return false;
	return i > 0;
}

static int tokenize(const char *line, int len, struct token *t, int max)
{
	int n = 0;

	for (int i = 0; i < len && n < max;) {
		int s;

		if (line[i] == ' ') {
			i++;
			continue;
		}
		s = i;
		while (i < len && line[i] != ' ')
			i++;
		t[n].start = s;
		t[n].end = i;
		t[n].number = is_number(line + s, i - s);
		snprintf(t[n].text, sizeof(t[n].text), "%.*s", i - s, line + s);
		n++;
	}
	return n;
}

/* The words of a line, numbers blanked: the key that pairs lines. */
static void line_key(const char *line, int len, char *key, size_t size)
{
	struct token t[64];
	int n = tokenize(line, len, t, 64);
	size_t k = 0;

	key[0] = '\0';
	for (int i = 0; i < n && k + 1 < size; i++) {
		const char *w = t[i].number ? "#" : t[i].text;
		k += (size_t)snprintf(key + k, size - k, "%s ", w);
		if (k >= size)
			break;
	}
}

/*
 * A right-aligned field ("%8lu") grows to the left when the number is
 * wider than the field: the wide one then starts where the field starts
 * and ends after the narrow one.
 */
static bool number_overflows(const struct token *wide, const struct token *narrow)
{
	return wide->end > narrow->end && wide->start <= narrow->start;
}

/* Compare two lines' layouts over their first @max tokens. */
static bool same_layout(const char *a, int alen, const char *b, int blen, int max,
			char *why, size_t whysize)
{
	struct token ta[64], tb[64];
	int na = tokenize(a, alen, ta, 64), nb = tokenize(b, blen, tb, 64);

	if (max < 0 && na != nb) {
		snprintf(why, whysize, "%d tokens vs %d", na, nb);
		return false;
	}
	if (max < 0)
		max = na;
	if (na < max || nb < max) {
		snprintf(why, whysize, "fewer than %d tokens", max);
		return false;
	}
	/* shift: how far a wide number pushed the rest of line a right. */
	int shift = 0;
	for (int i = 0; i < max; i++) {
		if (ta[i].number != tb[i].number) {
			snprintf(why, whysize, "token %d: '%s' vs '%s'", i, ta[i].text, tb[i].text);
			return false;
		}
		if (!ta[i].number) {
			if (strcmp(ta[i].text, tb[i].text) || ta[i].start - tb[i].start != shift) {
				snprintf(why, whysize, "word %d: '%s'@%d vs '%s'@%d", i, ta[i].text,
					 ta[i].start, tb[i].text, tb[i].start);
				return false;
			}
			continue;
		}
		if (ta[i].end - tb[i].end == shift)
			continue;		/* right-aligned */
		if (ta[i].start - tb[i].start == shift ||	/* left-aligned */
		    number_overflows(&ta[i], &tb[i]) || number_overflows(&tb[i], &ta[i])) {
			shift = ta[i].end - tb[i].end;
			continue;
		}
		snprintf(why, whysize, "number %d: cols %d-%d vs %d-%d", i, ta[i].start,
			 ta[i].end, tb[i].start, tb[i].end);
		return false;
	}
	/* Trailing blanks are part of the format (buddyinfo ends in one). */
	if (na && nb && max == na && max == nb && (alen - ta[na - 1].end) != (blen - tb[nb - 1].end)) {
		snprintf(why, whysize, "trailing blanks %d vs %d", alen - ta[na - 1].end,
			 blen - tb[nb - 1].end);
		return false;
	}
	return true;
}

/*
 * For every umm line, find the host line with the same key and compare
 * layouts.  Returns the number of umm lines that found a partner.
 */
static int compare_files(const char *path, const char *ours, const char *host,
			 int (*max_tokens)(const char *key), bool must_pair)
{
	int paired = 0;

	for (const char *l = ours; *l;) {
		int len = (int)strcspn(l, "\n");
		char key[512], hkey[512], why[128];
		const char *best = NULL;
		int blen = 0;

		line_key(l, len, key, sizeof(key));
		for (const char *h = host; *h;) {
			int hl = (int)strcspn(h, "\n");

			line_key(h, hl, hkey, sizeof(hkey));
			if (!strcmp(key, hkey) ||
			    (max_tokens && max_tokens(key) > 0 &&
			     !strncmp(key, hkey, strcspn(key, "#")))) {
				best = h;
				blen = hl;
				break;
			}
			h += hl + (h[hl] == '\n');
		}
		if (best) {
			int max = max_tokens ? max_tokens(key) : -1;

			paired++;
			if (!same_layout(l, len, best, blen, max, why, sizeof(why))) {
				fprintf(stderr, "%s: layout differs (%s)\n  umm:  '%.*s'\n  host: '%.*s'\n",
					path, why, len, l, blen, best);
				EXPECT(0);
			}
		} else if (must_pair && len) {
			fprintf(stderr, "%s: no host line like '%.*s'\n", path, len, l);
			EXPECT(0);
		}
		l += len + (l[len] == '\n');
	}
	return paired;
}

static void boot(const char *cmdline)
{
	umm_shutdown();
	ASSERT_EQ(umm_boot(cmdline), 0);
}

TEST(test_buddyinfo_exact_and_host_layout)
{
	char *ours, *host;

	boot("mem=64M numa=fake=2 umm.pcp=0");
	ours = read_umm("/proc/buddyinfo");
	ASSERT(ours);
	/* One line per populated zone, and the counts are the free lists'. */
	unsigned long pages = 0, nlines = 0;
	for (const char *l = ours; *l; l += strcspn(l, "\n") + 1, nlines++) {
		int nid, off;
		char zname[16];
		unsigned long cnt;

		ASSERT(sscanf(l, "Node %d, zone %15s%n", &nid, zname, &off) == 2);
		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			int used;
			ASSERT(sscanf(l + off, "%lu%n", &cnt, &used) == 1);
			off += used;
			pages += cnt << o;
		}
		EXPECT_STREQ(l + off, l[off] == ' ' ? l + off : " ");
	}
	EXPECT_EQ(nlines, 3);
	EXPECT_EQ(pages, nr_free_pages());
	EXPECT(!strncmp(ours, "Node 0, zone      DMA      0      0      0      0      0      0"
			"      0      0      0      0      4 \nNode 0, zone    DMA32 ", 94));
	EXPECT(strstr(ours, "\nNode 1, zone    DMA32 "));
	host = read_host("/proc/buddyinfo");
	ASSERT(host);
	/* Zone names differ by host; pair by "Node # , zone" and compare all. */
	for (const char *l = ours; *l;) {
		int len = (int)strcspn(l, "\n");
		const char *h = strstr(host, "zone    DMA32");
		char why[128];

		if (strstr(l, "zone      DMA ")) {
			const char *d = strstr(host, "zone      DMA ");
			h = d ? d : h;
		}
		ASSERT(h);
		while (h > host && h[-1] != '\n')
			h--;
		EXPECT(same_layout(l, len, h, (int)strcspn(h, "\n"), -1, why, sizeof(why)));
		l += len + 1;
	}
	free(ours);
	free(host);
	umm_shutdown();
}

static int zoneinfo_max_tokens(const char *key)
{
	/*
	 * "protection: (0, 3019, ...)": inline numbers, one per zone type,
	 * and umm has no ZONE_DEVICE: compare the label and the first one.
	 */
	return strncmp(key, "protection: ", 12) ? -1 : 2;
}

TEST(test_zoneinfo_layout)
{
	char *ours, *host;
	int paired;

	boot("mem=256M");
	ours = read_umm("/proc/zoneinfo");
	host = read_host("/proc/zoneinfo");
	ASSERT(ours);
	if (!host) {
		fprintf(stderr, "SKIP: /proc/zoneinfo unreadable on this host\n");
		free(ours);
		return;
	}
	paired = compare_files("zoneinfo", ours, host, zoneinfo_max_tokens, false);
	EXPECT(paired > 30);
	/* Our values: watermarks and the pcp high/batch formulas. */
	EXPECT(strstr(ours, "Node 0, zone    DMA32\n  pages free     "));
	EXPECT(strstr(ours, "\n        spanned  61440\n        present  61440\n        managed  61440"));
	EXPECT(strstr(ours, "\n              batch:    15\n"));
	EXPECT(strstr(ours, "Node 0, zone  Movable\n  pages free     0\n"));
	free(ours);
	free(host);
	umm_shutdown();
}

static int meminfo_pos(const char *text, const char *label)
{
	const char *p = text;
	size_t n = strlen(label);

	for (int line = 0; *p; line++) {
		if (!strncmp(p, label, n) && p[n] == ':')
			return line;
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	return -1;
}

/*
 * @ours' labels (up to ':') appear in @host in the same order.  With
 * @missing, a label the host lacks (an older kernel) is noted and
 * counted there; without, it fails.  Returns the number both have.
 */
static int labels_in_host_order(const char *what, const char *ours, const char *host,
				int *missing)
{
	int last = -1, common = 0;

	for (const char *l = ours; *l;) {
		int len = (int)strcspn(l, "\n");
		char label[64];
		int hp;

		snprintf(label, sizeof(label), "%.*s", (int)strcspn(l, ":"), l);
		hp = meminfo_pos(host, label);
		l += len + (l[len] == '\n');
		if (hp < 0 && missing) {
			fprintf(stderr, "  note: host kernel has no '%s' line\n", label);
			(*missing)++;
			continue;
		}
		if (hp <= last)
			fprintf(stderr, "%s: '%s' missing or out of order on the host\n", what,
				label);
		EXPECT(hp > last);
		last = hp;
		common++;
	}
	return common;
}

TEST(test_meminfo_layout_and_values)
{
	char *ours, *host;
	int missing = 0, common;

	boot("mem=128M");
	ours = read_umm("/proc/meminfo");
	host = read_host("/proc/meminfo");
	ASSERT(ours && host);
	EXPECT(strstr(ours, "MemTotal:         131072 kB\n"));
	EXPECT(strstr(ours, "HugePages_Total:       0\n"));
	EXPECT(!strncmp(ours, "MemTotal:", 9));
	compare_files("meminfo", ours, host, NULL, false);
	/* Same order as the host for every label both have. */
	common = labels_in_host_order("meminfo", ours, host, &missing);
	EXPECT(common >= 40);
	/* And the host has nothing we forgot, for kernels as new as ours. */
	for (const char *h = host; *h;) {
		int len = (int)strcspn(h, "\n");
		char label[64];

		snprintf(label, sizeof(label), "%.*s", (int)strcspn(h, ":"), h);
		if (meminfo_pos(ours, label) < 0)
			fprintf(stderr, "  note: umm prints no '%s' line (host config)\n", label);
		h += len + (h[len] == '\n');
	}
	free(ours);
	free(host);
	umm_shutdown();
}

TEST(test_pagetypeinfo_layout)
{
	char *ours, *host;

	boot("mem=64M");
	ours = read_umm("/proc/pagetypeinfo");
	ASSERT(ours);
	EXPECT(!strncmp(ours, "Page block order: 9\nPages per block:  512\n\n"
			"Free pages count per migrate type at order       0      1      2      3"
			"      4      5      6      7      8      9     10 \n", 150));
	EXPECT(strstr(ours, "\nNumber of blocks type     Unmovable      Movable  Reclaimable"
			"   HighAtomic      Isolate \n"));
	EXPECT(strstr(ours, "Node    0, zone      DMA, type      Movable      0      0      0"
			"      0      0      0      0      0      0      0      4 \n"));
	EXPECT(strstr(ours, "\nNode 0, zone      DMA            0            8            0"
			"            0            0 \n"));
	host = read_host("/proc/pagetypeinfo");
	if (!host) {
		fprintf(stderr, "SKIP: /proc/pagetypeinfo unreadable (not root)\n");
	} else {
		EXPECT(compare_files("pagetypeinfo", ours, host, NULL, false) >= 8);
		/* The two header lines are constant: byte for byte. */
		const char *hh = strstr(host, "Free pages count");
		const char *oh = strstr(ours, "Free pages count");
		ASSERT(hh && oh);
		EXPECT(!strncmp(hh, oh, strcspn(oh, "\n") + 1));
		hh = strstr(host, "Number of blocks type");
		oh = strstr(ours, "Number of blocks type");
		ASSERT(hh && oh);
		size_t n = strcspn(oh, "\n");
		/* Hosts with CMA have one more column; compare ours as a prefix. */
		EXPECT(!strncmp(hh, oh, n));
		free(host);
	}
	free(ours);
	umm_shutdown();
}

TEST(test_vmallocinfo_layout)
{
	char *ours, *host;
	void *v;

	boot("mem=64M");
	v = vmalloc(5 * PAGE_SIZE);
	ASSERT(v);
	ours = read_umm("/proc/vmallocinfo");
	ASSERT(ours);
	EXPECT(strstr(ours, "   24576 test_vmallocinfo_layout+0x"));
	EXPECT(strstr(ours, " pages=5 vmalloc N0=5\n"));
	host = read_host("/proc/vmallocinfo");
	if (!host) {
		fprintf(stderr, "SKIP: /proc/vmallocinfo unreadable (not root)\n");
	} else {
		const char *h = strstr(host, " pages=");
		const char *o = strstr(ours, " pages=5");
		char why[128];

		ASSERT(h && o);
		while (h > host && h[-1] != '\n')
			h--;
		while (o > ours && o[-1] != '\n')
			o--;
		/* address range and size: the first two tokens */
		EXPECT(same_layout(o, (int)strcspn(o, "\n"), h, (int)strcspn(h, "\n"), 2, why,
				   sizeof(why)));
		free(host);
	}
	vfree(v);
	free(ours);
	umm_shutdown();
}

/* ---- /proc/PID/{smaps,smaps_rollup,status,stat,statm} of an mm ---- */

#define P 4096UL

static char *read_mm(struct mm_struct *mm, const char *file)
{
	char *buf = calloc(1, BUFSZ);
	ssize_t n = umm_mm_show(mm, file, buf, BUFSZ);

	if (n < 0 || n >= BUFSZ) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The smaps lines of the VMA starting at @start, from its header on. */
static char *smaps_block(const char *smaps, unsigned long start)
{
	char hdr[32];
	const char *p = smaps, *end;

	snprintf(hdr, sizeof(hdr), "%08lx-", start);
	while (*p && strncmp(p, hdr, strlen(hdr))) {
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	if (!*p)
		return NULL;
	end = strstr(p, "\nVmFlags:");
	if (!end)
		return NULL;
	end = strchr(end + 1, '\n');
	return strndup(p, (size_t)(end - p + 1));
}

/* Every line's label (up to ':'), one line per label, in order. */
static void labels(const char *text, char *out, size_t size)
{
	size_t k = 0;

	out[0] = '\0';
	for (const char *l = text; *l && k + 1 < size;) {
		int len = (int)strcspn(l, "\n");
		int lab = (int)strcspn(l, ":\n");

		if (isxdigit((unsigned char)l[0]) && l[strspn(l, "0123456789abcdef")] == '-')
			lab = 0;	/* a VMA header */
		k += (size_t)snprintf(out + k, size - k, "%.*s\n", lab < len ? lab : 0, l);
		l += len + (l[len] == '\n');
	}
}


/*
 * An isolated private anonymous VMA of 3 pages (PROT_NONE pages on both
 * sides keep it from merging) in the host process and in @mm; returns
 * their starts.
 */
static void isolated_vma(struct mm_struct *mm, unsigned long *host, unsigned long *ours)
{
	char *h = mmap(NULL, 5 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long u = umm_mmap(mm, 0, 5 * P, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT(h != MAP_FAILED && u > 0);
	ASSERT_EQ(mprotect(h + P, 3 * P, PROT_READ | PROT_WRITE), 0);
	ASSERT_EQ(umm_mprotect(mm, (unsigned long)u + P, 3 * P, PROT_READ | PROT_WRITE), 0);
	*host = (unsigned long)h + P;
	*ours = (unsigned long)u + P;
}

/* Boot, an mm and the host with an isolated VMA each, and both versions of @file. */
static struct mm_struct *mm_file(const char *file, char **ours, char **host,
				 unsigned long *h, unsigned long *u)
{
	struct mm_struct *mm;
	char path[64];

	boot("mem=64M");
	mm = umm_mm_create();
	ASSERT(mm);
	isolated_vma(mm, h, u);
	snprintf(path, sizeof(path), "/proc/self/%s", file);
	*ours = read_mm(mm, file);
	*host = read_host(path);
	ASSERT(*ours && *host);
	return mm;
}

static void mm_file_done(struct mm_struct *mm, char *ours, char *host)
{
	free(ours);
	free(host);
	umm_mm_destroy(mm);
	umm_shutdown();
}

TEST(test_smaps_layout)
{
	char *ours, *host, *ob, *hb, ol[2048], hl[2048];
	unsigned long h, u;
	struct mm_struct *mm;

	mm = mm_file("smaps", &ours, &host, &h, &u);
	ob = smaps_block(ours, u);
	hb = smaps_block(host, h);
	ASSERT(ob && hb);
	EXPECT(strstr(ob, "\nVmFlags: rd wr mr mw me ac sd \n"));
	/* The same fields in the same order (no ProtectionKey: x86 without pkeys). */
	labels(ob, ol, sizeof(ol));
	labels(hb, hl, sizeof(hl));
	EXPECT_STREQ(ol, hl);
	/*
	 * Same columns: every field line, the header aside (test_mmap checks
	 * it) and VmFlags (umm is CONFIG_MEM_SOFT_DIRTY=y: "sd", which a host
	 * without it lacks).
	 */
	*strstr(ob, "VmFlags:") = '\0';
	*strstr(hb, "VmFlags:") = '\0';
	EXPECT_EQ(compare_files("smaps", strchr(ob, '\n') + 1, strchr(hb, '\n') + 1, NULL,
				true), 23);
	EXPECT(strstr(ob, "\nSize:                 12 kB\nKernelPageSize:        4 kB\n"
			  "MMUPageSize:           4 kB\nRss:                   0 kB\n"));
	EXPECT(strstr(ob, "\nPrivate_Hugetlb:       0 kB\n"));
	EXPECT(strstr(ob, "\nTHPeligible:           0\n"));
	free(ob);
	free(hb);
	mm_file_done(mm, ours, host);
}

TEST(test_smaps_rollup_layout)
{
	char *ours, *host, ol[2048], hl[2048];
	unsigned long h, u;
	struct mm_struct *mm;
	char expect[128];

	mm = mm_file("smaps_rollup", &ours, &host, &h, &u);
	snprintf(expect, sizeof(expect), "%08lx-%08lx ---p 00000000 00:00 0 ", u - P,
		 u + 4 * P);
	EXPECT(!strncmp(ours, expect, strlen(expect)));
	/* "[rollup]" in the 74th column, as the host's */
	EXPECT_EQ(strstr(ours, "[rollup]") - ours, strstr(host, "[rollup]") - host);
	labels(ours, ol, sizeof(ol));
	labels(host, hl, sizeof(hl));
	EXPECT_STREQ(ol, hl);
	EXPECT_EQ(compare_files("smaps_rollup", strchr(ours, '\n') + 1,
				strchr(host, '\n') + 1, NULL, true), 22);
	EXPECT(strstr(ours, "\nPss_Anon:              0 kB\nPss_File:              0 kB\n"
			    "Pss_Shmem:             0 kB\n"));
	free(ours);
	/* no VMA: the range is 0-0 */
	umm_munmap(mm, u - P, 5 * P);
	ours = read_mm(mm, "smaps_rollup");
	ASSERT(ours);
	EXPECT(!strncmp(ours, "00000000-00000000 ---p 00000000 00:00 0", 39));
	mm_file_done(mm, ours, host);
}

TEST(test_status_layout)
{
	char *ours, *host, line[64];
	unsigned long h, u;
	struct mm_struct *mm;

	mm = mm_file("status", &ours, &host, &h, &u);
	/* every line the host has too, in its order; the memory lines laid out as its */
	EXPECT(labels_in_host_order("status", ours, host, NULL) >= 30);
	EXPECT(compare_files("status", ours, host, NULL, false) >= 16);
	snprintf(line, sizeof(line), "\nVmSize:\t%8lu kB\n", mm->total_vm * 4);
	EXPECT(strstr(ours, line));
	EXPECT(strstr(ours, "\nVmRSS:\t       0 kB\nRssAnon:\t       0 kB\n"));
	EXPECT(strstr(ours, "\nHugetlbPages:\t       0 kB\n"));
	EXPECT(!strncmp(ours, "Name:\tumm\nState:\tR (running)\n", 28));
	mm_file_done(mm, ours, host);
}

/* The @n-th (from 1) field of a stat line, after the ")" of comm. */
static unsigned long long stat_field(const char *stat, int n)
{
	const char *p = strrchr(stat, ')');

	for (int f = 2; p && f < n; f++)
		p = strchr(p + 1, ' ');
	return p ? strtoull(p + 1, NULL, 10) : ~0ULL;
}

static int count_fields(const char *s)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && *p != '\n' && (p == s || p[-1] == ' '))
			n++;
	return n;
}

TEST(test_stat_statm)
{
	char *ours, *host, expect[128];
	unsigned long h, u;
	struct mm_struct *mm;

	mm = mm_file("stat", &ours, &host, &h, &u);
	free(ours);
	mm->start_brk = 0x600000;
	mm->arg_start = 0x7fff0000;
	ours = read_mm(mm, "stat");
	ASSERT(ours);
	/* 52 fields, as the host's (whose comm has no blank either) */
	EXPECT_EQ(count_fields(ours), 52);
	EXPECT_EQ(count_fields(host), 52);
	EXPECT_EQ(ours[strlen(ours) - 1], '\n');
	EXPECT_EQ(stat_field(ours, 23), mm->total_vm * P);	/* vsize */
	EXPECT_EQ(stat_field(ours, 24), 0);			/* rss */
	EXPECT(strstr(ours, " 0 18446744073709551615 "));	/* rss, rsslim */
	EXPECT_EQ(stat_field(ours, 47), 0x600000);		/* start_brk */
	EXPECT_EQ(stat_field(ours, 48), 0x7fff0000);		/* arg_start */
	EXPECT_EQ(stat_field(ours, 52), 0);
	free(ours);
	free(host);
	ours = read_mm(mm, "statm");
	host = read_host("/proc/self/statm");
	ASSERT(ours && host);
	EXPECT_EQ(count_fields(ours), 7);
	EXPECT_EQ(count_fields(host), 7);
	snprintf(expect, sizeof(expect), "%lu 0 0 0 0 %lu 0\n", mm->total_vm,
		 mm->data_vm + mm->stack_vm);
	EXPECT_STREQ(ours, expect);
	mm_file_done(mm, ours, host);
}

TEST(test_proc_read_semantics)
{
	char small[16];
	ssize_t full, n;

	boot("mem=64M");
	full = umm_proc_read("/proc/meminfo", NULL, 0);
	EXPECT(full > 1000);
	/* snprintf semantics: full length returned, output truncated + NUL. */
	n = umm_proc_read("/proc/meminfo", small, sizeof(small));
	EXPECT_EQ(n, full);
	EXPECT_EQ(strlen(small), sizeof(small) - 1);
	EXPECT(!strncmp(small, "MemTotal:      ", 15));
	EXPECT_EQ(umm_proc_read("/proc/nope", small, sizeof(small)), -ENOENT);
	EXPECT_EQ(umm_proc_read(NULL, small, sizeof(small)), -EINVAL);
	/* Right after boot no vmalloc area exists yet. */
	for (const char *const *p = umm_proc_paths(); *p; p++)
		EXPECT(umm_proc_read(*p, NULL, 0) > 0 || !strcmp(*p, "/proc/vmallocinfo"));
	umm_shutdown();
}

int main(void)
{
	RUN(test_buddyinfo_exact_and_host_layout);
	RUN(test_zoneinfo_layout);
	RUN(test_meminfo_layout_and_values);
	RUN(test_pagetypeinfo_layout);
	RUN(test_vmallocinfo_layout);
	RUN(test_proc_read_semantics);
	RUN(test_smaps_layout);
	RUN(test_smaps_rollup_layout);
	RUN(test_status_layout);
	RUN(test_stat_statm);
	TEST_EXIT();
}
