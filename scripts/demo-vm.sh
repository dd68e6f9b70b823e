#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM part of "make demo", run inside the L1 VM by scripts/demo-guest.sh
# (tessera.ko and tessera-vgpu.ko loaded): libvirt boots a small VM with a
# vGPU as <hostdev type='mdev'>; inside it the same driver runs in guest
# mode, "tessera info" describes the vGPU and a job runs, while a second
# tenant works on another vGPU from L1 and "tessera status" shows both.
# L2 runs on KVM inside L1 (L1's emulated AMD SVM); without /dev/kvm the
# part is skipped. Uses the end-to-end stage's pieces: scripts/e2e-common.sh
# (libvirt in a systemd-less L1, kvm_hold) and the L2 initramfs of
# scripts/l2 ($E2E_L2_INITRD, built on the host by scripts/demo.sh).
# Exit status: 0 if the VM's steps and the tenant's jobs all passed.
set -u
here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$here")
T=$repo/build/tools/tessera
work=/tmp/demo-vm
log=$work/steps.log
dom=tessera-demo
export LIBVIRT_DEFAULT_URI=qemu:///system
mkdir -p "$work"
: >"$log"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@"; }
bail() { echo "demo-vm: $*" >&2; exit 1; }
# start_libvirt, kvm_hold, l2_initrd, wait_for (its TAP header unwanted).
# shellcheck source=scripts/e2e-common.sh
. "$here/e2e-common.sh" >/dev/null

say "A VM on a vGPU: libvirt, KVM inside this VM, the vGPU as a hostdev"
kvm_setup || echo "(could not hold KVM VMs: kvm_hold)"
# The guest kernel's writes to AMD MSRs that KVM ignores are not news.
echo N >/sys/module/kvm/parameters/report_ignored_msrs 2>/dev/null
if [ ! -c /dev/kvm ]; then
	echo "No /dev/kvm here (L1's CPU has no SVM/VMX): the VM part is skipped."
	exit 0
fi
echo "starting virtlogd and libvirtd (libvirt probes QEMU first: 20 s here, longer on a loaded machine)"
start_libvirt >>"$log" 2>&1 || bail "libvirt did not start (see $log)"
run virsh -q version
l2_initrd
u_vm=$("$T" create 32m) || bail "no room for a 32m vGPU"
u_other=$("$T" create 8m) || bail "no room for an 8m vGPU"
echo "vGPU for the VM: $u_vm (tessera-32m); for the second tenant: $u_other (tessera-8m)"

con=$work/console.log rep=$work/report.log
: >"$con"
: >"$rep"
rom=${TESSERA_CACHE:-/var/cache/tessera}/seabios-bookworm/bios-256k.bin
loader=
[ ! -f "$rom" ] || loader="<loader type='rom'>$rom</loader>"
# The e2e stage's L2 (scripts/e2e-libvirt.sh): direct kernel boot of this
# kernel with the scripts/l2 initramfs ("smoke": load tessera.ko in guest
# mode, tessera info, tessera run-demo, three native tests), console on a
# serial port, report on a virtio console; no XSAVE (L1's TCG does not
# intercept XSETBV).
cat >"$work/domain.xml" <<EOF
<domain type='kvm'>
  <name>$dom</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='q35'>hvm</type>
    $loader
    <kernel>/boot/vmlinuz-$(uname -r)</kernel>
    <initrd>$initrd</initrd>
    <cmdline>console=ttyS0,115200 loglevel=5 panic=-1 e2e_expect=7e55:0100 e2e_suite=smoke e2e_wait=600</cmdline>
  </os>
  <features><acpi/></features>
  <cpu mode='host-passthrough' check='none'><feature policy='disable' name='xsave'/></cpu>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <serial type='file'><source path='$con'/><target port='0'/></serial>
    <console type='file'><source path='$rep'/><target type='virtio' port='0'/></console>
    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>
      <source><address uuid='$u_vm'/></source>
    </hostdev>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
echo "The hostdev element of the domain XML:"
sed -n "/<hostdev/,/<\/hostdev>/p" "$work/domain.xml"
run virsh define "$work/domain.xml" >/dev/null || bail "virsh define failed"
"$repo/build/tests/e2e/e2e_client" "$u_other" >"$work/tenant.tap" 2>&1 &
tenant=$!
run virsh start "$dom" || bail "virsh start failed (see /var/log/libvirt/qemu/$dom.log)"

reported() { tr -d '\r' <"$rep" 2>/dev/null | grep -q -- "$1"; }
running() { virsh domstate "$dom" 2>/dev/null | grep -q running; }
vm_says() { reported "$1" && return 0; running && return 1; reported "$1" && return 0; return 2; }
echo "the VM boots (about 20 s under KVM inside this TCG VM)..."
if wait_for 600 vm_says '^### e2e-running cold'; then
	say "What the administrator sees while the VM and the other tenant work"
	run "$T" status -i 1
fi
rc=0
if wait_for 900 vm_says '^### e2e-end cold '; then
	say "Inside the VM: the guest's Tessera driver (guest mode) on the vGPU"
	tr -d '\r' <"$rep" | sed -n '/^### e2e-begin cold$/,/^### e2e-end cold /p' |
		sed '1d;$d' | grep -v '^    ' | sed 's/^/  VM| /'
	reported '^### e2e-end cold rc=0' || rc=1
else
	echo "The VM did not report (its console: $con):"
	tr -d '\r' <"$con" | tail -n 10
	rc=1
fi
kill -TERM "$tenant" 2>/dev/null
wait "$tenant" || rc=1
echo "Second tenant (vGPU $u_other, from this host): $(grep 'fill jobs' "$work/tenant.tap" || tail -n 2 "$work/tenant.tap")"
echo "\$ virsh destroy $dom; virsh undefine $dom"
virsh destroy "$dom" >/dev/null 2>&1
virsh undefine "$dom" >/dev/null 2>&1
sleep 1
run "$T" remove "$u_vm"
run "$T" remove "$u_other"
exit $rc
