#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Devices behind a router, identified and enforced by IP: a Linux router namespace with a
# camera and two benign hosts behind it, the gateway beyond it with vendorwalld on its LAN
# port (Router= names the router's MAC). With no operator action, the camera (a Hikvision
# MAC the gateway never sees) is identified by the DHCP the router relays for it (giaddr
# set, chaddr the camera's MAC) and, in a second case, by its query for a Hik-Connect cloud
# name: cut off in block mode and reported in monitor mode while a benign host behind the
# same router keeps working; its address then goes to a benign host, whose DHCP ACK drops
# the stale verdict so that host works. An operator quarantine by IP is checked too.
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

# ip_hex A.B.C.D: the address as 8 hex digits.
# shellcheck disable=SC2086 # split on the dots, on purpose
ip_hex() { local IFS=.; printf '%02x' $1; }

# eth_ip_udp_hex DSTMAC SRCIP DSTIP SPORT DPORT PAYLOAD_HEX: an Ethernet/IPv4/UDP frame from the
# router's WAN MAC (TTL 64: the relay's own packet), IP checksum computed, UDP checksum 0.
eth_ip_udp_hex() {
	local dmac=$1 sip=$2 dip=$3 sp=$4 dp=$5 pl=$6 hdr udp i sum=0
	udp="$(printf '%04x%04x%04x' "$sp" "$dp" $((8 + ${#pl} / 2)))0000"
	hdr="4500$(printf '%04x' $((20 + 8 + ${#pl} / 2)))000040004011""0000"
	hdr+="$(ip_hex "$sip")$(ip_hex "$dip")"
	for ((i = 0; i < 40; i += 4)); do sum=$((sum + 16#${hdr:i:4})); done
	while ((sum >> 16)); do sum=$(((sum & 0xffff) + (sum >> 16))); done
	hdr="${hdr:0:20}$(printf '%04x' $((~sum & 0xffff)))${hdr:24}"
	echo "${dmac//:/}${RT_MAC//:/}0800$hdr$udp$pl"
}

# bootp_hex OP YIADDR MAC OPTIONS_HEX: a BOOTP message relayed by the router (giaddr = its
# LAN address), chaddr MAC, magic cookie, OPTIONS_HEX, end.
bootp_hex() {
	printf '%s' "$1""010600c0ffee0100008000""00000000$(ip_hex "$2")00000000$(ip_hex "$RT_LAN_IP")"
	printf '%s' "${3//:/}00000000000000000000"
	printf '0%.0s' {1..384}
	printf '%s' "63825363$4ff"
}

# relayed_request_hex IP MAC: the DHCPREQUEST a relay forwards to the server beyond the
# gateway for client MAC asking for IP (options 53=3, 50, 55), unicast 67 -> 67.
relayed_request_hex() {
	eth_ip_udp_hex "$VW_GW_MAC" "$RT_WAN_IP" "$VW_GW_IP" 67 67 \
		"$(bootp_hex 01 0.0.0.0 "$2" "350103""3204$(ip_hex "$1")""3704010f0306")"
}

# dhcp_ack_bootp_hex IP MAC: the BOOTP part of the server's DHCPACK giving IP to MAC for
# 3600 s, addressed to the relay (giaddr = the router's LAN address).
dhcp_ack_bootp_hex() {
	bootp_hex 02 "$1" "$2" "350105""3604$(ip_hex "$VW_GW_IP")""330400000e10""0104ffffff00"
}

# give_address_by_dhcp IP MAC: the DHCP server beyond the gateway (here the gateway host
# itself, whose reply takes the same TC egress path as a forwarded one) answers the relay:
# a real UDP datagram from port 67 to the router's port 67, leaving through the LAN port,
# where vendorwall samples DHCP server replies on egress.
give_address_by_dhcp() {
	vw_in gw python3 - "$VW_GW_IP" "$RT_LAN_IP" "$(dhcp_ack_bootp_hex "$1" "$2")" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 67))
s.sendto(bytes.fromhex(sys.argv[3]), (sys.argv[2], 67))
PY
}

# identify_by_relayed_dhcp IP MAC: the camera's DHCP exchange as the router relays it; the
# daemon must find the device by chaddr's OUI and, with the ACK, its address.
identify_by_relayed_dhcp() {
	vw_in rt "$SEND" wan0 "$(relayed_request_hex "$1" "$2")" 1 &&
		give_address_by_dhcp "$1" "$2"
}

# cloud_query NS NAME: an A query for NAME from NS to the gateway's port 53 (a real packet,
# routed by the router: the gateway sees the router's MAC and the device's address).
cloud_query() {
	local q="" l
	for l in ${2//./ }; do q+="$(printf '\\x%02x' ${#l})$l"; done
	vw_in "$1" bash -c "printf '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00${q}\x00\x00\x01\x00\x01' \
		>/dev/udp/$VW_GW_IP/53"
}

# tcp_banner NS SRC SPORT DST PAYLOAD: one TCP segment (PSH|ACK) from SRC:SPORT to DST carrying
# PAYLOAD (printf escapes), as a device's service answering a client beyond the gateway; raw, so
# no connection is needed (the sampler and the banner parser read single segments).
tcp_banner() {
	vw_in "$1" python3 - "$2" "$3" "$4" "$5" <<'PY'
import socket, struct, sys
src, sport, dst, text = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
data = text.encode().decode("unicode_escape").encode("latin1")
hdr = struct.pack("!HHIIBBHHH", sport, 40000, 1, 1, 5 << 4, 0x18, 65535, 0, 0)
pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(hdr) + len(data))
buf = pseudo + hdr + data + (b"\0" if len(data) % 2 else b"")
csum = sum(struct.unpack("!%dH" % (len(buf) // 2), buf))
while csum >> 16:
    csum = (csum & 0xFFFF) + (csum >> 16)
hdr = hdr[:16] + struct.pack("!H", ~csum & 0xFFFF) + hdr[18:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
s.bind((src, 0))
s.sendto(hdr + data, (dst, 0))
PY
}

# identify_by_cloud_dns: the camera at CAM2_IP asks for litedev.hik-connect.com through the
# router. A device-cloud query is medium evidence (the vendor's phone app asks for the same
# names: CATALOGUE.md 8.1), so it never identifies alone (test_fp_engine shows that); with a
# second, independent medium signal from the same address — its telnet banner
# "192.0.0.64 login:" answering a host beyond the gateway — the camera is identified by IP
# (0.7 and 0.7 make 0.91) and cut off, and the journal's evidence names the DNS query.
identify_by_cloud_dns() {
	local detected
	detected=$(vw_journal_count MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM2_IP" \
		VW_ROUTER="$RT_MAC" VW_ACTION=ip-verdict)
	cloud_query cam litedev.hik-connect.com
	tcp_banner cam "$CAM2_IP" 23 "$VW_GW_IP" '\r\n192.0.0.64 login: '
	vw_check "cloud DNS + telnet banner: the camera is identified by IP and router" \
		vw_journal_wait_more 10 "$detected" MESSAGE_ID="$VW_MID_DETECTED" \
		VW_IPV4="$CAM2_IP" VW_ROUTER="$RT_MAC" VW_VENDOR=hikvision VW_ACTION=ip-verdict
	vw_check "cloud DNS: the IP device's evidence names the device-cloud query" \
		eval 'ctl -j device "$CAM2_IP" | jq -r ".ip_device | tostring" | grep -qi "hik-connect"'
	vw_check "cloud DNS, block mode: the camera is cut off" vw_not vw_ping cam "$VW_GW_IP"
	vw_check "cloud DNS, block mode: the benign host behind the same router still works" \
		vw_ping bn "$VW_GW_IP"
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

# 1. Relayed DHCP: no operator action.
blocked=$(vw_journal_count MESSAGE_ID="$VW_MID_BLOCKED" VW_IPV4="$CAM_IP")
detected=$(vw_journal_count MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM_IP" VW_MAC="$CAM_MAC" \
	VW_ROUTER="$RT_MAC" VW_ACTION=ip-verdict)
vw_check "relayed DHCP: the router relays the camera's DHCPREQUEST and the server's ACK" \
	identify_by_relayed_dhcp "$CAM_IP" "$CAM_MAC" || vw_fatal
vw_check "relayed DHCP: the camera is identified by IP, with its own MAC and its router" \
	vw_journal_wait_more 5 "$detected" MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM_IP" \
	VW_MAC="$CAM_MAC" VW_ROUTER="$RT_MAC" VW_VENDOR=hikvision VW_ACTION=ip-verdict
vw_is "relayed DHCP: the journal names the evidence (chaddr's OUI)" \
	"$(vw_journal_field VW_EVIDENCE MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM_IP" \
		VW_MAC="$CAM_MAC" VW_ACTION=ip-verdict | cut -d= -f1)" "oui:dhcp.chaddr"
vw_check "block mode: the camera behind the router is cut off" vw_not vw_ping cam "$VW_GW_IP"
vw_check "block mode: the benign host behind the same router still works" vw_ping bn "$VW_GW_IP"
vw_check "block mode: the blocked alert names the camera's IP, its evidence and the segment" \
	vw_journal_wait_more 5 "$blocked" MESSAGE_ID="$VW_MID_BLOCKED" VW_IPV4="$CAM_IP" VW_SEGMENT=lan \
	VW_ROUTER="$RT_MAC" VW_REASON=device
vw_check "block mode: no alert names the router's MAC" \
	test "$(vw_journal_count VW_MAC="$RT_MAC")" -eq 0
devs=$(ctl -j devices)
vw_is "devices: the camera listed by IP" "$(jq -r '.ip_devices[0].ip' <<<"$devs")" "$CAM_IP"
vw_is "devices: its verdict" "$(jq -r '.ip_devices[0].verdict' <<<"$devs")" restricted
vw_is "devices: its vendor" "$(jq -r '.ip_devices[0].vendor' <<<"$devs")" hikvision
vw_is "devices: behind the router" "$(jq -r '.ip_devices[0].router' <<<"$devs")" "$RT_MAC"
vw_is "devices: its own MAC" "$(jq -r '.ip_devices[0].mac' <<<"$devs")" "$CAM_MAC"
vw_check "devices: its evidence" eval 'jq -e ".ip_devices[0].evidence | startswith(\"oui dhcp.chaddr=\")" <<<"$devs" >/dev/null'
vw_check "devices: human output has the table of devices behind routers" \
	eval 'ctl devices | grep -q "^$CAM_IP  *.* restricted "'

detected=$(vw_journal_count MESSAGE_ID="$VW_MID_DETECTED" VW_IPV4="$CAM_IP" VW_ACTION=would-drop)
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
vw_check "DHCP ACK: the server's ACK for the next holder crosses the gateway" \
	give_address_by_dhcp "$CAM_IP" "$NH_MAC"
vw_check "DHCP ACK: the stale IP verdict is dropped" \
	vw_journal_wait 5 MESSAGE_ID="$VW_MID_AUDIT" VW_IPV4="$CAM_IP" VW_MAC="$NH_MAC"
vw_check "next holder: works" vw_ping_within nh "$VW_GW_IP" 3
vw_is "devices: no IP device left" "$(ctl -j devices | jq '.ip_devices | length')" 0
vw_in nh ip link set eth0 down

# 2. Cloud DNS: the camera, back with another address, asks for its vendor's device cloud.
CAM2_IP=10.9.0.13
vw_in cam ip link set eth0 up && vw_in cam ip addr flush dev eth0 && vw_addr cam eth0 "$CAM2_IP/24" &&
	vw_in cam ip route add default via "$RT_LAN_IP" && vw_neigh cam eth0 "$RT_LAN_IP" "$RT_LAN_MAC" &&
	vw_neigh rt brl "$CAM2_IP" "$CAM_MAC"
identify_by_cloud_dns
vw_check "a benign host behind the router is never cut off" vw_ping bn "$VW_GW_IP"

# An operator's quarantine and release by IP (an address nobody holds).
vw_check "quarantine by IP: accepted" ctl quarantine 10.9.0.98 --reason "operator test"
vw_is "device IP: the operator's reason" "$(ctl -j device 10.9.0.98 | jq -r .ip_device.reason)" \
	"operator test"
vw_is "device IP: quarantined" "$(ctl -j device 10.9.0.98 | jq -r .ip_device.verdict)" quarantined
vw_check "release by IP: accepted" ctl release 10.9.0.98
vw_check "release by IP of an address without a quarantine: refused" \
	vw_not ctl release 10.9.0.99
vw_check "stop: daemon exits cleanly" vw_daemon_stop 10
vw_done
