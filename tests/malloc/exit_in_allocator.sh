#!/bin/sh
# umm run on a program that exit()s inside the allocator (a signal
# handler's exit() that lands in malloc: exit_in_allocator.c): umm run
# ends (no wait for a lock the program held), exits 0 as the program
# did, and its report says why it has no figures.
# usage: exit_in_allocator.sh UMM EXIT_IN_ALLOCATOR
umm="$1"
prog="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
for i in 1 2 3; do
	timeout 60 "$umm" run --report "$tmp/report" -- "$prog" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "FAIL: run $i: exit status $rc (124: umm run hung; 142: the program's watchdog)"
		cat "$tmp/err" "$tmp/report"
		fail=1
	elif ! grep -q '^(no figures: it exited inside umm.s allocator' "$tmp/report"; then
		echo "FAIL: run $i: the report does not say the process exited inside the allocator:"
		cat "$tmp/report"
		fail=1
	else
		echo "ok: run $i: $(tr '\n' ' ' <"$tmp/report")"
	fi
done
exit $fail
