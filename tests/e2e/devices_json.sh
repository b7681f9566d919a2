#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `vendorwallctl devices --json` over several pages (2,500 devices in the
# inventory, pages of 1,000): the plain output, written page by page
# (devices_json.c), holds the same devices in the same order as the pretty
# one, which merges the pages into one json-c tree; it is compact JSON,
# most recently seen first; a filter gives the same answer both ways; an
# unreachable daemon is exit status 3.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require jq cmp
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
N=2500
ctl() { vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" "$@"; }

vw_lan_topology >/dev/null || vw_bail "topology setup failed"
vw_daemon_config monitor
mkdir -p "$VW_SCRATCH/state"
"$VW_BUILD/tools/vw-inventory-fill" "$VW_SCRATCH/state/inventory.db" "$N" >/dev/null ||
	vw_bail "inventory fill failed"
vw_daemon_start_wait 30 || vw_bail "daemon not ready"

S=$VW_SCRATCH/stream.json P=$VW_SCRATCH/pretty.json
vw_check "devices --json (plain, streamed) succeeds" eval 'ctl devices --json >"$S"'
vw_check "devices --json --pretty (merged tree) succeeds" eval 'ctl devices --json --pretty >"$P"'
vw_is "every device listed" "$(jq '.devices | length' "$S")" "$N"
vw_check "same devices, same order, same other keys as the merged tree" \
	eval 'cmp <(jq -c . "$S") <(jq -c . "$P")'
vw_check "plain output is compact JSON (jq -c gives the same bytes)" eval 'cmp <(jq -c . "$S") "$S"'
vw_is "most recently seen first, then by MAC" \
	"$(jq '[.devices[] | [-.last_seen, .mac]] | . == sort' "$S")" true
vw_check "a filter (--vendor huawei) gives the same list both ways" \
	eval 'cmp <(ctl devices --vendor huawei --json | jq -c .) <(ctl devices --vendor huawei --json --pretty | jq -c .)'
vw_daemon_stop 10 >/dev/null
vw_is "unreachable daemon: exit status 3" \
	"$(vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" devices --json >/dev/null 2>&1; echo $?)" 3
vw_done
