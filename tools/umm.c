// SPDX-License-Identifier: GPL-2.0
/*
 * umm.c - the command-line tool.
 *
 *   umm [--cmdline "..."] cat PATH...   print umm's /proc files
 *   umm [--cmdline "..."] demo          walk through the allocators
 *   umm [--cmdline "..."] slabtop [-s KEY]  slabtop -o style view
 *   umm [--cmdline "..."] run-script FILE   a scenario over address spaces
 *   umm [--cmdline "..."] shell             the same language, interactively
 *   umm [--cmdline "..."] run -- PROGRAM ARGS...
 *                                       run a program on umm's malloc, then
 *                                       print slabinfo and meminfo
 *   umm --help | --version
 *
 * Errors: one line on stderr ("umm: ..."), exit status 2 for bad use,
 * 1 when umm itself fails (boot, an unknown /proc path).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <umm.h>
#include "script.h"
#include "slabtop.h"

#define UMM_VERSION "0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: umm [--cmdline \"PARAMS\"] COMMAND [ARGS]\n"
		"\n"
		"The Linux memory manager, in user space.\n"
		"\n"
		"commands:\n"
		"  demo            boot with defaults and walk through the buddy allocator,\n"
		"                  vmalloc and the slab layer, printing what /proc shows\n"
		"  run -- PROG ARGS...\n"
		"                  run PROG with libumm-malloc.so preloaded (its malloc is\n"
		"                  umm's slab layer) and print its /proc/slabinfo and\n"
		"                  /proc/meminfo when it exits; exits with PROG's status\n"
		"  run-script FILE run a scenario (FILE - is stdin): address spaces, mmap and\n"
		"                  friends, page faults, fork and /proc reports, printed\n"
		"                  strace style (see examples/*.umm); exit 1 at a bad line\n"
		"  shell           the scenario language interactively ('help' lists it)\n"
		"  slabtop [-s K]  the slab caches as slabtop -o shows them; K sorts by\n"
		"                  a(ctive) b(objs/slab) c(ache size) l(slabs) n(ame)\n"
		"                  o(bjs, default) p(ages/slab) s(ize) u(se)\n"
		"  cat PATH...     print umm's /proc files:");
	for (const char *const *p = umm_proc_paths(); *p; p++)
		fprintf(f, " %s", *p);
	fprintf(f,
		"\n"
		"\n"
		"options:\n"
		"  --cmdline PARAMS  boot parameters, kernel style, e.g. \"mem=1G numa=fake=2\"\n"
		"                    (added after $UMM_CMDLINE; see README.md for the list)\n"
		"  -h, --help        this text\n"
		"  --version         print the version\n");
}

static int print_proc(const char *path)
{
	ssize_t len = umm_proc_read(path, NULL, 0);
	char *buf;

	if (len == -ENOENT) {
		fprintf(stderr, "umm: %s: no such file in umm's /proc (try umm --help)\n", path);
		return 1;
	}
	if (len < 0) {
		fprintf(stderr, "umm: %s: %s\n", path, strerror((int)-len));
		return 1;
	}
	/* The file may grow between the two reads: leave room. */
	buf = malloc((size_t)len + 4096);
	if (!buf) {
		fprintf(stderr, "umm: out of memory\n");
		return 1;
	}
	len = umm_proc_read(path, buf, (size_t)len + 4096);
	if (len >= 0)
		fputs(buf, stdout);
	free(buf);
	return len < 0;
}

static int cmd_cat(int argc, char **argv)
{
	int ret = 0;

	if (argc == 0) {
		fprintf(stderr, "umm: cat: which file? (e.g. umm cat /proc/buddyinfo)\n");
		return 2;
	}
	for (int i = 0; i < argc; i++)
		ret |= print_proc(argv[i]);
	return ret;
}

static void step(const char *title)
{
	printf("\n==> %s\n", title);
}

static void show(const char *path)
{
	printf("$ cat %s\n", path);
	fflush(stdout);
	print_proc(path);
}

/* Print just the VmallocUsed line of /proc/meminfo. */
static void show_meminfo_line(const char *label)
{
	char buf[8192], *line;

	umm_proc_read("/proc/meminfo", buf, sizeof(buf));
	line = strstr(buf, label);
	if (line)
		printf("%.*s\n", (int)strcspn(line, "\n"), line);
}

/* LKD3's task_struct cache (chapter 12), the kernel's kmalloc classes. */
struct task_struct {
	long state;
	int pid;
	char comm[16];
	char rest[1700];
};

static void show_slabinfo_lines(const char *const *names)
{
	char buf[1 << 16];

	umm_proc_read("/proc/slabinfo", buf, sizeof(buf));
	printf("$ grep -E 'name|");
	for (const char *const *n = names; *n; n++)
		printf("%s%s", *n, n[1] ? "|" : "");
	printf("' /proc/slabinfo\n");
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		bool want = line[0] == '#';

		for (const char *const *n = names; *n && !want; n++)
			want = !strncmp(line, *n, strlen(*n)) && line[strlen(*n)] == ' ';
		if (want)
			puts(line);
	}
}

static int demo_slab(void)
{
	static const char *const names[] = { "task_struct", "kmalloc-32", "kmalloc-96",
					     "kmalloc-1k", NULL };
	struct kmem_cache *task_struct_cachep;
	struct task_struct *tasks[100];
	void *small[300];

	step("The slab layer: kmem_cache_create(\"task_struct\", ...) as in LKD3.\n"
	     "    A new cache has no slabs; the first kmem_cache_alloc() takes a slab\n"
	     "    (a compound page) from the buddy allocator and cuts it into objects.");
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       ARCH_MIN_TASKALIGN, SLAB_PANIC, NULL);
	for (int i = 0; i < 100; i++) {
		tasks[i] = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
		if (!tasks[i])
			return 1;
		tasks[i]->pid = i + 1;
	}
	printf("    100 objects of %u bytes; the first two are %p and %p\n",
	       kmem_cache_size(task_struct_cachep), (void *)tasks[0], (void *)tasks[1]);

	step("kmalloc() picks a cache by size: 20 bytes -> kmalloc-32, 70 -> kmalloc-96,\n"
	     "    1000 -> kmalloc-1k (the classes 8, 16, 32, 64, 96, 128, 192, 256, ..., 8k).");
	for (int i = 0; i < 300; i++) {
		static const size_t sizes[] = { 20, 70, 1000 };

		small[i] = kmalloc(sizes[i % 3], GFP_KERNEL);
		if (!small[i])
			return 1;
	}
	show_slabinfo_lines(names);
	printf("\n$ slabtop -o -s c   (top 8)\n");
	fflush(stdout);
	{
		char *text = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&text, &len);
		int lines = 0;

		umm_slabtop(mem, 'c');
		fclose(mem);
		for (char *l = strtok(text, "\n"); l && lines < 14; l = strtok(NULL, "\n"), lines++)
			puts(l);
		free(text);
	}
	show_meminfo_line("Slab:");
	show_meminfo_line("SUnreclaim:");

	step("Free everything.  SLUB still counts the objects of each CPU's active slab\n"
	     "    as in use: they belong to that CPU until its slab is flushed.");
	for (int i = 0; i < 300; i++)
		kfree(small[i]);
	for (int i = 0; i < 100; i++)
		kmem_cache_free(task_struct_cachep, tasks[i]);
	show_slabinfo_lines(names);

	step("kmem_cache_shrink() flushes the CPU slabs and gives empty slabs back to the\n"
	     "    buddy allocator (normally min_partial empty slabs stay cached per node).");
	kmem_cache_shrink(task_struct_cachep);
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(20)]);
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(70)]);
	kmem_cache_shrink(kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(1000)]);
	show_slabinfo_lines(names);
	if (kmem_cache_destroy(task_struct_cachep))
		return 1;
	return umm_slab_check() != 0;
}

static int cmd_demo(void)
{
	struct page *page, *block, *pages[8];
	void *area;

	printf("umm demo: the buddy allocator, vmalloc and the slab layer at work.\n"
	       "Boot command line: \"%s\" (defaults otherwise)\n", umm_cmdline());

	drain_all_pages(NULL);	/* boot's slab caches left pages on the pcp lists */
	step("Right after boot: columns are orders 0..10, values count free blocks of\n"
	     "    that order.  ZONE_DMA (the first 16 MiB) is untouched: four order-10 blocks\n"
	     "    of 4 MiB.  DMA32 lent a few pages to the slab caches boot created.");
	show("/proc/buddyinfo");

	step("alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_COMP, 3): a 32 KiB compound page\n"
	     "    from ZONE_DMA.  expand() splits one order-10 block: 10 -> 9 + 9, 9 -> 8 + 8,\n"
	     "    ... 4 -> 3 + 3; one order-3 half is ours, the other halves (one block of\n"
	     "    each order 3..9) go on the free lists.");
	block = alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_COMP, 3);
	if (!block) {
		fprintf(stderr, "umm: demo: allocation failed\n");
		return 1;
	}
	printf("    got pfn %#lx, order %u, PageHead=%d, page[1] is PageTail=%d\n",
	       page_to_pfn(block), compound_order(block), PageHead(block),
	       PageTail(block + 1));
	show("/proc/buddyinfo");

	step("Eight order-0 GFP_KERNEL pages (from DMA32, the highest zone with memory):\n"
	     "    they come through the per-CPU list (pcp), which refills in batches from\n"
	     "    the buddy lists under one zone lock.");
	for (int i = 0; i < 8; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			fprintf(stderr, "umm: demo: allocation failed\n");
			return 1;
		}
	}
	printf("    pfns:");
	for (int i = 0; i < 8; i++)
		printf(" %#lx", page_to_pfn(pages[i]));
	printf("\n    pages on pcp lists now: %lu\n", umm_pcp_pages());
	show("/proc/buddyinfo");

	step("Free everything and drain the pcp lists: __free_one_page() merges each block\n"
	     "    with its buddy (buddy_pfn = pfn ^ (1 << order)): ZONE_DMA is back to four\n"
	     "    order-10 blocks, DMA32 to where it was.");
	for (int i = 0; i < 8; i++)
		__free_page(pages[i]);
	__free_pages(block, 3);
	drain_all_pages(NULL);
	show("/proc/buddyinfo");

	step("vmalloc(1 MiB): 256 separate frames mapped side by side in the vmalloc area,\n"
	     "    plus an unmapped guard page (so the area is 1 MiB + 4 KiB).");
	area = vmalloc(1 << 20);
	if (!area) {
		fprintf(stderr, "umm: demo: vmalloc failed\n");
		return 1;
	}
	page = vmalloc_to_page(area);
	memset(area, 0x5a, 1 << 20);
	printf("    vmalloc address %p is frame %#lx; its direct-map alias %p reads %#x\n",
	       area, page_to_pfn(page), page_address(page),
	       *(unsigned char *)page_address(page));
	show("/proc/vmallocinfo");
	show_meminfo_line("VmallocUsed:");

	step("vfree(): the frames go back to the buddy allocator at once; the address range\n"
	     "    is purged lazily, in batches, as the kernel does.");
	vfree(area);
	drain_all_pages(NULL);
	show_meminfo_line("VmallocUsed:");
	show("/proc/buddyinfo");

	if (demo_slab())
		return 1;

	step("The whole picture: /proc/meminfo and /proc/pagetypeinfo.");
	show("/proc/meminfo");
	show("/proc/pagetypeinfo");
	return umm_page_alloc_check() || umm_vmalloc_check();
}

static int cmd_slabtop(int argc, char **argv)
{
	char sort = 'o';

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc && strlen(argv[i + 1]) == 1) {
			sort = argv[++i][0];
		} else if (!strncmp(argv[i], "--sort=", 7) && strlen(argv[i]) == 8) {
			sort = argv[i][7];
		} else {
			fprintf(stderr, "umm: slabtop: bad argument '%s' (usage: slabtop [-s KEY])\n",
				argv[i]);
			return 2;
		}
	}
	return umm_slabtop(stdout, sort);
}

/* libumm-malloc.so next to this program (build tree) or in ../lib. */
static int find_malloc_lib(char *out, size_t size)
{
	static const char *const rel[] = { "libumm-malloc.so", "../lib/libumm-malloc.so",
					   "../lib64/libumm-malloc.so" };
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	slash[1] = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(out, size, "%s%s", exe, rel[i]);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

static int cmd_run(const char *cmdline, int argc, char **argv)
{
	char lib[PATH_MAX], report[] = "/tmp/umm-report-XXXXXX", preload[2 * PATH_MAX];
	const char *old = getenv("LD_PRELOAD");
	int fd, status;
	pid_t pid;

	if (argc > 0 && !strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	if (argc == 0) {
		fprintf(stderr, "umm: run: which program? (umm run -- PROGRAM ARGS...)\n");
		return 2;
	}
	if (find_malloc_lib(lib, sizeof(lib))) {
		fprintf(stderr, "umm: run: cannot find libumm-malloc.so next to umm or in ../lib\n");
		return 1;
	}
	fd = mkstemp(report);
	if (fd < 0) {
		fprintf(stderr, "umm: run: cannot create a report file: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	snprintf(preload, sizeof(preload), "%s%s%s", lib, old && *old ? ":" : "",
		 old ? old : "");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "umm: run: fork: %s\n", strerror(errno));
		unlink(report);
		return 1;
	}
	if (pid == 0) {
		setenv("LD_PRELOAD", preload, 1);
		setenv("UMM_REPORT", report, 1);
		if (cmdline)
			setenv("UMM_CMDLINE", cmdline, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "umm: run: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	{
		FILE *f = fopen(report, "r");
		char buf[8192];
		size_t n, total = 0;

		if (f) {
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
				fwrite(buf, 1, n, stdout);
				total += n;
			}
			fclose(f);
		}
		if (!total)
			fprintf(stderr, "umm: run: %s never called malloc, so umm has nothing to report\n",
				argv[0]);
	}
	unlink(report);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "umm: run: %s killed by signal %d\n", argv[0], WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	static char script_cmdline[4096];
	const char *cmdline = NULL;
	int i = 1, err;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("umm " UMM_VERSION "\n");
			return 0;
		}
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc) {
			cmdline = argv[++i];
			continue;
		}
		if (!strncmp(argv[i], "--cmdline=", 10)) {
			cmdline = argv[i] + 10;
			continue;
		}
		fprintf(stderr, "umm: unknown option '%s' (try umm --help)\n", argv[i]);
		return 2;
	}
	if (i == argc) {
		fprintf(stderr, "umm: no command given (try umm --help)\n");
		return 2;
	}
	if (!strcmp(argv[i], "run"))
		return cmd_run(cmdline, argc - i - 1, argv + i + 1);
	if (strcmp(argv[i], "cat") && strcmp(argv[i], "demo") && strcmp(argv[i], "slabtop") &&
	    strcmp(argv[i], "run-script") && strcmp(argv[i], "shell")) {
		fprintf(stderr, "umm: unknown command '%s' (try umm --help)\n", argv[i]);
		return 2;
	}
	if (!strcmp(argv[i], "run-script") && argc - i != 2) {
		fprintf(stderr, "umm: run-script: which scenario? (umm run-script FILE)\n");
		return 2;
	}
	if (!strcmp(argv[i], "shell") && argc - i != 1) {
		fprintf(stderr, "umm: shell takes no arguments (scenarios: umm run-script FILE)\n");
		return 2;
	}
	if (!strcmp(argv[i], "run-script") || !strcmp(argv[i], "shell")) {
		/* Fixed parameters first, so that every run prints the same. */
		snprintf(script_cmdline, sizeof(script_cmdline), "%s%s%s", UMM_SCRIPT_CMDLINE,
			 cmdline ? " " : "", cmdline ? cmdline : "");
		cmdline = script_cmdline;
	}
	err = umm_boot(cmdline);
	if (err) {
		/* A bad command line was already named in one line by umm. */
		if (err != -EINVAL)
			fprintf(stderr, "umm: boot failed: %s\n", strerror(-err));
		return 1;
	}
	if (!strcmp(argv[i], "cat"))
		err = cmd_cat(argc - i - 1, argv + i + 1);
	else if (!strcmp(argv[i], "slabtop"))
		err = cmd_slabtop(argc - i - 1, argv + i + 1);
	else if (!strcmp(argv[i], "run-script"))
		err = umm_script_run_file(argv[i + 1]);
	else if (!strcmp(argv[i], "shell"))
		err = umm_script_shell();
	else
		err = cmd_demo();
	umm_shutdown();
	return err;
}
