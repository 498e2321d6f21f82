#!/bin/sh
# soak.sh - run the address-space differential tester (diff_mmap, with
# all it covers: anonymous and file memory, private and shared, every
# mremap form, msync, fork) for a given time, over many seeds, short and
# long sequences, and print what it ran and found.  CTest runs a few
# thousand short sequences; this runs as many as the time allows, with
# sequence lengths from 40 to 2000 steps (long ones reach dense address
# spaces: hundreds of VMAs).
#
#   tests/diff/soak.sh BUILD_DIR [MINUTES] [FIRST_SEED]
#
# MINUTES defaults to 30.  Each batch goes on past failures (-k); every
# mismatch, hang (a sequence that outlived diff_mmap's watchdog) and
# crash is printed with its seed and step by diff_mmap, and the last
# line sums the batches:
#
#   soak.sh: N sequences, S steps, M mismatches, H hangs, C crashes, T s
#
# Exit status 0 iff M, H and C are 0.  Replay one sequence with
#   BUILD_DIR/tests/diff_mmap -s SEED -n 1 -l STEPS -v
set -u
build=${1:?usage: soak.sh BUILD_DIR [MINUTES] [FIRST_SEED]}
minutes=${2:-30}
seed=${3:-$(date +%s)}
bin=$build/tests/diff_mmap
[ -x "$bin" ] || { echo "soak.sh: no $bin (build first)" >&2; exit 2; }

start=$(date +%s)
end=$((start + minutes * 60))
seqs=0 steps=0 mism=0 hangs=0 crashes=0
echo "soak.sh: $bin for $minutes min, seeds from $seed"
while [ "$(date +%s)" -lt "$end" ]; do
	for len in 40 200 2000; do
		case $len in
		40) n=5000 ;;
		200) n=1000 ;;
		*) n=50 ;;
		esac
		# each length gets its turn: four minutes a batch at most
		left=$((end - $(date +%s)))
		[ "$left" -gt 0 ] || break
		[ "$left" -le 240 ] || left=240
		out=$("$bin" -s "$seed" -n "$n" -l "$len" -t "$left" -k 2>&1)
		status=$?
		sum=$(echo "$out" | grep '^diff_mmap: [0-9]* sequences')
		if [ -z "$sum" ]; then
			echo "$out"
			echo "soak.sh: diff_mmap did not run (status $status)" >&2
			exit 2
		fi
		echo "$sum (seeds $seed.., $len steps)"
		[ $status -eq 0 ] || echo "$out" | grep -v '^diff_mmap: '
		# "diff_mmap: N sequences (S steps), M mismatched, H hung, C crashed, T s"
		set -- $(echo "$sum" | tr -d '(),' | awk '{print $2, $4, $6, $8, $10}')
		seqs=$((seqs + $1)) steps=$((steps + $2)) mism=$((mism + $3))
		hangs=$((hangs + $4)) crashes=$((crashes + $5))
		seed=$((seed + n))
	done
done
echo "soak.sh: $seqs sequences, $steps steps, $mism mismatches, $hangs hangs," \
     "$crashes crashes, $(( $(date +%s) - start )) s"
[ $((mism + hangs + crashes)) -eq 0 ]
