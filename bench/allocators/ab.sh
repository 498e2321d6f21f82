#!/bin/sh
# umm against itself: the allocator suite (run.sh, umm only) under two or
# more variants, a build directory and a $UMM_CMDLINE each, the variants
# taking turns run by run so that the machine's noise falls on all alike;
# then callgrind's instruction counts of each: the workloads whole (at
# --quick scale) and per malloc+free pair (callgrind.sh's alloc_pairs).
# Prints each workload's median wall time and instructions per variant,
# their ratios to the first variant's, the geometric means of the ratios,
# and the pair counts.
#
# usage: bench/allocators/ab.sh [--wall-only] ROUNDS LABEL=BUILD_DIR[:CMDLINE] ...
#            [-- run.sh options]
#   --wall-only   no callgrind counts (they take minutes per variant)
# e.g.   bench/allocators/ab.sh 7 off=build:umm.malloc_free_check=0 double=build \
#            all=build:umm.malloc_free_check=1
set -u
unset LD_PRELOAD
here=$(cd "$(dirname "$0")" && pwd)
callgrind=1
[ "${1:-}" = --wall-only ] && { callgrind=0; shift; }
rounds=${1:?usage: $0 ROUNDS LABEL=BUILD_DIR[:CMDLINE] ... [-- run.sh options]}
shift
variants=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	variants="${variants:+$variants }$1"
	shift
done
[ $# -gt 0 ] && shift
[ -n "$variants" ] || { echo "no variants" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

label() { echo "${1%%=*}"; }
build() { v=${1#*=}; echo "${v%%:*}"; }
cmdline() { v=${1#*=}; case $v in *:*) echo "${v#*:}" ;; esac; }

r=1
while [ "$r" -le "$rounds" ]; do
	for v in $variants; do
		mkdir -p "$tmp/$(label "$v")"
		echo "round $r/$rounds: $(label "$v")" >&2
		UMM_CMDLINE=$(cmdline "$v") sh "$here/run.sh" "$(build "$v")" --allocators umm \
			--runs 1 --out "$tmp/$(label "$v")/$r" "$@" >/dev/null 2>&1
	done
	r=$((r + 1))
done

# label,workload,time for every good run, then medians and ratios.
for v in $variants; do
	l=$(label "$v")
	cat "$tmp/$l"/*/allocators-*-runs.csv |
		awk -F, -v l="$l" '$4 == "ok" { print l "," $1 "," $5 }'
done >"$tmp/all.csv"
python3 - "$tmp/all.csv" $(for v in $variants; do label "$v"; done) <<'EOF'
import csv, math, statistics, sys
rows = list(csv.reader(open(sys.argv[1])))
labels = sys.argv[2:]
times = {}
for l, w, t in rows:
    times.setdefault(w, {}).setdefault(l, []).append(float(t))
print("median wall time (s), runs, ratio to %s" % labels[0])
print("%-14s" % "workload" + "".join("%16s" % l for l in labels))
logs = {l: [] for l in labels[1:]}
for w, by in times.items():
    if not all(l in by for l in labels):
        continue
    base = statistics.median(by[labels[0]])
    cells = []
    for l in labels:
        m = statistics.median(by[l])
        cells.append("%7.3f %2d %5.3f" % (m, len(by[l]), m / base))
        if l != labels[0]:
            logs[l].append(math.log(m / base))
    print("%-14s" % w + "".join("%16s" % c for c in cells))
for l in labels[1:]:
    if logs[l]:
        print("%s / %s: geometric mean %.4f over %d workloads"
              % (l, labels[0], math.exp(sum(logs[l]) / len(logs[l])), len(logs[l])))
EOF

# Instructions, whole programs (children too) under callgrind, at run.sh's
# --quick scale: stable where wall times are not.  redis (a server) is left out.
. "$here/allocators.sh"
mt=$(nproc 2>/dev/null || echo 2); [ "$mt" -ge 2 ] || mt=2
sc=0.1 db_num=20000 py_sc=0.1 sql_rows=30000 gcc_files=larson.c
command -v valgrind >/dev/null 2>&1 || callgrind=0
if [ $callgrind = 1 ]; then
	echo "instructions (callgrind, millions; --quick scale), ratio to $(label ${variants%% *})" >"$tmp/cg.txt"
	for w in $all_workloads; do
		[ "$w" = redis ] && continue
		line=$(printf '%-14s' "$w") first=
		for v in $variants; do
			bin="$(build "$v")/bench/allocators"
			prepare "$w" 2>/dev/null || continue 2
			rm -f "$tmp"/cg.out.* ; rm -rf "$tmp/db"
			eval "UMM_CMDLINE=\"\$(cmdline \"\$v\")\" valgrind --tool=callgrind \
				--trace-children=yes --callgrind-out-file=\"\$tmp/cg.out.%p\" \
				env LD_PRELOAD=\"\$(build \"\$v\")/libumm-malloc.so\" $CMD" >/dev/null 2>&1
			ir=$(cat "$tmp"/cg.out.* 2>/dev/null | awk '/^(totals|summary):/ { s += $2 } END { printf "%.0f\n", s }')
			[ -n "$first" ] || first=$ir
			line="$line$(awk -v i="$ir" -v f="$first" 'BEGIN { printf "%12.1f %6.4f", i / 1e6, f ? i / f : 0 }')"
		done
		echo "$line" >>"$tmp/cg.txt"
	done
	cat "$tmp/cg.txt"
	awk 'NR > 1 { for (i = 3; i <= NF; i += 2) { s[i] += log($i); n[i]++ } }
	     END { printf "geometric mean of the ratios:"; for (i = 5; i in n; i += 2) printf " %.4f", exp(s[i] / n[i]); print "" }' "$tmp/cg.txt"
fi

prog=bench/allocators/alloc_pairs
if [ $callgrind = 1 ]; then
	echo "instructions per malloc+free pair (callgrind, 100000 pairs)"
	for v in $variants; do
		printf '%-10s' "$(label "$v")"
		for size in 16 64 256 1024 4096; do
			out="$tmp/cg.out"
			UMM_CMDLINE=$(cmdline "$v") LD_PRELOAD="$(build "$v")/libumm-malloc.so" \
				valgrind --tool=callgrind --callgrind-out-file="$out" \
				--toggle-collect=measure_pairs "$(build "$v")/$prog" 100000 "$size" \
				>/dev/null 2>&1
			ir=$(callgrind_annotate "$out" 2>/dev/null |
				awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
			printf ' %5s:%-4s' "$size" "$(( ${ir:-0} / 100000 ))"
		done
		echo
	done
fi
