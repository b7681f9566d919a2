/* SPDX-License-Identifier: GPL-2.0-only */
/* vendorwalld's own state, shared by its parts: vendorwalld.c (life cycle),
 * apply.c (state -> data plane), events.c (ring buffers -> alerts,
 * inventory, fingerprints). */
#ifndef VWD_H
#define VWD_H

#include <net/if.h>
#include <stdint.h>
#include <time.h>
#include <systemd/sd-event.h>

#include "addrbook.h"
#include "datapath.h"
#include "inventory.h"
#include "overrides.h"
#include "state.h"

/* What the daemon applied for one configured segment. */
#define VWD_MAX_DECISIONS 4096

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
};

struct daemon {
	const char *config_path;
	struct vw_state *st;
	struct vw_datapath *dp;
	struct ring_buffer *events;
	struct ring_buffer *samples;
	sd_event *loop;
	struct seg_rt segs[VW_MAX_SEGMENTS];
	size_t n_segs;
	/* VLAN slots written, so a reload can clear those it no longer uses. */
	struct { uint32_t row; uint16_t vid; } vlans[VW_MAX_SEGMENTS];
	size_t n_vlans;
	uint64_t samples_seen;
	struct vw_inventory *inv;       /* NULL when the file cannot be used */
	struct vw_fp_engine *fp;        /* fingerprint engine of the current state */
	struct vw_netlink *nl;          /* link hot-plug and neighbour table */
	sd_event_source *nl_src;
	bool nl_synced;                 /* first full dump seen */
	bool reapply;                   /* a link event concerns a segment */
	struct vw_addrbook addrs;       /* MAC -> IPs from the neighbour table */
	/* Waived and quarantined MACs as written to vw_device, so that a
	 * change (reload, operator, expiry) touches only what differs. */
	struct waiver_rt { uint8_t mac[6]; time_t until; bool operator; } waivers[VWD_MAX_DECISIONS];
	size_t n_waivers;
	struct quarantine_rt { uint8_t mac[6]; } quarantined[VWD_MAX_DECISIONS];
	size_t n_quarantined;
	/* Operator decisions (modes, waivers, quarantines), persisted. */
	struct vw_overrides ops;
	char ops_path[4096];
	struct vw_control *ctl;
	/* Degraded conditions in force, for status (one per kind+segment). */
	char degraded[16][200];
	size_t n_degraded;
	/* Set by a mutating handler for the audit entry: before and after. */
	char audit_old[256], audit_new[256];
	uint64_t lost_reported[VW_MAX_SEGMENTS];
	char profiles[256];
};

struct seg_rt *vwd_seg_by_slot(struct daemon *d, uint32_t slot);
struct seg_rt *vwd_seg_by_name(struct seg_rt *segs, size_t n, const char *name);

/* apply.c */
/* Applies a whole state (policy and segments) to the data plane. */
int vwd_apply_state(struct daemon *d, struct vw_state *st);
/* After interface changes: segments onto interfaces only. */
int vwd_apply_links(struct daemon *d);
void vwd_expire_waivers(struct daemon *d);
/* Makes vw_device's waiver and quarantine bits match configuration plus
 * operator decisions. */
int vwd_sync_decisions(struct daemon *d, const struct vw_state *st);
int vwd_save_ops(struct daemon *d);
/* Writes one segment's enforced mode to the data plane. */
int vwd_set_mode(struct daemon *d, struct seg_rt *rt, uint8_t mode);

/* Raises a degraded entry and remembers it for status. */
void vwd_degraded(struct daemon *d, const char *what, const char *segment, const char *detail);

/* history.c: the inventory's record of policy and degraded states. */
void vwd_history_degraded(struct daemon *d, const char *what, const char *segment,
			  const char *detail);
void vwd_history_state(struct daemon *d, const struct vw_state *st);

/* links.c */
int vwd_netlink_open(struct daemon *d);
int vwd_netlink_sync(struct daemon *d, int timeout_ms);
void vwd_netlink_close(struct daemon *d);

/* handlers.c */
int vwd_control_open(struct daemon *d);
int vwd_reload(struct daemon *d, char **errmsg);
void vwd_detach_stale(struct daemon *d, const char *bpf_root);

/* events.c */
int vwd_on_event(void *ctx, void *data, size_t size);

/* samples.c */
struct vw_fp_engine;
int vwd_on_sample(void *ctx, void *data, size_t size);
int vwd_fp_start(struct daemon *d, const struct vw_state *st, struct vw_fp_engine **out);
/* The strongest fingerprint evidence of mac as text; -ENOENT if none. */
int vwd_fp_describe(struct daemon *d, const uint8_t mac[6], char *evidence, size_t elen,
		    char *confidence, size_t clen);
int vwd_on_ringbuf(sd_event_source *s, int fd, uint32_t revents, void *userdata);
int vwd_on_samples(sd_event_source *s, int fd, uint32_t revents, void *userdata);
void vwd_consume_events(struct daemon *d);

#endif
