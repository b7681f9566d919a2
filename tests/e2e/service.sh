#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# vendorwalld as a service: sd_notify sequence, reload (good and broken),
# --check-config on bad input, waivers and their expiry, the journal catalog,
# and crash continuity (kill -9 in block mode: no frame passes, state kept).
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping tcpdump jq bpftool sqlite3
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"

NOTIFY_LOG=$VW_SCRATCH/notify.log
NOTIFY_SOCK=$VW_SCRATCH/notify.sock

# write_conf MODE [EXTRA SECTION TEXT]: the "lan" segment on lan0 plus EXTRA.
write_conf() {
	mkdir -p "$VW_SCRATCH/state" "$VW_SCRATCH/run"
	{
		cat <<-EOF
			[Daemon]
			Profile=us-ndaa-889
			PolicyDirectory=$VW_REPO/policy
			StateDirectory=$VW_SCRATCH/state
			RuntimeDirectory=$VW_SCRATCH/run
			BpfRoot=$VW_PIN_ROOT
			AlertInterval=${ALERT_INTERVAL:-1h}

			[Segment lan]
			Interface=$VW_GW_IF
			Mode=$1
			OnStop=detach
		EOF
		[ $# -lt 2 ] || printf '%s\n' "$2"
	} >"$VW_CONF.tmp"
	mv "$VW_CONF.tmp" "$VW_CONF"
}

# counter NAME: the lan segment's counter (summed over CPUs) from the pinned map.
# Slot 1 is the first configured segment; the index layout is include/vendorwall.h's, as
# build/names.sh gives it (VW_CTR_<NAME>, VW_CTR_MAX counters per slot).
counter() { vw_counter 1 "$1"; }

# xdp_link FIELD: id or prog_id of the pinned XDP link on lan0.
xdp_link() {
	bpftool -j link show pinned "$VW_PIN_ROOT/links/xdp_$(vw_in gw cat "/sys/class/net/$VW_GW_IF/ifindex")" |
		jq -r ".$1"
}

# started_programs: VW_PROGRAMS of the newest start entry (reused or loaded).
started_programs() { vw_journal -o json MESSAGE_ID="$VW_MID_STARTED" | tail -1 | jq -r '.VW_PROGRAMS // empty'; }

# tamper_record: the pinned program record as another build would have written it (its
# identity, bytes 16.. of struct record in daemon/lib/progpin.c, differs in one byte).
tamper_record() {
	local rec=$VW_PIN_ROOT/progs/record val
	val=$(bpftool -j map lookup pinned "$rec" key 0 0 0 0 |
		jq -r '.value | to_entries | map(if .key == 16 then "0x5a" else .value end) | join(" ")') &&
		[ -n "$val" ] && rm "$rec" &&
		bpftool map create "$rec" type array key 4 value 32 entries 1 name vw_progs &&
		# shellcheck disable=SC2086 # val is a list of bytes
		bpftool map update pinned "$rec" key 0 0 0 0 value $val
}


start_with_notify() {
	rm -f "$NOTIFY_LOG"
	"$VW_BUILD/tests/helpers/notify-listen" "$NOTIFY_SOCK" 60 >"$NOTIFY_LOG" &
	vw_track_pid $!
	sleep 0.2
	NOTIFY_SOCKET=$NOTIFY_SOCK WATCHDOG_USEC=2000000 vw_daemon_start
}

vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal

# ---- sd_notify and start
write_conf monitor
start_with_notify
vw_daemon_wait_ready 20 || { vw_not_ok "start: policy loaded"; vw_fatal; }
vw_ok "start: policy loaded"
sleep 2.5   # at least one watchdog period
vw_daemon_reload
sleep 1
vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
sleep 0.3
notify_order() {
	# READY before STATUS/WATCHDOG, RELOADING then READY again, STOPPING last.
	local seq
	seq=$(sed -n 's/^\(READY\|RELOADING\|STOPPING\|WATCHDOG\|STATUS\)=.*/\1/p' "$NOTIFY_LOG" |
		uniq | tr '\n' ' ')
	echo "sequence: $seq"
	echo "$seq" | grep -Eq '^READY (STATUS |WATCHDOG )*.*RELOADING (STATUS |WATCHDOG )*READY .*STOPPING $' &&
		grep -q '^WATCHDOG=1' "$NOTIFY_LOG" && grep -q '^STATUS=1 segment(s): lan=monitor' "$NOTIFY_LOG"
}
vw_check "sd_notify: READY, STATUS, WATCHDOG, RELOADING, READY, STOPPING in order" notify_order

# ---- --check-config on bad input: each names file and line, exit non-zero
check_bad() {
	local desc=$1 text=$2 want=$3 out rc
	printf '%s\n' "$text" >"$VW_SCRATCH/bad.conf"
	out=$("$VW_DAEMON" --check-config --config "$VW_SCRATCH/bad.conf" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && echo "$out" | grep -qF "$want"; then
		vw_ok "check-config: $desc"
	else
		vw_not_ok "check-config: $desc" "rc=$rc, want '$want' in:" "$out"
	fi
}
base="[Daemon]
Profile=us-ndaa-889
PolicyDirectory=$VW_REPO/policy"
check_bad "unknown key" "$base
Colour=blue" "bad.conf:4:"
check_bad "bad mode" "$base
[Segment lan]
Interface=lan0
Mode=sideways" "bad.conf:6:"
check_bad "bad VLAN" "$base
[Segment lan]
Interface=lan0
VLAN=5000" "bad.conf:6:"
check_bad "unknown profile" "[Daemon]
Profile=us-ndaa-9999
PolicyDirectory=$VW_REPO/policy" "us-ndaa-9999"
check_bad "bad waiver MAC" "$base
[Waiver 00:e0:fc:zz:34:56]
Reason=x" "bad.conf:4:"
check_bad "redirect without quarantine interface" "$base
[Segment lan]
Interface=lan0
Action=redirect" "bad.conf:"
"$VW_DAEMON" --check-config --config "$VW_CONF" >/dev/null 2>&1
vw_check "check-config: the test's own config is OK" test $? -eq 0

# ---- reload: a good change applies, a broken file is rejected and nothing changes
write_conf monitor
vw_daemon_start_wait 20 || { vw_not_ok "reload: daemon ready"; vw_fatal; }
vw_check "reload: monitor lets the huawei device through" vw_ping hw "$VW_GW_IP"
write_conf block
vw_daemon_reload
vw_journal_wait 10 MESSAGE_ID="$VW_MID_MODE_CHANGED" VW_MODE=block >/dev/null
vw_check "reload: mode change logged" test "$(vw_journal_count MESSAGE_ID="$VW_MID_MODE_CHANGED" VW_MODE=block)" -ge 1
vw_check "reload: block cuts the huawei device off without a restart" vw_not vw_ping hw "$VW_GW_IP"
printf '%s\n' '[Daemon]' 'Profile=us-ndaa-889' "PolicyDirectory=$VW_REPO/policy" \
	'[Segment lan]' "Interface=$VW_GW_IF" 'Mode=monitr' >"$VW_CONF"
vw_daemon_reload
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_RELOAD_REJECTED"; then
	vw_ok "reload: broken file rejected"
else
	vw_not_ok "reload: broken file rejected"
fi
vw_is "reload: rejection names file and line" \
	"$(vw_journal_field VW_ERROR MESSAGE_ID="$VW_MID_RELOAD_REJECTED" | cut -d: -f1-2)" "$VW_CONF:6"
vw_check "reload: enforcement unchanged after the rejected file" vw_not vw_ping hw "$VW_GW_IP"
vw_check "reload: benign device still works" vw_ping bn "$VW_GW_IP"
vw_check "reload: daemon still running" vw_daemon_alive

# ---- waivers: a waived MAC passes in block mode; expiry enforces it again
until=$(date -u -d '+4 seconds' +%Y-%m-%dT%H:%M:%SZ)
write_conf block "[Waiver $VW_HW_MAC]
Until=$until
Reason=e2e test
Ticket=T-1"
vw_daemon_reload
vw_journal_wait 10 MESSAGE_ID="$VW_MID_WAIVER_ADDED" >/dev/null
vw_is "waiver: added entry names the MAC" "$(vw_journal_field VW_MAC MESSAGE_ID="$VW_MID_WAIVER_ADDED")" "$VW_HW_MAC"
vw_check "waiver: waived huawei device passes in block mode" vw_ping hw "$VW_GW_IP"
if vw_journal_wait 15 MESSAGE_ID="$VW_MID_WAIVER_EXPIRED"; then
	vw_ok "waiver: expiry logged"
else
	vw_not_ok "waiver: expiry logged"
fi
vw_check "waiver: after expiry the device is blocked again" vw_not vw_ping hw "$VW_GW_IP"

# ---- quarantine cap: one new device per hour; the second is only monitored
HW2_MAC=00:e0:fc:99:88:77
write_conf block "MaxNewQuarantinesPerHour=1"
vw_daemon_reload
sleep 1
vw_check "cap: the first restricted device is still blocked" vw_not vw_ping hw "$VW_GW_IP"
vw_set_mac hw "$HW2_MAC" "$VW_HW_IP"
vw_check "cap: a second new restricted device passes once the cap is reached" vw_ping hw "$VW_GW_IP"
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_QUARANTINE_CAP"; then
	vw_ok "cap: quarantine-cap entry logged"
else
	vw_not_ok "cap: quarantine-cap entry logged"
fi
vw_is "cap: entry names the capped device" \
	"$(vw_journal_field VW_MAC MESSAGE_ID="$VW_MID_QUARANTINE_CAP")" "$HW2_MAC"
vw_is "cap: the capped device's alert says so" \
	"$(vw_journal_field VW_ACTION MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$HW2_MAC")" capped
vw_set_mac hw "$VW_HW_MAC" "$VW_HW_IP"

# ---- reminders: a device still there after AlertInterval is reported again, once
ALERT_INTERVAL=2s write_conf monitor
vw_daemon_reload
sleep 1
reminders=$(vw_journal_count MESSAGE_ID="$VW_MID_REMINDER" VW_MAC="$VW_HW_MAC")
vw_in hw ping -n -q -i 0.05 -c 100 "$VW_GW_IP" >/dev/null 2>&1
got=$(($(vw_journal_count MESSAGE_ID="$VW_MID_REMINDER" VW_MAC="$VW_HW_MAC") - reminders))
vw_check "reminder: 5 s of traffic with AlertInterval=2s gives 1 to 3 reminders, not one per frame ($got)" \
	test "$got" -ge 1 -a "$got" -le 3

# ---- catalog: journalctl -x explains our MESSAGE_IDs
catalog_test() {
	mkdir -p "$VW_SCRATCH/catalog-src" "$VW_SCRATCH/catalog-db"
	cp "$VW_REPO/packaging/vendorwall.catalog" "$VW_SCRATCH/catalog-src/"
	mount --bind "$VW_SCRATCH/catalog-src" /usr/lib/systemd/catalog &&
		mount --bind "$VW_SCRATCH/catalog-db" /var/lib/systemd/catalog || return 1
	journalctl --update-catalog || return 1
	vw_journal -x MESSAGE_ID="$VW_MID_BLOCKED" | grep -q 'Its traffic in both directions is now cut off'
}
vw_check "catalog: journalctl -x shows the catalog text of a blocked entry" catalog_test

# ---- crash continuity: kill -9 in block mode while the device sends continuously
write_conf block
vw_daemon_reload
sleep 1
drops_before=$(counter dropped)
# A per-device verdict as the fingerprint engine writes it: MAC as a 48-bit
# big-endian number in a little-endian u64 key; flags VW_DEV_RESTRICTED, vendor 1.
DEV_KEY="0x55 0x44 0x33 0x22 0x11 0x02 0x00 0x00"
# shellcheck disable=SC2086 # DEV_KEY is a list of bytes
bpftool map update pinned "$VW_PIN_ROOT/maps/vw_device" key $DEV_KEY \
	value 0x04 0 0 0 0x01 0 0 0
vw_in hw ping -n -q -i 0.005 -c 100000 "$VW_GW_IP" >/dev/null 2>&1 &
vw_track_pid $!
sleep 1
# The benign device's frames in the same capture prove the capture works.
vw_in bn ping -n -q -i 0.05 -c 2000 "$VW_GW_IP" >/dev/null 2>&1 &
vw_track_pid $!
vw_in gw tcpdump -i "$VW_GW_IF" -n -w "$VW_SCRATCH/dead.pcap" \
	ether src "$VW_HW_MAC" or ether src "$VW_BN_MAC" 2>/dev/null &
tcpdump_pid=$!
vw_track_pid "$tcpdump_pid"
sleep 1
prog_before=$(xdp_link prog_id)
kill -KILL "$VW_DAEMON_PID"
wait "$VW_DAEMON_PID" 2>/dev/null
vw_untrack_pid "$VW_DAEMON_PID"
VW_DAEMON_PID=
sleep 2   # dead for two seconds of continuous traffic
drops_dead=$(counter dropped)
vw_daemon_start_wait 20
sleep 1
# Background jobs of a non-interactive shell ignore SIGINT: TERM it is.
kill -TERM "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null
vw_untrack_pid "$tcpdump_pid"
passed=$(tcpdump -r "$VW_SCRATCH/dead.pcap" -n ether src "$VW_HW_MAC" 2>/dev/null | wc -l)
benign=$(tcpdump -r "$VW_SCRATCH/dead.pcap" -n ether src "$VW_BN_MAC" 2>/dev/null | wc -l)
vw_check "crash: the capture saw the benign device meanwhile ($benign frames)" test "$benign" -gt 10
vw_is "crash: frames of the blocked device that passed while the daemon was dead or restarting" "$passed" 0
vw_check "crash: drops went on while the daemon was dead ($drops_before -> $drops_dead)" \
	test "$drops_dead" -gt "$((drops_before + 100))"
drops_after=$(counter dropped)
vw_check "crash: counters kept across the restart ($drops_dead -> $drops_after)" \
	test "$drops_after" -ge "$drops_dead"
vw_check "crash: restarted daemon adopted the pinned maps" grep -q 'adopted from pins' "$VW_DAEMON_LOG"
vw_is "crash: the same build took over its pinned programs (journal)" "$(started_programs)" reused
vw_is "crash: the XDP link runs the program it ran before the crash" "$(xdp_link prog_id)" "$prog_before"
# shellcheck disable=SC2086 # DEV_KEY is a list of bytes
vw_check "crash: the per-device verdict survived the restart" \
	bpftool map lookup pinned "$VW_PIN_ROOT/maps/vw_device" key $DEV_KEY
inv_row() {
	sqlite3 -readonly "$VW_SCRATCH/state/inventory.db" \
		"SELECT vendor || ' ' || verdict || ' ' || outcome FROM devices WHERE mac = '$VW_HW_MAC'"
}
vw_is "crash: the inventory still holds the device after kill -9" "$(inv_row)" \
	"huawei restricted dropped"
vw_check "crash: benign device works after the restart" vw_ping bn "$VW_GW_IP"

# ---- pinned programs another build made (an upgrade) are replaced, not taken over
link_before=$(xdp_link id) prog_before=$(xdp_link prog_id)
kill -KILL "$VW_DAEMON_PID"
wait "$VW_DAEMON_PID" 2>/dev/null
vw_untrack_pid "$VW_DAEMON_PID"
VW_DAEMON_PID=
vw_check "other build: the program record rewritten with another identity" tamper_record
vw_daemon_start_wait 20
vw_is "other build: the object was loaded afresh (journal)" "$(started_programs)" loaded
vw_is "other build: the same XDP link" "$(xdp_link id)" "$link_before"
vw_check "other build: the link runs a new program ($prog_before -> $(xdp_link prog_id))" \
	test "$(xdp_link prog_id)" != "$prog_before"
vw_is "other build: the new program is the one pinned" \
	"$(bpftool -j prog show pinned "$VW_PIN_ROOT/progs/vw_xdp_ingress" | jq .id)" "$(xdp_link prog_id)"
vw_check "other build: the huawei device is still cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1

# An audited control command, so the audit entry is among the kinds checked below.
vw_check "control: an operator sets the mode" \
	vw_in gw "$VW_BUILD/vendorwallctl" --socket "$VW_SCRATCH/run/control" mode lan block
vw_check "control: the audit entry reached the journal" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_AUDIT" VW_COMMAND=mode

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_check "stop: pins removed with OnStop=detach" vw_not test -e "$VW_PIN_ROOT/maps"
vw_check "stop: pinned programs removed with OnStop=detach" vw_not test -e "$VW_PIN_ROOT/progs"

# ---- a first start that fails leaves nothing pinned: the data plane is
# opened while the state loads, so its maps exist when the profile fails
write_conf monitor
sed -i 's/^Profile=.*/Profile=no-such-profile/' "$VW_CONF"
vw_daemon_start
t=300
while vw_daemon_alive && [ "$t" -gt 0 ]; do sleep 0.1; t=$((t - 1)); done
vw_daemon_stop 10
rc=$?
vw_check "failed first start: exit status non-zero ($rc)" test "$rc" -ne 0
vw_check "failed first start: no pins left behind" vw_not test -e "$VW_PIN_ROOT/maps"

# ---- the inventory's bound is applied at start, right after READY (a count of every row
# is no part of enforcement)
write_conf monitor
sed -i 's/^\[Daemon\]$/[Daemon]\nInventoryMaxDevices=100/' "$VW_CONF"
devices() { sqlite3 -readonly "$VW_SCRATCH/state/inventory.db" "SELECT count(*) FROM device"; }
vw_check "inventory bound: 300 more devices in the inventory" \
	"$VW_BUILD/tools/vw-inventory-fill" "$VW_SCRATCH/state/inventory.db" 300
vw_daemon_start_wait 20
t=100
while [ "$(devices)" -gt 100 ] && [ "$t" -gt 0 ]; do sleep 0.1; t=$((t - 1)); done
vw_is "inventory bound: InventoryMaxDevices=100 applied at start" "$(devices)" 100
vw_daemon_stop 10
vw_is "inventory bound: stop exit status" "$?" 0

# ---- every kind of entry this test caused: read back with its fields,
# and explained by journalctl -x from the catalog installed above
# kind MID FIELD...: the newest entry of MID has every FIELD, and -x shows the catalog.
kind() {
	local mid=$1 name=$2 json missing=
	shift 2
	json=$(vw_journal -o json MESSAGE_ID="$mid" | tail -1)
	if [ -z "$json" ]; then
		vw_not_ok "journal: $name ($mid) entry present"
		return
	fi
	for f in MESSAGE PRIORITY SYSLOG_IDENTIFIER "$@"; do
		[ "$(echo "$json" | jq -r --arg f "$f" '.[$f] // empty')" ] || missing="$missing $f"
	done
	vw_is "journal: $name entry has its fields" "${missing:-none missing}" "none missing"
	# shellcheck disable=SC2016 # expanded by eval, in the check
	vw_check "journal: journalctl -x explains $name" \
		eval 'vw_journal -x -n 1 MESSAGE_ID="$mid" | grep "Defined-By: vendorwall" >/dev/null'
}
kind "$VW_MID_POLICY_LOADED" policy-loaded VW_PROFILE VW_POLICY_VERSION
kind "$VW_MID_STARTED" started VW_ADOPTED VW_PROGRAMS
kind "$VW_MID_STOPPED" stopped VW_ENFORCEMENT
kind "$VW_MID_REMINDER" reminder VW_MAC VW_VENDOR VW_SEGMENT VW_ACTION
kind "$VW_MID_DETECTED" detected VW_MAC VW_VENDOR VW_OUI VW_EVIDENCE VW_CONFIDENCE VW_VERDICT \
	VW_SEGMENT VW_INTERFACE VW_VLAN VW_ACTION VW_MODE VW_PROFILE VW_POLICY_VERSION
kind "$VW_MID_BLOCKED" blocked VW_MAC VW_VENDOR VW_OUI VW_EVIDENCE VW_VERDICT VW_SEGMENT VW_INTERFACE \
	VW_VLAN VW_ACTION VW_MODE VW_IPV4
kind "$VW_MID_MODE_CHANGED" mode-changed VW_SEGMENT VW_INTERFACE VW_MODE VW_OLD_MODE
kind "$VW_MID_RELOAD_REJECTED" reload-rejected VW_ERROR
kind "$VW_MID_WAIVER_ADDED" waiver-added VW_MAC VW_WAIVER_UNTIL VW_WAIVER_REASON
kind "$VW_MID_WAIVER_EXPIRED" waiver-expired VW_MAC
kind "$VW_MID_DEGRADED" degraded VW_DEGRADED
kind "$VW_MID_QUARANTINE_CAP" quarantine-cap VW_SEGMENT VW_MAC VW_CAP
kind "$VW_MID_AUDIT" audit VW_COMMAND VW_CALLER_UID VW_CALLER_PID VW_CALLER_COMM VW_RESULT \
	VW_OLD_VALUE VW_NEW_VALUE
vw_done
