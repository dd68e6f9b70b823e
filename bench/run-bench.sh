#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-bench.sh - time-slice scheduler benchmark (make bench). Builds
# bench/sched_bench (native clients, libtessera) and bench/vgpu_bench
# (vGPUs through VFIO, tests/lib), boots the VM rig with one tessera-gpu
# (the module as make built it), runs bench/guest-bench.sh there, then
# prints the table and writes the timeline SVG (bench/analyze.py) into the
# results directory (default build/bench).
#
#   bench/run-bench.sh [RESULTS_DIR]
#   BENCH_CLIENTS="1 2 4" BENCH_SECS=2 bench/run-bench.sh   (quicker)
#
# Also passed to the guest when set: BENCH_VGPU_CLIENTS (vGPU counts of
# the retention run, default those of BENCH_CLIENTS up to 8), BENCH_POLL_US
# (vgpu_bench's fence polling interval), BENCH_JOB_US (heavy job length).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
res=$(readlink -f "${1:-$top/build/bench}")
mkdir -p "$res" "$top/build/bench"
lib=$top/tests/lib
cflags=(-std=gnu11 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE
	-I"$top/include/uapi" -I"$top/include" -I"$lib")
cc "${cflags[@]}" -I"$top/tools/lib" -o "$top/build/bench/sched_bench" \
	"$top/bench/sched_bench.c" "$top/bench/bench.c" "$lib/sched-sysfs.c" \
	"$top/tools/lib/libtessera.c"
cc "${cflags[@]}" -I"$top/tests/mdev" -o "$top/build/bench/vgpu_bench" \
	"$top/bench/vgpu_bench.c" "$top/bench/bench.c" "$lib/sched-sysfs.c" \
	"$lib/vfio-mdev.c" "$lib/vfio-dev.c" "$lib/tessera-hw.c"
env="BENCH_CLIENTS='${BENCH_CLIENTS:-1 2 4 8 16 32 64}' BENCH_SECS=${BENCH_SECS:-5}"
for v in BENCH_VGPU_CLIENTS BENCH_POLL_US BENCH_JOB_US; do
	if [ -n "${!v:-}" ]; then env+=" $v='${!v}'"; fi
done
"$top/scripts/vm-run.sh" --gpu "contexts=72" --timeout "${BENCH_TIMEOUT:-3000}" \
	--results "$res" -- "bench=env $env $top/bench/guest-bench.sh" >"$res/vm.log" 2>&1 ||
	{ echo "run-bench: VM run failed, see $res/vm.log" >&2; tail -20 "$res/vm.log" >&2; }
python3 "$top/bench/analyze.py" "$res"
