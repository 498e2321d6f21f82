/* SPDX-License-Identifier: GPL-2.0 */
/*
 * internal.h - what fs/exec.c shares with the formats (fs/binfmt_elf.c,
 * fs/binfmt_script.c) and the arch's exec hooks (arch/x86/entry/vdso/),
 * as include/linux/binfmts.h's kernel-only half.  Nothing here is
 * exported.
 */
#ifndef _UMM_FS_INTERNAL_H
#define _UMM_FS_INTERNAL_H

#include <sys/types.h>
#include <umm/binfmts.h>

struct file;

/* fs/exec.c */
struct file *open_exec(const char *name);	/* ERR_PTR(-errno) */
ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t pos);
int begin_new_exec(struct linux_binprm *bprm);
void setup_new_exec(struct linux_binprm *bprm);
int setup_arg_pages(struct linux_binprm *bprm, unsigned long stack_top,
		    int executable_stack);
int copy_string_kernel(const char *arg, struct linux_binprm *bprm);
int remove_arg_zero(struct linux_binprm *bprm);
int bprm_change_interp(const char *interp, struct linux_binprm *bprm);
unsigned long arch_align_stack(struct linux_binprm *bprm, unsigned long sp);
unsigned long randomize_stack_top(struct linux_binprm *bprm, unsigned long stack_top);
/* The host's answers for what describes the machine (AT_HWCAP ...). */
struct machine_auxv {
	unsigned long hwcap, hwcap2, hwcap3, hwcap4, minsigstksz, clktck, pagesz;
	unsigned long rseq_feature_size, rseq_align;
	bool has_hwcap2, has_hwcap3, has_hwcap4, has_minsigstksz, has_rseq;
};
const struct machine_auxv *machine_auxv(void);
void exec_formats_init(void);

/* fs/binfmt_elf.c, fs/binfmt_script.c: the formats' registration */
void init_elf_binfmt(void);
void init_script_binfmt(void);

/* arch/x86/entry/vdso/vma.c */
bool vdso_enabled(void);
int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp);

/* x86-64 with 4-level paging (arch/x86/include/asm/processor.h, elf.h) */
#define STACK_TOP_MAX		TASK_SIZE_MAX
#define STACK_TOP		TASK_SIZE
#define ELF_ET_DYN_BASE		(DEFAULT_MAP_WINDOW / 3 * 2)
#define STACK_RND_MASK		0x3fffffUL	/* 64-bit: 22 bits of pages */

#endif /* _UMM_FS_INTERNAL_H */
