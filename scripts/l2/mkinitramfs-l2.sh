#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs-l2.sh - build the initramfs of the L2 guest of the
# end-to-end stage (scripts/e2e-libvirt.sh).
#
# Usage: scripts/l2/mkinitramfs-l2.sh [-k KVER] [-o OUTPUT]
#
#   -k KVER    kernel of the L2 guest (default: scripts/kernel-version.sh)
#   -o OUTPUT  output cpio archive (default build/l2/initramfs.cpio)
#
# Prints the archive's path. The L2 guest has no disk and no shared file
# system (9p under TCG-in-TCG costs more than packing the few MiB needed):
# everything it runs is in this archive, taken from the repository's
# build products at the time of the call:
#   /init                    scripts/l2/l2-init.sh
#   /bin/busybox (+ applets) busybox-static
#   /bin/bash and its shared libraries
#   /tessera/tessera.ko      drivers/tessera/tessera.ko (guest mode: not
#                            tessera-vgpu.ko), and
#                            the kernel modules it depends on (modules.list)
#   /tessera/tests/{native,sched,lib}/*.sh
#                            the suites' runners (tests/native,
#                            tests/sched) and tests/lib/ksft-run.sh
#   /tessera/native/native_*, /tessera/sched/sched_*
#                            the native and scheduler kselftests
#                            (build/tests/native, build/tests/sched)
#   /tessera/tools/tessera   the CLI (build/tools/tessera)
# Missing build products are left out with a note; the L2 suite then
# reports what it could not run. The archive is not compressed (TCG).
set -eu

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$(dirname "$here")")
out=$repo/build/l2/initramfs.cpio
kver=${KVER:-}
while getopts "k:o:h" opt; do
	case $opt in
	k) kver=$OPTARG ;;
	o) out=$OPTARG ;;
	*) sed -n '/^# Usage/,/^set -eu/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
note() { echo "mkinitramfs-l2: $*" >&2; }
# The L2 guest boots the L1 kernel, which is the host's.
[ -n "$kver" ] || kver=$("$repo/scripts/kernel-version.sh")

busybox=
for b in /bin/busybox /usr/bin/busybox; do
	if [ -x "$b" ] && file -L "$b" 2>/dev/null | grep -q 'statically linked'; then
		busybox=$b
		break
	fi
done
[ -n "$busybox" ] || { note "static busybox not found (apt-get install busybox-static)"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/dev "$root"/proc \
	"$root"/sys "$root"/tmp "$root"/tessera/native "$root"/tessera/sched \
	"$root"/tessera/tools "$root"/tessera/tests/lib "$root"/tessera/tests/native \
	"$root"/tessera/tests/sched
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$here/l2-init.sh" "$root/init"

# add_elf FILE DEST: copy a dynamically linked program and its libraries
# (at their own paths, as ldd lists them).
add_elf() {
	local lib
	install -D -m 755 "$1" "$root$2"
	# Debug info only costs load time under TCG.
	strip --strip-debug "$root$2" 2>/dev/null || true
	for lib in $(ldd "$1" 2>/dev/null | awk '/=> \// {print $3} /^\t\// {print $1}'); do
		[ -e "$root$lib" ] || install -D -m 755 "$(readlink -f "$lib")" "$root$lib"
	done
}
# bash only for run-native-tests.sh (suite "native"); PCI listings come
# from sysfs (pciutils would bring 8 MiB of libraries: slow to load).
add_elf /bin/bash /bin/bash

# The driver and the guest test suite.
ko=$repo/drivers/tessera/tessera.ko
: >"$root/tessera/modules.list"
if [ -f "$ko" ]; then
	cp "$ko" "$root/tessera/tessera.ko"
	strip --strip-debug "$root/tessera/tessera.ko" 2>/dev/null || true
	# The kernel modules tessera.ko needs (none since the vGPU mediation
	# is tessera-vgpu.ko, which L2 does not load), decompressed,
	# in load order in /tessera/modules.list (the L2 /init insmods them).
	for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
		modprobe -S "$kver" --show-depends "$dep" | awk '$1 == "insmod" {print $2}'
	done | awk '!seen[$0]++' | while read -r p; do
		base=$(basename "$p")
		case $base in
		*.ko.xz) xz -dc "$p" >"$root/tessera/${base%.xz}"; base=${base%.xz} ;;
		*.ko.zst) zstd -qdc "$p" >"$root/tessera/${base%.zst}"; base=${base%.zst} ;;
		*.ko) cp "$p" "$root/tessera/$base" ;;
		*) note "unexpected module file $p"; continue ;;
		esac
		echo "$base" >>"$root/tessera/modules.list"
	done
	note "modules for tessera.ko: $(tr '\n' ' ' <"$root/tessera/modules.list")"
else
	note "no $ko (make modules): the L2 guest cannot load the driver"
fi
# At the same relative paths as in the repository: the runners source
# ../lib/ksft-run.sh.
for f in tests/native/run-native-tests.sh tests/sched/run-sched-tests.sh \
	tests/lib/ksft-run.sh; do
	install -m 755 "$repo/$f" "$root/tessera/$f" 2>/dev/null || note "no $f"
done
n=0
for suite in native sched; do
	k=0
	for p in "$repo/build/tests/$suite/${suite}"_*; do
		[ -x "$p" ] || continue
		add_elf "$p" "/tessera/$suite/$(basename "$p")"
		k=$((k + 1))
	done
	[ $k -gt 0 ] || note "no $suite kselftests in build/tests/$suite (make tests)"
	n=$((n + k))
done
[ ! -x "$repo/build/tools/tessera" ] ||
	add_elf "$repo/build/tools/tessera" /tessera/tools/tessera

mkdir -p "$(dirname "$out")"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out.tmp.$$"
mv "$out.tmp.$$" "$out"
note "built $out ($(du -k "$out" | cut -f1) KiB, $n test programs)"
echo "$out"
