# Sourced by run.sh and callgrind.sh: the mallocs to compare and where
# they are.  glibc is the one in libc (nothing preloaded); the others are
# preloaded: umm from the build, jemalloc, tcmalloc and mimalloc from the
# Debian packages libjemalloc2, libtcmalloc-minimal4, libmimalloc2.0.
# One that is not installed is left out, with a note on stderr.

find_lib() {	# FILE: the first library directory that has it
	for d in /usr/lib/*-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
		if [ -e "$d/$1" ]; then
			echo "$d/$1"
			return 0
		fi
	done
	return 1
}

# BUILD_DIR [NAMES]: sets ALLOCATORS (those here, in order, of NAMES if
# given) and LIB_<name> (empty for glibc).
find_allocators() {
	want=${2:-glibc umm jemalloc tcmalloc mimalloc}
	ALLOCATORS=
	for a in $want; do
		case $a in
		glibc) lib= ;;
		umm) lib="$1/libumm-malloc.so"
		     [ -e "$lib" ] || { echo "note: umm skipped: no $lib (build first)" >&2; continue; } ;;
		jemalloc) lib=$(find_lib libjemalloc.so.2) ||
			{ echo "note: jemalloc skipped: libjemalloc.so.2 not found (apt-get install libjemalloc2)" >&2; continue; } ;;
		tcmalloc) lib=$(find_lib libtcmalloc_minimal.so.4) ||
			{ echo "note: tcmalloc skipped: libtcmalloc_minimal.so.4 not found (apt-get install libtcmalloc-minimal4)" >&2; continue; } ;;
		mimalloc) lib=$(find_lib libmimalloc.so.2) ||
			{ echo "note: mimalloc skipped: libmimalloc.so.2 not found (apt-get install libmimalloc2.0)" >&2; continue; } ;;
		*) echo "note: unknown allocator '$a' skipped" >&2; continue ;;
		esac
		eval "LIB_$a=\$lib"
		ALLOCATORS="${ALLOCATORS:+$ALLOCATORS }$a"
	done
}

allocator_lib() {	# NAME: its library ('' for glibc)
	eval "echo \"\${LIB_$1:-}\""
}
