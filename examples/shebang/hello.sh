#!/bin/sh -eu
echo "hello from $0: $*"
