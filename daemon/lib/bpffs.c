// SPDX-License-Identifier: GPL-2.0-only
/* Mounts the bpffs on /sys/fs/bpf where nobody did. */
#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bpffs.h"

static int is_bpffs(const char *path)
{
	struct statfs st;

	if (statfs(path, &st) < 0)
		return -errno;
	return st.f_type == BPF_FS_MAGIC;
}

static bool under_mountpoint(const char *root)
{
	size_t n = strlen(VW_BPFFS_MOUNTPOINT);

	return !strncmp(root, VW_BPFFS_MOUNTPOINT, n) && (root[n] == '/' || root[n] == '\0');
}

/* The same mount namespace as PID 1, i.e. the one every other process of
 * the machine sees. Unreadable (capabilities dropped, /proc hidden) counts
 * as "not known to be the same". */
static bool in_init_mount_ns(void)
{
	char self[64], init[64];
	ssize_t a = readlink("/proc/self/ns/mnt", self, sizeof(self) - 1);
	ssize_t b = readlink("/proc/1/ns/mnt", init, sizeof(init) - 1);

	if (a <= 0 || b <= 0)
		return false;
	self[a] = '\0';
	init[b] = '\0';
	return !strcmp(self, init);
}

int vw_bpffs_ensure(const char *root, bool *mounted)
{
	int r;

	*mounted = false;
	if (!under_mountpoint(root))
		return 0; /* elsewhere: the data plane checks it */
	r = is_bpffs(VW_BPFFS_MOUNTPOINT);
	if (r < 0)
		return r;
	if (r)
		return 0;
	if (!in_init_mount_ns())
		return -EREMOTE;
	if (mount("bpf", VW_BPFFS_MOUNTPOINT, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0700") < 0)
		return -errno;
	*mounted = true;
	return 0;
}
