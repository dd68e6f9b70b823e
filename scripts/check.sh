#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "make check": every gate of the project, in order, each stage recorded as
# TAP under build/check/. Ends with the line "N passed, N failed, N skipped"
# over all stages and exits non-zero if anything failed.
#
# Environment:
#   TESSERA_SKIP_VM=1   skip the stages that boot VMs (for a quick local run)
#   TESSERA_DEBUG=0     skip the debug stage: the debug kernel (KASAN,
#                       lockdep, UBSAN, kmemleak), the module built
#                       against it, and the native, sched and mdev suites
#                       (with the hostile fuzzer) on it
#                       (Documentation/dev/test-rig.rst); TESSERA_SKIP_VM=1
#                       skips it too.
#   TESSERA_COMPAT_VM=0 do not boot the 6.1 kernel (by default the native
#                       and mdev suites also run on it; see test-rig.rst)
#   TESSERA_PKG=0       leave out the pkg suite (the tessera-dkms package
#                       built by DKMS in the guest, and make install; about
#                       9 min, most of it DKMS compiling under TCG)
#   CHECK_T0            when the run began (seconds since the epoch; .ci/run
#                       sets it before it installs packages; default: now)
#   CHECK_BUDGET_MIN    the run's time budget in minutes (default 75). The
#                       6.1 stage, the last, is skipped, and says so, when
#                       fewer than its usual 12 minutes are left.
# Each stage's time is printed after it and, at the end, in a table
# (build/check/times.txt).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/check
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1
MAKE=${MAKE:-make}
seq=0
t0=${CHECK_T0:-$(date +%s)}
budget=$((${CHECK_BUDGET_MIN:-75} * 60))
times=$out/times.txt
: >"$times"
# stage_time NAME START: print and record how long the stage took.
stage_time() {
	local d=$(($(date +%s) - $2))
	printf '%-28s %4d:%02d\n' "$1" $((d / 60)) $((d % 60)) >>"$times"
	echo "--- $1 took ${d}s; $(($(date +%s) - t0))s since the start"
}

# build_stage NAME CMD...: a stage that passes or fails as a whole.
build_stage() {
	local name=$1 log t
	shift
	t=$(date +%s)
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
	stage_time "$name" "$t"
}

# tap_stage NAME CMD...: a stage whose command prints TAP itself.
tap_stage() {
	local name=$1 tap rc t
	shift
	t=$(date +%s)
	seq=$((seq + 1))
	tap=$out/$(printf '%02d' $seq)-$name.tap
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$tap"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && ! grep -q '^not ok' "$tap"; then
		echo "not ok 999 $name exited with status $rc" | tee -a "$tap"
	fi
	stage_time "$name" "$t"
}

k612=$(scripts/kernel-version.sh 6.12)
k61=$(scripts/kernel-version.sh 6.1)
tap_stage unit-tests "$MAKE" -s unit
build_stage "module-$k612" "$MAKE" modules
build_stage "module-$k61" "$MAKE" modules-compat
# The newest kernel Debian ships (7.x): compiled against, never booted.
build_stage module-newest "$MAKE" modules-newest
knew=$(sed -n 's/^modules-newest: against \([^ ]*\) .*/\1/p' "$out"/*-module-newest.log 2>/dev/null)
# The two modules' split: core/ free of VFIO, tessera.ko's dependencies,
# the core API exported (Documentation/dev/architecture.rst).
tap_stage module-split scripts/check-modules.sh
build_stage tools "$MAKE" tools
build_stage vm-test-programs "$MAKE" tests
tap_stage checkpatch scripts/checkpatch.sh
tap_stage shell-lint scripts/lint-shell.sh
build_stage qemu-with-model scripts/build-qemu.sh
# The debug kernel (cached; a cold build takes ~10 min on 2 idle cores)
# and the module built against it, for the debug suites of vm-tests.
debug=0
if [ "${TESSERA_SKIP_VM:-0}" != 1 ] && [ "${TESSERA_DEBUG:-1}" = 1 ]; then
	debug=1
	build_stage debug-kernel scripts/build-debug-kernel.sh
	build_stage module-debug "$MAKE" modules-debug
fi
# vm_stage NAME [--kver KVER SUITE...]: in-VM suites (default: all of the
# default kernel's). The console output is shown (and logged) as it goes,
# but what counts is each suite's own TAP file from its results directory:
# the console repeats the tests' output.
vm_stage() {
	local name=$1 log rc s f copied=0 suffix='' suites t
	shift
	t=$(date +%s)
	[ "${1:-}" = --kver ] && suffix=-$2
	seq=$((seq + 1))
	log=$out/$(printf '%02d' $seq)-$name.log
	echo "=== $name: scripts/run-vm-tests.sh $*"
	if [ -n "$suffix" ]; then
		suites="${*:3}"
	else
		suites="model native sched mdev pkg debug-native debug-sched debug-mdev e2e"
	fi
	for s in $suites; do rm -rf "$top/build/vm-results/$s$suffix"; done
	[ $debug = 1 ] && export TESSERA_DEBUG=1
	scripts/run-vm-tests.sh "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	for s in $suites; do
		# <suite>.tap, and kernel-log.tap when the guest's log had splats
		for f in "$top/build/vm-results/$s$suffix"/*.tap; do
			[ -f "$f" ] || continue
			cp "$f" "$out/$(printf '%02d' $seq)-vm-$s$suffix-$(basename "$f")"
			copied=1
		done
	done
	if [ "$rc" != 0 ] && ! grep -qs '^not ok' "$out/$(printf '%02d' $seq)"-vm-*.tap; then
		echo "not ok 1 $name exited with status $rc (log: $log)" \
			>"$out/$(printf '%02d' $seq)-$name.tap"
	elif [ $copied = 0 ]; then
		echo "not ok 1 $name left no TAP (log: $log)" \
			>"$out/$(printf '%02d' $seq)-$name.tap"
	fi
	stage_time "$name" "$t"
}

if [ "${TESSERA_SKIP_VM:-0}" != 1 ]; then
	vm_stage vm-tests
	# The second supported kernel, booted: the native and mdev suites on
	# Debian bookworm's 6.1 with the module of make modules-compat.
	# It is skipped, and says so, when the time budget has not its usual
	# 12 minutes left (a CI run must end inside its limit).
	left=$((budget - ($(date +%s) - t0)))
	if [ "${TESSERA_COMPAT_VM:-1}" != 1 ] || [ "${TESSERA_SKIP_COMPAT_VM:-0}" = 1 ]; then
		:
	elif [ $left -lt 720 ]; then
		seq=$((seq + 1))
		echo "=== vm-tests-$k61: skipped, $((left / 60)) min of the ${CHECK_BUDGET_MIN:-75}-min budget left"
		echo "ok 1 vm-tests-$k61 # SKIP time budget: $((left / 60)) of ${CHECK_BUDGET_MIN:-75} min left, it takes 12" \
			>"$out/$(printf '%02d' $seq)-vm-tests-$k61.tap"
	else
		vm_stage "vm-tests-$k61" --kver "$k61" native mdev
	fi
fi

# Which kernels the module was built for, and which the VMs booted.
booted=$(cat "$top"/build/vm-results/{model,native,sched,mdev,pkg,debug-*,e2e}*/console.log 2>/dev/null |
	sed -n 's/.*tessera-guest: up .*: kernel \([^,]*\),.*/\1/p' | sort -u | tr '\n' ' ')
echo "=== kernels: module built for $k612 (make modules), $k61 (make modules-compat) and ${knew:-the newest: failed} (make modules-newest, not booted); VMs booted: ${booted:-none}"
# The first splat of each guest that logged one (vm-run.sh's kernel-log.tap),
# again here at the end, where a truncated CI log still shows it.
for f in "$out"/*-kernel-log.tap; do
	[ -f "$f" ] || continue
	echo "=== splat: $(basename "$f" .tap)"
	grep '^# ' "$f" | head -n 40
done
echo "=== stage times (m:s; $(($(date +%s) - t0))s since the start)"
cat "$times"
echo "=== summary (TAP in $out)"
scripts/tap-summary.sh "$out"/*.tap
