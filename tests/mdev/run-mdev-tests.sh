#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-mdev-tests.sh - run the vGPU mediation kselftests inside the VM.
#
# Usage (inside the guest, as root):
#   tests/mdev/run-mdev-tests.sh [-d BINDIR] [-t SECONDS] [TEST...]
#
# Loads vfio, vfio_iommu_type1 and mdev, then tessera.ko from this
# repository's build (drivers/tessera/tessera.ko; the Tessera GPU binds to
# it and registers its mdev parent), runs every test program of BINDIR
# (default build/tests/mdev, or $TESSERA_MDEV_TESTS) and the mdev_*.sh
# scripts next to this one, or only the named ones, merging their TAP into one stream (lines prefixed with the
# program's name). Each program creates and removes its own vGPUs; at the
# end every leftover mdev is removed and the module unloaded.
# Exit status: 0 if nothing failed.
#
# Environment: TESSERA_MDEV_PARENT=dddd:bb:dd.f picks the GPU whose vGPUs
# the tests use (default: the first Tessera mdev parent).
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- mdev=$PWD/tests/mdev/run-mdev-tests.sh
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_MDEV_TESTS:-$repo/build/tests/mdev}
ko=$repo/drivers/tessera/tessera.ko
per_prog_timeout=1200

while getopts "d:t:h" opt; do
	case $opt in
	d) bindir=$OPTARG ;;
	t) per_prog_timeout=$OPTARG ;;
	*) sed -n '/^# Usage/,/^set -u/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

n=0
fail=0
echo "TAP version 13"

ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
bail() { notok "run-mdev-tests: $*"; echo "1..$n"; exit 1; }

cleanup() {
	local d
	for d in /sys/bus/mdev/devices/*; do
		[ -e "$d/remove" ] || continue
		echo 1 >"$d/remove" 2>/dev/null
	done
	if grep -q '^tessera ' /proc/modules; then
		rmmod tessera 2>/dev/null || echo "# rmmod tessera failed"
	fi
}

for m in vfio vfio_iommu_type1 mdev vfio_pci_core; do
	modprobe "$m" 2>/dev/null || bail "modprobe $m failed"
done
[ -f "$ko" ] || bail "no $ko (make modules)"
if grep -q '^tessera ' /proc/modules; then
	rmmod tessera || bail "a tessera module is loaded and cannot be removed"
fi
insmod "$ko" || bail "insmod $ko failed"
trap cleanup EXIT
ok "insmod tessera.ko"

parent=
for d in /sys/bus/pci/devices/*/mdev_supported_types; do
	[ -d "$d/tessera-8m" ] && parent=$d && break
done
[ -n "$parent" ] || bail "no Tessera mdev parent (no GPU bound to tessera?)"
ok "mdev parent $(basename "$(dirname "$parent")")"

if [ $# -gt 0 ]; then
	progs=("$@")
else
	progs=()
	for p in "$bindir"/mdev_* "$here"/mdev_*.sh; do
		[ -x "$p" ] && progs+=("$p")
	done
fi
[ ${#progs[@]} -gt 0 ] || bail "no test programs in $bindir (make -C tests/mdev)"

for path in "${progs[@]}"; do
	case $path in
	/*) ;;
	*.sh) path=$here/$path ;;
	*) path=$bindir/$path ;;
	esac
	prog=$(basename "$path")
	out=$(mktemp)
	timeout "$per_prog_timeout" "$path" >"$out" 2>&1
	rc=$?
	failed_line=0
	while IFS= read -r line; do
		case "$line" in
		"ok "*|"not ok "*)
			status=${line%% [0-9]*}
			rest=${line#"$status" }
			rest=${rest#* }
			[ "$status" = "not ok" ] && { failed_line=1; fail=1; }
			n=$((n + 1))
			echo "$status $n $prog: $rest"
			;;
		"TAP version"*|1..*) ;;
		*) echo "# $prog: $line" ;;
		esac
	done <"$out"
	rm -f "$out"
	if [ $rc -ne 0 ] && [ $failed_line -eq 0 ]; then
		notok "$prog: exited with status $rc"
	fi
done

leftover=$(ls /sys/bus/mdev/devices 2>/dev/null | wc -l)
if [ "$leftover" -eq 0 ]; then ok "no mdev left over"; else notok "$leftover mdevs left over"; fi
cleanup
trap - EXIT
if grep -q '^tessera ' /proc/modules; then notok "rmmod tessera"; else ok "rmmod tessera"; fi
echo "1..$n"
exit $fail
