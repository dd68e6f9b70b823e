#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ensure-host.sh - run scripts/setup-host.sh when a package it installs is
# missing (scripts/host-packages.sh --missing); otherwise do nothing.
# Idempotent and quick (one dpkg-query): make demo and make check call it
# first, so that on a fresh Debian 12 machine they are the only commands.
set -eu
here=$(dirname "$(readlink -f "$0")")
missing=$("$here/host-packages.sh" --missing)
if [ -z "$missing" ]; then
	exit 0
fi
echo "ensure-host: missing: $(echo "$missing" | tr '\n' ' ')"
echo "ensure-host: running scripts/setup-host.sh"
"$here/setup-host.sh"
missing=$("$here/host-packages.sh" --missing)
if [ -n "$missing" ]; then
	echo "ensure-host: still missing after setup-host: $(echo "$missing" | tr '\n' ' ')" >&2
	exit 1
fi
