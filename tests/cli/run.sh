#!/bin/sh
# umm run, and how --cmdline and $UMM_CMDLINE reach every command:
#  - the report goes to stderr or --report FILE, never into PROGRAM's stdout;
#  - one report, for the top process (as the image it exec()s into),
#    --each one per process, --full the /proc files whole;
#  - $UMM_CMDLINE then --cmdline, in run, run-script, shell, cat, demo, slabtop;
#  - a bad boot line stops run (exit 2) before PROGRAM starts;
#  - umm.max_mem= below the malloc front end's start boots smaller;
#  - mem= rounds down, bad values name what is allowed;
#  - SIGTERM, SIGINT, SIGHUP, SIGQUIT (Ctrl-\), ... to umm reach PROGRAM,
#    umm dies of the same signal, and no temporary file is left (nor when
#    PROGRAM is killed).
# usage: run.sh UMM LIBUMM-MALLOC.SO
umm=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")	# the tests change directory
lib="$2"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ulimit -c 0	# umm and sleep die of SIGQUIT below: no core files
mkdir "$tmp/t"
TMPDIR="$tmp/t"
export TMPDIR
unset UMM_CMDLINE UMM_REPORT UMM_REPORT_PID
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
check() {	# check WHAT COMMAND...: the command's status is the verdict
	what="$1"; shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}
no_temp_files() { [ -z "$(ls -A "$TMPDIR")" ]; }

seq 1000 -1 1 >"$tmp/nums"
sort -n "$tmp/nums" >"$tmp/want"

# ---- the report stays out of PROGRAM's stdout ----
"$umm" run -- sort -n "$tmp/nums" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "run: stdout is sort's alone (rc $rc)" cmp -s "$tmp/out" "$tmp/want"
check "run: the report is on stderr" grep -q '^==> umm report: pid [0-9]* (sort) <==$' "$tmp/err"
check "run: it has the meminfo lines" grep -q '^MemTotal: ' "$tmp/err"
check "run: no temporary file left" no_temp_files
"$umm" run --report "$tmp/rep" -- sort -n "$tmp/nums" >"$tmp/out" 2>"$tmp/err"
check "run --report: stdout is sort's alone" cmp -s "$tmp/out" "$tmp/want"
check "run --report: nothing on stderr" test ! -s "$tmp/err"
check "run --report: the report is in FILE" grep -q '^==> umm report: pid' "$tmp/rep"
"$umm" run --report >"$tmp/out" 2>"$tmp/err"
rc=$?
check "run --report without FILE: exit 2 (rc $rc)" test "$rc" = 2
check "run --report without FILE: one line naming it" grep -q '^umm: run: --report needs a FILE' "$tmp/err"

if [ -w /dev/full ]; then
	"$umm" run --report /dev/full -- sort -n "$tmp/nums" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check "run --report /dev/full: exit 1, the report is lost (rc $rc)" test "$rc" = 1
	check "run --report /dev/full: one line that says so: $(cat "$tmp/err")" \
		test "$(grep -c . "$tmp/err")" = 1 -a -n "$(grep 'No space left' "$tmp/err")"
fi

# ---- PROGRAM may clear its environment before it exits ----
if command -v python3 >/dev/null; then
	# A signal the kernel sends umm alone (an alarm() that survived exec)
	# reaches PROGRAM too: sleep 20 ends after 1 s, and umm dies of it.
	start=$(date +%s)
	python3 -c 'import os, signal, sys; signal.alarm(1); os.execv(sys.argv[1], sys.argv[1:])' \
		"$umm" run -- sleep 20 >/dev/null 2>&1
	rc=$?
	check "SIGALRM from the kernel: passed on, umm dies of it (rc $rc, $(($(date +%s) - start)) s)" \
		test "$rc" = 142 -a "$(($(date +%s) - start))" -lt 10
	check "SIGALRM from the kernel: no temporary file left" no_temp_files
	"$umm" run -- python3 -c 'import os; os.environ.clear()' >/dev/null 2>"$tmp/err"
	check "run: a PROGRAM that clears its environment still reports: $(head -1 "$tmp/err")" \
		grep -q '^==> umm report: pid [0-9]* (python3) <==$' "$tmp/err"
fi

# ---- a $TMPDIR where no directory can be made is named ----
TMPDIR="$tmp/none" "$umm" run -- touch "$tmp/started" >/dev/null 2>"$tmp/err"
rc=$?
check "run, TMPDIR not there: exit 1, not started (rc $rc)" test "$rc" = 1 -a ! -e "$tmp/started"
check "run, TMPDIR not there: one line naming it: $(cat "$tmp/err")" \
	test "$(grep -c . "$tmp/err")" = 1 -a -n "$(grep -F "$tmp/none" "$tmp/err")"

# ---- a relative \$TMPDIR holds when PROGRAM changes directory ----
mkdir "$tmp/rel"
(cd "$tmp" && TMPDIR=rel "$umm" run -- sh -c 'cd /; exec sort -n "$1"' sh "$tmp/nums" \
	>/dev/null 2>"$tmp/err")
check "run, TMPDIR=rel, PROGRAM does cd /: the report comes" \
	grep -q '^==> umm report: pid [0-9]* (sort) <==$' "$tmp/err"
check "run, TMPDIR=rel: nothing left in it" test -z "$(ls -A "$tmp/rel")"

# ---- umm where LD_PRELOAD cannot name it: one line, PROGRAM not started ----
mkdir "$tmp/a b"
cp "$umm" "$lib" "$tmp/a b/"
"$tmp/a b/umm" run -- touch "$tmp/started" >/dev/null 2>"$tmp/err"
rc=$?
check "run from a path with a space: exit 1, not started (rc $rc)" \
	test "$rc" = 1 -a ! -e "$tmp/started"
check "run from a path with a space: one line that says why: $(cat "$tmp/err")" \
	test "$(grep -c . "$tmp/err")" = 1 -a -n "$(grep 'LD_PRELOAD' "$tmp/err")"
rm -rf "$tmp/a b" "$tmp/started"

# ---- one report for the process tree: a shim that forks, then execs ----
cat >"$tmp/shim" <<EOF
#!/bin/sh
# as pyenv's shims: children first, then exec the real program
echo \$\$ >"$tmp/pid"
ls / >/dev/null; sort </dev/null; x=\$(sort </dev/null)
exec sort -n "\$@"
EOF
chmod +x "$tmp/shim"
"$umm" run -- "$tmp/shim" "$tmp/nums" >"$tmp/out" 2>"$tmp/err"
n=$(grep -c '^==> umm report' "$tmp/err")
check "run: one report for the shim and its children (got $n)" test "$n" = 1
check "run: it is the shim's pid, as sort" \
	grep -qx "==> umm report: pid $(cat "$tmp/pid") (sort) <==" "$tmp/err"
check "run: the shim's stdout is sort's" cmp -s "$tmp/out" "$tmp/want"
"$umm" run --each -- "$tmp/shim" "$tmp/nums" >/dev/null 2>"$tmp/err"
n=$(grep -c '^==> umm report: pid [0-9]* ([^)]*) <==$' "$tmp/err")
check "run --each: one report per process, labelled (got $n)" test "$n" -ge 3
check "run --each: ls is one of them" grep -q '^==> umm report: pid [0-9]* (ls) <==$' "$tmp/err"

# ---- the summary: the caches that hold slabs; --full: the files ----
"$umm" run -- sort -n "$tmp/nums" 2>"$tmp/sum" >/dev/null
"$umm" run --full -- sort -n "$tmp/nums" 2>"$tmp/full" >/dev/null
rows=$(grep -c ' malloc-\| kmalloc-\| kmem_cache' "$tmp/sum")
empty=$(awk '$NF ~ /^(k?malloc-|kmem_cache)/ && $5 == 0' "$tmp/sum" | wc -l)
check "run: summary rows are the caches holding slabs ($rows rows, $empty empty)" \
	test "$rows" -gt 0 -a "$empty" = 0
check "run: summary is short ($(wc -l <"$tmp/sum") lines)" test "$(wc -l <"$tmp/sum")" -lt 60
zero=$(grep -c '^[a-z].* 0      0 ' "$tmp/full")
check "run --full: /proc/slabinfo whole ($zero empty caches)" test "$zero" -gt 0
check "run --full: /proc/meminfo whole" grep -q '^HugePages_Total:' "$tmp/full"
check "run --full: /proc/buddyinfo" grep -q '^\$ cat /proc/buddyinfo$' "$tmp/full"

# ---- $UMM_CMDLINE, then --cmdline, everywhere ----
UMM_CMDLINE=mem=80M "$umm" --cmdline numa=fake=2 run --full -- sort "$tmp/nums" \
	>/dev/null 2>"$tmp/err"
check "run: \$UMM_CMDLINE's mem= and --cmdline's numa= both apply" \
	grep -q '^MemTotal: *81920 kB' "$tmp/err"
check "run: ... two nodes" grep -q '^Node 1,' "$tmp/err"
UMM_CMDLINE=mem=80M "$umm" --cmdline numa=fake=2 cat /proc/meminfo /proc/buddyinfo >"$tmp/out"
check "cat: both apply" grep -q '^MemTotal: *81920 kB' "$tmp/out"
check "cat: ... two nodes" grep -q '^Node 1,' "$tmp/out"
# --cmdline twice: both apply, as two lines of one boot line (the last one alone did)
"$umm" --cmdline mem=80M --cmdline=numa=fake=2 cat /proc/meminfo /proc/buddyinfo >"$tmp/out"
check "--cmdline twice: the first's mem= applies" grep -q '^MemTotal: *81920 kB' "$tmp/out"
check "--cmdline twice: ... and the second's numa=" grep -q '^Node 1,' "$tmp/out"
mem512="$here/../scripts/cmdline/mem512.umm"
check "run-script: \$UMM_CMDLINE applies after the fixed line" \
	env UMM_CMDLINE=mem=512M "$umm" run-script "$mem512"
check "run-script: --cmdline after \$UMM_CMDLINE" \
	env UMM_CMDLINE=mem=1G "$umm" --cmdline mem=512M run-script "$mem512"
check "shell: \$UMM_CMDLINE applies" sh -c 'UMM_CMDLINE=mem=512M "$1" shell <"$2" >/dev/null' \
	sh "$umm" "$mem512"
UMM_CMDLINE=umm.seed=7 "$umm" --cmdline mem=64M demo >"$tmp/out" 2>&1
check "demo: boots with both" grep -q 'Boot command line: "umm.seed=7 mem=64M"' "$tmp/out"
UMM_CMDLINE=umm.max_mem=32M "$umm" --cmdline mem=64M slabtop >/dev/null 2>"$tmp/err"
check "slabtop: reads \$UMM_CMDLINE and --cmdline together (rc $?)" \
	grep -q 'mem=64M is larger than umm.max_mem=32M' "$tmp/err"

# ---- a bad boot line stops run before PROGRAM starts ----
bad_line() {	# bad_line WHAT ENV-LINE CMDLINE
	UMM_CMDLINE="$2" "$umm" --cmdline "$3" run -- touch "$tmp/started" >/dev/null 2>"$tmp/err"
	rc=$?
	lines=$(grep -c . "$tmp/err")
	if [ "$rc" = 2 ] && [ "$lines" = 1 ] && [ ! -e "$tmp/started" ]; then
		ok "$1: exit 2, one line, not started: $(cat "$tmp/err")"
	else
		bad "$1: rc $rc, $lines lines, started: $([ -e "$tmp/started" ] && echo yes)"
		cat "$tmp/err"
	fi
	rm -f "$tmp/started"
}
bad_line "--cmdline mem=abc" "" "mem=abc"
bad_line "UMM_CMDLINE=mem=abc" "mem=abc" ""
bad_line "a mem= given above \$UMM_CMDLINE's umm.max_mem=" "umm.max_mem=64M" "mem=128M"
check "no temporary file left" no_temp_files

# ---- umm.max_mem= below the front end's start boots smaller ----
UMM_CMDLINE=umm.max_mem=128M LD_PRELOAD="$lib" sort -n "$tmp/nums" >"$tmp/out" 2>"$tmp/err"
check "UMM_CMDLINE=umm.max_mem=128M under LD_PRELOAD: sort runs" cmp -s "$tmp/out" "$tmp/want"
UMM_CMDLINE=umm.max_mem=32M UMM_REPORT="$tmp/rep32" LD_PRELOAD="$lib" sort -n "$tmp/nums" \
	>"$tmp/out" 2>"$tmp/err"
check "UMM_CMDLINE=umm.max_mem=32M: sort runs" cmp -s "$tmp/out" "$tmp/want"
check "UMM_CMDLINE=umm.max_mem=32M: MemTotal 32 MiB" grep -q '^MemTotal: *32768 kB' "$tmp/rep32"
"$umm" --cmdline umm.max_mem=100M run -- sort -n "$tmp/nums" >"$tmp/out" 2>"$tmp/err"
check "--cmdline umm.max_mem=100M run: sort runs (rc $?)" cmp -s "$tmp/out" "$tmp/want"

# ---- mem= rounds down; bad values name what is allowed ----
check "mem=17M: MemTotal 16384 kB" \
	sh -c '"$1" --cmdline mem=17M cat /proc/meminfo | grep -q "^MemTotal: *16384 kB"' sh "$umm"
"$umm" --cmdline mem=15M cat /proc/meminfo >/dev/null 2>"$tmp/err"
check "mem=15M: names the minimum: $(cat "$tmp/err")" grep -q "16M" "$tmp/err"
"$umm" --cmdline numa=fake=999 cat /proc/meminfo >/dev/null 2>"$tmp/err"
check "numa=fake=999: names the range: $(cat "$tmp/err")" grep -q "1\.\.64" "$tmp/err"

# ---- exit status ----
"$umm" run -- sh -c 'exit 3' >/dev/null 2>&1
check "run: PROGRAM's status (rc $?)" test $? = 3
"$umm" run -- "$tmp/no-such-program" >/dev/null 2>"$tmp/err"
rc=$?
check "run: a program that is not there: 127, one line (rc $rc)" \
	test "$rc" = 127 -a "$(grep -c . "$tmp/err")" = 1

# PROGRAM in a pipeline whose reader leaves dies of SIGPIPE: its status,
# and no word about it, as a shell says none.
{ "$umm" run -- yes 2>"$tmp/err"; echo $? >"$tmp/rc"; } | head -1 >/dev/null
check "run -- yes | head -1: status 141 ($(cat "$tmp/rc")), stderr empty: $(cat "$tmp/err")" \
	test "$(cat "$tmp/rc")" = 141 -a ! -s "$tmp/err"

# ---- signals: passed on, files removed, umm dies of the same signal ----
children() {	# the pids of $1's children
	if [ -r "/proc/$1/task/$1/children" ]; then
		cat "/proc/$1/task/$1/children"
	else
		ps -o pid= --ppid "$1"
	fi
}
child_of() {	# the pid of $1's child, once it has one (10 s at most)
	for _ in $(seq 100); do
		c=$(children "$1")
		[ -n "$c" ] && { echo $c | cut -d' ' -f1; return; }
		sleep 0.1
	done
}
program_of() {	# the pid of umm $1's PROGRAM, once it has exec()ed it (10 s at most)
	c=$(child_of "$1")
	for _ in $(seq 100); do
		[ -n "$c" ] && tr '\0' '\n' <"/proc/$c/environ" 2>/dev/null | grep -q '^UMM_REPORT=' &&
			{ echo "$c"; return; }
		sleep 0.1
	done
}
# interrupt SIGNAL STATUS [PREFIX...]: umm run -- sleep, SIGNAL to umm
interrupt() {
	sig="$1"; want="$2"; shift 2
	"$@" "$umm" run -- sleep 20 >/dev/null 2>&1 &
	pid=$!
	child=$(program_of $pid)
	rep=$(tr '\0' '\n' <"/proc/$child/environ" 2>/dev/null | sed -n 's/^UMM_REPORT=//p')
	kill -"$sig" $pid
	wait $pid
	rc=$?
	gone=no	# up to 5 s for sleep to end; a zombie nobody reaps is gone too
	for _ in $(seq 50); do
		if ! kill -0 "$child" 2>/dev/null ||
		   [ "$(sed 's/.*) //' "/proc/$child/stat" 2>/dev/null | cut -c1)" = Z ]; then
			gone=yes
			break
		fi
		sleep 0.1
	done
	[ "$gone" = no ] && kill "$child"
	left=$([ -n "$rep" ] && { [ -e "$rep" ] || [ -e "$(dirname "$rep")" ]; } && echo yes)
	if [ "$rc" = "$want" ] && [ "$gone" = yes ] && [ -n "$rep" ] && [ -z "$left" ] &&
	   no_temp_files; then
		ok "SIG$sig to umm: rc $rc, sleep got it, $rep removed"
	else
		bad "SIG$sig to umm: rc $rc (want $want), sleep gone: $gone," \
		    "report file '$rep' left: ${left:-no}"
	fi
}
interrupt TERM 143
interrupt HUP 129
# A background job starts with SIGINT and SIGQUIT ignored: give umm the default back.
if env --default-signal=INT true 2>/dev/null; then
	interrupt INT 130 env --default-signal=INT
	interrupt QUIT 131 env --default-signal=QUIT
else
	interrupt INT 130 perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die'
	interrupt QUIT 131 perl -e '$SIG{QUIT} = "DEFAULT"; exec @ARGV or die'
fi
# Every signal that would kill umm is passed on, its directory removed.
interrupt USR1 138
interrupt ALRM 142

# PROGRAM killed: umm reports it and cleans up.
"$umm" run -- sleep 20 >/dev/null 2>"$tmp/err" &
pid=$!
child=$(program_of $pid)
kill -KILL "$child"
wait $pid
rc=$?
check "sleep killed: umm exits 137 (rc $rc), no file left" test "$rc" = 137
check "sleep killed: ... and says so" grep -q 'killed by signal 9' "$tmp/err"
check "sleep killed: no temporary file left" no_temp_files

# PROGRAM handles the signal and exits: umm exits with its status.
"$umm" run -- sh -c 'trap '\''kill $s; exit 3'\'' TERM; sleep 20 & s=$!; wait' \
	>/dev/null 2>&1 &
pid=$!
child=$(program_of $pid)
[ -n "$child" ] && child_of "$child" >/dev/null	# the trap is set before sleep starts
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM handled by PROGRAM: umm exits with its status 3 (rc $rc)" test "$rc" = 3
check "no temporary file left" no_temp_files

exit $fail
