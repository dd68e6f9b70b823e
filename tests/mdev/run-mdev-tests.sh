#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-mdev-tests.sh - run the vGPU mediation kselftests inside the VM.
#
# Usage (inside the guest, as root):
#   tests/mdev/run-mdev-tests.sh [-d BINDIR] [-t SECONDS] [TEST...]
#
# Loads vfio, vfio_iommu_type1 and mdev, then tessera.ko and tessera-vgpu.ko
# from this repository's build for the running kernel (drivers/tessera/, or
# build/compat-KVER/drivers/tessera/ on the 6.1 kernel: tests/lib/ksft-run.sh
# tessera_ko, tessera_insmod --vgpu; the Tessera GPU binds to tessera.ko and
# tessera-vgpu.ko registers its mdev parent), runs every test program of BINDIR
# (default build/tests/mdev, or $TESSERA_MDEV_TESTS) and the mdev_*.sh
# scripts next to this one, or only the named ones, each with a timeout of
# SECONDS (default 1200), merging their TAP into one stream
# (tests/lib/ksft-run.sh: results renumbered and prefixed with the
# program's name). Each program creates and removes its own vGPUs; at the
# end every leftover mdev is removed and the modules unloaded.
# Exit status: 0 if nothing failed.
#
# Environment: TESSERA_MDEV_PARENT=dddd:bb:dd.f picks the GPU whose vGPUs
# the tests use (default: the first Tessera mdev parent).
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- mdev=$PWD/tests/mdev/run-mdev-tests.sh
#
# TESSERA_MDEV_EXCLUDE="NAME..." leaves those programs out of the default
# list (the debug suite: the kernel's own VFIO selftests, which test VFIO's
# semantics and run in the stock suite, would take 7 of its minutes).
#
# TESSERA_KO=PATH loads that tessera.ko (and the tessera-vgpu.ko next to it)
# instead of drivers/tessera/tessera.ko (the debug suites: build/debug,
# built against the debug kernel).
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_MDEV_TESTS:-$repo/build/tests/mdev}
per_prog_timeout=1200

while getopts "d:t:h" opt; do
	case $opt in
	d) bindir=$OPTARG ;;
	t) per_prog_timeout=$OPTARG ;;
	*) sed -n '/^# Usage/,/^set -u/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

# shellcheck source-path=SCRIPTDIR source=../lib/ksft-run.sh
. "$here/../lib/ksft-run.sh"
tap_start
ko=${TESSERA_KO:-$(tessera_ko "$repo")}

cleanup() {
	local d
	for d in /sys/bus/mdev/devices/*; do
		[ -e "$d/remove" ] || continue
		echo 1 >"$d/remove" 2>/dev/null
	done
	if grep -q '^tessera ' /proc/modules; then
		tessera_rmmod 2>/dev/null || echo "# rmmod tessera-vgpu, tessera failed"
	fi
}

for m in vfio vfio_iommu_type1 mdev vfio_pci_core; do
	modprobe "$m" 2>/dev/null || tap_bail "modprobe $m failed"
done
[ -f "$ko" ] || tap_bail "no $ko (make modules)"
[ -f "$(tessera_vgpu_ko "$ko")" ] || tap_bail "no $(tessera_vgpu_ko "$ko") (make modules)"
if grep -q '^tessera ' /proc/modules; then
	tessera_rmmod || tap_bail "a tessera module is loaded and cannot be removed"
fi
trap cleanup EXIT
tessera_insmod --vgpu "$ko" || tap_bail "insmod $ko, tessera-vgpu.ko failed"
tap_ok "insmod tessera.ko tessera-vgpu.ko"

parent=
for d in /sys/bus/pci/devices/*/mdev_supported_types; do
	[ -d "$d/tessera-8m" ] && parent=$d && break
done
[ -n "$parent" ] || tap_bail "no Tessera mdev parent (no GPU bound to tessera?)"
tap_ok "mdev parent $(basename "$(dirname "$parent")")"

if [ $# -gt 0 ]; then
	progs=("$@")
else
	progs=()
	for p in "$bindir"/mdev_* "$here"/mdev_*.sh; do
		case " ${TESSERA_MDEV_EXCLUDE:-} " in
		*" $(basename "$p") "*) echo "# $(basename "$p") left out (TESSERA_MDEV_EXCLUDE)"; continue ;;
		esac
		[ -x "$p" ] && progs+=("$p")
	done
fi
[ ${#progs[@]} -gt 0 ] || tap_bail "no test programs in $bindir (make -C tests/mdev)"

for path in "${progs[@]}"; do
	case $path in
	/*) ;;
	*.sh) path=$here/$path ;;
	*) path=$bindir/$path ;;
	esac
	ksft_run_prog "$path" "$per_prog_timeout"
done

leftover=$(find /sys/bus/mdev/devices -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
if [ "$leftover" -eq 0 ]; then tap_ok "no mdev left over"; else tap_not_ok "$leftover mdevs left over"; fi
cleanup
trap - EXIT
if grep -q '^tessera\(_vgpu\)\? ' /proc/modules; then tap_not_ok "rmmod tessera-vgpu tessera"; else tap_ok "rmmod tessera-vgpu tessera"; fi
tap_plan_and_exit
