#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A damaged operator.json (a null "mac", which once crashed vendorwalld) at
# start-up: the daemon keeps running and enforcing, moves the file aside,
# and says in a degraded alert, through a real journald, which file and
# which entry were wrong; a new operator decision is then saved afresh.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq
CTL=$VW_BUILD/vendorwallctl
OPS=$VW_SCRATCH/state/operator.json
# The alert is matched by its field, not by its MESSAGE_ID.
degraded="SYSLOG_IDENTIFIER=vendorwalld VW_DEGRADED=operator-state"

vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_daemon_config block
printf '{"modes": {}, "waivers": [{"mac": null, "reason": "x"}]}\n' >"$OPS"
vw_daemon_start
vw_daemon_wait_ready 20 || { vw_not_ok "start: daemon ready despite operator.json"; vw_fatal; }
vw_ok "start: daemon ready despite operator.json"
# shellcheck disable=SC2086 # $degraded is a list of matches
vw_check "journal: degraded alert for the operator state" vw_journal_wait 10 $degraded
# shellcheck disable=SC2086
msg=$(vw_journal_field MESSAGE $degraded)
vw_check "journal: the alert names the file and the entry ($msg)" \
	eval 'case "$msg" in *"$OPS: waivers[0].mac: expected a string, got null"*) true ;; *) false ;; esac'
vw_check "the damaged file is kept aside for a human" \
	eval 'ls "$OPS".corrupt-* >/dev/null && test ! -e "$OPS"'
vw_check "still enforcing: the huawei device is blocked" vw_not vw_ping hw "$VW_GW_IP"
vw_check "still enforcing: the benign device passes" vw_ping bn "$VW_GW_IP"
vw_is "status lists the degraded operator state" \
	"$(vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" -j status |
		jq -r '[.degraded[] | select(startswith("operator-state"))] | length')" 1
vw_check "a new operator decision is accepted" \
	vw_in gw "$CTL" --socket "$VW_SCRATCH/run/control" quarantine 00:1b:21:0a:0b:0c --reason test
vw_is "and saved in a fresh operator.json" \
	"$(jq -r '.quarantines[0].mac' "$OPS")" 00:1b:21:0a:0b:0c
vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
