#!/bin/sh
# headers.sh CC CXX PREFIX LIBDIR - the installed headers as C and C++
# users include them:
#  - each <umm/*.h> alone, first in a translation unit, with -std=c11,
#    and <umm.h> with -std=c11, gnu11 and c17, all with -Wall -Wextra
#    -pedantic-errors -Werror and no feature macro (the headers ask for
#    POSIX.1-2008 themselves);
#  - <umm.h> after <stdio.h> with pkg-config's Cflags (-D_DEFAULT_SOURCE);
#  - a C++17 program (extern "C", page->private as page_private()) built
#    against libumm and run.  CXX may be empty: then the C++ part is skipped
#    with a note.
set -u
cc=$1 cxx=$2 prefix=$3 libdir=$4
inc="$prefix/include"
here=$(dirname "$0")
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
fail=0

try() {	# try WHAT CMD...: run CMD, report a failure with its output
	what=$1
	shift
	if ! "$@" > "$tmp/log" 2>&1; then
		echo "FAIL: $what"
		echo "  $*"
		head -20 "$tmp/log"
		fail=1
	fi
}

compile() {	# compile STD HEADER
	printf '#include <%s>\nint umm_header_test;\n' "$2" > "$tmp/t.c"
	try "$2 with -std=$1" "$cc" -std="$1" -Wall -Wextra -pedantic-errors -Werror \
		-I"$inc" -c "$tmp/t.c" -o "$tmp/t.o"
}
for h in "$inc"/umm/*.h; do
	compile c11 "${h#"$inc/"}"
done
for std in c11 gnu11 c17; do
	compile $std umm.h
done

printf '#include <stdio.h>\n#include <umm.h>\nint main(void) { return PAGE_SIZE != 4096; }\n' > "$tmp/after.c"
# shellcheck disable=SC2046
try "<umm.h> after <stdio.h>, pkg-config Cflags" "$cc" -std=c11 -Wall -Wextra -pedantic-errors \
	-Werror -c "$tmp/after.c" -o "$tmp/after.o" $(pkg-config --cflags umm)
# ... and without them: a one-line #error that says what to do.
"$cc" -std=c11 -I"$inc" -c "$tmp/after.c" -o "$tmp/after.o" > "$tmp/log" 2>&1
if ! grep -q 'umm.h needs POSIX.1-2008' "$tmp/log"; then
	echo "FAIL: <umm.h> after <stdio.h> with -std=c11 and no Cflags: no clear #error"
	head -5 "$tmp/log"
	fail=1
fi

if [ -n "$cxx" ]; then
	pedantic=
	# g++ honours __extension__ on struct page's anonymous structs; clang++ does not.
	"$cxx" --version 2>/dev/null | grep -qi clang || pedantic=-pedantic-errors
	for std in c++17 c++20; do
		# shellcheck disable=SC2046
		try "C++ program with -std=$std" "$cxx" -std=$std -Wall -Wextra $pedantic -Werror \
			-o "$tmp/cxx" "$here/cxx_user.cc" $(pkg-config --cflags --libs umm)
		[ -x "$tmp/cxx" ] && try "C++ program (-std=$std) runs" "$tmp/cxx"
		rm -f "$tmp/cxx"
	done
else
	echo "note: no C++ compiler, C++ checks skipped"
fi
[ $fail = 0 ] && echo "headers: all modes compile"
exit $fail
