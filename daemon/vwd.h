/* SPDX-License-Identifier: GPL-2.0-only */
/* vendorwalld's own state, shared by its parts: vendorwalld.c (life cycle),
 * vwd_apply.c (state -> data plane), vwd_events.c (ring buffers -> alerts,
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
#include "state.h"

/* What the daemon applied for one configured segment. */
struct seg_rt {
	char name[64];
	char ifname[IF_NAMESIZE];
	uint32_t slot;
	int ifindex;            /* 0 when the interface is absent */
	int vlan;
	uint8_t mode;
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
	struct vw_addrbook addrs;       /* MAC -> IPs from the neighbour table */
	/* Waivers written to vw_device, to expire and to drop on reload. */
	struct waiver_rt { uint8_t mac[6]; time_t until; } waivers[VW_MAX_SEGMENTS];
	size_t n_waivers;
	uint64_t lost_reported[VW_MAX_SEGMENTS];
	char profiles[256];
};

struct seg_rt *vwd_seg_by_slot(struct daemon *d, uint32_t slot);
struct seg_rt *vwd_seg_by_name(struct seg_rt *segs, size_t n, const char *name);
void vwd_format_mac(const uint8_t *m, char *buf, size_t len);

/* vwd_apply.c */
int vwd_apply_state(struct daemon *d, struct vw_state *st, int reload);
void vwd_expire_waivers(struct daemon *d);
void vwd_detach_stale(struct daemon *d, const char *bpf_root);

/* vwd_events.c */
int vwd_on_event(void *ctx, void *data, size_t size);
int vwd_on_sample(void *ctx, void *data, size_t size);
int vwd_on_ringbuf(sd_event_source *s, int fd, uint32_t revents, void *userdata);
int vwd_on_samples(sd_event_source *s, int fd, uint32_t revents, void *userdata);
void vwd_consume_events(struct daemon *d);

#endif
