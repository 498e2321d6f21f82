// SPDX-License-Identifier: GPL-2.0
/*
 * exec.c - execve(): a task's address space replaced by a program's
 * (fs/exec.c of Linux 6.18; ULK3 chapter 20, LKD3 chapter 3).
 *
 * Owns: the formats list (register_binfmt()) and binfmt_lock, the host's
 * machine description for the auxv (read once), and the exec path:
 *
 *   umm_execve() -> do_execveat_common()
 *	alloc_bprm()	open_exec() the file; bprm_mm_init(): a new mm whose
 *			only VMA is a one-page stack at STACK_TOP_MAX, the
 *			strings' pointer p just under its top
 *	copy_strings()	the filename (AT_EXECFN, at the very top), envp,
 *			argv, each copied backwards below p; their total is
 *			held to bprm_stack_limits() (-E2BIG)
 *	bprm_execve() -> exec_binprm(): search_binary_handler() up to
 *			5 times (a #! script hands on its interpreter;
 *			-ELOOP after), each trying every format in turn
 *			until one says other than -ENOEXEC
 *   a format's load_binary() (fs/binfmt_elf.c) calls
 *	begin_new_exec()	the point of no return: credentials, the
 *			exe_file, the new personality and comm
 *	setup_new_exec()	the mmap layout for the new personality
 *	setup_arg_pages()	the stack moved to its final top (randomized
 *			under PF_RANDOMIZE) and grown to 128 KiB
 *	and maps the image into bprm->mm.
 *
 * Where umm differs from the kernel, and why: the kernel swaps the task's
 * mm in begin_new_exec() (exec_mmap()), and an error after that kills the
 * task with SIGSEGV.  umm builds the whole image in bprm->mm, an mm no
 * task uses yet, and swaps it in (exec_mmap()) only once load_binary()
 * has returned 0: an exec that fails at any step returns its error and
 * leaves the task, its mm, personality and comm as they were.  The
 * layout and every value are those the kernel gives, because nothing the
 * loader does depends on which mm is the task's.
 *
 * Files are host files: open_exec() opens the path with the host (so its
 * errors are the host's: -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG,
 * -EACCES), and refuses what the kernel's may_open() and do_open_execat()
 * refuse: a directory or other non-regular file, no execute permission
 * for the host process (faccessat(X_OK)), a noexec mount (all -EACCES).
 * A file umm cannot read (mode --x for a non-root caller) is -EACCES too,
 * where the kernel would run it unreadable.  No ETXTBSY (the host's
 * writers are not visible).  Credentials are the host process's ids; a
 * set-user-ID or set-group-ID file gives the effective id its owner's and
 * clears PER_CLEAR_ON_SETID from the personality, as bprm_fill_uid().
 *
 * Locking: binfmt_lock (a rwlock) over the formats list.  The new mm is
 * private to the exec until exec_mmap(); its mmap_lock is taken by the mm
 * calls as usual.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <umm/sched.h>
#include <umm/slab.h>
#include "../mm/internal.h"
#include "../kernel/internal.h"
#include "internal.h"

static LIST_HEAD(formats);
static pthread_rwlock_t binfmt_lock = PTHREAD_RWLOCK_INITIALIZER;

static void __register_binfmt(struct linux_binfmt *fmt, bool insert)
{
	pthread_rwlock_wrlock(&binfmt_lock);
	if (insert)
		list_add(&fmt->lh, &formats);
	else
		list_add_tail(&fmt->lh, &formats);
	pthread_rwlock_unlock(&binfmt_lock);
}

void register_binfmt(struct linux_binfmt *fmt)
{
	__register_binfmt(fmt, false);
}

void insert_binfmt(struct linux_binfmt *fmt)
{
	__register_binfmt(fmt, true);
}

void unregister_binfmt(struct linux_binfmt *fmt)
{
	pthread_rwlock_wrlock(&binfmt_lock);
	list_del(&fmt->lh);
	pthread_rwlock_unlock(&binfmt_lock);
}

/* The formats' core_initcall()s, in fs/Makefile's order. */
static pthread_once_t formats_once = PTHREAD_ONCE_INIT;

static void formats_init(void)
{
	init_script_binfmt();
	init_elf_binfmt();
}

void exec_formats_init(void)
{
	pthread_once(&formats_once, formats_init);
}

/* ---- the machine, as the host's own auxv describes it ---- */

static struct machine_auxv host_auxv;
static pthread_once_t host_auxv_once = PTHREAD_ONCE_INIT;

static void host_auxv_read(void)
{
	unsigned long v[2];
	FILE *f = fopen("/proc/self/auxv", "re");

	host_auxv.pagesz = PAGE_SIZE;
	host_auxv.clktck = 100;
	if (!f)
		return;
	while (fread(v, sizeof(v), 1, f) == 1 && v[0]) {
		switch (v[0]) {
		case AT_HWCAP: host_auxv.hwcap = v[1]; break;
		case AT_HWCAP2: host_auxv.hwcap2 = v[1]; host_auxv.has_hwcap2 = true; break;
		case AT_HWCAP3: host_auxv.hwcap3 = v[1]; host_auxv.has_hwcap3 = true; break;
		case AT_HWCAP4: host_auxv.hwcap4 = v[1]; host_auxv.has_hwcap4 = true; break;
		case AT_MINSIGSTKSZ:
			host_auxv.minsigstksz = v[1];
			host_auxv.has_minsigstksz = true;
			break;
		case AT_CLKTCK: host_auxv.clktck = v[1]; break;
		case AT_PAGESZ: host_auxv.pagesz = v[1]; break;
		case AT_RSEQ_FEATURE_SIZE:
			host_auxv.rseq_feature_size = v[1];
			host_auxv.has_rseq = true;
			break;
		case AT_RSEQ_ALIGN: host_auxv.rseq_align = v[1]; break;
		}
	}
	fclose(f);
}

const struct machine_auxv *machine_auxv(void)
{
	pthread_once(&host_auxv_once, host_auxv_read);
	return &host_auxv;
}

/* ---- files ---- */

/*
 * open_exec - the file at @name opened for exec: do_open_execat()'s
 * checks (see the head comment), then a struct file of mm/mmap.c.
 */
struct file *open_exec(const char *name)
{
	char path[64];
	struct statvfs vfs;
	struct file *file;
	struct stat st;
	int pfd, fd, err = 0;

	if (!*name)
		return ERR_PTR(-ENOENT);
	pfd = open(name, O_PATH | O_CLOEXEC);
	if (pfd < 0)
		return ERR_PTR(-errno);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", pfd);
	if (fstat(pfd, &st))
		err = -errno;
	else if (!S_ISREG(st.st_mode))	/* may_open(): directories and devices */
		err = -EACCES;
	else if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS))
		err = errno == ENOENT ? -ENOENT : -EACCES;
	else if (!fstatvfs(pfd, &vfs) && (vfs.f_flag & ST_NOEXEC))
		err = -EACCES;	/* path_noexec() */
	if (err) {
		close(pfd);
		return ERR_PTR(err);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	close(pfd);
	if (fd < 0)
		return ERR_PTR(errno == ENOMEM ? -ENOMEM : -EACCES);
	file = fget(fd);
	close(fd);
	return file ? file : ERR_PTR(-ENOMEM);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t pos)
{
	size_t done = 0;

	while (done < count) {
		ssize_t n = pread(file->f_hostfd, (char *)buf + done, count - done,
				  pos + (loff_t)done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -errno;
		}
		if (!n)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

/* ---- the new mm and its first stack ---- */

/* Forked (dup_task_struct()), not made by its caller: it has a group. */
static bool task_forked(const struct task_struct *t)
{
	/* de_thread() moves the leadership under tasklist_lock; never to NULL */
	return __atomic_load_n(&t->group_leader, __ATOMIC_RELAXED) != NULL;
}

/*
 * What exec reads of a forked task (flags, personality, rlimits) it
 * reads under tasklist_lock, where do_exit(), umm_personality() and
 * umm_setrlimit() from other threads write them.
 */
static void task_lock_for_exec(struct task_struct *t)
{
	if (task_forked(t))
		read_lock_tasklist();
}

static void task_unlock_for_exec(struct task_struct *t)
{
	if (task_forked(t))
		read_unlock_tasklist();
}

static unsigned int task_flags_of(struct task_struct *t)
{
	unsigned int flags;

	task_lock_for_exec(t);
	flags = t->flags;
	task_unlock_for_exec(t);
	return flags;
}

static unsigned long task_rlimit(struct task_struct *t, int resource)
{
	struct rlimit rl;

	if (t->signal)
		rl = t->signal->rlim[resource];
	else if (getrlimit(resource, &rl))
		return RLIM_INFINITY;
	return rl.rlim_cur;
}

/* VM_STACK_FLAGS of a task with @personality (VM_DATA_FLAGS_TSK_EXEC). */
static vm_flags_t vm_stack_flags(unsigned int personality)
{
	return VM_STACK | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT |
		((personality & READ_IMPLIES_EXEC) ? VM_EXEC : 0);
}

/*
 * __bprm_mm_init - the temporary stack: one page just below
 * STACK_TOP_MAX, where the strings go before the binary is known.
 */
static int __bprm_mm_init(struct linux_binprm *bprm)
{
	struct mm_struct *mm = bprm->mm;
	struct vm_area_struct *vma;
	int err = -ENOMEM;

	mmap_write_lock(mm);
	vma = vm_area_alloc(mm);
	if (!vma)
		goto out;
	vma_set_range(vma, STACK_TOP_MAX - PAGE_SIZE, STACK_TOP_MAX,
		      (STACK_TOP_MAX - PAGE_SIZE) >> PAGE_SHIFT);
	vma->vm_flags = VM_SOFTDIRTY | vm_stack_flags(bprm->personality) |
			VM_STACK_INCOMPLETE_SETUP;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	if (security_vm_enough_memory_mm(mm, 1)) {	/* insert_vm_struct() */
		vm_area_free(vma);
		goto out;
	}
	if (vma_prealloc(mm)) {
		vm_unacct_memory(1);
		vm_area_free(vma);
		goto out;
	}
	vma_link(mm, vma);
	mm->stack_vm = mm->total_vm = 1;
	bprm->vma = vma;
	bprm->p = vma->vm_end - sizeof(void *);
	err = 0;
out:
	mmap_write_unlock(mm);
	return err;
}

static int bprm_mm_init(struct linux_binprm *bprm)
{
	struct task_struct *t = bprm->task;
	struct mm_struct *mm = umm_mm_create();

	if (!mm)
		return -ENOMEM;
	bprm->mm = mm;
	/* the task as the exec starts; what the task's signal struct says, for this image's mm */
	task_lock_for_exec(t);
	bprm->task_flags = t->flags;
	bprm->personality = t->personality;
	bprm->rlim_stack.rlim_cur = task_rlimit(t, RLIMIT_STACK);
	bprm->rlim_stack.rlim_max = t->signal ? t->signal->rlim[RLIMIT_STACK].rlim_max :
					RLIM_INFINITY;
	mm->limits.stack = bprm->rlim_stack.rlim_cur;
	mm->limits.memlock = task_rlimit(t, RLIMIT_MEMLOCK);
	mm->limits.data = task_rlimit(t, RLIMIT_DATA);
	mm->limits.as = task_rlimit(t, RLIMIT_AS);
	task_unlock_for_exec(t);
	return __bprm_mm_init(bprm);
}

static void free_bprm(struct linux_binprm *bprm)
{
	if (bprm->mm)
		umm_mm_destroy(bprm->mm);
	if (bprm->file)
		fput(bprm->file);
	if (bprm->interpreter)
		fput(bprm->interpreter);
	if (bprm->interp != bprm->filename)
		kfree(bprm->interp);
	kfree(bprm);
}

static struct linux_binprm *alloc_bprm(struct task_struct *t, const char *filename)
{
	struct linux_binprm *bprm;
	struct file *file;
	int err;

	file = open_exec(filename);
	if (IS_ERR(file))
		return (struct linux_binprm *)file;
	bprm = kzalloc(sizeof(*bprm), GFP_KERNEL);
	if (!bprm) {
		fput(file);
		return ERR_PTR(-ENOMEM);
	}
	bprm->file = file;
	bprm->task = t;
	bprm->filename = filename;
	bprm->interp = filename;
	err = bprm_mm_init(bprm);
	if (err) {
		free_bprm(bprm);
		return ERR_PTR(err);
	}
	return bprm;
}

/* ---- the strings ---- */

static int count(char *const argv[])
{
	int i = 0;

	if (!argv)
		return 0;
	while (argv[i]) {
		if (i >= MAX_ARG_STRINGS)
			return -E2BIG;
		i++;
	}
	return i;
}

/*
 * bprm_stack_limits - how low the strings may go: a quarter of the
 * stack rlimit, at most 3/4 of _STK_LIM, at least ARG_MAX, less room for
 * the argv and envp pointers (and argv[0] "" if argc is 0).
 */
static int bprm_stack_limits(struct linux_binprm *bprm)
{
	unsigned long limit, ptr_size;

	limit = _STK_LIM / 4 * 3;
	limit = min(limit, bprm->rlim_stack.rlim_cur / 4);
	limit = max(limit, ARG_MAX_BYTES);
	if (bprm->argc < 0 || bprm->envc < 0)
		return -E2BIG;
	ptr_size = ((unsigned long)max(bprm->argc, 1) + (unsigned long)bprm->envc) *
		   sizeof(void *);
	if (limit <= ptr_size)
		return -E2BIG;
	limit -= ptr_size;
	bprm->argmin = bprm->p - limit;
	return 0;
}

/*
 * Put @len bytes at @pos of the new stack: get_arg_page(), which grows
 * the stack VMA down first (its limits give -E2BIG, as a failed
 * get_arg_page() does).
 */
static int put_arg_bytes(struct linux_binprm *bprm, unsigned long pos,
			 const void *src, unsigned long len)
{
	long n = umm_access(bprm->mm, pos, (void *)src, len, 1);

	return n == (long)len ? 0 : -E2BIG;
}

int copy_string_kernel(const char *arg, struct linux_binprm *bprm)
{
	unsigned long len = strnlen(arg, MAX_ARG_STRLEN) + 1;

	if (len > MAX_ARG_STRLEN)	/* valid_arg_len() */
		return -E2BIG;
	bprm->p -= len;
	if (bprm->p < bprm->argmin)
		return -E2BIG;
	return put_arg_bytes(bprm, bprm->p, arg, len);
}

/* The strings of @argv, last first, so that argv[0] ends lowest. */
static int copy_strings(int argc, char *const argv[], struct linux_binprm *bprm)
{
	while (argc-- > 0) {
		int err = copy_string_kernel(argv[argc], bprm);

		if (err)
			return err;
	}
	return 0;
}

/*
 * remove_arg_zero - drop argv[0] from the stack (binfmt_script): p moves
 * past its NUL, as the kernel reads it back from the arg pages.
 */
int remove_arg_zero(struct linux_binprm *bprm)
{
	char chunk[256];

	if (!bprm->argc)
		return 0;
	for (;;) {
		long n = umm_access(bprm->mm, bprm->p, chunk, sizeof(chunk), 0);
		char *nul;

		if (n <= 0)
			return -EFAULT;
		nul = memchr(chunk, '\0', (size_t)n);
		if (nul) {
			bprm->p += (unsigned long)(nul - chunk) + 1;
			break;
		}
		bprm->p += (unsigned long)n;
	}
	bprm->argc--;
	return 0;
}

int bprm_change_interp(const char *interp, struct linux_binprm *bprm)
{
	char *copy = kstrdup(interp, GFP_KERNEL);

	if (!copy)
		return -ENOMEM;
	if (bprm->interp != bprm->filename)
		kfree(bprm->interp);
	bprm->interp = copy;
	return 0;
}

/* ---- randomization (arch/x86/kernel/process.c, mm/util.c) ---- */

unsigned long arch_align_stack(struct linux_binprm *bprm, unsigned long sp)
{
	if (mm_randomize(bprm->mm))
		sp -= mm_random(bprm->mm) % 8192;	/* get_random_u32_below(8192) */
	return sp & ~0xfUL;
}

unsigned long randomize_stack_top(struct linux_binprm *bprm, unsigned long stack_top)
{
	unsigned long random_variable = 0;

	if (bprm->task_flags & PF_RANDOMIZE) {
		random_variable = mm_random(bprm->mm) & STACK_RND_MASK;
		random_variable <<= PAGE_SHIFT;
	}
	return PAGE_ALIGN(stack_top) - random_variable;
}

/* ---- the point of no return ---- */

/* bprm_fill_uid(): a set-id file's owner becomes the effective id. */
static void bprm_creds_from_file(struct linux_binprm *bprm)
{
	struct stat st;

	bprm->uid = bprm->euid = (unsigned int)getuid();
	bprm->gid = bprm->egid = (unsigned int)getgid();
	bprm->euid = (unsigned int)geteuid();
	bprm->egid = (unsigned int)getegid();
	if (fstat(bprm->file->f_hostfd, &st))
		return;
	if (st.st_mode & S_ISUID) {
		bprm->per_clear |= PER_CLEAR_ON_SETID;
		bprm->euid = st.st_uid;
	}
	if ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
		bprm->per_clear |= PER_CLEAR_ON_SETID;
		bprm->egid = st.st_gid;
	}
	bprm->secureexec = bprm->euid != bprm->uid || bprm->egid != bprm->gid;
}

static const char *kbasename(const char *path)
{
	const char *tail = strrchr(path, '/');

	return tail ? tail + 1 : path;
}

/*
 * begin_new_exec - commit to the image: from here the kernel cannot
 * return to the old program.  umm records what the task will become
 * (see the head comment); exec_mmap() applies it.
 */
int begin_new_exec(struct linux_binprm *bprm)
{
	bprm_creds_from_file(bprm);
	bprm->point_of_no_return = 1;
	/* set_mm_exe_file() */
	bprm->mm->exe_file = get_file(bprm->file);
	/* the task's flags and personality as bprm_mm_init() read them */
	bprm->task_flags &= ~(PF_RANDOMIZE | PF_FORKNOEXEC | PF_NOFREEZE);
	bprm->personality &= ~bprm->per_clear;
	if (bprm->secureexec && bprm->rlim_stack.rlim_cur > _STK_LIM)
		bprm->rlim_stack.rlim_cur = _STK_LIM;
	/* __set_task_comm(me, kbasename(bprm->filename)) */
	snprintf(bprm->comm, sizeof(bprm->comm), "%s", kbasename(bprm->filename));
	return 0;
}

/* setup_new_exec(): what depends on the new personality. */
void setup_new_exec(struct linux_binprm *bprm)
{
	struct mm_struct *mm = bprm->mm;

	if (!(bprm->task_flags & PF_RANDOMIZE))
		mm->flags |= 1UL << MMF_NO_RANDOMIZE;
	arch_pick_mmap_layout_exec(mm, bprm->rlim_stack.rlim_cur,
				   bprm->personality & ADDR_COMPAT_LAYOUT);
	mm->task_size = TASK_SIZE;
}

/*
 * relocate_vma_down - move the temporary stack and its pages @shift
 * bytes down: grow it to cover both places, move the page tables, then
 * drop the top.  Nothing else is mapped near it yet.
 */
static int relocate_vma_down(struct vm_area_struct *vma, unsigned long shift)
{
	unsigned long old_start = vma->vm_start, old_end = vma->vm_end;
	unsigned long length = old_end - old_start;
	unsigned long new_start = old_start - shift, new_end = old_end - shift;
	struct vm_area_struct *prev = vma->vm_prev;

	if (new_start >= new_end || (prev && prev->vm_end > new_start))
		return -EFAULT;
	if (vma_prealloc(vma->vm_mm))
		return -ENOMEM;
	vma_update_range(vma, new_start, old_end, vma->vm_pgoff);
	if (move_page_tables(vma, old_start, vma, new_start, length) != length)
		return -ENOMEM;
	vma_update_range(vma, new_start, new_end, vma->vm_pgoff);
	return 0;
}

/*
 * setup_arg_pages - the stack at its final place: @stack_top (aligned,
 * maybe randomized), flags as PT_GNU_STACK says, grown to 128 KiB more
 * than the strings took (less if RLIMIT_STACK is smaller).
 */
int setup_arg_pages(struct linux_binprm *bprm, unsigned long stack_top,
		    int executable_stack)
{
	struct mm_struct *mm = bprm->mm;
	struct vm_area_struct *vma = bprm->vma;
	unsigned long stack_shift, stack_expand, stack_size, rlim_stack;
	vm_flags_t vm_flags;
	int ret = 0;

	stack_top = arch_align_stack(bprm, stack_top);
	stack_top = PAGE_ALIGN(stack_top);
	if (unlikely(stack_top < mmap_min_addr) ||
	    unlikely(vma->vm_end - vma->vm_start >= stack_top - mmap_min_addr))
		return -ENOMEM;

	stack_shift = vma->vm_end - stack_top;
	bprm->p -= stack_shift;
	mm->arg_start = bprm->p;
	if (bprm->loader)
		bprm->loader -= stack_shift;
	bprm->exec -= stack_shift;

	mmap_write_lock(mm);
	vm_flags = vm_stack_flags(bprm->personality);
	if (unlikely(executable_stack == EXSTACK_ENABLE_X))
		vm_flags |= VM_EXEC;
	else if (executable_stack == EXSTACK_DISABLE_X)
		vm_flags &= ~VM_EXEC;
	vm_flags |= mm->def_flags | VM_STACK_INCOMPLETE_SETUP | VM_SOFTDIRTY;
	if (vm_flags != vma->vm_flags) {	/* mprotect_fixup() */
		vm_stat_account(mm, vma->vm_flags, -(long)vma_pages(vma));
		vma->vm_flags = vm_flags;
		vm_stat_account(mm, vma->vm_flags, (long)vma_pages(vma));
		vma_set_page_prot(vma);
		change_protection(vma, vma->vm_start, vma->vm_end);
	}

	if (stack_shift) {
		ret = relocate_vma_down(vma, stack_shift);
		if (ret)
			goto out_unlock;
	}

	vma->vm_flags &= ~VM_STACK_INCOMPLETE_SETUP;
	stack_expand = 131072UL;	/* randomly 32*4k (or 2*64k) pages */
	stack_size = vma->vm_end - vma->vm_start;
	rlim_stack = bprm->rlim_stack.rlim_cur & PAGE_MASK;
	stack_expand = min(rlim_stack, stack_size + stack_expand);
	mm->start_stack = bprm->p;
	if (expand_downwards(vma, vma->vm_end - stack_expand))
		ret = -EFAULT;
out_unlock:
	mmap_write_unlock(mm);
	return ret;
}

/* ---- the search ---- */

static int prepare_binprm(struct linux_binprm *bprm)
{
	ssize_t n;

	memset(bprm->buf, 0, BINPRM_BUF_SIZE);
	n = kernel_read(bprm->file, bprm->buf, BINPRM_BUF_SIZE, 0);
	return n < 0 ? (int)n : 0;
}

/*
 * search_binary_handler - every format in turn until one takes the file
 * (0), fails in earnest (not -ENOEXEC) or passed its point of no return.
 */
static int search_binary_handler(struct linux_binprm *bprm)
{
	struct linux_binfmt *fmt;
	int retval;

	retval = prepare_binprm(bprm);
	if (retval < 0)
		return retval;
	retval = -ENOEXEC;
	pthread_rwlock_rdlock(&binfmt_lock);
	list_for_each_entry(fmt, &formats, lh) {
		retval = fmt->load_binary(bprm);
		if (bprm->point_of_no_return || retval != -ENOEXEC)
			break;
	}
	pthread_rwlock_unlock(&binfmt_lock);
	return bprm->point_of_no_return || retval != -ENOEXEC ? retval : -ENOEXEC;
}

/* exec_binprm - follow interpreters: 4 levels of rewrites, -ELOOP at 6. */
static int exec_binprm(struct linux_binprm *bprm)
{
	int ret, depth;

	for (depth = 0;; depth++) {
		if (depth > 5)
			return -ELOOP;
		ret = search_binary_handler(bprm);
		if (ret < 0)
			return ret;
		if (!bprm->interpreter)
			break;
		fput(bprm->file);
		bprm->file = bprm->interpreter;
		bprm->interpreter = NULL;
	}
	return 0;
}

/*
 * exec_commit - the image is complete: the task becomes the program.
 * It takes the new mm and drops its old one (mmput(): the VMAs and pages
 * go once no other user, such as a CLONE_VM sibling, holds it).  A task
 * on the task list goes through task_exec_commit(), which also releases
 * a vfork parent and folds the group's faults, and refuses (-EAGAIN) a
 * task that another thread's umm_exit() has begun to end; a task_struct
 * its caller made itself, never forked (tests, embedders that keep their
 * own tasks), only has its fields set and its mm swapped.
 */
static int exec_commit(struct linux_binprm *bprm)
{
	struct task_struct *t = bprm->task;
	struct mm_struct *old_mm;
	int err;

	if (task_forked(t)) {
		err = task_exec_commit(t, bprm->mm, bprm->personality, bprm->task_flags,
				       bprm->comm);
		if (err)
			return err;
	} else {
		t->personality = bprm->personality;
		t->flags = bprm->task_flags;
		memcpy(t->comm, bprm->comm, sizeof(t->comm));
		old_mm = t->mm;		/* a task of its own, never scheduled */
		t->mm = t->active_mm = bprm->mm;
		if (old_mm)
			umm_mm_destroy(old_mm);
	}
	bprm->mm = NULL;
	return 0;
}

static int bprm_execve(struct linux_binprm *bprm)
{
	int retval = exec_binprm(bprm);

	if (retval < 0)
		return retval;
	/* the other threads go only now: a failed load left them running */
	if (task_forked(bprm->task)) {
		retval = de_thread(bprm->task);
		if (retval < 0)
			return retval;
	}
	return exec_commit(bprm);
}

static long do_execveat_common(struct task_struct *t, const char *filename,
			       char *const argv[], char *const envp[])
{
	struct linux_binprm *bprm;
	unsigned int flags;
	long retval;

	if (!t)
		return -EINVAL;
	flags = task_flags_of(t);
	/* kernel_execve(): WARN_ON_ONCE(current->flags & PF_KTHREAD) */
	if (flags & PF_KTHREAD)
		return -EINVAL;
	/* a task that has begun to exit runs nothing more (de_thread()'s check, early) */
	if (flags & PF_EXITING)
		return -EAGAIN;
	/* asleep in vfork() until its child execs or exits: it runs nothing (as clone and wait4) */
	if (__atomic_load_n(&t->vfork_child, __ATOMIC_ACQUIRE))
		return -EBUSY;
	if (!filename)
		return -EFAULT;
	if (strnlen(filename, PATH_MAX) >= PATH_MAX)	/* getname() */
		return -ENAMETOOLONG;
	exec_formats_init();

	bprm = alloc_bprm(t, filename);
	if (IS_ERR(bprm))
		return PTR_ERR(bprm);

	retval = bprm->argc = count(argv);
	if (retval < 0)
		goto out_free;
	retval = bprm->envc = count(envp);
	if (retval < 0)
		goto out_free;
	retval = bprm_stack_limits(bprm);
	if (retval < 0)
		goto out_free;
	retval = copy_string_kernel(bprm->filename, bprm);
	if (retval < 0)
		goto out_free;
	bprm->exec = bprm->p;
	retval = copy_strings(bprm->envc, envp, bprm);
	if (retval < 0)
		goto out_free;
	retval = copy_strings(bprm->argc, argv, bprm);
	if (retval < 0)
		goto out_free;
	/* an empty argv gets "" as argv[0], for programs that skip it */
	if (bprm->argc == 0) {
		retval = copy_string_kernel("", bprm);
		if (retval < 0)
			goto out_free;
		bprm->argc = 1;
	}
	retval = bprm_execve(bprm);
out_free:
	free_bprm(bprm);
	return retval;
}

long umm_execve(struct task_struct *t, const char *filename,
		char *const argv[], char *const envp[])
{
	return do_execveat_common(t, filename, argv, envp);
}
