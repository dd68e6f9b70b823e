#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-sched-tests.sh - time-slice scheduler kselftests of the Tessera host
# driver, inside the VM rig (as root).
#
# Usage:
#   tests/sched/run-sched-tests.sh [-d BINDIR] [-k MODULE]
#
# Loads the driver built in the repository (drivers/tessera/tessera.ko, or
# MODULE), runs every sched_* kselftest in BINDIR (default
# build/tests/sched, or $TESSERA_SCHED_TESTS; 900 s each; TESSERA_FENCE_LOG:
# see tessera_rmmod in tests/lib/ksft-run.sh) and prints one
# merged TAP stream (tests/lib/ksft-run.sh); exit status 0 if nothing
# failed.
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- sched=$PWD/tests/sched/run-sched-tests.sh
#
# TESSERA_KO=PATH loads that tessera.ko instead of drivers/tessera/tessera.ko
# (the debug suites: build/debug, built against the debug kernel).
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_SCHED_TESTS:-$repo/build/tests/sched}
ko=${TESSERA_KO:-$repo/drivers/tessera/tessera.ko}

while getopts "d:k:h" opt; do
	case $opt in
	d) bindir=$OPTARG ;;
	k) ko=$OPTARG ;;
	*) sed -n '/^# Usage/,/^set -u/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done

# shellcheck source-path=SCRIPTDIR source=../lib/ksft-run.sh
. "$here/../lib/ksft-run.sh"
tap_start

mount -t debugfs none /sys/kernel/debug 2>/dev/null || true

if ! tessera_insmod "$ko"; then
	tap_not_ok "insmod $ko"
	tap_plan_and_exit
fi
tap_ok "insmod tessera.ko"

for prog in "$bindir"/sched_*; do
	[ -x "$prog" ] || continue
	ksft_run_prog "$prog" 900
done
cat /sys/kernel/debug/tessera/*/sched 2>/dev/null | sed 's/^/# /'

tap_check "final rmmod" tessera_rmmod
tap_plan_and_exit
