/* SPDX-License-Identifier: GPL-2.0-only */
/* What the daemon needs mounted before it loads the data plane. */
#ifndef VWD_MOUNTS_H
#define VWD_MOUNTS_H

/* Mounts a bpffs on /sys/fs/bpf when BpfRoot needs one and none is there,
 * or logs exactly what the operator must do. Returns 0 or -errno (logged). */
int vwd_ensure_bpffs(const char *bpf_root);

#endif
