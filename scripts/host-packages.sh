#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# host-packages.sh - the Debian packages a machine needs to build and test
# Tessera, one per line (scripts/setup-host.sh installs them).
#
#   scripts/host-packages.sh            the list
#   scripts/host-packages.sh --missing  only those not installed (none: the
#                                       machine is set up); exit 0 either way;
#                                       also "qemu-system-x86/bookworm-backports"
#                                       while the installed QEMU is older
#                                       than 8.0
#
# The kernels are resolved by scripts/kernel-version.sh; when it cannot
# resolve one (a fresh machine without package lists), a placeholder that
# is never installed stands for it, so --missing is not empty.
set -eu
here=$(dirname "$(readlink -f "$0")")
k612=$("$here/kernel-version.sh" 6.12 2>/dev/null || true)
k61=$("$here/kernel-version.sh" 6.1 2>/dev/null || true)
k612=${k612:-unresolved-6.12}
k61=${k61:-unresolved-6.1}
vmm_suite=bookworm-backports

list() {
	cat <<PKGS
build-essential
bc
kmod
cpio
xz-utils
zstd
busybox-static
file
sparse
python3
perl
dpkg-dev
git
ca-certificates
pciutils
linux-headers-$k612
linux-image-$k612-unsigned
linux-source-6.12
libelf-dev
libssl-dev
uuid-dev
patch
linux-headers-$k61
linux-image-$k61-unsigned
ninja-build
meson
pkg-config
flex
bison
libglib2.0-dev
libpixman-1-dev
libfdt-dev
zlib1g-dev
libcap-ng-dev
libattr1-dev
libslirp-dev
seabios
qemu-system-data
ipxe-qemu
qemu-system-x86
libvirt-daemon
libvirt-clients
libvirt-daemon-driver-qemu
mdevctl
dkms
tmux
jq
libxml2-utils
shellcheck
PKGS
}

if [ "${1:-}" = --missing ]; then
	# shellcheck disable=SC2046
	installed=$(dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' $(list) 2>/dev/null |
		awk '$2 == "ii" { print $1 }' | sort -u)
	list | sort -u | comm -23 - <(echo "$installed")
	# L1's VMM for its guests: QEMU >= 8.0 (VFIO migration v2), from
	# bookworm-backports (scripts/setup-host.sh).
	qv=$(dpkg-query -W -f '${Version}' qemu-system-x86 2>/dev/null || true)
	if [ -n "$qv" ] && dpkg --compare-versions "$qv" lt 1:8.0; then
		echo "qemu-system-x86/$vmm_suite"
	fi
else
	list
fi
