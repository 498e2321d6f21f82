#!/bin/sh
# soak.sh - run the address-space differential tester (diff_mmap) for a
# long time: many seeds, short and long sequences, until the time is up or
# a sequence mismatches.  CTest runs a few thousand short sequences; this
# runs as many as the time allows, with sequence lengths from 40 to 2000
# steps (long ones reach dense address spaces: hundreds of VMAs).
#
#   tests/diff/soak.sh BUILD_DIR [MINUTES] [FIRST_SEED]
#
# Prints every batch's summary; on a mismatch, the seed and the first
# differing step (with both VMA lists) are printed by diff_mmap and the
# script stops with its status.  Replay one sequence with
#   BUILD_DIR/tests/diff_mmap -s SEED -n 1 -l STEPS -v
set -u
build=${1:?usage: soak.sh BUILD_DIR [MINUTES] [FIRST_SEED]}
minutes=${2:-30}
seed=${3:-$(date +%s)}
bin=$build/tests/diff_mmap
[ -x "$bin" ] || { echo "soak.sh: no $bin (build first)" >&2; exit 2; }

end=$(( $(date +%s) + minutes * 60 ))
total=0
while [ "$(date +%s)" -lt "$end" ]; do
	for steps in 40 200 2000; do
		case $steps in
		40) n=5000 ;;
		200) n=1000 ;;
		*) n=50 ;;
		esac
		out=$("$bin" -s "$seed" -n "$n" -l "$steps" -t 300 2>&1)
		status=$?
		echo "$out" | tail -n 1
		if [ $status -ne 0 ]; then
			echo "$out"
			echo "soak.sh: mismatch (seeds from $seed, $steps steps)" >&2
			exit $status
		fi
		total=$((total + n))
		seed=$((seed + n))
		[ "$(date +%s)" -lt "$end" ] || break
	done
done
echo "soak.sh: $total sequences, no mismatch"
