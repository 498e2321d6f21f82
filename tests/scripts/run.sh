#!/bin/sh
# Golden test of one scenario: run it, compare what it prints exactly.
#
#   run.sh UMM SCRIPT EXPECTED [shell]
#
# SCRIPT runs from its own directory (so messages say "name.umm:LINE:").
# EXPECTED.out is its stdout.  If EXPECTED.err exists, the script must
# fail (exit status 1) with exactly that stderr; otherwise it must exit 0
# with nothing on stderr.  With "shell", the script is fed to `umm shell`
# on stdin instead (no prompt, since stdin is not a terminal) and the
# shell must exit 0 unless EXPECTED.err exists.
# UPDATE=1 rewrites EXPECTED.out (and an existing EXPECTED.err) instead.
# The golden output is for the fixed boot line alone, and for the
# parameters in $UMM_RUN_CMDLINE when set (given as --cmdline: the same
# scenario under umm.sched=cfs, say, against a golden of its own).
unset UMM_CMDLINE
umm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
script=$2
expected=$3
mode=${4:-file}
dir=$(dirname "$script")
name=$(basename "$script")
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

set --
[ -n "${UMM_RUN_CMDLINE:-}" ] && set -- --cmdline "$UMM_RUN_CMDLINE"
if [ "$mode" = shell ]; then
	(cd "$dir" && "$umm" "$@" shell < "$name" > "$out" 2> "$err")
else
	(cd "$dir" && "$umm" "$@" run-script "$name" > "$out" 2> "$err")
fi
rc=$?

if [ -n "$UPDATE" ]; then
	cp "$out" "$expected.out"
	[ -f "$expected.err" ] && cp "$err" "$expected.err"
	echo "updated $expected.out (exit status $rc)"
	exit 0
fi

fail=0
if ! diff -u "$expected.out" "$out"; then
	echo "FAIL: $script: stdout differs from $expected.out (above)"
	fail=1
fi
if [ -f "$expected.err" ]; then
	if [ "$rc" != 1 ]; then
		echo "FAIL: $script: exit status $rc, want 1"
		fail=1
	fi
	if ! diff -u "$expected.err" "$err"; then
		echo "FAIL: $script: stderr differs from $expected.err (above)"
		fail=1
	fi
else
	if [ "$rc" != 0 ] || [ -s "$err" ]; then
		echo "FAIL: $script: exit status $rc, stderr:"
		cat "$err"
		fail=1
	fi
fi
[ $fail = 0 ] && echo "ok: $script"
exit $fail
