#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs every libFuzzer target in BUILD/fuzz for FUZZ_TIME seconds (default 3,
# which is what `make check` uses; `make fuzz` defaults to 60) from its seed
# corpus, one TAP line each. New inputs go to a scratch corpus, crashes to
# BUILD/fuzz/crash-*, so the committed seeds stay as they are.
set -u
build=${1:-${VW_BUILD:-build}}   # tests/run.sh passes it in the environment
time=${FUZZ_TIME:-3}
cd "$(dirname "$0")/../.." || exit 2
targets=("$build"/fuzz/fuzz_*)
# Asked to fuzz with nothing built is a failure, not a skip: nothing was tested.
[ -x "${targets[0]}" ] || { echo "Bail out! no fuzz targets in $build/fuzz (make fuzz-bins)"; exit 1; }
echo "1..${#targets[@]}"
n=0 failed=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	name=${t##*/fuzz_}
	scratch=$(mktemp -d)
	log=$(mktemp)
	maxlen=2048
	case $name in sadp_xml | wsd | dhip | tr069 | ssdp | banner | overrides | control_request) maxlen=16384 ;; esac
	if "$t" -max_total_time="$time" -max_len="$maxlen" -print_final_stats=1 \
		-artifact_prefix="$build/fuzz/crash-$name-" "$scratch" "tests/fuzz/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok $n - fuzz $name: ${runs:-?} inputs in ${time}s, no crash"
	else
		failed=$((failed + 1))
		echo "not ok $n - fuzz $name"
		tail -30 "$log" | sed 's/^/# /'
	fi
	rm -rf "$scratch" "$log"
done
exit $((failed > 0))
