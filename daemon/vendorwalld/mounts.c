// SPDX-License-Identifier: GPL-2.0-only
/* Mounts the daemon depends on: the bpffs that keeps enforcement pinned. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <syslog.h>

#include "bpffs.h"
#include "journal.h"
#include "mounts.h"

int vwd_ensure_bpffs(const char *bpf_root)
{
	bool mounted;
	int err = vw_bpffs_ensure(bpf_root, &mounted);

	if (!err) {
		if (mounted)
			vw_log(LOG_NOTICE, "Mounted a bpffs on %s (none was mounted) for BpfRoot=%s",
			       VW_BPFFS_MOUNTPOINT, bpf_root);
		return 0;
	}
	if (err == -EREMOTE)
		vw_log(LOG_ERR,
		       "%s is not a bpffs, and vendorwalld runs in a mount namespace of its own, where a bpffs would vanish with it (and enforcement with it). Mount one for the whole machine: 'mount -t bpf bpf %s' (permanently: the line 'bpf %s bpf nosuid,nodev,noexec,mode=0700 0 0' in /etc/fstab); the packaged unit does this in ExecStartPre=",
		       VW_BPFFS_MOUNTPOINT, VW_BPFFS_MOUNTPOINT, VW_BPFFS_MOUNTPOINT);
	else
		vw_log(LOG_ERR, "Cannot mount a bpffs on %s for BpfRoot=%s: %s; mount one: 'mount -t bpf bpf %s'",
		       VW_BPFFS_MOUNTPOINT, bpf_root, strerror(-err), VW_BPFFS_MOUNTPOINT);
	return err;
}
