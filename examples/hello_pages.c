/*
 * hello_pages.c - the page allocator as LKD3 (chapter 12) uses it, built against
 * an installed umm:  cc hello_pages.c $(pkg-config --cflags --libs umm)
 */
#include <stdio.h>
#include <string.h>
#include <umm.h>

int main(void)
{
	/* LKD3, chapter 12: allocate 2^3 pages and use them. */
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	unsigned long addr;
	void *buf;

	if (!page)
		return 1;
	buf = page_address(page);
	memset(buf, 0, 8 * PAGE_SIZE);
	printf("8 pages at pfn %#lx, address %p\n", page_to_pfn(page), buf);
	__free_pages(page, 3);

	addr = __get_free_pages(GFP_KERNEL, 1);
	if (!addr)
		return 1;
	free_pages(addr, 1);

	/* vmalloc (LKD3, chapter 12): virtually contiguous, physically not. */
	buf = vmalloc(16 * PAGE_SIZE);
	if (!buf)
		return 1;
	strcpy(buf, "hello from vmalloc");
	printf("%s, frame %#lx\n", (char *)page_address(vmalloc_to_page(buf)),
	       vmalloc_to_pfn(buf));
	vfree(buf);
	return umm_page_alloc_check() != 0;
}
