#!/bin/sh
# readme_examples.sh README [UMM] - every ```c block of README opens with
# "/* examples/NAME.c ..." and is that file, byte for byte: README shows
# the examples CTest builds and runs, so the two cannot drift apart.
# With UMM (the built umm), every ```umm block (a scenario) and every
# ```sh block of one line "$ umm ARGS" is run, from README's directory,
# and what it prints must be the plain ``` block that follows it: a line
# "..." there stands for any lines, and "..." inside a line for any text
# (what depends on the host: device and inode numbers, its CPU's auxv).
# Exits 1 naming each block that differs, is missing its file, or names none.
set -u
readme=$1
umm=${2:-}
root=$(dirname "$readme")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
# Split the blocks into tmp/1, tmp/2, ...; tmp/list has "N LINE".
awk -v dir="$tmp" '
	/^```c$/ { n++; inblock = 1; print n, NR > (dir "/list"); next }
	inblock && /^```$/ { inblock = 0; close(dir "/" n); next }
	inblock { print > (dir "/" n) }
' "$readme"
[ -s "$tmp/list" ] || { echo "$readme: no \`\`\`c block"; exit 1; }
fail=0
while read -r n line; do
	name=$(sed -n '1s|^/\* \(examples/[A-Za-z0-9_-]*\.c\) .*|\1|p' "$tmp/$n")
	if [ -z "$name" ]; then
		echo "$readme:$line: a C block must open with /* examples/NAME.c ... */"
		fail=1
	elif [ ! -f "$root/$name" ]; then
		echo "$readme:$line: $name does not exist"
		fail=1
	elif ! cmp -s "$tmp/$n" "$root/$name"; then
		echo "$readme:$line: the block differs from $name:"
		diff -u "$root/$name" "$tmp/$n" | head -20
		fail=1
	else
		echo "$readme:$line: $name"
	fi
done < "$tmp/list"
[ -n "$umm" ] || exit $fail

# Runs: tmp/run.N the command or scenario, tmp/want.N what it prints.
awk -v dir="$tmp" '
	/^```umm$/ { n++; mode = "umm"; print n, NR, "umm" > (dir "/runs"); next }
	/^```sh$/ { sh = 1; shn = NR; lines = 0; cmd = ""; next }
	sh && /^```$/ {
		sh = 0
		if (lines == 1 && cmd ~ /^\$ umm /) {
			n++; print n, shn, "sh" > (dir "/runs")
			print substr(cmd, 3) > (dir "/run." n); close(dir "/run." n)
			want = 1
		}
		next
	}
	sh { lines++; cmd = $0; next }
	mode == "umm" && /^```$/ { mode = ""; want = 1; close(dir "/run." n); next }
	mode == "umm" { print > (dir "/run." n); next }
	want && /^```$/ { if (inwant) { inwant = 0; want = 0; close(dir "/want." n) } else inwant = 1; next }
	inwant { print > (dir "/want." n) }
' "$readme"
[ -s "$tmp/runs" ] || { echo "$readme: no \`\`\`umm block or \`\`\`sh block running umm"; exit 1; }
bindir=$(cd "$(dirname "$umm")" && pwd)
while read -r n line kind; do
	if [ ! -f "$tmp/want.$n" ]; then
		echo "$readme:$line: no \`\`\` block of its output follows"
		fail=1
		continue
	fi
	if [ "$kind" = umm ]; then
		(cd "$root" && env -u UMM_CMDLINE "$umm" run-script - < "$tmp/run.$n") > "$tmp/got.$n" 2>&1
	else
		(cd "$root" && env -u UMM_CMDLINE PATH="$bindir:$PATH" sh -c "$(cat "$tmp/run.$n")") \
			> "$tmp/got.$n" 2>&1
	fi
	# the lines of want (with "...") against got; awk's exit status says
	if awk -v want="$tmp/want.$n" '
		function line_ok(w, g,   parts, k, i, p) {
			k = split(w, parts, /\.\.\./)
			if (k == 1)
				return w == g
			if (substr(g, 1, length(parts[1])) != parts[1])
				return 0
			g = substr(g, length(parts[1]) + 1)
			for (i = 2; i < k; i++) {
				p = index(g, parts[i])
				if (!p)
					return 0
				g = substr(g, p + length(parts[i]))
			}
			return length(g) >= length(parts[k]) &&
			       substr(g, length(g) - length(parts[k]) + 1) == parts[k]
		}
		function match_from(i, j,   k) {
			if (i > nw)
				return j > ng
			if (W[i] == "...") {
				for (k = j; k <= ng + 1; k++)
					if (match_from(i + 1, k))
						return 1
				return 0
			}
			return j <= ng && line_ok(W[i], G[j]) && match_from(i + 1, j + 1)
		}
		BEGIN { while ((getline l < want) > 0) W[++nw] = l }
		{ G[++ng] = $0 }
		END { exit !match_from(1, 1) }
	' "$tmp/got.$n"; then
		echo "$readme:$line: the $kind block prints what README says"
	else
		echo "$readme:$line: the $kind block does not print what README says; it printed:"
		cat "$tmp/got.$n"
		fail=1
	fi
done < "$tmp/runs"
exit $fail
