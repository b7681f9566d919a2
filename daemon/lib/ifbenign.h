/* SPDX-License-Identifier: GPL-2.0-only */
/* Untagged benign frames counted per interface (vw_if_benign) given to the
 * segments the interfaces belong to. */
#ifndef VW_IFBENIGN_H
#define VW_IFBENIGN_H

#include <stdint.h>

#include "vendorwall.h"

/* The segment an interface's untagged frames count in, as the data plane
 * reads it (vw_segment_slot: out of range is slot 0). */
static inline uint32_t vw_ifbenign_slot(const struct vw_iface *ifc)
{
	return ifc->slot < VW_MAX_SEGMENTS ? ifc->slot : 0;
}

/* Gives slot what ifindex counted since it was last given away: called
 * before ifindex's untagged segment changes from slot. 0 or -errno. */
int vw_ifbenign_fold(int ifb_fd, int ncpus, uint32_t ifindex, uint32_t slot);

/* *out = the untagged benign frames of slot's interfaces not yet in
 * vw_counters: what interfaces gave it when they left, and what those now
 * in it (by vw_iface) counted since they were last given away. */
int vw_ifbenign_sum(int iface_fd, int ifb_fd, int ncpus, uint32_t slot, uint64_t *out);

#endif
