/* SPDX-License-Identifier: GPL-2.0-only */
/* Changing the operator's decisions (modes, waivers, quarantines) as one
 * step: the new set is saved and enforced, or nothing changes. */
#ifndef VWD_DECISIONS_H
#define VWD_DECISIONS_H

#include "vwd.h"

/* dst (empty) becomes a deep copy of src. */
int vwd_decisions_clone(struct vw_overrides *dst, const struct vw_overrides *src);
/* Saves next, enforces it with the current state and makes it d->ops
 * (next is left empty). On failure the decisions in memory, on disk and in
 * the data plane stay the previous ones; *errmsg (may be NULL) says why. */
int vwd_decisions_change(struct daemon *d, struct vw_overrides *next, const char *why,
			 char **errmsg);
/* Drops mode overrides the configuration has moved on from (an edited
 * file is the newer word) and saves when something was dropped. */
void vwd_decisions_prune(struct daemon *d);

#endif
