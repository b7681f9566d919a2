#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make demo`: a narrated tour of vendorwall on a simulated gateway, for newcomers. Runs in
# private namespaces (see tests/lib/harness.sh) and leaves nothing behind on the host.
#
#   tools/demo.sh [BUILD_DIR]
set -u

build=${1:-build}
VW_BUILD=$(cd "$build" 2>/dev/null && pwd) || { echo "demo: no build directory '$build'" >&2; exit 1; }
export VW_BUILD
# shellcheck source=SCRIPTDIR/../tests/lib/harness.sh
. "$(dirname "$0")/../tests/lib/harness.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: needs root (network namespaces, XDP); try: sudo make demo" >&2
	exit 1
fi
if [ ! -x "$VW_DAEMON" ]; then
	echo "demo: $VW_DAEMON is not built; run make first" >&2
	exit 1
fi

if [ -t 1 ]; then
	B=$'\e[1m' DIM=$'\e[2m' RED=$'\e[31m' GRN=$'\e[32m' YEL=$'\e[33m' CYN=$'\e[36m' N=$'\e[0m'
else
	B='' DIM='' RED='' GRN='' YEL='' CYN='' N=''
fi

section() { printf '\n%s==== %s ====%s\n' "$B$CYN" "$*" "$N"; }
say() { printf '%s\n' "$*"; }
run() { printf '%s$ %s%s\n' "$DIM" "$*" "$N"; }
die() {
	printf '%sdemo: %s%s\n' "$RED" "$*" "$N" >&2
	[ -s "$VW_DAEMON_LOG" ] && { echo "--- vendorwalld output:" >&2; tail -n 20 "$VW_DAEMON_LOG" >&2; }
	exit 1
}

surprises=0
surprise() {
	printf '  %s(unexpected: %s)%s\n' "$RED" "$*" "$N"
	surprises=$((surprises + 1))
}

# ping_show NS DST LABEL EXPECT: pings and prints a coloured verdict; EXPECT is "replies" or
# "no reply".
ping_show() {
	local got=replies colour=$GRN
	run "ip netns exec $(vw_ns "$1") ping -c 3 $2"
	vw_ping "$1" "$2" || { got="no reply"; colour=$RED; }
	printf '  %s: %s%s%s\n' "$3" "$colour" "$got" "$N"
	[ "$got" = "$4" ] || surprise "expected $4"
}

# show_entry MATCH...: the newest matching journal entry, as journald recorded it, trimmed
# to the message and vendorwall's own fields.
show_entry() {
	local fields=MESSAGE,MESSAGE_ID,PRIORITY,SYSLOG_IDENTIFIER
	fields=$fields,VW_MAC,VW_VENDOR,VW_OUI,VW_SEGMENT,VW_INTERFACE,VW_VLAN,VW_ACTION,VW_MODE
	fields=$fields,VW_REASON,VW_VERDICT,VW_DIRECTION,VW_POLICY_VERSION,VW_PROFILE,VW_EVIDENCE,VW_CONFIDENCE
	fields=$fields,VW_COMMAND,VW_CALLER_UID,VW_CALLER_COMM,VW_OLD_VALUE,VW_NEW_VALUE
	run "journalctl -o verbose -n 1 --output-fields=MESSAGE,VW_... $*"
	vw_journal -o verbose -r -n 1 --output-fields="$fields" "$@" | sed 's/ \[s=.*\]$//; s/^/  /'
}

# demo_lldp SRC_MAC SYSTEM_DESCRIPTION SYSTEM_NAME: an LLDP frame in hex (chassis id, port
# id, TTL, system name, system description, end).
demo_hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
demo_tlv() { printf '%04x%s' $((($1 << 9) | ${#2} / 2)) "$2"; }
demo_lldp() {
	local mac=${1//:/}
	printf '0180c200000e%s88cc' "$mac"
	demo_tlv 1 "04$mac"
	demo_tlv 2 "05$(demo_hex eth0)"
	demo_tlv 3 0078
	demo_tlv 5 "$(demo_hex "$3")"
	demo_tlv 6 "$(demo_hex "$2")"
	printf '0000'
}

vw_harness_init "$@"

section "1. A simulated gateway"
say "Four network namespaces stand in for real machines (all removed at the end):"
say "  ${B}gw${N}  the gateway running vendorwalld, LAN port ${B}lan0${N} (192.0.2.1)"
say "  ${B}sw${N}  a dumb switch (a Linux bridge) between the gateway and two devices"
say "  ${B}hw${N}  a device with a ${YEL}Huawei${N} MAC, 00:e0:fc:12:34:56 (IEEE OUI 00:E0:FC), 192.0.2.11"
say "  ${B}bn${N}  a device with an Intel MAC, 00:1b:21:0a:0b:0c (benign), 192.0.2.12"
say "Neighbour entries are static, so ARP is not part of the story."
vw_lan_topology || die "could not build the topology"
vw_journal_selftest >/dev/null || die "the private systemd-journald does not work"
say "${GRN}Set up.${N} A private systemd-journald collects the alerts, as on a real gateway."

section "2. Start vendorwalld in monitor mode"
vw_daemon_config monitor
say "Configuration ($VW_CONF), profile us-ndaa-889 = US NDAA section 889 / FCC Covered List:"
sed 's/^/  /' "$VW_CONF"
run "ip netns exec $(vw_ns gw) $VW_DAEMON --config $VW_CONF &"
vw_daemon_start
vw_daemon_wait_ready 20 || die "vendorwalld did not report its policy as loaded"
say "vendorwalld says:"
vw_journal -o cat SYSLOG_IDENTIFIER=vendorwalld | sed 's/^/  /'
say "It attached XDP (ingress: classifies source MACs) and TC egress (destination MACs) to lan0:"
run "ip -d link show lan0 | grep prog/xdp"
vw_in gw ip -d link show dev "$VW_GW_IF" | grep prog/xdp | sed 's/^ */  /'

section "3. Traffic in monitor mode: everything passes, the Huawei device is reported"
ping_show hw "$VW_GW_IP" "huawei device -> gateway" replies
ping_show bn "$VW_GW_IP" "benign device -> gateway" replies
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$VW_HW_MAC"; then
	say "The journal now holds a structured alert (MESSAGE_ID $VW_MID_DETECTED = detected):"
	show_entry MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$VW_HW_MAC"
else
	surprise "no detection entry appeared for $VW_HW_MAC"
fi
say "Entries about the benign MAC: $(vw_journal_count SYSLOG_IDENTIFIER=vendorwalld VW_MAC="$VW_BN_MAC")"

section "4. Switch the segment to block mode"
vw_daemon_config block
run "sed -i s/Mode=monitor/Mode=block/ $VW_CONF; kill -HUP \$(pidof vendorwalld)"
vw_daemon_reload
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_MODE_CHANGED"; then
	vw_journal -o cat MESSAGE_ID="$VW_MID_MODE_CHANGED" | sed 's/^/  /'
else
	surprise "no mode-change entry appeared"
fi
ping_show hw "$VW_GW_IP" "huawei device -> gateway" "no reply"
ping_show gw "$VW_HW_IP" "gateway -> huawei device" "no reply"
ping_show bn "$VW_GW_IP" "benign device -> gateway" replies
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$VW_HW_MAC"; then
	say "The first dropped frame is reported once (MESSAGE_ID $VW_MID_BLOCKED = blocked):"
	show_entry MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$VW_HW_MAC"
else
	surprise "no blocked entry appeared for $VW_HW_MAC"
fi

section "5. What the operator sees"
ctl=$VW_BUILD/vendorwallctl
sock=$VW_SCRATCH/run/control
if [ -x "$ctl" ]; then
	for cmd in status devices "device $VW_HW_MAC"; do
		run "vendorwallctl $cmd"
		# shellcheck disable=SC2086 # the command's words
		vw_in gw "$ctl" --socket "$sock" $cmd 2>&1 | sed 's/^/  /' ||
			surprise "vendorwallctl $cmd failed"
	done
	say "Back to monitor mode at run time, no configuration edit:"
	run "vendorwallctl mode lan monitor"
	vw_in gw "$ctl" --socket "$sock" mode lan monitor 2>&1 | sed 's/^/  /'
	ping_show hw "$VW_GW_IP" "huawei device -> gateway" replies
	say "The change is audited in the journal (MESSAGE_ID $VW_MID_AUDIT):"
	show_entry MESSAGE_ID="$VW_MID_AUDIT" VW_COMMAND=mode
else
	surprise "vendorwallctl is not built"
fi

section "6. A device that hides its vendor, caught by its LLDP"
LA_MAC=02:11:22:33:44:55
say "The 'huawei' device now uses a ${B}locally administered${N} MAC ($LA_MAC): no OUI to go by."
vw_set_mac hw "$LA_MAC" "$VW_HW_IP" || die "could not change the device's MAC"
# A Linux bridge keeps LLDP (01:80:c2:00:00:0e) to itself; a real switch port does not.
ip -n "$(vw_ns sw)" link set br0 type bridge group_fwd_mask 0x4000 || die "bridge setup failed"
run "vendorwallctl mode lan block"
vw_in gw "$ctl" --socket "$sock" mode lan block 2>&1 | sed 's/^/  /'
ping_show hw "$VW_GW_IP" "hidden device -> gateway (block mode, unknown vendor)" replies
say "It announces itself with LLDP, as switches do, describing itself as Huawei VRP:"
run "send-frame eth0 <LLDP: system description 'Huawei Versatile Routing Platform ...'>"
vw_in hw "$VW_BUILD/tests/helpers/send-frame" eth0 \
	"$(demo_lldp "$LA_MAC" "Huawei Versatile Routing Platform Software
VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700)" core-sw-1)" ||
	surprise "could not send the LLDP frame"
if vw_journal_wait 10 SYSLOG_IDENTIFIER=vendorwalld VW_MAC="$LA_MAC"; then
	say "The fingerprint engine matched the LLDP system description:"
	show_entry SYSLOG_IDENTIFIER=vendorwalld VW_MAC="$LA_MAC"
else
	surprise "no entry appeared for $LA_MAC"
fi
ping_show hw "$VW_GW_IP" "hidden device -> gateway" "no reply"

section "7. A waiver with an expiry"
say "The device is a switch on loan, to be returned: let it through for 5 seconds only."
run "vendorwallctl allow $LA_MAC --until +5s --reason 'switch on loan' --ticket CHG-42"
vw_in gw "$ctl" --socket "$sock" allow "$LA_MAC" --until +5s --reason "switch on loan" \
	--ticket CHG-42 2>&1 | sed 's/^/  /'
ping_show hw "$VW_GW_IP" "waived device -> gateway" replies
if vw_journal_wait 20 MESSAGE_ID="$VW_MID_WAIVER_EXPIRED"; then
	say "The waiver expired on its own, and the journal says so:"
	vw_journal -o cat MESSAGE_ID="$VW_MID_WAIVER_EXPIRED" | sed 's/^/  /'
else
	surprise "the waiver did not expire"
fi
ping_show hw "$VW_GW_IP" "device -> gateway after the expiry" "no reply"

section "8. Stop vendorwalld"
say "With OnStop=detach the gateway fails open: programs and pins are removed."
run "kill -TERM \$(pidof vendorwalld)"
vw_daemon_stop 10
rc=$?
case $rc in
0) say "vendorwalld exited with status 0." ;;
124) surprise "vendorwalld did not stop within 10 s and was killed" ;;
*) surprise "vendorwalld exited with status $rc" ;;
esac
if vw_xdp_attached gw "$VW_GW_IF"; then
	surprise "an XDP program is still attached to lan0"
else
	say "No XDP program left on lan0."
fi
ping_show hw "$VW_GW_IP" "huawei device -> gateway" replies

section "9. Clean up"
say "Removing namespaces, journald and the private bpffs; nothing remains on the host."
if [ "$surprises" -gt 0 ]; then
	printf '%s%d step(s) did not go as described above.%s\n' "$RED" "$surprises" "$N"
	exit 1
fi
