#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mdev_hook.sh - the mediator hook between tessera.ko and tessera-vgpu.ko
# (Documentation/dev/architecture.rst), the paths the other tests do not
# take: with a vGPU present, the GPU is unbound from tessera (remove
# detaches the mediator first: the vGPU and the types go, /dev/tessera0
# too) and bound again (probe attaches it: the types are back, a vGPU can be
# created and removed); then tessera-vgpu.ko is unloaded with tessera.ko
# staying (the GPU stays bound, its types go) and loaded again (registration
# attaches the bound GPU). Leaves both modules loaded and the GPU bound, as
# it found them. Needs run-mdev-tests.sh to have loaded them. Output: TAP.
# The checks are single-quoted for eval on purpose; the helpers are called
# through check and wait_for:
# shellcheck disable=SC2016,SC2317
set -u
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
# shellcheck source-path=SCRIPTDIR source=../lib/ksft-run.sh
. "$here/../lib/ksft-run.sh"
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
check() { # DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
bail() { notok "$*"; echo "1..$n"; exit 1; }
# wait_for COMMAND...: up to 5 s for COMMAND to succeed
wait_for() {
	local _
	for _ in $(seq 50); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
types_there() { [ -d "/sys/bus/pci/devices/$bdf/mdev_supported_types/tessera-8m" ]; }
types_gone() { [ ! -e "/sys/bus/pci/devices/$bdf/mdev_supported_types" ]; }
bound() { [ -e "/sys/bus/pci/drivers/tessera/$bdf" ]; }
create_remove() { # what: create an 8m vGPU, then remove it
	local u
	u=$(cat /proc/sys/kernel/random/uuid)
	check "$1: create an 8m vGPU" \
		eval 'echo "$u" >"/sys/bus/pci/devices/$bdf/mdev_supported_types/tessera-8m/create"'
	check "$1: remove it" eval 'echo 1 >"/sys/bus/mdev/devices/$u/remove"'
}
echo "TAP version 13"

bdf=
for d in /sys/bus/pci/drivers/tessera/0000:*; do
	[ -d "$d/mdev_supported_types/tessera-8m" ] && bdf=$(basename "$d") && break
done
[ -n "$bdf" ] || bail "no GPU bound to tessera offers vGPU types"
ok "GPU $bdf offers vGPU types"
vko=$(tessera_vgpu_ko "$(tessera_ko "$repo")")
[ -f "$vko" ] || bail "no $vko"

# remove with a vGPU present: detach first
u=$(cat /proc/sys/kernel/random/uuid)
echo "$u" >"/sys/bus/pci/devices/$bdf/mdev_supported_types/tessera-8m/create" ||
	bail "create an 8m vGPU"
ok "create an 8m vGPU"
check "unbind $bdf from tessera" eval 'echo "$bdf" >/sys/bus/pci/drivers/tessera/unbind'
check "the vGPU went with it" test ! -e "/sys/bus/mdev/devices/$u"
check "the types went" types_gone
check "/dev/tessera0 went" wait_for test ! -e /dev/tessera0

# probe with the mediator registered: attach
check "bind $bdf to tessera again" eval 'echo "$bdf" >/sys/bus/pci/drivers/tessera/bind'
bound || bail "$bdf is not bound to tessera"
check "/dev/tessera0 is back" wait_for test -c /dev/tessera0
check "the types are back" wait_for types_there
create_remove "after the rebind"

# unregistration with tessera.ko staying, then registration with the GPU bound
check "rmmod tessera_vgpu" rmmod tessera_vgpu
check "tessera stays loaded" grep -q '^tessera ' /proc/modules
check "the GPU stays bound, /dev/tessera0 too" eval 'bound && test -c /dev/tessera0'
check "the types went" types_gone
for dep in $(modinfo -F depends "$vko" | tr , ' '); do
	[ "$dep" = tessera ] || modprobe "$dep" 2>/dev/null
done
insmod "$vko" || bail "insmod $vko"
ok "insmod tessera-vgpu.ko again"
check "the types are back" wait_for types_there
create_remove "after the reload"

echo "1..$n"
exit $fail
