#!/bin/sh
# fork(), vfork(), posix_spawn() and system() from threaded programs on
# umm's malloc (LD_PRELOAD), over many runs: tests/malloc/fork_stress.c
# is one run.  Each run has a fresh seed (printed); a run that fails is
# shown whole, and the totals (runs, hangs, failures) close the output.
# usage: fork_stress.sh LIB PROG [runs [threads... [-- fork_stress args]]]
#   e.g. fork_stress.sh build/libumm-malloc.so build/tests/fork_stress 20 2 4 8
# CTest runs a short version; exit status 0 only when no run hung or failed.
set -u
lib="$1"
prog="$2"
runs="${3:-10}"
shift 2
[ $# -gt 0 ] && shift
threads=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do threads="$threads $1"; shift; done
[ $# -gt 0 ] && shift
[ -n "$threads" ] || threads="2 4 8"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
total=0 hangs=0 failed=0 seed=$(( $(date +%s) % 100000 ))

for r in $(seq 1 "$runs"); do
	for t in $threads; do
		seed=$((seed + 1))
		LD_PRELOAD="$lib" "$prog" -t "$t" -s "$seed" "$@" >"$tmp" 2>&1
		rc=$?
		total=$((total + 1))
		h=$(grep -c '^HANG' "$tmp")
		hangs=$((hangs + h))
		if [ $rc -ne 0 ]; then
			failed=$((failed + 1))
			echo "run $r, $t threads: exit $rc"
			cat "$tmp"
		else
			tail -1 "$tmp"
		fi
	done
done
echo "fork_stress.sh: $total runs, $hangs hangs, $failed runs failed"
[ $failed -eq 0 ]
