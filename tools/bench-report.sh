#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The compliance report on 100,000 inventory devices: wall-clock time of
# `vendorwallctl report` in each format (the issue asks for under 2 s), with
# no daemon running. Prints `bench-report: ...`.
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 2
DEVICES=${DEVICES:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/state"
cat >"$tmp/vendorwall.conf" <<EOC
[Daemon]
Profile=us-ndaa-889
PolicyDirectory=$PWD/policy
StateDirectory=$tmp/state

[Segment lan]
Interface=lan0
Mode=block
EOC
"$build/tools/vw-inventory-fill" "$tmp/state/inventory.db" "$DEVICES" || exit 1
line="bench-report: devices=$DEVICES"
worst=0
for fmt in text json csv html; do
	best=
	for _ in 1 2 3; do
		t0=$(date +%s%N)
		"$build/vendorwallctl" report --config "$tmp/vendorwall.conf" --format "$fmt" \
			--output "$tmp/r.$fmt" || { echo "bench-report: $fmt failed"; exit 1; }
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
	done
	rows=$(grep -c '^device,' "$tmp/r.csv" 2>/dev/null || echo 0)
	line="$line $fmt=${best}ms"
	[ "$best" -gt "$worst" ] && worst=$best
done
[ "$rows" -eq "$DEVICES" ] || { echo "bench-report: $rows device rows, expected $DEVICES"; exit 1; }
echo "$line limit=2000ms $([ "$worst" -lt 2000 ] && echo ok || echo OVER)"
