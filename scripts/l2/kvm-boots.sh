#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kvm-boots.sh - does KVM work in the L1 test VM? Boot the e2e stage's L2
# guest (its kernel and scripts/l2 initramfs, no vGPU, suite "probe") on
# KVM N times in a row and print TAP, one line per boot with its times.
# Runs inside L1 (scripts/vm-run.sh, with the L1 CPU of scripts/run-e2e.sh),
# as root:
#
#   scripts/vm-run.sh --cpu "$(scripts/run-e2e.sh --print-l1-cpu)" --mem 4G \
#       -- kvm-boots="$PWD/scripts/l2/kvm-boots.sh 5"
#
# Loads kvm_amd (or kvm_intel), checks /dev/kvm, then boots
# "qemu-system-x86_64 -accel kvm -cpu host,xsave=off" (Debian's QEMU, the
# CPU libvirt gives L2 in the e2e stage; XSAVE off: see e2e-libvirt.sh)
# with the L2 initramfs (E2E_L2_INITRD, default build/l2/initramfs.cpio).
# A boot passes when L2's /init reports, L2 powers itself off within
# E2E_WAIT seconds (default 600) and its console has no kernel splat.
# Consoles: $TESSERA_RESULTS/kvm-boots/boot-N.log.
set -eu

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$(dirname "$here")")
boots=${1:-5}
wait_s=${E2E_WAIT:-600}
initrd=${E2E_L2_INITRD:-$repo/build/l2/initramfs.cpio}
art=${TESSERA_RESULTS:-/tmp}/kvm-boots
kver=$(uname -r)
mkdir -p "$art"

echo "TAP version 13"
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; fail=1; }
finish() { echo "1..$n"; exit $fail; }

echo "# L1 CPU: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2-)," \
	"svm: $(grep -cw svm /proc/cpuinfo) cpus, npt: $(grep -cw npt /proc/cpuinfo) cpus"
modprobe kvm_amd 2>/dev/null || modprobe kvm_intel 2>/dev/null || true
dmesg | grep -E 'kvm|SVM|Nested' | sed 's/^/# dmesg: /' | tail -n 5
if [ -c /dev/kvm ]; then
	ok "/dev/kvm present ($(lsmod | awk '$1 ~ /^kvm_/ {print $1}' | tr '\n' ' '))"
else
	notok "/dev/kvm present # kvm_amd/kvm_intel did not load"
	finish
fi
[ -f "$initrd" ] || { notok "L2 initramfs $initrd # missing: scripts/l2/mkinitramfs-l2.sh"; finish; }

# since T0: seconds (one decimal) since the $EPOCHREALTIME value T0.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
# One boot, 1-based index $1: "TOTAL TO_INIT" seconds on stdout.
boot() {
	local con=$art/boot-$1.log rep=$art/boot-$1.rep t0 t_init='' pid
	: >"$con"
	: >"$rep"
	t0=$EPOCHREALTIME
	qemu-system-x86_64 -machine q35 -accel kvm -cpu host,xsave=off -smp 1 -m 512 \
		-nodefaults -display none -no-reboot \
		-kernel "/boot/vmlinuz-$kver" -initrd "$initrd" \
		-append "console=ttyS0,115200 loglevel=5 printk.time=1 panic=-1 e2e_suite=probe e2e_hotplug=0" \
		-serial "file:$con" -device virtio-serial-pci \
		-chardev "file,id=rep,path=$rep" -device virtconsole,chardev=rep &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if [ -z "$t_init" ] && grep -q '^### e2e-running cold' "$rep" 2>/dev/null; then
			t_init=$(since "$t0")
		fi
		if [ "$(since "$t0" | cut -d. -f1)" -gt "$wait_s" ]; then
			kill "$pid"
			break
		fi
		sleep 0.2
	done
	wait "$pid" || true
	echo "$(since "$t0") $t_init"
}

for i in $(seq "$boots"); do
	read -r total to_init <<<"$(boot "$i")"
	log=$art/boot-$i.log
	if [ -z "$to_init" ]; then
		notok "KVM boot $i: L2 /init never reported # after ${total}s, see kvm-boots/boot-$i.log"
	elif ! grep -q '^### e2e-done' "$art/boot-$i.rep"; then
		notok "KVM boot $i: /init after ${to_init}s, but L2 did not finish # see kvm-boots/boot-$i.log"
	elif ! "$repo/scripts/vm-run.sh" --scan-log "$log" >/dev/null 2>&1; then
		notok "KVM boot $i: kernel splat in L2's console # see kvm-boots/boot-$i.log"
	else
		ok "KVM boot $i: L2 /init after ${to_init}s, powered off after ${total}s"
	fi
done
finish
