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
 * /proc/PID is a directory for each task in the pid table (its pid in
 * decimal, no leading zero, as name_to_int() reads it), holding the files
 * umm_task_show() renders (fs/proc/array.c); /proc lists the pids first,
 * in strcmp() order as every listing here, then its files.
 *
 * Owns: nothing but the table.  A show function may run while other
 * threads allocate; it reads counters racily as the kernel's do, and
 * takes zone->lock where the kernel does (free lists).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../../kernel/internal.h"
#include "../../kernel/irq/internal.h"

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
	{ "/proc/interrupts", show_interrupts },
	{ "/proc/meminfo", meminfo_proc_show },
	{ "/proc/pagetypeinfo", pagetypeinfo_proc_show },
	{ "/proc/slabinfo", slabinfo_proc_show },
	{ "/proc/softirqs", show_softirqs },
	{ "/proc/stat", show_stat },
	{ "/proc/vmallocinfo", vmallocinfo_proc_show },
	{ "/proc/zoneinfo", zoneinfo_proc_show },
};

static const char *const proc_path_list[] = {
	"/proc/buddyinfo", "/proc/interrupts", "/proc/meminfo", "/proc/pagetypeinfo",
	"/proc/slabinfo", "/proc/softirqs", "/proc/stat", "/proc/vmallocinfo", "/proc/zoneinfo",
	NULL,
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

/* ---- /proc/PID ---- */

static const char *const pid_files[] = {	/* strcmp() order */
	"auxv", "cmdline", "environ", "maps", "pagemap", "sched", "schedstat", "smaps",
	"smaps_rollup", "stat", "statm", "status",
};

/*
 * "/proc/PID" (*@file NULL) or "/proc/PID/REST" (*@file REST): the pid,
 * or 0 for a path that names no pid directory.
 */
static pid_t proc_pid_path(const char *path, const char **file)
{
	char *end;
	long pid;

	if (strncmp(path, "/proc/", 6) || !isdigit((unsigned char)path[6]) || path[6] == '0')
		return 0;
	errno = 0;
	pid = strtol(path + 6, &end, 10);
	if (errno || pid > PID_MAX_LIMIT || (*end && *end != '/'))
		return 0;
	*file = *end && end[1] ? end + 1 : NULL;
	return (pid_t)pid;
}

static bool is_pid_file(const char *file)
{
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++)
		if (!strcmp(file, pid_files[i]))
			return true;
	return false;
}

/* The tasks' pids in strcmp() order: a depth-first walk of the decimal digits. */
static void list_pids_from(struct seq_file *m, unsigned long prefix)
{
	if (prefix >= (unsigned long)pid_max)
		return;
	if (find_task_by_pid((pid_t)prefix))
		seq_printf(m, "%lu\n", prefix);
	for (unsigned long d = 0; d < 10; d++)
		list_pids_from(m, prefix * 10 + d);
}

static int list_proc(struct seq_file *m, const void *unused)
{
	(void)unused;
	read_lock_tasklist();
	for (unsigned long d = 1; d < 10; d++)
		list_pids_from(m, d);
	read_unlock_tasklist();
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

static int list_pid_dir(struct seq_file *m, const void *unused)
{
	(void)unused;
	for (size_t i = 0; i < ARRAY_SIZE(pid_files); i++)
		seq_printf(m, "%s\n", pid_files[i]);
	return 0;
}

static bool pid_exists(pid_t pid)
{
	return pid > 0 && umm_find_task(pid);
}

/*
 * What a /proc/PID path is: 1 the directory, 2 a file, or -errno
 * (-ENOENT: no such task or file; -ENOTDIR: a path through a file).
 */
static int pid_path_kind(pid_t pid, const char *file)
{
	const char *slash;

	if (!pid_exists(pid))
		return -ENOENT;
	if (!file)
		return 1;
	slash = strchr(file, '/');
	if (!slash)
		return is_pid_file(file) ? 2 : -ENOENT;
	return is_pid_file(strndupa(file, (size_t)(slash - file))) ? -ENOTDIR : -ENOENT;
}

/* umm_task_show() of /proc/PID/FILE. */
static ssize_t read_pid_file(pid_t pid, const char *file, char *buf, size_t size)
{
	struct task_struct *t = umm_get_task(pid);
	ssize_t ret;

	if (!t)
		return -ENOENT;
	ret = umm_task_show(t, file, buf, size);
	umm_put_task(t);
	return ret;
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

/* The /proc file at @path, or NULL. */
static const struct proc_entry *proc_entry_at(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(proc_entries); i++)
		if (!strcmp(path, proc_entries[i].path))
			return &proc_entries[i];
	return NULL;
}

/* Is there a file at @path?  A lookup: nothing is shown. */
static bool is_file(const char *path)
{
	const char *slab_path = sys_slab_path(path);
	ssize_t err;

	const char *file;
	pid_t pid = proc_pid_path(path, &file);

	if (pid)
		return pid_path_kind(pid, file) == 2;
	if (!slab_path)
		return proc_entry_at(path);
	/* A write of nothing is the lookup alone: 0, or -EACCES for read-only. */
	err = *slab_path ? slab_sysfs_store(slab_path, NULL, 0) : -EISDIR;
	return !err || err == -EACCES;
}

/* Is @dir ("/a/b", no trailing '/') a directory in umm's tree? */
static bool is_dir(const char *dir)
{
	static const char *const dirs[] = { "", "/proc", "/sys", "/sys/kernel",
					    "/sys/kernel/slab" };
	const char *slab_path, *file;
	pid_t pid = proc_pid_path(dir, &file);

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!strcmp(dir, dirs[i]))
			return true;
	if (pid)
		return pid_path_kind(pid, file) == 1;
	slab_path = sys_slab_path(dir);
	return slab_path && slab_sysfs_store(slab_path, NULL, 0) == -EISDIR;	/* a cache */
}

/* A "." or ".." component of @n bytes at @p. */
static bool is_dot(const char *p, size_t n)
{
	return (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
}

/*
 * @path walked into @out: empty and "." components dropped, ".." taking
 * the last one off.  Either must follow a directory: -ENOTDIR after a
 * file, -ENOENT after nothing.  A path that ends in '/', "." or ".."
 * keeps one '/', so that the lookups answer -ENOTDIR for a file there.
 * Relative paths stay as they are: nothing matches them.
 */
static int walk_path(const char *path, char *out, size_t size)
{
	size_t len = 0, n;
	const char *p;

	if (strlen(path) >= size)
		return -ENAMETOOLONG;
	if (path[0] != '/') {
		strcpy(out, path);
		return 0;
	}
	out[0] = '\0';
	for (p = path; *p; p += n) {
		p += strspn(p, "/");
		n = strcspn(p, "/");
		if (!n)
			break;
		if (!is_dot(p, n)) {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		} else if (!is_dir(out)) {	/* a file, or nothing */
			return is_file(out) ? -ENOTDIR : -ENOENT;
		} else if (n == 2) {
			while (len && out[--len] != '/')
				;
		}
		out[len] = '\0';
	}
	n = strlen(path);
	if (!len || path[n - 1] == '/' || (n >= 2 && path[n - 2] == '/' && path[n - 1] == '.') ||
	    (n >= 3 && !strcmp(path + n - 3, "/.."))) {
		out[len++] = '/';
		out[len] = '\0';
	}
	return 0;
}

/* The argument checks and the walk every entry point starts with. */
static int proc_path(const char **path, char *walked, size_t walked_size, const char *buf,
		     size_t size)
{
	int err;

	if (!*path || (!buf && size))
		return -EINVAL;
	err = walk_path(*path, walked, walked_size);
	if (!err)
		*path = walked;
	return err;
}

ssize_t umm_proc_read(const char *path, char *buf, size_t size)
{
	const struct proc_entry *entry;
	const char *slab_path, *file;
	pid_t pid;
	char walked[PATH_MAX];
	int err = proc_path(&path, walked, sizeof(walked), buf, size);

	if (err)
		return err;
	if (is_proc_dir(path))
		return -EISDIR;
	pid = proc_pid_path(path, &file);
	if (pid) {
		err = pid_path_kind(pid, file);
		if (err < 0)
			return err;
		if (err == 1)
			return -EISDIR;
		if (!umm_ensure_booted())
			return -ENODEV;
		return read_pid_file(pid, file, buf, size);
	}
	/* The kernel's per-cache sysfs files: /sys/kernel/slab/<cache>/<attr>. */
	slab_path = sys_slab_path(path);
	if (slab_path)
		return *slab_path ? show_into(show_slab_sysfs, slab_path, buf, size) : -EISDIR;
	entry = proc_entry_at(path);
	return entry ? show_into(show_proc_entry, entry, buf, size) : proc_missing(path);
}

ssize_t umm_proc_list(const char *path, char *buf, size_t size)
{
	const char *slab_path, *file;
	char walked[PATH_MAX];
	int err = proc_path(&path, walked, sizeof(walked), buf, size);
	pid_t pid;

	if (err)
		return err;
	if (is_proc_dir(path))
		return show_into(list_proc, NULL, buf, size);
	pid = proc_pid_path(path, &file);
	if (pid) {
		err = pid_path_kind(pid, file);
		if (err < 0)
			return err;
		return err == 1 ? show_into(list_pid_dir, NULL, buf, size) : -ENOTDIR;
	}
	slab_path = sys_slab_path(path);
	if (slab_path)
		return show_into(list_slab_sysfs, slab_path, buf, size);
	return proc_entry_at(path) ? -ENOTDIR : proc_missing(path);
}

ssize_t umm_proc_write(const char *path, const char *buf, size_t size)
{
	char walked[PATH_MAX];
	const char *slab_path, *file;
	pid_t pid;
	ssize_t ret = proc_path(&path, walked, sizeof(walked), buf, size);

	if (ret)
		return ret;
	if (!umm_ensure_booted())
		return -ENODEV;
	if (is_proc_dir(path))
		return -EISDIR;
	pid = proc_pid_path(path, &file);
	if (pid) {
		ret = pid_path_kind(pid, file);
		return ret < 0 ? ret : ret == 1 ? -EISDIR : -EACCES;	/* 0444 */
	}
	slab_path = sys_slab_path(path);
	if (slab_path) {
		if (!*slab_path)
			return -EISDIR;
		umm_gate_enter();
		ret = slab_sysfs_store(slab_path, buf, size);
		umm_gate_exit();
		return ret;
	}
	/* SLAB's /proc/slabinfo is 0600 and takes tunables (slabinfo_write()). */
	if (!strcmp(path, "/proc/slabinfo") && slab_classic) {
		umm_gate_enter();
		ret = slabinfo_write(buf, size);
		umm_gate_exit();
		return ret;
	}
	return proc_entry_at(path) ? -EACCES /* 0444: no ->write */ : proc_missing(path);
}
