/* SPDX-License-Identifier: GPL-2.0-only */
/* Programs onto interfaces: attach what a plan names, detach what it
 * dropped, and earlier runs' links nobody configures any more. */
#ifndef VWD_ATTACH_H
#define VWD_ATTACH_H

#include "vwd.h"

/* After next was committed (prev: what was before, may be NULL). Fills
 * each segment's attach mode; failures are alerts, not errors: the maps
 * are right and the interface is attached when it can be. */
void vwd_attach_plan(struct daemon *d, const struct vwd_plan *prev, struct vwd_plan *next);
/* Drops links pinned by an earlier run for interfaces not in d->applied
 * (a link outlives its daemon by design). */
void vwd_detach_stale(struct daemon *d);

#endif
