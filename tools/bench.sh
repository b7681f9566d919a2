#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make bench: the data plane (vw-bench), the daemon's start-up, reload and
# memory (bench-daemon.sh), the compliance report on 100,000 devices
# (bench-report.sh) and the fingerprint engine (vw-fp-bench, when
# built). Each part prints its own closing line; they are repeated at the end.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
lines=() rc=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
	local out
	echo "==== $*"
	"$@" >"$log" 2>&1
	cat "$log"
	out=$(grep -E '^bench(-[a-z]+)?: ' "$log")
	[ -n "$out" ] || rc=1
	lines+=("$out")
}
# shellcheck disable=SC2086 # BENCH_ARGS is a list of options
run "$build/tools/vw-bench" ${BENCH_ARGS:-}
run tools/bench-daemon.sh
run tools/bench-report.sh "$build"
[ -x "$build/tools/vw-fp-bench" ] && run "$build/tools/vw-fp-bench"
echo "==== summary"
printf '%s\n' "${lines[@]}"
exit "$rc"
