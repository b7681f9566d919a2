#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Receive-VLAN offload: a NIC that strips VLAN tags hides them from XDP. On an
# interface with a VLAN segment the daemon switches rx-vlan-hw-parse off over
# ethtool netlink and back on when it detaches; a tagged frame from a
# restricted MAC on the VLAN-10 block segment is dropped. With
# DisableVlanOffload=no the offload stays on and the interface is reported
# degraded. veth lets the feature be switched, so both are tried on one.
# vw_check ... eval '...': the single quotes defer expansion to the check, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ethtool
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
SEND=$VW_BUILD/tests/helpers/send-frame
VW_GW_IF=lan0
GW_MAC=02:76:77:00:00:01
HW_MAC=00:e0:fc:12:34:56          # Huawei OUI

offload() { vw_in gw ethtool -k "$VW_GW_IF" | sed -n 's/^rx-vlan-offload: \([a-z]*\).*/\1/p'; }
config() {   # DISABLE_VLAN_OFFLOAD
	mkdir -p "$VW_SCRATCH/state" "$VW_SCRATCH/run"
	cat >"$VW_CONF" <<-EOF2
		[Daemon]
		Profile=us-ndaa-889
		PolicyDirectory=$VW_REPO/policy
		RegistryDirectory=/usr/share/ieee-data
		StateDirectory=$VW_SCRATCH/state
		RuntimeDirectory=$VW_SCRATCH/run
		BpfRoot=$VW_PIN_ROOT

		[Segment v10]
		Interface=$VW_GW_IF
		VLAN=10
		Mode=block
		OnStop=detach
		DisableVlanOffload=$1
	EOF2
}
# A frame tagged VLAN 10 from the Huawei MAC, sent in-band by the device.
tagged() { printf '%s%s8100000a88b5%s' "${GW_MAC//:/}" "${HW_MAC//:/}" "$(printf '00%.0s' $(seq 46))"; }
wait_offload() {   # WANT
	local t=50
	while [ "$t" -gt 0 ]; do
		[ "$(offload)" = "$1" ] && return 0
		sleep 0.1
		t=$((t - 1))
	done
	return 1
}

vw_netns_add gw && vw_netns_add hw && vw_veth hw eth0 gw "$VW_GW_IF" &&
	vw_link gw "$VW_GW_IF" "$GW_MAC" && vw_link hw eth0 "$HW_MAC" ||
	{ vw_not_ok "setup: gateway and device namespaces"; vw_fatal; }
vw_ok "setup: gateway and device namespaces"
vw_check "setup: receive-VLAN offload is on on $VW_GW_IF" vw_in gw ethtool -K "$VW_GW_IF" rxvlan on

# ---- DisableVlanOffload=yes (default): switched off, restored -------------------
config yes
vw_daemon_start
vw_daemon_wait_ready 20 || { vw_not_ok "start: daemon ready"; vw_fatal; }
vw_ok "start: daemon ready"
vw_check "attach: the daemon switched rx-vlan-offload off on $VW_GW_IF" wait_offload off
vw_check "device sends a frame tagged VLAN 10" vw_in hw "$SEND" eth0 "$(tagged)" 3
vw_check "journal: the tagged frame is blocked on segment v10" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_BLOCKED" VW_MAC="$HW_MAC" VW_SEGMENT=v10
vw_is "no degraded entry for the offload" "$(vw_journal_count MESSAGE_ID="$VW_MID_DEGRADED" VW_DEGRADED=vlan-offload)" 0
vw_check "stop: clean" vw_daemon_stop 20
vw_check "detach: rx-vlan-offload is on again" wait_offload on

# ---- DisableVlanOffload=no: left on, reported -----------------------------------
config no
vw_daemon_start
vw_daemon_wait_ready 20 || { vw_not_ok "restart: daemon ready"; vw_fatal; }
vw_ok "restart: daemon ready (DisableVlanOffload=no)"
vw_check "degraded: the offload left on is reported" \
	vw_journal_wait 10 MESSAGE_ID="$VW_MID_DEGRADED" VW_DEGRADED=vlan-offload
vw_is "the offload is still on" "$(offload)" on
vw_check "stop: clean" vw_daemon_stop 20
vw_done
