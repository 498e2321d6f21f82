// SPDX-License-Identifier: GPL-2.0
/*
 * params.c - the boot command line (kernel/params.c, lib/cmdline.c).
 *
 * Owns: umm_cfg, the configuration the running boot was made with.
 * A command line is split as the kernel's next_arg() does (blanks separate
 * parameters; double quotes may wrap a value that holds blanks), each
 * "name=value" is looked up in one table, and every handler validates its
 * value completely: a wrong name or value is an error, never a default.
 * Later parameters override earlier ones, so $UMM_CMDLINE followed by an
 * explicit command line lets the explicit one win.
 *
 * A bad value's message names what the parameter allows.
 *
 * mem= is the machine's memory, as on Linux, rounded down to 4 MiB:
 * memory grows on demand only when the line asks for it, with
 * umm.hotplug=1 (memory_hotplug=on) or by naming a limit with
 * umm.max_mem= (umm.hotplug=0 wins over the latter).  The malloc front
 * end asks for it itself, and starts smaller (umm_parse_defaults()).  A
 * mem= that was not given follows umm.max_mem= and numa=fake= down or
 * up; one that was given and does not fit them is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "time/internal.h"

struct umm_config umm_cfg;

void umm_config_defaults(struct umm_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mem = 256UL << 20;
	cfg->max_mem = 64UL << 30;
	cfg->vmalloc_size = 32UL << 30;
	cfg->numa_fake = 1;
	cfg->min_free_kbytes = -1;
	cfg->watermark_scale_factor = 10;
	cfg->hotplug_param = -1;	/* mem= is all the memory unless asked */
	cfg->pcp = true;
	cfg->mobility_grouping = true;
	cfg->memmap_deferred = true;
	cfg->page_reporting = true;
	cfg->page_reporting_order = pageblock_order;
	cfg->page_reporting_min = 64UL << 20;
	cfg->page_reporting_delay_ms = 2000;	/* the kernel's page_reporting_delay */
	cfg->seed = 1;
	cfg->pid_max = PID_MAX_DEFAULT;
	cfg->hz = 250;		/* Debian's CONFIG_HZ */
	cfg->sim_cpus = 2;
	cfg->sched = 0;		/* eevdf, as 6.18 */
}

/* memparse(): a number with an optional K, M, G, T suffix; all of it. */
int umm_memparse(const char *s, unsigned long *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	default: break;
	}
	if (*end)
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -EINVAL;
	*out = (unsigned long)(v << shift);
	return 0;
}

static int parse_ulong(const char *s, unsigned long lo, unsigned long hi,
		       unsigned long *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = (unsigned long)v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "1") || !strcmp(s, "y") || !strcmp(s, "Y") ||
	    !strcmp(s, "on")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "n") || !strcmp(s, "N") ||
	    !strcmp(s, "off")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

/*
 * mem= is rounded down, as the kernel rounds it down to pages, but to
 * whole max-order blocks (4 MiB): boot memory is added to each node in
 * them (memory_model_init()).
 */
#define MEM_GRANULE	(MAX_ORDER_NR_PAGES << PAGE_SHIFT)
#define MEM_MIN		(16UL << 20)	/* ZONE_DMA's 16 MiB */

static int set_mem(struct umm_config *c, const char *v)
{
	unsigned long b;

	if (umm_memparse(v, &b) || b < MEM_MIN)
		return -EINVAL;
	c->mem = ALIGN_DOWN(b, MEM_GRANULE);
	c->mem_given = true;
	return 0;
}

static int set_max_mem(struct umm_config *c, const char *v)
{
	unsigned long b;

	if (umm_memparse(v, &b) || b < MEM_MIN || b > (1UL << 46))
		return -EINVAL;
	c->max_mem = b;
	c->max_mem_given = true;
	return 0;
}

static int set_vmalloc(struct umm_config *c, const char *v)
{
	unsigned long b;

	if (umm_memparse(v, &b) || b < (16UL << 20) || b > (1UL << 45))
		return -EINVAL;
	c->vmalloc_size = b;
	return 0;
}

static int set_numa(struct umm_config *c, const char *v)
{
	unsigned long n;

	if (!strcmp(v, "off")) {
		c->numa_fake = 1;
		return 0;
	}
	if (strncmp(v, "fake=", 5) || parse_ulong(v + 5, 1, MAX_NUMNODES, &n))
		return -EINVAL;
	c->numa_fake = (int)n;
	return 0;
}

static int set_min_free_kbytes(struct umm_config *c, const char *v)
{
	unsigned long n;

	if (parse_ulong(v, 0, 1UL << 30, &n))
		return -EINVAL;
	c->min_free_kbytes = (long)n;
	return 0;
}

static int set_wsf(struct umm_config *c, const char *v)
{
	unsigned long n;

	if (parse_ulong(v, 1, 3000, &n))	/* the sysctl's range */
		return -EINVAL;
	c->watermark_scale_factor = (int)n;
	return 0;
}

static int set_fail_page_alloc(struct umm_config *c, const char *v)
{
	int err = setup_fault_attr(&fail_page_alloc_attr, v);

	(void)c;
	if (!err)
		page_alloc_fast_update();	/* the fast paths' switch */
	return err;
}

static int set_fpa_min_order(struct umm_config *c, const char *v)
{
	unsigned long n;

	(void)c;
	if (parse_ulong(v, 0, MAX_PAGE_ORDER + 1, &n))
		return -EINVAL;
	fail_page_alloc_min_order = (unsigned int)n;
	return 0;
}

static int set_fpa_ignore_wait(struct umm_config *c, const char *v)
{
	(void)c;
	return parse_bool(v, &fail_page_alloc_ignore_gfp_reclaim);
}

static int set_fpa_ignore_highmem(struct umm_config *c, const char *v)
{
	(void)c;
	return parse_bool(v, &fail_page_alloc_ignore_gfp_highmem);
}

static int set_fpa_verbose(struct umm_config *c, const char *v)
{
	(void)c;
	return parse_ulong(v, 0, 2, &fail_page_alloc_attr.verbose);
}

static int set_reporting_order(struct umm_config *c, const char *v)
{
	unsigned long n;

	if (parse_ulong(v, 0, MAX_PAGE_ORDER, &n))
		return -EINVAL;
	c->page_reporting_order = (unsigned int)n;
	return 0;
}

static int set_loglevel(struct umm_config *c, const char *v)
{
	unsigned long n;

	(void)c;
	if (parse_ulong(v, 0, 8, &n))
		return -EINVAL;
	console_loglevel = (int)n;
	return 0;
}

static int set_hotplug(struct umm_config *c, const char *v)
{
	bool on;

	if (parse_bool(v, &on))
		return -EINVAL;
	c->hotplug_param = on;
	return 0;
}

static int set_pcp(struct umm_config *c, const char *v)
{
	return parse_bool(v, &c->pcp);
}

static int set_grouping(struct umm_config *c, const char *v)
{
	return parse_bool(v, &c->mobility_grouping);
}

static int set_memmap_deferred(struct umm_config *c, const char *v)
{
	return parse_bool(v, &c->memmap_deferred);
}

static int set_reporting(struct umm_config *c, const char *v)
{
	return parse_bool(v, &c->page_reporting);
}

static int set_reporting_min(struct umm_config *c, const char *v)
{
	return umm_memparse(v, &c->page_reporting_min);
}

static int set_backing(struct umm_config *c, const char *v)
{
	if (!strcmp(v, "memfd"))
		c->backing_anon = false;
	else if (!strcmp(v, "anon"))
		c->backing_anon = true;
	else
		return -EINVAL;
	return 0;
}

static int set_reporting_delay(struct umm_config *c, const char *v)
{
	return parse_ulong(v, 0, 3600000, &c->page_reporting_delay_ms);
}

static int set_reclaim_decay(struct umm_config *c, const char *v)
{
	if (parse_ulong(v, 0, RECLAIM_DECAY_MS_MAX, &c->reclaim_decay_ms))
		return -EINVAL;
	c->reclaim_decay_given = true;
	return 0;
}

static int set_seed(struct umm_config *c, const char *v)
{
	unsigned long n;

	if (parse_ulong(v, 0, ~0UL, &n))
		return -EINVAL;
	c->seed = n;
	return 0;
}

static int set_slab(struct umm_config *c, const char *name, const char *v)
{
	(void)c;
	return slab_common_param(name, v);
}

static int set_mmap(struct umm_config *c, const char *name, const char *v)
{
	(void)c;
	return mmap_param(name, v);
}

static int set_pid_max(struct umm_config *c, const char *v)
{
	return pid_max_param(v, &c->pid_max);
}

static int set_hz(struct umm_config *c, const char *v)
{
	return hz_param(v, &c->hz);
}

static int set_sim_cpus(struct umm_config *c, const char *v)
{
	return sim_cpus_param(v, &c->sim_cpus);
}

static int set_sched(struct umm_config *c, const char *v)
{
	return sched_policy_param(v, &c->sched);
}

struct kernel_param {
	const char *name;
	int (*set)(struct umm_config *cfg, const char *val);
	bool runtime;		/* may change after boot (umm_param_set) */
	int (*set_named)(struct umm_config *cfg, const char *name, const char *val);
	const char *allowed;	/* what a bad value's message offers instead */
};

#define BOOL "0 or 1 (n or y, off or on)"
#define SLUB_DEBUG "FLAGS[,CACHE...][;...], FLAGS of FZPUTAO or -"
#define FAULT "INTERVAL,PROBABILITY,SPACE,TIMES: interval 1 or more, probability 0..100, " \
	"space 0 or more, times -1 (no limit) or more"

_Static_assert(MAX_NUMNODES == 64, "numa='s message says 1..64");
_Static_assert(RECLAIM_DECAY_MS_MAX == 60000, "umm.reclaim_decay_ms's message says 0..60000");

static const struct kernel_param params[] = {
	{ "mem", set_mem, false, NULL, "a size of 16M or more, rounded down to 4M" },
	{ "numa", set_numa, false, NULL, "off, or fake=N with N 1..64" },
	{ "vmalloc", set_vmalloc, false, NULL, "a size from 16M to 32T" },
	{ "min_free_kbytes", set_min_free_kbytes, false, NULL, "0..1073741824" },
	{ "watermark_scale_factor", set_wsf, false, NULL, "1..3000" },
	{ "fail_page_alloc", set_fail_page_alloc, true, NULL, FAULT },
	{ "fail_page_alloc.min-order", set_fpa_min_order, true, NULL, "0..11" },
	{ "fail_page_alloc.ignore-gfp-wait", set_fpa_ignore_wait, true, NULL, BOOL },
	{ "fail_page_alloc.ignore-gfp-highmem", set_fpa_ignore_highmem, true, NULL, BOOL },
	{ "fail_page_alloc.verbose", set_fpa_verbose, true, NULL, "0..2" },
	{ "page_reporting.page_reporting_order", set_reporting_order, false, NULL, "0..10" },
	{ "loglevel", set_loglevel, true, NULL, "0..8" },
	{ "umm.max_mem", set_max_mem, false, NULL, "a size from 16M to 64T" },
	{ "umm.hotplug", set_hotplug, false, NULL, BOOL },
	{ "memory_hotplug", set_hotplug, false, NULL, BOOL },	/* =on/off: umm.hotplug */
	{ "umm.pcp", set_pcp, false, NULL, BOOL },
	{ "umm.mobility_grouping", set_grouping, false, NULL, BOOL },
	{ "umm.memmap_deferred", set_memmap_deferred, false, NULL, BOOL },
	{ "umm.page_reporting", set_reporting, false, NULL, BOOL },
	{ "umm.page_reporting_min", set_reporting_min, false, NULL, "a size (K, M, G, T)" },
	{ "umm.page_reporting_delay_ms", set_reporting_delay, false, NULL, "0..3600000" },
	{ "umm.reclaim_decay_ms", set_reclaim_decay, false, NULL, "0..60000" },
	{ "umm.seed", set_seed, false, NULL, "a number 0..18446744073709551615" },
	{ "umm.backing", set_backing, false, NULL, "memfd or anon" },
	{ "slab_nomerge", NULL, false, set_slab, "no value" },
	{ "slub_nomerge", NULL, false, set_slab, "no value" },
	{ "slab_merge", NULL, false, set_slab, "no value" },
	{ "slub_debug", NULL, false, set_slab, SLUB_DEBUG },
	{ "slab_debug", NULL, false, set_slab, SLUB_DEBUG },
	{ "umm.slab", NULL, false, set_slab, "slab or slub" },
	{ "slab_max_order", NULL, false, set_slab, "0..10" },
	{ "umm.slab_stats", NULL, false, set_slab, BOOL },
	{ "umm.slab_freelist_hardened", NULL, false, set_slab, BOOL },
	{ "umm.slab_freelist_random", NULL, false, set_slab, BOOL },
	{ "umm.malloc_free_check", NULL, false, set_slab, "0, double, pointer or 1" },
	{ "failslab", NULL, true, set_slab, FAULT },
	{ "failslab.ignore-gfp-wait", NULL, true, set_slab, BOOL },
	{ "failslab.verbose", NULL, true, set_slab, "0..2" },
	{ "failslab.cache-filter", NULL, true, set_slab, BOOL },
	{ "slub_min_order", NULL, false, set_slab, "0..10" },
	{ "slub_max_order", NULL, false, set_slab, "0..10" },
	{ "slub_min_objects", NULL, false, set_slab, "0..32767" },
	{ "stack_guard_gap", NULL, false, set_mmap, "a number of pages" },
	{ "umm.mmap_min_addr", NULL, true, set_mmap, "a size below 128T" },
	{ "umm.max_map_count", NULL, true, set_mmap, "0..2147483647" },
	{ "umm.legacy_va_layout", NULL, true, set_mmap, "0 or 1" },
	{ "umm.vma_tree", NULL, true, set_mmap, "maple or rbtree" },
	{ "umm.aslr_seed", NULL, false, set_mmap, "a number (0: off)" },
	{ "pid_max", set_pid_max, false, NULL, "301..4194304" },
	{ "umm.hz", set_hz, false, NULL, "100, 250, 300 or 1000" },
	{ "umm.sim_cpus", set_sim_cpus, false, NULL, "1..64" },
	{ "umm.sched", set_sched, false, NULL, "eevdf or cfs" },
};

/* Split off the next parameter as next_arg() does; NUL-terminates it. */
static char *next_arg(char *args, char **param, char **val)
{
	bool in_quote = false;
	char *equals = NULL, *p = args;

	if (*p == '"') {
		p++;
		args++;
		in_quote = true;
	}
	for (; *p; p++) {
		if ((*p == ' ' || *p == '\t' || *p == '\n') && !in_quote)
			break;
		if (!equals && *p == '=')
			equals = p;
		if (*p == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		*equals = '\0';
		*val = equals + 1;
		if (**val == '"') {
			(*val)++;
			char *q = strchr(*val, '"');
			if (q && q < p)
				*q = '\0';
		}
	}
	if (p > args && p[-1] == '"')
		p[-1] = '\0';
	if (*p)
		*p++ = '\0';
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

static int bad_value(const struct kernel_param *p, const char *val)
{
	pr_err("umm: bad value for boot parameter '%s': '%s' (allowed: %s)\n",
	       p->name, val ? val : "(none)", p->allowed);
	return -EINVAL;
}

static int apply_param(struct umm_config *cfg, const char *name,
		       const char *val, bool runtime)
{
	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		const struct kernel_param *p = &params[i];

		if (strcmp(p->name, name))
			continue;
		if (runtime && !p->runtime) {
			pr_err("umm: parameter '%s' can only be set at boot\n", name);
			return -EPERM;
		}
		if (p->set_named ? p->set_named(cfg, name, val) : !val || p->set(cfg, val))
			return bad_value(p, val);
		return 0;
	}
	pr_err("umm: unknown boot parameter '%s'\n", name);
	return -EINVAL;
}

int umm_parse_cmdline(struct umm_config *cfg, const char *cmdline)
{
	char buf[1024];
	char *args = buf, *param, *val;

	if (!cmdline)
		return 0;
	if (strlen(cmdline) >= sizeof(buf)) {
		pr_err("umm: command line longer than %zu bytes\n", sizeof(buf) - 1);
		return -EINVAL;
	}
	strcpy(buf, cmdline);
	while (*args == ' ' || *args == '\t' || *args == '\n')
		args++;
	while (*args) {
		int err;

		args = next_arg(args, &param, &val);
		err = apply_param(cfg, param, val, false);
		if (err)
			return err;
	}
	/* Recomputed from what was given, so a second line can still ask. */
	cfg->hotplug = cfg->hotplug_param >= 0 ? cfg->hotplug_param : cfg->max_mem_given;
	return 0;
}

/*
 * A front end's own defaults (libumm-malloc.so's smaller start), read
 * before $UMM_CMDLINE: a mem= there is a default, which umm.max_mem=
 * may lower, not a request.
 */
int umm_parse_defaults(struct umm_config *cfg, const char *defaults)
{
	int err = umm_parse_cmdline(cfg, defaults);

	cfg->mem_given = false;
	return err;
}

/* A size as a person writes it: "100M", or bytes when no suffix is exact. */
static const char *size_str(char *buf, size_t len, unsigned long bytes)
{
	/* (a "%.*s" of &"KMGT"[i] here crashed gcc 12's -O0 printf checks) */
	static const char *const suffix[] = { "", "K", "M", "G", "T" };
	int i = 0;

	while (i < 4 && bytes && !(bytes & 1023)) {
		bytes >>= 10;
		i++;
	}
	snprintf(buf, len, "%lu%s", bytes, suffix[i]);
	return buf;
}

/*
 * What the lines say together (defaults, $UMM_CMDLINE, then the explicit
 * line), settled once all are read: a mem= nobody gave follows the
 * others (at least 4M for each numa=fake= node, at most umm.max_mem=),
 * a mem= given must fit them.
 */
int umm_config_finish(struct umm_config *cfg)
{
	unsigned long node_min = (unsigned long)cfg->numa_fake * MEM_GRANULE;
	char a[32], b[32];

	if (!cfg->mem_given)
		cfg->mem = min(max(cfg->mem, node_min), ALIGN_DOWN(cfg->max_mem, MEM_GRANULE));
	if (cfg->mem > cfg->max_mem) {
		pr_err("umm: mem=%s is larger than umm.max_mem=%s\n",
		       size_str(a, sizeof(a), cfg->mem), size_str(b, sizeof(b), cfg->max_mem));
		return -EINVAL;
	}
	if (cfg->mem < node_min && cfg->mem_given) {
		pr_err("umm: numa=fake=%d needs mem= of at least %s (4M a node), not %s\n",
		       cfg->numa_fake, size_str(a, sizeof(a), node_min),
		       size_str(b, sizeof(b), cfg->mem));
		return -EINVAL;
	}
	if (cfg->mem < node_min) {	/* the default mem= was held down by the cap */
		pr_err("umm: numa=fake=%d needs at least %s (4M a node), more than umm.max_mem=%s\n",
		       cfg->numa_fake, size_str(a, sizeof(a), node_min),
		       size_str(b, sizeof(b), cfg->max_mem));
		return -EINVAL;
	}
	/* The worker starts where the fork gate runs (mm/vmstat.c's head comment). */
	if (!cfg->reclaim_decay_given)
		cfg->reclaim_decay_ms = cfg->backing_anon ? RECLAIM_DECAY_MS_DEFAULT : 0;
	else if (cfg->reclaim_decay_ms && !cfg->backing_anon) {
		pr_err("umm: umm.reclaim_decay_ms=%lu needs umm.backing=anon (0 turns the worker off)\n",
		       cfg->reclaim_decay_ms);
		return -EINVAL;
	}
	return 0;
}

int umm_param_set(const char *param)
{
	char buf[256];
	char *eq;

	if (!param || strlen(param) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, param);
	eq = strchr(buf, '=');
	if (eq)
		*eq++ = '\0';
	return apply_param(&umm_cfg, buf, eq, true);
}

const char *umm_cmdline(void)
{
	return umm_cfg.cmdline;
}
