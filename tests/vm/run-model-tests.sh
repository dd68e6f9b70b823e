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
# or $TESSERA_VM_TESTS), or only the named ones (e.g. model_cmds). Their
# kselftest TAP is merged into one TAP stream on stdout: each result line is
# renumbered and prefixed with the program's name, a program that crashes
# or exits non-zero without a failing line gets a synthetic "not ok".
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

n=0
fail=0
echo "TAP version 13"

bail() {
	n=$((n + 1))
	echo "not ok $n run-model-tests: $*"
	echo "1..$n"
	exit 1
}

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
[ -n "$bdf" ] || bail "no Tessera GPU (PCI 7e55:0001) in the VM (vm-run.sh --gpu \"\"?)"
dev=/sys/bus/pci/devices/$bdf
[ -e "$dev/iommu_group" ] ||
	bail "$bdf has no IOMMU group (is intel_iommu=on and -device intel-iommu given?)"
if [ ! -d /sys/bus/pci/drivers/vfio-pci ]; then
	modprobe vfio-pci || bail "modprobe vfio-pci failed"
fi
drv=$(basename "$(readlink "$dev/driver" 2>/dev/null)" 2>/dev/null || true)
if [ "$drv" != vfio-pci ]; then
	echo vfio-pci >"$dev/driver_override" || bail "cannot set driver_override of $bdf"
	if [ -n "$drv" ]; then
		echo "$bdf" >"$dev/driver/unbind" || bail "cannot unbind $bdf from $drv"
	fi
	echo "$bdf" >/sys/bus/pci/drivers_probe 2>/dev/null || true
	drv=$(basename "$(readlink "$dev/driver" 2>/dev/null)" 2>/dev/null || true)
	[ "$drv" = vfio-pci ] || bail "$bdf did not bind to vfio-pci (driver '${drv:-none}')"
fi
group=$(basename "$(readlink "$dev/iommu_group")")
for _ in $(seq 50); do
	[ -e "/dev/vfio/$group" ] && break
	sleep 0.1
done
[ -e "/dev/vfio/$group" ] || bail "/dev/vfio/$group did not appear"
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
[ ${#progs[@]} -gt 0 ] || bail "no model test programs in $bindir (make -C tests/vm)"

for prog in "${progs[@]}"; do
	name=$(basename "$prog")
	if [ ! -x "$prog" ]; then
		n=$((n + 1))
		echo "not ok $n $name # not built"
		fail=1
		continue
	fi
	echo "# ==== $name"
	out=$(mktemp) || bail "mktemp failed"
	# Stream the program's TAP, renumbered, while it runs.
	exec 3<"$out"
	timeout -k 10 "$per_prog_timeout" "$prog" >"$out" 2>&1 &
	pid=$!
	results=0 failed=0 plan=-1
	handle() {
		local line=$1 rest
		case $line in
		"TAP version"*) ;;
		1..*)
			plan=${line#1..}
			plan=${plan%% *}
			echo "# $name: $line" ;;
		"ok "*|"not ok "*)
			n=$((n + 1))
			results=$((results + 1))
			if [ "${line#not ok }" != "$line" ]; then
				rest=${line#not ok }
				rest=${rest#* }
				echo "not ok $n $name: $rest"
				case $rest in
				*"# SKIP"*|*"# TODO"*) ;;
				*) failed=$((failed + 1)) ;;
				esac
			else
				rest=${line#ok }
				rest=${rest#* }
				echo "ok $n $name: $rest"
			fi ;;
		*) echo "$line" ;;
		esac
	}
	# A line may be read in pieces while the program writes it.
	part=
	while :; do
		line=
		if IFS= read -r line <&3; then
			handle "$part$line"
			part=
			continue
		fi
		part=$part$line
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
	done
	wait $pid
	rc=$?
	while line= && IFS= read -r line <&3 || [ -n "$line" ]; do
		handle "$part$line"
		part=
	done
	[ -z "$part" ] || handle "$part"
	exec 3<&-
	rm -f "$out"
	if [ $rc = 124 ] || [ $rc = 137 ]; then
		n=$((n + 1))
		echo "not ok $n $name # timed out after ${per_prog_timeout}s"
		fail=1
	elif [ "$plan" -ge 0 ] && [ $results -lt "$plan" ]; then
		n=$((n + 1))
		echo "not ok $n $name # planned $plan results, got $results (rc=$rc)"
		fail=1
	elif [ $results = 0 ] && [ "$plan" != 0 ]; then
		n=$((n + 1))
		echo "not ok $n $name # no TAP results (rc=$rc)"
		fail=1
	elif [ $rc != 0 ] && [ $failed = 0 ]; then
		n=$((n + 1))
		echo "not ok $n $name # exited with status $rc"
		fail=1
	fi
	[ $failed = 0 ] || fail=1
done
echo "1..$n"
exit $fail
