// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - umm's /proc: a seq_file that renders into a caller buffer with
 * snprintf semantics (fs/seq_file.c), the table of files that
 * umm_proc_read() knows (fs/proc/root.c), and the way to /sys/kernel/slab/
 * (mm/slub.c's sysfs part): umm_proc_read() reads a file, umm_proc_write()
 * writes one (sysfs's store), umm_proc_list() lists a directory as
 * ls -1 would; a directory read is -EISDIR, a file listed -ENOTDIR, and
 * so is a path through a file (/proc/meminfo/), as the kernel's lookup.
 * Paths are walked as the kernel walks them: "//" is "/", "." stays,
 * ".." goes up (never above "/"), and either after a file is -ENOTDIR.
 *
 * Owns: nothing but the table.  A show function may run while other
 * threads allocate; it reads counters racily as the kernel's do, and
 * takes zone->lock where the kernel does (free lists).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../../mm/internal.h"

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	size_t room = m->count < m->size ? m->size - m->count : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? m->buf + m->count : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		m->count += (size_t)n;
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_printf(m, "%s", s);
}

void seq_putc(struct seq_file *m, char c)
{
	seq_printf(m, "%c", c);
}

void seq_put_decimal_ull_width(struct seq_file *m, const char *delimiter,
			       unsigned long long num, unsigned int width)
{
	seq_printf(m, "%s%*llu", delimiter ? delimiter : "", (int)width, num);
}

struct proc_entry {
	const char *path;
	int (*show)(struct seq_file *m);
};

static const struct proc_entry proc_entries[] = {
	{ "/proc/buddyinfo", buddyinfo_proc_show },
	{ "/proc/meminfo", meminfo_proc_show },
	{ "/proc/pagetypeinfo", pagetypeinfo_proc_show },
	{ "/proc/slabinfo", slabinfo_proc_show },
	{ "/proc/vmallocinfo", vmallocinfo_proc_show },
	{ "/proc/zoneinfo", zoneinfo_proc_show },
};

static const char *const proc_path_list[] = {
	"/proc/buddyinfo", "/proc/meminfo", "/proc/pagetypeinfo",
	"/proc/slabinfo", "/proc/vmallocinfo", "/proc/zoneinfo", NULL,
};

const char *const *umm_proc_paths(void)
{
	return proc_path_list;
}

static ssize_t show_into(int (*show)(struct seq_file *, const void *), const void *arg,
			 char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };
	int err;

	if (!umm_ensure_booted())
		return -ENODEV;
	if (size)
		buf[0] = '\0';
	umm_gate_enter();
	err = show(&m, arg);
	umm_gate_exit();
	if (err)
		return err;
	if (size)
		buf[min(m.count, size - 1)] = '\0';
	return (ssize_t)m.count;
}

static int show_proc_entry(struct seq_file *m, const void *entry)
{
	return ((const struct proc_entry *)entry)->show(m);
}

static int show_slab_sysfs(struct seq_file *m, const void *path)
{
	return slab_sysfs_show(m, path);
}

static int list_slab_sysfs(struct seq_file *m, const void *path)
{
	return slab_sysfs_list(m, path);
}

static int list_proc(struct seq_file *m, const void *unused)
{
	(void)unused;
	for (size_t i = 0; i < ARRAY_SIZE(proc_entries); i++)
		seq_printf(m, "%s\n", proc_entries[i].path + strlen("/proc/"));
	return 0;
}

/*
 * What follows "/sys/kernel/slab/" in @path ("" for the directory
 * itself, with or without its '/'), or NULL for a path outside it.
 */
static const char *sys_slab_path(const char *path)
{
	static const char sys_slab[] = "/sys/kernel/slab";
	size_t len = sizeof(sys_slab) - 1;

	if (strncmp(path, sys_slab, len) || (path[len] && path[len] != '/'))
		return NULL;
	return path[len] ? path + len + 1 : path + len;
}

/* "/proc/meminfo/" or "/proc/meminfo/x": a path through a file, -ENOTDIR. */
static int proc_missing(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_entries); i++) {
		size_t len = strlen(proc_entries[i].path);

		if (!strncmp(path, proc_entries[i].path, len) && path[len] == '/')
			return -ENOTDIR;
	}
	return -ENOENT;
}

static bool is_proc_dir(const char *path)
{
	return !strcmp(path, "/proc") || !strcmp(path, "/proc/");
}

/* Is @dir ("/a/b", no trailing '/') a directory in umm's tree? */
static bool is_dir(const char *dir)
{
	static const char *const dirs[] = { "", "/proc", "/sys", "/sys/kernel",
					    "/sys/kernel/slab" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!strcmp(dir, dirs[i]))
			return true;
	return sys_slab_path(dir) && umm_proc_list(dir, NULL, 0) >= 0;
}

/*
 * @path walked into @out: empty and "." components dropped, ".." taking
 * the last one off, which must be a directory (-ENOTDIR after a file,
 * as a "." there is, -ENOENT after nothing).  A path that ended in '/', "." or ".." keeps one
 * '/', so that the lookups below answer -ENOTDIR for a file.  Relative
 * paths stay as they are: nothing matches them.
 */
static int walk_path(const char *path, char *out, size_t size)
{
	size_t len = 0;
	bool slash = false;

	if (path[0] != '/' || strlen(path) >= size)
		return strlen(path) >= size ? -ENAMETOOLONG : (strcpy(out, path), 0);
	out[0] = '\0';
	for (const char *p = path; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		slash = !p[n] ? (n == 0 || (n == 1 && p[0] == '.') ||
				 (n == 2 && !strncmp(p, "..", 2))) : true;
		if (n == 0)
			break;
		if ((n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2))) {
			if (!is_dir(out))	/* a file, or nothing */
				return umm_proc_read(out, NULL, 0) >= 0 ? -ENOTDIR : -ENOENT;
			if (n == 2) {
				while (len && out[len - 1] != '/')
					len--;
				len -= len ? 1 : 0;	/* the '/' before it */
				out[len] = '\0';
			}
		} else {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
			out[len] = '\0';
		}
		p += n;
	}
	if (slash || !len) {
		out[len++] = '/';
		out[len] = '\0';
	}
	return 0;
}

/* The walked path in @buf, or -errno for the entry point to return. */
#define WALK_PATH(path, buf)						\
	do {								\
		int __err = walk_path(path, buf, sizeof(buf));		\
									\
		if (__err)						\
			return __err;					\
		path = buf;						\
	} while (0)

ssize_t umm_proc_read(const char *path, char *buf, size_t size)
{
	const char *slab_path;
	char walked[PATH_MAX];

	if (!path || (!buf && size))
		return -EINVAL;
	WALK_PATH(path, walked);
	if (is_proc_dir(path))
		return -EISDIR;
	/* The kernel's per-cache sysfs files: /sys/kernel/slab/<cache>/<attr>. */
	slab_path = sys_slab_path(path);
	if (slab_path)
		return *slab_path ? show_into(show_slab_sysfs, slab_path, buf, size) : -EISDIR;
	for (size_t i = 0; i < ARRAY_SIZE(proc_entries); i++) {
		if (strcmp(path, proc_entries[i].path))
			continue;
		return show_into(show_proc_entry, &proc_entries[i], buf, size);
	}
	return proc_missing(path);
}

ssize_t umm_proc_list(const char *path, char *buf, size_t size)
{
	const char *slab_path;
	char walked[PATH_MAX];

	if (!path || (!buf && size))
		return -EINVAL;
	WALK_PATH(path, walked);
	if (is_proc_dir(path))
		return show_into(list_proc, NULL, buf, size);
	slab_path = sys_slab_path(path);
	if (slab_path)
		return show_into(list_slab_sysfs, slab_path, buf, size);
	for (size_t i = 0; i < ARRAY_SIZE(proc_entries); i++)
		if (!strcmp(path, proc_entries[i].path))
			return -ENOTDIR;
	return proc_missing(path);
}

ssize_t umm_proc_write(const char *path, const char *buf, size_t size)
{
	char walked[PATH_MAX];
	const char *slab_path;
	ssize_t ret;

	if (!path || (!buf && size))
		return -EINVAL;
	WALK_PATH(path, walked);
	if (!umm_ensure_booted())
		return -ENODEV;
	if (is_proc_dir(path))
		return -EISDIR;
	slab_path = sys_slab_path(path);
	if (slab_path) {
		if (!*slab_path)
			return -EISDIR;
		umm_gate_enter();
		ret = slab_sysfs_store(slab_path, buf, size);
		umm_gate_exit();
		return ret;
	}
	for (size_t i = 0; i < ARRAY_SIZE(proc_entries); i++)
		if (!strcmp(path, proc_entries[i].path))
			return -EACCES;	/* 0444: no ->write */
	return proc_missing(path);
}
