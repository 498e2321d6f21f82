// SPDX-License-Identifier: GPL-2.0
/*
 * task_mmu.c - /proc/PID/maps for a umm address space (fs/proc/task_mmu.c,
 * Linux 6.18), and the smaps VmFlags line that smaps will print.
 *
 * A maps line is show_vma_header_prefix() then the name:
 *
 *	"%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu "
 *	start-end    rwxp/s   offset dev     inode
 *
 * with the hex fields zero-padded to at least 8 (2) digits and lower case,
 * the offset, device and inode all 0 for anonymous memory.  If there is a
 * name, the line is padded with spaces to column 73 (seq_setwidth(25 +
 * 6 * sizeof(void *) - 1) then seq_pad(' ')), so that names start in the
 * 74th column; a nameless line ends with the space after the inode.
 * Names: the file's path ('\n' escaped as "\012"), "[heap]" for a VMA
 * that overlaps [start_brk, brk) (vma_is_initial_heap()), "[stack]" for
 * the one that contains start_stack (vma_is_initial_stack()).
 *
 * Locking: mmap_lock for reading, as the kernel's m_start() takes it.
 */
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>
#include "../../mm/internal.h"

/* seq_setwidth()/seq_pad(): pad to a column relative to where we were. */
static void seq_pad_to(struct seq_file *m, size_t pad_until, char c)
{
	while (m->count < pad_until)
		seq_putc(m, ' ');
	if (c)
		seq_putc(m, c);
}

static void show_vma_header_prefix(struct seq_file *m, unsigned long start,
				   unsigned long end, vm_flags_t flags,
				   unsigned long long pgoff, dev_t dev,
				   unsigned long ino)
{
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
		   start, end,
		   flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p',
		   pgoff, major(dev), minor(dev), ino);
}

static inline bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk &&
	       vma->vm_end > vma->vm_mm->start_brk;
}

static inline bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

/* seq_path(m, path, "\n"): escape what would break a line as \ooo. */
static void seq_path_escaped(struct seq_file *m, const char *path)
{
	for (; *path; path++) {
		if (*path == '\n')
			seq_puts(m, "\\012");
		else
			seq_putc(m, *path);
	}
}

void show_map_vma(struct seq_file *m, struct vm_area_struct *vma)
{
	size_t pad_until = m->count + 25 + sizeof(void *) * 6 - 1;
	struct file *file = vma->vm_file;
	const char *name = NULL;

	show_vma_header_prefix(m, vma->vm_start, vma->vm_end, vma->vm_flags,
			       file ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0,
			       file ? file->f_dev : 0, file ? file->f_ino : 0);
	if (file) {
		seq_pad_to(m, pad_until, ' ');
		seq_path_escaped(m, file->f_path);
	} else {
		if (vma->vm_ops && vma->vm_ops->name)
			name = vma->vm_ops->name(vma);
		if (!name && vma_is_initial_heap(vma))
			name = "[heap]";
		else if (!name && vma_is_initial_stack(vma))
			name = "[stack]";
		if (name) {
			seq_pad_to(m, pad_until, ' ');
			seq_puts(m, name);
		}
	}
	seq_putc(m, '\n');
}

/* The two-letter names of the VmFlags line, by bit (show_smap_vma_flags()). */
static const char mnemonics[64][3] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh",
	[4] = "mr", [5] = "mw", [6] = "me", [7] = "ms",
	[8] = "gd", [9] = "um", [10] = "pf", [12] = "uw",
	[13] = "lo", [14] = "io", [15] = "sr", [16] = "rr",
	[17] = "dc", [18] = "de", [19] = "lf", [20] = "ac",
	[21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar",
	[25] = "wf", [26] = "dd", [27] = "sd", [28] = "mm",
	[29] = "hg", [30] = "nh", [31] = "mg",
	[37] = "ss", [40] = "dp",
};

void show_smap_vma_flags(struct seq_file *m, struct vm_area_struct *vma)
{
	seq_puts(m, "VmFlags: ");
	for (unsigned int i = 0; i < 64; i++) {
		if (!(vma->vm_flags & (1UL << i)))
			continue;
		seq_puts(m, mnemonics[i][0] ? mnemonics[i] : "??");
		seq_putc(m, ' ');
	}
	seq_putc(m, '\n');
}

ssize_t umm_mm_show(struct mm_struct *mm, const char *file, char *buf, size_t size)
{
	struct seq_file m = { .buf = buf, .size = size };
	struct vm_area_struct *vma;

	if (!mm || !file || (!buf && size))
		return -EINVAL;
	if (strcmp(file, "maps"))
		return -ENOENT;		/* smaps, status, stat, pagemap: later */
	if (size)
		buf[0] = '\0';
	mmap_read_lock(mm);
	for_each_vma(mm, vma)
		show_map_vma(&m, vma);
	mmap_read_unlock(mm);
	if (size)
		buf[min(m.count, size - 1)] = '\0';
	return (ssize_t)m.count;
}
