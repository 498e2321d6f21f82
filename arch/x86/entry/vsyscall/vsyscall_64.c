// SPDX-License-Identifier: GPL-2.0
/*
 * vsyscall_64.c - the legacy vsyscall page as a 64-bit process sees it
 * (arch/x86/entry/vsyscall/vsyscall_64.c, Linux 6.18).
 *
 * Owns: gate_vma, one static VMA that no mm links.  The kernel shows it
 * at the end of /proc/PID/maps of every mm whose context has
 * MM_CONTEXT_HAS_VSYSCALL (set by set_personality_64bit() at exec):
 *
 *	ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0   [vsyscall]
 *
 * vsyscall=xonly, the default since 5.18: execute only, so the flags are
 * VM_EXEC alone.  Nothing can fault there in umm (the address is above
 * TASK_SIZE), as in the kernel where it is emulated, not mapped.
 */
#include "../../../../mm/internal.h"

#define VSYSCALL_ADDR	(-10UL << 20)	/* 0xffffffffff600000 */

static const char *gate_vma_name(struct vm_area_struct *vma)
{
	(void)vma;
	return "[vsyscall]";
}

static const struct vm_operations_struct gate_vma_ops = {
	.name = gate_vma_name,
};

static struct vm_area_struct gate_vma = {
	.vm_start = VSYSCALL_ADDR,
	.vm_end = VSYSCALL_ADDR + PAGE_SIZE,
	.vm_flags = VM_EXEC,
	.vm_ops = &gate_vma_ops,
};

struct vm_area_struct *get_gate_vma(struct mm_struct *mm)
{
	if (!mm || !(mm->context.flags & MM_CONTEXT_HAS_VSYSCALL))
		return NULL;
	return &gate_vma;
}
