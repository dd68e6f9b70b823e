#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-newest-kernel.sh - a tree of the newest kernel Debian ships,
# prepared for out-of-tree module builds, so that "make modules-newest"
# compiles Tessera against it (W=1, warnings are errors) and API drift
# shows before users meet it. Nothing of it is booted or installed.
#
#   scripts/build-newest-kernel.sh              prepare if needed, print a summary
#   scripts/build-newest-kernel.sh --print-dir  the same; stdout: only the tree
#
# Source: the linux-source-N.M that scripts/fetch-vfio-selftests.sh takes
# for the VFIO selftests (the newest of its pinned suite, trixie-backports:
# 7.x today; TESSERA_VFIO_SUITE=sid for unstable), "apt-get download"ed,
# never installed. Config: x86_64_defconfig plus VFIO with the group
# container and type1, vfio-pci, and SAMPLE_VFIO_MDEV_MTTY=m (the only way
# to select VFIO_MDEV there); then olddefconfig and "make modules_prepare".
# No vmlinux is built, so there is no Module.symvers: the module build
# passes KBUILD_MODPOST_WARN=1 (modpost cannot know the kernel's exports).
#
# Cache: ${TESSERA_CACHE:-/var/cache/tessera}/newest-kernel/<pkg>_<version>_r1/
# (the prepared tree; "done" is written last). Older versions' trees are
# removed. A second run with the same version only prints the directory.
# Progress goes to stderr.
set -euo pipefail

print_dir=no
case ${1:-} in
--print-dir) print_dir=yes ;;
-h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "build-newest-kernel: unknown argument $1" >&2; exit 2 ;;
esac

here=$(dirname "$(readlink -f "$0")")
cache=${TESSERA_CACHE:-/var/cache/tessera}/newest-kernel
jobs=${TESSERA_BUILD_JOBS:-2}

log() { echo "build-newest-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

read -r pkg ver < <("$here/fetch-vfio-selftests.sh" --print-candidate) ||
	die "no linux-source candidate (scripts/fetch-vfio-selftests.sh --print-candidate)"
key=${pkg}_${ver}_r1
tree=$cache/$key

finish() {
	if [ $print_dir = yes ]; then
		echo "$tree"
	else
		log "$pkg $ver prepared in $tree (kernel $(cat "$tree/include/config/kernel.release"))"
	fi
	exit 0
}

[ -f "$tree/done" ] && finish

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
[ -f "$tree/done" ] && finish
tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log "apt-get download $pkg=$ver"
(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg=$ver" >&2) ||
	die "apt-get download $pkg=$ver failed"
log "unpacking /usr/src/$pkg.tar.xz"
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -xO "./usr/src/$pkg.tar.xz" |
	tar -xJ -C "$tmp" || die "cannot unpack $pkg's tarball"
rm -f "$tmp"/*.deb
src=$tmp/$pkg
[ -f "$src/Makefile" ] || die "$pkg's tarball has no $pkg/Makefile"

log "configuring (x86_64_defconfig + VFIO, vfio-pci, mdev)"
make -C "$src" -s x86_64_defconfig >&2
"$src/scripts/config" --file "$src/.config" \
	-e PCI_MSI -e IOMMU_SUPPORT -e SAMPLES \
	-m VFIO -e VFIO_GROUP -e VFIO_CONTAINER -m VFIO_IOMMU_TYPE1 \
	-m VFIO_PCI -m SAMPLE_VFIO_MDEV_MTTY
make -C "$src" -s olddefconfig >&2
for opt in VFIO VFIO_MDEV VFIO_PCI_CORE VFIO_IOMMU_TYPE1; do
	grep -q "^CONFIG_$opt=[ym]" "$src/.config" ||
		die "CONFIG_$opt did not survive olddefconfig"
done
log "make modules_prepare (-j$jobs)"
make -C "$src" -s -j"$jobs" modules_prepare >&2 || die "modules_prepare failed"

rm -rf "$tree"
mv "$src" "$tree"
date -u +%FT%TZ >"$tree/done"
rm -rf "$tmp"
trap - EXIT
find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.tmp.*' \
	-exec rm -rf {} +
flock -u 9
finish
