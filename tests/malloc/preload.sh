#!/bin/sh
# Real programs from Debian packages on umm's malloc (LD_PRELOAD): each
# one's output is checked, and its UMM_REPORT must show that umm served
# it (a report was written, and slab caches hold objects).
# usage: preload.sh path/to/libumm-malloc.so path/to/umm
set -u
lib="$1"
umm="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
ran=0

used_umm() {	# report file: a report, and some cache with active objects
	grep -q '^==> umm report: pid' "$1" &&
	awk '/^(malloc|kmalloc)-/ && $2 > 0 { found = 1 } END { exit !found }' "$1"
}

check() {	# name expected-output command...
	name="$1"; expect="$2"; shift 2
	rm -f "$tmp/report"
	out=$(UMM_REPORT="$tmp/report" LD_PRELOAD="$lib" "$@" 2>"$tmp/err")
	rc=$?
	ran=$((ran + 1))
	if [ $rc -ne 0 ] || [ "$out" != "$expect" ]; then
		echo "FAIL: $name: rc $rc, output '$out' (want '$expect')"; cat "$tmp/err"; fail=1
	elif ! used_umm "$tmp/report"; then
		echo "FAIL: $name: no umm report, or no objects in it"; fail=1
	else
		echo "ok: $name ($(grep -c '^==> umm report' "$tmp/report") process(es) reported)"
	fi
}

# python3, with its own allocator off so every object is a malloc.
if command -v python3 >/dev/null; then
	check python3 "499999500000 200000 ok" env PYTHONMALLOC=malloc python3 -c '
import json, re
d = {str(i): [i] * 5 for i in range(20000)}
s = json.dumps(d)
assert json.loads(s) == d
assert len(re.findall(r"\d+", s)) == 120000
print(sum(range(10**6)), len([str(i) for i in range(200000)]), "ok")'
fi

# sort of a million lines.
seq 1000000 | awk '{ print ($1 * 7919) % 1000003 }' > "$tmp/nums"
expect=$(sort -n "$tmp/nums" | md5sum | cut -d' ' -f1)
check sort "$expect" sh -c "sort -n '$tmp/nums' | md5sum | cut -d' ' -f1"

# gcc compiling and linking a program, which then runs.
if command -v gcc >/dev/null; then
	cat > "$tmp/prog.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
int main(void) { long s = 0; for (int i = 0; i < 1000; i++) { int *p = malloc(64); p[0] = i; s += p[0]; free(p); } printf("%ld\n", s); return 0; }
C
	check gcc "499500" sh -c "gcc -O2 -o '$tmp/prog' '$tmp/prog.c' && '$tmp/prog'"
fi

# sqlite3: a table, an index, a join.
if command -v sqlite3 >/dev/null; then
	check sqlite3 "5000|12502500" sqlite3 "$tmp/db" '
create table t(a integer, b text);
with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000)
insert into t select x, hex(randomblob(32)) from c;
create index ti on t(b);
select count(*), sum(a) from t join t as u using(a);'
fi

# umm run prints the report itself and passes the status through (--each:
# sh leaves by _exit(), its children report).
out=$("$umm" run --each -- sh -c 'seq 1000 | sort -rn | head -1' 2>&1)
if echo "$out" | grep -q '^1000$' && echo "$out" | grep -q '^==> umm report' &&
   echo "$out" | grep -q '^MemTotal:'; then
	echo "ok: umm run"
else
	echo "FAIL: umm run"; echo "$out" | head -20; fail=1
fi
"$umm" run -- sh -c 'exit 3' >/dev/null 2>&1
[ $? -eq 3 ] && echo "ok: umm run exit status" || { echo "FAIL: umm run exit status"; fail=1; }

echo "$ran programs run under LD_PRELOAD"
exit $fail
