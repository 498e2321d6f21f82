#!/bin/sh
# Every bad use of the CLI: non-zero exit and exactly one line on stderr.
umm="$1"
fail=0
check() {
	expect_rc="$1"; shift
	err=$("$umm" "$@" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" != "$expect_rc" ] || [ "$lines" != 1 ]; then
		echo "FAIL: umm $* -> rc $rc (want $expect_rc), stderr:"
		printf '%s\n' "$err"
		fail=1
	else
		echo "ok: umm $* -> $rc: $err"
	fi
}
check 2
check 2 frobnicate
check 2 --bogus demo
check 2 cat
check 1 cat /proc/nonexistent
check 2 cat /proc/buddyinfo --svg
check 2 cat /proc/meminfo -x
check 2 slabtop -s x
check 2 slabtop --bogus
check 1 --cmdline "mem=banana" demo
check 1 --cmdline "nosuchparam=1" cat /proc/meminfo
# numa=fake= against the memory there is: the message names what was given
check 1 --cmdline "numa=fake=16 umm.max_mem=32M" cat /proc/meminfo
if ! "$umm" --cmdline "numa=fake=16 umm.max_mem=32M" cat /proc/meminfo 2>&1 |
	grep -q 'more than umm.max_mem=32M'; then
	echo "FAIL: numa=fake=16 under umm.max_mem=32M does not name umm.max_mem="
	fail=1
fi
check 1 --cmdline "numa=fake=16 mem=32M" cat /proc/meminfo
check 1 --cmdline "numa=fake=0" cat /proc/meminfo
check 1 --cmdline "fail_page_alloc=1,200,0,1" cat /proc/meminfo
check 2 exec
check 2 exec --svg
check 2 exec --bogus /usr/bin/true
check 1 exec /nonexistent/program
check 1 exec /etc
check 1 exec --svg /nonexistent/dir/stack.svg /usr/bin/true
check 2 run-script
check 2 run-script a.umm b.umm
check 1 run-script /nonexistent/scenario.umm
check 1 run-script /
check 2 shell extra
check 1 --cmdline "mem=banana" run-script /dev/null
check 2 --cmdline
check 2 demo extra
check 2 --version extra
check 2 demo --cmdline mem=1G
check 2 cat /proc/meminfo --cmdline=mem=1G
check 2 run --cmdline mem=1G -- true
check 2 help nosuchcommand
check 2 --help demo extra
# slabtop's key as procps takes it: -s c, -sc, --sort c, --sort=c
want=$("$umm" slabtop -s c 2>&1)
for form in "-sc" "--sort c" "--sort=c"; do
	# shellcheck disable=SC2086
	got=$("$umm" slabtop $form 2>&1)
	if [ "$got" != "$want" ]; then
		echo "FAIL: umm slabtop $form is not umm slabtop -s c: $(printf '%s' "$got" | head -1)"
		fail=1
	fi
done
# A full disk (or a closed pipe's reader gone) is an error, as for cat(1):
# exit 1 and one line saying so, never 0 with the output lost.
full() {
	err=$("$umm" "$@" 2>&1 >/dev/full </dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" != 1 ] || [ "$lines" != 1 ] ||
	   ! printf '%s' "$err" | grep -q "${want:-write error on standard output}"; then
		echo "FAIL: umm $* >/dev/full -> rc $rc (want 1, one line saying so), stderr:"
		printf '%s\n' "$err"
		fail=1
	else
		echo "ok: umm $* >/dev/full -> $rc: $err"
	fi
}
if [ -w /dev/full ]; then
	full cat /proc/meminfo
	full cat /sys/kernel/slab/kmalloc-64/
	full slabtop
	full demo
	want='No space left' full draw buddy
	want='No space left' full cat --svg /proc/buddyinfo
	full --help
	full --version
	full help mmap
	full language
	full run-script "$(dirname "$0")/../scripts/grep.umm"
fi
# A closed stdin is a read error, not umm's own memory file read as the
# script (the boot's memfd took descriptor 0: "not a line of text").
for cmd in "run-script -" "shell"; do
	# shellcheck disable=SC2086
	err=$("$umm" $cmd 2>&1 <&-)
	rc=$?
	if [ "$rc" != 1 ] || ! printf '%s' "$err" | grep -q 'cannot read: Bad file descriptor'; then
		echo "FAIL: umm $cmd <&- -> rc $rc: $err"
		fail=1
	else
		echo "ok: umm $cmd <&- -> $rc: $err"
	fi
done
# ... and PROGRAM of umm run gets its descriptors as they were: closed
# (not where umm run cannot preload: a sanitizer build's libumm-malloc.so
# needs its runtime loaded first)
if "$umm" run -- true 2>/dev/null; then
	out=$("$umm" run -- sh -c 'if [ -e /proc/self/fd/0 ]; then echo open; else echo closed; fi' \
		2>/dev/null <&-)
	if [ "$out" != closed ]; then
		echo "FAIL: umm run -- PROGRAM <&-: PROGRAM's stdin is $out, not closed"
		fail=1
	else
		echo "ok: umm run -- PROGRAM <&-: PROGRAM's stdin is closed"
	fi
else
	echo "skip: umm run -- PROGRAM <&- (umm run -- true fails in this build)"
fi
# the message says what is wrong, not just that something is
if ! "$umm" --cmdline 2>&1 | grep -q -- '--cmdline needs a value'; then
	echo "FAIL: umm --cmdline does not say it needs a value"
	fail=1
fi
# a path through a file is ENOTDIR, as the kernel's; not "no such file"
for path in /proc/meminfo/ /proc/meminfo/x /sys/kernel/slab/kmalloc-64/objects/ \
	    /sys/kernel/slab/kmalloc-64/alloc_fastpath/x /proc/meminfo/.. /proc/meminfo/. \
	    /sys/kernel/slab/kmalloc-64/order/../order; do
	check 1 cat "$path"
	if ! "$umm" cat "$path" 2>&1 | grep -q 'Not a directory'; then
		echo "FAIL: umm cat $path does not say 'Not a directory'"
		fail=1
	fi
done
# ... and a path is walked as the kernel walks it: "//", "." and ".."
want=$("$umm" cat /proc/buddyinfo /sys/kernel/slab/kmalloc-32/order)
for pair in "/proc//buddyinfo /sys//kernel/slab/kmalloc-32/order" \
	    "/proc/./buddyinfo /sys/kernel/slab/./kmalloc-32/./order" \
	    "/../proc/../proc/buddyinfo /sys/kernel/slab/kmalloc-64/../kmalloc-32/order"; do
	# shellcheck disable=SC2086
	if [ "$("$umm" cat $pair 2>&1)" != "$want" ]; then
		echo "FAIL: umm cat $pair is not what the plain paths give"
		fail=1
	else
		echo "ok: umm cat $pair"
	fi
done
for path in /proc/nosuch/../meminfo /sys/kernel/slab/nosuch/../kmalloc-64/order; do
	if ! "$umm" cat "$path" 2>&1 | grep -q 'no such file'; then
		echo "FAIL: umm cat $path does not say there is no such file"
		fail=1
	fi
done
for args in "demo --cmdline mem=1G" "run --cmdline mem=1G -- true" "run --each --cmdline=mem=1G true"; do
	# shellcheck disable=SC2086
	if ! "$umm" $args 2>&1 | grep -q -- '--cmdline goes before the command'; then
		echo "FAIL: umm $args does not say where --cmdline goes"
		fail=1
	fi
done
exit $fail
