#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-native-tests.sh - native interface tests of the Tessera host driver,
# inside the VM rig (as root).
#
# Usage:
#   tests/native/run-native-tests.sh [-d BINDIR] [-k MODULE] [-r RELOADS]
#
# Loads the driver built in the repository (drivers/tessera/tessera.ko),
# runs every native_* kselftest in BINDIR (default build/tests/native),
# then checks that unloading with an open file is refused and that
# unload/reload RELOADS times (default 100) with work in between leaks
# nothing according to the driver's debugfs accounting. Prints one merged
# TAP stream; exit status 0 if nothing failed.
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- native=$PWD/tests/native/run-native-tests.sh
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_NATIVE_TESTS:-$repo/build/tests/native}
ko=$repo/drivers/tessera/tessera.ko
cli=${TESSERA_CLI:-$repo/build/tools/tessera}
reloads=100

while getopts "d:k:r:h" opt; do
	case $opt in
	d) bindir=$OPTARG ;;
	k) ko=$OPTARG ;;
	r) reloads=$OPTARG ;;
	*) sed -n '/^# Usage/,/^set -u/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done

n=0
fail=0
echo "TAP version 13"
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }

dbg() { echo /sys/kernel/debug/tessera/*/accounting; }
mount -t debugfs none /sys/kernel/debug 2>/dev/null || true

# Everything in the accounting that must return to 0 with no file open.
accounting_clean() {
	local f
	f=$(dbg)
	[ -r "$f" ] || return 1
	awk '/^(contexts|vram_bytes|gart_entries|pinned_pages|buffers|gart_maps) / && $2 != 0 { bad = 1; print "# leak: " $0 }
	     END { exit bad }' "$f"
}

load() {
	local dep
	# Modules tessera.ko links against (vfio, mdev, ...) come first.
	for dep in $(modinfo -F depends "$ko" 2>/dev/null | tr , ' '); do
		modprobe "$dep" 2>/dev/null || true
	done
	insmod "$ko" "$@" || return 1
	for _ in $(seq 50); do
		[ -c /dev/tessera0 ] && return 0
		sleep 0.1
	done
	return 1
}

lsmod | grep -q '^tessera ' && rmmod tessera
if ! load; then
	notok "insmod $ko"
	echo "1..$n"
	exit 1
fi
ok "insmod tessera.ko"

# ---- kselftest programs ----------------------------------------------------
for prog in "$bindir"/native_*; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	echo "# ==== $name"
	results=0 failed=0
	out=$(mktemp)
	timeout -k 10 900 "$prog" >"$out" 2>&1
	echo "# exit status $?" >>"$out"
	while IFS= read -r line; do
		case $line in
		"TAP version"*|1..*) echo "# $name: $line" ;;
		"ok "*)
			rest=${line#ok }; rest=${rest#* }
			results=$((results + 1)); ok "$name: $rest" ;;
		"not ok "*)
			rest=${line#not ok }; rest=${rest#* }
			results=$((results + 1))
			case $rest in
			*"# SKIP"*) n=$((n + 1)); echo "ok $n $name: $rest" ;;
			*) failed=1; notok "$name: $rest" ;;
			esac ;;
		*) echo "$line" ;;
		esac
	done <"$out"
	rm -f "$out"
	[ $results -gt 0 ] || notok "$name # produced no results"
done
check "accounting clean after the test programs" accounting_clean

# ---- unload refused while a file is open ---------------------------------
exec 3<>/dev/tessera0
if rmmod tessera 2>/dev/null; then
	notok "rmmod refused with an open file"
	load
else
	ok "rmmod refused with an open file"
fi
exec 3>&-
check "accounting clean after close" accounting_clean

# ---- unload/reload with work in between ----------------------------------
bad=0
for i in $(seq "$reloads"); do
	if [ -x "$cli" ]; then
		msg=$("$cli" run-demo 2>&1) || { echo "# run-demo failed in round $i: $msg"; bad=1; }
	else
		"$bindir/native_cmds" -t fill_copy_engines >/dev/null 2>&1 ||
			{ echo "# work failed in round $i"; bad=1; }
	fi
	accounting_clean || { echo "# leak in round $i"; bad=1; }
	rmmod tessera || { echo "# rmmod failed in round $i"; bad=1; break; }
	load || { echo "# reload failed in round $i"; bad=1; break; }
	[ $bad = 0 ] || break
done
if [ $bad = 0 ]; then ok "unload/reload $reloads times with work, no leak"; else notok "unload/reload $reloads times with work, no leak"; fi

check "final rmmod" rmmod tessera
echo "1..$n"
exit $fail
