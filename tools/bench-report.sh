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
TIMEFORMAT='%R %U %S'
for fmt in text json csv html; do
	best= cpu=
	for _ in 1 2 3; do
		# wall-clock, user and system seconds of the one command
		read -r wall user sys < <({ time "$build/vendorwallctl" report --config "$tmp/vendorwall.conf" \
			--format "$fmt" --output "$tmp/r.$fmt" >/dev/null 2>"$tmp/err"; } 2>&1) ||
			{ echo "bench-report: $fmt failed: $(cat "$tmp/err")"; exit 1; }
		ms=$(awk -v w="$wall" 'BEGIN { printf "%d", w * 1000 }')
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then
			best=$ms
			cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
		fi
	done
	line="$line $fmt=${best}ms(cpu=${cpu}ms)"
	[ "$best" -gt "$worst" ] && worst=$best
done
rows=$(grep -c '^device,' "$tmp/r.csv" 2>/dev/null || echo 0)
[ "$rows" -eq "$DEVICES" ] || { echo "bench-report: $rows device rows, expected $DEVICES"; exit 1; }
echo "$line limit=2000ms $([ "$worst" -lt 2000 ] && echo ok || echo OVER) load=$(cut -d' ' -f1 /proc/loadavg)"
