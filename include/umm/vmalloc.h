/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmalloc.h - virtually contiguous memory from non-contiguous frames
 * (include/linux/vmalloc.h, mm/vmalloc.c).
 *
 * The vmalloc area [VMALLOC_START, VMALLOC_END) is a range of host
 * address space umm reserves at boot (vmalloc= sets its size).  Each
 * area is followed by an unmapped guard page; each of its frames is the
 * same memfd page that page_address() reaches through the direct map, so
 * a write through one address is visible through the other.
 */
#ifndef _UMM_VMALLOC_H
#define _UMM_VMALLOC_H

#include "compiler.h"
#include "gfp.h"

UMM_BEGIN_DECLS

struct page;

UMM_API extern unsigned long umm_vmalloc_start;
UMM_API extern unsigned long umm_vmalloc_end;
#define VMALLOC_START	umm_vmalloc_start
#define VMALLOC_END	umm_vmalloc_end
#define VMALLOC_TOTAL	(VMALLOC_END - VMALLOC_START)

/* vm_struct->flags */
#define VM_IOREMAP		0x00000001
#define VM_ALLOC		0x00000002
#define VM_MAP			0x00000004
#define VM_USERMAP		0x00000008
#define VM_DMA_COHERENT		0x00000010
#define VM_UNINITIALIZED	0x00000020
#define VM_NO_GUARD		0x00000040
#define VM_KASAN		0x00000080
#define VM_FLUSH_RESET_PERMS	0x00000100
#define VM_MAP_PUT_PAGES	0x00000200
#define VM_ALLOW_HUGE_VMAP	0x00000400

typedef int pgprot_t;
#define PAGE_KERNEL	3	/* PROT_READ | PROT_WRITE */

struct vm_struct {
	struct vm_struct *next;
	void *addr;
	unsigned long size;		/* includes the guard page */
	unsigned long flags;
	struct page **pages;
	unsigned int page_order;
	unsigned int nr_pages;
	unsigned long phys_addr;
	const void *caller;
};

UMM_API void *vmalloc(unsigned long size);
UMM_API void *vzalloc(unsigned long size);
UMM_API void *vmalloc_node(unsigned long size, int node);
UMM_API void *vzalloc_node(unsigned long size, int node);
UMM_API void *vmalloc_32(unsigned long size);
UMM_API void *vmalloc_user(unsigned long size);
UMM_API void *__vmalloc(unsigned long size, gfp_t gfp_mask);
UMM_API void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask,
			     int node, const void *caller);
UMM_API void *vmalloc_array(size_t n, size_t size);
UMM_API void vfree(const void *addr);
UMM_API void *vmap(struct page **pages, unsigned int count, unsigned long flags,
		   pgprot_t prot);
UMM_API void vunmap(const void *addr);
UMM_API struct page *vmalloc_to_page(const void *addr);
UMM_API unsigned long vmalloc_to_pfn(const void *addr);
UMM_API bool is_vmalloc_addr(const void *x);
UMM_API struct vm_struct *find_vm_area(const void *addr);
UMM_API void vm_unmap_aliases(void);

UMM_END_DECLS

#endif /* _UMM_VMALLOC_H */
