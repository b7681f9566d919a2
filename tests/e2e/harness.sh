#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Self-test of tests/lib/harness.sh without vendorwalld: if this fails, datapath.sh failures are
# about the machine (journald, namespaces, bpffs, XDP on veth), not about the daemon.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"

vw_check "journal: logger --journald entry read back with journalctl -D" vw_journal_selftest
tag=vw-cat-$$
echo "stdout stream probe" | systemd-cat -t "$tag"
vw_check "journal: systemd-cat (stdout stream) entry read back" vw_journal_wait 5 SYSLOG_IDENTIFIER="$tag"
vw_check "netns: gateway, switch and two devices set up" vw_lan_topology
vw_check "ping: huawei device -> gateway" vw_ping hw "$VW_GW_IP"
vw_check "ping: benign device -> gateway" vw_ping bn "$VW_GW_IP"
vw_check "ping: gateway -> huawei device" vw_ping gw "$VW_HW_IP"
vw_check "ping: gateway -> benign device" vw_ping gw "$VW_BN_IP"

mkdir /sys/fs/bpf/vw-probe
vw_check "bpffs: our instance is on /sys/fs/bpf inside ip netns exec" \
	vw_gw_exec gw test -d /sys/fs/bpf/vw-probe
rmdir /sys/fs/bpf/vw-probe

# Stand-in for vendorwalld's block mode: xdp-filter dropping the Huawei source MAC on lan0.
if command -v xdp-filter >/dev/null; then
	vw_check "stand-in: xdp-filter attached to lan0" \
		vw_gw_exec gw xdp-filter load -f ethernet lan0 &&
		vw_gw_exec gw xdp-filter ether "$VW_HW_MAC" -m src >/dev/null
	vw_check "stand-in: XDP program visible in ip -d link show" vw_xdp_attached gw lan0
	vw_check "stand-in: huawei device -> gateway dropped" vw_not vw_ping hw "$VW_GW_IP"
	vw_check "stand-in: benign device -> gateway still works" vw_ping bn "$VW_GW_IP"
	vw_check "stand-in: xdp-filter unloaded" vw_gw_exec gw xdp-filter unload lan0
	vw_check "stand-in: no XDP program left on lan0" vw_not vw_xdp_attached gw lan0
	vw_check "stand-in: huawei device -> gateway works again" vw_ping hw "$VW_GW_IP"
else
	vw_skip "stand-in XDP drop" "xdp-filter not installed"
fi

vw_done
