/* SPDX-License-Identifier: GPL-2.0 */
/*
 * boot.h - bringing umm up and down, its command line, and its reports.
 *
 * umm boots itself with built-in defaults (plus $UMM_CMDLINE) on first
 * use.  umm_boot() boots explicitly; umm_shutdown() returns every host
 * resource so that a later umm_boot() starts afresh.  umm_shutdown() must
 * not race with other calls into umm.
 *
 * The command line uses the kernel's parameter names where they exist:
 *   mem=SIZE                     boot memory (default 256M; at least 16M,
 *                                rounded down to 4M; the default follows
 *                                umm.max_mem= down)
 *   numa=fake=N                  N fake nodes (default 1)
 *   vmalloc=SIZE                 size of the vmalloc area (default 32G)
 *   min_free_kbytes=N            as the vm.min_free_kbytes sysctl
 *   watermark_scale_factor=N     as the sysctl (default 10)
 *   fail_page_alloc=I,P,S,T      interval,probability,space,times
 *   fail_page_alloc.min-order=N, fail_page_alloc.ignore-gfp-wait=0|1,
 *   fail_page_alloc.ignore-gfp-highmem=0|1, fail_page_alloc.verbose=N
 *   page_reporting.page_reporting_order=N
 *   loglevel=N
 *   slab_nomerge, slub_min_order=N, slub_max_order=N, slub_min_objects=N
 *   slub_debug[=FLAGS[,cache...][;...]]  F Z P U T A O, - for none
 *   failslab=I,P,S,T, failslab.ignore-gfp-wait=0|1, failslab.verbose=N,
 *   failslab.cache-filter=0|1
 *   pid_max=N                    highest pid + 1 (default 32768; 301..4194304)
 * and umm's own:
 *   umm.max_mem=SIZE             hot-add limit (default 64G); giving it
 *                                turns on growth on demand
 *   umm.hotplug=0|1              grow on demand (default 0: mem= is all
 *                                the memory; 1 if umm.max_mem= is given)
 *   umm.pcp=0|1                  per-CPU page lists (default 1)
 *   umm.mobility_grouping=0|1    group pages by migratetype (default 1)
 *   umm.page_reporting=0|1       give free memory back to the host (default 1)
 *   umm.page_reporting_min=SIZE  unreported free memory that triggers a report (default 64M)
 *   umm.page_reporting_delay_ms=N  wait before reporting (default 2000, the kernel's)
 *   umm.reclaim_decay_ms=N       the reclaim worker's decay (mm/vmstat.c), 0..60000:
 *                                default 4000 with umm.backing=anon, else 0 (off);
 *                                nonzero needs umm.backing=anon
 *   umm.seed=N                   seed of umm's random numbers (default 1)
 *   umm.slab_freelist_hardened=0|1  free pointers xored (CONFIG_SLAB_FREELIST_HARDENED)
 *   umm.slab_freelist_random=0|1    shuffled slabs (CONFIG_SLAB_FREELIST_RANDOM)
 *   umm.backing=memfd|anon       frames in a memfd (aliasable, default) or
 *                                private anonymous memory (fork copies it)
 *   umm.hz=100|250|300|1000      the simulated clock's tick rate (default 250)
 *   umm.sim_cpus=N               simulated CPUs, 1..64 (default 2)
 *   umm.sched=eevdf|cfs          the fair class's policy: EEVDF as Linux 6.18
 *                                (default) or CFS as Linux 6.5
 *   umm.vma_tree=maple|rbtree    where mms made from then on keep their VMAs:
 *                                the maple tree as Linux 6.18 (default) or
 *                                4.x's rb-tree with umm's lookup index
 * Unknown or malformed parameters make umm_boot() fail with -EINVAL after
 * a one-line message naming the parameter and what it allows.
 */
#ifndef _UMM_BOOT_H
#define _UMM_BOOT_H

#include "compiler.h"
#include <sys/types.h>

UMM_BEGIN_DECLS

UMM_API int umm_boot(const char *cmdline);
UMM_API void umm_shutdown(void);
UMM_API bool umm_is_booted(void);
/*
 * Check a command line as umm_boot() would read it, without booting and
 * without $UMM_CMDLINE: 0, or -EINVAL after the same one-line message.
 * -EBUSY while umm is booted.
 */
UMM_API int umm_cmdline_check(const char *cmdline);
/* The effective command line umm booted with (after defaults). */
UMM_API const char *umm_cmdline(void);
/* Set one run-time parameter, "name=value" (fault injection, loglevel). */
UMM_API int umm_param_set(const char *param);

/*
 * Render a /proc file ("/proc/buddyinfo", "/proc/meminfo", ...) into buf
 * with snprintf semantics: returns the full length, writes at most size
 * bytes including the terminating NUL; -ENOENT for an unknown path.
 */
UMM_API ssize_t umm_proc_read(const char *path, char *buf, size_t size);
/* The /proc paths umm_proc_read() knows, NULL-terminated. */
UMM_API const char *const *umm_proc_paths(void);
/*
 * The kernel's /sys/kernel/slab/<cache>/<attr> files read the same way
 * (objects, slabs, partial, total_objects, red_zone, ..., mm/slub.c's
 * sysfs part).  umm_proc_write() writes to one, as echo > FILE does:
 * "1" to validate (a debugged cache, else -EINVAL) or shrink, a number
 * to min_partial or cpu_partial; it returns size, -EACCES for a
 * read-only file, -EINVAL for a value the file refuses, -ENOENT.
 * umm_proc_list() lists a directory ("/proc", "/sys/kernel/slab",
 * "/sys/kernel/slab/<cache>"), one name a line in strcmp() order, with
 * umm_proc_read()'s semantics; -ENOTDIR for a file.  Reading a directory
 * is -EISDIR; a path through a file ("/proc/meminfo/") is -ENOTDIR for
 * all three.
 */
UMM_API ssize_t umm_proc_write(const char *path, const char *buf, size_t size);
UMM_API ssize_t umm_proc_list(const char *path, char *buf, size_t size);

/* Give every free block of page_reporting_order or more back to the host now. */
UMM_API void umm_page_reporting_flush(void);

/*
 * Memory hot-add: add nr_pages (rounded up to sections) to node nid, up
 * to umm.max_mem (-ENOSPC beyond), whether or not umm.hotplug is on.
 */
UMM_API int umm_memory_hotplug_add(int nid, unsigned long nr_pages);

/*
 * Invariant checkers (see each file's head comment).  They return 0 when
 * every invariant holds, or a negative errno after printing the first
 * violation.  They take the locks they need.
 */
UMM_API int umm_page_alloc_check(void);
UMM_API int umm_vmalloc_check(void);
UMM_API int umm_slab_check(void);
struct kmem_cache;
/*
 * What a teacher would show of @s, the way the allocator that runs it
 * (umm.slab=slab or slub) keeps it: slot and slab layout, the bytes a
 * slab wastes, colouring (SLAB), the per-CPU arrays or this thread's cpu
 * slab and sheaf, each node's lists.  Lines of "key: value" text into
 * @buf with snprintf semantics (returns the full length); -EINVAL for
 * no cache.  umm's own, not the kernel's (umm compare-slab prints it).
 */
UMM_API ssize_t umm_slab_describe(struct kmem_cache *s, char *buf, size_t size);

UMM_END_DECLS

#endif /* _UMM_BOOT_H */
