#!/bin/sh
# The classic SLAB allocator (umm.slab=slab, mm/slab.c) against SLUB
# (umm.slab=slub, mm/slub.c) on the same benchmarks, one table and one
# plot:
#  - callgrind instructions per alloc+free pair, counted inside the
#    measured loop only: kmem_cache_alloc+free and kmalloc+kfree of 64
#    bytes (slab_bench --pairs), malloc+free of 64 and 256 bytes through
#    libumm-malloc.so (alloc_pairs);
#  - time per pair (slab_bench, median of 7 runs): kmem_cache 64 B,
#    kmalloc 64 B and 1 KiB, and kmalloc batches of 1000 (slow paths);
#  - the allocator workloads (bench/allocators/workloads, alloc_* under
#    LD_PRELOAD=libumm-malloc.so): median wall time and peak RSS of N runs,
#    each run's checksum the same on both.
# Writes RESULTS/slab_vs_slub.csv, bench/slab_vs_slub.md (the table) and
# docs/slab_vs_slub.svg (SLAB / SLUB per row: above 1, SLAB costs more).
#
# usage: bench/slab_vs_slub.sh BUILD_DIR [--quick] [--runs N] [--out RESULTS]
#   --quick   a tenth of the workloads' work, 1 run (for CI)
set -u
unset LD_PRELOAD UMM_CMDLINE
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR [--quick] [--runs N] [--out RESULTS]}" && pwd) || exit 2
shift
quick=0 runs=3 out="$root/bench/results"
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 runs=1 ;;
	--runs) runs=$2; shift ;;
	--out) out=$2; shift ;;
	*) echo "usage: $0 BUILD_DIR [--quick] [--runs N] [--out RESULTS]" >&2; exit 2 ;;
	esac
	shift
done
mkdir -p "$out"
csv="$out/slab_vs_slub.csv"
bin="$build/bench/allocators"
lib="$build/libumm-malloc.so"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ncpu=$(nproc 2>/dev/null || echo 2)
mt=$ncpu; [ "$mt" -ge 2 ] || mt=2
if [ $quick = 1 ]; then sc=0.1 pairs_n=200000; else sc=0.5 pairs_n=2000000; fi
fail=0

echo "group,what,unit,slub,slab" >"$csv"
row() {	# GROUP WHAT UNIT SLUB SLAB (no commas in WHAT)
	echo "$1,$2,$3,$4,$5" >>"$csv"
	printf '%-12s %-34s %10s %10s  %s\n' "$1" "$2" "$4" "$5" "$3"
}

# ---- callgrind: instructions per pair ----
ir_of() {	# callgrind output file: its total
	callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}
cg_slab() {	# BACKEND WHAT: slab_bench's pairs
	UMM_CMDLINE="umm.slab=$1" valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
		--toggle-collect="measure_$2_pairs" "$build/bench/slab_bench" --pairs 100000 "$2" \
		>/dev/null 2>&1
	echo $(($(ir_of "$tmp/cg") / 101000))
}
cg_malloc() {	# BACKEND SIZE: alloc_pairs under libumm-malloc.so
	env LD_PRELOAD="$lib" UMM_CMDLINE="umm.slab=$1" valgrind --tool=callgrind \
		--callgrind-out-file="$tmp/cg" --toggle-collect=measure_pairs \
		"$bin/alloc_pairs" 100000 "$2" >/dev/null 2>&1
	echo $(($(ir_of "$tmp/cg") / 100000))
}
if command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1; then
	row instructions "kmem_cache_alloc+free 64 B" "instr/pair" "$(cg_slab slub cache)" "$(cg_slab slab cache)"
	row instructions "kmalloc+kfree 64 B" "instr/pair" "$(cg_slab slub kmalloc)" "$(cg_slab slab kmalloc)"
	for size in 64 256; do
		row instructions "malloc+free $size B (LD_PRELOAD)" "instr/pair" \
			"$(cg_malloc slub $size)" "$(cg_malloc slab $size)"
	done
else
	echo "note: valgrind not installed: no instruction counts" >&2
fi

# ---- slab_bench: ns per pair ----
for b in slub slab; do
	UMM_CMDLINE="umm.slab=$b" "$build/bench/slab_bench" "$pairs_n" >"$tmp/bench_$b" 2>&1 ||
		{ echo "slab_bench failed on $b" >&2; fail=1; }
done
field() {	# FILE SIZE COLUMN: a slab_bench table cell
	awk -v s="$2" -v c="$3" '$1 == s { print $c }' "$1"
}
row time "kmem_cache_alloc+free 64 B" "ns/pair" \
	"$(awk -F': ' '/^kmem_cache_alloc/ { print $2 }' "$tmp/bench_slub")" \
	"$(awk -F': ' '/^kmem_cache_alloc/ { print $2 }' "$tmp/bench_slab")"
for size in 64 1024; do
	row time "kmalloc+kfree $size B" "ns/pair" "$(field "$tmp/bench_slub" $size 2)" \
		"$(field "$tmp/bench_slab" $size 2)"
done
row time "1000 kmallocs then 1000 kfrees of 64 B" "ns/pair" "$(field "$tmp/bench_slub" 64 5)" \
	"$(field "$tmp/bench_slab" 64 5)"

# ---- the allocator workloads under libumm-malloc.so ----
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "" }'; }
for w in larson xmalloc cache_scratch cache_thrash mstress alloctest glibc_simple glibc_thread; do
	prog="$bin/alloc_$w"
	[ -x "$prog" ] || { echo "note: $prog not built" >&2; continue; }
	case $w in
	alloctest|glibc_simple) threads=1 ;;
	mstress) threads=$((2 * mt)) ;;
	*) threads=$mt ;;
	esac
	for b in slub slab; do
		: >"$tmp/t_$b"; : >"$tmp/m_$b"
		for r in $(seq "$runs"); do
			if ! env LD_PRELOAD="$lib" UMM_CMDLINE="umm.slab=$b" timeout 300 \
				"$bin/alloc_timer" "$tmp/time" "$prog" "$threads" "$sc" >"$tmp/out_$b" 2>&1; then
				echo "FAILED: $w on $b (run $r)" >&2; fail=1; continue
			fi
			read -r t m <"$tmp/time"
			echo "$t" >>"$tmp/t_$b"; echo "$m" >>"$tmp/m_$b"
		done
		grep checksum "$tmp/out_$b" >"$tmp/sum_$b" || true
	done
	if ! cmp -s "$tmp/sum_slub" "$tmp/sum_slab"; then
		echo "FAILED: $w: the checksums differ between SLUB and SLAB" >&2; fail=1
	fi
	row workload-time "$w" "s" "$(median <"$tmp/t_slub")" "$(median <"$tmp/t_slab")"
	row workload-rss "$w" "peak RSS KiB" "$(median <"$tmp/m_slub")" "$(median <"$tmp/m_slab")"
done

python3 "$here/slab_vs_slub.py" "$csv" "$root/bench/slab_vs_slub.md" "$root/docs/slab_vs_slub.svg" \
	"$(uname -m), $ncpu CPUs, $runs run(s), scale $sc" || fail=1
exit $fail
