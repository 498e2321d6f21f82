#!/bin/sh
# mallinfo(), mallinfo2(), malloc_stats() and malloc_info() on umm's
# malloc (malloc/malloc_stats.c): the figures (mallinfo check, preloaded),
# then the shape of the output against glibc's own, from the same program
# run without the preload: malloc_stats()'s lines must be glibc's, digits
# aside, and malloc_info()'s XML must parse (python3's xml.etree) and have
# glibc's elements and attributes in glibc's order, each class's <size>
# aside (glibc's bins are not umm's classes).
# usage: mallinfo.sh path/to/libumm-malloc.so path/to/mallinfo
set -u
lib="$1"
prog="$2"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

if ! LD_PRELOAD="$lib" "$prog" check; then
	echo "FAIL: mallinfo check"; fail=1
fi

"$prog" shape >"$tmp/glibc.xml" 2>"$tmp/glibc.stats" || { echo "FAIL: shape on glibc"; fail=1; }
LD_PRELOAD="$lib" "$prog" shape >"$tmp/umm.xml" 2>"$tmp/umm.stats" ||
	{ echo "FAIL: shape on umm"; fail=1; }

# malloc_stats(): the same lines, each figure right-aligned in 10 columns.
figure='s/^(.{16}) = [ 0-9]{9}[0-9]$/\1 = N/'
sed -E "$figure" "$tmp/glibc.stats" >"$tmp/glibc.shape"
sed -E "$figure" "$tmp/umm.stats" >"$tmp/umm.shape"
if [ "$(wc -l <"$tmp/umm.stats")" -ne 8 ] || ! cmp -s "$tmp/glibc.shape" "$tmp/umm.shape"; then
	echo "FAIL: malloc_stats() lines differ from glibc's:"
	diff "$tmp/glibc.stats" "$tmp/umm.stats"; fail=1
else
	echo "ok: malloc_stats() has glibc's lines:"; cat "$tmp/umm.stats"
fi

# malloc_info(): well-formed, glibc's skeleton, figures that are numbers.
if ! python3 - "$tmp/glibc.xml" "$tmp/umm.xml" <<'PY'
import sys
import xml.etree.ElementTree as ET

def skeleton(path):
    root = ET.parse(path).getroot()
    out, sizes = [], []
    def walk(e, depth):
        if e.tag in ("size", "unsorted"):
            sizes.append(e)
            return
        out.append((depth, e.tag, tuple(e.attrib), e.get("type")))
        for a, v in e.attrib.items():
            if a in ("size", "count", "total", "from", "to") and not v.isdigit():
                sys.exit("%s: %s=%r is not a number" % (path, a, v))
        for c in e:
            walk(c, depth + 1)
    walk(root, 0)
    return out, sizes

glibc, _ = skeleton(sys.argv[1])
umm, sizes = skeleton(sys.argv[2])
if glibc != umm:
    sys.exit("skeletons differ:\n glibc %s\n umm   %s" % (glibc, umm))
if not sizes:
    sys.exit("umm: no <size> in <sizes> (the program freed small blocks)")
for s in sizes:
    f, t, total, count = (int(s.get(a)) for a in ("from", "to", "total", "count"))
    if not (f <= t and count > 0 and total >= count * t):
        sys.exit("umm: bad %s" % ET.tostring(s))
PY
then
	echo "FAIL: malloc_info()"; cat "$tmp/umm.xml"; fail=1
else
	echo "ok: malloc_info() parses, with glibc's elements"
fi
exit $fail
