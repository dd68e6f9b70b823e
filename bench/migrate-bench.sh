#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# migrate-bench.sh - live migration benchmark (make bench-migrate): for
# each vGPU type (8m, 32m, 128m, 256m) and each load (idle: the guest's
# workload ended before the migration; busy: "tessera soak" runs through
# it), one QEMU-to-QEMU live migration of an L2 guest in the L1 VM rig
# (scripts/e2e-migrate.sh, its QEMU part). Prints one row per run:
# partition size, QEMU's downtime and total time (query-migrate), what
# the vGPU sent before and in STOP_COPY (sysfs tessera/migration_bytes)
# and STOP_COPY bytes / partition size. Under TCG the absolute times are
# not hardware times: read the ratios and the slope against the partition.
#
#   bench/migrate-bench.sh [RESULTS_DIR]      (default build/bench-migrate)
#   MIG_BENCH_TYPES="8m 32m" MIG_BENCH_LOADS=busy bench/migrate-bench.sh
#
# Needs what scripts/run-e2e.sh needs (make modules tests tools, the
# bookworm-backports QEMU of scripts/setup-host.sh).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
res=$(readlink -f "${1:-$top/build/bench-migrate}")
types=${MIG_BENCH_TYPES:-8m 32m 128m 256m}
loads=${MIG_BENCH_LOADS:-idle busy}
mkdir -p "$res"
initrd=$("$top/scripts/l2/mkinitramfs-l2.sh")
jobs=()
for t in $types; do
	for l in $loads; do
		jobs+=("mig-$t-$l=env E2E_L2_INITRD=$initrd E2E_MIG_TYPE=tessera-$t E2E_MIG_LOAD=$l E2E_MIG_SOAK=${MIG_BENCH_SOAK:-40} E2E_MIG_LIBVIRT=0 E2E_MIG_ART=migrate-$t-$l $top/scripts/e2e-migrate.sh")
	done
done
VM_ACCEL=tcg "$top/scripts/vm-run.sh" --gpu "vram-size=1G" --mem 6G \
	--cpu "$("$top/scripts/run-e2e.sh" --print-l1-cpu)" \
	--timeout "${MIG_BENCH_TIMEOUT:-3600}" --results "$res" --quiet \
	-- "${jobs[@]}" >"$res/vm.log" 2>&1 ||
	echo "migrate-bench: a run failed (see $res/vm.log and $res/*.tap)" >&2
{ printf '%-6s %9s %-5s %9s %9s %12s %12s %10s\n' type partition load \
	downtime total precopy stop_copy stop/part
for t in $types; do
	for l in $loads; do
		tap=$res/mig-$t-$l.tap
		row=$(sed -n 's/^# bench: //p' "$tap" 2>/dev/null | tail -n 1)
		if [ -z "$row" ]; then
			printf '%-6s %9s %-5s %s\n' "$t" - "$l" "no result (see $tap)"
			continue
		fi
		# row: partition_bytes downtime_ms total_ms precopy stop_copy
		read -r part down total pre stop <<<"$row"
		printf '%-6s %8dM %-5s %7sms %7sms %12s %12s %10s\n' "$t" \
			$((part >> 20)) "$l" "$down" "$total" "$pre" "$stop" \
			"$(python3 -c "print('%.3f' % ($stop / $part))")"
	done
done; } | tee "$res/table.txt"
