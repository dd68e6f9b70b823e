#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-native-tests.sh - native interface tests of the Tessera host driver,
# inside the VM rig (as root).
#
# Usage:
#   tests/native/run-native-tests.sh [-d BINDIR] [-k MODULE] [-r RELOADS]
#
# Loads the driver built in the repository for the running kernel
# (drivers/tessera/tessera.ko, build/compat-KVER/... on the 6.1 kernel;
# tests/lib/ksft-run.sh: tessera_ko), or MODULE, runs every native_*
# kselftest in BINDIR (default build/tests/native, or $TESSERA_NATIVE_TESTS; 900 s each), then checks
# that unloading with an open file is refused and that unload/reload
# RELOADS times (default 100) with work in between (tessera run-demo;
# $TESSERA_CLI, default build/tools/tessera) leaks nothing according to the
# driver's debugfs accounting (TESSERA_FENCE_LOG: see tessera_rmmod in
# tests/lib/ksft-run.sh). Prints one merged TAP stream
# (tests/lib/ksft-run.sh); exit status 0 if nothing failed.
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- native=$PWD/tests/native/run-native-tests.sh
#
# TESSERA_KO=PATH loads that tessera.ko instead of drivers/tessera/tessera.ko
# (the debug suites: build/debug, built against the debug kernel).
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_NATIVE_TESTS:-$repo/build/tests/native}
ko=${TESSERA_KO:-}
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

# shellcheck source-path=SCRIPTDIR source=../lib/ksft-run.sh
. "$here/../lib/ksft-run.sh"
tap_start
[ -n "$ko" ] || ko=$(tessera_ko "$repo")

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

load() { tessera_insmod "$ko"; }

if ! load; then
	tap_not_ok "insmod $ko"
	tap_plan_and_exit
fi
tap_ok "insmod tessera.ko"

# ---- kselftest programs ----------------------------------------------------
for prog in "$bindir"/native_*; do
	[ -x "$prog" ] || continue
	ksft_run_prog "$prog" 900
done
tap_check "accounting clean after the test programs" accounting_clean

# ---- unload refused while a file is open ---------------------------------
exec 3<>/dev/tessera0
if rmmod tessera 2>/dev/null; then
	tap_not_ok "rmmod refused with an open file"
	load
else
	tap_ok "rmmod refused with an open file"
fi
exec 3>&-
tap_check "accounting clean after close" accounting_clean

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
	tessera_rmmod || { echo "# rmmod failed in round $i"; bad=1; break; }
	load || { echo "# reload failed in round $i"; bad=1; break; }
	[ $bad = 0 ] || break
done
if [ $bad = 0 ]; then tap_ok "unload/reload $reloads times with work, no leak"; else tap_not_ok "unload/reload $reloads times with work, no leak"; fi

tap_check "final rmmod" tessera_rmmod
tap_plan_and_exit
