#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# End to end: alerts and counters leave the gateway. A detected alert travels from the
# gateway's (private) journal through systemd-journal-upload to a systemd-journal-remote
# collector on 127.0.0.1 over HTTPS with certificates from a CA this test makes, and arrives
# with MESSAGE_ID, PRIORITY and every VW_ field intact; a collector whose certificate is not
# from the trusted CA is refused. `vendorwallctl stats --openmetrics`
# against the running daemon passes a strict OpenMetrics text parser, counts the alert's
# frames, and --output replaces its file atomically.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
JREMOTE=/lib/systemd/systemd-journal-remote
JUPLOAD=/lib/systemd/systemd-journal-upload
vw_require ping openssl jq ss "$JREMOTE" "$JUPLOAD"
CTL=$VW_BUILD/vendorwallctl
[ -x "$VW_DAEMON" ] && [ -x "$CTL" ] || vw_skip_all "vendorwalld/vendorwallctl not built"
SOCK=$VW_SCRATCH/run/control
PKI=$VW_SCRATCH/pki
COLLECTOR=$VW_SCRATCH/collector

ctl() { vw_in gw "$CTL" --socket "$SOCK" "$@"; }

# cert NAME: a key and a certificate for 127.0.0.1 signed by the test CA.
cert() {
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$PKI/$1.key" \
		-out "$PKI/$1.csr" 2>/dev/null &&
		openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
			-CAcreateserial -days 1 -extfile "$PKI/ext" -out "$PKI/$1.pem" 2>/dev/null
}
make_pki() {
	mkdir -p "$PKI" &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=vw test CA" \
			-keyout "$PKI/ca.key" -out "$PKI/ca.pem" 2>/dev/null &&
		printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$PKI/ext" &&
		cert collector && cert gateway &&
		openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=other CA" \
			-keyout "$PKI/other.key" -out "$PKI/other.pem" 2>/dev/null
}

# Debian 12 builds systemd-journal-remote without GnuTLS, so it cannot check client
# certificates (--trust): the collector side is TLS with its own certificate; the gateway
# (journal-upload, libcurl) does verify the collector against the CA.

# A port nobody listens on (journal-remote cannot report an ephemeral one).
free_port() {
	local p
	for p in $(shuf -i 20000-60000 -n 50); do
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}

collector_start() {
	PORT=$(free_port) || return 1
	mkdir -p "$COLLECTOR"
	"$JREMOTE" --listen-https="127.0.0.1:$PORT" --key="$PKI/collector.key" \
		--cert="$PKI/collector.pem" --output="$COLLECTOR/gateways.journal" \
		--split-mode=none >"$VW_SCRATCH/journal-remote.log" 2>&1 </dev/null &
	JREMOTE_PID=$!
	vw_track_pid "$JREMOTE_PID"
	local i
	for i in $(seq 100); do
		ss -Htln "sport = :$PORT" | grep -q . && return 0
		kill -0 "$JREMOTE_PID" 2>/dev/null || break
		sleep 0.05
	done
	: "$i"
	cat "$VW_SCRATCH/journal-remote.log"
	return 1
}

upload() {
	timeout 60 "$JUPLOAD" --url="https://127.0.0.1:$PORT" --key="$PKI/gateway.key" \
		--cert="$PKI/gateway.pem" --trust="$PKI/ca.pem" --directory="$VW_JOURNAL_DIR" \
		--save-state="$VW_SCRATCH/upload.state" --follow=no
}

# vw_fields JOURNALCTL_ARGS...: MESSAGE_ID, PRIORITY and the VW_ fields of the first
# matching entry, as sorted JSON.
vw_fields() {
	journalctl --no-pager -q -o json "$@" | head -n 1 |
		jq -S 'with_entries(select(.key | startswith("VW_") or . == "MESSAGE_ID" or
			. == "PRIORITY" or . == "MESSAGE"))'
}

# om_strict FILE: the OpenMetrics text rules this exporter relies on. Every family is
# declared once by TYPE before its HELP and samples; sample names are FAMILY_total with
# quoted, correctly escaped labels and a non-negative integer; "# EOF" ends the text.
om_strict() {
	awk '
	function bad(m) { printf "line %d: %s: %s\n", NR, m, $0; err = 1; exit 1 }
	eof { bad("text after # EOF") }
	/^# EOF$/ { eof = 1; next }
	/^# TYPE / {
		if (NF != 4 || $4 != "counter") bad("TYPE must be \"# TYPE name counter\"")
		if ($3 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*$/) bad("bad metric name")
		if ($3 in seen) bad("family declared twice")
		seen[$3] = 1; fam = $3; help = 0; next
	}
	/^# HELP / {
		if ($3 != fam || help) bad("HELP not right after its TYPE"); help = 1; next
	}
	/^#/ { bad("unknown comment") }
	{
		lab = "[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""
		re = "^" fam "_total\\{" lab "(," lab ")*\\} (0|[1-9][0-9]*)$"
		if (fam == "" || $0 !~ re) bad("sample does not belong to " fam " or is malformed")
		samples++
	}
	END { if (err) exit 1; if (!eof) { print "no # EOF"; exit 1 } if (!samples) { print "no samples"; exit 1 } }
	' "$1"
}

vw_check "journal: private journald round trip" vw_journal_selftest || vw_fatal
vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_check "setup: test CA, collector and gateway certificates" make_pki || vw_fatal
vw_daemon_config monitor
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_check "traffic: huawei device -> gateway (monitor passes it)" vw_ping hw "$VW_GW_IP"
detected="MESSAGE_ID=$VW_MID_DETECTED VW_MAC=$VW_HW_MAC"
# shellcheck disable=SC2086 # a list of matches
vw_check "gateway journal: detected alert for $VW_HW_MAC" vw_journal_wait 10 $detected || vw_fatal

# ---- OpenMetrics
ctl stats --openmetrics >"$VW_SCRATCH/stats.om"
vw_is "openmetrics: exit 0" "$?" 0
vw_check "openmetrics: strict parse" om_strict "$VW_SCRATCH/stats.om"
vw_check "openmetrics: restricted frames by reason oui counted on lan" \
	grep -Eq '^vendorwall_frames_total\{segment="lan",reason="oui"\} [1-9][0-9]*$' "$VW_SCRATCH/stats.om"
vw_check "openmetrics: would_drop outcome counted on lan" \
	grep -Eq '^vendorwall_restricted_frames_total\{segment="lan",outcome="would_drop"\} [1-9][0-9]*$' \
	"$VW_SCRATCH/stats.om"
mkdir -p "$VW_SCRATCH/textfile"
echo stale >"$VW_SCRATCH/textfile/vendorwall.prom"
vw_check "openmetrics --output: exit 0" ctl stats --openmetrics --output "$VW_SCRATCH/textfile/vendorwall.prom"
vw_check "openmetrics --output: file replaced and strict" om_strict "$VW_SCRATCH/textfile/vendorwall.prom"
vw_check "openmetrics --output: no temporary file left" vw_not test -e "$VW_SCRATCH/textfile/vendorwall.prom.tmp"
vw_is "openmetrics on another command: usage error" "$(ctl status --openmetrics >/dev/null 2>&1; echo $?)" 2

# ---- journal upload to the collector
vw_check "collector: systemd-journal-remote listens on 127.0.0.1 (HTTPS)" collector_start || vw_fatal
vw_check "upload: systemd-journal-upload sends the gateway journal" upload
# shellcheck disable=SC2086
local_alert=$(vw_fields -D "$VW_JOURNAL_DIR" $detected)
# shellcheck disable=SC2086
remote_alert=$(vw_fields -D "$COLLECTOR" $detected)
vw_check "collector: the alert arrived" test -n "$remote_alert"
vw_check "collector: the alert carries VW_ fields" jq -e '.VW_VENDOR == "huawei" and (keys | map(select(startswith("VW_"))) | length) >= 5' <<<"$remote_alert"
vw_is "collector: MESSAGE_ID, PRIORITY, MESSAGE and every VW_ field intact" "$remote_alert" "$local_alert"
# shellcheck disable=SC2086
vw_is "collector: as many detected alerts as the gateway has" \
	"$(journalctl -D "$COLLECTOR" -q -o json $detected | grep -c '^{')" \
	"$(vw_journal_count $detected)"
vw_check "upload: an untrusted collector is refused" vw_not timeout 60 "$JUPLOAD" \
	--url="https://127.0.0.1:$PORT" --key="$PKI/gateway.key" --cert="$PKI/gateway.pem" \
	--trust="$PKI/other.pem" --directory="$VW_JOURNAL_DIR" \
	--save-state="$VW_SCRATCH/upload2.state" --follow=no

vw_check "stop: daemon exits 0" vw_daemon_stop 10
vw_done
