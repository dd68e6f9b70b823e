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
#   e2e_suite=full|smoke|probe
#                          full (on KVM): the whole native suite
#                          (tests/native/run-native-tests.sh, e2e_reloads
#                          unload/reload rounds) and the scheduler suite
#                          (tests/sched: the tests of one context; those of
#                          several skip, a vGPU has one), each loading and
#                          unloading tessera.ko itself; then the smoke
#                          steps; native: the same as full;
#                          smoke (the TCG fallback): load tessera.ko (guest
#                          mode), check the vGPU binds, "tessera info" says
#                          virtual GPU, "tessera run-demo" and three
#                          native_cmds tests pass;
#                          both end with the fence check: of the fences the
#                          driver learnt of during the phase (debugfs
#                          tessera/*/fences, kept over the suites' unloads
#                          in /tmp/fences.log), at least 95% by interrupt,
#                          not by its timer passes (those a submission's
#                          pass found done on its way are reported, not
#                          judged);
#                          probe: only check that the device is visible
#                          and bound to some driver (the mtty stand-in)
#                          migrate: load tessera.ko, run "tessera soak"
#                          (checked jobs) for e2e_soak seconds while L1
#                          migrates the VM (scripts/e2e-migrate.sh), then
#                          the fence check
#   e2e_reloads=N          unload/reload rounds of the native suite (5)
#   e2e_soak=SECONDS       how long the migrate suite's workload runs (60)
#   e2e_linger=SECONDS     migrate suite: then report "### e2e-idle", stay
#                          idle that long (L1 migrates an idle vGPU), and
#                          run a 3 s workload more (0: not)
#   e2e_hotplug=0|1        after the cold-plug phase, wait for a vGPU to be
#                          hot-added, test it, then wait for its removal
#   e2e_wait=SECONDS       how long each wait for L1 lasts (default 600)
#
# Reports on a virtio console (/dev/hvc0; else the second serial port
# /dev/ttyS1; a file in L1), one block per phase:
#   ### e2e-begin PHASE
#   <TAP>
#   ### e2e-end PHASE rc=N
# ("### e2e-running PHASE" when a phase starts) and, when waiting for L1,
# "### e2e-wait hotplug" / "### e2e-wait unplug". Files for L1 to keep
# (the fence counters and /proc/interrupts lines of each phase) come as
#   ### e2e-file NAME
#   <lines>
#   ### e2e-file-end
# At the end it dumps the kernel log between "### e2e-dmesg-begin/end",
# prints "### e2e-done" and powers off. The console (ttyS0) has the kernel
# messages and a copy of the "###" lines.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
/bin/busybox --install -s /bin 2>/dev/null

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp

expect=7e55:0100 suite=smoke hotplug=0 wait=600 reloads=5 soak=60 linger=0
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	e2e_expect=*) expect=${arg#*=} ;;
	e2e_suite=*) suite=${arg#*=} ;;
	e2e_hotplug=*) hotplug=${arg#*=} ;;
	e2e_wait=*) wait=${arg#*=} ;;
	e2e_reloads=*) reloads=${arg#*=} ;;
	e2e_soak=*) soak=${arg#*=} ;;
	e2e_linger=*) linger=${arg#*=} ;;
	esac
done

# The report channel: the virtio console hvc0 (a file in L1); else the
# second serial port, else the console. Only its "###" lines are copied
# to the console: on KVM inside a TCG L1 every byte to the 16550 console
# is an exit to L1's QEMU (slow).
rep=
i=0
while [ $i -lt 10 ] && [ -z "$rep" ]; do
	if [ -c /dev/hvc0 ]; then
		rep=/dev/hvc0
	else
		sleep 0.5
		i=$((i + 1))
	fi
done
if [ -z "$rep" ]; then
	rep=/dev/ttyS1
	[ -c $rep ] && stty -F $rep raw -echo 115200 2>/dev/null || rep=/dev/console
fi
report() {
	echo "$*" >$rep
	case $* in "###"*) echo "l2: $*" ;; esac
}
# Send a file to the report channel line by line (and to the console).
report_file() { while IFS= read -r l; do report "$l"; done <"$1"; }
# report_blob NAME FILE: FILE for L1 to keep as NAME (in its results).
report_blob() {
	report "### e2e-file $1"
	[ ! -f "$2" ] || report_file "$2"
	report "### e2e-file-end"
}

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

# lspci_nn: "lspci -nn"-like listing from sysfs (no pciutils in here).
lspci_nn() {
	for d in /sys/bus/pci/devices/*; do
		c=$(cat "$d/class") v=$(cat "$d/vendor") dev=$(cat "$d/device")
		drv=
		[ -e "$d/driver" ] && drv=" driver $(basename "$(readlink "$d/driver")")"
		echo "${d##*/} [$(echo "$c" | cut -c3-6)]: [${v#0x}:${dev#0x}]$drv"
	done
}
# tessera_dev SYSFS: the /dev/tesseraN of a PCI function bound to tessera.
tessera_dev() {
	for c in "$1"/misc/tessera* "$1"/tessera/tessera*; do
		[ -e "$c/dev" ] || continue
		echo "/dev/${c##*/}"
		return 0
	done
	return 1
}
# wait_dev SYSFS: wait (up to 60 s) for the device node of SYSFS.
wait_dev() {
	i=0
	while [ $i -lt 60 ]; do
		node=$(tessera_dev "$1") && [ -c "$node" ] && { echo "$node"; return 0; }
		sleep 1
		i=$((i + 1))
	done
	return 1
}

# load_deps: insmod the modules tessera.ko needs (modules.list; none since
# the vGPU mediation, which L2 does not load, is tessera-vgpu.ko).
load_deps() {
	while read -r m; do
		name=$(echo "${m%.ko}" | tr - _)
		grep -q "^$name " /proc/modules || insmod "/tessera/$m" || return 1
	done </tessera/modules.list
}
# load_tessera: insmod tessera.ko and the modules it needs.
load_tessera() {
	load_deps && insmod /tessera/tessera.ko
}

# The suites' runners append the fence counters and interrupt lines here
# before each unload (tessera_rmmod in tests/lib/ksft-run.sh).
export TESSERA_FENCE_LOG=/tmp/fences.log
: >$TESSERA_FENCE_LOG

# fence_check: the fences of the phase, from the "total" lines in
# $TESSERA_FENCE_LOG (the suites' snapshots before each unload, and one of
# the device under test at the end of the phase). At least 95% must have
# completed by interrupt. Prints one line, "ok COUNTS" or "not ok COUNTS".
fence_check() {
	# A fence is counted by the kind of the driver's pass that first saw it
	# complete. "Other" passes are the client's own submissions finding
	# earlier fences done on the way: nobody waited for those. The share
	# that says whether interrupts reach the guest is that of the rest:
	# of the fences the driver had to learn about, how many it learnt by
	# interrupt rather than by its timer's polling (a timer pass that
	# finds the fence interrupt raised and not yet handled counts as by
	# interrupt: the driver's debugfs "fences" does so).
	# The scheduler suite's interrupt budget test masks the interrupts of
	# its storm on purpose: its counters are not judged.
	awk '/^# / { sched = /run-sched-tests/ }
	$1 == "total" && !sched { irq += $3; timer += $5; other += $7 }
	END {
		all = irq + timer + other
		learnt = irq + timer
		pct = learnt ? 100 * irq / learnt : 0
		msg = sprintf("%d of %d fences learnt by interrupt (%.1f%%), %d by timer passes; %d more first seen by a submission pass", irq, learnt, pct, timer, other)
		# Below 100 fences one completion noticed by a timer pass first
		# is already more than 1%: too few to judge (the smoke phase).
		if (learnt < 100)
			print "ok " msg " # SKIP too few fences to judge the share (want 100)"
		else if (irq >= 0.95 * learnt)
			print "ok " msg
		else
			print "not ok " msg " # want at least 95%"
	}' $TESSERA_FENCE_LOG
}

# check_fences: the phase's interrupt lines and fence counters (kept for
# L1), and one TAP line: fences complete by interrupt (fence_check).
check_fences() {
	# The tessera vectors of L2 (MSI-X through KVM irqfds, or
	# whatever the driver fell back to) and the fence counters.
	grep tessera /proc/interrupts >"/tmp/interrupts-$phase.txt"
	{
		echo "# phase $phase, $(basename "$dev") now:"
		cat "/sys/kernel/debug/tessera/$(basename "$dev")/fences"
		cat "/tmp/interrupts-$phase.txt"
	} >>$TESSERA_FENCE_LOG 2>/dev/null
	sed 's/^/# interrupts: /' "/tmp/interrupts-$phase.txt" >>"$out"
	fc=$(fence_check)
	case $fc in
	"ok "*) t ok "fences complete by interrupt: ${fc#ok }" ;;
	*) t "not ok" "fences complete by interrupt: ${fc#not ok }" ;;
	esac
	cp $TESSERA_FENCE_LOG "/tmp/fences-$phase.txt"
	: >$TESSERA_FENCE_LOG
}

# run_phase PHASE: the TAP of one phase (cold or hotplug) into /tmp/PHASE.tap.
run_phase() {
	phase=$1 out=/tmp/$1.tap n=0 fail=0
	report "### e2e-running $phase"
	# t "ok"|"not ok" DESCRIPTION: one numbered TAP line.
	t() { n=$((n + 1)); echo "$1 $n - $2" >>"$out"; [ "$1" = ok ] || fail=1; }
	# sub FILE: a program's output as an indented subtest.
	sub() { sed 's/^/    /' "$1" >>"$out"; }
	# run_suite NAME DESC RUNNER ARG...: a suite's runner (bash), its
	# TAP as a subtest, one line for it.
	run_suite() {
		name=$1 desc=$2
		shift 2
		# Each line also goes to the report channel as it comes
		# ("#> NAME: LINE"): when L2 dies in the middle, L1 knows where.
		: >"/tmp/$name.out"
		{
			TESSERA_CLI=/tessera/tools/tessera timeout -k 10 "$wait" bash "$@"
			echo $? >"/tmp/$name.rc"
		} 2>&1 | while IFS= read -r l; do
			echo "$l" >>"/tmp/$name.out"
			echo "#> $name: $l" >$rep
		done
		rc=$(cat "/tmp/$name.rc" 2>/dev/null || echo 255)
		sub "/tmp/$name.out"
		if [ $rc = 0 ]; then
			t ok "$desc"
		else
			t "not ok" "$desc # exit status $rc"
		fi
	}
	{
		echo "TAP version 13"
		echo "# PCI functions (uptime $(uptime_s)s):"
		lspci_nn | sed 's/^/#   /'
	} >"$out"
	devs=$(devices)
	if [ -n "$devs" ]; then
		t ok "vGPU $expect is visible: $(echo "$devs" | xargs -n1 basename | tr '\n' ' ')"
	else
		t "not ok" "vGPU $expect is visible # not on the PCI bus"
	fi
	# The function under test: the newest (hot-added) one.
	dev=$(echo "$devs" | tail -n 1)
	case $suite in
	smoke|native|full)
		[ -n "$dev" ] || { finish_phase; return; }
		if [ "$suite" != smoke ] && [ "$phase" = cold ]; then
			# The suites load and unload tessera.ko themselves.
			load_deps
			run_suite native "the whole native suite on the vGPU (guest mode)" \
				/tessera/tests/native/run-native-tests.sh \
				-d /tessera/native -k /tessera/tessera.ko -r "$reloads"
			run_suite sched "the scheduler suite on the vGPU (one context)" \
				/tessera/tests/sched/run-sched-tests.sh \
				-d /tessera/sched -k /tessera/tessera.ko
		fi
		# Load the driver (it stays loaded: the hot-added vGPU binds to
		# it, and the unplug removes a bound device).
		if grep -q '^tessera ' /proc/modules; then
			t ok "tessera.ko loaded"
		elif load_tessera >/tmp/insmod.out 2>&1; then
			t ok "insmod tessera.ko"
		else
			t "not ok" "insmod tessera.ko # $(tail -n 1 /tmp/insmod.out)"
		fi
		if node=$(wait_dev "$dev"); then
			t ok "$(basename "$dev") bound to tessera: $node"
		else
			t "not ok" "$(basename "$dev") bound to tessera # no /dev/tessera* for it"
			finish_phase
			return
		fi
		/tessera/tools/tessera -d "$node" info >/tmp/info.out 2>&1
		sed 's/^/# /' /tmp/info.out >>"$out"
		if grep -q 'virtual GPU' /tmp/info.out; then
			t ok "$node runs in guest mode (tessera info: virtual GPU)"
		else
			t "not ok" "$node runs in guest mode # tessera info does not say virtual GPU"
		fi
		if timeout -k 5 "$wait" /tessera/tools/tessera -d "$node" run-demo >/tmp/demo.out 2>&1; then
			t ok "tessera run-demo on $node: $(tail -n 1 /tmp/demo.out)"
		else
			sed 's/^/# /' /tmp/demo.out >>"$out"
			t "not ok" "tessera run-demo on $node # $(tail -n 1 /tmp/demo.out)"
		fi
		if [ "$suite" = smoke ] && [ -x /tessera/native/native_cmds ]; then
			TESSERA_DEV=$node timeout -k 5 "$wait" /tessera/native/native_cmds \
				-t info -t fill_copy_engines -t gart_user_memory >/tmp/cmds.out 2>&1
			rc=$?
			sub /tmp/cmds.out
			if [ $rc = 0 ]; then
				t ok "native_cmds (info, fill_copy_engines, gart_user_memory) on $node"
			else
				t "not ok" "native_cmds on $node # exit status $rc"
			fi
		fi
		check_fences
		;;
	migrate)
		# The workload a live migration moves (scripts/e2e-migrate.sh):
		# checked jobs for e2e_soak seconds while L1 moves this VM to
		# another QEMU process and vGPU.
		[ -n "$dev" ] || { finish_phase; return; }
		if load_tessera >/tmp/insmod.out 2>&1; then
			t ok "insmod tessera.ko"
		else
			t "not ok" "insmod tessera.ko # $(tail -n 1 /tmp/insmod.out)"
		fi
		if ! node=$(wait_dev "$dev"); then
			t "not ok" "$(basename "$dev") bound to tessera # no /dev/tessera* for it"
			finish_phase
			return
		fi
		t ok "$(basename "$dev") bound to tessera: $node"
		run_suite soak "tessera soak: checked jobs for ${soak}s, across the migration" \
			-c "exec /tessera/tools/tessera -d $node soak --seconds $soak"
		if [ "$linger" -gt 0 ]; then
			# Idle: L1 migrates while nothing runs, then more work.
			report "### e2e-idle for ${linger}s"
			sleep "$linger"
			run_suite soak2 "tessera soak after the idle time" \
				-c "exec /tessera/tools/tessera -d $node soak --seconds 3"
		fi
		check_fences
		;;
	probe)
		# Stand-in device (mtty): its config space and BARs must be
		# readable; a guest driver may or may not claim it.
		for d in $devs; do
			drv=none
			[ -e "$d/driver" ] && drv=$(basename "$(readlink "$d/driver")")
			if [ "$(head -c 4 "$d/config" | wc -c)" = 4 ] && grep -q -v '^0x0000000000000000 0x0000000000000000' "$d/resource"; then
				t ok "$(basename "$d") config space readable, BAR assigned (guest driver: $drv)"
			else
				t "not ok" "$(basename "$d") config space readable, BAR assigned"
			fi
		done
		;;
	esac
	finish_phase
}
finish_phase() {
	echo "1..$n" >>"$out"
	[ ! -f "/tmp/fences-$phase.txt" ] || report_blob "l2-fences-$phase.txt" "/tmp/fences-$phase.txt"
	[ ! -f "/tmp/interrupts-$phase.txt" ] ||
		report_blob "l2-interrupts-$phase.txt" "/tmp/interrupts-$phase.txt"
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
	rc=0
	if [ "$(count)" -le "$before" ]; then
		report "ok 1 - hot-unplugged vGPU is gone from the guest after ${i}s"
	else
		report "not ok 1 - hot-unplugged vGPU is gone from the guest # still there after ${i}s"
		rc=1
	fi
	if grep -q '^tessera ' /proc/modules; then
		if rmmod tessera 2>/tmp/rmmod.out; then
			report "ok 2 - rmmod tessera after the unplug"
		else
			report "not ok 2 - rmmod tessera after the unplug # $(cat /tmp/rmmod.out)"
			rc=1
		fi
		report "1..2"
	else
		report "1..1"
	fi
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
