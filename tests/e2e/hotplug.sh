#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Interface hot-plug over netlink: a segment whose interface does not exist
# yet is attached when it appears, re-attached when it is deleted and
# re-created, and followed by ifindex when it is renamed; alerts carry the
# device's address from the neighbour table.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
GW_IP=198.18.0.1 GW_MAC=02:76:77:00:00:09
DEV_IP=198.18.0.2 DEV_MAC=00:e0:fc:77:66:55
CTL=$VW_BUILD/vendorwallctl

# plug: the gateway's hp0 and a Huawei device behind it, static neighbours.
plug() {
	vw_veth gw hp0 dev eth0 &&
		vw_link gw hp0 "$GW_MAC" && vw_link dev eth0 "$DEV_MAC" &&
		vw_addr gw hp0 "$GW_IP/24" && vw_addr dev eth0 "$DEV_IP/24" &&
		vw_neigh gw hp0 "$DEV_IP" "$DEV_MAC" && vw_neigh dev eth0 "$GW_IP" "$GW_MAC"
}
# wait_xdp IF: the XDP program shows up on IF within 3 s.
wait_xdp() {
	local t=30
	while [ "$t" -gt 0 ]; do
		vw_xdp_attached gw "$1" && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

vw_check "setup: gateway and device namespaces, no hp0 yet" \
	eval 'vw_netns_add gw && vw_netns_add dev' || vw_fatal
mkdir -p "$VW_SCRATCH/state" "$VW_SCRATCH/run"
cat >"$VW_CONF" <<EOF
[Daemon]
Profile=us-ndaa-889
PolicyDirectory=$VW_REPO/policy
StateDirectory=$VW_SCRATCH/state
RuntimeDirectory=$VW_SCRATCH/run
BpfRoot=$VW_PIN_ROOT

[Segment hp]
Interface=hp0
Mode=block
OnStop=detach
EOF
vw_daemon_start
vw_daemon_wait_ready 20 || { vw_not_ok "start: daemon ready without its interface"; vw_fatal; }
vw_ok "start: daemon ready without its interface"
vw_is "start: attach-failed entry names hp0" \
	"$(vw_journal_field VW_INTERFACE MESSAGE_ID="$VW_MID_ATTACH_FAILED")" hp0

vw_check "plug: hp0 appears" plug || vw_fatal
vw_check "plug: XDP attached to the new hp0" wait_xdp hp0
vw_check "plug: the Huawei device behind it is blocked" vw_not vw_ping_within dev "$GW_IP" 1
vw_journal_wait 10 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$DEV_MAC" >/dev/null
vw_is "plug: blocked entry names the segment" \
	"$(vw_journal_field VW_SEGMENT MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$DEV_MAC")" hp
vw_is "neighbour table: the alert carries the device's IPv4" \
	"$(vw_journal_field VW_IPV4 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$DEV_MAC")" "$DEV_IP"

old_ifindex=$(vw_in gw cat /sys/class/net/hp0/ifindex)
vw_check "unplug: hp0 deleted" vw_in gw ip link del hp0
sleep 0.5
vw_check "replug: hp0 re-created" plug
vw_check "replug: a new ifindex" test "$(vw_in gw cat /sys/class/net/hp0/ifindex)" != "$old_ifindex"
vw_check "replug: XDP attached again" wait_xdp hp0
vw_check "replug: still blocked" vw_not vw_ping_within dev "$GW_IP" 1

vw_check "rename: hp0 -> uplink7" eval 'vw_in gw ip link set hp0 down &&
	vw_in gw ip link set hp0 name uplink7 && vw_in gw ip link set uplink7 up &&
	vw_neigh gw uplink7 "$DEV_IP" "$DEV_MAC"'
sleep 0.5
vw_check "rename: XDP still on the renamed interface" vw_xdp_attached gw uplink7
vw_check "rename: still blocked" vw_not vw_ping_within dev "$GW_IP" 1
vw_is "rename: status follows the new name" \
	"$(vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" -j status | jq -r '.segments[0].interface')" uplink7

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_check "stop: detached from the renamed interface" vw_not vw_xdp_attached gw uplink7
vw_done
