// SPDX-License-Identifier: GPL-2.0
/*
 * test_exec.c - what diff_exec cannot compare with the host: exec under
 * umm.aslr_seed= (the kernel's ranges for the stack, the PIE base, the
 * mmap base and brk; ADDR_NO_RANDOMIZE turning it off; the same seed,
 * the same layout), the vDSO's bytes, and an exec'ed mm through fork.
 */
#include <elf.h>
#include <sys/auxv.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <umm.h>
#include <umm/sched.h>
#include "../../mm/internal.h"
#include "../../fs/internal.h"
#include "../test.h"

struct layout {
	unsigned long stack_end, start_stack, pie_base, start_brk, end_data, mmap_base;
	unsigned long vdso;
};

static struct task_struct *new_task(unsigned int persona)
{
	struct task_struct *t = calloc(1, sizeof(*t));

	t->signal = calloc(1, sizeof(*t->signal));
	for (int r = 0; r < UMM_RLIM_NLIMITS; r++)
		getrlimit(r, &t->signal->rlim[r]);
	t->signal->rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;
	t->personality = persona;
	t->mm = t->active_mm = umm_mm_create();
	return t;
}

static void free_task(struct task_struct *t)
{
	umm_mm_destroy(t->mm);
	free(t->signal);
	free(t);
}

/* exec /usr/bin/true into a new task and note where things went */
static int exec_layout(unsigned int persona, struct layout *l)
{
	char *argv[] = { "/usr/bin/true", NULL }, *envp[] = { "A=b", NULL };
	struct task_struct *t = new_task(persona);
	struct vm_area_struct *vma;
	long err = umm_execve(t, "/usr/bin/true", argv, envp);

	if (err) {
		free_task(t);
		return (int)err;
	}
	memset(l, 0, sizeof(*l));
	mmap_read_lock(t->mm);
	VMA_ITERATOR(vmi, t->mm, 0);
	for_each_vma(vmi, vma) {
		if (vma->vm_flags & VM_GROWSDOWN)
			l->stack_end = vma->vm_end;
		if (vma->vm_file && !l->pie_base && strstr(vma->vm_file->f_path, "true"))
			l->pie_base = vma->vm_start;
	}
	mmap_read_unlock(t->mm);
	l->start_stack = t->mm->start_stack;
	l->start_brk = t->mm->start_brk;
	l->end_data = t->mm->end_data;
	l->mmap_base = t->mm->mmap_base;
	l->vdso = t->mm->context.vdso;
	err = umm_mm_check(t->mm);
	free_task(t);
	return (int)err;
}

TEST(test_exec_no_randomization)
{
	struct layout l;

	ASSERT_EQ(exec_layout(0, &l), 0);
	EXPECT_EQ(l.stack_end, STACK_TOP);
	EXPECT_EQ(l.pie_base, 0x555555554000UL);
	EXPECT_EQ(l.mmap_base, TASK_SIZE - (128UL << 20));	/* the gap's minimum */
	EXPECT_EQ(l.start_brk, PAGE_ALIGN(l.start_brk));
}

/* The kernel's ranges: stack 22 bits of pages, mmap and PIE 28, brk 1 GiB. */
static void check_random_layout(const struct layout *l, const struct layout *fixed)
{
	unsigned long brk_min = PAGE_ALIGN(fixed->start_brk - fixed->pie_base + l->pie_base);

	EXPECT(l->stack_end <= STACK_TOP);
	EXPECT(l->stack_end >= STACK_TOP - (STACK_RND_MASK << PAGE_SHIFT));
	EXPECT(!(l->stack_end & ~PAGE_MASK));
	EXPECT(!(l->start_stack & 15));
	EXPECT(l->start_stack < l->stack_end && l->start_stack > l->stack_end - 8192 - 4096);
	EXPECT(l->pie_base >= 0x555555554000UL);
	EXPECT(l->pie_base <= 0x555555554000UL + (((1UL << 28) - 1) << PAGE_SHIFT));
	EXPECT(l->mmap_base <= TASK_SIZE - (8UL << 20) - stack_guard_gap -
	       (STACK_RND_MASK << PAGE_SHIFT));
	EXPECT(l->mmap_base >= TASK_SIZE - (8UL << 20) - stack_guard_gap -
	       (STACK_RND_MASK << PAGE_SHIFT) - (((1UL << 28) - 1) << PAGE_SHIFT));
	/* a page of gap after the bss, then up to 1 GiB */
	EXPECT(l->start_brk >= brk_min + PAGE_SIZE);
	EXPECT(l->start_brk < brk_min + PAGE_SIZE + (1UL << 30));
}

TEST(test_exec_aslr)
{
	struct layout fixed, a, b, c, off;

	ASSERT_EQ(exec_layout(0, &fixed), 0);
	umm_shutdown();
	ASSERT_EQ(umm_boot("umm.aslr_seed=42"), 0);
	ASSERT_EQ(exec_layout(0, &a), 0);
	ASSERT_EQ(exec_layout(0, &b), 0);
	check_random_layout(&a, &fixed);
	check_random_layout(&b, &fixed);
	EXPECT(a.stack_end != b.stack_end || a.pie_base != b.pie_base);
	/* personality(ADDR_NO_RANDOMIZE) turns it off, seed or not */
	ASSERT_EQ(exec_layout(ADDR_NO_RANDOMIZE, &off), 0);
	EXPECT_EQ(off.stack_end, fixed.stack_end);
	EXPECT_EQ(off.start_stack, fixed.start_stack);
	EXPECT_EQ(off.pie_base, fixed.pie_base);
	EXPECT_EQ(off.start_brk, fixed.start_brk);
	EXPECT_EQ(off.vdso, fixed.vdso);
	/* the same seed replays the same layouts */
	umm_shutdown();
	ASSERT_EQ(umm_boot("umm.aslr_seed=42"), 0);
	ASSERT_EQ(exec_layout(0, &c), 0);
	EXPECT_EQ(c.stack_end, a.stack_end);
	EXPECT_EQ(c.pie_base, a.pie_base);
	EXPECT_EQ(c.start_brk, a.start_brk);
	umm_shutdown();
	ASSERT_EQ(umm_boot(NULL), 0);
}

/* [vdso] holds the host's image; [vvar] reads as zeroes. */
TEST(test_exec_vdso_bytes)
{
	struct task_struct *t = new_task(ADDR_NO_RANDOMIZE);
	const void *host = (const void *)getauxval(AT_SYSINFO_EHDR);
	unsigned char page[4096], zero[4096] = { 0 };

	ASSERT(host);
	ASSERT_EQ(umm_execve(t, "/usr/bin/true", NULL, NULL), 0);
	ASSERT(t->mm->context.vdso);
	EXPECT_EQ(t->mm->saved_auxv[1], t->mm->context.vdso);	/* AT_SYSINFO_EHDR first */
	EXPECT_EQ(umm_access(t->mm, t->mm->context.vdso, page, sizeof(page), 0), 4096);
	EXPECT(!memcmp(page, host, sizeof(page)));
	EXPECT(!memcmp(page, ELFMAG, SELFMAG));
	/* the data pages below it */
	EXPECT_EQ(umm_access(t->mm, t->mm->context.vdso - 4096, page, sizeof(page), 0), 4096);
	EXPECT(!memcmp(page, zero, sizeof(page)));
	/* an empty argv: argv[0] is "" */
	EXPECT_EQ(t->mm->arg_end - t->mm->arg_start, 1);
	EXPECT_STREQ(t->comm, "true");
	EXPECT_EQ(umm_mm_check(t->mm), 0);
	free_task(t);
}

/* fork() of an exec'ed mm: the exe_file, auxv, vdso and [vsyscall] go along. */
TEST(test_exec_fork)
{
	char *argv[] = { "/usr/bin/true", NULL };
	struct task_struct *t = new_task(ADDR_NO_RANDOMIZE);
	struct mm_struct *child;
	char maps[8192];

	ASSERT_EQ(umm_execve(t, "/usr/bin/true", argv, NULL), 0);
	child = umm_mm_fork(t->mm);
	ASSERT(child);
	EXPECT(child->exe_file == t->mm->exe_file);
	EXPECT_EQ(child->context.vdso, t->mm->context.vdso);
	EXPECT(!memcmp(child->saved_auxv, t->mm->saved_auxv, sizeof(child->saved_auxv)));
	ASSERT(umm_mm_show(child, "maps", maps, sizeof(maps)) > 0);
	EXPECT(strstr(maps, "[vsyscall]") && strstr(maps, "[vdso]") && strstr(maps, "[vvar]"));
	EXPECT_EQ(umm_mm_check(child), 0);
	free_task(t);		/* the parent's goes first: the file stays */
	EXPECT(child->exe_file && child->exe_file->f_count >= 1);
	umm_mm_destroy(child);
}

int main(void)
{
	if (umm_boot(NULL))
		return 1;
	RUN(test_exec_no_randomization);
	RUN(test_exec_aslr);
	RUN(test_exec_vdso_bytes);
	RUN(test_exec_fork);
	umm_shutdown();
	TEST_EXIT();
}
