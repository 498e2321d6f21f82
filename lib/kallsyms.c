// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms.c - the kernel's %pS for user space (kernel/kallsyms.c's
 * sprint_symbol()): "symbol+0xoff/0xsize" for a code address.
 *
 * Owns: nothing (no state; safe to call with allocator locks held: no
 * malloc, no stdio streams, only open/pread/close and dladdr1()).
 *
 * Exported symbols are found with dladdr1(RTLD_DL_SYMENT); static and
 * hidden functions, which the dynamic symbol table does not hold, are
 * looked up in the object's ELF .symtab (or .dynsym when stripped), read
 * from the file dladdr1(RTLD_DL_LINKMAP) names (/proc/self/exe for the
 * main program).  An address no symbol covers prints as 0x<address>.
 *
 * mm/vmalloc.c keeps a private copy of the same lookup for vmallocinfo;
 * this is the shared one (SLUB's alloc/free tracks use it).
 */
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../mm/internal.h"

/*
 * The function symbol containing @value (relative to the object's load
 * bias) in the ELF file at @path.
 */
static bool elf_symtab_lookup(const char *path, unsigned long value, char *name,
			      size_t name_len, unsigned long *sym_value,
			      unsigned long *sym_size)
{
	ElfW(Ehdr) eh;
	ElfW(Shdr) sh, symtab = { 0 }, strtab;
	ElfW(Sym) syms[64];
	unsigned long nsyms;
	bool found = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_shentsize != sizeof(sh))
		goto out;
	for (unsigned int i = 0; i < eh.e_shnum; i++) {
		if (pread(fd, &sh, sizeof(sh), (off_t)(eh.e_shoff + i * sizeof(sh))) !=
		    (ssize_t)sizeof(sh))
			goto out;
		if (sh.sh_type == SHT_SYMTAB ||
		    (sh.sh_type == SHT_DYNSYM && symtab.sh_type != SHT_SYMTAB))
			symtab = sh;
	}
	if (!symtab.sh_type || symtab.sh_entsize != sizeof(ElfW(Sym)) ||
	    symtab.sh_link >= eh.e_shnum ||
	    pread(fd, &strtab, sizeof(strtab),
		  (off_t)(eh.e_shoff + symtab.sh_link * sizeof(sh))) != (ssize_t)sizeof(strtab))
		goto out;
	nsyms = symtab.sh_size / sizeof(ElfW(Sym));
	for (unsigned long i = 0; i < nsyms && !found; i += ARRAY_SIZE(syms)) {
		unsigned long n = min_t(unsigned long, ARRAY_SIZE(syms), nsyms - i);

		if (pread(fd, syms, n * sizeof(syms[0]),
			  (off_t)(symtab.sh_offset + i * sizeof(syms[0]))) !=
		    (ssize_t)(n * sizeof(syms[0])))
			break;
		for (unsigned long j = 0; j < n; j++) {
			const ElfW(Sym) *s = &syms[j];
			ssize_t len;

			if (s->st_shndx == SHN_UNDEF || !s->st_size ||
			    ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
			    value < s->st_value || value - s->st_value >= s->st_size)
				continue;
			len = pread(fd, name, name_len - 1, (off_t)(strtab.sh_offset + s->st_name));
			if (len <= 0)
				break;
			name[len] = '\0';
			*sym_value = s->st_value;
			*sym_size = s->st_size;
			found = name[0] != '\0';
			break;
		}
	}
out:
	close(fd);
	return found;
}

void umm_sprint_symbol(char *buf, size_t len, const void *addr)
{
	unsigned long a = (unsigned long)addr, value, size;
	const ElfW(Sym) *sym = NULL;
	struct link_map *lm = NULL;
	char name[128];
	Dl_info info;

	if (dladdr1(addr, &info, (void **)&sym, RTLD_DL_SYMENT) && sym && info.dli_sname &&
	    sym->st_size && a >= (unsigned long)info.dli_saddr &&
	    a - (unsigned long)info.dli_saddr < sym->st_size) {
		snprintf(buf, len, "%s+0x%lx/0x%lx", info.dli_sname,
			 a - (unsigned long)info.dli_saddr, (unsigned long)sym->st_size);
		return;
	}
	if (dladdr1(addr, &info, (void **)&lm, RTLD_DL_LINKMAP) && lm &&
	    elf_symtab_lookup(lm->l_name && lm->l_name[0] ? lm->l_name : "/proc/self/exe",
			      a - lm->l_addr, name, sizeof(name), &value, &size)) {
		snprintf(buf, len, "%s+0x%lx/0x%lx", name, a - lm->l_addr - value, size);
		return;
	}
	snprintf(buf, len, "0x%lx", a);
}
