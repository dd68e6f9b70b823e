#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make check": every gate of the project, in order, each stage recorded as
# TAP under build/check/. Ends with the line "N passed, N failed, N skipped"
# over all stages and exits non-zero if anything failed.
#
# Environment:
#   TESSERA_SKIP_VM=1   skip the stages that boot VMs (for a quick local run)
#   TESSERA_DEBUG=1     also build the debug kernel (KASAN, lockdep, UBSAN,
#                       kmemleak), the module against it, and run the debug
#                       suites on it. Off by default until the stage has had
#                       its first clean run and its time is measured (see
#                       Documentation/dev/test-rig.rst); TESSERA_SKIP_VM=1
#                       skips it too.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/check
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1
MAKE=${MAKE:-make}
seq=0

# build_stage NAME CMD...: a stage that passes or fails as a whole.
build_stage() {
	local name=$1 log
	shift
	seq=$((seq + 1))
	log=$out/$(printf '%02d' $seq)-$name.log
	echo "=== $name: $*"
	if "$@" >"$log" 2>&1; then
		printf 'TAP version 13\nok 1 %s\n1..1\n' "$name" >"${log%.log}.tap"
		echo "ok: $name"
	else
		{ printf 'TAP version 13\nnot ok 1 %s\n' "$name"
		  tail -n 40 "$log" | sed 's/^/# /'
		  echo "1..1"; } >"${log%.log}.tap"
		tail -n 40 "$log"
		echo "FAILED: $name (full log: $log)"
	fi
}

# tap_stage NAME CMD...: a stage whose command prints TAP itself.
tap_stage() {
	local name=$1 tap rc
	shift
	seq=$((seq + 1))
	tap=$out/$(printf '%02d' $seq)-$name.tap
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$tap"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$tap"; then
		echo "not ok 999 $name exited with status $rc" | tee -a "$tap"
	fi
}

tap_stage unit-tests $MAKE -s unit
build_stage module-$(scripts/kernel-version.sh 6.12) $MAKE modules
build_stage module-$(scripts/kernel-version.sh 6.1) $MAKE modules-compat
build_stage tools $MAKE tools
build_stage vm-test-programs $MAKE tests
tap_stage checkpatch scripts/checkpatch.sh
build_stage qemu-with-model scripts/build-qemu.sh
# The debug kernel (cached; a cold build takes ~13 min on 2 cores) and the
# module built against it, for the debug suites of vm-tests.
debug=0
if [ "${TESSERA_SKIP_VM:-0}" != 1 ] && [ "${TESSERA_DEBUG:-0}" = 1 ]; then
	debug=1
	build_stage debug-kernel scripts/build-debug-kernel.sh
	build_stage module-debug "$MAKE" modules-debug
fi
# vm_stage: every in-VM suite. The console output is shown (and logged)
# as it goes, but what counts is each suite's own TAP file from its results
# directory: the console repeats the tests' output.
vm_stage() {
	local log rc s f copied=0
	seq=$((seq + 1))
	log=$out/$(printf '%02d' $seq)-vm-tests.log
	echo "=== vm-tests: scripts/run-vm-tests.sh"
	rm -rf "$top"/build/vm-results/{model,native,sched,mdev,e2e,debug-native,debug-sched,debug-mdev}
	[ $debug = 1 ] || export TESSERA_SKIP_DEBUG=1
	scripts/run-vm-tests.sh 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	for s in model native sched mdev debug-native debug-sched debug-mdev e2e; do
		# <suite>.tap, and kernel-log.tap when the guest's log had splats
		for f in "$top/build/vm-results/$s"/*.tap; do
			[ -f "$f" ] || continue
			cp "$f" "$out/$(printf '%02d' $seq)-vm-$s-$(basename "$f")"
			copied=1
		done
	done
	if [ "$rc" != 0 ] && ! grep -qs '^not ok' "$out"/*-vm-*.tap; then
		echo "not ok 1 vm-tests exited with status $rc (log: $log)" \
			>"$out/$(printf '%02d' $seq)-vm-tests.tap"
	elif [ $copied = 0 ]; then
		echo "not ok 1 vm-tests left no TAP (log: $log)" \
			>"$out/$(printf '%02d' $seq)-vm-tests.tap"
	fi
}

if [ "${TESSERA_SKIP_VM:-0}" != 1 ]; then
	vm_stage
fi

echo "=== summary (TAP in $out)"
scripts/tap-summary.sh "$out"/*.tap
