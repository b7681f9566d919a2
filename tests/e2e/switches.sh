#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Switch polling with SNMP against net-snmp's snmpd on the gateway's loopback, each agent on
# its own port serving a simulated switch's tables (tests/snmp/switch-tables.sh):
# sw1 is a normal switch whose forwarding database alone holds a Huawei MAC (reported with
# its port and its IP from the ARP table, a benign MAC is not) and whose LLDP table names a
# Huawei VRP neighbour with a locally administered MAC (identified by the fingerprint rules)
# and an H3C switch with a Huawei-era OUI (a look-alike claim: disputed, so its OUI verdict
# stays and the FDB finding is reported, as on a segment without LookAlikeClears=yes);
# sw2 stops answering (degraded, the others are still polled, the control socket answers,
# cleared when it answers again; removed by a reload that does not wait for it); sw3 returns a
# huge forwarding database (the poll stops at MaxRows= and says so); sw4 is polled with SNMPv3
# authPriv (SHA-256, AES) and finds a Hikvision MAC through ipNetToMediaTable. No credential
# appears anywhere: journal, output, status.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016,SC2034
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require jq snmpd awk
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
TABLES=$VW_REPO/tests/snmp/switch-tables.sh
SECRET=vw-e2e-community-$$
AUTH_SECRET=vw-e2e-auth-$$ PRIV_SECRET=vw-e2e-priv-$$
HK_MAC=44:47:cc:01:02:03      # Hikvision: only in sw4's forwarding database
HW_MAC=00:e0:fc:aa:bb:cc      # HUAWEI TECHNOLOGIES: only in sw1's forwarding database
BN_MAC=00:1b:21:0a:0b:0c      # Intel: benign, also there
LA_MAC=02:aa:bb:cc:dd:ee      # locally administered: an LLDP neighbour of sw1
H3C_MAC=00:e0:fc:0a:0b:0c     # Huawei-era OUI on an H3C switch, sw1's LLDP neighbour and in its FDB
ctl() { vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" "$@"; }

# agent NAME PORT TABLES_FILE [V3]: snmpd on 127.0.0.1:PORT in the gateway namespace, its tables
# from the pass_persist script, nothing read from /etc/snmp or written to /var/lib/snmp.
agent() {
	local dir=$VW_SCRATCH/snmp-$1 col
	mkdir -p "$dir"
	{
		if [ -n "${4:-}" ]; then
			echo "createUser vwuser SHA-256 \"$AUTH_SECRET\" AES \"$PRIV_SECRET\""
			echo "rouser vwuser priv"
		else
			echo "rocommunity $SECRET 127.0.0.1"
		fi
		for col in .1.3.6.1.2.1.17.4.3.1.2 .1.3.6.1.2.1.17.7.1.2.2.1.2 .1.3.6.1.2.1.17.1.4.1.2 \
			.1.3.6.1.2.1.31.1.1.1.1 .1.3.6.1.2.1.4.35.1.4 .1.3.6.1.2.1.4.22.1.2 \
			.1.0.8802.1.1.2.1.4.1.1; do
			echo "pass_persist -p 1 $col $TABLES $3"
		done
	} >"$dir/snmpd.conf"
	vw_in gw env MIBS= MIBDIRS=/nonexistent SNMP_PERSISTENT_DIR="$dir" \
		snmpd -f -C -c "$dir/snmpd.conf" -Lf "$dir/log" -p "$dir/pid" "udp:127.0.0.1:$2" \
		</dev/null >/dev/null 2>&1 &
	vw_track_pid "$!"
}
# agent_ready NAME: answering; AGENT[NAME] is snmpd's own pid (from its pid file).
declare -A AGENT=()
agent_ready() {
	grep -q 'NET-SNMP version' "$VW_SCRATCH/snmp-$1/log" 2>/dev/null &&
		[ -s "$VW_SCRATCH/snmp-$1/pid" ] && AGENT[$1]=$(cat "$VW_SCRATCH/snmp-$1/pid")
}
wait_for() { # wait_for TIMEOUT_S CMD...
	local t=$(($1 * 5))
	shift
	until "$@"; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || return 1
		sleep 0.2
	done
}
status() { ctl -j status; }
sw() { status | jq -r --arg n "$1" ".switches[] | select(.name == \$n) | .$2"; }

cat >"$VW_SCRATCH/sw1.tables" <<EOF2
.1.3.6.1.2.1.17.4.3.1.2.0.27.33.10.11.12 integer 1
.1.3.6.1.2.1.17.4.3.1.2.0.224.252.10.11.12 integer 1
.1.3.6.1.2.1.17.4.3.1.2.0.224.252.170.187.204 integer 3
.1.3.6.1.2.1.17.7.1.2.2.1.2.10.0.224.252.170.187.204 integer 3
.1.3.6.1.2.1.17.1.4.1.2.1 integer 11
.1.3.6.1.2.1.17.1.4.1.2.3 integer 13
.1.3.6.1.2.1.17.1.4.1.2.5 integer 15
.1.3.6.1.2.1.31.1.1.1.1.11 string Gi0/1
.1.3.6.1.2.1.31.1.1.1.1.13 string Gi0/3
.1.3.6.1.2.1.31.1.1.1.1.15 string Gi0/5
.1.3.6.1.2.1.4.35.1.4.13.1.4.10.9.0.33 octet 00 e0 fc aa bb cc
.1.3.6.1.2.1.4.22.1.2.13.10.9.0.34 octet 00 1b 21 0a 0b 0c
.1.0.8802.1.1.2.1.4.1.1.4.0.1.2 integer 4
.1.0.8802.1.1.2.1.4.1.1.5.0.1.2 octet 00 e0 fc 0a 0b 0c
.1.0.8802.1.1.2.1.4.1.1.10.0.1.2 string H3C Comware Platform Software, Software Version 7.1.045, Release 2418P06 H3C S5130-28S-EI Copyright (c) 2004-2017 New H3C Technologies Co., Ltd. All rights reserved.
.1.0.8802.1.1.2.1.4.1.1.4.0.5.1 integer 4
.1.0.8802.1.1.2.1.4.1.1.5.0.5.1 octet 02 aa bb cc dd ee
.1.0.8802.1.1.2.1.4.1.1.9.0.5.1 string core-sw-2
.1.0.8802.1.1.2.1.4.1.1.10.0.5.1 string Huawei Versatile Routing Platform Software VRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700) Copyright (C) 2012-2017 Huawei Technologies Co., Ltd. HUAWEI CE6870-48S6CQ-EI
EOF2
printf '.1.3.6.1.2.1.17.1.4.1.2.1 integer 11\n' >"$VW_SCRATCH/sw2.tables"
printf 'fdb-range 5000\n' >"$VW_SCRATCH/sw3.tables"
cat >"$VW_SCRATCH/sw4.tables" <<EOF2
.1.3.6.1.2.1.17.4.3.1.2.68.71.204.1.2.3 integer 7
.1.3.6.1.2.1.17.1.4.1.2.7 integer 17
.1.3.6.1.2.1.31.1.1.1.1.17 string Te1/0/7
.1.3.6.1.2.1.4.22.1.2.17.10.9.0.44 octet 44 47 cc 01 02 03
EOF2

vw_check "setup: gateway namespace" vw_lan_topology || vw_fatal
# net-snmp is loaded when a switch is configured (every poll below goes through it), never
# linked: a gateway without switches does not pay for it and OpenSSL at every start.
vw_check "vendorwalld links no net-snmp" eval '! readelf -d "$VW_BUILD/vendorwalld" | grep -q netsnmp'
# net-snmp creates /var/lib/snmp/cert_indexes whatever SNMP_PERSISTENT_DIR says: a tmpfs in
# our private mount namespace takes it, so nothing is left on the host.
if [ -d /var/lib/snmp ]; then
	vw_check "setup: a private /var/lib/snmp" mount -t tmpfs -o mode=0755,size=4m vw-snmp /var/lib/snmp ||
		vw_fatal
fi
agent sw1 16101 "$VW_SCRATCH/sw1.tables"
agent sw2 16102 "$VW_SCRATCH/sw2.tables"
agent sw3 16103 "$VW_SCRATCH/sw3.tables"
agent sw4 16104 "$VW_SCRATCH/sw4.tables" v3
vw_check "setup: four snmpd agents answer" \
	wait_for 10 eval 'agent_ready sw1 && agent_ready sw2 && agent_ready sw3 && agent_ready sw4' ||
	vw_fatal
for n in "${!AGENT[@]}"; do vw_track_pid "${AGENT[$n]}"; done
# sw2 stops answering: a stopped process keeps its socket, requests time out.
kill -STOP "${AGENT[sw2]}"
vw_on_cleanup "kill -CONT ${AGENT[sw2]} 2>/dev/null"

vw_daemon_config monitor
mkdir -p "$VW_CONF.d"
# The credentials go in a drop-in only root can read, as vendorwall.conf(5) asks.
switches_conf() { # switches_conf [NAME...]: the drop-in without switches NAME...
	(umask 077 && cat >"$VW_CONF.d/switches.conf") <<EOF2
[Switch sw1]
Address=127.0.0.1
Port=16101
Community=$SECRET
Interval=2s
Timeout=500ms
Retries=0

[Switch sw2]
Address=127.0.0.1
Port=16102
Community=$SECRET
Interval=2s
Timeout=500ms
Retries=0

[Switch sw3]
Address=127.0.0.1
Port=16103
Community=$SECRET
Interval=2s
Timeout=30s
Retries=0
MaxRows=500

[Switch sw4]
Address=127.0.0.1
Port=16104
Version=3
User=vwuser
AuthProtocol=SHA-256
AuthPassword=$AUTH_SECRET
PrivProtocol=AES
PrivPassword=$PRIV_SECRET
Interval=2s
Timeout=1s
Retries=0
EOF2
	local n
	for n in "$@"; do sed -i "/^\[Switch $n\]/,/^\$/d" "$VW_CONF.d/switches.conf"; done
}
switches_conf
vw_daemon_start
vw_daemon_wait_ready 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"

# -- sw1: the restricted MAC in its forwarding database, with port and IP
if vw_journal_wait 15 MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HW_MAC"; then
	vw_ok "sw1: $HW_MAC reported from the forwarding database"
else
	vw_not_ok "sw1: $HW_MAC reported from the forwarding database"
fi
m=(MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HW_MAC")
vw_is "sw1: VW_SWITCH" "$(vw_journal_field VW_SWITCH "${m[@]}")" sw1
vw_is "sw1: VW_PORT is the ifName of bridge port 3" "$(vw_journal_field VW_PORT "${m[@]}")" Gi0/3
vw_is "sw1: VW_IP from ipNetToPhysicalTable" "$(vw_journal_field VW_IP "${m[@]}")" 10.9.0.33
vw_is "sw1: VW_VENDOR" "$(vw_journal_field VW_VENDOR "${m[@]}")" huawei
vw_is "sw1: in both bridge tables, reported once" "$(vw_journal_count "${m[@]}")" 1
# -- sw1: the LLDP neighbour the fingerprint rules identify
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$LA_MAC"; then
	vw_ok "sw1: LLDP neighbour $LA_MAC (Huawei VRP sysDesc) reported"
else
	vw_not_ok "sw1: LLDP neighbour $LA_MAC (Huawei VRP sysDesc) reported"
fi
vw_is "sw1: LLDP neighbour's VW_PORT" \
	"$(vw_journal_field VW_PORT MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$LA_MAC")" Gi0/5
vw_is "sw1: LLDP neighbour's VW_SOURCE" \
	"$(vw_journal_field VW_SOURCE MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$LA_MAC")" lldp
vw_is "sw1: the benign MAC is not reported" \
	"$(vw_journal_count MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$BN_MAC")" 0
# Issue 9 §1: a look-alike claim does not lift an OUI verdict unless configured; the switch
# relays the claim, it does not confirm it.
vw_check "sw1: the H3C neighbour with a Huawei-era OUI in the FDB is reported (disputed, verdict kept)" \
	test "$(vw_journal_count MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$H3C_MAC")" -ge 1
dev=$(ctl -j device "$HW_MAC")
vw_is "vendorwallctl device: switch and port" "$(jq -r '.device | "\(.switch) \(.port)"' <<<"$dev")" "sw1 Gi0/3"
vw_is "vendorwallctl device: the address" "$(jq -r '.device.ipv4 | join(",")' <<<"$dev")" 10.9.0.33
vw_is "vendorwallctl device: recorded under segment switch:sw1" \
	"$(jq -r '.device.segments[0].name' <<<"$dev")" switch:sw1
vw_check "vendorwallctl devices: the SWITCH-PORT column" \
	eval 'ctl devices | grep -E "^$HW_MAC .* sw1 Gi0/3\$"'
# Its address becomes an IP verdict: what stops it when it is behind a router (inert for
# frames from any MAC that is not a router's).
ipdev=$(ctl -j device 10.9.0.33)
vw_is "sw1: its address is an IP verdict" \
	"$(jq -r '.ip_device | "\(.verdict) \(.vendor) \(.mac)"' <<<"$ipdev")" "restricted huawei $HW_MAC"
vw_is "sw1: the IP verdict's evidence names the switch and port" \
	"$(jq -r '.ip_device.evidence | split(": ")[0]' <<<"$ipdev")" "switch sw1 port Gi0/3"
vw_is "sw1: no IP verdict for the benign MAC" \
	"$(ctl -j devices | jq --arg b "$BN_MAC" \
		'[.ip_devices[] | select(.mac == $b)] | length')" 0

# -- sw4: SNMPv3 authPriv
if vw_journal_wait 10 MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HK_MAC"; then
	vw_ok "sw4 (SNMPv3 authPriv): $HK_MAC reported"
else
	vw_not_ok "sw4 (SNMPv3 authPriv): $HK_MAC reported"
fi
vw_is "sw4: switch, port and IP from ipNetToMediaTable" \
	"$(vw_journal_field VW_SWITCH MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HK_MAC") $(vw_journal_field VW_PORT MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HK_MAC") $(vw_journal_field VW_IP MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HK_MAC")" \
	"sw4 Te1/0/7 10.9.0.44"
vw_is "sw4: vendor" "$(vw_journal_field VW_VENDOR MESSAGE_ID="$VW_MID_SWITCH_FOUND" VW_MAC="$HK_MAC")" hikvision

# -- sw2: times out, degraded, while sw1 and sw3 are still polled
vw_check "sw2: a degraded entry while it does not answer" \
	wait_for 10 eval 'status | jq -e ".degraded | any(startswith(\"switch:sw2: \"))"'
vw_is "sw2: state in status" "$(sw sw2 state)" not-answering
polled=$(sw sw1 last_poll)
vw_check "sw1: polled again while sw2 hangs" wait_for 10 eval '[ "$(sw sw1 last_poll)" -gt "$polled" ]'
vw_check "control socket: status answers within a second while sw2 hangs" \
	timeout 1 "$CTL" --socket "$VW_SCRATCH/run/control" status
# -- sw3: the huge table is truncated and said so
vw_check "sw3: polled, truncated" wait_for 15 eval '[ "$(sw sw3 truncated)" = true ]'
rows=$(sw sw3 rows)
vw_check "sw3: at most MaxRows=500 rows taken ($rows)" eval '[ "$rows" -le 500 ] && [ "$rows" -gt 0 ]'
vw_check "sw3: a degraded entry says the table was truncated" \
	eval 'status | jq -e ".degraded | any(startswith(\"switch-table:sw3: \") and contains(\"MaxRows=500\"))"'
vw_check "vendorwallctl status: the switch table" eval 'ctl status | grep -E "^sw3 +127.0.0.1 +16103 .* yes"'

# -- sw2 answers again: the degraded entry goes
kill -CONT "${AGENT[sw2]}"
vw_check "sw2: cleared when it answers again" \
	vw_journal_wait 15 VW_DEGRADED_CLEARED=switch:sw2
vw_is "sw2: state in status" "$(sw sw2 state)" ok

# -- no credential is ever shown
secrets="$SECRET|$AUTH_SECRET|$PRIV_SECRET"
vw_is "secrets: not in status" "$(status | grep -cE -- "$secrets")" 0
vw_is "secrets: not in the journal" "$(vw_journal -o export | grep -cE -- "$secrets")" 0
vw_is "secrets: not in the daemon's output" "$(grep -cE -- "$secrets" "$VW_DAEMON_LOG")" 0

# -- a community string in a file every user can read is refused, nothing running is lost
chmod 0644 "$VW_CONF.d/switches.conf"
reload_out=$(ctl reload 2>&1)
vw_diag "$reload_out"
vw_check "reload: refused for a world-readable secret, naming file and line" \
	eval 'grep -q "switches.conf:4: Community= is a secret but this file is readable by every user" <<<"$reload_out"'
vw_is "reload: the switches are still polled" "$(sw sw1 state)" ok
chmod 0600 "$VW_CONF.d/switches.conf"

# -- sw2 hangs again, sw3 is in the middle of a request with 30 s to go; both are removed:
# the reload does not wait for their workers
kill -STOP "${AGENT[sw2]}" "${AGENT[sw3]}"
vw_on_cleanup "kill -CONT ${AGENT[sw3]} 2>/dev/null"
vw_check "sw2: degraded again" \
	wait_for 10 eval 'status | jq -e ".degraded | any(startswith(\"switch:sw2: \"))"'
recvq() { vw_in gw ss -Hnu state all "sport = :16103" | awk '$2 > 0 { f = 1 } END { exit !f }'; }
vw_check "sw3: a request waits unread in its agent's socket" wait_for 10 recvq
switches_conf sw2 sw3
t0=$(date +%s)
vw_check "reload without sw2 and sw3" timeout 20 "$CTL" --socket "$VW_SCRATCH/run/control" reload
vw_check "reload: done before sw3's request times out ($(($(date +%s) - t0)) s)" \
	eval '[ $(($(date +%s) - t0)) -le 15 ]'
vw_is "reload: switches now" "$(status | jq -r '[.switches[].name] | join(" ")')" "sw1 sw4"
vw_is "reload: sw2's degraded entry went with it" \
	"$(status | jq -r '[.degraded[] | select(startswith("switch:sw2"))] | length')" 0
polled=$(sw sw1 last_poll)
vw_check "reload: sw1 is polled on" wait_for 10 eval '[ "$(sw sw1 last_poll)" -gt "$polled" ]'

# -- exit does not wait out sw3's request either
t0=$(date +%s)
vw_check "stop: daemon exits cleanly" vw_daemon_stop 20
vw_check "stop: within 8 s although sw3's request has 30 s to go ($(($(date +%s) - t0)) s)" \
	eval '[ $(($(date +%s) - t0)) -le 8 ]'
vw_check "stop: says a poller was not waited for" \
	grep -q "1 switch poller(s) still waiting for an answer at exit" "$VW_DAEMON_LOG"
vw_done
