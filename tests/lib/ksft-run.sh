# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# ksft-run.sh - one merged TAP stream out of many kselftest programs.
#
# Sourced (not run) by the in-VM test runners (tests/*/run-*-tests.sh):
#
#   . "$here/../lib/ksft-run.sh"
#   tap_start                          # "TAP version 13"
#   tap_ok "insmod tessera.ko"
#   tap_check "accounting clean" accounting_clean
#   ksft_run_prog "$bindir/native_cmds" 900
#   tap_plan_and_exit                  # "1..N", exit 0 unless a failure
#
# Every result line gets the next number of the merged stream. A runner's
# own checks use tap_ok / tap_not_ok / tap_check; ksft_run_prog runs one
# kselftest program (a binary or a script printing TAP) and copies its
# results into the stream, renumbered and prefixed with the program's name
# ("ok 7 native_cmds: global.fence_wait"), while the program runs.
#
# ksft_run_prog adds a synthetic "not ok" line for the program when it
#   - does not exist or is not executable,
#   - timed out (TIMEOUT seconds, SIGTERM, SIGKILL 10 s later),
#   - printed fewer results than its plan ("1..N"), e.g. it crashed midway,
#   - printed no result at all (and no "1..0" plan),
#   - exited non-zero (or was killed by a signal) without a failing line,
#     except with status 4 (KSFT_SKIP) after a "1..0" plan.
# A "# SKIP" or "# TODO" result keeps its "ok"/"not ok" but is not a
# failure (scripts/tap-summary.sh counts it as skipped); a program that
# skips all its tests ("1..0 # SKIP why") becomes "ok N PROG # SKIP why".
# "Bail out!" from a program becomes a failing line. The program's
# diagnostics ("# ..." lines) are copied as they are, any other output
# (stray stdout/stderr) as "# PROG: line"; its "TAP version" line is
# dropped and its plan shown as "# PROG: 1..N".
#
# State (globals, read them but let the functions change them):
#   tap_n     number of the last result line printed
#   tap_fail  1 once any failing line was printed, else 0
# Requires bash (>= 4.1) and coreutils' timeout.

tap_n=0
tap_fail=0

# tap_start: the stream's header.
tap_start() {
	echo "TAP version 13"
}

# tap_ok DESCRIPTION...: a passing result line.
tap_ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n $*"
}

# tap_not_ok DESCRIPTION...: a failing result line (the stream fails).
tap_not_ok() {
	tap_n=$((tap_n + 1))
	echo "not ok $tap_n $*"
	tap_fail=1
}

# tap_check DESCRIPTION CMD...: run CMD, "ok DESCRIPTION" if it succeeds,
# else "not ok DESCRIPTION".
tap_check() {
	local desc=$1
	shift
	if "$@"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc"
	fi
}

# tap_plan_and_exit: print the plan "1..N" and exit 1 if anything failed,
# else 0.
tap_plan_and_exit() {
	echo "1..$tap_n"
	exit "$tap_fail"
}

# tap_bail MESSAGE...: "not ok N <runner>: MESSAGE" (runner: the sourcing
# script's name without .sh), the plan, exit 1. For a runner that cannot
# go on (no device, module does not load, ...).
tap_bail() {
	local me
	me=$(basename "$0" .sh)
	tap_not_ok "$me: $*"
	tap_plan_and_exit
}

# _ksft_status RC: "exited with status RC" or "killed by signal N (SIGX)".
_ksft_status() {
	local sig
	if [ "$1" -gt 128 ] && [ "$1" -lt 192 ]; then
		sig=$(kill -l $(($1 - 128)) 2>/dev/null || echo '?')
		echo "killed by signal $(($1 - 128)) (SIG$sig)"
	else
		echo "exited with status $1"
	fi
}

# _ksft_line LINE: one line of the program's output, into the stream. Uses
# (and updates) the locals of ksft_run_prog: name results failed plan skip.
_ksft_line() {
	local line=${1%$'\r'} status rest num
	case $line in
	"TAP version"*) ;;
	1..*)
		if [ "$plan" -lt 0 ]; then
			num=${line#1..}
			num=${num%%[!0-9]*}
			[ -z "$num" ] || plan=$((10#$num))
			case $line in
			*"#"*) skip=${line#*#} ;;
			esac
		fi
		echo "# $name: $line" ;;
	ok|"ok "*|"not ok"|"not ok "*)
		case $line in
		"not ok"*) status="not ok" ;;
		*) status=ok ;;
		esac
		rest=${line#"$status"}
		rest=${rest# }
		# The program's own test number, if any.
		num=${rest%%[!0-9]*}
		rest=${rest#"$num"}
		rest=${rest# }
		results=$((results + 1))
		tap_n=$((tap_n + 1))
		echo "$status $tap_n $name: $rest"
		if [ "$status" = "not ok" ]; then
			case $rest in
			*"# SKIP"*|*"# TODO"*) ;;
			*) failed=$((failed + 1)); tap_fail=1 ;;
			esac
		fi ;;
	"Bail out!"*)
		failed=$((failed + 1))
		tap_not_ok "$name: $line" ;;
	"#"*) echo "$line" ;;
	"") ;;
	*) echo "# $name: $line" ;;
	esac
}

# tessera_ko REPO: the path of the tessera.ko of REPO built for the
# running kernel: drivers/tessera/tessera.ko (make modules), or, when the
# guest booted another kernel (the 6.1 one), build/compat-KVER/
# drivers/tessera/tessera.ko (make modules-compat). $TESSERA_KO overrides.
tessera_ko() {
	local repo=$1 kver compat
	kver=$(uname -r)
	compat=$repo/build/compat-$kver/drivers/tessera/tessera.ko
	if [ -n "${TESSERA_KO:-}" ]; then
		echo "$TESSERA_KO"
	elif [ -f "$compat" ] &&
	     ! modinfo -F vermagic "$repo/drivers/tessera/tessera.ko" 2>/dev/null | grep -q "^$kver "; then
		echo "$compat"
	else
		echo "$repo/drivers/tessera/tessera.ko"
	fi
}

# tessera_vgpu_ko KO: the tessera-vgpu.ko built with the tessera.ko KO
# (the same directory: drivers/tessera/, build/compat-KVER/..., build/debug/
# ...).
tessera_vgpu_ko() {
	echo "$(dirname "$1")/tessera-vgpu.ko"
}

# tessera_rmmod: unload tessera.ko, and tessera-vgpu.ko before it if it is
# loaded (it depends on tessera.ko). With TESSERA_FENCE_LOG set (the e2e
# stage's L2 guest), first append to that file what the driver counted
# until then: debugfs tessera/*/fences (fences completed by interrupt, by
# timer passes, by other passes) and the tessera lines of /proc/interrupts,
# which the unload resets.
tessera_rmmod() {
	if [ -n "${TESSERA_FENCE_LOG:-}" ]; then
		{
			echo "# before rmmod ($(basename "$0"))"
			cat /sys/kernel/debug/tessera/*/fences
			grep tessera /proc/interrupts
		} >>"$TESSERA_FENCE_LOG" 2>/dev/null
	fi
	if grep -q '^tessera_vgpu ' /proc/modules; then
		rmmod tessera_vgpu || return 1
	fi
	rmmod tessera
}

# tessera_insmod [--vgpu] KO [PARAM...]: (re)load tessera.ko: unload a
# loaded one (tessera_rmmod), modprobe the modules it links against (insmod
# loads no dependencies), insmod KO with PARAMs and wait (5 s at most) for
# /dev/tessera0. With --vgpu, then load the vGPU mediation too: the
# tessera-vgpu.ko next to KO (tessera_vgpu_ko), after modprobing vfio, mdev
# & co; the GPUs bound then offer their mdev types. Guest and native-only
# runs load tessera.ko alone.
# Returns 0 once the device node is there (and tessera-vgpu.ko loaded).
tessera_insmod() {
	local ko vgpu='' dep
	if [ "${1:-}" = --vgpu ]; then
		vgpu=1
		shift
	fi
	ko=$1
	shift
	if grep -q '^tessera ' /proc/modules; then
		tessera_rmmod || return 1
	fi
	for dep in $(modinfo -F depends "$ko" 2>/dev/null | tr , ' '); do
		modprobe "$dep" 2>/dev/null || true
	done
	insmod "$ko" "$@" || return 1
	if [ -n "$vgpu" ]; then
		ko=$(tessera_vgpu_ko "$ko")
		for dep in $(modinfo -F depends "$ko" 2>/dev/null | tr , ' '); do
			[ "$dep" = tessera ] || modprobe "$dep" 2>/dev/null || true
		done
		insmod "$ko" || return 1
	fi
	for _ in $(seq 50); do
		[ -c /dev/tessera0 ] && return 0
		sleep 0.1
	done
	return 1
}

# ksft_run_prog PROG [TIMEOUT]: run the kselftest program PROG (a path)
# with a timeout of TIMEOUT seconds (default 900), stdout and stderr merged,
# and copy its TAP into the stream as it comes (see the top of this file).
# Returns 0 if it added no failing line, else 1.
ksft_run_prog() {
	local prog=$1 limit=${2:-900}
	local name out fd pid rc line part start why
	local results=0 failed=0 plan=-1 skip=

	name=$(basename "$prog")
	echo "# ==== $name"
	if [ ! -f "$prog" ] || [ ! -x "$prog" ]; then
		tap_not_ok "$name # not built (no executable $prog)"
		return 1
	fi
	out=$(mktemp) || { tap_not_ok "$name # mktemp failed"; return 1; }
	exec {fd}<"$out"
	start=$SECONDS
	# In a subshell, so that its bash, not this one, reports a crash
	# ("Segmentation fault") - into the program's output.
	(timeout -k 10 "$limit" "$prog"; exit $?) >"$out" 2>&1 &
	pid=$!
	# Read the output while it is written; a line may come in pieces.
	part=
	while :; do
		line=
		if IFS= read -r line <&"$fd"; then
			_ksft_line "$part$line"
			part=
			continue
		fi
		part=$part$line
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	wait "$pid"
	rc=$?
	while line= && IFS= read -r line <&"$fd" || [ -n "$line" ]; do
		_ksft_line "$part$line"
		part=
	done
	[ -z "$part" ] || _ksft_line "$part"
	exec {fd}<&-
	rm -f "$out"

	# timeout(1) exits 124 after SIGTERM, 137 if it had to SIGKILL.
	why=
	if [ $rc = 124 ] || { [ $rc = 137 ] && [ "$limit" != 0 ] &&
	     [ $((SECONDS - start)) -ge "$limit" ]; }; then
		why="timed out after ${limit}s"
	elif [ "$plan" -gt "$results" ]; then
		why="planned $plan results, got $results; $(_ksft_status $rc)"
	elif [ $results = 0 ] && [ "$plan" != 0 ]; then
		why="no TAP results; $(_ksft_status $rc)"
	elif [ $rc != 0 ] && [ $failed = 0 ] &&
	     ! { [ $rc = 4 ] && [ "$plan" = 0 ]; }; then
		# (ksft_exit_skip() after "1..0 # SKIP why" exits KSFT_SKIP, 4.)
		why=$(_ksft_status $rc)
	fi
	if [ -n "$why" ]; then
		tap_not_ok "$name # $why"
		return 1
	fi
	if [ $results = 0 ]; then
		skip=${skip# }
		tap_ok "$name # SKIP${skip:+ ${skip#SKIP }}"
	fi
	[ $failed = 0 ]
}
