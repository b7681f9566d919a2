#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A reload that fails half-way changes nothing: vendorwalld built with a
# failure injected into its first reload (tests/helpers/failing-vendorwalld,
# VW_TEST_FAIL_APPLY) gets SIGHUP with a new policy, and its maps, modes,
# policy version, degraded list and traffic stay the old ones; the next
# SIGHUP applies the same file whole, and the stale-registry entry clears.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping jq bpftool sha256sum
VW_DAEMON=$VW_BUILD/tests/helpers/failing-vendorwalld
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
[ -x "$CTL" ] || vw_skip_all "$CTL not built"
SOCK=$VW_SCRATCH/run/control
# The commit that fails: the second of the run (the first reload), after
# step 6 of 7 (waivers and quarantines): config, segments, VLAN rows and
# interfaces are written by then and must be undone.
export VW_TEST_FAIL_APPLY=2:6

ctl() { vw_in gw "$CTL" --socket "$SOCK" "$@"; }
status() { ctl -j status; }

# maps_digest: everything a reload writes except the 4 MiB bitmap, as one
# digest; entries sorted, since a hash map lists its entries in bucket order.
maps_digest() {
	local m
	for m in vw_config vw_segment vw_iface vw_vlan vw_prefix vw_oui_vendor vw_device; do
		echo "$m"
		bpftool -j map dump pinned "$VW_PIN_ROOT/maps/$m" | jq -c -S '.[]' | sort
	done | sha256sum | cut -d' ' -f1
}

# new_policy: block, a configuration waiver, a second segment, a registry
# age limit the 2022 registry meets.
new_policy() {
	vw_daemon_config block
	cat >>"$VW_CONF" <<-EOF

		[Segment voice]
		Interface=$VW_GW_IF
		VLAN=100
		Mode=block

		[Waiver 00:11:22:00:00:01]
		Reason=test
	EOF
	sed -i 's/^AlertInterval=1h$/AlertInterval=2h\nRegistryMaxAge=100000/' "$VW_CONF"
}

vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_daemon_config monitor
vw_daemon_start_wait 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"
vw_check "start: monitor lets the huawei device through" vw_ping hw "$VW_GW_IP"
before=$(status)
digest=$(maps_digest)
vw_check "start: the old registry is a degraded entry" \
	eval 'jq -e "[.degraded[] | startswith(\"stale-registry:\")] | any" <<<"$before" >/dev/null'

# ---- the injected failure
new_policy
vw_daemon_reload
if vw_journal_wait 10 VW_ROLLBACK=ok; then
	vw_ok "failed reload: the journal says the previous enforcement was restored"
else
	vw_not_ok "failed reload: the journal says the previous enforcement was restored"
	vw_fatal
fi
vw_is "failed reload: the failed step is named" "$(vw_journal_field VW_COMMIT_STEP VW_ROLLBACK=ok)" \
	"waivers and quarantines"
after=$(status)
vw_is "failed reload: map contents are the old ones" "$(maps_digest)" "$digest"
vw_is "failed reload: policy version unchanged" "$(jq -r .policy_version <<<"$after")" \
	"$(jq -r .policy_version <<<"$before")"
vw_is "failed reload: segments and modes unchanged" "$(jq -c '[.segments[] | [.name, .mode]]' <<<"$after")" \
	'[["lan","monitor"]]'
vw_is "failed reload: degraded list unchanged" "$(jq -c .degraded <<<"$after")" \
	"$(jq -c .degraded <<<"$before")"
vw_check "failed reload: the huawei device still passes (monitor)" vw_ping hw "$VW_GW_IP"
vw_check "failed reload: the daemon keeps running" vw_daemon_alive

# ---- the same file again, without a failure
vw_daemon_reload
vw_journal_wait 10 MESSAGE_ID="$VW_MID_MODE_CHANGED" VW_MODE=block >/dev/null
after=$(status)
vw_check "reload: the new policy version" test "$(jq -r .policy_version <<<"$after")" != \
	"$(jq -r .policy_version <<<"$before")"
vw_is "reload: segments and modes" "$(jq -c '[.segments[] | [.name, .mode]] | sort' <<<"$after")" \
	'[["lan","block"],["voice","block"]]'
vw_check "reload: map contents changed" test "$(maps_digest)" != "$digest"
vw_check "reload: block cuts the huawei device off" vw_not vw_ping hw "$VW_GW_IP"
vw_is "degraded: stale-registry cleared from status" \
	"$(jq '[.degraded[] | select(startswith("stale-registry:"))] | length' <<<"$after")" 0
vw_check "degraded: the journal says stale-registry cleared" \
	vw_journal_wait 5 VW_DEGRADED_CLEARED=stale-registry

vw_daemon_stop 10
vw_is "stop: exit status" "$?" 0
vw_done
