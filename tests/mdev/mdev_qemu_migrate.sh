#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mdev_qemu_migrate.sh - QEMU's own VFIO migration of a vGPU (no guest
# kernel: the VM stays stopped, -S)
#
# 1. Where the vGPU offers DMA logging (sysfs tessera/dirty_log
#    "supported 1"), QEMU's default enable-migration=auto lets the VM
#    migrate (no blocker); where it does not, QEMU blocks it with a reason
#    that names dirty tracking (Documentation/dev/migration.rst).
# 2. QEMU saves the VM with vGPU A to a file (enable-migration=auto where
#    DMA logging is offered, else =on): the migration completes, vfio data
#    was sent, DMA logging was started and reported (and is off once QEMU
#    closed the vGPU: QEMU keeps it on while the VM is stopped).
# 3. A second QEMU with vGPU B (same type) loads the file with -incoming:
#    the migration completes there too, and QEMU quits cleanly.
# Needs the tessera modules loaded (run-mdev-tests.sh). Output: TAP.
set -u
QEMU=${QEMU_L2:-$(command -v qemu-system-x86_64)}
here=$(dirname "$(readlink -f "$0")")
qmp_py=$here/../../scripts/l2/qmp.py
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }
echo "TAP version 13"

if [ -z "$QEMU" ]; then
	echo "1..0 # SKIP no qemu-system-x86_64"
	exit 0
fi
qver=$("$QEMU" --version | sed -n 's/^QEMU emulator version \([0-9]*\)\..*/\1/p')
if [ "${qver:-0}" -lt 8 ]; then
	echo "1..0 # SKIP QEMU ${qver:-?} has no VFIO migration v2 (needs >= 8)"
	exit 0
fi
parent=
for d in /sys/bus/pci/devices/*/mdev_supported_types; do
	[ -d "$d/tessera-8m" ] && parent=$d && break
done
[ -n "$parent" ] || { notok "no Tessera mdev parent"; echo "1..$n"; exit 1; }
if grep -q "migration=none" "$parent/tessera-8m/description"; then
	echo "1..0 # SKIP no VFIO migration on $(uname -r) (needs 6.3)"
	exit 0
fi
w=$(mktemp -d)
ua=$(cat /proc/sys/kernel/random/uuid)
ub=$(cat /proc/sys/kernel/random/uuid)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	for p in "$ua" "$ub"; do
		[ -e "/sys/bus/mdev/devices/$p" ] && echo 1 >"/sys/bus/mdev/devices/$p/remove"
	done
	rm -rf "$w"
}
trap cleanup EXIT
echo "$ua" >"$parent/tessera-8m/create" && echo "$ub" >"$parent/tessera-8m/create" ||
	{ notok "create two 8m vGPUs"; echo "1..$n"; exit 1; }
ok "create two 8m vGPUs"
dlog() { sed -n "s/.*$2 \([0-9]*\).*/\1/p" "/sys/bus/mdev/devices/$1/tessera/dirty_log"; }
supported=$(dlog "$ua" supported)
echo "# DMA logging offered by the vGPU on $(uname -r): ${supported:-?}"

qmp() { python3 "$qmp_py" "$@"; }
# qemu_start NAME UUID EXTRA...: a stopped VM with the vGPU, QMP at $w/NAME.qmp
qemu_start() {
	local name=$1 uuid=$2
	shift 2
	"$QEMU" -machine q35 -accel tcg -m 64 -nodefaults -display none -S \
		-qmp "unix:$w/$name.qmp,server=on,wait=off" \
		-device "vfio-pci,sysfsdev=/sys/bus/mdev/devices/$uuid$mig_opt" "$@" \
		>"$w/$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do
		qmp "$w/$name.qmp" query-status >/dev/null 2>&1 && return 0
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.3
	done
	sed 's/^/# /' "$w/$name.log"
	return 1
}
# mig_field SOCKET EXPR: a field of query-migrate (python expression on m)
mig_field() {
	qmp "$1" query-migrate | python3 -c "import json,sys; m=json.load(sys.stdin); print($2)"
}
# mig_wait SOCKET: wait (120 s at most) until the migration ends; its status
mig_wait() {
	local st=
	for _ in $(seq 400); do
		st=$(mig_field "$1" 'm.get("status", "none")' 2>/dev/null)
		case $st in completed|failed|cancelled) break ;; esac
		sleep 0.3
	done
	echo "$st"
}

# 1. The blocker, with QEMU's default enable-migration=auto.
mig_opt=
qemu_start auto "$ua" || { notok "QEMU started with the vGPU"; echo "1..$n"; exit 1; }
reasons=$(mig_field "$w/auto.qmp" '"; ".join(m.get("blocked-reasons", []))')
echo "# blocked-reasons: ${reasons:-none}"
if [ "$supported" = 1 ]; then
	check "enable-migration=auto: no blocker (the vGPU has DMA logging)" \
		test -z "$reasons"
else
	check "enable-migration=auto: blocked, the reason names dirty tracking" \
		grep -qi "dirty tracking" <<<"$reasons"
fi
qmp "$w/auto.qmp" quit >/dev/null 2>&1
wait "${pids[-1]}" 2>/dev/null

# 2. Save to a file.
[ "$supported" = 1 ] || mig_opt=,enable-migration=on
starts0=$(dlog "$ua" starts)
qemu_start src "$ua" || { notok "QEMU (source) started"; echo "1..$n"; exit 1; }
qmp "$w/src.qmp" migrate-set-parameters '{"downtime-limit": 5000}' >/dev/null
qmp "$w/src.qmp" migrate "{\"uri\": \"file:$w/state\"}" >/dev/null
st=$(mig_wait "$w/src.qmp")
check "source: migration to a file completed (status ${st:-none})" test "$st" = completed
sent=$(mig_field "$w/src.qmp" 'm.get("vfio", {}).get("transferred", 0)' 2>/dev/null)
echo "# vfio.transferred ${sent:-?}, file $(stat -c %s "$w/state" 2>/dev/null) bytes"
check "source: vfio data was sent" test "${sent:-0}" -gt 0
if [ "$supported" = 1 ]; then
	check "source: QEMU started DMA logging" test "$(dlog "$ua" starts)" -gt "$starts0"
	check "source: QEMU read DMA logging reports" test "$(dlog "$ua" reports)" -gt 0
fi
qmp "$w/src.qmp" quit >/dev/null 2>&1
wait "${pids[-1]}" 2>/dev/null
# QEMU postpones stopping the dirty log while the VM is stopped (it is,
# after a migration); closing the device stops it.
[ "$supported" != 1 ] ||
	check "source: DMA logging is off once QEMU closed the vGPU" test "$(dlog "$ua" active)" = 0

# 3. Load it with vGPU B.
qemu_start dst "$ub" -incoming defer || { notok "QEMU (destination) started"; echo "1..$n"; exit 1; }
qmp "$w/dst.qmp" migrate-incoming "{\"uri\": \"file:$w/state\"}" >/dev/null
st=$(mig_wait "$w/dst.qmp")
check "destination: the vGPU took the stream (status ${st:-none})" test "$st" = completed
qmp "$w/dst.qmp" quit >/dev/null 2>&1
wait "${pids[-1]}" 2>/dev/null
rc=$?
check "destination: QEMU quit cleanly" test "$rc" = 0
warn=$(grep -h -i -E "error|vfio" "$w"/src.log "$w"/dst.log | grep -v -i "dirty tracking" || true)
if [ -z "$warn" ]; then
	ok "no VFIO error from QEMU"
else
	notok "QEMU reported VFIO errors"
	printf '%s\n' "$warn" | sed 's/^/# /'
fi
echo "1..$n"
exit $fail
