#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything a fresh Debian 12 machine needs to build and test
# Tessera: kernel images/headers/source, the QEMU build dependencies, the
# VM rig tools, what scripts/build-debug-kernel.sh needs (libelf, libssl).
# Idempotent; safe to run again.
set -eu
export DEBIAN_FRONTEND=noninteractive
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

# deb-src lines are needed for "apt-get source qemu".
if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ &&
   ! grep -qs '^deb-src ' /etc/apt/sources.list; then
	$SUDO tee /etc/apt/sources.list.d/tessera-deb-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
$SUDO apt-get update -q

here=$(dirname "$(readlink -f "$0")")
k612=$("$here/kernel-version.sh" 6.12)
k61=$("$here/kernel-version.sh" 6.1)
echo "setup-host: kernels $k612 (primary) and $k61 (compat)"

# The list is scripts/host-packages.sh's (make demo and make check run
# this script when one of them is missing: scripts/ensure-host.sh).
# shellcheck disable=SC2046
$SUDO apt-get install -y -q --no-install-recommends $("$here/host-packages.sh")
# L1's VMM (the QEMU that runs L2 guests, and libvirt's emulator): QEMU
# 10 from bookworm-backports, for VFIO migration v2 (bookworm's 7.2 speaks
# only the removed v1 protocol; scripts/e2e-migrate.sh). The suite is
# pinned to 1: only the packages named here come from it, and nothing is
# upgraded from it by accident. The L0 QEMU that carries the GPU model is
# built from bookworm's 7.2 source (scripts/build-qemu.sh; no deb-src line
# for backports, so "apt-get source qemu" stays 7.2).
vmm_sources=/etc/apt/sources.list.d/tessera-vmm.sources
vmm_prefs=/etc/apt/preferences.d/tessera-vmm
if [ ! -f "$vmm_sources" ] || [ ! -f "$vmm_prefs" ]; then
	$SUDO tee "$vmm_sources" >/dev/null <<'SRC'
# Added by Tessera's scripts/setup-host.sh: QEMU >= 8 for L1's guests.
# Pinned in /etc/apt/preferences.d/tessera-vmm.
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	$SUDO tee "$vmm_prefs" >/dev/null <<'PIN'
# Tessera: nothing comes from bookworm-backports unless named
# (pkg/bookworm-backports in scripts/setup-host.sh).
Package: *
Pin: release n=bookworm-backports
Pin-Priority: 1
PIN
	$SUDO apt-get update -q
fi
$SUDO apt-get install -y -q --no-install-recommends \
	qemu-system-x86/bookworm-backports qemu-system-common/bookworm-backports \
	qemu-system-data/bookworm-backports seabios/bookworm-backports
# bookworm's SeaBIOS 1.16.2, kept aside for the e2e stage's L2 domain
# (scripts/e2e-libvirt.sh): the 1.16.3 that QEMU 10 brings puts the
# 64-bit PCI windows at the top of the guest's physical address space
# (0xff00000000 in L2), and there L2's kernel fails to assign the BAR of
# a hot-plugged vGPU ("can't assign; no space"); with 1.16.2 the windows
# start at 4 GiB and hot plug works.
rom_dir=${TESSERA_CACHE:-/var/cache/tessera}/seabios-bookworm
if [ ! -f "$rom_dir/bios-256k.bin" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -q seabios/bookworm)
	dpkg-deb -x "$tmp"/seabios_*.deb "$tmp/x"
	$SUDO mkdir -p "$rom_dir"
	$SUDO cp "$tmp/x/usr/share/seabios/bios-256k.bin" "$rom_dir/"
	rm -rf "$tmp"
fi
# The kernel's VFIO selftests (the outside oracle, tests/oracle): Debian's
# newer linux-source from a low-pinned suite, downloaded, not installed.
$SUDO "$here/fetch-vfio-selftests.sh"
echo "setup-host: done"
