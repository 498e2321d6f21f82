#!/bin/sh
# umm's malloc (libumm-malloc.so, by LD_PRELOAD) beside glibc's, jemalloc,
# tcmalloc and mimalloc, on the same workloads in the same run: the
# alloc_* programs (workloads/*.c) and real programs (db_bench, a
# redis-server under redis-benchmark, python3, gcc, sqlite3).  Every run's
# output (checksum) must match the first good run's (glibc's); a crash, a
# timeout or a wrong checksum is FAILED, logged with a command that
# reproduces it.  Runs go round the allocators in turn, N rounds.
#
# Prints median wall time and peak RSS (alloc_timer: wait4()'s ru_maxrss;
# for redis the server's VmHWM) per workload and allocator, and the
# geometric-mean ratios of umm's to each other's, and of umm's to the best
# peer's per workload; after the timed runs, one more run per workload
# and allocator shows who served it (served_check: where the dynamic
# linker bound malloc, LD_DEBUG=bindings, and the allocator's own
# statistics at exit: umm's UMM_REPORT, jemalloc's stats_print, tcmalloc's
# MALLOCSTATS, mimalloc's MIMALLOC_SHOW_STATS); writes
# RESULTS/allocators-<date>.csv (medians), allocators-<date>-runs.csv
# (every run), allocators-<date>-failures.log, allocators.svg (ratios to
# glibc) and, without --quick, the callgrind counts (callgrind.sh).
#
# usage: bench/allocators/run.sh BUILD_DIR [--quick] [--runs N]
#            [--only WORKLOAD,...] [--allocators NAME,...] [--out RESULTS]
#            [--threads N]
#   --quick        1 run, about a tenth of the work (for CI)
#   --runs N       runs per workload and allocator (default 5)
#   --only         workloads (names as in the table)
#   --allocators   of glibc, umm, jemalloc, tcmalloc, mimalloc
#   --out          results directory (default bench/results)
#   --threads N    threads for the multi-threaded workloads (default: the
#                  CPUs, at least 2; mstress runs twice as many)
# Exits 1 if any run under umm failed.
set -u
unset LD_PRELOAD

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/allocators.sh"

usage() { bench_usage 'Exits'; }

build=$(bench_build_dir "${1-}") || usage
shift
runs= quick=0 only= want= out="$root/bench/results" threads=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--only) [ $# -ge 2 ] || usage; only=$(echo "$2" | tr ',' ' '); shift ;;
	--allocators) [ $# -ge 2 ] || usage; want=$(echo "$2" | tr ',' ' '); shift ;;
	--out) [ $# -ge 2 ] || usage; out=$2; shift ;;
	--threads) [ $# -ge 2 ] || usage; threads=$2; shift ;;
	*) usage ;;
	esac
	shift
done
[ -n "$runs" ] || { [ $quick = 1 ] && runs=1 || runs=5; }
case $runs in ''|*[!0-9]*|0) usage ;; esac

bin="$build/bench/allocators"
mkdir -p "$out" || exit 2
out=$(cd "$out" && pwd)
stamp=$(date +%Y%m%d-%H%M%S)
runs_csv="$out/allocators-$stamp-runs.csv"
csv="$out/allocators-$stamp.csv"
faillog="$out/allocators-$stamp-failures.log"
cglog="$out/allocators-$stamp-callgrind.txt"
svg="$out/allocators.svg"
tmp=$(mktemp -d)
srv=
cleanup() {
	[ -n "$srv" ] && kill -9 "$srv" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sizes: scale 1 is about a second per alloc_* program with glibc here.
ncpu=$(nproc 2>/dev/null || echo 2)
mt=$ncpu; [ "$mt" -ge 2 ] || mt=2	# threads for the multi-threaded ones
case $threads in
'') ;;
*[!0-9]*|0) usage ;;
*) mt=$threads ;;
esac
if [ $quick = 1 ]; then
	sc=0.1 tmo=120 db_num=20000 redis_n=50000 py_sc=0.1 sql_rows=30000 gcc_files=larson.c
else
	sc=1 tmo=300 db_num=150000 redis_n=600000 py_sc=1 sql_rows=300000 gcc_files='*.c'
fi

find_allocators "$build" "$want"
libc=$(ldd /bin/sh 2>/dev/null | awk '$1 == "libc.so.6" { print $3 }')

# The timer: alloc_timer (wait4()'s ru_maxrss, ms resolution), else GNU time.
if [ -x "$bin/alloc_timer" ]; then
	timer() { "$bin/alloc_timer" "$tmp/time" "$@"; }
elif [ -x /usr/bin/time ]; then
	timer() { /usr/bin/time -f '%e %M' -o "$tmp/time" "$@"; }
else
	echo "no timer: build $bin/alloc_timer (or apt-get install time)" >&2
	exit 2
fi

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
		echo $((20000 + $$ % 20000))
}

now() { date +%s.%N; }

quote() {	# ARGS: as a command line to paste into a shell
	for x; do
		case $x in
		''|*[!A-Za-z0-9_./=:@%+,-]*) printf "'%s' " "$(printf '%s' "$x" | sed "s/'/'\\\\''/g")" ;;
		*) printf '%s ' "$x" ;;
		esac
	done
}

# PRELOAD: a redis-server with PRELOAD, redis-benchmark (SET/GET, -q,
# pipelined) against it, then a Lua check whose answer is known; TIME is
# the benchmark's, RSS the server's VmHWM, EXTRA its requests per second.
run_redis() {
	port=$(free_port)
	if [ -n "$1" ]; then set -- env $SERVED_ENV "LD_PRELOAD=$1"; else set -- env $SERVED_ENV; fi
	"$@" redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		--daemonize no --loglevel warning >"$tmp/err" 2>&1 &
	srv=$!
	i=0
	until [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$srv" 2>/dev/null; then
			kill -9 "$srv" 2>/dev/null; wait "$srv"; RC=$?; srv=
			[ $RC = 0 ] && RC=1
			echo "redis-server did not answer on port $port" >>"$tmp/err"
			return
		fi
		sleep 0.1
	done
	t0=$(now)
	timeout "$tmo" redis-benchmark -p "$port" -t set,get -n "$redis_n" -r 200000 -d 64 -P 16 -q \
		>"$tmp/bench" 2>&1
	brc=$?
	t1=$(now)
	TIME=$(echo "$t0 $t1" | awk '{ printf "%.3f", $2 - $1 }')
	timeout 60 redis-cli -p "$port" EVAL "local s = 0
for i = 1, 20000 do redis.call('SET', 'c' .. i, i * 3) end
for i = 1, 20000 do s = s + tonumber(redis.call('GET', 'c' .. i)) end
return {s, redis.call('STRLEN', 'c20000')}" 0 >"$tmp/out" 2>&1
	erc=$?
	RSS=$(awk '/^VmHWM:/ { print $2 }' "/proc/$srv/status" 2>/dev/null)
	EXTRA=$(tr '\r' '\n' <"$tmp/bench" |
		awk '/requests per second/ { sub(":", "", $1); printf "%s%s=%.0f", s, $1, $2; s = " " }')
	redis-cli -p "$port" shutdown nosave >/dev/null 2>&1
	i=0
	while kill -0 "$srv" 2>/dev/null && [ $i -lt 100 ]; do
		# a zombie counts as gone
		[ "$(awk '{ print $3 }' "/proc/$srv/stat" 2>/dev/null)" = Z ] && break
		sleep 0.1; i=$((i + 1))
	done
	kill -9 "$srv" 2>/dev/null
	wait "$srv"; src=$?
	srv=
	if [ $brc != 0 ]; then
		RC=$brc; cat "$tmp/bench" >>"$tmp/err"
	elif [ $erc != 0 ]; then
		RC=$erc
	else
		RC=$src
	fi
}

# ALLOCATOR RUN: one run of $CMD; appends to runs.csv, logs a failure.
run_one() {
	a=$1 r=$2
	lib=$(allocator_lib "$a")
	pre=$lib
	# redis-server links jemalloc: glibc's malloc only wins when libc is preloaded.
	[ "$W" = redis ] && [ "$a" = glibc ] && pre=$libc
	TIME= RSS= EXTRA= RC=0
	: >"$tmp/out"; : >"$tmp/err"; : >"$tmp/time"
	rm -rf "$tmp/db"
	if [ "$CMD" = redis ]; then
		run_redis "$pre"
		repro="LD_PRELOAD=$pre redis-server --port 6399 --save '' & redis-benchmark -p 6399 -t set,get -n $redis_n -r 200000 -d 64 -P 16 -q"
	else
		if [ -n "$pre" ]; then
			eval "timer timeout \"\$tmo\" env \$SERVED_ENV LD_PRELOAD=\"\$pre\" $CMD" >"$tmp/out" 2>"$tmp/err"
		else
			eval "timer timeout \"\$tmo\" env \$SERVED_ENV $CMD" >"$tmp/out" 2>"$tmp/err"
		fi
		RC=$?
		set -- $(tail -n 1 "$tmp/time")
		TIME=${1:-} RSS=${2:-}
		repro="${pre:+LD_PRELOAD=$pre }$(eval "quote $CMD")"
	fi
	why=
	if [ "$RC" = 124 ]; then
		why="timed out after ${tmo}s"
	elif [ "$RC" -gt 128 ] 2>/dev/null; then
		why="killed by signal $((RC - 128)) (SIG$(kill -l $((RC - 128)) 2>/dev/null))"
	elif [ "$RC" != 0 ]; then
		why="exit status $RC"
	fi
	eval "$FILTER" <"$tmp/out" >"$tmp/digest" 2>/dev/null
	if [ -e "$tmp/ref" ] && [ -s "$tmp/digest" ] && ! cmp -s "$tmp/ref" "$tmp/digest"; then
		why="${why:+$why; }output differs from $(cat "$tmp/ref.from")'s"
	elif [ -z "$why" ] && [ ! -s "$tmp/digest" ]; then
		why="no checksum in its output"
	elif [ -z "$why" ] && [ ! -e "$tmp/ref" ]; then
		cp "$tmp/digest" "$tmp/ref"; echo "$a" >"$tmp/ref.from"
	fi
	status=ok
	if [ -n "$why" ]; then
		status=FAILED
		[ "$a" = umm ] && umm_failed=1
		{
			echo "=== $W under $a, run $r: $why"
			echo "reproduce: $repro"
			if [ "$why" != "${why%output differs*}" ]; then
				echo "--- expected ($(cat "$tmp/ref.from"))"; cat "$tmp/ref"
				echo "--- got"; cat "$tmp/digest"
			fi
			echo "--- stderr (last 40 lines)"; tail -n 40 "$tmp/err"
			echo "--- stdout (last 10 lines)"; tail -n 10 "$tmp/out"
			echo
		} >>"$faillog"
	fi
	echo "$W,$a,$r,$status,${TIME:-},${RSS:-},${EXTRA:-},${why:-}" >>"$runs_csv"
	printf '%-14s %-9s run %s/%d %8s s %9s MiB  %s\n' "$W" "$a" "$r" "$runs" "${TIME:--}" \
		"$(echo "${RSS:-}" | awk '$1 != "" { printf "%.1f", $1 / 1024 }')" \
		"$status${why:+: $why}${EXTRA:+ ($EXTRA)}"
}

# ALLOCATOR: one more run of the workload (untimed) that shows who served
# it: every process's malloc must bind to the allocator's library (libc's
# for glibc) and the allocator's own statistics must show the work.
# Appends workload,allocator,verdict,evidence to served.csv.
served_check() {
	a=$1
	lib=$(allocator_lib "$a")
	want=${lib:-$libc}
	rm -rf "$tmp/served"; mkdir -p "$tmp/served"
	SERVED_ENV="LD_DEBUG=bindings LD_DEBUG_OUTPUT=$tmp/served/ld"
	case $a in
	umm) SERVED_ENV="$SERVED_ENV UMM_REPORT=$tmp/served/umm" ;;
	jemalloc) SERVED_ENV="$SERVED_ENV MALLOC_CONF=stats_print:true" ;;
	tcmalloc) SERVED_ENV="$SERVED_ENV MALLOCSTATS=1" ;;
	mimalloc) SERVED_ENV="$SERVED_ENV MIMALLOC_SHOW_STATS=1" ;;
	esac
	saved_runs_csv=$runs_csv; runs_csv=/dev/null
	run_one "$a" served >/dev/null
	runs_csv=$saved_runs_csv; SERVED_ENV=
	binds=$(cat "$tmp"/served/ld.* 2>/dev/null |
		sed -n "s/.* to \([^ ]*\) \[[0-9]*\]: normal symbol \`malloc'.*/\1/p" | sort | uniq -c)
	nbind=$(echo "$binds" | awk -v w="$want" '$2 == w { n += $1 } END { print n + 0 }')
	nother=$(echo "$binds" | awk -v w="$want" 'NF == 2 && $2 != w { n += $1 } END { print n + 0 }')
	case $a in
	umm) stats=$(awk '/^==> umm report/ { p++ } /^Slab:/ { if ($2 > m) m = $2 }
		END { if (p) printf "UMM_REPORT: %d processes; Slab up to %d kB", p, m }' \
		"$tmp/served/umm" 2>/dev/null) ;;
	jemalloc) stats=$(awk '/^(small|large):/ { n += $3 }
		END { if (n) printf "stats_print: nmalloc %d", n }' "$tmp/err") ;;
	tcmalloc) stats=$(awk 'function num() { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) return $i }
		/Bytes in use by application/ { u = num() } /Actual memory used/ { m = num() }
		END { if (m) printf "MALLOCSTATS: %.1f MiB used; %.1f MiB in use at exit", m / 1048576, u / 1048576 }' "$tmp/err") ;;
	mimalloc) stats=$(awk '/^ *reserved:/ { printf "MIMALLOC_SHOW_STATS: peak reserved %s %s", $2, $3; exit }' "$tmp/err") ;;
	glibc) stats="libc's malloc (nothing else bound)" ;;
	esac
	verdict=served
	if [ "$nbind" = 0 ] || [ "$nother" != 0 ] || [ -z "$stats" ]; then
		verdict=NOT-SERVED
		[ "$a" = umm ] && umm_failed=1
	fi
	echo "$W,$a,$verdict,malloc bound to ${want##*/} $nbind time(s)$([ "$nother" != 0 ] && echo ", elsewhere $nother") ; $stats" >>"$served_csv"
	printf '%-14s %-9s %s: malloc -> %s (%d bindings%s); %s\n' "$W" "$a" "$verdict" "${want##*/}" \
		"$nbind" "$([ "$nother" != 0 ] && echo ", $nother elsewhere")" "${stats:-no statistics}"
}

served_csv="$out/allocators-$stamp-served.csv"
echo "workload,allocator,verdict,evidence" >"$served_csv"
SERVED_ENV=
echo "allocators: $ALLOCATORS; $runs run(s) each; ${mt} threads for the multi-threaded ones; scale $sc"
echo "workload,allocator,run,status,time_s,rss_kib,extra,note" >"$runs_csv"
umm_failed=0
for w in ${only:-$all_workloads}; do
	prepare "$w" || continue
	rm -f "$tmp/ref" "$tmp/ref.from"
	r=1
	while [ $r -le "$runs" ]; do
		for a in $ALLOCATORS; do
			run_one "$a" $r
		done
		r=$((r + 1))
	done
	for a in $ALLOCATORS; do
		served_check "$a"
	done
done

cgarg=
if [ $quick = 0 ] && [ -x "$bin/alloc_pairs" ]; then
	sh "$here/callgrind.sh" "$build" >"$cglog" 2>&1 && cgarg="$cglog"
fi
if command -v python3 >/dev/null 2>&1; then
	python3 "$here/report.py" "$runs_csv" "$csv" "$svg" $cgarg
	echo; echo "who served each workload (also in $served_csv):"
	column -s, -t <"$served_csv" 2>/dev/null || cat "$served_csv"
else
	echo "note: python3 not installed: no table; every run is in $runs_csv"
fi
[ -s "$faillog" ] && echo "failures, with reproducers: $faillog"
exit $umm_failed
