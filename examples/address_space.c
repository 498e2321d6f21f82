/* examples/address_space.c - a process address space and its /proc/PID/maps */
#include <umm.h>
#include <stdio.h>
#include <sys/mman.h>

int main(void)
{
	struct mm_struct *mm = umm_mm_create();
	if (!mm)
		return 1;
	long a = umm_mmap(mm, 0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0)
		return 1;
	umm_mprotect(mm, a + 4096, 4096, PROT_READ);       /* splits the VMA in three */
	char maps[4096];
	umm_mm_show(mm, "maps", maps, sizeof(maps));        /* /proc/PID/maps, byte for byte */
	fputs(maps, stdout);
	umm_mm_destroy(mm);
	return 0;
}
