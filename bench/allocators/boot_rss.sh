#!/bin/sh
# A malloc's fixed footprint: alloc_boot_rss (boot_rss.c: one malloc(100),
# then the process's VmRSS, RssAnon and RssFile) under glibc, umm and the
# peers that are installed (allocators.sh), round after round; prints the
# median of N runs of each, in KiB, and each allocator's median VmRSS less
# glibc's.  File pages count too: the allocator's code, and the libc code
# its start-up calls (the host maps file pages around a fault, so a call
# into a part of libc the program never uses costs up to 64 KiB).
#
# usage: bench/allocators/boot_rss.sh BUILD_DIR [--runs N] [--allocators NAME,...]
#   --runs N   runs per allocator (default 11)
# $UMM_CMDLINE, if set, is passed to umm's runs.
set -u
unset LD_PRELOAD

here=$(cd "$(dirname "$0")" && pwd)
. "$here/allocators.sh"

usage() { bench_usage '\$UMM'; }

build=$(bench_build_dir "${1-}") || usage
shift
runs=11 want=
while [ $# -gt 0 ]; do
	case $1 in
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--allocators) [ $# -ge 2 ] || usage; want=$(echo "$2" | tr ',' ' '); shift ;;
	*) usage ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*|0) usage ;; esac
bench_setup alloc_boot_rss

for r in $(seq "$runs"); do
	for a in $ALLOCATORS; do
		lib=$(allocator_lib "$a")
		if ! LD_PRELOAD=$lib "$prog" >> "$tmp/$a"; then
			echo "FAILED: $a run $r: LD_PRELOAD=$lib $prog" >&2
		fi
	done
done

median() {	# column $1 of file $2
	sort -n -k"$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { if (NR) print v[int((NR + 1) / 2)] }'
}

echo "fixed footprint: one malloc(100), median of $runs runs, KiB"
printf '%-10s %8s %8s %8s %12s\n' allocator VmRSS RssAnon RssFile "vs glibc"
base=
[ -s "$tmp/glibc" ] && base=$(median 1 "$tmp/glibc")
for a in $ALLOCATORS; do
	[ -s "$tmp/$a" ] || continue
	rss=$(median 1 "$tmp/$a")
	diff=-
	[ -n "$base" ] && diff=$(printf '%+d' $((rss - base)))
	printf '%-10s %8s %8s %8s %12s\n' "$a" "$rss" "$(median 2 "$tmp/$a")" \
		"$(median 3 "$tmp/$a")" "$diff"
done
