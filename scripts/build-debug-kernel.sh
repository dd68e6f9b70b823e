#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the Tessera debug kernel: Debian's linux-source-6.12 with lockdep,
# KASAN, UBSAN, kmemleak, list and object debugging (the debug stage of
# "make check" boots it). Nothing of the kernel's tree is kept here.
#
#   scripts/build-debug-kernel.sh               build if needed, print a summary
#   scripts/build-debug-kernel.sh --print-dir   build if needed, print only the
#                                               output directory on stdout
#   scripts/build-debug-kernel.sh --force       rebuild even if the cache is valid
#
# Config: x86_64_defconfig + kernel/configs/kvm_guest.config +
# scripts/debug-kernel.config (merged with scripts/kconfig/merge_config.sh,
# later fragments win), then olddefconfig; every line of our fragment must
# survive into the final .config, else the build stops.
#
# Cache: ${TESSERA_CACHE:-/var/cache/tessera}/debug-kernel/
#   src-<version>/linux-source-6.12/  the unpacked /usr/src tarball
#   <hash>/build/                     the O= build directory; M= builds of
#                                     out-of-tree modules use it as KDIR
#   <hash>/build/arch/x86/boot/bzImage
#   <hash>/mods/lib/modules/<kver>/   modules_install output (with depmod)
#   <hash>/kernelrelease              <kver>, e.g. 6.12.117-tessera-debug
#   <hash>/done                       written last: the directory is complete
# keyed by a hash of the inputs (source package version, the fragment,
# this script, the compiler). A second run with unchanged inputs only
# hashes files and prints the directory.
#
# Progress goes to stderr; with --print-dir stdout carries only the path.
set -euo pipefail

print_dir=no
force=no
for arg in "$@"; do
	case "$arg" in
	--print-dir) print_dir=yes ;;
	--force) force=yes ;;
	-h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "build-debug-kernel: unknown argument $arg" >&2; exit 2 ;;
	esac
done

log() { echo "build-debug-kernel: $*" >&2; }

here=$(dirname "$(readlink -f "$0")")
fragment=$here/debug-kernel.config
patches=$here/debug-kernel-patches
cache=${TESSERA_CACHE:-/var/cache/tessera}/debug-kernel
jobs=${TESSERA_BUILD_JOBS:-2}
srcpkg=linux-source-6.12
tarball=/usr/src/$srcpkg.tar.xz

[ -f "$tarball" ] || { log "no $tarball (run scripts/setup-host.sh)"; exit 1; }
srcver=$(dpkg-query -W -f '${Version}' "$srcpkg" 2>/dev/null) ||
	{ log "package $srcpkg is not installed (run scripts/setup-host.sh)"; exit 1; }
for f in /usr/include/libelf.h /usr/include/openssl/ssl.h; do
	[ -f "$f" ] || { log "no $f (libelf-dev, libssl-dev: run scripts/setup-host.sh)"; exit 1; }
done
mkdir -p "$cache"

key=$( {
	echo "src $srcpkg $srcver"
	echo "fragment $(sha256sum < "$fragment")"
	echo "patches $(cat "$patches"/*.patch | sha256sum)"
	echo "script $(sha256sum < "$0")"
	echo "cc $(gcc --version | head -n 1)"
} | sha256sum | cut -c1-16)
out=$cache/$key

if [ "$force" = no ] && [ -f "$out/done" ]; then
	log "up to date ($out, $(cat "$out/kernelrelease"))"
	if [ "$print_dir" = yes ]; then echo "$out"; else log "dir: $out"; fi
	exit 0
fi

# Serialise concurrent builds; check again once we hold the lock.
exec 9>"$cache/.build.lock"
flock 9
if [ "$force" = no ] && [ -f "$out/done" ]; then
	if [ "$print_dir" = yes ]; then echo "$out"; else log "dir: $out"; fi
	exit 0
fi

# ------------------------------------------------------------ the source
# Unpacked once per source version and set of patches (the marker holds
# the patches' hash); scripts/debug-kernel-patches/ fixes defects outside
# Tessera that would make lockdep switch itself off before it sees ours.
src=$cache/src-$srcver/$srcpkg
phash=$(cat "$patches"/*.patch | sha256sum | cut -c1-16)
if [ "$(cat "$src/.tessera-unpacked" 2>/dev/null)" != "$phash" ]; then
	log "unpacking $tarball"
	rm -rf "$cache/src-$srcver"
	mkdir -p "$cache/src-$srcver"
	tar -C "$cache/src-$srcver" -xf "$tarball"
	[ -f "$src/Makefile" ] || { log "$tarball has no $srcpkg/Makefile"; exit 1; }
	for p in "$patches"/*.patch; do
		log "applying $(basename "$p")"
		patch -d "$src" -p1 -s <"$p" || { log "$p does not apply"; exit 1; }
	done
	echo "$phash" >"$src/.tessera-unpacked"
fi

# ------------------------------------------------------------ configure
rm -rf "$out"
build=$out/build
mkdir -p "$build"
kmake() { nice -n 10 make -C "$src" O="$build" -j "$jobs" "$@"; }
log "configuring in $build"
kmake -s x86_64_defconfig >&2
(cd "$build" && KCONFIG_CONFIG=.config "$src/scripts/kconfig/merge_config.sh" -m -O . \
	.config "$src/kernel/configs/kvm_guest.config" "$fragment") >&2
kmake -s olddefconfig >&2
# Every option of the fragment must have its value (a dependency missing
# from it would silently drop a checker).
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF -- "$want" "$build/.config"; then
		opt=${want#\# }
		opt=${opt%%[= ]*}
		got=$(grep -E "^$opt=|^# $opt is not set" "$build/.config" || echo "absent")
		if [ "${want#\# }" != "$want" ] && [ "$got" = absent ]; then
			continue	# "not set" and absent agree
		fi
		log "config: wanted '$want', got '$got'"
		bad=1
	fi
done <"$fragment"
[ $bad = 0 ] || { log "the fragment does not apply; fix scripts/debug-kernel.config"; exit 1; }

# ------------------------------------------------------------ build
log "building with $jobs jobs under nice (cold: ~13 min on 2 cores)"
start=$(date +%s)
kmake bzImage modules >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	log "build failed (log: $out/build.log)"
	exit 1
}
kmake -s modules_install INSTALL_MOD_PATH="$out/mods" INSTALL_MOD_STRIP=1 >&2
kver=$(kmake -s kernelrelease)
log "build took $(($(date +%s) - start))s ($kver)"
echo "$kver" >"$out/kernelrelease"
[ -f "$out/mods/lib/modules/$kver/modules.dep" ] ||
	{ log "modules_install left no modules.dep"; exit 1; }
: >"$out/done"

# Keep the newest two builds (a build directory is ~2 GiB).
# shellcheck disable=SC2012 # the names are hex hashes
ls -1dt "$cache"/*/done 2>/dev/null | tail -n +3 | xargs -r -n 1 dirname |
	xargs -r rm -rf
if [ "$print_dir" = yes ]; then echo "$out"; else log "dir: $out"; fi
