#!/bin/sh
# Instructions per alloc_pages+__free_pages pair, counted by callgrind
# inside measure_pairs() only: stable on a noisy machine.
# usage: bench/callgrind_pairs.sh BUILD_DIR
set -eu
build=${1:-build}
n=100000
for order in 0 3 9; do
	for cmdline in "" "umm.pcp=0"; do
		out=$(mktemp)
		UMM_CMDLINE="$cmdline" valgrind --tool=callgrind --callgrind-out-file="$out" \
			--toggle-collect=measure_pairs "$build/bench/page_alloc_bench" --pairs $n $order \
			>/dev/null 2>&1
		ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1}')
		rm -f "$out"
		echo "order $order ${cmdline:-pcp on}: $((ir / (n + 1000))) instructions per pair"
	done
done
for what in cache kmalloc; do
	out=$(mktemp)
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect="measure_${what}_pairs" "$build/bench/slab_bench" --pairs $n $what \
		>/dev/null 2>&1
	ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1}')
	rm -f "$out"
	echo "$what alloc+free: $((ir / (n + 1000))) instructions per pair"
done
