#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-pkg-tests.sh - install Tessera the way a distribution does, inside
# the VM (its root is a writable overlay): the tessera-dkms package
# (make deb) and make install.
#
# Usage (inside the guest, as root):
#   tests/pkg/run-pkg-tests.sh [DEB]     (default build/deb/tessera-dkms_*.deb)
#
# dkms: dpkg -i builds the modules with DKMS against the running kernel's
#   headers; modprobe tessera loads the core, the GPU binds; modprobe
#   tessera-vgpu loads the mediation, the GPU offers the vGPU types; the
#   tool creates and removes a vGPU; dpkg -r removes the modules (modinfo
#   no longer finds them) and DKMS forgets them.
# install: make install (modules_install + depmod) puts the in-tree
#   modules under /lib/modules/KVER/updates; modprobe loads those.
# Output: TAP. From the host: scripts/run-vm-tests.sh pkg
# The checks are single-quoted for eval on purpose:
# shellcheck disable=SC2016
set -u
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
kver=$(uname -r)
T=$repo/build/tools/tessera
# shellcheck source-path=SCRIPTDIR source=../lib/ksft-run.sh
. "$here/../lib/ksft-run.sh"
tap_start

deb=${1:-$(find "$repo/build/deb" -maxdepth 1 -name 'tessera-dkms_*_all.deb' 2>/dev/null | sort -V | tail -1)}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
	tap_bail "no tessera-dkms .deb (make deb)"
fi
ver=$(dpkg-deb -f "$deb" Version)
log=/tmp/pkg-test.log

# gpu_checks WHAT: the module modprobe loaded binds the GPU, offers the
# types, and a vGPU can be created and removed with the tool.
gpu_checks() {
	local what=$1 bdf u
	bdf=
	for _ in $(seq 50); do
		bdf=$(find /sys/bus/pci/drivers/tessera -maxdepth 1 -name '0000:*' -printf '%f\n' 2>/dev/null | head -1)
		[ -n "$bdf" ] && break
		sleep 0.1
	done
	tap_check "$what: the GPU is bound to tessera (${bdf:-none})" test -n "$bdf"
	tap_check "$what: it offers the vGPU types" \
		test -d "/sys/bus/pci/devices/$bdf/mdev_supported_types/tessera-8m" -a \
		     -d "/sys/bus/pci/devices/$bdf/mdev_supported_types/tessera-256m"
	u=$("$T" create 8m 2>&1)
	echo "# tessera create 8m: $u"
	tap_check "$what: tessera create 8m, then status lists it" \
		eval '"$T" status -i 0.1 | grep -q "^  $u  8m  *closed"'
	tap_check "$what: tessera remove" "$T" remove "$u"
}

# loaded_is MODULE: the loaded MODULE has the build ID of the file that
# modinfo names (so modprobe loaded that file, not another copy).
loaded_is() {
	local m=$1 f tmp id note
	f=$(modinfo -n "$m" 2>/dev/null) || return 1
	tmp=$(mktemp)
	case $f in
	*.xz) xz -dc "$f" >"$tmp" ;;
	*.zst) zstd -qdc "$f" >"$tmp" ;;
	*.gz) gzip -dc "$f" >"$tmp" ;;
	*) cp "$f" "$tmp" ;;
	esac
	id=$(readelf -n "$tmp" | sed -n 's/^ *Build ID: *//p' | head -n 1)
	rm -f "$tmp"
	note=$(od -An -v -tx1 "/sys/module/${m//-/_}/notes/.note.gnu.build-id" 2>/dev/null | tr -d ' \n')
	echo "# $m: build ID of $f: ${id:-none}; loaded note: ${note:-none}"
	[ -n "$id" ] && [ "${note%"$id"}" != "$note" ]
}

unload() {
	local d
	for d in /sys/bus/mdev/devices/*; do
		[ -e "$d/remove" ] && echo 1 >"$d/remove"
	done
	if grep -q '^tessera ' /proc/modules; then tessera_rmmod; fi
}

for m in vfio vfio_iommu_type1 mdev; do modprobe "$m" 2>/dev/null; done
tap_check "dkms: tessera is not installed before" eval '! modinfo tessera >/dev/null 2>&1'

# ---------------------------------------------------------------- dkms
start=$(date +%s)
if dpkg -i "$deb" >"$log" 2>&1; then
	tap_ok "dkms: dpkg -i $(basename "$deb") (DKMS build for $kver: $(($(date +%s) - start)) s)"
else
	sed 's/^/# /' "$log" | tail -40
	find /var/lib/dkms/tessera -name make.log -exec tail -30 {} \; 2>/dev/null | sed 's/^/# make.log: /'
	tap_not_ok "dkms: dpkg -i $(basename "$deb")"
fi
st=$(dkms status -m tessera -v "$ver" 2>&1)
echo "# dkms status: $st"
tap_check "dkms: status says installed for $kver" eval 'echo "$st" | grep -q "$kver.*installed"'
path=$(modinfo -n tessera 2>/dev/null)
echo "# modinfo -n tessera: $path"
tap_check "dkms: modinfo finds it under updates/dkms" \
	eval 'case $path in /lib/modules/$kver/updates/dkms/tessera.ko*) true ;; *) false ;; esac'
tap_check "dkms: its vermagic is the running kernel's" \
	eval 'modinfo -F vermagic tessera | grep -q "^$kver "'
tap_check "dkms: modprobe tessera" modprobe tessera
tap_check "dkms: the loaded module is the DKMS one (its build ID)" loaded_is tessera
tap_check "dkms: modprobe tessera-vgpu (from updates/dkms)" \
	eval 'case $(modinfo -n tessera-vgpu 2>/dev/null) in /lib/modules/$kver/updates/dkms/tessera-vgpu.ko*) modprobe tessera-vgpu ;; *) false ;; esac'
gpu_checks dkms
unload
tap_check "dkms: rmmod tessera-vgpu tessera" eval '! grep -q "^tessera\(_vgpu\)\? " /proc/modules'
if dpkg -r tessera-dkms >"$log" 2>&1; then
	tap_ok "dkms: dpkg -r tessera-dkms"
else
	sed 's/^/# /' "$log" | tail -20
	tap_not_ok "dkms: dpkg -r tessera-dkms"
fi
tap_check "dkms: removing the package removed the module" \
	eval '! modinfo tessera >/dev/null 2>&1 && ! modinfo tessera-vgpu >/dev/null 2>&1 && ! ls /lib/modules/$kver/updates/dkms/tessera*.ko* >/dev/null 2>&1'
tap_check "dkms: DKMS no longer knows it, /usr/src is clean" \
	eval 'test -z "$(dkms status -m tessera 2>/dev/null)" && test ! -e /usr/src/tessera-$ver'

# ------------------------------------------------------- make install
if make -C "$repo" install KVER="$kver" >"$log" 2>&1; then
	tap_ok "install: make install KVER=$kver"
else
	sed 's/^/# /' "$log" | tail -30
	tap_not_ok "install: make install KVER=$kver"
fi
path=$(modinfo -n tessera 2>/dev/null)
echo "# modinfo -n tessera: $path"
tap_check "install: depmod ran, modinfo finds it under /lib/modules/$kver" \
	eval 'case $path in /lib/modules/$kver/*/tessera.ko*) true ;; *) false ;; esac'
tap_check "install: modprobe tessera" modprobe tessera
tap_check "install: the loaded module is the installed one (its build ID)" loaded_is tessera
vpath=$(modinfo -n tessera-vgpu 2>/dev/null)
echo "# modinfo -n tessera-vgpu: $vpath"
tap_check "install: modprobe tessera-vgpu" modprobe tessera-vgpu
gpu_checks install
unload
rm -f "$path" "$vpath"
depmod -a "$kver"
tap_check "install: gone again after removing the files and depmod" \
	eval '! modinfo tessera >/dev/null 2>&1 && ! modinfo tessera-vgpu >/dev/null 2>&1'

tap_plan_and_exit
