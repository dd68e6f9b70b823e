#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# e2e-common.sh - sourced by the end-to-end scripts that run inside L1
# (scripts/e2e-libvirt.sh, scripts/e2e-migrate.sh): TAP helpers, polling,
# and libvirt started the way a nested, systemd-less L1 needs it.
# The sourcing script sets $log (a file for the steps' output) first.
# shellcheck shell=bash
# $fail is the sourcing script's exit status, $log its file:
# shellcheck disable=SC2034,SC2154

# ---- TAP helpers ---------------------------------------------------------
n=0
fail=0
t0=$(date +%s)
echo "TAP version 13"
ok() { n=$((n + 1)); echo "ok $n - $* [$(($(date +%s) - t0))s]"; }
notok() { n=$((n + 1)); echo "not ok $n - $* [$(($(date +%s) - t0))s]"; fail=1; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { echo "# $*"; }
# step DESC CMD...: run CMD (output to steps.log), one TAP line; the last
# lines of its output become the reason when it fails.
step() {
	local desc=$1 out
	shift
	echo "=== $desc: $*" >>"$log"
	if out=$("$@" 2>&1); then
		echo "$out" >>"$log"
		ok "$desc"
	else
		echo "$out" >>"$log"
		notok "$desc # $(echo "$out" | tail -n 2 | tr '\n' ' ')"
		return 1
	fi
}
# wait_for SECONDS CMD...: poll CMD every 2 s until it succeeds; give up
# early when CMD returns 2 (then its output is shown).
wait_for() {
	local limit=$1 end
	shift
	end=$(($(date +%s) + limit))
	local rc
	while :; do
		rc=0
		"$@" >/dev/null 2>&1 || rc=$?
		[ $rc != 0 ] || return 0
		# Status 2: the condition can never come true.
		[ $rc != 2 ] || { "$@" 2>&1 || true; return 1; }
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 2
	done
}
# ---- libvirt -------------------------------------------------------------
# Nested, systemd-less L1: no cgroup controllers, no namespaces, no
# security driver, QEMU as root, stdio to files. L1's /etc is a writable
# overlay, so the configuration goes where libvirt looks for it.
start_libvirt() {
	local d
	grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts ||
		mount -t cgroup2 cgroup2 /sys/fs/cgroup
	for d in /etc/libvirt /var/lib/libvirt/qemu /var/log/libvirt/qemu \
		/run/libvirt /var/cache/libvirt /etc/mdevctl.d; do
		mkdir -p "$d"
	done
	cat >/etc/libvirt/qemu.conf <<-'CONF'
	# Written by scripts/e2e-libvirt.sh (nested, systemd-less L1).
	user = "root"
	group = "root"
	dynamic_ownership = 0
	remember_owner = 0
	security_driver = "none"
	namespaces = [ ]
	cgroup_controllers = [ ]
	stdio_handler = "file"
	CONF
	cat >/etc/libvirt/libvirtd.conf <<-'CONF'
	# Written by scripts/e2e-libvirt.sh.
	auth_unix_rw = "none"
	auth_unix_ro = "none"
	log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
	CONF
	# The QEMU driver resolves its built-in default user (Debian:
	# libvirt-qemu) before it reads qemu.conf; libvirt-daemon-system
	# creates it, but that package would also start a libvirtd on the
	# host. Create it in L1's overlay instead.
	getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
	getent passwd libvirt-qemu >/dev/null ||
		useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
	# /dev/stdin (libvirt runs "mdevctl define --jsonfile /dev/stdin")
	# is made by scripts/guest-init.sh.
	# libvirt's node device driver follows devices through udev events
	# (without them a started nodedev mdev stays "inactive" to libvirt);
	# L1 has no udevd: start one. No coldplug trigger: libvirtd enumerates
	# sysfs itself when it starts.
	if [ -x /lib/systemd/systemd-udevd ] && ! pidof systemd-udevd >/dev/null; then
		/lib/systemd/systemd-udevd --daemon || echo "systemd-udevd did not start"
	fi
	virtlogd -d
	libvirtd -d
	# libvirtd probes QEMU's capabilities first: slow under TCG. Stop
	# waiting at once if it died.
	wait_for 240 libvirt_up
}
libvirt_up() {
	virsh -q version >/dev/null 2>&1 && return 0
	if ! pidof libvirtd >/dev/null; then
		echo "libvirtd is not running:"
		tail -n 5 /var/log/libvirt/libvirtd.log 2>/dev/null
		return 2
	fi
	return 1
}

# ---- L2 ---------------------------------------------------------------------
# l2_initrd: $initrd, L2's initramfs: $E2E_L2_INITRD (run-e2e.sh builds it
# on the host), else built now into $work (bails when that fails).
l2_initrd() {
	if [ -n "${E2E_L2_INITRD:-}" ]; then
		initrd=$E2E_L2_INITRD
	else
		initrd=$("$here/l2/mkinitramfs-l2.sh" -o "$work/l2-initramfs.cpio" 2>>"$log") ||
			bail "L2 initramfs built # see steps.log"
	fi
}

# ---- KVM in L1 -------------------------------------------------------------
# kvm_setup: load KVM (kvm_amd, else kvm_intel) and kvm_hold, with L1's
# other CPUs offline meanwhile: loading KVM patches its static calls and
# kvm_hold's start flips the keys, and with one CPU online no other one can
# run a half-patched instruction. Return: kvm_hold's status.
kvm_setup() {
	local c rc=0 off=()

	if [ -c /dev/kvm ] && pgrep -f 'tessera-kvm-hold' >/dev/null; then
		return 0
	fi
	for c in /sys/devices/system/cpu/cpu[1-9]*/online; do
		[ -w "$c" ] && [ "$(cat "$c")" = 1 ] || continue
		echo 0 >"$c" 2>/dev/null && off+=("$c")
	done
	modprobe kvm_amd 2>/dev/null || modprobe kvm_intel 2>/dev/null || true
	kvm_hold || rc=$?
	for c in "${off[@]}"; do
		echo 1 >"$c" || echo "kvm_setup: could not bring ${c%/online} back" >&2
	done
	return $rc
}

# kvm_hold: keep KVM's static keys still for the rest of L1's life. Each
# flip of a static key patches the kernel's text (text_poke_bp), and under
# L1's multi-threaded TCG the other vCPU now and then runs the stale int3:
# "Oops: int3" at __schedule+0x428 (seen twice in CI, 2026-12-06), in
# kvm_arch_vcpu_ioctl_run and in apic_has_pending_timer (2026-12-07, in
# the migration benchmark). The keys and what flips them:
#   - preempt_notifier: KVM's first VM turns it on, its last one off;
#   - kvm_has_noapic_vcpu: on while a vCPU without an in-kernel local APIC
#     exists (QEMU's probes create such);
#   - apic_sw_disabled: on while a local APIC is software-disabled (every
#     new vCPU's, until its guest enables it).
# Two VMs are held: one with a vCPU and no irqchip, one with an irqchip and
# a vCPU whose APIC stays disabled. Then L2's QEMUs come and go without a
# flip of any of them; only this start flips them, before anything runs.
kvm_hold() {
	[ -c /dev/kvm ] || return 0
	pgrep -f 'tessera-kvm-hold' >/dev/null && return 0
	python3 -c '
import fcntl, os, signal
KVM_CREATE_VM, KVM_CREATE_VCPU, KVM_CREATE_IRQCHIP = 0xAE01, 0xAE41, 0xAE60
kvm = os.open("/dev/kvm", os.O_RDWR)
noapic = fcntl.ioctl(kvm, KVM_CREATE_VM, 0)
vcpu0 = fcntl.ioctl(noapic, KVM_CREATE_VCPU, 0)
apic = fcntl.ioctl(kvm, KVM_CREATE_VM, 0)
fcntl.ioctl(apic, KVM_CREATE_IRQCHIP, 0)
vcpu1 = fcntl.ioctl(apic, KVM_CREATE_VCPU, 0)
signal.pause()
' tessera-kvm-hold </dev/null >/dev/null 2>&1 &
	sleep 1
	pgrep -f 'tessera-kvm-hold' >/dev/null
}
