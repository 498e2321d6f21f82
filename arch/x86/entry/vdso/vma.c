// SPDX-License-Identifier: GPL-2.0
/*
 * vma.c - the vDSO of an exec'ed image: [vvar], [vvar_vclock] and [vdso]
 * (arch/x86/entry/vdso/vma.c, lib/vdso/datastore.c, mm/mmap.c's
 * _install_special_mapping(); Linux 6.18).
 *
 * map_vdso() asks get_unmapped_area() for the three areas as one hole
 * (below the interpreter, top-down) and installs, from its bottom:
 *
 *	[vvar]         VDSO_NR_PAGES       r--p  VM_IO|VM_DONTDUMP|VM_MIXEDMAP
 *	[vvar_vclock]  VDSO_NR_VCLOCK      r--p  VM_IO|VM_DONTDUMP|VM_PFNMAP
 *	[vdso]         the image's size    r-xp  VM_MAYWRITE (for debuggers)
 *
 * each with VM_DONTEXPAND and VM_SOFTDIRTY, page offset 0 and no file, as
 * special mappings are.  mm->context.vdso is the text: AT_SYSINFO_EHDR.
 *
 * The image is the host's own: its bytes come from the host process's
 * vDSO (getauxval(AT_SYSINFO_EHDR)), the three sizes from the host's
 * /proc/self/maps, read once.  A host without [vvar_vclock] (before 6.13)
 * gets none.  Each installed area owns a shmem object (mm/shmem.c) that
 * holds its pages: the image copied in for [vdso], zeroes for the data
 * pages (umm keeps no clock there).  The VMAs of one area (after a split
 * or a fork) share it through a reference count (->open, ->close).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <umm/binfmts.h>
#include <umm/pagemap.h>
#include <umm/slab.h>
#include "../../../../mm/internal.h"
#include "../../../../fs/internal.h"

struct vdso_host {
	const void *image;		/* the host's vDSO text */
	unsigned long image_size;	/* [vdso] */
	unsigned long vvar_size;	/* [vvar]: VDSO_NR_PAGES pages */
	unsigned long vclock_size;	/* [vvar_vclock] */
};

static struct vdso_host vdso_host;
static pthread_once_t vdso_host_once = PTHREAD_ONCE_INIT;

static unsigned long maps_size(const char *line, const char *name)
{
	unsigned long start, end;
	const char *p = strstr(line, name);

	if (!p || strcmp(p, name) || sscanf(line, "%lx-%lx", &start, &end) != 2)
		return 0;
	return end - start;
}

static void vdso_host_probe(void)
{
	char line[512];
	FILE *f;

	vdso_host.image = (const void *)getauxval(AT_SYSINFO_EHDR);
	f = fopen("/proc/self/maps", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		vdso_host.image_size += maps_size(line, "[vdso]");
		vdso_host.vvar_size += maps_size(line, "[vvar]");
		vdso_host.vclock_size += maps_size(line, "[vvar_vclock]");
	}
	fclose(f);
	if (!vdso_host.image)
		vdso_host.image_size = 0;
}

/* vdso64_enabled: the host gave us an image to copy */
bool vdso_enabled(void)
{
	pthread_once(&vdso_host_once, vdso_host_probe);
	return vdso_host.image && vdso_host.image_size;
}

/* ---- special mappings ---- */

struct special_mapping {
	long refs;			/* the VMAs that show it */
	const char *name;
	struct file *file;		/* a shmem object with the pages */
};

static const char *special_mapping_name(struct vm_area_struct *vma)
{
	return ((struct special_mapping *)vma->vm_private_data)->name;
}

static void special_mapping_open(struct vm_area_struct *vma)
{
	struct special_mapping *sm = vma->vm_private_data;

	__atomic_fetch_add(&sm->refs, 1, __ATOMIC_RELAXED);
}

static void special_mapping_put(struct special_mapping *sm)
{
	if (__atomic_sub_fetch(&sm->refs, 1, __ATOMIC_ACQ_REL))
		return;
	fput(sm->file);
	kfree(sm);
}

static void special_mapping_close(struct vm_area_struct *vma)
{
	special_mapping_put(vma->vm_private_data);
}

/* The object's page at the fault's offset, as shmem's own fault gets it. */
static vm_fault_t special_mapping_fault(struct vm_fault *vmf)
{
	struct special_mapping *sm = vmf->vma->vm_private_data;
	struct vm_area_struct shadow = { .vm_file = sm->file };
	struct vm_fault f = *vmf;
	vm_fault_t ret;

	f.vma = &shadow;
	ret = shmem_fault(&f);
	vmf->page = f.page;
	return ret;
}

static const struct vm_operations_struct special_mapping_vmops = {
	.open = special_mapping_open,
	.close = special_mapping_close,
	.name = special_mapping_name,
	.fault = special_mapping_fault,
};

/* Copy @len bytes of @src into the object's first pages. */
static int special_mapping_fill(struct special_mapping *sm, const void *src,
				unsigned long len)
{
	struct vm_area_struct shadow = { .vm_file = sm->file };
	unsigned long off;

	for (off = 0; off < len; off += PAGE_SIZE) {
		struct vm_fault vmf = { .vma = &shadow, .pgoff = off >> PAGE_SHIFT };

		if (shmem_fault(&vmf))
			return -ENOMEM;
		memcpy(page_address(vmf.page), (const char *)src + off,
		       min(PAGE_SIZE, len - off));
		put_page(vmf.page);
	}
	return 0;
}

/*
 * _install_special_mapping - a VMA over [addr, addr + len) showing
 * @name, its pages from a new object (@image copied in if not NULL).
 * mmap_lock held for writing.
 */
static int _install_special_mapping(struct mm_struct *mm, unsigned long addr,
				    unsigned long len, vm_flags_t vm_flags,
				    const char *name, const void *image)
{
	struct special_mapping *sm;
	struct vm_area_struct *vma, *prev, *next;

	if (find_vma_intersection(mm, addr, addr + len))
		return -ENOMEM;		/* insert_vm_struct() */
	sm = kzalloc(sizeof(*sm), GFP_KERNEL);
	if (!sm)
		return -ENOMEM;
	sm->refs = 1;
	sm->name = name;
	sm->file = shmem_zero_file(len);
	vma = sm->file && !vma_prealloc(mm) ? vm_area_alloc(mm) : NULL;
	if (!vma || (image && special_mapping_fill(sm, image, len))) {
		if (vma)
			vm_area_free(vma);
		if (sm->file)
			fput(sm->file);
		kfree(sm);
		return -ENOMEM;
	}
	vma_set_range(vma, addr, addr + len, 0);
	vma->vm_flags = (vm_flags | mm->def_flags | VM_DONTEXPAND | VM_SOFTDIRTY) &
			~VM_LOCKED_MASK;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_ops = &special_mapping_vmops;
	vma->vm_private_data = sm;
	next = find_vma_prev(mm, addr, &prev);
	vma_link_between(mm, vma, prev, next);
	vm_stat_account(mm, vma->vm_flags, (long)(len >> PAGE_SHIFT));
	return 0;
}

/*
 * map_vdso - the vDSO into @mm: one hole for data and text, top-down
 * from mmap_base like any mapping without a hint.  On failure what was
 * installed goes again.
 */
static int map_vdso(struct mm_struct *mm)
{
	unsigned long data = vdso_host.vvar_size + vdso_host.vclock_size;
	unsigned long addr, text_start;
	int ret;

	mmap_write_lock(mm);
	addr = __get_unmapped_area(mm, NULL, 0, vdso_host.image_size + data, 0, 0, 0);
	if (IS_ERR_VALUE(addr)) {
		ret = (int)addr;
		goto out;
	}
	text_start = addr + data;
	ret = _install_special_mapping(mm, text_start, vdso_host.image_size,
				       VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE |
				       VM_MAYEXEC, "[vdso]", vdso_host.image);
	if (ret)
		goto out;
	ret = _install_special_mapping(mm, addr, vdso_host.vvar_size,
				       VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP |
				       VM_MIXEDMAP, "[vvar]", NULL);
	if (!ret && vdso_host.vclock_size)
		ret = _install_special_mapping(mm, addr + vdso_host.vvar_size,
					       vdso_host.vclock_size,
					       VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP |
					       VM_PFNMAP, "[vvar_vclock]", NULL);
	if (ret) {
		do_munmap(mm, addr, vdso_host.image_size + data);
		goto out;
	}
	mm->context.vdso = text_start;
out:
	mmap_write_unlock(mm);
	return ret;
}

/* ARCH_SETUP_ADDITIONAL_PAGES (binfmt_elf.c, after the image is loaded) */
int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp)
{
	(void)uses_interp;
	if (!vdso_enabled())
		return 0;
	return map_vdso(bprm->mm);
}
