// SPDX-License-Identifier: GPL-2.0
/*
 * slabtop.c - a slabtop(1)-style view of umm's /proc/slabinfo, as procps
 * renders it in its one-shot mode (slabtop -o): the summary, then one
 * line per cache sorted by the chosen column.
 *
 * It reads the text of /proc/slabinfo, exactly as procps reads the
 * kernel's, so it shows what the file says and nothing else: umm's own,
 * or the one a process under umm run left in its report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <umm.h>
#include "proc_text.h"
#include "slabtop.h"

struct slab_row {
	char name[64];
	unsigned long active_objs, num_objs, objsize, objperslab, pagesperslab;
	unsigned long active_slabs, num_slabs;
	double use, cache_kb;
};

static char sort_key = 'o';

static int cmp_rows(const void *a, const void *b)
{
	const struct slab_row *x = a, *y = b;
	double dx, dy;

	switch (sort_key) {
	case 'a': dx = (double)x->active_objs; dy = (double)y->active_objs; break;
	case 'b': dx = (double)x->objperslab; dy = (double)y->objperslab; break;
	case 'c': dx = x->cache_kb; dy = y->cache_kb; break;
	case 'l': dx = (double)x->num_slabs; dy = (double)y->num_slabs; break;
	case 'n': return strcmp(x->name, y->name);
	case 'p': dx = (double)x->pagesperslab; dy = (double)y->pagesperslab; break;
	case 's': dx = (double)x->objsize; dy = (double)y->objsize; break;
	case 'u': dx = x->use; dy = y->use; break;
	default: dx = (double)x->num_objs; dy = (double)y->num_objs; break;
	}
	return dx < dy ? 1 : dx > dy ? -1 : strcmp(x->name, y->name);
}

int umm_slabtop_text(FILE *out, const char *slabinfo, char sort, bool used_only)
{
	unsigned long tot_objs = 0, act_objs = 0, tot_slabs = 0, act_slabs = 0;
	unsigned long caches = 0, active_caches = 0;
	double tot_size = 0, act_size = 0, min_obj = 0, max_obj = 0, sum_obj = 0;
	struct slab_row *rows;
	char *buf, *line, *save = NULL;
	size_t n = 0;

	if (!strchr("abclnopsu", sort)) {
		fprintf(stderr, "umm: slabtop: unknown sort key '%c' (one of abclnopsu)\n", sort);
		return 2;
	}
	sort_key = sort;
	buf = strdup(slabinfo);
	rows = calloc(strlen(slabinfo) / 64 + 1, sizeof(*rows));
	if (!buf || !rows) {
		free(buf);
		free(rows);
		return 1;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct slab_row *r = &rows[n];

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %lu %lu %lu %lu %lu : tunables %*u %*u %*u : slabdata %lu %lu",
			   r->name, &r->active_objs, &r->num_objs, &r->objsize, &r->objperslab,
			   &r->pagesperslab, &r->active_slabs, &r->num_slabs) != 8)
			continue;
		r->use = r->num_objs ? 100.0 * (double)r->active_objs / (double)r->num_objs : 0;
		r->cache_kb = (double)(r->num_slabs * r->pagesperslab * 4);
		caches++;
		active_caches += r->active_objs != 0;
		tot_objs += r->num_objs;
		act_objs += r->active_objs;
		tot_slabs += r->num_slabs;
		act_slabs += r->active_slabs;
		tot_size += (double)(r->num_objs * r->objsize) / 1024;
		act_size += (double)(r->active_objs * r->objsize) / 1024;
		if (!min_obj || (double)r->objsize / 1024 < min_obj)
			min_obj = (double)r->objsize / 1024;
		if ((double)r->objsize / 1024 > max_obj)
			max_obj = (double)r->objsize / 1024;
		sum_obj += (double)r->objsize / 1024;
		/* The totals count every cache; the rows only those holding slabs. */
		n += !used_only || r->num_slabs;
	}
	qsort(rows, n, sizeof(*rows), cmp_rows);
	fprintf(out, " Active / Total Objects (%% used)    : %lu / %lu (%.1f%%)\n", act_objs,
		tot_objs, tot_objs ? 100.0 * (double)act_objs / (double)tot_objs : 0);
	fprintf(out, " Active / Total Slabs (%% used)      : %lu / %lu (%.1f%%)\n", act_slabs,
		tot_slabs, tot_slabs ? 100.0 * (double)act_slabs / (double)tot_slabs : 0);
	fprintf(out, " Active / Total Caches (%% used)     : %lu / %lu (%.1f%%)\n", active_caches,
		caches, caches ? 100.0 * (double)active_caches / (double)caches : 0);
	fprintf(out, " Active / Total Size (%% used)       : %.2fK / %.2fK (%.1f%%)\n", act_size,
		tot_size, tot_size > 0 ? 100.0 * act_size / tot_size : 0);
	fprintf(out, " Minimum / Average / Maximum Object : %.2fK / %.2fK / %.2fK\n\n", min_obj,
		caches ? sum_obj / (double)caches : 0, max_obj);
	fprintf(out, "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   \n");
	for (size_t i = 0; i < n; i++) {
		struct slab_row *r = &rows[i];

		fprintf(out, "%6lu %6lu %3.0f%% %7.2fK %6lu %8lu %9.0fK %-23s\n", r->num_objs,
			r->active_objs, r->use, (double)r->objsize / 1024, r->num_slabs,
			r->objperslab, r->cache_kb, r->name);
	}
	free(buf);
	free(rows);
	return 0;
}

int umm_slabtop(FILE *out, char sort)
{
	int err, ret;
	char *text = proc_text("/proc/slabinfo", NULL, &err);

	if (!text)
		return 1;
	ret = umm_slabtop_text(out, text, sort, false);
	free(text);
	return ret;
}
