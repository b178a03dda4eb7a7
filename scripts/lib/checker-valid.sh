#!/bin/sh -eu
# SPDX-License-Identifier: GPL-2.0
#
# Linux's scripts/checker-valid.sh (from 6.13 on; copied unchanged from
# linux-source-7.3), which the kernel's Makefile runs for `make C=1/C=2`
# to decide whether sparse can check this kernel. Debian's linux-kbuild
# packages of 7.x lack it, so that C=2 against their headers silently
# skips sparse; scripts/style puts this copy where the Makefile looks.

[ ! -x "$(command -v "$1")" ] && exit 1

tmp_file=$(mktemp)
trap "rm -f $tmp_file" EXIT

cat << EOF >$tmp_file
static inline int u(const int *q)
{
	__typeof_unqual__(*q) v = *q;
	return v;
}
EOF

# sparse happily exits with 0 on error so validate
# there is none on stderr. Use awk as grep is a pain with sh -e
$@ $tmp_file 2>&1 | awk -v c=1 '/error/{c=0}END{print c}'
