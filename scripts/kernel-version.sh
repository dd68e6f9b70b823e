#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the newest Debian 6.12 (or, with "6.1", bookworm 6.1) kernel ABI
# name, e.g. "6.12.117+deb12-amd64", for which both the unsigned image and
# the headers are in the archive. Resolved at run time because old point
# releases leave the archive.
set -eu
series=${1:-6.12}
if [ "$series" = "6.12" ]; then
	pat='^linux-headers-6\.12\.[0-9]+\+deb12-amd64$'
else
	pat='^linux-headers-6\.1\.0-[0-9]+-amd64$'
fi
# Prefer what is already installed, then the newest in the archive.
for src in installed archive; do
	if [ $src = installed ]; then
		list=$(dpkg-query -W -f '${Package} ${Status}\n' 'linux-headers-*' 2>/dev/null |
			awk '/install ok installed/ {print $1}' | grep -E "$pat" || true)
	else
		list=$(apt-cache pkgnames linux-headers- 2>/dev/null | grep -E "$pat" || true)
	fi
	for pkg in $(echo "$list" | sort -V -r); do
		abi=${pkg#linux-headers-}
		if [ $src = installed ] || apt-cache show "linux-image-$abi-unsigned" >/dev/null 2>&1 ||
		   apt-cache show "linux-image-$abi" >/dev/null 2>&1; then
			echo "$abi"
			exit 0
		fi
	done
done
echo "kernel-version.sh: no linux-headers package for $series found (run apt-get update)" >&2
exit 1
