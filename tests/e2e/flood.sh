#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Bounded under flood: for FLOOD_SECONDS (default 60) a flood of frames from >= 1,000,000
# distinct spoofed restricted MACs (one in 8 an LLDP frame, which the data plane samples),
# generated in the kernel by tests/helpers/flood-gen (BPF_PROG_TEST_RUN with live frames,
# XDP_TX to a veth peer), hits segment "edge" of the gateway. Meanwhile a real Huawei device
# on segment "lan" stays blocked, a second one that appears during the flood is blocked and
# reported, `vendorwallctl status` answers every call, the daemon's RSS and the number of
# journal entries stay bounded, and the watchdog is pinged in time (WATCHDOG_USEC=2 s).
# Figures, not assertions (they are wall time, the machine's load shows in them): status
# p50/p99/max and calls over 100 ms, the RSS peak, the journal entries, the load average.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
GEN=$VW_BUILD/tests/helpers/flood-gen
GEN_OBJ=$VW_BUILD/tests/helpers/vw_flood.bpf.o
for f in "$CTL" "$GEN" "$GEN_OBJ" "$VW_BUILD/tests/helpers/notify-listen"; do
	[ -e "$f" ] || vw_skip_all "$f not built"
done

FLOOD_SECONDS=${FLOOD_SECONDS:-60}
DISTINCT=2000000           # source MACs the generator cycles through
MIN_DISTINCT=1000000
RSS_BOUND_KB=$((256 * 1024))
JOURNAL_BOUND=1000         # vendorwalld's entries during the flood
WATCHDOG_USEC=2000000
SOCK=$VW_SCRATCH/run/control
NOTIFY_SOCK=$VW_SCRATCH/notify.sock
NOTIFY_LOG=$VW_SCRATCH/notify.log
LATE_MAC=00:e0:fc:5a:5a:01  # the real device that appears during the flood
late_pid=

# the socket is a path on our private /run: no need to enter the gateway's namespace
ctl() { "$CTL" --socket "$SOCK" "$@"; }
# bash's own clock in µs: a `date` subprocess would add its fork and exec to every figure
ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }
blocked_entry() { vw_journal_count MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$1"; }

# what status costs before it even connects: the light link loads no heavy library (full.c)
light_link() {
	local heavy
	heavy=$(readelf -d "$CTL" | grep -E 'NEEDED.*(libhs|libpcap|libcurl|libsqlite3|libbpf)\.')
	[ -z "$heavy" ] || { vw_diag "$heavy"; return 1; }
}
vw_check "vendorwallctl: a control command loads no Hyperscan, libpcap, libcurl, SQLite, libbpf" \
	light_link
vw_check "journal: private journald round trip" vw_journal_selftest || vw_fatal
vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_check "setup: flood namespace on the gateway's edge0" vw_edge_topology || vw_fatal

vw_daemon_config block
cat >>"$VW_CONF" <<EOF

[Segment edge]
Interface=edge0
Mode=block
OnStop=detach
EOF
"$VW_BUILD/tests/helpers/notify-listen" -t "$NOTIFY_SOCK" $((FLOOD_SECONDS + 120)) >"$NOTIFY_LOG" &
vw_track_pid $!
for _ in $(seq 50); do [ -S "$NOTIFY_SOCK" ] && break; sleep 0.05; done
NOTIFY_SOCKET=$NOTIFY_SOCK WATCHDOG_USEC=$WATCHDOG_USEC vw_daemon_start
vw_daemon_wait_ready 30 || { vw_not_ok "start: policy loaded"; vw_fatal; }
vw_ok "start: policy loaded, block mode on lan and edge"

# ---- before the flood: the real device is blocked and reported
vw_check "before: huawei device cannot reach the gateway" vw_not vw_ping hw "$VW_GW_IP"
vw_check "before: benign device reaches the gateway" vw_ping bn "$VW_GW_IP"
vw_check "before: huawei device reported as blocked" vw_journal_wait 10 \
	MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$VW_HW_MAC"

# ---- the flood
before=$(vw_journal_count SYSLOG_IDENTIFIER=vendorwalld)
vw_in fl "$GEN" "$GEN_OBJ" fl0 "$FLOOD_SECONDS" "$DISTINCT" 8 >"$VW_SCRATCH/gen.out" \
	2>"$VW_SCRATCH/gen.err" &
gen_pid=$!
vw_track_pid "$gen_pid"
# the real device pings all along; each reply would be a frame let through
vw_in hw ping -n -q -i 0.2 -W 1 -w "$((FLOOD_SECONDS + 2))" "$VW_GW_IP" >"$VW_SCRATCH/hw.ping" 2>&1 &
ping_pid=$!
vw_track_pid "$ping_pid"

# the daemon's CPU time (user + system, clock ticks): fields 14 and 15, the name skipped
cpu_ticks() {
	local s f
	s=$(cat "/proc/$VW_DAEMON_PID/stat") || return 1
	read -ra f <<<"${s##*) }"
	echo $((f[11] + f[12]))
}
cpu_before=$(cpu_ticks)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
times=() failures=0 calls=0 rss_peak=0 throttled_seen=0 late_started=0 late_at=
start=$(ms)
while kill -0 "$gen_pid" 2>/dev/null; do
	t0=${EPOCHREALTIME/./}
	if ctl status >"$VW_SCRATCH/status.out" 2>&1; then
		t1=${EPOCHREALTIME/./}
		times+=($(((10#$t1 - 10#$t0) / 1000)))
		grep -q 'throttled' "$VW_SCRATCH/status.out" && throttled_seen=1
	else
		failures=$((failures + 1))
		cp "$VW_SCRATCH/status.out" "$VW_SCRATCH/status.failed"
	fi
	calls=$((calls + 1))
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$VW_DAEMON_PID/status" 2>/dev/null)
	[ -z "$rss" ] || [ "$rss" -le "$rss_peak" ] || rss_peak=$rss
	# a second real device appears a third into the flood
	if [ "$late_started" -eq 0 ] && [ $(($(ms) - start)) -ge $((FLOOD_SECONDS * 333)) ]; then
		vw_set_mac bn "$LATE_MAC" "$VW_BN_IP"
		vw_in bn ping -n -q -i 0.1 -W 1 -w "$((FLOOD_SECONDS - FLOOD_SECONDS / 3 + 3))" \
			"$VW_GW_IP" >"$VW_SCRATCH/late.ping" 2>&1 &
		late_pid=$!
		vw_track_pid "$late_pid"
		late_started=1
	fi
	if [ "$late_started" -eq 1 ] && [ -z "$late_at" ] && [ $((calls % 10)) -eq 0 ] &&
		[ "$(blocked_entry "$LATE_MAC")" -gt 0 ]; then
		late_at=$(($(ms) - start))
	fi
	sleep 0.1
done
wait "$gen_pid"
gen_rc=$?
flood_ms=$(($(ms) - start))
cpu_after=$(cpu_ticks)
cpu_ms=$(((${cpu_after:-0} - ${cpu_before:-0}) * 1000 / $(getconf CLK_TCK)))
after=$(vw_journal_count SYSLOG_IDENTIFIER=vendorwalld)
entries=$((after - before))

read -r _ sent _ mgmt _ distinct _ gen_s <"$VW_SCRATCH/gen.out" 2>/dev/null
vw_is "flood: generator ran to its end" "$gen_rc" 0 ||
	vw_diag "$(cat "$VW_SCRATCH/gen.err")"
vw_diag "frames sent: ${sent:-0} (${mgmt:-0} LLDP) in ${gen_s:-?} s, distinct source MACs: ${distinct:-0}"
vw_check "flood: at least $MIN_DISTINCT distinct spoofed MACs" test "${distinct:-0}" -ge "$MIN_DISTINCT"

# ---- what held during the flood
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
n=${#times[@]}
if [ "$n" -gt 0 ]; then
	p50=$(echo "$sorted" | sed -n "$(((n + 1) / 2))p")
	p99=$(echo "$sorted" | sed -n "$(((n * 99 + 99) / 100))p")
	max=$(echo "$sorted" | tail -n 1)
	slow=$(echo "$sorted" | awk '$1 > 100' | wc -l)
	vw_diag "status during the flood ($((flood_ms / 1000)) s): $calls calls, p50 ${p50} ms, p99 ${p99} ms, max ${max} ms, $slow over 100 ms"
fi
idle=()
for _ in 1 2 3 4 5; do
	t0=${EPOCHREALTIME/./}
	ctl status >/dev/null 2>&1
	t1=${EPOCHREALTIME/./}
	idle+=($(((10#$t1 - 10#$t0) / 1000)))
done
vw_diag "status after the flood: ${idle[*]} ms"
# CPU time of vendorwallctl status itself (its children's times, as the subshell's `times` says)
status_cpu() {
	local u s
	# the loop and `times` in one subshell: its children are the ten calls
	read -r u s < <( (for _ in $(seq 10); do ctl status >/dev/null 2>&1; done; times) | tail -n 1)
	u=${u#*m} s=${s#*m}
	awk -v u="${u%s}" -v s="${s%s}" 'BEGIN { printf "%.1f", (u + s) * 100 }'
}
vw_diag "status: $(status_cpu) ms of CPU per call (user + system, mean of 10 after the flood)"
# the figures are wall time: other work on the machine shows in them
vw_diag "load average at the flood's start: $load_before, at its end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
vw_diag "daemon CPU during the flood: $cpu_ms ms in $flood_ms ms ($((cpu_ms * 100 / flood_ms)) % of a CPU)"
vw_is "status: every call during the flood answered ($calls calls)" "$failures" 0 ||
	vw_diag "$(cat "$VW_SCRATCH/status.failed" 2>/dev/null)"
# the machine may be loaded (a call took 1 s at a load average of 36): a floor, not a rate
vw_check "status: called all through the flood (at least 5 calls)" test "$calls" -ge 5
vw_is "status: throttling shown as a degraded state" "$throttled_seen" 1
vw_diag "daemon RSS peak: $rss_peak kB"
vw_check "rss: peak below $((RSS_BOUND_KB / 1024)) MiB" test "$rss_peak" -gt 0 -a "$rss_peak" -lt "$RSS_BOUND_KB"
vw_diag "journal entries from vendorwalld during the flood: $entries"
vw_check "journal: at most $JOURNAL_BOUND entries during the flood" test "$entries" -le "$JOURNAL_BOUND" ||
	vw_diag "by MESSAGE_ID (and MESSAGE without one):" "$(vw_journal -o json SYSLOG_IDENTIFIER=vendorwalld |
		jq -r '.MESSAGE_ID // (.MESSAGE | .[0:60])' | sort | uniq -c | sort -rn | head -n 8)"
vw_check "journal: alerts summed up under flood" vw_journal_wait 15 \
	MESSAGE_ID="$VW_MID_ALERTS_SUMMARY" VW_SEGMENT=edge
vw_check "journal: throttling reported as degraded" \
	vw_journal_wait 1 MESSAGE_ID="$VW_MID_DEGRADED" VW_DEGRADED=throttled ||
	vw_diag "$(vw_journal MESSAGE_ID="$VW_MID_DEGRADED")"
vw_check "daemon: still running" vw_daemon_alive

# watchdog: the longest gap between two pings, and from the last one to the end of the flood
watchdog_gap() {
	awk -v limit="$WATCHDOG_USEC" '$2 == "WATCHDOG=1" {
		if (prev && ($1 - prev) * 1e6 > max) max = ($1 - prev) * 1e6; prev = $1; n++ }
		END { printf "%d pings, longest gap %.0f ms\n", n, max / 1000; exit !(n > 1 && max < limit) }' \
		"$NOTIFY_LOG"
}
vw_check "watchdog: pinged all along, never a gap of WATCHDOG_USEC" watchdog_gap
vw_diag "$(watchdog_gap)"

wait "$ping_pid"
hw_rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$VW_SCRATCH/hw.ping")
vw_is "real device: blocked through the flood (echo replies)" "${hw_rx:-?}" 0 ||
	vw_diag "$(cat "$VW_SCRATCH/hw.ping")"
if [ -n "$late_at" ]; then
	vw_ok "real device appearing during the flood: reported as blocked after $late_at ms"
elif vw_journal_wait 20 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$LATE_MAC"; then
	vw_ok "real device appearing during the flood: reported as blocked, once the flood ended"
else
	vw_not_ok "real device appearing during the flood: reported as blocked"
fi
[ -z "$late_pid" ] || wait "$late_pid"
late_rx=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$VW_SCRATCH/late.ping" 2>/dev/null)
vw_is "real device appearing during the flood: no echo reply" "${late_rx:-0}" 0

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
