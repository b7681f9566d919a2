#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A device cannot clear itself. A device with a Huawei OUI sends one LLDP
# frame saying "H3C Comware Platform Software" (a look-alike class): in block
# mode it stays blocked, and the dispute is reported (a journal alert with
# both the OUI and the look-alike evidence; `vendorwallctl devices` and
# `device` say "disputed"). Only LookAlikeClears=yes on its segment lets the
# claim lift the OUI verdict, and turning that off again blocks it at once.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq od
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
SEND=$VW_BUILD/tests/helpers/send-frame
CTL=$VW_BUILD/vendorwallctl
ctl() { vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" "$@"; }
HW=00:e0:fc:0a:0b:0c             # Huawei OUI (also on H3C gear of the Huawei-3Com era)

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
H3C="H3C Comware Platform Software, Software Version 7.1.045, Release 2418P06
H3C S5130-28S-EI
Copyright (c) 2004-2017 New H3C Technologies Co., Ltd. All rights reserved."
claim() { vw_in bn "$SEND" eth0 "$(lldp "$HW" "$H3C" "H3C")"; }
disputes() { vw_journal_count MESSAGE_ID="$VW_MID_DISPUTED" VW_MAC="$HW"; }
# config [LookAlikeClears value]: segment lan in block mode.
config() {
	vw_daemon_config block
	[ -z "${1:-}" ] || printf 'LookAlikeClears=%s\n' "$1" >>"$VW_CONF"
}

vw_check "setup: gateway, switch and device namespaces" vw_lan_topology || vw_fatal
vw_check "setup: the switch forwards LLDP (group_fwd_mask)" \
	ip -n "$(vw_ns sw)" link set br0 type bridge group_fwd_mask 0x4000 || vw_fatal
vw_check "setup: a device with a Huawei OUI" vw_set_mac bn "$HW" "$VW_BN_IP" || vw_fatal
config
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"
vw_check "before: blocked by its OUI in block mode" vw_not vw_ping_within bn "$VW_GW_IP" 1

# ---- the attack: one frame claiming to be an H3C switch
n=$(disputes)
vw_check "the device says it is H3C Comware (one LLDP frame)" claim
vw_check "journal: the dispute is reported" vw_journal_wait_more 10 "$n" MESSAGE_ID="$VW_MID_DISPUTED" VW_MAC="$HW"
vw_check "after the claim: still blocked in block mode" vw_not vw_ping_within bn "$VW_GW_IP" 1
vw_check "after the claim: the gateway cannot reach it either" vw_not vw_ping_within gw "$VW_BN_IP" 1
f() { vw_journal_field "$1" MESSAGE_ID="$VW_MID_DISPUTED" VW_MAC="$HW"; }
vw_is "journal: the OUI's vendor" "$(f VW_VENDOR)" huawei
vw_is "journal: the look-alike" "$(f VW_LOOKALIKE)" h3c
vw_is "journal: the OUI verdict is kept" "$(f VW_ACTION)" verdict-kept
vw_is "journal: verdict" "$(f VW_VERDICT)" disputed
oev=$(f VW_OUI_EVIDENCE)
vw_check "journal: the OUI evidence ($oev)" eval 'case "$oev" in oui:*) true ;; *) false ;; esac'
lev=$(f VW_EVIDENCE)
vw_check "journal: the look-alike evidence ($lev)" \
	eval 'case "$lev" in lldp:system-description=H3C\ Comware*) true ;; *) false ;; esac'
vw_is "devices -j: verdict disputed" \
	"$(ctl -j devices | jq -r --arg m "$HW" '.devices[] | select(.mac == $m) | .verdict')" disputed
vw_check "devices: the human table says disputed" eval 'ctl devices | grep -q "$HW.*disputed"'
dev=$(ctl -j device "$HW")
vw_is "device -j: verdict disputed" "$(echo "$dev" | jq -r .device.verdict)" disputed
vw_is "device -j: both the OUI and the LLDP evidence" \
	"$(echo "$dev" | jq -c '[.device.evidence[].signal] | unique')" '["lldp","oui"]'
vw_check "a second claim: still blocked" eval 'claim && vw_not vw_ping_within bn "$VW_GW_IP" 1'

# ---- the operator decides: LookAlikeClears=yes on the segment
config yes
n=$(disputes)
vw_check "reload with LookAlikeClears=yes" ctl reload
vw_check "the claim again" claim
vw_check "journal: the dispute, now cleared" vw_journal_wait_more 10 "$n" MESSAGE_ID="$VW_MID_DISPUTED" VW_MAC="$HW"
vw_is "journal: action cleared" \
	"$(vw_journal -o json MESSAGE_ID="$VW_MID_DISPUTED" VW_MAC="$HW" | tail -1 | jq -r .VW_ACTION)" cleared
vw_check "LookAlikeClears=yes: the device passes" vw_ping_within bn "$VW_GW_IP" 2

# ---- and back: the cleared bit does not outlive the setting
config
vw_check "reload without LookAlikeClears" ctl reload
vw_check "LookAlikeClears off again: blocked at once" vw_not vw_ping_within bn "$VW_GW_IP" 1
config maybe
msg=$(ctl reload 2>&1)
rc=$?
vw_check "bad value: reload refused" test "$rc" -ne 0
vw_check "bad value: the error names the file, line and key ($msg)" \
	eval 'grep -q "vendorwall.conf:[0-9]*: .*LookAlikeClears" <<<"$msg"'
vw_check "bad value: still enforcing" vw_not vw_ping_within bn "$VW_GW_IP" 1

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
