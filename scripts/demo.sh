#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot an L1 VM (TCG) with one Tessera GPU and run
# scripts/demo-guest.sh in it, showing what it prints as it goes.
# L1 is set up as for the end-to-end stage (scripts/run-e2e.sh: a CPU with
# AMD SVM and nested paging, multi-threaded TCG, 4 GiB), so that the demo's
# VM runs on KVM inside it; its initramfs is built here.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$top/tests/e2e" O="$top/build/tests/e2e" >&2
initrd=$("$top/scripts/l2/mkinitramfs-l2.sh")
VM_ACCEL=${VM_ACCEL:-tcg} exec "$top/scripts/vm-run.sh" --gpu "vram-size=1G" \
	--mem 4G --cpu "$("$top/scripts/run-e2e.sh" --print-l1-cpu)" \
	--timeout "${DEMO_TIMEOUT:-2400}" \
	--results "$top/build/vm-results/demo" --brief "$@" \
	-- "demo=env E2E_L2_INITRD=$initrd $top/scripts/demo-guest.sh"
