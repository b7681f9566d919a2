# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts sourcing us
# Sourced library for namespaced end-to-end tests and the demo: a private mount namespace with
# its own systemd-journald and bpffs, throw-away network namespaces, vendorwalld control, TAP.
#
# How the isolation works, and why (learnt on a host without systemd as PID 1 and without
# /sys/fs/bpf mounted):
#
# * vw_harness_init re-executes the calling script under `unshare --mount --propagation private`,
#   in a new PID namespace too (--pid --fork --kill-child --mount-proc): if the test is killed
#   with SIGKILL, the kernel kills every process it started (journald, the daemon, pings), which
#   a trap cannot do. Normal exits, SIGINT and SIGTERM go through the cleanup trap.
# * Inside, a tmpfs is mounted over the whole of /run: journald's sockets (/run/systemd/journal/
#   {socket,stdout,dev-log}), its volatile journal (/run/log/journal), `ip netns`'s bind mounts
#   (/run/netns) and our scratch directory all live there, so nothing is created on the host's
#   /run and a SIGKILLed test leaves nothing behind: when the last process of the mount namespace
#   dies, the tmpfs, the netns bind mounts and the bpffs instance go with it. /var/log/journal,
#   if it exists, is covered by a tmpfs too, so journald can never write into the host's journal.
# * A real /lib/systemd/systemd-journald runs in the background of that namespace.
#   It stays in volatile mode (nobody asks it to flush to /var), so entries are read back with
#   `journalctl -D /run/log/journal`. AF_UNIX sockets are reached by path, so a process in
#   another network namespace (vendorwalld under `ip netns exec`) logs to the same journald.
# * bpffs: `ip netns exec` unshares the mount namespace again and, to show the right
#   /sys/class/net, lazily unmounts /sys and mounts a fresh sysfs: a bpffs mounted on
#   /sys/fs/bpf disappears inside it, and a second `mount -t bpf` would create a *new, empty*
#   bpffs instance (bpffs is not a single superblock), invisible to the harness, so pins could
#   not be checked from outside and would not survive a daemon restart. We therefore mount one
#   bpffs at $VW_BPFFS (under the private /run, which `ip netns exec` leaves alone), bind it
#   onto /sys/fs/bpf in our namespace, and vw_gw_exec/vw_daemon_start bind-mount it onto
#   /sys/fs/bpf inside the `ip netns exec` namespace before exec'ing the daemon. Everyone sees
#   one bpffs at the production path, private to this test, so BpfRoot can stay the default
#   /sys/fs/bpf/vendorwall.
# * Network namespaces are named vw-<pid>-<name>; the cleanup trap (EXIT, INT, TERM) stops
#   every process started through this library, deletes the namespaces (and with them every
#   veth and bridge, which only ever live inside them) and the pin directory, and checks that
#   `ip netns list` shows none of ours. The host's `ip netns list` never shows them at all,
#   since /run/netns is on the private tmpfs; nothing is ever created in the host's netns.
# * Two calls of a test can run at once: every path above is private to its mount namespace.
#
# Debugging a running test from another shell: `nsenter -t <pid of the inner bash> -m -p
# ip netns exec vw-<pid>-gw ...`.

VW_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VW_BUILD=${VW_BUILD:-$VW_REPO/build}
VW_PREFIX="vw-$$-"
VW_SCRATCH=/run/vendorwall-test
VW_BPFFS=$VW_SCRATCH/bpffs
VW_JOURNAL_DIR=/run/log/journal
VW_JOURNALD=${VW_JOURNALD:-/lib/systemd/systemd-journald}

# The daemon's tables as `make` wrote them from the C sources (tools/vw-names):
# VW_MID_<NAME> for every MESSAGE_ID of daemon/lib/alert_ids.h, VW_MODES, and
# VW_CTR_<NAME> / VW_CTR_MAX for the counters of include/vendorwall.h.
if [ -r "$VW_BUILD/names.sh" ]; then
	# shellcheck source=/dev/null
	. "$VW_BUILD/names.sh"
else
	echo "harness: $VW_BUILD/names.sh is missing; run make first" >&2
	exit 1
fi

VW_PIDS=()        # processes to stop on cleanup, newest last
VW_NETNS=()       # full names of namespaces we created
VW_PIN_DIRS=()    # pin directories to remove on cleanup
VW_CLEANUP_CMDS=()
VW_JOURNALD_PID=
VW_DAEMON_PID=
VW_QUIET=${VW_QUIET:-}   # demo: set to 1 to keep TAP chatter out of the narration

# ---------------------------------------------------------------- TAP

VW_TAP_N=0
VW_TAP_FAILED=0
VW_TAP_PLANNED=

vw_plan() { VW_TAP_PLANNED=$1; echo "1..$1"; }

vw_diag() {
	local line
	for line in "$@"; do
		[ -z "$line" ] || printf '%s\n' "$line" | sed 's/^/# /'
	done
}

vw_ok() { VW_TAP_N=$((VW_TAP_N + 1)); echo "ok $VW_TAP_N - $1"; }

# vw_not_ok DESC [DIAG...]
vw_not_ok() {
	VW_TAP_N=$((VW_TAP_N + 1))
	VW_TAP_FAILED=$((VW_TAP_FAILED + 1))
	echo "not ok $VW_TAP_N - $1"
	shift
	[ $# -eq 0 ] || vw_diag "$@"
}

# vw_not CMD...: CMD must fail (for vw_check).
vw_not() { ! "$@"; }

vw_skip() { VW_TAP_N=$((VW_TAP_N + 1)); echo "ok $VW_TAP_N - $1 # SKIP $2"; }

# vw_check DESC CMD...: one TAP line for CMD's exit status; its output becomes the diagnostic.
# CMD runs in this shell (not a subshell), so variables it sets stay set.
vw_check() {
	local desc=$1 out=$VW_SCRATCH/check.out
	shift
	if "$@" >"$out" 2>&1; then
		vw_ok "$desc"
	else
		vw_not_ok "$desc" "command: $*" "$(cat "$out")"
		return 1
	fi
}

# vw_is DESC GOT WANT
vw_is() {
	if [ "$2" = "$3" ]; then
		vw_ok "$1"
	else
		vw_not_ok "$1" "got:  '$2'" "want: '$3'"
		return 1
	fi
}

# Whole script skipped (not root, tool missing): a valid TAP stream that runs nothing.
vw_skip_all() { echo "1..0 # SKIP $1"; exit 0; }

vw_bail() { echo "Bail out! $1"; exit 1; }

# Closes the TAP stream; use as `vw_done; exit $?` or last command of the script.
vw_done() {
	if [ -z "$VW_TAP_PLANNED" ]; then
		echo "1..$VW_TAP_N"
	elif [ "$VW_TAP_PLANNED" -ne "$VW_TAP_N" ]; then
		vw_diag "planned $VW_TAP_PLANNED tests, ran $VW_TAP_N"
		return 1
	fi
	[ "$VW_TAP_FAILED" -eq 0 ]
}

# ---------------------------------------------------------------- private namespace + journald

# vw_require CMD...: skip the whole script when a tool is missing.
vw_require() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || [ -x "$c" ] || vw_skip_all "$c not found (make deps)"
	done
}

# vw_harness_init "$@": call first thing in a test. Re-executes the script inside a private
# mount namespace, then sets up /run, bpffs, journald and the cleanup trap.
vw_harness_init() {
	[ "$(id -u)" -eq 0 ] || vw_skip_all "needs root (network namespaces, XDP)"
	vw_require unshare ip mountpoint "$VW_JOURNALD" journalctl logger timeout
	if [ -z "${VW_HARNESS_INNER:-}" ]; then
		export VW_HARNESS_INNER=$$ VW_BUILD
		exec unshare --mount --propagation private --pid --fork --kill-child --mount-proc \
			-- "$BASH" "$0" "$@"
	fi
	VW_PREFIX="vw-$VW_HARNESS_INNER-"   # our $$ is 1 now: name things after the outer pid
	unset VW_HARNESS_INNER   # children (the daemon) must not think they are the test

	trap vw__cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	mount -t tmpfs -o mode=0755,size=64m vw-run /run || vw_bail "cannot mount tmpfs on /run"
	mkdir -p /run/systemd /run/log /run/netns "$VW_SCRATCH" "$VW_BPFFS"
	if [ -d /var/log/journal ]; then
		mount -t tmpfs -o mode=0755,size=16m vw-journal /var/log/journal ||
			vw_bail "cannot mount tmpfs on /var/log/journal"
	fi
	mount -t bpf -o mode=0700 bpf "$VW_BPFFS" || vw_bail "cannot mount bpffs"
	mount --bind "$VW_BPFFS" /sys/fs/bpf || vw_bail "cannot bind bpffs onto /sys/fs/bpf"

	"$VW_JOURNALD" >"$VW_SCRATCH/journald.log" 2>&1 </dev/null &
	VW_JOURNALD_PID=$!
	local i
	for i in $(seq 100); do
		[ -S /run/systemd/journal/socket ] && break
		kill -0 "$VW_JOURNALD_PID" 2>/dev/null || break
		sleep 0.05
	done
	[ -S /run/systemd/journal/socket ] ||
		vw_bail "systemd-journald did not create its socket: $(cat "$VW_SCRATCH/journald.log")"
	: "$i"
}

# vw_journal_selftest: proves the round trip (native protocol in, journalctl out) before
# anything relies on it. Returns non-zero with a message on stdout on failure.
vw_journal_selftest() {
	local tag="vw-selftest-$$-$RANDOM"
	printf 'MESSAGE=harness self-test\nSYSLOG_IDENTIFIER=%s\nVW_PROBE=%s\n' "$tag" "$tag" |
		logger --journald || { echo "logger --journald failed"; return 1; }
	if ! vw_journal_wait 5 SYSLOG_IDENTIFIER="$tag"; then
		echo "entry sent with logger --journald never showed up in $VW_JOURNAL_DIR"
		return 1
	fi
	[ "$(vw_journal_field VW_PROBE SYSLOG_IDENTIFIER="$tag")" = "$tag" ] ||
		{ echo "field VW_PROBE did not round-trip"; return 1; }
}

# vw_journal [journalctl args and FIELD=VALUE matches...]
vw_journal() { journalctl -D "$VW_JOURNAL_DIR" --no-pager -q "$@" 2>/dev/null; }

# vw_journal_count MATCH...: number of entries matching (matches on different fields AND).
vw_journal_count() { vw_journal -o json "$@" | grep -c '^{' || true; }

# vw_journal_wait TIMEOUT_S MATCH...: polls until at least one entry matches.
vw_journal_wait() {
	local timeout=$1 deadline
	shift
	deadline=$(($(date +%s%N) / 1000000 + timeout * 1000))
	while [ "$(vw_journal_count "$@")" -eq 0 ]; do
		[ "$(($(date +%s%N) / 1000000))" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# vw_journal_wait_more TIMEOUT_S N MATCH...: polls until more than N entries match (for a
# second occurrence of something the journal already holds).
vw_journal_wait_more() {
	local t=$(($1 * 5)) n=$2
	shift 2
	while [ "$t" -gt 0 ]; do
		[ "$(vw_journal_count "$@")" -le "$n" ] || return 0
		sleep 0.2
		t=$((t - 1))
	done
	return 1
}

# vw_journal_field FIELD MATCH...: FIELD of the first (oldest) matching entry, empty if none.
# Export format is KEY=VALUE per line (our fields are text), entries separated by blank lines.
vw_journal_field() {
	local field=$1
	shift
	vw_journal -o export "$@" | awk -v f="$field=" '
		/^$/ { exit }
		index($0, f) == 1 { print substr($0, length(f) + 1); exit }'
}

# vw_journal_fields MATCH...: the first matching entry as KEY=VALUE lines, trusted fields dropped.
vw_journal_fields() {
	vw_journal -o export "$@" | awk '/^$/ { exit } /^(_|__)/ { next } { print }'
}

# ---------------------------------------------------------------- processes

# vw_spawn_track PID: stop PID on cleanup.
vw_track_pid() { VW_PIDS+=("$1"); }

vw_untrack_pid() {
	local i
	for i in "${!VW_PIDS[@]}"; do
		[ "${VW_PIDS[$i]}" != "$1" ] || unset 'VW_PIDS[i]'
	done
}

# vw_on_cleanup CMD: run CMD (a string for eval) during cleanup, before namespaces go.
vw_on_cleanup() { VW_CLEANUP_CMDS+=("$1"); }

# vw_stop_pid PID [TIMEOUT_S]: SIGTERM, then SIGKILL after the timeout; reaps it.
vw_stop_pid() {
	local pid=$1 t=$((${2:-5} * 10))
	kill -TERM "$pid" 2>/dev/null || return 0
	while [ "$t" -gt 0 ] && kill -0 "$pid" 2>/dev/null; do
		# a zombie child still answers kill -0; `wait` below reaps it
		[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z ] || break
		sleep 0.1
		t=$((t - 1))
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

vw__cleanup() {
	local rc=$? i ns pid left
	trap - EXIT INT TERM
	set +e
	for i in "${VW_CLEANUP_CMDS[@]}"; do eval "$i"; done
	# newest first: the daemon before journald, so its last entries still land
	for ((i = ${#VW_PIDS[@]} - 1; i >= 0; i--)); do
		[ -n "${VW_PIDS[$i]:-}" ] && vw_stop_pid "${VW_PIDS[$i]}" 3
	done
	for ns in "${VW_NETNS[@]}"; do
		# anything else still running in our namespaces (e.g. a ping) is ours too
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	for i in "${VW_PIN_DIRS[@]}"; do rm -rf "$i"; done
	[ -z "$VW_JOURNALD_PID" ] || vw_stop_pid "$VW_JOURNALD_PID" 3
	left=$(ip netns list 2>/dev/null | grep -F "$VW_PREFIX")
	if [ -n "$left" ]; then
		vw_diag "cleanup: namespaces left behind:" "$left"
		[ "$rc" -ne 0 ] || rc=1
	fi
	exit "$rc"
}

# ---------------------------------------------------------------- network namespaces

# vw_ns NAME: full name of our namespace NAME.
vw_ns() { echo "$VW_PREFIX$1"; }

# vw_netns_add NAME: creates namespace vw-<pid>-NAME with lo up and IPv6 off (no RS/DAD noise
# from addresses we don't control).
vw_netns_add() {
	local ns
	ns=$(vw_ns "$1")
	ip netns add "$ns" || return 1
	VW_NETNS+=("$ns")
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
}

# vw_in NAME CMD...: runs CMD in namespace NAME (short name).
vw_in() {
	local ns
	ns=$(vw_ns "$1")
	shift
	ip netns exec "$ns" "$@"
}

# vw_veth NS1 IF1 NS2 IF2: a veth pair with one end in each namespace.
vw_veth() {
	ip -n "$(vw_ns "$1")" link add "$2" type veth peer name "$4" netns "$(vw_ns "$3")"
}

# vw_link NS IF [MAC]: sets the MAC (optional) and brings IF up.
vw_link() {
	local ns
	ns=$(vw_ns "$1")
	if [ -n "${3:-}" ]; then ip -n "$ns" link set dev "$2" address "$3" || return 1; fi
	ip -n "$ns" link set dev "$2" up
}

vw_addr() { ip -n "$(vw_ns "$1")" addr add "$3" dev "$2"; }

# vw_edge_topology: an attacker namespace "fl" wired to the gateway's edge0 (fl0 <-> edge0),
# creating the gateway namespace unless it exists.
vw_edge_topology() {
	[ -e "/run/netns/$(vw_ns gw)" ] || vw_netns_add gw || return 1
	vw_netns_add fl && vw_veth fl fl0 gw edge0 && vw_link fl fl0 && vw_link gw edge0
}

# vw_bridge NS BR PORT...: a plain learning bridge (no STP) enslaving PORTs, all up.
vw_bridge() {
	local ns br=$2 p
	ns=$(vw_ns "$1")
	ip -n "$ns" link add "$br" type bridge stp_state 0 forward_delay 0 || return 1
	ip -n "$ns" link set "$br" up
	shift 2
	for p in "$@"; do
		ip -n "$ns" link set "$p" master "$br" && ip -n "$ns" link set "$p" up || return 1
	done
}

# vw_neigh NS IF IP MAC: static neighbour entry, so ARP is neither needed nor what gets blocked.
vw_neigh() { ip -n "$(vw_ns "$1")" neigh replace "$3" lladdr "$4" dev "$2" nud permanent; }

# vw_ping NS DST: 3 echo requests, succeeds if any reply arrives within ~2 s.
vw_ping() { vw_in "$1" ping -n -q -c 3 -i 0.2 -W 1 -w 2 "$2" >/dev/null 2>&1; }

# vw_set_mac NS MAC IP: gives device NS's eth0 a new MAC, with static neighbours both ways
# again (a MAC change flushes the device's neighbour table, static entries too).
vw_set_mac() {
	vw_in "$1" ip link set eth0 address "$2" &&
		vw_neigh "$1" eth0 "$VW_GW_IP" "$VW_GW_MAC" &&
		vw_neigh gw "$VW_GW_IF" "$3" "$2"
}

# vw_ping_within NS DST SECONDS: one echo reply arrives within SECONDS (a ping per 0.1 s).
vw_ping_within() { vw_in "$1" ping -n -q -c 1 -i 0.1 -w "$3" "$2" >/dev/null 2>&1; }

# vw_lan_topology: the simulated gateway used by the e2e tests and the demo.
#
#   hw (Huawei OUI 00:e0:fc)  eth0 ─┐
#                                   ├─ br0 [sw] up0 ══ lan0 [gw]   ← vendorwalld's segment "lan"
#   bn (Intel OUI 00:1b:21)   eth0 ─┘
#
# The gateway has one LAN port facing a switch, as a real one would: XDP on lan0 sees both
# devices' source MACs, TC egress on lan0 sees them as destinations.
vw_lan_topology() {
	VW_GW_IF=lan0
	VW_GW_IP=192.0.2.1  VW_GW_MAC=02:76:77:00:00:01   # locally administered: no OUI
	VW_HW_IP=192.0.2.11 VW_HW_MAC=00:e0:fc:12:34:56   # HUAWEI TECHNOLOGIES CO.,LTD
	VW_BN_IP=192.0.2.12 VW_BN_MAC=00:1b:21:0a:0b:0c   # Intel Corporate
	local n
	for n in gw sw hw bn; do vw_netns_add "$n" || return 1; done
	vw_veth sw up0 gw "$VW_GW_IF" &&
		vw_veth sw p-hw hw eth0 &&
		vw_veth sw p-bn bn eth0 &&
		vw_bridge sw br0 up0 p-hw p-bn &&
		vw_link gw "$VW_GW_IF" "$VW_GW_MAC" &&
		vw_link hw eth0 "$VW_HW_MAC" &&
		vw_link bn eth0 "$VW_BN_MAC" &&
		vw_addr gw "$VW_GW_IF" "$VW_GW_IP/24" &&
		vw_addr hw eth0 "$VW_HW_IP/24" &&
		vw_addr bn eth0 "$VW_BN_IP/24" &&
		vw_neigh gw "$VW_GW_IF" "$VW_HW_IP" "$VW_HW_MAC" &&
		vw_neigh gw "$VW_GW_IF" "$VW_BN_IP" "$VW_BN_MAC" &&
		vw_neigh hw eth0 "$VW_GW_IP" "$VW_GW_MAC" &&
		vw_neigh bn eth0 "$VW_GW_IP" "$VW_GW_MAC"
}

# ---------------------------------------------------------------- vendorwalld

VW_DAEMON=${VW_DAEMON:-$VW_BUILD/vendorwalld}
VW_CONF=$VW_SCRATCH/vendorwall.conf
VW_DAEMON_LOG=$VW_SCRATCH/vendorwalld.log
VW_PIN_ROOT=/sys/fs/bpf/vendorwall

# vw_gw_exec NS CMD...: CMD in namespace NS with our bpffs on /sys/fs/bpf (see top of file).
vw_gw_exec() {
	local ns
	ns=$(vw_ns "$1")
	shift
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$ns" sh -c 'mount --bind "$0" /sys/fs/bpf && exec "$@"' "$VW_BPFFS" "$@"
}

# vw_daemon_section [KEY=VALUE...]: prints the test daemon's [Daemon] section (private
# state, run and pin directories; AlertInterval=1h unless a KEY=VALUE says otherwise) and
# creates its directories.
vw_daemon_section() {
	local interval=1h kv
	for kv in "$@"; do [[ $kv != AlertInterval=* ]] || interval=${kv#*=}; done
	mkdir -p "$VW_SCRATCH/state" "$VW_SCRATCH/run"
	cat <<-EOF
		[Daemon]
		Profile=us-ndaa-889
		PolicyDirectory=$VW_REPO/policy
		RegistryDirectory=/usr/share/ieee-data
		StateDirectory=$VW_SCRATCH/state
		RuntimeDirectory=$VW_SCRATCH/run
		BpfRoot=$VW_PIN_ROOT
		AlertInterval=$interval
	EOF
	for kv in "$@"; do [[ $kv == AlertInterval=* ]] || echo "$kv"; done
}

# vw_daemon_config MODE: (re)writes the config for segment "lan" on the gateway's lan0.
vw_daemon_config() {
	{
		vw_daemon_section
		cat <<-EOF

			[Segment lan]
			Interface=$VW_GW_IF
			Mode=$1
			OnStop=detach
		EOF
	} >"$VW_CONF.tmp"
	mv "$VW_CONF.tmp" "$VW_CONF"
}

# vw_counter SLOT NAME: counter NAME (VW_CTR_NAME) of segment slot SLOT, summed over CPUs,
# from the pinned map; 1 when NAME is no counter. For benign that is only part of the
# segment's count: received untagged frames of unlisted OUIs count by interface
# (vw_if_benign); `vendorwallctl stats` gives the whole.
vw_counter() {
	local var=VW_CTR_${2^^} idx
	[ -n "${!var:-}" ] || return 1
	idx=$(($1 * VW_CTR_MAX + ${!var}))
	# bpftool prints each CPU's value as little-endian hex bytes.
	bpftool -j map lookup pinned "$VW_PIN_ROOT/maps/vw_counters" key \
		$((idx & 255)) $(((idx >> 8) & 255)) 0 0 |
		jq 'def hex: ascii_downcase | ltrimstr("0x") | explode |
			reduce .[] as $c (0; . * 16 + (if $c >= 97 then $c - 87 else $c - 48 end));
		    [.values[].value | reverse | map(hex) | reduce .[] as $b (0; . * 256 + $b)] | add'
}

# vw_daemon_start: vendorwalld in the gateway namespace, foreground, output to $VW_DAEMON_LOG.
vw_daemon_start() {
	VW_PIN_DIRS+=("$VW_PIN_ROOT")
	# exec all the way down (subshell, ip, sh), so $! is the daemon's own pid
	# shellcheck disable=SC2016 # expanded by the inner sh
	(cd "$VW_REPO" && exec ip netns exec "$(vw_ns gw)" \
		sh -c 'mount --bind "$0" /sys/fs/bpf && exec "$@"' "$VW_BPFFS" \
		"$VW_DAEMON" --config "$VW_CONF") >"$VW_DAEMON_LOG" 2>&1 </dev/null &
	VW_DAEMON_PID=$!
	vw_track_pid "$VW_DAEMON_PID"
}

# vw_daemon_start_wait TIMEOUT_S: starts the daemon and waits for its own policy-loaded
# entry (the journal may hold those of earlier runs).
vw_daemon_start_wait() {
	local loaded
	loaded=$(vw_journal_count MESSAGE_ID="$VW_MID_POLICY_LOADED")
	vw_daemon_start
	vw_journal_wait_more "$1" "$loaded" MESSAGE_ID="$VW_MID_POLICY_LOADED"
}

# vw_daemon_wait_ready TIMEOUT_S: waits for the policy-loaded entry; fails early if it died.
vw_daemon_wait_ready() {
	local t=$(($1 * 5))
	while [ "$t" -gt 0 ]; do
		[ "$(vw_journal_count MESSAGE_ID="$VW_MID_POLICY_LOADED")" -eq 0 ] || return 0
		vw_daemon_alive || return 1
		sleep 0.2
		t=$((t - 1))
	done
	return 1
}

vw_daemon_alive() {
	[ -n "$VW_DAEMON_PID" ] && kill -0 "$VW_DAEMON_PID" 2>/dev/null &&
		[ "$(ps -o stat= -p "$VW_DAEMON_PID" 2>/dev/null)" != Z ]
}

vw_daemon_reload() { kill -HUP "$VW_DAEMON_PID"; }

# vw_daemon_stop TIMEOUT_S: SIGTERM and wait; returns the daemon's exit status (124 on timeout,
# after which it is killed).
vw_daemon_stop() {
	local t=$(($1 * 10)) rc
	kill -TERM "$VW_DAEMON_PID" 2>/dev/null
	while [ "$t" -gt 0 ] && vw_daemon_alive; do
		sleep 0.1
		t=$((t - 1))
	done
	if vw_daemon_alive; then
		kill -KILL "$VW_DAEMON_PID"
		wait "$VW_DAEMON_PID" 2>/dev/null
		rc=124
	else
		wait "$VW_DAEMON_PID"
		rc=$?
	fi
	vw_untrack_pid "$VW_DAEMON_PID"
	VW_DAEMON_PID=
	return "$rc"
}

# vw_fatal: ends the script after a not-ok line when later steps cannot mean anything; the
# daemon's output and journal are shown once, as diagnostics.
vw_fatal() {
	vw_daemon_diag
	vw_done
	exit 1
}

# vw_daemon_diag: the daemon's output and its journal entries, as TAP diagnostics.
vw_daemon_diag() {
	vw_diag "--- vendorwalld output (last 40 lines):"
	[ -s "$VW_DAEMON_LOG" ] && vw_diag "$(tail -n 40 "$VW_DAEMON_LOG")"
	vw_diag "--- journal, SYSLOG_IDENTIFIER=vendorwalld (last 40 entries):"
	vw_diag "$(vw_journal -o short-monotonic -n 40 SYSLOG_IDENTIFIER=vendorwalld)"
}

# vw_xdp_attached NS IF: true when an XDP program is attached to IF.
vw_xdp_attached() { ip -n "$(vw_ns "$1")" -d link show dev "$2" | grep -q 'prog/xdp'; }
