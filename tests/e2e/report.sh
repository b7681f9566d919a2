#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The compliance report on a real inventory: vendorwalld records a Huawei-MAC
# device and a benign one, the operator waives the Huawei device, the daemon
# stops, and `vendorwallctl report` renders the inventory in its four formats.
# The HTML one is opened in headless Chromium: the DOM it built, the PDF it
# printed (its text, read back with pdftotext) and a screenshot.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq python3 chromium pdftotext pdftoppm
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
[ -x "$CTL" ] || vw_skip_all "$CTL not built"
SOCK=$VW_SCRATCH/run/control
OUT=$VW_SCRATCH/report
mkdir -p "$OUT"

ctl() { vw_in gw "$CTL" --socket "$SOCK" "$@"; }
report() { "$CTL" report --config "$VW_CONF" "$@"; }

# has_device: the inventory has recorded the Huawei device (the daemon commits
# a burst of events after its alerts, so the journal entry comes first).
has_device() { report --format csv | grep -q "^device,us-ndaa-889,.*,$VW_HW_MAC,"; }

# wait_for SECONDS CMD...: CMD succeeds within SECONDS.
wait_for() {
	local t=$(($1 * 5))
	shift
	until "$@"; do
		t=$((t - 1))
		[ "$t" -gt 0 ] || return 1
		sleep 0.2
	done
}

vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_daemon_config monitor
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"
version=$(ctl -j status | jq -r .policy_version)
vw_check "traffic: huawei device seen" vw_ping hw "$VW_GW_IP"
vw_check "traffic: benign device seen" vw_ping bn "$VW_GW_IP"
vw_journal_wait 10 MESSAGE_ID="$VW_MID_DETECTED" >/dev/null
vw_check "alert: names the profile and its legal basis" eval \
	'vw_journal -o json MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$VW_HW_MAC" | tail -1 |
		jq -r "[.VW_PROFILE, .VW_LEGAL_BASIS] | join(\"|\")" |
		grep -q "^us-ndaa-889|us-ndaa-889: John S. McCain National Defense Authorization Act"'
vw_check "waiver: allow the huawei device with a ticket" \
	ctl allow "$VW_HW_MAC" --until +8h --reason "PBX replacement on order" --ticket CHG-1234
vw_check "inventory: the device is recorded" wait_for 10 has_device || vw_fatal
vw_check "report: runs beside the running daemon" eval 'report --format text >/dev/null'
vw_daemon_stop 10
vw_is "stop: daemon exits cleanly" "$?" 0

# ---- every format, without the daemon
for fmt in text json csv html; do
	vw_check "report --format $fmt: without the daemon" report --format "$fmt" --output "$OUT/r.$fmt"
done

txt=$(cat "$OUT/r.text")
vw_check "text: the huawei device is waived" eval 'grep -q "^  $VW_HW_MAC  huawei  *waived " <<<"$txt"'
vw_check "text: the waiver names its ticket and reason" \
	eval 'grep -q "waiver:   until .* by uid 0.*, ticket CHG-1234: PBX replacement on order" <<<"$txt"'
vw_check "text: the benign device is not listed" eval '! grep -q "$VW_BN_MAC" <<<"$txt"'
vw_check "text: registry date" eval 'grep -q "^Registry date:      2022-08-27" <<<"$txt"'
vw_check "text: the stale registry is a degraded state of the period" \
	eval 'grep -q "stale-registry: IEEE registry" <<<"$txt"'
vw_check "text: the applied policy version is listed" eval 'grep -q "applied .*  $version (" <<<"$txt"'
vw_check "text: the profile's basis is cited" eval 'grep -q "Basis:   John S. McCain" <<<"$txt"'

j=$OUT/r.json
vw_is "json: policy version as the daemon reported it" "$(jq -r .policy_version "$j")" "$version"
vw_is "json: one device in us-ndaa-889" "$(jq '.sections[0].devices' "$j")" 1
vw_is "json: its MAC" "$(jq -r '.sections[0].segments[0].devices[0].mac' "$j")" "$VW_HW_MAC"
vw_is "json: its status" "$(jq -r '.sections[0].segments[0].devices[0].status' "$j")" waived
vw_is "json: its waiver ticket" "$(jq -r '.sections[0].segments[0].devices[0].waiver.ticket' "$j")" CHG-1234
vw_is "json: its address" "$(jq -r '.sections[0].segments[0].devices[0].addresses' "$j")" "$VW_HW_IP"
vw_check "json: its evidence" \
	eval 'jq -r ".sections[0].segments[0].devices[0].evidence" "$j" | grep -q "^oui mac=00:e0:fc"'
vw_is "json: segment mode" "$(jq -r '.sections[0].segments[0].mode' "$j")" monitor
vw_is "json: counts" "$(jq -c '.sections[0].counts' "$j")" \
	'{"blocked":0,"quarantined":0,"waived":1,"monitored":0,"not-enforced":0}'
vw_check "json: stale-registry among the degraded states" \
	eval 'jq -e "[.degraded[].what] | index(\"stale-registry\")" "$j" >/dev/null'

# RFC 4180 read back by Python's csv module: every record has the header's width.
csv_summary=$(python3 - "$OUT/r.csv" <<-'EOF'
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline='')))
	assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
	dev = [r for r in rows[1:] if r[0] == 'device']
	print(len(dev), dev[0][5], dev[0][8], dev[0][15], sum(r[0] == 'degraded' for r in rows))
EOF
)
read -r n_dev csv_mac csv_status csv_ticket n_deg <<<"$csv_summary"
vw_is "csv: one device row" "${n_dev:-}" 1
vw_is "csv: its MAC" "${csv_mac:-}" "$VW_HW_MAC"
vw_is "csv: its status" "${csv_status:-}" waived
vw_is "csv: its ticket" "${csv_ticket:-}" CHG-1234
vw_check "csv: degraded rows" test "${n_deg:-0}" -ge 1
vw_check "csv: CRLF line ends" eval 'head -1 "$OUT/r.csv" | grep -q $'"'"'\r$'"'"

# ---- the HTML in a real browser
html=$OUT/r.html
vw_check "html: no external reference" eval '! grep -Eq "(src|href)=|<link|@import|<script" "$html"'
# chrome ARGS...: headless Chromium with a new empty profile, removed afterwards (the
# scratch directory is a small tmpfs).
chrome() {
	local profile rc
	profile=$(mktemp -d "$VW_SCRATCH/chrome.XXXXXX")
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$profile" "$@" 2>>"$OUT/chrome.log"
	rc=$?
	rm -rf "$profile"
	return "$rc"
}
dom=$(chrome --dump-dom "file://$html")
vw_check "browser: the DOM has the summary table" \
	eval 'grep -q "<table class=\"summary\">" <<<"$dom"'
vw_check "browser: the summary row counts the waived device" \
	eval 'grep -q "<td>us-ndaa-889</td><td>John S. McCain[^<]*</td><td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">1</td>" <<<"$dom"'
vw_is "browser: the timeline SVG has one series per vendor seen" \
	"$(grep -o '<polyline class="series" data-vendor="[a-z]*"' <<<"$dom" | sort -u | wc -l)" 1
vw_check "browser: the series is huawei's" eval 'grep -q "data-vendor=\"huawei\" data-count=\"1\"" <<<"$dom"'
vw_check "browser: prints a PDF" chrome --no-pdf-header-footer --print-to-pdf="$OUT/r.pdf" "file://$html"
pdf_text=$(pdftotext -layout "$OUT/r.pdf" - 2>/dev/null)
vw_check "pdf: the rendered page shows the title" eval 'grep -q "vendorwall compliance report" <<<"$pdf_text"'
vw_check "pdf: the rendered page shows the device and its ticket" \
	eval 'grep -q "$VW_HW_MAC" <<<"$pdf_text" && grep -q "CHG-1234" <<<"$pdf_text"'
vw_check "pdf: the chart's legend is rendered" eval 'grep -q "huawei (1)" <<<"$pdf_text"'
vw_check "browser: a screenshot" chrome --window-size=1200,1800 --screenshot="$OUT/r.png" "file://$html"
vw_check "screenshot: a non-trivial PNG" \
	eval 'test "$(head -c 8 "$OUT/r.png" | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a && test "$(stat -c %s "$OUT/r.png")" -gt 20000'
if [ -n "${VW_REPORT_KEEP:-}" ]; then
	cp "$OUT"/r.* "$VW_REPORT_KEEP"/ && vw_diag "report files copied to $VW_REPORT_KEEP"
fi

# ---- the profiles behind the report
prof=$("$CTL" -j policy profiles --config "$VW_CONF")
vw_is "policy profiles -j: every shipped profile" "$(jq length <<<"$prof")" 12
vw_is "policy profiles -j: the enforced one" "$(jq -r '[.[] | select(.enforced) | .id] | join(" ")' <<<"$prof")" us-ndaa-889
vw_is "policy profiles -j: its basis" \
	"$(jq -r '.[] | select(.id == "us-ndaa-889") | .basis' <<<"$prof" | cut -c1-28)" "John S. McCain National Defe"
vw_check "policy profiles: a measure naming no vendor says so" \
	eval '"$CTL" policy profiles --config "$VW_CONF" | grep -q "^in-trusted-sources-2021 .* no .*(names none: restricts nothing by itself)"'

# ---- bad input is a clear error
vw_check "report: unknown profile is an error" \
	eval 'report --profile mars-2100 2>&1 >/dev/null | grep -q "no profile .mars-2100."'
vw_check "report: bad format is a usage error" \
	eval 'report --format pdf 2>&1 >/dev/null | grep -q "not one of text, json, csv, html"'
vw_done
