#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The split into two modules (Documentation/dev/architecture.rst) as lint,
# after make modules (and make modules-compat, whose build is checked too
# when present): prints TAP, exits non-zero on a finding.
#
#   - no file of drivers/tessera/core/ or lib/ includes a VFIO or mdev
#     header or vgpu/tessera_vgpu.h;
#   - no file of drivers/tessera/vgpu/ includes a core-private header
#     (tessera_drv.h, tessera_trace.h, any header of drivers/tessera/core/):
#     the core's structures are opaque to it, it sees them through the
#     core API (tessera_core.h: core/tessera_view.c);
#   - tessera.ko depends on neither vfio nor mdev; tessera-vgpu.ko depends
#     on tessera, vfio and mdev and imports the TESSERA namespace;
#   - every function declared in include/tessera/tessera_core.h and
#     tessera_hw.h is exported by tessera.ko in the TESSERA namespace
#     (Module.symvers);
#   - vgpu/ reaches the hardware only through the core's hardware access
#     layer (tessera_hw.h): no register accessor (tessera_hw_csr_read() and
#     friends included) and no register offset outside its CSR table
#     (tessera_vgpu_csr.c, which passes the guest's accesses through);
#   - neither does the rest of core/: register offsets and accessors are
#     tessera_hw.c's alone (tessera_hw.h, core/tessera_hw_core.h);
#   - vgpu/ leaves the core's scheduling and allocator state alone (engine
#     locks, run queues, the loaded ring, context ids, the buddy
#     allocators, the engines' wait queues): the core API does that.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
n=0 rc=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; rc=1; }
echo "TAP version 13"

cd "$top" || exit 1
bad=$(grep -nE '#include[[:space:]]*[<"](linux/(vfio|mdev)[a-z_]*\.h|([^">]*/)?tessera_vgpu\.h)[">]' \
	drivers/tessera/core/*.[ch] drivers/tessera/lib/*.[ch] || true)
if [ -z "$bad" ]; then
	ok "core/ and lib/ include no VFIO, mdev or vGPU header"
else
	notok "core/ and lib/ include no VFIO, mdev or vGPU header"
	printf '# %s\n' "${bad//$'\n'/$'\n'# }"
fi

# The core's private headers: the two named, and whatever else lives in
# core/ (lib/ headers are pure logic, shared with userspace: allowed).
private="tessera_drv.h tessera_trace.h"
for f in drivers/tessera/core/*.h; do
	[ -e "$f" ] && private="$private ${f##*/}"
done
alt=$(printf '%s\n' $private | sort -u | sed 's/\./\\./g' | paste -sd '|')
bad=$(grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]([^\">]*/)?($alt)[\">]" \
	drivers/tessera/vgpu/*.[ch] || true)
if [ -z "$bad" ]; then
	ok "vgpu/ includes no core-private header"
else
	notok "vgpu/ includes no core-private header"
	printf '# %s\n' "${bad//$'\n'/$'\n'# }"
fi

# The hardware access layer is the only way from vgpu/ to the registers.
vfiles=()
for f in drivers/tessera/vgpu/*.[ch]; do
	[ "${f##*/}" = tessera_vgpu_csr.c ] || vfiles+=("$f")
done
bad=$(grep -nE \
	'\btessera_(rd|wr)(64)?\(|\btessera_hw_csr_(read|write)(64)?\(|->csr\b|TESSERA_(CTX|ENG|CTX_RING)_REG\(|TESSERA_GART_ENTRY\(|\bTESSERA_REG_[A-Z]' \
	"${vfiles[@]}" || true)
if [ -z "$bad" ]; then
	ok "vgpu/ accesses registers only in its CSR table (else tessera_hw.h)"
else
	notok "vgpu/ accesses registers only in its CSR table (else tessera_hw.h)"
	printf '# %s\n' "${bad//$'\n'/$'\n'# }"
fi
# In tessera.ko too, only the hardware access layer knows the registers.
cfiles=()
for f in drivers/tessera/core/*.[ch]; do
	[ "${f##*/}" = tessera_hw.c ] || cfiles+=("$f")
done
bad=$(grep -nE \
	'\btessera_(rd|wr)(64)?\(|TESSERA_(CTX|ENG|CTX_RING)_REG\(|TESSERA_GART_ENTRY\(|\bTESSERA_REG_[A-Z]' \
	"${cfiles[@]}" || true)
if [ -z "$bad" ]; then
	ok "core/ accesses registers only in its hardware access layer (tessera_hw.c)"
else
	notok "core/ accesses registers only in its hardware access layer (tessera_hw.c)"
	printf '# %s\n' "${bad//$'\n'/$'\n'# }"
fi
bad=$(grep -nE 'eng->|->engines\[|(\.|->)rq\b|->cur\b|ctx_ids|(vram|gart)_alloc\b|fence_wq|\btessera_rq_' \
	drivers/tessera/vgpu/*.[ch] || true)
if [ -z "$bad" ]; then
	ok "vgpu/ leaves the core's scheduler and allocator state to the core API"
else
	notok "vgpu/ leaves the core's scheduler and allocator state to the core API"
	printf '# %s\n' "${bad//$'\n'/$'\n'# }"
fi

# The functions of the core API: "name(" at the start of a declaration.
api=$(sed -n 's/^[a-z].*[ *]\(tessera_[a-z0-9_]*\)(.*/\1/p' \
	include/tessera/tessera_core.h include/tessera/tessera_hw.h)
[ -n "$api" ] || notok "no function found in include/tessera/tessera_core.h"

check_build() { # DIR: a tree with drivers/tessera/*.ko and Module.symvers
	local dir=$1 core=$1/drivers/tessera/tessera.ko
	local vgpu=$1/drivers/tessera/tessera-vgpu.ko name=${1#"$top"/} dep f
	local missing=
	[ "$name" != "$top" ] || name=.
	if [ ! -f "$core" ] || [ ! -f "$vgpu" ]; then
		notok "$name: tessera.ko and tessera-vgpu.ko built"
		return
	fi
	dep=$(modinfo -F depends "$core")
	if echo ",$dep," | grep -qE ',(vfio[a-z_]*|mdev),'; then
		notok "$name: tessera.ko depends on neither vfio nor mdev (depends: $dep)"
	else
		ok "$name: tessera.ko depends on neither vfio nor mdev"
	fi
	dep=$(modinfo -F depends "$vgpu")
	if echo ",$dep," | grep -q ',tessera,' && echo ",$dep," | grep -q ',vfio,' &&
	   echo ",$dep," | grep -q ',mdev,'; then
		ok "$name: tessera-vgpu.ko depends on tessera, vfio, mdev"
	else
		notok "$name: tessera-vgpu.ko depends on tessera, vfio, mdev (depends: $dep)"
	fi
	if modinfo -F import_ns "$vgpu" | grep -qx TESSERA; then
		ok "$name: tessera-vgpu.ko imports the TESSERA namespace"
	else
		notok "$name: tessera-vgpu.ko imports the TESSERA namespace"
	fi
	for f in $api; do
		awk -v f="$f" '$2 == f && $NF == "TESSERA" { found = 1 } END { exit !found }' \
			"$dir/Module.symvers" || { echo "# not exported: $f"; missing=1; }
	done
	if [ -n "$missing" ]; then
		notok "$name: tessera_core.h functions exported in TESSERA (missing above)"
	else
		ok "$name: tessera_core.h functions exported in TESSERA"
	fi
}
check_build "$top"
for d in "$top"/build/compat-*; do
	[ -d "$d/drivers/tessera" ] && check_build "$d"
done
echo "1..$n"
exit $rc
