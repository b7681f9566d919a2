# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# What the tests that boot the package under a real systemd share: finding systemd-sandbox
# (shared/ beside the checkout, as CI lays it, before /work/shared and the PATH), bounded
# commands inside it, and one start and one cleanup path. Source after tests/lib/harness.sh;
# the test sets SB (the sandbox name) and VW_SCRATCH first.

[ "$(id -u)" -eq 0 ] || vw_skip_all "needs root (systemd-nspawn)"
SANDBOX=${VW_SANDBOX:-$VW_REPO/../shared/tools/systemd-sandbox}
[ -x "$SANDBOX" ] || SANDBOX=/work/shared/tools/systemd-sandbox
[ -x "$SANDBOX" ] || SANDBOX=$(command -v systemd-sandbox) || vw_skip_all "systemd-sandbox not found"
command -v systemd-nspawn >/dev/null || vw_skip_all "systemd-nspawn missing (apt-get install systemd-container)"
SB_UP=

vw_sandbox_cleanup() {
	[ -z "$SB_UP" ] || "$SANDBOX" stop "$SB" >/dev/null 2>&1 || echo "# sandbox $SB: stop reported leftovers"
	rm -rf "$VW_SCRATCH"
}

# Every command in the sandbox is bounded: a hung systemctl fails its step, not the run.
sx() { "$SANDBOX" exec "$SB" timeout 60 "$@"; }
sh_in() { "$SANDBOX" exec "$SB" timeout 60 /bin/sh -c "$1"; }

# vw_sandbox_boot LIFETIME_S FILE...: boots the sandbox (it powers itself off after
# LIFETIME_S, so a dead test run leaves none behind) and copies FILEs to /root.
vw_sandbox_boot() {
	local lifetime=$1 f
	shift
	SYSTEMD_SANDBOX_LIFETIME=$lifetime "$SANDBOX" start "$SB" >/dev/null 2>"$VW_SCRATCH/start.log" ||
		{ cat "$VW_SCRATCH/start.log"; return 1; }
	SB_UP=1
	for f in "$@"; do "$SANDBOX" cp-in "$SB" "$f" /root/ || return 1; done
}

# An orderly stop inside a test (the cleanup then has nothing left to stop).
sandbox_stop() { "$SANDBOX" stop "$SB" >/dev/null 2>&1; local rc=$?; SB_UP=; return $rc; }
