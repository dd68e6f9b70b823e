#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot an L1 VM (TCG) with one Tessera GPU and run
# scripts/demo-guest.sh in it; everything it prints is shown at the end.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
exec "$top/scripts/vm-run.sh" --gpu "vram-size=1G" \
	--results "$top/build/vm-results/demo" "$@" \
	-- "demo=$top/scripts/demo-guest.sh"
