#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The "make demo" script, run inside the L1 VM by scripts/demo.sh: load the
# driver on the Tessera GPU, run jobs through the native interface, carve
# the GPU into vGPUs with the tessera tool and run jobs in two of them at
# once through VFIO while tessera status shows the GPU; then a libvirt VM
# on a vGPU (scripts/demo-vm.sh).
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
run insmod "$repo/drivers/tessera/tessera-vgpu.ko" || exit 1
dmesg | grep -i tessera | tail -n 8

say "Native interface: /dev/tessera0"
run "$repo/build/tools/tessera" info
run "$repo/build/tools/tessera" run-demo

T=$repo/build/tools/tessera
say "vGPU types offered through mdev: tessera types"
run "$T" types

say "Create two vGPUs: tessera create"
uuids=""
for t in 8m 32m; do
	echo "\$ $T create $t"
	u=$("$T" create "$t") || exit 1
	echo "$u"
	uuids="$uuids $u"
done

say "Two tenants run jobs at the same time, each through its own vGPU (VFIO)"
pids=""
for u in $uuids; do
	"$repo/build/tests/e2e/e2e_client" "$u" 400 >"/tmp/client-$u.tap" 2>&1 &
	pids="$pids $!"
done
sleep 2
say "What the administrator sees meanwhile: tessera status"
run "$T" status -i 1
run "$T" sched
rc=0
for p in $pids; do wait "$p" || rc=1; done
for u in $uuids; do
	echo "vGPU $u: $(grep -c '^ok' "/tmp/client-$u.tap") ok," \
	     "$(grep -c '^not ok' "/tmp/client-$u.tap") not ok"
	tail -n 3 "/tmp/client-$u.tap"
done

# The mission's main job: a VM on a vGPU (scripts/demo-vm.sh).
vm_rc=0
"$repo/scripts/demo-vm.sh" || vm_rc=1

say "Driver accounting (debugfs)"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
cat "/sys/kernel/debug/tessera/$bdf/accounting" 2>/dev/null
cat "/sys/kernel/debug/tessera/$bdf/engines" 2>/dev/null
echo "(A fault and a reset on engine 0 are the VM's: its native_cmds test"
echo " checks that a job touching an unmapped GART page faults, and the vGPU"
echo " is reset when QEMU opens it. Each stays with the tenant that caused it.)"

say "Remove the vGPUs and unload"
for u in $uuids; do
	run "$T" remove "$u"
done
run rmmod tessera_vgpu tessera
say "Demo done"
cat <<EOF
What you saw: tessera.ko bound the Tessera GPU (our QEMU model) and ran
jobs through its native interface; tessera-vgpu.ko offered vGPU types on it
through VFIO mdev, two vGPUs were created, and two tenants ran jobs on them
at the same time through VFIO, time-sliced by the driver's scheduler, while
tessera status showed the engines' utilisation and each vGPU's share. Then
libvirt booted a VM (KVM inside this VM) with a vGPU as its hostdev: inside
it the same driver ran in guest mode, tessera info described the vGPU and
its jobs ran, while another tenant worked on a second vGPU from the host.
Result: $([ $rc = 0 ] && echo "all jobs correct" || echo "SOME JOBS FAILED")$([ $vm_rc = 0 ] && echo "; the VM part passed" || echo "; THE VM PART FAILED").
EOF
[ $vm_rc = 0 ] || rc=1
exit $rc
