#!/bin/sh
# docs/language.md must be exactly what `umm language` generates from the
# command table (tools/script/commands.c); to refresh it:
#   ./build/umm language > docs/language.md
umm="$1"
doc="$2"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$umm" language > "$out" || { echo "FAIL: umm language exited $?"; exit 1; }
if ! diff -u "$doc" "$out"; then
	echo "FAIL: $doc differs from 'umm language' (above); regenerate it with"
	echo "      umm language > docs/language.md"
	exit 1
fi
echo "ok: $doc is up to date"
