#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# End to end: the registry updater fetches IEEE CSVs over HTTPS from a server on 127.0.0.1
# (certificate from a CA this test makes), validates them and swaps them in; the daemon
# reloads and enforces a Huawei block that only the new registry has, names the registry in
# `status` and drops stale-registry. A truncated file, an HTML error page and a file without
# Huawei blocks are each rejected with the registry in use kept; `registry import` does the
# same from files carried in.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
# shellcheck source=SCRIPTDIR/../lib/pki.sh
. "$(dirname "$0")/../lib/pki.sh"
vw_harness_init "$@"
vw_require ping openssl jq
CTL=$VW_BUILD/vendorwallctl
[ -x "$VW_DAEMON" ] && [ -x "$CTL" ] || vw_skip_all "vendorwalld/vendorwallctl not built"
SOCK=$VW_SCRATCH/run/control
FLOOR=/usr/share/ieee-data
[ -r "$FLOOR/oui.csv" ] || vw_skip_all "$FLOOR/oui.csv missing (make deps)"
NEW_OUI=0CFFEE                  # unassigned in Debian's ieee-data of 2022
NEW_MAC=0c:ff:ee:12:34:56
STATE=$VW_SCRATCH/state
SRV=$VW_SCRATCH/www
PKI=$VW_SCRATCH/pki

ctl() { vw_in gw "$CTL" --socket "$SOCK" "$@"; }
# fetch FILE...: `registry fetch` of files under $SRV, from the host's loopback.
fetch() {
	local urls=() f
	for f in "$@"; do urls+=("https://127.0.0.1:$PORT/$f"); done
	"$CTL" registry fetch --config "$VW_CONF" --socket "$SOCK" --cacert "$PKI/ca.pem" "${urls[@]}"
}
in_use() { readlink "$STATE/registry"; }

# serve: openssl's static HTTPS server on an ephemeral loopback port; waits for ACCEPT.
serve() {
	(cd "$SRV" && exec openssl s_server -WWW -accept 127.0.0.1:0 \
		-cert "$PKI/srv.pem" -key "$PKI/srv.key") >"$VW_SCRATCH/s_server.log" 2>&1 </dev/null &
	SRV_PID=$!
	vw_track_pid "$SRV_PID"
	local i
	for i in $(seq 100); do
		PORT=$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$VW_SCRATCH/s_server.log")
		[ -n "$PORT" ] && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.05
	done
	: "$i"
	return 1
}

# The served files: a registry with one new Huawei MA-L, and three broken variants.
make_files() {
	mkdir -p "$SRV/good" "$SRV/cut" "$SRV/html" "$SRV/nohw" "$VW_SCRATCH/carried" &&
		{ cat "$FLOOR/oui.csv"
		  printf 'MA-L,%s,"HUAWEI TECHNOLOGIES CO.,LTD","Bantian, Longgang District Shenzhen  CN 518129 "\r\n' "$NEW_OUI"
		} >"$SRV/good/oui.csv" &&
		head -c $(($(stat -c %s "$SRV/good/oui.csv") / 2)) "$SRV/good/oui.csv" >"$SRV/cut/oui.csv" &&
		printf '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>\n<body>Try again later</body></html>\n' \
			>"$SRV/html/oui.csv" &&
		grep -vi huawei "$SRV/good/oui.csv" >"$SRV/nohw/oui.csv" &&
		cp "$SRV/good/oui.csv" "$VW_SCRATCH/carried/oui.csv" &&
		{ cat "$FLOOR/mam.csv"; printf 'MA-M,0CFFEF1,Example Benign Ltd,Somewhere\r\n'; } \
			>"$VW_SCRATCH/carried/mam.csv"
}

vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_check "setup: test CA and a server certificate for 127.0.0.1" vw_make_pki "$PKI" || vw_fatal
vw_check "setup: served registry files" make_files || vw_fatal
vw_check "setup: HTTPS server on 127.0.0.1" serve || vw_fatal
vw_check "setup: $NEW_OUI is not in $FLOOR" vw_not grep -q "^MA-L,$NEW_OUI," "$FLOOR/oui.csv"
vw_check "setup: huawei device moved into the new block ($NEW_MAC)" vw_set_mac hw "$NEW_MAC" "$VW_HW_IP"

vw_daemon_config block
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_is "status: registry in use is the floor" "$(ctl -j status | jq -r .registry_path)" "$FLOOR"
vw_check "status: the 2022 floor is stale" \
	sh -c "$(printf '%q ' "$CTL") --socket $SOCK -j status | jq -e '.degraded | map(select(startswith(\"stale-registry\"))) | length == 1'"
vw_check "before: device in the new block $NEW_MAC reaches the gateway" vw_ping hw "$VW_GW_IP"

# ---- a good update
out=$(fetch good/oui.csv 2>&1)
vw_is "fetch good: exit 0" "$?" 0 || vw_diag "$out"
vw_check "fetch good: state/registry points to a version" test -f "$STATE/registry/oui.csv"
good=$(in_use)
vw_check "fetch good: the new block is in the copy in use" grep -q "^MA-L,$NEW_OUI," "$STATE/registry/oui.csv"
vw_check "fetch good: mam.csv, oui36.csv, iab.csv carried over" \
	cmp -s "$STATE/registry/iab.csv" "$FLOOR/iab.csv"
vw_check "fetch good: no staging directory left" vw_not test -e "$STATE/registry.new"
vw_is "status: registry in use is the updated one" "$(ctl -j status | jq -r .registry_path)" "$STATE/registry"
vw_is "status: registry date is today" "$(ctl -j status | jq -r .registry_date)" "$(date -u +%F)"
vw_check "status: stale-registry cleared" \
	sh -c "$(printf '%q ' "$CTL") --socket $SOCK -j status | jq -e '.degraded | map(select(startswith(\"stale-registry\"))) | length == 0'"
vw_check "after: device in the new block is cut off" vw_not vw_ping hw "$VW_GW_IP"
vw_check "after: benign device still reaches the gateway" vw_ping bn "$VW_GW_IP"
vw_check "journal: start-up/reload entry names the registry" \
	vw_journal_wait 5 SYSLOG_IDENTIFIER=vendorwalld "MESSAGE=IEEE registry: $STATE/registry of $(date -u +%F)"

# ---- rejections: exit 1, a reason on stderr, the copy in use untouched
reject() {
	local desc=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	vw_is "$desc: exit 1" "$rc" 1 || vw_diag "$out"
	vw_check "$desc: says why ($want)" grep -q -- "$want" <<<"$out" || vw_diag "$out"
	vw_is "$desc: registry in use kept" "$(in_use)" "$good"
	vw_check "$desc: no staging directory left" vw_not test -e "$STATE/registry.new"
}
reject "fetch truncated" "less than 90%" fetch cut/oui.csv
reject "fetch HTML error page" "not an IEEE registry CSV" fetch html/oui.csv
reject "fetch without Huawei" "blocks of vendor group huawei in the registry in use are missing" fetch nohw/oui.csv
reject "fetch, certificate not from a trusted CA" "certificate" "$CTL" registry fetch --config "$VW_CONF" \
	--socket "$SOCK" "https://127.0.0.1:$PORT/good/oui.csv"
reject "fetch plain http" "Protocol \"http\" not supported" "$CTL" registry fetch --config "$VW_CONF" --socket "$SOCK" \
	"http://127.0.0.1:$PORT/good/oui.csv"
reject "import truncated" "less than 90%" "$CTL" registry import --config "$VW_CONF" --socket "$SOCK" \
	"$SRV/cut/oui.csv"
reject "import unknown file name" "no registry file" "$CTL" registry import --config "$VW_CONF" \
	--socket "$SOCK" "$PKI/ca.pem"
mkdir -p "$VW_SCRATCH/old" && cp "$SRV/good/oui.csv" "$VW_SCRATCH/old/" && touch -d 2020-01-01 "$VW_SCRATCH/old/oui.csv"
reject "import files older than $FLOOR" "older than $FLOOR" "$CTL" registry import \
	--config "$VW_CONF" --socket "$SOCK" "$VW_SCRATCH/old/oui.csv"
vw_check "after rejections: device in the new block still cut off" vw_not vw_ping hw "$VW_GW_IP"

# ---- import from a directory carried in
out=$("$CTL" registry import --config "$VW_CONF" --socket "$SOCK" "$VW_SCRATCH/carried" 2>&1)
vw_is "import dir: exit 0" "$?" 0 || vw_diag "$out"
vw_check "import dir: a new version is in use" test "$(in_use)" != "$good"
vw_check "import dir: its mam.csv is in use" cmp -s "$STATE/registry/mam.csv" "$VW_SCRATCH/carried/mam.csv"
vw_check "import dir: the previous version is kept for a rollback" test -d "$STATE/$good"
vw_is "import dir: two versions at most" "$(find "$STATE" -maxdepth 1 -name 'registry-*' | wc -l)" 2
vw_check "import dir: still enforced" vw_not vw_ping hw "$VW_GW_IP"

vw_check "stop: daemon exits 0" vw_daemon_stop 10
vw_done
