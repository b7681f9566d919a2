/* SPDX-License-Identifier: GPL-2.0-only */
/* Degraded conditions in force, as a set keyed by cause ("generic-xdp:eth1",
 * "stale-registry", "ringbuf-loss:lan", ...). An entry is set while its
 * cause lasts and cleared by whoever sees the cause go; the set is
 * unbounded. No logging here: the caller reports appearance and clearing. */
#ifndef VWD_DEGRADED_H
#define VWD_DEGRADED_H

#include <stddef.h>

struct vwd_degraded_entry {
	char *key;
	char *detail;
};

struct vwd_degraded {
	struct vwd_degraded_entry *v;
	size_t n, cap;
};

/* Sets key's detail. 1 when the key is new, 0 when it was there already
 * (the detail is updated), -ENOMEM. */
int vwd_degraded_set(struct vwd_degraded *s, const char *key, const char *detail);
/* 1 when key was set and is now gone, 0 when it was not set. */
int vwd_degraded_clear(struct vwd_degraded *s, const char *key);
/* The entry of key, or NULL. Borrowed until the next set or clear. */
const struct vwd_degraded_entry *vwd_degraded_get(const struct vwd_degraded *s, const char *key);
void vwd_degraded_free(struct vwd_degraded *s);

#endif
