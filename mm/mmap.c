// SPDX-License-Identifier: GPL-2.0
/*
 * mmap.c - address spaces and the calls that map and unmap: mm_struct
 * life, the layout (mmap_base), get_unmapped_area(), mmap(), munmap(),
 * brk(), the mapped files, and the memory accounting (mm/mmap.c,
 * arch/x86/mm/mmap.c, arch/x86/kernel/sys_x86_64.c, mm/huge_memory.c's
 * THP alignment, mm/util.c; Linux 6.18).
 *
 * Owns: the mm_struct and vm_area_struct kmem caches, the list of live
 * mms, the list of live struct files, vm_committed_as, and the tunables
 * stack_guard_gap, mmap_min_addr, max_map_count, legacy_va_layout and the
 * ASLR seed.
 *
 * Layout, as x86-64 does it for a 64-bit task (arch_pick_mmap_layout()):
 * TASK_SIZE is 0x7ffffffff000.  Top-down (the default) searches below
 *
 *	mmap_base = PAGE_ALIGN(TASK_SIZE - gap - rnd),
 *	gap = clamp(RLIMIT_STACK + stack_guard_gap + stack random pad,
 *		    128 MiB, TASK_SIZE / 6 * 5)
 *
 * and falls back to bottom-up from TASK_UNMAPPED_BASE (TASK_SIZE / 3)
 * when nothing fits; bottom-up (umm.legacy_va_layout=1) searches up from
 * mmap_legacy_base = TASK_SIZE / 3 + rnd.  rnd is 0 unless
 * umm.aslr_seed=N is given (the kernel's PF_RANDOMIZE): then 28 random
 * bits of pages, and the stack pad is 16 GiB, as with randomize_va_space.
 * An 8 MiB stack without ASLR puts mmap_base at TASK_SIZE - 128 MiB =
 * 0x7ffff7fff000.  A hint is taken if the range is free and clear of a
 * stack's guard gap; an anonymous private mapping whose length is a
 * multiple of 2 MiB and that has no hint is placed 2 MiB aligned
 * (__get_unmapped_area()'s THP rule in 6.18: !file && !addr &&
 * IS_ALIGNED(len, PMD_SIZE)), by searching for len + 2 MiB and rounding.
 *
 * Lock order: mm->mmap_lock, then mm_list_lock or files_lock (never both).
 * The VMA tree is mm/vma.c's; this file calls it with mmap_lock held.
 *
 * User-space differences (and why):
 *  - No task: the rlimits and capabilities a process would have live in
 *    mm->limits, copied from the host process at umm_mm_create(), and
 *    the caller may change them before it uses the mm.  CAP_SYS_RAWIO
 *    (mappings below mmap_min_addr) is the host process's, so that umm
 *    answers as the process running it would; CAP_IPC_LOCK starts off
 *    whoever runs umm, so that RLIMIT_MEMLOCK is enforced the same way
 *    for root and for others (set it to model a privileged process).
 *  - Files are host files.  A struct file holds a dup() of the host fd and
 *    what /proc needs (st_dev, st_ino, the path); mmap()s of one open file
 *    description share one struct file (found again with kcmp()), so their
 *    VMAs merge as they would in the kernel.  Regular files and block
 *    devices map; /dev/zero maps as anonymous memory (private) or shmem
 *    (shared); other files have no ->mmap: -ENODEV.  Files on ext4 and xfs
 *    get the THP alignment those filesystems ask for.
 *  - MAP_SHARED|MAP_ANONYMOUS makes a shmem object, "/dev/zero (deleted)"
 *    on device 00:01, never huge-aligned (shmem_enabled=never, the default).
 *  - MAP_HUGETLB: the 2 MiB and 1 GiB hstates exist (x86-64 with
 *    gbpages) and their pools are empty (vm.nr_hugepages=0, the default):
 *    the anonymous hugetlbfs file goes through do_mmap()'s checks as the
 *    kernel's does, and its ->mmap fails as hugetlb_reserve_pages() does,
 *    -ENOMEM (after a MAP_FIXED has cleared the range it replaces, as on
 *    Linux).  Where the kernel reserves nothing (MAP_NORESERVE) it maps a
 *    VMA whose every fault is SIGBUS; umm has no hugetlb VMAs and says
 *    -ENOMEM there too.  MAP_POPULATE and MAP_LOCKED fault the
 *    range in after the call (mm_populate(), errors ignored).
 *  - Overcommit (vm.overcommit_memory=0, heuristic): a request fails when
 *    it exceeds umm.max_mem, the RAM umm can have with hot-add, also when
 *    hot-add is off (mem= then limits the pages faulted in, not the
 *    mappings: an mm answers mmap() as a process on a big host does,
 *    which the differential tester relies on).  No swap.
 *  - The tunables are global.  A boot applies those on its command line
 *    as it parses it; the first mm created after a boot with a different
 *    command line than the last resets the others to their defaults (there
 *    is no hook in the boot itself), so a boot without umm.aslr_seed= has
 *    no randomization, whatever came before.  Values set at run time with
 *    umm_param_set() last until then.  umm.aslr_seed=0 means no ASLR.
 *  - The kmem caches live while at least one mm does, so that they never
 *    outlive a umm_shutdown() that happened with no mm around.
 *  - PF_RANDOMIZE is the mm's: an image exec'ed under personality
 *    ADDR_NO_RANDOMIZE carries MMF_NO_RANDOMIZE and gets no randomness
 *    whatever umm.aslr_seed= says; exec picks its layout with
 *    arch_pick_mmap_layout_exec() (ADDR_COMPAT_LAYOUT is the legacy
 *    layout, as x86's mmap_is_legacy()).  The mm holds a reference to
 *    its exe_file, dropped at the last umm_mm_destroy().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/kcmp.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "internal.h"
#include <umm/pagemap.h>
#include <umm/slab.h>

#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE		0x08
#endif
#ifndef MAP_ABOVE4G
#define MAP_ABOVE4G		0x80
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT		26
#endif
#define MAP_HUGE_2MB		(21U << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB		(30U << MAP_HUGE_SHIFT)
#ifndef MAP_UNINITIALIZED
#define MAP_UNINITIALIZED	0x4000000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif

/* The flags every ->mmap accepts without ->mmap_validate (mman.h). */
#define LEGACY_MAP_MASK (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | \
			 MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED | \
			 MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE |	\
			 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |	\
			 MAP_HUGETLB | MAP_32BIT | MAP_ABOVE4G |	\
			 MAP_HUGE_2MB | MAP_HUGE_1GB)

#define OVERCOMMIT_GUESS	0
#define OVERCOMMIT_ALWAYS	1
#define OVERCOMMIT_NEVER	2

unsigned long stack_guard_gap = 256UL << PAGE_SHIFT;
unsigned long mmap_min_addr = DEFAULT_MMAP_MIN_ADDR;
int sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
unsigned long sysctl_overcommit_memory = OVERCOMMIT_GUESS;
static int sysctl_legacy_va_layout;
static unsigned long long aslr_seed;	/* 0: no randomization */
static bool aslr_on;
static const int mmap_rnd_bits = 28;	/* CONFIG_ARCH_MMAP_RND_BITS */

static long vm_committed_as;		/* pages, atomic */

static struct kmem_cache *mm_cachep;
static DEFINE_MUTEX(mm_list_lock);
static LIST_HEAD(mm_list);
static int nr_mms;
static unsigned long long mm_serial;

static DEFINE_MUTEX(files_lock);
static LIST_HEAD(files);
static unsigned long shmem_ino = 4000;

/* ---- tunables (kernel/params.c calls here) ---- */

static int parse_num(const char *v, unsigned long long *out)
{
	char *end;

	if (!v || !*v || *v == '-' || *v == '+')
		return -EINVAL;
	errno = 0;
	*out = strtoull(v, &end, 0);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

int mmap_param(const char *name, const char *val)
{
	unsigned long long n;
	unsigned long bytes;

	if (!strcmp(name, "stack_guard_gap")) {
		/* pages, as mm/mmap.c's cmdline_parse_stack_guard_gap() */
		if (parse_num(val, &n) || n > (TASK_SIZE >> PAGE_SHIFT))
			return -EINVAL;
		stack_guard_gap = (unsigned long)n << PAGE_SHIFT;
		return 0;
	}
	if (!strcmp(name, "umm.mmap_min_addr")) {
		if (!val || umm_memparse(val, &bytes) || bytes >= TASK_SIZE)
			return -EINVAL;
		mmap_min_addr = bytes;
		return 0;
	}
	if (!strcmp(name, "umm.aslr_seed")) {
		if (parse_num(val, &n))
			return -EINVAL;
		aslr_seed = n;
		aslr_on = n != 0;
		/* each boot with a seed replays the same layouts */
		__atomic_store_n(&mm_serial, 0, __ATOMIC_RELAXED);
		return 0;
	}
	if (!strcmp(name, "umm.legacy_va_layout")) {
		if (parse_num(val, &n) || n > 1)
			return -EINVAL;
		sysctl_legacy_va_layout = (int)n;
		return 0;
	}
	if (!strcmp(name, "umm.vma_tree")) {
		if (!val || (strcmp(val, "maple") && strcmp(val, "rbtree")))
			return -EINVAL;
		vma_tree_maple = !strcmp(val, "maple");
		return 0;
	}
	if (!strcmp(name, "umm.max_map_count")) {
		if (parse_num(val, &n) || n > 0x7fffffff)
			return -EINVAL;
		sysctl_max_map_count = (int)n;
		return 0;
	}
	return -EINVAL;
}

static void mmap_params_defaults(void)
{
	stack_guard_gap = 256UL << PAGE_SHIFT;
	mmap_min_addr = DEFAULT_MMAP_MIN_ADDR;
	sysctl_max_map_count = DEFAULT_MAX_MAP_COUNT;
	sysctl_legacy_va_layout = 0;
	vma_tree_maple = true;
	aslr_seed = 0;
	aslr_on = false;
	mm_serial = 0;
}

/*
 * After a boot with a new command line: defaults, then what the command
 * line says (see the head comment).  Called with mm_list_lock held.
 */
static bool mmap_params_synced;

/* At each boot and shutdown: the next mm re-reads them from the new line. */
void mmap_params_reset(void)
{
	mmap_params_synced = false;
}

static void mmap_params_sync(void)
{
	static char last[sizeof(umm_cfg.cmdline)];
	char buf[sizeof(umm_cfg.cmdline)], *tok, *save = NULL;

	lockdep_assert_held(&mm_list_lock);
	if (mmap_params_synced && !strcmp(last, umm_cfg.cmdline))
		return;
	mmap_params_synced = true;
	strcpy(last, umm_cfg.cmdline);
	mmap_params_defaults();
	strcpy(buf, umm_cfg.cmdline);
	for (tok = strtok_r(buf, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (!strcmp(tok, "stack_guard_gap") || !strncmp(tok, "umm.", 4))
			mmap_param(tok, eq + 1);	/* other names: -EINVAL, ignored */
	}
}

/* ---- files ---- */

struct file *get_file(struct file *file)
{
	__atomic_fetch_add(&file->f_count, 1, __ATOMIC_RELAXED);
	return file;
}

/*
 * The last reference is dropped under files_lock, so that fget(), which
 * looks files up under it, never takes a reference to a dying file.
 */
void fput(struct file *file)
{
	long count = __atomic_load_n(&file->f_count, __ATOMIC_RELAXED);

	while (count > 1)
		if (__atomic_compare_exchange_n(&file->f_count, &count, count - 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return;
	mutex_lock(&files_lock);
	if (__atomic_sub_fetch(&file->f_count, 1, __ATOMIC_ACQ_REL)) {
		mutex_unlock(&files_lock);
		return;
	}
	list_del(&file->f_list);
	mutex_unlock(&files_lock);
	if (file->f_mapping)
		iput_mapping(file->f_mapping);	/* the last file writes it back */
	if (file->f_hostfd >= 0)
		close(file->f_hostfd);
	kfree(file->f_path);
	kfree(file);
}

static struct file *alloc_file(void)
{
	struct file *file = kzalloc(sizeof(*file), GFP_KERNEL);

	if (!file)
		return NULL;
	file->f_count = 1;
	file->f_hostfd = -1;
	INIT_LIST_HEAD(&file->f_list);
	return file;
}

/* The shmem object behind a MAP_SHARED|MAP_ANONYMOUS (shmem_zero_setup()). */
struct file *shmem_zero_file(unsigned long size)
{
	struct file *file = alloc_file();

	if (!file)
		return NULL;
	file->f_size = size;	/* a fault past it is SIGBUS, as in the kernel */
	file->f_path = kstrdup("/dev/zero (deleted)", GFP_KERNEL);
	file->f_mapping = shmem_mapping_alloc(size);
	if (!file->f_path || !file->f_mapping) {
		if (file->f_mapping)
			iput_mapping(file->f_mapping);
		kfree(file->f_path);
		kfree(file);
		return NULL;
	}
	file->f_mode = FMODE_READ | FMODE_WRITE;
	file->f_dev = makedev(0, 1);
	file->f_imode = S_IFREG;
	file->f_mmap = true;
	file->f_shmem = true;
	mutex_lock(&files_lock);
	file->f_ino = ++shmem_ino;
	list_add(&file->f_list, &files);
	mutex_unlock(&files_lock);
	return file;
}

/* The path /proc/PID/maps prints: what /proc/self/fd/N names. */
static char *host_fd_path(int fd)
{
	char link[64], buf[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n < 0)
		return kstrdup("?", GFP_KERNEL);
	buf[n] = '\0';
	return kstrdup(buf, GFP_KERNEL);
}

static bool same_open_file(int fd1, int fd2)
{
	pid_t pid = getpid();

	return syscall(SYS_kcmp, pid, pid, KCMP_FILE, fd1, fd2) == 0;
}

/*
 * fget - the struct file for host fd @fd (a new reference), or NULL with
 * -EBADF.  An open file description already mapped is found again.
 */
struct file *fget(int fd)
{
	struct file *file, *f;
	struct stat st;
	struct statvfs vfs;
	struct statfs sfs;
	int fl, dupfd;

	if (fd < 0)
		return NULL;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || (fl & O_PATH) || fstat(fd, &st))
		return NULL;

	mutex_lock(&files_lock);
	list_for_each_entry(f, &files, f_list) {
		if (f->f_hostfd >= 0 && f->f_dev == st.st_dev &&
		    f->f_ino == st.st_ino && same_open_file(fd, f->f_hostfd)) {
			get_file(f);
			mutex_unlock(&files_lock);
			return f;
		}
	}
	mutex_unlock(&files_lock);

	dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dupfd < 0)
		return NULL;
	file = alloc_file();
	if (!file) {
		close(dupfd);
		return NULL;
	}
	file->f_hostfd = dupfd;
	switch (fl & O_ACCMODE) {
	case O_RDONLY: file->f_mode = FMODE_READ; break;
	case O_WRONLY: file->f_mode = FMODE_WRITE; break;
	default: file->f_mode = FMODE_READ | FMODE_WRITE; break;
	}
	file->f_dev = st.st_dev;
	file->f_ino = st.st_ino;
	file->f_imode = st.st_mode & S_IFMT;
	file->f_noexec = !fstatvfs(fd, &vfs) && (vfs.f_flag & ST_NOEXEC);
	file->f_devzero = S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 5);
	file->f_mmap = S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || file->f_devzero;
	/* ext4 and xfs ask for THP-aligned placement (thp_get_unmapped_area) */
	file->f_thp = S_ISREG(st.st_mode) && !fstatfs(fd, &sfs) &&
		(sfs.f_type == EXT4_SUPER_MAGIC || sfs.f_type == XFS_SUPER_MAGIC);
	file->f_path = host_fd_path(fd);
	/* The inode's page cache, shared by every open of it. */
	if (file->f_mmap && !file->f_devzero)
		file->f_mapping = iget_mapping(st.st_dev, st.st_ino, dupfd,
					       file->f_mode & FMODE_WRITE);
	if (!file->f_path || (file->f_mmap && !file->f_devzero && !file->f_mapping)) {
		if (file->f_mapping)
			iput_mapping(file->f_mapping);
		close(dupfd);
		kfree(file->f_path);
		kfree(file);
		return NULL;
	}
	mutex_lock(&files_lock);
	list_add(&file->f_list, &files);
	mutex_unlock(&files_lock);
	return file;
}


/* ---- page protections and accounting ---- */

/* x86 protections from the PTE bits of <umm/pgtable.h> (asm/pgtable_types.h). */
#define PAGE_NONE		(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED		(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_SHARED_EXEC	(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_COPY_EXEC		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY		(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_READONLY_EXEC	(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)

/* arch/x86/mm/pgprot.c: indexed by VM_READ|VM_WRITE|VM_EXEC|VM_SHARED. */
static const unsigned long protection_map[16] = {
	PAGE_NONE, PAGE_READONLY, PAGE_COPY, PAGE_COPY,
	PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_COPY_EXEC, PAGE_COPY_EXEC,
	PAGE_NONE, PAGE_READONLY, PAGE_SHARED, PAGE_SHARED,
	PAGE_READONLY_EXEC, PAGE_READONLY_EXEC, PAGE_SHARED_EXEC, PAGE_SHARED_EXEC,
};

pgprotval_t vm_get_page_prot(vm_flags_t vm_flags)
{
	return protection_map[vm_flags & (VM_READ | VM_WRITE | VM_EXEC | VM_SHARED)];
}

/*
 * A shared writable file mapping starts read-only in the page tables so
 * that the first write is seen (dirty tracking): vma_wants_writenotify().
 * shmem has no writeback, so it does not.
 */
void vma_set_page_prot(struct vm_area_struct *vma)
{
	vm_flags_t vm_flags = vma->vm_flags;

	if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED) &&
	    vma->vm_file && !vma->vm_file->f_shmem)
		vm_flags &= ~VM_SHARED;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
}

/* Under mmap_lock for writing; /proc reads the counters without it (READ_ONCE). */
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	WRITE_ONCE(mm->total_vm, mm->total_vm + (unsigned long)npages);
	if (is_exec_mapping(flags))
		WRITE_ONCE(mm->exec_vm, mm->exec_vm + (unsigned long)npages);
	else if (is_stack_mapping(flags))
		WRITE_ONCE(mm->stack_vm, mm->stack_vm + (unsigned long)npages);
	else if (is_data_mapping(flags))
		WRITE_ONCE(mm->data_vm, mm->data_vm + (unsigned long)npages);
}

/* RLIMIT_AS for everything, RLIMIT_DATA for private writable memory. */
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags, unsigned long npages)
{
	if (mm->total_vm + npages > mm->limits.as >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) &&
	    mm->data_vm + npages > mm->limits.data >> PAGE_SHIFT)
		return false;
	return true;
}

static inline void vm_acct_memory(long pages)
{
	__atomic_fetch_add(&vm_committed_as, pages, __ATOMIC_RELAXED);
}

void vm_unacct_memory(long pages)
{
	vm_acct_memory(-pages);
}

long vm_memory_committed(void)
{
	return __atomic_load_n(&vm_committed_as, __ATOMIC_RELAXED);
}

/*
 * __vm_enough_memory - charge @pages to the commit, or -ENOMEM.  The
 * heuristic (default) refuses only what could never fit: more than all
 * the memory umm may have.  "never" compares the whole commit with
 * memory * 50% (overcommit_ratio), as the kernel does without swap.
 */
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	unsigned long ram = umm_cfg.max_mem >> PAGE_SHIFT;

	(void)mm;
	vm_acct_memory(pages);
	if (sysctl_overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (sysctl_overcommit_memory == OVERCOMMIT_GUESS) {
		if ((unsigned long)pages <= ram)
			return 0;
	} else if ((unsigned long)vm_memory_committed() <= ram / 2) {
		return 0;
	}
	vm_unacct_memory(pages);
	return -ENOMEM;
}

bool can_do_mlock(struct mm_struct *mm)
{
	return mm->limits.memlock != 0 || mm->limits.cap_ipc_lock;
}

bool mlock_future_ok(struct mm_struct *mm, bool is_vma_locked, unsigned long bytes)
{
	unsigned long locked_pages, limit_pages;

	if (!is_vma_locked || mm->limits.cap_ipc_lock)
		return true;
	locked_pages = (bytes >> PAGE_SHIFT) + mm->locked_vm;
	limit_pages = mm->limits.memlock >> PAGE_SHIFT;
	return locked_pages <= limit_pages;
}

/* i_size of a mapped file, for the faults that would go past it. */
unsigned long file_size(struct file *file)
{
	struct stat st;

	if (file->f_shmem || file->f_hostfd < 0)
		return file->f_size;
	if (fstat(file->f_hostfd, &st) || !S_ISREG(st.st_mode))
		return ~0UL;	/* block devices and the like: no EOF to check */
	return (unsigned long)st.st_size;
}

/* cap_mmap_addr(): below mmap_min_addr only with CAP_SYS_RAWIO. */
static int security_mmap_addr(struct mm_struct *mm, unsigned long addr)
{
	if (addr < mmap_min_addr && !mm->limits.cap_sys_rawio)
		return -EPERM;
	return 0;
}

/* ---- the layout ---- */

static unsigned long long splitmix64(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* get_random_long() for this mm: reproducible from the seed and the mm's serial. */
unsigned long mm_random(struct mm_struct *mm)
{
	return (unsigned long)splitmix64(&mm->aslr_state);
}

/* PF_RANDOMIZE of the mm's task: umm.aslr_seed= and no ADDR_NO_RANDOMIZE. */
bool mm_randomize(const struct mm_struct *mm)
{
	return aslr_on && !(mm->flags & (1UL << MMF_NO_RANDOMIZE));
}

static unsigned long arch_rnd(struct mm_struct *mm, unsigned int rndbits)
{
	if (!mm_randomize(mm))
		return 0;
	return (mm_random(mm) & ((1UL << rndbits) - 1)) << PAGE_SHIFT;
}

/* arch_mmap_rnd(): what ELF_ET_DYN_BASE moves by (binfmt_elf) */
unsigned long arch_mmap_rnd(struct mm_struct *mm)
{
	return arch_rnd(mm, mmap_rnd_bits);
}

static unsigned long stack_maxrandom_size(struct mm_struct *mm)
{
	if (!mm_randomize(mm))
		return 0;
	return 0x3fffffUL << PAGE_SHIFT;	/* __STACK_RND_MASK(64-bit) */
}

#define SIZE_128M	(128UL << 20)

static unsigned long mmap_base(struct mm_struct *mm, unsigned long rnd,
			       unsigned long task_size, unsigned long rlim_stack)
{
	unsigned long gap = rlim_stack;
	unsigned long pad = stack_maxrandom_size(mm) + stack_guard_gap;

	if (gap + pad > gap)	/* values close to RLIM_INFINITY overflow */
		gap += pad;
	gap = clamp(gap, SIZE_128M, (task_size / 6) * 5);
	return PAGE_ALIGN(task_size - gap - rnd);
}

/* x86's mmap_is_legacy(): ADDR_COMPAT_LAYOUT, or vm.legacy_va_layout */
static void __arch_pick_mmap_layout(struct mm_struct *mm, bool compat_layout)
{
	unsigned long rnd = arch_rnd(mm, mmap_rnd_bits);
	bool legacy = compat_layout || sysctl_legacy_va_layout;

	if (legacy)
		mm->flags &= ~(1UL << MMF_TOPDOWN);
	else
		mm->flags |= 1UL << MMF_TOPDOWN;
	mm->mmap_legacy_base = __TASK_UNMAPPED_BASE(mm->task_size) + rnd;
	mm->mmap_base = legacy ? mm->mmap_legacy_base :
		mmap_base(mm, rnd, mm->task_size, mm->limits.stack);
}

static void arch_pick_mmap_layout(struct mm_struct *mm)
{
	__arch_pick_mmap_layout(mm, false);
}

/*
 * exec's setup_new_exec(): the layout of a new image, whose task has
 * @compat_layout (personality ADDR_COMPAT_LAYOUT) and RLIMIT_STACK
 * @rlim_stack.  The mm is exec's own, not yet seen by anyone.
 */
void arch_pick_mmap_layout_exec(struct mm_struct *mm, unsigned long rlim_stack,
				bool compat_layout)
{
	mmap_write_lock(mm);
	mm->limits.stack = rlim_stack;
	__arch_pick_mmap_layout(mm, compat_layout);
	mmap_write_unlock(mm);
}

/* ---- get_unmapped_area ---- */

static inline unsigned long stack_guard_placement(vm_flags_t vm_flags)
{
	return (vm_flags & VM_SHADOW_STACK) ? PAGE_SIZE : 0;
}

static void find_start_end(struct mm_struct *mm, unsigned long flags,
			   unsigned long *begin, unsigned long *end)
{
	if (flags & MAP_32BIT) {
		/* small code model: the second GiB, as x86 keeps it */
		*begin = 0x40000000;
		*end = 0x80000000;
		if (mm_randomize(mm))
			*begin += (mm_random(mm) % (0x02000000 >> PAGE_SHIFT)) << PAGE_SHIFT;
		return;
	}
	*begin = mm->mmap_legacy_base;
	*end = mm->task_size;
}

/* x86's bottom-up search (arch/x86/kernel/sys_x86_64.c). */
static unsigned long arch_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					    unsigned long len, unsigned long pgoff,
					    unsigned long flags, vm_flags_t vm_flags,
					    unsigned long align_mask)
{
	struct vm_unmapped_area_info info = {0};
	struct vm_area_struct *vma;
	unsigned long begin, end;

	if (flags & MAP_FIXED)
		return addr;
	find_start_end(mm, flags, &begin, &end);
	if (len > end)
		return -ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		vma = find_vma(mm, addr);
		if (end - len >= addr && (!vma || addr + len <= vm_start_gap(vma)))
			return addr;
	}
	info.length = len;
	info.low_limit = begin;
	info.high_limit = end;
	info.align_offset = pgoff << PAGE_SHIFT;
	info.align_mask = align_mask;
	info.start_gap = stack_guard_placement(vm_flags);
	return vm_unmapped_area(mm, &info);
}

/* The hint must not straddle the 47-bit window (5-level paging rule). */
static bool mmap_address_hint_valid(struct mm_struct *mm, unsigned long addr,
				    unsigned long len)
{
	if (mm->task_size - len < addr)
		return false;
	return (addr > DEFAULT_MAP_WINDOW) == (addr + len > DEFAULT_MAP_WINDOW);
}

/* x86's top-down search, falling back to bottom-up when nothing fits. */
static unsigned long arch_get_unmapped_area_topdown(struct mm_struct *mm,
						    unsigned long addr0,
						    unsigned long len,
						    unsigned long pgoff,
						    unsigned long flags,
						    vm_flags_t vm_flags,
						    unsigned long align_mask)
{
	struct vm_unmapped_area_info info = {0};
	struct vm_area_struct *vma;
	unsigned long addr = addr0;

	if (len > mm->task_size)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (flags & MAP_32BIT)
		goto bottomup;
	if (addr) {
		addr &= PAGE_MASK;
		if (mmap_address_hint_valid(mm, addr, len)) {
			vma = find_vma(mm, addr);
			if (!vma || addr + len <= vm_start_gap(vma))
				return addr;
		}
	}
	info.flags = VM_UNMAPPED_AREA_TOPDOWN;
	info.length = len;
	info.low_limit = (flags & MAP_ABOVE4G) ? (1UL << 32) : PAGE_SIZE;
	info.high_limit = mm->mmap_base;
	info.start_gap = stack_guard_placement(vm_flags);
	info.align_offset = pgoff << PAGE_SHIFT;
	info.align_mask = align_mask;
	addr = vm_unmapped_area(mm, &info);
	if (!(addr & ~PAGE_MASK))
		return addr;
bottomup:
	return arch_get_unmapped_area(mm, addr0, len, pgoff, flags, 0, align_mask);
}

/*
 * @align_mask: what x86's get_align_mask() gives a hugetlbfs file (its
 * huge page size less a page), 0 for everything else.
 */
static unsigned long mm_get_unmapped_area_vmflags(struct mm_struct *mm,
						  unsigned long addr,
						  unsigned long len,
						  unsigned long pgoff,
						  unsigned long flags,
						  vm_flags_t vm_flags,
						  unsigned long align_mask)
{
	if (mm->flags & (1UL << MMF_TOPDOWN))
		return arch_get_unmapped_area_topdown(mm, addr, len, pgoff, flags,
						      vm_flags, align_mask);
	return arch_get_unmapped_area(mm, addr, len, pgoff, flags, vm_flags, align_mask);
}

/*
 * __thp_get_unmapped_area - place [off, off + len) of an object so that
 * its 2 MiB-aligned offsets land on 2 MiB-aligned addresses: search for
 * len + 2 MiB and move up by the misalignment (top-down: by a whole 2 MiB
 * when already aligned, so that the range ends at the top of the hole).
 * 0 means "not possible, use the normal search".
 */
static unsigned long __thp_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					     unsigned long len, unsigned long off,
					     unsigned long flags, unsigned long size,
					     vm_flags_t vm_flags)
{
	unsigned long off_end = off + len;
	unsigned long off_align = ALIGN(off, size);
	unsigned long len_pad, ret, off_sub;

	if (off_end <= off_align || (off_end - off_align) < size)
		return 0;
	len_pad = len + size;
	if (len_pad < len || (off + len_pad) < off)
		return 0;
	ret = mm_get_unmapped_area_vmflags(mm, addr, len_pad, off >> PAGE_SHIFT,
					   flags, vm_flags, 0);
	if (IS_ERR_VALUE(ret))
		return 0;
	if (ret == addr)
		return addr;
	off_sub = (off - ret) & (size - 1);
	if ((mm->flags & (1UL << MMF_TOPDOWN)) && !off_sub)
		return ret + size;
	return ret + off_sub;
}

static unsigned long thp_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					   unsigned long len, unsigned long pgoff,
					   unsigned long flags, vm_flags_t vm_flags)
{
	unsigned long ret = __thp_get_unmapped_area(mm, addr, len, pgoff << PAGE_SHIFT,
						    flags, PMD_SIZE, vm_flags);

	if (ret)
		return ret;
	return mm_get_unmapped_area_vmflags(mm, addr, len, pgoff, flags, vm_flags, 0);
}

/*
 * __get_unmapped_area - where a mapping of @len bytes goes: MAP_FIXED's
 * @addr, a free hint, or a searched hole; then the TASK_SIZE, alignment
 * and mmap_min_addr checks every answer must pass.
 */
unsigned long __get_unmapped_area(struct mm_struct *mm, struct file *file,
				  unsigned long addr, unsigned long len,
				  unsigned long pgoff, unsigned long flags,
				  vm_flags_t vm_flags)
{
	int err;

	if (len > mm->task_size)
		return -ENOMEM;
	if (!file)
		pgoff = 0;

	if (file && file->f_hugetlb) {
		/*
		 * hugetlb_get_unmapped_area(): whole huge pages only, a hint
		 * rounded up to one, and a search aligned to the huge page
		 * size (which asks for len + size - PAGE_SIZE: an exactly
		 * fitting aligned hole is not found, as on x86) with no
		 * stack guard (vm_flags 0).
		 */
		if ((flags & MAP_FIXED) && (addr & (file->f_hugetlb - 1)))
			return -EINVAL;
		if (addr)
			addr = ALIGN(addr, file->f_hugetlb);
		addr = mm_get_unmapped_area_vmflags(mm, addr, len, pgoff, flags, 0,
						    file->f_hugetlb - PAGE_SIZE);
	} else if (file && file->f_devzero && !(flags & MAP_SHARED))
		addr = thp_get_unmapped_area(mm, addr, len, pgoff, flags, vm_flags);
	else if (file && file->f_thp)
		addr = thp_get_unmapped_area(mm, addr, len, pgoff, flags, vm_flags);
	else if (!file && !(flags & MAP_SHARED) && !addr && IS_ALIGNED(len, PMD_SIZE))
		addr = thp_get_unmapped_area(mm, addr, len, pgoff, flags, vm_flags);
	else
		addr = mm_get_unmapped_area_vmflags(mm, addr, len, pgoff, flags, vm_flags, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > mm->task_size - len)
		return -ENOMEM;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	err = security_mmap_addr(mm, addr);
	return err ? (unsigned long)err : addr;
}

/* ---- mmap ---- */

static inline bool accountable_mapping(struct file *file, vm_flags_t vm_flags)
{
	if (file && file->f_hugetlb)
		return false;	/* hugetlb has its own reservations */
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/*
 * The refusals of the ->mmap hooks umm models, which the kernel meets
 * after the range a MAP_FIXED replaces has been cleared:
 *  - ext4's and xfs's ->mmap_prepare(): MAP_SYNC (VM_SYNC, which plain
 *    MAP_SHARED and MAP_PRIVATE pass on too) needs DAX, which a host
 *    file seen through umm never is;
 *  - hugetlbfs_file_mmap(): an offset that is not a whole number of huge
 *    pages, then hugetlb_reserve_pages() on an empty pool.
 */
static int mmap_hook_refuses(struct file *file, vm_flags_t vm_flags, unsigned long pgoff)
{
	if (!file)
		return 0;
	if ((vm_flags & VM_SYNC) && file->f_thp)
		return -EOPNOTSUPP;
	if (file->f_hugetlb)
		return pgoff & ((file->f_hugetlb >> PAGE_SHIFT) - 1) ? -EINVAL : -ENOMEM;
	return 0;
}

/* shmem_anon_vm_ops (mm/shmem.c) and generic_file_vm_ops (mm/filemap.c). */

/*
 * mmap_region - map [addr, addr + len) with @vm_flags, replacing whatever
 * is there (MAP_FIXED).  The old VMAs are split at the edges and counted
 * first; the limits and the commit are checked against the net change;
 * only then do the old VMAs go and the new range merge or get its own VMA.
 */
unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
			  unsigned long len, vm_flags_t vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pglen = len >> PAGE_SHIFT, charged = 0;
	struct vm_area_struct *vma = NULL, *prev, *next, *new;
	struct file *shmem = NULL;
	struct vma_munmap_struct vms;
	int err;

	/* One walk: the neighbours, and whether anything is in the way. */
	next = find_vma_prev(mm, addr, &prev);
	init_vma_munmap(&vms, mm, next && next->vm_start < end ? next : NULL, addr, end);
	if (vms.vma) {
		err = vms_gather_munmap_vmas(&vms);
		if (err)
			return (unsigned long)err;
		prev = vms.prev;
		next = vms.next;
	}

	if (!may_expand_vm(mm, vm_flags, pglen - vms.nr_pages))
		return -ENOMEM;
	if (accountable_mapping(file, vm_flags)) {
		charged = pglen - vms.nr_accounted;
		if (charged && security_vm_enough_memory_mm(mm, (long)charged))
			return -ENOMEM;
		vms.nr_accounted = 0;
		vm_flags |= VM_ACCOUNT;
	}
	/*
	 * The kernel has cleared what a MAP_FIXED replaces by the time the
	 * ->mmap hook fails (vms_clean_up_area()), so the failure leaves a
	 * gap there (vms_abort_munmap_vmas()).
	 */
	err = mmap_hook_refuses(file, vm_flags, pgoff);
	if (err) {
		if (vms.vma)
			vms_complete_munmap_vmas(&vms);
		if (charged)
			vm_unacct_memory((long)charged);
		return (unsigned long)err;
	}

	/* Allocate up front: nothing may fail once the old VMAs are gone. */
	new = vm_area_alloc(mm);
	if (new && (vm_flags & VM_SHARED) && (!file || file->f_devzero)) {
		shmem = shmem_zero_file(len);
		if (!shmem) {
			vm_area_free(new);
			new = NULL;
		}
	}
	if (!new || vma_prealloc(mm)) {
		if (new)
			vm_area_free(new);
		if (shmem)
			fput(shmem);
		if (charged)
			vm_unacct_memory((long)charged);
		return -ENOMEM;
	}

	vms_complete_munmap_vmas(&vms);

	if (prev || next) {
		struct vma_merge_struct vmg = {
			.mm = mm, .prev = prev, .next = next,
			.start = addr, .end = end, .pgoff = pgoff,
			.flags = vm_flags, .file = file,
		};

		vma = vma_merge_new_range(&vmg);
	}
	if (vma) {
		vm_area_free(new);
		if (shmem)
			fput(shmem);
	} else {
		vma = new;
		vma_set_range(vma, addr, end, pgoff);
		vma->vm_flags = vm_flags;
		if (shmem) {
			/* shmem_zero_setup(): shared anonymous or shared /dev/zero */
			vma->vm_file = shmem;
			vma->vm_ops = &shmem_anon_vm_ops;
		} else if (file) {
			vma->vm_file = get_file(file);
			/* private /dev/zero is anonymous memory (mmap_zero()) */
			vma->vm_ops = file->f_devzero ? NULL : &generic_file_vm_ops;
		}
		vma_link_between(mm, vma, prev, next);
	}

	/* __mmap_complete() */
	vm_stat_account(mm, vma->vm_flags, (long)pglen);
	if (vma->vm_flags & VM_LOCKED) {
		if (vma->vm_flags & VM_SPECIAL)
			vma->vm_flags &= ~VM_LOCKED_MASK;
		else
			mm->locked_vm += pglen;
	}
	vma->vm_flags |= VM_SOFTDIRTY;
	vma_set_page_prot(vma);
	/* What was just mapped is what gets looked up next (faults, munmap). */
	WRITE_ONCE(mm->mmap_cache, vma);
	return addr;
}

static inline vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
	       ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

static inline vm_flags_t calc_vm_flag_bits(unsigned long flags)
{
	return ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) |
	       ((flags & MAP_LOCKED) ? VM_LOCKED : 0) |
	       ((flags & MAP_SYNC) ? VM_SYNC : 0) |
	       ((flags & MAP_STACK) ? VM_NOHUGEPAGE : 0);
}

static inline unsigned long round_hint_to_min(unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mmap_min_addr)
		return PAGE_ALIGN(mmap_min_addr);
	return hint;
}

/* Does [pgoff, pgoff + len) fit in the file's offset range? */
static bool file_mmap_ok(struct file *file, unsigned long pgoff, unsigned long len)
{
	unsigned long long maxsize = (S_ISREG(file->f_imode) || S_ISBLK(file->f_imode)) ?
		0x7fffffffffffffffULL : ~0UL;	/* MAX_LFS_FILESIZE, or ULONG_MAX */

	if (len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= maxsize >> PAGE_SHIFT;
}

/*
 * do_mmap - mmap()'s checks and work, in the kernel's order; mmap_lock is
 * held for writing.  *@populate is set to the bytes MAP_POPULATE or
 * VM_LOCKED would fault in.
 */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      vm_flags_t vm_flags, unsigned long pgoff, unsigned long *populate)
{
	mmap_assert_write_locked(mm);

	*populate = 0;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;

	vm_flags |= calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) |
		mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	addr = __get_unmapped_area(mm, file, addr, len, pgoff, flags, vm_flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	if ((flags & MAP_LOCKED) && !can_do_mlock(mm))
		return -EPERM;
	if (!mlock_future_ok(mm, vm_flags & VM_LOCKED, len))
		return -EAGAIN;

	if (file) {
		unsigned long flags_mask = LEGACY_MAP_MASK;

		if (!file_mmap_ok(file, pgoff, len))
			return -EOVERFLOW;
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			/* unknown flags are ignored with plain MAP_SHARED */
			flags &= LEGACY_MAP_MASK;
			/* fallthrough */
		case MAP_SHARED_VALIDATE:
			if (flags & ~flags_mask)
				return -EOPNOTSUPP;
			if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!(file->f_mode & FMODE_WRITE))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			/* fallthrough */
		case MAP_PRIVATE:
			if (!(file->f_mode & FMODE_READ))
				return -EACCES;
			if (file->f_noexec) {
				if (vm_flags & VM_EXEC)
					return -EPERM;
				vm_flags &= ~VM_MAYEXEC;
			}
			if (!file->f_mmap)
				return -ENODEV;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_DROPPABLE:
			if (flags & (MAP_LOCKED | MAP_HUGETLB))
				return -EINVAL;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP;
			/* fallthrough */
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			return -EINVAL;
		}
	}

	if ((flags & MAP_NORESERVE) && sysctl_overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;

	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (!IS_ERR_VALUE(addr) &&
	    ((vm_flags & VM_LOCKED) ||
	     (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return addr;
}

/*
 * hstate_sizelog(): the huge page size MAP_HUGE_* names (0: the default,
 * 2 MiB), or 0 for a size no hstate has.
 */
static unsigned long hstate_sizelog(unsigned long flags)
{
	unsigned int log = (flags >> MAP_HUGE_SHIFT) & 0x3f;	/* MAP_HUGE_MASK */

	if (!log || log == PMD_SHIFT)
		return PMD_SIZE;
	if (log == 30)
		return 1UL << 30;	/* PUD_SIZE: gbpages */
	return 0;
}

long umm_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
	      int prot, int flags, int fd, long off)
{
	unsigned long uflags = (unsigned int)flags, populate, ret;
	struct file *file = NULL, *hugetlb = NULL;
	struct file hugetlb_file = {
		.f_count = 1, .f_hostfd = -1, .f_mode = FMODE_READ | FMODE_WRITE,
		.f_imode = S_IFREG, .f_mmap = true,
	};

	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	if ((unsigned long)off & ~PAGE_MASK)
		return -EINVAL;
	if (!(uflags & MAP_ANONYMOUS)) {
		file = fget(fd);
		if (!file)
			return -EBADF;
		if (uflags & MAP_HUGETLB) {
			fput(file);
			return -EINVAL;
		}
	} else if (uflags & MAP_HUGETLB) {
		/* hugetlb_file_setup(): an unlinked file on hugetlbfs */
		hugetlb_file.f_hugetlb = hstate_sizelog(uflags);
		if (!hugetlb_file.f_hugetlb)
			return -EINVAL;
		len = (len + hugetlb_file.f_hugetlb - 1) & ~(hugetlb_file.f_hugetlb - 1);
		hugetlb = &hugetlb_file;
	}

	mmap_write_lock(mm);
	ret = do_mmap(mm, file ? file : hugetlb, addr, len, (unsigned int)prot, uflags, 0,
		      (unsigned long)off >> PAGE_SHIFT, &populate);
	mmap_write_unlock(mm);
	if (file)
		fput(file);
	/* mm_populate(): MAP_POPULATE or VM_LOCKED, errors ignored */
	if (!IS_ERR_VALUE(ret) && populate) {
		mmap_read_lock(mm);
		mm_populate_locked(mm, ret, ret + populate, true);
		mmap_read_unlock(mm);
	}
	return (long)ret;
}

int umm_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	int err;

	VM_CHECK_MM(mm);
	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	err = do_munmap(mm, addr, len);
	mmap_write_unlock(mm);
	return err;
}

/* ---- brk ---- */

/*
 * do_brk_flags - grow the heap by [addr, addr + len): expand @brkvma if it
 * ends at @addr and matches (never absorbing the VMA above), else add a
 * new anonymous VMA.
 */
static int do_brk_flags(struct mm_struct *mm, struct vm_area_struct *brkvma,
			unsigned long addr, unsigned long len, vm_flags_t vm_flags)
{
	struct vm_area_struct *vma = NULL;
	unsigned long pages = len >> PAGE_SHIFT;

	vm_flags |= VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	if (!may_expand_vm(mm, vm_flags, pages))
		return -ENOMEM;
	if (mm->map_count > sysctl_max_map_count)
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)pages))
		return -ENOMEM;
	if (vma_prealloc(mm)) {
		vm_unacct_memory((long)pages);
		return -ENOMEM;
	}

	if (brkvma && brkvma->vm_end == addr) {
		struct vma_merge_struct vmg = {
			.mm = mm, .prev = brkvma, .start = addr, .end = addr + len,
			.pgoff = addr >> PAGE_SHIFT, .flags = vm_flags,
			.just_expand = true,
		};

		vma = vma_merge_new_range(&vmg);
	}
	if (!vma) {
		vma = vm_area_alloc(mm);
		if (!vma) {
			vm_unacct_memory((long)pages);
			return -ENOMEM;
		}
		vma_set_range(vma, addr, addr + len, addr >> PAGE_SHIFT);
		vma->vm_flags = vm_flags;
		vma->vm_page_prot = vm_get_page_prot(vm_flags);
		vma_link(mm, vma);
	}
	WRITE_ONCE(mm->total_vm, mm->total_vm + pages);
	WRITE_ONCE(mm->data_vm, mm->data_vm + pages);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
	vma->vm_flags |= VM_SOFTDIRTY;
	return 0;
}

/*
 * vm_brk_flags - an anonymous heap-like mapping at [addr, addr + request)
 * for exec's bss (fs/binfmt_elf.c): what was there goes, a matching VMA
 * just below grows.  @vm_flags: VM_EXEC or 0.  Takes mmap_lock.
 */
int vm_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long request,
		 vm_flags_t vm_flags)
{
	unsigned long len = PAGE_ALIGN(request), mapped;
	struct vm_area_struct *prev;
	int err;

	if (len < request)
		return -ENOMEM;
	if (!len)
		return 0;
	if (vm_flags & ~VM_EXEC)
		return -EINVAL;
	mmap_write_lock(mm);
	/* check_brk_limits() */
	mapped = __get_unmapped_area(mm, NULL, addr, len, 0, MAP_FIXED, 0);
	err = IS_ERR_VALUE(mapped) ? (int)mapped : 0;
	if (!err && !mlock_future_ok(mm, mm->def_flags & VM_LOCKED, len))
		err = -EAGAIN;
	if (!err)
		err = do_munmap(mm, addr, len);
	if (!err) {
		find_vma_prev(mm, addr, &prev);
		err = do_brk_flags(mm, prev, addr, len, vm_flags);
	}
	mmap_write_unlock(mm);
	return err;
}

/* check_data_rlimit(): the heap plus the data segment against RLIMIT_DATA. */
static int check_data_rlimit(unsigned long rlim, unsigned long new,
			     unsigned long start, unsigned long end_data,
			     unsigned long start_data)
{
	if (rlim < ~0UL && (new - start) + (end_data - start_data) > rlim)
		return -ENOSPC;
	return 0;
}

unsigned long umm_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long newbrk, oldbrk, origbrk, mapped;
	struct vm_area_struct *brkvma, *next, *prev;

	VM_CHECK_MM(mm);
	if (!mm)
		return 0;
	mmap_write_lock(mm);
	origbrk = mm->brk;

	if (brk < mm->start_brk)
		goto out;
	if (check_data_rlimit(mm->limits.data, brk, mm->start_brk,
			      mm->end_data, mm->start_data))
		goto out;

	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	/*
	 * A break in the last page of the address space aligns to 0.  The
	 * kernel never sees one (start_brk is above 0, so the growth check
	 * below refuses it); an mm without a heap base would take it as "no
	 * change".
	 */
	if (unlikely(newbrk < brk))
		goto out;
	if (oldbrk == newbrk) {
		mm->brk = brk;
		goto success;
	}

	/* Always allow shrinking, if what goes is heap. */
	if (brk <= mm->brk) {
		brkvma = find_vma_intersection(mm, newbrk, oldbrk);
		if (!brkvma || brkvma->vm_start >= oldbrk)
			goto out;
		mm->brk = brk;
		if (do_vmi_align_munmap(mm, brkvma, newbrk, oldbrk))
			goto out;
		goto success;
	}

	/* check_brk_limits(): a MAP_FIXED placement check and RLIMIT_MEMLOCK */
	mapped = __get_unmapped_area(mm, NULL, oldbrk, newbrk - oldbrk, 0, MAP_FIXED, 0);
	if (IS_ERR_VALUE(mapped))
		goto out;
	if (!mlock_future_ok(mm, mm->def_flags & VM_LOCKED, newbrk - oldbrk))
		goto out;

	/* The next VMA must stay a page away, a stack its guard gap away. */
	next = find_vma_intersection(mm, oldbrk, newbrk + PAGE_SIZE + stack_guard_gap);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;

	find_vma_prev(mm, oldbrk, &prev);
	brkvma = prev && prev->vm_end > mm->start_brk ? prev : NULL;
	if (do_brk_flags(mm, brkvma, oldbrk, newbrk - oldbrk, 0) < 0)
		goto out;
	mm->brk = brk;
success:
	mmap_write_unlock(mm);
	return brk;
out:
	mm->brk = origbrk;
	mmap_write_unlock(mm);
	return origbrk;
}

void umm_mm_set_brk_base(struct mm_struct *mm, unsigned long addr)
{
	if (!mm)
		return;
	mmap_write_lock(mm);
	mm->start_brk = mm->brk = addr;
	mmap_write_unlock(mm);
}

/* ---- mm_struct life ---- */

static unsigned long host_rlimit(int resource)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl))
		return ~0UL;
	return rl.rlim_cur == RLIM_INFINITY ? ~0UL : (unsigned long)rl.rlim_cur;
}

/* Is @cap in the host process's effective set (capget(2))? */
bool host_capable(unsigned int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

	if (syscall(SYS_capget, &hdr, data) || cap / 32 >= _LINUX_CAPABILITY_U32S_3)
		return false;
	return (data[cap / 32].effective >> (cap % 32)) & 1;
}

static int mm_caches_get(void)
{
	int err = 0;

	mutex_lock(&mm_list_lock);
	if (!nr_mms && zero_page_get())
		err = -ENOMEM;
	if (!nr_mms && !err && maple_tree_init()) {
		zero_page_put();
		err = -ENOMEM;
	}
	if (!nr_mms && !err) {
		mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct),
					      64, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
		vm_area_cachep = kmem_cache_create("vm_area_struct",
						   sizeof(struct vm_area_struct),
						   64, SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
		if (!mm_cachep || !vm_area_cachep) {
			if (mm_cachep)
				kmem_cache_destroy(mm_cachep);
			if (vm_area_cachep)
				kmem_cache_destroy(vm_area_cachep);
			mm_cachep = vm_area_cachep = NULL;
			maple_tree_exit();
			zero_page_put();
			err = -ENOMEM;
		}
	}
	if (!err)
		nr_mms++;
	mutex_unlock(&mm_list_lock);
	return err;
}

static void mm_caches_put(void)
{
	mutex_lock(&mm_list_lock);
	if (!--nr_mms) {
		kmem_cache_destroy(vm_area_cachep);
		kmem_cache_destroy(mm_cachep);
		vm_area_cachep = mm_cachep = NULL;
		maple_tree_exit();
		zero_page_put();
	}
	mutex_unlock(&mm_list_lock);
}

/*
 * mm_list_walk_then - @fn on every live mm but @skip, then @done with
 * the walk's result, all under mm_list_lock: an mm that @fn locks cannot
 * be freed before @done unlocks it (umm_mm_destroy() takes mm_list_lock
 * before it destroys the lock and frees the mm).
 */
int mm_list_walk_then(struct mm_struct *skip, int (*fn)(struct mm_struct *, void *),
		      int (*done)(int err, void *), void *arg)
{
	struct mm_struct *mm;
	int err = 0;

	mutex_lock(&mm_list_lock);
	list_for_each_entry(mm, &mm_list, mmlist) {
		if (mm == skip)
			continue;
		err = fn(mm, arg);
		if (err)
			break;
	}
	if (done)
		err = done(err, arg);
	mutex_unlock(&mm_list_lock);
	return err;
}

int mm_list_walk(struct mm_struct *skip, int (*fn)(struct mm_struct *, void *),
		 void *arg)
{
	return mm_list_walk_then(skip, fn, NULL, arg);
}

/*
 * The kernel's rwsem lets a waiting writer in ahead of readers that come
 * later; glibc's default rwlock lets readers starve it (threads faulting
 * without pause would hold off every munmap).  Readers must therefore not
 * nest, as in the kernel.
 */
static void mmap_lock_init(pthread_rwlock_t *lock)
{
	pthread_rwlockattr_t attr;

	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(lock, &attr);
	pthread_rwlockattr_destroy(&attr);
}

struct mm_struct *umm_mm_create(void)
{
	struct mm_struct *mm;

	if (!umm_ensure_booted() || mm_caches_get())
		return NULL;
	mm = kmem_cache_zalloc(mm_cachep, GFP_KERNEL);
	if (!mm) {
		mm_caches_put();
		return NULL;
	}
	if (pgd_alloc(mm)) {
		kmem_cache_free(mm_cachep, mm);
		mm_caches_put();
		return NULL;
	}
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->task_size = TASK_SIZE;
	mm->limits.stack = host_rlimit(RLIMIT_STACK);
	mm->limits.memlock = host_rlimit(RLIMIT_MEMLOCK);
	mm->limits.data = host_rlimit(RLIMIT_DATA);
	mm->limits.as = host_rlimit(RLIMIT_AS);
	mm->limits.cap_sys_rawio = host_capable(CAP_SYS_RAWIO);
	mmap_lock_init(&mm->mmap_lock);
	mutex_init(&mm->page_table_lock);
	mutex_init(&mm->vma_index_lock);

	mutex_lock(&mm_list_lock);
	mmap_params_sync();
	vma_tree_init(mm);
	mm->aslr_state = aslr_seed ^ (++mm_serial * 0xd1b54a32d192ed03ULL);
	list_add_tail(&mm->mmlist, &mm_list);
	mutex_unlock(&mm_list_lock);
	arch_pick_mmap_layout(mm);
	return mm;
}

/* exit_mmap() and __mmdrop(): every VMA goes, then the mm. */
void umm_mm_destroy(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *tmp;
	unsigned long nr_accounted = 0;

	VM_CHECK_MM(mm);
	if (!mm)
		return;
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_ACQ_REL))
		return;
	mmap_write_lock(mm);
	exit_mmap_pages(mm);
	for_each_vma_safe(mm, vma, tmp) {
		if (vma->vm_flags & VM_ACCOUNT)
			nr_accounted += vma_pages(vma);
		remove_vma(vma);
	}
	mm->mmap = NULL;
	vma_tree_destroy(mm);
	mm->map_count = 0;
	mm->mmap_cache = NULL;
	vm_unacct_memory((long)nr_accounted);
	mmap_write_unlock(mm);
	if (mm->exe_file) {	/* __mmput(): set_mm_exe_file(mm, NULL) */
		fput(mm->exe_file);
		mm->exe_file = NULL;
	}
	mmdrop(mm);
}

/* __mmdrop(): the struct goes with its last mm_count reference (mmgrab()). */
void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_ACQ_REL))
		return;
	mutex_lock(&mm_list_lock);
	list_del(&mm->mmlist);
	mutex_unlock(&mm_list_lock);
	pthread_rwlock_destroy(&mm->mmap_lock);
	mutex_destroy(&mm->page_table_lock);
	mutex_destroy(&mm->vma_index_lock);
	pgd_free(mm);
	kmem_cache_free(mm_cachep, mm);
	mm_caches_put();
}

int umm_mm_setrlimit(struct mm_struct *mm, int resource, unsigned long cur)
{
	int err = 0;

	if (!mm)
		return -EINVAL;
	mmap_write_lock(mm);
	switch (resource) {
	case RLIMIT_STACK:
		mm->limits.stack = cur;
		if (!mm->map_count)
			arch_pick_mmap_layout(mm);
		break;
	case RLIMIT_MEMLOCK:
		mm->limits.memlock = cur;
		break;
	case RLIMIT_DATA:
		mm->limits.data = cur;
		break;
	case RLIMIT_AS:
		mm->limits.as = cur;
		break;
	default:
		err = -EINVAL;
	}
	mmap_write_unlock(mm);
	return err;
}
