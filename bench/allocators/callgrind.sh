#!/bin/sh
# Instructions per malloc+free pair on the fast path, counted by callgrind
# inside measure_pairs() only (alloc_pairs), for each malloc that is here:
# glibc's own, and umm, jemalloc, tcmalloc and mimalloc by LD_PRELOAD.
# Callgrind does not replace malloc (only memcheck, massif, helgrind and
# DRD do), so a preloaded one is used as is, no --soname-synonyms needed.
# The figure includes the loop and the two PLT calls (about 10 instructions).
# usage: bench/allocators/callgrind.sh BUILD_DIR [PAIRS]
set -u
build=${1:?usage: $0 BUILD_DIR [PAIRS]}
n=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/allocators.sh"

prog="$build/bench/allocators/alloc_pairs"
if ! command -v valgrind >/dev/null 2>&1 || ! command -v callgrind_annotate >/dev/null 2>&1; then
	echo "note: valgrind not installed, no callgrind counts"; exit 0
fi
if [ ! -x "$prog" ]; then
	echo "note: $prog not built, no callgrind counts"; exit 0
fi
find_allocators "$build"
printf '%-10s' "size"
for a in $ALLOCATORS; do printf '%10s' "$a"; done
printf '   (instructions per malloc+free pair, %s pairs)\n' "$n"
for size in 16 64 256 1024 4096; do
	printf '%-10s' "$size"
	for a in $ALLOCATORS; do
		lib=$(allocator_lib "$a")
		out=$(mktemp)
		if [ -n "$lib" ]; then set -- env "LD_PRELOAD=$lib"; else set -- env; fi
		"$@" valgrind --tool=callgrind --callgrind-out-file="$out" \
			--toggle-collect=measure_pairs "$prog" "$n" "$size" >/dev/null 2>&1
		ir=$(callgrind_annotate "$out" 2>/dev/null |
			awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
		rm -f "$out"
		case "$ir" in
		''|*[!0-9]*) printf '%10s' "-" ;;
		*) printf '%10s' "$((ir / n))" ;;
		esac
	done
	echo
done
