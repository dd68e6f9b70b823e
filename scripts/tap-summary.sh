#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-summary.sh - count TAP results.
#
# Usage: scripts/tap-summary.sh [FILE...]     (no FILE, or "-": stdin)
#
# Counts top-level TAP result lines, i.e. lines that start (in column 0)
# with "ok" or "not ok" - the kselftest-harness form "ok 3 global.foo",
# "not ok 4 global.bar", "ok 5 global.baz # SKIP reason". Indented or
# "# "-prefixed lines (subtests, diagnostics) are not counted.
#   ok ... # SKIP ...       skipped
#   not ok ... # SKIP ...   skipped
#   not ok ... # TODO ...   skipped (expected failure, per TAP)
#   ok ...                  passed (also with # TODO / # XFAIL)
#   not ok ...              failed
#   Bail out!               failed
# Each failing line is echoed as "FAIL: <line>". The last line printed is
#   N passed, N failed, N skipped
# The exit status is 1 if anything failed or nothing at all was counted,
# else 0.
set -eu

[ $# -gt 0 ] || set -- -
for f in "$@"; do
	if [ "$f" != - ] && [ ! -r "$f" ]; then
		echo "tap-summary: cannot read $f" >&2
		exit 2
	fi
done

cat -- "$@" | tr -d '\r' | awk '
	# Directive: a "#" followed by SKIP or TODO (case-insensitive).
	function directive(line, d) {
		d = line
		if (!sub(/^[^#]*#[ \t]*/, "", d))
			return ""
		d = toupper(substr(d, 1, 4))
		return (d == "SKIP" || d == "TODO") ? d : ""
	}
	/^not ok([ \t]|$)/ {
		d = directive($0)
		if (d == "SKIP" || d == "TODO") skipped++
		else { failed++; print "FAIL: " $0 }
		next
	}
	/^ok([ \t]|$)/ {
		if (directive($0) == "SKIP") skipped++
		else passed++
		next
	}
	/^Bail out!/ { failed++; print "FAIL: " $0; next }
	END {
		printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
		exit (failed > 0 || passed + failed + skipped == 0) ? 1 : 0
	}'
