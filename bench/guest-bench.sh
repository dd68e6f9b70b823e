#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-bench.sh - the scheduler benchmark's in-VM part (run by
# bench/run-bench.sh through scripts/vm-run.sh). Writes raw results and
# tracepoint dumps into $TESSERA_RESULTS (default /results).
set -u
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/..")
out=${TESSERA_RESULTS:-/results}
bin=${SCHED_BENCH:-$repo/build/bench/sched_bench}
vbin=${VGPU_BENCH:-$repo/build/bench/vgpu_bench}
ko=$repo/drivers/tessera/tessera.ko
ns=${BENCH_CLIENTS:-1 2 4 8 16 32 64}
secs=${BENCH_SECS:-5}
# vGPU retention: N = 1, 2, 4, 8 at most (one process and 8 MiB each)
vns=${BENCH_VGPU_CLIENTS:-$(for n in $ns; do [ "$n" -le 8 ] && echo "$n"; done)}

mount -t debugfs none /sys/kernel/debug 2>/dev/null || true
T=/sys/kernel/debug/tracing
# VFIO, its type1 IOMMU backend (the containers vgpu_bench opens) and the
# mdev core before tessera-vgpu.ko: insmod loads no dependencies
for dep in vfio vfio_iommu_type1 mdev; do
	modprobe "$dep" || echo "# modprobe $dep failed: no vGPU runs"
done
# shellcheck source-path=SCRIPTDIR source=../tests/lib/ksft-run.sh
. "$repo/tests/lib/ksft-run.sh"
# small windows so that 64 clients fit in the default VRAM
tessera_insmod --vgpu "$ko" ctx_vram_mb=4 ctx_gart_mb=4 || exit 1
S=$(echo /sys/bus/pci/drivers/tessera/0000:*/sched)
knob() { echo "$2" >"$S/$1"; }

# No command-name recording: it would live-patch __schedule (sched_switch),
# which QEMU's multi-threaded TCG has been seen to get wrong (a stale int3).
trace_on() { echo 0 >$T/tracing_on; echo >$T/trace; echo 16384 >$T/buffer_size_kb;
	echo 0 >$T/options/record-cmd;
	echo 1 >$T/events/tessera/enable; echo 1 >$T/tracing_on; }
trace_off() { echo 0 >$T/tracing_on; echo 0 >$T/events/tessera/enable; cat $T/trace >"$1"; }

knob policy best-effort
knob timeslice_us 2000
for n in $ns; do
	echo "# retention N=$n"
	"$bin" saturate "$n" "$secs" >"$out/sat-$n.txt" 2>&1
done
echo "# weights 1:2:4:8"
trace_on
"$bin" saturate 4 $((secs * 2)) 100,200,400,800 >"$out/weights.txt" 2>&1
trace_off "$out/trace-weights.txt"
for sl in 1000 2000 10000; do
	echo "# overrun at slice $sl us"
	knob timeslice_us $sl
	trace_on
	"$bin" saturate 2 "$secs" >"$out/overrun-$sl.txt" 2>&1
	trace_off "$out/trace-overrun-$sl.txt"
done
knob timeslice_us 2000
for n in 4 8; do
	echo "# light latency N=$n"
	"$bin" light "$n" $((secs * 2)) >"$out/light-$n.txt" 2>&1
done
# One client alone, the same jobs through the native interface and through
# a vGPU: the vGPU/native ratio and the vGPU's trapped CSR accesses per job.
for w in stream pingpong; do
	echo "# $w, native and vGPU"
	"$bin" "$w" "$secs" >"$out/native-$w.txt" 2>&1
	"$vbin" "$w" "$secs" >"$out/vgpu-$w.txt" 2>&1
done
for n in $vns; do
	echo "# vGPU retention N=$n"
	"$vbin" saturate "$n" "$secs" >"$out/vgpu-sat-$n.txt" 2>&1
done
# An interrupt storm on engine 1 against a bystander's pingpong on engine 0.
echo "# vGPU interrupt storm"
"$vbin" storm "$secs" >"$out/vgpu-storm.txt" 2>&1
ls /sys/bus/mdev/devices/ >"$out/mdevs-left.txt" 2>&1
grep -H . /sys/bus/pci/drivers/tessera/0000:*/tessera/* 2>/dev/null >"$out/sysfs.txt"
cat /sys/kernel/debug/tessera/*/sched >"$out/sched-debugfs.txt"
tessera_rmmod
echo "ok 1 bench complete"
