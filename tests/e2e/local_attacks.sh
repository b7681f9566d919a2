#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Attacks by what the gateway lets anyone say. (1) A local user (nobody)
# floods the 0666 control socket with refused requests carrying a secret:
# the journal gets a bounded number of audit entries, a summary with the
# count, never the arguments, and a real alert that follows is journaled.
# journald rate-limits per unit only (it keys on the sender's unit, read from
# its cgroup; a process in no unit is never limited), so the daemon runs as
# PID 1 would run it: in a cgroup .../vendorwalld.service, with the unit's
# LogRateLimitIntervalSec= and a LogRateLimitBurst= published where journald
# reads them (/run/systemd/units/log-rate-limit-*:UNIT, private /run). The
# burst is scaled down (VW_RL_BURST, default 300; the flood is 10 times it):
# journald multiplies a burst by up to 1.5 in this tmpfs, so the unit's 60000
# would need a flood of over 90000 refusals in one interval. The refusals
# (LOG_WARNING) share journald's pool with the alerts (LOG_WARNING): one
# audit entry per refusal spends the burst and the alert is dropped.
# (2) A device announces itself over LLDP with a screen-clearing escape and
# a right-to-left override in its system description and name: the journal
# MESSAGE and vendorwallctl show them escaped, the VW_ field keeps them raw.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq od setpriv
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
SEND=$VW_BUILD/tests/helpers/send-frame
RAW=$VW_BUILD/tests/helpers/ctl-raw
CTL=$VW_BUILD/vendorwallctl
SOCK=$VW_SCRATCH/run/control
LA_MAC=02:11:22:33:44:66          # locally administered: only LLDP tells
UNIT_FILE=$VW_REPO/packaging/vendorwalld.service
BURST=${VW_RL_BURST:-300}
FLOOD=$((BURST * 10))
SECRET="s3cr3t-$$-$RANDOM"
ESC=$'\033'
RLO=$'\xe2\x80\xae'

hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
tlv() {
	local len=$((${#2} / 2))
	printf '%04x%s' $((($1 << 9) | len)) "$2"
}
lldp() {   # SRC_MAC SYSTEM_DESCRIPTION SYSTEM_NAME
	local mac=${1//:/}
	printf '0180c200000e%s88cc' "$mac"
	tlv 1 "04$mac"
	tlv 2 "05$(hex eth0)"
	tlv 3 0078
	tlv 5 "$(hex "$3")"
	tlv 6 "$(hex "$2")"
	printf '0000'
}
audits() { vw_journal_count MESSAGE_ID="$VW_MID_AUDIT" VW_CALLER_UID=65534; }

# ---- units as journald sees them ------------------------------------------------
# The cgroup2 hierarchy journald reads (hybrid: .../unified), and the cgroup of
# our PID 1, which journald takes as the root of unit paths.
if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
	CG_BASE=/sys/fs/cgroup
elif [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
	CG_BASE=/sys/fs/cgroup/unified
else
	vw_skip_all "no cgroup2 hierarchy: journald would not see units here"
fi
CG_ROOT=$CG_BASE$(sed -n 's/^0:://p' /proc/1/cgroup)
CG_ROOT=${CG_ROOT%/}
CG_SLICE=$CG_ROOT/${VW_PREFIX}test.slice
# unit_seconds KEY: a time span of the unit file in microseconds (s, min, ms).
unit_usec() {
	local v
	v=$(sed -n "s/^$1=//p" "$UNIT_FILE" | tail -1)
	case "$v" in
	*ms) echo $((${v%ms} * 1000)) ;;
	*min) echo $((${v%min} * 60000000)) ;;
	*s) echo $((${v%s} * 1000000)) ;;
	*) echo $((v * 1000000)) ;;
	esac
}
# unit_cgroup NAME INTERVAL_USEC BURST: a cgroup for NAME under our slice and
# its rate limit where journald reads it. Prints the cgroup's path.
unit_cgroup() {
	mkdir -p "$CG_SLICE/$1" && mkdir -p /run/systemd/units &&
		ln -sfn "$2" "/run/systemd/units/log-rate-limit-interval:$1" &&
		ln -sfn "$3" "/run/systemd/units/log-rate-limit-burst:$1" &&
		echo "$CG_SLICE/$1"
}
# Processes still in our units go back to the root, then the cgroups go.
units_remove() {
	local d p
	for d in "$CG_SLICE"/*.service; do
		[ -d "$d" ] || continue
		while read -r p; do echo "$p" >"$CG_ROOT/cgroup.procs"; done <"$d/cgroup.procs"
		rmdir "$d"
	done
	[ ! -d "$CG_SLICE" ] || rmdir "$CG_SLICE"
}
vw_on_cleanup units_remove
# Like vw_daemon_start, but the daemon joins cgroup $1 before it execs.
daemon_start_in() {
	VW_PIN_DIRS+=("$VW_PIN_ROOT")
	# shellcheck disable=SC2016 # expanded by the inner sh
	(cd "$VW_REPO" && echo 0 >"$1/cgroup.procs" && exec ip netns exec "$(vw_ns gw)" \
		sh -c 'mount --bind "$0" /sys/fs/bpf && exec "$@"' "$VW_BPFFS" \
		"$VW_DAEMON" --config "$VW_CONF") >"$VW_DAEMON_LOG" 2>&1 </dev/null &
	VW_DAEMON_PID=$!
	vw_track_pid "$VW_DAEMON_PID"
}

vw_check "setup: gateway, switch and two device namespaces" vw_lan_topology || vw_fatal
vw_check "setup: the switch forwards LLDP (group_fwd_mask)" \
	ip -n "$(vw_ns sw)" link set br0 type bridge group_fwd_mask 0x4000 || vw_fatal
vw_check "setup: the second device gets a locally administered MAC" vw_set_mac bn "$LA_MAC" "$VW_BN_IP"
INTERVAL=$(unit_usec LogRateLimitIntervalSec)
vw_check "unit: LogRateLimitIntervalSec= is set (${INTERVAL} us)" test "$INTERVAL" -gt 0 || vw_fatal
# The limit is live here: a unit with the same limits loses lines past its
# burst. journald reads a sender's cgroup when it takes the stream, so the
# sender lives until then (its first line is in) and until its last line,
# at another priority (another of journald's pools), is in.
probe=$(unit_cgroup vw-probe.service "$INTERVAL" "$BURST") || vw_fatal
probe_lines() {
	echo '<6>vw-probe-start'
	vw_journal_wait 10 MESSAGE=vw-probe-start || return 1
	seq $((BURST * 3))
	echo '<6>vw-probe-end'
	vw_journal_wait 10 MESSAGE=vw-probe-end
}
(echo 0 >"$probe/cgroup.procs" && probe_lines |
	exec systemd-cat -t vw-probe -p warning --level-prefix=true)
vw_check "journald: the probe's last line arrives" vw_journal_wait 10 MESSAGE=vw-probe-end
kept=$(vw_journal_count SYSLOG_IDENTIFIER=vw-probe _SYSTEMD_UNIT=vw-probe.service PRIORITY=4)
vw_check "journald: a unit with LogRateLimitBurst=$BURST keeps $kept of the $((BURST * 3)) lines it sent" \
	eval '[ "$kept" -ge "$BURST" ] && [ "$kept" -lt $((BURST * 3)) ]' ||
	vw_diag "$(vw_journal -o json SYSLOG_IDENTIFIER=vw-probe | jq -r '"\(._SYSTEMD_UNIT) \(.PRIORITY)"' | sort | uniq -c)"
unit=$(unit_cgroup vendorwalld.service "$INTERVAL" "$BURST") || vw_fatal
vw_daemon_config block
daemon_start_in "$unit"
vw_daemon_wait_ready 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"
vw_is "start: journald files the daemon's entries under vendorwalld.service" \
	"$(vw_journal_field _SYSTEMD_UNIT MESSAGE_ID="$VW_MID_POLICY_LOADED")" vendorwalld.service
chmod 0755 "$VW_SCRATCH" "$VW_SCRATCH/run"   # nobody must reach the socket to be refused

# ---- (1) refusal flood -----------------------------------------------------------
req="{\"command\":\"allow\",\"args\":{\"mac\":\"00:e0:fc:12:34:56\",\"until\":1,\"reason\":\"$SECRET\"}}"
t0=$(date +%s%N)
refused=$(vw_in gw setpriv --reuid=65534 --regid=65534 --clear-groups "$RAW" flood "$SOCK" "$FLOOD" "$req")
t1=$(date +%s%N)
flood_ms=$(((t1 - t0) / 1000000))
vw_is "flood: all $FLOOD requests from uid 65534 refused (${flood_ms} ms)" "$refused" "$FLOOD"
# A real alert right after the flood: the Huawei device talks.
vw_ping_within hw "$VW_GW_IP" 1 >/dev/null
vw_check "alert after the flood: the blocked Huawei device is journaled" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$VW_HW_MAC"
# The flood's last summary comes within an interval (2 s) of its end.
sum_suppressed() {
	vw_journal -o json MESSAGE_ID="$VW_MID_AUDIT" VW_CALLER_UID=65534 |
		jq -s '[.[] | (.VW_SUPPRESSED // "1" | tonumber)] | add // 0'
}
wait_counted() {
	local t=50
	while [ "$t" -gt 0 ]; do
		[ "$(sum_suppressed)" -ge "$FLOOD" ] && return 0
		sleep 0.2
		t=$((t - 1))
	done
	return 1
}
vw_check "audit: refusals and summaries add up to the $FLOOD requests" wait_counted
n=$(audits)
bound=$((5 + 2 + flood_ms / 2000))
vw_check "audit: $n entries for $FLOOD refusals (at most $bound: a burst of 5, one summary per 2 s)" \
	test "$n" -le "$bound"
msg=$(vw_journal -o json MESSAGE_ID="$VW_MID_AUDIT" VW_CALLER_UID=65534 | jq -r 'select(.VW_SUPPRESSED) | .MESSAGE' | head -1)
vw_check "audit: a summary entry says how many were suppressed ($msg)" \
	eval 'case "$msg" in *" refusals from uid 65534 suppressed"*) true ;; *) false ;; esac'
vw_is "audit: the refused caller's arguments appear nowhere in the journal" \
	"$(vw_journal -o export | grep -c "$SECRET")" 0
vw_is "audit: refusals name the command" \
	"$(vw_journal_field VW_COMMAND MESSAGE_ID="$VW_MID_AUDIT" VW_CALLER_UID=65534)" allow
vw_check "control socket: root is still served" vw_in gw "$CTL" --socket "$SOCK" status

# ---- (2) hostile text from a device ---------------------------------------------
DESC="Copyright (C) Huawei Technologies Co., Ltd. ${ESC}[2J${RLO}gpj.exe"
NAME="sw${ESC}[2J${RLO}1"
vw_check "device sends LLDP with ESC[2J and U+202E in its system description and name" \
	vw_in bn "$SEND" eth0 "$(lldp "$LA_MAC" "$DESC" "$NAME")"
vw_ping_within bn "$VW_GW_IP" 1 >/dev/null
vw_check "journal: the device is identified and blocked" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LA_MAC"
msg=$(vw_journal -o json MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LA_MAC" | jq -r '.MESSAGE' | head -1)
vw_check "journal MESSAGE: no raw ESC or U+202E ($msg)" \
	eval '[[ $msg != *"$ESC"* && $msg != *"$RLO"* ]]'
# (The LLDP parser already turns C0 controls into spaces; the bidi override
# gets through to us.)
vw_check "journal MESSAGE: shows them escaped" eval '[[ $msg == *"[2J\\u202Egpj.exe"* ]]'
ev=$(vw_journal -o json MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LA_MAC" | jq -r '.VW_EVIDENCE' | head -1)
vw_check "journal VW_EVIDENCE: the raw value for the SIEM" eval '[[ $ev == *"[2J${RLO}gpj.exe"* ]]' ||
	vw_diag "$ev"
shown=$(vw_in gw "$CTL" --socket "$SOCK" device "$LA_MAC")
vw_check "vendorwallctl device: no raw ESC or U+202E" eval '[[ $shown != *"$ESC"* && $shown != *"$RLO"* ]]'
vw_check "vendorwallctl device: the evidence escaped" eval '[[ $shown == *"[2J\\u202Egpj.exe"* ]]' ||
	vw_diag "$shown"
shown=$(vw_in gw "$CTL" --socket "$SOCK" devices)
vw_check "vendorwallctl devices: lists it, no raw ESC or U+202E" \
	eval '[[ $shown == *"$LA_MAC"* && $shown != *"$ESC"* && $shown != *"$RLO"* ]]' || vw_diag "$shown"
vw_done
