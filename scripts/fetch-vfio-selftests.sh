#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-vfio-selftests.sh - the kernel's own VFIO selftests, the outside
# oracle of the vGPUs (tests/oracle, tests/mdev/mdev_kernel_selftests.sh).
#
#   scripts/fetch-vfio-selftests.sh [DESTDIR]   tree into DESTDIR
#                                               (default build/vfio-selftests)
#   scripts/fetch-vfio-selftests.sh --apt       only the apt source + pin
#                                               (scripts/setup-host.sh)
#   scripts/fetch-vfio-selftests.sh --print-candidate
#                                               print "linux-source-N.M VERSION"
#                                               of the package it would take
#                                               (scripts/build-newest-kernel.sh)
#
# tools/testing/selftests/vfio exists from Linux 6.17 on; bookworm's
# linux-source-6.12 lacks it. This script adds Debian's trixie-backports
# (TESSERA_VFIO_SUITE=sid for unstable) as an apt source pinned at
# priority 1 (/etc/apt/preferences.d/tessera-vfio-selftests: nothing is
# ever installed or upgraded from it unless named), picks the newest
# linux-source-N.M of that suite with N.M >= 6.17 (or
# TESSERA_VFIO_SELFTESTS_PKG=linux-source-7.2), "apt-get download"s it (it
# is never installed) and extracts only what the selftests need:
#
#   tools/testing/selftests/vfio/           the tests and their lib/
#   tools/testing/selftests/kselftest*      the harness
#   tools/include/, tools/arch/x86/include/ the tools' kernel-like headers
#   include/uapi/linux/                     vfio.h, iommufd.h, idxd.h, ...
#   the targets of the symlinks in these    (include/linux/pci_ids.h, the
#                                           ioat/dsa/igb register headers)
#
# Cache: ${TESSERA_CACHE:-/var/cache/tessera}/vfio-selftests/<pkg>_<version>_rN/
# (the extracted subset; the .deb is not kept). DESTDIR/src is a copy of
# it and DESTDIR/VERSION names it. A second run with the same candidate
# version copies nothing. Third-party files: never committed.
#
# Needs root only the first time (apt source, apt-get update, cache dir).
set -euo pipefail

top=$(dirname "$(readlink -f "$0")")/..
top=$(readlink -f "$top")
suite=${TESSERA_VFIO_SUITE:-trixie-backports}
cache=${TESSERA_CACHE:-/var/cache/tessera}/vfio-selftests
sources=/etc/apt/sources.list.d/tessera-vfio-selftests.sources
prefs=/etc/apt/preferences.d/tessera-vfio-selftests
apt_only=no
dest=$top/build/vfio-selftests

case ${1:-} in
--apt) apt_only=yes ;;
--print-candidate) apt_only=candidate ;;
-h|--help) sed -n '2,37p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
-*) echo "fetch-vfio-selftests: unknown option $1" >&2; exit 2 ;;
"") ;;
*) dest=$(readlink -m "$1") ;;
esac

log() { echo "fetch-vfio-selftests: $*" >&2; }
die() { log "$*"; exit 1; }

# write_if_changed FILE: stdin into FILE unless FILE has exactly that.
# Returns 0 if FILE was (re)written.
write_if_changed() {
	local new
	new=$(cat)
	if [ -f "$1" ] && [ "$(cat "$1")" = "$new" ]; then
		return 1
	fi
	[ "$(id -u)" = 0 ] || die "$1 needs updating; run as root (scripts/setup-host.sh)"
	printf '%s\n' "$new" >"$1"
}

# add_apt_source: the pinned suite, apt-get update if it is new.
add_apt_source() {
	local changed=no
	write_if_changed "$sources" <<EOF && changed=yes
# Added by Tessera's scripts/fetch-vfio-selftests.sh: linux-source-N.M
# (N.M >= 6.17) for the kernel's VFIO selftests. Pinned low in
# $prefs.
Types: deb
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
	write_if_changed "$prefs" <<EOF && changed=yes
# Tessera: nothing is installed or upgraded from $suite unless it is
# asked for by name (scripts/fetch-vfio-selftests.sh only downloads).
Package: *
Pin: release n=$suite
Pin-Priority: 1
EOF
	if [ $changed = yes ] || [ -z "$(candidates)" ]; then
		log "apt-get update (new source: $suite)"
		apt-get update -q >&2 ||
			die "apt-get update failed (is deb.debian.org reachable?)"
	fi
}

# candidates: "linux-source-N.M VERSION" lines of the suite, N.M >= 6.17,
# read from apt's lists (apt-cache takes seconds; this takes none).
candidates() {
	local f arch
	arch=$(dpkg --print-architecture)
	for f in /var/lib/apt/lists/*_dists_"$suite"_main_binary-"$arch"_Packages*; do
		[ -e "$f" ] && /usr/lib/apt/apt-helper cat-file "$f"
	done | awk '/^Package: / { p = $2 }
		/^Version: / && p ~ /^linux-source-[0-9]+\.[0-9]+$/ { print p, $2 }' |
	while read -r p v; do
		n=${p#linux-source-}
		[ "$(printf '%s\n6.17\n' "$n" | sort -V | head -n1)" = 6.17 ] &&
			echo "$p $v"
	done | sort -V
}

if [ -f "$sources" ] && [ "$(id -u)" != 0 ]; then
	: # configured by setup-host; nothing to write as a user
else
	add_apt_source
fi
[ $apt_only != yes ] || exit 0

if [ -n "${TESSERA_VFIO_SELFTESTS_PKG:-}" ]; then
	pkg=$TESSERA_VFIO_SELFTESTS_PKG
	ver=$(candidates | awk -v p="$pkg" '$1 == p { v = $2 } END { print v }')
else
	read -r pkg ver < <(candidates | tail -n1) || true
fi
if [ -z "${pkg:-}" ] || [ -z "${ver:-}" ]; then
	die "no linux-source >= 6.17 in $suite (apt-cache madison linux-source)"
fi
if [ $apt_only = candidate ]; then
	echo "$pkg $ver"
	exit 0
fi
# The layout revision changes whenever the list of members below does.
key=${pkg}_${ver}_r2
keydir=$cache/$key

if [ -f "$dest/VERSION" ] && [ "$(cat "$dest/VERSION")" = "$key" ] &&
   [ -d "$dest/src/tools/testing/selftests/vfio" ]; then
	exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$keydir/.complete" ]; then
	tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	log "apt-get download $pkg=$ver"
	# -o APT::Sandbox::User=root: the temporary directory is root's.
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
		"$pkg=$ver" >&2) || die "apt-get download $pkg=$ver failed"
	deb=$(echo "$tmp"/*.deb)
	tarball=./usr/src/$pkg.tar.xz
	srctop=$pkg
	members=(
		"$srctop/tools/testing/selftests/vfio"
		"$srctop/tools/testing/selftests/kselftest*"
		"$srctop/tools/include"
		"$srctop/tools/arch/x86/include"
		"$srctop/include/uapi/linux"
		"$srctop/include/linux/pci_ids.h"
		"$srctop/drivers/dma/ioat/*.h"
		"$srctop/drivers/dma/idxd/*.h"
		"$srctop/drivers/net/ethernet/intel/igb/e1000_*.h"
	)
	extract() {
		dpkg-deb --fsys-tarfile "$deb" | tar -xO "$tarball" |
			tar -xJ -C "$tmp" --wildcards "$@"
	}
	log "extracting the VFIO selftests from $(basename "$deb")"
	extract "${members[@]}" || die "$tarball lacks tools/testing/selftests/vfio"
	# Symlinks that point outside what was taken (a newer release may add
	# some): a second pass for their targets.
	missing=()
	while IFS= read -r l; do
		t=$(realpath -m --relative-to="$tmp" "$(dirname "$l")/$(readlink "$l")")
		[ -e "$tmp/$t" ] || missing+=("$t")
	done < <(find "$tmp/$srctop" -type l)
	if [ ${#missing[@]} -gt 0 ]; then
		log "second pass for ${#missing[@]} symlink targets"
		extract "${missing[@]}" || die "cannot extract ${missing[*]}"
	fi
	rm -rf "$keydir"
	mv "$tmp/$srctop" "$keydir"
	echo "$key" >"$keydir/.complete"
	rm -rf "$tmp"
	trap - EXIT
	# Older versions' trees.
	find "$cache" -mindepth 1 -maxdepth 1 -type d ! -name "$key" ! -name '.tmp.*' \
		-exec rm -rf {} +
fi
flock -u 9

rm -rf "$dest/src"
mkdir -p "$dest"
cp -a "$keydir" "$dest/src"
rm -f "$dest/src/.complete"
echo "$key" >"$dest/VERSION"
log "$key in $dest/src"
