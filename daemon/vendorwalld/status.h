/* SPDX-License-Identifier: GPL-2.0-only */
/* The one-line STATUS= for systemctl status, and the device counts of
 * the status reply. */
#ifndef VWD_STATUS_H
#define VWD_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "vendorwall.h"

/* The device counts as last computed (on a segment, of all devices):
 * under flood (vwd_flooded), status answers with them instead of a walk of
 * tens of thousands of inventory rows per call. */
struct vwd_status_counts {
	struct vwd_count {
		char key[64];              /* segment name; "" for every device */
		size_t n;
		uint64_t at_usec;          /* CLOCK_MONOTONIC; 0: never computed */
	} by_slot[VW_MAX_SEGMENTS + 1];    /* the last: every device */
};

struct daemon;
struct seg_rt;

void vwd_update_status(struct daemon *d);
/* Restricted devices in the inventory: on segment rt, or all (rt NULL);
 * 0 when it cannot say. Under flood a figure up to VWD_FLOODED_USEC old. */
size_t vwd_status_devices(struct daemon *d, const struct seg_rt *rt);

#endif
