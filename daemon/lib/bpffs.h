// SPDX-License-Identifier: GPL-2.0-only
/* Makes sure BpfRoot is on a bpffs that outlives the daemon. */
#ifndef VW_BPFFS_H
#define VW_BPFFS_H

#include <stdbool.h>

#define VW_BPFFS_MOUNTPOINT "/sys/fs/bpf"

/* If root lies under /sys/fs/bpf and no bpffs is mounted there, mounts one
 * (as bpftool does), but only in the mount namespace of PID 1: a bpffs
 * mounted in a private namespace (a sandboxed unit, `ip netns exec`) would
 * vanish with the daemon and take enforcement with it. *mounted says
 * whether we mounted. Returns 0 (a bpffs is there now, or root lies
 * elsewhere, which the data plane checks), -EREMOTE (none there, and we are
 * in a private or unknown mount namespace) or another -errno. */
int vw_bpffs_ensure(const char *root, bool *mounted);

#endif
