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
check 2 slabtop -s x
check 2 slabtop --bogus
check 1 --cmdline "mem=banana" demo
check 1 --cmdline "nosuchparam=1" cat /proc/meminfo
check 1 --cmdline "numa=fake=0" cat /proc/meminfo
check 1 --cmdline "fail_page_alloc=1,200,0,1" cat /proc/meminfo
check 2 run-script
check 2 run-script a.umm b.umm
check 1 run-script /nonexistent/scenario.umm
check 1 run-script /
check 2 shell extra
check 1 --cmdline "mem=banana" run-script /dev/null
exit $fail
