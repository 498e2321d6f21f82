/* examples/hello_pages.c - the page allocator and vmalloc, as kernel code calls them */
#include <umm.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	if (!page)
		return 1;
	char *p = page_address(page);            /* 32 KiB, physically contiguous */
	p[8 * PAGE_SIZE - 1] = 1;
	printf("8 pages at pfn %#lx\n", page_to_pfn(page));
	__free_pages(page, 3);

	char *v = vmalloc(1 << 20);              /* 1 MiB, virtually contiguous */
	if (!v)
		return 1;
	strcpy(v, "hello from vmalloc");
	struct page *frame = vmalloc_to_page(v); /* the frame behind the first page */
	printf("%s, pfn %#lx\n", (char *)page_address(frame), page_to_pfn(frame));
	vfree(v);
	return umm_page_alloc_check() || umm_vmalloc_check();
}
