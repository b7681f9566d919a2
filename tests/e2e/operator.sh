#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The operator's interface: every vendorwallctl sub-command against a running
# vendorwalld in both output forms, mode changes proven by traffic within a
# second and by the audit trail, refusals for a user outside the control
# group, persistence of a mode across restarts, waiver expiry on time.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq sqlite3
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
[ -x "$CTL" ] || vw_skip_all "$CTL not built"
SOCK=$VW_SCRATCH/run/control

# ctl ARGS...: vendorwallctl in the gateway namespace against our socket.
ctl() { vw_in gw "$CTL" --socket "$SOCK" "$@"; }




vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_daemon_config monitor
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"
vw_check "traffic: huawei device seen in monitor mode" vw_ping hw "$VW_GW_IP"
vw_journal_wait 10 MESSAGE_ID="$VW_MID_DETECTED" >/dev/null

# ---- read commands, both forms
status_out=$(ctl status)
vw_check "status: human output names the segment, its mode and its device" \
	eval 'grep -q "^lan  *lan0 .* monitor .* 1$" <<<"$status_out"'
json=$(ctl -j status)
vw_is "status -j: policy version" "$(echo "$json" | jq -r .policy_version | grep -c '^[0-9a-f]\{16\}$')" 1
vw_is "status -j: segment mode" "$(echo "$json" | jq -r '.segments[0].mode')" monitor
vw_is "status -j: attach mode" "$(echo "$json" | jq -r '.segments[0].attach')" native
vw_check "status -j: would-drop counter moved" \
	test "$(echo "$json" | jq '.segments[0].counters.would_drop')" -gt 0
vw_is "status -j: profile" "$(echo "$json" | jq -r '.profiles[0]')" us-ndaa-889
vw_is "segments -j: one segment" "$(ctl segments --json | jq '.segments | length')" 1
vw_check "segments: human table" eval 'ctl segments | grep >/dev/null lan0'
vw_is "devices -j: the huawei device" "$(ctl devices -j | jq -r '.devices[0].mac')" "$VW_HW_MAC"
vw_is "devices -j: its vendor" "$(ctl -j devices | jq -r '.devices[0].vendor')" huawei
vw_is "devices --vendor zte: none" "$(ctl -j devices --vendor zte | jq '.devices | length')" 0
vw_is "devices --segment lan: one" "$(ctl -j devices --segment lan | jq '.devices | length')" 1
vw_check "devices: human table" eval 'ctl devices | grep >/dev/null "$VW_HW_MAC"'
dev=$(ctl -j device "$VW_HW_MAC")
vw_is "device -j: vendor" "$(echo "$dev" | jq -r .device.vendor)" huawei
vw_is "device -j: segment" "$(echo "$dev" | jq -r '.device.segments[0].name')" lan
# One vocabulary (daemon/lib/names.c) and one confidence format (daemon/lib/confidence.c).
vw_is "device -j: verdict" "$(echo "$dev" | jq -r .device.verdict)" restricted
vw_is "device -j: outcome of its last frame" "$(echo "$dev" | jq -r .device.outcome)" would-drop
vw_is "device -j: OUI evidence confidence" \
	"$(echo "$dev" | jq -c '[.device.evidence[] | select(.signal == "oui") | .confidence]')" '[0.9]'
# jq reads numbers; the text the daemon wrote has the one format.
vw_check "device -j: confidence written as 0.90" eval 'grep -Eq "\"confidence\": *0\.90[,} ]" <<<"$dev"'
vw_check "device: human output names the outcome" \
	eval 'ctl device "$VW_HW_MAC" | grep -q "^Last frame: *would-drop$"'
vw_check "inventory: the file holds the same words" \
	eval '[ "$(sqlite3 "$VW_SCRATCH/state/inventory.db" "SELECT verdict || \" \" || outcome FROM devices")" = "restricted would-drop" ]'
vw_check "device: human output" eval 'ctl device "$VW_HW_MAC" | grep -i >/dev/null huawei'
vw_check "device: unknown MAC is an error" eval '! ctl device 02:00:00:00:00:99 2>/dev/null'
vw_check "stats -j: counters by name" \
	test "$(ctl -j stats | jq '.segments[0].counters.oui')" -gt 0
vw_check "stats: human output" eval 'ctl stats | grep >/dev/null would_drop'
vw_check "policy check: the test config is valid" ctl policy check "$VW_CONF"
vw_is "policy check -j: ok" "$(ctl -j policy check "$VW_CONF" | jq -r '.files[0].ok')" true

# ---- mode: takes effect within a second, audited
audits=$(vw_journal_count MESSAGE_ID="$VW_MID_AUDIT")
vw_check "mode: block" ctl mode lan block
vw_check "mode: huawei device cut off within 1 s" vw_not vw_ping_within hw "$VW_GW_IP" 1
vw_check "mode: benign device still works" vw_ping_within bn "$VW_GW_IP" 1
vw_journal_wait_more 5 "$audits" MESSAGE_ID="$VW_MID_AUDIT" >/dev/null
vw_is "mode: audit entry names the command" \
	"$(vw_journal -o json MESSAGE_ID="$VW_MID_AUDIT" VW_COMMAND=mode | tail -1 | jq -r .VW_NEW_VALUE)" "mode=block"
vw_is "mode: audit entry has the caller uid" \
	"$(vw_journal -o json MESSAGE_ID="$VW_MID_AUDIT" VW_COMMAND=mode | tail -1 | jq -r .VW_CALLER_UID)" 0
vw_is "mode: audit entry has the old value" \
	"$(vw_journal -o json MESSAGE_ID="$VW_MID_AUDIT" VW_COMMAND=mode | tail -1 | jq -r .VW_OLD_VALUE)" "mode=monitor"
vw_is "status: configured mode differs" "$(ctl -j status | jq -r '.segments[0].configured_mode')" monitor
vw_is "mode -j: result names the previous mode" "$(ctl -j mode lan monitor | jq -r .previous_mode)" block
vw_check "mode: huawei device back within 1 s" vw_ping_within hw "$VW_GW_IP" 1
vw_check "mode: bad mode is a usage error" eval '! ctl mode lan sideways 2>/dev/null'
vw_check "mode: unknown segment is an error" eval '! ctl mode nosuch block 2>/dev/null'

# ---- mode survives a restart
ctl mode lan block >/dev/null
vw_daemon_stop 10 >/dev/null
vw_daemon_config monitor   # OnStop=detach: everything is rebuilt from state
vw_daemon_start_wait 20
vw_is "restart: mode block kept from operator state" "$(ctl -j status | jq -r '.segments[0].mode')" block
vw_check "restart: huawei device still cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1

# ---- waivers, quarantine
until=$(date -u -d '+3 seconds' +%Y-%m-%dT%H:%M:%SZ)
vw_check "allow: waiver with an expiry" ctl allow "$VW_HW_MAC" --until "$until" --reason "e2e" --ticket T-9
vw_check "allow: waived device passes in block mode" vw_ping_within hw "$VW_GW_IP" 1
vw_is "allow: waiver entry names the caller" \
	"$(vw_journal -o json MESSAGE_ID="$VW_MID_WAIVER_ADDED" VW_MAC="$VW_HW_MAC" | tail -1 | jq -r .VW_CALLER_UID)" 0
vw_is "device: verdict waived" "$(ctl -j device "$VW_HW_MAC" | jq -r .device.verdict)" waived
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_WAIVER_EXPIRED" VW_MAC="$VW_HW_MAC"; then
	vw_ok "allow: waiver expired on time"
else
	vw_not_ok "allow: waiver expired on time"
fi
vw_check "allow: after expiry the device is cut off again" vw_not vw_ping_within hw "$VW_GW_IP" 1
vw_check "revoke: no waiver left is an error" eval '! ctl revoke "$VW_HW_MAC" 2>/dev/null'
vw_is "allow -j: again, the result has the expiry" \
	"$(ctl -j allow "$VW_HW_MAC" --until +1h --reason "e2e again" | jq -r '.until > 0')" true
vw_is "revoke -j: removes it" "$(ctl revoke "$VW_HW_MAC" --json | jq -r .mac)" "$VW_HW_MAC"
vw_check "revoke: the device is cut off again" vw_not vw_ping_within hw "$VW_GW_IP" 1
ctl mode lan monitor >/dev/null
vw_check "quarantine: the benign device" ctl quarantine "$VW_BN_MAC" --reason "rogue test"
vw_check "quarantine: in monitor mode a quarantined device is reported, not cut off" \
	vw_ping_within bn "$VW_GW_IP" 1
ctl mode lan block >/dev/null
vw_check "quarantine: cut off in block mode" vw_not vw_ping_within bn "$VW_GW_IP" 1
vw_is "release -j: undo" "$(ctl -j release "$VW_BN_MAC" | jq -r .mac)" "$VW_BN_MAC"
vw_check "release: benign device back" vw_ping_within bn "$VW_GW_IP" 1
vw_check "release: not quarantined is an error" eval '! ctl release "$VW_BN_MAC" 2>/dev/null'
vw_is "reload -j: policy version" "$(ctl -j reload | jq -r .policy_version | grep -c '^[0-9a-f]\{16\}$')" 1

# ---- broken and hostile clients: each answered or timed out, others served
RAW=$VW_BUILD/tests/helpers/ctl-raw
raw() { vw_in gw "$RAW" "$1" "$SOCK" "$2"; }
# answered_error DESC REPLY CODE: the reply is {"ok": false} with that code.
answered_error() {
	vw_is "bad request: $1" "$(echo "$2" | jq -r 'select(.ok == false) | .error.code' 2>/dev/null)" "$3"
}
answered_error "garbage" "$(raw send 'this is not json')" EINVAL
answered_error "truncated JSON" "$(raw send '{"command": "status", "args": {')" EINVAL
answered_error "not an object" "$(raw send '[1, 2, 3]')" EINVAL
answered_error "wrong type of command" "$(raw send '{"command": 42}')" EINVAL
answered_error "wrong type of an argument" "$(raw send '{"command": "mode", "args": {"segment": "lan", "mode": 7}}')" EINVAL
answered_error "unknown command" "$(raw send '{"command": "selfdestruct"}')" EOPNOTSUPP
answered_error "huge message (200 KiB)" "$(raw big 200000)" EMSGSIZE
raw hold 8 >"$VW_SCRATCH/hold.out" 2>&1 &
hold_pid=$!
vw_track_pid "$hold_pid"
sleep 0.5
t0=$(date +%s%N)
vw_check "silent client: a well-behaved client is served meanwhile" ctl status
vw_check "silent client: ... promptly (under a second)" test $((($(date +%s%N) - t0) / 1000000)) -lt 1000
wait "$hold_pid"
vw_untrack_pid "$hold_pid"
vw_is "silent client: closed by the daemon (idle timeout), not left hanging" "$(cat "$VW_SCRATCH/hold.out")" closed
vw_check "after all that: the daemon still serves" ctl -j status

# ---- a user outside the control group
nob() { vw_in gw setpriv --reuid=65534 --regid=65534 --clear-groups "$CTL" --socket "$SOCK" "$@"; }
for cmd in "mode lan off" "allow $VW_HW_MAC --until +1h --reason x" "revoke $VW_HW_MAC" \
	"quarantine $VW_BN_MAC --reason x" "release $VW_BN_MAC" "reload" "status" "devices"; do
	# shellcheck disable=SC2086 # word splitting wanted
	err=$(nob $cmd 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -ne 0 ] && echo "$err" | grep -q '^Error: .*[Pp]ermission\|^Error: .*EPERM\|^Error: .*not permitted'; then
		vw_ok "nobody: '$cmd' refused"
	else
		vw_not_ok "nobody: '$cmd' refused" "rc=$rc: $err"
	fi
done
# Refusals are audited one by one up to a burst per uid, the rest summed up in one entry
# (VW_SUPPRESSED=N) within an interval of the last: together they account for all 8.
nobody_audited() {
	vw_journal -o json MESSAGE_ID="$VW_MID_AUDIT" VW_CALLER_UID=65534 |
		jq -s '[.[] | (.VW_SUPPRESSED // "1" | tonumber)] | add // 0'
}
nobody_all_audited() {
	local t=50
	while [ "$t" -gt 0 ]; do
		[ "$(nobody_audited)" -ge 8 ] && return 0
		sleep 0.2
		t=$((t - 1))
	done
	return 1
}
vw_check "nobody: every refusal audited with uid 65534 (one by one or summed up)" nobody_all_audited
vw_is "nobody: the audit entries and summaries account for exactly the 8 refusals" "$(nobody_audited)" 8
vw_is "nobody: mode unchanged" "$(ctl -j status | jq -r '.segments[0].mode')" block

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
