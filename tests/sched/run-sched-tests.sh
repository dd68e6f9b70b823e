#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-sched-tests.sh - time-slice scheduler kselftests of the Tessera host
# driver, inside the VM rig (as root).
#
# Usage:
#   tests/sched/run-sched-tests.sh [-d BINDIR] [-k MODULE]
#
# Loads the driver built in the repository, runs every sched_* kselftest
# in BINDIR (default build/tests/sched) and prints one merged TAP stream;
# exit status 0 if nothing failed.
#
# From the host:
#   scripts/vm-run.sh --gpu "" -- sched=$PWD/tests/sched/run-sched-tests.sh
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_SCHED_TESTS:-$repo/build/tests/sched}
ko=$repo/drivers/tessera/tessera.ko

while getopts "d:k:h" opt; do
	case $opt in
	d) bindir=$OPTARG ;;
	k) ko=$OPTARG ;;
	*) sed -n '/^# Usage/,/^set -u/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
	esac
done

n=0
fail=0
echo "TAP version 13"
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; fail=1; }

mount -t debugfs none /sys/kernel/debug 2>/dev/null || true

# shellcheck disable=SC2120 # insmod parameters, if any
load() {
	local dep
	for dep in $(modinfo -F depends "$ko" 2>/dev/null | tr , ' '); do
		modprobe "$dep" 2>/dev/null || true
	done
	insmod "$ko" "$@" || return 1
	for _ in $(seq 50); do
		[ -c /dev/tessera0 ] && return 0
		sleep 0.1
	done
	return 1
}

lsmod | grep -q '^tessera ' && rmmod tessera
if ! load; then
	notok "insmod $ko"
	echo "1..$n"
	exit 1
fi
ok "insmod tessera.ko"

for prog in "$bindir"/sched_*; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	echo "# ==== $name"
	results=0
	out=$(mktemp)
	timeout -k 10 900 "$prog" >"$out" 2>&1
	echo "# exit status $?" >>"$out"
	while IFS= read -r line; do
		case $line in
		"TAP version"*|1..*) echo "# $name: $line" ;;
		"ok "*)
			rest=${line#ok }; rest=${rest#* }
			results=$((results + 1)); ok "$name: $rest" ;;
		"not ok "*)
			rest=${line#not ok }; rest=${rest#* }
			results=$((results + 1))
			case $rest in
			*"# SKIP"*) n=$((n + 1)); echo "ok $n $name: $rest" ;;
			*) notok "$name: $rest" ;;
			esac ;;
		*) echo "$line" ;;
		esac
	done <"$out"
	rm -f "$out"
	[ $results -gt 0 ] || notok "$name # produced no results"
done
cat /sys/kernel/debug/tessera/*/sched 2>/dev/null | sed 's/^/# /'

if rmmod tessera; then ok "final rmmod"; else notok "final rmmod"; fi
echo "1..$n"
exit $fail
