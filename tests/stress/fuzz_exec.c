// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_exec.c - the loaders on malformed files: real executables (a
 * PIE, ld.so as a static PIE, an ET_EXEC from /usr/bin, a #! script)
 * mutated at random and exec'ed by umm.
 *
 * Mutations: bytes of the first page flipped or set, ELF header fields
 * (e_type, e_machine, e_phoff, e_phnum, e_phentsize, e_entry) and
 * program header fields (p_type, p_flags, p_offset, p_vaddr, p_filesz,
 * p_memsz, p_align) set to edge values (0, -1, unaligned, past EOF, past
 * TASK_SIZE, another segment's), a PT_LOAD copied over another
 * (overlap), the file truncated, the PT_INTERP path pointed at a script,
 * text or nothing, the #! line cut or blanked.
 *
 * Every exec must return 0 or a -errno the kernel's exec can give; a
 * failed one must leave the task exactly as it was (same mm, same VMAs,
 * comm and personality); a successful one must leave an mm that passes
 * umm_mm_check(); and after each input the live mms, committed memory
 * and host file descriptors are back where they started (nothing
 * leaked).  A crash or hang (the watchdog) fails the test.
 *
 * Usage: fuzz_exec [seed] [inputs] [seconds]; it stops at whichever
 * limit comes first and prints the seed and how many inputs ran.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <time.h>
#include <umm.h>
#include <umm/sched.h>
#include "../../mm/internal.h"
#include "../test.h"

static unsigned long long seed = 1;
static long max_inputs = 3000;
static long max_seconds = 4;
static char tmpdir[] = "/tmp/fuzz_exec.XXXXXX";
static long results[200];	/* by -errno; [0]: exec succeeded */

struct base {
	char *data;
	size_t len;
};
static struct base bases[5];
static int nbases;

static unsigned long long rnd(void)
{
	return test_splitmix64(&seed);
}

static unsigned long below(unsigned long n)
{
	return n ? (unsigned long)(rnd() % n) : 0;
}

static int load_base(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) || nbases == (int)ARRAY_SIZE(bases)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	bases[nbases].data = malloc((size_t)st.st_size);
	n = read(fd, bases[nbases].data, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size)
		return -1;
	bases[nbases++].len = (size_t)n;
	return 0;
}

/* The smallest ET_EXEC (non-PIE) executable in /usr/bin, if any. */
static void load_et_exec(void)
{
	char path[512], best[512] = "";
	off_t best_size = 0;
	struct dirent *d;
	DIR *dp = opendir("/usr/bin");

	while (dp && (d = readdir(dp))) {
		Elf64_Ehdr eh;
		struct stat st;
		int fd;

		snprintf(path, sizeof(path), "/usr/bin/%s", d->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode) || (st.st_mode & 06000) ||
		    (best_size && st.st_size >= best_size))
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (read(fd, &eh, sizeof(eh)) == sizeof(eh) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
		    eh.e_type == ET_EXEC && eh.e_machine == EM_X86_64) {
			best_size = st.st_size;
			snprintf(best, sizeof(best), "%s", path);
		}
		close(fd);
	}
	if (dp)
		closedir(dp);
	if (best[0] && best_size < (64 << 20))
		load_base(best);
}

static const unsigned long edge_values[] = {
	0, 1, 2, 0x38, 0x40, 0xfff, 0x1000, 0x1001, 0x200000, 0x400000,
	0x7ffffffff000UL, 0x800000000000UL, 0xffffffffffff0000UL, ~0UL, 0x7fffffff,
	0x555555554000UL, 0x10000000000UL,
};

static unsigned long edge(void)
{
	if (below(4) == 0)
		return rnd();
	return edge_values[below(ARRAY_SIZE(edge_values))];
}

/*
 * A mutated e_phoff may leave the program headers misaligned: each one
 * is copied out, changed and copied back (memcpy), never accessed in place.
 */
static void mutate_phdr(char *img, size_t len)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
	Elf64_Phdr ph;
	char *table;
	unsigned int n;

	if (len < sizeof(*eh) || eh->e_phoff > len || eh->e_phnum == 0 ||
	    eh->e_phoff + (size_t)eh->e_phnum * sizeof(ph) > len)
		return;
	table = img + eh->e_phoff;
	n = (unsigned int)below(eh->e_phnum);
	memcpy(&ph, table + n * sizeof(ph), sizeof(ph));
	switch (below(9)) {
	case 0: ph.p_type = below(2) ? PT_LOAD : (Elf64_Word)edge(); break;
	case 1: ph.p_flags = (Elf64_Word)below(8); break;
	case 2: ph.p_offset = edge(); break;
	case 3: ph.p_vaddr = below(2) ? edge() : ph.p_vaddr + below(0x3000); break;
	case 4: ph.p_filesz = edge(); break;
	case 5: ph.p_memsz = below(2) ? edge() : ph.p_filesz + below(0x100000); break;
	case 6: ph.p_align = edge(); break;
	case 7: n = (unsigned int)below(eh->e_phnum); break;	/* a copy: overlap */
	case 8:
		if (ph.p_type == PT_GNU_STACK)
			ph.p_flags ^= PF_X;
		break;
	}
	memcpy(table + n * sizeof(ph), &ph, sizeof(ph));
}

static void mutate_ehdr(char *img, size_t len)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)img;

	if (len < sizeof(*eh))
		return;
	switch (below(7)) {
	case 0: eh->e_type = (Elf64_Half)(below(2) ? ET_DYN + ET_EXEC - eh->e_type : edge()); break;
	case 1: eh->e_machine = (Elf64_Half)edge(); break;
	case 2: eh->e_phoff = edge(); break;
	case 3: eh->e_phnum = (Elf64_Half)(below(2) ? edge() : eh->e_phnum + below(3) - 1); break;
	case 4: eh->e_phentsize = (Elf64_Half)edge(); break;
	case 5: eh->e_entry = edge(); break;
	case 6: eh->e_ident[EI_CLASS] = (unsigned char)below(3); break;
	}
}

/* Point PT_INTERP at a script, at text, at nothing or at itself. */
static void mutate_interp(char *img, size_t len)
{
	static const char ld[] = "/lib64/ld-linux-x86-64.so.2";
	static const char *const names[] = { "s", "t", "n", "e" };
	char *at = memmem(img, len, ld, sizeof(ld));
	char target[256];

	if (!at)
		return;
	/* tmpdir is 21 bytes: with "/x____" the path is as long as ld's */
	snprintf(target, sizeof(target), "%s/%s____", tmpdir, names[below(4)]);
	if (strlen(target) != sizeof(ld) - 1)
		return;
	memcpy(at, target, sizeof(ld) - 1);
	if (below(4) == 0)
		at[below(sizeof(ld))] = (char)below(256);	/* or its NUL goes */
}

static size_t mutate(char *img, size_t len)
{
	int rounds = 1 + (int)below(4);

	while (rounds--) {
		switch (below(6)) {
		case 0: mutate_ehdr(img, len); break;
		case 1:
		case 2: mutate_phdr(img, len); break;
		case 3: {
			size_t span = min(len, (size_t)4096);

			if (span)
				img[below(span)] = (char)rnd();
			break;
		}
		case 4:
			if (below(3) == 0)
				len = below(len + 1);	/* truncated */
			break;
		case 5: mutate_interp(img, len); break;
		}
	}
	return len;
}

static int count_fds(void)
{
	int n = 0;
	DIR *dp = opendir("/proc/self/fd");

	while (dp && readdir(dp))
		n++;
	if (dp)
		closedir(dp);
	return n;
}

static int count_mm(struct mm_struct *mm, void *arg)
{
	(void)mm;
	(*(int *)arg)++;
	return 0;
}

static int live_mms(void)
{
	int n = 0;

	mm_list_walk(NULL, count_mm, &n);
	return n;
}

static bool exec_errno_ok(long err)
{
	switch (-err) {
	case ENOEXEC: case EINVAL: case ENOMEM: case EIO: case EACCES: case ENOENT:
	case ELIBBAD: case EPERM: case EEXIST: case EFAULT: case E2BIG: case ELOOP:
	case ENOTDIR: case EOVERFLOW: case ENAMETOOLONG: case EAGAIN: case ENODEV:
		return true;
	}
	return false;
}

static void write_side_files(void)
{
	static const char *const files[][2] = {
		{ "s____",
		  "#!/bin/sh\n# a script as the interpreter: long enough to read\n" },
		{ "t____",
		  "plain text, no ELF, but 64 bytes at least: ....................\n" },
	};
	char path[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i][0]);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
		if (fd < 0 || write(fd, files[i][1], strlen(files[i][1])) < 0)
			perror(path);
		if (fd >= 0)
			close(fd);
	}
	/* "e": a directory */
	snprintf(path, sizeof(path), "%s/e____", tmpdir);
	mkdir(path, 0755);
}

static int one_input(const char *path, const char *img, size_t len, long i)
{
	char *argv[] = { (char *)path, "arg", NULL }, *envp[] = { "A=1", NULL };
	struct task_struct t = { 0 };
	struct signal_struct sig = { 0 };
	struct mm_struct *old;
	int fd, map_count, r;
	long err;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || (len && write(fd, img, len) != (ssize_t)len)) {
		perror(path);
		return 1;
	}
	close(fd);
	for (r = 0; r < UMM_RLIM_NLIMITS; r++)
		getrlimit(r, &sig.rlim[r]);
	t.signal = &sig;
	t.personality = ADDR_NO_RANDOMIZE;
	strcpy(t.comm, "fuzz");
	t.mm = t.active_mm = old = umm_mm_create();
	if (!old)
		return 1;
	umm_mmap(old, 0, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	map_count = old->map_count;
	err = umm_execve(&t, path, argv, envp);
	if (-err >= 0 && -err < (long)ARRAY_SIZE(results))
		results[-err]++;
	if (err) {
		if (!exec_errno_ok(err)) {
			fprintf(stderr, "input %ld: unexpected error %ld\n", i, err);
			return 1;
		}
		if (t.mm != old || old->map_count != map_count || strcmp(t.comm, "fuzz") ||
		    t.personality != ADDR_NO_RANDOMIZE) {
			fprintf(stderr, "input %ld: a failed exec (%ld) changed the task\n", i, err);
			return 1;
		}
	} else if (umm_mm_check(t.mm)) {
		fprintf(stderr, "input %ld: umm_mm_check() failed after exec\n", i);
		return 1;
	}
	umm_mm_destroy(t.mm);
	return 0;
}

static int fuzz(void)
{
	char path[256], *img = NULL;
	long i, ran = 0, ok = 0;
	struct timespec t0, t1;
	long committed;
	int fds, mms;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	write_side_files();
	snprintf(path, sizeof(path), "%s/input", tmpdir);
	/* warm up: the formats, the vdso probe, the caches */
	one_input(path, bases[0].data, bases[0].len, -1);
	committed = vm_memory_committed();
	fds = count_fds();
	mms = live_mms();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < max_inputs; i++) {
		const struct base *b = &bases[below((unsigned long)nbases)];
		size_t len;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (t1.tv_sec - t0.tv_sec >= max_seconds)
			break;
		img = realloc(img, b->len);
		memcpy(img, b->data, b->len);
		len = mutate(img, b->len);
		if (one_input(path, img, len, i)) {
			fprintf(stderr, "seed %llu: input %ld failed (the file is %s)\n",
				seed, i, path);
			return 1;
		}
		ran++;
		if (vm_memory_committed() != committed || count_fds() != fds ||
		    live_mms() != mms) {
			fprintf(stderr, "input %ld leaked: committed %ld -> %ld, fds %d -> %d, "
				"mms %d -> %d\n", i, committed, vm_memory_committed(), fds,
				count_fds(), mms, live_mms());
			return 1;
		}
	}
	free(img);
	unlink(path);
	snprintf(path, sizeof(path), "rm -rf %s", tmpdir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", tmpdir);
	printf("fuzz_exec: %ld inputs ran:", ran);
	for (i = 0; i < (long)ARRAY_SIZE(results); i++)
		if (results[i])
			printf(" %s %ld", i ? strerrorname_np((int)i) : "ok", results[i]);
	printf("\n");
	fflush(stdout);
	(void)ok;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long s;

	s = (unsigned long long)time(NULL);
	parse_seed_steps(argc, argv, &s, &max_inputs);
	if (argc > 3)
		max_seconds = strtol(argv[3], NULL, 0);
	seed = s;
	printf("fuzz_exec: seed %llu, at most %ld inputs in %ld s\n", s, max_inputs,
	       max_seconds);
	fflush(stdout);
	load_base("/usr/bin/true");
	load_base("/lib64/ld-linux-x86-64.so.2");
	load_et_exec();
	bases[nbases].data = strdup("#! /bin/sh -e  \n# a script, its line to be cut and blanked\n");
	bases[nbases].len = strlen(bases[nbases].data);
	nbases++;
	if (nbases < 2) {
		fprintf(stderr, "fuzz_exec: no executables to mutate\n");
		return 1;
	}
	return run_watched(fuzz, (unsigned int)(max_seconds * 4 + 20), s);
}
