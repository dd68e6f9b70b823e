#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-init.sh - PID 1 of the Tessera L1 test guest.
#
# Started by the initramfs /init (scripts/mkinitramfs.sh) after switch_root
# into the overlay of the host's root filesystem: / is the host root
# (read-only 9p) under a tmpfs overlay, so the guest may write anywhere and
# nothing reaches the host except through /results.
#
# It mounts the usual pseudo file systems, the writable 9p share "results"
# at /results, then either
#   - tessera_mode=job (default): runs /results/job.sh, written by
#     scripts/vm-run.sh, which calls tessera_test NAME COMMAND for each test;
#   - tessera_mode=shell: gives a login shell on the serial console;
# and powers the machine off.
#
# Per test NAME, in /results:
#   NAME.tap  the test's stdout+stderr (also copied to the console between
#             "### tessera-test-begin NAME" / "### tessera-test-end NAME rc=N")
#   NAME.rc   its exit status, written only when the test finished
#   current   the name of the test now running (for timeout reports)
#   heartbeat written every 10 s while the guest lives (vm-run.sh's stall
#             watchdog stops a guest whose heartbeat stopped)
# and dmesg.txt, the full kernel log, at the end.
set -eu

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-linux}
umask 022

say() { echo "tessera-guest: $*"; }

# Never return from PID 1 (the kernel would panic): whatever happens,
# power off.
power_off() {
	trap - EXIT
	sync || true
	/bin/busybox poweroff -f 2>/dev/null || true
	echo o >/proc/sysrq-trigger
	sleep 30
}
trap 'say "guest-init exited unexpectedly (status $?)"; power_off' EXIT

# Command line: tessera_repo=PATH tessera_mode=job|shell.
# (Bash built-ins only where cheap: each exec costs ~50 ms under TCG.)
repo='' mode=job modroot=''
read -r -a cmdline_args </proc/cmdline
for arg in "${cmdline_args[@]}"; do
	case $arg in
	tessera_repo=*) repo=${arg#tessera_repo=} ;;
	tessera_mode=*) mode=${arg#tessera_mode=} ;;
	tessera_modroot=*) modroot=${arg#tessera_modroot=} ;;
	esac
done
[ -n "$repo" ] || repo=$(dirname "$(dirname "$(readlink -f "$0")")")

uptime() { local u _; read -r u _ </proc/uptime; echo "${u}s"; }
# mnt TYPE DIR [OPTIONS]: mount unless DIR already is a mount point.
mnt() {
	local _dev dir _rest
	[ -d "$2" ] || mkdir -p "$2"
	while read -r _dev dir _rest; do
		[ "$dir" != "$2" ] || return 0
	done </proc/mounts
	mount -t "$1" ${3:+-o "$3"} "$1" "$2"
}
# /dev, /proc and /sys were moved here by the initramfs.
mnt proc /proc
mnt sysfs /sys
mnt devtmpfs /dev
mnt devpts /dev/pts gid=5,mode=620,ptmxmode=666
# devtmpfs has no /dev/fd, /dev/stdin...: udev or systemd make them.
# Bash's process substitution (DKMS) and "mdevctl define --jsonfile
# /dev/stdin" (libvirt) need them.
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mnt tmpfs /dev/shm mode=1777,nosuid,nodev
# Fresh /tmp and /run, unless the repository itself lives below them (a CI
# clone in /tmp): then they stay the overlay, which is writable too.
case $repo/ in
/tmp/*) say "repository under /tmp: /tmp stays the (writable) overlay" ;;
*) mnt tmpfs /tmp mode=1777,nosuid,nodev ;;
esac
case $repo/ in
/run/*) say "repository under /run: /run stays the (writable) overlay" ;;
*) mnt tmpfs /run mode=0755,nosuid,nodev ;;
esac
mnt debugfs /sys/kernel/debug || true
mnt tracefs /sys/kernel/tracing || true
# configfs is a module in Debian's kernel; tests that need it modprobe it.
[ ! -d /sys/kernel/config ] || mnt configfs /sys/kernel/config || true
mnt cgroup2 /sys/fs/cgroup || true
echo tessera-vm >/proc/sys/kernel/hostname
# The host's /etc/mtab may be a file; keep tools happy.
[ -L /etc/mtab ] || ln -sf /proc/self/mounts /etc/mtab 2>/dev/null || true
# modprobe works as is: /lib/modules/$(uname -r) comes from the host root,
# unless the kernel is not one of the host's (the debug kernel: vm-run.sh
# --kernel-dir), whose modules_install tree is tessera_modroot=DIR.
if [ -n "$modroot" ]; then
	kver=$(</proc/sys/kernel/osrelease)
	mkdir -p "/lib/modules/$kver"
	mount --bind "$modroot/lib/modules/$kver" "/lib/modules/$kver" ||
		say "cannot bind $modroot/lib/modules/$kver: modprobe will fail"
fi

# Results share: writable 9p, uncached so that the host sees each write
# at once (even if the guest dies later).
mkdir -p /results
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none \
	results /results; then
	say "cannot mount the 9p share 'results'"
	[ "$mode" = shell ] || exit 1
fi

export TESSERA_REPO=$repo TESSERA_RESULTS=/results TESSERA_IN_VM=1
# The heartbeat: a guest whose CPUs stopped (an RCU stall that never ends,
# a vCPU lost inside emulated SVM) stops writing it; vm-run.sh then ends
# the run instead of waiting for its whole --timeout.
if [ "$mode" = job ]; then
	( while :; do cut -d' ' -f1 /proc/uptime >/results/heartbeat || :; sleep 10; done ) \
		</dev/null >/dev/null 2>&1 &
fi
say "up (uptime $(uptime)): kernel $(</proc/sys/kernel/osrelease), repo $repo"

# kmemleak_scan FILE: on a kernel with kmemleak, write what a scan finds
# unreferenced now to FILE (vm-run.sh fails the run if it is not empty).
# kmemleak reports only objects older than 5 s: wait that long first.
kmemleak=/sys/kernel/debug/kmemleak
kmemleak_scan() {
	[ -w $kmemleak ] || return 0
	sleep 5
	echo scan >$kmemleak 2>/dev/null || { say "kmemleak scan failed"; return 0; }
	cat $kmemleak >"$1" 2>/dev/null || true
	if [ -s "$1" ]; then
		say "kmemleak: $(grep -c '^unreferenced object' "$1") unreferenced objects (see $1)"
		head -n 60 "$1"
	fi
	# Report each leak once: the next test's file holds only its own.
	echo clear >$kmemleak 2>/dev/null || true
}
# Leaks from the boot itself are not the tests' (and not ours).
if [ -w $kmemleak ] && [ "$mode" = job ]; then
	echo scan >$kmemleak 2>/dev/null || true
	echo clear >$kmemleak 2>/dev/null || true
fi

# tessera_test NAME COMMAND: run COMMAND (a shell command line) in the
# repository directory; its stdout+stderr go to /results/NAME.tap and to
# the console.
tessera_test() {
	local name=$1 cmd=$2 rc
	echo "$name" >/results/current
	echo "### tessera-test-begin $name"
	set +e
	(cd "$repo" && TESSERA_TEST_NAME=$name exec bash -c "$cmd") </dev/null 2>&1 |
		tee "/results/$name.tap"
	rc=${PIPESTATUS[0]}
	set -e
	kmemleak_scan "/results/$name.kmemleak"
	echo "$rc" >"/results/$name.rc"
	: >/results/current
	echo "### tessera-test-end $name rc=$rc"
}

case $mode in
shell)
	say "interactive shell; 'exit' or Ctrl-D powers the VM off" \
		"(Ctrl-A X kills QEMU)"
	cd "$repo"
	tty=/dev/ttyS0
	[ -c $tty ] || tty=/dev/console
	# shellcheck disable=SC2094 # the console is both input and output
	setsid -c bash -l <$tty >$tty 2>&1 || true
	;;
job)
	if [ ! -r /results/job.sh ]; then
		say "no /results/job.sh"
		exit 1
	fi
	# shellcheck source=/dev/null
	. /results/job.sh
	echo "### tessera-job-done"
	;;
*)
	say "unknown tessera_mode=$mode"
	;;
esac

dmesg >/results/dmesg.txt 2>/dev/null || true
say "powering off, uptime $(uptime)"
power_off
