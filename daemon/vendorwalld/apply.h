/* SPDX-License-Identifier: GPL-2.0-only */
/* Every change to enforcement takes one path: plan the state with the
 * operator's decisions, commit the plan (all or nothing), then attach
 * interfaces and tell the journal. */
#ifndef VWD_APPLY_H
#define VWD_APPLY_H

#include "vwd.h"

/* Enforces st with ops; on success d->applied is the new plan (borrowing
 * st: the caller makes st and ops the manager's). why (may be NULL) is
 * told with every segment mode that changes. On failure nothing changed
 * in the maps, and the error is logged. */
int vwd_apply(struct daemon *d, const struct vw_state *st, const struct vw_overrides *ops,
	      const char *why);
/* The manager's own state and decisions again, after interface events. */
int vwd_apply_links(struct daemon *d);

#endif
