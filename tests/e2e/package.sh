#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package under a real systemd (tools: /work/shared/tools/systemd-sandbox, or
# $VW_SANDBOX): install, a segment with a Huawei and a benign device, alerts in the journal
# with their catalog text, reload of a broken file, stop with OnStop=keep, SIGKILL and
# restart with no frame of the blocked device passing, the watchdog, the control group,
# hardening as systemd-analyze rates it, purge; then an upgrade from the previous version's
# package (built from git history by tools/prev-deb.sh) while a blocked device floods.
# sh_in '...': the single quotes defer expansion to the sandbox, on purpose.
# shellcheck disable=SC2016
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"

# shellcheck source=tests/lib/sandbox.sh
. "$(dirname "$0")/../lib/sandbox.sh"

VERSION=$(cat "$VW_REPO/VERSION")
ARCH=$(dpkg --print-architecture)
DEB=$VW_BUILD/vendorwall_${VERSION}_$ARCH.deb
PREV_DEB=$(find "$VW_BUILD/prev" -name "vendorwall_*_$ARCH.deb" 2>/dev/null | head -1)
[ -f "$DEB" ] || vw_bail "$DEB missing: run 'make deb' (make check does)"
[ -n "$PREV_DEB" ] || vw_bail "no previous package in $VW_BUILD/prev: run 'make deb-prev' (make check does)"

VW_SCRATCH=$(mktemp -d /tmp/vw-package.XXXXXX)
SB=vw-pkg-$$
HW_MAC=00:e0:fc:12:34:56     # Huawei MA-L
BN_MAC=00:16:3e:00:00:02     # Xen, not restricted
WAIVED_MAC=00:e0:fc:00:00:99
GW_IP=192.0.2.1
CONF=/etc/vendorwall/vendorwall.conf

trap vw_sandbox_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sandbox_start() { vw_sandbox_boot 900 "$DEB" "$PREV_DEB"; }


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

# The segment: lan0 in the sandbox's own network namespace (where the service runs), a
# bridge in namespace "sw", the Huawei device in "hw" and the benign one in "bn".
topology() {
	sh_in "set -e
		for n in sw hw bn; do ip netns add \$n; done
		ip link add lan0 type veth peer name sw-gw netns sw
		ip link add eth0 netns hw type veth peer name sw-hw netns sw
		ip link add eth0 netns bn type veth peer name sw-bn netns sw
		ip -n sw link add br0 type bridge
		for p in sw-gw sw-hw sw-bn; do ip -n sw link set \$p master br0 up; done
		ip -n sw link set br0 up
		ip -n hw link set eth0 address $HW_MAC
		ip -n bn link set eth0 address $BN_MAC
		ip addr add $GW_IP/24 dev lan0; ip link set lan0 up
		ip -n hw addr add 192.0.2.11/24 dev eth0; ip -n hw link set eth0 up
		ip -n bn addr add 192.0.2.12/24 dev eth0; ip -n bn link set eth0 up
		# static: a blocked device's ARP is dropped too, and the flood must be frames
		ip -n hw neigh replace $GW_IP lladdr \$(cat /sys/class/net/lan0/address) dev eth0 nud permanent"
}

ping_from() { sx ip netns exec "$1" ping -n -q -c 1 -i 0.2 -W 1 -w 2 "$GW_IP" >/dev/null 2>&1; }

# write_conf MODE [TEXT]: the shipped [Daemon] section plus segment "lan" on lan0.
write_conf() {
	printf '%s\n' '[Daemon]' 'Profile=us-ndaa-889' 'ControlGroup=vendorwall' '' \
		'[Segment lan]' 'Interface=lan0' "Mode=$1" 'OnStop=keep' "${2:-}" >"$VW_SCRATCH/conf"
	"$SANDBOX" cp-in "$SB" "$VW_SCRATCH/conf" "$CONF"
}

active() { [ "$(sx systemctl is-active vendorwalld.service)" = active ]; }
nrestarts() { sx systemctl show -P NRestarts vendorwalld.service; }
journal() { sx journalctl --no-pager -q -u vendorwalld.service "$@"; }
journal_has() { [ -n "$(journal -o json "$@" 2>/dev/null | head -1)" ]; }
segment_mode() { sx vendorwallctl -j segments | jq -r '.segments[] | select(.name=="lan") | .mode'; }
xdp_on_lan0() { sx ip -d link show lan0 | grep -q 'prog/xdp'; }

# Frames of the Huawei device that got past XDP, counted by tcpdump on lan0 (AF_PACKET sees
# only what XDP passed) while it floods the gateway; capture_start, then capture_count.
capture_start() {
	sx systemd-run -q --unit=vw-capture tcpdump -i lan0 -n -U -w /root/cap.pcap ether src "$HW_MAC" &&
		sx systemd-run -q --unit=vw-flood ip netns exec hw ping -n -q -i 0.02 "$GW_IP" &&
		wait_for 10 sh_in 'test -s /root/cap.pcap'
}
hw_tx() { sx ip netns exec hw cat /sys/class/net/eth0/statistics/tx_packets; }
capture_count() {
	sx systemctl stop vw-flood.service vw-capture.service >/dev/null 2>&1
	sx tcpdump -r /root/cap.pcap -n 2>/dev/null | grep -c . || true
}

# ==================================================================== fresh install
vw_check "sandbox: booted under systemd" sandbox_start || vw_bail "sandbox does not start"
vw_check "setup: segment lan0 with a Huawei and a benign device" topology

# A machine without a bpffs: the unit mounts the machine's own before the sandboxed daemon runs.
vw_check "setup: no bpffs on /sys/fs/bpf" sh_in 'umount /sys/fs/bpf && [ "$(stat -f -c %T /sys/fs/bpf)" != bpf_fs ]'
vw_check "install: dpkg -i $(basename "$DEB")" sx dpkg -i "/root/$(basename "$DEB")"
vw_check "install: shipped configuration starts cleanly (no segment yet)" wait_for 20 active
vw_check "install: the unit mounted a bpffs on /sys/fs/bpf" sh_in '[ "$(stat -f -c %T /sys/fs/bpf)" = bpf_fs ]'
vw_check "install: vendorwall group created" sx getent group vendorwall
vw_check "install: service enabled" sx systemctl is-enabled -q vendorwalld.service
vw_is "install: vendorwallctl status reports the package version" \
	"$(sx vendorwallctl -j status | jq -r .version)" "$VERSION"
vw_check "install: nothing attached before a segment is named" vw_not xdp_on_lan0
vw_check "install: the Huawei device is not touched yet" ping_from hw

# ---- alerts, explained
write_conf monitor
vw_check "reload: a segment added with systemctl reload" sx systemctl reload vendorwalld.service
vw_check "reload: XDP attached to lan0" wait_for 10 xdp_on_lan0
ping_from hw
vw_check "alert: detection of the Huawei device in journalctl -u vendorwalld -o json" \
	wait_for 20 journal_has MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$HW_MAC"
alert=$(journal -o json MESSAGE_ID="$VW_MID_DETECTED" VW_MAC="$HW_MAC" | head -1)
vw_is "alert: VW_ fields (vendor, segment, interface, mode)" \
	"$(echo "$alert" | jq -r '[.VW_VENDOR, .VW_SEGMENT, .VW_INTERFACE, .VW_MODE] | join(" ")')" \
	"huawei lan lan0 monitor"
vw_check "alert: explained by journalctl -x (catalog installed)" \
	sh_in "journalctl -x --no-pager -u vendorwalld MESSAGE_ID=$VW_MID_DETECTED | grep -q 'belongs to a restricted vendor'"
vw_check "alert: the benign device raises none" vw_not journal_has VW_MAC="$BN_MAC"

vw_check "operator: mode lan block" sx vendorwallctl mode lan block
vw_check "block: the Huawei device is cut off" vw_not ping_from hw
vw_check "block: the benign device still reaches the gateway" ping_from bn

# ---- reload with a broken file
cp "$VW_SCRATCH/conf" "$VW_SCRATCH/good.conf"
write_conf monitr
vw_check "reload: systemctl reload of a broken file fails" vw_not sx systemctl reload vendorwalld.service
vw_check "reload: rejection journaled" wait_for 10 journal_has MESSAGE_ID="$VW_MID_RELOAD_REJECTED"
vw_is "reload: rejection names file and line" \
	"$(journal -o json MESSAGE_ID="$VW_MID_RELOAD_REJECTED" | tail -1 | jq -r .VW_ERROR | cut -d: -f1-2)" \
	"$CONF:7"
vw_check "reload: service still active" active
vw_is "reload: segment still in block mode" "$(segment_mode)" block
vw_check "reload: the Huawei device still cut off" vw_not ping_from hw
"$SANDBOX" cp-in "$SB" "$VW_SCRATCH/good.conf" "$CONF"

# ---- stop keeps enforcement
vw_check "stop: systemctl stop" sx systemctl stop vendorwalld.service
vw_check "stop: enforcement kept (OnStop=keep): Huawei cut off" vw_not ping_from hw
vw_check "stop: benign device unaffected" ping_from bn
vw_check "stop: XDP still attached, pins kept" sh_in 'ip -d link show lan0 | grep -q prog/xdp && test -d /sys/fs/bpf/vendorwall/maps'
vw_check "start: adopts the pins" sh_in 'systemctl start vendorwalld.service'
vw_is "start: operator's block mode survived the restart" "$(segment_mode)" block

# ---- SIGKILL: restart, no frame passes
before=$(nrestarts)
tx0=$(hw_tx)
vw_check "kill: capture and flood from the Huawei device running" capture_start
vw_check "kill: systemctl kill -s KILL" sx systemctl kill -s KILL vendorwalld.service
vw_check "kill: systemd restarted the service" wait_for 30 sh_in \
	"[ \$(systemctl show -P NRestarts vendorwalld.service) -gt $before ] && systemctl is-active -q vendorwalld.service"
vw_check "kill: restarted daemon answers" wait_for 10 sx vendorwallctl status
vw_check "kill: the flood went on across the restart (>50 frames)" test $(($(hw_tx) - tx0)) -gt 50
vw_is "kill: frames of the blocked device past XDP" "$(capture_count)" 0

# ---- watchdog (a drop-in shortens it so that pings are seen within the test)
sh_in 'mkdir -p /run/systemd/system/vendorwalld.service.d &&
	printf "[Service]\nWatchdogSec=2s\n" >/run/systemd/system/vendorwalld.service.d/wd.conf &&
	systemctl daemon-reload && systemctl restart vendorwalld.service'
wd0=$(sx systemctl show -P WatchdogTimestampMonotonic vendorwalld.service)
r0=$(nrestarts)
wd_fed() {
	local w
	w=$(sx systemctl show -P WatchdogTimestampMonotonic vendorwalld.service)
	[ "$w" -gt "$((wd0 + 2000000))" ]
}
vw_check "watchdog: pinged (WatchdogTimestamp advanced by more than 2 s)" wait_for 20 wd_fed
vw_is "watchdog: never fired (no restart)" "$(nrestarts)" "$r0"
sh_in 'rm -r /run/systemd/system/vendorwalld.service.d && systemctl daemon-reload'

# ---- the control group
sh_in 'useradd -M -G vendorwall alice && useradd -M bob'
vw_check "group: a member of vendorwall uses vendorwallctl" sx runuser -u alice -- vendorwallctl status
vw_check "group: another user is refused" vw_not sx runuser -u bob -- vendorwallctl status

# ---- hardening
sx systemd-analyze security vendorwalld.service --no-pager >"$VW_SCRATCH/security" 2>&1
exposure=$(sed -n 's/.*Overall exposure level for vendorwalld.service: \([0-9.]*\).*/\1/p' "$VW_SCRATCH/security")
vw_diag "systemd-analyze security: exposure ${exposure:-?}"
vw_check "hardening: exposure at most 2.5" awk -v e="${exposure:-99}" 'BEGIN { exit !(e <= 2.5) }'
vw_is "hardening: capability bounding set" \
	"$(sx systemctl show -P CapabilityBoundingSet vendorwalld.service)" "cap_net_admin cap_perfmon cap_bpf"
vw_is "hardening: state directory mode" "$(sx stat -c %a /var/lib/vendorwall)" 700

# ---- vendorwalld run by hand, without the unit, where no bpffs is mounted: it mounts one
sh_in 'systemctl stop vendorwalld.service && umount /sys/fs/bpf'
vw_check "by hand: vendorwalld (no unit) starts without a bpffs" \
	sx systemd-run -q --unit=vw-manual -p Type=notify /usr/sbin/vendorwalld --config "$CONF"
vw_check "by hand: it mounted a bpffs on /sys/fs/bpf and said so" sh_in \
	'[ "$(stat -f -c %T /sys/fs/bpf)" = bpf_fs ] && journalctl -q -u vw-manual | grep -q "Mounted a bpffs on /sys/fs/bpf"'
vw_check "by hand: the Huawei device is cut off again" vw_not ping_from hw
sx systemctl stop vw-manual.service

# ---- purge
vw_check "purge: dpkg --purge vendorwall" sx dpkg --purge vendorwall
vw_check "purge: pins removed, XDP detached" sh_in '! test -e /sys/fs/bpf/vendorwall && ! ip -d link show lan0 | grep -q prog/xdp'
vw_check "purge: no TC filter left on lan0" vw_not sh_in 'tc filter show dev lan0 egress | grep -q 0x7677'
vw_check "purge: state and configuration removed" sh_in '! test -e /var/lib/vendorwall && ! test -e /etc/vendorwall'
vw_check "purge: the Huawei device reaches the gateway again" ping_from hw
vw_diag "fresh install to purge: $SECONDS s"

# ==================================================================== upgrade
# On the purged system (same sandbox, same segment): nothing of the first part is left.
prev_version=$(dpkg-deb -f "$PREV_DEB" Version)
vw_check "upgrade: install $prev_version" sx dpkg -i "/root/$(basename "$PREV_DEB")"
write_conf monitor
vw_check "upgrade: $prev_version running with segment lan" sh_in 'systemctl restart vendorwalld.service'
vw_check "upgrade: operator blocks lan" wait_for 10 sx vendorwallctl mode lan block
vw_check "upgrade: operator grants a waiver" \
	sx vendorwallctl allow "$WAIVED_MAC" --until +8h --reason "PBX replacement" --ticket CHG-1
vw_check "upgrade: Huawei device cut off under $prev_version" vw_not ping_from hw
tx0=$(hw_tx)
vw_check "upgrade: capture and flood running" capture_start
vw_check "upgrade: dpkg -i $VERSION" sx dpkg -i "/root/$(basename "$DEB")"
vw_check "upgrade: service active again" wait_for 30 active
vw_is "upgrade: the running daemon is $VERSION" "$(sx vendorwallctl -j status | jq -r .version)" "$VERSION"
vw_check "upgrade: the flood went on across the upgrade (>50 frames)" test $(($(hw_tx) - tx0)) -gt 50
vw_is "upgrade: frames of the blocked device past XDP" "$(capture_count)" 0
vw_is "upgrade: operator's block mode kept" "$(segment_mode)" block
vw_check "upgrade: operator's waiver kept" \
	sh_in "jq -e '.. | strings | select(ascii_downcase == \"$WAIVED_MAC\")' /var/lib/vendorwall/operator.json"
vw_check "upgrade: benign device still reaches the gateway" ping_from bn
vw_check "sandbox: stopped, nothing left" sandbox_stop
vw_diag "total: $SECONDS s"

vw_done
