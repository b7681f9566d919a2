#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# End to end: vendorwalld on a simulated gateway detects a Huawei-OUI device in monitor mode,
# cuts it off in both directions in block mode while a benign device keeps working, and
# detaches cleanly on SIGTERM. Each step logs through a real (private) systemd-journald.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping bpftool
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"

# Matches for the alerts about one MAC, whatever their kind.
alerts_for() { echo "SYSLOG_IDENTIFIER=vendorwalld VW_MAC=$1"; }

# check_field DESC FIELD WANT MATCH...: FIELD of the first entry matching MATCH is WANT.
check_field() {
	local desc=$1 field=$2 want=$3
	shift 3
	vw_is "$desc: $field=$want" "$(vw_journal_field "$field" "$@")" "$want"
}

tc_egress_attached() { vw_in gw bpftool net show dev "$VW_GW_IF" | grep -q egress; }

vw_check "journal: private journald round trip" vw_journal_selftest || vw_fatal
vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_check "baseline: huawei device reaches the gateway before vendorwalld" vw_ping hw "$VW_GW_IP"
vw_check "baseline: benign device reaches the gateway before vendorwalld" vw_ping bn "$VW_GW_IP"

# ---- monitor
vw_daemon_config monitor
vw_daemon_start
if vw_daemon_wait_ready 20; then
	vw_ok "start: vendorwalld logged policy-loaded ($VW_MID_POLICY_LOADED)"
else
	if vw_daemon_alive; then why="no policy-loaded entry within 20 s"; else why="vendorwalld exited"; fi
	vw_not_ok "start: vendorwalld logged policy-loaded ($VW_MID_POLICY_LOADED)" "$why"
	vw_fatal
fi
vw_check "start: XDP program attached to $VW_GW_IF" vw_xdp_attached gw "$VW_GW_IF"
vw_check "start: TC egress program attached to $VW_GW_IF" tc_egress_attached
vw_check "start: pin directory $VW_PIN_ROOT exists" test -d "$VW_PIN_ROOT"

vw_check "monitor: huawei device -> gateway ping passes" vw_ping hw "$VW_GW_IP"
vw_check "monitor: benign device -> gateway ping passes" vw_ping bn "$VW_GW_IP"
vw_check "monitor: gateway -> huawei device ping passes" vw_ping gw "$VW_HW_IP"

hw_detected="MESSAGE_ID=$VW_MID_DETECTED $(alerts_for "$VW_HW_MAC")"
# shellcheck disable=SC2086 # $hw_detected is a list of matches
if vw_journal_wait 10 $hw_detected; then
	vw_ok "monitor: detected entry for $VW_HW_MAC"
	# shellcheck disable=SC2086
	{
		check_field "monitor entry" PRIORITY 4 $hw_detected
		check_field "monitor entry" VW_VENDOR huawei $hw_detected
		check_field "monitor entry" VW_OUI 00:e0:fc $hw_detected
		check_field "monitor entry" VW_SEGMENT lan $hw_detected
		check_field "monitor entry" VW_INTERFACE "$VW_GW_IF" $hw_detected
		check_field "monitor entry" VW_VLAN 0 $hw_detected
		check_field "monitor entry" VW_ACTION would-drop $hw_detected
		check_field "monitor entry" VW_VERDICT restricted $hw_detected
		check_field "monitor entry" VW_CONFIDENCE 0.90 $hw_detected
		check_field "monitor entry" VW_MODE monitor $hw_detected
		check_field "monitor entry" VW_REASON oui $hw_detected
		dir=$(vw_journal_field VW_DIRECTION $hw_detected)
		case $dir in
		ingress | egress) vw_ok "monitor entry: VW_DIRECTION=$dir" ;;
		*) vw_not_ok "monitor entry: VW_DIRECTION is ingress or egress" "got: '$dir'" ;;
		esac
	}
else
	vw_not_ok "monitor: detected entry for $VW_HW_MAC" "no entry with $hw_detected within 10 s"
fi
# shellcheck disable=SC2046
vw_is "monitor: no entry for the benign MAC $VW_BN_MAC" \
	"$(vw_journal_count $(alerts_for "$VW_BN_MAC"))" 0

# ---- block
vw_daemon_config block
vw_daemon_reload
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_MODE_CHANGED"; then
	vw_ok "block: SIGHUP logged mode-changed ($VW_MID_MODE_CHANGED)"
	check_field "mode-changed entry" VW_MODE block MESSAGE_ID="$VW_MID_MODE_CHANGED"
	check_field "mode-changed entry" VW_SEGMENT lan MESSAGE_ID="$VW_MID_MODE_CHANGED"
else
	vw_not_ok "block: SIGHUP logged mode-changed ($VW_MID_MODE_CHANGED)" "none within 10 s"
fi
vw_check "block: vendorwalld still running after SIGHUP" vw_daemon_alive
vw_check "block: huawei device -> gateway ping fails" vw_not vw_ping hw "$VW_GW_IP"
vw_check "block: gateway -> huawei device ping fails" vw_not vw_ping gw "$VW_HW_IP"
vw_check "block: benign device -> gateway ping passes" vw_ping bn "$VW_GW_IP"
vw_check "block: gateway -> benign device ping passes" vw_ping gw "$VW_BN_IP"

hw_blocked="MESSAGE_ID=$VW_MID_BLOCKED $(alerts_for "$VW_HW_MAC")"
# shellcheck disable=SC2086
if vw_journal_wait 10 $hw_blocked; then
	vw_ok "block: blocked entry for $VW_HW_MAC"
	# shellcheck disable=SC2086
	{
		check_field "blocked entry" PRIORITY 4 $hw_blocked
		check_field "blocked entry" VW_ACTION dropped $hw_blocked
		check_field "blocked entry" VW_MODE block $hw_blocked
		check_field "blocked entry" VW_VENDOR huawei $hw_blocked
		check_field "blocked entry" VW_SEGMENT lan $hw_blocked
	}
else
	vw_not_ok "block: blocked entry for $VW_HW_MAC" "no entry with $hw_blocked within 10 s"
fi
# shellcheck disable=SC2046
vw_is "block: still no entry for the benign MAC $VW_BN_MAC" \
	"$(vw_journal_count $(alerts_for "$VW_BN_MAC"))" 0

# ---- VLAN tags (issue 9 §4): the segment becomes VLAN 10 of lan0, in block mode, after it
# a monitor segment for VLAN 20 of lan0: a frame whose VLAN cannot be read must meet the
# stricter one (lan), not the last configured. Frames go straight from the switch's up0
# into lan0, so no bridge moves a tag out of them.
vw_daemon_config block
printf 'VLAN=10\n\n[Segment voice]\nInterface=%s\nVLAN=20\nMode=monitor\nOnStop=detach\n' "$VW_GW_IF" >>"$VW_CONF"
vw_daemon_reload
SEND=$VW_BUILD/tests/helpers/send-frame
tag() { printf '8100%04x' "$1"; }
# tagged_frame SRC_MAC TAGS...: to the gateway from SRC_MAC, through TAGS, then IPv4 padding.
tagged_frame() {
	local src=$1 t
	shift
	printf '%s%s' "${VW_GW_MAC//:/}" "${src//:/}"
	for t in "$@"; do tag "$t"; done
	printf '0800%092d' 0
}
# blocked_after_frames DESC MAC HEX VLAN: sends HEX from up0 every 0.2 s until MAC's
# blocked entry arrives (the reload applies meanwhile), then checks where it was judged.
blocked_after_frames() {
	local desc=$1 mac=$2 hex=$3 vlan=$4 t=50 match
	match="MESSAGE_ID=$VW_MID_BLOCKED $(alerts_for "$mac")"
	# shellcheck disable=SC2086 # $match is a list of matches
	while [ "$t" -gt 0 ] && [ "$(vw_journal_count $match)" -eq 0 ]; do
		vw_in sw "$SEND" up0 "$hex" >/dev/null 2>&1
		sleep 0.2
		t=$((t - 1))
	done
	# shellcheck disable=SC2086
	if [ "$(vw_journal_count $match)" -gt 0 ]; then
		vw_ok "vlan: $desc: blocked entry for $mac"
		check_field "vlan: $desc" VW_ACTION dropped $match
		check_field "vlan: $desc" VW_SEGMENT lan $match
		check_field "vlan: $desc" VW_VLAN "$vlan" $match
	else
		vw_not_ok "vlan: $desc: blocked entry for $mac" "none within 10 s of frames"
	fi
}
blocked_after_frames "[VID 0]x3 [VID 10] from a restricted MAC" 00:e0:fc:00:0a:01 \
	"$(tagged_frame 00:e0:fc:00:0a:01 0 0 0 10)" 10
blocked_after_frames "[VID 0]x9 [VID 10]: more tags than read, strictest segment" \
	00:e0:fc:00:0a:02 "$(tagged_frame 00:e0:fc:00:0a:02 0 0 0 0 0 0 0 0 0 10)" 4095
blocked_after_frames "cut after the Ethernet header: strictest segment" 00:e0:fc:00:0a:03 \
	"${VW_GW_MAC//:/}00e0fc000a038100" 4095

# ---- stop (OnStop=detach: fail open, nothing left behind)
vw_daemon_stop 10
vw_is "stop: SIGTERM -> vendorwalld exits 0" "$?" 0
vw_check "stop: no XDP program left on $VW_GW_IF" vw_not vw_xdp_attached gw "$VW_GW_IF"
vw_is "stop: no BPF program of any kind left on $VW_GW_IF (bpftool net)" \
	"$(vw_gw_exec gw bpftool net show dev "$VW_GW_IF" 2>&1 | grep -cE 'id [0-9]+')" 0
vw_check "stop: pin directory $VW_PIN_ROOT removed" test ! -e "$VW_PIN_ROOT"
vw_check "stop: huawei device reaches the gateway again" vw_ping hw "$VW_GW_IP"

vw_done || { vw_daemon_diag; exit 1; }
