#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "make demo" script, run inside the L1 VM by scripts/demo.sh: load the
# driver on the Tessera GPU, run jobs through the native interface, carve
# the GPU into vGPUs and run jobs in two of them at once through VFIO.
set -u
repo=${TESSERA_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }

say "The GPU: our QEMU model tessera-gpu, a PCIe 3D controller"
run lspci -nn -d 7e55:
bdf=$(basename "$(grep -l 0x7e55 /sys/bus/pci/devices/*/vendor | head -n1 | xargs dirname)")

say "Load the driver (host mode)"
modprobe -a vfio vfio_iommu_type1 mdev || exit 1
run insmod "$repo/drivers/tessera/tessera.ko" || exit 1
dmesg | grep -i tessera | tail -n 8

say "Native interface: /dev/tessera0"
run "$repo/build/tools/tessera" info
run "$repo/build/tools/tessera" run-demo

say "vGPU types offered through mdev (sysfs)"
types=/sys/class/mdev_bus/$bdf/mdev_supported_types
for t in "$types"/*; do
	printf '%-20s %-18s available %-3s %s\n' "$(basename "$t")" \
		"$(cat "$t/name")" "$(cat "$t/available_instances")" \
		"$(tr '\n' ' ' <"$t/description")"
done

say "Create two vGPUs"
first=$(ls "$types" | head -n1)
uuids=""
for i in 1 2; do
	u=$(cat /proc/sys/kernel/random/uuid)
	run sh -c "echo $u > $types/$first/create" || exit 1
	uuids="$uuids $u"
done
echo "available_instances of $first now: $(cat "$types/$first/available_instances")"
run ls /sys/bus/mdev/devices/

say "Two tenants run jobs at the same time, each through its own vGPU (VFIO)"
pids=""
for u in $uuids; do
	"$repo/build/tests/e2e/e2e_client" "$u" 200 >"/tmp/client-$u.tap" 2>&1 &
	pids="$pids $!"
done
rc=0
for p in $pids; do wait "$p" || rc=1; done
for u in $uuids; do
	echo "vGPU $u: $(grep -c '^ok' "/tmp/client-$u.tap") ok," \
	     "$(grep -c '^not ok' "/tmp/client-$u.tap") not ok"
	tail -n 3 "/tmp/client-$u.tap"
done

say "Driver accounting (debugfs)"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
cat "/sys/kernel/debug/tessera/$bdf/accounting" 2>/dev/null
cat "/sys/kernel/debug/tessera/$bdf/engines" 2>/dev/null

say "Remove the vGPUs and unload"
for u in $uuids; do
	echo 1 >"/sys/bus/mdev/devices/$u/remove"
done
run rmmod tessera
say "Demo done"
exit $rc
