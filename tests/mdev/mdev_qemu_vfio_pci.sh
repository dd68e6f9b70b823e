#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mdev_qemu_vfio_pci.sh - a vGPU as QEMU's "-device vfio-pci,sysfsdev=..."
#
# Creates a vGPU, starts QEMU (stopped, -S) with it assigned through
# vfio-pci and checks over QMP (query-pci) that QEMU realized the device: IDs,
# class, BARs of the right sizes; then quits and
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
# QMP on stdio: query-pci reports IDs, class and BAR sizes the same way
# in every QEMU (the monitor's "info pci" prints no size for an unmapped
# BAR since QEMU 8).
printf '%s\n' '{"execute": "qmp_capabilities"}' '{"execute": "query-pci"}' \
	'{"execute": "quit"}' |
	timeout 120 "$QEMU" -machine q35 -accel tcg -m 256 -nodefaults \
		-display none -S -qmp stdio \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$u" >"$out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "qemu realized vfio-pci and quit" || notok "qemu exited with $rc"
# dev_facts: one line per fact of the 7e55:0100 function, from query-pci.
dev_facts() {
	python3 - "$out" <<-'PY'
	import json, sys
	for line in open(sys.argv[1]):
	    try:
	        msg = json.loads(line)
	    except ValueError:
	        continue
	    for bus in msg.get("return", []) if isinstance(msg.get("return"), list) else []:
	        for d in bus.get("devices", []):
	            if (d["id"]["vendor"], d["id"]["device"]) != (0x7e55, 0x0100):
	                continue
	            print("id 7e55:0100")
	            print("class %04x" % d["class_info"]["class"])
	            print("subsystem %04x:%04x" % (d["id"].get("subsystem-vendor", 0),
	                                           d["id"].get("subsystem", 0)))
	            for b in d.get("regions", []):
	                print("bar%d %s%s%s %#x" % (b["bar"], b["type"],
	                      " 64" if b.get("mem_type_64") else "",
	                      " pref" if b.get("prefetch") else "", b["size"]))
	PY
}
facts=$(dev_facts)
printf '%s\n' "$facts" | sed 's/^/# /'
has() { printf '%s\n' "$facts" | grep -qx -- "$1"; }
has "id 7e55:0100" && ok "vendor:device 7e55:0100" || notok "vendor:device"
has "class 0302" && ok "class 0302 (3D controller)" || notok "class 0302"
has "subsystem 7e55:0102" && ok "subsystem names the 32m type" || notok "subsystem"
has "bar0 memory 0x400000" && ok "BAR0 32-bit 4 MiB" || notok "BAR0"
has "bar2 memory 64 pref 0x2000000" && ok "BAR2 64-bit prefetchable 32 MiB" || notok "BAR2"
has "bar4 memory 64 0x1000" && ok "BAR4 64-bit 4 KiB" || notok "BAR4"
warn=$(grep -v '^{' "$out" | grep -i -E "vfio|warning" || true)
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
