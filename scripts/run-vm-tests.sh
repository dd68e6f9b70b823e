#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every in-VM test suite, one VM boot per suite, and print their TAP.
# Each suite boots a fresh L1 guest (scripts/vm-run.sh) so that suites that
# bind the GPU to different drivers (vfio-pci for the model tests, tessera
# for the native tests) never meet. Exit status: 0 if every suite passed.
#
#   scripts/run-vm-tests.sh [--kver KVER] [SUITE...]
#                                     suites: model native sched mdev pkg e2e
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
# pkg     the tessera-dkms package (built here by scripts/mkdeb.sh) built
#         by DKMS in the guest, modprobe, removal; make install (tests/pkg)
# e2e     libvirt + an L2 guest on a vGPU (scripts/run-e2e.sh; slow:
#         TCG in TCG). Skip it locally with TESSERA_SKIP_E2E=1.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kver_args=()
suffix=
if [ "${1:-}" = --kver ] && [ $# -ge 2 ]; then
	kver_args=(--kver "$2")
	suffix=-$2
	shift 2
fi
default="model native sched mdev pkg"
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

for s in $suites; do
	case $s in
	model)
		run_suite model --gpu "" --allow-splat "$dmar_fault" -- \
			"model=env TESSERA_ALLOW_DMAR_FAULT=1 $top/tests/vm/run-model-tests.sh"
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
		run_suite mdev --gpu "" -- "mdev=$top/tests/mdev/run-mdev-tests.sh"
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
		echo "run-vm-tests: unknown suite '$s' (model, native, sched, mdev, pkg, e2e)" >&2
		rc=2
		;;
	esac
done
exit $rc
