#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Operator decisions that never go stale, against the real daemon, data plane
# and journald, with OnStop=keep (the pins, and with them enforcement, outlive
# a stop):
#  - a waiver that expires while the daemon is stopped is enforced again at
#    start; one removed from operator.json while stopped too; so is every
#    waiver when operator.json was moved aside; `revoke` clears the bit;
#  - a command that fails (the state directory is full) changes nothing,
#    then or at the next sync or start;
#  - waivers and quarantines keep room of their own: the 4,097th is refused
#    and not enforced; fingerprint verdicts are bounded (MaxFingerprintVerdicts=)
#    and say so;
#  - the state directory is 0700, operator.json and the inventory 0600.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq od bpftool dd
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
SEND=$VW_BUILD/tests/helpers/send-frame
STATE=$VW_SCRATCH/state
OPS=$STATE/operator.json
ctl() { vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" "$@"; }
hw_passes() { vw_ping_within hw "$VW_GW_IP" 2; }
hw_blocked() { vw_not vw_ping_within hw "$VW_GW_IP" 1; }
bn_passes() { vw_ping_within bn "$VW_GW_IP" 2; }
bn_blocked() { vw_not vw_ping_within bn "$VW_GW_IP" 1; }
# config [DAEMON_KEY=VALUE...]: block mode, enforcement kept across a stop.
config() {
	local k
	vw_daemon_config block
	sed -i 's/^OnStop=detach$/OnStop=keep/' "$VW_CONF"
	for k in "$@"; do sed -i "/^\[Daemon\]$/a $k" "$VW_CONF"; done
}
start() {
	vw_daemon_start_wait 20 || { vw_not_ok "$1: daemon ready"; vw_fatal; }
	vw_ok "$1: daemon ready"
}
stop() { vw_daemon_stop 10 || vw_not_ok "stop: exit status $?"; }
# map_key MAC: vw_device's key (the MAC as a little-endian u64) as hex bytes.
map_key() { printf '%s' "${1//:/}" | sed 's/../& /g' | awk '{for (i = 6; i >= 1; i--) printf "%s ", $i; print "00 00"}'; }
# The pinned vw_device entry of MAC as "flags" (decimal), "" when none.
dev_flags() {
	# shellcheck disable=SC2046 # the key is a list of bytes
	bpftool -j map lookup pinned "$VW_PIN_ROOT/maps/vw_device" key hex $(map_key "$1") 2>/dev/null |
		jq -r '.formatted.value.flags // empty' 2>/dev/null
}
WAIVED=1 QUARANTINED=2 RESTRICTED=4
# quarantines N: an operator.json with N quarantines of 02:00:00:00:xx:yy.
quarantines() {
	awk -v n="$1" 'BEGIN {
		printf "{\"modes\": {}, \"waivers\": [], \"quarantines\": ["
		for (i = 0; i < n; i++)
			printf "%s{\"mac\": \"02:00:00:00:%02x:%02x\", \"reason\": \"fill\"}", i ? "," : "", int(i / 256), i % 256
		print "]}"
	}'
}
has_bit() { local f; f=$(dev_flags "$1"); [ -n "$f" ] && [ $((f & $2)) -ne 0 ]; }
lacks_bit() { local f; f=$(dev_flags "$1"); [ -z "$f" ] || [ $((f & $2)) -eq 0 ]; }

umask 0022   # the daemon inherits it: its files' modes must not depend on it
vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
# Its own small file system, so that it can be filled up below.
mkdir -p "$STATE"
vw_check "setup: the state directory on a 16 MiB tmpfs" mount -t tmpfs -o size=16m,mode=0755 vw-state "$STATE" || vw_fatal
vw_on_cleanup "umount -l '$STATE'"
config
start "start"
vw_check "block mode: the huawei device is cut off" hw_blocked

# ---- file modes, whatever the umask (0022 here)
vw_check "allow: a waiver for the huawei device" ctl allow "$VW_HW_MAC" --until +1h --reason "e2e modes"
vw_is "modes: the state directory is 0700" "$(stat -c %a "$STATE")" 700
vw_is "modes: operator.json is 0600" "$(stat -c %a "$OPS")" 600
vw_is "modes: the inventory is 0600" "$(stat -c %a "$STATE/inventory.db")" 600
for f in "$STATE/inventory.db-wal" "$STATE/inventory.db-shm"; do
	[ -e "$f" ] && vw_is "modes: ${f##*/} is 0600" "$(stat -c %a "$f")" 600
done

# ---- revoke clears the bit
vw_check "allow: the waived device passes" hw_passes
vw_check "allow: its waiver bit is pinned" has_bit "$VW_HW_MAC" $WAIVED
vw_check "revoke" ctl revoke "$VW_HW_MAC"
vw_check "revoke: the waiver bit is gone from the pinned map" lacks_bit "$VW_HW_MAC" $WAIVED
vw_check "revoke: the device is cut off again" hw_blocked

# ---- every sync reconciles: a waiver bit nothing backs (written behind the
# daemon's back) goes at the next change, not only at start
vw_check "a waiver bit appears in the pinned map for the huawei device" \
	eval 'bpftool map update pinned "$VW_PIN_ROOT/maps/vw_device" key hex $(map_key "$VW_HW_MAC") value hex 01 00 00 00 00 00 00 00'
vw_check "the unbacked bit lets it pass (the stale state)" hw_passes
vw_check "a sync: an unrelated operator change (quarantine of another MAC)" \
	ctl quarantine 02:00:00:00:99:99 --reason "e2e sync"
vw_check "after the sync: the unbacked waiver bit is cleared" lacks_bit "$VW_HW_MAC" $WAIVED
vw_check "after the sync: the device is cut off" hw_blocked
vw_check "release the other MAC" ctl release 02:00:00:00:99:99

# ---- while no daemon runs: a waiver expires, a quarantine is removed from
# operator.json
until=$(($(date +%s) + 4))
vw_check "allow: a waiver for 4 s" ctl allow "$VW_HW_MAC" --until "@$until" --reason "e2e expiry"
vw_check "allow: the device passes" hw_passes
vw_check "quarantine: the benign device" ctl quarantine "$VW_BN_MAC" --reason "e2e removed"
vw_check "quarantine: the benign device is cut off" bn_blocked
stop
vw_check "stopped: the quarantine is removed from operator.json" \
	eval 'jq ".quarantines = []" "$OPS" >"$OPS.new" && mv "$OPS.new" "$OPS"'
while [ "$(date +%s)" -le "$until" ]; do sleep 0.2; done
vw_check "stopped past the expiry: the pinned bit still lets it pass (the stale state)" hw_passes
start "restart after the expiry"
vw_check "after start: the expired waiver's bit is cleared" lacks_bit "$VW_HW_MAC" $WAIVED
vw_check "after start: the device is cut off again" hw_blocked
vw_check "after start: the removed quarantine's bit is cleared" lacks_bit "$VW_BN_MAC" $QUARANTINED
vw_check "after start: the benign device passes" bn_passes

# ---- operator.json moved aside while no daemon runs
vw_check "allow: a waiver for an hour" ctl allow "$VW_HW_MAC" --until +1h --reason "e2e aside"
vw_check "quarantine: the benign device" ctl quarantine "$VW_BN_MAC" --reason "e2e aside"
vw_check "quarantine: the benign device is cut off" bn_blocked
stop
vw_check "stopped: operator.json moved aside" mv "$OPS" "$OPS.aside"
start "restart without operator.json"
vw_check "after start: the waiver's bit is cleared" lacks_bit "$VW_HW_MAC" $WAIVED
vw_check "after start: the quarantine's bit is cleared" lacks_bit "$VW_BN_MAC" $QUARANTINED
vw_check "after start: the huawei device is cut off" hw_blocked
vw_check "after start: the benign device passes" bn_passes
rm -f "$OPS.aside"

# ---- a command that fails has no effect, now or later
vw_check "the state directory is filled up" eval 'dd if=/dev/zero of="$STATE/fill" bs=64k 2>/dev/null; test -s "$STATE/fill"'
msg=$(ctl quarantine "$VW_BN_MAC" --reason "disk full" 2>&1)
rc=$?
vw_check "full: quarantine fails ($msg)" eval 'test $rc -ne 0 && grep -q "cannot save operator decisions" <<<"$msg"'
vw_check "full: the benign device still passes" bn_passes
vw_check "full: no quarantine bit" lacks_bit "$VW_BN_MAC" $QUARANTINED
msg=$(ctl allow "$VW_HW_MAC" --until +1h --reason "disk full" 2>&1)
rc=$?
vw_check "full: allow fails too ($msg)" test $rc -ne 0
vw_check "full: the huawei device still cut off" hw_blocked
rm -f "$STATE/fill"
vw_check "room again: a sync (mode monitor, then block)" eval 'ctl mode lan monitor && ctl mode lan block'
vw_check "after the sync: the benign device still passes" bn_passes
vw_check "after the sync: the huawei device still cut off" hw_blocked
vw_check "operator.json holds neither refused decision" \
	eval '[ ! -e "$OPS" ] || [ "$(jq "(.quarantines | length) + (.waivers | length)" "$OPS")" -eq 0 ]'
stop
start "restart after the refused commands"
vw_check "after start: the benign device still passes" bn_passes
vw_check "after start: the huawei device still cut off" hw_blocked

# ---- waivers and quarantines keep 4096 entries of their own
stop
vw_check "stopped: 4096 quarantines written to operator.json" eval \
	'quarantines 4096 >"$OPS" && jq -e ".quarantines | length == 4096" "$OPS" >/dev/null'
start "start with 4096 quarantines"
vw_check "4096 quarantines: the last one is enforced (pinned)" has_bit 02:00:00:00:0f:ff $QUARANTINED
msg=$(ctl quarantine "$VW_BN_MAC" --reason "one too many" 2>&1)
rc=$?
vw_check "the 4097th decision is refused ($msg)" eval 'test $rc -ne 0 && grep -q "no room" <<<"$msg" && grep -q ENOSPC <<<"$msg"'
vw_check "the 4097th: not enforced" bn_passes
vw_check "the 4097th: no quarantine bit" lacks_bit "$VW_BN_MAC" $QUARANTINED
vw_check "the 4097th: not in operator.json" \
	eval '[ "$(jq --arg m "$VW_BN_MAC" "[.quarantines[] | select(.mac == \$m)] | length" "$OPS")" -eq 0 ]'
vw_check "a waiver is a decision too: refused" eval '! ctl allow "$VW_HW_MAC" --until +1h --reason x 2>/dev/null'
vw_check "release one" ctl release 02:00:00:00:00:00
vw_check "then the quarantine fits" ctl quarantine "$VW_BN_MAC" --reason "room again"
vw_check "and is enforced" bn_blocked
stop
vw_check "stopped: 4097 decisions in operator.json (edited by hand)" eval '
	jq ".waivers = [{\"mac\": \"02:00:00:00:20:00\", \"until\": 0, \"reason\": \"x\"}]" "$OPS" >"$OPS.new" && mv "$OPS.new" "$OPS"'
start "start with 4097 decisions"
vw_is "over the room: the file is refused as a whole (degraded operator-state)" \
	"$(ctl -j status | jq -r '[.degraded[] | select(startswith("operator-state") and contains("4096"))] | length')" 1
vw_check "over the room: no quarantine of the file is enforced" lacks_bit "$VW_BN_MAC" $QUARANTINED
rm -f "$OPS".corrupt-*
stop

# ---- fingerprint verdicts are bounded
config "MaxFingerprintVerdicts=3"
start "start with MaxFingerprintVerdicts=3"
vw_check "setup: the switch forwards LLDP (group_fwd_mask)" \
	ip -n "$(vw_ns sw)" link set br0 type bridge group_fwd_mask 0x4000
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
tlv() { printf '%04x%s' $((($1 << 9) | ${#2} / 2)) "$2"; }
vrp() {
	local mac=${1//:/}
	printf '0180c200000e%s88cc' "$mac"
	tlv 1 "04$mac"; tlv 2 "05$(hex eth0)"; tlv 3 0078
	tlv 6 "$(hex 'Huawei Versatile Routing Platform Software VRP (R) software, Version 8.120')"
	printf '0000'
}
fp_entries() {
	bpftool -j map dump pinned "$VW_PIN_ROOT/maps/vw_device" |
		jq "[.[] | select(.formatted.value.flags == $RESTRICTED)] | length"
}
for i in 1 2 3 4 5 6; do
	vw_in hw "$SEND" eth0 "$(vrp "02:aa:00:00:00:0$i")" >/dev/null
	sleep 0.2
done
vw_check "six spoofed Huawei LLDP senders: the journal names the sixth" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_DETECTED" VW_MAC=02:aa:00:00:00:06
vw_is "at most 3 fingerprint verdicts pinned" "$(fp_entries)" 3
vw_check "the newest is among them" has_bit 02:aa:00:00:00:06 $RESTRICTED
vw_check "the oldest made room" lacks_bit 02:aa:00:00:00:01 $RESTRICTED
vw_is "status: degraded fingerprint-verdicts" \
	"$(ctl -j status | jq -r '[.degraded[] | select(startswith("fingerprint-verdicts"))] | length')" 1
# retry TIMEOUT_S CMD...: until CMD succeeds.
retry() {
	local t=$(($1 * 5))
	shift
	until "$@"; do t=$((t - 1)); [ "$t" -gt 0 ] || return 1; sleep 0.2; done
}
vw_in hw "$SEND" eth0 "$(vrp 02:aa:00:00:00:01)" >/dev/null
vw_check "the oldest announces itself again: its verdict is back" retry 5 has_bit 02:aa:00:00:00:01 $RESTRICTED
vw_is "still at most 3 fingerprint verdicts pinned" "$(fp_entries)" 3
vw_check "an operator decision still fits" ctl quarantine "$VW_BN_MAC" --reason "after the flood"
vw_check "and is enforced" bn_blocked
# wait_fp_entries N TIMEOUT_S: the pinned fingerprint verdicts drop to N.
wait_fp_entries() {
	local t=$(($2 * 5))
	while [ "$(fp_entries)" -ne "$1" ] && [ "$t" -gt 0 ]; do sleep 0.2; t=$((t - 1)); done
	[ "$(fp_entries)" -eq "$1" ]
}
config "MaxFingerprintVerdicts=3" "FingerprintVerdictMaxAge=1"
vw_check "reload with FingerprintVerdictMaxAge=1" ctl reload
vw_check "aged: the fingerprint verdicts of devices gone silent are dropped" wait_fp_entries 0 10
vw_check "aged: the operator's quarantine stays" has_bit "$VW_BN_MAC" $QUARANTINED
vw_check "bad MaxFingerprintVerdicts: refused with the file and line" eval '
	config "MaxFingerprintVerdicts=65536"; ctl reload 2>&1 | grep -q "vendorwall.conf:[0-9]*: .*MaxFingerprintVerdicts"'
stop
vw_done
