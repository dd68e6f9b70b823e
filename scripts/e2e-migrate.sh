#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2e-migrate.sh - end-to-end live migration: an L2 guest moves, with its
# GPU work in flight, from one vGPU to another. Runs inside the L1 test VM
# (scripts/run-e2e.sh, after scripts/e2e-libvirt.sh), as root, with one
# Tessera GPU and KVM in L1. Prints TAP; exits non-zero if a step failed.
#
#   1. QEMU (bookworm-backports' 10.x: VFIO migration v2 needs >= 8.0): a
#      source QEMU boots L2 on vGPU A (-device vfio-pci,sysfsdev=...,
#      enable-migration=on: without device dirty logging QEMU's "auto"
#      adds a blocker, Documentation/dev/migration.rst); L2 runs "tessera
#      soak" (checked jobs, scripts/l2/l2-init.sh suite "migrate"); a
#      destination QEMU waits with -incoming defer on vGPU B, a second mdev
#      of the same type; return-path and switchover-ack on both sides, then
#      migrate-incoming and migrate over a unix socket. query-migrate's
#      downtime and vfio.transferred are recorded. The workload must go on
#      on B and finish with every result checked, interrupts by then coming
#      from B.
#   2. libvirt: the same L2 as a domain on vGPU A (the vfio-pci frontend's
#      enable-migration=on set by <qemu:override>), "virsh save" while the
#      workload runs, "virsh restore", and the workload finishes there.
#
# Artifacts in $TESSERA_RESULTS/migrate (or $E2E_MIG_ART under it):
# mig-{qemu-src,qemu-dst,virsh}-{console,report}.log, query-migrate.json
# and query-migrate-dst.json, qemu-*.log (QEMU's stderr with its trace),
# domain-mig.xml, steps.log. Environment: E2E_WAIT (per-wait timeout, s,
# 600), E2E_MIG_MEM (L2 MiB, 384), E2E_MIG_SOAK (seconds of workload in the
# QEMU run, 60; the libvirt run takes half), E2E_MIG_LOAD (busy: the QEMU
# run migrates while the workload runs; idle: after it ended, L2 idle,
# then 3 s more of it on B; bench/migrate-bench.sh runs both),
# E2E_MIG_TYPE (vGPU type,
# tessera-32m: of the 8m type's one context the guest kernel keeps none
# for a client), E2E_L2_INITRD (default: build it), E2E_MIG_QEMU and
# E2E_MIG_LIBVIRT (1: run that part).
#
# Functions called only through step/wait_for look unreachable to it:
# shellcheck disable=SC2317
set -eu

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$here")
kver=$(uname -r)
wait_s=${E2E_WAIT:-600}
mem=${E2E_MIG_MEM:-384}
soak=${E2E_MIG_SOAK:-60}
mtype=${E2E_MIG_TYPE:-tessera-32m}
load=${E2E_MIG_LOAD:-busy}
case $load in
busy) linger=0 ;;
# The workload ends first; L2 waits (its vGPU idle) for the migration,
# then runs a short one more on the destination.
idle) soak=3 linger=40 ;;
*) echo "e2e-migrate: E2E_MIG_LOAD=$load: want busy or idle" >&2; exit 2 ;;
esac
results=${TESSERA_RESULTS:-/tmp/e2e-results}
art=$results/${E2E_MIG_ART:-migrate}
work=/tmp/e2e-migrate
dom=tessera-mig
qemu=/usr/bin/qemu-system-x86_64
export LIBVIRT_DEFAULT_URI=qemu:///system
mkdir -p "$art" "$work"
rm -f "$art"/*
log=$art/steps.log
: >"$log"
# shellcheck source=scripts/e2e-common.sh
. "$here/e2e-common.sh"

uuids=()
finish() {
	local u
	trap - EXIT
	for f in src dst; do
		[ ! -f "$work/$f.pid" ] || kill "$(cat "$work/$f.pid")" 2>/dev/null || true
	done
	if virsh domstate "$dom" 2>/dev/null | grep -q running; then
		virsh destroy "$dom" >>"$log" 2>&1 || true
	fi
	virsh undefine "$dom" >>"$log" 2>&1 || true
	sleep 1
	for u in "${uuids[@]}"; do
		[ ! -e "/sys/bus/mdev/devices/$u" ] ||
			echo 1 >"/sys/bus/mdev/devices/$u/remove" 2>>"$log" || true
	done
	cp "$work"/*.xml "$work"/*.json "$art/" 2>/dev/null || true
	cp "/var/log/libvirt/qemu/$dom.log" "$art/qemu-virsh.log" 2>/dev/null || true
	# The driver's side of a failed migration (e.g. "stream abandoned").
	dmesg | grep -i -E "tessera|vfio" >"$art/dmesg-tessera.log" 2>/dev/null || true
	echo "1..$n"
	diag "e2e-migrate took $(($(date +%s) - t0))s; artifacts in $art"
	exit $fail
}
bail() { notok "$*"; finish; }
trap 'notok "e2e-migrate.sh stopped unexpectedly (line $LINENO, status $?)"; finish' EXIT

# ---- the host side ---------------------------------------------------------
for m in vfio vfio_iommu_type1 mdev; do
	modprobe "$m" >>"$log" 2>&1 || true
done
lsmod | grep -q '^tessera ' ||
	step "insmod tessera.ko" insmod "$repo/drivers/tessera/tessera.ko" || true
lsmod | grep -q '^tessera_vgpu ' ||
	step "insmod tessera-vgpu.ko" insmod "$repo/drivers/tessera/tessera-vgpu.ko" || true
kvm_setup >>"$log" 2>&1 || diag "could not hold KVM VMs (kvm_hold): static-key flips stay"
[ -c /dev/kvm ] || bail "KVM in L1 # no /dev/kvm: live migration of L2 is tested on KVM only"
qver=$("$qemu" --version | sed -n '1s/^QEMU emulator version \([0-9.]*\).*/\1/p')
if [ "$(printf '%s\n8.0\n' "$qver" | sort -V | head -n 1)" != 8.0 ]; then
	bail "QEMU >= 8.0 for VFIO migration v2 # $qemu is $qver (scripts/setup-host.sh installs qemu-system-x86/bookworm-backports)"
fi
ok "QEMU $qver, KVM in L1"
types_dir=
for d in /sys/class/mdev_bus/*/mdev_supported_types/"$mtype"; do
	[ -d "$d" ] && types_dir=$d && break
done
[ -n "$types_dir" ] || bail "vGPU type $mtype offered # not under /sys/class/mdev_bus"
desc=$(cat "$types_dir/description" 2>/dev/null || true)
case $desc in
*migration=v1*) ok "type $mtype states its stream version: $desc" ;;
*) bail "type $mtype states migration=v1 # description: $desc" ;;
esac
# new_vgpu: create one of the type; its UUID in $u.
new_vgpu() {
	u=$(cat /proc/sys/kernel/random/uuid)
	echo "$u" >"$types_dir/create" 2>>"$log" || return 1
	uuids+=("$u")
}
if ! { new_vgpu && ua=$u && new_vgpu && ub=$u; }; then
	bail "two vGPUs of type $mtype created # $(tail -n 1 "$log")"
fi
ok "vGPU A $ua (source) and B $ub (destination), type $mtype"
l2_initrd
# cmdline SOAK [LINGER]: L2's kernel command line.
cmdline() {
	echo "console=ttyS0,115200 loglevel=5 printk.time=1 panic=-1 e2e_expect=7e55:0100 e2e_suite=migrate e2e_soak=$1 e2e_linger=${2:-0} e2e_wait=$wait_s"
}

# ---- helpers over one L2's report channel ---------------------------------
# rep_has FILE... PATTERN: the report files have a line matching PATTERN.
rep_has() {
	local pat=${*: -1}
	cat "${@:1:$#-1}" 2>/dev/null | tr -d '\r' | grep -q -- "$pat"
}
# soak_lines FILE...: how many progress lines of the workload they hold.
soak_lines() {
	cat "$@" 2>/dev/null | tr -d '\r' | grep -c '^#> soak2\{0,1\}: soak: [0-9]* s, ' || true
}
# alive PID-FILE: that QEMU still runs.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# until_soaking PIDFILE FILE: the workload has reported 3 progress lines
# (0), not yet (1), or that QEMU is gone (2).
until_soaking() {
	if [ "$load" = idle ]; then
		rep_has "$2" '^### e2e-idle' && return 0
	elif [ "$(soak_lines "$2")" -ge 3 ]; then
		return 0
	fi
	alive "$1" && return 1
	return 2
}
# l2_result FILE...: L2's phase TAP from the report files, and whether it
# passed: "### e2e-end cold rc=0".
l2_result() {
	cat "$@" | tr -d '\r' | sed -n '/^### e2e-begin cold$/,/^### e2e-end cold /p' |
		sed '1d;$d' | sed 's/^/    /'
	rep_has "$@" '^### e2e-end cold rc=0'
}
# no_splat CONSOLE...: no kernel splat in those L2 consoles.
no_splat() {
	local f
	for f in "$@"; do
		"$here/vm-run.sh" --scan-log "$f" || return 1
	done
}

# ---- 1. QEMU to QEMU ---------------------------------------------------------
# qemu_l2 NAME UUID EXTRA...: start an L2 QEMU in the background; its
# console, report channel and stderr go to files, its monitor to
# $work/NAME.qmp. Source and destination differ only in these. Not
# -daemonize: that sends stderr to /dev/null once QEMU runs, and with it
# the migration's error messages. Its stderr has time-stamped messages
# and the trace of the vGPU's migration states and resets.
# CPU: no XSAVE (L1's TCG does not intercept XSETBV) and no SVM: L2 runs no
# guest of its own, and with SVM in its CPUID QEMU migrates the vCPU's
# nested state, which L1's KVM (on TCG's emulated SVM) now and then
# refuses on the destination ("Failed to set nested state: Invalid
# argument"): the destination QEMU exits and the source's migration fails
# with a channel error, however the vGPU fared.
qemu_l2() {
	local name=$1 uuid=$2 pid _
	shift 2
	: >"$art/mig-qemu-$name-console.log"
	: >"$art/mig-qemu-$name-report.log"
	rm -f "$work/$name.qmp" "$work/$name.pid"
	"$qemu" -name "l2-$name" -machine q35 -accel kvm -cpu host,xsave=off,svm=off \
		-smp 1 -m "$mem" -nodefaults -no-user-config -display none \
		-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
		-append "$(cmdline "$soak" "$linger")" \
		-serial "file:$art/mig-qemu-$name-console.log" \
		-device virtio-serial-pci,id=vser0,bus=pcie.0,addr=0x3 \
		-chardev "file,id=rep,path=$art/mig-qemu-$name-report.log" \
		-device virtconsole,chardev=rep,id=con0 \
		-device pcie-root-port,id=rp1,chassis=1,bus=pcie.0,addr=0x4 \
		-device "vfio-pci,id=gpu0,bus=rp1,sysfsdev=/sys/bus/mdev/devices/$uuid,enable-migration=on" \
		-qmp "unix:$work/$name.qmp,server=on,wait=off" \
		-pidfile "$work/$name.pid" -msg timestamp=on \
		-trace 'vfio_migration_set_*' -trace vfio_migration_state_notifier \
		-trace 'vfio_pci_reset*' -trace vfio_save_setup \
		-trace vfio_save_cleanup -trace vfio_load_cleanup "$@" \
		</dev/null >>"$art/qemu-$name.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 120); do
		[ -S "$work/$name.qmp" ] && [ -s "$work/$name.pid" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	echo "QEMU ($name) did not come up: $(tail -n 3 "$art/qemu-$name.log")"
	return 1
}
qmp() { python3 "$here/l2/qmp.py" "$@"; }
# QEMU switches over when what is pending fits bandwidth x downtime-limit.
# It measures the bandwidth from what each pass sent: with little RAM
# dirty (an idle guest, or one paused for "virsh save") next to nothing,
# and the vGPU's stop-copy data (its partition, unless pre-copy sent it)
# then never fits: "virsh save" of a paused L2 ran 279016 passes in 300 s
# without switching over. So the switchover is given the bandwidth L1 has
# (avail-switchover-bandwidth, 1 GiB/s) and, as L1 runs under TCG, a
# longer stop than the default 300 ms; the downtime that happened is what
# query-migrate reports.
mig_params='{"downtime-limit": 5000, "max-bandwidth": 1073741824, "avail-switchover-bandwidth": 1073741824}'
caps='{"capabilities": [{"capability": "return-path", "state": true}, {"capability": "switchover-ack", "state": true}]}'
# migrated: the source's migration finished (0), goes on (1), failed (2).
migrated() {
	local st
	st=$(qmp "$work/src.qmp" query-migrate 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("status", "none"))') ||
		return 1
	case $st in
	completed) return 0 ;;
	failed|cancelled) echo "migration $st"; return 2 ;;
	*) return 1 ;;
	esac
}

# qemu_part: part 1, QEMU to QEMU.
qemu_part() {
	s=$(date +%s)
	step "source QEMU started: L2 on vGPU A" qemu_l2 src "$ua" || bail "source QEMU"
	if wait_for "$wait_s" until_soaking "$work/src.pid" "$art/mig-qemu-src-report.log"; then
		ok "L2 booted on vGPU A and its workload ran ($load: $(soak_lines "$art/mig-qemu-src-report.log") progress lines after $(($(date +%s) - s))s)"
	else
		tail -n 5 "$art/mig-qemu-src-console.log" | sed 's/^/# L2: /'
		bail "L2 booted on vGPU A and its workload runs # see mig-qemu-src-console.log"
	fi
	step "destination QEMU started: -incoming defer on vGPU B" qemu_l2 dst "$ub" -incoming defer ||
		bail "destination QEMU"
	step "return-path and switchover-ack on both sides" \
		sh -c "python3 '$here/l2/qmp.py' '$work/src.qmp' migrate-set-capabilities '$caps' &&
		       python3 '$here/l2/qmp.py' '$work/dst.qmp' migrate-set-capabilities '$caps'" ||
		bail "migration capabilities"
	step "migration parameters: $mig_params" \
		qmp "$work/src.qmp" migrate-set-parameters "$mig_params" || true
	step "destination: migrate-incoming unix:$work/mig.sock" \
		qmp "$work/dst.qmp" migrate-incoming "{\"uri\": \"unix:$work/mig.sock\"}" ||
		bail "migrate-incoming"
	soak_before=$(soak_lines "$art/mig-qemu-src-report.log")
	s=$(date +%s)
	step "source: migrate unix:$work/mig.sock" \
		qmp "$work/src.qmp" migrate "{\"uri\": \"unix:$work/mig.sock\"}" ||
		bail "migrate"
	if wait_for "$wait_s" migrated; then
		qmp "$work/src.qmp" query-migrate >"$work/query-migrate.json"
		summary=$(python3 - "$work/query-migrate.json" <<-'PY'
		import json, sys
		m = json.load(open(sys.argv[1]))
		v = m.get("vfio", {})
		r = m.get("ram", {})
		print("downtime %s ms, total %s ms, setup %s ms, vfio.transferred %s bytes, ram.transferred %s bytes" % (
		    m.get("downtime"), m.get("total-time"), m.get("setup-time"),
		    v.get("transferred"), r.get("transferred")))
		PY
		)
		ok "migration completed after $(($(date +%s) - s))s: $summary"
		vfio_bytes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("vfio", {}).get("transferred", 0))' "$work/query-migrate.json")
		if [ "${vfio_bytes:-0}" -gt $((1 << 20)) ]; then
			ok "the vGPU's state went with it (vfio.transferred $vfio_bytes bytes)"
		else
			notok "the vGPU's state went with it # vfio.transferred ${vfio_bytes:-none}"
		fi
		# What the vGPU itself sent, before and in STOP_COPY.
		sent=$(cat "/sys/bus/mdev/devices/$ua/tessera/migration_bytes" 2>/dev/null || true)
		part=$(cat "/sys/bus/mdev/devices/$ua/tessera/vram_size" 2>/dev/null || echo 0)
		read -r _ pre _ stop <<<"$sent" || true
		if [ -n "${stop:-}" ] && [ "$stop" -gt 0 ]; then
			ok "vGPU A sent $pre bytes in pre-copy, $stop in STOP_COPY (partition $part)"
			python3 - "$work/query-migrate.json" "$part" "$pre" "$stop" <<-'PY'
			import json, sys
			m = json.load(open(sys.argv[1]))
			print("# bench: %s %s %s %s %s" % (sys.argv[2], m.get("downtime"),
			      m.get("total-time"), sys.argv[3], sys.argv[4]))
			PY
		else
			notok "vGPU A's migration_bytes # '$sent'"
		fi
	else
		qmp "$work/src.qmp" query-migrate >"$work/query-migrate.json" 2>&1 || true
		notok "migration completed # $(head -c 300 "$work/query-migrate.json")"
	fi
	qmp "$work/dst.qmp" query-migrate >"$work/query-migrate-dst.json" 2>&1 || true
	dst_status=$(qmp "$work/dst.qmp" query-status 2>/dev/null || true)
	case $dst_status in
	*'"running": true'*) ok "destination runs: $dst_status" ;;
	*) notok "destination runs # query-status: $dst_status" ;;
	esac
	qmp "$work/src.qmp" quit >/dev/null 2>&1 || true
	# dst_done: L2 on B finished its phase (0), goes on (1), is gone (2).
	dst_done() {
		rep_has "$art/mig-qemu-dst-report.log" '^### e2e-done' && return 0
		alive "$work/dst.pid" && return 1
		rep_has "$art/mig-qemu-dst-report.log" '^### e2e-done' && return 0
		return 2
	}
	if wait_for "$wait_s" dst_done; then
		ok "L2 finished on vGPU B"
	else
		tail -n 5 "$art/mig-qemu-dst-console.log" | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //; s/^/# L2: /'
		notok "L2 finished on vGPU B # see mig-qemu-dst-console.log"
	fi
	soak_after=$(soak_lines "$art/mig-qemu-dst-report.log")
	want_after=3
	[ "$load" = busy ] || want_after=1
	if [ "$soak_before" -ge 1 ] && [ "$soak_after" -ge "$want_after" ]; then
		ok "the workload ran on A ($soak_before progress lines before migrate) and went on on B ($soak_after after)"
	else
		notok "the workload ran on A and went on on B # $soak_before lines on A, $soak_after on B"
	fi
	last=$(tr -d '\r' <"$art/mig-qemu-dst-report.log" | grep -m 1 '^#> soak: soak: .* all checked' | sed 's/^#> soak: //' || true)
	if res=$(l2_result "$art/mig-qemu-src-report.log" "$art/mig-qemu-dst-report.log"); then
		echo "$res"
		ok "L2's checked jobs and its fence check passed across the migration: $last"
	else
		echo "$res"
		notok "L2's checked jobs and its fence check passed across the migration # see the subtest"
	fi
	step "no kernel splat in L2's logs (source and destination)" \
		no_splat "$art/mig-qemu-src-console.log" "$art/mig-qemu-dst-console.log" || true
}
if [ "${E2E_MIG_QEMU:-1}" = 1 ]; then
	qemu_part
else
	skip "QEMU to QEMU" "E2E_MIG_QEMU=${E2E_MIG_QEMU}"
fi

# ---- 2. libvirt: virsh save, virsh restore ------------------------------------
if [ "${E2E_MIG_LIBVIRT:-1}" != 1 ]; then
	skip "virsh save and restore" "E2E_MIG_LIBVIRT=${E2E_MIG_LIBVIRT}"
	finish
fi
if ! virsh -q version >/dev/null 2>&1; then
	step "virtlogd and libvirtd started" start_libvirt || bail "libvirt"
fi
vcon=$art/mig-virsh-console.log
vrep=$art/mig-virsh-report.log
: >"$vcon"
: >"$vrep"
# append='on': QEMU reopens the files on restore.
cat >"$work/domain-mig.xml" <<EOF
<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>$dom</name>
  <memory unit='MiB'>$mem</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    <kernel>/boot/vmlinuz-$kver</kernel>
    <initrd>$initrd</initrd>
    <cmdline>$(cmdline $((soak / 2)))</cmdline>
  </os>
  <features><acpi/></features>
  <cpu mode='host-passthrough' check='none'><feature policy='disable' name='xsave'/><feature policy='disable' name='svm'/></cpu>
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>$qemu</emulator>
    <controller type='usb' model='none'/>
    <serial type='file'>
      <source path='$vcon' append='on'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='$vrep' append='on'/>
      <target type='virtio' port='0'/>
    </console>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source>
        <address uuid='$ua'/>
      </source>
      <alias name='ua-gpu'/>
    </hostdev>
    <memballoon model='none'/>
  </devices>
  <qemu:override>
    <qemu:device alias='ua-gpu'>
      <qemu:frontend>
        <qemu:property name='enable-migration' type='string' value='on'/>
      </qemu:frontend>
    </qemu:device>
  </qemu:override>
</domain>
EOF
# vm_running: the domain runs (0), not yet (1).
vm_running() { virsh domstate "$dom" 2>/dev/null | grep -q running; }
until_soaking_virsh() {
	[ "$(soak_lines "$vrep")" -ge 3 ] && return 0
	vm_running && return 1
	return 2
}
virsh_done() {
	rep_has "$vrep" '^### e2e-done' && return 0
	vm_running && return 1
	rep_has "$vrep" '^### e2e-done' && return 0
	return 2
}
step "virsh define domain-mig.xml (vGPU A, enable-migration=on)" \
	virsh define "$work/domain-mig.xml" || bail "domain defined"
step "virsh start $dom" virsh start "$dom" || bail "domain started"
if ! wait_for "$wait_s" until_soaking_virsh; then
	bail "L2 (libvirt) booted and its workload runs # see mig-virsh-console.log"
fi
ok "L2 (libvirt) booted on vGPU A and its workload runs"
before=$(soak_lines "$vrep")
s=$(date +%s)
# virsh_diag: what libvirt and QEMU say when a save or restore fails.
virsh_diag() {
	virsh domjobinfo "$dom" 2>&1 | sed 's/^/# domjobinfo: /'
	virsh domstate --reason "$dom" 2>&1 | sed 's/^/# domstate: /'
	tail -n 8 "/var/log/libvirt/qemu/$dom.log" 2>/dev/null | sed 's/^/# qemu: /'
	grep -i 'error' /var/log/libvirt/libvirtd.log 2>/dev/null | tail -n 5 |
		sed 's/^/# libvirtd: /'
}
# libvirt has no knob for these in a save: the monitor, as for QEMU above.
step "migration parameters through virsh qemu-monitor-command" \
	virsh qemu-monitor-command "$dom" \
	"{\"execute\": \"migrate-set-parameters\", \"arguments\": $mig_params}" || true
if ! step "virsh save $dom (QEMU asked for blockers: none)" \
	timeout 300 virsh save "$dom" "$work/mig.save"; then
	virsh_diag
	bail "virsh save"
fi
ok "saved in $(($(date +%s) - s))s: $(du -h "$work/mig.save" | cut -f1) (the vGPU's partition and state inside)"
s=$(date +%s)
if ! step "virsh restore" timeout 300 virsh restore "$work/mig.save"; then
	virsh_diag
	bail "virsh restore"
fi
ok "restored in $(($(date +%s) - s))s"
if wait_for "$wait_s" virsh_done; then
	ok "L2 finished after the restore"
else
	notok "L2 finished after the restore # see mig-virsh-console.log"
fi
after=$(($(soak_lines "$vrep") - before))
if [ "$before" -ge 3 ] && [ "$after" -ge 2 ]; then
	ok "the workload ran before the save ($before progress lines) and went on after the restore ($after)"
else
	notok "the workload ran before the save and went on after the restore # $before before, $after after"
fi
last=$(tr -d '\r' <"$vrep" | grep -m 1 '^#> soak: soak: .* all checked' | sed 's/^#> soak: //' || true)
if res=$(l2_result "$vrep"); then
	echo "$res"
	ok "L2's checked jobs and its fence check passed across save and restore: $last"
else
	echo "$res"
	notok "L2's checked jobs and its fence check passed across save and restore # see the subtest"
fi
step "no kernel splat in L2's log (libvirt)" no_splat "$vcon" || true
finish
