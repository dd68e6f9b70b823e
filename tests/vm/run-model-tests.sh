#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-model-tests.sh - run the tessera-gpu model kselftests inside the VM.
#
# Usage (inside the guest, as root):
#   tests/vm/run-model-tests.sh [-d BINDIR] [-t SECONDS] [TEST...]
#
# Binds the first Tessera GPU (PCI 7e55:0001) to vfio-pci, then runs every
# model test program in BINDIR (default: build/tests/vm of this repository,
# or $TESSERA_VM_TESTS), or only the named ones (e.g. model_cmds), each
# with a timeout of SECONDS (default 3600). Their kselftest TAP is merged
# into one TAP stream on stdout by tests/lib/ksft-run.sh: each result line
# is renumbered and prefixed with the program's name; a program that is
# missing, crashes, times out, prints fewer results than its plan or exits
# non-zero without a failing line gets a synthetic "not ok".
# Exit status: 0 if nothing failed.
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- model=$PWD/tests/vm/run-model-tests.sh
#
# Environment:
#   TESSERA_BDF                 use this device instead of the first one
#   TESSERA_ALLOW_DMAR_FAULT=1  also run the test that makes the device DMA
#                               to an unmapped IOVA (the guest kernel then
#                               logs a DMAR fault: run vm-run.sh with
#                               --allow-splat 'DMAR:'; scripts/run-vm-tests.sh
#                               does both).
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_VM_TESTS:-$repo/build/tests/vm}
per_prog_timeout=3600

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

# ---- find and bind the device ------------------------------------------
bdf=${TESSERA_BDF:-}
if [ -z "$bdf" ]; then
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x7e55 ] || continue
		[ "$(cat "$d/device" 2>/dev/null)" = 0x0001 ] || continue
		bdf=$(basename "$d")
		break
	done
fi
[ -n "$bdf" ] || tap_bail "no Tessera GPU (PCI 7e55:0001) in the VM (vm-run.sh --gpu \"\"?)"
dev=/sys/bus/pci/devices/$bdf
[ -e "$dev/iommu_group" ] ||
	tap_bail "$bdf has no IOMMU group (is intel_iommu=on and -device intel-iommu given?)"
if [ ! -d /sys/bus/pci/drivers/vfio-pci ]; then
	modprobe vfio-pci || tap_bail "modprobe vfio-pci failed"
fi
drv=$(basename "$(readlink "$dev/driver" 2>/dev/null)" 2>/dev/null || true)
if [ "$drv" != vfio-pci ]; then
	echo vfio-pci >"$dev/driver_override" || tap_bail "cannot set driver_override of $bdf"
	if [ -n "$drv" ]; then
		echo "$bdf" >"$dev/driver/unbind" || tap_bail "cannot unbind $bdf from $drv"
	fi
	echo "$bdf" >/sys/bus/pci/drivers_probe 2>/dev/null || true
	drv=$(basename "$(readlink "$dev/driver" 2>/dev/null)" 2>/dev/null || true)
	[ "$drv" = vfio-pci ] || tap_bail "$bdf did not bind to vfio-pci (driver '${drv:-none}')"
fi
group=$(basename "$(readlink "$dev/iommu_group")")
for _ in $(seq 50); do
	[ -e "/dev/vfio/$group" ] && break
	sleep 0.1
done
[ -e "/dev/vfio/$group" ] || tap_bail "/dev/vfio/$group did not appear"
echo "# device $bdf on vfio-pci, IOMMU group $group"
export TESSERA_BDF=$bdf

# ---- run the programs ----------------------------------------------------
if [ $# -gt 0 ]; then
	progs=()
	for p in "$@"; do
		progs+=("$bindir/$p")
	done
else
	progs=()
	for p in "$bindir"/model_*; do
		[ -x "$p" ] && [ -f "$p" ] && progs+=("$p")
	done
fi
[ ${#progs[@]} -gt 0 ] || tap_bail "no model test programs in $bindir (make -C tests/vm)"

for prog in "${progs[@]}"; do
	ksft_run_prog "$prog" "$per_prog_timeout"
done
tap_plan_and_exit
