#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs every libFuzzer target in BUILD/fuzz from its seed corpus, one TAP line
# each. By time: FUZZ_TIME seconds per target (default 3, which is what
# `make check` uses; `make fuzz` defaults to 60). By count: FUZZ_RUNS=N runs
# each target for N executions (`make fuzz-long`: 10,000,000), FUZZ_JOBS
# targets at a time, and stops at the first finding: the remaining targets are
# not started and the finding is printed. FUZZ_LOG_DIR=DIR keeps each
# target's libFuzzer log there. New inputs go to a scratch corpus,
# crashes to BUILD/fuzz/crash-*, so the committed seeds stay as they are.
set -u
build=${1:-${VW_BUILD:-build}}   # tests/run.sh passes it in the environment
time=${FUZZ_TIME:-3}
runs=${FUZZ_RUNS:-}
jobs=${FUZZ_JOBS:-1}
cd "$(dirname "$0")/../.." || exit 2
targets=("$build"/fuzz/fuzz_*)
# Asked to fuzz with nothing built is a failure, not a skip: nothing was tested.
[ -x "${targets[0]}" ] || { echo "Bail out! no fuzz targets in $build/fuzz (make fuzz-bins)"; exit 1; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "Bail out! FUZZ_JOBS=$jobs: not a positive number"; exit 2; }
[ -z "$runs" ] || [[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "Bail out! FUZZ_RUNS=$runs: not a positive number"; exit 2; }
echo "1..${#targets[@]}"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

# One target: writes "<status> <executions> <seconds>" to $results/<name> and
# the log tail of a finding to $results/<name>.log.
fuzz_one() {
	local t=$1 name=${1##*/fuzz_} maxlen=2048 scratch log limit start rc n
	case $name in sadp_xml | wsd | dhip | tr069 | ssdp | banner | overrides | control_request) maxlen=16384 ;; esac
	limit=(-max_total_time="$time")
	[ -z "$runs" ] || limit=(-runs="$runs")
	scratch=$(mktemp -d) log=$(mktemp)
	# FUZZ_LOG_DIR keeps each target's log (progress lines of a long run).
	[ -z "${FUZZ_LOG_DIR:-}" ] || log=$FUZZ_LOG_DIR/$name.log
	start=$SECONDS
	"$t" "${limit[@]}" -max_len="$maxlen" -print_final_stats=1 \
		-artifact_prefix="$build/fuzz/crash-$name-" "$scratch" "tests/fuzz/corpus/$name" >"$log" 2>&1 &
	echo $! >"$results/$name.pid"
	wait $!
	rc=$?
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	[ -n "$n" ] || n=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
	[ $rc -eq 0 ] || tail -30 "$log" | sed 's/^/# /' >"$results/$name.log"
	echo "$rc ${n:-?} $((SECONDS - start))" >"$results/$name"
	rm -rf "$scratch"
	[ -n "${FUZZ_LOG_DIR:-}" ] || rm -f "$log"
}

report() {   # prints the TAP line of target number $1, named $2; 1 on a finding
	local rc n s
	read -r rc n s <"$results/$2"
	if [ "$rc" -eq 0 ]; then
		echo "ok $1 - fuzz $2: $n executions in ${s}s, 0 findings"
		return 0
	fi
	echo "not ok $1 - fuzz $2: 1 finding after $n executions (exit $rc)"
	cat "$results/$2.log"
	return 1
}

n=0 failed=0 stop=0
names=()
declare -A reported=()
report_finished() {   # reports, in target order, every target that has finished
	local i
	for i in "${!names[@]}"; do
		[ -e "$results/${names[$i]}" ] && [ -z "${reported[${names[$i]}]:-}" ] || continue
		reported[${names[$i]}]=1
		report $((i + 1)) "${names[$i]}" || { failed=$((failed + 1)); [ -z "$runs" ] || stop=1; }
	done
}
for t in "${targets[@]}"; do
	names+=("${t##*/fuzz_}")
	fuzz_one "$t" &
	# With FUZZ_JOBS > 1 wait for a free slot.
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	report_finished
	[ $stop -eq 0 ] || break
done
if [ $stop -ne 0 ]; then
	# The first finding ends a long run: the running fuzzers are stopped.
	for f in "$results"/*.pid; do
		[ -e "${f%.pid}" ] || kill "$(cat "$f")" 2>/dev/null
	done
	wait
	echo "# stopped at the first finding: targets still running were stopped, later ones not started"
	exit 1
fi
wait
report_finished
exit $((failed > 0))
