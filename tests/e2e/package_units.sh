#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The package's two helper units under a real systemd (tools: /work/shared/tools/systemd-sandbox,
# or $VW_SANDBOX), with the sandboxing they ship: after a fresh install both timers are
# installed and not enabled; vendorwall-openmetrics.service writes the textfile (into a
# directory owned by another user) through the daemon's control socket;
# vendorwall-registry-update.service, pointed by a drop-in at an HTTPS server on 127.0.0.1
# (a CA this test makes), swaps a registry with a new Huawei block into the state directory
# it shares with vendorwalld and makes it reload; a truncated download fails the unit and
# leaves the registry in use alone, and the state directory keeps vendorwalld's 0700.
# systemd-analyze security's exposure of both units: reported, at most 2.0.
# sh_in '...': the single quotes defer expansion to the sandbox, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
# shellcheck source=SCRIPTDIR/../lib/pki.sh
. "$(dirname "$0")/../lib/pki.sh"

# shellcheck source=tests/lib/sandbox.sh
. "$(dirname "$0")/../lib/sandbox.sh"
command -v openssl >/dev/null || vw_skip_all "openssl missing"
FLOOR=/usr/share/ieee-data
[ -r "$FLOOR/oui.csv" ] || vw_skip_all "$FLOOR/oui.csv missing (make deps)"

ARCH=$(dpkg --print-architecture)
DEB=$VW_BUILD/vendorwall_$(cat "$VW_REPO/VERSION")_$ARCH.deb
[ -f "$DEB" ] || vw_skip_all "$DEB not built: run 'make deb' (make check does)"

VW_SCRATCH=$(mktemp -d /tmp/vw-units.XXXXXX)
SB=vw-units-$$
CONF=/etc/vendorwall/vendorwall.conf
STATE=/var/lib/vendorwall
PROM=/var/lib/prometheus/node-exporter/vendorwall.prom
# Outside /root and /tmp: the units run with ProtectHome=yes and PrivateTmp=yes.
SRV=/srv/vw-units
PORT=8443
NEW_OUI=0CFFEE                  # unassigned in Debian's ieee-data of 2022
DROPIN=/run/systemd/system/vendorwall-registry-update.service.d

trap vw_sandbox_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sandbox_start() { vw_sandbox_boot 600 "$DEB"; }


# wait_for SECONDS CMD...: polls CMD (10 times a second) until it succeeds.
wait_for() {
	local t=$(($1 * 10)) i
	shift
	for ((i = 0; i < t; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

active() { [ "$(sx systemctl is-active vendorwalld.service)" = active ]; }
status_field() { sx vendorwallctl -j status | jq -r ".$1"; }
has_segment_lan() { sx vendorwallctl -j segments | jq -e '.segments[] | select(.name=="lan")'; }

# A segment on a veth whose peer is in namespace "peer", so that the counters have a segment.
segment() {
	sh_in 'set -e
		ip netns add peer
		ip link add lan0 type veth peer name eth0 netns peer
		ip link set lan0 up; ip -n peer link set eth0 up' &&
		printf '%s\n' '[Daemon]' 'Profile=us-ndaa-889' 'ControlGroup=vendorwall' '' \
			'[Segment lan]' 'Interface=lan0' 'Mode=monitor' >"$VW_SCRATCH/conf" &&
		"$SANDBOX" cp-in "$SB" "$VW_SCRATCH/conf" "$CONF" &&
		sx systemctl reload vendorwalld.service && wait_for 10 has_segment_lan
}

# The CA, the server's certificate for 127.0.0.1 and the served files (the 2022 floor plus a
# new Huawei MA-L, and the same cut in half), made on the host and copied into $SRV.
make_served() {
	local d=$VW_SCRATCH/srv
	mkdir -p "$d/www/good" "$d/www/cut" && vw_make_pki "$d" &&
		{ cat "$FLOOR/oui.csv"
		  printf 'MA-L,%s,"HUAWEI TECHNOLOGIES CO.,LTD","Bantian, Longgang District Shenzhen  CN 518129 "\r\n' "$NEW_OUI"
		} >"$d/www/good/oui.csv" &&
		head -c $(($(stat -c %s "$d/www/good/oui.csv") / 2)) "$d/www/good/oui.csv" >"$d/www/cut/oui.csv" &&
		sx mkdir -p "$SRV" && "$SANDBOX" cp-in "$SB" "$d" "$SRV"
}

# openssl's static HTTPS server inside the sandbox (its own network namespace: a fixed port).
listening() { sx ss -Hltn "sport = :$PORT" | grep -q .; }
serve() {
	sx systemd-run -q --unit=vw-https -p WorkingDirectory="$SRV/www" \
		openssl s_server -WWW -accept "127.0.0.1:$PORT" -cert "$SRV/srv.pem" -key "$SRV/srv.key" &&
		wait_for 10 listening
}

# fetch_from FILE: the drop-in that points the unit's ExecStart= at FILE on the test server.
fetch_from() {
	printf '%s\n' '[Service]' 'ExecStart=' \
		"ExecStart=/usr/bin/vendorwallctl registry fetch --config $CONF --cacert $SRV/ca.pem https://127.0.0.1:$PORT/$1" \
		>"$VW_SCRATCH/fetch.conf" &&
		sx mkdir -p "$DROPIN" && "$SANDBOX" cp-in "$SB" "$VW_SCRATCH/fetch.conf" "$DROPIN/fetch.conf" &&
		sx systemctl daemon-reload
}

unit_result() { sx systemctl show -P Result "$1"; }
unit_log() { sx journalctl --no-pager -q -o cat -u "$1" --since "@$2"; }

exposure() {
	sx systemd-analyze security "$1" --no-pager 2>&1 |
		sed -n "s/.*Overall exposure level for $1: \([0-9.]*\).*/\1/p"
}

# ==================================================================== fresh install
vw_check "sandbox: booted under systemd" sandbox_start || vw_bail "sandbox does not start"
vw_check "install: dpkg -i $(basename "$DEB")" sx dpkg -i "/root/$(basename "$DEB")"
vw_check "install: vendorwalld active" wait_for 20 active

# ---- the timers: shipped, left to the operator
sx systemctl list-timers --all --no-pager >"$VW_SCRATCH/timers" 2>&1
sx systemctl list-unit-files --no-pager --no-legend 'vendorwall-*.timer' >"$VW_SCRATCH/timer-files" 2>&1
for t in vendorwall-openmetrics.timer vendorwall-registry-update.timer; do
	# list-timers shows loaded timers only: a disabled timer nothing refers to is not loaded
	vw_check "timers: $t not in systemctl list-timers --all (not loaded, nothing scheduled)" \
		vw_not grep -q "$t" "$VW_SCRATCH/timers"
	vw_check "timers: $t installed (systemctl list-unit-files)" grep -q "^$t " "$VW_SCRATCH/timer-files"
	vw_is "timers: $t not enabled after a fresh install" "$(sx systemctl is-enabled "$t")" disabled
	vw_is "timers: $t not active" "$(sx systemctl is-active "$t")" inactive
done

# ---- OpenMetrics textfile
vw_check "setup: segment lan on a veth" segment || vw_diag "$(sx vendorwallctl segments 2>&1)"
# As prometheus-node-exporter ships it: a directory of its own user, which root may write
# only with CAP_DAC_OVERRIDE (the one capability the unit keeps).
vw_check "setup: textfile directory owned by prometheus, 0755" sh_in "set -e
	useradd -r -M -d /var/lib/prometheus prometheus
	install -d -o prometheus -g prometheus -m 0755 /var/lib/prometheus $(dirname "$PROM")"
t0=$(sx date +%s)
vw_check "openmetrics: systemctl start vendorwall-openmetrics.service" \
	sx systemctl start vendorwall-openmetrics.service || vw_diag "$(unit_log vendorwall-openmetrics.service "$t0")"
vw_is "openmetrics: unit result" "$(unit_result vendorwall-openmetrics.service)" success
sx cat "$PROM" >"$VW_SCRATCH/prom" 2>/dev/null
vw_check "openmetrics: $PROM written" test -s "$VW_SCRATCH/prom"
vw_is "openmetrics: ends with # EOF" "$(tail -1 "$VW_SCRATCH/prom")" "# EOF"
vw_check "openmetrics: vendorwall_frames_total of segment lan" \
	grep -q '^vendorwall_frames_total{segment="lan"' "$VW_SCRATCH/prom" || vw_diag "$(head -20 "$VW_SCRATCH/prom")"
vw_check "openmetrics: no .tmp left" vw_not sx test -e "$PROM.tmp"
vw_is "openmetrics: run again (the timer's case), still success" \
	"$(sx systemctl start vendorwall-openmetrics.service && unit_result vendorwall-openmetrics.service)" success

# ---- registry update
vw_check "setup: CA, certificate and served files in $SRV" make_served || vw_bail "cannot set up the server"
vw_check "setup: HTTPS server on 127.0.0.1:$PORT in the sandbox" serve || vw_bail "HTTPS server not listening"
floor_path=$(status_field registry_path)
vw_is "registry: in use before is the floor" "$floor_path" "$FLOOR"
fetch_from good/oui.csv
t0=$(sx date +%s)
vw_check "registry: systemctl start vendorwall-registry-update.service (good file)" \
	sx systemctl start vendorwall-registry-update.service ||
	vw_diag "$(unit_log vendorwall-registry-update.service "$t0")"
vw_is "registry: unit result" "$(unit_result vendorwall-registry-update.service)" success
today=$(sx date -u +%F)
vw_is "registry: status registry_path is the state directory's" "$(status_field registry_path)" "$STATE/registry"
vw_is "registry: status registry_date is today" "$(status_field registry_date)" "$today"
vw_check "registry: the new Huawei block is in the copy in use" sx grep -q "^MA-L,$NEW_OUI," "$STATE/registry/oui.csv"
vw_check "registry: vendorwalld's journal shows the reload to it" wait_for 10 sh_in \
	"journalctl --no-pager -q -o cat -u vendorwalld.service --since @$t0 | grep -qF 'IEEE registry: $STATE/registry of $today'"
vw_is "registry: state directory mode kept (vendorwalld's StateDirectoryMode)" "$(sx stat -c %a "$STATE")" 700
good=$(sx readlink "$STATE/registry")

fetch_from cut/oui.csv
t0=$(sx date +%s)
vw_check "registry truncated: the unit fails" vw_not sx systemctl start vendorwall-registry-update.service
vw_is "registry truncated: unit result" "$(unit_result vendorwall-registry-update.service)" exit-code
vw_check "registry truncated: its journal says why" wait_for 5 sh_in \
	"journalctl --no-pager -q -o cat -u vendorwall-registry-update.service --since @$t0 | grep -q 'less than 90%'"
vw_is "registry truncated: the version in use is kept" "$(sx readlink "$STATE/registry")" "$good"
vw_is "registry truncated: status still names it" "$(status_field registry_path)" "$STATE/registry"
vw_check "registry truncated: no staging directory left" vw_not sx test -e "$STATE/registry.new"
vw_check "registry truncated: vendorwalld still active" active

# ---- hardening as systemd-analyze rates it
for u in vendorwall-openmetrics.service vendorwall-registry-update.service; do
	e=$(exposure "$u")
	vw_diag "systemd-analyze security $u: exposure ${e:-?}"
	vw_check "hardening: $u exposure at most 2.0" awk -v e="${e:-99}" 'BEGIN { exit !(e <= 2.0) }'
done

sx systemctl stop vw-https.service
vw_check "sandbox: stopped, nothing left" sandbox_stop
vw_diag "total: $SECONDS s"
vw_done
