#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkdeb.sh - build the tessera-dkms Debian package (make deb).
#
# Usage: scripts/mkdeb.sh [OUTDIR]     (default build/deb)
#
# The package holds the modules' sources (Kbuild, drivers/tessera/ with
# its Kbuild, core/, lib/ and vgpu/, include/) and dkms.conf in /usr/src/tessera-VERSION/, and
# maintainer scripts (scripts/deb/) that add, build and install it with
# DKMS for the running kernel, and remove it from every kernel on removal.
# VERSION is the file VERSION. Built with dpkg-deb alone (no debhelper).
# Prints the path of the .deb.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build/deb}
ver=$(cat "$top/VERSION")
pkg=tessera-dkms
root=$out/${pkg}_${ver}_all
src=$root/usr/src/tessera-$ver

rm -rf "$root"
mkdir -p "$root/DEBIAN" "$src" "$root/usr/share/doc/$pkg"
cp "$top/Kbuild" "$src/"
(cd "$top" && find drivers include \( -name '*.[ch]' -o -name Kbuild \) -print0 |
	xargs -0 cp --parents -t "$src")
# The module's sources only: nothing built, no model or tests.
find "$src" -name '*.mod.c' -delete
sed "s/@VERSION@/$ver/" "$top/dkms.conf" >"$src/dkms.conf"
for f in control postinst prerm; do
	sed "s/@VERSION@/$ver/" "$top/scripts/deb/$f" >"$root/DEBIAN/$f"
done
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/prerm"
cat >"$root/usr/share/doc/$pkg/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: tessera

Files: *
License: GPL-2.0
 On Debian systems the full text of the GNU General Public License
 version 2 is in /usr/share/common-licenses/GPL-2.
COPY
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
echo "Installed-Size: $size" >>"$root/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/${pkg}_${ver}_all.deb" >/dev/null
echo "$out/${pkg}_${ver}_all.deb"
