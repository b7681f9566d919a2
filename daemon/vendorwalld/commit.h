/* SPDX-License-Identifier: GPL-2.0-only */
/* Writes a plan into the data plane, all of it or none: the maps are
 * copied aside first and put back when any step fails. */
#ifndef VWD_COMMIT_H
#define VWD_COMMIT_H

#include "datapath.h"
#include "plan.h"

/* The steps of a commit, in order; a failure at any of them rolls back. */
enum vwd_commit_step {
	VWD_STEP_CONFIG = 1,
	VWD_STEP_SEGMENTS,
	VWD_STEP_VLANS,
	VWD_STEP_IFACES,
	VWD_STEP_UNUSED,      /* clears VLAN rows, slots and interfaces prev used */
	VWD_STEP_DEVICES,     /* waiver and quarantine bits */
	VWD_STEP_PREFIXES,    /* bitmap, prefixes, vendors */
	VWD_STEP_COUNT = VWD_STEP_PREFIXES,
};

struct vwd_commit_result {
	int step;          /* the step that failed, 0 when none did */
	int rollback_err;  /* 0, or the first error while rolling back */
};

/* Makes the maps hold next, where prev (NULL on a first apply) is what
 * they hold now. 0, or the failed step's -errno after the previous
 * contents were restored (r says which step, and whether the restore
 * itself failed). Attaching programs to interfaces is not part of it. */
int vwd_commit(struct vw_datapath *dp, const struct vwd_plan *prev, const struct vwd_plan *next,
	       struct vwd_commit_result *r);

/* Test hook: the nth commit from now (1 = the next one) fails with -EIO
 * right after step `step` has written. Production code never calls it. */
void vwd_commit_fail_after(unsigned nth, enum vwd_commit_step step);

#endif
