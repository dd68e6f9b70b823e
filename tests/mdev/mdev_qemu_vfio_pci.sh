#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mdev_qemu_vfio_pci.sh - a vGPU as QEMU's "-device vfio-pci,sysfsdev=..."
#
# Creates a vGPU, starts QEMU (stopped, -S) with it assigned through
# vfio-pci and checks with the monitor that QEMU realized the device: IDs,
# class, BARs of the right sizes and the MSI-X capability; then quits and
# removes the vGPU. Needs the tessera module loaded (run-mdev-tests.sh).
# Output: TAP.
set -u
QEMU=${QEMU_L2:-$(command -v qemu-system-x86_64)}
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
echo "TAP version 13"

if [ -z "$QEMU" ]; then
	echo "1..0 # SKIP no qemu-system-x86_64"
	exit 0
fi
parent=
for d in /sys/bus/pci/devices/*/mdev_supported_types; do
	[ -d "$d/tessera-8m" ] && parent=$d && break
done
[ -n "$parent" ] || { notok "no Tessera mdev parent"; echo "1..$n"; exit 1; }
u=$(cat /proc/sys/kernel/random/uuid)
if echo "$u" >"$parent/tessera-32m/create"; then ok "create 32m vGPU"; else notok "create"; echo "1..$n"; exit 1; fi

out=$(mktemp)
printf 'info pci\nquit\n' |
	timeout 120 "$QEMU" -machine q35 -accel tcg -m 256 -nodefaults \
		-display none -S -monitor stdio \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$u" >"$out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "qemu realized vfio-pci and quit" || notok "qemu exited with $rc"
sed -n '/7e55:0100/,/id ""/p' "$out" | sed 's/^/# /' 
grep -q "7e55:0100" "$out" && ok "vendor:device 7e55:0100" || notok "vendor:device"
grep -q "3D controller: PCI device 7e55:0100" "$out" && ok "class 0302 (3D controller)" || notok "class 0302"
grep -q "PCI subsystem 7e55:0102" "$out" && ok "subsystem names the 32m type" || notok "subsystem"
grep -q "BAR0: 32 bit memory at .* \[0x003ffffe\]" "$out" && ok "BAR0 32-bit 4 MiB" || notok "BAR0"
grep -q "BAR2: 64 bit prefetchable memory at .* \[0x01fffffe\]" "$out" && ok "BAR2 64-bit prefetchable 32 MiB" || notok "BAR2"
grep -q "BAR4: 64 bit memory at .* \[0x00000ffe\]" "$out" && ok "BAR4 64-bit 4 KiB" || notok "BAR4"
# vfio-pci warns when the device lacks what it expects of a PCI function
# (error recovery needs GET_IRQ_INFO(ERR).count 1, MSI-X a table-sized
# IRQ count, ...): a vGPU is to give it no cause.
warn=$(grep -i -E "vfio|warning" "$out" | grep -v -E "^\(qemu\)|Bus [0-9]|id \"" || true)
if [ -z "$warn" ]; then
	ok "no vfio warning from QEMU"
else
	notok "QEMU warned about the vGPU"
	printf '%s\n' "$warn" | sed 's/^/# /'
fi
rm -f "$out"
echo 1 >"/sys/bus/mdev/devices/$u/remove" && ok "remove vGPU" || notok "remove vGPU"
echo "1..$n"
exit $fail
