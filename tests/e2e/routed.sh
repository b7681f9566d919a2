#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Devices behind a router, enforced by IP: a Linux router namespace with a
# camera and two benign hosts behind it, the gateway beyond it with
# vendorwalld on its LAN port (Router= names the router's MAC). With an IP
# verdict on the camera's address the camera is cut off in block mode and
# reported in monitor mode while a benign host behind the same router keeps
# working; the address then goes to a benign host, whose DHCP ACK drops the
# stale verdict so that host works.
#
#   cam  10.9.0.11 ─┐
#   bn   10.9.0.12 ─┼─ brl [rt] 10.9.0.1 · wan0 192.0.2.2 ══ lan0 [gw] 192.0.2.1
#   nh   (later 10.9.0.11) ─┘                                  ↑ vendorwalld, segment "lan"
#
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
SEND=$VW_BUILD/tests/helpers/send-frame
[ -x "$CTL" ] || vw_skip_all "$CTL not built"
[ -x "$SEND" ] || vw_skip_all "$SEND not built"
SOCK=$VW_SCRATCH/run/control

ctl() { vw_in gw "$CTL" --socket "$SOCK" "$@"; }

VW_GW_IF=lan0
VW_GW_IP=192.0.2.1 VW_GW_MAC=02:76:77:00:00:01
RT_WAN_IP=192.0.2.2 RT_MAC=00:1b:21:aa:00:01       # Intel Corporate: a benign router
RT_LAN_IP=10.9.0.1 RT_LAN_MAC=02:76:77:00:00:02
CAM_IP=10.9.0.11 CAM_MAC=44:19:b6:00:00:11         # Hikvision: never seen by the gateway
BN_IP=10.9.0.12 BN_MAC=00:1b:21:0a:0b:0c
NH_MAC=00:1b:21:0a:0b:99                           # the address's next holder

# device NS IP MAC PORT: a host behind the router, default route through it.
device() {
	vw_netns_add "$1" && vw_veth rt "$4" "$1" eth0 && vw_link "$1" eth0 "$3" &&
		vw_addr "$1" eth0 "$2/24" && vw_in "$1" ip route add default via "$RT_LAN_IP" &&
		vw_neigh "$1" eth0 "$RT_LAN_IP" "$RT_LAN_MAC" && vw_neigh rt brl "$2" "$3"
}

routed_topology() {
	local n
	for n in gw rt; do vw_netns_add "$n" || return 1; done
	vw_veth rt wan0 gw "$VW_GW_IF" &&
		vw_link gw "$VW_GW_IF" "$VW_GW_MAC" && vw_link rt wan0 "$RT_MAC" &&
		vw_addr gw "$VW_GW_IF" "$VW_GW_IP/24" && vw_addr rt wan0 "$RT_WAN_IP/24" &&
		vw_in gw ip route add 10.9.0.0/24 via "$RT_WAN_IP" &&
		vw_neigh gw "$VW_GW_IF" "$RT_WAN_IP" "$RT_MAC" &&
		vw_neigh rt wan0 "$VW_GW_IP" "$VW_GW_MAC" &&
		vw_in rt sysctl -qw net.ipv4.ip_forward=1 &&
		ip -n "$(vw_ns rt)" link add brl address "$RT_LAN_MAC" type bridge stp_state 0 \
			forward_delay 0 && vw_link rt brl && vw_addr rt brl "$RT_LAN_IP/24" || return 1
	device cam "$CAM_IP" "$CAM_MAC" p-cam && device bn "$BN_IP" "$BN_MAC" p-bn &&
		vw_netns_add nh && vw_veth rt p-nh nh eth0 && vw_link nh eth0 "$NH_MAC" || return 1
	for n in p-cam p-bn p-nh; do
		ip -n "$(vw_ns rt)" link set "$n" master brl && vw_link rt "$n" || return 1
	done
}

# identify_camera: gives the camera's address an IP verdict. Today by an operator quarantine;
# identification by relayed DHCP and cloud DNS extends this function.
identify_camera() {
	ctl quarantine "$CAM_IP" --reason "camera behind the router" >/dev/null
}

# hex of a DHCP ACK (BOOTP reply, relayed: giaddr = the router) giving IP to MAC for 3600 s,
# sent by the router's DHCP server side to the broadcast address.
dhcp_ack_hex() {
	local ip=$1 mac=$2 h i sum=0 hdr bootp udp
	h() { local IFS=.; printf '%02x' $1; }
	bootp="02010600""c0ffee01""0000""8000""00000000""$(h "$ip")""00000000""$(h "$RT_LAN_IP")"
	bootp+="${mac//:/}""00000000000000000000"$(printf '0%.0s' {1..384})
	bootp+="63825363""350105""3604$(h "$RT_LAN_IP")""33040000""0e10""0104ffffff00""ff"
	udp="00430044""$(printf '%04x' $((8 + ${#bootp} / 2)))""0000"
	hdr="4500""$(printf '%04x' $((20 + 8 + ${#bootp} / 2)))""00004000""4011""0000"
	hdr+="$(h "$RT_WAN_IP")""ffffffff"
	for ((i = 0; i < 40; i += 4)); do sum=$((sum + 16#${hdr:i:4})); done
	while ((sum >> 16)); do sum=$(((sum & 0xffff) + (sum >> 16))); done
	hdr="${hdr:0:20}$(printf '%04x' $((~sum & 0xffff)))${hdr:24}"
	echo "ffffffffffff${RT_MAC//:/}0800$hdr$udp$bootp"
}

# give_address_by_dhcp IP MAC: the camera's address goes to MAC; the ACK crosses the gateway.
give_address_by_dhcp() {
	vw_in rt "$SEND" wan0 "$(dhcp_ack_hex "$1" "$2")" 1
}

vw_check "setup: router namespace with camera and benign hosts behind it" routed_topology ||
	vw_fatal
vw_daemon_config block
echo "Router=$RT_MAC" >>"$VW_CONF"
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"

st=$(ctl -j status)
vw_is "status: the named router" "$(jq -r '.routers[0].mac' <<<"$st")" "$RT_MAC"
vw_is "status: said to be named" "$(jq -r '.routers[0].source' <<<"$st")" named
vw_check "status: human output lists the router" eval 'ctl status | grep -q "^Routers: *$RT_MAC (named)"'
vw_check "before any IP verdict: the camera reaches the gateway through the router" \
	vw_ping cam "$VW_GW_IP"
vw_check "before any IP verdict: the benign host reaches the gateway" vw_ping bn "$VW_GW_IP"

blocked=$(vw_journal_count MESSAGE_ID="$VW_MID_BLOCKED" VW_IPV4="$CAM_IP")
vw_check "IP verdict: the camera's address quarantined by IP" identify_camera || vw_fatal
vw_check "block mode: the camera behind the router is cut off" vw_not vw_ping cam "$VW_GW_IP"
vw_check "block mode: the benign host behind the same router still works" vw_ping bn "$VW_GW_IP"
vw_check "block mode: the blocked alert names the camera's IP and the segment" \
	vw_journal_wait_more 5 "$blocked" MESSAGE_ID="$VW_MID_BLOCKED" VW_IPV4="$CAM_IP" VW_SEGMENT=lan
vw_check "block mode: no alert names the router's MAC" \
	test "$(vw_journal_count VW_MAC="$RT_MAC")" -eq 0
devs=$(ctl -j devices)
vw_is "devices: the camera listed by IP" "$(jq -r '.ip_devices[0].ip' <<<"$devs")" "$CAM_IP"
vw_is "devices: its verdict" "$(jq -r '.ip_devices[0].verdict' <<<"$devs")" quarantined
vw_check "devices: human output has the table of devices behind routers" \
	eval 'ctl devices | grep -q "^$CAM_IP  *.* quarantined "'
vw_is "device IP: the operator's reason" "$(ctl -j device "$CAM_IP" | jq -r .ip_device.reason)" \
	"camera behind the router"

detected=$(vw_journal_count MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM_IP")
ctl mode lan monitor >/dev/null
vw_check "monitor mode: the camera passes" vw_ping cam "$VW_GW_IP"
vw_check "monitor mode: it is reported by IP" \
	vw_journal_wait_more 5 "$detected" MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM_IP" \
	VW_ACTION=would-drop
ctl mode lan block >/dev/null
vw_check "block mode again: the camera is cut off" vw_not vw_ping cam "$VW_GW_IP"

# The camera leaves; its address goes to a benign host behind the same router.
vw_in cam ip link set eth0 down
vw_addr nh eth0 "$CAM_IP/24" && vw_in nh ip route add default via "$RT_LAN_IP" &&
	vw_neigh nh eth0 "$RT_LAN_IP" "$RT_LAN_MAC" && vw_neigh rt brl "$CAM_IP" "$NH_MAC"
vw_check "next holder, before its DHCP ACK: still blocked by the stale verdict" \
	vw_not vw_ping nh "$VW_GW_IP"
if grep -q vw_fp_engine_set_lease_cb "$VW_REPO/daemon/vendorwalld/samples.c" 2>/dev/null; then
	vw_check "DHCP ACK: a real ACK frame for the next holder crosses the gateway" \
		give_address_by_dhcp "$CAM_IP" "$NH_MAC"
	vw_check "DHCP ACK: the stale IP verdict is dropped" \
		vw_journal_wait 5 MESSAGE_ID="$VW_MID_AUDIT" VW_IPV4="$CAM_IP" VW_MAC="$NH_MAC"
	vw_check "next holder: works" vw_ping_within nh "$VW_GW_IP" 3
	vw_is "devices: no IP device left" "$(ctl -j devices | jq '.ip_devices | length')" 0
else
	for t in "DHCP ACK: a real ACK frame for the next holder crosses the gateway" \
		"DHCP ACK: the stale IP verdict is dropped" "next holder: works" \
		"devices: no IP device left"; do
		vw_skip "$t" "DHCP ACKs reach vwd_ipv_lease through the passive branch's lease callback"
	done
	vw_check "release by IP: accepted" ctl release "$CAM_IP"
	vw_check "after release: the address works" vw_ping_within nh "$VW_GW_IP" 3
fi
vw_check "release by IP of an address without a quarantine: refused" \
	vw_not ctl release 10.9.0.99
vw_check "a benign host behind the router was never cut off" vw_ping bn "$VW_GW_IP"
vw_check "stop: daemon exits cleanly" vw_daemon_stop 10
vw_done
