#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run every in-VM test suite, one VM boot per suite, and print their TAP.
# Each suite boots a fresh L1 guest (scripts/vm-run.sh) so that suites that
# bind the GPU to different drivers (vfio-pci for the model tests, tessera
# for the native tests) never meet. Exit status: 0 if every suite passed.
#
#   scripts/run-vm-tests.sh [SUITE...]     suites: model native sched mdev e2e
#
# model   the GPU model through vfio-pci (tests/vm)
# native  the driver's native interface (tests/native)
# sched   the time-slice scheduler (tests/sched)
# mdev    vGPUs through VFIO, acting as the guest (tests/mdev)
# e2e     libvirt + an L2 guest on a vGPU (scripts/run-e2e.sh; slow:
#         KVM inside a TCG L1). Skip it locally with TESSERA_SKIP_E2E=1.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
default="model native sched mdev"
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
	"$top/scripts/vm-run.sh" --results "$top/build/vm-results/$name" "$@" || rc=1
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
	e2e)
		echo "# suite e2e"
		"$top/scripts/run-e2e.sh" || rc=1
		;;
	*)
		echo "run-vm-tests: unknown suite '$s' (model, native, sched, mdev, e2e)" >&2
		rc=2
		;;
	esac
done
exit $rc
