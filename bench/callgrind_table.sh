#!/bin/sh
# The allocator fast paths in one markdown table: instructions per
# alloc+free pair, counted by callgrind inside the measured loop only
# (--toggle-collect), so that the figures are the same on a noisy machine.
#
#   rows     malloc+free 16..1024 B (the least and the most of 16, 64, 256
#            and 1024 B), malloc+free 4096 B, kmem_cache_alloc+free (64 B),
#            kmalloc+kfree (64 B), alloc_pages+__free_pages order 0 through
#            the pcp lists, order 3 / order 9
#   columns  umm, glibc, jemalloc, tcmalloc, mimalloc: the malloc rows run
#            bench/allocators/alloc_pairs under each by LD_PRELOAD (glibc:
#            nothing preloaded); the kernel-API rows are umm's alone
#            (bench/slab_bench, bench/page_alloc_bench).  A peer that is not
#            installed (apt-get install libjemalloc2 libtcmalloc-minimal4
#            libmimalloc2.0) or a row it has no API for shows "-".
#
# Each figure includes the loop and, for malloc, the two PLT calls.
# usage: bench/callgrind_table.sh BUILD_DIR [PAIRS]
set -u
build=$(cd "${1:?usage: $0 BUILD_DIR [PAIRS]}" && pwd) || exit 1
n=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/allocators/allocators.sh"

if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_annotate >/dev/null 2>&1; then
	echo "note: valgrind not installed (apt-get install valgrind), no table" >&2
	exit 1
fi

# PAIRS FUNCTION COMMAND...: instructions per pair counted in FUNCTION, or "-".
# PRELOAD: a library for LD_PRELOAD, or "" (set on valgrind itself: it
# runs the program in its own process, and preloads into it).
count() {
	pairs=$1 fn=$2
	shift 2
	out=$(mktemp)
	env ${PRELOAD:+LD_PRELOAD="$PRELOAD"} valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect="$fn" \
		"$@" >/dev/null 2>&1
	ir=$(callgrind_annotate "$out" 2>/dev/null |
		awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	rm -f "$out"
	case "$ir" in
	''|*[!0-9]*) echo "-" ;;
	*) echo "$((ir / pairs))" ;;
	esac
}

# ALLOCATOR SIZE: one malloc+free figure.
malloc_pair() {
	prog="$build/bench/allocators/alloc_pairs"
	[ -x "$prog" ] || { echo "-"; return; }
	PRELOAD=$(allocator_lib "$1") count "$n" measure_pairs "$prog" "$n" "$2"
}

# ALLOCATOR: "least..most" over 16, 64, 256, 1024 B (one figure if equal).
malloc_range() {
	lo= hi=
	for size in 16 64 256 1024; do
		v=$(malloc_pair "$1" "$size")
		[ "$v" = "-" ] && { echo "-"; return; }
		if [ -z "$lo" ] || [ "$v" -lt "$lo" ]; then lo=$v; fi
		if [ -z "$hi" ] || [ "$v" -gt "$hi" ]; then hi=$v; fi
	done
	if [ "$lo" = "$hi" ]; then echo "$lo"; else echo "$lo..$hi"; fi
}

# Warm-up pairs run inside the counted function: N + 1000 in all.
slab_pair() {
	PRELOAD= count $((n + 1000)) "measure_$1_pairs" "$build/bench/slab_bench" --pairs "$n" "$1"
}

page_pair() {
	PRELOAD= count $((n + 1000)) measure_pairs "$build/bench/page_alloc_bench" --pairs "$n" "$1"
}

columns="umm glibc jemalloc tcmalloc mimalloc"
find_allocators "$build" "$columns" 2>/dev/null
have_col() {	# NAME: is it here?
	case " $ALLOCATORS " in *" $1 "*) return 0 ;; esac
	return 1
}

row() {	# LABEL VALUE...
	printf '| %s |' "$1"
	shift
	for v in "$@"; do printf ' %s |' "$v"; done
	echo
}

malloc_row() {	# LABEL SIZE|range
	label=$1 what=$2
	set --
	for a in $columns; do
		if ! have_col "$a"; then
			set -- "$@" "-"
		elif [ "$what" = range ]; then
			set -- "$@" "$(malloc_range "$a")"
		else
			set -- "$@" "$(malloc_pair "$a" "$what")"
		fi
	done
	row "$label" "$@"
}

kernel_row() {	# LABEL VALUE: umm's figure, "-" for the peers
	row "$1" "$2" - - - -
}

echo "Instructions per alloc+free pair (callgrind, $n pairs, loop included)"
echo
row "pair" $columns
row "---" --- --- --- --- ---
malloc_row "malloc+free 16..1024 B" range
malloc_row "malloc+free 4096 B" 4096
kernel_row "kmem_cache_alloc+free" "$(slab_pair cache)"
kernel_row "kmalloc+kfree" "$(slab_pair kmalloc)"
kernel_row "alloc_pages+__free_pages order 0 (pcp)" "$(page_pair 0)"
kernel_row "order 3 / order 9" "$(page_pair 3) / $(page_pair 9)"
