/* SPDX-License-Identifier: GPL-2.0-only */
/* What the data plane must hold for a state plus the operator's decisions:
 * every map value a commit writes, computed before anything is written. */
#ifndef VWD_PLAN_H
#define VWD_PLAN_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "datapath.h"
#include "overrides.h"
#include "state.h"

/* One configured segment as enforced. */
struct seg_rt {
	char name[64];
	char ifname[IF_NAMESIZE];      /* current name (follows renames) */
	char conf_ifname[IF_NAMESIZE]; /* the name in the configuration */
	uint32_t slot;
	int ifindex;            /* 0 when the interface is absent */
	int vlan;
	uint8_t mode;           /* enforced: configured or operator override */
	uint8_t configured_mode;
	uint32_t cap;
	time_t cap_reported;    /* last quarantine-cap entry, one per hour */
	enum vw_attach_mode attach;
	bool disable_vlan_offload;  /* DisableVlanOffload= */
	struct vw_segment seg;  /* vw_segment[slot] */
};

/* Waivers (configured and operator) and quarantines together take at most
 * this many vw_device entries; fingerprint verdicts at most the rest
 * (fpverdicts.c), so no flood of frames leaves an operator without room. */
#define VWD_MAX_DECISIONS VW_MAX_DECISIONS

struct vwd_iface_row { int ifindex; struct vw_iface ifc; };
struct vwd_vlan_row { uint32_t row; uint16_t vid; uint16_t slot; };
struct vwd_waiver { uint8_t mac[6]; time_t until; bool operator; };
struct vwd_mac { uint8_t mac[6]; };

struct vwd_plan {
	struct vw_config cfg;
	const struct vw_ouiset *set;   /* borrowed from the state planned */
	struct seg_rt segs[VW_MAX_SEGMENTS];
	size_t n_segs;
	struct vwd_iface_row ifaces[VW_MAX_SEGMENTS];
	size_t n_ifaces;
	/* VLAN segments, and each VLAN interface's VW_VID_UNKNOWN entry. */
	struct vwd_vlan_row vlans[VW_MAX_SEGMENTS + VW_MAX_VLAN_IFACES];
	size_t n_vlans;
	struct vwd_waiver *waivers;    /* active waivers, each MAC once */
	size_t n_waivers;
	struct vwd_mac *quarantined;
	size_t n_quarantined;
	/* The same MACs as vw_mac_to_u64() values, sorted: what
	 * vwd_plan_waived/quarantined search (4,000 decisions against every
	 * device of a listing or of vw_device made a linear search quadratic). */
	uint64_t *waiver_keys, *quarantine_keys;
	char version[17];              /* vw_state_version of what is planned */
};

/* Plans st with ops at time now. prev (may be NULL) is what is enforced:
 * segments keep their slots and follow renamed interfaces. The plan
 * borrows st, which must outlive it. -ENOSPC past the data plane's
 * limits (VWD_MAX_DECISIONS among them), -ENOMEM. */
int vwd_plan_build(struct vwd_plan **out, const struct vw_state *st,
		   const struct vw_overrides *ops, const struct vwd_plan *prev, time_t now);
void vwd_plan_free(struct vwd_plan *p);
/* The vw_device entries st's waivers and ops' waivers and quarantines in
 * force at now would take (a MAC counted once per decision). */
size_t vwd_plan_count_decisions(const struct vw_state *st, const struct vw_overrides *ops,
				time_t now);

struct seg_rt *vwd_plan_seg(struct vwd_plan *p, const char *name);
struct seg_rt *vwd_plan_seg_by_slot(struct vwd_plan *p, uint32_t slot);
bool vwd_plan_has_iface(const struct vwd_plan *p, int ifindex);
bool vwd_plan_waived(const struct vwd_plan *p, const uint8_t mac[6]);
bool vwd_plan_quarantined(const struct vwd_plan *p, const uint8_t mac[6]);

#endif
