#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-rig-selftest.sh - self-test of the VM test rig (vm-run.sh and friends).
#
# Usage: scripts/vm-rig-selftest.sh [--no-vm]
#
# Prints TAP; the last line is "N passed, N failed, N skipped" and the exit
# status is non-zero if anything failed.
#   - tap-summary.sh counting (ok / not ok / SKIP / TODO / Bail out!)
#   - the kernel splat scanner (vm-run.sh --scan-log) on a made-up log
#   - unless --no-vm: a real boot that runs a smoke test, modprobe vfio-pci,
#     checks that /, /tmp and /results are writable in the guest; and one
#     that must fail (a crashing test, a non-zero exit, a hang past the
#     timeout) and must say so.
set -eu

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$here")
novm=0
[ "${1:-}" != --no-vm ] || novm=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
out=$work/selftest.tap
: >"$out"
# check DESCRIPTION COMMAND...: one TAP result from the command's status.
check() {
	local d=$1
	shift
	n=$((n + 1))
	if "$@" >"$work/log" 2>&1; then
		echo "ok $n $d" | tee -a "$out"
	else
		echo "not ok $n $d" | tee -a "$out"
		sed 's/^/# /' "$work/log" | tail -n 30
	fi
}
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2" | tee -a "$out"; }
echo "TAP version 13"

# ---- tap-summary.sh ------------------------------------------------------
printf '%s\n' 'TAP version 13' '1..6' 'ok 1 a' 'not ok 2 b' 'ok 3 c # SKIP no hw' \
	'not ok 4 d # TODO later' '    not ok 1 nested' '# not ok 9 comment' \
	'ok 5 e # xfail' 'ok 6 f # skip' >"$work/a.tap"
summary_is() { # FILE EXPECTED-LAST-LINE EXPECTED-STATUS
	local got rc=0
	"$here/tap-summary.sh" "$1" >"$work/sum" || rc=$?
	got=$(tail -n 1 "$work/sum")
	if [ "$got" != "$2" ] || [ "$rc" != "$3" ]; then
		echo "got '$got' status $rc, want '$2' status $3"
		return 1
	fi
}
# fails COMMAND...: succeed if the command fails.
fails() { ! "$@"; }
check "tap-summary counts top-level results" summary_is "$work/a.tap" "2 passed, 1 failed, 3 skipped" 1
printf 'ok 1 x\nok 2 y # SKIP z\n' >"$work/b.tap"
check "tap-summary passes a clean stream" summary_is "$work/b.tap" "1 passed, 0 failed, 1 skipped" 0
printf 'no tap here\n' >"$work/c.tap"
check "tap-summary fails when nothing was counted" summary_is "$work/c.tap" "0 passed, 0 failed, 0 skipped" 1
printf 'ok 1 x\nBail out! gone\n' >"$work/d.tap"
check "tap-summary counts Bail out! as failure" summary_is "$work/d.tap" "1 passed, 1 failed, 0 skipped" 1

# ---- splat scanner -------------------------------------------------------
cat >"$work/clean.log" <<'LOG'
[    0.000000] Linux version 6.12.0 (fake)
# BUG: printed by a test (no time stamp): not a kernel splat
WARNING: also test output
[    2.000000] traps: a.out[123] general protection fault ip:401000 sp:7ffc error:0 in a.out
[    2.100000] a.out[124]: segfault at 0 ip 0000000000401000 sp 00007ffc error 4
LOG
cp "$work/clean.log" "$work/warn.log"
cat >>"$work/warn.log" <<'LOG'
[    3.000000] ------------[ cut here ]------------
[    3.000002] WARNING: CPU: 1 PID: 42 at drivers/tessera/core.c:10 tessera_probe+0x1/0x2 [tessera]
[    3.000005] Call Trace:
LOG
cp "$work/clean.log" "$work/dmar.log"
echo '[    4.000000] DMAR: DRHD: handling fault status reg 2' >>"$work/dmar.log"
for s in 'BUG: KASAN: slab-use-after-free in f+0x1/0x2' \
	'WARNING: possible circular locking dependency detected' \
	'INFO: task kworker/0:1:12 blocked for more than 120 seconds.' \
	'Kernel panic - not syncing: Fatal exception' \
	'general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP' \
	'UBSAN: array-index-out-of-bounds in x.c:3:4'; do
	cp "$work/clean.log" "$work/one.log"
	echo "[    5.000000] $s" >>"$work/one.log"
	check "scanner flags: ${s%% in *}" \
		fails "$here/vm-run.sh" --scan-log "$work/one.log"
done
check "scanner: clean log (test output, user-space faults) passes" \
	"$here/vm-run.sh" --scan-log "$work/clean.log"
check "scanner flags a WARN" fails "$here/vm-run.sh" --scan-log "$work/warn.log"
check "scanner flags a DMAR fault" fails "$here/vm-run.sh" --scan-log "$work/dmar.log"
check "scanner: --allow-splat DMAR: lets it pass" \
	"$here/vm-run.sh" --scan-log --allow-splat 'DMAR:' "$work/dmar.log"

# ---- real boots ----------------------------------------------------------
if [ $novm = 1 ]; then
	skip "VM boot: smoke, modprobe vfio-pci, writable mounts" "--no-vm"
	skip "VM boot: crash, exit status and timeout are failures" "--no-vm"
else
	# shellcheck disable=SC2016 # expanded in the guest
	good=(
		smoke='/bin/sh -c "echo TAP version 13; echo 1..1; echo ok 1 guest booted"'
		vfio='echo 1..1; modprobe vfio-pci && [ -d /sys/bus/pci/drivers/vfio-pci ] && echo "ok 1 modprobe vfio-pci"'
		writable='echo 1..3; echo x >/tmp/t && echo "ok 1 /tmp"; echo x >/results/t && echo "ok 2 /results"; echo x >/etc/tessera-rig-selftest && echo "ok 3 / (overlay)"'
	)
	gres=$repo/build/vm-results/rig-selftest-good
	vm_good() {
		if "$here/vm-run.sh" --quiet --timeout 300 --results "$gres" -- "${good[@]}" \
			>"$work/good.out" 2>&1 &&
			tail -n 1 "$work/good.out" | grep -qx '5 passed, 0 failed, 0 skipped' &&
			[ ! -e /etc/tessera-rig-selftest ]; then
			return 0
		fi
		cat "$work/good.out"
		return 1
	}
	check "VM boot: smoke, modprobe vfio-pci, writable mounts (host untouched)" vm_good
	bres=$repo/build/vm-results/rig-selftest-bad
	vm_bad() {
		# shellcheck disable=SC2016 # $$ is the guest shell's
		if "$here/vm-run.sh" --quiet --timeout 30 --results "$bres" -- \
			ok='echo 1..1; echo ok 1 fine' crash='echo 1..2; echo ok 1 a; kill -SEGV $$' \
			exit3='echo 1..1; echo ok 1 a; exit 3' hang='echo 1..1; sleep 1000' \
			never='echo 1..1; echo ok 1 never runs' >"$work/bad.out" 2>&1; then
			cat "$work/bad.out"
			return 1
		fi
		if grep -q 'TIMEOUT after 30s while running test hang' "$work/bad.out" &&
			grep -q '^not ok - crash # killed by signal 11' "$work/bad.out" &&
			grep -q '^not ok - exit3 # exited with status 3' "$work/bad.out" &&
			grep -q '^not ok - hang # timed out' "$work/bad.out" &&
			grep -q '^not ok - never # did not run' "$work/bad.out" &&
			tail -n 1 "$work/bad.out" | grep -qx '3 passed, 4 failed, 0 skipped'; then
			return 0
		fi
		cat "$work/bad.out"
		return 1
	}
	check "VM boot: crash, exit status and timeout are failures" vm_bad
fi

echo "1..$n"
"$here/tap-summary.sh" "$out"
