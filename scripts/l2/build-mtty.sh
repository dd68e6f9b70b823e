#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-mtty.sh - build the kernel's mtty sample (samples/vfio-mdev/mtty.c)
# as an out-of-tree module for the end-to-end rehearsal.
#
# Usage: scripts/l2/build-mtty.sh [-k KVER]
#
# Debian's kernel does not build the sample; its source is taken from
# /usr/src/linux-source-6.12.tar.xz (package linux-source-6.12) at build
# time and never enters the repository. Output: build/mtty/mtty.ko (path
# printed on stdout). Rebuilt only when the kernel or this script change.
set -eu

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$(dirname "$here")")
kver=${KVER:-}
while getopts "k:" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	*) echo "usage: $0 [-k KVER]" >&2; exit 2 ;;
	esac
done
[ -n "$kver" ] || kver=$("$repo/scripts/kernel-version.sh")
kdir=/lib/modules/$kver/build
src_tar=/usr/src/linux-source-6.12.tar.xz
out=$repo/build/mtty
[ -d "$kdir" ] || { echo "build-mtty: no headers in $kdir (run scripts/setup-host.sh)" >&2; exit 1; }
[ -r "$src_tar" ] || { echo "build-mtty: $src_tar missing (apt-get install linux-source-6.12)" >&2; exit 1; }

stamp=$( { echo "$kver"; sha256sum "$0"; stat -c '%s %Y' "$src_tar" "$kdir/Makefile"; } |
	sha256sum | cut -d' ' -f1)
if [ -f "$out/mtty.ko" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "$out/mtty.ko"
	exit 0
fi

rm -rf "$out"
mkdir -p "$out"
# Extract only the one file (about 20 s: the archive is read whole).
tar -xJf "$src_tar" -C "$out" --strip-components=3 --wildcards '*/samples/vfio-mdev/mtty.c'
[ -f "$out/mtty.c" ] || { echo "build-mtty: mtty.c not found in $src_tar" >&2; exit 1; }
echo 'obj-m := mtty.o' >"$out/Kbuild"
make -s -C "$kdir" M="$out" modules >&2
echo "$stamp" >"$out/.stamp"
echo "$out/mtty.ko"
