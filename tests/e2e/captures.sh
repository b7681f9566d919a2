#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Regression over real captures (issue 11 §4): `vendorwallctl classify` on each file of
# ../shared/data/captures reports exactly the MACs labels.json marks restricted, nothing else
# (no other MAC, no device behind a router). Needs no root and no namespaces: it runs the CLI.
# The data sits beside the checkout (../shared/data, as CI lays it) or in /work/shared/data;
# VW_SHARED_DATA overrides. Without it the test is skipped, saying so.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_require jq
CTL=$VW_BUILD/vendorwallctl
[ -x "$CTL" ] || vw_skip_all "$CTL not built"
data=${VW_SHARED_DATA:-}
if [ -z "$data" ]; then
	for d in "$VW_REPO/../shared/data" /work/shared/data; do
		[ -d "$d/captures" ] && { data=$d; break; }
	done
fi
[ -n "$data" ] && [ -r "$data/captures/labels.json" ] ||
	vw_skip_all "no shared data (../shared/data/captures/labels.json beside the checkout): regression not run"
caps=$data/captures
mapfile -t files < <(jq -r '.files | keys[]' "$caps/labels.json")
vw_is "labels.json names captures" "$([ "${#files[@]}" -gt 0 ] && echo "${#files[@]} files")" "${#files[@]} files"

out=$(mktemp "${TMPDIR:-/tmp}/vw-captures.XXXXXX")
trap 'rm -f "$out"' EXIT
# One run for every file (the registry and rules load once), each file in its own engine.
(cd "$caps" && "$CTL" -j classify --per-file --policy-dir "$VW_REPO/policy" "${files[@]}") >"$out" 2>"$out.err"
rc=$?
vw_is "classify --per-file: exit status (stderr: $(head -c 300 "$out.err"))" "$rc" 0
rm -f "$out.err"
for f in "${files[@]}"; do
	want=$(jq -r --arg f "$f" '.files[$f].restricted | keys | sort | join(" ")' "$caps/labels.json")
	got=$(jq -r --arg f "$f" 'select(.file == $f) | [.devices[] | select(.state == "restricted") | .mac] | sort | join(" ")' "$out")
	ip=$(jq -r --arg f "$f" 'select(.file == $f) | [.ip_devices[] | select(.state == "restricted") | "\(.ip) via \(.via)"] | join(" ")' "$out")
	seen=$(jq -r --arg f "$f" 'select(.file == $f) | .file' "$out")
	vw_is "$f: classified" "$seen" "$f"
	vw_is "$f: restricted MACs are the labelled ones [${want:-none}]" "$got" "$want"
	vw_is "$f: no restricted device behind a router" "$ip" ""
done
vw_done
