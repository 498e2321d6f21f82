/* SPDX-License-Identifier: GPL-2.0 */
/*
 * binfmts.h - executable formats: struct linux_binprm (what one execve()
 * carries from the file to the new address space) and struct linux_binfmt
 * (a loader on the formats list), as include/linux/binfmts.h of Linux
 * 6.18.  fs/exec.c owns the list and the exec path; fs/binfmt_elf.c and
 * fs/binfmt_script.c are the two formats umm registers.
 *
 * A binprm lives for one execve() only.  Its mm is the new address space
 * being built; nothing of the calling task changes until a format's
 * load_binary() has returned 0 (see fs/exec.c's head comment).
 */
#ifndef _UMM_BINFMTS_H
#define _UMM_BINFMTS_H

#include "compiler.h"
#include <sys/resource.h>
#include "list.h"

UMM_BEGIN_DECLS

struct file;
struct mm_struct;
struct vm_area_struct;
struct task_struct;

#define BINPRM_BUF_SIZE		256		/* the file's first bytes */
#define MAX_ARG_STRLEN		(4096UL * 32)	/* one argv/envp string, NUL included */
#define MAX_ARG_STRINGS		0x7FFFFFFF
#define ARG_MAX_BYTES		(4096UL * 32)	/* ARG_MAX: what a small stack still allows */
#define _STK_LIM		(8UL * 1024 * 1024)

/* auxv entries newer than some C libraries' <elf.h> (include/uapi/linux/auxvec.h) */
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ		51
#endif
#ifndef AT_RSEQ_FEATURE_SIZE
#define AT_RSEQ_FEATURE_SIZE	27
#define AT_RSEQ_ALIGN		28
#endif
#ifndef AT_HWCAP3
#define AT_HWCAP3		29
#define AT_HWCAP4		30
#endif

/* bprm->interp_flags */
#define BINPRM_FLAGS_ENFORCE_NONDUMP	(1 << 0)
#define BINPRM_FLAGS_PATH_INACCESSIBLE	(1 << 2)
#define BINPRM_FLAGS_PRESERVE_ARGV0	(1 << 3)

/* setup_arg_pages()'s executable_stack (PT_GNU_STACK) */
#define EXSTACK_DEFAULT		0
#define EXSTACK_DISABLE_X	1
#define EXSTACK_ENABLE_X	2

struct linux_binprm {
	struct vm_area_struct *vma;	/* the stack being filled */
	unsigned long vma_pages;
	unsigned long argmin;		/* bprm_stack_limits(): the lowest p may go */
	struct mm_struct *mm;		/* the new address space */
	unsigned long p;		/* current top of the strings */
	unsigned int have_execfd:1, execfd_creds:1, secureexec:1,
		point_of_no_return:1;
	struct task_struct *task;	/* who execs (umm's "current") */
	struct file *executable;	/* the binary, kept for the mm's exe_file */
	struct file *interpreter;	/* set by a format that hands on (#!) */
	struct file *file;		/* what the next format looks at */
	int argc, envc;
	const char *filename;		/* the name as given: AT_EXECFN */
	const char *interp;		/* the name of the file really run */
	char *fdpath;			/* for a #! interpreter: its own path */
	unsigned int interp_flags;
	int execfd;
	unsigned long loader, exec;	/* stack addresses of the loader and AT_EXECFN strings */
	struct rlimit rlim_stack;	/* RLIMIT_STACK at the start of exec */
	unsigned int per_clear;		/* personality bits a set-id file clears */
	unsigned int personality;	/* the task's persona once exec succeeds */
	unsigned int task_flags;	/* PF_RANDOMIZE for the new image */
	unsigned int uid, euid, gid, egid;	/* the credentials (AT_UID..AT_EGID) */
	char comm[16];			/* the new task->comm */
	/* Aligned: binfmt_elf reads it as an Elf64_Ehdr in place. */
	char buf[BINPRM_BUF_SIZE] __attribute__((aligned(8)));
};

struct linux_binfmt {
	struct list_head lh;
	const char *name;
	int (*load_binary)(struct linux_binprm *bprm);
};

/* The formats list (fs/exec.c), searched from its head. */
UMM_API void register_binfmt(struct linux_binfmt *fmt);
UMM_API void unregister_binfmt(struct linux_binfmt *fmt);
/* Another format comes first: insert_binfmt() of the kernel. */
UMM_API void insert_binfmt(struct linux_binfmt *fmt);

UMM_END_DECLS

#endif /* _UMM_BINFMTS_H */
