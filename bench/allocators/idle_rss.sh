#!/bin/sh
# The resident set a malloc keeps once a program has freed everything and
# idles: alloc_idle_rss (idle_rss.c: 8 threads in producer/consumer
# pairs, then idle) under glibc, umm and the peers that are installed
# (allocators.sh), round after round, and the median of N runs of each
# sample: peak (VmHWM) and RSS at 0, 1, 2, 5 and 10 s of idle, in MiB.
#
# usage: bench/allocators/idle_rss.sh BUILD_DIR [--runs N] [--threads T]
#            [--scale S] [--exit] [--allocators NAME,...]
#   --runs N      runs per allocator (default 5)
#   --threads T   threads (default 8)
#   --scale S     work (default 1: 400,000 objects, ~180 MiB live at peak)
#   --exit        the threads exit before the idle samples (default: they
#                 stay, parked on a condition variable)
# $UMM_CMDLINE, if set, is passed to umm's runs.
set -u
unset LD_PRELOAD

here=$(cd "$(dirname "$0")" && pwd)
. "$here/allocators.sh"

usage() { bench_usage '\$UMM'; }

build=$(bench_build_dir "${1-}") || usage
shift
runs=5 threads=8 scale=1 mode=park want=
while [ $# -gt 0 ]; do
	case $1 in
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--threads) [ $# -ge 2 ] || usage; threads=$2; shift ;;
	--scale) [ $# -ge 2 ] || usage; scale=$2; shift ;;
	--exit) mode=exit ;;
	--allocators) [ $# -ge 2 ] || usage; want=$(echo "$2" | tr ',' ' '); shift ;;
	*) usage ;;
	esac
	shift
done
case $runs in ''|*[!0-9]*|0) usage ;; esac
bench_setup alloc_idle_rss

# One run: "peak r0 r1 r2 r5 r10" in KiB, appended to $tmp/<allocator>.
for r in $(seq "$runs"); do
	for a in $ALLOCATORS; do
		lib=$(allocator_lib "$a")
		if ! out=$(LD_PRELOAD=$lib "$prog" "$threads" "$scale" $mode); then
			echo "FAILED: $a run $r: LD_PRELOAD=$lib $prog $threads $scale $mode" >&2
			continue
		fi
		echo "$out" | awk '/^peak_kib/ { p = $2 } /^idle_rss/ { r = r " " $3 }
			END { print p r }' >> "$tmp/$a"
	done
done

printf 'idle RSS (MiB, median of %s runs; %s threads, scale %s, threads %s)\n' \
	"$runs" "$threads" "$scale" "$([ $mode = park ] && echo parked || echo exited)"
printf '%-10s %8s %8s %8s %8s %8s %8s\n' malloc peak 0s 1s 2s 5s 10s
for a in $ALLOCATORS; do
	[ -s "$tmp/$a" ] || continue
	printf '%-10s' "$a"
	for col in 1 2 3 4 5 6; do
		cut -d' ' -f$col "$tmp/$a" | sort -n |
			awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
				printf " %8.1f", m / 1024 }'
	done
	echo
done
