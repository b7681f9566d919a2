#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Housekeeping of vw_cap_blocked (the devices admitted under the quarantine cap, which frames
# never evict): 70,000 spoofed restricted MACs fill it (65,536 entries) and `status` says so as
# a degraded state; with CapBlockedMaxAge=6s and AlertInterval=1s, the daemon forgets the
# quiet flood's admissions and the degraded state clears, while the real device, admitted
# before the flood and still sending, keeps its admission. Once it stops sending it is
# forgotten too, and when it comes back it is decided again (and blocked).
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require bpftool jq
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
SEND=$VW_BUILD/tests/helpers/send-frame
GEN=$VW_BUILD/tests/helpers/flood-gen
GEN_OBJ=$VW_BUILD/tests/helpers/vw_flood.bpf.o
CTL=$VW_BUILD/vendorwallctl
SOCK=$VW_SCRATCH/run/control
for f in "$SEND" "$GEN" "$GEN_OBJ" "$CTL"; do [ -e "$f" ] || vw_skip_all "$f not built"; done

REAL=00:e0:fc:12:34:56
frame() { echo "02767700000f${1//:/}88b5$(printf '00%.0s' $(seq 46))"; }
send() { vw_in fl "$SEND" fl0 "$(frame "$1")" 1; }

# counter NAME: segment edge's counter (slot 1, the only segment), summed over CPUs.
counter() { vw_counter 1 "$1"; }
dropped() {
	local d
	d=$(counter dropped)
	send "$1" && [ "$(counter dropped)" -gt "$d" ]
}
status() { "$CTL" --socket "$SOCK" -j status; }
cap() { status | jq -r ".cap_blocked.$1 // \"none\""; }
# wait_for SECONDS CMD...: polls CMD until it succeeds.
wait_for() {
	local t=$(($1 * 5))
	shift
	while [ "$t" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		t=$((t - 1))
	done
	return 1
}
entries_at_most() { [ "$(cap entries)" != none ] && [ "$(cap entries)" -le "$1" ]; }
full_degraded() { status | jq -e '.degraded | any(startswith("cap-blocked-full"))' >/dev/null; }

vw_check "setup: gateway and attacker namespaces" vw_edge_topology || vw_fatal
{ vw_daemon_section AlertInterval=1s CapBlockedMaxAge=6s; cat <<EOF2; } >"$VW_CONF"

[Segment edge]
Interface=edge0
Mode=block
MaxNewQuarantinesPerHour=1000000
QuarantineCapWindow=1h
OnStop=detach
EOF2
vw_daemon_start
vw_daemon_wait_ready 30 || { vw_not_ok "start: policy loaded"; vw_fatal; }
vw_ok "start: block mode, CapBlockedMaxAge=6s, AlertInterval=1s"

vw_check "real device: blocked (admitted under the cap)" dropped "$REAL"
# It keeps sending, a frame every 0.2 s, until told to stop.
# shellcheck disable=SC2016 # expanded by the inner sh
(exec ip netns exec "$(vw_ns fl)" sh -c 'while :; do "$0" fl0 "$1" 1; sleep 0.2; done' \
	"$SEND" "$(frame "$REAL")") >/dev/null 2>&1 &
sender=$!
vw_track_pid "$sender"
vw_check "status: reports the admission" wait_for 10 eval '[ "$(cap entries)" = 1 ]'

vw_diag "${SECONDS}s: flood"
vw_check "flood: 70,000 spoofed restricted MACs" vw_in fl "$GEN" "$GEN_OBJ" fl0 2 70000 0
vw_check "status: vw_cap_blocked nearly full is a degraded state" wait_for 15 full_degraded
vw_diag "${SECONDS}s: $(status | jq -c '{cap_blocked, degraded}')"
vw_check "journal: the degraded state is reported" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_DEGRADED" VW_DEGRADED=cap-blocked-full
vw_check "housekeeping: the quiet flood's admissions are forgotten" wait_for 40 entries_at_most 1
vw_diag "${SECONDS}s: $(status | jq -c '.cap_blocked')"
vw_check "housekeeping: 65,000+ forgotten" eval '[ "$(cap forgotten)" -ge 65000 ]'
vw_check "status: no longer degraded" wait_for 10 vw_not full_degraded
vw_is "housekeeping: the real device, admitted before the flood and still sending, keeps its admission" \
	"$(cap entries)" 1
vw_check "real device: still blocked" dropped "$REAL"

vw_diag "${SECONDS}s: the real device stops"
vw_stop_pid "$sender"
vw_untrack_pid "$sender"
vw_check "housekeeping: once quiet, the real device is forgotten too" wait_for 20 entries_at_most 0
vw_check "real device back: decided again and blocked" dropped "$REAL"
vw_check "status: admitted again" wait_for 10 eval '[ "$(cap entries)" = 1 ]'

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
