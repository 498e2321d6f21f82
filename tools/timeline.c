// SPDX-License-Identifier: GPL-2.0
/*
 * timeline.c - the schedule of the simulated machine as an SVG picture:
 * what kernel/sched/trace.c records (context switches, interrupts,
 * softirqs: the sched_switch, irq_handler_entry and softirq_entry
 * tracepoints a tool such as kernelshark or perf timechart draws),
 * one row per simulated CPU over simulated time.
 *
 *   - a bar per stretch a task ran, coloured by its pid (the same colour
 *     for the same pid in every picture), nothing while the CPU idles;
 *   - above each row, a mark per pixel column that saw an interrupt
 *     (upper half) or a softirq (lower half), with how many;
 *   - a time axis in ms of the simulated clock, ticks at 1, 2 or 5 times
 *     a power of ten;
 *   - a legend: pid, comm, and the run time drawn for each task.
 *
 * Owns: the recording's start (its time, and the task on each CPU then,
 * since the trace names only the task that comes in).  The events stay
 * in kernel/sched/trace.c's buffer until timeline_stop().
 *
 * Invariants of the picture: the bars of one task add up to the time it
 * ran while the recording ran, to a fraction of a pixel, however many
 * there are: stretches narrower than a pixel are gathered, in time order,
 * into groups at least a pixel wide, in which each task gets one bar as
 * wide as its time in the group (idle time last, undrawn).  So the
 * picture has at most a few bars per task per pixel column, whatever the
 * length of the trace.  Each bar carries data-pid and data-ns (the ns it
 * stands for), each row data-cpu, the axis data-px-per-ms, so a program
 * can check the picture against /proc/PID/schedstat.
 *
 * Single-threaded: the scenario language's thread calls it, between
 * umm_sched_run() steps.  Locking: tasklist_lock, read, while it notes
 * who is on each CPU; the trace's own lock inside umm_sched_trace_read().
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <umm.h>
#include "timeline.h"

#define TL_WIDTH	1000
#define TL_LEFT		64	/* the CPU labels */
#define TL_RIGHT	24
#define TL_PLOT		(TL_WIDTH - TL_LEFT - TL_RIGHT)
#define TL_TOP		44	/* under the title */
#define TL_MARKS	12	/* the interrupt band above a row, against it */
#define TL_ROW		24
#define TL_PITCH	(TL_MARKS + TL_ROW + 16)
#define TL_AXIS		36
#define TL_LEGEND_COLS	4
#define TL_LEGEND_W	((TL_WIDTH - TL_LEFT) / TL_LEGEND_COLS)
#define TL_LEGEND_LINE	18
#define TL_TOOLTIP_PX	3	/* bars this wide or more get a <title> */
#define TL_FONT "font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\""

/* 20 colours that tell neighbours apart (Tableau 20); a pid's is palette[pid % 20]. */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
	"#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#aec7e8", "#ff7f0e", "#98df8a",
	"#d62728", "#9467bd", "#c5b0d5", "#8c564b", "#e377c2", "#17becf",
};

static struct {
	bool on;
	unsigned long long start_ns;
	unsigned int nr_cpus;
	int *first_pid;			/* [cpu]: on the CPU at the start, 0: idle */
	char (*first_comm)[TASK_COMM_LEN];
} rec;

/* ---- the tasks seen: pid -> comm and time drawn ---- */

struct tl_task {
	int pid;
	char comm[TASK_COMM_LEN];
	unsigned long long ns;		/* drawn */
};

struct tl_tasks {
	struct tl_task *v;
	size_t n, cap;
	int *hash;			/* index + 1 in v, open addressing; 0: empty */
	size_t hsize;
};

static int tasks_rehash(struct tl_tasks *ts, size_t hsize)
{
	int *h = calloc(hsize, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (size_t i = 0; i < ts->n; i++) {
		size_t j = (size_t)ts->v[i].pid * 2654435761u % hsize;

		while (h[j])
			j = (j + 1) % hsize;
		h[j] = (int)i + 1;
	}
	free(ts->hash);
	ts->hash = h;
	ts->hsize = hsize;
	return 0;
}

/* The entry of @pid, made if new; NULL on -ENOMEM. */
static struct tl_task *tasks_get(struct tl_tasks *ts, int pid, const char *comm)
{
	size_t j;

	if ((ts->n + 1) * 2 > ts->hsize && tasks_rehash(ts, ts->hsize ? ts->hsize * 2 : 256))
		return NULL;
	for (j = (size_t)pid * 2654435761u % ts->hsize; ts->hash[j]; j = (j + 1) % ts->hsize) {
		struct tl_task *t = &ts->v[ts->hash[j] - 1];

		if (t->pid == pid) {
			if (comm && comm[0])	/* the latest name: exec and PR_SET_NAME change it */
				memcpy(t->comm, comm, TASK_COMM_LEN);
			return t;
		}
	}
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 64;
		struct tl_task *v = realloc(ts->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		ts->v = v;
		ts->cap = cap;
	}
	memset(&ts->v[ts->n], 0, sizeof(ts->v[0]));
	ts->v[ts->n].pid = pid;
	if (comm)
		memcpy(ts->v[ts->n].comm, comm, TASK_COMM_LEN);
	ts->v[ts->n].comm[TASK_COMM_LEN - 1] = '\0';
	ts->hash[j] = (int)++ts->n;
	return &ts->v[ts->n - 1];
}

/* ---- recording ---- */

/* Who is on each CPU now: task->on_cpu, under tasklist_lock. */
static void note_running(void)
{
	struct task_struct *p, *t;

	umm_tasklist_read_lock();
	for_each_process(p) {
		for_each_thread(p, t) {
			if (!t->on_cpu || t->cpu < 0 || (unsigned int)t->cpu >= rec.nr_cpus)
				continue;
			rec.first_pid[t->cpu] = t->pid;
			memcpy(rec.first_comm[t->cpu], t->comm, TASK_COMM_LEN);
		}
	}
	umm_tasklist_read_unlock();
}

int timeline_start(void)
{
	unsigned int n = umm_sim_nr_cpus();
	int err;

	timeline_stop();
	rec.first_pid = calloc(n, sizeof(*rec.first_pid));
	rec.first_comm = calloc(n, sizeof(*rec.first_comm));
	if (!rec.first_pid || !rec.first_comm) {
		timeline_stop();
		return -ENOMEM;
	}
	err = umm_sched_trace_start(TIMELINE_MAX_EVENTS);
	if (err) {
		timeline_stop();
		return err;
	}
	rec.nr_cpus = n;
	rec.start_ns = ktime_get_ns();
	note_running();
	rec.on = true;
	return 0;
}

void timeline_stop(void)
{
	if (rec.on)
		umm_sched_trace_start(0);
	free(rec.first_pid);
	free(rec.first_comm);
	memset(&rec, 0, sizeof(rec));
}

bool timeline_recording(void)
{
	return rec.on;
}

/* ---- from events to stretches ---- */

struct tl_seg {
	int pid;			/* 0: idle */
	unsigned long long t0, t1;
};

struct tl_mark {
	int col;			/* pixel column from the plot's left */
	unsigned short kind;		/* UMM_EV_IRQ or UMM_EV_SOFTIRQ */
	unsigned int count;
	int first_arg;			/* the first line / softirq in the column */
};

struct tl_cpu {
	struct tl_seg *segs;
	size_t nr_segs, cap_segs;
	struct tl_mark *marks;
	size_t nr_marks, cap_marks;
	int pid;			/* running since @since */
	unsigned long long since;
	bool known;			/* pid is known (a switch, or the start's snapshot) */
};

struct tl_pic {
	unsigned long long start, end;
	double px_per_ns;
	unsigned int nr_cpus;
	struct tl_cpu *cpus;
	struct tl_tasks tasks;
	size_t nr_events, nr_switches;
	bool full;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 256;
	p = realloc(*v, c * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

/* The stretch @c->pid ran from @c->since to @t, joined to the last if the same task. */
static int close_stretch(struct tl_cpu *c, unsigned long long t)
{
	struct tl_seg *last = c->nr_segs ? &c->segs[c->nr_segs - 1] : NULL;

	if (t <= c->since)
		return 0;
	if (last && last->pid == c->pid && last->t1 == c->since) {
		last->t1 = t;
		return 0;
	}
	if (grow((void **)&c->segs, &c->cap_segs, c->nr_segs, sizeof(*c->segs)))
		return -ENOMEM;
	c->segs[c->nr_segs++] = (struct tl_seg){ c->pid, c->since, t };
	return 0;
}

static int add_mark(struct tl_pic *pic, struct tl_cpu *c, const struct umm_sched_event *ev)
{
	int col = (int)((double)(ev->ns - pic->start) * pic->px_per_ns);

	if (col >= TL_PLOT)
		col = TL_PLOT - 1;
	for (size_t i = c->nr_marks; i-- > 0 && c->marks[i].col == col;) {
		if (c->marks[i].kind == ev->kind) {
			c->marks[i].count++;
			return 0;
		}
	}
	if (grow((void **)&c->marks, &c->cap_marks, c->nr_marks, sizeof(*c->marks)))
		return -ENOMEM;
	c->marks[c->nr_marks++] = (struct tl_mark){ col, ev->kind, 1, ev->arg };
	return 0;
}

static int take_event(struct tl_pic *pic, const struct umm_sched_event *ev)
{
	struct tl_cpu *c;
	unsigned long long t = ev->ns;

	if (ev->cpu >= pic->nr_cpus || t < pic->start || t > pic->end)
		return 0;
	c = &pic->cpus[ev->cpu];
	if (ev->kind == UMM_EV_IRQ || ev->kind == UMM_EV_SOFTIRQ)
		return add_mark(pic, c, ev);
	if (ev->kind != UMM_EV_SWITCH)
		return 0;
	pic->nr_switches++;
	if (!c->known) {
		/* the trace names who left: it ran from the start */
		c->pid = ev->prev_pid;
		c->known = true;
	}
	if (t < c->since)
		t = c->since;
	if (close_stretch(c, t))
		return -ENOMEM;
	c->pid = ev->pid;
	c->since = t;
	if (ev->pid && !tasks_get(&pic->tasks, ev->pid, ev->comm))
		return -ENOMEM;
	return 0;
}

static int read_events(struct tl_pic *pic)
{
	struct umm_sched_event buf[512];
	size_t from = 0, got;

	while ((got = umm_sched_trace_read(buf, ARRAY_SIZE(buf), from)) > 0) {
		for (size_t i = 0; i < got; i++)
			if (take_event(pic, &buf[i]))
				return -ENOMEM;
		from += got;
	}
	for (unsigned int cpu = 0; cpu < pic->nr_cpus; cpu++)
		if (close_stretch(&pic->cpus[cpu], pic->end))
			return -ENOMEM;
	return 0;
}

static int pic_init(struct tl_pic *pic)
{
	size_t n = umm_sched_trace_count();
	struct umm_sched_event last;

	memset(pic, 0, sizeof(*pic));
	pic->nr_cpus = rec.nr_cpus;
	pic->start = rec.start_ns;
	pic->end = ktime_get_ns();
	pic->nr_events = n;
	/* a full buffer dropped what came after its last event: end there */
	if (n >= TIMELINE_MAX_EVENTS && umm_sched_trace_read(&last, 1, n - 1) == 1) {
		pic->full = true;
		pic->end = last.ns;
	}
	pic->px_per_ns = (double)TL_PLOT / (double)(pic->end > pic->start ?
						    pic->end - pic->start : 1000000);
	pic->cpus = calloc(pic->nr_cpus, sizeof(*pic->cpus));
	if (!pic->cpus)
		return -ENOMEM;
	for (unsigned int cpu = 0; cpu < pic->nr_cpus; cpu++) {
		struct tl_cpu *c = &pic->cpus[cpu];

		c->pid = rec.first_pid[cpu];
		c->since = pic->start;
		c->known = c->pid != 0;
		if (c->pid && !tasks_get(&pic->tasks, c->pid, rec.first_comm[cpu]))
			return -ENOMEM;
	}
	return 0;
}

static void pic_free(struct tl_pic *pic)
{
	for (unsigned int cpu = 0; pic->cpus && cpu < pic->nr_cpus; cpu++) {
		free(pic->cpus[cpu].segs);
		free(pic->cpus[cpu].marks);
	}
	free(pic->cpus);
	free(pic->tasks.v);
	free(pic->tasks.hash);
}

/* ---- writing ---- */

static const char *pid_colour(int pid)
{
	return palette[(unsigned int)pid % ARRAY_SIZE(palette)];
}

static double x_of(const struct tl_pic *pic, unsigned long long t)
{
	return TL_LEFT + (double)(t - pic->start) * pic->px_per_ns;
}

static void put_bar(FILE *f, struct tl_pic *pic, int y, int pid, double x,
		    unsigned long long ns)
{
	struct tl_task *t = tasks_get(&pic->tasks, pid, NULL);
	double w = (double)ns * pic->px_per_ns;

	if (t)
		t->ns += ns;
	fprintf(f, "<rect class=\"run\" x=\"%.3f\" y=\"%d\" width=\"%.4f\" height=\"%d\" "
		"fill=\"%s\" data-pid=\"%d\" data-ns=\"%llu\"", x, y, w, TL_ROW,
		pid_colour(pid), pid, ns);
	if (w < TL_TOOLTIP_PX || !t) {
		fputs("/>\n", f);
		return;
	}
	/* a bar wide enough to point at says whose it is and when */
	fprintf(f, "><title>%d ", pid);
	umm_svg_text(f, t->comm);
	fprintf(f, ": %.3f ms from %.3f ms</title></rect>\n", (double)ns / 1e6,
		((x - TL_LEFT) / pic->px_per_ns + (double)pic->start) / 1e6);
}

/* A group of stretches under a pixel each: a bar per task, time order of first appearance. */
struct tl_group {
	unsigned long long t0, t1;
	struct { int pid; unsigned long long ns; } *v;
	size_t n, cap;
};

static void flush_group(FILE *f, struct tl_pic *pic, int y, struct tl_group *g)
{
	double x = x_of(pic, g->t0);

	for (size_t i = 0; i < g->n; i++) {
		if (!g->v[i].pid)
			continue;	/* idle: after the bars, blank */
		put_bar(f, pic, y, g->v[i].pid, x, g->v[i].ns);
		x += (double)g->v[i].ns * pic->px_per_ns;
	}
	g->n = 0;
	g->t0 = g->t1 = 0;
}

static int group_add(struct tl_group *g, const struct tl_seg *s)
{
	size_t i;

	if (!g->n)
		g->t0 = s->t0;
	g->t1 = s->t1;
	for (i = 0; i < g->n && g->v[i].pid != s->pid; i++)
		;
	if (i == g->n) {
		if (grow((void **)&g->v, &g->cap, g->n, sizeof(*g->v)))
			return -ENOMEM;
		g->v[g->n].pid = s->pid;
		g->v[g->n++].ns = 0;
	}
	g->v[i].ns += s->t1 - s->t0;
	return 0;
}

static int write_bars(FILE *f, struct tl_pic *pic, const struct tl_cpu *c, int y)
{
	struct tl_group g = { 0 };
	int err = 0;

	for (size_t i = 0; i < c->nr_segs && !err; i++) {
		const struct tl_seg *s = &c->segs[i];

		if ((double)(s->t1 - s->t0) * pic->px_per_ns >= 1.0) {
			flush_group(f, pic, y, &g);
			if (s->pid)
				put_bar(f, pic, y, s->pid, x_of(pic, s->t0), s->t1 - s->t0);
			continue;
		}
		err = group_add(&g, s);
		if ((double)(g.t1 - g.t0) * pic->px_per_ns >= 1.0)
			flush_group(f, pic, y, &g);
	}
	flush_group(f, pic, y, &g);
	free(g.v);
	return err;
}

static void write_marks(FILE *f, const struct tl_cpu *c, int y)
{
	for (size_t i = 0; i < c->nr_marks; i++) {
		const struct tl_mark *m = &c->marks[i];
		bool irq = m->kind == UMM_EV_IRQ;

		/* interrupts on top, softirqs under them, touching the row */
		fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"1\" height=\"%d\" "
			"fill=\"%s\" data-count=\"%u\" data-first=\"%d\"/>\n", irq ? "irq" : "softirq",
			TL_LEFT + m->col, irq ? y + 1 : y + TL_MARKS / 2 + 1, TL_MARKS / 2 - 1,
			irq ? "#d62728" : "#ff9f1c", m->count, m->first_arg);
	}
}

static int write_cpus(FILE *f, struct tl_pic *pic)
{
	for (unsigned int cpu = 0; cpu < pic->nr_cpus; cpu++) {
		const struct tl_cpu *c = &pic->cpus[cpu];
		int y = TL_TOP + (int)cpu * TL_PITCH;

		fprintf(f, "<g class=\"cpu\" data-cpu=\"%u\">\n<text x=\"8\" y=\"%d\">CPU%u</text>\n"
			"<rect class=\"lane\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			"fill=\"#f4f4f4\"/>\n", cpu, y + TL_MARKS + TL_ROW / 2 + 4, cpu, TL_LEFT,
			y + TL_MARKS, TL_PLOT, TL_ROW);
		if (write_bars(f, pic, c, y + TL_MARKS))
			return -ENOMEM;
		write_marks(f, c, y);
		fprintf(f, "</g>\n");
	}
	return 0;
}

/* A tick every 1, 2 or 5 times a power of ten ns: ten ticks or fewer over @span. */
static unsigned long long tick_step(unsigned long long span)
{
	static const unsigned int mult[] = { 1, 2, 5 };

	for (unsigned long long p = 1;; p *= 10)
		for (size_t i = 0; i < ARRAY_SIZE(mult); i++)
			if (span / (p * mult[i]) <= 10)
				return p * mult[i];
}

static void write_axis(FILE *f, const struct tl_pic *pic, int y)
{
	unsigned long long span = pic->end > pic->start ? pic->end - pic->start : 1000000;
	unsigned long long step = tick_step(span);

	fprintf(f, "<g class=\"axis\" data-px-per-ms=\"%.6f\" data-start-ns=\"%llu\" "
		"data-end-ns=\"%llu\">\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#333333\"/>\n", pic->px_per_ns * 1e6, pic->start, pic->end, TL_LEFT, y,
		TL_LEFT + TL_PLOT, y);
	for (unsigned long long t = (pic->start + step - 1) / step * step;
	     t <= pic->start + span; t += step) {
		double x = TL_LEFT + (double)(t - pic->start) * pic->px_per_ns;

		fprintf(f, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#333333\"/>"
			"<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%g ms</text>\n", x, y, x,
			y + 5, x, y + 18, (double)t / 1e6);
	}
	fprintf(f, "</g>\n");
}

static void write_legend(FILE *f, const struct tl_pic *pic, int y)
{
	int col = 0;

	fprintf(f, "<g class=\"legend\">\n");
	for (size_t i = 0; i < pic->tasks.n; i++) {
		const struct tl_task *t = &pic->tasks.v[i];
		int x = TL_LEFT + col * TL_LEGEND_W;

		fprintf(f, "<g class=\"task\" data-pid=\"%d\" data-ns=\"%llu\"><rect x=\"%d\" "
			"y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">"
			"%d ", t->pid, t->ns, x, y - 10, pid_colour(t->pid), x + 16, y, t->pid);
		umm_svg_text(f, t->comm);
		fprintf(f, " %.1f ms</text></g>\n", (double)t->ns / 1e6);
		if (++col == TL_LEGEND_COLS) {
			col = 0;
			y += TL_LEGEND_LINE;
		}
	}
	if (col)
		y += TL_LEGEND_LINE;
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"3\" height=\"12\" fill=\"#d62728\"/>"
		"<text x=\"%d\" y=\"%d\">interrupt</text>\n<rect x=\"%d\" y=\"%d\" width=\"3\" "
		"height=\"12\" fill=\"#ff9f1c\"/><text x=\"%d\" y=\"%d\">softirq</text>\n</g>\n",
		TL_LEFT, y - 10, TL_LEFT + 8, y, TL_LEFT + TL_LEGEND_W, y - 10,
		TL_LEFT + TL_LEGEND_W + 8, y);
}

/* Sorted by pid, so that the legend reads in order. */
static int cmp_task(const void *a, const void *b)
{
	const struct tl_task *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int write_svg(FILE *f, struct tl_pic *pic)
{
	int rows_end = TL_TOP + (int)pic->nr_cpus * TL_PITCH;
	int legend_lines = ((int)pic->tasks.n + TL_LEGEND_COLS - 1) / TL_LEGEND_COLS + 1;
	int height = rows_end + TL_AXIS + legend_lines * TL_LEGEND_LINE + 16;
	char policy[16];
	size_t i;

	snprintf(policy, sizeof(policy), "%s", umm_sched_policy_name());
	for (i = 0; policy[i]; i++)
		policy[i] = (char)toupper((unsigned char)policy[i]);
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" " TL_FONT " font-size=\"12\">\n",
		TL_WIDTH, height, TL_WIDTH, height);
	fprintf(f, "<title>umm: the schedule of %u simulated CPUs (HZ=%u, %s), %g to %g ms%s"
		"</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
		"<text x=\"8\" y=\"20\" font-size=\"14\">the schedule of %u simulated CPUs, "
		"HZ=%u, %s: %g to %g ms%s</text>\n", pic->nr_cpus, umm_hz, policy,
		(double)pic->start / 1e6, (double)pic->end / 1e6,
		pic->full ? " (the trace filled up)" : "", pic->nr_cpus, umm_hz, policy,
		(double)pic->start / 1e6, (double)pic->end / 1e6,
		pic->full ? " (the trace filled up here)" : "");
	fprintf(f, "<g class=\"timeline\" data-cpus=\"%u\" data-hz=\"%u\" data-policy=\"%s\" "
		"data-events=\"%zu\" data-switches=\"%zu\">\n", pic->nr_cpus, umm_hz,
		umm_sched_policy_name(), pic->nr_events, pic->nr_switches);
	if (write_cpus(f, pic))
		return -ENOMEM;
	write_axis(f, pic, rows_end);
	qsort(pic->tasks.v, pic->tasks.n, sizeof(*pic->tasks.v), cmp_task);
	write_legend(f, pic, rows_end + TL_AXIS + TL_LEGEND_LINE);
	fprintf(f, "</g>\n</svg>\n");
	if (fflush(f))
		return -errno;
	if (ferror(f))
		return -EIO;
	return pic->nr_switches > INT_MAX ? INT_MAX : (int)pic->nr_switches;
}

int timeline_write(FILE *f)
{
	struct tl_pic pic;
	int ret;

	if (!rec.on || !f)
		return -EINVAL;
	ret = pic_init(&pic);
	if (!ret)
		ret = read_events(&pic);
	if (!ret)
		ret = write_svg(f, &pic);
	pic_free(&pic);
	return ret;
}

int timeline_write_file(const char *path)
{
	FILE *f;
	int ret;

	if (!rec.on)
		return -EINVAL;
	f = fopen(path, "w");
	if (!f)
		return -errno;
	ret = timeline_write(f);
	if (fclose(f) && ret >= 0)
		ret = -errno;
	return ret;
}
