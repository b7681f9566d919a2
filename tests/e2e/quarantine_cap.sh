#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The quarantine cap under attack (MaxNewQuarantinesPerHour=2, QuarantineCapWindow=30s): a real
# restricted device is blocked, spoofed restricted MACs drain the cap and are capped (passed,
# monitored), then a flood of spoofed MACs (which used to evict the blocked device's decision
# from an LRU, so it was decided again, capped, and let through) must not unblock it; when the
# window ends the cap is back: a device capped before is decided again and blocked, and the
# window's budget applies again.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require bpftool jq
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
SEND=$VW_BUILD/tests/helpers/send-frame
GEN=$VW_BUILD/tests/helpers/flood-gen
GEN_OBJ=$VW_BUILD/tests/helpers/vw_flood.bpf.o
for f in "$SEND" "$GEN" "$GEN_OBJ"; do [ -e "$f" ] || vw_skip_all "$f not built"; done

WINDOW=30
REAL=00:e0:fc:12:34:56
spoof() { printf '00:e0:fc:a0:a0:%02x' "$1"; }

# send MAC [COUNT]: COUNT frames of an experimental EtherType from MAC into edge0.
send() {
	vw_in fl "$SEND" fl0 "02767700000f${1//:/}88b5$(printf '00%.0s' $(seq 46))" "${2:-1}"
}

# counter NAME: segment edge's counter (slot 1, the only segment), summed over CPUs.
counter() { vw_counter 1 "$1"; }

# outcome MAC: sends one frame from MAC and says what happened to it: dropped or capped.
outcome() {
	local d c d2 c2
	d=$(counter dropped) c=$(counter capped)
	send "$1" || return 1
	d2=$(counter dropped) c2=$(counter capped)
	if [ "$d2" -gt "$d" ] && [ "$c2" -eq "$c" ]; then echo dropped
	elif [ "$c2" -gt "$c" ] && [ "$d2" -eq "$d" ]; then echo capped
	else echo "unclear (dropped $d -> $d2, capped $c -> $c2)"; fi
}

vw_check "setup: gateway and attacker namespaces" vw_edge_topology || vw_fatal
{ vw_daemon_section; cat <<EOF; } >"$VW_CONF"

[Segment edge]
Interface=edge0
Mode=block
MaxNewQuarantinesPerHour=2
QuarantineCapWindow=${WINDOW}s
OnStop=detach
EOF
vw_daemon_start
vw_daemon_wait_ready 30 || { vw_not_ok "start: policy loaded"; vw_fatal; }
vw_ok "start: block mode, cap of 2 new devices per ${WINDOW} s"

start=$(date +%s)
vw_is "cap: the real device is blocked (1 of 2)" "$(outcome "$REAL")" dropped
vw_is "cap: spoofed MAC 1 is blocked (2 of 2)" "$(outcome "$(spoof 1)")" dropped
vw_is "cap: spoofed MAC 2 is over the cap" "$(outcome "$(spoof 2)")" capped
vw_is "cap: spoofed MAC 3 is over the cap" "$(outcome "$(spoof 3)")" capped
vw_is "cap: the real device stays blocked" "$(outcome "$REAL")" dropped
vw_check "cap: quarantine-cap entry in the journal" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_QUARANTINE_CAP" VW_SEGMENT=edge

# 300,000 spoofed MACs in a few seconds: more than the 65,536 (MAC, segment) entries an LRU holds
vw_check "flood: 300,000 spoofed MACs while the cap is full" \
	vw_in fl "$GEN" "$GEN_OBJ" fl0 3 300000 0
# frames still queued on the veth are counted a moment later: wait until the count stands
quiet() {
	local a b
	a=$(counter capped)
	for _ in $(seq 50); do sleep 0.2; b=$(counter capped); [ "$a" != "$b" ] || return 0; a=$b; done
	return 1
}
vw_check "flood: over (the capped count stands)" quiet
vw_is "flood: the real device is still blocked afterwards" "$(outcome "$REAL")" dropped
vw_is "flood: spoofed MAC 1, admitted before, still blocked" "$(outcome "$(spoof 1)")" dropped
used=$(($(date +%s) - start))
[ "$used" -lt "$WINDOW" ] ||
	vw_diag "the steps above took $used s, longer than the window: their outcomes are not the cap's"

# The window ends: spoofed MAC 2, capped in the old window, is decided again and blocked.
again=
for _ in $(seq $(((WINDOW + 20) * 2))); do
	o=$(outcome "$(spoof 2)")
	[ "$o" = capped ] || { again=$o; break; }
	sleep 0.5
done
vw_is "window: spoofed MAC 2 decided again and blocked once the window ended" "$again" dropped
vw_diag "after $(($(date +%s) - start)) s (window ${WINDOW} s)"
vw_is "window: the new window's budget is back (spoofed MAC 3 blocked, 2 of 2)" \
	"$(outcome "$(spoof 3)")" dropped
vw_is "window: and used up again (spoofed MAC 4 over the cap)" "$(outcome "$(spoof 4)")" capped
vw_is "window: the real device is still blocked" "$(outcome "$REAL")" dropped

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
