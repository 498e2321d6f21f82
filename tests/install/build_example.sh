#!/bin/sh
# build_example.sh CC PREFIX LIBDIR EXAMPLE.c - build an example as a
# user of an installed umm does (pkg-config --cflags --libs umm against
# PREFIX, strict C11 with warnings as errors) and run it: the test is
# its exit status.
set -eu
cc=$1 prefix=$2 libdir=$3 src=$4
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT INT TERM
export PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
flags=$(pkg-config --cflags --libs umm)
echo "$cc -std=c11 -Wall -Wextra -Werror $src $flags"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror -o "$out/example" "$src" $flags
"$out/example"
