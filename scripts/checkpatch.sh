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
# Userspace code (the model core, tools, tests) uses the C standard's
# fixed-width types, not the kernel's u32/u64, and spells attributes out
# (no <linux/compiler_attributes.h> __printf()). The compat header is the one
# place where LINUX_VERSION_CODE comparisons belong.
common=FILE_PATH_CHANGES,SPDX_LICENSE_TAG
check_group() { # name ignores files...
	local name=$1 ignores=$2 report
	shift 2
	[ $# -gt 0 ] || return 0
	n=$((n + 1))
	report=$(cd "$top" && perl "$out/scripts/checkpatch.pl" --strict --no-tree \
			--terse --show-types --ignore "$common$ignores" -f "$@" 2>&1 |
		grep -E ': (ERROR|WARNING|CHECK):' || true)
	if [ -z "$report" ]; then
		echo "ok $n checkpatch --strict $name"
	else
		echo "not ok $n checkpatch --strict $name"
		echo "$report" | sed 's/^/# /'
		rc=1
	fi
}
files() {
	(cd "$top" && git ls-files -co --exclude-standard -- "$@" 2>/dev/null |
		grep -E '\.[ch]$' || true)
}

n=0 rc=0
echo "TAP version 13"
compat=drivers/tessera/tessera_compat.h
# shellcheck disable=SC2046
check_group drivers "" $(files drivers | grep -vx "$compat")
# shellcheck disable=SC2046
check_group "$compat" ,CONSTANT_COMPARISON,LINUX_VERSION_CODE $(files "$compat")
# shellcheck disable=SC2046
check_group include "" $(files include)
for g in qemu/tessera-core tools tests bench; do
	# shellcheck disable=SC2046
	check_group "$g" \
		,PREFER_KERNEL_TYPES,VOLATILE,PREFER_DEFINED_ATTRIBUTE_MACRO \
		$(files "$g*" "$g/*")
done
echo "1..$n"
exit $rc
