# Sourced by run.sh and callgrind.sh: the mallocs to compare and where
# they are.  glibc is the one in libc (nothing preloaded); the others are
# preloaded: umm from the build, jemalloc, tcmalloc and mimalloc from the
# Debian packages libjemalloc2, libtcmalloc-minimal4, libmimalloc2.0.
# One that is not installed is left out, with a note on stderr.

# MARK: the calling script's head comment from "usage:" to the line that
# starts with MARK, on stderr; exit 2.
bench_usage() {
	sed -n "s/^# \{0,1\}//; /^usage:/,/^$1/p" "$0" >&2
	exit 2
}

# ARG: the build directory argument as an absolute path, or fail (status 2).
bench_build_dir() {
	case ${1-} in ''|-*) return 2 ;; esac
	(cd "$1" 2>/dev/null && pwd) || { echo "no build directory '$1'" >&2; return 2; }
}

# NAME: $prog = $build/bench/allocators/NAME (built, or exit 2), the
# allocators asked for ($want) in $ALLOCATORS, and $tmp, a scratch
# directory removed at exit.
bench_setup() {
	prog="$build/bench/allocators/$1"
	[ -x "$prog" ] || { echo "no $prog (build first)" >&2; exit 2; }
	find_allocators "$build" "$want"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
}

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

all_workloads="larson xmalloc cache-scratch cache-thrash mstress alloc-test1 alloc-testN
glibc-simple glibc-thread malloc-large db_bench redis python3 gcc sqlite3"

# The workloads, for run.sh and ab.sh.  They read, when called: bin (the
# alloc_* programs), here (this directory), tmp, mt, sc, db_num, py_sc,
# sql_rows, gcc_files (run.sh sets them from the scale).
have() {	# PROGRAM PACKAGE: installed, or a note
	command -v "$1" >/dev/null 2>&1 && return 0
	echo "note: $W skipped: $1 not installed (apt-get install $2)" >&2
	return 1
}

# WORKLOAD: sets CMD (words for eval, run under timer and preload), FILTER
# (what of stdout must match across allocators); fails (with a note) if
# the program is missing.
prepare() {
	W=$1 CMD= FILTER='grep checksum'
	case $W in
	larson) CMD='"$bin/alloc_larson" $mt $sc' ;;
	xmalloc) CMD='"$bin/alloc_xmalloc" $mt $sc' ;;
	cache-scratch) CMD='"$bin/alloc_cache_scratch" $mt $sc' ;;
	cache-thrash) CMD='"$bin/alloc_cache_thrash" $mt $sc' ;;
	mstress) CMD='"$bin/alloc_mstress" $((2 * mt)) $sc' ;;
	alloc-test1) CMD='"$bin/alloc_alloctest" 1 $sc' ;;
	alloc-testN) CMD='"$bin/alloc_alloctest" $mt $sc' ;;
	glibc-simple) CMD='"$bin/alloc_glibc_simple" 1 $sc' ;;
	glibc-thread) CMD='"$bin/alloc_glibc_thread" $mt $sc' ;;
	malloc-large) CMD='"$bin/alloc_malloc_large" 1 $sc' ;;
	db_bench)
		have db_bench rocksdb-tools || return 1
		CMD='db_bench --benchmarks=fillrandom,readrandom --num=$db_num --seed=1 --db="$tmp/db"'
		FILTER="grep -E -o '^fillrandom|[(][0-9]+ of [0-9]+ found[)]'" ;;
	redis)
		have redis-server redis-server && have redis-benchmark redis-tools || return 1
		CMD=redis FILTER=cat ;;
	python3)
		have python3 python3 || return 1
		CMD='env PYTHONMALLOC=malloc python3 "$here/py_churn.py" $py_sc' ;;
	gcc)
		have gcc gcc || return 1
		# objects (debug info too) do not depend on the directory: one md5
		CMD='sh -c "d=\$(mktemp -d) && cd \$d && gcc -O2 -g -fdebug-prefix-map=\$d=. -pthread -D_GNU_SOURCE -c \"\$0\"/$gcc_files && cat *.o | md5sum; s=\$?; rm -rf \$d; exit \$s" "$here/workloads"'
		FILTER=cat ;;
	sqlite3)
		have sqlite3 sqlite3 || return 1
		CMD='sqlite3 :memory: ".parameter set @rows $sql_rows" ".read $here/sqlite.sql"'
		FILTER=cat ;;
	*) echo "note: unknown workload '$W' skipped" >&2; return 1 ;;
	esac
	case $W in
	db_bench|redis|python3|gcc|sqlite3) ;;
	*) [ -x "$(eval "set -- $CMD"; echo "$1")" ] ||
		{ echo "note: $W skipped: its program is not built in $bin" >&2; return 1; } ;;
	esac
	return 0
}
