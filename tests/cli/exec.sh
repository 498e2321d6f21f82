#!/bin/sh
# umm exec PATH ARGS: the maps, the auxv and the initial stack of the new
# process, checked against what the host's own exec of the same file says
# (LD_SHOW_AUXV=1 prints the host's auxv) and against the stack's own
# pointers; --svg draws one row per part.
umm="$1"
prog=/usr/bin/true
fail=0
out=$(mktemp) host=$(mktemp) svg=$(mktemp)
trap 'rm -f "$out" "$host" "$svg"' EXIT
no() { echo "FAIL: $*"; fail=1; }

env -i A=b "$umm" exec --svg "$svg" "$prog" one "two words" > "$out" || no "umm exec failed"
env -i A=b LD_SHOW_AUXV=1 "$prog" > "$host" || no "the host's $prog failed"

# maps: the program, ld.so, the vDSO and the stack, in the kernel's order
grep -q "^555555554000-.* r--p 00000000 .* $prog$" "$out" || no "no first PT_LOAD of $prog at ELF_ET_DYN_BASE"
for m in '\[vvar\]' '\[vdso\]' '\[stack\]' '\[vsyscall\]' 'ld-linux-x86-64.so.2'; do
	grep -q "$m\$" "$out" || no "maps lack $m"
done
# auxv: the machine's values as the host's kernel gave them to the host's exec
for at in AT_PAGESZ AT_CLKTCK AT_PHENT AT_PHNUM AT_HWCAP AT_HWCAP2 AT_MINSIGSTKSZ \
	  AT_FLAGS AT_UID AT_EUID AT_GID AT_EGID AT_SECURE AT_EXECFN AT_PLATFORM; do
	want=$(grep "^$at:" "$host")
	got=$(grep "^$at:" "$out")
	[ -n "$want" ] || continue
	[ "$want" = "$got" ] || no "auxv: host '$want', umm '$got'"
done
grep -q '^AT_ENTRY: *0x5555555' "$out" || no "AT_ENTRY not in the PIE"
grep -q '^AT_BASE: *0x7ffff7' "$out" || no "AT_BASE not in the mmap area"
# the stack: argc, argv pointers to their strings, envp, auxv, the strings
sp=$(sed -n 's/^initial stack: start_stack 0x\([0-9a-f]*\) to.*/\1/p' "$out")
[ -n "$sp" ] || no "no stack picture"
grep -q "^$sp  *8  argc  *3$" "$out" || no "argc is not 3 at start_stack"
for s in '"/usr/bin/true"' '"one"' '"two words"'; do
	ptr=$(grep "  argv\[[0-9]\]  .* -> $s\$" "$out" | sed 's/.* \(0x[0-9a-f]*\) -> .*/\1/')
	[ -n "$ptr" ] || { no "no argv pointer to $s"; continue; }
	grep -q "^${ptr#0x}  .*  argv\[[0-9]\] string  *$s\$" "$out" || no "argv string $s not at $ptr"
done
grep -q '  argv\[3\]  *NULL$' "$out" || no "argv does not end in NULL"
grep -q '  envp\[0\]  .* -> "A=b"$' "$out" || no "envp[0] is not A=b"
grep -q '  envp\[1\]  *NULL$' "$out" || no "envp does not end in NULL"
grep -q '  auxv\[[0-9]*\]  *AT_NULL 0$' "$out" || no "auxv does not end in AT_NULL"
grep -q '  AT_RANDOM bytes  *\([0-9a-f][0-9a-f] \)\{15\}[0-9a-f][0-9a-f]$' "$out" ||
	no "no 16 AT_RANDOM bytes"
grep -q '  AT_PLATFORM string  *"x86_64"$' "$out" || no "no platform string"
grep -q '^7fffffffeff8  *8  end marker  *NULL$' "$out" || no "no end marker at the top"
# the parts tile the stack: each starts where the last ended
awk -v sp="$sp" '
	function hex(s,   n, i, c) { n = 0; s = tolower(s)
		for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; n = n * 16 + c }
		return n }
	/^initial stack/ { on = 1; next }
	on && /^address/ { next }
	on && NF >= 3 { a = hex($1); if (next_a && a != next_a) { print "gap at " $1; bad = 1 } next_a = a + $2 }
	END { if (hex("7ffffffff000") != next_a) { print "the parts end before the top"; bad = 1 } exit bad }
' "$out" || no "the stack's parts do not tile [start_stack, top)"
# the picture: well formed, one row per part
rows=$(awk '/^initial stack/ { on = 1; next } on && /^address/ { next } on && NF >= 3' "$out" | grep -c .)
[ "$(grep -c '<g class="part"' "$svg")" = "$rows" ] || no "the SVG has not one row per part ($rows)"
if command -v python3 > /dev/null; then
	python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$svg" ||
		no "the SVG is not well-formed XML"
fi
[ $fail = 0 ] && echo "ok: umm exec $prog"
exit $fail
