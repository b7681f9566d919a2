#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Upgrades of the pinned layout (daemon/lib/pinlayout.c):
# 1. a real previous release: the daemon of commit $VW_UPGRADE_FROM (layout 1, pins without a
#    layout record), built from git history, runs in block mode with a waiver, a quarantine and
#    an operator mode; it stops with OnStop=keep and this tree's daemon takes over the same
#    bpffs. No frame of the blocked device may cross the gateway meanwhile (capture on lan0),
#    and the layout record, the operator's decisions, a verdict that lives only in vw_device
#    and the counters must be there afterwards.
# 2. a layout change: pins whose vw_device value is shorter and whose counters are fewer and in
#    another order (what the next layout change looks like to the daemon that brings it) are
#    converted: values zero-extended, counters mapped by name, again with no frame passing.
# 3. a downgrade: a layout record newer than this daemon is refused with a message saying what
#    to do, and enforcement stays as it was.
set -u
# shellcheck source=SCRIPTDIR/../lib/harness.sh
. "$(dirname "$0")/../lib/harness.sh"
vw_harness_init "$@"
vw_require ping tcpdump jq bpftool git make od
[ -x "$VW_DAEMON" ] || vw_skip_all "$VW_DAEMON not built"
CTL=$VW_BUILD/vendorwallctl
[ -x "$CTL" ] || vw_skip_all "$CTL not built"

# The last commit whose daemon pins an unversioned layout (layout 1).
FROM=${VW_UPGRADE_FROM:-4553099}
# This tree's layout (VW_LAYOUT_VERSION).
LAYOUT=$(sed -n 's/^#define VW_LAYOUT_VERSION *\([0-9][0-9]*\).*/\1/p' "$VW_REPO/include/vendorwall.h")
[ -n "$LAYOUT" ] || vw_skip_all "no VW_LAYOUT_VERSION in include/vendorwall.h"
PREV=$VW_BUILD/prev-$FROM
SOCK=$VW_SCRATCH/run/control
MAPS=$VW_PIN_ROOT/maps
WAIVED_MAC=00:e0:fc:00:00:99        # Huawei: blocked but for the waiver
QUARANTINED_MAC=00:1b:21:00:00:77   # Intel: passes but for the quarantine
FP_MAC=02:11:22:33:44:55            # a verdict only vw_device holds (fingerprint engine)
PLAIN_MAC=00:16:3e:12:34:56         # Xen: no entry under its OUI

git -C "$VW_REPO" cat-file -e "$FROM^{commit}" 2>/dev/null ||
	vw_skip_all "commit $FROM is not in this clone's history (shallow clone?): no previous release to upgrade from"

# The previous release, built once per build directory.
build_prev() {
	[ -x "$PREV/build/vendorwalld" ] && [ -x "$PREV/build/vendorwallctl" ] && return 0
	rm -rf "$PREV.tmp" && mkdir -p "$PREV.tmp" || return 1
	git -C "$VW_REPO" archive "$FROM" | tar -x -C "$PREV.tmp" || return 1
	make -C "$PREV.tmp" -j2 build/vendorwalld build/vendorwallctl >"$PREV.log" 2>&1 ||
		{ tail -n 20 "$PREV.log"; return 1; }
	rm -rf "$PREV" && mv "$PREV.tmp" "$PREV"
}

# write_conf POLICY_DIR: the "lan" segment in monitor mode, enforcement kept on stop.
write_conf() {
	mkdir -p "$VW_SCRATCH/state" "$VW_SCRATCH/run"
	cat >"$VW_CONF.tmp" <<-EOF
		[Daemon]
		Profile=us-ndaa-889
		PolicyDirectory=$1
		RegistryDirectory=/usr/share/ieee-data
		StateDirectory=$VW_SCRATCH/state
		RuntimeDirectory=$VW_SCRATCH/run
		BpfRoot=$VW_PIN_ROOT
		AlertInterval=1h

		[Segment lan]
		Interface=$VW_GW_IF
		Mode=monitor
		OnStop=keep
	EOF
	mv "$VW_CONF.tmp" "$VW_CONF"
}

# ctl CTL ARGS...: a vendorwallctl against the running daemon.
ctl() {
	local bin=$1
	shift
	vw_in gw "$bin" --socket "$SOCK" "$@"
}

# mac_key MAC: vw_device key (48-bit big-endian MAC in a little-endian u64) as bpftool bytes.
mac_key() {
	local IFS=: b
	read -r -a b <<<"$1"
	echo "0x${b[5]} 0x${b[4]} 0x${b[3]} 0x${b[2]} 0x${b[1]} 0x${b[0]} 0 0"
}

# device_value MAC: the pinned vw_device value of MAC as hex bytes ("" when absent).
device_value() {
	# shellcheck disable=SC2046 # a list of bytes
	bpftool -j map lookup pinned "$MAPS/vw_device" key $(mac_key "$1") 2>/dev/null |
		jq -r '.value | map(ltrimstr("0x")) | join(" ")'
}

# meta_u32 OFFSET: a little-endian u32 of the pinned layout record.
meta_u32() {
	local h
	h=$(bpftool -j map lookup pinned "$MAPS/vw_meta" key 0 0 0 0 2>/dev/null |
		jq -r --argjson o "$1" '.value[$o:$o+4] | map(ltrimstr("0x")) | reverse | join("")')
	[ -n "$h" ] && echo $((16#$h))
}

# meta_names: the counter names the layout record lists, one a line.
meta_names() {
	local esc
	esc=$(bpftool -j map lookup pinned "$MAPS/vw_meta" key 0 0 0 0 |
		jq -r '.value[16:] | map("\\x" + ltrimstr("0x")) | join("")')
	# shellcheck disable=SC2059 # the escapes are the point
	printf "$esc" | tr '\0' '\n' | sed '/^$/d'
}

# meta_value VERSION NAME...: a layout record (struct vw_layout_meta) as bpftool hex bytes.
meta_value() {
	local ver=$1
	shift
	{
		printf 'yalv'   # VW_LAYOUT_MAGIC, little-endian
		# shellcheck disable=SC2059
		printf "\\x$(printf %02x "$ver")\\0\\0\\0\\x$(printf %02x $#)\\0\\0\\0\\0\\0\\0\\0"
		printf '%s\0' "$@"
		head -c 512 /dev/zero
	} | head -c 512 | od -An -v -tx1
}

# counter NAME: the lan segment's counter as the running daemon reports it.
counter() { ctl "$CTL" -j stats | jq -r ".segments[0].counters.$1"; }

# runs_on_pins: the program of the pinned XDP link, and our TC filter, use exactly the maps
# pinned under maps/ (the set was swapped in after the programs moved to it).
runs_on_pins() {
	local link prog tc_prog want got tc_got
	link=$(vw_in gw cat "/sys/class/net/$VW_GW_IF/ifindex")
	prog=$(bpftool -j link show pinned "$VW_PIN_ROOT/links/xdp_$link" | jq .prog_id)
	tc_prog=$(vw_in gw tc -j filter show dev "$VW_GW_IF" egress |
		jq '[.[] | select(.options.bpf_name != null) | .options.prog.id] | first')
	want=$(for m in "$MAPS"/*; do
		[ "${m##*/}" = vw_meta ] || bpftool -j map show pinned "$m" | jq .id
	done | sort -n | tr '\n' ' ')
	got=$(bpftool -j prog show id "$prog" | jq '.map_ids[]' | sort -n | tr '\n' ' ')
	tc_got=$(bpftool -j prog show id "$tc_prog" | jq '.map_ids[]' | sort -n | tr '\n' ' ')
	echo "pinned maps: $want"
	echo "XDP program $prog maps: $got"
	echo "TC program $tc_prog maps: $tc_got"
	# every pinned map is the XDP program's (it may also hold internal .rodata maps)
	for m in $want; do
		case " $got " in *" $m "*) ;; *) return 1 ;; esac
	done
	# every map of the TC program is a pinned one or internal (a dot in its name)
	[ -n "$tc_got" ] || return 1
	for m in $tc_got; do
		case " $want " in *" $m "*) ;; *)
			bpftool -j map show id "$m" | jq -e '.name | contains(".")' >/dev/null || return 1 ;;
		esac
	done
}

ncpus() {
	local n=0 r a b
	for r in $(tr , ' ' </sys/devices/system/cpu/possible); do
		a=${r%-*} b=${r#*-}
		n=$((n + b - a + 1))
	done
	echo "$n"
}

# capture_start NAME / capture_stop: frames of both devices arriving on lan0 while the
# daemons change; HW_PASSED and BN_SEEN are set from the capture.
capture_start() {
	CAP=$VW_SCRATCH/$1.pcap
	vw_in hw ping -n -q -i 0.005 -c 100000 "$VW_GW_IP" >/dev/null 2>&1 &
	HW_PING=$!
	vw_track_pid "$HW_PING"
	vw_in bn ping -n -q -i 0.05 -c 2000 "$VW_GW_IP" >/dev/null 2>&1 &
	BN_PING=$!
	vw_track_pid "$BN_PING"
	vw_in gw tcpdump -i "$VW_GW_IF" -n -U -w "$CAP" \
		ether src "$VW_HW_MAC" or ether src "$VW_BN_MAC" 2>/dev/null &
	TCPDUMP=$!
	vw_track_pid "$TCPDUMP"
	# tcpdump is listening once a benign frame is in the file
	local t=50
	while [ "$t" -gt 0 ] && [ "$(tcpdump -r "$CAP" -n 2>/dev/null | wc -l)" -eq 0 ]; do
		sleep 0.1
		t=$((t - 1))
	done
}

capture_stop() {
	local p
	for p in "$TCPDUMP" "$HW_PING" "$BN_PING"; do
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
		vw_untrack_pid "$p"
	done
	HW_PASSED=$(tcpdump -r "$CAP" -n ether src "$VW_HW_MAC" 2>/dev/null | wc -l)
	BN_SEEN=$(tcpdump -r "$CAP" -n ether src "$VW_BN_MAC" 2>/dev/null | wc -l)
}

# new_daemon_start: this tree's daemon, waited for; false if it did not get ready.
new_daemon_start() {
	VW_DAEMON=${VW_NEW_DAEMON:-$VW_BUILD/vendorwalld}
	write_conf "$VW_REPO/policy"
	vw_daemon_start_wait 30
}

# ---------------------------------------------------------------- 1. from the previous release

vw_check "setup: gateway, switch, huawei and benign device namespaces" vw_lan_topology || vw_fatal
vw_check "previous release: daemon and vendorwallctl of $FROM built from git history" build_prev ||
	vw_fatal

VW_DAEMON=$PREV/build/vendorwalld
write_conf "$PREV/policy"
vw_daemon_start_wait 30 || { vw_not_ok "previous release: daemon ready"; vw_fatal; }
vw_ok "previous release: daemon ready"
vw_check "previous release: pins carry no layout record (layout 1)" vw_not test -e "$MAPS/vw_meta"
vw_check "previous release: operator sets block mode" ctl "$PREV/build/vendorwallctl" mode lan block
vw_check "previous release: operator waiver" ctl "$PREV/build/vendorwallctl" \
	allow "$WAIVED_MAC" --until +8h --reason "upgrade test"
vw_check "previous release: operator quarantine" ctl "$PREV/build/vendorwallctl" \
	quarantine "$QUARANTINED_MAC" --reason "upgrade test"
# shellcheck disable=SC2046 # a list of bytes
vw_check "previous release: a fingerprint verdict in vw_device (restricted, vendor 1)" \
	bpftool map update pinned "$MAPS/vw_device" key $(mac_key "$FP_MAC") value 0x04 0 0 0 0x01 0 0 0
vw_check "previous release: huawei device cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1
drops_old=$(ctl "$PREV/build/vendorwallctl" -j stats | jq -r '.segments[0].counters.drop')
vw_check "previous release: drops counted ($drops_old)" test "${drops_old:-0}" -gt 0
vw_check "previous release: benign device passes" vw_ping bn "$VW_GW_IP"
benign_old=$(ctl "$PREV/build/vendorwallctl" -j stats | jq -r '.segments[0].counters.benign')
vw_check "previous release: benign frames counted ($benign_old)" test "${benign_old:-0}" -gt 0

capture_start upgrade
vw_daemon_stop 10
vw_is "previous release: stopped cleanly with OnStop=keep" "$?" 0
vw_check "previous release: XDP still attached after its stop" vw_xdp_attached gw "$VW_GW_IF"
t0=$(date +%s%N)
new_daemon_start || { vw_not_ok "upgrade: this tree's daemon ready on the old pins"; capture_stop; vw_fatal; }
t_same=$(($(date +%s%N) - t0))
vw_ok "upgrade: this tree's daemon ready on the old pins"
vw_check "upgrade: the huawei device is still cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1
capture_stop
vw_check "upgrade: the capture saw the benign device meanwhile ($BN_SEEN frames)" test "$BN_SEEN" -gt 10
vw_is "upgrade: frames of the blocked device that crossed the gateway" "$HW_PASSED" 0
vw_is "upgrade: layout record in place" "$(meta_u32 4)" "$LAYOUT"
vw_check "upgrade: the XDP link's program uses the pinned maps" runs_on_pins
vw_is "upgrade: journal says layout 1 was found" \
	"$(vw_journal_field VW_LAYOUT_FOUND SYSLOG_IDENTIFIER=vendorwalld VW_LAYOUT=$LAYOUT)" 1
vw_is "upgrade: operator mode kept" "$(ctl "$CTL" -j segments | jq -r '.segments[0].mode')" block
vw_is "upgrade: waiver kept in vw_device" "$(device_value "$WAIVED_MAC" | cut -c1-2)" 01
vw_is "upgrade: quarantine kept in vw_device" "$(device_value "$QUARANTINED_MAC" | cut -c1-2)" 02
vw_is "upgrade: fingerprint verdict kept in vw_device" "$(device_value "$FP_MAC")" \
	"04 00 00 00 01 00 00 00"
drops_new=$(counter dropped)
vw_check "upgrade: drop counter carried over ($drops_old -> $drops_new)" \
	test "${drops_new:-0}" -ge "$drops_old"
vw_check "upgrade: benign device passes" vw_ping bn "$VW_GW_IP"
# The release before counted benign frames by segment, this one counts
# received untagged ones by interface (vw_if_benign, created beside the
# adopted pins) when nothing is listed under their OUI (Intel's holds
# QUARANTINED_MAC): the segment's count holds both. vw_counters alone,
# read after the daemon's figure, holds less.
benign_mid=$(counter benign)
vw_check "upgrade: benign counter carried over ($benign_old -> $benign_mid)" \
	test "${benign_mid:-0}" -ge "${benign_old:-0}"
vw_set_mac bn "$PLAIN_MAC" "$VW_BN_IP"
vw_check "upgrade: a device of an unlisted OUI passes" vw_ping bn "$VW_GW_IP"
benign_new=$(counter benign)
benign_seg=$(vw_counter 1 benign)
vw_check "upgrade: its frames count in the segment ($benign_new, of which by segment $benign_seg)" \
	test "${benign_new:-0}" -gt "${benign_seg:-0}"
vw_check "upgrade: vw_if_benign pinned beside the adopted maps" test -e "$MAPS/vw_if_benign"
vw_set_mac bn "$WAIVED_MAC" "$VW_BN_IP"
vw_check "upgrade: the waived Huawei MAC passes in block mode" vw_ping_within bn "$VW_GW_IP" 2
vw_set_mac bn "$QUARANTINED_MAC" "$VW_BN_IP"
vw_check "upgrade: the quarantined MAC is cut off" vw_not vw_ping_within bn "$VW_GW_IP" 1
vw_set_mac bn "$VW_BN_MAC" "$VW_BN_IP"
vw_daemon_stop 10
vw_is "upgrade: stopped cleanly" "$?" 0

# ---------------------------------------------------------------- 2. a layout change

# The pins as a layout with a shorter vw_device value (flags only) and counters without
# "no_oui" (so every later counter sits one place earlier) would leave them.
mapfile -t names < <(meta_names)
vw_is "layout change: the record lists every counter" "${#names[@]}" "$(meta_u32 8)"
old_names=()
for n in "${names[@]}"; do [ "$n" = no_oui ] || old_names+=("$n"); done
n_old=${#old_names[@]}
idx_of() { local i; for i in "${!old_names[@]}"; do [ "${old_names[$i]}" != "$1" ] || echo "$i"; done; }
# shellcheck disable=SC2046,SC2086 # lists of bytes
simulate_previous_layout() {
	local k
	bpftool map create "$MAPS/sim-device" type hash key 8 value 4 entries 65536 \
		name vw_device || return 1
	for k in "$WAIVED_MAC 0x01" "$QUARANTINED_MAC 0x02" "$FP_MAC 0x04"; do
		bpftool map update pinned "$MAPS/sim-device" key $(mac_key ${k% *}) \
			value ${k#* } 0 0 0 || return 1
	done
	bpftool map create "$MAPS/sim-counters" type percpu_array key 4 value 8 \
		entries $((256 * n_old)) name vw_counters || return 1
	# slot 1: dropped = 1000, redirected = 7 on every CPU
	k=$((n_old + $(idx_of dropped)))
	bpftool map update pinned "$MAPS/sim-counters" key $((k & 255)) $((k >> 8)) 0 0 \
		value 0xe8 0x03 0 0 0 0 0 0 || return 1
	k=$((n_old + $(idx_of redirected)))
	bpftool map update pinned "$MAPS/sim-counters" key $((k & 255)) $((k >> 8)) 0 0 \
		value 7 0 0 0 0 0 0 0 || return 1
	# layout 2's OUI bitmap (2 bits per OUI; layout 3 has 4) without BPF_F_MMAPABLE,
	# holding only 00:e0:fc (word 0xe0fc >> 5, bits (0xfc & 31) * 2): between the swap
	# and the daemon's policy load, its conversion is all that keeps the Huawei device out
	bpftool map create "$MAPS/sim-oui" type array key 4 value 8 entries 524288 \
		name vw_oui || return 1
	bpftool map update pinned "$MAPS/sim-oui" key 0x07 0x07 0 0 \
		value 0 0 0 0 0 0 0 0x01 || return 1
	bpftool map create "$MAPS/sim-meta" type array key 4 value 512 entries 1 \
		name vw_meta || return 1
	bpftool map update pinned "$MAPS/sim-meta" key 0 0 0 0 \
		value hex $(meta_value 2 "${old_names[@]}") || return 1
	# what a daemon killed in the middle of an upgrade leaves: a half-staged set
	mkdir "$VW_PIN_ROOT/maps-next" &&
		bpftool map create "$VW_PIN_ROOT/maps-next/vw_device" type hash key 8 value 8 \
			entries 16 name vw_device || return 1
	# rename(2) replaces each pin at once
	mv -f "$MAPS/sim-device" "$MAPS/vw_device" &&
		mv -f "$MAPS/sim-counters" "$MAPS/vw_counters" &&
		mv -f "$MAPS/sim-oui" "$MAPS/vw_oui" &&
		mv -f "$MAPS/sim-meta" "$MAPS/vw_meta"
}
vw_check "layout change: pins of a layout with a 4-byte vw_device, $n_old counters and a plain-array OUI bitmap" \
	simulate_previous_layout || vw_fatal
capture_start change
t0=$(date +%s%N)
new_daemon_start || { vw_not_ok "layout change: daemon ready"; capture_stop; vw_fatal; }
vw_ok "layout change: daemon ready ($((($(date +%s%N) - t0) / 1000000)) ms to policy loaded, $((t_same / 1000000)) ms without conversion)"
vw_check "layout change: the huawei device is still cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1
capture_stop
vw_check "layout change: the capture saw the benign device meanwhile ($BN_SEEN frames)" \
	test "$BN_SEEN" -gt 10
vw_is "layout change: frames of the blocked device that crossed the gateway" "$HW_PASSED" 0
vw_is "layout change: vw_oui converted back to an mmapable array" \
	"$(bpftool -j map show pinned "$MAPS/vw_oui" | jq '.flags')" 1024
vw_is "layout change: vw_device converted to 8-byte values" \
	"$(bpftool -j map show pinned "$MAPS/vw_device" | jq .bytes_value)" 8
vw_is "layout change: fingerprint verdict zero-extended" "$(device_value "$FP_MAC")" \
	"04 00 00 00 00 00 00 00"
vw_is "layout change: counters map back to this layout's size" \
	"$(bpftool -j map show pinned "$MAPS/vw_counters" | jq .max_entries)" "$((256 * ${#names[@]}))"
vw_is "layout change: record lists this layout's counters again" "$(meta_u32 8)" "${#names[@]}"
vw_check "layout change: the XDP link's program uses the converted, pinned maps" runs_on_pins
vw_is "layout change: redirect counter carried over by name (7 per CPU)" \
	"$(counter redirected)" "$((7 * $(ncpus)))"
drops=$(counter dropped)
vw_check "layout change: drop counter carried over by name ($drops >= 1000 per CPU)" \
	test "${drops:-0}" -ge "$((1000 * $(ncpus)))"
vw_is "layout change: operator mode kept" "$(ctl "$CTL" -j segments | jq -r '.segments[0].mode')" block
vw_check "layout change: the half-staged set of an interrupted upgrade is gone" \
	vw_not test -e "$VW_PIN_ROOT/maps-next"
vw_check "layout change: benign device passes" vw_ping bn "$VW_GW_IP"
vw_daemon_stop 10
vw_is "layout change: stopped cleanly" "$?" 0

# ---------------------------------------------------------------- 3. a downgrade is refused

# set_meta VERSION: rewrites the pinned layout record's version.
set_meta() {
	# shellcheck disable=SC2046 # a list of bytes
	bpftool map update pinned "$MAPS/vw_meta" key 0 0 0 0 \
		value hex $(meta_value "$1" "${names[@]}")
}

# refuse_test: the daemon starts and exits by itself; REFUSE_RC is its status.
refuse_test() {
	local t=300
	VW_DAEMON=$VW_BUILD/vendorwalld
	vw_daemon_start
	while [ "$t" -gt 0 ] && vw_daemon_alive; do
		sleep 0.1
		t=$((t - 1))
	done
	! vw_daemon_alive || return 1
	wait "$VW_DAEMON_PID"
	REFUSE_RC=$?
	vw_untrack_pid "$VW_DAEMON_PID"
	VW_DAEMON_PID=
}
set_meta 99
vw_check "downgrade: the daemon exits on pins of layout 99" refuse_test
vw_is "downgrade: exit status 78 (EX_CONFIG: systemd does not restart it)" "${REFUSE_RC:-}" 78
vw_check "downgrade: the message names the layouts and what to do" \
	grep -q "layout 99, newer than this vendorwalld.s layout $LAYOUT.*Run a vendorwalld of layout 99" \
	"$VW_DAEMON_LOG"
vw_is "downgrade: the layout record is untouched" "$(meta_u32 4)" 99
vw_check "downgrade: XDP still attached" vw_xdp_attached gw "$VW_GW_IF"
vw_check "downgrade: the huawei device is still cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1
vw_check "downgrade: benign device passes" vw_ping bn "$VW_GW_IP"
set_meta "$LAYOUT"
new_daemon_start
vw_is "downgrade: with the record back at layout $LAYOUT the daemon takes over again" "$?" 0
vw_daemon_stop 10

# ---------------------------------------------------------------- 4. no known conversion

# vw_prefix with 4-byte keys: no copy can turn them into vw_prefix_key()s.
bpftool map create "$MAPS/sim-prefix" type hash key 4 value 4 entries 16 name vw_prefix &&
	mv -f "$MAPS/sim-prefix" "$MAPS/vw_prefix"
vw_check "no conversion: the daemon exits on a vw_prefix with 4-byte keys" refuse_test
vw_is "no conversion: exit status 78" "${REFUSE_RC:-}" 78
vw_check "no conversion: the message names the map, both shapes and what to do" \
	grep -q 'map vw_prefix pinned .*key 4, value 4.*key 8, value 4.*no conversion is known.*enforcement goes on' \
	"$VW_DAEMON_LOG"
vw_is "no conversion: nothing was changed (layout record, no staging set)" \
	"$(meta_u32 4) $(test -e "$VW_PIN_ROOT/maps-next" && echo staged)" "$LAYOUT "
vw_check "no conversion: the huawei device is still cut off" vw_not vw_ping_within hw "$VW_GW_IP" 1
vw_check "no conversion: benign device passes" vw_ping bn "$VW_GW_IP"

vw_done
