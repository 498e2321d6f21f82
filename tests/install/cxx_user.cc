// cxx_user.cc - umm from C++: the headers' extern "C" (this links
// against the C symbols) and page->private, which C++ reaches through
// page_private()/set_page_private() (member private_, the same word).
#include <umm.h>
#include <cstdio>
#include <cstring>

int main()
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	if (!page)
		return 1;
	set_page_private(page, 0x5a5aUL);
	if (page_private(page) != 0x5a5aUL || page->private_ != 0x5a5aUL)
		return 2;
	set_page_private(page, 0);
	__free_pages(page, 1);

	char *s = static_cast<char *>(kmalloc(100, GFP_KERNEL));
	if (!s || ksize(s) != 128)
		return 3;
	std::strcpy(s, "kmalloc from C++");
	std::printf("%s\n", s);
	kfree(s);
	return umm_page_alloc_check() != 0 || umm_slab_check() != 0;
}
