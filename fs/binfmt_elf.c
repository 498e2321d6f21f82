// SPDX-License-Identifier: GPL-2.0
/*
 * binfmt_elf.c - the ELF loader: a 64-bit x86-64 ET_EXEC or ET_DYN file
 * and its PT_INTERP interpreter mapped into the new mm, the bss zeroed,
 * the vDSO added and the initial stack written (fs/binfmt_elf.c of Linux
 * 6.18; ULK3 chapter 20).
 *
 * Owns: elf_format.  Where things go, randomization off:
 *  - ET_EXEC at its p_vaddr (MAP_FIXED_NOREPLACE for the first PT_LOAD,
 *    MAP_FIXED after);
 *  - ET_DYN with PT_INTERP (a PIE) at ELF_ET_DYN_BASE (2/3 of the 47-bit
 *    window: 0x555555554000 after page rounding), aligned down to the
 *    largest power-of-two p_align;
 *  - ET_DYN without PT_INTERP (static PIE, or ld.so run directly) where
 *    mmap() puts it with no hint, the whole image's length reserved at
 *    once (top-down: just below mmap_base); with p_align over a page,
 *    that address aligned down and mapped MAP_FIXED_NOREPLACE;
 *  - the interpreter the same way as that (load_elf_interp());
 *  - each PT_LOAD a private file mapping of its pages; p_memsz past
 *    p_filesz zeroed to the page end (padzero()) and the rest an
 *    anonymous mapping (vm_brk_flags(), rw and x if the segment is);
 *  - start_brk = brk = the page after the executable's highest p_memsz
 *    end, or ELF_ET_DYN_BASE for a static PIE (brk_moved in 6.18); with
 *    randomization one page more and arch_randomize_brk() (1 GiB);
 *  - the vDSO (arch/x86/entry/vdso/vma.c) after the interpreter;
 *  - create_elf_tables(): below the strings (aligned to 16, moved down
 *    by up to 8 KiB with randomization) the platform string "x86_64",
 *    16 AT_RANDOM bytes, then (16-aligned) argc, argv[], NULL, envp[],
 *    NULL, and the auxv in the kernel's order; start_stack = &argc.
 *
 * Errors, as load_elf_binary() gives them: -ENOEXEC for what is not an
 * x86-64 ELF executable (magic, type, machine, e_phentsize, 0 or more
 * than 64 KiB of headers, headers past EOF, a PT_INTERP path shorter
 * than 2, longer than PATH_MAX or not NUL-terminated); -ELIBBAD for an
 * interpreter that is not an x86-64 ELF (a script included); -EIO for a
 * short read of a header; -EINVAL for a segment past TASK_SIZE or with
 * p_filesz > p_memsz, or no PT_LOAD; what mmap() says otherwise (-EEXIST
 * for overlapping ET_EXEC images, -EPERM under mmap_min_addr, -ENOMEM,
 * -EINVAL for a p_offset not congruent to p_vaddr).  All of them leave
 * the task as it was (fs/exec.c's head comment).
 *
 * Locking: none of its own; the mm calls take bprm->mm's mmap_lock.
 */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <umm/sched.h>
#include <umm/slab.h>
#include "../mm/internal.h"
#include "internal.h"

#ifndef PT_GNU_PROPERTY
#define PT_GNU_PROPERTY		0x6474e553
#endif

typedef Elf64_Ehdr elfhdr;
typedef Elf64_Phdr elf_phdr;
typedef Elf64_Addr elf_addr_t;

#define ELF_MIN_ALIGN		PAGE_SIZE
#define ELF_PAGESTART(_v)	((_v) & ~(unsigned long)(ELF_MIN_ALIGN - 1))
#define ELF_PAGEOFFSET(_v)	((_v) & (ELF_MIN_ALIGN - 1))
#define ELF_PAGEALIGN(_v)	(((_v) + ELF_MIN_ALIGN - 1) & ~(ELF_MIN_ALIGN - 1))
#define BAD_ADDR(x)		((unsigned long)(x) >= TASK_SIZE)
#define ELF_PLATFORM		"x86_64"
#define SZ_1G			(1UL << 30)

static bool elf_check_arch(const elfhdr *x)
{
	return x->e_machine == EM_X86_64 && x->e_ident[EI_CLASS] == ELFCLASS64;
}

static int elf_read(struct file *file, void *buf, size_t len, loff_t pos)
{
	ssize_t rv = kernel_read(file, buf, len, pos);

	if (unlikely(rv != (ssize_t)len))
		return rv < 0 ? (int)rv : -EIO;
	return 0;
}

/* vm_mmap(): do_mmap() of a file mapping in @mm. */
static unsigned long vm_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
			     unsigned long len, int prot, int flags, unsigned long off)
{
	unsigned long ret, populate;

	if (off & ~PAGE_MASK)
		return (unsigned long)-EINVAL;
	mmap_write_lock(mm);
	ret = do_mmap(mm, file, addr, len, (unsigned long)prot, (unsigned long)flags, 0,
		      off >> PAGE_SHIFT, &populate);
	mmap_write_unlock(mm);
	return ret;
}

static int vm_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	return umm_munmap(mm, start, len);
}

/* Zero the rest of the page from @address (the bss's first page). */
static int padzero(struct mm_struct *mm, unsigned long address)
{
	static const char zeroes[ELF_MIN_ALIGN];
	unsigned long nbyte = ELF_PAGEOFFSET(address);

	if (nbyte) {
		nbyte = ELF_MIN_ALIGN - nbyte;
		if (umm_access(mm, address, (void *)zeroes, nbyte, 1) != (long)nbyte)
			return -EFAULT;
	}
	return 0;
}

static unsigned long elf_map(struct mm_struct *mm, struct file *filep, unsigned long addr,
			     const elf_phdr *eppnt, int prot, int type,
			     unsigned long total_size)
{
	unsigned long map_addr;
	unsigned long size = eppnt->p_filesz + ELF_PAGEOFFSET(eppnt->p_vaddr);
	unsigned long off = eppnt->p_offset - ELF_PAGEOFFSET(eppnt->p_vaddr);

	addr = ELF_PAGESTART(addr);
	size = ELF_PAGEALIGN(size);
	/* a segment with nothing from the file is fine: mmap(0) is not */
	if (!size)
		return addr;
	/*
	 * The first mapping reserves the whole image, so that nothing
	 * else lands between its segments; what is past this segment
	 * goes again at once.
	 */
	if (total_size) {
		total_size = ELF_PAGEALIGN(total_size);
		map_addr = vm_mmap(mm, filep, addr, total_size, prot, type, off);
		if (!BAD_ADDR(map_addr))
			vm_munmap(mm, map_addr + size, total_size - size);
	} else {
		map_addr = vm_mmap(mm, filep, addr, size, prot, type, off);
	}
	return map_addr;
}

/*
 * elf_load - map one PT_LOAD at @addr: its file part, then p_filesz ..
 * p_memsz as zeroes (padzero() and an anonymous mapping to the end).
 */
static unsigned long elf_load(struct mm_struct *mm, struct file *filep, unsigned long addr,
			      const elf_phdr *eppnt, int prot, int type,
			      unsigned long total_size)
{
	unsigned long zero_start, zero_end, map_addr;

	if (eppnt->p_filesz) {
		map_addr = elf_map(mm, filep, addr, eppnt, prot, type, total_size);
		if (BAD_ADDR(map_addr))
			return map_addr;
		if (eppnt->p_memsz > eppnt->p_filesz) {
			zero_start = map_addr + ELF_PAGEOFFSET(eppnt->p_vaddr) +
				eppnt->p_filesz;
			zero_end = map_addr + ELF_PAGEOFFSET(eppnt->p_vaddr) +
				eppnt->p_memsz;
			/* errors count only if the segment is writable */
			if (padzero(mm, zero_start) && (prot & PROT_WRITE))
				return (unsigned long)-EFAULT;
		}
	} else {
		map_addr = zero_start = ELF_PAGESTART(addr);
		zero_end = zero_start + ELF_PAGEOFFSET(eppnt->p_vaddr) + eppnt->p_memsz;
	}
	if (eppnt->p_memsz > eppnt->p_filesz) {
		int error;

		zero_start = ELF_PAGEALIGN(zero_start);
		zero_end = ELF_PAGEALIGN(zero_end);
		error = vm_brk_flags(mm, zero_start, zero_end - zero_start,
				     prot & PROT_EXEC ? VM_EXEC : 0);
		if (error)
			map_addr = (unsigned long)(long)error;
	}
	return map_addr;
}

static unsigned long total_mapping_size(const elf_phdr *phdr, int nr)
{
	elf_addr_t min_addr = -1, max_addr = 0;
	bool pt_load = false;
	int i;

	for (i = 0; i < nr; i++) {
		if (phdr[i].p_type == PT_LOAD) {
			min_addr = min(min_addr, ELF_PAGESTART(phdr[i].p_vaddr));
			max_addr = max(max_addr, phdr[i].p_vaddr + phdr[i].p_memsz);
			pt_load = true;
		}
	}
	return pt_load ? (max_addr - min_addr) : 0;
}

static unsigned long maximum_alignment(const elf_phdr *cmds, int nr)
{
	unsigned long alignment = 0;
	int i;

	for (i = 0; i < nr; i++) {
		if (cmds[i].p_type == PT_LOAD) {
			unsigned long p_align = cmds[i].p_align;

			/* skip non-power of two alignments as invalid */
			if (!p_align || (p_align & (p_align - 1)))
				continue;
			alignment = max(alignment, p_align);
		}
	}
	/* ensure we align to at least one page */
	return ELF_PAGEALIGN(alignment);
}

static int make_prot(u32 p_flags)
{
	int prot = 0;

	if (p_flags & PF_R)
		prot |= PROT_READ;
	if (p_flags & PF_W)
		prot |= PROT_WRITE;
	if (p_flags & PF_X)
		prot |= PROT_EXEC;
	return prot;
}

/* The program headers, or NULL: wrong entry size, none, over 64 KiB, unreadable. */
static elf_phdr *load_elf_phdrs(const elfhdr *elf_ex, struct file *elf_file)
{
	elf_phdr *elf_phdata;
	unsigned int size;

	if (elf_ex->e_phentsize != sizeof(elf_phdr))
		return NULL;
	size = sizeof(elf_phdr) * elf_ex->e_phnum;
	if (size == 0 || size > 65536)
		return NULL;
	elf_phdata = kmalloc(size, GFP_KERNEL);
	if (!elf_phdata)
		return NULL;
	if (elf_read(elf_file, elf_phdata, size, (loff_t)elf_ex->e_phoff)) {
		kfree(elf_phdata);
		return NULL;
	}
	return elf_phdata;
}

/*
 * load_elf_interp - map the interpreter: an ET_DYN wherever mmap() puts
 * the whole image (@no_base: the executable's load bias), an ET_EXEC at
 * its addresses.  Returns its load address or an error value.
 */
static unsigned long load_elf_interp(struct mm_struct *mm, const elfhdr *interp_elf_ex,
				     struct file *interpreter, unsigned long no_base,
				     const elf_phdr *interp_elf_phdata)
{
	const elf_phdr *eppnt;
	unsigned long load_addr = 0, error = ~0UL, total_size;
	bool load_addr_set = false;
	int i;

	if (interp_elf_ex->e_type != ET_EXEC && interp_elf_ex->e_type != ET_DYN)
		return error;
	if (!elf_check_arch(interp_elf_ex))
		return error;
	total_size = total_mapping_size(interp_elf_phdata, interp_elf_ex->e_phnum);
	if (!total_size)
		return (unsigned long)-EINVAL;

	eppnt = interp_elf_phdata;
	for (i = 0; i < interp_elf_ex->e_phnum; i++, eppnt++) {
		int elf_type = MAP_PRIVATE, elf_prot;
		unsigned long vaddr, k, map_addr;

		if (eppnt->p_type != PT_LOAD)
			continue;
		elf_prot = make_prot(eppnt->p_flags);
		vaddr = eppnt->p_vaddr;
		if (interp_elf_ex->e_type == ET_EXEC || load_addr_set)
			elf_type |= MAP_FIXED;
		else if (no_base && interp_elf_ex->e_type == ET_DYN)
			load_addr = -vaddr;

		map_addr = elf_load(mm, interpreter, load_addr + vaddr, eppnt, elf_prot,
				    elf_type, total_size);
		total_size = 0;
		error = map_addr;
		if (BAD_ADDR(map_addr))
			return error;
		if (!load_addr_set && interp_elf_ex->e_type == ET_DYN) {
			load_addr = map_addr - ELF_PAGESTART(vaddr);
			load_addr_set = true;
		}
		/* p_filesz <= p_memsz, so p_memsz alone bounds the segment */
		k = load_addr + eppnt->p_vaddr;
		if (BAD_ADDR(k) || eppnt->p_filesz > eppnt->p_memsz ||
		    eppnt->p_memsz > TASK_SIZE || TASK_SIZE - eppnt->p_memsz < k)
			return (unsigned long)-ENOMEM;
	}
	return load_addr;
}

/* ---- the initial stack ---- */

/*
 * strings_end - from @p, the address after @n NUL-terminated strings of
 * the stack, their starts in @ptrs (strnlen_user() per string).
 */
static int stack_strings(struct mm_struct *mm, unsigned long p, int n, elf_addr_t *ptrs,
			 unsigned long *end)
{
	char chunk[512];
	long got = 0, off = 0;
	bool start = true;

	while (n > 0) {
		if (off == got) {
			got = umm_access(mm, p, chunk, sizeof(chunk), 0);
			if (got <= 0)
				return -EFAULT;
			off = 0;
		}
		if (start) {
			*ptrs++ = p;
			start = false;
		}
		if (!chunk[off]) {
			n--;
			start = true;
		}
		off++;
		p++;
	}
	*end = p;
	return 0;
}

static int create_elf_tables(struct linux_binprm *bprm, const elfhdr *exec,
			     unsigned long interp_load_addr, unsigned long e_entry,
			     unsigned long phdr_addr)
{
	const struct machine_auxv *mach = machine_auxv();
	struct mm_struct *mm = bprm->mm;
	unsigned long p = bprm->p, u_platform, u_rand_bytes, sp, len;
	unsigned long argc = (unsigned long)bprm->argc, envc = (unsigned long)bprm->envc;
	unsigned char k_rand_bytes[16];
	elf_addr_t *elf_info = mm->saved_auxv, *table;
	unsigned long items, ei_index;
	struct vm_area_struct *vma;
	int i, err;

	p = arch_align_stack(bprm, p);

	/* the platform capability string */
	len = strlen(ELF_PLATFORM) + 1;
	u_platform = p -= len;
	if (umm_access(mm, u_platform, ELF_PLATFORM, len, 1) != (long)len)
		return -EFAULT;

	/* 16 random bytes for userspace PRNG seeding */
	for (i = 0; i < 16; i += 8) {
		unsigned long long r = umm_random();

		memcpy(k_rand_bytes + i, &r, 8);
	}
	u_rand_bytes = p -= sizeof(k_rand_bytes);
	if (umm_access(mm, u_rand_bytes, k_rand_bytes, sizeof(k_rand_bytes), 1) !=
	    (long)sizeof(k_rand_bytes))
		return -EFAULT;

#define NEW_AUX_ENT(id, val) \
	do { \
		*elf_info++ = (id); \
		*elf_info++ = (val); \
	} while (0)
	/* ARCH_DLINFO first */
	if (mm->context.vdso)
		NEW_AUX_ENT(AT_SYSINFO_EHDR, mm->context.vdso);
	if (mach->has_minsigstksz)
		NEW_AUX_ENT(AT_MINSIGSTKSZ, mach->minsigstksz);
	NEW_AUX_ENT(AT_HWCAP, mach->hwcap);
	NEW_AUX_ENT(AT_PAGESZ, mach->pagesz);
	NEW_AUX_ENT(AT_CLKTCK, mach->clktck);
	NEW_AUX_ENT(AT_PHDR, phdr_addr);
	NEW_AUX_ENT(AT_PHENT, sizeof(elf_phdr));
	NEW_AUX_ENT(AT_PHNUM, exec->e_phnum);
	NEW_AUX_ENT(AT_BASE, interp_load_addr);
	NEW_AUX_ENT(AT_FLAGS, (bprm->interp_flags & BINPRM_FLAGS_PRESERVE_ARGV0) ? 1 : 0);
	NEW_AUX_ENT(AT_ENTRY, e_entry);
	NEW_AUX_ENT(AT_UID, bprm->uid);
	NEW_AUX_ENT(AT_EUID, bprm->euid);
	NEW_AUX_ENT(AT_GID, bprm->gid);
	NEW_AUX_ENT(AT_EGID, bprm->egid);
	NEW_AUX_ENT(AT_SECURE, bprm->secureexec);
	NEW_AUX_ENT(AT_RANDOM, u_rand_bytes);
	if (mach->has_hwcap2)
		NEW_AUX_ENT(AT_HWCAP2, mach->hwcap2);
	if (mach->has_hwcap3)
		NEW_AUX_ENT(AT_HWCAP3, mach->hwcap3);
	if (mach->has_hwcap4)
		NEW_AUX_ENT(AT_HWCAP4, mach->hwcap4);
	NEW_AUX_ENT(AT_EXECFN, bprm->exec);
	NEW_AUX_ENT(AT_PLATFORM, u_platform);
	if (mach->has_rseq) {
		NEW_AUX_ENT(AT_RSEQ_FEATURE_SIZE, mach->rseq_feature_size);
		NEW_AUX_ENT(AT_RSEQ_ALIGN, mach->rseq_align);
	}
#undef NEW_AUX_ENT
	/* AT_NULL is zero; clear the rest too */
	memset(elf_info, 0, (size_t)((char *)(mm->saved_auxv + UMM_AT_VECTOR_SIZE) -
				     (char *)elf_info));
	/* and advance past the AT_NULL entry */
	elf_info += 2;
	ei_index = (unsigned long)(elf_info - mm->saved_auxv);

	sp = p - ei_index * sizeof(elf_addr_t);
	items = (argc + 1) + (envc + 1) + 1;
	bprm->p = (sp - items * sizeof(elf_addr_t)) & ~15UL;	/* STACK_ROUND */

	/* grow the stack down to the table now (find_extend_vma_locked()) */
	mmap_write_lock(mm);
	vma = find_vma(mm, bprm->p);
	if (vma && vma->vm_start > bprm->p && expand_downwards(vma, bprm->p))
		vma = NULL;
	mmap_write_unlock(mm);
	if (!vma)
		return -EFAULT;

	/* argc, argv[], NULL, envp[], NULL, then the auxv: one write */
	len = (items + ei_index) * sizeof(elf_addr_t);
	table = kvmalloc(len, GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0] = argc;
	mm->arg_end = mm->arg_start;
	err = stack_strings(mm, mm->arg_start, (int)argc, table + 1, &mm->arg_end);
	table[1 + argc] = 0;
	mm->env_start = mm->env_end = mm->arg_end;
	if (!err)
		err = stack_strings(mm, mm->env_start, (int)envc, table + 2 + argc,
				    &mm->env_end);
	table[2 + argc + envc] = 0;
	memcpy(table + items, mm->saved_auxv, ei_index * sizeof(elf_addr_t));
	if (!err && umm_access(mm, bprm->p, table, len, 1) != (long)len)
		err = -EFAULT;
	kvfree(table);
	return err;
}

/* ---- the loader ---- */

/* arch_randomize_brk(): anywhere in the 1 GiB above (randomize_page()). */
static unsigned long arch_randomize_brk(struct mm_struct *mm)
{
	unsigned long start = mm->brk, range = SZ_1G;

	if (start & ~PAGE_MASK) {
		range -= PAGE_ALIGN(start) - start;
		start = PAGE_ALIGN(start);
	}
	if (start > ULONG_MAX - range)
		range = ULONG_MAX - start;
	range >>= PAGE_SHIFT;
	if (range == 0)
		return start;
	return start + ((mm_random(mm) % range) << PAGE_SHIFT);
}

/* The PT_INTERP path, opened; its ELF header read into @interp_ex. */
static struct file *open_elf_interp(struct linux_binprm *bprm, const elf_phdr *ph,
				    elfhdr *interp_ex, int *retval)
{
	struct file *interpreter;
	char *name;

	*retval = -ENOEXEC;
	if (ph->p_filesz > PATH_MAX || ph->p_filesz < 2)
		return NULL;
	*retval = -ENOMEM;
	name = kmalloc(ph->p_filesz, GFP_KERNEL);
	if (!name)
		return NULL;
	*retval = elf_read(bprm->file, name, ph->p_filesz, (loff_t)ph->p_offset);
	if (!*retval && name[ph->p_filesz - 1] != '\0')
		*retval = -ENOEXEC;	/* not NUL-terminated */
	if (*retval) {
		kfree(name);
		return NULL;
	}
	interpreter = open_exec(name);
	kfree(name);
	if (IS_ERR(interpreter)) {
		*retval = (int)PTR_ERR(interpreter);
		return NULL;
	}
	*retval = elf_read(interpreter, interp_ex, sizeof(*interp_ex), 0);
	if (*retval) {
		fput(interpreter);
		return NULL;
	}
	return interpreter;
}

/* What the PT_LOAD loop gathers (start_code .. elf_brk), biased at the end. */
struct elf_layout {
	unsigned long load_bias, phdr_addr, elf_brk;
	unsigned long start_code, end_code, start_data, end_data;
};

/*
 * The first PT_LOAD of an ET_DYN decides the load bias: a PIE goes to
 * ELF_ET_DYN_BASE, a loader wherever mmap() puts it.
 */
static int elf_dyn_bias(struct linux_binprm *bprm, const elfhdr *elf_ex,
			const elf_phdr *elf_phdata, const elf_phdr *ph, bool has_interp,
			int elf_prot, int *elf_flags, unsigned long *total_size,
			unsigned long *load_bias)
{
	unsigned long alignment;

	*total_size = total_mapping_size(elf_phdata, elf_ex->e_phnum);
	if (!*total_size)
		return -EINVAL;
	alignment = maximum_alignment(elf_phdata, elf_ex->e_phnum);
	if (has_interp) {
		*load_bias = ELF_ET_DYN_BASE;
		if (bprm->task_flags & PF_RANDOMIZE)
			*load_bias += arch_mmap_rnd(bprm->mm);
		if (alignment)
			*load_bias &= ~(alignment - 1);
		*elf_flags |= MAP_FIXED_NOREPLACE;
	} else if (alignment > ELF_MIN_ALIGN) {
		/* find the place now, to align it */
		*load_bias = elf_load(bprm->mm, bprm->file, 0, ph, elf_prot, *elf_flags,
				      *total_size);
		if (BAD_ADDR(*load_bias))
			return IS_ERR_VALUE(*load_bias) ? (int)*load_bias : -EINVAL;
		vm_munmap(bprm->mm, *load_bias, *total_size);
		*load_bias &= ~(alignment - 1);
		*elf_flags |= MAP_FIXED_NOREPLACE;
	} else {
		*load_bias = 0;
	}
	*load_bias = ELF_PAGESTART(*load_bias - ph->p_vaddr);
	return 0;
}

/* Map every PT_LOAD of the executable; fill @lay. */
static int elf_map_segments(struct linux_binprm *bprm, const elfhdr *elf_ex,
			    const elf_phdr *elf_phdata, bool has_interp,
			    struct elf_layout *lay)
{
	const elf_phdr *ph;
	bool first_pt_load = true;
	int i, retval;

	lay->start_code = ~0UL;
	for (i = 0, ph = elf_phdata; i < elf_ex->e_phnum; i++, ph++) {
		unsigned long k, vaddr = ph->p_vaddr, total_size = 0, error;
		int elf_prot, elf_flags = MAP_PRIVATE;

		if (ph->p_type != PT_LOAD)
			continue;
		elf_prot = make_prot(ph->p_flags);
		if (!first_pt_load) {
			elf_flags |= MAP_FIXED;
		} else if (elf_ex->e_type == ET_EXEC) {
			elf_flags |= MAP_FIXED_NOREPLACE;
		} else {
			retval = elf_dyn_bias(bprm, elf_ex, elf_phdata, ph, has_interp,
					      elf_prot, &elf_flags, &total_size,
					      &lay->load_bias);
			if (retval)
				return retval;
		}

		error = elf_load(bprm->mm, bprm->file, lay->load_bias + vaddr, ph, elf_prot,
				 elf_flags, total_size);
		if (BAD_ADDR(error))
			return IS_ERR_VALUE(error) ? (int)(long)error : -EINVAL;

		if (first_pt_load) {
			first_pt_load = false;
			if (elf_ex->e_type == ET_DYN)
				lay->load_bias += error - ELF_PAGESTART(lay->load_bias + vaddr);
		}

		/* the segment holding the program headers: AT_PHDR */
		if (ph->p_offset <= elf_ex->e_phoff &&
		    elf_ex->e_phoff < ph->p_offset + ph->p_filesz)
			lay->phdr_addr = elf_ex->e_phoff - ph->p_offset + ph->p_vaddr;

		k = ph->p_vaddr;
		if ((ph->p_flags & PF_X) && k < lay->start_code)
			lay->start_code = k;
		if (lay->start_data < k)
			lay->start_data = k;
		/* p_filesz <= p_memsz, so p_memsz alone bounds the segment */
		if (BAD_ADDR(k) || ph->p_filesz > ph->p_memsz ||
		    ph->p_memsz > TASK_SIZE || TASK_SIZE - ph->p_memsz < k)
			return -EINVAL;
		k = ph->p_vaddr + ph->p_filesz;
		if ((ph->p_flags & PF_X) && lay->end_code < k)
			lay->end_code = k;
		if (lay->end_data < k)
			lay->end_data = k;
		k = ph->p_vaddr + ph->p_memsz;
		if (k > lay->elf_brk)
			lay->elf_brk = k;
	}
	lay->phdr_addr += lay->load_bias;
	lay->elf_brk += lay->load_bias;
	lay->start_code += lay->load_bias;
	lay->end_code += lay->load_bias;
	lay->start_data += lay->load_bias;
	lay->end_data += lay->load_bias;
	return 0;
}

/* The interpreter's headers, checked before the point of no return. */
static int check_elf_interp(const elfhdr *interp_ex, struct file *interpreter,
			    elf_phdr **interp_phdata)
{
	if (memcmp(interp_ex->e_ident, ELFMAG, SELFMAG) != 0)
		return -ELIBBAD;	/* not an ELF interpreter */
	if (!elf_check_arch(interp_ex))
		return -ELIBBAD;
	*interp_phdata = load_elf_phdrs(interp_ex, interpreter);
	return *interp_phdata ? 0 : -ELIBBAD;
}

/* brk after the image: 6.18's "brk" handling with and without ASLR. */
static void elf_set_brk(struct linux_binprm *bprm, const elfhdr *elf_ex, bool has_interp,
			unsigned long elf_brk)
{
	struct mm_struct *mm = bprm->mm;
	bool brk_moved = false;

	if (elf_ex->e_type == ET_DYN && !has_interp) {
		/* a loader: brk out of the mmap region */
		elf_brk = ELF_ET_DYN_BASE;
		brk_moved = true;
	}
	mm->start_brk = mm->brk = ELF_PAGEALIGN(elf_brk);
	if (bprm->task_flags & PF_RANDOMIZE) {	/* randomize_va_space 2 */
		if (!brk_moved)
			mm->brk = mm->start_brk = mm->brk + PAGE_SIZE;
		mm->brk = mm->start_brk = arch_randomize_brk(mm);
	}
}

static int load_elf_binary(struct linux_binprm *bprm)
{
	struct file *interpreter = NULL;
	elf_phdr *elf_phdata, *interp_elf_phdata = NULL, *ph;
	elfhdr *elf_ex = (elfhdr *)bprm->buf, interp_elf_ex;
	int executable_stack = EXSTACK_DEFAULT, retval, i;
	struct elf_layout lay = { 0 };
	unsigned long elf_entry, e_entry, interp_load_addr = 0;
	struct mm_struct *mm = bprm->mm;

	/* first of all, some simple consistency checks */
	retval = -ENOEXEC;
	if (memcmp(elf_ex->e_ident, ELFMAG, SELFMAG) != 0)
		return retval;
	if (elf_ex->e_type != ET_EXEC && elf_ex->e_type != ET_DYN)
		return retval;
	if (!elf_check_arch(elf_ex))
		return retval;
	elf_phdata = load_elf_phdrs(elf_ex, bprm->file);
	if (!elf_phdata)
		return retval;

	for (i = 0, ph = elf_phdata; i < elf_ex->e_phnum; i++, ph++) {
		if (ph->p_type != PT_INTERP)
			continue;
		interpreter = open_elf_interp(bprm, ph, &interp_elf_ex, &retval);
		if (!interpreter)
			goto out_free_ph;
		break;
	}
	for (i = 0, ph = elf_phdata; i < elf_ex->e_phnum; i++, ph++)
		if (ph->p_type == PT_GNU_STACK)
			executable_stack = (ph->p_flags & PF_X) ? EXSTACK_ENABLE_X :
								  EXSTACK_DISABLE_X;
	if (interpreter) {
		retval = check_elf_interp(&interp_elf_ex, interpreter, &interp_elf_phdata);
		if (retval)
			goto out_free_dentry;
	}

	/* flush all traces of the currently running executable */
	retval = begin_new_exec(bprm);
	if (retval)
		goto out_free_dentry;
	/* SET_PERSONALITY2: set_personality_64bit() */
	bprm->personality &= ~READ_IMPLIES_EXEC;
	mm->context.flags |= MM_CONTEXT_HAS_VSYSCALL;
	if (!(bprm->personality & ADDR_NO_RANDOMIZE) && mm_randomize(mm))
		bprm->task_flags |= PF_RANDOMIZE;
	setup_new_exec(bprm);

	retval = setup_arg_pages(bprm, randomize_stack_top(bprm, STACK_TOP),
				 executable_stack);
	if (retval < 0)
		goto out_free_dentry;

	retval = elf_map_segments(bprm, elf_ex, elf_phdata, interpreter, &lay);
	if (retval)
		goto out_free_dentry;
	e_entry = elf_ex->e_entry + lay.load_bias;

	if (interpreter) {
		elf_entry = load_elf_interp(mm, &interp_elf_ex, interpreter, lay.load_bias,
					    interp_elf_phdata);
		if (!IS_ERR_VALUE(elf_entry)) {
			/* load_elf_interp() returns the relocation */
			interp_load_addr = elf_entry;
			elf_entry += interp_elf_ex.e_entry;
		}
		if (BAD_ADDR(elf_entry)) {
			retval = IS_ERR_VALUE(elf_entry) ? (int)(long)elf_entry : -EINVAL;
			goto out_free_dentry;
		}
	} else {
		elf_entry = e_entry;
		if (BAD_ADDR(elf_entry)) {
			retval = -EINVAL;
			goto out_free_dentry;
		}
	}

	retval = arch_setup_additional_pages(bprm, !!interpreter);
	if (retval < 0)
		goto out_free_dentry;
	retval = create_elf_tables(bprm, elf_ex, interp_load_addr, e_entry, lay.phdr_addr);
	if (retval < 0)
		goto out_free_dentry;

	mm->end_code = lay.end_code;
	mm->start_code = lay.start_code;
	mm->start_data = lay.start_data;
	mm->end_data = lay.end_data;
	mm->start_stack = bprm->p;
	elf_set_brk(bprm, elf_ex, interpreter, lay.elf_brk);
	if (bprm->personality & MMAP_PAGE_ZERO)	/* SVr4 maps page 0 read-only */
		vm_mmap(mm, NULL, 0, PAGE_SIZE, PROT_READ | PROT_EXEC,
			MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, 0);
	retval = 0;

out_free_dentry:
	kfree(interp_elf_phdata);
	if (interpreter)
		fput(interpreter);
out_free_ph:
	kfree(elf_phdata);
	return retval;
}

static struct linux_binfmt elf_format = {
	.name = "elf",
	.load_binary = load_elf_binary,
};

void init_elf_binfmt(void)
{
	register_binfmt(&elf_format);
}
