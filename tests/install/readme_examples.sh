#!/bin/sh
# readme_examples.sh README - every ```c block of README opens with
# "/* examples/NAME.c ..." and is that file, byte for byte: README shows
# the examples CTest builds and runs, so the two cannot drift apart.
# Exits 1 naming each block that differs, is missing its file, or names none.
set -u
readme=$1
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
exit $fail
