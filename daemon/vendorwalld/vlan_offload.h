/* SPDX-License-Identifier: GPL-2.0-only */
/* Receive-VLAN offload on attached interfaces (daemon/lib/ethtool.h): off
 * where VLAN segments need the tags, back on when we let go. */
#ifndef VWD_VLAN_OFFLOAD_H
#define VWD_VLAN_OFFLOAD_H

#include "vwd.h"
#include "plan.h"

/* After attaching ifindex: when a segment of plan on it has a VLAN and
 * DisableVlanOffload=yes, switches rx-vlan-hw-parse off (remembering to
 * restore it); when it cannot, or the setting is no, a degraded state. */
void vwd_vlan_offload_attach(struct daemon *d, const struct vwd_plan *plan, int ifindex,
			     const char *ifname);
/* On detach: puts back what attach switched off; clears its degraded state. */
void vwd_vlan_offload_detach(struct daemon *d, int ifindex, const char *ifname);

#endif
