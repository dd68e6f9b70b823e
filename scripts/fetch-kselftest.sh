#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract the kernel's kselftest headers (kselftest_harness.h, kselftest.h)
# from Debian's linux-source-6.12 package into build/kselftest/ (or $1).
# Third-party files: never committed, only cached under build/.
#
#   scripts/fetch-kselftest.sh [DESTDIR]
set -eu
top=$(dirname "$(readlink -f "$0")")/..
top=$(readlink -f "$top")
dest=${1:-$top/build/kselftest}
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
files="kselftest_harness.h kselftest.h"

# The harness's longjmp from a failed ASSERT clobbers its local "child"
# (gcc -O2), and then FIXTURE_TEARDOWN does not run: every suite would
# leak its fixture (vGPUs, mappings) after a failed ASSERT. Declared
# volatile, it survives the longjmp.
fix_harness() {
	sed -i 's/^\(\t*\)pid_t child = 1; \\$/\1volatile pid_t child = 1; \\/' "$1"
	grep -q 'volatile pid_t child = 1;' "$1"
}

have=1
for f in $files; do
	[ -s "$dest/$f" ] || have=0
done
grep -qs 'volatile pid_t child = 1;' "$dest/kselftest_harness.h" || have=0
if [ $have = 1 ]; then
	exit 0
fi

if [ ! -r "$tarball" ]; then
	echo "fetch-kselftest.sh: $tarball not found." >&2
	echo "  Install Debian's linux-source-6.12 package:" >&2
	echo "    sudo apt-get install linux-source-6.12" >&2
	echo "  (or run scripts/setup-host.sh; LINUX_SOURCE_TARBALL=... overrides the path)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
top_dir=$(tar -tJf "$tarball" 2>/dev/null | head -n1 | cut -d/ -f1)
members=
for f in $files; do
	members="$members $top_dir/tools/testing/selftests/$f"
done
# shellcheck disable=SC2086
if ! tar -xJf "$tarball" -C "$tmp" $members; then
	echo "fetch-kselftest.sh: $tarball lacks the kselftest headers" \
	     "(is it Debian's linux-source-6.12?)" >&2
	exit 1
fi
mkdir -p "$dest"
for f in $files; do
	install -m 0644 "$tmp/$top_dir/tools/testing/selftests/$f" "$dest/$f.tmp"
	if [ "$f" = kselftest_harness.h ] && ! fix_harness "$dest/$f.tmp"; then
		echo "fetch-kselftest.sh: cannot make the harness's child pid volatile" >&2
		exit 1
	fi
	mv -f "$dest/$f.tmp" "$dest/$f"
done
echo "fetch-kselftest.sh: kselftest headers from $(basename "$tarball") in $dest"
