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
 * mem= is the machine's memory, as on Linux: memory grows on demand only
 * when the line asks for it, with umm.hotplug=1 (memory_hotplug=on) or by
 * naming a limit with umm.max_mem= (umm.hotplug=0 wins over the latter).  The malloc front
 * end asks for it itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../mm/internal.h"

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
	cfg->page_reporting = true;
	cfg->page_reporting_order = pageblock_order;
	cfg->page_reporting_min = 64UL << 20;
	cfg->page_reporting_delay_ms = 2000;	/* the kernel's page_reporting_delay */
	cfg->seed = 1;
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

static int set_mem(struct umm_config *c, const char *v)
{
	unsigned long b;

	if (umm_memparse(v, &b) || b < (16UL << 20))
		return -EINVAL;
	c->mem = b;
	return 0;
}

static int set_max_mem(struct umm_config *c, const char *v)
{
	unsigned long b;

	if (umm_memparse(v, &b) || b < (16UL << 20) || b > (1UL << 46))
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
	(void)c;
	return setup_fault_attr(&fail_page_alloc_attr, v);
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

struct kernel_param {
	const char *name;
	int (*set)(struct umm_config *cfg, const char *val);
	bool runtime;		/* may change after boot (umm_param_set) */
	int (*set_named)(struct umm_config *cfg, const char *name, const char *val);
};

static const struct kernel_param params[] = {
	{ "mem", set_mem, false, NULL },
	{ "numa", set_numa, false, NULL },
	{ "vmalloc", set_vmalloc, false, NULL },
	{ "min_free_kbytes", set_min_free_kbytes, false, NULL },
	{ "watermark_scale_factor", set_wsf, false, NULL },
	{ "fail_page_alloc", set_fail_page_alloc, true, NULL },
	{ "fail_page_alloc.min-order", set_fpa_min_order, true, NULL },
	{ "fail_page_alloc.ignore-gfp-wait", set_fpa_ignore_wait, true, NULL },
	{ "fail_page_alloc.ignore-gfp-highmem", set_fpa_ignore_highmem, true, NULL },
	{ "fail_page_alloc.verbose", set_fpa_verbose, true, NULL },
	{ "page_reporting.page_reporting_order", set_reporting_order, false, NULL },
	{ "loglevel", set_loglevel, true, NULL },
	{ "umm.max_mem", set_max_mem, false, NULL },
	{ "umm.hotplug", set_hotplug, false, NULL },
	{ "memory_hotplug", set_hotplug, false, NULL },	/* =on/off: umm.hotplug */
	{ "umm.pcp", set_pcp, false, NULL },
	{ "umm.mobility_grouping", set_grouping, false, NULL },
	{ "umm.page_reporting", set_reporting, false, NULL },
	{ "umm.page_reporting_min", set_reporting_min, false, NULL },
	{ "umm.page_reporting_delay_ms", set_reporting_delay, false, NULL },
	{ "umm.seed", set_seed, false, NULL },
	{ "umm.backing", set_backing, false, NULL },
	{ "slab_nomerge", NULL, false, set_slab },
	{ "slub_nomerge", NULL, false, set_slab },
	{ "slab_merge", NULL, false, set_slab },
	{ "slub_debug", NULL, false, set_slab },
	{ "slab_debug", NULL, false, set_slab },
	{ "umm.slab_freelist_hardened", NULL, false, set_slab },
	{ "umm.slab_freelist_random", NULL, false, set_slab },
	{ "umm.malloc_free_check", NULL, false, set_slab },
	{ "failslab", NULL, true, set_slab },
	{ "failslab.ignore-gfp-wait", NULL, true, set_slab },
	{ "failslab.verbose", NULL, true, set_slab },
	{ "failslab.cache-filter", NULL, true, set_slab },
	{ "slub_min_order", NULL, false, set_slab },
	{ "slub_max_order", NULL, false, set_slab },
	{ "slub_min_objects", NULL, false, set_slab },
	{ "stack_guard_gap", NULL, false, set_mmap },
	{ "umm.mmap_min_addr", NULL, true, set_mmap },
	{ "umm.max_map_count", NULL, true, set_mmap },
	{ "umm.legacy_va_layout", NULL, true, set_mmap },
	{ "umm.aslr_seed", NULL, false, set_mmap },
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

static int apply_param(struct umm_config *cfg, const char *name,
		       const char *val, bool runtime)
{
	for (size_t i = 0; i < ARRAY_SIZE(params); i++) {
		if (strcmp(params[i].name, name))
			continue;
		if (runtime && !params[i].runtime) {
			pr_err("umm: parameter '%s' can only be set at boot\n", name);
			return -EPERM;
		}
		if (params[i].set_named) {
			if (params[i].set_named(cfg, name, val)) {
				pr_err("umm: bad value for boot parameter '%s': '%s'\n",
				       name, val ? val : "(none)");
				return -EINVAL;
			}
			return 0;
		}
		if (!val || params[i].set(cfg, val)) {
			pr_err("umm: bad value for boot parameter '%s': '%s'\n",
			       name, val ? val : "(none)");
			return -EINVAL;
		}
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
 * What the lines say together ($UMM_CMDLINE, then the explicit line):
 * checked once both are read, so that one may give umm.max_mem= and the
 * other the mem= below it.
 */
int umm_config_check(const struct umm_config *cfg)
{
	if (cfg->mem > cfg->max_mem) {
		pr_err("umm: mem= (%lu) is larger than umm.max_mem= (%lu)\n",
		       cfg->mem, cfg->max_mem);
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
