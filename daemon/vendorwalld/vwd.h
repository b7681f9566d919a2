/* SPDX-License-Identifier: GPL-2.0-only */
/* The daemon's manager object, one per process on the heap, shared by its
 * modules: manager.c (life cycle), reload.c, apply.c (plan -> commit ->
 * attach), handlers.c, links.c, events.c, samples.c. Each module has its
 * own header; this one only says what the manager holds. */
#ifndef VWD_H
#define VWD_H

#include <limits.h>
#include <stdint.h>
#include <systemd/sd-event.h>

#include "addrbook.h"
#include "datapath.h"
#include "degraded.h"
#include "inventory.h"
#include "overrides.h"
#include "plan.h"
#include "state.h"
#include "status.h"
#include "throttle.h"

struct vwd_switches;

struct vwd_fpv;
struct vwd_capkeep;

struct daemon {
	char *config_path;
	struct vw_state *st;            /* the state enforced */
	struct vwd_plan *applied;       /* what the maps hold; borrows st */
	struct vw_datapath *dp;
	struct ring_buffer *events;
	struct ring_buffer *samples;
	sd_event *loop;
	sd_event_source *tick;          /* once a second: losses, expiry, STATUS= */
	uint64_t samples_seen;
	struct vw_inventory *inv;       /* NULL when the file cannot be used */
	struct vw_fp_engine *fp;        /* fingerprint engine of the current state */
	struct vwd_fpv *fpv;            /* its verdicts in vw_device (fpverdicts.c) */
	struct vw_netlink *nl;          /* link hot-plug and neighbour table */
	sd_event_source *nl_src;
	bool nl_synced;                 /* first full dump seen */
	bool reapply;                   /* a link event concerns a segment */
	struct vw_addrbook addrs;       /* MAC -> IPs from the neighbour table */
	/* Operator decisions (modes, waivers, quarantines), persisted. */
	struct vw_overrides ops;
	char ops_path[PATH_MAX];
	struct vw_control *ctl;
	struct vwd_degraded degraded;   /* conditions in force, for status */
	struct vwd_switches *switches;  /* SNMP pollers; NULL: none configured yet */
	uint64_t lost_reported[VW_MAX_SEGMENTS];
	uint64_t lost_at[VW_MAX_SEGMENTS];  /* tick of the last new loss */
	uint64_t ticks;
	struct vwd_throttle throttle;   /* work per wakeup, alert summaries */
	struct vwd_status_counts counts;   /* device counts reused under flood (status.c) */
	char profiles[256];
	struct vwd_ipv *ipv;            /* routers and IP verdicts (ipverdicts.c) */
	struct vwd_capkeep *capkeep;    /* quarantine-cap admissions (capkeep.c) */
	/* what history.c last recorded (vwd_policy_version) and noted (state) */
	char history_version[VW_STATE_VERSION_LEN], noted_state_version[VW_STATE_VERSION_LEN];
};

/* The segments as enforced (empty before the first apply). */
static inline size_t vwd_n_segs(const struct daemon *d)
{
	return d->applied ? d->applied->n_segs : 0;
}

static inline struct seg_rt *vwd_seg(struct daemon *d, size_t i)
{
	return &d->applied->segs[i];
}

/* The version of everything enforced, for alerts and status. */
static inline const char *vwd_policy_version(const struct daemon *d)
{
	return d->applied ? d->applied->version : d->st->version;
}

#endif
