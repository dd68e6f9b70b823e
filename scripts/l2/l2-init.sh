#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# l2-init.sh - /init of the L2 guest of the end-to-end stage (a VM that
# runs inside the L1 test VM, with a vGPU passed through by libvirt).
# Runs as PID 1 under busybox sh; packed by scripts/l2/mkinitramfs-l2.sh.
#
# Kernel command line:
#   e2e_expect=VVVV:DDDD   PCI id of the vGPU (7e55:0100 for Tessera,
#                          4348:3253 for the mtty rehearsal)
#   e2e_suite=native|probe native: load tessera.ko in guest mode and run the
#                          native kselftests on the vGPU; probe: only check
#                          that the device is visible and bound
#   e2e_hotplug=0|1        after the cold-plug phase, wait for a vGPU to be
#                          hot-added, test it, then wait for its removal
#   e2e_wait=SECONDS       how long each wait for L1 lasts (default 600)
#
# Reports on the second serial port (/dev/ttyS1, a file in L1), one block
# per phase:
#   ### e2e-begin PHASE
#   <TAP>
#   ### e2e-end PHASE rc=N
# ("### e2e-running PHASE" when a phase starts) and, when waiting for L1,
# "### e2e-wait hotplug" / "### e2e-wait unplug".
# At the end it dumps the kernel log between "### e2e-dmesg-begin/end",
# prints "### e2e-done" and powers off. The console (ttyS0) has the kernel
# messages and a copy of everything.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin 2>/dev/null

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp

expect=7e55:0100 suite=native hotplug=0 wait=600
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	e2e_expect=*) expect=${arg#*=} ;;
	e2e_suite=*) suite=${arg#*=} ;;
	e2e_hotplug=*) hotplug=${arg#*=} ;;
	e2e_wait=*) wait=${arg#*=} ;;
	esac
done

# The report channel; falls back to the console if ttyS1 is missing.
rep=/dev/ttyS1
[ -c $rep ] && stty -F $rep raw -echo 115200 2>/dev/null || rep=/dev/console
report() { echo "$*" >$rep; echo "l2: $*"; }
# Send a file to the report channel line by line (and to the console).
report_file() { while IFS= read -r l; do report "$l"; done <"$1"; }

uptime_s() { cut -d' ' -f1 /proc/uptime; }
echo "l2: up after $(uptime_s)s, expect $expect, suite $suite, hotplug $hotplug"

# devices: print the sysfs paths of the PCI functions with the expected id.
devices() {
	for d in /sys/bus/pci/devices/*; do
		v=$(cat "$d/vendor") dev=$(cat "$d/device")
		[ "${v#0x}:${dev#0x}" = "$expect" ] && echo "$d"
	done
	return 0
}
count() { devices | wc -l; }

# run_phase PHASE: the TAP of one phase (cold or hotplug) into /tmp/PHASE.tap.
run_phase() {
	phase=$1 out=/tmp/$1.tap n=0 fail=0
	# t "ok"|"not ok" DESCRIPTION: one numbered TAP line.
	t() { n=$((n + 1)); echo "$1 $n - $2" >>"$out"; }
	{
		echo "TAP version 13"
		echo "# lspci -nn:"
		lspci -nn 2>&1 | sed 's/^/#   /'
	} >"$out"
	report "### e2e-running $phase"
	devs=$(devices)
	if [ -n "$devs" ]; then
		t ok "vGPU $expect is visible: $(echo "$devs" | xargs -n1 basename | tr '\n' ' ')"
	else
		t "not ok" "vGPU $expect is visible # not in lspci"
		fail=1
	fi
	case $suite in
	native)
		if [ -n "$devs" ]; then
			# The native suite loads tessera.ko itself (guest mode: the
			# device reports TESSERA_CAPS_VIRTUAL) and unloads it at the end.
			TESSERA_CLI=/tessera/tools/tessera \
				timeout -k 10 "$wait" bash /tessera/run-native-tests.sh \
				-d /tessera/native -k /tessera/tessera.ko -r 2 \
				>/tmp/native.out 2>&1
			rc=$?
			# Its TAP goes in as a subtest (indented), with one summary line.
			sed 's/^/    /' /tmp/native.out >>"$out"
			if [ $rc = 0 ]; then
				t ok "native kselftests on the vGPU (guest mode)"
			else
				t "not ok" "native kselftests on the vGPU (guest mode) # exit status $rc"
				fail=1
			fi
		fi
		;;
	probe)
		# Stand-in device (mtty): some guest driver must have bound it.
		for d in $devs; do
			if [ -e "$d/driver" ]; then
				t ok "$(basename "$d") bound to guest driver $(basename "$(readlink "$d/driver")")"
			else
				t "not ok" "$(basename "$d") bound to a guest driver # no driver"
				fail=1
			fi
		done
		;;
	esac
	echo "1..$n" >>"$out"
	report "### e2e-begin $phase"
	report_file "$out"
	report "### e2e-end $phase rc=$fail"
}

run_phase cold

if [ "$hotplug" = 1 ]; then
	before=$(count)
	report "### e2e-wait hotplug (have $before)"
	i=0
	while [ "$(count)" -le "$before" ] && [ $i -lt "$wait" ]; do
		sleep 1
		i=$((i + 1))
	done
	# Let the guest driver bind (pciehp adds the device, then probe).
	sleep 2
	echo "l2: hot-added device seen after ${i}s"
	run_phase hotplug
	report "### e2e-wait unplug (have $(count))"
	i=0
	while [ "$(count)" -gt "$before" ] && [ $i -lt "$wait" ]; do
		sleep 1
		i=$((i + 1))
	done
	report "### e2e-begin unplug"
	if [ "$(count)" -le "$before" ]; then
		report "ok 1 - hot-unplugged vGPU is gone from the guest after ${i}s"
		rc=0
	else
		report "not ok 1 - hot-unplugged vGPU is gone from the guest # still there after ${i}s"
		rc=1
	fi
	report "1..1"
	report "### e2e-end unplug rc=$rc"
fi

report "### e2e-dmesg-begin"
# Only to the report channel: the console has these lines already.
dmesg >$rep 2>&1
report "### e2e-dmesg-end"
report "### e2e-done uptime $(uptime_s)s"
sync
poweroff -f
echo o >/proc/sysrq-trigger
sleep 30
