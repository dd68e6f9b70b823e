#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rig_code_patching.sh - the VM rig itself: the guest kernel patches its
# own code while both vCPUs run it, and survives.
#
# Usage (inside the guest, as root): tests/vm/rig_code_patching.sh [TOGGLES]
#
# Enables and disables the sched_switch tracepoint TOGGLES times (default
# 100): each flip is a static key, i.e. text_poke_bp() on __schedule(),
# which both vCPUs are executing (a spinning and two sleeping loops keep
# them switching). Under QEMU 7.2's multi-threaded TCG a vCPU executes a
# stale int3 of such a patch ("Oops: int3", 2 runs in 3 with 100 flips,
# also seen at boot and with the tessera tracepoints); scripts/vm-run.sh
# therefore runs the guest on single-threaded TCG
# (Documentation/dev/test-rig.rst). Prints TAP.
set -u
n=${1:-100}
t=/sys/kernel/tracing
ev=$t/events/sched/sched_switch/enable

echo "TAP version 13"
echo "1..2"
[ -w "$ev" ] || mount -t tracefs nodev $t 2>/dev/null
if [ ! -w "$ev" ]; then
	echo "not ok 1 - no $ev"
	echo "not ok 2 - # SKIP no tracefs"
	exit 1
fi
before=$(dmesg | grep -c 'Oops: int3')
(while :; do :; done) &
spin=$!
(while :; do sleep 0.001; done) &
s1=$!
(while :; do sleep 0.001; done) &
s2=$!
start=$(date +%s)
done=0
for _ in $(seq "$n"); do
	if ! echo 1 >"$ev" || ! echo 0 >"$ev"; then
		break
	fi
	done=$((done + 1))
done
kill $spin $s1 $s2 2>/dev/null
wait 2>/dev/null
rc=0
if [ "$done" = "$n" ]; then
	echo "ok 1 - sched_switch tracepoint flipped $n times under load in $(($(date +%s) - start))s"
else
	echo "not ok 1 - only $done of $n flips of the sched_switch tracepoint succeeded"
	rc=1
fi
after=$(dmesg | grep -c 'Oops: int3')
if [ "$after" = "$before" ]; then
	echo "ok 2 - no stale int3 executed (no \"Oops: int3\" in the kernel log)"
else
	echo "not ok 2 - $((after - before)) \"Oops: int3\" in the kernel log"
	rc=1
fi
exit $rc
