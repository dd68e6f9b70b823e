#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every in-VM test suite, one VM boot per suite, and print their TAP.
# Each suite boots a fresh L1 guest (scripts/vm-run.sh) so that suites that
# bind the GPU to different drivers (vfio-pci for the model tests, tessera
# for the native tests) never meet. Exit status: 0 if every suite passed.
#
#   scripts/run-vm-tests.sh [--kver KVER] [SUITE...]
#                                     suites: model native sched mdev pkg
#                                            debug e2e
#
# --kver KVER boots that guest kernel (default: the 6.12 one; e.g. the 6.1
# one, scripts/kernel-version.sh 6.1, whose module make modules-compat
# builds under build/compat-KVER) and keeps the results in
# build/vm-results/SUITE-KVER instead of build/vm-results/SUITE.
#
# model   the GPU model through vfio-pci (tests/vm)
# native  the driver's native interface (tests/native)
# sched   the time-slice scheduler (tests/sched)
# mdev    vGPUs through VFIO, acting as the guest (tests/mdev)
# debug   the native, sched and mdev suites again (suites debug-native,
#         debug-sched, debug-mdev: one VM each, as lockdep reports only its
#         first finding) on the debug kernel (scripts/build-debug-kernel.sh:
#         lockdep, KASAN, UBSAN, kmemleak, list/object debugging) with the
#         module built against it (make modules-debug). A kmemleak scan
#         follows each suite; any report fails it. With TESSERA_DEBUG=1
#         (make check sets it unless TESSERA_DEBUG=0), or named.
# pkg     the tessera-dkms package (built here by scripts/mkdeb.sh) built
#         by DKMS in the guest, modprobe, removal; make install (tests/pkg).
#         Left out with TESSERA_PKG=0.
# e2e     libvirt + an L2 guest on a vGPU (scripts/run-e2e.sh; slow:
#         KVM inside a TCG L1). Skip it locally with TESSERA_SKIP_E2E=1.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kver_args=()
suffix=
if [ "${1:-}" = --kver ] && [ $# -ge 2 ]; then
	kver_args=(--kver "$2")
	suffix=-$2
	shift 2
fi
default="model native sched mdev"
[ "${TESSERA_PKG:-1}" = 0 ] || default="$default pkg"
[ "${TESSERA_DEBUG:-0}" != 1 ] || default="$default debug"
[ "${TESSERA_SKIP_E2E:-0}" = 1 ] || default="$default e2e"
suites=${*:-$default}
rc=0

# The model suite provokes one IOMMU fault on purpose (a GART entry naming
# an unmapped IOVA): the guest kernel's DMAR fault report is expected there
# and nowhere else.
dmar_fault='DMAR: (DRHD: handling fault|\[DMA (Read|Write))'

run_suite() {
	local name=$1
	shift
	echo "# suite $name"
	"$top/scripts/vm-run.sh" "${kver_args[@]}" \
		--results "$top/build/vm-results/$name$suffix" "$@" || rc=1
}

# The debug kernel and the module built against it (make modules-debug),
# which must not be older than the module's sources.
debug_ko=$top/build/debug/drivers/tessera/tessera.ko
debug_setup() {
	[ -z "${debug_dir:-}" ] || return 0
	debug_dir=$("$top/scripts/build-debug-kernel.sh" --print-dir) || {
		echo "run-vm-tests: no debug kernel (scripts/build-debug-kernel.sh failed)" >&2
		return 1
	}
	if [ ! -f "$debug_ko" ]; then
		echo "run-vm-tests: no $debug_ko (make modules-debug)" >&2
		return 1
	fi
	if [ -n "$(cd "$top" && find Kbuild drivers include -newer "$debug_ko" -print -quit)" ]; then
		echo "run-vm-tests: $debug_ko is older than the sources (make modules-debug)" >&2
		return 1
	fi
}
# debug_suite NAME COMMAND: a suite on the debug kernel. -cpu max without
# LA57: with 5-level paging this kernel's KASAN reports a spurious early
# out-of-bounds access. The checkers slow everything down: give it time.
debug_suite() {
	local name=$1 cmd=$2
	if ! debug_setup; then
		echo "# suite $name"
		echo "not ok 1 $name # the debug kernel or its module is missing"
		rc=1
		return
	fi
	# Multi-threaded TCG for the debug kernel (as before 2026-12-03):
	# on single-threaded TCG the fuzzer's 100,000 ops ran at 300 ops/s
	# instead of ~700 and ran out of time, and make check took 94 min.
	# The stale-int3 risk (Documentation/dev/test-rig.rst) is accepted.
	VM_ACCEL=${VM_ACCEL:-tcg} \
	run_suite "$name" --kernel-dir "$debug_dir" --cpu max,la57=off \
		--timeout "${DEBUG_VM_TIMEOUT:-3000}" --gpu "" -- \
		"${name#debug-}=env TESSERA_KO=$debug_ko $cmd"
}

expanded=
for s in $suites; do
	[ "$s" != debug ] || s="debug-native debug-sched debug-mdev"
	expanded="$expanded $s"
done
suites=$expanded

for s in $suites; do
	case $s in
	debug-native)
		# 20 unload/reload cycles, not 100: every cycle boots the
		# engines and runs a demo job, and under KASAN + lockdep +
		# kmemleak in TCG each costs several times more; 20 still go
		# through every load/unload path with kmemleak watching.
		debug_suite debug-native "$top/tests/native/run-native-tests.sh -r ${DEBUG_NATIVE_RELOADS:-20}"
		;;
	debug-sched)
		debug_suite debug-sched "$top/tests/sched/run-sched-tests.sh"
		;;
	debug-mdev)
		# The kernel's VFIO selftests check VFIO semantics, not locks or
		# memory: they run in the stock mdev suite only.
		# The fuzzer does its million operations on the stock kernel;
		# under KASAN and lockdep it runs at ~700 ops/s, so 100,000 here (the time budget of make check).
		debug_suite debug-mdev "env TESSERA_MDEV_EXCLUDE=mdev_kernel_selftests.sh TESSERA_FUZZ_OPS=${DEBUG_FUZZ_OPS:-100000} $top/tests/mdev/run-mdev-tests.sh"
		;;
	model)
		# rig: the rig's own TCG survives the guest patching its code
		# while both vCPUs run it (Documentation/dev/test-rig.rst).
		run_suite model --gpu "" --allow-splat "$dmar_fault" -- \
			"model=env TESSERA_ALLOW_DMAR_FAULT=1 $top/tests/vm/run-model-tests.sh" \
			"rig=$top/tests/vm/rig_code_patching.sh"
		;;
	native)
		if [ -x "$top/tests/native/run-native-tests.sh" ]; then
			run_suite native --gpu "" -- \
				"native=$top/tests/native/run-native-tests.sh"
		fi
		;;
	sched)
		run_suite sched --gpu "" -- \
			"sched=$top/tests/sched/run-sched-tests.sh"
		;;
	mdev)
		# 1200 s: the kernel's VFIO selftests (mdev_kernel_selftests.sh)
		# add about 300 s under TCG to the mediation tests. On another
		# kernel (--kver: bookworm's 6.1) they are left out (they test
		# VFIO's semantics, which the 6.12 run covers), and the
		# fuzzer's million operations would not fit its 330 s (2832
		# ops/s there, 8692 on 6.12): 300,000 there.
		fuzz=
		[ -z "$suffix" ] || fuzz="env TESSERA_MDEV_EXCLUDE=mdev_kernel_selftests.sh TESSERA_FUZZ_OPS=${COMPAT_FUZZ_OPS:-300000} "
		run_suite mdev --timeout 1200 --gpu "" -- \
			"mdev=$fuzz$top/tests/mdev/run-mdev-tests.sh"
		;;
	pkg)
		# DKMS compiles the module inside the guest (TCG): minutes.
		"$top/scripts/mkdeb.sh" >/dev/null || rc=1
		run_suite pkg --gpu "" --timeout 2400 -- \
			"pkg=$top/tests/pkg/run-pkg-tests.sh"
		;;
	e2e)
		echo "# suite e2e"
		"$top/scripts/run-e2e.sh" || rc=1
		;;
	*)
		echo "run-vm-tests: unknown suite '$s' (model, native, sched, mdev, pkg, debug, e2e)" >&2
		rc=2
		;;
	esac
done
exit $rc
