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

/* slots[i] = the untagged segment of ifindex i (VW_MAX_IFINDEX entries), as
 * vw_iface holds it now: one batch read. */
int vw_ifbenign_read_slots(int iface_fd, uint16_t *slots);

/* *out = the untagged benign frames of slot's interfaces not yet in
 * vw_counters: what interfaces gave it when they left, and what those now
 * in it (slots, as vw_ifbenign_read_slots gives them) counted since they
 * were last given away. */
int vw_ifbenign_sum(int ifb_fd, int ncpus, uint32_t slot, const uint16_t *slots,
		    uint64_t *out);

#endif
