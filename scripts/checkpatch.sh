#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the kernel's checkpatch.pl --strict over Tessera's C sources.
# checkpatch.pl and its data files come from Debian's linux-source-6.12
# package (never committed); they are extracted once into build/.
# Prints one TAP point per checked file group; exits non-zero on findings.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/checkpatch
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
if [ ! -x "$out/scripts/checkpatch.pl" ]; then
	if [ -z "$tarball" ]; then
		echo "checkpatch: /usr/src/linux-source-6.12.tar.xz missing;" \
		     "run scripts/setup-host.sh (package linux-source-6.12)" >&2
		exit 1
	fi
	mkdir -p "$out"
	tar -xJf "$tarball" -C "$out" --strip-components=1 \
		linux-source-6.12/scripts/checkpatch.pl \
		linux-source-6.12/scripts/spelling.txt \
		linux-source-6.12/scripts/const_structs.checkpatch
fi

# The QEMU glue (qemu/tessera-gpu.c) follows QEMU's style, not the kernel's.
groups="drivers include qemu/tessera-core tools tests"
n=0 rc=0
echo "TAP version 13"
for g in $groups; do
	files=$(cd "$top" && git ls-files -co --exclude-standard -- "$g*" "$g/*" 2>/dev/null |
		grep -E '\.[ch]$' | grep -v '^qemu/tessera-gpu\.c$' || true)
	[ -n "$files" ] || continue
	n=$((n + 1))
	# shellcheck disable=SC2086
	if report=$(cd "$top" && perl "$out/scripts/checkpatch.pl" --strict --no-tree \
			--terse --show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,LINUX_VERSION_CODE \
			-f $files 2>&1 | grep -E ': (ERROR|WARNING|CHECK):' || true) && [ -z "$report" ]; then
		echo "ok $n checkpatch --strict $g"
	else
		echo "not ok $n checkpatch --strict $g"
		echo "$report" | sed 's/^/# /'
		rc=1
	fi
done
echo "1..$n"
exit $rc
