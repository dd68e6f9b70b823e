#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint-shell.sh - the shell lint step of "make check": shellcheck (Debian's)
# at severity "warning" over every shell script of the repository (*.sh,
# .ci/run, and the scripts/ files with a sh or bash shebang), sourced files
# followed (-x). Prints TAP, one line per script; exit status 1 if any
# has a warning or an error. Style and info notes are not judged.
#
#   scripts/lint-shell.sh [FILE...]      (default: every shell script)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
command -v shellcheck >/dev/null ||
	{ echo "1..0 # SKIP shellcheck missing (scripts/setup-host.sh)"; exit 0; }
if [ $# -gt 0 ]; then
	files=("$@")
else
	mapfile -t files < <({
		git ls-files '*.sh' .ci/run
		git ls-files scripts bench tests | while read -r f; do
			head -n 1 "$f" 2>/dev/null | grep -q '^#!/bin/\(ba\)\{0,1\}sh' && echo "$f"
		done
	} | sort -u)
fi
echo "TAP version 13"
n=0 rc=0
for f in "${files[@]}"; do
	n=$((n + 1))
	if out=$(shellcheck -x -S warning "$f" 2>&1); then
		echo "ok $n shellcheck $f"
	else
		echo "not ok $n shellcheck $f"
		echo "$out" | sed 's/^/# /'
		rc=1
	fi
done
echo "1..$n"
exit $rc
