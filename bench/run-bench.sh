#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-bench.sh - time-slice scheduler benchmark (make bench). Builds the
# module, tools and bench/sched_bench, boots the VM rig with one
# tessera-gpu, runs bench/guest-bench.sh there, then prints the table and
# writes the timeline SVG (bench/analyze.py) into the results directory
# (default build/bench).
#
#   bench/run-bench.sh [RESULTS_DIR]
#   BENCH_CLIENTS="1 2 4" BENCH_SECS=2 bench/run-bench.sh   (quicker)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
res=$(readlink -f "${1:-$top/build/bench}")
mkdir -p "$res" "$top/build/bench"
cc -std=gnu11 -Wall -Wextra -Werror -O2 -D_GNU_SOURCE -I"$top/include/uapi" \
	-I"$top/include" -I"$top/tools/lib" -o "$top/build/bench/sched_bench" \
	"$top/bench/sched_bench.c" "$top/tools/lib/libtessera.c"
env="BENCH_CLIENTS='${BENCH_CLIENTS:-1 2 4 8 16 32 64}' BENCH_SECS=${BENCH_SECS:-5}"
"$top/scripts/vm-run.sh" --gpu "contexts=72" --timeout "${BENCH_TIMEOUT:-3000}" \
	--results "$res" -- "bench=env $env $top/bench/guest-bench.sh" >"$res/vm.log" 2>&1 ||
	{ echo "run-bench: VM run failed, see $res/vm.log" >&2; tail -20 "$res/vm.log" >&2; }
python3 "$top/bench/analyze.py" "$res"
