#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A device whose MAC hides its vendor (locally administered) announces itself
# with LLDP as a Huawei VRP switch: in block mode its later traffic is
# dropped in both directions and the journal names the LLDP evidence. An H3C
# Comware switch with a Huawei-era OUI is disputed and stays blocked. Before
# that, the attack of issue 9 §1: a DHCPDISCOVER sent as the device naming a
# Huawei chaddr (and a Huawei option 60) does not cut the device off.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq od tcpdump setpriv
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
SEND=$VW_BUILD/tests/helpers/send-frame
CTL=$VW_BUILD/vendorwallctl
LA_MAC=02:11:22:33:44:55          # locally administered: no OUI to go by
H3C_MAC=00:e0:fc:0a:0b:0c         # Huawei-era OUI on an H3C switch

hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# tlv TYPE HEXVALUE: one LLDP TLV (7-bit type, 9-bit length).
tlv() {
	local len=$((${#2} / 2))
	printf '%04x%s' $((($1 << 9) | len)) "$2"
}
# lldp SRC_MAC SYSTEM_DESCRIPTION SYSTEM_NAME
lldp() {
	local mac=${1//:/}
	printf '0180c200000e%s88cc' "$mac"
	tlv 1 "04$mac"
	tlv 2 "05$(hex eth0)"
	tlv 3 0078
	tlv 5 "$(hex "$3")"
	tlv 6 "$(hex "$2")"
	printf '0000'
}
# csum HEX: the Internet checksum of the bytes, 4 hex digits.
csum() {
	local h=$1 s=0 i
	for ((i = 0; i < ${#h}; i += 4)); do s=$((s + 16#${h:i:4})); done
	while ((s >> 16)); do s=$(((s & 0xffff) + (s >> 16))); done
	printf '%04x' $((~s & 0xffff))
}
# dhcp_discover SRC_MAC CHADDR OPTION60: broadcast DHCPDISCOVER, 0.0.0.0:68 -> 255.255.255.255:67.
dhcp_discover() {
	local src=${1//:/} ch=${2//:/} v60 bootp udp ip
	v60=$(hex "$3")
	bootp="010106001234567800000000$(printf '0%.0s' {1..32})${ch}$(printf '0%.0s' {1..404})63825363"
	bootp+="350101"
	bootp+="3c$(printf '%02x' $((${#v60} / 2)))${v60}ff"
	udp="00440043$(printf '%04x' $((8 + ${#bootp} / 2)))0000"
	ip="45000$(printf '%03x' $((20 + 8 + ${#bootp} / 2)))000100004011000000000000ffffffff"
	ip="${ip:0:20}$(csum "$ip")${ip:24}"
	printf 'ffffffffffff%s0800%s%s%s' "$src" "$ip" "$udp" "$bootp"
}
vw_check "setup: gateway, switch and two device namespaces" vw_lan_topology || vw_fatal
# A Linux bridge keeps 802.1 link-local frames to itself; a gateway sees
# LLDP from what is plugged into it, so let the simulated switch pass it on.
vw_check "setup: the switch forwards LLDP (group_fwd_mask)" \
	ip -n "$(vw_ns sw)" link set br0 type bridge group_fwd_mask 0x4000 || vw_fatal
vw_check "setup: the 'huawei' device gets a locally administered MAC" vw_set_mac hw "$LA_MAC" "$VW_HW_IP"
vw_check "setup: the other device gets a Huawei-era OUI" vw_set_mac bn "$H3C_MAC" "$VW_BN_IP"
vw_daemon_config block
vw_daemon_start
vw_daemon_wait_ready 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"

vw_check "before LLDP: the locally administered device passes in block mode" vw_ping_within hw "$VW_GW_IP" 2

# Issue 9 §1: the victim's MAC as source, a Huawei chaddr and option 60 inside.
SPOOF_CHADDR=00:e0:fc:66:77:88
vw_check "attack: a DHCPDISCOVER from $LA_MAC naming chaddr $SPOOF_CHADDR (Huawei OUI, HUAWEI:android)" \
	vw_in hw "$SEND" eth0 "$(dhcp_discover "$LA_MAC" "$SPOOF_CHADDR" "HUAWEI:android:ELE-L29")"
# The entry about chaddr says the daemon has read the frame.
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$SPOOF_CHADDR"; then
	vw_ok "attack: the named chaddr is the one identified (by its OUI)"
else
	vw_not_ok "attack: the named chaddr is the one identified (by its OUI)"
fi
vw_check "attack: the victim still reaches the gateway in block mode" vw_ping_within hw "$VW_GW_IP" 2
vw_check "attack: the gateway still reaches the victim" vw_ping_within gw "$VW_HW_IP" 2
vw_is "attack: no identification entry for the victim" \
	"$(vw_journal_count MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$LA_MAC")" 0

VRP="Huawei Versatile Routing Platform Software
VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700)
Copyright (C) 2012-2017 Huawei Technologies Co., Ltd.
HUAWEI CE6870-48S6CQ-EI"
# The gateway's capture of the announcement, for vendorwallctl classify below.
vw_in gw tcpdump -U -c 1 -i "$VW_GW_IF" -n -w "$VW_SCRATCH/lldp.pcap" ether proto 0x88cc 2>/dev/null &
cap_pid=$!
vw_track_pid "$cap_pid"
sleep 1
vw_check "device sends an LLDP frame with a Huawei VRP system description" \
	vw_in hw "$SEND" eth0 "$(lldp "$LA_MAC" "$VRP" "core-sw-1")"
vw_check "after LLDP: cut off within a second" vw_not vw_ping_within hw "$VW_GW_IP" 1
vw_check "after LLDP: the gateway cannot reach it either" vw_not vw_ping_within gw "$VW_HW_IP" 1
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$LA_MAC"; then
	vw_ok "journal: identification entry for $LA_MAC"
else
	vw_not_ok "journal: identification entry for $LA_MAC"
fi
vw_is "journal: vendor" "$(vw_journal_field VW_VENDOR MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$LA_MAC")" huawei
ev=$(vw_journal_field VW_EVIDENCE MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$LA_MAC")
vw_check "journal: evidence names LLDP's system description ($ev)" \
	eval 'case "$ev" in lldp:system-description=Huawei\ Versatile*) true ;; *) false ;; esac'
vw_journal_wait 10 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LA_MAC" >/dev/null
vw_is "journal: blocked entry is a device verdict" \
	"$(vw_journal_field VW_REASON MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LA_MAC")" device
bev=$(vw_journal_field VW_EVIDENCE MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LA_MAC")
vw_check "journal: blocked entry carries the LLDP evidence too ($bev)" \
	eval 'case "$bev" in lldp:*) true ;; *) false ;; esac'
dev=$(vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" -j device "$LA_MAC")
vw_is "vendorwallctl device: LLDP evidence in the inventory" \
	"$(echo "$dev" | jq -r '[.device.evidence[] | select(.signal == "lldp")] | length > 0')" true

# -c 1: tcpdump ends after the LLDP frame; give it a few seconds at most.
for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$cap_pid" 2>/dev/null || break; sleep 0.3; done
kill -TERM "$cap_pid" 2>/dev/null
wait "$cap_pid" 2>/dev/null
vw_untrack_pid "$cap_pid"
# nobody may not be able to enter the checkout (a clone under a 0700 directory):
# it gets its own readable copy of the binaries (classify runs vendorwallctl-full), the policy
# and the capture.
ro=$(mktemp -d "$VW_SCRATCH/nobody.XXXXXX")
cp "$CTL" "$CTL-full" "$VW_SCRATCH/lldp.pcap" "$ro/" && cp -r "$VW_REPO/policy" "$ro/policy"
chmod -R a+rX "$ro"
chmod 0755 "$VW_SCRATCH"
cls=$(cd "$ro" && setpriv --reuid=65534 --regid=65534 --clear-groups "$ro/vendorwallctl" -j classify \
	--policy-dir "$ro/policy" "$ro/lldp.pcap")
vw_is "classify (as nobody, no daemon): the capture's device is huawei" \
	"$(echo "$cls" | jq -r --arg m "$LA_MAC" '.devices[] | select(.mac == $m) | .vendor')" huawei
vw_is "classify: its evidence is LLDP" \
	"$(echo "$cls" | jq -r --arg m "$LA_MAC" '.devices[] | select(.mac == $m) | .evidence[0].signal')" lldp
rm -rf "$ro"

H3C="H3C Comware Platform Software, Software Version 7.1.045, Release 2418P06
H3C S5130-28S-EI
Copyright (c) 2004-2017 New H3C Technologies Co., Ltd. All rights reserved."
vw_check "before: the Huawei-era OUI device is blocked by its OUI" vw_not vw_ping_within bn "$VW_GW_IP" 1
vw_check "the H3C switch announces itself with LLDP" \
	vw_in bn "$SEND" eth0 "$(lldp "$H3C_MAC" "$H3C" "H3C")"
# A look-alike is the device's own claim: disputed, not cleared (disputed.sh).
vw_check "H3C Comware with a Huawei-era OUI is disputed, not cleared: still blocked" \
	vw_not vw_ping_within bn "$VW_GW_IP" 1

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
