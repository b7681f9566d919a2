#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Test runner behind `make check`: runs the unit (cmocka), BPF and end-to-end test programs,
# each under a timeout, reads their TAP and ends with one line "N passed, N failed".
#
#   tests/run.sh [BUILD_DIR [unit|asan|fuzz|bpf|e2e|PATH...]]
#
# PATH is a test program or a directory of them. A set asked for with nothing built is a failure,
# and so is a program that exits 0 without any TAP line. Timeouts (seconds) can be changed with
# VW_TIMEOUT_UNIT, VW_TIMEOUT_BPF and VW_TIMEOUT_E2E.
set -u

usage() {
	echo "usage: $0 [BUILD_DIR [unit|asan|fuzz|bpf|e2e|PATH...]]" >&2
	exit 2
}

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo" || exit 2
build=${1:-build}
[ $# -eq 0 ] || shift
case $build in -*) usage ;; esac
build=$(cd "$build" 2>/dev/null && pwd) || { echo "$0: no build directory '${1:-build}'" >&2; exit 2; }
[ $# -gt 0 ] || set -- unit asan fuzz bpf e2e

: "${VW_TIMEOUT_UNIT:=180}" "${VW_TIMEOUT_BPF:=600}" "${VW_TIMEOUT_E2E:=600}"

progs=()   # "timeout<TAB>path"
missing=() # sets that were asked for but have nothing built: each one is a failure
add_dir() { # add_dir TIMEOUT DIR [GLOB]: 1 when DIR holds no test program
	local f n=${#progs[@]}
	for f in "$2"/${3:-*}; do
		[ -f "$f" ] && [ -x "$f" ] && progs+=("$1	$f")
	done
	[ "${#progs[@]}" -gt "$n" ]
}
for sel in "$@"; do
	case $sel in
	unit) add_dir "$VW_TIMEOUT_UNIT" "$build/tests/unit" 'test_*' ||
		missing+=("unit: no test programs in $build/tests/unit (make all)") ;;
	# the same unit tests built with ASan+UBSan (make asan)
	asan) add_dir "$((VW_TIMEOUT_UNIT * 4))" "$build/asan/tests/unit" 'test_*' ||
		missing+=("asan: no test programs in $build/asan/tests/unit (make asan)") ;;
	# every libFuzzer target for a few seconds (make fuzz-bins)
	fuzz)
		if compgen -G "$build/fuzz/fuzz_*" >/dev/null; then
			progs+=("600	tests/fuzz/run.sh")
		else
			missing+=("fuzz: no libFuzzer targets in $build/fuzz (make fuzz-bins)")
		fi
		;;
	bpf) add_dir "$VW_TIMEOUT_BPF" "$build/tests/bpf" ||
		missing+=("bpf: no test programs in $build/tests/bpf (make all)") ;;
	e2e)
		# the harness self-test first: when it fails, the others fail for the same reason
		add_dir "$VW_TIMEOUT_E2E" tests/e2e harness.sh
		for f in tests/e2e/*.sh; do
			[ "$f" = tests/e2e/harness.sh ] || add_dir "$VW_TIMEOUT_E2E" tests/e2e "${f##*/}"
		done
		;;
	*)
		case $sel in
		*/e2e | */e2e/* | tests/e2e*) t=$VW_TIMEOUT_E2E ;;
		*/bpf | */bpf/*) t=$VW_TIMEOUT_BPF ;;
		*) t=$VW_TIMEOUT_UNIT ;;
		esac
		if [ -d "$sel" ]; then
			add_dir "$t" "${sel%/}" || missing+=("$sel: no test programs in it")
		elif [ -f "$sel" ] && [ -x "$sel" ]; then
			progs+=("$t	$sel")
		else
			echo "$0: '$sel' is neither unit, bpf, e2e nor an executable test" >&2
			exit 2
		fi
		;;
	esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vw-run.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0 failed=0 skipped=0
failures=()

# tally NAME OUTFILE RC TIMEOUT: counts the TAP results in OUTFILE and adds the program-level
# failure (crash, non-zero exit, timeout, short plan) when its TAP does not already say so.
tally() {
	local name=$1 out=$2 rc=$3 t=$4 p=0 f=0 s=0 plan='' n=0 line desc
	while IFS= read -r line; do
		case $line in
		"ok "* | "ok" | "not ok"*)
			n=$((n + 1))
			desc=${line#not ok}
			desc=${desc#ok}
			shopt -s nocasematch
			if [[ $line =~ \#[[:space:]]*(skip|todo) ]]; then
				s=$((s + 1))
			elif [[ $line == "not ok"* ]]; then
				f=$((f + 1))
				failures+=("$name:${desc}")
			else
				p=$((p + 1))
			fi
			shopt -u nocasematch
			;;
		"1.."*)
			# cmocka prints one plan per group: the plans add up
			local k=${line#1..}
			k=${k%%[!0-9]*}
			plan=$((${plan:-0} + ${k:-0}))
			# "1..0 # SKIP reason": the whole program was skipped
			if [ "${k:-0}" -eq 0 ]; then
				s=$((s + 1))
			fi
			;;
		"Bail out!"*)
			f=$((f + 1))
			failures+=("$name: ${line}")
			;;
		esac
	done <"$out"

	local why=
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		why="timed out after ${t}s"
	elif [ "$rc" -ge 128 ]; then
		why="killed by signal $((rc - 128))"
	elif [ "$rc" -ne 0 ]; then
		why="exit status $rc"
	elif [ -n "$plan" ] && [ "$plan" -ne "$n" ]; then
		why="planned $plan tests, ran $n"
	fi
	if [ -n "$why" ] && [ "$f" -eq 0 ]; then
		f=1
		failures+=("$name: $why")
	elif [ "$rc" -eq 0 ] && [ "$n" -eq 0 ] && [ -z "$plan" ] && [ "$f" -eq 0 ]; then
		# exited 0 without a single TAP line: it proved nothing, whatever it did
		why="exited 0 without TAP output"
		f=1
		failures+=("$name: $why")
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	printf '# ---- %s: %d ok, %d not ok, %d skipped, %d s%s\n' \
		"$name" "$p" "$f" "$s" "$(($(date +%s) - start))" "${why:+ ($why)}"
}

for entry in "${progs[@]}"; do
	t=${entry%%	*}
	prog=${entry#*	}
	name=${prog#"$build"/}
	name=${name#tests/}
	echo "# ==== $name"
	out=$tmp/out
	start=$(date +%s)
	# stdin closed (as in CI); stderr kept in the same stream so a failure reads in order
	CMOCKA_MESSAGE_OUTPUT=TAP VW_BUILD=$build \
		timeout -k 10 "$t" "$prog" </dev/null 2>&1 | tee "$out" | sed 's/^/    /'
	rc=${PIPESTATUS[0]}
	tally "$name" "$out" "$rc" "$t"
done

for m in "${missing[@]}"; do
	echo "# ==== ${m%%:*}"
	echo "# ---- ${m%%:*}: not run: ${m#*: }"
	failed=$((failed + 1))
	failures+=("$m")
done
if [ "${#failures[@]}" -gt 0 ]; then
	echo "# failed:"
	printf '#   %s\n' "${failures[@]}"
fi
summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
