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
# The kernel's VFIO selftests (the outside oracle, tests/oracle): Debian's
# newer linux-source from a low-pinned suite, downloaded, not installed.
$SUDO "$here/fetch-vfio-selftests.sh"
echo "setup-host: done"
