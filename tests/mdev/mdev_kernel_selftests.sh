#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mdev_kernel_selftests.sh - the outside oracle: the Linux kernel's own
# VFIO selftests (tools/testing/selftests/vfio, Linux >= 6.17) against a
# Tessera vGPU.
#
# The selftests come from Debian's newer linux-source
# (scripts/fetch-vfio-selftests.sh) and are built by tests/oracle with a
# build-time adapter that lets them open an mdev UUID where they take a PCI
# BDF (tests/oracle/vfio-mdev-adapter.c). This script creates vGPUs and
# runs every selftest program of BINDIR (default build/tests/oracle, or
# $TESSERA_ORACLE_TESTS) that can apply, with the type1 container (the
# kernel here has no IOMMUFD); each program's kselftest TAP is merged into
# this one (tests/lib/ksft-run.sh), its cases named "prog: fixture.variant.test".
#
# What cannot apply is reported as skipped, with the reason:
#   - IOMMUFD variants and vfio_iommufd_setup_test, when /dev/iommu is absent
#     (CONFIG_IOMMUFD is not set in Debian's 6.12);
#   - vfio_pci_driver_test, once it has opened the vGPU: its lib has DMA
#     drivers only for ioat, dsa, igb and nv_falcon devices;
#   - vfio_pci_sriov_uapi_test skips itself: a vGPU is no SR-IOV PF.
# Every other case counts as it comes out of the selftests; nothing is
# waived here (Documentation/dev/test-rig.rst lists the known failures).
#
# Needs the tessera module loaded (run by tests/mdev/run-mdev-tests.sh).
# Environment: TESSERA_MDEV_PARENT=dddd:bb:dd.f, TESSERA_ORACLE_TESTS=DIR,
# TESSERA_ORACLE_TIMEOUT=seconds per program (default 600).
# Output: TAP. Exit status 0 if nothing failed.
set -u

here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
bindir=${TESSERA_ORACLE_TESTS:-$repo/build/tests/oracle}
limit=${TESSERA_ORACLE_TIMEOUT:-600}
known_file=$repo/tests/oracle/known-failures
type=tessera-8m
# vfio_pci_device_init_perf_test opens this many vGPUs at once.
nr_perf=3

# shellcheck source-path=SCRIPTDIR source=../lib/ksft-run.sh
. "$here/../lib/ksft-run.sh"
# run_one PROG ARGS...: (the --one mode, the body of run_selftest's
# wrapper) run PROG with ARGS; copy its output, a "not ok" line of a case
# listed in tests/oracle/known-failures getting "# TODO known failure:
# REASON". Exit status: PROG's, but 0 if every failing case was a known one.
run_one() {
	local prog=$1 name line rc=1 case_name known=() k kprog kcase kwhy fifo
	local marked=0 unmarked=0
	shift
	name=$(basename "$prog")
	while read -r kprog kcase kwhy; do
		case $kprog in ''|'#'*) continue ;; esac
		[ "$kprog" = "$name" ] && known+=("$kcase $kwhy")
	done <"$known_file"
	# A FIFO, not a process substitution: the rig's /dev has no /dev/fd.
	fifo=$(mktemp -d)/out
	mkfifo "$fifo"
	("$prog" "$@" 2>&1; echo "__rc=$?") >"$fifo" &
	exec 3<"$fifo"
	while IFS= read -r line <&3; do
		case $line in
		__rc=*) rc=${line#__rc=}; continue ;;
		"not ok "*"# SKIP"*|"not ok "*"# TODO"*) ;;
		"not ok "*)
			case_name=${line#not ok }
			case_name=${case_name#* }
			case_name=${case_name%% #*}
			for k in "${known[@]}"; do
				# shellcheck disable=SC2053 # the case is a glob
				if [[ $case_name == ${k%% *} ]]; then
					line="$line # TODO known failure: ${k#* }"
					break
				fi
			done
			case $line in
			*"# TODO"*) marked=$((marked + 1)) ;;
			*) unmarked=$((unmarked + 1)) ;;
			esac ;;
		esac
		printf '%s\n' "$line"
	done
	exec 3<&-
	wait
	rm -rf "$(dirname "$fifo")"
	if [ "$rc" = 1 ] && [ $unmarked = 0 ] && [ $marked -gt 0 ]; then
		rc=0
	fi
	return "$rc"
}

if [ "${1:-}" = --one ]; then
	shift
	run_one "$@"
	exit
fi

tap_start

no_iommufd=
[ -e /dev/iommu ] || no_iommufd="no IOMMUFD (/dev/iommu): CONFIG_IOMMUFD is not set in this kernel"

parent=
if [ -n "${TESSERA_MDEV_PARENT:-}" ]; then
	parent=/sys/bus/pci/devices/$TESSERA_MDEV_PARENT/mdev_supported_types
else
	for d in /sys/bus/pci/devices/*/mdev_supported_types; do
		[ -d "$d/$type" ] && parent=$d && break
	done
fi
if [ -z "$parent" ] || [ ! -d "$parent/$type" ]; then
	tap_bail "no Tessera mdev parent with type $type"
fi
if [ ! -f "$bindir/vfio_pci_device_test" ]; then
	tap_bail "no selftests in $bindir (make tests, or make -C tests/oracle)"
fi
tap_ok "selftests of $(cat "$repo/build/vfio-selftests/VERSION" 2>/dev/null || echo '?')"

# Huge pages for the hugetlb variants of vfio_dma_mapping_test (one 2 MiB
# and one 1 GiB page each; without them they skip), given back at the end.
hp=/sys/kernel/mm/hugepages
hp_old=()
hp_reserve() {
	local f n
	for f in "$hp/hugepages-2048kB/nr_hugepages:2" "$hp/hugepages-1048576kB/nr_hugepages:1"; do
		n=${f##*:}
		f=${f%:*}
		[ -w "$f" ] || continue
		hp_old+=("$f:$(cat "$f")")
		echo $(($(cat "$f") + n)) >"$f" 2>/dev/null
		echo "# $f: $(cat "$f")"
	done
}
hp_restore() {
	local e
	for e in "${hp_old[@]}"; do
		echo "${e##*:}" >"${e%:*}" 2>/dev/null
	done
	hp_old=()
}

uuids=()
cleanup() {
	local u
	for u in "${uuids[@]}"; do
		[ -e "/sys/bus/mdev/devices/$u/remove" ] &&
			echo 1 >"/sys/bus/mdev/devices/$u/remove"
	done
	hp_restore
}
trap cleanup EXIT
for _ in $(seq "$nr_perf"); do
	u=$(cat /proc/sys/kernel/random/uuid)
	if echo "$u" >"$parent/$type/create"; then
		uuids+=("$u")
	else
		break
	fi
done
[ ${#uuids[@]} -gt 0 ] || tap_bail "cannot create a $type vGPU"
tap_ok "create ${#uuids[@]} $type vGPUs (${uuids[0]} is the device under test)"
dev=${uuids[0]}

# iommufd_variants PROG: "-V NAME" for every IOMMUFD variant of PROG (the
# variant names are the only words of "-l" that start with "iommufd").
iommufd_variants() {
	"$1" -l "$dev" 2>&1 | tr -s '[:blank:]' '\n' | grep '^iommufd' | sort -u |
		sed 's/^/-V /'
}

# run_selftest PROG ARGS...: one selftest program through ksft_run_prog
# (which takes no arguments): a wrapper named like PROG runs this script's
# --one mode with PROG and ARGS.
run_selftest() {
	local prog=$1 wrap
	shift
	wrap=$(mktemp -d)/$(basename "$prog")
	printf '#!/bin/bash\nexec %q --one %q' "$here/$(basename "$0")" "$prog" >"$wrap"
	printf ' %q' "$@" >>"$wrap"
	printf '\n' >>"$wrap"
	chmod +x "$wrap"
	ksft_run_prog "$wrap" "$limit"
	rm -rf "$(dirname "$wrap")"
}

hp_reserve
start=$SECONDS
for prog in "$bindir"/*_test; do
	[ -x "$prog" ] || continue
	name=$(basename "$prog")
	pstart=$SECONDS
	# The IOMMUFD variants to leave out, as "-V NAME" words.
	excl=
	case $name in
	vfio_iommufd_setup_test|vfio_pci_driver_test) ;;
	*) [ -z "$no_iommufd" ] || excl=$(iommufd_variants "$prog") ;;
	esac
	case $name in
	vfio_iommufd_setup_test)
		if [ -n "$no_iommufd" ]; then
			echo "# ==== $name"
			tap_ok "$name # SKIP $no_iommufd"
			continue
		fi
		run_selftest "$prog" "$dev" ;;
	vfio_pci_driver_test)
		# Without a driver for the device it opens, closes and exits
		# KSFT_SKIP (4) with no TAP: the open must still succeed.
		echo "# ==== $name"
		out=$(VFIO_SELFTESTS_BDF=$dev timeout -k 10 "$limit" "$prog" -l 2>&1 >/dev/null)
		rc=$?
		if [ $rc = 4 ] && grep -q "No driver found" <<<"$out"; then
			tap_ok "$name: vfio_pci_device_init() of the vGPU"
			tap_ok "$name # SKIP no driver for a Tessera vGPU in the selftests' lib (lib/drivers: ioat, dsa, igb, nv_falcon)"
		elif [ $rc = 4 ]; then
			tap_ok "$name # SKIP $(tail -n1 <<<"$out")"
		else
			while IFS= read -r l; do echo "# $l"; done <<<"$out"
			run_selftest "$prog" "$dev"
		fi ;;
	vfio_pci_device_init_perf_test)
		# shellcheck disable=SC2086 # one word per option
		run_selftest "$prog" $excl "${uuids[@]}" ;;
	*)
		# shellcheck disable=SC2086
		run_selftest "$prog" $excl "$dev" ;;
	esac
	for v in $excl; do
		[ "$v" = -V ] || tap_ok "$name: variant $v # SKIP $no_iommufd"
	done
	echo "# $name took $((SECONDS - pstart)) s"
done
echo "# selftests took $((SECONDS - start)) s"

for u in "${uuids[@]}"; do
	st=$(cat "/sys/bus/mdev/devices/$u/tessera/state" 2>/dev/null)
	if [ "$st" = closed ]; then
		tap_ok "vGPU $u closed again"
	else
		tap_not_ok "vGPU $u state '$st' after the selftests"
	fi
done
cleanup
trap - EXIT
left=0
for u in "${uuids[@]}"; do
	[ -e "/sys/bus/mdev/devices/$u" ] && left=$((left + 1))
done
if [ $left = 0 ]; then tap_ok "remove the vGPUs"; else tap_not_ok "$left vGPUs not removed"; fi
tap_plan_and_exit
