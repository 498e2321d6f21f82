// SPDX-License-Identifier: GPL-2.0
/*
 * commands.c - the command table of the scenario language, and what is
 * generated from it: usage errors, `help` and `help CMD`, the words the
 * shell completes, and the language reference (docs/language.md is the
 * output of `umm language`; CTest checks that the two are equal).
 *
 * One row per command: name, arguments (their words and their types, each
 * type with its range), group, one-line summary, long help, handler, and
 * the words its first argument completes to.  A command whose syntax is
 * not a list of words (mm NAME = new, echo TEXT, expect ... <<TAG) sets
 * min_args to -1 and checks its own line, with usage_error() for the text.
 *
 * Invariants: every handler in calls.c, reports.c and session.c has a row;
 * the rows are in the order `help` lists them.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <umm.h>
#include "internal.h"

/* ---- argument types and their ranges ---- */

static const struct {
	const char *what;
	val_t min, max;
} arg_types[NR_ARG_TYPES] = {
	[ARG_ADDR] = { "the value", VAL_MIN, VAL_MAX },
	[ARG_INT] = { "the descriptor", INT_MIN, INT_MAX },
	[ARG_OFF] = { "the offset", LONG_MIN, LONG_MAX },
	[ARG_BYTE] = { "the byte", 0, 255 },
	[ARG_READ_LEN] = { "the length", 0, 1 << 20 },
	[ARG_FILL_LEN] = { "the length", 0, 64 << 20 },
	[ARG_PREAD_LEN] = { "the length", 0, 4096 },
	[ARG_TMP_SIZE] = { "the size", 0, 1 << 30 },
	[ARG_PAGES] = { "the page count", 1, 512 },
	[ARG_TRANSLATE_LEN] = { "the length", 0, 64 * 4096 },
	[ARG_REPEAT] = { "the count", 0, 1000000 },
};

bool arg_range(enum arg_type type, val_t *min, val_t *max, const char **what)
{
	if (type <= ARG_WORD || type >= NR_ARG_TYPES)
		return false;
	*min = arg_types[type].min;
	*max = arg_types[type].max;
	*what = arg_types[type].what;
	return true;
}

/* ---- completion words ---- */

static const char *const touch_words[] = { "read", "write", NULL };
static const char *const read_words[] = { "hex", "str", NULL };
static const char *const rlimit_words[] = { "stack", "memlock", "data", "as", NULL };
static const char *const msync_words[] = { "sync", "async", "invalidate", NULL };
static const char *const mmap_words[] = { "NULL", NULL };
static const char *const draw_words[] = { "buddy", "maps", "walk", NULL };
static const char *const clone_words[] = {
	"CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_THREAD", "CLONE_VFORK",
	"CLONE_PARENT", "SIGCHLD", NULL
};
static const char *const wait_words[] = { "WNOHANG", "__WALL", "__WCLONE", "__WNOTHREAD", NULL };
static const char *const prctl_words[] = {
	"PR_SET_CHILD_SUBREAPER", "PR_GET_CHILD_SUBREAPER", "PR_SET_NAME", "PR_GET_NAME", NULL
};
static const char *const ps_words[] = { "-L", NULL };
static const char *const timeline_words[] = { "start", "stop", NULL };
static const char *const policy_words[] = { "other", "batch", "idle", "fifo", "rr", NULL };

/* ---- the table ---- */

#define ADDR_LEN	{ ARG_ADDR, ARG_ADDR }

const struct command commands[] = {
	{ "mm", "NAME", "address spaces", "a new, empty address space, made current",
	  "Creates an empty address space called NAME and makes it the current one. "
	  "Its rlimits are fixed whatever the host's are: stack 8 MiB, memlock 8 MiB, "
	  "data and as unlimited; it has no capabilities, so nothing maps below "
	  "mmap_min_addr.  `mm NAME = new` says the same.",
	  cmd_mm, false, -1, -1, { ARG_WORD }, NULL, false },
	{ "exec", "", "address spaces", "what execve() leaves: a stack VMA and a heap base",
	  "Gives the current (new, empty) address space what execve() would without a "
	  "program: a 132 KiB [stack] VMA under 0x7ffffffff000 (VM_GROWSDOWN) and the heap "
	  "base at 0x555555559000 for brk.  On a process, `exec PATH` runs a program.",
	  cmd_exec, false, -1, -1, { ARG_WORD }, NULL, false },
	{ "fork", "CHILD [= PARENT]", "address spaces", "a copy-on-write child of the current mm",
	  "Forks the current address space (or PARENT) as CHILD, as fork() copies an mm: "
	  "private pages are shared copy-on-write.  CHILD does not become current.  `fork` "
	  "alone forks a process.",
	  cmd_fork, false, -1, -1, { ARG_WORD, ARG_WORD, ARG_WORD }, NULL, false },
	{ "use", "NAME|PID", "address spaces", "make NAME (or process PID) current",
	  "Makes NAME the current address space, or process PID (a number, or a variable "
	  "that holds one) the current process, whose mm every mm command then acts on.  "
	  "`NAME: COMMAND` and `PID: COMMAND` run one command on NAME or PID instead.  Once "
	  "more than one address space is alive, each call's line starts \"[NAME] \", as "
	  "strace -f starts it with the pid; a process's calls start \"[pid N] \".",
	  cmd_use, false, 1, 1, { ARG_WORD }, NULL, false },
	{ "exit", "[NAME]", "address spaces", "end an address space (the current one)",
	  "Destroys NAME (or the current address space), as exit_mmap() would, and prints "
	  "+++ NAME exited +++.  On a process, `exit [N]` ends the process.",
	  cmd_exit, false, 0, 1, { ARG_WORD }, NULL, false },
	{ "setrlimit", "stack|memlock|data|as SIZE|unlimited", "address spaces",
	  "set one of the current mm's limits",
	  "Sets RLIMIT_STACK, RLIMIT_MEMLOCK, RLIMIT_DATA or RLIMIT_AS of the current "
	  "address space to SIZE bytes or RLIM_INFINITY.  On a process it sets the "
	  "process's soft limit (above the hard one: -EINVAL), which its children inherit "
	  "and exec reads: RLIMIT_STACK unlimited gives the legacy, bottom-up layout.",
	  cmd_setrlimit, true, 2, 2, { ARG_WORD, ARG_ADDR }, rlimit_words, false },

	{ "fork", "", "processes", "the process forks (fork(2))",
	  "The line's process (`use PID`, or `PID: fork`) forks as fork() does (the value "
	  "is the child's pid, or -errno): "
	  "umm_clone(SIGCHLD), a new task with a copy-on-write copy of its mm, a child "
	  "of it.  The child does not become current.  Processes start from init: `use 1`.",
	  cmd_fork, true, -1, -1, { 0 }, NULL, false },
	{ "clone", "FLAGS", "processes", "a child with clone(2)'s flags",
	  "Clones the line's process with FLAGS, CLONE_* names (with or without the prefix, "
	  "any case) and at most one exit signal (SIGCHLD, ...; none: a \"clone\" child "
	  "that only wait __WCLONE or __WALL reaps) joined by '|' or ','.  CLONE_VM shares "
	  "the mm, CLONE_THREAD makes a thread of the same group (it needs CLONE_SIGHAND, "
	  "which needs CLONE_VM: else -EINVAL, as the kernel checks).  The value is the "
	  "child's pid, or -errno.",
	  cmd_clone, true, 1, 1, { ARG_WORD }, clone_words, false },
	{ "exec", "PATH [ARG...]", "processes", "the process runs a program (execve(2))",
	  "The line's process execs the host file PATH (relative to the working "
	  "directory) with argv PATH ARG... and the environment HOME=/ "
	  "PATH=/usr/local/bin:/usr/bin:/bin, through umm_execve(): binfmt_elf or "
	  "binfmt_script (#!) builds a new mm (file mappings, [stack], [vdso]) and "
	  "the old one goes.  A failure (-ENOENT, -EACCES, -ENOEXEC, ...) leaves the "
	  "process as it was.  The value is 0 or -errno.",
	  cmd_exec, true, -1, -1, { ARG_WORD }, NULL, false },
	{ "exit", "[N]", "processes", "the process (one thread) exits with status N",
	  "The line's thread exits (exit(2), do_exit()): its mm goes (exit_mm), its "
	  "children go to the nearest subreaper or init, and it is a zombie until its "
	  "parent waits (a parent that ignores SIGCHLD, or a thread, is reaped at once).  "
	  "N is 0 by default; the parent sees N & 0xff.  init, kthreadd and kernel threads "
	  "do not exit.",
	  cmd_exit, false, 0, 1, { ARG_WORD }, NULL, false },
	{ "wait", "[PID] [WNOHANG|__WALL|__WCLONE|__WNOTHREAD]...", "processes",
	  "reap a child (wait4(2)); the value is its pid",
	  "The line's process reaps an exited child (PID, or any: -1; 0 and -PGID for a "
	  "process group) as wait4() does, and prints its status decoded as strace does, "
	  "with the word the kernel encodes (exit(300): status 0x2c00).  `wstatus` is the "
	  "status.  The script never sleeps: where wait4() would (children alive, none "
	  "exited) the line is an error, and WNOHANG gives the kernel's 0.  No child at "
	  "all: -ECHILD.",
	  cmd_wait, true, -1, -1, { ARG_WORD, ARG_WORD }, wait_words, false },
	{ "prctl", "OPTION [ARG]", "processes", "prctl(2): a subreaper, the name",
	  "For the line's process: PR_SET_CHILD_SUBREAPER 1 makes it a subreaper (an "
	  "orphan below it is reparented to it, not to init; 0 undoes it), "
	  "PR_GET_CHILD_SUBREAPER says whether it is, PR_SET_NAME \"NAME\" sets its comm "
	  "(cut to 15 bytes), PR_GET_NAME prints it.  The PR_ prefix may go, in any case.",
	  cmd_prctl, true, 1, 2, { ARG_WORD, ARG_WORD }, prctl_words, false },
	{ "ps", "[-L]", "processes", "every process (-L: every thread)",
	  "Lists every process as `ps -e -o pid,ppid,nlwp,stat,vsz,rss,args` would (-L: "
	  "every thread, with its LWP), from each task's /proc/PID/stat and cmdline: a "
	  "kernel thread or a zombie shows [comm], a zombie <defunct>.",
	  cmd_ps, false, 0, 1, { ARG_WORD }, ps_words, false },
	{ "pstree", "[PID]", "processes", "the tree of processes",
	  "Draws the tree of processes from PID (by default from what pid 0 started: init "
	  "and kthreadd) as `pstree -A -n -p`: children by pid, threads as {comm}(tid).",
	  cmd_pstree, false, 0, 1, { ARG_WORD }, NULL, false },

	{ "program", "\"STEPS\"", "scheduling", "what the process runs on the simulated CPUs",
	  "Gives the line's process a program of simulated work (umm_task_program()), "
	  "steps separated by ';': run DUR (user-mode CPU time), sleep DUR (nanosleep, "
	  "with 50 us of timer slack), msleep MS (msleep(): whole ticks on the timer wheel, "
	  "in state D), wait-irq N (sleep until line N's next interrupt), "
	  "yield, loop { ... }, repeat N { ... }, fork [{ ... }] (the child runs the block "
	  "and exits 0), exec PATH [ARG...], exit [N], wait (reap a child, sleeping until "
	  "one exits), mmap SIZE, touch (the last mapping), munmap, nice N.  Each system "
	  "call costs 1 us of kernel-mode CPU time.  A process without a program sleeps; "
	  "the end of a program leaves it asleep.  Time moves only with `advance`.",
	  cmd_program, true, 1, 1, { ARG_WORD }, NULL, false },
	{ "nice", "N", "scheduling", "the process's nice value (setpriority(2))",
	  "Sets the line's process's nice to N (-20..19; else -EINVAL): its fair-class "
	  "weight is sched_prio_to_weight[N + 20], 1024 at 0, about 1.25 times less per "
	  "step up.",
	  cmd_nice, true, 1, 1, { ARG_WORD }, NULL, false },
	{ "policy", "other|batch|idle|fifo PRIO|rr PRIO", "scheduling",
	  "the process's policy (sched_setscheduler(2))",
	  "Sets the line's process's policy: other (SCHED_OTHER), batch, idle (weight 3, "
	  "never preempts), or the real-time fifo and rr with a priority 1..99 (above every "
	  "fair task; rr takes turns every 100 ms).  Fair tasks still get 50 ms a second "
	  "beside busy real-time ones (the fair server).",
	  cmd_policy, true, 1, 2, { ARG_WORD, ARG_WORD }, policy_words, false },
	{ "affinity", "CPULIST", "scheduling", "where the process may run (sched_setaffinity(2))",
	  "Sets the simulated CPUs the line's process may run on: 0, 0-1, 0,2 (-EINVAL when "
	  "none of them exists; umm.sim_cpus= sets how many, 2 by default).",
	  cmd_affinity, true, 1, 1, { ARG_WORD }, NULL, false },
	{ "slice", "DUR", "scheduling", "the process's EEVDF request size (sched_setattr(2))",
	  "Sets the line's process's slice (0.1 ms .. 100 ms; 0 goes back to the default, "
	  "sysctl_sched_base_slice): a shorter slice gets an earlier virtual deadline, so "
	  "shorter latency for the same share.",
	  cmd_slice, true, 1, 1, { ARG_WORD }, NULL, false },
	{ "advance", "DUR", "scheduling", "let simulated time pass on every CPU",
	  "Runs the simulated machine for DUR (ns, us, ms or s): ticks at HZ, timers, "
	  "hrtimers, interrupts from devices, and the processes' programs on the CPUs, as "
	  "the scheduler picks them.  Prints the clock it reaches.  At most 1h at once.",
	  cmd_advance, false, 1, 1, { ARG_WORD }, NULL, false },
	{ "irq", "N [CPU]", "scheduling", "raise interrupt line N (on CPU 0 or CPU)",
	  "Raises line N (0..63) on a simulated CPU now: its handlers run and the "
	  "processes in `wait-irq N` wake.  /proc/interrupts counts it.",
	  cmd_irq, false, 1, 2, { ARG_ADDR, ARG_ADDR }, NULL, false },
	{ "device", "N every DUR [CPU] | N off", "scheduling",
	  "a simulated device raising line N on a schedule",
	  "Plugs a device into line N that raises it every DUR of simulated time (on CPU 0, "
	  "or CPU), from the next `advance` on; `device N off` unplugs it.",
	  cmd_device, false, 2, 4, { ARG_ADDR, ARG_WORD, ARG_WORD, ARG_ADDR }, NULL, false },
	{ "timeline", "start | [>] FILE | stop", "scheduling",
	  "record the schedule, and draw it as an SVG timeline",
	  "`timeline start` records the schedule from now on (context switches, interrupts, "
	  "softirqs; up to 1048576 events), forgetting an earlier recording; `timeline FILE` "
	  "(or `timeline > FILE`) draws what was recorded so far into FILE: one row per "
	  "simulated CPU, a bar per stretch a task ran, coloured by pid, interrupts and "
	  "softirqs as marks above the row, a time axis in ms, a legend with each task's "
	  "pid, comm and run time; `timeline stop` ends the recording.  `umm run-script "
	  "--timeline FILE SCRIPT` records the whole script and draws it at its end.",
	  cmd_timeline, false, 1, 2, { ARG_WORD, ARG_WORD }, timeline_words, false },

	{ "mmap", "ADDR LEN PROT FLAGS [FD [OFFSET]]", "calls", "map memory (mmap(2))",
	  "Calls umm_mmap() with the arguments in mmap(2)'s order.  PROT is rw-/r-x/--- style "
	  "or names joined by ',' or '|' (read, write, exec, none, PROT_READ, ...); FLAGS are "
	  "MAP_* names with or without the prefix, any case (private,anonymous,fixed; "
	  "MAP_SHARED|MAP_ANON).  FD is a descriptor from open or tmpfile (-1 by default), "
	  "OFFSET a byte offset.  The value is the address, or -errno.",
	  cmd_mmap, true, 4, 6, { ARG_ADDR, ARG_ADDR, ARG_WORD, ARG_WORD, ARG_INT, ARG_OFF },
	  mmap_words, false },
	{ "munmap", "ADDR LEN", "calls", "unmap a range (munmap(2))",
	  "Calls umm_munmap(ADDR, LEN).", cmd_range, true, 2, 2, ADDR_LEN, NULL, false },
	{ "mprotect", "ADDR LEN PROT", "calls", "change a range's protection (mprotect(2))",
	  "Calls umm_mprotect(); PROT as for mmap.  A range inside a VMA splits it.",
	  cmd_range, true, 3, 3, { ARG_ADDR, ARG_ADDR, ARG_WORD }, NULL, false },
	{ "mremap", "OLD OLDLEN NEWLEN [FLAGS [NEWADDR]]", "calls", "grow, shrink or move a mapping",
	  "Calls umm_mremap(); FLAGS are maymove, fixed, dontunmap (MREMAP_* names).",
	  cmd_mremap, true, 3, 5, { ARG_ADDR, ARG_ADDR, ARG_ADDR, ARG_WORD, ARG_ADDR }, NULL, false },
	{ "brk", "[ADDR]", "calls", "move the program break (brk(2))",
	  "Calls umm_brk(ADDR) (0 by default, which asks for the current break); the value "
	  "is the new break.  `exec` sets the heap base first.",
	  cmd_brk, true, 0, 1, { ARG_ADDR }, NULL, false },
	{ "madvise", "ADDR LEN ADVICE", "calls", "advise on a range (madvise(2))",
	  "Calls umm_madvise(); ADVICE is an MADV_* name with or without the prefix "
	  "(dontneed, MADV_FREE, ...) or a number.",
	  cmd_range, true, 3, 3, { ARG_ADDR, ARG_ADDR, ARG_WORD }, NULL, false },
	{ "mlock", "ADDR LEN", "calls", "lock a range in memory (mlock(2))",
	  "Calls umm_mlock(), which faults the range in.", cmd_range, true, 2, 2, ADDR_LEN, NULL, false },
	{ "munlock", "ADDR LEN", "calls", "unlock a range (munlock(2))",
	  "Calls umm_munlock().", cmd_range, true, 2, 2, ADDR_LEN, NULL, false },
	{ "msync", "ADDR LEN FLAGS", "calls", "write a shared file mapping back (msync(2))",
	  "Calls umm_msync(); FLAGS are sync, async, invalidate (MS_* names).",
	  cmd_range, true, 3, 3, { ARG_ADDR, ARG_ADDR, ARG_WORD }, msync_words, false },

	{ "open", "\"PATH\" [rdonly|wronly|rdwr]", "files", "open a host file for mmap",
	  "Opens PATH on the host (read-only by default) and gives a descriptor for mmap's "
	  "FD, numbered from 100 up so that output does not depend on what the host has "
	  "open.",
	  cmd_open, true, 1, 2, { ARG_WORD, ARG_WORD }, NULL, false },
	{ "tmpfile", "SIZE", "files", "a new, unlinked host file of SIZE bytes",
	  "Creates a host file of SIZE bytes (at most 1G), open read-write and already "
	  "unlinked, whose page N starts with the line \"page N\"; the value is its descriptor.",
	  cmd_tmpfile, true, 1, 1, { ARG_TMP_SIZE }, NULL, false },
	{ "pread", "FD OFFSET LEN", "files", "what the host file holds",
	  "Reads LEN bytes (at most 4K) at OFFSET of a file the script opened, from the host "
	  "(after msync, say), and prints them.",
	  cmd_pread, true, 3, 3, { ARG_INT, ARG_OFF, ARG_PREAD_LEN }, NULL, false },
	{ "close", "FD", "files", "close a file the script opened",
	  "Closes FD; its mappings stay.", cmd_close, true, 1, 1, { ARG_INT }, NULL, false },

	{ "touch", "ADDR LEN [read|write]", "memory", "one access per page, as loads or stores",
	  "Makes one access per page of the range as a program's loads or stores would "
	  "(umm_touch; a write is a load and a store of the same byte, so a new page takes "
	  "a read and a write fault).  A fault that a process could not survive prints the "
	  "signal, strace style, and sets si_code and si_addr.  Ctrl-C in the shell stops it.",
	  cmd_touch, true, 2, 3, { ARG_ADDR, ARG_ADDR, ARG_WORD }, touch_words, false },
	{ "read", "ADDR LEN [hex|str]", "memory", "read memory through umm_access()",
	  "Reads LEN bytes (at most 1M) and prints them as a string, or as a hex dump (the "
	  "default above 32 bytes).",
	  cmd_read, true, 2, 3, { ARG_ADDR, ARG_READ_LEN, ARG_WORD }, read_words, false },
	{ "write", "ADDR \"TEXT\"", "memory", "store a string",
	  "Stores TEXT (escapes \\n \\t \\\\ \\\" \\0 \\xNN) through umm_access(): one fault "
	  "for a new page.",
	  cmd_write, true, 2, 2, { ARG_ADDR, ARG_WORD }, NULL, false },
	{ "fill", "ADDR LEN BYTE", "memory", "store LEN copies of BYTE",
	  "Stores LEN (at most 64M) copies of BYTE (0 to 255) through umm_access().",
	  cmd_fill, true, 3, 3, { ARG_ADDR, ARG_FILL_LEN, ARG_BYTE }, NULL, false },
	{ "translate", "ADDR [LEN]", "memory", "each page's frame (virtual -> physical)",
	  "Prints the frame of each page of the range (at most 64 pages) and what struct "
	  "page says of it (umm_virt_to_pfn); the value is the first page's pfn, or -EFAULT.",
	  cmd_translate, true, 1, 2, { ARG_ADDR, ARG_TRANSLATE_LEN }, NULL, false },
	{ "walk", "ADDR", "memory", "the four-level page-table walk to ADDR",
	  "Shows each level of the walk the MMU does for ADDR (x86-64, p4d folded): its "
	  "index and entry, the table or frame it points to, the x86 bits.  The value is "
	  "the PTE, or -EFAULT.",
	  cmd_walk, true, 1, 1, { ARG_ADDR }, NULL, false },

	{ "show", "REPORT [MM] [ADDR [PAGES]] [| grep [-v -i -c -E -F -G] PATTERN...]...",
	  "reports", "a /proc file, optionally through grep",
	  "Prints a report: per mm maps, smaps, smaps_rollup, status, stat, statm (of the "
	  "current mm, or MM; smaps ADDR: only the VMA containing ADDR) and pagemap ADDR "
	  "[PAGES] (decoded, 1 to 512 pages); global: meminfo, buddyinfo, pagetypeinfo, "
	  "slabinfo, ... (every file of `umm cat`), and SLUB's /sys/kernel/slab/CACHE/ATTR (a "
	  "directory lists its entries).  `| grep PATTERN...` keeps the lines "
	  "that match any of the patterns (extended regular expressions; -G basic, -F fixed "
	  "strings, -i any case, -v the lines that do not match, -c the count); grep stages "
	  "chain: `| grep Mem | grep -v Total`; options may follow the patterns, and a "
	  "pattern that starts with '-', '>' or '<' is quoted.",
	  cmd_show, false, -1, -1, { ARG_WORD }, NULL, true },
	{ "draw", "buddy|maps [MM]|walk [MM] ADDR [> FILE]", "reports",
	  "a picture as SVG: free pageblocks, VMAs to scale, a page-table walk",
	  "Draws umm's state as SVG, on stdout or into FILE (replaced if it exists; one "
	  "line then says what was drawn): `draw buddy` every zone's free lists, one cell "
	  "per pageblock coloured by migratetype and by the largest free order in it; "
	  "`draw maps [MM]` the VMAs to scale with their flags, names and Rss, long gaps "
	  "cut and labelled; `draw walk [MM] ADDR` the page-table walk to ADDR, level by "
	  "level, as `walk` prints it.",
	  cmd_draw_svg, false, -1, -1, { ARG_WORD }, draw_words, false },
	{ "vmas", "[MM] [| grep ...]", "reports",
	  "each vm_area_struct, with its anon_vma and VM_* flags",
	  "Lists each struct vm_area_struct of the mm as the kernel holds it: the range, "
	  "vm_pgoff, the anon_vma (by number; its root's too when it is a fork child's) with "
	  "the length of the anon_vma_chain, vm_flags by name, and the file: what decides "
	  "whether two neighbours merge.  `| grep` stages as for show.",
	  cmd_vmas, false, -1, -1, { ARG_WORD }, NULL, false },
	{ "stats", "", "reports", "faults, RSS and the other per-mm values",
	  "Prints the per-mm values by the names expressions know them by (minflt, rss, "
	  "anon, ..., pgtables).",
	  cmd_stats, false, 0, 0, { 0 }, NULL, false },
	{ "check", "", "reports", "check the mm's invariants (umm_mm_check, umm_task_check)",
	  "Fails the script if umm_mm_check() finds the address space inconsistent; on a "
	  "process, also if umm_task_check() finds the task list, the parents and children, "
	  "the thread groups or the pids inconsistent.",
	  cmd_check, false, 0, 0, { 0 }, NULL, false },

	{ "print", "EXPR", "values", "an expression's value",
	  "Prints EXPR = its value (hex and decimal when not negative).",
	  cmd_print, false, -1, -1, { 0 }, NULL, false },
	{ "echo", "TEXT", "values", "narration: TEXT with $name and ${expr} replaced",
	  "Prints TEXT (the rest of the line, or the text inside quotes), with $name and "
	  "${expr} replaced by their value: decimal below 65536, hex from there.",
	  cmd_echo, false, -1, -1, { 0 }, NULL, false },
	{ "expect", "EXPR | REPORT [ARGS] <<TAG", "values", "fail the script unless ...",
	  "`expect EXPR` fails the script unless EXPR is non-zero (a failed comparison shows "
	  "both sides).  `expect REPORT [ARGS] <<TAG` followed by lines up to TAG fails "
	  "unless `show REPORT ARGS` would print exactly those lines.",
	  cmd_expect, false, -1, -1, { ARG_WORD }, NULL, true },
	{ "repeat", "N", "other", "run the lines up to `end` N times",
	  "Reads the lines up to a line `end` (repeats nest) and runs them N times (0 to "
	  "1000000), as if written out N times: an error or quit ends the loop, and so "
	  "does Ctrl-C in the shell.",
	  cmd_repeat, false, -1, -1, { ARG_REPEAT }, NULL, false },
	{ "end", "", "other", "the end of a repeat's lines",
	  "Ends the lines of a repeat; alone it is an error.",
	  cmd_end, false, 0, 0, { 0 }, NULL, false },
	{ "source", "\"FILE\"", "other", "run FILE's lines in this session",
	  "Runs FILE's lines with this session's address spaces and variables (in the "
	  "shell: load a scenario, then explore it).  A bad line ends FILE with its "
	  "FILE:LINE message; quit ends FILE only.",
	  cmd_source, false, 1, 1, { ARG_WORD }, NULL, false },
	{ "help", "[COMMAND|TOPIC]", "other", "the commands, or one command's help",
	  "Lists the commands; `help COMMAND` prints that command's usage and help, `help "
	  "TOPIC` a topic: lines, values, prot (or flags), errors.",
	  cmd_help, false, 0, 1, { ARG_WORD }, NULL, false },
	{ "quit", "", "other", "end the session (or the sourced file)",
	  "Ends the script, or the shell.", cmd_quit, false, 0, 0, { 0 }, NULL, false },
	{ NULL, NULL, NULL, NULL, NULL, NULL, false, 0, 0, { 0 }, NULL, false }
};

/* ---- topics: what is not a command ---- */

static const struct topic {
	const char *name, *title, *text;
	const char *alias;		/* another name help takes, or NULL */
} topics[] = {
	{ "lines", "Lines",
	  "One command per line; arguments are separated by spaces (an argument is an "
	  "expression without spaces, or one in parentheses).  '#' starts a comment outside "
	  "quotes.  `NAME: COMMAND` runs one command on address space NAME.  "
	  "`NAME = EXPR` or `NAME = CALL ...` sets a variable (to the call's value: -errno "
	  "when it failed).", NULL },
	{ "values", "Values and expressions",
	  "Numbers are decimal, 0x hex or, with a leading 0, octal (as in C: 017 is 15), "
	  "with K, M, G or T suffixes (binary multiples).  A "
	  "value is an integer from -2^63 to 2^64-1 (an address or an -errno); arithmetic is "
	  "exact, and a result outside that range is an error, never wrapped.  Operators, "
	  "C's precedence: + - * / % & | ^ ~ << >> (shift counts 0 to 63) == != < <= > >= "
	  "&& || ! and parentheses.  & | ^ ~ == and != work on the 64-bit words (so -1 == "
	  "0xffffffffffffffff, as in C); < <= > >= compare the numbers.  A numeric "
	  "argument must fit its parameter: an address or length takes any value (negative "
	  "ones as two's complement, as a register would), a descriptor an int, BYTE 0 to "
	  "255; the error names the range.\n"
	  "Names: your variables; `ret` (the last call's value), `si_code` and `si_addr` "
	  "(of the last signal); `wstatus` (the status the last wait reaped); `rss`, "
	  "`anon`, `file`, `shmem`, `hiwater_rss`, `minflt`, "
	  "`majflt`, `vmas`, `total_vm`, `locked_vm` (pages or counts), `pgtables` (bytes), "
	  "`brk`, each also as NAME(MM); `pfn(ADDR)` and `pfn(MM, ADDR)` (-EFAULT if not "
	  "mapped); constants NULL, PAGE_SIZE, errno names (ENOMEM), signal and si_code "
	  "names (SIGSEGV, SEGV_ACCERR), and PROT_/MAP_/MADV_ names.", NULL },
	{ "prot", "PROT and FLAGS",
	  "PROT is rw-/r-x/--- style, or names joined by ',' or '|' (read, write, exec, none, "
	  "PROT_READ, ...).  FLAGS are MAP_* names with or without the prefix, any case "
	  "(private,anonymous,fixed; MAP_SHARED|MAP_ANON); madvise's ADVICE and mremap's and "
	  "msync's flags likewise (dontneed, MADV_FREE, maymove, sync).  A number (an int) "
	  "may stand for any of them.", "flags" },
	{ "errors", "Errors and determinism",
	  "A bad line is \"FILE:LINE: message\" on stderr; run-script stops there with exit "
	  "status 1, the shell prints it and reads on (Ctrl-C abandons the line or the "
	  "running command; history is kept in ~/.umm_history).  Every argument reaches the "
	  "C API, which answers bad ones with -errno.  umm boots with fixed parameters, "
	  "then $UMM_CMDLINE and the user's --cmdline, single-threaded, so addresses, frame "
	  "numbers and every report are the same on every run and every host (with the "
	  "same $UMM_CMDLINE).", NULL },
	{ NULL, NULL, NULL, NULL }
};

const struct command *find_command(const char *name)
{
	for (const struct command *cmd = commands; cmd->name; cmd++)
		if (!strcmp(cmd->name, name))
			return cmd;
	return NULL;
}

/* The next row after @cmd with the same name (exec, fork, exit: an mm's and a process's). */
const struct command *next_row(const struct command *cmd)
{
	for (const struct command *r = cmd + 1; r->name; r++)
		if (!strcmp(r->name, cmd->name))
			return r;
	return NULL;
}

/* Does some row of @cmd's name give a value? */
bool command_value(const struct command *cmd)
{
	for (; cmd; cmd = next_row(cmd))
		if (cmd->value)
			return true;
	return false;
}

/* "usage: ..." with each row of the command's name, joined by " | ". */
int usage_error(struct script *s, const struct command *cmd)
{
	char text[HEADER_LEN];
	size_t n = 0;

	cmd = find_command(cmd->name);
	for (; cmd && n < sizeof(text); cmd = next_row(cmd))
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s%s%s", n ? " | " : "",
				      cmd->name, *cmd->args ? " " : "", cmd->args);
	return serr(s, "usage: %s", text);
}

/* The argument count against the row; commands with their own syntax pass. */
int check_nargs(struct cmd_ctx *c)
{
	const struct command *cmd = c->cmd;

	if (cmd->min_args < 0)
		return 0;
	if (c->argc - 1 < cmd->min_args || c->argc - 1 > cmd->max_args)
		return usage_error(c->s, cmd);
	return 0;
}

/* Report names for completion: per mm, then umm's /proc files. */
const char *const *report_names(void)
{
	static const char *names[64];

	if (!names[0]) {
		size_t n = 0;

		for (const char *const *r = mm_reports; *r; r++)
			names[n++] = *r;
		for (const char *const *p = umm_proc_paths(); *p && n + 1 < 64; p++)
			if (!strncmp(*p, "/proc/", 6) && !strchr(*p + 6, '/'))
				names[n++] = *p + 6;
	}
	return names;
}

/* @text wrapped at 78 columns, each line indented by @indent. */
static void print_wrapped(FILE *f, const char *text, int indent)
{
	while (*text) {
		const char *p = text, *brk = NULL;
		int col = indent;

		while (*p && *p != '\n' && (col < 78 || !brk)) {
			if (*p == ' ')
				brk = p;
			p++, col++;
		}
		if (!*p || *p == '\n')
			brk = p;
		/* "end.  Next": neither line keeps a space of the two */
		for (p = brk; p > text && p[-1] == ' '; p--)
			;
		fprintf(f, "%*s%.*s\n", indent, "", (int)(p - text), text);
		text = brk + (*brk == '\n');
		text += strspn(text, " ");
	}
}

/* A bound as people write it: 2^64-1 rather than 18446744073709551615. */
static char *bound_text(val_t v, char *buf, size_t size)
{
	static const struct { val_t v; const char *text; } powers[] = {
		{ VAL_MIN, "-2^63" }, { VAL_MAX, "2^64-1" }, { LONG_MAX, "2^63-1" },
		{ INT_MIN, "-2^31" }, { INT_MAX, "2^31-1" },
	};

	for (size_t i = 0; i < sizeof(powers) / sizeof(powers[0]); i++)
		if (powers[i].v == v)
			return strncpy(buf, powers[i].text, size);
	return format_val(v, buf, size);
}

/*
 * The numeric arguments of @cmd and their ranges, one per line: the i-th
 * word of the usage (brackets dropped) is argument i.
 */
static void describe_args(FILE *f, const struct command *cmd, const char *before,
			  const char *bullet)
{
	const char *p = cmd->args;
	bool any = false;

	for (int i = 0; i < 6 && *p; i++) {
		char word[32], lo[48], hi[48];
		size_t n;
		const char *what;
		val_t min, max;

		p += strspn(p, " [");
		n = strcspn(p, " ]");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		p += n;
		p += strspn(p, "] ");
		if (!arg_range(cmd->types[i], &min, &max, &what))
			continue;
		fprintf(f, "%s%s%s: %s to %s%s\n", any ? "" : before, bullet, word,
			bound_text(min, lo, sizeof(lo)), bound_text(max, hi, sizeof(hi)),
			cmd->types[i] == ARG_ADDR ? " (negative values as two's complement)" : "");
		any = true;
	}
}

static void print_usage_line(FILE *f, const struct command *cmd)
{
	fprintf(f, "%s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
}

/* help: one line per command, by group; help WORD: a command or a topic. */
/* help NAME: one command's usage and help, or a topic; -1 if neither. */
int umm_script_help(const char *name)
{
	const struct command *cmd = find_command(name);

	if (cmd) {
		for (; cmd; cmd = next_row(cmd)) {
			printf("usage: ");
			print_usage_line(stdout, cmd);
			printf("\n  %s\n\n", cmd->summary);
			print_wrapped(stdout, cmd->help, 2);
			describe_args(stdout, cmd, "\n", "  ");
			if (next_row(cmd))
				putchar('\n');
		}
		return 0;
	}
	for (const struct topic *t = topics; t->name; t++) {
		if (!strcmp(t->name, name) || (t->alias && !strcmp(t->alias, name))) {
			printf("%s\n\n", t->title);
			print_wrapped(stdout, t->text, 2);
			return 0;
		}
	}
	return -1;
}

int cmd_help(struct cmd_ctx *c)
{
	const char *group = NULL;

	if (c->argc == 2) {
		if (!umm_script_help(c->argv[1]))
			return 0;
		return serr(c->s, "help: no command or topic '%s' (try help)", c->argv[1]);
	}
	for (const struct command *cmd = commands; cmd->name; cmd++) {
		int n;

		if (!group || strcmp(group, cmd->group)) {
			group = cmd->group;
			printf("%s:\n", group);
		}
		n = printf("  %s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
		if (n > 36)
			printf("\n%38s", "");
		else
			printf("%*s", 38 - n, "");
		printf("%s\n", cmd->summary);
	}
	printf("topics: ");
	for (const struct topic *t = topics; t->name; t++)
		printf("%s%s", t->name, t[1].name ? ", " : "");
	printf(" (help TOPIC); help COMMAND for one command\n");
	return 0;
}

/* The language reference, in Markdown: docs/language.md. */
void umm_script_reference(FILE *f)
{
	const char *group = NULL;

	fprintf(f, "# The umm scenario language\n\n"
		"<!-- Generated by `umm language` from tools/script/commands.c; "
		"do not edit. -->\n\n"
		"`umm run-script FILE` runs a scenario, `umm shell` takes the same lines "
		"interactively.  A scenario drives umm address spaces with the calls of "
		"include/umm/mmap.h and prints what happens the way strace would, so that it is "
		"at once a lesson and a golden test (see examples/*.umm).\n\n");
	for (const struct topic *t = topics; t->name; t++) {
		fprintf(f, "## %s\n\n", t->title);
		for (const char *p = t->text; *p;) {
			size_t n = strcspn(p, "\n");

			fprintf(f, "%.*s\n\n", (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	fprintf(f, "## Commands\n");
	for (const struct command *cmd = commands; cmd->name; cmd++) {
		if (!group || strcmp(group, cmd->group)) {
			group = cmd->group;
			fprintf(f, "\n### %c%s\n", toupper((unsigned char)group[0]), group + 1);
		}
		fprintf(f, "\n#### `");
		print_usage_line(f, cmd);
		fprintf(f, "`\n\n%c%s.  %s", toupper((unsigned char)cmd->summary[0]),
			cmd->summary + 1, cmd->help);
		if (cmd->value)
			fprintf(f, "  Its value can be assigned: `NAME = %s ...`.", cmd->name);
		fprintf(f, "\n");
		describe_args(f, cmd, "\n", "- ");
	}
}
