#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh - boot an L1 QEMU guest on the host's own root file system and
# run test programs in it, collecting their TAP output.
#
# Usage:
#   scripts/vm-run.sh [OPTIONS] -- NAME=COMMAND...
#   scripts/vm-run.sh [OPTIONS] --interactive
#
# Each NAME=COMMAND is a test: COMMAND is a shell command line run by bash
# inside the guest, as root, in the repository directory (same path as on
# the host), typically an absolute path to a binary under build/ plus args.
# NAME may use [A-Za-z0-9_.-]. Tests run one after the other, in order.
#
# Options:
#   --gpu PROPS      add one "-device tessera-gpu,PROPS" (repeatable;
#                    --gpu "" adds one device with default properties)
#   --timeout SEC    whole-run timeout in seconds (default $VM_TIMEOUT or 600)
#   --mem SIZE       guest RAM (default $VM_MEM or 2G)
#   --smp N          guest CPUs (default $VM_SMP or 2)
#   --cpu MODEL      QEMU -cpu value (default $VM_CPU or "max")
#   --results DIR    results directory (default build/vm-results/<timestamp>,
#                    with build/vm-results/latest pointing at it)
#   --kver KVER      guest kernel ABI (default $KVER or scripts/kernel-version.sh)
#   --kernel-dir DIR boot a kernel that is not the host's: DIR is an output
#                    directory of scripts/build-debug-kernel.sh (bzImage,
#                    kernelrelease, mods/lib/modules/KVER); also $VM_KERNEL_DIR
#   --append ARGS    extra kernel command line (also $VM_APPEND)
#   --qemu-arg ARG   extra QEMU argument (repeatable; also $VM_QEMU_ARGS,
#                    split on white space)
#   --allow-splat RE do not fail on kernel-log lines matching the extended
#                    regex RE (repeatable; for tests that provoke e.g. a DMAR
#                    fault on purpose)
#   --quiet          do not stream the guest console while running
#   --brief          do not repeat the tests' output at the end (it was
#                    streamed); still print the summary line
#   --scan-log       do not boot: scan the kernel logs given instead of
#                    tests for splats (exit 1 if any), e.g. an old console.log
#   --interactive    boot to a root shell on the console instead of running
#                    tests (exit the shell to power off; Ctrl-A X kills QEMU)
#
# The guest: q35, TCG (-cpu max), intel-iommu (intremap=on) before any
# other PCI device, then two virtio-9p-pci (hostroot, results), then the
# tessera-gpu devices. Kernel: Debian's /boot/vmlinuz-KVER with
#   console=ttyS0,115200 loglevel=5 printk.time=1 intel_iommu=on no_timer_check
#   iommu.strict=1 panic=-1 tessera_repo=REPO tessera_mode=job|shell
# Its / is the host's root (read-only 9p) under a tmpfs overlay: every
# host file is visible at the same path, writes anywhere succeed but are
# thrown away at power-off, except those to /results (the results
# directory, writable 9p). /tmp and /run are fresh tmpfs (host files there
# are NOT visible), unless the repository itself lives below them.
# modprobe works (/lib/modules is the host's). Each test runs as root with
# cwd = the repository and TESSERA_REPO=<repo>, TESSERA_RESULTS=/results,
# TESSERA_IN_VM=1, TESSERA_TEST_NAME=NAME, stdin /dev/null.
#
# Environment: QEMU=path of qemu-system-x86_64 (default: the output of
# scripts/build-qemu.sh --print-path); TESSERA_CACHE (used by the scripts
# that build things; this one only writes below build/); VM_ACCEL=QEMU's
# -accel value (default tcg,thread=single: QEMU 7.2's multi-threaded TCG
# executes stale int3s of the guest's code patching, see
# Documentation/dev/test-rig.rst; VM_ACCEL=tcg for it anyway);
# VM_STALL_TIMEOUT (300) and VM_STALL_GRACE (60): the stall watchdog ends
# the run when the guest's heartbeat is that many seconds old, or that many
# seconds after the kernel reported an RCU stall or a lockup.
#
# Results directory: console.log (guest serial console), NAME.tap (each
# test's stdout+stderr, plus a synthetic "not ok" line appended by this
# script when the test crashed, timed out, did not run or exited non-zero),
# NAME.rc (exit status), dmesg.txt (the guest's kernel log), job.sh,
# heartbeat (the guest's uptime, every 10 s), stalled (why the stall
# watchdog ended the run),
# NAME.kmemleak (on a kmemleak kernel: what a scan after the test found;
# not empty fails the run).
#
# Exit status 0 only if every test ran to completion, exited 0, reported no
# failing TAP line, and the kernel log shows no splat. The last line of the
# output is "N passed, N failed, N skipped" over all tests.
# QEMU option lists are comma-separated inside one array element:
# shellcheck disable=SC2054
set -eu

here=$(dirname "$(readlink -f "$0")")
repo=$(dirname "$here")

die() { echo "vm-run: error: $*" >&2; exit 2; }
note() { echo "vm-run: $*" >&2; }
usage() { sed -n '/^# Usage:/,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

gpus=()
have_gpu=0
timeout=${VM_TIMEOUT:-600}
# The stall watchdog (below): seconds without a heartbeat, and seconds
# after a stall report, before the run is ended.
stall_to=${VM_STALL_TIMEOUT:-300}
stall_grace=${VM_STALL_GRACE:-60}
stall_re='rcu_[a-z]+ (self-)?detected stalls?|rcu: INFO: rcu_[a-z]+ (self-)?detected|soft lockup - CPU|hard LOCKUP'
mem=${VM_MEM:-2G}
smp=${VM_SMP:-2}
cpu=${VM_CPU:-max}
results=
kver=${KVER:-}
kernel_dir=${VM_KERNEL_DIR:-}
append=${VM_APPEND:-}
qemu_extra=()
# shellcheck disable=SC2206 # word splitting wanted
[ -z "${VM_QEMU_ARGS:-}" ] || qemu_extra=(${VM_QEMU_ARGS})
allow=()
quiet=0
brief=0
interactive=0
scan_only=0

need_arg() { [ $# -ge 2 ] || die "option $1 needs an argument"; }
while [ $# -gt 0 ]; do
	case $1 in
	--gpu) need_arg "$@"; gpus+=("$2"); have_gpu=1; shift 2 ;;
	--gpu=*) gpus+=("${1#*=}"); have_gpu=1; shift ;;
	--timeout) need_arg "$@"; timeout=$2; shift 2 ;;
	--timeout=*) timeout=${1#*=}; shift ;;
	--mem) need_arg "$@"; mem=$2; shift 2 ;;
	--mem=*) mem=${1#*=}; shift ;;
	--smp) need_arg "$@"; smp=$2; shift 2 ;;
	--smp=*) smp=${1#*=}; shift ;;
	--cpu) need_arg "$@"; cpu=$2; shift 2 ;;
	--cpu=*) cpu=${1#*=}; shift ;;
	--results) need_arg "$@"; results=$2; shift 2 ;;
	--results=*) results=${1#*=}; shift ;;
	--kver) need_arg "$@"; kver=$2; shift 2 ;;
	--kver=*) kver=${1#*=}; shift ;;
	--kernel-dir) need_arg "$@"; kernel_dir=$2; shift 2 ;;
	--kernel-dir=*) kernel_dir=${1#*=}; shift ;;
	--append) need_arg "$@"; append="$append $2"; shift 2 ;;
	--append=*) append="$append ${1#*=}"; shift ;;
	--qemu-arg) need_arg "$@"; qemu_extra+=("$2"); shift 2 ;;
	--qemu-arg=*) qemu_extra+=("${1#*=}"); shift ;;
	--allow-splat) need_arg "$@"; allow+=("$2"); shift 2 ;;
	--allow-splat=*) allow+=("${1#*=}"); shift ;;
	--quiet|-q) quiet=1; shift ;;
	--brief) brief=1; shift ;;
	--scan-log) scan_only=1; shift ;;
	--interactive|-i) interactive=1; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done

case $timeout in ''|*[!0-9]*) die "--timeout wants whole seconds, not '$timeout'" ;; esac

# ---- kernel splat scanner -----------------------------------------------
# Only kernel lines are looked at: those with a printk time stamp
# "[   12.345678]" (printk.time=1), so that a test printing "BUG:" is no
# splat. dmesg.txt has the whole log (all levels); console.log has what
# came out before a panic or a hang.
splat_re='BUG:|WARNING:|Oops|general protection fault|Kernel panic|kernel BUG|UBSAN|KASAN|KCSAN|KFENCE|KMSAN'
splat_re="$splat_re|possible circular locking|inconsistent lock state|possible recursive locking"
splat_re="$splat_re|suspicious RCU usage|INFO: task .* blocked|Call Trace|RIP: |Unable to handle"
splat_re="$splat_re|soft lockup|hard LOCKUP|rcu: INFO|rcu_.*detected stall|refcount_t: |list_add corruption"
splat_re="$splat_re|list_del corruption|stack-protector|unreferenced object|Attempted to kill init"
splat_re="$splat_re|DMAR: DRHD: handling fault|DMAR: \[DMA (Read|Write)|DMAR: \[INTR-REMAP|BUG kmalloc"
# The debug kernel's checkers (scripts/build-debug-kernel.sh): lockdep,
# might_sleep, debugobjects, kmemleak (its scans: see *.kmemleak below).
splat_re="$splat_re|possible irq lock inversion|bad unlock balance|held lock freed|lock held when returning"
splat_re="$splat_re|DEBUG_LOCKS_WARN_ON|non-static key|sleeping function called|ODEBUG: "
splat_re="$splat_re|kmemleak: [0-9]+ new suspected memory leak"
# scan_splats FILE: print the splat lines of a kernel log.
scan_splats() {
	[ -s "$1" ] || return 0
	tr -d '\r' <"$1" |
		grep -E '\[ *[0-9]+\.[0-9]+\]' |
		grep -E -- "$splat_re" |
		grep -Ev 'traps: .*general protection fault' |
		{
			if [ ${#allow[@]} -gt 0 ]; then
				grep -Ev -- "$(IFS='|'; echo "${allow[*]}")"
			else
				cat
			fi
		} || true
}
# report_splats FILE...: print the splat lines of each log (and the first
# splat in context); list the logs that have splats in $splat_files.
report_splats() {
	local log lines first
	splat_files=()
	for log in "$@"; do
		lines=$(scan_splats "$log")
		[ -n "$lines" ] || continue
		splat_files+=("$log")
		echo "vm-run: KERNEL SPLAT in $log:"
		echo "$lines" | head -n 40 | sed 's/^/    /'
		[ ${#splat_files[@]} = 1 ] || continue
		first=$(echo "$lines" | head -n 1)
		echo "vm-run: first splat in context:"
		tr -d '\r' <"$log" | grep -E '\[ *[0-9]+\.[0-9]+\]' |
			grep -F -x -B 3 -A 40 -m 1 -- "$first" | sed 's/^/  | /' || true
	done
}

if [ $scan_only = 1 ]; then
	[ $# -gt 0 ] || die "--scan-log wants log files"
	report_splats "$@"
	[ ${#splat_files[@]} = 0 ] || exit 1
	echo "vm-run: no kernel splat in $*"
	exit 0
fi

# ---- tests ---------------------------------------------------------------
names=()
cmds=()
for t in "$@"; do
	case $t in
	*=*) ;;
	*) die "test '$t' is not NAME=COMMAND" ;;
	esac
	name=${t%%=*}
	cmd=${t#*=}
	case $name in
	''|*[!A-Za-z0-9_.-]*|.*) die "bad test name '$name' (use [A-Za-z0-9_.-])" ;;
	current|console|dmesg|job|kernel-log) die "test name '$name' is reserved" ;;
	esac
	[ -n "$cmd" ] || die "test '$name' has an empty command"
	for n in ${names[@]+"${names[@]}"}; do
		[ "$n" != "$name" ] || die "duplicate test name '$name'"
	done
	names+=("$name")
	cmds+=("$cmd")
done
if [ $interactive = 0 ] && [ ${#names[@]} = 0 ]; then
	die "no test given (usage: vm-run.sh [OPTIONS] -- NAME=COMMAND...; or --interactive)"
fi
case $repo in
*[[:space:]]*) die "the repository path '$repo' contains white space; the kernel command line cannot carry it" ;;
esac

# ---- kernel --------------------------------------------------------------
modroot=/
if [ -n "$kernel_dir" ]; then
	kernel_dir=$(readlink -f "$kernel_dir")
	[ -f "$kernel_dir/done" ] ||
		die "$kernel_dir is no complete scripts/build-debug-kernel.sh output"
	kver=$(cat "$kernel_dir/kernelrelease")
	kernel=$kernel_dir/build/arch/x86/boot/bzImage
	modroot=$kernel_dir/mods
	case $modroot in
	*[[:space:]]*) die "the kernel directory '$kernel_dir' contains white space" ;;
	esac
	append="$append tessera_modroot=$modroot"
else
	if [ -z "$kver" ]; then
		kver=$("$here/kernel-version.sh") ||
			die "cannot determine the guest kernel (run scripts/setup-host.sh)"
	fi
	kernel=/boot/vmlinuz-$kver
fi
[ -e "$kernel" ] || die "kernel $kernel is not installed (run scripts/setup-host.sh)"
[ -r "$kernel" ] || die "cannot read $kernel (run as root)"
[ -d "$modroot/lib/modules/$kver" ] ||
	die "modules of $kver are not installed in $modroot/lib/modules (run scripts/setup-host.sh)"

# ---- QEMU ----------------------------------------------------------------
if [ -n "${QEMU:-}" ]; then
	qemu=$QEMU
	command -v "$qemu" >/dev/null 2>&1 || die "QEMU=$qemu is not an executable"
	qemu=$(command -v "$qemu")
elif [ -x "$here/build-qemu.sh" ]; then
	qemu=$("$here/build-qemu.sh" --print-path | awk 'NF {l = $0} END {print l}') ||
		die "scripts/build-qemu.sh --print-path failed"
	if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
		die "scripts/build-qemu.sh --print-path printed no executable ('$qemu')"
	fi
elif [ $have_gpu = 0 ] && command -v qemu-system-x86_64 >/dev/null 2>&1; then
	qemu=$(command -v qemu-system-x86_64)
	note "scripts/build-qemu.sh not found; using $qemu (no tessera-gpu)"
else
	die "no QEMU: set QEMU=/path/to/qemu-system-x86_64, or provide scripts/build-qemu.sh" \
		"(apt-get install qemu-system-x86 gives one without tessera-gpu)"
fi
if [ $have_gpu = 1 ] && ! "$qemu" -device help 2>/dev/null | grep -q '"tessera-gpu"'; then
	die "$qemu has no 'tessera-gpu' device (use scripts/build-qemu.sh's QEMU, or drop --gpu)"
fi

# ---- initramfs -----------------------------------------------------------
initrd=$("$here/mkinitramfs.sh" -k "$kver" -m "$modroot") || die "building the initramfs failed"

# ---- results directory ---------------------------------------------------
if [ -z "$results" ]; then
	base=$repo/build/vm-results
	results=$base/$(date +%Y%m%d-%H%M%S)-$$
	mkdir -p "$results"
	ln -sfn "$(basename "$results")" "$base/latest"
else
	mkdir -p "$results"
fi
results=$(readlink -f "$results")
# Remove what an earlier run may have left.
rm -f "$results"/*.tap "$results"/*.rc "$results"/*.kmemleak "$results"/console.log \
	"$results"/dmesg.txt "$results"/splats.txt "$results"/job.sh "$results"/current \
	"$results"/heartbeat "$results"/stalled
console=$results/console.log

# The job, sourced by scripts/guest-init.sh (which defines tessera_test).
{
	echo "# Generated by scripts/vm-run.sh; sourced by scripts/guest-init.sh."
	for i in "${!names[@]}"; do
		printf 'tessera_test %q %q\n' "${names[$i]}" "${cmds[$i]}"
	done
} >"$results/job.sh"

# ---- QEMU command line ---------------------------------------------------
# QEMU option values: a ',' is written ',,'.
qesc() { printf '%s' "${1//,/,,}"; }
mode=job
[ $interactive = 0 ] || mode=shell
cmdline="console=ttyS0,115200 loglevel=5 printk.time=1 intel_iommu=on iommu.strict=1"
# no_timer_check: under TCG on a loaded 2-core host the IO-APIC timer check
# can miss its window and panic the boot ("timer doesn't work through
# Interrupt-remapped IO-APIC"); the emulated timer is known to work.
cmdline="$cmdline no_timer_check panic=-1 tessera_repo=$repo tessera_mode=$mode${append:+ $append}"

args=(-machine q35 -accel "${VM_ACCEL:-tcg,thread=single}" -cpu "$cpu" -smp "$smp" -m "$mem"
	-nodefaults -no-user-config -display none -no-reboot)
# A reset the guest did not ask for (a triple fault) ends QEMU with status 0
# and no word on the console: keep the CPU state QEMU logs at each reset.
args+=(-d cpu_reset -D "$results/qemu-reset.log")
for d in /usr/share/qemu /usr/share/seabios; do
	[ ! -d $d ] || args+=(-L "$d")
done
# The vIOMMU must come before any other PCI device.
args+=(-device intel-iommu,intremap=on)
if [ $interactive = 1 ]; then
	# Console and monitor multiplexed on the terminal (Ctrl-A C, Ctrl-A X).
	args+=(-chardev "stdio,id=con0,mux=on,signal=off,logfile=$(qesc "$console")"
		-serial chardev:con0 -mon chardev=con0,mode=readline)
else
	args+=(-chardev "stdio,id=con0,logfile=$(qesc "$console")" -serial chardev:con0)
fi
args+=(-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
	-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
	-fsdev "local,id=results,path=$(qesc "$results"),security_model=none"
	-device virtio-9p-pci,fsdev=results,mount_tag=results)
if [ $have_gpu = 1 ]; then
	for g in "${gpus[@]}"; do
		args+=(-device "tessera-gpu${g:+,$g}")
	done
fi
args+=(${qemu_extra[@]+"${qemu_extra[@]}"})

echo "$qemu ${args[*]}" >"$results/qemu-cmdline.txt"
note "kernel $kver, QEMU $qemu, results $results"

# ---- run -----------------------------------------------------------------
if [ $interactive = 1 ]; then
	"$qemu" "${args[@]}"
	exit $?
fi

start=$(date +%s)
flag=$results/.timed-out
rm -f "$flag"
if [ $quiet = 1 ]; then
	"$qemu" "${args[@]}" </dev/null >/dev/null &
else
	"$qemu" "${args[@]}" </dev/null &
fi
qpid=$!
# Watchdog: TERM QEMU after $timeout s, KILL it 5 s later.
(
	trap 'kill $s 2>/dev/null; exit 0' TERM
	sleep "$timeout" & s=$!
	wait $s
	: >"$flag"
	kill -TERM $qpid 2>/dev/null || exit 0
	sleep 5 & s=$!
	wait $s
	kill -KILL $qpid 2>/dev/null || true
) &
wpid=$!
# Stall watchdog: a guest that cannot make progress any more ends the run
# now rather than at --timeout. Either the kernel reported a stall (an RCU
# stall, a soft or hard lockup: the run has failed already; $stall_grace s
# more let the backtraces reach the console) or the heartbeat that
# guest-init.sh writes every 10 s is $stall_to s old. The reason goes to
# $results/stalled.
(
	trap 'exit 0' TERM
	seen=0
	while sleep 10; do
		kill -0 $qpid 2>/dev/null || exit 0
		now=$(date +%s)
		why=
		if [ "$seen" = 0 ] && tr -d '\r' <"$console" 2>/dev/null | grep -qE -- "$stall_re"; then
			seen=$now
		fi
		if [ "$seen" != 0 ] && [ $((now - seen)) -ge "$stall_grace" ]; then
			why="the kernel reported a stall: $(tr -d '\r' <"$console" | grep -E -m 1 -- "$stall_re")"
		elif [ -f "$results/heartbeat" ] &&
			[ $((now - $(stat -c %Y "$results/heartbeat"))) -ge "$stall_to" ]; then
			why="no heartbeat from the guest for ${stall_to}s (last at uptime $(cat "$results/heartbeat")s)"
		fi
		[ -n "$why" ] || continue
		echo "$why" >"$results/stalled"
		kill -TERM $qpid 2>/dev/null || exit 0
		sleep 5
		kill -KILL $qpid 2>/dev/null || true
		exit 0
	done
) &
spid=$!
trap 'kill -TERM $qpid $wpid $spid 2>/dev/null; echo "vm-run: interrupted" >&2; exit 130' INT TERM
qrc=0
wait $qpid || qrc=$?
kill -TERM $wpid $spid 2>/dev/null || true
wait $wpid 2>/dev/null || true
wait $spid 2>/dev/null || true
trap - INT TERM
elapsed=$(($(date +%s) - start))
echo

# ---- results -------------------------------------------------------------
fail=0
timed_out=0
[ ! -e "$flag" ] || { timed_out=1; rm -f "$flag"; }
running=$(cat "$results/current" 2>/dev/null || true)
stalled=$(cat "$results/stalled" 2>/dev/null || true)
if [ -n "$stalled" ]; then
	note "STALLED after ${elapsed}s${running:+ while running test $running}: $stalled"
	fail=1
elif [ $timed_out = 1 ]; then
	note "TIMEOUT after ${timeout}s${running:+ while running test $running}"
	fail=1
elif [ $qrc != 0 ]; then
	note "QEMU exited with status $qrc${running:+ while running test $running}"
	fail=1
fi
note "VM ran for ${elapsed}s"

# Top-level TAP facts of a file: "<results> <failed> <plan or -1>".
tap_facts() {
	tr -d '\r' <"$1" | awk '
		/^not ok([ \t]|$)/ { n++; f++ }
		/^ok([ \t]|$)/ { n++ }
		/^Bail out!/ { f++ }
		plan < 0 && /^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
		BEGIN { plan = -1 }
		END { print n + 0, f + 0, plan }'
}
# synth FILE LINE: append a synthetic TAP line (on a line of its own).
synth() {
	if [ -s "$1" ] && [ "$(tail -c1 "$1" | od -An -c | tr -d ' ')" != '\n' ]; then
		echo >>"$1"
	fi
	echo "$2" >>"$1"
}

taps=()
for name in "${names[@]}"; do
	tap=$results/$name.tap
	rcf=$results/$name.rc
	if [ ! -e "$tap" ]; then
		: >"$tap"
		synth "$tap" "not ok - $name # did not run (the VM stopped before it)"
		fail=1
	elif [ ! -s "$rcf" ]; then
		why="did not complete (the guest crashed or panicked; see console.log)"
		[ "$name" != "$running" ] || [ $timed_out = 0 ] ||
			why="timed out (vm-run --timeout ${timeout}s)"
		[ "$name" != "$running" ] || [ -z "$stalled" ] ||
			why="stopped: the guest stalled ($stalled)"
		synth "$tap" "not ok - $name # $why"
		fail=1
	else
		rc=$(cat "$rcf")
		read -r n f plan < <(tap_facts "$tap")
		if [ "$rc" != 0 ]; then
			fail=1
			why="exited with status $rc"
			[ "$rc" -le 128 ] || why="killed by signal $((rc - 128)) (status $rc)"
			[ "$f" != 0 ] || synth "$tap" "not ok - $name # $why"
		elif [ "$n" = 0 ] && [ "$plan" = 0 ]; then
			synth "$tap" "ok - $name # SKIP plan 1..0"
		elif [ "$n" = 0 ]; then
			synth "$tap" "ok - $name # exit status 0 (no TAP results)"
		elif [ "$plan" -gt "$n" ]; then
			synth "$tap" "not ok - $name # planned $plan results, got $n"
			fail=1
		fi
	fi
	taps+=("$tap")
	[ $brief = 1 ] && continue
	echo "==================== TAP: $name (rc=$(cat "$rcf" 2>/dev/null || echo none)) ===================="
	tr -d '\r' <"$tap"
done
[ $brief = 1 ] || echo "======================================================================"

# dmesg.txt has the whole kernel log (all levels); console.log has what
# came out before a panic or a hang.
# (Not in a subshell: it sets splat_files.)
report_splats "$results/dmesg.txt" "$console" >"$results/splats.txt"
cat "$results/splats.txt"
# What kmemleak's scan after each test found (scripts/guest-init.sh).
leaks=()
for f in "$results"/*.kmemleak; do
	[ -s "$f" ] || continue
	leaks+=("$f")
	echo "vm-run: KMEMLEAK in $f:"
	head -n 40 "$f" | sed 's/^/    /'
done
kern_tap=$results/kernel-log.tap
if [ ${#splat_files[@]} -gt 0 ] || [ ${#leaks[@]} -gt 0 ]; then
	fail=1
	: >"$kern_tap"
	if [ ${#splat_files[@]} != 0 ]; then
		echo "not ok - kernel log has splats (see ${splat_files[*]})" >>"$kern_tap"
		# The splat itself, for a summary that shows only this file.
		head -n 60 "$results/splats.txt" | sed 's/^/# /' >>"$kern_tap"
	fi
	[ ${#leaks[@]} = 0 ] ||
		echo "not ok - kmemleak found unreferenced objects (see ${leaks[*]})" >>"$kern_tap"
	taps+=("$kern_tap")
else
	rm -f "$kern_tap"
fi
if ! grep -qs 'tessera-job-done' "$console"; then
	note "the job did not finish (see $console)"
	# A normal boot logs resets too: two per CPU at power-on, and two more
	# per secondary CPU when the kernel starts it (INIT); more is the
	# guest's own reset, a triple fault when the console says nothing.
	resets=$(grep -c '^CPU Reset' "$results/qemu-reset.log" 2>/dev/null || true)
	if [ "${resets:-0}" -gt $((4 * smp - 2)) ]; then
		note "the guest reset itself ($resets CPU resets logged; the last CPU state in $results/qemu-reset.log):"
		tail -n 42 "$results/qemu-reset.log" | grep -E '^(EIP|RIP|CR0|EFER|CS )' | sed 's/^/    /'
	fi
	fail=1
fi

note "results in $results"
sum=0
"$here/tap-summary.sh" "${taps[@]}" || sum=$?
[ $sum = 0 ] || fail=1
exit $fail
